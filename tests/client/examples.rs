//! The client examples run as programs, as their users run them: `odoo_client` against a
//! stand-in written with the toolkit's own server macro that answers as Odoo does, over
//! HTTPS with a private certificate authority; `supervisor_client` and `rtorrent_client`
//! against the real servers.

use std::process::Output;
use std::sync::Arc;

use serde::Serialize;
use xmlrpc::{Endpoint, Fault, Registry, Struct, Value, xmlrpc_service};

use super::*;

/// Odoo's `/xmlrpc/2/common`.
struct Common;

/// What Odoo 17's `version()` answers.
#[derive(Serialize)]
struct Version {
    server_version: &'static str,
    server_version_info: (i32, i32, i32, &'static str, i32, &'static str),
    server_serie: &'static str,
    protocol_version: i32,
}

const DB: &str = "demo";
const LOGIN: &str = "admin";
const PASSWORD: &str = "s3cret";
const UID: i32 = 2;

#[xmlrpc_service]
impl Common {
    /// The server's version.
    pub fn version(&self) -> Version {
        Version {
            server_version: "17.0",
            server_version_info: (17, 0, 0, "final", 0, ""),
            server_serie: "17.0",
            protocol_version: 1,
        }
    }

    /// The user's id, or `false`, as Odoo answers a refused login.
    pub fn authenticate(&self, db: String, login: String, password: String, _env: Struct) -> Value {
        if (db.as_str(), login.as_str(), password.as_str()) == (DB, LOGIN, PASSWORD) {
            Value::Int(UID)
        } else {
            Value::Bool(false)
        }
    }
}

/// Odoo's `/xmlrpc/2/object`, with two companies and a person in `res.partner`.
struct Object;

/// A partner as the stand-in stores it: empty fields are `false` on the wire, many-to-one
/// fields `[id, name]`.
fn partners() -> Vec<(bool, Struct)> {
    let partner = |name: &str, country: Option<(i32, &str)>, email: Option<&str>| {
        let mut s = Struct::new();
        s.push("name", name);
        s.push(
            "country_id",
            country.map_or(Value::Bool(false), |(id, n)| {
                Value::Array(vec![Value::Int(id), Value::from(n)])
            }),
        );
        s.push("email", email.map_or(Value::Bool(false), Value::from));
        s
    };
    vec![
        (
            true,
            partner(
                "Azure Interior",
                Some((233, "United States")),
                Some("azure.Interior24@example.com"),
            ),
        ),
        (true, partner("Deco Addict", None, None)),
        (
            false,
            partner("Brandon Freeman", Some((233, "United States")), None),
        ),
    ]
}

/// The domain `[("is_company", "=", true)]`, the only one the stand-in knows.
fn companies_only(args: &[Value]) -> Result<bool, Fault> {
    let domain = args
        .first()
        .and_then(Value::as_array)
        .ok_or_else(|| Fault::new(1, "the first positional argument is the domain"))?;
    let wanted = Value::Array(vec![
        Value::from("is_company"),
        Value::from("="),
        Value::Bool(true),
    ]);
    match domain {
        [] => Ok(false),
        [term] if *term == wanted => Ok(true),
        _ => Err(Fault::new(1, format!("unknown domain {domain:?}"))),
    }
}

#[xmlrpc_service]
impl Object {
    /// Runs `method` of `model` with positional `args` and keyword `kwargs`.
    #[allow(clippy::too_many_arguments)]
    pub fn execute_kw(
        &self,
        db: String,
        uid: i32,
        password: String,
        model: String,
        method: String,
        args: Vec<Value>,
        kwargs: Option<Struct>,
    ) -> Result<Value, Fault> {
        if db != DB || uid != UID || password != PASSWORD {
            return Err(Fault::new(3, "Access Denied"));
        }
        if model != "res.partner" {
            return Err(Fault::new(2, format!("Object {model} doesn't exist")));
        }
        let kwargs = kwargs.unwrap_or_default();
        let chosen = |args: &[Value]| -> Result<Vec<Struct>, Fault> {
            let only = companies_only(args)?;
            Ok(partners()
                .into_iter()
                .filter(|(company, _)| !only || *company)
                .map(|(_, p)| p)
                .collect())
        };
        match method.as_str() {
            "check_access_rights" => {
                let mode = args.first().and_then(Value::as_str);
                let raise = kwargs
                    .get("raise_exception")
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                match (mode, raise) {
                    (Some("read"), _) => Ok(Value::Bool(true)),
                    (_, false) => Ok(Value::Bool(false)),
                    _ => Err(Fault::new(4, "AccessError")),
                }
            }
            "search_count" => Ok(Value::Int(
                i32::try_from(chosen(&args)?.len()).unwrap_or(i32::MAX),
            )),
            "search_read" => {
                let limit = kwargs
                    .get("limit")
                    .and_then(Value::as_i64)
                    .and_then(|l| usize::try_from(l).ok())
                    .unwrap_or(usize::MAX);
                let fields: Vec<String> = kwargs
                    .get("fields")
                    .and_then(Value::as_array)
                    .map(|f| {
                        f.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                let records = chosen(&args)?
                    .into_iter()
                    .take(limit)
                    .map(|record| {
                        let mut out = Struct::new();
                        out.push("id", 1);
                        for field in &fields {
                            if let Some(v) = record.get(field) {
                                out.push(field.as_str(), v.clone());
                            }
                        }
                        Value::Struct(out)
                    })
                    .collect();
                Ok(Value::Array(records))
            }
            other => Err(Fault::new(
                2,
                format!("The method '{other}' does not exist on the model 'res.partner'"),
            )),
        }
    }
}

/// The stand-in's two endpoints served over HTTPS on a loopback port with the certificate
/// at `cert` (and its key), until the task is aborted.
async fn serve_odoo(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> (u16, tokio::task::JoinHandle<()>) {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let router = axum::Router::new()
        .merge(
            xmlrpc_axum::XmlRpc::new(
                Endpoint::new(Registry::new().service(Common)).paths(["/xmlrpc/2/common"]),
            )
            .into_router(),
        )
        .merge(
            xmlrpc_axum::XmlRpc::new(
                Endpoint::new(Registry::new().service(Object)).paths(["/xmlrpc/2/object"]),
            )
            .into_router(),
        );
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .expect("the certificate file")
        .collect::<Result<_, _>>()
        .expect("the certificate");
    let key = PrivateKeyDer::from_pem_file(key).expect("the key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("a TLS configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let router = router.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper_util::service::TowerToHyperService::new(router);
                let _ = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
            });
        }
    });
    (port, task)
}

