//! `[table.SCHEMA.NAME]`: the `CREATE TABLE` with its columns in file order, then one statement for each
//! constraint, index, comment and row-level security switch, and the table's `sql` strings (triggers,
//! policies, rules, anything else), each statement at the key that declares it.

use super::Out;
use super::keys;
use super::layout::Sql;
use super::names;
use super::node::{Ctx, Node};
use super::objects::{self, Object};
use super::sql_value::Want;
use crate::catalog::{QualName, quote_ident};
use ::toml::de::DeValue;

const TABLE_KEYS: &[&str] = &[
    "columns",
    "primary_key",
    "unique",
    "check",
    "foreign_key",
    "exclusion",
    "index",
    "trigger",
    "policy",
    "rule",
    "comment",
    "unlogged",
    "inherits",
    "partition_by",
    "partition_of",
    "row_level_security",
    "force_row_level_security",
    "sql",
];

const COLUMN_KEYS: &[&str] =
    &["type", "not_null", "default", "identity", "generated", "collation", "comment"];

pub(crate) fn table(ctx: &mut Ctx<'_>, out: &mut Out, object: Object<'_, '_>) {
    let node = Node::new(ctx, format!("table {}", object.name), object.key.clone(), object.table, TABLE_KEYS);
    let name = &object.name;
    create_table(ctx, out, &node, name);
    keys::keys(ctx, out, &node, name);
    objects::comment(ctx, out, &node, &format!("TABLE {}", name.sql()), &format!("TABLE {name}"));
    column_comments(ctx, out, &node, name);
    for (key, words) in [("row_level_security", "ENABLE"), ("force_row_level_security", "FORCE")] {
        if node.bool(ctx, key) == Some(true) {
            let at = node.key_offset(key).expect("the key is there");
            let mut sql = Sql::new(ctx.index.pos(at));
            sql.word("ALTER TABLE").word(&name.sql()).word(words).word("ROW LEVEL SECURITY");
            out.statement(ctx, &sql, format!("ALTER TABLE {name} {words} ROW LEVEL SECURITY"));
        }
    }
    for part in ["trigger", "policy", "rule"] {
        for (key, value) in node.named(ctx, part) {
            let what = format!("{part} `{}` of table {name}", key.get_ref());
            let DeValue::Table(t) = value.get_ref() else {
                let message =
                    format!("{what} must be a table with `sql`, not a {}", value.get_ref().type_str());
                let help =
                    format!("write [table.{}.{part}.{}] with sql = '''...'''", dotted(name), key.get_ref());
                ctx.error("toml-wrong-type", &value.span(), message, help);
                continue;
            };
            let part_node = Node::new(ctx, what, key.span(), t, &["sql"]);
            let help = format!("write the CREATE {} statement: sql = '''...'''", part.to_uppercase());
            if let Some(text) = part_node.required_str(ctx, "sql", &help) {
                out.sql(ctx, &text);
            }
        }
    }
    if let Some(text) = node.str(ctx, "sql") {
        out.sql(ctx, &text);
    }
}

fn dotted(name: &QualName) -> String {
    names::dotted(&[&name.schema, &name.name])
}

/// A qualified name from a string (`app.t`, or `t` in `public`); `None` after reporting a bad one.
pub(crate) fn qualified(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, key: &str, text: &str) -> Option<QualName> {
    let help = "write SCHEMA.NAME, e.g. \"app.users\"; a part holding a dot goes in double quotes";
    match names::split(text) {
        Ok(parts) => match parts.as_slice() {
            [name] => Some(QualName::new("public", name.clone())),
            [schema, name] => Some(QualName::new(schema.clone(), name.clone())),
            _ => {
                let message = format!("`{key}` of {}: `{text}` is not SCHEMA.NAME", node.what);
                node.invalid(ctx, key, message, help);
                None
            }
        },
        Err(e) => {
            node.invalid(ctx, key, format!("`{key}` of {}: {e}", node.what), help);
            None
        }
    }
}

