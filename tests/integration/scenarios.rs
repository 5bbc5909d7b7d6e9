//! Scenarios beyond the fixture cycle: what happens when the database moves between plan and apply, when an
//! apply is interrupted, and when the input is bad. Each is named after what it proves.

use crate::cli::{self, Project};
use crate::support;
use accrete::scope::Scope;

const USERS: &str = "CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);\n";

async fn digests(
    db: &accrete::conn::ConnParams,
) -> std::collections::BTreeMap<accrete::catalog::ObjectKey, String> {
    let conn = support::connect(db).await;
    accrete::inspect::inspect(&conn.client, &Scope::default()).await.expect("inspect").catalog.digests()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_object_changed_since_the_plan_is_refused_and_force_meets_the_guard() {
    let db = support::fresh_db("changed-since-plan").await;
    support::exec(&db, USERS).await;
    let project = Project::with_files(
        "changed-since-plan",
        &[(
            "users.sql",
            "CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, nickname text);\n",
        )],
    );
    let url = cli::url(&db);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    // Someone adds the column by hand, with another type.
    support::exec(&db, "ALTER TABLE public.users ADD COLUMN nickname integer").await;
    let plan = project.path("plan.sql");
    let refused = project.run(&["apply", plan.to_str().unwrap(), "--db", &url]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains("public.users.nickname"), "names the object:\n{}", refused.all());
    assert!(refused.stderr.contains("--force"), "names the flag:\n{}", refused.all());
    let forced = project.run(&["apply", plan.to_str().unwrap(), "--db", &url, "--force"]);
    assert_eq!(forced.code, 1, "{}", forced.all());
    assert!(forced.all().contains("column public.users.nickname exists as integer"), "{}", forced.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn another_database_is_refused_unless_other_target() {
    let a = support::fresh_db("target-a").await;
    let b = support::fresh_db("target-b").await;
    let project = Project::with_files("other-target", &[("users.sql", USERS)]);
    let planned = project.plan(&cli::url(&a), "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = project.path("plan.sql");
    let before = digests(&b).await;
    let refused = project.run(&["apply", plan.to_str().unwrap(), "--db", &cli::url(&b)]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains("--other-target"), "{}", refused.all());
    assert_eq!(digests(&b).await, before, "a refused apply changed nothing");
    let applied = project.run(&["apply", plan.to_str().unwrap(), "--db", &cli::url(&b), "--other-target"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_concurrent_index_build_completes_on_rerun() {
    let db = support::fresh_db("interrupted-index").await;
    support::exec(
        &db,
        "CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text NOT NULL);\n\
         INSERT INTO public.accounts VALUES (1, 'a@example.com'), (2, 'a@example.com');",
    )
    .await;
    let project = Project::with_files(
        "interrupted-index",
        &[(
            "accounts.sql",
            "CREATE TABLE public.accounts (id bigint PRIMARY KEY, email text NOT NULL, plan text);\n\
             CREATE UNIQUE INDEX accounts_email_key ON public.accounts (email);\n",
        )],
    );
    let url = cli::url(&db);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = project.path("plan.sql");
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(text.contains("CREATE UNIQUE INDEX CONCURRENTLY"), "{text}");
    // The duplicate makes the concurrent build fail after the column's segment committed.
    let failed = project.run(&["apply", plan.to_str().unwrap(), "--db", &url]);
    assert_eq!(failed.code, 4, "{}", failed.all());
    assert!(failed.all().contains("re-run"), "{}", failed.all());
    support::exec(&db, "DELETE FROM public.accounts WHERE id = 2").await;
    let rerun = project.run(&["apply", plan.to_str().unwrap(), "--db", &url]);
    assert_eq!(rerun.code, 0, "{}", rerun.all());
    let conn = support::connect(&db).await;
    let valid: bool = conn
        .client
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.accounts_email_key'::regclass",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(valid, "the index was rebuilt valid");
    let replan = project.plan(&url, "again.sql");
    assert!(replan.stdout.contains("nothing to plan"), "{}", replan.all());
}

/// Bad input gets a clear error, exit 1, and the database is left as it was.
async fn refused_input(name: &str, files: &[(&str, &str)], expect: &[&str]) {
    let db = support::fresh_db(name).await;
    support::exec(&db, USERS).await;
    let before = digests(&db).await;
    let project = Project::with_files(name, files);
    let out = project.plan(&cli::url(&db), "plan.sql");
    assert_eq!(out.code, 1, "{}", out.all());
    for e in expect {
        assert!(out.stderr.contains(e), "stderr lacks {e:?}:\n{}", out.all());
    }
    assert!(!project.path("plan.sql").exists(), "no plan is written");
    assert_eq!(digests(&db).await, before, "the database is unchanged");
}

#[tokio::test(flavor = "multi_thread")]
async fn unparseable_sql_is_reported_at_its_position() {
    refused_input(
        "bad-syntax",
        &[("a.sql", "CREATE TABLE public.t (id int);\n\nCREATE TABLE public.u (id int,, name text);\n")],
        &["a.sql:3:"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bare_drop_is_rejected_with_its_code() {
    refused_input(
        "bare-drop",
        &[("a.sql", "CREATE TABLE public.t (id int);\nDROP TABLE public.users;\n")],
        &["a.sql:2:1", "bare-drop"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_referenced_table_is_reported() {
    refused_input(
        "unknown-reference",
        &[("a.sql", "CREATE TABLE public.orders (id int PRIMARY KEY, customer_id int REFERENCES public.customers (id));\n")],
        &["a.sql:1:", "customers"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_database_names_the_host_and_not_the_password() {
    let project = Project::with_files("unreachable", &[("a.sql", USERS)]);
    let out = project.run(&["plan", "--db", "postgresql://app:s3cret-pw@127.0.0.1:1/app?connect_timeout=2"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("127.0.0.1:1"), "{}", out.all());
    assert!(!out.all().contains("s3cret-pw"), "the password leaked:\n{}", out.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_usage_error_exits_1() {
    let out = cli::run_in(&support::temp_dir("usage"), &["plan".into(), "--no-such-flag".into()]);
    assert_eq!(out.code, 1, "{}", out.all());
    let help = cli::run_in(&support::temp_dir("help"), &["--help".into()]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit codes"), "{}", help.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_step_needing_an_unmodeled_object_the_target_lacks_is_refused_at_plan_time() {
    let db = support::fresh_db("unmodeled-dependency").await;
    support::exec(&db, "CREATE SCHEMA app").await;
    let before = digests(&db).await;
    let project = Project::with_files(
        "unmodeled-dependency",
        &[(
            "a.sql",
            "CREATE SCHEMA app;\n\
             CREATE FUNCTION app.close_to(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE\n\
                 AS 'SELECT abs($1 - $2) < 10';\n\
             CREATE OPERATOR app.~~~ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = app.close_to);\n\
             CREATE TABLE app.files (size integer CHECK (size OPERATOR(app.~~~) 100));\n",
        )],
    );
    let out = project.plan(&cli::url(&db), "plan.sql");
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stderr.contains("needs operator app.~~~"), "{}", out.all());
    assert!(!project.path("plan.sql").exists());
    // Once the target has it, the same schema plans.
    support::exec(
        &db,
        "CREATE FUNCTION app.close_to(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE \
             AS 'SELECT abs($1 - $2) < 10'; \
         CREATE OPERATOR app.~~~ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = app.close_to)",
    )
    .await;
    let out = project.plan(&cli::url(&db), "plan.sql");
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(project.path("plan.sql").exists());
    // The copy a proof runs on lacks the operator (accrete does not model operators): not proven, and why.
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(
        text.contains("\n-- not proven: the copy lacks what accrete does not model (operator app.~~~)"),
        "{text}"
    );
    // Planning changed nothing on the target.
    let mut now = digests(&db).await;
    now.retain(|k, _| before.contains_key(k));
    assert_eq!(now, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_refuses_what_its_own_policy_does_not_admit() {
    let db = support::fresh_db("policy-refusal").await;
    support::exec(
        &db,
        "CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, legacy text);",
    )
    .await;
    let project = Project::with_files("policy-refusal", &[("users.sql", USERS)]);
    let url = cli::url(&db);
    // Without a policy the drop is only reported, with the statement it would take.
    let reported = project.run(&["plan", "--db", &url]);
    assert_eq!(reported.code, 0, "{}", reported.all());
    assert!(reported.stdout.contains("nothing to plan"), "{}", reported.all());
    assert!(reported.stdout.contains("ALTER TABLE public.users DROP COLUMN legacy"), "{}", reported.all());
    assert!(reported.stdout.contains("--allow drop:column"), "{}", reported.all());
    let out = project.path("plan.sql");
    let planned =
        project.run(&["plan", "--db", &url, "--allow", "drop:column", "--out", out.to_str().unwrap()]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = out.to_str().unwrap();
    let before = digests(&db).await;
    // apply judges by its own flags: the plan's policy does not carry over.
    let refused = project.run(&["apply", plan, "--db", &url]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains("drop column public.users.legacy"), "{}", refused.all());
    assert!(refused.stderr.contains("--allow drop"), "names the flag:\n{}", refused.all());
    // Admitting the hazard alone does not admit the class.
    let hazard_only = project.run(&["apply", plan, "--db", &url, "--allow-hazard", "deletes-data"]);
    assert_eq!(hazard_only.code, 3, "{}", hazard_only.all());
    assert_eq!(digests(&db).await, before, "a refused apply changed nothing");
    let applied = project.run(&["apply", plan, "--db", &url, "--allow", "drop:column"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    let drift = project.run(&["drift", "--db", &url]);
    assert_eq!(drift.code, 0, "{}", drift.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn strict_requires_admission_for_the_hazards_of_additions() {
    let db = support::fresh_db("policy-strict").await;
    support::exec(&db, "CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);").await;
    let schema = "CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL);\n\
                  CREATE INDEX users_email_idx ON public.users (email);\n";
    let project = Project::with_files("policy-strict", &[("users.sql", schema)]);
    let url = cli::url(&db);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = project.path("plan.sql");
    let plan = plan.to_str().unwrap();
    let refused = project.run(&["apply", plan, "--db", &url, "--strict"]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains("hazard builds-index not admitted"), "{}", refused.all());
    assert!(refused.stderr.contains("--allow-hazard builds-index (or --allow add)"), "{}", refused.all());
    let applied = project.run(&["apply", plan, "--db", &url, "--strict", "--allow-hazard", "builds-index"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn check_data_counts_the_rows_that_would_fail_each_step() {
    let db = support::fresh_db("check-data").await;
    support::exec(
        &db,
        "CREATE TABLE public.users (id bigint PRIMARY KEY);
         INSERT INTO public.users VALUES (1), (2);
         CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id bigint, email text, total numeric, code text);
         INSERT INTO public.orders VALUES (1, 1, NULL, 5, 'a'), (2, 9, NULL, -1, 'a'), (3, 2, 'x', -2, 'b'), (4, 8, 'y', 1, 'a');",
    )
    .await;
    let desired = "CREATE TABLE public.users (id bigint PRIMARY KEY);
        CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id bigint, email text NOT NULL, total numeric, code text,
            CONSTRAINT orders_total_check CHECK (total >= 0),
            CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
            CONSTRAINT orders_code_key UNIQUE (code));\n";
    let project = Project::with_files("check-data", &[("schema.sql", desired)]);
    let url = cli::url(&db);
    let before = digests(&db).await;
    let out = project.path("plan.sql");
    let planned = project.run(&[
        "plan",
        "--db",
        &url,
        "--allow",
        "alter:column",
        "--check-data",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let text = &planned.stdout;
    assert!(text.contains("data checks (now; each step's guard checks again at apply):"), "{text}");
    assert!(text.contains("(NOT NULL: check NOT VALID): 2 rows with NULL would fail it"), "{text}");
    assert!(text.contains("orders_total_check (NOT VALID): 2 rows would fail it"), "{text}");
    assert!(
        text.contains("orders_user_fk (NOT VALID): 2 rows without a referenced row would fail it"),
        "{text}"
    );
    assert!(text.contains("orders_code_key: 1 duplicate groups would fail it"), "{text}");
    assert_eq!(digests(&db).await, before, "counting changes nothing");
}

/// A type change that may fail on data: the values that would not convert are counted, read-only.
#[tokio::test(flavor = "multi_thread")]
async fn check_data_counts_the_values_a_type_change_would_not_convert() {
    let db = support::fresh_db("check-data-cast").await;
    support::exec(
        &db,
        "CREATE TABLE public.t (id bigint PRIMARY KEY, n bigint, code character varying(40), qty text, ref text);
         INSERT INTO public.t VALUES (1, 5, 'short', '12', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
             (2, 5000000000, 'a code far longer than ten', 'twelve', 'nope'), (3, NULL, NULL, '1.5', NULL);",
    )
    .await;
    let desired = "CREATE TABLE public.t (id bigint PRIMARY KEY, n integer, code character varying(10), qty integer, ref uuid);\n";
    let project = Project::with_files("check-data-cast", &[("t.sql", desired)]);
    let url = cli::url(&db);
    let before = digests(&db).await;
    let out = project.path("plan.sql");
    let args =
        ["plan", "--db", &url, "--allow", "alter:column", "--check-data", "--out", out.to_str().unwrap()];
    let planned = project.run(&args);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let text = &planned.stdout;
    assert!(
        text.contains("(type bigint to integer): 1 values that would not convert would fail it"),
        "{text}"
    );
    let varchar = "(type character varying(40) to character varying(10)): 1 values that would not convert would fail it";
    assert!(text.contains(varchar), "{text}");
    // No assignment cast from text: converted with USING, counted alike.
    assert!(text.contains("(type text to integer): 2 values that would not convert would fail it"), "{text}");
    assert!(text.contains("(type text to uuid): 1 values that would not convert would fail it"), "{text}");
    let plan = std::fs::read_to_string(&out).unwrap();
    assert!(plan.contains("ALTER COLUMN qty TYPE integer USING qty::integer"), "{plan}");
    assert_eq!(digests(&db).await, before, "counting changes nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_shows_what_a_difference_would_take() {
    let db = support::fresh_db("drift-would-take").await;
    support::exec(
        &db,
        "CREATE TABLE public.users (id bigint PRIMARY KEY, email character varying(40), legacy text);",
    )
    .await;
    let desired = "CREATE TABLE public.users (id bigint PRIMARY KEY, email character varying(80));\n";
    let project = Project::with_files("drift-would-take", &[("users.sql", desired)]);
    let url = cli::url(&db);
    let text = project.run(&["drift", "--db", &url]);
    assert_eq!(text.code, 2, "{}", text.all());
    assert!(
        text.stdout.contains(
            "-- would take: ALTER TABLE public.users ALTER COLUMN email TYPE character varying(80)"
        ),
        "{}",
        text.all()
    );
    assert!(
        text.stdout.contains("-- would take: ALTER TABLE public.users DROP COLUMN legacy"),
        "{}",
        text.all()
    );
    let json = project.run(&["drift", "--db", &url, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        doc["changed"][0]["would_take"][0],
        "ALTER TABLE public.users ALTER COLUMN email TYPE character varying(80)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_json_lists_each_step_with_its_hazards() {
    let db = support::fresh_db("plan-json").await;
    support::exec(&db, "CREATE TABLE public.users (id bigint PRIMARY KEY, email character varying(40));")
        .await;
    let desired = "CREATE TABLE public.users (id bigint PRIMARY KEY, email text);\n\
                   CREATE INDEX users_email_idx ON public.users (email);\n";
    let project = Project::with_files("plan-json", &[("users.sql", desired)]);
    let url = cli::url(&db);
    let out = project.path("plan.sql");
    let planned = project.run(&[
        "plan",
        "--db",
        &url,
        "--allow",
        "alter",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let doc: serde_json::Value = serde_json::from_str(&planned.stdout).expect("plan --format json is JSON");
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["policy"], "add, alter");
    assert!(doc["rollback"].as_str().unwrap().ends_with("plan.rollback.sql"));
    let steps = doc["steps"].as_array().unwrap();
    let index = steps.iter().find(|s| s["kind"] == "index").expect("the index step");
    assert_eq!(index["class"], "add");
    assert_eq!(index["hazards"], serde_json::json!(["builds-index"]));
    assert_eq!(index["transactional"], false);
    let column = steps.iter().find(|s| s["kind"] == "column").expect("the column step");
    assert_eq!(column["class"], "alter");
    assert_eq!(column["what"], "type character varying(40) to text, no rewrite");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_narrowed_sequence_restarts_only_when_its_position_is_outside_the_declared_range() {
    let fixture = support::fixtures_dir().join("sequence-range-narrowed");
    let db = support::fresh_db("sequence-narrowed").await;
    support::exec(&db, &std::fs::read_to_string(fixture.join("live.sql")).unwrap()).await;
    let project = Project::new("sequence-narrowed", &fixture);
    let url = cli::url(&db);
    let applied = project.plan_and_apply(&url);
    assert_eq!(applied.code, 0, "{}", applied.all());
    for said in [
        "sequence public.ticket_seq was at 500, outside the declared range 1..100: restarted at 1",
        "column public.voltages.volt was at -200, outside the declared range -100..100: restarted at -100",
    ] {
        assert!(applied.stdout.contains(said), "says {said:?}:\n{}", applied.all());
    }
    assert!(!applied.stdout.contains("batch_seq was at"), "{}", applied.all());
    let conn = support::connect(&db).await;
    let next = |sql: &'static str| {
        let client = &conn.client;
        async move { client.query_one(sql, &[]).await.unwrap().get::<_, i64>(0) }
    };
    assert_eq!(next("SELECT nextval('public.ticket_seq')").await, 1, "restarted at its START");
    assert_eq!(next("SELECT nextval('public.batch_seq')").await, 51, "inside the range: position kept");
    assert_eq!(
        next("INSERT INTO public.voltages DEFAULT VALUES RETURNING volt::bigint").await,
        -100,
        "the identity restarted at its declared START"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn expressions_beyond_one_settling_transaction_converge() {
    // Each table has a check and a default whose printed text does not parse back to itself (a varchar
    // compared with text literals): 800 expressions, settled in the scratch database over several
    // transactions, must each come back to its own table.
    let files: String = (0..400)
        .map(|i| {
            format!(
                "CREATE TABLE public.t_{i:03} (id bigint PRIMARY KEY, \
                 s varchar(8) NOT NULL DEFAULT 'v{i}' CHECK (s IN ('v{i}', 'w{i}')));\n"
            )
        })
        .collect();
    let db = support::fresh_db("settle-chunks").await;
    let project = Project::with_files("settle-chunks", &[("tables.sql", &files)]);
    let url = cli::url(&db);
    let applied = project.plan_and_apply(&url);
    assert_eq!(applied.code, 0, "{}", applied.all());
    let again = project.run(&["plan", "--db", &url]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stdout.contains("nothing to plan"), "{}", again.all());
    let drift = project.run(&["drift", "--db", &url]);
    assert_eq!(drift.code, 0, "{}", drift.all());
}

/// The seed guides' V1 failure: a column renamed in the files and nothing else. plan refuses (exit 3),
/// names both columns and both ways out, and writes nothing; with the new column acknowledged in
/// accrete.toml it plans the add; after the rename is run by hand it has nothing to plan.
#[tokio::test(flavor = "multi_thread")]
async fn a_likely_rename_stops_the_plan_until_the_team_says_which_it_is() {
    let db = support::fresh_db("likely-rename").await;
    support::exec(
        &db,
        "CREATE SCHEMA app; CREATE TABLE app.api_keys (id bigint PRIMARY KEY, key_hash text NOT NULL);
         INSERT INTO app.api_keys VALUES (1, 'x');",
    )
    .await;
    let project = Project::with_files(
        "likely-rename",
        &[(
            "a.sql",
            "CREATE SCHEMA app; CREATE TABLE app.api_keys (id bigint PRIMARY KEY, api_key_hash text NOT NULL);",
        )],
    );
    let url = cli::url(&db);
    let refused = project.plan(&url, "plan.sql");
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(!project.path("plan.sql").exists(), "a refused plan was written");
    for part in [
        "column app.api_keys.key_hash (in the database) -> column app.api_keys.api_key_hash (in the schema files)",
        "ALTER TABLE app.api_keys RENAME COLUMN key_hash TO api_key_hash",
        "[renames] new = [\"column:app.api_keys.api_key_hash\"]",
    ] {
        assert!(refused.stderr.contains(part), "lacks {part:?}:\n{}", refused.all());
    }

    // Acknowledged as new: the add is planned (NOT NULL on a table with rows takes its own route).
    std::fs::write(project.path("accrete.toml"), "[renames]\nnew = [\"column:app.api_keys.api_key_hash\"]\n")
        .unwrap();
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(plan.contains("add column app.api_keys.api_key_hash"), "{plan}");
    let sql: Vec<&str> = plan.lines().filter(|l| !l.starts_with("--")).collect();
    assert!(!sql.iter().any(|l| l.contains("RENAME")), "{plan}");

    // Renamed by hand instead: nothing to add.
    std::fs::remove_file(project.path("accrete.toml")).unwrap();
    std::fs::remove_file(project.path("plan.sql")).unwrap();
    support::exec(&db, "ALTER TABLE app.api_keys RENAME COLUMN key_hash TO api_key_hash").await;
    let after = project.plan(&url, "plan.sql");
    assert_eq!(after.code, 0, "{}", after.all());
    assert!(after.stdout.contains("nothing to plan"), "{}", after.all());

    // A mistaken entry is located.
    std::fs::write(project.path("accrete.toml"), "[renames]\nnew = [\"index:app.x\"]\n").unwrap();
    let bad = project.plan(&url, "plan.sql");
    assert_eq!(bad.code, 1, "{}", bad.all());
    assert!(bad.stderr.contains("accrete.toml:2:8"), "{}", bad.all());
}
