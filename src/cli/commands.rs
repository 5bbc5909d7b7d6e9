//! The commands, each a straight line: settings, source, target, inspect, compare, then write or run.

use super::{ApplyArgs, Cli, Command, DriftArgs, Exit, Format, LocalCommand, PlanArgs, say, target};
use crate::config::FileConfig;
use crate::conn::connect;
use crate::diff::Comparison;
use crate::inspect::{self, Inspected};
use crate::progress::phase;
use crate::scope::Scope;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

pub async fn run(cli: Cli) -> Result<Exit> {
    let project_dir = PathBuf::from(".");
    match cli.command {
        Command::Plan(args) => plan(args, &project_dir).await,
        Command::Apply(args) => apply(args, &project_dir).await,
        Command::Drift(args) => drift(args, &project_dir).await,
        Command::Pull(args) => super::pull::run(args, &project_dir).await,
        Command::Snapshot(args) => super::snapshot::run(args, &project_dir).await,
        Command::Local(command) => local(command, &project_dir).await,
        Command::Init(args) => super::extras::init(&args, &project_dir),
        Command::Completions(args) => super::extras::completions(&args),
        Command::Man(args) => super::extras::man(&args),
    }
}

/// Everything `plan` and `drift` share: both sides inspected and compared.
struct Compared {
    live: Inspected,
    desired: crate::normalize::Desired,
    comparison: Comparison,
    ignored: crate::drift::Ignored,
    owner: String,
    params: crate::conn::ConnParams,
    /// The external objects the desired state was normalized with.
    external: Vec<crate::external::Assumed>,
    /// Their stubs, for the proof's copy of the target's schema.
    stubs: Vec<crate::external::Stub>,
}

async fn compare(
    target_args: &super::TargetArgs,
    source_args: &super::SourceArgs,
    role: Option<&str>,
    file: &FileConfig,
    project_dir: &Path,
    application: &str,
) -> Result<Compared> {
    // The files are read while the target is inspected: neither needs the other. A file's error still comes
    // first: it ends the command at once, and is reported instead of any error reaching the target.
    let schema_dir = source_args.schema_dir.clone();
    let mut reading =
        crate::progress::background("reading the schema files", move || crate::source::load(&schema_dir));
    let scope: Scope = file.scope();
    let target = async {
        let params = phase("resolving the target", target::resolve(target_args, file, project_dir)).await?;
        let conn = phase("connecting to the target", connect(&params, application)).await?;
        if let Some(role) = role {
            conn.client
                .batch_execute(&format!("SET ROLE {}", crate::catalog::quote_ident(role)))
                .await
                .with_context(|| format!("SET ROLE {role} on {}", params.host_port()))?;
        }
        let sessions =
            inspect::Sessions { params: &params, application, role, connections: file.inspect_connections };
        let live = phase("inspecting the target", inspect::inspect_shared(&conn.client, &scope, &sessions))
            .await
            .with_context(|| format!("inspecting {params}"))?;
        anyhow::Ok((params, conn, live))
    };
    let mut target = std::pin::pin!(target);
    let (read, inspected) = tokio::select! {
        read = &mut reading => (read, None),
        inspected = &mut target => (reading.await, Some(inspected)),
    };
    let mut source = read.context("reading the schema files")?.map_err(anyhow::Error::new)?;
    let (params, conn, mut live) = match inspected {
        Some(inspected) => inspected?,
        None => target.await?,
    };
    source.search_path = file.source.search_path.clone();
    for warning in &source.warnings {
        eprintln!("{}", crate::escape::terminal(&warning.to_string()));
    }
    let stubs = phase("reading the external objects", crate::external::fetch(&conn.client, file)).await?;
    let request = crate::snapshot::Request {
        schema_dir: &source_args.schema_dir,
        source: &source,
        stubs: &stubs,
        file,
        scope: &scope,
        options: &source_args.normalize_options(file),
        use_snapshot: !source_args.no_snapshot,
    };
    let used = crate::snapshot::desired(&request, &conn.client, &live.server, &mut live.catalog).await?;
    let desired = used.desired;
    let mut comparison = crate::progress::phase_blocking("comparing", || {
        crate::diff::compare(&desired.catalog, &live.catalog, &scope)
    });
    crate::snapshot::align::mark_unconfirmed(&mut comparison, &used.unconfirmed);
    // Ownership is not managed: `ALTER ... OWNER TO` statements are reported as ignored.
    let ignored = crate::drift::Ignored(
        source
            .statements
            .iter()
            .filter(|s| s.treatment == crate::source::Treatment::IgnoredOwner)
            .map(|s| ("owner".to_string(), s.summary.clone()))
            .collect(),
    );
    let owner = live.server.current_user.clone();
    let external = stubs.iter().map(crate::external::Stub::assumed).collect();
    Ok(Compared { live, desired, comparison, ignored, owner, params, external, stubs })
}

