//! Engine behaviour: shutdown, errors, panics, cancellation, ordering,
//! sequential mode, metrics. Every test runs under a watchdog so a hang is
//! a failure, not a stuck test run.

use magvar_pipeline::{Pipeline, PipelineError, Stage};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

/// Runs `test` on a thread and fails if it has not finished in a minute:
/// generous enough for a loaded machine, and it only catches hangs.
fn no_hang<R: Send + 'static>(test: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = tx.send(test());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(result) => {
            worker.join().expect("test thread");
            result
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The test panicked: re-raise its panic.
            std::panic::resume_unwind(worker.join().expect_err("test thread panicked"))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("pipeline hung"),
    }
}

#[test]
fn every_item_passes_through_many_workers_exactly_once() {
    let mut seen = no_hang(|| {
        let mut out = Vec::new();
        let summary = Pipeline::source(0..10_000u64)
            .stage(Stage::new("double").workers(12).capacity(8), |inputs| {
                inputs.map(|n| n * 2)
            })
            .stage(Stage::new("plus-one").workers(3), |inputs| {
                inputs.map(|n| n + 1)
            })
            .run(|n| out.push(n))
            .expect("no failure");
        assert!(!summary.cancelled);
        let names: Vec<_> = summary.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["source", "double", "plus-one"]);
        assert_eq!(summary.stages[0].items_out, 10_000);
        assert_eq!(summary.stages[1].items_in, 10_000);
        assert_eq!(summary.stages[1].items_out, 10_000);
        assert_eq!(summary.stages[1].workers, 12);
        assert_eq!(summary.stages[2].items_out, 10_000);
        assert_eq!(summary.stages[2].queue_depth, 0);
        out
    });
    seen.sort_unstable();
    let expected: Vec<u64> = (0..10_000u64).map(|n| n * 2 + 1).collect();
    assert_eq!(seen, expected);
}

#[test]
fn zero_items_ends_cleanly() {
    no_hang(|| {
        let mut count = 0;
        let summary = Pipeline::source(std::iter::empty::<u32>())
            .stage(Stage::new("noop").workers(4), |inputs| inputs)
            .run(|_| count += 1)
            .expect("no failure");
        assert_eq!(count, 0);
        assert!(!summary.cancelled);
        let ordered = Pipeline::source(Vec::<u32>::new())
            .ordered(4)
            .stage(Stage::new("noop").workers(4), |inputs| inputs)
            .start()
            .count();
        assert_eq!(ordered, 0);
    });
}

#[test]
fn capacity_one_and_zero_still_deliver_everything() {
    for capacity in [0, 1] {
        let total = no_hang(move || {
            let mut total = 0u64;
            Pipeline::source(1..=500u64)
                .stage(Stage::new("a").workers(5).capacity(capacity), |inputs| {
                    inputs.map(|n| n + 1)
                })
                .stage(Stage::new("b").workers(2).capacity(capacity), |inputs| {
                    inputs
                })
                .output_capacity(capacity)
                .run(|n| total += n)
                .expect("no failure");
            total
        });
        assert_eq!(total, 500 * 501 / 2 + 500, "capacity {capacity}");
    }
}

#[test]
fn workers_keep_state_across_their_items() {
    let per_worker = no_hang(|| {
        let mut per_worker = Vec::new();
        Pipeline::source(0..1_000u32)
            .stage(Stage::new("count").workers(4), |inputs| {
                // Each worker's state: how many items it saw; yields one
                // total at the end, like a batching stage would.
                let mut seen = 0u32;
                inputs.for_each(|_| seen += 1);
                std::iter::once(seen)
            })
            .run(|n| per_worker.push(n))
            .expect("no failure");
        per_worker
    });
    assert_eq!(per_worker.len(), 4);
    assert_eq!(per_worker.iter().sum::<u32>(), 1_000);
}

#[test]
fn per_item_errors_travel_on_and_are_counted() {
    let (oks, errs, summary) = no_hang(|| {
        let (mut oks, mut errs) = (0, 0);
        let summary = Pipeline::source(0..100u32)
            .stage(
                Stage::new("check")
                    .workers(3)
                    .counting_errors(Result::is_err),
                |inputs| {
                    inputs.map(|n| {
                        if n % 10 == 0 {
                            Err(format!("bad {n}"))
                        } else {
                            Ok(n)
                        }
                    })
                },
            )
            .run(|r| match r {
                Ok(_) => oks += 1,
                Err(_) => errs += 1,
            })
            .expect("per-item errors are not fatal");
        (oks, errs, summary)
    });
    assert_eq!((oks, errs), (90, 10));
    assert_eq!(summary.stages[1].errors, 10);
}

