//! The rollback of a plan: a plan file of its own (`plans/x.sql` gets `plans/x.rollback.sql`) whose steps
//! undo the forward steps in reverse order.
//!
//! Invariants (DESIGN "The plan file"):
//! - each step undoes one forward step, and only when the history records that step as executed by that
//!   plan (`<history schema>.history_steps`): an object that existed before the plan, or that a guard skipped
//!   because someone had made it by hand, is never touched;
//! - each step is also guarded like any step: it acts only on the object as the forward step left it;
//! - every step is transactional (an index is dropped or built without `CONCURRENTLY`: a rollback is the
//!   short way back), so each is one `DO` block that the history gate opens;
//! - what cannot be undone is listed in the header: enum values, sequence owners, data written into added
//!   columns and tables, anything the forward plan dropped.

use super::{Plan, Segment, Step};
use crate::catalog::{ObjectKey, quote_ident, quote_literal};
use crate::diff::{Change, Class, CommentOn, Hazard, Obj, Op};
use std::collections::{BTreeMap, BTreeSet};

/// What a rollback file says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollbackOf {
    /// The forward plan's id: the history rows the gates look for.
    pub plan_id: String,
    pub history_schema: String,
    /// One line per forward step (or consequence) that cannot be undone.
    pub cannot_undo: Vec<String>,
}

/// The rollback of `forward` (whose id is `plan_id`); `None` when nothing in it can be undone.
/// `dependencies` are the desired side's: what a created object that cannot be undone uses stays too.
pub fn build(
    forward: &Plan,
    plan_id: &str,
    history_schema: &str,
    dependencies: &super::order::Dependencies,
) -> Option<Plan> {
    // Redefinitions: the old and new object of each key dropped to be created again.
    // A relation replaced by one of another kind (a view by a table) is found by both keys.
    let replaced: BTreeMap<ObjectKey, (Obj, Obj)> = forward
        .steps()
        .filter_map(|s| match &s.change.op {
            Op::Drop { object, replaced_by: Some(new) } => {
                let pair = (unconcurrent(object), unconcurrent(new));
                let other = (new.key() != s.change.key).then(|| (new.key(), pair.clone()));
                Some([Some((s.change.key.clone(), pair)), other])
            }
            _ => None,
        })
        .flatten()
        .flatten()
        .collect();
    let mut cannot_undo = Vec::new();
    let mut stays: BTreeSet<ObjectKey> = BTreeSet::new();
    let mut undo: Vec<(usize, Change)> = Vec::new();
    let parts = parts(forward);
    for step in forward.steps().collect::<Vec<_>>().into_iter().rev() {
        let with_parts = parts.get(&step.change.key).and_then(|ops| {
            super::kinds::of(&step.change.op).and_then(|kind| kind.undo_with_parts(&step.change, ops))
        });
        if let Some(undone) = with_parts {
            undo.extend(undone.into_iter().map(|(key, op)| {
                (step.number, Change { class: class_of(&op), key, op, hazards: vec![], part_of: None })
            }));
            continue;
        }
        let undone = inverse(&step.change, &replaced);
        if matches!(undone, Err(Some(_))) && is_creation(&step.change.op) {
            stays.insert(step.change.key.clone());
        }
        match undone {
            Ok(ops) => undo.extend(ops.into_iter().map(|(op, hazards)| {
                let change = Change {
                    class: class_of(&op),
                    key: step.change.key.clone(),
                    op,
                    hazards,
                    part_of: step.change.part_of.clone(),
                };
                (step.number, change)
            })),
            Err(Some(why)) => cannot_undo
                .push(format!("step {} ({} {}): {why}", step.number, step.change.class, step.change.key)),
            Err(None) => {}
        }
    }
    keep_what_stays_uses(&mut undo, &mut stays, dependencies, &mut cannot_undo);
    leave_what_used_data_that_is_gone(forward, &mut undo, &mut cannot_undo);
    drop_redundant_comments(&mut undo);
    if undo.is_empty() {
        return None;
    }
    let (forward_steps, changes): (Vec<usize>, Vec<Change>) = undo.into_iter().unzip();
    let expected = super::expect::expected(
        &forward.expected,
        &changes,
        forward.context.role.as_deref().unwrap_or(&forward.context.owner),
    );
    // From the forward plan's result to the rollback's; the forward result also says which tables are
    // partitioned (no rollback step builds an index concurrently).
    let planning = super::kinds::Planning::new(&forward.expected, &changes, true);
    let manifest = super::manifest(&forward.expected, &expected, &planning);
    // Each step's SQL, gated on the history, goes to the spill as it is made.
    let mut spiller = super::spill::Spiller::new();
    let written: Vec<(super::kinds::Written, super::spill::StepSql)> = changes
        .iter()
        .zip(&forward_steps)
        .enumerate()
        .map(|(i, (c, forward_step))| {
            let mut written = super::kinds::written(i + 1, c, &planning);
            let guarded = std::mem::take(&mut written.guarded.sql);
            let sql = spiller.keep(gate(&guarded, i + 1, plan_id, *forward_step, history_schema));
            (written, sql)
        })
        .collect();
    drop(planning);
    let mut segments: Vec<Segment> = Vec::new();
    for (i, (change, (written, sql))) in changes.into_iter().zip(written).enumerate() {
        let number = i + 1;
        let super::kinds::Written { guarded, ddl, lock: step_lock } = written;
        debug_assert!(guarded.transactional, "rollback steps are transactional");
        let stage_boundary =
            super::kinds::of(&change.op).is_some_and(|kind| kind.rollback_starts_transaction(&change.op));
        let full = segments.last().is_some_and(|s| s.steps.len() >= super::MAX_RELATIONS_PER_SEGMENT);
        // A validation scans in a transaction of its own (see `lock`).
        let alone = step_lock.own_transaction()
            || segments.last().is_some_and(|s| s.steps.iter().any(|s| s.lock.own_transaction()));
        if segments.is_empty() || stage_boundary || full || alone {
            segments.push(Segment { number: segments.len() + 1, transactional: true, steps: vec![] });
        }
        let step = Step { number, change, sql, transactional: true, lock: step_lock, ddl };
        segments.last_mut().expect("a segment exists").steps.push(step);
    }
    Some(Plan {
        context: forward.context.clone(),
        segments,
        manifest,
        comparison: Default::default(),
        not_admitted: vec![],
        policy: Default::default(),
        expected,
        rollback_of: Some(RollbackOf {
            plan_id: plan_id.to_string(),
            history_schema: history_schema.to_string(),
            cannot_undo,
        }),
        spill: spiller.finish(),
        // A rollback's steps act only where the history says its plan acted: a copy of the schema alone
        // cannot show what they do.
        proof: Some(crate::plan::ProofStatus::NotProven(
            "a rollback is not run on a copy (its steps depend on the apply history)".to_string(),
        )),
    })
}

