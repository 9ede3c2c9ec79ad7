//! The transports a [`Client`](super::Client) sends through: HTTP (over TCP or a Unix
//! socket, on reqwest) and SCGI (over TCP or a Unix socket, written here). Each only moves
//! bytes: it takes an [`Exchange`] and gives back an [`Answer`]; what the answer means (a
//! status that is not success, gzip, an HTML page instead of XML) is judged once, by
//! [`Answer::into_body`], for all of them.

use std::time::Duration;

use http::StatusCode;
use http::header::{CONTENT_ENCODING, CONTENT_TYPE, HeaderMap};

use super::body;
use crate::caller::CallError;
use crate::gzip::{self, Coding};

pub(crate) mod error;
pub(super) mod http_reqwest;
pub(super) mod scgi;

/// One request: the `methodCall` document and what goes with it.
#[derive(Debug)]
pub(super) struct Exchange {
    /// The document, gzip-compressed when `gzipped`.
    pub(super) body: Vec<u8>,
    pub(super) gzipped: bool,
    /// Header fields of this call only, besides the client's.
    pub(super) headers: HeaderMap,
    /// The time this call may take, instead of the client's.
    pub(super) timeout: Option<Duration>,
    /// The largest answer body read, in bytes, as it came (compressed or not).
    pub(super) cap: usize,
}

/// What came back: for a success status the whole body (within the cap), for any other
/// only its start, to show.
#[derive(Debug)]
pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
}

/// A transport, chosen by the URL.
#[derive(Debug)]
pub(super) enum Transport {
    Http(http_reqwest::HttpTransport),
    Scgi(scgi::ScgiTransport),
}

impl Transport {
    pub(super) async fn exchange(&self, exchange: Exchange) -> Result<Answer, CallError> {
        match self {
            Transport::Http(t) => t.exchange(exchange).await,
            Transport::Scgi(t) => t.exchange(exchange).await,
        }
    }
}

impl Answer {
    /// The `methodResponse` document, inflated within `cap`, or the error that the answer
    /// is: [`CallError::Http`] for a status other than success or a body that is no XML
    /// document.
    pub(super) fn into_body(
        self,
        cap: usize,
    ) -> Result<(Vec<u8>, StatusCode, HeaderMap), CallError> {
        let gzipped = Coding::from_header(self.headers.get(CONTENT_ENCODING)) == Some(Coding::Gzip);
        if !self.status.is_success() {
            let text = if gzipped {
                gzip::decode_prefix(&self.body, body::ERROR_BODY_READ)
            } else {
                self.body
            };
            return Err(http_error(self.status, self.headers, &text));
        }
        let body = if gzipped {
            body::gunzip(&self.body, cap)?
        } else {
            self.body
        };
        if !body::looks_like_xml(&body) {
            return Err(http_error(self.status, self.headers, &body));
        }
        Ok((body, self.status, self.headers))
    }
}

#[cold]
fn http_error(status: StatusCode, headers: HeaderMap, body: &[u8]) -> CallError {
    let content_type = headers
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    CallError::Http {
        status,
        headers: Box::new(headers),
        content_type,
        snippet: body::snippet(body),
    }
}
