//! The tokenizer against quick-xml 0.42: XML-RPC documents written from random `Value`s,
//! laid out in several ways and then damaged, read by both. Where both read a document,
//! they must read the same elements and text; where only one does, the reason must be on
//! the list in the `xml` module's documentation; and at least a third of the documents
//! must be read by both, so that the comparison is not vacuous.

#![allow(missing_docs)]

#[path = "support/oracle.rs"]
mod oracle;

use std::collections::BTreeMap;

use oracle::{Known, Layout, Mutation, Outcome};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use xmlrpc::{DateTime, Struct, Value};

const PIECES: &[&str] = &[
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
    "<![CDATA[",
    "-->",
    "?>",
    "é",
    "\u{1F600}",
    "\u{FEFF}",
    "\u{85}",
    "\u{FFFD}",
    "<value>",
    "</string>",
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(
            any::<char>().prop_filter("XML", |&c| oracle::xml_char(c)),
            0..8
        )
        .prop_map(String::from_iter),
        vec(select(PIECES), 0..4).prop_map(|v| v.concat()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i32>().prop_map(Value::Int),
        any::<i64>().prop_map(Value::I8),
        any::<bool>().prop_map(Value::Bool),
        string().prop_map(Value::String),
        (-1e6f64..1e6).prop_map(Value::Double),
        (0i32..9999, 1u32..13, 1u32..29).prop_map(|(y, m, d)| {
            Value::DateTime(DateTime::from_ymd_hms(y, m, d, 12, 0, 0).expect("a valid date"))
        }),
        vec(any::<u8>(), 0..8).prop_map(Value::Base64),
        Just(Value::Nil),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((string(), inner), 0..4)
                .prop_map(|members| Value::Struct(Struct::from_iter(members))),
        ]
    })
}

fn layout() -> impl Strategy<Value = Layout> {
    (0u8..4, any::<[bool; 7]>(), 0u8..4).prop_map(|(kind, f, decl)| Layout {
        kind,
        apache: f[0],
        lines: f[1],
        crlf: f[2],
        comments: f[3],
        cdata: f[4],
        refs: f[5],
        spaces: f[6],
        decl,
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<u16>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set { at, byte }),
        (any::<u16>(), any::<u8>()).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<u16>(), any::<u8>()).prop_map(|(at, what)| Mutation::Insert { at, what }),
        (any::<u16>(), any::<u8>()).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        any::<u16>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop_oneof![
        2 => Just(Vec::new()),
        3 => vec(mutation(), 1..4),
    ]
}

#[test]
fn the_tokenizer_reads_what_quick_xml_reads() {
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: None,
        ..Config::default()
    });
    let counts = std::cell::RefCell::new(BTreeMap::<String, usize>::new());
    let result = runner.run(&(value(), layout(), mutations()), |(v, layout, damage)| {
        let Some(mut doc) = oracle::render(&v, layout) else {
            return Ok(());
        };
        for m in damage {
            oracle::mutate(&mut doc, m);
        }
        let outcome = match std::panic::catch_unwind(|| oracle::compare(&doc)) {
            Ok(outcome) => outcome,
            Err(_) => {
                return Err(TestCaseError::fail(format!("disagreement on {doc:?}")));
            }
        };
        let key = match outcome {
            Outcome::BothAccept => "both accept".to_owned(),
            Outcome::BothRefuse => "both refuse".to_owned(),
            Outcome::Known(k) => format!("known: {k:?}"),
        };
        *counts.borrow_mut().entry(key).or_default() += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let counts = counts.into_inner();
    let total: usize = counts.values().sum();
    let accepted = counts.get("both accept").copied().unwrap_or(0);
    println!("{total} documents: {counts:?}");
    assert!(total > 2500, "too few documents were generated: {counts:?}");
    assert!(
        accepted * 3 >= total,
        "only {accepted} of {total} documents were read by both: {counts:?}"
    );
}

/// Each entry of the list, with a document that shows it.
#[test]
fn every_known_disagreement_is_real() {
    let cases = [
        (Known::Doctype, "<!DOCTYPE value><value>x</value>"),
        (Known::ForbiddenChar, "<value>a\u{1}b</value>"),
        (Known::ForbiddenChar, "<value>a&#1;b</value>"),
        (Known::ForbiddenChar, "<value>&#xFFFE;</value>"),
        (Known::ForbiddenChar, "<value a='&#2;'/>"),
        (Known::NotOneRoot, "<value>1</value><value>2</value>"),
        (Known::NotOneRoot, "<value>1</value>trailing"),
        (Known::NotOneRoot, ""),
        (Known::NotOneRoot, "<!-- only a comment -->"),
        (
            Known::LateDeclaration,
            "<value><?xml version='1.0'?></value>",
        ),
        (Known::LateDeclaration, "\n<?xml version='1.0'?><value/>"),
        (Known::BadName, "<1value>x</1value>"),
        (Known::BadName, "<value 1a=''/>"),
        (Known::BadName, "<value><? no target?></value>"),
        (Known::BadName, "<value><?XML reserved?></value>"),
        (Known::NotOneRoot, "<value><array>"),
        (Known::AttributeSyntax, "<value a='<'/>"),
        (Known::AttributeSyntax, "<value a='1'b='2'/>"),
    ];
    for (known, doc) in cases {
        match oracle::compare(doc) {
            Outcome::Known(k) => assert_eq!(k, known, "{doc:?}"),
            other => panic!("{doc:?}: {other:?}, not {known:?}"),
        }
    }
}

/// Documents both read, each a construct of XML the tokenizer meets in XML-RPC.
#[test]
fn both_read_the_constructs_of_xml_rpc() {
    for doc in [
        "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value><string>a &amp; b</string></value>\n</param>\n</params>\n</methodResponse>\n",
        "\u{feff}<?xml version='1.0' encoding='UTF-8'?><value><![CDATA[<&>\r\n]]>&#233;&#x1F600;</value>",
        "<methodCall xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"><methodName>a.b</methodName><params><param><value><ex:nil/></value></param></params></methodCall>",
        "<value><!-- c --><?pi x?>text<!-- d --></value><!-- after -->",
        "<value><struct a=\"1\" b='&quot;'><member><name>k</name><value/></member></struct ></value>",
        "<a:><b:c/></a:>",
    ] {
        assert!(
            matches!(oracle::compare(doc), Outcome::BothAccept),
            "{doc:?}"
        );
    }
}

/// Documents the fuzz target found, kept: each once made the comparison fail.
#[test]
fn fuzz_findings_stay_fixed() {
    // A processing instruction without a target: quick-xml refused it, the tokenizer
    // read it as a processing instruction.
    assert!(matches!(
        oracle::compare("<value><?>pi data?></value>"),
        Outcome::BothRefuse
    ));
    // An empty root element followed by content: the XML-RPC reader took `<methodResponse/>`
    // for an open element and read on to a stray end tag.
    let doc = "<?xml version='1.0' encoding='UTF-8'?>\n<methodResponse/><params><param><value>\
               <int>1</int></value></param></params></methodResponse>";
    assert!(matches!(oracle::compare(doc), Outcome::BothRefuse));
    assert!(xmlrpc::response_from_str::<xmlrpc::Value>(doc).is_err());
}
