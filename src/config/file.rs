//! `accrete.toml`: named targets, scope, how schema files are read, the local database's major, accrete's
//! own schema, policy and external objects.
//!
//! ```toml
//! default_target = "prod"
//! history_schema = "accrete"
//! inspect_connections = 4           # sessions reading a catalog (target, loaded schema) on one snapshot (1 to 16)
//!
//! targets_file = "targets.toml"     # more [targets.NAME] tables, beside this file
//!
//! [targets.prod]
//! url_env = "PROD_DATABASE_URL"     # or url = "postgresql://app@db.internal/app" (never with a password)
//! tags = ["prod"]                   # what --tag selects
//!
//! [discover.shards]                 # every database matching `databases` on a server: targets shards/DB
//! url_env = "SHARDS_URL"
//! databases = "shard_*"
//!
//! [tenants]                         # a schema per tenant, compared as `template` (see config::fleet)
//! template = "tenant"
//! schemas = "tenant_*"
//! targets = ["prod"]
//!
//! [scope]
//! schemas = ["app"]
//! exclude = ["table:public.schema_migrations", "*:audit.*"]
//!
//! [source]
//! search_path = ["app", "public"]   # where the files' unqualified names go (default: public)
//! statement_timeout = "30s"         # one statement of the files, at most (default 30s)
//! load_timeout = "10m"              # loading all of them, at most (default 10m)
//!
//! [local]
//! major = 16
//!
//! [policy]
//! allow = ["alter:column", "drop:index"]   # classes beyond add, or KIND within one
//! allow_hazards = ["rewrites-table:<100MB"]  # NAME, or NAME:<SIZE for a hazard that grows with the data
//! strict = false                         # true: add-class hazards need admission too
//!
//! [external]
//! objects = ["table:auth.users", "schema:extensions"]
//!
//! [renames]
//! new = ["column:app.users.enabled"]      # declared objects that look like a rename and are new
//! ```
//!
//! Invariants: an absent file means the defaults; every mistake (unknown key, wrong type, a target without
//! exactly one of `url`/`url_env`, a password written in a URL, an unknown `default_target`) is a
//! diagnostic with `file:line:col`, a stable code and a help line; a secret is never part of the file or of
//! a message about it.

use crate::catalog::{ObjectKind, Placement};
use crate::conn::parse_conninfo;
use crate::scope::Scope;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file's name in the project directory.
pub const FILE_NAME: &str = "accrete.toml";

/// accrete's own schema (history) unless `history_schema` says otherwise.
pub const DEFAULT_HISTORY_SCHEMA: &str = "accrete";
/// How many sessions read a target's catalog unless `inspect_connections` says otherwise.
pub const DEFAULT_INSPECT_CONNECTIONS: usize = 4;

/// The contents of `accrete.toml`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileConfig {
    /// The file read; `None` when there is none (all defaults).
    pub path: Option<PathBuf>,
    pub default_target: Option<String>,
    pub targets: BTreeMap<String, TargetConfig>,
    pub scope: ScopeConfig,
    pub source: SourceConfig,
    pub local: LocalConfig,
    pub history_schema: String,
    /// How many sessions read a target's catalog, sharing one snapshot (`inspect_connections`, 1 to 16).
    pub inspect_connections: usize,
    pub policy: PolicyConfig,
    pub external: ExternalConfig,
    pub renames: RenamesConfig,
    /// Tags, the targets file, discovery and tenant schemas: what `--tag`, `--all` and `--target` select
    /// from ([`crate::fleet`]).
    pub fleet: super::fleet::FleetConfig,
}

impl Default for FileConfig {
    fn default() -> Self {
        FileConfig {
            path: None,
            default_target: None,
            targets: BTreeMap::new(),
            scope: ScopeConfig::default(),
            source: SourceConfig::default(),
            local: LocalConfig::default(),
            history_schema: DEFAULT_HISTORY_SCHEMA.to_string(),
            inspect_connections: DEFAULT_INSPECT_CONNECTIONS,
            policy: PolicyConfig::default(),
            external: ExternalConfig::default(),
            renames: RenamesConfig::default(),
            fleet: super::fleet::FleetConfig::default(),
        }
    }
}

