//! The phases of an apply after the target checks: the manifest check, the run of the segments with their
//! history, and the verification; or the dry run, which runs the segments on a scratch copy of the
//! target's schema ([`crate::apply::prove`]) and only reads the target.
//!
//! Invariant: every path that records an attempt also closes it (`applied`, `already-applied`, `failed`,
//! `partial`, `unverified`, `interrupted`), and the error returned says whether anything changed. A run
//! that could not close its row (killed, or its server gone) is closed by the next apply (`recover`).

use super::exec::{Outcomes, Runner, SegmentFailure, StepOutcome, count, say};
use super::history::{self, History};
use super::manifest::{self, PreCheck};
use super::{ApplyError, ApplyOptions, Outcome, failed};
use crate::conn::{ConnParams, Connection};
use crate::planfile::{PlanFile, Segment, Step};
use crate::progress::phase_unshown;
use std::collections::BTreeMap;
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
    let catalog = manifest::live_catalog(params, &app(plan), opts).await.map_err(failed)?;
    let check = manifest::pre_check(&plan.manifest, &catalog.digests_of(&manifest::touched(&plan.manifest)));
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
    let keys = check.neither.iter().map(|m| m.key.clone()).collect();
    let states = catalog.states(&keys);
    let mut list = String::new();
    for m in &check.neither {
        list.push_str(&format!("\n  {}", crate::escape::comment_text(&m.describe())));
        let entry = plan.manifest.iter().find(|e| e.key == m.key).expect("a mismatch is of a manifest entry");
        for line in manifest::changed_since(entry, states.get(&m.key).map(String::as_str)) {
            list.push_str(&format!("\n    {}", crate::escape::comment_text(&line)));
        }
    }
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

/// The dry run: on the target only reads (its catalog, and the data checks' counts: ACCESS SHARE at most);
/// the plan runs on a scratch copy of the target's current schema ([`crate::apply::prove`]); then the list of what
/// neither can tell. Fails naming the step that failed on the copy or that rows on the target would fail.
pub async fn dry_run(
    conn: &Connection,
    plan: &PlanFile,
    opts: &ApplyOptions,
    out: &mut (dyn Write + Send),
) -> Result<Outcome, ApplyError> {
    say(
        out,
        "dry run: the plan runs on a scratch copy of the target's current schema; the target is only read \
         (its catalog, and counts of the rows a step would fail on); nothing is recorded",
    );
    let mut scope = opts.scope.clone();
    scope.own_schema = opts.history_schema.clone();
    let live = crate::inspect::inspect(&conn.client, &scope)
        .await
        .map_err(|e| failed(e.context("inspecting the target")))?;
    let target = crate::apply::prove::Target {
        catalog: &live.catalog,
        server: &live.server,
        stubs: &opts.external,
        scope: &scope,
        on: &opts.prove_on,
        timeout: None,
    };
    say(out, "on the copy:");
    let proved = match crate::apply::prove::prove(&target, plan, None, out).await {
        Ok(proved) => proved,
        Err(crate::apply::prove::Error::Impossible(why)) => {
            return Err(failed(anyhow::anyhow!("dry run: not proven: {why}")));
        }
        Err(crate::apply::prove::Error::Failed(e)) => {
            return Err(failed(e.context("dry run: on a copy of the target's current schema")));
        }
        Err(e @ crate::apply::prove::Error::TimedOut(_)) => return Err(failed(anyhow::Error::new(e))),
    };
    say(out, &format!("{}: every touched object as planned", proved.status.header_line()));
    let checks = data_checks(conn, plan, &live, &proved.after, &scope).await;
    say(out, "on the target (read-only counts of the rows a step would fail on):");
    let (mut offending, mut cannot_tell) = (Vec::new(), Vec::new());
    if checks.is_empty() {
        say(out, "  no step depends on existing rows");
    }
    for (number, c) in &checks {
        let line = format!("step {number} · {}: {}", c.what, c.result());
        say(out, &format!("  {line}"));
        match &c.outcome {
            crate::check_data::Outcome::Count(n, _) if *n > 0 => offending.push(line),
            crate::check_data::Outcome::Count(..) => {}
            _ => cannot_tell.push(line),
        }
    }
    // A step that may fail on data and had no count (the planner's changes did not match it) is not passed.
    for (_, step) in plan.steps() {
        if step.has_hazard(crate::policy::Hazard::MayFailOnData)
            && !checks.iter().any(|(n, _)| *n == step.number)
        {
            cannot_tell.push(format!("step {} · {}: not counted", step.number, step.describe()));
        }
    }
    say(out, "what a dry run cannot tell:");
    for line in CANNOT_TELL.iter().map(|l| l.to_string()).chain(cannot_tell) {
        say(out, &format!("  {line}"));
    }
    if !offending.is_empty() {
        return Err(failed(anyhow::anyhow!(
            "dry run: rows on the target would fail {}:\n  {}",
            count(offending.len(), "step", "steps"),
            offending.join("\n  ")
        )));
    }
    Ok(Outcome::DryRun { executed: proved.executed, skipped: proved.skipped })
}

