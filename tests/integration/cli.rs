//! Running the `accrete` binary as a user would: in a project directory of its own, with a clean
//! environment, against the test cluster. Normalization uses the test cluster too (`--dev-url`), so a test
//! run starts one server.

#![allow(dead_code)]

use crate::support;
use accrete::conn::{ConnParams, Host};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn all(&self) -> String {
        format!("exit {}\n--- stdout ---\n{}--- stderr ---\n{}", self.code, self.stdout, self.stderr)
    }
}

/// A URL for `params` (Unix socket, trust authentication): `postgresql://user@/db?host=DIR&port=N`.
pub fn url(params: &ConnParams) -> String {
    let dir = match params.hosts.first() {
        Some(Host::Socket(dir)) => dir.display().to_string(),
        other => panic!("the test cluster is reached over a socket, not {other:?}"),
    };
    format!("postgresql://{}@/{}?host={dir}&port={}", params.user, params.dbname, params.port)
}

/// The test cluster's maintenance database, for `--dev-url`.
pub fn dev_url() -> String {
    url(&support::cluster().admin_params())
}

/// A project directory: `schema/` copied from a fixture (and its `accrete.toml`, if any).
pub struct Project {
    pub dir: PathBuf,
}

impl Project {
    pub fn new(name: &str, fixture: &Path) -> Project {
        let dir = support::temp_dir(&format!("project-{name}"));
        copy_dir(&fixture_schema_dir(fixture), &dir.join("schema"));
        if fixture.join("accrete.toml").exists() {
            std::fs::copy(fixture.join("accrete.toml"), dir.join("accrete.toml")).unwrap();
        }
        Project { dir }
    }

    /// An empty project with the given schema files.
    pub fn with_files(name: &str, files: &[(&str, &str)]) -> Project {
        let dir = support::temp_dir(&format!("project-{name}"));
        for (path, text) in files {
            let path = dir.join("schema").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::create_dir_all(dir.join("schema")).unwrap();
        Project { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// `accrete ARGS` in the project directory; `plan`, `drift` and `snapshot` normalize on the test cluster, and
    /// `apply --dry-run` makes its copy of the schema there.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut full: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let scratch = matches!(args.first(), Some(&"plan") | Some(&"drift") | Some(&"snapshot"))
            || args.contains(&"--dry-run");
        if scratch && !args.contains(&"--dev-url") {
            full.push("--dev-url".into());
            full.push(dev_url());
        }
        run_in(&self.dir, &full)
    }

    pub fn plan(&self, db_url: &str, out: &str) -> Output {
        let out = self.path(out);
        self.run(&["plan", "--db", db_url, "--out", out.to_str().unwrap()])
    }

    /// Plans into `plan.sql` (which must succeed) and applies it; returns what apply printed.
    pub fn plan_and_apply(&self, db_url: &str) -> Output {
        let planned = self.plan(db_url, "plan.sql");
        assert_eq!(planned.code, 0, "{}", planned.all());
        let plan = self.path("plan.sql");
        self.run(&["apply", plan.to_str().unwrap(), "--db", db_url])
    }
}

/// Runs the binary in `dir` with an environment free of any PostgreSQL target.
pub fn run_in(dir: &Path, args: &[String]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accrete"));
    // Clusters the binary starts itself (scratch, local) live under the test run's folder, not the user's.
    cmd.args(args).current_dir(dir).env("XDG_CACHE_HOME", support::root().join("cache"));
    for (key, _) in std::env::vars() {
        if key.starts_with("PG") || key == "DATABASE_URL" {
            cmd.env_remove(key);
        }
    }
    let out = cmd.output().expect("running the accrete binary");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `psql -X -v ON_ERROR_STOP=1 -f FILE` against `db`.
pub fn psql_file(db: &ConnParams, file: &Path) -> Output {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url(db), "-f"])
        .arg(file)
        .output()
        .expect("running psql (apt-get install -y postgresql-client)");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fixture's desired state: its `schema/` folder, or the folder its `expect.toml` names with
/// `schema = "PATH"` (relative to the fixture), so that a fixture can use the example `schema/` as it is.
pub fn fixture_schema_dir(fixture: &Path) -> PathBuf {
    let expect = std::fs::read_to_string(fixture.join("expect.toml")).unwrap_or_default();
    let named = toml::from_str::<toml::Table>(&expect)
        .ok()
        .and_then(|t| t.get("schema").and_then(|v| v.as_str()).map(|s| fixture.join(s)));
    named.unwrap_or_else(|| fixture.join("schema"))
}

/// A fixture's live state: its `live.sql`, or the file its `expect.toml` names with `live = "PATH"`
/// (relative to the fixture), so that two fixtures can start from the same state; `None` when there is none.
pub fn fixture_live_sql(fixture: &Path) -> Option<String> {
    let expect = std::fs::read_to_string(fixture.join("expect.toml")).unwrap_or_default();
    let named = toml::from_str::<toml::Table>(&expect)
        .ok()
        .and_then(|t| t.get("live").and_then(|v| v.as_str()).map(|s| fixture.join(s)));
    std::fs::read_to_string(named.unwrap_or_else(|| fixture.join("live.sql"))).ok()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("reading {}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A plan file with the lines that depend on the target and the run masked: server version, database and
/// system identifier, the tool's version, the proof line (database and version), plan id and checksum, and
/// table sizes (estimates that autovacuum may refresh between runs: the size line, and the size on a lock
/// comment and a header hazard line).
pub fn masked_plan(text: &str) -> String {
    text.lines()
        .map(|line| {
            if (line.starts_with("--   lock: ") || line.starts_with("--   step "))
                && let Some((lock, _)) = line.split_once("; size ")
            {
                return format!("{lock}; size <masked>");
            }
            for prefix in [
                "-- accrete:size",
                "-- accrete plan ",
                "-- target:",
                "-- normalized on:",
                "-- tool:",
                "-- proven:",
                "-- accrete:plan-id",
                "-- accrete:target",
                "-- accrete:checksum",
            ] {
                if line.starts_with(prefix) {
                    return format!("{prefix}<masked>");
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
