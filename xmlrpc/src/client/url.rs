//! The server's address: the URL forms the client takes, and what each means.
//!
//! | URL | transport |
//! |---|---|
//! | `http://host:port/path`, `https://...` | HTTP over TCP (`/RPC2` when there is no path) |
//! | `http+unix://<socket path, percent-encoded>/path` | HTTP over a Unix domain socket |
//! | `scgi://host:port/path` | SCGI over TCP |
//! | `scgi+unix://<socket path, percent-encoded>/path` | SCGI over a Unix domain socket |
//!
//! In the `+unix` forms the part where a host would be is the socket's path with each `/`
//! written `%2F`, so that the path after it stays the HTTP path: supervisord's
//! `/run/supervisor.sock` serving `/RPC2` is `http+unix://%2Frun%2Fsupervisor.sock/RPC2`.
//! [`ClientBuilder::unix_socket`](super::ClientBuilder::unix_socket) says the same with an
//! `http://` or `scgi://` URL and a path, as curl's `--unix-socket` does.

use std::fmt;
use std::path::PathBuf;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use super::error::BuildError;

/// A user name and maybe a password, for basic authentication.
pub(super) type Credentials = (String, Option<String>);

/// Where calls go, parsed from the URL.
#[derive(Clone, Debug)]
pub(super) enum Target {
    /// HTTP through reqwest, over TCP, or over a Unix socket when `socket` is set.
    Http {
        url: reqwest::Url,
        socket: Option<PathBuf>,
    },
    /// SCGI: `path` is the `REQUEST_URI` sent.
    Scgi { addr: ScgiAddr, path: String },
}

/// Where an SCGI server listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ScgiAddr {
    /// `host:port`, resolved when connecting.
    Tcp(String),
    /// A Unix domain socket.
    Unix(PathBuf),
}

/// What is escaped in a socket path written into a URL: every character that would end
/// the authority or be read as an escape.
const SOCKET_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'/')
    .add(b'%')
    .add(b'?')
    .add(b'#')
    .add(b'@')
    .add(b':')
    .add(b'[')
    .add(b']');

impl Target {
    /// The URL as shown to users: [`Client::url`](super::Client::url), spans and `Debug`,
    /// without credentials.
    pub(super) fn display(&self) -> String {
        match self {
            Target::Http { url, socket: None } => url.to_string(),
            Target::Http {
                url,
                socket: Some(socket),
            } => format!("http+unix://{}{}", encode_socket(socket), path_of(url)),
            Target::Scgi {
                addr: ScgiAddr::Tcp(addr),
                path,
            } => format!("scgi://{addr}{path}"),
            Target::Scgi {
                addr: ScgiAddr::Unix(socket),
                path,
            } => format!("scgi+unix://{}{path}", encode_socket(socket)),
        }
    }

    /// The same target reached through the Unix socket at `socket`.
    pub(super) fn through_socket(self, socket: PathBuf) -> Result<Target, BuildError> {
        match self {
            Target::Http { url, .. } if url.scheme() == "http" => Ok(Target::Http {
                url,
                socket: Some(socket),
            }),
            Target::Http { .. } => Err(BuildError::new(
                "a Unix socket carries http:// or scgi:// calls; https over a Unix socket is not supported",
            )),
            Target::Scgi { path, .. } => Ok(Target::Scgi {
                addr: ScgiAddr::Unix(socket),
                path,
            }),
        }
    }

