//! Values of the wrong type or out of range: integers, booleans, doubles, base64 and dates
//! that do not parse or do not fit, and typed reads that find another shape, all invalid
//! params whose messages do not echo long input.

use super::*;

/// A value of XML-RPC type `ty` holding `text`.
fn scalar(ty: &str, text: &str) -> String {
    format!("<value><{ty}>{text}</{ty}></value>")
}

hostile_cases! {
    i32_max_plus_one:
        scalar("int", "2147483648"),
        |b| xmlrpc::from_slice::<i32>(b).map(drop) => INVALID_PARAMS, "2147483648";
    i32_min_minus_one:
        scalar("i4", "-2147483649"),
        |b| xmlrpc::from_slice::<i32>(b).map(drop) => INVALID_PARAMS, "-2147483649";
    i64_max_plus_one:
        scalar("i8", "9223372036854775808"),
        as_value => INVALID_PARAMS, "invalid i8 value \"9223372036854775808\"";
    i64_min_minus_one:
        scalar("i8", "-9223372036854775809"),
        as_value => INVALID_PARAMS, "invalid i8 value";
    an_int_beyond_i64:
        scalar("int", "99999999999999999999"),
        as_value => INVALID_PARAMS, "invalid int value";
    a_biginteger_beyond_i64:
        scalar("biginteger", "123456789012345678901234567890"),
        as_value => INVALID_PARAMS, "does not fit in 64 bits";
    an_int_beyond_u8:
        scalar("int", "256"),
        |b| xmlrpc::from_slice::<u8>(b).map(drop) => INVALID_PARAMS, "256";
    a_negative_int_as_u64:
        scalar("int", "-1"),
        |b| xmlrpc::from_slice::<u64>(b).map(drop) => INVALID_PARAMS, "-1";
    an_int_of_a_million_digits:
        scalar("int", &"9".repeat(1 << 20)),
        as_value => INVALID_PARAMS, "invalid int value";
    a_biginteger_of_a_million_digits:
        scalar("biginteger", &"9".repeat(1 << 20)),
        as_value => INVALID_PARAMS, "does not fit in 64 bits";
}

mod int_text {
    use super::*;

    hostile_cases! {
        empty: scalar("int", ""), as_value => INVALID_PARAMS, "invalid int value";
        blank: scalar("int", " "), as_value => INVALID_PARAMS, "invalid int value";
        fraction: scalar("int", "1.5"), as_value => INVALID_PARAMS, "invalid int value";
        hex: scalar("int", "0x10"), as_value => INVALID_PARAMS, "invalid int value";
        exponent: scalar("int", "1e3"), as_value => INVALID_PARAMS, "invalid int value";
        two_minus_signs: scalar("int", "--1"), as_value => INVALID_PARAMS, "invalid int value";
        two_numbers: scalar("int", "1 2"), as_value => INVALID_PARAMS, "invalid int value";
        a_word: scalar("int", "one"), as_value => INVALID_PARAMS, "invalid int value";
        an_arabic_indic_digit:
            scalar("int", "\u{661}"), as_value => INVALID_PARAMS, "invalid int value";
    }
}

#[test]
fn an_int_out_of_range_in_a_call_names_the_parameter() {
    let err = refused(
        "in a call",
        call_doc(&["<value><i4>1</i4></value>", &scalar("int", "2147483648")]),
        |b| CallReader::from_slice(b)?.params::<(i32, i32)>().map(drop),
        INVALID_PARAMS,
        "at params[1]",
    );
    assert_eq!(err.path(), "params[1]");
}

mod boolean_text {
    use super::*;

    hostile_cases! {
        two: scalar("boolean", "2"), as_value => INVALID_PARAMS, "invalid boolean value";
        true_as_a_word:
            scalar("boolean", "true"), as_value => INVALID_PARAMS, "invalid boolean value";
        false_as_a_word:
            scalar("boolean", "false"), as_value => INVALID_PARAMS, "invalid boolean value";
        minus_one: scalar("boolean", "-1"), as_value => INVALID_PARAMS, "invalid boolean value";
        leading_zero: scalar("boolean", "01"), as_value => INVALID_PARAMS, "invalid boolean value";
        yes: scalar("boolean", "yes"), as_value => INVALID_PARAMS, "invalid boolean value";
        empty: scalar("boolean", ""), as_value => INVALID_PARAMS, "invalid boolean value";
    }
}

/// Two `#[test]`s per bad text of XML-RPC type `$tag`, in a module named for the text:
/// `as_value` reads it as a [`Value`], `typed` as `$ty`; both must refuse it with
/// `$needle`.
macro_rules! bad_scalar_cases {
    ($tag:literal as $ty:ty, $needle:literal: $($name:ident: $text:expr;)*) => {
        $(
            mod $name {
                use super::*;

                fn doc() -> String {
                    scalar($tag, $text)
                }

                #[test]
                fn as_value() {
                    refused(
                        stringify!($name),
                        doc(),
                        crate::as_value,
                        INVALID_PARAMS,
                        $needle,
                    );
                }

                #[test]
                fn typed() {
                    refused(
                        stringify!($name),
                        doc(),
                        |b| xmlrpc::from_slice::<$ty>(b).map(drop),
                        INVALID_PARAMS,
                        $needle,
                    );
                }
            }
        )*
    };
}

mod double_text {
    use super::*;

