//! XML that is not well formed: mismatched and malformed tags, malformed attributes,
//! unterminated comments, CDATA sections and processing instructions, misplaced XML
//! declarations, and character references that name no character XML allows.

use super::*;

/// A prefix of a mebibyte, so that both names of a mismatch are long.
fn long_prefix() -> String {
    "p".repeat(1 << 20)
}

hostile_cases! {
    a_mismatched_scalar_end:
        "<value><int>1</i4></value>",
        as_value => PARSE_ERROR, "end tag `</i4>` does not match `<int>`";
    a_mismatched_root_end:
        "<methodCall><methodName>m</methodName><params/></methodResponse>",
        as_call => PARSE_ERROR, "end tag `</methodResponse>` does not match `<methodCall>`";
    a_mismatched_method_name_end:
        "<methodCall><methodName>m</methodname></methodCall>",
        as_call => PARSE_ERROR, "end tag `</methodname>` does not match `<methodName>`";
    a_mismatched_member_end:
        "<value><struct><member><name>k</name><value/></name></struct></value>",
        as_value => PARSE_ERROR, "end tag `</name>` does not match `<member>`";
    a_mismatched_param_end:
        "<methodCall><methodName>m</methodName><params><param><value/></value></params></methodCall>",
        as_call => PARSE_ERROR, "end tag `</value>` does not match `<param>`";
    an_unclosed_value:
        "<value><int>1</int>",
        as_value => PARSE_ERROR, "unexpected end of input";
    // Long names on both sides of a mismatch are cut short.
    a_long_mismatched_end:
        format!("<value><{0}:array><data></data></{0}:arrax></value>", long_prefix()),
        as_value => PARSE_ERROR, "does not match";
    a_long_mismatched_scalar_end:
        format!("<value><{0}:int>1</{0}:inx></value>", long_prefix()),
        as_value => PARSE_ERROR, "does not match";
    a_long_mismatched_struct_end:
        format!("<value><{0}:struct></{0}:strucx></value>", long_prefix()),
        as_value => INVALID_REQUEST, "expected `<member>`";
    // Tags.
    a_nameless_tag:
        "<value><>1</></value>",
        as_value => PARSE_ERROR, "a tag without a name";
    a_space_before_the_name:
        "< value/>",
        as_value => PARSE_ERROR, "a tag without a name";
    // XML 1.0 names may end with a colon: well formed, but no XML-RPC type.
    a_prefix_without_a_local_name:
        "<value><ex:/></value>",
        as_value => INVALID_REQUEST, "unknown value type `<ex:>`";
    a_bad_end_tag:
        "<value>x</value x>",
        as_value => PARSE_ERROR, "malformed end tag";
    a_slash_without_gt:
        "<value/ >",
        as_value => PARSE_ERROR, "expected `>` after `/`";
    a_tag_at_the_end:
        "<value",
        as_value => PARSE_ERROR, "unexpected end of input in a tag";
}

hostile_cases! {
    lt_in_an_attribute:
        "<methodCall a=\"<x>\"><methodName>m</methodName></methodCall>",
        as_call => PARSE_ERROR, "`<` in an attribute value";
    lt_in_single_quotes:
        "<value a='<'>x</value>",
        as_value => PARSE_ERROR, "`<` in an attribute value";
    lt_in_a_long_attribute:
        format!("<value a=\"{}<\">x</value>", "v".repeat(1 << 20)),
        as_value => PARSE_ERROR, "`<` in an attribute value";
    an_unterminated_attribute:
        "<value a=\"x>y</value>",
        as_value => PARSE_ERROR, "unterminated attribute value";
    an_unquoted_attribute:
        "<value a=x>y</value>",
        as_value => PARSE_ERROR, "expected a quoted attribute value";
    an_attribute_without_a_value:
        "<value a>y</value>",
        as_value => PARSE_ERROR, "expected `=` after an attribute name";
    attributes_without_space:
        "<value a='1'b='2'>y</value>",
        as_value => PARSE_ERROR, "malformed tag";
    an_attribute_in_an_end_tag:
        "<value>y</value a='1'>",
        as_value => PARSE_ERROR, "malformed end tag";
}

/// `before`, then a mebibyte of `x`, then `after`.
fn with_tail(before: &str, after: &str) -> String {
    format!("{before}{}{after}", "x".repeat(1 << 20))
}

mod unterminated {
    use super::*;

