//! Connections with libpq semantics: connection strings (URLs and `key=value`), the `PG*` environment,
//! `.pgpass`, TLS with every `sslmode`, multiple hosts and `target_session_attrs`, and errors that name the
//! host and never the password.
//!
//! A leaf module: it depends on no other part of accrete, and everything that connects goes through it.
//! Passwords are held in [`Secret`], whose `Debug` and `Display` never print them.

mod connect;
mod conninfo;
mod errors;
mod keywords;
mod params;
mod pgpass;
mod resolve;
mod tls;

pub use connect::{Connection, connect};
pub use conninfo::{ConnInfo, is_uri, parse_conninfo};
pub use errors::{ConnectError, ConnectErrorKind};
pub use params::{
    ChannelBinding, ConnParams, Endpoint, Host, Keepalives, RootCert, Secret, SslMode, TargetSessionAttrs,
    TlsParams, TlsVersion,
};
pub use resolve::{
    DEFAULT_PORT, Env, default_socket_dir, home_dir, os_user_name, params_from_string, process_env, resolve,
};
