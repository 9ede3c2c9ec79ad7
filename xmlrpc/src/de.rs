//! Reading XML-RPC into Rust values: a serde [`Deserializer`] straight from the XML.
//!
//! There is no tree in between: the deserializer pulls tags and text from the input as the
//! `Deserialize` implementation asks for them, with one value of look-ahead, and hands out
//! `&str`s borrowed from the input when the text needed no unescaping.

mod access;
mod key;

use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, Visitor};

use crate::datetime;
use crate::error::{Error, ErrorKind, Result};
use crate::xml::encoding;
use crate::xml::limits::Limits;
use crate::xml::reader::{Reader, Tag, TagKind, Text};

pub(crate) use access::{ArrayAccess, ParamsAccess, StructAccess, StructEnum};
pub(crate) use key::KeyDeserializer;

/// Reads one XML-RPC `<value>` from a string.
///
/// The document may start with an XML declaration; nothing but whitespace, comments and
/// processing instructions may follow the value.
///
/// # Examples
///
/// ```
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Point<'a> {
///     x: i32,
///     label: &'a str,
/// }
/// let xml = "<value><struct>\
///     <member><name>x</name><value><int>3</int></value></member>\
///     <member><name>label</name><value>origin</value></member>\
///     <member><name>unknown</name><value><boolean>1</boolean></value></member>\
///     </struct></value>";
/// let p: Point<'_> = xmlrpc::from_str(xml)?;
/// assert_eq!(p, Point { x: 3, label: "origin" });
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// The text is not well-formed XML, is not an XML-RPC value, holds a value that does not fit
/// `T`, or exceeds the default [`Limits`].
pub fn from_str<'de, T: de::Deserialize<'de>>(s: &'de str) -> Result<T> {
    let mut de = Deserializer::from_str(s);
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Reads one XML-RPC `<value>` from bytes, in the encoding their XML declaration names
/// (UTF-8 when there is none).
///
/// Text is borrowed from `v` when the document is UTF-8; other encodings are decoded first,
/// so `T` must then own its strings.
///
/// ```
/// let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><value>caf\xe9</value>";
/// assert_eq!(xmlrpc::from_slice::<String>(latin1)?, "café");
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// As [`from_str`], plus an unsupported encoding or bytes invalid in the encoding.
pub fn from_slice<'de, T: de::Deserialize<'de>>(v: &'de [u8]) -> Result<T> {
    let mut de = Deserializer::from_slice(v)?;
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Reads one XML-RPC `<value>` from a reader, up to the default input limit.
///
/// ```
/// let xml = "<value><array><data><value><i4>1</i4></value></data></array></value>";
/// let v: Vec<u64> = xmlrpc::from_reader(xml.as_bytes())?;
/// assert_eq!(v, [1]);
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// As [`from_slice`], plus reading errors and input larger than the limit.
pub fn from_reader<R: Read, T: DeserializeOwned>(reader: R) -> Result<T> {
    let mut de = Deserializer::from_reader(reader, Limits::default())?;
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// Reads `reader` to its end, failing past `limit` bytes.
pub(crate) fn read_limited<R: Read>(reader: R, limit: usize) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader
        .take(limit.saturating_add(1) as u64)
        .read_to_end(&mut buf)?;
    if buf.len() > limit {
        return Err(Error::limit("input size", limit));
    }
    Ok(buf)
}

/// The XML-RPC types, by the element that names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Int,
    I8,
    BigInt,
    Bool,
    Str,
    Double,
    DateTime,
    Base64,
    Nil,
    Struct,
    Array,
}

impl Ty {
    fn of(local: &str) -> Option<Ty> {
        Some(match local {
            "string" => Ty::Str,
            "int" | "i4" => Ty::Int,
            "double" => Ty::Double,
            "boolean" => Ty::Bool,
            "struct" => Ty::Struct,
            "array" => Ty::Array,
            "dateTime.iso8601" => Ty::DateTime,
            "base64" => Ty::Base64,
            "nil" => Ty::Nil,
            "i8" => Ty::I8,
            "i1" | "i2" => Ty::Int,
            "biginteger" => Ty::BigInt,
            "float" => Ty::Double,
            _ => return None,
        })
    }

    /// The name used in messages: the XML-RPC type name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Ty::Int => "int",
            Ty::I8 => "i8",
            Ty::BigInt => "biginteger",
            Ty::Bool => "boolean",
            Ty::Str => "string",
            Ty::Double => "double",
            Ty::DateTime => "dateTime.iso8601",
            Ty::Base64 => "base64",
            Ty::Nil => "nil",
            Ty::Struct => "struct",
            Ty::Array => "array",
        }
    }
}

