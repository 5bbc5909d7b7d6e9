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
    if super::columns::validates_not_null(live, declared) {
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

/// How `ALTER COLUMN ... TYPE` converts a column from `from` to `to` (types as `format_type` prints them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conversion {
    /// PostgreSQL's assignment cast, no `USING`: a value that does not fit fails the step.
    Assignment,
    /// No assignment cast, and the explicit cast fails on a value that does not fit (a string parsed by the
    /// new type's input function: text to integer, uuid, date, jsonb): `USING col::type`, `may-fail-on-data`.
    Explicit,
    /// Not planned, for the reason given: either cast would change values without an error (round them,
    /// or map several to one), or PostgreSQL has no cast between the two types at all.
    Refused(String),
}

/// The conversion of a column from `from` to `to`. A string type (text, varchar, char, name) converts to
/// every other type through that type's input function, an explicit cast that errors on what it cannot
/// read; the other explicit-only casts PostgreSQL ships are sorted one by one. Refused whatever the cast:
/// a fractional value rounded to a smaller numeric scale or an integer type, a time value rounded to a
/// smaller precision, an integer made boolean (every nonzero value becomes true).
pub fn type_conversion(from: &str, to: &str) -> Conversion {
    let array = |t: &str| t.ends_with("[]");
    if array(from) != array(to) {
        return Conversion::Assignment;
    }
    let (from, to) = (from.trim_end_matches("[]"), to.trim_end_matches("[]"));
    let split = |t: &str| -> (String, Vec<i64>) {
        match t.split_once('(') {
            Some((base, rest)) => (
                base.trim().to_string(),
                rest.split(')')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|a| a.trim().parse().ok())
                    .collect(),
            ),
            None => (t.trim().to_string(), vec![]),
        }
    };
    let ((fb, fa), (tb, ta)) = (split(from), split(to));
    let string = |b: &str| matches!(b, "text" | "character varying" | "character" | "name" | "bpchar");
    let integer = |b: &str| matches!(b, "smallint" | "integer" | "bigint");
    let fractional = |b: &str| matches!(b, "numeric" | "real" | "double precision" | "jsonb") || string(b);
    // Time types: the precision (`timestamp(0) without time zone` prints its typmod before the zone words).
    let time = |t: &str| {
        let base = t.split('(').next().unwrap_or(t).trim();
        let words = t.split(')').next_back().unwrap_or("").trim();
        let base = if t.contains('(') { format!("{base} {words}") } else { base.to_string() };
        matches!(
            base.trim(),
            "timestamp without time zone"
                | "timestamp with time zone"
                | "time without time zone"
                | "time with time zone"
                | "interval"
        )
    };
    let precision = |args: &[i64]| args.first().copied().unwrap_or(6);
    if tb == "numeric" && ta.len() == 2 {
        let scale = ta[1];
        let more = match fb.as_str() {
            "numeric" => fa.len() != 2 || fa[1] > scale,
            b => fractional(b),
        };
        if more {
            return Conversion::Refused(format!(
                "values of {from} with more than {scale} decimal places would be rounded silently to {to}"
            ));
        }
    }
    if integer(&tb) && fractional(&fb) && !string(&fb) {
        return Conversion::Refused(format!("fractional values of {from} would be rounded silently to {to}"));
    }
    if time(to) && !ta.is_empty() && (string(&fb) || (time(from) && precision(&fa) > precision(&ta))) {
        return Conversion::Refused(format!(
            "values of {from} would be rounded silently to the precision of {to}"
        ));
    }
    if string(&fb) {
        return if string(&tb) { Conversion::Assignment } else { Conversion::Explicit };
    }
    match (fb.as_str(), tb.as_str()) {
        ("jsonb", "boolean" | "numeric" | "double precision") | ("boolean", "integer") => {
            Conversion::Explicit
        }
        (f, t) if f.ends_with("range") && t.ends_with("multirange") => Conversion::Explicit,
        ("integer", "boolean") => {
            Conversion::Refused(format!("every nonzero value of {from} would become true in {to}"))
        }
        ("jsonb", _) if !string(&tb) => Conversion::Refused(format!(
            "the explicit cast from {from} to {to} changes values without an error"
        )),
        (f, t) if f == t || string(t) || !builtin(f) || !builtin(t) || castable(f, t) => {
            Conversion::Assignment
        }
        _ => Conversion::Refused(format!(
            "PostgreSQL has no cast from {from} to {to}; write the conversion by hand (USING an expression)"
        )),
    }
}

