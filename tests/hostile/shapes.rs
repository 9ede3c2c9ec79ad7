//! Documents that are XML but not XML-RPC: wrong roots, elements out of place, unknown
//! types, text mixed with elements, and empty documents.

use super::*;

hostile_cases! {
    a_response_as_a_call:
        xmlrpc::response_to_string(&1).unwrap(),
        as_call => INVALID_REQUEST, "expected `<methodCall>`, found `<methodResponse>`";
    a_call_as_a_response:
        call_doc(&[]),
        as_response => INVALID_REQUEST, "expected `<methodResponse>`, found `<methodCall>`";
    html_as_a_call:
        "<html><body/></html>",
        as_call => INVALID_REQUEST, "expected `<methodCall>`, found `<html>`";
    a_value_as_a_call:
        "<value>x</value>",
        as_call => INVALID_REQUEST, "found `<value>`";
    an_end_tag_as_the_root:
        "</methodCall>",
        as_call => INVALID_REQUEST, "found `</methodCall>`";
    no_method_name:
        "<methodCall><params/></methodCall>",
        as_call => INVALID_REQUEST, "expected `<methodName>`";
    an_empty_method_name:
        "<methodCall><methodName></methodName></methodCall>",
        as_call => INVALID_REQUEST, "method name is empty";
    a_param_outside_params:
        "<methodCall><methodName>m</methodName><param/></methodCall>",
        as_call => INVALID_REQUEST, "expected `<params>`";
    a_value_outside_a_param:
        "<methodCall><methodName>m</methodName><params><value/></params></methodCall>",
        as_call => INVALID_REQUEST, "expected `<param>` or `</params>`";
    a_response_without_params:
        "<methodResponse></methodResponse>",
        as_response => INVALID_REQUEST, "expected `<params>` or `<fault>`";
    an_array_without_data:
        "<value><array><value/></array></value>",
        as_value => INVALID_REQUEST, "expected `<data>`";
    a_struct_without_a_member:
        "<value><struct><name>k</name></struct></value>",
        as_value => INVALID_REQUEST, "expected `<member>`";
    a_member_without_a_name:
        "<value><struct><member><value/></member></struct></value>",
        as_value => INVALID_REQUEST, "expected `<name>`";
    a_fault_with_a_text_code:
        "<methodResponse><fault><value><struct><member><name>faultCode</name><value>four</value></member></struct></value></fault></methodResponse>",
        as_response => INVALID_REQUEST, "malformed fault";
}

mod empty_documents {
    use super::*;

    hostile_cases! {
        nothing: "", as_call => PARSE_ERROR, "unexpected end of input";
        blanks: "   \n", as_call => PARSE_ERROR, "unexpected end of input";
        a_byte_order_mark: "\u{feff}", as_call => PARSE_ERROR, "unexpected end of input";
        an_xml_declaration:
            "<?xml version=\"1.0\"?>", as_call => PARSE_ERROR, "unexpected end of input";
        a_comment:
            "<!-- only a comment -->", as_call => PARSE_ERROR, "unexpected end of input";
    }
}

hostile_cases! {
    an_unknown_type:
        "<value><integer>1</integer></value>",
        as_value => INVALID_REQUEST, "unknown value type `<integer>`";
    an_unknown_prefixed_type:
        "<value><ex:float8>1</ex:float8></value>",
        as_value => INVALID_REQUEST, "unknown value type `<ex:float8>`";
    a_type_name_of_a_mebibyte:
        format!("<value><{0}>1</{0}></value>", "t".repeat(1 << 20)),
        as_value => INVALID_REQUEST, "unknown value type";
    text_before_a_type:
        "<value>abc<int>1</int></value>",
        as_value => INVALID_REQUEST, "both text and a type element";
    text_after_a_type:
        "<value><int>1</int>abc</value>",
        as_value => PARSE_ERROR, "unexpected text where a tag was expected";
    two_types:
        "<value><int>1</int><int>2</int></value>",
        as_value => INVALID_REQUEST, "expected `</value>`, found `<int>`";
    an_element_inside_a_scalar:
        "<value><string>a<b/>c</string></value>",
        as_value => INVALID_REQUEST, "expected `</string>`, found `<b>`";
    text_in_an_array:
        "<value><array>text<data/></array></value>",
        as_value => PARSE_ERROR, "unexpected text";
    text_in_data:
        "<value><array><data>text</data></array></value>",
        as_value => PARSE_ERROR, "unexpected text";
    cdata_in_data:
        "<value><array><data><![CDATA[x]]></data></array></value>",
        as_value => PARSE_ERROR, "unexpected text";
    text_in_params:
        "<methodCall><methodName>m</methodName><params>x</params></methodCall>",
        as_call => PARSE_ERROR, "unexpected text";
    a_mebibyte_of_stray_text:
        format!("<value><array>{}<data/></array></value>", "t".repeat(1 << 20)),
        as_value => PARSE_ERROR, "unexpected text";
}
