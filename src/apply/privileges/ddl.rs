//! What one step needs from the role that runs it, read from the DDL the step executes.
//!
//! A step is a `DO` block whose DDL runs through `EXECUTE $tag$...$tag$`, or, outside a transaction, a
//! `DO` block and `SELECT '<ddl>' WHERE ...` statements run by `\gexec`. [`executed_ddl`] finds those DDL
//! texts; [`uses`] maps each shape `src/plan/guards.rs` writes to the privileges PostgreSQL checks for it:
//! CREATE on the database for a schema, CREATE on a schema for what is created in it (also for an index,
//! a primary key, unique or exclusion constraint, and an identity or serial column, which create an index
//! or a sequence there), ownership of what is altered or commented on, REFERENCES on the columns a foreign
//! key references, TRIGGER on a table that gets a trigger, USAGE on every schema a name is looked up in and
//! on every type a column or cast uses, a trusted extension or a superuser, a superuser to create or alter
//! an event trigger and its ownership to drop one or comment on it.
//!
//! Invariants:
//! - only the DDL a step executes is read, never its guard's messages or catalog lookups;
//! - every requirement of a step carries the step's probe: the object whose presence means the guard
//!   skips the step (or fails it, naming the object) instead of running its DDL;
//! - a shape not recognized adds no requirement here (the step's own error then names what failed).

use crate::catalog::QualName;
use crate::planfile::{Stmt, Terminator};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// A privilege (or a session property) the running role needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// The session may write (`transaction_read_only` is off).
    ReadWrite,
    CreateOnDatabase,
    CreateOnSchema(String),
    UsageOnSchema(String),
    OwnSchema(String),
    /// Ownership of a relation; the word (`table`, `sequence`, `index`) is for messages.
    OwnRelation(&'static str, QualName),
    OwnType(QualName),
    /// Ownership of every function or procedure of this name (its overloads).
    OwnFunction(QualName),
    /// REFERENCES on one column a foreign key references.
    References(QualName, String),
    UsageOnType(QualName),
    /// Creating the extension: a superuser, or a trusted extension and CREATE on the database.
    Extension(String),
    /// A table privilege (`SELECT`, `INSERT`, `UPDATE`, `TRIGGER`) on an existing table.
    OnTable(QualName, &'static str),
    /// A superuser: only one can create or alter an event trigger.
    Superuser,
    /// Ownership of an event trigger (to drop it or comment on it).
    OwnEventTrigger(String),
}

/// An object whose presence makes a step's guard skip (or fail) the step instead of running its DDL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Probe {
    Schema(String),
    Extension(String),
    Relation(QualName),
    Type(QualName),
    Column(QualName, String),
    Constraint(QualName, String),
    ValidConstraint(QualName, String),
    /// A valid index, by its schema-qualified name (an invalid one is rebuilt).
    ValidIndex(QualName),
    EnumLabel(QualName, String),
    Trigger(QualName, String),
    Rule(QualName, String),
    Policy(QualName, String),
    EventTrigger(String),
}

/// One requirement: `need`, unless `unless` exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub need: Need,
    pub unless: Option<Probe>,
}

/// A significant token, reduced to what the shapes need.
#[derive(Debug, Clone, PartialEq, Eq)]
enum T {
    /// An unquoted word, lower-cased (a keyword or an identifier).
    Word(String),
    /// A quoted identifier, as written between the quotes.
    Quoted(String),
    Str(String),
    Dollar(String),
    Period,
    LParen,
    RParen,
    Comma,
    Other,
}

fn tokens(sql: &str) -> Vec<T> {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize() else { return Vec::new() };
    tokens
        .into_iter()
        .filter_map(|token| {
            Some(match token {
                Token::Whitespace(_) | Token::EOF => return None,
                Token::Word(w) if w.quote_style == Some('"') => T::Quoted(w.value),
                Token::Word(w) if w.quote_style.is_none() => T::Word(w.value.to_lowercase()),
                Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => T::Str(s),
                Token::DollarQuotedString(d) => T::Dollar(d.value),
                Token::Period => T::Period,
                Token::LParen => T::LParen,
                Token::RParen => T::RParen,
                Token::Comma => T::Comma,
                _ => T::Other,
            })
        })
        .collect()
}

/// The DDL texts a step's statements execute, in order.
pub fn executed_ddl(statements: &[Stmt]) -> Vec<String> {
    let mut ddl = Vec::new();
    for stmt in statements {
        match tokens(&stmt.text).as_slice() {
            [T::Word(w), T::Dollar(body)] if w == "do" => {
                for pair in tokens(body).windows(2) {
                    if let [T::Word(w), T::Dollar(text)] = pair {
                        if w == "execute" {
                            ddl.push(text.clone());
                        }
                    }
                }
            }
            [T::Word(w), T::Str(text), T::Word(w2), ..]
                if w == "select" && w2 == "where" && stmt.terminator == Terminator::Gexec =>
            {
                ddl.push(text.clone())
            }
            _ => {}
        }
    }
    ddl
}

