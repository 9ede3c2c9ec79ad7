//! [`Value`], the dynamic tree of XML-RPC values, and [`Struct`], its member list.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};

use crate::base64::Base64;
use crate::datetime::DateTime;
use crate::error::{Error, Result};

/// Any XML-RPC value.
///
/// Use `Value` where the shape of the data is not known in advance; for known shapes,
/// deserialize straight into your own types, which is faster. `Value` implements
/// `Serialize` and `Deserialize`, so it goes through the same codec as everything else.
///
/// # Examples
///
/// ```
/// use xmlrpc::Value;
///
/// let v: Value = xmlrpc::from_str(
///     "<value><struct><member><name>n</name><value><i4>3</i4></value></member>\
///      <member><name>big</name><value><ex:i8>5000000000</ex:i8></value></member>\
///      </struct></value>",
/// )?;
/// assert_eq!(v["n"], Value::Int(3));
/// assert_eq!(v["big"].as_i64(), Some(5_000_000_000));
/// assert_eq!(v.to_string(), "{n: 3, big: 5000000000}");
///
/// let list = Value::from(vec![1, 2]);
/// assert_eq!(xmlrpc::to_string(&list)?,
///     "<value><array><data><value><int>1</int></value><value><int>2</int></value></data></array></value>");
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// `<int>` or `<i4>` (also read from `<i1>` and `<i2>`).
    Int(i32),
    /// `<i8>` (also read from `<ex:i8>` and `<biginteger>`, and from an `<int>` too large for
    /// 32 bits).
    I8(i64),
    /// `<boolean>`.
    Bool(bool),
    /// `<string>`, or a `<value>` without type element.
    String(String),
    /// `<double>` (also read from Apache's `<float>`).
    Double(f64),
    /// `<dateTime.iso8601>`.
    DateTime(DateTime),
    /// `<base64>`.
    Base64(Vec<u8>),
    /// `<struct>`.
    Struct(Struct),
    /// `<array>`.
    Array(Vec<Value>),
    /// `<nil/>` (also read from `<ex:nil/>`).
    #[default]
    Nil,
}

impl Value {
    /// The XML-RPC name of the value's type: `int`, `i8`, `boolean`, `string`, `double`,
    /// `dateTime.iso8601`, `base64`, `struct`, `array` or `nil`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::I8(_) => "i8",
            Value::Bool(_) => "boolean",
            Value::String(_) => "string",
            Value::Double(_) => "double",
            Value::DateTime(_) => "dateTime.iso8601",
            Value::Base64(_) => "base64",
            Value::Struct(_) => "struct",
            Value::Array(_) => "array",
            Value::Nil => "nil",
        }
    }

    /// The integer, from `Int` or `I8`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(v) => Some(v.into()),
            Value::I8(v) => Some(v),
            _ => None,
        }
    }

    /// The integer, when it is an `Int` or an `I8` that fits in 32 bits.
    pub fn as_i32(&self) -> Option<i32> {
        self.as_i64().and_then(|v| i32::try_from(v).ok())
    }

    /// The boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Value::Bool(v) => Some(v),
            _ => None,
        }
    }

    /// The double, or an integer as a double.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Double(v) => Some(v),
            Value::Int(v) => Some(v.into()),
            Value::I8(v) => Some(v as f64),
            _ => None,
        }
    }

    /// The string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The date-time.
    pub fn as_datetime(&self) -> Option<&DateTime> {
        match self {
            Value::DateTime(v) => Some(v),
            _ => None,
        }
    }

    /// The bytes of a base64 value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Base64(v) => Some(v),
            _ => None,
        }
    }

    /// The members of a struct.
    pub fn as_struct(&self) -> Option<&Struct> {
        match self {
            Value::Struct(v) => Some(v),
            _ => None,
        }
    }

    /// The members of a struct, to change.
    pub fn as_struct_mut(&mut self) -> Option<&mut Struct> {
        match self {
            Value::Struct(v) => Some(v),
            _ => None,
        }
    }

    /// The elements of an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(v) => Some(v),
            _ => None,
        }
    }

    /// The elements of an array, to change.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(v) => Some(v),
            _ => None,
        }
    }

    /// Whether this is nil.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The member `name` of a struct, or element `index` of an array; `None` otherwise.
    ///
    /// ```
    /// let v = xmlrpc::Value::from(vec!["a", "b"]);
    /// assert_eq!(v.get(1).and_then(|v| v.as_str()), Some("b"));
    /// ```
    pub fn get<I: Index>(&self, index: I) -> Option<&Value> {
        index.index_into(self)
    }
}

