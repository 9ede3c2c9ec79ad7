//! Serve [`xmlrpc`] services over HTTP with axum.
//!
//! The router and the stand-alone server arrive with the serving work; today this crate only
//! ties the workspace together.
