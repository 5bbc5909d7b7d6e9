//! The commands around the main ones, and how much the binary says: `init` gives a project whose `plan`
//! runs, `completions` and `man` are generated from the clap definitions, `-q` prints nothing on success,
//! and a port that speaks another protocol is named as such.

use crate::cli::{self, Project};
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
