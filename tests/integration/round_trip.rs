//! What a `pull` round trip checks, shared by the pull tests and the fixture round trips: pull in both
//! formats, then plan, drift and pull again against the same database.

#![allow(dead_code)]

use crate::cli::Project;
use crate::support;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir` with its bytes, by relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("reading {}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Loads a schema directory into `db` the way normalization does (any order, retries), beside the stubs of
/// the external objects the fixture's `accrete.toml` lists, read from `external_from`.
pub async fn load_schema(
    db: &accrete::conn::ConnParams,
    dir: &Path,
    fixture: &Path,
    external_from: Option<&accrete::conn::ConnParams>,
) {
    let mut source = accrete::source::load(dir).unwrap_or_else(|e| panic!("reading {}:\n{e}", dir.display()));
    let file = accrete::config::load_file(fixture).expect("the fixture's accrete.toml");
    source.search_path = file.source.search_path.clone();
    let stubs = match external_from {
        Some(live) => {
            let conn = support::connect(live).await;
            accrete::external::fetch(&conn.client, &file).await.expect("external objects on the live state")
        }
        None => Vec::new(),
    };
    let mut conn = support::connect(db).await;
    if let Err(e) = accrete::normalize::load_with_external(&mut conn, &source, &stubs, &file.scope()).await {
        panic!("loading {}:\n{e}", dir.display());
    }
}

/// Pull in both formats, then plan, drift and pull again; panics naming what failed.
pub fn round_trip(project: &Project, url: &str) {
    for format in ["sql", "toml"] {
        let pulled = format!("pulled-{format}");
        let out = project.run(&["pull", "--db", url, "--schema-dir", &pulled, "--format", format]);
        assert_eq!(out.code, 0, "pull --format {format}:\n{}", out.all());
        let plan_out = project.path(&format!("{format}.plan.sql"));
        let plan =
            project.run(&["plan", "--db", url, "--schema-dir", &pulled, "--out", plan_out.to_str().unwrap()]);
        let written = std::fs::read_to_string(&plan_out).unwrap_or_default();
        assert!(
            plan.code == 0 && plan.stdout.contains("nothing to plan"),
            "plan against the pulled {format} files has steps:\n{}\n{written}",
            plan.all()
        );
        let drift = project.run(&["drift", "--db", url, "--schema-dir", &pulled]);
        assert_eq!(drift.code, 0, "drift against the pulled {format} files:\n{}", drift.all());
        let again = format!("again-{format}");
        let out = project.run(&["pull", "--db", url, "--schema-dir", &again, "--format", format]);
        assert_eq!(out.code, 0, "second pull --format {format}:\n{}", out.all());
        let (first, second) = (read_tree(&project.path(&pulled)), read_tree(&project.path(&again)));
        assert!(first == second, "two pulls in {format} differ");
    }
}
