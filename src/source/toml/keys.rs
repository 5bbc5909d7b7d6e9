//! A table's constraints (`primary_key`, `unique`, `check`, `foreign_key`, `exclusion`) and `index`es: each
//! one statement (`ALTER TABLE ... ADD CONSTRAINT`, `CREATE INDEX`) at the key that names it, so that an
//! error PostgreSQL raises about one of them points at it. Names are the keys: every name is explicit.

use super::Out;
use super::layout::Sql;
use super::node::{Ctx, Entry, Node, Text};
use super::objects;
use super::sql_value::Want;
use super::table::qualified;
use crate::catalog::{QualName, quote_ident};
use ::toml::de::DeValue;
use std::collections::BTreeMap;

const PRIMARY_KEY_KEYS: &[&str] =
    &["name", "columns", "include", "deferrable", "initially_deferred", "comment"];
const UNIQUE_KEYS: &[&str] =
    &["columns", "nulls_not_distinct", "include", "deferrable", "initially_deferred", "comment"];
const CHECK_KEYS: &[&str] = &["expression", "no_inherit", "not_valid", "comment"];
const FOREIGN_KEY_KEYS: &[&str] = &[
    "columns",
    "references",
    "referenced_columns",
    "on_delete",
    "on_update",
    "match",
    "deferrable",
    "initially_deferred",
    "not_valid",
    "comment",
];
const EXCLUSION_KEYS: &[&str] =
    &["using", "elements", "include", "where", "deferrable", "initially_deferred", "comment"];
const INDEX_KEYS: &[&str] =
    &["columns", "keys", "unique", "nulls_not_distinct", "method", "include", "where", "with", "comment"];

/// Names declared in one table, to report a name used twice before PostgreSQL does: constraint names
/// are unique per table, and index names (with those of the constraints that make an index) per schema.
#[derive(Default)]
struct Names {
    seen: BTreeMap<(bool, String), String>,
}

impl Names {
    /// `relation`: the name is also an index's (primary key, unique, exclusion, index).
    fn claim(
        &mut self,
        ctx: &mut Ctx<'_>,
        node: &Node<'_, '_>,
        name: &str,
        constraint: bool,
        relation: bool,
    ) {
        let spaces = [(constraint, false), (relation, true)];
        for (_, space) in spaces.iter().filter(|(used, _)| *used) {
            let key = (*space, name.to_string());
            if let Some(first) = self.seen.get(&key) {
                let message = format!("{} reuses the name `{name}` of {first}", node.what);
                let help = if *space {
                    "indexes, primary keys, unique and exclusion constraints each make an index, whose names \
                     are unique per schema: rename one"
                } else {
                    "constraint names are unique per table: rename one"
                };
                ctx.error("toml-duplicate-name", &node.key, message, help);
                return;
            }
        }
        for (_, space) in spaces.iter().filter(|(used, _)| *used) {
            self.seen.insert((*space, name.to_string()), node.what.clone());
        }
    }
}

