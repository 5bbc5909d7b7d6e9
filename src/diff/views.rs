//! Views and materialized views: a missing one is created with its comment, triggers and rules; one whose
//! query, options or materialization differs is dropped and created again (alter class), taking along what
//! uses it (`alter::dependent_views`). A view declared where the database has a table is made where the
//! table is dropped (both in the drop class), and the other way round.

use super::keyed::{Side, keyed};
use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, differ};
use super::objects::comment;
use super::parts::{compare_parts, extra_parts};
use crate::catalog::{Catalog, ObjectKey, ObjectKind, QualName, View};
use crate::scope::Scope;
use std::collections::BTreeMap;

pub(super) fn compare_views(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in
        keyed(&desired.views, &live.views, ObjectKey::view, |key, _| scope.includes(key.kind, &key.name))
    {
        let (name, key, v) = match side {
            Side::Declared { name, key, declared } => (name, key, declared),
            Side::Extra { name, live: l } => {
                // A table declared under its name replaces it.
                let table = super::tables::declared_in_place(desired, name, scope);
                out.extra_replaced(Obj::View(l.clone()), table, vec![]);
                continue;
            }
        };
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
}

/// The view declared under `name` where the target has a table, in scope, as the object that replaces the
/// table (`tables.rs` drops it for this).
pub(super) fn declared_in_place(desired: &Catalog, name: &QualName, scope: &Scope) -> Option<Obj> {
    let key = ObjectKey::view(name);
    desired.views.get(name).filter(|_| scope.includes(key.kind, &key.name)).map(|v| Obj::View(v.clone()))
}

/// How many views (and materialized views) of `catalog` use the object `key`, by its dependencies.
pub(super) fn users_of(catalog: &Catalog, key: &ObjectKey) -> usize {
    catalog.dependencies.iter().filter(|(k, deps)| k.kind == ObjectKind::View && deps.contains(key)).count()
}

/// A declared view the database lacks: created, with its comment, triggers and rules.
fn create_view(name: &QualName, v: &View, key: ObjectKey, scope: &Scope, out: &mut Comparison) {
    out.change(Class::Add, key.clone(), Op::CreateView(v.bare()), vec![]);
    if let Some(text) = &v.comment {
        comment(out, key, CommentOn::View(name.clone(), v.materialized), None, text);
    }
    compare_parts(name, (&v.triggers, &v.rules), (&BTreeMap::new(), &BTreeMap::new()), scope, out);
}
