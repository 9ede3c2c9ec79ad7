//! Escaping character data for writing.

use std::io::Write;

use crate::error::{Error, Result};

/// How each byte is written in character data: 0 as is, else an index into `REPLACEMENT`.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        // Control characters are written as character references, so that a string
        // round-trips exactly; `\r` in particular would become `\n` if written raw.
        t[b] = 4;
        b += 1;
    }
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    t[b'<' as usize] = 1;
    t[b'>' as usize] = 2;
    t[b'&' as usize] = 3;
    t
};

/// Writes `s` as XML character data.
#[inline]
///
/// # Errors
///
/// The writer's errors, and NUL, which XML cannot carry in any form.
pub(crate) fn escape<W: Write + ?Sized>(out: &mut W, s: &str) -> Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let class = ESCAPE[b as usize];
        if class == 0 {
            continue;
        }
        if start < i {
            out.write_all(&bytes[start..i])?;
        }
        match class {
            1 => out.write_all(b"&lt;")?,
            2 => out.write_all(b"&gt;")?,
            3 => out.write_all(b"&amp;")?,
            _ if b == 0 => {
                return Err(Error::unsupported(
                    "a string holds NUL (U+0000), which XML cannot carry in any form",
                ));
            }
            _ => {
                let mut buf = *b"&#00;";
                buf[2] = b'0' + b / 10;
                buf[3] = b'0' + b % 10;
                out.write_all(&buf)?;
            }
        }
        start = i + 1;
    }
    if start < bytes.len() {
        out.write_all(&bytes[start..])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_control_characters() {
        let mut out = Vec::new();
        super::escape(&mut out, "a<b>&c\r\n\t\u{1}\u{1f}é").unwrap();
        assert!(super::escape(&mut Vec::new(), "a\0").is_err());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a&lt;b&gt;&amp;c&#13;\n\t&#01;&#31;é"
        );
    }
}
