//! The dialects of XML-RPC a document is written in: how 64-bit integers and nil are
//! spelled, what becomes of characters XML cannot carry, and the charset.

use crate::xml::encoding::Charset;

/// How integers beyond 32 bits are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum I8Style {
    /// `<i8>`, the extension that xmlrpc-c, Python (reading) and most peers know.
    #[default]
    I8,
    /// `<ex:i8>`, the spelling of Apache XML-RPC's extensions.
    ExI8,
    /// Refused with an error, for peers that only know the original specification.
    Refuse,
}

/// How `None` and `()` are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NilStyle {
    /// `<nil/>`, the extension that Python (with `allow_none`), xmlrpc-c and most peers know.
    #[default]
    Nil,
    /// `<ex:nil/>`, the spelling of Apache XML-RPC's extensions.
    ExNil,
    /// Refused with an error, as Python does without `allow_none`.
    Refuse,
}

/// What the writer does with a string that holds a character XML 1.0 forbids: a C0 control
/// other than tab, line feed and carriage return, U+FFFE or U+FFFF.
///
/// Strict XML parsers (Python's expat, libxml2, Java's) refuse such a document whichever
/// way the character is written, so by default the writer refuses to write it: the peer
/// could not read the answer. NUL (U+0000) is refused in every case.
///
/// ```
/// use xmlrpc::{Dialect, ForbiddenChars, Serializer};
/// use serde::Serialize;
///
/// let err = xmlrpc::to_string(&vec!["ok", "bell\u{7}"]).unwrap_err();
/// assert!(err.to_string().starts_with(
///     "a string holds the control character U+0007, which XML 1.0 does not allow"
/// ));
/// assert_eq!(err.path(), "[1]");
///
/// let lenient = Dialect::new().with_forbidden_chars(ForbiddenChars::Reference);
/// let mut ser = Serializer::with_dialect(Vec::new(), lenient);
/// "bell\u{7}".serialize(&mut ser)?;
/// assert_eq!(ser.into_inner(), b"<value><string>bell&#7;</string></value>");
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ForbiddenChars {
    /// An error that names the value's path. The default.
    #[default]
    Refuse,
    /// A character reference such as `&#7;`, for peers known to accept one (lenient
    /// parsers, and this toolkit's versions before it refused them). This toolkit's reader
    /// refuses such references.
    Reference,
}

/// The dialect the writer speaks, so that strict peers and Apache-style peers both work:
/// how 64-bit integers and nil are spelled, the [`Charset`] of the document, and what
/// happens to characters that XML 1.0 forbids ([`ForbiddenChars`]).
///
/// Readers accept every spelling whatever the dialect; it only decides what is written.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Dialect, I8Style, NilStyle, Serializer};
/// use serde::Serialize;
///
/// let mut out = Vec::new();
/// let mut ser = Serializer::with_dialect(&mut out, Dialect::apache());
/// (5_000_000_000i64, None::<i32>).serialize(&mut ser)?;
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "<value><array><data><value><ex:i8>5000000000</ex:i8></value>\
///      <value><ex:nil/></value></data></array></value>"
/// );
///
/// let strict = Dialect::strict();
/// assert_eq!((strict.i8, strict.nil), (I8Style::Refuse, NilStyle::Refuse));
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Dialect {
    /// How integers beyond 32 bits are written.
    pub i8: I8Style,
    /// How `None` and `()` are written.
    pub nil: NilStyle,
    /// The character encoding of documents; UTF-8 by default.
    pub charset: Charset,
    /// What happens to characters XML 1.0 forbids; refused by default.
    pub forbidden_chars: ForbiddenChars,
}

impl Dialect {
    /// `<i8>` and `<nil/>`: what xmlrpc-c and Python read. The default.
    pub const fn new() -> Self {
        Dialect {
            i8: I8Style::I8,
            nil: NilStyle::Nil,
            charset: Charset::UTF_8,
            forbidden_chars: ForbiddenChars::Refuse,
        }
    }

    /// `<ex:i8>` and `<ex:nil/>`, for Apache XML-RPC with extensions on. Documents written
    /// in this dialect declare the `ex` namespace on their root element.
    pub const fn apache() -> Self {
        Dialect {
            i8: I8Style::ExI8,
            nil: NilStyle::ExNil,
            charset: Charset::UTF_8,
            forbidden_chars: ForbiddenChars::Refuse,
        }
    }

    /// The original specification: no 64-bit integers, no nil.
    pub const fn strict() -> Self {
        Dialect {
            i8: I8Style::Refuse,
            nil: NilStyle::Refuse,
            charset: Charset::UTF_8,
            forbidden_chars: ForbiddenChars::Refuse,
        }
    }

    /// This dialect with another [`I8Style`].
    pub const fn with_i8(mut self, style: I8Style) -> Self {
        self.i8 = style;
        self
    }

    /// This dialect with another [`NilStyle`].
    pub const fn with_nil(mut self, style: NilStyle) -> Self {
        self.nil = style;
        self
    }

    /// This dialect with another [`Charset`] for its documents.
    ///
    /// ```
    /// use xmlrpc::{Charset, Dialect, Serializer};
    ///
    /// let mut ser = Serializer::with_dialect(Vec::new(), Dialect::new().with_charset(Charset::US_ASCII));
    /// ser.call("greet", &("Grüße",))?;
    /// let xml = String::from_utf8(ser.into_inner()).unwrap();
    /// assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><methodCall>"));
    /// assert!(xml.contains("<string>Gr&#252;&#223;e</string>"));
    /// # Ok::<(), xmlrpc::Error>(())
    /// ```
    pub const fn with_charset(mut self, charset: Charset) -> Self {
        self.charset = charset;
        self
    }

    /// This dialect with another [`ForbiddenChars`] policy.
    ///
    /// ```
    /// use xmlrpc::{Dialect, ForbiddenChars};
    ///
    /// let lenient = Dialect::new().with_forbidden_chars(ForbiddenChars::Reference);
    /// assert_eq!(lenient.forbidden_chars, ForbiddenChars::Reference);
    /// assert_eq!(Dialect::new().forbidden_chars, ForbiddenChars::Refuse);
    /// ```
    pub const fn with_forbidden_chars(mut self, policy: ForbiddenChars) -> Self {
        self.forbidden_chars = policy;
        self
    }

    /// Whether documents in this dialect need the Apache extensions namespace declared.
    pub(crate) fn uses_ex(&self) -> bool {
        self.i8 == I8Style::ExI8 || self.nil == NilStyle::ExNil
    }
}

/// The namespace of Apache XML-RPC's extension types.
pub(crate) const EX_NAMESPACE: &str = "http://ws.apache.org/xmlrpc/namespaces/extensions";
