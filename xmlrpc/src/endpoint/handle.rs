//! Handling a request: admitting its head, routing it to the page or a call, running the
//! call, and writing the exchange, with its log event.

use std::time::{Duration, Instant};

use http::{HeaderValue, Method, StatusCode, header};
use tracing::Instrument;
use tracing::field::Empty;

use super::rejection::{self, Rejection};
use super::{Endpoint, Exchange, Outcome, ReadLimits, form};
use crate::gzip::{self, Coding};
use crate::peer::Peer;
use crate::registry::dispatch::Handled;
use crate::service::context::Context;

impl Endpoint {
    /// Checks a request's head before its body is read: the path, the method, the content
    /// coding and the announced length. On success, says how to read the body.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] to answer with: 404, 405, 415, or 413 for a `Content-Length` above
    /// the wire limit.
    pub fn admit(&self, head: &http::request::Parts) -> Result<ReadLimits, Rejection> {
        self.route(head).map(|_| ReadLimits {
            max_bytes: self.effective_wire_limit(),
            timeout: self.read_timeout,
        })
    }

    /// Answers `request`, sent by `peer`. Never fails: whatever is wrong with the request is
    /// answered, with a fault or an HTTP error.
    ///
    /// The call runs inside the endpoint's span (see [Tracing](crate::endpoint#tracing)).
    pub async fn handle<B: AsRef<[u8]>>(&self, request: http::Request<B>, peer: Peer) -> Exchange {
        let (parts, body) = request.into_parts();
        let span = tracing::info_span!(
            target: "xmlrpc::endpoint",
            "xmlrpc.call",
            "otel.name" = "xmlrpc.call",
            "otel.kind" = "server",
            "rpc.system" = "xmlrpc",
            "rpc.method" = Empty,
            "rpc.xmlrpc.fault_code" = Empty,
            "http.response.status_code" = Empty,
            "network.peer.address" = %peer,
            "url.path" = parts.uri.path(),
        );
        // The clock, the method and the path, only for whoever reads them.
        let timed = self.log_requests || self.on_outcome.is_some() || !span.is_disabled();
        let started = timed.then(Instant::now);
        let logged = self
            .log_requests
            .then(|| (parts.method.clone(), parts.uri.clone()));
        let mut exchange = match self.route(&parts) {
            Err(rejection) => self.refuse(rejection),
            Ok(Route::Page) => self.page(&parts),
            Ok(Route::Call(coding)) => {
                self.call(parts, body.as_ref(), coding, peer)
                    .instrument(span.clone())
                    .await
            }
        };
        if let Some(started) = started {
            exchange.outcome.elapsed = started.elapsed();
        }
        let outcome = &exchange.outcome;
        if !span.is_disabled() {
            span.record("http.response.status_code", outcome.status.as_u16());
            if let Some(code) = outcome.fault_code {
                span.record("rpc.xmlrpc.fault_code", code);
            }
        }
        if let Some((method, uri)) = logged {
            span.in_scope(|| log(self.log_level, Some((&method, &uri)), outcome));
        }
        if let Some(hook) = &self.on_outcome {
            (hook.0)(outcome);
        }
        exchange
    }

    /// [`Endpoint::handle`] on the current thread, for CGI scripts and tests. Methods that
    /// need a runtime (tokio timers or sockets) must be called through `handle` inside one.
    pub fn handle_blocking<B: AsRef<[u8]>>(
        &self,
        request: http::Request<B>,
        peer: Peer,
    ) -> Exchange {
        crate::registry::rt::block_on(self.handle(request, peer))
    }

    /// The answer to a request that an adapter refused while reading it (too large, too
    /// slow, broken), or that [`Endpoint::admit`] refused. It is logged as a request and
    /// seen by the [outcome hook](Endpoint::on_outcome), as every answer is.
    pub fn reject(&self, rejection: Rejection) -> Exchange {
        let exchange = self.refuse(rejection);
        if self.log_requests {
            log(self.log_level, None, &exchange.outcome);
        }
        if let Some(hook) = &self.on_outcome {
            (hook.0)(&exchange.outcome);
        }
        exchange
    }

    /// The answer to a rejection, without a log line (the caller writes it).
    fn refuse(&self, rejection: Rejection) -> Exchange {
        Exchange {
            response: rejection.to_response(),
            outcome: Outcome {
                status: rejection.status(),
                method: None,
                fault_code: None,
                rejection: Some(rejection),
                elapsed: Duration::ZERO,
            },
        }
    }

    /// Where a request's head leads.
    fn route(&self, head: &http::request::Parts) -> Result<Route, Rejection> {
        let path = head.uri.path();
        if !self.paths.iter().any(|p| p == path) {
            return Err(Rejection::NotFound {
                path: rejection::quoted(path),
            });
        }
        let has_docs = self.documentation.is_some();
        match head.method {
            Method::POST => {}
            Method::GET | Method::HEAD if has_docs => return Ok(Route::Page),
            _ => {
                return Err(Rejection::MethodNotAllowed {
                    method: head.method.clone(),
                    allow: if has_docs { "GET, HEAD, POST" } else { "POST" },
                });
            }
        }
        let Some(coding) = Coding::from_header(head.headers.get(header::CONTENT_ENCODING)) else {
            let sent = head
                .headers
                .get(header::CONTENT_ENCODING)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default();
            return Err(Rejection::UnsupportedCoding {
                coding: rejection::quoted(&sent),
            });
        };
        if let Some(length) = head.headers.get(header::CONTENT_LENGTH) {
            let declared = std::str::from_utf8(length.as_bytes())
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or(Rejection::InvalidContentLength)?;
            let limit = self.effective_wire_limit();
            if declared > limit as u64 {
                return Err(Rejection::BodyTooLarge { limit });
            }
        }
        Ok(Route::Call(coding))
    }

