//! `cargo xtask bench [SUITE…] [--json]`: the one benchmark entry point.
//!
//! Each suite is a module with `pub fn run() -> Vec<Workload>`; register it
//! in [`SUITES`]. Every workload measures magvar and, where one exists, a peer
//! on the same input in the same run, so the ratio is meaningful on any
//! machine.

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
        }
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

/// A named suite: `cargo xtask bench NAME` runs it.
pub struct Suite {
    pub name: &'static str,
    pub run: fn() -> Vec<Workload>,
}

/// Every suite, in the order `cargo xtask bench` (no names) runs them.
/// Add a suite by adding its module above and one line here.
pub const SUITES: &[Suite] = &[];
