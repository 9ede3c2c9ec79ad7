//! The example programs of `examples/`, built and run as their users run them, so that the
//! tests check exactly the code a reader follows.

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::server::{HANG_GUARD, free_port};

/// The folder cargo puts this build's programs in (`target/debug`), found from the running
/// test's own path (`target/debug/deps/<test>`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(std::path::Path::to_path_buf)
        .expect("tests run from target/<profile>/deps")
}

/// The program of example `name`, built first (once per test process) with the cargo that
/// runs the tests: a build that is up to date costs a second.
///
/// # Panics
///
/// When the examples do not build.
pub fn binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let target_dir = profile_dir()
            .parent()
            .map(std::path::Path::to_path_buf)
            .expect("target/<profile>");
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "xmlrpc-examples", "--examples"])
            .arg("--target-dir")
            .arg(&target_dir)
            .stdin(Stdio::null())
            .status()
            .expect("running cargo to build the examples");
        assert!(status.success(), "the examples do not build");
    });
    let path = profile_dir().join("examples").join(name);
    assert!(path.is_file(), "no example program at {}", path.display());
    path
}

/// An example server running on a free loopback port, killed when dropped.
#[derive(Debug)]
pub struct ExampleServer {
    child: Child,
    addr: SocketAddr,
}

impl ExampleServer {
    /// Starts example `name` with `--addr 127.0.0.1:<free port>` and `args`, and waits
    /// until it accepts connections.
    ///
    /// # Panics
    ///
    /// When it does not start, or exits, or does not listen within [`HANG_GUARD`].
    pub fn start(name: &str, args: &[&str]) -> ExampleServer {
        ExampleServer::start_with_env(name, args, &[])
    }

    /// [`ExampleServer::start`] with environment variables set for the program.
    ///
    /// # Panics
    ///
    /// As [`ExampleServer::start`].
    pub fn start_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> ExampleServer {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port())
            .parse()
            .expect("a loopback address");
        let child = Command::new(binary(name))
            .arg("--addr")
            .arg(addr.to_string())
            .args(args)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("starting example {name}: {e}"));
        let mut server = ExampleServer { child, addr };
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("example {name} exited before listening: {status}");
            }
            assert!(
                started.elapsed() < HANG_GUARD,
                "example {name} did not listen on {addr}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// The address it serves.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for ExampleServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
