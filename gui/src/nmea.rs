//! A live position from a GPS or a ship's network: NMEA 0183 sentences
//! over UDP (`udp://0.0.0.0:10110`, the port OpenCPN and most
//! multiplexers send to) or TCP (`tcp://HOST:PORT`, connected to and
//! reconnected every few seconds).
//!
//! A background thread reads the sentences; `RMC`, `GGA` and `GLL` with a
//! valid fix move the position, with their checksums checked by the `nmea`
//! crate. Sentences that do not parse are counted, the last one kept with
//! its reason; other sentence types are counted as ignored. The UI reads
//! the state when it draws, and wakes up when a fix arrives.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A feed silent for this long is shown as stale.
pub const STALE_AFTER: Duration = Duration::from_secs(5);
/// How often the thread looks whether it should stop.
const POLL: Duration = Duration::from_millis(200);
/// Wait between attempts to connect to a TCP source.
const RECONNECT_AFTER: Duration = Duration::from_secs(2);
/// The longest sentence kept for the "last bad sentence" note.
const NOTE_CHARS: usize = 60;

/// Where the sentences come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedAddress {
    /// Listen for datagrams on this local address.
    Udp(String),
    /// Connect to this host and port.
    Tcp(String),
}

impl std::fmt::Display for FeedAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedAddress::Udp(address) => write!(f, "udp://{address}"),
            FeedAddress::Tcp(address) => write!(f, "tcp://{address}"),
        }
    }
}

/// Reads `udp://ADDRESS:PORT` or `tcp://HOST:PORT`.
pub fn parse_feed_address(text: &str) -> Result<FeedAddress, String> {
    let text = text.trim();
    let expected = "expected udp://ADDRESS:PORT (e.g. udp://0.0.0.0:10110) or tcp://HOST:PORT";
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| format!("NMEA source \"{text}\": {expected}"))?;
    let has_port = rest
        .rsplit_once(':')
        .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
    if !has_port {
        return Err(format!(
            "NMEA source \"{text}\": no host and port; {expected}"
        ));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "udp" => Ok(FeedAddress::Udp(rest.to_string())),
        "tcp" => Ok(FeedAddress::Tcp(rest.to_string())),
        other => Err(format!(
            "NMEA source \"{text}\": unknown scheme \"{other}\"; {expected}"
        )),
    }
}

/// A position from the feed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub latitude_deg: f64,
    pub longitude_deg: f64,
    /// When it arrived.
    pub received: Instant,
    /// Counts the fixes: a new number is a new fix.
    pub number: u64,
}

/// What the feed has seen so far.
#[derive(Debug, Clone, Default)]
pub struct FeedState {
    pub fix: Option<Fix>,
    /// Sentences that parsed, of any type.
    pub sentences: u64,
    /// Sentences that did not parse (bad checksum, garbage, a field out of range).
    pub bad: u64,
    /// Sentences of types other than RMC, GGA and GLL, or without a fix.
    pub ignored: u64,
    /// The last bad sentence, shortened, with the reason.
    pub last_bad: Option<String>,
    /// Why the source cannot be read (a port in use, a refused connection).
    pub error: Option<String>,
}

impl FeedState {
    /// Takes one line of text: a sentence, or nothing.
    pub fn take_line(&mut self, line: &str, now: Instant) {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\0');
        if line.is_empty() {
            return;
        }
        match nmea::parse_str(line) {
            Ok(parsed) => {
                self.sentences += 1;
                match position_of(&parsed) {
                    Some((latitude_deg, longitude_deg)) => {
                        let number = self.fix.map_or(1, |fix| fix.number + 1);
                        self.fix = Some(Fix {
                            latitude_deg,
                            longitude_deg,
                            received: now,
                            number,
                        });
                    }
                    None => self.ignored += 1,
                }
            }
            Err(
                nmea::Error::Unsupported(_)
                | nmea::Error::Unknown(_)
                | nmea::Error::DisabledSentence,
            ) => {
                self.sentences += 1;
                self.ignored += 1;
            }
            Err(error) => {
                self.bad += 1;
                let shown: String = line.chars().take(NOTE_CHARS).collect();
                self.last_bad = Some(format!("\"{shown}\": {error}"));
            }
        }
    }

    /// Whether the feed has said nothing for [`STALE_AFTER`].
    pub fn is_stale(&self, now: Instant) -> bool {
        self.fix
            .is_none_or(|fix| now.duration_since(fix.received) > STALE_AFTER)
    }
}

