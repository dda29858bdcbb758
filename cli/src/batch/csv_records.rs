//! The records of one block of CSV input ([`super::csv_blocks`]), split
//! into fields on a worker.
//!
//! Most inputs are plain: no quotes, `\n` or `\r\n` line ends, UTF-8. A
//! plain block's fields are slices of the block's own text, found with one
//! pass over it; the block's bytes become the text without a copy. Any
//! other block is read by the `csv` crate, whose reading the plain path
//! copies exactly (a test holds the two equal): `#` starts a comment line,
//! empty lines are skipped, rows may have any number of fields.

use super::csv_blocks::{Block, line_ends};
use std::ops::Range;

/// One record: its line in the whole input (1-based), and the range of
/// its fields in [`BlockRecords::fields`] — or why it could not be read.
pub(crate) struct Record {
    pub line: u64,
    pub fields: Result<Range<usize>, String>,
}

/// The records of a block, with their fields as spans of one text.
pub(crate) struct BlockRecords {
    text: String,
    /// Byte ranges of every field of every record, in order.
    spans: Vec<Range<usize>>,
    records: Vec<Record>,
    /// Split by the plain path: no field holds a comma, quote or line end.
    plain: bool,
}

/// A CSV reader as the batch reads every input: rows may have any number
/// of fields, and `#` starts a comment line.
pub(crate) fn csv_reader(has_headers: bool, bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(has_headers)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(bytes)
}

impl BlockRecords {
    /// Splits `block`; in the input's first block (`header`), the first
    /// record is the header and is left out.
    pub(crate) fn read(block: Block, header: bool) -> Self {
        let first_line = block.first_line;
        if !is_plain(&block.bytes) {
            return Self::read_with_csv(&block, header);
        }
        match String::from_utf8(block.bytes) {
            Ok(text) => Self::read_plain(text, first_line, header),
            Err(e) => Self::read_with_csv(
                &Block {
                    first_line,
                    bytes: e.into_bytes(),
                },
                header,
            ),
        }
    }

    /// Every field of every record, as text: index it with a record's
    /// `fields` range.
    pub(crate) fn fields(&self) -> Vec<&str> {
        self.spans
            .iter()
            .map(|span| &self.text[span.clone()])
            .collect()
    }

    pub(crate) fn records(&self) -> &[Record] {
        &self.records
    }

    /// No field holds a comma, a quote or a line end.
    pub(crate) fn is_plain(&self) -> bool {
        self.plain
    }

    fn read_plain(text: String, first_line: u64, header: bool) -> Self {
        let bytes = text.as_bytes();
        let mut split = PlainSplit {
            spans: Vec::with_capacity(bytes.len() / 8),
            records: Vec::with_capacity(bytes.len() / 32),
            header,
            line: first_line,
            line_start: 0,
            field_start: 0,
        };
        for (line_start, line) in lines(bytes) {
            let mut field_start = line_start;
            for (i, &byte) in line.iter().enumerate() {
                if byte == b',' {
                    let end = line_start + i;
                    split.spans.push(field_start..end);
                    field_start = end + 1;
                }
            }
            split.field_start = field_start;
            split.end_line(bytes, line_start + line.len());
        }
        BlockRecords {
            spans: split.spans,
            records: split.records,
            text,
            plain: true,
        }
    }

    fn read_with_csv(block: &Block, header: bool) -> Self {
        let bytes = &block.bytes;
        // Where a record starts: the crate's position may be at the line
        // ends and comment lines before it.
        let start_of = |position: Option<&csv::Position>| {
            let mut offset = position.map_or(0, |p| p.byte() as usize).min(bytes.len());
            loop {
                match bytes.get(offset) {
                    Some(b'\r' | b'\n') => offset += 1,
                    Some(b'#') => {
                        offset += bytes[offset..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(bytes.len() - offset, |end| end + 1);
                    }
                    _ => return offset,
                }
            }
        };
        // Lines from byte offsets: the crate's own line count leaves out
        // blank and comment lines, a `\r\n` before a record, and old Mac
        // line ends.
        let (mut counted_to, mut line_at) = (0, block.first_line);
        let mut line_of = |offset: usize| {
            if offset >= counted_to {
                line_at += line_ends(&bytes[counted_to..offset], bytes.get(offset).copied());
                counted_to = offset;
            }
            line_at
        };
        let mut reader = csv_reader(header, bytes);
        if header {
            // Read now: the first record's position would otherwise be
            // the header's.
            let _ = reader.byte_headers();
        }
        let mut out = BlockRecords {
            text: String::new(),
            spans: Vec::new(),
            records: Vec::new(),
            plain: false,
        };
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    let start = start_of(record.position());
                    if start == bytes.len() {
                        // A comment ending the input without a newline
                        // reads as one empty field: there is no record.
                        continue;
                    }
                    let first_field = out.spans.len();
                    for field in &record {
                        let start = out.text.len();
                        out.text.push_str(field);
                        out.spans.push(start..out.text.len());
                    }
                    out.records.push(Record {
                        line: line_of(start),
                        fields: Ok(first_field..out.spans.len()),
                    });
                }
                Ok(false) => return out,
                Err(e) => {
                    out.records.push(Record {
                        line: line_of(start_of(e.position())),
                        fields: Err(format!("unreadable CSV row: {e}")),
                    });
                    if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        // Only a bad row's text lets the reader go on.
                        return out;
                    }
                }
            }
        }
    }
}