/// The start of a value: its type and, for scalars, its text (the value's tags are then
/// already consumed). For arrays and structs, the reader stands after the opening tag.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) ty: Ty,
    text: Text,
    /// Where the `<value>` tag starts, for error positions.
    pub(crate) at: usize,
    /// For arrays and structs: the qualified name to close, or `None` when written empty
    /// (`<array/>`) and already closed.
    close: Option<Range<usize>>,
}

/// A deserializer of XML-RPC values, for use with serde.
///
/// Most users call [`from_str`](crate::from_str) or the document functions such as
/// [`response_from_str`](crate::response_from_str); build a `Deserializer` yourself to set
/// [`Limits`].
///
/// # Examples
///
/// ```
/// use serde::Deserialize;
/// use xmlrpc::{Deserializer, Limits};
///
/// let xml = "<value><string>a long text</string></value>";
/// let mut de = Deserializer::from_str(xml).with_limits(Limits::default().max_string(4));
/// let err = String::deserialize(&mut de).unwrap_err();
/// assert_eq!(err.to_string(), "string length exceeds the limit of 4 (line 1, column 16)");
/// ```
pub struct Deserializer<'de> {
    src: Cow<'de, str>,
    reader: Reader,
    pub(crate) limits: Limits,
    started: bool,
    depth: usize,
    scratch: String,
    bytes_scratch: Vec<u8>,
    stack: Vec<Range<usize>>,
    peeked: Option<Tag>,
    pending: Option<Head>,
}

impl std::fmt::Debug for Deserializer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deserializer")
            .field("position", &self.reader.pos)
            .field("len", &self.src.len())
            .field("limits", &self.limits)
            .finish()
    }
}

impl<'de> Deserializer<'de> {
    fn new(src: Cow<'de, str>) -> Self {
        let limits = Limits::default();
        Deserializer {
            src,
            reader: Reader::new(limits.max_string),
            limits,
            started: false,
            depth: 0,
            scratch: String::new(),
            bytes_scratch: Vec::new(),
            stack: Vec::new(),
            peeked: None,
            pending: None,
        }
    }

    /// A deserializer over a string; text is borrowed from it where possible.
    #[allow(clippy::should_implement_trait)] // named as serde_json names it
    pub fn from_str(s: &'de str) -> Self {
        Self::new(Cow::Borrowed(s))
    }

    /// A deserializer over bytes, decoded according to the document's XML declaration.
    ///
    /// # Errors
    ///
    /// The input is larger than the default input limit, its encoding is not supported, or
    /// it holds bytes that are invalid in that encoding.
    pub fn from_slice(v: &'de [u8]) -> Result<Self> {
        // The size limit is checked when reading starts, against the limits then in force,
        // so that `with_limits` may raise it.
        Ok(Self::new(encoding::decode(v)?))
    }

    pub(crate) fn from_slice_with_limits(v: &'de [u8], limits: Limits) -> Result<Self> {
        if v.len() > limits.max_input {
            return Err(Error::limit("input size", limits.max_input));
        }
        Ok(Self::new(encoding::decode(v)?).with_limits(limits))
    }

