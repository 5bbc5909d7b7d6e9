//! Objects defined by code: views, functions and procedures, and the triggers, rules, policies and
//! row-level security of a table. A missing one is created; one whose text differs is reported with a
//! unified diff and not planned (redefining is an alter).

use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, differ};
use super::objects::comment;
use crate::catalog::{Catalog, FiringState, ObjectKey, ObjectKind, QualName, Rule, Table, Trigger};
use crate::scope::Scope;
use std::collections::BTreeMap;

pub(super) fn compare_views(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for (name, v) in &desired.views {
        let key = ObjectKey::view(name);
        if !scope.includes(key.kind, &key.name) {
            continue;
        }
        let Some(l) = live.views.get(name) else {
            if let Some(t) = live.tables.get(name) {
                let kinds = format!("kind differs: live {}, declared {}", t.kind_word(), v.kind_word());
                out.changed(key.clone(), Class::Alter, vec![kinds]);
                if t.partition_of.is_none() {
                    // Made where the table is dropped (drop:table admits both).
                    let from = out.changes.len();
                    out.change(Class::Add, key.clone(), Op::CreateView(v.bare()), vec![]);
                    if let Some(text) = &v.comment {
                        comment(out, key, CommentOn::View(name.clone(), v.materialized), None, text);
                    }
                    let none = (&BTreeMap::new(), &BTreeMap::new());
                    compare_parts(name, (&v.triggers, &v.rules), none, scope, out);
                    super::alter::serve(out, from, ObjectKey::table(&t.name));
                }
                continue;
            }
            if let Some(kind) = live.other_relations.get(name) {
                out.changed(
                    key,
                    Class::Alter,
                    vec![format!("kind differs: live {kind}, declared {}", v.kind_word())],
                );
                continue;
            }
            out.missing.push(key.clone());
            out.change(Class::Add, key.clone(), Op::CreateView(v.bare()), vec![]);
            if let Some(text) = &v.comment {
                comment(out, key, CommentOn::View(name.clone(), v.materialized), None, text);
            }
            compare_parts(name, (&v.triggers, &v.rules), (&BTreeMap::new(), &BTreeMap::new()), scope, out);
            continue;
        };
        if l.materialized != v.materialized || l.definition != v.definition || l.options != v.options {
            if l.materialized != v.materialized {
                let kinds = format!("kind differs: live {}, declared {}", l.kind_word(), v.kind_word());
                out.changed(key.clone(), Class::Alter, vec![kinds]);
            } else if l.definition != v.definition {
                out.changed_text(key.clone(), "query", &l.definition, &v.definition);
            } else if let Some(d) = differ("options", l.options.join(", "), v.options.join(", ")) {
                out.changed(key.clone(), Class::Alter, vec![d]);
            }
            let new = v.bare();
            let hazards = vec![Hazard::AccessExclusiveLock];
            super::alter::replace(out, Obj::View(l.clone()), Obj::View(v.clone()), hazards, |out| {
                out.change(Class::Alter, key.clone(), Op::CreateView(new), vec![])
            });
        }
        if let Some(text) = &v.comment {
            comment(out, key, CommentOn::View(name.clone(), v.materialized), l.comment.as_ref(), text);
        }
        compare_parts(name, (&v.triggers, &v.rules), (&l.triggers, &l.rules), scope, out);
        extra_parts(name, (&v.triggers, &v.rules), (&l.triggers, &l.rules), scope, out);
    }
    for (name, l) in &live.views {
        let key = ObjectKey::view(name);
        if !desired.views.contains_key(name) && scope.includes(key.kind, &key.name) {
            // A table declared under its name replaces it.
            let table = desired.tables.get(name).filter(|t| t.partition_of.is_none());
            let table = table.filter(|_| scope.includes(ObjectKind::Table, &key.name));
            out.extra_replaced(Obj::View(l.clone()), table.map(|t| Obj::Table(t.clone())), vec![]);
        }
    }
}

/// An object defined by its text: `definition` and `comment`.
pub(super) struct Defined<'a> {
    pub(super) definition: &'a str,
    pub(super) comment: Option<&'a String>,
}

