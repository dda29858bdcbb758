//! Suite `batch`: `magvar batch` end to end, as users run it — the release
//! binary, reading a CSV file and writing one, on every core.
//!
//! * `batch-csv-1m-wmm2025`: 1,000,000 rows of `lat,lon,alt,date` (uniform
//!   latitude and longitude, heights 0–10 km, one date), CSV out. On tmpfs
//!   (`/dev/shm`) where there is one, so that the disk does not set the
//!   pace. No peer: no other tool here reads such a file.
//! * `batch-csv-1m-track`: the same points as a track, every row on its own
//!   date (one second apart, from 2025-07-02): what a GPS or flight log is.

use super::{Workload, measure};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const ROWS: usize = 1_000_000;

pub fn run() -> Vec<Workload> {
    let binary = build_cli().unwrap_or_else(|e| panic!("suite batch: {e}"));
    let dir = scratch_dir("batch");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("suite batch: cannot create {}: {e}", dir.display()));
    let workloads = [
        ("batch-csv-1m-wmm2025", DateColumn::One),
        ("batch-csv-1m-track", DateColumn::EverySecond),
    ]
    .into_iter()
    .map(|(name, dates)| {
        let (input, output) = (dir.join("rows.csv"), dir.join("out.csv"));
        std::fs::write(&input, rows_csv(ROWS, dates))
            .unwrap_or_else(|e| panic!("suite batch: cannot write {}: {e}", input.display()));
        let rate = measure(ROWS, Duration::from_secs(3), || {
            let status = Command::new(&binary)
                .args([
                    "batch".as_ref(),
                    input.as_os_str(),
                    "-o".as_ref(),
                    output.as_os_str(),
                ])
                .stderr(Stdio::null())
                .status()
                .unwrap_or_else(|e| panic!("suite batch: cannot run {}: {e}", binary.display()));
            assert!(
                status.success(),
                "suite batch: magvar batch failed: {status}"
            );
        });
        Workload::new("batch", name, "rows", rate, None).on_lane_kernels()
    })
    .collect();
    // Best effort: a leftover scratch directory only costs space.
    let _ = std::fs::remove_dir_all(&dir);
    workloads
}

/// Builds the release `magvar` binary and returns its path, as cargo
/// reports it (whatever the target directory).
pub(super) fn build_cli() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--package",
            "magvar-cli",
            "--bin",
            "magvar",
            "--message-format=json",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo build of magvar-cli failed: {}",
            output.status
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "magvar")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo did not report the magvar executable".to_string())
}

/// A directory of its own for `suite` on tmpfs when the machine has one.
pub(super) fn scratch_dir(suite: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("magvar-bench-{suite}-{}", std::process::id()))
}

/// The dates of a generated file.
#[derive(Clone, Copy)]
enum DateColumn {
    /// Every row on 2026.5.
    One,
    /// Row i at 2025.5 plus i seconds: a track.
    EverySecond,
}

/// `rows` CSV rows from a fixed seed, so every run reads the same file.
fn rows_csv(rows: usize, dates: DateColumn) -> String {
    const SECONDS_PER_YEAR: f64 = 365.25 * 86_400.0;
    let mut unit = super::unit_numbers(0x853C_49E6_748F_EA9B);
    let mut text = String::with_capacity(rows * 40 + 20);
    text.push_str("lat,lon,alt,date\n");
    for i in 0..rows {
        let (lat, lon, alt) = (180.0 * unit() - 90.0, 360.0 * unit() - 180.0, 10.0 * unit());
        let _ = match dates {
            DateColumn::One => writeln!(text, "{lat:.5},{lon:.5},{alt:.3},2026.5"),
            DateColumn::EverySecond => {
                let year = 2025.5 + i as f64 / SECONDS_PER_YEAR;
                writeln!(text, "{lat:.5},{lon:.5},{alt:.3},{year:.9}")
            }
        };
    }
    text
}