/// The built-in base types whose casts [`castable`] knows; a conversion with any other type (an enum, a
/// domain, an extension's type) is left to PostgreSQL's assignment cast, as declared.
fn builtin(base: &str) -> bool {
    matches!(
        base,
        "smallint"
            | "integer"
            | "bigint"
            | "numeric"
            | "real"
            | "double precision"
            | "money"
            | "boolean"
            | "date"
            | "timestamp without time zone"
            | "timestamp with time zone"
            | "time without time zone"
            | "time with time zone"
            | "interval"
            | "uuid"
            | "bytea"
            | "json"
            | "jsonb"
            | "inet"
            | "cidr"
            | "macaddr"
            | "macaddr8"
            | "bit"
            | "bit varying"
            | "xml"
            | "point"
            | "tsvector"
            | "tsquery"
    )
}

/// Whether PostgreSQL has an implicit or assignment cast from `from` to `to` (both [`builtin`], without
/// their type modifiers, not a string type): what `ALTER COLUMN ... TYPE` without `USING` can use.
fn castable(from: &str, to: &str) -> bool {
    let number =
        |t: &str| matches!(t, "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision");
    let base = |t: &str| t.split('(').next().unwrap_or(t).trim().to_string();
    let (from, to) = (base(from), base(to));
    let (from, to) = (from.as_str(), to.as_str());
    (number(from) && number(to))
        || matches!(
            (from, to),
            ("smallint" | "integer" | "bigint" | "numeric", "money")
                | ("money", "numeric")
                | ("date", "timestamp without time zone" | "timestamp with time zone")
                | (
                    "timestamp without time zone",
                    "timestamp with time zone" | "date" | "time without time zone"
                )
                | (
                    "timestamp with time zone",
                    "timestamp without time zone" | "date" | "time without time zone" | "time with time zone"
                )
                | ("time without time zone", "time with time zone" | "interval")
                | ("time with time zone", "time without time zone")
                | ("interval", "time without time zone")
                | ("json", "jsonb")
                | ("jsonb", "json")
                | ("inet", "cidr")
                | ("cidr", "inet")
                | ("macaddr", "macaddr8")
                | ("macaddr8", "macaddr")
                | ("bit", "bit varying")
                | ("bit varying", "bit")
        )
}

/// The `USING` expression of an explicit conversion of `column` to `to`.
pub fn explicit_using(column: &str, to: &str) -> String {
    format!("{}::{to}", crate::catalog::quote_ident(column))
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
                // Serial and identity turned into each other in place, the position carried over.
                (Some(ls), None) if dc.identity.is_some() && dc.default.is_none() => {
                    if let Some(identity) = dc.identity.as_ref().filter(|_| lc.identity.is_none()) {
                        let op = Op::SerialIdentity {
                            table: name.clone(),
                            column: dc.name.clone(),
                            serial: ls.clone(),
                            identity: identity.clone(),
                            to_identity: true,
                        };
                        out.change(Class::Alter, key.clone(), op, vec![Hazard::AccessExclusiveLock]);
                    }
                }
                (None, Some(ds)) if lc.identity.is_some() => {
                    let op = Op::SerialIdentity {
                        table: name.clone(),
                        column: dc.name.clone(),
                        serial: ds.clone(),
                        identity: lc.identity.clone().expect("checked"),
                        to_identity: false,
                    };
                    out.change(Class::Alter, key.clone(), op, vec![Hazard::AccessExclusiveLock]);
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

/// Whether PostgreSQL refuses `CREATE OR REPLACE` from the live definition to the declared one (both as
/// `pg_get_functiondef` prints them): the result type changes (`RETURNS`, or the row that OUT parameters
/// make), a parameter is renamed or its mode changes, or a parameter loses its default. Then the function
/// is dropped and created, with what uses it (`dependent_views`). A default's value may change in place.
pub(super) fn replace_refused(live: &str, declared: &str) -> bool {
    if returns(live) != returns(declared) {
        return true;
    }
    let (Some(l), Some(d)) = (parameters(live), parameters(declared)) else { return live != declared };
    if l.len() != d.len() {
        return true;
    }
    l.iter()
        .zip(&d)
        .any(|((lp, ldefault), (dp, ddefault))| lp != dp || (ldefault.is_some() && ddefault.is_none()))
}

/// The parameters of a function's printed definition, each as its mode, name and type (`OUT total numeric`)
/// and its default expression: the text between the parentheses after the name, split at top-level commas.
fn parameters(definition: &str) -> Option<Vec<(String, Option<String>)>> {
    let head = definition.trim_start();
    // Past the qualified name, whose quoted parts may hold parentheses.
    let mut quoted = false;
    let mut open = None;
    for (i, c) in head.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                open = Some(i);
                break;
            }
            _ => {}
        }
    }
    let rest = &head[open? + 1..];
    let (mut depth, mut quote, mut params, mut current) = (0usize, None::<char>, Vec::new(), String::new());
    for c in rest.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')') if depth == 0 => {
                if !current.trim().is_empty() || !params.is_empty() {
                    params.push(std::mem::take(&mut current));
                }
                let split = |p: &String| match p.split_once(" DEFAULT ") {
                    Some((p, d)) => (p.trim().to_string(), Some(d.trim().to_string())),
                    None => (p.trim().to_string(), None),
                };
                return Some(params.iter().map(split).collect());
            }
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                params.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    None
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

