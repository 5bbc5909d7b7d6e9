//! accrete: a declarative schema diff for PostgreSQL that adds what is missing and alters or drops only what
//! a policy admits.
//!
//! The pipeline: `source` reads the schema directory, `normalize` loads it into a scratch database of the
//! target's major version (beside stubs of the `external` objects it references), `inspect` reads both
//! that database and the live one into a `catalog::Catalog`, `diff` compares them into pure-data changes,
//! `plan` orders and guards them and `render` writes the plan file, which `apply` executes exactly as
//! reviewed. `drift` reports the same comparison by category.

pub mod apply;
pub mod catalog;
pub mod check_data;
pub mod cli;
pub mod config;
pub mod conn;
pub mod diff;
pub mod drift;
pub mod escape;
pub mod external;
pub mod fleet;
pub mod inspect;
pub mod kinds;
pub mod normalize;
pub mod pg;
pub mod plan;
pub mod planfile;
pub mod policy;
pub mod progress;
pub mod pull;
pub mod render;
pub mod scope;
pub mod script;
pub mod session;
pub mod snapshot;
pub mod source;

#[cfg(test)]
#[path = "layers_tests.rs"]
mod layers_tests;
