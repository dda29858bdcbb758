//! Suite `pipeline`: the cost magvar-pipeline adds per item, and whether
//! I/O-bound stages reach the concurrency ceiling.
//!
//! * `pipeline-trivial`: source → 12 workers → sink with trivial work,
//!   against the same topology written by hand with crossbeam-channel.
//! * `pipeline-io`: 1,000 items of 20 ms simulated I/O on 12 workers,
//!   against the ideal ceiling items / (20 ms × 1,000 / 12).

use super::{Workload, measure};
use crossbeam_channel::bounded;
use magvar_pipeline::{DEFAULT_CAPACITY, Pipeline, Stage};
use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

const WORKERS: usize = 12;
const TRIVIAL_ITEMS: u64 = 200_000;
const IO_ITEMS: u64 = 1_000;
const IO_TIME: Duration = Duration::from_millis(20);

/// The trivial work both contenders do per item.
#[inline]
fn trivial(n: u64) -> u64 {
    black_box(n.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(7))
}

fn magvar_trivial(items: u64) -> u64 {
    let mut sum = 0u64;
    Pipeline::source(0..items)
        .stage(
            Stage::new("work")
                .workers(WORKERS)
                .capacity(DEFAULT_CAPACITY),
            |inputs| inputs.map(trivial),
        )
        .run(|n| sum = sum.wrapping_add(n))
        .expect("the trivial stage cannot fail");
    sum
}

/// The peer: source thread → 12 worker threads → sink, bounded queues of
/// the same capacity, shutdown by dropping senders.
fn hand_written_trivial(items: u64) -> u64 {
    let (source_tx, work_rx) = bounded::<u64>(DEFAULT_CAPACITY);
    let (work_tx, sink_rx) = bounded::<u64>(DEFAULT_CAPACITY);
    let source = thread::spawn(move || {
        for n in 0..items {
            if source_tx.send(n).is_err() {
                break;
            }
        }
    });
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (rx, tx) = (work_rx.clone(), work_tx.clone());
            thread::spawn(move || {
                for n in rx {
                    if tx.send(trivial(n)).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
    drop((work_rx, work_tx));
    let sum = sink_rx.iter().fold(0u64, u64::wrapping_add);
    source.join().expect("source thread");
    for worker in workers {
        worker.join().expect("worker thread");
    }
    sum
}

fn magvar_io(items: u64) {
    let mut done = 0u64;
    Pipeline::source(0..items)
        .stage(Stage::new("io").workers(WORKERS), |inputs| {
            inputs.inspect(|_| thread::sleep(IO_TIME))
        })
        .run(|_| done += 1)
        .expect("the sleeping stage cannot fail");
    assert_eq!(done, items, "every item reaches the sink");
}

/// Best rates of both contenders, measured in alternation: with 14 threads
/// on a shared 2-core machine, the load changes from second to second, and
/// measuring one after the other would hand one of them the quiet moment.
fn alternating(items: u64, min_time: Duration) -> (f64, f64) {
    let time = |work: &dyn Fn(u64) -> u64| {
        let start = Instant::now();
        black_box(work(items));
        start.elapsed().as_secs_f64()
    };
    // Warm-up: threads, allocator, caches.
    time(&magvar_trivial);
    time(&hand_written_trivial);
    let (mut best_magvar, mut best_peer) = (f64::INFINITY, f64::INFINITY);
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < 5 || start.elapsed() < min_time {
        best_magvar = best_magvar.min(time(&magvar_trivial));
        best_peer = best_peer.min(time(&hand_written_trivial));
        rounds += 1;
    }
    (items as f64 / best_magvar, items as f64 / best_peer)
}

pub fn run() -> Vec<Workload> {
    let expected = hand_written_trivial(TRIVIAL_ITEMS);
    assert_eq!(
        magvar_trivial(TRIVIAL_ITEMS),
        expected,
        "same work, same result"
    );
    let (magvar, peer) = alternating(TRIVIAL_ITEMS, Duration::from_secs(4));
    let io = measure(IO_ITEMS as usize, Duration::ZERO, || magvar_io(IO_ITEMS));
    let ceiling = IO_ITEMS as f64 / (IO_TIME.as_secs_f64() * IO_ITEMS as f64 / WORKERS as f64);
    vec![
        Workload::new(
            "pipeline",
            "pipeline-trivial",
            "items",
            magvar,
            Some(("crossbeam-channel by hand", peer)),
        ),
        Workload::new(
            "pipeline",
            "pipeline-io",
            "items",
            io,
            Some(("ideal-ceiling", ceiling)),
        ),
    ]
}
