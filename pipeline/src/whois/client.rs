//! RFC 3912 whois over TCP: send the query and CRLF, read until the server
//! closes. Around it: timeouts (name resolution included), a size limit,
//! retries with backoff after a reset, and per-server politeness (a
//! concurrency limit and a delay between queries) because registries
//! rate-limit.

use super::parse::Server;
use crate::runtime::lock;
use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Turns a whois server's host name into socket addresses.
///
/// The client calls it on a thread of its own and waits at most its
/// timeout, so an implementation may block: the system's resolver can take
/// minutes to give up on an unreachable name server, and has no timeout of
/// its own to pass.
pub trait Dns: Send + Sync + std::fmt::Debug {
    fn resolve(&self, host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>>;
}

/// The operating system's resolver (`getaddrinfo`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemDns;

impl Dns for SystemDns {
    fn resolve(&self, host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
        Ok((host, port).to_socket_addrs()?.collect())
    }
}

/// How the client treats servers. The defaults are polite to real
/// registries; tests shorten them.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Limit for resolving a server's name, for connecting, and for each
    /// read or write.
    pub timeout: Duration,
    /// Further attempts after a reset, refusal or timeout.
    pub retries: u32,
    /// Wait before the first retry; doubled for each next one.
    pub backoff: Duration,
    /// Queries in flight to one server at most.
    pub per_server: usize,
    /// Pause between the starts of two queries to the same server.
    pub politeness: Duration,
    /// Answers longer than this are refused (a real one is a few KiB).
    pub max_answer_bytes: usize,
    /// Resolves server names; not asked about servers given as addresses.
    pub dns: Arc<dyn Dns>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(250),
            per_server: 4,
            politeness: Duration::from_millis(50),
            max_answer_bytes: 1 << 20,
            dns: Arc::new(SystemDns),
        }
    }
}

/// Why a query got no answer.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("{server}: {message} (after {attempts} attempt(s))")]
    Network {
        server: String,
        message: String,
        attempts: u32,
    },
    #[error("{server}: answer longer than {limit} bytes")]
    TooLong { server: String, limit: usize },
    #[error("{server}: cannot resolve host: {message}")]
    Resolve { server: String, message: String },
}

/// Per-server gate: a counting limit and the time of the last start.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

#[derive(Default)]
struct GateState {
    in_flight: usize,
    next_start: Option<Instant>,
}

/// One name being resolved, and its outcome once known.
#[derive(Default)]
struct Resolution {
    outcome: Mutex<Option<Result<Vec<SocketAddr>, String>>>,
    done: Condvar,
}

/// Names being resolved. A query for a name already being resolved waits
/// for that resolution instead of starting another, so a resolver that
/// hangs holds one thread per name, not one per query and retry.
type Resolving = Arc<Mutex<HashMap<Server, Arc<Resolution>>>>;

/// A whois client shared by every lookup worker.
pub struct Client {
    config: ClientConfig,
    gates: Mutex<HashMap<Server, Arc<Gate>>>,
    resolving: Resolving,
    queries_sent: AtomicU64,
}

