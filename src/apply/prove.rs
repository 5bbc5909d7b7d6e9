//! Proofs: a plan file run on a scratch copy of the target's schema before anyone runs it on the target.
//! `plan` proves the plan it is about to write; `apply --dry-run` proves a plan on a copy of the target's
//! current schema. Both use [`prove`].
//!
//! The copy is the target's inspected catalog (in scope) written as SQL the way `pull` writes it, loaded
//! with the normalizer's loader into one fresh scratch database of the target's major, beside the target's
//! extensions, the `[external]` stubs and the roles the files mention. The plan's segments then run there
//! with apply's own executor, in order, each committed (a non-transactional segment runs for real: the
//! copy has no rows). Afterwards every touched object must be in its manifest after state, and, when the
//! desired catalog is given, a new plan under the same policy must have no step.
//!
//! Invariants:
//! - the target is never written to: the copy is made from a catalog already read;
//! - the scratch database is dropped whatever happened, and it is the only one made;
//! - the result is a function of (catalog, plan, scratch server's version): its header line carries no
//!   timing, process id or connection detail, so two plans of the same input stay byte-identical;
//! - a proof that cannot be made (an extension the scratch server lacks, a schema the copy cannot hold, a
//!   copy that differs from the target in a touched object, a step that failed while the target has objects
//!   of kinds accrete does not model, which the copy lacks) is [`Error::Impossible`], never a pass; a step
//!   that fails on the copy, or a copy that does not end as planned, is [`Error::Failed`].

use super::PlanFile;
use crate::catalog::Catalog;
use crate::conn::{ConnParams, connect};
use crate::external::Stub;
use crate::inspect::ServerInfo;
pub use crate::plan::ProofStatus as Status;
use crate::scope::Scope;
use anyhow::{Context, anyhow};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Why a proof did not pass.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No proof could be made; the plan is neither proven nor refuted.
    #[error("not proven: {0}")]
    Impossible(String),
    /// A step failed on the copy, or the copy did not end as the plan says.
    #[error("{0:#}")]
    Failed(anyhow::Error),
    /// The proof took longer than [`Target::timeout`]; its copy was dropped.
    #[error("the proof took longer than {} s (--timeout); its scratch copy was dropped", .0.as_secs_f64())]
    TimedOut(Duration),
}

/// The target a copy is made of: its catalog as inspected (in `scope`), its server, its `[external]`
/// stubs; and where to make the copy (`--dev-url`, else accrete's scratch cluster of the target's major).
pub struct Target<'a> {
    pub catalog: &'a Catalog,
    pub server: &'a ServerInfo,
    pub stubs: &'a [Stub],
    pub scope: &'a Scope,
    pub on: &'a crate::normalize::Options,
    /// How long the whole proof may take (a fleet's `--timeout`, per target); `None`: as long as it takes.
    pub timeout: Option<Duration>,
}

/// What `plan` checks beyond the manifest: that the plan leaves the copy as `desired` (zero steps under
/// `policy`), and, for a mismatch, what differs from the catalog it `expected`.
pub struct Desired<'a> {
    pub desired: &'a Catalog,
    pub expected: &'a Catalog,
    pub policy: &'a crate::policy::Policy,
    pub context: &'a crate::plan::PlanContext,
}

/// A passed proof: its status line and the copy's catalog after the plan ran.
pub struct Proved {
    pub status: Status,
    pub after: Catalog,
    pub executed: usize,
    pub skipped: usize,
}

