//! The snapshot: the normalized desired catalog, written by `accrete snapshot` under
//! `<schema dir>.snapshot/<major>/` and committed, so that `plan` and `drift` need not load the schema
//! files into a scratch database while it is current.
//!
//! Invariants: the files are a function of the inputs the manifest lists ([`Inputs`]: the schema files'
//! bytes, the configuration that shapes the result, the major, the encoding and locale, the extension
//! versions, the external stubs, the catalog format); writing twice gives the same bytes (nothing of the
//! run leaks in: the scratch role is written as [`PLANNING_ROLE`], the server's roles are left out); a
//! snapshot is used only when the inputs recomputed now are equal to the manifest's, and otherwise the
//! command normalizes as before and says why. For each expression settling changed, both the text
//! PostgreSQL printed after loading and the settled text are kept ([`align`]): a live text equal to either
//! is the same definition; one equal to neither is settled in a scratch when one is at hand, and otherwise
//! reported as changed and marked unconfirmed.

pub mod align;
pub mod files;

use crate::catalog::Catalog;
use crate::conn::ConnParams;
use crate::external::Stub;
use crate::inspect::ServerInfo;
use crate::normalize::{Desired, Expression};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tokio_postgres::Client;

/// Version of the snapshot's layout; a snapshot of another version is stale.
pub const FORMAT: u32 = 1;

/// How the role the files ran as in the scratch database (a name of that run's own) is written: the
/// planning role it stands for, known when the snapshot is used. Not a name a role can have (NUL).
pub const PLANNING_ROLE: &str = "\u{0}planning-role";

/// The manifest's name in a major's folder.
pub const MANIFEST: &str = "manifest.json";

/// Everything the snapshot's content depends on. Equal inputs, equal snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub snapshot_format: u32,
    pub catalog_format: u32,
    /// [`crate::inspect::model_digest`]: accrete's version and inspect queries (empty in a snapshot made
    /// before it was recorded, which is then stale).
    #[serde(default)]
    pub model: String,
    pub major: u32,
    pub encoding: String,
    pub lc_collate: String,
    pub lc_ctype: String,
    /// `[source] search_path`.
    pub search_path: Vec<String>,
    /// `[scope] schemas` and `exclude`.
    pub scope_schemas: Vec<String>,
    pub scope_exclude: Vec<String>,
    /// `[external] objects`, as patterns, and the SHA-256 of each stub's statements.
    pub external: BTreeMap<String, String>,
    /// The default version the server offers of each extension the desired state has.
    pub extensions: BTreeMap<String, String>,
    /// SHA-256 of each file under the schema directory, by relative path.
    pub files: BTreeMap<String, String>,
    /// SHA-256 of the statements as read from each file, with their treatment, by the file they come from
    /// (`\i` may include a file from elsewhere). One entry per file, so that a merge of two changes to
    /// different files merges this too.
    pub statements: BTreeMap<String, String>,
}