/// Releases the gate's slot when the query ends, however it ends.
struct Slot<'a>(&'a Gate);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        lock(&self.0.state).in_flight -= 1;
        self.0.changed.notify_all();
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Self {
        Client {
            config,
            gates: Mutex::new(HashMap::new()),
            resolving: Arc::default(),
            queries_sent: AtomicU64::new(0),
        }
    }

    /// Queries sent so far (every attempt counts: each one reaches a server).
    pub fn queries_sent(&self) -> u64 {
        self.queries_sent.load(Ordering::Relaxed)
    }

    fn gate(&self, server: &Server) -> Arc<Gate> {
        Arc::clone(lock(&self.gates).entry(server.clone()).or_default())
    }

    /// Waits for a free slot and for the politeness delay, then takes both.
    fn enter<'a>(&self, gate: &'a Gate) -> Slot<'a> {
        let mut state = lock(&gate.state);
        loop {
            if state.in_flight < self.config.per_server.max(1) {
                let now = Instant::now();
                match state.next_start {
                    Some(at) if at > now => {
                        let (next, _) = gate
                            .changed
                            .wait_timeout(state, at - now)
                            .unwrap_or_else(|p| p.into_inner());
                        state = next;
                        continue;
                    }
                    _ => {
                        state.in_flight += 1;
                        state.next_start = Some(now + self.config.politeness);
                        return Slot(gate);
                    }
                }
            }
            state = gate.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Asks `server` about `query`, retrying after resets and timeouts.
    pub fn query(&self, server: &Server, query: &str) -> Result<String, QueryError> {
        let gate = self.gate(server);
        let mut backoff = self.config.backoff;
        let mut attempts = 0;
        loop {
            attempts += 1;
            // Resolved outside the gate: waiting for a name is not a query,
            // and holds no slot another query to the server could use.
            let outcome = self.addresses(server).and_then(|addresses| {
                let _slot = self.enter(&gate);
                self.queries_sent.fetch_add(1, Ordering::Relaxed);
                self.attempt(server, &addresses, query)
            });
            match outcome {
                Ok(answer) => return Ok(answer),
                Err(Attempt::Fatal(error)) => return Err(error),
                Err(Attempt::Transient(message)) if attempts > self.config.retries => {
                    return Err(QueryError::Network {
                        server: server.to_string(),
                        message,
                        attempts,
                    });
                }
                Err(Attempt::Transient(_)) => {
                    std::thread::sleep(backoff);
                    backoff = backoff.saturating_mul(2);
                }
            }
        }
    }

    /// The addresses of `server`, waiting at most the timeout for its name
    /// to resolve.
    fn addresses(&self, server: &Server) -> Result<Vec<SocketAddr>, Attempt> {
        let resolve_error = |message: String| {
            Attempt::Fatal(QueryError::Resolve {
                server: server.to_string(),
                message,
            })
        };
        if let Ok(ip) = server.host.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, server.port)]);
        }
        let resolution = {
            let mut resolving = lock(&self.resolving);
            match resolving.get(server) {
                Some(resolution) => Arc::clone(resolution),
                None => {
                    let resolution = Arc::new(Resolution::default());
                    resolving.insert(server.clone(), Arc::clone(&resolution));
                    drop(resolving);
                    self.start_resolving(server, &resolution);
                    resolution
                }
            }
        };
        // None: a timeout too long to add to the clock, i.e. no limit.
        let deadline = Instant::now().checked_add(self.config.timeout);
        let mut outcome = lock(&resolution.outcome);
        loop {
            match &*outcome {
                Some(Ok(addresses)) if addresses.is_empty() => {
                    return Err(resolve_error("no address".to_string()));
                }
                Some(Ok(addresses)) => return Ok(addresses.clone()),
                Some(Err(message)) => return Err(resolve_error(message.clone())),
                None => {}
            }
            outcome = match deadline {
                None => resolution
                    .done
                    .wait(outcome)
                    .unwrap_or_else(|p| p.into_inner()),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Attempt::Transient(format!(
                            "resolving {}: timed out after {:?}",
                            server.host, self.config.timeout
                        )));
                    }
                    let waited = resolution.done.wait_timeout(outcome, left);
                    waited.unwrap_or_else(|p| p.into_inner()).0
                }
            };
        }
    }

    /// Resolves `server`'s name on a thread of its own (the system's
    /// resolver can neither be given a timeout nor be interrupted), which
    /// records the outcome in `resolution` and wakes those waiting for it.
    /// If no thread can be started, that is the outcome.
    fn start_resolving(&self, server: &Server, resolution: &Arc<Resolution>) {
        let dns = Arc::clone(&self.config.dns);
        let resolving = Arc::clone(&self.resolving);
        let shared = Arc::clone(resolution);
        let name = server.clone();
        let spawned = std::thread::Builder::new()
            .name("whois-dns".to_string())
            .spawn(move || {
                // A panicking resolver must still wake the waiters and leave
                // the table, or every later query for the name would wait in
                // vain.
                let outcome = catch_unwind(AssertUnwindSafe(|| dns.resolve(&name.host, name.port)))
                    .unwrap_or_else(|_| Err(std::io::Error::other("the resolver panicked")));
                finish_resolving(
                    &resolving,
                    &shared,
                    &name,
                    outcome.map_err(|e| e.to_string()),
                );
            });
        if let Err(error) = spawned {
            let outcome = Err(format!("cannot start resolving: {error}"));
            finish_resolving(&self.resolving, resolution, server, outcome);
        }
    }

    fn attempt(
        &self,
        server: &Server,
        addresses: &[SocketAddr],
        query: &str,
    ) -> Result<String, Attempt> {
        let mut last_error = None;
        let mut stream = None;
        for address in addresses {
            match TcpStream::connect_timeout(address, self.config.timeout) {
                Ok(connected) => {
                    stream = Some(connected);
                    break;
                }
                Err(error) => last_error = Some(error),
            }
        }
        let Some(mut stream) = stream else {
            // The list is not empty (`addresses` says so), so there is an error.
            let error = last_error.map_or_else(String::new, |e| e.to_string());
            return Err(Attempt::Transient(format!("cannot connect: {error}")));
        };
        let transient = |what: &str, error: std::io::Error| {
            let reason = match error.kind() {
                ErrorKind::WouldBlock | ErrorKind::TimedOut => "timed out".to_string(),
                _ => error.to_string(),
            };
            Attempt::Transient(format!("{what}: {reason}"))
        };
        stream
            .set_read_timeout(Some(self.config.timeout))
            .and_then(|()| stream.set_write_timeout(Some(self.config.timeout)))
            .map_err(|e| transient("socket setup", e))?;
        stream
            .write_all(format!("{query}\r\n").as_bytes())
            .map_err(|e| transient("sending query", e))?;
        let limit = self.config.max_answer_bytes;
        let mut answer = Vec::new();
        // One byte over the limit tells "too long" from "exactly at it".
        let mut limited = (&mut stream).take(limit as u64 + 1);
        limited
            .read_to_end(&mut answer)
            .map_err(|e| transient("reading answer", e))?;
        if answer.is_empty() {
            // Servers that shed load close without a word: worth a retry.
            return Err(Attempt::Transient("closed without answering".to_string()));
        }
        if answer.len() > limit {
            return Err(Attempt::Fatal(QueryError::TooLong {
                server: server.to_string(),
                limit,
            }));
        }
        Ok(String::from_utf8_lossy(&answer).into_owned())
    }
}

fn finish_resolving(
    resolving: &Mutex<HashMap<Server, Arc<Resolution>>>,
    resolution: &Resolution,
    server: &Server,
    outcome: Result<Vec<SocketAddr>, String>,
) {
    *lock(&resolution.outcome) = Some(outcome);
    resolution.done.notify_all();
    // Forgotten once known: the next query asks afresh, and the system's
    // own cache decides how long answers last.
    lock(resolving).remove(server);
}

enum Attempt {
    /// Worth another try: reset, refused, timed out.
    Transient(String),
    Fatal(QueryError),
}
