//! Walking the schema directory, reading files, and following `\i` / `\ir` includes.
//!
//! Every `*.sql` file under the directory is read and classified first; a file that another file includes
//! is then left out of the top-level list, so it runs once, where it is included. The top-level files run
//! in sorted relative-path order. An include cycle is an error at the include that closes it.

use super::diagnostic::{Diagnostic, Origin, SourceError};
use super::{Item, Source, Statement, Treatment, read_text};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// What to do about a schema directory that is missing or holds no schema file.
const EMPTY_HELP: &str = "put the desired schema's .sql (or .toml) files in it, or name the directory that holds \
    them with --schema-dir; to plan dropping everything, keep a file that declares nothing (e.g. an empty \
    schema.sql) and pass --allow drop";

pub(super) fn load(dir: &Path) -> Result<Source, SourceError> {
    let root_abs = dir.canonicalize().map_err(|e| {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => format!("schema directory {} does not exist", dir.display()),
            _ => format!("cannot read schema directory {}: {e}", dir.display()),
        };
        SourceError(vec![Diagnostic::error("schema-dir-missing", message).help(EMPTY_HELP)])
    })?;
    if !root_abs.is_dir() {
        let message = format!("schema directory {} is not a directory", dir.display());
        return Err(SourceError(vec![Diagnostic::error("schema-dir-missing", message).help(EMPTY_HELP)]));
    }
    let mut reader = Reader {
        root: dir.to_path_buf(),
        root_abs,
        rels: BTreeMap::new(),
        parsed: BTreeMap::new(),
        errors: Vec::new(),
    };
    let mut tree = Vec::new();
    let root_abs = reader.root_abs.clone();
    reader.walk(&root_abs, &mut tree, &mut BTreeSet::from([root_abs.clone()]));
    if tree.is_empty() && reader.errors.is_empty() {
        let message = format!("schema directory {} holds no .sql or .toml file", dir.display());
        return Err(SourceError(vec![Diagnostic::error("schema-dir-empty", message).help(EMPTY_HELP)]));
    }
    tree.sort_by_key(|a| reader.rel(a));
    let mut included = BTreeSet::new();
    let mut queue: std::collections::VecDeque<PathBuf> = tree.iter().cloned().collect();
    while let Some(file) = queue.pop_front() {
        for target in reader.parse(&file) {
            if included.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    let mut out = Expansion::default();
    let roots: Vec<&PathBuf> = tree.iter().filter(|f| !included.contains(*f)).collect();
    for file in roots.iter().copied().chain(tree.iter()) {
        if !out.reached.contains(file) {
            let unit = out.file_index(reader.rel(file));
            reader.expand(file, unit, &mut vec![file.clone()], &mut out);
        }
    }
    reader.errors.extend(out.errors);
    let (long_names, collisions) = super::identifiers::check(&reader.root, &out.statements);
    reader.errors.extend(collisions);
    if !reader.errors.is_empty() {
        return Err(SourceError(reader.errors));
    }
    let mut warnings = out.counts.warnings(&reader.root);
    warnings.extend(long_names);
    Ok(Source {
        root: reader.root,
        statements: out.statements,
        warnings,
        files: out.files,
        skipped: out.skipped,
        search_path: vec!["public".to_string()],
    })
}

struct Reader {
    /// The schema directory as given (diagnostics show paths under it).
    root: PathBuf,
    root_abs: PathBuf,
    /// Canonical path to the path relative to the schema directory under which the walk found it (a
    /// symbolic link inside the directory keeps its own name).
    rels: BTreeMap<PathBuf, PathBuf>,
    /// Canonical path to the file's items (`None` when it could not be read).
    parsed: BTreeMap<PathBuf, Option<Vec<Resolved>>>,
    errors: Vec<Diagnostic>,
}

/// An item with its include target resolved to a canonical path.
enum Resolved {
    Item(Item),
    Include { origin: Origin, target: PathBuf },
}

#[derive(Default)]
struct Expansion {
    statements: Vec<Statement>,
    files: Vec<PathBuf>,
    file_indexes: BTreeMap<PathBuf, usize>,
    reached: BTreeSet<PathBuf>,
    counts: Counts,
    skipped: usize,
    errors: Vec<Diagnostic>,
}

impl Expansion {
    fn file_index(&mut self, rel: PathBuf) -> usize {
        if let Some(i) = self.file_indexes.get(&rel) {
            return *i;
        }
        self.files.push(rel.clone());
        self.file_indexes.insert(rel, self.files.len() - 1);
        self.files.len() - 1
    }
}

impl Reader {
    /// The path relative to the schema directory (with `..` for files outside it).
    fn rel(&self, abs: &Path) -> PathBuf {
        self.rels.get(abs).cloned().unwrap_or_else(|| relative(abs, &self.root_abs))
    }

    /// Collects the `*.sql` files under `dir` (canonical paths), skipping hidden entries.
    /// `seen` holds the canonical directories visited (a link cycle is walked once).
    fn walk(&mut self, dir: &Path, out: &mut Vec<PathBuf>, seen: &mut BTreeSet<PathBuf>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.read_error(dir, e),
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => return self.read_error(dir, e),
            };
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                continue;
            }
            let Ok(canonical) = path.canonicalize() else { continue };
            if canonical.is_dir() {
                if seen.insert(canonical) {
                    self.walk(&path, out, seen);
                }
            } else if path.extension().is_some_and(|e| e == "sql" || e == "toml") {
                let rel = path.strip_prefix(&self.root_abs).unwrap_or(&path).to_path_buf();
                if !self.rels.contains_key(&canonical) {
                    self.rels.insert(canonical.clone(), rel);
                    out.push(canonical);
                }
            } else {
                tracing::debug!(file = %path.display(), "not a .sql file: ignored");
            }
        }
    }

    fn read_error(&mut self, path: &Path, e: std::io::Error) {
        let shown = self.root.join(self.rel(path));
        self.errors.push(Diagnostic::error("read-error", format!("cannot read {}: {e}", shown.display())));
    }

    /// Reads and classifies `file` once; returns the canonical paths it includes.
    fn parse(&mut self, file: &Path) -> Vec<PathBuf> {
        if self.parsed.contains_key(file) {
            return Vec::new();
        }
        let rel = self.rel(file);
        let text = match std::fs::read(file) {
            Ok(bytes) => match decode(bytes) {
                Ok(text) => Some(text),
                Err((line, col)) => {
                    let message = format!("{} is not UTF-8 text", self.root.join(&rel).display());
                    let origin = Origin::new(&rel, line, col);
                    self.errors.push(
                        Diagnostic::error("not-utf8", message)
                            .at(&self.root, origin)
                            .help("save the file as UTF-8 (PostgreSQL schema files are read as UTF-8)"),
                    );
                    None
                }
            },
            Err(e) => {
                self.read_error(file, e);
                None
            }
        };
        // PostgreSQL text cannot hold a NUL, and the protocol ends a query string at one.
        let text = text.filter(|text| {
            let Some(at) = text.find('\0') else { return true };
            let line = text[..at].matches('\n').count() + 1;
            let col = text[..at].rsplit('\n').next().unwrap_or("").chars().count() + 1;
            let message = format!("{} holds a NUL byte", self.root.join(&rel).display());
            self.errors.push(
                Diagnostic::error("nul-byte", message)
                    .at(&self.root, Origin::new(&rel, line as u32, col as u32))
                    .help("remove it: PostgreSQL text cannot hold a NUL byte"),
            );
            false
        });
        let Some(text) = text else {
            self.parsed.insert(file.to_path_buf(), None);
            return Vec::new();
        };
        let (items, errors) = match rel.extension().is_some_and(|e| e == "toml") {
            true => super::toml::read_text(&self.root, &rel, &text),
            false => read_text(&self.root, &rel, &text),
        };
        self.errors.extend(errors);
        let base = file.parent().unwrap_or(&self.root_abs).to_path_buf();
        let mut targets = Vec::new();
        let resolved = items
            .into_iter()
            .filter_map(|item| match item {
                Item::Include { origin, relative_to_file, path } => {
                    let from = if relative_to_file { &base } else { &self.root_abs };
                    match from.join(&path).canonicalize() {
                        Ok(target) => {
                            targets.push(target.clone());
                            Some(Resolved::Include { origin, target })
                        }
                        Err(e) => {
                            let message = format!("cannot include {path}: {e}");
                            let help = if relative_to_file {
                                "\\ir paths are relative to the including file"
                            } else {
                                "\\i paths are relative to the schema directory; use \\ir for a path relative to \
                                 the including file"
                            };
                            self.errors.push(
                                Diagnostic::error("include-not-found", message).at(&self.root, origin).help(help),
                            );
                            None
                        }
                    }
                }
                other => Some(Resolved::Item(other)),
            })
            .collect();
        self.parsed.insert(file.to_path_buf(), Some(resolved));
        targets
    }

    /// Appends the statements of `file` (and of the files it includes) to `out`, as part of `unit`.
    fn expand(&self, file: &Path, unit: usize, stack: &mut Vec<PathBuf>, out: &mut Expansion) {
        out.reached.insert(file.to_path_buf());
        out.file_index(self.rel(file));
        let Some(Some(items)) = self.parsed.get(file) else { return };
        for item in items {
            match item {
                Resolved::Item(Item::Statement(s)) => {
                    out.counts.statement(s);
                    out.statements.push(Statement { unit, ..s.clone() });
                }
                Resolved::Item(Item::Skipped { data, origin, summary }) => {
                    out.skipped += 1;
                    if *data {
                        out.counts.data(origin, summary);
                    }
                }
                Resolved::Item(Item::Include { .. }) => unreachable!("includes are resolved when parsed"),
                Resolved::Include { origin, target } => {
                    if let Some(at) = stack.iter().position(|f| f == target) {
                        let chain: Vec<String> = stack[at..]
                            .iter()
                            .chain([target])
                            .map(|f| self.rel(f).display().to_string())
                            .collect();
                        let message = format!("include cycle: {}", chain.join(" -> "));
                        out.errors.push(
                            Diagnostic::error("include-cycle", message)
                                .at(&self.root, origin.clone())
                                .help("remove one of the includes; each file should be included once"),
                        );
                        continue;
                    }
                    stack.push(target.clone());
                    self.expand(target, unit, stack, out);
                    stack.pop();
                }
            }
        }
    }
}

