//! [`Params`]: the parameters of a call, said explicitly, and [`Spread`].

use serde::Serialize;

use crate::error::Error;
use crate::ser::Serializer;
use crate::ser::dialect::{Dialect, EX_NAMESPACE};

/// The parameters of a call: a tuple with one element per parameter, `()` for none, or
/// [`Spread`] for the fields of a struct (or the items of a sequence) as the parameters.
///
/// A call's parameters are a list, and every form of it says how long the list is: `(x,)`
/// sends `x` as the one parameter whatever `x` is (a struct travels as one `<struct>`, a
/// `Vec` as one `<array>`), `(a, b)` sends two, and `Spread(&book)` sends each field of
/// `book` as a parameter of its own. A bare struct or `Vec` is not a parameter list, so
/// that neither reading can be had by accident; the compiler says so and shows the forms.
///
/// References to parameter lists are parameter lists too: `&(1, 2)` works where `(1, 2)`
/// does.
///
/// # Examples
///
/// ```
/// use serde::Serialize;
/// use xmlrpc::{Caller, Registry, Spread};
///
/// #[derive(Serialize)]
/// struct Book { title: &'static str, pages: u32 }
///
/// let registry = Registry::new()
///     .function("count", |b: xmlrpc::Value| b.as_struct().map_or(0, |s| s.len()))
///     .function("describe", |title: String, pages: u32| format!("{title}: {pages} pages"));
/// let book = Book { title: "Dune", pages: 412 };
///
/// # xmlrpc::__private::block_on(async {
/// // The struct as the one parameter: a <struct> with two members.
/// let members: usize = registry.call("count", (&book,)).await?;
/// assert_eq!(members, 2);
/// // Its fields as the parameters: a string, then an int.
/// let text: String = registry.call("describe", Spread(&book)).await?;
/// assert_eq!(text, "Dune: 412 pages");
/// # Ok::<(), xmlrpc::CallError>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of XML-RPC parameters",
    label = "not a parameter list",
    note = "write the parameters as a tuple: `(value,)` for one (a struct or a Vec included), `(a, b)` for two, `()` for none",
    note = "to send the fields of a struct or the items of a sequence as the parameters, say so: `xmlrpc::Spread(&value)`"
)]
pub trait Params {
    /// What is serialized as the list: each element or field one `<param>`.
    #[doc(hidden)]
    type __List: Serialize + ?Sized;

    /// The list to serialize.
    #[doc(hidden)]
    fn __list(&self) -> &Self::__List;
}

/// The fields of a struct, or the items of a sequence, as the parameters of a call: the
/// explicit form of what a bare struct would leave unsaid.
///
/// `Spread(&Point { x: 1, y: 2 })` calls with two parameters, `1` and `2`, in the order of
/// the fields; `Spread(&values)` sends each item of a `Vec` or slice as a parameter, for
/// calls whose parameters are known only at run time. A value that is neither a struct nor
/// a sequence fails to encode, with [`CallError::Encode`](crate::CallError::Encode).
///
/// ```
/// use xmlrpc::{Caller, Registry, Spread, Value};
///
/// let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
/// // Parameters known only at run time.
/// let operands = vec![Value::Int(2), Value::Int(3)];
/// # xmlrpc::__private::block_on(async {
/// let sum: i32 = registry.call("add", Spread(&operands)).await?;
/// assert_eq!(sum, 5);
/// # Ok::<(), xmlrpc::CallError>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread<T>(pub T);

impl<T: Serialize> Params for Spread<T> {
    type __List = T;

    #[inline]
    fn __list(&self) -> &T {
        &self.0
    }
}

impl<P: Params + ?Sized> Params for &P {
    type __List = P::__List;

    #[inline]
    fn __list(&self) -> &P::__List {
        (**self).__list()
    }
}

impl Params for () {
    type __List = ();

    #[inline]
    fn __list(&self) -> &() {
        self
    }
}

/// A slice of [`Value`](crate::Value)s is the dynamic form's parameter list, as
/// `call_value` takes it: there is no other reading of it.
impl Params for [crate::value::Value] {
    type __List = [crate::value::Value];

    #[inline]
    fn __list(&self) -> &[crate::value::Value] {
        self
    }
}

macro_rules! tuple_params {
    ($(($($t:ident)+))+) => {$(
        impl<$($t: Serialize),+> Params for ($($t,)+) {
            type __List = Self;

            #[inline]
            fn __list(&self) -> &Self {
                self
            }
        }
    )+};
}