/// The state of [`BlockRecords::read_plain`]'s one pass: a comma ends a
/// field, a line end ends the record, which is then kept or (blank line,
/// comment, header) dropped with its fields.
struct PlainSplit {
    spans: Vec<Range<usize>>,
    records: Vec<Record>,
    /// The next record is the header, to leave out.
    header: bool,
    line: u64,
    line_start: usize,
    field_start: usize,
}

impl PlainSplit {
    /// Ends the line at `bytes[end]` (a `\n`, or the end of the block).
    fn end_line(&mut self, bytes: &[u8], end: usize) {
        let first_field = self
            .records
            .last()
            .and_then(|r| r.fields.as_ref().ok())
            .map_or(0, |fields| fields.end);
        let content = &bytes[self.line_start..end];
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if content.is_empty() || content[0] == b'#' || std::mem::take(&mut self.header) {
            self.spans.truncate(first_field);
        } else {
            let field_end = self.line_start + content.len();
            self.spans.push(self.field_start..field_end);
            self.records.push(Record {
                line: self.line,
                fields: Ok(first_field..self.spans.len()),
            });
        }
        self.line += 1;
        (self.line_start, self.field_start) = (end + 1, end + 1);
    }
}

/// The lines of `bytes` without their `\n`, with their offsets; no empty
/// line after a final `\n`.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let rest = bytes.get(start..).filter(|rest| !rest.is_empty())?;
        let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = (start, &rest[..len]);
        start += len + 1;
        Some(line)
    })
}

