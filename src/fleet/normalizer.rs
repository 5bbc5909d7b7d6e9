//! The desired state for a whole fleet: from the committed snapshot of a target's major when it is current
//! for that target (no scratch database, no server binaries), otherwise loaded once per (major, encoding,
//! locale) into a scratch database that stays open while the targets are compared
//! ([`crate::normalize::Shared`]).
//!
//! A snapshot's files are read once per major; whether it is current is decided per target (its encoding,
//! locale, extension versions and external stubs are inputs), as a single-target `drift` decides it. A
//! tenant schema is always compared in the scratch database: the snapshot holds the template under its own
//! name, and a tenant is the template renamed there. Each notice (which desired state a major uses, and why
//! not the snapshot) is said once.

use super::Member;
use crate::catalog::{Catalog, ObjectKey};
use crate::config::FileConfig;
use crate::external::Stub;
use crate::inspect::ServerInfo;
use crate::normalize::{AsTenant, Desired, Expression, Options, Shared};
use crate::snapshot::{Inputs, Manifest};
use crate::source::Source;
use anyhow::{Result, anyhow};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Mutex;

type Key = (u32, String, String, String);
/// One loaded scratch database, or why it could not be loaded (said for every target of its key).
type Slot = Arc<Mutex<Option<Result<Shared, String>>>>;

/// A major's snapshot as read once: usable when a target's inputs equal its manifest's.
enum Snapshot {
    /// No snapshot, one this accrete cannot read, or `--no-snapshot`: why.
    Unusable(String),
    Read(Box<Read>),
}

/// The manifest, read before the targets are inspected (its extensions are asked of each target within
/// its `--timeout`); the rest read once, by the first target that needs it, after its inspection.
struct Read {
    manifest: Manifest,
    rest: std::sync::OnceLock<Result<Rest, String>>,
}

struct Rest {
    /// The inputs of the files and the configuration now (the target's part filled in per target).
    now: Inputs,
    /// As read: owned by the planning role.
    catalog: Catalog,
    expressions: Vec<Expression>,
}

/// What the desired state of a fleet is made from: the schema files as read, the configuration, and where
/// their snapshot is.
#[derive(Clone)]
pub struct DesiredFiles {
    pub file: FileConfig,
    pub source: Source,
    pub options: Options,
    /// The schema directory, whose snapshot folder is beside it.
    pub schema_dir: PathBuf,
    /// `false` with `--no-snapshot`.
    pub use_snapshot: bool,
}

/// Where the desired state of the fleet comes from.
pub struct Normalizer {
    pub source: Source,
    pub options: Options,
    pub file: FileConfig,
    /// The schema directory (its snapshot folder beside it), and whether a current snapshot may be used.
    schema_dir: PathBuf,
    use_snapshot: bool,
    slots: Mutex<BTreeMap<Key, Slot>>,
    snapshots: std::sync::Mutex<BTreeMap<u32, Arc<Snapshot>>>,
    said: std::sync::Mutex<BTreeSet<String>>,
}

/// A target's desired state, and the changed objects whose live text matched neither of the snapshot's
/// texts with no scratch database at hand to settle it.
pub struct ForTarget {
    pub desired: Desired,
    pub unconfirmed: Vec<ObjectKey>,
}

impl Normalizer {
    pub fn new(files: DesiredFiles) -> Normalizer {
        let DesiredFiles { file, source, options, schema_dir, use_snapshot } = files;
        Normalizer {
            source,
            options,
            file,
            schema_dir,
            use_snapshot,
            slots: Mutex::new(BTreeMap::new()),
            snapshots: Default::default(),
            said: Default::default(),
        }
    }

    /// Says `text` on standard error, once per run.
    fn say_once(&self, text: String) {
        if self.said.lock().unwrap_or_else(|e| e.into_inner()).insert(text.clone()) {
            crate::progress::notice(&crate::escape::terminal(&text));
        }
    }

