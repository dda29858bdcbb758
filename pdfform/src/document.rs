//! Opening a PDF: header sniffing, lopdf parsing (xref streams, object
//! streams, incremental updates, xref reconstruction, decryption) behind a
//! guard so that no input can panic the caller, and small helpers for
//! reading dictionaries through indirect references.

use crate::error::{Error, Result};
use lopdf::{Dictionary, LoadOptions, Object, ObjectId};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// How far into the file we look for `%PDF-`. Acrobat accepts a header
/// anywhere in the first 1024 bytes; anything later is not a PDF.
const HEADER_WINDOW: usize = 1024;

/// Bounds on what one decompressed stream may grow to. Real streams
/// inflate 3–20 times; a "zip bomb" inflates a thousandfold. Each stream may
/// take 50 times the size of the whole file, but never less than the floor
/// (small files with one dense page are normal) nor more than the ceiling.
const STREAM_BYTES_PER_FILE_BYTE: usize = 50;
const MIN_STREAM_BYTES: usize = 4 * 1024 * 1024;
const MAX_STREAM_BYTES: usize = 256 * 1024 * 1024;

/// A parsed PDF document ready for reading fields and text.
pub struct PdfDocument {
    pub(crate) file: PathBuf,
    pub(crate) doc: lopdf::Document,
    /// Page object ids by 1-based page number.
    pub(crate) pages: BTreeMap<u32, ObjectId>,
    /// The most bytes any one stream of this document may decompress to.
    pub(crate) stream_limit: usize,
}

impl PdfDocument {
    /// Reads and parses the file at `path`. An encrypted file opens when the
    /// empty user password (or `password`, if given) unlocks it.
    pub fn open(path: impl AsRef<Path>, password: Option<&str>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes, path, password)
    }

    /// Parses `bytes`; `file` only names the document in errors and output.
    pub fn from_bytes(
        bytes: &[u8],
        file: impl AsRef<Path>,
        password: Option<&str>,
    ) -> Result<Self> {
        let file = file.as_ref().to_path_buf();
        check_header(bytes, &file)?;
        let stream_limit = bytes
            .len()
            .saturating_mul(STREAM_BYTES_PER_FILE_BYTE)
            .clamp(MIN_STREAM_BYTES, MAX_STREAM_BYTES);
        let options = LoadOptions {
            password: password.map(str::to_owned),
            max_decompressed_size: Some(stream_limit),
            ..LoadOptions::default()
        };
        // lopdf is hardened (nesting and reference limits) but it is a large
        // parser fed hostile bytes: a panic inside it must become an error
        // for this one file, not take down a batch run.
        let loaded = catch_unwind(AssertUnwindSafe(|| {
            lopdf::Document::load_mem_with_options(bytes, options)
        }))
        .map_err(|_| damaged(&file, "the parser gave up on malformed data"))?;
        let doc = match loaded {
            Ok(doc) => doc,
            Err(lopdf::Error::InvalidPassword) => return Err(Error::WrongPassword { file }),
            Err(lopdf::Error::Decryption(_)) if password.is_some() => {
                return Err(Error::WrongPassword { file });
            }
            Err(error) => return Err(damaged(&file, &error.to_string())),
        };
        // lopdf removes /Encrypt from the trailer once it has decrypted; if
        // it is still there, neither the empty nor the given password worked.
        if doc.trailer.has(b"Encrypt") {
            return Err(match password {
                Some(_) => Error::WrongPassword { file },
                None => Error::PasswordRequired { file },
            });
        }
        if doc.catalog().is_err() {
            return Err(damaged(&file, "no document catalog (/Root) could be read"));
        }
        let pages = catch_unwind(AssertUnwindSafe(|| doc.get_pages()))
            .map_err(|_| damaged(&file, "the page tree is malformed"))?;
        Ok(PdfDocument {
            file,
            doc,
            pages,
            stream_limit,
        })
    }

    /// The path or name the document was opened under.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Number of pages found in the page tree.
    pub fn page_count(&self) -> u32 {
        self.pages.len() as u32
    }

    /// A stream's decoded bytes within the document's size bound; `None`
    /// when it cannot be decoded or would exceed the bound.
    pub(crate) fn stream_bytes(&self, stream: &lopdf::Stream) -> Option<Vec<u8>> {
        stream
            .decompressed_content_with_limit(self.stream_limit)
            .ok()
    }

    /// Follows a reference (or chain of them) to the object it names.
    pub(crate) fn resolve<'a>(&'a self, object: &'a Object) -> Option<&'a Object> {
        self.doc.dereference(object).ok().map(|(_, object)| object)
    }

    /// `dict[key]` with references followed.
    pub(crate) fn get<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        dict.get(key).ok().and_then(|object| self.resolve(object))
    }

    /// `dict[key]` as a dictionary (a stream's dictionary counts).
    pub(crate) fn get_dict<'a>(
        &'a self,
        dict: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a Dictionary> {
        match self.get(dict, key)? {
            Object::Dictionary(dict) => Some(dict),
            Object::Stream(stream) => Some(&stream.dict),
            _ => None,
        }
    }

    /// `dict[key]` as an array.
    pub(crate) fn get_array<'a>(
        &'a self,
        dict: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a [Object]> {
        match self.get(dict, key)? {
            Object::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object an array entry or value names as a dictionary, with its id
    /// when it was reached through a reference.
    pub(crate) fn dict_entry<'a>(
        &'a self,
        object: &'a Object,
    ) -> Option<(Option<ObjectId>, &'a Dictionary)> {
        let (id, object) = self.doc.dereference(object).ok()?;
        match object {
            Object::Dictionary(dict) => Some((id, dict)),
            Object::Stream(stream) => Some((id, &stream.dict)),
            _ => None,
        }
    }
}

fn damaged(file: &Path, reason: &str) -> Error {
    Error::Damaged {
        file: file.to_path_buf(),
        reason: reason.to_owned(),
    }
}

fn check_header(bytes: &[u8], file: &Path) -> Result<()> {
    let not_pdf = |reason: &str| Error::NotPdf {
        file: file.to_path_buf(),
        reason: reason.to_owned(),
    };
    if bytes.is_empty() {
        return Err(not_pdf("the file is empty"));
    }
    let window = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if !window.windows(5).any(|w| w == b"%PDF-") {
        let looks_like = if window.trim_ascii_start().starts_with(b"<") {
            "it looks like HTML or XML"
        } else {
            "there is no %PDF- header in its first 1024 bytes"
        };
        return Err(not_pdf(looks_like));
    }
    Ok(())
}
