//! Opening a PDF: header sniffing, then either the lazy reader (cross-
//! reference data and page tree only, objects on demand: `lazy.rs`) or
//! lopdf's full load (xref streams, object streams, incremental updates,
//! xref reconstruction, decryption), each behind a guard so that no input
//! can panic the caller.

use crate::error::{Error, Result};
use crate::lazy::LazyDocument;
use crate::objects::Objects;
use lopdf::xref::XrefType;
use lopdf::{Dictionary, LoadOptions, Object, ObjectId};
use std::collections::{BTreeMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// A PDF document ready for reading fields and text.
///
/// Opening reads the cross-reference data and the page tree only; the
/// fields are then read from the objects they need, parsed on demand. Text
/// (and any file the lazy reader cannot vouch for: repaired cross-reference
/// data, an odd page tree, an object that does not read cleanly) uses
/// lopdf's full load, so both paths give the same result.
pub struct PdfDocument {
    pub(crate) file: PathBuf,
    password: Option<String>,
    /// The most bytes any one stream of this document may decompress to.
    pub(crate) stream_limit: usize,
    /// The bytes and the objects read from them so far; `None` when the
    /// file was loaded eagerly from the start.
    lazy: Option<LazyDocument>,
    /// lopdf's full load, made on first need.
    loaded: OnceLock<Result<Loaded>>,
    /// The file's bytes when the lazy reader, which owns them otherwise,
    /// declined the file: an incremental update appends to them.
    eager_bytes: Option<Vec<u8>>,
}

/// A document fully loaded by lopdf.
pub(crate) struct Loaded {
    pub(crate) file: PathBuf,
    pub(crate) doc: lopdf::Document,
    /// Page object ids by 1-based page number.
    pub(crate) pages: BTreeMap<u32, ObjectId>,
    pub(crate) stream_limit: usize,
}

impl Loaded {
    /// The document's objects through the common view.
    pub(crate) fn objects(&self) -> Objects<'_> {
        Objects::eager(&self.doc, &self.file, &self.pages, self.stream_limit)
    }

    pub(crate) fn page_count(&self) -> u32 {
        self.pages.len() as u32
    }

    pub(crate) fn stream_bytes(&self, stream: &lopdf::Stream) -> Option<Vec<u8>> {
        self.objects().stream_bytes(stream)
    }

    pub(crate) fn resolve<'a>(&'a self, object: &'a Object) -> Option<&'a Object> {
        self.objects().resolve(object)
    }

    pub(crate) fn get<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        self.objects().get(dict, key)
    }

    pub(crate) fn get_dict<'a>(
        &'a self,
        dict: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a Dictionary> {
        self.objects().get_dict(dict, key)
    }

    pub(crate) fn get_array<'a>(
        &'a self,
        dict: &'a Dictionary,
        key: &[u8],
    ) -> Option<&'a [Object]> {
        self.objects().get_array(dict, key)
    }

    pub(crate) fn dict_entry<'a>(
        &'a self,
        object: &'a Object,
    ) -> Option<(Option<ObjectId>, &'a Dictionary)> {
        self.objects().dict_entry(object)
    }
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
        Self::from_vec(bytes, path.to_path_buf(), password)
    }

    /// Parses `bytes`; `file` only names the document in errors and output.
    pub fn from_bytes(
        bytes: &[u8],
        file: impl AsRef<Path>,
        password: Option<&str>,
    ) -> Result<Self> {
        Self::from_vec(bytes.to_vec(), file.as_ref().to_path_buf(), password)
    }

    fn from_vec(bytes: Vec<u8>, file: PathBuf, password: Option<&str>) -> Result<Self> {
        check_header(&bytes, &file)?;
        let stream_limit = stream_limit(bytes.len());
        match LazyDocument::open(bytes, password, stream_limit) {
            Ok(lazy) => Ok(PdfDocument {
                file,
                password: password.map(str::to_owned),
                stream_limit,
                lazy: Some(lazy),
                loaded: OnceLock::new(),
                eager_bytes: None,
            }),
            Err(bytes) => {
                let loaded = load(&bytes, &file, password, stream_limit)?;
                Ok(PdfDocument {
                    file,
                    password: password.map(str::to_owned),
                    stream_limit,
                    lazy: None,
                    loaded: OnceLock::from(Ok(loaded)),
                    eager_bytes: Some(bytes),
                })
            }
        }
    }

    /// The path or name the document was opened under.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Number of pages found in the page tree.
    pub fn page_count(&self) -> u32 {
        // The lazy page tree, when there is one, equals lopdf's (an odd tree
        // sends the file to the eager path at open) and never changes.
        let pages = match (&self.lazy, self.loaded.get()) {
            (Some(lazy), _) => &lazy.objects().pages,
            (None, Some(Ok(loaded))) => &loaded.pages,
            (None, _) => return 0,
        };
        pages.len() as u32
    }

    /// The objects read on demand, unless the file was loaded eagerly or a
    /// lazy read already failed.
    pub(crate) fn lazy_objects(&self) -> Option<Objects<'_>> {
        let lazy = self.lazy.as_ref()?.objects();
        (!lazy.failed()).then(|| Objects::lazy(lazy, &self.file, self.stream_limit))
    }

    /// Whether anything read through [`Self::lazy_objects`] failed to read
    /// as the eager load would have read it.
    pub(crate) fn lazy_failed(&self) -> bool {
        self.lazy
            .as_ref()
            .is_some_and(|lazy| lazy.objects().failed())
    }

    /// lopdf's full load of the document, made once on first need. Its
    /// error is the one opening the file eagerly gives.
    pub(crate) fn loaded(&self) -> Result<&Loaded> {
        let loaded = self.loaded.get_or_init(|| match &self.lazy {
            // The lazy reader has read the cross-reference data and set up
            // decryption as the full load would; the full load goes on
            // from there.
            Some(lazy) => checked(
                || lazy.objects().load_document(),
                &self.file,
                self.password.as_deref(),
                self.stream_limit,
            ),
            None => Err(damaged(&self.file, "the document was not loaded")),
        });
        loaded.as_ref().map_err(Error::clone)
    }

    /// The fully loaded document's objects if the full load was made.
    pub(crate) fn loaded_objects(&self) -> Option<Objects<'_>> {
        match self.loaded.get() {
            Some(Ok(loaded)) => Some(loaded.objects()),
            _ => None,
        }
    }

    /// The fully loaded document's objects.
    pub(crate) fn eager_objects(&self) -> Result<Objects<'_>> {
        Ok(self.loaded()?.objects())
    }

    /// The password the document was opened with, if one was given.
    pub(crate) fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// What an incremental update needs to know of the file as it stands.
    pub(crate) fn revision(&self) -> Result<Revision<'_>> {
        if let Some(lazy) = &self.lazy {
            let reader = lazy.objects().reader();
            return Ok(Revision {
                bytes: lazy.borrow_owner(),
                trailer: reader.document.trailer.clone(),
                xref_stream: matches!(
                    reader.document.reference_table.cross_reference_type,
                    XrefType::CrossReferenceStream
                ),
                size: reader
                    .document
                    .reference_table
                    .size
                    .max(reader.document.max_id + 1),
                encryption: reader.encryption_state.as_ref(),
                repaired: reader.document.xref_recovery.is_some(),
            });
        }
        let loaded = self.loaded()?;
        let doc = &loaded.doc;
        let mut trailer = doc.trailer.clone();
        // The full load drops /Encrypt from the trailer once it has decrypted.
        if let Some(id) = doc
            .encryption_state
            .as_ref()
            .and_then(|s| s.encrypt_object_id())
        {
            trailer.set("Encrypt", Object::Reference(id));
        }
        Ok(Revision {
            bytes: self.eager_bytes.as_deref().unwrap_or_default(),
            trailer,
            xref_stream: matches!(
                doc.reference_table.cross_reference_type,
                XrefType::CrossReferenceStream
            ),
            size: doc.reference_table.size.max(doc.max_id + 1),
            encryption: doc.encryption_state.as_ref(),
            repaired: doc.xref_recovery.is_some() || self.eager_bytes.is_none(),
        })
    }
}

