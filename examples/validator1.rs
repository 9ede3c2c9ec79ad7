//! The classic XML-RPC validator suite's eight methods (`validator1.*`), each answering as
//! the suite expects.
//!
//! `cargo run --example validator1 [-- --addr 127.0.0.1:8000]`

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use xmlrpc::{Base64, DateTime, Fault, Registry, Value, xmlrpc_service};

/// A struct with at least `moe`, `larry` and `curly`.
#[derive(Debug, Deserialize)]
struct Stooges {
    /// Moe.
    pub(crate) moe: i32,
    /// Larry.
    pub(crate) larry: i32,
    /// Curly.
    pub(crate) curly: i32,
}

/// The counts `countTheEntities` returns.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct EntityCounts {
    /// `<`
    pub(crate) ct_left_angle_brackets: i32,
    /// `>`
    pub(crate) ct_right_angle_brackets: i32,
    /// `&`
    pub(crate) ct_ampersands: i32,
    /// `'`
    pub(crate) ct_apostrophes: i32,
    /// `"`
    pub(crate) ct_quotes: i32,
}

/// `simpleStructReturnTest`'s answer.
#[derive(Debug, Serialize)]
struct Times {
    /// × 10
    pub(crate) times10: i32,
    /// × 100
    pub(crate) times100: i32,
    /// × 1000
    pub(crate) times1000: i32,
}

/// The validator's handlers.
#[derive(Debug)]
struct Validator1;

fn count(s: &str, c: char) -> i32 {
    i32::try_from(s.chars().filter(|&x| x == c).count()).unwrap_or(i32::MAX)
}

#[xmlrpc_service(namespace = "validator1")]
impl Validator1 {
    /// Sums the `curly` members of an array of structs.
    #[xmlrpc(name = "arrayOfStructsTest")]
    pub(crate) fn array_of_structs_test(&self, structs: Vec<Stooges>) -> i32 {
        structs.iter().map(|s| s.curly).fold(0, i32::wrapping_add)
    }

    /// Counts the five predefined entities' characters in a string.
    #[xmlrpc(name = "countTheEntities")]
    pub(crate) fn count_the_entities(&self, s: String) -> EntityCounts {
        EntityCounts {
            ct_left_angle_brackets: count(&s, '<'),
            ct_right_angle_brackets: count(&s, '>'),
            ct_ampersands: count(&s, '&'),
            ct_apostrophes: count(&s, '\''),
            ct_quotes: count(&s, '"'),
        }
    }

    /// Sums `moe`, `larry` and `curly`.
    #[xmlrpc(name = "easyStructTest")]
    pub(crate) fn easy_struct_test(&self, s: Stooges) -> i32 {
        s.moe.wrapping_add(s.larry).wrapping_add(s.curly)
    }

    /// Returns the struct unchanged.
    #[xmlrpc(name = "echoStructTest")]
    pub(crate) fn echo_struct_test(&self, s: xmlrpc::Struct) -> xmlrpc::Struct {
        s
    }

    /// Returns its six parameters as an array, types preserved.
    #[xmlrpc(name = "manyTypesTest")]
    pub(crate) fn many_types_test(
        &self,
        number: i32,
        boolean: bool,
        string: String,
        double: f64,
        date_time: DateTime,
        base64: Base64,
    ) -> Vec<Value> {
        vec![
            number.into(),
            boolean.into(),
            string.into(),
            double.into(),
            date_time.into(),
            base64.into(),
        ]
    }

    /// Concatenates the first and last strings of an array of 100 to 200.
    #[xmlrpc(name = "moderateSizeArrayCheck")]
    pub(crate) fn moderate_size_array_check(&self, strings: Vec<String>) -> Result<String, Fault> {
        match (strings.first(), strings.last()) {
            (Some(first), Some(last)) => Ok(format!("{first}{last}")),
            _ => Err(Fault::new(1, "the array is empty")),
        }
    }

    /// Sums `moe`, `larry` and `curly` of April 1st, 2000 in a calendar struct.
    #[xmlrpc(name = "nestedStructTest")]
    pub(crate) fn nested_struct_test(
        &self,
        calendar: BTreeMap<String, BTreeMap<String, BTreeMap<String, Value>>>,
    ) -> Result<i32, Fault> {
        let day = calendar
            .get("2000")
            .and_then(|months| months.get("04"))
            .and_then(|days| days.get("01"))
            .ok_or_else(|| Fault::new(1, "no entry for 2000-04-01"))?;
        let member = |name: &str| day[name].as_i32().unwrap_or(0);
        Ok(member("moe")
            .wrapping_add(member("larry"))
            .wrapping_add(member("curly")))
    }

    /// Returns the number times 10, 100 and 1000.
    #[xmlrpc(name = "simpleStructReturnTest")]
    pub(crate) fn simple_struct_return_test(&self, n: i32) -> Times {
        Times {
            times10: n.wrapping_mul(10),
            times100: n.wrapping_mul(100),
            times1000: n.wrapping_mul(1000),
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .skip_while(|arg| arg != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    xmlrpc_axum::serve(addr, Registry::new().service(Validator1)).await
}
