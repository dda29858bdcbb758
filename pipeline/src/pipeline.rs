//! The pipeline builder, stage specifications and the running handle.

use crate::error::{BoxError, PipelineError, panic_message};
use crate::metrics::{StageMetrics, StageSnapshot, bump_output};
use crate::runtime::{
    InlineStage, Inputs, Output, Shared, Tagged, Window, lock, reorder, run_worker, send_counted,
};
use crossbeam_channel::{Receiver, Sender, bounded};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Queue capacity when a stage does not set one.
pub const DEFAULT_CAPACITY: usize = 64;

/// How one stage is run: its name (used in errors and metrics), how many
/// workers, and the capacity of the queue feeding it.
pub struct Stage<U> {
    name: String,
    workers: usize,
    capacity: usize,
    error_if: Option<fn(&U) -> bool>,
}

impl<U> Stage<U> {
    /// One worker, queue capacity [`DEFAULT_CAPACITY`].
    pub fn new(name: impl Into<String>) -> Self {
        Stage {
            name: name.into(),
            workers: 1,
            capacity: DEFAULT_CAPACITY,
            error_if: None,
        }
    }

    /// Number of worker threads (0 is taken as 1).
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// Capacity of the bounded queue in front of this stage: when it is
    /// full, the upstream waits (backpressure). 0 makes a hand-over queue.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// Counts outputs for which `is_error` holds in the stage's `errors`
    /// metric, e.g. `Stage::new("lookup").counting_errors(Result::is_err)`.
    pub fn counting_errors(mut self, is_error: fn(&U) -> bool) -> Self {
        self.error_if = Some(is_error);
        self
    }
}

/// Run-wide choices made when the pipeline starts.
pub(crate) struct Launch {
    shared: Arc<Shared>,
    sequential: bool,
    window: Option<usize>,
}

/// What a stage hands to the next one.
pub(crate) enum Upstream<T> {
    Queue(Receiver<(u64, T)>),
    Inline(Box<dyn Iterator<Item = T>>),
}

/// Where a stage's workers send their outputs.
enum Destination<U> {
    /// Unordered: the next queue.
    Queue(Sender<(u64, U)>),
    /// Ordered: the stage's reorderer, and the window it gives permits back to.
    Reorderer(Arc<Window>, Sender<Tagged<U>>),
}

/// Builds the upstream part of the pipeline; the argument is the capacity of
/// the queue its output goes into.
type LaunchFn<T> = Box<dyn FnOnce(&Launch, usize) -> Upstream<T> + Send>;

/// A pipeline whose outputs are of type `T`: a source followed by stages.
/// Nothing runs until [`Pipeline::start`], [`Pipeline::run`] or their
/// sequential twins.
pub struct Pipeline<T> {
    launch: LaunchFn<T>,
    shared: Arc<Shared>,
    last_metrics: Arc<StageMetrics>,
    output_capacity: usize,
    window: Option<usize>,
}

