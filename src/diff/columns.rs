//! Columns of a table present on both sides: missing ones are added, different ones reported, and the
//! alterations a difference takes (`alter_column`: type, collation, default, NOT NULL stages, identity,
//! generated expression). After the comparison: enum conversions through text, serial columns and free
//! sequences turned into each other, generated columns dropped and added around a type change they read,
//! and a default set aside around a function's drop (`default_along`).
//!
//! On PostgreSQL 18 a column's NOT NULL is a constraint with a name (`Column::not_null_name`). A NOT NULL
//! the target has under another name is the same NOT NULL: like a constraint or index under another name
//! (rule 2), it is not made again nor renamed, and is reported where the declared name is one the user
//! chose. A NOT NULL the target has `NOT VALID` where it is declared valid is validated in place (add
//! class, as a constraint is); declared `NOT VALID` where the target's is valid, or a different `NO
//! INHERIT`, is reported and not planned.

use super::conversions::{
    Conversion, explicit_using, type_change_may_fail, type_change_rewrites, type_conversion,
};
use super::model::{
    Change, Class, CommentOn, Comparison, EquivalentOtherName, Hazard, NotNullStage, Obj, Op, differ, opt,
};
use super::objects::{comment, sequence_option_differences};
use super::tables::add_column_hazards;
use crate::catalog::{Catalog, Column, ObjectKey, ObjectKind, QualName, Table};
use crate::scope::Scope;
use std::collections::BTreeSet;

pub(super) fn compare_columns(desired: &Table, live: &Table, scope: &Scope, out: &mut Comparison) {
    let table = &desired.name;
    for column in &desired.columns {
        let key = ObjectKey::column(table, &column.name);
        if !scope.includes(ObjectKind::Column, &key.name) {
            continue;
        }
        match live.column(&column.name) {
            None => {
                out.missing.push(key.clone());
                let bare = Column { comment: None, ..without_not_valid(column) };
                let hazards = add_column_hazards(&bare);
                out.change(
                    Class::Add,
                    key.clone(),
                    Op::AddColumn { table: table.clone(), column: bare },
                    hazards,
                );
                add_not_valid(table, column, out);
                if let Some(text) = &column.comment {
                    comment(out, key, CommentOn::Column(table.clone(), column.name.clone()), None, text);
                }
            }
            Some(l) => {
                let diffs = column_differences(l, column);
                if !diffs.is_empty() {
                    // Only a NOT NULL left NOT VALID to validate: in place, add class, as a constraint is.
                    let class = if diffs.len() == 1 && validates_not_null(l, column) {
                        Class::Add
                    } else {
                        Class::Alter
                    };
                    out.changed(key.clone(), class, diffs);
                    alter_column(live, l, column, out);
                }
                other_not_null_name(table, l, column, out);
                if let Some(text) = &column.comment {
                    let on = CommentOn::Column(table.clone(), column.name.clone());
                    comment(out, key, on, l.comment.as_ref(), text);
                }
            }
        }
    }
    for column in &live.columns {
        let key = ObjectKey::column(table, &column.name);
        if desired.column(&column.name).is_none() && scope.includes(ObjectKind::Column, &key.name) {
            let object = Obj::Column { table: table.clone(), column: column.clone() };
            out.extra(object, vec![Hazard::DeletesData, Hazard::NotReversible]);
        }
    }
}

/// What differs between a live and a declared column, one line each (position is never compared).
pub(super) fn column_differences(live: &Column, declared: &Column) -> Vec<String> {
    let mut diffs = Vec::new();
    diffs.extend(differ("type", &live.data_type, &declared.data_type));
    let null = |c: &Column| if c.not_null { "NOT NULL" } else { "nullable" };
    diffs.extend(differ("nullability", null(live), null(declared)));
    if live.not_null && declared.not_null {
        let valid = |c: &Column| if c.not_null_not_valid { "NOT VALID" } else { "valid" };
        diffs.extend(differ("NOT NULL validation", valid(live), valid(declared)));
        let inherit = |c: &Column| if c.not_null_no_inherit { "NO INHERIT" } else { "inherited" };
        diffs.extend(differ("NOT NULL inheritance", inherit(live), inherit(declared)));
    }
    diffs.extend(differ("default", opt(&live.default), opt(&declared.default)));
    let identity = |c: &Column| match &c.identity {
        None => "none".to_string(),
        Some(i) => if i.always { "ALWAYS" } else { "BY DEFAULT" }.to_string(),
    };
    diffs.extend(differ("identity", identity(live), identity(declared)));
    if let (Some(l), Some(d)) = (&live.identity, &declared.identity) {
        diffs.extend(
            sequence_option_differences(&l.options, &d.options).into_iter().map(|d| format!("identity {d}")),
        );
    }
    let serial = |c: &Column| if c.serial.is_some() { "serial" } else { "none" };
    diffs.extend(differ("serial", serial(live), serial(declared)));
    if let (Some(l), Some(d)) = (&live.serial, &declared.serial) {
        diffs.extend(
            sequence_option_differences(&l.options, &d.options).into_iter().map(|d| format!("sequence {d}")),
        );
    }
    diffs.extend(differ("generated", opt(&live.generated), opt(&declared.generated)));
    let collation =
        |c: &Column| c.collation.as_ref().map(|q| q.to_string()).unwrap_or_else(|| "default".into());
    diffs.extend(differ("collation", collation(live), collation(declared)));
    diffs
}

