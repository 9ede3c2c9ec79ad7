//! `Value` as serde data: its `Deserialize` implementation, and [`from_value`], a
//! deserializer that reads any `Deserialize` type out of a `Value`.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

use super::{Struct, Value};
use crate::datetime::DateTime;
use crate::de::key::KeyDeserializer;
use crate::error::{Error, Result};

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an XML-RPC value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i32<E: de::Error>(self, v: i32) -> std::result::Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::I8(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        i64::try_from(v)
            .map(Value::I8)
            .map_err(|_| E::custom(format!("integer {v} does not fit in 64 bits")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::Double(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<Value, E> {
        Ok(Value::Base64(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> std::result::Result<Value, E> {
        Ok(Value::Base64(v))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Nil)
    }

    /// The codec hands out date-times as a newtype around their text; other formats never
    /// produce a newtype from `deserialize_any`, and a newtype of anything else is
    /// transparent.
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Value, D::Error> {
        match Value::deserialize(d)? {
            Value::String(text) => DateTime::parse(&text)
                .map(Value::DateTime)
                .map_err(de::Error::custom),
            other => Ok(other),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(4).min(64));
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            members.push((k, v));
        }
        members.shrink_to_fit();
        Ok(Value::Struct(Struct { members }))
    }
}

impl<'de> serde::Deserialize<'de> for Struct {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct StructVisitor;
        impl<'de> Visitor<'de> for StructVisitor {
            type Value = Struct;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an XML-RPC struct")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Struct, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(4).min(64));
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    members.push((k, v));
                }
                Ok(Struct { members })
            }
        }
        d.deserialize_map(StructVisitor)
    }
}

/// Reads a `T` out of a [`Value`], with the XML codec's mapping: an integer type takes
/// `Int` and `I8` values that fit it, doubles take integers too, strings take
/// `dateTime.iso8601` values as their text, `Option` takes `Nil` as `None`, bytes take
/// `Base64`, structs skip members they do not know, enums take a string or a one-member
/// struct. Errors carry the path of the value they concern, as `[0].tags[3]`.
///
/// Strings and bytes are copied out of the value; [`from_value_ref`] reads types that
/// borrow them.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Struct, Value};
///
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Row {
///     id: u8,
///     tags: Vec<String>,
/// }
///
/// let mut row = Struct::new();
/// row.push("id", 7);
/// row.push("tags", vec!["a", "b"]);
/// let value = Value::Array(vec![Value::Struct(row.clone())]);
/// let rows: Vec<Row> = xmlrpc::from_value(value)?;
/// assert_eq!(rows, [Row { id: 7, tags: vec!["a".into(), "b".into()] }]);
///
/// row.insert("tags", vec![Value::from("a"), Value::from(3)]);
/// let err = xmlrpc::from_value::<Vec<Row>>(Value::Array(vec![Value::Struct(row)])).unwrap_err();
/// assert_eq!(err.to_string(), "expected string, found int at [0].tags[1]");
/// assert_eq!(err.fault_code(), xmlrpc::Fault::INVALID_PARAMS);
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// The value does not fit `T`: another type, a number out of range, a missing member, an
/// unknown enum variant, more array elements than a tuple takes.
pub fn from_value<T: de::DeserializeOwned>(value: Value) -> Result<T> {
    T::deserialize(&value)
}

/// [`from_value`] for types that borrow from the value: `&str` for strings, `&[u8]` for
/// base64 (through `serde_bytes`). The same as `T::deserialize(&value)`.
///
/// ```
/// use xmlrpc::Value;
///
/// #[derive(serde::Deserialize)]
/// struct Greeting<'a> {
///     name: &'a str,
/// }
///
/// let v = Value::Struct([("name", "Ada")].into_iter().collect());
/// let g: Greeting<'_> = xmlrpc::from_value_ref(&v)?;
/// assert_eq!(g.name, "Ada");
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// As [`from_value`].
pub fn from_value_ref<'de, T: Deserialize<'de>>(value: &'de Value) -> Result<T> {
    T::deserialize(value)
}

#[cold]
fn mismatch(expected: &str, found: &Value) -> Error {
    Error::mismatch(expected, found.type_name())
}

/// The text a date-time is read as by types that take it as a string.
fn datetime_text(dt: &DateTime) -> String {
    dt.to_string()
}

macro_rules! deserialize_int {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match *self {
                Value::Int(v) => visitor.visit_i32(v),
                Value::I8(v) => visitor.visit_i64(v),
                ref other => Err(mismatch("int", other)),
            }
        }
    )*};
}