/// A read position in a statement's tokens.
struct Cursor<'a> {
    t: &'a [T],
    i: usize,
}

impl Cursor<'_> {
    /// Consumes the keywords `words`, in order, or nothing.
    fn words(&mut self, words: &[&str]) -> bool {
        let matched = words
            .iter()
            .enumerate()
            .all(|(k, w)| matches!(self.t.get(self.i + k), Some(T::Word(x)) if x == w));
        if matched {
            self.i += words.len();
        }
        matched
    }

    fn word(&mut self) -> Option<String> {
        match self.t.get(self.i) {
            Some(T::Word(w)) => {
                self.i += 1;
                Some(w.clone())
            }
            _ => None,
        }
    }

    fn ident(&mut self) -> Option<String> {
        let name = name_part(self.t.get(self.i)?)?;
        self.i += 1;
        Some(name)
    }

    /// `a.b.c`: the parts of a dotted name.
    fn chain(&mut self) -> Option<Vec<String>> {
        let mut parts = vec![self.ident()?];
        while self.t.get(self.i) == Some(&T::Period) && self.t.get(self.i + 1).and_then(name_part).is_some() {
            self.i += 1;
            parts.push(self.ident()?);
        }
        Some(parts)
    }

    /// A schema-qualified name.
    fn qual(&mut self) -> Option<QualName> {
        match self.chain()?.as_slice() {
            [schema, name] => Some(QualName::new(schema, name)),
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        match self.t.get(self.i) {
            Some(T::Str(s)) => {
                self.i += 1;
                Some(s.clone())
            }
            _ => None,
        }
    }

    /// The qualified name after the next unquoted `word`.
    fn after(&mut self, word: &str) -> Option<QualName> {
        while !self.words(&[word]) {
            self.t.get(self.i)?;
            self.i += 1;
        }
        self.qual()
    }

    /// Whether the keyword occurs anywhere from here on.
    fn rest_has(&self, word: &str) -> bool {
        self.t[self.i..].iter().any(|t| matches!(t, T::Word(w) if w == word))
    }
}

fn name_part(t: &T) -> Option<String> {
    match t {
        T::Word(w) => Some(w.clone()),
        T::Quoted(q) => Some(q.clone()),
        _ => None,
    }
}

/// What one DDL statement needs; empty for a shape that needs nothing of its own (`DROP INDEX` of an
/// invalid index, which only ever precedes the `CREATE INDEX` of the same step) or is not recognized.
/// Function bodies (dollar-quoted) are not read: PostgreSQL checks what they use when they run.
pub fn uses(ddl: &str) -> Vec<Use> {
    let t = tokens(ddl);
    let mut c = Cursor { t: &t, i: 0 };
    let Some((probe, needs)) = shape(&mut c) else { return Vec::new() };
    let mut all = needs;
    all.extend(lookups(&t));
    all.into_iter().map(|need| Use { need, unless: probe.clone() }).collect()
}

/// The statement's own needs, and its probe.
type Shape = (Option<Probe>, Vec<Need>);

fn shape(c: &mut Cursor) -> Option<Shape> {
    if c.words(&["create"]) {
        return create(c);
    }
    if c.words(&["alter", "type"]) {
        let q = c.qual()?;
        let probe = match c.words(&["add", "value"]) {
            true => c.string().map(|v| Probe::EnumLabel(q.clone(), v)),
            false => None,
        };
        return Some((probe, vec![Need::OwnType(q)]));
    }
    if c.words(&["alter", "sequence"]) {
        let mut needs = vec![Need::OwnRelation("sequence", c.qual()?)];
        if c.words(&["owned", "by"]) {
            if let [schema, table, _column] = c.chain()?.as_slice() {
                needs.push(Need::OwnRelation("table", QualName::new(schema, table)));
            }
        }
        return Some((None, needs));
    }
    if c.words(&["alter", "table"]) {
        return alter_table(c);
    }
    // `ALTER FOREIGN TABLE q ...` (an in-place alteration): its owner. (`ALTER SERVER s`: the server's
    // owner, which PostgreSQL names.)
    if c.words(&["alter", "foreign", "table"]) {
        return Some((None, vec![Need::OwnRelation("foreign table", c.qual()?)]));
    }
    if c.words(&["alter", "event", "trigger"]) {
        c.ident()?;
        return Some((None, vec![Need::Superuser]));
    }
    if c.words(&["drop", "event", "trigger"]) {
        return Some((None, vec![Need::OwnEventTrigger(c.ident()?)]));
    }
    // `ALTER INDEX parent ATTACH PARTITION child`: the owner of both.
    if c.words(&["alter", "index"]) {
        let mut needs = vec![Need::OwnRelation("index", c.qual()?)];
        if c.words(&["attach", "partition"]) {
            needs.push(Need::OwnRelation("index", c.qual()?));
        }
        return Some((None, needs));
    }
    if c.words(&["comment", "on"]) {
        return Some((None, vec![comment_target(c)?]));
    }
    None
}

