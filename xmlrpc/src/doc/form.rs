//! The try-it forms: how a method's form is written (one field per parameter, typed by its
//! signature), how a submitted form becomes the call's `Value`s, and the page that shows
//! the answer.
//!
//! A form has a hidden field `method`, the method's name, and fields `p1`, `p2`, ... for its
//! parameters. Each field's text is read by the parameter's XML-RPC type: integers,
//! doubles and date-times as written, booleans as `1`/`0` (or `true`/`false`), strings as
//! they are, base64 parameters as text sent as its UTF-8 bytes, and structs, arrays and
//! values of any type as JSON, whose numbers, strings and members are then typed by the
//! parameter's shape (a JSON string for a date-time member becomes a date-time). Trailing
//! optional parameters left empty are left out of the call.

use std::fmt::Write;

use crate::datetime::DateTime;
use crate::fault::Fault;
use crate::service::MethodInfo;
use crate::signature::shape::Shape;
use crate::value::{Struct, Value};

use super::{DocPage, esc, param_name};

/// The parameters a form has: the longest signature's, and how many may be left out.
fn form_params(m: &MethodInfo) -> (Vec<&str>, usize) {
    let longest = m.signatures.iter().max_by_key(|s| s.len());
    let types: Vec<&str> = longest
        .map(|s| s.iter().skip(1).map(AsRef::as_ref).collect())
        .unwrap_or_default();
    let required = m
        .signatures
        .iter()
        .map(|s| s.len().saturating_sub(1))
        .min()
        .unwrap_or(0);
    (types, required)
}

