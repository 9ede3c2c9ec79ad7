//! [`Listener`]: where a [`Server`](crate::Server) accepts connections: a TCP address (IPv4 or
//! IPv6), a Unix domain socket path, or a socket bound already (by the program, or handed over
//! by systemd).

use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use xmlrpc::UnixPeer;

/// Where a server accepts connections.
///
/// A TCP listener comes from [`Listener::bind`], a Unix domain socket from
/// [`Listener::unix`], and one bound already converts with `From` (std's or tokio's
/// `TcpListener` and `UnixListener`), or comes from systemd with [`Listener::from_systemd`].
///
/// # Examples
///
/// ```
/// use xmlrpc_axum::Listener;
///
/// # async fn run() -> std::io::Result<()> {
/// let v4 = Listener::bind("127.0.0.1:0").await?;
/// let v6 = Listener::bind("[::1]:0").await;
/// # let _ = (v4, v6);
/// let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// let mine = Listener::from(std_listener);
/// println!("serving on {}", mine.local_addr()?);
/// # Ok(())
/// # }
/// # tokio::runtime::Runtime::new().unwrap().block_on(run()).unwrap();
/// ```
#[derive(Debug)]
pub struct Listener {
    inner: Inner,
}

#[derive(Debug)]
enum Inner {
    Tcp(TcpListener),
    StdTcp(std::net::TcpListener),
    Unix(UnixListener, Option<SocketFile>),
    StdUnix(std::os::unix::net::UnixListener, Option<SocketFile>),
}

/// Where a listener listens, for a log line or a test.
///
/// ```
/// use xmlrpc_axum::{ListenAddr, Listener};
///
/// # async fn run() -> std::io::Result<()> {
/// let listener = Listener::bind("127.0.0.1:0").await?;
/// let ListenAddr::Tcp(addr) = listener.local_addr()? else { unreachable!() };
/// assert!(addr.ip().is_loopback());
/// # Ok(())
/// # }
/// # tokio::runtime::Runtime::new().unwrap().block_on(run()).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListenAddr {
    /// A TCP address.
    Tcp(SocketAddr),
    /// A Unix domain socket, by path when it has one.
    Unix(Option<PathBuf>),
}

impl std::fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListenAddr::Tcp(addr) => write!(f, "{addr}"),
            ListenAddr::Unix(Some(path)) => write!(f, "unix:{}", path.display()),
            ListenAddr::Unix(None) => f.write_str("unix:(unnamed)"),
        }
    }
}

