//! Event triggers in a plan: what is particular to the kind after the comparison (`diff/event_triggers.rs`)
//! and inspect's query, in one place: the guards, the drop, the comment's target, the order ranks, the
//! expected state and the rollback's inverse ([`PlanKind`]). Every step on one needs a superuser.
//!
//! An event trigger is found by name in `pg_event_trigger` (database-wide: no schema). "As planned"
//! compares what `inspect` reads: the event, the tag filter (sorted bytewise), the function (by
//! `to_regprocedure` of its signature) and the firing state (`evtenabled`).

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, EventTrigger, FiringState, ObjectKey, quote_ident, quote_literal};
use crate::diff::{Change, CommentOn, Hazard, Obj, Op};
use crate::plan::guards::{Guarded, State, text_array, three_way};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct EventTriggerKind;
pub(super) static EVENT_TRIGGER: EventTriggerKind = EventTriggerKind;

/// Rank of its creation and of a change of its firing state: last, as in the scratch database, so that a
/// new or newly enabled event trigger does not fire on the plan's own steps.
const CREATE_RANK: u8 = 25;
/// Rank of its drop: with the parts of tables (triggers, rules, policies).
const DROP_RANK: u8 = 16;

/// `SELECT FROM pg_event_trigger e WHERE e.evtname = ...`.
fn lookup(name: &str) -> String {
    format!("SELECT FROM pg_catalog.pg_event_trigger e WHERE e.evtname = {}", quote_literal(name))
}

/// The event trigger `e` is this one, in firing state `enabled`.
fn matches(t: &EventTrigger, enabled: FiringState) -> String {
    format!(
        "EXISTS ({} AND e.evtevent = {} AND e.evtfoid = pg_catalog.to_regprocedure({})\n        \
         AND ARRAY(SELECT x FROM pg_catalog.unnest(coalesce(e.evttags, '{{}}'::text[])) x ORDER BY x COLLATE pg_catalog.\"C\") = {}\n        \
         AND e.evtenabled = {})",
        lookup(&t.name),
        quote_literal(&t.event),
        quote_literal(&t.function),
        text_array(&t.tags),
        quote_literal(&enabled.code().to_string())
    )
}

fn state(t: &EventTrigger) -> State {
    State {
        exists: format!("EXISTS ({})", lookup(&t.name)),
        same: matches(t, t.enabled),
        object: format!("event trigger {}", t.name),
    }
}

fn create(step: usize, t: &EventTrigger) -> String {
    let s = state(t);
    three_way(step, &s.exists, &s.same, &s.object, &t.statements())
}

/// Done when it fires as planned; acts when it fires as it did at planning time; fails otherwise (another
/// definition, or gone).
fn set_enabled(step: usize, t: &EventTrigger, from: FiringState, to: FiringState) -> String {
    crate::plan::guards_alter::before_after(
        step,
        &matches(t, to),
        &matches(t, from),
        &format!("event trigger {} already fires as planned ({})", t.name, to.sql()),
        &format!("event trigger {} was changed since the plan", t.name),
        &[EventTrigger::enabled_sql(&t.name, to)],
    )
}

/// `COMMENT ON` target, current comment expression, and object words.
fn comment_target(name: &str) -> (String, String, String) {
    (
        format!("EVENT TRIGGER {}", quote_ident(name)),
        format!(
            "pg_catalog.obj_description((SELECT e.oid FROM pg_catalog.pg_event_trigger e WHERE e.evtname = {}), \
             'pg_event_trigger')",
            quote_literal(name)
        ),
        format!("event trigger {name}"),
    )
}

fn drop_sql(t: &EventTrigger) -> String {
    format!("DROP EVENT TRIGGER {}", quote_ident(&t.name))
}

/// The expected state after its creation.
fn created(c: &mut Catalog, t: &EventTrigger) {
    c.event_triggers.insert(t.name.clone(), t.clone());
}

/// The expected state after its firing state is set.
fn enabled(c: &mut Catalog, name: &str, to: FiringState) {
    if let Some(e) = c.event_triggers.get_mut(name) {
        e.enabled = to;
    }
}

/// The expected state after its drop.
fn dropped(c: &mut Catalog, t: &EventTrigger) {
    c.event_triggers.remove(&t.name);
}

/// The expected state after its comment is set (`None`: removed).
fn commented(c: &mut Catalog, name: &str, text: Option<String>) {
    if let Some(x) = c.event_triggers.get_mut(name) {
        x.comment = text;
    }
}

/// What the rollback creates for its drop: the event trigger as it was, its comment a step of its own.
fn recreated(t: &EventTrigger) -> EventTrigger {
    EventTrigger { comment: None, ..t.clone() }
}

