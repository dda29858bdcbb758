//! The moving parts behind [`crate::Pipeline`]: shared run state, the
//! iterator a worker reads its inputs from, the worker loop, the reorderer of
//! ordered mode, and the handle the caller reads outputs from.

use crate::error::{BoxError, PipelineError, panic_message};
use crate::metrics::{StageMetrics, StageSnapshot, WorkerCounters, add, bump, bump_output};
use crossbeam_channel::{Receiver, Sender, TryRecvError, TrySendError};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

/// Locks a mutex, ignoring poisoning: every critical section here leaves
/// the data consistent, and a panic is already reported as an error.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// State shared by every thread of one run.
pub(crate) struct Shared {
    cancelled: AtomicBool,
    first_error: Mutex<Option<PipelineError>>,
    pub(crate) metrics: Mutex<Vec<Arc<StageMetrics>>>,
    pub(crate) threads: Mutex<Vec<JoinHandle<()>>>,
    pub(crate) epoch: Instant,
}

impl Shared {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Shared {
            cancelled: AtomicBool::new(false),
            first_error: Mutex::new(None),
            metrics: Mutex::new(Vec::new()),
            threads: Mutex::new(Vec::new()),
            epoch: Instant::now(),
        })
    }

    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Stops the source. Items already queued still flow through the later
    /// stages (so nothing produced is lost) and then every queue closes.
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Records a fatal error (only the first one is kept) and stops the run.
    pub(crate) fn fail(&self, error: PipelineError) {
        {
            let mut first = lock(&self.first_error);
            if first.is_none() {
                *first = Some(error);
            }
        }
        self.cancel();
    }

    pub(crate) fn has_failed(&self) -> bool {
        lock(&self.first_error).is_some()
    }

    pub(crate) fn take_error(&self) -> Option<PipelineError> {
        lock(&self.first_error).take()
    }

    pub(crate) fn now_mark(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64 + 1
    }

    pub(crate) fn snapshot(&self) -> Vec<StageSnapshot> {
        lock(&self.metrics)
            .iter()
            .map(|m| m.snapshot(self.epoch))
            .collect()
    }

    pub(crate) fn spawn(&self, stage: &str, index: usize, body: impl FnOnce() + Send + 'static) {
        let spawned = std::thread::Builder::new()
            .name(format!("{stage}-{index}"))
            .spawn(body);
        match spawned {
            Ok(handle) => lock(&self.threads).push(handle),
            Err(source) => self.fail(PipelineError::Spawn {
                stage: stage.to_string(),
                source,
            }),
        }
    }
}

/// Ordered mode's bound on reordering memory: a worker takes a permit before
/// taking an input, and the reorderer returns it when that input's outputs
/// have been passed on in order.
pub(crate) struct Window {
    state: Mutex<WindowState>,
    room: Condvar,
}

struct WindowState {
    free: usize,
    /// The reorderer has stopped (its consumer is gone): no permit will
    /// ever come back, so nobody may wait for one.
    closed: bool,
}

impl Window {
    pub(crate) fn new(size: usize) -> Arc<Self> {
        Arc::new(Window {
            state: Mutex::new(WindowState {
                free: size.max(1),
                closed: false,
            }),
            room: Condvar::new(),
        })
    }