impl FileConfig {
    /// What is managed, with accrete's own schema and the external objects excluded.
    pub fn scope(&self) -> Scope {
        let mut exclude = self.scope.exclude.clone();
        exclude.extend(self.external.objects.iter().map(ExternalObject::pattern));
        let mut scope = Scope::new(self.scope.schemas.clone(), exclude);
        scope.own_schema = self.history_schema.clone();
        scope
    }
}

/// Where a named target's connection string comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetConfig {
    /// Written in the file (checked to hold no password).
    Url(String),
    /// Read from this environment variable when the target is used.
    UrlEnv(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeConfig {
    /// Managed schemas; empty means every non-system schema.
    pub schemas: Vec<String>,
    /// `kind:schema.name` patterns with `*` wildcards.
    pub exclude: Vec<String>,
}

/// `[source]`: how the schema files are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    /// The `search_path` the files load with, as psql would run them for a role with this setting: where
    /// an unqualified name is created and looked up. Default `["public"]`.
    pub search_path: Vec<String>,
    /// How long one statement of the files may run in the scratch database before it is cancelled.
    pub statement_timeout: std::time::Duration,
    /// How long loading all of them may take.
    pub load_timeout: std::time::Duration,
}

impl Default for SourceConfig {
    fn default() -> Self {
        SourceConfig {
            search_path: vec!["public".to_string()],
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            load_timeout: DEFAULT_LOAD_TIMEOUT,
        }
    }
}

/// How long one statement of the schema files may run, unless `[source] statement_timeout` says otherwise.
pub const DEFAULT_STATEMENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// How long loading the schema files may take, unless `[source] load_timeout` says otherwise.
pub const DEFAULT_LOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// `"500ms"`, `"30s"`, `"10m"`, `"1h"`: a positive duration.
pub fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number.parse().ok()?;
    let ms = match unit.trim() {
        "ms" => n,
        "s" => n.checked_mul(1000)?,
        "m" | "min" => n.checked_mul(60_000)?,
        "h" => n.checked_mul(3_600_000)?,
        _ => return None,
    };
    (ms > 0).then(|| std::time::Duration::from_millis(ms))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalConfig {
    /// The embedded local database's major version; `None`: the highest supported one installed.
    pub major: Option<u32>,
}

/// `[policy]`: what `plan` and `apply` admit beyond the add class (flags add to it).
pub type PolicyConfig = crate::policy::Policy;

/// `[renames]`: what the team said about likely renames. A declared column or table that looks like a
/// rename of a live one stops `plan` until the team says which it is: renamed by hand (then nothing is
/// missing), or new, listed here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenamesConfig {
    /// Declared objects that are new, not a live object renamed: `column:app.users.enabled`.
    pub new: Vec<NewObject>,
}

/// One entry of `[renames] new`, and where the file lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewObject {
    pub kind: ObjectKind,
    /// Qualified as the drift report names it: `schema.table` or `schema.table.column`.
    pub name: String,
    pub line: usize,
    pub col: usize,
}

impl RenamesConfig {
    /// Whether `[renames] new` lists the declared object `kind name`.
    pub fn is_new(&self, kind: ObjectKind, name: &str) -> bool {
        self.new.iter().any(|n| n.kind == kind && n.name == name)
    }
}

/// A `[renames] new` entry: `table:schema.table` or `column:schema.table.column`.
fn new_object(entry: &str) -> Result<NewObject, String> {
    let (kind, name) = entry.split_once(':').unwrap_or(("", entry));
    let Some(kind) = ObjectKind::from_word(kind).filter(|k| k.may_look_renamed()) else {
        return Err(format!("\"{entry}\": only a table or a column can look renamed"));
    };
    let parts = kind.name_parts().expect("a table's or a column's name is only names");
    if name.split('.').count() < parts || name.split('.').any(str::is_empty) || name.contains(['*', '?']) {
        return Err(format!("\"{entry}\": name one {kind}, schema-qualified"));
    }
    Ok(NewObject { kind, name: name.to_string(), line: 0, col: 0 })
}

const RENAMES_HELP: &str = "write table:schema.table or column:schema.table.column, as `accrete plan` names \
     the declared side of the likely rename";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalConfig {
    /// Objects outside the scope that declared objects reference, in the file's order.
    pub objects: Vec<ExternalObject>,
}

