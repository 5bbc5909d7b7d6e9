//! Configuration: `accrete.toml`, connection strings with libpq semantics, targets, and scope.
//!
//! Connection resolution lives here and only here, so that every command finds its target the same way.
//! Passwords are held in [`Secret`], whose `Debug` and `Display` never print them.

mod conn;
mod connect;
mod conninfo;
mod errors;
pub mod file;
mod keywords;
mod pgpass;
mod resolve;
mod scope;
mod target;
mod tls;

pub use conn::{
    ChannelBinding, ConnParams, Endpoint, Host, Keepalives, RootCert, Secret, SslMode, TargetSessionAttrs,
    TlsParams, TlsVersion,
};
pub use connect::{Connection, connect};
pub use conninfo::{ConnInfo, is_uri, parse_conninfo};
pub use errors::{ConnectError, ConnectErrorKind};
pub use file::{FileConfig, FileError, TargetConfig, load as load_file};
pub use resolve::{
    DEFAULT_PORT, Env, default_socket_dir, home_dir, os_user_name, params_from_string, process_env, resolve,
};
pub use scope::Scope;
pub use target::{TARGET_VARIABLES, TargetSource, resolve_target};