impl<T: Send + 'static> Pipeline<T> {
    /// A pipeline reading `source` on its own thread (stage name "source").
    pub fn source<I>(source: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
    {
        let shared = Shared::new();
        let metrics = Arc::new(StageMetrics::new("source", 1, None));
        lock(&shared.metrics).push(Arc::clone(&metrics));
        let iter = source.into_iter();
        let source_metrics = Arc::clone(&metrics);
        let launch: LaunchFn<T> = Box::new(move |launch: &Launch, capacity| {
            if launch.sequential {
                let shared = Arc::clone(&launch.shared);
                let mut iter = iter;
                let counted = std::iter::from_fn(move || {
                    if shared.is_cancelled() {
                        return None;
                    }
                    let item = iter.next()?;
                    bump_output(&source_metrics.workers[0].items_out);
                    Some(item)
                });
                return Upstream::Inline(Box::new(counted));
            }
            let (tx, rx) = bounded(capacity);
            let shared = Arc::clone(&launch.shared);
            launch.shared.spawn("source", 0, move || {
                let counters = &source_metrics.workers[0];
                counters.started.store(shared.now_mark(), Ordering::Relaxed);
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    for (seq, item) in iter.enumerate() {
                        if shared.is_cancelled() {
                            break;
                        }
                        bump_output(&counters.items_out);
                        if !send_counted(&tx, (seq as u64, item), counters) {
                            break;
                        }
                    }
                }));
                if let Err(payload) = outcome {
                    shared.fail(PipelineError::Panic {
                        stage: "source".to_string(),
                        message: panic_message(payload.as_ref()),
                    });
                }
                counters.ended.store(shared.now_mark(), Ordering::Relaxed);
            });
            Upstream::Queue(rx)
        });
        Pipeline {
            launch,
            shared,
            last_metrics: metrics,
            output_capacity: DEFAULT_CAPACITY,
            window: None,
        }
    }

    /// Ordered mode: every stage passes its outputs on in the order of its
    /// inputs, so the sink sees them in source order. At most `window`
    /// inputs per stage may be in flight or held for reordering, which
    /// bounds the memory a slow item can make the others occupy. An output
    /// belongs to the input its worker took last. Applies to the whole run.
    pub fn ordered(mut self, window: usize) -> Self {
        self.window = Some(window.max(1));
        self
    }

    /// Adds a stage: each of `spec`'s workers calls `work` once with an
    /// iterator over its share of the inputs and passes on everything the
    /// returned iterator yields. To fail an item alone, yield an error value
    /// (e.g. make `U` a `Result`); to stop the whole run, see
    /// [`Pipeline::try_stage`].
    pub fn stage<U, F, O>(self, spec: Stage<U>, work: F) -> Pipeline<U>
    where
        U: Send + 'static,
        F: Fn(Inputs<T>) -> O + Send + Sync + 'static,
        O: IntoIterator<Item = U>,
        O::IntoIter: 'static,
    {
        self.add_stage(spec, work, Ok)
    }

    /// Adds a stage whose `Err` outputs are fatal: the run stops promptly,
    /// what was already produced is delivered, every thread is joined and
    /// [`PipelineError::Stage`] names this stage.
    pub fn try_stage<U, E, F, O>(self, spec: Stage<U>, work: F) -> Pipeline<U>
    where
        U: Send + 'static,
        E: Into<BoxError> + 'static,
        F: Fn(Inputs<T>) -> O + Send + Sync + 'static,
        O: IntoIterator<Item = Result<U, E>>,
        O::IntoIter: 'static,
    {
        self.add_stage(spec, work, |produced: Result<U, E>| {
            produced.map_err(Into::into)
        })
    }

    fn add_stage<V, U, F, O>(
        self,
        spec: Stage<U>,
        work: F,
        classify: impl Fn(V) -> Result<U, BoxError> + Copy + Send + 'static,
    ) -> Pipeline<U>
    where
        V: 'static,
        U: Send + 'static,
        F: Fn(Inputs<T>) -> O + Send + Sync + 'static,
        O: IntoIterator<Item = V>,
        O::IntoIter: 'static,
    {
        let metrics = Arc::new(StageMetrics::new(
            &spec.name,
            spec.workers,
            Some(Arc::clone(&self.last_metrics)),
        ));
        lock(&self.shared.metrics).push(Arc::clone(&metrics));
        let upstream = self.launch;
        let stage_metrics = Arc::clone(&metrics);
        let work = Arc::new(work);
        let launch: LaunchFn<U> = Box::new(move |launch: &Launch, out_capacity| {
            let Stage {
                name,
                workers,
                capacity,
                error_if,
            } = spec;
            let shared = &launch.shared;
            let input = match upstream(launch, capacity) {
                Upstream::Inline(iter) => {
                    let inputs = Inputs::inline(iter, Arc::clone(&stage_metrics));
                    return Upstream::Inline(Box::new(InlineStage {
                        stage: name,
                        outputs: Box::new(work(inputs).into_iter()),
                        classify: Box::new(classify),
                        error_if,
                        shared: Arc::clone(shared),
                        metrics: stage_metrics,
                        finished: false,
                    }));
                }
                Upstream::Queue(rx) => rx,
            };
            let (tx, rx) = bounded(out_capacity);
            // The original sender in `destination` drops when this closure
            // returns, so the queue closes once the last worker is done.
            let destination = match launch.window {
                Some(window) => {
                    let window = Window::new(window);
                    let (raw_tx, raw_rx) = bounded::<Tagged<U>>(out_capacity.max(workers));
                    let reorder_window = Arc::clone(&window);
                    shared.spawn(&format!("{name}-reorder"), 0, move || {
                        reorder(raw_rx, tx, reorder_window)
                    });
                    Destination::Reorderer(window, raw_tx)
                }
                None => Destination::Queue(tx),
            };
            for worker in 0..workers {
                let rx = input.clone();
                // Ordered mode: where this worker's input numbers and
                // "input finished" markers go.
                let (output, order) = match &destination {
                    Destination::Reorderer(window, raw_tx) => {
                        let current = Arc::new(AtomicU64::new(0));
                        let order = (Arc::clone(window), raw_tx.clone(), Arc::clone(&current));
                        (Output::Tagged(raw_tx.clone(), current), Some(order))
                    }
                    Destination::Queue(tx) => (Output::Direct(tx.clone()), None),
                };
                let work = Arc::clone(&work);
                let worker_shared = Arc::clone(shared);
                let metrics = Arc::clone(&stage_metrics);
                let stage_name = name.clone();
                shared.spawn(&name, worker, move || {
                    // Built on the worker's own thread: `Inputs` need not be
                    // `Send`, so stage functions may hold `Rc` and the like.
                    let mut inputs = Inputs::from_channel(rx, Arc::clone(&metrics), worker);
                    if let Some((window, done_tx, current)) = order {
                        inputs = inputs.with_order(
                            window,
                            Box::new(move |seq| {
                                // A failed send means the reorderer is gone
                                // (run shutting down): nothing to tell.
                                let _ = done_tx.send(Tagged::Done(seq));
                            }),
                            current,
                        );
                    }
                    run_worker(
                        &stage_name,
                        &worker_shared,
                        &metrics.workers[worker],
                        move || work(inputs).into_iter(),
                        classify,
                        error_if,
                        output,
                    )
                });
            }
            Upstream::Queue(rx)
        });
        Pipeline {
            launch,
            shared: self.shared,
            last_metrics: metrics,
            output_capacity: self.output_capacity,
            window: self.window,
        }
    }

    /// Capacity of the queue between the last stage and the caller.
    pub fn output_capacity(mut self, capacity: usize) -> Self {
        self.output_capacity = capacity;
        self
    }

    /// A handle that stops the run from anywhere (another thread, a Ctrl-C
    /// handler). Outputs already produced are still delivered.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle(Arc::clone(&self.shared))
    }

    /// A handle to poll the per-stage counters, e.g. for a progress bar.
    pub fn metrics(&self) -> Metrics {
        Metrics(Arc::clone(&self.shared))
    }

    /// Starts every thread and returns the outputs as an iterator.
    pub fn start(self) -> Running<T> {
        self.launch_with(false)
    }

    /// The same stage functions chained on the calling thread, one item at a
    /// time, in source order (for debugging the algorithm and for tests).
    /// Stages get one worker each; a panic or fatal error is reported
    /// exactly as in threaded mode.
    pub fn start_sequential(self) -> Running<T> {
        self.launch_with(true)
    }

    fn launch_with(self, sequential: bool) -> Running<T> {
        let launch = Launch {
            shared: Arc::clone(&self.shared),
            sequential,
            window: self.window,
        };
        let output = (self.launch)(&launch, self.output_capacity);
        Running {
            output: Some(output),
            shared: self.shared,
            exhausted: false,
        }
    }

    /// Runs to the end on worker threads, handing every output to `sink` on
    /// the calling thread.
    pub fn run(self, sink: impl FnMut(T)) -> Result<RunSummary, PipelineError> {
        let mut running = self.start();
        running.by_ref().for_each(sink);
        running.finish()
    }

    /// [`Pipeline::run`] in sequential mode.
    pub fn run_sequential(self, sink: impl FnMut(T)) -> Result<RunSummary, PipelineError> {
        let mut running = self.start_sequential();
        running.by_ref().for_each(sink);
        running.finish()
    }
}

