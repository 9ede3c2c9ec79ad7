//! Writing Rust values as XML-RPC: a serde [`Serializer`] straight into the output.

pub(crate) mod compound;
pub(crate) mod dialect;
mod key;

use std::io::Write;

use serde::ser::{self, Serialize};

use self::compound::Compound;
use self::dialect::{Dialect, I8Style, NilStyle};
use crate::datetime;
use crate::error::{Error, ErrorKind, Result};
use crate::xml::writer::escape;

/// The newtype name that asks the writer for `<i8>` whatever the value's size, so that a
/// [`Value::I8`](crate::Value::I8) round-trips; other formats see an integer.
pub(crate) const I8_MARKER: &str = "$xmlrpc::private::I8";

/// Writes one XML-RPC `<value>` into a string.
///
/// # Examples
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Point { x: i32, label: &'static str }
///
/// let xml = xmlrpc::to_string(&Point { x: 3, label: "a < b" })?;
/// assert_eq!(
///     xml,
///     "<value><struct><member><name>x</name><value><int>3</int></value></member>\
///      <member><name>label</name><value><string>a &lt; b</string></value></member>\
///      </struct></value>"
/// );
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// The value holds something XML-RPC cannot carry: a non-finite double, an integer beyond
/// 64 bits, a map with keys that are not strings, numbers or booleans.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let out = to_vec(value)?;
    String::from_utf8(out).map_err(|e| Error::unsupported(e.to_string()))
}

/// Writes one XML-RPC `<value>` into a byte vector.
///
/// ```
/// assert_eq!(xmlrpc::to_vec(&true)?, b"<value><boolean>1</boolean></value>");
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// As [`to_string`].
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    value.serialize(&mut Serializer::new(&mut out))?;
    Ok(out)
}

/// Writes one XML-RPC `<value>` into a writer. Wrap unbuffered writers in a `BufWriter`:
/// the serializer writes many small pieces.
///
/// ```
/// let mut out = Vec::new();
/// xmlrpc::to_writer(&mut out, &2.5)?;
/// assert_eq!(out, b"<value><double>2.5</double></value>");
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// As [`to_string`], plus the writer's errors.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(writer: W, value: &T) -> Result<()> {
    value.serialize(&mut Serializer::new(writer))
}

/// A serializer that writes XML-RPC values into a [`Write`].
///
/// See [`to_string`] and the document functions such as
/// [`response_to_vec`](crate::response_to_vec) for the usual entry points, and [`Dialect`]
/// for writing to Apache-style or strict peers.
#[derive(Debug)]
pub struct Serializer<W> {
    out: W,
    dialect: Dialect,
}

impl<W: Write> Serializer<W> {
    /// A serializer in the default [`Dialect`].
    pub fn new(out: W) -> Self {
        Serializer {
            out,
            dialect: Dialect::default(),
        }
    }

    /// A serializer in `dialect`.
    pub fn with_dialect(out: W, dialect: Dialect) -> Self {
        Serializer { out, dialect }
    }

    /// Gives the writer back.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// The dialect it writes.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    #[inline]
    pub(crate) fn raw(&mut self, s: &str) -> Result<()> {
        self.out.write_all(s.as_bytes()).map_err(Error::from)
    }

    #[inline]
    fn int(&mut self, v: i32) -> Result<()> {
        let mut buf = itoa::Buffer::new();
        self.raw("<value><int>")?;
        self.raw(buf.format(v))?;
        self.raw("</int></value>")
    }

    fn wide(&mut self, v: i128) -> Result<()> {
        if let Ok(small) = i32::try_from(v) {
            return self.int(small);
        }
        let Ok(v) = i64::try_from(v) else {
            return Err(Error::unsupported(format!(
                "integer {v} is beyond the 64 bits that XML-RPC's i8 can carry"
            )));
        };
        self.i8(v)
    }

    fn i8(&mut self, v: i64) -> Result<()> {
        let (open, close) = match self.dialect.i8 {
            I8Style::I8 => ("<value><i8>", "</i8></value>"),
            I8Style::ExI8 => ("<value><ex:i8>", "</ex:i8></value>"),
            I8Style::Refuse => {
                return Err(Error::unsupported(format!(
                    "integer {v} does not fit in 32 bits, and the dialect has no i8"
                )));
            }
        };
        self.raw(open)?;
        self.raw(itoa::Buffer::new().format(v))?;
        self.raw(close)
    }

    fn nil(&mut self) -> Result<()> {
        match self.dialect.nil {
            NilStyle::Nil => self.raw("<value><nil/></value>"),
            NilStyle::ExNil => self.raw("<value><ex:nil/></value>"),
            NilStyle::Refuse => Err(Error::new(ErrorKind::NilRefused)),
        }
    }

