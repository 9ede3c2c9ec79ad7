//! Helpers shared by the integration tests.

pub mod cases;
pub mod certs;
pub mod python;
pub mod server;
pub mod serving;
