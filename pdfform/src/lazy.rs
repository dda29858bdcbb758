//! The lazy object store behind the fields path.
//!
//! lopdf's eager load parses every object of a file; a form's fields need a
//! few dozen to a few hundred of them (the catalog, the AcroForm and its
//! field tree, the page tree and each page's /Annots, the widgets' /AP /N
//! dictionaries). [`LazyDocument`] keeps the file's bytes and a
//! `lopdf::Reader` that has read only the cross-reference data and trailer
//! (and set up decryption), and parses an object the first time it is asked
//! for, with lopdf's own object parser, object-stream reader and decryption.
//!
//! It is used only where it gives what the eager load would give:
//!
//! * [`LazyDocument::open`] declines (and the caller loads eagerly) when
//!   lopdf repaired the cross-reference data (offsets corrected or the
//!   table reconstructed), when an encrypted file did not open with the
//!   empty or given password, when the parser panicked, and when the page
//!   tree is anything but a plain tree of loadable nodes (no cycle, no node
//!   reached twice, no unreadable kid, no kid that is not a reference).
//! * Afterwards, any object that cannot be read — no cross-reference entry,
//!   a parse or decryption error, a generation or id mismatch, a stream whose
//!   data did not load, a panic — sets [`LazyObjects::failed`]; the caller
//!   then throws the lazy result away and reads the eager document.

use lopdf::xref::XrefEntry;
use lopdf::{Dictionary, LazyObjectStream, LoadOptions, Object, ObjectId, Reader};
use std::collections::{BTreeMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// lopdf's page-tree depth limit (`PageTreeIter::PAGE_TREE_DEPTH_LIMIT`):
/// deeper trees go to the eager path, which applies it.
const PAGE_TREE_DEPTH_LIMIT: usize = 256;
/// lopdf's `Document::DEREF_LIMIT`: a chain of references longer than this
/// resolves to nothing.
const DEREF_LIMIT: usize = 128;

self_cell::self_cell!(
    /// The file's bytes and the objects read from them on demand.
    pub(crate) struct LazyDocument {
        owner: Vec<u8>,
        #[covariant]
        dependent: LazyObjects,
    }
);

/// Objects of one document, each parsed on first use and kept.
pub(crate) struct LazyObjects<'a> {
    reader: Reader<'a>,
    /// The ids the cross-reference table locates (in use or in an object
    /// stream), sorted; `cells[i]` holds object `ids[i]` once read.
    ids: Vec<ObjectId>,
    cells: Vec<OnceLock<Option<Box<Object>>>>,
    /// The object streams the table names, sorted; `streams[i]` holds
    /// stream `containers[i]` once decoded. Only the members asked for are
    /// parsed (lopdf's own reader parses every member of a stream it reads).
    containers: Vec<u32>,
    streams: Vec<OnceLock<Option<LazyObjectStream>>>,
    /// Decoded object-stream bytes held so far, and the most they may
    /// reach: the full load drops each stream's data once parsed, so here
    /// the streams kept together may not outgrow what one stream may decode
    /// to; past that the full load takes over.
    held: AtomicUsize,
    budget: usize,
    failed: AtomicBool,
    /// Page object ids by 1-based page number, as lopdf's `get_pages` gives.
    pub(crate) pages: BTreeMap<u32, ObjectId>,
}

impl LazyDocument {
    /// Reads the cross-reference data, trailer and page tree of `bytes`; the
    /// bytes come back as the error when the lazy path cannot be trusted for
    /// this file (see the module documentation).
    pub(crate) fn open(
        bytes: Vec<u8>,
        password: Option<&str>,
        stream_limit: usize,
    ) -> Result<LazyDocument, Vec<u8>> {
        LazyDocument::try_new_or_recover(bytes, |bytes| {
            let options = LoadOptions {
                password: password.map(str::to_owned),
                max_decompressed_size: Some(stream_limit),
                ..LoadOptions::default()
            };
            let reader = catch_unwind(AssertUnwindSafe(|| Reader::lazy(bytes, options)))
                .map_err(|_| ())?
                .map_err(|_| ())?;
            let encrypted = reader.document.trailer.has(b"Encrypt");
            if reader.document.xref_recovery.is_some()
                || (encrypted && reader.encryption_state.is_none())
            {
                return Err(());
            }
            let mut objects = LazyObjects::new(reader, stream_limit);
            let pages = objects.page_tree().ok_or(())?;
            if objects.failed() {
                return Err(());
            }
            objects.pages = pages;
            Ok(objects)
        })
        .map_err(|(bytes, ())| bytes)
    }

