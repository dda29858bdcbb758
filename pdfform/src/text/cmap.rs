//! ToUnicode CMaps (ISO 32000-2, 9.10.3): character codes of a font to
//! Unicode text, and the codespace ranges that say how many bytes each code
//! takes. Only what ToUnicode streams use is read: `begincodespacerange`,
//! `beginbfchar` and `beginbfrange`.

use std::collections::HashMap;

/// A bfrange larger than this is treated as damage and skipped: a real one
/// covers at most the 65,536 codes of a two-byte codespace.
const MAX_RANGE: u32 = 0x1_0000;

#[derive(Debug, Default)]
pub struct ToUnicode {
    /// (byte length, low bytes, high bytes) of each codespace range.
    codespaces: Vec<(usize, [u8; 4], [u8; 4])>,
    chars: HashMap<(usize, u32), String>,
    ranges: Vec<Range>,
}

#[derive(Debug)]
struct Range {
    len: usize,
    low: u32,
    high: u32,
    target: Target,
}

#[derive(Debug)]
enum Target {
    /// UTF-16 code units of the text for `low`; later codes increment the
    /// last unit.
    Start(Vec<u16>),
    /// One text per code.
    List(Vec<String>),
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Hex(Vec<u8>),
    Open,
    Close,
    Word(&'a [u8]),
}

impl ToUnicode {
    pub fn parse(data: &[u8]) -> ToUnicode {
        let tokens = tokenize(data);
        let mut cmap = ToUnicode::default();
        let mut i = 0;
        while i < tokens.len() {
            match tokens[i] {
                Token::Word(b"begincodespacerange") => {
                    i += 1;
                    while let (Some(Token::Hex(low)), Some(Token::Hex(high))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if (1..=4).contains(&low.len()) && low.len() == high.len() {
                            let mut lo = [0; 4];
                            let mut hi = [0; 4];
                            lo[..low.len()].copy_from_slice(low);
                            hi[..high.len()].copy_from_slice(high);
                            cmap.codespaces.push((low.len(), lo, hi));
                        }
                        i += 2;
                    }
                }
                Token::Word(b"beginbfchar") => {
                    i += 1;
                    while let (Some(Token::Hex(code)), Some(Token::Hex(text))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if let Some(code_value) = code_value(code) {
                            cmap.chars
                                .insert((code.len(), code_value), utf16_text(&units(text)));
                        }
                        i += 2;
                    }
                }
                Token::Word(b"beginbfrange") => {
                    i += 1;
                    while let (Some(Token::Hex(low)), Some(Token::Hex(high))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        i += 2;
                        let target = match tokens.get(i) {
                            Some(Token::Hex(start)) => {
                                i += 1;
                                Target::Start(units(start))
                            }
                            Some(Token::Open) => {
                                i += 1;
                                let mut list = Vec::new();
                                while let Some(Token::Hex(text)) = tokens.get(i) {
                                    list.push(utf16_text(&units(text)));
                                    i += 1;
                                }
                                if tokens.get(i) == Some(&Token::Close) {
                                    i += 1;
                                }
                                Target::List(list)
                            }
                            _ => break,
                        };
                        if let (Some(lo), Some(hi)) = (code_value(low), code_value(high))
                            && lo <= hi
                            && hi - lo < MAX_RANGE
                        {
                            cmap.ranges.push(Range {
                                len: low.len(),
                                low: lo,
                                high: hi,
                                target,
                            });
                        }
                    }
                }
                _ => i += 1,
            }
        }
        cmap
    }

    /// How many bytes the code starting at `bytes[0]` takes, by the
    /// codespace ranges; `None` when they do not say.
    pub fn code_length(&self, bytes: &[u8]) -> Option<usize> {
        self.codespaces.iter().find_map(|&(len, low, high)| {
            let code = bytes.get(..len)?;
            code.iter()
                .enumerate()
                .all(|(k, &b)| low[k] <= b && b <= high[k])
                .then_some(len)
        })
    }