/// The position a sentence gives, if it is an RMC, GGA or GLL with a
/// valid fix.
fn position_of(parsed: &nmea::ParseResult) -> Option<(f64, f64)> {
    let (lat, lon) = match parsed {
        nmea::ParseResult::RMC(rmc)
            if rmc.status_of_fix != nmea::sentences::rmc::RmcStatusOfFix::Invalid =>
        {
            (rmc.lat, rmc.lon)
        }
        nmea::ParseResult::GGA(gga) if gga.fix_type.is_some_and(|fix| fix.is_valid()) => {
            (gga.latitude, gga.longitude)
        }
        nmea::ParseResult::GLL(gll) if gll.valid => (gll.latitude, gll.longitude),
        _ => return None,
    };
    let (lat, lon) = (lat?, lon?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// A running feed; dropping it stops the thread.
pub struct NmeaFeed {
    address: FeedAddress,
    state: Arc<Mutex<FeedState>>,
    stop: Arc<AtomicBool>,
    /// The UDP socket's local address (the port the system chose for `:0`).
    local_address: Option<SocketAddr>,
}

impl NmeaFeed {
    /// Starts reading `address`; `wake` is the UI's context, woken on each fix.
    pub fn start(address: FeedAddress, wake: Option<egui::Context>) -> Result<Self, String> {
        let state = Arc::new(Mutex::new(FeedState::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (thread_state, thread_stop) = (Arc::clone(&state), Arc::clone(&stop));
        let mut local_address = None;
        let run: Box<dyn FnOnce() + Send> = match &address {
            FeedAddress::Udp(local) => {
                let socket = UdpSocket::bind(local.as_str())
                    .map_err(|e| format!("NMEA source udp://{local}: cannot listen: {e}"))?;
                socket
                    .set_read_timeout(Some(POLL))
                    .map_err(|e| format!("NMEA source udp://{local}: {e}"))?;
                local_address = socket.local_addr().ok();
                Box::new(move || read_udp(&socket, &thread_state, &thread_stop, wake.as_ref()))
            }
            FeedAddress::Tcp(remote) => {
                let remote = remote.clone();
                Box::new(move || read_tcp(&remote, &thread_state, &thread_stop, wake.as_ref()))
            }
        };
        std::thread::Builder::new()
            .name("magvar-nmea".into())
            .spawn(run)
            .map_err(|e| format!("cannot start the NMEA thread: {e}"))?;
        Ok(NmeaFeed {
            address,
            state,
            stop,
            local_address,
        })
    }

    pub fn address(&self) -> &FeedAddress {
        &self.address
    }

    /// Where a UDP feed listens.
    pub fn local_address(&self) -> Option<SocketAddr> {
        self.local_address
    }

    /// A copy of what the feed has seen.
    pub fn state(&self) -> FeedState {
        // A thread that panicked holding the lock left a state as good as any.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl Drop for NmeaFeed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn take_text(text: &str, state: &Mutex<FeedState>, wake: Option<&egui::Context>) {
    let now = Instant::now();
    let mut state = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let before = state.fix.map(|fix| fix.number);
    for line in text.split(['\r', '\n']) {
        state.take_line(line, now);
    }
    if state.fix.map(|fix| fix.number) != before
        && let Some(ctx) = wake
    {
        ctx.request_repaint();
    }
}

fn read_udp(
    socket: &UdpSocket,
    state: &Mutex<FeedState>,
    stop: &AtomicBool,
    wake: Option<&egui::Context>,
) {
    let mut buffer = [0u8; 65_536];
    while !stop.load(Ordering::Relaxed) {
        match socket.recv(&mut buffer) {
            Ok(n) => take_text(&String::from_utf8_lossy(&buffer[..n]), state, wake),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => {
                set_error(state, format!("NMEA source: {e}"));
                std::thread::sleep(POLL);
            }
        }
    }
}

fn read_tcp(
    remote: &str,
    state: &Mutex<FeedState>,
    stop: &AtomicBool,
    wake: Option<&egui::Context>,
) {
    while !stop.load(Ordering::Relaxed) {
        let stream = remote
            .to_socket_addrs()
            .map_err(|e| e.to_string())
            .and_then(|mut addresses| addresses.next().ok_or_else(|| "no address".to_string()))
            .and_then(|address| {
                TcpStream::connect_timeout(&address, RECONNECT_AFTER).map_err(|e| e.to_string())
            });
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                set_error(
                    state,
                    format!("NMEA source tcp://{remote}: {e}; trying again"),
                );
                sleep_unless_stopped(RECONNECT_AFTER, stop);
                continue;
            }
        };
        set_error_none(state);
        let _ = stream.set_read_timeout(Some(POLL));
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => {
                    set_error(
                        state,
                        format!("NMEA source tcp://{remote}: closed; reconnecting"),
                    );
                    break;
                }
                Ok(_) => {
                    take_text(&String::from_utf8_lossy(&line), state, wake);
                    line.clear();
                }
                // A timeout keeps what was read of the line so far.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => {
                    set_error(
                        state,
                        format!("NMEA source tcp://{remote}: {e}; reconnecting"),
                    );
                    break;
                }
            }
        }
    }
}

