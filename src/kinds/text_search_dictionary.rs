//! Text search dictionaries: `CREATE TEXT SEARCH DICTIONARY` with its template and options
//! (`sql/text_search_dictionary.sql`). A configuration's mappings name one (`WITH app.en, simple`).

use super::{Kind, mentions};
use crate::catalog::{ObjectKind, QualName};

fn mentioned_in(text: &str, name: &QualName) -> bool {
    mentions(text, "WITH ", &name.sql()) || mentions(text, ", ", &name.sql())
}

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::TextSearchDictionary,
    keyword: "TEXT SEARCH DICTIONARY",
    words: "text search dictionary",
    plural: "text_search_dictionaries",
    table: "pg_ts_dict",
    alias: "di",
    prefix: "dict",
    to_reg: None,
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/text_search_dictionary.sql"),
    create_rank: 2,
    drop_rank: 23,
    mentioned_in,
    alter: None,
    by_hand: None,
};
