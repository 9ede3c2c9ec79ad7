//! The XML layer: a tokenizer for reading, escaping for writing, character encodings and
//! the limits that keep hostile input in check.

pub(crate) mod encoding;
pub(crate) mod limits;
pub(crate) mod reader;
pub(crate) mod writer;
