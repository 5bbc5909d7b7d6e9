//! Collations: `CREATE COLLATION` with provider, locale (or `lc_collate` and `lc_ctype`), ICU rules and
//! determinism (`sql/collation.sql`). The collation version is not part of it: it follows the library.
//! Columns, indexes and expressions name one by `COLLATE app.x`.

use super::{Kind, mentions};
use crate::catalog::{ObjectKind, QualName};

fn mentioned_in(text: &str, name: &QualName) -> bool {
    mentions(text, "COLLATE ", &name.sql())
}

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::Collation,
    keyword: "COLLATION",
    words: "collation",
    plural: "collations",
    table: "pg_collation",
    alias: "co",
    prefix: "coll",
    to_reg: Some("to_regcollation"),
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/collation.sql"),
    create_rank: 2,
    drop_rank: 23,
    mentioned_in,
    alter: None,
    by_hand: None,
};
