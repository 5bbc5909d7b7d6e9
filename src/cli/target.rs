//! Which database a command talks to: the target resolved by `config` (flag, `DATABASE_URL`, `PG*`,
//! `accrete.toml`), else the embedded local database, started on demand and said so on stderr.

use super::TargetArgs;
use crate::config::FileConfig;
use crate::conn::ConnParams;
use anyhow::{Context, Result};
use std::path::Path;

pub async fn resolve(args: &TargetArgs, file: &FileConfig, project_dir: &Path) -> Result<ConnParams> {
    if args.target.len() > 1 {
        anyhow::bail!("several --target: only drift, plan and apply take a set of targets");
    }
    let resolved = crate::config::resolve_target(
        args.db.as_deref(),
        args.target.first().map(String::as_str),
        file,
        &crate::conn::process_env,
    )?;
    match resolved {
        Some((params, _source)) => Ok(params),
        None => local(file, project_dir).await,
    }
}

/// The embedded local database, started when it is not running.
pub async fn local(file: &FileConfig, project_dir: &Path) -> Result<ConnParams> {
    let dir = project_dir.to_path_buf();
    let major = file.local.major;
    let (params, cluster, started) =
        tokio::task::spawn_blocking(move || crate::pg::local::ensure(&dir, major))
            .await
            .context("starting the embedded local database")??;
    if started {
        crate::progress::notice(&format!(
            "started the embedded local database (PostgreSQL {}) in {}; `accrete local stop` stops it",
            cluster.version,
            crate::pg::local::base_dir(Path::new(".")).display()
        ));
    }
    Ok(params)
}
