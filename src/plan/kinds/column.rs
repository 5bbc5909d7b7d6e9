//! Columns in a plan: added (`ADD COLUMN`, a rewrite where the default is volatile), their type, default,
//! collation, identity, serial form and generation changed in place, NOT NULL set in stages (a check
//! added `NOT VALID`, validated in a transaction of its own, then `SET NOT NULL` using it), renamed or made
//! (not) inheritable, dropped. A column dropped holds data: the rollback cannot make it again, unless it
//! is generated (its values come from its expression).
//!
//! The SQL builders live beside the other alter guards (`guards_alter`: `alter_column_type`,
//! `set_not_null` ...); this module says which one each change runs, and the change's other facets.

use super::{
    CommentTarget, FailingRows, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment,
};
use crate::catalog::{Catalog, Column, ColumnRef, GrantOn, ObjectKey, QualName, quote_ident};
use crate::diff::{Change, Class, CommentOn, Hazard, NotNullStage, Obj, Op};
use crate::plan::guards::{
    Guarded, State, add_column, add_column_sql, attnum, column_matches, owned_by_sql, regclass,
    set_sequence_owner,
};
use crate::plan::guards_alter::{self as alter, NotNullOf};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct ColumnKind;
pub(super) static COLUMN: ColumnKind = ColumnKind;

fn object(object: &Obj) -> (&QualName, &Column) {
    let Obj::Column { table, column } = object else { unreachable!("a column") };
    (table, column)
}

fn commented(on: &CommentOn) -> (&QualName, &String) {
    let CommentOn::Column(table, column) = on else { unreachable!("a column's comment") };
    (table, column)
}

/// The table of a change to one of its columns.
fn table_of(op: &Op) -> &QualName {
    match op {
        Op::AddColumn { table, .. }
        | Op::AlterColumnType { table, .. }
        | Op::SetColumnDefault { table, .. }
        | Op::SetNotNull { table, .. }
        | Op::RenameNotNull { table, .. }
        | Op::SetNotNullInherit { table, .. }
        | Op::DropNotNull { table, .. }
        | Op::SetIdentity { table, .. }
        | Op::DropExpression { table, .. }
        | Op::SequenceOwnership { table, .. }
        | Op::SetCollation { table, .. }
        | Op::SerialChange { table, .. }
        | Op::SerialIdentity { table, .. } => table,
        _ => unreachable!("a column's change"),
    }
}

fn column_mut<'a>(c: &'a mut Catalog, table: &QualName, column: &str) -> Option<&'a mut Column> {
    c.tables.get_mut(table).and_then(|t| t.columns.iter_mut().find(|x| x.name == column))
}

/// Values of `column` that would not convert from `from` to `to`, where that can be counted exactly: from a
/// text type, the conversion is the new type's input function (`pg_input_is_valid`, PostgreSQL 16 and
/// later; before, [`conversion_count`]); between integer types, the new type's range.
fn cast_query(table: &QualName, column: &str, from: &str, to: &str) -> Option<(String, &'static str)> {
    let col = quote_ident(column);
    let base = from.split('(').next().unwrap_or(from).trim();
    let range = |to: &str| match to {
        "smallint" => Some((-32768i64, 32767i64)),
        "integer" => Some((-2147483648, 2147483647)),
        _ => None,
    };
    let condition = match base {
        "text" | "character varying" | "character" => format!(
            "{col} IS NOT NULL AND NOT pg_catalog.pg_input_is_valid({col}::text, {})",
            crate::catalog::quote_literal(to)
        ),
        "smallint" | "integer" | "bigint" => {
            let (low, high) = range(to)?;
            format!("{col} NOT BETWEEN {low} AND {high}")
        }
        _ => return None,
    };
    Some((format!("SELECT count(*) FROM {} WHERE {condition}", table.sql()), "values that would not convert"))
}

/// A type change by the assignment cast, or by the explicit cast `USING col::type` (from a string type: the
/// new type's input function either way), whose failures the counts here find.
fn cast_or_explicit(column: &str, to: &str, using: &Option<String>) -> bool {
    using.as_deref().is_none_or(|u| u == crate::diff::explicit_using(column, to))
}

