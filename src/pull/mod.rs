//! `pull`: the in-scope part of a live database written as a schema directory, so that from then on the
//! files are the truth. The catalog is read by [`crate::inspect`] (the same code `plan` uses), then written
//! as SQL or TOML files in one fixed layout:
//!
//! ```text
//! extensions.sql                     every extension
//! event_triggers.sql                 every event trigger (they have no schema)
//! <schema>/schema.sql                the schema and its comment
//! <schema>/tables/<table>.sql        a table: columns, constraints, indexes, comments, triggers, rules,
//!                                    policies, row-level security; the sequences of its serial columns
//! <schema>/enums/<name>.sql          one file per enum, sequence, view, function name, procedure name
//! <schema>/sequences/<name>.sql
//! <schema>/types/<name>.sql           (domains, range and composite types)
//! <schema>/views/<name>.sql
//! <schema>/functions/<name>.sql      (overloads together)
//! <schema>/procedures/<name>.sql
//! <schema>/collations/<name>.sql     (also aggregates/, text_search_dictionaries/,
//!                                    text_search_configurations/; aggregates of one name together)
//! <schema>/grants.sql                privileges on its objects and its default privileges
//! grants.sql                         default privileges that hold in every schema
//! empty.sql                          only when nothing else is written: a file that declares nothing, so
//!                                    that the directory is an (empty) desired state `plan` accepts
//! ```
//!
//! Invariants:
//! - deterministic: the same catalog gives the same bytes (ordered maps, no clock, no OIDs);
//! - every constraint, index and sequence name is written explicitly, so loading the files gives the
//!   same names back; foreign keys that close a cycle between tables are separate `ALTER TABLE` statements;
//! - writing never overwrites a file whose content differs unless asked (`--force`), and then says which;
//!   it never deletes a file.

mod as_sql;
mod as_toml;
mod common;
mod defs;
mod grants;
mod kinds;

pub use common::is_builtin_extension;

use crate::catalog::{Catalog, Function, QualName};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file format `pull` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Sql,
    Toml,
}

impl Format {
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Sql => "sql",
            Format::Toml => "toml",
        }
    }
}

/// A schema directory's files, by path relative to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    pub files: BTreeMap<PathBuf, String>,
    /// Objects in scope that the catalog does not model, counted by kind: not written.
    pub not_written: BTreeMap<String, u64>,
}

/// The files that declare `catalog`.
pub fn render(catalog: &Catalog, format: Format) -> Files {
    let mut out = Writer { format, files: BTreeMap::new() };
    let ext = format.extension();
    let extensions = || catalog.extensions.values().filter(|e| !common::is_builtin_extension(&e.name));
    if extensions().next().is_some() {
        let text = match format {
            Format::Sql => as_sql::extensions(extensions()),
            Format::Toml => as_toml::extensions(extensions()),
        };
        out.files.insert(PathBuf::from(format!("extensions.{ext}")), text);
    }
    for s in catalog.schemas.values() {
        let text = match format {
            Format::Sql => as_sql::schema(s),
            Format::Toml => as_toml::schema(s),
        };
        out.add(&s.name, None, "schema", text);
    }
    for e in catalog.enums.values() {
        let text = pick(format, || as_sql::enum_type(e), || as_toml::enum_type(e));
        out.add(&e.name.schema, Some("enums"), &e.name.name, text);
    }
    for s in catalog.sequences.values() {
        let text = pick(format, || as_sql::sequence(s), || as_toml::sequence(s));
        out.add(&s.name.schema, Some("sequences"), &s.name.name, text);
    }
    let cycles = common::cycle_foreign_keys(catalog);
    for t in catalog.tables.values() {
        let text = pick(format, || as_sql::table(t, &cycles), || as_toml::table(t));
        out.add(&t.name.schema, Some("tables"), &t.name.name, text);
    }
    for t in catalog.types.values() {
        let text = pick(format, || as_sql::type_def(t), || as_toml::type_def(t));
        out.add(&t.name.schema, Some("types"), &t.name.name, text);
    }
    for v in catalog.views.values() {
        let text = pick(format, || as_sql::view(v), || as_toml::view(v));
        out.add(&v.name.schema, Some("views"), &v.name.name, text);
    }
    let mut by_name: BTreeMap<(&str, &QualName), Vec<&Function>> = BTreeMap::new();
    for f in catalog.functions.values() {
        by_name.entry((f.kind.as_str(), &f.name)).or_default().push(f);
    }
    for ((kind, name), fs) in by_name {
        let text = pick(format, || as_sql::functions(&fs), || as_toml::functions(&fs));
        let dir = if kind == "procedure" { "procedures" } else { "functions" };
        out.add(&name.schema, Some(dir), &name.name, text);
    }
    kinds::add(&mut out, catalog);
    grants::add(&mut out, catalog);
    if out.files.is_empty() {
        let comment = if format == Format::Sql { "--" } else { "#" };
        let text = format!(
            "{comment} Nothing in scope when this directory was pulled: the desired state is empty.\n\
             {comment} (plan refuses a schema directory without a schema file; this one declares nothing.)\n"
        );
        out.files.insert(PathBuf::from(format!("empty.{ext}")), text);
    }
    Files { files: out.files, not_written: catalog.unmodeled.clone() }
}

