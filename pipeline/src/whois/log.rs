//! Apache/nginx access logs in the Common and Combined formats:
//! `HOST IDENT USER [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326`
//! optionally followed by `"referer" "user-agent"`. Files may be gzipped
//! (recognised by their magic bytes, whatever their name).

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// One request: who, when (seconds since 1970, UTC) and how many bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub client: IpAddr,
    pub time: i64,
    pub bytes: u64,
}

/// A line that is not a log entry, with where it is and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MalformedLine {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// A log that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot read log {path}: {source}")]
pub struct LogError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `10/Oct/2000:13:55:36 -0700` to seconds since 1970 (UTC).
fn parse_time(text: &str) -> Option<i64> {
    let (stamp, zone) = text.split_once(' ')?;
    let mut parts = stamp.splitn(3, '/');
    let day: i64 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as i64 + 1;
    let rest = parts.next()?;
    let mut clock = rest.split(':');
    let year: i64 = clock.next()?.parse().ok()?;
    let hour: i64 = clock.next()?.parse().ok()?;
    let minute: i64 = clock.next()?.parse().ok()?;
    let second: i64 = clock.next()?.parse().ok()?;
    if clock.next().is_some()
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || zone.len() != 5
    {
        return None;
    }
    let sign = match zone.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let zone_hours: i64 = zone.get(1..3)?.parse().ok()?;
    let zone_minutes: i64 = zone.get(3..5)?.parse().ok()?;
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(local - sign * (zone_hours * 3600 + zone_minutes * 60))
}

/// Seconds since 1970 as `2000-10-10T20:55:36Z`.
pub fn format_time(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Inverse of days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// Skips a quoted field with backslash escapes; returns the rest after it.
fn skip_quoted(text: &str) -> Option<&str> {
    let body = text.strip_prefix('"')?;
    let mut escaped = false;
    for (at, ch) in body.char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(&body[at + 1..]),
            _ => {}
        }
    }
    None
}

/// Parses one Common or Combined log line.
pub fn parse_line(line: &str) -> Result<Request, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    let (host, rest) = line.split_once(' ').ok_or("not a log entry")?;
    let client: IpAddr = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("client {host:?} is not an IP address"))?;
    // Dual-stack servers log IPv4 clients as `::ffff:a.b.c.d`; registries
    // know them by their IPv4 address.
    let client = match client {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(client, IpAddr::V4),
        v4 => v4,
    };
    let open = rest.find('[').ok_or("no [time] field")?;
    let close = rest[open..].find(']').ok_or("unterminated [time] field")? + open;
    let time = parse_time(&rest[open + 1..close])
        .ok_or_else(|| format!("bad time {:?}", &rest[open + 1..close]))?;
    let after = rest[close + 1..].trim_start();
    let after = skip_quoted(after).ok_or("no quoted request field")?;
    let mut tail = after.split_whitespace();
    let status = tail.next().ok_or("no status code")?;
    if status.len() != 3 || !status.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("bad status code {status:?}"));
    }
    let bytes = match tail.next().ok_or("no byte count")? {
        "-" => 0,
        count => count
            .parse()
            .map_err(|_| format!("bad byte count {count:?}"))?,
    };
    Ok(Request {
        client,
        time,
        bytes,
    })
}

/// Everything read from the logs.
#[derive(Debug, Default)]
pub struct LogData {
    pub requests: Vec<Request>,
    pub malformed: Vec<MalformedLine>,
    /// Lines read, blank ones included, over all the logs.
    pub lines: u64,
    /// Where reading stopped when asked to stop before the end: the file
    /// and its last line read.
    pub stopped_at: Option<LogPosition>,
}

/// A line of a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPosition {
    pub file: String,
    pub line: u64,
}

