//! rTorrent's XML-RPC interface over SCGI, as ruTorrent and every rTorrent front end use
//! it: the version, the global download limit, and the list of torrents, through a typed
//! client generated from a trait.
//!
//! rTorrent serves SCGI, not HTTP, on a Unix socket (`network.scgi.open_local = PATH` in
//! `.rtorrent.rc`) or a TCP port (`network.scgi.open_port = 127.0.0.1:5000`). It answers
//! every integer as `<i8>`, even `0`, which any Rust integer type reads when it fits.
//!
//! ```text
//! cargo run --example rtorrent_client -- --url scgi+unix://%2Fhome%2Fme%2F.rtorrent.sock
//! cargo run --example rtorrent_client -- --url scgi://127.0.0.1:5000
//! ```
//!
//! It prints:
//!
//! ```text
//! rTorrent 0.9.8 (libtorrent 0.13.8)
//! download limit: unlimited
//! upload limit: 100 KiB/s
//! 0 torrents
//! ```

use std::process::ExitCode;

use xmlrpc::client::Client;
use xmlrpc::xmlrpc_client;

/// The methods this program calls; rTorrent's names have dots and underscores, so each is
/// given.
#[xmlrpc_client]
trait Rtorrent {
    #[xmlrpc(name = "system.client_version")]
    fn client_version(&self) -> String;

    #[xmlrpc(name = "system.library_version")]
    fn library_version(&self) -> String;

    /// Bytes per second, 0 for no limit.
    #[xmlrpc(name = "throttle.global_down.max_rate")]
    fn download_limit(&self) -> i64;

    /// Bytes per second, 0 for no limit.
    #[xmlrpc(name = "throttle.global_up.max_rate")]
    fn upload_limit(&self) -> i64;

    /// The torrents of `view` (`main` is all of them), each as the values of the commands
    /// asked for: here the hash, the name, the size and whether it is complete.
    #[xmlrpc(name = "d.multicall2")]
    fn torrents(
        &self,
        target: &str,
        view: &str,
        hash: &str,
        name: &str,
        size: &str,
        complete: &str,
    ) -> Vec<(String, String, i64, i64)>;
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut url = "scgi://127.0.0.1:5000/RPC2".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--url" {
            url = args.next().unwrap_or_default();
        } else {
            eprintln!("usage: rtorrent_client [--url scgi://HOST:PORT | scgi+unix://PATH]");
            return ExitCode::FAILURE;
        }
    }
    let client = match Client::new(&url) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&RtorrentClient::new(client)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(rtorrent: &RtorrentClient<Client>) -> Result<(), xmlrpc::CallError> {
    // Four calls in one system.multicall, each result typed.
    let (version, library, down, up) = rtorrent
        .multicall()
        .client_version()
        .library_version()
        .download_limit()
        .upload_limit()
        .send()
        .await?;
    println!("rTorrent {} (libtorrent {})", version?, library?);
    println!("download limit: {}", rate(down?));
    println!("upload limit: {}", rate(up?));

    let torrents = rtorrent
        .torrents(
            "",
            "main",
            "d.hash=",
            "d.name=",
            "d.size_bytes=",
            "d.complete=",
        )
        .await?;
    println!("{} torrents", torrents.len());
    for (hash, name, size, complete) in torrents {
        let done = if complete == 1 { "done" } else { "partial" };
        println!("{hash} {size:>14} {done:<7} {name}");
    }
    Ok(())
}

fn rate(bytes_per_second: i64) -> String {
    if bytes_per_second == 0 {
        "unlimited".to_owned()
    } else {
        format!("{} KiB/s", bytes_per_second / 1024)
    }
}
