//! Columns of a table present on both sides: missing ones are added, different ones reported.

use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, differ, opt};
use super::objects::{comment, sequence_option_differences};
use super::tables::add_column_hazards;
use crate::catalog::{Column, ObjectKey, ObjectKind, Table};
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
                let bare = Column { comment: None, ..column.clone() };
                let hazards = add_column_hazards(column);
                out.change(
                    Class::Add,
                    key.clone(),
                    Op::AddColumn { table: table.clone(), column: bare },
                    hazards,
                );
                if let Some(text) = &column.comment {
                    comment(out, key, CommentOn::Column(table.clone(), column.name.clone()), None, text);
                }
            }
            Some(l) => {
                let diffs = column_differences(l, column);
                if !diffs.is_empty() {
                    out.changed(key.clone(), Class::Alter, diffs);
                    super::alter::column(live, l, column, out);
                }
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
