//! Property tests: whatever we write, we read back exactly; whatever the bytes, reading
//! returns instead of panicking.
//!
//! - Any [`Value`] tree (depth up to 4, up to 6 elements or members per level) round-trips
//!   through a bare `<value>`, a response document and a call's parameters, compared
//!   exactly: doubles bit for bit, struct members in order, duplicates kept.
//! - Nested derived types (options, enums of every variant shape, maps, `Base64`,
//!   `DateTime`, `char`, renames, defaults, skipped and flattened fields) round-trip, both
//!   directly and through a `Value`.
//! - Mutated documents (bytes flipped, dropped, inserted, duplicated, truncated) never make
//!   a reader panic.
//!
//! - Strings hold any character XML 1.0 allows; a string with one it forbids (C0 controls
//!   but tab, line feed and carriage return, U+FFFE, U+FFFF) is refused by the writer,
//!   which names its path, and by the reader, raw or as a reference
//!   (`forbidden_characters_never_travel`).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde::{Deserialize, Serialize};
use xmlrpc::{
    Base64, CallReader, DateTime, ErrorKind, Fault, MethodCall, MethodResponse, Struct, Value,
};

// ---------------------------------------------------------------------------------------
// Strategies.
// ---------------------------------------------------------------------------------------

/// Pieces that stress escaping and XML's own rules.
const NASTY: &[&str] = &[
    "\r",
    "\r\n",
    "\n",
    "\t",
    " ",
    "]]>",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "&amp;",
    "&#13;",
    "<![CDATA[",
    "<!--",
    "-->",
    "<?",
    "?>",
    "é",
    "\u{1F600}",
    "\u{FEFF}",
    "\u{7F}",
    "\u{85}",
    "\u{D7FF}",
    "\u{E000}",
    "\u{FFFD}",
    "\u{10FFFF}",
    "<value>",
    "</string>",
];

/// Whether XML 1.0 allows `c` (its `Char` production).
fn xml_char(c: &char) -> bool {
    matches!(*c, '\t' | '\n' | '\r') || (*c >= ' ' && *c != '\u{FFFE}' && *c != '\u{FFFF}')
}

/// The characters XML 1.0 forbids that a Rust string can hold.
fn forbidden_char() -> impl Strategy<Value = char> {
    prop_oneof![
        (1u8..0x20)
            .prop_filter("tab, LF, CR", |b| !matches!(b, 9 | 10 | 13))
            .prop_map(char::from),
        Just('\u{FFFE}'),
        Just('\u{FFFF}'),
    ]
}

/// Any string XML can carry, with a bias towards the characters that need care.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => vec(any::<char>().prop_filter("XML 1.0 character", xml_char), 0..12).prop_map(String::from_iter),
        2 => vec(select(NASTY), 0..6).prop_map(|v| v.concat()),
    ]
}

/// Member names: any string, often from a small set so that duplicates occur.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => string(),
        1 => select(&["a", "b", "", " a "][..]).prop_map(str::to_owned),
    ]
}

fn double() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        1 => select(&[
            0.0, -0.0, 0.1, -1.5e300, 1e-300, 2.5, f64::MAX, f64::MIN, f64::MIN_POSITIVE,
            5e-324, -5e-324, 1e21, 1e22, 9007199254740993.0, 123456.789e10,
        ][..]),
    ]
}

/// Whole seconds, years 0 to 9999, no offset: what the wire form carries.
fn datetime() -> impl Strategy<Value = DateTime> {
    (0i32..=9999, 1u32..=366, 0u32..86_400).prop_filter_map("a day of the year", |(y, d, s)| {
        let date = NaiveDate::from_yo_opt(y, d)?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(s, 0)?;
        Some(DateTime::new(date.and_time(time)))
    })
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..80)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i32>().prop_map(Value::Int),
        any::<i64>().prop_map(Value::I8),
        select(&[i64::MIN, -1, 0, 1, i64::MAX][..]).prop_map(Value::I8),
        any::<bool>().prop_map(Value::Bool),
        string().prop_map(Value::String),
        double().prop_map(Value::Double),
        datetime().prop_map(Value::DateTime),
        bytes().prop_map(Value::Base64),
        Just(Value::Nil),
        Just(Value::Array(Vec::new())),
        Just(Value::Struct(Struct::new())),
    ]
}

