//! External objects: what the declared objects reference outside the scope (a foreign key to `auth.users`
//! on a hosted platform), listed in `accrete.toml` (`[external] objects`).
//!
//! Their definitions are read from the target, one query per kind (`src/inspect/sql/external_*.sql`, which
//! [`ObjectKind::external`] gives with the words for each kind), as the statements that make a stub of each
//! in the scratch database: enough of the object for the schema files to load against it and for PostgreSQL
//! to print what refers to it as it does on the target (a table's columns and the keys a foreign key can
//! reference; a view's columns; a function's signature and volatility; a type's shape; a schema, which
//! declared objects are then created in). The stubs are an input of normalization like the schema files, so
//! the desired catalog stays a function of (sources, stubs, major); the plan header records each one's
//! digest.
//!
//! Invariants: an external object is never in scope ([`crate::config::FileConfig::scope`] excludes it), so
//! it is never inspected into a comparison, planned, reported or pulled; a listed object the target lacks
//! is an error naming its line in `accrete.toml`; the statements are built under the pinned session
//! settings, so every name in them is qualified; stubs come out in the order of the file.

use crate::catalog::ObjectKind;
use crate::config::file::ExternalObject;
use crate::config::{FileConfig, FileError};
use anyhow::{Context, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tokio_postgres::Client;

/// One external object as the scratch database gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stub {
    pub kind: ObjectKind,
    pub schema: String,
    pub name: String,
    /// The statements that make it (a function's: one per overload), fully qualified.
    pub statements: Vec<String>,
    /// Where `accrete.toml` lists it: the file, line and column.
    pub listed_at: (PathBuf, usize, usize),
}

impl Stub {
    /// `auth.users`; a schema's own name.
    pub fn qualified(&self) -> String {
        crate::config::file::qualified(self.kind, &self.schema, &self.name)
    }

    /// The statements as one script, each ending in `;`.
    pub fn sql(&self) -> String {
        self.statements.iter().map(|s| format!("{s};\n")).collect()
    }

    /// SHA-256 (hex) of [`Stub::sql`]: what the plan assumed of the object.
    pub fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.sql().as_bytes()))
    }

    /// What a plan header records of it.
    pub fn assumed(&self) -> Assumed {
        Assumed { kind: self.kind, name: self.qualified(), digest: self.digest() }
    }
}

/// An external object a plan was made with: its kind, name and the digest of its stub's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumed {
    pub kind: ObjectKind,
    pub name: String,
    pub digest: String,
}

/// The query reading the stubs of external objects of `kind` ([`ObjectKind::external`]).
fn query_of(kind: ObjectKind) -> &'static str {
    match kind.external() {
        Some(external) => external.query,
        None => unreachable!("accrete.toml admits no external {kind}"),
    }
}

#[derive(Deserialize)]
struct Row {
    schema: String,
    name: String,
    statements: Vec<String>,
}

/// Reads the definitions of the objects `file` lists in `[external]` from the target behind `client`: one
/// query per kind listed. Fails naming every listed object the target lacks, at its line in the file.
pub async fn fetch(client: &Client, file: &FileConfig) -> Result<Vec<Stub>> {
    let objects = &file.external.objects;
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    client
        .batch_execute(&crate::session::set_batch())
        .await
        .context("applying the session settings before reading external objects")?;
    let mut by_kind: BTreeMap<ObjectKind, Vec<&ExternalObject>> = BTreeMap::new();
    for object in objects {
        by_kind.entry(object.kind).or_default().push(object);
    }
    let mut found: BTreeMap<(ObjectKind, String, String), Vec<String>> = BTreeMap::new();
    for (kind, listed) in by_kind {
        let schemas: Vec<&str> = listed.iter().map(|o| o.schema.as_str()).collect();
        let names: Vec<&str> = listed.iter().map(|o| o.name.as_str()).collect();
        let rows = client
            .query(query_of(kind), &[&schemas, &names])
            .await
            .with_context(|| format!("reading the definitions of external {kind} objects"))?;
        for row in rows {
            let text: &str = row.get(0);
            let row: Row = serde_json::from_str(text)
                .with_context(|| format!("external {kind} query: unexpected row {text}"))?;
            found.insert((kind, row.schema, row.name), row.statements);
        }
    }
    let path = file.path.clone().unwrap_or_else(|| PathBuf::from(crate::config::file::FILE_NAME));
    let mut stubs = Vec::new();
    let mut missing = Vec::new();
    for object in objects {
        let key = (object.kind, object.schema.clone(), object.name.clone());
        match found.get(&key) {
            Some(statements) => stubs.push(Stub {
                kind: object.kind,
                schema: object.schema.clone(),
                name: object.name.clone(),
                statements: statements.clone(),
                listed_at: (path.clone(), object.line, object.col),
            }),
            None => missing.push(missing_error(object, &path).to_string()),
        }
    }
    if !missing.is_empty() {
        anyhow::bail!("{}", missing.join("\n"));
    }
    Ok(stubs)
}

fn missing_error(object: &ExternalObject, path: &std::path::Path) -> FileError {
    let what = object.kind.external().map_or(object.kind.word(), |external| external.described);
    FileError {
        path: path.to_path_buf(),
        line: object.line,
        col: object.col,
        code: "external-missing",
        message: format!(
            "\"{}\" is listed as external, but the target has no {what} {}",
            object.pattern(),
            object.qualified()
        ),
        help: "external objects are read from the target: check the name and kind (schema, table, view, \
               function, enum, type), create the object there, or remove the entry from [external] objects"
            .to_string(),
    }
}
