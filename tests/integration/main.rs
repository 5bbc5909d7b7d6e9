//! The one integration-test binary: every test runs against a real PostgreSQL cluster that `support`
//! starts from the machine's server binaries.

mod apply;
mod config;
mod cycle;
mod inspect;
mod pg;
mod source;
mod support;
