//! Compile-fail and pass tests of the `#[xmlrpc_service]` macro live in `tests/`.