/// What [`Value::get`] and `value[...]` accept: member names and array indexes.
pub trait Index: private::Sealed {
    #[doc(hidden)]
    fn index_into(self, v: &Value) -> Option<&Value>;
}

impl Index for usize {
    fn index_into(self, v: &Value) -> Option<&Value> {
        v.as_array()?.get(self)
    }
}

impl Index for &str {
    fn index_into(self, v: &Value) -> Option<&Value> {
        v.as_struct()?.get(self)
    }
}

mod private {
    pub trait Sealed {}
    impl Sealed for usize {}
    impl Sealed for &str {}
}

static NIL: Value = Value::Nil;

impl<I: Index> std::ops::Index<I> for Value {
    type Output = Value;

    /// The member or element, or [`Value::Nil`] when there is none (as serde_json does).
    fn index(&self, index: I) -> &Value {
        index.index_into(self).unwrap_or(&NIL)
    }
}

/// The members of an XML-RPC struct, in the order they were written or read.
///
/// Lookups scan the members, which is the fastest way for the handful of members that
/// structs usually have. Reading keeps every member as sent, duplicates included; lookups
/// find the last one, as Python does.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Struct, Value};
///
/// let mut s = Struct::new();
/// s.insert("faultCode", 4);
/// s.insert("faultString", "Too many parameters.");
/// assert_eq!(s.get("faultCode"), Some(&Value::Int(4)));
/// assert_eq!(s.keys().collect::<Vec<_>>(), ["faultCode", "faultString"]);
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Struct {
    members: Vec<(String, Value)>,
}

impl Struct {
    /// An empty struct.
    pub fn new() -> Self {
        Struct::default()
    }

    /// An empty struct with room for `n` members.
    pub fn with_capacity(n: usize) -> Self {
        Struct {
            members: Vec::with_capacity(n),
        }
    }

    /// The member `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The member `name`, to change.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        self.members
            .iter_mut()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// Whether there is a member `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets member `name`, replacing an existing one in place, and returns the old value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        let name = name.into();
        let value = value.into();
        match self.get_mut(&name) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.members.push((name, value));
                None
            }
        }
    }

    /// Appends a member without looking for an existing one.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        self.members.push((name.into(), value.into()));
    }

    /// Removes member `name` (every member of that name) and returns the last value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let mut found = None;
        let mut i = 0;
        while i < self.members.len() {
            if self.members[i].0 == name {
                found = Some(self.members.remove(i).1);
            } else {
                i += 1;
            }
        }
        found
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.members.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The member names in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(k, _)| k.as_str())
    }

    /// The member values in order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.members.iter().map(|(_, v)| v)
    }
}

impl IntoIterator for Struct {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.members.into_iter()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Struct {
    /// Collects members in order, keeping duplicates as [`Struct::push`] does.
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        Struct {
            members: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

impl<K: Into<String>, V: Into<Value>> Extend<(K, V)> for Struct {
    fn extend<T: IntoIterator<Item = (K, V)>>(&mut self, iter: T) {
        self.members
            .extend(iter.into_iter().map(|(k, v)| (k.into(), v.into())));
    }
}

impl std::ops::Index<&str> for Struct {
    type Output = Value;

    /// The member, or [`Value::Nil`] when there is none.
    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NIL)
    }
}

macro_rules! from_int {
    ($($ty:ty)*) => {$(
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                Value::Int(v.into())
            }
        }
    )*};
}
from_int!(i8 i16 i32 u8 u16);

