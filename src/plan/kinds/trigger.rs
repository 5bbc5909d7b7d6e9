//! Triggers in a plan: a part of its table (or view), found by table and name in `pg_trigger`; "as
//! planned" compares `pg_get_triggerdef`. Created after the table and its columns, with its firing state
//! when that is not the default; its firing state changed on its own (`Op::SetPartFiring`); dropped with
//! the other parts of tables.

use super::parts::Catalog as Parts;
use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, ObjectKey, QualName, Trigger, quote_literal};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct TriggerKind;
pub(super) static TRIGGER: TriggerKind = TriggerKind;

const PARTS: Parts = Parts {
    table: "pg_trigger",
    relation: "tgrelid",
    name: "tgname",
    enabled: "tgenabled",
    keyword: "TRIGGER",
    word: "trigger",
};

fn object(object: &Obj) -> (&QualName, &Trigger) {
    let Obj::Trigger { table, trigger } = object else { unreachable!("a trigger") };
    (table, trigger)
}

fn commented(on: &CommentOn) -> (&QualName, &str) {
    let CommentOn::Trigger(table, name) = on else { unreachable!("a trigger's comment") };
    (table, name)
}

fn state(table: &QualName, t: &Trigger) -> State {
    let lookup = PARTS.lookup(table, &t.name) + " AND NOT x.tgisinternal";
    let exists = format!("EXISTS ({lookup})");
    let same = format!("pg_catalog.pg_get_triggerdef(({lookup})) = {}", quote_literal(&t.definition));
    State { exists, same, object: format!("trigger {} on {table}", t.name) }
}

/// `CREATE TRIGGER`, and the statement that sets its firing state when it is not the default.
fn create_statements(table: &QualName, t: &Trigger) -> Vec<String> {
    let mut out = vec![t.definition.clone()];
    if !t.enabled.is_enabled() {
        out.push(PARTS.firing_sql(table, &t.name, t.enabled));
    }
    out
}

/// `ENABLE` / `DISABLE TRIGGER` takes SHARE ROW EXCLUSIVE, like `CREATE TRIGGER`.
const LOCK: StepLock = StepLock { mode: LockMode::ShareRowExclusive, duration: LockDuration::Brief };

impl PlanKind for TriggerKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateTrigger { table, trigger } => {
                let s = state(table, trigger);
                three_way(step, &s.exists, &s.same, &s.object, &create_statements(table, trigger))
            }
            Op::SetPartFiring { table, name, from, to, .. } => {
                PARTS.set_firing(step, table, name, *from, *to)
            }
            _ => unreachable!("a trigger's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateTrigger { table, trigger } => create_statements(table, trigger),
            Op::SetPartFiring { table, name, to, .. } => vec![PARTS.firing_sql(table, name, *to)],
            _ => unreachable!("a trigger's change"),
        }
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            // After the trigger it sets (made at 13, or made again).
            Op::SetPartFiring { .. } => 14,
            _ => 13,
        }
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        match op {
            Op::CreateTrigger { table, .. } => {
                vec![
                    (Resource::Table(table.clone()), Edge::Before),
                    (Resource::Columns(table.clone()), Edge::Before),
                ]
            }
            _ => vec![],
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateTrigger { table, trigger } => {
                if let Some(t) = c.triggers_mut(table) {
                    t.insert(trigger.name.clone(), trigger.clone());
                }
            }
            Op::SetPartFiring { table, name, to, .. } => {
                if let Some(t) = c.triggers_mut(table).and_then(|t| t.get_mut(name)) {
                    t.enabled = *to;
                }
            }
            _ => unreachable!("a trigger's change"),
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateTrigger { table, trigger } => {
                drop_again(Obj::Trigger { table: table.clone(), trigger: trigger.clone() }, vec![])
            }
            Op::SetPartFiring { kind, table, name, from, to } => Ok(vec![(
                Op::SetPartFiring {
                    kind: *kind,
                    table: table.clone(),
                    name: name.clone(),
                    from: *to,
                    to: *from,
                },
                vec![],
            )]),
            _ => unreachable!("a trigger's change"),
        }
    }

    fn lock(&self, _change: &Change) -> StepLock {
        LOCK
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        match op {
            Op::CreateTrigger { table, .. } | Op::SetPartFiring { table, .. } => Some(table),
            _ => None,
        }
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        match op {
            Op::CreateTrigger { table, .. } => Some((Some(table), vec![])),
            _ => None,
        }
    }

    fn state(&self, o: &Obj) -> State {
        let (table, t) = object(o);
        state(table, t)
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let (table, t) = object(o);
        PARTS.drop_sql(table, &t.name)
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        16
    }

    fn drop_lock(&self, _object: &Obj) -> StepLock {
        StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Brief }
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        let (table, t) = object(o);
        if let Some(triggers) = c.triggers_mut(table) {
            triggers.remove(&t.name);
        }
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let (table, t) = object(o);
        let create =
            Op::CreateTrigger { table: table.clone(), trigger: Trigger { comment: None, ..t.clone() } };
        with_comment(create, vec![], CommentOn::Trigger(table.clone(), t.name.clone()), &t.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (table, name) = commented(on);
        PARTS.comment_target(table, name)
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        let (table, name) = commented(on);
        Resource::Object(ObjectKey::trigger(table, name))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let (table, name) = commented(on);
        if let Some(x) = c.triggers_mut(table).and_then(|t| t.get_mut(name)) {
            x.comment = text;
        }
    }

    fn comment_table<'a>(&self, on: &'a CommentOn) -> Option<&'a QualName> {
        Some(commented(on).0)
    }
}
