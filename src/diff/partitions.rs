//! Indexes added to partitioned tables that exist, made online (DESIGN "The plan file"): PostgreSQL has no
//! `CREATE INDEX CONCURRENTLY` on a partitioned table, and a plain `CREATE INDEX` there blocks writes to
//! every partition for the whole build. So the table's own index is made `ON ONLY` the table (its
//! [`Op::CreateIndex`]; invalid until every partition has an index attached), and each partition gets an
//! [`Op::PartitionIndex`]: its index built concurrently (`ON ONLY` again on a sub-partitioned partition,
//! whose own partitions follow), then attached.
//!
//! Invariants:
//! - a partition that already has an index attached to the parent's is left alone (a half-done apply is
//!   completed, not redone), and an incomplete partitioned index of the declared definition is completed,
//!   never dropped and rebuilt;
//! - an index a partition already has with the same definition (valid, not attached, not declared on the
//!   partition itself) is reused, as PostgreSQL's own `CREATE INDEX` on the parent would; it is then part
//!   of the declared index, no longer extra;
//! - a new partition index is named as PostgreSQL names one it makes (`<partition>_<columns>_idx`, at most
//!   63 bytes, a number after `idx` on a collision) among every relation name the schema holds and every
//!   name the plan makes, so the same catalogs always give the same names.
//!
//! The index's changes are `indexes.rs`'s: this pass asks it which changes create an index and makes
//! each share through it.

use super::indexes::{self, index_column_names};
use super::model::{Change, Class, Comparison, Op, PartitionStage};
use crate::catalog::{Catalog, ConstraintKind, Index, ObjectKey, QualName, Table};
use std::collections::BTreeSet;

/// PostgreSQL's `NAMEDATALEN - 1`: the longest name, in bytes.
const MAX_NAME: usize = 63;

/// Turns each index added to a partitioned table that exists and has partitions into the online form.
pub(super) fn online_partition_indexes(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let roots: Vec<usize> = (0..out.changes.len())
        .filter(|&i| {
            let c = &out.changes[i];
            c.class == Class::Add
                && indexes::created(&c.op)
                    .is_some_and(|(index, new)| !new && has_partitions(live, &index.table))
        })
        .collect();
    if roots.is_empty() {
        return;
    }
    let mut taken = taken_names(live);
    for c in &out.changes {
        if let Some((index, _)) = indexes::created(&c.op) {
            taken.insert(QualName::new(&index.table.schema, &index.name));
        }
    }
    let mut walk = Walk { desired, live, taken, reused: BTreeSet::new(), added: vec![] };
    for i in roots {
        let change = &mut out.changes[i];
        let Some((index, replace_invalid)) = indexes::creation_mut(&mut change.op) else { continue };
        let root = index.clone();
        let incomplete = live
            .tables
            .get(&root.table)
            .and_then(|t| t.indexes.get(&root.name))
            .is_some_and(|l| !l.valid && l.unique == root.unique && l.definition == root.definition);
        if incomplete {
            *replace_invalid = false;
        }
        // An invalid index of another definition is dropped by the parent's step, with every index attached
        // to it: those partitions need theirs again.
        let attached_stay = !*replace_invalid;
        // The parent's own index builds nothing: each partition's build carries the hazards.
        let hazards = std::mem::take(&mut change.hazards);
        let share = Share { root, subject: change.key.clone(), hazards, attached_stay };
        let parent = QualName::new(&share.root.table.schema, &share.root.name);
        walk.partitions(&share, &parent, &share.root.table);
    }
    let reused = walk.reused;
    out.changes.extend(walk.added);
    // A reused index is the declared index's share now, not an extra one (and never dropped as one).
    out.extra.retain(|k| !reused.contains(k));
    out.changes.retain(|c| !(matches!(c.op, Op::Drop { replaced_by: None, .. }) && reused.contains(&c.key)));
}

