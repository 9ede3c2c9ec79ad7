//! Interoperability with CPython's `xmlrpc.client`, the reference peer most servers and
//! clients are tested against.
//!
//! Two directions:
//! - Python writes (`xmlrpc.client.dumps`), we read: one `python3` run produces every
//!   document, and each test decodes some of them into typed Rust values and into
//!   [`Value`], asserting the exact result.
//! - We write, Python reads (`xmlrpc.client.loads`, with and without
//!   `use_builtin_types`): each test sends a batch of our documents to one `python3` run
//!   together with the Python value every document must load as; Python compares strictly
//!   (types, order of struct members, float signs) and the test asserts every verdict.
//!
//! `python3` is required: without it these tests fail with a message saying so.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use xmlrpc::{
    Base64, CallReader, DateTime, Dialect, ErrorKind, Fault, MethodCall, MethodResponse,
    Serializer, Struct, Value,
};
use xmlrpc_tests::python;

// ---------------------------------------------------------------------------------------
// Python writes, we read.
// ---------------------------------------------------------------------------------------

/// Every document Python writes for the reading tests, printed as `name hex` lines.
const PYTHON_WRITES: &str = r#"
import datetime, sys
import xmlrpc.client as x

def resp(value, **kw):
    return x.dumps((value,), methodresponse=True, **kw)

cases = {
    'ints': resp([0, -1, 2**31 - 1, -2**31]),
    'booleans': resp([True, False]),
    'doubles': resp([0.1, -1.5e300, 1e-300, 2.5]),
    'unicode': resp(['\U0001F600 smile', '\u6f22\u5b57\u304b\u306a',
                     'e\u0301 a\u0308', '\U0001F469\u200D\U0001F4BB']),
    'escapes': resp('<a href="x">&amp; \'q\'</a> ]]> >'),
    'controls': resp(['tab\there', 'line\nfeed', 'cr\rhere', 'crlf\r\nhere']),
    'datetimes': resp([x.DateTime('19980717T14:08:55'),
                       datetime.datetime(2024, 2, 29, 23, 59, 58, 987654),
                       datetime.datetime(1, 1, 1)]),
    'binary': resp([x.Binary(bytes(range(256))), x.Binary(b''), x.Binary(b'\x00\xff')]),
    'nested': resp({'name': 'widget', 'size': {'w': 3, 'h': 4.5},
                    'tags': ['a', ['b', {'c': None}]], 'ok': True,
                    'when': x.DateTime('20010203T04:05:06'), 'blob': x.Binary(b'\x00\x01')},
                   allow_none=True),
    'empties': resp([{}, [], '']),
    'nil': resp(None, allow_none=True),
    'fault': x.dumps(x.Fault(4, 'Too many parameters.')),
    'fault_reserved': x.dumps(x.Fault(-32601, 'no such method <x> & "y"')),
    'call': x.dumps((1, 'two', 3.0, [4, 5], {'six': 6}, True, x.Binary(b'seven'),
                     x.DateTime('20000101T00:00:00')), methodname='demo.sum_all'),
    'call_empty': x.dumps((), methodname='system.listMethods'),
    'latin1': resp('caf\xe9, \xf1and\xfa, Gr\xfc\xdfe, 5\u20ac', encoding='iso-8859-1')
        .encode('iso-8859-1', 'xmlcharrefreplace'),
}
for name, doc in cases.items():
    if isinstance(doc, str):
        doc = doc.encode('utf-8')
    print(name, doc.hex())
"#;

/// The documents of [`PYTHON_WRITES`], by name; Python runs once for all tests.
fn written(name: &str) -> &'static [u8] {
    static DOCS: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    let docs = DOCS.get_or_init(|| {
        python::run(PYTHON_WRITES, b"")
            .lines()
            .map(|line| {
                let (name, hex) = line.split_once(' ').expect("`name hex` lines");
                (name.to_owned(), python::unhex(hex))
            })
            .collect()
    });
    docs.get(name).unwrap_or_else(|| {
        panic!(
            "python wrote no document {name:?}; it wrote {:?}",
            docs.keys()
        )
    })
}

/// The value of a response document, which must not be a fault.
#[track_caller]
fn read<'de, T: Deserialize<'de>>(doc: &'de [u8]) -> T {
    match xmlrpc::response_from_slice::<T>(doc) {
        Ok(MethodResponse::Value(v)) => v,
        Ok(MethodResponse::Fault(f)) => panic!("unexpected fault {f}"),
        Err(e) => panic!("cannot read {:?}: {e}", String::from_utf8_lossy(doc)),
    }
}

fn text(doc: &[u8]) -> &str {
    std::str::from_utf8(doc).expect("a UTF-8 document")
}

fn array(items: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(items.into_iter().collect())
}

fn members<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Struct(members.into_iter().collect())
}