/// Before PostgreSQL 16 (no `pg_input_is_valid`): a `DO` block assigns each non-NULL value of the column
/// to a variable of the new type, as `ALTER COLUMN ... TYPE` converts it (an assignment), each in a
/// subtransaction, and ends with an error whose message holds the count (a `DO` block returns nothing;
/// the read-only transaction keeps nothing anyway).
fn conversion_count(table: &QualName, column: &str, to: &str) -> String {
    let body = format!(
        " DECLARE v text; x {to}; n bigint := 0; BEGIN \
         FOR v IN SELECT {col}::text FROM {table} WHERE {col} IS NOT NULL LOOP \
         BEGIN x := v; EXCEPTION WHEN OTHERS THEN n := n + 1; END; END LOOP; \
         RAISE EXCEPTION 'accrete-count %', n; END ",
        col = quote_ident(column),
        table = table.sql()
    );
    format!("DO {}", crate::escape::dollar_quote(&body, "accrete"))
}

impl PlanKind for ColumnKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::AddColumn { table, column } => add_column(step, table, column),
            Op::AlterColumnType { table, column, from, to, using, reset_default, to_collation, .. } => {
                alter::alter_column_type(
                    step,
                    table,
                    column,
                    (from, to),
                    to_collation.as_ref(),
                    using.as_deref(),
                    reset_default.as_ref().map(|(_, d)| d),
                )
            }
            Op::SetColumnDefault { table, column, from, to } => {
                alter::set_column_default(step, table, column, from, to)
            }
            Op::SetNotNull { table, column, stage, name, no_inherit } => {
                let n = NotNullOf { name: name.as_deref(), no_inherit: *no_inherit };
                alter::set_not_null(step, table, column, *stage, n)
            }
            Op::DropNotNull { table, column } => alter::drop_not_null(step, table, column),
            Op::RenameNotNull { table, column, from, to } => {
                alter::rename_not_null(step, table, column, from, to)
            }
            Op::SetNotNullInherit { table, column, name, no_inherit } => {
                alter::set_not_null_inherit(step, table, column, name, *no_inherit)
            }
            Op::SetIdentity { table, column, from, to } => alter::set_identity(step, table, column, from, to),
            Op::DropExpression { table, column } => alter::drop_expression(step, table, column),
            Op::SerialIdentity { table, column, serial, identity, to_identity } => {
                alter::serial_identity(step, table, column, serial, identity, *to_identity)
            }
            Op::SerialChange { table, column, serial, add } => {
                alter::serial_change(step, table, column, serial, *add)
            }
            Op::SetCollation { table, column, data_type, from, to } => {
                alter::set_collation(step, table, column, data_type, from, to)
            }
            Op::SequenceOwnership { table, column, serial, adopt: true } => {
                let owner = ColumnRef { table: table.clone(), column: column.clone() };
                set_sequence_owner(step, &serial.sequence, None, Some(&owner))
            }
            Op::SequenceOwnership { table, column, serial, adopt: false } => {
                alter::release_sequence(step, &serial.sequence, table, column)
            }
            _ => unreachable!("a column's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::AddColumn { table, column } => vec![add_column_sql(table, column)],
            Op::AlterColumnType { table, column, to, using, reset_default, to_collation, .. } => {
                alter::type_change_statements(
                    table,
                    column,
                    to,
                    to_collation.as_ref(),
                    using.as_deref(),
                    reset_default.as_ref().map(|(_, d)| d),
                )
            }
            Op::SetColumnDefault { table, column, to, .. } => vec![alter::default_sql(table, column, to)],
            Op::SetNotNull { table, column, stage, name, no_inherit } => {
                let n = NotNullOf { name: name.as_deref(), no_inherit: *no_inherit };
                alter::not_null_statements(table, column, *stage, n)
            }
            Op::DropNotNull { table, column } => vec![alter::column_sql(table, column, "DROP NOT NULL")],
            Op::RenameNotNull { table, from, to, .. } => vec![alter::rename_not_null_sql(table, from, to)],
            Op::SetNotNullInherit { table, name, no_inherit, .. } => {
                vec![alter::not_null_inherit_sql(table, name, *no_inherit)]
            }
            Op::SetIdentity { table, column, from, to } => {
                alter::identity_statements(table, column, from, to)
            }
            Op::DropExpression { table, column } => vec![alter::column_sql(table, column, "DROP EXPRESSION")],
            Op::SetCollation { table, column, data_type, to, .. } => {
                vec![alter::collation_sql(table, column, data_type, to)]
            }
            Op::SerialChange { table, column, serial, add } => {
                alter::serial_statements(table, column, serial, *add)
            }
            Op::SerialIdentity { table, column, serial, identity, to_identity } => {
                alter::serial_identity_statements(table, column, serial, identity, *to_identity)
            }
            Op::SequenceOwnership { table, column, serial, adopt } => vec![if *adopt {
                owned_by_sql(&serial.sequence, table, column)
            } else {
                alter::release_sql(&serial.sequence)
            }],
            _ => unreachable!("a column's change"),
        }
    }

    /// NULLs for a NOT NULL (its check or constraint), every row for a NOT NULL column added without a value,
    /// values that would not convert for a type change.
    fn failing_rows(&self, op: &Op) -> Option<FailingRows> {
        match op {
            Op::SetNotNull {
                table,
                column,
                stage: NotNullStage::AddCheck | NotNullStage::ValidateConstraint,
                ..
            } => Some(FailingRows {
                sql: format!("SELECT count(*) FROM {} WHERE {} IS NULL", table.sql(), quote_ident(column)),
                counts: "rows with NULL",
                by_conversion: None,
            }),
            Op::AddColumn { table, column }
                if column.not_null
                    && column.default.is_none()
                    && column.identity.is_none()
                    && column.serial.is_none()
                    && column.generated.is_none() =>
            {
                Some(FailingRows {
                    sql: format!("SELECT count(*) FROM {}", table.sql()),
                    counts: "rows (each gets NULL)",
                    by_conversion: None,
                })
            }
            Op::AlterColumnType { table, column, from, to, using, .. }
                if cast_or_explicit(column, to, using) =>
            {
                let (sql, counts) = cast_query(table, column, from, to)?;
                Some(FailingRows { sql, counts, by_conversion: Some(conversion_count(table, column, to)) })
            }
            _ => None,
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        Some(match op {
            Op::AlterColumnType { from, to, rewrite, .. } => {
                format!("type {from} to {to}{}", if *rewrite { "" } else { ", no rewrite" })
            }
            Op::SetColumnDefault { to: Some(_), .. } => "set default".to_string(),
            Op::SetColumnDefault { to: None, .. } => "drop default".to_string(),
            Op::SetNotNull { stage, .. } => match stage {
                NotNullStage::AddCheck => "NOT NULL: check NOT VALID",
                NotNullStage::Validate => "NOT NULL: validate check",
                NotNullStage::Set => "NOT NULL: set",
                NotNullStage::NotValid => "NOT NULL: add NOT VALID",
                NotNullStage::ValidateConstraint => "NOT NULL: validate",
            }
            .to_string(),
            Op::DropNotNull { .. } => "drop NOT NULL".to_string(),
            Op::SetNotNullInherit { no_inherit: true, .. } => "NOT NULL: no inherit".to_string(),
            Op::SetNotNullInherit { no_inherit: false, .. } => "NOT NULL: inherit".to_string(),
            Op::RenameNotNull { from, to, .. } => format!("NOT NULL constraint {from} renamed to {to}"),
            Op::SetIdentity { from: None, .. } => "add identity".to_string(),
            Op::SetIdentity { to: None, .. } => "drop identity".to_string(),
            Op::SetIdentity { .. } => "identity".to_string(),
            Op::DropExpression { .. } => "drop expression".to_string(),
            Op::SerialChange { add: true, .. } => "make serial".to_string(),
            Op::SerialChange { add: false, .. } => "make plain (drop default and sequence)".to_string(),
            Op::SerialIdentity { to_identity: true, .. } => "serial to identity".to_string(),
            Op::SerialIdentity { to_identity: false, .. } => "identity to serial".to_string(),
            Op::SetCollation { to, .. } => {
                format!("collation {}", to.as_ref().map_or("default".to_string(), |c| c.to_string()))
            }
            Op::SequenceOwnership { serial, adopt: true, .. } => {
                format!("serial: adopt sequence {}", serial.sequence)
            }
            Op::SequenceOwnership { adopt: false, .. } => "owned by none".to_string(),
            _ => return None,
        })
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            // Made serial before a type change (the new sequence has a type of its own); made identity
            // after one (the identity's sequence takes the column's type), so that the rollback's reverse
            // order works too.
            Op::SerialIdentity { to_identity: false, .. } => 5,
            Op::AddColumn { .. } | Op::AlterColumnType { .. } | Op::DropExpression { .. } => 6,
            Op::SetNotNull { .. }
            | Op::DropNotNull { .. }
            | Op::RenameNotNull { .. }
            | Op::SetNotNullInherit { .. } => 8,
            // A default, identity, sequence ownership, collation, serial form.
            _ => 7,
        }
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        match op {
            Op::AddColumn { table, column } => {
                vec![Resource::Columns(table.clone()), Resource::Column(table.clone(), column.name.clone())]
            }
            // Frees the old name for the constraint that takes it.
            Op::RenameNotNull { table, from, .. } => {
                vec![Resource::Dropped(ObjectKey::constraint(table, from))]
            }
            // Without its identity, a column can take a default and lose NOT NULL; without its serial
            // default, it can change type.
            Op::SetIdentity { table, column, to: None, .. }
            | Op::SerialChange { table, column, add: false, .. } => {
                vec![Resource::Released(ObjectKey::column(table, column))]
            }
            _ => vec![],
        }
    }

    fn requires(&self, op: &Op, known: &Known) -> Vec<(Resource, Edge)> {
        let mut out = Vec::new();
        let before = |r: Resource| (r, Edge::Before);
        match op {
            Op::AddColumn { table, column } => {
                out.push(before(Resource::Table(table.clone())));
                known.column(column, &mut out);
            }
            Op::AlterColumnType { table, column, to, .. } => {
                out.push(before(Resource::Released(ObjectKey::column(table, column))));
                for t in known.type_refs(to) {
                    out.push(before(Resource::Type(t.clone())));
                    out.push((Resource::EnumValues(t), Edge::InLaterTransaction));
                }
            }
            Op::DropNotNull { table, column } | Op::SetColumnDefault { table, column, .. } => {
                out.push(before(Resource::Released(ObjectKey::column(table, column))));
                if let Op::SetColumnDefault { to: Some(expr), .. } = op {
                    let (types, seqs) = known.refs_in_expr(expr);
                    for t in types {
                        out.push(before(Resource::Type(t.clone())));
                        out.push((Resource::EnumValues(t), Edge::InLaterTransaction));
                    }
                    out.extend(seqs.into_iter().map(|s| before(Resource::Sequence(s))));
                }
            }
            // Added identity comes after what else changes in the column (its default dropped, NOT NULL
            // set, its type changed).
            Op::SetIdentity { table, column, from: None, .. }
            | Op::SerialIdentity { table, column, to_identity: true, .. } => {
                out.push(before(Resource::Object(ObjectKey::column(table, column))));
            }
            Op::SetCollation { to: Some(c), .. } => {
                out.push(before(Resource::Object(ObjectKey::collation(c))))
            }
            // Into a name a dropped constraint frees (the rollback's rename back).
            Op::RenameNotNull { table, to, .. } => {
                out.push(before(Resource::Dropped(ObjectKey::constraint(table, to))));
            }
            // A NOT NULL inherited or not comes after a rename of the same NOT NULL, which the column's key
            // orders.
            _ => {}
        }
        out
    }

    /// A default dropped only to be set again around another change.
    fn sets_aside(&self, op: &Op) -> bool {
        matches!(op, Op::SetColumnDefault { to: None, .. })
    }

    fn stage(&self, op: &Op) -> Option<u8> {
        match op {
            Op::SetNotNull { stage, .. } => Some(*stage as u8),
            _ => None,
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::AddColumn { table, column } => {
                if let Some(t) = c.tables.get_mut(table) {
                    let mut column = column.clone();
                    column.position = t.columns.iter().map(|c| c.position).max().unwrap_or(0) + 1;
                    t.columns.push(column);
                }
            }
            Op::AlterColumnType { table, column, to, reset_default, to_collation, .. } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.data_type = to.clone();
                    col.collation = to_collation.clone();
                    if let Some((_, default)) = reset_default {
                        col.default = default.clone();
                    }
                }
            }
            Op::SetColumnDefault { table, column, to, .. } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.default = to.clone();
                }
            }
            Op::SetNotNull { table, column, stage, name, no_inherit } => {
                if let Some(col) = column_mut(c, table, column) {
                    match stage {
                        NotNullStage::Set | NotNullStage::NotValid => {
                            col.not_null = true;
                            col.not_null_name = name.clone();
                            col.not_null_not_valid = *stage == NotNullStage::NotValid;
                            col.not_null_no_inherit = *no_inherit;
                        }
                        NotNullStage::ValidateConstraint => col.not_null_not_valid = false,
                        NotNullStage::AddCheck | NotNullStage::Validate => {}
                    }
                }
            }
            Op::RenameNotNull { table, column, to, .. } => {
                if let Some(col) = column_mut(c, table, column) {
                    let default = crate::catalog::default_not_null_name(&table.name, column);
                    col.not_null_name = (*to != default).then(|| to.clone());
                }
            }
            Op::SetNotNullInherit { table, column, no_inherit, .. } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.not_null_no_inherit = *no_inherit;
                }
            }
            Op::DropNotNull { table, column } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.not_null = false;
                    col.not_null_name = None;
                    col.not_null_not_valid = false;
                    col.not_null_no_inherit = false;
                }
            }
            Op::SetIdentity { table, column, to, .. } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.identity = to.clone().map(Box::new);
                    col.not_null |= to.is_some();
                }
            }
            Op::SequenceOwnership { table, column, serial, adopt } => {
                let calls = format!("nextval('{}'::regclass)", serial.sequence.sql().replace('\'', "''"));
                if let Some(col) = column_mut(c, table, column) {
                    col.serial = adopt.then(|| Box::new(serial.clone()));
                    col.default = (!adopt).then_some(calls);
                }
                if *adopt {
                    c.sequences.remove(&serial.sequence);
                } else {
                    c.sequences.insert(
                        serial.sequence.clone(),
                        crate::catalog::Sequence {
                            name: serial.sequence.clone(),
                            options: serial.options.clone(),
                            owned_by: None,
                            comment: None,
                        },
                    );
                }
            }
            Op::SerialChange { table, column, serial, add } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.serial = add.then(|| Box::new(serial.clone()));
                    col.default = None;
                }
            }
            Op::SerialIdentity { table, column, serial, identity, to_identity } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.serial = (!to_identity).then(|| Box::new(serial.clone()));
                    col.identity = to_identity.then(|| Box::new(identity.clone()));
                    col.default = None;
                    col.not_null = true;
                }
            }
            Op::SetCollation { table, column, to, .. } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.collation = to.clone();
                }
            }
            Op::DropExpression { table, column } => {
                if let Some(col) = column_mut(c, table, column) {
                    col.generated = None;
                }
            }
            _ => unreachable!("a column's change"),
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::AddColumn { table, column } => drop_again(
                Obj::Column { table: table.clone(), column: column.clone() },
                vec![Hazard::DeletesData],
            ),
            Op::AlterColumnType {
                table,
                column,
                from,
                to,
                reset_default,
                using,
                from_collation,
                to_collation,
                ..
            } => {
                // Converted back the way it came (through text for an enum), or as the conversion back
                // needs: an explicit cast where there is no assignment cast back (integer to text and back).
                let back = match (using, crate::diff::type_conversion(to, from)) {
                    (Some(_), _) => {
                        let via = if from.ends_with("[]") { "text[]" } else { "text" };
                        Some(format!("{}::{via}::{from}", quote_ident(column)))
                    }
                    (None, crate::diff::Conversion::Explicit) => {
                        Some(crate::diff::explicit_using(column, from))
                    }
                    (None, crate::diff::Conversion::Refused(why)) => {
                        return Err(Some(format!(
                            "the type of column {table}.{column} cannot be changed back: {why}"
                        )));
                    }
                    (None, crate::diff::Conversion::Assignment) => None,
                };
                Ok(vec![(
                    Op::AlterColumnType {
                        table: table.clone(),
                        column: column.clone(),
                        from: to.clone(),
                        to: from.clone(),
                        using: back,
                        rewrite: crate::diff::type_change_rewrites(to, from),
                        from_collation: to_collation.clone(),
                        to_collation: from_collation.clone(),
                        reset_default: reset_default.as_ref().map(|(old, new)| (new.clone(), old.clone())),
                    },
                    vec![Hazard::AccessExclusiveLock, Hazard::MayFailOnData],
                )])
            }
            Op::SetColumnDefault { table, column, from, to } => Ok(vec![(
                Op::SetColumnDefault {
                    table: table.clone(),
                    column: column.clone(),
                    from: to.clone(),
                    to: from.clone(),
                },
                vec![],
            )]),
            // On a column the plan adds (add class): dropping the column or table undoes it.
            Op::SetNotNull { stage: NotNullStage::NotValid, .. } if change.class == Class::Add => Err(None),
            Op::SetNotNull { table, column, stage: NotNullStage::Set | NotNullStage::NotValid, .. } => {
                Ok(vec![(Op::DropNotNull { table: table.clone(), column: column.clone() }, vec![])])
            }
            Op::SetNotNull { table, column, stage: NotNullStage::ValidateConstraint, .. } => {
                Err(Some(format!("the NOT NULL of {table}.{} stays validated", quote_ident(column))))
            }
            Op::SetNotNull { .. } => Err(None),
            Op::RenameNotNull { table, column, from, to } => Ok(vec![(
                Op::RenameNotNull {
                    table: table.clone(),
                    column: column.clone(),
                    from: to.clone(),
                    to: from.clone(),
                },
                vec![],
            )]),
            Op::SetNotNullInherit { table, column, name, no_inherit } => {
                let hazards = if *no_inherit { vec![Hazard::MayFailOnData] } else { vec![] };
                Ok(vec![(
                    Op::SetNotNullInherit {
                        table: table.clone(),
                        column: column.clone(),
                        name: name.clone(),
                        no_inherit: !no_inherit,
                    },
                    hazards,
                )])
            }
            Op::DropNotNull { table, column } => {
                Ok([NotNullStage::AddCheck, NotNullStage::Validate, NotNullStage::Set]
                    .into_iter()
                    .map(|stage| {
                        (
                            Op::SetNotNull {
                                table: table.clone(),
                                column: column.clone(),
                                stage,
                                name: None,
                                no_inherit: false,
                            },
                            vec![Hazard::MayFailOnData],
                        )
                    })
                    .collect())
            }
            Op::SetIdentity { table, column, from, to } => Ok(vec![(
                Op::SetIdentity {
                    table: table.clone(),
                    column: column.clone(),
                    from: to.clone(),
                    to: from.clone(),
                },
                match (from, to) {
                    (Some(f), Some(t)) => crate::diff::restart_hazard(&t.options, &f.options),
                    _ => vec![],
                },
            )]),
            Op::SequenceOwnership { table, column, serial, adopt } => Ok(vec![(
                Op::SequenceOwnership {
                    table: table.clone(),
                    column: column.clone(),
                    serial: serial.clone(),
                    adopt: !adopt,
                },
                vec![],
            )]),
            Op::SetCollation { table, column, data_type, from, to } => Ok(vec![(
                Op::SetCollation {
                    table: table.clone(),
                    column: column.clone(),
                    data_type: data_type.clone(),
                    from: to.clone(),
                    to: from.clone(),
                },
                vec![Hazard::AccessExclusiveLock],
            )]),
            Op::SerialChange { table, column, serial, add: true } => Ok(vec![(
                Op::SerialChange {
                    table: table.clone(),
                    column: column.clone(),
                    serial: serial.clone(),
                    add: false,
                },
                vec![Hazard::NotReversible],
            )]),
            Op::SerialIdentity { table, column, serial, identity, to_identity } => Ok(vec![(
                Op::SerialIdentity {
                    table: table.clone(),
                    column: column.clone(),
                    serial: serial.clone(),
                    identity: identity.clone(),
                    to_identity: !to_identity,
                },
                vec![Hazard::AccessExclusiveLock],
            )]),
            Op::SerialChange { add: false, .. } => Err(Some(
                "the serial's sequence was dropped with its position; make the column serial again by hand"
                    .into(),
            )),
            Op::DropExpression { .. } => {
                Err(Some("the column stays a plain column (its expression is not restored)".into()))
            }
            _ => unreachable!("a column's change"),
        }
    }

    /// A NOT NULL set again in stages: its validation and its `SET NOT NULL` each come after the stage
    /// before is committed.
    fn rollback_starts_transaction(&self, op: &Op) -> bool {
        matches!(op, Op::SetNotNull { stage: NotNullStage::Validate | NotNullStage::Set, .. })
    }

    fn relations(&self, op: &Op) -> Vec<QualName> {
        vec![table_of(op).clone()]
    }

    fn lock(&self, change: &Change) -> StepLock {
        use LockDuration::*;
        use LockMode::*;
        let rewrites = change.hazards.contains(&Hazard::RewritesTable);
        match &change.op {
            Op::AddColumn { .. } => StepLock::new(AccessExclusive, if rewrites { Rewrite } else { Brief }),
            Op::AlterColumnType { rewrite, .. } => {
                StepLock::new(AccessExclusive, if *rewrite || rewrites { Rewrite } else { Brief })
            }
            Op::SetNotNull { stage: NotNullStage::Validate | NotNullStage::ValidateConstraint, .. } => {
                StepLock::new(ShareUpdateExclusive, Scan)
            }
            Op::SetCollation { .. } => StepLock::new(AccessExclusive, Rewrite),
            // `SET NOT NULL` uses the validated check instead of a scan.
            _ => StepLock::new(AccessExclusive, Brief),
        }
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        Some(table_of(op))
    }

    fn state(&self, o: &Obj) -> State {
        let (table, column) = object(o);
        State {
            exists: format!("{} IS NOT NULL", attnum(table, &column.name)),
            same: column_matches(table, column),
            object: format!("column {table}.{}", column.name),
        }
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let (table, column) = object(o);
        format!("ALTER TABLE {} DROP COLUMN {}", table.sql(), quote_ident(&column.name))
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        20
    }

    fn drop_lock(&self, _object: &Obj) -> StepLock {
        StepLock::new(LockMode::AccessExclusive, LockDuration::Brief)
    }

    /// A column takes the indexes and constraints on it along (PostgreSQL drops them).
    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        let (table, column) = object(o);
        if let Some(t) = c.tables.get_mut(table) {
            t.columns.retain(|x| x.name != column.name);
            t.indexes.retain(|_, i| !i.columns.contains(&column.name));
            t.constraints.retain(|_, k| !k.columns.contains(&column.name));
        }
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        let (table, column) = object(o);
        Some(GrantOn::Column(table.clone(), column.name.clone()))
    }

    fn holds_data(&self, _object: &Obj) -> bool {
        true
    }

    /// A generated column's values come from its expression: it can be made again, with its comment.
    fn recreate(&self, o: &Obj) -> Undo {
        let (table, column) = object(o);
        if column.generated.is_none() {
            return vec![];
        }
        let on = CommentOn::Column(table.clone(), column.name.clone());
        let add = Op::AddColumn { table: table.clone(), column: Column { comment: None, ..column.clone() } };
        with_comment(add, vec![], on, &column.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (t, c) = commented(on);
        (
            format!("COLUMN {}.{}", t.sql(), quote_ident(c)),
            format!("pg_catalog.col_description({}, {})", regclass(t), attnum(t, c)),
            format!("column {t}.{c}"),
        )
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        let (t, c) = commented(on);
        Resource::Column(t.clone(), c.clone())
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let (t, col) = commented(on);
        if let Some(col) = c.tables.get_mut(t).and_then(|t| t.columns.iter_mut().find(|x| &x.name == col)) {
            col.comment = text;
        }
    }

    fn comment_table<'a>(&self, on: &'a CommentOn) -> Option<&'a QualName> {
        Some(commented(on).0)
    }
}
