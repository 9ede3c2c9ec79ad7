//! [`FromMulticall`]: reading the answer of a `system.multicall` into a tuple or a `Vec`, in
//! either [`MulticallShape`].

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, IgnoredAny, SeqAccess, Visitor};

use super::shape::MulticallShape;
use crate::error::Error;
use crate::fault::Fault;
use crate::value::Value;
use crate::xml::limits::Limits;

mod sealed {
    #[allow(
        unreachable_pub,
        reason = "the sealed-trait pattern: nameable in the public bound, not reachable"
    )]
    pub trait Sealed {}
}

/// What [`MultiCall::send`](super::MultiCall::send) can give back: a tuple of
/// `Result<T, Fault>`, one per call (up to 16 calls), or a `Vec<Result<T, Fault>>` for any
/// number of calls of one result type.
///
/// Sealed: the implementations are this crate's.
pub trait FromMulticall: sealed::Sealed + Sized {
    /// The number of calls the type has room for, when it is fixed.
    #[doc(hidden)]
    const __CALLS: Option<usize>;

    /// Reads the array of results in the standard shape.
    #[doc(hidden)]
    fn __deserialize<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// Reads results that are each a value or a fault struct, in order.
    #[doc(hidden)]
    fn __from_unwrapped(results: Vec<Value>) -> Result<Self, Error>;

    /// How many results were read.
    #[doc(hidden)]
    fn __results(&self) -> usize;
}

/// The whole answer of a `system.multicall` in the standard shape, read as `R`.
pub(super) struct Results<R>(pub(super) R);

impl<'de, R: FromMulticall> Deserialize<'de> for Results<R> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        R::__deserialize(deserializer).map(Results)
    }
}

/// The hint in every error about a result of the wrong shape.
const SHAPE_HINT: &str = "a multicall result in the standard shape (an array of one value, or a fault struct); \
     a server that answers each result unwrapped, as supervisord does, needs the client setting \
     `multicall_shape(MulticallShape::Unwrapped)`";

/// One result of a multicall in the standard shape: a one-element array holding the
/// value, or a fault struct.
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
        f.write_str(SHAPE_HINT)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry<T>, A::Error> {
        let value = seq.next_element::<T>()?.ok_or_else(|| {
            de::Error::custom("a multicall result is an empty array instead of one value")
        })?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(format!(
                "a multicall result holds more than one value; expected {SHAPE_HINT}"
            )));
        }
        Ok(Entry(Ok(value)))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Entry<T>, A::Error> {
        // A struct that is not a fault is an unwrapped value: say which setting reads it.
        Fault::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|f| Entry(Err(f)))
            .map_err(|e| {
                de::Error::custom(format!(
                    "a multicall result is a struct that is not a fault ({e}); expected {SHAPE_HINT}"
                ))
            })
    }
}

/// The fault an unwrapped result is, when it is one: a struct of exactly `faultCode` (an
/// int) and `faultString` (a string).
fn as_fault(value: &Value) -> Option<Fault> {
    let members = value.as_struct()?;
    if members.len() != 2 {
        return None;
    }
    let code = members.get("faultCode")?.as_i32()?;
    let string = members.get("faultString")?.as_str()?;
    Some(Fault::new_unchecked(code, string))
}

/// Reads one unwrapped result: its fault, or its value as `T`.
fn unwrapped<T: DeserializeOwned>(value: &Value, index: usize) -> Result<Result<T, Fault>, Error> {
    if let Some(fault) = as_fault(value) {
        return Ok(Err(fault));
    }
    // Straight from the value, with the codec's type mapping; the answer was read within
    // the client's limits already.
    crate::value::from_value_ref::<T>(value)
        .map(Ok)
        .map_err(|e| e.at_index(index))
}

impl<T: DeserializeOwned> sealed::Sealed for Vec<Result<T, Fault>> {}

impl<T: DeserializeOwned> FromMulticall for Vec<Result<T, Fault>> {
    const __CALLS: Option<usize> = None;

    fn __deserialize<'de, D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = Vec::<Entry<T>>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|e| e.0).collect())
    }

    fn __from_unwrapped(results: Vec<Value>) -> Result<Self, Error> {
        results
            .iter()
            .enumerate()
            .map(|(i, v)| unwrapped(v, i))
            .collect()
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

            fn __from_unwrapped(results: Vec<Value>) -> Result<Self, Error> {
                if results.len() != $len {
                    return Err(Error::invalid(count_message(results.len(), $len)));
                }
                Ok(($(unwrapped::<$t>(&results[$idx], $idx)?,)+))
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

#[cold]
pub(super) fn count_message(found: usize, calls: usize) -> String {
    format!("system.multicall returned {found} results for {calls} calls")
}

/// Reads a multicall answer in `shape`: one result per call, checked against `calls`.
pub(super) fn read<R: FromMulticall>(
    response: &[u8],
    shape: MulticallShape,
    limits: Limits,
    calls: usize,
) -> Result<R, crate::caller::CallError> {
    use crate::caller::{CallError, decode_response};
    let results = match shape {
        MulticallShape::Standard => decode_response::<Results<R>>(response, limits)?.0,
        MulticallShape::Unwrapped => {
            let values = decode_response::<Vec<Value>>(response, limits)?;
            if values.len() != calls {
                return Err(CallError::Decode(Error::invalid(count_message(
                    values.len(),
                    calls,
                ))));
            }
            R::__from_unwrapped(values).map_err(CallError::Decode)?
        }
    };
    let found = results.__results();
    if found != calls {
        return Err(CallError::Decode(Error::invalid(count_message(
            found, calls,
        ))));
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_struct_of_code_and_string_is_an_unwrapped_fault() {
        let fault: Value = [
            ("faultCode", Value::Int(1)),
            ("faultString", Value::from("UNKNOWN_METHOD")),
        ]
        .into_iter()
        .collect::<crate::value::Struct>()
        .into();
        assert_eq!(
            as_fault(&fault),
            Some(Fault::new_unchecked(1, "UNKNOWN_METHOD"))
        );
        let state: Value = [
            ("statecode", Value::Int(1)),
            ("statename", Value::from("RUNNING")),
        ]
        .into_iter()
        .collect::<crate::value::Struct>()
        .into();
        assert_eq!(as_fault(&state), None);
        assert_eq!(as_fault(&Value::Int(18351)), None);
    }

    #[test]
    fn an_unwrapped_value_reads_into_its_type_with_its_place() {
        let values = vec![Value::Int(7), Value::from("seven")];
        let (a, b): (Result<i64, Fault>, Result<String, Fault>) =
            FromMulticall::__from_unwrapped(values.clone()).expect("fits");
        assert_eq!((a, b), (Ok(7), Ok("seven".to_owned())));
        let err = <(Result<i64, Fault>, Result<i64, Fault>)>::__from_unwrapped(values).unwrap_err();
        assert_eq!(err.path(), "[1]");
    }
}
