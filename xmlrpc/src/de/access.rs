//! Access to the insides of arrays, structs, params and enum structs.

use std::ops::Range;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

use super::Deserializer;
use crate::error::{Error, ErrorKind, Result};
use crate::xml::reader::{TagKind, Text};

/// The elements of an array: `<data><value>...</value>...</data></array></value>`.
pub(crate) struct ArrayAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    close: Range<usize>,
    index: usize,
    done: bool,
}

impl<'a, 'de> ArrayAccess<'a, 'de> {
    /// Starts after `<array>`, reading `<data>`.
    pub(crate) fn new(de: &'a mut Deserializer<'de>, close: Range<usize>) -> Result<Self> {
        let empty = de.expect_start("data")?;
        if empty {
            de.expect_end_range(&close)?;
            de.expect_end("value")?;
        }
        Ok(ArrayAccess {
            de,
            close,
            index: 0,
            done: empty,
        })
    }

    /// Whether another element follows; reads the closing tags when not.
    fn has_next(&mut self) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        if self.de.at_value_start() && self.index < self.de.limits.max_elements {
            return Ok(true);
        }
        let tag = self.de.peek_tag()?;
        let (kind, at) = (tag.kind, tag.at);
        if kind == TagKind::End {
            self.de.expect_end("data")?;
            self.de.expect_end_range(&self.close)?;
            self.de.expect_end("value")?;
            self.done = true;
            return Ok(false);
        }
        if self.index >= self.de.limits.max_elements {
            return Err(self
                .de
                .error_at(
                    at,
                    ErrorKind::LimitExceeded {
                        what: "array length",
                        limit: self.de.limits.max_elements,
                    },
                )
                .at_index(self.index));
        }
        Ok(true)
    }

    /// After the visitor: the array must hold no more elements than it took.
    pub(crate) fn finish(&mut self) -> Result<()> {
        if self.has_next()? {
            let at = self.de.peek_tag()?.at;
            return Err(self.de.error_at(
                at,
                ErrorKind::InvalidValue(format!(
                    "array has more than the {} elements expected",
                    self.index
                )),
            ));
        }
        Ok(())
    }
}

impl<'de> SeqAccess<'de> for &mut ArrayAccess<'_, 'de> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.has_next()? {
            return Ok(None);
        }
        let index = self.index;
        self.index += 1;
        match seed.deserialize(&mut *self.de) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(e.at_index(index)),
        }
    }
}

/// The name of the member being read, kept for error paths.
enum KeyRef {
    Range(Range<usize>),
    Owned(String),
}

/// The members of a struct: `<member><name>...</name><value>...</value></member>...`.
pub(crate) struct StructAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    close: Range<usize>,
    key: KeyRef,
    count: usize,
    done: bool,
}

impl<'a, 'de> StructAccess<'a, 'de> {
    /// Starts after `<struct>`.
    pub(crate) fn new(de: &'a mut Deserializer<'de>, close: Range<usize>) -> Self {
        StructAccess {
            de,
            close,
            key: KeyRef::Range(0..0),
            count: 0,
            done: false,
        }
    }

    /// Reads `<member><name>...</name>` and returns the name's text, or reads the closing
    /// tags and returns `None`.
    fn next_name(&mut self) -> Result<Option<Text>> {
        if self.done {
            return Ok(None);
        }
        let tag = self.de.next_tag()?;
        match tag.kind {
            TagKind::End
                if self.de.src()[tag.name.clone()] == self.de.src()[self.close.clone()] =>
            {
                self.de.expect_end("value")?;
                self.done = true;
                return Ok(None);
            }
            TagKind::Start if tag.qname(self.de.src()) == "member" => {}
            _ => {
                let found = crate::excerpt::truncate(tag.qname(self.de.src()), 32);
                return Err(self.de.error_at(
                    tag.at,
                    ErrorKind::Invalid(format!(
                        "expected `<member>` or the end of the struct, found `{found}`"
                    )),
                ));
            }
        }
        if self.count >= self.de.limits.max_members {
            return Err(self.de.error_at(
                tag.at,
                ErrorKind::LimitExceeded {
                    what: "struct size",
                    limit: self.de.limits.max_members,
                },
            ));
        }
        self.count += 1;
        let text = if self.de.expect_start("name")? {
            let pos = tag.at;
            Text::Range(pos..pos)
        } else {
            let text = self.de.text()?;
            self.de.expect_end("name")?;
            text
        };
        self.key = match &text {
            Text::Range(r) => KeyRef::Range(r.clone()),
            Text::Scratch => KeyRef::Owned(self.de.text_str(&text).to_owned()),
        };
        Ok(Some(text))
    }

    fn key_str(&self) -> &str {
        match &self.key {
            KeyRef::Range(r) => &self.de.src()[r.clone()],
            KeyRef::Owned(s) => s,
        }
    }

