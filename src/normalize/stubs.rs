//! Stubs of external objects ([`crate::external`]) created in the scratch database.
//!
//! They are created after the first pass over the schema files and before any retry: every statement that
//! needs one has failed for want of it by then and is retried with it present, while a file's own
//! `CREATE SCHEMA` of the schema they live in, or a cleanup `DROP ... IF EXISTS` at the top of a dump, has
//! already run. A stub's schema is created when missing. Stubs are made in rounds, so one that needs another
//! (a table whose column has an external enum type) waits for it; one that still cannot be made is an error
//! at its line in `accrete.toml`, saying what else to list.

use crate::conn::Connection;
use crate::external::Stub;
use crate::source::{Diagnostic, Origin};
use std::collections::BTreeSet;
use std::path::Path;
use tokio_postgres::error::DbError;

/// Creates `stubs` in the database behind `conn`; the session settings are left pinned.
pub(super) async fn create(conn: &mut Connection, stubs: &[Stub]) -> Result<(), Vec<Diagnostic>> {
    if stubs.is_empty() {
        return Ok(());
    }
    let schemas: BTreeSet<&str> = stubs.iter().map(|s| s.schema.as_str()).collect();
    let mut setup = format!("RESET ALL;\n{}", crate::session::set_batch());
    for schema in schemas {
        setup.push_str(&format!("CREATE SCHEMA IF NOT EXISTS {};\n", crate::catalog::quote_ident(schema)));
    }
    conn.client.batch_execute(&setup).await.map_err(|e| vec![connection(e)])?;
    let mut pending: Vec<&Stub> = stubs.iter().collect();
    let mut errors: Vec<(&Stub, DbError)> = Vec::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut retry = Vec::new();
        errors.clear();
        for stub in pending {
            // One simple query: the stub's statements in one implicit transaction, all or nothing.
            match conn.client.batch_execute(&stub.sql()).await {
                Ok(()) => {}
                Err(e) => match e.as_db_error() {
                    Some(db) if super::load::is_dependency_error(db) => {
                        retry.push(stub);
                        errors.push((stub, db.clone()));
                    }
                    Some(db) => return Err(vec![diagnostic(stub, db)]),
                    None => return Err(vec![connection(e)]),
                },
            }
        }
        pending = retry;
        if pending.len() == before {
            break;
        }
    }
    conn.drain_notices();
    if errors.is_empty() { Ok(()) } else { Err(errors.iter().map(|(stub, e)| diagnostic(stub, e)).collect()) }
}

fn diagnostic(stub: &Stub, error: &DbError) -> Diagnostic {
    let (path, line, col) = &stub.listed_at;
    let message = format!(
        "the stub of external {} {} cannot be made in the scratch database: {} (SQLSTATE {})",
        stub.kind,
        stub.qualified(),
        error.message(),
        error.code().code()
    );
    let help = match error.code().code() {
        "42P07" | "42710" | "42723" => {
            "the schema files create it too: an object is declared or external, not both; remove it from the \
             files or from [external] objects"
                .to_string()
        }
        _ if super::load::is_dependency_error(error) => format!(
            "list what it needs in [external] objects too (e.g. \"type:...\" or \"enum:...\" for a column's \
             type); its definition on the target: {}",
            stub.statements.join("; ")
        ),
        _ => format!("its definition on the target: {}", stub.statements.join("; ")),
    };
    let origin = Origin::new(path, *line as u32, *col as u32);
    Diagnostic::error("external-stub", message).at(Path::new(""), origin).help(help)
}

fn connection(e: tokio_postgres::Error) -> Diagnostic {
    Diagnostic::error("scratch-connection", format!("scratch database: {e}"))
}
