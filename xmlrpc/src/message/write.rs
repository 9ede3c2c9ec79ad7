//! Writing `methodCall` and `methodResponse` documents: the [`Serializer`]'s document
//! methods, the parameter list writer, and the `*_to_*` functions.

use std::io::Write;

use serde::ser::{self, Impossible, Serialize};

use crate::error::{Error, Result};
use crate::fault::Fault;
use crate::message::{MethodCall, MethodResponse};
use crate::ser::Serializer;

/// The two root elements.
#[derive(Clone, Copy)]
enum Root {
    Call,
    Response,
}

/// What follows the value of a `methodResponse` document.
pub(crate) const RESPONSE_TAIL: &str = "</param></params></methodResponse>";

impl<P: Serialize> MethodCall<P> {
    /// The document as a string.
    ///
    /// # Errors
    ///
    /// The parameters cannot be written (see [`to_string`](crate::to_string)).
    #[allow(clippy::inherent_to_string_shadow_display, clippy::inherent_to_string)]
    pub fn to_string(&self) -> Result<String> {
        call_to_string(&self.method, &self.params)
    }

    /// The document as bytes.
    ///
    /// # Errors
    ///
    /// As [`MethodCall::to_string`].
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        call_to_vec(&self.method, &self.params)
    }

    /// Writes the document to `serializer`, in its dialect.
    ///
    /// # Errors
    ///
    /// As [`MethodCall::to_string`], plus the writer's errors.
    pub fn serialize_to<W: Write>(&self, serializer: &mut Serializer<W>) -> Result<()> {
        serializer.call(&self.method, &self.params)
    }
}

impl<T: Serialize> MethodResponse<T> {
    /// The document as bytes.
    ///
    /// # Errors
    ///
    /// The value cannot be written (see [`to_string`](crate::to_string)).
    pub fn to_vec(&self) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(256);
        self.serialize_to(&mut Serializer::new(&mut out))?;
        Ok(out)
    }

    /// Writes the document to `serializer`, in its dialect.
    ///
    /// # Errors
    ///
    /// As [`MethodResponse::to_vec`], plus the writer's errors.
    pub fn serialize_to<W: Write>(&self, serializer: &mut Serializer<W>) -> Result<()> {
        match self {
            MethodResponse::Value(v) => serializer.response(v),
            MethodResponse::Fault(f) => serializer.fault(f),
        }
    }
}

impl<W: Write> Serializer<W> {
    /// Writes the XML declaration and the root's start tag, declaring the Apache extensions
    /// namespace when the dialect uses it; one write, as each call's response does this.
    /// The declaration names the charset when it is not UTF-8.
    fn root(&mut self, name: Root) -> Result<()> {
        macro_rules! head {
            ($root:literal) => {
                concat!("<?xml version=\"1.0\"?><", $root, ">")
            };
            ($root:literal, ex) => {
                concat!(
                    "<?xml version=\"1.0\"?><",
                    $root,
                    " xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">"
                )
            };
        }
        let dialect = self.dialect();
        if !dialect.charset.is_utf8() {
            self.raw("<?xml version=\"1.0\" encoding=\"")?;
            self.raw(dialect.charset.name())?;
            self.raw("\"?>")?;
            self.raw(match name {
                Root::Call => "<methodCall",
                Root::Response => "<methodResponse",
            })?;
            if dialect.uses_ex() {
                self.raw(" xmlns:ex=\"")?;
                self.raw(crate::ser::dialect::EX_NAMESPACE)?;
                self.raw("\"")?;
            }
            return self.raw(">");
        }
        self.raw(match (name, dialect.uses_ex()) {
            (Root::Call, false) => head!("methodCall"),
            (Root::Call, true) => head!("methodCall", ex),
            (Root::Response, false) => head!("methodResponse"),
            (Root::Response, true) => head!("methodResponse", ex),
        })
    }

    /// Writes a `methodCall` document.
    ///
    /// `params` is a tuple, a sequence, or a struct whose fields are the parameters in
    /// order; `()` for none. A single value is a one-element tuple: `(value,)`.
    ///
    /// ```
    /// use xmlrpc::{Dialect, Serializer};
    ///
    /// let mut ser = Serializer::with_dialect(Vec::new(), Dialect::apache());
    /// ser.call("log", &(None::<i32>,))?;
    /// let xml = String::from_utf8(ser.into_inner()).unwrap();
    /// assert!(xml.contains("<methodCall xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">"));
    /// assert!(xml.contains("<value><ex:nil/></value>"));
    /// # Ok::<(), xmlrpc::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The parameters are not a list, or hold a value that cannot be written.
    pub fn call<P: Serialize + ?Sized>(&mut self, method: &str, params: &P) -> Result<()> {
        self.root(Root::Call)?;
        self.raw("<methodName>")?;
        self.text(method)?;
        self.raw("</methodName><params>")?;
        params.serialize(ParamsSerializer {
            ser: self,
            index: 0,
        })?;
        self.raw("</params></methodCall>")
    }

    /// Writes a `methodResponse` document holding `value`.
    ///
    /// # Errors
    ///
    /// The value cannot be written.
    pub fn response<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.response_head()?;
        value.serialize(&mut *self)?;
        self.raw(RESPONSE_TAIL)
    }

    /// Writes the head of a `methodResponse` document, up to where its value goes; the
    /// document ends with [`RESPONSE_TAIL`].
    pub(crate) fn response_head(&mut self) -> Result<()> {
        self.root(Root::Response)?;
        self.raw("<params><param>")
    }

    /// Writes a `methodResponse` document holding `fault`.
    ///
    /// # Errors
    ///
    /// Only the writer's errors.
    pub fn fault(&mut self, fault: &Fault) -> Result<()> {
        self.root(Root::Response)?;
        self.raw("<fault>")?;
        fault.wire().serialize(&mut *self)?;
        self.raw("</fault></methodResponse>")
    }
}

