//! Suite `python`: the Python package (`python/`) against the Python
//! packages people use for the field today — NOAA's `wmm-calculator`,
//! `ppigrf` and `pygeomag` — on the same random points in one process.
//!
//! The suite makes a virtual environment in `target/bench-python` (once),
//! installs the peers from PyPI and magvar from `python/` (rebuilt each
//! run, release), and runs `python_bench.py` there, which prints one JSON
//! line a workload:
//!
//! * `python-1m-vs-<peer>`: 1,000,000 random points, WMM2025, every element
//!   and rate, numpy arrays in and out, against each peer;
//! * `python-1m-vs-fastest`: the same against the fastest peer (goal ≥ 100×);
//! * `python-one-call-a-point`: `magvar.field` with scalars in a Python
//!   loop, against pygeomag's one call a point (goal ≥ 10×).

use super::Workload;
use std::path::Path;
use std::process::Command;

const PEERS: [&str; 4] = [
    "numpy",
    "wmm-calculator==1.4.4",
    "ppigrf==2.1.0",
    "pygeomag",
];

pub fn run() -> Vec<Workload> {
    let root = crate::workspace_root();
    let venv = root.join("target").join("bench-python");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        run_or_panic(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        pip(&python, &PEERS.map(String::from));
    }
    pip(&python, &[root.join("python").display().to_string()]);
    let script = root.join("xtask/src/bench/python_bench.py");
    // From the workspace root: `import magvar` must be the installed
    // package, not the source folder without its extension.
    let output = Command::new(&python)
        .arg(&script)
        .current_dir(&root)
        .output()
        .unwrap_or_else(|e| panic!("suite python: cannot run {}: {e}", python.display()));
    assert!(
        output.status.success(),
        "suite python: {} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("suite python: {line}: {e}"));
            let name = v["name"].as_str().unwrap_or_default().to_string();
            let peer = v["peer"].as_str().zip(v["peer_per_s"].as_f64());
            Workload::new(
                "python",
                name,
                "points",
                v["magvar_per_s"].as_f64().unwrap_or(0.0),
                peer,
            )
            .on_lane_kernels()
        })
        .collect()
}

fn pip(python: &Path, packages: &[String]) {
    run_or_panic(
        Command::new(python)
            .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
            .args(packages),
    );
}

fn run_or_panic(command: &mut Command) {
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("suite python: cannot run {command:?}: {e}"));
    assert!(
        status.success(),
        "suite python: {command:?} failed: {status}"
    );
}
