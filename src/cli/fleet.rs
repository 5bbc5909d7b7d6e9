//! The fleet's hooks: `drift`, `plan` and `apply` given a selection (`--tag`, `--all`, `--shard`, several
//! `--target`, a discovered or tenant target) run over the set ([`crate::fleet`]).

use super::{ApplyArgs, DriftArgs, Exit, Format, PlanArgs};
use crate::config::FileConfig;
use anyhow::{Context, Result};
use std::path::Path;

fn exit(code: u8) -> Exit {
    match code {
        0 => Exit::Success,
        2 => Exit::Drift,
        3 => Exit::Refused,
        4 => Exit::Partial,
        130 => Exit::Interrupted,
        143 => Exit::Terminated,
        _ => Exit::Error,
    }
}

fn source(args: &super::SourceArgs, file: &FileConfig) -> Result<crate::source::Source> {
    let mut source = crate::source::load(&args.schema_dir).map_err(anyhow::Error::new)?;
    source.search_path = file.source.search_path.clone();
    for warning in &source.warnings {
        eprintln!("{}", crate::escape::terminal(&warning.to_string()));
    }
    Ok(source)
}

/// What the fleet's desired state is made from, as the arguments and the configuration say.
fn desired(args: &super::SourceArgs, file: &FileConfig) -> Result<crate::fleet::DesiredFiles> {
    Ok(crate::fleet::DesiredFiles {
        source: source(args, file)?,
        options: args.normalize_options(file),
        schema_dir: args.schema_dir.clone(),
        use_snapshot: !args.no_snapshot,
        file: file.clone(),
    })
}

/// `drift` over a selection, or `None` when the arguments name one target.
pub async fn drift(args: &DriftArgs, file: &FileConfig) -> Result<Option<Exit>> {
    let selection = args.fleet.selection(&args.target);
    if !selection.is_fleet(file) {
        if args.metrics.is_some() {
            anyhow::bail!("--metrics reports on a set of targets: add --tag, --all or --target");
        }
        return Ok(None);
    }
    let output = match args.format {
        Format::Text => crate::fleet::drift::Output::Text,
        Format::Json => crate::fleet::drift::Output::Json,
        Format::Markdown => crate::fleet::drift::Output::Markdown,
    };
    let run = crate::fleet::drift::DriftRun {
        desired: desired(&args.source, file)?,
        selection,
        limits: args.fleet.limits(),
        fail_on: args.fail_on.clone(),
        output,
        metrics: args.metrics.clone(),
        quiet: super::quiet(),
    };
    Ok(Some(exit(crate::fleet::drift(run).await?)))
}

/// `plan` over a selection, or `None`.
pub async fn plan(args: &PlanArgs, file: &FileConfig, project_dir: &Path) -> Result<Option<Exit>> {
    let selection = args.fleet.selection(&args.target);
    if !selection.is_fleet(file) {
        return Ok(None);
    }
    if args.check_data || args.exit_code || args.format == Format::Markdown {
        anyhow::bail!("--check-data, --exit-code and --format markdown are for one target");
    }
    let run = crate::fleet::rollout::PlanRun {
        desired: desired(&args.source, file)?,
        selection,
        limits: args.fleet.limits(),
        policy: args.policy.policy(file)?,
        role: args.role.clone(),
        no_prove: args.no_prove,
        out: args.out.clone(),
        project_dir: project_dir.to_path_buf(),
        json: args.format == Format::Json,
        quiet: super::quiet(),
    };
    Ok(Some(exit(crate::fleet::plan(run).await?)))
}

/// `apply` of a fleet index (`fleet.json`, written by `plan` with a selection), or `None` for a plan file.
pub async fn apply(args: &ApplyArgs, file: &FileConfig) -> Result<Option<Exit>> {
    let is_index = args.file.file_name().is_some_and(|n| n == crate::fleet::rollout::INDEX);
    let selection = args.fleet.selection(&args.target);
    if !is_index {
        if args.format != Format::Text {
            anyhow::bail!(
                "--format is for a fleet index ({}); one plan's apply reports as text",
                crate::fleet::rollout::INDEX
            );
        }
        if selection.is_fleet(file) {
            anyhow::bail!(
                "a selection applies the plans of a fleet index: give the {} that `plan` wrote",
                crate::fleet::rollout::INDEX
            );
        }
        return Ok(None);
    }
    if args.dry_run || args.other_target || args.target.db.is_some() {
        anyhow::bail!("--dry-run, --other-target and --db are for one plan file");
    }
    if args.format == Format::Markdown {
        anyhow::bail!("apply of a fleet index reports as text or json");
    }
    let run = crate::fleet::rollout::ApplyRun {
        file: file.clone(),
        index: args.file.clone(),
        selection,
        limits: args.fleet.limits(),
        wave_size: args.wave_size,
        policy: args.policy.policy(file)?,
        role: args.role.clone(),
        lock_timeout: args.lock_timeout(),
        lock_wait: args.lock_wait(),
        force: args.force,
        json: args.format == Format::Json,
        quiet: super::quiet(),
    };
    crate::fleet::apply(run).await.map(exit).map(Some).context("applying the fleet's plans")
}