/// A JSON example of a value of `shape`, for a struct or array field's placeholder.
fn json_example(shape: &Shape, depth: usize) -> String {
    if shape.optional && depth > 0 && shape.members.is_empty() {
        return "null".to_owned();
    }
    match &*shape.ty {
        "int" | "i8" => "0".to_owned(),
        "double" => "0.0".to_owned(),
        "boolean" => "false".to_owned(),
        "string" | "base64" => "\"\"".to_owned(),
        "dateTime.iso8601" => "\"19980717T14:08:55\"".to_owned(),
        "nil" => "null".to_owned(),
        "array" => match shape.item.as_deref() {
            Some(item) if depth < 6 => format!("[{}]", json_example(item, depth + 1)),
            _ => "[]".to_owned(),
        },
        "struct" if depth < 6 => {
            let members: Vec<String> = shape
                .members
                .iter()
                .map(|m| {
                    let key = serde_json::to_string(&*m.name).unwrap_or_default();
                    format!("{key}: {}", json_example(&m.shape, depth + 1))
                })
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        "struct" => "{}".to_owned(),
        _ => "null".to_owned(),
    }
}

/// Writes the try-it form of method `m`, posted to `action` (empty: the page's own
/// address), its fields filled with `values` (as a submitted form had them).
pub(crate) fn render_form(html: &mut String, m: &MethodInfo, action: &str, values: &[String]) {
    let name = esc(&m.name);
    let action = if action.is_empty() {
        String::new()
    } else {
        format!(" action=\"{}\"", esc(action))
    };
    let _ = write!(
        html,
        "<form class=\"try\" method=\"post\"{action} accept-charset=\"utf-8\">\
         <input type=\"hidden\" name=\"method\" value=\"{name}\">"
    );
    let (types, required) = form_params(m);
    for (i, ty) in types.iter().enumerate() {
        let optional = i >= required;
        let pname = esc(&param_name(m, i));
        let field = format!("p{}", i + 1);
        let id = format!("{name}.{field}");
        let value = values.get(i).map_or("", String::as_str);
        let shape = m.param_shapes.get(i);
        let hint = match *ty {
            "base64" => ", text sent as UTF-8 bytes",
            "dateTime.iso8601" => ", as 19980717T14:08:55",
            "boolean" | "string" | "int" | "i8" | "double" | "nil" => "",
            _ => ", JSON",
        };
        let _ = write!(
            html,
            "<label for=\"{id}\">{pname} <code>{}</code><span class=\"hint\">{hint}{}</span></label>",
            esc(ty),
            if optional { ", optional" } else { "" },
        );
        let required_attr = if optional { "" } else { " required" };
        match *ty {
            "boolean" => {
                let _ = write!(html, "<select id=\"{id}\" name=\"{field}\">");
                if optional {
                    let _ = write!(html, "<option value=\"\">(left out)</option>");
                }
                for (v, label) in [("1", "true"), ("0", "false")] {
                    let selected = if value == v { " selected" } else { "" };
                    let _ = write!(html, "<option value=\"{v}\"{selected}>{label}</option>");
                }
                html.push_str("</select>");
            }
            "nil" => {
                let _ = write!(html, "<p id=\"{id}\">nil: nothing to enter</p>");
            }
            "int" | "i8" | "double" | "string" | "dateTime.iso8601" => {
                let mode = match *ty {
                    "int" | "i8" => " inputmode=\"numeric\"",
                    "double" => " inputmode=\"decimal\"",
                    _ => "",
                };
                // An empty string is a string: never required.
                let required_attr = if *ty == "string" { "" } else { required_attr };
                let _ = write!(
                    html,
                    "<input id=\"{id}\" name=\"{field}\" value=\"{}\"{mode}{required_attr} autocomplete=\"off\">",
                    esc(value)
                );
            }
            _ => {
                let placeholder = match shape {
                    Some(shape) if *ty != "base64" => json_example(shape, 0),
                    _ => String::new(),
                };
                let _ = write!(
                    html,
                    "<textarea id=\"{id}\" name=\"{field}\" placeholder=\"{}\"{required_attr}>{}</textarea>",
                    esc(&placeholder),
                    esc(value)
                );
            }
        }
    }
    let _ = write!(
        html,
        "<button type=\"submit\">Call <code>{name}</code></button></form>"
    );
}

/// Why a submitted form cannot become a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormError(pub(crate) String);

/// The fields of an `application/x-www-form-urlencoded` body, in order. Strict: text that
/// is not UTF-8 once decoded is an error, never replaced.
pub(crate) fn parse_urlencoded(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    let mut fields = Vec::new();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (key, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        fields.push((decode(key)?, decode(value)?));
    }
    Ok(fields)
}

/// One percent-encoded form component: `+` is a space, `%XX` a byte.
fn decode(text: &[u8]) -> Result<String, FormError> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        FormError("the form is not validly percent-encoded".to_owned())
                    })?;
                bytes.push(hex);
                i += 2;
            }
            b => bytes.push(b),
        }
        i += 1;
    }
    String::from_utf8(bytes).map_err(|_| FormError("the form's text is not UTF-8".to_owned()))
}

/// The value of field `name`, the first one given.
pub(crate) fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The fields `p1`, `p2`, ... of method `m`'s form, as submitted (empty when absent).
pub(crate) fn param_fields(m: &MethodInfo, fields: &[(String, String)]) -> Vec<String> {
    let (types, _) = form_params(m);
    (1..=types.len())
        .map(|i| field(fields, &format!("p{i}")).unwrap_or("").to_owned())
        .collect()
}

/// The parameters of a call to `m` from its form's field texts.
///
/// # Errors
///
/// A field that its type cannot read, a required field left empty, or an optional one left
/// empty before one that is given.
pub(crate) fn call_params(m: &MethodInfo, texts: &[String]) -> Result<Vec<Value>, FormError> {
    let (types, required) = form_params(m);
    let mut params = Vec::with_capacity(types.len());
    let given = texts
        .iter()
        .zip(&types)
        .rposition(|(t, ty)| !t.is_empty() || *ty == "nil")
        .map_or(0, |i| i + 1);
    for (i, ty) in types.iter().enumerate() {
        let text = texts.get(i).map_or("", String::as_str);
        let pname = param_name(m, i);
        if i >= given.max(required) {
            break;
        }
        if text.is_empty() && i >= required && !matches!(*ty, "string" | "nil") {
            return Err(FormError(format!(
                "parameter `{pname}` is left out, but a later one is given; parameters are sent in order"
            )));
        }
        let shape = m
            .param_shapes
            .get(i)
            .cloned()
            .unwrap_or_else(|| Shape::new(ty.to_string()));
        params.push(
            read_field(ty, text, &shape)
                .map_err(|e| FormError(format!("parameter `{pname}` ({ty}): {e}")))?,
        );
    }
    Ok(params)
}

