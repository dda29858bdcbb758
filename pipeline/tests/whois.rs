//! `whois` analysis end to end against whois servers on loopback playing
//! IANA and the registries: referral chains in every form, slow answers,
//! resets, garbage, oversized answers, and a second run from the cache.

mod support;

use flate2::Compression;
use flate2::write::GzEncoder;
use magvar_pipeline::whois::client::ClientConfig;
use magvar_pipeline::whois::parse::Server;
use magvar_pipeline::whois::report::{Format, LOOKUP_FAILED, Report};
use magvar_pipeline::whois::{WhoisConfig, WhoisError, analyse};
use std::collections::HashMap;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use support::{FakeServer, Reply, Rng, log_line};

/// The registries and IANA, wired together by their ports.
struct World {
    iana: FakeServer,
    ripe: FakeServer,
    arin: FakeServer,
    customer: FakeServer,
    lacnic: FakeServer,
    apnic: FakeServer,
    afrinic: FakeServer,
    garbage: FakeServer,
    oversized: FakeServer,
    flaky: FakeServer,
    dead: FakeServer,
    slow: FakeServer,
}

fn text(reply: &str) -> Reply {
    Reply::Text(reply.replace('\n', "\r\n"))
}

impl World {
    fn start() -> World {
        let ripe = FakeServer::start(|query, _| {
            if query.starts_with("193.0.") {
                text(
                    "% RIPE test\n\ninetnum:        193.0.0.0 - 193.0.255.255\nnetname:        RIPE-TEST\ndescr:          test network\norg:            ORG-T1\ncountry:        nl\n\norganisation:   ORG-T1\norg-name:       RIPE NCC Test\n\nroute:          193.0.0.0/16\norigin:         AS3333\n",
                )
            } else if query.starts_with("193.1.") {
                // Slow, but well within the timeout.
                Reply::Slow(
                    Duration::from_millis(100),
                    "inetnum: 193.1.0.0 - 193.1.255.255\r\nnetname: EXAMPLE-HOSTING\r\ndescr: Example Hosting\r\ncountry: DE\r\n".into(),
                )
            } else {
                text("%ERROR:101: no entries found\n")
            }
        });
        let customer = FakeServer::start(|_, _| {
            text("network:  8.9.0.0/16\nOrgName:  Customer Inc\nCountry:  US\n")
        });
        let customer_port = customer.port;
        let arin = FakeServer::start(move |query, _| {
            if query.starts_with("8.8.") {
                text(
                    "NetRange:       8.0.0.0 - 8.255.255.255\nCIDR:           8.0.0.0/8\nNetName:        LVLT-ORG-8-8\nOrgName:        Level 3 Parent, LLC\nCountry:        US\n\nNetRange:       8.8.0.0 - 8.8.255.255\nCIDR:           8.8.0.0/16\nNetName:        GOGL\nOriginAS:       AS15169\nOrgName:        Google LLC\nCountry:        US\nReferralServer: rwhois://rwhois.example.net:4321\n",
                )
            } else {
                text(&format!(
                    "NetRange:       8.9.0.0 - 8.9.255.255\nNetName:        RESELLER\nOrgName:        Reseller LLC\nReferralServer: whois://127.0.0.1:{customer_port}\n"
                ))
            }
        });
        let lacnic = FakeServer::start(|_, _| {
            text(
                "inetnum:     200.3.12/22\nstatus:      allocated\naut-num:     N/A\nowner:       Universidad Test\ncountry:     AR\n",
            )
        });
        let apnic = FakeServer::start(|_, _| {
            text(
                "inet6num:       2001:db8::/32\nnetname:        DOC-V6\ndescr:          APNIC Test\ncountry:        AU\n",
            )
        });
        let afrinic = FakeServer::start(|_, _| {
            text(
                "inetnum:        41.0.0.0 - 41.0.255.255\nnetname:        AFRI-NET\norg-name:       Afri Test\ncountry:        ZA\n",
            )
        });
        let garbage = FakeServer::start(|_, _| {
            Reply::Bytes((0..2000u32).map(|i| (i * 7919 % 251) as u8).collect())
        });
        let oversized = FakeServer::start(|_, _| Reply::Text("descr: padding\r\n".repeat(20_000)));
        let flaky = FakeServer::start(|_, attempt| {
            if attempt < 2 {
                Reply::Reset
            } else {
                text("inetnum: 100.64.0.0 - 100.64.255.255\norg-name: Flaky Org\n")
            }
        });
        let dead = FakeServer::start(|_, _| Reply::Reset);
        let slow = FakeServer::start(|_, attempt| {
            let answer = "inetnum: 192.0.2.0 - 192.0.2.255\r\norg-name: Slow Org\r\n".to_string();
            if attempt == 0 {
                // Longer than the client's timeout: the retry succeeds.
                Reply::Slow(Duration::from_secs(6), answer)
            } else {
                Reply::Text(answer)
            }
        });
        let ports: HashMap<&str, u16> = [
            ("ripe", ripe.port),
            ("arin", arin.port),
            ("lacnic", lacnic.port),
            ("apnic", apnic.port),
            ("afrinic", afrinic.port),
            ("garbage", garbage.port),
            ("oversized", oversized.port),
            ("flaky", flaky.port),
            ("dead", dead.port),
            ("slow", slow.port),
        ]
        .into_iter()
        .collect();
        let iana = FakeServer::start(move |query, _| {
            let p = |name: &str| ports[name];
            let answer = if query.starts_with("193.") {
                format!(
                    "% IANA WHOIS server\n\nrefer:        127.0.0.1:{}\n\ninetnum:      193.0.0.0 - 193.255.255.255\norganisation: RIPE NCC\n",
                    p("ripe")
                )
            } else if query.starts_with("8.") {
                format!(
                    "inetnum:      8.0.0.0 - 8.255.255.255\nwhois:        127.0.0.1:{}\n",
                    p("arin")
                )
            } else if query.starts_with("200.") {
                format!(
                    "refer: 127.0.0.1:{}\ninetnum: 200.0.0.0 - 200.255.255.255\n",
                    p("lacnic")
                )
            } else if query.starts_with("2001:db8:") {
                format!("refer: 127.0.0.1:{}\ninet6num: 2001:db8::/32\n", p("apnic"))
            } else if query.starts_with("41.") {
                format!(
                    "ReferralServer: whois://127.0.0.1:{}/\ninetnum: 41.0.0.0 - 41.255.255.255\n",
                    p("afrinic")
                )
            } else if query.starts_with("203.0.113.") {
                format!("refer: 127.0.0.1:{}\n", p("garbage"))
            } else if query.starts_with("198.51.100.") {
                format!("refer: 127.0.0.1:{}\n", p("oversized"))
            } else if query.starts_with("100.64.") {
                format!("refer: 127.0.0.1:{}\n", p("flaky"))
            } else if query.starts_with("100.65.") {
                format!("refer: 127.0.0.1:{}\n", p("dead"))
            } else if query.starts_with("192.0.2.") {
                format!("refer: 127.0.0.1:{}\n", p("slow"))
            } else {
                "% This query returned 0 objects.\n".to_string()
            };
            text(&answer)
        });
        World {
            iana,
            ripe,
            arin,
            customer,
            lacnic,
            apnic,
            afrinic,
            garbage,
            oversized,
            flaky,
            dead,
            slow,
        }
    }