/// The forward steps that serve another change (`part_of`: a partition's share of an index), by that
/// change's key.
fn parts(forward: &Plan) -> BTreeMap<ObjectKey, Vec<&Op>> {
    let mut out: BTreeMap<ObjectKey, Vec<&Op>> = BTreeMap::new();
    for step in forward.steps() {
        if let Some(of) = &step.change.part_of {
            out.entry(of.clone()).or_default().push(&step.change.op);
        }
    }
    out
}

/// The object as a rollback step sees it (every step is transactional).
fn unconcurrent(object: &Obj) -> Obj {
    super::kinds::of_object(object).in_rollback(object)
}

fn is_creation(op: &Op) -> bool {
    if let Some(kind) = super::kinds::of(op) {
        return kind.creates(op);
    }
    !matches!(op, Op::Drop { .. } | Op::SetComment { .. })
}

/// An object that stays (its creation cannot be undone) keeps what it uses: those drops are left out,
/// transitively, and listed.
fn keep_what_stays_uses(
    undo: &mut Vec<(usize, Change)>,
    stays: &mut BTreeSet<ObjectKey>,
    dependencies: &super::order::Dependencies,
    cannot_undo: &mut Vec<String>,
) {
    loop {
        let used: BTreeMap<ObjectKey, ObjectKey> = stays
            .iter()
            .flat_map(|k| dependencies.get(k).into_iter().flatten().map(move |d| (d.clone(), k.clone())))
            .collect();
        let position = undo.iter().position(|(_, c)| {
            matches!(c.op, Op::Drop { replaced_by: None, .. })
                && c.keys().iter().any(|k| used.contains_key(k))
        });
        let Some(i) = position else { return };
        let (forward, change) = undo.remove(i);
        let user = change.keys().iter().find_map(|k| used.get(k)).map(|k| k.to_string()).unwrap_or_default();
        cannot_undo.push(format!("step {forward} ({}): stays, because {user} stays and uses it", change.key));
        stays.insert(change.key);
    }
}

