//! Publications (logical replication): `CREATE PUBLICATION` with `FOR ALL TABLES`, or its `TABLE` items
//! (column lists and `WHERE` clauses on 15 and later) and `TABLES IN SCHEMA` items (15 and later), sorted,
//! then the `publish` and `publish_via_partition_root` options that differ from the defaults
//! (`sql/publication.sql`). Database-wide: named by their own name, in scope whatever schemas the scope
//! names (`publication:NAME` patterns exclude one).
//!
//! Created after the tables they list (their membership rows' `pg_depend`, read by
//! `inspect/sql/dependencies.sql` as the publication's), dropped before them. A publication whose
//! membership or options differ is reported `changed` with the diff and not planned, like every kind here:
//! dropping and creating it again would break the subscriptions reading it for a moment, and
//! `ALTER PUBLICATION ... SET TABLE` is one statement to run by hand.
//!
//! The schema files are loaded by a role that is not a superuser, so only `FOR TABLE` publications can be
//! declared (PostgreSQL needs a superuser for `FOR ALL TABLES` and `TABLES IN SCHEMA`); live ones of
//! every form are read and compared.

use super::{Kind, never};
use crate::catalog::ObjectKind;

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::Publication,
    keyword: "PUBLICATION",
    words: "publication",
    plural: "publications",
    table: "pg_publication",
    alias: "pb",
    prefix: "pub",
    to_reg: None,
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/publication.sql"),
    create_rank: 13,
    drop_rank: 16,
    mentioned_in: never,
    alter: None,
    by_hand: None,
};
