//! Rules in a plan: a part of its table (or view), found by table and name in `pg_rewrite`; "as
//! planned" compares `pg_get_ruledef`. Created after the table and its columns, with its firing state
//! when that is not the default; its firing state changed on its own (`Op::SetPartFiring`); dropped with
//! the other parts of tables.

use super::parts::Catalog as Parts;
use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, ObjectKey, QualName, Rule, quote_literal};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::guards_code::statement;
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct RuleKind;
pub(super) static RULE: RuleKind = RuleKind;

const PARTS: Parts = Parts {
    table: "pg_rewrite",
    relation: "ev_class",
    name: "rulename",
    enabled: "ev_enabled",
    keyword: "RULE",
    word: "rule",
};

fn object(object: &Obj) -> (&QualName, &Rule) {
    let Obj::Rule { table, rule } = object else { unreachable!("a rule") };
    (table, rule)
}

fn commented(on: &CommentOn) -> (&QualName, &str) {
    let CommentOn::Rule(table, name) = on else { unreachable!("a rule's comment") };
    (table, name)
}

fn state(table: &QualName, r: &Rule) -> State {
    let lookup = PARTS.lookup(table, &r.name);
    let exists = format!("EXISTS ({lookup})");
    let same = format!("pg_catalog.pg_get_ruledef(({lookup})) = {}", quote_literal(&r.definition));
    State { exists, same, object: format!("rule {} on {table}", r.name) }
}

/// `CREATE RULE`, and the statement that sets its firing state when it is not the default.
fn create_statements(table: &QualName, r: &Rule) -> Vec<String> {
    let mut out = vec![statement(&r.definition).to_string()];
    if !r.enabled.is_enabled() {
        out.push(PARTS.firing_sql(table, &r.name, r.enabled));
    }
    out
}

/// `CREATE RULE`, the rule forms of `ENABLE` / `DISABLE` and `DROP RULE` take ACCESS EXCLUSIVE.
const LOCK: StepLock = StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Brief };

impl PlanKind for RuleKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateRule { table, rule } => {
                let s = state(table, rule);
                three_way(step, &s.exists, &s.same, &s.object, &create_statements(table, rule))
            }
            Op::SetPartFiring { table, name, from, to, .. } => {
                PARTS.set_firing(step, table, name, *from, *to)
            }
            _ => unreachable!("a rule's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateRule { table, rule } => create_statements(table, rule),
            Op::SetPartFiring { table, name, to, .. } => vec![PARTS.firing_sql(table, name, *to)],
            _ => unreachable!("a rule's change"),
        }
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            // After the rule it sets (made at 13, or made again).
            Op::SetPartFiring { .. } => 14,
            _ => 13,
        }
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        match op {
            Op::CreateRule { table, .. } => {
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
            Op::CreateRule { table, rule } => {
                if let Some(t) = c.rules_mut(table) {
                    t.insert(rule.name.clone(), rule.clone());
                }
            }
            Op::SetPartFiring { table, name, to, .. } => {
                if let Some(t) = c.rules_mut(table).and_then(|t| t.get_mut(name)) {
                    t.enabled = *to;
                }
            }
            _ => unreachable!("a rule's change"),
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateRule { table, rule } => {
                drop_again(Obj::Rule { table: table.clone(), rule: rule.clone() }, vec![])
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
            _ => unreachable!("a rule's change"),
        }
    }

    fn lock(&self, _change: &Change) -> StepLock {
        LOCK
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        match op {
            Op::CreateRule { table, .. } | Op::SetPartFiring { table, .. } => Some(table),
            _ => None,
        }
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        match op {
            Op::CreateRule { table, .. } => Some((Some(table), vec![])),
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
        LOCK
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        let (table, t) = object(o);
        if let Some(rules) = c.rules_mut(table) {
            rules.remove(&t.name);
        }
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let (table, t) = object(o);
        let create = Op::CreateRule { table: table.clone(), rule: Rule { comment: None, ..t.clone() } };
        with_comment(create, vec![], CommentOn::Rule(table.clone(), t.name.clone()), &t.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (table, name) = commented(on);
        PARTS.comment_target(table, name)
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        let (table, name) = commented(on);
        Resource::Object(ObjectKey::rule(table, name))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let (table, name) = commented(on);
        if let Some(x) = c.rules_mut(table).and_then(|t| t.get_mut(name)) {
            x.comment = text;
        }
    }

    fn comment_table<'a>(&self, on: &'a CommentOn) -> Option<&'a QualName> {
        Some(commented(on).0)
    }
}
