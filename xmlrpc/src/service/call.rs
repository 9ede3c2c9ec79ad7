//! One call on its way to a method: its name and its parameters, read as the method asks.

use serde::{Deserialize, Serialize};

use super::context::Context;
use super::reply::{Encoding, Reply};
use crate::error::Error;
use crate::fault::Fault;
use crate::message::read::CallReader;
use crate::value::Value;

/// One call being dispatched: its method name, its parameters (read on demand, straight
/// into the method's types), the request's [`Context`], and how to write the reply.
///
/// # Examples
///
/// A hand-written service, as Python users write `_dispatch`:
///
/// ```
/// use xmlrpc::{Call, Fault, MethodFuture, MethodInfo, Registry, Service, Value};
///
/// struct Echo;
///
/// impl Service for Echo {
///     fn methods(&self) -> Vec<MethodInfo> {
///         vec![MethodInfo::new("echo").signature(["array", "array"]).help("Returns its parameters.")]
///     }
///
///     fn call<'a>(&'a self, method: &'a str, mut call: Call<'a>) -> MethodFuture<'a> {
///         MethodFuture::new(async move {
///             match method {
///                 "echo" => {
///                     let params: Vec<Value> = call.all_params()?;
///                     call.reply(&params)
///                 }
///                 _ => Err(Fault::method_not_found(method)),
///             }
///         })
///     }
/// }
///
/// let registry = Registry::new().service(Echo);
/// let body = xmlrpc::call_to_vec("echo", &(1, "two"))?;
/// let response = registry.handle_blocking(&body, &xmlrpc::Context::new());
/// let answer: xmlrpc::MethodResponse<(i32, String)> = xmlrpc::response_from_slice(&response.body)?;
/// assert_eq!(answer.into_result(), Ok((1, "two".to_owned())));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Call<'a> {
    params: Params<'a>,
    context: &'a Context,
    encoding: Encoding,
}

/// Where a call's parameters come from.
#[derive(Debug)]
enum Params<'a> {
    /// The XML of a `methodCall`, read on demand.
    Xml(CallReader<'a>),
    /// Values already read, as `system.multicall` has them for each of its calls.
    Values {
        method: &'a str,
        params: &'a [Value],
        /// How many were taken.
        taken: usize,
    },
}

impl<'a> Call<'a> {
    /// A call from a reader standing at its parameters.
    pub fn new(reader: CallReader<'a>, context: &'a Context, encoding: Encoding) -> Self {
        Call {
            params: Params::Xml(reader),
            context,
            encoding,
        }
    }

    /// A call of `method` whose parameters are `Value`s already read, as
    /// `system.multicall` runs each of its calls: nothing is written or parsed again, and
    /// methods read their parameters from the values with the same rules and the same
    /// faults as from XML. Replies are encoded without a document head
    /// ([`Reply::into_response`] adds it when asked).
    ///
    /// ```
    /// use xmlrpc::{Call, Context, Encoding, Value};
    ///
    /// let params = [Value::from(2), Value::from("three")];
    /// let context = Context::new();
    /// let mut call = Call::from_values("add", &params, &context, Encoding::default());
    /// assert_eq!(call.param::<i32>(0, "a", "int"), Ok(2));
    /// let fault = call.param::<i32>(1, "b", "int").unwrap_err();
    /// assert_eq!(fault.string(), "parameter 2 `b` of add: expected int, found string at params[1]");
    /// ```
    pub fn from_values(
        method: &'a str,
        params: &'a [Value],
        context: &'a Context,
        encoding: Encoding,
    ) -> Self {
        Call {
            params: Params::Values {
                method,
                params,
                taken: 0,
            },
            context,
            encoding,
        }
    }

    /// The full method name, as the caller sent it.
    pub fn method(&self) -> &str {
        match &self.params {
            Params::Xml(reader) => reader.method(),
            Params::Values { method, .. } => method,
        }
    }

