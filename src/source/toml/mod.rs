//! The desired state written as TOML (`*.toml` beside the `.sql` files of the schema directory), turned into
//! SQL statements that then go exactly the path SQL does. The format is documented in `docs/toml.md`.
//!
//! A document's top-level keys are object kinds: `schema`, `extension`, `enum`, `sequence` and `table`
//! are structured; `view`, `materialized_view`, `function`, `procedure`, `domain` and `type` hold their
//! definition in a `sql` string, and a top-level `sql` string holds anything else. Tables have columns (in
//! file order: the order of a table created from them), a primary key, unique, check, foreign key and
//! exclusion constraints, indexes, comments, and `sql` strings for triggers, policies, rules and the rest.
//!
//! Invariants:
//! - SQL is rendered by accrete: identifiers quoted with [`crate::catalog::quote_ident`], literals with
//!   [`crate::catalog::quote_literal`], types and expressions passed through as written;
//! - every statement's origin is the TOML key that declares it, and the parts the user wrote sit at their
//!   file positions inside the statement's text ([`layout`]), so PostgreSQL's error positions map back
//!   into the TOML file; statements inside `sql` strings start where the file shows them;
//! - every mistake in the file is a diagnostic at the key or value at fault, with a stable code and help;
//!   all of them are reported together.

mod keys;
mod layout;
pub(crate) mod names;
mod node;
mod objects;
mod pos;
mod sql_value;
mod table;

#[cfg(test)]
mod tests;

use super::{Diagnostic, Item, Origin, Statement, Treatment};
use ::toml::de::{DeTable, DeValue};
use layout::Sql;
use node::{Ctx, Text};
use std::path::Path;

/// The top-level keys of a TOML schema file.
const KINDS: &[&str] = &[
    "schema",
    "extension",
    "enum",
    "sequence",
    "table",
    "view",
    "materialized_view",
    "function",
    "procedure",
    "domain",
    "type",
    "sql",
];

/// Reads one TOML file's text into statements. `file` is the path relative to the schema directory, used
/// in origins; diagnostics are placed under `root`.
pub(crate) fn read_text(root: &Path, file: &Path, text: &str) -> (Vec<Item>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(root, file, text);
    let (document, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in &errors {
            syntax_error(&mut ctx, e);
        }
        return (Vec::new(), ctx.errors);
    }
    let mut out = Out::default();
    for (key, value) in node::in_file_order(document.get_ref()) {
        let kind = key.get_ref().as_ref();
        match kind {
            "sql" => match value.get_ref() {
                DeValue::String(s) => {
                    let t = node::text(&ctx, key.span(), value.span(), s);
                    out.sql(&mut ctx, &t);
                }
                other => {
                    let message = format!("top-level `sql` must be a string, not a {}", other.type_str());
                    ctx.error("toml-wrong-type", &value.span(), message, "write SQL statements in '''...'''");
                }
            },
            _ if KINDS.contains(&kind) => {
                let Some(entries) = kind_table(&mut ctx, kind, key, value) else { continue };
                match kind {
                    "schema" | "extension" => objects::single_level(&mut ctx, &mut out, kind, entries),
                    _ => {
                        for object in objects::two_level(&mut ctx, kind, entries) {
                            match kind {
                                "table" => table::table(&mut ctx, &mut out, object),
                                "enum" => objects::enum_type(&mut ctx, &mut out, object),
                                "sequence" => objects::sequence(&mut ctx, &mut out, object),
                                _ => objects::code(&mut ctx, &mut out, kind, object),
                            }
                        }
                    }
                }
            }
            _ => {
                let message = format!("unknown object kind `{kind}`");
                let help = format!(
                    "the top-level keys of a schema file are object kinds: {}; anything else goes in a \
                     top-level sql = '''...''' string",
                    KINDS.join(", ")
                );
                ctx.error("toml-unknown-key", &key.span(), message, help);
            }
        }
    }
    (out.items, ctx.errors)
}

/// A top-level kind's table of entries.
fn kind_table<'t, 'i>(
    ctx: &mut Ctx<'_>,
    kind: &str,
    key: &'t ::toml::Spanned<std::borrow::Cow<'i, str>>,
    value: &'t ::toml::Spanned<DeValue<'i>>,
) -> Option<&'t DeTable<'i>> {
    match value.get_ref() {
        DeValue::Table(t) => Some(t),
        other => {
            let message = format!("`{kind}` must be a table of objects, not a {}", other.type_str());
            let help = match kind {
                "schema" | "extension" => format!("write [{kind}.NAME] sections"),
                _ => format!("write [{kind}.SCHEMA.NAME] sections"),
            };
            ctx.error("toml-wrong-type", &key.span(), message, help);
            None
        }
    }
}

