//! Canonical expression text.
//!
//! PostgreSQL's deparsed text does not always parse back to itself: `CHECK (s IN ('a', 'b'))` on a varchar
//! column prints as `ANY ((ARRAY['a'::varchar, ...])::text[])`, and that text, executed, prints as
//! `ANY (ARRAY[('a'::varchar)::text, ...])`. A plan executes the printed text, so the desired side must hold
//! what that text produces, or a plan never converges and its manifest never matches.
//!
//! - [`settle_desired`] runs every CHECK constraint, column default and index definition of the desired
//!   catalog once more in the scratch database (in a transaction that is rolled back) and keeps what
//!   PostgreSQL prints: the text a plan's DDL will leave on the target.
//!   A text with no expression in it cannot print differently once executed again, and is not run: an
//!   index on plain columns ([`plain_index`]), a default that is one constant or a call without arguments
//!   ([`plain_default`]). At 5,000 tables that leaves about one item in ten to run (the CREATE INDEX and
//!   SET DEFAULT statements were most of the settling's time).
//! - [`align_live`] does the same, on the desired tables, for each live text that differs from its desired
//!   counterpart; when the live text settles to the desired one, they are the same definition written two
//!   ways, and the live catalog takes the desired text for the comparison.

use crate::catalog::{Catalog, ConstraintKind, QualName, quote_ident};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use tokio_postgres::Client;

/// One expression to settle: what to run, and how to find the result.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Check { table: QualName, name: String, definition: String },
    Default { table: QualName, column: String, expr: String },
    Index { table: QualName, name: String, definition: String },
}

fn statement(item: &Item, n: usize) -> String {
    match item {
        Item::Check { table, definition, .. } => {
            format!("ALTER TABLE {} ADD CONSTRAINT accrete_rt_{n} {definition}", table.sql())
        }
        Item::Default { table, column, expr } => {
            format!("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {expr}", table.sql(), quote_ident(column))
        }
        Item::Index { table, definition, .. } => {
            format!("CREATE INDEX accrete_rt_{n} ON {} {definition}", table.sql())
        }
    }
}

const READ_CHECKS: &str = "SELECT con.conname::text, \
    pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(con.oid), ' NOT VALID$', '') \
    FROM pg_catalog.pg_constraint con WHERE con.conname LIKE 'accrete\\_rt\\_%'";
const READ_INDEXES: &str = "SELECT c.relname::text, pg_catalog.pg_get_indexdef(c.oid) FROM pg_catalog.pg_class c \
    WHERE c.relkind IN ('i', 'I') AND c.relname LIKE 'accrete\\_rt\\_%'";
const READ_DEFAULTS: &str = "SELECT n.nspname::text, c.relname::text, a.attname::text, \
    pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d \
    JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
    JOIN pg_catalog.pg_class c ON c.oid = d.adrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
    WHERE c.oid = ANY ($1::text[]::pg_catalog.regclass[])";

/// Items settled per transaction. Each locks its table and each index it makes holds a lock too, until the
/// transaction ends; a server's lock table (`max_locks_per_transaction` x connections, 6,400 by default)
/// does not hold a large schema's at once.
const CHUNK: usize = 500;

/// Settles `items` in the scratch database: the text PostgreSQL prints for each after executing it, or
/// `None` where it did not execute. Runs in transactions of [`CHUNK`] items, each rolled back.
async fn settle(client: &Client, items: &[Item]) -> Result<Vec<Option<String>>> {
    let mut out = Vec::with_capacity(items.len());
    for chunk in items.chunks(CHUNK) {
        client.batch_execute("BEGIN").await?;
        let result = settle_in_transaction(client, chunk).await;
        client.batch_execute("ROLLBACK").await?;
        out.extend(result?);
    }
    Ok(out)
}

