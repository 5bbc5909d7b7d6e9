//! Table constraints in a plan (primary key, unique, foreign key, check, exclusion; a column's NOT NULL
//! is its column's): added in the form `diff::AddForm` says (on a new table as declared; on a table that
//! exists a foreign key or check `NOT VALID`, validated by a step of its own in a later transaction; a key
//! taking over the index of its name), validated, dropped. "As planned" compares
//! `pg_get_constraintdef` without ` NOT VALID`. A key comes before the foreign keys that reference it; a
//! dropped primary key releases its columns' NOT NULL; a key's index is what foreign keys depend on.

use super::{
    CommentTarget, FailingRows, Inverse, PlanKind, Planning, Undoing, duplicates, transactional, with_comment,
};
use crate::catalog::{
    Catalog, Constraint, ConstraintKind, ObjectKey, QualName, constraint_digest, quote_ident, quote_literal,
};
use crate::diff::{AddForm, Change, CommentOn, Obj, Op};
use crate::plan::guards::{
    Guarded, State, constraint_lookup, do_block, execute, fail, regclass, skip, three_way, validate_sql,
};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct TableConstraintKind;
pub(super) static CONSTRAINT: TableConstraintKind = TableConstraintKind;

fn object(object: &Obj) -> (&QualName, &Constraint) {
    let Obj::Constraint { table, constraint } = object else { unreachable!("a constraint") };
    (table, constraint)
}

fn commented(on: &CommentOn) -> (&QualName, &str) {
    let CommentOn::Constraint(table, name) = on else { unreachable!("a constraint's comment") };
    (table, name)
}

fn state(table: &QualName, c: &Constraint) -> State {
    let mut lookup = constraint_lookup(table, &c.name);
    // A constraint named as PostgreSQL 18 names a NOT NULL of one of its columns: the NOT NULL constraint
    // that may hold the name (before it is renamed out of the way, or after a rollback renamed it back) is
    // not this one.
    if c.columns.iter().any(|col| crate::catalog::default_not_null_name(&table.name, col) == c.name) {
        lookup.push_str(" AND c.contype <> 'n'");
    }
    let exists = format!("EXISTS ({lookup})");
    let same = format!(
        "EXISTS ({lookup} AND pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '') = {})",
        quote_literal(&c.definition)
    );
    State { exists, same, object: format!("constraint {} on {table}", c.name) }
}

/// `ADD CONSTRAINT`, `NOT VALID` when declared so or when a foreign key or check goes on a table that has rows
/// (validated by a step of its own).
fn add_sql(table: &QualName, c: &Constraint, form: &AddForm) -> String {
    let body = match form {
        // `PRIMARY KEY (a)` / `UNIQUE (a)`: the key words, then the index instead of the columns.
        AddForm::UsingIndex(index) => format!(
            "{} USING INDEX {}",
            c.definition.split(" (").next().unwrap_or(&c.definition),
            quote_ident(&index.name)
        ),
        _ => c.definition.clone(),
    };
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {body}{}",
        table.sql(),
        quote_ident(&c.name),
        if form.not_valid(c) { " NOT VALID" } else { "" }
    )
}

fn validate(step: usize, table: &QualName, name: &str) -> String {
    let object = format!("constraint {name} on {table}");
    do_block(&format!(
        "  IF NOT EXISTS ({}) THEN\n    {}\n  ELSIF EXISTS ({} AND c.convalidated) THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        constraint_lookup(table, name),
        fail(step, &format!("{object} does not exist, so it cannot be validated")),
        constraint_lookup(table, name),
        skip(step, &format!("{object} is already validated")),
        execute(&validate_sql(table, name))
    ))
}

const fn lock(mode: LockMode, duration: LockDuration) -> StepLock {
    StepLock { mode, duration }
}

/// The count of the rows constraint `c` on `table` would fail on, and what it counts.
fn failing_query(table: &QualName, c: &Constraint) -> Option<(String, &'static str)> {
    match c.kind {
        ConstraintKind::Check => {
            let expr = c.definition.strip_prefix("CHECK ")?;
            let expr = expr.strip_suffix(" NO INHERIT").unwrap_or(expr);
            Some((format!("SELECT count(*) FROM {} WHERE NOT {expr}", table.sql()), "rows"))
        }
        ConstraintKind::Unique if !c.columns.is_empty() => {
            Some((duplicates(table, &c.columns), "duplicate groups"))
        }
        ConstraintKind::PrimaryKey if !c.columns.is_empty() => {
            let nulls: Vec<String> =
                c.columns.iter().map(|col| format!("{} IS NULL", quote_ident(col))).collect();
            Some((
                format!(
                    "SELECT (SELECT count(*) FROM {} WHERE {}) + ({})",
                    table.sql(),
                    nulls.join(" OR "),
                    duplicates(table, &c.columns)
                ),
                "rows with NULL and duplicate groups",
            ))
        }
        ConstraintKind::ForeignKey => {
            let referenced = c.references.as_ref()?;
            let target_columns = crate::diff::referenced_columns(&c.definition)?;
            if target_columns.len() != c.columns.len() {
                return None;
            }
            let present: Vec<String> =
                c.columns.iter().map(|col| format!("c.{} IS NOT NULL", quote_ident(col))).collect();
            let matches: Vec<String> = c
                .columns
                .iter()
                .zip(&target_columns)
                .map(|(from, to)| format!("r.{to} = c.{}", quote_ident(from)))
                .collect();
            Some((
                format!(
                    "SELECT count(*) FROM {} c WHERE {} AND NOT EXISTS (SELECT FROM {} r WHERE {})",
                    table.sql(),
                    present.join(" AND "),
                    referenced.sql(),
                    matches.join(" AND ")
                ),
                "rows without a referenced row",
            ))
        }
        _ => None,
    }
}

