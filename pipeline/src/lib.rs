//! Generator-style pipelines on threads: a source, stages run by N workers
//! each, and a sink, joined by bounded queues.
//!
//! Each worker of a stage is called once with an iterator over its share
//! of the stage's input ([`Inputs`]) and returns an iterator of outputs, so
//! it can keep state across items — a connection, a cache, a batch. Stages
//! fan out to their workers and fan back in to the next queue; queues are
//! bounded, so a slow stage holds the faster ones back (backpressure).
//!
//! * **Shutdown** needs no sentinels: a queue closes when its last sender
//!   is gone, so when the source ends every stage drains and ends, and every
//!   thread is joined before [`Running::finish`] returns.
//! * **Errors**: a per-item failure is an ordinary output (make the item a
//!   `Result`). A fatal one ([`Pipeline::try_stage`]) or a panic in a
//!   worker stops the run promptly: the source stops, the items already
//!   queued drain through the remaining stages to the caller, every thread
//!   is joined, and [`PipelineError`] names the stage.
//! * **Cancellation**: [`CancelHandle::cancel`] (from a Ctrl-C handler, for
//!   instance) stops the run the same way, without an error.
//! * **Ordering**: unordered by default; [`Pipeline::ordered`] restores the
//!   source order with a bounded reordering window.
//! * **Sequential mode**: [`Pipeline::start_sequential`] chains the same
//!   stage functions on the calling thread, for debugging and tests.
//! * **Metrics** per stage (items in/out, errors, busy time, queue depth)
//!   can be polled while running ([`Metrics::snapshot`]).
//!
//! # When to use this, and when rayon
//! Use this crate for *streams of I/O-bound work*: network lookups, file or
//! database reads, where a worker spends most of its time waiting and more
//! workers than cores give the speed; and for stages with state or
//! per-item errors that must not stop the stream. For CPU-bound data
//! parallelism over a collection that is already in memory, use rayon: its
//! work stealing splits the data across cores with less overhead per item.
//!
//! # Example
//! ```
//! use magvar_pipeline::{Pipeline, Stage};
//!
//! // Squares on 4 workers, each keeping a running count of what it saw;
//! // then a stage that drops odd squares. Ordered: output in input order.
//! let mut squares = Vec::new();
//! let summary = Pipeline::source(1..=10u64)
//!     .ordered(16)
//!     .stage(Stage::new("square").workers(4), |inputs| {
//!         let mut seen = 0;
//!         inputs.map(move |n| {
//!             seen += 1;
//!             n * n
//!         })
//!     })
//!     .stage(Stage::new("even"), |inputs| inputs.filter(|n| n % 2 == 0))
//!     .run(|n| squares.push(n))
//!     .expect("no stage fails");
//! assert_eq!(squares, [4, 16, 36, 64, 100]);
//! assert!(!summary.cancelled);
//! assert_eq!(summary.stages[1].items_out, 10);
//! ```

#![forbid(unsafe_code)]

mod error;
mod metrics;
mod pipeline;
mod runtime;

#[cfg(feature = "whois")]
pub mod whois;

pub use error::{BoxError, PipelineError};
pub use metrics::StageSnapshot;
pub use pipeline::{CancelHandle, DEFAULT_CAPACITY, Metrics, Pipeline, RunSummary, Running, Stage};
pub use runtime::Inputs;
