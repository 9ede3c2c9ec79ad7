//! The twin of `python -m xmlrpc.client`: asks the demo server for the time, then sends
//! `getData`, `pow(2, 9)` and `add(1, 2)` in one multicall, printing what Python prints:
//!
//! ```text
//! 20250612T10:04:05
//! 42
//! 512
//! 3
//! ```
//!
//! Start `cargo run --example demo_server` (or `python -m xmlrpc.server`), then
//! `cargo run --example demo_client [-- --url http://127.0.0.1:8000]`.

use std::process::ExitCode;

use xmlrpc::client::blocking::Client;
use xmlrpc::{DateTime, Value};

fn main() -> ExitCode {
    let url = url_arg();
    let server = match Client::new(&url) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };

    let mut failed = false;
    match server.call::<DateTime>("currentTime.getCurrentTime", ()) {
        Ok(now) => println!("{now}"),
        Err(e) => {
            println!("ERROR {e}");
            failed = true;
        }
    }

    let mut multi = server.multicall();
    multi
        .call("getData", ())
        .call("pow", (2, 9))
        .call("add", (1, 2));
    match multi.send_values() {
        Ok(responses) => {
            for response in responses {
                match response {
                    Ok(value) => println!("{}", python_str(&value)),
                    // Python raises the fault when the loop reaches it, and stops there.
                    Err(fault) => {
                        println!("ERROR {fault}");
                        failed = true;
                        break;
                    }
                }
            }
        }
        Err(e) => {
            println!("ERROR {e}");
            failed = true;
        }
    }

    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The server's URL: `--url URL` or `--url=URL`, `http://127.0.0.1:8000` by default (Python's
/// demo says `localhost`; the numeric address skips a name lookup).
fn url_arg() -> String {
    let mut args = std::env::args().skip(1);
    let mut url = "http://127.0.0.1:8000".to_owned();
    while let Some(arg) = args.next() {
        if arg == "--url" {
            url = args.next().unwrap_or_default();
        } else if let Some(value) = arg.strip_prefix("--url=") {
            value.clone_into(&mut url);
        }
    }
    url
}

/// A value as Python's `print` shows what `xmlrpc.client` returns: strings bare, the rest
/// as Python writes it.
fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => python_repr(other),
    }
}

/// A value as Python's `repr` shows it inside a list or dict.
fn python_repr(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Nil => "None".to_owned(),
        Value::Double(d) => format!("{d:?}"),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(python_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Struct(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}: {}", python_repr(&Value::from(k)), python_repr(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        // Integers, date-times and binary data as the toolkit writes them.
        other => other.to_string(),
    }
}
