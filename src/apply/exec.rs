//! Running a plan's segments: statement by statement, with per-step timeouts, guard notices read as step
//! outcomes, psql's `\gexec`, and bounded retries of a transactional segment that hit a lock timeout.
//!
//! Invariants:
//! - every statement is sent on its own (`simple_query` of one statement, never a multi-statement string);
//!   the values `\gexec` produces are sent one by one, as psql sends them;
//! - a transactional segment ends in exactly one `COMMIT` (or `ROLLBACK` for a failure); its step outcomes
//!   are known only after that;
//! - timeouts: a transactional segment sets `lock_timeout` and, per step, `statement_timeout` with
//!   `SET LOCAL`; a non-transactional step sets `statement_timeout` for the session and no lock timeout (a
//!   concurrent index build waits for older transactions by design; a failed one is cleaned up on re-run);
//! - a step is `skipped` exactly when one of its statements raised a notice starting
//!   `accrete: step N skipped:` for its own number N.

use super::ApplyOptions;
use super::history::History;
use super::parse::{Segment, Step};
use crate::conn::Connection;
use anyhow::anyhow;
use std::io::Write;
use std::time::Duration;
use tokio_postgres::SimpleQueryMessage;
use tokio_postgres::error::{DbError, SqlState};

/// What happened to one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    Executed,
    Skipped,
    RolledBack,
    Failed,
}

impl StepOutcome {
    /// The word recorded in `history_steps.outcome`.
    pub fn word(self) -> &'static str {
        match self {
            StepOutcome::Executed => "executed",
            StepOutcome::Skipped => "skipped",
            StepOutcome::RolledBack => "rolled-back",
            StepOutcome::Failed => "failed",
        }
    }
}

/// A step's outcome, by step number.
pub type Outcomes = Vec<(u32, StepOutcome)>;

/// A segment that did not finish.
#[derive(Debug)]
pub struct SegmentFailure {
    /// Outcomes of the segment's steps up to the failing one (transactional: rolled back; the failing
    /// step: failed).
    pub outcomes: Outcomes,
    pub error: anyhow::Error,
    /// Whether the database may have changed in this segment (a non-transactional step ran, or a
    /// statement that `\gexec` produced failed and may have left an invalid index).
    pub changed: bool,
    /// Why the segment may succeed when run again (a lock timeout or a deadlock), for the progress line.
    retry: Option<String>,
}

/// Runs statements on the apply connection and writes progress to `out`.
pub struct Runner<'a> {
    pub conn: &'a mut Connection,
    pub opts: &'a ApplyOptions,
    pub out: &'a mut (dyn Write + Send),
}

/// How a statement failed: the error, and whether it came from a statement `\gexec` produced.
struct StmtError {
    error: tokio_postgres::Error,
    generated: Option<String>,
}

