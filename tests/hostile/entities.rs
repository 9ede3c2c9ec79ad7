//! Entities and DOCTYPEs: a DOCTYPE is refused where it stands, so no entity is ever
//! expanded or fetched; undeclared entities are refused without echoing their names.

use super::*;

pub(crate) const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<methodCall><methodName>&lol9;</methodName><params><param><value>&lol9;</value></param></params></methodCall>"#;

/// The billion laughs read with `decode`: refused where the DOCTYPE stands, before any
/// entity is looked at.
#[track_caller]
fn billion_laughs(what: &str, decode: Decode) {
    let err = refused(
        what,
        BILLION_LAUGHS,
        decode,
        PARSE_ERROR,
        "DOCTYPE declarations are not allowed",
    );
    assert!(matches!(err.kind(), ErrorKind::Doctype), "{err:?}");
    let pos = err.position().expect("a position");
    assert_eq!((pos.line, pos.column), (2, 1));
    assert!(!err.to_string().contains("lol"), "{err}");
}

#[test]
fn billion_laughs_as_a_call_is_refused_at_the_doctype() {
    billion_laughs("call", as_call);
}

#[test]
fn billion_laughs_as_a_response_is_refused_at_the_doctype() {
    billion_laughs("response", as_response);
}

#[test]
fn billion_laughs_as_a_value_is_refused_at_the_doctype() {
    billion_laughs("value", as_value);
}

#[test]
fn external_entities_are_never_fetched() {
    let xxe = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE foo [ <!ELEMENT foo ANY > <!ENTITY xxe SYSTEM "file:///etc/passwd" > ]>
<methodCall><methodName>&xxe;</methodName><params><param><value><string>&xxe;</string></value></param></params></methodCall>"#;
    let err = refused("xxe", xxe, as_call, PARSE_ERROR, "no external entities");
    assert!(!err.to_string().contains("root:"), "{err}");
}

hostile_cases! {
    public_dtd:
        r#"<!DOCTYPE methodCall PUBLIC "-//x//y" "http://127.0.0.1:9/evil.dtd"><methodCall/>"#,
        as_call => PARSE_ERROR, "DOCTYPE";
    parameter_entity:
        r#"<!DOCTYPE r [<!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe;]><value/>"#,
        as_value => PARSE_ERROR, "DOCTYPE";
    // A DOCTYPE after comments and processing instructions, or inside the document.
    late_doctype:
        "<?xml version=\"1.0\"?><!-- c --><?pi x?>\n<!DOCTYPE v><value/>",
        as_value => PARSE_ERROR, "DOCTYPE";
    inner_doctype:
        "<value><!DOCTYPE v [<!ENTITY a \"b\">]>&a;</value>",
        as_value => PARSE_ERROR, "DOCTYPE";
    doctype_between_params:
        call_doc(&["<value><int>1</int></value>"]).replace("<params>", "<params><!DOCTYPE p>"),
        as_call => PARSE_ERROR, "DOCTYPE";
}

#[test]
fn an_undeclared_entity_is_a_syntax_error() {
    let doc = "<methodCall><methodName>&xxe;</methodName><params/></methodCall>";
    let err = refused(
        "bare &xxe;",
        doc,
        as_call,
        PARSE_ERROR,
        "unknown entity `&xxe;`",
    );
    assert!(matches!(err.kind(), ErrorKind::Syntax(_)));
}

hostile_cases! {
    undeclared_entity_in_a_value:
        "<value><string>a&xxe;b</string></value>",
        as_value => PARSE_ERROR, "unknown entity";
    undeclared_entity_in_a_member_name:
        "<value><struct><member><name>&n;</name><value/></member></struct></value>",
        as_value => PARSE_ERROR, "unknown entity";
    lone_ampersand:
        "<value>fish & chips</value>",
        as_value => PARSE_ERROR, "write `&amp;`";
    unterminated_reference:
        "<value>&amp</value>",
        as_value => PARSE_ERROR, "does not start a reference";
}

#[test]
fn a_long_entity_name_is_not_echoed() {
    let long = format!("<value>&{};</value>", "e".repeat(100_000));
    let err = refused(
        "long entity",
        long,
        as_value,
        PARSE_ERROR,
        "unknown entity `&eeee",
    );
    assert!(err.to_string().len() < 200, "{err}");
}
