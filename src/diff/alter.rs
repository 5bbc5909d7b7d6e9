//! What a difference would take beyond adding: the alter-class changes of an object present on both sides
//! (and the drop + create of a redefinition PostgreSQL cannot do in place), and, after the comparison, the
//! dependent views that such a change has to drop and recreate around it.
//!
//! These changes are always computed; whether they are planned is the policy's decision (`plan`). Every one
//! records the state it was planned from, so its guard can tell "not yet", "done" and "someone else's".

use super::model::{Class, CommentOn, Comparison, EnumStage, Hazard, NotNullStage, Obj, Op, ReplaceStage};
use crate::catalog::{
    Catalog, Column, Constraint, ConstraintKind, EnumType, Index, ObjectKey, ObjectKind, QualName, Table,
    View,
};
use std::collections::{BTreeMap, BTreeSet};

/// The alter changes for a column present on both sides. A column that becomes generated (or changes its
/// expression) is made again, its values computed anew; one that stops being generated keeps its values.
/// Serial and collation differences stay reported only.
pub(super) fn column(table: &Table, live: &Column, declared: &Column, out: &mut Comparison) {
    let name = &table.name;
    let key = ObjectKey::column(name, &declared.name);
    let col = || declared.name.clone();
    // PostgreSQL keeps values only for a stored generated column made plain (`DROP EXPRESSION`); a virtual
    // one has none to keep and is made again like a changed expression.
    let live_virtual = live.generated.as_deref().is_some_and(|g| crate::catalog::split_generated(g).1);
    if (declared.generated.is_some() && live.generated != declared.generated)
        || (live_virtual && declared.generated.is_none())
    {
        let old = Obj::Column { table: name.clone(), column: live.clone() };
        let new = Obj::Column { table: name.clone(), column: declared.clone() };
        // A virtual column holds no values to lose (the column added carries its own hazards).
        let hazards = if live_virtual {
            vec![Hazard::AccessExclusiveLock]
        } else {
            vec![Hazard::DeletesData, Hazard::RewritesTable, Hazard::AccessExclusiveLock]
        };
        replace(out, old, new, hazards, |out| {
            let bare = Column { comment: None, ..declared.clone() };
            let op = Op::AddColumn { table: name.clone(), column: bare };
            out.change(Class::Alter, key.clone(), op, super::tables::add_column_hazards(declared))
        });
        return;
    }
    let stripped;
    let live = if live.generated.is_some() && declared.generated.is_none() {
        out.change(
            Class::Alter,
            key.clone(),
            Op::DropExpression { table: name.clone(), column: col() },
            vec![],
        );
        stripped = Column { generated: None, ..live.clone() };
        &stripped
    } else {
        live
    };
    if live.identity != declared.identity && live.serial.is_none() && declared.serial.is_none() {
        let op = Op::SetIdentity {
            table: name.clone(),
            column: col(),
            from: live.identity.clone(),
            to: declared.identity.clone(),
        };
        let hazards = match (&live.identity, &declared.identity) {
            (Some(l), Some(d)) => super::objects::restart_hazard(&l.options, &d.options),
            _ => vec![],
        };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
    let structural = live.serial.is_some() != declared.serial.is_some();
    if live.collation != declared.collation && live.data_type == declared.data_type && !structural {
        let op = Op::SetCollation {
            table: name.clone(),
            column: col(),
            data_type: declared.data_type.clone(),
            from: live.collation.clone(),
            to: declared.collation.clone(),
        };
        // Indexes on the column are rebuilt.
        let hazards = if table.indexes.values().any(|i| i.columns.contains(&declared.name)) {
            vec![Hazard::AccessExclusiveLock, Hazard::BuildsIndex]
        } else {
            vec![Hazard::AccessExclusiveLock]
        };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
    if live.data_type != declared.data_type && !structural {
        let rewrite = type_change_rewrites(&live.data_type, &declared.data_type);
        let mut hazards = vec![Hazard::AccessExclusiveLock];
        if rewrite {
            hazards.push(Hazard::RewritesTable);
            if type_change_may_fail(&live.data_type, &declared.data_type) {
                hazards.push(Hazard::MayFailOnData);
            }
            if table.indexes.values().any(|i| i.columns.contains(&declared.name))
                || table.constraints.values().any(|c| c.columns.contains(&declared.name))
            {
                hazards.push(Hazard::BuildsIndex);
            }
        }
        // A default of the old type may not convert: dropped before, the declared one set after.
        let reset_default = (live.default.is_some() && live.serial.is_none())
            .then(|| (live.default.clone(), declared.default.clone()));
        let op = Op::AlterColumnType {
            table: name.clone(),
            column: col(),
            from: live.data_type.clone(),
            to: declared.data_type.clone(),
            using: None,
            rewrite,
            reset_default: reset_default.clone(),
        };
        out.change(Class::Alter, key.clone(), op, hazards);
        if let (Some(l), Some(d)) = (&live.serial, &declared.serial)
            && l.options != d.options
        {
            // A serial's sequence follows its column's type.
            let op = Op::AlterSequence {
                name: l.sequence.clone(),
                from: l.options.clone(),
                to: d.options.clone(),
            };
            out.change(Class::Alter, key.clone(), op, super::objects::restart_hazard(&l.options, &d.options));
        }
        if reset_default.is_some() {
            return nullability(table, live, declared, out);
        }
    }
    if live.default != declared.default && !structural && live.serial.is_none() {
        let op = Op::SetColumnDefault {
            table: name.clone(),
            column: col(),
            from: live.default.clone(),
            to: declared.default.clone(),
        };
        out.change(Class::Alter, key.clone(), op, vec![]);
    }
    nullability(table, live, declared, out);
}

fn nullability(table: &Table, live: &Column, declared: &Column, out: &mut Comparison) {
    let name = &table.name;
    let key = ObjectKey::column(name, &declared.name);
    let col = || declared.name.clone();
    // An identity column is NOT NULL by itself: nullability follows its identity there.
    if live.not_null != declared.not_null && !(live.identity.is_some() && declared.identity.is_some()) {
        if declared.not_null {
            for (stage, hazards) in [
                (NotNullStage::AddCheck, vec![Hazard::MayFailOnData]),
                (NotNullStage::Validate, vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData]),
                (NotNullStage::Set, vec![]),
            ] {
                let op = Op::SetNotNull { table: name.clone(), column: col(), stage };
                out.change(Class::Alter, key.clone(), op, hazards);
            }
        } else {
            let op = Op::DropNotNull { table: name.clone(), column: col() };
            out.change(Class::Alter, key.clone(), op, vec![]);
        }
    }
}

/// Whether PostgreSQL rewrites the table to change a column from `from` to `to` (types as `format_type`
/// prints them). No rewrite: a varchar, numeric or varbit whose limit grows or goes, varchar to text,
/// `cidr` to `inet`, and `timestamp` with and without time zone under the plan's pinned `TimeZone = UTC`.
pub fn type_change_rewrites(from: &str, to: &str) -> bool {
    fn split(t: &str) -> (&str, Option<Vec<i64>>) {
        match t.split_once('(') {
            Some((base, rest)) => {
                let args = rest.trim_end_matches(')').split(',').map(|a| a.trim().parse().ok()).collect();
                (base.trim(), args)
            }
            None => (t, Some(vec![])),
        }
    }
    let ((fb, fa), (tb, ta)) = (split(from), split(to));
    let (Some(fa), Some(ta)) = (fa, ta) else { return true };
    let widening =
        |fa: &[i64], ta: &[i64]| ta.is_empty() || (fa.len() == 1 && ta.len() == 1 && ta[0] >= fa[0]);
    match (fb, tb) {
        ("character varying", "character varying") | ("bit varying", "bit varying") => !widening(&fa, &ta),
        ("character varying", "text") => false,
        ("numeric", "numeric") => {
            let ok = ta.is_empty() || (fa.len() == 2 && ta.len() == 2 && ta[1] == fa[1] && ta[0] >= fa[0]);
            !ok
        }
        ("cidr", "inet") => false,
        ("timestamp without time zone", "timestamp with time zone")
        | ("timestamp with time zone", "timestamp without time zone") => fa != ta,
        _ => true,
    }
}

/// Whether converting a value of type `from` to `to` can fail: false where no conversion is needed and for
/// the widenings whose every value has an exact place in the new type (smallint to integer, an integer to
/// bigint or to numeric without a precision, real to double precision, character(n) to a varchar of at
/// least n, anything to text); true otherwise.
pub fn type_change_may_fail(from: &str, to: &str) -> bool {
    if !type_change_rewrites(from, to) {
        return false;
    }
    let split = |t: &str| -> (String, Option<i64>) {
        match t.split_once('(') {
            Some((base, args)) => (base.trim().to_string(), args.trim_end_matches(')').trim().parse().ok()),
            None => (t.trim().to_string(), None),
        }
    };
    let ((f, f_len), (t, t_len)) = (split(from), split(to));
    let exact = match (f.as_str(), t.as_str()) {
        (_, "text") => true,
        ("smallint", "integer" | "bigint" | "real" | "double precision") => true,
        ("integer", "bigint" | "double precision") => true,
        ("smallint" | "integer" | "bigint", "numeric") => to.trim() == "numeric",
        ("numeric", "numeric") => to.trim() == "numeric",
        ("real", "double precision") => true,
        ("character", "character varying") => t_len.is_none() || (f_len.is_some() && t_len >= f_len),
        _ => false,
    };
    !exact
}

/// An index whose definition changed: built online under a temporary name, the old one dropped, the new one
/// renamed; on a partitioned table (no `CONCURRENTLY` there) dropped and created in one transaction.
pub(super) fn index(table: &Table, live: &Index, declared: &Index, out: &mut Comparison) {
    let key = ObjectKey::index(&table.name.schema, &declared.name);
    if table.partition_by.is_some() {
        let object = Obj::Index { index: live.clone(), concurrently: false };
        let replaced_by = Some(Obj::Index { index: declared.clone(), concurrently: false });
        out.change(
            Class::Alter,
            key.clone(),
            Op::Drop { object, replaced_by },
            vec![Hazard::AccessExclusiveLock],
        );
        let bare = Index { comment: None, ..declared.clone() };
        let op = Op::CreateIndex { index: bare, table_is_new: false, replace_invalid: false };
        out.change(Class::Alter, key, op, vec![Hazard::BuildsIndex]);
        return;
    }
    for stage in [ReplaceStage::Build, ReplaceStage::DropOld, ReplaceStage::Rename] {
        let hazards = match stage {
            ReplaceStage::Build if declared.unique => vec![Hazard::BuildsIndex, Hazard::MayFailOnData],
            ReplaceStage::Build => vec![Hazard::BuildsIndex],
            _ => vec![],
        };
        let op = Op::ReplaceIndex { old: live.clone(), new: declared.clone(), stage };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
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

/// A column changed from or to an enum type has no assignment cast: it converts through text.
pub(super) fn enum_conversions(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let enums: BTreeSet<String> = live.enums.keys().chain(desired.enums.keys()).map(|n| n.sql()).collect();
    for change in &mut out.changes {
        if let Op::AlterColumnType { column, from, to, using, .. } = &mut change.op {
            let (base_from, base_to) = (from.trim_end_matches("[]"), to.trim_end_matches("[]"));
            if enums.contains(base_from) || enums.contains(base_to) {
                let via = if to.ends_with("[]") { "text[]" } else { "text" };
                *using = Some(format!("{}::{via}::{to}", crate::catalog::quote_ident(column)));
            }
        }
    }
}

/// Serial columns and free sequences turned into each other: a column whose default calls a free sequence
/// that the declared serial names adopts it (its options first made a serial's); a serial column whose
/// declared form is a free sequence of the same name and a default calling it releases it. An adopted
/// sequence is then not extra on its own.
pub(super) fn serial_conversions(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    for (name, d) in &desired.tables {
        let Some(l) = live.tables.get(name) else { continue };
        for dc in &d.columns {
            let Some(lc) = l.column(&dc.name) else { continue };
            let key = ObjectKey::column(name, &dc.name);
            let calls = |s: &QualName| format!("nextval('{}'::regclass)", s.sql().replace('\'', "''"));
            match (&lc.serial, &dc.serial) {
                (None, Some(ds)) if lc.default.as_deref() == Some(calls(&ds.sequence).as_str()) => {
                    let Some(seq) = live.sequences.get(&ds.sequence) else { continue };
                    if seq.options != ds.options {
                        let hazards = super::objects::restart_hazard(&seq.options, &ds.options);
                        let op = Op::AlterSequence {
                            name: ds.sequence.clone(),
                            from: seq.options.clone(),
                            to: ds.options.clone(),
                        };
                        out.change(Class::Alter, key.clone(), op, hazards);
                    }
                    let op = Op::SequenceOwnership {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: ds.clone(),
                        adopt: true,
                    };
                    out.change(Class::Alter, key.clone(), op, vec![]);
                    let seq_key = ObjectKey::sequence(&ds.sequence);
                    out.extra.retain(|k| *k != seq_key);
                    out.changes.retain(|c| !(c.key == seq_key && matches!(c.op, Op::Drop { .. })));
                }
                (None, Some(ds))
                    if lc.default.is_none() && lc.identity.is_none() && lc.data_type == dc.data_type =>
                {
                    let op = Op::SerialChange {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: ds.clone(),
                        add: true,
                    };
                    out.change(Class::Alter, key.clone(), op, vec![]);
                }
                (Some(ls), None) if dc.default.is_none() && dc.identity.is_none() => {
                    let op = Op::SerialChange {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: ls.clone(),
                        add: false,
                    };
                    out.change(Class::Alter, key.clone(), op, vec![Hazard::NotReversible]);
                }
                (Some(ls), None) if dc.default.as_deref() == Some(calls(&ls.sequence).as_str()) => {
                    let Some(seq) = desired.sequences.get(&ls.sequence) else { continue };
                    // The sequence becomes an object of its own: the step makes it, for the column's change.
                    let op = Op::SequenceOwnership {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: ls.clone(),
                        adopt: false,
                    };
                    out.changes.push(super::model::Change {
                        class: Class::Alter,
                        key: ObjectKey::sequence(&ls.sequence),
                        op,
                        hazards: vec![],
                        part_of: Some(key.clone()),
                    });
                    if seq.options != ls.options {
                        let hazards = super::objects::restart_hazard(&ls.options, &seq.options);
                        let op = Op::AlterSequence {
                            name: ls.sequence.clone(),
                            from: ls.options.clone(),
                            to: seq.options.clone(),
                        };
                        out.change(Class::Alter, key.clone(), op, hazards);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The temporary name of an enum being made again.
pub fn temporary_type_name(name: &QualName) -> QualName {
    QualName::new(&name.schema, temporary_index_name(&name.name))
}

/// The temporary name of an index being rebuilt: the declared name with a suffix, within 63 bytes.
pub fn temporary_index_name(name: &str) -> String {
    const SUFFIX: &str = "_accrete_new";
    let mut base = name.to_string();
    while base.len() + SUFFIX.len() > 63 {
        base.pop();
    }
    format!("{base}{SUFFIX}")
}

/// A redefinition PostgreSQL can only do by dropping and creating: the drop (remembering what replaces it)
/// and then the changes `create` adds, all of class alter.
pub(super) fn replace(
    out: &mut Comparison,
    old: Obj,
    new: Obj,
    hazards: Vec<Hazard>,
    create: impl FnOnce(&mut Comparison),
) {
    let key = old.key();
    out.change(Class::Alter, key, Op::Drop { object: old, replaced_by: Some(new) }, hazards);
    let from = out.changes.len();
    create(out);
    for change in &mut out.changes[from..] {
        change.class = Class::Alter;
    }
}

/// The changes from position `from` on serve the change of `subject` (a relation made where one of another
/// kind is dropped): the policy admits them with it.
pub(super) fn serve(out: &mut Comparison, from: usize, subject: ObjectKey) {
    for change in &mut out.changes[from..] {
        change.part_of = Some(subject.clone());
    }
}

/// The result type line of a function's printed definition (`RETURNS integer`), which
/// `CREATE OR REPLACE` cannot change.
pub(super) fn returns(definition: &str) -> Option<&str> {
    definition.lines().map(str::trim).find(|l| l.starts_with("RETURNS "))
}

/// Generated columns over a column whose type changes (PostgreSQL refuses the change while a generated
/// column reads it: the live `pg_depend` says which do): each is dropped before and added again after, as
/// declared (which covers its own type change) or, when undeclared, as it is, as part of the type change;
/// its values are computed anew.
pub(super) fn dependent_generated_columns(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let roots: Vec<(QualName, String)> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::AlterColumnType { table, column, .. } => Some((table.clone(), column.clone())),
            _ => None,
        })
        .collect();
    let mut handled: BTreeSet<ObjectKey> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::Drop { object: Obj::Column { .. }, .. } => Some(c.key.clone()),
            _ => None,
        })
        .collect();
    for (table, column) in roots {
        let Some(live_table) = live.tables.get(&table) else { continue };
        let used = ObjectKey::column(&table, &column);
        for generated in live_table.columns.iter().filter(|c| c.generated.is_some()) {
            let key = ObjectKey::column(&table, &generated.name);
            if !live.dependencies.get(&key).is_some_and(|deps| deps.contains(&used))
                || !handled.insert(key.clone())
            {
                continue;
            }
            let again = desired
                .tables
                .get(&table)
                .and_then(|t| t.columns.iter().find(|c| c.name == generated.name))
                .unwrap_or(generated);
            // Its own changes are covered by adding it again as declared.
            out.changes.retain(|c| c.key != key);
            // Of the class of the type change it serves (positions moved with the removal: found by key).
            let class = out
                .changes
                .iter()
                .find(|c| c.key == used && matches!(c.op, Op::AlterColumnType { .. }))
                .map_or(Class::Alter, |c| c.class);
            let subject = used.clone();
            for c in
                out.changes.iter_mut().filter(|c| c.key == used && matches!(c.op, Op::AlterColumnType { .. }))
            {
                if !c.hazards.contains(&Hazard::BreaksDependents) {
                    c.hazards.push(Hazard::BreaksDependents);
                }
            }
            let from = out.changes.len();
            let old = Obj::Column { table: table.clone(), column: generated.clone() };
            let new = Obj::Column { table: table.clone(), column: again.clone() };
            let hazards = vec![Hazard::BreaksDependents, Hazard::AccessExclusiveLock];
            replace(out, old, new, hazards, |out| {
                let bare = Column { comment: None, ..again.clone() };
                let op = Op::AddColumn { table: table.clone(), column: bare };
                out.change(Class::Alter, key.clone(), op, super::tables::add_column_hazards(again))
            });
            for change in &mut out.changes[from..] {
                change.class = class;
                change.part_of = Some(subject.clone());
            }
        }
    }
}

/// Views (and policies) that must be dropped and recreated around changes that PostgreSQL refuses while
/// they use the object: a column's type change, and a view's, table's or function's own drop and create (a
/// function whose return type changes). Each dependent view (transitively, from
/// the live `pg_depend`) is dropped before and recreated after, as declared or, when undeclared, as it is;
/// the steps belong to the change that needs them (`part_of`) and carry `breaks-dependents`.
pub(super) fn dependent_views(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let mut dependents: BTreeMap<&ObjectKey, BTreeSet<&ObjectKey>> = BTreeMap::new();
    for (from, tos) in &live.dependencies {
        if matches!(from.kind, ObjectKind::View | ObjectKind::Policy) {
            for to in tos {
                dependents.entry(to).or_default().insert(from);
            }
        }
    }
    let mut handled: BTreeSet<ObjectKey> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::Drop { object: Obj::View(v), .. } => Some(ObjectKey::view(&v.name)),
            Op::Drop { object: Obj::Policy { table, policy }, .. } => {
                Some(ObjectKey::policy(table, &policy.name))
            }
            _ => None,
        })
        .collect();
    let roots: Vec<(usize, ObjectKey)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.op {
            Op::AlterColumnType { .. }
            | Op::Drop { object: Obj::View(_) | Obj::Table(_) | Obj::Function(_), replaced_by: Some(_) } => {
                Some((i, c.key.clone()))
            }
            Op::ReplaceEnum { stage: EnumStage::Column { table, column, .. }, .. } => {
                Some((i, ObjectKey::column(table, column)))
            }
            Op::ReplaceEnum { stage: EnumStage::DropOld, .. } => Some((i, c.key.clone())),
            Op::Drop { object: Obj::Column { .. }, replaced_by: Some(_) } => Some((i, c.key.clone())),
            _ => None,
        })
        .collect();
    for (index, root) in roots {
        let mut found: Vec<ObjectKey> = Vec::new();
        let mut queue = vec![root.clone()];
        while let Some(key) = queue.pop() {
            for d in dependents.get(&key).into_iter().flatten() {
                if !found.contains(d) && **d != root {
                    found.push((*d).clone());
                    queue.push((*d).clone());
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        if !out.changes[index].hazards.contains(&Hazard::BreaksDependents) {
            out.changes[index].hazards.push(Hazard::BreaksDependents);
        }
        found.sort();
        for key in found {
            if !handled.insert(key.clone()) {
                continue;
            }
            let subject = out.changes[index].key.clone();
            // Of the class of the change they serve: a table dropped for a view takes its views along as drops.
            let class = out.changes[index].class;
            let ops = if let Some((table, policy)) = policy_named(live, &key) {
                // A policy over a column whose type changes: off before, on again after (as declared, or as
                // it is when undeclared).
                let again = policy_named(desired, &key).map_or(policy, |(_, p)| p);
                let object =
                    |p: &crate::catalog::Policy| Obj::Policy { table: table.clone(), policy: p.clone() };
                let bare = crate::catalog::Policy { comment: None, ..again.clone() };
                [
                    Op::Drop { object: object(policy), replaced_by: Some(object(again)) },
                    Op::CreatePolicy { table: table.clone(), policy: bare },
                ]
            } else if let Some(view) = view_named(live, &key) {
                let again = view_named(desired, &key).unwrap_or(view);
                [
                    Op::Drop { object: Obj::View(view.clone()), replaced_by: Some(Obj::View(again.clone())) },
                    Op::CreateView(View { comment: None, ..again.clone() }),
                ]
            } else {
                continue;
            };
            for op in ops {
                out.changes.push(super::model::Change {
                    class,
                    key: key.clone(),
                    op,
                    hazards: vec![Hazard::BreaksDependents],
                    part_of: Some(subject.clone()),
                });
            }
        }
    }
}

/// Foreign keys that use the index of a primary key, unique constraint or unique index being dropped or
/// redefined (PostgreSQL refuses to drop the index while a foreign key depends on it, in the live
/// `pg_depend`): dropped first and added again after, as declared or, when undeclared, as they are, as part
/// of that key's change. Added again, a foreign key binds to the key that exists then: the order puts it
/// after the key's new form (`Resource::Keys`).
pub(super) fn dependent_foreign_keys(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    // Constraints already dropped by changes of their own.
    let mut handled: BTreeSet<ObjectKey> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::Drop { object: Obj::Constraint { .. }, .. } => Some(c.key.clone()),
            _ => None,
        })
        .collect();
    let keys: Vec<(usize, ObjectKey)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.op {
            Op::Drop { object: Obj::Constraint { table, constraint }, .. }
                if matches!(constraint.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique) =>
            {
                Some((i, ObjectKey::index(&table.schema, &constraint.name)))
            }
            Op::Drop { object: Obj::Index { index, .. }, .. }
            | Op::ReplaceIndex { old: index, stage: ReplaceStage::DropOld, .. }
                if index.unique =>
            {
                Some((i, ObjectKey::index(&index.table.schema, &index.name)))
            }
            _ => None,
        })
        .collect();
    for (index, backing) in keys {
        let users: Vec<ObjectKey> = live
            .dependencies
            .iter()
            .filter(|(k, deps)| k.kind == ObjectKind::Constraint && deps.contains(&backing))
            .map(|(k, _)| k.clone())
            .collect();
        for key in users {
            if !handled.insert(key.clone()) {
                continue;
            }
            let Some((table, fk)) = live.tables.values().find_map(|t| {
                t.constraints
                    .values()
                    .find(|c| ObjectKey::constraint(&t.name, &c.name) == key)
                    .map(|c| (t, c))
            }) else {
                continue;
            };
            let declared = desired.tables.get(&table.name).and_then(|t| t.constraints.get(&fk.name));
            let subject = out.changes[index].key.clone();
            if !out.changes[index].hazards.contains(&Hazard::BreaksDependents) {
                out.changes[index].hazards.push(Hazard::BreaksDependents);
            }
            let from = out.changes.len();
            let old = Obj::Constraint { table: table.name.clone(), constraint: fk.clone() };
            // An undeclared foreign key comes back as it is only while the declared state still has a key
            // for it to reference; otherwise it goes with the key it used.
            let still_keyed = || {
                let (Some(referenced), Some(columns)) =
                    (&fk.references, super::constraints::referenced_columns(&fk.definition))
                else {
                    return false;
                };
                desired.tables.get(referenced).is_some_and(|t| {
                    t.constraints.values().any(|k| {
                        matches!(k.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
                            && k.columns.iter().map(|c| crate::catalog::quote_ident(c)).collect::<Vec<_>>()
                                == columns
                    }) || t
                        .indexes
                        .values()
                        .any(|i| i.unique && unique_index_keys(&i.definition) == Some(columns.join(", ")))
                })
            };
            let again = match declared {
                Some(d) => d,
                None if still_keyed() => fk,
                None => {
                    out.changes.push(super::model::Change {
                        class: Class::Alter,
                        key: key.clone(),
                        op: Op::Drop { object: old, replaced_by: None },
                        hazards: vec![Hazard::BreaksDependents],
                        part_of: Some(subject),
                    });
                    continue;
                }
            };
            let new = Obj::Constraint { table: table.name.clone(), constraint: again.clone() };
            let bare = Constraint { comment: None, ..again.clone() };
            replace(out, old, new, vec![Hazard::BreaksDependents], |out| {
                super::constraints::create_constraint(&table.name, &bare, false, out)
            });
            for change in &mut out.changes[from..] {
                change.part_of = Some(subject.clone());
            }
        }
    }
}

/// The key columns of a unique index a foreign key can reference (`USING btree (a, b) INCLUDE (c)` gives
/// `a, b`); `None` for a partial index.
fn unique_index_keys(definition: &str) -> Option<String> {
    if definition.contains(" WHERE ") {
        return None;
    }
    let rest = definition.strip_prefix("USING btree (")?;
    let end = rest.find(')')?;
    Some(rest[..end].to_string())
}

/// A replaced object loses its comment with the drop: the comment it should have (as declared, or as it was
/// for an undeclared dependent) is set again after its re-creation, in place of any comment change.
pub(super) fn restore_comments(out: &mut Comparison) {
    // A relation replaced by one of another kind is not made again: the new one's comments are its own.
    let replaced: Vec<(ObjectKey, Obj, Option<ObjectKey>, Class)> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::Drop { replaced_by: Some(obj), .. } if obj.key() == c.key => {
                Some((c.key.clone(), obj.clone(), c.part_of.clone(), c.class))
            }
            Op::ReplaceIndex { new, stage: ReplaceStage::Build, .. } => {
                Some((c.key.clone(), Obj::Index { index: new.clone(), concurrently: true }, None, c.class))
            }
            _ => None,
        })
        .collect();
    for (key, obj, part_of, class) in replaced {
        out.changes
            .retain(|c| !(c.key == key && matches!(c.op, Op::SetComment { .. } | Op::ChangeComment { .. })));
        if let Some((on, text)) = comment_of(&obj) {
            out.changes.push(super::model::Change {
                class,
                key,
                op: Op::SetComment { on, text },
                hazards: vec![],
                part_of,
            });
        }
    }
}

fn comment_of(obj: &Obj) -> Option<(CommentOn, String)> {
    let on = match obj {
        Obj::Constraint { table, constraint } => {
            CommentOn::Constraint(table.clone(), constraint.name.clone())
        }
        Obj::Index { index, .. } => CommentOn::Index(QualName::new(&index.table.schema, &index.name)),
        Obj::View(v) => CommentOn::View(v.name.clone(), v.materialized),
        Obj::Function(f) => CommentOn::Function(f.signature.clone(), f.kind.clone()),
        Obj::Trigger { table, trigger } => CommentOn::Trigger(table.clone(), trigger.name.clone()),
        Obj::Rule { table, rule } => CommentOn::Rule(table.clone(), rule.name.clone()),
        Obj::Policy { table, policy } => CommentOn::Policy(table.clone(), policy.name.clone()),
        Obj::EventTrigger(e) => CommentOn::EventTrigger(e.name.clone()),
        _ => return None,
    };
    let text = match obj {
        Obj::Constraint { constraint, .. } => &constraint.comment,
        Obj::Index { index, .. } => &index.comment,
        Obj::View(v) => &v.comment,
        Obj::Function(f) => &f.comment,
        Obj::Trigger { trigger, .. } => &trigger.comment,
        Obj::Rule { rule, .. } => &rule.comment,
        Obj::Policy { policy, .. } => &policy.comment,
        Obj::EventTrigger(e) => &e.comment,
        _ => &None,
    };
    text.clone().map(|t| (on, t))
}

fn policy_named<'a>(
    catalog: &'a Catalog,
    key: &ObjectKey,
) -> Option<(&'a QualName, &'a crate::catalog::Policy)> {
    if key.kind != ObjectKind::Policy {
        return None;
    }
    catalog.tables.values().find_map(|t| {
        t.policies.values().find(|p| ObjectKey::policy(&t.name, &p.name) == *key).map(|p| (&t.name, p))
    })
}