/// A dropped object created again cannot come back when what it used is gone with its data (an index on
/// a dropped column, a view over a dropped table): those steps are left out and listed.
fn leave_what_used_data_that_is_gone(
    forward: &Plan,
    undo: &mut Vec<(usize, Change)>,
    cannot_undo: &mut Vec<String>,
) {
    let gone: BTreeSet<ObjectKey> = forward
        .steps()
        .filter_map(|s| match &s.change.op {
            Op::Drop { object: o, replaced_by: None } if holds_data(o) => Some(o.key()),
            Op::Drop { object: o, .. } if data_gone_when_replaced(o) => Some(o.key()),
            _ => None,
        })
        .collect();
    if gone.is_empty() {
        return;
    }
    let live_dependencies = &forward.expected.dependencies;
    let needs_gone = |c: &Change| -> Option<ObjectKey> {
        let (table, columns) = super::kinds::of(&c.op).and_then(|kind| kind.made_on(&c.op))?;
        if let Some(t) = table {
            let key = ObjectKey::table(t);
            if gone.contains(&key) {
                return Some(key);
            }
            if let Some(k) = columns.iter().map(|c| ObjectKey::column(t, c)).find(|k| gone.contains(k)) {
                return Some(k);
            }
        }
        live_dependencies.get(&c.key).into_iter().flatten().find(|d| gone.contains(*d)).cloned()
    };
    let mut left_out = BTreeSet::new();
    undo.retain(|(step, c)| match needs_gone(c) {
        Some(used) => {
            cannot_undo.push(format!(
                "step {step} ({}): not created again: it used {used}, which the plan dropped",
                c.key
            ));
            left_out.insert(c.key.clone());
            false
        }
        None => true,
    });
    // Nor its comment.
    undo.retain(|(_, c)| !(left_out.contains(&c.key) && matches!(c.op, Op::SetComment { .. })));
}

/// Undoing a comment or a grant on an object that a later rollback step drops is redundant (it goes with
/// the object), and would fail when the rollback runs again after that drop.
fn drop_redundant_comments(undo: &mut Vec<(usize, Change)>) {
    let dropped: BTreeSet<ObjectKey> = undo
        .iter()
        .filter_map(|(_, c)| match &c.op {
            Op::Drop { object, .. } => Some(object.key()),
            _ => None,
        })
        .collect();
    let tables: BTreeSet<crate::catalog::QualName> = undo
        .iter()
        .filter_map(|(_, c)| match &c.op {
            Op::Drop { object, .. } => super::kinds::of_object(object).whole(object).cloned(),
            _ => None,
        })
        .collect();
    undo.retain(|(_, c)| match &c.op {
        Op::ChangeComment { on, to: None, .. } => {
            !dropped.contains(&c.key) && !comment_table(on).is_some_and(|t| tables.contains(t))
        }
        // Privileges go with their object too.
        op => {
            super::kinds::of(op).is_none_or(|kind| !kind.undone_with(op).iter().any(|k| dropped.contains(k)))
        }
    });
}

/// The table the commented object is a part of (or is).
fn comment_table(on: &CommentOn) -> Option<&crate::catalog::QualName> {
    super::kinds::of_comment(on).comment_table(on)
}

/// Drops undo additions; the rest are alterations.
fn class_of(op: &Op) -> Class {
    match op {
        Op::Drop { replaced_by: None, .. } => Class::Drop,
        _ => Class::Alter,
    }
}

/// Steps of a rollback, each an operation and its hazards.
pub(super) type Undo = Vec<(Op, Vec<Hazard>)>;