/// The constraints and indexes of a table.
pub(crate) fn keys(ctx: &mut Ctx<'_>, out: &mut Out, table: &Node<'_, '_>, name: &QualName) {
    let mut names = Names::default();
    primary_key(ctx, out, table, name, &mut names);
    for kind in ["unique", "check", "foreign_key", "exclusion"] {
        for entry in table.named(ctx, kind) {
            let constraint = entry.0.get_ref().to_string();
            let what = format!("{} `{constraint}` of table {name}", kind.replace('_', " "));
            let (allowed, shorthand) = match kind {
                "unique" => (UNIQUE_KEYS, Some("columns")),
                "check" => (CHECK_KEYS, Some("expression")),
                "foreign_key" => (FOREIGN_KEY_KEYS, None),
                _ => (EXCLUSION_KEYS, None),
            };
            let Some(node) = entry_node(ctx, what, entry, allowed, shorthand) else { continue };
            names.claim(ctx, &node, &constraint, true, matches!(kind, "unique" | "exclusion"));
            let mut sql = Sql::new(node.key_pos(ctx)).or_from(section(ctx, table, kind));
            sql.word("ALTER TABLE").word(&name.sql()).word("ADD CONSTRAINT").word(&quote_ident(&constraint));
            let done = match kind {
                "unique" => unique(ctx, &node, &mut sql),
                "check" => check(ctx, &node, &mut sql),
                "foreign_key" => foreign_key(ctx, &node, &mut sql),
                _ => exclusion(ctx, &node, &mut sql),
            };
            if done.is_some() {
                out.statement(ctx, &sql, format!("ALTER TABLE {name} ADD CONSTRAINT {constraint}"));
                constraint_comment(ctx, out, &node, name, &constraint);
            }
        }
    }
    for entry in table.named(ctx, "index") {
        let index = entry.0.get_ref().to_string();
        let what = format!("index `{index}` of table {name}");
        let Some(node) = entry_node(ctx, what, entry, INDEX_KEYS, None) else { continue };
        names.claim(ctx, &node, &index, false, true);
        let mut sql = Sql::new(node.key_pos(ctx)).or_from(section(ctx, table, "index"));
        if create_index(ctx, &node, name, &index, &mut sql).is_some() {
            out.statement(ctx, &sql, format!("CREATE INDEX {index}"));
            let on = format!("INDEX {}", QualName::new(name.schema.clone(), index.clone()).sql());
            objects::comment(ctx, out, &node, &on, &format!("INDEX {}.{index}", name.schema));
        }
    }
}

/// Where the statements of a table's `kind` entries may start when their words do not fit on the line of
/// their key: the `[table.S.T.kind]` header, or the table's own key when the entries are written inline.
fn section(ctx: &Ctx<'_>, table: &Node<'_, '_>, kind: &str) -> super::pos::Pos {
    let own = table.key_pos(ctx);
    match table.get(kind).map(|(_, v)| ctx.pos(&v.span())) {
        Some(header) if header > own => header,
        _ => own,
    }
}

/// The node of a named entry: a table of keys, or the shorthand value of `shorthand` (`unique.x = ["a"]`,
/// `check.x = "a > 0"`).
fn entry_node<'t, 'i>(
    ctx: &mut Ctx<'_>,
    what: String,
    entry: Entry<'t, 'i>,
    allowed: &[&str],
    shorthand: Option<&'static str>,
) -> Option<Node<'t, 'i>> {
    let (key, value) = entry;
    match (value.get_ref(), shorthand) {
        (DeValue::Table(t), _) => Some(Node::new(ctx, what, key.span(), t, allowed)),
        (DeValue::Array(_), Some("columns")) | (DeValue::String(_), Some("expression")) => {
            Some(Node::shorthand(what, shorthand.expect("matched"), entry))
        }
        (other, _) => {
            let message = format!("{what} must be a table, not a {}", other.type_str());
            let help = match shorthand {
                Some("columns") => "write a table of its keys, or just its columns: NAME = [\"a\", \"b\"]",
                Some(_) => "write a table of its keys, or just its expression: NAME = \"a > 0\"",
                None => "write a table of its keys, e.g. { columns = [\"a\"] }",
            };
            ctx.error("toml-wrong-type", &value.span(), message, help);
            None
        }
    }
}

/// Quoted column names, each at its place in the file.
fn idents(columns: &[Text]) -> Vec<(String, Option<super::pos::Pos>)> {
    columns.iter().map(|c| (quote_ident(&c.value), Some(c.quote))).collect()
}

/// Texts as written (expressions, key elements), each at its place in the file.
fn as_written(items: &[Text]) -> Vec<(String, Option<super::pos::Pos>)> {
    items.iter().map(|c| (c.value.clone(), Some(c.start()))).collect()
}

fn required_columns(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, key: &str, help: &str) -> Option<Vec<Text>> {
    if node.get(key).is_none() {
        node.missing(ctx, key, help);
        return None;
    }
    node.strings(ctx, key, true)
}

