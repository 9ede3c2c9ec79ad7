//! The encoded result of a method and how replies are written.

use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::fault::Fault;
use crate::ser::Serializer;
use crate::ser::dialect::Dialect;

/// How replies are written: the dialect for 64-bit integers, and whether nil may be sent
/// (Python's `allow_none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    /// The dialect replies are written in.
    pub dialect: Dialect,
}

impl Default for Encoding {
    fn default() -> Self {
        Encoding {
            dialect: Dialect::new(),
        }
    }
}

/// The encoded `<value>` of a method's result, ready to go into a response or a multicall.
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    /// The response document's head, then the value: the value is encoded in place, so that
    /// the response needs no second buffer.
    xml: Vec<u8>,
    /// Where the `<value>` starts; 0 when the reply was encoded without the head.
    start: usize,
    /// How it was encoded, for the head written later when there is none yet.
    encoding: Encoding,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Reply")
            .field(&String::from_utf8_lossy(self.as_bytes()))
            .finish()
    }
}

impl Reply {
    /// A buffer holding the head of a response document in `encoding`.
    fn head(encoding: Encoding, capacity: usize) -> Vec<u8> {
        let mut ser =
            Serializer::with_dialect(Vec::with_capacity(capacity + 128), encoding.dialect);
        let _infallible_on_vec = ser.response_head();
        ser.into_inner()
    }

    /// Encodes `value`.
    ///
    /// # Errors
    ///
    /// [`Fault::INTERNAL_ERROR`] when the value cannot be written in `encoding`.
    pub fn encode<T: Serialize + ?Sized>(value: &T, encoding: Encoding) -> Result<Reply, Fault> {
        let xml = Self::head(encoding, 128);
        let start = xml.len();
        let mut ser = Serializer::with_dialect(xml, encoding.dialect);
        match value.serialize(&mut ser) {
            Ok(()) => Ok(Reply {
                xml: ser.into_inner(),
                start,
                encoding,
            }),
            Err(e) => Err(encode_fault(e)),
        }
    }

    /// Encodes `value` without the response document's head, for a reply that goes into
    /// another one (a `system.multicall` answer); [`Reply::into_response`] adds the head
    /// when asked.
    ///
    /// # Errors
    ///
    /// As [`Reply::encode`].
    pub(crate) fn encode_bare<T: Serialize + ?Sized>(
        value: &T,
        encoding: Encoding,
    ) -> Result<Reply, Fault> {
        let mut ser = Serializer::with_dialect(Vec::with_capacity(64), encoding.dialect);
        match value.serialize(&mut ser) {
            Ok(()) => Ok(Reply {
                xml: ser.into_inner(),
                start: 0,
                encoding,
            }),
            Err(e) => Err(encode_fault(e)),
        }
    }

    /// A reply from bytes that hold one encoded `<value>` element.
    pub(crate) fn from_encoded(value: &[u8], encoding: Encoding) -> Reply {
        let mut xml = Self::head(encoding, value.len());
        let start = xml.len();
        xml.extend_from_slice(value);
        Reply {
            xml,
            start,
            encoding,
        }
    }

    /// The whole `methodResponse` document around the value.
    pub fn into_response(mut self) -> Vec<u8> {
        if self.start == 0 {
            // Encoded without the head, for a multicall.
            self = Reply::from_encoded(&self.xml, self.encoding);
        }
        self.xml
            .extend_from_slice(crate::message::write::RESPONSE_TAIL.as_bytes());
        self.xml
    }

    /// The encoded `<value>` element.
    pub fn as_bytes(&self) -> &[u8] {
        &self.xml[self.start..]
    }
}

/// The fault that answers a result the writer refuses.
#[cold]
fn encode_fault(e: Error) -> Fault {
    let hint = if matches!(e.kind(), ErrorKind::NilRefused) {
        " (allow_none is off)"
    } else {
        ""
    };
    Fault::internal_error(format!("cannot encode the result{hint}: {e}"))
}