macro_rules! from_wide {
    ($($ty:ty)*) => {$(
        impl From<$ty> for Value {
            /// `Int` when the value fits in 32 bits, else `I8`, as the writer chooses.
            fn from(v: $ty) -> Self {
                match i32::try_from(v) {
                    Ok(small) => Value::Int(small),
                    Err(_) => Value::I8(v.into()),
                }
            }
        }
    )*};
}
from_wide!(i64 u32);

impl TryFrom<u64> for Value {
    type Error = Error;

    /// `Int` or `I8` by size; an error beyond `i64::MAX`.
    fn try_from(v: u64) -> Result<Self> {
        match i64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => Err(Error::invalid_value(format!(
                "integer {v} is beyond the 64 bits that XML-RPC's i8 can carry"
            ))),
        }
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}

impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::Double(v.into())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

impl From<char> for Value {
    fn from(v: char) -> Self {
        Value::String(v.to_string())
    }
}

impl From<DateTime> for Value {
    fn from(v: DateTime) -> Self {
        Value::DateTime(v)
    }
}

impl From<chrono::NaiveDateTime> for Value {
    fn from(v: chrono::NaiveDateTime) -> Self {
        Value::DateTime(v.into())
    }
}

impl From<chrono::DateTime<chrono::Utc>> for Value {
    fn from(v: chrono::DateTime<chrono::Utc>) -> Self {
        Value::DateTime(v.into())
    }
}

impl From<Base64> for Value {
    fn from(v: Base64) -> Self {
        Value::Base64(v.0)
    }
}

impl From<&[u8]> for Value {
    /// Bytes as `Base64`.
    fn from(v: &[u8]) -> Self {
        Value::Base64(v.to_vec())
    }
}

impl From<Struct> for Value {
    fn from(v: Struct) -> Self {
        Value::Struct(v)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    /// An `Array`; for bytes as `Base64`, convert from [`Base64`] or `&[u8]`.
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Nil, Into::into)
    }
}

impl From<()> for Value {
    fn from((): ()) -> Self {
        Value::Nil
    }
}

impl<K: Into<String>, V: Into<Value>> From<BTreeMap<K, V>> for Value {
    fn from(v: BTreeMap<K, V>) -> Self {
        Value::Struct(v.into_iter().collect())
    }
}

impl<K: Into<String>, V: Into<Value>, S> From<HashMap<K, V, S>> for Value {
    fn from(v: HashMap<K, V, S>) -> Self {
        Value::Struct(v.into_iter().collect())
    }
}

impl<T: Into<Value>> FromIterator<T> for Value {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Value::Array(iter.into_iter().map(Into::into).collect())
    }
}

#[cold]
fn wrong_type(expected: &'static str, v: &Value) -> Error {
    Error::mismatch(expected, v.type_name())
}

macro_rules! try_from_value {
    ($($ty:ty => $expected:literal, |$v:ident| $body:expr;)*) => {$(
        impl TryFrom<Value> for $ty {
            type Error = Error;

            fn try_from($v: Value) -> Result<Self> {
                let found = $v.type_name();
                let r: Option<$ty> = $body;
                r.ok_or_else(|| Error::mismatch($expected, found))
            }
        }
    )*};
}

