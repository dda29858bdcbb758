//! `whois` analysis end to end against whois servers on loopback playing
//! IANA and the registries: referral chains in every form, slow answers,
//! resets, garbage, oversized answers, and a second run from the cache.

mod support;

use magvar_pipeline::whois::client::{Client, ClientConfig, Dns, QueryError};
use magvar_pipeline::whois::parse::Server;
use magvar_pipeline::whois::report::{Format, LOOKUP_FAILED, Report};
use magvar_pipeline::whois::{WhoisConfig, WhoisError, analyse};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;
use support::world::{CLIENTS, World, write_logs};
use support::{FakeServer, Reply, Rng, log_line};

fn run(logs: &[PathBuf], config: &WhoisConfig) -> Report {
    analyse(logs, config, Arc::new(AtomicBool::new(false)), |_, _| {}).expect("analysis runs")
}

#[test]
fn analysis_follows_referrals_survives_bad_servers_and_reuses_the_cache() {
    let world = World::start();
    let dir = tempfile::tempdir().unwrap();
    let logs = write_logs(dir.path());
    let config = world.config(Some(dir.path().join("cache/whois.redb")));
    let report = run(&logs.paths, &config);

    // Every client is in the report exactly once, with its own traffic.
    assert_eq!(report.addresses.len(), logs.expected.len());
    for address in &report.addresses {
        let (requests, bytes) = logs.expected[&address.ip];
        assert_eq!(
            (address.requests, address.bytes),
            (requests, bytes),
            "{}",
            address.ip
        );
        let ip: IpAddr = address.ip.parse().unwrap();
        let (_, organisation) = CLIENTS
            .iter()
            .find(|(c, _)| c.parse::<IpAddr>().unwrap() == ip)
            .unwrap();
        assert_eq!(
            address.organisation.as_deref(),
            *organisation,
            "{}",
            address.ip
        );
        assert_eq!(
            address.error.is_some(),
            organisation.is_none(),
            "{address:?}"
        );
    }
    let by_ip: HashMap<&str, _> = report
        .addresses
        .iter()
        .map(|a| (a.ip.as_str(), a))
        .collect();
    let google = by_ip["8.8.8.8"];
    assert_eq!(google.asn, Some(15169));
    assert_eq!(google.network.as_deref(), Some("8.8.0.0/16"));
    assert_eq!(by_ip["193.0.6.139"].country.as_deref(), Some("NL"));
    assert_eq!(by_ip["193.0.6.139"].asn, Some(3333));
    assert_eq!(
        by_ip["200.3.12.9"].network.as_deref(),
        Some("200.3.12.0/22")
    );
    assert_eq!(
        by_ip["2001:db8::1"].network.as_deref(),
        Some("2001:db8::/32")
    );
    let error = |ip: &str| by_ip[ip].error.clone().unwrap_or_default();
    assert!(
        error("203.0.113.5").contains("names no network"),
        "{}",
        error("203.0.113.5")
    );
    assert!(
        error("198.51.100.9").contains("longer than 65536 bytes"),
        "{}",
        error("198.51.100.9")
    );
    assert!(
        error("100.65.0.1").contains("3 attempt(s)"),
        "{}",
        error("100.65.0.1")
    );
    assert!(
        error("11.1.2.3").contains("names no network")
            && error("11.1.2.3").contains("server said: \"% This query returned 0 objects.\""),
        "{}",
        error("11.1.2.3")
    );

    // Organisations aggregate their addresses and networks.
    let ripe = report
        .organisations
        .iter()
        .find(|o| o.organisation == "RIPE NCC Test")
        .unwrap();
    assert_eq!(ripe.distinct_ips, 3);
    assert_eq!(ripe.networks, ["193.0.0.0/16"]);
    let failed = report
        .organisations
        .iter()
        .find(|o| o.organisation == LOOKUP_FAILED)
        .unwrap();
    assert_eq!(failed.distinct_ips, 4);
    let total: u64 = logs.expected.values().map(|(r, _)| r).sum();
    assert_eq!(
        report.organisations.iter().map(|o| o.requests).sum::<u64>(),
        total
    );
    assert!(ripe.first_seen <= ripe.last_seen && ripe.first_seen.starts_with("2024-03-"));

    // The pipeline's own counters agree with the report.
    let lookup = report.stages.iter().find(|s| s.name == "lookup").unwrap();
    assert_eq!(lookup.items_in, report.addresses.len() as u64);
    assert_eq!(lookup.items_out, report.addresses.len() as u64);
    assert_eq!(lookup.errors, 4);
    assert_eq!(lookup.workers, 8);

    // Malformed lines: counted, located.
    assert_eq!(report.malformed_lines, 2);
    let located: Vec<(String, u64)> = report
        .malformed
        .iter()
        .map(|m| {
            (
                Path::new(&m.file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                m.line,
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            ("access.log".to_string(), 10),
            ("access.log".to_string(), 20)
        ]
    );

    // Nothing was asked twice: one query per network at each registry,
    // retries only where the server failed.
    for (name, expected) in [
        ("ripe", 2),
        ("arin", 2),
        ("customer", 1),
        ("lacnic", 1),
        ("apnic", 1),
        ("afrinic", 1),
        ("flaky", 3),
        ("dead", 3),
        ("slow", 2),
        ("garbage", 1),
        ("oversized", 1),
    ] {
        let server = world.all().into_iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(
            server.query_count(),
            expected,
            "queries to {name}: {:?}",
            server.queries()
        );
    }
    // At most one bootstrap query per neighbourhood (/16, /32).
    assert!(world.iana.query_count() <= 14, "{:?}", world.iana.queries());
    assert_eq!(report.lookups as usize, world.total_queries());

    // JSON has exactly the documented keys.
    let mut json = Vec::new();
    report.write(Format::Json, &mut json).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let keys = |v: &serde_json::Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&value),
        ["addresses", "lookups", "malformed_lines", "organisations"]
    );
    assert_eq!(
        keys(&value["organisations"][0]),
        [
            "bytes",
            "distinct_ips",
            "first_seen",
            "last_seen",
            "networks",
            "organisation",
            "requests"
        ]
    );
    assert_eq!(
        keys(&value["addresses"][0]),
        [
            "asn",
            "bytes",
            "country",
            "error",
            "ip",
            "network",
            "organisation",
            "requests"
        ]
    );

    // Second run over the same logs: answered networks come from the cache,
    // only the failures are asked again.
    for (_, server) in world.all() {
        server.reset_counts();
    }
    let again = run(&logs.paths, &config);
    for name in [
        "ripe", "arin", "customer", "lacnic", "apnic", "afrinic", "flaky", "slow",
    ] {
        let server = world.all().into_iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(
            server.query_count(),
            0,
            "{name} asked again: {:?}",
            server.queries()
        );
    }
    assert!(world.iana.queries().iter().all(|q| {
        ["203.0.113.", "198.51.100.", "100.65.", "11."]
            .iter()
            .any(|p| q.starts_with(p))
    }));
    assert_eq!(again.lookups as usize, world.total_queries());
    let summary = |r: &Report| {
        let mut rows: Vec<_> = r
            .organisations
            .iter()
            .map(|o| (o.organisation.clone(), o.requests, o.distinct_ips, o.bytes))
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(summary(&again), summary(&report));
}

#[test]
fn a_bootstrap_referral_sends_the_rest_of_its_block_straight_to_the_registry() {
    let world = World::start();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    let mut rng = Rng::new(7);
    let lines: Vec<String> = ["193.0.0.1", "193.1.0.1", "193.0.0.2"]
        .iter()
        .enumerate()
        .map(|(i, ip)| log_line(&mut rng, ip, i))
        .collect();
    std::fs::write(&log, lines.join("\n")).unwrap();
    let mut config = world.config(None);
    // One worker: the second /16 is looked up after the first is answered.
    config.workers = 1;
    let report = run(&[log], &config);
    assert!(
        report.addresses.iter().all(|a| a.error.is_none()),
        "{:?}",
        report.addresses
    );
    assert_eq!(world.iana.query_count(), 1, "{:?}", world.iana.queries());
    assert_eq!(world.ripe.query_count(), 2);
    assert_eq!(report.lookups, 3);
}

#[test]
fn the_per_server_limit_holds_under_many_workers() {
    let registry = FakeServer::start(|query, _| {
        let block: u8 = query
            .split('.')
            .nth(1)
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        Reply::Slow(
            Duration::from_millis(50),
            format!("inetnum: 60.{block}.0.0 - 60.{block}.255.255\r\norg-name: Org {block}\r\n"),
        )
    });
    // The registry is its own bootstrap here: no referrals.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    let mut rng = Rng::new(11);
    let lines: Vec<String> = (0..24)
        .map(|i| log_line(&mut rng, &format!("60.{i}.1.1"), i))
        .collect();
    std::fs::write(&log, lines.join("\n")).unwrap();
    let config = WhoisConfig {
        workers: 12,
        bootstrap: Server::parse(&registry.address()).unwrap(),
        client: ClientConfig {
            per_server: 2,
            politeness: Duration::ZERO,
            ..ClientConfig::default()
        },
        cache: None,
        ..WhoisConfig::default()
    };
    let report = run(&[log], &config);
    assert_eq!(report.addresses.len(), 24);
    assert!(report.addresses.iter().all(|a| a.error.is_none()));
    assert_eq!(registry.query_count(), 24);
    assert!(
        registry.max_in_flight() <= 2,
        "{} at once",
        registry.max_in_flight()
    );
}

#[test]
fn an_interrupted_run_reports_every_address() {
    let world = World::start();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    let mut rng = Rng::new(3);
    let clients = [
        "193.0.0.1",
        "8.8.8.8",
        "41.0.0.1",
        "200.3.12.1",
        "2001:db8::9",
    ];
    let lines: Vec<String> = clients
        .iter()
        .enumerate()
        .map(|(i, ip)| log_line(&mut rng, ip, i))
        .collect();
    std::fs::write(&log, lines.join("\n")).unwrap();
    let mut config = world.config(None);
    config.workers = 1;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let report = analyse(&[log], &config, stop, |done, total| {
        assert_eq!(total, 5);
        if done == 1 {
            flag.store(true, Ordering::SeqCst);
        }
    })
    .expect("an interruption is not an error");
    assert_eq!(report.addresses.len(), 5);
    let answered = report
        .addresses
        .iter()
        .filter(|a| a.error.is_none())
        .count();
    let interrupted = report
        .addresses
        .iter()
        .filter(|a| a.error.as_deref() == Some("not looked up: interrupted"))
        .count();
    assert!(answered >= 1);
    assert!(interrupted >= 3, "{:?}", report.addresses);
    assert_eq!(answered + interrupted, 5);
    assert!(report.interrupted);
}

#[test]
fn an_unreadable_log_is_an_error_naming_it() {
    let missing = PathBuf::from("/nonexistent/magvar/access.log");
    let config = WhoisConfig {
        cache: None,
        ..WhoisConfig::default()
    };
    let error = analyse(
        &[missing],
        &config,
        Arc::new(AtomicBool::new(false)),
        |_, _| {},
    )
    .expect_err("missing log");
    assert!(matches!(error, WhoisError::Log(_)));
    assert!(
        error.to_string().contains("/nonexistent/magvar/access.log"),
        "{error}"
    );
}

#[test]
fn text_and_csv_renderings() {
    let world = World::start();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    let mut rng = Rng::new(5);
    let lines: Vec<String> = ["8.8.8.8", "8.8.8.8", "203.0.113.5"]
        .iter()
        .enumerate()
        .map(|(i, ip)| log_line(&mut rng, ip, i))
        .collect();
    std::fs::write(&log, lines.join("\n")).unwrap();
    let report = run(&[log], &world.config(None));
    let mut text = Vec::new();
    report.write(Format::Text, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("Google LLC"), "{text}");
    assert!(text.contains("8.8.0.0/16"), "{text}");
    assert!(text.contains("AS15169"), "{text}");
    assert!(text.contains("Lookups that failed (1)"), "{text}");
    assert!(text.contains("3 requests from 2 addresses"), "{text}");
    let mut csv = Vec::new();
    report.write(Format::Csv, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("organisation,networks,requests,distinct_ips,bytes,first_seen,last_seen")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Google LLC,8.8.0.0/16,2,1,"),
        "{csv}"
    );
}

#[test]
fn an_unusable_cache_fails_only_when_required() {
    let world = World::start();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    let mut rng = Rng::new(9);
    std::fs::write(&log, log_line(&mut rng, "8.8.8.8", 0)).unwrap();
    let not_a_cache = dir.path().join("notes.redb");
    std::fs::write(&not_a_cache, "plain text, not a database ".repeat(100)).unwrap();
    let mut config = world.config(Some(not_a_cache));
    let error = analyse(
        std::slice::from_ref(&log),
        &config,
        Arc::new(AtomicBool::new(false)),
        |_, _| {},
    )
    .expect_err("a required cache must open");
    assert!(matches!(error, WhoisError::Cache(_)));
    assert!(error.to_string().contains("notes.redb"), "{error}");
    config.cache_required = false;
    let report = run(&[log], &config);
    assert_eq!(
        report.addresses[0].organisation.as_deref(),
        Some("Google LLC")
    );
    assert_eq!(report.cache_errors.len(), 1);
    assert!(report.cache_errors[0].contains("going on without the cache"));
}

/// Runs `test` on a thread and fails if it has not finished in a minute:
/// generous enough for a loaded machine, and it only catches hangs.
fn no_hang<R: Send + 'static>(test: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = tx.send(test());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(worker.join().expect_err("test thread panicked"))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the lookup hung"),
    }
}

