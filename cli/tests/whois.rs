//! `magvar whois` end to end: the built binary against whois servers on
//! loopback (IANA-like bootstrap referring to a registry).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// A whois server on 127.0.0.1 answering `reply(query)`; counts queries.
struct Server {
    port: u16,
    queries: Arc<AtomicUsize>,
}

impl Server {
    fn start(reply: impl Fn(&str) -> String + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let queries = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&queries);
        let reply = Arc::new(reply);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let reply = Arc::clone(&reply);
                thread::spawn(move || {
                    let mut query = Vec::new();
                    let mut byte = [0u8; 1];
                    while stream.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
                        query.push(byte[0]);
                    }
                    let query = String::from_utf8_lossy(&query).trim().to_string();
                    let _ = stream.write_all(reply(&query).as_bytes());
                });
            }
        });
        Server { port, queries }
    }

    fn queries(&self) -> usize {
        self.queries.load(Ordering::SeqCst)
    }
}

/// A bootstrap that refers 193/8 to a RIPE-like registry, and that
/// registry. Other addresses get an answer without a network.
fn servers() -> (Server, Server) {
    let ripe = Server::start(|_| {
        "inetnum:  193.0.0.0 - 193.0.255.255\r\nnetname:  TEST-NET\r\ncountry:  NL\r\n\r\norganisation: ORG-T1\r\norg-name: Test Org\r\n\r\nroute: 193.0.0.0/16\r\norigin: AS3333\r\n".to_string()
    });
    let ripe_port = ripe.port;
    let iana = Server::start(move |query| {
        if query.starts_with("193.") {
            format!("refer: 127.0.0.1:{ripe_port}\r\ninetnum: 193.0.0.0 - 193.255.255.255\r\n")
        } else {
            "% no data\r\n".to_string()
        }
    });
    (iana, ripe)
}