#[test]
fn a_worker_panic_stops_the_run_and_names_the_stage() {
    let (delivered, result) = no_hang(|| {
        let mut delivered = 0u64;
        let result = Pipeline::source(0..u64::MAX)
            .stage(Stage::new("fragile").workers(6).capacity(2), |inputs| {
                inputs.inspect(|&n| {
                    if n == 500 {
                        panic!("item {n} is cursed");
                    }
                })
            })
            .stage(Stage::new("after").workers(2), |inputs| inputs)
            .run(|_| delivered += 1);
        (delivered, result)
    });
    match result {
        Err(PipelineError::Panic { stage, message }) => {
            assert_eq!(stage, "fragile");
            assert_eq!(message, "item 500 is cursed");
        }
        other => panic!("expected a panic error, got {other:?}"),
    }
    // The source is endless: the run ended only because of the panic.
    assert!(delivered < u64::MAX);
}

#[test]
fn a_fatal_error_mid_stream_stops_promptly_and_delivers_what_was_produced() {
    let (delivered, result) = no_hang(|| {
        let mut delivered = Vec::new();
        let result = Pipeline::source(0..u64::MAX)
            .try_stage(Stage::new("parse").workers(1), |inputs| {
                inputs.map(|n| {
                    if n == 100 {
                        Err(std::io::Error::other("disk on fire"))
                    } else {
                        Ok(n)
                    }
                })
            })
            .stage(Stage::new("after").workers(3), |inputs| inputs)
            .run(|n| delivered.push(n));
        (delivered, result)
    });
    let error = result.expect_err("fatal error reported");
    assert_eq!(error.stage(), "parse");
    assert!(error.to_string().contains("disk on fire"), "{error}");
    // One worker in order: items 0..100 were produced before the error and
    // all of them reach the sink; nothing after it is produced.
    let mut delivered = delivered;
    delivered.sort_unstable();
    assert_eq!(delivered, (0..100).collect::<Vec<_>>());
}

#[test]
fn a_panicking_source_is_reported() {
    let result = no_hang(|| {
        let source = (0..10u32).map(|n| if n == 5 { panic!("source broke") } else { n });
        Pipeline::source(source)
            .stage(Stage::new("noop").workers(2), |inputs| inputs)
            .run(|_| {})
    });
    let error = result.expect_err("panic reported");
    assert_eq!(error.stage(), "source");
}

#[test]
fn cancellation_stops_an_endless_run_and_delivers_what_was_done() {
    no_hang(|| {
        let pipeline = Pipeline::source(0..u64::MAX)
            .stage(Stage::new("work").workers(4).capacity(4), |inputs| {
                inputs.map(|n| n + 1)
            });
        let cancel = pipeline.cancel_handle();
        let mut running = pipeline.start();
        let mut received = 0;
        for _ in running.by_ref() {
            received += 1;
            if received == 1_000 {
                cancel.cancel();
            }
        }
        let summary = running.finish().expect("cancelling is not an error");
        assert!(summary.cancelled);
        assert!(received >= 1_000);
        // Everything the stage produced before stopping was delivered.
        assert_eq!(summary.stages[1].items_out, received);
    });
}

#[test]
fn a_consumer_that_stops_early_shuts_everything_down() {
    let started = Arc::new(AtomicUsize::new(0));
    let ended = Arc::new(AtomicUsize::new(0));
    let (s, e) = (Arc::clone(&started), Arc::clone(&ended));
    no_hang(move || {
        let running = Pipeline::source(0..u64::MAX)
            .stage(Stage::new("work").workers(8).capacity(1), move |inputs| {
                s.fetch_add(1, Ordering::SeqCst);
                let e = Arc::clone(&e);
                let guard = EndCounter(e);
                inputs.inspect(move |_| {
                    let _keep = &guard;
                })
            })
            .start();
        let first: Vec<u64> = running.take(10).collect();
        assert_eq!(first.len(), 10);
        // `take` dropped the running pipeline: every worker must be joined.
    });
    assert_eq!(started.load(Ordering::SeqCst), 8);
    assert_eq!(ended.load(Ordering::SeqCst), 8);
}

struct EndCounter(Arc<AtomicUsize>);
impl Drop for EndCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn ordered_mode_restores_order_despite_skewed_latencies() {
    let out = no_hang(|| {
        let mut out = Vec::new();
        Pipeline::source(0..300u32)
            .ordered(8)
            .stage(Stage::new("skewed").workers(6).capacity(2), |inputs| {
                inputs.inspect(|n| {
                    // Every 7th item is slow, so later ones overtake it.
                    if n % 7 == 0 {
                        thread::sleep(Duration::from_millis(3));
                    }
                })
            })
            // Zero or several outputs per input must keep the order too.
            .stage(Stage::new("expand").workers(3), |inputs| {
                inputs.flat_map(|n| std::iter::repeat_n(n, (n % 3) as usize))
            })
            .run(|n| out.push(n))
            .expect("no failure");
        out
    });
    let expected: Vec<u32> = (0..300u32)
        .flat_map(|n| std::iter::repeat_n(n, (n % 3) as usize))
        .collect();
    assert_eq!(out, expected);
}

