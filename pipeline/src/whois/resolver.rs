//! One address to one answer, asking as little as possible: answers
//! already known (this run or the cache) are reused, bootstrap referrals
//! send later addresses of the same block straight to the registry, and an
//! address whose neighbourhood is being looked up waits for that answer.

use super::cache::{Answer, Cache, Cached};
use super::client::{Client, ClientConfig, QueryError};
use super::net::{Network, neighbourhood};
use super::parse::{Parsed, Referral, Server, parse_answer};
use crate::runtime::lock;
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};

/// Why an address has no answer. Kept with the address in the report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{server}: the answer names no network for this address{note}")]
    NoNetwork { server: String, note: String },
    #[error("more than {0} referrals")]
    TooManyReferrals(usize),
    #[error("not looked up: interrupted")]
    Interrupted,
}

pub struct Resolver {
    client: Client,
    bootstrap: Server,
    max_referrals: usize,
    known: RwLock<Vec<Arc<Answer>>>,
    /// Blocks named by the bootstrap server, and the registry it sent us to.
    referrals: RwLock<Vec<(Network, Server)>>,
    /// Neighbourhoods with a lookup in flight.
    in_flight: Mutex<HashSet<Network>>,
    lookup_done: Condvar,
    cache: Option<Cache>,
    cache_errors: Mutex<Vec<String>>,
    stop: Arc<AtomicBool>,
}

/// Removes a neighbourhood from the in-flight set when its lookup ends,
/// even by a panic, so that waiters never wait for nothing.
struct InFlight<'a> {
    resolver: &'a Resolver,
    key: Network,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        lock(&self.resolver.in_flight).remove(&self.key);
        self.resolver.lookup_done.notify_all();
    }
}

/// The smallest network in `list` holding `ip`.
fn smallest<T>(list: &[T], network: impl Fn(&T) -> Network, ip: IpAddr) -> Option<&T> {
    list.iter()
        .filter(|item| network(item).contains(ip))
        .min_by_key(|item| network(item).span())
}

impl Resolver {
    pub fn new(
        bootstrap: Server,
        client: ClientConfig,
        max_referrals: usize,
        cache: Option<Cache>,
        cached: Cached,
        stop: Arc<AtomicBool>,
    ) -> Self {
        Resolver {
            client: Client::new(client),
            bootstrap,
            max_referrals,
            known: RwLock::new(cached.answers.into_iter().map(Arc::new).collect()),
            referrals: RwLock::new(cached.referrals),
            in_flight: Mutex::new(HashSet::new()),
            lookup_done: Condvar::new(),
            cache,
            cache_errors: Mutex::new(Vec::new()),
            stop,
        }
    }

    /// Queries sent to whois servers so far.
    pub fn queries_sent(&self) -> u64 {
        self.client.queries_sent()
    }

    /// Problems writing the cache (the lookups themselves succeeded).
    pub fn cache_errors(&self) -> Vec<String> {
        lock(&self.cache_errors).clone()
    }

    fn known_for(&self, ip: IpAddr) -> Option<Arc<Answer>> {
        let known = self.known.read().unwrap_or_else(|p| p.into_inner());
        smallest(&known, |a| a.network, ip).cloned()
    }

    fn registry_for(&self, ip: IpAddr) -> Option<Server> {
        let referrals = self.referrals.read().unwrap_or_else(|p| p.into_inner());
        smallest(&referrals, |(block, _)| *block, ip).map(|(_, server)| server.clone())
    }

    fn note_cache_error(&self, error: impl ToString) {
        let mut errors = lock(&self.cache_errors);
        let error = error.to_string();
        if !errors.contains(&error) {
            errors.push(error);
        }
    }

