//! The two XML-RPC documents: `methodCall` and `methodResponse` (params or fault).
//!
//! The types are here; `read` reads them (and has `CallReader`, the two-step reader a
//! dispatcher uses), `write` writes them.

use crate::fault::Fault;
use crate::value::Value;

pub(crate) mod read;
pub(crate) mod write;

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
