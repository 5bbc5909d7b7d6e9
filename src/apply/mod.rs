//! Executes a plan file exactly as reviewed, and records it (DESIGN.md, "Apply").
//!
//! The order is fixed: read and verify the file ([`load`], [`parse`]); connect and check the target
//! (planned server and database unless `other_target`, never a standby); check every touched object
//! against the manifest (rule 5: each in its before or after state; all after means already applied);
//! check that the role holds every privilege the steps and the history need (`privileges`); read again
//! the size of each table whose hazard only a size bound admits, refusing one grown to the bound; take the
//! apply lock; record the attempt in the history; run the segments statement by statement; verify
//! every touched object against its after digest.
//!
//! Invariants:
//! - nothing runs that is not in the checksum-verified file, and everything in it runs in file order;
//! - each segment ends committed or rolled back, and the history (written on its own connection) says
//!   which; [`ApplyError`] says whether anything changed (exit 1) or some segments committed (exit 4), or
//!   that a signal stopped the run (exit 130 / 143, [`interrupt`]);
//! - a dry run changes nothing on the target and takes no lock there beyond ACCESS SHARE: it reads the
//!   catalog and counts rows, and runs the plan on a scratch copy of the schema ([`prove`]); the history
//!   schema is not touched;
//! - progress goes to the caller's writer; a connection's password is never printed.

mod exec;

mod history;
pub mod interrupt;
mod lock;
mod manifest;
mod privileges;
pub mod prove;
mod run;
mod target;

pub use crate::planfile::{FORMAT, ManifestEntry, ParseError, PlanFile, PlannedTarget, Segment, Step, parse};
pub use crate::planfile::{Stmt, Terminator, checksum, seal, split_statements};
pub use exec::StepOutcome;
pub use interrupt::{Interrupt, Signal};
pub use lock::LOCK_KEY;
pub use manifest::{Mismatch, PreCheck, pre_check, verify};
pub use run::on_copy;

use crate::conn::ConnParams;
use crate::progress::phase_unshown;
use crate::scope::Scope;
use anyhow::{Context, anyhow};
pub use exec::count;
use exec::say;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// How to apply.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Run the plan on a scratch copy of the target's current schema and count, on the target (read-only),
    /// the rows a step would fail on; record nothing.
    pub dry_run: bool,
    /// For a dry run: the `[external]` stubs the copy needs (read from the target).
    pub external: Vec<crate::external::Stub>,
    /// For a dry run: where the copy is made (`--dev-url`, else accrete's scratch cluster).
    pub prove_on: crate::normalize::Options,
    /// Apply although some touched objects are in neither their before nor their after state.
    pub force: bool,
    /// Apply to a server or database other than the one planned against.
    pub other_target: bool,
    /// `lock_timeout` in transactional segments (0: no limit).
    pub lock_timeout: Duration,
    /// `statement_timeout` of a step (0: no limit).
    pub statement_timeout: Duration,
    /// `statement_timeout` of a step that builds an index, validates a constraint, rewrites a table or
    /// checks existing rows (0: no limit).
    pub long_statement_timeout: Duration,
    /// How often a transactional segment that hit a lock timeout or a deadlock is run again.
    pub lock_retries: u32,
    /// The wait before the first retry; it doubles with each further one.
    pub retry_backoff: Duration,
    /// How long to wait for another apply's lock before failing.
    pub lock_wait: Duration,
    /// accrete's own schema (the history).
    pub history_schema: String,
    /// `SET ROLE` after connecting.
    pub role: Option<String>,
    /// What is managed: the objects the manifest check and the verification see.
    pub scope: Scope,
    /// What this apply admits (its own flags and configuration, never the plan's).
    pub policy: crate::policy::Policy,
    /// SIGINT / SIGTERM: cancel the running statement, roll back, record `interrupted` (`None`: not
    /// watched).
    pub interrupt: Option<Interrupt>,
    /// Sessions that read the target's catalog before and after the run, on one snapshot
    /// (`inspect_connections`).
    pub inspect_connections: usize,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            dry_run: false,
            external: Vec::new(),
            prove_on: crate::normalize::Options::default(),
            force: false,
            other_target: false,
            lock_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(60),
            long_statement_timeout: Duration::ZERO,
            lock_retries: 5,
            retry_backoff: Duration::from_millis(500),
            lock_wait: Duration::from_secs(30),
            history_schema: "accrete".to_string(),
            role: None,
            scope: Scope::default(),
            policy: crate::policy::Policy::default(),
            interrupt: None,
            // As many as `accrete.toml` gives when it does not say (the default the normalization has too).
            inspect_connections: crate::normalize::Options::default().inspect_connections,
        }
    }
}