/// A column as `CREATE TABLE` and `ADD COLUMN` make it: a NOT NULL declared `NOT VALID` (PostgreSQL 18) is
/// left out, and added by a step of its own ([`add_not_valid`]).
pub(super) fn without_not_valid(c: &Column) -> Column {
    if !(c.not_null && c.not_null_not_valid) {
        return c.clone();
    }
    Column {
        not_null: false,
        not_null_name: None,
        not_null_not_valid: false,
        not_null_no_inherit: false,
        ..c.clone()
    }
}

/// The step that adds a NOT NULL declared `NOT VALID` to a new column.
pub(super) fn add_not_valid(table: &QualName, c: &Column, out: &mut Comparison) {
    if c.not_null && c.not_null_not_valid {
        let op = Op::SetNotNull {
            table: table.clone(),
            column: c.name.clone(),
            stage: NotNullStage::NotValid,
            name: c.not_null_name.clone(),
            no_inherit: c.not_null_no_inherit,
        };
        out.change(Class::Add, ObjectKey::column(table, &c.name), op, vec![]);
    }
}

/// Whether the target's NOT NULL is `NOT VALID` where a valid one is declared.
pub(super) fn validates_not_null(live: &Column, declared: &Column) -> bool {
    live.not_null && declared.not_null && live.not_null_not_valid && !declared.not_null_not_valid
}

/// A NOT NULL the target has under another name (PostgreSQL 18): the same NOT NULL, not renamed; reported
/// where the declared name is not one PostgreSQL chose (the default, with a number appended on a
/// collision).
fn other_not_null_name(table: &QualName, live: &Column, declared: &Column, out: &mut Comparison) {
    if !(live.not_null && declared.not_null) {
        return;
    }
    let (l, d) = (live.not_null_constraint(&table.name), declared.not_null_constraint(&table.name));
    if l == d {
        return;
    }
    let default = crate::catalog::default_not_null_name(&table.name, &declared.name);
    out.equivalent_other_name.push(EquivalentOtherName {
        declared: ObjectKey::constraint(table, &d),
        live: ObjectKey::constraint(table, &l),
        user_named: d.trim_end_matches(|c: char| c.is_ascii_digit()) != default,
    });
}

/// PostgreSQL 18: a declared constraint whose name the target's NOT NULL of a column holds, where the files
/// give that NOT NULL another name (loaded as written, a CHECK named `<table>_<column>_not_null` in the
/// files takes the name first and the NOT NULL gets `..._not_null1`): the NOT NULL is renamed to its declared
/// name before the constraint is added, in a step that serves the constraint. Before 18 the declared NOT
/// NULL has the default name too, so nothing is renamed.
pub(super) fn free_not_null_name(
    desired: &Table,
    live: &Table,
    name: &str,
    serves: &ObjectKey,
    out: &mut Comparison,
) {
    let table = &desired.name;
    for l in live.columns.iter().filter(|l| l.not_null && l.not_null_constraint(&table.name) == name) {
        let Some(d) = desired.column(&l.name).filter(|d| d.not_null) else { continue };
        let to = d.not_null_constraint(&table.name);
        if to == name {
            continue;
        }
        let op =
            Op::RenameNotNull { table: table.clone(), column: l.name.clone(), from: name.to_string(), to };
        out.changes.push(Change {
            class: Class::Add,
            key: ObjectKey::column(table, &l.name),
            op,
            hazards: vec![],
            part_of: Some(serves.clone()),
        });
    }
}