/// One entry of `[external] objects`: `table:auth.users`, and where the file lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalObject {
    pub kind: ObjectKind,
    pub schema: String,
    /// Unqualified; a function's name without arguments (every overload is external).
    pub name: String,
    /// 1-based line and column of the entry in `accrete.toml`.
    pub line: usize,
    pub col: usize,
}

impl ExternalObject {
    /// `auth.users`; a schema's own name (`schema` and `name` are both that).
    pub fn qualified(&self) -> String {
        qualified(self.kind, &self.schema, &self.name)
    }

    /// `table:auth.users`, as written in the file and as the scope's exclude pattern.
    pub fn pattern(&self) -> String {
        format!("{}:{}", self.kind.word(), self.qualified())
    }
}

/// How an external object is named: `schema.name`, or a schema's own name.
pub fn qualified(kind: ObjectKind, schema: &str, name: &str) -> String {
    if kind.placement() == Placement::Schema { schema.to_string() } else { format!("{schema}.{name}") }
}

/// A mistake in `accrete.toml`, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    /// Stable kebab-case code (`config-unknown-key`, ...).
    pub code: &'static str,
    pub message: String,
    pub help: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        write!(
            f,
            "{path}:{}:{}: error[{}]: {}\n  help: {}",
            self.line, self.col, self.code, self.message, self.help
        )
    }
}

impl std::error::Error for FileError {}

/// Reads `accrete.toml` from `project_dir`; no file means the defaults.
pub fn load(project_dir: &Path) -> Result<FileConfig> {
    let path = project_dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    Ok(parse(&text, &path)?)
}

