//! The statement-defined kinds (`crate::kinds`) and aggregates: objects defined by the statements that
//! make them. A missing one is created; one whose statements differ is `changed` with a
//! unified diff and not planned (redefining is an alter); an undeclared one in scope is `extra`.

use super::code::{Defined as Text, compare_defined};
use super::model::{Class, CommentOn, Comparison, Op};
use crate::catalog::{Catalog, Defined, ObjectKey, ObjectKind};
use crate::scope::Scope;

fn text(d: &Defined) -> Text<'_> {
    Text { definition: &d.definition, comment: d.comment.as_ref() }
}

/// The declared objects of the statement-defined kinds against the live ones.
/// Kind by kind, in the order of `kinds::ALL`.
pub(super) fn compare_defined_kinds(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for kind in crate::kinds::ALL.map(|k| k.kind) {
        for (key, d) in desired.defined.iter().filter(|(k, _)| k.kind == kind) {
            if !scope.includes(kind, &key.name) {
                continue;
            }
            let on = CommentOn::Defined(kind, d.name.clone());
            let create = || Op::CreateDefined(Defined { comment: None, ..d.clone() });
            compare_defined(out, key.clone(), on, text(d), live.defined.get(key).map(text), create);
        }
        for (key, l) in live.defined.iter().filter(|(k, _)| k.kind == kind) {
            if !desired.defined.contains_key(key) && scope.includes(kind, &key.name) {
                out.extra(super::model::Obj::Defined(l.clone()), vec![]);
            }
        }
    }
}

pub(super) fn compare_aggregates(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for (signature, a) in &desired.aggregates {
        let key = ObjectKey::aggregate(signature);
        if !scope.includes(ObjectKind::Aggregate, &a.name.to_string()) {
            continue;
        }
        // Aggregates and functions share one namespace of signatures.
        if let Some(f) = live.functions.get(signature) {
            out.changed(
                key,
                Class::Alter,
                vec![format!("kind differs: live {}, declared aggregate", f.kind)],
            );
            continue;
        }
        compare_defined(
            out,
            key,
            CommentOn::Aggregate(signature.clone(), format!("{}({})", a.name.sql(), a.arguments)),
            Text { definition: &a.definition, comment: a.comment.as_ref() },
            live.aggregates
                .get(signature)
                .map(|l| Text { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateAggregate(crate::catalog::Aggregate { comment: None, ..a.clone() }),
        );
    }
    for (signature, a) in &live.aggregates {
        if !desired.aggregates.contains_key(signature)
            && scope.includes(ObjectKind::Aggregate, &a.name.to_string())
        {
            out.extra(super::model::Obj::Aggregate(a.clone()), vec![]);
        }
    }
}