/// A resolver for the tests: names in `known` are on loopback, names
/// starting with `hangs.` block until the test drops the sender of `hang`,
/// and any other name does not exist.
#[derive(Debug)]
struct TestDns {
    known: HashMap<String, u16>,
    hang: Mutex<mpsc::Receiver<()>>,
    calls: AtomicUsize,
}

impl TestDns {
    fn new(known: &[(&str, u16)]) -> (Arc<TestDns>, mpsc::Sender<()>) {
        let (release, hang) = mpsc::channel();
        let dns = TestDns {
            known: known.iter().map(|&(n, p)| (n.to_string(), p)).collect(),
            hang: Mutex::new(hang),
            calls: AtomicUsize::new(0),
        };
        (Arc::new(dns), release)
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Dns for TestDns {
    fn resolve(&self, host: &str, _port: u16) -> std::io::Result<Vec<SocketAddr>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if host.starts_with("hangs.") {
            // Returns only when the test ends and drops the sender.
            let _ = self.hang.lock().unwrap().recv();
            return Err(std::io::Error::other("released"));
        }
        match self.known.get(host) {
            // The port of the fake server, not the one asked for (43).
            Some(&port) => Ok(vec![SocketAddr::from((Ipv4Addr::LOCALHOST, port))]),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such host",
            )),
        }
    }
}

