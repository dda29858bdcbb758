//! `cargo xtask bench [SUITE…] [--json]`: the one benchmark entry point.
//!
//! Each suite is a module with `pub fn run() -> Vec<Workload>`; register it
//! in [`SUITES`]. Every workload measures magvar and, where one exists, a peer
//! on the same input in the same run, so the ratio is meaningful on any
//! machine.

pub mod batch;
pub mod machine;
pub mod model;
pub mod pdf;
pub mod pipeline;
pub mod python;

use serde::Serialize;
use std::time::{Duration, Instant};

/// One measured workload, exactly the schema `--json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    pub suite: &'static str,
    pub name: String,
    /// What is counted per second, e.g. "points", "docs", "items".
    pub unit: &'static str,
    pub magvar_per_s: f64,
    pub peer: Option<String>,
    pub peer_per_s: Option<f64>,
    /// magvar_per_s / peer_per_s, or null without a peer.
    pub ratio: Option<f64>,
    /// The lane kernels' instruction set in this run (`portable`, `avx2`,
    /// `avx512`; `MAGVAR_SIMD` forces one), or null for a workload that
    /// does not run them.
    pub simd: Option<&'static str>,
}

impl Workload {
    pub fn new(
        suite: &'static str,
        name: impl Into<String>,
        unit: &'static str,
        magvar_per_s: f64,
        peer: Option<(&str, f64)>,
    ) -> Self {
        Workload {
            suite,
            name: name.into(),
            unit,
            magvar_per_s,
            peer: peer.map(|(name, _)| name.to_string()),
            peer_per_s: peer.map(|(_, rate)| rate),
            ratio: peer.map(|(_, rate)| magvar_per_s / rate),
            simd: None,
        }
    }

    /// Marks a workload that runs magvar-core's lane kernels with the path
    /// they take in this process (a child process started with the same
    /// environment on the same CPU takes the same).
    pub fn on_lane_kernels(mut self) -> Self {
        self.simd = Some(magvar_core::simd_path().name());
        self
    }
}

/// Runs `work` (which processes `items` units) repeatedly for at least
/// `min_time` after one warm-up run, and returns the best rate in units/s.
/// Best-of-N rather than mean: on a shared 2-core machine the minimum time is
/// the least noisy estimate of what the code costs.
pub fn measure(items: usize, min_time: Duration, mut work: impl FnMut()) -> f64 {
    work();
    let start = Instant::now();
    let mut best = f64::INFINITY;
    let mut runs = 0;
    while runs < 3 || start.elapsed() < min_time {
        let t = Instant::now();
        work();
        best = best.min(t.elapsed().as_secs_f64());
        runs += 1;
    }
    items as f64 / best
}

/// Pseudo-random numbers in [0, 1) from a fixed seed (ChaCha8, the
/// tests' source too), so that every run measures the same inputs.
pub fn unit_numbers(seed: u64) -> impl FnMut() -> f64 {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    move || rng.random::<f64>()
}

/// A named suite: `cargo xtask bench NAME` runs it.
pub struct Suite {
    pub name: &'static str,
    pub run: fn() -> Vec<Workload>,
}

/// Every suite, in the order `cargo xtask bench` (no names) runs them.
/// Add a suite by adding its module above and one line here.
pub const SUITES: &[Suite] = &[
    Suite {
        name: "model",
        run: model::run,
    },
    Suite {
        name: "batch",
        run: batch::run,
    },
    Suite {
        name: "pdf",
        run: pdf::run,
    },
    Suite {
        name: "pipeline",
        run: pipeline::run,
    },
    Suite {
        name: "python",
        run: python::run,
    },
    Suite {
        name: "machine",
        run: machine::run,
    },
];

/// Runs the named suites (all when `names` is empty) and prints a table,
/// or one JSON object with `--json`.
pub fn run(names: &[&str], json: bool) -> Result<(), String> {
    let unknown: Vec<&&str> = names
        .iter()
        .filter(|n| !SUITES.iter().any(|s| s.name == **n))
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = SUITES.iter().map(|s| s.name).collect();
        return Err(format!(
            "unknown suite(s) {unknown:?}: expected {}",
            known.join(", ")
        ));
    }
    let mut workloads = Vec::new();
    for suite in SUITES
        .iter()
        .filter(|s| names.is_empty() || names.contains(&s.name))
    {
        if !json {
            eprintln!("running suite {} …", suite.name);
        }
        let results = (suite.run)();
        if !json {
            print_table(&results);
        }
        workloads.extend(results);
    }
    if json {
        let object = serde_json::json!({ "workloads": workloads });
        println!(
            "{}",
            serde_json::to_string_pretty(&object).map_err(|e| e.to_string())?
        );
    }
    Ok(())
}

fn print_table(workloads: &[Workload]) {
    println!(
        "{:<10} {:<28} {:>16} {:<24} {:>16} {:>7} {:<8}",
        "suite", "workload", "magvar/s", "peer", "peer/s", "ratio", "simd"
    );
    for w in workloads {
        let peer_rate = w
            .peer_per_s
            .map(|r| format!("{r:.0}"))
            .unwrap_or_else(|| "-".into());
        let ratio = w
            .ratio
            .map(|r| format!("{r:.2}"))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<10} {:<28} {:>16} {:<24} {:>16} {:>7} {:<8}",
            w.suite,
            w.name,
            format!("{:.0} {}", w.magvar_per_s, w.unit),
            w.peer.as_deref().unwrap_or("-"),
            peer_rate,
            ratio,
            w.simd.unwrap_or("-")
        );
    }
}
