//! The fleet: drift over a tagged set of databases (some drifted, one unreachable, one slower than the
//! timeout) as a role that can only read, split into shards that merge into the same result; a schema per
//! tenant compared as the template, planned and applied in waves that stop at a failure.

use crate::cli::{self, Project};
use crate::support;
use accrete::conn::ConnParams;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// Databases in the tagged set (besides the unreachable and the slow one).
const DATABASES: usize = 20;
/// Tenant schemas in the tenants' database.
const TENANTS: usize = 20;

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
    let mut dbs = Vec::new();
    for i in 0..DATABASES {
        let db = support::fresh_db(&format!("fleet_{i}")).await;
        support::exec(&db, APP).await;
        let drift = match i {
            3 => "DROP INDEX app.users_name;",
            7 => "CREATE TABLE app.extra (id int);",
            11 => "ALTER TABLE app.users ALTER COLUMN name SET DEFAULT 'someone';",
            _ => "",
        };
        support::exec(&db, drift).await;
        targets.push_str(&format!(
            "[targets.db_{i:02}]\nurl = \"{}\"\ntags = [\"fleet\"]\n\n",
            cli::url(&as_user(&db, &reader))
        ));
        dbs.push(db);
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