/// What must be dropped and made again around a change PostgreSQL refuses while other objects use what it
/// changes: a column's type change (PostgreSQL refuses it under a view, rule, policy, trigger or a function
/// body that uses the column) and the drop and create of a view, a table or a function (a function whose
/// result, parameter names or defaults change: `CREATE OR REPLACE` refuses, and `DROP` refuses while
/// anything uses it). One rule for all: every object the live `pg_depend` records as using the changed
/// object (transitively through views and functions) whose kind the change takes (`takes`) is dropped before
/// and made again after, as declared or, when undeclared, as it is; a column default is set aside before and
/// set again after. The steps belong to the change that needs them (`part_of`: admitted only with it), are of
/// its class and carry `breaks-dependents`. The plan's order comes from the same `pg_depend` edges
/// (`plan::order`): a dependent's drop before the change, its re-creation after what it uses is made again.
pub(super) fn dependent_views(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let mut dependents: BTreeMap<&ObjectKey, BTreeSet<&ObjectKey>> = BTreeMap::new();
    for (from, tos) in &live.dependencies {
        for to in tos {
            dependents.entry(to).or_default().insert(from);
        }
    }
    // Objects already dropped (and made again) by changes of their own.
    let mut handled: BTreeSet<ObjectKey> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::Drop { object, .. } => Some(object.key()),
            _ => None,
        })
        .collect();
    let roots: Vec<(usize, ObjectKey, Takes)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.op {
            Op::AlterColumnType { .. } => Some((i, c.key.clone(), Takes::Code)),
            Op::Drop { object: Obj::View(_) | Obj::Table(_), replaced_by: Some(_) } => {
                Some((i, c.key.clone(), Takes::Code))
            }
            Op::Drop { object: Obj::Function(_), replaced_by: Some(_) } => {
                Some((i, c.key.clone(), Takes::All))
            }
            Op::ReplaceEnum { stage: EnumStage::Column { table, column, .. }, .. } => {
                Some((i, ObjectKey::column(table, column), Takes::Code))
            }
            Op::ReplaceEnum { stage: EnumStage::DropOld, .. } => Some((i, c.key.clone(), Takes::Relations)),
            Op::Drop { object: Obj::Column { .. }, replaced_by: Some(_) } => {
                Some((i, c.key.clone(), Takes::Code))
            }
            _ => None,
        })
        .collect();
    for (index, root, takes) in roots {
        let mut found: Vec<ObjectKey> = Vec::new();
        let mut queue = vec![root.clone()];
        while let Some(key) = queue.pop() {
            for d in dependents.get(&key).into_iter().flatten() {
                if !found.contains(d) && **d != root && takes.admits(d.kind) {
                    found.push((*d).clone());
                    // Through what is made of other objects' definitions, never through a column or a table.
                    if matches!(d.kind, ObjectKind::View | ObjectKind::Function) {
                        queue.push((*d).clone());
                    }
                }
            }
        }
        // A view made again loses its triggers and rules, which depend on it automatically, not through a
        // normal dependency: they go along too.
        if let Op::Drop { object: Obj::View(v), replaced_by: Some(Obj::View(_)) } = &out.changes[index].op {
            let parts = v.triggers.keys().map(|t| ObjectKey::trigger(&v.name, t));
            let parts = parts.chain(v.rules.keys().map(|r| ObjectKey::rule(&v.name, r)));
            found.extend(parts.filter(|k| !found.contains(k)).collect::<Vec<_>>());
        }
        found.sort();
        let mut taken = false;
        for key in found {
            if handled.contains(&key) {
                continue;
            }
            let subject = out.changes[index].key.clone();
            // Of the class of the change they serve: a table dropped for a view takes its views along as drops.
            let class = out.changes[index].class;
            let from = out.changes.len();
            if !take_along(desired, live, &key, &root, out) {
                continue;
            }
            handled.insert(key.clone());
            taken = true;
            for change in &mut out.changes[from..] {
                change.class = class;
                change.part_of = Some(subject.clone());
                if !change.hazards.contains(&Hazard::BreaksDependents) {
                    change.hazards.push(Hazard::BreaksDependents);
                }
            }
        }
        if taken && !out.changes[index].hazards.contains(&Hazard::BreaksDependents) {
            out.changes[index].hazards.push(Hazard::BreaksDependents);
        }
    }
}

