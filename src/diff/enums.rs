//! Enums: a missing one is created, labels added in place where the declared order keeps the live one,
//! and an enum whose labels are reordered or removed made again under a temporary name, the columns that
//! use it converted through text.

use super::keyed::keyed;
use super::model::{Class, CommentOn, Comparison, EnumPosition, EnumStage, Hazard, Obj, Op};
use super::objects::comment;
use crate::catalog::{Catalog, EnumType, ObjectKey, QualName};
use crate::scope::Scope;

pub(super) fn compare_enums(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in
        keyed(&desired.enums, &live.enums, ObjectKey::enum_type, |key, _| scope.includes(key.kind, &key.name))
    {
        let Some((name, key, e)) = side.declared_or_extra(out, |l| (Obj::Enum(l.clone()), vec![])) else {
            continue;
        };
        let Some(l) = live.enums.get(name) else {
            if let Some(kind) = live.other_relations.get(name) {
                out.changed(key, Class::Alter, vec![format!("kind differs: live {kind}, declared enum")]);
                continue;
            }
            out.missing.push(key.clone());
            let bare = crate::catalog::EnumType { comment: None, ..e.clone() };
            out.change(Class::Add, key.clone(), Op::CreateEnum(bare), vec![]);
            if let Some(text) = &e.comment {
                comment(out, key, CommentOn::Enum(name.clone()), None, text);
            }
            continue;
        };
        if l.labels != e.labels {
            match added_labels(&l.labels, &e.labels) {
                Some(adds) => {
                    for (value, position) in adds {
                        let op = Op::AddEnumValue { name: name.clone(), value, position };
                        out.change(Class::Add, key.clone(), op, vec![]);
                    }
                }
                None => {
                    out.changed(
                        key.clone(),
                        Class::Alter,
                        vec![format!(
                            "labels: live ({}), declared ({}): reordering or removing values makes the type again",
                            l.labels.join(", "),
                            e.labels.join(", ")
                        )],
                    );
                    enum_again(live, l, e, out);
                }
            }
        }
        if let Some(text) = &e.comment {
            comment(out, key, CommentOn::Enum(name.clone()), l.comment.as_ref(), text);
        }
    }
}

/// When `live` is an ordered subsequence of `declared`, the labels to add with their positions, in an order
/// that makes every position refer to a label that exists by then.
fn added_labels(live: &[String], declared: &[String]) -> Option<Vec<(String, EnumPosition)>> {
    let mut it = declared.iter();
    if !live.iter().all(|l| it.any(|d| d == l)) {
        return None;
    }
    let mut present: Vec<&String> = live.iter().collect();
    let mut adds = Vec::new();
    for (i, label) in declared.iter().enumerate() {
        if present.contains(&label) {
            continue;
        }
        let position = match declared[..i].iter().rev().find(|d| present.contains(d)) {
            Some(prev) => EnumPosition::After(prev.clone()),
            None => match declared[i + 1..].iter().find(|d| present.contains(d)) {
                Some(next) => EnumPosition::Before(next.clone()),
                // An enum with no labels on the live side: append.
                None => match adds.last() {
                    Some((prev, _)) => EnumPosition::After(String::clone(prev)),
                    None => EnumPosition::After(String::new()),
                },
            },
        };
        adds.push((label.clone(), position));
        present.push(label);
    }
    Some(adds)
}

/// An enum made again (values reordered or removed): every column of the live catalog that uses it is
/// converted through text, so a row holding a removed value fails the step.
pub(super) fn enum_again(live: &Catalog, old: &EnumType, declared: &EnumType, out: &mut Comparison) {
    let key = ObjectKey::enum_type(&old.name);
    let new = EnumType { comment: None, ..declared.clone() };
    let name = old.name.sql();
    let mut stages = vec![(EnumStage::CreateTemporary, vec![])];
    let mut defaults = Vec::new();
    for t in live.tables.values() {
        for c in &t.columns {
            let array = c.data_type == format!("{name}[]");
            if c.data_type != name && !array {
                continue;
            }
            let hazards = vec![Hazard::RewritesTable, Hazard::AccessExclusiveLock, Hazard::MayFailOnData];
            let stage = EnumStage::Column {
                table: t.name.clone(),
                column: c.name.clone(),
                array,
                default: c.default.clone(),
            };
            stages.push((stage, hazards));
            if let Some(default) = &c.default {
                defaults.push(EnumStage::Default {
                    table: t.name.clone(),
                    column: c.name.clone(),
                    default: default.clone(),
                });
            }
        }
    }
    stages.push((EnumStage::DropOld, vec![Hazard::BreaksDependents]));
    stages.push((EnumStage::Rename, vec![]));
    stages.extend(defaults.into_iter().map(|d| (d, vec![])));
    for (stage, hazards) in stages {
        let op = Op::ReplaceEnum { old: old.clone(), new: new.clone(), stage };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
}

/// The temporary name of an enum being made again.
pub fn temporary_type_name(name: &QualName) -> QualName {
    QualName::new(&name.schema, super::indexes::temporary_index_name(&name.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    #[test]
    fn enum_labels_added_in_place() {
        let adds = added_labels(&labels("a,c"), &labels("z,a,b,c,d")).unwrap();
        assert_eq!(
            adds,
            vec![
                ("z".into(), EnumPosition::Before("a".into())),
                ("b".into(), EnumPosition::After("a".into())),
                ("d".into(), EnumPosition::After("c".into())),
            ]
        );
        assert!(added_labels(&labels("b,a"), &labels("a,b")).is_none());
        assert!(added_labels(&labels("a,x"), &labels("a,b")).is_none());
    }
}
