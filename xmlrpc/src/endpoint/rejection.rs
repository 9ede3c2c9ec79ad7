//! [`Rejection`]: every request the endpoint answers with an HTTP error instead of a call,
//! and the one mapping from each to its status and body.

use std::time::Duration;

use http::{HeaderValue, Method, StatusCode, header};

/// Why a request got an HTTP error instead of an XML-RPC answer.
///
/// Everything wrong with the XML inside a body, from malformed markup to a parameter of the
/// wrong type, is a fault in an HTTP 200 answer, as the protocol wants; a rejection is about
/// the HTTP request around it. Each variant has one status ([`Rejection::status`]) and one
/// plain-text body ([`Rejection::to_response`]), whichever transport carried the request.
///
/// # Examples
///
/// ```
/// use xmlrpc::endpoint::Rejection;
///
/// let too_large = Rejection::BodyTooLarge { limit: 1024 };
/// assert_eq!(too_large.status(), 413);
/// assert_eq!(too_large.to_string(), "the request body exceeds the limit of 1024 bytes");
/// let response = too_large.to_response();
/// assert_eq!(response.headers()["content-type"], "text/plain; charset=utf-8");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// 404: the request path is not one of the endpoint's paths.
    #[error("no XML-RPC endpoint at {path}")]
    NotFound {
        /// The path asked for, cut short when long.
        path: String,
    },
    /// 405: calls are POSTed; GET and HEAD are allowed only for a documentation page.
    #[error("XML-RPC calls are POSTed; {method} is not allowed here")]
    MethodNotAllowed {
        /// The method of the request.
        method: Method,
        /// The methods allowed, for the `Allow` header.
        allow: &'static str,
    },
    /// 415: a content coding other than gzip and identity.
    #[error("content coding {coding:?} is not supported; send gzip or identity")]
    UnsupportedCoding {
        /// The `Content-Encoding` as sent, cut short when long.
        coding: String,
    },
    /// 400: a request that HTTP itself cannot make sense of, such as CGI variables that make
    /// no request line.
    #[error("malformed request: {reason}")]
    MalformedRequest {
        /// What is wrong.
        reason: String,
    },
    /// 400: a `Content-Length` that is not a number.
    #[error("the Content-Length is not a number")]
    InvalidContentLength,
    /// 413: the body on the wire is larger than the wire limit.
    #[error("the request body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The wire limit in force.
        limit: usize,
    },
    /// 413: the gzip-decoded body is larger than the decoded limit.
    #[error("the decoded request body exceeds the limit of {limit} bytes")]
    DecodedTooLarge {
        /// The decoded limit in force.
        limit: usize,
    },
    /// 400: a body said to be gzip that is not.
    #[error("the request body is not valid gzip: {reason}")]
    InvalidGzip {
        /// What the decoder found.
        reason: String,
    },
    /// 408: the body did not arrive in time.
    #[error("the request body did not arrive within {} s", timeout.as_secs_f32())]
    BodyTimeout {
        /// The read timeout in force.
        timeout: Duration,
    },
    /// 403: a try-it form posted from another site (by its `Origin` or `Sec-Fetch-Site`):
    /// any site can make a browser send a form, so the forms answer only their own page.
    #[error("{reason}")]
    CrossSiteForm {
        /// What showed the other site.
        reason: String,
    },
    /// 415: a form posted where no documentation page with try-it forms is served.
    #[error(
        "this endpoint takes XML-RPC calls (text/xml); forms are answered only where the documentation page has its try-it forms"
    )]
    FormNotAccepted,
    /// 400: the body could not be read (the connection broke, or fewer bytes came than
    /// announced).
    #[error("the request body could not be read: {reason}")]
    BodyUnreadable {
        /// What went wrong.
        reason: String,
    },
}

impl Rejection {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::NotFound { .. } => StatusCode::NOT_FOUND,
            Rejection::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Rejection::UnsupportedCoding { .. } | Rejection::FormNotAccepted => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Rejection::CrossSiteForm { .. } => StatusCode::FORBIDDEN,
            Rejection::BodyTooLarge { .. } | Rejection::DecodedTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            Rejection::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Rejection::MalformedRequest { .. }
            | Rejection::InvalidContentLength
            | Rejection::InvalidGzip { .. }
            | Rejection::BodyUnreadable { .. } => StatusCode::BAD_REQUEST,
        }
    }

    /// The answer: the status, the message as plain text, and `Allow` on a 405.
    pub fn to_response(&self) -> http::Response<Vec<u8>> {
        let mut response = http::Response::new(format!("{self}\n").into_bytes());
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if let Rejection::MethodNotAllowed { allow, .. } = self {
            headers.insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

/// Text from a request, cut short so that an answer never echoes much of it.
pub(super) fn quoted(text: &str) -> String {
    crate::excerpt::truncate(text, 100)
}
