//! After the root element: anything but comments, processing instructions and whitespace
//! is refused, after a call, a response or a value, and by `CallReader::finish`.

use super::*;

const AFTER_THE_ROOT: &str = "unexpected content after the root element";

fn a_call() -> String {
    call_doc(&["<value><i4>1</i4></value>"])
}

/// Three `#[test]`s per tail, in a module named for it: the tail after a call, after a
/// response and after a value must each be refused.
macro_rules! trailing_cases {
    ($($name:ident: $tail:literal;)*) => {
        $(
            mod $name {
                use super::*;

                hostile_cases! {
                    after_a_call:
                        format!("{}{}", a_call(), $tail), as_call => PARSE_ERROR, AFTER_THE_ROOT;
                    after_a_response:
                        format!("{}{}", response_doc("<value/>"), $tail),
                        as_response => PARSE_ERROR, AFTER_THE_ROOT;
                    after_a_value:
                        format!("<value>x</value>\n{}", $tail),
                        as_value => PARSE_ERROR, AFTER_THE_ROOT;
                }
            }
        )*
    };
}

trailing_cases! {
    text: "x";
    a_second_root: "<methodCall/>";
    a_stray_end_tag: "</methodCall>";
    a_value: "<value/>";
    a_cdata_end: "]]>";
    a_reference: "&amp;";
    a_cdata_section: "<![CDATA[]]>";
}

#[test]
fn a_mebibyte_of_garbage_is_refused_where_it_starts() {
    let call = a_call();
    let long = format!("{call}{}", "g".repeat(1 << 20));
    let err = refused(
        "1 MiB of garbage",
        long,
        as_call,
        PARSE_ERROR,
        AFTER_THE_ROOT,
    );
    assert_eq!(err.position().map(|p| p.column), Some(call.len() + 1));
}

#[test]
fn comments_processing_instructions_and_whitespace_may_follow() {
    assert!(as_call(format!("{}\n<!-- c -->\n<?pi x?>\n", a_call()).as_bytes()).is_ok());
}

#[test]
fn call_reader_finish_checks_the_end() {
    let doc = format!("{}x", a_call());
    let mut reader = CallReader::from_slice(doc.as_bytes()).unwrap();
    assert_eq!(reader.next_param::<i32>().unwrap(), Some(1));
    let err = reader.finish().expect_err("garbage after the call");
    check("finish", &err, PARSE_ERROR, AFTER_THE_ROOT);
}
