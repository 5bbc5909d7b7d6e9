//! The files in a cluster's base directory: the lock file that serializes starts and stops, the JSON state
//! file, and reading the server's own `postmaster.pid`.
//!
//! The state file says where things are (data directory, socket directory, binaries) and when the cluster
//! was last used; whether the server runs is always decided from `postmaster.pid`, the process table and the
//! socket, never from the state file alone.

use anyhow::{Context, Result};
use nix::fcntl::{Flock, FlockArg};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The longest Unix socket path the kernel accepts (`sun_path` is 108 bytes with its terminating NUL).
pub const MAX_SOCKET_PATH: usize = 107;

pub(crate) const STATE_FILE: &str = "state.json";
const LOCK_FILE: &str = "lock";

/// What `<base>/state.json` records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    pub major: u32,
    pub version: String,
    pub bin_dir: PathBuf,
    pub data_dir: PathBuf,
    pub socket_dir: PathBuf,
    pub port: u16,
    /// The postmaster's pid when it was last started by accrete.
    pub pid: u32,
    pub superuser: String,
    /// The OS user the server runs as, when accrete switched to it (running as root).
    pub server_user: Option<String>,
    /// Seconds since the Unix epoch.
    pub last_used: u64,
}

impl State {
    pub(crate) fn read(base: &Path) -> Result<Option<State>> {
        let path = base.join(STATE_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let state = serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        Ok(Some(state))
    }

    /// Writes the state atomically (temporary file, then rename).
    pub(crate) fn write(&self, base: &Path) -> Result<()> {
        let path = base.join(STATE_FILE);
        let tmp = base.join(format!("{STATE_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).expect("state serializes");
        fs::write(&tmp, text + "\n").with_context(|| format!("writing {}", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// An exclusive lock on `<base>/lock`, held until dropped. Two processes, or two threads of one process
/// (each opens the file itself), never hold it at once.
pub(crate) struct BaseLock {
    _lock: Flock<File>,
}

impl BaseLock {
    pub(crate) fn acquire(base: &Path) -> Result<BaseLock> {
        let path = base.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening lock file {}", path.display()))?;
        let lock = Flock::lock(file, FlockArg::LockExclusive)
            .map_err(|(_, errno)| errno)
            .with_context(|| format!("locking {}", path.display()))?;
        Ok(BaseLock { _lock: lock })
    }
}

/// A running postmaster, as its `postmaster.pid` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Running {
    pub pid: u32,
    pub port: u16,
    pub socket_dir: PathBuf,
}

/// The server running on `data_dir`, if its `postmaster.pid` names a live process that is ready and whose
/// socket accepts connections.
pub(crate) fn running(data_dir: &Path) -> Option<Running> {
    let text = fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    let pid: u32 = lines.first()?.trim().parse().ok()?;
    let port: u16 = lines.get(3)?.trim().parse().ok()?;
    let socket_dir = PathBuf::from(lines.get(4)?.trim());
    let status = lines.get(7).map(|s| s.trim()).unwrap_or("");
    if status != "ready" || !pid_alive(pid) || socket_dir.as_os_str().is_empty() {
        return None;
    }
    UnixStream::connect(socket_dir.join(format!(".s.PGSQL.{port}"))).ok()?;
    Some(Running { pid, port, socket_dir })
}

/// Whether a process with this pid exists (also when it belongs to another user).
pub(crate) fn pid_alive(pid: u32) -> bool {
    use nix::errno::Errno;
    use nix::sys::signal::kill;
    use nix::unistd::Pid;
    let Ok(raw) = i32::try_from(pid) else { return false };
    if raw <= 0 {
        return false;
    }
    matches!(kill(Pid::from_raw(raw), None), Ok(()) | Err(Errno::EPERM))
}

/// The major recorded in `data_dir/PG_VERSION`, when there is a cluster there.
pub(crate) fn data_dir_major(data_dir: &Path) -> Result<Option<u32>> {
    let path = data_dir.join("PG_VERSION");
    match fs::read_to_string(&path) {
        Ok(text) => {
            let major = text.trim().parse().with_context(|| format!("reading {}", path.display()))?;
            Ok(Some(major))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_through_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let state = State {
            major: 16,
            version: "16.4".into(),
            bin_dir: "/usr/lib/postgresql/16/bin".into(),
            data_dir: tmp.path().join("data"),
            socket_dir: "/tmp/accrete-0-abc".into(),
            port: 5432,
            pid: 42,
            superuser: "postgres".into(),
            server_user: Some("postgres".into()),
            last_used: 1,
        };
        assert_eq!(State::read(tmp.path()).unwrap(), None);
        state.write(tmp.path()).unwrap();
        assert_eq!(State::read(tmp.path()).unwrap(), Some(state));
    }

    #[test]
    fn a_stale_pid_file_is_not_running() {
        let tmp = tempfile::tempdir().unwrap();
        // A pid far above any pid_max, so certainly not alive.
        let text = format!("999999999\n{}\n1\n5432\n/tmp\n\n0\nready   \n", tmp.path().display());
        fs::write(tmp.path().join("postmaster.pid"), text).unwrap();
        assert_eq!(running(tmp.path()), None);
        assert!(!pid_alive(999_999_999));
        assert!(pid_alive(std::process::id()));
    }

    #[test]
    fn the_lock_excludes_a_second_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let first = BaseLock::acquire(tmp.path()).unwrap();
        let file = OpenOptions::new().write(true).open(tmp.path().join(LOCK_FILE)).unwrap();
        assert!(Flock::lock(file, FlockArg::LockExclusiveNonblock).is_err());
        drop(first);
        let file = OpenOptions::new().write(true).open(tmp.path().join(LOCK_FILE)).unwrap();
        assert!(Flock::lock(file, FlockArg::LockExclusiveNonblock).is_ok());
    }
}
