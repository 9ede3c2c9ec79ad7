//! A pull tokenizer for the XML that XML-RPC uses.
//!
//! XML-RPC documents are small XML: elements without meaningful attributes, character data,
//! the five predefined entities and character references, perhaps comments, CDATA and
//! processing instructions, and never a DOCTYPE. This tokenizer reads exactly that, straight
//! from a `&str` that was validated once, with fast paths for the shapes XML-RPC always has:
//! a tag name is found with a byte table, character data with `memchr`, and text without
//! entities is handed out as a range of the input, so the deserializer can borrow it.
//!
//! It keeps no stack: the deserializer knows which end tag it expects and checks it.

use std::ops::Range;

use crate::error::{Error, ErrorKind, Result};
use crate::xml::chars::{first_forbidden, is_ws, scan_name};

mod text;

/// What a tag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagKind {
    /// `<name ...>`
    Start,
    /// `</name>`
    End,
    /// `<name .../>`
    Empty,
}

/// A tag, with the byte ranges of its qualified and local names in the input.
#[derive(Debug, Clone)]
pub(crate) struct Tag {
    pub(crate) kind: TagKind,
    /// Start of the `<`, for error positions.
    pub(crate) at: usize,
    /// The qualified name, such as `ex:i8`.
    pub(crate) name: Range<usize>,
    /// Where the local name starts (after the prefix and colon, if any).
    pub(crate) local: usize,
}

impl Tag {
    /// The local name: `i8` for `<ex:i8>`.
    #[inline]
    pub(crate) fn local<'s>(&self, src: &'s str) -> &'s str {
        &src[self.local..self.name.end]
    }

    /// The qualified name as written.
    #[inline]
    pub(crate) fn qname<'s>(&self, src: &'s str) -> &'s str {
        &src[self.name.clone()]
    }
}

/// Character data: a range of the input when nothing needed decoding, else the decoded text
/// was written to the caller's scratch buffer.
#[derive(Debug, Clone)]
pub(crate) enum Text {
    Range(Range<usize>),
    Scratch,
}

/// The tokenizer's position in the input; the input itself is passed to every call so that
/// the deserializer may own or borrow it.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    pos: usize,
    max_text: usize,
}

impl Reader {
    pub(crate) fn new(max_text: usize) -> Self {
        Reader { pos: 0, max_text }
    }

    #[cold]
    pub(crate) fn error_at(&self, src: &str, at: usize, kind: ErrorKind) -> Error {
        Error::new(kind).at_offset(src, at)
    }

    #[cold]
    fn syntax_at(&self, src: &str, at: usize, msg: impl Into<String>) -> Error {
        self.error_at(src, at, ErrorKind::Syntax(msg.into()))
    }

    /// Skips the prolog up to the root element: a byte-order mark, the XML declaration,
    /// whitespace, comments and processing instructions. A DOCTYPE is an error, as is a
    /// character that XML 1.0 forbids anywhere in the document.
    pub(crate) fn prolog(&mut self, src: &str) -> Result<()> {
        // XML 1.0 forbids C0 controls but tab, line feed and carriage return, U+FFFE and
        // U+FFFF, everywhere: checked here, in one pass, so that no decoded string can
        // hold one (the writer could not send it).
        if let Some(at) = first_forbidden(src.as_bytes()) {
            let c = src[at..].chars().next().unwrap_or('\0');
            return Err(self.error_at(
                src,
                at,
                ErrorKind::InvalidCharacter(format!(
                    "U+{:04X} is not allowed in XML",
                    u32::from(c)
                )),
            ));
        }
        if src[self.pos..].starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
        if src[self.pos..].starts_with("<?xml")
            && src
                .as_bytes()
                .get(self.pos + 5)
                .is_some_and(|&b| is_ws(b) || b == b'?')
        {
            self.skip_pi(src)?;
        }
        loop {
            self.skip_ws(src);
            let rest = &src.as_bytes()[self.pos..];
            if rest.starts_with(b"<!--") {
                self.skip_comment(src)?;
            } else if rest.starts_with(b"<?") {
                self.skip_pi(src)?;
            } else if rest.starts_with(b"<!") {
                // A DOCTYPE, or CDATA before the root element.
                return Err(self.bang(src));
            } else {
                // The root element, or what `next_tag` will refuse.
                return Ok(());
            }
        }
    }

