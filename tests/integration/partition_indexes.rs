//! An index added online to a partitioned table that exists (`ON ONLY` the table, built concurrently on
//! each partition, then attached) whose apply stopped halfway: the same plan run again completes it, and a
//! new plan completes it too, attaching what was built instead of dropping and building it again.

use crate::cli::{self, Project};
use crate::support;

const FIXTURE: &str = "partitioned-index-sub-partitioned";

/// A database where the plan's first two segments ran (the `ON ONLY` indexes, the concurrent builds) and
/// one of the attaches was done by hand; the plan's path.
async fn half_done(hint: &str) -> (accrete::conn::ConnParams, Project, std::path::PathBuf) {
    let dir = support::fixtures_dir().join(FIXTURE);
    let db = support::fresh_db(hint).await;
    support::exec(&db, &std::fs::read_to_string(dir.join("live.sql")).unwrap()).await;
    let project = Project::new(hint, &dir);
    let planned = project.plan(&cli::url(&db), "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = project.path("plan.sql");
    let text = std::fs::read_to_string(&plan).unwrap();
    let cut = text.find("-- accrete:segment 3 transactional").expect("the attaches are segment 3");
    assert!(text[cut..].contains("ATTACH PARTITION") && !text[cut..].contains("CONCURRENTLY"), "{text}");
    let half = project.path("half.sql");
    std::fs::write(&half, &text[..cut]).unwrap();
    let ran = cli::psql_file(&db, &half);
    assert_eq!(ran.code, 0, "{}", ran.all());
    support::exec(
        &db,
        "ALTER INDEX app.readings_2025_sensor_at_idx ATTACH PARTITION app.readings_2025_eu_sensor_at_idx",
    )
    .await;
    assert!(!root_valid(&db).await, "the partitioned index is not valid before its partitions are attached");
    (db, project, plan)
}

async fn root_valid(db: &accrete::conn::ConnParams) -> bool {
    let conn = support::connect(db).await;
    let row = conn
        .client
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'app.readings_sensor_idx'::regclass",
            &[],
        )
        .await
        .unwrap();
    row.get(0)
}

async fn index_count(db: &accrete::conn::ConnParams) -> i64 {
    let conn = support::connect(db).await;
    let sql = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
               WHERE n.nspname = 'app' AND c.relkind IN ('i', 'I')";
    conn.client.query_one(sql, &[]).await.unwrap().get(0)
}

fn nothing_left(project: &Project, url: &str) {
    let replan = project.plan(url, "after.sql");
    assert_eq!(replan.code, 0, "{}", replan.all());
    assert!(replan.stdout.contains("nothing to plan"), "{}", replan.all());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_half_done_partitioned_index_completes_when_the_same_plan_runs_again() {
    let (db, project, plan) = half_done("partidx-same-plan").await;
    let url = cli::url(&db);
    let applied = project.run(&["apply", plan.to_str().unwrap(), "--db", &url]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert!(root_valid(&db).await);
    // The partitioned table's index, the sub-partitioned partition's, and one per leaf: nothing twice.
    assert_eq!(index_count(&db).await, 5);
    nothing_left(&project, &url);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_half_done_partitioned_index_is_completed_by_a_new_plan_not_rebuilt() {
    let (db, project, _) = half_done("partidx-new-plan").await;
    let url = cli::url(&db);
    let planned = project.plan(&url, "again.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let again = std::fs::read_to_string(project.path("again.sql")).unwrap();
    // The incomplete index is kept and completed: what was built is attached, nothing is built again, and
    // the partition whose index is attached already gets no step. (Step 1's guard drops an invalid index
    // only of another definition; the apply below shows it skips.)
    assert!(!again.contains("rebuild invalid"), "{again}");
    for absent in ["CONCURRENTLY", "readings_2025_eu"] {
        assert!(!again.contains(absent), "the new plan has {absent:?}:\n{again}");
    }
    for present in [
        "-- step 1 · add index app.readings_sensor_idx\n",
        "add index app.readings_2024_sensor_at_idx (reuse, attach to app.readings_sensor_idx)",
        "add index app.readings_2025_sensor_at_idx (reuse, attach to app.readings_sensor_idx)",
        "add index app.readings_2025_us_sensor_at_idx (reuse, attach to app.readings_2025_sensor_at_idx)",
    ] {
        assert!(again.contains(present), "the new plan lacks {present:?}:\n{again}");
    }
    assert!(!again.contains("-- step 5 ·"), "{again}");
    let applied = project.run(&["apply", project.path("again.sql").to_str().unwrap(), "--db", &url]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert!(
        applied.all().contains("add index app.readings_sensor_idx: skipped"),
        "the incomplete index is kept:\n{}",
        applied.all()
    );
    assert!(root_valid(&db).await);
    assert_eq!(index_count(&db).await, 5);
    nothing_left(&project, &url);
}
