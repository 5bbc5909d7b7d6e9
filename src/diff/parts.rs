//! Triggers and rules, the parts of a table or a view that hold code and have a firing state, compared
//! through one trait ([`Part`]): a missing one is created, one whose definition differs is dropped and
//! created again, one of the same definition gets its declared firing state in place, and an undeclared one
//! is extra.

use super::code::{Defined, compare_defined};
use super::model::{Class, CommentOn, Comparison, Obj, Op};
use crate::catalog::{Catalog, FiringState, ObjectKey, ObjectKind, QualName, Rule, Trigger};
use crate::scope::Scope;
use std::collections::BTreeMap;

/// The triggers and rules of a table or a view: (`triggers`, `rules`).
type Parts<'a> = (&'a BTreeMap<String, Trigger>, &'a BTreeMap<String, Rule>);

/// The triggers and rules of a table or a view, `desired` against `live`: a missing one is created, one
/// whose definition differs is dropped and created again, and one of the same definition gets its
/// declared firing state.
pub(super) fn compare_parts(
    name: &QualName,
    desired: Parts<'_>,
    live: Parts<'_>,
    scope: &Scope,
    out: &mut Comparison,
) {
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
pub(super) fn extra_parts(
    name: &QualName,
    desired: Parts<'_>,
    live: Parts<'_>,
    scope: &Scope,
    out: &mut Comparison,
) {
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
