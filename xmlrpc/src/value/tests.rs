//! `Value`'s own behaviour, and `Value` as a serde data format: every shape of the codec's
//! table (`de/tests.rs`) through `to_value` and `from_value`, which must give what the XML
//! route gives, errors and their paths included.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::*;
use crate::base64::Base64;
use crate::fault::Fault;
use crate::value::{from_value, from_value_ref, to_value};
#[test]
fn conversions_pick_the_narrowest_type() {
    assert_eq!(Value::from(5i64), Value::Int(5));
    assert_eq!(Value::from(5_000_000_000i64), Value::I8(5_000_000_000));
    assert_eq!(
        Value::try_from(u64::MAX).unwrap_err().to_string(),
        "integer 18446744073709551615 is beyond the 64 bits that XML-RPC's i8 can carry"
    );
    assert_eq!(Value::from(None::<i32>), Value::Nil);
    assert_eq!(
        i32::try_from(Value::from("x")).unwrap_err().to_string(),
        "expected int, found string"
    );
}

#[test]
fn display_reads_like_the_value() {
    let v: Value = vec![
        Value::from(1),
        Value::from("a\"b"),
        Value::from(2.5),
        Value::Nil,
        Value::from(&b"\x00\x01"[..]),
        Value::Struct([("k", true)].into_iter().collect()),
    ]
    .into();
    assert_eq!(
        v.to_string(),
        r#"[1, "a\"b", 2.5, nil, base64:AAE=, {k: true}]"#
    );
}

#[test]
fn struct_keeps_order_and_last_duplicate_wins() {
    let mut s = Struct::new();
    s.push("a", 1);
    s.push("b", 2);
    s.push("a", 3);
    assert_eq!(s.get("a"), Some(&Value::Int(3)));
    assert_eq!(s.keys().collect::<Vec<_>>(), ["a", "b", "a"]);
    assert_eq!(s.remove("a"), Some(Value::Int(3)));
    assert_eq!(s.len(), 1);
}

/// `x` as a `Value` is what the XML route makes of it, and comes back as `x`, owned and
/// borrowed.
#[track_caller]
fn same_as_xml<T: Serialize + DeserializeOwned + PartialEq + Debug>(x: T) -> Value {
    let v = to_value(&x).unwrap_or_else(|e| panic!("{x:?}: {e}"));
    let xml = crate::ser::to_string(&x).unwrap();
    let via_xml: Value = crate::de::from_str(&xml).unwrap();
    assert_eq!(v, via_xml, "{xml}");
    assert_eq!(from_value::<T>(v.clone()).unwrap(), x);
    assert_eq!(from_value_ref::<T>(&v).unwrap(), x);
    assert_eq!(T::deserialize(&v).unwrap(), x);
    v
}

/// Reading `v` as `T` fails with `message`, as reading its XML does (less the position),
/// with the same path and fault code.
#[track_caller]
fn fails_like_xml<T: DeserializeOwned + Debug>(v: Value, message: &str) -> crate::error::Error {
    let err = from_value::<T>(v.clone()).unwrap_err();
    assert_eq!(err.to_string(), message);
    let xml = crate::ser::to_string(&v).unwrap();
    let via_xml = crate::de::from_str::<T>(&xml).unwrap_err();
    assert_eq!(err.path(), via_xml.path(), "{xml}");
    assert_eq!(err.fault_code(), via_xml.fault_code(), "{xml}");
    let shown = via_xml.to_string();
    let without_position = shown
        .rsplit_once(" (line")
        .map_or(shown.as_str(), |(m, _)| m);
    assert_eq!(without_position, message, "{xml}");
    err
}

fn s(members: &[(&str, Value)]) -> Value {
    Value::Struct(members.iter().map(|(k, v)| (*k, v.clone())).collect())
}