fn write_log(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("access.log");
    let lines = [
        "193.0.6.139 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 1000",
        "193.0.7.1 - - [01/Mar/2024:11:00:00 +0000] \"GET /a HTTP/1.1\" 200 500 \"-\" \"curl/8\"",
        "not a log line",
        "193.0.6.139 - - [02/Mar/2024:10:00:00 +0000] \"GET /b HTTP/1.1\" 304 -",
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn magvar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_magvar"))
        .args(args)
        // Whatever a test forgets, the user's own cache stays untouched.
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("magvar runs")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn json_report_then_a_second_run_from_the_cache() {
    let (iana, ripe) = servers();
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(dir.path());
    let cache = dir.path().join("whois.redb");
    let server = format!("127.0.0.1:{}", iana.port);
    let args = [
        "whois",
        log.to_str().unwrap(),
        "--server",
        &server,
        "--cache",
        cache.to_str().unwrap(),
        "--delay-ms",
        "0",
        "--format",
        "json",
    ];
    let first = magvar(&args);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("access.log:3: malformed line"), "{stderr}");
    let report = json(&first);
    assert_eq!(report["malformed_lines"], 1);
    assert_eq!(report["lookups"], 2);
    let organisation = &report["organisations"][0];
    assert_eq!(organisation["organisation"], "Test Org");
    assert_eq!(organisation["networks"][0], "193.0.0.0/16");
    assert_eq!(organisation["requests"], 3);
    assert_eq!(organisation["distinct_ips"], 2);
    assert_eq!(organisation["bytes"], 1500);
    assert_eq!(organisation["first_seen"], "2024-03-01T10:00:00Z");
    assert_eq!(organisation["last_seen"], "2024-03-02T10:00:00Z");
    let address = &report["addresses"][0];
    assert_eq!(address["ip"], "193.0.6.139");
    assert_eq!(address["asn"], 3333);
    assert_eq!(address["country"], "NL");
    assert!(address["error"].is_null());
    assert_eq!((iana.queries(), ripe.queries()), (1, 1));

    let second = magvar(&args);
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(json(&second)["lookups"], 0);
    assert_eq!(
        (iana.queries(), ripe.queries()),
        (1, 1),
        "nothing asked again"
    );
    assert_eq!(json(&second)["organisations"], report["organisations"]);
}

#[test]
fn failed_lookups_stay_in_the_report_and_exit_1() {
    let (iana, _ripe) = servers();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    std::fs::write(
        &log,
        "11.9.8.7 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 10\n",
    )
    .unwrap();
    let out = dir.path().join("report.csv");
    let output = magvar(&[
        "whois",
        log.to_str().unwrap(),
        "--server",
        &format!("127.0.0.1:{}", iana.port),
        "--no-cache",
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("11.9.8.7: "), "{stderr}");
    assert!(stderr.contains("names no network"), "{stderr}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("(lookup failed),,1,1,10,"), "{csv}");
}

#[test]
fn usage_errors_exit_2_and_name_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let log = write_log(dir.path());
    let log = log.to_str().unwrap();
    for (args, needle) in [
        (
            vec!["whois", log, "--server", "host:port:x", "--no-cache"],
            "--server",
        ),
        (
            vec!["whois", log, "--timeout", "0", "--no-cache"],
            "--timeout",
        ),
        // Too long to be a duration: refused, not a panic.
        (
            vec!["whois", log, "--timeout", "1e300", "--no-cache"],
            "--timeout 1e300",
        ),
        (
            vec!["whois", "/nonexistent/access.log", "--no-cache"],
            "/nonexistent/access.log",
        ),
        (
            vec!["whois", log, "--cache", "x.redb", "--no-cache"],
            "--no-cache",
        ),
        (
            vec!["whois", log, "--workers", "0", "--no-cache"],
            "--workers",
        ),
    ] {
        let output = magvar(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    // A cache file that is not a cache is the user's input too.
    let bogus = dir.path().join("bogus.redb");
    std::fs::write(&bogus, "not a database ".repeat(300)).unwrap();
    let output = magvar(&["whois", log, "--cache", bogus.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bogus.redb"), "{stderr}");
}

/// A whois server that takes a while over each answer, so that a run is
/// busy when interrupted: `60.N.x.y` belongs to `Org N`'s `60.N.0.0/16`.
fn slow_server() -> Server {
    Server::start(|query| {
        thread::sleep(std::time::Duration::from_millis(400));
        let block = query.split('.').nth(1).unwrap_or("0");
        format!("inetnum: 60.{block}.0.0 - 60.{block}.255.255\r\norg-name: Org {block}\r\n")
    })
}

/// A log of six requests, one from each of six /16 networks.
fn six_networks_log(dir: &Path) -> std::path::PathBuf {
    let log = dir.join("access.log");
    let lines: Vec<String> = (1..=6)
        .map(|i| format!("60.{i}.1.1 - - [01/Mar/2024:10:00:0{i} +0000] \"GET / HTTP/1.1\" 200 10"))
        .collect();
    std::fs::write(&log, lines.join("\n")).unwrap();
    log
}

/// Runs magvar with `args`, sends it SIGINT once its first query has
/// reached `server`, and waits for it to end.
fn interrupted(server: &Server, args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_magvar"))
        .args(args)
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("magvar starts");
    // The interrupt handler is installed before the first query goes out.
    for _ in 0..3000 {
        if server.queries() > 0 {
            break;
        }
        thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(server.queries() > 0, "no query reached the server");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    child.wait_with_output().expect("magvar ends")
}

#[test]
fn ctrl_c_stops_the_lookups_and_still_reports_every_address() {
    let slow = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let log = six_networks_log(dir.path());
    let output = interrupted(
        &slow,
        &[
            "whois",
            log.to_str().unwrap(),
            "--server",
            &format!("127.0.0.1:{}", slow.port),
            "--no-cache",
            "--workers",
            "1",
            "--delay-ms",
            "0",
            "--format",
            "json",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let report = json(&output);
    let addresses = report["addresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 6, "every address is reported");
    let answered = addresses.iter().filter(|a| a["error"].is_null()).count();
    let interrupted = addresses
        .iter()
        .filter(|a| a["error"] == "not looked up: interrupted")
        .count();
    assert!(
        answered >= 1,
        "the lookup in flight finished: {addresses:?}"
    );
    assert!(interrupted >= 4, "{addresses:?}");
    assert_eq!(answered + interrupted, 6);
    assert!(
        stderr.contains(&format!(
            "magvar: interrupted: whois: read all 6 log lines; looked up {answered} of 6 addresses ({interrupted} reported as not looked up); the partial report ("
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("was written to standard output"),
        "{stderr}"
    );
    assert!(
        stderr.contains("without a cache (--no-cache) a re-run asks about every address again"),
        "{stderr}"
    );
    // Skipped addresses are counted in that message, not listed as failures.
    assert!(!stderr.contains("60.6.1.1"), "{stderr}");
}

#[test]
fn ctrl_c_with_an_output_file_leaves_whole_records_and_a_rerun_resumes_from_the_cache() {
    let slow = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let log = six_networks_log(dir.path());
    let out = dir.path().join("report.csv");
    let cache = dir.path().join("whois.redb");
    let server = format!("127.0.0.1:{}", slow.port);
    let args = [
        "whois",
        log.to_str().unwrap(),
        "--server",
        &server,
        "--cache",
        cache.to_str().unwrap(),
        "--workers",
        "1",
        "--delay-ms",
        "0",
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ];
    let output = interrupted(&slow, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");

    // The file is a whole CSV table: every record complete, the last one
    // ended by its newline.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.ends_with('\n'), "{text:?}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "organisation",
            "networks",
            "requests",
            "distinct_ips",
            "bytes",
            "first_seen",
            "last_seen"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(rows.iter().all(|row| row.len() == 7), "{text}");
    let addresses = |row: &csv::StringRecord| row[3].parse::<usize>().unwrap();
    assert_eq!(rows.iter().map(addresses).sum::<usize>(), 6, "{text}");
    let skipped = rows
        .iter()
        .find(|row| &row[0] == "(lookup failed)")
        .map_or(0, addresses);
    let answered = 6 - skipped;
    assert!(answered >= 1 && skipped >= 1, "{text}");
    assert!(
        stderr.contains(&format!(
            "looked up {answered} of 6 addresses ({skipped} reported as not looked up); the partial report ({} organisations, 6 addresses) was written to {}; a re-run resumes from the cache {}",
            rows.len(),
            out.display(),
            cache.display()
        )),
        "{stderr}"
    );

    // As promised, the re-run asks only about what the first run skipped.
    let asked_before = slow.queries();
    let rerun = magvar(&args);
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    assert_eq!(rerun.status.code(), Some(0), "{stderr}");
    assert_eq!(slow.queries() - asked_before, skipped);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("(lookup failed)"), "{text}");
}
