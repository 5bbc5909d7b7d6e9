//! Schemas, extensions, enums, sequences, and the kinds whose definition is a `sql` string (views,
//! functions, procedures, domains, types): how their TOML reads, and the SQL it becomes.

use super::Out;
use super::layout::Sql;
use super::names;
use super::node::{Ctx, Node, Text, in_file_order};
use super::sql_value::Want;
use crate::catalog::{QualName, quote_ident, quote_literal};
use ::toml::de::{DeTable, DeValue};
use std::ops::Range;

/// An object named `[kind.schema.name]` (or `[kind.name]`).
pub(crate) struct Object<'t, 'i> {
    pub name: QualName,
    /// The span of the key that names it.
    pub key: Range<usize>,
    pub table: &'t DeTable<'i>,
}

/// `[schema.NAME]` and `[extension.NAME]`.
pub(crate) fn single_level(ctx: &mut Ctx<'_>, out: &mut Out, kind: &str, entries: &DeTable<'_>) {
    for (key, value) in in_file_order(entries) {
        let name = key.get_ref().to_string();
        let DeValue::Table(table) = value.get_ref() else {
            let message = format!("{kind} `{name}` must be a table, not a {}", value.get_ref().type_str());
            let help = format!("write a [{kind}.{}] section (it may be empty)", names::part(&name));
            ctx.error("toml-wrong-type", &value.span(), message, help);
            continue;
        };
        match kind {
            "schema" => schema(ctx, out, &name, key.span(), table),
            _ => extension(ctx, out, &name, key.span(), table),
        }
    }
}

/// The objects under `[kind.SCHEMA.NAME]`, in file order.
pub(crate) fn two_level<'t, 'i>(
    ctx: &mut Ctx<'_>,
    kind: &str,
    entries: &'t DeTable<'i>,
) -> Vec<Object<'t, 'i>> {
    let mut objects = Vec::new();
    for (schema_key, schema_value) in in_file_order(entries) {
        let schema = schema_key.get_ref().to_string();
        let DeValue::Table(in_schema) = schema_value.get_ref() else {
            let message = format!(
                "`{kind}.{schema}` must hold {kind}s by name, not a {}",
                schema_value.get_ref().type_str()
            );
            let help = format!(
                "name each {kind} by schema and name: [{kind}.SCHEMA.NAME], e.g. [{kind}.public.{schema}]"
            );
            ctx.error("toml-wrong-type", &schema_key.span(), message, help);
            continue;
        };
        for (key, value) in in_file_order(in_schema) {
            let name = QualName::new(schema.clone(), key.get_ref().to_string());
            match value.get_ref() {
                DeValue::Table(table) => objects.push(Object { name, key: key.span(), table }),
                other => {
                    let message = format!(
                        "`{kind}.{}.{}` must be a table, not a {}: {kind}s are named [{kind}.SCHEMA.NAME]",
                        names::part(&schema),
                        names::part(&name.name),
                        other.type_str()
                    );
                    let help = format!("write [{kind}.SCHEMA.NAME] and put `{}` inside it", key.get_ref());
                    ctx.error("toml-wrong-type", &key.span(), message, help);
                }
            }
        }
    }
    objects.sort_by_key(|o| o.key.start);
    objects
}

fn schema(ctx: &mut Ctx<'_>, out: &mut Out, name: &str, key: Range<usize>, table: &DeTable<'_>) {
    let node = Node::new(ctx, format!("schema `{name}`"), key, table, &["comment"]);
    let mut sql = Sql::new(node.key_pos(ctx));
    // `public` exists in every new database: declaring it is about its comment.
    let create = if name == "public" { "CREATE SCHEMA IF NOT EXISTS" } else { "CREATE SCHEMA" };
    sql.word(create).word(&quote_ident(name));
    out.statement(ctx, &sql, format!("CREATE SCHEMA {name}"));
    comment(ctx, out, &node, &format!("SCHEMA {}", quote_ident(name)), &format!("SCHEMA {name}"));
}

fn extension(ctx: &mut Ctx<'_>, out: &mut Out, name: &str, key: Range<usize>, table: &DeTable<'_>) {
    let node = Node::new(ctx, format!("extension `{name}`"), key, table, &["schema", "version"]);
    let mut sql = Sql::new(node.key_pos(ctx));
    sql.word("CREATE EXTENSION").word(&quote_ident(name));
    if let Some(schema) = node.str(ctx, "schema") {
        sql.word("WITH SCHEMA").at(&quote_ident(&schema.value), schema.start());
    }
    if let Some(version) = node.str(ctx, "version") {
        sql.word("VERSION").at(&quote_literal(&version.value), version.quote);
    }
    out.statement(ctx, &sql, format!("CREATE EXTENSION {name}"));
}