/// What neither the run on a copy nor the counts can tell.
const CANNOT_TELL: &[&str] = &[
    "lock waits on the real tables, and how long each step holds its locks there",
    "how long index builds, validations and table rewrites take on the real rows, and the disk space they need",
    "what other sessions write or change between now and the apply",
];

/// The `--check-data` counts for the plan's steps, run on the target (read-only), each with the number of
/// the plan file's step it belongs to. The changes are those that lead from `live` to `after` (the copy
/// once the plan ran), found by the planner itself; each is matched to the file's step by its words.
async fn data_checks(
    conn: &Connection,
    plan: &PlanFile,
    live: &crate::inspect::Inspected,
    after: &crate::catalog::Catalog,
    scope: &crate::scope::Scope,
) -> Vec<(u32, crate::check_data::Checked)> {
    let comparison = crate::diff::compare(after, &live.catalog, scope);
    let context = crate::plan::PlanContext::for_target(
        live,
        String::new(),
        live.server.current_user.clone(),
        None,
        vec![],
    );
    let policy = crate::policy::Policy::everything();
    let rebuilt = crate::plan::build(after, &live.catalog, comparison, &policy, context);
    let timeout = std::time::Duration::from_secs(30);
    let checked = crate::check_data::check(&conn.client, &rebuilt, timeout).await;
    checked
        .into_iter()
        .filter_map(|c| {
            let step = plan.steps().find(|(_, s)| s.describe() == crate::render::one_line(&c.what))?;
            Some((step.1.number, c))
        })
        .collect()
}

