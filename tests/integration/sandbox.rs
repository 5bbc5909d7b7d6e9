//! What a schema file can do during `plan` (docs/security.md): nothing in it reaches the machine, a
//! statement that runs too long is cancelled where it is written, and no scratch database outlives its run.

use crate::cli::{self, Project};
use crate::support;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A marker file the attacks try to create, in a folder of the run's that every OS user may write to (the
/// server runs as another user), so that only the sandbox stands between an attack and the file.
fn marker(name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = support::temp_dir("sandbox-markers");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
    dir.join(name)
}

/// Plans `files` against an empty database; returns the output.
async fn plan(name: &str, files: &[(&str, &str)]) -> cli::Output {
    plan_in(name, files).await.0
}

/// The same, with the project (its `plan.sql`).
async fn plan_in(name: &str, files: &[(&str, &str)]) -> (cli::Output, Project) {
    let db = support::fresh_db(name).await;
    let project = Project::with_files(name, files);
    (project.plan(&cli::url(&db), "plan.sql"), project)
}

/// Each attack is refused by PostgreSQL, located at its statement, or inert; the marker never appears.
#[tokio::test(flavor = "multi_thread")]
async fn schema_files_cannot_reach_the_machine() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        // (name, file after the marker is substituted, expected location or None when inert)
        ("copy-program", "CREATE TABLE t (a int);\nCOPY (SELECT 1) TO PROGRAM 'touch MARKER';\n", None),
        (
            "do-copy-program",
            "CREATE TABLE t (a int);\nDO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\n",
            Some("a.sql:2:"),
        ),
        (
            "read-file",
            "DO $$BEGIN PERFORM pg_read_file('/etc/passwd'); EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\n",
            Some("a.sql:1:"),
        ),
        ("select-read-file", "SELECT pg_read_file('/etc/passwd');\n", Some("a.sql:1:")),
        ("lo-import", "\n\nSELECT lo_import('/etc/passwd');\n", Some("a.sql:3:")),
        (
            "copy-from-file",
            "CREATE TABLE t (a text);\nDO $$BEGIN EXECUTE 'COPY t FROM ''/etc/passwd'''; END$$;\n",
            Some("a.sql:2:"),
        ),
        (
            "reset-role",
            "DO $$BEGIN EXECUTE 'RESET ROLE'; EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\n",
            Some("a.sql:1:"),
        ),
        (
            "set-role",
            "DO $$BEGIN EXECUTE 'SET ROLE postgres'; EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\n",
            Some("a.sql:1:"),
        ),
        ("top-level-set-role", "SET ROLE postgres;\nCREATE TABLE t (a int);\n", Some("a.sql:1:")),
        (
            "session-authorization",
            "DO $$BEGIN EXECUTE 'SET SESSION AUTHORIZATION postgres'; \
             EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch MARKER'''; END$$;\n",
            Some("a.sql:1:"),
        ),
        ("alter-role", "DO $$BEGIN EXECUTE 'ALTER ROLE current_user SUPERUSER'; END$$;\n", Some("a.sql:1:")),
        (
            "grant-server-program",
            "DO $$BEGIN EXECUTE 'GRANT pg_execute_server_program TO current_user'; END$$;\n",
            Some("a.sql:1:"),
        ),
        (
            "untrusted-language",
            "CREATE FUNCTION f() RETURNS int LANGUAGE c AS '$libdir/plpgsql', 'plpgsql_call_handler';\n",
            Some("a.sql:1:"),
        ),
        // The wrappers an extension makes are inert in the scratch database: options load as text, and
        // reading the foreign table fails for want of a handler.
        (
            "file-fdw",
            "CREATE EXTENSION file_fdw;\nCREATE SERVER csv FOREIGN DATA WRAPPER file_fdw;\n\
             CREATE FOREIGN TABLE passwd (line text) SERVER csv OPTIONS (filename '/etc/passwd');\n\
             DO $$BEGIN PERFORM * FROM passwd; END$$;\n",
            Some("a.sql:4:"),
        ),
        (
            "file-fdw-program",
            "CREATE EXTENSION file_fdw;\nCREATE SERVER csv FOREIGN DATA WRAPPER file_fdw;\n\
             CREATE FOREIGN TABLE p (line text) SERVER csv OPTIONS (program 'touch MARKER');\n\
             DO $$BEGIN PERFORM * FROM p; END$$;\n",
            Some("a.sql:4:"),
        ),
        (
            "postgres-fdw-handler",
            "CREATE EXTENSION postgres_fdw;\nCREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw;\n\
             ALTER FOREIGN DATA WRAPPER postgres_fdw HANDLER postgres_fdw_handler;\n",
            Some("a.sql:3:"),
        ),
        (
            "import-foreign-schema",
            "CREATE EXTENSION postgres_fdw;\nCREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw;\n\
             IMPORT FOREIGN SCHEMA public FROM SERVER remote INTO public;\n",
            Some("a.sql:3:"),
        ),
        (
            "internal-aggregate",
            "CREATE AGGREGATE bad(int) (SFUNC = array_agg_transfn, STYPE = internal, FINALFUNC = string_agg_finalfn);\n",
            Some("a.sql:1:"),
        ),
        ("create-language", "CREATE LANGUAGE sneaky HANDLER plpgsql_call_handler;\n", Some("a.sql:1:")),
        ("dblink", "CREATE EXTENSION dblink;\nSELECT dblink_connect('dbname=postgres');\n", Some("a.sql:2:")),
        (
            "adminpack",
            "CREATE EXTENSION adminpack;\nSELECT pg_catalog.pg_file_write('MARKER', 'x', false);\n",
            Some("a.sql:2:"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, located) in cases {
        let path = marker(name);
        let text = text.replace("MARKER", path.to_str().unwrap());
        let out = plan(&format!("sandbox-{name}"), &[("a.sql", &text)]).await;
        if path.exists() {
            failures.push(format!("{name}: the marker was created\n{}", out.all()));
            let _ = std::fs::remove_file(&path);
            continue;
        }
        match located {
            Some(at) => {
                if out.code != 1 || !out.stderr.contains(at) {
                    failures.push(format!("{name}: expected a refusal at {at}\n{}", out.all()));
                }
                if out.stderr.contains("root:") {
                    failures.push(format!("{name}: /etc/passwd was read\n{}", out.all()));
                }
            }
            None if out.code != 0 => failures.push(format!("{name}: expected an inert load\n{}", out.all())),
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// An event trigger whose function runs a program on every later DDL: created disabled in the scratch
/// database, so it never fires there (the settling of the CHECK below is DDL after it), while the plan
/// still creates it with the firing state the files declare.
#[tokio::test(flavor = "multi_thread")]
async fn an_event_trigger_never_fires_in_the_scratch_database_and_keeps_its_declared_state() {
    let path = marker("event-trigger");
    let text = format!(
        "CREATE FUNCTION public.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$\n\
         BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {0}'''; END $$;\n\
         CREATE EVENT TRIGGER on_ddl ON ddl_command_end EXECUTE FUNCTION public.on_ddl();\n\
         ALTER EVENT TRIGGER on_ddl ENABLE ALWAYS;\n\
         COMMENT ON EVENT TRIGGER on_ddl IS 'runs a program';\n",
        path.display()
    );
    let later = "CREATE TABLE public.z (a int CHECK (a > 0) DEFAULT 1);\nCREATE INDEX ON public.z (a);\n";
    let (out, project) = plan_in("sandbox-event-trigger", &[("a.sql", &text), ("b.sql", later)]).await;
    assert!(!path.exists(), "the event trigger fired in the scratch database\n{}", out.all());
    assert_eq!(out.code, 0, "{}", out.all());
    let db_plan = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(db_plan.contains("ENABLE ALWAYS"), "the declared firing state is planned:\n{db_plan}");
    assert!(db_plan.contains("runs a program"), "the comment is planned:\n{db_plan}");
}

/// Extensions and their comments load, as the corpus has them: accrete creates them itself.
#[tokio::test(flavor = "multi_thread")]
async fn extensions_comments_and_owned_objects_still_load() {
    let db = support::fresh_db("sandbox-extensions").await;
    support::exec(
        &db.with_dbname("postgres"),
        "DO $$BEGIN CREATE ROLE sandbox_owner NOLOGIN; CREATE ROLE sandbox_reader NOLOGIN; \
         EXCEPTION WHEN duplicate_object THEN NULL; END$$;",
    )
    .await;
    let files = [(
        "a.sql",
        "CREATE SCHEMA ext;\nCREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA ext;\n\
         COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';\n\
         CREATE EXTENSION pg_stat_statements;\n\
         COMMENT ON EXTENSION pg_stat_statements IS 'statistics';\n\
         CREATE SCHEMA app AUTHORIZATION sandbox_owner;\n\
         ALTER DEFAULT PRIVILEGES FOR ROLE sandbox_owner IN SCHEMA app GRANT SELECT ON TABLES TO sandbox_reader;\n\
         CREATE TABLE app.t (id uuid DEFAULT ext.gen_random_uuid() PRIMARY KEY);\n\
         ALTER TABLE app.t OWNER TO sandbox_owner;\n\
         COMMENT ON SCHEMA public IS 'standard public schema';\n\
         GRANT SELECT ON app.t TO sandbox_owner;\n",
    )];
    let project = Project::with_files("sandbox-extensions", &files);
    let out = project.plan(&cli::url(&db), "plan.sql");
    assert_eq!(out.code, 0, "{}", out.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    for wanted in ["pgcrypto", "pg_stat_statements", "ALTER DEFAULT PRIVILEGES"] {
        assert!(text.contains(wanted), "the plan lacks {wanted}:\n{text}");
    }
}

/// `pg_sleep` and an endless loop are cancelled at the configured statement timeout, located.
#[tokio::test(flavor = "multi_thread")]
async fn a_statement_that_runs_too_long_is_cancelled_where_it_is_written() {
    for (name, text, toml, code) in [
        (
            "sleep",
            "CREATE TABLE t (a int);\n\nSELECT pg_sleep(600);\n",
            "statement_timeout = \"1s\"",
            "statement-timeout",
        ),
        (
            "loop",
            "CREATE TABLE t (a int);\n\nDO $$BEGIN LOOP END LOOP; END$$;\n",
            "statement_timeout = \"1s\"",
            "statement-timeout",
        ),
        (
            "load",
            "CREATE TABLE t (a int);\n\nSELECT pg_sleep(600);\n",
            "statement_timeout = \"1h\"\nload_timeout = \"2s\"",
            "load-timeout",
        ),
    ] {
        let db = support::fresh_db(&format!("sandbox-timeout-{name}")).await;
        let project = Project::with_files(&format!("sandbox-timeout-{name}"), &[("a.sql", text)]);
        std::fs::write(project.path("accrete.toml"), format!("[source]\n{toml}\n")).unwrap();
        let started = Instant::now();
        let out = project.plan(&cli::url(&db), "plan.sql");
        assert!(started.elapsed() < Duration::from_secs(60), "{name}: took {:?}", started.elapsed());
        assert_eq!(out.code, 1, "{name}: {}", out.all());
        assert!(out.stderr.contains(code) && out.stderr.contains("a.sql:3:1"), "{name}: {}", out.all());
    }
}

async fn scratch_databases_of(pid: u32) -> Vec<String> {
    let conn = support::connect(&support::cluster().admin_params()).await;
    let pattern = format!("accrete\\_scratch\\_{pid}\\_%");
    let rows = conn
        .client
        .query(
            "SELECT datname::text FROM pg_database WHERE datname LIKE $1 \
             UNION ALL SELECT rolname::text FROM pg_roles WHERE rolname LIKE replace($1, 'scratch', 'loader')",
            &[&pattern],
        )
        .await
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

/// Starts `accrete plan` on a schema that sleeps, and waits until its scratch database exists.
async fn sleeping_plan(name: &str) -> std::process::Child {
    let db = support::fresh_db(name).await;
    let project = Project::with_files(
        name,
        &[("a.sql", "CREATE TABLE t (a int);\nDO $$BEGIN PERFORM pg_sleep(600); END$$;\n")],
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accrete"));
    cmd.args(["plan", "--db", &cli::url(&db), "--dev-url", &cli::dev_url()])
        .current_dir(&project.dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    while scratch_databases_of(child.id()).await.len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(60), "no scratch database appeared");
        if let Ok(Some(status)) = child.try_wait() {
            panic!("plan ended early: {status}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child
}

/// A plan killed mid-load leaves its database and role; the next plan drops them.
#[tokio::test(flavor = "multi_thread")]
async fn a_killed_plan_leaves_nothing_after_the_next_run() {
    let mut child = sleeping_plan("sandbox-killed").await;
    let pid = child.id();
    child.kill().unwrap();
    child.wait().unwrap();
    // SIGKILL leaves the database and role (another test's plan may already have dropped them).
    let out = plan("sandbox-after-kill", &[("a.sql", "CREATE TABLE t (a int);\n")]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(scratch_databases_of(pid).await, Vec::<String>::new(), "the next run cleaned them");
}

/// SIGTERM and SIGINT drop the scratch database and role, then exit 143 and 130.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_plan_drops_its_scratch_database() {
    for (signal, code) in [(nix::sys::signal::Signal::SIGTERM, 143), (nix::sys::signal::Signal::SIGINT, 130)]
    {
        let child = sleeping_plan(&format!("sandbox-{signal}")).await;
        let pid = child.id();
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), signal).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{signal}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(scratch_databases_of(pid).await, Vec::<String>::new(), "{signal}: dropped");
    }
}

/// A missing schema directory, or one without a schema file, is an error naming it; a file that declares
/// nothing is a desired state.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_or_empty_schema_directory_is_an_error_naming_it() {
    let db = support::fresh_db("sandbox-empty-dir").await;
    let url = cli::url(&db);
    let project = Project::with_files("sandbox-empty-dir", &[("notes.txt", "not a schema file")]);
    let out = project.plan(&url, "plan.sql");
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("schema directory schema holds no .sql or .toml file"), "{}", out.all());
    let out = project.run(&["plan", "--db", &url, "--schema-dir", "nowhere"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("schema directory nowhere does not exist"), "{}", out.all());
    std::fs::write(project.path("schema/empty.sql"), "-- nothing declared yet\n").unwrap();
    let out = project.plan(&url, "plan.sql");
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("nothing to plan"), "{}", out.all());
}

/// A `--dev-url` role that is not a superuser: the files run as it (and a program is refused); one with
/// `CREATEROLE` is refused before anything loads.
#[tokio::test(flavor = "multi_thread")]
async fn a_dev_url_role_that_is_not_a_superuser_loads_the_files_itself() {
    let admin = support::cluster().admin_params();
    support::exec(
        &admin,
        "DO $$BEGIN CREATE ROLE sandbox_dev LOGIN CREATEDB; CREATE ROLE sandbox_dev_cr LOGIN CREATEDB CREATEROLE; \
         EXCEPTION WHEN duplicate_object THEN NULL; END$$;",
    )
    .await;
    let db = support::fresh_db("sandbox-dev-role").await;
    let path = marker("dev-role");
    let text = format!(
        "CREATE TABLE t (a int);\nDO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {}'''; END$$;\n",
        path.display()
    );
    let project = Project::with_files("sandbox-dev-role", &[("a.sql", &text)]);
    let dev_url =
        |role: &str| cli::url(&accrete::conn::ConnParams { user: role.to_string(), ..admin.clone() });
    let out = project.run(&["plan", "--db", &cli::url(&db), "--dev-url", &dev_url("sandbox_dev")]);
    assert!(!path.exists(), "{}", out.all());
    assert!(out.code == 1 && out.stderr.contains("a.sql:2:"), "{}", out.all());
    std::fs::write(project.path("schema/a.sql"), "CREATE TABLE t (a int);\n").unwrap();
    let out = project.run(&["plan", "--db", &cli::url(&db), "--dev-url", &dev_url("sandbox_dev")]);
    assert_eq!(out.code, 0, "{}", out.all());
    let out = project.run(&["plan", "--db", &cli::url(&db), "--dev-url", &dev_url("sandbox_dev_cr")]);
    assert!(out.code == 1 && out.stderr.contains("CREATEROLE"), "{}", out.all());
}

/// Only a superuser may mark a function LEAKPROOF: accrete makes one in `LANGUAGE sql` or `plpgsql` itself,
/// with bodies unchecked, and gives it to the loader at once, so a SECURITY DEFINER one never runs as the
/// superuser; the plan has it as declared. Anything else marked LEAKPROOF is the loader's, and refused.
#[tokio::test(flavor = "multi_thread")]
async fn a_leakproof_function_in_a_trusted_language_loads_and_runs_as_the_loader() {
    let path = marker("leakproof");
    let declared = format!(
        "CREATE SCHEMA app;\n\
         CREATE FUNCTION app.same(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF \
         SECURITY DEFINER AS $$ SELECT a = b $$;\n\
         DO $$BEGIN IF NOT app.same(1, 1) THEN RAISE EXCEPTION 'wrong'; END IF; END$$;\n\
         CREATE FUNCTION app.escape() RETURNS void LANGUAGE plpgsql LEAKPROOF SECURITY DEFINER AS $$\n\
         BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {}'''; END $$;\n\
         SELECT app.escape();\n",
        path.display()
    );
    let out = plan("sandbox-leakproof", &[("a.sql", &declared)]).await;
    assert!(!path.exists(), "a SECURITY DEFINER function ran as the superuser\n{}", out.all());
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("a.sql:6:1"), "the escape is refused at its statement:\n{}", out.all());

    let fine = "CREATE SCHEMA app;\n\
        CREATE FUNCTION app.same(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF AS $$ SELECT a = b $$;\n";
    let (out, project) = plan_in("sandbox-leakproof-plan", &[("a.sql", fine)]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(text.contains("LEAKPROOF"), "the function is planned as declared:\n{text}");

    let c = "CREATE FUNCTION public.f() RETURNS int LANGUAGE c LEAKPROOF AS '$libdir/nothing', 'f';\n";
    let out = plan("sandbox-leakproof-c", &[("a.sql", c)]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("a.sql:1:1"), "{}", out.all());
}

/// The proof runs a plan on a copy of the target's schema as the scratch superuser: an event trigger of
/// the target, copied with it, does not fire on the plan's steps (it is disabled while they run and given
/// its state back before the copy is inspected), so the target's functions never run there.
#[tokio::test(flavor = "multi_thread")]
async fn the_targets_event_triggers_do_not_fire_in_the_proofs_copy() {
    let path = marker("proof-event-trigger");
    let db = support::fresh_db("sandbox-proof-event-trigger").await;
    let live = format!(
        "CREATE SCHEMA app;\n\
         CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$\n\
         BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {}'''; END $f$;\n\
         CREATE EVENT TRIGGER sandbox_proof_on_ddl ON ddl_command_end EXECUTE FUNCTION app.on_ddl();\n",
        path.display()
    );
    support::exec(&db, &live).await;
    let desired = "CREATE SCHEMA app;\n\
        CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$\n\
        BEGIN NULL; END $f$;\n\
        CREATE TABLE app.t (id bigint PRIMARY KEY);\n";
    let project = Project::with_files("sandbox-proof-event-trigger", &[("a.sql", desired)]);
    let out = project.plan(&cli::url(&db), "plan.sql");
    assert!(!path.exists(), "the target's event trigger fired in the proof's copy\n{}", out.all());
    assert_eq!(out.code, 0, "{}", out.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(text.contains("\n-- proven: "), "{text}");
    // Dropped again, so that nothing else in this database can fire it.
    support::exec(&db, "DROP EVENT TRIGGER sandbox_proof_on_ddl").await;
}

/// An event trigger the plan itself changes keeps its firing state in the copy only from its own step on:
/// while the plan's other steps run there, it is disabled too, so a function the schema files give it (run
/// by the scratch superuser) cannot fire on them. The plan is still proven against the state the trigger
/// was planned from.
#[tokio::test(flavor = "multi_thread")]
async fn an_event_trigger_the_plan_changes_does_not_fire_on_its_other_steps_in_the_copy() {
    let path = marker("proof-touched-event-trigger");
    let db = support::fresh_db("sandbox-proof-touched-event-trigger").await;
    let live = "CREATE SCHEMA app;\n\
        CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$ BEGIN NULL; END $f$;\n\
        CREATE EVENT TRIGGER sandbox_proof_touched ON ddl_command_end EXECUTE FUNCTION app.on_ddl();\n";
    support::exec(&db, live).await;
    let desired = format!(
        "CREATE SCHEMA app;\n\
         CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$\n\
         BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch {}'''; END $f$;\n\
         CREATE EVENT TRIGGER sandbox_proof_touched ON ddl_command_end EXECUTE FUNCTION app.on_ddl();\n\
         ALTER EVENT TRIGGER sandbox_proof_touched ENABLE ALWAYS;\n\
         CREATE FUNCTION app.next_id() RETURNS bigint LANGUAGE sql AS $f$ SELECT 1::bigint $f$;\n\
         CREATE TABLE app.t (id bigint PRIMARY KEY DEFAULT app.next_id());\n",
        path.display()
    );
    let project = Project::with_files("sandbox-proof-touched-event-trigger", &[("a.sql", &desired)]);
    let out = project.run(&["plan", "--db", &cli::url(&db), "--out", "plan.sql", "--allow", "alter,drop"]);
    // Dropped first, so that nothing else in this database can fire it, whatever the assertions find.
    support::exec(&db, "DROP EVENT TRIGGER sandbox_proof_touched").await;
    assert!(!path.exists(), "the plan's event trigger fired in the proof's copy\n{}", out.all());
    assert_eq!(out.code, 0, "{}", out.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(text.contains("event_trigger sandbox_proof_touched"), "the trigger is touched:\n{text}");
    assert!(text.contains("\n-- proven: "), "{text}");
}

/// A postgres_fdw server declared in the files, whose options name a port this test listens on: `plan`
/// loads it (on the scratch database's inert wrapper), plans and proves it, and nothing connects to the
/// port, also when the files try to read the foreign table, analyze it or import a schema from the server.
#[tokio::test(flavor = "multi_thread")]
async fn a_declared_foreign_server_is_never_connected_to_during_plan() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let (arrived, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
    let counter = {
        let (arrived, stop) = (arrived.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok(_) => {
                        arrived.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        })
    };
    let text = format!(
        "CREATE SCHEMA app;\n\
         CREATE EXTENSION postgres_fdw;\n\
         CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '{port}', dbname 'x');\n\
         CREATE USER MAPPING FOR PUBLIC SERVER remote OPTIONS (user '', password '');\n\
         CREATE FOREIGN TABLE app.remote_users (id bigint NOT NULL, name text) SERVER remote OPTIONS (table_name 'users');\n\
         CREATE VIEW app.named_users AS SELECT u.id, u.name FROM app.remote_users u WHERE u.name IS NOT NULL;\n\
         DO $$BEGIN PERFORM * FROM app.remote_users; EXCEPTION WHEN others THEN NULL; END$$;\n\
         DO $$BEGIN EXECUTE 'ANALYZE app.remote_users'; EXCEPTION WHEN others THEN NULL; END$$;\n\
         DO $$BEGIN EXECUTE 'IMPORT FOREIGN SCHEMA public FROM SERVER remote INTO app'; \
         EXCEPTION WHEN others THEN NULL; END$$;\n"
    );
    let (out, project) = plan_in("sandbox-fdw-no-connection", &[("a.sql", &text)]).await;
    let during_plan = arrived.load(Ordering::SeqCst);
    // The listener counts: one connection of our own arrives.
    drop(std::net::TcpStream::connect(("127.0.0.1", port)).unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    while arrived.load(Ordering::SeqCst) == during_plan && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    stop.store(true, Ordering::SeqCst);
    counter.join().unwrap();
    assert_eq!(arrived.load(Ordering::SeqCst), during_plan + 1, "the listener did not count a connection");
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(during_plan, 0, "plan connected to the server's port {port}\n{}", out.all());
    let plan = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(out.stdout.contains("proven:") || out.stderr.contains("proven:"), "{}", out.all());
    for wanted in [
        &format!("OPTIONS (dbname 'x', host '127.0.0.1', port '{port}')") as &str,
        "add foreign_table app.remote_users",
        "add view app.named_users",
    ] {
        assert!(plan.contains(wanted), "the plan lacks {wanted}:\n{plan}");
    }
}
