//! Foreign data wrappers made by `CREATE FOREIGN DATA WRAPPER` (an extension's, `postgres_fdw` or
//! `file_fdw`, comes with its extension and is not one of these): handler, validator and options
//! (`sql/foreign_data_wrapper.sql`). Database-wide. Only a superuser can make one, and the schema files run
//! as a role that is not: live ones are read and compared (an undeclared one is `extra`), and a plan
//! creating one carries what `apply` checks up front (`apply/privileges/ddl.rs`).

use super::{Kind, never};
use crate::catalog::ObjectKind;

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::ForeignDataWrapper,
    keyword: "FOREIGN DATA WRAPPER",
    words: "foreign data wrapper",
    plural: "foreign_data_wrappers",
    table: "pg_foreign_data_wrapper",
    alias: "fw",
    prefix: "fdw",
    to_reg: None,
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/foreign_data_wrapper.sql"),
    create_rank: 4,
    drop_rank: 18,
    mentioned_in: never,
    alter: None,
    by_hand: None,
};