fn pick(format: Format, sql: impl FnOnce() -> String, toml: impl FnOnce() -> String) -> String {
    match format {
        Format::Sql => sql(),
        Format::Toml => toml(),
    }
}

struct Writer {
    format: Format,
    files: BTreeMap<PathBuf, String>,
}

impl Writer {
    /// Adds `<schema>/<dir>/<name>.<ext>`; an empty text (nothing to declare) is no file.
    fn add(&mut self, schema: &str, dir: Option<&str>, name: &str, text: String) {
        if text.is_empty() {
            return;
        }
        let mut path = PathBuf::from(file_name(schema));
        if let Some(dir) = dir {
            path.push(dir);
        }
        path.push(format!("{}.{}", file_name(name), self.format.extension()));
        self.files.insert(path, text);
    }
}

/// A database name as a file name: ASCII letters, digits, `_`, `-` and `.` as they are, anything else
/// (and a leading dot) as `%XX` of its UTF-8 bytes.
pub fn file_name(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.char_indices() {
        let plain = ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' || (ch == '.' && i > 0);
        if plain {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    if out.is_empty() { "%".to_string() } else { out }
}

/// What [`write`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or overwritten.
    pub written: Vec<PathBuf>,
    /// Files that already held exactly this text.
    pub unchanged: Vec<PathBuf>,
    /// Files that held other text and were overwritten (`force`).
    pub overwritten: Vec<PathBuf>,
    /// Files under the directory that this pull did not write (left as they are).
    pub others: Vec<PathBuf>,
}

/// Writes `files` under `dir`. Refuses, naming every such file, when a file exists with other content,
/// unless `force`.
pub fn write(dir: &Path, files: &Files, force: bool) -> Result<Written> {
    let mut written = Written::default();
    let mut differing = Vec::new();
    for (rel, text) in &files.files {
        let path = dir.join(rel);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => written.unchanged.push(rel.clone()),
            Ok(_) => differing.push(rel.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }
    if !differing.is_empty() && !force {
        let list: Vec<String> = differing.iter().map(|p| format!("  {}", dir.join(p).display())).collect();
        bail!(
            "refusing to overwrite {} existing file(s) whose content differs:\n{}\npass --force to overwrite them",
            differing.len(),
            list.join("\n")
        );
    }
    // The directory exists afterwards even when the database declares nothing: it is the schema directory.
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (rel, text) in &files.files {
        if written.unchanged.contains(rel) {
            continue;
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.written.push(rel.clone());
    }
    written.overwritten = differing;
    written.others = other_files(dir, files)?;
    Ok(written)
}

/// Schema files (`.sql`, `.toml`) under `dir` that are not among `files`, sorted.
fn other_files(dir: &Path, files: &Files) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let entries =
            std::fs::read_dir(dir.join(&rel)).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let child = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(child);
            } else if child.extension().is_some_and(|e| e == "sql" || e == "toml")
                && !files.files.contains_key(&child)
            {
                out.push(child);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests;
