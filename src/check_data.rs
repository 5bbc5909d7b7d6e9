//! `plan --check-data`: how many existing rows would make a planned step fail, counted at plan time on the
//! target (read-only, under a statement timeout of its own). Each step's guard checks again at apply; this
//! is for the reviewer, so it is printed and not written into the plan file (which stays a function of
//! the schema).
//!
//! Counted: NOT NULL set on a column (rows with NULL), a NOT NULL column added without a default (every
//! row), a CHECK (rows where it is false), a unique or primary key constraint and a unique index on plain
//! columns (duplicate groups, and NULLs for a primary key), a foreign key (rows without a referenced row).
//! Everything else that may fail on data (a type change) is named as not checked.

use crate::catalog::{Constraint, ConstraintKind, QualName, quote_ident};
use crate::diff::{AddForm, Hazard, NotNullStage, Op};
use crate::plan::Plan;
use std::time::Duration;

/// One step's check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub step: usize,
    /// `alter column public.users.email (NOT NULL)`
    pub what: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Rows (or duplicate groups) that would fail the step, and what they are.
    Count(i64, &'static str),
    /// The count did not finish or failed (a timeout, a permission).
    Failed(String),
    /// The step may fail on data, but there is no count for it.
    NotChecked,
}

impl Checked {
    pub fn line(&self) -> String {
        format!("step {} · {}: {}", self.step, self.what, self.result())
    }

    /// What the count found: `no row would fail it`, `3 rows with NULL would fail it`, `not counted: why`.
    pub fn result(&self) -> String {
        match &self.outcome {
            Outcome::Count(0, _) => "no row would fail it".to_string(),
            Outcome::Count(n, what) => format!("{n} {what} would fail it"),
            Outcome::Failed(why) => format!("not counted: {why}"),
            Outcome::NotChecked => "not checked (no count for this kind of step)".to_string(),
        }
    }
}

/// The query that counts what would fail `op`, with what it counts; `None` when there is none.
pub fn count_query(op: &Op) -> Option<(String, &'static str)> {
    match op {
        Op::SetNotNull {
            table,
            column,
            stage: NotNullStage::AddCheck | NotNullStage::ValidateConstraint,
            ..
        } => Some((
            format!("SELECT count(*) FROM {} WHERE {} IS NULL", table.sql(), quote_ident(column)),
            "rows with NULL",
        )),
        Op::AddColumn { table, column }
            if column.not_null
                && column.default.is_none()
                && column.identity.is_none()
                && column.serial.is_none()
                && column.generated.is_none() =>
        {
            Some((format!("SELECT count(*) FROM {}", table.sql()), "rows (each gets NULL)"))
        }
        Op::AddConstraint { table, constraint, form: AddForm::Existing | AddForm::AtOnce } => {
            constraint_query(table, constraint)
        }
        Op::AlterColumnType { table, column, from, to, using, .. } if cast_or_explicit(column, to, using) => {
            cast_query(table, column, from, to)
        }
        Op::CreateIndex { index, table_is_new: false, .. }
            if index.unique
                && !index.columns.is_empty()
                && plain_columns(&index.definition, &index.columns) =>
        {
            Some((duplicates(&index.table, &index.columns), "duplicate groups"))
        }
        _ => None,
    }
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

/// An index over plain columns only (`USING btree (a, b)`), not expressions or a partial predicate.
fn plain_columns(definition: &str, columns: &[String]) -> bool {
    let listed: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    definition.ends_with(&format!("({})", listed.join(", ")))
}

fn duplicates(table: &QualName, columns: &[String]) -> String {
    let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    let not_null: Vec<String> = cols.iter().map(|c| format!("{c} IS NOT NULL")).collect();
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1) d",
        table.sql(),
        not_null.join(" AND "),
        cols.join(", ")
    )
}

