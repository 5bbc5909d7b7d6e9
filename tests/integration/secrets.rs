//! Passwords never appear in what accrete writes. Against the config tests' password server (`scram-sha-256`
//! over TCP, see `config/server.rs`), every command (`plan`, `apply`, `apply --dry-run`, `drift`, `pull`)
//! runs with a known password given every way there is (URL, key=value string, `DATABASE_URL`,
//! `PGPASSWORD`, the `PG*` environment, a `.pgpass` file, a target in `accrete.toml`), with debug logging
//! on, and so do the failing variants (wrong database, closed port, wrong password in the URL, in
//! `PGPASSWORD` and in `.pgpass`). Everything they wrote is searched: standard output and error, every file
//! under the project directory, and every column of every row of `accrete.history` and
//! `accrete.history_steps`. Each failing run says why in one line naming host:port.

use crate::cli::{self, Output, Project};
use crate::config::server::{CLOSED_PORT, PLAIN_PORT, servers};
use accrete::catalog::{ObjectKey, ObjectKind};
use accrete::conn::ConnParams;
use accrete::scope::Scope;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every password here contains this word, and nothing else accrete could print does.
const CANARY: &str = "canary";
/// With characters that need escaping in a URL (`/`, `:`, `@`, `%`, space) and in `.pgpass` (`:`, `\`).
const PASSWORD: &str = "Pw/q7:K z@canary%x\\9";
const WRONG_PASSWORD: &str = "wrong-canary:7";
/// The password of a user mapping in the target database.
const MAPPING_PASSWORD: &str = "mapping-canary-Zq9";
const ROLE: &str = "secrets_user";
const DATABASE: &str = "secrets_db";

const SCHEMA: &str = "CREATE TABLE public.notes (id bigint PRIMARY KEY, body text NOT NULL);
CREATE INDEX notes_body_idx ON public.notes (body);
";

/// Percent-encodes everything but unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn url(password: Option<&str>, port: u16, database: &str) -> String {
    let auth = match password {
        Some(p) => format!("{ROLE}:{}", encode(p)),
        None => ROLE.to_string(),
    };
    format!("postgresql://{auth}@127.0.0.1:{port}/{database}?sslmode=disable")
}

fn pgpass_line(password: &str) -> String {
    let escaped = password.replace('\\', "\\\\").replace(':', "\\:");
    format!("127.0.0.1:{PLAIN_PORT}:{DATABASE}:{ROLE}:{escaped}\n")
}

/// The role and database, made once per test process on the password server (over its socket, as the
/// superuser).
async fn set_up() -> ConnParams {
    let dir = servers().dir.join("plain");
    let admin = ConnParams::unix_socket(&dir, PLAIN_PORT.get(), "postgres", "postgres");
    let conn =
        accrete::conn::connect(&admin, "accrete-tests").await.expect("connecting to the password server");
    let literal = PASSWORD.replace('\'', "''");
    conn.client
        .batch_execute(&format!(
            "SET password_encryption = 'scram-sha-256';
             CREATE ROLE {ROLE} LOGIN PASSWORD '{literal}';"
        ))
        .await
        .expect("creating the role");
    conn.client
        .batch_execute(&format!("CREATE DATABASE {DATABASE} OWNER {ROLE}"))
        .await
        .expect("creating the db");
    // A foreign server whose user mapping holds a password: only the names of its options are read.
    let db = ConnParams::unix_socket(&dir, PLAIN_PORT.get(), "postgres", DATABASE);
    let conn = accrete::conn::connect(&db, "accrete-tests").await.expect("connecting to the db");
    conn.client
        .batch_execute(&format!(
            "CREATE FOREIGN DATA WRAPPER secrets_plain;
             CREATE SERVER secrets_remote FOREIGN DATA WRAPPER secrets_plain OPTIONS (host 'db.example');
             CREATE USER MAPPING FOR {ROLE} SERVER secrets_remote OPTIONS (user 'remote', password '{MAPPING_PASSWORD}');
             -- So that the role accrete connects as may see the mapping's options (pg_user_mappings).
             GRANT USAGE ON FOREIGN SERVER secrets_remote TO {ROLE};"
        ))
        .await
        .expect("creating the user mapping");
    // The plan names its owner; a proof on the --dev-url server (the test cluster) needs that role there.
    let role = format!(
        "DO $$BEGIN CREATE ROLE {ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$"
    );
    crate::support::exec(&crate::support::cluster().admin_params(), &role).await;
    ConnParams::unix_socket(&dir, PLAIN_PORT.get(), "postgres", DATABASE)
}