/// Decodes UTF-8 (without a byte order mark); on failure, the line and column of the first bad byte.
fn decode(mut bytes: Vec<u8>) -> Result<String, (u32, u32)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).expect("valid prefix");
        let line = valid.matches('\n').count() + 1;
        let col = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line as u32, col as u32)
    })
}

/// `path` relative to `base` (both absolute and canonical), with `..` where it lies outside.
fn relative(path: &Path, base: &Path) -> PathBuf {
    if let Ok(rel) = path.strip_prefix(base) {
        return rel.to_path_buf();
    }
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

/// Statements per file that deserve one warning each: run for effect, cleanup drops, data.
#[derive(Default)]
struct Counts {
    /// Per file, in first-seen order: (code, count, first origin, first summary).
    entries: Vec<(&'static str, usize, Origin, String)>,
    index: BTreeMap<(PathBuf, &'static str), usize>,
    owners: Option<(usize, Origin, String)>,
}

impl Counts {
    fn statement(&mut self, s: &Statement) {
        match s.treatment {
            Treatment::RunForEffect => self.add("run-for-effect", &s.origin, &s.summary),
            Treatment::CleanupDrop => self.add("cleanup-drop", &s.origin, &s.summary),
            Treatment::IgnoredOwner => {
                let entry = self.owners.get_or_insert_with(|| (0, s.origin.clone(), s.summary.clone()));
                entry.0 += 1;
            }
            Treatment::Declare | Treatment::Session => {}
        }
    }

    fn data(&mut self, origin: &Origin, summary: &str) {
        self.add("data-not-schema", origin, summary);
    }

    fn add(&mut self, code: &'static str, origin: &Origin, summary: &str) {
        let key = (origin.file.clone(), code);
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 += 1,
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push((code, 1, origin.clone(), summary.to_string()));
            }
        }
    }

    fn warnings(&self, root: &Path) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .entries
            .iter()
            .map(|(code, n, origin, summary)| {
                let (message, help) = match *code {
                    "run-for-effect" => (
                        format!("{n} statement(s) in this file run only for their effect (first: `{summary}`)"),
                        "accrete runs them in the scratch database and compares only the catalog they leave; \
                         prefer plain declarations",
                    ),
                    "cleanup-drop" => (
                        format!("{n} DROP ... IF EXISTS statement(s) in this file (first: `{summary}`)"),
                        "they only undo what these files created in the scratch database; accrete never drops \
                         on a target (see --allow drop)",
                    ),
                    _ => (
                        format!("data is not schema: {n} statement(s) in this file skipped (first: `{summary}`)"),
                        "load data separately; accrete compares structure only",
                    ),
                };
                Diagnostic::warning(code, message).at(root, origin.clone()).help(help)
            })
            .collect();
        if let Some((n, origin, summary)) = &self.owners {
            let message = format!("{n} ALTER ... OWNER TO statement(s) ignored (first: `{summary}`)");
            out.push(Diagnostic::warning("owner-ignored", message).at(root, origin.clone()).help(
                "accrete does not manage ownership; new objects belong to the role that applies the plan",
            ));
        }
        out
    }
}
