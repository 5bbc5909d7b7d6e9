//! The fleet: drift over a tagged set of databases (some drifted, one unreachable, one slower than the
//! timeout) as a role that can only read, split into shards that merge into the same result; a schema per
//! tenant compared as the template, planned and applied in waves that stop at a failure.

use crate::cli::{self, Project};
use crate::support;
use accrete::conn::ConnParams;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// Databases in the tagged set, with the unreachable and the slow one (the hundred).
const DATABASES: usize = 98;
/// Tenant schemas in the tenants' database.
const TENANTS: usize = 50;

const APP: &str = "CREATE SCHEMA app;
CREATE SEQUENCE app.user_ids;
CREATE TABLE app.users (
    id bigint PRIMARY KEY DEFAULT nextval('app.user_ids'),
    name text NOT NULL DEFAULT 'nobody',
    CHECK (name <> '')
);
CREATE INDEX users_name ON app.users (name);
CREATE VIEW app.named AS SELECT id, name FROM app.users WHERE name <> 'nobody';
";

/// A port on 127.0.0.1 that nothing listens on.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn as_user(params: &ConnParams, user: &str) -> ConnParams {
    ConnParams { user: user.to_string(), ..params.clone() }
}

/// The JSON lines of a run, by target name.
fn lines(out: &cli::Output) -> BTreeMap<String, serde_json::Value> {
    out.stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{}", out.all()));
            (v["target"]["name"].as_str().expect("target.name").to_string(), v)
        })
        .collect()
}

