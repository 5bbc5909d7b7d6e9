//! The one integration-test binary: every test runs against a real PostgreSQL cluster that `support`
//! starts from the machine's server binaries.

mod apply;
mod cli;
mod config;
mod cycle;
mod example;
mod external;
mod faults;
mod inspect;
mod partition_indexes;
mod pg;
mod privileges;
mod pull;
mod rollback;
mod scenarios;
mod secrets;
mod source;
mod support;
mod toml;
