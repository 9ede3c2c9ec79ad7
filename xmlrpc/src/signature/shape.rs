//! The [`Shape`] of a `Deserialize` type: its XML-RPC type, whether nil may stand for it,
//! and its members or items, walked a few levels deep.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Visitor};

use crate::datetime;

/// What a parameter or result looks like, as far as its Rust type tells: its XML-RPC type,
/// whether nil may stand for it, and for a struct its members, for an array its items.
/// Documentation pages show it; [`shape_of`] finds it.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Book { title: String, pages: u32, isbn: Option<String> }
///
/// let shape = xmlrpc::shape_of::<Vec<Book>>();
/// assert_eq!(shape.ty, "array");
/// let book = shape.item.as_deref().unwrap();
/// assert_eq!(book.ty, "struct");
/// let members: Vec<(&str, &str, bool)> = book
///     .members
///     .iter()
///     .map(|m| (&*m.name, &*m.shape.ty, m.shape.optional))
///     .collect();
/// assert_eq!(members, [("title", "string", false), ("pages", "i8", false), ("isbn", "string", true)]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Shape {
    /// The XML-RPC type name, as in signatures: `int`, `string`, `struct`, `array`, `any`, ...
    pub ty: Cow<'static, str>,
    /// Whether nil may stand for the value (an `Option`).
    pub optional: bool,
    /// A struct's members, in order, when its type names them.
    pub members: Vec<Member>,
    /// What an array holds, when its type tells.
    pub item: Option<Box<Shape>>,
}

/// A member of a struct [`Shape`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Member {
    /// The member's name.
    pub name: Cow<'static, str>,
    /// Its shape.
    pub shape: Shape,
}

impl Shape {
    /// A shape of type `ty`, with nothing more known.
    ///
    /// ```
    /// let shape = xmlrpc::Shape::new("double");
    /// assert_eq!(shape.ty, "double");
    /// assert!(shape.members.is_empty() && shape.item.is_none() && !shape.optional);
    /// ```
    pub fn new(ty: impl Into<Cow<'static, str>>) -> Self {
        Shape {
            ty: ty.into(),
            optional: false,
            members: Vec::new(),
            item: None,
        }
    }
}

/// How deep [`shape_of`] walks into nested structs and arrays: enough for any document
/// page, and a bound for recursive types.
const SHAPE_DEPTH: usize = 6;

/// The [`Shape`] a `Deserialize` type asks for: the same probe as [`type_of`](super::probe::type_of), walked into
/// a struct's fields (their names from `deserialize_struct`, their types by probing each
/// field's own `Deserialize`) and an array's items.
///
/// The walk hands each type a made-up value of the kind it asks for (zero, the empty
/// string, an empty array, a struct of made-up members) so that it goes on to the next
/// field; a type that refuses that value ends the walk there, and the members after it
/// keep type `any`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Point { x: i32, y: i32 }
///
/// let shape = xmlrpc::shape_of::<Point>();
/// assert_eq!(shape.ty, xmlrpc::type_of::<Point>());
/// assert_eq!(shape.members.iter().map(|m| &*m.name).collect::<Vec<_>>(), ["x", "y"]);
/// assert_eq!(shape.members[1].shape.ty, "int");
/// ```
pub fn shape_of<'de, T: Deserialize<'de>>() -> Shape {
    let mut shape = Shape::new("any");
    let _ = T::deserialize(Walker {
        out: &mut shape,
        depth: 0,
    });
    shape
}

/// A deserializer that records what is asked of it into `out`, then hands the visitor a
/// made-up value of that kind.
struct Walker<'s> {
    out: &'s mut Shape,
    depth: usize,
}

/// Why a walk stopped: a type refused a made-up value, or the depth bound.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("shape walk")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Stop
    }
}

impl Walker<'_> {
    fn record(&mut self, ty: &'static str) {
        self.out.ty = Cow::Borrowed(ty);
    }

    fn deeper(&self) -> Option<usize> {
        (self.depth < SHAPE_DEPTH).then_some(self.depth + 1)
    }
}

