//! The XML layer: a tokenizer for reading, escaping for writing, character encodings and
//! the limits that keep hostile input in check.
//!
//! The tokenizer (`reader`) is the project's own, for speed; quick-xml 0.42 is its
//! differential oracle in a proptest and a fuzz target, and the crate documentation lists
//! every way in which the two disagree, with its reason (`docs/tokenizer.md`). `tokens`
//! is the tokenizer seen as a plain XML reader, for that comparison.

pub(crate) mod chars;
pub(crate) mod encoding;
pub(crate) mod limits;
pub(crate) mod reader;
pub(crate) mod tokens;
pub(crate) mod writer;

/// The first position of a short `needle` in `hay`. Cheaper than building a `memmem`
/// searcher for the two- and three-byte markers XML ends its constructs with.
#[inline]
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, &hay[at..]) {
        let pos = at + i;
        if hay[pos + 1..].starts_with(rest) {
            return Some(pos);
        }
        at = pos + 1;
    }
    None
}
