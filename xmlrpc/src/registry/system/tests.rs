use crate::fault::Fault;
use crate::message::MethodResponse;
use crate::registry::Registry;
use crate::service::call::Call;
use crate::service::context::Context;
use crate::service::{MethodFuture, MethodInfo, Service};
use crate::value::{Struct, Value};
use crate::xml::encoding::Charset;

/// A hand-written service that reads its parameters the three ways a `Call` offers.
struct Texts;

impl Service for Texts {
    fn methods(&self) -> Vec<MethodInfo> {
        ["first", "all", "maybe"].map(MethodInfo::new).to_vec()
    }

    fn call<'a>(&'a self, method: &'a str, mut call: Call<'a>) -> MethodFuture<'a> {
        MethodFuture::ready(match method {
            // Borrowed from the request, or from the values.
            "first" => call.param::<&str>(0, "text", "string").and_then(|s| {
                call.finish_params(1)?;
                call.reply(&s.chars().next().map(String::from))
            }),
            "all" => call
                .all_params::<(String, Vec<i32>)>()
                .and_then(|(s, n)| call.reply(&format!("{s}{n:?}"))),
            "maybe" => call
                .optional_param::<i32>(0, "n")
                .and_then(|n| call.reply(&n.unwrap_or(-1))),
            _ => Err(Fault::method_not_found(method)),
        })
    }
}

fn registry() -> Registry {
    Registry::new()
        .function("add", |a: i32, b: i32| a + b)
        .function("bell", || vec!["ok", "\u{7}"])
        .service(Texts)
}

fn sub(name: &str, params: Vec<Value>) -> Value {
    let mut s = Struct::new();
    s.push("methodName", name);
    s.push("params", params);
    Value::Struct(s)
}

fn multicall(r: &Registry, calls: Vec<Value>) -> Vec<Value> {
    let body = crate::message::write::call_to_vec("system.multicall", &(calls,)).unwrap();
    let out = r.handle_blocking(&body, &Context::new()).body;
    let answer: MethodResponse<Vec<Value>> =
        crate::message::read::response_from_slice(&out).unwrap();
    answer.into_result().unwrap()
}

/// What a call answers on its own: its value in a one-element array, or its fault.
fn alone(r: &Registry, name: &str, params: &[Value]) -> Value {
    let body = crate::message::write::call_to_vec(name, params).unwrap();
    let out = r.handle_blocking(&body, &Context::new()).body;
    match crate::message::read::response_from_slice::<Value>(&out).unwrap() {
        MethodResponse::Value(v) => Value::Array(vec![v]),
        MethodResponse::Fault(f) => {
            // The same fault, less the position in the request it came from.
            let text = f.string();
            let text = text.rsplit_once(" (line").map_or(text, |(t, _)| t);
            Value::Struct(
                [
                    ("faultCode", Value::Int(f.code())),
                    ("faultString", Value::from(text)),
                ]
                .into_iter()
                .collect(),
            )
        }
    }
}

#[test]
fn sub_calls_read_their_parameters_from_values_as_calls_read_xml() {
    let r = registry();
    let cases: Vec<(&str, Vec<Value>)> = vec![
        ("add", vec![Value::from(2), Value::from(3)]),
        ("add", vec![Value::from(2), Value::from("three")]),
        ("add", vec![Value::from(2)]),
        ("add", vec![Value::from(1), Value::from(2), Value::from(3)]),
        ("first", vec![Value::from("héllo")]),
        ("first", vec![Value::from(1)]),
        ("all", vec![Value::from("n"), Value::from(vec![1, 2])]),
        ("all", vec![Value::from("n"), Value::from(vec![Value::Nil])]),
        (
            "all",
            vec![Value::from("n"), Value::from(vec![1]), Value::Nil],
        ),
        ("maybe", vec![]),
        ("maybe", vec![Value::from(4)]),
        ("maybe", vec![Value::from("x")]),
        ("bell", vec![]),
        ("nothing.here", vec![]),
        ("", vec![Value::from(1)]),
    ];
    let calls = cases.iter().map(|(n, p)| sub(n, p.clone())).collect();
    let answers = multicall(&r, calls);
    assert_eq!(answers.len(), cases.len());
    for ((name, params), answer) in cases.iter().zip(&answers) {
        assert_eq!(*answer, alone(&r, name, params), "{name}{params:?}");
    }
    assert_eq!(answers[0], Value::Array(vec![Value::Int(5)]));
    assert_eq!(
        answers[1]["faultString"],
        Value::from("parameter 2 of add: expected int, found string at params[1]")
    );
    assert_eq!(
        answers[7]["faultString"],
        Value::from("invalid parameters of all: expected int, found nil at params[1][0]")
    );
    assert_eq!(answers[4], Value::Array(vec![Value::from("h")]));
    let bell = answers[12]["faultString"].as_str().unwrap();
    assert!(
        bell.starts_with("cannot encode the result: a string holds the control character U+0007"),
        "{bell}"
    );
    assert!(bell.ends_with(" at [1]"), "{bell}");
    assert_eq!(answers[12]["faultCode"], Value::Int(Fault::INTERNAL_ERROR));
}