/// What a result says per target: its exit, whether it has an error, and its drift categories' sizes.
fn digest(docs: &BTreeMap<String, serde_json::Value>) -> BTreeMap<String, (i64, bool, Vec<usize>)> {
    docs.iter()
        .map(|(name, v)| {
            let sizes = ["missing", "extra", "changed"]
                .iter()
                .map(|c| v[*c].as_array().map_or(0, Vec::len))
                .collect();
            (name.clone(), (v["exit"].as_i64().unwrap(), v.get("error").is_some(), sizes))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_over_a_tagged_set_names_the_drifted_and_the_failed_and_shards_merge() {
    let project = Project::with_files("fleet-drift", &[("app.sql", APP)]);
    let admin = support::cluster().admin_params();
    let reader = support::db_name("fleet_reader");
    support::exec(
        &admin,
        &format!("CREATE ROLE {reader} LOGIN; ALTER ROLE {reader} SET default_transaction_read_only = on;"),
    )
    .await;
    let mut targets = String::new();
    let dbs = support::fresh_dbs("fleet", APP, DATABASES).await;
    for (i, db) in dbs.iter().enumerate() {
        let drift = match i {
            3 => "DROP INDEX app.users_name;",
            7 => "CREATE TABLE app.extra (id int);",
            11 => "ALTER TABLE app.users ALTER COLUMN name SET DEFAULT 'someone';",
            _ => "",
        };
        if !drift.is_empty() {
            support::exec(db, drift).await;
        }
        targets.push_str(&format!(
            "[targets.db_{i:02}]\nurl = \"{}\"\ntags = [\"fleet\"]\n\n",
            cli::url(&as_user(db, &reader))
        ));
    }
    // Drifted, but not in the selection.
    let other = support::fresh_db("fleet_other").await;
    // The slow one: a session holds pg_class, so inspecting waits far beyond --timeout.
    let slow = support::fresh_db("fleet_slow").await;
    support::exec(&slow, APP).await;
    let holder = support::connect(&slow).await;
    holder
        .client
        .batch_execute("BEGIN; LOCK TABLE pg_catalog.pg_class IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let toml = format!(
        "targets_file = \"targets.toml\"\n\n\
         [targets.unreachable]\nurl = \"postgresql://{reader}@127.0.0.1:{}/x?connect_timeout=30\"\ntags = [\"fleet\"]\n\n\
         [targets.slow]\nurl = \"{}\"\ntags = [\"fleet\", \"slow\"]\n\n\
         [targets.other]\nurl = \"{}\"\ntags = [\"else\"]\n",
        free_port(),
        cli::url(&as_user(&slow, &reader)),
        cli::url(&as_user(&other, &reader)),
    );
    std::fs::write(project.path("accrete.toml"), toml).unwrap();
    std::fs::write(project.path("targets.toml"), &targets).unwrap();

    let started = Instant::now();
    let metrics = project.path("drift.prom");
    let whole = project.run(&[
        "drift",
        "--tag",
        "fleet",
        "--jobs",
        "8",
        "--timeout",
        "5",
        "--format",
        "json",
        "--metrics",
        metrics.to_str().unwrap(),
    ]);
    let took = started.elapsed();
    assert_eq!(whole.code, 2, "{}", whole.all());
    let docs = lines(&whole);
    assert_eq!(docs.len(), DATABASES + 2, "{}", whole.all());
    let drifted: BTreeSet<&str> =
        docs.iter().filter(|(_, v)| v["exit"] == 2).map(|(n, _)| n.as_str()).collect();
    assert_eq!(drifted, BTreeSet::from(["db_03", "db_07", "db_11"]), "{}", whole.all());
    let failed: BTreeSet<&str> =
        docs.iter().filter(|(_, v)| v.get("error").is_some()).map(|(n, _)| n.as_str()).collect();
    assert_eq!(failed, BTreeSet::from(["slow", "unreachable"]), "{}", whole.all());
    assert!(docs["slow"]["error"].as_str().unwrap().contains("--timeout"), "{}", whole.all());
    assert_eq!(docs["db_03"]["missing"][0]["name"], "app.users_name", "{}", whole.all());
    assert_eq!(docs["db_07"]["extra"][0]["name"], "app.extra", "{}", whole.all());
    assert_eq!(docs["db_11"]["changed"][0]["name"], "app.users.name", "{}", whole.all());
    assert_eq!(docs["db_00"]["format_version"], 1);
    assert_eq!(docs["db_00"]["target"]["database"], dbs[0].dbname.as_str());
    // The slow target cost its timeout, not a stall.
    assert!(took < Duration::from_secs(90), "took {took:?}\n{}", whole.all());

    // The metrics file parses as the Prometheus text format.
    let text = std::fs::read_to_string(&metrics).unwrap();
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).expect(&text);
    let value = |metric: &str, target: &str, category: Option<&str>| -> Option<f64> {
        scrape
            .samples
            .iter()
            .find(|s| {
                s.metric == metric
                    && s.labels.get("target") == Some(target)
                    && category.is_none_or(|c| s.labels.get("category") == Some(c))
            })
            .map(|s| match s.value {
                prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Untyped(v) => v,
                ref other => panic!("{other:?}"),
            })
    };
    assert_eq!(value("accrete_drift_objects", "db_03", Some("missing")), Some(1.0), "{text}");
    assert_eq!(value("accrete_drift_objects", "db_04", Some("missing")), Some(0.0), "{text}");
    assert_eq!(value("accrete_drift_error", "slow", None), Some(1.0), "{text}");
    assert_eq!(value("accrete_drift_error", "db_04", None), Some(0.0), "{text}");
    assert!(value("accrete_drift_last_success_timestamp_seconds", "db_04", None).unwrap() > 1.6e9, "{text}");
    assert_eq!(value("accrete_drift_last_success_timestamp_seconds", "slow", None), None, "{text}");

    // Three shards merge into the same result.
    let mut merged = BTreeMap::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let out = project.run(&[
            "drift",
            "--tag",
            "fleet",
            "--jobs",
            "8",
            "--timeout",
            "5",
            "--format",
            "json",
            "--shard",
            shard,
        ]);
        let part = lines(&out);
        assert!(!part.is_empty() && part.len() < docs.len(), "shard {shard}: {}", out.all());
        let want = if part.values().any(|v| v["exit"] == 2) {
            2
        } else if part.values().any(|v| v["exit"] == 1) {
            1
        } else {
            0
        };
        assert_eq!(out.code, want, "shard {shard}: {}", out.all());
        for (name, v) in part {
            assert!(merged.insert(name, v).is_none(), "a target in two shards");
        }
    }
    assert_eq!(digest(&merged), digest(&docs));
    drop(holder);

    // A selection by name, as Markdown.
    let md = project.run(&["drift", "--target", "db_03", "--target", "db_04", "--format", "markdown"]);
    assert_eq!(md.code, 2, "{}", md.all());
    assert!(
        md.stdout.contains("| db_03 | **drift** | 1 |") && md.stdout.contains("| db_04 | in sync |"),
        "{}",
        md.all()
    );
}

const TEMPLATE: &str = "CREATE SCHEMA tenant;
CREATE SEQUENCE tenant.account_ids;
CREATE TABLE tenant.accounts (
    id bigint PRIMARY KEY DEFAULT nextval('tenant.account_ids'),
    name text NOT NULL,
    plan text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'paid'))
);
CREATE INDEX accounts_name ON tenant.accounts (name);
CREATE VIEW tenant.paid AS SELECT a.id, a.name FROM tenant.accounts a WHERE a.plan = 'paid';
";