async fn settle_in_transaction(client: &Client, items: &[Item]) -> Result<Vec<Option<String>>> {
    let script: String = items.iter().enumerate().map(|(n, i)| format!("{};\n", statement(i, n))).collect();
    client.batch_execute("SAVEPOINT accrete_all").await?;
    let mut executed = vec![true; items.len()];
    if client.batch_execute(&script).await.is_err() {
        // One failed: run them one by one, keeping what executes.
        client.batch_execute("ROLLBACK TO SAVEPOINT accrete_all").await?;
        for (n, item) in items.iter().enumerate() {
            client.batch_execute("SAVEPOINT accrete_one").await?;
            if client.batch_execute(&statement(item, n)).await.is_err() {
                executed[n] = false;
                client.batch_execute("ROLLBACK TO SAVEPOINT accrete_one").await?;
            }
        }
    }
    let checks: BTreeMap<String, String> =
        client.query(READ_CHECKS, &[]).await?.iter().map(|r| (r.get(0), r.get(1))).collect();
    let indexes: BTreeMap<String, String> = client
        .query(READ_INDEXES, &[])
        .await?
        .iter()
        .map(|r| {
            let def: String = r.get(1);
            let using = def.find(" USING ").map(|i| def[i + 1..].to_string()).unwrap_or(def);
            (r.get(0), using)
        })
        .collect();
    let mut tables: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Default { table, .. } => Some(table.sql()),
            _ => None,
        })
        .collect();
    tables.dedup();
    let defaults: BTreeMap<(String, String, String), String> = client
        .query(READ_DEFAULTS, &[&tables])
        .await?
        .iter()
        .map(|r| ((r.get(0), r.get(1), r.get(2)), r.get(3)))
        .collect();
    Ok(items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            if !executed[n] {
                return None;
            }
            let name = format!("accrete_rt_{n}");
            match item {
                Item::Check { .. } => checks.get(&name).cloned(),
                Item::Index { .. } => indexes.get(&name).cloned(),
                Item::Default { table, column, .. } => {
                    defaults.get(&(table.schema.clone(), table.name.clone(), column.clone())).cloned()
                }
            }
        })
        .collect())
}

/// The desired catalog's texts that may print differently once executed again.
fn items_of(catalog: &Catalog) -> Vec<Item> {
    let mut items = Vec::new();
    for t in catalog.tables.values() {
        for c in t.constraints.values().filter(|c| c.kind == ConstraintKind::Check) {
            items.push(Item::Check {
                table: t.name.clone(),
                name: c.name.clone(),
                definition: c.definition.clone(),
            });
        }
        for c in &t.columns {
            if let Some(expr) = c.default.as_ref().filter(|e| !plain_default(e)) {
                items.push(Item::Default {
                    table: t.name.clone(),
                    column: c.name.clone(),
                    expr: expr.clone(),
                });
            }
        }
        for i in t.indexes.values().filter(|i| !plain_index(&i.definition)) {
            items.push(Item::Index {
                table: t.name.clone(),
                name: i.name.clone(),
                definition: i.definition.clone(),
            });
        }
    }
    items
}

fn set_text(catalog: &mut Catalog, item: &Item, text: String) {
    let (Item::Check { table, .. } | Item::Default { table, .. } | Item::Index { table, .. }) = item;
    let Some(t) = catalog.tables.get_mut(table) else { return };
    match item {
        Item::Check { name, .. } => {
            if let Some(c) = t.constraints.get_mut(name) {
                c.definition = text;
            }
        }
        Item::Default { column, .. } => {
            if let Some(c) = t.columns.iter_mut().find(|c| &c.name == column) {
                c.default = Some(text);
            }
        }
        Item::Index { name, .. } => {
            if let Some(i) = t.indexes.get_mut(name) {
                i.definition = text;
            }
        }
    }
}

/// What an expression is: a CHECK constraint, a column default or an index definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpressionKind {
    Check,
    Default,
    Index,
}

