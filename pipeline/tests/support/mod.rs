//! Whois servers on loopback for the tests, and seeded log generation.

#![allow(dead_code)]

pub mod world;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What a fake server does with one query.
#[derive(Clone)]
pub enum Reply {
    Text(String),
    /// Waits, then answers.
    Slow(Duration, String),
    /// Closes the connection with a TCP reset.
    Reset,
    Bytes(Vec<u8>),
}

type Handler = dyn Fn(&str, usize) -> Reply + Send + Sync;

/// A whois server on 127.0.0.1 (an ephemeral port). `handler(query,
/// attempt)` decides each reply; `attempt` counts earlier queries with the
/// same text, so a server can fail first and answer later.
pub struct FakeServer {
    pub port: u16,
    queries: Arc<Mutex<Vec<String>>>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
}

impl FakeServer {
    pub fn start(handler: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let queries = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (q, f, m) = (
            Arc::clone(&queries),
            Arc::clone(&in_flight),
            Arc::clone(&max_in_flight),
        );
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (handler, q, f, m) = (
                    Arc::clone(&handler),
                    Arc::clone(&q),
                    Arc::clone(&f),
                    Arc::clone(&m),
                );
                thread::spawn(move || serve(stream, &*handler, &q, &f, &m));
            }
        });
        FakeServer {
            port,
            queries,
            in_flight,
            max_in_flight,
        }
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Queries received so far.
    pub fn queries(&self) -> Vec<String> {
        self.queries.lock().unwrap().clone()
    }

    pub fn query_count(&self) -> usize {
        self.queries.lock().unwrap().len()
    }

    pub fn reset_counts(&self) {
        self.queries.lock().unwrap().clear();
    }

    /// The most queries this server ever had open at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }
}

fn serve(
    stream: TcpStream,
    handler: &Handler,
    queries: &Mutex<Vec<String>>,
    in_flight: &AtomicUsize,
    max_in_flight: &AtomicUsize,
) {
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max_in_flight.fetch_max(now, Ordering::SeqCst);
    let mut stream = stream;
    // Peek at the query without consuming it: a reset needs unread data.
    let mut peeked = [0u8; 512];
    let size = stream.peek(&mut peeked).unwrap_or(0);
    let text = String::from_utf8_lossy(&peeked[..size]);
    let query = text.lines().next().unwrap_or("").trim().to_string();
    let attempt = {
        let mut all = queries.lock().unwrap();
        let attempt = all.iter().filter(|q| **q == query).count();
        all.push(query.clone());
        attempt
    };
    let reply = handler(&query, attempt);
    match reply {
        Reply::Reset => {
            // Closing a socket with unread input makes the kernel send RST.
            in_flight.fetch_sub(1, Ordering::SeqCst);
            drop(stream);
            return;
        }
        Reply::Slow(delay, text) => {
            thread::sleep(delay);
            let _ = drain_and_write(&mut stream, text.as_bytes());
        }
        Reply::Text(text) => {
            let _ = drain_and_write(&mut stream, text.as_bytes());
        }
        Reply::Bytes(bytes) => {
            let _ = drain_and_write(&mut stream, &bytes);
        }
    }
    in_flight.fetch_sub(1, Ordering::SeqCst);
}

fn drain_and_write(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    // Consume the query line so that closing sends FIN, not RST.
    stream.set_read_timeout(Some(Duration::from_millis(500)))?;
    let mut line = [0u8; 512];
    let _ = stream.read(&mut line)?;
    stream.write_all(bytes)?;
    stream.flush()
}

/// The tests' one seeded random-number source (ChaCha8 from a fixed
/// seed), so logs are the same on every run and machine.
pub struct Rng(rand_chacha::ChaCha8Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(rand::SeedableRng::seed_from_u64(seed))
    }

    pub fn next(&mut self) -> u64 {
        rand::RngCore::next_u64(&mut self.0)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        rand::Rng::random_range(&mut self.0, 0..n)
    }
}

/// One Common (even `i`) or Combined (odd `i`) log line.
pub fn log_line(rng: &mut Rng, ip: &str, i: usize) -> String {
    let day = 1 + rng.below(28);
    let (hour, minute, second) = (rng.below(24), rng.below(60), rng.below(60));
    let bytes = rng.below(50_000);
    let paths = ["/", "/index.html", "/img/logo.png", "/api/v1/items?id=7"];
    let path = paths[rng.below(paths.len() as u64) as usize];
    let common = format!(
        "{ip} - - [{day:02}/Mar/2024:{hour:02}:{minute:02}:{second:02} +0000] \"GET {path} HTTP/1.1\" 200 {bytes}"
    );
    if i.is_multiple_of(2) {
        common
    } else {
        format!("{common} \"https://example.org/\" \"Mozilla/5.0 (X11; Linux x86_64)\"")
    }
}