/// Parses and validates the text of `accrete.toml`; `path` is for messages.
pub fn parse(text: &str, path: &Path) -> Result<FileConfig, FileError> {
    let at = |span: Range<usize>, code, message: String, help: &str| {
        let (line, col) = line_col(text, span.start);
        FileError { path: path.to_path_buf(), line, col, code, message, help: help.to_string() }
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let (code, help) = classify(e.message());
        at(e.span().unwrap_or(0..0), code, e.message().trim().to_string(), help)
    })?;
    let mut config = FileConfig { path: Some(path.to_path_buf()), ..FileConfig::default() };
    for (name, target) in raw.targets {
        let tags = target.get_ref().tags.clone();
        config
            .targets
            .insert(name.clone(), target_config(&name, target).map_err(|(s, c, m, h)| at(s, c, m, h))?);
        config.fleet.tags.insert(name, tags);
    }
    if let Some(file) = raw.targets_file {
        targets_file(&mut config, path, file.get_ref()).map_err(|e| match e {
            TargetsFileError::Here(m) => at(file.span(), "config-targets-file", m, TARGETS_FILE_HELP),
            TargetsFileError::There(e) => e,
        })?;
    }
    super::fleet::parse(&mut config.fleet, raw.discover, raw.tenants, &config.targets)
        .map_err(|(s, c, m, h)| at(s, c, m, h))?;
    if let Some(default) = raw.default_target {
        if !config.targets.contains_key(default.get_ref()) {
            let known = config.targets.keys().cloned().collect::<Vec<_>>().join(", ");
            let help = if known.is_empty() {
                "define it as [targets.NAME] with url_env = \"VARIABLE\"".to_string()
            } else {
                format!("the targets defined here are: {known}")
            };
            let message =
                format!("default_target names \"{}\", which is not a target in this file", default.get_ref());
            return Err(at(default.span(), "config-unknown-target", message, &help));
        }
        config.default_target = Some(default.into_inner());
    }
    if let Some(scope) = raw.scope {
        for pattern in &scope.exclude {
            check_pattern(pattern.get_ref(), false)
                .map_err(|m| at(pattern.span(), "config-invalid-pattern", m, PATTERN_HELP))?;
        }
        let exclude = scope.exclude.into_iter().map(Spanned::into_inner).collect();
        config.scope = ScopeConfig { schemas: scope.schemas, exclude };
    }
    if let Some(source) = raw.source {
        for (value, slot) in [
            (source.statement_timeout, &mut config.source.statement_timeout),
            (source.load_timeout, &mut config.source.load_timeout),
        ] {
            let Some(value) = value else { continue };
            *slot = parse_duration(value.get_ref()).ok_or_else(|| {
                let message = format!("\"{}\" is not a duration", value.get_ref());
                at(value.span(), "config-invalid-value", message, DURATION_HELP)
            })?;
        }
        if let Some(path) = source.search_path {
            if path.get_ref().is_empty() {
                let message = "search_path is empty".to_string();
                return Err(at(path.span(), "config-invalid-value", message, SEARCH_PATH_HELP));
            }
            for name in path.get_ref() {
                let n = name.get_ref();
                if n.is_empty() || n.len() > 63 || n.starts_with('$') {
                    let message = format!("\"{n}\" cannot be in search_path");
                    return Err(at(name.span(), "config-invalid-value", message, SEARCH_PATH_HELP));
                }
            }
            config.source.search_path = path.into_inner().into_iter().map(Spanned::into_inner).collect();
        }
    }
    if let Some(major) = raw.local.and_then(|l| l.major) {
        let supported = crate::pg::OLDEST_ACCEPTED_MAJOR..=*crate::pg::SUPPORTED_MAJORS.end();
        if !supported.contains(major.get_ref()) {
            let message = format!("PostgreSQL {} is not supported for the local database", major.get_ref());
            let help = format!("use a major from {} to {}", supported.start(), supported.end());
            return Err(at(major.span(), "config-invalid-value", message, &help));
        }
        config.local.major = Some(major.into_inner());
    }
    if let Some(schema) = raw.history_schema {
        let name = schema.get_ref();
        if name.is_empty() || name.len() > 63 || name.starts_with("pg_") || name == "information_schema" {
            let message = format!("\"{name}\" cannot be accrete's history schema");
            let help = "use a schema name of 1 to 63 bytes that is not a system schema (default: accrete)";
            return Err(at(schema.span(), "config-invalid-value", message, help));
        }
        config.history_schema = schema.into_inner();
    }
    if let Some(n) = raw.inspect_connections {
        if !(1..=16).contains(n.get_ref()) {
            let message = format!("inspect_connections = {} is out of range", n.get_ref());
            let help = "use 1 to 16 sessions (default 4; 1 reads the catalog on one connection)";
            return Err(at(n.span(), "config-invalid-value", message, help));
        }
        config.inspect_connections = *n.get_ref() as usize;
    }
    if let Some(policy) = raw.policy {
        for item in &policy.allow {
            let admit = crate::policy::Admit::parse(item.get_ref())
                .map_err(|m| at(item.span(), "config-invalid-value", m, POLICY_HELP))?;
            config.policy.allow.insert(admit);
        }
        for item in &policy.allow_hazards {
            let hazard = crate::policy::HazardAdmit::parse(item.get_ref()).map_err(|message| {
                let names: Vec<&str> = crate::policy::Hazard::ALL.iter().map(|h| h.name()).collect();
                let help = format!(
                    "hazards: {}; a size bound, NAME:<SIZE (rewrites-table:<100MB), is taken by those that grow \
                     with the data",
                    names.join(", ")
                );
                at(item.span(), "config-invalid-value", message, &help)
            })?;
            config.policy.admit_hazard(hazard);
        }
        config.policy.strict = policy.strict;
    }
    if let Some(external) = raw.external {
        for object in &external.objects {
            let parsed = external_object(object.get_ref())
                .map_err(|m| at(object.span(), "config-invalid-pattern", m, EXTERNAL_HELP))?;
            let (line, col) = line_col(text, object.span().start);
            config.external.objects.push(ExternalObject { line, col, ..parsed });
        }
    }
    if let Some(renames) = raw.renames {
        for entry in &renames.new {
            let parsed = new_object(entry.get_ref())
                .map_err(|m| at(entry.span(), "config-invalid-value", m, RENAMES_HELP))?;
            let (line, col) = line_col(text, entry.span().start);
            config.renames.new.push(NewObject { line, col, ..parsed });
        }
    }
    Ok(config)
}

pub(crate) type Located = (Range<usize>, &'static str, String, &'static str);