/// How an apply ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every segment committed and every touched object verified.
    Applied { executed: usize, skipped: usize, history_id: i64 },
    /// Every touched object was in its after state already; nothing ran.
    AlreadyApplied,
    /// Every step ran on a scratch copy of the target's schema (`executed` and `skipped` there) and no count
    /// on the target found a row that would fail a step; nothing changed on the target.
    DryRun { executed: usize, skipped: usize },
}

/// How an apply ended badly; [`ApplyError::exit_code`] maps it to the documented exit codes.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// Refused before anything ran: a changed plan file, another target, objects changed since the plan.
    #[error("refused: {0}")]
    Refused(String),
    /// Failed, and nothing changed.
    #[error("{0:#}\nno step took effect: nothing the plan touches was changed")]
    FailedNothingChanged(anyhow::Error),
    /// Failed after some segments committed.
    #[error("{error:#}\n{}re-run the same plan to complete it", committed_text(.committed_segments))]
    Partial { committed_segments: Vec<u32>, error: anyhow::Error },
    /// Every segment committed, but the touched objects are not as planned.
    #[error("applied, but verification failed: {problem}")]
    Unverified { problem: String },
    /// Stopped by SIGINT or SIGTERM: the running statement cancelled, its transaction rolled back.
    #[error(
        "interrupted by {}: {what}; {}",
        .signal.name(),
        interrupted_text(.committed_segments, *.changed)
    )]
    Interrupted { signal: Signal, committed_segments: Vec<u32>, changed: bool, what: String },
}

fn interrupted_text(segments: &[u32], changed: bool) -> String {
    let list: Vec<String> = segments.iter().map(u32::to_string).collect();
    match (list.is_empty(), changed) {
        (true, false) => "nothing was committed; re-run the same plan to apply it".to_string(),
        (true, true) => "no segment committed; re-run the same plan to complete it".to_string(),
        (false, _) => format!("segments committed: {}; re-run the same plan to complete it", list.join(", ")),
    }
}

fn committed_text(segments: &[u32]) -> String {
    if segments.is_empty() {
        return "part of a non-transactional segment ran; ".to_string();
    }
    let list: Vec<String> = segments.iter().map(u32::to_string).collect();
    format!("segments committed: {}; ", list.join(", "))
}

impl ApplyError {
    pub fn exit_code(&self) -> i32 {
        match self {
            ApplyError::Refused(_) => 3,
            ApplyError::FailedNothingChanged(_) => 1,
            ApplyError::Partial { .. } | ApplyError::Unverified { .. } => 4,
            ApplyError::Interrupted { signal, .. } => signal.exit_code(),
        }
    }
}

fn failed(error: anyhow::Error) -> ApplyError {
    ApplyError::FailedNothingChanged(error)
}

/// Reads and parses a plan file; a changed file is refused (exit 3), anything else fails (exit 1).
pub fn load(path: &Path) -> Result<PlanFile, ApplyError> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading plan file {}", path.display()));
    parse(&text.map_err(failed)?).map_err(|e| match e {
        ParseError::ChecksumMismatch { .. } => ApplyError::Refused(format!("{}: {e}", path.display())),
        _ => failed(anyhow!(e).context(format!("reading plan file {}", path.display()))),
    })
}

