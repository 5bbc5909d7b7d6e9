//! Roles for the scratch database. Roles belong to a server, not a database, and accrete does not manage
//! them; but a schema that grants to a role must load. So, on accrete's own scratch cluster only (never on a
//! `--dev-url` server, never on a target), every role the schema files mention that the target has and the
//! cluster lacks is created first, `NOLOGIN`, with no privileges of its own.
//!
//! "Mentions" is read generously: every identifier in the statements (unquoted ones folded to lower case,
//! quoted ones as written) that names a role of the target. One more role in a throwaway cluster costs
//! nothing; one fewer fails the load.

use crate::catalog::quote_ident;
use crate::conn::{ConnParams, connect};
use crate::source::Source;
use anyhow::{Context, Result};
use std::collections::BTreeSet;

/// Identifiers in `sql`: unquoted words lower-cased, quoted identifiers as written.
fn identifiers(sql: &str, out: &mut BTreeSet<String>) {
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut name = String::new();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        name.push('"');
                        continue;
                    }
                    break;
                }
                name.push(c);
            }
            out.insert(name);
        } else if c.is_alphabetic() || c == '_' {
            let mut word: String = c.to_lowercase().collect();
            while let Some(&c) = chars.peek() {
                if !(c.is_alphanumeric() || c == '_' || c == '$') {
                    break;
                }
                word.extend(c.to_lowercase());
                chars.next();
            }
            out.insert(word);
        }
    }
}

/// Every identifier in the statements of `source` (see [`identifiers`]).
pub(super) fn words(source: &Source) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for statement in &source.statements {
        identifiers(&statement.sql, &mut words);
    }
    words
}

/// Creates, in the cluster behind `admin`, the roles of `target_roles` that `source` mentions and the
/// cluster lacks. Returns their names.
pub async fn create_mentioned(
    admin: &ConnParams,
    source: &Source,
    target_roles: &BTreeSet<String>,
) -> Result<Vec<String>> {
    let texts: Vec<&str> = source.statements.iter().map(|s| s.sql.as_str()).collect();
    mentioned_and_absent(admin, &texts, target_roles, true).await
}

/// The roles of `target_roles` that `texts` mention and the cluster behind `admin` lacks: created there
/// (`NOLOGIN`) when `create`, else only named.
pub async fn mentioned_and_absent(
    admin: &ConnParams,
    texts: &[&str],
    target_roles: &BTreeSet<String>,
    create: bool,
) -> Result<Vec<String>> {
    let mut words = BTreeSet::new();
    for text in texts {
        identifiers(text, &mut words);
    }
    let wanted: Vec<&String> = target_roles.iter().filter(|r| words.contains(*r)).collect();
    if wanted.is_empty() {
        return Ok(vec![]);
    }
    let conn = connect(admin, "accrete/normalize").await.context("connecting to the scratch cluster")?;
    let rows = conn
        .client
        .query("SELECT rolname::text FROM pg_catalog.pg_roles", &[])
        .await
        .context("reading the scratch cluster's roles")?;
    let present: BTreeSet<String> = rows.iter().map(|r| r.get(0)).collect();
    let absent: Vec<String> = wanted.into_iter().filter(|r| !present.contains(*r)).cloned().collect();
    if !create {
        return Ok(absent);
    }
    for role in &absent {
        // Another accrete process may create the same role at the same moment.
        // The role's name comes from the schema files: the body's tag must not occur in it.
        let body = format!(
            " BEGIN CREATE ROLE {} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END ",
            quote_ident(role)
        );
        let sql = format!("DO {}", crate::escape::dollar_quote(&body, "accrete"));
        conn.client
            .batch_execute(&sql)
            .await
            .with_context(|| format!("creating role {role} in the scratch cluster"))?;
    }
    Ok(absent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_identifiers_like_postgres() {
        let mut out = BTreeSet::new();
        identifiers("GRANT SELECT ON app.t TO Reader, \"Mixed \"\"Case\"\"\" -- x", &mut out);
        let words: Vec<&str> = out.iter().map(String::as_str).collect();
        assert_eq!(words, ["Mixed \"Case\"", "app", "grant", "on", "reader", "select", "t", "to", "x"]);
    }
}
