//! Against a real supervisord (Debian's `supervisor`, 4.2), over its Unix socket: a typed
//! client from a trait, faults, and multicall with results unwrapped, as supervisord
//! answers them.

use serde::Deserialize;
use xmlrpc::client::{Client, MulticallShape};
use xmlrpc::{CallError, xmlrpc_client};

use super::*;

/// What `supervisor.getState` answers.
#[derive(Debug, Deserialize, PartialEq)]
struct State {
    statecode: i32,
    statename: String,
}

/// An entry of `supervisor.getAllProcessInfo`.
#[derive(Debug, Deserialize)]
struct ProcessInfo {
    name: String,
    group: String,
    statename: String,
    pid: i32,
}

/// The part of supervisord's API the test calls.
#[xmlrpc_client(namespace = "supervisor", rename_all = "camelCase")]
trait Supervisor {
    fn get_state(&self) -> State;
    #[xmlrpc(name = "getPID")]
    fn get_pid(&self) -> i32;
    fn get_supervisor_version(&self) -> String;
    fn get_all_process_info(&self) -> Vec<ProcessInfo>;
    fn start_process(&self, name: &str, wait: Option<bool>) -> bool;
    fn stop_process(&self, name: &str, wait: Option<bool>) -> bool;
}

/// supervisord in a temporary folder, serving its Unix socket, with one program.
pub(super) struct Supervisord {
    // Dropped first: the process stops before its folder goes.
    pub(super) daemon: Daemon,
    pub(super) socket: std::path::PathBuf,
    _dir: TempDir,
}

impl Supervisord {
    pub(super) fn start() -> Supervisord {
        let supervisord = require("supervisord", "supervisor");
        let dir = TempDir::new("supervisord");
        let socket = dir.0.join("supervisor.sock");
        let config = format!(
            "[unix_http_server]\nfile={sock}\n\n\
             [supervisord]\nnodaemon=true\npidfile={d}/supervisord.pid\nlogfile={d}/supervisord.log\n\
             childlogdir={d}\ndirectory={d}\n\n\
             [rpcinterface:supervisor]\n\
             supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n\
             [program:sleeper]\ncommand=/bin/sleep 1000\nautostart=true\nstartsecs=0\n",
            sock = socket.display(),
            d = dir.0.display(),
        );
        let path = dir.0.join("supervisord.conf");
        std::fs::write(&path, config).expect("writing the configuration");
        let mut daemon = Daemon::start(
            "supervisord",
            &supervisord,
            &["-c".as_ref(), path.as_os_str()],
            &dir.0,
        );
        let probe = socket.clone();
        daemon.wait_until("its socket exists", || probe.exists());
        Supervisord {
            daemon,
            socket,
            _dir: dir,
        }
    }

    /// A client over the Unix socket, in the `http+unix://` form.
    fn client(&self, shape: MulticallShape) -> Client {
        let encoded: String = self
            .socket
            .to_string_lossy()
            .replace('%', "%25")
            .replace('/', "%2F");
        Client::builder(&format!("http+unix://{encoded}/RPC2"))
            .multicall_shape(shape)
            .timeout(HANG_GUARD)
            .build()
            .expect("a valid client")
    }
}