    /// The snapshot of `major`, read on first use.
    fn snapshot(&self, major: u32) -> Arc<Snapshot> {
        let mut snapshots = self.snapshots.lock().unwrap_or_else(|e| e.into_inner());
        snapshots.entry(major).or_insert_with(|| Arc::new(self.read_snapshot(major))).clone()
    }

    fn read_snapshot(&self, major: u32) -> Snapshot {
        if !self.use_snapshot {
            return Snapshot::Unusable("--no-snapshot".to_string());
        }
        let root = crate::snapshot::root(&self.schema_dir);
        let dir = crate::snapshot::dir(&self.schema_dir, major);
        let manifest = match crate::snapshot::read_manifest(&dir) {
            Ok(None) => {
                return Snapshot::Unusable(format!(
                    "no snapshot for PostgreSQL {major} in {}",
                    root.display()
                ));
            }
            Ok(Some(Err(reason))) => {
                return Snapshot::Unusable(format!("the snapshot in {} is stale ({reason})", dir.display()));
            }
            Err(e) => return Snapshot::Unusable(format!("{e:#}")),
            Ok(Some(Ok(manifest))) => manifest,
        };
        Snapshot::Read(Box::new(Read { manifest, rest: std::sync::OnceLock::new() }))
    }

    /// The inputs now and the snapshot's catalog of `major`.
    fn read_rest(&self, major: u32) -> Result<Rest, String> {
        let dir = crate::snapshot::dir(&self.schema_dir, major);
        // The target's part of the inputs (its server, its stubs) is filled in per target.
        let env = crate::snapshot::Environment {
            major,
            encoding: String::new(),
            lc_collate: String::new(),
            lc_ctype: String::new(),
            extensions: BTreeMap::new(),
        };
        let read = crate::snapshot::inputs(&self.schema_dir, &self.source, &self.file, &env, &[])
            .and_then(|now| Ok((now, crate::snapshot::files::read(&dir)?)));
        match read {
            Ok((now, (catalog, expressions))) => Ok(Rest { now, catalog, expressions }),
            Err(e) => Err(format!("the snapshot in {} does not read: {e:#}", dir.display())),
        }
    }

    /// The extensions whose default versions decide whether the snapshot of `major` is current for a
    /// target; `None` when there is no snapshot to use (nothing to ask the target).
    pub fn snapshot_extensions(&self, major: u32) -> Option<Vec<String>> {
        match &*self.snapshot(major) {
            Snapshot::Read(read) => Some(read.manifest.inputs.extensions.keys().cloned().collect()),
            Snapshot::Unusable(_) => None,
        }
    }

    /// The desired catalog for `member`, whose live catalog is `live` (aligned to it): from the snapshot
    /// when it is current for this target (`extensions`: the versions its server offers of the snapshot's
    /// extensions), else from the scratch database of its key, which the first such target loads with its
    /// stubs of the external objects and its roles.
    pub async fn desired(
        &self,
        member: &Member,
        server: &ServerInfo,
        stubs: &[Stub],
        extensions: Option<&BTreeMap<String, String>>,
        live: &mut Catalog,
    ) -> Result<ForTarget> {
        let has_root = crate::snapshot::root(&self.schema_dir).is_dir();
        let major = server.major;
        let why_not = match (&member.tenant, &*self.snapshot(major), extensions) {
            (Some(_), _, _) => Some(
                "tenant schemas are compared in a scratch database (the template renamed to each tenant)"
                    .to_string(),
            ),
            (None, Snapshot::Unusable(reason), _) => Some(reason.clone()),
            (None, Snapshot::Read(_), None) => Some("the extension versions were not read".to_string()),
            (None, Snapshot::Read(read), Some(extensions)) => {
                match read.rest.get_or_init(|| self.read_rest(major)) {
                    Err(e) => Some(e.clone()),
                    Ok(rest) => {
                        match self.by_snapshot(&read.manifest, rest, server, stubs, extensions, live) {
                            Ok(found) => return Ok(found),
                            Err(why) => why,
                        }
                    }
                }
            }
        };
        if let Some(reason) = why_not.filter(|_| has_root) {
            self.say_once(format!(
                "desired state for PostgreSQL {major}: normalized once in a scratch database; {reason}"
            ));
        }
        let desired = self.in_scratch(member, server, stubs, live).await?;
        Ok(ForTarget { desired, unconfirmed: Vec::new() })
    }

