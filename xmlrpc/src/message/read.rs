//! Reading `methodCall` and `methodResponse` documents: [`CallReader`] and the
//! `*_from_*` functions.

use std::io::Read;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed};

use crate::de::Deserializer;
use crate::de::access::ParamsAccess;
use crate::de::params::ParamsDeserializer;
use crate::error::{Error, ErrorKind, Result};
use crate::fault::Fault;
use crate::message::{MethodCall, MethodResponse};
use crate::xml::limits::Limits;
use crate::xml::reader::{TagKind, Text};

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
                let found = crate::excerpt::truncate(tag.qname(de.src()), 32);
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
            let found = crate::excerpt::truncate(tag.qname(de.src()), 32);
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
