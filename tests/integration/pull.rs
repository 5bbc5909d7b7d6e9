//! `accrete pull` round trips of particular databases (every fixture folder's round trip is in the
//! `fixtures` test binary): pulled as SQL and as TOML, `plan` against the same database then has nothing
//! to do, `drift` exits 0, and pulling again gives the same bytes. Also: pull refuses to overwrite a file
//! whose content differs, names it, and `--force` overwrites it.

use crate::cli::{self, Project};
use crate::round_trip::{read_tree, round_trip};
use crate::support;

#[tokio::test(flavor = "multi_thread")]
async fn pull_refuses_to_overwrite_a_changed_file_and_names_it() {
    let db = support::fresh_db("pull-refuses").await;
    support::exec(&db, "CREATE SCHEMA app; CREATE TABLE app.t (id bigint PRIMARY KEY, note text);").await;
    let url = cli::url(&db);
    let project = Project::with_files("pull-refuses", &[]);
    let first = project.run(&["pull", "--db", &url]);
    assert_eq!(first.code, 0, "{}", first.all());
    let table = project.path("schema/app/tables/t.sql");
    let pulled = std::fs::read_to_string(&table).unwrap();
    assert_eq!(
        pulled,
        "CREATE TABLE app.t (\n    id   bigint,\n    note text,\n    CONSTRAINT t_pkey PRIMARY KEY (id)\n);\n"
    );
    // The same content again: nothing to refuse.
    let again = project.run(&["pull", "--db", &url]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stdout.contains("0 file(s) written, 2 already up to date"), "{}", again.all());
    std::fs::write(&table, "-- edited by hand\n").unwrap();
    let refused = project.run(&["pull", "--db", &url]);
    assert_eq!(refused.code, 1, "{}", refused.all());
    assert!(refused.stderr.contains("refusing to overwrite 1 existing file(s)"), "{}", refused.all());
    assert!(refused.stderr.contains("schema/app/tables/t.sql") && refused.stderr.contains("--force"));
    assert_eq!(std::fs::read_to_string(&table).unwrap(), "-- edited by hand\n", "nothing was written");
    let forced = project.run(&["pull", "--db", &url, "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.all());
    assert!(forced.stdout.contains("overwritten: schema/app/tables/t.sql"), "{}", forced.all());
    assert_eq!(std::fs::read_to_string(&table).unwrap(), pulled);
}

/// Builds `sql` in a fresh database and round trips it through `pull` in both formats.
async fn round_trip_sql(name: &str, sql: &str) -> Project {
    let db = support::fresh_db(name).await;
    support::exec(&db, sql).await;
    let project = Project::with_files(name, &[]);
    round_trip(&project, &cli::url(&db));
    project
}

/// A cycle that closes through `INHERITS`: the child's `CREATE TABLE` needs its parent, the parent's
/// inline foreign key needs `c_users`, whose inline foreign key needs the child. The child sorts before
/// its parent, so ordering by name alone leaves every foreign key inline and nothing loads.
#[tokio::test(flavor = "multi_thread")]
async fn pull_breaks_a_foreign_key_cycle_that_closes_through_inheritance() {
    let project = round_trip_sql(
        "pull-inherits-cycle",
        "CREATE TABLE public.b_actions (id serial PRIMARY KEY, owner integer);
         CREATE TABLE public.a_window (CONSTRAINT a_window_pkey PRIMARY KEY (id)) INHERITS (public.b_actions);
         CREATE TABLE public.c_users (id serial PRIMARY KEY, home integer REFERENCES public.a_window (id));
         ALTER TABLE public.b_actions ADD CONSTRAINT b_actions_owner_fkey
             FOREIGN KEY (owner) REFERENCES public.c_users (id);",
    )
    .await;
    let parent = std::fs::read_to_string(project.path("pulled-sql/public/tables/b_actions.sql")).unwrap();
    assert!(
        parent.contains("\nALTER TABLE public.b_actions ADD CONSTRAINT b_actions_owner_fkey FOREIGN KEY"),
        "the foreign key to the table created later is written apart:\n{parent}"
    );
}

/// `CREATE TABLE t (..., PRIMARY KEY (id), UNIQUE (id))` keeps only the primary key: PostgreSQL folds
/// index constraints on the same columns into one. A database that has both (added by `ALTER TABLE`)
/// must get both back.
#[tokio::test(flavor = "multi_thread")]
async fn pull_keeps_a_unique_constraint_on_the_primary_key_columns() {
    let project = round_trip_sql(
        "pull-duplicate-keys",
        "CREATE TABLE public.t (id uuid PRIMARY KEY, code text);
         ALTER TABLE public.t ADD CONSTRAINT t_id_key UNIQUE (id);
         ALTER TABLE public.t ADD CONSTRAINT t_code_a UNIQUE (code);
         ALTER TABLE public.t ADD CONSTRAINT t_code_b UNIQUE (code);",
    )
    .await;
    let table = std::fs::read_to_string(project.path("pulled-sql/public/tables/t.sql")).unwrap();
    assert!(table.contains("\nALTER TABLE public.t ADD CONSTRAINT t_id_key UNIQUE (id);"), "{table}");
    assert!(table.contains("\nALTER TABLE public.t ADD CONSTRAINT t_code_b UNIQUE (code);"), "{table}");
}

/// A column PostgreSQL cannot name (`?column?`) on the right of a `UNION` or in a subquery prints with
/// the cast printing added (`NULL::integer`, `'b'::text`); loaded again, that cast names it (`int4`,
/// `text`) and the view prints differently. The pulled view keeps the name.
#[tokio::test(flavor = "multi_thread")]
async fn pull_keeps_the_unnamed_columns_of_a_union_unnamed() {
    let project = round_trip_sql(
        "pull-union-names",
        "CREATE TABLE public.a (id integer, note text);
         CREATE TABLE public.b (id integer);
         CREATE VIEW public.v AS
             SELECT q.id, q.note, q.kind
             FROM (SELECT id, note, 'a' AS kind FROM public.a
                   UNION ALL SELECT id, NULL, 'b' FROM public.b) q
             WHERE EXISTS (SELECT 'x' FROM public.b WHERE b.id = q.id);",
    )
    .await;
    let view = std::fs::read_to_string(project.path("pulled-sql/public/views/v.sql")).unwrap();
    assert!(view.contains("NULL::text AS \"?column?\""), "{view}");
}

/// From PostgreSQL 18, a column's NOT NULL is a constraint named `<table>_<column>_not_null`. A check
/// of that very name (an old habit: `CHECK (c IS NOT NULL)` named so) added after `CREATE TABLE` then
/// fails with "already exists" unless the NOT NULL comes after it. On earlier majors the test still
/// proves the round trip.
#[tokio::test(flavor = "multi_thread")]
async fn pull_declares_not_null_after_a_constraint_holding_its_name() {
    let project = round_trip_sql(
        "pull-not-null-name",
        "CREATE TABLE public.channel (
             id integer PRIMARY KEY,
             kind text NOT NULL,
             CONSTRAINT channel_kind_not_null CHECK (kind IS NOT NULL)
         );",
    )
    .await;
    let table = std::fs::read_to_string(project.path("pulled-toml/public/tables/channel.toml")).unwrap();
    // On 18 the NOT NULL read back has the name loading gave it, and is declared under that name.
    let late = if support::cluster().major >= 18 {
        "ALTER TABLE public.channel ADD CONSTRAINT channel_kind_not_null1 NOT NULL kind;"
    } else {
        "ALTER TABLE public.channel ALTER COLUMN kind SET NOT NULL;"
    };
    assert!(table.contains(late), "{table}");
}

/// A database with nothing in scope pulls into an empty schema directory (it used to fail reading the
/// directory it had not created), and that directory round trips like any other.
#[tokio::test(flavor = "multi_thread")]
async fn pull_of_an_empty_database_writes_an_empty_schema_directory() {
    // One file that declares nothing: a schema directory without any would be refused by plan.
    let project = round_trip_sql("pull-empty", "SELECT 1;").await;
    for format in ["sql", "toml"] {
        let tree = read_tree(&project.path(&format!("pulled-{format}")));
        let names: Vec<String> = tree.keys().map(|p| p.display().to_string()).collect();
        assert_eq!(names, [format!("empty.{format}")]);
    }
}