    /// The request's context.
    pub fn context(&self) -> &'a Context {
        self.context
    }

    /// How the reply will be written.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The next parameter as `T`, `None` when there are no more.
    fn next<T: Deserialize<'a>>(&mut self) -> Result<Option<T>, Error> {
        match &mut self.params {
            Params::Xml(reader) => reader.next_param::<T>(),
            Params::Values { params, taken, .. } => {
                let params: &'a [Value] = params;
                let Some(value) = params.get(*taken) else {
                    return Ok(None);
                };
                let index = *taken;
                *taken += 1;
                T::deserialize(value)
                    .map(Some)
                    .map_err(|e| e.at_param(index))
            }
        }
    }

    /// How many parameters were taken.
    fn taken(&self) -> usize {
        match &self.params {
            Params::Xml(reader) => reader.params_read(),
            Params::Values { taken, .. } => *taken,
        }
    }

    /// Checks the end of the call's document, after its parameters.
    fn close(&mut self) -> Result<(), Fault> {
        match &mut self.params {
            Params::Xml(reader) => reader.close().map_err(|e| e.to_fault()),
            Params::Values { .. } => Ok(()),
        }
    }

    /// Reads parameter number `index` (from 0), named `name` in messages.
    ///
    /// # Errors
    ///
    /// [`Fault::INVALID_PARAMS`] when the parameter is missing or does not fit `T`, saying
    /// which parameter, and what was expected and found.
    pub fn param<T: Deserialize<'a>>(
        &mut self,
        index: usize,
        name: &str,
        ty: &str,
    ) -> Result<T, Fault> {
        match self.next::<T>() {
            Ok(Some(v)) => Ok(v),
            Ok(None) => {
                // A missing trailing parameter is fine when its type takes nothing: `Option`.
                if let Ok(v) = T::deserialize(serde::de::value::UnitDeserializer::<Error>::new()) {
                    return Ok(v);
                }
                let label = if name.is_empty() {
                    String::new()
                } else {
                    format!(" `{name}`")
                };
                Err(Fault::invalid_params(format!(
                    "{}: missing parameter {}{label} ({ty}); {} given",
                    self.method(),
                    index + 1,
                    self.taken()
                )))
            }
            Err(e) => Err(self.param_fault(index, name, e)),
        }
    }

    /// Reads parameter number `index` when the caller sent it; `None` when the call has no
    /// more parameters (or the parameter is nil).
    ///
    /// # Errors
    ///
    /// As [`Call::param`].
    pub fn optional_param<T: Deserialize<'a>>(
        &mut self,
        index: usize,
        name: &str,
    ) -> Result<Option<T>, Fault> {
        match self.next::<Option<T>>() {
            Ok(v) => Ok(v.flatten()),
            Err(e) => Err(self.param_fault(index, name, e)),
        }
    }

    /// Checks that no parameter is left over.
    ///
    /// # Errors
    ///
    /// [`Fault::INVALID_PARAMS`] when more parameters were sent than the method takes.
    pub fn finish_params(&mut self, expected: usize) -> Result<(), Fault> {
        match self.next::<serde::de::IgnoredAny>() {
            Ok(None) => self.close(),
            Ok(Some(_)) => {
                let mut given = expected + 1;
                while let Ok(Some(_)) = self.next::<serde::de::IgnoredAny>() {
                    given += 1;
                }
                Err(Fault::invalid_params(format!(
                    "{} takes {expected} parameter{}, {given} given",
                    self.method(),
                    if expected == 1 { "" } else { "s" }
                )))
            }
            Err(e) => Err(self.param_fault(expected, "", e)),
        }
    }

    /// Reads all parameters at once as `P`: a tuple, a `Vec<Value>`, a struct of parameters.
    ///
    /// # Errors
    ///
    /// [`Fault::INVALID_PARAMS`] when they do not fit `P`.
    pub fn all_params<P: Deserialize<'a>>(&mut self) -> Result<P, Fault> {
        let read = match &mut self.params {
            Params::Xml(reader) => reader.rest_params(),
            Params::Values { params, taken, .. } => {
                let params: &'a [Value] = params;
                let rest = params.get(*taken..).unwrap_or_default();
                let first = *taken;
                *taken = params.len();
                P::deserialize(ValueParams { rest, first })
            }
        };
        let params = read.map_err(|e| {
            // Data errors (types, values, counts) are already -32602.
            let code = e.fault_code();
            Fault::new_unchecked(
                code,
                format!("invalid parameters of {}: {e}", self.method()),
            )
        })?;
        self.close()?;
        Ok(params)
    }

    #[cold]
    fn param_fault(&self, index: usize, name: &str, e: Error) -> Fault {
        // Data errors (types, values, counts) are already -32602.
        let code = e.fault_code();
        if name.is_empty() {
            Fault::new_unchecked(
                code,
                format!("parameter {} of {}: {e}", index + 1, self.method()),
            )
        } else {
            Fault::new_unchecked(
                code,
                format!("parameter {} `{name}` of {}: {e}", index + 1, self.method()),
            )
        }
    }

    /// Encodes `value` as the reply, in the call's [`Encoding`].
    ///
    /// # Errors
    ///
    /// [`Fault::INTERNAL_ERROR`] when the value cannot be written, such as nil when nil is
    /// not allowed, a non-finite double, or a string holding a character that XML 1.0
    /// forbids; the fault's message names the value's path.
    pub fn reply<T: Serialize + ?Sized>(&self, value: &T) -> Result<Reply, Fault> {
        match self.params {
            Params::Xml(_) => Reply::encode(value, self.encoding),
            Params::Values { .. } => Reply::encode_bare(value, self.encoding),
        }
    }
}

/// The parameters of a call given as values, as a sequence for tuples, `Vec`s and structs
/// of parameters.
struct ValueParams<'a> {
    rest: &'a [Value],
    /// The index of the first of them in the call.
    first: usize,
}

impl<'de> serde::Deserializer<'de> for ValueParams<'de> {
    type Error = Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let mut access = ValueParamsAccess {
            rest: self.rest.iter(),
            index: self.first,
        };
        let value = visitor.visit_seq(&mut access)?;
        if access.rest.len() > 0 {
            return Err(Error::param_count(format!(
                "too many parameters: expected {}",
                access.index
            )));
        }
        Ok(value)
    }

    fn deserialize_unit<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if !self.rest.is_empty() {
            return Err(Error::param_count(format!(
                "too many parameters: expected {}",
                self.first
            )));
        }
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct ValueParamsAccess<'de> {
    rest: std::slice::Iter<'de, Value>,
    index: usize,
}

impl<'de> serde::de::SeqAccess<'de> for &mut ValueParamsAccess<'de> {
    type Error = Error;

    fn next_element_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.rest.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(value)
            .map(Some)
            .map_err(|e| e.at_param(index))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.rest.len())
    }
}
