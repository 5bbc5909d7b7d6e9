//! Configuration: `accrete.toml`, connection strings with libpq semantics, targets, and scope.
//!
//! Connection resolution lives here and only here, so that every command finds its target the same way.
//! Passwords are held in [`Secret`], whose `Debug` and `Display` never print them.

mod conn;
mod scope;

pub use conn::{ConnParams, Connection, Secret, connect};
pub use scope::Scope;
