//! The error type of the codec, with the context of where things went wrong.

use std::fmt;

use crate::excerpt::truncate;
use crate::fault::Fault;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while reading or writing XML-RPC.
///
/// An error carries its [`ErrorKind`], the path of the value it concerns (such as
/// `params[1].tags[3]`) and, for reading, the line and column in the input. It maps to a
/// standard [`Fault`] code with [`Error::fault_code`], so a server can answer any decoding
/// problem with the right interoperability fault.
///
/// # Examples
///
/// ```
/// let err = xmlrpc::from_str::<Vec<i32>>(
///     "<value><array><data><value><int>1</int></value>\
///      <value><string>two</string></value></data></array></value>",
/// )
/// .unwrap_err();
/// assert_eq!(err.to_string(), "expected int, found string at [1] (line 1, column 48)");
/// assert_eq!(err.fault_code(), xmlrpc::Fault::INVALID_PARAMS);
/// ```
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    /// Innermost segment first; reversed when shown.
    path: Vec<Segment>,
    position: Option<Position>,
}

/// One step of the path to a value: a struct member or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Member(String),
    Index(usize),
    Param(usize),
}

/// A line and column in the input, both counted from 1; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

/// The kinds of [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not well-formed XML.
    #[error("{0}")]
    Syntax(String),
    /// The XML declaration names an encoding that is not supported.
    #[error("unsupported encoding `{0}`")]
    UnsupportedEncoding(String),
    /// The input has a byte sequence that is not valid in its encoding, or a character
    /// that XML 1.0 does not allow.
    #[error("invalid character: {0}")]
    InvalidCharacter(String),
    /// The input refers to a DOCTYPE, which is refused: no entity is ever expanded.
    #[error("DOCTYPE declarations are not allowed (no entity expansion, no external entities)")]
    Doctype,
    /// The XML is well-formed but is not the XML-RPC document that was expected.
    #[error("{0}")]
    Invalid(String),
    /// A value has another XML-RPC type than the one the Rust type needs.
    #[error("expected {expected}, found {found}")]
    TypeMismatch {
        /// The XML-RPC type (or Rust shape) that was needed.
        expected: String,
        /// The XML-RPC type that was found.
        found: &'static str,
    },
    /// A value has the right type but cannot be represented (out of range, bad date, ...).
    #[error("{0}")]
    InvalidValue(String),
    /// A call carries too few or too many parameters.
    #[error("{0}")]
    ParamCount(String),
    /// A limit of [`Limits`](crate::Limits) was exceeded.
    #[error("{what} exceeds the limit of {limit}")]
    LimitExceeded {
        /// What grew too large.
        what: &'static str,
        /// The limit in force.
        limit: usize,
    },
    /// A Rust value cannot be written as XML-RPC.
    #[error("{0}")]
    Unsupported(String),
    /// A `None` or `()` was to be written under a dialect without nil
    /// ([`NilStyle::Refuse`](crate::NilStyle::Refuse), as in [`Dialect::strict`](crate::Dialect::strict)).
    #[error("cannot send None: nil is not allowed (the dialect has no nil)")]
    NilRefused,
    /// A message from a `Serialize` or `Deserialize` implementation.
    #[error("{0}")]
    Custom(String),
    /// Reading or writing the underlying stream failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                path: Vec::new(),
                position: None,
            }),
        }
    }

    #[cold]
    pub(crate) fn syntax(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Syntax(msg.into()))
    }

    #[cold]
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid(msg.into()))
    }

    #[cold]
    pub(crate) fn invalid_value(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidValue(msg.into()))
    }

    #[cold]
    pub(crate) fn unsupported(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported(msg.into()))
    }

    #[cold]
    pub(crate) fn mismatch(expected: impl Into<String>, found: &'static str) -> Self {
        Self::new(ErrorKind::TypeMismatch {
            expected: expected.into(),
            found,
        })
    }

    #[cold]
    pub(crate) fn param_count(msg: impl Into<String>) -> Self {
        Self::new(ErrorKind::ParamCount(msg.into()))
    }

    #[cold]
    pub(crate) fn limit(what: &'static str, limit: usize) -> Self {
        Self::new(ErrorKind::LimitExceeded { what, limit })
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// Where in the input the error was found, when it comes from reading.
    pub fn position(&self) -> Option<Position> {
        self.inner.position
    }

    /// The path of the value the error concerns, such as `params[1].tags[3]`; empty when the
    /// error concerns the document itself.
    pub fn path(&self) -> String {
        render_path(self.inner.path.iter().rev())
    }

    /// The interoperability fault code that answers this error (see [`Fault`]'s constants).
    ///
    /// Not-well-formed XML is [`Fault::PARSE_ERROR`], an unknown encoding
    /// [`Fault::UNSUPPORTED_ENCODING`], a bad byte [`Fault::INVALID_CHARACTER`], a document
    /// that is not XML-RPC [`Fault::INVALID_REQUEST`], a value of the wrong type or range
    /// [`Fault::INVALID_PARAMS`], an exceeded limit [`Fault::LIMIT_EXCEEDED`], and a value
    /// that cannot be written [`Fault::INTERNAL_ERROR`].
    pub fn fault_code(&self) -> i32 {
        match &self.inner.kind {
            ErrorKind::Syntax(_) | ErrorKind::Doctype => Fault::PARSE_ERROR,
            ErrorKind::UnsupportedEncoding(_) => Fault::UNSUPPORTED_ENCODING,
            ErrorKind::InvalidCharacter(_) => Fault::INVALID_CHARACTER,
            ErrorKind::Invalid(_) => Fault::INVALID_REQUEST,
            ErrorKind::TypeMismatch { .. }
            | ErrorKind::InvalidValue(_)
            | ErrorKind::ParamCount(_)
            | ErrorKind::Custom(_) => Fault::INVALID_PARAMS,
            ErrorKind::LimitExceeded { .. } => Fault::LIMIT_EXCEEDED,
            ErrorKind::Unsupported(_) | ErrorKind::NilRefused | ErrorKind::Io(_) => {
                Fault::INTERNAL_ERROR
            }
        }
    }

    /// This error as a [`Fault`] with [`Error::fault_code`] and the full message.
    pub fn to_fault(&self) -> Fault {
        Fault::new_unchecked(self.fault_code(), self.to_string())
    }

    /// Whether the error concerns a value's type or content rather than the document's form.
    pub(crate) fn is_data(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::TypeMismatch { .. }
                | ErrorKind::InvalidValue(_)
                | ErrorKind::Custom(_)
                | ErrorKind::ParamCount(_)
        )
    }

    #[cold]
    pub(crate) fn at_member(mut self, name: &str) -> Self {
        self.inner.path.push(Segment::Member(truncate(name, 64)));
        self
    }

    #[cold]
    pub(crate) fn at_index(mut self, index: usize) -> Self {
        self.inner.path.push(Segment::Index(index));
        self
    }

    #[cold]
    pub(crate) fn at_param(mut self, index: usize) -> Self {
        self.inner.path.push(Segment::Param(index));
        self
    }

    /// Attaches `position`, unless one is already attached.
    #[cold]
    pub(crate) fn at_position(mut self, position: Position) -> Self {
        if self.inner.position.is_none() {
            self.inner.position = Some(position);
        }
        self
    }

    /// Attaches the position of byte `offset` in `src`, unless one is already attached.
    #[cold]
    pub(crate) fn at_offset(mut self, src: &str, offset: usize) -> Self {
        if self.inner.position.is_none() {
            self.inner.position = Some(position_of(src, offset));
        }
        self
    }
}

