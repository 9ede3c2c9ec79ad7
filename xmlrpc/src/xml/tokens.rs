//! The tokenizer as a plain XML reader: every element, end tag and piece of text of a
//! document, in order. The codec never reads documents this way (its deserializer pulls
//! exactly the tags it expects); this is the view that the differential tests and the fuzz
//! target compare with quick-xml's.

use std::ops::Range;

use crate::error::{ErrorKind, Result};
use crate::xml::reader::{Reader, TagKind, Text};

/// One event of a document, as [`tokenize`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A start tag, or an empty-element tag (which is followed by its [`Token::End`]), by
    /// its qualified name.
    Start(String),
    /// An end tag, by its qualified name.
    End(String),
    /// The character data between two tags, with references resolved, CDATA sections
    /// taken as they are, comments and processing instructions left out and line ends
    /// normalized; never empty.
    Text(String),
}

/// Reads the whole of `src` with the codec's tokenizer, checking that it is one
/// well-formed element with only whitespace, comments and processing instructions around
/// it, and returns its events.
///
/// # Errors
///
/// The codec's reading errors: not well formed (-32700), a character XML forbids
/// (-32702), a DOCTYPE.
pub fn tokenize(src: &str) -> Result<Vec<Token>> {
    let mut reader = Reader::new(usize::MAX);
    let mut scratch = String::new();
    let mut open: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    reader.prolog(src)?;
    loop {
        if !open.is_empty() {
            let text = match reader.text(src, &mut scratch)? {
                Text::Range(r) => &src[r],
                Text::Scratch => scratch.as_str(),
            };
            if !text.is_empty() {
                out.push(Token::Text(text.to_owned()));
            }
        }
        let tag = reader.next_tag(src)?;
        let name = tag.qname(src);
        match tag.kind {
            TagKind::Start => {
                out.push(Token::Start(name.to_owned()));
                open.push(tag.name.clone());
            }
            TagKind::Empty => {
                out.push(Token::Start(name.to_owned()));
                out.push(Token::End(name.to_owned()));
            }
            TagKind::End => match open.pop() {
                Some(start) if src[start.clone()] == *name => {
                    out.push(Token::End(name.to_owned()));
                }
                Some(start) => return Err(reader.mismatched_end(src, &tag, &src[start])),
                None => {
                    return Err(reader.error_at(
                        src,
                        tag.at,
                        ErrorKind::Syntax("an end tag before any start tag".into()),
                    ));
                }
            },
        }
        if open.is_empty() {
            reader.epilog(src)?;
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_document_as_events() {
        let doc = "<?xml version='1.0'?>\n<!-- c --><a x='1'>t&amp;<b/>u<![CDATA[<v>\r\n]]>\
                   <?pi?>w</a>\n";
        assert_eq!(
            tokenize(doc).unwrap(),
            [
                Token::Start("a".into()),
                Token::Text("t&".into()),
                Token::Start("b".into()),
                Token::End("b".into()),
                Token::Text("u<v>\nw".into()),
                Token::End("a".into()),
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_one_element() {
        for bad in [
            "",
            "text",
            "<a/><b/>",
            "<a></b>",
            "</a>",
            "<a>",
            "<![CDATA[x]]><a/>",
            "<!DOCTYPE a><a/>",
            "<a/>text",
            "<a>\u{1}</a>",
            "<a>&#1;</a>",
            "<1a/>",
            "<a x='1' x='2'/>",
            "<a x='&bad;'/>",
            "<a><!-- a -- b --></a>",
        ] {
            assert!(tokenize(bad).is_err(), "{bad:?}");
        }
    }
}
