//! Computes the global 0.25° WMM2025 grid (every element and rate) into a
//! reused grid, again and again on one thread, for profilers (`perf
//! record`): the workload `grid-0.25-wmm2025` of `cargo xtask bench
//! model`, which measures it; this only runs it.
//!
//!     cargo run --release -p magvar-core --example quarter_degree_grid [GRIDS]

use magvar_core::{BuiltinModel, Grid, GridSpec};

fn main() {
    let grids: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    let model = BuiltinModel::Wmm2025.model();
    let spec = GridSpec::global(0.25).expect("a valid grid");
    let mut grid = Grid::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let started = std::time::Instant::now();
    pool.install(|| {
        for _ in 0..grids {
            model.grid_into(&mut grid, &spec, 0.0, 2026.5);
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let points = grids * spec.latitude_count() * spec.longitude_count();
    println!(
        "{grids} grids in {seconds:.3} s: {:.1} M points/s, {:.1} ms a grid",
        points as f64 / seconds / 1e6,
        seconds / grids as f64 * 1e3
    );
}