    pub fn has_codespaces(&self) -> bool {
        !self.codespaces.is_empty()
    }

    /// The text for a code of `len` bytes.
    pub fn lookup(&self, len: usize, code: u32) -> Option<String> {
        let mut out = String::new();
        self.write(len, code, &mut out).then_some(out)
    }

    /// Appends the text for a code of `len` bytes to `out`; false when the
    /// CMap does not map the code.
    pub fn write(&self, len: usize, code: u32, out: &mut String) -> bool {
        if let Some(text) = self.chars.get(&(len, code)) {
            out.push_str(text);
            return true;
        }
        let Some(range) = self
            .ranges
            .iter()
            .find(|range| range.len == len && range.low <= code && code <= range.high)
        else {
            return false;
        };
        let offset = code - range.low;
        match &range.target {
            Target::Start(start) => {
                let Some((&last, head)) = start.split_last() else {
                    return false;
                };
                let units = head
                    .iter()
                    .copied()
                    .chain([last.wrapping_add(offset as u16)]);
                out.extend(
                    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)),
                );
                true
            }
            Target::List(list) => match list.get(offset as usize) {
                Some(text) => {
                    out.push_str(text);
                    true
                }
                None => false,
            },
        }
    }
}

impl ToUnicode {
    /// Every code that stands for exactly one character, as
    /// (character, byte length, code): what writing text in the font needs.
    /// Ranges are walked within [`MAX_RANGE`] codes each.
    pub fn single_chars(&self) -> Vec<(char, usize, u32)> {
        let mut found = Vec::new();
        let mut one = |text: &str, len: usize, code: u32| {
            let mut chars = text.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                found.push((c, len, code));
            }
        };
        for (&(len, code), text) in &self.chars {
            one(text, len, code);
        }
        for range in &self.ranges {
            for code in range.low..=range.high.min(range.low.saturating_add(MAX_RANGE)) {
                if let Some(text) = self.lookup(range.len, code) {
                    one(&text, range.len, code);
                }
            }
        }
        found
    }
}

fn code_value(bytes: &[u8]) -> Option<u32> {
    (1..=4)
        .contains(&bytes.len())
        .then(|| bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b)))
}

fn units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => u16::from_be_bytes([*hi, *lo]),
            [single] => u16::from(*single),
            _ => 0,
        })
        .collect()
}

fn utf16_text(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn tokenize(data: &[u8]) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' => i += 1,
            b'<' => {
                let end = data[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| i + p);
                let digits: Vec<u8> = data[i + 1..end]
                    .iter()
                    .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
                    .collect();
                let bytes = digits
                    .chunks(2)
                    .map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0))
                    .collect();
                tokens.push(Token::Hex(bytes));
                i = end + 1;
            }
            b'[' => {
                tokens.push(Token::Open);
                i += 1;
            }
            b']' => {
                tokens.push(Token::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings do not occur in the sections we read;
                // skip them whole so their bytes are not read as words.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < data.len() && !b"<>[]()% \t\r\n\x0c\0".contains(&data[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                } else {
                    tokens.push(Token::Word(&data[start..i]));
                }
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_and_codespace() {
        let cmap = ToUnicode::parse(
            b"/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0024> <0041> endbfchar\n\
              1 beginbfrange <0044> <0046> <0061> endbfrange\n\
              1 beginbfrange <0050> <0051> [<00660069> <D83DDE00>] endbfrange end",
        );
        assert_eq!(cmap.code_length(&[0x00, 0x24]), Some(2));
        assert_eq!(cmap.lookup(2, 0x24).as_deref(), Some("A"));
        assert_eq!(cmap.lookup(2, 0x46).as_deref(), Some("c"));
        assert_eq!(cmap.lookup(2, 0x50).as_deref(), Some("fi"));
        assert_eq!(cmap.lookup(2, 0x51).as_deref(), Some("😀"));
        assert_eq!(cmap.lookup(2, 0x47), None);
    }
}