enum TargetsFileError {
    /// About the `targets_file` key itself (the file cannot be read).
    Here(String),
    /// A mistake inside the targets file, at its place there.
    There(FileError),
}

const TARGETS_FILE_HELP: &str =
    "name a TOML file of [targets.NAME] tables (url or url_env, tags), relative to accrete.toml";

/// `targets_file`: more `[targets.NAME]` tables, of the same form, in a file of their own (relative to
/// `accrete.toml`); a name defined in both is a mistake.
fn targets_file(config: &mut FileConfig, path: &Path, name: &str) -> Result<(), TargetsFileError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawTargets {
        #[serde(default)]
        targets: BTreeMap<String, Spanned<RawTarget>>,
    }
    let file = path.parent().unwrap_or(Path::new(".")).join(name);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| TargetsFileError::Here(format!("reading targets_file {}: {e}", file.display())))?;
    let at = |span: Range<usize>, code, message: String, help: &str| {
        let (line, col) = line_col(&text, span.start);
        TargetsFileError::There(FileError {
            path: file.clone(),
            line,
            col,
            code,
            message,
            help: help.to_string(),
        })
    };
    let raw: RawTargets = toml::from_str(&text).map_err(|e| {
        let (code, help) = classify(e.message());
        at(e.span().unwrap_or(0..0), code, e.message().trim().to_string(), help)
    })?;
    for (target_name, target) in raw.targets {
        let span = target.span();
        if config.targets.contains_key(&target_name) {
            let message = format!("target \"{target_name}\" is defined in accrete.toml too");
            return Err(at(span, "config-duplicate-target", message, "define each target once"));
        }
        let tags = target.get_ref().tags.clone();
        let made = target_config(&target_name, target).map_err(|(s, c, m, h)| at(s, c, m, h))?;
        config.targets.insert(target_name.clone(), made);
        config.fleet.tags.insert(target_name, tags);
    }
    Ok(())
}

fn target_config(name: &str, target: Spanned<RawTarget>) -> Result<TargetConfig, Located> {
    let span = target.span();
    let RawTarget { url, url_env, tags: _ } = target.into_inner();
    connection_config(name, url, url_env, span)
}

/// Exactly one of `url` (without a password) and `url_env`, as a target (or a `[discover]` server) names
/// its connection string.
pub(crate) fn connection_config(
    name: &str,
    url: Option<Spanned<String>>,
    url_env: Option<Spanned<String>>,
    span: Range<usize>,
) -> Result<TargetConfig, Located> {
    match (url, url_env) {
        (Some(url), None) => {
            let info = parse_conninfo(url.get_ref()).map_err(|e| {
                (url.span(), "config-invalid-url", format!("target \"{name}\": {e}"), URL_HELP)
            })?;
            if info.get("password").is_some() {
                let message = format!("target \"{name}\": the url contains a password");
                return Err((url.span(), "config-password-in-file", message, PASSWORD_HELP));
            }
            Ok(TargetConfig::Url(url.into_inner()))
        }
        (None, Some(var)) if !var.get_ref().is_empty() && !var.get_ref().contains('=') => {
            Ok(TargetConfig::UrlEnv(var.into_inner()))
        }
        (None, Some(var)) => Err((
            var.span(),
            "config-invalid-value",
            "url_env must name an environment variable".into(),
            TARGET_HELP,
        )),
        _ => Err((
            span,
            "config-target",
            format!("target \"{name}\" needs exactly one of url and url_env"),
            TARGET_HELP,
        )),
    }
}

const TARGET_HELP: &str =
    "write url_env = \"VARIABLE\" (the variable holds the connection URL) or url = \"postgresql://...\"";
const URL_HELP: &str = "write a postgresql:// URL or a key=value connection string, as psql accepts";
const PASSWORD_HELP: &str =
    "keep secrets out of the file: use url_env = \"VARIABLE\", PGPASSWORD or ~/.pgpass";
const PATTERN_HELP: &str =
    "write kind:schema.name with * wildcards, e.g. table:public.schema_migrations or *:audit.*";
const DURATION_HELP: &str = "write a positive number with a unit: \"500ms\", \"30s\", \"10m\" or \"1h\"";

