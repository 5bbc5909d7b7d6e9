//! The checked-in example plan (`plans/example.sql`) is the plan of `schema/` against an empty database,
//! regenerated here so it never goes stale. Lines that depend on the target (server version, system
//! identifier, plan id, checksum, the proof line's database and version) are masked in the comparison. `ACCRETE_UPDATE_EXAMPLE=1` rewrites it.

use crate::cli::{self, Project};
use crate::support;
use std::path::Path;

fn masked(text: &str) -> String {
    text.lines()
        .map(|line| {
            for prefix in [
                "-- accrete plan ",
                "-- target:",
                "-- normalized on:",
                "-- tool:",
                "-- proven:",
                "-- accrete:plan-id",
                "-- accrete:target",
                "-- accrete:checksum",
            ] {
                if line.starts_with(prefix) {
                    return format!("{prefix}<masked>");
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_plan_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let db = support::fresh_db("example").await;
    let project = Project::new("example", root);
    let out = project.plan(&cli::url(&db), "example.sql");
    assert_eq!(out.code, 0, "{}", out.all());
    let fresh = std::fs::read_to_string(project.path("example.sql")).unwrap();
    let checked_in = root.join("plans").join("example.sql");
    if std::env::var("ACCRETE_UPDATE_EXAMPLE").is_ok_and(|v| v == "1") {
        std::fs::write(&checked_in, &fresh).unwrap();
    }
    let current = std::fs::read_to_string(&checked_in).unwrap_or_default();
    assert!(
        masked(&current) == masked(&fresh),
        "plans/example.sql is stale: regenerate it with ACCRETE_UPDATE_EXAMPLE=1 cargo test the_example_plan_is_current"
    );
    // And it applies: the example schema is real.
    let applied =
        project.run(&["apply", project.path("example.sql").to_str().unwrap(), "--db", &cli::url(&db)]);
    assert_eq!(applied.code, 0, "{}", applied.all());
}
