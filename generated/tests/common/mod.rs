//! Helpers shared by the loopback tests.

pub mod seed;
pub mod server;