#[test]
fn integers_by_width() {
    assert_eq!(same_as_xml(7i8), Value::Int(7));
    assert_eq!(same_as_xml(-300i16), Value::Int(-300));
    assert_eq!(same_as_xml(i32::MIN), Value::Int(i32::MIN));
    assert_eq!(same_as_xml(255u8), Value::Int(255));
    assert_eq!(same_as_xml(65535u16), Value::Int(65535));
    assert_eq!(same_as_xml(5i64), Value::Int(5));
    assert_eq!(same_as_xml(3_000_000_000u32), Value::I8(3_000_000_000));
    assert_eq!(same_as_xml(i64::MIN), Value::I8(i64::MIN));
    assert_eq!(same_as_xml(i64::MAX as u64), Value::I8(i64::MAX));
    // A `Value::I8` keeps its type, whatever its size.
    assert_eq!(to_value(&Value::I8(1)).unwrap(), Value::I8(1));
    assert_eq!(from_value::<i16>(Value::I8(-2)).unwrap(), -2);
    assert_eq!(
        to_value(&u64::MAX).unwrap_err().to_string(),
        "integer 18446744073709551615 is beyond the 64 bits that XML-RPC's i8 can carry"
    );
    fails_like_xml::<u8>(Value::Int(300), "invalid value: integer `300`, expected u8");
    fails_like_xml::<u32>(Value::Int(-1), "invalid value: integer `-1`, expected u32");
    fails_like_xml::<i32>(
        Value::I8(5_000_000_000),
        "invalid value: integer `5000000000`, expected i32",
    );
    fails_like_xml::<i32>(Value::from("12"), "expected int, found string");
    fails_like_xml::<i32>(Value::Nil, "expected int, found nil");
}

#[test]
fn booleans_doubles_and_strings() {
    assert_eq!(same_as_xml(true), Value::Bool(true));
    fails_like_xml::<bool>(Value::Int(1), "expected boolean, found int");
    assert_eq!(same_as_xml(-0.125f64), Value::Double(-0.125));
    assert_eq!(same_as_xml(1.5f32), Value::Double(1.5));
    assert_eq!(from_value::<f64>(Value::Int(3)).unwrap(), 3.0);
    fails_like_xml::<f64>(Value::from("1.5"), "expected double, found string");
    assert_eq!(
        to_value(&f64::NAN).unwrap_err().to_string(),
        "XML-RPC doubles are finite; cannot send NaN"
    );
    assert_eq!(
        same_as_xml("a<b>&c\r\n".to_owned()),
        Value::from("a<b>&c\r\n")
    );
    assert_eq!(same_as_xml('é'), Value::from("é"));
    fails_like_xml::<char>(
        Value::from("ab"),
        "invalid value: string \"ab\", expected a character",
    );
    fails_like_xml::<String>(Value::Int(1), "expected string, found int");
    // Borrowed where the target borrows.
    let v = Value::from("plain");
    let borrowed: &str = from_value_ref(&v).unwrap();
    assert_eq!(borrowed, "plain");
}

#[test]
fn datetimes_and_chrono() {
    let dt = DateTime::from_ymd_hms(1998, 7, 17, 14, 8, 55).unwrap();
    assert_eq!(same_as_xml(dt), Value::DateTime(dt));
    // A date-time is text for those who want it raw, as in XML.
    assert_eq!(
        from_value::<String>(Value::DateTime(dt)).unwrap(),
        "19980717T14:08:55"
    );
    assert_eq!(
        from_value::<DateTime>(Value::from("1998-07-17T14:08:55")).unwrap(),
        dt
    );
    fails_like_xml::<DateTime>(Value::Int(1), "expected dateTime.iso8601, found int");
    // An offset and a fraction survive a Value, not the wire: `to_value` writes what the
    // XML writer writes.
    let zoned: DateTime = "1998-07-17T16:08:55.25+02:00".parse().unwrap();
    assert_eq!(
        from_value::<Value>(Value::DateTime(zoned)).unwrap(),
        Value::DateTime(zoned)
    );
    assert_eq!(to_value(&zoned).unwrap(), Value::DateTime(dt));
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Times {
        #[serde(with = "crate::datetime::naive")]
        naive: chrono::NaiveDateTime,
        #[serde(with = "crate::datetime::utc")]
        utc: chrono::DateTime<chrono::Utc>,
        #[serde(with = "crate::datetime::naive::option", default)]
        maybe: Option<chrono::NaiveDateTime>,
    }
    let t = Times {
        naive: dt.into(),
        utc: dt.into(),
        maybe: None,
    };
    let v = same_as_xml(t);
    assert_eq!(v["naive"], Value::DateTime(dt));
    let year_zero = DateTime::from_ymd_hms(-1, 1, 1, 0, 0, 0).unwrap();
    assert!(
        to_value(&year_zero)
            .unwrap_err()
            .to_string()
            .contains("year")
    );
}