fn sleep_unless_stopped(duration: Duration, stop: &AtomicBool) {
    let until = Instant::now() + duration;
    while Instant::now() < until && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(POLL);
    }
}

fn set_error(state: &Mutex<FeedState>, message: String) {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .error = Some(message);
}

fn set_error_none(state: &Mutex<FeedState>) {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .error = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    const RMC: &str = "$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68";
    const GGA: &str = "$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*76";
    const GLL: &str = "$GPGLL,4916.45,N,12311.12,W,225444,A,*1D";

    #[test]
    fn addresses_are_read_or_refused_with_what_to_type() {
        assert_eq!(
            parse_feed_address("udp://0.0.0.0:10110"),
            Ok(FeedAddress::Udp("0.0.0.0:10110".into()))
        );
        assert_eq!(
            parse_feed_address("TCP://gps.local:2000"),
            Ok(FeedAddress::Tcp("gps.local:2000".into()))
        );
        for bad in [
            "10110",
            "udp://:10110",
            "serial:///dev/ttyUSB0:4800",
            "udp://host:99999",
        ] {
            let message = parse_feed_address(bad).unwrap_err();
            assert!(
                message.contains(bad) && message.contains("udp://"),
                "{message}"
            );
        }
    }

    #[test]
    fn rmc_gga_and_gll_move_the_position_and_garbage_is_counted() {
        let now = Instant::now();
        let mut state = FeedState::default();
        state.take_line(RMC, now);
        let fix = state.fix.unwrap();
        assert!((fix.latitude_deg - (49.0 + 16.45 / 60.0)).abs() < 1e-9);
        assert!((fix.longitude_deg + (123.0 + 11.12 / 60.0)).abs() < 1e-9);
        state.take_line(GGA, now);
        assert!((state.fix.unwrap().latitude_deg - (53.0 + 21.6802 / 60.0)).abs() < 1e-9);
        assert_eq!(state.fix.unwrap().number, 2);
        state.take_line(GLL, now);
        assert_eq!(state.fix.unwrap().number, 3);
        // A bad checksum, garbage and binary noise: counted, never a fix.
        state.take_line(&RMC.replace("*68", "*00"), now);
        state.take_line("hello there", now);
        state.take_line("$GP\u{1}\u{2}", now);
        assert_eq!(state.bad, 3);
        assert_eq!(state.fix.unwrap().number, 3);
        assert!(state.last_bad.as_ref().unwrap().contains("$GP"));
        // A valid sentence of another type is ignored, not bad.
        state.take_line("$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39", now);
        assert_eq!((state.bad, state.ignored), (3, 1));
        assert_eq!(state.sentences, 4);
    }

    #[test]
    fn a_feed_without_a_fix_for_five_seconds_is_stale() {
        let now = Instant::now();
        let mut state = FeedState::default();
        assert!(state.is_stale(now));
        state.take_line(RMC, now);
        assert!(!state.is_stale(now + Duration::from_secs(4)));
        assert!(state.is_stale(now + Duration::from_secs(6)));
    }

    #[test]
    fn a_udp_feed_reads_datagrams_of_several_sentences() {
        let feed = NmeaFeed::start(FeedAddress::Udp("127.0.0.1:0".into()), None).unwrap();
        let target = feed.local_address().unwrap();
        let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
        sender
            .send_to(format!("{RMC}\r\n{GGA}\r\nnot nmea\r\n").as_bytes(), target)
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while feed.state().bad < 1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let state = feed.state();
        assert_eq!((state.sentences, state.bad), (2, 1));
        assert_eq!(state.fix.unwrap().number, 2);
    }

    #[test]
    fn a_port_in_use_is_an_error_not_a_panic() {
        let taken = UdpSocket::bind("127.0.0.1:0").unwrap();
        let address = taken.local_addr().unwrap().to_string();
        let message = NmeaFeed::start(FeedAddress::Udp(address.clone()), None)
            .err()
            .unwrap();
        assert!(message.contains(&address), "{message}");
    }
}