/// The file as it stands, for appending an update to it.
pub(crate) struct Revision<'a> {
    pub(crate) bytes: &'a [u8],
    /// The latest trailer (with /Encrypt when the file is encrypted).
    pub(crate) trailer: Dictionary,
    /// The latest cross-reference section is a stream (PDF 1.5).
    pub(crate) xref_stream: bool,
    /// One more than the highest object number in use.
    pub(crate) size: u32,
    pub(crate) encryption: Option<&'a lopdf::EncryptionState>,
    /// lopdf had to repair the cross-reference data: an update chained to
    /// it would point at offsets that are wrong.
    pub(crate) repaired: bool,
}

/// The most bytes one stream of a file of `file_len` bytes may decode to.
pub(crate) fn stream_limit(file_len: usize) -> usize {
    file_len
        .saturating_mul(STREAM_BYTES_PER_FILE_BYTE)
        .clamp(MIN_STREAM_BYTES, MAX_STREAM_BYTES)
}

/// lopdf's eager load behind a panic guard, with our error mapping.
pub(crate) fn load(
    bytes: &[u8],
    file: &Path,
    password: Option<&str>,
    stream_limit: usize,
) -> Result<Loaded> {
    let options = LoadOptions {
        password: password.map(str::to_owned),
        max_decompressed_size: Some(stream_limit),
        ..LoadOptions::default()
    };
    checked(
        || lopdf::Document::load_mem_with_options(bytes, options),
        file,
        password,
        stream_limit,
    )
}

