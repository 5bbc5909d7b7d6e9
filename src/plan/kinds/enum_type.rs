//! Enum types in a plan: created with their values, a value added in place (`ALTER TYPE ... ADD VALUE`,
//! which the rollback cannot take back), or the type made again under a temporary name when values are
//! reordered or removed (`Op::ReplaceEnum`, one step per `EnumStage`, in one transaction: every column
//! converted through text, the old type dropped, the new one renamed into place). "As planned" compares
//! the labels in order. A step using a value added by the plan runs after the transaction that added it
//! commits (`Resource::EnumValues`).
//!
//! `CommentOn::Enum` is the comment of any type (`COMMENT ON TYPE`), a domain's or composite's too.

use super::{CommentTarget, Inverse, PlanKind, Planning, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, EnumType, GrantOn, ObjectKey, QualName, quote_ident, quote_literal};
use crate::diff::{Change, CommentOn, EnumPosition, EnumStage, Obj, Op, temporary_type_name};
use crate::plan::guards::{Guarded, State, do_block, execute, fail, skip, text_array, three_way};
use crate::plan::guards_alter::{alter_type_sql, column_expr, column_type};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Dependents, Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct EnumKind;
pub(super) static ENUM: EnumKind = EnumKind;

fn object(object: &Obj) -> &EnumType {
    let Obj::Enum(e) = object else { unreachable!("an enum") };
    e
}

fn commented(on: &CommentOn) -> &QualName {
    let CommentOn::Enum(name) = on else { unreachable!("a type's comment") };
    name
}

fn state(name: &QualName, labels: &[String]) -> State {
    let exists = format!("pg_catalog.to_regtype({}) IS NOT NULL", quote_literal(&name.sql()));
    let same = format!(
        "(SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e \
         WHERE e.enumtypid = {}::regtype) IS NOT DISTINCT FROM {}",
        quote_literal(&name.sql()),
        text_array(labels)
    );
    State { exists, same, object: format!("type {name}") }
}

fn create_sql(name: &QualName, labels: &[String]) -> String {
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        name.sql(),
        labels.iter().map(|l| quote_literal(l)).collect::<Vec<_>>().join(", ")
    )
}

fn add_value(step: usize, name: &QualName, value: &str, position: &EnumPosition) -> String {
    let order = |label: &str| {
        format!(
            "(SELECT e.enumsortorder FROM pg_catalog.pg_enum e WHERE e.enumtypid = {}::regtype AND e.enumlabel = {})",
            quote_literal(&name.sql()),
            quote_literal(label)
        )
    };
    let exists = format!("{} IS NOT NULL", order(value));
    let same = match position {
        EnumPosition::After(prev) if prev.is_empty() => "true".to_string(),
        EnumPosition::After(prev) => format!("{} > {}", order(value), order(prev)),
        EnumPosition::Before(next) => format!("{} < {}", order(value), order(next)),
    };
    let ddl = add_value_sql(name, value, position);
    three_way(step, &exists, &same, &format!("value {value} of type {name}"), &[ddl])
}

fn add_value_sql(name: &QualName, value: &str, position: &EnumPosition) -> String {
    let clause = match position {
        EnumPosition::After(prev) if prev.is_empty() => String::new(),
        EnumPosition::After(prev) => format!(" AFTER {}", quote_literal(prev)),
        EnumPosition::Before(next) => format!(" BEFORE {}", quote_literal(next)),
    };
    format!("ALTER TYPE {} ADD VALUE {}{clause}", name.sql(), quote_literal(value))
}

/// The labels of enum `name` in order, or NULL when there is no such type.
fn labels_of(name: &QualName) -> String {
    format!(
        "(SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e \
         WHERE e.enumtypid = pg_catalog.to_regtype({}))",
        quote_literal(&name.sql())
    )
}