/// Stops a run: the source stops reading; items already in the queues still
/// go through the remaining stages and reach the caller (nothing produced
/// is lost), then every stage ends. To drop queued work faster, a stage can
/// check [`CancelHandle::is_cancelled`] itself and skip its expensive part.
#[derive(Clone)]
pub struct CancelHandle(Arc<Shared>);

impl CancelHandle {
    /// Cancels the run. A source blocked inside its own `next()` (reading
    /// a pipe, say) notices only when that call returns.
    pub fn cancel(&self) {
        self.0.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Polls per-stage counters while the pipeline runs.
#[derive(Clone)]
pub struct Metrics(Arc<Shared>);

impl Metrics {
    /// One entry per stage, the source first.
    pub fn snapshot(&self) -> Vec<StageSnapshot> {
        self.0.snapshot()
    }
}

/// How a run ended without a fatal error.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The run was cancelled (or the caller stopped reading) before the
    /// source ran out; the outputs delivered are the ones produced so far.
    pub cancelled: bool,
    /// Final counters, one entry per stage, the source first.
    pub stages: Vec<StageSnapshot>,
}

/// A started pipeline: iterate to receive its outputs, then call
/// [`Running::finish`] for the outcome. Dropping it early cancels the run
/// and joins its threads.
pub struct Running<T> {
    output: Option<Upstream<T>>,
    shared: Arc<Shared>,
    exhausted: bool,
}

impl<T> Running<T> {
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle(Arc::clone(&self.shared))
    }