/// Which dependents a change takes along.
#[derive(Clone, Copy)]
enum Takes {
    /// Views and policies (an enum's old type dropped).
    Relations,
    /// What holds code that PostgreSQL keeps bound to the object: views, rules, policies, triggers, functions
    /// with SQL-standard bodies (a column's type, a relation's drop; PostgreSQL itself rebuilds the
    /// indexes and constraints of a column whose type changes).
    Code,
    /// Everything that can call a function: also aggregates, column defaults, constraints, domain checks and
    /// indexes.
    All,
}

impl Takes {
    fn admits(self, kind: ObjectKind) -> bool {
        use ObjectKind as K;
        match self {
            Takes::Relations => matches!(kind, K::View | K::Policy),
            Takes::Code => matches!(kind, K::View | K::Policy | K::Rule | K::Trigger | K::Function),
            Takes::All => matches!(
                kind,
                K::View
                    | K::Policy
                    | K::Rule
                    | K::Trigger
                    | K::Function
                    | K::Aggregate
                    | K::Column
                    | K::Constraint
                    | K::Index
                    | K::Type
            ),
        }
    }
}

/// Pushes the steps that drop the live object `key` and make it again (as declared, or as it is); false when
/// it is not one accrete can take along (a generated column, which would lose its values; a foreign key).
fn take_along(
    desired: &Catalog,
    live: &Catalog,
    key: &ObjectKey,
    root: &ObjectKey,
    out: &mut Comparison,
) -> bool {
    if key.kind == ObjectKind::Type {
        return domain_checks_along(desired, live, key, root, out);
    }
    if key.kind == ObjectKind::Column {
        // A default that calls what is dropped: set aside before, set again after.
        let Some((table, column)) = live.tables.values().find_map(|t| {
            t.columns.iter().find(|c| ObjectKey::column(&t.name, &c.name) == *key).map(|c| (t, c))
        }) else {
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
        return true;
    }
    let Some(old) = object_named(live, key) else { return false };
    if let Obj::Constraint { constraint, .. } = &old
        && constraint.references.is_some()
    {
        return false;
    }
    let again = object_named(desired, key).unwrap_or_else(|| old.clone());
    // Made again as declared: its own redefinition (a function replaced in place) is this one.
    out.changes.retain(|c| !(c.key == *key && matches!(c.op, Op::ReplaceFunction { .. })));
    replace(out, old, again.clone(), vec![], |out| match again {
        Obj::View(v) => out.change(Class::Alter, key.clone(), Op::CreateView(v.bare()), vec![]),
        Obj::Policy { table, policy } => {
            let policy = crate::catalog::Policy { comment: None, ..policy };
            out.change(Class::Alter, key.clone(), Op::CreatePolicy { table, policy }, vec![])
        }
        Obj::Trigger { table, trigger } => {
            let trigger = crate::catalog::Trigger { comment: None, ..trigger };
            out.change(Class::Alter, key.clone(), Op::CreateTrigger { table, trigger }, vec![])
        }
        Obj::Rule { table, rule } => {
            let rule = crate::catalog::Rule { comment: None, ..rule };
            out.change(Class::Alter, key.clone(), Op::CreateRule { table, rule }, vec![])
        }
        Obj::Function(f) => {
            let f = crate::catalog::Function { comment: None, ..f };
            out.change(Class::Alter, key.clone(), Op::CreateFunction(f), vec![])
        }
        Obj::Aggregate(a) => {
            let a = crate::catalog::Aggregate { comment: None, ..a };
            out.change(Class::Alter, key.clone(), Op::CreateAggregate(a), vec![])
        }
        Obj::Constraint { table, constraint } => {
            let bare = Constraint { comment: None, ..constraint };
            super::constraints::create_constraint(&table, &bare, super::AddForm::Existing, out)
        }
        Obj::Index { index, .. } => {
            let bare = Index { comment: None, ..index };
            let op = Op::CreateIndex { index: bare, table_is_new: false, replace_invalid: false };
            out.change(Class::Alter, key.clone(), op, vec![Hazard::BuildsIndex])
        }
        _ => {}
    });
    true
}

/// A domain whose checks call the function `root`: those checks dropped before and added again after (as
/// declared, or as they are), `NOT VALID` and then validated. A check with a change of its own is left to it.
fn domain_checks_along(
    desired: &Catalog,
    live: &Catalog,
    key: &ObjectKey,
    root: &ObjectKey,
    out: &mut Comparison,
) -> bool {
    use super::model::TypeChange;
    let Some(t) = live.types.values().find(|t| ObjectKey::type_def(&t.name) == *key) else { return false };
    let Some(d) = &t.domain else { return false };
    let declared = desired.types.get(&t.name).and_then(|t| t.domain.as_ref());
    let function = root.name.split('(').next().unwrap_or(&root.name);
    let changed_on_its_own = |check: &str| {
        out.changes.iter().any(|c| {
            matches!(&c.op, Op::AlterType { name, change: TypeChange::DropCheck { name: n, .. } | TypeChange::AddCheck { name: n, .. } }
                if *name == t.name && n == check)
        })
    };
    let mut ops = Vec::new();
    for (name, check) in &d.checks {
        if !check.definition.contains(&format!("{function}(")) || changed_on_its_own(name) {
            continue;
        }
        let again = declared.and_then(|d| d.checks.get(name)).unwrap_or(check);
        let alter = |change| Op::AlterType { name: t.name.clone(), change };
        // Set aside (no replacement named: the same definition would read as done before it is dropped).
        ops.push(alter(TypeChange::DropCheck {
            name: name.clone(),
            check: check.clone(),
            replaced_by: None,
        }));
        ops.push(alter(TypeChange::AddCheck { name: name.clone(), check: again.clone(), replaces: None }));
        if again.validated {
            ops.push(alter(TypeChange::ValidateCheck { name: name.clone(), check: again.clone() }));
        }
    }
    if ops.is_empty() {
        return false;
    }
    for op in ops {
        let hazards = match &op {
            Op::AlterType { change: TypeChange::ValidateCheck { .. }, .. } => {
                vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData]
            }
            _ => vec![],
        };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
    true
}

/// The object of a kind `take_along` handles, by key.
fn object_named(catalog: &Catalog, key: &ObjectKey) -> Option<Obj> {
    let part = |on: &QualName, name: &str| ObjectKey::new(key.kind, format!("{on}.{name}")) == *key;
    match key.kind {
        ObjectKind::View => view_named(catalog, key).map(|v| Obj::View(v.clone())),
        ObjectKind::Policy => policy_named(catalog, key)
            .map(|(table, policy)| Obj::Policy { table: table.clone(), policy: policy.clone() }),
        ObjectKind::Function => catalog
            .functions
            .values()
            .find(|f| ObjectKey::function(&f.signature) == *key)
            .map(|f| Obj::Function(f.clone())),
        ObjectKind::Aggregate => catalog
            .aggregates
            .values()
            .find(|a| ObjectKey::aggregate(&a.signature) == *key)
            .map(|a| Obj::Aggregate(a.clone())),
        ObjectKind::Trigger => catalog.relation_parts().find_map(|(on, triggers, _)| {
            triggers
                .values()
                .find(|x| part(on, &x.name))
                .map(|x| Obj::Trigger { table: on.clone(), trigger: x.clone() })
        }),
        ObjectKind::Rule => catalog.relation_parts().find_map(|(on, _, rules)| {
            rules
                .values()
                .find(|x| part(on, &x.name))
                .map(|x| Obj::Rule { table: on.clone(), rule: x.clone() })
        }),
        ObjectKind::Constraint => catalog.tables.values().find_map(|t| {
            t.constraints
                .values()
                .find(|x| ObjectKey::constraint(&t.name, &x.name) == *key)
                .map(|x| Obj::Constraint { table: t.name.clone(), constraint: x.clone() })
        }),
        ObjectKind::Index => catalog.tables.values().find_map(|t| {
            t.indexes
                .values()
                .find(|x| ObjectKey::index(&t.name.schema, &x.name) == *key)
                .map(|x| Obj::Index { index: x.clone(), concurrently: t.partition_by.is_none() })
        }),
        _ => None,
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
                super::constraints::create_constraint(&table.name, &bare, super::AddForm::Existing, out)
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
    fn replace_refused_where_postgresql_refuses() {
        let f = |args: &str, ret: &str| {
            format!(
                "CREATE OR REPLACE FUNCTION app.\"f(x)\"({args})\n RETURNS {ret}\n LANGUAGE sql\nAS $function$select 1$function$\n"
            )
        };
        let base = f("a integer, b text DEFAULT 'x,y'::text", "integer");
        assert!(!replace_refused(&base, &base));
        // The body, a default's value: in place.
        assert!(!replace_refused(&base, &f("a integer, b text DEFAULT 'z'::text", "integer")));
        assert!(!replace_refused(&f("a integer, b text", "integer"), &base));
        assert!(replace_refused(&base, &f("a integer, b text", "integer")));
        assert!(replace_refused(&base, &f("c integer, b text DEFAULT 'x,y'::text", "integer")));
        assert!(replace_refused(&base, &f("a integer, b text DEFAULT 'x,y'::text", "bigint")));
        assert!(replace_refused(
            &f("a integer, OUT n integer", "integer"),
            &f("a integer, OUT m integer", "integer")
        ));
        assert!(!replace_refused(&f("", "integer"), &f("", "integer")));
        assert_eq!(parameters(&f("", "void")), Some(vec![]));
        assert_eq!(parameters(&base).map(|p| p.len()), Some(2));
    }

    #[test]
    fn conversions_without_assignment_cast_or_that_round() {
        for (from, to) in [
            ("text", "integer"),
            ("character varying(40)", "uuid"),
            ("text[]", "integer[]"),
            ("text", "timestamp without time zone"),
            ("boolean", "integer"),
            ("jsonb", "numeric"),
        ] {
            assert_eq!(type_conversion(from, to), Conversion::Explicit, "{from} -> {to}");
        }
        for (from, to) in [
            ("integer", "bigint"),
            ("text", "character varying(5)"),
            ("integer", "text"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("integer", "numeric(5,2)"),
            ("timestamp(0) without time zone", "timestamp(3) without time zone"),
            ("date", "timestamp with time zone"),
            ("json", "jsonb"),
            ("uuid", "text"),
            ("bytea", "character(1)"),
            ("app.mood", "app.feeling"),
            ("integer", "app.positive"),
        ] {
            assert_eq!(type_conversion(from, to), Conversion::Assignment, "{from} -> {to}");
        }
        // No cast at all: reported with why, never planned as a bare ALTER ... TYPE that fails.
        for (from, to) in [
            ("bigint", "timestamp without time zone"),
            ("integer", "interval"),
            ("uuid", "integer"),
            ("boolean", "date"),
            ("integer[]", "timestamp with time zone[]"),
        ] {
            let Conversion::Refused(why) = type_conversion(from, to) else { panic!("{from} -> {to}") };
            assert!(why.contains("no cast"), "{why}");
        }
        for (from, to) in [
            ("numeric(12,3)", "numeric(12,2)"),
            ("numeric", "numeric(12,2)"),
            ("text", "numeric(8,2)"),
            ("double precision", "integer"),
            ("numeric", "bigint"),
            ("timestamp without time zone", "timestamp(0) without time zone"),
            ("time(6) with time zone", "time(2) with time zone"),
            ("integer", "boolean"),
            ("jsonb", "integer"),
        ] {
            assert!(matches!(type_conversion(from, to), Conversion::Refused(_)), "{from} -> {to}");
        }
    }

    #[test]
    fn temporary_names_fit() {
        assert_eq!(temporary_index_name("users_email_idx"), "users_email_idx_accrete_new");
        assert_eq!(temporary_index_name(&"x".repeat(63)).len(), 63);
    }
}
