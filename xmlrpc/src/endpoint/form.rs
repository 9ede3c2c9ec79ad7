//! The try-it forms of the documentation page, as the endpoint answers them: a POST whose
//! body is an `application/x-www-form-urlencoded` form (not XML) is a form submission.
//!
//! Such a POST is what any site can make a browser send (a "simple request"), so the
//! endpoint first checks where it comes from: when `Sec-Fetch-Site` is sent, only
//! `same-origin` (and `none`, a request the user made directly) pass; otherwise, when
//! `Origin` is sent, it must name the host the request was sent to (its `Host`, or the
//! authority of its URI). A request with neither (text browsers, scripts) passes: only
//! browsers make cross-site requests on a user's behalf, and they send these headers.
//! A refused form is [403](Rejection::CrossSiteForm). Without a documentation page with
//! try-it forms, a form is [415](Rejection::FormNotAccepted).
//!
//! The form's fields become the call's parameters (see the documentation page's module),
//! the call runs as any other (the method sees the browser's headers in its `Context`), and
//! the answer is an HTML page with the result or the fault and the response XML (200), or
//! what was wrong with the form (400), sent with the page's `Content-Security-Policy`.

use http::{HeaderValue, StatusCode, header};

use super::rejection::Rejection;
use super::{Endpoint, Exchange, Outcome};
use crate::doc::DocPage;
use crate::doc::form::{self, Tried};
use crate::fault::Fault;
use crate::message::read::response_from_slice;
use crate::message::write::call_to_vec;
use crate::peer::Peer;
use crate::service::MethodInfo;
use crate::service::context::Context;
use crate::value::Value;

/// Whether a POST is a form submission: a form's media type and a body that is not XML (some
/// clients label their XML calls as forms, as curl's `-d` does; those stay calls).
pub(super) fn is_form(head: &http::request::Parts, body: &[u8]) -> bool {
    let form_type = head
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    let xml = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_none_or(|&b| b == b'<' || b == 0xEF);
    form_type && !xml
}

/// Why a form comes from another site, when it does.
pub(super) fn cross_site(head: &http::request::Parts) -> Option<String> {
    if let Some(site) = head.headers.get("sec-fetch-site") {
        let site = String::from_utf8_lossy(site.as_bytes()).to_ascii_lowercase();
        return match site.trim() {
            "same-origin" | "none" => None,
            other => Some(format!(
                "the form was sent from another site (Sec-Fetch-Site: {}); the try-it forms answer only their own page",
                super::rejection::quoted(other)
            )),
        };
    }
    let origin = head.headers.get(header::ORIGIN)?;
    let origin = String::from_utf8_lossy(origin.as_bytes()).trim().to_owned();
    let refuse = |why: &str| {
        Some(format!(
            "the form was sent from {} {why}; the try-it forms answer only their own page",
            super::rejection::quoted(&origin)
        ))
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return refuse("(an opaque origin)");
    };
    let own = head
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| head.uri.authority().map(|a| a.as_str().to_owned()));
    let Some(own) = own else {
        return refuse("to a request without a host");
    };
    if same_host(scheme, authority, &own) {
        None
    } else {
        refuse(&format!("to {}", super::rejection::quoted(&own)))
    }
}

/// Whether an origin's authority (`host[:port]`, for `scheme`) names the host a request was
/// sent to, the default port written or not.
fn same_host(scheme: &str, origin: &str, host: &str) -> bool {
    let default = match scheme.to_ascii_lowercase().as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => "",
    };
    let strip = |s: &str| -> String {
        let s = s.trim().to_ascii_lowercase();
        match s.strip_suffix(default) {
            Some(rest) if !default.is_empty() => rest.to_owned(),
            _ => s,
        }
    };
    strip(origin) == strip(host)
}

/// A form read into a call: the method, its description, the fields as they were typed
/// (shown again on the answer's page), and the call document.
struct FormCall {
    method: String,
    info: MethodInfo,
    texts: Vec<String>,
    call: Vec<u8>,
}

/// A form that cannot become a call: why, and what the answer's page shows again.
struct FormRefused {
    method: String,
    info: Option<MethodInfo>,
    texts: Vec<String>,
    reason: String,
}

impl FormRefused {
    fn new(method: &str, reason: String) -> Box<FormRefused> {
        Box::new(FormRefused {
            method: method.to_owned(),
            info: None,
            texts: Vec::new(),
            reason,
        })
    }
}

impl Endpoint {
    /// Answers a form submission (see the [module](self)).
    pub(super) async fn form(
        &self,
        parts: http::request::Parts,
        body: &[u8],
        peer: Peer,
    ) -> Exchange {
        let Some(page) = self.documentation.as_ref().filter(|p| p.try_it) else {
            return self.reject(Rejection::FormNotAccepted);
        };
        if let Some(reason) = cross_site(&parts) {
            return self.reject(Rejection::CrossSiteForm { reason });
        }
        match self.form_call(body) {
            Ok(form_call) => self.answer_form(page, form_call, parts, peer).await,
            Err(refused) => self.form_page(
                page.clone(),
                &refused.method,
                refused.info.as_ref(),
                &refused.texts,
                &Tried::Refused(refused.reason),
            ),
        }
    }

