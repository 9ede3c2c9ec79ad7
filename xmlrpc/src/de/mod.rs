//! Reading XML-RPC into Rust values: a serde [`Deserializer`] straight from the XML.
//!
//! There is no tree in between: the deserializer pulls tags and text from the input as the
//! `Deserialize` implementation asks for them, with one value of look-ahead, and hands out
//! `&str`s borrowed from the input when the text needed no unescaping.

pub(crate) mod access;
mod cursor;
pub(crate) mod key;
pub(crate) mod params;

use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

use serde::de::{self, DeserializeOwned, Visitor};

use crate::datetime;
use crate::error::{Error, ErrorKind, Result};
use crate::xml::encoding;
use crate::xml::limits::Limits;
use crate::xml::reader::{Reader, Tag, TagKind, Text};

use self::access::{ArrayAccess, StructAccess, StructEnum};
use self::cursor::{Head, Ty};

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
            .field("position", &self.reader.offset())
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

    /// Hands `text` to the visitor, borrowed from the input when possible.
    #[inline]
    fn visit_text<V: Visitor<'de>>(&self, text: Text, visitor: V) -> Result<V::Value> {
        match (text, &self.src) {
            (Text::Range(r), Cow::Borrowed(s)) => visitor.visit_borrowed_str(&s[r]),
            (Text::Range(r), Cow::Owned(s)) => visitor.visit_str(&s[r]),
            (Text::Scratch, _) => visitor.visit_str(&self.scratch),
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

#[cfg(test)]
mod tests;