impl PlanKind for TableConstraintKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::AddConstraint { table, constraint, form } => {
                let s = state(table, constraint);
                three_way(step, &s.exists, &s.same, &s.object, &[add_sql(table, constraint, form)])
            }
            Op::ValidateConstraint { table, constraint } => validate(step, table, &constraint.name),
            _ => unreachable!("a constraint's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::AddConstraint { table, constraint, form } => vec![add_sql(table, constraint, form)],
            Op::ValidateConstraint { table, constraint } => vec![validate_sql(table, &constraint.name)],
            _ => unreachable!("a constraint's change"),
        }
    }

    /// Rows where a check is false, duplicates (and NULLs) for a key, rows without a referenced row for a
    /// foreign key; on a table that exists.
    fn failing_rows(&self, op: &Op) -> Option<FailingRows> {
        let Op::AddConstraint { table, constraint, form: AddForm::Existing | AddForm::AtOnce } = op else {
            return None;
        };
        let (sql, counts) = failing_query(table, constraint)?;
        Some(FailingRows { sql, counts, by_conversion: None })
    }

    fn what(&self, op: &Op) -> Option<String> {
        Some(match op {
            Op::AddConstraint { constraint, form, .. }
                if form.not_valid(constraint) && constraint.validated =>
            {
                "NOT VALID".to_string()
            }
            Op::AddConstraint { form: AddForm::UsingIndex(index), .. } => {
                format!("using index {}", index.name)
            }
            Op::ValidateConstraint { .. } => "validate".to_string(),
            _ => return None,
        })
    }

    fn summary_noun(&self, op: &Op) -> Option<&'static str> {
        matches!(op, Op::ValidateConstraint { .. }).then_some("validation")
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            // Keys and checks before indexes; foreign keys after them (and after the keys they reference).
            Op::AddConstraint { constraint, .. } if constraint.references.is_none() => 8,
            Op::AddConstraint { .. } => 10,
            _ => 11,
        }
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        match op {
            Op::AddConstraint { table, constraint, .. } => {
                let mut out = vec![Resource::Constraint(table.clone(), constraint.name.clone())];
                if constraint.references.is_none() {
                    out.push(Resource::Keys(table.clone()));
                }
                out
            }
            _ => vec![],
        }
    }

    /// A validation makes nothing that others need by key.
    fn provides_its_keys(&self, op: &Op) -> bool {
        !matches!(op, Op::ValidateConstraint { .. })
    }

    fn requires(&self, op: &Op, known: &Known) -> Vec<(Resource, Edge)> {
        let before = |r: Resource| (r, Edge::Before);
        match op {
            Op::AddConstraint { table, constraint, .. } => {
                let mut out =
                    vec![before(Resource::Table(table.clone())), before(Resource::Columns(table.clone()))];
                if let Some(referenced) = &constraint.references {
                    out.push(before(Resource::Table(referenced.clone())));
                    out.push(before(Resource::Columns(referenced.clone())));
                    out.push(before(Resource::Keys(referenced.clone())));
                }
                known.expr(&constraint.definition, &mut out);
                out
            }
            // In a later transaction than its `NOT VALID` addition (which would otherwise hold its lock
            // for the length of the scan).
            Op::ValidateConstraint { table, constraint } => {
                vec![(Resource::Constraint(table.clone(), constraint.name.clone()), Edge::InLaterTransaction)]
            }
            _ => unreachable!("a constraint's change"),
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::AddConstraint { table, constraint, form } => {
                if let Some(t) = c.tables.get_mut(table) {
                    t.constraints.insert(constraint.name.clone(), constraint.clone());
                    // The index taken over is the key's now, no longer a stand-alone one.
                    if let AddForm::UsingIndex(index) = form {
                        t.indexes.remove(&index.name);
                    }
                }
            }
            Op::ValidateConstraint { table, constraint } => {
                if let Some(t) = c.tables.get_mut(table) {
                    t.constraints.insert(constraint.name.clone(), constraint.clone());
                }
            }
            _ => unreachable!("a constraint's change"),
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::AddConstraint { table, constraint, form } => {
                let dropped = Obj::Constraint { table: table.clone(), constraint: constraint.clone() };
                let mut undo = vec![(Op::drop(dropped, None), vec![])];
                // The key took over an index that was there: dropping the key drops it, so it is made again.
                if let AddForm::UsingIndex(index) = form {
                    undo.push(super::index::made_again(index));
                }
                Ok(undo)
            }
            // Covered by the undoing of its addition.
            _ => Err(None),
        }
    }

    fn lock(&self, change: &Change) -> StepLock {
        use LockDuration::*;
        use LockMode::*;
        match &change.op {
            Op::AddConstraint { constraint, form, .. } => match constraint.kind {
                // Validated as it is added (a partitioned table before PostgreSQL 18): the lock is held
                // while the rows are checked.
                ConstraintKind::ForeignKey if *form == AddForm::AtOnce => lock(ShareRowExclusive, Scan),
                // Added `NOT VALID` on a table that exists; validated by a step of its own.
                ConstraintKind::ForeignKey => lock(ShareRowExclusive, Brief),
                ConstraintKind::Check => lock(AccessExclusive, Brief),
                // A unique key, primary key or exclusion constraint builds its index under the lock.
                _ if matches!(form, AddForm::NewTable | AddForm::UsingIndex(_)) => {
                    lock(AccessExclusive, Brief)
                }
                _ => lock(AccessExclusive, Build),
            },
            _ => lock(ShareUpdateExclusive, Scan),
        }
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        match op {
            Op::AddConstraint { table, .. } | Op::ValidateConstraint { table, .. } => Some(table),
            _ => None,
        }
    }

    /// Its table, and the table a foreign key references.
    fn relations(&self, op: &Op) -> Vec<QualName> {
        match op {
            Op::AddConstraint { table, constraint, .. } => {
                let mut out = vec![table.clone()];
                out.extend(constraint.references.iter().cloned());
                out
            }
            Op::ValidateConstraint { table, .. } => vec![table.clone()],
            _ => vec![],
        }
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        match op {
            Op::AddConstraint { table, constraint, .. } => {
                Some((Some(table), constraint.columns.iter().collect()))
            }
            _ => None,
        }
    }

    /// A validation interrupted leaves the constraint `NOT VALID`.
    fn during(&self, change: &Change, _expected: &Catalog, _planning: &Planning<'_>) -> Vec<Option<String>> {
        match &change.op {
            Op::ValidateConstraint { constraint, .. } => {
                vec![Some(constraint_digest(&Constraint { validated: false, ..constraint.clone() }))]
            }
            _ => vec![],
        }
    }

    fn state(&self, o: &Obj) -> State {
        let (table, c) = object(o);
        state(table, c)
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let (table, c) = object(o);
        format!("ALTER TABLE {} DROP CONSTRAINT {}", table.sql(), quote_ident(&c.name))
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        18
    }

    /// A primary key dropped releases its columns (which it forced NOT NULL).
    fn drop_provides(&self, o: &Obj) -> Vec<Resource> {
        let (table, c) = object(o);
        if c.kind != ConstraintKind::PrimaryKey {
            return vec![];
        }
        c.columns.iter().map(|col| Resource::Released(ObjectKey::column(table, col))).collect()
    }

    /// A key constraint is used through its index (foreign keys depend on that).
    fn used_through(&self, o: &Obj) -> Option<ObjectKey> {
        let (table, c) = object(o);
        Some(ObjectKey::index(&table.schema, &c.name))
    }

    fn drop_lock(&self, _object: &Obj) -> StepLock {
        lock(LockMode::AccessExclusive, LockDuration::Brief)
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        let (table, constraint) = object(o);
        if let Some(t) = c.tables.get_mut(table) {
            t.constraints.remove(&constraint.name);
        }
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let (table, c) = object(o);
        let create = Op::AddConstraint {
            table: table.clone(),
            constraint: Constraint { comment: None, ..c.clone() },
            form: AddForm::NewTable,
        };
        with_comment(create, vec![], CommentOn::Constraint(table.clone(), c.name.clone()), &c.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (t, c) = commented(on);
        (
            format!("CONSTRAINT {} ON {}", quote_ident(c), t.sql()),
            format!(
                "pg_catalog.obj_description((SELECT c.oid FROM pg_catalog.pg_constraint c WHERE c.conrelid = {} AND c.conname = {}), 'pg_constraint')",
                regclass(t),
                quote_literal(c)
            ),
            format!("constraint {c} on {t}"),
        )
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        let (t, c) = commented(on);
        Resource::Constraint(t.clone(), c.to_string())
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let (t, name) = commented(on);
        if let Some(con) = c.tables.get_mut(t).and_then(|t| t.constraints.get_mut(name)) {
            con.comment = text;
        }
    }

    fn comment_table<'a>(&self, on: &'a CommentOn) -> Option<&'a QualName> {
        Some(commented(on).0)
    }
}