/// `CREATE [OR REPLACE] [UNLOGGED | MATERIALIZED | RECURSIVE | CONSTRAINT | UNIQUE] <kind> ...`
fn create(c: &mut Cursor) -> Option<Shape> {
    c.words(&["or", "replace"]);
    for modifier in ["unlogged", "materialized", "recursive", "constraint", "unique"] {
        c.words(&[modifier]);
    }
    let in_schema = |q: &QualName| vec![Need::CreateOnSchema(q.schema.clone())];
    Some(match c.word()?.as_str() {
        "schema" => (Some(Probe::Schema(c.ident()?)), vec![Need::CreateOnDatabase]),
        "extension" => {
            let e = c.ident()?;
            (Some(Probe::Extension(e.clone())), vec![Need::Extension(e)])
        }
        "type" | "domain" => {
            let q = c.qual()?;
            (Some(Probe::Type(q.clone())), in_schema(&q))
        }
        "sequence" | "view" => {
            let q = c.qual()?;
            (Some(Probe::Relation(q.clone())), in_schema(&q))
        }
        "function" | "procedure" | "aggregate" | "collation" => (None, in_schema(&c.qual()?)),
        // `CREATE PUBLICATION p`: CREATE on the database; a superuser for every table or a schema's.
        "publication" => {
            let mut needs = vec![Need::CreateOnDatabase];
            if c.rest_has("all") || c.rest_has("schema") {
                needs.push(Need::Superuser);
            }
            (None, needs)
        }
        // `CREATE FOREIGN DATA WRAPPER w`: a superuser.
        "foreign" if c.words(&["data", "wrapper"]) => (None, vec![Need::Superuser]),
        // `CREATE FOREIGN TABLE q`: CREATE on its schema (and USAGE on its server, which PostgreSQL names).
        "foreign" if c.words(&["table"]) => {
            let q = c.qual()?;
            (Some(Probe::Relation(q.clone())), in_schema(&q))
        }
        // `CREATE STATISTICS q ... FROM t`: the table's owner.
        "statistics" => {
            let q = c.qual()?;
            let table = c.after("from")?;
            (None, vec![Need::CreateOnSchema(q.schema.clone()), Need::OwnRelation("table", table)])
        }
        // `CREATE TEXT SEARCH DICTIONARY | CONFIGURATION q`.
        "text" => {
            c.words(&["search"]).then_some(())?;
            c.word()?;
            (None, in_schema(&c.qual()?))
        }
        "table" => return create_table(c),
        "index" => {
            c.words(&["concurrently"]);
            let name = c.ident()?;
            c.words(&["on"]).then_some(())?;
            c.words(&["only"]);
            let table = c.qual()?;
            let probe = Probe::ValidIndex(QualName::new(&table.schema, name));
            (Some(probe), vec![Need::CreateOnSchema(table.schema.clone()), Need::OwnRelation("table", table)])
        }
        // `CREATE TRIGGER t ... ON q`: TRIGGER on the table.
        "trigger" => {
            let name = c.ident()?;
            let table = c.after("on")?;
            (Some(Probe::Trigger(table.clone(), name)), vec![Need::OnTable(table, "TRIGGER")])
        }
        // `CREATE RULE r AS ON event TO q` and `CREATE POLICY p ON q`: the table's owner.
        "rule" => {
            let name = c.ident()?;
            let table = c.after("to")?;
            (Some(Probe::Rule(table.clone(), name)), vec![Need::OwnRelation("table", table)])
        }
        "policy" => {
            let name = c.ident()?;
            let table = c.after("on")?;
            (Some(Probe::Policy(table.clone(), name)), vec![Need::OwnRelation("table", table)])
        }
        // `CREATE EVENT TRIGGER e ON event ... EXECUTE FUNCTION f()`: a superuser.
        "event" => {
            c.words(&["trigger"]).then_some(())?;
            (Some(Probe::EventTrigger(c.ident()?)), vec![Need::Superuser])
        }
        _ => return None,
    })
}