/// A project with `schema/`, `accrete.toml` naming a target by environment variable, `.pgpass` files and an
/// empty home directory.
struct Setup {
    project: Project,
    home: PathBuf,
    right_pgpass: PathBuf,
    wrong_pgpass: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let project = Project::with_files("secrets", &[("notes.sql", SCHEMA)]);
        // The wrapper needs a superuser the files cannot be: the wrapper, its server and the user mapping
        // are undeclared and in scope (database-wide): drift and plan report them as extra, pull writes
        // them, the mapping with its option names only.
        let config = "[targets.prod]\nurl_env = \"SECRET_DB_URL\"\n";
        std::fs::write(project.path("accrete.toml"), config).unwrap();
        let home = project.path("home");
        std::fs::create_dir_all(&home).unwrap();
        let write_pgpass = |name: &str, password: &str| {
            let path = project.path(name);
            std::fs::write(&path, pgpass_line(password)).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            path
        };
        let right_pgpass = write_pgpass("right.pgpass", PASSWORD);
        let wrong_pgpass = write_pgpass("wrong.pgpass", WRONG_PASSWORD);
        Setup { project, home, right_pgpass, wrong_pgpass }
    }

    /// Runs `accrete ARGS` in the project with `env` only (plus PATH and HOME), and searches its output
    /// for the password; `plan` and `drift` normalize on the test cluster, and `apply --dry-run` makes its
    /// copy of the schema there.
    fn run(&self, what: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_accrete"));
        cmd.args(args).current_dir(&self.project.dir).env_clear();
        cmd.env("PATH", std::env::var("PATH").unwrap_or_default()).env("HOME", &self.home);
        if matches!(args.first(), Some(&"plan") | Some(&"drift")) || args.contains(&"--dry-run") {
            cmd.args(["--dev-url", &cli::dev_url()]);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().expect("running the accrete binary");
        let output = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        no_canary(&format!("stdout of {what}"), &output.stdout);
        no_canary(&format!("stderr of {what}"), &output.stderr);
        output
    }

    fn pgpass(&self, right: bool) -> String {
        let path = if right { &self.right_pgpass } else { &self.wrong_pgpass };
        path.display().to_string()
    }
}

/// A run that must fail: how, and what its one line of error names.
struct Failing<'a> {
    what: &'a str,
    db: &'a str,
    env: Vec<(&'a str, &'a str)>,
    port: u16,
    reason: &'a str,
}

/// Every file under `dir`, with its text.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(files(&path));
        } else {
            all.push((path.clone(), String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()));
        }
    }
    all
}

/// Every row of the history tables, every column, as JSON text.
async fn history_rows(db: &ConnParams) -> Vec<String> {
    let conn = crate::support::connect(db).await;
    let mut rows = Vec::new();
    for table in ["accrete.history", "accrete.history_steps"] {
        let sql = format!("SELECT row_to_json(t)::text FROM {table} t");
        for row in conn.client.query(&sql, &[]).await.unwrap_or_else(|e| panic!("{sql}: {e}")) {
            rows.push(row.get(0));
        }
    }
    rows
}