fn constraint_query(table: &QualName, c: &Constraint) -> Option<(String, &'static str)> {
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

/// Before PostgreSQL 16 (no `pg_input_is_valid`): a `DO` block assigns each non-NULL value of the column
/// to a variable of the new type, as `ALTER COLUMN ... TYPE` converts it (an assignment), each in a
/// subtransaction, and ends with an error whose message holds the count (a `DO` block returns nothing;
/// the read-only transaction keeps nothing anyway).
fn conversion_count(op: &Op) -> Option<String> {
    let Op::AlterColumnType { table, column, to, using, .. } = op else { return None };
    if !cast_or_explicit(column, to, using) {
        return None;
    }
    let body = format!(
        " DECLARE v text; x {to}; n bigint := 0; BEGIN \
         FOR v IN SELECT {col}::text FROM {table} WHERE {col} IS NOT NULL LOOP \
         BEGIN x := v; EXCEPTION WHEN OTHERS THEN n := n + 1; END; END LOOP; \
         RAISE EXCEPTION 'accrete-count %', n; END ",
        col = quote_ident(column),
        table = table.sql()
    );
    Some(format!("DO {}", crate::escape::dollar_quote(&body, "accrete")))
}

async fn count_by_conversion(client: &tokio_postgres::Client, block: &str, counts: &'static str) -> Outcome {
    match client.batch_execute(block).await {
        Err(e) => match e.as_db_error().and_then(|d| d.message().strip_prefix("accrete-count ")) {
            Some(n) => {
                n.parse().map_or_else(|_| Outcome::Failed(one_line(&e)), |n| Outcome::Count(n, counts))
            }
            None => Outcome::Failed(one_line(&e)),
        },
        Ok(()) => Outcome::Failed("the conversion count ended without its count".into()),
    }
}

/// Counts, on `client`, what would fail each step of `plan`, each query under `timeout`.
pub async fn check(client: &tokio_postgres::Client, plan: &Plan, timeout: Duration) -> Vec<Checked> {
    let setup = format!(
        "SET default_transaction_read_only = on; SET statement_timeout = {}",
        timeout.as_millis().max(1)
    );
    let ready = client.batch_execute(&setup).await;
    let mut out = Vec::new();
    for step in plan.steps() {
        let what = crate::plan::change_words(&step.change);
        let outcome = match count_query(&step.change.op) {
            Some((sql, counts)) => match &ready {
                Err(e) => Outcome::Failed(e.to_string()),
                Ok(()) => match client.query_one(&sql, &[]).await {
                    Ok(row) => Outcome::Count(row.get::<_, i64>(0), counts),
                    // pg_input_is_valid came with PostgreSQL 16: before, each value is converted.
                    Err(e)
                        if e.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_FUNCTION)
                            && sql.contains("pg_input_is_valid") =>
                    {
                        match conversion_count(&step.change.op) {
                            Some(block) => count_by_conversion(client, &block, counts).await,
                            None => Outcome::Failed(one_line(&e)),
                        }
                    }
                    Err(e) => Outcome::Failed(one_line(&e)),
                },
            },
            None if step.change.hazards.contains(&Hazard::MayFailOnData) => Outcome::NotChecked,
            None => continue,
        };
        out.push(Checked { step: step.number, what, outcome });
    }
    out
}

fn one_line(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) if db.code() == &tokio_postgres::error::SqlState::QUERY_CANCELED => {
            "the statement timeout ran out (--check-data-timeout)".to_string()
        }
        Some(db)
            if db.code() == &tokio_postgres::error::SqlState::UNDEFINED_COLUMN
                || db.code() == &tokio_postgres::error::SqlState::UNDEFINED_TABLE =>
        {
            format!("it reads what the plan creates ({})", db.message())
        }
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Column;

    fn table() -> QualName {
        QualName::new("app", "orders")
    }

    #[test]
    fn counts_for_not_null_checks_and_keys() {
        let op = Op::SetNotNull {
            table: table(),
            column: "email".into(),
            stage: NotNullStage::AddCheck,
            name: None,
            no_inherit: false,
        };
        assert_eq!(count_query(&op).unwrap().0, "SELECT count(*) FROM app.orders WHERE email IS NULL");
        let check = Constraint {
            name: "c".into(),
            kind: ConstraintKind::Check,
            definition: "CHECK ((total > (0)::numeric))".into(),
            columns: vec!["total".into()],
            references: None,
            validated: true,
            deferrable: false,
            initially_deferred: false,
            comment: None,
        };
        let op = Op::AddConstraint { table: table(), constraint: check.clone(), form: AddForm::Existing };
        assert_eq!(
            count_query(&op).unwrap().0,
            "SELECT count(*) FROM app.orders WHERE NOT ((total > (0)::numeric))"
        );
        let fk = Constraint {
            kind: ConstraintKind::ForeignKey,
            definition: "FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE".into(),
            columns: vec!["user_id".into()],
            references: Some(QualName::new("app", "users")),
            ..check.clone()
        };
        let op = Op::AddConstraint { table: table(), constraint: fk, form: AddForm::Existing };
        assert_eq!(
            count_query(&op).unwrap().0,
            "SELECT count(*) FROM app.orders c WHERE c.user_id IS NOT NULL AND NOT EXISTS (SELECT FROM app.users r WHERE r.id = c.user_id)"
        );
        let op = Op::AddConstraint { table: table(), constraint: check, form: AddForm::NewTable };
        assert!(count_query(&op).is_none(), "a new table has no rows");
        let column = Column {
            name: "n".into(),
            data_type: "integer".into(),
            not_null: true,
            position: 1,
            ..Default::default()
        };
        let op = Op::AddColumn { table: table(), column };
        assert_eq!(count_query(&op).unwrap().0, "SELECT count(*) FROM app.orders");
    }
}
