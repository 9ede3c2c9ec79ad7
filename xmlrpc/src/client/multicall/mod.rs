//! [`MultiCall`]: several calls in one `system.multicall` round trip, read in either
//! [`MulticallShape`]; [`TypedMultiCall`] for the typed clients' multicalls.

use std::fmt;

use crate::caller::{CallError, Caller};
use crate::error::Error;
use crate::fault::Fault;
use crate::params::Params;
use crate::ser::dialect::{Dialect, EX_NAMESPACE};
use crate::value::Value;
use crate::xml::limits::Limits;

mod results;
pub(crate) mod shape;
mod typed;

pub use self::results::FromMulticall;
pub use self::shape::MulticallShape;
pub use self::typed::{Append, Queued, TypedMultiCall};

/// Calls queued to be sent together in one `system.multicall`, Python's `MultiCall`.
///
/// Queue calls with [`MultiCall::call`], then [`send`](MultiCall::send) them: the answer
/// comes back in the order of the calls, each one its own value or [`Fault`]. Ask for a tuple
/// of `Result<T, Fault>`, one per call, to have each value read straight into its type, or
/// for a `Vec` of them when all calls return the same type (`Vec<Result<Value, Fault>>`
/// takes anything; [`send_values`](MultiCall::send_values) asks for it).
///
/// A server that does not answer with one result per call is an error
/// ([`CallError::Decode`]), and so is a tuple whose size is not the number of calls queued
/// ([`CallError::Encode`], found before anything is sent).
///
/// `MultiCall` works over any [`Caller`]: an HTTP [`Client`](crate::client::Client) (see
/// [`Client::multicall`](crate::client::Client::multicall)) or a [`Registry`](crate::Registry)
/// in the same process, as here.
///
/// # Examples
///
/// ```
/// use xmlrpc::client::MultiCall;
/// use xmlrpc::{Fault, Registry};
///
/// let registry = Registry::new()
///     .function("add", |a: i32, b: i32| a + b)
///     .function("div", |a: i32, b: i32| {
///         a.checked_div(b).ok_or_else(|| Fault::new(1, "division by zero"))
///     });
///
/// let mut multi = MultiCall::new(&registry);
/// multi.call("add", (1, 2)).call("div", (1, 0)).call("add", ("one", 2));
/// assert_eq!(multi.len(), 3);
///
/// # xmlrpc::__private::block_on(async {
/// let (sum, quotient, wrong): (Result<i32, Fault>, Result<i32, Fault>, Result<i32, Fault>) =
///     multi.send().await?;
/// assert_eq!(sum, Ok(3));
/// assert_eq!(quotient, Err(Fault::new(1, "division by zero")));
/// assert_eq!(wrong.unwrap_err().code(), Fault::INVALID_PARAMS);
/// # Ok::<(), xmlrpc::CallError>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct MultiCall<'a, C: ?Sized> {
    caller: &'a C,
    dialect: Dialect,
    limits: Limits,
    shape: MulticallShape,
    /// The queued calls, each written as the `<value><struct>` that `system.multicall`
    /// takes.
    calls: Vec<u8>,
    count: usize,
    /// The first call that could not be written; reported by `send`.
    error: Option<Error>,
}

