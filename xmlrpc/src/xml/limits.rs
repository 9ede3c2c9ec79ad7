//! [`Limits`]: how much a document may ask of the reader.

/// Bounds on what a document may ask of the reader, so that hostile input gets an error
/// instead of a crash or an explosion of memory.
///
/// Every limit has a safe default. DOCTYPE declarations are always refused, so no entity is
/// ever expanded and no external entity is ever fetched; that is not a setting.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Deserializer, Limits};
/// use serde::Deserialize;
///
/// let limits = Limits::default().max_depth(2);
/// let xml = "<value><array><data><value><array><data><value><array><data/></array></value>\
///            </data></array></value></data></array></value>";
/// let mut de = Deserializer::from_str(xml).with_limits(limits);
/// let err = xmlrpc::Value::deserialize(&mut de).unwrap_err();
/// assert_eq!(err.to_string(), "nesting depth exceeds the limit of 2 at [0][0] (line 1, column 41)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub(crate) max_input: usize,
    pub(crate) max_depth: usize,
    pub(crate) max_string: usize,
    pub(crate) max_members: usize,
    pub(crate) max_elements: usize,
}

/// The deepest nesting allowed. Reading a `Value` takes about 3 KiB of stack per level in
/// an unoptimized build (nested structs; under 600 bytes optimized), so 500 levels fit in
/// the 2 MiB of a spawned thread's stack with room to spare; 1,000 did not.
const MAX_DEPTH: usize = 500;

impl Default for Limits {
    /// 20 MiB of input, arrays and structs nested 64 deep, 16 MiB per string or base64 value,
    /// 10,000 members per struct, 1,000,000 elements per array.
    fn default() -> Self {
        Limits {
            max_input: 20 << 20,
            max_depth: 64,
            max_string: 16 << 20,
            max_members: 10_000,
            max_elements: 1_000_000,
        }
    }
}

impl Limits {
    /// No limits beyond what memory allows, except that nesting stays bounded (by 500) so
    /// that the reader's recursion cannot overflow the stack. For trusted input only.
    pub fn unlimited() -> Self {
        Limits {
            max_input: usize::MAX,
            max_depth: MAX_DEPTH,
            max_string: usize::MAX,
            max_members: usize::MAX,
            max_elements: usize::MAX,
        }
    }

    /// The largest document, in bytes, before any decoding of its character encoding.
    pub fn max_input(mut self, bytes: usize) -> Self {
        self.max_input = bytes;
        self
    }

    /// How deep arrays and structs may nest; the value of a parameter is at depth 0, the
    /// elements of an array in it at depth 1. Capped at 500 to protect the stack.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.min(MAX_DEPTH);
        self
    }

    /// The longest string, in bytes, and the longest base64 text.
    pub fn max_string(mut self, bytes: usize) -> Self {
        self.max_string = bytes;
        self
    }

    /// The most members one struct may have.
    pub fn max_members(mut self, members: usize) -> Self {
        self.max_members = members;
        self
    }

    /// The most elements one array (or one call's parameter list) may have.
    pub fn max_elements(mut self, elements: usize) -> Self {
        self.max_elements = elements;
        self
    }

    /// The input size limit.
    pub fn input_limit(&self) -> usize {
        self.max_input
    }
}
