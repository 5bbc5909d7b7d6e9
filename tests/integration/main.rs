//! The one integration-test binary: every test runs against a real PostgreSQL cluster that `support`
//! starts from the machine's server binaries.

mod apply;
mod cli;
mod commands;
mod config;
mod example;
mod external;
mod faults;
mod fleet;
mod hazard_sizes;
mod hostile;
mod inspect;
#[path = "../common/markdown_tables.rs"]
mod markdown_tables;
mod partition_indexes;
mod pg;
mod privileges;
mod prove;
mod pull;
mod rollback;
mod round_trip;
mod sandbox;
mod scenarios;
mod secrets;
mod snapshot;
mod source;
mod support;
mod toml;
