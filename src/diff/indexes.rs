//! Stand-alone indexes of a table: matched by name, then by equivalent definition under another name
//! (DESIGN rule 2; a unique index and a unique constraint are never equivalent). An invalid index counts as
//! missing: its re-creation drops it first. An index whose definition changed is rebuilt online
//! (`replace_index`). An index whose name a declared key the target lacks needs is the key's
//! (`constraints::gives_way_to_key`), not extra.
//!
//! The index's changes are built and read here: the passes of other kinds ask this file for them (the key
//! that takes an index over or makes it give way, `constraints.rs`; the foreign keys around a unique index
//! dropped, `constraints::dependent_foreign_keys`; an index's shares on the partitions of a partitioned
//! table, `partitions.rs`).

use super::model::{
    Class, CommentOn, Comparison, EquivalentOtherName, Hazard, Obj, Op, PartitionStage, ReplaceStage, differ,
};
use super::objects::comment;
use crate::catalog::{Index, ObjectKey, ObjectKind, QualName, Table};
use crate::scope::Scope;
use std::collections::BTreeSet;

pub(super) fn compare_indexes(desired: &Table, live: &Table, scope: &Scope, out: &mut Comparison) {
    let schema = &desired.name.schema;
    let mut matched_live: BTreeSet<&str> = BTreeSet::new();
    let mut unmatched: Vec<&Index> = Vec::new();
    for i in desired.indexes.values() {
        let key = ObjectKey::index(schema, &i.name);
        if !scope.includes(ObjectKind::Index, &key.name) {
            continue;
        }
        match live.indexes.get(&i.name) {
            Some(l) if !l.valid => {
                matched_live.insert(&l.name);
                out.missing.push(key.clone());
                create_index(i, false, true, out);
            }
            Some(l) => {
                matched_live.insert(&l.name);
                let mut diffs = Vec::new();
                let unique = |i: &Index| if i.unique { "unique" } else { "not unique" };
                diffs.extend(differ("uniqueness", unique(l), unique(i)));
                diffs.extend(differ("definition", &l.definition, &i.definition));
                if !diffs.is_empty() {
                    out.changed(key.clone(), Class::Alter, diffs);
                    replace_index(desired, l, i, out);
                }
                if let Some(text) = &i.comment {
                    let on = CommentOn::Index(QualName::new(schema, &i.name));
                    comment(out, key, on, l.comment.as_ref(), text);
                }
            }
            None => unmatched.push(i),
        }
    }
    for i in unmatched {
        let key = ObjectKey::index(schema, &i.name);
        let equivalent = live.indexes.values().find(|l| {
            l.valid
                && !matched_live.contains(l.name.as_str())
                && !desired.indexes.contains_key(&l.name)
                && l.unique == i.unique
                && l.definition == i.definition
        });
        match equivalent {
            Some(l) => {
                matched_live.insert(&l.name);
                out.equivalent_other_name.push(EquivalentOtherName {
                    declared: key,
                    live: ObjectKey::index(schema, &l.name),
                    user_named: !is_default_index_name(&desired.name.name, i),
                });
            }
            None => {
                out.missing.push(key.clone());
                create_index(i, false, false, out);
                if let Some(text) = &i.comment {
                    comment(out, key, CommentOn::Index(QualName::new(schema, &i.name)), None, text);
                }
            }
        }
    }
    for l in live.indexes.values() {
        let key = ObjectKey::index(schema, &l.name);
        if !matched_live.contains(l.name.as_str())
            && scope.includes(ObjectKind::Index, &key.name)
            && !super::constraints::gives_way_to_key(desired, live, l)
        {
            let concurrently = desired.partition_by.is_none() && live.partition_by.is_none();
            out.extra(object(l, concurrently), vec![]);
        }
    }
}

pub(super) fn create_index(i: &Index, table_is_new: bool, replace_invalid: bool, out: &mut Comparison) {
    let key = ObjectKey::index(&i.table.schema, &i.name);
    let hazards = if table_is_new { vec![] } else { vec![Hazard::BuildsIndex] };
    let mut hazards = hazards;
    if i.unique && !table_is_new {
        hazards.push(Hazard::MayFailOnData);
    }
    out.change(Class::Add, key, Op::CreateIndex { index: i.clone(), table_is_new, replace_invalid }, hazards);
}

/// The indexes of a table the plan creates, in scope: made as declared, with nothing to build against rows.
pub(super) fn create_of_new_table(table: &Table, scope: &Scope, out: &mut Comparison) {
    for i in table.indexes.values() {
        if scope.includes(ObjectKind::Index, &format!("{}.{}", table.name.schema, i.name)) {
            create_index(i, true, false, out);
        }
    }
}

/// The comments on the indexes of a table the plan creates.
pub(super) fn comments_of_new_table(table: &Table, out: &mut Comparison) {
    let name = &table.name;
    for i in table.indexes.values() {
        if let Some(text) = &i.comment {
            let index = QualName::new(&name.schema, &i.name);
            comment(out, ObjectKey::index(&name.schema, &i.name), CommentOn::Index(index), None, text);
        }
    }
}

/// An index as an object to drop: `concurrently` where its table stays and is not partitioned.
pub(super) fn object(index: &Index, concurrently: bool) -> Obj {
    Obj::Index { index: index.clone(), concurrently }
}

