//! Foreign tables: `CREATE FOREIGN TABLE` with its local columns (type, collation, column options, NOT
//! NULL, default), CHECK constraints, `INHERITS` or `PARTITION OF`, server and options, and its columns'
//! comments (`sql/foreign_table.sql`). Rows of `pg_class` with relkind `f`. Created after its server (the
//! catalog's `pg_depend`) and after tables and types (rank), dropped before its server; grants on it are a
//! table's (`GrantOn::Table`).
//!
//! A foreign table holds no local data, but a view may use it: like every kind here, a changed definition
//! is reported (`changed`) and not planned; the by-hand statements are `ALTER FOREIGN TABLE`. Triggers on
//! foreign tables stay unmodeled (counted in `unmodeled.sql`).

use super::Kind;
use crate::catalog::{ObjectKind, QualName};

/// Views, functions and defaults name a foreign table qualified, as a table.
fn mentioned_in(text: &str, name: &QualName) -> bool {
    let sql = name.sql();
    text.match_indices(&sql).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + sql.len()..].chars().next();
        before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '"'))
            && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '"'))
    })
}

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::ForeignTable,
    keyword: "FOREIGN TABLE",
    words: "foreign table",
    plural: "foreign_tables",
    database_wide: false,
    table: "pg_class",
    alias: "ft",
    prefix: "rel",
    to_reg: None,
    filter: Some("relkind = 'f'"),
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/foreign_table.sql"),
    create_rank: 6,
    drop_rank: 16,
    mentioned_in,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_table_is_mentioned_by_its_qualified_name_only() {
        let name = QualName::new("app", "remote");
        assert!(mentioned_in("SELECT r.id FROM app.remote r", &name));
        assert!(!mentioned_in("SELECT 1 FROM app.remote_2", &name));
        assert!(!mentioned_in("SELECT 1 FROM xapp.remote", &name));
    }
}