    /// A deserializer over everything `reader` yields, up to `limits`' input size.
    ///
    /// # Errors
    ///
    /// Reading fails, the input is too large, or its encoding is not supported or invalid.
    pub fn from_reader<R: Read>(reader: R, limits: Limits) -> Result<Deserializer<'static>> {
        let bytes = read_limited(reader, limits.max_input)?;
        let text = match encoding::decode(&bytes)? {
            Cow::Borrowed(_) => match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => return Err(Error::invalid(e.to_string())),
            },
            Cow::Owned(s) => s,
        };
        Ok(Deserializer::new(Cow::Owned(text)).with_limits(limits))
    }

    /// Replaces the limits in force.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self.reader = Reader::new(limits.max_string);
        self
    }

    /// The input text, when it is borrowed for `'de`.
    #[inline]
    pub(crate) fn borrowed_src(&self) -> Option<&'de str> {
        match self.src {
            Cow::Borrowed(s) => Some(s),
            Cow::Owned(_) => None,
        }
    }

    /// The input text.
    #[inline]
    pub(crate) fn src(&self) -> &str {
        &self.src
    }

    /// Checks that nothing but whitespace, comments and processing instructions remain.
    ///
    /// # Errors
    ///
    /// Something else follows the value.
    pub fn end(&mut self) -> Result<()> {
        self.reader.epilog(&self.src)
    }

    /// Reads the prolog once, before the first tag.
    pub(crate) fn start(&mut self) -> Result<()> {
        if !self.started {
            self.started = true;
            if self.src.len() > self.limits.max_input {
                return Err(Error::limit("input size", self.limits.max_input));
            }
            self.reader.prolog(&self.src)?;
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn next_tag(&mut self) -> Result<Tag> {
        match self.peeked.take() {
            Some(tag) => Ok(tag),
            None => self.reader.next_tag(&self.src),
        }
    }

    /// Whether `<value>` or `<value/>` comes next, looking at the bytes only.
    #[inline]
    pub(crate) fn at_value_start(&self) -> bool {
        if self.peeked.is_some() {
            return false;
        }
        let b = self.src.as_bytes();
        let mut p = self.reader.pos;
        while p < b.len() && b[p].is_ascii_whitespace() {
            p += 1;
        }
        b.get(p..p + 7) == Some(b"<value>") || b.get(p..p + 8) == Some(b"<value/>")
    }

    pub(crate) fn peek_tag(&mut self) -> Result<&Tag> {
        if self.peeked.is_none() {
            self.peeked = Some(self.reader.next_tag(&self.src)?);
        }
        match &self.peeked {
            Some(tag) => Ok(tag),
            None => Err(Error::syntax("unexpected end of input")),
        }
    }

    #[inline]
    pub(crate) fn text(&mut self) -> Result<Text> {
        self.reader.text(&self.src, &mut self.scratch)
    }

    /// The text of `text`, from the input or the scratch buffer.
    #[inline]
    pub(crate) fn text_str(&self, text: &Text) -> &str {
        match text {
            Text::Range(r) => &self.src[r.clone()],
            Text::Scratch => &self.scratch,
        }
    }

    /// Hands `text` to the visitor, borrowed from the input when possible.
    #[inline]
    fn visit_text<V: Visitor<'de>>(&self, text: Text, visitor: V) -> Result<V::Value> {
        match (text, &self.src) {
            (Text::Range(r), Cow::Borrowed(s)) => visitor.visit_borrowed_str(&s[r]),
            (Text::Range(r), Cow::Owned(s)) => visitor.visit_str(&s[r]),
            (Text::Scratch, _) => visitor.visit_str(&self.scratch),
        }
    }

    /// The key deserializer for `text`, borrowed from the input when possible.
    #[inline]
    pub(crate) fn key<'a>(&'a self, text: &Text) -> KeyDeserializer<'a, 'de> {
        match (text, &self.src) {
            (Text::Range(r), Cow::Borrowed(s)) => KeyDeserializer::Borrowed(&s[r.clone()]),
            (Text::Range(r), Cow::Owned(s)) => KeyDeserializer::Transient(&s[r.clone()]),
            (Text::Scratch, _) => KeyDeserializer::Transient(&self.scratch),
        }
    }

    /// An error at byte `at` of the input.
    #[cold]
    pub(crate) fn error_at(&self, at: usize, kind: ErrorKind) -> Error {
        Error::new(kind).at_offset(&self.src, at)
    }

    #[cold]
    pub(crate) fn locate(&self, err: Error, at: usize) -> Error {
        err.at_offset(&self.src, at)
    }

    #[cold]
    fn unexpected_tag(&self, tag: &Tag, expected: &str) -> Error {
        let found = match tag.kind {
            TagKind::End => format!("`</{}>`", crate::error::truncate(tag.qname(&self.src), 32)),
            _ => format!("`<{}>`", crate::error::truncate(tag.qname(&self.src), 32)),
        };
        self.error_at(
            tag.at,
            ErrorKind::Invalid(format!("expected {expected}, found {found}")),
        )
    }

    /// Reads a start tag named `name`; returns whether it was empty (`<name/>`).
    ///
    /// Inlined, so that the fast path compares with a name of known length.
    #[inline(always)]
    pub(crate) fn expect_start(&mut self, name: &str) -> Result<bool> {
        if self.peeked.is_none() && self.reader.eat_start(&self.src, name.as_bytes()) {
            return Ok(false);
        }
        self.expect_start_slow(name)
    }

    /// Reads a start tag named `name` that must have content: `<name/>` is an error.
    pub(crate) fn expect_open(&mut self, name: &str) -> Result<()> {
        if self.expect_start(name)? {
            let at = self.reader.pos;
            return Err(self.error_at(
                at,
                ErrorKind::Invalid(format!("`<{name}/>` is empty where its content belongs")),
            ));
        }
        Ok(())
    }

    #[inline(never)]
    fn expect_start_slow(&mut self, name: &str) -> Result<bool> {
        let tag = self.next_tag()?;
        if tag.kind != TagKind::End && tag.qname(&self.src) == name {
            Ok(tag.kind == TagKind::Empty)
        } else {
            Err(self.unexpected_tag(&tag, &format!("`<{name}>`")))
        }
    }

    /// Reads the end tag `</name>`.
    ///
    /// Inlined, so that the fast path compares with a name of known length.
    #[inline(always)]
    pub(crate) fn expect_end(&mut self, name: &str) -> Result<()> {
        if self.peeked.is_none() && self.reader.eat_end(&self.src, name.as_bytes()) {
            return Ok(());
        }
        self.expect_end_slow(name)
    }

    #[inline(never)]
    fn expect_end_slow(&mut self, name: &str) -> Result<()> {
        let tag = self.next_tag()?;
        if tag.kind == TagKind::End && tag.qname(&self.src) == name {
            Ok(())
        } else if tag.kind == TagKind::End {
            // `name` is the innermost open element: another end tag is not well-formed.
            Err(self.reader.mismatched_end(&self.src, &tag, name))
        } else {
            Err(self.unexpected_tag(&tag, &format!("`</{name}>`")))
        }
    }

    /// Reads the end tag of the element whose qualified name is at `name` in the input.
    #[inline]
    pub(crate) fn expect_end_range(&mut self, name: &Range<usize>) -> Result<()> {
        if self.peeked.is_none() {
            let src: &str = &self.src;
            if self.reader.eat_end(src, &src.as_bytes()[name.clone()]) {
                return Ok(());
            }
        }
        let tag = self.next_tag()?;
        if tag.kind == TagKind::End && self.src[tag.name.clone()] == self.src[name.clone()] {
            Ok(())
        } else if tag.kind == TagKind::End {
            Err(self
                .reader
                .mismatched_end(&self.src, &tag, &self.src[name.clone()]))
        } else {
            let expected = format!(
                "`</{}>`",
                crate::error::truncate(&self.src[name.clone()], 32)
            );
            Err(self.unexpected_tag(&tag, &expected))
        }
    }

    /// Reads the start of a value, or takes the one `deserialize_option` left pending.
    #[inline]
    pub(crate) fn head(&mut self) -> Result<Head> {
        match self.pending.take() {
            Some(head) => Ok(head),
            None => self.begin_value(),
        }
    }

    fn begin_value(&mut self) -> Result<Head> {
        self.start()?;
        let at = if self.peeked.is_some() || !self.reader.eat_start(&self.src, b"value") {
            let tag = self.next_tag()?;
            if tag.qname(&self.src) != "value" || tag.kind == TagKind::End {
                return Err(self.unexpected_tag(&tag, "`<value>`"));
            }
            if tag.kind == TagKind::Empty {
                let pos = self.reader.pos;
                return Ok(Head {
                    ty: Ty::Str,
                    text: Text::Range(pos..pos),
                    at: tag.at,
                    close: None,
                });
            }
            tag.at
        } else {
            self.reader.pos - "<value>".len()
        };
        let text = self.text()?;
        let tag = self.next_tag()?;
        if tag.kind == TagKind::End {
            if tag.qname(&self.src) != "value" {
                return Err(self.unexpected_tag(&tag, "`</value>`"));
            }
            // An untyped value is a string.
            return Ok(Head {
                ty: Ty::Str,
                text,
                at,
                close: None,
            });
        }
        if !self
            .text_str(&text)
            .bytes()
            .all(|b| b.is_ascii_whitespace())
        {
            return Err(self.error_at(
                at,
                ErrorKind::Invalid("a value holds both text and a type element".into()),
            ));
        }
        let Some(ty) = Ty::of(tag.local(&self.src)) else {
            return Err(self.error_at(
                tag.at,
                ErrorKind::Invalid(format!(
                    "unknown value type `<{}>`",
                    crate::error::truncate(tag.qname(&self.src), 32)
                )),
            ));
        };
        if tag.kind == TagKind::Empty {
            self.expect_end("value")?;
            let pos = tag.at;
            return Ok(Head {
                ty,
                text: Text::Range(pos..pos),
                at,
                close: None,
            });
        }
        match ty {
            Ty::Array | Ty::Struct => Ok(Head {
                ty,
                text: Text::Range(0..0),
                at,
                close: Some(tag.name),
            }),
            _ => {
                let text = self.text()?;
                self.expect_end_range(&tag.name)?;
                self.expect_end("value")?;
                Ok(Head {
                    ty,
                    text,
                    at,
                    close: None,
                })
            }
        }
    }

    /// One level deeper into arrays and structs.
    #[inline]
    fn enter(&mut self, at: usize) -> Result<()> {
        if self.depth >= self.limits.max_depth {
            return Err(self.error_at(
                at,
                ErrorKind::LimitExceeded {
                    what: "nesting depth",
                    limit: self.limits.max_depth,
                },
            ));
        }
        self.depth += 1;
        Ok(())
    }

    #[cold]
    fn mismatch(&self, head: &Head, expected: &str) -> Error {
        self.error_at(
            head.at,
            ErrorKind::TypeMismatch {
                expected: expected.to_owned(),
                found: head.ty.name(),
            },
        )
    }

    #[cold]
    fn bad_value(&self, head: &Head, what: &str) -> Error {
        let text = self.text_str(&head.text);
        self.error_at(
            head.at,
            ErrorKind::InvalidValue(format!(
                "invalid {} value {:?}",
                what,
                crate::error::truncate(text.trim(), 40)
            )),
        )
    }

    fn int_value(&self, head: &Head) -> Result<i64> {
        let text = self.text_str(&head.text).trim_ascii();
        match text.parse::<i64>() {
            Ok(v) => Ok(v),
            Err(_)
                if head.ty == Ty::BigInt
                    && text.bytes().skip(1).all(|b| b.is_ascii_digit())
                    && !text.is_empty() =>
            {
                Err(self.error_at(
                    head.at,
                    ErrorKind::InvalidValue(format!(
                        "biginteger value {} does not fit in 64 bits",
                        crate::error::truncate(text, 40)
                    )),
                ))
            }
            Err(_) => Err(self.bad_value(head, head.ty.name())),
        }
    }

    fn double_value(&self, head: &Head) -> Result<f64> {
        let text = self.text_str(&head.text).trim_ascii();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.bad_value(head, "double")),
        }
    }

    fn bool_value(&self, head: &Head) -> Result<bool> {
        match self.text_str(&head.text).trim_ascii() {
            "1" => Ok(true),
            "0" => Ok(false),
            _ => Err(self.bad_value(head, "boolean")),
        }
    }

    fn base64_value(&mut self, head: &Head) -> Result<Vec<u8>> {
        let text = match &head.text {
            Text::Range(r) => &self.src[r.clone()],
            Text::Scratch => &self.scratch,
        };
        crate::base64::decode(text, &mut self.bytes_scratch)
            .map_err(|e| e.at_offset(&self.src, head.at))
    }

    /// Visits an integer value: `int` as i32, `i8` and `biginteger` as i64.
    fn visit_int<V: Visitor<'de>>(&self, head: &Head, visitor: V) -> Result<V::Value> {
        let v = self.int_value(head)?;
        match i32::try_from(v) {
            Ok(small) if head.ty == Ty::Int => visitor.visit_i32(small),
            _ => visitor.visit_i64(v),
        }
    }

    fn visit_array<V: Visitor<'de>>(&mut self, head: Head, visitor: V) -> Result<V::Value> {
        let Some(close) = head.close else {
            return visitor.visit_seq(serde::de::value::SeqDeserializer::<
                std::iter::Empty<()>,
                Error,
            >::new(std::iter::empty()));
        };
        self.enter(head.at)?;
        let mut access = ArrayAccess::new(self, close)?;
        let value = visitor.visit_seq(&mut access)?;
        access.finish()?;
        self.depth -= 1;
        Ok(value)
    }

    fn visit_struct<V: Visitor<'de>>(&mut self, head: Head, visitor: V) -> Result<V::Value> {
        let Some(close) = head.close else {
            return visitor.visit_map(serde::de::value::MapDeserializer::<
                std::iter::Empty<((), ())>,
                Error,
            >::new(std::iter::empty()));
        };
        self.enter(head.at)?;
        let mut access = StructAccess::new(self, close);
        let value = visitor.visit_map(&mut access)?;
        access.finish()?;
        self.depth -= 1;
        Ok(value)
    }

    /// Skips a value whose head was read.
    fn skip(&mut self, head: Head) -> Result<()> {
        if let Some(close) = head.close {
            let open = Tag {
                kind: TagKind::Start,
                at: head.at,
                local: close.start,
                name: close,
            };
            let max_depth = self.limits.max_depth;
            self.reader.skip_element(
                &self.src,
                &open,
                &mut self.scratch,
                &mut self.stack,
                max_depth,
            )?;
            self.expect_end("value")?;
        }
        Ok(())
    }

    /// The value as the most natural Rust value: what `deserialize_any` gives.
    fn any<V: Visitor<'de>>(&mut self, head: Head, visitor: V) -> Result<V::Value> {
        match head.ty {
            Ty::Int | Ty::I8 | Ty::BigInt => self.visit_int(&head, visitor),
            Ty::Bool => visitor.visit_bool(self.bool_value(&head)?),
            Ty::Str => self.visit_text(head.text, visitor),
            Ty::Double => visitor.visit_f64(self.double_value(&head)?),
            // A newtype, which only this deserializer produces from `deserialize_any`, so
            // that `Value` can tell a date-time from a string (and no document can pose as one).
            Ty::DateTime => visitor.visit_newtype_struct(de::value::StrDeserializer::<Error>::new(
                self.text_str(&head.text),
            )),
            Ty::Base64 => visitor.visit_byte_buf(self.base64_value(&head)?),
            Ty::Nil => visitor.visit_unit(),
            Ty::Array => self.visit_array(head, visitor),
            Ty::Struct => self.visit_struct(head, visitor),
        }
    }

    /// Runs `f` on the next value's head, attaching the value's position to any error.
    #[inline]
    fn with_head<T>(&mut self, f: impl FnOnce(&mut Self, Head) -> Result<T>) -> Result<T> {
        let head = self.head()?;
        let at = head.at;
        f(self, head).map_err(|e| self.locate(e, at))
    }
}

