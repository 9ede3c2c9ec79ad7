// What #[xmlrpc_client] takes: namespaces and names, borrowed and optional parameters,
// plain, unit and Result results, a renamed client, async declarations, and the typed
// multicall; run against a registry in process.
use serde::{Deserialize, Serialize};
use xmlrpc::{Fault, Registry, xmlrpc_client};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Info {
    pub name: String,
    pub pid: i32,
}

/// The process manager's API.
#[xmlrpc_client(namespace = "pm", rename_all = "camelCase", client = "Pm")]
pub trait ProcessManager {
    /// All processes.
    fn all_process_info(&self) -> Vec<Info>;

    async fn start(&self, name: &str, wait: Option<bool>, timeout: Option<i32>) -> bool;

    #[xmlrpc(name = "tail.log")]
    fn tail(&self, names: &[&str]) -> Result<String, xmlrpc::CallError>;

    fn clear(&self);

    fn r#type(&self) -> String;
}

#[xmlrpc_client]
trait Empty {}

fn registry() -> Registry {
    Registry::new()
        .function("pm.allProcessInfo", || vec![Info { name: "web".into(), pid: 7 }])
        .function("pm.start", |name: String, wait: Option<bool>, timeout: Option<i32>| {
            format!("{name}{wait:?}{timeout:?}") == "webSome(true)None"
        })
        .function("pm.tail.log", |names: Vec<String>| names.join(","))
        .function("pm.clear", || ())
        .function("pm.type", || "supervisor")
}

/// Runs a future that needs no reactor (the registry answers in process) to its end.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::yield_now();
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = registry();
    let pm = Pm::new(&registry);
    block_on(async {
        assert_eq!(pm.all_process_info().await?, [Info { name: "web".into(), pid: 7 }]);
        assert!(pm.start("web", Some(true), None).await?);
        assert_eq!(pm.tail(&["a", "b"]).await?, "a,b");
        pm.clear().await?;
        assert_eq!(pm.r#type().await?, "supervisor");
        let (info, started, kind): (Result<Vec<Info>, Fault>, Result<bool, Fault>, Result<String, Fault>) =
            pm.multicall().all_process_info().start("web", Some(true), None).r#type().send().await?;
        assert_eq!(info?.len(), 1);
        assert!(started?);
        assert_eq!(kind?, "supervisor");
        let _ = EmptyClient::new(&registry).transport();
        Ok::<(), Box<dyn std::error::Error>>(())
    })?;
    Ok(())
}