impl Listener {
    /// Binds a TCP address (IPv4 or IPv6; a host name is resolved, and the first address that
    /// binds is taken), with tokio's listen backlog of 1024.
    ///
    /// # Errors
    ///
    /// The address does not resolve or cannot be bound (in use, not permitted), with the
    /// address in the message.
    pub async fn bind(
        addr: impl tokio::net::ToSocketAddrs + std::fmt::Debug,
    ) -> io::Result<Listener> {
        let shown = format!("{addr:?}");
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|e| io::Error::new(e.kind(), format!("binding {shown}: {e}")))?;
        Ok(Listener {
            inner: Inner::Tcp(listener),
        })
    }

    /// A Unix domain socket at `path`, to [`bind`](UnixBind::bind) after its settings.
    ///
    /// ```
    /// use xmlrpc_axum::Listener;
    ///
    /// # fn run() -> std::io::Result<()> {
    /// # let dir = std::env::temp_dir().join(format!("xmlrpc-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// let listener = Listener::unix(dir.join("rpc.sock")).mode(0o660).bind()?;
    /// # drop(listener);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok(())
    /// # }
    /// # run().unwrap();
    /// ```
    pub fn unix(path: impl Into<PathBuf>) -> UnixBind {
        UnixBind {
            path: path.into(),
            mode: None,
        }
    }

    /// The socket systemd handed over by socket activation (`LISTEN_FDS`, descriptor 3 on):
    /// the first one, TCP or Unix; `None` when the process was not started that way.
    ///
    /// ```
    /// use xmlrpc_axum::Listener;
    ///
    /// # async fn run() -> std::io::Result<()> {
    /// let listener = match Listener::from_systemd()? {
    ///     Some(handed_over) => handed_over,
    ///     None => Listener::bind("127.0.0.1:8000").await?,
    /// };
    /// # let _ = listener;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// `LISTEN_FDS` names a descriptor that is not a listening TCP or Unix socket.
    pub fn from_systemd() -> io::Result<Option<Listener>> {
        let mut fds = listenfd::ListenFd::from_env();
        if fds.len() == 0 {
            return Ok(None);
        }
        // A descriptor of another kind is left in place by the first try.
        if let Ok(tcp) = fds.take_tcp_listener(0) {
            return Ok(tcp.map(Listener::from));
        }
        match fds.take_unix_listener(0) {
            Ok(unix) => Ok(unix.map(Listener::from)),
            Err(e) => Err(io::Error::new(
                e.kind(),
                format!(
                    "the socket systemd handed over (LISTEN_FDS) is neither a TCP nor a Unix stream listener: {e}"
                ),
            )),
        }
    }

    /// Where the listener listens.
    ///
    /// # Errors
    ///
    /// The operating system cannot say (the socket is broken).
    pub fn local_addr(&self) -> io::Result<ListenAddr> {
        match &self.inner {
            Inner::Tcp(l) => l.local_addr().map(ListenAddr::Tcp),
            Inner::StdTcp(l) => l.local_addr().map(ListenAddr::Tcp),
            Inner::Unix(l, _) => Ok(ListenAddr::Unix(
                l.local_addr()?.as_pathname().map(Path::to_path_buf),
            )),
            Inner::StdUnix(l, _) => Ok(ListenAddr::Unix(
                l.local_addr()?.as_pathname().map(Path::to_path_buf),
            )),
        }
    }

    /// The listener registered with the running tokio runtime.
    pub(crate) fn into_bound(self) -> io::Result<Bound> {
        Ok(match self.inner {
            Inner::Tcp(l) => Bound::Tcp(l),
            Inner::StdTcp(l) => {
                l.set_nonblocking(true)?;
                Bound::Tcp(TcpListener::from_std(l)?)
            }
            Inner::Unix(l, file) => Bound::Unix(l, file),
            Inner::StdUnix(l, file) => {
                l.set_nonblocking(true)?;
                Bound::Unix(UnixListener::from_std(l)?, file)
            }
        })
    }
}

impl From<TcpListener> for Listener {
    fn from(listener: TcpListener) -> Listener {
        Listener {
            inner: Inner::Tcp(listener),
        }
    }
}

impl From<std::net::TcpListener> for Listener {
    fn from(listener: std::net::TcpListener) -> Listener {
        Listener {
            inner: Inner::StdTcp(listener),
        }
    }
}

impl From<UnixListener> for Listener {
    /// A Unix listener bound elsewhere: its socket file is left in place when the server
    /// stops.
    fn from(listener: UnixListener) -> Listener {
        Listener {
            inner: Inner::Unix(listener, None),
        }
    }
}

impl From<std::os::unix::net::UnixListener> for Listener {
    /// A Unix listener bound elsewhere: its socket file is left in place when the server
    /// stops.
    fn from(listener: std::os::unix::net::UnixListener) -> Listener {
        Listener {
            inner: Inner::StdUnix(listener, None),
        }
    }
}

/// The settings of a Unix domain socket to bind, from [`Listener::unix`].
///
/// Binding replaces a stale socket file, one that a dead process left behind (nothing
/// accepts on it), and refuses a live one, so that two servers never share a path. The
/// server removes the socket file it bound when it stops.
#[derive(Debug, Clone)]
#[must_use = "a UnixBind does nothing until bound"]
pub struct UnixBind {
    path: PathBuf,
    mode: Option<u32>,
}