fn no_canary(what: &str, text: &str) {
    let found = text.to_lowercase().find(CANARY);
    if let Some(at) = found {
        let start = text[..at].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
        panic!("a password leaked into {what}: ...{}...", &text[start..(at + 40).min(text.len())]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_command_writes_a_password_anywhere() {
    let admin = set_up().await;
    let s = Setup::new();
    let (right_pgpass, wrong_pgpass) = (s.pgpass(true), s.pgpass(false));
    let with_password = url(Some(PASSWORD), PLAIN_PORT.get(), DATABASE);
    let bare = url(None, PLAIN_PORT.get(), DATABASE);
    let conninfo = format!(
        "host=127.0.0.1 port={PLAIN_PORT} dbname={DATABASE} user={ROLE} sslmode=disable password='{}'",
        PASSWORD.replace('\\', "\\\\").replace('\'', "\\'")
    );
    let debug = ("ACCRETE_LOG", "debug");
    let port = PLAIN_PORT.to_string();
    let pg_env = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", port.as_str()),
        ("PGDATABASE", DATABASE),
        ("PGUSER", ROLE),
        ("PGSSLMODE", "disable"),
        ("PGPASSWORD", PASSWORD),
        debug,
    ];

    // Every command, succeeding, with the password given each way.
    let planned = s.run(
        "plan, password in the URL",
        &["plan", "--db", &with_password, "--out", "plans/p.sql"],
        &[debug],
    );
    assert_eq!(planned.code, 0, "{}", planned.all());
    let again = s.run(
        "plan, key=value",
        &["plan", "--db", &conninfo, "--exit-code", "--out", "plans/q.sql"],
        &[debug],
    );
    assert_eq!(again.code, 2, "{}", again.all());
    let dry = s.run(
        "apply --dry-run, PGPASSWORD",
        &["apply", "plans/p.sql", "--db", &bare, "--dry-run"],
        &[("PGPASSWORD", PASSWORD), debug],
    );
    assert_eq!(dry.code, 0, "{}", dry.all());
    let applied = s.run(
        "apply, .pgpass",
        &["apply", "plans/p.sql", "--db", &bare],
        &[("PGPASSFILE", &right_pgpass), debug],
    );
    assert_eq!(applied.code, 0, "{}", applied.all());
    let twice = s.run(
        "apply again, accrete.toml target",
        &["apply", "plans/p.sql", "--target", "prod"],
        &[("SECRET_DB_URL", &with_password), debug],
    );
    assert_eq!(twice.code, 0, "{}", twice.all());
    assert!(twice.stdout.contains("already applied"), "{}", twice.all());
    // The undeclared user mapping is extra: drift exits 2 and names it, option names only.
    let json = s.run(
        "drift --format json, DATABASE_URL",
        &["drift", "--format", "json"],
        &[("DATABASE_URL", &with_password), debug],
    );
    assert_eq!(json.code, 2, "{}", json.all());
    assert!(json.stdout.contains("secrets_user@secrets_remote"), "{}", json.all());
    let text = s.run("drift, PG* environment", &["drift"], &pg_env);
    assert_eq!(text.code, 2, "{}", text.all());
    assert!(
        text.stdout.contains("DROP USER MAPPING FOR secrets_user SERVER secrets_remote"),
        "{}",
        text.all()
    );
    let markdown = s.run(
        "drift --format markdown, DATABASE_URL",
        &["drift", "--format", "markdown"],
        &[("DATABASE_URL", &with_password), debug],
    );
    assert_eq!(markdown.code, 2, "{}", markdown.all());
    let plan_json = s.run(
        "plan --format json, password in the URL",
        &["plan", "--db", &with_password, "--format", "json", "--out", "plans/j.sql"],
        &[debug],
    );
    assert_eq!(plan_json.code, 0, "{}", plan_json.all());
    let pulled = s.run(
        "pull, password in the URL",
        &["pull", "--db", &with_password, "--schema-dir", "pulled"],
        &[debug],
    );
    assert_eq!(pulled.code, 0, "{}", pulled.all());
    let mapping =
        std::fs::read_to_string(s.project.path("pulled/user_mappings/secrets_user%40secrets_remote.sql"))
            .unwrap_or_else(|e| panic!("the pulled mapping: {e}: {:?}", files(&s.project.path("pulled"))));
    assert!(
        mapping.contains(
            "CREATE USER MAPPING FOR secrets_user SERVER secrets_remote OPTIONS (password '', \"user\" '')"
        ),
        "{mapping}"
    );
    // A schema file that gives a mapping's option a value is refused, located, without repeating it.
    let refused_file = s.project.path("schema/mapping.sql");
    std::fs::write(
        &refused_file,
        format!(
            "CREATE USER MAPPING FOR {ROLE} SERVER secrets_remote OPTIONS (password '{MAPPING_PASSWORD}');\n"
        ),
    )
    .unwrap();
    let refused = s.run("plan, a mapping's password in a file", &["plan", "--db", &with_password], &[debug]);
    assert_eq!(refused.code, 1, "{}", refused.all());
    assert!(refused.stderr.contains("mapping.sql:1:1: error[secret-in-schema-file]"), "{}", refused.all());
    std::fs::remove_file(&refused_file).unwrap();

    // The failing variants: each command, each way of being wrong.
    let wrong_db = url(Some(PASSWORD), PLAIN_PORT.get(), "no_such_database");
    let closed = url(Some(PASSWORD), CLOSED_PORT.get(), DATABASE);
    let wrong_in_url = url(Some(WRONG_PASSWORD), PLAIN_PORT.get(), DATABASE);
    let wrong_password = "password authentication failed";
    let failing = [
        Failing {
            what: "wrong database",
            db: &wrong_db,
            env: vec![],
            port: PLAIN_PORT.get(),
            reason: "does not exist",
        },
        Failing { what: "closed port", db: &closed, env: vec![], port: CLOSED_PORT.get(), reason: "refused" },
        Failing {
            what: "wrong password in the URL",
            db: &wrong_in_url,
            env: vec![],
            port: PLAIN_PORT.get(),
            reason: wrong_password,
        },
        Failing {
            what: "wrong PGPASSWORD",
            db: &bare,
            env: vec![("PGPASSWORD", WRONG_PASSWORD)],
            port: PLAIN_PORT.get(),
            reason: wrong_password,
        },
        Failing {
            what: "wrong .pgpass",
            db: &bare,
            env: vec![("PGPASSFILE", &wrong_pgpass)],
            port: PLAIN_PORT.get(),
            reason: wrong_password,
        },
    ];
    for Failing { what, db, env, port, reason } in &failing {
        let commands = [
            &["plan", "--db", db][..],
            &["apply", "plans/p.sql", "--db", db],
            &["drift", "--db", db],
            &["pull", "--db", db, "--schema-dir", "pulled"],
        ];
        for command in commands {
            let label = format!("{} ({what})", command[0]);
            let out = s.run(&label, command, env);
            assert_eq!(out.code, 1, "{label}: {}", out.all());
            // One line that says why and where; apply adds that nothing changed.
            let mut lines: Vec<&str> = out.stderr.lines().collect();
            if command[0] == "apply" {
                assert_eq!(
                    lines.pop(),
                    Some("no step took effect: nothing the plan touches was changed"),
                    "{label}: {}",
                    out.all()
                );
            }
            assert_eq!(lines.len(), 1, "{label}: one line: {}", out.all());
            let line = lines[0];
            assert!(line.starts_with("error: "), "{label}: {line}");
            assert!(line.contains(&format!("127.0.0.1:{port}")), "{label}: names host:port: {line}");
            assert!(line.contains(reason), "{label}: says {reason:?}: {line}");
        }
    }

    // Everything else written (each run's output was searched as it ended): files under the project, the
    // history.
    let written = files(&s.project.dir);
    let plans: Vec<&(PathBuf, String)> =
        written.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "sql")).collect();
    assert!(plans.len() >= 3, "the plans and the schema file were written: {written:?}");
    for (path, text) in &written {
        // The password files and the configuration hold passwords (or none) by design; nothing accrete wrote.
        let given = [&s.right_pgpass, &s.wrong_pgpass].contains(&path);
        if !given {
            no_canary(&path.display().to_string(), text);
        }
    }
    let rows = history_rows(&admin).await;
    assert!(rows.len() >= 3, "history of the apply, its steps and the already-applied run: {rows:?}");
    for row in &rows {
        no_canary("accrete.history", row);
    }
    // The apply did what the plan says, so there was something to leak.
    let conn = crate::support::connect(&admin).await;
    let inspected = accrete::inspect::inspect(&conn.client, &Scope::default()).await.unwrap();
    assert!(inspected.catalog.tables.keys().any(|t| t.name == "notes"), "the plan was applied");
    // The user mapping is there, read with its option names only: its password was never read.
    let mapping = &inspected.catalog.defined
        [&ObjectKey::new(ObjectKind::UserMapping, format!("{ROLE}@secrets_remote"))];
    assert_eq!(
        mapping.definition,
        format!("CREATE USER MAPPING FOR {ROLE} SERVER secrets_remote OPTIONS (password '', \"user\" '')")
    );
    let server =
        inspected.catalog.defined.values().find(|d| d.name.name == "secrets_remote").expect("the server");
    assert_eq!(
        server.definition,
        "CREATE SERVER secrets_remote FOREIGN DATA WRAPPER secrets_plain OPTIONS (host 'db.example')"
    );
    let wrapper =
        &inspected.catalog.defined[&ObjectKey::new(ObjectKind::ForeignDataWrapper, "secrets_plain")];
    assert_eq!(wrapper.definition, "CREATE FOREIGN DATA WRAPPER secrets_plain");
    no_canary("the inspected catalog", &format!("{:?}", inspected.catalog));
}
