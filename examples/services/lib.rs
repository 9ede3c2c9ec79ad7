//! The services behind the runnable examples, shared with the integration tests so that
//! the tests exercise exactly what the examples serve. Each example program is a few lines
//! around one of these modules: see the `[[example]]` entries of this package.

pub mod calculator;
pub mod cli;
pub mod demo;
pub mod validator1;

/// The README's code, compiled as a doc test with the dependencies it uses.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
