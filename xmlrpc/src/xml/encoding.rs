//! Character encodings, by what XML means by their names.
//!
//! Reading: UTF-8 by default, UTF-16 after a byte-order mark, and any encoding the XML
//! declaration names. Labels mean what XML and IANA mean by them, not what browsers mean:
//! `us-ascii` is ASCII and `iso-8859-1` is ISO-8859-1, where the WHATWG table that
//! `encoding_rs` follows reads both as windows-1252. Every other label is looked up in that
//! table. No byte is ever replaced: a byte the encoding cannot hold is an error that says
//! where it is.
//!
//! Writing: [`Charset`], the encoding a writer puts its documents in.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind, Result};

/// What a declared label means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Utf8,
    /// US-ASCII, read as UTF-8 when the bytes are UTF-8 (see [`decode`]).
    Ascii,
    /// ISO-8859-1: byte N is U+00NN.
    Latin1,
    /// An ISO-8859 charset that the WHATWG table reads as the windows code page built on it;
    /// bytes 0x80-0x9F are the C1 controls, as in every ISO-8859 part.
    IsoOver(&'static encoding_rs::Encoding),
    /// Whatever `encoding_rs` says.
    Other(&'static encoding_rs::Encoding),
}

/// The labels of US-ASCII (IANA's aliases, and Python's spellings).
const ASCII_LABELS: &[&str] = &[
    "us-ascii",
    "ascii",
    "us",
    "ansi_x3.4-1968",
    "ansi_x3.4-1986",
    "iso-ir-6",
    "iso_646.irv:1991",
    "iso646-us",
    "ibm367",
    "cp367",
    "csascii",
    "646",
];

/// The labels of ISO-8859-1 (IANA's aliases, and Python's spellings).
const LATIN1_LABELS: &[&str] = &[
    "iso-8859-1",
    "iso8859-1",
    "iso_8859-1",
    "iso_8859-1:1987",
    "iso88591",
    "iso-ir-100",
    "latin1",
    "latin-1",
    "latin",
    "l1",
    "ibm819",
    "cp819",
    "csisolatin1",
    "8859",
    "iso8859",
];

/// ISO-8859-9 (Latin-5), which the WHATWG table reads as windows-1254.
const LATIN5_LABELS: &[&str] = &[
    "iso-8859-9",
    "iso8859-9",
    "iso_8859-9",
    "iso_8859-9:1989",
    "iso88599",
    "iso-ir-148",
    "latin5",
    "l5",
    "csisolatin5",
];

/// ISO-8859-11 and TIS-620, which the WHATWG table reads as windows-874.
const THAI_LABELS: &[&str] = &["iso-8859-11", "iso8859-11", "iso885911", "tis-620"];

fn classify(label: &[u8]) -> Option<Label> {
    let label = std::str::from_utf8(label).ok()?.trim().to_ascii_lowercase();
    let is = |labels: &[&str]| labels.contains(&label.as_str());
    if is(ASCII_LABELS) {
        return Some(Label::Ascii);
    }
    if is(LATIN1_LABELS) {
        return Some(Label::Latin1);
    }
    if is(LATIN5_LABELS) {
        return Some(Label::IsoOver(encoding_rs::WINDOWS_1254));
    }
    if is(THAI_LABELS) {
        return Some(Label::IsoOver(encoding_rs::WINDOWS_874));
    }
    let enc = encoding_rs::Encoding::for_label_no_replacement(label.as_bytes())?;
    Some(if enc == encoding_rs::UTF_8 {
        Label::Utf8
    } else {
        Label::Other(enc)
    })
}

/// Turns the bytes of a document into text, following its byte-order mark or the
/// `encoding` of its XML declaration.
///
/// A document declared `us-ascii` that holds bytes of 0x80 and above is read as UTF-8 when
/// those bytes are valid UTF-8. Strict XML would refuse it; Perl's RPC::XML declares every
/// document it sends `us-ascii` and writes non-ASCII strings as raw UTF-8, so refusing
/// would break every Perl client, and reading the bytes as anything else would change the
/// strings.
///
/// # Errors
///
/// [`ErrorKind::UnsupportedEncoding`] for an encoding label that is not known and
/// [`ErrorKind::InvalidCharacter`] for bytes that are not valid in the encoding, with
/// their position.
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
        let mut out = String::new();
        transcode_into(enc, &bytes[2..], 2, &mut out)?;
        return Ok(Cow::Owned(out));
    }
    let Some(label) = declared_encoding(bytes) else {
        return utf8(bytes, 0).map(Cow::Borrowed);
    };
    let Some(meaning) = classify(label) else {
        return Err(Error::new(ErrorKind::UnsupportedEncoding(
            crate::excerpt::truncate(&String::from_utf8_lossy(label), 40),
        )));
    };
    match meaning {
        Label::Utf8 => utf8(bytes, 0).map(Cow::Borrowed),
        Label::Other(enc) if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE => {
            // A declaration readable as ASCII cannot be UTF-16 without a byte-order mark.
            Err(Error::new(ErrorKind::InvalidCharacter(
                "a document declared as UTF-16 must start with a byte-order mark".into(),
            )))
        }
        // Every other supported encoding agrees with ASCII.
        _ if bytes.is_ascii() => utf8(bytes, 0).map(Cow::Borrowed),
        Label::Ascii => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(e) => {
                let at = e.valid_up_to();
                Err(bad_byte(
                    bytes,
                    at,
                    "which is neither ASCII, as the document declares, nor UTF-8",
                ))
            }
        },
        Label::Latin1 => Ok(Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())),
        Label::IsoOver(enc) => iso_over(enc, bytes).map(Cow::Owned),
        Label::Other(enc) => transcode(enc, bytes).map(Cow::Owned),
    }
}