/// The declared index whose partitions a walk serves.
struct Share {
    root: Index,
    subject: ObjectKey,
    hazards: Vec<crate::diff::Hazard>,
    /// Whether the indexes attached to the parent's index now are still there when the stages run.
    attached_stay: bool,
}

struct Walk<'a> {
    desired: &'a Catalog,
    live: &'a Catalog,
    taken: BTreeSet<QualName>,
    reused: BTreeSet<ObjectKey>,
    added: Vec<Change>,
}

impl Walk<'_> {
    /// The stages for each partition of `table`, whose index (made or planned) is `parent`.
    fn partitions(&mut self, share: &Share, parent: &QualName, table: &QualName) {
        let live = self.live;
        for p in partitions_of(live, table) {
            let partitioned = p.partition_by.is_some();
            let attached = live
                .partition_indexes
                .iter()
                .filter(|_| share.attached_stay)
                .find(|(_, a)| &a.parent == parent && a.table == p.name);
            if let Some((name, a)) = attached {
                if partitioned && !a.valid {
                    self.partitions(share, name, &p.name);
                }
                continue;
            }
            let declared = self.desired.tables.get(&p.name);
            let equivalent = |i: &&Index| {
                i.unique == share.root.unique
                    && i.definition == share.root.definition
                    && declared.is_none_or(|d| !d.indexes.contains_key(&i.name))
            };
            let name = match p.indexes.values().find(|i| equivalent(i) && (partitioned || i.valid)) {
                Some(i) => {
                    self.reused.insert(ObjectKey::index(&p.name.schema, &i.name));
                    self.stage(share, i.clone(), parent, (true, partitioned), PartitionStage::Attach, vec![]);
                    i.name.clone()
                }
                None => {
                    // A failed concurrent build of the same definition is built again under its name.
                    let name = match p.indexes.values().find(|i| equivalent(i) && !i.valid) {
                        Some(i) => i.name.clone(),
                        None => chosen_name(&p.name, &share.root.definition, &self.taken),
                    };
                    self.taken.insert(QualName::new(&p.name.schema, &name));
                    let index = Index {
                        name: name.clone(),
                        table: p.name.clone(),
                        valid: true,
                        comment: None,
                        ..share.root.clone()
                    };
                    let hazards = if partitioned { vec![] } else { share.hazards.clone() };
                    self.stage(
                        share,
                        index.clone(),
                        parent,
                        (false, partitioned),
                        PartitionStage::Build,
                        hazards,
                    );
                    self.stage(share, index, parent, (false, partitioned), PartitionStage::Attach, vec![]);
                    name
                }
            };
            if partitioned {
                self.partitions(share, &QualName::new(&p.name.schema, &name), &p.name);
            }
        }
    }

    fn stage(
        &mut self,
        share: &Share,
        index: Index,
        parent: &QualName,
        (reused, partitioned): (bool, bool),
        stage: PartitionStage,
        hazards: Vec<crate::diff::Hazard>,
    ) {
        self.added.push(Change {
            class: Class::Add,
            key: ObjectKey::index(&index.table.schema, &index.name),
            op: indexes::partition_share(index, parent, (reused, partitioned), stage),
            hazards,
            part_of: Some(share.subject.clone()),
        });
    }
}

fn partitions_of<'a>(live: &'a Catalog, table: &'a QualName) -> impl Iterator<Item = &'a Table> {
    live.tables.values().filter(move |t| t.partition_of.as_ref().is_some_and(|p| &p.parent == table))
}

fn has_partitions(live: &Catalog, table: &QualName) -> bool {
    live.tables.get(table).is_some_and(|t| t.partition_by.is_some())
        && partitions_of(live, table).next().is_some()
}