    /// The desired state from the snapshot, when it is current for this target and no live expression
    /// text needs a scratch to settle; else why not (`None`: said already).
    fn by_snapshot(
        &self,
        manifest: &Manifest,
        rest: &Rest,
        server: &ServerInfo,
        stubs: &[Stub],
        extensions: &BTreeMap<String, String>,
        live: &mut Catalog,
    ) -> Result<ForTarget, Option<String>> {
        let major = server.major;
        let env = crate::snapshot::Environment {
            major,
            encoding: server.encoding.clone(),
            lc_collate: server.lc_collate.clone(),
            lc_ctype: server.lc_ctype.clone(),
            extensions: extensions.clone(),
        };
        let dir = crate::snapshot::dir(&self.schema_dir, major);
        if let Some(difference) = manifest.inputs.difference(&rest.now.for_target(&self.file, &env, stubs)) {
            return Err(Some(format!("the snapshot in {} is stale ({difference})", dir.display())));
        }
        let catalog = crate::snapshot::for_role(rest.catalog.clone(), &server.current_user);
        let unconfirmed = crate::snapshot::align::align(&catalog, &rest.expressions, live);
        let shown = dir.display();
        if !unconfirmed.is_empty() && crate::snapshot::scratch_at_hand(&self.options, major) {
            self.say_once(format!(
                "desired state for PostgreSQL {major}: from the snapshot in {shown}; live expression texts that \
                 match neither of its texts are settled in a scratch database"
            ));
            return Err(None);
        }
        self.say_once(format!(
            "desired state for PostgreSQL {major}: from the snapshot in {shown} (current)"
        ));
        if !unconfirmed.is_empty() {
            self.say_once(format!(
                "desired state for PostgreSQL {major}: changed expressions unconfirmed without a scratch (no \
                 server binaries for PostgreSQL {major} and no --dev-url)"
            ));
        }
        let desired = Desired {
            catalog,
            normalized_on: manifest.normalized_on.clone(),
            settled: rest.expressions.clone(),
            scratch_user: crate::snapshot::PLANNING_ROLE.to_string(),
        };
        Ok(ForTarget { desired, unconfirmed })
    }

    async fn in_scratch(
        &self,
        member: &Member,
        server: &ServerInfo,
        stubs: &[Stub],
        live: &mut Catalog,
    ) -> Result<Desired> {
        let key = (server.major, server.encoding.clone(), server.lc_collate.clone(), server.lc_ctype.clone());
        let slot = self.slots.lock().await.entry(key).or_default().clone();
        let mut slot = slot.lock().await;
        if slot.is_none() {
            let opened =
                Shared::open(&self.source, stubs, server, &live.roles, &self.options, &self.file.scope())
                    .await;
            *slot = Some(opened.map_err(|e| format!("normalizing the desired state: {e:#}")));
        }
        let shared = match slot.as_mut().expect("filled above") {
            Ok(shared) => shared,
            Err(e) => return Err(anyhow!("{e}")),
        };
        let scope = member.scope(&self.file);
        let tenant = match (&member.tenant, &self.file.fleet.tenants) {
            (Some(schema), Some(t)) => {
                Some(AsTenant { template: &t.template, tenant: schema, scope: &scope })
            }
            _ => None,
        };
        shared.desired_for(server, tenant, live).await
    }

    /// Drops every scratch database.
    pub async fn close(self) {
        for (_, slot) in self.slots.into_inner() {
            if let Ok(mutex) = Arc::try_unwrap(slot)
                && let Some(Ok(shared)) = mutex.into_inner()
            {
                shared.close().await;
            }
        }
    }

    /// How many scratch databases were loaded.
    pub async fn loaded(&self) -> usize {
        self.slots.lock().await.len()
    }
}
