//! Encodings: invalid UTF-8 and invalid bytes in declared encodings, characters XML 1.0
//! cannot carry, unsupported encoding labels, and UTF-16 without a byte-order mark.

use super::*;

hostile_cases! {
    // Invalid UTF-8, named by the byte where it starts.
    utf8_lone_continuation_byte:
        &b"<value>a\x80b</value>"[..], as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 8";
    utf8_overlong_slash:
        &b"<value>\xC0\xAF</value>"[..], as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 7";
    utf8_surrogate:
        &b"<value>\xED\xA0\x80</value>"[..], as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 7";
    utf8_beyond_u10ffff:
        &b"<value>\xF4\x90\x80\x80</value>"[..],
        as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 7";
    utf8_truncated_sequence:
        &b"<value>\xE2\x82</value>"[..], as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 7";
    utf8_invalid_in_a_tag_name:
        &b"<val\xFFue/>"[..], as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 4";
    utf8_truncated_at_the_end:
        &b"<value/>\xE2"[..], as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 8";
    utf8_0xff_alone:
        &b"\xFF"[..], as_value => INVALID_CHARACTER, "invalid UTF-8 at byte 0";
    utf8_invalid_in_a_trailing_comment:
        [call_doc(&["<value>ok</value>"]).as_bytes(), &b"<!-- \xFE -->"[..]].concat(),
        as_call => INVALID_CHARACTER, "invalid UTF-8";
    // Declared encodings are checked as well.
    invalid_shift_jis:
        &b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><value>\x82</value>"[..],
        as_value => INVALID_CHARACTER, "not valid Shift_JIS";
    // U+0000 is not a character XML can carry, raw or as a reference.
    raw_nul:
        &b"<value>a\0b</value>"[..], as_value => INVALID_CHARACTER, "U+0000";
    raw_nul_in_a_method_name:
        &b"<methodCall><methodName>a\0</methodName></methodCall>"[..],
        as_call => INVALID_CHARACTER, "U+0000";
}

/// A value document declaring encoding `label`.
fn declaring(label: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"{label}\"?><value>x</value>")
}

hostile_cases! {
    unsupported_encoding_x_klingon:
        declaring("x-klingon"), as_value => UNSUPPORTED_ENCODING, "unsupported encoding `x-klingon`";
    unsupported_encoding_utf7:
        declaring("UTF-7"), as_value => UNSUPPORTED_ENCODING, "unsupported encoding `UTF-7`";
    unsupported_encoding_ebcdic:
        declaring("ebcdic"), as_value => UNSUPPORTED_ENCODING, "unsupported encoding `ebcdic`";
    unsupported_encoding_replacement:
        declaring("replacement"),
        as_value => UNSUPPORTED_ENCODING, "unsupported encoding `replacement`";
    unsupported_encoding_iso_2022_kr:
        declaring("iso-2022-kr"),
        as_value => UNSUPPORTED_ENCODING, "unsupported encoding `iso-2022-kr`";
    unsupported_encoding_with_a_long_label:
        declaring(&"k".repeat(200)), as_value => UNSUPPORTED_ENCODING, "unsupported encoding";
    unsupported_encoding_in_a_call:
        format!("<?xml version='1.0' encoding='x-unknown'?>{}", &call_doc(&[])[21..]),
        as_call => UNSUPPORTED_ENCODING, "x-unknown";
}

const DECLARED_UTF16: &str = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><value>x</value>";

/// `<value>`, an unpaired surrogate, `</value>`: UTF-16LE after its byte-order mark.
fn unpaired_surrogate() -> Vec<u8> {
    let mut bad = vec![0xFF, 0xFE];
    bad.extend("<value>".encode_utf16().flat_map(u16::to_le_bytes));
    bad.extend_from_slice(&[0x00, 0xD8]);
    bad.extend("</value>".encode_utf16().flat_map(u16::to_le_bytes));
    bad
}

hostile_cases! {
    utf16_declared_without_a_bom_in_ascii:
        DECLARED_UTF16, as_value => INVALID_CHARACTER, "byte-order mark";
    // With a BOM but an unpaired surrogate or an odd length.
    utf16_unpaired_surrogate:
        unpaired_surrogate(), as_value => INVALID_CHARACTER, "not valid UTF-16LE";
    utf16_odd_length:
        [unpaired_surrogate(), b"<".to_vec()].concat(), as_value => INVALID_CHARACTER, "UTF-16";
}

// Real UTF-16 without a BOM starts with `<\0` or `\0<`: NUL bytes are not text, refused where
// the first one stands.

#[test]
fn utf16le_without_a_bom_is_refused_at_its_first_nul() {
    let utf16: Vec<u8> = DECLARED_UTF16
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let err = refused(
        "UTF-16LE without BOM",
        utf16,
        as_value,
        INVALID_CHARACTER,
        "U+0000 is not allowed in XML",
    );
    assert_eq!(err.position().map(|p| (p.line, p.column)), Some((1, 2)));
}

#[test]
fn utf16be_without_a_bom_is_refused_at_its_first_nul() {
    let utf16be: Vec<u8> = DECLARED_UTF16
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let err = refused(
        "UTF-16BE without BOM",
        utf16be,
        as_value,
        INVALID_CHARACTER,
        "U+0000 is not allowed in XML",
    );
    assert_eq!(err.position().map(|p| (p.line, p.column)), Some((1, 1)));
}