#[test]
fn base64_nil_and_options() {
    assert_eq!(
        same_as_xml(Base64(b"hello".to_vec())),
        Value::Base64(b"hello".to_vec())
    );
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Blob(#[serde(with = "serde_bytes")] Vec<u8>);
    assert_eq!(same_as_xml(Blob(vec![0, 255])), Value::Base64(vec![0, 255]));
    let v = Value::Base64(vec![1, 2]);
    let bytes: &[u8] = serde_bytes::deserialize(&v).unwrap();
    assert_eq!(bytes, [1, 2]);
    fails_like_xml::<Base64>(Value::from("aGVsbG8="), "expected base64, found string");
    assert_eq!(same_as_xml(None::<i32>), Value::Nil);
    assert_eq!(same_as_xml(Some(3)), Value::Int(3));
    assert_eq!(same_as_xml(()), Value::Nil);
    fails_like_xml::<i32>(Value::Nil, "expected int, found nil");
}

#[test]
fn arrays_tuples_and_sets() {
    assert_eq!(same_as_xml(vec![1, 2]), Value::from(vec![1, 2]));
    assert_eq!(same_as_xml(Vec::<i32>::new()), Value::Array(Vec::new()));
    assert_eq!(
        same_as_xml((1, "a".to_owned())),
        Value::Array(vec![Value::Int(1), Value::from("a")])
    );
    same_as_xml(BTreeSet::from([1, 5]));
    fails_like_xml::<(i32, i32)>(
        Value::from(vec![1, 2, 3]),
        "array has more than the 2 elements expected",
    );
    fails_like_xml::<(i32, i32)>(
        Value::from(vec![1]),
        "invalid length 1, expected a tuple of size 2",
    );
    fails_like_xml::<Vec<i32>>(Value::Struct(Struct::new()), "expected array, found struct");
}

#[test]
fn structs_and_maps() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct P {
        x: i32,
        #[serde(rename = "Label")]
        label: String,
        #[serde(default)]
        extra: Vec<i32>,
        missing: Option<bool>,
    }
    let p = P {
        x: 1,
        label: "l".into(),
        extra: vec![],
        missing: None,
    };
    let v = same_as_xml(p);
    assert_eq!(
        v.as_struct().unwrap().keys().collect::<Vec<_>>(),
        ["x", "Label", "extra", "missing"]
    );
    // Unknown members are skipped, a missing `Option` is `None`.
    let read: P = from_value(s(&[
        ("Label", Value::from("l")),
        ("ignored", s(&[("deep", Value::from(vec![1]))])),
        ("x", Value::Int(1)),
    ]))
    .unwrap();
    assert_eq!(
        read,
        P {
            x: 1,
            label: "l".into(),
            extra: vec![],
            missing: None
        }
    );
    fails_like_xml::<P>(
        s(&[("Label", Value::from("l"))]),
        "missing struct member `x`",
    );
    fails_like_xml::<P>(Value::Array(vec![]), "expected struct, found array");
    same_as_xml(BTreeMap::from([("b".to_owned(), 2), ("a".to_owned(), 1)]));
    let v = same_as_xml(HashMap::from([(7u32, true)]));
    assert_eq!(v, s(&[("7", Value::Bool(true))]));
    let err = fails_like_xml::<HashMap<u32, i32>>(
        s(&[("seven", Value::Int(1))]),
        "member name \"seven\" is not a valid u32 at seven",
    );
    assert_eq!(err.path(), "seven");
    assert_eq!(
        to_value(&HashMap::from([(vec![1], 1)]))
            .unwrap_err()
            .to_string(),
        "struct member names must be strings, numbers, booleans or unit variants"
    );
    // Order and duplicates are kept; lookups find the last.
    let dup = s(&[
        ("z", Value::Int(1)),
        ("a", Value::Int(2)),
        ("z", Value::Int(3)),
    ]);
    assert_eq!(from_value::<Value>(dup.clone()).unwrap(), dup);
    assert_eq!(to_value(&dup).unwrap(), dup);
}