/// The line and column of byte `offset` in `src`.
pub(crate) fn position_of(src: &str, offset: usize) -> Position {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Position { line, column }
}

/// The longest path that an error's message shows in full, in characters.
const SHOWN_PATH: usize = 120;

/// `segments`, outermost first, as `params[1].tags[3]`.
fn render_path<'a>(segments: impl Iterator<Item = &'a Segment>) -> String {
    let mut out = String::new();
    for seg in segments {
        match seg {
            Segment::Member(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(itoa::Buffer::new().format(*i));
                out.push(']');
            }
            Segment::Param(i) => {
                out.push_str("params[");
                out.push_str(itoa::Buffer::new().format(*i));
                out.push(']');
            }
        }
    }
    out
}

impl Error {
    /// The path as the message shows it: whole when short, else its outer and inner ends
    /// around `...`, cut between segments. A deep path (up to 500 levels, member names of
    /// up to 64 characters) would otherwise echo much of the input.
    fn shown_path(&self) -> String {
        let path = self.path();
        if path.chars().count() <= SHOWN_PATH {
            return path;
        }
        let segments = &self.inner.path; // innermost first
        let budget = |n: usize, len: &mut usize, seg: &Segment| {
            *len += render_path(std::iter::once(seg)).chars().count() + 1;
            *len <= n
        };
        let mut len = 0;
        let outer = segments
            .iter()
            .rev()
            .take_while(|seg| budget(SHOWN_PATH / 3, &mut len, seg))
            .count();
        let mut len = 0;
        let inner = segments
            .iter()
            .take_while(|seg| budget(SHOWN_PATH - SHOWN_PATH / 3, &mut len, seg))
            .count()
            .min(segments.len() - outer);
        format!(
            "{}...{}",
            render_path(segments.iter().rev().take(outer)),
            render_path(segments[..inner].iter().rev())
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner.kind, f)?;
        if !self.inner.path.is_empty() {
            write!(f, " at {}", self.shown_path())?;
        }
        if let Some(Position { line, column }) = self.inner.position {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("path", &self.path())
            .field("position", &self.inner.position)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io(e))
    }
}

impl From<Error> for Fault {
    fn from(e: Error) -> Self {
        e.to_fault()
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(ErrorKind::Custom(msg.to_string()))
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(ErrorKind::Custom(msg.to_string()))
    }

    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::new(ErrorKind::InvalidValue(format!(
            "invalid type: {}, expected {exp}",
            short_unexpected(unexp)
        )))
    }

    fn invalid_value(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::new(ErrorKind::InvalidValue(format!(
            "invalid value: {}, expected {exp}",
            short_unexpected(unexp)
        )))
    }

    fn invalid_length(len: usize, exp: &dyn serde::de::Expected) -> Self {
        Error::new(ErrorKind::InvalidValue(format!(
            "invalid length {len}, expected {exp}"
        )))
    }

    fn missing_field(field: &'static str) -> Self {
        Error::new(ErrorKind::InvalidValue(format!(
            "missing struct member `{field}`"
        )))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::new(ErrorKind::InvalidValue(format!(
            "unknown struct member `{}`, expected one of {}",
            truncate(field, 64),
            expected.join(", ")
        )))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error::new(ErrorKind::InvalidValue(format!(
            "unknown variant `{}`, expected one of {}",
            truncate(variant, 64),
            expected.join(", ")
        )))
    }
}

/// serde's `Unexpected`, with long strings and byte strings cut short.
fn short_unexpected(unexp: serde::de::Unexpected<'_>) -> String {
    use serde::de::Unexpected;
    match unexp {
        Unexpected::Str(s) => format!("string {:?}", truncate(s, 40)),
        Unexpected::Bytes(b) => format!("base64 of {} bytes", b.len()),
        other => other.to_string(),
    }
}