async fn plan(args: PlanArgs, project_dir: &Path) -> Result<Exit> {
    let file = crate::config::load_file(project_dir)?;
    if let Some(exit) = super::fleet::plan(&args, &file, project_dir).await? {
        return Ok(exit);
    }
    let mut c =
        compare(&args.target, &args.source, args.role.as_deref(), &file, project_dir, "accrete/plan").await?;
    if let Some(refusal) = unresolved_renames(&c.comparison, &file.renames) {
        eprintln!("{}", crate::escape::terminal(&refusal));
        return Ok(Exit::Refused);
    }
    let context = crate::plan::PlanContext::for_target(
        &c.live,
        c.desired.normalized_on.clone(),
        c.owner.clone(),
        args.role.clone(),
        c.external.clone(),
    );
    let policy = args.policy.policy(&file)?;
    // The plan holds what it needs of the comparison: the comparison goes (at 5,000 tables, a copy of every
    // table with its columns, about 60 MB).
    let comparison = std::mem::take(&mut c.comparison);
    let mut plan = crate::progress::phase_blocking("planning", || {
        crate::plan::build(&c.desired.catalog, &c.live.catalog, comparison, &policy, context)
    });
    let planned = plan.steps().map(|s| &s.change);
    let unmet = crate::plan::unmet_dependencies(&c.desired.catalog, &c.live.catalog, planned);
    if !unmet.is_empty() {
        anyhow::bail!("the plan would fail at apply:\n  {}", unmet.join("\n  "));
    }
    let not_planned = crate::render::not_planned_lines(&plan);
    let mut written = None;
    if plan.step_count() > 0 {
        let proof = match args.no_prove {
            true => crate::plan::ProofStatus::Skipped,
            false => phase("proving the plan on a copy", prove(&plan, &c, &file, &args.source)).await?,
        };
        plan.proof = Some(proof);
        let plans = project_dir.join("plans");
        let (id, out) = crate::progress::phase_blocking("writing the plan", || {
            write_plan(&plan, args.out.as_deref(), &plans)
        })?;
        // Written and proven, the steps' statements and both catalogs have served: the rollback is made from
        // the changes, the plan's expected catalog and the desired dependencies (at 5,000 tables the
        // statements are about 60 MB and each catalog about 50 MB).
        plan.release_statements();
        let dependencies = std::mem::take(&mut c.desired.catalog.dependencies);
        c.desired.catalog = Default::default();
        c.live.catalog = Default::default();
        let rollback_path = rollback_path(&out);
        let rollback = match crate::plan::rollback::build(&plan, &id, &file.history_schema, &dependencies) {
            Some(rollback) => {
                crate::progress::phase_blocking("writing the rollback", || {
                    write_plan(&rollback, Some(&rollback_path), &plans)
                })?;
                Some(rollback_path)
            }
            None => {
                // A rollback of an earlier plan written to the same place must not stay beside this one.
                let _ = std::fs::remove_file(&rollback_path);
                None
            }
        };
        written = Some(crate::render::Written { id, file: out, rollback });
    }
    let checked = if args.check_data && plan.step_count() > 0 {
        let conn = connect(&c.params, "accrete/check-data").await?;
        let timeout = std::time::Duration::from_secs(args.check_data_timeout);
        Some(phase("checking the data", crate::check_data::check(&conn.client, &plan, timeout)).await)
    } else {
        None
    };
    match args.format {
        Format::Json => {
            print!("{}", crate::render::plan_json(&plan, written.as_ref(), &not_planned, checked.as_deref()))
        }
        Format::Markdown => print_review(&plan, written.as_ref(), checked.as_deref())?,
        Format::Text if super::quiet() => {}
        Format::Text => print_plan(&plan, written.as_ref(), &not_planned, checked.as_deref()),
    }
    if written.is_none() {
        return Ok(Exit::Success);
    }
    Ok(if args.exit_code { Exit::Drift } else { Exit::Success })
}

