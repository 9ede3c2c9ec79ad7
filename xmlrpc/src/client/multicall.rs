//! [`MultiCall`]: several calls in one `system.multicall` round trip.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::caller::{CallError, Caller};
use crate::error::Error;
use crate::fault::Fault;

use crate::ser::{Dialect, EX_NAMESPACE, Serializer};
use crate::value::Value;
use crate::xml::limits::Limits;

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
/// multi.call("add", &(1, 2)).call("div", &(1, 0)).call("add", &("one", 2));
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
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<'a, C: Caller + ?Sized> MultiCall<'a, C> {
    /// An empty multicall sent through `caller`, written in its [`Dialect`] and read within
    /// its [`Limits`] ([`Caller::dialect`], [`Caller::limits`]).
    pub fn new(caller: &'a C) -> Self {
        MultiCall {
            caller,
            dialect: caller.dialect(),
            limits: caller.limits(),
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

    /// Queues a call of `method` with `params` (a tuple, a sequence or a struct of
    /// parameters, or `()` for none), and returns the multicall to queue more.
    ///
    /// Parameters that cannot be written (a NaN, a map with integer keys, nil in a dialect
    /// that refuses it) do not fail here: [`MultiCall::send`] reports them, without sending
    /// anything.
    pub fn call<P: Serialize + ?Sized>(&mut self, method: &str, params: &P) -> &mut Self {
        if self.error.is_none() {
            if let Err(e) = self.push(method, params) {
                self.error = Some(e);
            }
        }
        self.count += 1;
        self
    }

    fn push<P: Serialize + ?Sized>(&mut self, method: &str, params: &P) -> Result<(), Error> {
        // The call is written as a whole `methodCall` by the same code as every call, then
        // taken apart: each `<param>` holds exactly one `<value>`, and no `<param>` or
        // `</param>` can appear inside a value, where `<` is always escaped.
        let mut ser = Serializer::with_dialect(Vec::with_capacity(128), self.dialect);
        ser.call(method, params)?;
        let doc = ser.into_inner();
        let name = between(&doc, b"<methodName>", b"</methodName>")?;
        let mut rest = between(&doc, b"<params>", b"</params></methodCall>")?;
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
    /// multi.call("add", &(1, 2));
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
    /// - [`CallError::Decode`]: the answer is not one result per call, or a value does not
    ///   fit its type (the error's path says which, as `[1][0]`);
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
        let Results(results) = crate::caller::decode_response::<Results<R>>(response, self.limits)?;
        let found = results.__results();
        if found != self.count {
            return Err(CallError::Decode(Error::invalid(count_message(
                found, self.count,
            ))));
        }
        Ok(results)
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

#[cold]
fn count_message(found: usize, calls: usize) -> String {
    format!("system.multicall returned {found} results for {calls} calls")
}

mod sealed {
    #[allow(
        unreachable_pub,
        reason = "the sealed-trait pattern: nameable in the public bound, not reachable"
    )]
    pub trait Sealed {}
}

/// What [`MultiCall::send`] can give back: a tuple of `Result<T, Fault>`, one per call (up
/// to 16 calls), or a `Vec<Result<T, Fault>>` for any number of calls of one result type.
///
/// Sealed: the implementations are this crate's.
pub trait FromMulticall: sealed::Sealed + Sized {
    /// The number of calls the type has room for, when it is fixed.
    #[doc(hidden)]
    const __CALLS: Option<usize>;

    /// Reads the array of results.
    #[doc(hidden)]
    fn __deserialize<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// How many results were read.
    #[doc(hidden)]
    fn __results(&self) -> usize;
}

/// The whole answer of a `system.multicall`, read as `R`.
struct Results<R>(R);

impl<'de, R: FromMulticall> Deserialize<'de> for Results<R> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        R::__deserialize(deserializer).map(Results)
    }
}

/// One result of a multicall: a one-element array holding the value, or a fault struct.
struct Entry<T>(Result<T, Fault>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entry<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EntryVisitor(PhantomData))
    }
}

struct EntryVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for EntryVisitor<T> {
    type Value = Entry<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a multicall result: an array of one value, or a fault struct")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry<T>, A::Error> {
        let value = seq.next_element::<T>()?.ok_or_else(|| {
            de::Error::custom("a multicall result is an empty array instead of one value")
        })?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a multicall result holds more than one value",
            ));
        }
        Ok(Entry(Ok(value)))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Entry<T>, A::Error> {
        Fault::deserialize(de::value::MapAccessDeserializer::new(map)).map(|f| Entry(Err(f)))
    }
}

impl<T: DeserializeOwned> sealed::Sealed for Vec<Result<T, Fault>> {}

impl<T: DeserializeOwned> FromMulticall for Vec<Result<T, Fault>> {
    const __CALLS: Option<usize> = None;

    fn __deserialize<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = Vec::<Entry<T>>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|e| e.0).collect())
    }

    fn __results(&self) -> usize {
        self.len()
    }
}