    /// Waits for a permit; false once the window is closed. This cannot
    /// wait forever: the oldest input in flight is held by a worker that is
    /// not waiting here, and its "finished" marker (sent even when that
    /// worker panics, as its inputs are dropped) lets the reorderer give a
    /// permit back — or the reorderer stops and closes the window.
    fn acquire(&self) -> bool {
        let mut state = lock(&self.state);
        while state.free == 0 && !state.closed {
            state = self.room.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        if state.closed {
            return false;
        }
        state.free -= 1;
        true
    }

    fn release(&self) {
        lock(&self.state).free += 1;
        self.room.notify_one();
    }

    fn close(&self) {
        lock(&self.state).closed = true;
        self.room.notify_all();
    }
}

/// Closes the window when the reorderer stops, however it stops.
struct CloseOnDrop(Arc<Window>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// What travels from a worker to the reorderer in ordered mode.
pub(crate) enum Tagged<U> {
    /// An output attributed to input number `.0`.
    Item(u64, U),
    /// Input number `.0` will yield no further output.
    Done(u64),
}

/// Ordered-mode state of one worker's input iterator.
struct OrderedInputs {
    window: Arc<Window>,
    /// Sends `Tagged::Done` for the input just finished (type-erased because
    /// it goes to the output queue, whose item type is not ours).
    send_done: Box<dyn FnMut(u64) + Send>,
    /// The input currently being worked on, read by the worker loop to tag
    /// outputs.
    current: Arc<AtomicU64>,
    holding: bool,
}

pub(crate) struct ChannelInputs<T> {
    rx: Option<Receiver<(u64, T)>>,
    metrics: Arc<StageMetrics>,
    worker: usize,
    ordered: Option<OrderedInputs>,
}

enum InputsInner<T> {
    Channel(ChannelInputs<T>),
    Inline {
        upstream: Box<dyn Iterator<Item = T>>,
        metrics: Arc<StageMetrics>,
    },
}

/// The iterator a stage function receives: this worker's share of the
/// stage's input. It ends when the upstream stage has ended and its queue
/// is empty — after a cancellation or a fatal error too, once the items
/// already queued are through.
pub struct Inputs<T> {
    inner: InputsInner<T>,
}

impl<T> Inputs<T> {
    pub(crate) fn from_channel(
        rx: Receiver<(u64, T)>,
        metrics: Arc<StageMetrics>,
        worker: usize,
    ) -> Self {
        Inputs {
            inner: InputsInner::Channel(ChannelInputs {
                rx: Some(rx),
                metrics,
                worker,
                ordered: None,
            }),
        }
    }

    pub(crate) fn with_order(
        mut self,
        window: Arc<Window>,
        send_done: Box<dyn FnMut(u64) + Send>,
        current: Arc<AtomicU64>,
    ) -> Self {
        if let InputsInner::Channel(channel) = &mut self.inner {
            channel.ordered = Some(OrderedInputs {
                window,
                send_done,
                current,
                holding: false,
            });
        }
        self
    }

    pub(crate) fn inline(
        upstream: Box<dyn Iterator<Item = T>>,
        metrics: Arc<StageMetrics>,
    ) -> Self {
        Inputs {
            inner: InputsInner::Inline { upstream, metrics },
        }
    }
}

impl<T> ChannelInputs<T> {
    fn counters(&self) -> &WorkerCounters {
        &self.metrics.workers[self.worker]
    }

    /// Closes our end of the queue: once every worker has, upstream senders
    /// fail and the upstream stops instead of blocking on a full queue.
    fn close(&mut self) {
        self.rx = None;
        self.finish_current();
    }

    fn finish_current(&mut self) {
        if let Some(ordered) = &mut self.ordered
            && ordered.holding
        {
            ordered.holding = false;
            (ordered.send_done)(ordered.current.load(Ordering::Relaxed));
        }
    }

    fn next_item(&mut self) -> Option<T> {
        self.finish_current();
        self.rx.as_ref()?;
        if let Some(ordered) = &self.ordered
            && !ordered.window.acquire()
        {
            self.close();
            return None;
        }
        let received = self.receive();
        match received {
            Some((seq, item)) => {
                bump(&self.counters().items_in);
                if let Some(ordered) = &mut self.ordered {
                    ordered.current.store(seq, Ordering::Relaxed);
                    ordered.holding = true;
                }
                Some(item)
            }
            None => {
                if let Some(ordered) = &self.ordered {
                    ordered.window.release();
                }
                self.close();
                None
            }
        }
    }

    fn receive(&self) -> Option<(u64, T)> {
        let rx = self.rx.as_ref()?;
        match rx.try_recv() {
            Ok(message) => return Some(message),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) => {}
        }
        let blocked_at = Instant::now();
        let result = rx.recv().ok();
        add(
            &self.counters().wait_nanos,
            blocked_at.elapsed().as_nanos() as u64,
        );
        result
    }
}

impl<T> Drop for ChannelInputs<T> {
    fn drop(&mut self) {
        self.finish_current();
    }
}

impl<T> Iterator for Inputs<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        match &mut self.inner {
            InputsInner::Channel(channel) => channel.next_item(),
            InputsInner::Inline { upstream, metrics } => {
                let item = upstream.next()?;
                bump(&metrics.workers[0].items_in);
                Some(item)
            }
        }
    }
}

/// Where a worker sends what it yields.
pub(crate) enum Output<U> {
    /// Unordered: straight into the next queue.
    Direct(Sender<(u64, U)>),
    /// Ordered: to the stage's reorderer, tagged with the input it came from.
    Tagged(Sender<Tagged<U>>, Arc<AtomicU64>),
}

impl<U> Output<U> {
    /// Sends, counting time blocked on a full queue as waiting. False when
    /// the receiving side is gone (cancelled or dropped consumer).
    #[inline]
    fn send(&self, item: U, counters: &WorkerCounters) -> bool {
        match self {
            Output::Direct(tx) => send_counted(tx, (0, item), counters),
            Output::Tagged(tx, current) => send_counted(
                tx,
                Tagged::Item(current.load(Ordering::Relaxed), item),
                counters,
            ),
        }
    }
}

#[inline]
pub(crate) fn send_counted<M>(tx: &Sender<M>, message: M, counters: &WorkerCounters) -> bool {
    match tx.try_send(message) {
        Ok(()) => true,
        Err(TrySendError::Disconnected(_)) => false,
        Err(TrySendError::Full(message)) => {
            let blocked_at = Instant::now();
            let sent = tx.send(message).is_ok();
            add(&counters.wait_nanos, blocked_at.elapsed().as_nanos() as u64);
            sent
        }
    }
}

