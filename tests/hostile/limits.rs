//! Size limits: input, string length, struct members, array elements and parameters, each
//! exact at its limit and refused one over it, with the defaults checked as well.

use super::*;

#[test]
fn input_beyond_max_input_is_refused_before_parsing() {
    let doc = call_doc(&["<value><string>a fairly ordinary parameter</string></value>"]);
    let len = doc.len();
    let exact = Limits::default().max_input(len);
    assert!(
        call_with(exact, doc.as_bytes()).is_ok(),
        "a document exactly at the limit"
    );
    let small = Limits::default().max_input(len - 1);
    let err = call_with(small, doc.as_bytes()).expect_err("one byte over");
    check(
        "call over max_input",
        &err,
        LIMIT_EXCEEDED,
        &format!("input size exceeds the limit of {}", len - 1),
    );
}

const SHORT_VALUE: &str = "<value><string>0123456789</string></value>";

#[test]
fn max_input_given_to_a_deserializer_after_construction_counts() {
    let err =
        value_with(Limits::default().max_input(10), SHORT_VALUE.as_bytes()).expect_err("over");
    check(
        "value over max_input",
        &err,
        LIMIT_EXCEEDED,
        "input size exceeds the limit of 10",
    );
}

#[test]
fn a_response_over_max_input_is_refused() {
    let err = response_with(
        Limits::default().max_input(10),
        response_doc(SHORT_VALUE).as_bytes(),
    )
    .expect_err("over");
    check(
        "response over max_input",
        &err,
        LIMIT_EXCEEDED,
        "input size",
    );
}

/// A string value that makes the document just over the default 20 MiB.
fn over_20_mib() -> Vec<u8> {
    let mut huge = b"<value><string>".to_vec();
    huge.resize(20 << 20, b'a');
    huge.extend_from_slice(b"</string></value>");
    huge
}

hostile_cases! {
    // Multi-megabyte garbage, and a document just over the default 20 MiB.
    five_mib_of_lt: vec![b'<'; 5 << 20], as_value => PARSE_ERROR, "tag without a name";
    a_value_over_the_default_max_input:
        over_20_mib(), as_value => LIMIT_EXCEEDED, "input size exceeds the limit of 20971520";
    a_call_over_the_default_max_input:
        over_20_mib(), as_call => LIMIT_EXCEEDED, "input size exceeds the limit of 20971520";
    a_response_over_the_default_max_input:
        over_20_mib(), as_response => LIMIT_EXCEEDED, "input size exceeds the limit of 20971520";
}

// An endless stream: reading must stop at max_input + 1 bytes.

#[test]
fn an_endless_reader_stops_at_the_limit_in_from_reader() {
    let err = guarded("from_reader", || {
        xmlrpc::from_reader::<_, Value>(std::io::repeat(b'a'))
    })
    .expect_err("endless input");
    check(
        "from_reader",
        &err,
        LIMIT_EXCEEDED,
        "input size exceeds the limit of 20971520",
    );
}

#[test]
fn an_endless_reader_stops_at_the_limit_in_call_from_reader() {
    let err = guarded("call_from_reader", || {
        xmlrpc::call_from_reader::<_, Vec<Value>>(std::io::repeat(b' '))
    })
    .expect_err("endless input");
    check("call_from_reader", &err, LIMIT_EXCEEDED, "input size");
}

#[test]
fn an_endless_reader_stops_at_the_limit_in_response_from_reader() {
    let err = guarded("response_from_reader", || {
        xmlrpc::response_from_reader::<_, Value>(std::io::repeat(b'<'))
    })
    .expect_err("endless input");
    check("response_from_reader", &err, LIMIT_EXCEEDED, "input size");
}

#[test]
fn an_endless_reader_is_asked_for_one_byte_more_than_a_small_limit() {
    struct Counting<R>(R, std::sync::Arc<std::sync::atomic::AtomicUsize>);
    impl<R: std::io::Read> std::io::Read for Counting<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            Ok(n)
        }
    }
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let reader = Counting(std::io::repeat(b'a'), count.clone());
    let err = guarded("small limit", move || {
        Deserializer::from_reader(reader, Limits::default().max_input(1000)).map(drop)
    })
    .expect_err("endless input");
    check(
        "small limit",
        &err,
        LIMIT_EXCEEDED,
        "input size exceeds the limit of 1000",
    );
    assert_eq!(count.load(std::sync::atomic::Ordering::Relaxed), 1001);
}