impl<C: ?Sized> fmt::Debug for MultiCall<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultiCall")
            .field("calls", &self.count)
            .field("dialect", &self.dialect)
            .field("limits", &self.limits)
            .field("shape", &self.shape)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<'a, C: Caller + ?Sized> MultiCall<'a, C> {
    /// An empty multicall sent through `caller`, written in its [`Dialect`] and read within
    /// its [`Limits`] and in its [`MulticallShape`] ([`Caller::dialect`],
    /// [`Caller::limits`], [`Caller::multicall_shape`]).
    pub fn new(caller: &'a C) -> Self {
        MultiCall {
            caller,
            dialect: caller.dialect(),
            limits: caller.limits(),
            shape: caller.multicall_shape(),
            calls: Vec::new(),
            count: 0,
            error: None,
        }
    }

    /// Writes the calls queued from now on in `dialect`.
    pub fn with_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    /// Reads the answer within `limits`.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Reads the answer in `shape`.
    pub fn with_shape(mut self, shape: MulticallShape) -> Self {
        self.shape = shape;
        self
    }

    /// Queues a call of `method` with `params` (see [`Params`]: a tuple, `()` for none, or
    /// [`Spread`](crate::Spread)), and returns the multicall to queue more.
    ///
    /// Parameters that cannot be written (a NaN, a map with integer keys, nil in a dialect
    /// that refuses it) do not fail here: [`MultiCall::send`] reports them, without sending
    /// anything.
    pub fn call(&mut self, method: &str, params: impl Params) -> &mut Self {
        if self.error.is_none() {
            if let Err(e) = self.push(method, &params) {
                self.error = Some(e);
            }
        }
        self.count += 1;
        self
    }

    /// Queues a call written elsewhere, or the error that writing it gave.
    pub(crate) fn queue_document(&mut self, document: Result<Vec<u8>, Error>) {
        if self.error.is_none() {
            if let Err(e) = document.and_then(|doc| self.push_document(&doc)) {
                self.error = Some(e);
            }
        }
        self.count += 1;
    }

    fn push<P: Params + ?Sized>(&mut self, method: &str, params: &P) -> Result<(), Error> {
        // The call is written as a whole `methodCall` by the same code as every call, then
        // taken apart: each `<param>` holds exactly one `<value>`, and no `<param>` or
        // `</param>` can appear inside a value, where `<` is always escaped.
        let doc = crate::params::encode(self.dialect, method, params)?;
        self.push_document(&doc)
    }

    /// Queues a call already written as a `methodCall` document in the multicall's
    /// dialect.
    pub(crate) fn push_document(&mut self, doc: &[u8]) -> Result<(), Error> {
        let name = between(doc, b"<methodName>", b"</methodName>")?;
        let mut rest = between(doc, b"<params>", b"</params></methodCall>")?;
        let out = &mut self.calls;
        out.extend_from_slice(b"<value><struct><member><name>methodName</name><value><string>");
        out.extend_from_slice(name);
        out.extend_from_slice(
            b"</string></value></member><member><name>params</name><value><array><data>",
        );
        while !rest.is_empty() {
            let inner = rest
                .strip_prefix(b"<param>")
                .ok_or_else(|| Error::invalid("a written call holds something else than params"))?;
            let end = find(inner, b"</param>")
                .ok_or_else(|| Error::invalid("a written call has an unclosed param"))?;
            out.extend_from_slice(&inner[..end]);
            rest = &inner[end + b"</param>".len()..];
        }
        out.extend_from_slice(b"</data></array></value></member></struct></value>");
        Ok(())
    }

    /// The number of calls queued.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no call is queued.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The `system.multicall` document that [`MultiCall::send`] sends.
    ///
    /// ```
    /// # use xmlrpc::client::MultiCall;
    /// let registry = xmlrpc::Registry::new();
    /// let mut multi = MultiCall::new(&registry);
    /// multi.call("add", (1, 2));
    /// let xml = String::from_utf8(multi.to_vec()?).unwrap();
    /// assert_eq!(
    ///     xml,
    ///     "<?xml version=\"1.0\"?><methodCall><methodName>system.multicall</methodName>\
    ///      <params><param><value><array><data><value><struct>\
    ///      <member><name>methodName</name><value><string>add</string></value></member>\
    ///      <member><name>params</name><value><array><data>\
    ///      <value><int>1</int></value><value><int>2</int></value>\
    ///      </data></array></value></member></struct></value>\
    ///      </data></array></value></param></params></methodCall>"
    /// );
    /// # Ok::<(), xmlrpc::CallError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CallError::Encode`] when a queued call's parameters could not be written.
    pub fn to_vec(&self) -> Result<Vec<u8>, CallError> {
        if let Some(e) = &self.error {
            return Err(CallError::Encode(Error::unsupported(format!(
                "a call of the multicall cannot be written: {e}"
            ))));
        }
        let mut doc = Vec::with_capacity(self.calls.len() + 160);
        doc.extend_from_slice(b"<?xml version=\"1.0\"?><methodCall");
        if self.dialect.uses_ex() {
            doc.extend_from_slice(b" xmlns:ex=\"");
            doc.extend_from_slice(EX_NAMESPACE.as_bytes());
            doc.extend_from_slice(b"\"");
        }
        doc.extend_from_slice(
            b"><methodName>system.multicall</methodName><params><param><value><array><data>",
        );
        doc.extend_from_slice(&self.calls);
        doc.extend_from_slice(b"</data></array></value></param></params></methodCall>");
        Ok(doc)
    }

    /// Sends the queued calls as one `system.multicall` and reads the results in order: a
    /// tuple with one `Result<T, Fault>` per call, or a `Vec<Result<T, Fault>>`.
    ///
    /// The calls stay queued, so the same multicall can be sent again.
    ///
    /// # Errors
    ///
    /// - [`CallError::Encode`]: a call's parameters could not be written, or the tuple asked
    ///   for does not have one element per call;
    /// - [`CallError::Fault`]: the server refused the multicall as a whole (for example, it
    ///   has no `system.multicall`);
    /// - [`CallError::Decode`]: the answer is not one result per call, a result is not in
    ///   the [`MulticallShape`] expected (the message names the setting), or a value does
    ///   not fit its type (the error's path says which, as `[1][0]`);
    /// - the transport's errors.
    pub async fn send<R: FromMulticall>(&self) -> Result<R, CallError> {
        let request = self.request::<R>()?;
        let response = self.caller.call_raw(request).await?;
        self.read::<R>(&response)
    }

    /// The document to send, once the result type is known to fit the calls.
    pub(crate) fn request<R: FromMulticall>(&self) -> Result<Vec<u8>, CallError> {
        if let Some(expected) = R::__CALLS {
            if expected != self.count {
                return Err(CallError::Encode(Error::unsupported(format!(
                    "{} calls are queued, but the result type has room for {expected}",
                    self.count
                ))));
            }
        }
        self.to_vec()
    }

    /// Reads the answer: one result per call, or the fault of the whole multicall.
    pub(crate) fn read<R: FromMulticall>(&self, response: &[u8]) -> Result<R, CallError> {
        results::read(response, self.shape, self.limits, self.count)
    }

    /// Sends the queued calls and gives each result as a [`Value`], or its fault.
    ///
    /// # Errors
    ///
    /// As [`MultiCall::send`].
    pub async fn send_values(&self) -> Result<Vec<Result<Value, Fault>>, CallError> {
        self.send().await
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The bytes between the first `open` and the first `close` after it.
fn between<'d>(doc: &'d [u8], open: &[u8], close: &[u8]) -> Result<&'d [u8], Error> {
    let start =
        find(doc, open).ok_or_else(|| Error::invalid("a written call is incomplete"))? + open.len();
    let len =
        find(&doc[start..], close).ok_or_else(|| Error::invalid("a written call is incomplete"))?;
    Ok(&doc[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// A caller that answers every call with the same document.
    struct Canned(&'static str);

    impl Caller for Canned {
        fn call_raw<'a>(
            &'a self,
            _request: Vec<u8>,
        ) -> crate::service::BoxFuture<'a, Result<Vec<u8>, CallError>> {
            Box::pin(async move { Ok(self.0.as_bytes().to_vec()) })
        }
    }

    fn results(values: &str) -> String {
        format!(
            "<methodResponse><params><param><value><array><data>{values}</data></array>\
             </value></param></params></methodResponse>"
        )
    }

    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    const ONE: &str = "<value><array><data><value><int>1</int></value></data></array></value>";
    const FAULT: &str = "<value><struct><member><name>faultCode</name><value><int>7</int>\
        </value></member><member><name>faultString</name><value>no</value></member>\
        </struct></value>";

    #[test]
    fn reads_values_and_faults_in_order() {
        let canned = Canned(leak(results(&format!("{ONE}{FAULT}"))));
        let mut multi = MultiCall::new(&canned);
        multi.call("a", ()).call("b", ());
        let got: (Result<i32, Fault>, Result<String, Fault>) =
            crate::__private::block_on(multi.send()).expect("a good answer");
        assert_eq!(got, (Ok(1), Err(Fault::new(7, "no"))));
    }

    #[test]
    fn too_few_results_is_an_error() {
        let canned = Canned(leak(results(ONE)));
        let mut multi = MultiCall::new(&canned);
        multi.call("a", ()).call("b", ());
        let err =
            crate::__private::block_on(multi.send::<(Result<i32, Fault>, Result<i32, Fault>)>())
                .unwrap_err();
        assert!(
            err.to_string().contains("returned 1 results for 2 calls"),
            "{err}"
        );
        let err = crate::__private::block_on(multi.send_values()).unwrap_err();
        assert!(
            err.to_string().contains("returned 1 results for 2 calls"),
            "{err}"
        );
    }

    #[test]
    fn too_many_results_is_an_error() {
        let canned = Canned(leak(results(&format!("{ONE}{ONE}{ONE}"))));
        let mut multi = MultiCall::new(&canned);
        multi.call("a", ()).call("b", ());
        let err =
            crate::__private::block_on(multi.send::<(Result<i32, Fault>, Result<i32, Fault>)>())
                .unwrap_err();
        assert!(matches!(err, CallError::Decode(_)), "{err:?}");
        assert!(
            err.to_string().contains("returned 3 results for 2 calls"),
            "{err}"
        );
    }

    #[test]
    fn tuple_of_the_wrong_size_is_refused_before_sending() {
        let canned = Canned("not even read");
        let mut multi = MultiCall::new(&canned);
        multi.call("a", ());
        let err =
            crate::__private::block_on(multi.send::<(Result<i32, Fault>, Result<i32, Fault>)>())
                .unwrap_err();
        assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_place() {
        let canned = Canned(leak(results(&format!("{ONE}{ONE}"))));
        let mut multi = MultiCall::new(&canned);
        multi.call("a", ()).call("b", ());
        let err =
            crate::__private::block_on(multi.send::<(Result<i32, Fault>, Result<String, Fault>)>())
                .unwrap_err();
        let CallError::Decode(e) = &err else {
            panic!("expected a decode error, got {err:?}")
        };
        assert_eq!(e.path(), "[1][0]");
    }

    #[test]
    fn spread_struct_params_are_written_as_an_array() {
        #[derive(Serialize)]
        struct Params {
            a: i32,
            b: &'static str,
        }
        let canned = Canned("");
        let mut multi = MultiCall::new(&canned);
        multi.call("m", crate::params::Spread(&Params { a: 1, b: "<x>" }));
        let xml = String::from_utf8(multi.to_vec().expect("writable")).expect("utf-8");
        assert!(
            xml.contains(
                "<array><data><value><int>1</int></value><value><string>&lt;x&gt;</string></value></data></array>"
            ),
            "{xml}"
        );
    }

    #[test]
    fn unwritable_params_are_reported_by_send() {
        let canned = Canned("");
        let mut multi = MultiCall::new(&canned).with_dialect(Dialect::strict());
        multi.call("m", (None::<i32>,)).call("n", (1,));
        assert_eq!(multi.len(), 2);
        let err = crate::__private::block_on(multi.send_values()).unwrap_err();
        assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    }

    #[test]
    fn a_struct_answer_in_the_standard_shape_names_the_setting() {
        // supervisord's answer to [supervisor.getState, system.listMethods].
        let state = "<value><struct><member><name>statecode</name><value><int>1</int></value>\
            </member><member><name>statename</name><value>RUNNING</value></member></struct></value>";
        let canned = Canned(leak(results(state)));
        let mut multi = MultiCall::new(&canned);
        multi.call("supervisor.getState", ());
        let err = crate::__private::block_on(multi.send_values()).unwrap_err();
        assert!(matches!(err, CallError::Decode(_)), "{err:?}");
        assert!(
            err.to_string()
                .contains("multicall_shape(MulticallShape::Unwrapped)"),
            "{err}"
        );
        let err = crate::__private::block_on(
            MultiCall::new(&Canned(leak(results("<value><int>18351</int></value>"))))
                .call("getPID", ())
                .send_values(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("multicall_shape(MulticallShape::Unwrapped)"),
            "{err}"
        );
    }

    #[test]
    fn unwrapped_results_and_faults_in_order() {
        let answer = results(&format!(
            "<value><int>18351</int></value>{FAULT}<value>x</value>"
        ));
        let canned = Canned(leak(answer));
        let mut multi = MultiCall::new(&canned).with_shape(MulticallShape::Unwrapped);
        multi.call("a", ()).call("b", ()).call("c", ());
        let got: (
            Result<i64, Fault>,
            Result<i64, Fault>,
            Result<String, Fault>,
        ) = crate::__private::block_on(multi.send()).expect("a good answer");
        assert_eq!(
            got,
            (Ok(18351), Err(Fault::new(7, "no")), Ok("x".to_owned()))
        );
        let err = crate::__private::block_on(multi.send::<(
            Result<i64, Fault>,
            Result<i64, Fault>,
            Result<i64, Fault>,
        )>())
        .unwrap_err();
        let CallError::Decode(e) = &err else {
            panic!("expected a decode error, got {err:?}")
        };
        assert_eq!(e.path(), "[2]");
        let mut short = MultiCall::new(&canned).with_shape(MulticallShape::Unwrapped);
        short.call("a", ());
        let err = crate::__private::block_on(short.send_values()).unwrap_err();
        assert!(
            err.to_string().contains("returned 3 results for 1 calls"),
            "{err}"
        );
    }

    #[test]
    fn apache_dialect_declares_the_namespace() {
        let canned = Canned("");
        let mut multi = MultiCall::new(&canned).with_dialect(Dialect::apache());
        multi.call("m", (None::<i32>,));
        let xml = String::from_utf8(multi.to_vec().expect("writable")).expect("utf-8");
        assert!(
            xml.starts_with("<?xml version=\"1.0\"?><methodCall xmlns:ex="),
            "{xml}"
        );
        assert!(xml.contains("<value><ex:nil/></value>"), "{xml}");
    }
}
