//! Escaping character data for writing, in the writer's charset, with only the characters
//! XML 1.0 allows.

use std::io::Write;

use crate::error::{Error, Result};
use crate::ser::dialect::{Dialect, ForbiddenChars};
use crate::xml::encoding::Repr;

/// How each byte is written in UTF-8 character data: 0 as is, else a class handled below.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        // C0 controls: XML 1.0 forbids them, raw and as references.
        t[b] = CONTROL;
        b += 1;
    }
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    // A raw `\r` would reach the reader as `\n`; the reference keeps it.
    t[b'\r' as usize] = CR;
    t[b'<' as usize] = LT;
    t[b'>' as usize] = GT;
    t[b'&' as usize] = AMP;
    // The lead byte of U+FFFE and U+FFFF (`EF BF BE`, `EF BF BF`), which XML forbids.
    t[0xEF] = LEAD_EF;
    t
};

const LT: u8 = 1;
const GT: u8 = 2;
const AMP: u8 = 3;
const CR: u8 = 4;
const CONTROL: u8 = 5;
const LEAD_EF: u8 = 6;

/// Whether XML 1.0 allows `c` in a document (its `Char` production; Rust's `char` has no
/// surrogates).
#[inline]
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// The error for a character the writer may not send.
#[cold]
pub(crate) fn forbidden(c: char) -> Error {
    if c == '\0' {
        Error::unsupported("a string holds NUL (U+0000), which XML cannot carry in any form")
    } else {
        let what = if c < ' ' {
            "the control character"
        } else {
            "the noncharacter"
        };
        Error::unsupported(format!(
            "a string holds {what} U+{:04X}, which XML 1.0 does not allow: strict parsers \
             such as Python's refuse the document (`ForbiddenChars::Reference` writes it as \
             a reference, for peers known to accept one)",
            u32::from(c)
        ))
    }
}

/// Writes `&#N;`.
fn char_ref<W: Write + ?Sized>(out: &mut W, c: char) -> Result<()> {
    out.write_all(b"&#")?;
    out.write_all(itoa::Buffer::new().format(u32::from(c)).as_bytes())?;
    out.write_all(b";")?;
    Ok(())
}

/// Writes `s` as XML character data, in the dialect's charset.
///
/// # Errors
///
/// The writer's errors; NUL, which XML cannot carry in any form; other characters XML 1.0
/// forbids unless the dialect writes them as references.
#[inline]
pub(crate) fn escape<W: Write + ?Sized>(out: &mut W, s: &str, dialect: &Dialect) -> Result<()> {
    if !dialect.charset.is_utf8() {
        return escape_in_charset(out, s, dialect);
    }
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let class = ESCAPE[b as usize];
        if class == 0 {
            continue;
        }
        let forbidden_char = match class {
            LEAD_EF => {
                if bytes.get(i + 1) != Some(&0xBF) || !matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
                {
                    continue;
                }
                if bytes[i + 2] == 0xBE {
                    '\u{FFFE}'
                } else {
                    '\u{FFFF}'
                }
            }
            CONTROL => char::from(b),
            _ => '\0',
        };
        if start < i {
            out.write_all(&bytes[start..i])?;
        }
        match class {
            LT => out.write_all(b"&lt;")?,
            GT => out.write_all(b"&gt;")?,
            AMP => out.write_all(b"&amp;")?,
            CR => out.write_all(b"&#13;")?,
            _ => {
                if forbidden_char == '\0' || dialect.forbidden_chars == ForbiddenChars::Refuse {
                    return Err(forbidden(forbidden_char));
                }
                char_ref(out, forbidden_char)?;
            }
        }
        start = i + forbidden_char.len_utf8().max(1);
    }
    if start < bytes.len() {
        out.write_all(&bytes[start..])?;
    }
    Ok(())
}