/// Runs example `name` with `args`, off the runtime's threads.
async fn run_example(name: &'static str, args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(xmlrpc_tests::examples::binary(name))
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("running {name}: {e}"))
    })
    .await
    .expect("the example ran")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odoo_client_against_a_stand_in_over_https() {
    let dir = TempDir::new("odoo");
    let (_ca, cert, key) = make_certificates(&dir.0);
    let (port, server) = serve_odoo(&cert, &key).await;
    let args = |password: &str| {
        vec![
            "--url".to_owned(),
            format!("https://127.0.0.1:{port}"),
            "--db".to_owned(),
            DB.to_owned(),
            "--user".to_owned(),
            LOGIN.to_owned(),
            "--password".to_owned(),
            password.to_owned(),
            "--ca".to_owned(),
            dir.0.join("ca.pem").display().to_string(),
        ]
    };
    let out = run_example("odoo_client", args(PASSWORD)).await;
    assert_eq!(
        stdout(&out),
        "Odoo 17.0 (protocol 1)\n\
         logged in as user 2\n\
         may read partners: true\n\
         2 companies\n\
         Azure Interior (United States) <azure.Interior24@example.com>\n\
         Deco Addict (no country) <no email>\n"
    );

    let refused = run_example("odoo_client", args("wrong")).await;
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("login refused"), "{stderr}");

    // Without the private authority, the server is not trusted.
    let mut untrusted = args(PASSWORD);
    untrusted.truncate(8);
    let out = run_example("odoo_client", untrusted).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("certificate"), "{stderr}");
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisor_client_against_a_real_supervisord() {
    let server = tokio::task::spawn_blocking(super::supervisord::Supervisord::start)
        .await
        .expect("supervisord starts");
    let encoded = server
        .socket
        .to_string_lossy()
        .replace('%', "%25")
        .replace('/', "%2F");
    let url = format!("http+unix://{encoded}/RPC2");
    let with = |words: &[&str]| {
        let mut args = vec!["--url".to_owned(), url.clone()];
        args.extend(words.iter().map(|w| (*w).to_owned()));
        args
    };
    // Until its program runs (started with supervisord, it may still be starting).
    let mut status = String::new();
    for _ in 0..200 {
        let out = run_example("supervisor_client", with(&["status"])).await;
        if out.status.success() {
            status = String::from_utf8_lossy(&out.stdout).into_owned();
            if status.contains("RUNNING   pid") {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut lines = status.lines();
    let head = lines.next().unwrap_or_default();
    assert!(
        head.starts_with("supervisord 4.")
            && head.ends_with(&format!("RUNNING (pid {})", server.daemon.pid())),
        "{status}"
    );
    let sleeper = lines.next().unwrap_or_default();
    assert!(sleeper.starts_with("sleeper "), "{status}");
    assert!(sleeper.contains(" RUNNING   pid "), "{status}");

    let out = run_example("supervisor_client", with(&["stop", "sleeper"])).await;
    assert_eq!(stdout(&out), "sleeper: stopped\n");
    let out = run_example("supervisor_client", with(&["status"])).await;
    assert!(stdout(&out).contains(" STOPPED "), "{}", stdout(&out));
    let out = run_example("supervisor_client", with(&["start", "nope"])).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("BAD_NAME: nope"), "{stderr}");
    tokio::task::spawn_blocking(move || drop(server))
        .await
        .expect("supervisord stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rtorrent_client_against_a_real_rtorrent() {
    let rtorrent = tokio::task::spawn_blocking(|| {
        super::rtorrent::Rtorrent::start(|dir| {
            format!(
                "network.scgi.open_local = {}",
                dir.join("rtorrent.sock").display()
            )
        })
    })
    .await
    .expect("rtorrent starts");
    let encoded = rtorrent
        .socket()
        .to_string_lossy()
        .replace('%', "%25")
        .replace('/', "%2F");
    let args = vec!["--url".to_owned(), format!("scgi+unix://{encoded}")];
    let mut out = run_example("rtorrent_client", args.clone()).await;
    for _ in 0..200 {
        if out.status.success() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        out = run_example("rtorrent_client", args.clone()).await;
    }
    let text = stdout(&out);
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("rTorrent 0.9.") && l.contains("(libtorrent 0.13.")),
        "{text}"
    );
    assert_eq!(
        lines.collect::<Vec<_>>(),
        [
            "download limit: unlimited",
            "upload limit: unlimited",
            "0 torrents"
        ]
    );
    tokio::task::spawn_blocking(move || drop(rtorrent))
        .await
        .expect("rtorrent stops");
}