/// `plan --format markdown`: the review on standard output; when it does not fit one comment, the cut one,
/// and the whole review in a file beside the plan (`plans/ID.md`).
fn print_review(
    plan: &crate::plan::Plan,
    written: Option<&crate::render::Written>,
    checked: Option<&[crate::check_data::Checked]>,
) -> Result<()> {
    let full_path = written.map(|w| w.file.with_extension("md"));
    let full_name = full_path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(|| "the plan's .md file".to_string(), |n| n.to_string_lossy().into_owned());
    let review = crate::render::markdown::review(plan, written.map(|w| w.id.as_str()), checked, &full_name);
    match (review.comment, full_path) {
        (Some(comment), Some(path)) => {
            std::fs::write(&path, &review.full).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("the review does not fit one comment: the whole of it is in {}", path.display());
            print!("{comment}");
        }
        _ => print!("{}", review.full),
    }
    Ok(())
}

/// How to run accrete again: `accrete` when that is what the PATH finds, else the path this process was
/// started as (`target/release/accrete`), so that the hint printed after a plan works when pasted.
fn invoked_as() -> String {
    let argv0 = std::env::args_os().next().map(PathBuf::from).unwrap_or_else(|| "accrete".into());
    let on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            let candidate = dir.join("accrete");
            candidate.is_file() && std::fs::canonicalize(&candidate).ok() == std::env::current_exe().ok()
        })
    });
    if on_path || argv0.components().count() <= 1 {
        "accrete".to_string()
    } else {
        argv0.display().to_string()
    }
}

/// Runs `plan` on a scratch copy of the target's schema before it is written ([`crate::apply::prove::before_writing`]).
async fn prove(
    plan: &crate::plan::Plan,
    c: &Compared,
    file: &FileConfig,
    source: &super::SourceArgs,
) -> Result<crate::plan::ProofStatus> {
    let scope = file.scope();
    let on = source.normalize_options(file);
    crate::apply::prove::before_writing(plan, &c.live, &c.stubs, &scope, &c.desired.catalog, &on, None).await
}

/// Rule 1 at plan time: a declared column or table that looks like a rename of a live one is not planned as
/// an add (that would leave the data under the old name, the seed guides' V1 failure) until the team says
/// which it is. The refusal names both objects and both ways out; `None` when every likely rename's
/// declared side is listed in `[renames] new`.
fn unresolved_renames(
    comparison: &crate::diff::Comparison,
    renames: &crate::config::file::RenamesConfig,
) -> Option<String> {
    let open: Vec<&crate::diff::LikelyRename> =
        comparison.likely_renames.iter().filter(|r| !renames.is_new(r.to.kind, &r.to.name)).collect();
    if open.is_empty() {
        return None;
    }
    let mut text = format!(
        "refused: {}; accrete never renames, and adding the new name would leave the data under the old one. \
         Say which it is, then plan again:",
        if open.len() == 1 {
            "one declared object looks like a rename".to_string()
        } else {
            format!("{} declared objects look like renames", open.len())
        }
    );
    // One line per fact: a name with a line break in it is shown escaped (the entry is a TOML string).
    let line = crate::escape::comment_text;
    for r in open {
        text.push_str(&format!(
            "\n  {} {} (in the database) -> {} {} (in the schema files)\n    \
             renamed? run it by hand (nothing is added then): {}\n    \
             new?     list it in accrete.toml: [renames] new = [{}]",
            r.from.kind,
            line(&r.from.name),
            r.to.kind,
            line(&r.to.name),
            line(&r.rename_sql),
            crate::escape::json_in_comment(&format!("{}:{}", r.to.kind, r.to.name))
        ));
    }
    Some(text)
}

