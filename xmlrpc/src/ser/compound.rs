//! The serializer of arrays and structs, element by element and member by member.

use std::io::Write;

use serde::ser::{self, Serialize};

use super::Serializer;
use super::dialect::{Dialect, ForbiddenChars};
use super::key;
use crate::error::{Error, Result};
use crate::xml::writer::escape;

/// The state of an array or struct being written.
#[derive(Debug)]
pub struct Compound<'a, W> {
    ser: &'a mut Serializer<W>,
    close: &'static str,
    /// The index of the next array element, for error paths.
    index: usize,
    /// The enum variant whose data this is, for error paths.
    variant: Option<&'static str>,
}

impl<'a, W: Write> Compound<'a, W> {
    pub(super) fn new(
        ser: &'a mut Serializer<W>,
        close: &'static str,
        variant: Option<&'static str>,
    ) -> Self {
        Compound {
            ser,
            close,
            index: 0,
            variant,
        }
    }

    /// An array element, with its index in error paths.
    #[inline]
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.index;
        self.index += 1;
        match value.serialize(&mut *self.ser) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.in_variant(e.at_index(index))),
        }
    }

    /// A struct member whose name is known, with the name in error paths.
    #[inline]
    fn member<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<()> {
        self.ser.raw("<member><name>")?;
        escape(&mut self.ser.out, name, &self.ser.dialect)
            .map_err(|e| self.in_variant(e.at_member(name)))?;
        self.ser.raw("</name>")?;
        match value.serialize(&mut *self.ser) {
            Ok(()) => self.ser.raw("</member>"),
            Err(e) => Err(self.in_variant(e.at_member(name))),
        }
    }

    fn key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<()> {
        self.ser.raw("<member><name>")?;
        key.serialize(key::KeySerializer {
            out: &mut self.ser.out,
            dialect: &self.ser.dialect,
        })
        .map_err(|e| self.in_variant(e))?;
        self.ser.raw("</name>")
    }

    #[cold]
    fn in_variant(&self, e: Error) -> Error {
        match self.variant {
            Some(variant) => e.at_member(variant),
            None => e,
        }
    }

    fn close(self) -> Result<()> {
        self.ser.raw(self.close)
    }
}

/// The text of a map key, for an error's path.
#[cold]
fn key_text<K: Serialize + ?Sized>(key: &K) -> String {
    let mut out = Vec::new();
    let lenient = Dialect::new().with_forbidden_chars(ForbiddenChars::Reference);
    match key.serialize(key::KeySerializer {
        out: &mut out,
        dialect: &lenient,
    }) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(_) => "?".to_owned(),
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    #[inline]
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeTupleVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key(key)
    }

    /// The value of a key given by its own call: an error's path cannot name the member.
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value
            .serialize(&mut *self.ser)
            .map_err(|e| self.in_variant(e))?;
        self.ser.raw("</member>")
    }

    #[inline]
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<()> {
        self.key(key)?;
        match value.serialize(&mut *self.ser) {
            Ok(()) => self.ser.raw("</member>"),
            Err(e) => Err(self.in_variant(e.at_member(&key_text(key)))),
        }
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        self.member(name, value)
    }

    #[inline]
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        self.member(name, value)
    }

    fn end(self) -> Result<()> {
        self.close()
    }
}