impl Inputs {
    /// SHA-256 of the inputs: the snapshot's digest.
    pub fn digest(&self) -> String {
        hex(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// The first input that differs, in words: `files: schema/a.sql changed`.
    pub fn difference(&self, now: &Inputs) -> Option<String> {
        fn map_difference(
            what: &str,
            was: &BTreeMap<String, String>,
            now: &BTreeMap<String, String>,
        ) -> String {
            let keys: BTreeSet<&String> = was.keys().chain(now.keys()).collect();
            for key in keys {
                match (was.get(key), now.get(key)) {
                    (Some(_), None) => return format!("{what}: {key} removed"),
                    (None, Some(_)) => return format!("{what}: {key} added"),
                    (Some(a), Some(b)) if a != b => return format!("{what}: {key} changed"),
                    _ => {}
                }
            }
            what.to_string()
        }
        let scalar = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
            format!("{what}: {a:?} in the snapshot, {b:?} now")
        };
        Some(if self.snapshot_format != now.snapshot_format {
            scalar("snapshot format", &self.snapshot_format, &now.snapshot_format)
        } else if self.catalog_format != now.catalog_format {
            scalar("catalog format", &self.catalog_format, &now.catalog_format)
        } else if self.model != now.model {
            "made by another accrete (version or inspect queries)".to_string()
        } else if self.major != now.major {
            scalar("major", &self.major, &now.major)
        } else if self.encoding != now.encoding {
            scalar("encoding", &self.encoding, &now.encoding)
        } else if self.lc_collate != now.lc_collate {
            scalar("lc_collate", &self.lc_collate, &now.lc_collate)
        } else if self.lc_ctype != now.lc_ctype {
            scalar("lc_ctype", &self.lc_ctype, &now.lc_ctype)
        } else if self.search_path != now.search_path {
            scalar("[source] search_path", &self.search_path, &now.search_path)
        } else if self.scope_schemas != now.scope_schemas || self.scope_exclude != now.scope_exclude {
            "[scope] changed".to_string()
        } else if self.external != now.external {
            map_difference("[external]", &self.external, &now.external)
        } else if self.extensions != now.extensions {
            map_difference("extension versions", &self.extensions, &now.extensions)
        } else if self.files != now.files {
            map_difference("schema files", &self.files, &now.files)
        } else if self.statements != now.statements {
            map_difference("statements read", &self.statements, &now.statements)
        } else {
            return None;
        })
    }
}

/// `manifest.json`: the inputs, and what the snapshot was normalized on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub note: String,
    /// `PostgreSQL 15.18`, as a plan's header says it.
    pub normalized_on: String,
    pub inputs: Inputs,
}

const NOTE: &str = "written by `accrete snapshot`; do not edit: run it again (a merge conflict here too)";

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The snapshot folder of a schema directory: `schema` → `schema.snapshot`.
pub fn root(schema_dir: &Path) -> PathBuf {
    let name = schema_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = if name.is_empty() || name == "." || name == ".." { "schema".to_string() } else { name };
    schema_dir.with_file_name(format!("{name}.snapshot"))
}

/// The folder of one major.
pub fn dir(schema_dir: &Path, major: u32) -> PathBuf {
    root(schema_dir).join(major.to_string())
}

/// SHA-256 of every file under `dir`, by path relative to it (`/`-separated), recursively.
pub fn file_digests(dir: &Path) -> Result<BTreeMap<String, String>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry.with_context(|| format!("reading {}", dir.display()))?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                let rel = path.strip_prefix(base).unwrap_or(&path);
                let rel: Vec<String> =
                    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                out.insert(rel.join("/"), hex(&bytes));
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// The server facts the inputs take: major, encoding, locale, and the default version of `extensions`.
pub struct Environment {
    pub major: u32,
    pub encoding: String,
    pub lc_collate: String,
    pub lc_ctype: String,
    pub extensions: BTreeMap<String, String>,
}

/// The default versions `client`'s server offers of `names` (an empty text for one it lacks).
pub async fn extension_versions(client: &Client, names: &[String]) -> Result<BTreeMap<String, String>> {
    let rows = client
        .query(
            "SELECT name::text, coalesce(default_version, '') FROM pg_catalog.pg_available_extensions \
             WHERE name = ANY ($1::text[])",
            &[&names],
        )
        .await
        .context("reading the available extension versions")?;
    let found: BTreeMap<String, String> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    Ok(names.iter().map(|n| (n.clone(), found.get(n).cloned().unwrap_or_default())).collect())
}

impl Environment {
    pub async fn of(client: &Client, server: &ServerInfo, major: u32, extensions: &[String]) -> Result<Self> {
        Ok(Environment {
            major,
            encoding: server.encoding.clone(),
            lc_collate: server.lc_collate.clone(),
            lc_ctype: server.lc_ctype.clone(),
            extensions: extension_versions(client, extensions).await?,
        })
    }
}