#[test]
fn a_document_valid_up_to_the_limit_that_goes_on_forever_is_refused() {
    use std::io::Read as _;
    let endless = (&b"<value><string>"[..]).chain(std::io::repeat(b'x'));
    let err = guarded("endless string", move || {
        Deserializer::from_reader(endless, Limits::default().max_input(4096)).map(drop)
    })
    .expect_err("endless string");
    check("endless string", &err, LIMIT_EXCEEDED, "input size");
}

// Strings longer than max_string: the limit counts the decoded text, whichever way it was
// written.

const A16: &str = "aaaaaaaaaaaaaaaa";
const A17: &str = "aaaaaaaaaaaaaaaaa";

fn max_string_16() -> Limits {
    Limits::default().max_string(16)
}

#[test]
fn a_string_at_max_string_is_read() {
    assert_eq!((A16.len(), A17.len()), (16, 17));
    let doc = format!("<value><string>{A16}</string></value>");
    assert_eq!(
        value_with(max_string_16(), doc.as_bytes()).unwrap(),
        Value::String(A16.to_owned())
    );
    let doc = format!("<value>&amp;{}</value>", "a".repeat(15));
    assert!(value_with(max_string_16(), doc.as_bytes()).is_ok());
}

/// One `#[test]` per document whose text is one character over a `max_string` of 16.
macro_rules! over_max_string_cases {
    ($($name:ident: $doc:expr;)*) => {
        $(
            #[test]
            fn $name() {
                let doc: String = $doc;
                let what = stringify!($name);
                let err = guarded(what, move || value_with(max_string_16(), doc.as_bytes()))
                    .expect_err(what);
                check(what, &err, LIMIT_EXCEEDED, "string length exceeds the limit of 16");
            }
        )*
    };
}

mod over_max_string {
    use super::*;

    over_max_string_cases! {
        plain: format!("<value><string>{A17}</string></value>");
        untyped: format!("<value>{A17}</value>");
        entity_first: format!("<value>&amp;{A16}</value>");
        entity_in_the_middle: format!("<value>{}&lt;{}</value>", "a".repeat(8), "a".repeat(8));
        entity_last: format!("<value>{A16}&gt;</value>");
        entities_only: format!("<value>{}</value>", "&#65;".repeat(17));
        cdata: format!("<value><![CDATA[{A17}]]></value>");
        cdata_then_text: format!("<value><![CDATA[a]]>{A16}</value>");
        comment_then_text: format!("<value>a<!-- c -->{A16}</value>");
        line_ends: format!("<value>{}</value>", "a\r\n".repeat(9));
        member_name: format!(
            "<value><struct><member><name>{A17}</name><value/></member></struct></value>"
        );
        base64: format!("<value><base64>{}</base64></value>", "QUJD".repeat(5));
        double: format!("<value><double>{}</double></value>", "1".repeat(17));
    }
}

#[test]
fn a_method_name_over_max_string_is_refused() {
    let call = format!("<methodCall><methodName>{A17}</methodName></methodCall>");
    let err = CallReader::from_slice_with_limits(call.as_bytes(), max_string_16())
        .expect_err("long method name");
    check("method name", &err, LIMIT_EXCEEDED, "string length");
}

hostile_cases! {
    // A multi-megabyte string under the default 16 MiB string limit is fine; over it is not.
    a_string_over_the_default_max_string:
        format!("<value>{}</value>", "b".repeat(17 << 20)),
        as_value => LIMIT_EXCEEDED, "string length exceeds the limit of 16777216";
    a_string_over_the_default_max_string_after_an_entity:
        format!("<value>&amp;{}</value>", "b".repeat(17 << 20)),
        as_value => LIMIT_EXCEEDED, "string length";
}

const MEMBER: &str = "<member><name>k</name><value><int>1</int></value></member>";

fn struct_of(n: usize) -> String {
    format!("<value><struct>{}</struct></value>", MEMBER.repeat(n))
}

fn max_members_3() -> Limits {
    Limits::default().max_members(3)
}

#[test]
fn a_struct_over_max_members_is_refused() {
    let read = value_with(max_members_3(), struct_of(3).as_bytes()).unwrap();
    assert_eq!(read.as_struct().unwrap().len(), 3);
    let err = value_with(max_members_3(), struct_of(4).as_bytes()).expect_err("4 members");
    check(
        "4 members",
        &err,
        LIMIT_EXCEEDED,
        "struct size exceeds the limit of 3",
    );
}