pub(crate) fn enum_type(ctx: &mut Ctx<'_>, out: &mut Out, object: Object<'_, '_>) {
    let what = format!("enum {}", object.name);
    let node = Node::new(ctx, what, object.key, object.table, &["labels", "comment"]);
    let Some(labels) = node.strings(ctx, "labels", false) else {
        if node.get("labels").is_none() {
            node.missing(
                ctx,
                "labels",
                "list the enum's values in order: labels = [\"active\", \"disabled\"]",
            );
        }
        return;
    };
    let mut sql = Sql::new(node.key_pos(ctx));
    sql.word("CREATE TYPE").word(&object.name.sql()).word("AS ENUM");
    sql.list(labels.iter().map(|l| (quote_literal(&l.value), Some(l.quote))));
    out.statement(ctx, &sql, format!("CREATE TYPE {}", object.name));
    comment(ctx, out, &node, &format!("TYPE {}", object.name.sql()), &format!("TYPE {}", object.name));
}

const SEQUENCE_KEYS: &[&str] =
    &["type", "start", "increment", "min_value", "max_value", "cache", "cycle", "owned_by", "comment"];

pub(crate) fn sequence(ctx: &mut Ctx<'_>, out: &mut Out, object: Object<'_, '_>) {
    let node = Node::new(ctx, format!("sequence {}", object.name), object.key, object.table, SEQUENCE_KEYS);
    let mut sql = Sql::new(node.key_pos(ctx));
    sql.word("CREATE SEQUENCE").word(&object.name.sql());
    sequence_options(ctx, &node, &mut sql, true);
    out.statement(ctx, &sql, format!("CREATE SEQUENCE {}", object.name));
    if let Some(owner) = node.str(ctx, "owned_by") {
        if let Some(column) = column_ref(ctx, &node, &owner) {
            let mut sql = Sql::new(owner.key);
            sql.word("ALTER SEQUENCE").word(&object.name.sql()).word("OWNED BY").at(&column, owner.start());
            out.statement(ctx, &sql, format!("ALTER SEQUENCE {}", object.name));
        }
    }
    comment(
        ctx,
        out,
        &node,
        &format!("SEQUENCE {}", object.name.sql()),
        &format!("SEQUENCE {}", object.name),
    );
}

/// `AS type`, `INCREMENT BY`, `MINVALUE`, `MAXVALUE`, `START WITH`, `CACHE`, `CYCLE` from the node's keys.
pub(crate) fn sequence_options(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, sql: &mut Sql, with_type: bool) {
    if with_type {
        if let Some(t) = node.sql(ctx, "type", Want::Type) {
            sql.word("AS").at(&t.value, t.start());
        }
    }
    for (key, words) in [
        ("increment", "INCREMENT BY"),
        ("min_value", "MINVALUE"),
        ("max_value", "MAXVALUE"),
        ("start", "START WITH"),
        ("cache", "CACHE"),
    ] {
        if let Some(n) = node.int(ctx, key) {
            sql.word(words).word(&n.to_string());
        }
    }
    match node.bool(ctx, "cycle") {
        Some(true) => sql.word("CYCLE"),
        Some(false) => sql.word("NO CYCLE"),
        None => sql,
    };
}

/// `schema.table.column` (or `table.column` in `public`) as SQL.
fn column_ref(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, text: &Text) -> Option<String> {
    match names::split(&text.value) {
        Ok(parts) if parts.len() == 3 || parts.len() == 2 => {
            let (schema, table, column) = match parts.as_slice() {
                [s, t, c] => (s.as_str(), t.as_str(), c.as_str()),
                [t, c] => ("public", t.as_str(), c.as_str()),
                _ => unreachable!("two or three parts"),
            };
            Some(format!("{}.{}", QualName::new(schema, table).sql(), quote_ident(column)))
        }
        Ok(_) => {
            node.invalid(
                ctx,
                "owned_by",
                format!("`owned_by` of {} must name a column", node.what),
                COLUMN_HELP,
            );
            None
        }
        Err(e) => {
            node.invalid(ctx, "owned_by", format!("`owned_by` of {}: {e}", node.what), COLUMN_HELP);
            None
        }
    }
}

const COLUMN_HELP: &str = "write SCHEMA.TABLE.COLUMN, e.g. owned_by = \"app.invoices.number\"";

/// A view, function, procedure, domain or type: its `sql` string.
pub(crate) fn code(ctx: &mut Ctx<'_>, out: &mut Out, kind: &str, object: Object<'_, '_>) {
    let what = format!("{} {}", kind.replace('_', " "), object.name);
    let node = Node::new(ctx, what, object.key, object.table, &["sql"]);
    let help =
        format!("write the statement(s) that create the {}: sql = '''CREATE ...'''", kind.replace('_', " "));
    if let Some(text) = node.required_str(ctx, "sql", &help) {
        out.sql(ctx, &text);
    }
}

/// `COMMENT ON <on> IS '...'` from the node's `comment`, at that key.
pub(crate) fn comment(ctx: &mut Ctx<'_>, out: &mut Out, node: &Node<'_, '_>, on: &str, what: &str) {
    if let Some(text) = node.str(ctx, "comment") {
        let mut sql = Sql::new(text.key);
        sql.word("COMMENT ON").word(on).word("IS").at(&quote_literal(&text.value), text.quote);
        out.statement(ctx, &sql, format!("COMMENT ON {what}"));
    }
}
