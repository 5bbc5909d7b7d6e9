//! Fixture folders through the whole cycle (DESIGN "What the tests prove"): load the live state; plan;
//! apply; every touched object now has its planned digest and nothing declared is missing; plan again: zero
//! steps; apply the same plan again: "already applied"; the plan file run twice more with psql; the plan made
//! twice, in two processes: byte-identical; drift as the fixture expects.

use crate::cli::{self, Project};
use crate::support;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[allow(dead_code)]
    description: String,
    /// The desired state's folder when it is not the fixture's own `schema/` (read by `cli::Project`).
    #[allow(dead_code)]
    schema: Option<String>,
    #[serde(default)]
    setup: Setup,
    /// PostgreSQL majors the fixture applies to (all when absent).
    majors: Option<Vec<u32>>,
    #[serde(default)]
    plan: PlanExpect,
    #[serde(default)]
    apply: ApplyExpect,
    drift_before: Option<DriftExpect>,
    drift: Option<DriftExpect>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplyExpect {
    /// 0 unless the fixture proves a failure.
    #[serde(default)]
    exit: i32,
    error_contains: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {
    /// An index to mark invalid after loading the live state, as a failed concurrent build leaves it.
    invalidate_index: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanExpect {
    steps: Option<usize>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    excludes: Vec<String>,
    #[serde(default)]
    not_planned: Vec<String>,
    /// Why the plan cannot be proven (the header's `-- not proven:` line); omitted: it must be proven.
    not_proven: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DriftExpect {
    exit: i32,
    missing: Option<Vec<String>>,
    extra: Option<Vec<String>>,
    changed: Option<Vec<String>>,
    likely_renames: Option<Vec<String>>,
    equivalent_other_name: Option<Vec<String>>,
}

/// Every fixture folder, each through the cycle. One test, so a failure names the fixture.
#[tokio::test(flavor = "multi_thread")]
async fn every_fixture_goes_through_the_cycle() {
    support::each_fixture(&support::fixture_names(), run_fixture).await;
}

async fn run_fixture(name: String) {
    let dir = support::fixtures_dir().join(&name);
    let expect: Expect = toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).unwrap())
        .unwrap_or_else(|e| panic!("{name}/expect.toml: {e}"));
    let db = support::fresh_db(&name).await;
    if let Ok(live) = std::fs::read_to_string(dir.join("live.sql")) {
        support::exec(&db, &live).await;
    }
    if let Some(index) = &expect.setup.invalidate_index {
        let sql = format!(
            "UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = '{index}'::regclass"
        );
        support::exec(&db, &sql).await;
    }
    if let Some(majors) = &expect.majors {
        let major = support::cluster().major;
        if !majors.contains(&major) {
            eprintln!("fixture {name}: skipped on PostgreSQL {major} (applies to {majors:?})");
            return;
        }
    }
    let project = Project::new(&name, &dir);
    let url = cli::url(&db);
    let before = digests(&db).await;

    // Plan, twice, in two processes: byte-identical.
    let first = project.plan(&url, "first.sql");
    assert_eq!(first.code, 0, "plan failed:\n{}", first.all());
    let plan_path = project.path("first.sql");
    let Ok(plan) = std::fs::read_to_string(&plan_path) else {
        // Nothing to plan: only what the fixture says about the comparison is left to check.
        assert_eq!(expect.plan.steps, Some(0), "no plan written:\n{}", first.all());
        assert!(first.stdout.contains("nothing to plan"), "{}", first.all());
        for s in &expect.plan.not_planned {
            assert!(first.stdout.contains(s.as_str()), "not-planned lines lack {s:?}:\n{}", first.all());
        }
        check_drift(&project, &url, &expect.drift.unwrap_or_default(), true);
        return;
    };
    let second = project.plan(&url, "second.sql");
    assert_eq!(second.code, 0, "second plan failed:\n{}", second.all());
    let again = std::fs::read_to_string(project.path("second.sql")).unwrap();
    assert!(plan == again, "two plans of the same state differ");
    check_plan(&plan, &expect.plan);

    if let Some(expect_drift) = &expect.drift_before {
        check_drift(&project, &url, expect_drift, false);
    }

    // Apply; the database now holds every touched object as planned.
    let applied = project.run(&["apply", plan_path.to_str().unwrap(), "--db", &url]);
    assert_eq!(applied.code, expect.apply.exit, "apply exit code:\n{}\n--- plan ---\n{plan}", applied.all());
    if let Some(text) = &expect.apply.error_contains {
        assert!(applied.all().contains(text.as_str()), "apply output lacks {text:?}:\n{}", applied.all());
    }
    if expect.apply.exit != 0 {
        // A failed apply changed nothing: the same plan is still the plan.
        let replan = project.plan(&url, "after-failure.sql");
        let after = std::fs::read_to_string(project.path("after-failure.sql")).unwrap_or_default();
        assert!(after == plan, "a failed apply changed the database:\n{}", replan.all());
        if let Some(expect_drift) = &expect.drift {
            check_drift(&project, &url, expect_drift, false);
        }
        return;
    }

    // Plan again: zero steps.
    let replan = project.plan(&url, "third.sql");
    assert_eq!(replan.code, 0, "plan after apply failed:\n{}", replan.all());
    assert!(
        replan.stdout.contains("nothing to plan") && !project.path("third.sql").exists(),
        "plan after apply is not empty:\n{}\n{}",
        replan.all(),
        std::fs::read_to_string(project.path("third.sql")).unwrap_or_default()
    );

    // The same plan again: already applied.
    let reapplied = project.run(&["apply", plan_path.to_str().unwrap(), "--db", &url]);
    assert_eq!(reapplied.code, 0, "second apply failed:\n{}", reapplied.all());
    assert!(reapplied.all().contains("already applied"), "second apply did not say so:\n{}", reapplied.all());

    // The file runs as-is with psql, twice more.
    for round in 1..=2 {
        let psql = cli::psql_file(&db, &plan_path);
        assert!(psql.code == 0, "psql run {round} failed:\n{}", psql.all());
    }

    // Drift: nothing declared is missing; the rest as the fixture says.
    check_drift(&project, &url, &expect.drift.unwrap_or_default(), true);

    // The rollback written beside the plan undoes what the apply executed. Where it can undo all of it, the
    // database is back to the catalog it had before the plan; run again by psql, it changes nothing more.
    let rollback = project.path("first.rollback.sql");
    if let Ok(text) = std::fs::read_to_string(&rollback) {
        let undone =
            project.run(&["apply", rollback.to_str().unwrap(), "--db", &url, "--allow", "drop,alter"]);
        assert_eq!(undone.code, 0, "rollback failed:\n{}\n--- rollback ---\n{text}", undone.all());
        if text.contains("cannot be undone: nothing") {
            let after = digests(&db).await;
            let differ: Vec<_> = before
                .iter()
                .filter(|(k, v)| after.get(*k) != Some(*v))
                .map(|(k, _)| k.to_string())
                .chain(after.keys().filter(|k| !before.contains_key(*k)).map(|k| k.to_string()))
                .collect();
            assert!(differ.is_empty(), "the rollback left other objects: {differ:?}\n{}", undone.all());
        }
        let psql = cli::psql_file(&db, &rollback);
        assert!(psql.code == 0, "psql run of the rollback failed:\n{}", psql.all());
    }
}

/// Every object's digest (accrete's own history schema aside).
async fn digests(
    db: &accrete::config::ConnParams,
) -> std::collections::BTreeMap<accrete::catalog::ObjectKey, String> {
    let conn = support::connect(db).await;
    let scope = accrete::config::Scope { own_schema: "accrete".into(), ..Default::default() };
    accrete::inspect::inspect(&conn.client, &scope).await.expect("inspect").catalog.digests()
}

fn check_drift(project: &Project, url: &str, expect: &DriftExpect, converged: bool) {
    let drift = project.run(&["drift", "--db", url, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&drift.stdout)
        .unwrap_or_else(|e| panic!("drift --format json is not JSON ({e}):\n{}", drift.all()));
    assert_eq!(doc["format_version"], 1);
    assert_eq!(drift.code, expect.exit, "drift exit code:\n{}", drift.all());
    let set = |field: &str| -> BTreeSet<String> {
        doc[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| format!("{} {}", i["kind"].as_str().unwrap(), i["name"].as_str().unwrap()))
            .collect()
    };
    match &expect.missing {
        Some(missing) => assert_eq!(set("missing"), missing.iter().cloned().collect(), "missing:\n{doc:#}"),
        None if converged => {
            assert!(set("missing").is_empty(), "declared objects missing after apply:\n{doc:#}")
        }
        None => {}
    }
    if let Some(extra) = &expect.extra {
        assert_eq!(set("extra"), extra.iter().cloned().collect(), "extra:\n{doc:#}");
    }
    if let Some(changed) = &expect.changed {
        assert_eq!(set("changed"), changed.iter().cloned().collect(), "changed:\n{doc:#}");
    }
    let pairs = |field: &str, a: &str, b: &str| -> BTreeSet<String> {
        doc[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {} -> {} {}",
                    r[a]["kind"].as_str().unwrap(),
                    r[a]["name"].as_str().unwrap(),
                    r[b]["kind"].as_str().unwrap(),
                    r[b]["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    if let Some(renames) = &expect.likely_renames {
        assert_eq!(
            pairs("likely_renames", "from", "to"),
            renames.iter().cloned().collect(),
            "likely renames:\n{doc:#}"
        );
    }
    if let Some(equivalent) = &expect.equivalent_other_name {
        assert_eq!(
            pairs("equivalent_other_name", "declared", "live"),
            equivalent.iter().cloned().collect(),
            "equivalent under another name:\n{doc:#}"
        );
    }
}

fn check_plan(plan: &str, expect: &PlanExpect) {
    let steps = plan.lines().filter(|l| l.starts_with("-- step ")).count();
    if let Some(n) = expect.steps {
        assert_eq!(steps, n, "number of steps:\n{plan}");
    }
    for s in &expect.contains {
        assert!(plan.contains(s.as_str()), "plan lacks {s:?}:\n{plan}");
    }
    match &expect.not_proven {
        Some(why) => {
            assert!(plan.contains(&format!("\n-- not proven: {why}")), "not proven ({why}):\n{plan}")
        }
        None => {
            assert!(plan.contains("\n-- proven: on a copy of database "), "the plan is not proven:\n{plan}")
        }
    }
    let sql: String = plan.lines().filter(|l| !l.starts_with("--")).collect::<Vec<_>>().join("\n");
    for s in &expect.excludes {
        assert!(!sql.contains(s.as_str()), "plan SQL contains {s:?}:\n{plan}");
    }
    let header: String =
        plan.lines().take_while(|l| !l.starts_with("-- accrete:format")).collect::<Vec<_>>().join("\n");
    let not_planned = header.split("not planned").nth(1).unwrap_or("");
    for s in &expect.not_planned {
        assert!(not_planned.contains(s.as_str()), "not-planned header lacks {s:?}:\n{header}");
    }
}