macro_rules! walk {
    ($($method:ident => $name:literal, |$v:ident| $make:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(mut self, $v: V) -> Result<V::Value, Stop> {
            self.record($name);
            $make
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Walker<'_> {
    type Error = Stop;

    walk! {
        deserialize_any => "any", |v| v.visit_unit();
        deserialize_bool => "boolean", |v| v.visit_bool(false);
        deserialize_i8 => "int", |v| v.visit_i8(0);
        deserialize_i16 => "int", |v| v.visit_i16(0);
        deserialize_i32 => "int", |v| v.visit_i32(0);
        deserialize_u8 => "int", |v| v.visit_u8(0);
        deserialize_u16 => "int", |v| v.visit_u16(0);
        deserialize_i64 => "i8", |v| v.visit_i64(0);
        deserialize_i128 => "i8", |v| v.visit_i128(0);
        deserialize_u32 => "i8", |v| v.visit_u32(0);
        deserialize_u64 => "i8", |v| v.visit_u64(0);
        deserialize_u128 => "i8", |v| v.visit_u128(0);
        deserialize_f32 => "double", |v| v.visit_f32(0.0);
        deserialize_f64 => "double", |v| v.visit_f64(0.0);
        deserialize_char => "string", |v| v.visit_char(' ');
        deserialize_str => "string", |v| v.visit_str("");
        deserialize_string => "string", |v| v.visit_str("");
        deserialize_identifier => "string", |v| v.visit_str("");
        deserialize_bytes => "base64", |v| v.visit_bytes(&[]);
        deserialize_byte_buf => "base64", |v| v.visit_bytes(&[]);
        deserialize_unit => "nil", |v| v.visit_unit();
        deserialize_ignored_any => "any", |v| v.visit_unit();
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.out.optional = true;
        match self.deeper() {
            Some(depth) => visitor.visit_some(Walker {
                out: self.out,
                depth,
            }),
            None => visitor.visit_none(),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.record("nil");
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        if name == datetime::MARKER {
            self.record("dateTime.iso8601");
            visitor.visit_str("19700101T00:00:00")
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Stop> {
        self.record("array");
        let Some(depth) = self.deeper() else {
            return visitor.visit_seq(Items {
                out: None,
                left: 0,
                depth: 0,
            });
        };
        let item = self.out.item.insert(Box::new(Shape::new("any")));
        visitor.visit_seq(Items {
            out: Some(item),
            left: 1,
            depth,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        mut self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.record("array");
        let depth = self.deeper().ok_or(Stop)?;
        visitor.visit_seq(Items {
            out: None,
            left: len,
            depth,
        })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Stop> {
        self.record("struct");
        visitor.visit_map(Fields {
            fields: &[],
            next: 0,
            members: None,
            depth: self.depth,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.record("struct");
        self.out.members = fields
            .iter()
            .map(|f| Member {
                name: Cow::Borrowed(f),
                shape: Shape::new("any"),
            })
            .collect();
        let depth = self.deeper().ok_or(Stop)?;
        visitor.visit_map(Fields {
            fields,
            next: 0,
            members: Some(&mut self.out.members),
            depth,
        })
    }

    /// Enums travel as strings (unit variants) or one-member structs; the walk reports the
    /// common case of a plain enum, as [`type_of`](super::probe::type_of) does, and offers the first variant.
    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.record("string");
        let first = variants.first().ok_or(Stop)?;
        visitor.visit_enum(de::value::StrDeserializer::<Stop>::new(first))
    }
}

/// An array's items for the walk: `left` made-up items, the first recorded into `out`.
struct Items<'s> {
    out: Option<&'s mut Shape>,
    left: usize,
    depth: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = Stop;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let mut scratch = Shape::new("any");
        let out: &mut Shape = match self.out.take() {
            Some(out) => out,
            None => &mut scratch,
        };
        seed.deserialize(Walker {
            out,
            depth: self.depth,
        })
        .map(Some)
    }
}

/// A struct's members for the walk: each field by name, its value walked into its member.
struct Fields<'s> {
    fields: &'static [&'static str],
    next: usize,
    members: Option<&'s mut Vec<Member>>,
    depth: usize,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = Stop;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        match self.fields.get(self.next) {
            Some(field) => seed
                .deserialize(de::value::StrDeserializer::<Stop>::new(field))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        let index = self.next;
        self.next += 1;
        let mut scratch = Shape::new("any");
        let out = match self.members.as_deref_mut().and_then(|m| m.get_mut(index)) {
            Some(member) => &mut member.shape,
            None => &mut scratch,
        };
        seed.deserialize(Walker {
            out,
            depth: self.depth,
        })
    }
}