#[test]
fn serde_attributes() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Inner {
        a: i32,
    }
    fn seven() -> i32 {
        7
    }
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Outer {
        #[serde(flatten)]
        inner: Inner,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(default = "seven")]
        n: i32,
        when: Option<DateTime>,
    }
    let o = Outer {
        inner: Inner { a: 1 },
        note: None,
        n: 7,
        when: DateTime::from_ymd_hms(2000, 1, 1, 0, 0, 0),
    };
    let v = same_as_xml(o);
    assert!(v.get("note").is_none());
    let read: Outer = from_value(s(&[("a", Value::Int(1))])).unwrap();
    assert_eq!(
        read,
        Outer {
            inner: Inner { a: 1 },
            note: None,
            n: 7,
            when: None
        }
    );
}

#[test]
fn enums_of_every_shape() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    enum E {
        Unit,
        New(i32),
        Tuple(i32, String),
        Struct { x: bool },
    }
    assert_eq!(same_as_xml(E::Unit), Value::from("Unit"));
    assert_eq!(same_as_xml(E::New(1)), s(&[("New", Value::Int(1))]));
    assert_eq!(
        same_as_xml(E::Tuple(1, "a".into())),
        s(&[("Tuple", Value::Array(vec![Value::Int(1), Value::from("a")]))])
    );
    assert_eq!(
        same_as_xml(E::Struct { x: true }),
        s(&[("Struct", s(&[("x", Value::Bool(true))]))])
    );
    fails_like_xml::<E>(
        Value::from("Nope"),
        "unknown variant `Nope`, expected one of Unit, New, Tuple, Struct",
    );
    let err = from_value::<E>(s(&[("New", Value::Int(1)), ("x", Value::Int(1))])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "an enum variant needs a struct with exactly one member"
    );
    let err = from_value::<E>(s(&[(
        "Tuple",
        Value::Array(vec![Value::Int(1), Value::Int(2)]),
    )]))
    .unwrap_err();
    assert_eq!(err.path(), "Tuple[1]");
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    #[serde(tag = "kind")]
    enum Tagged {
        A { n: i32 },
        B,
    }
    same_as_xml(Tagged::A { n: 1 });
    same_as_xml(Tagged::B);
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    #[serde(untagged)]
    enum Either {
        Num(i32),
        Text(String),
    }
    same_as_xml(Either::Num(1));
    same_as_xml(Either::Text("x".into()));
}

#[test]
fn paths_name_the_bad_value() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Row {
        tags: Vec<i32>,
    }
    let v = Value::Array(vec![s(&[(
        "tags",
        Value::Array(vec![Value::Int(1), Value::from("x")]),
    )])]);
    let err = fails_like_xml::<Vec<Row>>(v, "expected int, found string at [0].tags[1]");
    assert_eq!(err.path(), "[0].tags[1]");
    assert_eq!(err.fault_code(), Fault::INVALID_PARAMS);
    // Writing names the path too.
    #[derive(Serialize)]
    struct Bad {
        list: Vec<f64>,
    }
    let err = to_value(&Bad {
        list: vec![1.0, f64::INFINITY],
    })
    .unwrap_err();
    assert_eq!(err.path(), "list[1]");
    assert_eq!(
        crate::ser::to_vec(&Bad {
            list: vec![1.0, f64::INFINITY]
        })
        .unwrap_err()
        .path(),
        "list[1]"
    );
}

#[test]
fn every_value_round_trips() {
    let value = Value::Array(vec![
        Value::Int(1),
        Value::I8(2),
        Value::Bool(true),
        Value::from("s\r"),
        Value::Double(0.5),
        Value::DateTime(DateTime::from_ymd_hms(2024, 2, 29, 23, 59, 59).unwrap()),
        Value::Base64(vec![1, 2, 3]),
        Value::Nil,
        Value::Array(vec![]),
        Value::Struct(Struct::new()),
    ]);
    assert_eq!(same_as_xml(value.clone()), value);
}