/// Writes `plan` to `out`, or to `<plans>/<id>.sql`: streamed into a temporary file in that
/// folder (created when missing), renamed into place once complete, so that an interrupted write leaves no
/// partial plan behind. Returns the plan id and the path.
fn write_plan(plan: &crate::plan::Plan, out: Option<&Path>, plans: &Path) -> Result<(String, PathBuf)> {
    let folder = match out {
        Some(out) => out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        None => plans.to_path_buf(),
    };
    std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    let temporary = folder.join(format!(".accrete-plan-{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temporary)
        .and_then(|file| crate::render::write_plan_file(plan, file));
    let id = match written {
        Ok((id, _file)) => id,
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            return Err(anyhow::Error::new(e).context(format!("writing {}", temporary.display())));
        }
    };
    let path = out.map_or_else(|| plans.join(format!("{id}.sql")), Path::to_path_buf);
    if let Err(e) = std::fs::rename(&temporary, &path) {
        let _ = std::fs::remove_file(&temporary);
        return Err(anyhow::Error::new(e).context(format!("writing {}", path.display())));
    }
    Ok((id, path))
}

/// `plans/x.sql` -> `plans/x.rollback.sql`.
fn rollback_path(plan: &Path) -> PathBuf {
    let stem = plan.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    plan.with_file_name(format!("{stem}.rollback.sql"))
}

/// The human summary of `plan` on standard output.
fn print_plan(
    plan: &crate::plan::Plan,
    written: Option<&crate::render::Written>,
    not_planned: &[String],
    checked: Option<&[crate::check_data::Checked]>,
) {
    let Some(w) = written else {
        println!("nothing to plan: every declared object is present as declared");
        print_not_planned(not_planned);
        return;
    };
    println!("plan {} written to {}", w.id, w.file.display());
    if let Some(proof) = &plan.proof {
        println!("{}", crate::render::one_line(&proof.header_line()));
    }
    match &w.rollback {
        Some(path) => println!("its rollback written to {}", path.display()),
        None => println!("nothing in it can be undone by a rollback"),
    }
    for line in crate::render::summary_lines(plan) {
        println!("{line}");
    }
    let hazards = plan.steps().filter(|s| !s.change.hazards.is_empty()).count();
    if hazards > 0 {
        println!("{hazards} step(s) carry hazards: see the plan's header");
    }
    let refused: Vec<String> = plan
        .steps()
        .flat_map(|s| {
            crate::render::refusals(plan, s)
                .into_iter()
                .map(move |r| format!("  step {} ({} {}): {r}", s.number, s.change.class, s.change.key))
        })
        .collect();
    if !refused.is_empty() {
        println!("apply under this policy would refuse (judged with the target's table sizes now):");
        for line in refused {
            println!("{}", crate::escape::terminal(&line));
        }
    }
    match checked {
        Some([]) => println!("data checks: no step depends on existing rows"),
        Some(checked) => {
            println!("data checks (now; each step's guard checks again at apply):");
            for c in checked {
                println!("  {}", crate::escape::comment_text(&c.line()));
            }
        }
        None => {}
    }
    print_not_planned(not_planned);
    println!("review it, then: {} apply {}", invoked_as(), w.file.display());
}

fn print_not_planned(lines: &[String]) {
    if !lines.is_empty() {
        println!("not planned (needs review):");
        for line in lines {
            println!("  {}", crate::escape::comment_text(line));
        }
    }
}

async fn apply(args: ApplyArgs, project_dir: &Path) -> Result<Exit> {
    let file = crate::config::load_file(project_dir)?;
    if let Some(exit) = super::fleet::apply(&args, &file).await? {
        return Ok(exit);
    }
    let plan = match crate::progress::phase_blocking("reading the plan", || crate::apply::load(&args.file)) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {}", crate::escape::terminal(&e.to_string()));
            return Ok(exit_of(&e));
        }
    };
    let params = target::resolve(&args.target, &file, project_dir).await?;
    // A dry run's copy of the schema needs the `[external]` stubs, read from the target.
    let external = match args.dry_run && !file.external.objects.is_empty() {
        true => {
            let conn = connect(&params, "accrete/apply").await?;
            crate::external::fetch(&conn.client, &file).await?
        }
        false => Vec::new(),
    };
    let options = crate::apply::ApplyOptions {
        dry_run: args.dry_run,
        external,
        prove_on: crate::normalize::Options {
            dev_url: args.dev_url.clone(),
            allow_version_mismatch: false,
            statement_timeout: file.source.statement_timeout,
            load_timeout: file.source.load_timeout,
            inspect_connections: file.inspect_connections,
        },
        force: args.force,
        other_target: args.other_target,
        lock_timeout: args.lock_timeout(),
        lock_wait: args.lock_wait(),
        history_schema: file.history_schema.clone(),
        role: args.role.clone(),
        scope: file.scope(),
        policy: args.policy.policy(&file)?,
        interrupt: Some(
            crate::apply::Interrupt::on_signals().context("installing the SIGINT and SIGTERM handlers")?,
        ),
        inspect_connections: file.inspect_connections,
        ..Default::default()
    };
    let mut out: Box<dyn std::io::Write + Send> =
        if super::quiet() { Box::new(std::io::sink()) } else { Box::new(std::io::stdout()) };
    match crate::apply::apply(&params, &plan, &options, &mut out).await {
        Ok(_) => Ok(Exit::Success),
        Err(e) => {
            eprintln!("error: {}", crate::escape::terminal(&e.to_string()));
            Ok(exit_of(&e))
        }
    }
}

