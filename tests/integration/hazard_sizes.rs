//! Hazards graded by size: a policy admits a hazard that grows with the data below a size
//! (`--allow-hazard rewrites-table:<100MB`) and limits it there where its class admits it, judged with the size a format-2 plan records for the step's
//! table and, at apply, with the live estimate read again.

use crate::cli::{self, Project};
use crate::support;

/// A column whose volatile default rewrites the table: hazards `rewrites-table, access-exclusive-lock`.
const ADD_TOKEN: &str = "token double precision DEFAULT random()";

/// `rows` rows of about 70 bytes, with the estimates in pg_class made fresh.
async fn table(db: &accrete::conn::ConnParams, name: &str, rows: u32) {
    support::exec(
        db,
        &format!(
            "CREATE TABLE public.{name} (id bigint PRIMARY KEY, note text NOT NULL);
             INSERT INTO public.{name} SELECT g, md5(g::text) FROM generate_series(1, {rows}) g;"
        ),
    )
    .await;
    support::exec(db, &format!("VACUUM ANALYZE public.{name}")).await;
}

/// One text value.
async fn scalar(db: &accrete::conn::ConnParams, sql: &str) -> String {
    support::connect(db).await.client.query_one(sql, &[]).await.expect(sql).get(0)
}

fn schema(tables: &[&str]) -> String {
    tables
        .iter()
        .map(|t| {
            format!("CREATE TABLE public.{t} (id bigint PRIMARY KEY, note text NOT NULL, {ADD_TOKEN});\n")
        })
        .collect()
}

