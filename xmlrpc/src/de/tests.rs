//! The codec's table: each XML-RPC type and each Rust type, read and written, errors too.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::base64::Base64;
use crate::datetime::DateTime;
use crate::error::Error;
use crate::fault::Fault;
use crate::ser::Serializer;
use crate::ser::dialect::Dialect;
use crate::value::{Struct, Value};

fn v(inner: &str) -> String {
    format!("<value>{inner}</value>")
}

/// Reads `xml` as `T` and checks the result.
#[track_caller]
fn reads<'de, T: Deserialize<'de> + PartialEq + std::fmt::Debug>(xml: &'de str, expected: T) {
    let got: T = crate::de::from_str(xml).unwrap_or_else(|e| panic!("{xml}: {e}"));
    assert_eq!(got, expected, "{xml}");
}

/// Reading `xml` as `T` fails with `message`.
#[track_caller]
fn fails<'de, T: Deserialize<'de> + std::fmt::Debug>(xml: &'de str, message: &str) -> Error {
    let err = crate::de::from_str::<T>(xml).expect_err(xml);
    assert_eq!(err.to_string(), message, "{xml}");
    err
}

/// Writes `value` and checks the text, then reads it back.
#[track_caller]
fn writes<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(
    value: T,
    xml: &str,
) {
    assert_eq!(crate::ser::to_string(&value).unwrap(), xml);
    let back: T = crate::de::from_str(xml).unwrap();
    assert_eq!(back, value);
}

macro_rules! table {
    ($($name:ident => $body:block)*) => {$(
        #[test]
        fn $name() $body
    )*};
}

