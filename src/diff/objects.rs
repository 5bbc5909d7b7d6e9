//! Schemas, extensions and free-standing sequences, and the comparison of a declared comment.

use super::keyed::keyed;
use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, differ, opt};
use crate::catalog::{Catalog, ObjectKey, QualName, SequenceOptions};
use crate::scope::Scope;

pub(super) fn compare_schemas(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in keyed(
        &desired.schemas,
        &live.schemas,
        |n| ObjectKey::schema(n),
        |key, _| scope.includes(key.kind, &key.name),
    ) {
        let Some((name, key, schema)) = side.declared_or_extra(out, |l| (Obj::Schema(l.clone()), vec![]))
        else {
            continue;
        };
        match live.schemas.get(name) {
            None => {
                out.missing.push(key.clone());
                let bare = crate::catalog::Schema { comment: None, ..schema.clone() };
                out.change(Class::Add, key, Op::CreateSchema(bare), vec![]);
                if let Some(text) = &schema.comment {
                    comment(out, ObjectKey::schema(name), CommentOn::Schema(name.clone()), None, text);
                }
            }
            Some(l) => {
                if let Some(text) = &schema.comment {
                    comment(out, key, CommentOn::Schema(name.clone()), l.comment.as_ref(), text);
                }
            }
        }
    }
}

pub(super) fn compare_extensions(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in keyed(
        &desired.extensions,
        &live.extensions,
        |n| ObjectKey::extension(n),
        |key, _| scope.includes(key.kind, &key.name),
    ) {
        let Some((name, key, ext)) = side.declared_or_extra(out, |l| {
            (Obj::Extension(l.clone()), vec![Hazard::BreaksDependents, Hazard::DeletesData])
        }) else {
            continue;
        };
        match live.extensions.get(name) {
            None => {
                out.missing.push(key.clone());
                out.change(Class::Add, key, Op::CreateExtension(ext.clone()), vec![]);
            }
            Some(l) => {
                // Versions are compared only where declared; the scratch installs the default version, so a
                // difference there is not the user's declaration.
                if let Some(d) = differ("schema", &l.schema, &ext.schema) {
                    out.changed(key, Class::Alter, vec![d]);
                }
            }
        }
    }
}

pub(super) fn compare_sequences(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in keyed(&desired.sequences, &live.sequences, ObjectKey::sequence, |key, _| {
        scope.includes(key.kind, &key.name)
    }) {
        let Some((name, key, s)) =
            side.declared_or_extra(out, |l| (Obj::Sequence(l.clone()), vec![Hazard::NotReversible]))
        else {
            continue;
        };
        let Some(l) = live.sequences.get(name) else {
            if let Some(kind) = live.other_relations.get(name) {
                out.changed(key, Class::Alter, vec![format!("kind differs: live {kind}, declared sequence")]);
                continue;
            }
            let serial_of = live.tables.values().find_map(|t| {
                t.columns
                    .iter()
                    .find(|c| c.serial.as_ref().is_some_and(|s| &s.sequence == name))
                    .map(|c| format!("{}.{}", t.name, c.name))
            });
            if let Some(column) = serial_of {
                let why = format!(
                    "kind differs: live the serial sequence of column {column}, declared a sequence of its own"
                );
                out.changed(key, Class::Alter, vec![why]);
                continue;
            }
            out.missing.push(key.clone());
            let bare = crate::catalog::Sequence { comment: None, owned_by: None, ..s.clone() };
            out.change(Class::Add, key.clone(), Op::CreateSequence(bare), vec![]);
            if s.owned_by.is_some() {
                let op = Op::SetSequenceOwner { sequence: name.clone(), from: None, to: s.owned_by.clone() };
                out.change(Class::Add, key.clone(), op, vec![]);
            }
            if let Some(text) = &s.comment {
                comment(out, key, CommentOn::Sequence(name.clone()), None, text);
            }
            continue;
        };
        let mut diffs = sequence_option_differences(&l.options, &s.options);
        if !diffs.is_empty() {
            alter_sequence(out, key.clone(), name, &l.options, &s.options);
        }
        let owner = |o: &Option<crate::catalog::ColumnRef>| {
            o.as_ref().map(|c| format!("{}.{}", c.table, c.column)).unwrap_or_else(|| "none".into())
        };
        if l.owned_by != s.owned_by {
            let op = Op::SetSequenceOwner {
                sequence: name.clone(),
                from: l.owned_by.clone(),
                to: s.owned_by.clone(),
            };
            if l.owned_by.is_none() {
                out.change(Class::Add, key.clone(), op, vec![]);
            } else {
                // Another owner, or none: the sequence no longer goes with the column it was owned by.
                diffs.extend(differ("owned by", owner(&l.owned_by), owner(&s.owned_by)));
                out.change(Class::Alter, key.clone(), op, vec![]);
            }
        }
        if !diffs.is_empty() {
            out.changed(key.clone(), Class::Alter, diffs);
        }
        if let Some(text) = &s.comment {
            comment(out, key, CommentOn::Sequence(name.clone()), l.comment.as_ref(), text);
        }
    }
}

/// A sequence's options changed in place (`ALTER SEQUENCE`), in the alter class under `key`: the
/// sequence's own, or the column whose serial's sequence it is (which follows its column).
pub(super) fn alter_sequence(
    out: &mut Comparison,
    key: ObjectKey,
    name: &QualName,
    from: &SequenceOptions,
    to: &SequenceOptions,
) {
    let op = Op::AlterSequence { name: name.clone(), from: from.clone(), to: to.clone() };
    out.change(Class::Alter, key, op, restart_hazard(from, to));
}

/// `restarts-sequence` when the new options leave out part of the old range.
pub fn restart_hazard(from: &SequenceOptions, to: &SequenceOptions) -> Vec<Hazard> {
    if from.narrowed_by(to) { vec![Hazard::RestartsSequence] } else { vec![] }
}

pub(super) fn sequence_option_differences(live: &SequenceOptions, declared: &SequenceOptions) -> Vec<String> {
    [
        differ("type", &live.data_type, &declared.data_type),
        differ("start", live.start, declared.start),
        differ("increment", live.increment, declared.increment),
        differ("minvalue", live.min_value, declared.min_value),
        differ("maxvalue", live.max_value, declared.max_value),
        differ("cache", live.cache, declared.cache),
        differ("cycle", live.cycle, declared.cycle),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A declared comment: added when the object has none, reported (alter) when it has another text.
pub(super) fn comment(
    out: &mut Comparison,
    key: ObjectKey,
    on: CommentOn,
    live: Option<&String>,
    text: &str,
) {
    match live {
        None => out.change(Class::Add, key, Op::SetComment { on, text: text.to_string() }, vec![]),
        Some(l) if l == text => {}
        Some(l) => {
            let diff = differ("comment", opt(&Some(l.clone())), text).expect("texts differ");
            out.changed(key.clone(), Class::Alter, vec![diff]);
            let op = Op::ChangeComment { on, from: l.clone(), to: Some(text.to_string()) };
            out.change(Class::Alter, key, op, vec![]);
        }
    }
}
