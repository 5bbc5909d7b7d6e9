//! Finding PostgreSQL server binaries (`postgres`, `initdb`, `pg_ctl`) of a given major version.
//!
//! Search order, first match wins: `ACCRETE_PG_BIN_<major>`, `ACCRETE_PG_BIN`, `pg_config --bindir`, the
//! directories of `PATH`, then the usual package locations `/usr/lib/postgresql/<major>/bin`,
//! `/usr/pgsql-<major>/bin` and `/opt/pg-versions/<major>/bin`. A directory counts only when it holds all
//! three programs and `postgres --version` reports the major asked for. An explicit
//! `ACCRETE_PG_BIN_<major>` that does not hold that major is an error, never silently skipped.

use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The majors accrete supports and picks by default.
pub const SUPPORTED_MAJORS: RangeInclusive<u32> = 14..=18;
/// The oldest major accepted when asked for explicitly: the oldest supported one (inspect's queries read
/// catalog columns that 13 and older lack).
pub const OLDEST_ACCEPTED_MAJOR: u32 = *SUPPORTED_MAJORS.start();

const PROGRAMS: [&str; 3] = ["postgres", "initdb", "pg_ctl"];
const PACKAGE_DIRS: [&str; 3] =
    ["/usr/lib/postgresql/{}/bin", "/usr/pgsql-{}/bin", "/opt/pg-versions/{}/bin"];

/// A directory of server binaries and the version they report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    pub dir: PathBuf,
    pub major: u32,
    /// As `postgres --version` prints it, e.g. `16.4` or `18beta1`.
    pub version: String,
}