fn view_named<'a>(catalog: &'a Catalog, key: &ObjectKey) -> Option<&'a View> {
    catalog.views.values().find(|v| ObjectKey::view(&v.name) == *key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_where_postgresql_does() {
        assert!(!type_change_rewrites("character varying(20)", "character varying(50)"));
        assert!(!type_change_rewrites("character varying(20)", "character varying"));
        assert!(!type_change_rewrites("character varying(20)", "text"));
        assert!(type_change_rewrites("character varying(50)", "character varying(20)"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric(12,2)"));
        assert!(type_change_rewrites("numeric(10,2)", "numeric(12,3)"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric"));
        assert!(type_change_rewrites("integer", "bigint"));
        assert!(type_change_rewrites("text", "character varying(10)"));
        assert!(!type_change_rewrites("timestamp without time zone", "timestamp with time zone"));
    }

    #[test]
    fn only_conversions_that_can_fail_are_flagged() {
        for (from, to) in [
            ("smallint", "integer"),
            ("integer", "bigint"),
            ("integer", "numeric"),
            ("real", "double precision"),
            ("character(5)", "character varying(5)"),
            ("integer", "text"),
            ("character varying(20)", "character varying(50)"),
        ] {
            assert!(!type_change_may_fail(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("bigint", "integer"),
            ("integer", "smallint"),
            ("text", "integer"),
            ("integer", "numeric(5,0)"),
            ("character varying(50)", "character varying(20)"),
            ("character(9)", "character varying(5)"),
            ("double precision", "real"),
        ] {
            assert!(type_change_may_fail(from, to), "{from} -> {to}");
        }
    }

    #[test]
    fn temporary_names_fit() {
        assert_eq!(temporary_index_name("users_email_idx"), "users_email_idx_accrete_new");
        assert_eq!(temporary_index_name(&"x".repeat(63)).len(), 63);
    }
}