    /// After the root element: only whitespace, comments and processing instructions may
    /// follow.
    pub(crate) fn epilog(&mut self, src: &str) -> Result<()> {
        loop {
            self.skip_ws(src);
            let rest = &src.as_bytes()[self.pos..];
            if rest.is_empty() {
                return Ok(());
            }
            if rest.starts_with(b"<!--") {
                self.skip_comment(src)?;
            } else if rest.starts_with(b"<?") {
                self.skip_pi(src)?;
            } else {
                return Err(self.syntax_at(
                    src,
                    self.pos,
                    "unexpected content after the root element",
                ));
            }
        }
    }

    /// Fast path: consumes `</name>` (after whitespace) when it is next, byte for byte.
    #[inline(always)]
    pub(crate) fn eat_end(&mut self, src: &str, name: &[u8]) -> bool {
        let b = src.as_bytes();
        let mut p = self.pos;
        while p < b.len() && is_ws(b[p]) {
            p += 1;
        }
        let end = p + 2 + name.len();
        if end < b.len()
            && b[p] == b'<'
            && b[p + 1] == b'/'
            && b[p + 2..end] == *name
            && b[end] == b'>'
        {
            self.pos = end + 1;
            true
        } else {
            false
        }
    }

    /// Fast path: consumes `<name>` (after whitespace) when it is next, byte for byte.
    #[inline(always)]
    pub(crate) fn eat_start(&mut self, src: &str, name: &[u8]) -> bool {
        let b = src.as_bytes();
        let mut p = self.pos;
        while p < b.len() && is_ws(b[p]) {
            p += 1;
        }
        let end = p + 1 + name.len();
        if end < b.len() && b[p] == b'<' && b[p + 1..end] == *name && b[end] == b'>' {
            self.pos = end + 1;
            true
        } else {
            false
        }
    }

    /// Whether `<value>` or `<value/>` comes next (after whitespace), looking at the bytes
    /// only; nothing is consumed.
    #[inline]
    pub(crate) fn at_value_start(&self, src: &str) -> bool {
        let b = src.as_bytes();
        let mut p = self.pos;
        while p < b.len() && is_ws(b[p]) {
            p += 1;
        }
        b.get(p..p + 7) == Some(b"<value>") || b.get(p..p + 8) == Some(b"<value/>")
    }

    /// The byte offset in the input where the next token starts.
    #[inline]
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    #[inline]
    fn skip_ws(&mut self, src: &str) {
        let b = src.as_bytes();
        while self.pos < b.len() && is_ws(b[self.pos]) {
            self.pos += 1;
        }
    }

    /// The next tag, skipping whitespace, comments and processing instructions. Any other
    /// character data here is an error, as is the end of the input.
    pub(crate) fn next_tag(&mut self, src: &str) -> Result<Tag> {
        loop {
            self.skip_ws(src);
            let b = src.as_bytes();
            match b.get(self.pos) {
                Some(b'<') => {}
                Some(_) => {
                    return Err(self.syntax_at(
                        src,
                        self.pos,
                        "unexpected text where a tag was expected",
                    ));
                }
                None => return Err(self.syntax_at(src, self.pos, "unexpected end of input")),
            }
            match b.get(self.pos + 1) {
                Some(b'!') => {
                    if b[self.pos..].starts_with(b"<!--") {
                        self.skip_comment(src)?;
                    } else if b[self.pos..].starts_with(b"<![CDATA[") {
                        // Only whitespace may stand between tags, and CDATA is character data.
                        let start = self.pos;
                        let content = self.cdata(src)?;
                        if !src[content].bytes().all(is_ws) {
                            return Err(self.syntax_at(
                                src,
                                start,
                                "unexpected text where a tag was expected",
                            ));
                        }
                    } else {
                        return Err(self.bang(src));
                    }
                }
                Some(b'?') => self.skip_pi(src)?,
                _ => return self.tag(src),
            }
        }
    }

