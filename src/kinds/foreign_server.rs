//! Foreign servers: `CREATE SERVER` with type, version, wrapper and options (`sql/foreign_server.sql`).
//! Database-wide. Created after their wrapper (`pg_depend`; a wrapper an extension made counts as the
//! extension there), dropped before it. Changed options are reported and not planned, like every kind here.
//!
//! Secrets live in user mappings (`CREATE USER MAPPING ... OPTIONS (password ...)`), which are modeled by
//! their option names only (`user_mapping.rs`), so no value of one can reach a plan, a report, a pull or a
//! log.

use super::{Kind, never};
use crate::catalog::ObjectKind;

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::ForeignServer,
    keyword: "SERVER",
    words: "foreign server",
    plural: "foreign_servers",
    database_wide: true,
    table: "pg_foreign_server",
    alias: "fs",
    prefix: "srv",
    to_reg: None,
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/foreign_server.sql"),
    create_rank: 5,
    drop_rank: 16,
    mentioned_in: never,
};