    bad_scalar_cases! {
        "double" as f64, "invalid double value":
        inf: "inf";
        minus_inf: "-inf";
        plus_inf: "+inf";
        infinity: "infinity";
        infinity_capitalised: "Infinity";
        nan: "nan";
        nan_mixed_case: "NaN";
        minus_nan: "-nan";
        beyond_f64: "1e309";
        beyond_f64_negative: "-1e400";
        two_points: "1.0.0";
        hex_float: "0x1p3";
        empty: "";
        decimal_comma: "1,5";
    }
}

mod base64_text {
    use super::*;

    bad_scalar_cases! {
        "base64" as xmlrpc::Base64, "invalid base64":
        punctuation: "!!!!";
        text_after_padding: "QQ=x";
        one_character: "A";
        a_star: "QUJD*";
        padding_inside: "QU JD=A";
        padding_first: "=QUJD";
        too_much_padding: "QUJD====";
        non_ascii: "\u{e9}";
    }
}

mod date_text {
    use super::*;

    bad_scalar_cases! {
        "dateTime.iso8601" as xmlrpc::DateTime, "invalid dateTime.iso8601 value":
        not_a_date: "notadate";
        month_13: "19981317T14:08:55";
        february_30: "19980230T14:08:55";
        hour_25: "19980717T25:00:00";
        minute_60: "19980717T14:60:00";
        no_time: "19980717";
        offset_of_25_hours: "19980717T14:08:55+25:00";
        text_after_the_zone: "19980717T14:08:55Zjunk";
        bad_separator: "1998-07-17X14:08:55";
        empty: "";
    }
}

hostile_cases! {
    a_double_of_a_million_digits:
        scalar("double", &"1".repeat(1 << 20)),
        as_value => INVALID_PARAMS, "invalid double value";
    a_long_bad_base64:
        scalar("base64", &format!("{}!", "QUJD".repeat(1 << 18))),
        as_value => INVALID_PARAMS, "invalid base64";
    a_long_date:
        scalar("dateTime.iso8601", &"1".repeat(1 << 20)),
        as_value => INVALID_PARAMS, "invalid dateTime.iso8601 value";
}

// Typed reads that find another shape.

/// A name of a mebibyte.
fn huge_name() -> String {
    "n".repeat(1 << 20)
}

/// A struct with one member `name` holding `value`.
fn member(name: &str, value: &str) -> String {
    format!("<value><struct><member><name>{name}</name>{value}</member></struct></value>")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Only read, to be refused.
struct Strict {
    a: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Only read, to be refused.
enum Kind {
    Unit,
}

hostile_cases! {
    an_unknown_field:
        member(&huge_name(), "<value/>"),
        |b| xmlrpc::from_slice::<Strict>(b).map(drop) => INVALID_PARAMS, "unknown struct member `nnnn";
    an_unknown_variant:
        format!("<value>{}</value>", huge_name()),
        |b| xmlrpc::from_slice::<Kind>(b).map(drop) => INVALID_PARAMS, "unknown variant";
    an_unknown_struct_variant:
        member(&huge_name(), "<value/>"),
        |b| xmlrpc::from_slice::<Kind>(b).map(drop) => INVALID_PARAMS, "unknown variant";
    a_long_char:
        format!("<value>{}</value>", huge_name()),
        |b| xmlrpc::from_slice::<char>(b).map(drop) => INVALID_PARAMS, "expected a character";
    a_numeric_key:
        member(&huge_name(), "<value/>"),
        |b| xmlrpc::from_slice::<std::collections::HashMap<u32, Value>>(b).map(drop)
            => INVALID_PARAMS, "is not a valid u32";
    a_string_for_an_i32:
        format!("<value>{}</value>", huge_name()),
        |b| xmlrpc::from_slice::<i32>(b).map(drop) => INVALID_PARAMS, "expected int, found string";
    an_array_for_a_struct:
        "<value><array><data/></array></value>",
        |b| xmlrpc::from_slice::<Known>(b).map(drop) => INVALID_PARAMS, "expected struct, found array";
    a_missing_member:
        "<value><struct/></value>",
        as_known => INVALID_PARAMS, "missing struct member `known`";
    a_short_tuple:
        "<value><array><data><value><i4>1</i4></value></data></array></value>",
        |b| xmlrpc::from_slice::<(i32, i32)>(b).map(drop) => INVALID_PARAMS, "invalid length 1";
    a_long_tuple:
        "<value><array><data><value><i4>1</i4></value><value><i4>1</i4></value></data></array></value>",
        |b| xmlrpc::from_slice::<(i32,)>(b).map(drop)
            => INVALID_PARAMS, "more than the 1 elements expected";
    too_few_params:
        call_doc(&["<value><i4>1</i4></value>"]),
        |b| CallReader::from_slice(b)?.params::<(i32, i32)>().map(drop)
            => INVALID_PARAMS, "invalid length 1";
}

#[test]
fn a_member_of_the_wrong_type_has_a_short_path() {
    let err = refused(
        "wrong member type",
        member(&huge_name(), "<value><string>x</string></value>"),
        |b| xmlrpc::from_slice::<std::collections::HashMap<String, i32>>(b).map(drop),
        INVALID_PARAMS,
        "expected int, found string",
    );
    assert!(err.path().len() < 100, "{}", err.path().len());
}