impl UnixBind {
    /// The permission bits of the socket file (`0o660` lets the file's group connect), set
    /// once it is bound. By default the process's umask decides.
    ///
    /// # Panics
    ///
    /// Bits beyond the permission bits (`0o777`).
    #[track_caller]
    pub fn mode(mut self, mode: u32) -> UnixBind {
        assert!(
            mode <= 0o777,
            "a socket file's mode is permission bits, at most 0o777: {mode:#o}"
        );
        self.mode = Some(mode);
        self
    }

    /// Binds the socket.
    ///
    /// # Errors
    ///
    /// The path is taken by a file that is not a socket, or by a socket a live process
    /// accepts on; the folder does not exist or is not writable; the mode cannot be set.
    /// Each message names the path.
    pub fn bind(self) -> io::Result<Listener> {
        let path = &self.path;
        let context = |what: &str, e: io::Error| {
            io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
        };
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_socket() => {
                match std::os::unix::net::UnixStream::connect(path) {
                    Ok(_) => {
                        return Err(io::Error::new(
                            io::ErrorKind::AddrInUse,
                            format!(
                                "another process serves on the Unix socket {}; stop it or choose another path",
                                path.display()
                            ),
                        ));
                    }
                    // Nothing accepts on it: a dead server's socket, replaced.
                    Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                        std::fs::remove_file(path)
                            .map_err(|e| context("removing the stale socket", e))?;
                    }
                    Err(e) => return Err(context("checking the socket", e)),
                }
            }
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} exists and is not a socket; not replacing it",
                        path.display()
                    ),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(context("looking at", e)),
        }
        let listener = std::os::unix::net::UnixListener::bind(path)
            .map_err(|e| context("binding the Unix socket", e))?;
        let file = SocketFile(path.clone());
        if let Some(mode) = self.mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| context("setting the mode of", e))?;
        }
        Ok(Listener {
            inner: Inner::StdUnix(listener, Some(file)),
        })
    }
}

/// A socket file this process bound, removed when the listener goes.
#[derive(Debug)]
pub(crate) struct SocketFile(PathBuf);

impl Drop for SocketFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A listener on the runtime, accepting.
#[derive(Debug)]
pub(crate) enum Bound {
    Tcp(TcpListener),
    Unix(
        UnixListener,
        #[allow(dead_code, reason = "removes the file on drop")] Option<SocketFile>,
    ),
}

/// Who is at the other end of an accepted connection.
#[derive(Debug, Clone)]
pub(crate) enum Remote {
    Tcp(SocketAddr),
    Unix(UnixPeer),
}

impl Bound {
    pub(crate) fn local_addr(&self) -> io::Result<ListenAddr> {
        match self {
            Bound::Tcp(l) => l.local_addr().map(ListenAddr::Tcp),
            Bound::Unix(l, _) => Ok(ListenAddr::Unix(
                l.local_addr()?.as_pathname().map(Path::to_path_buf),
            )),
        }
    }

    pub(crate) async fn accept(&self) -> io::Result<(Stream, Remote)> {
        match self {
            Bound::Tcp(l) => {
                let (stream, addr) = l.accept().await?;
                // Small answers go out at once.
                let _ = stream.set_nodelay(true);
                Ok((Stream::Tcp(stream), Remote::Tcp(addr)))
            }
            Bound::Unix(l, _) => {
                let (stream, addr) = l.accept().await?;
                let mut peer = UnixPeer::new();
                if let Ok(cred) = stream.peer_cred() {
                    peer = peer.credentials(
                        cred.pid().and_then(|pid| u32::try_from(pid).ok()),
                        cred.uid(),
                        cred.gid(),
                    );
                }
                if let Some(path) = addr.as_pathname() {
                    peer = peer.path(path);
                }
                Ok((Stream::Unix(stream), Remote::Unix(peer)))
            }
        }
    }
}

/// An accepted connection.
#[derive(Debug)]
pub(crate) enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Unix(s) => Pin::new(s).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Unix(s) => Pin::new(s).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Unix(s) => Pin::new(s).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Tcp(s) => s.is_write_vectored(),
            Stream::Unix(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Unix(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Unix(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}