/// The inputs now: the files under `schema_dir` and the statements read from them, `file`'s configuration,
/// `env`, `stubs`.
pub fn inputs(
    schema_dir: &Path,
    source: &crate::source::Source,
    file: &crate::config::FileConfig,
    env: &Environment,
    stubs: &[Stub],
) -> Result<Inputs> {
    let external = external_digests(file, stubs);
    Ok(Inputs {
        snapshot_format: FORMAT,
        catalog_format: crate::catalog::CATALOG_FORMAT,
        model: crate::inspect::model_digest(),
        major: env.major,
        encoding: env.encoding.clone(),
        lc_collate: env.lc_collate.clone(),
        lc_ctype: env.lc_ctype.clone(),
        search_path: file.source.search_path.clone(),
        scope_schemas: file.scope.schemas.clone(),
        scope_exclude: file.scope.exclude.clone(),
        external,
        extensions: env.extensions.clone(),
        files: file_digests(schema_dir)?,
        statements: statements_digest(source),
    })
}

/// `[external] objects`, as patterns, and the SHA-256 of each stub's statements as read from a target.
pub fn external_digests(file: &crate::config::FileConfig, stubs: &[Stub]) -> BTreeMap<String, String> {
    file.external
        .objects
        .iter()
        .map(|o| {
            let stub = stubs.iter().find(|s| s.kind == o.kind && s.schema == o.schema && s.name == o.name);
            let digest = stub.map(|s| hex(s.statements.join("\n").as_bytes())).unwrap_or_default();
            (o.pattern(), digest)
        })
        .collect()
}

impl Inputs {
    /// These inputs (of the files and the configuration, computed once) for another target: its server
    /// facts and its stubs of the external objects. Equal to [`inputs`] for that target.
    pub fn for_target(&self, file: &crate::config::FileConfig, env: &Environment, stubs: &[Stub]) -> Inputs {
        Inputs {
            major: env.major,
            encoding: env.encoding.clone(),
            lc_collate: env.lc_collate.clone(),
            lc_ctype: env.lc_ctype.clone(),
            extensions: env.extensions.clone(),
            external: external_digests(file, stubs),
            ..self.clone()
        }
    }
}

fn statements_digest(source: &crate::source::Source) -> BTreeMap<String, String> {
    let mut by_file: BTreeMap<String, Sha256> = BTreeMap::new();
    for statement in &source.statements {
        let file = &statement.origin.file;
        let name = file.strip_prefix(&source.root).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let hasher = by_file.entry(name).or_default();
        hasher.update(format!("{:?}\0{}\0", statement.treatment, statement.sql.len()).as_bytes());
        hasher.update(statement.sql.as_bytes());
    }
    by_file.into_iter().map(|(k, h)| (k, h.finalize().iter().map(|b| format!("{b:02x}")).collect())).collect()
}

/// Reads a major's manifest: `None` when there is none, `Some(Err(reason))` when it cannot be read as this
/// accrete writes it (another format: the snapshot is stale, not an error).
pub fn read_manifest(dir: &Path) -> Result<Option<std::result::Result<Manifest, String>>> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    Ok(Some(
        serde_json::from_str(&text).map_err(|e| format!("its manifest is not one this accrete reads: {e}")),
    ))
}

/// The snapshot's files for a normalized desired state, by path relative to the major's folder.
pub fn render(desired: &Desired, inputs: Inputs) -> Result<BTreeMap<PathBuf, String>> {
    // The scratch role's name is this run's own: written as the planning role it stands for (the roles
    // are not written). Only the privileges are copied for it, not the catalog.
    let mut privileges = desired.catalog.privileges.clone();
    for acl in privileges.values_mut() {
        if acl.owner == desired.scratch_user {
            acl.owner = PLANNING_ROLE.to_string();
        }
    }
    let mut out = files::render(&desired.catalog, &privileges, &desired.settled)?;
    let manifest = Manifest { note: NOTE.to_string(), normalized_on: desired.normalized_on.clone(), inputs };
    let mut text = serde_json::to_string_pretty(&manifest).context("writing the manifest")?;
    text.push('\n');
    out.insert(PathBuf::from(MANIFEST), text);
    Ok(out)
}