    pub(crate) fn objects(&self) -> &LazyObjects<'_> {
        self.borrow_dependent()
    }
}

impl<'a> LazyObjects<'a> {
    fn new(reader: Reader<'a>, budget: usize) -> Self {
        let ids: Vec<ObjectId> = reader
            .document
            .reference_table
            .entries
            .iter()
            .filter_map(|(&number, entry)| match *entry {
                XrefEntry::Normal { generation, .. } => Some((number, generation)),
                // Objects in object streams have generation 0 (7.5.7).
                XrefEntry::Compressed { .. } => Some((number, 0)),
                XrefEntry::Free | XrefEntry::UnusableFree => None,
            })
            .collect();
        let cells = ids.iter().map(|_| OnceLock::new()).collect();
        let mut containers: Vec<u32> = reader
            .document
            .reference_table
            .entries
            .values()
            .filter_map(|entry| match *entry {
                XrefEntry::Compressed { container, .. } => Some(container),
                _ => None,
            })
            .collect();
        containers.sort_unstable();
        containers.dedup();
        let streams = containers.iter().map(|_| OnceLock::new()).collect();
        LazyObjects {
            reader,
            ids,
            cells,
            containers,
            streams,
            held: AtomicUsize::new(0),
            budget,
            failed: AtomicBool::new(false),
            pages: BTreeMap::new(),
        }
    }

    /// True once any object could not be read as the eager load would have
    /// read it: the caller must not trust what it read lazily.
    pub(crate) fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    fn fail(&self) {
        self.failed.store(true, Ordering::Relaxed);
    }

    /// lopdf's full load of the document, continuing from what this reader
    /// has read (see `Reader::load_document` in the vendored lopdf).
    pub(crate) fn load_document(&self) -> lopdf::Result<lopdf::Document> {
        self.reader.load_document()
    }