try_from_value! {
    i32 => "int", |v| v.as_i32();
    i64 => "int", |v| v.as_i64();
    bool => "boolean", |v| v.as_bool();
    f64 => "double", |v| v.as_f64();
    String => "string", |v| match v { Value::String(s) => Some(s), _ => None };
    DateTime => "dateTime.iso8601", |v| match v { Value::DateTime(d) => Some(d), _ => None };
    Vec<u8> => "base64", |v| match v { Value::Base64(b) => Some(b), _ => None };
    Base64 => "base64", |v| match v { Value::Base64(b) => Some(Base64(b)), _ => None };
    Vec<Value> => "array", |v| match v { Value::Array(a) => Some(a), _ => None };
    Struct => "struct", |v| match v { Value::Struct(s) => Some(s), _ => None };
}

impl TryFrom<&Value> for i32 {
    type Error = Error;
    fn try_from(v: &Value) -> Result<Self> {
        v.as_i32().ok_or_else(|| wrong_type("int", v))
    }
}

impl TryFrom<&Value> for i64 {
    type Error = Error;
    fn try_from(v: &Value) -> Result<Self> {
        v.as_i64().ok_or_else(|| wrong_type("int", v))
    }
}

impl TryFrom<&Value> for bool {
    type Error = Error;
    fn try_from(v: &Value) -> Result<Self> {
        v.as_bool().ok_or_else(|| wrong_type("boolean", v))
    }
}

impl TryFrom<&Value> for f64 {
    type Error = Error;
    fn try_from(v: &Value) -> Result<Self> {
        v.as_f64().ok_or_else(|| wrong_type("double", v))
    }
}

impl<'a> TryFrom<&'a Value> for &'a str {
    type Error = Error;
    fn try_from(v: &'a Value) -> Result<Self> {
        v.as_str().ok_or_else(|| wrong_type("string", v))
    }
}

impl fmt::Display for Value {
    /// A compact text that reads like the value: `3`, `"text"`, `[1, 2]`,
    /// `{name: "x"}`, `19980717T14:08:55`, `base64:AAE=`, `nil`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::I8(v) => write!(f, "{v}"),
            Value::Bool(v) => write!(f, "{v}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Double(v) => write!(f, "{v:?}"),
            Value::DateTime(v) => write!(f, "{v}"),
            Value::Base64(b) => write!(f, "base64:{}", crate::base64::encode(b)),
            Value::Nil => f.write_str("nil"),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Struct(s) => {
                f.write_str("{")?;
                for (i, (k, v)) in s.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

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

impl serde::Serialize for Struct {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.members.len()))?;
        for (k, v) in &self.members {
            map.serialize_entry(k, v)?;
        }
        map.end()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_pick_the_narrowest_type() {
        assert_eq!(Value::from(5i64), Value::Int(5));
        assert_eq!(Value::from(5_000_000_000i64), Value::I8(5_000_000_000));
        assert_eq!(
            Value::try_from(u64::MAX).unwrap_err().to_string(),
            "integer 18446744073709551615 is beyond the 64 bits that XML-RPC's i8 can carry"
        );
        assert_eq!(Value::from(None::<i32>), Value::Nil);
        assert_eq!(
            i32::try_from(Value::from("x")).unwrap_err().to_string(),
            "expected int, found string"
        );
    }

    #[test]
    fn display_reads_like_the_value() {
        let v: Value = vec![
            Value::from(1),
            Value::from("a\"b"),
            Value::from(2.5),
            Value::Nil,
            Value::from(&b"\x00\x01"[..]),
            Value::Struct([("k", true)].into_iter().collect()),
        ]
        .into();
        assert_eq!(
            v.to_string(),
            r#"[1, "a\"b", 2.5, nil, base64:AAE=, {k: true}]"#
        );
    }

    #[test]
    fn struct_keeps_order_and_last_duplicate_wins() {
        let mut s = Struct::new();
        s.push("a", 1);
        s.push("b", 2);
        s.push("a", 3);
        assert_eq!(s.get("a"), Some(&Value::Int(3)));
        assert_eq!(s.keys().collect::<Vec<_>>(), ["a", "b", "a"]);
        assert_eq!(s.remove("a"), Some(Value::Int(3)));
        assert_eq!(s.len(), 1);
    }
}
