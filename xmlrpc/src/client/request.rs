//! The call builder: [`RequestBuilder`], one call with its own parameters, headers and
//! timeout, and the [`Response`] it reads.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::call::{CallOptions, Client};
use crate::caller::{CallError, decode_response};
use crate::error::Error;
use crate::params::ParamWriter;

/// One call being set up: its parameters, headers and timeout. Made by
/// [`Client::request`]; [`send`](RequestBuilder::send) sends it.
///
/// Parameters are added one by one, each exactly one XML-RPC parameter whatever its type
/// (a struct, a `Vec`, a map), so the list says itself. A parameter or header that cannot
/// be written does not fail where it is added: `send` reports it as
/// [`CallError::Encode`], before anything is sent.
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder {
    client: Client,
    method: String,
    params: ParamWriter,
    options: CallOptions,
    header_error: Option<String>,
}

impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("params", &self.params.len())
            .field("headers", &self.options.headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.options.timeout)
            .finish_non_exhaustive()
    }
}

// Starting a request.
impl Client {
    /// A call of `method` to set up: its parameters one by one
    /// ([`arg`](RequestBuilder::arg)), headers and a timeout of its own, and an answer
    /// whose headers can be read ([`send_response`](RequestBuilder::send_response)).
    ///
    /// ```no_run
    /// # async fn run(client: xmlrpc::client::Client) -> Result<(), xmlrpc::CallError> {
    /// use std::time::Duration;
    ///
    /// let answer = client
    ///     .request("execute")
    ///     .arg("res.partner")
    ///     .arg(&[1, 2, 3])
    ///     .header("X-Request-Id", "42")
    ///     .timeout(Duration::from_secs(5))
    ///     .send_response::<Vec<xmlrpc::Value>>()
    ///     .await?;
    /// println!("{:?} {:?}", answer.headers().get("date"), answer.value());
    /// # Ok(())
    /// # }
    /// ```
    pub fn request(&self, method: &str) -> RequestBuilder {
        RequestBuilder::new(self.clone(), method)
    }
}

impl RequestBuilder {
    pub(super) fn new(client: Client, method: &str) -> RequestBuilder {
        let params = ParamWriter::new(method, client.dialect());
        RequestBuilder {
            client,
            method: method.to_owned(),
            params,
            options: CallOptions::default(),
            header_error: None,
        }
    }

    /// Adds `value` as the next parameter: one parameter, whatever its type.
    pub fn arg<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        self.params.push(value);
        self
    }

    /// Adds a header to this call, besides the client's (replacing one of the same name).
    /// Over SCGI it travels as the CGI variable `HTTP_<NAME>`.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        K: TryInto<HeaderName>,
        V: TryInto<HeaderValue>,
    {
        match (name.try_into(), value.try_into()) {
            (Ok(name), Ok(value)) => {
                self.options.headers.insert(name, value);
            }
            _ => {
                if self.header_error.is_none() {
                    self.header_error = Some("a header of the call is not a valid header".into());
                }
            }
        }
        self
    }

    /// The most time this call may take, instead of the client's
    /// [`timeout`](super::ClientBuilder::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sends the call and reads the result into `R`.
    ///
    /// # Errors
    ///
    /// As [`Client::call`].
    pub async fn send<R: DeserializeOwned>(self) -> Result<R, CallError> {
        self.send_response().await.map(Response::into_value)
    }

    /// Sends the call and gives the result with the answer's status and headers.
    ///
    /// # Errors
    ///
    /// As [`Client::call`]. A fault is an error here too; the headers of an answer with an
    /// error status are in [`CallError::Http`].
    pub async fn send_response<R: DeserializeOwned>(self) -> Result<Response<R>, CallError> {
        let RequestBuilder {
            client,
            method,
            params,
            options,
            header_error,
        } = self;
        let inner = &client.inner;
        inner
            .traced(&method, async {
                if let Some(message) = header_error {
                    return Err(CallError::Encode(Error::unsupported(message)));
                }
                let request = params.finish().map_err(CallError::Encode)?;
                let received = inner.send(request, options).await?;
                let value = decode_response(&received.body, inner.limits)?;
                Ok(Response {
                    value,
                    status: received.status,
                    headers: received.headers,
                })
            })
            .await
    }
}

/// A result with the answer it came in: its status and headers, for servers that say
/// something there (a session id to send back, a rate limit, a server version).
#[derive(Debug, Clone)]
pub struct Response<R> {
    value: R,
    status: StatusCode,
    headers: HeaderMap,
}

impl<R> Response<R> {
    /// The result.
    pub fn value(&self) -> &R {
        &self.value
    }

    /// The result, taken out.
    pub fn into_value(self) -> R {
        self.value
    }

    /// The answer's status (200, or another success status).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's header fields (for SCGI, the header lines of its CGI-style head).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::builder::ClientBuilder;

    #[test]
    fn a_bad_header_is_an_encode_error_before_sending() {
        let client = Client::new("http://127.0.0.1:9/RPC2").expect("valid");
        let request = client.request("m").arg(&1).header("bad name", "x");
        let err = crate::__private::block_on(request.send::<i32>()).unwrap_err();
        assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    }

    #[test]
    fn a_parameter_that_cannot_be_written_is_an_encode_error() {
        let client = ClientBuilder::new("http://127.0.0.1:9/RPC2")
            .allow_none(false)
            .build()
            .expect("valid");
        let request = client.request("m").arg(&None::<i32>);
        let err = crate::__private::block_on(request.send::<i32>()).unwrap_err();
        assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    }
}
