//! [`Value`], the dynamic tree of XML-RPC values, and [`Struct`], its member list; and
//! `Value` as a serde data format: [`to_value`] and [`from_value`] convert any
//! `Serialize` and `Deserialize` type with the same mapping and the same error paths as
//! the XML codec, without writing XML.

mod de;
mod from;
mod index;
mod ser;

use std::fmt;

pub use de::{from_value, from_value_ref};
pub use index::Index;
pub use ser::to_value;

use crate::datetime::DateTime;

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

/// What indexing answers when there is nothing at the index.
static NIL: Value = Value::Nil;

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

#[cfg(test)]
mod tests;