fn tenant_sql(schema: &str) -> String {
    TEMPLATE.replace("SCHEMA tenant;", &format!("SCHEMA {schema};")).replace("tenant.", &format!("{schema}."))
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_schemas_compare_as_the_template_and_roll_out_in_waves_that_stop_at_a_failure() {
    let project = Project::with_files("fleet-tenants", &[("tenant.sql", TEMPLATE)]);
    let db = support::fresh_db("fleet_tenants").await;
    let mut sql = String::new();
    for i in 0..TENANTS {
        sql.push_str(&tenant_sql(&format!("tenant_{i:02}")));
    }
    sql.push_str(
        "DROP INDEX tenant_02.accounts_name;
         CREATE TABLE tenant_05.extra (id int);
         ALTER TABLE tenant_13.accounts ALTER COLUMN plan SET DEFAULT 'paid';
         CREATE SCHEMA other; CREATE TABLE other.t (id int);",
    );
    support::exec(&db, &sql).await;
    let toml = format!(
        "[targets.app]\nurl = \"{}\"\n\n[tenants]\ntemplate = \"tenant\"\nschemas = \"tenant_*\"\ntargets = [\"app\"]\n",
        cli::url(&db)
    );
    std::fs::write(project.path("accrete.toml"), toml).unwrap();

    let drift = project.run(&["drift", "--all", "--jobs", "4", "--format", "json"]);
    assert_eq!(drift.code, 2, "{}", drift.all());
    let docs = lines(&drift);
    assert_eq!(docs.len(), TENANTS, "{}", drift.all());
    let drifted: BTreeSet<&str> =
        docs.iter().filter(|(_, v)| v["exit"] != 0).map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        drifted,
        BTreeSet::from(["app/tenant_02", "app/tenant_05", "app/tenant_13"]),
        "{}",
        drift.all()
    );
    assert_eq!(docs["app/tenant_02"]["missing"][0]["name"], "tenant_02.accounts_name", "{}", drift.all());

    // A new column for every tenant: planned per tenant, the same plan grouped.
    std::fs::write(
        project.path("schema/tenant.sql"),
        TEMPLATE.replace("name text NOT NULL,", "name text NOT NULL,\n    note text,"),
    )
    .unwrap();
    let out_dir = project.path("plans/tenants");
    let planned = project.run(&["plan", "--all", "--jobs", "4", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("fleet.json")).unwrap()).unwrap();
    let entries = index["targets"].as_array().unwrap();
    assert_eq!(entries.iter().filter(|e| e["plan"].is_string()).count(), TENANTS, "{}", planned.all());
    let groups: BTreeSet<i64> = entries.iter().filter_map(|e| e["group"].as_i64()).collect();
    assert!(groups.len() <= 3, "{groups:?}\n{}", planned.all());
    let one = std::fs::read_to_string(out_dir.join(entries[9]["plan"].as_str().unwrap())).unwrap();
    assert!(one.contains("tenant_09.accounts") && !one.contains("tenant.accounts"), "{one}");

    // tenant_08 (in the second wave) changes after the plan: its apply is refused and the rollout stops.
    support::exec(&db, "ALTER TABLE tenant_08.accounts ADD COLUMN note integer;").await;
    let index_path = out_dir.join("fleet.json");
    let applied = project.run(&["apply", index_path.to_str().unwrap(), "--wave-size", "5", "--jobs", "3"]);
    assert_eq!(applied.code, 3, "{}", applied.all());
    assert!(applied.stdout.contains("rollout stopped: wave 2 had a failure"), "{}", applied.all());
    let done_line = applied
        .stdout
        .lines()
        .find(|l| l.starts_with("done ("))
        .unwrap_or_else(|| panic!("{}", applied.all()));
    let done: BTreeSet<String> =
        done_line.split_once(": ").unwrap().1.split(", ").map(str::to_string).collect();
    let want: BTreeSet<String> =
        [0, 1, 2, 3, 4, 5, 6, 7, 9, 10].iter().map(|i| format!("app/tenant_{i:02}")).collect();
    assert_eq!(done, want, "{}", applied.all());
    assert!(applied.stdout.contains("failed (1): app/tenant_08"), "{}", applied.all());
    let not_run = format!("not run ({}): app/tenant_11", TENANTS - 11);
    assert!(applied.stdout.contains(&not_run), "{}", applied.all());
    let conn = support::connect(&db).await;
    let has_note = |schema: String| {
        let conn = &conn;
        async move {
            conn.client
                .query_one(
                    "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'note'",
                    &[&schema],
                )
                .await
                .unwrap()
                .get::<_, i64>(0)
        }
    };
    assert_eq!(has_note("tenant_10".into()).await, 1);
    assert_eq!(has_note("tenant_11".into()).await, 0);
    // Each tenant's apply is in the history.
    let runs: i64 = conn.client.query_one("SELECT count(*) FROM accrete.history", &[]).await.unwrap().get(0);
    assert_eq!(runs, 10);

    // Again, as JSON Lines: one document per target of the index, the done ones already applied, the same
    // failure in wave 2, the rest not run.
    let again = project.run(&[
        "apply",
        index_path.to_str().unwrap(),
        "--wave-size",
        "5",
        "--jobs",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(again.code, 3, "{}", again.all());
    let docs = lines(&again);
    assert_eq!(docs.len(), TENANTS, "{}", again.all());
    let outcome = |name: &str| docs[name]["outcome"].as_str().unwrap().to_string();
    assert_eq!(outcome("app/tenant_00"), "already_applied", "{}", again.all());
    assert_eq!(docs["app/tenant_00"]["wave"], 0);
    assert_eq!(docs["app/tenant_00"]["verification"], "passed");
    assert_eq!(outcome("app/tenant_08"), "failed", "{}", again.all());
    assert_eq!(docs["app/tenant_08"]["exit"], 3);
    assert_eq!(docs["app/tenant_08"]["wave"], 2);
    assert!(docs["app/tenant_08"]["error"].as_str().unwrap().contains("refused"), "{}", again.all());
    assert_eq!(outcome("app/tenant_11"), "not_run", "{}", again.all());
    assert!(docs["app/tenant_11"]["exit"].is_null(), "{}", again.all());
    assert_eq!(docs["app/tenant_11"]["wave"], 3);
    let done = docs.values().filter(|v| v["exit"] == 0).count();
    assert_eq!(done, 10, "{}", again.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn discovery_finds_the_databases_matching_a_pattern() {
    let project = Project::with_files("fleet-discover", &[("app.sql", APP)]);
    let mut names = Vec::new();
    for i in 0..3 {
        let db = support::fresh_db("fleetdisc").await;
        support::exec(&db, APP).await;
        if i == 1 {
            support::exec(&db, "DROP VIEW app.named;").await;
        }
        names.push(db.dbname.clone());
    }
    let admin = support::cluster().admin_params();
    let toml = format!(
        "[discover.srv]\nurl = \"{}\"\ndatabases = \"t_fleetdisc_*\"\ntags = [\"disc\"]\n",
        cli::url(&admin)
    );
    std::fs::write(project.path("accrete.toml"), toml).unwrap();
    let out = project.run(&["drift", "--tag", "disc", "--format", "json"]);
    assert_eq!(out.code, 2, "{}", out.all());
    let docs = lines(&out);
    let want: BTreeSet<String> = names.iter().map(|n| format!("srv/{n}")).collect();
    assert_eq!(docs.keys().cloned().collect::<BTreeSet<_>>(), want, "{}", out.all());
    assert_eq!(docs[&format!("srv/{}", names[1])]["missing"][0]["name"], "app.named", "{}", out.all());
    // Plans as JSON Lines: one plan, for the database that lacks the view.
    let dir = project.path("plans/disc");
    let planned = project.run(&["plan", "--tag", "disc", "--format", "json", "--out", dir.to_str().unwrap()]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plans = lines(&planned);
    let with: Vec<&String> = plans.iter().filter(|(_, v)| v["plan"].is_string()).map(|(n, _)| n).collect();
    assert_eq!(with, vec![&format!("srv/{}", names[1])], "{}", planned.all());
    assert!(dir.join("fleet.json").is_file(), "{}", planned.all());
    // One discovered database by name, as text.
    let one = project.run(&["drift", "--target", &format!("srv/{}", names[0])]);
    assert_eq!(one.code, 0, "{}", one.all());
    assert!(one.stdout.contains("1 target(s): 1 in sync, 0 drifted, 0 error(s)"), "{}", one.all());
}

/// `plan --role OWNER` over a fleet inspects each target as that role, as a single-target plan does: the
/// files' default privileges (written without `FOR ROLE`) are the owner's, which the targets have, so the
/// plans hold only the new column; inspected as the login role they would be the login's and planned.
#[tokio::test(flavor = "multi_thread")]
async fn a_fleet_plan_inspects_as_its_role() {
    let hint = support::db_name("fleet_role");
    let (owner, deployer) = (format!("{hint}_owner"), format!("{hint}_deployer"));
    let live = format!(
        "CREATE ROLE {owner} NOLOGIN;
         CREATE ROLE {deployer} LOGIN;
         GRANT {owner} TO {deployer};
         CREATE SCHEMA app AUTHORIZATION {owner};
         CREATE TABLE app.users (id bigint PRIMARY KEY, name text NOT NULL);
         ALTER TABLE app.users OWNER TO {owner};
         ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;"
    );
    let desired = "CREATE SCHEMA app;
CREATE TABLE app.users (id bigint PRIMARY KEY, name text NOT NULL, email text);
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
";
    let dbs = support::fresh_dbs("fleet_role", &live, 2).await;
    let project = Project::with_files(&format!("fleet-role-{hint}"), &[("app.sql", desired)]);
    let mut toml = String::new();
    for (i, db) in dbs.iter().enumerate() {
        // The apply history's schema: a database's privileges are not copied from its template.
        support::exec(db, &format!("GRANT CREATE ON DATABASE {} TO {owner}", db.dbname)).await;
        toml.push_str(&format!(
            "[targets.r{i}]\nurl = \"{}\"\ntags = [\"role\"]\n\n",
            cli::url(&as_user(db, &deployer))
        ));
    }
    std::fs::write(project.path("accrete.toml"), toml).unwrap();
    let dir = project.path("plans/role");
    let planned = project.run(&[
        "plan",
        "--tag",
        "role",
        "--role",
        &owner,
        "--format",
        "json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plans = lines(&planned);
    assert_eq!(plans.len(), 2, "{}", planned.all());
    for (name, v) in &plans {
        assert_eq!(v["steps"], 1, "{name}: only the new column\n{}", planned.all());
        let text = std::fs::read_to_string(v["plan"].as_str().unwrap()).unwrap();
        assert!(text.contains("ADD COLUMN email") && !text.contains("DEFAULT PRIVILEGES"), "{text}");
        assert!(text.contains(&format!("\nSET ROLE {owner};\n")), "{text}");
    }
    let index = dir.join("fleet.json");
    let applied = project.run(&["apply", index.to_str().unwrap(), "--role", &owner, "--format", "json"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    let docs = lines(&applied);
    assert_eq!(docs.len(), 2, "{}", applied.all());
    for (name, v) in &docs {
        assert_eq!(v["outcome"], "applied", "{name}: {}", applied.all());
        assert_eq!(v["exit"], 0, "{name}: {}", applied.all());
        assert_eq!(v["executed"], 1, "{name}: {}", applied.all());
        assert_eq!(v["verification"], "passed", "{name}: {}", applied.all());
        assert!(v["history_id"].is_i64() && v["error"].is_null(), "{name}: {}", applied.all());
    }
    assert_eq!((docs["r0"]["wave"].as_i64(), docs["r1"]["wave"].as_i64()), (Some(0), Some(1)));
    for db in &dbs {
        let conn = support::connect(db).await;
        let sql = "SELECT pg_get_userbyid(c.relowner)::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
                   WHERE a.attrelid = 'app.users'::regclass AND a.attname = 'email'";
        let owned_by: String = conn.client.query_one(sql, &[]).await.unwrap().get(0);
        assert_eq!(owned_by, owner, "{}", applied.all());
    }
}

/// A function PostgreSQL evaluates when a column with it as default is added, even to an empty table (an
/// immutable default is computed once and stored): adding that column takes two minutes, on the target
/// and on a proof's copy alike.
const SLOW: &str = "CREATE SCHEMA app;
CREATE FUNCTION app.slow() RETURNS integer IMMUTABLE LANGUAGE sql AS $$SELECT 1 FROM pg_sleep(120)$$;
";

/// The proof of a fleet plan is bounded by `--timeout` per target: the target whose proof is slower is an
/// error, its scratch copy dropped, and the other targets' plans are written.
#[tokio::test(flavor = "multi_thread")]
async fn a_fleet_plans_proof_slower_than_the_timeout_is_that_targets_error() {
    let desired =
        format!("{SLOW}CREATE TABLE app.t (id integer, c integer DEFAULT app.slow(), d integer);\n");
    let project = Project::with_files("fleet-slow-proof", &[("app.sql", &desired)]);
    // Two targets lack the plain column d; one lacks c, whose addition runs app.slow().
    let fast = support::fresh_dbs(
        "fleet_proof",
        &format!("{SLOW}CREATE TABLE app.t (id integer, c integer DEFAULT app.slow());"),
        2,
    )
    .await;
    let slow = support::fresh_db("fleet_proof_slow").await;
    support::exec(&slow, &format!("{SLOW}CREATE TABLE app.t (id integer, d integer);")).await;
    let toml = format!(
        "[targets.fast_1]\nurl = \"{}\"\ntags = [\"p\"]\n\n[targets.fast_2]\nurl = \"{}\"\ntags = [\"p\"]\n\n\
         [targets.slow]\nurl = \"{}\"\ntags = [\"p\"]\n",
        cli::url(&fast[0]),
        cli::url(&fast[1]),
        cli::url(&slow),
    );
    std::fs::write(project.path("accrete.toml"), toml).unwrap();
    let dir = project.path("plans/p");
    let args = [
        "plan",
        "--tag",
        "p",
        "--jobs",
        "3",
        "--timeout",
        "8",
        "--format",
        "json",
        "--out",
        dir.to_str().unwrap(),
        "--dev-url",
        &cli::dev_url(),
    ];
    // As `Project::run`, spawned to learn its process id.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_accrete"));
    cmd.args(args).current_dir(&project.dir).env("XDG_CACHE_HOME", support::root().join("cache"));
    for (key, _) in std::env::vars() {
        if key.starts_with("PG") || key == "DATABASE_URL" {
            cmd.env_remove(key);
        }
    }
    let started = Instant::now();
    let child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let took = started.elapsed();
    let out = cli::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(out.code, 1, "{}", out.all());
    let plans = lines(&out);
    assert!(plans["slow"]["plan"].is_null(), "{}", out.all());
    let error = plans["slow"]["error"].as_str().unwrap_or_default();
    assert!(error.contains("--timeout") && error.contains("proof"), "{}", out.all());
    for name in ["fast_1", "fast_2"] {
        assert_eq!(plans[name]["exit"], 0, "{}", out.all());
        let text = std::fs::read_to_string(plans[name]["plan"].as_str().unwrap()).unwrap();
        assert!(text.contains("ADD COLUMN d"), "{text}");
    }
    assert!(took < Duration::from_secs(60), "took {took:?}\n{}", out.all());
    // The copy the slow proof ran on is gone (its name carries the process id).
    let admin = support::connect(&support::cluster().admin_params()).await;
    let left: i64 = admin
        .client
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'accrete\\_scratch\\_' || $1::text || '\\_%'",
            &[&pid.to_string()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "the slow proof's scratch copy was left behind\n{}", out.all());
}

/// Fleet drift from a committed snapshot: with server binaries made unavailable and no `--dev-url`, only the
/// accrete binary and a read-only role, it reports what a drift that normalizes in a scratch reports; a
/// schema file changed since makes the snapshot stale, and the run says so and normalizes.
#[tokio::test(flavor = "multi_thread")]
async fn fleet_drift_from_a_current_snapshot_needs_no_scratch() {
    let hint = support::db_name("fleet_snap");
    let project = Project::with_files(&format!("fleet-snapshot-{hint}"), &[("app.sql", APP)]);
    let dbs = support::fresh_dbs("fleet_snap", APP, 4).await;
    support::exec(&dbs[1], "DROP VIEW app.named;").await;
    support::exec(
        &dbs[2],
        "ALTER TABLE app.users ALTER COLUMN name DROP NOT NULL; CREATE TABLE app.t (a int);",
    )
    .await;
    let reader = format!("{hint}_reader");
    support::exec(
        &support::cluster().admin_params(),
        &format!("CREATE ROLE {reader} LOGIN; ALTER ROLE {reader} SET default_transaction_read_only = on;"),
    )
    .await;
    let mut toml = String::new();
    for (i, db) in dbs.iter().enumerate() {
        toml.push_str(&format!(
            "[targets.s{i}]\nurl = \"{}\"\ntags = [\"s\"]\n\n",
            cli::url(&as_user(db, &reader))
        ));
    }
    std::fs::write(project.path("accrete.toml"), toml).unwrap();
    let made = project.run(&["snapshot", "--target", "s0"]);
    assert_eq!(made.code, 0, "{}", made.all());

    let scratch = project.run(&["drift", "--tag", "s", "--format", "json", "--no-snapshot"]);
    assert_eq!(scratch.code, 2, "{}", scratch.all());
    let docs = lines(&scratch);
    let drifted: BTreeSet<&str> =
        docs.iter().filter(|(_, v)| v["exit"] == 2).map(|(n, _)| n.as_str()).collect();
    assert_eq!(drifted, BTreeSet::from(["s1", "s2"]), "{}", scratch.all());
    let args = ["drift", "--tag", "s", "--format", "json", "--jobs", "2"];
    let offline = crate::snapshot::run_env(&project.dir, &args, &crate::snapshot::no_binaries("fleet"));
    assert_eq!(offline.code, 2, "{}", offline.all());
    assert!(offline.stderr.contains("from the snapshot"), "{}", offline.all());
    assert_eq!(
        offline.stdout, scratch.stdout,
        "fleet drift from the snapshot differs from one with a scratch"
    );

    // A schema file changed: the snapshot is stale, and the run normalizes once and says why.
    std::fs::write(project.path("schema/app.sql"), format!("{APP}CREATE TABLE app.more (id int);\n"))
        .unwrap();
    let stale = project.run(&["drift", "--tag", "s", "--format", "json"]);
    assert_eq!(stale.code, 2, "{}", stale.all());
    assert!(
        stale.stderr.contains("normalized once in a scratch database") && stale.stderr.contains("stale"),
        "{}",
        stale.all()
    );
    assert_eq!(lines(&stale).values().filter(|v| v["missing"][0]["name"] == "app.more").count(), 4);
}
