//! Hostile names in the live state and in the desired schema files (SQL and TOML): line feeds, carriage
//! returns, U+2028, `*/`, `$$` and dollar tags, `--`, quotes, backslashes and a reserved word. They reach
//! every part of a plan (steps, drops, the not-planned header, comments, the manifest) and its rollback;
//! both files then run under `psql -v ON_ERROR_STOP=1 -f` without executing anything the plan did not
//! write: the canary table survives, and every comment line of the plan is a comment to apply's reader.

use crate::cli::{self, Project};
use crate::support;

/// Each name would drop the canary if it escaped the place it is written in.
const LIVE: &str = "CREATE TABLE public.canary (id int PRIMARY KEY);
INSERT INTO public.canary VALUES (1);
CREATE SCHEMA hostile;
CREATE TABLE hostile.\"t\nDROP TABLE public.canary; --\" (
    id int PRIMARY KEY,
    \"c\rDROP TABLE public.canary;\" integer,
    \"-- gone\u{2028}DROP TABLE public.canary;\" text,
    \"select\" text,
    \"*/ DROP TABLE public.canary; /*\" varchar(10)
);
COMMENT ON TABLE hostile.\"t\nDROP TABLE public.canary; --\" IS E'line\\nDROP TABLE public.canary; --\\r*/';
CREATE TABLE hostile.\"$$; DROP TABLE public.canary; $$\" (a int);
CREATE TABLE hostile.\"x$ddl\" (\"$accrete$\" int);
CREATE TABLE hostile.y$ddl ();
";

const DESIRED_SQL: &str = "CREATE TABLE public.canary (id int PRIMARY KEY);
CREATE SCHEMA hostile;
CREATE TABLE hostile.\"t\nDROP TABLE public.canary; --\" (
    id int PRIMARY KEY,
    \"c\rDROP TABLE public.canary;\" bigint,
    \"select\" text,
    \"*/ DROP TABLE public.canary; /*\" varchar(20),
    \"new -- col\u{2028}DROP TABLE public.canary;\" text,
    \"ééééééééééééééééééééééééééééééééééééééééé\" text
);
COMMENT ON TABLE hostile.\"t\nDROP TABLE public.canary; --\" IS E'other\\nDROP TABLE public.canary; --\\r\u{2028}';
CREATE TABLE hostile.\"x$ddl\" (\"$accrete$\" int, \"'; DROP TABLE public.canary; --\" int);
CREATE TABLE hostile.\"'; DROP TABLE public.canary; --\" (
    \"x$ddl\" int CONSTRAINT \"$accrete$\" CHECK (\"x$ddl\" > 0),
    \"uni\u{2028}code é · \"\"q\"\" back\\slash\" text
);
CREATE INDEX \"idx\nDROP TABLE public.canary; --\" ON hostile.\"'; DROP TABLE public.canary; --\" (\"x$ddl\");
COMMENT ON COLUMN hostile.\"x$ddl\".\"$accrete$\" IS '$$; DROP TABLE public.canary; $$ */ -- \\';
";

const DESIRED_TOML: &str = r#"
[table.hostile."toml\nDROP TABLE public.canary; --\r".columns]
"c */ $$ -- '\"" = { type = "text", default = "'$$ -- */ ''; DROP TABLE public.canary; --'", comment = "c\nDROP TABLE public.canary; --\r\u2028" }
"#;

async fn canary(db: &accrete::conn::ConnParams) -> i64 {
    let conn = support::connect(db).await;
    conn.client
        .query_one("SELECT count(*) FROM public.canary", &[])
        .await
        .expect("the canary table exists")
        .get(0)
}