/// Value trees up to 4 levels deep, up to 6 elements or members per level.
fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..=6).prop_map(Value::Array),
            vec((name(), inner), 0..=6).prop_map(|m| Value::Struct(m.into_iter().collect())),
        ]
    })
}

// ---------------------------------------------------------------------------------------
// Exact comparison.
// ---------------------------------------------------------------------------------------

/// Equality that also tells `0.0` from `-0.0`: doubles compare bit for bit.
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Double(x), Value::Double(y)) => x.to_bits() == y.to_bits(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| identical(p, q))
        }
        (Value::Struct(x), Value::Struct(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k, p), (l, q))| k == l && identical(p, q))
        }
        _ => a == b,
    }
}

macro_rules! prop_assert_identical {
    ($got:expr, $want:expr, $doc:expr) => {{
        let (got, want): (&Value, &Value) = (&$got, &$want);
        prop_assert!(
            identical(got, want),
            "got {:?}\nwant {:?}\ndocument {:?}",
            got,
            want,
            String::from_utf8_lossy(&$doc)
        );
    }};
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(256)
}

// ---------------------------------------------------------------------------------------
// Values.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn values_round_trip(v in value()) {
        let doc = xmlrpc::to_vec(&v).expect("writable");
        let back: Value = xmlrpc::from_slice(&doc).expect("readable");
        prop_assert_identical!(back, v, doc);

        let text = xmlrpc::to_string(&v).expect("writable");
        prop_assert_eq!(text.as_bytes(), &doc[..]);
        let back: Value = xmlrpc::from_str(&text).expect("readable");
        prop_assert_identical!(back, v, doc);
        let back: Value = xmlrpc::from_reader(doc.as_slice()).expect("readable");
        prop_assert_identical!(back, v, doc);
    }

    #[test]
    fn responses_round_trip(v in value()) {
        let doc = xmlrpc::response_to_vec(&v).expect("writable");
        match xmlrpc::response_from_slice::<Value>(&doc).expect("readable") {
            MethodResponse::Value(back) => prop_assert_identical!(back, v, doc),
            MethodResponse::Fault(f) => prop_assert!(false, "a value read as fault {f}"),
        }
        let again = MethodResponse::Value(v.clone()).to_vec().expect("writable");
        prop_assert_eq!(&again, &doc);
    }

    #[test]
    fn faults_round_trip(code in any::<i32>(), message in string()) {
        let fault = Fault::new_unchecked(code, message);
        let doc = xmlrpc::fault_to_vec(&fault).expect("writable");
        let back = xmlrpc::response_from_slice::<Value>(&doc).expect("readable");
        prop_assert_eq!(back, MethodResponse::Fault(fault.clone()));
        // Whatever type the caller expected.
        let back = xmlrpc::response_from_slice::<(u8, String)>(&doc).expect("readable");
        prop_assert_eq!(back.into_result(), Err(fault));
    }

    #[test]
    fn calls_round_trip(
        method in string().prop_filter("a method name", |s| !s.is_empty()),
        params in vec(value(), 0..6),
    ) {
        let doc = xmlrpc::call_to_vec(&method, &params).expect("writable");

        let call: MethodCall = xmlrpc::call_from_slice(&doc).expect("readable");
        prop_assert_eq!(&call.method, &method);
        prop_assert_identical!(Value::Array(call.params), Value::Array(params.clone()), doc);

        // One by one, as a dispatcher reads them.
        let mut reader = CallReader::from_slice(&doc).expect("readable");
        prop_assert_eq!(reader.method(), method.as_str());
        let mut read = Vec::new();
        while let Some(p) = reader.next_param::<Value>().expect("readable") {
            read.push(p);
        }
        prop_assert_eq!(reader.params_read(), params.len());
        reader.finish().expect("a proper end");
        prop_assert_identical!(Value::Array(read), Value::Array(params.clone()), doc);

        // The same parameters written as a `MethodCall`.
        let again = MethodCall::new(method, params).to_vec().expect("writable");
        prop_assert_eq!(again, doc);
    }

    #[test]
    fn forbidden_characters_never_travel(
        before in string(),
        bad in forbidden_char(),
        after in string(),
        depth in 0usize..3,
    ) {
        let s = format!("{before}{bad}{after}");
        // Written: an error that names the value.
        let mut v = Value::from(s.as_str());
        // Innermost first: `[1]` for an array element, `m` for a member.
        let mut segments = Vec::new();
        for level in 0..depth {
            if level % 2 == 0 {
                v = Value::Array(vec![Value::Nil, v]);
                segments.push("[1]");
            } else {
                let mut members = Struct::new();
                members.push("m", v);
                v = Value::Struct(members);
                segments.push("m");
            }
        }
        let mut path = String::new();
        for segment in segments.iter().rev() {
            if *segment == "m" && !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment);
        }
        let err = xmlrpc::to_vec(&v).expect_err("a forbidden character");
        prop_assert_eq!(err.fault_code(), Fault::INTERNAL_ERROR);
        prop_assert!(err.to_string().contains(&format!("U+{:04X}", u32::from(bad))), "{}", err);
        prop_assert_eq!(err.path(), path);
        let err = xmlrpc::call_to_vec("m", &(1, &v)).expect_err("a forbidden character");
        prop_assert!(err.path().starts_with("params[1]"), "{}", err.path());
        // Read, raw or as a reference: -32702, where it stands.
        let escaped = xmlrpc::to_string(&format!("{before}{after}")).expect("writable");
        let cut = escaped.len() - "</string></value>".len();
        for inserted in [bad.to_string(), format!("&#{};", u32::from(bad)), format!("&#x{:X};", u32::from(bad))] {
            let doc = format!("{}{inserted}{}", &escaped[..cut], &escaped[cut..]);
            let err = xmlrpc::from_str::<String>(&doc).expect_err("a forbidden character");
            prop_assert_eq!(err.fault_code(), Fault::INVALID_CHARACTER, "{}", err);
            prop_assert!(err.position().is_some());
        }
    }

    #[test]
    fn strings_round_trip_typed(s in string()) {
        let doc = xmlrpc::to_vec(&s).expect("writable");
        prop_assert_eq!(xmlrpc::from_slice::<String>(&doc).expect("readable"), s.clone());
        // As a struct member name too.
        let map = HashMap::from([(s.clone(), 1u8)]);
        let doc = xmlrpc::to_vec(&map).expect("writable");
        prop_assert_eq!(xmlrpc::from_slice::<HashMap<String, u8>>(&doc).expect("readable"), map);
    }
}

