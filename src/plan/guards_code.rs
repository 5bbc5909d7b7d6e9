//! Row-level security's guards, and what the guards of objects defined by code share (views, functions,
//! types, triggers, rules and policies have theirs in `plan/kinds/`): "as planned" compares PostgreSQL's
//! own text of the definition, which is what the desired side holds (same major, same session settings).

use super::guards::{do_block, execute, gone_or, skip, to_regclass};
use crate::catalog::QualName;

/// "The text PostgreSQL prints for it has this SHA-256": compares a long definition without repeating it
/// in the plan (the DDL shows it once).
pub(super) fn text_is(printed: &str, text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!(
        "pg_catalog.sha256(pg_catalog.convert_to({printed}, 'UTF8')) = '\\x{}'::bytea",
        hex::encode(Sha256::digest(text.as_bytes()))
    )
}

/// `;` and white space at the end of a printed definition, which a statement must not carry.
pub(super) fn statement(definition: &str) -> &str {
    definition.trim_end().trim_end_matches(';').trim_end()
}

pub(super) fn row_security(step: usize, table: &QualName, force: bool, on: bool) -> String {
    let (column, what) = match (force, on) {
        (true, true) => ("relforcerowsecurity", "forced"),
        (false, true) => ("relrowsecurity", "enabled"),
        (true, false) => ("relforcerowsecurity", "not forced"),
        (false, false) => ("relrowsecurity", "disabled"),
    };
    // Done when the flag already has the value the step gives it; either value is a state the step knows.
    let flag = if on { format!("c.{column}") } else { format!("NOT c.{column}") };
    let done = format!("(SELECT {flag} FROM pg_catalog.pg_class c WHERE c.oid = {})", to_regclass(table));
    let (done, gone) = match on {
        true => (done, ""),
        // Turned off: a table that is gone has nothing left to turn off (a rollback run again after its drop).
        false => (gone_or(table, true, &done), " (or it is gone)"),
    };
    do_block(&format!(
        "  IF {done} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        skip(step, &format!("row level security on {table} is {what}{gone}")),
        execute(&row_security_sql(table, force, on))
    ))
}

pub(super) fn row_security_sql(table: &QualName, force: bool, on: bool) -> String {
    let verb = match (force, on) {
        (true, true) => "FORCE",
        (false, true) => "ENABLE",
        (true, false) => "NO FORCE",
        (false, false) => "DISABLE",
    };
    format!("ALTER TABLE {} {verb} ROW LEVEL SECURITY", table.sql())
}