macro_rules! deserialize_int {
    ($($method:ident)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.with_head(|de, head| match head.ty {
                Ty::Int | Ty::I8 | Ty::BigInt => de.visit_int(&head, visitor),
                _ => Err(de.mismatch(&head, "int")),
            })
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| de.any(head, visitor))
    }

    deserialize_int!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            Ty::Bool => visitor.visit_bool(de.bool_value(&head)?),
            _ => Err(de.mismatch(&head, "boolean")),
        })
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            Ty::Double => visitor.visit_f64(de.double_value(&head)?),
            // Integers are exact doubles up to 2^53; accepting them costs nothing.
            Ty::Int | Ty::I8 | Ty::BigInt => visitor.visit_f64(de.int_value(&head)? as f64),
            _ => Err(de.mismatch(&head, "double")),
        })
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            // A date-time is text too, for those who want it raw.
            Ty::Str | Ty::DateTime => de.visit_text(head.text, visitor),
            _ => Err(de.mismatch(&head, "string")),
        })
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            Ty::Base64 => visitor.visit_byte_buf(de.base64_value(&head)?),
            Ty::Array => de.visit_array(head, visitor),
            _ => Err(de.mismatch(&head, "base64")),
        })
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let head = self.head()?;
        if head.ty == Ty::Nil {
            visitor.visit_none()
        } else {
            self.pending = Some(head);
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            Ty::Nil => visitor.visit_unit(),
            _ => Err(de.mismatch(&head, "nil")),
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name == datetime::MARKER {
            self.with_head(|de, head| match head.ty {
                Ty::DateTime | Ty::Str => de.visit_text(head.text, visitor),
                _ => Err(de.mismatch(&head, "dateTime.iso8601")),
            })
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            Ty::Array => de.visit_array(head, visitor),
            _ => Err(de.mismatch(&head, "array")),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            Ty::Struct => de.visit_struct(head, visitor),
            _ => Err(de.mismatch(&head, "struct")),
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.with_head(|de, head| match head.ty {
            Ty::Str => match (&head.text, &de.src) {
                (Text::Range(r), Cow::Borrowed(s)) => visitor.visit_enum(
                    de::value::BorrowedStrDeserializer::<Error>::new(&s[r.clone()]),
                ),
                _ => {
                    let variant = de.text_str(&head.text).to_owned();
                    visitor.visit_enum(de::value::StringDeserializer::<Error>::new(variant))
                }
            },
            Ty::Struct => {
                let Some(close) = head.close else {
                    return Err(de.error_at(
                        head.at,
                        ErrorKind::InvalidValue(
                            "an enum variant needs a struct with one member".into(),
                        ),
                    ));
                };
                de.enter(head.at)?;
                let value = visitor.visit_enum(StructEnum::new(de))?;
                de.expect_end("member")?;
                let tag = de.next_tag()?;
                if tag.kind != TagKind::End || de.src[tag.name.clone()] != de.src[close.clone()] {
                    return Err(de.error_at(
                        tag.at,
                        ErrorKind::InvalidValue(
                            "an enum variant needs a struct with exactly one member".into(),
                        ),
                    ));
                }
                de.expect_end("value")?;
                de.depth -= 1;
                Ok(value)
            }
            _ => Err(de.mismatch(&head, "string or struct (an enum)")),
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let head = self.head()?;
        self.skip(head)?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        true
    }
}

/// Deserializes the `<params>` of a call as a sequence, for tuples and structs of
/// parameters.
pub(crate) struct ParamsDeserializer<'a, 'de> {
    pub(crate) de: &'a mut Deserializer<'de>,
    /// Whether a `<params>` element is open (else the call has none).
    pub(crate) open: bool,
    /// How many parameters were read before.
    pub(crate) taken: usize,
}

impl<'de> de::Deserializer<'de> for ParamsDeserializer<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut access = ParamsAccess::resume(self.de, self.open, self.taken);
        let value = visitor.visit_seq(&mut access)?;
        access.finish()?;
        Ok(value)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut access = ParamsAccess::resume(self.de, self.open, self.taken);
        access.finish()?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests;
