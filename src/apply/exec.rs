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
//!   `accrete: step N skipped:` for its own number N;
//! - the history knows a step may have run before it can have: a statement `\gexec` produces in a
//!   non-transactional segment is preceded by the step's `running` row, and a transactional segment's
//!   executed steps are recorded `running` before its `COMMIT` (their outcome replaces it after);
//! - waits are watched: while a statement runs, a second connection (the monitor) reads who blocks it
//!   (`pg_blocking_pids`), says so once a wait passes 2 s, names the blockers when a lock timeout ends
//!   the wait, and shows an index build's progress (`pg_stat_progress_create_index`) past 2 s;
//! - a signal cancels the running statement (PostgreSQL's cancel request), and no further statement is
//!   sent; the caller rolls back and records `interrupted`.

use super::ApplyOptions;
use super::history::History;
use super::interrupt::Signal;
use crate::conn::Connection;
use crate::planfile::{Segment, Step};
use crate::policy::Hazard;
use anyhow::anyhow;
use std::io::Write;
use std::time::{Duration, Instant};
use tokio_postgres::SimpleQueryMessage;
use tokio_postgres::error::{DbError, SqlState};

/// What happened to one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    Executed,
    Skipped,
    RolledBack,
    Failed,
    /// May be running: recorded before a statement that changes the database is sent (or before the
    /// `COMMIT` of its transaction), replaced by the outcome when known.
    Running,
    /// Stopped by a signal (or by a lost session, as found by the next apply).
    Interrupted,
}

impl StepOutcome {
    /// The word recorded in `history_steps.outcome`.
    pub fn word(self) -> &'static str {
        match self {
            StepOutcome::Executed => "executed",
            StepOutcome::Skipped => "skipped",
            StepOutcome::RolledBack => "rolled-back",
            StepOutcome::Failed => "failed",
            StepOutcome::Running => "running",
            StepOutcome::Interrupted => "interrupted",
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
    /// The run's history (none in a dry run).
    pub history: Option<History>,
    /// A second connection that watches the apply connection's waits and builds.
    pub monitor: Option<Connection>,
    /// The apply connection's backend.
    pub pid: i32,
    /// The signal that stopped the run, once one did.
    pub interrupted: Option<Signal>,
    watch: Watch,
    /// The running step's lock wait is bounded by `lock_timeout` (a transactional step) or not.
    lock_bounded: bool,
    /// Why the last statement was given up without an answer from the server.
    pub abandoned: Option<String>,
    /// The `statement_timeout` the open transaction has set locally: the next step with the same bound
    /// sets nothing (a round trip per step saved on a plan of thousands of steps).
    local_timeout: Option<String>,
}

/// What the monitor saw of the running statement.
#[derive(Default)]
struct Watch {
    /// The sessions blocking it at the last look, described.
    blockers: Vec<String>,
    said_wait: bool,
    last_progress: Option<Instant>,
}

/// How a statement failed: the error (none: abandoned after a cancel request it did not answer), and
/// whether it came from a statement `\gexec` produced.
struct StmtError {
    error: Option<tokio_postgres::Error>,
    generated: Option<String>,
}

/// How long a cancelled statement may take to end before the apply stops waiting for it.
const CANCEL_GRACE: Duration = Duration::from_secs(10);
/// How long past its `statement_timeout` the apply waits for a statement's answer before it takes the
/// connection for stalled (index builds and validations, which have no timeout by default, are never cut).
const CLIENT_GRACE: Duration = Duration::from_secs(30);
/// A wait or a build is said once it passes this.
const SAY_AFTER: Duration = Duration::from_secs(2);
/// How often a build's progress is shown.
const PROGRESS_EVERY: Duration = Duration::from_secs(3);

impl<'a> Runner<'a> {
    /// A runner on `conn`, its backend read from the server; `monitor` and `history` when given.
    pub async fn new(
        conn: &'a mut Connection,
        opts: &'a ApplyOptions,
        out: &'a mut (dyn Write + Send),
        history: Option<History>,
        monitor: Option<Connection>,
    ) -> anyhow::Result<Runner<'a>> {
        let pid: i32 = conn.client.query_one("SELECT pg_catalog.pg_backend_pid()", &[]).await?.get(0);
        Ok(Runner {
            conn,
            opts,
            out,
            history,
            monitor,
            pid,
            interrupted: None,
            watch: Watch::default(),
            lock_bounded: true,
            abandoned: None,
            local_timeout: None,
        })
    }