fn primary_key(ctx: &mut Ctx<'_>, out: &mut Out, table: &Node<'_, '_>, name: &QualName, names: &mut Names) {
    let Some(entry) = table.get("primary_key") else { return };
    let what = format!("the primary key of table {name}");
    let node = match entry.1.get_ref() {
        DeValue::Array(_) => Node::shorthand(what, "columns", entry),
        _ => match entry_node(ctx, what, entry, PRIMARY_KEY_KEYS, None) {
            Some(node) => node,
            None => return,
        },
    };
    let help = "name the key's columns: primary_key = [\"id\"]";
    let Some(columns) = required_columns(ctx, &node, "columns", help) else { return };
    let constraint = node.str(ctx, "name");
    let mut sql = Sql::new(node.key_pos(ctx)).or_from(table.key_pos(ctx));
    sql.word("ALTER TABLE").word(&name.sql()).word("ADD");
    if let Some(c) = &constraint {
        names.claim(ctx, &node, &c.value, true, true);
        sql.word("CONSTRAINT").at(&quote_ident(&c.value), c.quote);
    }
    sql.word("PRIMARY KEY").list(idents(&columns));
    include(ctx, &node, &mut sql);
    deferrable(ctx, &node, &mut sql);
    out.statement(ctx, &sql, format!("ALTER TABLE {name} ADD PRIMARY KEY"));
    match &constraint {
        Some(c) => constraint_comment(ctx, out, &node, name, &c.value),
        None if node.get("comment").is_some() => {
            node.missing(ctx, "name", "a comment on the primary key needs its name: name = \"t_pkey\"")
        }
        None => {}
    }
}

fn unique(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, sql: &mut Sql) -> Option<()> {
    let columns = required_columns(ctx, node, "columns", "name its columns: columns = [\"email\"]")?;
    sql.word("UNIQUE");
    if node.bool(ctx, "nulls_not_distinct") == Some(true) {
        sql.word("NULLS NOT DISTINCT");
    }
    sql.list(idents(&columns));
    include(ctx, node, sql);
    deferrable(ctx, node, sql);
    Some(())
}

fn check(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, sql: &mut Sql) -> Option<()> {
    let expression = node.required_sql(
        ctx,
        "expression",
        Want::Expression,
        "write the condition: expression = \"price >= 0\"",
    )?;
    sql.word("CHECK (").at(&expression.value, expression.start()).punct(")");
    if node.bool(ctx, "no_inherit") == Some(true) {
        sql.word("NO INHERIT");
    }
    if node.bool(ctx, "not_valid") == Some(true) {
        sql.word("NOT VALID");
    }
    Some(())
}

const ACTIONS: &[&str] = &["no action", "restrict", "cascade", "set null", "set default"];

fn foreign_key(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, sql: &mut Sql) -> Option<()> {
    let columns =
        required_columns(ctx, node, "columns", "name the referencing columns: columns = [\"org_id\"]");
    let help = "name the referenced table: references = \"app.orgs\"";
    let references = node.required_str(ctx, "references", help);
    let table = match &references {
        Some(r) => qualified(ctx, node, "references", &r.value),
        None => None,
    };
    let (columns, references, table) = (columns?, references?, table?);
    sql.word("FOREIGN KEY").list(idents(&columns));
    sql.word("REFERENCES").at(&table.sql(), references.start());
    if let Some(referenced) = node.strings(ctx, "referenced_columns", true) {
        sql.list(idents(&referenced));
    }
    if let Some(m) = node.str(ctx, "match") {
        match m.value.to_ascii_lowercase().as_str() {
            "full" => sql.word("MATCH FULL"),
            "simple" => sql.word("MATCH SIMPLE"),
            _ => {
                let message = format!("`match` of {}: `{}` is not full or simple", node.what, m.value);
                node.invalid(ctx, "match", message, "write match = \"full\" or \"simple\" (the default)");
                return None;
            }
        };
    }
    for (key, words) in [("on_update", "ON UPDATE"), ("on_delete", "ON DELETE")] {
        let Some(action) = node.str(ctx, key) else { continue };
        let lower = action.value.to_ascii_lowercase();
        // `set null (a, b)`: PostgreSQL 15's column list after SET NULL and SET DEFAULT, as written.
        let (head, columns) = match lower.find('(') {
            Some(i) if lower.starts_with("set ") => (lower[..i].trim().to_string(), Some(&action.value[i..])),
            _ => (lower.trim().to_string(), None),
        };
        let columns_ok = columns
            .is_none_or(|c| super::sql_value::check(c, Want::Clause).is_ok() && c.trim_end().ends_with(')'));
        if !ACTIONS.contains(&head.as_str()) || !columns_ok {
            let message = format!("`{key}` of {}: `{}` is not an action", node.what, action.value);
            let help = format!("write one of: {}", ACTIONS.join(", "));
            node.invalid(ctx, key, message, help);
            return None;
        }
        sql.word(words).word(&head.to_ascii_uppercase());
        if let Some(columns) = columns {
            sql.word(columns);
        }
    }
    deferrable(ctx, node, sql);
    if node.bool(ctx, "not_valid") == Some(true) {
        sql.word("NOT VALID");
    }
    Some(())
}