#[test]
fn ordered_mode_with_a_window_of_one_and_a_panic_does_not_hang() {
    let result = no_hang(|| {
        Pipeline::source(0..1_000u32)
            .ordered(1)
            .stage(Stage::new("boom").workers(4), |inputs| {
                inputs.map(|n| if n == 50 { panic!("boom") } else { n })
            })
            .run(|_| {})
    });
    assert_eq!(result.expect_err("panic").stage(), "boom");
}

#[test]
fn ordered_mode_cancelled_delivers_a_prefix_in_order() {
    let out = no_hang(|| {
        let pipeline = Pipeline::source(0..u64::MAX)
            .ordered(16)
            .stage(Stage::new("id").workers(4), |inputs| inputs);
        let cancel = pipeline.cancel_handle();
        let mut out = Vec::new();
        let summary = pipeline
            .run(|n| {
                out.push(n);
                if n == 200 {
                    cancel.cancel();
                }
            })
            .expect("no failure");
        assert!(summary.cancelled);
        out
    });
    assert!(out.len() > 200);
    assert!(out.windows(2).all(|w| w[0] < w[1]), "outputs out of order");
    assert_eq!(out[..201], (0..=200).collect::<Vec<u64>>()[..]);
}

#[test]
fn sequential_mode_gives_the_same_results_in_source_order() {
    let stages = |source: std::ops::Range<u32>| {
        Pipeline::source(source)
            .stage(Stage::new("square").workers(8), |inputs| {
                inputs.map(|n| n * n)
            })
            .stage(Stage::new("odd").workers(2), |inputs| {
                inputs.filter(|n| n % 2 == 1)
            })
    };
    let (sequential, mut threaded) = no_hang(move || {
        let mut sequential = Vec::new();
        let summary = stages(0..100)
            .run_sequential(|n| sequential.push(n))
            .expect("ok");
        assert_eq!(summary.stages[1].items_out, 100);
        assert_eq!(summary.stages[2].items_out, 50);
        let mut threaded = Vec::new();
        stages(0..100).run(|n| threaded.push(n)).expect("ok");
        (sequential, threaded)
    });
    let expected: Vec<u32> = (0..100u32).map(|n| n * n).filter(|n| n % 2 == 1).collect();
    assert_eq!(sequential, expected);
    threaded.sort_unstable();
    assert_eq!(threaded, expected);
}

#[test]
fn sequential_mode_reports_panics_and_fatal_errors_like_threads() {
    no_hang(|| {
        let result = Pipeline::source(0..10u32)
            .stage(Stage::new("first"), |inputs| inputs)
            .stage(Stage::new("second"), |inputs| {
                inputs.map(|n| if n == 3 { panic!("three") } else { n })
            })
            .run_sequential(|_| {});
        assert_eq!(result.expect_err("panic").stage(), "second");

        let mut got = Vec::new();
        let result = Pipeline::source(0..10u32)
            .try_stage(Stage::new("check"), |inputs| {
                inputs.map(|n| {
                    if n == 4 {
                        Err("four is too many")
                    } else {
                        Ok(n)
                    }
                })
            })
            .run_sequential(|n| got.push(n));
        assert_eq!(result.expect_err("fatal").stage(), "check");
        assert_eq!(got, [0, 1, 2, 3]);
    });
}

#[test]
fn metrics_can_be_polled_while_running() {
    no_hang(|| {
        let pipeline = Pipeline::source(0..2_000u32)
            .stage(Stage::new("work").workers(2).capacity(1), |inputs| inputs);
        let metrics = pipeline.metrics();
        let mut running = pipeline.start();
        let mut seen = HashSet::new();
        for n in running.by_ref() {
            seen.insert(n);
            if n % 500 == 0 {
                let snapshot = metrics.snapshot();
                assert_eq!(snapshot.len(), 2);
                assert!(snapshot[1].items_out >= 1);
                assert!(snapshot[1].items_in >= snapshot[1].items_out);
            }
        }
        let summary = running.finish().expect("ok");
        assert_eq!(seen.len(), 2_000);
        assert_eq!(summary.stages[1].items_in, 2_000);
    });
}

#[test]
fn an_ordered_run_whose_consumer_stops_early_shuts_down() {
    let first = no_hang(|| {
        // A window of 1 and many workers: most of them wait for a permit
        // when the consumer goes away, and must not wait forever.
        let running = Pipeline::source(0..u64::MAX)
            .ordered(1)
            .stage(Stage::new("slowish").workers(6).capacity(1), |inputs| {
                inputs.inspect(|_| thread::sleep(Duration::from_millis(1)))
            })
            .stage(Stage::new("next").workers(3).capacity(1), |inputs| inputs)
            .output_capacity(1)
            .start();
        running.take(20).collect::<Vec<u64>>()
    });
    assert_eq!(first, (0..20).collect::<Vec<u64>>());
}
