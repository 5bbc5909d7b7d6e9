//! Reading schema files and loading them into a scratch database in any order (`source` and the loader of
//! `normalize`), against a real PostgreSQL.

use crate::support;
use accrete::normalize::{LoadReport, load_statements};
use accrete::source::{Source, SourceError};
use std::path::{Path, PathBuf};

/// A fixture folder under `tests/source/`.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/source").join(name)
}

/// Each error as `file:line:col message`.
fn located(e: &SourceError) -> Vec<String> {
    e.0.iter()
        .map(|d| {
            let o = d.origin.as_ref().unwrap();
            format!("{}:{}:{} {}", o.file.display(), o.line, o.col, d.message)
        })
        .collect()
}

fn schema_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Reads `dir` and loads it into a fresh database; returns the database and the outcome.
async fn load_dir(
    hint: &str,
    dir: &Path,
) -> (accrete::conn::ConnParams, Source, Result<LoadReport, SourceError>) {
    let source = accrete::source::load(dir).unwrap_or_else(|e| panic!("reading {}:\n{e}", dir.display()));
    let db = support::fresh_db(hint).await;
    let mut conn = support::connect(&db).await;
    let outcome = load_statements(&mut conn, &source).await;
    (db, source, outcome)
}

/// One column of text from a query, all rows (with an empty search_path, so names print qualified).
async fn strings(db: &accrete::conn::ConnParams, sql: &str) -> Vec<String> {
    let conn = support::connect(db).await;
    conn.client.batch_execute("SET search_path = ''").await.expect("pinning search_path");
    let rows = conn.client.query(sql, &[]).await.unwrap_or_else(|e| panic!("{}", support::describe(&e)));
    rows.iter().map(|r| r.get::<_, String>(0)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn files_written_out_of_dependency_order_load() {
    // A foreign key before either table, a view before its table, defaults calling a function declared
    // later and using an enum value added later, everything in a schema created in the last file, and a
    // file relying on its own search_path.
    let (db, source, outcome) = load_dir("out-of-order", &fixture("out_of_order")).await;
    let report = outcome.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.statements_run, source.statements.len());
    assert!(report.passes >= 2, "{report:?}");
    let tables = strings(
        &db,
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'app' AND c.relkind IN ('r', 'v') ORDER BY 1",
    )
    .await;
    assert_eq!(tables, ["active_users", "orders", "users", "widgets"]);
    let constraints =
        strings(&db, "SELECT conname::text FROM pg_constraint WHERE contype = 'f' ORDER BY 1").await;
    assert_eq!(constraints, ["orders_user_fk", "widgets_id_fkey"]);
    let default = strings(
        &db,
        "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef \
         WHERE adrelid IN ('app.orders'::regclass, 'app.users'::regclass) ORDER BY 1",
    )
    .await;
    assert_eq!(default, ["'shipped'::app.order_status", "app.next_code()"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pg_dump_file_with_a_clean_preamble_and_restrict_lines_loads() {
    let (db, source, outcome) = load_dir("pg-dump", &fixture("pg_dump")).await;
    let report = outcome.unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> = source.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["cleanup-drop", "data-not-schema", "owner-ignored"]);
    assert_eq!(report.passes, 1, "written in dependency order");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let film = strings(
        &db,
        "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'public.film'::regclass ORDER BY adnum",
    )
    .await;
    assert_eq!(film, ["nextval('public.film_film_id_seq'::regclass)", "'G'::public.mpaa_rating"]);
    let rows = strings(&db, "SELECT count(*)::text FROM public.language").await;
    assert_eq!(rows, ["0"], "COPY data is not loaded");
    let fk = strings(&db, "SELECT conname::text FROM pg_constraint WHERE contype = 'f'").await;
    assert_eq!(fk, ["film_language_fk"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn included_files_load_and_report_errors_in_their_own_lines() {
    let dir = fixture("includes");
    let (_, source, outcome) = load_dir("includes", &dir).await;
    assert_eq!(source.statements.len(), 3);
    let e = outcome.expect_err("the view names a column that does not exist");
    assert_eq!(e.0.len(), 1, "{e}");
    let d = &e.0[0];
    assert_eq!(d.code, "postgres-error");
    let origin = d.origin.as_ref().unwrap();
    assert_eq!((origin.file.to_str().unwrap(), origin.line, origin.col), ("parts/views.sql", 4, 10));
    let text = d.to_string();
    let expected = format!(
        "{}: error[postgres-error]: column \"nope\" does not exist (SQLSTATE 42703)\n  in: `CREATE VIEW inc.v` at {}:2:1",
        dir.join("parts/views.sql:4:10").display(),
        dir.join("parts/views.sql").display()
    );
    assert!(text.starts_with(&expected), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_statement_with_an_error_of_its_own_is_reported() {
    let (_, _, outcome) = load_dir("errors", &fixture("errors")).await;
    let e = outcome.expect_err("errors");
    let got = located(&e);
    assert_eq!(
        got,
        [
            "a.sql:2:42 syntax error at or near \")\" (SQLSTATE 42601)",
            "b.sql:1:1 role \"no_such_role_for_accrete\" does not exist (SQLSTATE 42704)",
            "b.sql:2:1 relation \"public.nowhere\" does not exist (SQLSTATE 42P01)",
        ],
        "{e}"
    );
    let help = |i: usize| e.0[i].help.clone().unwrap_or_default();
    assert!(help(1).contains("create the role on the target"), "{}", e.0[1]);
    assert!(help(2).contains("nothing in the schema files creates it"), "{}", e.0[2]);
    // Of the statements whose dependencies never appeared, the first is reported and the others listed.
    let note = e.0[2].notes.iter().find(|n| n.contains("more statement")).expect("a note on the others");
    assert!(note.contains("c.sql:1:1 (`CREATE INDEX ON public.missing`)"), "{note}");
}

#[tokio::test(flavor = "multi_thread")]
async fn event_triggers_load_last() {
    // The guard, declared first, refuses any DDL: it must be created after everything else. What alters or
    // comments on it loads last too, in passes of its own (the comment is written before the trigger).
    let (db, _, outcome) = load_dir("event-triggers", &fixture("event_triggers")).await;
    outcome.unwrap_or_else(|e| panic!("{e}"));
    let sql = "SELECT evtname || ' ' || evtenabled::text || ' ' || obj_description(oid, 'pg_event_trigger') \
               FROM pg_event_trigger";
    assert_eq!(strings(&db, sql).await, ["accrete_test_guard A refuses DDL"]);
}

/// 5,000 statements (tables, indexes, foreign keys, comments, views) in a scrambled order.
#[tokio::test(flavor = "multi_thread")]
async fn five_thousand_scrambled_statements_load_in_a_few_passes() {
    let n = 1000;
    let mut statements = Vec::new();
    for i in 0..n {
        let parent = if i == 0 { n - 1 } else { i - 1 };
        statements.push(format!("CREATE TABLE big.t{i} (id int PRIMARY KEY, parent int, label text)"));
        statements.push(format!("CREATE INDEX t{i}_label ON big.t{i} (label)"));
        statements
            .push(format!("ALTER TABLE big.t{i} ADD FOREIGN KEY (parent) REFERENCES big.t{parent} (id)"));
        statements.push(format!("COMMENT ON TABLE big.t{i} IS 'table {i}'"));
        statements.push(format!("CREATE VIEW big.v{i} AS SELECT id, label FROM big.t{i}"));
    }
    statements.push("CREATE SCHEMA big".into());
    // A fixed permutation (a linear congruential generator), so the test is the same on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in (1..statements.len()).rev() {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        statements.swap(i, (state >> 33) as usize % (i + 1));
    }
    let text: String = statements.iter().map(|s| format!("{s};\n")).collect();
    let dir = schema_dir(&[("big.sql", &text)]);
    let (db, source, outcome) = load_dir("five-thousand", dir.path()).await;
    let report = outcome.unwrap_or_else(|e| panic!("{e}"));
    eprintln!("5,001 scrambled statements: {report:?}");
    assert_eq!(report.statements_run, source.statements.len());
    assert!(report.passes <= 4, "{report:?}");
    let count = strings(&db, "SELECT count(*)::text FROM pg_constraint WHERE contype = 'f'").await;
    assert_eq!(count, [n.to_string()]);
}

/// The scratch cluster gets the target's roles that the schema files mention (and no others), so a grant
/// to one loads; a second call finds them there.
#[tokio::test(flavor = "multi_thread")]
async fn the_scratch_cluster_gets_the_roles_the_schema_mentions() {
    let dir = schema_dir(&[(
        "a.sql",
        "CREATE TABLE public.t (id int);\nGRANT SELECT ON public.t TO source_scratch_role_a, \"Source Scratch B\";\n",
    )]);
    let source = accrete::source::load(dir.path()).unwrap();
    let target: std::collections::BTreeSet<String> =
        ["source_scratch_role_a", "Source Scratch B", "source_scratch_unmentioned"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let admin = support::cluster().admin_params();
    let created = accrete::normalize::create_mentioned_roles(&admin, &source, &target).await.unwrap();
    assert_eq!(created, ["Source Scratch B", "source_scratch_role_a"]);
    assert!(accrete::normalize::create_mentioned_roles(&admin, &source, &target).await.unwrap().is_empty());
    let db = support::fresh_db("scratch-roles").await;
    let mut conn = support::connect(&db).await;
    load_statements(&mut conn, &source).await.expect("the grant loads");
    let rows = conn
        .client
        .query(
            "SELECT rolname::text, rolcanlogin FROM pg_roles WHERE rolname LIKE 'source_scratch%' ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let roles: Vec<(String, bool)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(roles, [("source_scratch_role_a".to_string(), false)]);
}

/// Three tables whose inline foreign keys form cycles, named and unnamed, table- and column-level.
const FK_CYCLE: &[(&str, &str)] = &[
    (
        "a.sql",
        "CREATE TABLE public.departments (\n  dept_id int PRIMARY KEY,\n  manager_id int,\n  \
         lead_project int REFERENCES public.projects (id),\n  \
         CONSTRAINT dept_manager_fk FOREIGN KEY (manager_id) REFERENCES public.employees (emp_id)\n);\n",
    ),
    (
        "b.sql",
        "CREATE TABLE public.employees (\n  emp_id int PRIMARY KEY,\n  dept_id int,\n  \
         project_id int CONSTRAINT emp_project_fk REFERENCES public.projects ON DELETE SET NULL,\n  \
         FOREIGN KEY (dept_id) REFERENCES public.departments (dept_id) DEFERRABLE\n);\n",
    ),
    ("c.sql", "CREATE TABLE public.projects (id int PRIMARY KEY, owner int REFERENCES public.employees);\n"),
];

#[tokio::test(flavor = "multi_thread")]
async fn tables_whose_inline_foreign_keys_form_a_cycle_load_with_the_names_postgres_gives() {
    let dir = schema_dir(FK_CYCLE);
    let (db, _, outcome) = load_dir("fk-cycle", dir.path()).await;
    outcome.unwrap_or_else(|e| panic!("{e}"));
    let keys = strings(
        &db,
        "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) \
         FROM pg_constraint WHERE contype = 'f' ORDER BY 1",
    )
    .await;
    assert_eq!(
        keys,
        [
            "public.departments departments_lead_project_fkey FOREIGN KEY (lead_project) \
             REFERENCES public.projects(id)",
            "public.departments dept_manager_fk FOREIGN KEY (manager_id) REFERENCES public.employees(emp_id)",
            "public.employees emp_project_fk FOREIGN KEY (project_id) REFERENCES public.projects(id) \
             ON DELETE SET NULL",
            "public.employees employees_dept_id_fkey FOREIGN KEY (dept_id) \
             REFERENCES public.departments(dept_id) DEFERRABLE",
            "public.projects projects_owner_fkey FOREIGN KEY (owner) REFERENCES public.employees(emp_id)",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_of_a_split_table_are_reported_at_the_statement_as_written() {
    // A foreign key to a table nothing creates is reported as it was before the split; one that fails for a
    // reason of its own once split off, at the start of its CREATE TABLE, with the piece that failed.
    let mut files = FK_CYCLE.to_vec();
    files.push(("d.sql", "CREATE TABLE public.notes (\n  id int REFERENCES public.nowhere\n);\n"));
    files.push((
        "e.sql",
        "CREATE TABLE public.badges (\n  code text PRIMARY KEY,\n  \
         holder text REFERENCES public.badge_holders\n);\n\
         CREATE TABLE public.badge_holders (id int PRIMARY KEY, badge text REFERENCES public.badges);\n",
    ));
    let dir = schema_dir(&files);
    let (_, _, outcome) = load_dir("fk-cycle-errors", dir.path()).await;
    let e = outcome.expect_err("errors");
    let got = located(&e);
    assert_eq!(
        got,
        [
            "d.sql:1:1 relation \"public.nowhere\" does not exist (SQLSTATE 42P01)",
            "e.sql:1:1 foreign key constraint \"badges_holder_fkey\" cannot be implemented (SQLSTATE 42804)",
        ],
        "{e}"
    );
    assert!(!e.0[0].notes.iter().any(|n| n.contains("foreign keys apart")), "{}", e.0[0]);
    let piece = e.0[1].notes.iter().find(|n| n.contains("foreign keys apart")).expect("the piece's text");
    assert!(piece.contains("ALTER TABLE public.badges ADD FOREIGN KEY (holder)"), "{piece}");
}
