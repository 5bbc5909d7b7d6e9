//! `apply` against a real PostgreSQL, with the hand-written plans in `tests/apply/`.
//!
//! Each plan there is a template: `@TARGET@` (and `@TARGET_COMMENT@`) become the target database's values,
//! each manifest line's `before=@ after=@` become the digests of a reference database before and after
//! psql ran the plan on it, and the checksum line is filled in last (`accrete::apply::seal`).

use crate::support;
use accrete::apply::{self, ApplyError, ApplyOptions, LOCK_KEY, Outcome, PlanFile};
use accrete::catalog::{ObjectKey, ObjectKind};
use accrete::conn::{ConnParams, Host};
use accrete::scope::Scope;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

const BASIC: &str = include_str!("../apply/basic.sql");
const PARTIAL: &str = include_str!("../apply/partial.sql");

/// The state `partial.sql` is planned against.
const USERS_TABLE: &str = "CREATE SCHEMA app; CREATE TABLE app.users (id bigint NOT NULL);";

fn opts() -> ApplyOptions {
    ApplyOptions {
        lock_wait: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(50),
        ..Default::default()
    }
}

async fn digests(params: &ConnParams) -> BTreeMap<ObjectKey, String> {
    let conn = support::connect(params).await;
    let inspected = accrete::inspect::inspect(&conn.client, &Scope::default()).await.expect("inspect");
    inspected.catalog.digests()
}

/// `(target line value, header comment)` for the database `params` names.
async fn target_of(params: &ConnParams) -> (String, String) {
    let conn = support::connect(params).await;
    let row = conn
        .client
        .query_one(
            "SELECT (SELECT system_identifier::text FROM pg_control_system()), current_database()::text,
                    current_setting('server_version_num')::int, current_setting('server_version')",
            &[],
        )
        .await
        .unwrap();
    let (id, db, num, version): (String, String, i32, String) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let db = serde_json::to_string(&db).unwrap();
    (
        format!("system-identifier={id} database={db} server-version-num={num}"),
        format!("PostgreSQL {version}, database {db}, system identifier {id}"),
    )
}

/// The template with the target filled in (manifest and checksum left as they are).
fn with_target(template: &str, target: &(String, String)) -> String {
    template.replace("@TARGET_COMMENT@", &target.1).replace("@TARGET@", &target.0)
}

/// Fills a template's manifest lines from two digest maps, then seals the checksum.
fn render(text: &str, before: &BTreeMap<ObjectKey, String>, after: &BTreeMap<ObjectKey, String>) -> String {
    let state =
        |map: &BTreeMap<ObjectKey, String>, key: &ObjectKey| map.get(key).cloned().unwrap_or("absent".into());
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let Some(rest) = line.strip_prefix("-- accrete:object ") else { return line.to_string() };
            let (kind, rest) = rest.split_once(' ').unwrap();
            let name_end = rest.find(" before=@").expect("template object line");
            let name: String = serde_json::from_str(&rest[..name_end]).unwrap();
            let key = ObjectKey::new(ObjectKind::from_word(kind).unwrap(), name);
            let (b, a) = (state(before, &key), state(after, &key));
            format!("-- accrete:object {kind} {} before={b} after={a}", &rest[..name_end])
        })
        .collect();
    apply::seal(&(lines.join("\n") + "\n")).expect("template has a checksum line")
}

/// Makes the plan text for `target`: digests from a reference database loaded with `setup`, before and
/// after psql runs the plan on it.
async fn plan_text(template: &str, setup: &str, target: &ConnParams) -> String {
    let reference = support::fresh_db("apply reference").await;
    if !setup.is_empty() {
        support::exec(&reference, setup).await;
    }
    let before = digests(&reference).await;
    let file = write_temp(&with_target(template, &target_of(&reference).await));
    let run = psql(&reference, file.path()).await;
    assert!(run.status.success(), "psql on the reference database: {}", String::from_utf8_lossy(&run.stderr));
    let after = digests(&reference).await;
    render(&with_target(template, &target_of(target).await), &before, &after)
}

async fn plan_for(template: &str, setup: &str, target: &ConnParams) -> PlanFile {
    apply::parse(&plan_text(template, setup, target).await).expect("rendered plan parses")
}

fn write_temp(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".sql").tempfile().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