/// A field's text as a value of XML-RPC type `ty`.
fn read_field(ty: &str, text: &str, shape: &Shape) -> Result<Value, String> {
    let trimmed = text.trim();
    let required = || {
        if trimmed.is_empty() {
            Err("a value is required".to_owned())
        } else {
            Ok(())
        }
    };
    match ty {
        "int" => {
            required()?;
            trimmed.parse::<i32>().map(Value::Int).map_err(|_| {
                format!("{text:?} is not an int (a whole number from -2147483648 to 2147483647)")
            })
        }
        "i8" => {
            required()?;
            trimmed
                .parse::<i64>()
                .map(Value::I8)
                .map_err(|_| format!("{text:?} is not an i8 (a whole number of 64 bits)"))
        }
        "double" => {
            required()?;
            match trimmed.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Value::Double(v)),
                _ => Err(format!("{text:?} is not a finite double")),
            }
        }
        "boolean" => match trimmed.to_ascii_lowercase().as_str() {
            "1" | "true" => Ok(Value::Bool(true)),
            "0" | "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{text:?} is not a boolean (1 or 0)")),
        },
        "string" => Ok(Value::String(text.to_owned())),
        "dateTime.iso8601" => {
            required()?;
            DateTime::parse(trimmed)
                .map(Value::DateTime)
                .map_err(|e| e.to_string())
        }
        "base64" => Ok(Value::Base64(text.as_bytes().to_vec())),
        "nil" => Ok(Value::Nil),
        _ => {
            required()?;
            let value: Value =
                serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
            Ok(typed(value, shape, 0))
        }
    }
}

/// A value read from JSON, typed by the parameter's shape where it tells more than JSON
/// does: whole numbers as `int` where they fit (or as the shape says), strings as
/// date-times or bytes where the shape wants them.
fn typed(value: Value, shape: &Shape, depth: usize) -> Value {
    if depth > 64 {
        return value;
    }
    match (value, &*shape.ty) {
        (Value::I8(n), "double") => Value::Double(n as f64),
        (Value::I8(n), "i8") => Value::I8(n),
        (Value::I8(n), _) => i32::try_from(n).map_or(Value::I8(n), Value::Int),
        (Value::String(s), "dateTime.iso8601") => {
            DateTime::parse(s.trim()).map_or(Value::String(s), Value::DateTime)
        }
        (Value::String(s), "base64") => Value::Base64(s.into_bytes()),
        (Value::Array(items), _) => {
            let any = Shape::new("any");
            let item = shape.item.as_deref().unwrap_or(&any);
            Value::Array(
                items
                    .into_iter()
                    .map(|v| typed(v, item, depth + 1))
                    .collect(),
            )
        }
        (Value::Struct(s), _) => {
            let any = Shape::new("any");
            let members: Struct = s
                .into_iter()
                .map(|(k, v)| {
                    let member = shape
                        .members
                        .iter()
                        .find(|m| m.name == k)
                        .map_or(&any, |m| &m.shape);
                    let v = typed(v, member, depth + 1);
                    (k, v)
                })
                .collect();
            Value::Struct(members)
        }
        (other, _) => other,
    }
}

/// What became of a submitted form.
#[derive(Debug)]
pub(crate) enum Tried<'a> {
    /// The call was made: the response document, and its value or fault.
    Answered {
        response: &'a [u8],
        result: Result<Value, Fault>,
    },
    /// The form could not become a call.
    Refused(String),
}

