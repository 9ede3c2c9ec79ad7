//! A small `supervisorctl`: the state of supervisord and of its processes, and starting or
//! stopping one, through a typed client generated from a trait that declares the part of
//! supervisord's XML-RPC API it uses.
//!
//! supervisorctl talks to supervisord over the Unix socket of `[unix_http_server]`, and so
//! does this program by default (Debian's is `/var/run/supervisor.sock`); an
//! `[inet_http_server]` is an `http://host:port/RPC2` URL. Its XML-RPC interface needs
//! `[rpcinterface:supervisor]` with
//! `supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface`.
//!
//! ```text
//! cargo run --example supervisor_client                      # status
//! cargo run --example supervisor_client -- stop web
//! cargo run --example supervisor_client -- --url http+unix://%2Ftmp%2Fsupervisor.sock/RPC2 start web
//! cargo run --example supervisor_client -- --url http://127.0.0.1:9001/RPC2 status
//! ```
//!
//! `status` prints what `supervisorctl status` prints, after supervisord's own state:
//!
//! ```text
//! supervisord 4.2.5 RUNNING (pid 1836)
//! web                              RUNNING   pid 1888, uptime 0:00:01
//! ```

use std::process::ExitCode;

use serde::Deserialize;
use xmlrpc::client::{Client, MulticallShape};
use xmlrpc::xmlrpc_client;

/// What `supervisor.getState` answers.
#[derive(Debug, Deserialize)]
struct State {
    statename: String,
}

/// One entry of `supervisor.getAllProcessInfo` (supervisord sends more members; the rest are
/// skipped).
#[derive(Debug, Deserialize)]
struct ProcessInfo {
    name: String,
    group: String,
    statename: String,
    description: String,
}

/// The part of supervisord's API this program calls: every name is `supervisor.` and the
/// method's name in camelCase, `getAllProcessInfo` for `get_all_process_info`.
#[xmlrpc_client(namespace = "supervisor", rename_all = "camelCase")]
trait Supervisor {
    /// The state of supervisord itself.
    fn get_state(&self) -> State;

    /// supervisord's own process id.
    #[xmlrpc(name = "getPID")]
    fn get_pid(&self) -> i32;

    /// supervisord's version.
    fn get_supervisor_version(&self) -> String;

    /// Every process it manages.
    fn get_all_process_info(&self) -> Vec<ProcessInfo>;

    /// Starts a process (`group:name`, or `name`); waits until it runs unless `wait` is
    /// `false`.
    fn start_process(&self, name: &str, wait: Option<bool>) -> bool;

    /// Stops a process; waits until it stopped unless `wait` is `false`.
    fn stop_process(&self, name: &str, wait: Option<bool>) -> bool;
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut url = "http+unix://%2Fvar%2Frun%2Fsupervisor.sock/RPC2".to_owned();
    let mut words = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--url" => url = args.next().unwrap_or_default(),
            _ => words.push(arg),
        }
    }
    // supervisord answers system.multicall with each result unwrapped.
    let client = match Client::builder(&url)
        .multicall_shape(MulticallShape::Unwrapped)
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let supervisor = SupervisorClient::new(client);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let done = match words.as_slice() {
        [] | ["status"] => status(&supervisor).await,
        ["start", name] => supervisor
            .start_process(name, None)
            .await
            .map(|_| println!("{name}: started")),
        ["stop", name] => supervisor
            .stop_process(name, None)
            .await
            .map(|_| println!("{name}: stopped")),
        _ => {
            eprintln!("usage: supervisor_client [--url URL] [status | start NAME | stop NAME]");
            return ExitCode::FAILURE;
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A fault is supervisord's answer: `BAD_NAME: web`, `ALREADY_STARTED: web`.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// supervisord's state, version and pid in one round trip, then each process.
async fn status(supervisor: &SupervisorClient<Client>) -> Result<(), xmlrpc::CallError> {
    let (state, version, pid) = supervisor
        .multicall()
        .get_state()
        .get_supervisor_version()
        .get_pid()
        .send()
        .await?;
    println!(
        "supervisord {} {} (pid {})",
        version?, state?.statename, pid?
    );
    for process in supervisor.get_all_process_info().await? {
        let name = if process.group == process.name {
            process.name
        } else {
            format!("{}:{}", process.group, process.name)
        };
        println!(
            "{name:<32} {:<9} {}",
            process.statename, process.description
        );
    }
    Ok(())
}
