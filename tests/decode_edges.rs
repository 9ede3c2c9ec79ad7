//! Edges of the decoder that the rest of the suite did not pin down, found by running
//! `cargo mutants` on the tokenizer (`xml/reader.rs`) and the deserializer (`de.rs`,
//! `de/access.rs`, `de/key.rs`): each test here fails when one of the changes it names is
//! made to the code, and asserts the exact value, or the exact error kind and message.
//!
//! - Limits hold at their exact edge: a document of exactly `max_input` bytes is read, one
//!   byte more is refused; the nesting depth is given back after each array, struct and
//!   enum, so that siblings do not add up.
//! - Tags that do not match are refused with the kind and message of what is wrong: a
//!   mismatched end tag is not well-formed (`Syntax`), a well-formed tag in the wrong place
//!   is not XML-RPC (`Invalid`).
//! - Calls count the parameters read, so that errors name the right one.
//! - Enums written as a struct with one member, types read from other shapes (bytes from an
//!   array, addresses from their text), and integer overflow messages.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use xmlrpc::{CallReader, Deserializer, Error, ErrorKind, Limits, Value};

// ---------------------------------------------------------------------------------------
// Helpers

/// The error that reading `xml` as `T` gives; fails the test when it is read.
fn refused<'de, T: Deserialize<'de> + fmt::Debug>(xml: &'de str) -> Error {
    match xmlrpc::from_str::<T>(xml) {
        Ok(v) => panic!("{xml:?} was read as {v:?}"),
        Err(e) => e,
    }
}

/// The error that reading the call `xml` with parameters `P` gives.
fn call_refused<'de, P: Deserialize<'de> + fmt::Debug>(xml: &'de str) -> Error {
    match xmlrpc::call_from_str::<P>(xml) {
        Ok(call) => panic!("{xml:?} was read as {:?}", call.params),
        Err(e) => e,
    }
}

/// Reads `xml` as `T` with `limits`, and checks the end of the document.
fn read_with<'de, T: Deserialize<'de>>(xml: &'de str, limits: Limits) -> xmlrpc::Result<T> {
    let mut de = Deserializer::from_str(xml).with_limits(limits);
    let value = T::deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

fn i4(n: i32) -> String {
    format!("<value><i4>{n}</i4></value>")
}

fn array(items: &[String]) -> String {
    format!(
        "<value><array><data>{}</data></array></value>",
        items.concat()
    )
}

fn member(name: &str, value: &str) -> String {
    format!("<member><name>{name}</name>{value}</member>")
}

fn structure(members: &[String]) -> String {
    format!("<value><struct>{}</struct></value>", members.concat())
}

// ---------------------------------------------------------------------------------------
// Limits at their exact edge

const DOC: &str = "<value><i4>7</i4></value>";

#[test]
fn a_reader_of_exactly_max_input_bytes_is_read() {
    let limits = Limits::default().max_input(DOC.len());
    let mut de = Deserializer::from_reader(DOC.as_bytes(), limits).expect("within the limit");
    assert_eq!(i32::deserialize(&mut de).expect("an int"), 7);
    de.end().expect("nothing after the value");
}

#[test]
fn a_reader_of_one_byte_more_than_max_input_is_refused() {
    let limits = Limits::default().max_input(DOC.len() - 1);
    let err = Deserializer::from_reader(DOC.as_bytes(), limits).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::LimitExceeded {
                what: "input size",
                limit: 24
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "input size exceeds the limit of 24");
}

#[test]
fn a_string_of_exactly_max_input_bytes_is_read() {
    let got: i32 = read_with(DOC, Limits::default().max_input(DOC.len())).expect("an int");
    assert_eq!(got, 7);
    let err = read_with::<i32>(DOC, Limits::default().max_input(DOC.len() - 1)).unwrap_err();
    assert_eq!(err.to_string(), "input size exceeds the limit of 24");
}

#[test]
fn a_call_of_exactly_max_input_bytes_is_read() {
    let doc = b"<methodCall><methodName>m</methodName></methodCall>";
    let call = CallReader::from_slice_with_limits(doc, Limits::default().max_input(doc.len()))
        .expect("within the limit");
    assert_eq!(call.method(), "m");
    call.finish().expect("a complete call");

    let err = CallReader::from_slice_with_limits(doc, Limits::default().max_input(doc.len() - 1))
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::LimitExceeded { what: "input size", limit } if *limit == doc.len() - 1),
        "{err:?}"
    );
}