/// Every line of `text` that starts with `--` is a comment to apply's reader: no statement covers it.
fn comment_lines_stay_comments(text: &str) {
    for bad in ['\r', '\u{2028}', '\u{2029}', '\u{85}'] {
        for (i, line) in text.lines().enumerate() {
            if line.starts_with("--") {
                assert!(!line.contains(bad), "line {} holds {bad:?}: {line}", i + 1);
            }
        }
    }
    let mut covered = std::collections::BTreeSet::new();
    for stmt in accrete::planfile::split_statements(text) {
        covered.extend(stmt.line..stmt.line + stmt.text.split('\n').count());
    }
    for (i, line) in text.split('\n').enumerate() {
        if line.starts_with("-- ") && !line.starts_with("-- accrete:") {
            assert!(!covered.contains(&(i + 1)), "line {} is read as part of a statement: {line}", i + 1);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_names_stay_in_their_place_in_plans_and_rollbacks() {
    let project = Project::with_files("hostile", &[("a.sql", DESIRED_SQL), ("b.toml", DESIRED_TOML)]);
    let planned_on = support::fresh_db("hostile-psql").await;
    support::exec(&planned_on, LIVE).await;
    let url = cli::url(&planned_on);
    let out = project.path("p.sql");
    let args = ["plan", "--db", &url, "--allow", "alter,drop", "--out", out.to_str().unwrap()];
    // Two declared columns look like renames of a live one: refused, one fact a line, names escaped.
    let refused = project.run(&args);
    assert_eq!(refused.code, 3, "{}", refused.all());
    let mut entries = Vec::new();
    for line in refused.stderr.lines().filter(|l| !l.contains("warning[") && !l.starts_with("  help:")) {
        let known = ["refused: ", "  column ", "    renamed? ", "    new?     "];
        assert!(known.iter().any(|k| line.starts_with(k)), "a name broke a line of the refusal: {line:?}");
        if let Some(entry) = line.split("[renames] new = [").nth(1) {
            entries.push(entry.strip_suffix(']').unwrap().to_string());
        }
    }
    assert_eq!(entries.len(), 2, "{}", refused.all());
    // The entries it prints are TOML strings that name the columns: answered, the plan is made.
    std::fs::write(project.path("accrete.toml"), format!("[renames]\nnew = [{}]\n", entries.join(", ")))
        .unwrap();
    let planned = project.run(&args);
    assert_eq!(planned.code, 0, "{}", planned.all());
    // 41 two-byte characters: PostgreSQL keeps 31 of them (62 bytes), and the file says so where it is.
    assert!(planned.stderr.contains("a.sql:10:5: warning[identifier-truncated]"), "{}", planned.all());
    let plan = std::fs::read_to_string(&out).unwrap();
    assert!(
        plan.contains(&format!("hostile.t\\nDROP TABLE public.canary; --.{} ", "é".repeat(31))),
        "{plan}"
    );
    let rollback_path = project.path("p.rollback.sql");
    let rollback = std::fs::read_to_string(&rollback_path).expect("a rollback is written");
    // The names reached the header, the steps and the manifest, escaped.
    assert!(plan.contains("-- step "), "{plan}");
    assert!(plan.contains("t\\nDROP TABLE public.canary; --"), "{plan}");
    assert!(plan.contains("\\u{2028}"), "{plan}");
    assert!(plan.contains("drop table hostile.$$; DROP TABLE public.canary; $$"), "{plan}");
    // The rename advice quotes each part of the names, dots and all.
    assert!(
        plan.contains(
            "`ALTER TABLE hostile.\"t\\nDROP TABLE public.canary; --\" RENAME COLUMN \"-- gone\\u{2028}DROP TABLE \
             public.canary;\" TO \"new -- col\\u{2028}DROP TABLE public.canary;\"`"
        ),
        "{plan}"
    );
    // A body ending in `$ddl` gets another tag.
    assert!(plan.contains("EXECUTE $ddl1$DROP TABLE hostile.y$ddl$ddl1$;"), "{plan}");
    assert!(plan.contains("not planned (needs review):") || plan.contains("not planned: nothing"), "{plan}");
    comment_lines_stay_comments(&plan);
    comment_lines_stay_comments(&rollback);
    // apply reads both files (checksum, step lines, manifest names).
    for file in [&out, &rollback_path] {
        let text = std::fs::read_to_string(file).unwrap();
        accrete::apply::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }

    // The plan under psql, twice (the second run skips every step), then the rollback: the canary stays.
    let ran = cli::psql_file(&planned_on, &out);
    assert_eq!(ran.code, 0, "{}\n--- plan ---\n{plan}", ran.all());
    assert_eq!(canary(&planned_on).await, 1);
    let again = cli::psql_file(&planned_on, &out);
    assert_eq!(again.code, 0, "{}", again.all());
    let ran = cli::psql_file(&planned_on, &rollback_path);
    assert_eq!(ran.code, 0, "{}\n--- rollback ---\n{rollback}", ran.all());
    assert_eq!(canary(&planned_on).await, 1);

    // Applied by accrete (so the history records each step), then the rollback under psql acts.
    let applied_on = support::fresh_db("hostile-apply").await;
    support::exec(&applied_on, LIVE).await;
    let url = cli::url(&applied_on);
    let copy = project.path("q.sql");
    let planned =
        project.run(&["plan", "--db", &url, "--allow", "alter,drop", "--out", copy.to_str().unwrap()]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let applied = project.run(&["apply", copy.to_str().unwrap(), "--db", &url, "--allow", "alter,drop"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert!(!applied.stdout.contains('\r') && !applied.stdout.contains('\u{1b}'), "{}", applied.all());
    assert_eq!(canary(&applied_on).await, 1);
    let undone = cli::psql_file(&applied_on, &project.path("q.rollback.sql"));
    assert_eq!(undone.code, 0, "{}", undone.all());
    assert_eq!(canary(&applied_on).await, 1);
    let conn = support::connect(&applied_on).await;
    let tables: i64 = conn
        .client
        .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "nothing but the canary in public");
}