/// One expression whose settled text differs from the text PostgreSQL printed after the files loaded: a
/// live text equal to either is the same definition (the snapshot keeps both, `crate::snapshot`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Expression {
    pub table: QualName,
    pub kind: ExpressionKind,
    /// The constraint's, column's or index's name.
    pub name: String,
    /// As printed after loading the files.
    pub loaded: String,
    /// As printed after executing the loaded text once more: the desired catalog's text.
    pub settled: String,
}

/// Replaces the desired catalog's expression texts with what executing them prints (see the module docs);
/// returns the expressions whose text changed, with both texts.
pub async fn settle_desired(client: &Client, desired: &mut Catalog) -> Result<Vec<Expression>> {
    let items = items_of(desired);
    let settled = settle(client, &items).await.context("settling expressions in the scratch database")?;
    let mut changed = Vec::new();
    for (item, text) in items.iter().zip(settled) {
        let Some(text) = text else { continue };
        let (table, kind, name, old) = match item {
            Item::Check { table, name, definition } => (table, ExpressionKind::Check, name, definition),
            Item::Index { table, name, definition } => (table, ExpressionKind::Index, name, definition),
            Item::Default { table, column, expr } => (table, ExpressionKind::Default, column, expr),
        };
        if &text != old {
            changed.push(Expression {
                table: table.clone(),
                kind,
                name: name.clone(),
                loaded: old.clone(),
                settled: text.clone(),
            });
            set_text(desired, item, text);
        }
    }
    Ok(changed)
}

/// Where a live text differs from the desired one but settles to it, gives the live catalog the desired
/// text (see the module docs). Runs on the scratch database, which holds the desired tables.
pub async fn align_live(client: &Client, desired: &Catalog, live: &mut Catalog) -> Result<usize> {
    let mut items = Vec::new();
    let mut wanted = Vec::new();
    for (name, d) in &desired.tables {
        let Some(l) = live.tables.get(name) else { continue };
        for dc in d.constraints.values().filter(|c| c.kind == ConstraintKind::Check) {
            if let Some(lc) =
                l.constraints.get(&dc.name).filter(|lc| lc.kind == dc.kind && lc.definition != dc.definition)
            {
                items.push(Item::Check {
                    table: name.clone(),
                    name: dc.name.clone(),
                    definition: lc.definition.clone(),
                });
                wanted.push(dc.definition.clone());
            }
        }
        for dc in &d.columns {
            let Some(lc) = l.column(&dc.name) else { continue };
            if let (Some(de), Some(le)) = (&dc.default, &lc.default)
                && de != le
                && dc.data_type == lc.data_type
            {
                items.push(Item::Default { table: name.clone(), column: dc.name.clone(), expr: le.clone() });
                wanted.push(de.clone());
            }
        }
        for di in d.indexes.values() {
            if let Some(li) = l.indexes.get(&di.name).filter(|li| li.definition != di.definition) {
                items.push(Item::Index {
                    table: name.clone(),
                    name: di.name.clone(),
                    definition: li.definition.clone(),
                });
                wanted.push(di.definition.clone());
            }
        }
    }
    let settled =
        settle(client, &items).await.context("comparing live definitions in the scratch database")?;
    let mut aligned = 0;
    for ((item, text), wanted) in items.iter().zip(settled).zip(wanted) {
        if text.as_deref() == Some(wanted.as_str()) {
            aligned += 1;
            set_text(live, item, wanted);
        }
    }
    Ok(aligned)
}

/// Whether an index definition as PostgreSQL prints it (`USING btree (status, created_at DESC)`) names
/// only columns, with their options (operator class, order, nulls, `INCLUDE`, storage parameters without
/// quotes): no expression, no predicate, no literal, no quoted name. Such a text is printed from names
/// alone and cannot change when executed again.
fn plain_index(definition: &str) -> bool {
    let words = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || "_ ,.".contains(c));
    // `name (inside)` at the start of `text`: the rest after its closing parenthesis.
    let group = |text: &'static str, rest: &str, allowed: &dyn Fn(&str) -> bool| -> Option<String> {
        let (inside, after) = rest.strip_prefix(text)?.split_once(')')?;
        allowed(inside).then(|| after.to_string())
    };
    if definition.contains(['\'', '"', ':', '[']) {
        return false;
    }
    let Some(rest) = definition.strip_prefix("USING ") else { return false };
    let Some((method, rest)) = rest.split_once(' ') else { return false };
    let Some(mut rest) = group("(", rest, &words) else { return false };
    if let Some(after) = group(" INCLUDE (", &rest, &words) {
        rest = after;
    }
    let parameters = |t: &str| words(&t.replace('=', " "));
    if let Some(after) = group(" WITH (", &rest, &parameters) {
        rest = after;
    }
    words(method) && rest.is_empty()
}

