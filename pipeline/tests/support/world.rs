//! The loopback whois world of the tests: IANA and registries wired by
//! their ports, the client addresses with the organisation each must get,
//! and two logs generated from a fixed seed.

use super::{FakeServer, Reply, Rng, log_line};
use flate2::Compression;
use flate2::write::GzEncoder;
use magvar_pipeline::whois::WhoisConfig;
use magvar_pipeline::whois::client::ClientConfig;
use magvar_pipeline::whois::parse::Server;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The registries and IANA, wired together by their ports.
pub struct World {
    pub iana: FakeServer,
    pub ripe: FakeServer,
    pub arin: FakeServer,
    pub customer: FakeServer,
    pub lacnic: FakeServer,
    pub apnic: FakeServer,
    pub afrinic: FakeServer,
    pub garbage: FakeServer,
    pub oversized: FakeServer,
    pub flaky: FakeServer,
    pub dead: FakeServer,
    pub slow: FakeServer,
}

fn text(reply: &str) -> Reply {
    Reply::Text(reply.replace('\n', "\r\n"))
}

impl World {
    pub fn start() -> World {
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
                Reply::Slow(Duration::from_secs(12), answer)
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

    pub fn all(&self) -> [(&'static str, &FakeServer); 12] {
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

    pub fn total_queries(&self) -> usize {
        self.all().iter().map(|(_, s)| s.query_count()).sum()
    }

    pub fn config(&self, cache: Option<PathBuf>) -> WhoisConfig {
        WhoisConfig {
            workers: 8,
            bootstrap: Server::parse(&self.iana.address()).unwrap(),
            client: ClientConfig {
                timeout: Duration::from_secs(4),
                retries: 2,
                backoff: Duration::from_millis(10),
                per_server: 4,
                politeness: Duration::from_millis(1),
                max_answer_bytes: 64 * 1024,
                ..ClientConfig::default()
            },
            cache,
            cache_ttl: Duration::from_secs(3600),
            cache_required: true,
            max_referrals: 5,
        }
    }
}

/// Client addresses of the generated logs, and the organisation each must
/// end up with (`None`: the lookup must fail).
pub const CLIENTS: &[(&str, Option<&str>)] = &[
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
    ("11.1.2.3", None),
    // Never asked: answered locally.
    ("192.168.1.20", Some("(private or local address)")),
    ("fe80::1", Some("(private or local address)")),
];

pub struct Logs {
    pub paths: Vec<PathBuf>,
    /// Requests and bytes per client, as generated.
    pub expected: HashMap<String, (u64, u64)>,
}

/// Two logs from a fixed seed: a plain one with two malformed lines (at
/// lines 10 and 20) and a gzipped one.
pub fn write_logs(dir: &Path) -> Logs {
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
