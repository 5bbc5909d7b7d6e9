//! Matching live expression texts against a snapshot without a scratch database.
//!
//! Normalizing settles every desired expression and then settles each differing live text in the scratch,
//! aligning it when it settles to the desired text (`normalize::align_live`). The snapshot keeps, for each
//! expression settling changed, the text PostgreSQL printed after loading and the settled one. A live text
//! equal to the loaded text is what the same files left on the target: it settles to the settled text, so it
//! is aligned here without a scratch. A live text equal to neither is left as it is (the comparison
//! reports it changed) and its object is returned, to be marked unconfirmed or settled in a scratch.

use crate::catalog::{Catalog, ConstraintKind, ObjectKey, QualName};
use crate::diff::Comparison;
use crate::normalize::{Expression, ExpressionKind};
use std::collections::{BTreeMap, BTreeSet};

/// The line a changed object gets when its live text matched neither snapshot text.
pub const UNCONFIRMED: &str = "unconfirmed without a scratch: the live text is neither the text the files loaded as nor the settled one";

/// Gives `live` the desired text where its text is the loaded text of the same expression; returns the
/// objects whose live text differs from both, in key order.
pub fn align(desired: &Catalog, expressions: &[Expression], live: &mut Catalog) -> Vec<ObjectKey> {
    let loaded: BTreeMap<(&QualName, ExpressionKind, &str), &str> =
        expressions.iter().map(|e| ((&e.table, e.kind, e.name.as_str()), e.loaded.as_str())).collect();
    let is_loaded = |table: &QualName, kind: ExpressionKind, name: &str, text: &str| {
        loaded.get(&(table, kind, name)).is_some_and(|l| *l == text)
    };
    let mut unconfirmed = BTreeSet::new();
    for (name, d) in &desired.tables {
        let Some(l) = live.tables.get_mut(name) else { continue };
        for dc in d.constraints.values().filter(|c| c.kind == ConstraintKind::Check) {
            let Some(lc) = l.constraints.get_mut(&dc.name) else { continue };
            if lc.kind != dc.kind || lc.definition == dc.definition {
                continue;
            }
            if is_loaded(name, ExpressionKind::Check, &dc.name, &lc.definition) {
                lc.definition = dc.definition.clone();
            } else {
                unconfirmed.insert(ObjectKey::constraint(name, &dc.name));
            }
        }
        for dc in &d.columns {
            let Some(lc) = l.columns.iter_mut().find(|c| c.name == dc.name) else { continue };
            let (Some(de), Some(le)) = (&dc.default, &lc.default) else { continue };
            if de == le || dc.data_type != lc.data_type {
                continue;
            }
            if is_loaded(name, ExpressionKind::Default, &dc.name, le) {
                lc.default = Some(de.clone());
            } else {
                unconfirmed.insert(ObjectKey::column(name, &dc.name));
            }
        }
        for di in d.indexes.values() {
            let Some(li) = l.indexes.get_mut(&di.name) else { continue };
            if li.definition == di.definition {
                continue;
            }
            if is_loaded(name, ExpressionKind::Index, &di.name, &li.definition) {
                li.definition = di.definition.clone();
            } else {
                unconfirmed.insert(ObjectKey::index(&name.schema, &di.name));
            }
        }
    }
    unconfirmed.into_iter().collect()
}

/// Adds [`UNCONFIRMED`] to the changed objects of `unconfirmed` (or, for an object the comparison
/// reports as part of its table, to the table's entry).
pub fn mark_unconfirmed(comparison: &mut Comparison, unconfirmed: &[ObjectKey]) {
    for key in unconfirmed {
        let table = table_of(key);
        let entry = comparison
            .changed
            .iter()
            .position(|c| &c.key == key)
            .or_else(|| comparison.changed.iter().position(|c| Some(&c.key) == table.as_ref()));
        if let Some(n) = entry {
            let line = format!("{UNCONFIRMED} ({key})");
            if !comparison.changed[n].differences.contains(&line) {
                comparison.changed[n].differences.push(line);
            }
        }
    }
}

/// The table key of a column or constraint key (`app.t.c` → `app.t`), when its name has that form.
fn table_of(key: &ObjectKey) -> Option<ObjectKey> {
    let whole = key.kind.part_of()?;
    let (table, _) = key.name.rsplit_once('.')?;
    Some(ObjectKey::new(whole, table))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Constraint, Table};

    fn table_with_check(definition: &str) -> Catalog {
        let name = QualName::new("app", "t");
        let mut t = Table { name: name.clone(), ..Default::default() };
        t.constraints.insert(
            "c".into(),
            Constraint {
                name: "c".into(),
                kind: ConstraintKind::Check,
                definition: definition.into(),
                columns: vec![],
                references: None,
                validated: true,
                deferrable: false,
                initially_deferred: false,
                comment: None,
            },
        );
        let mut c = Catalog::default();
        c.tables.insert(name, t);
        c
    }

    #[test]
    fn loaded_text_aligns_and_another_is_unconfirmed() {
        let desired = table_with_check("CHECK (settled)");
        let expressions = vec![Expression {
            table: QualName::new("app", "t"),
            kind: ExpressionKind::Check,
            name: "c".into(),
            loaded: "CHECK (loaded)".into(),
            settled: "CHECK (settled)".into(),
        }];
        let mut live = table_with_check("CHECK (loaded)");
        assert!(align(&desired, &expressions, &mut live).is_empty());
        assert_eq!(live, desired);
        let mut live = table_with_check("CHECK (other)");
        let keys = align(&desired, &expressions, &mut live);
        assert_eq!(keys, [ObjectKey::constraint(&QualName::new("app", "t"), "c")]);
        assert_eq!(live, table_with_check("CHECK (other)"));
    }
}
