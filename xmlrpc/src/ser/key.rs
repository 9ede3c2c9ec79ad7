//! Member names, and the small serializers behind the private marker types.

use std::io::Write;

use serde::ser::{self, Impossible, Serialize};

use crate::error::{Error, Result};
use crate::xml::writer::escape;

/// Writes a map key as member-name text: strings as they are, numbers, booleans and
/// unit variants as their text (as serde_json does); anything else is an error.
pub(super) struct KeySerializer<'a, W> {
    pub(super) out: &'a mut W,
    pub(super) dialect: &'a crate::ser::dialect::Dialect,
}

#[cold]
fn bad_key() -> Error {
    Error::unsupported("struct member names must be strings, numbers, booleans or unit variants")
}

macro_rules! key_number {
    ($($method:ident $ty:ty => $fmt:ident,)*) => {$(
        fn $method(self, v: $ty) -> Result<()> {
            self.out.write_all($fmt::Buffer::new().format(v).as_bytes())?;
            Ok(())
        }
    )*};
}

impl<W: Write> ser::Serializer for KeySerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<()> {
        escape(self.out, v, self.dialect)?;
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.serialize_str(if v { "true" } else { "false" })
    }

    key_number! {
        serialize_i8 i8 => itoa,
        serialize_i16 i16 => itoa,
        serialize_i32 i32 => itoa,
        serialize_i64 i64 => itoa,
        serialize_i128 i128 => itoa,
        serialize_u8 u8 => itoa,
        serialize_u16 u16 => itoa,
        serialize_u32 u32 => itoa,
        serialize_u64 u64 => itoa,
        serialize_u128 u128 => itoa,
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(bad_key());
        }
        self.out
            .write_all(ryu::Buffer::new().format_finite(v).as_bytes())?;
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(bad_key())
    }

    fn serialize_none(self) -> Result<()> {
        Err(bad_key())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        Err(bad_key())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Err(bad_key())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(bad_key())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(bad_key())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(bad_key())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(bad_key())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(bad_key())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(bad_key())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(bad_key())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(bad_key())
    }
}

/// Takes the `i64` out of the private i8 marker.
pub(super) struct I64Capture;

#[cold]
fn not_i64() -> Error {
    Error::unsupported("the i8 marker must wrap an integer")
}

impl ser::Serializer for I64Capture {
    type Ok = i64;
    type Error = Error;
    type SerializeSeq = Impossible<i64, Error>;
    type SerializeTuple = Impossible<i64, Error>;
    type SerializeTupleStruct = Impossible<i64, Error>;
    type SerializeTupleVariant = Impossible<i64, Error>;
    type SerializeMap = Impossible<i64, Error>;
    type SerializeStruct = Impossible<i64, Error>;
    type SerializeStructVariant = Impossible<i64, Error>;

    fn serialize_i64(self, v: i64) -> Result<i64> {
        Ok(v)
    }
    fn serialize_i32(self, v: i32) -> Result<i64> {
        Ok(v.into())
    }
    fn serialize_bool(self, _v: bool) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_i8(self, v: i8) -> Result<i64> {
        Ok(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<i64> {
        Ok(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<i64> {
        Ok(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<i64> {
        Ok(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<i64> {
        Ok(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<i64> {
        i64::try_from(v).map_err(|_| not_i64())
    }
    fn serialize_f32(self, _v: f32) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_f64(self, _v: f64) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_char(self, _v: char) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_str(self, _v: &str) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_none(self) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_unit(self) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<i64> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<i64> {
        Err(not_i64())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(not_i64())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(not_i64())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(not_i64())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(not_i64())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(not_i64())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(not_i64())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(not_i64())
    }
}
