//! [`Tls`]: HTTPS with rustls, from PEM files or a `rustls::ServerConfig` of the user's.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The TLS settings of a [`Server`](crate::Server): its certificate and key, and optionally
/// the authority that client certificates must come from.
///
/// A configuration built here offers HTTP/2 and HTTP/1.1 by ALPN. One built by the user is
/// used as it is: set its `alpn_protocols` to `[b"h2", b"http/1.1"]` to offer HTTP/2.
///
/// A certificate for trying it out, made with the `openssl` command line:
///
/// ```text
/// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
///     -keyout key.pem -out cert.pem -days 30 -subj /CN=localhost \
///     -addext subjectAltName=DNS:localhost,IP:127.0.0.1
/// ```
///
/// # Examples
///
/// ```no_run
/// use xmlrpc::Registry;
/// use xmlrpc_axum::{Listener, Server, Tls, XmlRpc};
///
/// # async fn run() -> std::io::Result<()> {
/// let tls = Tls::builder()
///     .certificate_chain_file("cert.pem")
///     .private_key_file("key.pem")
///     .build()?;
/// Server::new()
///     .tls(tls)
///     .serve(Listener::bind("0.0.0.0:8443").await?, XmlRpc::new(Registry::new()))
///     .await
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Tls {
    config: Arc<rustls::ServerConfig>,
}

impl Tls {
    /// Settings to fill in: the certificate chain and the private key, as PEM files.
    pub fn builder() -> TlsBuilder {
        TlsBuilder::default()
    }

    /// TLS as the user's own rustls configuration says (its certificate resolver, its client
    /// verifier, its ALPN protocols).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use xmlrpc_axum::{Tls, rustls};
    ///
    /// # fn run(cert: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// #        key: rustls::pki_types::PrivateKeyDer<'static>) -> Result<(), rustls::Error> {
    /// let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    /// let mut config = rustls::ServerConfig::builder_with_provider(provider)
    ///     .with_safe_default_protocol_versions()?
    ///     .with_no_client_auth()
    ///     .with_single_cert(cert, key)?;
    /// config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    /// let tls = Tls::from_config(Arc::new(config));
    /// # let _ = tls;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_config(config: Arc<rustls::ServerConfig>) -> Tls {
        Tls { config }
    }

    /// The rustls configuration in force.
    pub fn config(&self) -> &Arc<rustls::ServerConfig> {
        &self.config
    }

    pub(crate) fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(Arc::clone(&self.config))
    }
}

/// The settings of a [`Tls`] built from PEM files, from [`Tls::builder`].
#[derive(Debug, Clone, Default)]
#[must_use = "a TlsBuilder does nothing until built"]
pub struct TlsBuilder {
    chain: Option<PathBuf>,
    key: Option<PathBuf>,
    client_ca: Option<PathBuf>,
    client_auth_optional: bool,
}

impl TlsBuilder {
    /// The server's certificate chain: a PEM file with the server's certificate first, then
    /// the intermediates.
    pub fn certificate_chain_file(mut self, path: impl Into<PathBuf>) -> TlsBuilder {
        self.chain = Some(path.into());
        self
    }

    /// The server's private key: a PEM file (PKCS#8, PKCS#1 or SEC1), unencrypted.
    pub fn private_key_file(mut self, path: impl Into<PathBuf>) -> TlsBuilder {
        self.key = Some(path.into());
        self
    }

    /// Verifies client certificates against the authorities of this PEM file: a client
    /// without a valid one is refused during the handshake (unless
    /// [`client_auth_optional`](TlsBuilder::client_auth_optional)).
    pub fn client_ca_file(mut self, path: impl Into<PathBuf>) -> TlsBuilder {
        self.client_ca = Some(path.into());
        self
    }

    /// With a [client authority](TlsBuilder::client_ca_file): clients without a certificate
    /// are let in too (one that sends a certificate must still send a valid one).
    pub fn client_auth_optional(mut self, optional: bool) -> TlsBuilder {
        self.client_auth_optional = optional;
        self
    }

    /// Reads the files and builds the configuration, offering HTTP/2 and HTTP/1.1 by ALPN.
    ///
    /// # Panics
    ///
    /// The certificate chain or the private key was not set.
    ///
    /// # Errors
    ///
    /// A file cannot be read or holds no usable PEM item, or rustls refuses the certificate
    /// and key (a key that does not match the certificate); each message names the file.
    #[track_caller]
    pub fn build(self) -> io::Result<Tls> {
        let (Some(chain), Some(key)) = (self.chain, self.key) else {
            panic!("TLS needs a certificate chain file and a private key file");
        };
        let certs = read_certs(&chain)?;
        let key =
            PrivateKeyDer::from_pem_file(&key).map_err(|e| pem_error(&key, "a private key", &e))?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?;
        let builder = match &self.client_ca {
            None => builder.with_no_client_auth(),
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                for cert in read_certs(ca)? {
                    roots.add(cert).map_err(|e| {
                        io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("client authority in {}: {e}", ca.display()),
                        )
                    })?;
                }
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                    Arc::new(roots),
                    provider,
                );
                let verifier = if self.client_auth_optional {
                    verifier.allow_unauthenticated()
                } else {
                    verifier
                };
                let verifier = verifier.build().map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("client authority in {}: {e}", ca.display()),
                    )
                })?;
                builder.with_client_cert_verifier(verifier)
            }
        };
        let mut config = builder.with_single_cert(certs, key).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the certificate in {} and its key: {e}", chain.display()),
            )
        })?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Tls::from_config(Arc::new(config)))
    }
}

fn read_certs(path: &Path) -> io::Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| pem_error(path, "certificates", &e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_error(path, "certificates", &e))?;
    if certs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} holds no PEM certificate", path.display()),
        ));
    }
    Ok(certs)
}

fn pem_error(path: &Path, what: &str, e: &rustls::pki_types::pem::Error) -> io::Error {
    let kind = match e {
        rustls::pki_types::pem::Error::Io(e) => e.kind(),
        _ => io::ErrorKind::InvalidData,
    };
    io::Error::new(kind, format!("reading {what} from {}: {e}", path.display()))
}
