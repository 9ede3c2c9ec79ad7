//! Against a real rTorrent (Debian's `rtorrent`, 0.9.8, with xmlrpc-c inside), started
//! headless, over SCGI: on a Unix socket (`network.scgi.open_local`) and on a TCP port
//! (`network.scgi.open_port`). rTorrent answers every integer as `<i8>`, even `0`.

use xmlrpc::client::Client;
use xmlrpc::{CallError, Value, xmlrpc_client};

use super::*;

/// The part of rTorrent's API the test calls.
#[xmlrpc_client]
trait Rtorrent {
    #[xmlrpc(name = "system.client_version")]
    fn client_version(&self) -> String;
    #[xmlrpc(name = "system.library_version")]
    fn library_version(&self) -> String;
    #[xmlrpc(name = "throttle.global_down.max_rate")]
    fn download_limit(&self) -> i64;
    #[xmlrpc(name = "d.multicall2")]
    fn torrents(&self, target: &str, view: &str, hash: &str, name: &str) -> Vec<(String, String)>;
}

/// rTorrent in a temporary folder, with SCGI where `scgi` (a config line) says.
pub(super) struct Rtorrent {
    pub(super) daemon: Daemon,
    dir: TempDir,
}

impl Rtorrent {
    pub(super) fn start(scgi: impl FnOnce(&std::path::Path) -> String) -> Rtorrent {
        let rtorrent = require("rtorrent", "rtorrent");
        let dir = TempDir::new("rtorrent");
        let session = dir.0.join("session");
        std::fs::create_dir_all(&session).expect("a session folder");
        let config = format!(
            "session.path.set = {session}\ndirectory.default.set = {d}\n{scgi}\n\
             network.port_open.set = no\ndht.mode.set = disable\nprotocol.pex.set = no\n\
             trackers.use_udp.set = no\nsystem.daemon.set = true\n",
            session = session.display(),
            d = dir.0.display(),
            scgi = scgi(&dir.0),
        );
        let path = dir.0.join("rtorrent.rc");
        std::fs::write(&path, config).expect("writing the configuration");
        let import = format!("import={}", path.display());
        let daemon = Daemon::start(
            "rtorrent",
            &rtorrent,
            &["-n".as_ref(), "-o".as_ref(), import.as_ref()],
            &dir.0,
        );
        Rtorrent { daemon, dir }
    }

    pub(super) fn socket(&self) -> std::path::PathBuf {
        self.dir.0.join("rtorrent.sock")
    }
}

/// Calls `system.client_version` until rTorrent answers (it opens its socket once its
/// configuration is read), bounded by [`HANG_GUARD`].
async fn wait_for(client: &RtorrentClient<Client>, rtorrent: &mut Rtorrent) -> String {
    let started = std::time::Instant::now();
    loop {
        match client.client_version().await {
            Ok(version) => return version,
            Err(e) if e.is_connect() => {
                if let Ok(Some(status)) = rtorrent.daemon.child.try_wait() {
                    panic!("rtorrent exited ({status}) before answering");
                }
                assert!(
                    started.elapsed() < HANG_GUARD,
                    "rtorrent did not answer: {e}"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("system.client_version: {e}"),
        }
    }
}

#[tokio::test]
async fn rtorrent_over_scgi_on_a_unix_socket() {
    let mut rtorrent = tokio::task::spawn_blocking(|| {
        Rtorrent::start(|dir| {
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
    let client = Client::builder(&format!("scgi+unix://{encoded}/RPC2"))
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let typed = RtorrentClient::new(client.clone());

    let version = wait_for(&typed, &mut rtorrent).await;
    assert!(version.starts_with("0.9."), "{version}");
    assert!(
        typed
            .library_version()
            .await
            .expect("the library version")
            .starts_with("0.13."),
    );

    let methods: Vec<String> = client
        .call("system.listMethods", ())
        .await
        .expect("listMethods");
    for name in [
        "system.client_version",
        "system.multicall",
        "d.multicall2",
        "throttle.global_down.max_rate",
    ] {
        assert!(methods.iter().any(|m| m == name), "{name}");
    }

    // Integers come as <i8>, even 0; the dynamic form keeps that.
    assert_eq!(typed.download_limit().await.expect("the limit"), 0);
    let limit = client
        .call_value("throttle.global_down.max_rate", &[])
        .await
        .expect("the limit");
    assert_eq!(limit, Value::I8(0));

    // No torrents loaded: an empty list of (hash, name).
    let torrents = typed
        .torrents("", "main", "d.hash=", "d.name=")
        .await
        .expect("d.multicall2");
    assert!(torrents.is_empty(), "{torrents:?}");

    // system.multicall, in the standard shape, typed.
    let (client_version, limit, unknown) = typed
        .multicall()
        .client_version()
        .download_limit()
        .torrents("", "no-such-view", "d.hash=", "d.name=")
        .send()
        .await
        .expect("a multicall");
    assert_eq!(client_version.as_deref(), Ok(version.as_str()));
    assert_eq!(limit, Ok(0));
    let fault = unknown.unwrap_err();
    assert!(fault.string().contains("view"), "{fault}");

    // A method it does not have: a fault, answered over SCGI.
    let err = client.call::<i32>("no.such.method", ()).await.unwrap_err();
    assert!(matches!(err, CallError::Fault(_)), "{err:?}");

    // Answers' headers: rTorrent's CGI-style head.
    let answer = client
        .request("system.client_version")
        .send_response::<String>()
        .await
        .expect("an answer");
    assert_eq!(
        answer.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"text/xml"[..])
    );

    tokio::task::spawn_blocking(move || drop(rtorrent))
        .await
        .expect("rtorrent stops");
}

#[tokio::test]
async fn rtorrent_over_scgi_on_a_tcp_port() {
    let port = xmlrpc_tests::server::free_port();
    let mut rtorrent = tokio::task::spawn_blocking(move || {
        Rtorrent::start(|_| format!("network.scgi.open_port = 127.0.0.1:{port}"))
    })
    .await
    .expect("rtorrent starts");
    let client = Client::builder(&format!("scgi://127.0.0.1:{port}/RPC2"))
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let typed = RtorrentClient::new(client.clone());
    let version = wait_for(&typed, &mut rtorrent).await;
    assert!(version.starts_with("0.9."), "{version}");
    let mut multi = client.multicall();
    multi
        .call("system.client_version", ())
        .call("system.time_seconds", ());
    let (again, now): (Answer<String>, Answer<i64>) = multi.send().await.expect("a multicall");
    assert_eq!(again.as_deref(), Ok(version.as_str()));
    assert!(now.expect("the time") > 1_600_000_000);
    tokio::task::spawn_blocking(move || drop(rtorrent))
        .await
        .expect("rtorrent stops");
}
