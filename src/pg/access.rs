//! Who runs the server, and where that user can keep its files.
//!
//! `initdb` and `postgres` refuse to run as root. When accrete runs as root, the server runs as `postgres`
//! (or `nobody` when there is no such user) with no supplementary groups, and every directory it needs must
//! be reachable by that user: a 0700 parent directory (a home directory, a `tempfile` directory) blocks it.
//! Such a data directory moves to a per-user directory under `/var/tmp` (or `/tmp`), at a path derived from
//! the base directory, so it is found again without the state file.

use anyhow::{Context, Result, bail};
use nix::unistd::{Gid, Uid, User};
use sha2::{Digest, Sha256};
use std::fs;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::state::MAX_SOCKET_PATH;

/// The OS user the server runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerUser {
    pub name: String,
    pub uid: Uid,
    pub gid: Gid,
    /// True when that is not the current user (accrete runs as root and switches).
    pub switch: bool,
}

impl ServerUser {
    /// The current user, or when root, `postgres` (else `nobody`).
    pub(crate) fn for_current_process() -> Result<ServerUser> {
        let uid = Uid::effective();
        if !uid.is_root() {
            let name = User::from_uid(uid).ok().flatten().map(|u| u.name).unwrap_or_else(|| uid.to_string());
            return Ok(ServerUser { name, uid, gid: Gid::effective(), switch: false });
        }
        for name in ["postgres", "nobody"] {
            if let Some(user) = User::from_name(name).context("looking up OS users")? {
                return Ok(ServerUser { name: user.name, uid: user.uid, gid: user.gid, switch: true });
            }
        }
        bail!(
            "running as root, and there is neither a `postgres` nor a `nobody` OS user to run PostgreSQL as"
        )
    }

    /// A command that runs `program` as this user (dropping root and its groups when switching).
    pub(crate) fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir("/");
        if self.switch {
            cmd.gid(self.gid.as_raw()).uid(self.uid.as_raw());
            if let Some(home) = User::from_uid(self.uid).ok().flatten().map(|u| u.dir) {
                cmd.env("HOME", home);
            }
            cmd.env("USER", &self.name).env("LOGNAME", &self.name);
        }
        cmd
    }

    /// Whether this user can enter `dir` and every directory above it (mode bits; primary group only).
    pub(crate) fn can_reach(&self, dir: &Path) -> bool {
        if !self.switch {
            return true;
        }
        let Ok(dir) = dir.canonicalize() else { return false };
        dir.ancestors().all(|d| match d.metadata() {
            Ok(meta) => {
                let mode = meta.permissions().mode();
                let bit = if meta.uid() == self.uid.as_raw() {
                    0o100
                } else if meta.gid() == self.gid.as_raw() {
                    0o010
                } else {
                    0o001
                };
                mode & bit != 0
            }
            Err(_) => false,
        })
    }

    /// Creates `dir` (mode 0700) if missing and hands it to this user; refuses a directory owned by anyone
    /// but this user or the current one.
    pub(crate) fn own_dir(&self, dir: &Path) -> Result<()> {
        if !dir.exists() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .with_context(|| format!("creating {}", dir.display()))?;
        }
        let meta = dir.metadata().with_context(|| format!("reading {}", dir.display()))?;
        if meta.uid() != self.uid.as_raw() && meta.uid() != Uid::effective().as_raw() {
            bail!(
                "{} belongs to another user (uid {}); remove it or run as that user",
                dir.display(),
                meta.uid()
            );
        }
        if self.switch && meta.uid() != self.uid.as_raw() {
            nix::unistd::chown(dir, Some(self.uid), Some(self.gid))
                .with_context(|| format!("handing {} to OS user {}", dir.display(), self.name))?;
        }
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("setting permissions of {}", dir.display()))
    }
}

/// A short stable hex digest of a path, for directory names.
pub(crate) fn path_hash(path: &Path) -> String {
    let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
    hex::encode(&digest[..6])
}

