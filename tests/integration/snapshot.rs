//! `accrete snapshot`: the committed desired state. `drift` from a current snapshot needs no server
//! binaries and no scratch database, and reports what a drift that normalizes reports; the snapshot is
//! byte-identical when written again; `--check` exits 2 once a schema file changed.

use crate::cli::{self, Project};
use crate::support;
use accrete::conn::ConnParams;
use std::collections::BTreeMap;
use std::path::Path;

/// A CHECK whose printed text settles to another one, a default, an index, a view and a grant.
const SCHEMA: &str = "CREATE SCHEMA app;
CREATE TABLE app.orders (
    id bigint PRIMARY KEY,
    state varchar(10) NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'paid', 'sent')),
    amount numeric(12,2) DEFAULT 0 CHECK (amount >= 0),
    note text
);
CREATE INDEX orders_state ON app.orders (lower(state)) WHERE state <> 'sent';
CREATE VIEW app.open_orders AS SELECT id, state FROM app.orders WHERE state <> 'sent';
GRANT SELECT ON app.open_orders TO PUBLIC;
";

/// Runs the binary with extra environment variables (`run_in` with `env`).
pub(crate) fn run_env(dir: &Path, args: &[&str], env: &[(String, String)]) -> cli::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_accrete"));
    cmd.args(args).current_dir(dir).env("XDG_CACHE_HOME", support::root().join("cache"));
    for (key, _) in std::env::vars() {
        if key.starts_with("PG") || key == "DATABASE_URL" || key.starts_with("ACCRETE_PG_BIN") {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env.iter().cloned());
    let out = cmd.output().expect("running the accrete binary");
    cli::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every major's server binaries pointed at an empty folder: finding them fails, for any major.
pub(crate) fn no_binaries(name: &str) -> Vec<(String, String)> {
    let empty = support::temp_dir(&format!("no-bin-{name}"));
    (13..=18).map(|m| (format!("ACCRETE_PG_BIN_{m}"), empty.display().to_string())).collect()
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.insert(
                    path.strip_prefix(base).unwrap().display().to_string(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A read-only role that may connect to `db`, and its URL.
async fn read_only(db: &ConnParams) -> String {
    let ro = format!("{}_ro", db.dbname);
    support::exec(
        db,
        &format!(
            "CREATE ROLE {ro} LOGIN; ALTER ROLE {ro} SET default_transaction_read_only = on;
             GRANT CONNECT ON DATABASE {} TO {ro};",
            db.dbname
        ),
    )
    .await;
    cli::url(&ConnParams { user: ro, ..db.clone() })
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_from_a_snapshot_needs_no_scratch_and_matches_one() {
    let db = support::fresh_db("snapshot drift").await;
    // The live side as the files themselves leave it (texts as loaded, not settled), then drifted.
    support::exec(&db, SCHEMA).await;
    support::exec(
        &db,
        "ALTER TABLE app.orders ALTER COLUMN note SET DEFAULT 'x'; CREATE TABLE app.extra (id int);",
    )
    .await;
    let url = cli::url(&db);
    let project = Project::with_files(&format!("snapshot-{}", db.dbname), &[("app.sql", SCHEMA)]);

    let made = project.run(&["snapshot", "--db", &url]);
    assert_eq!(made.code, 0, "{}", made.all());
    let major = std::fs::read_dir(project.path("schema.snapshot")).unwrap().next().unwrap().unwrap().path();
    let first = tree(&major);
    assert!(
        first.contains_key("manifest.json") && first.contains_key("schemas/app/tables/orders.json"),
        "{first:?}"
    );
    assert!(
        first
            .get("schemas/app/expressions.json")
            .is_some_and(|e| String::from_utf8_lossy(e).contains("loaded")),
        "the CHECK on a varchar settles to another text: {:?}",
        first.keys()
    );
    let again = project.run(&["snapshot", "--db", &url]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stdout.contains("0 changed"), "{}", again.all());
    assert_eq!(tree(&major), first, "written again, the snapshot is byte-identical");

    let ro = read_only(&db).await;
    let scratch = project.run(&["drift", "--db", &ro, "--format", "json", "--no-snapshot"]);
    assert_eq!(scratch.code, 2, "{}", scratch.all());
    let offline = run_env(&project.dir, &["drift", "--db", &ro, "--format", "json"], &no_binaries("drift"));
    assert_eq!(offline.code, 2, "{}", offline.all());
    assert!(offline.stderr.contains("from the snapshot"), "{}", offline.all());
    assert_eq!(offline.stdout, scratch.stdout, "drift from the snapshot differs from drift with a scratch");
    assert!(
        offline.stdout.contains("app.extra") && offline.stdout.contains("app.orders.note"),
        "{}",
        offline.stdout
    );

    // The plan from the snapshot is the plan without it, byte for byte.
    let allow = "alter,drop";
    let from_snapshot = project.run(&["plan", "--db", &url, "--allow", allow, "--out", "a.sql"]);
    assert_eq!(from_snapshot.code, 0, "{}", from_snapshot.all());
    assert!(from_snapshot.stderr.contains("from the snapshot"), "{}", from_snapshot.all());
    let normalized =
        project.run(&["plan", "--db", &url, "--allow", allow, "--out", "b.sql", "--no-snapshot"]);
    assert_eq!(normalized.code, 0, "{}", normalized.all());
    let (a, b) =
        (std::fs::read_to_string(project.path("a.sql")), std::fs::read_to_string(project.path("b.sql")));
    assert_eq!(a.unwrap(), b.unwrap(), "plans from the snapshot and normalized differ");

    // A live text equal to neither snapshot text: changed, unconfirmed without a scratch; settled with one.
    support::exec(&db, "ALTER TABLE app.orders ALTER COLUMN amount SET DEFAULT 1").await;
    let offline = run_env(&project.dir, &["drift", "--db", &ro, "--format", "json"], &no_binaries("drift2"));
    assert_eq!(offline.code, 2, "{}", offline.all());
    assert!(offline.stdout.contains("unconfirmed without a scratch"), "{}", offline.all());
    let settled = project.run(&["drift", "--db", &ro, "--format", "json"]);
    assert_eq!(settled.code, 2, "{}", settled.all());
    assert!(settled.stderr.contains("normalizing in a scratch database"), "{}", settled.all());
    assert!(
        !settled.stdout.contains("unconfirmed") && settled.stdout.contains("app.orders.amount"),
        "{}",
        settled.all()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_exits_2_once_a_schema_file_changed() {
    let db = support::fresh_db("snapshot check").await;
    let url = cli::url(&db);
    let project = Project::with_files(&format!("snapshot-check-{}", db.dbname), &[("app.sql", SCHEMA)]);
    let missing = project.run(&["snapshot", "--db", &url, "--check"]);
    assert_eq!(missing.code, 2, "{}", missing.all());
    let made = project.run(&["snapshot", "--db", &url]);
    assert_eq!(made.code, 0, "{}", made.all());
    let current = project.run(&["snapshot", "--db", &url, "--check"]);
    assert_eq!(current.code, 0, "{}", current.all());
    std::fs::write(project.path("schema/app.sql"), format!("{SCHEMA}CREATE TABLE app.more (id int);\n"))
        .unwrap();
    let stale = project.run(&["snapshot", "--db", &url, "--check"]);
    assert_eq!(stale.code, 2, "{}", stale.all());
    assert!(stale.stdout.contains("schema files: app.sql changed"), "{}", stale.all());
    // plan normalizes then, and says why.
    let planned = project.run(&["plan", "--db", &url, "--out", "plan.sql"]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    assert!(planned.stderr.contains("is stale (schema files: app.sql changed)"), "{}", planned.all());
}

/// A drift JSON document without the lines that mark a changed item unconfirmed without a scratch.
fn confirmed(json: &str) -> serde_json::Value {
    let mut doc: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    for item in doc["changed"].as_array_mut().into_iter().flatten() {
        if let Some(lines) = item["differences"].as_array_mut() {
            lines.retain(|l| !l.as_str().is_some_and(|l| l.starts_with("unconfirmed without a scratch")));
        }
    }
    doc
}

/// Fixture folders plan and drift alike from a snapshot: the plan file byte for byte (with the fixture's
/// policy, proven), and drift without server binaries as with a scratch. `ACCRETE_TEST_FIXTURES=a,b` picks
/// the folders (`all` for every one); by default a few that exercise settling, grants and external stubs.
/// A changed expression is marked unconfirmed without a scratch, the only difference allowed.
#[tokio::test(flavor = "multi_thread")]
async fn fixtures_plan_and_drift_alike_from_a_snapshot() {
    let picked = std::env::var("ACCRETE_TEST_FIXTURES").unwrap_or_default();
    let names: Vec<String> = match picked.as_str() {
        "" => ["default-changed", "constraints-on-existing-table", "grants-added", "external-auth-users"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        "all" => support::fixture_names(),
        list => list.split(',').map(str::to_string).collect(),
    };
    let mut failures = Vec::new();
    for name in names {
        let fixture = support::fixtures_dir().join(&name);
        let expect: toml::Table =
            toml::from_str(&std::fs::read_to_string(fixture.join("expect.toml")).unwrap()).unwrap();
        if expect.contains_key("setup") || expect.get("plan").and_then(|p| p.get("exit")).is_some() {
            continue; // set up by hand, or refused: nothing to compare
        }
        let db = support::fresh_db(&format!("snap {name}")).await;
        let conn = support::connect(&db).await;
        let major: i32 = conn
            .client
            .query_one("SELECT current_setting('server_version_num')::int / 10000", &[])
            .await
            .unwrap()
            .get(0);
        if support::fixture_majors(&name).is_some_and(|m| !m.contains(&(major as u32))) {
            continue;
        }
        if let Some(live) = cli::fixture_live_sql(&fixture) {
            support::exec(&db, &live).await;
        }
        let url = cli::url(&db);
        let project = Project::new(&format!("snap-{name}"), &fixture);
        let made = project.run(&["snapshot", "--db", &url]);
        if made.code != 0 {
            failures.push(format!("{name}: snapshot failed: {}", made.all()));
            continue;
        }
        let a = project.run(&["plan", "--db", &url, "--out", "a.sql"]);
        let b = project.run(&["plan", "--db", &url, "--out", "b.sql", "--no-snapshot"]);
        if a.code != b.code || !a.stderr.contains("from the snapshot") {
            failures.push(format!("{name}: plan from the snapshot:\n{}\nwithout:\n{}", a.all(), b.all()));
            continue;
        }
        let read = |f: &str| std::fs::read_to_string(project.path(f)).unwrap_or_default();
        if read("a.sql") != read("b.sql") {
            failures.push(format!("{name}: the plans differ"));
        }
        let scratch = project.run(&["drift", "--db", &url, "--format", "json", "--no-snapshot"]);
        let offline =
            run_env(&project.dir, &["drift", "--db", &url, "--format", "json"], &no_binaries(&name));
        if (scratch.code, confirmed(&scratch.stdout)) != (offline.code, confirmed(&offline.stdout)) {
            failures.push(format!("{name}: drift differs:\n{}\n{}", scratch.all(), offline.all()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Without a target (`--major N`): made on the scratch server, current for it, UTF8 and C.UTF-8 recorded.
#[tokio::test(flavor = "multi_thread")]
async fn a_snapshot_for_a_major_without_a_target() {
    let db = support::fresh_db("snapshot major").await;
    let conn = support::connect(&db).await;
    let major: i32 = conn
        .client
        .query_one("SELECT current_setting('server_version_num')::int / 10000", &[])
        .await
        .unwrap()
        .get(0);
    let major = major.to_string();
    let project = Project::with_files(&format!("snapshot-major-{}", db.dbname), &[("app.sql", SCHEMA)]);
    let made = project.run(&["snapshot", "--major", &major, "--dev-url", &cli::dev_url()]);
    assert_eq!(made.code, 0, "{}", made.all());
    let manifest =
        std::fs::read_to_string(project.path(&format!("schema.snapshot/{major}/manifest.json"))).unwrap();
    assert!(manifest.contains("\"lc_collate\": \"C.UTF-8\""), "{manifest}");
    let current = project.run(&["snapshot", "--major", &major, "--dev-url", &cli::dev_url(), "--check"]);
    assert_eq!(current.code, 0, "{}", current.all());
    let other = project.run(&["snapshot", "--major", "99", "--dev-url", &cli::dev_url(), "--check"]);
    assert_eq!(other.code, 2, "no snapshot for that major: {}", other.all());
}
