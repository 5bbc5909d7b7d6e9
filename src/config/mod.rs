//! Configuration: `accrete.toml` and which target a command uses, so that every command finds its target
//! the same way. Connecting itself is [`crate::conn`]'s.

pub mod file;
pub mod fleet;
mod target;

// The connection types as they were reached before they moved to `crate::conn`.
pub use crate::conn::{
    ChannelBinding, ConnInfo, ConnParams, ConnectError, ConnectErrorKind, Connection, DEFAULT_PORT, Endpoint,
    Env, Host, Keepalives, RootCert, Secret, SslMode, TargetSessionAttrs, TlsParams, TlsVersion, connect,
    default_socket_dir, home_dir, is_uri, os_user_name, params_from_string, parse_conninfo, process_env,
    resolve,
};
pub use crate::scope::Scope;
pub use file::{
    DEFAULT_LOAD_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, FileConfig, FileError, TargetConfig, load as load_file,
};
pub use target::{TARGET_VARIABLES, TargetSource, resolve_target};
