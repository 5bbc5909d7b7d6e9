//! The apply connection and the checks on what it reached: the planned server and database, a primary
//! (not a standby), the role; then the session as the plan sets it up.
//!
//! Invariant: what is printed about a target is host, port, database, server version and system
//! identifier; never a password or a full connection string.

use super::ApplyOptions;
use crate::catalog::quote_ident;
use crate::conn::{ConnParams, Connection};
use crate::planfile::PlanFile;
use anyhow::{Context, Result};

/// What the connection reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    pub server_version: String,
    pub server_version_num: i32,
    pub database: String,
    /// Empty when `pg_control_system()` is not executable for the role.
    pub system_identifier: String,
    pub in_recovery: bool,
}

impl TargetInfo {
    pub async fn read(conn: &Connection) -> Result<TargetInfo> {
        let row = conn
            .client
            .query_one(
                "SELECT split_part(current_setting('server_version'), ' ', 1),
                        current_setting('server_version_num')::int,
                        current_database()::text,
                        CASE WHEN has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')
                             THEN (SELECT s.system_identifier::text FROM pg_catalog.pg_control_system() s)
                             ELSE '' END,
                        pg_is_in_recovery()",
                &[],
            )
            .await
            .context("reading the target's server version and system identifier")?;
        Ok(TargetInfo {
            server_version: row.get(0),
            server_version_num: row.get(1),
            database: row.get(2),
            system_identifier: row.get(3),
            in_recovery: row.get(4),
        })
    }

    /// `target: host:port, database "app", PostgreSQL 15.18, system identifier N`
    pub fn describe(&self, params: &ConnParams) -> String {
        let id = if self.system_identifier.is_empty() { "not readable" } else { &self.system_identifier };
        format!(
            "target: {}, database {}, PostgreSQL {}, system identifier {id}",
            params.host_port(),
            json(&self.database),
            self.server_version
        )
    }
}

/// Why the connection may not be used for this plan; `None` when it may.
pub fn refusal(plan: &PlanFile, info: &TargetInfo, opts: &ApplyOptions) -> Option<String> {
    if info.in_recovery {
        return Some(
            "the target is a standby (pg_is_in_recovery() is true): apply to the primary".to_string(),
        );
    }
    if let (Some(planned), Some(given)) = (&plan.role, &opts.role) {
        if planned != given {
            return Some(format!(
                "the plan sets role {} but --role names {}: new objects would get another owner than reviewed\n  \
             help: apply with --role {} (or without --role)",
                json(planned),
                json(given),
                quote_ident(planned)
            ));
        }
    }
    target_refusal(plan, info, opts)
}

/// A different server or database, unless `--other-target`.
fn target_refusal(plan: &PlanFile, info: &TargetInfo, opts: &ApplyOptions) -> Option<String> {
    if opts.other_target {
        return None;
    }
    let planned = &plan.target;
    let mut differences = Vec::new();
    if info.system_identifier.is_empty() {
        differences.push(format!(
            "system identifier not readable here (pg_control_system() is not executable), planned {}",
            planned.system_identifier
        ));
    } else if info.system_identifier != planned.system_identifier {
        differences.push(format!(
            "system identifier {}, planned {}",
            info.system_identifier, planned.system_identifier
        ));
    }
    if info.database != planned.database {
        differences.push(format!("database {}, planned {}", json(&info.database), json(&planned.database)));
    }
    if differences.is_empty() {
        return None;
    }
    Some(format!(
        "the target is not the one this plan was made against: {}\n  help: pass --other-target to apply it \
         here anyway (each touched object is still checked against the plan)",
        differences.join("; ")
    ))
}

/// Sets the role (`--role`) and runs the plan's preamble (its pinned session settings).
pub async fn set_up_session(conn: &Connection, plan: &PlanFile, opts: &ApplyOptions) -> Result<()> {
    if let Some(role) = &opts.role {
        let sql = format!("SET ROLE {}", quote_ident(role));
        conn.client.simple_query(&sql).await.with_context(|| format!("{sql} (--role)"))?;
    }
    for stmt in &plan.preamble {
        conn.client
            .simple_query(&stmt.text)
            .await
            .with_context(|| format!("line {}: {}", stmt.line, stmt.first_line()))?;
    }
    Ok(())
}

/// A name as a JSON string, as the plan file writes names.
fn json(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planfile::PlannedTarget;

    fn plan(role: Option<&str>) -> PlanFile {
        PlanFile {
            format: 1,
            catalog_format: 1,
            plan_id: "0123456789abcdef".into(),
            rollback_of: None,
            checksum: String::new(),
            target: PlannedTarget {
                system_identifier: "7301234567890123456".into(),
                database: "app".into(),
                server_version_num: 150018,
            },
            preamble: Vec::new(),
            role: role.map(str::to_string),
            segments: Vec::new(),
            manifest: Vec::new(),
        }
    }

    fn info() -> TargetInfo {
        TargetInfo {
            server_version: "15.18".into(),
            server_version_num: 150018,
            database: "app".into(),
            system_identifier: "7301234567890123456".into(),
            in_recovery: false,
        }
    }

    #[test]
    fn the_planned_target_passes() {
        assert_eq!(refusal(&plan(None), &info(), &ApplyOptions::default()), None);
        let newer = TargetInfo { server_version_num: 150019, ..info() };
        assert_eq!(refusal(&plan(None), &newer, &ApplyOptions::default()), None);
    }

    #[test]
    fn another_server_or_database_needs_other_target() {
        let other = TargetInfo { system_identifier: "1".into(), database: "app2".into(), ..info() };
        let reason = refusal(&plan(None), &other, &ApplyOptions::default()).unwrap();
        assert!(reason.contains("system identifier 1, planned 7301234567890123456"), "{reason}");
        assert!(reason.contains("database \"app2\", planned \"app\""), "{reason}");
        assert!(reason.contains("--other-target"), "{reason}");
        let unreadable = TargetInfo { system_identifier: String::new(), ..info() };
        let reason = refusal(&plan(None), &unreadable, &ApplyOptions::default()).unwrap();
        assert!(reason.contains("not readable"), "{reason}");
        let opts = ApplyOptions { other_target: true, ..Default::default() };
        assert_eq!(refusal(&plan(None), &other, &opts), None);
    }

    #[test]
    fn a_standby_is_refused_even_with_other_target() {
        let standby = TargetInfo { in_recovery: true, ..info() };
        let opts = ApplyOptions { other_target: true, ..Default::default() };
        let reason = refusal(&plan(None), &standby, &opts).unwrap();
        assert!(reason.contains("standby"), "{reason}");
    }

    #[test]
    fn a_role_other_than_the_planned_one_is_refused() {
        let opts = ApplyOptions { role: Some("deployer".into()), ..Default::default() };
        let reason = refusal(&plan(Some("owner")), &info(), &opts).unwrap();
        assert!(reason.contains("--role owner"), "{reason}");
        let same = ApplyOptions { role: Some("owner".into()), ..Default::default() };
        assert_eq!(refusal(&plan(Some("owner")), &info(), &same), None);
        assert_eq!(refusal(&plan(None), &info(), &opts), None);
    }
}
