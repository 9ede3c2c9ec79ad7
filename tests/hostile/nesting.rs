//! Nesting: arrays, structs and values nested far deeper than the depth limit fail at the
//! limit, on a default thread stack, whichever way they are read, skipped ones included.

use super::*;

const LEAF: &str = "<value><int>1</int></value>";

fn deep_arrays() -> String {
    nested_arrays(100_000, LEAF)
}

fn deep_structs() -> String {
    nested_structs(100_000, "m", "<value>x</value>")
}

/// A recursive type, as deep as the document.
#[derive(Deserialize)]
#[allow(dead_code)] // Only its depth is read.
struct Tree(Vec<Tree>);

#[test]
fn deeply_nested_arrays_fail_at_the_depth_limit() {
    let err = refused(
        "100k arrays",
        deep_arrays(),
        as_value,
        LIMIT_EXCEEDED,
        "nesting depth exceeds the limit of 64",
    );
    assert_eq!(err.path(), "[0]".repeat(64));
}

hostile_cases! {
    deeply_nested_arrays_as_ignored_any:
        deep_arrays(),
        |b| xmlrpc::from_slice::<IgnoredAny>(b).map(drop) => LIMIT_EXCEEDED, "nesting depth";
    deeply_nested_arrays_as_a_param:
        call_doc(&[&deep_arrays()]),
        as_call => LIMIT_EXCEEDED, "nesting depth exceeds the limit of 64";
    deeply_nested_arrays_as_a_param_read_one_by_one:
        call_doc(&[&deep_arrays()]),
        |b| {
            let mut call = CallReader::from_slice(b)?;
            while call.next_param::<Value>()?.is_some() {}
            call.finish()
        } => LIMIT_EXCEEDED, "nesting depth";
    deeply_nested_arrays_in_a_response:
        response_doc(&deep_arrays()),
        as_response => LIMIT_EXCEEDED, "nesting depth";
    deeply_nested_arrays_into_a_recursive_type:
        nested_arrays(100_000, ""),
        |b| xmlrpc::from_slice::<Tree>(b).map(drop) => LIMIT_EXCEEDED, "nesting depth";
}

#[test]
fn deeply_nested_structs_fail_at_the_depth_limit() {
    let err = refused(
        "100k structs",
        deep_structs(),
        as_value,
        LIMIT_EXCEEDED,
        "nesting depth exceeds the limit of 64",
    );
    assert_eq!(err.path(), vec!["m"; 64].join("."));
}

/// Arrays and structs in turn, 50,000 of each, never closed.
fn mixed() -> String {
    "<value><array><data><value><struct><member><name>k</name>".repeat(50_000)
}

hostile_cases! {
    deeply_nested_structs_as_ignored_any:
        deep_structs(),
        |b| xmlrpc::from_slice::<IgnoredAny>(b).map(drop) => LIMIT_EXCEEDED, "nesting depth";
    deeply_nested_structs_as_a_param:
        call_doc(&[&deep_structs()]),
        as_call => LIMIT_EXCEEDED, "nesting depth";
    // Long member names at every level must not make a long message.
    nested_structs_with_long_names:
        nested_structs(1_000, &"n".repeat(200), "<value>x</value>"),
        as_value => LIMIT_EXCEEDED, "nesting depth";
    deeply_nested_arrays_and_structs:
        mixed(),
        as_value => LIMIT_EXCEEDED, "nesting depth";
}

#[test]
fn deeply_nested_values_fail_fast() {
    // `<value>` directly inside `<value>` is not XML-RPC at all.
    let err = refused(
        "100k bare values",
        nested_values(100_000),
        as_value,
        INVALID_REQUEST,
        "unknown value type `<value>`",
    );
    assert_eq!(err.position().map(|p| p.column), Some(8));
}

hostile_cases! {
    // Unclosed: only the start tags.
    unclosed_nested_values:
        "<value>".repeat(100_000),
        as_value => INVALID_REQUEST, "unknown value type";
    unclosed_nested_arrays:
        "<value><array><data>".repeat(100_000),
        as_value => LIMIT_EXCEEDED, "nesting depth";
}

// The skip path of typed structs: ignored members are skipped without building anything;
// their nesting is bounded all the same. Bare `<value>` in `<value>` is refused at once;
// inside an array that is skipped, it is only markup to step over.

/// A call whose one parameter is an array around 100k bare values.
fn ignored_param_doc() -> String {
    call_doc(&[&format!(
        "<value><array><data>{}</data></array></value>",
        nested_values(100_000)
    )])
}

