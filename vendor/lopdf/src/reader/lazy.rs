//! Lazy loading (`mod lazy` at the end of reader.rs): the one addition of magvar's vendored copy to lopdf 0.47.0.
//!
//! [`Reader::lazy`] does what [`Document::load_mem_with_options`] does before
//! it parses the objects — header, cross-reference data (with the same
//! `/Prev`, hybrid-file, offset-correction and reconstruction rules) and
//! trailer, and for an encrypted document the password check and key set-up
//! — and stops there. Objects are then read one at a time with
//! [`Reader::get_object`], which parses (and decrypts) the object the
//! cross-reference table locates, reading object streams as needed; or,
//! to parse only the members of an object stream that are asked for, with
//! [`LazyObjectStream`].

use crate::encryption::{DecryptionError, EncryptionState, PasswordAlgorithm};
use crate::parser;
use crate::xref::XrefRecovery;
use crate::{Document, Error, LoadOptions, Object, ParseError, Reader, Result, Stream};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::num::TryFromIntError;
use std::str::FromStr;

impl<'a> Reader<'a> {
    /// A reader of `buffer` whose cross-reference table and trailer are
    /// loaded and whose objects are not.
    ///
    /// For an encrypted document the empty user password, then
    /// `options.password`, is tried; when neither opens it the reader is
    /// returned without an [`EncryptionState`](crate::EncryptionState), and a
    /// wrong password given in `options` is an
    /// [`Error::InvalidPassword`](crate::Error::InvalidPassword), as in the
    /// eager load. Unlike [`Document::load_mem_with_options`](crate::Document),
    /// the catalog and page tree are not checked, so a caller that needs them
    /// checks what it reads (and `document.xref_recovery` says whether the
    /// table was repaired).
    pub fn lazy(buffer: &'a [u8], options: LoadOptions) -> Result<Reader<'a>> {
        let mut reader = Reader::with_options(buffer, options);
        let offset = reader.buffer.windows(5).position(|w| w == b"%PDF-").unwrap_or(0);
        reader.buffer = &reader.buffer[offset..];
        let version = parser::header(reader.buffer, reader.strict).ok_or(ParseError::InvalidFileHeader)?;
        if let Some(pos) = reader.buffer.iter().position(|&byte| byte == b'\n')
            && let Some(binary_mark) = parser::binary_mark(&reader.buffer[pos + 1..])
            && binary_mark.iter().all(|&byte| byte >= 128)
        {
            reader.document.binary_mark = binary_mark;
        }
        let (xref, trailer) = reader.load_xref_and_trailer()?;
        reader.document.version = version;
        reader.document.max_id = xref.size.saturating_sub(1);
        reader.document.trailer = trailer;
        reader.set_reference_table(xref);
        if reader.document.trailer.has(b"Encrypt") {
            reader.parse_encryption_dictionary()?;
            reader.setup_encryption_lazily()?;
        }
        Ok(reader)
    }

    /// The full load of this reader's buffer: what
    /// [`Document::load_mem_with_options`](crate::Document) gives with the
    /// same options, continuing from the cross-reference data, trailer and
    /// decryption set-up this reader has already read (for AES-256 the
    /// password hashing is most of the cost of an open), as
    /// [`Reader::read`] continues after reading them.
    pub fn load_document(&self) -> Result<Document> {
        let mut reader = Reader {
            buffer: self.buffer,
            document: self.document.clone(),
            encryption_state: self.encryption_state.clone(),
            raw_objects: BTreeMap::new(),
            password: self.password.clone(),
            strict: self.strict,
            max_decompressed_size: self.max_decompressed_size,
            force_reconstruct: self.force_reconstruct,
            normal_offsets: self.normal_offsets.clone(),
            free_without_xref_stream: self.free_without_xref_stream.clone(),
            object_streams: Mutex::default(),
            #[cfg(all(test, feature = "rayon"))]
            parallel: None,
        };
        // `lazy` read the encryption dictionary into `objects`; the full
        // load starts without objects and reads it again.
        reader.document.objects.clear();
        // From here as `Reader::read`.
        if reader.document.trailer.get(b"Encrypt").is_ok() {
            reader.load_encrypted_document(None)?;
        } else {
            reader.load_objects_raw(None)?;
        }
        if let Some(&max_loaded_id) = reader.document.objects.keys().next_back() {
            reader.document.max_id = reader.document.max_id.max(max_loaded_id.0);
        }
        reader.document.linearization = reader.read_linearization();
        if reader.should_rebuild(reader.document.xref_recovery) && !Self::page_tree_loaded(&reader.document) {
            let options = LoadOptions {
                password: reader.password.clone(),
                max_decompressed_size: reader.max_decompressed_size,
                force_reconstruct: true,
                ..LoadOptions::default()
            };
            if let Ok(rebuilt) = Reader::with_options(reader.buffer, options).read(None)
                && rebuilt.xref_recovery == Some(XrefRecovery::Reconstructed)
                && Self::page_tree_loaded(&rebuilt)
            {
                return Ok(rebuilt);
            }
        }
        Ok(reader.document)
    }

    /// The eager load's password set-up, with one saving for revision 6
    /// (AES-256), whose password hash (Algorithm 2.B) is costly by design:
    /// there `EncryptionState::decode` checks the password itself (the owner
    /// and user checks of Algorithms 11 and 12 lead Algorithm 2.A), so the
    /// separate check the eager load makes first, up to two more hashes, is
    /// skipped. A password is taken only when `decode` succeeds with it; when
    /// `decode` fails for any reason but a wrong password, no state is set,
    /// as when no password works, and the caller must not read the objects
    /// (the eager load then decides). Other revisions go the eager way.
    fn setup_encryption_lazily(&mut self) -> Result<()> {
        let algorithm = PasswordAlgorithm::try_from(&self.document)?;
        if algorithm.revision != 6 {
            self.authenticate_and_setup_encryption(false)?;
            return Ok(());
        }
        let given = self.password.clone();
        for password in std::iter::once("").chain(given.as_deref()) {
            let Ok(password) = algorithm.sanitize_password(password) else {
                return Ok(());
            };
            match EncryptionState::decode(&self.document, &password) {
                Ok(state) => {
                    self.encryption_state = Some(state);
                    return Ok(());
                }
                Err(Error::Decryption(DecryptionError::IncorrectPassword)) => {}
                Err(_) => return Ok(()),
            }
        }
        Ok(())
    }
}

/// An object stream read for a lazy reader: its index is read and its data
/// decoded once, and its objects are parsed one at a time, each exactly as
/// [`ObjectStream::new_with_limit`](crate::ObjectStream::new_with_limit)
/// parses it (which parses them all).
pub struct LazyObjectStream {
    content: Vec<u8>,
    /// (object number, offset in `content`) in index order, sorted by
    /// object number (stably, so index order holds within a number).
    entries: Vec<(u32, usize)>,
}

impl LazyObjectStream {
    /// Decodes `stream` (within `max_decompressed_size` bytes) and reads its
    /// index; fails where `ObjectStream::new_with_limit` fails.
    pub fn new(stream: &Stream, max_decompressed_size: Option<usize>) -> Result<LazyObjectStream> {
        let content = match max_decompressed_size {
            Some(max) => stream.get_plain_content_with_limit(max)?,
            None => stream.get_plain_content()?,
        };
        if content.is_empty() {
            return Ok(LazyObjectStream {
                content,
                entries: Vec::new(),
            });
        }
        let first_offset: usize = stream
            .dict
            .get(b"First")
            .and_then(Object::as_i64)?
            .try_into()
            .map_err(|e: TryFromIntError| Error::NumericCast(e.to_string()))?;
        let index_block = content.get(..first_offset).ok_or(Error::InvalidOffset(first_offset))?;
        let numbers_str = std::str::from_utf8(index_block).map_err(|e| Error::InvalidObjectStream(e.to_string()))?;
        let numbers: Vec<_> = numbers_str
            .split(['\r', '\n'])
            .flat_map(|line| line.split('%').next().unwrap_or_default().split_whitespace())
            .map(|number| u32::from_str(number).ok())
            .collect();
        let len = numbers.len() / 2 * 2;
        // `ObjectStream` requires /N although it only warns when it is wrong.
        stream.dict.get(b"N").and_then(Object::as_i64)?;
        let mut entries: Vec<(u32, usize)> = numbers[..len]
            .chunks(2)
            .filter_map(|chunk| Some((chunk[0]?, first_offset + chunk[1]? as usize)))
            .collect();
        entries.sort_by_key(|&(number, _)| number);
        Ok(LazyObjectStream { content, entries })
    }

    /// The size of the decoded stream data it keeps, in bytes.
    pub fn decoded_len(&self) -> usize {
        self.content.len()
    }

    /// Object `number` of the stream. `ObjectStream` collects its objects
    /// into a map, so of several entries for one number the last that parses
    /// wins; so it does here.
    pub fn get(&self, number: u32) -> Option<Object> {
        let start = self.entries.partition_point(|&(n, _)| n < number);
        let end = self.entries.partition_point(|&(n, _)| n <= number);
        self.entries[start..end]
            .iter()
            .rev()
            .find_map(|&(_, offset)| self.parse_at(offset))
    }

    fn parse_at(&self, offset: usize) -> Option<Object> {
        if offset >= self.content.len() {
            return None;
        }
        let (rest, ()) = parser::space(&self.content[offset..]).ok()?;
        if rest.is_empty() {
            return None;
        }
        parser::direct_object(rest)
    }
}