/// The steps that undo one forward change; `Err(Some(why))` when it cannot be undone, `Err(None)` when
/// another step's undoing covers it (a validation, the stages before a NOT NULL is set).
fn inverse(change: &Change, replaced: &BTreeMap<ObjectKey, (Obj, Obj)>) -> Result<Undo, Option<String>> {
    let remake =
        replaced.contains_key(&change.key) && !matches!(change.op, Op::Drop { .. } | Op::SetComment { .. });
    if remake {
        // The re-creation of a redefined object is undone by dropping the new definition (the old one is
        // created again where the forward drop is undone, later in the rollback).
        let (old, new) = replaced[&change.key].clone();
        let hazards = super::kinds::of_object(&new).drop_hazards(&new);
        // A table dropped to make a view of its name does not come back (its data): the view just goes.
        let replaced_by = (!data_gone_when_replaced(&old)).then_some(old);
        return Ok(vec![(Op::drop(new, replaced_by), hazards)]);
    }
    if let Some(kind) = super::kinds::of(&change.op) {
        return kind.inverse(change, &super::kinds::Undoing { replaced });
    }
    match &change.op {
        Op::SetComment { on, text } => {
            Ok(vec![(Op::ChangeComment { on: on.clone(), from: text.clone(), to: None }, vec![])])
        }
        Op::ChangeComment { on, from, to } => Ok(vec![(
            Op::ChangeComment {
                on: on.clone(),
                from: to.clone().unwrap_or_default(),
                to: Some(from.clone()),
            },
            vec![],
        )]),
        Op::Drop { object, replaced_by: Some(_) } if data_gone_when_replaced(object) => Err(Some(
            "dropped with its data to make a view of the name: restore it from a backup".to_string(),
        )),
        // Where a redefinition began, the old definition is created again; one that held data and cannot
        // be made from its definition (a plain column made generated) is gone with its data.
        Op::Drop { object, replaced_by: Some(_) } => match create(&unconcurrent(object)) {
            again if again.is_empty() && holds_data(object) => Err(Some(
                "dropped with its data to be made again as declared: restore it from a backup".to_string(),
            )),
            again => Ok(again),
        },
        // What holds data cannot come back; an object that is its definition is created again.
        Op::Drop { object, .. } if holds_data(object) => {
            Err(Some("dropped with its data: restore it from a backup".to_string()))
        }
        Op::Drop { object, replaced_by: None } => Ok(create(&unconcurrent(object))),
        _ => unreachable!("undone by its kind (plan::kinds)"),
    }
}

/// Whether a dropped object took data along (a table, a column, a sequence's position, what an extension
/// made): it cannot be made again.
fn holds_data(object: &Obj) -> bool {
    super::kinds::of_object(object).holds_data(object)
}

/// Whether a dropped object took its data for good though another object took its name (a table made a
/// view).
fn data_gone_when_replaced(object: &Obj) -> bool {
    super::kinds::of_object(object).data_gone_when_replaced(object)
}

/// The old definition created again, with its comment.
fn create(object: &Obj) -> Undo {
    super::kinds::of_object(object).recreate(object)
}

/// Opens a step's `DO` block only when the history records forward step `forward` as executed by
/// `plan_id`.
fn gate(sql: &str, step: usize, plan_id: &str, forward: usize, schema: &str) -> String {
    let steps = format!("{}.history_steps", quote_ident(schema));
    let skip = |why: &str| {
        format!(
            "RAISE NOTICE {};",
            quote_literal(&format!("accrete: step {step} skipped: step {forward} of plan {plan_id} {why}"))
        )
    };
    let gate = format!(
        "  IF pg_catalog.to_regclass({}) IS NULL THEN\n    {}\n    RETURN;\n  END IF;\n  \
         IF NOT EXISTS (SELECT FROM {steps} h WHERE h.plan_id = {} AND h.step = {forward} AND h.outcome = 'executed') THEN\n    {}\n    RETURN;\n  END IF;\n",
        quote_literal(&steps),
        skip("was never applied here (no history)"),
        quote_literal(plan_id),
        skip("was not executed by it (skipped by its guard, rolled back, or not applied)"),
    );
    match sql.split_once("\nBEGIN\n") {
        Some((head, body)) => format!("{head}\nBEGIN\n{gate}{body}"),
        None => unreachable!("every transactional step is one DO block"),
    }
}
