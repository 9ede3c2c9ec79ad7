//! The two XML-RPC documents: `methodCall` and `methodResponse` (params or fault).

use std::io::{Read, Write};

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed};
use serde::ser::{self, Impossible, Serialize};

use crate::de::{Deserializer, ParamsAccess, ParamsDeserializer};
use crate::error::{Error, ErrorKind, Result};
use crate::fault::Fault;
use crate::ser::Serializer;
use crate::value::Value;
use crate::xml::limits::Limits;
use crate::xml::reader::{TagKind, Text};

/// The two root elements.
#[derive(Clone, Copy)]
enum Root {
    Call,
    Response,
}

/// What follows the value of a `methodResponse` document.
pub(crate) const RESPONSE_TAIL: &str = "</param></params></methodResponse>";

/// A call: the method's name and its parameters.
///
/// `P` is a tuple, a `Vec`, or a struct whose fields are the parameters in order; by default
/// a list of [`Value`]s.
///
/// # Examples
///
/// ```
/// use xmlrpc::MethodCall;
///
/// let xml = MethodCall::new("add", (2, 3)).to_string()?;
/// assert_eq!(
///     xml,
///     "<?xml version=\"1.0\"?><methodCall><methodName>add</methodName><params>\
///      <param><value><int>2</int></value></param>\
///      <param><value><int>3</int></value></param></params></methodCall>"
/// );
///
/// let call: MethodCall<(i32, i32)> = MethodCall::from_str(&xml)?;
/// assert_eq!((call.method.as_str(), call.params), ("add", (2, 3)));
///
/// let dynamic: MethodCall = MethodCall::from_str(&xml)?;
/// assert_eq!(dynamic.params, [xmlrpc::Value::Int(2), xmlrpc::Value::Int(3)]);
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MethodCall<P = Vec<Value>> {
    /// The method's name, such as `examples.getStateName`.
    pub method: String,
    /// The parameters.
    pub params: P,
}

impl<P> MethodCall<P> {
    /// A call of `method` with `params`.
    pub fn new(method: impl Into<String>, params: P) -> Self {
        MethodCall {
            method: method.into(),
            params,
        }
    }
}

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

impl<P: DeserializeOwned> MethodCall<P> {
    /// Reads a call from a string.
    ///
    /// # Errors
    ///
    /// The text is not a `methodCall`, or its parameters do not fit `P`.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Result<Self> {
        call_from_str(s)
    }

    /// Reads a call from bytes in any supported encoding.
    ///
    /// # Errors
    ///
    /// As [`MethodCall::from_str`], plus encoding errors.
    pub fn from_slice(v: &[u8]) -> Result<Self> {
        call_from_slice(v)
    }
}

/// The answer to a call: a value, or a [`Fault`].
///
/// # Examples
///
/// ```
/// use xmlrpc::{Fault, MethodResponse};
///
/// let xml = xmlrpc::fault_to_string(&Fault::new(4, "Too many parameters."))?;
/// let response: MethodResponse<i32> = xmlrpc::response_from_str(&xml)?;
/// assert_eq!(response.into_result(), Err(Fault::new(4, "Too many parameters.")));
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum MethodResponse<T = Value> {
    /// The call succeeded with this value.
    Value(T),
    /// The call failed.
    Fault(Fault),
}

impl<T> MethodResponse<T> {
    /// `Ok` with the value, `Err` with the fault.
    pub fn into_result(self) -> std::result::Result<T, Fault> {
        match self {
            MethodResponse::Value(v) => Ok(v),
            MethodResponse::Fault(f) => Err(f),
        }
    }
}

