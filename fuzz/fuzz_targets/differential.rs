//! The tokenizer against quick-xml 0.42, as `xmlrpc/tests/tokenizer_oracle.rs` runs it
//! with proptest: most inputs describe a `Value`, a layout and up to three mutations, from
//! which an XML-RPC document is written and damaged; an input whose first byte is a
//! multiple of four (as `<` is) is taken as the document itself. Both readers read it: where both accept, the events must be the same;
//! where one refuses, the reason must be on the list in the `xml` module's documentation.
//!
//! Every 100,000 inputs the target prints, for generated and for given documents, how many
//! both accepted and how the others went, so that the acceptance rate of a run can be
//! read from its log.

#![no_main]

#[path = "../../xmlrpc/tests/support/oracle.rs"]
mod oracle;

use std::sync::Mutex;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use oracle::{Layout, Mutation, Outcome};
use xmlrpc::{DateTime, Struct, Value};

/// Pieces of strings that need care.
const PIECES: &[&str] = &[
    "\r\n", "\n", "\t", " ", "]]>", "&", "<", ">", "\"", "'", "&amp;", "<![CDATA[", "-->", "?>",
    "é", "\u{1F600}", "\u{FEFF}", "\u{85}", "\u{FFFD}", "<value>", "</string>",
];

fn string(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 2)? {
        let s: String = u.arbitrary()?;
        Ok(s.chars().filter(|&c| oracle::xml_char(c)).take(16).collect())
    } else {
        let n = u.int_in_range(0..=4)?;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(u.choose(PIECES)?);
        }
        Ok(s)
    }
}

fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let kinds = if depth >= 3 { 8 } else { 10 };
    Ok(match u.int_in_range(0..=kinds - 1)? {
        0 => Value::Int(u.arbitrary()?),
        1 => Value::I8(u.arbitrary()?),
        2 => Value::Bool(u.arbitrary()?),
        3 => Value::String(string(u)?),
        4 => Value::Double(f64::from(u.arbitrary::<i32>()?) / 64.0),
        5 => {
            let (y, m, d) = (u.int_in_range(0..=9999)?, u.int_in_range(1..=12)?, u.int_in_range(1..=28)?);
            match DateTime::from_ymd_hms(y, m, d, 1, 2, 3) {
                Some(dt) => Value::DateTime(dt),
                None => Value::Nil,
            }
        }
        6 => {
            let n = u.int_in_range(0..=8)?;
            Value::Base64(u.bytes(n)?.to_vec())
        }
        7 => Value::Nil,
        8 => {
            let n = u.int_in_range(0..=4)?;
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(value(u, depth + 1)?);
            }
            Value::Array(items)
        }
        _ => {
            let n = u.int_in_range(0..=4)?;
            let mut members = Struct::new();
            for _ in 0..n {
                members.push(string(u)?, value(u, depth + 1)?);
            }
            Value::Struct(members)
        }
    })
}

fn layout(u: &mut Unstructured<'_>) -> Result<Layout> {
    Ok(Layout {
        kind: u.arbitrary()?,
        apache: u.arbitrary()?,
        lines: u.arbitrary()?,
        crlf: u.arbitrary()?,
        comments: u.arbitrary()?,
        cdata: u.arbitrary()?,
        refs: u.arbitrary()?,
        decl: u.arbitrary()?,
        spaces: u.arbitrary()?,
    })
}

fn mutation(u: &mut Unstructured<'_>) -> Result<Mutation> {
    let at = u.arbitrary()?;
    let n = u.arbitrary()?;
    Ok(match u.int_in_range(0..=4)? {
        0 => Mutation::Set { at, byte: n },
        1 => Mutation::Delete { at, len: n },
        2 => Mutation::Insert { at, what: n },
        3 => Mutation::Duplicate { at, len: n },
        _ => Mutation::Truncate { at },
    })
}

/// The document an input stands for, and whether it was generated (rather than given).
fn document(data: &[u8]) -> Result<Option<(String, bool)>> {
    // An input whose first byte is a multiple of 4 (as `<` is) is a document.
    if data.first().is_some_and(|b| b % 4 == 0) {
        return Ok(std::str::from_utf8(data).ok().map(|s| (s.to_owned(), false)));
    }
    let mut u = Unstructured::new(data);
    u.arbitrary::<u8>()?;
    let v = value(&mut u, 0)?;
    let layout = layout(&mut u)?;
    let Some(mut doc) = oracle::render(&v, layout) else {
        return Ok(None);
    };
    for _ in 0..u.int_in_range(0..=3)? {
        oracle::mutate(&mut doc, mutation(&mut u)?);
    }
    Ok(Some((doc, true)))
}

/// Documents and outcomes, for one kind of input.
#[derive(Default, Debug)]
struct Tally {
    documents: u64,
    accepted: u64,
    refused: u64,
    known: std::collections::BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, outcome: &Outcome) {
        self.documents += 1;
        match outcome {
            Outcome::BothAccept => self.accepted += 1,
            Outcome::BothRefuse => self.refused += 1,
            Outcome::Known(k) => *self.known.entry(format!("{k:?}")).or_default() += 1,
        }
    }

    fn line(&self) -> String {
        format!(
            "{} documents, both accept {} ({:.1}%), both refuse {}, known {:?}",
            self.documents,
            self.accepted,
            100.0 * self.accepted as f64 / self.documents.max(1) as f64,
            self.refused,
            self.known
        )
    }
}

#[derive(Default)]
struct Counts {
    runs: u64,
    /// Inputs that stand for no document (not UTF-8, too short to describe one).
    none: u64,
    generated: Tally,
    given: Tally,
}

static COUNTS: Mutex<Option<Counts>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let doc = document(data).ok().flatten();
    let outcome = doc.as_ref().map(|(doc, generated)| (oracle::compare(doc), *generated));
    let mut guard = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    let counts = guard.get_or_insert_with(Counts::default);
    counts.runs += 1;
    match &outcome {
        None => counts.none += 1,
        Some((outcome, true)) => counts.generated.add(outcome),
        Some((outcome, false)) => counts.given.add(outcome),
    }
    if counts.runs % 100_000 == 0 {
        eprintln!(
            "differential: {} inputs ({} stand for no document); generated: {}; given: {}",
            counts.runs,
            counts.none,
            counts.generated.line(),
            counts.given.line()
        );
    }
});
