//! Objects defined by code: views, functions and procedures, and the triggers, rules, policies and
//! row-level security of a table. A missing one is created; one whose text differs is reported with a
//! unified diff and not planned (redefining is an alter).

use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, differ};
use super::objects::comment;
use crate::catalog::{Catalog, FiringState, ObjectKey, ObjectKind, QualName, Rule, Table, Trigger, View};
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
                    create_view(name, v, key, scope, out);
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
            create_view(name, v, key, scope, out);
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

/// A declared view the database lacks: created, with its comment, triggers and rules.
fn create_view(name: &QualName, v: &View, key: ObjectKey, scope: &Scope, out: &mut Comparison) {
    out.change(Class::Add, key.clone(), Op::CreateView(v.bare()), vec![]);
    if let Some(text) = &v.comment {
        comment(out, key, CommentOn::View(name.clone(), v.materialized), None, text);
    }
    compare_parts(name, (&v.triggers, &v.rules), (&BTreeMap::new(), &BTreeMap::new()), scope, out);
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

/// The triggers and rules of a table or a view: (`triggers`, `rules`).
type Parts<'a> = (&'a BTreeMap<String, Trigger>, &'a BTreeMap<String, Rule>);

/// The triggers and rules of a table or a view, `desired` against `live`: a missing one is created, one
/// whose definition differs is dropped and created again, and one of the same definition gets its
/// declared firing state.
fn compare_parts(name: &QualName, desired: Parts<'_>, live: Parts<'_>, scope: &Scope, out: &mut Comparison) {
    compare_part_kind(name, desired.0, live.0, scope, out);
    compare_part_kind(name, desired.1, live.1, scope, out);
}

/// A part of a table or view that holds code and has a firing state: a trigger or a rule. The diff
/// compares both kinds through it, and the plan makes, alters and drops both through it
/// (`plan::kinds::parts`).
pub trait Part: Clone {
    const KIND: ObjectKind;
    fn name(&self) -> &str;
    fn definition(&self) -> &str;
    fn comment(&self) -> Option<&String>;
    fn enabled(&self) -> FiringState;
    fn set_enabled(&mut self, to: FiringState);
    fn set_comment(&mut self, text: Option<String>);
    /// The part as a plan creates it: without its comment, which a change of its own sets.
    fn bare(&self) -> Self;
    fn comment_on(table: &QualName, name: &str) -> CommentOn;
    fn create(table: &QualName, part: Self) -> Op;
    fn obj(table: &QualName, part: Self) -> Obj;
    /// The part `op` creates, with its relation (`None`: another change).
    fn created(op: &Op) -> Option<(&QualName, &Self)>;
    /// The part `object` is, with its relation (`None`: another object).
    fn of_object(object: &Obj) -> Option<(&QualName, &Self)>;
    /// The relation and name of the part `on` comments (`None`: another comment).
    fn of_comment(on: &CommentOn) -> Option<(&QualName, &str)>;
    /// The parts of this kind of `relation` (a table or a view) in `catalog`.
    fn of_relation<'c>(
        catalog: &'c mut Catalog,
        relation: &QualName,
    ) -> Option<&'c mut BTreeMap<String, Self>>;
}

/// [`Part`] for the model type `$part`, whose variants of `ObjectKind`, `Obj` and `CommentOn` are
/// `$part` too, made by `Op::$create { table, $field }`, kept in a relation's map `Catalog::$parts`.
macro_rules! part {
    ($part:ident, $create:ident, $field:ident, $parts:ident) => {
        impl Part for $part {
            const KIND: ObjectKind = ObjectKind::$part;
            fn name(&self) -> &str {
                &self.name
            }
            fn definition(&self) -> &str {
                &self.definition
            }
            fn comment(&self) -> Option<&String> {
                self.comment.as_ref()
            }
            fn enabled(&self) -> FiringState {
                self.enabled
            }
            fn set_enabled(&mut self, to: FiringState) {
                self.enabled = to;
            }
            fn set_comment(&mut self, text: Option<String>) {
                self.comment = text;
            }
            fn bare(&self) -> Self {
                $part { comment: None, ..self.clone() }
            }
            fn comment_on(table: &QualName, name: &str) -> CommentOn {
                CommentOn::$part(table.clone(), name.to_string())
            }
            fn create(table: &QualName, $field: Self) -> Op {
                Op::$create { table: table.clone(), $field }
            }
            fn obj(table: &QualName, $field: Self) -> Obj {
                Obj::$part { table: table.clone(), $field }
            }
            fn created(op: &Op) -> Option<(&QualName, &Self)> {
                match op {
                    Op::$create { table, $field } => Some((table, $field)),
                    _ => None,
                }
            }
            fn of_object(object: &Obj) -> Option<(&QualName, &Self)> {
                match object {
                    Obj::$part { table, $field } => Some((table, $field)),
                    _ => None,
                }
            }
            fn of_comment(on: &CommentOn) -> Option<(&QualName, &str)> {
                match on {
                    CommentOn::$part(table, name) => Some((table, name)),
                    _ => None,
                }
            }
            fn of_relation<'c>(
                catalog: &'c mut Catalog,
                relation: &QualName,
            ) -> Option<&'c mut BTreeMap<String, Self>> {
                catalog.$parts(relation)
            }
        }
    };
}

part!(Trigger, CreateTrigger, trigger, triggers_mut);
part!(Rule, CreateRule, rule, rules_mut);

/// [`compare_parts`] for one kind of part.
fn compare_part_kind<P: Part>(
    name: &QualName,
    desired: &BTreeMap<String, P>,
    live: &BTreeMap<String, P>,
    scope: &Scope,
    out: &mut Comparison,
) {
    for p in desired.values() {
        let key = ObjectKey::new(P::KIND, format!("{name}.{}", p.name()));
        if !scope.includes(key.kind, &key.name) {
            continue;
        }
        let l = live.get(p.name());
        compare_defined(
            out,
            key.clone(),
            P::comment_on(name, p.name()),
            Defined { definition: p.definition(), comment: p.comment() },
            l.map(|l| Defined { definition: l.definition(), comment: l.comment() }),
            || P::create(name, p.bare()),
        );
        match l {
            None => {}
            Some(l) if l.definition() == p.definition() => {
                firing(out, P::KIND, name, p.name(), l.enabled(), p.enabled());
            }
            Some(l) => {
                let new = p.bare();
                let (old, replacement) = (P::obj(name, l.clone()), P::obj(name, p.clone()));
                super::alter::replace(out, old, replacement, vec![], |out| {
                    out.change(Class::Alter, key, P::create(name, new), vec![])
                });
            }
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
    extra_part_kind(name, desired.0, live.0, scope, out);
    extra_part_kind(name, desired.1, live.1, scope, out);
}

/// [`extra_parts`] for one kind of part.
fn extra_part_kind<P: Part>(
    name: &QualName,
    desired: &BTreeMap<String, P>,
    live: &BTreeMap<String, P>,
    scope: &Scope,
    out: &mut Comparison,
) {
    for (n, part) in live.iter().filter(|(n, _)| !desired.contains_key(*n)) {
        if scope.includes(P::KIND, &format!("{name}.{n}")) {
            out.extra(P::obj(name, part.clone()), vec![]);
        }
    }
}