/// Where the data directory of the cluster in `base` lives: `<base>/data` when the server's user can reach
/// `base`, else `<root>/accrete-<uid>/<base name>-<hash of base>` under the first of `/var/tmp` and `/tmp`
/// it can reach.
pub(crate) fn data_location(base: &Path, user: &ServerUser) -> Result<PathBuf> {
    if user.can_reach(base) {
        return Ok(base.join("data"));
    }
    let base = base.canonicalize().with_context(|| format!("resolving {}", base.display()))?;
    let label =
        base.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "cluster".into());
    for root in ["/var/tmp", "/tmp"] {
        let root = Path::new(root);
        if !user.can_reach(root) {
            continue;
        }
        let parent = root.join(format!("accrete-{}", Uid::effective()));
        shared_parent(&parent)?;
        if user.can_reach(&parent) {
            return Ok(parent.join(format!("{label}-{}", path_hash(&base))));
        }
    }
    bail!(
        "OS user {} cannot reach {} (a parent directory is not searchable by it) nor /var/tmp or /tmp; \
         place the project in a directory it can reach",
        user.name,
        base.display()
    )
}

/// Creates a directory of the current user that others may enter (0755), refusing one owned by another.
fn shared_parent(dir: &Path) -> Result<()> {
    if !dir.exists() {
        fs::DirBuilder::new()
            .mode(0o755)
            .create(dir)
            .or_else(|e| if e.kind() == std::io::ErrorKind::AlreadyExists { Ok(()) } else { Err(e) })
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    let meta = fs::symlink_metadata(dir).with_context(|| format!("reading {}", dir.display()))?;
    if !meta.is_dir() || meta.uid() != Uid::effective().as_raw() {
        bail!("{} is not a directory of the current user; remove it", dir.display());
    }
    if meta.permissions().mode() & 0o055 != 0o055 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("setting permissions of {}", dir.display()))?;
    }
    Ok(())
}

/// The socket directory for the cluster whose data lives in `data_dir`: short, under `/tmp`, one per
/// data directory.
pub(crate) fn socket_dir_for(data_dir: &Path) -> PathBuf {
    PathBuf::from(format!("/tmp/accrete-{}-{}", Uid::effective(), path_hash(data_dir)))
}

/// The socket path for `port` in `dir`, refused when longer than the kernel accepts.
pub(crate) fn socket_path(dir: &Path, port: u16) -> Result<PathBuf> {
    let path = dir.join(format!(".s.PGSQL.{port}"));
    let len = path.as_os_str().len();
    if len > MAX_SOCKET_PATH {
        bail!(
            "Unix socket path {} is {len} bytes, more than the {MAX_SOCKET_PATH} the kernel accepts",
            path.display()
        );
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_switching_to_nobody() -> ServerUser {
        let user = User::from_name("nobody").unwrap().expect("a nobody user");
        ServerUser { name: user.name, uid: user.uid, gid: user.gid, switch: true }
    }

    #[test]
    fn socket_paths_fit_the_kernel_limit() {
        let dir = socket_dir_for(Path::new("/a/very/long/path").join("x".repeat(300)).as_path());
        let path = socket_path(&dir, 65535).unwrap();
        assert!(path.as_os_str().len() <= MAX_SOCKET_PATH, "{}", path.display());
        let long = PathBuf::from("/tmp").join("d".repeat(100));
        let err = socket_path(&long, 5432).unwrap_err().to_string();
        assert!(err.contains("more than the 107"), "{err}");
    }

    #[test]
    fn a_0700_parent_is_not_reachable_by_another_user() {
        let tmp = tempfile::tempdir().unwrap();
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o700)).unwrap();
        let inner = tmp.path().join("inner");
        fs::create_dir(&inner).unwrap();
        let other = root_switching_to_nobody();
        assert!(!other.can_reach(&inner));
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o711)).unwrap();
        assert!(other.can_reach(&inner) == ancestors_searchable(tmp.path()));
        assert!(other.can_reach(Path::new("/tmp")));
    }

    fn ancestors_searchable(dir: &Path) -> bool {
        dir.ancestors()
            .skip(1)
            .all(|d| d.metadata().map(|m| m.permissions().mode() & 0o001 != 0).unwrap_or(false))
    }

    #[test]
    fn unreachable_data_moves_to_a_stable_per_user_directory() {
        let tmp = tempfile::tempdir().unwrap();
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o700)).unwrap();
        let base = tmp.path().join("scratch-16");
        fs::create_dir(&base).unwrap();
        let user = root_switching_to_nobody();
        let first = data_location(&base, &user).unwrap();
        assert!(!first.starts_with(tmp.path()), "{}", first.display());
        assert!(first.file_name().unwrap().to_string_lossy().starts_with("scratch-16-"));
        assert_eq!(data_location(&base, &user).unwrap(), first);
        assert!(user.can_reach(first.parent().unwrap()));
    }
}