    /// The answer for `ip`, from memory or by asking.
    pub fn resolve(&self, ip: IpAddr) -> Result<Arc<Answer>, LookupError> {
        if let Some(answer) = local_answer(ip) {
            return Ok(Arc::new(answer));
        }
        let key = neighbourhood(ip);
        let mut in_flight = lock(&self.in_flight);
        loop {
            // Checked under the in-flight lock: a finished lookup records
            // its answer before leaving the set, so no answer slips by.
            if let Some(answer) = self.known_for(ip) {
                return Ok(answer);
            }
            if self.stop.load(Ordering::Relaxed) {
                return Err(LookupError::Interrupted);
            }
            if !in_flight.contains(&key) {
                break;
            }
            in_flight = self
                .lookup_done
                .wait(in_flight)
                .unwrap_or_else(|p| p.into_inner());
        }
        in_flight.insert(key);
        drop(in_flight);
        let _guard = InFlight {
            resolver: self,
            key,
        };
        let answer = Arc::new(self.ask(ip)?);
        if let Some(cache) = &self.cache
            && let Err(error) = cache.store_answer(&answer)
        {
            self.note_cache_error(error);
        }
        self.known
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::clone(&answer));
        Ok(answer)
    }

    /// Follows referrals from the best known starting server to an answer.
    fn ask(&self, ip: IpAddr) -> Result<Answer, LookupError> {
        let query = ip.to_string();
        let mut server = self
            .registry_for(ip)
            .unwrap_or_else(|| self.bootstrap.clone());
        let mut visited = HashSet::new();
        // A registry answer that referred further on (ARIN to a customer's
        // server): the fallback if the next hop fails or says nothing.
        let mut fallback: Option<(Network, Parsed, Server)> = None;
        let mut note = String::new();
        for _ in 0..=self.max_referrals {
            visited.insert(server.clone());
            let text = match self.client.query(&server, &query) {
                Ok(text) => text,
                Err(error) => {
                    return match fallback {
                        Some((network, parsed, from)) => Ok(answer_from(network, parsed, &from)),
                        None => Err(error.into()),
                    };
                }
            };
            let parsed = parse_answer(&text, ip);
            let from_bootstrap = server == self.bootstrap;
            match &parsed.referral {
                Some(Referral::Whois(next)) if !visited.contains(next) => {
                    let next = next.clone();
                    if from_bootstrap {
                        if let Some(block) = parsed.network {
                            self.remember_referral(block, &next);
                        }
                    } else if let Some(network) = parsed.network {
                        fallback = Some((network, parsed, server));
                    }
                    server = next;
                    continue;
                }
                Some(Referral::Rwhois(url)) => {
                    note = format!(" (rwhois referral {url} not followed)");
                }
                _ => {}
            }
            if let Some(network) = parsed.network {
                return Ok(answer_from(network, parsed, &server));
            }
            if note.is_empty() {
                note = said(&text);
            }
            return match fallback {
                Some((network, parsed, from)) => Ok(answer_from(network, parsed, &from)),
                None => Err(LookupError::NoNetwork {
                    server: server.to_string(),
                    note,
                }),
            };
        }
        match fallback {
            Some((network, parsed, from)) => Ok(answer_from(network, parsed, &from)),
            None => Err(LookupError::TooManyReferrals(self.max_referrals)),
        }
    }

    fn remember_referral(&self, block: Network, registry: &Server) {
        if let Some(cache) = &self.cache
            && let Err(error) = cache.store_referral(block, registry)
        {
            self.note_cache_error(error);
        }
        self.referrals
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push((block, registry.clone()));
    }
}

/// Organisation shown for addresses that never leave a site.
pub const LOCAL_ORGANISATION: &str = "(private or local address)";

/// Loopback, private, link-local and unique-local addresses (load
/// balancers' health checks, internal clients) are answered without asking:
/// no registry knows who uses them.
fn local_answer(ip: IpAddr) -> Option<Answer> {
    const LOCAL_BLOCKS: &[&str] = &[
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "0.0.0.0/8",
        "::1/128",
        "::/128",
        "fc00::/7",
        "fe80::/10",
    ];
    let network = LOCAL_BLOCKS
        .iter()
        .filter_map(|block| Network::parse(block))
        .find(|network| network.contains(ip))?;
    Some(Answer {
        network,
        organisation: Some(LOCAL_ORGANISATION.to_string()),
        netname: None,
        country: None,
        asn: None,
        server: "local".to_string(),
    })
}

/// The first line of an answer that names no network, for the error
/// message: it is often the reason ("access denied", "no entries found").
/// Control characters are replaced so that garbage cannot mess up a
/// terminal.
fn said(text: &str) -> String {
    let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return " (empty answer)".to_string();
    };
    let mut shown: String = line
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if line.chars().count() > 80 {
        shown.push('…');
    }
    format!(" (server said: {shown:?})")
}

fn answer_from(network: Network, parsed: Parsed, server: &Server) -> Answer {
    Answer {
        network,
        organisation: parsed.organisation,
        netname: parsed.netname,
        country: parsed.country,
        asn: parsed.asn,
        server: server.to_string(),
    }
}