impl PgBinaries {
    /// The path of one program in this directory.
    pub fn tool(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// Finds server binaries of `major`, or (for `None`) of the highest supported major found.
pub fn find_binaries(major: Option<u32>) -> Result<PgBinaries> {
    Search::from_environment().find(major)
}

/// Every supported major (14 to 18) for which server binaries are found, ascending.
pub fn available_majors() -> Vec<u32> {
    Search::from_environment().available()
}

/// Parses `postgres --version` output (`postgres (PostgreSQL) 15.18 (Debian ...)`) into (major, version).
pub fn parse_version(output: &str) -> Option<(u32, String)> {
    let rest = &output[output.find("(PostgreSQL)")? + "(PostgreSQL)".len()..];
    let version = rest.split_whitespace().next()?.to_string();
    let digits: String = version.chars().take_while(|c| c.is_ascii_digit()).collect();
    let major: u32 = digits.parse().ok()?;
    Some((major, version))
}

/// Where to look. Built from the process environment, or by tests from fixed values.
pub(crate) struct Search {
    /// `ACCRETE_PG_BIN` and `ACCRETE_PG_BIN_<major>` values.
    pub(crate) env: BTreeMap<String, String>,
    /// `pg_config --bindir`, when a `pg_config` is found.
    pub(crate) pg_config_bindir: Option<PathBuf>,
    pub(crate) path: Vec<PathBuf>,
    /// Package location templates, `{}` standing for the major.
    pub(crate) package_dirs: Vec<String>,
    probed: BTreeMap<PathBuf, Option<(u32, String)>>,
}

impl Search {
    pub(crate) fn new(
        env: BTreeMap<String, String>,
        pg_config_bindir: Option<PathBuf>,
        path: Vec<PathBuf>,
        package_dirs: Vec<String>,
    ) -> Self {
        Search { env, pg_config_bindir, path, package_dirs, probed: BTreeMap::new() }
    }

    fn from_environment() -> Self {
        let env = std::env::vars().filter(|(k, _)| k.starts_with("ACCRETE_PG_BIN")).collect();
        let path: Vec<PathBuf> =
            std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
        let pg_config_bindir = pg_config_bindir(&path);
        Search::new(env, pg_config_bindir, path, PACKAGE_DIRS.iter().map(|s| s.to_string()).collect())
    }

    /// Candidate directories for `major`, in search order, each with where it came from.
    pub(crate) fn candidates(&self, major: u32) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        let specific = format!("ACCRETE_PG_BIN_{major}");
        for var in [specific.as_str(), "ACCRETE_PG_BIN"] {
            if let Some(v) = self.env.get(var).filter(|v| !v.is_empty()) {
                out.push((PathBuf::from(v), var.to_string()));
            }
        }
        if let Some(dir) = &self.pg_config_bindir {
            out.push((dir.clone(), "pg_config --bindir".to_string()));
        }
        for dir in &self.path {
            if dir.join("postgres").is_file() {
                out.push((dir.clone(), "PATH".to_string()));
            }
        }
        for template in &self.package_dirs {
            out.push((PathBuf::from(template.replace("{}", &major.to_string())), "package location".into()));
        }
        out
    }

    fn probe(&mut self, dir: &Path) -> Option<(u32, String)> {
        if let Some(known) = self.probed.get(dir) {
            return known.clone();
        }
        let found = probe_dir(dir);
        self.probed.insert(dir.to_path_buf(), found.clone());
        found
    }

    pub(crate) fn find(&mut self, major: Option<u32>) -> Result<PgBinaries> {
        match major {
            Some(major) => self.find_major(major),
            None => {
                for major in SUPPORTED_MAJORS.rev() {
                    if let Ok(found) = self.find_major(major) {
                        return Ok(found);
                    }
                }
                bail!(
                    "no PostgreSQL server binaries of a supported major ({} to {}) found; install them \
                     (apt-get install postgresql, or dnf install postgresql-server) or set ACCRETE_PG_BIN to \
                     their bin directory",
                    SUPPORTED_MAJORS.start(),
                    SUPPORTED_MAJORS.end()
                )
            }
        }
    }

    fn find_major(&mut self, major: u32) -> Result<PgBinaries> {
        if major < OLDEST_ACCEPTED_MAJOR || major > *SUPPORTED_MAJORS.end() {
            bail!(
                "PostgreSQL {major} is not supported (supported: {} to {})",
                OLDEST_ACCEPTED_MAJOR,
                SUPPORTED_MAJORS.end()
            );
        }
        let mut seen = Vec::new();
        for (dir, origin) in self.candidates(major) {
            match self.probe(&dir) {
                Some((m, version)) if m == major => return Ok(PgBinaries { dir, major, version }),
                other => {
                    if origin == format!("ACCRETE_PG_BIN_{major}") {
                        let what = match other {
                            Some((m, v)) => format!("holds PostgreSQL {m} ({v})"),
                            None => "does not hold postgres, initdb and pg_ctl".to_string(),
                        };
                        bail!("ACCRETE_PG_BIN_{major}={} {what}, not PostgreSQL {major}", dir.display());
                    }
                    if let Some((m, _)) = other {
                        seen.push(format!("{m} in {}", dir.display()));
                    }
                }
            }
        }
        let seen =
            if seen.is_empty() { String::new() } else { format!(" (found PostgreSQL {})", seen.join(", ")) };
        bail!(
            "no PostgreSQL {major} server binaries found{seen}; install PostgreSQL {major} server binaries \
             (apt-get install postgresql-{major}, or dnf install postgresql{major}-server) or set \
             ACCRETE_PG_BIN_{major} to their bin directory"
        )
    }

    pub(crate) fn available(&mut self) -> Vec<u32> {
        (OLDEST_ACCEPTED_MAJOR..=*SUPPORTED_MAJORS.end()).filter(|m| self.find_major(*m).is_ok()).collect()
    }
}

fn is_executable(path: &Path) -> bool {
    path.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
}

/// The (major, version) of the server binaries in `dir`, if it holds all of them.
fn probe_dir(dir: &Path) -> Option<(u32, String)> {
    if !PROGRAMS.iter().all(|p| is_executable(&dir.join(p))) {
        return None;
    }
    let out = Command::new(dir.join("postgres")).arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    parse_version(&String::from_utf8_lossy(&out.stdout))
}

fn pg_config_bindir(path: &[PathBuf]) -> Option<PathBuf> {
    let pg_config = path.iter().map(|d| d.join("pg_config")).find(|p| is_executable(p))?;
    let out = Command::new(pg_config).arg("--bindir").output().ok()?;
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !dir.is_empty()).then(|| PathBuf::from(dir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A directory with fake `postgres`, `initdb` and `pg_ctl` programs reporting `version`.
    fn fake_bin(root: &Path, name: &str, version: &str) -> PathBuf {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        for program in PROGRAMS {
            let script = format!("#!/bin/sh\necho 'postgres (PostgreSQL) {version} (fake)'\n");
            let path = dir.join(program);
            fs::write(&path, script).unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        }
        dir
    }

    fn env(pairs: &[(&str, &Path)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.display().to_string())).collect()
    }

    #[test]
    fn parses_version_lines() {
        assert_eq!(
            parse_version("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"),
            Some((15, "15.18".into()))
        );
        assert_eq!(parse_version("postgres (PostgreSQL) 18beta1\n"), Some((18, "18beta1".into())));
        assert_eq!(parse_version("something else"), None);
    }

    #[test]
    fn search_order_is_specific_env_generic_env_pg_config_path_packages() {
        let tmp = tempfile::tempdir().unwrap();
        let specific = fake_bin(tmp.path(), "specific", "16.1");
        let generic = fake_bin(tmp.path(), "generic", "16.2");
        let pgconfig = fake_bin(tmp.path(), "pgconfig", "16.3");
        let on_path = fake_bin(tmp.path(), "path", "16.4");
        fake_bin(tmp.path(), "pkg-16", "16.5");
        let package = vec![format!("{}/pkg-{{}}", tmp.path().display())];
        let search = |env: BTreeMap<String, String>, pgc: Option<&Path>, path: &[&Path]| {
            let path = path.iter().map(|p| p.to_path_buf()).collect();
            Search::new(env, pgc.map(Path::to_path_buf), path, package.clone()).find(Some(16)).unwrap()
        };
        let all_env = env(&[("ACCRETE_PG_BIN_16", &specific), ("ACCRETE_PG_BIN", &generic)]);
        assert_eq!(search(all_env, Some(&pgconfig), &[&on_path]).version, "16.1");
        let generic_env = env(&[("ACCRETE_PG_BIN", &generic)]);
        assert_eq!(search(generic_env, Some(&pgconfig), &[&on_path]).version, "16.2");
        assert_eq!(search(BTreeMap::new(), Some(&pgconfig), &[&on_path]).version, "16.3");
        assert_eq!(search(BTreeMap::new(), None, &[&on_path]).version, "16.4");
        let found = search(BTreeMap::new(), None, &[]);
        assert_eq!((found.version.as_str(), found.dir), ("16.5", tmp.path().join("pkg-16")));
    }

    #[test]
    fn skips_other_majors_and_picks_the_highest_supported_by_default() {
        let tmp = tempfile::tempdir().unwrap();
        let fifteen = fake_bin(tmp.path(), "pkg-15", "15.7");
        fake_bin(tmp.path(), "pkg-17", "17.2");
        fake_bin(tmp.path(), "pkg-13", "13.9");
        let package = vec![format!("{}/pkg-{{}}", tmp.path().display())];
        let mut search = Search::new(env(&[("ACCRETE_PG_BIN", &fifteen)]), None, vec![], package);
        assert_eq!(search.find(Some(17)).unwrap().version, "17.2");
        assert_eq!(search.find(Some(15)).unwrap().dir, fifteen);
        assert_eq!(search.find(None).unwrap().major, 17);
        let err = search.find(Some(13)).unwrap_err().to_string();
        assert!(err.contains("PostgreSQL 13 is not supported (supported: 14 to 18)"), "{err}");
        assert_eq!(search.available(), vec![15, 17]);
        let err = search.find(Some(16)).unwrap_err().to_string();
        assert!(err.contains("apt-get install postgresql-16"), "{err}");
        assert!(err.contains("ACCRETE_PG_BIN_16"), "{err}");
        assert!(err.contains("found PostgreSQL 15 in"), "{err}");
    }

    #[test]
    fn a_wrong_specific_variable_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let fifteen = fake_bin(tmp.path(), "pkg-15", "15.7");
        fake_bin(tmp.path(), "pkg-16", "16.1");
        let package = vec![format!("{}/pkg-{{}}", tmp.path().display())];
        let mut search = Search::new(env(&[("ACCRETE_PG_BIN_16", &fifteen)]), None, vec![], package);
        let err = search.find(Some(16)).unwrap_err().to_string();
        assert!(err.contains("holds PostgreSQL 15"), "{err}");
    }

    #[test]
    fn only_thirteen_is_not_picked_by_default() {
        let tmp = tempfile::tempdir().unwrap();
        fake_bin(tmp.path(), "pkg-13", "13.9");
        let package = vec![format!("{}/pkg-{{}}", tmp.path().display())];
        let mut search = Search::new(BTreeMap::new(), None, vec![], package);
        let err = search.find(None).unwrap_err().to_string();
        assert!(err.contains("apt-get install postgresql"), "{err}");
    }
}