#[tokio::test]
async fn supervisord_over_its_unix_socket() {
    let server = tokio::task::spawn_blocking(Supervisord::start)
        .await
        .expect("supervisord starts");
    let client = server.client(MulticallShape::Unwrapped);
    let supervisor = SupervisorClient::new(client.clone());

    // Ready once it answers with RUNNING, and its program is running.
    let mut state = None;
    for _ in 0..200 {
        match supervisor.get_state().await {
            Ok(s) if s.statename == "RUNNING" => {
                state = Some(s);
                break;
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    assert_eq!(
        state,
        Some(State {
            statecode: 1,
            statename: "RUNNING".into()
        })
    );
    assert_eq!(
        supervisor.get_pid().await.expect("getPID"),
        i32::try_from(server.daemon.pid()).expect("a PID")
    );
    assert!(
        supervisor
            .get_supervisor_version()
            .await
            .expect("the version")
            .starts_with("4."),
        "supervisord 4 is what the test was written against"
    );

    let methods: Vec<String> = client
        .call("system.listMethods", ())
        .await
        .expect("listMethods");
    for name in [
        "supervisor.getState",
        "supervisor.getAllProcessInfo",
        "supervisor.startProcess",
        "system.multicall",
    ] {
        assert!(methods.iter().any(|m| m == name), "{name} in {methods:?}");
    }

    let mut sleeper = None;
    for _ in 0..200 {
        let all = supervisor
            .get_all_process_info()
            .await
            .expect("getAllProcessInfo");
        if let Some(p) = all.into_iter().find(|p| p.name == "sleeper") {
            if p.statename == "RUNNING" {
                sleeper = Some(p);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sleeper = sleeper.expect("the sleeper program runs");
    assert_eq!(sleeper.group, "sleeper");
    assert!(sleeper.pid > 0);

    // A process it does not know: fault 10, BAD_NAME.
    let err = supervisor.start_process("nope", None).await.unwrap_err();
    let CallError::Fault(fault) = &err else {
        panic!("expected a fault, got {err:?}")
    };
    assert_eq!((fault.code(), fault.string()), (10, "BAD_NAME: nope"));

    // Stopped and started again, waiting (the optional parameter sent).
    assert!(
        supervisor
            .stop_process("sleeper", Some(true))
            .await
            .expect("stopProcess")
    );
    assert!(
        supervisor
            .start_process("sleeper", None)
            .await
            .expect("startProcess")
    );

    // A typed multicall, with the results as supervisord shapes them.
    let (state, pid, version) = supervisor
        .multicall()
        .get_state()
        .get_pid()
        .get_supervisor_version()
        .send()
        .await
        .expect("a multicall");
    assert_eq!(state.expect("getState").statename, "RUNNING");
    assert_eq!(
        pid.expect("getPID"),
        i32::try_from(server.daemon.pid()).expect("a PID")
    );
    assert!(version.expect("the version").starts_with("4."));
    // A method it does not have is a fault of its own, in its place.
    let mut multi = client.multicall();
    multi
        .call("supervisor.getPID", ())
        .call("supervisor.noSuchMethod", ());
    let (pid, unknown): (Answer<i32>, Answer<i32>) = multi.send().await.expect("a multicall");
    assert!(pid.is_ok(), "{pid:?}");
    let unknown = unknown.unwrap_err();
    assert_eq!((unknown.code(), unknown.string()), (1, "UNKNOWN_METHOD"));

    // In the standard shape, the error names the setting that reads this server.
    let standard = SupervisorClient::new(server.client(MulticallShape::Standard));
    let err = standard.multicall().get_state().send().await.unwrap_err();
    assert!(matches!(err, CallError::Decode(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("multicall_shape(MulticallShape::Unwrapped)"),
        "{err}"
    );

    tokio::task::spawn_blocking(move || drop(server))
        .await
        .expect("supervisord stops");
}

#[tokio::test]
async fn a_unix_socket_given_beside_an_http_url() {
    let server = tokio::task::spawn_blocking(Supervisord::start)
        .await
        .expect("supervisord starts");
    let client = Client::builder("http://localhost/RPC2")
        .unix_socket(&server.socket)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let supervisor = SupervisorClient::new(client);
    let mut pid = None;
    for _ in 0..200 {
        match supervisor.get_pid().await {
            Ok(p) => {
                pid = Some(p);
                break;
            }
            Err(e) if e.is_connect() => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("getPID: {e}"),
        }
    }
    assert_eq!(pid, i32::try_from(server.daemon.pid()).ok());
    tokio::task::spawn_blocking(move || drop(server))
        .await
        .expect("supervisord stops");
}
