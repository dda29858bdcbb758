//! Cutting CSV input into blocks of whole records without parsing it, so
//! that the parsing itself can run on the workers, in parallel.
//!
//! A cut may only fall after a record's line end (`\n`, or `\r` as the
//! parser also takes). A newline inside a quoted
//! field does not end a record, and a quote counts only at the start of a
//! field (elsewhere it is an ordinary character, as the `csv` crate reads
//! it), so the scanner follows the same small state machine as the parser:
//! field start, unquoted field, quoted field, a quote inside a quoted field
//! (closing it or doubled), and comment lines (`#` at a record's start).

use std::io::Read;

/// A block is cut at the last record end once this much is read: a few
/// thousand rows, enough to amortise handing it to a worker.
const BLOCK_BYTES: usize = 256 << 10;

/// Bytes asked of the reader at a time.
const READ_BYTES: usize = 64 << 10;

/// Whole records of the input, with the line number of the block's first
/// line (1-based).
#[derive(Debug)]
pub(crate) struct Block {
    pub first_line: u64,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(u8)]
enum State {
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
    Comment,
}

const STATES: [State; 6] = [
    State::RecordStart,
    State::FieldStart,
    State::Unquoted,
    State::Quoted,
    State::QuoteInQuoted,
    State::Comment,
];

/// [`step`] as a table, `[state * 256 + byte]`: one load a byte.
static TRANSITIONS: [State; 6 * 256] = {
    let mut table = [State::RecordStart; 6 * 256];
    let mut i = 0;
    while i < table.len() {
        table[i] = step(STATES[i / 256], (i % 256) as u8);
        i += 1;
    }
    table
};

/// The scanner's state after `byte`.
const fn step(state: State, byte: u8) -> State {
    use State::*;
    match (state, byte) {
        (Quoted, b'"') => QuoteInQuoted,
        (Quoted, _) => Quoted,
        (Comment, b'\n') => RecordStart,
        (Comment, _) => Comment,
        // The parser ends a record at `\r` as well as `\n` (a comment only
        // at `\n`).
        (_, b'\n' | b'\r') => RecordStart,
        (RecordStart, b'#') => Comment,
        (RecordStart | FieldStart, b'"') => Quoted,
        (QuoteInQuoted, b'"') => Quoted,
        (_, b',') => FieldStart,
        _ => Unquoted,
    }
}

/// Reads `reader` and yields blocks of whole records, in order.
pub(crate) struct Blocks<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Bytes read but not yet given out: the start of an unfinished record.
    pending: Vec<u8>,
    /// How far `pending` has been scanned, and the state there.
    scanned: usize,
    state: State,
    /// Position (exclusive) of the last record end in `pending`.
    last_cut: usize,
    next_line: u64,
    done: bool,
}

impl<R: Read> Blocks<R> {
    pub(crate) fn new(reader: R) -> Self {
        Blocks {
            reader,
            buffer: vec![0; READ_BYTES],
            pending: Vec::new(),
            scanned: 0,
            state: State::RecordStart,
            last_cut: 0,
            next_line: 1,
            done: false,
        }
    }

    /// The line the next block starts at: after an early stop, the first
    /// line of the input not given out.
    pub(crate) fn next_line(&self) -> u64 {
        self.next_line
    }

    fn scan(&mut self) {
        let mut from = self.scanned;
        let unscanned = &self.pending[from..];
        // Without quotes, outside a quoted field, every line end ends a
        // record: only the bytes after the last one need the table, for
        // the state the next read starts in. Most input takes this path.
        let quote_free = !matches!(self.state, State::Quoted | State::QuoteInQuoted)
            && !unscanned.contains(&b'"');
        if quote_free && let Some(last) = unscanned.iter().rposition(|&b| b == b'\n') {
            from += last + 1;
            self.last_cut = from;
            self.state = State::RecordStart;
        }
        let mut state = self.state;
        let end = self.pending.len();
        for (i, &byte) in self.pending[from..].iter().enumerate() {
            state = TRANSITIONS[state as usize * 256 + byte as usize];
            // A `\r` read last may be the first half of `\r\n`: no cut
            // after it until the next byte tells (the line count needs it).
            if state == State::RecordStart && !(byte == b'\r' && from + i + 1 == end) {
                self.last_cut = from + i + 1;
            }
        }
        self.state = state;
        self.scanned = self.pending.len();
    }

    /// Gives out `pending[..end]` as a block.
    fn cut(&mut self, end: usize) -> Block {
        let rest = self.pending.split_off(end);
        let bytes = std::mem::replace(&mut self.pending, rest);
        let block = Block {
            first_line: self.next_line,
            bytes,
        };
        self.next_line += line_ends(&block.bytes, self.pending.first().copied());
        self.scanned -= end;
        self.last_cut = 0;
        block
    }
}

