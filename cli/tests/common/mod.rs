//! What the CLI's test files share: running the `magvar` binary with no
//! user settings, and reading what it printed.

#![allow(dead_code)] // each test file uses part of it

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub fn magvar(args: &[&str]) -> Output {
    magvar_with_stdin(args, None)
}

/// Runs `magvar` with `stdin` (or none) and waits for it.
pub fn magvar_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    // An empty config directory, so a developer's own settings cannot leak in.
    let config_home = std::env::temp_dir().join("magvar-cli-tests-empty-config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_magvar"))
        .args(args)
        .env("XDG_CONFIG_HOME", &config_home)
        .env("HOME", &config_home)
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("magvar runs");
    if let Some(text) = stdin {
        let written = child.stdin.take().unwrap().write_all(text.as_bytes());
        // A command refused for its arguments may exit before it reads its
        // input: the pipe is then closed, which is not the test's failure.
        if let Err(error) = written {
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::BrokenPipe,
                "writing magvar's input: {error}"
            );
        }
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}
