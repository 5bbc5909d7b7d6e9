//! Apply under faults: a writer's latency during validations, interruption by signals, a backend
//! terminated mid-segment, an apply killed outright and recovered by the next one, two applies at once,
//! and a table lock held by another session. Each asserts what the history says, that a re-run
//! converges, and (where a plan ran) that the rollback restores the catalog.

use crate::apply::{query_i64, run};
use crate::cli::{self, Project};
use crate::support;
use accrete::apply::{self, ApplyOptions, Outcome, PlanFile};
use accrete::catalog::ObjectKey;
use accrete::conn::ConnParams;
use accrete::scope::Scope;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn opts() -> ApplyOptions {
    ApplyOptions {
        lock_wait: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(50),
        ..Default::default()
    }
}

/// Plans `desired` against `db` with the binary; returns the project and the parsed plan.
fn plan(name: &str, db: &ConnParams, desired: &str) -> (Project, PlanFile) {
    let project = Project::with_files(name, &[("schema.sql", desired)]);
    let planned = project.plan(&cli::url(db), "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = apply::load(&project.path("plan.sql")).unwrap_or_else(|e| panic!("{e}"));
    (project, plan)
}

async fn digests(db: &ConnParams) -> BTreeMap<ObjectKey, String> {
    let conn = support::connect(db).await;
    let scope = Scope { own_schema: "accrete".into(), ..Default::default() };
    accrete::inspect::inspect(&conn.client, &scope).await.expect("inspect").catalog.digests()
}

const PARENT_CHILD: &str = "CREATE TABLE public.parent (id bigint NOT NULL);
INSERT INTO public.parent SELECT generate_series(1, 1000);
CREATE TABLE public.child (id bigint NOT NULL, parent_id bigint NOT NULL, note text NOT NULL);
INSERT INTO public.child SELECT g, 1 + g % 1000, md5(g::text) FROM generate_series(1, 1000000) g;
ANALYZE public.child;";

/// The parent's unique index is built concurrently between the check added `NOT VALID` and the foreign
/// key, so the check's validation would follow the foreign key in one transaction if segments allowed it.
const PARENT_CHILD_DESIRED: &str = "CREATE TABLE public.parent (id bigint NOT NULL);
CREATE UNIQUE INDEX parent_id_key ON public.parent (id);
CREATE TABLE public.child (id bigint NOT NULL, parent_id bigint NOT NULL, note text NOT NULL,
    CONSTRAINT child_note_check CHECK (length(md5(note || md5(note))) = 32));
ALTER TABLE public.child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES public.parent (id);";

#[tokio::test(flavor = "multi_thread")]
async fn a_writer_never_waits_longer_than_the_lock_timeout_during_validations() {
    let db = support::fresh_db("faults latency").await;
    support::exec(&db, PARENT_CHILD).await;
    let (project, plan) = plan("faults-latency", &db, PARENT_CHILD_DESIRED);
    let validations: Vec<_> =
        plan.steps().filter(|(_, s)| s.has_hazard(accrete::policy::Hazard::ValidatesConstraint)).collect();
    let text = || std::fs::read_to_string(project.path("plan.sql")).unwrap_or_default();
    assert_eq!(validations.len(), 2, "{}", text());
    for (segment, step) in &validations {
        assert_eq!(segment.steps.len(), 1, "step {} shares its transaction:\n{}", step.number, text());
    }

    let writer = support::connect(&db).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_writer = stop.clone();
    let writes = tokio::spawn(async move {
        let (mut max, mut n) = (Duration::ZERO, 0i64);
        while !stop_writer.load(std::sync::atomic::Ordering::Relaxed) {
            n += 1;
            let started = Instant::now();
            writer
                .client
                .execute(
                    "INSERT INTO public.child VALUES (2000000 + $1::bigint, 1 + $1::bigint % 1000, md5($1::bigint::text))",
                    &[&n],
                )
                .await
                .unwrap();
            max = max.max(started.elapsed());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        (max, n)
    });
    let lock_timeout = Duration::from_millis(300);
    let opts = ApplyOptions { lock_timeout, lock_retries: 20, ..opts() };
    let started = Instant::now();
    let (result, log) = run(&db, &plan, &opts).await;
    let took = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (max, n) = writes.await.unwrap();
    let outcome = result.unwrap_or_else(|e| panic!("{e}\n{log}"));
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    eprintln!("apply took {took:?}; {n} inserts, the longest waited {max:?}");
    assert!(n > 10, "the writer wrote during the apply ({n} rows)");
    assert!(max < lock_timeout, "an insert waited {max:?} (lock timeout {lock_timeout:?})\n{log}");
}

/// A table with rows, and what the plans below add to it: a column, a check (added `NOT VALID`, then
/// validated) and an index built concurrently.
const ROWS: &str = "CREATE TABLE public.t (id bigint NOT NULL, note text);
INSERT INTO public.t SELECT g, 'n' || g FROM generate_series(1, 20000) g;";

const ROWS_DESIRED: &str = "CREATE TABLE public.t (id bigint NOT NULL, note text, extra text,
    CONSTRAINT t_id_check CHECK (id > 0));
CREATE INDEX t_note_idx ON public.t (note);";

/// The rows of `public.t` (the columns the plans find), as one digest.
async fn checksum(db: &ConnParams) -> String {
    let conn = support::connect(db).await;
    let sql = "SELECT md5(coalesce(string_agg((t.id, t.note)::text, ',' ORDER BY t.id), '')) FROM public.t t";
    conn.client.query_one(sql, &[]).await.unwrap().get(0)
}

/// `(status)` of each run, oldest first, and the steps of the newest as `step:outcome`.
async fn history(db: &ConnParams) -> (Vec<String>, Vec<String>) {
    let conn = support::connect(db).await;
    let runs = conn.client.query("SELECT status FROM accrete.history ORDER BY id", &[]).await.unwrap();
    let steps = conn
        .client
        .query(
            "SELECT step || ':' || outcome FROM accrete.history_steps
             WHERE history_id = (SELECT max(id) FROM accrete.history WHERE status <> 'already-applied')
             ORDER BY step",
            &[],
        )
        .await
        .unwrap();
    (runs.iter().map(|r| r.get(0)).collect(), steps.iter().map(|r| r.get(0)).collect())
}

/// Waits until a session of `app` waits for a lock; returns its pid.
async fn lock_waiter(db: &ConnParams, app: &str) -> i32 {
    let conn = support::connect(db).await;
    let sql = "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'";
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(row) = conn.client.query_opt(sql, &[&app]).await.unwrap() {
            return row.get(0);
        }
        assert!(Instant::now() < deadline, "{app} never waited for a lock");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until no session of the plan's apply (or its monitor) is left.
async fn sessions_gone(db: &ConnParams, plan: &PlanFile) {
    let sql = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'accrete/{}%'",
        plan.plan_id
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while query_i64(db, &sql).await > 0 {
        assert!(Instant::now() < deadline, "the apply left a session behind");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `accrete apply` as a child process, in the project's directory, with a clean environment.
fn spawn_apply(project: &Project, db: &ConnParams, extra: &[&str]) -> std::process::Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_accrete"));
    cmd.args(["apply", project.path("plan.sql").to_str().unwrap(), "--db", &cli::url(db)])
        .args(extra)
        .current_dir(&project.dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (key, _) in std::env::vars() {
        if key.starts_with("PG") || key == "DATABASE_URL" {
            cmd.env_remove(key);
        }
    }
    cmd.spawn().expect("running the accrete binary")
}

fn signal(child: &std::process::Child, name: &str) {
    let status = std::process::Command::new("kill").args([name, &child.id().to_string()]).status().unwrap();
    assert!(status.success(), "kill {name}");
}

async fn finish(child: std::process::Child) -> cli::Output {
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
    cli::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Re-runs the plan (it must converge and then be applied), then its rollback.
fn rerun_and_roll_back(project: &Project, db: &ConnParams) {
    let url = cli::url(db);
    let plan = project.path("plan.sql");
    let again = project.run(&["apply", plan.to_str().unwrap(), "--db", &url]);
    assert_eq!(again.code, 0, "re-run: {}", again.all());
    let again = project.run(&["apply", plan.to_str().unwrap(), "--db", &url]);
    assert!(again.stdout.contains("already applied"), "{}", again.all());
    let rollback = project.path("plan.rollback.sql");
    let undo = project.run(&["apply", rollback.to_str().unwrap(), "--db", &url, "--allow", "drop,alter"]);
    assert_eq!(undo.code, 0, "rollback: {}", undo.all());
}

async fn assert_restored(db: &ConnParams, before: &BTreeMap<ObjectKey, String>) {
    let after = digests(db).await;
    assert_eq!(&after, before, "the rollback restores the catalog");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_while_a_segment_waits_for_a_lock_cancels_rolls_back_and_records_it() {
    let db = support::fresh_db("faults sigint").await;
    support::exec(&db, ROWS).await;
    let (project, plan) = plan("faults-sigint", &db, ROWS_DESIRED);
    let (before, rows) = (digests(&db).await, checksum(&db).await);
    let blocker = support::connect(&db).await;
    blocker.client.batch_execute("BEGIN; LOCK TABLE public.t IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let child = spawn_apply(&project, &db, &["--lock-timeout", "60"]);
    lock_waiter(&db, &format!("accrete/{}", plan.plan_id)).await;
    signal(&child, "-INT");
    let out = finish(child).await;
    assert_eq!(out.code, 130, "{}", out.all());
    let last = out.stderr.trim_end().lines().last().unwrap_or_default().to_string();
    assert!(
        last.starts_with("error: interrupted by SIGINT: step 1 was cancelled and segment 1 rolled back"),
        "{}",
        out.all()
    );
    assert!(last.ends_with("nothing was committed; re-run the same plan to apply it"), "{}", out.all());
    let (runs, steps) = history(&db).await;
    assert_eq!(runs, ["interrupted"]);
    assert!(steps.last().is_some_and(|s| s.ends_with(":interrupted")), "{steps:?}");
    sessions_gone(&db, &plan).await;
    blocker.client.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(digests(&db).await, before, "nothing changed");
    rerun_and_roll_back(&project, &db);
    assert_eq!(checksum(&db).await, rows);
    assert_restored(&db, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_mid_build_cancels_it_and_a_rerun_rebuilds_the_invalid_index() {
    let db = support::fresh_db("faults sigterm").await;
    support::exec(&db, ROWS).await;
    let (project, plan) = plan(
        "faults-sigterm",
        &db,
        "CREATE TABLE public.t (id bigint NOT NULL, note text);
        CREATE INDEX t_note_idx ON public.t (note);",
    );
    let (before, rows) = (digests(&db).await, checksum(&db).await);
    // An open writer: the concurrent build makes its (invalid) index, then waits for it.
    let writer = support::connect(&db).await;
    writer.client.batch_execute("BEGIN; INSERT INTO public.t VALUES (0, 'in flight')").await.unwrap();
    let child = spawn_apply(&project, &db, &[]);
    lock_waiter(&db, &format!("accrete/{}", plan.plan_id)).await;
    let invalid = "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('public.t_note_idx') AND NOT indisvalid";
    assert_eq!(query_i64(&db, invalid).await, 1, "the build is under way");
    let writer_pid: i32 = writer.client.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);
    tokio::time::sleep(Duration::from_millis(2600)).await;
    signal(&child, "-TERM");
    let out = finish(child).await;
    assert_eq!(out.code, 143, "{}", out.all());
    assert!(
        out.stderr
            .contains("error: interrupted by SIGTERM: step 1 was cancelled; segment 1 is non-transactional"),
        "{}",
        out.all()
    );
    assert!(out.stderr.contains("re-run the same plan to complete it"), "{}", out.all());
    let waiting =
        format!("(no lock timeout) for a lock held by pid {writer_pid} (application_name \"accrete-tests\"");
    assert!(out.stdout.contains(&waiting), "{}", out.all());
    let (runs, steps) = history(&db).await;
    assert_eq!(runs, ["interrupted"]);
    assert_eq!(steps, ["1:interrupted"]);
    sessions_gone(&db, &plan).await;
    writer.client.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(query_i64(&db, invalid).await, 1, "the cancelled build left its invalid index");
    rerun_and_roll_back(&project, &db);
    assert_eq!(checksum(&db).await, rows);
    assert_restored(&db, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_apply_killed_mid_build_is_settled_by_the_next_one_and_rolled_back() {
    let db = support::fresh_db("faults kill").await;
    support::exec(&db, ROWS).await;
    let (project, plan) = plan(
        "faults-kill",
        &db,
        "CREATE TABLE public.t (id bigint NOT NULL, note text);
        CREATE INDEX t_note_idx ON public.t (note);",
    );
    let (before, rows) = (digests(&db).await, checksum(&db).await);
    let writer = support::connect(&db).await;
    writer.client.batch_execute("BEGIN; INSERT INTO public.t VALUES (0, 'in flight')").await.unwrap();
    let mut child = spawn_apply(&project, &db, &[]);
    let app = format!("accrete/{}", plan.plan_id);
    let orphan = lock_waiter(&db, &app).await;
    child.kill().unwrap();
    let _ = child.wait();
    // The server statement goes on, holding the apply lock: another apply is refused, naming it.
    let url = cli::url(&db);
    let plan_file = project.path("plan.sql");
    let refused = project.run(&["apply", plan_file.to_str().unwrap(), "--db", &url, "--lock-wait", "1"]);
    assert_eq!(refused.code, 1, "{}", refused.all());
    let holder = format!("pid {orphan} (application_name \"{app}\"");
    assert!(refused.stderr.contains(&holder), "{}", refused.all());
    // The writer ends; the orphaned build completes and its session ends.
    writer.client.batch_execute("ROLLBACK").await.unwrap();
    sessions_gone(&db, &plan).await;
    let valid =
        "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('public.t_note_idx') AND indisvalid";
    assert_eq!(query_i64(&db, valid).await, 1, "the orphaned build finished");
    let (runs, steps) = history(&db).await;
    assert_eq!(runs, ["started"], "the killed apply could not close its run");
    assert_eq!(steps, ["1:running"]);

    let again = project.run(&["apply", plan_file.to_str().unwrap(), "--db", &url]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stdout.contains("already applied"), "{}", again.all());
    assert!(
        again.stdout.contains("step 1 (index public.t_note_idx): running -> executed"),
        "{}",
        again.all()
    );
    let (runs, steps) = history(&db).await;
    assert_eq!(runs, ["interrupted", "already-applied"]);
    assert_eq!(steps, ["1:executed"]);
    let rollback = project.path("plan.rollback.sql");
    let undo = project.run(&["apply", rollback.to_str().unwrap(), "--db", &url, "--allow", "drop,alter"]);
    assert_eq!(undo.code, 0, "rollback: {}", undo.all());
    assert_eq!(checksum(&db).await, rows);
    assert_restored(&db, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backend_terminated_mid_segment_fails_truthfully_and_a_rerun_converges() {
    let db = support::fresh_db("faults terminate").await;
    support::exec(&db, ROWS).await;
    let (project, plan) = plan("faults-terminate", &db, ROWS_DESIRED);
    let (before, rows) = (digests(&db).await, checksum(&db).await);
    let blocker = support::connect(&db).await;
    blocker.client.batch_execute("BEGIN; LOCK TABLE public.t IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let apply_opts = ApplyOptions { lock_timeout: Duration::from_secs(60), ..opts() };
    let (db2, plan2) = (db.clone(), plan.clone());
    let running = tokio::spawn(async move { run(&db2, &plan2, &apply_opts).await });
    let pid = lock_waiter(&db, &format!("accrete/{}", plan.plan_id)).await;
    support::exec(&db, &format!("SELECT pg_terminate_backend({pid})")).await;
    let (result, log) = running.await.unwrap();
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 1, "{err}\n{log}");
    assert!(err.to_string().contains("terminating connection due to administrator command"), "{err}");
    let (runs, steps) = history(&db).await;
    assert_eq!(runs, ["failed"]);
    assert!(steps.last().is_some_and(|s| s.ends_with(":interrupted")), "{steps:?}");
    blocker.client.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(digests(&db).await, before);
    rerun_and_roll_back(&project, &db);
    assert_eq!(checksum(&db).await, rows);
    assert_restored(&db, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lock_timeout_names_the_blocker_and_a_second_apply_names_the_first() {
    let db = support::fresh_db("faults blocker").await;
    support::exec(&db, ROWS).await;
    let (_project, plan) = plan("faults-blocker", &db, ROWS_DESIRED);
    let blocking = ConnParams { application_name: Some("faults-blocker".into()), ..db.clone() };
    let blocker = support::connect(&blocking).await;
    blocker.client.batch_execute("BEGIN; LOCK TABLE public.t IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let blocker_pid: i32 = blocker.client.query_one("SELECT pg_backend_pid()", &[]).await.unwrap().get(0);

    let short = ApplyOptions { lock_timeout: Duration::from_millis(1000), lock_retries: 1, ..opts() };
    let (result, log) = run(&db, &plan, &short).await;
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 1, "{err}\n{log}");
    let message = err.to_string();
    let named =
        format!("blocked by pid {blocker_pid} (application_name \"faults-blocker\", client local socket");
    assert!(message.contains(&named), "{message}\n{log}");
    assert!(message.contains("its transaction open since "), "{message}");
    assert!(log.contains("rolled back, retrying in 50ms (attempt 2 of 2)"), "{log}");

    // A second apply while the first waits for the table: refused, naming the first.
    let long = ApplyOptions { lock_timeout: Duration::from_secs(60), ..opts() };
    let (db2, plan2) = (db.clone(), plan.clone());
    let first = tokio::spawn(async move { run(&db2, &plan2, &long).await });
    let first_pid = lock_waiter(&db, &format!("accrete/{}", plan.plan_id)).await;
    let (second, log2) =
        run(&db, &plan, &ApplyOptions { lock_wait: Duration::from_millis(500), ..opts() }).await;
    let message = second.unwrap_err().to_string();
    let holder = format!("pid {first_pid} (application_name \"accrete/{}\"", plan.plan_id);
    assert!(message.contains(&holder), "{message}\n{log2}");
    blocker.client.batch_execute("ROLLBACK").await.unwrap();
    let (result, log) = first.await.unwrap();
    assert!(matches!(result, Ok(Outcome::Applied { .. })), "{result:?}\n{log}");
}

/// A TCP proxy in front of the test cluster's socket; `cut` closes every connection through it and
/// refuses new ones.
struct Proxy {
    port: u16,
    cut: tokio::sync::watch::Sender<bool>,
}

async fn proxy(db: &ConnParams) -> Proxy {
    let Some(accrete::conn::Host::Socket(dir)) = db.hosts.first() else { panic!("a socket") };
    let socket = dir.join(format!(".s.PGSQL.{}", db.port));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (cut, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            if *rx.borrow() {
                continue;
            }
            let (socket, mut rx) = (socket.clone(), rx.clone());
            tokio::spawn(async move {
                let mut unix = tokio::net::UnixStream::connect(&socket).await.unwrap();
                tokio::select! {
                    _ = tokio::io::copy_bidirectional(&mut tcp, &mut unix) => {}
                    _ = rx.changed() => {}
                }
            });
        }
    });
    Proxy { port, cut }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_cut_mid_segment_changes_nothing_and_the_next_apply_settles_the_run() {
    let db = support::fresh_db("faults proxy").await;
    support::exec(&db, ROWS).await;
    let (project, plan) = plan("faults-proxy", &db, ROWS_DESIRED);
    let (before, rows) = (digests(&db).await, checksum(&db).await);
    let proxy = proxy(&db).await;
    let through = ConnParams {
        hosts: vec![accrete::conn::Host::Tcp("127.0.0.1".into())],
        port: proxy.port,
        ..db.clone()
    };
    let blocker = support::connect(&db).await;
    blocker.client.batch_execute("BEGIN; LOCK TABLE public.t IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let apply_opts = ApplyOptions { lock_timeout: Duration::from_secs(60), ..opts() };
    let plan2 = plan.clone();
    let running = tokio::spawn(async move { run(&through, &plan2, &apply_opts).await });
    lock_waiter(&db, &format!("accrete/{}", plan.plan_id)).await;
    proxy.cut.send(true).unwrap();
    let (result, log) = running.await.unwrap();
    let err = result.unwrap_err();
    assert_eq!(err.exit_code(), 1, "{err}\n{log}");
    assert!(err.to_string().contains("the history could not record all of it"), "{err}");
    // The orphaned statement gets its lock, then finds its client gone: its transaction rolls back.
    blocker.client.batch_execute("ROLLBACK").await.unwrap();
    sessions_gone(&db, &plan).await;
    assert_eq!(digests(&db).await, before, "nothing changed");
    assert_eq!(history(&db).await.0, ["started"], "the cut apply could not close its run");
    rerun_and_roll_back(&project, &db);
    assert_eq!(history(&db).await.0[..2], ["interrupted", "applied"]);
    assert_eq!(checksum(&db).await, rows);
    assert_restored(&db, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_restarted_mid_build_leaves_a_run_the_next_apply_settles() {
    // A cluster of its own: this test stops it with an immediate shutdown.
    let major = support::cluster().major;
    let base = support::temp_dir("restart-cluster");
    let start = |base: std::path::PathBuf| async move {
        tokio::task::spawn_blocking(move || accrete::pg::ensure_cluster(&base, major))
            .await
            .unwrap()
            .unwrap()
            .0
    };
    let cluster = start(base.clone()).await;
    support::register_server(cluster.pid, &[&cluster.socket_dir, &cluster.data_dir]);
    let db = cluster.admin_params().with_dbname("restart");
    // Accrete's clusters run with synchronous_commit off; a crash must keep what was committed here.
    support::exec(&cluster.admin_params(), "CREATE DATABASE restart").await;
    support::exec(&cluster.admin_params(), "ALTER DATABASE restart SET synchronous_commit = on").await;
    support::exec(&db, ROWS).await;
    let (project, plan) = plan(
        "faults-restart",
        &db,
        "CREATE TABLE public.t (id bigint NOT NULL, note text);
        CREATE INDEX t_note_idx ON public.t (note);",
    );
    let (before, rows) = (digests(&db).await, checksum(&db).await);
    let writer = support::connect(&db).await;
    writer.client.batch_execute("BEGIN; INSERT INTO public.t VALUES (0, 'in flight')").await.unwrap();
    let (db2, plan2) = (db.clone(), plan.clone());
    let running = tokio::spawn(async move { run(&db2, &plan2, &opts()).await });
    lock_waiter(&db, &format!("accrete/{}", plan.plan_id)).await;
    // `pg_ctl stop -m immediate`: SIGQUIT to the postmaster.
    let status =
        std::process::Command::new("kill").args(["-QUIT", &cluster.pid.to_string()]).status().unwrap();
    assert!(status.success());
    let (result, log) = running.await.unwrap();
    let err = result.unwrap_err();
    assert_ne!(err.exit_code(), 0, "{err}\n{log}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::path::Path::new(&format!("/proc/{}", cluster.pid)).exists() {
        assert!(Instant::now() < deadline, "the server did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let cluster = start(base.clone()).await;
    support::register_server(cluster.pid, &[&cluster.socket_dir, &cluster.data_dir]);
    let db = cluster.admin_params().with_dbname("restart");
    assert_eq!(history(&db).await, (vec!["started".to_string()], vec!["1:running".to_string()]));
    assert_eq!(checksum(&db).await, rows, "the writer's row went with its transaction");

    rerun_and_roll_back(&project, &db);
    let (runs, _) = history(&db).await;
    assert_eq!(runs[..2], ["interrupted", "applied"]);
    let conn = support::connect(&db).await;
    let first: String = conn
        .client
        .query_one("SELECT outcome FROM accrete.history_steps WHERE history_id = 1", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(first, "interrupted", "the crashed build left an invalid index, not its after state");
    assert_eq!(checksum(&db).await, rows);
    assert_restored(&db, &before).await;
    let _ = cluster.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_while_waiting_for_the_apply_lock_stops_before_anything_runs() {
    let db = support::fresh_db("faults sigint lock").await;
    support::exec(&db, ROWS).await;
    let (project, plan) = plan("faults-sigint-lock", &db, ROWS_DESIRED);
    let before = digests(&db).await;
    let holder = support::connect(&db).await;
    holder.client.execute("SELECT pg_advisory_lock($1)", &[&apply::LOCK_KEY]).await.unwrap();
    let child = spawn_apply(&project, &db, &["--lock-wait", "60"]);
    let sql = format!(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'accrete/{}' AND state = 'idle'",
        plan.plan_id
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while query_i64(&db, &sql).await == 0 {
        assert!(Instant::now() < deadline, "the apply never reached the lock");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    signal(&child, "-INT");
    let out = finish(child).await;
    assert_eq!(out.code, 130, "{}", out.all());
    assert!(
        out.stderr.contains("interrupted by SIGINT: stopped before any segment ran; nothing was committed"),
        "{}",
        out.all()
    );
    sessions_gone(&db, &plan).await;
    assert_eq!(digests(&db).await, before);
    assert_eq!(query_i64(&db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'accrete'").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_unique_concurrent_build_failing_on_duplicates_completes_once_they_are_fixed() {
    let db = support::fresh_db("faults unique").await;
    support::exec(&db, &format!("{ROWS} INSERT INTO public.t VALUES (20001, 'n1');")).await;
    let (project, plan) = plan(
        "faults-unique",
        &db,
        "CREATE TABLE public.t (id bigint NOT NULL, note text, extra text);
         CREATE UNIQUE INDEX t_note_key ON public.t (note);",
    );
    let before = digests(&db).await;
    let url = cli::url(&db);
    let plan_file = project.path("plan.sql");
    let failed = project.run(&["apply", plan_file.to_str().unwrap(), "--db", &url]);
    assert_eq!(failed.code, 4, "{}", failed.all());
    assert!(failed.stderr.contains("could not create unique index"), "{}", failed.all());
    assert!(
        failed.stderr.contains("segments committed: 1; re-run the same plan to complete it"),
        "{}",
        failed.all()
    );
    let (runs, steps) = history(&db).await;
    assert_eq!(runs, ["partial"]);
    assert_eq!(steps, ["1:executed", "2:failed"]);
    support::exec(&db, "DELETE FROM public.t WHERE id = 20001").await;
    let rows = checksum(&db).await;
    sessions_gone(&db, &plan).await;
    rerun_and_roll_back(&project, &db);
    let (runs, _) = history(&db).await;
    assert_eq!(runs[..2], ["partial", "applied"]);
    assert_eq!(checksum(&db).await, rows);
    assert_restored(&db, &before).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn history_tables_of_the_earlier_layout_gain_the_backend_and_their_open_run_is_closed() {
    let db = support::fresh_db("faults old history").await;
    support::exec(&db, ROWS).await;
    let (_project, plan) = plan("faults-old-history", &db, ROWS_DESIRED);
    support::exec(
        &db,
        "CREATE SCHEMA accrete;
         CREATE TABLE accrete.history (
             id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, plan_id text NOT NULL, checksum text NOT NULL,
             status text NOT NULL, started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
             finished_at timestamptz, tool_version text NOT NULL,
             session_user_name text NOT NULL DEFAULT session_user, role_name text NOT NULL DEFAULT current_user,
             committed_segments integer[] NOT NULL DEFAULT '{}', verified boolean, message text);
         CREATE TABLE accrete.history_steps (
             history_id bigint NOT NULL REFERENCES accrete.history (id), plan_id text NOT NULL,
             segment integer NOT NULL, step integer NOT NULL, object_kind text NOT NULL,
             object_name text NOT NULL, outcome text NOT NULL,
             finished_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (history_id, step));
         INSERT INTO accrete.history (plan_id, checksum, status, tool_version)
             VALUES ('0123456789abcdef', 'sha256:x', 'started', '0.0.1');",
    )
    .await;
    let (result, log) = run(&db, &plan, &opts()).await;
    assert!(matches!(result, Ok(Outcome::Applied { .. })), "{result:?}\n{log}");
    assert!(
        log.contains("history 1: its apply ended without recording it (session gone): interrupted"),
        "{log}"
    );
    assert_eq!(history(&db).await.0, ["interrupted", "applied"]);
    let recorded = "SELECT count(*) FROM accrete.history WHERE id = 2 AND backend_pid IS NOT NULL";
    assert_eq!(query_i64(&db, recorded).await, 1);
}