/// The guarded steps of an enum made again (see [`crate::diff::EnumStage`]). Every stage but a default's
/// skips once the type has its new values under its own name and the temporary type is gone.
fn replace(step: usize, old: &EnumType, new: &EnumType, stage: &EnumStage) -> String {
    let name = &old.name;
    let temp = temporary_type_name(name);
    let labels =
        |n: &QualName, l: &[String]| format!("{} IS NOT DISTINCT FROM {}", labels_of(n), text_array(l));
    let done = format!(
        "{} AND pg_catalog.to_regtype({}) IS NULL",
        labels(name, &new.labels),
        quote_literal(&temp.sql())
    );
    let object = format!("type {name}");
    let finished = skip(step, &format!("{object} is already made again with the declared values"));
    let body = match stage {
        EnumStage::CreateTemporary => format!(
            "  IF {done} THEN\n    {finished}\n  ELSIF {} THEN\n    {}\n  ELSIF pg_catalog.to_regtype({}) IS NOT NULL THEN\n    {}\n  ELSIF {} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
            labels(&temp, &new.labels),
            skip(step, &format!("type {temp} exists as planned")),
            quote_literal(&temp.sql()),
            fail(step, &format!("type {temp} exists with other values")),
            labels(name, &old.labels),
            execute(&format!(
                "CREATE TYPE {} AS ENUM ({})",
                temp.sql(),
                new.labels.iter().map(|l| quote_literal(l)).collect::<Vec<_>>().join(", ")
            )),
            fail(step, &format!("{object} was changed since the plan")),
        ),
        EnumStage::Column { table, column, array, default } => {
            let current = column_type(table, column);
            let suffix = if *array { "[]" } else { "" };
            let col = quote_ident(column);
            let via = if *array { "text[]" } else { "text" };
            let mut actions = String::new();
            if default.is_some() {
                actions.push_str(&format!(
                    "    {}\n",
                    execute(&format!("ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT", table.sql()))
                ));
            }
            actions.push_str(&format!(
                "    {}\n",
                execute(&alter_type_sql(
                    table,
                    column,
                    &format!("{}{suffix}", temp.sql()),
                    None,
                    Some(&format!("{col}::{via}::{}{suffix}", temp.sql()))
                ))
            ));
            format!(
                "  IF {done} THEN\n    {finished}\n  ELSIF {current} = {} THEN\n    {}\n  ELSIF {current} = {} THEN\n{actions}  ELSE\n    {}\n  END IF;\n",
                quote_literal(&format!("{}{suffix}", temp.sql())),
                skip(step, &format!("column {table}.{column} is already converted")),
                quote_literal(&format!("{}{suffix}", name.sql())),
                fail(step, &format!("column {table}.{column} was changed since the plan")),
            )
        }
        EnumStage::DropOld => format!(
            "  IF {done} THEN\n    {finished}\n  ELSIF pg_catalog.to_regtype({}) IS NULL THEN\n    {}\n  ELSIF {} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
            quote_literal(&name.sql()),
            skip(step, &format!("the old {object} is already dropped")),
            labels(name, &old.labels),
            execute(&format!("DROP TYPE {}", name.sql())),
            fail(step, &format!("{object} was changed since the plan")),
        ),
        EnumStage::Rename => format!(
            "  IF {done} THEN\n    {finished}\n  ELSIF pg_catalog.to_regtype({}) IS NULL AND {} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
            quote_literal(&name.sql()),
            labels(&temp, &new.labels),
            execute(&format!("ALTER TYPE {} RENAME TO {}", temp.sql(), quote_ident(&name.name))),
            fail(step, &format!("type {temp} cannot be renamed to {name}")),
        ),
        EnumStage::Default { table, column, default } => {
            let current = column_expr(table, column, "pg_catalog.pg_get_expr(d.adbin, d.adrelid)");
            format!(
                "  IF {current} = {} THEN\n    {}\n  ELSIF {current} IS NULL THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
                quote_literal(default),
                skip(step, &format!("the default of column {table}.{column} is as planned")),
                execute(&format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {default}",
                    table.sql(),
                    quote_ident(column)
                )),
                fail(step, &format!("the default of column {table}.{column} was changed since the plan")),
            )
        }
    };
    do_block(&body)
}

