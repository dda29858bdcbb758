//! Ctrl-C (SIGINT) during `magvar batch -o FILE`: the output ends on a
//! whole row, and the message says how many rows were written and the
//! input line to resume from; the exit status is 130.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `rows` CSV rows `id,lat,lon` numbered from `first`.
fn rows(first: usize, rows: usize) -> String {
    let mut text = String::new();
    for id in first..first + rows {
        let lat = (id % 170) as f64 - 85.0 + 0.25;
        let lon = (id % 359) as f64 - 179.0 + 0.5;
        text.push_str(&format!("{id},{lat},{lon}\n"));
    }
    text
}

#[test]
fn sigint_during_batch_writes_whole_rows_and_says_where_to_resume() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let config_home = dir.path().join("config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_magvar"))
        .args(["batch", "-", "--model", "wmm2025", "--date", "2026.5", "-o"])
        .arg(&out)
        .env("XDG_CONFIG_HOME", &config_home)
        .env("HOME", &config_home)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("magvar runs");
    // The input comes through a pipe held open: the run cannot end by
    // itself before the signal. After it, far more rows follow than one
    // block, so a run that ignored the signal would write them all.
    let (first_part, rest) = (20_000, 200_000);
    let (go_on, resume) = std::sync::mpsc::channel::<()>();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        stdin.write_all(b"id,lat,lon\n")?;
        stdin.write_all(rows(1, first_part).as_bytes())?;
        stdin.flush()?;
        let _ = resume.recv();
        // Fails with a broken pipe once magvar has stopped reading and exited.
        stdin.write_all(rows(first_part + 1, rest).as_bytes())
    });
    // Wait for output rows, so the signal comes in the middle of the run.
    let started = Instant::now();
    while std::fs::read(&out).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count()) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no output rows"
        );
        assert!(child.try_wait().unwrap().is_none(), "magvar ended early");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    go_on.send(()).unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("magvar did not stop after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");

    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.ends_with('\n'), "the file ends on a whole row");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let width = reader.headers().unwrap().len();
    let mut ids = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(record.len(), width, "a whole row: {record:?}");
        assert_eq!(&record[record.len() - 1], "", "no error: {record:?}");
        ids.push(record[0].parse::<usize>().unwrap());
    }
    let written = ids.len();
    assert!(
        written >= 1 && written < first_part + rest,
        "{written} rows"
    );
    assert!(
        ids.iter().enumerate().all(|(i, &id)| id == i + 1),
        "rows in input order, none missing"
    );
    // The header is line 1, so row k is line k + 1: resume after the last.
    let expected = format!(
        "magvar: interrupted: {written} row(s) written to {}, each whole; <stdin> was read up to line {}: resume from input line {}\n",
        out.display(),
        written + 1,
        written + 2
    );
    assert!(stderr.ends_with(&expected), "{stderr}");
}
