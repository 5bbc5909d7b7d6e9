//! The phases of an apply after the target checks: the manifest check, the run (or dry run) of the
//! segments with their history, and the verification.
//!
//! Invariant: every path that records an attempt also closes it (`applied`, `already-applied`, `failed`,
//! `partial`, `unverified`, `interrupted`), and the error returned says whether anything changed. A run
//! that could not close its row (killed, or its server gone) is closed by the next apply (`recover`).

use super::exec::{Outcomes, Runner, SegmentFailure, StepOutcome, count, say};
use super::history::{self, History};
use super::manifest::{self, PreCheck};
use super::parse::{PlanFile, Segment};
use super::{ApplyError, ApplyOptions, Outcome, failed};
use crate::config::{ConnParams, Connection};
use std::io::Write;

fn app(plan: &PlanFile) -> String {
    format!("accrete/{}", plan.plan_id)
}

/// Rule 5: refuses (unless `force`) when a touched object is in neither its before nor its after state.
pub async fn check_manifest(
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
) -> Result<PreCheck, ApplyError> {
    let live = manifest::live_digests(params, &app(plan), &opts.scope, &opts.history_schema)
        .await
        .map_err(failed)?;
    let check = manifest::pre_check(&plan.manifest, &live);
    say(
        out,
        &format!(
            "touched objects: {} as before the plan, {} partly applied, {} as after it, {} changed since",
            check.before,
            check.during,
            check.after,
            check.neither.len()
        ),
    );
    if check.neither.is_empty() {
        return Ok(check);
    }
    let list: String = check.neither.iter().map(|m| format!("\n  {}", m.describe())).collect();
    if !opts.force {
        return Err(ApplyError::Refused(format!(
            "{} changed since the plan was made (in none of the states the plan expects):{list}\n  \
             help: make a new plan; or pass --force to apply this one anyway (each step's guard still \
             refuses an object that differs from what it would create)",
            count(check.neither.len(), "touched object", "touched objects")
        )));
    }
    say(out, &format!("--force: applying although these changed since the plan was made:{list}"));
    Ok(check)
}

/// Every touched object is in its after state: nothing runs; the attempt is recorded (not in a dry run).
pub async fn already_applied(
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
) -> Result<Outcome, ApplyError> {
    say(out, "already applied: every touched object is as the plan leaves it; nothing to do");
    if !opts.dry_run {
        let conn = history::open(params, &app(plan), opts.role.as_deref(), &opts.history_schema)
            .await
            .map_err(failed)?;
        let history = History::start(conn, &opts.history_schema, plan, "already-applied", None)
            .await
            .map_err(failed)?;
        if let Err(e) = recover(&history, params, plan, opts, false, out).await {
            say(out, &format!("note: settling earlier interrupted applies in the history failed: {e:#}"));
        }
    }
    Ok(Outcome::AlreadyApplied)
}

/// Runs the transactional segments and rolls each back; lists the others as not exercised.
pub async fn dry_run(
    conn: &mut Connection,
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
) -> Result<Outcome, ApplyError> {
    say(
        out,
        "dry run: each transactional segment runs and is rolled back; the locks it takes are real and held \
         until its rollback; nothing is recorded",
    );
    let monitor = open_monitor(params, plan).await;
    let mut runner = Runner::new(conn, opts, out, None, monitor).await.map_err(failed)?;
    let (mut executed, mut skipped, mut not_exercised) = (0, 0, Vec::new());
    let mut rolled_back_before = false;
    for seg in &plan.segments {
        say(runner.out, &segment_heading(seg));
        if !seg.transactional {
            for step in &seg.steps {
                say(
                    runner.out,
                    &format!(
                        "  step {} · {}: not exercised (non-transactional)",
                        step.number,
                        step.describe()
                    ),
                );
                not_exercised.push(step.number);
            }
            continue;
        }
        match runner.transactional(seg, true).await {
            Ok(outcomes) => {
                let (e, s) = tally(&outcomes);
                executed += e;
                skipped += s;
                say(runner.out, &format!("segment {}: rolled back (dry run)", seg.number));
                rolled_back_before = true;
            }
            Err(failure) => {
                if let Some(signal) = runner.interrupted {
                    return Err(ApplyError::Interrupted {
                        signal,
                        committed_segments: Vec::new(),
                        changed: false,
                        what: format!("dry run stopped in segment {} (rolled back)", seg.number),
                    });
                }
                let mut error = failure.error.context(format!("dry run, segment {}", seg.number));
                if rolled_back_before {
                    error = error.context(
                        "earlier segments were rolled back, so a step that depends on them fails in a dry run",
                    );
                }
                return Err(failed(error));
            }
        }
    }
    Ok(Outcome::DryRun { executed, skipped, not_exercised })
}

