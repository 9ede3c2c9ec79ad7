//! `Value` as serde data: its `Serialize` implementation, and [`to_value`], a serializer
//! that builds a `Value` from any `Serialize` type.

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeSeq};

use super::{Struct, Value};
use crate::datetime::{self, DateTime};
use crate::error::{Error, Result};

/// The private marker that keeps `I8` written as `<i8>` whatever its size.
struct I8Marker(i64);

impl serde::Serialize for I8Marker {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(crate::ser::I8_MARKER, &self.0)
    }
}

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Value::Int(v) => s.serialize_i32(*v),
            Value::I8(v) => I8Marker(*v).serialize(s),
            Value::Bool(v) => s.serialize_bool(*v),
            Value::String(v) => s.serialize_str(v),
            Value::Double(v) => s.serialize_f64(*v),
            Value::DateTime(v) => v.serialize(s),
            Value::Base64(v) => s.serialize_bytes(v),
            Value::Nil => s.serialize_unit(),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Struct(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members.iter() {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl serde::Serialize for Struct {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.members.len()))?;
        for (k, v) in &self.members {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Converts any `Serialize` value into a [`Value`], with the XML codec's mapping:
/// integers by width (`Int` when they fit in 32 bits, else `I8`), finite doubles, strings
/// and chars as `String`, bytes as `Base64`, [`DateTime`](crate::DateTime) as `DateTime`,
/// `None` and `()` as `Nil`, sequences and tuples as `Array`, maps and structs as `Struct`
/// in their order, enums as the codec writes them (a unit variant as its name, others as
/// a one-member struct).
///
/// # Examples
///
/// ```
/// use xmlrpc::Value;
///
/// #[derive(serde::Serialize)]
/// struct Row {
///     id: u64,
///     tags: Vec<&'static str>,
///     note: Option<String>,
/// }
///
/// let v = xmlrpc::to_value(&Row { id: 5_000_000_000, tags: vec!["a"], note: None })?;
/// assert_eq!(v["id"], Value::I8(5_000_000_000));
/// assert_eq!(v["tags"][0], Value::from("a"));
/// assert_eq!(v["note"], Value::Nil);
///
/// let err = xmlrpc::to_value(&vec![1.0, f64::NAN]).unwrap_err();
/// assert_eq!(err.to_string(), "XML-RPC doubles are finite; cannot send NaN at [1]");
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// What the XML writer refuses too, with the value's path: a non-finite double, an integer
/// beyond 64 bits, a map key that is not a string, number, boolean or unit variant, a
/// date-time whose year the wire form cannot hold. Characters are not checked: a `Value`
/// may hold any string, and the writer checks them when it writes one.
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value> {
    value.serialize(ValueSerializer)
}

/// Builds a [`Value`] from serde's data model.
struct ValueSerializer;

#[cold]
fn beyond_64_bits(v: impl std::fmt::Display) -> Error {
    Error::unsupported(format!(
        "integer {v} is beyond the 64 bits that XML-RPC's i8 can carry"
    ))
}

fn wide(v: i128) -> Result<Value> {
    if let Ok(small) = i32::try_from(v) {
        return Ok(Value::Int(small));
    }
    i64::try_from(v)
        .map(Value::I8)
        .map_err(|_| beyond_64_bits(v))
}

fn variant(name: &'static str, value: Value) -> Value {
    let mut members = Struct::with_capacity(1);
    members.push(name, value);
    Value::Struct(members)
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = MapBuilder;

    fn serialize_bool(self, v: bool) -> Result<Value> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value> {
        Ok(Value::Int(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value> {
        wide(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<Value> {
        wide(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value> {
        wide(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Value> {
        wide(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<Value> {
        i128::try_from(v)
            .map_err(|_| beyond_64_bits(v))
            .and_then(wide)
    }
    fn serialize_f32(self, v: f32) -> Result<Value> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Value> {
        if v.is_finite() {
            Ok(Value::Double(v))
        } else {
            Err(Error::unsupported(format!(
                "XML-RPC doubles are finite; cannot send {v}"
            )))
        }
    }
    fn serialize_char(self, v: char) -> Result<Value> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value> {
        Ok(Value::Base64(v.to_vec()))
    }
    fn serialize_none(self) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value> {
        Ok(Value::Nil)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value> {
        if name == datetime::MARKER {
            return match value.serialize(self)? {
                Value::String(text) => DateTime::parse(&text).map(Value::DateTime),
                other => Err(Error::unsupported(format!(
                    "a date-time must be written as its text, not as {}",
                    other.type_name()
                ))),
            };
        }
        if name == crate::ser::I8_MARKER {
            return match value.serialize(self)? {
                Value::Int(v) => Ok(Value::I8(v.into())),
                other => Ok(other),
            };
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        value: &T,
    ) -> Result<Value> {
        let inner = value.serialize(self).map_err(|e| e.at_member(name))?;
        Ok(variant(name, inner))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        len: usize,
    ) -> Result<SeqBuilder> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len.min(4096)),
            variant: Some(name),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder> {
        Ok(MapBuilder {
            members: Struct::with_capacity(len.unwrap_or(0).min(4096)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapBuilder> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        len: usize,
    ) -> Result<MapBuilder> {
        Ok(MapBuilder {
            members: Struct::with_capacity(len.min(4096)),
            key: None,
            variant: Some(name),
        })
    }
}

/// An array being built; for a tuple variant, the variant's name.
struct SeqBuilder {
    items: Vec<Value>,
    variant: Option<&'static str>,
}

impl SeqBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.items.len();
        match value.serialize(ValueSerializer) {
            Ok(v) => {
                self.items.push(v);
                Ok(())
            }
            Err(e) => Err(in_variant(e.at_index(index), self.variant)),
        }
    }

    fn finish(self) -> Value {
        let array = Value::Array(self.items);
        match self.variant {
            Some(name) => variant(name, array),
            None => array,
        }
    }
}

#[cold]
fn in_variant(e: Error, variant: Option<&'static str>) -> Error {
    match variant {
        Some(name) => e.at_member(name),
        None => e,
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for SeqBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

/// A struct being built; for a struct variant, the variant's name.
struct MapBuilder {
    members: Struct,
    /// The key of a `serialize_key` call, waiting for its value.
    key: Option<String>,
    variant: Option<&'static str>,
}

impl MapBuilder {
    fn member<T: Serialize + ?Sized>(&mut self, name: String, value: &T) -> Result<()> {
        match value.serialize(ValueSerializer) {
            Ok(v) => {
                self.members.push(name, v);
                Ok(())
            }
            Err(e) => Err(in_variant(e.at_member(&name), self.variant)),
        }
    }

    fn finish(self) -> Value {
        let members = Value::Struct(self.members);
        match self.variant {
            Some(name) => variant(name, members),
            None => members,
        }
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(
            key.serialize(KeySerializer)
                .map_err(|e| in_variant(e, self.variant))?,
        );
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let name = self.key.take().unwrap_or_default();
        self.member(name, value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        self.member(name.to_owned(), value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for MapBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        self.member(name.to_owned(), value)
    }
    fn end(self) -> Result<Value> {
        Ok(self.finish())
    }
}

/// Map keys as member names: strings as they are; numbers, booleans and unit variants as
/// their text, as the XML writer writes them.
struct KeySerializer;

#[cold]
fn bad_key() -> Error {
    Error::unsupported("struct member names must be strings, numbers, booleans or unit variants")
}

macro_rules! key_int {
    ($($method:ident $ty:ty,)*) => {$(
        fn $method(self, v: $ty) -> Result<String> {
            Ok(itoa::Buffer::new().format(v).to_owned())
        }
    )*};
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_owned())
    }
    fn serialize_char(self, v: char) -> Result<String> {
        Ok(v.to_string())
    }
    fn serialize_bool(self, v: bool) -> Result<String> {
        Ok(if v { "true" } else { "false" }.to_owned())
    }
    key_int! {
        serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
        serialize_i128 i128, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
        serialize_u64 u64, serialize_u128 u128,
    }
    fn serialize_f32(self, v: f32) -> Result<String> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<String> {
        if v.is_finite() {
            Ok(ryu::Buffer::new().format_finite(v).to_owned())
        } else {
            Err(bad_key())
        }
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String> {
        value.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String> {
        value.serialize(self)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String> {
        Err(bad_key())
    }
    fn serialize_none(self) -> Result<String> {
        Err(bad_key())
    }
    fn serialize_unit(self) -> Result<String> {
        Err(bad_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String> {
        Err(bad_key())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String> {
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