/// The bare statements of an enum stage.
fn replace_statements(old: &EnumType, new: &EnumType, stage: &EnumStage) -> Vec<String> {
    let name = &old.name;
    let temp = temporary_type_name(name);
    match stage {
        EnumStage::CreateTemporary => vec![format!(
            "CREATE TYPE {} AS ENUM ({})",
            temp.sql(),
            new.labels.iter().map(|l| quote_literal(l)).collect::<Vec<_>>().join(", ")
        )],
        EnumStage::Column { table, column, array, default } => {
            let suffix = if *array { "[]" } else { "" };
            let via = if *array { "text[]" } else { "text" };
            let col = quote_ident(column);
            let mut out = Vec::new();
            if default.is_some() {
                out.push(format!("ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT", table.sql()));
            }
            out.push(alter_type_sql(
                table,
                column,
                &format!("{}{suffix}", temp.sql()),
                None,
                Some(&format!("{col}::{via}::{}{suffix}", temp.sql())),
            ));
            out
        }
        EnumStage::DropOld => vec![format!("DROP TYPE {}", name.sql())],
        EnumStage::Rename => vec![format!("ALTER TYPE {} RENAME TO {}", temp.sql(), quote_ident(&name.name))],
        EnumStage::Default { table, column, default } => {
            vec![format!(
                "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {default}",
                table.sql(),
                quote_ident(column)
            )]
        }
    }
}

