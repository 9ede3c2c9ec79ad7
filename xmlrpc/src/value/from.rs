//! Conversions between [`Value`] and Rust values, by the codec's type mapping.

use std::collections::{BTreeMap, HashMap};

use super::{Struct, Value};
use crate::base64::Base64;
use crate::datetime::DateTime;
use crate::error::{Error, Result};

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