fn exit_of(e: &crate::apply::ApplyError) -> Exit {
    match e.exit_code() {
        3 => Exit::Refused,
        4 => Exit::Partial,
        130 => Exit::Interrupted,
        143 => Exit::Terminated,
        _ => Exit::Error,
    }
}

async fn drift(args: DriftArgs, project_dir: &Path) -> Result<Exit> {
    let file = crate::config::load_file(project_dir)?;
    if let Some(exit) = super::fleet::drift(&args, &file).await? {
        return Ok(exit);
    }
    let c = compare(&args.target, &args.source, None, &file, project_dir, "accrete/drift").await?;
    let server = &c.live.server;
    let target = crate::drift::Target {
        database: server.database.clone(),
        server_version: server.version.clone(),
        system_identifier: server.system_identifier.clone(),
    };
    match args.format {
        Format::Json => print!("{}", crate::drift::json(&target, &c.comparison, &c.ignored)),
        Format::Markdown => print!("{}", crate::drift::markdown(&target, &c.comparison)),
        Format::Text if super::quiet() => {}
        Format::Text => {
            print!("{}", crate::drift::text(&target, &c.comparison));
            for e in &c.external {
                println!(
                    "external (a stub made from the target's definition, not compared): {} {}",
                    e.kind, e.name
                );
            }
        }
    }
    Ok(if crate::drift::has_drift(&c.comparison, &args.fail_on) { Exit::Drift } else { Exit::Success })
}

async fn local(command: LocalCommand, project_dir: &Path) -> Result<Exit> {
    let dir = project_dir.to_path_buf();
    match command {
        LocalCommand::Start => {
            let file = crate::config::load_file(project_dir)?;
            let params = target::local(&file, project_dir).await?;
            say!("the embedded local database runs: {params}");
        }
        LocalCommand::Stop { scratch } => {
            let stopped = tokio::task::spawn_blocking(move || -> Result<(bool, usize)> {
                let scratch = if scratch { crate::pg::scratch::stop_all()? } else { 0 };
                Ok((crate::pg::local::stop(&dir)?, scratch))
            })
            .await??;
            match stopped.0 {
                true => say!("stopped this project's embedded local database"),
                false => say!("this project's embedded local database was not running"),
            }
            if scratch {
                say!("stopped {} scratch cluster(s)", stopped.1);
            }
        }
        LocalCommand::Status => {
            let base = crate::pg::local::base_dir(&dir);
            match crate::pg::local::status(&dir)? {
                Some(cluster) => say!(
                    "running: PostgreSQL {} in {}, socket {} port {}; connect with: psql 'postgresql://{}@/{}?host={}&port={}'",
                    cluster.version,
                    base.display(),
                    cluster.socket_dir.display(),
                    cluster.port,
                    cluster.superuser,
                    crate::pg::local::DATABASE,
                    cluster.socket_dir.display(),
                    cluster.port
                ),
                None => {
                    say!("not running ({}); plan, apply and drift start it on demand", base.display())
                }
            }
        }
    }
    Ok(Exit::Success)
}