table! {
    int_reads_from_every_spelling => {
        reads(&v("<int>42</int>"), 42i32);
        reads(&v("<i4>-7</i4>"), -7i32);
        reads(&v("<i1>5</i1>"), 5i8);
        reads(&v("<i2>300</i2>"), 300i16);
        reads(&v("<int> +12 </int>"), 12u8);
        reads(&v("<int>2147483647</int>"), i32::MAX);
        reads(&v("<int>-2147483648</int>"), Value::Int(i32::MIN));
    }
    int_writes_by_width => {
        writes(7i8, &v("<int>7</int>"));
        writes(-300i16, &v("<int>-300</int>"));
        writes(i32::MIN, &v("<int>-2147483648</int>"));
        writes(255u8, &v("<int>255</int>"));
        writes(65535u16, &v("<int>65535</int>"));
        writes(5i64, &v("<int>5</int>"));
        writes(3_000_000_000u32, &v("<i8>3000000000</i8>"));
        writes(i64::MIN, &v("<i8>-9223372036854775808</i8>"));
        writes(i64::MAX as u64, &v("<i8>9223372036854775807</i8>"));
    }
    int_errors => {
        fails::<u8>(&v("<int>300</int>"), "invalid value: integer `300`, expected u8 (line 1, column 1)");
        fails::<i32>(&v("<int>12x</int>"), "invalid int value \"12x\" (line 1, column 1)");
        fails::<i32>(&v("<string>12</string>"), "expected int, found string (line 1, column 1)");
        fails::<u32>(&v("<int>-1</int>"), "invalid value: integer `-1`, expected u32 (line 1, column 1)");
        let err = crate::ser::to_string(&u64::MAX).unwrap_err();
        assert_eq!(err.to_string(), "integer 18446744073709551615 is beyond the 64 bits that XML-RPC's i8 can carry");
    }
    i8_reads_every_spelling => {
        reads(&v("<i8>5000000000</i8>"), 5_000_000_000i64);
        reads(&v("<ex:i8>-5000000000</ex:i8>"), -5_000_000_000i64);
        reads(&v("<foo:i8>1</foo:i8>"), Value::I8(1));
        reads(&v("<biginteger>123</biginteger>"), 123u64);
        reads(&v("<int>5000000000</int>"), Value::I8(5_000_000_000));
        fails::<i64>(&v("<biginteger>99999999999999999999</biginteger>"),
            "biginteger value 99999999999999999999 does not fit in 64 bits (line 1, column 1)");
        fails::<i32>(&v("<i8>5000000000</i8>"),
            "invalid value: integer `5000000000`, expected i32 (line 1, column 1)");
    }
    i8_dialects => {
        let write = |dialect: Dialect| {
            let mut ser = Serializer::with_dialect(Vec::new(), dialect);
            (5_000_000_000i64, Value::I8(1)).serialize(&mut ser).map(|()| String::from_utf8(ser.into_inner()).unwrap())
        };
        let arr = |a: &str, b: &str| v(&format!("<array><data>{}{}</data></array>", v(a), v(b)));
        assert_eq!(write(Dialect::new()).unwrap(), arr("<i8>5000000000</i8>", "<i8>1</i8>"));
        assert_eq!(write(Dialect::apache()).unwrap(), arr("<ex:i8>5000000000</ex:i8>", "<ex:i8>1</ex:i8>"));
        assert_eq!(write(Dialect::strict()).unwrap_err().to_string(),
            "integer 5000000000 does not fit in 32 bits, and the dialect has no i8 at [0]");
    }
    boolean => {
        writes(true, &v("<boolean>1</boolean>"));
        writes(false, &v("<boolean>0</boolean>"));
        reads(&v("<boolean> 1 </boolean>"), true);
        fails::<bool>(&v("<boolean>true</boolean>"), "invalid boolean value \"true\" (line 1, column 1)");
        fails::<bool>(&v("<boolean>2</boolean>"), "invalid boolean value \"2\" (line 1, column 1)");
        fails::<bool>(&v("<int>1</int>"), "expected boolean, found int (line 1, column 1)");
    }
    string_reads_typed_untyped_and_empty => {
        reads(&v("<string>hello</string>"), "hello".to_owned());
        reads(&v("untyped text"), "untyped text".to_owned());
        reads(&v("  spaces kept  "), "  spaces kept  ".to_owned());
        reads("<value/>", String::new());
        reads(&v(""), String::new());
        reads(&v("<string/>"), String::new());
        reads(&v("<string></string>"), String::new());
        reads(&v("<string>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;</string>"), "<a> & \"b\" 'c'".to_owned());
        reads(&v("<string>&#233;&#x20AC;&#128512;</string>"), "é€😀".to_owned());
        reads(&v("<string><![CDATA[<raw> & ]]></string>"), "<raw> & ".to_owned());
        reads(&v("<string>a\r\nb</string>"), "a\nb".to_owned());
        reads(&v("<string>a&#13;b</string>"), "a\rb".to_owned());
        reads(&v("<string>x</string>"), 'x');
    }
    string_borrows_when_nothing_needs_unescaping => {
        let xml = v("<string>plain</string>");
        let s: &str = crate::de::from_str(&xml).unwrap();
        assert_eq!(s, "plain");
        let escaped = v("<string>a&amp;b</string>");
        let err = crate::de::from_str::<&str>(&escaped).unwrap_err();
        assert!(err.to_string().contains("borrowed string"), "{err}");
    }
    string_writes_exactly => {
        writes("a<b>&c".to_owned(), &v("<string>a&lt;b&gt;&amp;c</string>"));
        writes("line\r\nbreak\ttab".to_owned(), &v("<string>line&#13;\nbreak\ttab</string>"));
        writes("\u{7f}\u{85}\u{fffd}".to_owned(), &v("<string>\u{7f}\u{85}\u{fffd}</string>"));
        writes("]]>".to_owned(), &v("<string>]]&gt;</string>"));
        writes('é', &v("<string>é</string>"));
        writes("日本語 😀".to_owned(), &v("<string>日本語 😀</string>"));
    }
    string_forbidden_characters => {
        // XML 1.0 has no room for C0 controls but tab, LF and CR, nor for U+FFFE and U+FFFF:
        // refused when writing, with the value's path, and when reading, raw or as references.
        for c in ['\u{1}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
            let err = crate::ser::to_string(&vec![format!("a{c}")]).unwrap_err();
            assert_eq!(err.path(), "[0]");
            assert_eq!(err.fault_code(), Fault::INTERNAL_ERROR);
            let reference = format!("&#{};", u32::from(c));
            let err = fails::<String>(&v(&format!("<string>{reference}</string>")),
                &format!("invalid character: invalid character reference `{reference}` (line 1, column 16)"));
            assert_eq!(err.fault_code(), Fault::INVALID_CHARACTER);
            let raw = v(&format!("<string>{c}</string>"));
            let err = crate::de::from_str::<String>(&raw).unwrap_err();
            assert_eq!(err.to_string(), format!("invalid character: U+{:04X} is not allowed in XML (line 1, column 16)", u32::from(c)));
            assert_eq!(err.fault_code(), Fault::INVALID_CHARACTER);
        }
        let lenient = Dialect::new().with_forbidden_chars(crate::ser::dialect::ForbiddenChars::Reference);
        let mut ser = Serializer::with_dialect(Vec::new(), lenient);
        "\u{1}\u{1f}".serialize(&mut ser).unwrap();
        assert_eq!(ser.into_inner(), v("<string>&#1;&#31;</string>").as_bytes());
    }
    string_errors => {
        fails::<String>(&v("<int>1</int>"), "expected string, found int (line 1, column 1)");
        fails::<char>(&v("<string>ab</string>"), "invalid value: string \"ab\", expected a character (line 1, column 1)");
        fails::<String>(&v("<string>a & b</string>"),
            "`&` that does not start a reference (write `&amp;`) (line 1, column 18)");
        fails::<String>(&v("<string>&nbsp;</string>"),
            "unknown entity `&nbsp;` (only the five predefined entities exist without a DTD) (line 1, column 16)");
    }
    double => {
        writes(2.5f64, &v("<double>2.5</double>"));
        writes(-0.125f64, &v("<double>-0.125</double>"));
        writes(1e21f64, &v("<double>1000000000000000000000.0</double>"));
        writes(1.5f32, &v("<double>1.5</double>"));
        reads(&v("<double>1e-3</double>"), 0.001f64);
        reads(&v("<double> -7 </double>"), -7.0f64);
        reads(&v("<float>0.5</float>"), 0.5f64);
        reads(&v("<int>3</int>"), 3.0f64);
        fails::<f64>(&v("<double>inf</double>"), "invalid double value \"inf\" (line 1, column 1)");
        fails::<f64>(&v("<double>nan</double>"), "invalid double value \"nan\" (line 1, column 1)");
        fails::<f64>(&v("<string>1.5</string>"), "expected double, found string (line 1, column 1)");
        assert_eq!(crate::ser::to_string(&f64::NAN).unwrap_err().to_string(), "XML-RPC doubles are finite; cannot send NaN");
        assert!(crate::ser::to_string(&f64::INFINITY).is_err());
    }
    datetime => {
        let dt = DateTime::from_ymd_hms(1998, 7, 17, 14, 8, 55).unwrap();
        writes(dt, &v("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>"));
        reads(&v("<dateTime.iso8601>1998-07-17T14:08:55</dateTime.iso8601>"), dt);
        reads(&v("<ex:dateTime.iso8601>19980717T14:08:55</ex:dateTime.iso8601>"), dt);
        reads(&v("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>"), "19980717T14:08:55".to_owned());
        reads(&v("<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>"), Value::DateTime(dt));
        fails::<DateTime>(&v("<dateTime.iso8601>yesterday</dateTime.iso8601>"),
            "invalid dateTime.iso8601 value \"yesterday\" (line 1, column 1)");
        fails::<DateTime>(&v("<int>1</int>"), "expected dateTime.iso8601, found int (line 1, column 1)");
    }
    chrono_fields => {
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
            naive: DateTime::from_ymd_hms(2024, 1, 1, 0, 0, 0).unwrap().into(),
            utc: DateTime::from_ymd_hms(2024, 1, 1, 0, 0, 0).unwrap().into(),
            maybe: None,
        };
        let xml = crate::ser::to_string(&t).unwrap();
        assert_eq!(xml.matches("<dateTime.iso8601>20240101T00:00:00</dateTime.iso8601>").count(), 2);
        assert_eq!(crate::de::from_str::<Times>(&xml).unwrap(), t);
    }
    base64 => {
        writes(Base64(b"hello".to_vec()), &v("<base64>aGVsbG8=</base64>"));
        writes(Base64(Vec::new()), &v("<base64></base64>"));
        reads(&v("<base64>aGVs\nbG8=\n</base64>"), Base64(b"hello".to_vec()));
        reads(&v("<base64/>"), Base64(Vec::new()));
        reads(&v("<base64>aGVsbG8=</base64>"), Value::Base64(b"hello".to_vec()));
        #[derive(Deserialize, Serialize, PartialEq, Debug)]
        struct Blob(#[serde(with = "serde_bytes")] Vec<u8>);
        writes(Blob(vec![0, 255]), &v("<base64>AP8=</base64>"));
        let err = fails::<Base64>(&v("<base64>a*b=</base64>"),
            "invalid base64: Invalid symbol 42, offset 1. (line 1, column 1)");
        assert_eq!(err.fault_code(), Fault::INVALID_PARAMS);
        fails::<Base64>(&v("<string>aGVsbG8=</string>"), "expected base64, found string (line 1, column 1)");
    }
    nil_and_option => {
        writes(None::<i32>, &v("<nil/>"));
        writes(Some(3), &v("<int>3</int>"));
        writes((), &v("<nil/>"));
        reads(&v("<ex:nil/>"), None::<String>);
        reads(&v("<nil></nil>"), None::<String>);
        reads(&v("<string>x</string>"), Some("x".to_owned()));
        reads(&v("<nil/>"), Value::Nil);
        fails::<i32>(&v("<nil/>"), "expected int, found nil (line 1, column 1)");
        let mut ser = Serializer::with_dialect(Vec::new(), Dialect::strict());
        assert_eq!(None::<i32>.serialize(&mut ser).unwrap_err().to_string(),
            "cannot send None: nil is not allowed (the dialect has no nil)");
        let mut ser = Serializer::with_dialect(Vec::new(), Dialect::apache());
        None::<i32>.serialize(&mut ser).unwrap();
        assert_eq!(ser.into_inner(), v("<ex:nil/>").as_bytes());
    }
    arrays_and_tuples => {
        writes(vec![1, 2], &v("<array><data><value><int>1</int></value><value><int>2</int></value></data></array>"));
        writes(Vec::<i32>::new(), &v("<array><data></data></array>"));
        writes((1, "a".to_owned()), &v("<array><data><value><int>1</int></value><value><string>a</string></value></data></array>"));
        reads(&v("<array><data/></array>"), Vec::<i32>::new());
        reads(&v("<array/>"), Vec::<i32>::new());
        reads(&v("<array>\n<data>\n<value><i4>1</i4></value>\n</data>\n</array>"), vec![1u8]);
        reads(&v("<array><data><value>x</value><value><int>2</int></value></data></array>"),
            Value::Array(vec![Value::from("x"), Value::Int(2)]));
        reads(&v("<array><data><value><int>1</int></value></data></array>"), std::collections::BTreeSet::from([1]));
        fails::<(i32, i32)>(&v("<array><data><value><int>1</int></value><value><int>2</int></value><value><int>3</int></value></data></array>"),
            "array has more than the 2 elements expected (line 1, column 75)");
        fails::<(i32, i32)>(&v("<array><data><value><int>1</int></value></data></array>"),
            "invalid length 1, expected a tuple of size 2 (line 1, column 1)");
        fails::<Vec<i32>>(&v("<struct></struct>"), "expected array, found struct (line 1, column 1)");
    }
    structs_and_maps => {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct P { x: i32, #[serde(rename = "Label")] label: String, #[serde(default)] extra: Vec<i32>, missing: Option<bool> }
        let p = P { x: 1, label: "l".into(), extra: vec![], missing: None };
        let xml = crate::ser::to_string(&p).unwrap();
        assert_eq!(xml, v("<struct><member><name>x</name><value><int>1</int></value></member>\
            <member><name>Label</name><value><string>l</string></value></member>\
            <member><name>extra</name><value><array><data></data></array></value></member>\
            <member><name>missing</name><value><nil/></value></member></struct>"));
        reads(&v("<struct><member><name>Label</name><value>l</value></member>\
            <member><name>ignored</name><value><struct><member><name>deep</name><value><array><data><value>1</value></data></array></value></member></struct></value></member>\
            <member><name>x</name><value><int>1</int></value></member></struct>"), p);
        let mut m = BTreeMap::new();
        m.insert("b".to_owned(), 2);
        m.insert("a".to_owned(), 1);
        writes(m, &v("<struct><member><name>a</name><value><int>1</int></value></member><member><name>b</name><value><int>2</int></value></member></struct>"));
        let mut h: HashMap<u32, bool> = HashMap::new();
        h.insert(7, true);
        writes(h, &v("<struct><member><name>7</name><value><boolean>1</boolean></value></member></struct>"));
        reads(&v("<struct/>"), BTreeMap::<String, i32>::new());
        fails::<P>(&v("<struct><member><name>Label</name><value>l</value></member></struct>"),
            "missing struct member `x` (line 1, column 1)");
        fails::<P>(&v("<array><data/></array>"), "expected struct, found array (line 1, column 1)");
        let err = fails::<HashMap<u32, i32>>(&v("<struct><member><name>seven</name><value><int>1</int></value></member></struct>"),
            "member name \"seven\" is not a valid u32 at seven (line 1, column 1)");
        assert_eq!(err.path(), "seven");
        assert!(crate::ser::to_string(&HashMap::from([(vec![1], 1)])).is_err());
    }
    struct_value_keeps_order_and_duplicates => {
        let xml = v("<struct><member><name>z</name><value><int>1</int></value></member>\
            <member><name>a</name><value><int>2</int></value></member>\
            <member><name>z</name><value><int>3</int></value></member></struct>");
        let value: Value = crate::de::from_str(&xml).unwrap();
        let s = value.as_struct().unwrap();
        assert_eq!(s.keys().collect::<Vec<_>>(), ["z", "a", "z"]);
        assert_eq!(value["z"], Value::Int(3));
        assert_eq!(crate::ser::to_string(&value).unwrap(), xml);
        let built: Struct = [("k", Value::from(1))].into_iter().collect();
        writes(Value::Struct(built), &v("<struct><member><name>k</name><value><int>1</int></value></member></struct>"));
    }
    serde_attributes => {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Inner { a: i32 }
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
        fn seven() -> i32 { 7 }
        let o = Outer { inner: Inner { a: 1 }, note: None, n: 7, when: DateTime::from_ymd_hms(2000, 1, 1, 0, 0, 0) };
        let xml = crate::ser::to_string(&o).unwrap();
        assert!(!xml.contains("note"), "{xml}");
        assert_eq!(crate::de::from_str::<Outer>(&xml).unwrap(), o);
        reads(&v("<struct><member><name>a</name><value><int>1</int></value></member></struct>"),
            Outer { inner: Inner { a: 1 }, note: None, n: 7, when: None });
    }
    enums => {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        enum E { Unit, New(i32), Tuple(i32, String), Struct { x: bool } }
        writes(E::Unit, &v("<string>Unit</string>"));
        writes(E::New(1), &v("<struct><member><name>New</name><value><int>1</int></value></member></struct>"));
        writes(E::Tuple(1, "a".into()), &v("<struct><member><name>Tuple</name><value><array><data><value><int>1</int></value><value><string>a</string></value></data></array></value></member></struct>"));
        writes(E::Struct { x: true }, &v("<struct><member><name>Struct</name><value><struct><member><name>x</name><value><boolean>1</boolean></value></member></struct></value></member></struct>"));
        reads(&v("Unit"), E::Unit);
        fails::<E>(&v("<string>Nope</string>"),
            "unknown variant `Nope`, expected one of Unit, New, Tuple, Struct (line 1, column 1)");
        fails::<E>(&v("<struct><member><name>New</name><value><int>1</int></value></member><member><name>x</name><value>1</value></member></struct>"),
            "an enum variant needs a struct with exactly one member (line 1, column 76)");
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        #[serde(tag = "kind")]
        enum Tagged { A { n: i32 }, B }
        writes(Tagged::A { n: 1 }, &v("<struct><member><name>kind</name><value><string>A</string></value></member><member><name>n</name><value><int>1</int></value></member></struct>"));
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        #[serde(untagged)]
        enum Either { Num(i32), Text(String) }
        reads(&v("<int>1</int>"), Either::Num(1));
        reads(&v("<string>x</string>"), Either::Text("x".into()));
    }
    paths_name_the_bad_value => {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Row { tags: Vec<i32> }
        let xml = v("<array><data><value><struct><member><name>tags</name><value><array><data>\
            <value><int>1</int></value><value><string>x</string></value></data></array></value></member></struct></value></data></array>");
        let err = crate::de::from_str::<Vec<Row>>(&xml).unwrap_err();
        assert_eq!(err.path(), "[0].tags[1]");
        assert_eq!(err.to_string(), "expected int, found string at [0].tags[1] (line 1, column 108)");
        assert_eq!(err.fault_code(), Fault::INVALID_PARAMS);
        let call = crate::message::write::call_to_string("m", &(1, vec![Value::from(1), Value::from("x")])).unwrap();
        let err = crate::message::read::CallReader::from_str(&call).unwrap().params::<(i32, Vec<i32>)>().unwrap_err();
        assert_eq!(err.path(), "params[1][1]");
    }
    documents => {
        let call = crate::message::write::call_to_string("a.b", &()).unwrap();
        assert_eq!(call, "<?xml version=\"1.0\"?><methodCall><methodName>a.b</methodName><params></params></methodCall>");
        let reader = crate::message::read::CallReader::from_str(&call).unwrap();
        assert_eq!(reader.method(), "a.b");
        reader.params::<()>().unwrap();
        for no_params in ["<methodCall><methodName>x</methodName></methodCall>", "<methodCall><methodName>x</methodName><params/></methodCall>"] {
            let c = crate::message::read::call_from_str::<Vec<Value>>(no_params).unwrap();
            assert!(c.params.is_empty());
        }
        let err = crate::message::read::call_from_str::<(i32,)>("<methodCall><methodName>x</methodName><params><param><value><int>1</int></value></param><param><value><int>2</int></value></param></params></methodCall>").unwrap_err();
        assert_eq!(err.to_string(), "too many parameters: expected 1");
        let err = crate::message::read::call_from_str::<()>("<methodResponse/>").unwrap_err();
        assert_eq!(err.fault_code(), Fault::INVALID_REQUEST);
        let err = crate::message::read::call_from_str::<()>("<methodCall><methodName></methodName></methodCall>").unwrap_err();
        assert_eq!(err.to_string(), "the method name is empty");
        let resp = crate::message::read::response_from_str::<Value>("<methodResponse><fault><value><struct>\
            <member><name>faultString</name><value>bad</value></member>\
            <member><name>faultCode</name><value><int>-32601</int></value></member>\
            </struct></value></fault></methodResponse>").unwrap();
        assert_eq!(resp.into_result(), Err(Fault::new_unchecked(-32601, "bad")));
        let err = crate::message::read::response_from_str::<Value>("<methodResponse><fault><value><int>1</int></value></fault></methodResponse>").unwrap_err();
        assert_eq!(err.fault_code(), Fault::INVALID_REQUEST);
        let err = crate::message::read::response_from_str::<i32>("<methodResponse><params><param><value><int>1</int></value></param></params></methodResponse>trailing").unwrap_err();
        assert_eq!(err.to_string(), "unexpected content after the root element (line 1, column 93)");
        let through_reader: crate::message::MethodResponse<i32> = crate::message::read::response_from_reader(&b"<methodResponse><params><param><value><int>1</int></value></param></params></methodResponse>"[..]).unwrap();
        assert_eq!(through_reader, crate::message::MethodResponse::Value(1));
        let mut out = Vec::new();
        crate::message::write::response_to_writer(&mut out, &1).unwrap();
        assert_eq!(out, crate::message::write::response_to_vec(&1).unwrap());
    }
    python_layout_reads => {
        let xml = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n\
            <value><struct>\n<member>\n<name>id</name>\n<value><int>0</int></value>\n</member>\n\
            <member>\n<name>name</name>\n<value><string>user 0 &amp; co</string></value>\n</member>\n\
            </struct></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n";
        #[derive(Deserialize, PartialEq, Debug)]
        struct Item { id: i32, name: String }
        let r: crate::message::MethodResponse<Vec<Item>> = crate::message::read::response_from_str(xml).unwrap();
        assert_eq!(r.into_result().unwrap(), [Item { id: 0, name: "user 0 & co".into() }]);
    }
    comments_and_processing_instructions_are_skipped => {
        reads("<?xml version=\"1.0\"?><!-- c --><?pi x?><value><!-- c --><int>1</int><!-- d --></value><!-- e -->", 1);
    }
    value_everything_round_trips => {
        let value = Value::Array(vec![
            Value::Int(1), Value::I8(2), Value::Bool(true), Value::from("s\r"), Value::Double(0.5),
            Value::DateTime(DateTime::from_ymd_hms(2024, 2, 29, 23, 59, 59).unwrap()),
            Value::Base64(vec![1, 2, 3]), Value::Nil, Value::Array(vec![]), Value::Struct(Struct::new()),
        ]);
        let xml = crate::ser::to_string(&value).unwrap();
        assert_eq!(crate::de::from_str::<Value>(&xml).unwrap(), value);
    }
    limits_hold => {
        use crate::de::Deserializer;
        use crate::xml::limits::Limits;
        let deep = format!("{}{}", "<value><array><data>".repeat(10), "</data></array></value>".repeat(10));
        let mut de = Deserializer::from_str(&deep).with_limits(Limits::default().max_depth(9));
        let err = Value::deserialize(&mut de).unwrap_err();
        assert_eq!(err.fault_code(), Fault::LIMIT_EXCEEDED);
        let mut de = Deserializer::from_str(&deep).with_limits(Limits::default().max_depth(10));
        Value::deserialize(&mut de).unwrap();
        let xml = v("<array><data><value>1</value><value>2</value><value>3</value></data></array>");
        let mut de = Deserializer::from_str(&xml).with_limits(Limits::default().max_elements(2));
        assert_eq!(Value::deserialize(&mut de).unwrap_err().to_string(),
            "array length exceeds the limit of 2 at [2] (line 1, column 53)");
        let mut de = Deserializer::from_str(&xml).with_limits(Limits::default().max_input(10));
        assert_eq!(Value::deserialize(&mut de).unwrap_err().to_string(), "input size exceeds the limit of 10");
        let s = v("<struct><member><name>a</name><value>1</value></member><member><name>b</name><value>1</value></member></struct>");
        let mut de = Deserializer::from_str(&s).with_limits(Limits::default().max_members(1));
        assert_eq!(Value::deserialize(&mut de).unwrap_err().to_string(),
            "struct size exceeds the limit of 1 (line 1, column 63)");
    }
    doctype_is_refused => {
        let err = fails::<String>("<?xml version=\"1.0\"?><!DOCTYPE v [<!ENTITY a \"b\">]><value>&a;</value>",
            "DOCTYPE declarations are not allowed (no entity expansion, no external entities) (line 1, column 22)");
        assert_eq!(err.fault_code(), Fault::PARSE_ERROR);
    }
}