/// Proves `plan` on a copy of `target`'s schema, writing the run's progress (step by step) to `out`.
pub async fn prove(
    target: &Target<'_>,
    plan: &PlanFile,
    desired: Option<&Desired<'_>>,
    out: &mut (dyn Write + Send),
) -> Result<Proved, Error> {
    let deadline = target.timeout.map(|t| (tokio::time::Instant::now() + t, t));
    // Nothing made before the copy needs cleaning up: a timeout may end it anywhere.
    let (admin, _files, source) = within(deadline, async {
        let admin = scratch_admin(target).await?;
        missing_extensions(&admin, target.catalog).await?;
        let files = SchemaDir::write(target.catalog)?;
        let source = crate::source::load(&files.0).map_err(|e| {
            Error::Impossible(format!("the target's schema written as files does not read: {e}"))
        })?;
        Ok((admin, files, source))
    })
    .await?;
    // The roles the copy's schema and the plan's steps name (a grant, `FOR ROLE` of default privileges):
    // made in accrete's own scratch cluster; on a `--dev-url` server, which accrete never adds roles to, a
    // missing one makes the proof impossible.
    let planned = plan.preamble.iter().chain(plan.steps().flat_map(|(_, step)| &step.statements));
    let texts: Vec<&str> =
        source.statements.iter().map(|s| s.sql.as_str()).chain(planned.map(|s| s.text.as_str())).collect();
    let create = target.on.dev_url.is_none();
    let absent = within(deadline, async {
        crate::normalize::roles_mentioned_and_absent(&admin, &texts, &target.catalog.roles, create)
            .await
            .map_err(|e| Error::Impossible(format!("{e:#}")))
    })
    .await?;
    if !create && !absent.is_empty() {
        return Err(Error::Impossible(format!(
            "the --dev-url server lacks role {} that the plan names",
            absent.join(", ")
        )));
    }
    let s = target.server;
    // Making the copy is not cut short (a database half made would be left behind); running on it is, and the
    // copy is dropped either way (`DROP DATABASE ... WITH (FORCE)` ends a statement still running there).
    let copy = crate::normalize::open_scratch_copy(&admin, create, &s.encoding, &s.lc_collate, &s.lc_ctype)
        .await
        .with_context(|| "making the proof's scratch database")
        .map_err(|e| Error::Impossible(format!("{e:#}")))?;
    let result = within(deadline, run(&copy.admin_params(), target, &source, plan, desired, out)).await;
    copy.close().await;
    result
}

/// `work`, or [`Error::TimedOut`] once `deadline` (the instant and the timeout it came from) has passed.
async fn within<T>(
    deadline: Option<(tokio::time::Instant, Duration)>,
    work: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match deadline {
        None => work.await,
        Some((at, timeout)) => {
            tokio::time::timeout_at(at, work).await.unwrap_or(Err(Error::TimedOut(timeout)))
        }
    }
}

/// Disables every enabled event trigger of the copy and returns each one's name and firing state
/// (`evtenabled`: `O`, `R`, `A`).
async fn hold_event_triggers(client: &tokio_postgres::Client) -> anyhow::Result<Vec<(String, String)>> {
    let rows = client
        .query(
            "SELECT evtname::text, evtenabled::text FROM pg_catalog.pg_event_trigger WHERE evtenabled <> 'D' \
             ORDER BY 1",
            &[],
        )
        .await
        .context("reading the copy's event triggers")?;
    let held: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    for (name, _) in &held {
        let sql = format!("ALTER EVENT TRIGGER {} DISABLE", crate::catalog::quote_ident(name));
        client
            .batch_execute(&sql)
            .await
            .with_context(|| format!("disabling event trigger {name} in the copy"))?;
    }
    Ok(held)
}

/// Each held event trigger's name and the statement that gives it its firing state back.
fn enabling(held: &[(String, String)]) -> Vec<(String, String)> {
    held.iter()
        .map(|(name, state)| {
            let how = match state.as_str() {
                "R" => "ENABLE REPLICA",
                "A" => "ENABLE ALWAYS",
                _ => "ENABLE",
            };
            (name.clone(), format!("ALTER EVENT TRIGGER {} {how}", crate::catalog::quote_ident(name)))
        })
        .collect()
}

