//! Deterministic benchmark payloads.
//!
//! The documents built here are byte-for-byte what CPython's
//! `xmlrpc.client.dumps` emits for the same data, so the benchmark measures
//! the wire format that a very common real-world peer actually sends: one
//! element per line, the `<?xml version='1.0'?>` header, `<int>` for
//! integers, an explicit `<string>` wrapper, only `&`, `<` and `>` escaped,
//! and doubles printed the way Python's `repr(float)` prints them.
//!
//! Item `i` of the synthetic data set is a struct with these members, in
//! this order:
//!
//! | member | type               | value                                              |
//! |--------|--------------------|----------------------------------------------------|
//! | id     | int                | `i`                                                |
//! | name   | string             | `"user {i} & co"` if `i % 10 == 0`, else `"user-{i:06}"` |
//! | score  | double             | `i * 0.25 + 0.125`                                 |
//! | tags   | array of 3 strings | `"alpha"`, `"beta"`, `"t{i % 97}"`                 |
//! | when   | dateTime.iso8601   | 2024-01-01T00:00:00 plus `37 * i` seconds          |

use std::fmt::{self, Write};

/// Number of items in the medium response.
pub(crate) const MEDIUM_ITEMS: u32 = 1000;
/// Number of items in the large response.
pub(crate) const LARGE_ITEMS: u32 = 17918;

/// Size in bytes of `dumps((items(0..1000),), methodresponse=True)`.
pub(crate) const MEDIUM_LEN: usize = 558_067;
/// Size in bytes of `dumps((items(0..17918),), methodresponse=True)`.
pub(crate) const LARGE_LEN: usize = 10_047_961;
/// Size in bytes of `dumps((items(0..1000),), methodname="echo")`.
pub(crate) const ECHO_CALL_LEN: usize = 558_089;
/// Size in bytes of `dumps((2, 3), methodname="add")`.
pub(crate) const ADD_CALL_LEN: usize = 187;

/// The medium `methodResponse` (1000 items, about 0.5 MB).
pub(crate) fn medium_response() -> String {
    build(|w| write_response(w, MEDIUM_ITEMS))
}

/// The large `methodResponse` (17918 items, about 10 MB).
pub(crate) fn large_response() -> String {
    build(|w| write_response(w, LARGE_ITEMS))
}

/// A `methodCall` of `echo` with the 1000 medium items as its one argument.
pub(crate) fn echo_call() -> String {
    build(|w| {
        write_call_head(w, "echo")?;
        w.write_str("<param>\n")?;
        write_items(w, MEDIUM_ITEMS)?;
        w.write_str("</param>\n")?;
        write_call_tail(w)
    })
}

/// A `methodCall` of `add` with the two int arguments 2 and 3.
pub(crate) fn add_call() -> String {
    build(|w| {
        write_call_head(w, "add")?;
        for n in [2, 3] {
            w.write_str("<param>\n<value><int>")?;
            write!(w, "{n}")?;
            w.write_str("</int></value>\n</param>\n")?;
        }
        write_call_tail(w)
    })
}

/// Checks every payload against the sizes CPython produces.
///
/// Panics with a description of the first mismatch.
pub(crate) fn assert_reference_sizes() {
    let checks = [
        ("medium response", medium_response().len(), MEDIUM_LEN),
        ("large response", large_response().len(), LARGE_LEN),
        ("echo call", echo_call().len(), ECHO_CALL_LEN),
        ("add call", add_call().len(), ADD_CALL_LEN),
    ];
    for (what, got, want) in checks {
        assert_eq!(
            got, want,
            "{what}: generated {got} bytes, CPython reference is {want}"
        );
    }
}

/// Runs `emit` twice: once to count the output, once into a `String` of
/// exactly that capacity. The single, exact allocation matters to the
/// peak-memory benchmark, which must not see a growth spike from building
/// its own input.
fn build(emit: impl Fn(&mut dyn Write) -> fmt::Result) -> String {
    let mut counter = Counter(0);
    emit(&mut counter).expect("counting never fails");
    let mut out = String::with_capacity(counter.0);
    emit(&mut out).expect("writing to a String never fails");
    debug_assert_eq!(out.len(), counter.0);
    out
}

/// A `fmt::Write` sink that only counts bytes.
struct Counter(usize);

impl Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

fn write_response(w: &mut dyn Write, items: u32) -> fmt::Result {
    w.write_str("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n")?;
    write_items(w, items)?;
    w.write_str("</param>\n</params>\n</methodResponse>\n")
}

fn write_call_head(w: &mut dyn Write, method: &str) -> fmt::Result {
    w.write_str("<?xml version='1.0'?>\n<methodCall>\n<methodName>")?;
    write_escaped(w, method)?;
    w.write_str("</methodName>\n<params>\n")
}