const SEARCH_PATH_HELP: &str = "name one or more schemas, e.g. search_path = [\"app\", \"public\"] (accrete loads the \
     files as its own role, so `$user` would not be the target's role)";
const POLICY_HELP: &str = "write a class (add, alter, drop) or CLASS:KIND, e.g. \"drop:index\"";
const EXTERNAL_HELP: &str = "write kind:schema.name (kinds: table, view, function, enum, type), e.g. \
     table:auth.users, or schema:NAME for a schema someone else creates";

/// An `[external]` entry: a kind that can be a stub, a schema-qualified name without wildcards, a function
/// without arguments. Its place is filled in by the caller.
fn external_object(pattern: &str) -> Result<ExternalObject, String> {
    check_pattern(pattern, true)?;
    let (kind, name) = pattern.split_once(':').expect("checked: it has a kind");
    let kind = ObjectKind::from_word(kind).expect("checked: a known kind");
    if kind.external().is_none() {
        return Err(format!("\"{pattern}\": a {kind} cannot be an external object"));
    }
    let schema_itself = kind.placement() == Placement::Schema;
    if schema_itself && (name.contains('.') || name.contains('*')) {
        return Err(format!("\"{pattern}\": name one schema, without a dot or wildcards"));
    }
    if name.contains('*') || name.contains('(') {
        return Err(format!(
            "\"{pattern}\": name one object, without wildcards or arguments (a function's overloads are all external)"
        ));
    }
    let (schema, name) =
        if schema_itself { (name, name) } else { name.split_once('.').expect("checked: qualified") };
    Ok(ExternalObject { kind, schema: schema.to_string(), name: name.to_string(), line: 0, col: 0 })
}

/// `kind:name` with a known kind (or `*` unless `external`); external objects need a schema-qualified name.
fn check_pattern(pattern: &str, external: bool) -> Result<(), String> {
    let Some((kind, name)) = pattern.split_once(':') else {
        return if external { Err(format!("\"{pattern}\" has no kind")) } else { Ok(()) };
    };
    let kind_ok = ObjectKind::from_word(kind).is_some() || (kind == "*" && !external);
    if !kind_ok {
        let kinds: Vec<&str> = ObjectKind::ALL.iter().map(|k| k.word()).collect();
        return Err(format!("unknown object kind \"{kind}\" in \"{pattern}\" (kinds: {})", kinds.join(", ")));
    }
    if name.is_empty() || (external && !name.contains('.') && kind != "schema" && kind != "extension") {
        return Err(format!("\"{pattern}\" needs a schema-qualified name"));
    }
    Ok(())
}

fn classify(message: &str) -> (&'static str, &'static str) {
    if message.starts_with("unknown field") {
        ("config-unknown-key", "remove the key or fix its spelling; the accepted keys are listed above")
    } else if message.starts_with("missing field") {
        ("config-missing-key", "add the key")
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        ("config-invalid-value", "fix the value's type")
    } else {
        ("config-syntax", "fix the TOML syntax at this place")
    }
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    default_target: Option<Spanned<String>>,
    #[serde(default)]
    targets: BTreeMap<String, Spanned<RawTarget>>,
    scope: Option<RawScope>,
    source: Option<RawSource>,
    local: Option<RawLocal>,
    history_schema: Option<Spanned<String>>,
    inspect_connections: Option<Spanned<i64>>,
    policy: Option<RawPolicy>,
    external: Option<RawExternal>,
    renames: Option<RawRenames>,
    targets_file: Option<Spanned<String>>,
    #[serde(default)]
    discover: BTreeMap<String, Spanned<super::fleet::RawDiscover>>,
    tenants: Option<Spanned<super::fleet::RawTenants>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(default)]
    allow_hazards: Vec<Spanned<String>>,
    #[serde(default)]
    strict: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    url: Option<Spanned<String>>,
    url_env: Option<Spanned<String>>,
    /// What `--tag` selects the target by.
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScope {
    #[serde(default)]
    schemas: Vec<String>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    search_path: Option<Spanned<Vec<Spanned<String>>>>,
    statement_timeout: Option<Spanned<String>>,
    load_timeout: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocal {
    major: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExternal {
    #[serde(default)]
    objects: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRenames {
    #[serde(default)]
    new: Vec<Spanned<String>>,
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
