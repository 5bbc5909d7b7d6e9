//! Likely renames: accrete never renames, so it says loudly when something looks renamed. Within a table
//! present on both sides, each undeclared live column is paired with each missing declared column of the same
//! type and scored on what else they share (nullability, default, position, dependents: the constraints,
//! indexes and views that use each); across tables, an undeclared live table with a missing declared one
//! whose columns mostly match. Scores are 0 to 100; every candidate above the threshold is named, best
//! first, in a fixed order.

use super::model::{Comparison, LikelyRename};
use crate::catalog::{Catalog, ObjectKey, Table, quote_ident};
use std::collections::BTreeSet;

const TABLE_THRESHOLD: u32 = 50;

pub(super) fn find_likely_renames(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let missing: BTreeSet<&ObjectKey> = out.missing.iter().collect();
    let extra: BTreeSet<&ObjectKey> = out.extra.iter().collect();
    let mut found = Vec::new();
    for (name, d) in &desired.tables {
        let Some(l) = live.tables.get(name) else { continue };
        for dc in &d.columns {
            if !missing.contains(&ObjectKey::column(name, &dc.name)) {
                continue;
            }
            for lc in &l.columns {
                let from = ObjectKey::column(name, &lc.name);
                if !extra.contains(&from) || lc.data_type != dc.data_type {
                    continue;
                }
                // The same type is the entry ticket (40); each other trait they share adds 15.
                let shared = [
                    lc.not_null == dc.not_null,
                    lc.default == dc.default && lc.identity == dc.identity && lc.generated == dc.generated,
                    lc.position == dc.position,
                    dependents(l, live, &lc.name) == dependents(d, desired, &dc.name),
                ];
                let score = 40 + 15 * shared.iter().filter(|s| **s).count() as u32;
                let rename_sql = format!(
                    "ALTER TABLE {} RENAME COLUMN {} TO {}",
                    name.sql(),
                    quote_ident(&lc.name),
                    quote_ident(&dc.name)
                );
                found.push(LikelyRename { from, to: ObjectKey::column(name, &dc.name), score, rename_sql });
            }
        }
    }
    // Each missing declared table with each undeclared live one (the order is `finish`'s).
    for d in desired.tables.values() {
        let to = ObjectKey::table(&d.name);
        if !missing.contains(&to) {
            continue;
        }
        for l in live.tables.values() {
            let from = ObjectKey::table(&l.name);
            // A rename keeps the schema (moving a table is SET SCHEMA, and a table in another schema is
            // rarely the same one).
            if !extra.contains(&from) || l.name.schema != d.name.schema {
                continue;
            }
            let score = table_similarity(l, d);
            if score >= TABLE_THRESHOLD {
                let rename_sql =
                    format!("ALTER TABLE {} RENAME TO {}", l.name.sql(), quote_ident(&d.name.name));
                found.push(LikelyRename { from, to: to.clone(), score, rename_sql });
            }
        }
    }
    out.likely_renames.extend(found);
}

/// How many constraints, indexes and views use a column: a renamed column keeps its dependents.
fn dependents(table: &Table, catalog: &Catalog, column: &str) -> usize {
    let key = ObjectKey::column(&table.name, column);
    let constraints = table.constraints.values().filter(|c| c.columns.iter().any(|c| c == column)).count();
    let indexes = table.indexes.values().filter(|i| i.columns.iter().any(|c| c == column)).count();
    constraints + indexes + super::views::users_of(catalog, &key)
}

/// Share of (name, type) column pairs the two tables have in common, as a percentage of the larger table.
fn table_similarity(a: &Table, b: &Table) -> u32 {
    let cols = |t: &Table| -> BTreeSet<(String, String)> {
        t.columns.iter().map(|c| (c.name.clone(), c.data_type.clone())).collect()
    };
    let (ca, cb) = (cols(a), cols(b));
    let larger = ca.len().max(cb.len());
    if larger == 0 {
        return 0;
    }
    (ca.intersection(&cb).count() * 100 / larger) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Column, QualName};

    fn column(name: &str, position: i32, not_null: bool, default: Option<&str>) -> Column {
        Column {
            name: name.into(),
            data_type: "text".into(),
            not_null,
            default: default.map(String::from),
            position,
            ..Default::default()
        }
    }

    fn catalog(columns: Vec<Column>) -> Catalog {
        let name = QualName::new("app", "t");
        let mut c = Catalog::default();
        c.tables.insert(name.clone(), Table { name, columns, ..Default::default() });
        c
    }

    #[test]
    fn every_candidate_is_named_best_first() {
        let live = catalog(vec![
            column("id", 1, true, None),
            column("is_active", 2, true, Some("'y'::text")),
            column("note", 3, false, None),
        ]);
        let desired =
            catalog(vec![column("id", 1, true, None), column("enabled", 2, true, Some("'y'::text"))]);
        let t = QualName::new("app", "t");
        let mut out = Comparison {
            missing: vec![ObjectKey::column(&t, "enabled")],
            extra: vec![ObjectKey::column(&t, "is_active"), ObjectKey::column(&t, "note")],
            ..Default::default()
        };
        find_likely_renames(&desired, &live, &mut out);
        out.finish();
        let found: Vec<(String, u32)> =
            out.likely_renames.iter().map(|r| (r.from.name.clone(), r.score)).collect();
        // Same type, nullability, default, position and dependents: 100; the other shares type and dependents.
        assert_eq!(found, vec![("app.t.is_active".to_string(), 100), ("app.t.note".to_string(), 55)]);
        let advice = out.likely_renames[0].advice();
        assert!(
            advice.contains("looks like a rename of column app.t.is_active to app.t.enabled"),
            "{advice}"
        );
        assert!(advice.contains("`ALTER TABLE app.t RENAME COLUMN is_active TO enabled`"), "{advice}");
    }
}