/// Loads the copy, checks it holds the touched objects as the target does, runs the plan, checks the end.
async fn run(
    params: &ConnParams,
    target: &Target<'_>,
    source: &crate::source::Source,
    plan: &PlanFile,
    desired: Option<&Desired<'_>>,
    out: &mut (dyn Write + Send),
) -> Result<Proved, Error> {
    let impossible = |e: anyhow::Error| Error::Impossible(format!("{e:#}"));
    let mut conn = connect(params, "accrete/prove").await.map_err(impossible)?;
    crate::normalize::load_with_external(&mut conn, source, target.stubs, target.scope).await.map_err(
        |e| {
            let first = e.0.first().map_or_else(|| e.to_string(), |d| d.message.clone());
            Error::Impossible(format!("the copy cannot hold the target's schema: {first}"))
        },
    )?;
    // The copy is read as `plan` reads the target: over `inspect_connections` sessions on one snapshot.
    let sessions = crate::inspect::Sessions {
        params,
        application: "accrete/prove",
        role: None,
        connections: target.on.inspect_connections,
    };
    let before = crate::inspect::inspect_shared(&conn.client, target.scope, &sessions)
        .await
        .context("inspecting the copy")
        .map_err(impossible)?;
    let copy_digests = before.catalog.digests();
    let check = super::pre_check(&plan.manifest, &copy_digests);
    if !check.neither.is_empty() {
        let list: Vec<String> = check.neither.iter().map(|m| m.key.to_string()).collect();
        return Err(Error::Impossible(format!(
            "the copy differs from the target in what the plan touches: {}",
            list.join(", ")
        )));
    }
    // The copy runs as the scratch superuser: the target's event triggers in it (loaded last, so none
    // fired on the load) must not fire on the plan's steps either, whatever function the plan gives them.
    // All are disabled while the plan runs; one the plan touches gets its state back just before its first
    // step (event trigger steps fire no event trigger), so its guard finds the state it was planned from;
    // the others get theirs back after the run, when only inspection follows.
    let held = hold_event_triggers(&conn.client).await.map_err(impossible)?;
    let touched = |name: &str| plan.manifest.iter().any(|m| m.key.kind.fires_on_ddl() && m.key.name == name);
    let (touched, untouched): (Vec<_>, Vec<_>) = held.into_iter().partition(|(name, _)| touched(name));
    let ran = super::on_copy(&mut conn, plan, &enabling(&touched), out).await;
    if ran.is_ok() {
        for (_, sql) in enabling(&untouched) {
            conn.client.batch_execute(&sql).await.with_context(|| sql.clone()).map_err(impossible)?;
        }
    }
    let (executed, skipped) = ran.map_err(|e| {
        match lacking(target.catalog) {
            // The step may have failed for want of one of them: neither proven nor refuted.
            Some(lacking) => Error::Impossible(format!(
                "the copy lacks what accrete does not model ({lacking}), and a step failed there: {}",
                format!("{e:#}").lines().collect::<Vec<_>>().join(" ")
            )),
            None => Error::Failed(e),
        }
    })?;
    let inspected = crate::inspect::inspect_shared(&conn.client, target.scope, &sessions)
        .await
        .context("inspecting the copy")
        .map_err(impossible)?;
    let mut after = inspected.catalog;
    let mismatches = super::verify(&plan.manifest, &after.digests(), plan.rollback_of.is_some());
    if !mismatches.is_empty() {
        return Err(Error::Failed(not_as_planned(&mismatches, &after, target, plan, desired)));
    }
    if let Some(d) = desired {
        crate::normalize::align_live(&conn.client, d.desired, &mut after)
            .await
            .context("aligning the copy's expression texts")
            .map_err(impossible)?;
        let differ = copy_differences(target.catalog, &copy_digests, plan);
        let left = steps_left(d, &after, target.scope, &differ);
        if !left.is_empty() {
            return Err(Error::Failed(anyhow!(
                "after the plan ran on the copy, a new plan under the same policy still has {}:{}",
                super::count(left.len(), "step", "steps"),
                left.concat()
            )));
        }
    }
    let on = format!(
        "a copy of database {}'s schema, PostgreSQL {}",
        serde_json::to_string(&target.server.database).expect("strings serialize"),
        inspected.server.version
    );
    Ok(Proved { status: Status::Proven { on, ran: executed + skipped }, after, executed, skipped })
}

