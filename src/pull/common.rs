//! What both writers decide alike: which sequence options differ from PostgreSQL's defaults, when a
//! serial column can be written `serial`, which foreign keys close a cycle between tables, and the order
//! of a table's constraints.

use crate::catalog::{Catalog, Column, Constraint, ConstraintKind, QualName, SequenceOptions, Table};
use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;
use std::collections::{BTreeMap, BTreeSet};

/// The range of an integer type (`smallint`, `integer`, `bigint`).
fn range(data_type: &str) -> (i64, i64) {
    match data_type {
        "smallint" => (i16::MIN as i64, i16::MAX as i64),
        "integer" => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    }
}

/// The options PostgreSQL gives a sequence of `data_type` with `increment` when nothing else is said.
pub fn default_options(data_type: &str, increment: i64) -> SequenceOptions {
    let (min, max) = range(data_type);
    let (min_value, max_value) = if increment < 0 { (min, -1) } else { (1, max) };
    SequenceOptions {
        data_type: data_type.to_string(),
        start: if increment < 0 { max_value } else { min_value },
        increment,
        min_value,
        max_value,
        cache: 1,
        cycle: false,
    }
}

/// The options that differ from the defaults (type aside), as (key, value) in the order `CREATE
/// SEQUENCE` takes them: `increment`, `min_value`, `max_value`, `start`, `cache`, `cycle`.
pub fn changed_options(o: &SequenceOptions) -> Vec<(&'static str, i64)> {
    let d = default_options(&o.data_type, o.increment);
    let mut out = Vec::new();
    for (key, value, default) in [
        ("increment", o.increment, 1),
        ("min_value", o.min_value, d.min_value),
        ("max_value", o.max_value, d.max_value),
        ("start", o.start, d.start),
        ("cache", o.cache, d.cache),
    ] {
        if value != default {
            out.push((key, value));
        }
    }
    if o.cycle {
        out.push(("cycle", 1));
    }
    out
}

/// SQL words of an option from [`changed_options`].
pub fn option_sql(key: &str, value: i64) -> String {
    match key {
        "increment" => format!("INCREMENT BY {value}"),
        "min_value" => format!("MINVALUE {value}"),
        "max_value" => format!("MAXVALUE {value}"),
        "start" => format!("START WITH {value}"),
        "cache" => format!("CACHE {value}"),
        _ => "CYCLE".to_string(),
    }
}

/// `serial`, `smallserial` or `bigserial` when the column is exactly what that type word makes, sequence
/// name included (`<table>_<column>_seq`); else the column is written with its sequence spelled out.
pub fn serial_word(table: &QualName, c: &Column) -> Option<&'static str> {
    let serial = c.serial.as_ref()?;
    let implied = QualName::new(table.schema.clone(), format!("{}_{}_seq", table.name, c.name));
    if serial.sequence != implied || implied.name.len() > 63 {
        return None;
    }
    let word = match c.data_type.as_str() {
        "smallint" => "smallserial",
        "integer" => "serial",
        "bigint" => "bigserial",
        _ => return None,
    };
    let plain = c.not_null && serial.options == default_options(&c.data_type, 1) && c.collation.is_none();
    plain.then_some(word)
}

/// The serial columns written with their sequence spelled out: (column, sequence).
pub fn spelled_serials(t: &Table) -> Vec<(&Column, &QualName)> {
    t.columns
        .iter()
        .filter(|c| serial_word(&t.name, c).is_none())
        .filter_map(|c| c.serial.as_ref().map(|s| (c, &s.sequence)))
        .collect()
}

/// `nextval('schema.seq'::regclass)`, as PostgreSQL prints a serial column's default.
pub fn nextval(sequence: &QualName) -> String {
    format!("nextval({}::regclass)", crate::catalog::quote_literal(&sequence.sql()))
}

