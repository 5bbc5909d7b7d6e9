//! `plan` and `apply` across a selection.
//!
//! `plan` writes one reviewed plan file per target that has changes (and its rollback) into one directory,
//! with `fleet.json`, the index `apply` reads: each target's file and its group, the targets whose plans
//! are identical in content (up to a tenant's schema name and the digests that follow from it), so that a
//! reviewer reads one file per group.
//!
//! `apply` runs the index's plans: the first target alone (the canary), then the rest in waves of
//! `--wave-size`, at most `--jobs` at once, each target with the safety of a single apply (its advisory
//! lock, history and verification); tenants of one database take turns. A wave with a failure ends the
//! rollout: the report says which targets are done, which failed and which were not run.

use super::DesiredFiles;
use super::drift::{Live, inspect_live};
use super::normalizer::Normalizer;
use super::{Limits, Member, Selection};
use crate::config::FileConfig;
use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The index `plan` writes beside the plan files.
pub const INDEX: &str = "fleet.json";
const INDEX_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Index {
    format_version: u32,
    targets: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    name: String,
    /// The plan file (in the index's directory), when the target has changes.
    plan: Option<String>,
    plan_id: Option<String>,
    steps: usize,
    /// Targets of one group have plans identical in content.
    group: Option<usize>,
    exit: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// One fleet plan run.
pub struct PlanRun {
    pub desired: DesiredFiles,
    pub selection: Selection,
    pub limits: Limits,
    pub policy: crate::policy::Policy,
    pub role: Option<String>,
    pub no_prove: bool,
    /// The directory the plans go to (default `plans/fleet-<id>`).
    pub out: Option<PathBuf>,
    pub project_dir: PathBuf,
    pub json: bool,
    /// `-q`: no text report.
    pub quiet: bool,
}

/// One target's plan, rendered but not yet written.
struct Planned {
    name: String,
    exit: u8,
    error: Option<String>,
    rendered: Option<(crate::render::Rendered, Option<String>)>,
    steps: usize,
    summary: Vec<String>,
    /// What makes two plans the same for a reviewer.
    content: Option<String>,
}

pub async fn plan(run: PlanRun) -> Result<u8> {
    let members = super::selected(&run.desired.file, &run.selection, run.limits.timeout).await?;
    let normalizer = Normalizer::new(run.desired.clone());
    let planned = super::each(&members, run.limits.jobs, "plan", |m| plan_one(m, &normalizer, &run)).await;
    normalizer.close().await;
    // Groups: by content, numbered in the order of their first target.
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    let mut group_of = Vec::new();
    for p in &planned {
        group_of.push(p.content.as_ref().map(|c| {
            let next = groups.len() + 1;
            *groups.entry(c.clone()).or_insert(next)
        }));
    }
    let ids: Vec<String> = planned
        .iter()
        .filter_map(|p| p.rendered.as_ref().map(|(r, _)| format!("{} {}", p.name, r.id)))
        .collect();
    let dir = match &run.out {
        Some(dir) => dir.clone(),
        None => {
            use sha2::Digest;
            let id = hex::encode(sha2::Sha256::digest(ids.join("\n").as_bytes()));
            run.project_dir.join("plans").join(format!("fleet-{}", &id[..12]))
        }
    };
    let mut entries = Vec::new();
    if planned.iter().any(|p| p.rendered.is_some()) {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    for (p, group) in planned.iter().zip(&group_of) {
        let mut entry = Entry {
            name: p.name.clone(),
            plan: None,
            plan_id: None,
            steps: p.steps,
            group: *group,
            exit: p.exit,
            error: p.error.clone(),
        };
        if let Some((rendered, rollback)) = &p.rendered {
            let stem = super::file_stem(&p.name);
            let file = format!("{stem}.sql");
            std::fs::write(dir.join(&file), &rendered.text).with_context(|| format!("writing {file}"))?;
            let rollback_file = dir.join(format!("{stem}.rollback.sql"));
            match rollback {
                Some(text) => std::fs::write(&rollback_file, text).context("writing a rollback")?,
                None => {
                    let _ = std::fs::remove_file(&rollback_file);
                }
            }
            entry.plan = Some(file);
            entry.plan_id = Some(rendered.id.clone());
        }
        entries.push(entry);
    }
    let index = Index { format_version: INDEX_FORMAT, targets: entries };
    if index.targets.iter().any(|e| e.plan.is_some()) {
        let text = serde_json::to_string_pretty(&index).expect("the index serializes") + "\n";
        std::fs::write(dir.join(INDEX), text).context("writing the fleet index")?;
    } else {
        // An index left by an earlier run must not stay beside plans that are no longer wanted.
        let _ = std::fs::remove_file(dir.join(INDEX));
    }
    if run.json {
        for e in &index.targets {
            println!(
                "{}",
                serde_json::json!({"target": {"name": e.name}, "exit": e.exit, "plan": e.plan.as_ref().map(|f| dir.join(f)), "plan_id": e.plan_id, "steps": e.steps, "group": e.group, "error": e.error})
            );
        }
    } else if !run.quiet {
        print!("{}", plan_text(&planned, &index, &dir));
    }
    Ok(planned.iter().map(|p| p.exit).max().unwrap_or(0))
}

fn plan_text(planned: &[Planned], index: &Index, dir: &Path) -> String {
    let line = crate::escape::comment_text;
    let mut out = String::new();
    for (p, e) in planned.iter().zip(&index.targets) {
        match (&p.error, &e.plan) {
            (Some(err), _) => writeln!(out, "{}: error: {}", line(&p.name), line(err)).unwrap(),
            (None, None) => writeln!(out, "{}: nothing to plan", line(&p.name)).unwrap(),
            (None, Some(file)) => writeln!(
                out,
                "{}: {} step(s), group {}: {}",
                line(&p.name),
                p.steps,
                e.group.unwrap_or(0),
                dir.join(file).display()
            )
            .unwrap(),
        }
    }
    let mut groups: BTreeMap<usize, Vec<&Entry>> = BTreeMap::new();
    for e in &index.targets {
        if let Some(g) = e.group {
            groups.entry(g).or_default().push(e);
        }
    }
    for (g, members) in &groups {
        let first = members[0];
        let summary = planned
            .iter()
            .find(|p| p.name == first.name)
            .map(|p| p.summary.iter().map(|l| l.trim()).collect::<Vec<_>>().join("; "))
            .unwrap_or_default();
        writeln!(
            out,
            "group {g}: {} target(s) with the same plan ({}); review {}",
            members.len(),
            line(&summary),
            dir.join(first.plan.as_deref().unwrap_or_default()).display()
        )
        .unwrap();
    }
    let with = index.targets.iter().filter(|e| e.plan.is_some()).count();
    let errors = index.targets.iter().filter(|e| e.error.is_some()).count();
    writeln!(
        out,
        "{} target(s): {with} with a plan in {} group(s), {} with nothing to plan, {errors} error(s)",
        index.targets.len(),
        groups.len(),
        index.targets.len() - with - errors
    )
    .unwrap();
    if with > 0 {
        writeln!(out, "review them, then: accrete apply {}", dir.join(INDEX).display()).unwrap();
    }
    out
}

async fn plan_one(member: Member, normalizer: &Normalizer, run: &PlanRun) -> Planned {
    let name = member.name.clone();
    match plan_inner(&member, normalizer, run).await {
        Ok(p) => p,
        Err((exit, e)) => Planned {
            name,
            exit,
            error: Some(format!("{e:#}")),
            rendered: None,
            steps: 0,
            summary: Vec::new(),
            content: None,
        },
    }
}

async fn plan_inner(
    member: &Member,
    normalizer: &Normalizer,
    run: &PlanRun,
) -> Result<Planned, (u8, anyhow::Error)> {
    let err = |e: anyhow::Error| (1u8, e);
    let file = &run.desired.file;
    let Live { inspected: mut live, stubs, extensions } =
        inspect_live(member, normalizer, run.limits.timeout, "accrete/plan", run.role.as_deref())
            .await
            .map_err(err)?;
    let used = normalizer
        .desired(member, &live.server, &stubs, extensions.as_ref(), &mut live.catalog)
        .await
        .map_err(err)?;
    let desired = used.desired;
    let scope = member.scope(file);
    let mut comparison = crate::diff::compare(&desired.catalog, &live.catalog, &scope);
    crate::snapshot::align::mark_unconfirmed(&mut comparison, &used.unconfirmed);
    let open: Vec<String> = comparison
        .likely_renames
        .iter()
        .filter(|r| !file.renames.is_new(r.to.kind, &r.to.name))
        .map(|r| format!("{} {} -> {} {}", r.from.kind, r.from.name, r.to.kind, r.to.name))
        .collect();
    if !open.is_empty() {
        return Err((
            3,
            anyhow!(
                "refused: likely rename(s) not answered ([renames] new, or rename by hand): {}",
                open.join("; ")
            ),
        ));
    }
    let context = crate::plan::PlanContext::for_target(
        &live,
        desired.normalized_on.clone(),
        run.role.clone().unwrap_or_else(|| live.server.current_user.clone()),
        run.role.clone(),
        stubs.iter().map(crate::external::Stub::assumed).collect(),
    );
    let mut plan = crate::plan::build(&desired.catalog, &live.catalog, comparison, &run.policy, context);
    let planned = plan.steps().map(|s| &s.change);
    let unmet = crate::plan::unmet_dependencies(&desired.catalog, &live.catalog, planned);
    if !unmet.is_empty() {
        return Err(err(anyhow!("the plan would fail at apply: {}", unmet.join("; "))));
    }
    let steps = plan.step_count();
    if steps == 0 {
        return Ok(Planned {
            name: member.name.clone(),
            exit: 0,
            error: None,
            rendered: None,
            steps,
            summary: Vec::new(),
            content: None,
        });
    }
    let proof = match run.no_prove {
        true => crate::plan::ProofStatus::Skipped,
        false => {
            // Bounded like the target's inspection: a proof slower than --timeout is this target's error,
            // its scratch copy dropped, and the other targets go on.
            let timeout = Some(run.limits.timeout);
            crate::apply::prove::before_writing(
                &plan,
                &live,
                &stubs,
                &scope,
                &desired.catalog,
                &run.desired.options,
                timeout,
            )
            .await
            .map_err(err)?
        }
    };
    plan.proof = Some(proof);
    let rendered = crate::render::plan_file(&plan);
    let rollback = crate::plan::rollback::build(
        &plan,
        &rendered.id,
        &file.history_schema,
        &desired.catalog.dependencies,
    )
    .map(|r| crate::render::plan_file(&r).text);
    let tenant = member.tenant.as_deref().zip(file.fleet.tenants.as_ref().map(|t| t.template.as_str()));
    let content = Some(content_key(&rendered.text, tenant));
    Ok(Planned {
        name: member.name.clone(),
        exit: 0,
        error: None,
        summary: crate::render::summary_lines(&plan),
        rendered: Some((rendered, rollback)),
        steps,
        content,
    })
}

/// What a reviewer reads of a plan: its statements after the header, with a tenant's schema name written as
/// the template's, the digests (which follow from the names) masked, and without the table sizes (which
/// differ from target to target).
fn content_key(text: &str, tenant: Option<(&str, &str)>) -> String {
    use sha2::Digest;
    let body = text.find("\nSET search_path").map_or(text, |i| &text[i..]);
    let body = &crate::render::without_sizes(body);
    let body = match tenant {
        Some((tenant, template)) => replace_word(body, tenant, template),
        None => body.to_string(),
    };
    let masked = mask_digests(&body);
    hex::encode(sha2::Sha256::digest(masked.as_bytes()))
}

/// `from` replaced by `to` where it stands as a whole identifier (not inside a longer one).
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(ident) || after.is_some_and(ident) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// Runs of 64 hex digits (the digests of guards and the manifest) as `<digest>`.
fn mask_digests(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut start = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
        if run >= 64 {
            out.push_str(&text[start..i]);
            out.push_str("<digest>");
            i += run;
            start = i;
        } else {
            i += run.max(1);
        }
    }
    out.push_str(&text[start..]);
    out
}

/// One fleet apply run.
pub struct ApplyRun {
    pub file: FileConfig,
    pub index: PathBuf,
    pub selection: Selection,
    pub limits: Limits,
    pub wave_size: usize,
    pub policy: crate::policy::Policy,
    pub role: Option<String>,
    pub lock_timeout: std::time::Duration,
    pub lock_wait: std::time::Duration,
    pub force: bool,
    /// `--format json`: JSON Lines, one document per target of the index.
    pub json: bool,
    /// `-q`: the report only when the rollout stopped.
    pub quiet: bool,
}

/// One target's apply.
#[derive(Debug, Clone, Default)]
struct Applied {
    name: String,
    /// 0 when done (applied or already applied).
    exit: u8,
    /// `applied`, `already_applied` or `failed`.
    outcome: &'static str,
    /// Steps run and steps their guards skipped (an apply that ran).
    steps: Option<(usize, usize)>,
    history_id: Option<i64>,
    /// `passed` (every touched object as planned), `failed`, or none when it did not get that far.
    verification: Option<&'static str>,
    error: Option<String>,
}

impl Applied {
    /// The line of the text report.
    fn what(&self) -> String {
        match (self.outcome, &self.error, self.steps) {
            ("already_applied", _, _) => "already applied".to_string(),
            (_, Some(e), _) => format!("failed (exit {}): {e}", self.exit),
            (_, None, Some((executed, skipped))) => {
                format!("applied ({executed} executed, {skipped} skipped by their guards)")
            }
            _ => self.outcome.to_string(),
        }
    }
}

/// A wave's name: 0 is the canary.
fn wave_name(wave: usize) -> String {
    if wave == 0 { "canary".to_string() } else { format!("wave {wave}") }
}

/// One JSON line of `apply --format json`: a target of the index, run (`applied`, `already_applied`,
/// `failed`) or `not_run` (its wave never started; `exit` null).
fn json_line(entry: &Entry, dir: &Path, wave: usize, applied: Option<&Applied>) -> serde_json::Value {
    let outcome = applied.map_or("not_run", |a| a.outcome);
    serde_json::json!({
        "target": { "name": entry.name },
        "exit": applied.map(|a| a.exit),
        "outcome": outcome,
        "wave": wave,
        "wave_name": wave_name(wave),
        "plan": entry.plan.as_ref().map(|f| dir.join(f)),
        "plan_id": entry.plan_id,
        "steps": entry.steps,
        "executed": applied.and_then(|a| a.steps).map(|s| s.0),
        "skipped": applied.and_then(|a| a.steps).map(|s| s.1),
        "verification": applied.and_then(|a| a.verification),
        "history_id": applied.and_then(|a| a.history_id),
        "error": applied.and_then(|a| a.error.clone()),
    })
}

pub async fn apply(run: ApplyRun) -> Result<u8> {
    let text =
        std::fs::read_to_string(&run.index).with_context(|| format!("reading {}", run.index.display()))?;
    let index: Index = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a fleet index", run.index.display()))?;
    if index.format_version != INDEX_FORMAT {
        anyhow::bail!("{}: fleet index format {} is not known", run.index.display(), index.format_version);
    }
    let dir = run.index.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut wanted: Vec<&Entry> = index.targets.iter().filter(|e| e.plan.is_some()).collect();
    let narrowed = run.selection.all || !run.selection.tags.is_empty() || !run.selection.targets.is_empty();
    let selection = Selection {
        targets: if narrowed {
            run.selection.targets.clone()
        } else {
            wanted.iter().map(|e| e.name.clone()).collect()
        },
        ..run.selection.clone()
    };
    let members: BTreeMap<String, Member> = super::resolve(&run.file, &selection, run.limits.timeout)
        .await
        .into_iter()
        .map(|m| (m.name.clone(), m))
        .collect();
    if narrowed {
        wanted.retain(|e| members.contains_key(&e.name));
    }
    let interrupt =
        crate::apply::Interrupt::on_signals().context("installing the SIGINT and SIGTERM handlers")?;
    let locks: tokio::sync::Mutex<BTreeMap<String, Arc<tokio::sync::Mutex<()>>>> = Default::default();
    let mut results: Vec<(Applied, usize)> = Vec::new();
    let mut waves: Vec<Vec<&Entry>> = Vec::new();
    if let Some((canary, rest)) = wanted.split_first() {
        waves.push(vec![canary]);
        waves.extend(rest.chunks(run.wave_size.max(1)).map(<[&Entry]>::to_vec));
    }
    let mut stopped_after = None;
    for (w, wave) in waves.iter().enumerate() {
        if stopped_after.is_some() {
            break;
        }
        let wave_members: Vec<Member> = wave
            .iter()
            .map(|e| {
                members.get(&e.name).cloned().unwrap_or_else(|| Member {
                    name: e.name.clone(),
                    tags: Vec::new(),
                    params: Err("not found among the targets of accrete.toml any more".to_string()),
                    tenant: None,
                })
            })
            .collect();
        let label = wave_name(w);
        let applied = super::each(&wave_members, run.limits.jobs, &format!("apply, {label}"), |m| {
            let entry = wave.iter().find(|e| e.name == m.name).expect("a member of the wave");
            let path = dir.join(entry.plan.as_deref().expect("entries with a plan"));
            apply_one(m, path, &run, interrupt.clone(), &locks)
        })
        .await;
        let failed = applied.iter().any(|a| a.exit != 0);
        results.extend(applied.into_iter().map(|a| (a, w)));
        if failed {
            stopped_after = Some(w);
        }
    }
    let exit = results.iter().map(|(a, _)| a.exit).max().unwrap_or(0);
    if run.json {
        for (w, wave) in waves.iter().enumerate() {
            for entry in wave {
                let applied = results.iter().find(|(a, _)| a.name == entry.name).map(|(a, _)| a);
                println!("{}", json_line(entry, &dir, w, applied));
            }
        }
        return Ok(exit);
    }
    let line = crate::escape::comment_text;
    let mut out = String::new();
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for (a, w) in &results {
        writeln!(out, "{} ({}): {}", line(&a.name), wave_name(*w), line(&a.what())).unwrap();
        if a.exit == 0 { done.push(line(&a.name)) } else { failed.push(line(&a.name)) }
    }
    let not_run: Vec<String> = wanted
        .iter()
        .filter(|e| !results.iter().any(|(a, _)| a.name == e.name))
        .map(|e| line(&e.name))
        .collect();
    if let Some(w) = stopped_after {
        let wave = if w == 0 { "the canary".to_string() } else { wave_name(w) };
        writeln!(out, "rollout stopped: {wave} had a failure").unwrap();
    }
    writeln!(out, "done ({}): {}", done.len(), done.join(", ")).unwrap();
    if !failed.is_empty() {
        writeln!(out, "failed ({}): {}", failed.len(), failed.join(", ")).unwrap();
    }
    if !not_run.is_empty() {
        writeln!(out, "not run ({}): {}", not_run.len(), not_run.join(", ")).unwrap();
    }
    if !run.quiet || stopped_after.is_some() {
        print!("{out}");
    }
    Ok(exit)
}

async fn apply_one(
    member: Member,
    path: PathBuf,
    run: &ApplyRun,
    interrupt: crate::apply::Interrupt,
    locks: &tokio::sync::Mutex<BTreeMap<String, Arc<tokio::sync::Mutex<()>>>>,
) -> Applied {
    let name = member.name.clone();
    let fail = |exit: u8, error: String| Applied {
        name: name.clone(),
        exit,
        outcome: "failed",
        error: Some(error),
        ..Default::default()
    };
    let params = match &member.params {
        Ok(p) => p.clone(),
        Err(e) => return fail(1, e.clone()),
    };
    let plan = match crate::apply::load(&path) {
        Ok(plan) => plan,
        Err(e) => return fail(e.exit_code() as u8, e.to_string()),
    };
    let options = crate::apply::ApplyOptions {
        force: run.force,
        lock_timeout: run.lock_timeout,
        lock_wait: run.lock_wait,
        history_schema: run.file.history_schema.clone(),
        role: run.role.clone(),
        scope: member.scope(&run.file),
        policy: run.policy.clone(),
        interrupt: Some(interrupt),
        inspect_connections: run.file.inspect_connections,
        ..Default::default()
    };
    // Tenants of one database take turns, as their applies would on its advisory lock.
    let lock = locks.lock().await.entry(member.database()).or_default().clone();
    let _turn = lock.lock().await;
    let mut sink = std::io::sink();
    let done = |outcome: &'static str| Applied {
        name: name.clone(),
        outcome,
        verification: Some("passed"),
        ..Default::default()
    };
    match crate::apply::apply(&params, &plan, &options, &mut sink).await {
        Ok(crate::apply::Outcome::Applied { executed, skipped, history_id }) => {
            Applied { steps: Some((executed, skipped)), history_id: Some(history_id), ..done("applied") }
        }
        Ok(crate::apply::Outcome::AlreadyApplied) => done("already_applied"),
        // A fleet apply is never a dry run (`--dry-run` is for one plan file).
        Ok(crate::apply::Outcome::DryRun { .. }) => Applied { verification: None, ..done("dry_run") },
        Err(e) => {
            let mut failed = fail(e.exit_code() as u8, e.to_string());
            if matches!(e, crate::apply::ApplyError::Unverified { .. }) {
                failed.verification = Some("failed");
            }
            failed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_plans_compare_as_the_template() {
        let a = "-- x\nSET search_path = '';\nCREATE TABLE tenant_01.t (id int); -- 'abc' \\x".to_string()
            + &"a".repeat(64);
        let b = "-- y\nSET search_path = '';\nCREATE TABLE tenant_02.t (id int); -- 'abc' \\x".to_string()
            + &"b".repeat(64);
        assert_eq!(
            content_key(&a, Some(("tenant_01", "tenant"))),
            content_key(&b, Some(("tenant_02", "tenant")))
        );
        assert_ne!(content_key(&a, None), content_key(&b, None));
        assert_eq!(
            replace_word("tenant_01x tenant_01.t \"tenant_01\"", "tenant_01", "t"),
            "tenant_01x t.t \"t\""
        );
    }

    #[test]
    fn plans_that_differ_only_in_table_sizes_compare_equal() {
        let plan = |bytes: u64, size: &str| {
            format!(
                "-- h\nSET search_path = '';\n-- step 1 · add column app.t.c · hazards: rewrites-table\n\
                 -- accrete:size {{\"table\":{{\"schema\":\"app\",\"name\":\"t\"}},\"bytes\":{bytes},\"rows\":1}}\n\
                 --   lock: ACCESS EXCLUSIVE on app.t, rewrite; size {size}\nSELECT 1;\n"
            )
        };
        assert_eq!(
            content_key(&plan(8192, "8 kB (≈1 rows)"), None),
            content_key(&plan(1 << 30, "1.0 GB (≈1 rows)"), None)
        );
        assert_eq!(
            crate::render::without_sizes(&plan(8192, "8 kB (≈1 rows)")),
            "-- h\nSET search_path = '';\n-- step 1 · add column app.t.c · hazards: rewrites-table\n\
             --   lock: ACCESS EXCLUSIVE on app.t, rewrite\nSELECT 1;\n"
        );
    }
}
