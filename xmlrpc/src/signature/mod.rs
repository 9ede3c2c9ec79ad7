//! XML-RPC type names of Rust types, for `system.methodSignature`.
//!
//! Three sources, most precise first: an explicit [`Describe`] implementation (all standard
//! types and this crate's have one); for any other type that implements `Deserialize`, a
//! probe that asks the type's own `Deserialize` which XML-RPC shape it wants (so a user's
//! `#[derive(Deserialize)]` struct is `struct` with no extra derive); and for the rest,
//! `struct`, since what serializes without deserializing is almost always a user's struct.

pub(crate) mod probe;
pub(crate) mod shape;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

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
describe!("dateTime.iso8601": crate::datetime::DateTime, chrono::NaiveDateTime);
describe!("base64": crate::base64::Base64);
describe!("struct": crate::value::Struct, crate::fault::Fault);
describe!("any": crate::value::Value);

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