/// One line per step whose class or hazards `policy` does not admit, naming the flag that would. A hazard
/// admitted only below a size is judged with the size the plan records for the step's table (format 2);
/// a format-1 plan records none, so such an entry does not admit its hazards.
pub fn admission(plan: &PlanFile, policy: &crate::policy::Policy) -> Vec<String> {
    use crate::policy::{OverBound, Refusal};
    let mut out = Vec::new();
    for (_, step) in plan.steps() {
        let size = step.size.as_ref().map(crate::planfile::StepSize::size);
        for refusal in policy.refusals(step.class, step.admitted_kind(), &step.hazards, size) {
            let mut what = refusal.what(step.size.as_ref().map(|s| &s.table));
            if let Refusal::Bound { over: OverBound::Unknown, .. } = refusal {
                what.push_str(if plan.format < 2 {
                    " (a format-1 plan records no table sizes: make the plan again to judge it by size)"
                } else {
                    " (the plan records no size for this step's table: a table the plan makes, or a step \
                     that locks none)"
                });
            }
            out.push(format!(
                "step {} ({}): {what}: pass {}",
                step.number,
                step.describe(),
                refusal.remedy()
            ));
        }
    }
    out
}

/// Every step hazard that `policy` admits only because its table is below a size: the step, the size the
/// plan records, the hazard and the bound.
fn bounded<'a>(
    plan: &'a PlanFile,
    policy: &crate::policy::Policy,
) -> Vec<(&'a Step, &'a crate::planfile::StepSize, crate::policy::Hazard, u64)> {
    let mut out = Vec::new();
    for (_, step) in plan.steps() {
        let Some(size) = &step.size else { continue };
        for &hazard in &step.hazards {
            if let Some(below) = policy.bound(hazard) {
                out.push((step, size, hazard, below));
            }
        }
    }
    out
}

/// Refuses when a table whose size admitted a hazard has grown to its bound or past it since the plan:
/// the live estimate is read again (`pg_class` only, no lock on the table).
async fn check_sizes(
    conn: &tokio_postgres::Client,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
) -> Result<(), ApplyError> {
    use crate::policy::{size_and_rows, size_text};
    let bounded = bounded(plan, &opts.policy);
    if bounded.is_empty() {
        return Ok(());
    }
    let live = crate::inspect::table_sizes(conn, &opts.scope)
        .await
        .context("reading the size of the tables whose hazards a size bound admits")
        .map_err(failed)?;
    let mut grown = Vec::new();
    for (step, planned, hazard, below) in &bounded {
        let Some(now) = live.get(&planned.table) else { continue };
        if now.bytes >= *below {
            grown.push(format!(
                "step {} ({}): table {} has grown from {} in the plan to {} now, not below the bound \
                 {hazard}:<{}: make a new plan, or pass --allow-hazard {hazard}",
                step.number,
                step.describe(),
                planned.table,
                size_and_rows(planned.size()),
                size_and_rows(*now),
                size_text(*below)
            ));
        }
    }
    if !grown.is_empty() {
        return Err(ApplyError::Refused(format!(
            "a table grew past the size bound that admits a hazard (policy: {}):\n  {}",
            opts.policy.describe(),
            grown.join("\n  ")
        )));
    }
    let tables: std::collections::BTreeSet<_> = bounded.iter().map(|b| &b.1.table).collect();
    say(
        out,
        &format!(
            "sizes: {} still below the bounds that admit their hazards",
            count(tables.len(), "table", "tables")
        ),
    );
    Ok(())
}

