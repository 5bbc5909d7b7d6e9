//! The harness every integration test uses: one throwaway PostgreSQL cluster per test binary, and a fresh
//! empty database per test.
//!
//! Everything a test run writes lives under one root, [`root`]: `accrete-test-<pid>-<nanos>` in the system's
//! temporary directory. The cluster starts on first use (through `accrete::pg::ensure_cluster`, the same
//! code path as accrete's own clusters) in `<root>/cluster`, on a port the system says is free; projects and
//! other servers get folders beside it. The major is `ACCRETE_TEST_PG_MAJOR` when set, else the server the
//! machine's package manager installed. The test harness runs no destructors for statics, so a detached
//! watcher process (its own process group) waits for the test process to exit, then stops every server the
//! run registered and removes the root. Everything here is safe to call from parallel tests.

#![allow(dead_code)]

use accrete::conn::{ConnParams, Connection};
use accrete::pg::Cluster;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static ROOT: OnceLock<std::path::PathBuf> = OnceLock::new();
static DB_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The fixture folders' directory, `tests/fixtures`.
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// Fixture folders (those with an `expect.toml`), sorted.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("expect.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The PostgreSQL majors a fixture applies to, when its `expect.toml` names them (`majors = [16, 17]`).
pub fn fixture_majors(name: &str) -> Option<Vec<u32>> {
    let path = fixtures_dir().join(name).join("expect.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let expect: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let majors =
        expect.get("majors")?.as_array().unwrap_or_else(|| panic!("{}: majors is a list", path.display()));
    Some(majors.iter().map(|m| m.as_integer().expect("a major is a number") as u32).collect())
}

/// The test binary's cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(start_cluster)
}

fn start_cluster() -> Cluster {
    let major = match std::env::var("ACCRETE_TEST_PG_MAJOR") {
        Ok(m) if !m.is_empty() => Some(m.parse::<u32>().expect("ACCRETE_TEST_PG_MAJOR must be a number")),
        // The server the machine's package manager installed (`pg_config`), as on CI; else the highest found.
        _ => system_major(),
    };
    let bins = accrete::pg::find_binaries(major).unwrap_or_else(|e| {
        panic!(
            "integration tests need PostgreSQL server binaries: {e:#}\n\
             install them with `apt-get install -y postgresql` (or set ACCRETE_PG_BIN)"
        )
    });
    let base = root().join("cluster");
    let (cluster, _) = accrete::pg::ensure_cluster(&base, bins.major)
        .unwrap_or_else(|e| panic!("starting the test cluster in {}: {e:#}", base.display()));
    register_server(cluster.pid, &[&cluster.socket_dir, &cluster.data_dir]);
    cluster
}