fn create_table(c: &mut Cursor) -> Option<Shape> {
    let q = c.qual()?;
    let mut needs = vec![Need::CreateOnSchema(q.schema.clone())];
    // A partition or an inheriting table needs to own its parents.
    while c.i < c.t.len() {
        if c.words(&["partition", "of"]) || c.words(&["inherits"]) {
            let in_parens = c.t.get(c.i) == Some(&T::LParen);
            c.i += usize::from(in_parens);
            while let Some(parent) = c.qual() {
                needs.push(Need::OwnRelation("table", parent));
                if !(in_parens && c.t.get(c.i) == Some(&T::Comma)) {
                    break;
                }
                c.i += 1;
            }
        } else {
            c.i += 1;
        }
    }
    Some((Some(Probe::Relation(q)), needs))
}

fn alter_table(c: &mut Cursor) -> Option<Shape> {
    let table = c.qual()?;
    let mut needs = vec![Need::OwnRelation("table", table.clone())];
    if c.words(&["add", "column"]) {
        let column = c.ident()?;
        // An identity or serial column creates a sequence in the table's schema.
        let serial = ["serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"];
        if c.rest_has("identity") || serial.iter().any(|s| c.t.get(c.i) == Some(&T::Word(s.to_string()))) {
            needs.push(Need::CreateOnSchema(table.schema.clone()));
        }
        return Some((Some(Probe::Column(table, column)), needs));
    }
    if c.words(&["add", "constraint"]) {
        let name = c.ident()?;
        // These build an index in the table's schema.
        if matches!(c.t.get(c.i), Some(T::Word(w)) if ["primary", "unique", "exclude"].contains(&w.as_str()))
        {
            needs.push(Need::CreateOnSchema(table.schema.clone()));
        }
        while c.i < c.t.len() {
            if !c.words(&["references"]) {
                c.i += 1;
                continue;
            }
            let Some(referenced) = c.qual() else { continue };
            if c.t.get(c.i) == Some(&T::LParen) {
                c.i += 1;
                while let Some(column) = c.ident() {
                    needs.push(Need::References(referenced.clone(), column));
                    if c.t.get(c.i) != Some(&T::Comma) {
                        break;
                    }
                    c.i += 1;
                }
            }
        }
        return Some((Some(Probe::Constraint(table, name)), needs));
    }
    if c.words(&["validate", "constraint"]) {
        let name = c.ident()?;
        return Some((Some(Probe::ValidConstraint(table, name)), needs));
    }
    Some((None, needs))
}

/// `COMMENT ON <kind> <object>`: the owner of the object (of its table, for a column or a constraint).
fn comment_target(c: &mut Cursor) -> Option<Need> {
    Some(match c.word()?.as_str() {
        "schema" => Need::OwnSchema(c.ident()?),
        "table" => Need::OwnRelation("table", c.qual()?),
        "sequence" => Need::OwnRelation("sequence", c.qual()?),
        "index" => Need::OwnRelation("index", c.qual()?),
        "type" => Need::OwnType(c.qual()?),
        "view" => Need::OwnRelation("view", c.qual()?),
        "materialized" => {
            c.words(&["view"]).then_some(())?;
            Need::OwnRelation("materialized view", c.qual()?)
        }
        "function" | "procedure" => Need::OwnFunction(c.qual()?),
        "column" => match c.chain()?.as_slice() {
            [schema, table, _column] => Need::OwnRelation("table", QualName::new(schema, table)),
            _ => return None,
        },
        "event" => {
            c.words(&["trigger"]).then_some(())?;
            Need::OwnEventTrigger(c.ident()?)
        }
        "constraint" | "trigger" | "policy" | "rule" => {
            c.ident()?;
            c.words(&["on"]).then_some(())?;
            Need::OwnRelation("table", c.qual()?)
        }
        _ => return None,
    })
}

/// USAGE on the schema of every qualified name (outside `pg_catalog`), and on every type a two-part name
/// that is not a call may be (the check ignores names that are not types, and tables' row types).
fn lookups(t: &[T]) -> Vec<Need> {
    let mut needs = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let starts = name_part(&t[i]).is_some() && (i == 0 || t[i - 1] != T::Period);
        if !starts {
            i += 1;
            continue;
        }
        let mut c = Cursor { t, i };
        let parts = c.chain().unwrap_or_default();
        i = c.i.max(i + 1);
        if parts.len() < 2 || parts[0] == "pg_catalog" {
            continue;
        }
        needs.push(Need::UsageOnSchema(parts[0].clone()));
        if parts.len() == 2 && t.get(i) != Some(&T::LParen) {
            needs.push(Need::UsageOnType(QualName::new(&parts[0], &parts[1])));
        }
    }
    needs
}
