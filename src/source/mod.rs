//! Reading the schema directory: files, statements, where each statement came from, and what to do with it.
//!
//! The directory is read recursively; its `*.sql` files run in sorted relative-path order (component by
//! component), each file a unit of its own (session settings made with `SET` start afresh in the next one).
//! `*.toml` files take their place in that order, their statements rendered from TOML by [`toml`].
//! A file that another file includes with `\i` or `\ir` runs where it is included, not on its own. Each
//! file is split into statements by `crate::script` (as psql reads it, like a plan file), each statement is
//! tokenized with sqlparser's tokenizer, and every statement is classified per DESIGN.md
//! ("What a schema file may contain"): from sqlparser's parse when there is one, else from its leading
//! keywords; nothing is dropped because the parser failed, and PostgreSQL decides validity later.
//!
//! Invariants:
//! - every statement and every diagnostic about a statement carries its origin `file:line:col` (1-based,
//!   columns in characters), pointing into the file that holds it, also when that file was included;
//! - all errors are collected and reported together; `load` returns a [`Source`] only when there are none;
//! - a statement's `sql` is its text as written (without the final `;`), so PostgreSQL's error position,
//!   which counts characters from the statement's start, maps back into the file.

mod ast;
mod class;
mod diagnostic;
mod files;
mod foreign_keys;
pub(crate) mod identifiers;
mod keywords;
mod meta;
mod secrets;
mod split;
pub(crate) mod toml;
mod words;

#[cfg(test)]
mod tests;

pub use diagnostic::{Diagnostic, Origin, Severity, SourceError};
pub use foreign_keys::{ForeignKeySplit, split_foreign_keys};

use class::Class;
use std::path::{Path, PathBuf};

/// What happens to a statement when the desired state is loaded into the scratch database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Treatment {
    /// A declaration (`CREATE`, `ALTER ... ADD/SET`, `COMMENT ON`, `GRANT`, ...): executed.
    Declare,
    /// A top-level `DO`, `SELECT f(...)` or `CALL`: executed for its effect on the catalog.
    RunForEffect,
    /// `DROP ... IF EXISTS` and `ALTER ... DROP ... IF EXISTS`: executed in file order, never retried.
    CleanupDrop,
    /// `SET`, `RESET`, `SELECT set_config(...)`: executed, and replayed before a statement written after it
    /// is retried.
    Session,
    /// `ALTER ... OWNER TO`: ownership is not managed; not executed.
    IgnoredOwner,
}

/// One statement of the schema files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The text as written, without the final `;` (psql meta-commands inside it blanked to spaces).
    pub sql: String,
    pub origin: Origin,
    pub treatment: Treatment,
    /// A short description for messages, e.g. `CREATE TABLE app.users`.
    pub summary: String,
    /// Loaded after every other statement (`CREATE`, `ALTER` and `COMMENT ON EVENT TRIGGER`).
    pub load_last: bool,
    /// Index in [`Source::files`] of the top-level file this statement was read under; session settings
    /// start afresh with each top-level file.
    pub unit: usize,
}

/// The schema directory, read and classified.
#[derive(Debug, Clone)]
pub struct Source {
    /// The schema directory as given.
    pub root: PathBuf,
    /// Statements to load, in order (skipped statements are not here).
    pub statements: Vec<Statement>,
    pub warnings: Vec<Diagnostic>,
    /// Every file read, relative to `root`, in the order first read.
    pub files: Vec<PathBuf>,
    /// How many statements and meta-commands were skipped (transaction control, `setval`, data, `\set`...).
    pub skipped: usize,
    /// The `search_path` every file starts with when loaded (`[source] search_path`; default `public`, as
    /// psql's default puts unqualified names there).
    pub search_path: Vec<String>,
}

/// Reads the schema directory `dir`.
pub fn load(dir: &Path) -> Result<Source, SourceError> {
    files::load(dir)
}

/// What one statement of a file turned into.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Statement(Statement),
    Skipped { data: bool, origin: Origin, summary: String },
    Include { origin: Origin, relative_to_file: bool, path: String },
}

/// Splits and classifies one file's text. `file` is the path relative to the schema directory, used in
/// origins; diagnostics are placed under `root`.
pub(crate) fn read_text(root: &Path, file: &Path, text: &str) -> (Vec<Item>, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let error = split::each(text, |piece| match piece {
        split::Piece::Statement(raw) => {
            let origin = Origin::new(file, raw.line, raw.col);
            match statement(raw, origin.clone()) {
                Ok(item) => items.push(item),
                Err((r, summary)) => {
                    let message = format!("`{summary}` {}", r.why);
                    errors.push(Diagnostic::error(r.code, message).help(r.help).at(root, origin));
                }
            }
        }
        split::Piece::Meta(m) => {
            let origin = Origin::new(file, m.line, m.col);
            let summary = format!("\\{}", m.name);
            match meta::classify(&m) {
                meta::MetaClass::Skip => items.push(Item::Skipped { data: false, origin, summary }),
                meta::MetaClass::Data => items.push(Item::Skipped { data: true, origin, summary }),
                meta::MetaClass::Include { relative_to_file, path } => {
                    items.push(Item::Include { origin, relative_to_file, path })
                }
                meta::MetaClass::Reject(r) => {
                    let message = format!("`{summary}` {}", r.why);
                    errors.push(Diagnostic::error(r.code, message).help(r.help).at(root, origin));
                }
            }
        }
    });
    if let Some(e) = error {
        errors.push(Diagnostic::error(e.code, e.message).at(root, Origin::new(file, e.line, e.col)).help(
            "close the quote, dollar quote or comment that starts here; everything after it in this file \
             was not read",
        ));
    }
    (items, errors)
}

fn statement(raw: split::RawStatement, origin: Origin) -> Result<Item, (class::Reject, String)> {
    let tokens = &raw.tokens;
    let cleanup = words::has_if_exists(tokens);
    let summary = words::summary(tokens);
    // Before anything else reads it: a user mapping's option value may be a password.
    if let Some(r) = secrets::user_mapping(tokens) {
        return Err((r, summary));
    }
    if words::is(tokens, 0, "IMPORT") && words::is(tokens, 1, "FOREIGN") && words::is(tokens, 2, "SCHEMA") {
        return Err((class::IMPORT_FOREIGN_SCHEMA, summary));
    }
    let class = ast::classify(tokens, cleanup).unwrap_or_else(|| keywords::classify(tokens));
    match class {
        Class::Keep(treatment) => Ok(Item::Statement(Statement {
            load_last: keywords::is_event_trigger(tokens),
            sql: raw.text,
            origin,
            treatment,
            summary,
            unit: 0,
        })),
        Class::Skip { data } => Ok(Item::Skipped { data: data || raw.inline_data, origin, summary }),
        Class::Reject(r) => Err((r, summary)),
    }
}