/// Foreign keys that close a cycle between tables (a table referencing itself is no cycle). A table's
/// `CREATE TABLE` needs the tables its inline foreign keys reference and its parents (`INHERITS`,
/// `PARTITION OF`). Within a group of tables that reach each other through both kinds of edge, the tables
/// are ordered parents first, then by name (Kahn's algorithm); a foreign key to a table later in that
/// order is written after both tables, as `ALTER TABLE ... ADD CONSTRAINT`. Every edge left then points
/// to an earlier table, so no cycle is left. Keyed by (table, name).
pub fn cycle_foreign_keys(catalog: &Catalog) -> BTreeSet<(QualName, String)> {
    let mut graph = DiGraph::<&QualName, ()>::new();
    let nodes: BTreeMap<&QualName, _> = catalog.tables.keys().map(|n| (n, graph.add_node(n))).collect();
    for t in catalog.tables.values() {
        let targets = foreign_keys(t).filter_map(|c| c.references.as_ref()).chain(parents(t));
        for target in targets.filter(|target| *target != &t.name) {
            if let (Some(&from), Some(&to)) = (nodes.get(&t.name), nodes.get(target)) {
                graph.add_edge(from, to, ());
            }
        }
    }
    let mut position = BTreeMap::new();
    for scc in tarjan_scc(&graph).into_iter().filter(|scc| scc.len() > 1) {
        let group: BTreeSet<&QualName> = scc.into_iter().map(|n| graph[n]).collect();
        for (i, name) in parents_first(catalog, &group).into_iter().enumerate() {
            position.insert(name, (group.first().copied(), i));
        }
    }
    let mut out = BTreeSet::new();
    for t in catalog.tables.values() {
        let Some((group, at)) = position.get(&t.name) else { continue };
        for c in foreign_keys(t) {
            let Some(target) = &c.references else { continue };
            if matches!(position.get(target), Some((g, there)) if g == group && there > at) {
                out.insert((t.name.clone(), c.name.clone()));
            }
        }
    }
    out
}

/// The tables a table's `CREATE TABLE` names as parents.
fn parents(t: &Table) -> impl Iterator<Item = &QualName> {
    t.inherits.iter().chain(t.partition_of.as_ref().map(|p| &p.parent))
}

/// The tables of `group` with every parent (within the group) before its children, by name otherwise.
fn parents_first<'a>(catalog: &Catalog, group: &BTreeSet<&'a QualName>) -> Vec<&'a QualName> {
    let waiting_on = |name: &QualName, placed: &BTreeSet<&QualName>| {
        catalog
            .tables
            .get(name)
            .is_some_and(|t| parents(t).any(|p| p != name && group.contains(p) && !placed.contains(p)))
    };
    let mut placed = BTreeSet::new();
    let mut order = Vec::new();
    while order.len() < group.len() {
        // Inheritance has no cycles, so some table is always ready; the fallback only guards the loop.
        let next = group
            .iter()
            .find(|n| !placed.contains(*n) && !waiting_on(n, &placed))
            .or_else(|| group.iter().find(|n| !placed.contains(*n)))
            .copied()
            .expect("a table not yet placed");
        placed.insert(next);
        order.push(next);
    }
    order
}

fn foreign_keys(t: &Table) -> impl Iterator<Item = &Constraint> {
    t.constraints.values().filter(|c| c.kind == ConstraintKind::ForeignKey)
}

/// A table's constraints in the order they are written: primary key, unique, exclusion, foreign keys,
/// checks; by name within a kind.
pub fn ordered_constraints(t: &Table) -> Vec<&Constraint> {
    let rank = |k: ConstraintKind| match k {
        ConstraintKind::PrimaryKey => 0,
        ConstraintKind::Unique => 1,
        ConstraintKind::Exclusion => 2,
        ConstraintKind::ForeignKey => 3,
        ConstraintKind::Check => 4,
    };
    let mut out: Vec<&Constraint> = t.constraints.values().collect();
    out.sort_by(|a, b| (rank(a.kind), &a.name).cmp(&(rank(b.kind), &b.name)));
    out
}

/// Whether a column's NOT NULL goes without saying: identity columns and primary key columns have it.
pub fn implied_not_null(t: &Table, c: &Column) -> bool {
    c.identity.is_some()
        || t.constraints
            .values()
            .any(|k| k.kind == ConstraintKind::PrimaryKey && k.columns.iter().any(|name| name == &c.name))
}

pub use crate::catalog::default_not_null_name as not_null_name;

/// Whether a column's NOT NULL is written after the table's constraints (`ALTER COLUMN ... SET NOT
/// NULL`) rather than in `CREATE TABLE`: when a constraint of the table has the name PostgreSQL 18 would
/// give the NOT NULL constraint. Declared first, the NOT NULL would take that name, and adding the
/// constraint would fail ("already exists"); declared later, it takes another.
pub fn late_not_null(t: &Table, c: &Column) -> bool {
    c.not_null && !implied_not_null(t, c) && t.constraints.contains_key(&not_null_name(&t.name.name, &c.name))
}