/// This run's folder for everything it writes, made on first use; the cleanup watcher removes it once the
/// test process has exited.
pub fn root() -> &'static std::path::Path {
    ROOT.get_or_init(|| {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let root = std::env::temp_dir().join(format!("accrete-test-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("creating {}: {e}", root.display()));
        let root = root.canonicalize().unwrap();
        spawn_cleanup_watcher(&root);
        root
    })
}

/// A new folder under [`root`] named after `hint`, empty.
pub fn temp_dir(hint: &str) -> std::path::PathBuf {
    let n = DB_COUNTER.fetch_add(1, Ordering::Relaxed);
    let clean: String =
        hint.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).take(60).collect();
    let dir = root().join("tmp").join(format!("{clean}-{n}"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// Records a server this run started (its postmaster pid) and folders of its that lie outside [`root`],
/// so that the cleanup watcher stops it and removes them after the test process has exited.
pub fn register_server(pid: u32, dirs: &[&std::path::Path]) {
    use std::io::Write;
    let mut list = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(root().join("servers"))
        .expect("opening the run's server list");
    let mut line = pid.to_string();
    for dir in dirs {
        line.push('\t');
        line.push_str(&dir.display().to_string());
    }
    writeln!(list, "{line}").expect("writing the run's server list");
}

/// The major of the server `pg_config` describes, when its binaries are there.
fn system_major() -> Option<u32> {
    let out = Command::new("pg_config").arg("--version").output().ok()?;
    // "PostgreSQL 15.18 (Debian 15.18-0+deb12u1)"
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().nth(1)?;
    let major: u32 = version.split('.').next()?.parse().ok()?;
    accrete::pg::find_binaries(Some(major)).ok().map(|_| major)
}

/// Starts a watcher in its own process group, detached (the `sh` that starts it exits at once, so nothing
/// is left to reap): once this process has exited, it stops every server listed in `<root>/servers`
/// immediately, then removes their folders and the root.
fn spawn_cleanup_watcher(root: &std::path::Path) {
    use std::os::unix::process::CommandExt;
    let script = r#"
        (
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            if [ -f "$2/servers" ]; then
                while IFS="$(printf '\t')" read -r pid rest; do
                    kill -QUIT "$pid" 2>/dev/null
                    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
                    printf '%s\n' "$rest" | tr '\t' '\n' | while read -r dir; do
                        [ -n "$dir" ] && rm -rf -- "$dir"
                    done
                done < "$2/servers"
            fi
            # Servers the accrete binary started under the run's cache folder (XDG_CACHE_HOME).
            find "$2" -name postmaster.pid 2>/dev/null | while read -r file; do
                pid=$(head -n 1 "$file")
                [ "$(cat /proc/$pid/comm 2>/dev/null)" = postgres ] && kill -QUIT "$pid" 2>/dev/null
            done
            sleep 1
            rm -rf -- "$2"
        ) &
    "#;
    let status = Command::new("sh")
        .args(["-c", script, "accrete-test-cleanup"])
        .arg(std::process::id().to_string())
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .status()
        .expect("spawning the test run's cleanup watcher");
    assert!(status.success(), "starting the test run's cleanup watcher: {status}");
}

/// Parameters for a new, empty, uniquely named database (from `template0`) in the test cluster. `hint`
/// becomes part of the name, for reading server logs.
pub async fn fresh_db(hint: &str) -> ConnParams {
    let admin = cluster().admin_params();
    let name = db_name(hint);
    let conn = connect(&admin).await;
    conn.client
        .batch_execute(&format!("CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
        .await
        .unwrap_or_else(|e| panic!("creating test database {name}: {}", describe(&e)));
    admin.with_dbname(&name)
}

/// `count` new databases holding what `sql` creates: `sql` runs once, in a database that then serves as the
/// template the others are copied from (no statement run again), eight copies at a time (a file copy
/// waits for a checkpoint, which concurrent copies share): a hundred take about two seconds, where one
/// after the other, from `template0` with `sql` run in each, they took eight.
pub async fn fresh_dbs(hint: &str, sql: &str, count: usize) -> Vec<ConnParams> {
    use futures_util::StreamExt;
    let template = fresh_db(&format!("{hint}_template")).await;
    exec(&template, sql).await;
    let admin = cluster().admin_params();
    let major: i32 = connect(&admin)
        .await
        .client
        .query_one("SELECT current_setting('server_version_num')::int / 10000", &[])
        .await
        .unwrap()
        .get(0);
    // From 15 on, WAL_LOG (the default) writes every block of the copy to the WAL; a file copy is cheaper
    // for small databases (and the only strategy before 15).
    let strategy = if major >= 15 { " STRATEGY FILE_COPY" } else { "" };
    let names: Vec<String> = (0..count).map(|_| db_name(hint)).collect();
    let create = |name: String| {
        let (admin, template) = (&admin, &template.dbname);
        async move {
            let sql = format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"{strategy}");
            if let Err(e) = connect(admin).await.client.batch_execute(&sql).await {
                panic!("creating test database {name}: {}", describe(&e));
            }
        }
    };
    futures_util::stream::iter(names.clone()).map(create).buffer_unordered(8).collect::<Vec<()>>().await;
    names.iter().map(|name| admin.with_dbname(name)).collect()
}

/// A unique database name: `t_<hint>_<n>`, the hint reduced to `[a-z0-9_]` and cut to fit 63 bytes.
pub fn db_name(hint: &str) -> String {
    let n = DB_COUNTER.fetch_add(1, Ordering::Relaxed);
    let clean: String = hint
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .take(40)
        .collect();
    format!("t_{clean}_{n}")
}

/// A plain connection (no pinned session settings); panics when it fails.
pub async fn connect(params: &ConnParams) -> Connection {
    accrete::conn::connect(params, "accrete-tests")
        .await
        .unwrap_or_else(|e| panic!("connecting to {params}: {e:#}"))
}

/// Runs `sql` (any number of statements) on a fresh connection; panics with the server's error.
pub async fn exec(params: &ConnParams, sql: &str) {
    let conn = connect(params).await;
    if let Err(e) = conn.client.batch_execute(sql).await {
        panic!("executing on {params}: {}\n--- sql ---\n{sql}", describe(&e));
    }
}

/// An error with the server's message, detail, hint and position when there are any.
pub fn describe(e: &tokio_postgres::Error) -> String {
    let Some(db) = e.as_db_error() else { return e.to_string() };
    let mut out = format!("{}: {} ({})", db.severity(), db.message(), db.code().code());
    if let Some(detail) = db.detail() {
        out.push_str(&format!("\nDETAIL: {detail}"));
    }
    if let Some(hint) = db.hint() {
        out.push_str(&format!("\nHINT: {hint}"));
    }
    if let Some(position) = db.position() {
        out.push_str(&format!("\nPOSITION: {position:?}"));
    }
    out
}
