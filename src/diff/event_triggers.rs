//! Event triggers: database-wide objects (no schema) that only a superuser can make. A missing one is
//! created; one whose event, tag filter or function differs is redefined by drop and create (alter class);
//! one that fires in another state (`ENABLE`, `DISABLE`, `ENABLE REPLICA`, `ENABLE ALWAYS`) is altered in
//! place; an undeclared one in scope is `extra` (drop class). Every step on one carries `needs-superuser`.

use super::keyed::keyed;
use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, differ};
use super::objects::comment;
use crate::catalog::{Catalog, EventTrigger, ObjectKey, ObjectKind};
use crate::scope::Scope;

/// What differs in the definition (event, tags, function): what drop and create changes.
fn definition_differences(live: &EventTrigger, declared: &EventTrigger) -> Vec<String> {
    let tags = |t: &EventTrigger| if t.tags.is_empty() { "none".to_string() } else { t.tags.join(", ") };
    [
        differ("event", &live.event, &declared.event),
        differ("tags", tags(live), tags(declared)),
        differ("function", &live.function, &declared.function),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub(super) fn compare_event_triggers(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    let hazards = || vec![Hazard::NeedsSuperuser];
    for side in keyed(
        &desired.event_triggers,
        &live.event_triggers,
        |n| ObjectKey::event_trigger(n),
        |key, _| scope.includes(ObjectKind::EventTrigger, &key.name),
    ) {
        let Some((name, key, d)) = side.declared_or_extra(out, |l| (Obj::EventTrigger(l.clone()), hazards()))
        else {
            continue;
        };
        let bare = EventTrigger { comment: None, ..d.clone() };
        let on = CommentOn::EventTrigger(name.clone());
        let Some(l) = live.event_triggers.get(name) else {
            out.missing.push(key.clone());
            out.change(Class::Add, key.clone(), Op::CreateEventTrigger(bare), hazards());
            if let Some(text) = &d.comment {
                comment(out, key, on, None, text);
            }
            continue;
        };
        let mut differences = definition_differences(l, d);
        let redefine = !differences.is_empty();
        differences.extend(differ("enabled", l.enabled.word(), d.enabled.word()));
        if !differences.is_empty() {
            out.changed(key.clone(), Class::Alter, differences);
        }
        if redefine {
            // The re-creation sets the declared firing state too.
            let (old, new) = (Obj::EventTrigger(l.clone()), Obj::EventTrigger(d.clone()));
            super::alter::replace(out, old, new, hazards(), |out| {
                out.change(Class::Alter, key.clone(), Op::CreateEventTrigger(bare), hazards())
            });
        } else if l.enabled != d.enabled {
            let trigger = EventTrigger { comment: None, ..l.clone() };
            let op = Op::SetEventTriggerEnabled { trigger, from: l.enabled, to: d.enabled };
            out.change(Class::Alter, key.clone(), op, hazards());
        }
        if let Some(text) = &d.comment {
            comment(out, key, on, l.comment.as_ref(), text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::FiringState;

    fn trigger(event: &str, tags: &[&str], enabled: FiringState) -> EventTrigger {
        EventTrigger {
            name: "guard".into(),
            event: event.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            function: "app.guard()".into(),
            enabled,
            comment: None,
        }
    }

    fn compare(live: EventTrigger, declared: EventTrigger) -> Comparison {
        let (mut d, mut l) = (Catalog::default(), Catalog::default());
        d.event_triggers.insert(declared.name.clone(), declared);
        l.event_triggers.insert(live.name.clone(), live);
        let mut out = Comparison::default();
        compare_event_triggers(&d, &l, &Scope::default(), &mut out);
        out
    }

    #[test]
    fn a_firing_state_is_altered_in_place() {
        let out = compare(
            trigger("ddl_command_end", &[], FiringState::Enabled),
            trigger("ddl_command_end", &[], FiringState::Always),
        );
        assert_eq!(out.changed[0].differences, ["enabled: live enabled, declared always"]);
        assert_eq!(out.changes.len(), 1);
        assert_eq!(
            out.changes[0].op,
            Op::SetEventTriggerEnabled {
                trigger: trigger("ddl_command_end", &[], FiringState::Enabled),
                from: FiringState::Enabled,
                to: FiringState::Always
            }
        );
        assert_eq!(
            (out.changes[0].class, &out.changes[0].hazards),
            (Class::Alter, &vec![Hazard::NeedsSuperuser])
        );
    }

    #[test]
    fn another_definition_is_dropped_and_created_with_its_state() {
        let out = compare(
            trigger("ddl_command_end", &["CREATE TABLE"], FiringState::Enabled),
            trigger("ddl_command_start", &["ALTER TABLE", "CREATE TABLE"], FiringState::Disabled),
        );
        assert_eq!(
            out.changed[0].differences,
            [
                "event: live ddl_command_end, declared ddl_command_start",
                "tags: live CREATE TABLE, declared ALTER TABLE, CREATE TABLE",
                "enabled: live enabled, declared disabled"
            ]
        );
        let ops: Vec<(Class, &Op)> = out.changes.iter().map(|c| (c.class, &c.op)).collect();
        assert!(matches!(ops[0], (Class::Alter, Op::Drop { replaced_by: Some(_), .. })), "{ops:?}");
        assert!(
            matches!(ops[1], (Class::Alter, Op::CreateEventTrigger(t)) if t.enabled == FiringState::Disabled)
        );
        assert_eq!(ops.len(), 2);
    }

    #[test]
    fn an_undeclared_one_is_extra_and_an_excluded_one_is_not() {
        let mut live = Catalog::default();
        live.event_triggers.insert("guard".into(), trigger("sql_drop", &[], FiringState::Enabled));
        let mut out = Comparison::default();
        compare_event_triggers(&Catalog::default(), &live, &Scope::default(), &mut out);
        assert_eq!(out.extra, [ObjectKey::event_trigger("guard")]);
        assert_eq!(out.changes[0].class, Class::Drop);
        let mut out = Comparison::default();
        let scope = Scope::new(vec!["app".into()], vec!["event_trigger:gu*".into()]);
        compare_event_triggers(&Catalog::default(), &live, &scope, &mut out);
        assert!(out.extra.is_empty() && out.changes.is_empty());
    }
}