/// The error for the byte at `at`, with its line and column (counted in the valid text
/// before it).
#[cold]
fn bad_byte(bytes: &[u8], at: usize, why: &str) -> Error {
    let before = String::from_utf8_lossy(&bytes[..at]);
    Error::new(ErrorKind::InvalidCharacter(format!(
        "byte 0x{:02X} at offset {at}, {why}",
        bytes[at]
    )))
    .at_position(crate::error::position_of(&before, before.len()))
}

fn utf8(bytes: &[u8], offset: usize) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        Error::new(ErrorKind::InvalidCharacter(format!(
            "invalid UTF-8 at byte {}",
            at + offset
        )))
        .at_position(crate::error::position_of(before, before.len()))
    })
}

/// ISO-8859 text through the table of the windows code page built on it, but with bytes
/// 0x80-0x9F as the C1 controls they are in ISO-8859.
fn iso_over(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<String> {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if (0x80..0xA0).contains(&b) {
            transcode_into(enc, &bytes[start..i], start, &mut out)?;
            out.push(char::from(b));
            start = i + 1;
        }
    }
    transcode_into(enc, &bytes[start..], start, &mut out)?;
    Ok(out)
}

fn transcode(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<String> {
    let mut out = String::new();
    transcode_into(enc, bytes, 0, &mut out)?;
    Ok(out)
}

/// Decodes `bytes`, which start at offset `base` of the document, onto `out`.
fn transcode_into(
    enc: &'static encoding_rs::Encoding,
    bytes: &[u8],
    base: usize,
    out: &mut String,
) -> Result<()> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    out.reserve(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(()),
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            let at = read - usize::from(after) - usize::from(bad);
            Err(Error::new(ErrorKind::InvalidCharacter(format!(
                "byte 0x{:02X} at offset {} is not valid {}",
                bytes[at],
                base + at,
                enc.name()
            )))
            .at_position(crate::error::position_of(out, out.len())))
        }
        // The buffer was reserved for the worst case.
        encoding_rs::DecoderResult::OutputFull => Err(Error::new(ErrorKind::InvalidCharacter(
            format!("the text is longer than {} allows", enc.name()),
        ))),
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

/// The character encoding a writer puts its documents in, as Python's
/// `dumps(..., encoding=...)` and `SimpleXMLRPCServer(encoding=...)` choose it.
///
/// UTF-8, the default, holds every character. In a single-byte charset, a character the
/// charset cannot hold is written as a character reference (`&#8364;`), so no string
/// changes, and the XML declaration names the charset the bytes are really in. Markup is
/// ASCII in every charset.
///
/// Set it with [`Dialect::with_charset`](crate::Dialect::with_charset) on a
/// [`Serializer`](crate::Serializer) or a client, or with
/// [`Registry::response_charset`](crate::Registry::response_charset) for a server's
/// responses.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Charset, Dialect, Serializer};
///
/// let mut ser = Serializer::with_dialect(Vec::new(), Dialect::new().with_charset(Charset::ISO_8859_1));
/// ser.response(&"café 5€")?;
/// let bytes = ser.into_inner();
/// assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
/// assert!(bytes.windows(16).any(|w| w == b"caf\xe9 5&#8364;</s"));
///
/// // Readers follow the declaration.
/// let back: xmlrpc::MethodResponse<String> = xmlrpc::response_from_slice(&bytes)?;
/// assert_eq!(back.into_result().unwrap(), "café 5€");
///
/// assert_eq!(Charset::for_label("latin1"), Some(Charset::ISO_8859_1));
/// assert_eq!(Charset::for_label("cp1251").map(|c| c.name()), Some("windows-1251"));
/// assert_eq!(Charset::for_label("Shift_JIS"), None); // not a single-byte charset
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Charset(pub(crate) Repr);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Repr {
    #[default]
    Utf8,
    Ascii,
    Latin1,
    /// A single-byte, ASCII-compatible encoding of `encoding_rs`.
    SingleByte(&'static encoding_rs::Encoding),
}

impl Charset {
    /// UTF-8, the default: every character is written as it is.
    pub const UTF_8: Charset = Charset(Repr::Utf8);
    /// US-ASCII: every character beyond U+007F is written as a character reference.
    pub const US_ASCII: Charset = Charset(Repr::Ascii);
    /// ISO-8859-1 (Latin-1): characters up to U+00FF as one byte each (U+0080-U+009F too),
    /// every other one as a character reference.
    pub const ISO_8859_1: Charset = Charset(Repr::Latin1);
    /// windows-1252, the code page that adds `€`, curly quotes and more to Latin-1 in
    /// 0x80-0x9F.
    pub const WINDOWS_1252: Charset = Charset(Repr::SingleByte(&encoding_rs::WINDOWS_1252_INIT));

    /// The charset an encoding label names, read as the reader reads declarations: `latin1`
    /// and `iso-8859-1` are ISO-8859-1, `ascii` is US-ASCII, `cp1252` is windows-1252, and
    /// any other single-byte charset the WHATWG encoding standard knows by that label (such
    /// as `iso-8859-15`, `koi8-r`, `windows-1251`). `None` for unknown labels and for the
    /// multi-byte encodings other than UTF-8, which Python's XML parser cannot read.
    ///
    /// ```
    /// use xmlrpc::Charset;
    ///
    /// assert_eq!(Charset::for_label(" UTF-8 "), Some(Charset::UTF_8));
    /// assert_eq!(Charset::for_label("US-ASCII"), Some(Charset::US_ASCII));
    /// assert_eq!(Charset::for_label("x-cp1252"), Some(Charset::WINDOWS_1252));
    /// assert_eq!(Charset::for_label("iso-8859-15").map(|c| c.name()), Some("ISO-8859-15"));
    /// assert_eq!(Charset::for_label("utf-16"), None);
    /// ```
    pub fn for_label(label: &str) -> Option<Charset> {
        Some(Charset(match classify(label.as_bytes())? {
            Label::Utf8 => Repr::Utf8,
            Label::Ascii => Repr::Ascii,
            Label::Latin1 => Repr::Latin1,
            // Written through the windows table, so declared as the windows code page.
            Label::IsoOver(enc) => Repr::SingleByte(enc),
            Label::Other(enc) if enc.is_single_byte() && enc.is_ascii_compatible() => {
                Repr::SingleByte(enc)
            }
            Label::Other(_) => return None,
        }))
    }

    /// The name the XML declaration gives: `UTF-8`, `US-ASCII`, `ISO-8859-1`,
    /// `windows-1252`, ...
    ///
    /// ```
    /// assert_eq!(xmlrpc::Charset::default().name(), "UTF-8");
    /// ```
    pub fn name(&self) -> &'static str {
        match self.0 {
            Repr::Utf8 => "UTF-8",
            Repr::Ascii => "US-ASCII",
            Repr::Latin1 => "ISO-8859-1",
            Repr::SingleByte(enc) => enc.name(),
        }
    }

    /// Whether this is UTF-8.
    pub(crate) fn is_utf8(&self) -> bool {
        self.0 == Repr::Utf8
    }
}

impl std::fmt::Display for Charset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_latin1_and_windows_1252_is_windows_1252() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><v>caf\xe9 \x80\x9f</v>";
        assert_eq!(
            decode(latin1).unwrap(),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><v>caf\u{e9} \u{80}\u{9f}</v>"
        );
        for label in [
            "latin1",
            "l1",
            "LATIN1",
            "iso_8859-1",
            "cp819",
            "iso-ir-100",
        ] {
            let doc = format!("<?xml version='1.0' encoding='{label}'?><v>\u{0}</v>");
            let mut bytes = doc.into_bytes();
            let at = bytes.iter().position(|&b| b == 0).unwrap();
            bytes[at] = 0x80;
            assert!(decode(&bytes).unwrap().contains('\u{80}'), "{label}");
        }
        let cp1252 = b"<?xml version='1.0' encoding='windows-1252'?><v>\x80\x93</v>";
        assert!(decode(cp1252).unwrap().contains("\u{20ac}\u{201c}"));
        let cp1252 = b"<?xml version='1.0' encoding='cp1252'?><v>\x80</v>";
        assert!(decode(cp1252).unwrap().contains('\u{20ac}'));
        let latin5 = b"<?xml version='1.0' encoding='iso-8859-9'?><v>\x80\xd0</v>";
        assert!(decode(latin5).unwrap().contains("\u{80}\u{11e}"));
        let utf8 = "<?xml version='1.0' encoding='UTF-8'?><v>é</v>";
        assert!(matches!(decode(utf8.as_bytes()).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn us_ascii_with_utf8_bytes_is_utf8() {
        let perl = "<?xml version=\"1.0\" encoding=\"us-ascii\"?><v>héllo</v>";
        let text = decode(perl.as_bytes()).unwrap();
        assert!(matches!(text, Cow::Borrowed(_)));
        assert_eq!(text, perl);
        let bad = b"<?xml version=\"1.0\" encoding=\"us-ascii\"?>\n<v>h\xe9llo</v>";
        let err = decode(bad).unwrap_err();
        assert_eq!(err.fault_code(), crate::fault::Fault::INVALID_CHARACTER);
        assert_eq!(
            err.to_string(),
            "invalid character: byte 0xE9 at offset 46, which is neither \
             ASCII, as the document declares, nor UTF-8 (line 2, column 5)"
        );
    }

    #[test]
    fn refuses_unknown_encodings_and_bad_bytes() {
        let err = decode(b"<?xml version='1.0' encoding='EBCDIC-ZZ'?><v/>").unwrap_err();
        assert_eq!(err.fault_code(), crate::fault::Fault::UNSUPPORTED_ENCODING);
        let err = decode(b"<v>\xff\xfe\xfd</v>").unwrap_err();
        assert_eq!(err.fault_code(), crate::fault::Fault::INVALID_CHARACTER);
        assert_eq!(
            err.to_string(),
            "invalid character: invalid UTF-8 at byte 3 (line 1, column 4)"
        );
        let err = decode(b"<?xml version='1.0' encoding='shift_jis'?>\n<v>ab\x82</v>").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid character: byte 0x82 at offset 48 is not valid Shift_JIS \
             (line 2, column 6)"
        );
        let err =
            decode(b"<?xml version='1.0' encoding='iso-8859-11'?><v>\x80\xdb</v>").unwrap_err();
        assert!(
            err.to_string()
                .contains("0xDB at offset 48 is not valid windows-874"),
            "{err}"
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

    #[test]
    fn charsets_by_label() {
        assert_eq!(Charset::for_label("l1"), Some(Charset::ISO_8859_1));
        assert_eq!(Charset::for_label("ascii"), Some(Charset::US_ASCII));
        assert_eq!(
            Charset::for_label("windows-1252"),
            Some(Charset::WINDOWS_1252)
        );
        assert_eq!(Charset::WINDOWS_1252.name(), "windows-1252");
        assert_eq!(
            Charset::for_label("latin5").map(|c| c.name()),
            Some("windows-1254")
        );
        assert_eq!(
            Charset::for_label("koi8-r").map(|c| c.name()),
            Some("KOI8-R")
        );
        assert_eq!(Charset::for_label("gbk"), None);
        assert_eq!(Charset::for_label("nonsense"), None);
    }
}
