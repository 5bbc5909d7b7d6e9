//! Constraints and stand-alone indexes, put on their tables. Definitions are PostgreSQL's own text:
//! `pg_get_constraintdef` without a trailing ` NOT VALID`, and `pg_get_indexdef` from ` USING ` on, cut at a
//! position computed from the index's quoted name and table (names may contain " USING ").

use super::qualified;
use crate::catalog::{AttachedIndex, Constraint, ConstraintKind, Index, ObjectKind, QualName, Table};
use crate::scope::Scope;
use anyhow::{Result, anyhow, bail};
use serde::Deserialize;
use std::collections::BTreeMap;

const NOT_VALID: &str = " NOT VALID";

#[derive(Deserialize)]
pub(super) struct ConstraintRow {
    table: QualName,
    name: String,
    /// `contype`: `p`, `u`, `f`, `c` or `x`.
    kind: String,
    definition: String,
    columns: Vec<String>,
    references: Option<QualName>,
    validated: bool,
    /// `conenforced` (PostgreSQL 18); `None` before.
    enforced: Option<bool>,
    deferrable: bool,
    initially_deferred: bool,
    comment: Option<String>,
}

impl ConstraintRow {
    fn into_constraint(self) -> Result<Constraint> {
        let kind = match self.kind.as_str() {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique,
            "f" => ConstraintKind::ForeignKey,
            "c" => ConstraintKind::Check,
            "x" => ConstraintKind::Exclusion,
            other => bail!("inspect: constraint {}.{} has unknown contype {other:?}", self.table, self.name),
        };
        let definition = match self.definition.strip_suffix(NOT_VALID) {
            Some(head) => head.to_string(),
            None => self.definition,
        };
        Ok(Constraint {
            name: self.name,
            kind,
            definition,
            columns: self.columns,
            references: self.references,
            // A NOT ENFORCED constraint (its definition says so) has nothing left to validate.
            validated: self.validated || self.enforced == Some(false),
            deferrable: self.deferrable,
            initially_deferred: self.initially_deferred,
            comment: self.comment,
        })
    }
}

pub(super) fn add_constraints(
    tables: &mut BTreeMap<QualName, Table>,
    rows: Vec<ConstraintRow>,
    scope: &Scope,
) -> Result<()> {
    for row in rows {
        let key = qualified(&row.table.to_string(), &row.name);
        let Some(table) = tables.get_mut(&row.table) else { continue };
        if scope.includes(ObjectKind::Constraint, &key) {
            let constraint = row.into_constraint()?;
            table.constraints.insert(constraint.name.clone(), constraint);
        }
    }
    Ok(())
}

#[derive(Deserialize)]
pub(super) struct IndexRow {
    table: QualName,
    name: String,
    /// `quote_ident(name)`, as pg_get_indexdef prints it.
    quoted_name: String,
    /// `table::regclass::text` under the pinned (empty) search_path: qualified, as pg_get_indexdef prints it.
    table_sql: String,
    unique: bool,
    method: String,
    indexdef: String,
    columns: Vec<String>,
    valid: bool,
    comment: Option<String>,
    /// For a partition child index: the partitioned index it is attached to.
    attached_to: Option<QualName>,
}

impl IndexRow {
    fn into_index(self) -> Result<Index> {
        let definition = using_clause(&self.indexdef, self.unique, &self.quoted_name, &self.table_sql)
            .ok_or_else(|| {
                anyhow!(
                    "inspect: unexpected pg_get_indexdef output for index {}.{}: {}",
                    self.table.schema,
                    self.name,
                    self.indexdef
                )
            })?
            .to_string();
        Ok(Index {
            name: self.name,
            table: self.table,
            unique: self.unique,
            method: self.method,
            definition,
            columns: self.columns,
            valid: self.valid,
            comment: self.comment,
        })
    }
}

/// `CREATE [UNIQUE ]INDEX <name> ON [ONLY ]<table> USING ...` without everything before `USING`.
fn using_clause<'a>(indexdef: &'a str, unique: bool, quoted_name: &str, table_sql: &str) -> Option<&'a str> {
    let head = format!("CREATE {}INDEX {quoted_name} ON ", if unique { "UNIQUE " } else { "" });
    let rest = indexdef.strip_prefix(&head)?;
    let rest = rest.strip_prefix("ONLY ").unwrap_or(rest);
    let rest = rest.strip_prefix(table_sql)?.strip_prefix(' ')?;
    rest.starts_with("USING ").then_some(rest)
}

/// Puts stand-alone indexes on their tables; returns the partition child indexes by name (whatever the
/// scope says of them: their names are taken all the same).
pub(super) fn add_indexes(
    tables: &mut BTreeMap<QualName, Table>,
    rows: Vec<IndexRow>,
    scope: &Scope,
) -> Result<BTreeMap<QualName, AttachedIndex>> {
    let mut attached = BTreeMap::new();
    for row in rows {
        if let Some(parent) = row.attached_to {
            let name = QualName::new(&row.table.schema, &row.name);
            attached.insert(name, AttachedIndex { table: row.table, parent, valid: row.valid });
            continue;
        }
        let key = qualified(&row.table.schema, &row.name);
        let Some(table) = tables.get_mut(&row.table) else { continue };
        if scope.includes(ObjectKind::Index, &key) {
            let index = row.into_index()?;
            table.indexes.insert(index.name.clone(), index);
        }
    }
    Ok(attached)
}

#[cfg(test)]
mod tests {
    use super::using_clause;

    #[test]
    fn cuts_indexdef_at_using_even_when_names_contain_it() {
        let def = r#"CREATE INDEX "a USING b" ON app."t USING x" USING btree ("USING ")"#;
        assert_eq!(
            using_clause(def, false, r#""a USING b""#, r#"app."t USING x""#),
            Some(r#"USING btree ("USING ")"#)
        );
        let def = "CREATE UNIQUE INDEX i ON ONLY app.events USING btree (id) WHERE (id > 0)";
        assert_eq!(using_clause(def, true, "i", "app.events"), Some("USING btree (id) WHERE (id > 0)"));
        assert_eq!(using_clause(def, false, "i", "app.events"), None);
        assert_eq!(using_clause(def, true, "j", "app.events"), None);
    }
}
