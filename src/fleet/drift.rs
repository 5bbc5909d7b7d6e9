//! `drift` over a selection: each target inspected (within `--timeout`), compared with the desired state
//! normalized once, and reported per target and in a summary; the exit code is the highest of the
//! targets'.

use super::DesiredFiles;
use super::normalizer::Normalizer;
use super::{Limits, Member, Selection, report};
use crate::drift::Category;
use anyhow::{Context, Result, anyhow};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the fleet report is printed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Text,
    /// JSON Lines: one drift document per target.
    Json,
    Markdown,
}

/// One fleet drift run.
pub struct DriftRun {
    pub desired: DesiredFiles,
    pub selection: Selection,
    pub limits: Limits,
    pub fail_on: Vec<Category>,
    pub output: Output,
    pub metrics: Option<PathBuf>,
    /// `-q`: no text report.
    pub quiet: bool,
}

/// One target's outcome.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    /// 0 in sync, 2 drift, 1 error.
    pub exit: u8,
    pub error: Option<String>,
    /// Objects per drift category (empty on error).
    pub counts: BTreeMap<&'static str, usize>,
    /// Its JSON line: the drift document with `target.name` and `exit`, or `error`.
    pub document: serde_json::Value,
    /// The text report of a target that drifted.
    pub text: String,
    pub elapsed: Duration,
}

/// The categories as the drift document names them.
pub const CATEGORIES: [&str; 6] =
    ["missing", "extra", "changed", "likely_renames", "equivalent_other_name", "unmodeled"];

/// Runs drift over the selection, prints the report and writes the metrics; the exit code.
pub async fn drift(run: DriftRun) -> Result<u8> {
    let members = super::selected(&run.desired.file, &run.selection, run.limits.timeout).await?;
    let ignored = crate::drift::Ignored(
        run.desired
            .source
            .statements
            .iter()
            .filter(|s| s.treatment == crate::source::Treatment::IgnoredOwner)
            .map(|s| ("owner".to_string(), s.summary.clone()))
            .collect(),
    );
    let normalizer = Normalizer::new(run.desired.clone());
    let checked = super::each(&members, run.limits.jobs, "drift", |m| {
        check(m, &normalizer, run.limits, &run.fail_on, &ignored)
    })
    .await;
    tracing::info!(loaded = normalizer.loaded().await, "scratch databases the desired state was loaded into");
    normalizer.close().await;
    match run.output {
        Output::Json => print!("{}", report::json_lines(&checked)),
        Output::Markdown => print!("{}", report::markdown(&checked)),
        Output::Text if run.quiet => {}
        Output::Text => print!("{}", report::text(&checked)),
    }
    if let Some(path) = &run.metrics {
        report::write_metrics(path, &checked)?;
    }
    Ok(checked.iter().map(|c| c.exit).max().unwrap_or(0))
}

/// A target as read: its catalog, its stubs of the external objects, and the versions its server offers of
/// the extensions a snapshot of its major lists (`None` without a snapshot to use).
pub(super) struct Live {
    pub inspected: crate::inspect::Inspected,
    pub stubs: Vec<crate::external::Stub>,
    pub extensions: Option<BTreeMap<String, String>>,
}

/// Connects to `member` and reads it ([`Live`]), at most `timeout`. With `role` (`plan --role`), as
/// single-target commands do: `SET ROLE` first, so that the catalog is read as the role the plan is made
/// for (its default privileges, what it owns).
pub(super) async fn inspect_live(
    member: &Member,
    normalizer: &Normalizer,
    timeout: Duration,
    application: &str,
    role: Option<&str>,
) -> Result<Live> {
    let params = member.params.clone().map_err(|e| anyhow!(e))?;
    let scope = member.scope(&normalizer.file);
    let work = async {
        let conn = crate::conn::connect(&params, application).await?;
        if let Some(role) = role {
            conn.client
                .batch_execute(&format!("SET ROLE {}", crate::catalog::quote_ident(role)))
                .await
                .with_context(|| format!("SET ROLE {role}"))?;
        }
        let inspected = crate::inspect::inspect(&conn.client, &scope).await?;
        let stubs = crate::external::fetch(&conn.client, &normalizer.file).await?;
        let extensions = match member.tenant {
            Some(_) => None,
            None => match normalizer.snapshot_extensions(inspected.server.major) {
                Some(names) => Some(crate::snapshot::extension_versions(&conn.client, &names).await?),
                None => None,
            },
        };
        anyhow::Ok(Live { inspected, stubs, extensions })
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(anyhow!("no answer within {} s (--timeout)", timeout.as_secs_f64())),
    }
}

async fn check(
    member: Member,
    normalizer: &Normalizer,
    limits: Limits,
    fail_on: &[Category],
    ignored: &crate::drift::Ignored,
) -> Checked {
    let started = Instant::now();
    let result = async {
        let Live { inspected: mut live, stubs, extensions } =
            inspect_live(&member, normalizer, limits.timeout, "accrete/drift", None).await?;
        let used =
            normalizer.desired(&member, &live.server, &stubs, extensions.as_ref(), &mut live.catalog).await?;
        let scope = member.scope(&normalizer.file);
        let mut comparison = crate::diff::compare(&used.desired.catalog, &live.catalog, &scope);
        crate::snapshot::align::mark_unconfirmed(&mut comparison, &used.unconfirmed);
        anyhow::Ok((live.server, comparison))
    }
    .await;
    let elapsed = started.elapsed();
    match result {
        Ok((server, c)) => {
            let target = crate::drift::Target {
                database: server.database.clone(),
                server_version: server.version.clone(),
                system_identifier: server.system_identifier.clone(),
            };
            let exit = if crate::drift::has_drift(&c, fail_on) { 2 } else { 0 };
            let mut document: serde_json::Value =
                serde_json::from_str(&crate::drift::json(&target, &c, ignored)).expect("the drift document");
            let counts: BTreeMap<&'static str, usize> = CATEGORIES
                .iter()
                .map(|cat| {
                    let n = match &document[*cat] {
                        serde_json::Value::Array(a) => a.len(),
                        serde_json::Value::Object(o) => o.len(),
                        _ => 0,
                    };
                    (*cat, n)
                })
                .collect();
            document["target"]["name"] = member.name.clone().into();
            document["exit"] = exit.into();
            let text = if exit == 0 { String::new() } else { crate::drift::text(&target, &c) };
            Checked { name: member.name, exit, error: None, counts, document, text, elapsed }
        }
        Err(e) => {
            let error = format!("{e:#}");
            let document = serde_json::json!({
                "format_version": crate::drift::FORMAT_VERSION,
                "target": { "name": member.name },
                "exit": 1,
                "error": error,
            });
            Checked {
                name: member.name,
                exit: 1,
                error: Some(error),
                counts: BTreeMap::new(),
                document,
                text: String::new(),
                elapsed,
            }
        }
    }
}
