//! Text search configurations: `CREATE TEXT SEARCH CONFIGURATION` with its parser, then one `ADD MAPPING`
//! statement per token type (`sql/text_search_configuration.sql`). Expressions name one as
//! `'app.docs'::regconfig`; created after the dictionaries its mappings use.

use super::Kind;
use crate::catalog::{ObjectKind, QualName};

fn mentioned_in(text: &str, name: &QualName) -> bool {
    text.contains(&format!("'{}'::regconfig", name.sql()))
}

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::TextSearchConfiguration,
    keyword: "TEXT SEARCH CONFIGURATION",
    words: "text search configuration",
    plural: "text_search_configurations",
    table: "pg_ts_config",
    alias: "cf",
    prefix: "cfg",
    to_reg: None,
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/text_search_configuration.sql"),
    create_rank: 3,
    drop_rank: 22,
    mentioned_in,
    alter: None,
    by_hand: None,
};