/// [`escape`] for the charsets other than UTF-8: what the charset cannot hold is written as
/// a character reference.
#[cold]
fn escape_in_charset<W: Write + ?Sized>(out: &mut W, s: &str, dialect: &Dialect) -> Result<()> {
    let mut buf = Vec::with_capacity(s.len() + 8);
    let mut encoder = match dialect.charset.0 {
        Repr::SingleByte(enc) => Some(enc.new_encoder()),
        _ => None,
    };
    for c in s.chars() {
        match c {
            '<' => buf.extend_from_slice(b"&lt;"),
            '>' => buf.extend_from_slice(b"&gt;"),
            '&' => buf.extend_from_slice(b"&amp;"),
            '\r' => buf.extend_from_slice(b"&#13;"),
            c if !is_xml_char(c) => {
                if c == '\0' || dialect.forbidden_chars == ForbiddenChars::Refuse {
                    return Err(forbidden(c));
                }
                char_ref(&mut buf, c)?;
            }
            c if c.is_ascii() => buf.push(c as u8),
            c => match (dialect.charset.0, &mut encoder) {
                (Repr::Latin1, _) => match u8::try_from(u32::from(c)) {
                    Ok(byte) => buf.push(byte),
                    Err(_) => char_ref(&mut buf, c)?,
                },
                (_, Some(encoder)) => {
                    let mut one = [0u8; 4];
                    let mut byte = [0u8; 8];
                    let (result, _, written) = encoder.encode_from_utf8_without_replacement(
                        c.encode_utf8(&mut one),
                        &mut byte,
                        false,
                    );
                    match result {
                        encoding_rs::EncoderResult::InputEmpty => {
                            buf.extend_from_slice(&byte[..written]);
                        }
                        _ => char_ref(&mut buf, c)?,
                    }
                }
                _ => char_ref(&mut buf, c)?,
            },
        }
    }
    out.write_all(&buf)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::encoding::Charset;

    fn esc(s: &str, dialect: Dialect) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        escape(&mut out, s, &dialect)?;
        Ok(out)
    }

    #[test]
    fn escapes_markup_and_carriage_returns() {
        assert_eq!(
            esc("a<b>&c\r\n\t\u{7f}é\u{fffd}\u{ff61}", Dialect::new()).unwrap(),
            "a&lt;b&gt;&amp;c&#13;\n\t\u{7f}é\u{fffd}\u{ff61}".as_bytes()
        );
    }

    #[test]
    fn refuses_what_xml_forbids_unless_asked() {
        for c in ['\u{1}', '\u{8}', '\u{b}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
            let s = format!("a{c}b");
            let err = esc(&s, Dialect::new()).unwrap_err();
            assert_eq!(err.fault_code(), crate::fault::Fault::INTERNAL_ERROR);
            assert!(
                err.to_string().contains(&format!(
                    "U+{:04X}, which XML 1.0 does not allow",
                    u32::from(c)
                )),
                "{err}"
            );
            let lenient = Dialect::new().with_forbidden_chars(ForbiddenChars::Reference);
            assert_eq!(
                esc(&s, lenient).unwrap(),
                format!("a&#{};b", u32::from(c)).as_bytes()
            );
            let latin1 = lenient.with_charset(Charset::ISO_8859_1);
            assert_eq!(
                esc(&s, latin1).unwrap(),
                format!("a&#{};b", u32::from(c)).as_bytes()
            );
            assert!(esc(&s, Dialect::new().with_charset(Charset::US_ASCII)).is_err());
        }
        let lenient = Dialect::new().with_forbidden_chars(ForbiddenChars::Reference);
        assert!(esc("a\0", lenient).is_err());
        assert!(esc("a\0", lenient.with_charset(Charset::WINDOWS_1252)).is_err());
    }

    #[test]
    fn writes_single_byte_charsets_with_references_for_the_rest() {
        let s = "é€\u{80}日<\r";
        let latin1 = Dialect::new().with_charset(Charset::ISO_8859_1);
        assert_eq!(esc(s, latin1).unwrap(), b"\xe9&#8364;\x80&#26085;&lt;&#13;");
        let cp1252 = Dialect::new().with_charset(Charset::WINDOWS_1252);
        assert_eq!(esc(s, cp1252).unwrap(), b"\xe9\x80&#128;&#26085;&lt;&#13;");
        let ascii = Dialect::new().with_charset(Charset::US_ASCII);
        assert_eq!(
            esc(s, ascii).unwrap(),
            b"&#233;&#8364;&#128;&#26085;&lt;&#13;"
        );
        let koi8 = Dialect::new().with_charset(Charset::for_label("koi8-r").unwrap());
        assert_eq!(esc("Жé", koi8).unwrap(), b"\xf6&#233;");
    }
}