impl<T> From<std::result::Result<T, Fault>> for MethodResponse<T> {
    fn from(r: std::result::Result<T, Fault>) -> Self {
        match r {
            Ok(v) => MethodResponse::Value(v),
            Err(f) => MethodResponse::Fault(f),
        }
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
                self.raw(crate::ser::EX_NAMESPACE)?;
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

/// The method name of a call being read: a range of the input, or decoded text.
#[derive(Debug)]
enum Name {
    Range(std::ops::Range<usize>),
    Owned(String),
}

/// Reads a `methodCall` in two steps: first the method name, then the parameters straight
/// into the types of the method that was found. This is what a dispatcher needs.
///
/// # Examples
///
/// ```
/// use xmlrpc::CallReader;
///
/// let xml = xmlrpc::call_to_string("add", &(2, 3))?;
/// let mut call = CallReader::from_str(&xml)?;
/// assert_eq!(call.method(), "add");
/// let a: i32 = call.next_param()?.expect("a first parameter");
/// let b: i32 = call.next_param()?.expect("a second parameter");
/// call.finish()?;
/// assert_eq!(a + b, 5);
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Debug)]
pub struct CallReader<'de> {
    /// Boxed: a call moves through several futures on its way to a method, and a pointer
    /// moves cheaper than the deserializer's state.
    de: Box<Deserializer<'de>>,
    name: Name,
    /// Whether `<params>` is open and not yet closed.
    open: bool,
    /// Whether `</methodCall>` was read.
    closed: bool,
    taken: usize,
}

