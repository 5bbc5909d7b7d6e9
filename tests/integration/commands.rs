//! The commands around the main ones, and how much the binary says: `init` gives a project whose `plan`
//! runs, `completions` and `man` are generated from the clap definitions, `-q` prints nothing on success,
//! and a port that speaks another protocol is named as such.

use crate::cli::{self, Project};
use crate::markdown_tables::markdown_tables;
use crate::support;

fn run(dir: &std::path::Path, args: &[&str]) -> cli::Output {
    cli::run_in(dir, &args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[tokio::test(flavor = "multi_thread")]
async fn init_makes_a_project_whose_plan_runs() {
    let dir = support::temp_dir("init");
    let out = run(&dir, &["init", "--ci", "github"]);
    assert_eq!(out.code, 0, "{}", out.all());
    for file in ["accrete.toml", "schema/app.sql", "plans/.gitkeep", ".github/workflows/accrete.yml"] {
        assert!(dir.join(file).is_file(), "{file} missing:\n{}", out.all());
    }
    // A second init keeps what is there.
    std::fs::write(dir.join("schema/app.sql"), "CREATE SCHEMA app;\n").unwrap();
    let again = run(&dir, &["init"]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stdout.contains("kept"), "{}", again.all());
    assert_eq!(std::fs::read_to_string(dir.join("schema/app.sql")).unwrap(), "CREATE SCHEMA app;\n");
    std::fs::write(dir.join("schema/app.sql"), "CREATE SCHEMA app;\nCREATE TABLE app.t (id bigint);\n")
        .unwrap();
    let db = support::fresh_db("init").await;
    let planned = run(&dir, &["plan", "--db", &cli::url(&db), "--dev-url", &cli::dev_url()]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    assert!(planned.stdout.contains("add: 1 schema, 1 table"), "{}", planned.all());
}

#[test]
fn completions_and_manual_pages_come_from_the_definitions() {
    let dir = support::temp_dir("completions");
    let bash = run(&dir, &["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.all());
    assert!(bash.stdout.contains("_accrete()") && bash.stdout.contains("--allow-hazard"), "{}", bash.all());
    let zsh = run(&dir, &["completions", "zsh"]);
    assert!(zsh.code == 0 && zsh.stdout.contains("#compdef accrete"), "{}", zsh.all());
    let man = run(&dir, &["man"]);
    assert!(man.code == 0 && man.stdout.contains(".TH accrete 1"), "{}", man.all());
    let pages = run(&dir, &["man", "--out-dir", "man"]);
    assert_eq!(pages.code, 0, "{}", pages.all());
    let plan = std::fs::read_to_string(dir.join("man/accrete-plan.1")).unwrap();
    assert!(plan.contains(".TH accrete-plan 1") && plan.contains("allow\\-hazard"), "{plan}");
    assert!(dir.join("man/accrete-local-stop.1").is_file());
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_prints_nothing_on_success() {
    let db = support::fresh_db("quiet").await;
    let project =
        Project::with_files("quiet", &[("a.sql", "CREATE SCHEMA app; CREATE TABLE app.t (id bigint);")]);
    let url = cli::url(&db);
    let plan = project.path("plan.sql");
    let planned = project.run(&["plan", "-q", "--db", &url, "--out", plan.to_str().unwrap()]);
    assert_eq!(
        (planned.code, planned.stdout.as_str(), planned.stderr.as_str()),
        (0, "", ""),
        "{}",
        planned.all()
    );
    let applied = project.run(&["-q", "apply", plan.to_str().unwrap(), "--db", &url]);
    assert_eq!(
        (applied.code, applied.stdout.as_str(), applied.stderr.as_str()),
        (0, "", ""),
        "{}",
        applied.all()
    );
    let drift = project.run(&["drift", "--quiet", "--db", &url]);
    assert_eq!((drift.code, drift.stdout.as_str()), (0, ""), "{}", drift.all());
    // -v says what it does, phase by phase, on standard error, without colour in a pipe.
    let verbose = project.run(&["drift", "-v", "--db", &url]);
    assert_eq!(verbose.code, 0, "{}", verbose.all());
    assert!(verbose.stderr.contains("inspecting the target"), "{}", verbose.all());
    assert!(!verbose.stderr.contains('\u{1b}'), "colour codes in a pipe:\n{}", verbose.all());
    let timings = project.run(&["drift", "--timings", "--db", &url]);
    assert!(timings.stderr.contains("timings:") && timings.stderr.contains("total"), "{}", timings.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_port_that_speaks_another_protocol_is_named_as_such() {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        use std::io::{Read, Write};
        // Two connection attempts at most (with and without TLS).
        for _ in 0..2 {
            let Ok((mut stream, _)) = listener.accept() else { return };
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let project = Project::with_files("http-port", &[("a.sql", "CREATE SCHEMA app;")]);
    let url = format!("postgresql://app@127.0.0.1:{port}/app?sslmode=disable&connect_timeout=5");
    let out = project.run(&["drift", "--db", &url]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains(&format!("127.0.0.1:{port}")), "{}", out.all());
    assert!(out.stderr.contains("did not answer as PostgreSQL does"), "{}", out.all());
    drop(server);
}

/// A plan whose objects changed since it was made is refused (exit 3), and the refusal says what changed
/// in each: the field, its state when the plan was made, and now; a hostile name stays on its line.
#[tokio::test(flavor = "multi_thread")]
async fn a_stale_plan_refusal_says_what_changed_since() {
    let db = support::fresh_db("stale-plan-refusal").await;
    support::exec(&db, "CREATE SCHEMA app; CREATE TABLE app.t (id int, \"no\nte\" text, kept int);").await;
    let desired = "CREATE SCHEMA app;\nCREATE TABLE app.t (id bigint, \"no\nte\" text NOT NULL, kept int);\n";
    let project = Project::with_files("stale-plan-refusal", &[("a.sql", desired)]);
    let out = project.run(&["plan", "--db", &cli::url(&db), "--out", "plan.sql", "--allow", "alter"]);
    assert_eq!(out.code, 0, "{}", out.all());
    support::exec(
        &db,
        "ALTER TABLE app.t ALTER COLUMN id SET DEFAULT 7; ALTER TABLE app.t ALTER COLUMN \"no\nte\" TYPE varchar(9)",
    )
    .await;
    let out = project.run(&["apply", "plan.sql", "--db", &cli::url(&db), "--allow", "alter"]);
    assert_eq!(out.code, 3, "{}", out.all());
    let err = &out.stderr;
    assert!(err.contains("2 touched objects changed since the plan was made"), "{err}");
    assert!(err.contains("\n  column app.t.id: digest "), "{err}");
    assert!(err.contains("\n    default: null → \"7\""), "{err}");
    assert!(err.contains("\n  column app.t.no\\nte: digest "), "{err}");
    assert!(err.contains("\n    data_type: \"text\" → \"character varying(9)\""), "{err}");
}

/// `plan --format markdown` of a plan with adds, alters, drops and hazards on a table with rows: a steps
/// table a Markdown renderer reads with one row per step, each naming its lock and, where it locks a table
/// with rows, that table's size; a hostile name stays inside its cell. The JSON has each step's DDL, lock
/// and table size, and structured items for what is not planned.
#[tokio::test(flavor = "multi_thread")]
async fn a_review_in_markdown_has_a_steps_table_with_locks_and_sizes() {
    let db = support::fresh_db("review-markdown").await;
    support::exec(
        &db,
        "CREATE SCHEMA app;\n\
         CREATE TABLE app.orders (id int PRIMARY KEY, note text);\n\
         INSERT INTO app.orders SELECT g, 'n' FROM generate_series(1, 5000) g;\n\
         CREATE TABLE app.gone (id int);\n\
         CREATE TABLE app.\"we|ird`\n<b>x</b>\" (id int);\n\
         CREATE INDEX extra_left ON app.orders (note);\n\
         ANALYZE app.orders;",
    )
    .await;
    let desired = "CREATE SCHEMA app;\n\
        CREATE TABLE app.orders (id bigint PRIMARY KEY, note text NOT NULL, placed timestamptz);\n\
        CREATE TABLE app.\"we|ird`\n<b>x</b>\" (id int, added int);\n\
        CREATE TABLE app.fresh (code text PRIMARY KEY, made date);\n";
    let project = Project::with_files("review-markdown", &[("a.sql", desired)]);
    let url = cli::url(&db);
    let args = ["plan", "--db", &url, "--out", "plan.sql", "--allow", "alter,drop:table", "--format"];
    let out = project.run(&[&args[..], &["markdown"]].concat());
    assert_eq!(out.code, 0, "{}", out.all());
    let md = &out.stdout;
    let tables = markdown_tables(md);
    assert_eq!(tables.len(), 1, "one table, the steps:\n{md}");
    let rows = &tables[0];
    assert_eq!(rows[0], ["#", "class", "object", "hazards", "lock", "table size"], "{md}");
    assert!(rows.iter().all(|r| r.len() == 6), "{rows:#?}");
    let row = |needle: &str| {
        rows.iter().find(|r| r[2].contains(needle)).unwrap_or_else(|| panic!("{needle} in {rows:#?}"))
    };
    let retype = row("app.orders.id");
    assert_eq!(retype[1], "alter");
    assert!(retype[3].contains("rewrites-table"), "{retype:?}");
    assert!(retype[4].starts_with("ACCESS EXCLUSIVE on app.orders, rewrite"), "{retype:?}");
    assert!(retype[5].starts_with("≈5000 rows, "), "{retype:?}");
    assert!(row("app.gone")[1] == "drop", "{rows:#?}");
    let weird = row("added");
    assert!(weird[2].contains("app.we|ird`\\n<b>x</b>.added"), "the name is shown, not rendered: {weird:?}");
    assert!(md.contains("### DDL") && md.contains("ALTER TABLE app.orders"), "{md}");
    assert!(md.contains("### Not planned") && md.contains("extra index app.extra_left"), "{md}");

    let out = project.run(&[&args[..], &["json"]].concat());
    assert_eq!(out.code, 0, "{}", out.all());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let steps = doc["steps"].as_array().unwrap();
    assert!(steps.iter().all(|s| s["ddl"].as_array().is_some_and(|d| !d.is_empty())), "{doc:#}");
    assert!(steps.iter().all(|s| s["lock"]["mode"].is_string()), "{doc:#}");
    let retype = steps.iter().find(|s| s["name"] == "app.orders.id" && s["class"] == "alter").unwrap();
    assert_eq!(retype["lock"]["table"], "app.orders");
    assert_eq!(retype["table_size"]["rows"], 5000);
    let items = doc["not_planned_items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["category"] == "extra" && i["name"] == "app.extra_left"), "{doc:#}");

    let out = project.run(&["drift", "--db", &url, "--format", "markdown"]);
    assert_eq!(out.code, 2, "{}", out.all());
    let tables = markdown_tables(&out.stdout);
    assert!(tables.iter().all(|t| t.iter().all(|r| r.len() == 2 || r.len() == 3)), "{}", out.stdout);
    assert!(out.stdout.contains("### Missing") && out.stdout.contains("### Changed"), "{}", out.stdout);
}
