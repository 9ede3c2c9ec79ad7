//! Helpers shared by the integration tests.

pub mod capture;
pub mod cases;
pub mod certs;
pub mod examples;
pub mod python;
pub mod server;
pub mod serving;

/// The README's code, compiled as a doc test with the dependencies it uses.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
