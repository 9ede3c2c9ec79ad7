//! The probe: the XML-RPC type a `Deserialize` type asks for, and the type of a result
//! known only by its `TypeId`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, Deserialize, Visitor};

use crate::datetime;

/// The XML-RPC type a `Deserialize` type asks for, found by letting it deserialize from a
/// probe that records the first request and stops.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Point { x: i32, y: i32 }
///
/// assert_eq!(xmlrpc::type_of::<Point>(), "struct");
/// assert_eq!(xmlrpc::type_of::<Option<Vec<u8>>>(), "array");
/// assert_eq!(xmlrpc::type_of::<xmlrpc::Base64>(), "base64");
/// ```
pub fn type_of<'de, T: Deserialize<'de>>() -> &'static str {
    match T::deserialize(Probe) {
        Err(Found(Some(name))) => name,
        _ => "any",
    }
}

struct Probe;

#[derive(Debug)]
struct Found(Option<&'static str>);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("type probe")
    }
}

impl std::error::Error for Found {}

impl de::Error for Found {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Found(None)
    }
}

macro_rules! found {
    ($($method:ident => $name:literal,)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Found> {
            Err(Found(Some($name)))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Probe {
    type Error = Found;

    found! {
        deserialize_any => "any",
        deserialize_bool => "boolean",
        deserialize_i8 => "int",
        deserialize_i16 => "int",
        deserialize_i32 => "int",
        deserialize_u8 => "int",
        deserialize_u16 => "int",
        deserialize_i64 => "i8",
        deserialize_i128 => "i8",
        deserialize_u32 => "i8",
        deserialize_u64 => "i8",
        deserialize_u128 => "i8",
        deserialize_f32 => "double",
        deserialize_f64 => "double",
        deserialize_char => "string",
        deserialize_str => "string",
        deserialize_string => "string",
        deserialize_identifier => "string",
        deserialize_bytes => "base64",
        deserialize_byte_buf => "base64",
        deserialize_unit => "nil",
        deserialize_seq => "array",
        deserialize_map => "struct",
        deserialize_ignored_any => "any",
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Found> {
        visitor.visit_some(Probe)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Some("nil")))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Found> {
        if name == datetime::MARKER {
            Err(Found(Some("dateTime.iso8601")))
        } else {
            visitor.visit_newtype_struct(Probe)
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Some("array")))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Some("array")))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Some("struct")))
    }

    /// Enums travel as strings (unit variants) or one-member structs; without a value the
    /// probe cannot tell, and reports the common case of a plain enum.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Found> {
        Err(Found(Some("string")))
    }
}

/// The XML-RPC type of a function's result type, known only as a `Serialize + 'static`
/// type: the standard types and this crate's by their `TypeId` (which Rust guarantees to
/// tell types apart), `any` for every other type. A generic function cannot ask a type's own
/// `Describe` or `Deserialize`, as `#[xmlrpc_service]` does for concrete types, and `any` is
/// never wrong.
pub(crate) fn type_of_result<T: ?Sized + 'static>() -> &'static str {
    use std::any::TypeId;
    macro_rules! table {
        ($($name:literal: $($ty:ty),*;)*) => {{
            let id = TypeId::of::<T>();
            $($(if id == TypeId::of::<$ty>() { return $name; })*)*
            "any"
        }};
    }
    table! {
        "int": i8, i16, i32, u8, u16, Option<i8>, Option<i16>, Option<i32>, Option<u8>, Option<u16>;
        "i8": i64, u32, u64, isize, usize, Option<i64>, Option<u32>, Option<u64>;
        "boolean": bool, Option<bool>;
        "double": f32, f64, Option<f32>, Option<f64>;
        "string": String, &'static str, str, char, Cow<'static, str>, Option<String>, Option<&'static str>;
        "nil": ();
        "dateTime.iso8601": crate::datetime::DateTime, chrono::NaiveDateTime, chrono::DateTime<chrono::Utc>, Option<crate::datetime::DateTime>;
        "base64": crate::base64::Base64;
        "struct": crate::value::Struct, BTreeMap<String, crate::value::Value>, HashMap<String, crate::value::Value>;
        "array": Vec<crate::value::Value>, Vec<String>, Vec<i32>, Vec<i64>, Vec<f64>, Vec<bool>;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_types_by_type_id_and_any_for_the_rest() {
        assert_eq!(type_of_result::<i32>(), "int");
        assert_eq!(type_of_result::<u64>(), "i8");
        assert_eq!(type_of_result::<&'static str>(), "string");
        assert_eq!(type_of_result::<Option<String>>(), "string");
        assert_eq!(
            type_of_result::<crate::datetime::DateTime>(),
            "dateTime.iso8601"
        );
        assert_eq!(type_of_result::<Vec<String>>(), "array");
        assert_eq!(type_of_result::<()>(), "nil");
        // A user's type could serialize as anything: no guess.
        #[derive(serde::Serialize)]
        struct Unit;
        assert_eq!(type_of_result::<Unit>(), "any");
        assert_eq!(type_of_result::<Vec<Unit>>(), "any");
    }

    #[test]
    fn probes_deserialize_impls() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct S {
            a: i32,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct N(i64);
        assert_eq!(type_of::<S>(), "struct");
        assert_eq!(type_of::<N>(), "i8");
        assert_eq!(type_of::<Option<String>>(), "string");
        assert_eq!(type_of::<crate::datetime::DateTime>(), "dateTime.iso8601");
        assert_eq!(type_of::<crate::value::Value>(), "any");
        assert_eq!(type_of::<()>(), "nil");
    }
}
