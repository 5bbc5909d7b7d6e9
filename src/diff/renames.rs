//! Likely renames: accrete never renames, so it says loudly when something looks renamed. Within a table
//! present on both sides, each undeclared live column is paired with each missing declared column of the same
//! type; across tables, an undeclared live table with a missing declared one whose columns mostly match.
//! Scores are 0 to 100; every candidate above the threshold is named, best first.

use super::columns::column_differences;
use super::model::{Comparison, LikelyRename};
use crate::catalog::{Catalog, ObjectKey, ObjectKind, Table};
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
                // Same type: 60; every other attribute that matches adds to it.
                let others = column_differences(lc, dc).len() as u32;
                let mut score = 60u32.saturating_sub(others * 10);
                if lc.position == dc.position {
                    score += 20;
                }
                if others == 0 {
                    score += 20;
                }
                found.push(LikelyRename {
                    from,
                    to: ObjectKey::column(name, &dc.name),
                    score: score.max(30),
                });
            }
        }
    }
    for key in &out.missing {
        if key.kind != ObjectKind::Table {
            continue;
        }
        let Some(d) = desired.tables.values().find(|t| ObjectKey::table(&t.name) == *key) else { continue };
        for from in out.extra.iter().filter(|k| k.kind == ObjectKind::Table) {
            let Some(l) = live.tables.values().find(|t| ObjectKey::table(&t.name) == *from) else { continue };
            let score = table_similarity(l, d);
            if score >= TABLE_THRESHOLD {
                found.push(LikelyRename { from: from.clone(), to: key.clone(), score });
            }
        }
    }
    out.likely_renames.extend(found);
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
