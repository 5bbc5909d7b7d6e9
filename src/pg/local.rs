//! The embedded local database: one cluster per project, for development without a server of one's own.
//!
//! Its lock, state and log files live in `<project>/.accrete/local`; its data lives there too when the
//! server's OS user can reach that directory, otherwise in a per-user directory it can (recorded in the state
//! file). The database `accrete` is created when the cluster is first started. The server keeps running
//! between commands, in its own session, until `accrete local stop`.

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};

use super::binaries::find_binaries;
use super::cluster::{Cluster, ensure_cluster, recorded_major, stop_cluster};
use crate::conn::{ConnParams, connect};

/// The database the embedded local cluster serves.
pub const DATABASE: &str = "accrete";

/// `<project>/.accrete/local`.
pub fn base_dir(project_dir: &Path) -> PathBuf {
    project_dir.join(".accrete").join("local")
}

/// Makes sure the project's local database runs and returns parameters for database `accrete`, the
/// cluster, and whether it was started now. `major` is `[local] major` from `accrete.toml`; without it, the
/// major of an existing local cluster, else the highest supported major found.
pub fn ensure(project_dir: &Path, major: Option<u32>) -> Result<(ConnParams, Cluster, bool)> {
    let base = base_dir(project_dir);
    let recorded = recorded_major(&base)?;
    let major = match (major, recorded) {
        (Some(wanted), Some(found)) if wanted != found => bail!(
            "the embedded local database in {} is PostgreSQL {found}, but `[local] major` asks for {wanted}: \
             set `[local] major = {found}` in accrete.toml, or run `accrete local stop` and remove {} to \
             start over with PostgreSQL {wanted}",
            base.display(),
            base.display()
        ),
        (Some(major), _) | (None, Some(major)) => major,
        (None, None) => find_binaries(None)?.major,
    };
    ignore_in_git(project_dir)?;
    let (cluster, started) = ensure_cluster(&base, major)
        .with_context(|| format!("starting the embedded local database in {}", base.display()))?;
    if started {
        let admin = cluster.admin_params();
        block_on(create_if_missing(admin))?;
    }
    Ok((cluster.admin_params().with_dbname(DATABASE), cluster, started))
}

/// The project's local database when it runs (never starts it).
pub fn status(project_dir: &Path) -> Result<Option<Cluster>> {
    super::running_cluster(&base_dir(project_dir))
}

/// Stops the project's local database. Returns false when it was not running.
pub fn stop(project_dir: &Path) -> Result<bool> {
    stop_cluster(&base_dir(project_dir))
}

/// Writes `.accrete/.gitignore` (ignoring everything in it) when missing.
fn ignore_in_git(project_dir: &Path) -> Result<()> {
    let dir = project_dir.join(".accrete");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(".gitignore");
    if !path.exists() {
        fs::write(&path, "*\n").with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

async fn create_if_missing(admin: ConnParams) -> Result<()> {
    let conn = connect(&admin, "accrete/local").await?;
    let exists = conn.client.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&DATABASE]).await?;
    if exists.is_none() {
        conn.client
            .batch_execute(&format!("CREATE DATABASE {DATABASE}"))
            .await
            .with_context(|| format!("creating database {DATABASE} on {admin}"))?;
    }
    Ok(())
}

/// Runs `future` to completion on a runtime of its own in another thread, so that this works both from
/// plain threads and from inside a tokio runtime.
fn block_on<F>(future: F) -> Result<()>
where
    F: std::future::Future<Output = Result<()>> + Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .context("starting a tokio runtime")?
                    .block_on(future)
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