fn exclusion(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, sql: &mut Sql) -> Option<()> {
    let help = "list its elements as written: elements = [\"room WITH =\", \"during WITH &&\"]";
    if node.get("elements").is_none() {
        node.missing(ctx, "elements", help);
        return None;
    }
    let elements = node.sql_strings(ctx, "elements", true, Want::Clause)?;
    sql.word("EXCLUDE");
    if let Some(method) = node.str(ctx, "using") {
        sql.word("USING").at(&quote_ident(&method.value), method.quote);
    }
    sql.list(as_written(&elements));
    include(ctx, node, sql);
    if let Some(predicate) = node.sql(ctx, "where", Want::Expression) {
        sql.word("WHERE (").at(&predicate.value, predicate.start()).punct(")");
    }
    deferrable(ctx, node, sql);
    Some(())
}

fn include(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, sql: &mut Sql) {
    if let Some(columns) = node.strings(ctx, "include", true) {
        sql.word("INCLUDE").list(idents(&columns));
    }
}

fn deferrable(ctx: &mut Ctx<'_>, node: &Node<'_, '_>, sql: &mut Sql) {
    let deferrable = node.bool(ctx, "deferrable");
    let deferred = node.bool(ctx, "initially_deferred");
    if deferrable == Some(true) || deferred == Some(true) {
        sql.word("DEFERRABLE");
    }
    if deferred == Some(true) {
        sql.word("INITIALLY DEFERRED");
    }
}

fn constraint_comment(ctx: &mut Ctx<'_>, out: &mut Out, node: &Node<'_, '_>, table: &QualName, name: &str) {
    let on = format!("CONSTRAINT {} ON {}", quote_ident(name), table.sql());
    objects::comment(ctx, out, node, &on, &format!("CONSTRAINT {name} ON {table}"));
}

fn create_index(
    ctx: &mut Ctx<'_>,
    node: &Node<'_, '_>,
    table: &QualName,
    name: &str,
    sql: &mut Sql,
) -> Option<()> {
    let help =
        "name its columns (columns = [\"email\"]) or write its keys as SQL (keys = [\"lower(email)\"])";
    let elements = match (node.get("columns").is_some(), node.get("keys").is_some()) {
        (true, true) => {
            let span = node.get("keys").map(|(k, _)| k.span()).expect("present");
            let message = format!("{} has both `columns` and `keys`", node.what);
            ctx.error("toml-conflicting-keys", &span, message, help);
            return None;
        }
        (true, false) => idents(&node.strings(ctx, "columns", true)?),
        (false, true) => as_written(&node.sql_strings(ctx, "keys", true, Want::Clause)?),
        (false, false) => {
            node.missing(ctx, "columns", help);
            return None;
        }
    };
    sql.word("CREATE");
    if node.bool(ctx, "unique") == Some(true) {
        sql.word("UNIQUE");
    }
    sql.word("INDEX").word(&quote_ident(name)).word("ON").word(&table.sql());
    if let Some(method) = node.str(ctx, "method") {
        sql.word("USING").at(&quote_ident(&method.value), method.quote);
    }
    sql.list(elements);
    include(ctx, node, sql);
    if node.bool(ctx, "nulls_not_distinct") == Some(true) {
        sql.word("NULLS NOT DISTINCT");
    }
    if let Some(with) = node.sql(ctx, "with", Want::Clause) {
        sql.word("WITH (").at(&with.value, with.start()).punct(")");
    }
    if let Some(predicate) = node.sql(ctx, "where", Want::Expression) {
        sql.word("WHERE (").at(&predicate.value, predicate.start()).punct(")");
    }
    Some(())
}
