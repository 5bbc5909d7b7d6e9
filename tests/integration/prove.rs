//! Proofs: `plan` runs the plan it writes on a scratch copy of the target's schema, and refuses one that
//! fails there; `apply --dry-run` runs the plan on a copy of the target's current schema and only reads the
//! target. Each test is named after what it proves.

use crate::cli::{self, Output, Project};
use crate::support;
use accrete::scope::Scope;
use std::time::Duration;

async fn digests(
    db: &accrete::conn::ConnParams,
) -> std::collections::BTreeMap<accrete::catalog::ObjectKey, String> {
    let conn = support::connect(db).await;
    accrete::inspect::inspect(&conn.client, &Scope::default()).await.expect("inspect").catalog.digests()
}

fn plan_with(project: &Project, url: &str, extra: &[&str]) -> Output {
    let out = project.path("plan.sql");
    let mut args = vec!["plan", "--db", url, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    project.run(&args)
}

/// `apply --dry-run` of `plan.sql`, making its copy on the test cluster; killed after `limit`.
async fn dry_run(project: &Project, url: &str, extra: &[&str], limit: Duration) -> Output {
    let plan = project.path("plan.sql");
    let dev_url = cli::dev_url();
    let mut args = vec!["apply", plan.to_str().unwrap(), "--db", url, "--dry-run", "--dev-url", &dev_url];
    args.extend_from_slice(extra);
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_accrete"));
    cmd.args(&args).current_dir(&project.dir).kill_on_drop(true);
    for (key, _) in std::env::vars() {
        if key.starts_with("PG") || key == "DATABASE_URL" {
            cmd.env_remove(key);
        }
    }
    let out = tokio::time::timeout(limit, cmd.output())
        .await
        .expect("the dry run finished in time (it waited for a lock on the target?)")
        .expect("running the accrete binary");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_is_proven_and_its_header_says_on_what() {
    let db = support::fresh_db("proof header").await;
    support::exec(&db, "CREATE TABLE public.users (id bigint PRIMARY KEY);").await;
    let project = Project::with_files(
        "proof-header",
        &[("users.sql", "CREATE TABLE public.users (id bigint PRIMARY KEY, email text);\n")],
    );
    let url = cli::url(&db);
    let planned = plan_with(&project, &url, &[]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    let line = format!(
        "-- proven: on a copy of database \"{}\"'s schema, PostgreSQL {}",
        db.dbname,
        crate::support::cluster().version
    );
    assert!(text.contains(&line), "{line}\n{text}");
    assert!(text.contains(", 1 step ran\n"), "{text}");
    let rollback = std::fs::read_to_string(project.path("plan.rollback.sql")).unwrap();
    assert!(rollback.contains("-- not proven: a rollback is not run on a copy"), "{rollback}");
    let again = project.run(&["plan", "--db", &url, "--out", project.path("again.sql").to_str().unwrap()]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert_eq!(
        std::fs::read_to_string(project.path("again.sql")).unwrap(),
        text,
        "the proof line is deterministic"
    );
    let skipped = plan_with(&project, &url, &["--no-prove"]);
    assert_eq!(skipped.code, 0, "{}", skipped.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(text.contains("\n-- not proven: --no-prove\n"), "{text}");
    let json = plan_with(&project, &url, &["--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&json.stdout).unwrap_or_else(|_| panic!("{}", json.all()));
    assert_eq!(doc["proof"]["status"], "proven", "{}", json.stdout);
    assert!(doc["proof"]["on"].as_str().unwrap().starts_with("a copy of database"), "{}", json.stdout);
    let json = plan_with(&project, &url, &["--format", "json", "--no-prove"]);
    let doc: serde_json::Value =
        serde_json::from_str(&json.stdout).unwrap_or_else(|_| panic!("{}", json.all()));
    assert_eq!(doc["proof"]["status"], "skipped", "{}", json.stdout);
}

/// A function PostgreSQL will not replace (a parameter renamed) under a generated column that calls it:
/// the planner drops and creates the function but does not take the generated column along, and `DROP
/// FUNCTION` refuses while the column depends on it. The proof finds it at plan time, and writes no plan;
/// unproven, the same plan fails at apply, where the proof said it would.
#[tokio::test(flavor = "multi_thread")]
async fn a_plan_whose_step_fails_on_the_copy_is_refused_naming_the_step() {
    let db = support::fresh_db("proof refused").await;
    let function = |param: &str| {
        format!(
            "CREATE FUNCTION public.twice({param} integer) RETURNS integer LANGUAGE sql IMMUTABLE \
             RETURN {param} * 2;\n"
        )
    };
    let table =
        "CREATE TABLE public.t (a integer, b integer GENERATED ALWAYS AS (public.twice(a)) STORED);\n";
    support::exec(&db, &format!("{}{table}", function("x"))).await;
    let project = Project::with_files("proof-refused", &[("t.sql", &format!("{}{table}", function("y")))]);
    let url = cli::url(&db);
    let before = digests(&db).await;
    let refused = plan_with(&project, &url, &["--allow", "alter,drop"]);
    assert_eq!(refused.code, 1, "{}", refused.all());
    assert!(refused.stderr.contains("fails on a copy of the target's schema"), "{}", refused.all());
    assert!(refused.stderr.contains("function public.twice(integer)"), "{}", refused.all());
    assert!(refused.stderr.contains("other objects depend on it"), "{}", refused.all());
    assert!(!project.path("plan.sql").exists(), "no plan is written");
    assert_eq!(digests(&db).await, before, "the target is unchanged");
    let written = plan_with(&project, &url, &["--allow", "alter,drop", "--no-prove"]);
    assert_eq!(written.code, 0, "{}", written.all());
    let plan = project.path("plan.sql");
    let applied = project.run(&["apply", plan.to_str().unwrap(), "--db", &url, "--allow", "alter,drop"]);
    assert_eq!(applied.code, 1, "{}", applied.all());
    assert!(applied.stderr.contains("other objects depend on it"), "{}", applied.all());
}

/// A new table and a foreign key to it from an existing table (segments that depend on each other): the
/// dry run runs them all on a copy, exits 0, and on the target only reads. Every existing table is held
/// in EXCLUSIVE mode meanwhile, which lets ACCESS SHARE through and blocks every stronger lock: a dry run
/// that took one would hang (and the test time out).
#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_runs_every_step_on_a_copy_and_only_reads_the_target() {
    let db = support::fresh_db("proof dry run").await;
    support::exec(
        &db,
        "CREATE TABLE public.users (id bigint PRIMARY KEY); INSERT INTO public.users VALUES (1);",
    )
    .await;
    let desired = "CREATE TABLE public.teams (id bigint PRIMARY KEY);\n\
                   CREATE TABLE public.users (id bigint PRIMARY KEY CONSTRAINT users_id_check CHECK (id > 0),\n\
                   team_id bigint REFERENCES public.teams (id));\n\
                   CREATE INDEX users_team_idx ON public.users (team_id);\n";
    let project = Project::with_files("proof-dry-run", &[("s.sql", desired)]);
    let url = cli::url(&db);
    let planned = plan_with(&project, &url, &[]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(text.contains("-- accrete:segment 2"), "several segments:\n{text}");
    assert!(text.contains("CONCURRENTLY"), "a non-transactional segment:\n{text}");
    let before = digests(&db).await;
    let holder = support::connect(&db).await;
    holder.client.batch_execute("BEGIN; LOCK TABLE public.users IN EXCLUSIVE MODE").await.unwrap();
    let out = dry_run(&project, &url, &[], Duration::from_secs(120)).await;
    holder.client.batch_execute("COMMIT").await.unwrap();
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("on the copy:"), "{}", out.all());
    assert!(out.stdout.contains("add table public.teams: executed"), "{}", out.all());
    assert!(out.stdout.contains("add index public.users_team_idx: executed"), "{}", out.all());
    assert!(
        out.stdout.contains("add constraint public.users.users_id_check (NOT VALID): no row would fail it"),
        "the check was counted on the target:\n{}",
        out.all()
    );
    assert!(out.stdout.contains("it reads what the plan creates"), "{}", out.all());
    assert!(out.stdout.contains("what a dry run cannot tell:"), "{}", out.all());
    assert!(!out.stdout.contains("not exercised"), "{}", out.all());
    assert_eq!(digests(&db).await, before, "the target is unchanged");
    let conn = support::connect(&db).await;
    let history: i64 = conn
        .client
        .query_one("SELECT count(*) FROM pg_namespace WHERE nspname = 'accrete'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(history, 0, "nothing is recorded");
}

/// Rows that would fail a step make the dry run fail, naming the step; the copy (no rows) alone would pass.
#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_fails_on_rows_that_would_fail_a_step() {
    let db = support::fresh_db("proof dry run data").await;
    support::exec(
        &db,
        "CREATE TABLE public.users (id bigint PRIMARY KEY, email text);\n\
         INSERT INTO public.users VALUES (1, 'a@example.com'), (2, NULL);",
    )
    .await;
    let desired = "CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);\n";
    let project = Project::with_files("proof-dry-run-data", &[("s.sql", desired)]);
    let url = cli::url(&db);
    let planned = plan_with(&project, &url, &["--allow", "alter"]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let before = digests(&db).await;
    let out = dry_run(&project, &url, &["--allow", "alter"], Duration::from_secs(120)).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("rows on the target would fail 1 step"), "{}", out.all());
    assert!(
        out.stderr.contains("step 1 · alter column public.users.email (NOT NULL: check NOT VALID): 1 rows with NULL would fail it"),
        "{}",
        out.all()
    );
    assert_eq!(digests(&db).await, before, "the target is unchanged");
}