// ---------------------------------------------------------------------------------------
// Typed values.
// ---------------------------------------------------------------------------------------

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
struct Account {
    id: u32,
    #[serde(rename = "displayName")]
    name: String,
    active: bool,
    balance: i64,
    initial: char,
    ratio: f64,
    height: Meters,
    avatar: Base64,
    created: DateTime,
    /// `None` travels as nil.
    nickname: Option<String>,
    /// `None` is not sent at all, and a missing member reads as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    referrer: Option<u32>,
    /// An empty list is not sent, and a missing member reads as empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    limits: HashMap<String, i64>,
    contacts: Vec<Contact>,
    plan: Plan,
    history: Vec<Event>,
    pair: (u8, Option<i16>),
    #[serde(flatten)]
    audit: Audit,
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
struct Meters(f64);

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
struct Contact {
    kind: Kind,
    value: String,
    primary: Option<bool>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
enum Kind {
    Email,
    Phone,
    #[serde(rename = "other kind")]
    Other(String),
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
enum Plan {
    Free,
    Trial(u32),
    Paid { seats: u32, renews: DateTime },
    Legacy(i32, String),
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
enum Event {
    Login(DateTime),
    Note { text: String },
    Transfer(i64, Option<String>),
    Closed,
}

/// Flattened into [`Account`]: read through serde's buffered content, that is through
/// `deserialize_any`.
#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
struct Audit {
    revision: u32,
    #[serde(rename = "lastEditor")]
    last_editor: Option<String>,
    checksum: Base64,
    touched: DateTime,
    score: i64,
}

fn text_char() -> impl Strategy<Value = char> {
    any::<char>().prop_filter("XML 1.0 character", xml_char)
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Email),
        Just(Kind::Phone),
        string().prop_map(Kind::Other)
    ]
}

fn contact() -> impl Strategy<Value = Contact> {
    (kind(), string(), any::<Option<bool>>()).prop_map(|(kind, value, primary)| Contact {
        kind,
        value,
        primary,
    })
}

fn plan() -> impl Strategy<Value = Plan> {
    prop_oneof![
        Just(Plan::Free),
        any::<u32>().prop_map(Plan::Trial),
        (any::<u32>(), datetime()).prop_map(|(seats, renews)| Plan::Paid { seats, renews }),
        (any::<i32>(), string()).prop_map(|(a, b)| Plan::Legacy(a, b)),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        datetime().prop_map(Event::Login),
        string().prop_map(|text| Event::Note { text }),
        (any::<i64>(), proptest::option::of(string())).prop_map(|(a, b)| Event::Transfer(a, b)),
        Just(Event::Closed),
    ]
}

fn audit() -> impl Strategy<Value = Audit> {
    (
        any::<u32>(),
        proptest::option::of(string()),
        bytes(),
        datetime(),
        any::<i64>(),
    )
        .prop_map(|(revision, last_editor, checksum, touched, score)| Audit {
            revision,
            last_editor,
            checksum: Base64(checksum),
            touched,
            score,
        })
}

fn account() -> impl Strategy<Value = Account> {
    let scalars = (
        any::<u32>(),
        string(),
        any::<bool>(),
        any::<i64>(),
        text_char(),
        double(),
        double(),
        bytes(),
        datetime(),
    );
    let optional = (
        proptest::option::of(string()),
        proptest::option::of(any::<u32>()),
        vec(string(), 0..4),
        proptest::collection::hash_map(string(), any::<i64>(), 0..4),
    );
    let nested = (
        vec(contact(), 0..4),
        plan(),
        vec(event(), 0..4),
        (any::<u8>(), any::<Option<i16>>()),
        audit(),
    );
    (scalars, optional, nested).prop_map(
        |(
            (id, name, active, balance, initial, ratio, height, avatar, created),
            (nickname, referrer, tags, limits),
            (contacts, plan, history, pair, audit),
        )| Account {
            id,
            name,
            active,
            balance,
            initial,
            ratio,
            height: Meters(height),
            avatar: Base64(avatar),
            created,
            nickname,
            referrer,
            tags,
            limits,
            contacts,
            plan,
            history,
            pair,
            audit,
        },
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn typed_values_round_trip(account in account()) {
        let doc = xmlrpc::to_vec(&account).expect("writable");
        let back: Account = xmlrpc::from_slice(&doc).unwrap_or_else(|e| {
            panic!("{e}\ndocument {:?}", String::from_utf8_lossy(&doc))
        });
        prop_assert_eq!(&back, &account);
        prop_assert_eq!(back.ratio.to_bits(), account.ratio.to_bits());
        prop_assert_eq!(back.height.0.to_bits(), account.height.0.to_bits());

        // Skipped members are really absent, and read back as their defaults.
        let text = String::from_utf8(doc.clone()).expect("UTF-8");
        prop_assert_eq!(text.contains("<name>referrer</name>"), account.referrer.is_some());
        prop_assert_eq!(text.contains("<name>tags</name>"), !account.tags.is_empty());
        prop_assert!(text.contains("<name>displayName</name>") && !text.contains("<name>name</name>"));

        // Through a dynamic `Value` and back: nothing is lost on the way.
        let value: Value = xmlrpc::from_slice(&doc).expect("readable as a Value");
        let rewritten = xmlrpc::to_vec(&value).expect("writable");
        let back: Account = xmlrpc::from_slice(&rewritten).expect("readable");
        prop_assert_eq!(&back, &account);

        // As the parameters of a call, and as a response.
        let doc = xmlrpc::call_to_vec("accounts.put", &(&account, account.id)).expect("writable");
        let call: MethodCall<(Account, u32)> = xmlrpc::call_from_slice(&doc).expect("readable");
        prop_assert_eq!(call.params, (account.clone(), account.id));
        let doc = xmlrpc::response_to_vec(&account).expect("writable");
        let back = xmlrpc::response_from_slice::<Account>(&doc).expect("readable");
        prop_assert_eq!(back, MethodResponse::Value(account));
    }
}

// ---------------------------------------------------------------------------------------
// Damaged input.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Remove(usize),
    Insert(usize, u8),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let byte = prop_oneof![
        any::<u8>(),
        select(&b"<>/&;!?[]-=\"' \r\n\t:#x0123456789abcdefvalueistructmember"[..]),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), byte).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(doc: &mut Vec<u8>, m: &Mutation) {
    let len = doc.len();
    if len == 0 {
        return;
    }
    match *m {
        Mutation::Flip(at, b) => doc[at % len] = b,
        Mutation::Remove(at) => {
            doc.remove(at % len);
        }
        Mutation::Insert(at, b) => doc.insert(at % (len + 1), b),
        Mutation::Duplicate(at, n) => {
            let start = at % len;
            let piece = doc[start..(start + n).min(len)].to_vec();
            doc.splice(start..start, piece);
        }
        Mutation::Truncate(at) => doc.truncate(at % len),
    }
}

/// The fault code each kind of error answers with, as the interoperability
/// specification numbers them (written out, not read from the library).
fn expected_fault_code(kind: &ErrorKind) -> i32 {
    match kind {
        ErrorKind::Syntax(_) | ErrorKind::Doctype => -32700,
        ErrorKind::UnsupportedEncoding(_) => -32701,
        ErrorKind::InvalidCharacter(_) => -32702,
        ErrorKind::Invalid(_) => -32600,
        ErrorKind::TypeMismatch { .. }
        | ErrorKind::InvalidValue(_)
        | ErrorKind::ParamCount(_)
        | ErrorKind::Custom(_) => -32602,
        ErrorKind::LimitExceeded { .. } => -32000,
        ErrorKind::Unsupported(_) | ErrorKind::Io(_) => -32603,
        other => panic!("an error kind this test does not know: {other:?}"),
    }
}

/// Everything a server does with an error: show it, and answer with a fault.
fn report<T>(result: xmlrpc::Result<T>) {
    if let Err(e) = result {
        let shown = e.to_string();
        let fault = e.to_fault();
        let code = expected_fault_code(e.kind());
        assert_eq!(fault.code(), code, "{e:?}");
        assert_eq!(e.fault_code(), code, "{e:?}");
        assert_eq!(fault.string(), shown);
        assert!(!shown.is_empty());
        let _ = (e.path(), e.position(), format!("{e:?}"));
    }
}

/// Every reader, on the same bytes; only panics matter here.
fn read_everything(doc: &[u8]) {
    report(xmlrpc::from_slice::<Value>(doc));
    report(xmlrpc::from_slice::<Account>(doc));
    report(xmlrpc::from_slice::<Vec<String>>(doc));
    report(xmlrpc::from_reader::<_, Value>(doc));
    report(xmlrpc::response_from_slice::<Value>(doc));
    report(xmlrpc::response_from_slice::<Account>(doc));
    report(xmlrpc::call_from_slice::<Vec<Value>>(doc));
    report(xmlrpc::call_from_slice::<(Account, u32)>(doc));
    match CallReader::from_slice(doc) {
        Ok(mut reader) => {
            let _ = reader.method();
            loop {
                match reader.next_param::<Value>() {
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        report(reader.finish());
                        break;
                    }
                    Err(e) => {
                        report::<()>(Err(e));
                        break;
                    }
                }
            }
        }
        Err(e) => report::<()>(Err(e)),
    }
    if let Ok(text) = std::str::from_utf8(doc) {
        report(xmlrpc::from_str::<Value>(text));
        report(xmlrpc::response_from_str::<Value>(text));
        report(xmlrpc::call_from_str::<Vec<Value>>(text));
    }
}

fn document() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        value().prop_map(|v| xmlrpc::response_to_vec(&v).expect("writable")),
        (value(), value()).prop_map(|(a, b)| xmlrpc::call_to_vec("m.n", &(a, b)).expect("writable")),
        account().prop_map(|a| xmlrpc::response_to_vec(&a).expect("writable")),
        (any::<i32>(), string())
            .prop_map(|(c, s)| xmlrpc::fault_to_vec(&Fault::new_unchecked(c, s)).expect("writable")),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn damaged_documents_never_panic(
        mut doc in document(),
        mutations in vec(mutation(), 1..8),
    ) {
        for m in &mutations {
            mutate(&mut doc, m);
        }
        read_everything(&doc);
    }
}

