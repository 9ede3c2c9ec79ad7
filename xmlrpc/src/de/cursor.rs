//! The tag cursor under the serde impl: the prolog, tags and text from the tokenizer with
//! one tag of look-ahead, the head of each value (its type and text), and scalar text read
//! as numbers, booleans and bytes.

use std::borrow::Cow;
use std::ops::Range;

use super::Deserializer;
use super::key::KeyDeserializer;
use crate::error::{Error, ErrorKind, Result};
use crate::xml::reader::{Tag, TagKind, Text};

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
    pub(super) text: Text,
    /// Where the `<value>` tag starts, for error positions.
    pub(crate) at: usize,
    /// For arrays and structs: the qualified name to close, or `None` when written empty
    /// (`<array/>`) and already closed.
    pub(super) close: Option<Range<usize>>,
}

impl<'de> Deserializer<'de> {
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
        self.reader.at_value_start(&self.src)
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
            TagKind::End => format!(
                "`</{}>`",
                crate::excerpt::truncate(tag.qname(&self.src), 32)
            ),
            _ => format!("`<{}>`", crate::excerpt::truncate(tag.qname(&self.src), 32)),
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
            let at = self.reader.offset();
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
                crate::excerpt::truncate(&self.src[name.clone()], 32)
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
                let pos = self.reader.offset();
                return Ok(Head {
                    ty: Ty::Str,
                    text: Text::Range(pos..pos),
                    at: tag.at,
                    close: None,
                });
            }
            tag.at
        } else {
            self.reader.offset() - "<value>".len()
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
                    crate::excerpt::truncate(tag.qname(&self.src), 32)
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

    #[cold]
    pub(super) fn mismatch(&self, head: &Head, expected: &str) -> Error {
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
                crate::excerpt::truncate(text.trim(), 40)
            )),
        )
    }

    pub(super) fn int_value(&self, head: &Head) -> Result<i64> {
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
                        crate::excerpt::truncate(text, 40)
                    )),
                ))
            }
            Err(_) => Err(self.bad_value(head, head.ty.name())),
        }
    }

    pub(super) fn double_value(&self, head: &Head) -> Result<f64> {
        let text = self.text_str(&head.text).trim_ascii();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.bad_value(head, "double")),
        }
    }

    pub(super) fn bool_value(&self, head: &Head) -> Result<bool> {
        match self.text_str(&head.text).trim_ascii() {
            "1" => Ok(true),
            "0" => Ok(false),
            _ => Err(self.bad_value(head, "boolean")),
        }
    }

    pub(super) fn base64_value(&mut self, head: &Head) -> Result<Vec<u8>> {
        let text = match &head.text {
            Text::Range(r) => &self.src[r.clone()],
            Text::Scratch => &self.scratch,
        };
        crate::base64::decode(text, &mut self.bytes_scratch)
            .map_err(|e| e.at_offset(&self.src, head.at))
    }

    /// Skips a value whose head was read.
    pub(super) fn skip(&mut self, head: Head) -> Result<()> {
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
}