/// Writes `files` into `dir`: each file whose bytes differ, and removes the `.json` files of an earlier
/// snapshot that are no longer part of it. Returns how many files changed.
pub fn write(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<usize> {
    let mut changed = 0;
    let mut old = Vec::new();
    for top in ["database", "schemas"] {
        files::collect(&dir.join(top), &mut old)?;
    }
    for path in old {
        let rel = path.strip_prefix(dir).unwrap_or(&path);
        if !files.contains_key(rel) {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            if let Some(parent) = path.parent() {
                let _ = std::fs::remove_dir(parent); // only when empty
            }
            changed += 1;
        }
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        changed += 1;
    }
    Ok(changed)
}

/// A snapshot read back for use: the desired catalog as normalizing would give it for the planning role
/// `current_user`, and the expressions with both texts.
pub struct Loaded {
    pub manifest: Manifest,
    pub catalog: Catalog,
    pub expressions: Vec<Expression>,
}

/// Reads the snapshot in `dir` for the planning role `current_user`.
pub fn load(dir: &Path, manifest: Manifest, current_user: &str) -> Result<Loaded> {
    let (catalog, expressions) = files::read(dir)?;
    Ok(Loaded { manifest, catalog: for_role(catalog, current_user), expressions })
}

/// A snapshot's catalog as read (owned by [`PLANNING_ROLE`]) for the planning role `current_user`.
pub fn for_role(mut catalog: Catalog, current_user: &str) -> Catalog {
    crate::normalize::own_default_privileges(&mut catalog, PLANNING_ROLE, current_user);
    for acl in catalog.privileges.values_mut() {
        if acl.owner == PLANNING_ROLE {
            acl.owner = current_user.to_string();
        }
    }
    catalog
}

/// How `plan` and `drift` got their desired state.
pub struct Used {
    pub desired: Desired,
    /// Keys of changed objects whose live text matched neither snapshot text and no scratch confirmed.
    pub unconfirmed: Vec<crate::catalog::ObjectKey>,
}

/// What `plan` and `drift` need to use a snapshot or to normalize.
pub struct Request<'a> {
    pub schema_dir: &'a Path,
    pub source: &'a crate::source::Source,
    pub stubs: &'a [Stub],
    pub file: &'a crate::config::FileConfig,
    pub scope: &'a crate::scope::Scope,
    pub options: &'a crate::normalize::Options,
    /// `false` with `--no-snapshot`.
    pub use_snapshot: bool,
}

/// The desired state for `plan` and `drift`: from the snapshot of the target's major when it is current,
/// else normalized; says which on standard error when the project has a snapshot folder.
pub async fn desired(
    request: &Request<'_>,
    client: &Client,
    target: &ServerInfo,
    live: &mut Catalog,
) -> Result<Used> {
    let root = root(request.schema_dir);
    let dir = dir(request.schema_dir, target.major);
    let has_root = root.is_dir();
    let reason = if !request.use_snapshot {
        Some("--no-snapshot".to_string())
    } else {
        match read_manifest(&dir)? {
            None => Some(format!("no snapshot for PostgreSQL {} in {}", target.major, root.display())),
            Some(Err(reason)) => Some(format!("the snapshot in {} is stale ({reason})", dir.display())),
            Some(Ok(manifest)) => {
                let names: Vec<String> = manifest.inputs.extensions.keys().cloned().collect();
                let env = Environment::of(client, target, target.major, &names).await?;
                let now = inputs(request.schema_dir, request.source, request.file, &env, request.stubs)?;
                match manifest.inputs.difference(&now) {
                    Some(difference) => {
                        Some(format!("the snapshot in {} is stale ({difference})", dir.display()))
                    }
                    None => {
                        let loaded = crate::progress::phase_blocking("reading the snapshot", || {
                            load(&dir, manifest, &target.current_user)
                        })?;
                        return from_snapshot(request, &dir, loaded, target, live).await;
                    }
                }
            }
        }
    };
    if let Some(reason) = reason.filter(|_| has_root) {
        crate::progress::notice(&format!(
            "desired state: normalized in a scratch database; {}",
            crate::escape::terminal(&reason)
        ));
    }
    normalized(request, target, live).await
}