    #[inline]
    pub(crate) fn string(&mut self, v: &str) -> Result<()> {
        self.raw("<value><string>")?;
        escape(&mut self.out, v, &self.dialect)?;
        self.raw("</string></value>")
    }

    /// Writes `s` as character data in the dialect.
    #[inline]
    pub(crate) fn text(&mut self, s: &str) -> Result<()> {
        escape(&mut self.out, s, &self.dialect)
    }

    /// `<value><struct><member><name>variant</name>`: the start of an enum variant
    /// written as a one-member struct.
    fn variant_start(&mut self, variant: &str) -> Result<()> {
        self.raw("<value><struct><member><name>")?;
        escape(&mut self.out, variant, &self.dialect)?;
        self.raw("</name>")
    }

    fn variant_end(&mut self) -> Result<()> {
        self.raw("</member></struct></value>")
    }
}

impl<'a, W: Write> ser::Serializer for &'a mut Serializer<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.raw(if v {
            "<value><boolean>1</boolean></value>"
        } else {
            "<value><boolean>0</boolean></value>"
        })
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v.into())
    }

    #[inline]
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v)
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.wide(v.into())
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        self.wide(v)
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.wide(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.wide(v.into())
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        match i128::try_from(v) {
            Ok(v) => self.wide(v),
            Err(_) => Err(Error::unsupported(format!(
                "integer {v} is beyond the 64 bits that XML-RPC's i8 can carry"
            ))),
        }
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(Error::unsupported(format!(
                "XML-RPC doubles are finite; cannot send {v}"
            )));
        }
        self.raw("<value><double>")?;
        write_double(&mut self.out, v)?;
        self.raw("</double></value>")
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        let mut buf = Vec::with_capacity(v.len() * 4 / 3 + 4);
        crate::base64::encode_into(v, &mut buf);
        self.raw("<value><base64>")?;
        self.out.write_all(&buf)?;
        self.raw("</base64></value>")
    }

    fn serialize_none(self) -> Result<()> {
        self.nil()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.nil()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.nil()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if name == datetime::MARKER {
            self.raw("<value><dateTime.iso8601>")?;
            value.serialize(key::KeySerializer {
                out: &mut self.out,
                dialect: &self.dialect,
            })?;
            return self.raw("</dateTime.iso8601></value>");
        }
        if name == I8_MARKER {
            let v = value.serialize(key::I64Capture)?;
            return self.i8(v);
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.variant_start(variant)?;
        value
            .serialize(&mut *self)
            .map_err(|e| e.at_member(variant))?;
        self.variant_end()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, W>> {
        self.raw("<value><array><data>")?;
        Ok(Compound::new(self, "</data></array></value>", None))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>> {
        self.variant_start(variant)?;
        self.raw("<value><array><data>")?;
        Ok(Compound::new(
            self,
            "</data></array></value></member></struct></value>",
            Some(variant),
        ))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, W>> {
        self.raw("<value><struct>")?;
        Ok(Compound::new(self, "</struct></value>", None))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, W>> {
        self.raw("<value><struct>")?;
        Ok(Compound::new(self, "</struct></value>", None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>> {
        self.variant_start(variant)?;
        self.raw("<value><struct>")?;
        Ok(Compound::new(
            self,
            "</struct></value></member></struct></value>",
            Some(variant),
        ))
    }
}

/// Writes a finite double in plain decimal notation: the specification has no exponents.
fn write_double<W: Write>(out: &mut W, v: f64) -> Result<()> {
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(v);
    if !s.contains('e') {
        out.write_all(s.as_bytes())?;
        return Ok(());
    }
    // Rare: very large or small magnitudes. Rust's `Display` writes the shortest digits
    // that round-trip, without exponent.
    write!(out, "{v}")?;
    if v.fract() == 0.0 && v.abs() >= 1.0 {
        out.write_all(b".0")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn double(v: f64) -> String {
        let mut out = Vec::new();
        write_double(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn doubles_have_no_exponent() {
        assert_eq!(double(0.125), "0.125");
        assert_eq!(double(-2.0), "-2.0");
        assert_eq!(double(1e21), "1000000000000000000000.0");
        assert_eq!(double(1.5e-7), "0.00000015");
        for v in [1e300, 2.2250738585072014e-308, 123456.789e10] {
            assert_eq!(double(v).parse::<f64>().unwrap(), v);
        }
    }

    #[test]
    fn refused_nil_has_its_own_kind() {
        let mut ser = Serializer::with_dialect(Vec::new(), Dialect::strict());
        let err = None::<i32>.serialize(&mut ser).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::NilRefused), "{err:?}");
        assert_eq!(err.fault_code(), crate::fault::Fault::INTERNAL_ERROR);
        let mut ser = Serializer::with_dialect(Vec::new(), Dialect::new());
        None::<i32>.serialize(&mut ser).unwrap();
    }
}
