//! What a method may learn about the request that carries its call.

use std::net::SocketAddr;

use crate::peer::Peer;

/// What a method may learn about the request that carries its call: HTTP headers, the
/// [`Peer`] that sent it, the request path, and extensions set by middleware (an
/// authenticated user, a request id, ...).
///
/// A method of an `#[xmlrpc_service]` asks for it with a parameter of type `&Context`; that
/// parameter is not part of the method's XML-RPC signature.
///
/// # Examples
///
/// ```
/// use xmlrpc::Context;
///
/// #[derive(Clone)]
/// struct User(String);
///
/// let mut ctx = Context::new();
/// ctx.extensions_mut().insert(User("ada".into()));
/// ctx.headers_mut().insert("x-request-id", "42".parse().unwrap());
/// assert_eq!(ctx.extensions().get::<User>().map(|u| u.0.as_str()), Some("ada"));
/// assert_eq!(ctx.header("x-request-id"), Some("42"));
/// ```
#[derive(Debug, Default)]
pub struct Context {
    headers: http::HeaderMap,
    extensions: http::Extensions,
    peer: Peer,
    path: String,
}

impl Context {
    /// An empty context, as in-process calls have.
    pub fn new() -> Self {
        Context::default()
    }

    /// A context from the parts of an HTTP request and the peer that sent it.
    pub fn from_parts(
        headers: http::HeaderMap,
        extensions: http::Extensions,
        peer: Peer,
        path: impl Into<String>,
    ) -> Self {
        Context {
            headers,
            extensions,
            peer,
            path: path.into(),
        }
    }

    /// The request's HTTP headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The request's HTTP headers, to change.
    pub fn headers_mut(&mut self) -> &mut http::HeaderMap {
        &mut self.headers
    }

    /// The value of header `name`, when it is present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Values that middleware attached to the request.
    pub fn extensions(&self) -> &http::Extensions {
        &self.extensions
    }

    /// Values attached to the request, to change.
    pub fn extensions_mut(&mut self) -> &mut http::Extensions {
        &mut self.extensions
    }

    /// Who sent the request: a TCP or Unix socket peer, or a client whose address a front
    /// server forwarded; [`Peer::Local`] for in-process calls.
    pub fn peer(&self) -> &Peer {
        &self.peer
    }

    /// Sets who sent the request.
    pub fn set_peer(&mut self, peer: Peer) {
        self.peer = peer;
    }

    /// The client's socket address, when known: the TCP peer's, or the address and port a
    /// front server forwarded (see [`Peer::socket_addr`]).
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.peer.socket_addr()
    }

    /// The path the request was sent to, such as `/RPC2`; empty for in-process calls.
    pub fn path(&self) -> &str {
        &self.path
    }
}