/// The line ends in `bytes`: each `\n`, and each `\r` not followed by one
/// (old Mac files), the byte after the last being `next` (`None` at the
/// end of the input).
pub(crate) fn line_ends(bytes: &[u8], next: Option<u8>) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    if !bytes.contains(&b'\r') {
        return newlines as u64;
    }
    let following = bytes[1..].iter().copied().map(Some).chain([next]);
    let lone_returns = bytes
        .iter()
        .zip(following)
        .filter(|&(&b, after)| b == b'\r' && after != Some(b'\n'))
        .count();
    (newlines + lone_returns) as u64
}

impl<R: Read> Iterator for Blocks<R> {
    type Item = std::io::Result<Block>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                if self.pending.is_empty() {
                    return None;
                }
                let end = self.pending.len();
                return Some(Ok(self.cut(end)));
            }
            if self.last_cut > 0 && self.pending.len() >= BLOCK_BYTES {
                let end = self.last_cut;
                return Some(Ok(self.cut(end)));
            }
            match self.reader.read(&mut self.buffer) {
                Ok(0) => self.done = true,
                Ok(n) => {
                    self.pending.extend_from_slice(&self.buffer[..n]);
                    self.scan();
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.done = true;
                    self.pending.clear();
                    return Some(Err(e));
                }
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Reads a few bytes at a time, so every cut point gets exercised.
    pub(in crate::batch) struct Trickle<'a>(pub &'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(7);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn records(input: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        for block in Blocks::new(Trickle(input)) {
            let block = block.unwrap();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .comment(Some(b'#'))
                .from_reader(block.bytes.as_slice());
            for record in reader.records() {
                let record = record.unwrap();
                let line = block.first_line + record.position().unwrap().line() - 1;
                out.push((line, record.iter().map(str::to_string).collect()));
            }
        }
        out
    }

    #[test]
    fn blocks_hold_whole_records_with_their_lines() {
        let mut input = String::from("a,b\n");
        for i in 0..300_000 {
            match i % 1000 {
                7 => input.push_str("\"multi\nline, with \"\"quotes\"\"\",x\n"),
                8 => input.push_str("# a comment with a \" quote\n"),
                9 => input.push_str("5\" inch,\"q\"\n"),
                _ => input.push_str(&format!("{i},{}\n", i * 2)),
            }
        }
        input.push_str("last,no newline");
        let expected: Vec<(u64, Vec<String>)> = {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .comment(Some(b'#'))
                .from_reader(input.as_bytes());
            reader
                .records()
                .map(|r| {
                    let r = r.unwrap();
                    (
                        r.position().unwrap().line(),
                        r.iter().map(str::to_string).collect(),
                    )
                })
                .collect()
        };
        let got = records(input.as_bytes());
        assert_eq!(got.len(), expected.len());
        assert_eq!(got, expected);
        // More than one block, or the test proves nothing.
        assert!(Blocks::new(input.as_bytes()).count() > 1);
    }

    /// Old Mac line ends (a lone `\r`) end records too: a quote after one
    /// opens a quoted field, whose newlines no cut may split.
    #[test]
    fn carriage_returns_end_records_for_the_scan_as_for_the_parser() {
        let mut input = String::from("a,b\r");
        for i in 0..100_000 {
            if i % 100 == 7 {
                input.push_str("\"multi\nline\",x\r");
            } else {
                input.push_str(&format!("{i},{}\r", i * 2));
            }
        }
        let fields = |records: Vec<(u64, Vec<String>)>| -> Vec<Vec<String>> {
            records.into_iter().map(|(_, f)| f).collect()
        };
        let expected: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(input.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(fields(records(input.as_bytes())), expected);
        assert!(Blocks::new(input.as_bytes()).count() > 1);
    }

    #[test]
    fn line_ends_count_crlf_once_and_lone_returns() {
        assert_eq!(line_ends(b"a\r\nb\rc\n", None), 3);
        assert_eq!(line_ends(b"a\r", Some(b'\n')), 0);
        assert_eq!(line_ends(b"a\r", Some(b'x')), 1);
        assert_eq!(line_ends(b"a\r", None), 1);
        assert_eq!(line_ends(b"", None), 0);
        assert_eq!(line_ends(b"\n\n", Some(b'\r')), 2);
    }

    /// Input without quotes takes the scan's fast path on every read:
    /// comments, blank lines and `\r\n` still end up in whole records.
    #[test]
    fn blocks_of_quote_free_input_hold_whole_records() {
        let mut input = String::from("a,b\r\n");
        for i in 0..200_000 {
            match i % 500 {
                3 => input.push_str("# a comment, with a comma\n"),
                4 => input.push('\n'),
                _ => input.push_str(&format!("{i},{}\r\n", i * 3)),
            }
        }
        let mut cuts = 0;
        let mut total = Vec::new();
        for block in Blocks::new(input.as_bytes()) {
            let block = block.unwrap();
            assert!(
                block.bytes.ends_with(b"\n") || block.bytes.ends_with(b"\r"),
                "a cut inside a record"
            );
            total.extend_from_slice(&block.bytes);
            cuts += 1;
        }
        assert!(cuts > 1);
        assert_eq!(total, input.as_bytes());
        assert_eq!(records(input.as_bytes()).len(), 200_000 + 1 - 400 - 400);
    }
}