fn write_call_tail(w: &mut dyn Write) -> fmt::Result {
    w.write_str("</params>\n</methodCall>\n")
}

/// One `<value>` holding the array of items `0..count`.
fn write_items(w: &mut dyn Write, count: u32) -> fmt::Result {
    w.write_str("<value><array><data>\n")?;
    for i in 0..count {
        write_item(w, i)?;
    }
    w.write_str("</data></array></value>\n")
}

fn write_item(w: &mut dyn Write, i: u32) -> fmt::Result {
    w.write_str("<value><struct>\n")?;

    member_open(w, "id")?;
    writeln!(w, "<value><int>{i}</int></value>")?;
    member_close(w)?;

    member_open(w, "name")?;
    w.write_str("<value><string>")?;
    if i % 10 == 0 {
        // Every tenth name needs escaping, so decoders meet entities.
        write_escaped(w, &format!("user {i} & co"))?;
    } else {
        write!(w, "user-{i:06}")?;
    }
    w.write_str("</string></value>\n")?;
    member_close(w)?;

    member_open(w, "score")?;
    w.write_str("<value><double>")?;
    write_python_float(w, f64::from(i) * 0.25 + 0.125)?;
    w.write_str("</double></value>\n")?;
    member_close(w)?;

    member_open(w, "tags")?;
    w.write_str("<value><array><data>\n")?;
    w.write_str("<value><string>alpha</string></value>\n")?;
    w.write_str("<value><string>beta</string></value>\n")?;
    writeln!(w, "<value><string>t{}</string></value>", i % 97)?;
    w.write_str("</data></array></value>\n")?;
    member_close(w)?;

    member_open(w, "when")?;
    w.write_str("<value><dateTime.iso8601>")?;
    write_timestamp(w, i64::from(i) * 37)?;
    w.write_str("</dateTime.iso8601></value>\n")?;
    member_close(w)?;

    w.write_str("</struct></value>\n")
}

fn member_open(w: &mut dyn Write, name: &str) -> fmt::Result {
    w.write_str("<member>\n<name>")?;
    w.write_str(name)?;
    w.write_str("</name>\n")
}

fn member_close(w: &mut dyn Write) -> fmt::Result {
    w.write_str("</member>\n")
}

/// The three replacements `xmlrpc.client.escape` makes, `&` first.
fn write_escaped(w: &mut dyn Write, text: &str) -> fmt::Result {
    for ch in text.chars() {
        match ch {
            '&' => w.write_str("&amp;")?,
            '<' => w.write_str("&lt;")?,
            '>' => w.write_str("&gt;")?,
            other => w.write_char(other)?,
        }
    }
    Ok(())
}

/// Python's `repr(float)`: the shortest digits that round-trip, positional
/// notation when the decimal exponent lies in `-4..16` (always with a
/// fractional part, so `2.0` not `2`), otherwise scientific notation with a
/// signed exponent of at least two digits (`1e+16`, `1.5e-07`).
fn write_python_float(w: &mut dyn Write, x: f64) -> fmt::Result {
    if x.is_nan() {
        return w.write_str("nan");
    }
    if x.is_infinite() {
        return w.write_str(if x > 0.0 { "inf" } else { "-inf" });
    }
    let magnitude = x.abs();
    if magnitude == 0.0 || (1e-4..1e16).contains(&magnitude) {
        // `Display` prints the shortest round-trip digits positionally, the
        // same digits Python chooses; Python adds `.0` to integral values.
        let text = format!("{x}");
        return if text.contains('.') {
            w.write_str(&text)
        } else {
            write!(w, "{text}.0")
        };
    }
    let text = format!("{x:e}");
    let (mantissa, exponent) = text.split_once('e').expect("`{:e}` always has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` exponent is an integer");
    let sign = if exponent < 0 { '-' } else { '+' };
    write!(w, "{mantissa}e{sign}{:02}", exponent.unsigned_abs())
}

/// `%Y%m%dT%H:%M:%S` for 2024-01-01T00:00:00 plus `offset` seconds
/// (`offset >= 0`).
fn write_timestamp(w: &mut dyn Write, offset: i64) -> fmt::Result {
    let mut days = offset.div_euclid(86_400);
    let secs = offset.rem_euclid(86_400);
    let (mut year, mut month) = (2024_i64, 1_usize);
    loop {
        let len = month_len(year, month);
        if days < len {
            break;
        }
        days -= len;
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    write!(
        w,
        "{year:04}{month:02}{:02}T{:02}:{:02}:{:02}",
        days + 1,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn month_len(year: i64, month: usize) -> i64 {
    const DAYS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if month == 2 && leap {
        29
    } else {
        DAYS[month - 1]
    }
}