tuple_params! {
    (A)
    (A B)
    (A B C)
    (A B C D)
    (A B C D E)
    (A B C D E F)
    (A B C D E F G)
    (A B C D E F G H)
    (A B C D E F G H I)
    (A B C D E F G H I J)
    (A B C D E F G H I J K)
    (A B C D E F G H I J K L)
    (A B C D E F G H I J K L M)
    (A B C D E F G H I J K L M N)
    (A B C D E F G H I J K L M N O)
    (A B C D E F G H I J K L M N O P)
}

/// A `methodCall` written one parameter at a time: what call builders and the typed
/// clients' optional parameters use. The first parameter that cannot be written is kept
/// and reported by [`ParamWriter::finish`], so that pushing chains without a `?`.
#[derive(Debug)]
pub(crate) struct ParamWriter {
    doc: Vec<u8>,
    dialect: Dialect,
    count: usize,
    error: Option<Error>,
}

impl ParamWriter {
    /// The head of a call of `method`, in `dialect`.
    pub(crate) fn new(method: &str, dialect: Dialect) -> ParamWriter {
        let mut doc = Vec::with_capacity(256);
        doc.extend_from_slice(b"<?xml version=\"1.0\"?><methodCall");
        if dialect.uses_ex() {
            doc.extend_from_slice(b" xmlns:ex=\"");
            doc.extend_from_slice(EX_NAMESPACE.as_bytes());
            doc.push(b'"');
        }
        doc.extend_from_slice(b"><methodName>");
        let error = crate::xml::writer::escape(&mut doc, method, &dialect).err();
        doc.extend_from_slice(b"</methodName><params>");
        ParamWriter {
            doc,
            dialect,
            count: 0,
            error,
        }
    }

    /// Appends `value` as the next parameter.
    pub(crate) fn push<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.count += 1;
        if self.error.is_some() {
            return;
        }
        let mark = self.doc.len();
        self.doc.extend_from_slice(b"<param>");
        let mut ser = Serializer::with_dialect(&mut self.doc, self.dialect);
        match value.serialize(&mut ser) {
            Ok(()) => self.doc.extend_from_slice(b"</param>"),
            Err(e) => {
                self.doc.truncate(mark);
                self.error = Some(e.at_param(self.count - 1));
            }
        }
    }

    /// The number of parameters pushed.
    #[cfg_attr(
        not(feature = "client"),
        allow(dead_code, reason = "shown by the client's call builder only")
    )]
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// The finished document, or the first parameter's error.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        self.doc.extend_from_slice(b"</params></methodCall>");
        Ok(self.doc)
    }
}

/// Writes a call of `method` with `params` in `dialect`: the one encoder of every call.
pub(crate) fn encode<P: Params + ?Sized>(
    dialect: Dialect,
    method: &str,
    params: &P,
) -> Result<Vec<u8>, Error> {
    let mut ser = Serializer::with_dialect(Vec::with_capacity(256), dialect);
    ser.call(method, params.__list())?;
    Ok(ser.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_and_the_encoder_agree() {
        #[derive(Serialize)]
        struct Point {
            x: i32,
            label: &'static str,
        }
        let mut w = ParamWriter::new("a<b", Dialect::new());
        w.push(&1);
        w.push("two");
        assert_eq!(w.len(), 2);
        let written = w.finish().expect("writable");
        let encoded = encode(Dialect::new(), "a<b", &(1, "two")).expect("writable");
        assert_eq!(written, encoded);
        let spread =
            encode(Dialect::new(), "a<b", &Spread(Point { x: 1, label: "two" })).expect("writable");
        assert_eq!(spread, encoded);
    }

    #[test]
    fn a_struct_in_a_tuple_is_one_parameter() {
        #[derive(Serialize)]
        struct Point {
            x: i32,
            y: i32,
        }
        let xml = encode(Dialect::new(), "m", &(Point { x: 1, y: 2 },)).expect("writable");
        let xml = String::from_utf8(xml).expect("UTF-8");
        assert_eq!(xml.matches("<param>").count(), 1, "{xml}");
        assert!(xml.contains("<struct>"), "{xml}");
    }

    #[test]
    fn the_first_bad_parameter_is_reported_with_its_place() {
        let mut w = ParamWriter::new("m", Dialect::strict());
        w.push(&1);
        w.push(&None::<i32>);
        w.push(&f64::NAN);
        let err = w.finish().unwrap_err();
        assert!(err.to_string().contains("nil"), "{err}");
        assert_eq!(err.path(), "params[1]");
    }

    #[test]
    fn the_apache_dialect_declares_its_namespace() {
        let mut w = ParamWriter::new("m", Dialect::apache());
        w.push(&None::<i32>);
        let written = w.finish().expect("writable");
        let encoded = encode(Dialect::apache(), "m", &(None::<i32>,)).expect("writable");
        assert_eq!(written, encoded);
    }
}