/// The unique index `op` drops: dropped as extra or to give way, or the old form of one redefined online
/// at the stage that drops it. Foreign keys may use it.
pub(super) fn unique_dropped(op: &Op) -> Option<&Index> {
    match op {
        Op::Drop { object, .. } => match &**object {
            Obj::Index { index, .. } if index.unique => Some(index),
            _ => None,
        },
        Op::ReplaceIndex { old: index, stage: ReplaceStage::DropOld, .. } if index.unique => Some(index),
        _ => None,
    }
}

/// The index `op` creates and whether its table is new with it; `None` for any other change.
pub(super) fn created(op: &Op) -> Option<(&Index, bool)> {
    match op {
        Op::CreateIndex { index, table_is_new, .. } => Some((index, *table_is_new)),
        _ => None,
    }
}

/// The index a creation makes, and whether it replaces an invalid index of its name (dropping it
/// first), to be changed where that one is completed instead.
pub(super) fn creation_mut(op: &mut Op) -> Option<(&Index, &mut bool)> {
    match op {
        Op::CreateIndex { index, replace_invalid, .. } => Some((index, replace_invalid)),
        _ => None,
    }
}

/// One stage of a partition's share of the index of its partitioned table, `parent`: `index` built (or
/// `reused`, one the partition has), then attached; `partitioned` for a sub-partitioned partition.
pub(super) fn partition_share(
    index: Index,
    parent: &QualName,
    (reused, partitioned): (bool, bool),
    stage: PartitionStage,
) -> Op {
    Op::PartitionIndex { index, parent: parent.clone(), reused, partitioned, stage }
}

/// Whether `i.name` is the name PostgreSQL chooses for an unnamed index (`ChooseIndexName`):
/// `table_<column or function name or "expr">..._idx`, with a number appended on a collision.
fn is_default_index_name(table: &str, i: &Index) -> bool {
    let Some(names) = index_column_names(&i.definition) else { return false };
    let chosen = format!("{table}_{}_idx", names.join("_"));
    i.name.trim_end_matches(|c: char| c.is_ascii_digit()) == chosen
}

/// The names PostgreSQL gives an index's columns when it chooses the index's name: a column's name, or for
/// an expression the name of the function it calls or `expr`, read from the definition (`USING btree (a,
/// lower(b))`).
pub(super) fn index_column_names(definition: &str) -> Option<Vec<String>> {
    let open = definition.find('(')?;
    let mut depth = 0;
    let mut parts = Vec::new();
    let mut current = String::new();
    for ch in definition[open + 1..].chars() {
        match ch {
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    parts.push(current);
    Some(
        parts
            .iter()
            .map(|p| {
                let p = p.trim();
                let word: String =
                    p.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
                let word = word.rsplit('.').next().unwrap_or("").to_string();
                if let Some(quoted) = p.strip_prefix('"') {
                    quoted.split('"').next().unwrap_or("").to_string()
                } else if word.is_empty() {
                    "expr".to_string()
                } else {
                    word
                }
            })
            .collect(),
    )
}

/// An index whose definition changed: built online under a temporary name, the old one dropped, the new one
/// renamed; on a partitioned table (no `CONCURRENTLY` there) dropped and created in one transaction.
pub(super) fn replace_index(table: &Table, live: &Index, declared: &Index, out: &mut Comparison) {
    let key = ObjectKey::index(&table.name.schema, &declared.name);
    if table.partition_by.is_some() {
        let drop = Op::drop(object(live, false), Some(object(declared, false)));
        out.change(Class::Alter, key.clone(), drop, vec![Hazard::AccessExclusiveLock]);
        let bare = Index { comment: None, ..declared.clone() };
        let op = Op::CreateIndex { index: bare, table_is_new: false, replace_invalid: false };
        out.change(Class::Alter, key, op, vec![Hazard::BuildsIndex]);
        return;
    }
    for stage in [ReplaceStage::Build, ReplaceStage::DropOld, ReplaceStage::Rename] {
        let hazards = match stage {
            ReplaceStage::Build if declared.unique => vec![Hazard::BuildsIndex, Hazard::MayFailOnData],
            ReplaceStage::Build => vec![Hazard::BuildsIndex],
            _ => vec![],
        };
        let op = Op::ReplaceIndex { old: live.clone(), new: declared.clone(), stage };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
}

/// The temporary name of an index being rebuilt: the declared name with a suffix, within 63 bytes.
pub fn temporary_index_name(name: &str) -> String {
    const SUFFIX: &str = "_accrete_new";
    let mut base = name.to_string();
    while base.len() + SUFFIX.len() > 63 {
        base.pop();
    }
    format!("{base}{SUFFIX}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(name: &str, definition: &str) -> Index {
        Index {
            name: name.into(),
            table: QualName::new("public", "users"),
            unique: false,
            method: "btree".into(),
            definition: definition.into(),
            columns: vec![],
            valid: true,
            comment: None,
        }
    }

    #[test]
    fn index_names_postgres_would_choose() {
        assert!(is_default_index_name("users", &index("users_lower_idx", "USING btree (lower(email))")));
        assert!(is_default_index_name("users", &index("users_lower_idx1", "USING btree (lower(email))")));
        assert!(!is_default_index_name("users", &index("users_email_idx", "USING btree (lower(email))")));
        assert!(is_default_index_name("users", &index("users_email_id_idx", "USING btree (email, id DESC)")));
        assert!(is_default_index_name("users", &index("users_expr_idx", "USING btree (((a + b)))")));
    }

    #[test]
    fn temporary_names_fit() {
        assert_eq!(temporary_index_name("users_email_idx"), "users_email_idx_accrete_new");
        assert_eq!(temporary_index_name(&"x".repeat(63)).len(), 63);
    }
}