    /// Reads a form's fields into a call of a registered method (`system.*` included), or
    /// says why it cannot be one (boxed: the refusal is the rare case, and holds the
    /// method's description).
    fn form_call(&self, body: &[u8]) -> Result<FormCall, Box<FormRefused>> {
        let fields = form::parse_urlencoded(body).map_err(|e| FormRefused::new("", e.0))?;
        let method = form::field(&fields, "method").unwrap_or("").to_owned();
        let Some(info) = self.registry.method_info(&method) else {
            let reason = if method.is_empty() {
                "the form names no method".to_owned()
            } else {
                format!("no method {method:?} is documented here")
            };
            return Err(FormRefused::new(&method, reason));
        };
        let texts = form::param_fields(&info, &fields);
        let call = form::call_params(&info, &texts)
            .map_err(|e| e.0)
            .and_then(|params| {
                call_to_vec(&method, &params)
                    .map_err(|e| format!("the parameters cannot be sent: {e}"))
            });
        match call {
            Ok(call) => Ok(FormCall {
                method,
                info,
                texts,
                call,
            }),
            Err(reason) => Err(Box::new(FormRefused {
                method,
                info: Some(info),
                texts,
                reason,
            })),
        }
    }

    /// Runs the call a form made, as any call runs (the method sees the browser's headers
    /// in its `Context`), and answers with the page showing the result or the fault.
    async fn answer_form(
        &self,
        page: &DocPage,
        form_call: FormCall,
        parts: http::request::Parts,
        peer: Peer,
    ) -> Exchange {
        let FormCall {
            method,
            info,
            texts,
            call,
        } = form_call;
        let context = Context::from_parts(parts.headers, parts.extensions, peer, parts.uri.path());
        let limits = self.registry.get_limits().max_input(self.decoded_limit);
        let handled = self
            .registry
            .handle_with_limits(&call, &context, limits)
            .await;
        let result = match response_from_slice::<Value>(&handled.body) {
            Ok(response) => response.into_result(),
            Err(e) => Err(Fault::internal_error(format!(
                "the response cannot be read: {e}"
            ))),
        };
        let fault_code = handled.fault_code;
        let tried = Tried::Answered {
            response: &handled.body,
            result,
        };
        let mut exchange = self.form_page(page.clone(), &method, Some(&info), &texts, &tried);
        exchange.outcome.fault_code = fault_code;
        exchange
    }

    /// The page answering a form: 200 when the call was made, 400 when the form was wrong.
    fn form_page(
        &self,
        page: DocPage,
        method: &str,
        info: Option<&MethodInfo>,
        texts: &[String],
        tried: &Tried<'_>,
    ) -> Exchange {
        let html = form::render_tried(&page, method, info, texts, tried);
        let status = match tried {
            Tried::Answered { .. } => StatusCode::OK,
            Tried::Refused(_) => StatusCode::BAD_REQUEST,
        };
        let mut response = http::Response::new(html.into_bytes());
        *response.status_mut() = status;
        html_headers(response.headers_mut());
        Exchange {
            response,
            outcome: Outcome {
                status,
                method: (!method.is_empty()).then(|| method.to_owned()),
                fault_code: None,
                rejection: None,
                elapsed: std::time::Duration::ZERO,
            },
        }
    }
}

/// The headers of every HTML page the endpoint sends: its type, and the policy that lets
/// nothing but its own style sheet load, and no other site frame it.
pub(super) fn html_headers(headers: &mut http::HeaderMap) {
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&crate::doc::content_security_policy()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(headers: &[(&str, &str)]) -> http::request::Parts {
        let mut builder = http::Request::post("/RPC2");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(()).map(|r| r.into_parts().0).unwrap()
    }

    #[test]
    fn tells_forms_from_calls() {
        let form = head(&[(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )]);
        assert!(is_form(&form, b"method=pow&p1=2"));
        assert!(
            !is_form(&form, b"  <?xml version=\"1.0\"?><methodCall/>"),
            "curl -d sends XML as a form"
        );
        assert!(!is_form(
            &head(&[("content-type", "text/xml")]),
            b"method=pow"
        ));
        assert!(!is_form(&head(&[]), b"method=pow"));
    }

    #[test]
    fn refuses_other_sites() {
        let evil = head(&[
            ("host", "127.0.0.1:8000"),
            ("origin", "http://evil.example"),
        ]);
        assert!(cross_site(&evil).is_some_and(|r| r.contains("http://evil.example")));
        let cross = head(&[("host", "127.0.0.1:8000"), ("sec-fetch-site", "cross-site")]);
        assert!(cross_site(&cross).is_some_and(|r| r.contains("cross-site")));
        let same_site = head(&[("sec-fetch-site", "same-site")]);
        assert!(cross_site(&same_site).is_some());
        let opaque = head(&[("host", "a"), ("origin", "null")]);
        assert!(cross_site(&opaque).is_some());
        let own = head(&[
            ("host", "127.0.0.1:8000"),
            ("origin", "http://127.0.0.1:8000"),
        ]);
        assert_eq!(cross_site(&own), None);
        let default_port = head(&[
            ("host", "Example.org:443"),
            ("origin", "https://example.org"),
        ]);
        assert_eq!(cross_site(&default_port), None);
        let other_port = head(&[
            ("host", "127.0.0.1:8000"),
            ("origin", "http://127.0.0.1:9000"),
        ]);
        assert!(cross_site(&other_port).is_some());
        // The browser's own word wins over a host a proxy rewrote.
        let proxied = head(&[
            ("host", "backend:8000"),
            ("origin", "https://public.example"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(cross_site(&proxied), None);
        assert_eq!(
            cross_site(&head(&[("host", "a")])),
            None,
            "no header: not a browser's cross-site request"
        );
    }
}
