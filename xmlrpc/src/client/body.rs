//! Bodies on the wire: reading an answer within a cap, inflating it, and telling an XML-RPC
//! answer from an error page.

use crate::caller::CallError;
use crate::error::Error;
use crate::gzip::GzipError;

/// How much of an error page is read to show its start, before the connection is dropped.
pub(super) const ERROR_BODY_READ: usize = 16 << 10;

/// The characters of a body shown in [`CallError::Http`].
const SNIPPET_CHARS: usize = 200;

/// The error of an answer larger than `cap`.
#[cold]
pub(super) fn too_large(cap: usize) -> CallError {
    CallError::Decode(Error::limit("response size", cap))
}

/// Inflates a gzip answer, refusing to produce more than `cap` bytes.
pub(super) fn gunzip(data: &[u8], cap: usize) -> Result<Vec<u8>, CallError> {
    crate::gzip::decode(data, cap).map_err(|e| match e {
        GzipError::TooLarge => too_large(cap),
        GzipError::Invalid(e) => {
            CallError::Transport(format!("the gzip-encoded answer is invalid: {e}").into())
        }
    })
}

/// Whether a body may be an XML-RPC document, judged by its first bytes: markup that is not
/// an HTML page. Anything else is answered with [`CallError::Http`] instead of a parse
/// error, so that the user sees what the server said.
pub(super) fn looks_like_xml(body: &[u8]) -> bool {
    // UTF-16 and UTF-32 documents start with a byte order mark or a zero byte; the reader
    // judges those.
    if body.starts_with(&[0xFE, 0xFF])
        || body.starts_with(&[0xFF, 0xFE])
        || body.first() == Some(&0)
    {
        return true;
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body.trim_ascii_start();
    let Some(rest) = start.strip_prefix(b"<") else {
        return false;
    };
    let starts_with = |prefix: &[u8]| {
        rest.len() >= prefix.len() && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    !(starts_with(b"!doctype") || starts_with(b"html"))
}

/// The start of a body as text to show: about 200 characters, control characters and runs
/// of white space as one space.
pub(super) fn snippet(body: &[u8]) -> String {
    let head = &body[..body.len().min(SNIPPET_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::with_capacity(text.len().min(SNIPPET_CHARS + 8));
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    let truncated = crate::excerpt::truncate(&out, SNIPPET_CHARS);
    if truncated.len() == out.len() && body.len() > head.len() {
        format!("{out}...")
    } else {
        truncated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_told_from_html_and_text() {
        assert!(looks_like_xml(b"<?xml version=\"1.0\"?><methodResponse/>"));
        assert!(looks_like_xml(b"\xEF\xBB\xBF\r\n <methodResponse>"));
        assert!(looks_like_xml(b"<!-- a comment --><methodResponse>"));
        assert!(!looks_like_xml(b"<!DOCTYPE html><html>"));
        assert!(!looks_like_xml(b"  <HTML><body>"));
        assert!(!looks_like_xml(b"Internal Server Error"));
        assert!(!looks_like_xml(b""));
    }

    #[test]
    fn snippets_are_short_and_on_one_line() {
        assert_eq!(
            snippet(b"<h1>Oops</h1>\n\n\t<p>down</p>\n"),
            "<h1>Oops</h1> <p>down</p>"
        );
        let long = "x".repeat(1000);
        let s = snippet(long.as_bytes());
        assert_eq!(s, format!("{}...", "x".repeat(200)));
        assert_eq!(snippet(b""), "");
    }

    #[test]
    fn gzip_answers_are_inflated_within_the_cap() {
        let data = b"<methodResponse>".repeat(100);
        let packed = crate::gzip::encode(&data);
        assert_eq!(gunzip(&packed, data.len()).expect("within the cap"), data);
        let err = gunzip(&packed, data.len() - 1).unwrap_err();
        assert!(
            err.to_string().contains("response size exceeds the limit"),
            "{err}"
        );
        assert!(matches!(
            gunzip(b"not gzip", 100),
            Err(CallError::Transport(_))
        ));
    }
}
