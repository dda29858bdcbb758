//! RFC 3912 whois over TCP: send the query and CRLF, read until the server
//! closes. Around it: timeouts, a size limit, retries with backoff after a
//! reset, and per-server politeness (a concurrency limit and a delay
//! between queries) because registries rate-limit.

use super::parse::Server;
use crate::runtime::lock;
use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How the client treats servers. The defaults are polite to real
/// registries; tests shorten them.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Limit for connecting, and for each read or write.
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

/// A whois client shared by every lookup worker.
pub struct Client {
    config: ClientConfig,
    gates: Mutex<HashMap<Server, Arc<Gate>>>,
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
            let outcome = {
                let _slot = self.enter(&gate);
                self.queries_sent.fetch_add(1, Ordering::Relaxed);
                self.attempt(server, query)
            };
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

    fn attempt(&self, server: &Server, query: &str) -> Result<String, Attempt> {
        let resolve_error = |message: String| {
            Attempt::Fatal(QueryError::Resolve {
                server: server.to_string(),
                message,
            })
        };
        let addresses: Vec<_> = (server.host.as_str(), server.port)
            .to_socket_addrs()
            .map_err(|e| resolve_error(e.to_string()))?
            .collect();
        let mut last_error = None;
        let mut stream = None;
        for address in &addresses {
            match TcpStream::connect_timeout(address, self.config.timeout) {
                Ok(connected) => {
                    stream = Some(connected);
                    break;
                }
                Err(error) => last_error = Some(error),
            }
        }
        let Some(mut stream) = stream else {
            return Err(match last_error {
                Some(error) => Attempt::Transient(format!("cannot connect: {error}")),
                None => resolve_error("no address".to_string()),
            });
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

enum Attempt {
    /// Worth another try: reset, refused, timed out.
    Transient(String),
    Fatal(QueryError),
}