/// Each touched object not in its after state once the plan ran, with what differs from the catalog the
/// plan expected (when known) and the steps that touch it.
fn not_as_planned(
    mismatches: &[super::Mismatch],
    after: &Catalog,
    target: &Target<'_>,
    plan: &PlanFile,
    desired: Option<&Desired<'_>>,
) -> anyhow::Error {
    let differences = desired.map(|d| crate::diff::compare(d.expected, after, target.scope));
    let list: String = mismatches
        .iter()
        .map(|m| {
            let what = differences
                .as_ref()
                .and_then(|c| c.changed.iter().find(|x| x.key == m.key))
                .map(|x| format!(": {}", x.differences.join("; ")))
                .unwrap_or_default();
            format!("\n  {}{what}{}", m.describe(), steps_touching(plan, &m.key.name))
        })
        .collect();
    anyhow!(
        "after the plan ran on the copy, {} not as planned:{list}",
        super::count(mismatches.len(), "touched object is", "touched objects are")
    )
}

/// The steps (as `\n  WORDS` lines) of a new plan from the copy once the plan ran to the desired state,
/// under the same policy, leaving out those of objects in `differ`: objects the plan does not touch that
/// the copy holds otherwise than the target (what `pull` cannot write as it is says nothing of the plan).
fn steps_left(
    d: &Desired<'_>,
    after: &Catalog,
    scope: &Scope,
    differ: &std::collections::BTreeSet<crate::catalog::ObjectKey>,
) -> Vec<String> {
    if !differ.is_empty() {
        let names: Vec<String> = differ.iter().map(ToString::to_string).collect();
        tracing::debug!(objects = %names.join(", "), "the copy holds these otherwise than the target");
    }
    let comparison = crate::diff::compare(d.desired, after, scope);
    let again = crate::plan::build(d.desired, after, comparison, d.policy, d.context.clone());
    again
        .steps()
        .filter(|s| !s.change.keys().iter().any(|k| differ.contains(k)))
        .map(|s| format!("\n  {}", crate::render::change_words(&s.change)))
        .collect()
}

/// The objects outside the plan's manifest whose digest in the copy (before the plan ran) is not the
/// target's.
fn copy_differences(
    live: &Catalog,
    copy: &std::collections::BTreeMap<crate::catalog::ObjectKey, String>,
    plan: &PlanFile,
) -> std::collections::BTreeSet<crate::catalog::ObjectKey> {
    let live = live.digests();
    let touched: std::collections::BTreeSet<_> = plan.manifest.iter().map(|m| m.key.clone()).collect();
    live.keys()
        .chain(copy.keys())
        .filter(|k| live.get(*k) != copy.get(*k) && !touched.contains(*k))
        .cloned()
        .collect()
}

/// The target's objects of kinds accrete does not model, which `pull` does not write and so the copy lacks
/// (`operator app.~~~, ...`); `None` when there are none.
fn lacking(catalog: &Catalog) -> Option<String> {
    const SHOWN: usize = 3;
    let objects = &catalog.unmodeled_objects;
    if objects.is_empty() {
        return None;
    }
    let mut names: Vec<String> =
        objects.iter().take(SHOWN).map(|(kind, name)| format!("{kind} {name}")).collect();
    if objects.len() > SHOWN {
        names.push(format!("{} more", objects.len() - SHOWN));
    }
    Some(names.join(", "))
}

/// ` (steps 3, 4)`: the steps whose object is `name` or part of it.
fn steps_touching(plan: &PlanFile, name: &str) -> String {
    let steps: Vec<String> = plan
        .steps()
        .filter(|(_, s)| s.name == name || s.name.starts_with(&format!("{name} ")))
        .map(|(_, s)| s.number.to_string())
        .collect();
    match steps.len() {
        0 => String::new(),
        1 => format!(" (step {})", steps[0]),
        _ => format!(" (steps {})", steps.join(", ")),
    }
}

