//! The scratch clusters that normalize the desired state: one per major, in the per-user cache directory
//! (`$XDG_CACHE_HOME/accrete/scratch-<major>`, else `~/.cache/accrete/scratch-<major>`, else
//! `/tmp/accrete-<uid>-cache/scratch-<major>`); data moves elsewhere when the server's OS user cannot reach
//! that directory (see `access`).
//!
//! A scratch cluster stays up between commands, so a command pays for a `CREATE DATABASE`, not a server
//! start. Idle stop: every `ensure` records the time of use in the state file, and stops the scratch
//! clusters of other majors that have not been used for [`IDLE_STOP`] (30 minutes). `stop_all` (for
//! `accrete local stop`) stops them all.

use anyhow::{Context, Result};
use nix::unistd::Uid;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::cluster::{Cluster, ensure_cluster, stop_server};
use super::state::{BaseLock, State, now_secs, running};

/// How long a scratch cluster may stay unused before the next `ensure` (of another major) stops it.
pub const IDLE_STOP: Duration = Duration::from_secs(30 * 60);

const PREFIX: &str = "scratch-";

/// The directory that holds every scratch cluster's base directory.
pub fn cache_root() -> PathBuf {
    let nonempty = |v: std::ffi::OsString| (!v.is_empty()).then(|| PathBuf::from(v));
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").and_then(nonempty) {
        return dir.join("accrete");
    }
    if let Some(home) = std::env::var_os("HOME").and_then(nonempty) {
        return home.join(".cache").join("accrete");
    }
    PathBuf::from(format!("/tmp/accrete-{}-cache", Uid::effective()))
}

/// Makes sure the scratch cluster of `major` runs, and stops idle scratch clusters of other majors.
pub fn ensure(major: u32) -> Result<Cluster> {
    ensure_in(&cache_root(), major, now_secs())
}

/// Stops every running scratch cluster. Returns how many were running.
pub fn stop_all() -> Result<usize> {
    stop_all_in(&cache_root())
}

pub(crate) fn stop_all_in(root: &Path) -> Result<usize> {
    let mut stopped = 0;
    for base in bases(root)? {
        if super::cluster::stop_cluster(&base)? {
            stopped += 1;
        }
    }
    Ok(stopped)
}

pub(crate) fn ensure_in(root: &Path, major: u32, now: u64) -> Result<Cluster> {
    let base = root.join(format!("{PREFIX}{major}"));
    for other in bases(root)?.into_iter().filter(|b| *b != base) {
        stop_if_idle(&other, now)?;
    }
    let (cluster, started) = ensure_cluster(&base, major)
        .with_context(|| format!("starting the PostgreSQL {major} scratch cluster in {}", base.display()))?;
    if started {
        crate::progress::notice(&format!(
            "started a PostgreSQL {major} scratch cluster in {} to normalize schemas; it stops after {} minutes \
             unused (`accrete local stop --scratch` stops it now)",
            base.display(),
            IDLE_STOP.as_secs() / 60
        ));
    }
    Ok(cluster)
}

/// Stops the cluster in `base` when it runs and was last used more than [`IDLE_STOP`] before `now`.
/// Returns whether it stopped it.
pub(crate) fn stop_if_idle(base: &Path, now: u64) -> Result<bool> {
    let _lock = BaseLock::acquire(base)?;
    let Some(state) = State::read(base)? else { return Ok(false) };
    if now.saturating_sub(state.last_used) <= IDLE_STOP.as_secs() || running(&state.data_dir).is_none() {
        return Ok(false);
    }
    tracing::info!("stopping the idle PostgreSQL {} scratch cluster in {}", state.major, base.display());
    stop_server(&state.data_dir)
}

/// The scratch base directories under `root`, sorted.
fn bases(root: &Path) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", root.display())),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", root.display()))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(PREFIX) && entry.path().is_dir() {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pg::find_binaries;
    use std::os::unix::fs::PermissionsExt;

    /// Stops every cluster under the root and removes their directories, also when the test panics.
    struct Cleanup(PathBuf);

    impl Drop for Cleanup {
        fn drop(&mut self) {
            for base in bases(&self.0).unwrap_or_default() {
                let _ = super::super::cluster::stop_cluster(&base);
                if let Ok(Some(state)) = State::read(&base) {
                    let _ = fs::remove_dir_all(&state.data_dir);
                    let _ = fs::remove_dir_all(&state.socket_dir);
                }
            }
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn ensure_stops_other_scratch_clusters_idle_for_thirty_minutes() {
        let major =
            find_binaries(None).expect("PostgreSQL server binaries (apt-get install postgresql)").major;
        let root =
            tempfile::Builder::new().prefix("accrete-scratch-test-").tempdir_in("/tmp").unwrap().keep();
        fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).unwrap();
        let _cleanup = Cleanup(root.clone());
        let (other, _) = ensure_cluster(&root.join("scratch-other"), major).unwrap();
        let t0 = now_secs();
        let used = ensure_in(&root, major, t0).unwrap();
        assert!(running(&other.data_dir).is_some(), "used just now: not idle");
        let used_again = ensure_in(&root, major, t0 + IDLE_STOP.as_secs() + 60).unwrap();
        assert!(running(&other.data_dir).is_none(), "idle for 31 minutes: stopped");
        assert_eq!(used_again.pid, used.pid, "the cluster in use keeps running");
        assert!(running(&used.data_dir).is_some());
        assert_eq!(stop_all_in(&root).unwrap(), 1);
        assert!(running(&used.data_dir).is_none());
        assert_eq!(stop_all_in(&root).unwrap(), 0);
    }
}
