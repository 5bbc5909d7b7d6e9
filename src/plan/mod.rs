//! Planning: from a comparison to an ordered, segmented list of guarded steps with a manifest.
//!
//! Invariants: the same inputs give the same plan (ordering by `order`, everything else by key); every step's
//! SQL is three-way guarded (`guards`); a step that PostgreSQL forbids in a transaction gets a segment of its
//! own kind; a transactional segment never touches more than [`MAX_RELATIONS_PER_SEGMENT`] tables (a
//! 5,000-table plan in one transaction ran out of lock memory at about 3,300 tables); the manifest records,
//! for every touched object, its digest before and after, and any state an interrupted apply can leave.

pub mod expect;
pub mod guards;
pub mod guards_alter;
mod guards_code;
pub mod guards_grants;
mod guards_types;
mod kinds;
pub mod lock;
pub mod order;
mod proof;
pub mod rollback;
pub mod spill;
pub mod viewdef;
mod words;

use crate::catalog::{Catalog, ObjectKey, QualName};
use crate::diff::{Change, Comparison, Op};
pub use kinds::{FailingRows, by_hand, failing_rows};
pub use proof::ProofStatus;
use std::collections::{BTreeMap, BTreeSet};
pub use words::{change_words, op_word, shown_name, summary_noun};

pub const MAX_RELATIONS_PER_SEGMENT: usize = 1000;

/// What the plan was made against. Never a password or a connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetInfo {
    pub system_identifier: String,
    pub database: String,
    pub server_version: String,
    pub server_version_num: i32,
}

