//! Collations, aggregates, and text search dictionaries and configurations: objects defined by the
//! statements that make them. A missing one is created; one whose statements differ is `changed` with a
//! unified diff and not planned (redefining is an alter); an undeclared one in scope is `extra`.

use super::code::{Defined as Text, compare_defined};
use super::model::{Class, CommentOn, Comparison, Op};
use crate::catalog::{Catalog, Defined, ObjectKey, ObjectKind, QualName};
use crate::scope::Scope;
use std::collections::BTreeMap;

fn text(d: &Defined) -> Text<'_> {
    Text { definition: &d.definition, comment: d.comment.as_ref() }
}

/// The declared objects of one schema-qualified kind against the live ones.
fn compare_by_name(
    desired: &BTreeMap<QualName, Defined>,
    live: &BTreeMap<QualName, Defined>,
    kind: ObjectKind,
    scope: &Scope,
    out: &mut Comparison,
) {
    for (name, d) in desired {
        let key = ObjectKey::new(kind, name.to_string());
        if !scope.includes(kind, &key.name) {
            continue;
        }
        let bare = Defined { comment: None, ..d.clone() };
        let (on, create) = match kind {
            ObjectKind::Collation => (CommentOn::Collation(name.clone()), Op::CreateCollation(bare)),
            ObjectKind::TextSearchDictionary => {
                (CommentOn::TextSearchDictionary(name.clone()), Op::CreateTextSearchDictionary(bare))
            }
            _ => (CommentOn::TextSearchConfiguration(name.clone()), Op::CreateTextSearchConfiguration(bare)),
        };
        compare_defined(out, key, on, text(d), live.get(name).map(text), || create);
    }
    for (name, l) in live {
        let key = ObjectKey::new(kind, name.to_string());
        if !desired.contains_key(name) && scope.includes(kind, &key.name) {
            let object = match kind {
                ObjectKind::Collation => super::model::Obj::Collation(l.clone()),
                ObjectKind::TextSearchDictionary => super::model::Obj::TextSearchDictionary(l.clone()),
                _ => super::model::Obj::TextSearchConfiguration(l.clone()),
            };
            out.extra(object, vec![]);
        }
    }
}

pub(super) fn compare_collations(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    compare_by_name(&desired.collations, &live.collations, ObjectKind::Collation, scope, out);
}

pub(super) fn compare_text_search(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    compare_by_name(
        &desired.text_search_dictionaries,
        &live.text_search_dictionaries,
        ObjectKind::TextSearchDictionary,
        scope,
        out,
    );
    compare_by_name(
        &desired.text_search_configurations,
        &live.text_search_configurations,
        ObjectKind::TextSearchConfiguration,
        scope,
        out,
    );
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