/// The desired state normalized in a scratch database, as without a snapshot.
async fn normalized(request: &Request<'_>, target: &ServerInfo, live: &mut Catalog) -> Result<Used> {
    let Request { source, stubs, options, scope, .. } = request;
    let desired = crate::normalize::desired(source, stubs, target, options, scope, live).await?;
    Ok(Used { desired, unconfirmed: vec![] })
}

async fn from_snapshot(
    request: &Request<'_>,
    dir: &Path,
    loaded: Loaded,
    target: &ServerInfo,
    live: &mut Catalog,
) -> Result<Used> {
    let unconfirmed = align::align(&loaded.catalog, &loaded.expressions, live);
    let shown = crate::escape::terminal(&dir.display().to_string());
    if !unconfirmed.is_empty() && scratch_at_hand(request.options, target.major) {
        crate::progress::notice(&format!(
            "desired state: from the snapshot in {shown}; {} live expression text(s) match neither of its texts: \
             normalizing in a scratch database to settle them",
            unconfirmed.len()
        ));
        return normalized(request, target, live).await;
    }
    if unconfirmed.is_empty() {
        crate::progress::notice(&format!("desired state: from the snapshot in {shown} (current)"));
    } else {
        crate::progress::notice(&format!(
            "desired state: from the snapshot in {shown} (current); {} changed expression(s) unconfirmed without a \
             scratch (no server binaries for PostgreSQL {} and no --dev-url)",
            unconfirmed.len(),
            target.major
        ));
    }
    let desired = Desired {
        catalog: loaded.catalog,
        normalized_on: loaded.manifest.normalized_on,
        settled: loaded.expressions,
        scratch_user: PLANNING_ROLE.to_string(),
    };
    Ok(Used { desired, unconfirmed })
}

/// Whether a scratch database can be had without starting anything unusual: `--dev-url`, or server
/// binaries of the major.
pub(crate) fn scratch_at_hand(options: &crate::normalize::Options, major: u32) -> bool {
    options.dev_url.is_some() || crate::pg::find_binaries(Some(major)).is_ok()
}

/// `accrete snapshot`'s outcome.
pub enum Outcome {
    Written { dir: PathBuf, files: usize, changed: usize, bytes: usize, digest: String },
    Current { dir: PathBuf, digest: String },
    Stale { dir: PathBuf, reason: String },
}

/// What `accrete snapshot` needs: the target's connection (or none with `--major` alone) and settings.
pub struct Make<'a> {
    pub request: Request<'a>,
    pub major: u32,
    /// The target, connected; `None` with `--major` alone (the scratch cluster's defaults stand in).
    pub target: Option<(&'a Client, ServerInfo, std::collections::BTreeSet<String>)>,
    pub check: bool,
}

/// The server facts without a target: accrete's scratch cluster for `major`, `UTF8` and `C.UTF-8`.
async fn scratch_environment(make: &Make<'_>, extensions: &[String]) -> Result<(ServerInfo, Environment)> {
    let params: ConnParams = match &make.request.options.dev_url {
        Some(url) => {
            crate::conn::params_from_string(url, &crate::conn::process_env).context("reading --dev-url")?
        }
        None => {
            crate::normalize::scratch_server(make.major, make.request.options.allow_version_mismatch).await?
        }
    };
    let conn = crate::conn::connect(&params, "accrete/snapshot").await?;
    let mut server = crate::inspect::server_info(&conn.client).await?;
    server.major = make.major;
    server.encoding = "UTF8".to_string();
    server.lc_collate = "C.UTF-8".to_string();
    server.lc_ctype = "C.UTF-8".to_string();
    let env = Environment::of(&conn.client, &server, make.major, extensions).await?;
    Ok((server, env))
}