    /// The documentation page, for GET and HEAD.
    fn page(&self, head: &http::request::Parts) -> Exchange {
        // The page posts its forms back to its own address, whatever prefix a router nested
        // it under.
        let html = self
            .documentation
            .as_ref()
            .map(|page| page.render(&self.registry, ""))
            .unwrap_or_default();
        let length = html.len();
        let mut response = http::Response::new(if head.method == Method::HEAD {
            Vec::new()
        } else {
            html.into_bytes()
        });
        let headers = response.headers_mut();
        form::html_headers(headers);
        if head.method == Method::HEAD {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        Exchange {
            response,
            outcome: Outcome {
                status: StatusCode::OK,
                method: None,
                fault_code: None,
                rejection: None,
                elapsed: Duration::ZERO,
            },
        }
    }

    /// A POSTed call: the body decoded, the call run, the answer coded.
    async fn call(
        &self,
        parts: http::request::Parts,
        raw: &[u8],
        coding: Coding,
        peer: Peer,
    ) -> Exchange {
        let wire_limit = self.effective_wire_limit();
        if raw.len() > wire_limit {
            return self.refuse(Rejection::BodyTooLarge { limit: wire_limit });
        }
        let decoded;
        let body = match coding {
            Coding::Identity => raw,
            Coding::Gzip => match gzip::decode(raw, self.decoded_limit) {
                Ok(bytes) => {
                    decoded = bytes;
                    &decoded[..]
                }
                Err(gzip::GzipError::TooLarge) => {
                    return self.refuse(Rejection::DecodedTooLarge {
                        limit: self.decoded_limit,
                    });
                }
                Err(gzip::GzipError::Invalid(e)) => {
                    return self.refuse(Rejection::InvalidGzip {
                        reason: e.to_string(),
                    });
                }
            },
        };
        if body.len() > self.decoded_limit {
            return self.refuse(Rejection::DecodedTooLarge {
                limit: self.decoded_limit,
            });
        }
        if form::is_form(&parts, body) {
            return self.form(parts, body, peer).await;
        }
        // Read what the answer needs from the headers, then move them into the context.
        let accepts_gzip = gzip::accepted(&parts.headers);
        let context = Context::from_parts(parts.headers, parts.extensions, peer, parts.uri.path());
        let limits = self.registry.get_limits().max_input(self.decoded_limit);
        let handled = self
            .registry
            .handle_with_limits(body, &context, limits)
            .await;
        self.answer(handled, accepts_gzip)
    }

    /// The HTTP answer around a handled call.
    fn answer(&self, handled: Handled<'_>, accepts_gzip: bool) -> Exchange {
        let compress = accepts_gzip
            && self
                .gzip_threshold
                .is_some_and(|threshold| handled.body.len() >= threshold);
        let mut response = http::Response::new(if compress {
            gzip::encode(&handled.body)
        } else {
            handled.body
        });
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        if compress {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if self.gzip_threshold.is_some() {
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        Exchange {
            response,
            outcome: Outcome {
                status: StatusCode::OK,
                method: handled.method.map(std::borrow::Cow::into_owned),
                fault_code: handled.fault_code,
                rejection: None,
                elapsed: Duration::ZERO,
            },
        }
    }
}

/// Where a request leads, once its head is checked.
enum Route {
    /// The documentation page.
    Page,
    /// A call, with its body's coding.
    Call(Coding),
}

/// One event per request, at `level`; `request` is the HTTP method and URI when known.
fn log(level: tracing::Level, request: Option<(&Method, &http::Uri)>, outcome: &Outcome) {
    macro_rules! line {
        ($level:expr) => {
            tracing::event!(
                target: "xmlrpc::endpoint",
                $level,
                http_method = request.map(|(m, _)| tracing::field::display(m)),
                path = request.map(|(_, uri)| uri.path()),
                method = outcome.method.as_deref().unwrap_or("-"),
                status = outcome.status.as_u16(),
                fault_code = outcome.fault_code,
                rejection = outcome.rejection.as_ref().map(tracing::field::display),
                elapsed_us = u64::try_from(outcome.elapsed.as_micros()).unwrap_or(u64::MAX),
                "xmlrpc request"
            )
        };
    }
    if level == tracing::Level::ERROR {
        line!(tracing::Level::ERROR);
    } else if level == tracing::Level::WARN {
        line!(tracing::Level::WARN);
    } else if level == tracing::Level::INFO {
        line!(tracing::Level::INFO);
    } else if level == tracing::Level::DEBUG {
        line!(tracing::Level::DEBUG);
    } else {
        line!(tracing::Level::TRACE);
    }
}