    /// The reader: cross-reference data, trailer, decryption set-up.
    pub(crate) fn reader(&self) -> &Reader<'a> {
        &self.reader
    }

    pub(crate) fn trailer(&self) -> &Dictionary {
        &self.reader.document.trailer
    }

    /// The object stored under `id` (not followed if it is a reference).
    pub(crate) fn object(&self, id: ObjectId) -> Option<&Object> {
        let Ok(index) = self.ids.binary_search(&id) else {
            self.fail();
            return None;
        };
        self.cells[index].get_or_init(|| self.read(id)).as_deref()
    }

    fn read(&self, id: ObjectId) -> Option<Box<Object>> {
        let read = catch_unwind(AssertUnwindSafe(|| {
            match self.reader.document.reference_table.get(id.0) {
                Some(&XrefEntry::Compressed { container, .. }) => self.compressed(id, container),
                _ => self.reader.get_object(id, &mut HashSet::new()).ok(),
            }
        }));
        match read {
            // The eager load reads a stream's data again once every object
            // is loaded when the parser left it empty (an indirect /Length
            // it could not resolve yet); an empty stream here may be one of
            // those, so the eager document decides.
            Ok(Some(Object::Stream(stream))) if stream.content.is_empty() => {
                self.fail();
                None
            }
            Ok(Some(object)) => Some(Box::new(object)),
            _ => {
                self.fail();
                None
            }
        }
    }

    /// Object `id` from object stream `container`, as lopdf's reader gives
    /// it: the stream is object (`container`, 0), decrypted, decoded within
    /// the document's bound.
    fn compressed(&self, id: ObjectId, container: u32) -> Option<Object> {
        let index = self.containers.binary_search(&container).ok()?;
        let stream = self.streams[index].get_or_init(|| {
            // A container that is itself in an object stream would make
            // this recursive; lopdf gives up on it too.
            if !matches!(
                self.reader.document.reference_table.get(container),
                Some(XrefEntry::Normal { .. })
            ) {
                return None;
            }
            let Object::Stream(stream) = self.object((container, 0))? else {
                return None;
            };
            let decoded = LazyObjectStream::new(stream, self.reader.max_decompressed_size).ok()?;
            let held = self
                .held
                .fetch_add(decoded.decoded_len(), Ordering::Relaxed)
                .saturating_add(decoded.decoded_len());
            (held <= self.budget).then_some(decoded)
        });
        stream.as_ref()?.get(id.0).filter(|_| id.1 == 0)
    }

    /// Follows references from `object` as lopdf's `Document::dereference`
    /// does: the id of the last reference followed, and what it names.
    pub(crate) fn dereference<'s>(
        &'s self,
        mut object: &'s Object,
    ) -> Option<(Option<ObjectId>, &'s Object)> {
        let mut id = None;
        let mut followed = 0;
        while let Object::Reference(reference) = object {
            id = Some(*reference);
            object = self.object(*reference)?;
            followed += 1;
            if followed > DEREF_LIMIT {
                return None;
            }
        }
        Some((id, object))
    }

    /// `Document::get_dictionary`: the object `id`, references followed, if
    /// it is a dictionary (a stream is not).
    pub(crate) fn dictionary(&self, id: ObjectId) -> Option<&Dictionary> {
        let (_, object) = self.dereference(self.object(id)?)?;
        object.as_dict().ok()
    }

    fn catalog(&self) -> Option<&Dictionary> {
        let root = self.trailer().get(b"Root").ok()?.as_reference().ok()?;
        self.dictionary(root)
    }

    /// A node's /Kids array, the reference followed.
    fn kids<'s>(&'s self, node: &'s Dictionary) -> Option<&'s [Object]> {
        let (_, kids) = self.dereference(node.get(b"Kids").ok()?)?;
        kids.as_array().ok().map(Vec::as_slice)
    }

    /// The pages in lopdf's `PageTreeIter` order, or `None` where that
    /// iterator would have to deal with an oddity (a node reached twice, a
    /// kid that is not a reference or does not load as a dictionary, a tree
    /// deeper than its limit, a root that lopdf would rebuild the table for).
    fn page_tree(&self) -> Option<BTreeMap<u32, ObjectId>> {
        let root_id = self.catalog()?.get(b"Pages").ok()?.as_reference().ok()?;
        let mut current = self.kids(self.dictionary(root_id)?)?;
        let mut seen = HashSet::from([root_id]);
        let mut stack: Vec<&[Object]> = Vec::new();
        let mut pages = BTreeMap::new();
        loop {
            while let Some((kid, rest)) = current.split_first() {
                current = rest;
                let kid_id = kid.as_reference().ok()?;
                if !seen.insert(kid_id) {
                    return None;
                }
                let node = self.dictionary(kid_id)?;
                match node.get_type() {
                    // lopdf counts a kid without /Type as a (blank) page.
                    Ok(b"Page") | Err(_) => {
                        pages.insert(pages.len() as u32 + 1, kid_id);
                    }
                    Ok(b"Pages") => {
                        if stack.len() >= PAGE_TREE_DEPTH_LIMIT {
                            return None;
                        }
                        if !current.is_empty() {
                            stack.push(current);
                        }
                        current = self.kids(node).unwrap_or_default();
                    }
                    Ok(_) => {}
                }
            }
            match stack.pop() {
                Some(kids) => current = kids,
                None => return Some(pages),
            }
        }
    }
}
