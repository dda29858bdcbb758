//! An incremental update (ISO 32000-2, 7.5.6): the original bytes
//! unchanged, then the changed and new objects, a cross-reference section
//! for them (a stream when the file's latest section is one) and a trailer
//! whose /Prev chains to the original's. Objects of an encrypted file are
//! encrypted with its key; the cross-reference stream never is.

use crate::document::Revision;
use lopdf::{Dictionary, Object, ObjectId, Stream, Writer};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The offset the file's last `startxref` gives, which /Prev repeats;
/// `None` when the file does not end with a readable one.
pub(super) fn last_startxref(bytes: &[u8]) -> Option<u64> {
    let tail_start = bytes.len().saturating_sub(4096);
    let tail = &bytes[tail_start..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let digits: String = tail[at + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    digits.parse().ok()
}

/// Counts what passes through, for the offsets.
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes `revision`'s bytes and the update of `objects` to `out`.
/// `prev` is the original's `startxref` offset.
pub(super) fn write(
    revision: &Revision<'_>,
    prev: u64,
    objects: &BTreeMap<ObjectId, Object>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = Counting {
        inner: out,
        written: 0,
    };
    out.write_all(revision.bytes)?;
    if !revision.bytes.ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    // Offsets count from the header, as the original's do when bytes
    // precede it.
    let header = revision
        .bytes
        .windows(5)
        .take(1024)
        .position(|w| w == b"%PDF-")
        .unwrap_or(0) as u64;
    let mut offsets: BTreeMap<u32, (u64, u16)> = BTreeMap::new();
    for (&(number, generation), object) in objects {
        offsets.insert(number, (out.written - header, generation));
        writeln!(out, "{number} {generation} obj")?;
        match revision.encryption {
            Some(state) => {
                let mut encrypted = object.clone();
                lopdf::encryption::encrypt_object(state, (number, generation), &mut encrypted)
                    .map_err(io::Error::other)?;
                Writer::write_object(&mut out, &encrypted)?;
            }
            None => Writer::write_object(&mut out, object)?,
        }
        out.write_all(b"\nendobj\n")?;
    }
    let mut trailer = Dictionary::new();
    for key in [&b"Root"[..], b"Info", b"ID", b"Encrypt"] {
        if let Ok(value) = revision.trailer.get(key) {
            trailer.set(key, value.clone());
        }
    }
    trailer.set("Prev", Object::Integer(prev as i64));
    let highest = objects.keys().map(|id| id.0).max().unwrap_or(0);
    let xref_at = out.written - header;
    if revision.xref_stream {
        let own = highest.max(revision.size.saturating_sub(1)) + 1;
        offsets.insert(own, (xref_at, 0));
        write_xref_stream(&mut out, own, &offsets, trailer)?;
    } else {
        write_xref_table(&mut out, &offsets)?;
        trailer.set(
            "Size",
            i64::from(highest.max(revision.size.saturating_sub(1)) + 1),
        );
        out.write_all(b"trailer\n")?;
        Writer::write_object(&mut out, &Object::Dictionary(trailer))?;
        out.write_all(b"\n")?;
    }
    write!(out, "startxref\n{xref_at}\n%%EOF\n")?;
    out.flush()
}

/// Runs of consecutive object numbers: (first, count).
fn runs(offsets: &BTreeMap<u32, (u64, u16)>) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &number in offsets.keys() {
        match runs.last_mut() {
            Some((first, count)) if *first + *count == number => *count += 1,
            _ => runs.push((number, 1)),
        }
    }
    runs
}

fn write_xref_table(out: &mut dyn Write, offsets: &BTreeMap<u32, (u64, u16)>) -> io::Result<()> {
    out.write_all(b"xref\n")?;
    for (first, count) in runs(offsets) {
        writeln!(out, "{first} {count}")?;
        for number in first..first + count {
            let (offset, generation) = offsets[&number];
            // Each entry is exactly 20 bytes, ending in space and LF.
            writeln!(out, "{offset:010} {generation:05} n ")?;
        }
    }
    Ok(())
}

fn write_xref_stream(
    out: &mut dyn Write,
    own: u32,
    offsets: &BTreeMap<u32, (u64, u16)>,
    mut dict: Dictionary,
) -> io::Result<()> {
    let mut index = Vec::new();
    for (first, count) in runs(offsets) {
        index.push(Object::Integer(i64::from(first)));
        index.push(Object::Integer(i64::from(count)));
    }
    // Type 1 entries: [1, offset (4 bytes), generation (2 bytes)].
    let mut data = Vec::with_capacity(offsets.len() * 7);
    for &(offset, generation) in offsets.values() {
        data.push(1);
        data.extend_from_slice(&(offset as u32).to_be_bytes());
        data.extend_from_slice(&generation.to_be_bytes());
    }
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", i64::from(own) + 1);
    dict.set("Index", Object::Array(index));
    dict.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
    writeln!(out, "{own} 0 obj")?;
    Writer::write_object(out, &Object::Stream(Stream::new(dict, data)))?;
    out.write_all(b"\nendobj\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startxref_is_read_from_the_end() {
        assert_eq!(
            last_startxref(b"%PDF-1.4\n...startxref\n1234\n%%EOF\n"),
            Some(1234)
        );
        assert_eq!(
            last_startxref(b"startxref\n1\n%%EOF\nstartxref\r\n99\r\n%%EOF"),
            Some(99)
        );
        assert_eq!(last_startxref(b"%PDF-1.4 no end"), None);
    }

    #[test]
    fn runs_group_consecutive_numbers() {
        let offsets: BTreeMap<u32, (u64, u16)> = [3, 4, 5, 9, 11, 12]
            .into_iter()
            .map(|n| (n, (0, 0)))
            .collect();
        assert_eq!(runs(&offsets), [(3, 3), (9, 1), (11, 2)]);
    }
}