#[test]
fn a_string_of_exactly_max_string_bytes_is_read() {
    let limits = Limits::default().max_string(5);
    let got: String = read_with("<value>abcde</value>", limits).expect("within the limit");
    assert_eq!(got, "abcde");
    let err = read_with::<String>("<value>abcdef</value>", limits).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::LimitExceeded {
                what: "string length",
                limit: 5
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "string length exceeds the limit of 5 (line 1, column 8)"
    );
}

/// Decoded text counts as decoded: `&amp;` is one byte of the string.
#[test]
fn a_decoded_string_of_exactly_max_string_bytes_is_read() {
    let limits = Limits::default().max_string(5);
    let got: String = read_with("<value>&amp;abcd</value>", limits).expect("within the limit");
    assert_eq!(got, "&abcd");
    let err = read_with::<String>("<value>&amp;abcde</value>", limits).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::LimitExceeded {
                what: "string length",
                limit: 5
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "string length exceeds the limit of 5 (line 1, column 13)"
    );
}

#[test]
fn a_string_that_reaches_max_string_at_a_reference_or_cdata_is_read() {
    let limits = Limits::default().max_string(5);
    for (doc, expected) in [
        ("<value>abcd&amp;</value>", "abcd&"),
        ("<value><![CDATA[abcde]]></value>", "abcde"),
        ("<value>a<![CDATA[bcde]]></value>", "abcde"),
    ] {
        let got: String = read_with(doc, limits).expect(doc);
        assert_eq!(got, expected);
    }
}

/// The error points at the start of the piece of text that went past the limit.
#[test]
fn a_string_that_passes_max_string_at_a_reference_is_refused_there() {
    let err = read_with::<String>("<value>abcde&amp;</value>", Limits::default().max_string(5))
        .unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::LimitExceeded {
                what: "string length",
                limit: 5
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "string length exceeds the limit of 5 (line 1, column 8)"
    );
}

/// `max_depth(2)`: the outer array is at depth 1, each inner one at depth 2.
#[test]
fn sibling_arrays_do_not_add_up_to_the_depth_limit() {
    let inner = array(&[i4(1)]);
    let doc = array(&[inner.clone(), inner.clone(), inner]);
    let got: Vec<Vec<i32>> = read_with(&doc, Limits::default().max_depth(2)).expect("depth 2");
    assert_eq!(got, [[1], [1], [1]]);
}

#[test]
fn sibling_structs_do_not_add_up_to_the_depth_limit() {
    let inner = structure(&[member("x", &i4(1))]);
    let doc = structure(&[
        member("a", &inner),
        member("b", &inner),
        member("c", &inner),
    ]);
    let got: BTreeMap<String, BTreeMap<String, i32>> =
        read_with(&doc, Limits::default().max_depth(2)).expect("depth 2");
    let one = BTreeMap::from([("x".to_owned(), 1)]);
    let expected = BTreeMap::from([
        ("a".to_owned(), one.clone()),
        ("b".to_owned(), one.clone()),
        ("c".to_owned(), one),
    ]);
    assert_eq!(got, expected);
}

#[derive(Debug, PartialEq, Deserialize)]
enum Shape {
    Point,
    Circle(i32),
}

#[test]
fn sibling_enums_do_not_add_up_to_the_depth_limit() {
    let circle = structure(&[member("Circle", &i4(5))]);
    let doc = array(&[circle.clone(), circle.clone(), circle]);
    let got: Vec<Shape> = read_with(&doc, Limits::default().max_depth(2)).expect("depth 2");
    assert_eq!(got, [Shape::Circle(5), Shape::Circle(5), Shape::Circle(5)]);
}

// ---------------------------------------------------------------------------------------
// Before the root element

#[test]
fn a_byte_order_mark_opens_a_document() {
    let got: i32 = xmlrpc::from_str("\u{feff}<value><i4>1</i4></value>").expect("an int");
    assert_eq!(got, 1);
}

/// The sixth byte of `<!--  c -->` is a space, as the sixth of `<?xml version='1.0'?>`
/// is: only the latter is the XML declaration.
#[test]
fn a_comment_with_spaces_may_open_a_document() {
    let got: i32 = xmlrpc::from_str("<!--  c --><value><i4>1</i4></value>").expect("an int");
    assert_eq!(got, 1);
}

// ---------------------------------------------------------------------------------------
// Tags that do not match

