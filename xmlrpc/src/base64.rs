//! [`Base64`], binary data that travels as `<base64>`, and the codec's base64 rules.

use std::fmt;
use std::ops::{Deref, DerefMut};

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::{Error, Result};

/// Standard alphabet; padding written, and accepted whether present or not on reading.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Bytes that serialize as XML-RPC `<base64>`.
///
/// A plain `Vec<u8>` serializes as an array of integers, as serde wants; wrap it in
/// `Base64` (or use `#[serde(with = "serde_bytes")]`) to send binary data. Reading accepts
/// the line breaks and spaces that other implementations put in the text (Python wraps at 76
/// columns) and refuses any other character outside the base64 alphabet.
///
/// # Examples
///
/// ```
/// use xmlrpc::Base64;
///
/// let data = Base64::from(b"\x00\x01binary".to_vec());
/// let xml = xmlrpc::to_string(&data)?;
/// assert_eq!(xml, "<value><base64>AAFiaW5hcnk=</base64></value>");
///
/// let back: Base64 = xmlrpc::from_str("<value><base64>AAFi\naW5h\r\ncnk=</base64></value>")?;
/// assert_eq!(back, data);
/// # Ok::<(), xmlrpc::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({})", encode(&self.0))
    }
}

impl Deref for Base64 {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Base64 {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(v: Vec<u8>) -> Self {
        Base64(v)
    }
}

impl From<&[u8]> for Base64 {
    fn from(v: &[u8]) -> Self {
        Base64(v.to_vec())
    }
}

impl From<Base64> for Vec<u8> {
    fn from(b: Base64) -> Self {
        b.0
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl<'de> serde::de::Visitor<'de> for BytesVisitor {
            type Value = Base64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("base64")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Base64, E> {
                Ok(Base64(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Base64, E> {
                Ok(Base64(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Base64, A::Error> {
                let mut out = Vec::new();
                while let Some(b) = seq.next_element()? {
                    out.push(b);
                }
                Ok(Base64(out))
            }
        }
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

/// Encodes `bytes` in the standard alphabet with padding, on one line.
pub(crate) fn encode(bytes: &[u8]) -> String {
    ENGINE.encode(bytes)
}

/// Appends the encoding of `bytes` to `out`.
pub(crate) fn encode_into(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(
        start + base64::encoded_len(bytes.len(), true).unwrap_or(0),
        0,
    );
    let written = ENGINE.encode_slice(bytes, &mut out[start..]).unwrap_or(0);
    out.truncate(start + written);
}

/// Decodes base64 text, skipping XML whitespace and refusing anything else outside the
/// alphabet. `scratch` is reused to hold the text without whitespace.
pub(crate) fn decode(text: &str, scratch: &mut Vec<u8>) -> Result<Vec<u8>> {
    let bytes = text.as_bytes();
    let input: &[u8] = if bytes
        .iter()
        .any(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        scratch.clear();
        scratch.extend(
            bytes
                .iter()
                .copied()
                .filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')),
        );
        scratch
    } else {
        bytes
    };
    ENGINE
        .decode(input)
        .map_err(|e| Error::invalid_value(format!("invalid base64: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_whitespace_only() {
        let mut scratch = Vec::new();
        assert_eq!(decode("aGVs\n bG8=\r\n", &mut scratch).unwrap(), b"hello");
        assert_eq!(decode("aGVsbG8", &mut scratch).unwrap(), b"hello");
        assert_eq!(decode("", &mut scratch).unwrap(), b"");
        assert!(decode("aGVs*bG8=", &mut scratch).is_err());
        assert!(decode("aGVsbG8=-", &mut scratch).is_err());
    }

    #[test]
    fn encodes_with_padding() {
        let mut out = b"x".to_vec();
        encode_into(b"hello", &mut out);
        assert_eq!(out, b"xaGVsbG8=");
    }
}
