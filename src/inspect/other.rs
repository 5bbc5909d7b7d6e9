//! What accrete does not model: relations and types in scope that are no modeled kind (foreign tables, base
//! types: `other_relations`, by name with a kind word), and the count of every unmodeled object in scope by
//! kind.
//!
//! Scope patterns: relations are matched as `table`, base types as `enum` (the kinds whose names they
//! share: [`ObjectKind::UNMODELED_RELATION`], [`ObjectKind::UNMODELED_TYPE`]); objects of kinds without an
//! [`ObjectKind`] honour kind-less patterns only (`*:app.audit_*`), and a trigger, rule or policy goes
//! with its table.

use super::{excluded_for_every_kind, qualified};
use crate::catalog::{ObjectKind, QualName};
use crate::scope::Scope;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
pub(super) struct OtherRow {
    name: QualName,
    kind: String,
    /// In pg_class (a view, materialized view, foreign table or composite type), rather than a pg_type-only
    /// type.
    relation: bool,
}

pub(super) fn other_relations(rows: Vec<OtherRow>, scope: &Scope) -> BTreeMap<QualName, String> {
    rows.into_iter()
        .filter(|row| {
            let kind = if row.relation { ObjectKind::UNMODELED_RELATION } else { ObjectKind::UNMODELED_TYPE };
            scope.includes(kind, &row.name.to_string())
        })
        .map(|row| (row.name, row.kind))
        .collect()
}

#[derive(Deserialize)]
pub(super) struct UnmodeledRow {
    kind: String,
    /// `None` for database-wide objects (publications, casts ...).
    schema: Option<String>,
    name: String,
    /// The table or view a trigger, rule or policy belongs to (in `schema`).
    relation: Option<String>,
}

impl UnmodeledRow {
    fn in_scope(&self, scope: &Scope) -> bool {
        let Some(schema) = &self.schema else { return !excluded_for_every_kind(scope, &self.name) };
        if !scope.includes_schema(schema) {
            return false;
        }
        match &self.relation {
            Some(relation) => {
                let table = qualified(schema, relation);
                scope.includes(ObjectKind::UNMODELED_RELATION, &table)
                    && !excluded_for_every_kind(scope, &qualified(&table, &self.name))
            }
            None => !excluded_for_every_kind(scope, &qualified(schema, &self.name)),
        }
    }
}

/// Counts by kind: the `other_relations` (already filtered) and the unmodeled rows in scope.
/// Counts by kind (the `other_relations`, already filtered, and the unmodeled rows in scope), and the
/// objects themselves as `(kind, schema.name)`.
pub(super) fn unmodeled(
    other_relations: &BTreeMap<QualName, String>,
    rows: Vec<UnmodeledRow>,
    scope: &Scope,
) -> (BTreeMap<String, u64>, BTreeSet<(String, String)>) {
    let mut counts = BTreeMap::new();
    let mut objects = BTreeSet::new();
    // Foreign tables are modeled (src/kinds); kept among the other relations only to tell a declared
    // table whose name one holds from a missing one.
    for (name, kind) in other_relations.iter().filter(|(_, kind)| *kind != "foreign table") {
        *counts.entry(kind.clone()).or_insert(0) += 1;
        objects.insert((kind.clone(), name.to_string()));
    }
    for row in rows.into_iter().filter(|row| row.in_scope(scope)) {
        *counts.entry(row.kind.clone()).or_insert(0) += 1;
        if let Some(schema) = &row.schema {
            objects.insert((row.kind, qualified(schema, &row.name)));
        }
    }
    (counts, objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, schema: Option<&str>, name: &str, relation: Option<&str>) -> UnmodeledRow {
        UnmodeledRow {
            kind: kind.into(),
            schema: schema.map(Into::into),
            name: name.into(),
            relation: relation.map(Into::into),
        }
    }

    #[test]
    fn kindless_patterns_and_table_patterns_apply() {
        let scope = Scope::new(vec![], vec!["*:app.audit_*".into(), "table:app.legacy".into()]);
        assert!(row("function", Some("app"), "touch", None).in_scope(&scope));
        assert!(!row("function", Some("app"), "audit_log", None).in_scope(&scope));
        assert!(!row("trigger", Some("app"), "t", Some("audit_x")).in_scope(&scope));
        assert!(!row("trigger", Some("app"), "t", Some("legacy")).in_scope(&scope));
        assert!(row("trigger", Some("app"), "t", Some("users")).in_scope(&scope));
        assert!(!row("function", Some("accrete"), "f", None).in_scope(&scope));
        assert!(row("publication", None, "log_ddl", None).in_scope(&scope));
        let only_app = Scope::new(vec!["app".into()], vec![]);
        assert!(!row("function", Some("public"), "f", None).in_scope(&only_app));
        assert!(row("publication", None, "everything", None).in_scope(&only_app));
        let kindless = Scope::new(vec!["app".into()], vec!["*:tmp_*".into(), "extension:ext_*".into()]);
        assert!(!row("publication", None, "tmp_all", None).in_scope(&kindless));
        assert!(row("publication", None, "ext_all", None).in_scope(&kindless));
    }
}
