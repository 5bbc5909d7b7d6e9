//! The plan file's model: what `render` writes and `apply` reads back, one set of types for both.
//!
//! A step carries its class, kind, hazards and size as typed values; its name is the name as the step line
//! shows it (escaped for a comment line, with what the step does in parentheses: `app.t.c (validate)`),
//! since a comment line is for reading and the manifest, not the step line, names objects exactly.

use crate::catalog::{ObjectKey, ObjectKind, QualName, TableSize};
use crate::policy::{Class, Hazard};
use crate::script::Stmt;
use serde::{Deserialize, Serialize};

/// A parsed, checksum-verified plan file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFile {
    pub format: u32,
    pub catalog_format: u32,
    pub plan_id: String,
    /// For a rollback file: the id of the plan it undoes.
    pub rollback_of: Option<String>,
    /// The checksum line's value, `sha256:<hex>` (verified).
    pub checksum: String,
    pub target: PlannedTarget,
    /// The statements before the first segment (the pinned session settings).
    pub preamble: Vec<Stmt>,
    /// The role a preamble `SET ROLE` names, if any.
    pub role: Option<String>,
    pub segments: Vec<Segment>,
    pub manifest: Vec<ManifestEntry>,
}

impl PlanFile {
    /// Every step, in file order, with its segment.
    pub fn steps(&self) -> impl Iterator<Item = (&Segment, &Step)> {
        self.segments.iter().flat_map(|seg| seg.steps.iter().map(move |step| (seg, step)))
    }
}

/// What the plan was made against (the target line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedTarget {
    pub system_identifier: String,
    pub database: String,
    pub server_version_num: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub number: u32,
    pub transactional: bool,
    pub steps: Vec<Step>,
}

/// One step: its step line, its size line, and (read back) its statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub number: u32,
    pub class: Class,
    pub kind: ObjectKind,
    /// The object's name as the step line shows it.
    pub name: String,
    /// The object whose change the step serves (`· for KIND NAME`), whose kind a policy admits it by; the
    /// name as the step line shows it.
    pub part_of: Option<(ObjectKind, String)>,
    pub hazards: Vec<Hazard>,
    /// The size of the table its size-graded hazards depend on, as planned (format 2's size line).
    pub size: Option<StepSize>,
    /// The statements read back (the writer writes the step's SQL text as given).
    pub statements: Vec<Stmt>,
}

impl Step {
    /// `add column app.users.email`, for messages.
    pub fn describe(&self) -> String {
        format!("{} {} {}", self.class, self.kind, self.name)
    }

    pub fn has_hazard(&self, hazard: Hazard) -> bool {
        self.hazards.contains(&hazard)
    }

    /// The kind a policy admits the step by: that of the change it serves, else its own.
    pub fn admitted_kind(&self) -> ObjectKind {
        self.part_of.as_ref().map_or(self.kind, |(kind, _)| *kind)
    }
}

/// One touched object of the manifest: its digests before and after (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    pub key: ObjectKey,
    /// `None`: absent.
    pub before: Option<String>,
    pub after: Option<String>,
    /// States an interrupted apply can leave (`None`: absent), accepted like before and after.
    pub during: Vec<Option<String>>,
    /// The before state itself, when the object exists before (`Catalog::states`): a stale plan's refusal
    /// shows what changed since.
    pub was: Option<String>,
}

/// The size of the table a step's size-graded hazards depend on, as the plan was made (format 2): `apply`
/// judges a size-bounded policy (`--allow-hazard rewrites-table:<100MB`) with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSize {
    pub table: QualName,
    /// `pg_class` estimates ([`TableSize`]).
    pub bytes: u64,
    pub rows: u64,
}

impl StepSize {
    pub fn size(&self) -> TableSize {
        TableSize { rows: self.rows, bytes: self.bytes }
    }
}