impl Runner<'_> {
    /// Runs a transactional segment: `BEGIN`, the steps, then `COMMIT`, retrying the whole segment after a
    /// lock timeout or deadlock.
    pub async fn transactional(&mut self, seg: &Segment) -> Result<Outcomes, SegmentFailure> {
        let attempts = self.opts.lock_retries + 1;
        let mut attempt = 1;
        loop {
            match self.transaction_attempt(seg).await {
                Ok(outcomes) => return Ok(outcomes),
                Err(SegmentFailure { retry: Some(reason), .. }) if attempt < attempts => {
                    let delay = self.opts.retry_backoff.saturating_mul(1 << (attempt - 1).min(16));
                    let (delay_text, next) = (millis(delay), attempt + 1);
                    let line = format!(
                        "  segment {}: {reason}; rolled back, retrying in {delay_text} (attempt {next} of {attempts})",
                        seg.number
                    );
                    say(self.out, &line);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(failure) => return Err(failure),
            }
        }
    }

    async fn transaction_attempt(&mut self, seg: &Segment) -> Result<Outcomes, SegmentFailure> {
        let lock_timeout = format!("SET LOCAL lock_timeout = '{}'", millis(self.opts.lock_timeout));
        let setup = async {
            self.conn.client.simple_query("BEGIN").await?;
            self.conn.client.simple_query(&lock_timeout).await
        };
        if let Err(error) = setup.await {
            self.rollback().await;
            let context = format!("segment {}: starting its transaction", seg.number);
            return Err(SegmentFailure {
                outcomes: Vec::new(),
                error: anyhow!("{}", describe_error(&error)).context(context),
                changed: false,
                retry: None,
            });
        }
        let mut outcomes = Outcomes::new();
        for step in &seg.steps {
            match self.step(step, true).await {
                Ok(outcome) => outcomes.push((step.number, outcome)),
                Err(mut failure) => {
                    self.rollback().await;
                    failure.outcomes = rolled_back(&outcomes);
                    failure.outcomes.push((step.number, StepOutcome::Failed));
                    failure.changed = false;
                    return Err(failure);
                }
            }
        }
        if let Err(error) = self.conn.client.simple_query("COMMIT").await {
            self.rollback().await;
            let retry = retry_reason(&error).map(|r| format!("{r} at COMMIT"));
            let error = anyhow!("{}", describe_error(&error))
                .context(format!("segment {}: COMMIT failed", seg.number));
            return Err(SegmentFailure { outcomes: rolled_back(&outcomes), error, changed: false, retry });
        }
        Ok(outcomes)
    }

    /// Runs a non-transactional segment: each statement in autocommit; each step's outcome is recorded
    /// in `history` (when there is one: a proof on a copy has none) as soon as the step is done.
    pub async fn autocommit(
        &mut self,
        seg: &Segment,
        mut history: Option<&mut History>,
    ) -> Result<Outcomes, SegmentFailure> {
        let mut outcomes = Outcomes::new();
        for step in &seg.steps {
            match self.step(step, false).await {
                Ok(outcome) => {
                    outcomes.push((step.number, outcome));
                    let Some(history) = history.as_deref_mut() else { continue };
                    if let Err(error) = history.step(seg.number, step, outcome).await {
                        let changed = outcomes.iter().any(|(_, o)| *o == StepOutcome::Executed);
                        return Err(SegmentFailure { outcomes, error, changed, retry: None });
                    }
                }
                Err(mut failure) => {
                    failure.changed |= outcomes.iter().any(|(_, o)| *o == StepOutcome::Executed);
                    outcomes.push((step.number, StepOutcome::Failed));
                    failure.outcomes = outcomes;
                    return Err(failure);
                }
            }
        }
        Ok(outcomes)
    }

    /// Runs one step's statements; its outcome is `skipped` when its guard said so.
    async fn step(&mut self, step: &Step, transactional: bool) -> Result<StepOutcome, SegmentFailure> {
        let timeout = millis(step_timeout(self.opts, step));
        let settings = if transactional {
            vec![format!("SET LOCAL statement_timeout = '{timeout}'")]
        } else {
            vec![format!("SET statement_timeout = '{timeout}'"), "SET lock_timeout = 0".to_string()]
        };
        let mut notices = Vec::new();
        for setting in &settings {
            if let Err(error) = self.conn.client.simple_query(setting).await {
                let error =
                    anyhow!("{}", describe_error(&error)).context(format!("step {}: {setting}", step.number));
                return Err(SegmentFailure { outcomes: Vec::new(), error, changed: false, retry: None });
            }
        }
        for stmt in &step.statements {
            let seen = notices.len();
            let result =
                self.statement(&stmt.text, stmt.terminator == super::Terminator::Gexec, &mut notices).await;
            self.report_notices(step, &notices[seen..]);
            if let Err(StmtError { error, generated }) = result {
                let retry = retry_reason(&error)
                    .filter(|_| transactional)
                    .map(|r| format!("{r} in step {} ({})", step.number, step.describe()));
                let what = match &generated {
                    Some(sql) => format!("{} (run by \\gexec: {})", stmt.first_line(), first_line(sql)),
                    None => stmt.first_line().to_string(),
                };
                let error = anyhow!(
                    "step {} ({}) failed at line {}: {what}\n{}",
                    step.number,
                    step.describe(),
                    stmt.line,
                    describe_error(&error)
                );
                let changed = !transactional && generated.is_some();
                say(self.out, &format!("  step {} · {}: failed", step.number, step.describe()));
                return Err(SegmentFailure { outcomes: Vec::new(), error, changed, retry });
            }
        }
        let skipped = notices.iter().any(|n| skip_reason(step, n).is_some());
        let outcome = if skipped { StepOutcome::Skipped } else { StepOutcome::Executed };
        say(self.out, &format!("  step {} · {}: {}", step.number, step.describe(), outcome.word()));
        Ok(outcome)
    }

    /// One statement; for `\gexec`, also each non-null value of each row of its result, in order.
    async fn statement(
        &mut self,
        sql: &str,
        gexec: bool,
        notices: &mut Vec<DbError>,
    ) -> Result<(), StmtError> {
        let result = self.conn.client.simple_query(sql).await;
        notices.extend(self.conn.drain_notices());
        let messages = result.map_err(|error| StmtError { error, generated: None })?;
        if !gexec {
            return Ok(());
        }
        let mut generated = Vec::new();
        for message in &messages {
            if let SimpleQueryMessage::Row(row) = message {
                generated.extend((0..row.len()).filter_map(|i| row.get(i)).map(str::to_string));
            }
        }
        for sql in generated {
            let result = self.conn.client.simple_query(&sql).await;
            notices.extend(self.conn.drain_notices());
            if let Err(error) = result {
                return Err(StmtError { error, generated: Some(sql) });
            }
        }
        Ok(())
    }

    /// Prints notices that are not this step's skip notice, and clears nothing (outcomes need them).
    fn report_notices(&mut self, step: &Step, notices: &[DbError]) {
        for notice in notices {
            if skip_reason(step, notice).is_none() {
                say(
                    self.out,
                    &format!("  step {}: {}: {}", step.number, notice.severity(), notice.message()),
                );
            }
        }
    }

    async fn rollback(&mut self) {
        // The transaction is aborted or broken already; a failed ROLLBACK leaves nothing more to undo.
        let _ = self.conn.client.simple_query("ROLLBACK").await;
        self.conn.drain_notices();
    }
}

