//! TOML schema files against a real PostgreSQL: a TOML desired state and its SQL twin give byte-identical
//! plans; mistakes in TOML files are reported at their exact positions; errors PostgreSQL raises on the SQL
//! made from TOML point back into the TOML file. TOML-only and mixed fixture folders (`tests/fixtures/
//! toml-*`) go through the whole cycle in `tests/fixture/cycle.rs`.

use crate::cli::{self, Project};
use crate::support;
use std::path::{Path, PathBuf};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/toml").join(rel)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_toml_schema_and_its_sql_twin_give_identical_plans() {
    let db = support::fresh_db("toml-twin").await;
    let url = cli::url(&db);
    let project = Project::with_files("toml-twin", &[]);
    let mut plans = Vec::new();
    for twin in ["sql", "toml"] {
        let dir = data(&format!("twin/{twin}"));
        let out = project.path(&format!("{twin}.plan.sql"));
        let run = project.run(&[
            "plan",
            "--db",
            &url,
            "--schema-dir",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "plan of the {twin} twin:\n{}", run.all());
        plans.push(std::fs::read_to_string(out).unwrap());
    }
    assert!(plans[0].contains("-- step 1 · add schema shop"), "{}", plans[0]);
    assert!(plans[0] == plans[1], "the TOML twin plans differently:\n{}\n---\n{}", plans[0], plans[1]);
    // And the plan applies: the TOML describes a real schema.
    let out = project.path("toml.plan.sql");
    let applied = project.run(&["apply", out.to_str().unwrap(), "--db", &url]);
    assert_eq!(applied.code, 0, "{}", applied.all());
}

#[test]
fn mistakes_in_toml_files_are_reported_at_their_positions() {
    // A relative schema directory, as a user gives it (tests run in the package root): diagnostics name
    // files under it.
    let e = accrete::source::load(Path::new("tests/toml/errors")).expect_err("the files have mistakes");
    let shown: Vec<String> = e.diagnostics().iter().map(|d| d.to_string()).collect();
    let expected = [
        "tests/toml/errors/keys.toml:6:1: error[toml-unknown-key]: unknown key `colums` in table app.users\n  \
         help: did you mean `columns`? accepted here: columns, primary_key, unique, check, foreign_key, \
         exclusion, index, trigger, policy, rule, comment, unlogged, inherits, partition_by, partition_of, \
         row_level_security, force_row_level_security, sql",
        "tests/toml/errors/keys.toml:9:25: error[toml-unknown-key]: unknown key `not_nul` in column `id` of \
         table app.users\n  help: did you mean `not_null`? accepted here: type, not_null, default, identity, \
         generated, collation, comment",
        "tests/toml/errors/keys.toml:10:37: error[toml-wrong-type]: `not_null` of column `email` of table \
         app.users must be true or false, not a string\n  help: write true or false without quotes",
        "tests/toml/errors/keys.toml:11:1: error[toml-missing-key]: column `name` of table app.users needs \
         `type`\n  help: give the column a type, e.g. type = \"text\"",
        "tests/toml/errors/keys.toml:12:16: error[toml-wrong-type]: `type` of column `age` of table app.users \
         must be a string, not an integer\n  help: write it in quotes: SQL types, expressions and names are \
         strings",
        "tests/toml/errors/keys.toml:17:13: error[toml-invalid-value]: `on_delete` of foreign key \
         `users_org_fkey` of table app.users: `explode` is not an action\n  help: write one of: no action, \
         restrict, cascade, set null, set default",
        "tests/toml/errors/keys.toml:21:1: error[toml-conflicting-keys]: index `users_email_idx` of table \
         app.users has both `columns` and `keys`\n  help: name its columns (columns = [\"email\"]) or write \
         its keys as SQL (keys = [\"lower(email)\"])",
        "tests/toml/errors/syntax.toml:2:24: error[toml-syntax]: invalid TOML: invalid basic string, expected \
         `\"`\n  help: fix the TOML syntax here (https://toml.io); the file is read once it parses",
        "tests/toml/errors/twice.toml:6:1: error[toml-duplicate-key]: duplicate key `id`\n  help: each key is \
         written once per table: a column, constraint, index or object declared twice? remove or rename one",
    ];
    assert_eq!(shown, expected);
}

#[test]
fn the_binary_reports_toml_mistakes_and_exits_1() {
    let project = Project::with_files(
        "toml-mistake",
        &[("app.toml", "[table.app.t.columns]\nid = { typ = \"int\" }\n")],
    );
    let out = project.run(&["plan", "--db", "postgresql://nobody@/none?host=/nonexistent"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "schema/app.toml:2:8: error[toml-unknown-key]: unknown key `typ` in column `id` of table app.t"
        ),
        "{}",
        out.all()
    );
}

/// Loads one TOML file from `tests/toml/pg-errors/` into a fresh database; the error, as printed.
async fn load_error(file: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data(&format!("pg-errors/{file}")), dir.path().join(file)).unwrap();
    let source = accrete::source::load(dir.path()).unwrap_or_else(|e| panic!("{file} reads:\n{e}"));
    let db = support::fresh_db(&format!("toml-pg-{file}")).await;
    let mut conn = support::connect(&db).await;
    let e = accrete::normalize::load_statements(&mut conn, &source).await.expect_err("PostgreSQL refuses it");
    let prefix = format!("{}/", dir.path().display());
    e.to_string().replace(&prefix, "")
}

/// Reads one TOML file from `tests/toml/pg-errors/`, which must fail; the error, as printed.
fn read_error(file: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data(&format!("pg-errors/{file}")), dir.path().join(file)).unwrap();
    let e = accrete::source::load(dir.path()).expect_err("the file is refused when read");
    let prefix = format!("{}/", dir.path().display());
    e.to_string().replace(&prefix, "")
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_errors_point_into_the_toml_file() {
    // The type's value: `app.missing_type` starts at line 5, column 19 (after its quote).
    let e = load_error("type.toml").await;
    assert!(
        e.starts_with(
            "type.toml:5:19: error[postgres-error]: type \"app.missing_type\" does not exist (SQLSTATE 42704)\n  \
             in: `CREATE TABLE app.t` at type.toml:3:12"
        ),
        "{e}"
    );
    // A default expression that ends too early is refused when the file is read, before PostgreSQL sees it:
    // the error is just past `now() +`, at its closing quote.
    let e = read_error("default.toml");
    assert!(
        e.starts_with(
            "default.toml:5:48: error[toml-not-an-expression]: `default` of column `at` of table app.t: it does \
             not read as an expression"
        ),
        "{e}"
    );
    // Inside a `sql` string: the column in the view's text.
    let e = load_error("view.toml").await;
    assert!(
        e.starts_with(
            "view.toml:9:16: error[postgres-error]: column \"missing_column\" does not exist (SQLSTATE 42703)\n  \
             in: `CREATE VIEW app.v` at view.toml:8:1"
        ),
        "{e}"
    );
    // Inside a check's expression written as the constraint's value: the second `>`, when the file is read.
    let e = read_error("check.toml");
    assert!(
        e.starts_with(
            "check.toml:7:18: error[toml-not-an-expression]: `expression` of check `t_n_check` of table app.t: it \
             does not read as an expression: Expected: an expression, found: >"
        ),
        "{e}"
    );
}