impl PlanKind for EnumKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateEnum(e) => {
                let s = state(&e.name, &e.labels);
                three_way(step, &s.exists, &s.same, &s.object, &[create_sql(&e.name, &e.labels)])
            }
            Op::AddEnumValue { name, value, position } => add_value(step, name, value, position),
            Op::ReplaceEnum { old, new, stage } => replace(step, old, new, stage),
            _ => unreachable!("an enum's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateEnum(e) => vec![create_sql(&e.name, &e.labels)],
            Op::AddEnumValue { name, value, position } => vec![add_value_sql(name, value, position)],
            Op::ReplaceEnum { old, new, stage } => replace_statements(old, new, stage),
            _ => unreachable!("an enum's change"),
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        Some(match op {
            Op::AddEnumValue { value, .. } => format!("value {}", quote_literal(value)),
            Op::ReplaceEnum { old, stage, .. } => match stage {
                EnumStage::CreateTemporary => format!("make again as {}", temporary_type_name(&old.name)),
                EnumStage::Column { table, column, .. } => format!("convert {table}.{column}"),
                EnumStage::DropOld => "drop old type".to_string(),
                EnumStage::Rename => "rename into place".to_string(),
                EnumStage::Default { table, column, .. } => format!("default of {table}.{column}"),
            },
            _ => return None,
        })
    }

    fn summary_noun(&self, op: &Op) -> Option<&'static str> {
        matches!(op, Op::AddEnumValue { .. }).then_some("enum value")
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            Op::CreateEnum(_) => 2,
            Op::AddEnumValue { .. } => 3,
            _ => 6,
        }
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        match op {
            Op::CreateEnum(e) => vec![Resource::Type(e.name.clone())],
            Op::AddEnumValue { name, .. } => vec![Resource::EnumValues(name.clone())],
            // A converted column is ready for what uses it; the renamed type for what names it.
            Op::ReplaceEnum { stage: EnumStage::Column { table, column, .. }, .. } => {
                vec![Resource::Object(ObjectKey::column(table, column))]
            }
            Op::ReplaceEnum { new, stage: EnumStage::Rename, .. } => vec![Resource::Type(new.name.clone())],
            _ => vec![],
        }
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        match op {
            Op::CreateEnum(e) => vec![(Resource::Schema(e.name.schema.clone()), Edge::Before)],
            Op::AddEnumValue { name, .. } => vec![(Resource::Type(name.clone()), Edge::Before)],
            _ => vec![],
        }
    }

    fn learn(&self, op: &Op, known: &mut Known) {
        match op {
            Op::CreateEnum(e) => known.types.push(e.name.clone()),
            Op::AddEnumValue { name, .. } => known.types.push(name.clone()),
            Op::ReplaceEnum { new, stage: EnumStage::Rename, .. } => known.types.push(new.name.clone()),
            _ => {}
        }
    }

    fn stage(&self, op: &Op) -> Option<u8> {
        match op {
            Op::ReplaceEnum { stage, .. } => Some(stage.order()),
            _ => None,
        }
    }

    /// An enum is made again in one transaction, stage after stage; a column's conversion waits for the
    /// views on it to be dropped.
    fn stage_requires(&self, change: &Change, dependents: &Dependents<'_>) -> Option<Vec<(Resource, Edge)>> {
        let Op::ReplaceEnum { stage, .. } = &change.op else { return None };
        let mut out: Vec<(Resource, Edge)> = (0..stage.order())
            .map(|earlier| (Resource::Stage(change.key.clone(), earlier), Edge::Before))
            .collect();
        if let EnumStage::Column { table, column, .. } = stage {
            for d in dependents.get(&ObjectKey::column(table, column)).into_iter().flatten() {
                out.push((Resource::Dropped((*d).clone()), Edge::Before));
            }
        }
        Some(out)
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateEnum(e) => {
                c.enums.insert(e.name.clone(), e.clone());
            }
            Op::AddEnumValue { name, value, position } => {
                if let Some(e) = c.enums.get_mut(name) {
                    let at = match position {
                        EnumPosition::After(prev) => {
                            e.labels.iter().position(|l| l == prev).map_or(e.labels.len(), |i| i + 1)
                        }
                        EnumPosition::Before(next) => e.labels.iter().position(|l| l == next).unwrap_or(0),
                    };
                    e.labels.insert(at, value.clone());
                }
            }
            Op::ReplaceEnum { new, stage: EnumStage::Rename, .. } => {
                if let Some(e) = c.enums.get_mut(&new.name) {
                    e.labels = new.labels.clone();
                }
            }
            _ => {}
        }
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        match op {
            Op::CreateEnum(e) => Some(GrantOn::Type(e.name.clone())),
            _ => None,
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateEnum(e) => drop_again(Obj::Enum(e.clone()), vec![]),
            Op::AddEnumValue { value, .. } => {
                Err(Some(format!("enum value {} stays (PostgreSQL cannot remove one)", quote_literal(value))))
            }
            Op::ReplaceEnum { stage: EnumStage::Rename, .. } => Err(Some(
                "the enum was made again with other values; the rollback does not make it again".into(),
            )),
            _ => Err(None),
        }
    }

    fn creates(&self, op: &Op) -> bool {
        !matches!(op, Op::AddEnumValue { .. })
    }

    fn lock(&self, change: &Change) -> StepLock {
        match &change.op {
            Op::ReplaceEnum { stage: EnumStage::Column { .. }, .. } => {
                StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Rewrite }
            }
            _ => StepLock { mode: LockMode::None, duration: LockDuration::Brief },
        }
    }

    fn relations(&self, op: &Op) -> Vec<QualName> {
        match op {
            Op::ReplaceEnum { stage: EnumStage::Column { table, .. }, .. } => vec![table.clone()],
            _ => vec![],
        }
    }

    /// Between the old type's drop and the new one's rename, the type is absent.
    fn during(&self, change: &Change, _expected: &Catalog, _planning: &Planning<'_>) -> Vec<Option<String>> {
        match &change.op {
            Op::ReplaceEnum { stage: EnumStage::DropOld, .. } => vec![None],
            _ => vec![],
        }
    }

    fn state(&self, o: &Obj) -> State {
        let e = object(o);
        state(&e.name, &e.labels)
    }

    fn drop_sql(&self, o: &Obj) -> String {
        format!("DROP TYPE {}", object(o).name.sql())
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        23
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.enums.remove(&object(o).name);
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        Some(GrantOn::Type(object(o).name.clone()))
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let e = object(o);
        let create = Op::CreateEnum(EnumType { comment: None, ..e.clone() });
        with_comment(create, vec![], CommentOn::Enum(e.name.clone()), &e.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let t = commented(on);
        (
            format!("TYPE {}", t.sql()),
            format!("pg_catalog.obj_description({}::regtype, 'pg_type')", quote_literal(&t.sql())),
            format!("type {t}"),
        )
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Type(commented(on).clone())
    }

    /// A domain's, composite's or range type's comment, else an enum's.
    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let name = commented(on);
        if let Some(t) = c.types.get_mut(name) {
            t.comment = text;
        } else if let Some(e) = c.enums.get_mut(name) {
            e.comment = text;
        }
    }
}