    pub fn metrics(&self) -> Metrics {
        Metrics(Arc::clone(&self.shared))
    }

    /// True once a fatal error has been recorded (the outputs then end soon).
    pub fn has_failed(&self) -> bool {
        self.shared.has_failed()
    }

    /// Ends the run and reports how: the first fatal error (with its stage)
    /// or a summary. Outputs not yet read are discarded, and the run then
    /// counts as cancelled.
    pub fn finish(mut self) -> Result<RunSummary, PipelineError> {
        let cancelled = self.shutdown();
        match self.shared.take_error() {
            Some(error) => Err(error),
            None => Ok(RunSummary {
                cancelled,
                stages: self.shared.snapshot(),
            }),
        }
    }

    /// Cancels if outputs remain, closes our queue and joins every thread.
    /// Returns whether the run was cut short.
    fn shutdown(&mut self) -> bool {
        if !self.exhausted {
            self.shared.cancel();
        }
        // Dropping the receiver makes the last stage's sends fail, so no
        // worker stays blocked on a queue nobody reads.
        self.output = None;
        let threads = std::mem::take(&mut *lock(&self.shared.threads));
        for thread in threads {
            // Worker bodies catch their own panics; a join error cannot
            // carry anything the run has not recorded already.
            let _ = thread.join();
        }
        self.shared.is_cancelled()
    }
}

impl<T> Iterator for Running<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = match self.output.as_mut()? {
            Upstream::Queue(rx) => rx.recv().ok().map(|(_, item)| item),
            Upstream::Inline(iter) => iter.next(),
        };
        if item.is_none() {
            self.exhausted = true;
            self.output = None;
        }
        item
    }
}

impl<T> Drop for Running<T> {
    fn drop(&mut self) {
        self.shutdown();
    }
}