hostile_cases! {
    bare_values_in_an_ignored_member:
        with_ignored_member(&nested_values(100_000)),
        as_known => INVALID_REQUEST, "unknown value type `<value>`";
    nested_values_in_an_ignored_member:
        with_ignored_member(&format!("<value><array><data>{}", nested_values(100_000))),
        as_known => LIMIT_EXCEEDED, "nesting depth";
    nested_arrays_in_an_ignored_member:
        with_ignored_member(&nested_arrays(100_000, "")),
        as_known => LIMIT_EXCEEDED, "nesting depth";
    nested_structs_in_an_ignored_member:
        with_ignored_member(&nested_structs(100_000, "m", "<value/>")),
        as_known => LIMIT_EXCEEDED, "nesting depth";
    nested_unknown_elements_in_an_ignored_member:
        with_ignored_member(&format!("<value><array>{}", "<x>".repeat(100_000))),
        as_known => LIMIT_EXCEEDED, "nesting depth";
    nested_values_as_an_ignored_param:
        ignored_param_doc(),
        |b| CallReader::from_slice(b)?.params::<(IgnoredAny,)>().map(drop)
            => LIMIT_EXCEEDED, "nesting depth";
    // Malformed content is still found while skipping.
    mismatched_end_in_an_ignored_member:
        with_ignored_member("<value><array><data></array></data></value>"),
        as_known => PARSE_ERROR, "end tag `</array>` does not match `<data>`";
    unclosed_ignored_member:
        "<value><struct><member><name>ignored</name><value><array><data><value>",
        as_known => PARSE_ERROR, "unexpected end of input";
}

/// What the limit allows is skipped and the known member still read.
fn skipped_at_the_limit(inner: String) {
    let doc = with_ignored_member(&inner);
    let known = guarded("64 levels in an ignored member", move || {
        xmlrpc::from_slice::<Known>(doc.as_bytes())
    });
    assert_eq!(known.expect("64 levels are allowed"), Known { known: 7 });
}

#[test]
fn arrays_as_deep_as_the_limit_are_skipped_in_an_ignored_member() {
    skipped_at_the_limit(nested_arrays(64, LEAF));
}

#[test]
fn structs_as_deep_as_the_limit_are_skipped_in_an_ignored_member() {
    skipped_at_the_limit(nested_structs(64, "m", "<value/>"));
}

/// `max` levels nest; one more fails, at the level that is one too deep.
fn the_depth_limit_is_exact(max: usize) {
    let leaf = LEAF;
    let limits = Limits::default().max_depth(max);
    let at_limit = nested_arrays(max, leaf);
    let v = guarded("at the limit", move || {
        value_with(limits, at_limit.as_bytes())
    });
    let mut v = v.unwrap_or_else(|e| panic!("{max} nested arrays with max_depth({max}): {e}"));
    for _ in 0..max {
        v = v.as_array().expect("an array")[0].clone();
    }
    assert_eq!(v, Value::Int(1));

    let over = nested_arrays(max + 1, leaf);
    let err = guarded("over the limit", move || {
        value_with(limits, over.as_bytes())
    })
    .expect_err("one level more than the limit");
    check(
        "over",
        &err,
        LIMIT_EXCEEDED,
        &format!("nesting depth exceeds the limit of {max}"),
    );
    assert_eq!(err.path(), "[0]".repeat(max));
    // The error points at the `<value>` of the array one too deep.
    assert_eq!(err.position().map(|p| p.column), Some(20 * max + 1));

    let structs = nested_structs(max, "k", leaf);
    assert!(
        value_with(limits, structs.as_bytes()).is_ok(),
        "{max} structs"
    );
    let structs = nested_structs(max + 1, "k", leaf);
    let err = value_with(limits, structs.as_bytes()).expect_err("one struct too many");
    check("structs over", &err, LIMIT_EXCEEDED, "nesting depth");

    // In calls and responses, each parameter's value starts at depth 0.
    let call = call_doc(&[&nested_arrays(max, leaf), &nested_arrays(max, leaf)]);
    assert_eq!(
        call_with(limits, call.as_bytes())
            .expect("at the limit")
            .len(),
        2
    );
    let call = call_doc(&[leaf, &nested_arrays(max + 1, leaf)]);
    let err = call_with(limits, call.as_bytes()).expect_err("over the limit");
    check("call over", &err, LIMIT_EXCEEDED, "nesting depth");
    assert!(err.path().starts_with("params[1]"), "{}", err.path());
    let response = response_doc(&nested_arrays(max, leaf));
    assert!(response_with(limits, response.as_bytes()).is_ok());
    let response = response_doc(&nested_arrays(max + 1, leaf));
    let err = response_with(limits, response.as_bytes()).expect_err("over the limit");
    check("response over", &err, LIMIT_EXCEEDED, "nesting depth");
}