/// The text after `accrete: step N skipped: ` when `notice` is this step's skip notice.
fn skip_reason<'n>(step: &Step, notice: &'n DbError) -> Option<&'n str> {
    let prefix = format!("accrete: step {} skipped:", step.number);
    notice.message().strip_prefix(&prefix).map(str::trim)
}

fn rolled_back(outcomes: &Outcomes) -> Outcomes {
    outcomes.iter().map(|(n, _)| (*n, StepOutcome::RolledBack)).collect()
}

/// Hazards whose steps get the long statement timeout.
const LONG_HAZARDS: &[&str] = &["builds-index", "validates-constraint", "rewrites-table", "may-fail-on-data"];

/// The statement timeout of a step: the long one for index builds, validations, rewrites and checks of
/// existing rows.
pub fn step_timeout(opts: &ApplyOptions, step: &Step) -> Duration {
    if LONG_HAZARDS.iter().any(|h| step.has_hazard(h)) {
        opts.long_statement_timeout
    } else {
        opts.statement_timeout
    }
}

/// A lock timeout or a deadlock: the transaction was rolled back and may succeed when run again.
fn retry_reason(error: &tokio_postgres::Error) -> Option<&'static str> {
    match error.code() {
        Some(code) if *code == SqlState::LOCK_NOT_AVAILABLE => Some("lock timeout"),
        Some(code) if *code == SqlState::T_R_DEADLOCK_DETECTED => Some("deadlock"),
        _ => None,
    }
}

/// PostgreSQL's message, detail and hint, indented under a failure line.
pub fn describe_error(error: &tokio_postgres::Error) -> String {
    let Some(db) = error.as_db_error() else { return format!("  {error}") };
    let mut out = format!("  {}: {} ({})", db.severity(), db.message(), db.code().code());
    if let Some(detail) = db.detail() {
        out.push_str(&format!("\n  DETAIL: {detail}"));
    }
    if let Some(hint) = db.hint() {
        out.push_str(&format!("\n  HINT: {hint}"));
    }
    out
}

fn first_line(sql: &str) -> &str {
    sql.trim_start().lines().next().unwrap_or("")
}

/// A duration as PostgreSQL reads it: whole milliseconds, `0` meaning no limit.
pub fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis())
}

/// Writes one progress line. Progress output is best effort: a closed terminal must not stop an apply
/// halfway, so write errors are ignored here on purpose.
/// Names in it (from the plan, the database or its messages) reach the terminal without control characters.
pub fn say(out: &mut (dyn Write + Send), line: &str) {
    let _ = writeln!(out, "{}", crate::escape::terminal(line));
}

/// `1 step`, `2 steps`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::Step;

    fn step(hazards: &[&str]) -> Step {
        Step {
            number: 1,
            class: "add".into(),
            for_kind: None,
            kind: "index".into(),
            name: "app.i".into(),
            hazards: hazards.iter().map(|h| h.to_string()).collect(),
            statements: Vec::new(),
        }
    }

    #[test]
    fn long_steps_get_the_long_timeout() {
        let opts = ApplyOptions {
            statement_timeout: Duration::from_secs(60),
            long_statement_timeout: Duration::from_secs(3600),
            ..Default::default()
        };
        assert_eq!(step_timeout(&opts, &step(&[])), Duration::from_secs(60));
        assert_eq!(step_timeout(&opts, &step(&["enables-rls"])), Duration::from_secs(60));
        assert_eq!(step_timeout(&opts, &step(&["enables-rls", "builds-index"])), Duration::from_secs(3600));
        assert_eq!(step_timeout(&opts, &step(&["validates-constraint"])), Duration::from_secs(3600));
        assert_eq!(millis(Duration::from_millis(1500)), "1500ms");
        assert_eq!(millis(Duration::ZERO), "0ms");
        assert_eq!(count(1, "step", "steps"), "1 step");
        assert_eq!(count(0, "step", "steps"), "0 steps");
    }
}