    fn all(&self) -> [(&'static str, &FakeServer); 12] {
        [
            ("iana", &self.iana),
            ("ripe", &self.ripe),
            ("arin", &self.arin),
            ("customer", &self.customer),
            ("lacnic", &self.lacnic),
            ("apnic", &self.apnic),
            ("afrinic", &self.afrinic),
            ("garbage", &self.garbage),
            ("oversized", &self.oversized),
            ("flaky", &self.flaky),
            ("dead", &self.dead),
            ("slow", &self.slow),
        ]
    }

    fn total_queries(&self) -> usize {
        self.all().iter().map(|(_, s)| s.query_count()).sum()
    }

    fn config(&self, cache: Option<PathBuf>) -> WhoisConfig {
        WhoisConfig {
            workers: 8,
            bootstrap: Server::parse(&self.iana.address()).unwrap(),
            client: ClientConfig {
                timeout: Duration::from_secs(2),
                retries: 2,
                backoff: Duration::from_millis(10),
                per_server: 4,
                politeness: Duration::from_millis(1),
                max_answer_bytes: 64 * 1024,
            },
            cache,
            cache_ttl: Duration::from_secs(3600),
            max_referrals: 5,
        }
    }
}

/// Client addresses of the generated logs, and the organisation each must
/// end up with (`None`: the lookup must fail).
const CLIENTS: &[(&str, Option<&str>)] = &[
    ("193.0.6.139", Some("RIPE NCC Test")),
    ("193.0.10.1", Some("RIPE NCC Test")),
    ("193.0.200.7", Some("RIPE NCC Test")),
    ("193.1.2.3", Some("Example Hosting")),
    ("8.8.8.8", Some("Google LLC")),
    ("8.8.4.4", Some("Google LLC")),
    ("8.9.1.1", Some("Customer Inc")),
    ("200.3.12.9", Some("Universidad Test")),
    ("200.3.15.250", Some("Universidad Test")),
    ("2001:db8::1", Some("APNIC Test")),
    ("2001:db8:0:1::5", Some("APNIC Test")),
    ("41.0.0.7", Some("Afri Test")),
    ("100.64.1.1", Some("Flaky Org")),
    ("192.0.2.44", Some("Slow Org")),
    ("203.0.113.5", None),
    ("198.51.100.9", None),
    ("100.65.0.1", None),
    ("10.1.2.3", None),
];

struct Logs {
    paths: Vec<PathBuf>,
    /// Requests and bytes per client, as generated.
    expected: HashMap<String, (u64, u64)>,
}

/// Two logs from a fixed seed: a plain one with two malformed lines (at
/// lines 10 and 20) and a gzipped one.
fn write_logs(dir: &Path) -> Logs {
    let mut rng = Rng::new(0x5eed_1234);
    let mut expected: HashMap<String, (u64, u64)> = HashMap::new();
    let mut files = Vec::new();
    for (file, lines) in [("access.log", 300), ("access.log.1.gz", 200)] {
        let mut text = String::new();
        for i in 1..=lines {
            if file == "access.log" && i == 10 {
                text.push_str("this is not a log line\n");
                continue;
            }
            if file == "access.log" && i == 20 {
                text.push_str("www.example.com - - [01/Mar/2024:00:00:00 +0000] \"GET /\" 200 1\n");
                continue;
            }
            let (ip, _) = CLIENTS[rng.below(CLIENTS.len() as u64) as usize];
            let line = log_line(&mut rng, ip, i);
            let bytes: u64 = line
                .split('"')
                .nth(2)
                .and_then(|tail| tail.split_whitespace().nth(1))
                .and_then(|b| b.parse().ok())
                .unwrap();
            let entry = expected.entry(ip.to_string()).or_default();
            entry.0 += 1;
            entry.1 += bytes;
            text.push_str(&line);
            text.push('\n');
        }
        let path = dir.join(file);
        if file.ends_with(".gz") {
            let mut gz = GzEncoder::new(Vec::new(), Compression::default());
            gz.write_all(text.as_bytes()).unwrap();
            std::fs::write(&path, gz.finish().unwrap()).unwrap();
        } else {
            std::fs::write(&path, text).unwrap();
        }
        files.push(path);
    }
    Logs {
        paths: files,
        expected,
    }
}

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
        error("10.1.2.3").contains("names no network"),
        "{}",
        error("10.1.2.3")
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
        ["203.0.113.", "198.51.100.", "100.65.", "10."]
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