    hostile_cases! {
        comment_in_the_prolog:
            with_tail("<!-- ", ""), as_value => PARSE_ERROR, "unterminated comment";
        comment_between_tags:
            with_tail("<value><array><!-- ", ""), as_value => PARSE_ERROR, "unterminated comment";
        comment_in_text:
            with_tail("<value><string>a<!-- ", "</string></value>"),
            as_value => PARSE_ERROR, "unterminated comment";
        comment_in_the_epilog:
            with_tail("<value/><!-- ", ""), as_value => PARSE_ERROR, "unterminated comment";
        cdata_in_text:
            with_tail("<value><string><![CDATA[", "</string></value>"),
            as_value => PARSE_ERROR, "unterminated CDATA section";
        cdata_between_tags:
            with_tail("<value><array><![CDATA[", ""),
            as_value => PARSE_ERROR, "unterminated CDATA section";
        pi_in_the_prolog:
            with_tail("<?app ", ""), as_value => PARSE_ERROR, "unterminated processing instruction";
        xml_declaration:
            with_tail("<?xml version=\"1.0\" ", ""),
            as_value => PARSE_ERROR, "unterminated processing instruction";
        pi_in_text:
            with_tail("<value>a<?app ", "</value>"),
            as_value => PARSE_ERROR, "unterminated processing instruction";
        pi_in_the_epilog:
            with_tail("<value/><?app ", ""),
            as_value => PARSE_ERROR, "unterminated processing instruction";
        bang:
            with_tail("<value><!ELEMENT ", "></value>"), as_value => PARSE_ERROR, "unexpected `<!`";
    }
}

hostile_cases! {
    an_xml_declaration_in_the_middle:
        "<methodCall><?xml version=\"1.0\"?><methodName>m</methodName></methodCall>",
        as_call => PARSE_ERROR, "XML declaration not at the start of the document";
    an_xml_declaration_after_whitespace:
        "\n<?xml version=\"1.0\"?><value/>",
        as_value => PARSE_ERROR, "XML declaration not at the start";
    an_xml_declaration_twice:
        "<?xml version=\"1.0\"?><?xml version=\"1.0\"?><value/>",
        as_value => PARSE_ERROR, "XML declaration not at the start";
    an_xml_declaration_in_text:
        "<value>a<?xml version=\"1.0\"?>b</value>",
        as_value => PARSE_ERROR, "XML declaration not at the start";
    an_xml_declaration_in_the_epilog:
        "<value/><?xml version=\"1.0\"?>",
        as_value => PARSE_ERROR, "XML declaration not at the start";
}

#[test]
fn an_xml_declaration_after_a_byte_order_mark_is_at_the_start() {
    assert_eq!(
        xmlrpc::from_slice::<Value>("\u{feff}<?xml version=\"1.0\"?><value>x</value>".as_bytes())
            .unwrap(),
        Value::from("x")
    );
}

/// One `#[test]` per character reference that names no character XML allows, however long
/// it is (`&#4294967296;` was a parse error when references were read from a 12-byte
/// window): `name: "&#...;";`.
macro_rules! invalid_reference_cases {
    ($($name:ident: $reference:literal;)*) => {
        $(
            #[test]
            fn $name() {
                refused(
                    $reference,
                    concat!("<value><string>a", $reference, "b</string></value>"),
                    as_value,
                    INVALID_CHARACTER,
                    concat!("invalid character reference `", $reference, "`"),
                );
            }
        )*
    };
}

mod invalid_character_reference {
    use super::*;

    invalid_reference_cases! {
        nul: "&#0;";
        nul_in_hex: "&#x0;";
        nul_with_leading_zeros: "&#00000;";
        first_surrogate_in_hex: "&#xD800;";
        last_surrogate_in_hex: "&#xDFFF;";
        first_surrogate: "&#55296;";
        beyond_u10ffff: "&#1114112;";
        beyond_u10ffff_in_hex: "&#x110000;";
        hex_without_digits: "&#x;";
        without_digits: "&#;";
        negative: "&#-1;";
        negative_in_hex: "&#x-1;";
        with_a_plus_sign: "&#+65;";
        beyond_u32: "&#4294967296;";
    }
}

hostile_cases! {
    // In member names and method names too.
    an_invalid_character_reference_in_a_member_name:
        "<value><struct><member><name>&#0;</name><value/></member></struct></value>",
        as_value => INVALID_CHARACTER, "invalid character reference";
    an_invalid_character_reference_in_a_method_name:
        "<methodCall><methodName>&#xD800;</methodName></methodCall>",
        as_call => INVALID_CHARACTER, "invalid character reference";
}