fn object(object: &Obj) -> &EventTrigger {
    let Obj::EventTrigger(t) = object else { unreachable!("an event trigger") };
    t
}

fn commented_name(on: &CommentOn) -> &str {
    let CommentOn::EventTrigger(name) = on else { unreachable!("an event trigger's comment") };
    name
}

impl PlanKind for EventTriggerKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateEventTrigger(t) => create(step, t),
            Op::SetEventTriggerEnabled { trigger, from, to } => set_enabled(step, trigger, *from, *to),
            _ => unreachable!("an event trigger's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateEventTrigger(t) => t.statements(),
            Op::SetEventTriggerEnabled { trigger, to, .. } => {
                vec![EventTrigger::enabled_sql(&trigger.name, *to)]
            }
            _ => unreachable!("an event trigger's change"),
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        match op {
            Op::SetEventTriggerEnabled { to, .. } => Some(to.sql().to_string()),
            _ => None,
        }
    }

    fn rank(&self, _op: &Op) -> u8 {
        CREATE_RANK
    }

    /// Its function, made or remade by this plan or there already.
    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        match op {
            Op::CreateEventTrigger(e) => {
                vec![(Resource::Object(ObjectKey::function(&e.function)), Edge::Before)]
            }
            _ => vec![],
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateEventTrigger(e) => created(c, e),
            Op::SetEventTriggerEnabled { trigger, to, .. } => enabled(c, &trigger.name, *to),
            _ => unreachable!("an event trigger's change"),
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateEventTrigger(e) => {
                drop_again(Obj::EventTrigger(e.clone()), vec![Hazard::NeedsSuperuser])
            }
            Op::SetEventTriggerEnabled { trigger, from, to } => Ok(vec![(
                Op::SetEventTriggerEnabled { trigger: trigger.clone(), from: *to, to: *from },
                vec![Hazard::NeedsSuperuser],
            )]),
            _ => unreachable!("an event trigger's change"),
        }
    }

    fn state(&self, o: &Obj) -> State {
        state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        drop_sql(object(o))
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        DROP_RANK
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        dropped(c, object(o));
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let t = object(o);
        let create = Op::CreateEventTrigger(recreated(t));
        with_comment(
            create,
            vec![Hazard::NeedsSuperuser],
            CommentOn::EventTrigger(t.name.clone()),
            &t.comment,
        )
    }

    fn drop_hazards(&self, _object: &Obj) -> Vec<Hazard> {
        vec![Hazard::NeedsSuperuser]
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        comment_target(commented_name(on))
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Object(ObjectKey::event_trigger(commented_name(on)))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        commented(c, commented_name(on), text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> EventTrigger {
        EventTrigger {
            name: "Guard".into(),
            event: "ddl_command_start".into(),
            tags: vec!["ALTER TABLE".into(), "DROP TABLE".into()],
            function: "app.guard()".into(),
            enabled: FiringState::Always,
            comment: None,
        }
    }

    #[test]
    fn a_new_one_is_created_then_set_to_fire_as_declared() {
        let sql = create(4, &guard());
        assert!(sql.contains(
            "EXECUTE $ddl$CREATE EVENT TRIGGER \"Guard\" ON ddl_command_start WHEN TAG IN ('ALTER TABLE', 'DROP TABLE') \
             EXECUTE FUNCTION app.guard()$ddl$;\n    EXECUTE $ddl$ALTER EVENT TRIGGER \"Guard\" ENABLE ALWAYS$ddl$;"
        ), "{sql}");
        assert!(sql.contains("e.evtname = 'Guard'"));
        assert!(sql.contains("= ARRAY['ALTER TABLE', 'DROP TABLE']::text[]"));
        assert!(sql.contains("AND e.evtenabled = 'A')"));
        assert!(sql.contains("accrete: step 4: event trigger Guard exists with another definition"));
    }

    #[test]
    fn the_firing_state_changes_only_from_the_planned_one() {
        let t = guard();
        let sql = set_enabled(2, &t, FiringState::Enabled, FiringState::Disabled);
        let after = sql.find("e.evtenabled = 'D'").expect("after state");
        let before = sql.find("e.evtenabled = 'O'").expect("before state");
        assert!(after < before, "{sql}");
        assert!(sql.contains("EXECUTE $ddl$ALTER EVENT TRIGGER \"Guard\" DISABLE$ddl$;"));
        assert!(sql.contains("accrete: step 2: event trigger Guard was changed since the plan"));
        let (target, current, _) = comment_target("Guard");
        assert_eq!(target, "EVENT TRIGGER \"Guard\"");
        assert!(current.contains("'pg_event_trigger'"));
    }
}