/// The alter changes for a column present on both sides. A column that becomes generated (or changes its
/// expression) is made again, its values computed anew; one that stops being generated keeps its values.
/// Serial and collation differences stay reported only.
pub(super) fn alter_column(table: &Table, live: &Column, declared: &Column, out: &mut Comparison) {
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
        super::alter::replace(out, old, new, hazards, |out| {
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
            from: live.identity.as_deref().cloned(),
            to: declared.identity.as_deref().cloned(),
        };
        let hazards = match (&live.identity, &declared.identity) {
            (Some(l), Some(d)) => super::objects::restart_hazard(&l.options, &d.options),
            _ => vec![],
        };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
    let structural = live.serial.is_some() != declared.serial.is_some();
    // A serial made identity or back converts in place (`serial_conversions`); its type may change first.
    let serial_identity = (live.serial.is_some() && declared.identity.is_some() && live.identity.is_none())
        || (live.identity.is_some() && declared.serial.is_some() && live.serial.is_none());
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
    let conversion = type_conversion(&live.data_type, &declared.data_type);
    // A serial made plain has its default and sequence dropped first (`serial_conversions`), then its type
    // changed.
    let serial_dropped = live.serial.is_some() && declared.serial.is_none() && declared.identity.is_none();
    let retyped = live.data_type != declared.data_type && (!structural || serial_identity || serial_dropped);
    if let (true, Conversion::Refused(why)) = (retyped, &conversion) {
        // Reported with why, not planned.
        if let Some(changed) = out.changed.iter_mut().rev().find(|c| c.key == key) {
            changed.differences.push(format!("type not changed by accrete: {why}; convert by hand"));
        }
    } else if retyped {
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
            using: (conversion == Conversion::Explicit)
                .then(|| explicit_using(&declared.name, &declared.data_type)),
            rewrite,
            from_collation: live.collation.clone(),
            to_collation: declared.collation.clone(),
            reset_default: reset_default.clone(),
        };
        out.change(Class::Alter, key.clone(), op, hazards);
        if let (Some(l), Some(d)) = (&live.serial, &declared.serial)
            && l.options != d.options
        {
            // A serial's sequence follows its column's type.
            super::objects::alter_sequence(out, key.clone(), &l.sequence, &l.options, &d.options);
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
    if validates_not_null(live, declared) {
        let op = Op::SetNotNull {
            table: name.clone(),
            column: col(),
            stage: NotNullStage::ValidateConstraint,
            name: Some(live.not_null_constraint(&name.name)),
            no_inherit: false,
        };
        out.change(Class::Add, key.clone(), op, vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData]);
    }
    if live.not_null
        && declared.not_null
        && live.not_null_no_inherit != declared.not_null_no_inherit
        && !declared.not_null_not_valid
    {
        let no_inherit = declared.not_null_no_inherit;
        let op = Op::SetNotNullInherit {
            table: name.clone(),
            column: col(),
            name: live.not_null_constraint(&name.name),
            no_inherit,
        };
        // Made inheritable, the NOT NULL is added to the children, which may hold NULLs.
        let hazards = if no_inherit { vec![] } else { vec![Hazard::MayFailOnData] };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
    if live.not_null != declared.not_null && !(live.identity.is_some() && declared.identity.is_some()) {
        if declared.not_null {
            let set = |stage| Op::SetNotNull {
                table: name.clone(),
                column: col(),
                stage,
                name: declared.not_null_name.clone(),
                no_inherit: declared.not_null_no_inherit,
            };
            if declared.not_null_not_valid {
                // PostgreSQL 18: declared NOT VALID, so rows may keep their NULLs; nothing is scanned.
                out.change(Class::Alter, key.clone(), set(NotNullStage::NotValid), vec![]);
                return;
            }
            for (stage, hazards) in [
                (NotNullStage::AddCheck, vec![Hazard::MayFailOnData]),
                (NotNullStage::Validate, vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData]),
                (NotNullStage::Set, vec![]),
            ] {
                out.change(Class::Alter, key.clone(), set(stage), hazards);
            }
        } else {
            let op = Op::DropNotNull { table: name.clone(), column: col() };
            out.change(Class::Alter, key.clone(), op, vec![]);
        }
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
                        super::objects::alter_sequence(
                            out,
                            key.clone(),
                            &ds.sequence,
                            &seq.options,
                            &ds.options,
                        );
                    }
                    let op = Op::SequenceOwnership {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: (**ds).clone(),
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
                        serial: (**ds).clone(),
                        add: true,
                    };
                    out.change(Class::Alter, key.clone(), op, vec![]);
                }
                // Serial and identity turned into each other in place, the position carried over.
                (Some(ls), None) if dc.identity.is_some() && dc.default.is_none() => {
                    if let Some(identity) = dc.identity.as_ref().filter(|_| lc.identity.is_none()) {
                        let op = Op::SerialIdentity {
                            table: name.clone(),
                            column: dc.name.clone(),
                            serial: (**ls).clone(),
                            identity: (**identity).clone(),
                            to_identity: true,
                        };
                        out.change(Class::Alter, key.clone(), op, vec![Hazard::AccessExclusiveLock]);
                    }
                }
                (None, Some(ds)) if lc.identity.is_some() => {
                    let op = Op::SerialIdentity {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: (**ds).clone(),
                        identity: lc.identity.as_deref().cloned().expect("checked"),
                        to_identity: false,
                    };
                    out.change(Class::Alter, key.clone(), op, vec![Hazard::AccessExclusiveLock]);
                }
                (Some(ls), None) if dc.default.is_none() && dc.identity.is_none() => {
                    let op = Op::SerialChange {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: (**ls).clone(),
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
                        serial: (**ls).clone(),
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
                        super::objects::alter_sequence(
                            out,
                            key.clone(),
                            &ls.sequence,
                            &ls.options,
                            &seq.options,
                        );
                    }
                }
                _ => {}
            }
        }
    }
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
            Op::Drop { object, .. } if matches!(**object, Obj::Column { .. }) => Some(c.key.clone()),
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
            super::alter::replace(out, old, new, hazards, |out| {
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

/// A column taken along by a change it depends on (`alter::dependent_views`): its default, which calls what
/// is dropped, set aside before and set again after (as declared, or as it was). False for a key that is not
/// a column, and for a column without a default or a generated one (which would lose its values).
pub(super) fn default_along(
    desired: &Catalog,
    live: &Catalog,
    key: &ObjectKey,
    out: &mut Comparison,
) -> bool {
    if key.kind != ObjectKind::Column {
        return false;
    }
    let Some((table, column)) = live
        .tables
        .values()
        .find_map(|t| t.columns.iter().find(|c| ObjectKey::column(&t.name, &c.name) == *key).map(|c| (t, c)))
    else {
        return false;
    };
    if column.generated.is_some() || column.default.is_none() {
        return false;
    }
    let again = desired.tables.get(&table.name).and_then(|t| t.column(&column.name)).unwrap_or(column);
    // The column's own default change is replaced by these two steps.
    out.changes.retain(|c| !(c.key == *key && matches!(c.op, Op::SetColumnDefault { .. })));
    let set = |from: &Option<String>, to: &Option<String>| Op::SetColumnDefault {
        table: table.name.clone(),
        column: column.name.clone(),
        from: from.clone(),
        to: to.clone(),
    };
    let mut ops = vec![set(&column.default, &None)];
    if again.default.is_some() {
        ops.push(set(&None, &again.default));
    }
    for op in ops {
        out.change(Class::Alter, key.clone(), op, vec![]);
    }
    true
}

/// The comments on the columns of a table the plan creates (`CREATE TABLE` makes them without).
pub(super) fn comments_of_new_table(table: &Table, out: &mut Comparison) {
    let name = &table.name;
    for c in &table.columns {
        if let Some(text) = &c.comment {
            let on = CommentOn::Column(name.clone(), c.name.clone());
            comment(out, ObjectKey::column(name, &c.name), on, None, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(not_null_name: Option<&str>) -> Table {
        let column = Column {
            name: "kind".into(),
            data_type: "text".into(),
            not_null: true,
            not_null_name: not_null_name.map(str::to_string),
            ..Default::default()
        };
        Table { name: QualName::new("app", "t"), columns: vec![column], ..Default::default() }
    }

    #[test]
    fn a_not_null_is_renamed_only_out_of_a_declared_constraints_way() {
        let key = ObjectKey::constraint(&QualName::new("app", "t"), "t_kind_not_null");
        // PostgreSQL 18: the files' NOT NULL is named t_kind_not_null1, the target's has the default name.
        let mut out = Comparison::default();
        free_not_null_name(&table(Some("t_kind_not_null1")), &table(None), "t_kind_not_null", &key, &mut out);
        assert!(matches!(
            &out.changes[..],
            [Change { op: Op::RenameNotNull { from, to, .. }, part_of: Some(p), .. }]
                if from == "t_kind_not_null" && to == "t_kind_not_null1" && *p == key
        ));
        // Before 18 both sides have the default name (no constraint at all): nothing to rename.
        let mut out = Comparison::default();
        free_not_null_name(&table(None), &table(None), "t_kind_not_null", &key, &mut out);
        assert!(out.changes.is_empty());
    }

    #[test]
    fn a_not_null_under_another_name_is_reported_only_when_the_files_chose_the_name() {
        let t = QualName::new("app", "t");
        let (named, default) = (table(Some("kind_required")), table(None));
        let mut out = Comparison::default();
        other_not_null_name(&t, &default.columns[0], &named.columns[0], &mut out);
        assert!(out.equivalent_other_name[0].user_named);
        let mut out = Comparison::default();
        other_not_null_name(&t, &named.columns[0], &table(Some("t_kind_not_null1")).columns[0], &mut out);
        assert!(!out.equivalent_other_name[0].user_named);
        assert!(out.changes.is_empty());
    }
}