/// Whether a default as PostgreSQL prints it is one constant or a call without arguments: a number, `true`,
/// `false`, a quoted literal with one cast to a type named without modifiers (`'{}'::jsonb`,
/// `'new'::app.status`, `'{}'::text[]`), or `now()`. PostgreSQL stores such a default as that one constant
/// (or call), already of the column's type, and prints it back the same way.
fn plain_default(expr: &str) -> bool {
    let name = |t: &str| {
        !t.is_empty()
            && t.split('.').all(|p| {
                p.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                    && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
    };
    if expr == "true" || expr == "false" {
        return true;
    }
    if !expr.is_empty()
        && expr.chars().all(|c| c.is_ascii_digit() || c == '.')
        && expr.matches('.').count() <= 1
    {
        return true;
    }
    if let Some(call) = expr.strip_suffix("()") {
        return name(call);
    }
    let Some(literal) = expr.strip_prefix('\'') else { return false };
    // The literal's end: a quote not doubled.
    let bytes = literal.as_bytes();
    let mut i = 0;
    let end = loop {
        match bytes.get(i) {
            None => return false,
            Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            Some(b'\'') => break i,
            Some(_) => i += 1,
        }
    };
    let Some(type_name) = literal[end + 1..].strip_prefix("::") else { return false };
    let type_name = type_name.strip_suffix("[]").unwrap_or(type_name);
    name(type_name) && !literal[..end].contains('\\')
}

#[cfg(test)]
mod tests {
    use super::{plain_default, plain_index};

    #[test]
    fn indexes_on_plain_columns_are_not_settled() {
        for plain in [
            "USING btree (id)",
            "USING btree (status, created_at DESC)",
            "USING btree (a NULLS FIRST) INCLUDE (b, c)",
            "USING gist (geom public.gist_geometry_ops_2d)",
            "USING btree (id) WITH (fillfactor=70)",
        ] {
            assert!(plain_index(plain), "{plain}");
        }
        for settled in [
            "USING btree (lower(name))",
            "USING btree (id) WHERE (deleted_at IS NULL)",
            "USING btree (\"Name\")",
            "USING btree (name COLLATE \"C\")",
            "USING btree (((data ->> 'k'::text)))",
            "USING btree (id) WITH (fillfactor='70')",
            "USING btree ((a + b))",
            "USING btree (id) INCLUDE (lower(x))",
        ] {
            assert!(!plain_index(settled), "{settled}");
        }
    }

    #[test]
    fn constant_defaults_are_not_settled() {
        for plain in [
            "0",
            "42",
            "0.5",
            "true",
            "false",
            "now()",
            "'{}'::jsonb",
            "'new'::app.order_status",
            "'{}'::text[]",
            "'it''s'::text",
        ] {
            assert!(plain_default(plain), "{plain}");
        }
        for settled in [
            "nextval('s'::regclass)",
            "'-1'::integer + 1",
            "'abc'::character varying",
            "'abc'::character varying(10)",
            "'a'::\"Status\"",
            "(now() + '1 day'::interval)",
            "ARRAY['a'::text]",
            "'a'::text || 'b'::text",
            "'a\\b'::text",
            "E'a\\\\b'::text",
            "CURRENT_TIMESTAMP",
            "-1",
            "''::text::character varying",
        ] {
            assert!(!plain_default(settled), "{settled}");
        }
    }
}
