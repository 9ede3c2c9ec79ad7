//! gzip, the one content coding XML-RPC peers use, for the server's requests and responses
//! and the client's alike: decoding with a cap on the decoded size, encoding at a fast
//! level, and reading the `Content-Encoding` and `Accept-Encoding` headers.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;

/// Why a gzip body could not be decoded.
#[derive(Debug)]
pub(crate) enum GzipError {
    /// It decodes to more than the cap allows.
    TooLarge,
    /// It is not valid gzip.
    Invalid(std::io::Error),
}

/// How a body is coded, by its `Content-Encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coding {
    /// No coding, or `identity`.
    Identity,
    /// `gzip`, or the old `x-gzip`.
    Gzip,
}

impl Coding {
    /// The coding that a `Content-Encoding` value names; `None` for any other coding.
    pub(crate) fn from_header(value: Option<&http::HeaderValue>) -> Option<Coding> {
        let Some(value) = value else {
            return Some(Coding::Identity);
        };
        let name = value.as_bytes().trim_ascii();
        if name.eq_ignore_ascii_case(b"gzip") || name.eq_ignore_ascii_case(b"x-gzip") {
            Some(Coding::Gzip)
        } else if name.eq_ignore_ascii_case(b"identity") || name.is_empty() {
            Some(Coding::Identity)
        } else {
            None
        }
    }
}

/// Decodes `data`, refusing to produce more than `cap` bytes and never holding more than
/// `cap` of them: the buffer grows geometrically, as a `Vec` does, but never past the
/// cap, so a bomb costs at most the cap in memory. Several gzip members in a row decode as
/// one body, as RFC 1952 allows.
pub(crate) fn decode(data: &[u8], cap: usize) -> Result<Vec<u8>, GzipError> {
    let ceiling = cap.saturating_add(1);
    // Start with a guess at the size (gzip'd XML is typically a fifth of the original), but
    // never reserve more than the cap or a megabyte: the guess is the sender's to inflate.
    let mut out = Vec::with_capacity(data.len().saturating_mul(5).min(ceiling).min(1 << 20));
    let mut decoder = MultiGzDecoder::new(data);
    let mut chunk = [0u8; 16 << 10];
    loop {
        let n = match decoder.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(GzipError::Invalid(e)),
        };
        if out.len() + n > cap {
            return Err(GzipError::TooLarge);
        }
        if out.capacity() - out.len() < n {
            let grown = out.capacity().saturating_mul(2).max(out.len() + n);
            out.reserve_exact(grown.min(cap) - out.len());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// Decodes as much of a (possibly cut or broken) gzip body as decodes, up to about `cap`
/// bytes: for showing the start of an error page, never for reading a document.
#[cfg(feature = "client")]
pub(crate) fn decode_prefix(data: &[u8], cap: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut decoder = MultiGzDecoder::new(data);
    let mut buf = [0u8; 4096];
    while out.len() < cap {
        match decoder.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    out
}

/// Encodes `data` at the fast level, as Python's server and client do: XML-RPC compresses
/// well even so, and the bytes are on their way to a network, not to an archive.
pub(crate) fn encode(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 4 + 64), Compression::fast());
    // Writing into a Vec cannot fail, and neither can finishing into one.
    let _infallible = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// Whether a request's `Accept-Encoding` accepts gzip (`gzip`, `x-gzip` or `*`, with a
/// quality above zero).
pub(crate) fn accepted(headers: &http::HeaderMap) -> bool {
    headers
        .get_all(http::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip")
                || name.eq_ignore_ascii_case("x-gzip")
                || name == "*")
                && !refused
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::ACCEPT_ENCODING,
            http::HeaderValue::from_str(accept).expect("a header value"),
        );
        h
    }

    #[test]
    fn round_trips_within_the_cap_and_refuses_beyond_it() {
        let data = b"<methodCall>".repeat(1000);
        let packed = encode(&data);
        assert!(packed.len() < data.len() / 10);
        assert_eq!(decode(&packed, data.len()).expect("at the cap"), data);
        assert!(matches!(
            decode(&packed, data.len() - 1),
            Err(GzipError::TooLarge)
        ));
        assert!(matches!(
            decode(b"not gzip", 100),
            Err(GzipError::Invalid(_))
        ));
    }

    #[test]
    fn several_members_decode_as_one_body() {
        let mut two = encode(b"<method");
        two.extend_from_slice(&encode(b"Call>"));
        assert_eq!(decode(&two, 100).expect("two members"), b"<methodCall>");
    }

    #[test]
    fn codings_are_read_from_content_encoding() {
        let value = |s: &'static str| http::HeaderValue::from_static(s);
        assert_eq!(Coding::from_header(None), Some(Coding::Identity));
        assert_eq!(
            Coding::from_header(Some(&value("identity"))),
            Some(Coding::Identity)
        );
        assert_eq!(
            Coding::from_header(Some(&value(" X-GZIP "))),
            Some(Coding::Gzip)
        );
        assert_eq!(
            Coding::from_header(Some(&value("gzip"))),
            Some(Coding::Gzip)
        );
        assert_eq!(Coding::from_header(Some(&value("br"))), None);
        assert_eq!(Coding::from_header(Some(&value("gzip, br"))), None);
    }

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        assert!(accepted(&headers("gzip")));
        assert!(accepted(&headers("deflate, GZIP;q=0.5")));
        assert!(accepted(&headers("x-gzip")));
        assert!(accepted(&headers("*")));
        assert!(!accepted(&headers("gzip;q=0")));
        assert!(!accepted(&headers("gzip; q=0.0")));
        assert!(!accepted(&headers("br, deflate")));
        assert!(!accepted(&http::HeaderMap::new()));
    }

    #[cfg(feature = "client")]
    #[test]
    fn a_cut_body_shows_what_inflates() {
        let page: String = (0..5000).map(|i| format!("<p>{i}</p>")).collect();
        let packed = encode(page.as_bytes());
        let start = decode_prefix(&packed[..packed.len() / 2], 1 << 20);
        assert!(!start.is_empty());
        assert!(page.as_bytes().starts_with(&start));
        assert!(decode_prefix(&packed, 100).len() <= 4096);
    }
}