fn client_with(dns: &Arc<TestDns>, timeout: Duration, retries: u32) -> Client {
    Client::new(ClientConfig {
        timeout,
        retries,
        backoff: Duration::from_millis(10),
        politeness: Duration::ZERO,
        dns: Arc::clone(dns) as Arc<dyn Dns>,
        ..ClientConfig::default()
    })
}

#[test]
fn a_resolver_that_never_answers_costs_a_query_its_timeout_not_forever() {
    let (dns, release) = TestDns::new(&[]);
    let client = client_with(&dns, Duration::from_millis(200), 2);
    let server = Server::parse("hangs.whois.test").unwrap();
    let result = no_hang(move || {
        let result = client.query(&server, "192.0.2.1");
        (result, client.queries_sent())
    });
    match result {
        (
            Err(QueryError::Network {
                server,
                message,
                attempts,
            }),
            sent,
        ) => {
            assert_eq!(server, "hangs.whois.test:43");
            assert!(
                message.contains("resolving hangs.whois.test: timed out"),
                "{message}"
            );
            assert_eq!(
                attempts, 3,
                "a resolver timeout is retried like a connect timeout"
            );
            assert_eq!(sent, 0, "no query reached a server");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    // The retries waited for the resolution already under way instead of
    // starting (and leaving behind) a blocked thread each.
    assert_eq!(dns.calls(), 1);
    drop(release);
}

#[test]
fn server_names_go_through_the_given_resolver() {
    let registry = FakeServer::start(|_, _| {
        Reply::Text("inetnum: 60.1.0.0 - 60.1.255.255\r\norg-name: Named Org\r\n".into())
    });
    let (dns, _release) = TestDns::new(&[("registry.whois.test", registry.port)]);
    let client = Arc::new(client_with(&dns, Duration::from_secs(5), 2));
    let answer = no_hang({
        let client = Arc::clone(&client);
        let named = Server::parse("registry.whois.test").unwrap();
        move || client.query(&named, "60.1.1.1")
    })
    .expect("answered through the resolver");
    assert!(answer.contains("Named Org"), "{answer}");
    assert_eq!(registry.queries(), ["60.1.1.1"]);
    // A name that does not exist fails at once, naming the server: retrying
    // would not make it exist.
    let missing = Server::parse("missing.whois.test:4343").unwrap();
    let error = client.query(&missing, "60.1.1.1").unwrap_err();
    assert_eq!(
        error,
        QueryError::Resolve {
            server: "missing.whois.test:4343".into(),
            message: "no such host".into()
        }
    );
    assert_eq!(
        error.to_string(),
        "missing.whois.test:4343: cannot resolve host: no such host"
    );
    assert_eq!(dns.calls(), 2);
    // An address is not a name: the resolver is not asked.
    let by_address = Server::parse(&registry.address()).unwrap();
    client.query(&by_address, "60.1.1.2").expect("answered");
    assert_eq!(dns.calls(), 2);
}
