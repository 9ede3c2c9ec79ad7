use super::*;

fn info(signature: &[&'static str], names: &[&'static str]) -> MethodInfo {
    let mut m = MethodInfo::new("m").signature(signature.iter().copied());
    m.params = names.iter().map(|n| (*n).into()).collect();
    m
}

#[test]
fn decodes_forms_strictly() {
    let fields = parse_urlencoded(b"method=pow&p1=2&p2=a+b%26c%3D&empty=&flag").unwrap();
    assert_eq!(field(&fields, "method"), Some("pow"));
    assert_eq!(field(&fields, "p2"), Some("a b&c="));
    assert_eq!(field(&fields, "empty"), Some(""));
    assert_eq!(field(&fields, "flag"), Some(""));
    assert_eq!(parse_urlencoded("p1=%C3%A9".as_bytes()).unwrap()[0].1, "é");
    assert!(parse_urlencoded(b"p1=%FF").is_err(), "not UTF-8");
    assert!(parse_urlencoded(b"p1=%4").is_err(), "cut short");
    assert!(parse_urlencoded(b"p1=%zz").is_err(), "not hex");
}

#[test]
fn reads_fields_by_type() {
    let m = info(
        &[
            "int",
            "int",
            "i8",
            "double",
            "boolean",
            "string",
            "dateTime.iso8601",
            "base64",
        ],
        &[],
    );
    let texts: Vec<String> = [
        "41",
        "9000000000",
        "2.5",
        "1",
        " spaced ",
        "19980717T14:08:55",
        "hi",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let params = call_params(&m, &texts).unwrap();
    assert_eq!(params[0], Value::Int(41));
    assert_eq!(params[1], Value::I8(9_000_000_000));
    assert_eq!(params[2], Value::Double(2.5));
    assert_eq!(params[3], Value::Bool(true));
    assert_eq!(params[4], Value::String(" spaced ".into()));
    assert_eq!(params[5].type_name(), "dateTime.iso8601");
    assert_eq!(params[6], Value::Base64(b"hi".to_vec()));
}

#[test]
fn bad_fields_are_errors_naming_the_parameter() {
    let m = info(&["int", "int", "int"], &["x", "y"]);
    let err = call_params(&m, &["2".into(), "three".into()]).unwrap_err();
    assert_eq!(
        err.0,
        "parameter `y` (int): \"three\" is not an int (a whole number from -2147483648 to 2147483647)"
    );
    let err = call_params(&m, &["".into(), "3".into()]).unwrap_err();
    assert_eq!(err.0, "parameter `x` (int): a value is required");
    let json = info(&["int", "struct"], &["s"]);
    let err = call_params(&json, &["{\"a\": ".into()]).unwrap_err();
    assert!(
        err.0
            .starts_with("parameter `s` (struct): not valid JSON: "),
        "{}",
        err.0
    );
}

#[test]
fn optional_trailing_parameters_may_be_left_out() {
    let m = info(&["string", "string"], &["name"]).signature(["string", "string", "boolean"]);
    assert_eq!(
        call_params(&m, &["ada".into(), "".into()]).unwrap(),
        [Value::String("ada".into())]
    );
    assert_eq!(
        call_params(&m, &["ada".into(), "0".into()]).unwrap().len(),
        2
    );
}

#[test]
fn json_is_typed_by_the_shape() {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Event {
        when: DateTime,
        count: u16,
        weight: f64,
        tags: Vec<String>,
    }
    let mut m = info(&["int", "struct"], &["event"]);
    m.param_shapes = vec![crate::signature::shape::shape_of::<Event>()];
    let text = r#"{"when": "20240102T03:04:05", "count": 3, "weight": 2, "tags": ["a"], "extra": 5000000000}"#;
    let params = call_params(&m, &[text.to_owned()]).unwrap();
    let Value::Struct(s) = &params[0] else {
        panic!("{params:?}")
    };
    assert_eq!(
        s.get("when").map(Value::type_name),
        Some("dateTime.iso8601")
    );
    assert_eq!(s.get("count"), Some(&Value::Int(3)));
    assert_eq!(s.get("weight"), Some(&Value::Double(2.0)));
    assert_eq!(s.get("extra"), Some(&Value::I8(5_000_000_000)));
    let mut html = String::new();
    render_form(&mut html, &m, "", &[]);
    assert!(
        html.contains(
            "placeholder=\"{&quot;when&quot;: &quot;19980717T14:08:55&quot;, &quot;count&quot;: 0"
        ),
        "{html}"
    );
}
