//! Per-stage counters that a progress bar can poll while the pipeline runs.
//!
//! Each worker owns one cache-line-aligned block of counters and is its only
//! writer, so counting costs a plain load and store (no locked instruction,
//! no cache-line ping-pong between workers); readers sum the blocks.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Acquire, Ordering::Relaxed, Ordering::Release};
use std::time::{Duration, Instant};

/// One worker's counters. Aligned to 128 bytes so two workers never share a
/// cache line (adjacent-line prefetch pairs 64-byte lines on x86).
#[repr(align(128))]
#[derive(Debug, Default)]
pub(crate) struct WorkerCounters {
    pub(crate) items_in: AtomicU64,
    pub(crate) items_out: AtomicU64,
    pub(crate) errors: AtomicU64,
    /// Time spent blocked on an empty input queue or a full output queue.
    pub(crate) wait_nanos: AtomicU64,
    /// Nanoseconds since the run's epoch, plus one (0 = not started).
    pub(crate) started: AtomicU64,
    /// Same encoding; 0 = still running.
    pub(crate) ended: AtomicU64,
}

/// Adds one to a counter that only the calling thread writes.
#[inline]
pub(crate) fn bump(counter: &AtomicU64) {
    counter.store(counter.load(Relaxed) + 1, Relaxed);
}

/// [`bump`] for output counters: `Release` pairs with the snapshot's
/// `Acquire`, so a reader that sees an output also sees its input counted.
#[inline]
pub(crate) fn bump_output(counter: &AtomicU64) {
    counter.store(counter.load(Relaxed) + 1, Release);
}

#[inline]
pub(crate) fn add(counter: &AtomicU64, amount: u64) {
    counter.store(counter.load(Relaxed) + amount, Relaxed);
}

#[derive(Debug)]
pub(crate) struct StageMetrics {
    pub(crate) name: String,
    pub(crate) workers: Box<[WorkerCounters]>,
    /// The stage feeding this one; its output minus our input is our queue.
    pub(crate) upstream: Option<Arc<StageMetrics>>,
}

impl StageMetrics {
    pub(crate) fn new(name: &str, workers: usize, upstream: Option<Arc<StageMetrics>>) -> Self {
        StageMetrics {
            name: name.to_string(),
            workers: (0..workers.max(1))
                .map(|_| WorkerCounters::default())
                .collect(),
            upstream,
        }
    }

    fn total(&self, field: impl Fn(&WorkerCounters) -> &AtomicU64) -> u64 {
        self.workers.iter().map(|w| field(w).load(Acquire)).sum()
    }

    pub(crate) fn snapshot(&self, epoch: Instant) -> StageSnapshot {
        let now = epoch.elapsed().as_nanos() as u64 + 1;
        let busy_nanos: u64 = self
            .workers
            .iter()
            .map(|w| {
                let started = w.started.load(Relaxed);
                if started == 0 {
                    return 0;
                }
                let ended = match w.ended.load(Relaxed) {
                    0 => now,
                    ended => ended,
                };
                ended
                    .saturating_sub(started)
                    .saturating_sub(w.wait_nanos.load(Relaxed))
            })
            .sum();
        // Outputs before inputs: the counters only grow, so a snapshot
        // taken while workers run never shows more out than in.
        let items_out = self.total(|w| &w.items_out);
        let items_in = self.total(|w| &w.items_in);
        let queue_depth = self
            .upstream
            .as_ref()
            .map_or(0, |up| up.total(|w| &w.items_out).saturating_sub(items_in));
        StageSnapshot {
            name: self.name.clone(),
            workers: self.workers.len(),
            items_in,
            items_out,
            errors: self.total(|w| &w.errors),
            busy: Duration::from_nanos(busy_nanos),
            queue_depth,
        }
    }
}

/// A stage's counters at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSnapshot {
    /// The stage's name ("source" for the source iterator).
    pub name: String,
    pub workers: usize,
    /// Items the stage's workers have taken from their input queue.
    pub items_in: u64,
    /// Items the stage has yielded.
    pub items_out: u64,
    /// Yielded items that the stage's error test (see
    /// [`crate::Stage::counting_errors`]) classed as per-item failures.
    pub errors: u64,
    /// Time the workers spent in the stage's own code, summed over workers
    /// (time blocked on an empty or full queue does not count).
    pub busy: Duration,
    /// Items produced upstream that this stage has not taken yet (in ordered
    /// mode this includes items held for reordering).
    pub queue_depth: u64,
}