/// Applies `plan` to the database `params` names, writing progress to `out`.
///
/// A signal (`opts.interrupt`) before the segments start ends the apply at once with nothing changed;
/// once they run, the runner cancels, rolls back and records.
pub async fn apply(
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
) -> Result<Outcome, ApplyError> {
    let running = std::sync::atomic::AtomicBool::new(false);
    let before_run = async {
        let signal = interrupt::wait(opts.interrupt.as_ref()).await;
        if running.load(std::sync::atomic::Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        signal
    };
    tokio::select! {
        result = apply_inner(params, plan, opts, out, &running) => result,
        signal = before_run => Err(ApplyError::Interrupted {
            signal,
            committed_segments: Vec::new(),
            changed: false,
            what: "stopped before any segment ran".to_string(),
        }),
    }
}

/// Keepalives probe an idle apply connection after 30 s, every 10 s, 3 times (unless the connection
/// string says otherwise), and unacknowledged data fails the connection after 60 s: a stalled network
/// ends in an error within about a minute instead of the system's two hours.
fn with_keepalives(params: &ConnParams) -> ConnParams {
    let mut params = params.clone();
    let k = &mut params.keepalives;
    if k.enabled {
        k.idle.get_or_insert(Duration::from_secs(30));
        k.interval.get_or_insert(Duration::from_secs(10));
        k.count.get_or_insert(3);
        k.tcp_user_timeout.get_or_insert(Duration::from_secs(60));
    }
    params
}

async fn apply_inner(
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
    running: &std::sync::atomic::AtomicBool,
) -> Result<Outcome, ApplyError> {
    let app = format!("accrete/{}", plan.plan_id);
    let params = ConnParams { application_name: Some(app.clone()), ..with_keepalives(params) };
    say(
        out,
        &format!(
            "plan {}: {} in {}, {} (checksum verified)",
            plan.plan_id,
            count(plan.steps().count(), "step", "steps"),
            count(plan.segments.len(), "segment", "segments"),
            count(plan.manifest.len(), "touched object", "touched objects")
        ),
    );
    let refused = admission(plan, &opts.policy);
    if !refused.is_empty() {
        return Err(ApplyError::Refused(format!(
            "the plan has steps this apply does not admit (policy: {}):\n  {}",
            opts.policy.describe(),
            refused.join("\n  ")
        )));
    }
    let mut conn = crate::conn::connect(&params, &app).await.map_err(failed)?;
    let info = target::TargetInfo::read(&conn).await.map_err(failed)?;
    say(out, &info.describe(&params));
    if info.server_version_num != plan.target.server_version_num {
        let planned = plan.target.server_version_num;
        say(
            out,
            &format!(
                "note: planned against server_version_num {planned}, applying to {}",
                info.server_version_num
            ),
        );
    }
    if let Some(reason) = target::refusal(plan, &info, opts) {
        return Err(ApplyError::Refused(reason));
    }
    target::set_up_session(&conn, plan, opts).await.map_err(failed)?;
    let checked =
        phase_unshown("checking the touched objects", run::check_manifest(&params, plan, opts, out));
    let all_after = checked.await?.all_after();
    phase_unshown("checking the privileges", privileges::check(&conn, plan, opts, !all_after, out)).await?;
    if all_after {
        return run::already_applied(&params, plan, opts, out).await;
    }
    check_sizes(&conn.client, plan, opts, out).await?;
    if opts.dry_run {
        // No apply lock: a dry run changes nothing on the target, and an apply running meanwhile is one of
        // the things it cannot tell about.
        return phase_unshown("the dry run on a copy", run::dry_run(&conn, plan, opts, out)).await;
    }
    let waited = lock::acquire(&conn, opts.lock_wait).await.map_err(failed)?;
    let result = async {
        if waited && run::check_manifest(&params, plan, opts, out).await?.all_after() {
            return run::already_applied(&params, plan, opts, out).await;
        }
        running.store(true, std::sync::atomic::Ordering::SeqCst);
        run::execute(&mut conn, &params, plan, opts, out).await
    }
    .await;
    // The lock also ends with the session; releasing it here lets the next apply start at once.
    let _ = lock::release(&conn).await;
    result
}

#[cfg(test)]
mod majors_tests {
    #[test]
    fn inspect_and_the_server_binaries_support_the_same_majors() {
        assert_eq!(crate::inspect::SUPPORTED_MAJORS, crate::pg::SUPPORTED_MAJORS);
    }
}