#[test]
fn malformed_entries_are_their_own_faults() {
    let r = registry();
    let mut no_name = Struct::new();
    no_name.push("params", Value::Array(vec![]));
    let mut bad_params = Struct::new();
    bad_params.push("methodName", "add");
    bad_params.push("params", 3);
    let mut twice = Struct::new();
    twice.push("methodName", 7);
    twice.push("methodName", "add");
    twice.push("params", vec![1, 1]);
    twice.push("extra", vec![Value::Nil]);
    let answers = multicall(
        &r,
        vec![
            Value::from("add"),
            Value::Struct(no_name),
            sub("system.multicall", vec![]),
            Value::Struct(bad_params),
            sub("add", vec![Value::from(1), Value::from(1)]),
            Value::Struct(twice),
            Value::from(vec![1]),
        ],
    );
    let fault = |i: usize| {
        answers[i]["faultString"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        fault(0),
        "system.multicall: each call must be a struct, found string"
    );
    assert_eq!(fault(1), "system.multicall: a call without methodName");
    assert_eq!(
        fault(2),
        "system.multicall: a nested system.multicall is not allowed"
    );
    assert_eq!(
        fault(3),
        "system.multicall: params must be an array, found int"
    );
    assert_eq!(answers[4], Value::Array(vec![Value::Int(2)]));
    // The last member of a name counts, as in a struct read as a `Value`.
    assert_eq!(answers[5], Value::Array(vec![Value::Int(2)]));
    assert_eq!(
        fault(6),
        "system.multicall: each call must be a struct, found array"
    );
}

#[test]
fn a_reply_from_values_becomes_a_whole_response_when_asked() {
    let r = registry();
    let params = [Value::from("xyz")];
    let context = Context::new();
    let call = Call::from_values("first", &params, &context, r.encoding());
    let reply = crate::__private::block_on(Texts.call("first", call)).unwrap();
    assert_eq!(reply.as_bytes(), b"<value><string>x</string></value>");
    let doc = reply.into_response();
    let back: MethodResponse<String> = crate::message::read::response_from_slice(&doc).unwrap();
    assert_eq!(back.into_result().unwrap(), "x");
}

#[test]
fn sub_call_answers_follow_the_response_charset() {
    let r = registry().response_charset(Charset::ISO_8859_1);
    let body = crate::message::write::call_to_vec(
        "system.multicall",
        &(vec![
            sub("first", vec![Value::from("€uro")]),
            sub("first", vec![Value::from("é")]),
        ],),
    )
    .unwrap();
    let out = r.handle_blocking(&body, &Context::new()).body;
    assert!(out.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
    assert!(out.windows(7).any(|w| w == b"&#8364;"));
    assert!(out.contains(&0xE9));
    let answer: MethodResponse<Vec<(String,)>> =
        crate::message::read::response_from_slice(&out).unwrap();
    assert_eq!(
        answer.into_result().unwrap(),
        [("€".to_owned(),), ("é".to_owned(),)]
    );
}
