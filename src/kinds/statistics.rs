//! Extended statistics objects: `CREATE STATISTICS` as `pg_get_statisticsobjdef` prints it (kinds,
//! columns and expressions, table), then `ALTER STATISTICS ... SET STATISTICS n` when a statistics target
//! is set (`sql/statistics.sql`). Created after the table and columns they are on (their `pg_depend` rows,
//! read by `inspect/sql/dependencies.sql`), dropped before them. A changed definition is reported, not
//! planned, like the other kinds here.

use super::{Kind, never};
use crate::catalog::ObjectKind;

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::Statistics,
    keyword: "STATISTICS",
    words: "statistics",
    plural: "statistics",
    table: "pg_statistic_ext",
    alias: "st",
    prefix: "stx",
    to_reg: None,
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/statistics.sql"),
    create_rank: 9,
    drop_rank: 17,
    mentioned_in: never,
    alter: None,
    by_hand: None,
};
