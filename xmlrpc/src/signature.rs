//! XML-RPC type names of Rust types, for `system.methodSignature`.
//!
//! Three sources, most precise first: an explicit [`Describe`] implementation (all standard
//! types and this crate's have one); for any other type that implements `Deserialize`, a
//! probe that asks the type's own `Deserialize` which XML-RPC shape it wants (so a user's
//! `#[derive(Deserialize)]` struct is `struct` with no extra derive); and for the rest,
//! `struct`, since what serializes without deserializing is almost always a user's struct.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use serde::de::{self, Deserialize, Visitor};

use crate::datetime;

/// A Rust type's XML-RPC type name, as `system.methodSignature` reports it.
///
/// Implemented for the standard types and this crate's; implement it for your own type when
/// the automatic probe (which asks the type's `Deserialize`) would get it wrong.
///
/// # Examples
///
/// ```
/// use xmlrpc::Describe;
///
/// assert_eq!(<Vec<String>>::xmlrpc_type(), "array");
/// assert_eq!(<Option<i32>>::xmlrpc_type(), "int");
/// assert_eq!(xmlrpc::DateTime::xmlrpc_type(), "dateTime.iso8601");
///
/// struct Celsius(f64);
/// impl Describe for Celsius {
///     fn xmlrpc_type() -> &'static str { "double" }
/// }
/// ```
pub trait Describe {
    /// The XML-RPC type name: `int`, `i8`, `boolean`, `string`, `double`,
    /// `dateTime.iso8601`, `base64`, `struct`, `array`, `nil`, or `any` for a value of any
    /// type.
    fn xmlrpc_type() -> &'static str;
}

macro_rules! describe {
    ($name:literal: $($ty:ty),*) => {$(
        impl Describe for $ty {
            fn xmlrpc_type() -> &'static str { $name }
        }
    )*};
}

describe!("int": i8, i16, i32, u8, u16);
describe!("i8": i64, u32, u64, isize, usize, i128, u128);
describe!("boolean": bool);
describe!("double": f32, f64);
describe!("string": str, String, char, Cow<'_, str>);
describe!("nil": ());
describe!("dateTime.iso8601": crate::DateTime, chrono::NaiveDateTime);
describe!("base64": crate::Base64);
describe!("struct": crate::Struct, crate::Fault);
describe!("any": crate::Value);

impl<Tz: chrono::TimeZone> Describe for chrono::DateTime<Tz> {
    fn xmlrpc_type() -> &'static str {
        "dateTime.iso8601"
    }
}

impl<T: Describe + ?Sized> Describe for &T {
    fn xmlrpc_type() -> &'static str {
        T::xmlrpc_type()
    }
}

impl<T: Describe + ?Sized> Describe for Box<T> {
    fn xmlrpc_type() -> &'static str {
        T::xmlrpc_type()
    }
}

impl<T: Describe> Describe for Option<T> {
    /// An optional value has its value's type; nil stands for `None`.
    fn xmlrpc_type() -> &'static str {
        T::xmlrpc_type()
    }
}

macro_rules! describe_generic {
    ($name:literal: $($ty:ident<$($p:ident),*>),*) => {$(
        impl<$($p),*> Describe for $ty<$($p),*> {
            fn xmlrpc_type() -> &'static str { $name }
        }
    )*};
}

describe_generic!("array": Vec<T>, VecDeque<T>, BTreeSet<T>);
describe_generic!("struct": BTreeMap<K, V>);

impl<T> Describe for [T] {
    fn xmlrpc_type() -> &'static str {
        "array"
    }
}

impl<T, const N: usize> Describe for [T; N] {
    fn xmlrpc_type() -> &'static str {
        "array"
    }
}

impl<T, S> Describe for HashSet<T, S> {
    fn xmlrpc_type() -> &'static str {
        "array"
    }
}

impl<K, V, S> Describe for HashMap<K, V, S> {
    fn xmlrpc_type() -> &'static str {
        "struct"
    }
}

macro_rules! describe_tuples {
    ($(($($t:ident),+))*) => {$(
        impl<$($t),+> Describe for ($($t,)+) {
            fn xmlrpc_type() -> &'static str { "array" }
        }
    )*};
}

describe_tuples! { (A) (A, B) (A, B, C) (A, B, C, D) (A, B, C, D, E) (A, B, C, D, E, F) }

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

/// The best guess at the XML-RPC type of a `Serialize` type known only by its name, for
/// functions registered as closures, whose return types cannot be probed.
pub(crate) fn guess_from_type_name(name: &str) -> &'static str {
    let name = name
        .trim_start_matches('&')
        .trim_start_matches("'static ")
        .trim_start_matches("mut ");
    let last = |s: &str| s.rsplit("::").next().unwrap_or(s).to_owned();
    let (base, inner) = match name.find('<') {
        Some(i) => (&name[..i], name[i + 1..].strip_suffix('>').unwrap_or("")),
        None => (name, ""),
    };
    match last(base).as_str() {
        "i8" | "i16" | "i32" | "u8" | "u16" => "int",
        "i64" | "u32" | "u64" | "isize" | "usize" | "i128" | "u128" => "i8",
        "bool" => "boolean",
        "f32" | "f64" => "double",
        "str" | "String" | "char" | "Cow" => "string",
        "()" => "nil",
        "DateTime" | "NaiveDateTime" => "dateTime.iso8601",
        "Base64" => "base64",
        "Value" => "any",
        "Vec" | "VecDeque" | "BTreeSet" | "HashSet" => "array",
        "HashMap" | "BTreeMap" | "Struct" => "struct",
        "Option" | "Box" | "Arc" | "Rc" => guess_from_type_name(inner),
        _ if base.starts_with('[') || base.starts_with('(') => "array",
        _ => "struct",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_from_names() {
        for (ty, name) in [
            (std::any::type_name::<i32>(), "int"),
            (std::any::type_name::<&str>(), "string"),
            (std::any::type_name::<Option<Vec<u8>>>(), "array"),
            (std::any::type_name::<HashMap<String, i32>>(), "struct"),
            (std::any::type_name::<crate::DateTime>(), "dateTime.iso8601"),
            (std::any::type_name::<(i32, bool)>(), "array"),
            (std::any::type_name::<()>(), "nil"),
            (std::any::type_name::<Found>(), "struct"),
        ] {
            assert_eq!(guess_from_type_name(ty), name, "{ty}");
        }
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
        assert_eq!(type_of::<crate::DateTime>(), "dateTime.iso8601");
        assert_eq!(type_of::<crate::Value>(), "any");
        assert_eq!(type_of::<()>(), "nil");
    }
}
