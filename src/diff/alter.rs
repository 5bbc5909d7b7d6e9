//! What a difference would take beyond adding, for every kind alike: the drop + create of a redefinition
//! PostgreSQL cannot do in place, and, after the comparison, the dependents that such a change has to drop
//! and make again around it, with their comments. Each kind's own alterations live in its diff file
//! (`columns`, `constraints`, `enums`, `functions`, `views` ...); what this file needs of an object or a
//! change it asks of it (`model`: `Op::takes_dependents`, `Obj::named`, `Obj::create_again`,
//! `Obj::comment_on`, `Change::made_again`) rather than matching on kinds.
//!
//! These changes are always computed; whether they are planned is the policy's decision (`plan`). Every one
//! records the state it was planned from, so its guard can tell "not yet", "done" and "someone else's".

use super::model::{Class, Comparison, Hazard, Obj, Op, Takes};
use crate::catalog::{Catalog, ObjectKey};
use std::collections::{BTreeMap, BTreeSet};

/// A redefinition PostgreSQL can only do by dropping and creating: the drop (remembering what replaces it)
/// and then the changes `create` adds, all of class alter.
pub(super) fn replace(
    out: &mut Comparison,
    old: Obj,
    new: Obj,
    hazards: Vec<Hazard>,
    create: impl FnOnce(&mut Comparison),
) {
    let key = old.key();
    out.change(Class::Alter, key, Op::drop(old, Some(new)), hazards);
    let from = out.changes.len();
    create(out);
    for change in &mut out.changes[from..] {
        change.class = Class::Alter;
    }
}

/// The changes from position `from` on serve the change of `subject` (a relation made where one of another
/// kind is dropped): the policy admits them with it.
pub(super) fn serve(out: &mut Comparison, from: usize, subject: ObjectKey) {
    for change in &mut out.changes[from..] {
        change.part_of = Some(subject.clone());
    }
}

/// What must be dropped and made again around a change PostgreSQL refuses while other objects use what it
/// changes: a column's type change (PostgreSQL refuses it under a view, rule, policy, trigger or a function
/// body that uses the column) and the drop and create of a view, a table or a function (a function whose
/// result, parameter names or defaults change: `CREATE OR REPLACE` refuses, and `DROP` refuses while
/// anything uses it). One rule for all: every object the live `pg_depend` records as using the changed
/// object (transitively through views and functions) whose kind the change takes (`takes`) is dropped before
/// and made again after, as declared or, when undeclared, as it is; a column default is set aside before and
/// set again after. The steps belong to the change that needs them (`part_of`: admitted only with it), are of
/// its class and carry `breaks-dependents`. The plan's order comes from the same `pg_depend` edges
/// (`plan::order`): a dependent's drop before the change, its re-creation after what it uses is made again.
pub(super) fn dependent_views(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let mut dependents: BTreeMap<&ObjectKey, BTreeSet<&ObjectKey>> = BTreeMap::new();
    for (from, tos) in &live.dependencies {
        for to in tos {
            dependents.entry(to).or_default().insert(from);
        }
    }
    // Objects already dropped (and made again) by changes of their own.
    let mut handled: BTreeSet<ObjectKey> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::Drop { object, .. } => Some(object.key()),
            _ => None,
        })
        .collect();
    let roots: Vec<(usize, ObjectKey, Takes)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.op.takes_dependents(&c.key).map(|(root, takes)| (i, root, takes)))
        .collect();
    for (index, root, takes) in roots {
        let mut found: Vec<ObjectKey> = Vec::new();
        let mut queue = vec![root.clone()];
        while let Some(key) = queue.pop() {
            for d in dependents.get(&key).into_iter().flatten() {
                if !found.contains(d) && **d != root && takes.admits(d.kind) {
                    found.push((*d).clone());
                    if Takes::passes_through(d.kind) {
                        queue.push((*d).clone());
                    }
                }
            }
        }
        // An object made again loses what depends on it automatically, not through a normal dependency (a
        // view's triggers and rules): they go along too.
        if let Op::Drop { object, replaced_by: Some(new) } = &out.changes[index].op
            && new.key() == object.key()
        {
            let parts = object.automatic_parts();
            found.extend(parts.into_iter().filter(|k| !found.contains(k)).collect::<Vec<_>>());
        }
        found.sort();
        let mut taken = false;
        for key in found {
            if handled.contains(&key) {
                continue;
            }
            let subject = out.changes[index].key.clone();
            // Of the class of the change they serve: a table dropped for a view takes its views along as drops.
            let class = out.changes[index].class;
            let from = out.changes.len();
            if !take_along(desired, live, &key, &root, out) {
                continue;
            }
            handled.insert(key.clone());
            taken = true;
            for change in &mut out.changes[from..] {
                change.class = class;
                change.part_of = Some(subject.clone());
                if !change.hazards.contains(&Hazard::BreaksDependents) {
                    change.hazards.push(Hazard::BreaksDependents);
                }
            }
        }
        if taken && !out.changes[index].hazards.contains(&Hazard::BreaksDependents) {
            out.changes[index].hazards.push(Hazard::BreaksDependents);
        }
    }
}

/// Pushes the steps that drop the live object `key` and make it again (as declared, or as it is); false when
/// it is not one accrete can take along (a generated column, which would lose its values; a foreign key).
fn take_along(
    desired: &Catalog,
    live: &Catalog,
    key: &ObjectKey,
    root: &ObjectKey,
    out: &mut Comparison,
) -> bool {
    // A column's default or a domain's checks set aside (each `false` for a key of another kind).
    if super::columns::default_along(desired, live, key, out)
        || super::types::domain_checks_along(desired, live, key, root, out)
    {
        return true;
    }
    let Some(old) = Obj::named(live, key) else { return false };
    if old.is_foreign_key() {
        return false;
    }
    let again = Obj::named(desired, key).unwrap_or_else(|| old.clone());
    // Made again as declared: its own redefinition in place (a function replaced) is this one.
    out.changes.retain(|c| !(c.key == *key && c.op.redefines_in_place()));
    replace(out, old, again.clone(), vec![], |out| again.create_again(key, out));
    true
}

/// A replaced object loses its comment with the drop: the comment it should have (as declared, or as it was
/// for an undeclared dependent) is set again after its re-creation, in place of any comment change.
pub(super) fn restore_comments(out: &mut Comparison) {
    // A relation replaced by one of another kind is not made again: the new one's comments are its own.
    let replaced: Vec<(ObjectKey, Obj, Option<ObjectKey>, Class)> = out
        .changes
        .iter()
        .filter_map(|c| c.made_again().map(|obj| (c.key.clone(), obj, c.part_of.clone(), c.class)))
        .collect();
    for (key, obj, part_of, class) in replaced {
        out.changes
            .retain(|c| !(c.key == key && matches!(c.op, Op::SetComment { .. } | Op::ChangeComment { .. })));
        if let (Some(on), Some(text)) = (obj.comment_on(), obj.comment().cloned()) {
            out.changes.push(super::model::Change {
                class,
                key,
                op: Op::SetComment { on, text },
                hazards: vec![],
                part_of,
            });
        }
    }
}