impl TargetInfo {
    /// What a plan records of the server it was made against.
    pub fn of(server: &crate::inspect::ServerInfo) -> TargetInfo {
        TargetInfo {
            system_identifier: server.system_identifier.clone(),
            database: server.database.clone(),
            server_version: server.version.clone(),
            server_version_num: server.version_num,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlanContext {
    pub target: TargetInfo,
    /// `PostgreSQL 15.18`
    pub normalized_on: String,
    pub tool_version: String,
    /// The role new objects will be owned by.
    pub owner: String,
    /// `--role`, when given.
    pub role: Option<String>,
    /// The external objects (`accrete.toml` `[external]`) the desired state was normalized with.
    pub external: Vec<crate::external::Assumed>,
    /// The target's table size estimates, for reviewers and for hazards graded by size: the plan file
    /// records only the size of a table a step's size-graded hazard depends on (`lock::StepSize`).
    pub sizes: BTreeMap<QualName, crate::catalog::TableSize>,
}

impl PlanContext {
    /// The context of a plan against the inspected `live` target (its server and table sizes), made by
    /// this accrete, whose new objects `owner` will own.
    pub fn for_target(
        live: &crate::inspect::Inspected,
        normalized_on: String,
        owner: String,
        role: Option<String>,
        external: Vec<crate::external::Assumed>,
    ) -> PlanContext {
        PlanContext {
            target: TargetInfo::of(&live.server),
            normalized_on,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            owner,
            role,
            external,
            sizes: live.sizes.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    pub number: usize,
    pub change: Change,
    /// The guarded SQL: one or more statements (and `\gexec` lines); read it with [`Plan::sql_of`].
    pub sql: spill::StepSql,
    pub transactional: bool,
    /// The lock the step takes and how long it holds it.
    pub lock: lock::StepLock,
    /// Its statements without the guard ([`guards::ddl`]), for readers.
    pub ddl: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub number: usize,
    pub transactional: bool,
    pub steps: Vec<Step>,
}

/// One touched object of the manifest: the plan file's own type, which `apply` reads back.
pub use crate::planfile::ManifestEntry;

#[derive(Debug, Clone)]
pub struct Plan {
    pub context: PlanContext,
    pub segments: Vec<Segment>,
    pub manifest: Vec<ManifestEntry>,
    pub comparison: Comparison,
    /// Changes the policy did not admit: listed in the header with their statements, not planned.
    pub not_admitted: Vec<Change>,
    /// The policy the plan was made with (`add` alone unless flags or `accrete.toml` admit more).
    pub policy: crate::policy::Policy,
    /// The catalog the plan leaves behind (live with the changes applied). Not made for a plan with no
    /// step (empty then): nothing is written, proven or undone, and at 10,000 tables the copy of the live
    /// catalog and the digests of both took 250 MB for nothing.
    pub expected: Catalog,
    /// Set on a rollback file: which plan it undoes, and what it cannot undo.
    pub rollback_of: Option<rollback::RollbackOf>,
    /// The file the steps' guarded SQL went to as it was made (`spill`); `None` once the plan is written,
    /// or when every step's SQL is in memory.
    pub spill: Option<spill::Spill>,
    /// Whether the plan ran on a copy of the target's schema ([`crate::apply::prove`]); `None` until it is known
    /// (the header then says nothing of it).
    pub proof: Option<ProofStatus>,
}

impl Plan {
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.segments.iter().flat_map(|s| s.steps.iter())
    }

    /// A step's guarded SQL (read back from the spill when it went there).
    pub fn sql_of<'a>(&'a self, step: &'a Step) -> std::io::Result<std::borrow::Cow<'a, str>> {
        step.sql.read(self.spill.as_ref())
    }

    /// Frees every step's guarded SQL once the plan file is written: the summaries, the review and the
    /// rollback are made from the changes and the statements without their guards (`ddl`).
    pub fn release_statements(&mut self) {
        for step in self.segments.iter_mut().flat_map(|s| s.steps.iter_mut()) {
            step.sql = spill::StepSql::Text(String::new());
        }
        self.spill = None;
    }

    pub fn step_count(&self) -> usize {
        self.segments.iter().map(|s| s.steps.len()).sum()
    }
}

/// Builds the plan for `comparison` (made from `desired` and `live`): the changes `policy` admits.
pub fn build(
    desired: &Catalog,
    live: &Catalog,
    comparison: Comparison,
    policy: &crate::policy::Policy,
    context: PlanContext,
) -> Plan {
    // New objects start with their creator's default privileges on the target, not the built-in ones.
    let owner = context.role.as_deref().unwrap_or(&context.owner);
    let mut comparison = crate::diff::plan_from_initial_privileges(desired, live, owner, comparison);
    // A step that serves another change is admitted with it: a view made where a table is dropped needs
    // the drop admitted.
    let mut served: BTreeMap<ObjectKey, crate::diff::Class> = BTreeMap::new();
    for c in comparison.changes.iter().filter(|c| c.part_of.is_none()) {
        let class = served.entry(c.key.clone()).or_insert(c.class);
        *class = (*class).max(c.class);
    }
    // The changes move into the plan (admitted) or its header (not admitted): the plan keeps what else the
    // comparison found (at 5,000 tables each copy of the changes was about 45 MB).
    let (admitted, not_admitted): (Vec<Change>, Vec<Change>) =
        std::mem::take(&mut comparison.changes).into_iter().partition(|c| {
            let class = c.part_of.as_ref().and_then(|s| served.get(s)).map_or(c.class, |s| (*s).max(c.class));
            policy.admits(class, c.subject().kind)
        });
    let ordered = order::order(admitted, &desired.dependencies, &live.dependencies);
    let expected = match ordered.changes.is_empty() {
        true => Catalog::default(),
        false => expect::expected(live, &ordered.changes, context.role.as_deref().unwrap_or(&context.owner)),
    };
    let mut segments: Vec<Segment> = Vec::new();
    let mut segment_of_step: Vec<usize> = Vec::new();
    let mut relations: BTreeSet<QualName> = BTreeSet::new();
    let planning = kinds::Planning::new(desired, &ordered.changes, false);
    let manifest = manifest(live, &expected, &planning);
    // Each step's guarded SQL goes to the spill as it is made: it is read again only to be written.
    let mut spiller = spill::Spiller::new();
    let written: Vec<(kinds::Written, spill::StepSql)> = ordered
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut written = kinds::written(i + 1, c, &planning);
            let sql = spiller.keep(std::mem::take(&mut written.guarded.sql));
            (written, sql)
        })
        .collect();
    drop(planning);
    // Each change moves into its step (at 5,000 tables a copy of the changes is about 45 MB).
    for (i, (change, (written, sql))) in ordered.changes.into_iter().zip(written).enumerate() {
        let number = i + 1;
        let kinds::Written { guarded, ddl, lock: step_lock } = written;
        let touched = relations_of(&change.op);
        let needs_new = match segments.last() {
            None => true,
            Some(current) => {
                let current_no = segments.len() - 1;
                current.transactional != guarded.transactional
                    // A validation scans in a transaction of its own: no lock another step took is held
                    // for the length of its scan, and it holds none past it.
                    || (guarded.transactional
                        && (step_lock.own_transaction() || current.steps.iter().any(|s| s.lock.own_transaction())))
                    || ordered.later_transaction_than[i].iter().any(|&p| segment_of_step[p] == current_no)
                    || (guarded.transactional && {
                        let new: BTreeSet<&QualName> = touched.iter().filter(|t| !relations.contains(*t)).collect();
                        relations.len() + new.len() > MAX_RELATIONS_PER_SEGMENT
                    })
            }
        };
        if needs_new {
            segments.push(Segment {
                number: segments.len() + 1,
                transactional: guarded.transactional,
                steps: vec![],
            });
            relations.clear();
        }
        relations.extend(touched);
        segment_of_step.push(segments.len() - 1);
        let step = Step { number, change, sql, transactional: guarded.transactional, lock: step_lock, ddl };
        segments.last_mut().expect("a segment exists").steps.push(step);
    }
    Plan {
        context,
        segments,
        manifest,
        comparison,
        not_admitted,
        policy: policy.clone(),
        expected,
        rollback_of: None,
        spill: spiller.finish(),
        proof: None,
    }
}

/// What the planned changes need among objects of kinds accrete does not model, and roles (which accrete
/// does not manage either), that the target lacks: a plan that creates them would fail at apply, so `plan`
/// refuses, naming each.
pub fn unmet_dependencies<'a>(
    desired: &Catalog,
    live: &Catalog,
    changes: impl IntoIterator<Item = &'a Change>,
) -> Vec<String> {
    let mut out = BTreeSet::new();
    for change in changes {
        for role in roles_of(&change.op) {
            if !live.roles.contains(role) {
                out.insert(format!(
                    "{} {} needs role {role}, which the target lacks; accrete does not manage roles: create it \
                     on the target first (CREATE ROLE {} ...)",
                    change.class,
                    change.key,
                    crate::catalog::quote_ident(role)
                ));
            }
        }
        for key in change.keys() {
            for (kind, name) in desired.unmodeled_dependencies.get(&key).into_iter().flatten() {
                if !live.unmodeled_objects.contains(&(kind.clone(), name.clone())) {
                    out.insert(format!(
                        "{} {} needs {kind} {name}, which the target lacks and accrete does not create                          ({kind} is not modeled yet): create it on the target first",
                        change.class, change.key
                    ));
                }
            }
        }
    }
    out.into_iter().collect()
}

/// The roles a change names (a grant's grantee; PUBLIC is not a role).
fn roles_of(op: &Op) -> Vec<&str> {
    kinds::of(op).map_or_else(Vec::new, |kind| kind.roles(op))
}

/// Tables a step locks, for the per-transaction bound.
fn relations_of(op: &Op) -> Vec<QualName> {
    match op {
        Op::Drop { object, .. } => object.table().into_iter().cloned().collect(),
        op => kinds::of(op).map_or_else(Vec::new, |kind| kind.relations(op)),
    }
}

fn manifest(live: &Catalog, expected: &Catalog, planning: &kinds::Planning<'_>) -> Vec<ManifestEntry> {
    let changes = planning.changes;
    if changes.is_empty() {
        return Vec::new();
    }
    let mut during: BTreeMap<ObjectKey, Vec<Option<String>>> = BTreeMap::new();
    for change in changes {
        if let Some(kind) = kinds::of(&change.op) {
            let states = kind.during(change, expected, planning);
            if !states.is_empty() {
                during.entry(change.key.clone()).or_default().extend(states);
            }
            continue;
        }
        // Between the drop and the re-creation the object is absent.
        if let Op::Drop { replaced_by: Some(_), .. } = &change.op {
            during.entry(change.key.clone()).or_default().push(None);
        }
    }
    let keys: BTreeSet<ObjectKey> = changes.iter().flat_map(Change::keys).collect();
    // The live states are what the before digests hash: serialized once for both.
    let mut was = live.states(&keys);
    let before: BTreeMap<ObjectKey, String> =
        was.iter().map(|(key, state)| (key.clone(), crate::catalog::state_digest(key.kind, state))).collect();
    let after = expected.digests_of(&keys);
    keys.into_iter()
        .map(|key| {
            let mut d = during.remove(&key).unwrap_or_default();
            let (b, a) = (before.get(&key).cloned(), after.get(&key).cloned());
            d.retain(|s| s != &b && s != &a);
            d.sort();
            d.dedup();
            ManifestEntry { before: b, after: a, during: d, was: was.remove(&key), key }
        })
        // A key whose step leaves it as it found it says nothing (PUBLIC's default revoked from a function the
        // plan creates: absent before and after); its object's own key records the change.
        .filter(|e| e.before != e.after || !e.during.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
