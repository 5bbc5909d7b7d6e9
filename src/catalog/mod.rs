//! The model of a database schema: plain data, serde, no I/O.
//!
//! Both sides of a comparison are a [`Catalog`]: the live database and the scratch database that holds the
//! desired state are read by the same `inspect` code. Everything here is ordered (`BTreeMap`, sorted
//! vectors) so that serialization is deterministic; digests of objects ([`Catalog::digests`]) are SHA-256
//! over that serialization and are what a plan's manifest records.
//!
//! Invariants:
//! - names are stored unquoted, exactly as PostgreSQL stores them;
//! - expressions and type names are PostgreSQL's own rendering (`format_type`, `pg_get_expr`, ...) under
//!   the pinned session settings of [`crate::session`], so both sides print alike;
//! - nothing here depends on OIDs, column positions in digests, or ownership.
//!
//! The files: `identity.rs` names objects (`QualName`, `ObjectKind`, `ObjectKey`) and holds the facts of
//! each kind (`ObjectKind::placement` and the like), `objects.rs` and
//! `tables.rs` hold the model's types, `grants.rs` privileges, `digest.rs` the canonical serialization and
//! its SHA-256, `quote.rs` identifier and literal quoting (with PostgreSQL's reserved words), `size.rs` a
//! table's size estimates. Everything is re-exported here, so `crate::catalog::X` names each of them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod digest;
mod grants;
mod identity;
mod objects;
mod quote;
mod size;
mod tables;

pub use digest::{constraint_digest, grant_digest, index_digest, state_digest, type_digest};
pub use grants::{Acl, GrantOn, Privilege};
pub use identity::{External, ObjectKey, ObjectKind, Placement, QualName};
pub use objects::*;
pub use quote::{quote_ident, quote_literal};
pub use size::{TableSize, approximate, bytes};
pub use tables::*;

/// Version of the canonical serialization that digests are computed over. A plan records it; `apply`
/// refuses a plan whose catalog format it does not know.
pub const CATALOG_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Catalog {
    pub schemas: BTreeMap<String, Schema>,
    pub extensions: BTreeMap<String, Extension>,
    pub enums: BTreeMap<QualName, EnumType>,
    pub sequences: BTreeMap<QualName, Sequence>,
    pub tables: BTreeMap<QualName, Table>,
    pub views: BTreeMap<QualName, View>,
    /// Domains, range types and standalone composite types.
    #[serde(default)]
    pub types: BTreeMap<QualName, TypeDef>,
    /// Functions and procedures by signature (`app.touch(integer,text)`, as `regprocedure` prints it).
    pub functions: BTreeMap<String, Function>,
    /// The objects defined by the statements that make them (collations, text search dictionaries and
    /// configurations, ...: the kinds of `crate::kinds`), by key.
    #[serde(default)]
    pub defined: BTreeMap<ObjectKey, Defined>,
    /// Aggregates by signature (`app.sum_sq(integer)`, as `regprocedure` prints it), like functions.
    #[serde(default)]
    pub aggregates: BTreeMap<String, Aggregate>,
    /// Event triggers by name (database-wide: no schema).
    #[serde(default)]
    pub event_triggers: BTreeMap<String, EventTrigger>,
    /// Privileges on objects in scope and default privileges, by [`GrantOn::id`]: the ACL normalized (NULL
    /// read as `acldefault`, the owner's own entry and the grantor left out).
    #[serde(default)]
    pub privileges: BTreeMap<String, Acl>,
    /// The roles the server has (not part of any digest): a grant to a role the target lacks cannot run.
    #[serde(default)]
    pub roles: std::collections::BTreeSet<String>,
    /// What each object depends on (`pg_depend`, normal dependencies between modeled objects). Read on
    /// both sides, used to order a plan; not part of any digest.
    #[serde(default)]
    pub dependencies: BTreeMap<ObjectKey, std::collections::BTreeSet<ObjectKey>>,
    /// What each object depends on among objects of kinds accrete does not model, as `(kind, name)`
    /// (`("collation", "app.german")`). Not part of any digest.
    #[serde(default)]
    pub unmodeled_dependencies: BTreeMap<ObjectKey, std::collections::BTreeSet<(String, String)>>,
    /// The unmodeled objects present, as `(kind, name)`, so that a plan can tell whether one a step needs
    /// is there.
    #[serde(default)]
    pub unmodeled_objects: std::collections::BTreeSet<(String, String)>,
    /// Relations and types in scope that are not modeled as objects of their own yet (views, materialized
    /// views, foreign tables, composite types, domains, ...), by name, with their kind (`view`,
    /// `materialized view`, `foreign table`, `composite type`, `domain`, `range type`, ...). Used to tell a
    /// declared table whose name the database holds as something else ("kind differs") from a missing one.
    pub other_relations: BTreeMap<QualName, String>,
    /// Indexes attached to a partitioned index (a partition's share of it), by name: not objects of their
    /// own (inspect leaves them out of their tables), recorded so that a plan can tell which partitions an
    /// incomplete partitioned index still lacks and which index names are taken. Not part of any digest.
    #[serde(default)]
    pub partition_indexes: BTreeMap<QualName, AttachedIndex>,
    /// Objects of kinds accrete does not model, counted by kind (`view`, `function`, `trigger`, ...).
    pub unmodeled: BTreeMap<String, u64>,
}

impl Catalog {
    /// The triggers of a table or a view.
    pub fn triggers_mut(&mut self, relation: &QualName) -> Option<&mut BTreeMap<String, Trigger>> {
        match self.tables.get_mut(relation) {
            Some(t) => Some(&mut t.triggers),
            None => self.views.get_mut(relation).map(|v| &mut v.triggers),
        }
    }

    /// The rules of a table or a view.
    pub fn rules_mut(&mut self, relation: &QualName) -> Option<&mut BTreeMap<String, Rule>> {
        match self.tables.get_mut(relation) {
            Some(t) => Some(&mut t.rules),
            None => self.views.get_mut(relation).map(|v| &mut v.rules),
        }
    }

    /// Every trigger and rule with the relation it is on, tables' and views' alike.
    pub fn relation_parts(
        &self,
    ) -> impl Iterator<Item = (&QualName, &BTreeMap<String, Trigger>, &BTreeMap<String, Rule>)> {
        let tables = self.tables.values().map(|t| (&t.name, &t.triggers, &t.rules));
        tables.chain(self.views.values().map(|v| (&v.name, &v.triggers, &v.rules)))
    }

    /// Finds the table and index named `schema.name` (index names are unique per schema).
    pub fn index(&self, schema: &str, name: &str) -> Option<(&Table, &Index)> {
        self.tables
            .values()
            .filter(|t| t.name.schema == schema)
            .find_map(|t| t.indexes.get(name).map(|i| (t, i)))
    }
}
