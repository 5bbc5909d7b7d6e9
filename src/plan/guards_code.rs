//! Guards for views and row-level security, and what the guards of objects defined by code share
//! (functions, types, triggers, rules and policies have theirs in `plan/kinds/`). "As planned" compares
//! PostgreSQL's own text of the definition, which is what the desired side holds (same major, same
//! session settings).

use super::guards::{State, do_block, execute, gone_or, regclass, skip, three_way, to_regclass};
use crate::catalog::{QualName, View, quote_literal};

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

pub(super) fn view_state(v: &View) -> State {
    let relkind = if v.materialized { "m" } else { "v" };
    let exists = format!("{} IS NOT NULL", to_regclass(&v.name));
    let same = format!(
        "(SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = {}) = {}\n       AND {}",
        regclass(&v.name),
        quote_literal(relkind),
        text_is(&format!("pg_catalog.pg_get_viewdef({})", regclass(&v.name)), &v.definition)
    );
    State { exists, same, object: format!("{} {}", v.kind_word(), v.name) }
}

/// `CREATE [MATERIALIZED] VIEW ... [WITH (...)] AS ...`.
pub(super) fn view_sql(v: &View) -> String {
    let with = if v.options.is_empty() { String::new() } else { format!(" WITH ({})", v.options.join(", ")) };
    format!(
        "CREATE {}VIEW {}{with} AS\n{}",
        if v.materialized { "MATERIALIZED " } else { "" },
        v.name.sql(),
        // Printed text made a fixed point of loading and printing (`viewdef`), so the view made prints as
        // the desired state does.
        statement(&super::viewdef::pin_unnamed_columns(&v.definition))
    )
}

pub(super) fn create_view(step: usize, v: &View) -> String {
    let s = view_state(v);
    three_way(step, &s.exists, &s.same, &s.object, &[view_sql(v)])
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

/// `COMMENT ON` target, current comment expression, and object words, for the kinds of this file.
pub(super) fn comment_target(on: &crate::diff::CommentOn) -> Option<(String, String, String)> {
    use crate::diff::CommentOn;
    Some(match on {
        CommentOn::View(v, materialized) => (
            format!("{}VIEW {}", if *materialized { "MATERIALIZED " } else { "" }, v.sql()),
            format!("pg_catalog.obj_description({}, 'pg_class')", regclass(v)),
            format!("view {v}"),
        ),
        other => return super::guards_kinds::comment_target(other),
    })
}
