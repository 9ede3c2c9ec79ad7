//! Character data: text between tags, with its entities, character references, CDATA
//! sections and line ends, read fast when it needs none of them.

use super::{Reader, Text};
use crate::error::{Error, ErrorKind, Result};
use crate::xml::chars::{push_normalized, scan_name};

impl Reader {
    /// Reads character data up to the next tag, leaving the position on its `<`.
    ///
    /// Entities and character references are decoded, CDATA sections taken as they are,
    /// comments and processing instructions dropped, and line ends normalized to `\n` as
    /// XML requires. When none of that was needed, the text is a range of the input;
    /// otherwise it is written to `scratch`.
    #[inline]
    pub(crate) fn text(&mut self, src: &str, scratch: &mut String) -> Result<Text> {
        let b = src.as_bytes();
        let start = self.pos;
        // Most character data in XML-RPC is short (a number, a name) or absent (between
        // `<value>` and its type): a look at the first bytes is cheaper than a search.
        let near = b.len().min(start + 16);
        let found = match b[start..near]
            .iter()
            .position(|&c| matches!(c, b'<' | b'&' | b'\r'))
        {
            Some(i) => Some(i),
            None if near == b.len() => None,
            None => memchr::memchr3(b'<', b'&', b'\r', &b[near..]).map(|i| i + near - start),
        };
        match found {
            Some(i)
                if b[start + i] == b'<' && !matches!(b.get(start + i + 1), Some(b'!' | b'?')) =>
            {
                if i > self.max_text {
                    return Err(self.too_long(src, start));
                }
                self.pos = start + i;
                Ok(Text::Range(start..start + i))
            }
            None => Err(self.syntax_at(src, b.len(), "unexpected end of input")),
            Some(_) => self.text_slow(src, scratch),
        }
    }

    #[cold]
    fn too_long(&self, src: &str, at: usize) -> Error {
        self.error_at(
            src,
            at,
            ErrorKind::LimitExceeded {
                what: "string length",
                limit: self.max_text,
            },
        )
    }

    fn text_slow(&mut self, src: &str, scratch: &mut String) -> Result<Text> {
        scratch.clear();
        let b = src.as_bytes();
        loop {
            let start = self.pos;
            let Some(i) = memchr::memchr3(b'<', b'&', b'\r', &b[start..]) else {
                return Err(self.syntax_at(src, b.len(), "unexpected end of input"));
            };
            // Checked before copying, so that the last piece counts too and the scratch
            // buffer never grows far past the limit.
            if scratch.len() + i > self.max_text {
                return Err(self.too_long(src, start));
            }
            scratch.push_str(&src[start..start + i]);
            self.pos = start + i;
            match b[self.pos] {
                b'\r' => {
                    scratch.push('\n');
                    self.pos += 1;
                    if b.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                }
                b'&' => self.reference(src, scratch)?,
                _ => {
                    let rest = &b[self.pos..];
                    if rest.starts_with(b"<![CDATA[") {
                        let content = self.cdata(src)?;
                        if scratch.len() + content.len() > self.max_text {
                            return Err(self.too_long(src, start));
                        }
                        push_normalized(scratch, &src[content]);
                    } else if rest.starts_with(b"<!--") {
                        self.skip_comment(src)?;
                    } else if rest.starts_with(b"<?") {
                        self.skip_pi(src)?;
                    } else if rest.starts_with(b"<!") {
                        return Err(self.bang(src));
                    } else {
                        return Ok(Text::Scratch);
                    }
                }
            }
            if scratch.len() > self.max_text {
                return Err(self.too_long(src, start));
            }
        }
    }

    /// Decodes the entity or character reference at `self.pos` into `out`.
    fn reference(&mut self, src: &str, out: &mut String) -> Result<()> {
        let (ch, end) = self.parse_reference(src, self.pos)?;
        out.push(ch);
        self.pos = end;
        Ok(())
    }

    /// Reads the entity or character reference at `start` (on its `&`): the character, and
    /// where the reference ends. Only the five predefined entities exist, and a character
    /// reference must name a character XML 1.0 allows.
    pub(super) fn parse_reference(&self, src: &str, start: usize) -> Result<(char, usize)> {
        let b = src.as_bytes();
        let mut i = start + 1;
        let (ch, name_end) = if b.get(i) == Some(&b'#') {
            i += 1;
            let hex = b.get(i) == Some(&b'x');
            if hex {
                i += 1;
            }
            let digits = i;
            let mut code: u32 = 0;
            while let Some(&c) = b.get(i) {
                let digit = match c {
                    b'0'..=b'9' => u32::from(c - b'0'),
                    b'a'..=b'f' if hex => u32::from(c - b'a' + 10),
                    b'A'..=b'F' if hex => u32::from(c - b'A' + 10),
                    _ => break,
                };
                // Saturates: any number past U+10FFFF is invalid alike.
                code = code
                    .saturating_mul(if hex { 16 } else { 10 })
                    .saturating_add(digit);
                i += 1;
            }
            if b.get(i) != Some(&b';') {
                // `&#-1;`, `&#x;`: a character reference that names no character.
                let end = b[i..]
                    .iter()
                    .take(12)
                    .take_while(|&&c| c != b'<' && c != b'&')
                    .position(|&c| c == b';');
                let Some(end) = end else {
                    return Err(self.not_a_reference(src, start));
                };
                return Err(self.bad_char_ref(src, start, &src[start + 1..i + end]));
            }
            let name = &src[start + 1..i];
            let ch = (i > digits)
                .then(|| char::from_u32(code))
                .flatten()
                .filter(|&c| crate::xml::writer::is_xml_char(c));
            match ch {
                Some(c) => (c, i),
                None => return Err(self.bad_char_ref(src, start, name)),
            }
        } else {
            let Some((end, _)) = scan_name(src, i) else {
                return Err(self.not_a_reference(src, start));
            };
            if b.get(end) != Some(&b';') {
                return Err(self.not_a_reference(src, start));
            }
            let ch = match &src[i..end] {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "apos" => '\'',
                "quot" => '"',
                name => {
                    return Err(self.syntax_at(
                        src,
                        start,
                        format!(
                            "unknown entity `&{};` (only the five predefined entities exist without a DTD)",
                            crate::excerpt::truncate(name, 12)
                        ),
                    ));
                }
            };
            (ch, end)
        };
        Ok((ch, name_end + 1))
    }

    #[cold]
    fn bad_char_ref(&self, src: &str, at: usize, name: &str) -> Error {
        self.error_at(
            src,
            at,
            ErrorKind::InvalidCharacter(format!(
                "invalid character reference `&{};`",
                crate::excerpt::truncate(name, 16)
            )),
        )
    }

    #[cold]
    fn not_a_reference(&self, src: &str, at: usize) -> Error {
        self.syntax_at(
            src,
            at,
            "`&` that does not start a reference (write `&amp;`)",
        )
    }
}
