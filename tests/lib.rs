//! Helpers shared by the integration tests.

pub mod cases;
pub mod python;
pub mod server;