/// No quotes, every carriage return ends a line (`\r\n`), and no
/// byte-order mark (which the CSV parser drops): the bytes read the same
/// split at commas and line ends as through a CSV parser.
fn is_plain(bytes: &[u8]) -> bool {
    !bytes.starts_with(b"\xEF\xBB\xBF")
        && !bytes.contains(&b'"')
        && (!bytes.contains(&b'\r')
            || bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\r')
                .all(|(i, _)| bytes.get(i + 1).is_none_or(|&next| next == b'\n')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::csv_blocks::Blocks;
    use crate::batch::csv_blocks::tests::Trickle;

    /// Rows of an old Mac file (lone `\r` line ends) get their own line
    /// numbers across blocks, read in pieces of every size.
    #[test]
    fn old_mac_rows_keep_their_line_numbers_across_blocks() {
        let mut input = String::from("lat,lon\r");
        for i in 0..60_000 {
            if i % 1000 == 500 {
                input.push_str("\"quoted\",x\r");
            } else {
                input.push_str(&format!("{},{}\r", i % 90, i % 180));
            }
        }
        let mut lines = Vec::new();
        let mut blocks = 0;
        for (index, block) in Blocks::new(Trickle(input.as_bytes())).enumerate() {
            let records = BlockRecords::read(block.unwrap(), index == 0);
            lines.extend(records.records().iter().map(|r| r.line));
            blocks += 1;
        }
        let expected: Vec<u64> = (2..60_002).collect();
        assert_eq!(lines, expected);
        assert!(blocks > 1);
    }

    fn plain_and_csv(input: &str, header: bool) -> (Vec<(u64, Vec<String>)>, bool) {
        let block = |bytes: &[u8]| Block {
            first_line: 41,
            bytes: bytes.to_vec(),
        };
        let owned = |records: &BlockRecords| -> Vec<(u64, Vec<String>)> {
            let fields = records.fields();
            records
                .records()
                .iter()
                .map(|r| {
                    let range = r.fields.clone().expect("readable");
                    (
                        r.line,
                        fields[range].iter().map(|f| f.to_string()).collect(),
                    )
                })
                .collect()
        };
        let records = BlockRecords::read(block(input.as_bytes()), header);
        if records.is_plain() {
            for field in records.fields() {
                assert!(
                    !field.contains([',', '"', '\n', '\r']),
                    "{input:?}: {field:?}"
                );
            }
        }
        let read = owned(&records);
        let with_csv = owned(&BlockRecords::read_with_csv(
            &block(input.as_bytes()),
            header,
        ));
        assert_eq!(read, with_csv, "{input:?}");
        (read, is_plain(input.as_bytes()))
    }

    #[test]
    fn plain_blocks_read_as_the_csv_crate_reads_them() {
        let inputs = [
            "lat,lon\n1,2\n3,4\n",
            "lat,lon\r\n1,2\r\n3,4",
            "# comment first\nlat,lon\n\n1,2\n\n\n# note, with comma\n3,4,extra\n5\n",
            "\n\nlat,lon\n,\n1,\n,2\n",
            "lat,lon\n 1 , 2 \n\u{a0}3,4\u{a0}\n",
            "1,2\n#x\n3,4\n",
            "",
            "\n",
            "a,b\r\n\r\n\r\nc,d\r\n",
            "lat,lon\n1,2# not a comment\n",
            "lat,lon\n1,2\n# a comment ending the input, no newline",
            "#",
        ];
        for input in inputs {
            for header in [true, false] {
                let (_, plain) = plain_and_csv(input, header);
                assert!(plain, "{input:?} should take the plain path");
            }
        }
        let (records, _) = plain_and_csv("# c\nlat,lon\n\n1,2\n3,4,5\r\n", true);
        assert_eq!(
            records,
            vec![
                (44, vec!["1".to_string(), "2".to_string()]),
                (45, vec!["3".into(), "4".into(), "5".into()])
            ]
        );
    }

    #[test]
    fn other_blocks_go_through_the_csv_crate() {
        for input in [
            "lat,lon\n\"1\",2\n",
            "a,b\n\"multi\nline\",2\n3,4\n",
            "a,b\r1,2\r3,4\r",
            "a,b\n1,2\rx,y\n",
        ] {
            let (_, plain) = plain_and_csv(input, true);
            assert!(!plain, "{input:?}");
        }
        // Lines are physical lines, past blank lines, comments and `\r\n`.
        let quoted = Block {
            first_line: 1,
            bytes: b"a,b\r\n\r\n# c\n\"x\",1\n\n\"multi\nline\",2\n3,4\n".to_vec(),
        };
        let records = BlockRecords::read(quoted, true);
        let lines: Vec<u64> = records.records().iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![4, 6, 8]);
        // A comment ending the input is no record on the csv crate's path
        // either (the crate reads it as one empty field).
        let quoted_then_comment = Block {
            first_line: 1,
            bytes: b"a,b\n\"1\",2\n# end".to_vec(),
        };
        let records = BlockRecords::read(quoted_then_comment, true);
        assert_eq!(records.records().len(), 1);
        // A byte-order mark goes to the csv crate, which drops it: the
        // comment after it stays a comment.
        let (records, plain) = plain_and_csv("\u{feff}# exported\nlat,lon\n1,2\n", true);
        assert!(!plain);
        assert_eq!(records, vec![(43, vec!["1".to_string(), "2".to_string()])]);
        // Bad UTF-8 in the first row after the header: the row's own line.
        for (bytes, line) in [
            (&b"lat,lon\n\xff,3\n4,5\n"[..], 2),
            (&b"# c\n\nlat,lon\n\xff,3\n"[..], 4),
        ] {
            let records = BlockRecords::read(
                Block {
                    first_line: 1,
                    bytes: bytes.to_vec(),
                },
                true,
            );
            assert_eq!(records.records()[0].line, line, "{bytes:?}");
            assert!(records.records()[0].fields.is_err());
        }
        let bad_utf8 = Block {
            first_line: 1,
            bytes: b"lat,lon\n1,2\n\xff,3\n4,5\n".to_vec(),
        };
        let records = BlockRecords::read(bad_utf8, true);
        let lines: Vec<(u64, bool)> = records
            .records()
            .iter()
            .map(|r| (r.line, r.fields.is_ok()))
            .collect();
        assert_eq!(lines, vec![(2, true), (3, false), (4, true)]);
    }
}