#[test]
fn an_end_tag_where_a_value_starts_is_named_as_an_end_tag() {
    let err = refused::<Value>("</value>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `<value>`, found `</value>` (line 1, column 1)"
    );
}

#[test]
fn a_misspelled_value_tag_is_refused() {
    let err = refused::<i32>("<valu><i4>1</i4></valu>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `<value>`, found `<valu>` (line 1, column 1)"
    );
}

#[test]
fn a_misspelled_data_tag_is_refused() {
    let err = refused::<Vec<i32>>("<value><array><dat/></array></value>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `<data>`, found `<dat>` (line 1, column 15)"
    );
}

#[test]
fn a_mismatched_end_of_value_is_a_syntax_error() {
    let err = refused::<i32>("<value><i4>1</i4></other>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "end tag `</other>` does not match `<value>` (line 1, column 18)"
    );
}

#[test]
fn a_start_tag_where_the_value_ends_is_invalid() {
    let err = refused::<i32>("<value><i4>1</i4><x>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `</value>`, found `<x>` (line 1, column 18)"
    );
}

#[test]
fn an_end_tag_with_space_before_its_bracket_closes_a_scalar() {
    let got: i32 = xmlrpc::from_str("<value><i4>1</i4 ></value >").expect("well-formed");
    assert_eq!(got, 1);
}

#[test]
fn a_mismatched_end_of_a_scalar_type_is_a_syntax_error() {
    let err = refused::<i32>("<value><i4>1</x></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "end tag `</x>` does not match `<i4>` (line 1, column 13)"
    );
}

#[test]
fn a_struct_closed_by_another_end_tag_is_refused() {
    let err = refused::<BTreeMap<String, i32>>("<value><struct></strukt></value>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `<member>` or the end of the struct, found `strukt` (line 1, column 16)"
    );
}

#[test]
fn a_misspelled_member_tag_is_refused() {
    let doc = "<value><struct><membre><name>a</name><value><i4>1</i4></value></membre>\
               </struct></value>";
    let err = refused::<BTreeMap<String, i32>>(doc);
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `<member>` or the end of the struct, found `membre` (line 1, column 16)"
    );
}

#[test]
fn an_array_cut_after_whitespace_is_an_unexpected_end() {
    let err = refused::<Vec<i32>>("<value><array><data>\n  ");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected end of input (line 2, column 3)"
    );
}

#[test]
fn a_value_cut_after_whitespace_is_an_unexpected_end() {
    let err = refused::<i32>("<value><i4>1</i4>\n");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected end of input (line 2, column 1)"
    );
}

#[test]
fn a_value_cut_right_after_its_type_is_an_unexpected_end() {
    let err = refused::<i32>("<value><i4>1</i4>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected end of input (line 1, column 18)"
    );
}

#[test]
fn an_end_tag_cut_before_its_bracket_is_malformed() {
    for doc in ["<value><i4>1</i4></value", "<value><i4>1</i4></value "] {
        let err = refused::<i32>(doc);
        assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "malformed end tag (line 1, column 18)",
            "{doc:?}"
        );
    }
}

#[test]
fn an_array_cut_after_whitespace_before_its_data_is_an_unexpected_end() {
    let err = refused::<Vec<i32>>("<value><array>\n");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected end of input (line 2, column 1)"
    );
}

#[test]
fn text_where_the_end_tag_belongs_is_refused() {
    let err = refused::<i32>("<value><i4>1</i4>x/value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected text where a tag was expected (line 1, column 18)"
    );
}

/// `/<xstring>` holds the bytes of `</string>` but one.
#[test]
fn a_start_tag_after_a_slash_does_not_end_a_string() {
    let err = refused::<String>("<value><string>a/<xstring></value>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `</string>`, found `<xstring>` (line 1, column 18)"
    );
}

// ---------------------------------------------------------------------------------------
// Between tags

#[test]
fn an_empty_data_element_is_an_empty_array() {
    let got: Vec<i32> =
        xmlrpc::from_str("<value><array><data/></array></value>").expect("an empty array");
    assert_eq!(got, Vec::<i32>::new());
}

#[test]
fn a_processing_instruction_between_tags_is_skipped() {
    let got: Vec<i32> =
        xmlrpc::from_str("<value><array><?pi x?><data></data></array></value>").expect("an array");
    assert_eq!(got, Vec::<i32>::new());
}