    /// After the visitor: skips members it did not ask for.
    pub(crate) fn finish(&mut self) -> Result<()> {
        while self.next_name()?.is_some() {
            de::Deserializer::deserialize_ignored_any(&mut *self.de, de::IgnoredAny)?;
            self.de.expect_end("member")?;
        }
        Ok(())
    }
}

impl<'de> MapAccess<'de> for &mut StructAccess<'_, 'de> {
    type Error = Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.next_name()? {
            None => Ok(None),
            Some(text) => seed
                .deserialize(self.de.key(&text))
                .map(Some)
                .map_err(|e| e.at_member(self.key_str())),
        }
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        match seed.deserialize(&mut *self.de) {
            Ok(v) => {
                self.de.expect_end("member")?;
                Ok(v)
            }
            Err(e) => Err(e.at_member(self.key_str())),
        }
    }
}

/// The parameters of a call: `<param><value>...</value></param>...</params>`.
pub(crate) struct ParamsAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    index: usize,
    done: bool,
}

impl<'a, 'de> ParamsAccess<'a, 'de> {
    /// Starts inside `<params>` when `open`, else for a call without parameters.
    /// Goes on after `index` parameters were read.
    pub(crate) fn resume(de: &'a mut Deserializer<'de>, open: bool, index: usize) -> Self {
        ParamsAccess {
            de,
            index,
            done: !open,
        }
    }

    /// Whether another parameter follows; reads `</params>` when not.
    pub(crate) fn has_next(&mut self) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        let tag = self.de.next_tag()?;
        match tag.kind {
            TagKind::End if tag.qname(self.de.src()) == "params" => {
                self.done = true;
                Ok(false)
            }
            TagKind::Start if tag.qname(self.de.src()) == "param" => {
                if self.index >= self.de.limits.max_elements {
                    return Err(self.de.error_at(
                        tag.at,
                        ErrorKind::LimitExceeded {
                            what: "parameter count",
                            limit: self.de.limits.max_elements,
                        },
                    ));
                }
                Ok(true)
            }
            // Any other end tag closes something `<params>` is inside: not well formed.
            TagKind::End => {
                let found = crate::excerpt::truncate(tag.qname(self.de.src()), 32);
                Err(self.de.error_at(
                    tag.at,
                    ErrorKind::Syntax(format!("end tag `</{found}>` does not match `<params>`")),
                ))
            }
            _ => {
                let found = crate::excerpt::truncate(tag.qname(self.de.src()), 32);
                Err(self.de.error_at(
                    tag.at,
                    ErrorKind::Invalid(format!(
                        "expected `<param>` or `</params>`, found `{found}`"
                    )),
                ))
            }
        }
    }

    /// Reads the next parameter, after [`has_next`](Self::has_next) said there is one.
    pub(crate) fn read<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value> {
        let index = self.index;
        self.index += 1;
        let value = seed
            .deserialize(&mut *self.de)
            .map_err(|e| e.at_param(index))?;
        self.de.expect_end("param")?;
        Ok(value)
    }

    /// How many parameters were read.
    pub(crate) fn count(&self) -> usize {
        self.index
    }

    /// After the visitor: the call must hold no more parameters than were taken.
    pub(crate) fn finish(&mut self) -> Result<()> {
        if self.has_next()? {
            return Err(Error::new(ErrorKind::ParamCount(format!(
                "too many parameters: expected {}",
                self.index
            ))));
        }
        Ok(())
    }
}

impl<'de> SeqAccess<'de> for &mut ParamsAccess<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.has_next()? {
            self.read(seed).map(Some)
        } else {
            Ok(None)
        }
    }
}

/// An enum written as a struct with one member: the member's name is the variant.
pub(crate) struct StructEnum<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'a, 'de> StructEnum<'a, 'de> {
    pub(crate) fn new(de: &'a mut Deserializer<'de>) -> Self {
        StructEnum { de }
    }
}

impl<'de> EnumAccess<'de> for StructEnum<'_, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let tag = self.de.next_tag()?;
        if tag.kind != TagKind::Start || tag.qname(self.de.src()) != "member" {
            return Err(self.de.error_at(
                tag.at,
                ErrorKind::InvalidValue(
                    "an enum variant needs a struct with exactly one member".into(),
                ),
            ));
        }
        let text = if self.de.expect_start("name")? {
            Text::Range(tag.at..tag.at)
        } else {
            let text = self.de.text()?;
            self.de.expect_end("name")?;
            text
        };
        let variant = seed.deserialize(self.de.key(&text))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for StructEnum<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserializer::deserialize_ignored_any(&mut *self.de, de::IgnoredAny).map(|_| ())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(&mut *self.de, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(&mut *self.de, visitor)
    }
}