/// The monitor connection (waits, blockers, build progress); without it the apply runs unwatched.
async fn open_monitor(params: &ConnParams, plan: &PlanFile) -> Option<Connection> {
    let app = format!("{} monitor", app(plan));
    let params = ConnParams { application_name: Some(app.clone()), ..params.clone() };
    match crate::config::connect(&params, &app).await {
        Ok(conn) => Some(conn),
        Err(e) => {
            tracing::debug!("no monitor connection: {e:#}");
            None
        }
    }
}

/// Settles what an earlier apply left open: runs whose session is gone become `interrupted`, and this
/// plan's `running` or `interrupted` steps whose object is as planned become `executed`.
/// `locked`: this apply holds the apply lock.
async fn recover(
    history: &History,
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    locked: bool,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let orphans = history::orphans(history.conn(), &opts.history_schema, plan, locked, history.id).await?;
    for id in &orphans.runs {
        say(out, &format!("history {id}: its apply ended without recording it (session gone): interrupted"));
    }
    if orphans.steps.is_empty() {
        return Ok(());
    }
    let live = manifest::live_digests(params, &app(plan), &opts.scope, &opts.history_schema).await?;
    for line in history::settle(history.conn(), &opts.history_schema, plan, &orphans, &live).await? {
        say(out, &line);
    }
    Ok(())
}

/// Runs every segment for real, recording each step, then verifies.
pub async fn execute(
    conn: &mut Connection,
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
) -> Result<Outcome, ApplyError> {
    let history_conn = history::open(params, &app(plan), opts.role.as_deref(), &opts.history_schema)
        .await
        .map_err(failed)?;
    let pid: i32 = conn
        .client
        .query_one("SELECT pg_catalog.pg_backend_pid()", &[])
        .await
        .map_err(|e| failed(e.into()))?
        .get(0);
    let history = History::start(history_conn, &opts.history_schema, plan, "started", Some(pid))
        .await
        .map_err(failed)?;
    say(out, &format!("recording in {}.history, id {}", opts.history_schema, history.id));
    if let Err(e) = recover(&history, params, plan, opts, true, out).await {
        say(out, &format!("note: settling earlier interrupted applies in the history failed: {e:#}"));
    }
    let monitor = open_monitor(params, plan).await;
    let mut runner = Runner::new(conn, opts, out, Some(history), monitor).await.map_err(failed)?;
    let (mut committed, mut executed, mut skipped) = (Vec::new(), 0, 0);
    for seg in &plan.segments {
        say(runner.out, &segment_heading(seg));
        let result = if seg.transactional {
            runner.transactional(seg, false).await
        } else {
            runner.autocommit(seg).await
        };
        let outcomes = match result {
            Ok(outcomes) => outcomes,
            Err(failure) => {
                let interrupted = runner.interrupted;
                let lost = runner.conn.client.is_closed() || runner.abandoned.is_some();
                let history = runner.history.as_mut().expect("a real run has a history");
                return Err(
                    record_failure(history, seg, failure, committed, interrupted, lost, runner.out).await
                );
            }
        };
        committed.push(seg.number);
        let history = runner.history.as_mut().expect("a real run has a history");
        let recorded = record_segment(history, seg, &outcomes).await;
        if let Err(error) = recorded {
            let _ = history.finish("partial", None, Some(&format!("{error:#}"))).await;
            return Err(ApplyError::Partial { committed_segments: committed, error });
        }
        let (e, s) = tally(&outcomes);
        executed += e;
        skipped += s;
        say(
            runner.out,
            &format!("segment {}: {}", seg.number, if seg.transactional { "committed" } else { "done" }),
        );
    }
    let mut history = runner.history.take().expect("a real run has a history");
    let interrupt = opts.interrupt.clone();
    tokio::select! {
        verified = verify(params, plan, opts, &mut history, runner.out) => verified?,
        signal = super::interrupt::wait(interrupt.as_ref()) => {
            let what = "every segment committed; the verification was interrupted";
            let _ = history.finish("interrupted", None, Some(what)).await;
            return Err(ApplyError::Interrupted {
                signal,
                committed_segments: committed,
                changed: true,
                what: what.to_string(),
            });
        }
    }
    Ok(Outcome::Applied { executed, skipped, history_id: history.id })
}