fn create_table(ctx: &mut Ctx<'_>, out: &mut Out, node: &Node<'_, '_>, name: &QualName) {
    let mut sql = Sql::new(node.key_pos(ctx));
    sql.word("CREATE");
    if node.bool(ctx, "unlogged") == Some(true) {
        sql.word("UNLOGGED");
    }
    sql.word("TABLE").word(&name.sql());
    let columns = node.named(ctx, "columns");
    if let Some(partition) =
        node.table(ctx, "partition_of", format!("`partition_of` of table {name}"), &["parent", "bound"])
    {
        let parent =
            partition.required_str(ctx, "parent", "name the partitioned table: parent = \"app.events\"");
        let bound = partition.required_sql(
            ctx,
            "bound",
            Want::Clause,
            "write the bound: bound = \"FOR VALUES FROM (1) TO (10)\"",
        );
        if let Some((k, _)) = columns.first() {
            let message = format!("partition {name} declares columns: a partition has its parent's columns");
            ctx.error("toml-conflicting-keys", &k.span(), message, "remove `columns`, or `partition_of`");
        }
        let (Some(parent), Some(bound)) = (parent, bound) else { return };
        let Some(parent_name) = qualified(ctx, &partition, "parent", &parent.value) else { return };
        sql.word("PARTITION OF").at(&parent_name.sql(), parent.start()).at(&bound.value, bound.start());
    } else {
        sql.word("(");
        for (i, (key, value)) in columns.iter().enumerate() {
            if i > 0 {
                sql.punct(",");
            }
            column(ctx, &mut sql, name, key, value);
        }
        sql.punct(")");
        if let Some(parents) = node.strings(ctx, "inherits", true) {
            let mut items = Vec::new();
            for p in &parents {
                if let Some(q) = qualified(ctx, node, "inherits", &p.value) {
                    items.push((q.sql(), Some(p.start())));
                }
            }
            sql.word("INHERITS").list(items);
        }
    }
    if let Some(by) = node.sql(ctx, "partition_by", Want::Clause) {
        sql.word("PARTITION BY").at(&by.value, by.start());
    }
    out.statement(ctx, &sql, format!("CREATE TABLE {name}"));
}

/// One column's definition: name, type, then its attributes in the order the file has them.
fn column(
    ctx: &mut Ctx<'_>,
    sql: &mut Sql,
    table: &QualName,
    key: &::toml::Spanned<std::borrow::Cow<'_, str>>,
    value: &::toml::Spanned<DeValue<'_>>,
) {
    let name = key.get_ref().to_string();
    let what = format!("column `{name}` of table {table}");
    sql.at(&quote_ident(&name), ctx.pos(&key.span()));
    let DeValue::Table(t) = value.get_ref() else {
        let message = format!("{what} must be a table, not a {}", value.get_ref().type_str());
        let help = format!("write {} = {{ type = \"text\" }}", names::part(&name));
        ctx.error("toml-wrong-type", &value.span(), message, help);
        return;
    };
    let node = Node::new(ctx, what, key.span(), t, COLUMN_KEYS);
    match node.required_sql(ctx, "type", Want::Type, "give the column a type, e.g. type = \"text\"") {
        Some(t) => sql.at(&t.value, t.start()),
        None => return,
    };
    conflicts(ctx, &node);
    let mut attributes: Vec<(usize, &str)> = ["collation", "identity", "generated", "default", "not_null"]
        .into_iter()
        .filter_map(|k| node.key_offset(k).map(|at| (at, k)))
        .collect();
    attributes.sort();
    for (_, attribute) in attributes {
        match attribute {
            "collation" => collation(ctx, sql, &node),
            "identity" => identity(ctx, sql, &node),
            "generated" => generated(ctx, sql, &node),
            "default" => {
                if let Some(d) = node.sql(ctx, "default", Want::Expression) {
                    sql.word("DEFAULT").at(&d.value, d.start());
                }
            }
            _ => {
                if node.bool(ctx, "not_null") == Some(true) {
                    sql.word("NOT NULL");
                }
            }
        }
    }
}

/// `collation = "C"` (a name found on the search path, as PostgreSQL's own are), or
/// `collation = { schema = "app", name = "german" }`.
fn collation(ctx: &mut Ctx<'_>, sql: &mut Sql, node: &Node<'_, '_>) {
    let Some((_, value)) = node.get("collation") else { return };
    let help =
        "write collation = \"C\", or { schema = \"app\", name = \"german\" } for a collation in a schema";
    match value.get_ref() {
        DeValue::String(_) => {
            if let Some(c) = node.str(ctx, "collation") {
                sql.word("COLLATE").at(&quote_ident(&c.value), c.quote);
            }
        }
        DeValue::Table(_) => {
            let what = format!("`collation` of {}", node.what);
            let Some(c) = node.table(ctx, "collation", what, &["schema", "name"]) else { return };
            let (schema, name) = (c.required_str(ctx, "schema", help), c.required_str(ctx, "name", help));
            if let (Some(schema), Some(name)) = (schema, name) {
                sql.word("COLLATE").at(&QualName::new(schema.value, name.value).sql(), schema.quote);
            }
        }
        other => {
            let message = format!(
                "`collation` of {} must be a string or a table, not a {}",
                node.what,
                other.type_str()
            );
            ctx.error("toml-wrong-type", &value.span(), message, help);
        }
    }
}