impl<'de> CallReader<'de> {
    /// Reads the start of a call from a string, up to its method name.
    ///
    /// # Errors
    ///
    /// The text is not well-formed, not a `methodCall`, or exceeds the default limits.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &'de str) -> Result<Self> {
        Self::new(Deserializer::from_str(s))
    }

    /// Reads the start of a call from bytes in any supported encoding.
    ///
    /// # Errors
    ///
    /// As [`CallReader::from_str`], plus encoding errors.
    pub fn from_slice(v: &'de [u8]) -> Result<Self> {
        Self::new(Deserializer::from_slice(v)?)
    }

    /// Reads the start of a call from bytes, with `limits`.
    ///
    /// # Errors
    ///
    /// As [`CallReader::from_slice`].
    pub fn from_slice_with_limits(v: &'de [u8], limits: Limits) -> Result<Self> {
        Self::new(Deserializer::from_slice_with_limits(v, limits)?)
    }

    /// Reads the start of a call from a deserializer set up as wanted.
    ///
    /// # Errors
    ///
    /// As [`CallReader::from_str`].
    pub fn new(mut de: Deserializer<'de>) -> Result<Self> {
        de.start()?;
        de.expect_open("methodCall")?;
        if de.expect_start("methodName")? {
            return Err(Error::invalid("the method name is empty"));
        }
        let text = de.text()?;
        let name = match &text {
            Text::Range(r) => Name::Range(r.clone()),
            Text::Scratch => Name::Owned(de.text_str(&text).to_owned()),
        };
        if de.text_str(&text).is_empty() {
            return Err(Error::invalid("the method name is empty"));
        }
        de.expect_end("methodName")?;
        let tag = de.next_tag()?;
        let (open, closed) = match (tag.kind, tag.qname(de.src())) {
            (TagKind::Start, "params") => (true, false),
            (TagKind::Empty, "params") => (false, false),
            (TagKind::End, "methodCall") => (false, true),
            _ => {
                let found = crate::error::truncate(tag.qname(de.src()), 32);
                return Err(de.error_at(
                    tag.at,
                    ErrorKind::Invalid(format!("expected `<params>`, found `{found}`")),
                ));
            }
        };
        Ok(CallReader {
            de: Box::new(de),
            name,
            open,
            closed,
            taken: 0,
        })
    }

    /// The name of the method called.
    pub fn method(&self) -> &str {
        match &self.name {
            Name::Range(r) => &self.de.src()[r.clone()],
            Name::Owned(s) => s,
        }
    }

    /// The name of the method called, borrowed from the input when possible.
    pub fn method_cow(&self) -> std::borrow::Cow<'de, str> {
        match (&self.name, self.de.borrowed_src()) {
            (Name::Range(r), Some(src)) => std::borrow::Cow::Borrowed(&src[r.clone()]),
            _ => std::borrow::Cow::Owned(self.method().to_owned()),
        }
    }

    /// Reads the next parameter, or `None` when there are no more.
    ///
    /// # Errors
    ///
    /// The parameter does not fit `T` (the error's path names it, as `params[1]`), or the
    /// document is malformed.
    pub fn next_param<T: Deserialize<'de>>(&mut self) -> Result<Option<T>> {
        self.next_param_seed(std::marker::PhantomData)
    }

    /// [`CallReader::next_param`] with a `DeserializeSeed`.
    ///
    /// # Errors
    ///
    /// As [`CallReader::next_param`].
    pub fn next_param_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>> {
        let mut access = ParamsAccess::resume(&mut self.de, self.open, self.taken);
        if !access.has_next()? {
            self.open = false;
            return Ok(None);
        }
        let value = access.read(seed)?;
        self.taken = access.count();
        Ok(Some(value))
    }

    /// How many parameters were read so far.
    pub fn params_read(&self) -> usize {
        self.taken
    }

    /// Reads all parameters at once, as a tuple, a `Vec`, or a struct whose fields are the
    /// parameters in order, then checks the end of the document.
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Add { a: i32, b: i32 }
    ///
    /// let xml = xmlrpc::call_to_string("add", &(2, 3))?;
    /// let call = xmlrpc::CallReader::from_str(&xml)?;
    /// let Add { a, b } = call.params()?;
    /// assert_eq!(a + b, 5);
    /// # Ok::<(), xmlrpc::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The parameters do not fit `P`, there are more than `P` takes, or the document is
    /// malformed after them.
    pub fn params<P: Deserialize<'de>>(mut self) -> Result<P> {
        let params = self.rest_params()?;
        self.close()?;
        Ok(params)
    }

    /// Reads the parameters not read yet as `P` (a tuple, a `Vec`, a struct of parameters),
    /// leaving the end of the document to [`CallReader::finish`].
    ///
    /// # Errors
    ///
    /// The parameters do not fit `P`, or there are more than `P` takes.
    pub fn rest_params<P: Deserialize<'de>>(&mut self) -> Result<P> {
        let params = P::deserialize(ParamsDeserializer {
            de: &mut self.de,
            open: self.open,
            taken: self.taken,
        })?;
        self.open = false;
        Ok(params)
    }

    /// Checks that no parameter is left and that the document ends properly.
    ///
    /// # Errors
    ///
    /// More parameters follow, or the document is malformed after them.
    pub fn finish(mut self) -> Result<()> {
        let mut access = ParamsAccess::resume(&mut self.de, self.open, self.taken);
        if access.has_next()? {
            return Err(Error::new(ErrorKind::ParamCount(format!(
                "too many parameters: expected {}",
                self.taken
            ))));
        }
        self.open = false;
        self.close()
    }

    /// Reads the end of the document, after the parameters.
    pub(crate) fn close(&mut self) -> Result<()> {
        if !self.closed {
            self.de.expect_end("methodCall")?;
            self.closed = true;
        }
        self.de.end()
    }
}

/// Reads a `methodCall` document from a string.
///
/// ```
/// let xml = "<?xml version='1.0'?>\n<methodCall>\n<methodName>pow</methodName>\n<params>\n\
///            <param>\n<value><int>2</int></value>\n</param>\n\
///            <param>\n<value><int>9</int></value>\n</param>\n</params>\n</methodCall>\n";
/// let call: xmlrpc::MethodCall<(i64, u32)> = xmlrpc::call_from_str(xml)?;
/// assert_eq!(call.params.0.pow(call.params.1), 512);
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// See [`CallReader::params`].
pub fn call_from_str<'de, P: Deserialize<'de>>(s: &'de str) -> Result<MethodCall<P>> {
    read_call(CallReader::from_str(s)?)
}