/// `accrete snapshot`: checks (`--check`) or writes the snapshot of `make.major`.
pub async fn make(make: Make<'_>) -> Result<Outcome> {
    let r = &make.request;
    let dir = dir(r.schema_dir, make.major);
    if make.target.is_none() && !r.file.external.objects.is_empty() {
        bail!("[external] objects are read from the target: name it with --db or --target");
    }
    if make.check {
        let manifest = match read_manifest(&dir)? {
            None => return Ok(Outcome::Stale { dir, reason: "there is no snapshot".to_string() }),
            Some(Err(reason)) => return Ok(Outcome::Stale { dir, reason }),
            Some(Ok(manifest)) => manifest,
        };
        let names: Vec<String> = manifest.inputs.extensions.keys().cloned().collect();
        let env = match &make.target {
            Some((client, server, _)) => Environment::of(client, server, make.major, &names).await?,
            None => scratch_environment(&make, &names).await?.1,
        };
        let now = inputs(r.schema_dir, r.source, r.file, &env, r.stubs)?;
        return Ok(match manifest.inputs.difference(&now) {
            Some(reason) => Outcome::Stale { dir, reason },
            None => Outcome::Current { dir, digest: now.digest() },
        });
    }
    let (mut server, roles) = match &make.target {
        Some((_, server, roles)) => (server.clone(), roles.clone()),
        None => (scratch_environment(&make, &[]).await?.0, BTreeSet::new()),
    };
    server.major = make.major;
    // Default privileges the files set for the scratch role are written for the planning role.
    server.current_user = PLANNING_ROLE.to_string();
    let mut live = Catalog { roles, ..Catalog::default() };
    let desired =
        crate::normalize::desired(r.source, r.stubs, &server, r.options, r.scope, &mut live).await?;
    let names: Vec<String> = desired.catalog.extensions.keys().cloned().collect();
    let env = match &make.target {
        Some((client, server, _)) => Environment::of(client, server, make.major, &names).await?,
        None => scratch_environment(&make, &names).await?.1,
    };
    let inputs = inputs(r.schema_dir, r.source, r.file, &env, r.stubs)?;
    let digest = inputs.digest();
    let files = render(&desired, inputs)?;
    let bytes = files.values().map(String::len).sum();
    let changed = write(&dir, &files)?;
    Ok(Outcome::Written { dir, files: files.len(), changed, bytes, digest })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Inputs {
        Inputs {
            snapshot_format: FORMAT,
            catalog_format: crate::catalog::CATALOG_FORMAT,
            model: crate::inspect::model_digest(),
            major: 16,
            encoding: "UTF8".into(),
            lc_collate: "C".into(),
            lc_ctype: "C".into(),
            search_path: vec![],
            scope_schemas: vec![],
            scope_exclude: vec![],
            external: BTreeMap::new(),
            extensions: BTreeMap::new(),
            files: BTreeMap::from([("app.sql".to_string(), "1".to_string())]),
            statements: BTreeMap::new(),
        }
    }

    #[test]
    fn a_snapshot_made_by_another_model_is_stale() {
        let now = inputs();
        assert_eq!(now.difference(&now), None);
        // A manifest written before the model was recorded reads with an empty one.
        let mut json = serde_json::to_value(&now).unwrap();
        json.as_object_mut().unwrap().remove("model");
        let old: Inputs = serde_json::from_value(json).unwrap();
        assert_eq!(
            old.difference(&now).as_deref(),
            Some("made by another accrete (version or inspect queries)")
        );
    }
}