    /// Reads a tag at `self.pos`, which is on a `<` that is not followed by `!` or `?`.
    #[inline]
    fn tag(&mut self, src: &str) -> Result<Tag> {
        let b = src.as_bytes();
        let at = self.pos;
        let mut i = at + 1;
        let kind = if b.get(i) == Some(&b'/') {
            i += 1;
            TagKind::End
        } else {
            TagKind::Start
        };
        let name_start = i;
        let Some((name_end, local)) = scan_name(src, i) else {
            return Err(self.syntax_at(src, at, "a tag without a name"));
        };
        i = name_end;
        let name = name_start..i;
        // Fast path: `<name>` and `</name>`.
        if b.get(i) == Some(&b'>') {
            self.pos = i + 1;
            return Ok(Tag {
                kind,
                at,
                name,
                local,
            });
        }
        if kind == TagKind::End {
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            if b.get(i) != Some(&b'>') {
                return Err(self.syntax_at(src, at, "malformed end tag"));
            }
            self.pos = i + 1;
            return Ok(Tag {
                kind,
                at,
                name,
                local,
            });
        }
        // Attributes are checked for form and otherwise ignored: XML-RPC gives them no
        // meaning (namespace declarations included: any prefix is accepted).
        let mut seen: Vec<Range<usize>> = Vec::new();
        loop {
            let had_ws = i < b.len() && is_ws(b[i]);
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(b'>') => {
                    self.pos = i + 1;
                    return Ok(Tag {
                        kind,
                        at,
                        name,
                        local,
                    });
                }
                Some(b'/') => {
                    if b.get(i + 1) != Some(&b'>') {
                        return Err(self.syntax_at(src, i, "expected `>` after `/` in a tag"));
                    }
                    self.pos = i + 2;
                    return Ok(Tag {
                        kind: TagKind::Empty,
                        at,
                        name,
                        local,
                    });
                }
                None => return Err(self.syntax_at(src, at, "unexpected end of input in a tag")),
                Some(_) if !had_ws => {
                    return Err(self.syntax_at(src, i, "malformed tag"));
                }
                Some(_) => i = self.attribute(src, i, &mut seen)?,
            }
        }
    }

    /// Checks the attribute at `i` (name, `=`, quoted value with well-formed references, a
    /// name not seen before in the tag) and returns where it ends.
    #[cold]
    fn attribute(&self, src: &str, mut i: usize, seen: &mut Vec<Range<usize>>) -> Result<usize> {
        let b = src.as_bytes();
        let attr_start = i;
        let Some((end, _)) = scan_name(src, i) else {
            return Err(self.syntax_at(src, i, "malformed attribute"));
        };
        i = end;
        let attr = attr_start..end;
        if seen.iter().any(|r| src[r.clone()] == src[attr.clone()]) {
            return Err(self.syntax_at(
                src,
                attr_start,
                format!(
                    "attribute `{}` appears twice in a tag",
                    crate::excerpt::truncate(&src[attr], 32)
                ),
            ));
        }
        seen.push(attr);
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return Err(self.syntax_at(src, i, "expected `=` after an attribute name"));
        }
        i += 1;
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        let quote = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(self.syntax_at(src, i, "expected a quoted attribute value")),
        };
        let value_start = i + 1;
        let Some(len) = memchr::memchr(quote, &b[value_start..]) else {
            return Err(self.syntax_at(src, i, "unterminated attribute value"));
        };
        let value = value_start..value_start + len;
        if memchr::memchr(b'<', &b[value.clone()]).is_some() {
            return Err(self.syntax_at(src, i, "`<` in an attribute value"));
        }
        let mut at = value.start;
        while let Some(amp) = memchr::memchr(b'&', &b[at..value.end]) {
            let (_, end) = self.parse_reference(src, at + amp)?;
            if end > value.end {
                return Err(self.syntax_at(
                    src,
                    at + amp,
                    "`&` that does not start a reference (write `&amp;`)",
                ));
            }
            at = end;
        }
        Ok(value.end + 1)
    }

    #[cold]
    fn bang(&self, src: &str) -> Error {
        let rest = &src[self.pos..];
        if rest.starts_with("<!DOCTYPE") {
            self.error_at(src, self.pos, ErrorKind::Doctype)
        } else if rest.starts_with("<![CDATA[") {
            self.syntax_at(src, self.pos, "CDATA section outside the root element")
        } else {
            self.syntax_at(src, self.pos, "unexpected `<!`")
        }
    }

    /// Skips a comment; XML allows no `--` inside one (so none ends in `--->`).
    fn skip_comment(&mut self, src: &str) -> Result<()> {
        let start = self.pos;
        match crate::xml::find(&src.as_bytes()[start + 4..], b"--") {
            Some(i) if src.as_bytes().get(start + 4 + i + 2) == Some(&b'>') => {
                self.pos = start + 4 + i + 3;
                Ok(())
            }
            Some(i) => Err(self.syntax_at(src, start + 4 + i, "`--` inside a comment")),
            None => Err(self.syntax_at(src, start, "unterminated comment")),
        }
    }

    /// Skips a processing instruction: its target must be an XML name, and the target
    /// `xml` (the declaration) may only open the document; other spellings of it are
    /// reserved.
    fn skip_pi(&mut self, src: &str) -> Result<()> {
        let start = self.pos;
        let b = src.as_bytes();
        let Some((end, _)) = scan_name(src, start + 2) else {
            return Err(self.syntax_at(
                src,
                start,
                "a processing instruction without a target name",
            ));
        };
        let target = &src[start + 2..end];
        if target.eq_ignore_ascii_case("xml") {
            if target != "xml" {
                return Err(self.syntax_at(
                    src,
                    start,
                    "the processing instruction target `xml` is reserved in every spelling",
                ));
            }
            if start != 0 && !(start == 3 && src.starts_with('\u{feff}')) {
                return Err(self.syntax_at(
                    src,
                    start,
                    "XML declaration not at the start of the document",
                ));
            }
        }
        if !b[end..].starts_with(b"?>") && !b.get(end).is_some_and(|&c| is_ws(c)) {
            return Err(self.syntax_at(src, end, "malformed processing instruction"));
        }
        match crate::xml::find(&b[end..], b"?>") {
            Some(i) => {
                self.pos = end + i + 2;
                Ok(())
            }
            None => Err(self.syntax_at(src, start, "unterminated processing instruction")),
        }
    }

    /// Reads a CDATA section at `self.pos` and returns the range of its content.
    fn cdata(&mut self, src: &str) -> Result<Range<usize>> {
        let start = self.pos + 9;
        match crate::xml::find(&src.as_bytes()[start..], b"]]>") {
            Some(i) => {
                self.pos = start + i + 3;
                Ok(start..start + i)
            }
            None => Err(self.syntax_at(src, self.pos, "unterminated CDATA section")),
        }
    }

    /// Skips the content of an element whose start tag was just read, up to and including
    /// its end tag, checking that tags nest properly. `stack` is scratch space.
    pub(crate) fn skip_element(
        &mut self,
        src: &str,
        open: &Tag,
        scratch: &mut String,
        stack: &mut Vec<Range<usize>>,
        max_depth: usize,
    ) -> Result<()> {
        stack.clear();
        stack.push(open.name.clone());
        while let Some(top) = stack.last().cloned() {
            self.text(src, scratch)?;
            let tag = self.next_tag(src)?;
            match tag.kind {
                TagKind::Start => {
                    // A value nests three elements deep per level (value, array, data).
                    if stack.len() > max_depth.saturating_mul(4).saturating_add(4) {
                        return Err(self.error_at(
                            src,
                            tag.at,
                            ErrorKind::LimitExceeded {
                                what: "nesting depth",
                                limit: max_depth,
                            },
                        ));
                    }
                    stack.push(tag.name);
                }
                TagKind::Empty => {}
                TagKind::End => {
                    if src[top] != src[tag.name.clone()] {
                        return Err(self.mismatched_end(
                            src,
                            &tag,
                            &src[stack[stack.len() - 1].clone()],
                        ));
                    }
                    stack.pop();
                }
            }
        }
        Ok(())
    }

    #[cold]
    pub(crate) fn mismatched_end(&self, src: &str, tag: &Tag, expected: &str) -> Error {
        self.syntax_at(
            src,
            tag.at,
            format!(
                "end tag `</{}>` does not match `<{}>`",
                crate::excerpt::truncate(tag.qname(src), 32),
                crate::excerpt::truncate(expected, 32)
            ),
        )
    }
}

#[cfg(test)]
mod tests;
