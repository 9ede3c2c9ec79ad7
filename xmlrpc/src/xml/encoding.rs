//! Character encodings: UTF-8 by default, any encoding the XML declaration names that
//! `encoding_rs` knows, and a clear error for the rest.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind, Result};

/// Turns the bytes of a document into text, following its byte-order mark or the
/// `encoding` of its XML declaration.
///
/// # Errors
///
/// [`ErrorKind::UnsupportedEncoding`] for an encoding label that is not known and
/// [`ErrorKind::InvalidCharacter`] for bytes that are not valid in the encoding.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, 3).map(Cow::Borrowed);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        return transcode(enc, &bytes[2..]);
    }
    match declared_encoding(bytes) {
        None => utf8(bytes, 0).map(Cow::Borrowed),
        Some(label) => {
            let Some(enc) = encoding_rs::Encoding::for_label_no_replacement(label) else {
                return Err(Error::new(ErrorKind::UnsupportedEncoding(
                    crate::error::truncate(&String::from_utf8_lossy(label), 40),
                )));
            };
            if enc == encoding_rs::UTF_8 {
                utf8(bytes, 0).map(Cow::Borrowed)
            } else if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                // A declaration readable as ASCII cannot be UTF-16 without a byte-order mark.
                Err(Error::new(ErrorKind::InvalidCharacter(
                    "a document declared as UTF-16 must start with a byte-order mark".into(),
                )))
            } else if bytes.is_ascii() {
                // Every supported single-byte encoding agrees with ASCII.
                utf8(bytes, 0).map(Cow::Borrowed)
            } else {
                transcode(enc, bytes)
            }
        }
    }
}

fn utf8(bytes: &[u8], offset: usize) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        Error::new(ErrorKind::InvalidCharacter(format!(
            "invalid UTF-8 at byte {}",
            e.valid_up_to() + offset
        )))
    })
}

fn transcode(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<Cow<'static, str>> {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Cow::Owned(text.into_owned())),
        None => Err(Error::new(ErrorKind::InvalidCharacter(format!(
            "bytes that are not valid {}",
            enc.name()
        )))),
    }
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<&[u8]> {
    let decl = bytes.strip_prefix(b"<?xml")?;
    let end = crate::xml::find(&decl[..decl.len().min(256)], b"?>")?;
    let decl = &decl[..end];
    let at = crate::xml::find(decl, b"encoding")?;
    let mut rest = &decl[at + 8..];
    rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let len = memchr::memchr(quote, &rest[1..])?;
    Some(&rest[1..1 + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_declared_encodings() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><v>caf\xe9</v>";
        assert_eq!(
            decode(latin1).unwrap(),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><v>caf\u{e9}</v>"
        );
        let cp1252 = b"<?xml version='1.0' encoding='windows-1252'?><v>\x80</v>";
        assert!(decode(cp1252).unwrap().contains('\u{20ac}'));
        let utf8 = "<?xml version='1.0' encoding='UTF-8'?><v>é</v>";
        assert!(matches!(decode(utf8.as_bytes()).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn refuses_unknown_encodings_and_bad_bytes() {
        let err = decode(b"<?xml version='1.0' encoding='EBCDIC-ZZ'?><v/>").unwrap_err();
        assert_eq!(err.fault_code(), crate::Fault::UNSUPPORTED_ENCODING);
        let err = decode(b"<v>\xff\xfe\xfd</v>").unwrap_err();
        assert_eq!(err.fault_code(), crate::Fault::INVALID_CHARACTER);
        assert_eq!(
            err.to_string(),
            "invalid character for the encoding: invalid UTF-8 at byte 3"
        );
    }

    #[test]
    fn follows_byte_order_marks() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<v>é</v>".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap(), "<v>é</v>");
        assert_eq!(decode(b"\xEF\xBB\xBF<v/>").unwrap(), "<v/>");
    }
}