/// Reads straight out of a borrowed `Value`, handing out `&'de str` and `&'de [u8]`.
impl<'de> de::Deserializer<'de> for &'de Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Int(v) => visitor.visit_i32(*v),
            Value::I8(v) => visitor.visit_i64(*v),
            Value::Bool(v) => visitor.visit_bool(*v),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Double(v) => visitor.visit_f64(*v),
            // A newtype around its text, as the XML deserializer hands it out, so that a
            // `Value` can tell a date-time from a string.
            Value::DateTime(dt) => {
                visitor.visit_newtype_struct(de::value::StringDeserializer::<Error>::new(
                    datetime_text(dt),
                ))
            }
            Value::Base64(b) => visitor.visit_borrowed_bytes(b),
            Value::Nil => visitor.visit_unit(),
            Value::Array(items) => visit_array(items, visitor),
            Value::Struct(members) => visit_struct(members, visitor),
        }
    }

    deserialize_int!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Bool(v) => visitor.visit_bool(*v),
            other => Err(mismatch("boolean", other)),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Double(v) => visitor.visit_f64(*v),
            // Integers are exact doubles up to 2^53, as the XML deserializer takes them.
            Value::Int(v) => visitor.visit_f64(f64::from(*v)),
            Value::I8(v) => visitor.visit_f64(*v as f64),
            other => Err(mismatch("double", other)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::DateTime(dt) => visitor.visit_string(datetime_text(dt)),
            other => Err(mismatch("string", other)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Base64(b) => visitor.visit_borrowed_bytes(b),
            Value::Array(items) => visit_array(items, visitor),
            other => Err(mismatch("base64", other)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Nil => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Nil => visitor.visit_unit(),
            other => Err(mismatch("nil", other)),
        }
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
        if name == crate::datetime::MARKER {
            match self {
                Value::DateTime(dt) => visitor.visit_string(datetime_text(dt)),
                Value::String(s) => visitor.visit_borrowed_str(s),
                other => Err(mismatch("dateTime.iso8601", other)),
            }
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Value::Array(items) => visit_array(items, visitor),
            other => Err(mismatch("array", other)),
        }
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
        match self {
            Value::Struct(members) => visit_struct(members, visitor),
            other => Err(mismatch("struct", other)),
        }
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
        match self {
            Value::String(s) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::<Error>::new(s))
            }
            Value::Struct(members) => {
                let mut iter = members.members.iter();
                match (iter.next(), iter.next()) {
                    (Some((name, value)), None) => visitor
                        .visit_enum(EnumRef { name, value })
                        .map_err(|e| e.at_member(name)),
                    _ => Err(Error::invalid_value(
                        "an enum variant needs a struct with exactly one member",
                    )),
                }
            }
            other => Err(mismatch("string or struct (an enum)", other)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        true
    }
}

impl<'de> de::IntoDeserializer<'de, Error> for &'de Value {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: &'de [Value], visitor: V) -> Result<V::Value> {
    let mut access = SeqRef {
        items: items.iter(),
        index: 0,
    };
    let value = visitor.visit_seq(&mut access)?;
    if access.items.len() > 0 {
        return Err(Error::invalid_value(format!(
            "array has more than the {} elements expected",
            access.index
        )));
    }
    Ok(value)
}

fn visit_struct<'de, V: Visitor<'de>>(members: &'de Struct, visitor: V) -> Result<V::Value> {
    visitor.visit_map(MapRef {
        members: members.members.iter(),
        value: None,
    })
}

/// The elements of an array, each error with its index.
struct SeqRef<'de> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
}

impl<'de> SeqAccess<'de> for &mut SeqRef<'de> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(item)
            .map(Some)
            .map_err(|e| e.at_index(index))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of a struct, each error with its name.
struct MapRef<'de> {
    members: std::slice::Iter<'de, (String, Value)>,
    value: Option<(&'de str, &'de Value)>,
}

impl<'de> MapAccess<'de> for MapRef<'de> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((name, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some((name, value));
        seed.deserialize(KeyDeserializer::Borrowed(name))
            .map(Some)
            .map_err(|e| e.at_member(name))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        match self.value.take() {
            Some((name, value)) => seed.deserialize(value).map_err(|e| e.at_member(name)),
            None => Err(Error::invalid_value(
                "a struct member's value without its name",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// An enum written as a struct with one member: the member's name is the variant.
struct EnumRef<'de> {
    name: &'de str,
    value: &'de Value,
}

impl<'de> de::EnumAccess<'de> for EnumRef<'de> {
    type Error = Error;
    type Variant = &'de Value;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant)> {
        let variant = seed.deserialize(KeyDeserializer::Borrowed(self.name))?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for &'de Value {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
