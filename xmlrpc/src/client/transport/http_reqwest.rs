//! HTTP on reqwest, over TCP or a Unix domain socket: reqwest's own connector reaches a
//! socket file (`ClientBuilder::unix_socket`), so both share one HTTP stack, with its pool,
//! timeouts, cookies and headers.

use http::HeaderValue;
use http::header::{CONTENT_ENCODING, HeaderMap};

use super::{Answer, Exchange};
use crate::caller::CallError;
use crate::client::body;
use crate::client::error::from_reqwest;

/// Posts to one URL through a reqwest client.
#[derive(Debug)]
pub(in crate::client) struct HttpTransport {
    http: reqwest::Client,
    url: reqwest::Url,
    /// Sent with every request: empty when they are the reqwest client's default headers
    /// (a client the builder made), the client's own headers on a reqwest client that the
    /// user supplied.
    headers: HeaderMap,
}

impl HttpTransport {
    pub(in crate::client) fn new(
        http: reqwest::Client,
        url: reqwest::Url,
        headers: HeaderMap,
    ) -> HttpTransport {
        HttpTransport { http, url, headers }
    }

    pub(super) async fn exchange(&self, exchange: Exchange) -> Result<Answer, CallError> {
        let mut builder = self.http.post(self.url.clone());
        if !self.headers.is_empty() {
            builder = builder.headers(self.headers.clone());
        }
        if exchange.gzipped {
            builder = builder.header(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if !exchange.headers.is_empty() {
            builder = builder.headers(exchange.headers);
        }
        if let Some(timeout) = exchange.timeout {
            builder = builder.timeout(timeout);
        }
        let mut response = builder
            .body(exchange.body)
            .send()
            .await
            .map_err(from_reqwest)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = if status.is_success() {
            read_body(response, exchange.cap, true).await?
        } else {
            // Only the start of an error page is read: it is shown, not parsed.
            read_body(response, body::ERROR_BODY_READ, false).await?
        };
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

/// Reads a body up to `cap` bytes: past it, an error when `strict`, else the start. An
/// announced `Content-Length` beyond the cap fails before anything is read.
async fn read_body(
    mut response: reqwest::Response,
    cap: usize,
    strict: bool,
) -> Result<Vec<u8>, CallError> {
    let announced = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok());
    if strict && announced.is_some_and(|n| n > cap) {
        return Err(body::too_large(cap));
    }
    let mut out = Vec::with_capacity(announced.unwrap_or(8 << 10).min(cap));
    while let Some(chunk) = response.chunk().await.map_err(from_reqwest)? {
        if out.len() + chunk.len() > cap {
            if strict {
                return Err(body::too_large(cap));
            }
            out.extend_from_slice(&chunk[..cap - out.len()]);
            break;
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