/// The comparison every object defined by text gets: created (by `create`'s change) when the database
/// lacks it, reported with a unified diff when its text differs, and its declared comment compared.
pub(super) fn compare_defined(
    out: &mut Comparison,
    key: ObjectKey,
    on: CommentOn,
    declared: Defined<'_>,
    live: Option<Defined<'_>>,
    create: impl FnOnce() -> Op,
) {
    let live_comment = match &live {
        None => {
            out.missing.push(key.clone());
            out.change(Class::Add, key.clone(), create(), vec![]);
            None
        }
        Some(l) => {
            if l.definition != declared.definition {
                out.changed_text(key.clone(), "definition", l.definition, declared.definition);
            }
            l.comment
        }
    };
    if let Some(text) = declared.comment {
        comment(out, key, on, live_comment, text);
    }
}

pub(super) fn compare_types(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for (name, t) in &desired.types {
        let key = ObjectKey::type_def(name);
        if !scope.includes(key.kind, &key.name) {
            continue;
        }
        let l = live.types.get(name);
        if l.is_none() {
            let kind = live
                .other_relations
                .get(name)
                .cloned()
                .or_else(|| live.enums.get(name).map(|_| "enum".into()));
            if let Some(kind) = kind {
                out.changed(
                    key,
                    Class::Alter,
                    vec![format!("kind differs: live {kind}, declared {}", t.kind)],
                );
                continue;
            }
        }
        compare_defined(
            out,
            key,
            CommentOn::Enum(name.clone()),
            Defined { definition: &t.definition, comment: t.comment.as_ref() },
            l.map(|l| Defined { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateType(crate::catalog::TypeDef { comment: None, ..t.clone() }),
        );
        if let Some(l) = l.filter(|l| l.definition != t.definition) {
            super::types::redefine(live, l, t, out);
        }
    }
    for (name, l) in &live.types {
        let key = ObjectKey::type_def(name);
        if !desired.types.contains_key(name) && scope.includes(key.kind, &key.name) {
            out.extra(Obj::Type(l.clone()), vec![]);
        }
    }
}

pub(super) fn compare_functions(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for (signature, f) in &desired.functions {
        let key = ObjectKey::function(signature);
        if !scope.includes(ObjectKind::Function, &f.name.to_string()) {
            continue;
        }
        if live.aggregates.contains_key(signature) {
            out.changed(
                key,
                Class::Alter,
                vec![format!("kind differs: live aggregate, declared {}", f.kind)],
            );
            continue;
        }
        compare_defined(
            out,
            key,
            CommentOn::Function(signature.clone(), f.kind.clone()),
            Defined { definition: &f.definition, comment: f.comment.as_ref() },
            live.functions
                .get(signature)
                .map(|l| Defined { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateFunction(crate::catalog::Function { comment: None, ..f.clone() }),
        );
        if let Some(l) = live.functions.get(signature).filter(|l| l.definition != f.definition) {
            let new = crate::catalog::Function { comment: None, ..f.clone() };
            let key = ObjectKey::function(signature);
            if l.kind == f.kind && !super::alter::replace_refused(&l.definition, &f.definition) {
                out.change(Class::Alter, key, Op::ReplaceFunction { from: l.clone(), to: new }, vec![]);
            } else {
                let hazards = vec![Hazard::BreaksDependents];
                super::alter::replace(
                    out,
                    Obj::Function(l.clone()),
                    Obj::Function(f.clone()),
                    hazards,
                    |out| out.change(Class::Alter, key, Op::CreateFunction(new), vec![]),
                );
            }
        }
    }
    for (signature, f) in &live.functions {
        if !desired.functions.contains_key(signature)
            && scope.includes(ObjectKind::Function, &f.name.to_string())
        {
            out.extra(Obj::Function(f.clone()), vec![Hazard::BreaksDependents]);
        }
    }
}

/// Triggers, rules, policies and row-level security of a table; `live` is `None` for a table the plan
/// creates.
pub(super) fn compare_table_code(desired: &Table, live: Option<&Table>, scope: &Scope, out: &mut Comparison) {
    let name = &desired.name;
    let empty = Table::default();
    let l = live.unwrap_or(&empty);
    compare_parts(name, (&desired.triggers, &desired.rules), (&l.triggers, &l.rules), scope, out);
    for p in desired.policies.values() {
        let key = ObjectKey::policy(name, &p.name);
        if !scope.includes(key.kind, &key.name) {
            continue;
        }
        let on = CommentOn::Policy(name.clone(), p.name.clone());
        match l.policies.get(&p.name) {
            None => {
                out.missing.push(key.clone());
                let bare = crate::catalog::Policy { comment: None, ..p.clone() };
                out.change(
                    Class::Add,
                    key.clone(),
                    Op::CreatePolicy { table: name.clone(), policy: bare },
                    vec![],
                );
                if let Some(text) = &p.comment {
                    comment(out, key, on, None, text);
                }
            }
            Some(lp) => {
                let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "none".into());
                let diffs: Vec<String> = [
                    differ("permissive", lp.permissive, p.permissive),
                    differ("command", &lp.command, &p.command),
                    differ("roles", lp.roles.join(", "), p.roles.join(", ")),
                    differ("using", opt(&lp.using), opt(&p.using)),
                    differ("with check", opt(&lp.with_check), opt(&p.with_check)),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !diffs.is_empty() {
                    out.changed(key.clone(), Class::Alter, diffs);
                    let new = crate::catalog::Policy { comment: None, ..p.clone() };
                    let old = Obj::Policy { table: name.clone(), policy: lp.clone() };
                    let replacement = Obj::Policy { table: name.clone(), policy: p.clone() };
                    let k = key.clone();
                    super::alter::replace(out, old, replacement, vec![], |out| {
                        out.change(
                            Class::Alter,
                            k,
                            Op::CreatePolicy { table: name.clone(), policy: new },
                            vec![],
                        )
                    });
                }
                if let Some(text) = &p.comment {
                    comment(out, key, on, lp.comment.as_ref(), text);
                }
            }
        }
    }
    let key = ObjectKey::table(name);
    if desired.rls_enabled && !l.rls_enabled {
        let op = Op::EnableRowSecurity { table: name.clone() };
        out.change(Class::Add, key.clone(), op, vec![Hazard::EnablesRls]);
    }
    if desired.rls_forced && !l.rls_forced {
        out.change(
            Class::Add,
            key.clone(),
            Op::ForceRowSecurity { table: name.clone() },
            vec![Hazard::EnablesRls],
        );
    }
    if let Some(live) = live {
        let mut diffs = Vec::new();
        if live.rls_enabled && !desired.rls_enabled {
            diffs.push("row level security: live enabled, declared disabled".to_string());
        }
        if live.rls_forced && !desired.rls_forced {
            diffs.push("row level security: live forced, declared not forced".to_string());
        }
        if !diffs.is_empty() {
            out.changed(key.clone(), Class::Alter, diffs);
        }
        // Turned off in place; both widen who sees rows (`disables-rls`).
        if live.rls_enabled && !desired.rls_enabled {
            let op = Op::DisableRowSecurity { table: name.clone() };
            out.change(Class::Alter, key.clone(), op, vec![Hazard::DisablesRls]);
        }
        if live.rls_forced && !desired.rls_forced {
            let op = Op::NoForceRowSecurity { table: name.clone() };
            out.change(Class::Alter, key.clone(), op, vec![Hazard::DisablesRls]);
        }
        extra_parts(name, (&desired.triggers, &desired.rules), (&live.triggers, &live.rules), scope, out);
        for (n, policy) in live.policies.iter().filter(|(n, _)| !desired.policies.contains_key(*n)) {
            if scope.includes(ObjectKind::Policy, &format!("{name}.{n}")) {
                out.extra(Obj::Policy { table: name.clone(), policy: policy.clone() }, vec![]);
            }
        }
    }
}

/// The triggers and rules of a table or a view, (`triggers`, `rules`) on each side; a missing one is
/// created, one whose definition differs is dropped and created again.
type Parts<'a> = (&'a BTreeMap<String, Trigger>, &'a BTreeMap<String, Rule>);

fn compare_parts(name: &QualName, desired: Parts<'_>, live: Parts<'_>, scope: &Scope, out: &mut Comparison) {
    for t in desired.0.values() {
        let key = ObjectKey::trigger(name, &t.name);
        if !scope.includes(key.kind, &key.name) {
            continue;
        }
        compare_defined(
            out,
            key,
            CommentOn::Trigger(name.clone(), t.name.clone()),
            Defined { definition: &t.definition, comment: t.comment.as_ref() },
            live.0.get(&t.name).map(|l| Defined { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateTrigger {
                table: name.clone(),
                trigger: crate::catalog::Trigger { comment: None, ..t.clone() },
            },
        );
        if let Some(lt) = live.0.get(&t.name).filter(|lt| lt.definition == t.definition) {
            firing(out, ObjectKind::Trigger, name, &t.name, lt.enabled, t.enabled);
        }
        if let Some(lt) = live.0.get(&t.name).filter(|lt| lt.definition != t.definition) {
            let new = crate::catalog::Trigger { comment: None, ..t.clone() };
            let old = Obj::Trigger { table: name.clone(), trigger: lt.clone() };
            let replacement = Obj::Trigger { table: name.clone(), trigger: t.clone() };
            let key = ObjectKey::trigger(name, &t.name);
            super::alter::replace(out, old, replacement, vec![], |out| {
                out.change(Class::Alter, key, Op::CreateTrigger { table: name.clone(), trigger: new }, vec![])
            });
        }
    }
    for r in desired.1.values() {
        let key = ObjectKey::rule(name, &r.name);
        if !scope.includes(key.kind, &key.name) {
            continue;
        }
        compare_defined(
            out,
            key,
            CommentOn::Rule(name.clone(), r.name.clone()),
            Defined { definition: &r.definition, comment: r.comment.as_ref() },
            live.1.get(&r.name).map(|l| Defined { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateRule {
                table: name.clone(),
                rule: crate::catalog::Rule { comment: None, ..r.clone() },
            },
        );
        if let Some(lr) = live.1.get(&r.name).filter(|lr| lr.definition == r.definition) {
            firing(out, ObjectKind::Rule, name, &r.name, lr.enabled, r.enabled);
        }
        if let Some(lr) = live.1.get(&r.name).filter(|lr| lr.definition != r.definition) {
            let new = crate::catalog::Rule { comment: None, ..r.clone() };
            let old = Obj::Rule { table: name.clone(), rule: lr.clone() };
            let replacement = Obj::Rule { table: name.clone(), rule: r.clone() };
            let key = ObjectKey::rule(name, &r.name);
            super::alter::replace(out, old, replacement, vec![], |out| {
                out.change(Class::Alter, key, Op::CreateRule { table: name.clone(), rule: new }, vec![])
            });
        }
    }
}

/// A trigger or rule whose firing state differs (`ALTER TABLE ... DISABLE TRIGGER` in the files or on the
/// target): reported, and set in place under alter.
fn firing(
    out: &mut Comparison,
    kind: ObjectKind,
    table: &QualName,
    name: &str,
    live: FiringState,
    want: FiringState,
) {
    if live == want {
        return;
    }
    let key = ObjectKey::new(kind, format!("{table}.{name}"));
    out.changed(
        key.clone(),
        Class::Alter,
        vec![format!("firing: live {}, declared {}", live.word(), want.word())],
    );
    let op = Op::SetPartFiring { kind, table: table.clone(), name: name.to_string(), from: live, to: want };
    out.change(Class::Alter, key, op, vec![]);
}

/// The triggers and rules a relation holds on the live side and the files leave out, as extras.
fn extra_parts(name: &QualName, desired: Parts<'_>, live: Parts<'_>, scope: &Scope, out: &mut Comparison) {
    for (n, trigger) in live.0.iter().filter(|(n, _)| !desired.0.contains_key(*n)) {
        if scope.includes(ObjectKind::Trigger, &format!("{name}.{n}")) {
            out.extra(Obj::Trigger { table: name.clone(), trigger: trigger.clone() }, vec![]);
        }
    }
    for (n, rule) in live.1.iter().filter(|(n, _)| !desired.1.contains_key(*n)) {
        if scope.includes(ObjectKind::Rule, &format!("{name}.{n}")) {
            out.extra(Obj::Rule { table: name.clone(), rule: rule.clone() }, vec![]);
        }
    }
}