/// Every relation name the live catalog knows of: tables, sequences, views, other relations, stand-alone,
/// constraint and partition indexes.
fn taken_names(live: &Catalog) -> BTreeSet<QualName> {
    let mut out: BTreeSet<QualName> = BTreeSet::new();
    out.extend(live.tables.keys().cloned());
    out.extend(live.sequences.keys().cloned());
    out.extend(live.views.keys().cloned());
    out.extend(live.other_relations.keys().cloned());
    out.extend(live.partition_indexes.keys().cloned());
    for t in live.tables.values() {
        out.extend(t.indexes.keys().map(|i| QualName::new(&t.name.schema, i)));
        let keys = t.constraints.values().filter(|c| {
            matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion)
        });
        out.extend(keys.map(|c| QualName::new(&t.name.schema, &c.name)));
    }
    out
}

/// The name PostgreSQL chooses for an index of `definition` on `table` (`ChooseIndexName` through
/// `ChooseRelationName`): `<table>_<column names>_idx`, cut to 63 bytes, `idx1`, `idx2` ... while `taken`
/// holds it.
pub(super) fn chosen_name(table: &QualName, definition: &str, taken: &BTreeSet<QualName>) -> String {
    let columns = distinct(index_column_names(definition).unwrap_or_else(|| vec!["expr".to_string()]));
    let mut addition = String::new();
    for c in columns {
        if !addition.is_empty() {
            addition.push('_');
        }
        addition.push_str(c.as_str());
        if addition.len() > MAX_NAME {
            break;
        }
    }
    (0..)
        .map(|pass| if pass == 0 { "idx".to_string() } else { format!("idx{pass}") })
        .map(|label| object_name(&table.name, &addition, &label))
        .find(|name| !taken.contains(&QualName::new(&table.schema, name)))
        .expect("some number is free")
}

/// Column names made distinct as PostgreSQL does (`a`, `a1`, `a2` ...).
fn distinct(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let mut current = name.clone();
        let mut n = 1;
        while out.contains(&current) {
            let suffix = n.to_string();
            current = format!("{}{suffix}", clip(&name, MAX_NAME - suffix.len()));
            n += 1;
        }
        out.push(current);
    }
    out
}

/// `makeObjectName`: `name1_name2_label`, the longer of the two names shortened first until it fits.
fn object_name(name1: &str, name2: &str, label: &str) -> String {
    let available = MAX_NAME - label.len() - 1 - usize::from(!name2.is_empty());
    let (mut n1, mut n2) = (name1.len(), name2.len());
    while n1 + n2 > available {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let (name1, name2) = (clip(name1, n1), clip(name2, n2));
    if name2.is_empty() { format!("{name1}_{label}") } else { format!("{name1}_{name2}_{label}") }
}

/// The longest prefix of `s` of at most `bytes` bytes that ends on a character boundary.
fn clip(s: &str, bytes: usize) -> &str {
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_chosen_as_postgresql_chooses_them() {
        let t = QualName::new("app", "events_2024");
        let mut taken = BTreeSet::new();
        assert_eq!(chosen_name(&t, "USING btree (at)", &taken), "events_2024_at_idx");
        assert_eq!(chosen_name(&t, "USING btree (a, a)", &taken), "events_2024_a_a1_idx");
        assert_eq!(chosen_name(&t, "USING btree (lower(email))", &taken), "events_2024_lower_idx");
        taken.insert(QualName::new("app", "events_2024_at_idx"));
        assert_eq!(chosen_name(&t, "USING btree (at)", &taken), "events_2024_at_idx1");
        // Another schema's relation does not count.
        taken.insert(QualName::new("other", "events_2024_at_idx1"));
        assert_eq!(chosen_name(&t, "USING btree (at)", &taken), "events_2024_at_idx1");
    }

    #[test]
    fn long_names_fit_in_63_bytes() {
        let long = "p".repeat(70);
        let t = QualName::new("app", &long);
        let name = chosen_name(&t, "USING btree (created_at)", &BTreeSet::new());
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_created_at_idx"), "{name}");
        let accented = format!("{}é", "p".repeat(47));
        let name = object_name(&accented, "created_at", "idx");
        assert!(name.len() <= 63 && name.ends_with("_created_at_idx"), "{name}");
    }
}