/// Runs every segment of `plan` on `conn` (a scratch copy of the target's schema, [`crate::apply::prove`]), in
/// order, each committed; nothing is recorded. The preamble runs first, but not its `SET ROLE`: the copy is
/// made and run by the scratch cluster's own role. Returns the steps executed and skipped; a failure names
/// the step and PostgreSQL's message.
pub async fn on_copy(
    conn: &mut Connection,
    plan: &PlanFile,
    before_event_trigger: &[(String, String)],
    out: &mut (dyn Write + Send),
) -> anyhow::Result<(usize, usize)> {
    use anyhow::Context;
    for stmt in plan.preamble.iter().filter(|s| crate::planfile::set_role(s).is_none()) {
        conn.client
            .simple_query(&stmt.text)
            .await
            .with_context(|| format!("plan line {}: {}", stmt.line, stmt.first_line()))?;
    }
    // No retries (nothing else runs in the copy) and no timeouts beyond the defaults.
    let opts = ApplyOptions { lock_retries: 0, ..ApplyOptions::default() };
    let mut runner = Runner::new(conn, &opts, out, None, None).await?;
    let (mut executed, mut skipped) = (0, 0);
    let mut pending: Vec<&(String, String)> = before_event_trigger.iter().collect();
    // A step line names the object (escaped as step lines escape names), then what the step does to it in
    // parentheses.
    let of = |step: &crate::planfile::Step, name: &str| {
        step.kind.fires_on_ddl()
            && step
                .name
                .strip_prefix(&crate::escape::step_name(name))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(" ("))
    };
    let waits = |pending: &[&(String, String)], step: &crate::planfile::Step| {
        pending.iter().any(|(name, _)| of(step, name))
    };
    for seg in &plan.segments {
        say(runner.out, &segment_heading(seg));
        // A statement of `before_event_trigger` runs just before the first step of its event trigger (or at
        // the end, when there is none): a segment is cut before each such step (in the copy only; the
        // target runs it whole).
        let mut cuts: Vec<usize> = (1..seg.steps.len()).filter(|&i| waits(&pending, &seg.steps[i])).collect();
        cuts.insert(0, 0);
        cuts.push(seg.steps.len());
        for range in cuts.windows(2) {
            let part = Segment { steps: seg.steps[range[0]..range[1]].to_vec(), ..seg.clone() };
            for step in &part.steps {
                for (_, sql) in pending.iter().filter(|(name, _)| of(step, name)) {
                    runner.conn.client.batch_execute(sql).await.with_context(|| sql.clone())?;
                }
                pending.retain(|(name, _)| !of(step, name));
            }
            let result = if part.transactional {
                runner.transactional(&part).await
            } else {
                runner.autocommit(&part).await
            };
            let outcomes = result.map_err(|failure| failure.error)?;
            let (e, s) = tally(&outcomes);
            executed += e;
            skipped += s;
        }
    }
    for (_, sql) in pending {
        runner.conn.client.batch_execute(sql).await.with_context(|| sql.clone())?;
    }
    Ok((executed, skipped))
}

/// The monitor connection (waits, blockers, build progress); without it the apply runs unwatched.
async fn open_monitor(params: &ConnParams, plan: &PlanFile) -> Option<Connection> {
    let app = format!("{} monitor", app(plan));
    let params = ConnParams { application_name: Some(app.clone()), ..params.clone() };
    match crate::conn::connect(&params, &app).await {
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
    let live = manifest::live_digests(params, &app(plan), opts, &plan.manifest).await?;
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
    let ran = phase_unshown("running the segments", run_segments(&mut runner, plan)).await;
    let (committed, executed, skipped) = ran?;
    let mut history = runner.history.take().expect("a real run has a history");
    let interrupt = opts.interrupt.clone();
    tokio::select! {
        verified = phase_unshown("verifying", verify(params, plan, opts, &mut history, runner.out)) => verified?,
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

/// Runs the segments in order, recording each; the committed segments and the steps executed and skipped.
async fn run_segments(
    runner: &mut Runner<'_>,
    plan: &PlanFile,
) -> Result<(Vec<u32>, usize, usize), ApplyError> {
    let (mut committed, mut executed, mut skipped) = (Vec::new(), 0, 0);
    for seg in &plan.segments {
        say(runner.out, &segment_heading(seg));
        let result =
            if seg.transactional { runner.transactional(seg).await } else { runner.autocommit(seg).await };
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
    Ok((committed, executed, skipped))
}

/// Records a finished segment: its transactional steps' outcomes (non-transactional ones are recorded
/// as they finish) and that it committed.
async fn record_segment(history: &mut History, seg: &Segment, outcomes: &Outcomes) -> anyhow::Result<()> {
    if seg.transactional {
        let by_number: BTreeMap<u32, &Step> = seg.steps.iter().map(|s| (s.number, s)).collect();
        let recorded: Vec<(&Step, StepOutcome)> =
            outcomes.iter().map(|(number, outcome)| (by_number[number], *outcome)).collect();
        history.steps(seg.number, &recorded).await?;
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
    let by_number: BTreeMap<u32, &Step> = seg.steps.iter().map(|s| (s.number, s)).collect();
    let mut recorded = Vec::new();
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
        recorded.push((by_number[number], outcome));
    }
    if let Err(e) = history.steps(seg.number, &recorded).await {
        notes.push(format!("{e:#}"));
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
    let live = manifest::live_digests(params, &app(plan), opts, &plan.manifest).await;
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