/// A column may have one of `identity`, `generated` and `default`.
fn conflicts(ctx: &mut Ctx<'_>, node: &Node<'_, '_>) {
    let mut present: Vec<(usize, &str)> = ["identity", "generated", "default"]
        .into_iter()
        .filter_map(|k| node.key_offset(k).map(|at| (at, k)))
        .collect();
    present.sort();
    let present: Vec<&str> = present.into_iter().map(|(_, k)| k).collect();
    if present.len() > 1 {
        let message = format!("{} has both `{}` and `{}`", node.what, present[0], present[1]);
        let span = node.get(present[1]).map(|(k, _)| k.span()).unwrap_or(node.key.clone());
        ctx.error(
            "toml-conflicting-keys",
            &span,
            message,
            "a column's value comes from one of identity, generated or default: keep one",
        );
    }
}

const IDENTITY_KEYS: &[&str] = &["kind", "start", "increment", "min_value", "max_value", "cache", "cycle"];
const IDENTITY_HELP: &str =
    "write identity = \"always\" or \"by default\", or a table with kind and sequence options";

fn identity(ctx: &mut Ctx<'_>, sql: &mut Sql, node: &Node<'_, '_>) {
    let Some((_, value)) = node.get("identity") else { return };
    let (kind, options) = match value.get_ref() {
        DeValue::String(_) => (node.str(ctx, "identity"), None),
        DeValue::Table(_) => {
            let what = format!("`identity` of {}", node.what);
            let Some(options) = node.table(ctx, "identity", what, IDENTITY_KEYS) else { return };
            (options.required_str(ctx, "kind", IDENTITY_HELP), Some(options))
        }
        other => {
            let message = format!(
                "`identity` of {} must be a string or a table, not a {}",
                node.what,
                other.type_str()
            );
            ctx.error("toml-wrong-type", &value.span(), message, IDENTITY_HELP);
            return;
        }
    };
    let Some(kind) = kind else { return };
    let words = match kind.value.to_ascii_lowercase().as_str() {
        "always" => "GENERATED ALWAYS AS IDENTITY",
        "by default" => "GENERATED BY DEFAULT AS IDENTITY",
        _ => {
            let message = format!("identity `{}` of {}: not always or by default", kind.value, node.what);
            ctx.error("toml-invalid-value", &value.span(), message, IDENTITY_HELP);
            return;
        }
    };
    sql.word(words);
    if let Some(options) = options {
        let mut inner = Sql::new(kind.key);
        objects::sequence_options(ctx, &options, &mut inner, false);
        let (_, text) = inner.finish();
        if !text.trim().is_empty() {
            sql.word("(").punct(text.trim()).punct(")");
        }
    }
}

fn generated(ctx: &mut Ctx<'_>, sql: &mut Sql, node: &Node<'_, '_>) {
    let Some((_, value)) = node.get("generated") else { return };
    let (expression, stored) = match value.get_ref() {
        DeValue::String(_) => (node.sql(ctx, "generated", Want::Expression), true),
        DeValue::Table(_) => {
            let what = format!("`generated` of {}", node.what);
            let Some(g) = node.table(ctx, "generated", what, &["expression", "stored"]) else { return };
            let stored = g.bool(ctx, "stored").unwrap_or(true);
            (
                g.required_sql(
                    ctx,
                    "expression",
                    Want::Expression,
                    "write the expression: expression = \"a * 2\"",
                ),
                stored,
            )
        }
        other => {
            let message = format!(
                "`generated` of {} must be a string or a table, not a {}",
                node.what,
                other.type_str()
            );
            let help =
                "write generated = \"EXPRESSION\" (stored), or { expression = \"...\", stored = false }";
            ctx.error("toml-wrong-type", &value.span(), message, help);
            return;
        }
    };
    let Some(expression) = expression else { return };
    sql.word("GENERATED ALWAYS AS (").at(&expression.value, expression.start()).punct(")");
    sql.word(if stored { "STORED" } else { "VIRTUAL" });
}

/// `COMMENT ON COLUMN` for each column with a `comment`.
fn column_comments(ctx: &mut Ctx<'_>, out: &mut Out, node: &Node<'_, '_>, table: &QualName) {
    for (key, value) in node.named(ctx, "columns") {
        let DeValue::Table(t) = value.get_ref() else { continue };
        let Some((_, c)) = t.get_key_value("comment") else { continue };
        if !matches!(c.get_ref(), DeValue::String(_)) {
            continue; // reported with the column
        }
        let column = key.get_ref().to_string();
        let column_node = Node::unchecked(format!("column `{column}` of table {table}"), key.span(), t);
        let on = format!("COLUMN {}.{}", table.sql(), quote_ident(&column));
        objects::comment(ctx, out, &column_node, &on, &format!("COLUMN {table}.{column}"));
    }
}