fn date(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime {
    DateTime::from_ymd_hms(y, mo, d, h, mi, s).expect("a valid date")
}

#[test]
fn reads_python_ints() {
    let doc = written("ints");
    assert!(text(doc).contains("<int>2147483647</int>"), "{}", text(doc));
    let expected = [0, -1, i32::MAX, i32::MIN];
    assert_eq!(read::<Vec<i32>>(doc), expected);
    assert_eq!(
        read::<(i64, i64, i64, i64)>(doc),
        (0, -1, i32::MAX.into(), i32::MIN.into())
    );
    assert_eq!(read::<Value>(doc), array(expected.map(Value::Int)));
    // -1 does not fit an unsigned type: an error, not a wrapped number.
    let err = xmlrpc::response_from_slice::<Vec<u32>>(doc).expect_err("-1 as a u32");
    assert!(matches!(err.kind(), ErrorKind::InvalidValue(_)), "{err:?}");
    assert_eq!(err.fault_code(), Fault::INVALID_PARAMS, "{err}");
    assert!(
        err.to_string()
            .contains("invalid value: integer `-1`, expected u32"),
        "{err}"
    );
    assert_eq!(err.path(), "[1]");
}

#[test]
fn reads_python_booleans_and_doubles() {
    let doc = written("booleans");
    assert_eq!(read::<(bool, bool)>(doc), (true, false));
    assert_eq!(
        read::<Value>(doc),
        array([Value::Bool(true), Value::Bool(false)])
    );

    let doc = written("doubles");
    // Python writes `repr()`, exponents included; we read them.
    assert!(
        text(doc).contains("<double>-1.5e+300</double>"),
        "{}",
        text(doc)
    );
    let expected = [0.1, -1.5e300, 1e-300, 2.5f64];
    let got: Vec<f64> = read(doc);
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(expected) {
        assert_eq!(g.to_bits(), e.to_bits(), "{g} != {e}");
    }
    assert_eq!(read::<Value>(doc), array(expected.map(Value::Double)));
}

#[test]
fn reads_python_unicode_and_escapes() {
    let doc = written("unicode");
    let expected = [
        "\u{1F600} smile",
        "漢字かな",
        "e\u{301} a\u{308}",
        "\u{1F469}\u{200D}\u{1F4BB}",
    ];
    assert_eq!(read::<Vec<String>>(doc), expected);
    // Nothing needed unescaping: the strings are borrowed from the document.
    assert_eq!(read::<Vec<&str>>(doc), expected);
    assert_eq!(read::<Value>(doc), array(expected.map(Value::from)));

    let doc = written("escapes");
    assert!(
        text(doc).contains("&lt;a href=\"x\"&gt;&amp;amp;"),
        "{}",
        text(doc)
    );
    let expected = "<a href=\"x\">&amp; 'q'</a> ]]> >";
    assert_eq!(read::<String>(doc), expected);
    assert_eq!(read::<Value>(doc), Value::from(expected));
}

#[test]
fn reads_python_control_characters_as_xml_does() {
    let doc = written("controls");
    // Python writes `\t`, `\n` and `\r` raw. XML turns a raw `\r` and `\r\n` into `\n`
    // before any application sees the text, and we do as expat does.
    assert!(text(doc).contains("cr\rhere"), "{:?}", text(doc));
    let expected = ["tab\there", "line\nfeed", "cr\nhere", "crlf\nhere"];
    assert_eq!(read::<Vec<String>>(doc), expected);
    assert_eq!(read::<Value>(doc), array(expected.map(Value::from)));
    // Python reading its own document agrees.
    let mut loads = Loads::default();
    loads.both(
        "python_reads_its_controls",
        doc.to_vec(),
        &response(r"['tab\there', 'line\nfeed', 'cr\nhere', 'crlf\nhere']"),
    );
    loads.run();
}

/// A chrono `NaiveDateTime` read through `xmlrpc::datetime::naive`.
#[derive(Deserialize, Debug, PartialEq)]
struct Naive(#[serde(with = "xmlrpc::datetime::naive")] NaiveDateTime);

#[test]
fn reads_python_datetimes() {
    let doc = written("datetimes");
    // `datetime.datetime` loses its microseconds on the wire; year 1 is zero-padded.
    assert!(text(doc).contains("20240229T23:59:58<"), "{}", text(doc));
    assert!(text(doc).contains("00010101T00:00:00"), "{}", text(doc));
    let expected = [
        date(1998, 7, 17, 14, 8, 55),
        date(2024, 2, 29, 23, 59, 58),
        date(1, 1, 1, 0, 0, 0),
    ];
    assert_eq!(read::<Vec<DateTime>>(doc), expected);
    assert_eq!(read::<Value>(doc), array(expected.map(Value::DateTime)));
    let naive: Vec<Naive> = read(doc);
    assert_eq!(naive, expected.map(|d| Naive(d.naive_local())));
    assert_eq!(naive[1].0.to_string(), "2024-02-29 23:59:58");
    // The raw text, for those who want it.
    assert_eq!(
        read::<Vec<String>>(doc),
        [
            "19980717T14:08:55",
            "20240229T23:59:58",
            "00010101T00:00:00"
        ]
    );
}

#[test]
fn reads_python_binary_wrapped_at_76_columns() {
    let doc = written("binary");
    let all: Vec<u8> = (0..=255).collect();
    // Python wraps base64 text at 76 columns: 256 bytes take 5 lines.
    let xml = text(doc);
    let start = xml.find("<base64>").expect("a base64 value") + "<base64>".len();
    let end = start + xml[start..].find("</base64>").expect("closed");
    let lines: Vec<&str> = xml[start..end]
        .split('\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 5, "{:?}", &xml[start..end]);
    assert!(lines.iter().all(|l| l.len() <= 76));

    let expected = [all.clone(), Vec::new(), vec![0, 255]];
    let got: Vec<Base64> = read(doc);
    assert_eq!(got, expected.clone().map(Base64::from));
    let got: Vec<serde_bytes::ByteBuf> = read(doc);
    assert_eq!(got, expected.clone().map(serde_bytes::ByteBuf::from));
    assert_eq!(read::<Value>(doc), array(expected.map(Value::Base64)));
}

#[derive(Deserialize, Debug, PartialEq)]
struct Widget {
    name: String,
    size: Size,
    tags: (String, (String, Inner)),
    ok: bool,
    when: DateTime,
    blob: Base64,
    /// Not sent by Python: a missing member is `None`.
    missing: Option<i32>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Size {
    w: u8,
    h: f32,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Inner {
    c: Option<String>,
}

#[test]
fn reads_python_nested_structs_and_arrays() {
    let doc = written("nested");
    assert_eq!(
        read::<Widget>(doc),
        Widget {
            name: "widget".into(),
            size: Size { w: 3, h: 4.5 },
            tags: ("a".into(), ("b".into(), Inner { c: None })),
            ok: true,
            when: date(2001, 2, 3, 4, 5, 6),
            blob: Base64(vec![0, 1]),
            missing: None,
        }
    );
    let value: Value = read(doc);
    assert_eq!(
        value,
        members([
            ("name", "widget".into()),
            (
                "size",
                members([("w", Value::Int(3)), ("h", Value::Double(4.5))])
            ),
            (
                "tags",
                array([
                    "a".into(),
                    array(["b".into(), members([("c", Value::Nil)])])
                ]),
            ),
            ("ok", Value::Bool(true)),
            ("when", Value::DateTime(date(2001, 2, 3, 4, 5, 6))),
            ("blob", Value::Base64(vec![0, 1])),
        ])
    );
    // Members keep Python's order.
    let keys: Vec<&str> = value.as_struct().expect("a struct").keys().collect();
    assert_eq!(keys, ["name", "size", "tags", "ok", "when", "blob"]);
}

#[test]
fn reads_python_empties_and_nil() {
    let doc = written("empties");
    assert!(text(doc).contains("<struct>\n</struct>"), "{}", text(doc));
    let (s, a, t): (HashMap<String, i32>, Vec<i32>, String) = read(doc);
    assert!(s.is_empty() && a.is_empty() && t.is_empty());
    assert_eq!(
        read::<Value>(doc),
        array([
            Value::Struct(Struct::new()),
            Value::Array(Vec::new()),
            Value::from("")
        ])
    );

    let doc = written("nil");
    assert!(text(doc).contains("<nil/>"), "{}", text(doc));
    assert_eq!(read::<Option<i32>>(doc), None);
    read::<()>(doc);
    assert_eq!(read::<Value>(doc), Value::Nil);
    // nil is not a number.
    let err = xmlrpc::response_from_slice::<i32>(doc).expect_err("nil as an i32");
    assert!(
        matches!(err.kind(), ErrorKind::TypeMismatch { found: "nil", .. }),
        "{err:?}"
    );
    assert_eq!(err.fault_code(), Fault::INVALID_PARAMS, "{err}");
    assert!(err.to_string().contains("expected int, found nil"), "{err}");
}

#[test]
fn reads_python_faults() {
    let doc = written("fault");
    let fault = Fault::new(4, "Too many parameters.");
    assert_eq!(
        xmlrpc::response_from_slice::<i32>(doc).expect("a fault document"),
        MethodResponse::Fault(fault.clone())
    );
    assert_eq!(
        xmlrpc::response_from_slice::<Value>(doc)
            .expect("a fault document")
            .into_result(),
        Err(fault)
    );

    // A peer's reserved code is kept as sent.
    let doc = written("fault_reserved");
    let fault = xmlrpc::response_from_slice::<Value>(doc)
        .expect("a fault document")
        .into_result()
        .expect_err("a fault");
    assert_eq!(fault.code(), Fault::METHOD_NOT_FOUND);
    assert_eq!(fault.string(), "no such method <x> & \"y\"");
}

#[test]
fn reads_python_calls() {
    let doc = written("call");
    type Params = (
        i32,
        String,
        f64,
        Vec<i32>,
        HashMap<String, i32>,
        bool,
        Base64,
        DateTime,
    );
    let call: MethodCall<Params> = xmlrpc::call_from_slice(doc).expect("a call");
    assert_eq!(call.method, "demo.sum_all");
    assert_eq!(
        call.params,
        (
            1,
            "two".to_owned(),
            3.0,
            vec![4, 5],
            HashMap::from([("six".to_owned(), 6)]),
            true,
            Base64(b"seven".to_vec()),
            date(2000, 1, 1, 0, 0, 0),
        )
    );

    let call: MethodCall = xmlrpc::call_from_slice(doc).expect("a call");
    assert_eq!(
        call.params,
        [
            Value::Int(1),
            "two".into(),
            Value::Double(3.0),
            array([Value::Int(4), Value::Int(5)]),
            members([("six", Value::Int(6))]),
            Value::Bool(true),
            Value::Base64(b"seven".to_vec()),
            Value::DateTime(date(2000, 1, 1, 0, 0, 0)),
        ]
    );

    // A dispatcher's view: the name first, then the parameters one by one.
    let mut reader = CallReader::from_slice(doc).expect("a call");
    assert_eq!(reader.method(), "demo.sum_all");
    assert_eq!(reader.next_param::<i64>().expect("readable"), Some(1));
    assert_eq!(reader.next_param::<&str>().expect("readable"), Some("two"));
    for _ in 0..6 {
        assert!(reader.next_param::<Value>().expect("readable").is_some());
    }
    assert_eq!(reader.next_param::<Value>().expect("readable"), None);
    assert_eq!(reader.params_read(), 8);
    reader.finish().expect("a well-formed end");

    // Too many parameters for the method is an error.
    let err = xmlrpc::call_from_slice::<(i32, String)>(doc).expect_err("8 params for 2");
    assert!(matches!(err.kind(), ErrorKind::ParamCount(_)), "{err:?}");
    assert_eq!(err.fault_code(), Fault::INVALID_PARAMS, "{err}");
    assert!(
        err.to_string().contains("too many parameters: expected 2"),
        "{err}"
    );

    let doc = written("call_empty");
    let call: MethodCall<()> = xmlrpc::call_from_slice(doc).expect("a call");
    assert_eq!(call.method, "system.listMethods");
    let call: MethodCall = xmlrpc::call_from_slice(doc).expect("a call");
    assert!(call.params.is_empty());
}

#[test]
fn reads_python_latin1_documents() {
    let doc = written("latin1");
    assert!(doc.starts_with(b"<?xml version='1.0' encoding='iso-8859-1'?>"));
    assert!(
        std::str::from_utf8(doc).is_err(),
        "the document should not be UTF-8"
    );
    // `caf\xe9` raw in Latin-1, the euro sign as a character reference.
    assert!(doc.windows(4).any(|w| w == b"caf\xe9"));
    assert!(doc.windows(7).any(|w| w == b"&#8364;"));
    let expected = "café, ñandú, Grüße, 5€";
    assert_eq!(read::<String>(doc), expected);
    assert_eq!(read::<Value>(doc), Value::from(expected));
    let reader = xmlrpc::response_from_reader::<_, String>(doc).expect("readable");
    assert_eq!(reader.into_result(), Ok(expected.to_owned()));
}

/// Hand-written documents with the integer spellings Python cannot write: `<i8>`, Apache's
/// `<ex:i8>`, `<biginteger>`, `<i1>` and `<i2>`. We and Python must read them alike.
#[test]
fn reads_wide_and_narrow_integer_spellings() {
    fn doc(value: &str) -> Vec<u8> {
        format!(
            "<?xml version=\"1.0\"?><methodResponse xmlns:ex=\"{}\"><params><param>{value}\
             </param></params></methodResponse>",
            "http://ws.apache.org/xmlrpc/namespaces/extensions"
        )
        .into_bytes()
    }
    let cases: [(&str, &str, i64, Value); 7] = [
        (
            "i8_max",
            "<value><i8>9223372036854775807</i8></value>",
            i64::MAX,
            Value::I8(i64::MAX),
        ),
        ("i8_small", "<value><i8>5</i8></value>", 5, Value::I8(5)),
        (
            "ex_i8_min",
            "<value><ex:i8>-9223372036854775808</ex:i8></value>",
            i64::MIN,
            Value::I8(i64::MIN),
        ),
        (
            "biginteger",
            "<value><biginteger>5000000000</biginteger></value>",
            5_000_000_000,
            Value::I8(5_000_000_000),
        ),
        ("i1", "<value><i1>-128</i1></value>", -128, Value::Int(-128)),
        (
            "i2",
            "<value><i2>32767</i2></value>",
            32767,
            Value::Int(32767),
        ),
        (
            "i4_padded",
            "<value><i4> +42 </i4></value>",
            42,
            Value::Int(42),
        ),
    ];
    let mut loads = Loads::default();
    for (name, xml, n, value) in cases {
        let doc = doc(xml);
        assert_eq!(read::<i64>(&doc), n, "{name}");
        assert_eq!(read::<Value>(&doc), value, "{name}");
        assert_eq!(read::<f64>(&doc), n as f64, "{name}");
        match i32::try_from(n) {
            Ok(small) => assert_eq!(read::<i32>(&doc), small, "{name}"),
            Err(_) => {
                let err = xmlrpc::response_from_slice::<i32>(&doc).expect_err(name);
                assert!(
                    matches!(err.kind(), ErrorKind::InvalidValue(_)),
                    "{name}: {err:?}"
                );
                assert_eq!(err.fault_code(), Fault::INVALID_PARAMS, "{name}: {err}");
                assert!(err.to_string().contains(&n.to_string()), "{name}: {err}");
            }
        }
        loads.both(name, doc, &response(&n.to_string()));
    }
    // Beyond 64 bits: an error for us; Python's unbounded int takes it.
    let big = doc("<value><biginteger>123456789012345678901234567890</biginteger></value>");
    let err = xmlrpc::response_from_slice::<Value>(&big).expect_err("too wide");
    assert!(err.to_string().contains("does not fit in 64 bits"), "{err}");
    loads.run();
}

// ---------------------------------------------------------------------------------------
// We write, Python reads.
// ---------------------------------------------------------------------------------------

/// Reads `name mode hex(document) hex(expected)` lines; loads each document and compares it
/// strictly with the evaluated expectation. A fault becomes `('Fault', code, string)`, any
/// other exception `('Error', class name)`.
const PYTHON_LOADS: &str = r#"
import datetime, math, sys
import xmlrpc.client as x
from xmlrpc.client import Binary, DateTime, Fault

def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(p, q) for p, q in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, DateTime):
        return a.value == b.value
    if isinstance(a, Binary):
        return a.data == b.data
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b

def show(v):
    if isinstance(v, DateTime):
        return 'DateTime(%r)' % v.value
    if isinstance(v, Binary):
        return 'Binary(%r)' % v.data
    if isinstance(v, tuple):
        return '(' + ''.join(show(i) + ', ' for i in v) + ')'
    if isinstance(v, list):
        return '[' + ', '.join(map(show, v)) + ']'
    if isinstance(v, dict):
        return '{' + ', '.join('%r: %s' % (k, show(w)) for k, w in v.items()) + '}'
    return repr(v)

for line in sys.stdin.read().splitlines():
    name, mode, doc, expected = line.split(' ')
    doc = bytes.fromhex(doc)
    expected = bytes.fromhex(expected).decode('utf-8')
    try:
        got = x.loads(doc, use_builtin_types=(mode == 'builtin'))
    except Fault as f:
        got = ('Fault', f.faultCode, f.faultString)
    except Exception as e:
        got = ('Error', type(e).__name__)
    want = eval(expected, {'DateTime': DateTime, 'Binary': Binary, 'datetime': datetime})
    if same(got, want):
        print(name, mode, 'ok')
    else:
        print(name, mode, 'MISMATCH got', ascii(show(got)), 'want', ascii(show(want)))
"#;

/// A batch of documents for Python to load, with what each must load as: a Python
/// expression for the whole result of `loads`, `(params, method name)`.
#[derive(Default)]
struct Loads {
    checks: Vec<(String, &'static str, Vec<u8>, String)>,
}

/// What `loads` returns for a response holding `value` (a Python expression).
fn response(value: &str) -> String {
    format!("(({value},), None)")
}

impl Loads {
    /// A document that loads the same with and without `use_builtin_types`.
    fn both(&mut self, name: &str, doc: Vec<u8>, expected: &str) {
        self.each(name, doc, expected, expected);
    }

    /// A document that loads as `default` by default, as `builtin` with
    /// `use_builtin_types=True`.
    fn each(&mut self, name: &str, doc: Vec<u8>, default: &str, builtin: &str) {
        assert!(
            !name.contains(' ') && !self.checks.iter().any(|c| c.0 == name),
            "{name}"
        );
        self.checks
            .push((name.to_owned(), "default", doc.clone(), default.to_owned()));
        self.checks
            .push((name.to_owned(), "builtin", doc, builtin.to_owned()));
    }

    /// Runs Python once for the batch and asserts every verdict.
    fn run(self) {
        let input: String = self
            .checks
            .iter()
            .map(|(name, mode, doc, expected)| {
                format!(
                    "{name} {mode} {} {}\n",
                    python::hex(doc),
                    python::hex(expected.as_bytes())
                )
            })
            .collect();
        let out = python::run(PYTHON_LOADS, input.as_bytes());
        let verdicts: Vec<&str> = out.lines().collect();
        assert_eq!(
            verdicts.len(),
            self.checks.len(),
            "python's verdicts:\n{out}"
        );
        let mut failures = Vec::new();
        for ((name, mode, doc, _), verdict) in self.checks.iter().zip(&verdicts) {
            if *verdict != format!("{name} {mode} ok") {
                failures.push(format!(
                    "{verdict}\n    document: {:?}",
                    String::from_utf8_lossy(doc)
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "python read {} documents wrongly:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

#[track_caller]
fn ours<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    xmlrpc::response_to_vec(value).expect("writable")
}

#[test]
fn python_reads_our_scalars() {
    let mut loads = Loads::default();
    loads.both(
        "ints",
        ours(&(0, -1, i32::MAX, i32::MIN)),
        &response("[0, -1, 2147483647, -2147483648]"),
    );
    // Beyond 32 bits we write `<i8>`, which Python reads; `Value::I8` always is `<i8>`.
    let wide = ours(&(
        5_000_000_000i64,
        i64::MAX,
        i64::MIN,
        u32::MAX,
        Value::I8(5),
        u64::from(u32::MAX) + 1,
    ));
    assert!(text(&wide).contains("<i8>5</i8>"), "{}", text(&wide));
    loads.both(
        "i8",
        wide,
        &response(
            "[5000000000, 9223372036854775807, -9223372036854775808, 4294967295, 5, 4294967296]",
        ),
    );
    loads.both("booleans", ours(&[true, false]), &response("[True, False]"));
    let doubles = [
        0.1,
        -1.5e300,
        1e-300,
        2.5,
        -0.0,
        5e-324,
        f64::MAX,
        1e21,
        123456.789,
    ];
    loads.both(
        "doubles",
        ours(&doubles),
        &response(
            "[0.1, -1.5e300, 1e-300, 2.5, -0.0, 5e-324, 1.7976931348623157e308, 1e21, 123456.789]",
        ),
    );
    loads.both(
        "f32",
        ours(&0.1f32),
        &response(&format!("{:?}", f64::from(0.1f32))),
    );
    loads.both("nil", ours(&None::<i32>), &response("None"));
    loads.both("unit", ours(&()), &response("None"));
    loads.both(
        "empties",
        ours(&(
            HashMap::<String, i32>::new(),
            Vec::<i32>::new(),
            "",
            Value::Struct(Struct::new()),
        )),
        &response("[{}, [], '', {}]"),
    );
    loads.run();
}

#[test]
fn python_reads_our_strings() {
    let mut loads = Loads::default();
    loads.both(
        "unicode",
        ours(&["\u{1F600} smile", "漢字かな", "e\u{301} a\u{308}", "\u{1F469}\u{200D}\u{1F4BB}", "\u{FEFF}bom"]),
        &response(r"['\U0001F600 smile', '\u6f22\u5b57\u304b\u306a', 'e\u0301 a\u0308', '\U0001F469\u200d\U0001F4BB', '\ufeffbom']"),
    );
    loads.both(
        "specials",
        ours(&[
            "<",
            ">",
            "&",
            "'",
            "\"",
            "<a href=\"x\">&amp;'</a>",
            "]]>",
            "&lt;",
        ]),
        &response(r#"['<', '>', '&', "'", '"', '<a href="x">&amp;\'</a>', ']]>', '&lt;']"#),
    );
    // `\r` is written as `&#13;`, which XML does not normalize: Python gets it back.
    let doc = ours(&"a\rb\r\nc\n\td \r");
    assert!(
        text(&doc).contains("a&#13;b&#13;\nc\n\td &#13;"),
        "{}",
        text(&doc)
    );
    loads.both("carriage_return", doc, &response(r"'a\rb\r\nc\n\td \r'"));
    loads.both(
        "whitespace_only",
        ours(&["  ", "\n", "\t \r", ""]),
        &response(r"['  ', '\n', '\t \r', '']"),
    );
    let mut names = Struct::new();
    names.push("k\r<&>\"'", 1);
    names.push(" spaced name ", 2);
    names.push("", 3);
    loads.both(
        "member_names",
        ours(&Value::Struct(names)),
        &response(r#"{'k\r<&>"\'': 1, ' spaced name ': 2, '': 3}"#),
    );
    loads.both(
        "char",
        ours(&('é', '<', '\r')),
        &response(r"['é', '<', '\r']"),
    );
    loads.run();
}

/// C0 control characters other than tab, line feed and carriage return cannot appear in
/// XML 1.0, raw or as references: no XML-RPC peer can carry them. Python writes them raw and
/// then fails to read its own document. Our writer refuses them in its default dialect, so
/// no answer is one its peer cannot read; the opt-in dialect writes references, which
/// Python refuses, as it refuses U+FFFE and U+FFFF.
#[test]
fn python_refuses_c0_controls() {
    let lenient = xmlrpc::Dialect::new().with_forbidden_chars(xmlrpc::ForbiddenChars::Reference);
    let mut loads = Loads::default();
    for (name, s) in [
        ("soh", "a\u{1}b"),
        ("esc", "\u{1b}[0m"),
        ("unit_sep", "\u{1f}"),
        ("fffe", "\u{fffe}"),
        ("ffff", "x\u{ffff}"),
    ] {
        let err = xmlrpc::response_to_vec(s).expect_err(name);
        assert!(
            err.to_string().contains("which XML 1.0 does not allow"),
            "{name}: {err}"
        );
        let mut ser = xmlrpc::Serializer::with_dialect(Vec::new(), lenient);
        ser.response(s)
            .expect("the lenient dialect writes references");
        let doc = ser.into_inner();
        assert!(String::from_utf8_lossy(&doc).contains("&#"), "{name}");
        loads.both(name, doc, "('Error', 'ExpatError')");
    }
    loads.run();
}

#[test]
fn python_reads_our_datetimes_and_binary() {
    let mut loads = Loads::default();
    let plain = date(1998, 7, 17, 14, 8, 55);
    let zoned: DateTime = "1998-07-17T16:08:55.75+02:00".parse().expect("a date");
    let early = date(1, 1, 1, 0, 0, 0);
    loads.each(
        "datetimes",
        ours(&[plain, zoned, early]),
        &response("[DateTime('19980717T14:08:55'), DateTime('19980717T14:08:55'), DateTime('00010101T00:00:00')]"),
        &response(
            "[datetime.datetime(1998, 7, 17, 14, 8, 55), datetime.datetime(1998, 7, 17, 14, 8, 55), \
             datetime.datetime(1, 1, 1, 0, 0)]",
        ),
    );
    #[derive(Serialize)]
    struct Stamp {
        #[serde(with = "xmlrpc::datetime::utc")]
        at: chrono::DateTime<chrono::Utc>,
    }
    let at = chrono::DateTime::parse_from_rfc3339("2024-02-29T23:59:58+00:00").expect("a date");
    loads.each(
        "chrono",
        ours(&Stamp { at: at.to_utc() }),
        &response("{'at': DateTime('20240229T23:59:58')}"),
        &response("{'at': datetime.datetime(2024, 2, 29, 23, 59, 58)}"),
    );
    let all: Vec<u8> = (0..=255).collect();
    loads.each(
        "binary",
        ours(&(
            Base64(all.clone()),
            Base64(Vec::new()),
            serde_bytes::Bytes::new(b"\x00\xff"),
        )),
        &response("[Binary(bytes(range(256))), Binary(b''), Binary(b'\\x00\\xff')]"),
        &response("[bytes(range(256)), b'', b'\\x00\\xff']"),
    );
    loads.each(
        "binary_value",
        ours(&Value::Base64(all)),
        &response("Binary(bytes(range(256)))"),
        &response("bytes(range(256))"),
    );
    loads.run();
}

#[derive(Serialize)]
struct Order {
    id: u32,
    customer: Customer,
    lines: Vec<Line>,
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coupon: Option<String>,
    status: Vec<Status>,
    paid_at: DateTime,
    receipt: Base64,
    total: f64,
    big: i64,
    initial: char,
    #[serde(rename = "x-tag")]
    tag: &'static str,
    counts: BTreeMap<String, u64>,
}

#[derive(Serialize)]
struct Customer {
    name: String,
    vip: bool,
}

#[derive(Serialize)]
struct Line {
    sku: String,
    qty: u16,
}

#[derive(Serialize)]
enum Status {
    Open,
    Held(String),
    Moved(i32, i32),
    Done { by: String },
}

#[test]
fn python_reads_our_structs() {
    let order = Order {
        id: 4_000_000_000,
        customer: Customer {
            name: "Zoë & Co <ltd>".into(),
            vip: true,
        },
        lines: vec![
            Line {
                sku: "A-1".into(),
                qty: 2,
            },
            Line {
                sku: "B\r2".into(),
                qty: 65535,
            },
        ],
        note: None,
        coupon: None,
        status: vec![
            Status::Open,
            Status::Held("stock".into()),
            Status::Moved(-1, 2),
            Status::Done { by: "ann".into() },
        ],
        paid_at: date(2024, 1, 2, 3, 4, 5),
        receipt: Base64(b"PDF\x00".to_vec()),
        total: 19.99,
        big: -(1 << 40),
        initial: 'Z',
        tag: "t",
        counts: BTreeMap::from([("a".into(), 1), ("b".into(), u64::from(u32::MAX))]),
    };
    let fields = r"'id': 4000000000, 'customer': {'name': 'Zoë & Co <ltd>', 'vip': True},
        'lines': [{'sku': 'A-1', 'qty': 2}, {'sku': 'B\r2', 'qty': 65535}], 'note': None,
        'status': ['Open', {'Held': 'stock'}, {'Moved': [-1, 2]}, {'Done': {'by': 'ann'}}],";
    let tail = r"'total': 19.99, 'big': -1099511627776, 'initial': 'Z', 'x-tag': 't',
        'counts': {'a': 1, 'b': 4294967295}";
    let mut loads = Loads::default();
    loads.each(
        "order",
        ours(&order),
        &response(&format!(
            "{{{fields} 'paid_at': DateTime('20240102T03:04:05'), 'receipt': Binary(b'PDF\\x00'), {tail}}}"
        )),
        &response(&format!(
            "{{{fields} 'paid_at': datetime.datetime(2024, 1, 2, 3, 4, 5), 'receipt': b'PDF\\x00', {tail}}}"
        )),
    );

    // The same kind of tree as a `Value`.
    let mut tree = Struct::new();
    tree.push("int", 7);
    tree.push("wide", Value::I8(-5));
    tree.push(
        "list",
        array([Value::Nil, Value::Bool(false), Value::Double(-0.5)]),
    );
    tree.push(
        "nested",
        members([("deeper", members([("deepest", array([]))]))]),
    );
    tree.push("when", Value::DateTime(date(2000, 2, 29, 12, 0, 0)));
    tree.push("dup", 1);
    tree.push("dup", 2);
    loads.each(
        "value_tree",
        ours(&Value::Struct(tree)),
        // Python keeps the last of duplicate members, at the place of the first.
        &response(
            "{'int': 7, 'wide': -5, 'list': [None, False, -0.5], 'nested': {'deeper': {'deepest': []}}, \
             'when': DateTime('20000229T12:00:00'), 'dup': 2}",
        ),
        &response(
            "{'int': 7, 'wide': -5, 'list': [None, False, -0.5], 'nested': {'deeper': {'deepest': []}}, \
             'when': datetime.datetime(2000, 2, 29, 12, 0), 'dup': 2}",
        ),
    );
    loads.run();
}

#[test]
fn python_reads_our_faults() {
    let mut loads = Loads::default();
    let fault = |f: &Fault| xmlrpc::fault_to_vec(f).expect("writable");
    loads.both(
        "fault",
        fault(&Fault::new(4, "Too many parameters.")),
        "('Fault', 4, 'Too many parameters.')",
    );
    loads.both(
        "fault_specials",
        fault(&Fault::new(-1, "bad <input> & \"quotes\" 'here'\r\n")),
        r#"('Fault', -1, 'bad <input> & "quotes" \'here\'\r\n')"#,
    );
    loads.both(
        "fault_protocol",
        fault(&Fault::method_not_found("no.such")),
        "('Fault', -32601, 'method `no.such` is not supported')",
    );
    // An application cannot send a reserved code; Python sees the remapped one.
    loads.both(
        "fault_remapped",
        fault(&Fault::new(-32601, "mine")),
        "('Fault', -32500, '[-32601] mine')",
    );
    let response: MethodResponse<i32> = MethodResponse::Fault(Fault::new(i32::MIN, "min"));
    loads.both(
        "fault_from_response",
        response.to_vec().expect("writable"),
        "('Fault', -2147483648, 'min')",
    );
    loads.run();
}

#[derive(Serialize)]
struct AddParams {
    a: i32,
    b: f64,
}

#[test]
fn python_reads_our_calls() {
    let mut loads = Loads::default();
    loads.both(
        "call",
        call(
            "sample.add",
            &(2, 3.5, "x", vec![1, 2], None::<i32>, 1i64 << 33),
        ),
        "((2, 3.5, 'x', [1, 2], None, 8589934592), 'sample.add')",
    );
    loads.both(
        "call_none",
        call("system.listMethods", &()),
        "((), 'system.listMethods')",
    );
    loads.both(
        "call_struct_params",
        call("math.add", &AddParams { a: 1, b: 2.5 }),
        "((1, 2.5), 'math.add')",
    );
    loads.both(
        "call_name_escaped",
        call("odd<&>name", &vec![Value::from("v")]),
        "(('v',), 'odd<&>name')",
    );
    loads.both(
        "call_one_value",
        MethodCall::new("echo", ("only",))
            .to_vec()
            .expect("writable"),
        "(('only',), 'echo')",
    );
    loads.run();
}

fn call<P: Serialize + ?Sized>(method: &str, params: &P) -> Vec<u8> {
    xmlrpc::call_to_vec(method, params).expect("writable")
}

#[test]
fn python_reads_the_apache_dialect() {
    let mut loads = Loads::default();
    let mut ser = Serializer::with_dialect(Vec::new(), Dialect::apache());
    ser.call("log", &(None::<i32>, 5_000_000_000i64, 7, Value::I8(8), ()))
        .expect("writable");
    let doc = ser.into_inner();
    let xml = text(&doc);
    assert!(
        xml.contains("<ex:nil/>") && xml.contains("<ex:i8>5000000000</ex:i8>"),
        "{xml}"
    );
    assert!(
        xml.contains("<ex:i8>8</ex:i8>") && xml.contains("<int>7</int>"),
        "{xml}"
    );
    // Python ignores namespaces and strips the prefix.
    loads.both(
        "apache_call",
        doc,
        "((None, 5000000000, 7, 8, None), 'log')",
    );

    let mut ser = Serializer::with_dialect(Vec::new(), Dialect::apache());
    ser.response(&members([
        ("n", Value::Nil),
        ("big", Value::I8(-(1 << 40))),
    ]))
    .expect("writable");
    let doc = ser.into_inner();
    assert!(text(&doc).contains("<ex:nil/>"), "{}", text(&doc));
    loads.both(
        "apache_response",
        doc,
        &response("{'n': None, 'big': -1099511627776}"),
    );
    loads.run();
}

/// A value we write, that Python loads and writes again, and that we read back: what
/// survives both codecs. Python writes `\r` raw, so that XML turns it into `\n`.
#[test]
fn values_survive_a_trip_through_python() {
    let tree = |text: &str| {
        let mut s = Struct::new();
        s.push("text", text);
        s.push("ints", array([Value::Int(i32::MIN), Value::Int(0)]));
        s.push("double", Value::Double(1e-300));
        s.push("when", Value::DateTime(date(1999, 12, 31, 23, 59, 59)));
        s.push("bytes", Value::Base64((0..=255).collect()));
        s.push("nil", Value::Nil);
        s.push("empty", Value::Struct(Struct::new()));
        s.push("list", array([Value::Bool(true), "x".into(), array([])]));
        Value::Struct(s)
    };
    let doc = ours(&tree("a\rb <&> \u{1F600}"));
    let script = "import sys, xmlrpc.client as x\n\
                  params, _ = x.loads(bytes.fromhex(sys.stdin.read()))\n\
                  print(x.dumps(params, methodresponse=True, allow_none=True).encode('utf-8').hex())\n";
    let back = python::unhex(&python::run(script, python::hex(&doc).as_bytes()));
    assert!(
        text(&back).contains("a\rb &lt;&amp;&gt;"),
        "{}",
        text(&back)
    );
    assert_eq!(read::<Value>(&back), tree("a\nb <&> \u{1F600}"));

    // Python cannot write an integer beyond 32 bits at all.
    let out = python::run(
        "import xmlrpc.client as x\n\
         try:\n    x.dumps((2**31,), methodresponse=True)\n\
         except OverflowError as e:\n    print('OverflowError', e)\n",
        b"",
    );
    assert_eq!(out.trim(), "OverflowError int exceeds XML-RPC limits");
}

// ---------------------------------------------------------------------------------------
// Property: Python reads everything our writer writes.
// ---------------------------------------------------------------------------------------

/// Reads `name hex` lines of documents and prints `name canonical` lines: the value Python
/// loaded, in a text both sides can write exactly (strings and keys as UTF-8 hex, doubles
/// as their IEEE bits, a dict with Python's own semantics for repeated keys).
const PYTHON_CANONICAL: &str = r#"
import struct, sys
import xmlrpc.client as x

def canon(v):
    if v is None:
        return 'n'
    if isinstance(v, bool):
        return 'b1' if v else 'b0'
    if isinstance(v, int):
        return 'i' + str(v)
    if isinstance(v, float):
        return 'd' + struct.pack('>d', v).hex()
    if isinstance(v, str):
        return 's' + v.encode('utf-8').hex()
    if isinstance(v, x.DateTime):
        return 't' + v.value
    if isinstance(v, x.Binary):
        return 'x' + v.data.hex()
    if isinstance(v, list):
        return 'a[' + ','.join(canon(i) for i in v) + ']'
    if isinstance(v, dict):
        return 'm{' + ','.join(k.encode('utf-8').hex() + '=' + canon(i) for k, i in v.items()) + '}'
    raise TypeError(type(v))

for line in sys.stdin:
    name, doc = line.split()
    try:
        (value,), _ = x.loads(bytes.fromhex(doc))
        print(name, canon(value))
    except Exception as e:
        print(name, 'error', type(e).__name__, ascii(str(e)))
"#;

fn hex_str(s: &str) -> String {
    python::hex(s.as_bytes())
}

/// [`PYTHON_CANONICAL`]'s text for `v` as Python loads it.
fn canonical(v: &Value) -> String {
    match v {
        Value::Nil => "n".into(),
        Value::Bool(b) => if *b { "b1" } else { "b0" }.into(),
        Value::Int(i) => format!("i{i}"),
        Value::I8(i) => format!("i{i}"),
        Value::Double(d) => format!("d{:016x}", d.to_bits()),
        Value::String(s) => format!("s{}", hex_str(s)),
        Value::DateTime(dt) => format!("t{}", dt.naive_utc().format("%Y%m%dT%H:%M:%S")),
        Value::Base64(b) => format!("x{}", python::hex(b)),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("a[{}]", items.join(","))
        }
        Value::Struct(members) => {
            // A dict keeps a repeated key at its first place, with its last value.
            let mut seen: Vec<(&str, &Value)> = Vec::new();
            for (k, v) in members.iter() {
                match seen.iter_mut().find(|(name, _)| *name == k) {
                    Some(slot) => slot.1 = v,
                    None => seen.push((k, v)),
                }
            }
            let items: Vec<String> = seen
                .iter()
                .map(|(k, v)| format!("{}={}", hex_str(k), canonical(v)))
                .collect();
            format!("m{{{}}}", items.join(","))
        }
    }
}

/// Whether `v` holds a string (or member name) with a character XML 1.0 forbids.
fn holds_forbidden(v: &Value) -> bool {
    let bad = |s: &str| {
        s.chars().any(|c| {
            !(matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        })
    };
    match v {
        Value::String(s) => bad(s),
        Value::Array(items) => items.iter().any(holds_forbidden),
        Value::Struct(members) => members.iter().any(|(k, v)| bad(k) || holds_forbidden(v)),
        _ => false,
    }
}

fn any_value() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let string = prop_oneof![
        3 => any::<String>(),
        1 => proptest::collection::vec(
            proptest::sample::select(&["\r", "\r\n", "<", "&", "]]>", "\u{1}", "\u{fffe}", "é", "\u{1F600}", " "][..]),
            0..5,
        )
        .prop_map(|v| v.concat()),
    ];
    let leaf = prop_oneof![
        any::<i32>().prop_map(Value::Int),
        any::<i64>().prop_map(Value::I8),
        any::<bool>().prop_map(Value::Bool),
        string.clone().prop_map(Value::String),
        any::<f64>()
            .prop_filter("finite", |d| d.is_finite())
            .prop_map(Value::Double),
        (
            0i32..=9999,
            1u32..=12,
            1u32..=28,
            0u32..24,
            0u32..60,
            0u32..60
        )
            .prop_map(|(y, mo, d, h, mi, s)| Value::DateTime(date(y, mo, d, h, mi, s))),
        proptest::collection::vec(any::<u8>(), 0..12).prop_map(Value::Base64),
        Just(Value::Nil),
    ];
    leaf.prop_recursive(3, 24, 5, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((string.clone(), inner), 0..5)
                .prop_map(|m| Value::Struct(m.into_iter().collect())),
        ]
    })
}

/// For arbitrary strings and nested values: our writer, in its default dialect, either
/// refuses the value (exactly when it holds a character XML 1.0 forbids) or writes a
/// document that Python's `xmlrpc.client.loads` reads to the same value. One Python run
/// reads every case.
#[test]
fn python_reads_whatever_we_write() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut input = String::new();
    let mut expected = Vec::new();
    let mut refused = 0;
    for i in 0..600 {
        let v = any_value()
            .new_tree(&mut runner)
            .expect("a value")
            .current();
        match xmlrpc::response_to_vec(&v) {
            Ok(doc) => {
                assert!(
                    !holds_forbidden(&v),
                    "written although it cannot travel: {v:?}"
                );
                input.push_str(&format!("c{i} {}\n", python::hex(&doc)));
                expected.push((format!("c{i}"), canonical(&v), v));
            }
            Err(e) => {
                assert!(holds_forbidden(&v), "refused without reason ({e}): {v:?}");
                assert!(
                    e.to_string().contains("which XML 1.0 does not allow"),
                    "{e}"
                );
                refused += 1;
            }
        }
    }
    assert!(
        expected.len() > 300,
        "only {} of 600 cases were writable",
        expected.len()
    );
    assert!(
        refused > 20,
        "only {refused} cases held a forbidden character"
    );
    let out = python::run(PYTHON_CANONICAL, input.as_bytes());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len(), "python's answers:\n{out}");
    for (line, (name, want, v)) in lines.iter().zip(&expected) {
        assert_eq!(
            *line,
            format!("{name} {want}"),
            "python read {v:?} otherwise"
        );
    }
}