/// A full load run behind a panic guard — lopdf is hardened (nesting and
/// reference limits) but it is a large parser fed hostile bytes: a panic
/// inside it must become an error for this one file, not take down a batch
/// run — and checked as opening a file needs it: decrypted, with a catalog.
fn checked(
    load: impl FnOnce() -> lopdf::Result<lopdf::Document>,
    file: &Path,
    password: Option<&str>,
    stream_limit: usize,
) -> Result<Loaded> {
    let loaded = catch_unwind(AssertUnwindSafe(load))
        .map_err(|_| damaged(file, "the parser gave up on malformed data"))?;
    let file = file.to_path_buf();
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
    let pages = catch_unwind(AssertUnwindSafe(|| page_tree(&doc)))
        .map_err(|_| damaged(&file, "the page tree is malformed"))?;
    Ok(Loaded {
        file,
        doc,
        pages,
        stream_limit,
    })
}

/// lopdf's page-tree depth limit (`PageTreeIter::PAGE_TREE_DEPTH_LIMIT`).
const PAGE_TREE_DEPTH_LIMIT: usize = 256;

/// The pages by 1-based number as lopdf's `get_pages` gives them, except
/// that a /Pages node reached again (a cycle, or a node with two parents)
/// is not walked again. lopdf walks a cycle round and round until it has
/// visited as many kids as the file has objects, so the page count of a
/// tree that contains itself would grow with every unrelated object.
fn page_tree(doc: &lopdf::Document) -> BTreeMap<u32, ObjectId> {
    let kids = |id: ObjectId| {
        doc.get_dictionary(id)
            .and_then(|node| node.get_deref(b"Kids", doc))
            .and_then(Object::as_array)
            .map_or(&[][..], Vec::as_slice)
    };
    let mut pages = BTreeMap::new();
    let Ok(root) = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
    else {
        return pages;
    };
    let mut walked = HashSet::from([root]);
    let mut current = kids(root);
    let mut stack: Vec<&[Object]> = Vec::new();
    // lopdf's bound on the kids visited, kept so that every tree in which
    // no /Pages node is reached twice gives exactly what lopdf gives.
    let mut visits_left = doc.objects.len();
    loop {
        while let Some((kid, rest)) = current.split_first() {
            if visits_left == 0 {
                return pages;
            }
            visits_left -= 1;
            current = rest;
            let Ok(kid_id) = kid.as_reference() else {
                continue;
            };
            match doc.get_dictionary(kid_id).and_then(Dictionary::get_type) {
                // A kid that does not load as a typed dictionary keeps its
                // place as a blank page, as in lopdf.
                Ok(b"Page") | Err(_) => {
                    pages.insert(pages.len() as u32 + 1, kid_id);
                }
                Ok(b"Pages") => {
                    if stack.len() < PAGE_TREE_DEPTH_LIMIT && walked.insert(kid_id) {
                        if !current.is_empty() {
                            stack.push(current);
                        }
                        current = kids(kid_id);
                    }
                }
                Ok(_) => {}
            }
        }
        match stack.pop() {
            Some(rest) => current = rest,
            None => return pages,
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
