//! gzip bodies: decoding requests with a cap on the decoded size, encoding responses.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// Why a gzip body was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// It decodes to more than the cap.
    TooLarge,
    /// It is not gzip.
    Invalid,
}

/// Decodes `data`, refusing more than `limit` decoded bytes without ever holding more.
pub(crate) fn decode(data: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(limit));
    let mut decoder = GzDecoder::new(data).take(limit as u64 + 1);
    decoder
        .read_to_end(&mut out)
        .map_err(|_| DecodeError::Invalid)?;
    if out.len() > limit {
        return Err(DecodeError::TooLarge);
    }
    Ok(out)
}

/// Encodes `data` at a fast level: XML-RPC compresses well even so.
pub(crate) fn encode(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 4 + 64), Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_caps() {
        let data = b"<methodCall>".repeat(1000);
        let packed = encode(&data);
        assert!(packed.len() < data.len() / 10);
        assert_eq!(decode(&packed, data.len()).unwrap(), data);
        assert_eq!(decode(&packed, data.len() - 1), Err(DecodeError::TooLarge));
        assert_eq!(decode(b"not gzip", 100), Err(DecodeError::Invalid));
    }
}