/// Reads `N` results into a tuple, with a message that counts when there are too few or
/// too many.
macro_rules! tuple_impls {
    ($($len:literal => ($($idx:tt $t:ident)+))+) => {$(
        impl<$($t: DeserializeOwned),+> sealed::Sealed for ($(Result<$t, Fault>,)+) {}

        impl<$($t: DeserializeOwned),+> FromMulticall for ($(Result<$t, Fault>,)+) {
            const __CALLS: Option<usize> = Some($len);

            fn __deserialize<'de, D: de::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                struct TupleVisitor<$($t),+>(PhantomData<($($t,)+)>);

                impl<'de, $($t: DeserializeOwned),+> Visitor<'de> for TupleVisitor<$($t),+> {
                    type Value = ($(Result<$t, Fault>,)+);

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "an array of {} multicall results", $len)
                    }

                    fn visit_seq<A: SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<Self::Value, A::Error> {
                        let value = ($(
                            match seq.next_element::<Entry<$t>>()? {
                                Some(entry) => entry.0,
                                None => {
                                    return Err(de::Error::custom(count_message($idx, $len)));
                                }
                            },
                        )+);
                        let mut found = $len;
                        while seq.next_element::<IgnoredAny>()?.is_some() {
                            found += 1;
                        }
                        if found != $len {
                            return Err(de::Error::custom(count_message(found, $len)));
                        }
                        Ok(value)
                    }
                }

                deserializer.deserialize_seq(TupleVisitor(PhantomData))
            }

            fn __results(&self) -> usize {
                $len
            }
        }
    )+};
}

tuple_impls! {
    1 => (0 T0)
    2 => (0 T0 1 T1)
    3 => (0 T0 1 T1 2 T2)
    4 => (0 T0 1 T1 2 T2 3 T3)
    5 => (0 T0 1 T1 2 T2 3 T3 4 T4)
    6 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5)
    7 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6)
    8 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7)
    9 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8)
    10 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9)
    11 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9 10 T10)
    12 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9 10 T10 11 T11)
    13 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9 10 T10 11 T11 12 T12)
    14 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9 10 T10 11 T11 12 T12 13 T13)
    15 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9 10 T10 11 T11 12 T12 13 T13
           14 T14)
    16 => (0 T0 1 T1 2 T2 3 T3 4 T4 5 T5 6 T6 7 T7 8 T8 9 T9 10 T10 11 T11 12 T12 13 T13
           14 T14 15 T15)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A caller that answers every call with the same document.
    struct Canned(&'static str);

    impl Caller for Canned {
        fn call_raw<'a>(
            &'a self,
            _request: Vec<u8>,
        ) -> crate::BoxFuture<'a, Result<Vec<u8>, CallError>> {
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
        multi.call("a", &()).call("b", &());
        let got: (Result<i32, Fault>, Result<String, Fault>) =
            crate::__private::block_on(multi.send()).expect("a good answer");
        assert_eq!(got, (Ok(1), Err(Fault::new(7, "no"))));
    }

    #[test]
    fn too_few_results_is_an_error() {
        let canned = Canned(leak(results(ONE)));
        let mut multi = MultiCall::new(&canned);
        multi.call("a", &()).call("b", &());
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
        multi.call("a", &()).call("b", &());
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
        multi.call("a", &());
        let err =
            crate::__private::block_on(multi.send::<(Result<i32, Fault>, Result<i32, Fault>)>())
                .unwrap_err();
        assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_place() {
        let canned = Canned(leak(results(&format!("{ONE}{ONE}"))));
        let mut multi = MultiCall::new(&canned);
        multi.call("a", &()).call("b", &());
        let err =
            crate::__private::block_on(multi.send::<(Result<i32, Fault>, Result<String, Fault>)>())
                .unwrap_err();
        let CallError::Decode(e) = &err else {
            panic!("expected a decode error, got {err:?}")
        };
        assert_eq!(e.path(), "[1][0]");
    }

    #[test]
    fn struct_params_are_written_as_an_array() {
        #[derive(Serialize)]
        struct Params {
            a: i32,
            b: &'static str,
        }
        let canned = Canned("");
        let mut multi = MultiCall::new(&canned);
        multi.call("m", &Params { a: 1, b: "<x>" });
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
        multi.call("m", &(None::<i32>,)).call("n", &(1,));
        assert_eq!(multi.len(), 2);
        let err = crate::__private::block_on(multi.send_values()).unwrap_err();
        assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    }

    #[test]
    fn apache_dialect_declares_the_namespace() {
        let canned = Canned("");
        let mut multi = MultiCall::new(&canned).with_dialect(Dialect::apache());
        multi.call("m", &(None::<i32>,));
        let xml = String::from_utf8(multi.to_vec().expect("writable")).expect("utf-8");
        assert!(
            xml.starts_with("<?xml version=\"1.0\"?><methodCall xmlns:ex="),
            "{xml}"
        );
        assert!(xml.contains("<value><ex:nil/></value>"), "{xml}");
    }
}