// ---------------------------------------------------------------------------------------
// The edges the properties leave out.
// ---------------------------------------------------------------------------------------

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(untagged)]
enum Stamp {
    At(DateTime),
    Count(i32),
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(tag = "kind")]
enum Tagged {
    Born { at: DateTime, bytes: Base64 },
    Unknown,
}

/// serde buffers values it cannot route yet (untagged and internally tagged enums,
/// flattened fields) through `deserialize_any`, where a date-time is a marker map; it must
/// still become a `DateTime`, including through the chrono helpers.
#[test]
fn datetimes_survive_buffered_content() {
    let when = DateTime::from_ymd_hms(2024, 2, 29, 12, 0, 1).expect("a date");
    let stamps = vec![Stamp::At(when), Stamp::Count(3)];
    let doc = xmlrpc::to_vec(&stamps).expect("writable");
    assert_eq!(
        xmlrpc::from_slice::<Vec<Stamp>>(&doc).expect("readable"),
        stamps
    );

    let tagged = vec![
        Tagged::Born {
            at: when,
            bytes: Base64(vec![0, 255]),
        },
        Tagged::Unknown,
    ];
    let doc = xmlrpc::to_vec(&tagged).expect("writable");
    assert_eq!(
        xmlrpc::from_slice::<Vec<Tagged>>(&doc).expect("readable"),
        tagged
    );

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Outer {
        id: u8,
        #[serde(flatten)]
        inner: Inner,
    }
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Inner {
        #[serde(with = "xmlrpc::datetime::naive")]
        naive: chrono::NaiveDateTime,
        #[serde(with = "xmlrpc::datetime::utc::option")]
        utc: Option<chrono::DateTime<chrono::Utc>>,
    }
    let outer = Outer {
        id: 1,
        inner: Inner {
            naive: when.naive_local(),
            utc: Some(when.to_utc()),
        },
    };
    let doc = xmlrpc::to_vec(&outer).expect("writable");
    assert_eq!(xmlrpc::from_slice::<Outer>(&doc).expect("readable"), outer);
}