#[test]
fn cdata_of_whitespace_between_tags_is_skipped() {
    let got: Vec<i32> =
        xmlrpc::from_str("<value><array><![CDATA[ \n]]><data></data></array></value>")
            .expect("an array");
    assert_eq!(got, Vec::<i32>::new());
}

#[test]
fn cdata_of_text_between_tags_is_refused() {
    let err = refused::<Vec<i32>>("<value><array><![CDATA[x]]><data></data></array></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected text where a tag was expected (line 1, column 15)"
    );
}

#[test]
fn text_where_a_start_tag_belongs_is_refused() {
    let err = refused::<Vec<i32>>("<value><array>xdata></data></array></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected text where a tag was expected (line 1, column 15)"
    );
}

#[test]
fn a_start_tag_cut_before_its_bracket_is_an_unexpected_end() {
    for doc in ["<value><array><data", "<value><array><da"] {
        let err = refused::<Vec<i32>>(doc);
        assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "unexpected end of input in a tag (line 1, column 15)",
            "{doc}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Attributes (checked for form, then ignored)

#[test]
fn attributes_without_space_between_them_are_malformed() {
    let err = refused::<i32>("<value a='1'b='2'><i4>1</i4></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(err.to_string(), "malformed tag (line 1, column 13)");
}

#[test]
fn a_start_tag_cut_in_its_attributes_is_refused() {
    for (doc, message) in [
        (
            "<value ",
            "unexpected end of input in a tag (line 1, column 1)",
        ),
        (
            "<value a='1'",
            "unexpected end of input in a tag (line 1, column 1)",
        ),
        (
            "<value a ",
            "expected `=` after an attribute name (line 1, column 10)",
        ),
        (
            "<value a= ",
            "expected a quoted attribute value (line 1, column 11)",
        ),
    ] {
        let err = refused::<i32>(doc);
        assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
        assert_eq!(err.to_string(), message, "{doc:?}");
    }
}

#[test]
fn references_anywhere_in_attribute_values_are_read() {
    let got: i32 =
        xmlrpc::from_str("<value a='x&amp;' b='&lt;y'><i4>1</i4></value>").expect("an int");
    assert_eq!(got, 1);
}

// ---------------------------------------------------------------------------------------
// Comments and processing instructions

#[test]
fn double_hyphens_in_a_comment_are_reported_where_they_are() {
    let err = refused::<Value>("<value><i4>1</i4><!-- a -- b --></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(err.to_string(), "`--` inside a comment (line 1, column 25)");
}

#[test]
fn a_byte_order_mark_may_precede_the_declaration() {
    let got: i32 =
        xmlrpc::from_str("\u{feff}<?xml version='1.0'?><value><i4>1</i4></value>").expect("an int");
    assert_eq!(got, 1);
}

#[test]
fn a_declaration_after_a_byte_order_mark_and_an_element_is_refused() {
    let err = refused::<i32>("\u{feff}<value><?xml version='1.0'?><i4>1</i4></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "XML declaration not at the start of the document (line 1, column 9)"
    );
}

// ---------------------------------------------------------------------------------------
// Character references

#[test]
fn hexadecimal_references_take_both_cases() {
    let got: String = xmlrpc::from_str("<value>&#x6a;&#x4A;&#xe9;</value>").expect("references");
    assert_eq!(got, "jJ\u{e9}");
}

#[test]
fn decimal_references_take_no_hexadecimal_digits() {
    for (doc, name) in [
        ("<value>&#6a;</value>", "#6a"),
        ("<value>&#6A;</value>", "#6A"),
        ("<value>&#-1;</value>", "#-1"),
    ] {
        let err = refused::<String>(doc);
        assert!(
            matches!(err.kind(), ErrorKind::InvalidCharacter(_)),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("invalid character: invalid character reference `&{name};` (line 1, column 8)")
        );
    }
}

/// Without a `;` before the next markup, `&#` starts no reference at all.
#[test]
fn a_character_reference_without_its_semicolon_is_no_reference() {
    for doc in ["<value>&#1 x</value>", "<value>&#1<x/>;</value>"] {
        let err = refused::<String>(doc);
        assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "`&` that does not start a reference (write `&amp;`) (line 1, column 8)",
            "{doc:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Skipped values

#[derive(Debug, Deserialize)]
struct Nothing {}

/// With `max_depth(1)`, a skipped value may hold 8 nested start tags, and not 9.
#[test]
fn a_skipped_value_may_nest_up_to_the_depth_limit() {
    let limits = Limits::default().max_depth(1);
    let nested = |leaf: &str| array(&[array(&[array(&[leaf.to_owned()])])]);
    let doc = structure(&[member("skipped", &nested("<value>x</value>"))]);
    read_with::<Nothing>(&doc, limits).expect("8 start tags");

    let doc = structure(&[member("skipped", &nested(&i4(1)))]);
    let err = read_with::<Nothing>(&doc, limits).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::LimitExceeded {
                what: "nesting depth",
                limit: 1
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_mismatched_end_tag_in_a_skipped_value_is_a_syntax_error() {
    let doc = structure(&[member(
        "skipped",
        "<value><array><data></dada></array></value>",
    )]);
    let err = refused::<Nothing>(&doc);
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "end tag `</dada>` does not match `<data>` at skipped (line 1, column 64)"
    );
}

// ---------------------------------------------------------------------------------------
// Names (XML's `Name` production, beyond ASCII too)

#[test]
fn a_name_may_start_with_a_letter_beyond_ascii() {
    let err = refused::<Value>("<value><\u{e9}/></value>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unknown value type `<\u{e9}>` (line 1, column 8)"
    );
}

/// `é` and the middle dot `·` (a `NameChar` that cannot start a name) continue a name.
#[test]
fn a_name_continues_with_name_characters_beyond_ascii() {
    let err = refused::<Value>("<value><a\u{e9}\u{b7}/></value>");
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unknown value type `<a\u{e9}\u{b7}>` (line 1, column 8)"
    );
}

/// `×` (U+00D7) is no name character at all.
#[test]
fn a_character_that_cannot_start_a_name_is_no_tag() {
    let err = refused::<Value>("<value><\u{d7}/></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(err.to_string(), "a tag without a name (line 1, column 8)");
}

#[test]
fn a_character_that_cannot_continue_a_name_makes_a_malformed_tag() {
    let err = refused::<Value>("<value><a\u{d7}/></value>");
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(err.to_string(), "malformed tag (line 1, column 10)");
}

/// The local name is what follows the last colon, even when the prefix is empty.
#[test]
fn a_name_that_starts_with_a_colon_has_the_rest_as_its_local_name() {
    let got: i32 = xmlrpc::from_str("<value><:i4>5</:i4></value>").expect("an int");
    assert_eq!(got, 5);
}

// ---------------------------------------------------------------------------------------
// Characters XML forbids

/// U+FFFD's UTF-8 starts with 0xEF, like U+FFFE's, so the text beside it is looked at
/// closely: a space is no forbidden character.
#[test]
fn a_space_beside_a_character_led_by_0xef_is_text() {
    let got: String = xmlrpc::from_str("<value>a \u{fffd}</value>").expect("allowed characters");
    assert_eq!(got, "a \u{fffd}");
}

#[test]
fn a_forbidden_character_after_a_space_is_reported_at_its_place() {
    let err = refused::<Value>("<value>a \u{1}</value>");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidCharacter(_)),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "invalid character: U+0001 is not allowed in XML (line 1, column 10)"
    );
}

// ---------------------------------------------------------------------------------------
// The parameters of a call

const CALL_START: &str = "<methodCall><methodName>m</methodName>";

#[test]
fn a_mismatched_end_tag_in_params_is_a_syntax_error() {
    let doc = format!("{CALL_START}<params></param></methodCall>");
    let err = call_refused::<Vec<i32>>(&doc);
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "end tag `</param>` does not match `<params>` (line 1, column 47)"
    );
}

#[test]
fn a_misspelled_param_tag_is_refused() {
    let doc =
        format!("{CALL_START}<params><parm><value><i4>1</i4></value></parm></params></methodCall>");
    let err = call_refused::<Vec<i32>>(&doc);
    assert!(matches!(err.kind(), ErrorKind::Invalid(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "expected `<param>` or `</params>`, found `parm` (line 1, column 47)"
    );
}

#[test]
fn params_read_one_by_one_are_counted() {
    let doc = format!(
        "{CALL_START}<params><param>{}</param><param>{}</param><param>{}</param></params>\
         </methodCall>",
        i4(1),
        i4(2),
        "<value><string>three</string></value>",
    );
    let mut call = CallReader::from_str(&doc).expect("a call");
    assert_eq!(call.next_param::<i32>().expect("an int"), Some(1));
    assert_eq!(call.params_read(), 1);
    assert_eq!(call.next_param::<i32>().expect("an int"), Some(2));
    assert_eq!(call.params_read(), 2);
    let err = call.next_param::<i32>().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TypeMismatch { expected, found: "string" } if expected == "int"),
        "{err:?}"
    );
    assert_eq!(err.path(), "params[2]");
}

#[test]
fn the_method_name_is_borrowed_from_a_string() {
    let doc = format!("{CALL_START}</methodCall>");
    let call = CallReader::from_str(&doc).expect("a call");
    assert!(
        matches!(call.method_cow(), Cow::Borrowed("m")),
        "{:?}",
        call.method_cow()
    );
}

// ---------------------------------------------------------------------------------------
// Enums written as a struct with one member

#[test]
fn a_unit_variant_in_a_struct_skips_its_value() {
    let doc = structure(&[member("Point", "<value><nil/></value>")]);
    let got: Shape = xmlrpc::from_str(&doc).expect("a unit variant");
    assert_eq!(got, Shape::Point);
}

#[test]
fn an_enum_struct_closed_by_another_end_tag_is_refused() {
    let doc = "<value><struct><member><name>Circle</name><value><i4>1</i4></value></member>\
               </strukt></value>";
    let err = refused::<Shape>(doc);
    assert!(matches!(err.kind(), ErrorKind::InvalidValue(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "an enum variant needs a struct with exactly one member (line 1, column 77)"
    );
}

#[test]
fn an_enum_struct_with_a_misspelled_member_tag_is_refused() {
    let doc = "<value><struct><membre><name>Circle</name><value><i4>1</i4></value></membre>\
               </struct></value>";
    let err = refused::<Shape>(doc);
    assert!(matches!(err.kind(), ErrorKind::InvalidValue(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "an enum variant needs a struct with exactly one member (line 1, column 16)"
    );
}

// ---------------------------------------------------------------------------------------
// Types read from other shapes

/// The first member of a struct, read by a visitor that stops there.
#[derive(Debug, PartialEq)]
struct FirstMember(String, i32);

impl<'de> Deserialize<'de> for FirstMember {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct First;
        impl<'de> Visitor<'de> for First {
            type Value = FirstMember;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a struct with a member")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FirstMember, A::Error> {
                let (k, v) = map
                    .next_entry()?
                    .ok_or_else(|| serde::de::Error::custom("no member"))?;
                Ok(FirstMember(k, v))
            }
        }
        d.deserialize_map(First)
    }
}

#[test]
fn members_a_visitor_leaves_are_skipped() {
    let doc = structure(&[
        member("a", &i4(1)),
        member("b", &array(&[i4(2)])),
        member("c", "<value>text</value>"),
    ]);
    let got: FirstMember = xmlrpc::from_str(&doc).expect("the first member");
    assert_eq!(got, FirstMember("a".to_owned(), 1));
}

#[test]
fn bytes_are_read_from_an_array_of_ints() {
    let doc = array(&[i4(1), i4(255), i4(0)]);
    let got: serde_bytes::ByteBuf = xmlrpc::from_str(&doc).expect("bytes");
    assert_eq!(got.into_vec(), [1, 255, 0]);
}

/// Types that read differently from formats that are not human-readable read their text.
#[test]
fn an_address_is_read_from_its_text() {
    let got: std::net::Ipv4Addr = xmlrpc::from_str("<value>127.0.0.1</value>").expect("text");
    assert_eq!(got, std::net::Ipv4Addr::LOCALHOST);
}

#[test]
fn an_int_out_of_range_is_an_invalid_int() {
    let err = refused::<i64>("<value><int>99999999999999999999</int></value>");
    assert!(matches!(err.kind(), ErrorKind::InvalidValue(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "invalid int value \"99999999999999999999\" (line 1, column 1)"
    );
}

#[test]
fn a_biginteger_out_of_range_says_it_does_not_fit() {
    let err = refused::<i64>("<value><biginteger>99999999999999999999</biginteger></value>");
    assert!(matches!(err.kind(), ErrorKind::InvalidValue(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "biginteger value 99999999999999999999 does not fit in 64 bits (line 1, column 1)"
    );
}

#[test]
fn a_deserializer_shows_its_position_and_size() {
    let de = Deserializer::from_str("<value/>");
    let shown = format!("{de:?}");
    assert!(
        shown.starts_with("Deserializer { position: 0, len: 8, limits: Limits {"),
        "{shown}"
    );
}
