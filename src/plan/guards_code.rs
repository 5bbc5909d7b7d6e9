//! Guards for objects defined by code: views, functions and procedures, triggers, rules, policies, and
//! row-level security. "As planned" compares PostgreSQL's own text of the definition, which is what the
//! desired side holds (same major, same session settings).

use super::guards::{State, do_block, execute, gone_or, regclass, skip, text_array, three_way, to_regclass};
use crate::catalog::{
    FiringState, Function, ObjectKind, Policy, QualName, Rule, Trigger, TypeDef, View, quote_ident,
    quote_literal,
};

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

pub(super) fn type_state(t: &TypeDef) -> State {
    let oid = format!("pg_catalog.to_regtype({})", quote_literal(&t.name.sql()));
    let exists = format!("{oid} IS NOT NULL");
    // The same expression inspect builds the definition with, on the type that is there.
    let printed = format!(
        "(SELECT {} FROM pg_catalog.pg_type t WHERE t.oid = {oid})",
        crate::inspect::TYPE_DEFINITION.trim().replace('\n', "\n        ")
    );
    let same = text_is(&printed, &t.definition);
    State { exists, same, object: format!("{} type {}", t.kind, t.name) }
}

pub(super) fn create_type(step: usize, t: &TypeDef) -> String {
    let s = type_state(t);
    three_way(step, &s.exists, &s.same, &s.object, std::slice::from_ref(&t.definition))
}

pub(super) fn function_state(f: &Function) -> State {
    let oid = format!("pg_catalog.to_regprocedure({})", quote_literal(&f.signature));
    let exists = format!("{oid} IS NOT NULL");
    let same = text_is(&format!("pg_catalog.pg_get_functiondef({oid})"), &f.definition);
    State { exists, same, object: format!("{} {}", f.kind, f.signature) }
}

pub(super) fn create_function(step: usize, f: &Function) -> String {
    let s = function_state(f);
    // The printed definition is CREATE OR REPLACE; the guard has already established that nothing is there.
    let ddl = match f.definition.strip_prefix("CREATE OR REPLACE ") {
        Some(rest) => format!("CREATE {rest}"),
        None => f.definition.clone(),
    };
    three_way(step, &s.exists, &s.same, &s.object, &[ddl])
}

fn part_lookup(catalog: &str, table_column: &str, name_column: &str, table: &QualName, name: &str) -> String {
    format!(
        "SELECT x.oid FROM pg_catalog.{catalog} x WHERE x.{table_column} = {} AND x.{name_column} = {}",
        regclass(table),
        quote_literal(name)
    )
}

pub(super) fn trigger_state(table: &QualName, t: &Trigger) -> State {
    let lookup = part_lookup("pg_trigger", "tgrelid", "tgname", table, &t.name) + " AND NOT x.tgisinternal";
    let exists = format!("EXISTS ({lookup})");
    let same = format!("pg_catalog.pg_get_triggerdef(({lookup})) = {}", quote_literal(&t.definition));
    State { exists, same, object: format!("trigger {} on {table}", t.name) }
}

pub(super) fn create_trigger(step: usize, table: &QualName, t: &Trigger) -> String {
    let s = trigger_state(table, t);
    three_way(step, &s.exists, &s.same, &s.object, &trigger_statements(table, t))
}

/// `CREATE TRIGGER`, and the statement that sets its firing state when it is not the default.
pub(super) fn trigger_statements(table: &QualName, t: &Trigger) -> Vec<String> {
    let mut out = vec![t.definition.clone()];
    if !t.enabled.is_enabled() {
        out.push(part_firing_sql(ObjectKind::Trigger, table, &t.name, t.enabled));
    }
    out
}

/// `CREATE RULE`, and the statement that sets its firing state when it is not the default.
pub(super) fn rule_statements(table: &QualName, r: &Rule) -> Vec<String> {
    let mut out = vec![statement(&r.definition).to_string()];
    if !r.enabled.is_enabled() {
        out.push(part_firing_sql(ObjectKind::Rule, table, &r.name, r.enabled));
    }
    out
}

/// `ALTER TABLE t DISABLE TRIGGER x`, `ALTER TABLE t ENABLE REPLICA RULE r` ...
pub(super) fn part_firing_sql(kind: ObjectKind, table: &QualName, name: &str, to: FiringState) -> String {
    to.alter_table_sql(if kind == ObjectKind::Rule { "RULE" } else { "TRIGGER" }, table, name)
}

