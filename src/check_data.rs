//! `plan --check-data`: how many existing rows would make a planned step fail, counted at plan time on the
//! target (read-only, under a statement timeout of its own). Each step's guard checks again at apply; this
//! is for the reviewer, so it is printed and not written into the plan file (which stays a function of
//! the schema).
//!
//! Counted: NOT NULL set on a column (rows with NULL), a NOT NULL column added without a default (every
//! row), a CHECK (rows where it is false), a unique or primary key constraint and a unique index on plain
//! columns (duplicate groups, and NULLs for a primary key), a foreign key (rows without a referenced row).
//! Everything else that may fail on data (a type change) is named as not checked. Each count is its kind's
//! (`plan::failing_rows`, from the kind's module of `plan/kinds/`); this module runs them and reports.

use crate::diff::Hazard;
use crate::plan::{FailingRows, Plan};
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
        let outcome = match crate::plan::failing_rows(&step.change.op) {
            Some(FailingRows { sql, counts, by_conversion }) => match &ready {
                Err(e) => Outcome::Failed(e.to_string()),
                Ok(()) => match client.query_one(&sql, &[]).await {
                    Ok(row) => Outcome::Count(row.get::<_, i64>(0), counts),
                    // pg_input_is_valid came with PostgreSQL 16: before, each value is converted.
                    Err(e)
                        if e.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_FUNCTION)
                            && sql.contains("pg_input_is_valid") =>
                    {
                        match by_conversion {
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
    use crate::catalog::{Column, Constraint, ConstraintKind, QualName};
    use crate::diff::{AddForm, NotNullStage, Op};

    fn count_query(op: &Op) -> Option<(String, &'static str)> {
        crate::plan::failing_rows(op).map(|f| (f.sql, f.counts))
    }

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
