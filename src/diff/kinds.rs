//! The statement-defined kinds (`crate::kinds`) and aggregates: objects defined by the statements that
//! make them. A missing one is created; one whose statements differ is `changed` with a unified diff, and
//! altered in place where its kind says how (`Kind::alter`), in the class of how far that reaches (adding a
//! foreign table's column is an addition; its options an alteration; dropping a column a drop), otherwise
//! not planned; an undeclared one in scope is `extra`.

use super::code::{Defined as Text, compare_defined};
use super::keyed::keyed;
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
        let of_kind = |key: &ObjectKey, _: &Defined| key.kind == kind && scope.includes(kind, &key.name);
        for side in keyed(&desired.defined, &live.defined, ObjectKey::clone, of_kind) {
            let Some((_, key, d)) =
                side.declared_or_extra(out, |l| (super::model::Obj::Defined(l.clone()), vec![]))
            else {
                continue;
            };
            let on = CommentOn::Defined(kind, d.name.clone());
            let create = || Op::CreateDefined(Defined { comment: None, ..d.clone() });
            let l = live.defined.get(&key);
            compare_defined(out, key.clone(), on, text(d), l.map(text), create);
            if let Some(l) = l.filter(|l| l.definition != d.definition) {
                alter(out, &key, l, d);
            }
        }
    }
}

/// The in-place alteration of `live` into `declared`, when their kind has one for this difference.
fn alter(out: &mut Comparison, key: &ObjectKey, live: &Defined, declared: &Defined) {
    use crate::kinds::alter::Reach;
    let Some(f) = crate::kinds::get(declared.kind).alter else { return };
    let Some(a) = f(&declared.name, &live.definition, &declared.definition) else { return };
    let class = match a.reach {
        Reach::Adds => Class::Add,
        Reach::Changes => Class::Alter,
        Reach::Drops => Class::Drop,
    };
    // `ALTER FOREIGN TABLE` takes its lock on the table (briefly: nothing is rewritten or scanned).
    let hazards = match declared.kind {
        ObjectKind::ForeignTable => vec![super::model::Hazard::AccessExclusiveLock],
        _ => vec![],
    };
    let to = Defined { comment: live.comment.clone(), ..declared.clone() };
    let op = Op::AlterDefined { from: live.clone(), to, statements: a.statements };
    out.change(class, key.clone(), op, hazards);
}

pub(super) fn compare_aggregates(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in keyed(
        &desired.aggregates,
        &live.aggregates,
        |s| ObjectKey::aggregate(s),
        |_, a| scope.includes(ObjectKind::Aggregate, &a.name.to_string()),
    ) {
        let Some((signature, key, a)) =
            side.declared_or_extra(out, |l| (super::model::Obj::Aggregate(l.clone()), vec![]))
        else {
            continue;
        };
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
            CommentOn::aggregate(a),
            Text { definition: &a.definition, comment: a.comment.as_ref() },
            live.aggregates
                .get(signature)
                .map(|l| Text { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateAggregate(crate::catalog::Aggregate { comment: None, ..a.clone() }),
        );
    }
}
