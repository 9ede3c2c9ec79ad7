//! A tour of the codec: a client's call written as XML-RPC, read by a server into typed
//! parameters, answered, and the answer read back; then a fault.
//!
//! Run it with `cargo run --example codec_tour`.

use serde::{Deserialize, Serialize};
use xmlrpc::{CallReader, DateTime, Fault, MethodResponse, Value};

#[derive(Serialize, Deserialize, Debug)]
struct Order {
    id: u32,
    customer: String,
    items: Vec<String>,
    total: f64,
    placed: DateTime,
    note: Option<String>,
}

fn main() -> Result<(), xmlrpc::Error> {
    let order = Order {
        id: 42,
        customer: "Fish & Chips Ltd.".into(),
        items: vec!["cod".into(), "haddock".into()],
        total: 12.5,
        placed: DateTime::from_ymd_hms(2024, 1, 1, 12, 30, 0).expect("a valid date"),
        note: None,
    };

    // The client writes a call...
    let request = xmlrpc::call_to_string("shop.placeOrder", &(&order, true))?;
    println!("request:\n{request}\n");

    // ... the server reads the method name, then the parameters straight into Rust types.
    let call = CallReader::from_str(&request)?;
    println!("method: {}", call.method());
    let (received, express): (Order, bool) = call.params()?;
    println!("params: {received:?}, express = {express}\n");

    // It answers with a value...
    let response = xmlrpc::response_to_string(&format!("order {} accepted", received.id))?;
    println!("response:\n{response}\n");
    let answer: MethodResponse<String> = xmlrpc::response_from_str(&response)?;
    println!("the client reads: {:?}\n", answer.into_result());

    // ... or with a fault, which the client reads as one.
    let fault = xmlrpc::fault_to_string(&Fault::new(4, "Too many parameters."))?;
    let answer: MethodResponse<Value> = xmlrpc::response_from_str(&fault)?;
    println!("a fault reads as: {:?}\n", answer.into_result());

    // Bad input gets an error that says what and where.
    let wrong = request.replace("<int>42</int>", "<string>42</string>");
    let err = CallReader::from_str(&wrong)?
        .params::<(Order, bool)>()
        .expect_err("a string where an int belongs");
    println!("a wrong type reads as: fault {}: {err}", err.fault_code());
    Ok(())
}
