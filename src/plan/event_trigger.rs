//! Event triggers in a plan: what is particular to the kind after the comparison (`diff/event_triggers.rs`)
//! and inspect's query, in one place: the guards, the drop, the comment's target, the order ranks, the
//! expected state and the rollback's inverse. The stages' arms for `Op::CreateEventTrigger`,
//! `Op::SetEventTriggerEnabled`, `Obj::EventTrigger` and `CommentOn::EventTrigger` call here.
//!
//! An event trigger is found by name in `pg_event_trigger` (database-wide: no schema). "As planned"
//! compares what `inspect` reads: the event, the tag filter (sorted bytewise), the function (by
//! `to_regprocedure` of its signature) and the firing state (`evtenabled`).

use super::guards::{State, text_array, three_way};
use crate::catalog::{Catalog, EventTrigger, FiringState, quote_ident, quote_literal};

/// Rank of its creation and of a change of its firing state: last, as in the scratch database, so that a
/// new or newly enabled event trigger does not fire on the plan's own steps.
pub(super) const CREATE_RANK: u8 = 25;
/// Rank of its drop: with the parts of tables (triggers, rules, policies).
pub(super) const DROP_RANK: u8 = 16;

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

pub(super) fn state(t: &EventTrigger) -> State {
    State {
        exists: format!("EXISTS ({})", lookup(&t.name)),
        same: matches(t, t.enabled),
        object: format!("event trigger {}", t.name),
    }
}

pub(super) fn create(step: usize, t: &EventTrigger) -> String {
    let s = state(t);
    three_way(step, &s.exists, &s.same, &s.object, &t.statements())
}

/// Done when it fires as planned; acts when it fires as it did at planning time; fails otherwise (another
/// definition, or gone).
pub(super) fn set_enabled(step: usize, t: &EventTrigger, from: FiringState, to: FiringState) -> String {
    super::guards_alter::before_after(
        step,
        &matches(t, to),
        &matches(t, from),
        &format!("event trigger {} already fires as planned ({})", t.name, to.sql()),
        &format!("event trigger {} was changed since the plan", t.name),
        &[EventTrigger::enabled_sql(&t.name, to)],
    )
}

/// `COMMENT ON` target, current comment expression, and object words.
pub(super) fn comment_target(name: &str) -> (String, String, String) {
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

pub(super) fn drop_sql(t: &EventTrigger) -> String {
    format!("DROP EVENT TRIGGER {}", quote_ident(&t.name))
}

/// The expected state after its creation.
pub(super) fn created(c: &mut Catalog, t: &EventTrigger) {
    c.event_triggers.insert(t.name.clone(), t.clone());
}

/// The expected state after its firing state is set.
pub(super) fn enabled(c: &mut Catalog, name: &str, to: FiringState) {
    if let Some(e) = c.event_triggers.get_mut(name) {
        e.enabled = to;
    }
}

/// The expected state after its drop.
pub(super) fn dropped(c: &mut Catalog, t: &EventTrigger) {
    c.event_triggers.remove(&t.name);
}

/// The expected state after its comment is set (`None`: removed).
pub(super) fn commented(c: &mut Catalog, name: &str, text: Option<String>) {
    if let Some(x) = c.event_triggers.get_mut(name) {
        x.comment = text;
    }
}

/// What the rollback creates for its drop: the event trigger as it was, its comment a step of its own.
pub(super) fn recreated(t: &EventTrigger) -> EventTrigger {
    EventTrigger { comment: None, ..t.clone() }
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