    /// Whether calls travel over HTTP (and so through reqwest).
    pub(super) fn is_http(&self) -> bool {
        matches!(self, Target::Http { .. })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

fn path_of(url: &reqwest::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

fn encode_socket(socket: &std::path::Path) -> String {
    utf8_percent_encode(&socket.to_string_lossy(), SOCKET_PATH).to_string()
}

/// Parses the server's URL (see the module docs); for `http` and `https`, as Python does:
/// `/RPC2` when there is no path, credentials taken out (and percent-decoded) for basic
/// authentication.
pub(super) fn parse(text: &str) -> Result<(Target, Option<Credentials>), BuildError> {
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| BuildError::new(format!("invalid URL {text:?}: no scheme")))?;
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => parse_http(text, rest),
        "http+unix" => {
            let (socket, path) = split_socket(text, rest)?;
            let url = reqwest::Url::parse(&format!("http://localhost{path}"))
                .map_err(|e| BuildError::with_source(format!("invalid URL {text:?}"), e))?;
            Ok((
                Target::Http {
                    url,
                    socket: Some(socket),
                },
                None,
            ))
        }
        "scgi" => {
            let (authority, path) = split_authority(rest);
            if authority.is_empty() {
                return Err(BuildError::new(format!("the URL {text:?} has no host")));
            }
            let port_ok = authority
                .rsplit_once(':')
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
            if !port_ok {
                return Err(BuildError::new(format!(
                    "the SCGI URL {text:?} needs a host and a port, as in scgi://127.0.0.1:5000/RPC2: SCGI has no default port"
                )));
            }
            Ok((
                Target::Scgi {
                    addr: ScgiAddr::Tcp(authority.to_owned()),
                    path: default_path(path),
                },
                None,
            ))
        }
        "scgi+unix" => {
            let (socket, path) = split_socket(text, rest)?;
            Ok((
                Target::Scgi {
                    addr: ScgiAddr::Unix(socket),
                    path,
                },
                None,
            ))
        }
        _ => Err(BuildError::new(format!(
            "unsupported XML-RPC protocol {scheme:?}: the URL must start with http://, https://, http+unix://, scgi:// or scgi+unix://"
        ))),
    }
}

fn parse_http(text: &str, after_scheme: &str) -> Result<(Target, Option<Credentials>), BuildError> {
    let mut url = reqwest::Url::parse(text)
        .map_err(|e| BuildError::with_source(format!("invalid URL {text:?}"), e))?;
    if url.scheme() == "https" && !cfg!(feature = "tls") {
        return Err(BuildError::new(
            "https URLs need the `tls` feature of the xmlrpc crate",
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(BuildError::new(format!("the URL {text:?} has no host")));
    }
    // The parser writes `/` for a missing path; look at the text to tell them apart.
    if !after_scheme.contains(['/', '?', '#']) {
        url.set_path("/RPC2");
    }
    let credentials = if url.username().is_empty() && url.password().is_none() {
        None
    } else {
        let user = percent_decode(url.username());
        let password = url.password().map(percent_decode);
        // Neither call can fail on an http(s) URL with a host.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        Some((user, password))
    };
    Ok((Target::Http { url, socket: None }, credentials))
}

/// The authority (up to the first `/`, `?` or `#`) and the rest.
fn split_authority(rest: &str) -> (&str, &str) {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest.split_at(end)
}

/// `/RPC2` for an empty path, as for HTTP URLs.
fn default_path(path: &str) -> String {
    if path.is_empty() {
        "/RPC2".to_owned()
    } else if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// The socket path (percent-decoded) and the HTTP path of a `+unix` URL.
fn split_socket(text: &str, rest: &str) -> Result<(PathBuf, String), BuildError> {
    let (authority, path) = split_authority(rest);
    if authority.is_empty() {
        return Err(BuildError::new(format!(
            "the URL {text:?} has no socket path: write it percent-encoded where the host goes, as in http+unix://%2Frun%2Fsupervisor.sock/RPC2"
        )));
    }
    let bytes: Vec<u8> = percent_decode_str(authority).collect();
    Ok((socket_path(bytes), default_path(path)))
}

#[cfg(unix)]
fn socket_path(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn socket_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// `%XX` escapes as bytes, read as UTF-8 (lossily): what `user:pass@` in a URL means.
fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(text: &str) -> reqwest::Url {
        match parse(text).expect("valid").0 {
            Target::Http { url, socket: None } => url,
            other => panic!("expected plain HTTP, got {other:?}"),
        }
    }

    #[test]
    fn a_url_without_a_path_calls_rpc2() {
        assert_eq!(
            http("http://127.0.0.1:8000").as_str(),
            "http://127.0.0.1:8000/RPC2"
        );
        assert_eq!(
            http("http://127.0.0.1:8000/").as_str(),
            "http://127.0.0.1:8000/"
        );
        assert_eq!(
            http("http://host/xmlrpc.php?x=1").as_str(),
            "http://host/xmlrpc.php?x=1"
        );
    }

    #[test]
    fn credentials_are_taken_out_of_the_url() {
        let (target, credentials) = parse("http://al%40ice:p%3Ass@host:1/RPC2").expect("valid");
        assert_eq!(target.display(), "http://host:1/RPC2");
        assert_eq!(
            credentials,
            Some(("al@ice".to_owned(), Some("p:ss".to_owned())))
        );
        let (_, credentials) = parse("http://bob@host/").expect("valid");
        assert_eq!(credentials, Some(("bob".to_owned(), None)));
    }

    #[test]
    fn only_the_listed_schemes_are_accepted() {
        let err = parse("ftp://host/").unwrap_err();
        assert!(
            err.to_string().contains("unsupported XML-RPC protocol"),
            "{err}"
        );
        assert!(parse("not a url").is_err());
        assert!(parse("http://").is_err());
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
        assert_eq!(percent_decode("%C3%A9t%C3%A9"), "été");
    }

    #[test]
    fn unix_socket_urls_carry_the_socket_and_the_path() {
        let (target, _) = parse("http+unix://%2Frun%2Fsupervisor.sock/RPC2").expect("valid");
        let Target::Http { url, socket } = &target else {
            panic!("expected HTTP, got {target:?}")
        };
        assert_eq!(
            socket.as_deref(),
            Some(std::path::Path::new("/run/supervisor.sock"))
        );
        assert_eq!(url.path(), "/RPC2");
        assert_eq!(
            target.display(),
            "http+unix://%2Frun%2Fsupervisor.sock/RPC2"
        );
        // No path: /RPC2, as for HTTP.
        let (target, _) = parse("http+unix://%2Ftmp%2Fa%20b.sock").expect("valid");
        assert_eq!(target.display(), "http+unix://%2Ftmp%2Fa%20b.sock/RPC2");
        let err = parse("http+unix:///RPC2").unwrap_err();
        assert!(err.to_string().contains("no socket path"), "{err}");
    }

    #[test]
    fn scgi_urls_over_tcp_and_unix_sockets() {
        let (target, _) = parse("scgi://127.0.0.1:5000").expect("valid");
        assert!(
            matches!(&target, Target::Scgi { addr: ScgiAddr::Tcp(a), path } if a == "127.0.0.1:5000" && path == "/RPC2"),
            "{target:?}"
        );
        let (target, _) = parse("scgi+unix://%2Fhome%2Fu%2F.rtorrent.sock/").expect("valid");
        assert!(
            matches!(&target, Target::Scgi { addr: ScgiAddr::Unix(p), path } if p == std::path::Path::new("/home/u/.rtorrent.sock") && path == "/"),
            "{target:?}"
        );
        assert_eq!(
            target.display(),
            "scgi+unix://%2Fhome%2Fu%2F.rtorrent.sock/"
        );
        let err = parse("scgi://localhost/RPC2").unwrap_err();
        assert!(err.to_string().contains("needs a host and a port"), "{err}");
    }

    #[test]
    fn a_socket_can_be_given_beside_the_url() {
        let (target, _) = parse("http://localhost/RPC2").expect("valid");
        let target = target.through_socket("/tmp/s".into()).expect("http");
        assert_eq!(target.display(), "http+unix://%2Ftmp%2Fs/RPC2");
        let (target, _) = parse("scgi://localhost:1/x").expect("valid");
        let target = target.through_socket("/tmp/s".into()).expect("scgi");
        assert_eq!(target.display(), "scgi+unix://%2Ftmp%2Fs/x");
    }
}
