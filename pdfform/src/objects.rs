//! One way to read a document's objects whether they were all loaded by
//! lopdf (the eager document) or are parsed on demand (the lazy store):
//! the field reader, the XFA reader and the text interpreter all go
//! through [`Objects`].

use crate::lazy::LazyObjects;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::BTreeMap;
use std::path::Path;

/// A view of a document's objects, cheap to copy.
#[derive(Clone, Copy)]
pub(crate) struct Objects<'a> {
    store: Store<'a>,
    /// The path or name the document was opened under.
    pub(crate) file: &'a Path,
    /// Page object ids by 1-based page number.
    pub(crate) pages: &'a BTreeMap<u32, ObjectId>,
    /// The most bytes any one stream may decompress to.
    stream_limit: usize,
}

#[derive(Clone, Copy)]
enum Store<'a> {
    Eager(&'a lopdf::Document),
    Lazy(&'a LazyObjects<'a>),
}

impl<'a> Objects<'a> {
    pub(crate) fn eager(
        doc: &'a lopdf::Document,
        file: &'a Path,
        pages: &'a BTreeMap<u32, ObjectId>,
        stream_limit: usize,
    ) -> Self {
        Objects {
            store: Store::Eager(doc),
            file,
            pages,
            stream_limit,
        }
    }

    pub(crate) fn lazy(lazy: &'a LazyObjects<'a>, file: &'a Path, stream_limit: usize) -> Self {
        Objects {
            store: Store::Lazy(lazy),
            file,
            pages: &lazy.pages,
            stream_limit,
        }
    }

    /// The document catalog (the trailer's /Root).
    pub(crate) fn catalog(self) -> Option<&'a Dictionary> {
        match self.store {
            Store::Eager(doc) => doc.catalog().ok(),
            Store::Lazy(lazy) => {
                let root = lazy.trailer().get(b"Root").ok()?.as_reference().ok()?;
                lazy.dictionary(root)
            }
        }
    }

    /// The id of the document catalog (the trailer's /Root).
    pub(crate) fn catalog_id(self) -> Option<ObjectId> {
        let trailer = match self.store {
            Store::Eager(doc) => &doc.trailer,
            Store::Lazy(lazy) => lazy.trailer(),
        };
        trailer.get(b"Root").ok()?.as_reference().ok()
    }

    /// Object `id` as a dictionary (a stream is not one), references followed.
    pub(crate) fn dictionary(self, id: ObjectId) -> Option<&'a Dictionary> {
        match self.store {
            Store::Eager(doc) => doc.get_dictionary(id).ok(),
            Store::Lazy(lazy) => lazy.dictionary(id),
        }
    }

    /// Follows a reference (or chain of them): the id of the last reference
    /// followed, and the object it names.
    pub(crate) fn dereference(self, object: &'a Object) -> Option<(Option<ObjectId>, &'a Object)> {
        match self.store {
            Store::Eager(doc) => doc.dereference(object).ok(),
            Store::Lazy(lazy) => lazy.dereference(object),
        }
    }

    /// A stream's decoded bytes within the document's size bound; `None`
    /// when it cannot be decoded or would exceed the bound.
    pub(crate) fn stream_bytes(self, stream: &lopdf::Stream) -> Option<Vec<u8>> {
        stream
            .decompressed_content_with_limit(self.stream_limit)
            .ok()
    }

    /// Follows a reference (or chain of them) to the object it names.
    pub(crate) fn resolve(self, object: &'a Object) -> Option<&'a Object> {
        self.dereference(object).map(|(_, object)| object)
    }

    /// `dict[key]` with references followed.
    pub(crate) fn get(self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        dict.get(key).ok().and_then(|object| self.resolve(object))
    }

    /// `dict[key]` as a dictionary (a stream's dictionary counts).
    pub(crate) fn get_dict(self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        match self.get(dict, key)? {
            Object::Dictionary(dict) => Some(dict),
            Object::Stream(stream) => Some(&stream.dict),
            _ => None,
        }
    }

    /// `dict[key]` as an array.
    pub(crate) fn get_array(self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
        match self.get(dict, key)? {
            Object::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object an array entry or value names as a dictionary, with its id
    /// when it was reached through a reference.
    pub(crate) fn dict_entry(
        self,
        object: &'a Object,
    ) -> Option<(Option<ObjectId>, &'a Dictionary)> {
        match self.dereference(object)? {
            (id, Object::Dictionary(dict)) => Some((id, dict)),
            (id, Object::Stream(stream)) => Some((id, &stream.dict)),
            _ => None,
        }
    }
}
