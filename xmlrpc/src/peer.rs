//! [`Peer`]: who sent a request, as each transport knows it.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// Who sent a request: the other end of a TCP connection, of a Unix domain socket, or a
/// client whose address a front server (a CGI web server, nginx over SCGI) forwarded.
///
/// Methods see it through [`Context::peer`](crate::Context::peer); most only want
/// [`Peer::ip`], the client's address whichever way the call came.
///
/// # Examples
///
/// ```
/// use std::net::SocketAddr;
/// use xmlrpc::Peer;
///
/// let direct = Peer::Tcp("127.0.0.1:50123".parse::<SocketAddr>()?);
/// assert_eq!(direct.ip(), Some([127, 0, 0, 1].into()));
///
/// // What nginx told an SCGI server in REMOTE_ADDR and REMOTE_PORT:
/// let forwarded = Peer::forwarded("203.0.113.9", Some(41000), Peer::Local);
/// assert_eq!(forwarded.ip(), Some([203, 0, 113, 9].into()));
/// assert_eq!(forwarded.to_string(), "203.0.113.9:41000 (forwarded)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Peer {
    /// No socket: an in-process call, a test, or a transport that does not say.
    #[default]
    Local,
    /// The other end of a TCP connection.
    Tcp(SocketAddr),
    /// The other end of a Unix domain socket.
    Unix(UnixPeer),
    /// A client whose address a front server reported, such as CGI's and SCGI's
    /// `REMOTE_ADDR`.
    Forwarded(ForwardedPeer),
}

impl Peer {
    /// A forwarded client: the address and port a front server reported, and the peer the
    /// report came from (the front server's own connection, or [`Peer::Local`] under CGI).
    pub fn forwarded(addr: impl Into<String>, port: Option<u16>, via: Peer) -> Peer {
        Peer::Forwarded(ForwardedPeer {
            addr: addr.into(),
            port,
            via: Box::new(via),
        })
    }

    /// The client's IP address: the TCP peer's, or the forwarded one's when it is an IP
    /// address (nginx reports `unix:` for clients on a Unix socket).
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Peer::Tcp(addr) => Some(addr.ip()),
            Peer::Forwarded(f) => f.ip(),
            Peer::Local | Peer::Unix(_) => None,
        }
    }

    /// The client's socket address: the TCP peer's, or the forwarded one's when both its
    /// address and its port are known.
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        match self {
            Peer::Tcp(addr) => Some(*addr),
            Peer::Forwarded(f) => Some(SocketAddr::new(f.ip()?, f.port?)),
            Peer::Local | Peer::Unix(_) => None,
        }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Local => f.write_str("local"),
            Peer::Tcp(addr) => write!(f, "{addr}"),
            Peer::Unix(unix) => write!(f, "{unix}"),
            Peer::Forwarded(fwd) => write!(f, "{fwd}"),
        }
    }
}

impl From<SocketAddr> for Peer {
    fn from(addr: SocketAddr) -> Peer {
        Peer::Tcp(addr)
    }
}

/// The other end of a Unix domain socket: its path when it bound one (clients rarely do),
/// and its process credentials where the operating system gives them.
///
/// ```
/// use xmlrpc::UnixPeer;
///
/// let peer = UnixPeer::new().credentials(Some(4242), 1000, 1000);
/// assert_eq!(peer.uid(), Some(1000));
/// assert_eq!(peer.to_string(), "unix socket (pid 4242, uid 1000, gid 1000)");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnixPeer {
    path: Option<PathBuf>,
    pid: Option<u32>,
    uid: Option<u32>,
    gid: Option<u32>,
}

impl UnixPeer {
    /// A peer with nothing known about it yet.
    pub fn new() -> UnixPeer {
        UnixPeer::default()
    }

    /// Sets the path the peer's socket is bound to.
    pub fn path(mut self, path: impl Into<PathBuf>) -> UnixPeer {
        self.path = Some(path.into());
        self
    }

    /// Sets the peer's process id (when known), user id and group id.
    pub fn credentials(mut self, pid: Option<u32>, uid: u32, gid: u32) -> UnixPeer {
        self.pid = pid;
        self.uid = Some(uid);
        self.gid = Some(gid);
        self
    }

    /// The path the peer's socket is bound to.
    pub fn socket_path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// The peer's process id.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The peer's user id.
    pub fn uid(&self) -> Option<u32> {
        self.uid
    }

    /// The peer's group id.
    pub fn gid(&self) -> Option<u32> {
        self.gid
    }
}

impl fmt::Display for UnixPeer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "unix socket {}", path.display())?,
            None => f.write_str("unix socket")?,
        }
        let mut parts = Vec::new();
        if let Some(pid) = self.pid {
            parts.push(format!("pid {pid}"));
        }
        if let Some(uid) = self.uid {
            parts.push(format!("uid {uid}"));
        }
        if let Some(gid) = self.gid {
            parts.push(format!("gid {gid}"));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

/// A client whose address a front server reported: what it said, kept as it said it, and
/// the peer that said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedPeer {
    addr: String,
    port: Option<u16>,
    via: Box<Peer>,
}

impl ForwardedPeer {
    /// The address as reported: an IP address, or whatever else the front server wrote
    /// (nginx writes `unix:` for a client on a Unix socket).
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The address as an IP address, when it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.addr.trim().parse().ok()
    }

    /// The client's port, when reported.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The peer the report came from.
    pub fn via(&self) -> &Peer {
        &self.via
    }
}

impl fmt::Display for ForwardedPeer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.ip(), self.port) {
            (Some(ip), Some(port)) => write!(f, "{} (forwarded)", SocketAddr::new(ip, port)),
            _ => write!(f, "{} (forwarded)", self.addr),
        }
    }
}