    /// The signal, if one arrived (and remembers it).
    fn signalled(&mut self) -> Option<Signal> {
        if self.interrupted.is_none() {
            self.interrupted = self.opts.interrupt.as_ref().and_then(|i| i.get());
        }
        self.interrupted
    }

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
                    let mut line = format!(
                        "  segment {}: {reason}; rolled back, retrying in {delay_text} (attempt {next} of {attempts})",
                        seg.number
                    );
                    if !self.watch.blockers.is_empty() {
                        line.push_str(&format!("; blocked by {}", self.watch.blockers.join("; ")));
                    }
                    say(self.out, &line);
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        signal = super::interrupt::wait(self.opts.interrupt.as_ref()) => {
                            self.interrupted = Some(signal);
                            let error = anyhow!("interrupted by {} while waiting to retry", signal.name())
                                .context(format!("segment {}", seg.number));
                            let outcomes = seg.steps.first().map(|s| vec![(s.number, StepOutcome::Failed)]);
                            return Err(SegmentFailure {
                                outcomes: outcomes.unwrap_or_default(),
                                error,
                                changed: false,
                                retry: None,
                            });
                        }
                    }
                    attempt += 1;
                }
                Err(failure) => return Err(failure),
            }
        }
    }

    async fn transaction_attempt(&mut self, seg: &Segment) -> Result<Outcomes, SegmentFailure> {
        let lock_timeout = format!("SET LOCAL lock_timeout = '{}'", millis(self.opts.lock_timeout));
        self.local_timeout = None;
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
            match self.step(seg.number, step, true).await {
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
        if let Err(error) = self.record_running(seg, &outcomes).await {
            self.rollback().await;
            let error = error.context(format!("segment {}: before its COMMIT", seg.number));
            return Err(SegmentFailure {
                outcomes: rolled_back(&outcomes),
                error,
                changed: false,
                retry: None,
            });
        }
        let end = "COMMIT";
        if let Err(StmtError { error, .. }) = self.send(end, None).await {
            self.rollback().await;
            let retry = error.as_ref().and_then(retry_reason).map(|r| format!("{r} at {end}"));
            let error = anyhow!("{}", describe(error.as_ref(), self.abandoned.as_deref()))
                .context(format!("segment {}: {end} failed", seg.number));
            return Err(SegmentFailure { outcomes: rolled_back(&outcomes), error, changed: false, retry });
        }
        Ok(outcomes)
    }

    /// Records the executed steps of a transactional segment as `running`, before its `COMMIT`.
    async fn record_running(&mut self, seg: &Segment, outcomes: &Outcomes) -> anyhow::Result<()> {
        let Some(history) = self.history.as_mut() else { return Ok(()) };
        let executed: Vec<&Step> = outcomes
            .iter()
            .filter(|(_, o)| *o == StepOutcome::Executed)
            .filter_map(|(n, _)| seg.steps.iter().find(|s| s.number == *n))
            .collect();
        history.steps_running(seg.number, &executed).await
    }

    /// Runs a non-transactional segment: each statement in autocommit; each step's outcome is recorded
    /// in the history as soon as the step is done.
    pub async fn autocommit(&mut self, seg: &Segment) -> Result<Outcomes, SegmentFailure> {
        let mut outcomes = Outcomes::new();
        for step in &seg.steps {
            match self.step(seg.number, step, false).await {
                Ok(outcome) => {
                    outcomes.push((step.number, outcome));
                    let Some(history) = self.history.as_mut() else { continue };
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
    async fn step(
        &mut self,
        segment: u32,
        step: &Step,
        transactional: bool,
    ) -> Result<StepOutcome, SegmentFailure> {
        let timeout = millis(step_timeout(self.opts, step));
        self.lock_bounded = transactional;
        self.watch.blockers.clear();
        let settings = if transactional {
            match self.local_timeout.replace(timeout.clone()) {
                Some(set) if set == timeout => vec![],
                _ => vec![format!("SET LOCAL statement_timeout = '{timeout}'")],
            }
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
            if let Some(signal) = self.signalled() {
                let error = anyhow!(
                    "interrupted by {} before step {} ({})",
                    signal.name(),
                    step.number,
                    step.describe()
                );
                return Err(SegmentFailure { outcomes: Vec::new(), error, changed: false, retry: None });
            }
            let seen = notices.len();
            let gexec = stmt.terminator == super::Terminator::Gexec;
            let running = (!transactional).then_some(segment);
            let result = self.statement(&stmt.text, gexec, step, running, &mut notices).await;
            self.report_notices(step, &notices[seen..]);
            if let Err(StmtError { error, generated }) = result {
                let retry = error
                    .as_ref()
                    .and_then(retry_reason)
                    .filter(|_| transactional)
                    .map(|r| format!("{r} in step {} ({})", step.number, step.describe()));
                let what = match &generated {
                    Some(sql) => format!("{} (run by \\gexec: {})", stmt.first_line(), first_line(sql)),
                    None => stmt.first_line().to_string(),
                };
                let mut error = anyhow!(
                    "step {} ({}) failed at line {}: {what}\n{}",
                    step.number,
                    step.describe(),
                    stmt.line,
                    describe(error.as_ref(), self.abandoned.as_deref())
                );
                let lock_timeout = retry.as_deref().is_some_and(|r| r.starts_with("lock timeout"));
                if lock_timeout && !self.watch.blockers.is_empty() {
                    error = error.context(format!("blocked by {}", self.watch.blockers.join("; ")));
                }
                let changed = !transactional && generated.is_some();
                let word = if self.interrupted.is_some() { "interrupted" } else { "failed" };
                say(self.out, &format!("  step {} · {}: {word}", step.number, step.describe()));
                return Err(SegmentFailure { outcomes: Vec::new(), error, changed, retry });
            }
        }
        let skipped = notices.iter().any(|n| skip_reason(step, n).is_some());
        let outcome = if skipped { StepOutcome::Skipped } else { StepOutcome::Executed };
        say(self.out, &format!("  step {} · {}: {}", step.number, step.describe(), outcome.word()));
        Ok(outcome)
    }

    /// One statement; for `\gexec`, also each non-null value of each row of its result, in order.
    /// `running`: the segment number when the step's generated statements are recorded `running` first.
    async fn statement(
        &mut self,
        sql: &str,
        gexec: bool,
        step: &Step,
        running: Option<u32>,
        notices: &mut Vec<DbError>,
    ) -> Result<(), StmtError> {
        let result = self.send(sql, Some(step)).await;
        notices.extend(self.conn.drain_notices());
        let messages = result?;
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
            if self.signalled().is_some() {
                return Err(StmtError { error: None, generated: Some(sql) });
            }
            if let (Some(segment), Some(history)) = (running, self.history.as_mut())
                && let Err(e) = history.step(segment, step, StepOutcome::Running).await
            {
                say(self.out, &format!("  step {}: {e:#}", step.number));
                return Err(StmtError { error: None, generated: Some(sql) });
            }
            let result = self.send(&sql, Some(step)).await;
            notices.extend(self.conn.drain_notices());
            if let Err(StmtError { error, .. }) = result {
                return Err(StmtError { error, generated: Some(sql) });
            }
        }
        Ok(())
    }

    /// Sends one statement and waits for it, watching it with the monitor and cancelling it on a signal.
    async fn send(&mut self, sql: &str, step: Option<&Step>) -> Result<Vec<SimpleQueryMessage>, StmtError> {
        // A COMMIT (no step) may check deferred constraints: it gets no client bound either.
        let server_timeout = step.map_or(Duration::ZERO, |s| step_timeout(self.opts, s));
        let Runner { conn, opts, out, monitor, pid, interrupted, watch, lock_bounded, abandoned, .. } = self;
        *abandoned = None;
        let client_deadline =
            (!server_timeout.is_zero()).then(|| tokio::time::Instant::now() + server_timeout + CLIENT_GRACE);
        // The blockers seen during the step stay known until the next step (a lock timeout may end a
        // wait before the next look).
        *watch = Watch { blockers: std::mem::take(&mut watch.blockers), ..Watch::default() };
        let started = Instant::now();
        let lock_timeout = if *lock_bounded { opts.lock_timeout } else { Duration::ZERO };
        let every = match lock_timeout {
            t if t.is_zero() => Duration::from_millis(250),
            t => (t / 3).clamp(Duration::from_millis(20), Duration::from_millis(250)),
        };
        let first = every.min(Duration::from_millis(50));
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + first, every);
        let query = conn.client.simple_query(sql);
        tokio::pin!(query);
        let mut cancelled_at: Option<tokio::time::Instant> = None;
        let interrupt = opts.interrupt.clone();
        loop {
            let grace = tokio::time::sleep_until(
                cancelled_at.map_or_else(|| tokio::time::Instant::now() + CANCEL_GRACE, |t| t + CANCEL_GRACE),
            );
            tokio::select! {
                result = &mut query => return result.map_err(|error| StmtError { error: Some(error), generated: None }),
                signal = super::interrupt::wait(interrupt.as_ref()), if cancelled_at.is_none() => {
                    *interrupted = Some(signal);
                    cancelled_at = Some(tokio::time::Instant::now());
                    say(&mut **out, &format!("{}: cancelling the running statement", signal.name()));
                    if let Err(e) = conn.cancel().await {
                        say(&mut **out, &format!("  the cancel request failed: {e:#}"));
                    }
                }
                _ = grace, if cancelled_at.is_some() => {
                    *abandoned = Some(format!("no answer {} s after the cancel request", CANCEL_GRACE.as_secs()));
                    return Err(StmtError { error: None, generated: None });
                }
                _ = tokio::time::sleep_until(client_deadline.unwrap_or_else(tokio::time::Instant::now)),
                    if client_deadline.is_some() && cancelled_at.is_none() => {
                    let _ = conn.cancel().await;
                    *abandoned = Some(format!(
                        "no answer from the server within {} (its statement_timeout and {} s more): the \
                         connection is taken for stalled",
                        millis(server_timeout),
                        CLIENT_GRACE.as_secs()
                    ));
                    return Err(StmtError { error: None, generated: None });
                }
                _ = tick.tick(), if monitor.is_some() => {
                    let monitor = monitor.as_ref().expect("checked");
                    look(monitor, *pid, started, step, lock_timeout, watch, &mut **out).await;
                }
            }
        }
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
        // Bounded: on a stalled connection, the server rolls back when the session ends.
        let _ = tokio::time::timeout(CANCEL_GRACE, self.conn.client.simple_query("ROLLBACK")).await;
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
const LONG_HAZARDS: [Hazard; 4] =
    [Hazard::BuildsIndex, Hazard::ValidatesConstraint, Hazard::RewritesTable, Hazard::MayFailOnData];

/// The statement timeout of a step: the long one for index builds, validations, rewrites and checks of
/// existing rows.
pub fn step_timeout(opts: &ApplyOptions, step: &Step) -> Duration {
    if LONG_HAZARDS.into_iter().any(|h| step.has_hazard(h)) {
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

/// One look by the monitor at the running statement: who blocks it (kept for a lock-timeout message,
/// said once past [`SAY_AFTER`]), and a build's progress. A failed look is ignored: watching never stops
/// an apply.
async fn look(
    monitor: &Connection,
    pid: i32,
    started: Instant,
    step: Option<&Step>,
    lock_timeout: Duration,
    watch: &mut Watch,
    out: &mut (dyn Write + Send),
) {
    let label = step.map_or_else(|| "  ".to_string(), |s| format!("  step {}: ", s.number));
    let rows = monitor.client.query(BLOCKERS, &[&pid]).await.unwrap_or_default();
    let current: Vec<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
    if !current.is_empty() {
        watch.blockers = current.clone();
    }
    let elapsed = started.elapsed();
    if !current.is_empty() && !watch.said_wait && elapsed >= SAY_AFTER {
        watch.said_wait = true;
        let bound = match lock_timeout.is_zero() {
            true => "no lock timeout".to_string(),
            false => format!("lock timeout {}", millis(lock_timeout)),
        };
        say(
            out,
            &format!(
                "{label}waiting {:.0}s ({bound}) for a lock held by {}",
                elapsed.as_secs_f64(),
                watch.blockers.join("; ")
            ),
        );
    }
    let build = step.is_some_and(|s| s.has_hazard(Hazard::BuildsIndex));
    let due = watch.last_progress.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY);
    if build && elapsed >= SAY_AFTER && due {
        watch.last_progress = Some(Instant::now());
        if let Ok(Some(row)) = monitor.client.query_opt(PROGRESS, &[&pid]).await {
            let (phase, blocks, tuples): (String, String, String) = (row.get(0), row.get(1), row.get(2));
            say(out, &format!("{label}building, {:.0}s: {phase}{blocks}{tuples}", elapsed.as_secs_f64()));
        }
    }
}

/// The sessions blocking backend `$1`, one line each: pid, application, client, user, since when.
const BLOCKERS: &str = "SELECT pg_catalog.format('pid %s (application_name %s, client %s, user %s, %s)', b.pid,
        pg_catalog.to_json(coalesce(a.application_name, ''))::text,
        CASE WHEN a.client_port = -1 THEN 'local socket' WHEN a.client_addr IS NULL THEN 'not visible'
             ELSE pg_catalog.host(a.client_addr) END,
        coalesce(a.usename::text, 'not visible'),
        CASE WHEN a.xact_start IS NOT NULL
             THEN 'its transaction open since ' || pg_catalog.to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'
             WHEN a.state_change IS NOT NULL
             THEN 'since ' || pg_catalog.to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'
             ELSE 'since unknown' END || coalesce(', ' || a.state, ''))
    FROM pg_catalog.unnest(pg_catalog.pg_blocking_pids($1)) AS b(pid)
    LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = b.pid
    ORDER BY b.pid";

/// An index build's phase and progress on backend `$1`.
const PROGRESS: &str = "SELECT phase,
        CASE WHEN blocks_total > 0 THEN ', ' || (100 * blocks_done / blocks_total) || '% of ' || blocks_total || ' blocks' ELSE '' END,
        CASE WHEN tuples_total > 0 THEN ', ' || tuples_done || ' of ' || tuples_total || ' tuples' ELSE '' END
    FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1";

fn describe(error: Option<&tokio_postgres::Error>, abandoned: Option<&str>) -> String {
    match (error, abandoned) {
        (Some(e), _) => describe_error(e),
        (None, Some(why)) => format!("  stopped: {why}"),
        (None, None) => "  stopped: interrupted (the statement was cancelled or never sent)".to_string(),
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
            class: crate::policy::Class::Add,
            part_of: None,
            kind: crate::catalog::ObjectKind::Index,
            name: "app.i".into(),
            hazards: hazards.iter().map(|h| Hazard::from_name(h).unwrap()).collect(),
            size: None,
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