/// One `#[test]` per depth limit: `name: max_depth;`.
macro_rules! exact_depth_cases {
    ($($name:ident: $max:expr;)*) => {
        $(
            #[test]
            fn $name() {
                the_depth_limit_is_exact($max);
            }
        )*
    };
}

exact_depth_cases! {
    a_depth_limit_of_0_is_exact: 0;
    a_depth_limit_of_1_is_exact: 1;
    a_depth_limit_of_2_is_exact: 2;
    a_depth_limit_of_5_is_exact: 5;
    a_depth_limit_of_64_is_exact: 64;
    a_depth_limit_of_200_is_exact: 200;
}

#[test]
fn the_default_depth_limit_is_64() {
    let ok = nested_arrays(64, LEAF);
    assert!(guarded("64", move || xmlrpc::from_slice::<Value>(ok.as_bytes())).is_ok());
    let over = nested_arrays(65, LEAF);
    let err =
        guarded("65", move || xmlrpc::from_slice::<Value>(over.as_bytes())).expect_err("65 levels");
    check(
        "65",
        &err,
        LIMIT_EXCEEDED,
        "nesting depth exceeds the limit of 64",
    );
}

// max_depth is capped (at 500) so that recursion cannot overflow the stack: that many
// levels must decode, encode, compare and drop on a thread with the default 2 MiB stack, in
// unoptimized builds too.

/// The cap on max_depth.
const CAP: usize = 500;

#[test]
fn max_depth_is_capped_at_500() {
    assert_eq!(
        Limits::unlimited(),
        Limits::unlimited().max_depth(usize::MAX)
    );
    assert_eq!(
        Limits::default().max_depth(usize::MAX),
        Limits::default().max_depth(CAP)
    );
    assert_ne!(
        Limits::default().max_depth(CAP - 1),
        Limits::default().max_depth(CAP)
    );
}

/// Decodes `doc` as deep as the cap, writes it back, and compares it with `expected`, built
/// here without the decoder, and a clone of it with `expected`.
fn as_deep_as_the_cap(what: &str, doc: String, expected: Value) {
    guarded(what, move || {
        let v = value_with(Limits::unlimited(), doc.as_bytes()).expect("as deep as the cap");
        let xml = xmlrpc::to_vec(&v).expect("written back");
        assert_eq!(xml, doc.as_bytes());
        assert_eq!(v, expected);
        let copy = v.clone();
        assert_eq!(copy, expected);
        assert!(v.to_string().len() > CAP);
    });
}

#[test]
fn arrays_as_deep_as_the_cap_fit_on_a_thread_stack() {
    let mut expected = Value::Int(1);
    for _ in 0..CAP {
        expected = Value::Array(vec![expected]);
    }
    as_deep_as_the_cap("arrays", nested_arrays(CAP, LEAF), expected);
}

#[test]
fn structs_as_deep_as_the_cap_fit_on_a_thread_stack() {
    let mut expected = Value::Int(1);
    for _ in 0..CAP {
        expected = Value::Struct([("k".to_owned(), expected)].into_iter().collect());
    }
    as_deep_as_the_cap("structs", nested_structs(CAP, "k", LEAF), expected);
}

#[test]
fn a_recursive_type_as_deep_as_the_cap_fits_on_a_thread_stack() {
    let typed = nested_arrays(CAP, "");
    guarded("typed", move || {
        let mut de = Deserializer::from_slice(typed.as_bytes())?.with_limits(Limits::unlimited());
        Tree::deserialize(&mut de).map(drop)
    })
    .expect("as deep as the cap, into a recursive type");
}

#[test]
fn one_level_over_the_cap_is_refused_with_a_shortened_path() {
    let over = nested_structs(CAP + 1, "k", LEAF);
    let err = guarded("over", move || {
        value_with(Limits::unlimited(), over.as_bytes())
    })
    .expect_err("one level more");
    check(
        "over",
        &err,
        LIMIT_EXCEEDED,
        "nesting depth exceeds the limit of 500",
    );
    // The message shows the two ends of the 500-member path, not all of it.
    assert_eq!(err.path().len(), 2 * CAP - 1);
    let msg = err.to_string();
    assert!(
        msg.contains(" at k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k...k.k.k.k."),
        "{msg}"
    );
    assert!(msg.ends_with(".k.k (line 1, column 18501)"), "{msg}");
}