/// A trigger's or rule's firing state from `from` to `to`, guarded by its code in the catalog.
pub(super) fn set_part_firing(
    step: usize,
    kind: ObjectKind,
    table: &QualName,
    name: &str,
    from: FiringState,
    to: FiringState,
) -> String {
    let (catalog, relation, column, state) = if kind == ObjectKind::Rule {
        ("pg_rewrite", "ev_class", "rulename", "ev_enabled")
    } else {
        ("pg_trigger", "tgrelid", "tgname", "tgenabled")
    };
    let current = format!(
        "(SELECT x.{state} FROM pg_catalog.{catalog} x WHERE x.{relation} = {} AND x.{column} = {})",
        regclass(table),
        quote_literal(name)
    );
    let object = format!("{kind} {name} on {table}");
    super::guards_alter::before_after(
        step,
        &format!("{current} = '{}'", to.code()),
        &format!("{current} = '{}'", from.code()),
        &format!("{object} is already {}", to.word()),
        &format!("{object} was changed since the plan"),
        &[part_firing_sql(kind, table, name, to)],
    )
}

pub(super) fn rule_state(table: &QualName, r: &Rule) -> State {
    let lookup = part_lookup("pg_rewrite", "ev_class", "rulename", table, &r.name);
    let exists = format!("EXISTS ({lookup})");
    let same = format!("pg_catalog.pg_get_ruledef(({lookup})) = {}", quote_literal(&r.definition));
    State { exists, same, object: format!("rule {} on {table}", r.name) }
}

pub(super) fn create_rule(step: usize, table: &QualName, r: &Rule) -> String {
    let s = rule_state(table, r);
    three_way(step, &s.exists, &s.same, &s.object, &rule_statements(table, r))
}

pub(super) fn policy_sql(table: &QualName, p: &Policy) -> String {
    let roles: Vec<String> =
        p.roles.iter().map(|r| if r == "public" { "PUBLIC".to_string() } else { quote_ident(r) }).collect();
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        quote_ident(&p.name),
        table.sql(),
        if p.permissive { "PERMISSIVE" } else { "RESTRICTIVE" },
        p.command,
        roles.join(", ")
    );
    if let Some(using) = &p.using {
        sql.push_str(&format!(" USING ({using})"));
    }
    if let Some(check) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({check})"));
    }
    sql
}

pub(super) fn policy_state(table: &QualName, p: &Policy) -> State {
    let lookup = part_lookup("pg_policy", "polrelid", "polname", table, &p.name);
    let exists = format!("EXISTS ({lookup})");
    let command = match p.command.as_str() {
        "SELECT" => "r",
        "INSERT" => "a",
        "UPDATE" => "w",
        "DELETE" => "d",
        _ => "*",
    };
    let expr = |e: &Option<String>| match e {
        Some(e) => format!("= {}", quote_literal(e)),
        None => "IS NULL".to_string(),
    };
    let same = format!(
        "EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.oid = ({lookup}) AND p.polcmd = {} AND p.polpermissive = {}\n        \
         AND ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END FROM pg_catalog.unnest(p.polroles) r ORDER BY 1) = {}\n        \
         AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) {} AND pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) {})",
        quote_literal(command),
        p.permissive,
        text_array(&p.roles),
        expr(&p.using),
        expr(&p.with_check)
    );
    State { exists, same, object: format!("policy {} on {table}", p.name) }
}

pub(super) fn create_policy(step: usize, table: &QualName, p: &Policy) -> String {
    let s = policy_state(table, p);
    three_way(step, &s.exists, &s.same, &s.object, &[policy_sql(table, p)])
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
        CommentOn::Function(signature, kind) => (
            format!("{} {signature}", kind.to_uppercase()),
            format!(
                "pg_catalog.obj_description(pg_catalog.to_regprocedure({}), 'pg_proc')",
                quote_literal(signature)
            ),
            format!("{kind} {signature}"),
        ),
        CommentOn::Trigger(t, n) => (
            format!("TRIGGER {} ON {}", quote_ident(n), t.sql()),
            format!(
                "pg_catalog.obj_description(({}), 'pg_trigger')",
                part_lookup("pg_trigger", "tgrelid", "tgname", t, n)
            ),
            format!("trigger {n} on {t}"),
        ),
        CommentOn::Rule(t, n) => (
            format!("RULE {} ON {}", quote_ident(n), t.sql()),
            format!(
                "pg_catalog.obj_description(({}), 'pg_rewrite')",
                part_lookup("pg_rewrite", "ev_class", "rulename", t, n)
            ),
            format!("rule {n} on {t}"),
        ),
        CommentOn::Policy(t, n) => (
            format!("POLICY {} ON {}", quote_ident(n), t.sql()),
            format!(
                "pg_catalog.obj_description(({}), 'pg_policy')",
                part_lookup("pg_policy", "polrelid", "polname", t, n)
            ),
            format!("policy {n} on {t}"),
        ),
        other => return super::guards_kinds::comment_target(other),
    })
}
