//! PostgreSQL server binaries and the clusters accrete runs itself: the embedded local database
//! ([`local`]), the scratch clusters that normalize the desired state ([`scratch`]), and the clusters the
//! integration tests start.
//!
//! Every accrete-managed cluster goes through one code path, [`ensure_cluster`], keyed by a base directory
//! that holds a lock file, a JSON state file and the server log. Invariants it keeps:
//! - at most one server per base directory: starts are serialized by an exclusive `flock` on `<base>/lock`,
//!   and a running server (its `postmaster.pid` names a live process that reports `ready` and its socket
//!   accepts) is reused rather than started again;
//! - a data directory is only ever run by binaries of its own major (`PG_VERSION`); anything else is refused;
//! - servers listen on a Unix socket only (`listen_addresses = ''`), in a short directory under `/tmp` that
//!   only the server's OS user (and root) can enter, with `trust` authentication;
//! - `initdb` and `postgres` never run as root: as root they run as `postgres` (or `nobody`), and the data
//!   directory is placed where that user can reach it (recorded in the state file);
//! - the postmaster runs in its own session (started through `pg_ctl`, which calls `setsid`), so a Ctrl-C at
//!   the terminal does not stop it.

mod access;
mod binaries;
mod cluster;
mod database;
pub mod local;
pub mod scratch;
mod state;

pub use binaries::{
    OLDEST_ACCEPTED_MAJOR, PgBinaries, SUPPORTED_MAJORS, available_majors, find_binaries, parse_version,
};
pub use cluster::{Cluster, ensure_cluster, recorded_major, running_cluster, stop_cluster};
pub use database::{create_database, drop_database};
pub use state::MAX_SOCKET_PATH;
pub(crate) use state::pid_alive;