async fn psql(params: &ConnParams, file: &Path) -> std::process::Output {
    let Some(Host::Socket(dir)) = params.hosts.first() else { panic!("test clusters listen on a socket") };
    tokio::process::Command::new("/usr/bin/psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
        .arg(dir)
        .args(["-p", &params.port.to_string(), "-U", &params.user, "-d", &params.dbname, "-f"])
        .arg(file)
        .output()
        .await
        .expect("running psql")
}

/// Applies `plan` in this process; returns the outcome and what it printed.
pub(crate) async fn run(
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
) -> (Result<Outcome, ApplyError>, String) {
    let mut out = Vec::new();
    let result = apply::apply(params, plan, opts, &mut out).await;
    (result, String::from_utf8(out).unwrap())
}

/// The one `bigint` a query returns.
pub(crate) async fn query_i64(params: &ConnParams, sql: &str) -> i64 {
    support::connect(params).await.client.query_one(sql, &[]).await.unwrap().get(0)
}

async fn schemas_named(params: &ConnParams, names: &str) -> i64 {
    query_i64(params, &format!("SELECT count(*) FROM pg_namespace WHERE nspname IN ({names})")).await
}

/// `(status, verified)` of each history row, oldest first.
async fn history(params: &ConnParams) -> Vec<(String, Option<bool>)> {
    let conn = support::connect(params).await;
    let rows =
        conn.client.query("SELECT status, verified FROM accrete.history ORDER BY id", &[]).await.unwrap();
    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// `(segment, step, outcome)` of the newest history row's steps.
async fn last_steps(params: &ConnParams) -> Vec<(i32, i32, String)> {
    let conn = support::connect(params).await;
    let rows = conn
        .client
        .query(
            "SELECT segment, step, outcome FROM accrete.history_steps
             WHERE history_id = (SELECT max(id) FROM accrete.history) ORDER BY step",
            &[],
        )
        .await
        .unwrap();
    rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect()
}

fn steps(list: &[(i32, i32, &str)]) -> Vec<(i32, i32, String)> {
    list.iter().map(|(a, b, c)| (*a, *b, c.to_string())).collect()
}

#[tokio::test]
async fn applies_a_plan_then_reports_it_already_applied() {
    let db = support::fresh_db("apply basic").await;
    let plan = plan_for(BASIC, "", &db).await;
    let (result, log) = run(&db, &plan, &opts()).await;
    let outcome = result.unwrap_or_else(|e| panic!("{e}\n--- log ---\n{log}"));
    assert!(matches!(outcome, Outcome::Applied { executed: 4, skipped: 0, .. }), "{outcome:?}");
    assert!(log.contains(&format!("target: {}", db.host_port())), "{log}");
    assert!(log.contains("verified: 5 touched objects are as planned"), "{log}");
    let valid =
        "SELECT count(*) FROM pg_index WHERE indexrelid = 'app.users_email_idx'::regclass AND indisvalid";
    assert_eq!(query_i64(&db, valid).await, 1);
    assert_eq!(history(&db).await, vec![("applied".to_string(), Some(true))]);
    let expected = [(1, 1, "executed"), (1, 2, "executed"), (1, 3, "executed"), (2, 4, "executed")];
    assert_eq!(last_steps(&db).await, steps(&expected));
    // Sessions end asynchronously once their clients are dropped: wait for them, briefly.
    let app = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'accrete/0a1b2c3d4e5f6789'";
    let deadline = Instant::now() + Duration::from_secs(10);
    while query_i64(&db, app).await > 0 {
        assert!(Instant::now() < deadline, "apply left sessions behind");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let (again, log) = run(&db, &plan, &opts()).await;
    assert_eq!(again.unwrap_or_else(|e| panic!("{e}\n{log}")), Outcome::AlreadyApplied);
    assert!(log.contains("already applied"), "{log}");
    let statuses: Vec<String> = history(&db).await.into_iter().map(|(s, _)| s).collect();
    assert_eq!(statuses, ["applied", "already-applied"]);
    assert!(last_steps(&db).await.is_empty());
}

#[tokio::test]
async fn refuses_a_changed_plan_file() {
    let db = support::fresh_db("apply checksum").await;
    let text = plan_text(BASIC, "", &db).await;
    let good = write_temp(&text);
    assert!(apply::load(good.path()).is_ok());
    let changed = write_temp(&text.replace("ADD COLUMN email text", "ADD COLUMN email varchar"));
    let err = apply::load(changed.path()).unwrap_err();
    assert_eq!(err.exit_code(), 3);
    assert!(err.to_string().contains("plan file changed since it was written: checksum mismatch"), "{err}");
    let reformatted = write_temp(&text.replace("-- accrete:format 1", "-- accrete:format 7"));
    assert_eq!(apply::load(reformatted.path()).unwrap_err().exit_code(), 3, "the checksum comes first");
}

#[tokio::test]
async fn refuses_another_target_unless_told() {
    let planned = support::fresh_db("apply planned").await;
    let other = support::fresh_db("apply other").await;
    let plan = plan_for(BASIC, "", &planned).await;
    let (result, log) = run(&other, &plan, &opts()).await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 3, "{err}\n{log}");
    let message = err.to_string();
    assert!(
        message.contains(&format!("database \"{}\", planned \"{}\"", other.dbname, planned.dbname)),
        "{message}"
    );
    assert!(message.contains("--other-target"), "{message}");
    assert_eq!(schemas_named(&other, "'app', 'accrete'").await, 0);

    let (result, log) = run(&other, &plan, &ApplyOptions { other_target: true, ..opts() }).await;
    assert!(matches!(result, Ok(Outcome::Applied { executed: 4, .. })), "{result:?}\n{log}");
}

#[tokio::test]
async fn refuses_an_object_changed_since_the_plan_unless_forced() {
    let db = support::fresh_db("apply force").await;
    let text = plan_text(BASIC, "", &db).await;
    let plan = apply::parse(&text).expect("rendered plan parses");
    // Everything as planned, but the index is invalid (as after a failed concurrent build).
    let file = write_temp(&text);
    assert!(psql(&db, file.path()).await.status.success());
    support::exec(
        &db,
        "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'app.users_email_idx'::regclass",
    )
    .await;

    let (result, log) = run(&db, &plan, &opts()).await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 3, "{err}\n{log}");
    let message = err.to_string();
    assert!(message.contains("1 touched object changed since the plan was made"), "{message}");
    assert!(message.contains("\n  index app.users_email_idx: digest "), "{message}");
    assert!(message.contains("--force"), "{message}");
    assert_eq!(schemas_named(&db, "'accrete'").await, 0, "a refusal records nothing");

    let (result, log) = run(&db, &plan, &ApplyOptions { force: true, ..opts() }).await;
    let outcome = result.unwrap_or_else(|e| panic!("{e}\n{log}"));
    assert!(matches!(outcome, Outcome::Applied { executed: 1, skipped: 3, .. }), "{outcome:?}\n{log}");
    let expected = [(1, 1, "skipped"), (1, 2, "skipped"), (1, 3, "skipped"), (2, 4, "executed")];
    assert_eq!(last_steps(&db).await, steps(&expected));
    let valid =
        "SELECT count(*) FROM pg_index WHERE indexrelid = 'app.users_email_idx'::regclass AND indisvalid";
    assert_eq!(query_i64(&db, valid).await, 1, "the invalid index was rebuilt");
}

#[tokio::test]
async fn a_forced_apply_that_leaves_an_object_not_as_planned_is_unverified() {
    let db = support::fresh_db("apply unverified").await;
    let plan = plan_for(BASIC, "", &db).await;
    // The guard of step 1 skips an existing schema whatever its comment; the digest differs.
    support::exec(&db, "CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'made by hand'").await;
    let (result, log) = run(&db, &plan, &ApplyOptions { force: true, ..opts() }).await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 4, "{err}\n{log}");
    let message = err.to_string();
    assert!(
        message.starts_with("applied, but verification failed: 1 touched object is not as planned:"),
        "{message}"
    );
    assert!(message.contains("\n  schema app: digest "), "{message}");
    assert_eq!(history(&db).await, vec![("unverified".to_string(), Some(false))]);
    let expected = [(1, 1, "skipped"), (1, 2, "executed"), (1, 3, "executed"), (2, 4, "executed")];
    assert_eq!(last_steps(&db).await, steps(&expected));
}

