//! `accrete snapshot`: writes the normalized desired state of one PostgreSQL major under
//! `<schema dir>.snapshot/<major>/` ([`crate::snapshot`]), or with `--check` says whether it is current.

use super::{Exit, SourceArgs, TargetArgs, say, target};
use crate::conn::connect;
use anyhow::{Context, Result};
use clap::Args;
use std::path::Path;

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The target whose major, encoding, locale, extension versions, roles and external objects the
    /// snapshot is made for (default: as for plan). Not needed with --major.
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub source: SourceArgs,
    /// The PostgreSQL major to snapshot for, without a target: normalized on accrete's scratch cluster of
    /// that major (or --dev-url), with encoding UTF8 and locale C.UTF-8 standing in for the target's.
    #[arg(long, value_name = "N")]
    pub major: Option<u32>,
    /// Write nothing: exit 2 when the snapshot is missing or stale (its inputs changed), 0 when current.
    #[arg(long)]
    pub check: bool,
}

pub async fn run(args: SnapshotArgs, project_dir: &Path) -> Result<Exit> {
    let file = crate::config::load_file(project_dir)?;
    let mut source = crate::progress::phase_blocking("reading the schema files", || {
        crate::source::load(&args.source.schema_dir)
    })
    .map_err(anyhow::Error::new)?;
    source.search_path = file.source.search_path.clone();
    for warning in &source.warnings {
        eprintln!("{}", crate::escape::terminal(&warning.to_string()));
    }
    let scope = file.scope();
    let options = args.source.normalize_options(&file);
    let without_target = args.major.is_some() && args.target.db.is_none() && args.target.target.is_empty();
    let conn = if without_target {
        None
    } else {
        let params = target::resolve(&args.target, &file, project_dir).await?;
        Some(connect(&params, "accrete/snapshot").await?)
    };
    let mut stubs = Vec::new();
    let mut target = None;
    if let Some(conn) = &conn {
        let server = crate::inspect::server_info(&conn.client).await.context("reading the target")?;
        let roles = conn
            .client
            .query("SELECT rolname::text FROM pg_catalog.pg_roles", &[])
            .await
            .context("reading the target's roles")?
            .iter()
            .map(|r| r.get(0))
            .collect();
        stubs = crate::progress::phase(
            "reading the external objects",
            crate::external::fetch(&conn.client, &file),
        )
        .await?;
        target = Some((&conn.client, server, roles));
    }
    let major = match (args.major, &target) {
        (Some(major), _) => major,
        (None, Some((_, server, _))) => server.major,
        (None, None) => unreachable!("a target is connected when --major is not given"),
    };
    let make = crate::snapshot::Make {
        request: crate::snapshot::Request {
            schema_dir: &args.source.schema_dir,
            source: &source,
            stubs: &stubs,
            file: &file,
            scope: &scope,
            options: &options,
            use_snapshot: true,
        },
        major,
        target,
        check: args.check,
    };
    let shown = |dir: &Path| crate::escape::terminal(&dir.display().to_string());
    Ok(match crate::snapshot::make(make).await? {
        crate::snapshot::Outcome::Written { dir, files, changed, bytes, digest } => {
            say!(
                "snapshot {} for PostgreSQL {major}: {files} files, {bytes} bytes, {changed} changed; digest {}",
                shown(&dir),
                &digest[..16]
            );
            Exit::Success
        }
        crate::snapshot::Outcome::Current { dir, digest } => {
            say!("snapshot {} is current (digest {})", shown(&dir), &digest[..16]);
            Exit::Success
        }
        crate::snapshot::Outcome::Stale { dir, reason } => {
            say!(
                "snapshot {} is stale: {}; run `accrete snapshot`",
                shown(&dir),
                crate::escape::terminal(&reason)
            );
            Exit::Drift
        }
    })
}