/// The server the copy is made on, of the target's major.
async fn scratch_admin(target: &Target<'_>) -> Result<ConnParams, Error> {
    let major = target.server.major;
    let admin = match &target.on.dev_url {
        Some(url) => crate::conn::params_from_string(url, &crate::conn::process_env)
            .context("reading --dev-url")
            .map_err(|e| Error::Impossible(format!("{e:#}")))?,
        None => crate::normalize::scratch_server(major, false)
            .await
            .map_err(|_| Error::Impossible(format!("no PostgreSQL {major} server binaries to prove on")))?,
    };
    let conn = connect(&admin, "accrete/prove").await.map_err(|e| Error::Impossible(format!("{e:#}")))?;
    let row = conn
        .client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(|e| Error::Impossible(format!("reading the scratch server's version: {e}")))?;
    let found = row.get::<_, i32>(0) as u32 / 10000;
    if found != major {
        return Err(Error::Impossible(format!(
            "the scratch server is PostgreSQL {found}, the target PostgreSQL {major}"
        )));
    }
    Ok(admin)
}

/// An extension of the target that the scratch server cannot create (at the target's version).
async fn missing_extensions(admin: &ConnParams, catalog: &Catalog) -> Result<(), Error> {
    let wanted: Vec<_> =
        catalog.extensions.values().filter(|e| !crate::pull::is_builtin_extension(&e.name)).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let conn = connect(admin, "accrete/prove").await.map_err(|e| Error::Impossible(format!("{e:#}")))?;
    let rows = conn
        .client
        .query("SELECT name::text, version::text FROM pg_catalog.pg_available_extension_versions", &[])
        .await
        .map_err(|e| Error::Impossible(format!("reading the scratch server's extensions: {e}")))?;
    let available: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    for e in wanted {
        if !available.iter().any(|(name, _)| *name == e.name) {
            return Err(Error::Impossible(format!(
                "extension {} is not installed on the scratch server",
                e.name
            )));
        }
        if !available.iter().any(|(name, version)| *name == e.name && *version == e.version) {
            return Err(Error::Impossible(format!(
                "extension {} {} is not available on the scratch server",
                e.name, e.version
            )));
        }
    }
    Ok(())
}

/// The target's schema written as `pull` writes it, in a directory of its own that is removed on drop.
struct SchemaDir(PathBuf);

impl SchemaDir {
    fn write(catalog: &Catalog) -> Result<SchemaDir, Error> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "accrete-proof-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
            .create(&dir)
            .map_err(|e| Error::Impossible(format!("creating {}: {e}", dir.display())))?;
        let written = SchemaDir(dir);
        let files = crate::pull::render(catalog, crate::pull::Format::Sql);
        crate::pull::write(&written.0, &files, true)
            .map_err(|e| Error::Impossible(format!("writing the target's schema as files: {e:#}")))?;
        Ok(written)
    }
}

impl Drop for SchemaDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `plan`'s proof (for one target and for each target of a fleet): the plan as its file will read, run on a
/// scratch copy of the target's schema before the file is written. A step that fails there, or a copy that
/// does not end as desired, is an error and no plan is written; a proof that cannot be made is a status.
pub async fn before_writing(
    plan: &crate::plan::Plan,
    live: &crate::inspect::Inspected,
    stubs: &[crate::external::Stub],
    scope: &Scope,
    desired: &Catalog,
    on: &crate::normalize::Options,
    timeout: Option<Duration>,
) -> anyhow::Result<crate::plan::ProofStatus> {
    // The text goes once read back: the proof runs what apply would read (at 5,000 tables each is 50 MB).
    let parsed =
        super::parse(&crate::render::plan_file(plan).text).context("reading the plan back to prove it")?;
    let target = Target { catalog: &live.catalog, server: &live.server, stubs, scope, on, timeout };
    let wanted = Desired { desired, expected: &plan.expected, policy: &plan.policy, context: &plan.context };
    match prove(&target, &parsed, Some(&wanted), &mut std::io::sink()).await {
        Ok(proved) => Ok(proved.status),
        Err(Error::Impossible(why)) => Ok(crate::plan::ProofStatus::NotProven(why)),
        Err(e @ Error::TimedOut(_)) => Err(anyhow::Error::new(e)),
        Err(Error::Failed(e)) => Err(e.context(
            "the plan fails on a copy of the target's schema, so it was not written (the planner got this \
             case wrong: please report it; --no-prove writes it anyway)",
        )),
    }
}
