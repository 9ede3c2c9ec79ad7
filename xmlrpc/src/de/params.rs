//! The `<params>` of a call as one serde sequence.

use serde::de::{self, Visitor};

use super::Deserializer;
use super::access::ParamsAccess;
use crate::error::{Error, Result};

/// Deserializes the `<params>` of a call as a sequence, for tuples and structs of
/// parameters.
pub(crate) struct ParamsDeserializer<'a, 'de> {
    pub(crate) de: &'a mut Deserializer<'de>,
    /// Whether a `<params>` element is open (else the call has none).
    pub(crate) open: bool,
    /// How many parameters were read before.
    pub(crate) taken: usize,
}

impl<'de> de::Deserializer<'de> for ParamsDeserializer<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut access = ParamsAccess::resume(self.de, self.open, self.taken);
        let value = visitor.visit_seq(&mut access)?;
        access.finish()?;
        Ok(value)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut access = ParamsAccess::resume(self.de, self.open, self.taken);
        access.finish()?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