#[test]
fn skipped_members_count_towards_max_members() {
    let known = format!(
        "<value><struct>{}<member><name>known</name><value><int>7</int></value></member></struct></value>",
        MEMBER.repeat(3)
    );
    let mut de = Deserializer::from_slice(known.as_bytes())
        .unwrap()
        .with_limits(max_members_3());
    let err = Known::deserialize(&mut de).expect_err("4 members, 3 skipped");
    check("skipped members", &err, LIMIT_EXCEEDED, "struct size");
}

#[test]
fn the_default_max_members_is_10000() {
    let doc = struct_of(10_000);
    assert!(
        guarded("10000", move || xmlrpc::from_slice::<IgnoredAny>(
            doc.as_bytes()
        ))
        .is_ok()
    );
    refused(
        "10001 members",
        struct_of(10_001),
        as_value,
        LIMIT_EXCEEDED,
        "struct size exceeds the limit of 10000",
    );
}

fn array_of(n: usize) -> String {
    format!(
        "<value><array><data>{}</data></array></value>",
        "<value><i4>1</i4></value>".repeat(n)
    )
}

fn max_elements_3() -> Limits {
    Limits::default().max_elements(3)
}

#[test]
fn an_array_over_max_elements_is_refused() {
    let read = value_with(max_elements_3(), array_of(3).as_bytes()).unwrap();
    assert_eq!(read.as_array().unwrap().len(), 3);
    let err = value_with(max_elements_3(), array_of(4).as_bytes()).expect_err("4 elements");
    check(
        "4 elements",
        &err,
        LIMIT_EXCEEDED,
        "array length exceeds the limit of 3",
    );
}

#[test]
fn a_typed_array_over_max_elements_is_refused() {
    let four = array_of(4);
    let mut de = Deserializer::from_slice(four.as_bytes())
        .unwrap()
        .with_limits(max_elements_3());
    let err = Vec::<u8>::deserialize(&mut de).expect_err("typed");
    check("typed", &err, LIMIT_EXCEEDED, "array length");
}

fn empty_values(n: usize) -> String {
    format!(
        "<value><array><data>{}</data></array></value>",
        "<value/>".repeat(n)
    )
}

#[test]
fn the_default_max_elements_is_a_million() {
    let million = empty_values(1_000_000);
    let v = guarded("1M", move || {
        xmlrpc::from_slice::<Vec<IgnoredAny>>(million.as_bytes())
    });
    assert_eq!(v.expect("a million elements").len(), 1_000_000);
    refused(
        "1M + 1",
        empty_values(1_000_001),
        |b| xmlrpc::from_slice::<Vec<IgnoredAny>>(b).map(drop),
        LIMIT_EXCEEDED,
        "array length exceeds the limit of 1000000",
    );
}

const P: &str = "<value><i4>1</i4></value>";

#[test]
fn a_call_over_max_elements_in_params_is_refused() {
    let three = call_with(max_elements_3(), call_doc(&[P, P, P]).as_bytes()).unwrap();
    assert_eq!(three.len(), 3);
    let doc = call_doc(&[P, P, P, P]);
    let err = call_with(max_elements_3(), doc.as_bytes()).expect_err("4 params");
    check(
        "4 params",
        &err,
        LIMIT_EXCEEDED,
        "parameter count exceeds the limit of 3",
    );
}

#[test]
fn params_read_one_by_one_stop_at_max_elements() {
    let doc = call_doc(&[P, P, P, P]);
    let mut call = CallReader::from_slice_with_limits(doc.as_bytes(), max_elements_3()).unwrap();
    for _ in 0..3 {
        assert_eq!(call.next_param::<i32>().unwrap(), Some(1));
    }
    let err = call.next_param::<i32>().expect_err("the fourth");
    check("4th param", &err, LIMIT_EXCEEDED, "parameter count");
}

#[test]
fn params_beyond_a_typed_tuple_are_a_parameter_count_error() {
    let err = CallReader::from_slice(call_doc(&[P, P]).as_bytes())
        .unwrap()
        .params::<(i32,)>()
        .expect_err("too many");
    check("surplus", &err, INVALID_PARAMS, "too many parameters");
}

#[test]
fn the_param_limit_is_the_array_limit() {
    // 1,000,001 empty params exceed 20 MiB, so a smaller limit and many params.
    let many: Vec<&str> = vec!["<value/>"; 1001];
    let err = call_with(
        Limits::default().max_elements(1000),
        call_doc(&many).as_bytes(),
    )
    .expect_err("1001");
    check(
        "1001 params",
        &err,
        LIMIT_EXCEEDED,
        "parameter count exceeds the limit of 1000",
    );
}