#[tokio::test]
async fn forced_guards_still_refuse_a_different_object() {
    let db = support::fresh_db("apply guard").await;
    let plan = plan_for(BASIC, "", &db).await;
    support::exec(&db, "CREATE SCHEMA app; CREATE TABLE app.users (id bigint NOT NULL, email integer);")
        .await;
    let (result, log) = run(&db, &plan, &opts()).await;
    let message = result.unwrap_err().to_string();
    assert!(message.contains("column app.users.email: digest "), "{message}\n{log}");

    let (result, log) = run(&db, &plan, &ApplyOptions { force: true, ..opts() }).await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 1, "{err}\n{log}");
    let message = err.to_string();
    assert!(message.contains("step 3 (add column app.users.email) failed at line "), "{message}");
    assert!(
        message.contains("accrete: step 3: column app.users.email exists with type integer"),
        "{message}"
    );
    assert!(message.ends_with("no step took effect: nothing the plan touches was changed"), "{message}");
    assert_eq!(history(&db).await, vec![("failed".to_string(), None)]);
    let expected = [(1, 1, "rolled-back"), (1, 2, "rolled-back"), (1, 3, "failed")];
    assert_eq!(last_steps(&db).await, steps(&expected));
}

#[tokio::test]
async fn a_failure_after_a_committed_segment_is_partial_and_a_rerun_completes() {
    let db = support::fresh_db("apply partial").await;
    let plan = plan_for(PARTIAL, USERS_TABLE, &db).await;
    support::exec(&db, &format!("{USERS_TABLE} INSERT INTO app.users VALUES (1), (-1), (-2);")).await;

    let (result, log) = run(&db, &plan, &opts()).await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 4, "{err}\n{log}");
    assert!(matches!(&err, ApplyError::Partial { committed_segments, .. } if committed_segments == &[1]));
    let message = err.to_string();
    assert!(
        message.contains("step 2 (add constraint app.users.users_id_positive) failed at line 56: DO"),
        "{message}"
    );
    assert!(message.contains("accrete: step 2: 2 rows of app.users violate CHECK (id > 0)"), "{message}");
    assert!(message.contains("HINT: fix those rows"), "{message}");
    assert!(message.contains("segments committed: 1; re-run the same plan to complete it"), "{message}");
    assert!(log.contains("segment 1: committed") && log.contains("segment 2: rolled back"), "{log}");
    assert_eq!(history(&db).await, vec![("partial".to_string(), None)]);
    assert_eq!(last_steps(&db).await, steps(&[(1, 1, "executed"), (2, 2, "failed")]));

    support::exec(&db, "DELETE FROM app.users WHERE id <= 0").await;
    let (result, log) = run(&db, &plan, &opts()).await;
    let outcome = result.unwrap_or_else(|e| panic!("{e}\n{log}"));
    assert!(matches!(outcome, Outcome::Applied { executed: 1, skipped: 1, .. }), "{outcome:?}");
    assert!(log.contains("step 1 · add column app.users.email: skipped"), "{log}");
    assert_eq!(last_steps(&db).await, steps(&[(1, 1, "skipped"), (2, 2, "executed")]));
    assert_eq!(history(&db).await[1], ("applied".to_string(), Some(true)));
}

