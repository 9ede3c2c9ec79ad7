//! The `#[xmlrpc_service]` attribute of the [`xmlrpc`](https://docs.rs/xmlrpc) crate.
//!
//! Use it through `xmlrpc::xmlrpc_service`; this crate is an implementation detail whose
//! version is pinned exactly by `xmlrpc`.
