//! Struct member names as map keys: strings, or numbers and booleans written as strings.

use serde::de::{self, Visitor};

use crate::error::{Error, ErrorKind, Result};

/// Deserializes a member name, borrowed from the input when possible.
pub(crate) enum KeyDeserializer<'a, 'de> {
    Borrowed(&'de str),
    Transient(&'a str),
}

impl KeyDeserializer<'_, '_> {
    fn as_str(&self) -> &str {
        match self {
            KeyDeserializer::Borrowed(s) => s,
            KeyDeserializer::Transient(s) => s,
        }
    }

    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T> {
        self.as_str().parse().map_err(|_| {
            Error::new(ErrorKind::InvalidValue(format!(
                "member name {:?} is not a valid {what}",
                crate::excerpt::truncate(self.as_str(), 40)
            )))
        })
    }
}

macro_rules! parse_key {
    ($($method:ident => $visit:ident, $ty:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            visitor.$visit(self.parse::<$ty>(stringify!($ty))?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'_, 'de> {
    type Error = Error;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            KeyDeserializer::Borrowed(s) => visitor.visit_borrowed_str(s),
            KeyDeserializer::Transient(s) => visitor.visit_str(s),
        }
    }

    parse_key! {
        deserialize_bool => visit_bool, bool;
        deserialize_i8 => visit_i8, i8;
        deserialize_i16 => visit_i16, i16;
        deserialize_i32 => visit_i32, i32;
        deserialize_i64 => visit_i64, i64;
        deserialize_i128 => visit_i128, i128;
        deserialize_u8 => visit_u8, u8;
        deserialize_u16 => visit_u16, u16;
        deserialize_u32 => visit_u32, u32;
        deserialize_u64 => visit_u64, u64;
        deserialize_u128 => visit_u128, u128;
        deserialize_f32 => visit_f32, f32;
        deserialize_f64 => visit_f64, f64;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self {
            KeyDeserializer::Borrowed(s) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::<Error>::new(s))
            }
            KeyDeserializer::Transient(s) => {
                visitor.visit_enum(de::value::StrDeserializer::<Error>::new(s))
            }
        }
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}