/// The page that answers a submitted form: what the call gave, its response XML, and the
/// form again, filled as it was sent.
pub(crate) fn render_tried(
    page: &DocPage,
    method: &str,
    info: Option<&MethodInfo>,
    texts: &[String],
    tried: &Tried<'_>,
) -> String {
    let name = esc(method);
    let mut html = page.head(&format!("{method}: {}", page.title), 4096);
    let _ = write!(
        html,
        "<h1>{}</h1>\n<p><a href=\"\">All methods</a></p>\n<section class=\"tried\"><h2><code>{name}</code></h2>",
        esc(&page.name)
    );
    match tried {
        Tried::Answered {
            response,
            result: Ok(value),
        } => {
            let _ = write!(
                html,
                "<h3>Result</h3><div class=\"result\">{}</div>",
                render_value(value, 0)
            );
            response_xml(&mut html, response);
        }
        Tried::Answered {
            response,
            result: Err(fault),
        } => {
            let _ = write!(
                html,
                "<h3>Fault</h3><p class=\"fault\">fault <code>{}</code>: {}</p>",
                fault.code(),
                esc(fault.string())
            );
            response_xml(&mut html, response);
        }
        Tried::Refused(reason) => {
            let _ = write!(
                html,
                "<h3>Not called</h3><p class=\"error\">{}</p>",
                esc(reason)
            );
        }
    }
    html.push_str("</section>\n");
    if let Some(info) = info {
        let _ = write!(html, "<section class=\"method\"><h3>Try again</h3>");
        render_form(&mut html, info, "", texts);
        html.push_str("</section>\n");
    }
    html.push_str("</body></html>\n");
    html
}

fn response_xml(html: &mut String, response: &[u8]) {
    let _ = write!(
        html,
        "<h3>Response</h3><pre class=\"xml\">{}</pre>",
        esc(&String::from_utf8_lossy(response))
    );
}

/// A value as HTML: scalars as text, structs and arrays as nested lists.
fn render_value(value: &Value, depth: usize) -> String {
    if depth > 64 {
        return "&#8230;".to_owned();
    }
    match value {
        Value::Int(n) => format!("<code>{n}</code> <span class=\"hint\">int</span>"),
        Value::I8(n) => format!("<code>{n}</code> <span class=\"hint\">i8</span>"),
        Value::Bool(b) => format!("<code>{b}</code> <span class=\"hint\">boolean</span>"),
        Value::Double(d) => format!("<code>{d}</code> <span class=\"hint\">double</span>"),
        Value::String(s) => format!(
            "<code>{}</code> <span class=\"hint\">string</span>",
            esc(&format!("{s:?}"))
        ),
        Value::DateTime(t) => format!(
            "<code>{}</code> <span class=\"hint\">dateTime.iso8601</span>",
            esc(&t.to_string())
        ),
        Value::Base64(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => format!(
                "<code>{}</code> <span class=\"hint\">base64, {} bytes of text</span>",
                esc(&format!("{text:?}")),
                bytes.len()
            ),
            Err(_) => format!("<span class=\"hint\">base64, {} bytes</span>", bytes.len()),
        },
        Value::Nil => "<code>nil</code>".to_owned(),
        Value::Array(items) => {
            let mut out = format!(
                "<span class=\"hint\">array of {}</span><ol start=\"0\">",
                items.len()
            );
            for item in items {
                let _ = write!(out, "<li>{}</li>", render_value(item, depth + 1));
            }
            out.push_str("</ol>");
            out
        }
        Value::Struct(s) => {
            let mut out = "<span class=\"hint\">struct</span><dl class=\"value\">".to_owned();
            for (k, v) in s.iter() {
                let _ = write!(
                    out,
                    "<dt><code>{}</code></dt><dd>{}</dd>",
                    esc(k),
                    render_value(v, depth + 1)
                );
            }
            out.push_str("</dl>");
            out
        }
    }
}

#[cfg(test)]
mod tests;