fn apply(project: &Project, plan: &str, url: &str, extra: &[&str]) -> cli::Output {
    let mut args = vec!["apply", plan, "--db", url, "--strict"];
    args.extend_from_slice(extra);
    project.run(&args)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_size_bound_admits_a_small_tables_rewrite_and_refuses_a_larger_table() {
    let db = support::fresh_db("hazard-size-bound").await;
    table(&db, "small", 100).await;
    table(&db, "big", 60_000).await;
    let project = Project::with_files("hazard-size-bound", &[("t.sql", &schema(&["small", "big"]))]);
    let url = cli::url(&db);
    let out = project.path("plan.sql");
    let out = out.to_str().unwrap();
    let planned = project.run(&[
        "plan",
        "--db",
        &url,
        "--out",
        out,
        "--strict",
        "--allow-hazard",
        "rewrites-table:<1MB,access-exclusive-lock",
    ]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    // Judged at plan time with the target's sizes: the big table's rewrite is over the bound.
    assert!(planned.stdout.contains("apply under this policy would refuse"), "{}", planned.all());
    assert!(planned.stdout.contains("hazard rewrites-table on public.big of "), "{}", planned.all());
    assert!(!planned.stdout.contains("on public.small"), "{}", planned.all());
    let text = std::fs::read_to_string(out).unwrap();
    assert!(text.contains("\n-- accrete:format 2\n"), "{text}");
    assert!(
        text.contains("\n-- accrete:size {\"table\":{\"schema\":\"public\",\"name\":\"small\"},\"bytes\":"),
        "{text}"
    );
    assert!(text.contains("--   lock: ACCESS EXCLUSIVE on public.big, rewrite; size "), "{text}");
    assert!(text.contains("--   step 2: rewrites-table, access-exclusive-lock (column public.small.token); size 24 kB (≈100 rows)\n"), "{text}");
    let json = project.run(&[
        "plan",
        "--db",
        &url,
        "--format",
        "json",
        "--strict",
        "--allow-hazard",
        "rewrites-table:<1MB,access-exclusive-lock",
    ]);
    assert_eq!(json.code, 0, "{}", json.all());
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let sized: Vec<&serde_json::Value> =
        doc["steps"].as_array().unwrap().iter().flat_map(|s| s["hazard_sizes"].as_array().unwrap()).collect();
    assert_eq!(sized.len(), 2, "{}", json.stdout);
    let big = sized.iter().find(|s| s["table"] == "public.big").expect("the big table's rewrite has a size");
    assert_eq!(big["hazard"], "rewrites-table");
    let big_bytes = big["bytes"].as_u64().unwrap();
    assert!(big_bytes > 2 << 20 && big_bytes < 64 << 20, "a few MB: {big_bytes}");
    assert!(big["rows"].as_u64().unwrap() > 50_000, "{}", json.stdout);
    // What apply under the plan's policy would refuse, per step: the big table's rewrite only.
    for step in doc["steps"].as_array().unwrap() {
        let refuses = step["apply_refuses"].as_array().unwrap();
        match step["name"].as_str().unwrap() {
            "public.big.token" => {
                assert_eq!(refuses.len(), 1, "{step}");
                assert!(refuses[0].as_str().unwrap().contains("the bound is <1MB"), "{step}");
            }
            _ => assert!(refuses.is_empty(), "{step}"),
        }
    }

    let review = project.run(&[
        "plan",
        "--db",
        &url,
        "--format",
        "markdown",
        "--strict",
        "--allow-hazard",
        "rewrites-table:<1MB,access-exclusive-lock",
    ]);
    assert_eq!(review.code, 0, "{}", review.all());
    let row = |table: &str| {
        review
            .stdout
            .lines()
            .find(|l| l.starts_with("| ") && l.contains(&format!("`public.{table}.token`")))
            .unwrap_or_else(|| panic!("{}", review.stdout))
            .to_string()
    };
    assert!(
        row("big").contains("`rewrites-table` (not admitted) `access-exclusive-lock` |"),
        "{}",
        row("big")
    );
    assert!(row("small").contains("`rewrites-table` `access-exclusive-lock` |"), "{}", row("small"));

    let before = scalar(&db, "SELECT count(*)::text FROM public.small").await;
    // Without the rewrite admitted, strict refuses both steps.
    let refused = apply(&project, out, &url, &["--allow-hazard", "access-exclusive-lock"]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains("hazard rewrites-table not admitted"), "{}", refused.all());
    // A bound below the big table's size refuses its step, naming the table, its size and the bound.
    let refused =
        apply(&project, out, &url, &["--allow-hazard", "rewrites-table:<1MB,access-exclusive-lock"]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains("hazard rewrites-table on public.big of "), "{}", refused.all());
    assert!(refused.stderr.contains("not admitted: the bound is <1MB"), "{}", refused.all());
    assert!(!refused.stderr.contains("public.small"), "the small table is admitted:\n{}", refused.all());
    // The same bound in accrete.toml, with a dry run: refused alike.
    std::fs::write(
        project.path("accrete.toml"),
        "[policy]\nallow_hazards = [\"rewrites-table:<1MB\", \"access-exclusive-lock\"]\n",
    )
    .unwrap();
    let dry = apply(&project, out, &url, &["--dry-run"]);
    assert_eq!(dry.code, 3, "{}", dry.all());
    assert!(dry.stderr.contains("the bound is <1MB"), "{}", dry.all());
    assert_eq!(scalar(&db, "SELECT count(*)::text FROM public.small").await, before);
    // Without --strict the add class admits its hazards, but the bound still limits the rewrite to
    // tables below it: the big table's needs the hazard named without a bound.
    let limited = project.run(&["apply", out, "--db", &url, "--allow-hazard", "rewrites-table:<1MB"]);
    assert_eq!(limited.code, 3, "{}", limited.all());
    assert!(limited.stderr.contains("hazard rewrites-table on public.big of "), "{}", limited.all());
    assert!(limited.stderr.contains("--allow-hazard rewrites-table,"), "{}", limited.all());
    assert!(!limited.stderr.contains("public.small"), "{}", limited.all());
    assert_eq!(scalar(&db, "SELECT count(*)::text FROM public.small").await, before);
    // A bound above it admits both rewrites without `--allow-hazard rewrites-table`.
    let applied = apply(&project, out, &url, &["--allow-hazard", "rewrites-table:<100MB"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert!(applied.stdout.contains("sizes: 2 tables still below the bounds"), "{}", applied.all());
    let drift = project.run(&["drift", "--db", &url]);
    assert_eq!(drift.code, 0, "{}", drift.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_table_grown_past_the_bound_since_the_plan_is_refused_at_apply() {
    let db = support::fresh_db("hazard-size-grown").await;
    table(&db, "events", 100).await;
    let project = Project::with_files("hazard-size-grown", &[("t.sql", &schema(&["events"]))]);
    let url = cli::url(&db);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = project.path("plan.sql");
    let plan = plan.to_str().unwrap();
    let admit = ["--allow-hazard", "rewrites-table:<1MB", "--allow-hazard", "access-exclusive-lock"];
    // Admitted as planned: a dry run gets past the size check.
    let dry = apply(&project, plan, &url, &[&admit[..], &["--dry-run"]].concat());
    assert_eq!(dry.code, 0, "{}", dry.all());
    // The table grows to a few MB before the apply.
    support::exec(&db, "INSERT INTO public.events SELECT g, md5(g::text) FROM generate_series(101, 60000) g")
        .await;
    support::exec(&db, "VACUUM ANALYZE public.events").await;
    for extra in [&[][..], &["--dry-run"][..]] {
        let refused = apply(&project, plan, &url, &[&admit[..], extra].concat());
        assert_eq!(refused.code, 3, "{}", refused.all());
        let err = &refused.stderr;
        assert!(
            err.contains("table public.events has grown from 24 kB (≈100 rows) in the plan to "),
            "{}",
            refused.all()
        );
        assert!(err.contains(" MB (≈60k rows) now"), "the live size:\n{}", refused.all());
        assert!(err.contains("not below the bound rewrites-table:<1MB"), "{}", refused.all());
    }
    let columns = "SELECT count(*)::text FROM pg_attribute WHERE attrelid = 'public.events'::regclass AND attname = 'token'";
    assert_eq!(scalar(&db, columns).await, "0", "nothing ran");
    let applied = apply(&project, plan, &url, &["--allow-hazard", "rewrites-table,access-exclusive-lock"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_format_1_plan_still_applies_but_a_bound_does_not_admit_its_hazards() {
    let db = support::fresh_db("hazard-size-format-1").await;
    table(&db, "small", 100).await;
    let project = Project::with_files("hazard-size-format-1", &[("t.sql", &schema(&["small"]))]);
    let url = cli::url(&db);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    // The same plan as format 1 wrote it: no size lines (the lock comment is a comment either way).
    let old: String = text
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("-- accrete:size "))
        .collect::<String>()
        .replace("-- accrete:format 2\n", "-- accrete:format 1\n");
    assert_ne!(old, text);
    let old = accrete::apply::seal(&old).unwrap();
    let path = project.path("old.sql");
    std::fs::write(&path, &old).unwrap();
    let path = path.to_str().unwrap();
    let refused =
        apply(&project, path, &url, &["--allow-hazard", "rewrites-table:<100MB,access-exclusive-lock"]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains("a format-1 plan records no table sizes"), "{}", refused.all());
    let applied = project.run(&["apply", path, "--db", &url]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    let drift = project.run(&["drift", "--db", &url]);
    assert_eq!(drift.code, 0, "{}", drift.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_live_size_is_read_while_a_writer_holds_access_exclusive() {
    let db = support::fresh_db("hazard-size-locked").await;
    table(&db, "busy", 1000).await;
    // Another session holds ACCESS EXCLUSIVE on the table (a long migration, say).
    let holder = support::connect(&db).await;
    holder.client.batch_execute("BEGIN; LOCK TABLE public.busy IN ACCESS EXCLUSIVE MODE").await.unwrap();
    let reader = support::connect(&db).await;
    reader.client.batch_execute("SET lock_timeout = '2s'").await.unwrap();
    let sizes = accrete::inspect::table_sizes(&reader.client, &accrete::scope::Scope::default())
        .await
        .expect("reading pg_class waits for no table lock");
    let busy = sizes[&accrete::catalog::QualName::new("public", "busy")];
    assert_eq!(busy.rows, 1000);
    assert!(busy.bytes > 64 << 10, "{busy:?}");
    holder.client.batch_execute("ROLLBACK").await.unwrap();
}