/// Whether a column's NOT NULL is a PostgreSQL 18 constraint with more to it than `NOT NULL` says: a name
/// other than the default, `NOT VALID` or `NO INHERIT`. Such a NOT NULL is written with its name and
/// attributes (`CONSTRAINT nn NOT NULL`, or `ALTER TABLE ... ADD CONSTRAINT nn NOT NULL col NOT VALID`).
pub fn constrained_not_null(c: &Column) -> bool {
    c.not_null && (c.not_null_name.is_some() || c.not_null_not_valid || c.not_null_no_inherit)
}

/// Whether a column is written `NOT NULL` (or `not_null = true`) in its definition.
pub fn inline_not_null(t: &Table, c: &Column) -> bool {
    c.not_null && !implied_not_null(t, c) && !late_not_null(t, c) && !constrained_not_null(c)
}

/// ` CONSTRAINT nn NOT NULL NO INHERIT`: a column definition's part for a [`constrained_not_null`] one
/// that is valid.
pub fn named_not_null_sql(c: &Column) -> String {
    let mut out = String::new();
    if let Some(name) = &c.not_null_name {
        out.push_str(&format!(" CONSTRAINT {}", crate::catalog::quote_ident(name)));
    }
    out.push_str(" NOT NULL");
    if c.not_null_no_inherit {
        out.push_str(" NO INHERIT");
    }
    out
}

/// The statements that make NOT NULL after the table's constraints: `ALTER TABLE ... ALTER COLUMN ... SET
/// NOT NULL` for the columns of [`late_not_null`], and `ALTER TABLE ... ADD CONSTRAINT nn NOT NULL col`
/// for a [`constrained_not_null`] one that is `NOT VALID`, or any when `inline_named` is false (TOML has no
/// field for the constraint's name).
pub fn late_not_null_statements(t: &Table, inline_named: bool) -> Vec<String> {
    let quote = crate::catalog::quote_ident;
    t.columns
        .iter()
        .filter_map(|c| {
            if late_not_null(t, c) && !constrained_not_null(c) {
                return Some(format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET NOT NULL",
                    t.name.sql(),
                    quote(&c.name)
                ));
            }
            if !constrained_not_null(c) || (inline_named && !c.not_null_not_valid) {
                return None;
            }
            let mut sql = format!("ALTER TABLE {} ADD", t.name.sql());
            if let Some(name) = &c.not_null_name {
                sql.push_str(&format!(" CONSTRAINT {}", quote(name)));
            }
            sql.push_str(&format!(" NOT NULL {}", quote(&c.name)));
            if c.not_null_not_valid {
                sql.push_str(" NOT VALID");
            }
            if c.not_null_no_inherit {
                sql.push_str(" NO INHERIT");
            }
            Some(sql)
        })
        .collect()
}

/// Extensions every new database has.
pub fn is_builtin_extension(name: &str) -> bool {
    name == "plpgsql"
}

/// The default comment of the `public` schema in a new database.
pub const PUBLIC_COMMENT: &str = "standard public schema";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_follow_postgres() {
        let up = default_options("integer", 1);
        assert_eq!((up.min_value, up.max_value, up.start), (1, i32::MAX as i64, 1));
        let down = default_options("smallint", -2);
        assert_eq!((down.min_value, down.max_value, down.start), (i16::MIN as i64, -1, -1));
        let mut o = default_options("bigint", 1);
        o.start = 1000;
        o.cache = 20;
        assert_eq!(changed_options(&o), [("start", 1000), ("cache", 20)]);
    }

    #[test]
    fn not_null_names_follow_postgres() {
        assert_eq!(not_null_name("mail_channel", "channel_type"), "mail_channel_channel_type_not_null");
        // 63 bytes at most: the longer name gives way first.
        let long = not_null_name(&"t".repeat(40), &"c".repeat(30));
        assert_eq!(long, format!("{}_{}_not_null", "t".repeat(27), "c".repeat(26)));
        assert_eq!(long.len(), 63);
        // Never in the middle of a character.
        assert_eq!(not_null_name(&"é".repeat(40), "c"), format!("{}_c_not_null", "é".repeat(26)));
    }
}
