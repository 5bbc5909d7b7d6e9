//! Columns of a table present on both sides: missing ones are added, different ones reported.
//!
//! On PostgreSQL 18 a column's NOT NULL is a constraint with a name (`Column::not_null_name`). A NOT NULL
//! the target has under another name is the same NOT NULL: like a constraint or index under another name
//! (rule 2), it is not made again nor renamed, and is reported where the declared name is one the user
//! chose. A NOT NULL the target has `NOT VALID` where it is declared valid is validated in place (add
//! class, as a constraint is); declared `NOT VALID` where the target's is valid, or a different `NO
//! INHERIT`, is reported and not planned.

use super::model::{
    Change, Class, CommentOn, Comparison, EquivalentOtherName, Hazard, NotNullStage, Obj, Op, differ, opt,
};
use super::objects::{comment, sequence_option_differences};
use super::tables::add_column_hazards;
use crate::catalog::{Column, ObjectKey, ObjectKind, QualName, Table};
use crate::scope::Scope;

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
                    super::alter::column(live, l, column, out);
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
