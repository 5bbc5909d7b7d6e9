//! External objects (`accrete.toml` `[external]`) beyond the fixture cycle: what a reference to an
//! unlisted object outside the scope says, and what a listed object that cannot be made as a stub says.

use crate::cli::{self, Output, Project};
use crate::support;

const AUTH: &str = "CREATE SCHEMA auth;\n\
    CREATE TYPE auth.role AS ENUM ('user', 'admin');\n\
    CREATE TABLE auth.users (id uuid PRIMARY KEY, email text, role auth.role);\n\
    CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS 'SELECT NULL::uuid';\n";

const PROFILES: &str = "CREATE SCHEMA app;\n\
    CREATE TABLE app.profiles (\n    user_id uuid PRIMARY KEY REFERENCES auth.users (id)\n);\n";

/// A project with `files` and this `accrete.toml`, planned against a database holding [`AUTH`].
async fn plan(name: &str, config: &str, files: &[(&str, &str)]) -> Output {
    let db = support::fresh_db(name).await;
    support::exec(&db, AUTH).await;
    let project = Project::with_files(name, files);
    std::fs::write(project.path("accrete.toml"), config).unwrap();
    project.plan(&cli::url(&db), "plan.sql")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reference_to_an_unlisted_object_outside_the_scope_suggests_listing_it() {
    // The schema auth does not exist in the scratch (3F000): the object is found in the statement.
    let out = plan("external-unlisted", "[scope]\nschemas = [\"app\"]\n", &[("app.sql", PROFILES)]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("app.sql:2:1:"), "at the statement:\n{}", out.all());
    assert!(out.stderr.contains("schema \"auth\" does not exist"), "{}", out.all());
    assert!(out.stderr.contains("[external] objects = [\"table:auth.users\"]"), "{}", out.all());
    // The schema exists (another object of it is external), the relation does not (42P01).
    let config = "[scope]\nschemas = [\"app\"]\n\n[external]\nobjects = [\"function:auth.uid\"]\n";
    let out = plan("external-unlisted-relation", config, &[("app.sql", PROFILES)]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("relation \"auth.users\" does not exist"), "{}", out.all());
    assert!(out.stderr.contains("[external] objects = [\"table:auth.users\"]"), "{}", out.all());
    // Inside the scope, declaring it is the answer: no suggestion.
    let out = plan("external-unlisted-in-scope", "", &[("app.sql", PROFILES)]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(!out.stderr.contains("[external]"), "{}", out.all());
    assert!(out.stderr.contains("nothing in the schema files creates it"), "{}", out.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listed_object_the_target_lacks_is_an_error_at_its_line() {
    let config = "[scope]\nschemas = [\"app\"]\n\n[external]\nobjects = [\n    \"table:auth.users\",\n    \
                  \"view:auth.users\",\n    \"function:auth.nope\",\n]\n";
    let out = plan("external-missing", config, &[("app.sql", PROFILES)]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    let lines: Vec<&str> = out.stderr.lines().filter(|l| l.contains("error[external-missing]")).collect();
    assert_eq!(lines.len(), 2, "each missing object, at its line:\n{}", out.all());
    assert!(
        lines[0].contains("accrete.toml:7:5:") && lines[0].contains("\"view:auth.users\""),
        "{}",
        out.all()
    );
    assert!(lines[1].contains("accrete.toml:8:5:") && lines[1].contains("no function"), "{}", out.all());
    assert!(!out.stderr.contains("table:auth.users"), "the table exists:\n{}", out.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stub_that_cannot_be_made_says_what_to_list_or_remove() {
    // auth.users has a column of type auth.role, which is not listed.
    let config = "[scope]\nschemas = [\"app\"]\n\n[external]\nobjects = [\"table:auth.users\"]\n";
    let out = plan("external-needs-type", config, &[("app.sql", PROFILES)]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("accrete.toml:5:12: error[external-stub]"), "{}", out.all());
    assert!(out.stderr.contains("type \"auth.role\" does not exist"), "{}", out.all());
    assert!(out.stderr.contains("list what it needs in [external] objects too"), "{}", out.all());
    // Listed, it is made first, and the plan goes through.
    let config =
        "[scope]\nschemas = [\"app\"]\n\n[external]\nobjects = [\"table:auth.users\", \"enum:auth.role\"]\n";
    let out = plan("external-with-type", config, &[("app.sql", PROFILES)]).await;
    assert_eq!(out.code, 0, "{}", out.all());
    // What the plan assumed is in its header, and in the JSON form of the plan.
    let db = support::fresh_db("external-json").await;
    support::exec(&db, AUTH).await;
    let project = Project::with_files("external-json", &[("app.sql", PROFILES)]);
    std::fs::write(project.path("accrete.toml"), config).unwrap();
    let json = project.run(&["plan", "--db", &cli::url(&db), "--format", "json", "--out", "plan.sql"]);
    assert_eq!(json.code, 0, "{}", json.all());
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan --format json is JSON");
    let external = doc["external"].as_array().expect("an external list");
    let kinds: Vec<(&str, &str)> =
        external.iter().map(|e| (e["kind"].as_str().unwrap(), e["name"].as_str().unwrap())).collect();
    assert_eq!(kinds, [("table", "auth.users"), ("enum", "auth.role")], "in the order of the configuration");
    assert_eq!(external[0]["sha256"].as_str().unwrap().len(), 64, "{}", json.stdout);
    let header = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    let line = format!("--   table auth.users sha256:{}", external[0]["sha256"].as_str().unwrap());
    assert!(header.contains(&line), "{header}");
    // Declared and external at once.
    let declared =
        "CREATE SCHEMA auth;\nCREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql AS 'SELECT NULL::uuid';\n";
    let config = "[external]\nobjects = [\"function:auth.uid\"]\n";
    let out = plan("external-declared", config, &[("auth.sql", declared)]).await;
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("accrete.toml:2:12: error[external-stub]"), "{}", out.all());
    assert!(out.stderr.contains("declared or external, not both"), "{}", out.all());
}