/// Opens a log, decompressing it when it starts with the gzip magic bytes.
fn open(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let mut file = BufReader::new(File::open(path)?);
    let gzipped = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzipped {
        Box::new(BufReader::new(MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    })
}

/// Reads every log in turn. Malformed lines are collected, not fatal; a
/// log that cannot be opened or decompressed is. Setting `stop` ends the
/// reading after the current line: months of logs take a while, and an
/// interrupted run should still report on what was read.
pub fn read_logs(paths: &[PathBuf], stop: &AtomicBool) -> Result<LogData, LogError> {
    let mut data = LogData::default();
    for path in paths {
        let fail = |source| LogError {
            path: path.clone(),
            source,
        };
        let mut reader = open(path).map_err(fail)?;
        let mut buffer = Vec::new();
        let mut number = 0u64;
        loop {
            if stop.load(Ordering::Relaxed) {
                data.stopped_at = Some(LogPosition {
                    file: path.display().to_string(),
                    line: number,
                });
                return Ok(data);
            }
            buffer.clear();
            // Bytes, not String: a log with a stray non-UTF-8 byte in a
            // user agent is still a log.
            if reader.read_until(b'\n', &mut buffer).map_err(fail)? == 0 {
                break;
            }
            number += 1;
            data.lines += 1;
            let line = String::from_utf8_lossy(&buffer);
            if line.trim().is_empty() {
                continue;
            }
            match parse_line(&line) {
                Ok(request) => data.requests.push(request),
                Err(reason) => data.malformed.push(MalformedLine {
                    file: path.display().to_string(),
                    line: number,
                    reason,
                }),
            }
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_combined_lines() {
        let common = parse_line(
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
        )
        .unwrap();
        assert_eq!(common.client, "127.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(common.bytes, 2326);
        assert_eq!(format_time(common.time), "2000-10-10T20:55:36Z");
        let combined = parse_line(
            "2001:db8::1 - - [01/Jan/2024:00:00:00 +0100] \"GET /a\\\"b HTTP/1.1\" 304 - \"http://x/\" \"Mozilla/5.0 (X11)\"",
        )
        .unwrap();
        assert_eq!(combined.bytes, 0);
        assert_eq!(format_time(combined.time), "2023-12-31T23:00:00Z");
    }

    #[test]
    fn ipv4_mapped_clients_become_ipv4() {
        let request = parse_line(
            "::ffff:192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1",
        )
        .unwrap();
        assert_eq!(request.client, "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn files_plain_gzipped_and_broken() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let line = "192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 5";
        // A stray non-UTF-8 byte, a blank line and a bad line in a plain log.
        let plain = dir.path().join("plain.log");
        let mut bytes = format!("{line}\n\n").into_bytes();
        bytes.extend_from_slice(b"\xff\xfe junk\n");
        bytes.extend_from_slice(format!("{line} \"ref\" \"agent ").as_bytes());
        bytes.extend_from_slice(b"\xe9\"\n");
        std::fs::write(&plain, bytes).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(format!("{line}\n{line}\n").as_bytes())
            .unwrap();
        let compressed = gz.finish().unwrap();
        let zipped = dir.path().join("rotated.1");
        std::fs::write(&zipped, &compressed).unwrap();
        let go_on = AtomicBool::new(false);
        let data = read_logs(&[plain.clone(), zipped], &go_on).unwrap();
        assert_eq!(data.requests.len(), 4);
        assert_eq!(data.malformed.len(), 1);
        assert_eq!(data.malformed[0].line, 3);
        assert_eq!(data.malformed[0].file, plain.display().to_string());
        assert_eq!((data.lines, data.stopped_at), (6, None));
        // A gzip stream cut short is an error naming the file.
        let truncated = dir.path().join("cut.gz");
        std::fs::write(&truncated, &compressed[..compressed.len() / 2]).unwrap();
        let error = read_logs(&[truncated], &go_on).unwrap_err();
        assert!(error.to_string().contains("cut.gz"), "{error}");
    }

    #[test]
    fn reading_stops_when_asked_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("access.log");
        let line = "192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 5\n";
        std::fs::write(&path, line.repeat(3)).unwrap();
        let stopped = AtomicBool::new(true);
        let data = read_logs(std::slice::from_ref(&path), &stopped).unwrap();
        assert!(data.requests.is_empty());
        assert_eq!(data.lines, 0);
        assert_eq!(
            data.stopped_at,
            Some(LogPosition {
                file: path.display().to_string(),
                line: 0
            })
        );
    }

    #[test]
    fn malformed_lines_say_why() {
        for (line, why) in [
            ("garbage", "not a log entry"),
            (
                "example.com - - [10/Oct/2000:13:55:36 -0700] \"GET /\" 200 1",
                "not an IP",
            ),
            (
                "1.2.3.4 - - [10/Foo/2000:13:55:36 -0700] \"GET /\" 200 1",
                "bad time",
            ),
            (
                "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / 200 1",
                "no quoted",
            ),
            (
                "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /\" 20x 1",
                "bad status",
            ),
            (
                "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /\" 200 many",
                "bad byte",
            ),
        ] {
            let error = parse_line(line).unwrap_err();
            assert!(error.contains(why), "{line:?}: {error}");
        }
    }

    #[test]
    fn time_round_trip() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(parse_time("29/Feb/2000:00:00:00 +0000"), Some(951_782_400));
    }
}
