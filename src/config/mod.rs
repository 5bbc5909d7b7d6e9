//! Configuration: `accrete.toml` and which target a command uses, so that every command finds its target
//! the same way. Connecting itself is [`crate::conn`]'s.

pub mod file;
pub mod fleet;
mod target;

pub use file::{
    DEFAULT_INSPECT_CONNECTIONS, DEFAULT_LOAD_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, FileConfig, FileError,
    TargetConfig, load as load_file,
};
pub use target::{TARGET_VARIABLES, TargetSource, resolve_target};