/// Records a finished segment: its transactional steps' outcomes (non-transactional ones are recorded
/// as they finish) and that it committed.
async fn record_segment(history: &mut History, seg: &Segment, outcomes: &Outcomes) -> anyhow::Result<()> {
    if seg.transactional {
        for (number, outcome) in outcomes {
            let step =
                seg.steps.iter().find(|s| s.number == *number).expect("outcomes are of the segment's steps");
            history.step(seg.number, step, *outcome).await?;
        }
    }
    history.segment_committed(seg.number).await
}

/// Records a failed segment's step outcomes and closes the attempt; returns the error to report.
/// `interrupted`: a signal stopped it; `lost`: the apply connection is gone, so the failing step's outcome
/// is unknown (recorded `interrupted`; the next apply settles it).
async fn record_failure(
    history: &mut History,
    seg: &Segment,
    failure: SegmentFailure,
    committed: Vec<u32>,
    interrupted: Option<super::Signal>,
    lost: bool,
    out: &mut (dyn Write + Send),
) -> ApplyError {
    let mut notes = Vec::new();
    for (number, outcome) in &failure.outcomes {
        // Executed steps of a non-transactional segment are recorded already.
        if !seg.transactional && *outcome != StepOutcome::Failed {
            continue;
        }
        let outcome = match outcome {
            StepOutcome::Failed if interrupted.is_some() || lost => StepOutcome::Interrupted,
            // With the connection gone at its COMMIT, the segment's steps recorded `running` may have
            // committed: they stay `running` for the next apply to settle.
            StepOutcome::RolledBack if lost => continue,
            other => *other,
        };
        let step =
            seg.steps.iter().find(|s| s.number == *number).expect("outcomes are of the segment's steps");
        if let Err(e) = history.step(seg.number, step, outcome).await {
            notes.push(format!("{e:#}"));
        }
    }
    let changed = !committed.is_empty() || failure.changed;
    let status = match (interrupted, changed) {
        (Some(_), _) => "interrupted",
        (None, true) => "partial",
        (None, false) => "failed",
    };
    say(
        out,
        &format!("segment {}: {}", seg.number, if seg.transactional { "rolled back" } else { "stopped" }),
    );
    if let Err(e) = history.finish(status, None, Some(&format!("{:#}", failure.error))).await {
        notes.push(format!("{e:#}"));
    }
    let mut error = failure.error;
    if !notes.is_empty() {
        error = error.context(format!("the history could not record all of it: {}", notes.join("; ")));
    }
    if let Some(signal) = interrupted {
        let step = failure.outcomes.last().map(|(n, _)| *n).unwrap_or_default();
        let what = match seg.transactional {
            true => format!("step {step} was cancelled and segment {} rolled back", seg.number),
            false => format!(
                "step {step} was cancelled; segment {} is non-transactional, so the steps before it in the \
                 segment stay done",
                seg.number
            ),
        };
        return ApplyError::Interrupted { signal, committed_segments: committed, changed, what };
    }
    if changed { ApplyError::Partial { committed_segments: committed, error } } else { failed(error) }
}

/// Inspects again: every touched object must be in its after state. Closes the history row.
async fn verify(
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
    history: &mut History,
    out: &mut (dyn Write + Send),
) -> Result<(), ApplyError> {
    let live = manifest::live_digests(params, &app(plan), &opts.scope, &opts.history_schema).await;
    let problem = match live {
        Err(e) => format!("inspecting the target: {e:#}"),
        Ok(live) => {
            let mismatches = manifest::verify(&plan.manifest, &live, plan.rollback_of.is_some());
            if mismatches.is_empty() {
                let n = count(plan.manifest.len(), "touched object is", "touched objects are");
                say(out, &format!("verified: {n} as planned"));
                history.finish("applied", Some(true), None).await.map_err(|e| ApplyError::Unverified {
                    problem: format!("recording the result: {e:#}"),
                })?;
                return Ok(());
            }
            let list: String = mismatches.iter().map(|m| format!("\n  {}", m.describe())).collect();
            format!(
                "{} not as planned:{list}",
                count(mismatches.len(), "touched object is", "touched objects are")
            )
        }
    };
    if let Err(e) = history.finish("unverified", Some(false), Some(&problem)).await {
        return Err(ApplyError::Unverified { problem: format!("{problem}\n(recording it failed: {e:#})") });
    }
    Err(ApplyError::Unverified { problem })
}

fn segment_heading(seg: &Segment) -> String {
    let kind = if seg.transactional { "transactional" } else { "non-transactional" };
    format!("segment {} ({kind}, {})", seg.number, count(seg.steps.len(), "step", "steps"))
}

fn tally(outcomes: &Outcomes) -> (usize, usize) {
    let count = |o| outcomes.iter().filter(|(_, x)| *x == o).count();
    (count(StepOutcome::Executed), count(StepOutcome::Skipped))
}