#[tokio::test]
async fn waits_for_the_apply_lock_then_names_its_holder() {
    let db = support::fresh_db("apply lock").await;
    let plan = plan_for(BASIC, "", &db).await;
    let holder = support::connect(&db).await;
    holder.client.execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY]).await.unwrap();
    let pid: i32 = holder.client.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);

    let started = Instant::now();
    let (result, log) = run(&db, &plan, &ApplyOptions { lock_wait: Duration::from_secs(1), ..opts() }).await;
    assert!(started.elapsed() >= Duration::from_secs(1));
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 1, "{err}\n{log}");
    let message = err.to_string();
    assert!(
        message.contains(&format!("lock on this database: pid {pid} (application_name \"accrete-tests\"")),
        "{message}"
    );
    assert!(message.contains("--lock-wait"), "{message}");
    assert_eq!(schemas_named(&db, "'app', 'accrete'").await, 0);

    holder.client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY]).await.unwrap();
    let (result, log) = run(&db, &plan, &opts()).await;
    assert!(matches!(result, Ok(Outcome::Applied { .. })), "{result:?}\n{log}");
}

#[tokio::test]
async fn retries_a_segment_that_hits_a_lock_timeout() {
    let db = support::fresh_db("apply retry").await;
    let plan = plan_for(PARTIAL, USERS_TABLE, &db).await;
    support::exec(&db, &format!("{USERS_TABLE} INSERT INTO app.users VALUES (1);")).await;
    let blocker = support::connect(&db).await;
    blocker.client.batch_execute("BEGIN; LOCK TABLE app.users IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let watcher = support::connect(&db).await;
    // Holds the lock until the apply has waited on it, then long enough for one lock timeout more.
    let release = tokio::spawn(async move {
        let waiting = "SELECT count(*) FROM pg_stat_activity
                       WHERE application_name = 'accrete/5566778899aabbcc' AND wait_event_type = 'Lock'";
        let deadline = Instant::now() + Duration::from_secs(30);
        while watcher.client.query_one(waiting, &[]).await.unwrap().get::<_, i64>(0) == 0 {
            assert!(Instant::now() < deadline, "the apply never waited for the lock");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        blocker.client.batch_execute("COMMIT").await.unwrap();
    });
    let opts = ApplyOptions { lock_timeout: Duration::from_millis(100), lock_retries: 20, ..opts() };
    let (result, log) = run(&db, &plan, &opts).await;
    release.await.unwrap();
    let outcome = result.unwrap_or_else(|e| panic!("{e}\n{log}"));
    assert!(matches!(outcome, Outcome::Applied { executed: 2, skipped: 0, .. }), "{outcome:?}");
    let retried = "  segment 1: lock timeout in step 1 (add column app.users.email); rolled back, retrying in 50ms \
                   (attempt 2 of 21)";
    assert!(log.contains(retried), "{log}");
    assert_eq!(last_steps(&db).await, steps(&[(1, 1, "executed"), (2, 2, "executed")]));
}

#[tokio::test]
async fn a_dry_run_changes_nothing_and_records_nothing() {
    let db = support::fresh_db("apply dry run").await;
    let plan = plan_for(BASIC, "", &db).await;
    let prove_on = accrete::normalize::Options { dev_url: Some(crate::cli::dev_url()), ..Default::default() };
    let (result, log) = run(&db, &plan, &ApplyOptions { dry_run: true, prove_on, ..opts() }).await;
    let outcome = result.unwrap_or_else(|e| panic!("{e}\n{log}"));
    assert_eq!(outcome, Outcome::DryRun { executed: 4, skipped: 0 });
    assert!(log.contains("on a scratch copy of the target's current schema"), "{log}");
    assert!(log.contains("step 4 · add index app.users_email_idx: executed"), "{log}");
    assert!(log.contains("what a dry run cannot tell:"), "{log}");
    assert_eq!(schemas_named(&db, "'app', 'accrete'").await, 0);
}

#[tokio::test]
async fn the_plan_file_runs_twice_with_psql() {
    let db = support::fresh_db("apply psql").await;
    let text = plan_text(BASIC, "", &db).await;
    let file = write_temp(&text);
    let first = psql(&db, file.path()).await;
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let second = psql(&db, file.path()).await;
    let notices = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{notices}");
    for step in 1..=4 {
        assert!(notices.contains(&format!("accrete: step {step} skipped:")), "{notices}");
    }
    // Two applies at once find it applied, and both create (or find) the history tables.
    let plan = apply::parse(&text).unwrap();
    let opts = opts();
    let ((a, log_a), (b, log_b)) = tokio::join!(run(&db, &plan, &opts), run(&db, &plan, &opts));
    assert_eq!(a.unwrap_or_else(|e| panic!("{e}\n{log_a}")), Outcome::AlreadyApplied);
    assert_eq!(b.unwrap_or_else(|e| panic!("{e}\n{log_b}")), Outcome::AlreadyApplied);
    let statuses: Vec<String> = history(&db).await.into_iter().map(|(s, _)| s).collect();
    assert_eq!(statuses, ["already-applied", "already-applied"]);
}

#[tokio::test]
async fn applies_as_the_given_role() {
    let db = support::fresh_db("apply role").await;
    let role = format!("{}_owner", db.dbname);
    support::exec(&db, &format!("CREATE ROLE {role}; GRANT CREATE ON DATABASE {} TO {role};", db.dbname))
        .await;
    let plan = plan_for(BASIC, "", &db).await;
    let opts = ApplyOptions { role: Some(role.clone()), ..opts() };
    let (result, log) = run(&db, &plan, &opts).await;
    assert!(matches!(result, Ok(Outcome::Applied { .. })), "{result:?}\n{log}");
    let conn = support::connect(&db).await;
    let owner: String = conn
        .client
        .query_one("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'app'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(owner, role);
    let row =
        conn.client.query_one("SELECT role_name, session_user_name FROM accrete.history", &[]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), role);
    assert_eq!(row.get::<_, String>(1), db.user);
}

#[tokio::test]
async fn records_in_the_configured_history_schema() {
    let db = support::fresh_db("apply history schema").await;
    let plan = plan_for(PARTIAL, USERS_TABLE, &db).await;
    support::exec(&db, USERS_TABLE).await;
    let opts = ApplyOptions { history_schema: "Deploy Log".into(), ..opts() };
    let (result, log) = run(&db, &plan, &opts).await;
    assert!(matches!(result, Ok(Outcome::Applied { executed: 2, .. })), "{result:?}\n{log}");
    assert!(log.contains("recording in Deploy Log.history, id 1"), "{log}");
    let sql = "SELECT count(*) FROM \"Deploy Log\".history_steps WHERE outcome = 'executed'";
    assert_eq!(query_i64(&db, sql).await, 2);
    assert_eq!(schemas_named(&db, "'accrete'").await, 0);
    // The history schema is accrete's own: never a touched or inspected object, so the plan stays applied.
    let (again, log) = run(&db, &plan, &opts).await;
    assert_eq!(again.unwrap_or_else(|e| panic!("{e}\n{log}")), Outcome::AlreadyApplied);
}