/// The statements of a file, in the order they were declared.
#[derive(Default)]
pub(crate) struct Out {
    pub items: Vec<Item>,
}

impl Out {
    /// A statement accrete rendered. It goes through the rules of a SQL file's statements: it must split
    /// as exactly one statement (no meta-command) that is classified as a declaration; the values checked
    /// where they are read ([`sql_value`]) make anything else an internal mistake, reported all the same.
    pub fn statement(&mut self, ctx: &mut Ctx<'_>, sql: &Sql, summary: String) {
        let (origin, text) = sql.finish();
        let origin = ctx.origin(origin);
        if let Err(why) = one_declaration(&text, &origin) {
            let message = format!("`{summary}` made from this TOML is not one declaration: {why}");
            let help = "write types and expressions as single values; other SQL belongs in a `sql` string";
            ctx.errors
                .push(Diagnostic::error("toml-not-one-statement", message).at(ctx.root, origin).help(help));
            return;
        }
        self.items.push(Item::Statement(Statement {
            sql: text,
            origin,
            treatment: Treatment::Declare,
            summary,
            load_last: false,
            unit: 0,
        }));
    }

    /// The statements of a `sql` string, read as a SQL file would be and placed where the string is.
    pub fn sql(&mut self, ctx: &mut Ctx<'_>, text: &Text) {
        let (items, errors) = super::read_text(ctx.root, ctx.file, &text.value);
        let place = |origin: &Origin| {
            let pos = text.at.map(origin.line, origin.col);
            Origin::new(&origin.file, pos.line, pos.col)
        };
        for item in items {
            self.items.push(match item {
                Item::Statement(s) => Item::Statement(Statement { origin: place(&s.origin), ..s }),
                Item::Skipped { data, origin, summary } => {
                    Item::Skipped { data, origin: place(&origin), summary }
                }
                Item::Include { origin, relative_to_file, path } => {
                    Item::Include { origin: place(&origin), relative_to_file, path }
                }
            });
        }
        for mut d in errors {
            if let Some(origin) = &d.origin {
                d.origin = Some(place(origin));
            }
            ctx.errors.push(d);
        }
        if text.value.trim().is_empty() {
            let span_pos = text.key;
            let origin = ctx.origin(span_pos);
            ctx.errors.push(
                Diagnostic::error("toml-invalid-value", "`sql` is empty")
                    .at(ctx.root, origin)
                    .help("write the SQL statements that define the object, or remove the key"),
            );
        }
    }
}

/// Whether `text` reads, as a SQL file's text would, as exactly one statement that declares something.
fn one_declaration(text: &str, origin: &Origin) -> Result<(), String> {
    let split = super::split::split(text);
    if let Some(e) = split.error {
        return Err(e.message);
    }
    let mut pieces = split.pieces.into_iter();
    let (Some(super::split::Piece::Statement(raw)), None) = (pieces.next(), pieces.next()) else {
        return Err("it reads as more than one statement".to_string());
    };
    match super::statement(raw, origin.clone()) {
        Ok(Item::Statement(Statement { treatment: Treatment::Declare, .. })) => Ok(()),
        Ok(_) => Err("it is not a declaration".to_string()),
        Err((r, _)) => Err(r.why.to_string()),
    }
}

fn syntax_error(ctx: &mut Ctx<'_>, e: &::toml::de::Error) {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().to_string();
    let (code, help) = if message.starts_with("duplicate key") {
        (
            "toml-duplicate-key",
            "each key is written once per table: a column, constraint, index or object declared twice? \
             remove or rename one",
        )
    } else {
        ("toml-syntax", "fix the TOML syntax here (https://toml.io); the file is read once it parses")
    };
    let message = if code == "toml-duplicate-key" {
        let key = ctx.index.text().get(span.clone()).unwrap_or("").to_string();
        format!("duplicate key `{key}`")
    } else {
        format!("invalid TOML: {message}")
    };
    ctx.error(code, &span, message, help);
}