/// One worker's life: runs the stage function over its inputs and passes
/// each output on. `classify` separates outputs from fatal errors. A panic
/// anywhere in the stage function is caught and reported as the stage's.
pub(crate) fn run_worker<V, U, I: Iterator<Item = V>>(
    stage: &str,
    shared: &Shared,
    counters: &WorkerCounters,
    outputs: impl FnOnce() -> I,
    classify: impl Fn(V) -> Result<U, BoxError>,
    error_if: Option<fn(&U) -> bool>,
    out: Output<U>,
) {
    counters.started.store(shared.now_mark(), Ordering::Relaxed);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        for produced in outputs() {
            match classify(produced) {
                Ok(item) => {
                    bump_output(&counters.items_out);
                    if error_if.is_some_and(|is_error| is_error(&item)) {
                        bump(&counters.errors);
                    }
                    if !out.send(item, counters) {
                        break;
                    }
                }
                Err(source) => {
                    shared.fail(PipelineError::Stage {
                        stage: stage.to_string(),
                        source,
                    });
                    break;
                }
            }
        }
    }));
    if let Err(payload) = outcome {
        shared.fail(PipelineError::Panic {
            stage: stage.to_string(),
            message: panic_message(payload.as_ref()),
        });
    }
    counters.ended.store(shared.now_mark(), Ordering::Relaxed);
}

/// Ordered mode: passes a stage's outputs on in input order, renumbered
/// 0, 1, 2… for the next stage. Outputs of the oldest unfinished input go
/// straight through; later ones wait here (at most `window` inputs' worth).
pub(crate) fn reorder<U>(raw: Receiver<Tagged<U>>, out: Sender<(u64, U)>, window: Arc<Window>) {
    let _close = CloseOnDrop(Arc::clone(&window));
    let mut head = 0u64;
    let mut next_out = 0u64;
    // input number -> (outputs held back, input finished)
    let mut held: BTreeMap<u64, (Vec<U>, bool)> = BTreeMap::new();
    let mut emit = |item: U| {
        let ok = out.send((next_out, item)).is_ok();
        next_out += 1;
        ok
    };
    for message in raw.iter() {
        match message {
            Tagged::Item(seq, item) if seq <= head => {
                if !emit(item) {
                    return;
                }
            }
            Tagged::Item(seq, item) => held.entry(seq).or_default().0.push(item),
            Tagged::Done(seq) if seq == head => {
                held.remove(&head);
                head += 1;
                window.release();
                // Release every held input that is now at the head.
                while let Some(mut entry) = held.first_entry() {
                    if *entry.key() != head {
                        break;
                    }
                    for item in std::mem::take(&mut entry.get_mut().0) {
                        if !emit(item) {
                            return;
                        }
                    }
                    if !entry.get().1 {
                        break;
                    }
                    entry.remove();
                    head += 1;
                    window.release();
                }
            }
            Tagged::Done(seq) => held.entry(seq).or_default().1 = true,
        }
    }
    // Every worker is gone: after a cancellation or failure some inputs
    // never finished. Deliver what was produced, in order, gaps skipped.
    for (_, (items, _)) in held {
        for item in items {
            if !emit(item) {
                return;
            }
        }
    }
}

/// Sequential mode: one stage's outputs as an iterator on the caller's
/// thread, with the same fatal-error and panic handling as a worker.
pub(crate) struct InlineStage<V, U> {
    pub(crate) stage: String,
    pub(crate) outputs: Box<dyn Iterator<Item = V>>,
    pub(crate) classify: Box<dyn Fn(V) -> Result<U, BoxError>>,
    pub(crate) error_if: Option<fn(&U) -> bool>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) metrics: Arc<StageMetrics>,
    pub(crate) finished: bool,
}

impl<V, U> Iterator for InlineStage<V, U> {
    type Item = U;

    fn next(&mut self) -> Option<U> {
        if self.finished {
            return None;
        }
        let counters = &self.metrics.workers[0];
        if counters.started.load(Ordering::Relaxed) == 0 {
            counters
                .started
                .store(self.shared.now_mark(), Ordering::Relaxed);
        }
        let produced = match catch_unwind(AssertUnwindSafe(|| self.outputs.next())) {
            Ok(Some(produced)) => produced,
            Ok(None) => return self.end(),
            Err(payload) => {
                self.shared.fail(PipelineError::Panic {
                    stage: self.stage.clone(),
                    message: panic_message(payload.as_ref()),
                });
                return self.end();
            }
        };
        match (self.classify)(produced) {
            Ok(item) => {
                bump_output(&counters.items_out);
                if self.error_if.is_some_and(|is_error| is_error(&item)) {
                    bump(&counters.errors);
                }
                Some(item)
            }
            Err(source) => {
                self.shared.fail(PipelineError::Stage {
                    stage: self.stage.clone(),
                    source,
                });
                self.end()
            }
        }
    }
}

impl<V, U> InlineStage<V, U> {
    fn end(&mut self) -> Option<U> {
        self.finished = true;
        self.metrics.workers[0]
            .ended
            .store(self.shared.now_mark(), Ordering::Relaxed);
        None
    }
}