/// Reads a `methodCall` document from bytes in any supported encoding.
///
/// # Errors
///
/// See [`CallReader::params`], plus encoding errors.
pub fn call_from_slice<'de, P: Deserialize<'de>>(v: &'de [u8]) -> Result<MethodCall<P>> {
    read_call(CallReader::from_slice(v)?)
}

/// Reads a `methodCall` document from a reader, up to the default input limit.
///
/// # Errors
///
/// See [`CallReader::params`], plus reading and encoding errors.
pub fn call_from_reader<R: Read, P: DeserializeOwned>(reader: R) -> Result<MethodCall<P>> {
    read_call(CallReader::new(Deserializer::from_reader(
        reader,
        Limits::default(),
    )?)?)
}

fn read_call<'de, P: Deserialize<'de>>(reader: CallReader<'de>) -> Result<MethodCall<P>> {
    let method = reader.method().to_owned();
    let params = reader.params()?;
    Ok(MethodCall { method, params })
}

/// Reads a `methodResponse` document from a string: the value, or the fault.
///
/// ```
/// let xml = xmlrpc::response_to_string(&vec!["a", "b"])?;
/// let response: xmlrpc::MethodResponse<Vec<&str>> = xmlrpc::response_from_str(&xml)?;
/// assert_eq!(response.into_result().unwrap(), ["a", "b"]);
/// # Ok::<(), xmlrpc::Error>(())
/// ```
///
/// # Errors
///
/// The text is not a `methodResponse`, or its value does not fit `T`.
pub fn response_from_str<'de, T: Deserialize<'de>>(s: &'de str) -> Result<MethodResponse<T>> {
    read_response(Deserializer::from_str(s))
}

/// Reads a `methodResponse` document from bytes in any supported encoding.
///
/// # Errors
///
/// As [`response_from_str`], plus encoding errors.
pub fn response_from_slice<'de, T: Deserialize<'de>>(v: &'de [u8]) -> Result<MethodResponse<T>> {
    read_response(Deserializer::from_slice(v)?)
}

/// Reads a `methodResponse` document from a reader, up to the default input limit.
///
/// # Errors
///
/// As [`response_from_slice`], plus reading errors.
pub fn response_from_reader<R: Read, T: DeserializeOwned>(reader: R) -> Result<MethodResponse<T>> {
    read_response(Deserializer::from_reader(reader, Limits::default())?)
}

/// Reads a `methodResponse` document with a deserializer set up as wanted.
///
/// # Errors
///
/// As [`response_from_str`].
pub fn read_response<'de, T: Deserialize<'de>>(
    mut de: Deserializer<'de>,
) -> Result<MethodResponse<T>> {
    de.start()?;
    de.expect_open("methodResponse")?;
    let tag = de.next_tag()?;
    let response = match (tag.kind, tag.qname(de.src())) {
        (TagKind::Start, "params") => {
            de.expect_open("param")?;
            let value = T::deserialize(&mut de)?;
            de.expect_end("param")?;
            de.expect_end("params")?;
            MethodResponse::Value(value)
        }
        (TagKind::Start, "fault") => {
            let fault = Fault::deserialize(&mut de).map_err(|e| {
                if e.is_data() {
                    Error::invalid(format!("malformed fault: {e}"))
                } else {
                    e
                }
            })?;
            de.expect_end("fault")?;
            MethodResponse::Fault(fault)
        }
        _ => {
            let found = crate::error::truncate(tag.qname(de.src()), 32);
            return Err(de.error_at(
                tag.at,
                ErrorKind::Invalid(format!(
                    "expected `<params>` or `<fault>` in a methodResponse, found `{found}`"
                )),
            ));
        }
    };
    de.expect_end("methodResponse")?;
    de.end()?;
    Ok(response)
}