/// Writes the parameters of a call: each element or field as one `<param>`.
struct ParamsSerializer<'a, W> {
    ser: &'a mut Serializer<W>,
    /// The index of the next parameter, for error paths.
    index: usize,
}

#[cold]
fn not_a_list() -> Error {
    Error::unsupported(
        "call parameters must be a tuple, a sequence or a struct; write one value as `(value,)`",
    )
}

impl<'a, W: Write> ser::Serializer for ParamsSerializer<'a, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_unit(self) -> Result<()> {
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self> {
        Ok(self)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self> {
        Ok(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_i8(self, _v: i8) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_i16(self, _v: i16) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_i32(self, _v: i32) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_i64(self, _v: i64) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_u8(self, _v: u8) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_u16(self, _v: u16) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_u32(self, _v: u32) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_u64(self, _v: u64) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_f32(self, _v: f32) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_f64(self, _v: f64) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_char(self, _v: char) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_str(self, _v: &str) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_none(self) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(not_a_list())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(not_a_list())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(not_a_list())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(not_a_list())
    }
}

impl<W: Write> ParamsSerializer<'_, W> {
    fn param<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let index = self.index;
        self.index += 1;
        self.ser.raw("<param>")?;
        value
            .serialize(&mut *self.ser)
            .map_err(|e| e.at_param(index))?;
        self.ser.raw("</param>")
    }
}

impl<W: Write> ser::SerializeSeq for ParamsSerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.param(value)
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl<W: Write> ser::SerializeTuple for ParamsSerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.param(value)
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl<W: Write> ser::SerializeTupleStruct for ParamsSerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.param(value)
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}

impl<W: Write> ser::SerializeStruct for ParamsSerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        self.param(value)
    }
    fn end(self) -> Result<()> {
        Ok(())
    }
}

/// Writes a `methodCall` document into a string.
///
/// ```
/// let xml = xmlrpc::call_to_string("examples.getStateName", &(41,))?;
/// assert!(xml.ends_with("<params><param><value><int>41</int></value></param></params></methodCall>"));
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// See [`Serializer::call`].
pub fn call_to_string<P: Serialize + ?Sized>(method: &str, params: &P) -> Result<String> {
    String::from_utf8(call_to_vec(method, params)?).map_err(|e| Error::unsupported(e.to_string()))
}

/// Writes a `methodCall` document into bytes.
///
/// # Errors
///
/// See [`Serializer::call`].
pub fn call_to_vec<P: Serialize + ?Sized>(method: &str, params: &P) -> Result<Vec<u8>> {
    let mut ser = Serializer::new(Vec::with_capacity(256));
    ser.call(method, params)?;
    Ok(ser.into_inner())
}

/// Writes a `methodCall` document into a writer.
///
/// # Errors
///
/// See [`Serializer::call`], plus the writer's errors.
pub fn call_to_writer<W: Write, P: Serialize + ?Sized>(
    writer: W,
    method: &str,
    params: &P,
) -> Result<()> {
    Serializer::new(writer).call(method, params)
}

/// Writes a `methodResponse` document holding `value` into a string.
///
/// ```
/// assert_eq!(
///     xmlrpc::response_to_string(&"42")?,
///     "<?xml version=\"1.0\"?><methodResponse><params><param>\
///      <value><string>42</string></value></param></params></methodResponse>"
/// );
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// See [`Serializer::response`].
pub fn response_to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    String::from_utf8(response_to_vec(value)?).map_err(|e| Error::unsupported(e.to_string()))
}

/// Writes a `methodResponse` document holding `value` into bytes.
///
/// # Errors
///
/// See [`Serializer::response`].
pub fn response_to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    let mut ser = Serializer::new(Vec::with_capacity(256));
    ser.response(value)?;
    Ok(ser.into_inner())
}

/// Writes a `methodResponse` document holding `value` into a writer.
///
/// # Errors
///
/// See [`Serializer::response`], plus the writer's errors.
pub fn response_to_writer<W: Write, T: Serialize + ?Sized>(writer: W, value: &T) -> Result<()> {
    Serializer::new(writer).response(value)
}

/// Writes a `methodResponse` document holding `fault` into a string.
///
/// ```
/// let xml = xmlrpc::fault_to_string(&xmlrpc::Fault::new(4, "Too many parameters."))?;
/// assert!(xml.contains("<fault><value><struct><member><name>faultCode</name><value><int>4</int>"));
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// None in practice; the signature matches the other writers.
pub fn fault_to_string(fault: &Fault) -> Result<String> {
    String::from_utf8(fault_to_vec(fault)?).map_err(|e| Error::unsupported(e.to_string()))
}

/// Writes a `methodResponse` document holding `fault` into bytes.
///
/// # Errors
///
/// None in practice; the signature matches the other writers.
pub fn fault_to_vec(fault: &Fault) -> Result<Vec<u8>> {
    let mut ser = Serializer::new(Vec::with_capacity(256));
    ser.fault(fault)?;
    Ok(ser.into_inner())
}

/// Writes a `methodResponse` document holding `fault` into a writer.
///
/// # Errors
///
/// The writer's errors.
pub fn fault_to_writer<W: Write>(writer: W, fault: &Fault) -> Result<()> {
    Serializer::new(writer).fault(fault)
}