/// Values at the limits of their types.
#[test]
fn extremes_round_trip() {
    let v = Value::Array(vec![
        Value::Int(i32::MIN),
        Value::Int(i32::MAX),
        Value::I8(i64::MIN),
        Value::I8(i64::MAX),
        Value::Double(f64::MIN_POSITIVE),
        Value::Double(-5e-324),
        Value::Double(f64::MAX),
        Value::DateTime(DateTime::from_ymd_hms(0, 1, 1, 0, 0, 0).expect("a date")),
        Value::DateTime(DateTime::from_ymd_hms(9999, 12, 31, 23, 59, 59).expect("a date")),
        Value::Base64((0..=255).collect()),
        Value::String("\u{10FFFF}\u{FFFD}\u{E000}\u{D7FF}\t\u{20}\u{7F}\u{85}\u{2028}".into()),
    ]);
    let doc = xmlrpc::to_vec(&v).expect("writable");
    let back: Value = xmlrpc::from_slice(&doc).expect("readable");
    assert!(identical(&back, &v), "{back:?}");
    // A date-time with an offset or a fraction travels as the UTC second it names.
    let zoned: DateTime = "2000-01-01T01:30:00.999+01:30".parse().expect("a date");
    let back: DateTime =
        xmlrpc::from_slice(&xmlrpc::to_vec(&zoned).expect("writable")).expect("readable");
    assert_eq!(
        back,
        DateTime::from_ymd_hms(2000, 1, 1, 0, 0, 0).expect("a date")
    );
}
