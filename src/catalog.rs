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

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Version of the canonical serialization that digests are computed over. A plan records it; `apply`
/// refuses a plan whose catalog format it does not know.
pub const CATALOG_FORMAT: u32 = 1;

/// The planner's estimates of a table's size (`pg_class.reltuples`; the `relpages` of the table, its TOAST
/// table and its indexes, times the block size), read from the target for reviewers and for hazards graded
/// by size. Never part of a digest: it changes with every write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSize {
    /// Estimated rows (0 when the table was never analyzed).
    pub rows: u64,
    pub bytes: u64,
}

impl TableSize {
    /// `≈1.2M rows, 350 MB`
    pub fn describe(self) -> String {
        format!("≈{} rows, {}", approximate(self.rows), bytes(self.bytes))
    }
}

/// `1.2M`, `35k`, `812`.
pub fn approximate(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{}k", n / 1000),
        1_000_000..=999_999_999 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{:.1}G", n as f64 / 1e9),
    }
}

/// `350 MB`, `8 kB` (PostgreSQL's units, as `pg_size_pretty` names them, powers of 1024).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value >= 10.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A schema-qualified name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualName {
    pub schema: String,
    pub name: String,
}

impl QualName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualName { schema: schema.into(), name: name.into() }
    }

    /// The name as SQL: both parts quoted where needed.
    pub fn sql(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }
}

impl fmt::Display for QualName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    pub schema: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: QualName,
    /// Labels in sort order (`enumsortorder`).
    pub labels: Vec<String>,
    pub comment: Option<String>,
}

/// Options shared by sequences, identity columns and serial columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl SequenceOptions {
    /// Whether `to`'s range leaves out values this range allows: a position there cannot stay under `to`
    /// (PostgreSQL refuses the change unless the sequence restarts).
    pub fn narrowed_by(&self, to: &SequenceOptions) -> bool {
        to.min_value > self.min_value || to.max_value < self.max_value
    }
}

/// A free-standing sequence (identity and serial sequences are attributes of their column instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: QualName,
    pub options: SequenceOptions,
    /// `OWNED BY table.column`, when set and the sequence is not the column's serial sequence.
    pub owned_by: Option<ColumnRef>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnRef {
    pub table: QualName,
    pub column: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: QualName,
    /// `PARTITION BY ...` (pg_get_partkeydef) for a partitioned table.
    pub partition_by: Option<String>,
    /// For a partition: its parent and bound (`FOR VALUES ...`, `DEFAULT`).
    pub partition_of: Option<PartitionOf>,
    /// Parents through `INHERITS`, in `inhseqno` order (partitions excluded).
    pub inherits: Vec<QualName>,
    pub unlogged: bool,
    /// Local columns in position order.
    pub columns: Vec<Column>,
    /// Local constraints by name (NOT NULL is a column attribute).
    pub constraints: BTreeMap<String, Constraint>,
    /// Stand-alone indexes by name (not those owned by a constraint, not partition children).
    pub indexes: BTreeMap<String, Index>,
    /// Triggers by name (not internal, not cloned onto partitions).
    #[serde(default)]
    pub triggers: BTreeMap<String, Trigger>,
    /// Rules by name.
    #[serde(default)]
    pub rules: BTreeMap<String, Rule>,
    /// Row-level security policies by name.
    #[serde(default)]
    pub policies: BTreeMap<String, Policy>,
    /// `ENABLE ROW LEVEL SECURITY`.
    #[serde(default)]
    pub rls_enabled: bool,
    /// `FORCE ROW LEVEL SECURITY`.
    #[serde(default)]
    pub rls_forced: bool,
    /// Storage parameters (`reloptions`, e.g. `fillfactor=70`, `autovacuum_enabled=false`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// `REPLICA IDENTITY` when not the default (the primary key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_identity: Option<ReplicaIdentity>,
    pub comment: Option<String>,
}

impl Table {
    /// ` WITH (fillfactor=70)` for a table with storage parameters, or nothing.
    pub fn with_clause(&self) -> String {
        if self.options.is_empty() { String::new() } else { format!(" WITH ({})", self.options.join(", ")) }
    }
}

/// A table's `REPLICA IDENTITY` other than `DEFAULT`: what logical decoding records of an old row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaIdentity {
    /// Every column.
    Full,
    /// Nothing.
    Nothing,
    /// The columns of this unique index (of the table's schema).
    Index(String),
}

impl ReplicaIdentity {
    /// `REPLICA IDENTITY FULL`, or `DEFAULT` for `None`.
    pub fn clause(identity: Option<&ReplicaIdentity>) -> String {
        match identity {
            None => "REPLICA IDENTITY DEFAULT".into(),
            Some(ReplicaIdentity::Full) => "REPLICA IDENTITY FULL".into(),
            Some(ReplicaIdentity::Nothing) => "REPLICA IDENTITY NOTHING".into(),
            Some(ReplicaIdentity::Index(i)) => format!("REPLICA IDENTITY USING INDEX {}", quote_ident(i)),
        }
    }

    /// `relreplident` and, for an index, the index's name: how the catalog holds it.
    pub fn code(identity: Option<&ReplicaIdentity>) -> (&'static str, Option<&str>) {
        match identity {
            None => ("d", None),
            Some(ReplicaIdentity::Full) => ("f", None),
            Some(ReplicaIdentity::Nothing) => ("n", None),
            Some(ReplicaIdentity::Index(i)) => ("i", Some(i)),
        }
    }

    /// For messages: `full`, `nothing`, `index t_key`, `default`.
    pub fn describe(identity: Option<&ReplicaIdentity>) -> String {
        match identity {
            None => "default".into(),
            Some(ReplicaIdentity::Full) => "full".into(),
            Some(ReplicaIdentity::Nothing) => "nothing".into(),
            Some(ReplicaIdentity::Index(i)) => format!("index {i}"),
        }
    }
}

/// Appended to the expression in [`Column::generated`] for a virtual generated column (PostgreSQL 18's
/// `GENERATED ALWAYS AS (expr) VIRTUAL`); a stored one has the bare expression. The catalog model has no
/// field for the kind yet; [`split_generated`] takes the text apart.
pub const VIRTUAL_SUFFIX: &str = " VIRTUAL";

/// A column's `generated` text as (expression, virtual).
pub fn split_generated(generated: &str) -> (&str, bool) {
    match generated.strip_suffix(VIRTUAL_SUFFIX) {
        Some(expr) => (expr, true),
        None => (generated, false),
    }
}

/// A domain, range type or standalone composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDef {
    pub name: QualName,
    /// `domain`, `range` or `composite`.
    pub kind: String,
    /// The `CREATE DOMAIN` / `CREATE TYPE` statement that makes it, built from the catalog.
    pub definition: String,
    pub comment: Option<String>,
    /// A domain's parts, which `ALTER DOMAIN` changes one by one (the definition is built from them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
    /// A composite type's attributes, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
}

/// What makes a domain: the parts of its `CREATE DOMAIN` statement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// `format_type` of the base type.
    pub base_type: String,
    /// A collation other than the base type's, as `regcollation` prints it (`pg_catalog."C"`).
    pub collation: Option<String>,
    /// `pg_get_expr(typdefaultbin)`.
    pub default: Option<String>,
    pub not_null: bool,
    /// CHECK constraints by name.
    pub checks: BTreeMap<String, DomainCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainCheck {
    /// `pg_get_constraintdef` without a trailing ` NOT VALID`: `CHECK ((VALUE > 0))`.
    pub definition: String,
    pub validated: bool,
}

/// An attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    /// `format_type(atttypid, atttypmod)`.
    pub data_type: String,
    /// A collation other than its type's, as `regcollation` prints it.
    pub collation: Option<String>,
}

impl Attribute {
    /// The attribute as `CREATE TYPE` and `ADD ATTRIBUTE` write it.
    pub fn sql(&self) -> String {
        let collate = self.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
        format!("{} {}{collate}", quote_ident(&self.name), self.data_type)
    }
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualName,
    pub materialized: bool,
    /// `pg_get_viewdef`, as PostgreSQL prints it (ending in `;`).
    pub definition: String,
    /// `reloptions`: `security_barrier=true`, `check_option=local`, `security_invoker=true`, sorted.
    pub options: Vec<String>,
    pub comment: Option<String>,
    /// `INSTEAD OF` (and statement-level) triggers on a view, by name; a materialized view has none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    /// Rules on a view other than its `_RETURN` rule, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Rule>,
}

impl View {
    pub fn kind_word(&self) -> &'static str {
        if self.materialized { "materialized view" } else { "view" }
    }

    /// The view alone, as `CREATE VIEW` makes it: no comment, triggers or rules (each its own step).
    pub fn bare(&self) -> View {
        View { comment: None, triggers: BTreeMap::new(), rules: BTreeMap::new(), ..self.clone() }
    }
}

/// A function or procedure (aggregates are [`Aggregate`]s; window functions are not modeled yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: QualName,
    /// The signature as `regprocedure` prints it: `app.touch(integer,text)`; the identity.
    pub signature: String,
    /// `function` or `procedure`.
    pub kind: String,
    /// `pg_get_functiondef`: the whole `CREATE OR REPLACE FUNCTION ...` statement.
    pub definition: String,
    pub comment: Option<String>,
}

/// An object in a schema that is wholly described by the statement(s) that make it, built from the catalog
/// by its inspect query: a collation (`CREATE COLLATION ... (provider = icu, locale = ..., deterministic =
/// false)`), a text search dictionary (`CREATE TEXT SEARCH DICTIONARY ... (TEMPLATE = ..., options)`) or a
/// text search configuration (`CREATE TEXT SEARCH CONFIGURATION ... (PARSER = ...);` and one `ALTER TEXT
/// SEARCH CONFIGURATION ... ADD MAPPING FOR token WITH dictionaries;` line per token type, in token order).
///
/// Its `kind` is one of the kinds `crate::kinds` describes; it is not part of the digest (the key holds it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defined {
    pub kind: ObjectKind,
    pub name: QualName,
    pub definition: String,
    pub comment: Option<String>,
}

/// A [`Defined`] as digested and as a snapshot stores it: without its kind, which the key (or the
/// snapshot's part) holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefinedBody {
    pub name: QualName,
    pub definition: String,
    pub comment: Option<String>,
}

impl DefinedBody {
    /// The object of `kind` this body describes.
    pub fn of(self, kind: ObjectKind) -> Defined {
        Defined { kind, name: self.name, definition: self.definition, comment: self.comment }
    }
}

impl Defined {
    /// Its identity: the kind and the schema-qualified name (the name alone for a database-wide kind, whose
    /// `name.schema` is empty).
    pub fn key(&self) -> ObjectKey {
        Self::key_of(self.kind, &self.name)
    }

    /// The key of the object of `kind` named `name`.
    pub fn key_of(kind: ObjectKind, name: &QualName) -> ObjectKey {
        match name.schema.is_empty() {
            true => ObjectKey::new(kind, name.name.clone()),
            false => ObjectKey::new(kind, name.to_string()),
        }
    }

    /// Without its kind (see [`DefinedBody`]).
    pub fn body(&self) -> DefinedBody {
        DefinedBody {
            name: self.name.clone(),
            definition: self.definition.clone(),
            comment: self.comment.clone(),
        }
    }

    /// The statements of the definition: one per line ending in `;` (a configuration's mappings), or the
    /// whole text.
    pub fn statements(&self) -> Vec<String> {
        self.definition
            .split(";\n")
            .map(|s| s.trim_end().trim_end_matches(';').to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// An aggregate (ordinary, ordered-set or hypothetical-set): identified by its signature like a function;
/// `pg_get_functiondef` does not print aggregates, so the definition is built from `pg_aggregate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    pub name: QualName,
    /// The signature as `regprocedure` prints it: `app.sum_sq(integer)`; the identity.
    pub signature: String,
    /// `pg_get_function_identity_arguments` (`*` for none): what `COMMENT ON AGGREGATE` names it by,
    /// `double precision ORDER BY double precision` for an ordered-set aggregate.
    pub arguments: String,
    /// `CREATE AGGREGATE app.sum_sq(integer) (SFUNC = ..., STYPE = ..., FINALFUNC = ..., INITCOND = ...)`.
    pub definition: String,
    pub comment: Option<String>,
}

/// An event trigger: a database-wide object (no schema) that only a superuser can create or alter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTrigger {
    pub name: String,
    /// `ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite` (`login` on 17 and later).
    pub event: String,
    /// The `WHEN TAG IN (...)` filter, sorted (bytewise); empty without one.
    pub tags: Vec<String>,
    /// The function it executes, as `regprocedure` prints it (`app.log_ddl()`): a function's key.
    pub function: String,
    pub enabled: FiringState,
    pub comment: Option<String>,
}

/// When an event trigger, a trigger or a rule fires (`evtenabled`, `tgenabled`, `ev_enabled`: the same
/// codes), as `ALTER EVENT TRIGGER` and `ALTER TABLE ... ENABLE|DISABLE TRIGGER|RULE` set it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiringState {
    /// `ENABLE` (`O`): in origin and local sessions, the default.
    #[default]
    Enabled,
    /// `DISABLE` (`D`).
    Disabled,
    /// `ENABLE REPLICA` (`R`): only when `session_replication_role` is `replica`.
    Replica,
    /// `ENABLE ALWAYS` (`A`).
    Always,
}

impl FiringState {
    /// `ALTER TABLE t DISABLE TRIGGER x`, `ALTER TABLE t ENABLE REPLICA RULE r` (`what`: `TRIGGER` or
    /// `RULE`).
    pub fn alter_table_sql(self, what: &str, table: &QualName, name: &str) -> String {
        format!("ALTER TABLE {} {} {what} {}", table.sql(), self.sql(), quote_ident(name))
    }

    /// The default state (for `skip_serializing_if`: a trigger or rule that fires normally digests as before).
    pub fn is_enabled(&self) -> bool {
        *self == FiringState::Enabled
    }

    /// The `ALTER EVENT TRIGGER name ...` clause that sets it.
    pub fn sql(self) -> &'static str {
        match self {
            FiringState::Enabled => "ENABLE",
            FiringState::Disabled => "DISABLE",
            FiringState::Replica => "ENABLE REPLICA",
            FiringState::Always => "ENABLE ALWAYS",
        }
    }

    /// `pg_event_trigger.evtenabled`.
    pub fn code(self) -> char {
        match self {
            FiringState::Enabled => 'O',
            FiringState::Disabled => 'D',
            FiringState::Replica => 'R',
            FiringState::Always => 'A',
        }
    }

    /// The word a report uses (`enabled`, `disabled`, `replica`, `always`).
    pub fn word(self) -> &'static str {
        match self {
            FiringState::Enabled => "enabled",
            FiringState::Disabled => "disabled",
            FiringState::Replica => "replica",
            FiringState::Always => "always",
        }
    }
}

impl EventTrigger {
    /// `CREATE EVENT TRIGGER name ON event [WHEN TAG IN (...)] EXECUTE FUNCTION f()` (enabled, as created).
    pub fn create_sql(&self) -> String {
        let when = if self.tags.is_empty() {
            String::new()
        } else {
            let tags: Vec<String> = self.tags.iter().map(|t| quote_literal(t)).collect();
            format!(" WHEN TAG IN ({})", tags.join(", "))
        };
        format!(
            "CREATE EVENT TRIGGER {} ON {}{when} EXECUTE FUNCTION {}",
            quote_ident(&self.name),
            quote_ident(&self.event),
            self.function
        )
    }

    /// `ALTER EVENT TRIGGER name ENABLE ALWAYS` and the like.
    pub fn enabled_sql(name: &str, enabled: FiringState) -> String {
        format!("ALTER EVENT TRIGGER {} {}", quote_ident(name), enabled.sql())
    }

    /// The statements that make it as it is: the `CREATE`, and the `ALTER` of its firing unless it is
    /// the default.
    pub fn statements(&self) -> Vec<String> {
        let mut out = vec![self.create_sql()];
        if self.enabled != FiringState::Enabled {
            out.push(EventTrigger::enabled_sql(&self.name, self.enabled));
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    /// `pg_get_triggerdef`: `CREATE TRIGGER ... EXECUTE FUNCTION app.f()`.
    pub definition: String,
    pub comment: Option<String>,
    /// `ALTER TABLE ... DISABLE TRIGGER` and the like (`tgenabled`).
    #[serde(default, skip_serializing_if = "FiringState::is_enabled")]
    pub enabled: FiringState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    /// `pg_get_ruledef`: `CREATE RULE ... DO INSTEAD NOTHING;`.
    pub definition: String,
    pub comment: Option<String>,
    /// `ALTER TABLE ... DISABLE RULE` and the like (`ev_enabled`).
    #[serde(default, skip_serializing_if = "FiringState::is_enabled")]
    pub enabled: FiringState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    pub permissive: bool,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// Role names, sorted; `public` for PUBLIC.
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: QualName,
    pub bound: String,
}

/// A partition's index attached to the index of its partitioned table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedIndex {
    /// The partition the index is on.
    pub table: QualName,
    /// The partitioned index it is attached to.
    pub parent: QualName,
    /// `indisvalid` (a sub-partitioned partition's index is valid once all of its own partitions are attached).
    pub valid: bool,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// What the database calls this relation, for messages ("table", "partitioned table", "partition").
    pub fn kind_word(&self) -> &'static str {
        if self.partition_of.is_some() {
            "partition"
        } else if self.partition_by.is_some() {
            "partitioned table"
        } else {
            "table"
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// `format_type(atttypid, atttypmod)`, e.g. `character varying(255)`, `app.status`.
    pub data_type: String,
    /// Whether the column has a NOT NULL constraint (`attnotnull`; on PostgreSQL 18 a `NOT VALID` one too,
    /// see [`Column::not_null_not_valid`]).
    pub not_null: bool,
    /// PostgreSQL 18 and later, where NOT NULL is a constraint with a name: that name when it is not the one
    /// PostgreSQL gives an unnamed one ([`default_not_null_name`]), whether a user chose it
    /// (`CONSTRAINT nn NOT NULL`) or PostgreSQL appended a number because a constraint of the table held the
    /// default name. `None` before 18, for an inherited NOT NULL, and for the default name, so that the
    /// canonical serialization and digests of every other column stay as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_name: Option<String>,
    /// PostgreSQL 18: the NOT NULL constraint is `NOT VALID` (existing rows may hold NULLs).
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null_not_valid: bool,
    /// PostgreSQL 18: the NOT NULL constraint is `NO INHERIT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null_no_inherit: bool,
    /// `pg_get_expr(adbin)`; `None` for identity, serial and generated columns.
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// A serial column (integer type, default `nextval` of a sequence owned by the column): the sequence's
    /// options. Its name is not compared.
    pub serial: Option<Serial>,
    /// `GENERATED ALWAYS AS (expr) STORED`: the expression.
    pub generated: Option<String>,
    /// A collation other than the type's default.
    pub collation: Option<QualName>,
    pub comment: Option<String>,
    /// 1-based position among the table's columns (`attnum`). Not compared and not part of any digest:
    /// `ADD COLUMN` can only append.
    #[serde(default)]
    pub position: i32,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Column {
    /// The name of the column's NOT NULL constraint on PostgreSQL 18 and later: [`Column::not_null_name`],
    /// else the default one.
    pub fn not_null_constraint(&self, table: &str) -> String {
        self.not_null_name.clone().unwrap_or_else(|| default_not_null_name(table, &self.name))
    }
}

/// The name PostgreSQL (18 and later) gives a column's NOT NULL constraint when none is given:
/// `<table>_<column>_not_null`, the two names shortened the way `makeObjectName` does to fit 63 bytes
/// (PostgreSQL appends a number when a constraint of the table already has that name).
pub fn default_not_null_name(table: &str, column: &str) -> String {
    const LABEL: &str = "not_null";
    let available = 63 - LABEL.len() - 2;
    let (mut a, mut b) = (table.len(), column.len());
    while a + b > available {
        if a > b { a -= 1 } else { b -= 1 }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        n
    };
    format!("{}_{}_{LABEL}", &table[..clip(table, a)], &column[..clip(column, b)])
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `ALWAYS` or `BY DEFAULT`.
    pub always: bool,
    pub options: SequenceOptions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Serial {
    /// The sequence's name (not compared; recorded so renders can name it).
    pub sequence: QualName,
    pub options: SequenceOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclusion,
}

impl ConstraintKind {
    pub fn word(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::Check => "check",
            ConstraintKind::Exclusion => "exclusion",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
    /// `pg_get_constraintdef` without a trailing ` NOT VALID` (that is [`Constraint::validated`]),
    /// e.g. `FOREIGN KEY (org_id) REFERENCES app.orgs(id) ON DELETE CASCADE DEFERRABLE`.
    pub definition: String,
    /// Constrained columns, in key order.
    pub columns: Vec<String>,
    /// For a foreign key: the referenced table.
    pub references: Option<QualName>,
    pub validated: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub comment: Option<String>,
}

impl Constraint {
    /// Whether PostgreSQL enforces it: a `NOT ENFORCED` one (PostgreSQL 18) has nothing to validate and
    /// cannot be validated.
    pub fn enforced(&self) -> bool {
        !self.definition.ends_with(" NOT ENFORCED")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub table: QualName,
    pub unique: bool,
    /// Access method (`btree`, `gin`, ...).
    pub method: String,
    /// `pg_get_indexdef` from ` USING` on: `USING btree (lower(email)) INCLUDE (id) WHERE (active)`.
    /// Together with `unique` this is the name-independent definition used for equivalence.
    pub definition: String,
    /// Columns the index uses (key and INCLUDE columns; empty for pure expressions).
    pub columns: Vec<String>,
    /// `indisvalid`: an invalid index (a failed concurrent build) counts as missing.
    pub valid: bool,
    pub comment: Option<String>,
}

impl Index {
    /// The `CREATE INDEX` statement body after the table name, e.g. `USING btree (a)`.
    pub fn create_sql(&self, concurrently: bool, only: bool) -> String {
        format!(
            "CREATE {}INDEX {}{} ON {}{} {}",
            if self.unique { "UNIQUE " } else { "" },
            if concurrently { "CONCURRENTLY " } else { "" },
            quote_ident(&self.name),
            if only { "ONLY " } else { "" },
            self.table.sql(),
            self.definition
        )
    }
}

/// One privilege a grantee holds: `SELECT`, `USAGE`, `EXECUTE` ... (as `aclexplode` names it), and whether
/// it holds it `WITH GRANT OPTION`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Privilege {
    pub name: String,
    pub grantable: bool,
}

/// What privileges are on: an object, a column, or the default privileges of a role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantOn {
    Schema(String),
    /// A table, view or materialized view (`GRANT ... ON TABLE` serves all three).
    Table(QualName),
    Sequence(QualName),
    Column(QualName, String),
    /// A function, procedure or aggregate by signature (`GRANT ... ON ROUTINE` serves all three).
    Function(String),
    /// A type, domain or enum.
    Type(QualName),
    /// `ALTER DEFAULT PRIVILEGES FOR ROLE role [IN SCHEMA schema] ... ON objects`: `objects` is `tables`,
    /// `sequences`, `functions`, `types` or `schemas`.
    Default {
        role: String,
        schema: Option<String>,
        objects: String,
    },
}

impl GrantOn {
    /// The identity: `table:app.t`, `column:app.t.c`, `function:app.f(integer)`, `default:owner:app:tables`
    /// (`default:owner::functions` without a schema). A grant's key name adds `:grantee`.
    pub fn id(&self) -> String {
        match self {
            GrantOn::Schema(s) => format!("schema:{s}"),
            GrantOn::Table(t) => format!("table:{t}"),
            GrantOn::Sequence(s) => format!("sequence:{s}"),
            GrantOn::Column(t, c) => format!("column:{t}.{c}"),
            GrantOn::Function(signature) => format!("function:{signature}"),
            GrantOn::Type(t) => format!("type:{t}"),
            GrantOn::Default { role, schema, objects } => {
                format!("default:{role}:{}:{objects}", schema.as_deref().unwrap_or(""))
            }
        }
    }

    /// The schema the object lives in (`None` for default privileges without one).
    pub fn schema(&self) -> Option<&str> {
        match self {
            GrantOn::Schema(s) => Some(s),
            GrantOn::Table(t) | GrantOn::Sequence(t) | GrantOn::Column(t, _) | GrantOn::Type(t) => {
                Some(&t.schema)
            }
            GrantOn::Function(signature) => signature.split('.').next(),
            GrantOn::Default { schema, .. } => schema.as_deref(),
        }
    }

    /// The keys the object may have (a relation is a table or a view, a routine a function or an
    /// aggregate ...); for a column its own and its table's; for default privileges in a schema, the schema.
    pub fn object_keys(&self) -> Vec<ObjectKey> {
        match self {
            GrantOn::Schema(s) => vec![ObjectKey::schema(s)],
            GrantOn::Table(t) => {
                vec![
                    ObjectKey::table(t),
                    ObjectKey::view(t),
                    ObjectKey::new(ObjectKind::ForeignTable, t.to_string()),
                ]
            }
            GrantOn::Sequence(s) => vec![ObjectKey::sequence(s)],
            GrantOn::Column(t, c) => vec![
                ObjectKey::column(t, c),
                ObjectKey::table(t),
                ObjectKey::view(t),
                ObjectKey::new(ObjectKind::ForeignTable, t.to_string()),
            ],
            GrantOn::Function(signature) => {
                vec![ObjectKey::function(signature), ObjectKey::aggregate(signature)]
            }
            GrantOn::Type(t) => vec![ObjectKey::type_def(t), ObjectKey::enum_type(t)],
            GrantOn::Default { schema, .. } => schema.iter().map(|s| ObjectKey::schema(s)).collect(),
        }
    }

    /// What PostgreSQL grants PUBLIC on such an object when its ACL is NULL (`acldefault`): `EXECUTE` on
    /// routines, `USAGE` on types, nothing on the others. The owner's own default entry is never modeled.
    pub fn public_default(&self) -> Vec<Privilege> {
        let name = match self {
            GrantOn::Function(_) => "EXECUTE",
            GrantOn::Type(_) => "USAGE",
            GrantOn::Default { schema: None, objects, .. } if objects == "functions" => "EXECUTE",
            GrantOn::Default { schema: None, objects, .. } if objects == "types" => "USAGE",
            _ => return vec![],
        };
        vec![Privilege { name: name.into(), grantable: false }]
    }

    /// The privileges `grantee` holds where nothing was granted or revoked (a NULL ACL, or no
    /// `pg_default_acl` row).
    pub fn default_for(&self, grantee: &str) -> Vec<Privilege> {
        if grantee == "public" { self.public_default() } else { vec![] }
    }
}

impl fmt::Display for GrantOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

/// The normalized ACL of one object (or one role's default privileges).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acl {
    pub on: GrantOn,
    /// The owner (the role of default privileges); its own entry is not in `grants`. Not part of any digest.
    pub owner: String,
    /// Privileges by grantee (`public` for PUBLIC), each list sorted; no empty list, except PUBLIC's in a
    /// `pg_default_acl` row that revoked its default (so that "revoked" differs from "no row").
    pub grants: BTreeMap<String, Vec<Privilege>>,
}

/// The kinds of objects a plan touches and a drift report names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Extension,
    Enum,
    Sequence,
    Table,
    Column,
    Constraint,
    Index,
    View,
    Function,
    Trigger,
    Rule,
    Policy,
    Type,
    Collation,
    Aggregate,
    TextSearchDictionary,
    TextSearchConfiguration,
    /// Extended statistics objects (`CREATE STATISTICS`).
    Statistics,
    /// Publications (database-wide).
    Publication,
    /// Foreign data wrappers and foreign servers (database-wide).
    ForeignDataWrapper,
    ForeignServer,
    /// Foreign tables (`CREATE FOREIGN TABLE`).
    ForeignTable,
    /// User mappings (database-wide; option names only, never their values).
    UserMapping,
    EventTrigger,
    /// What one grantee holds on one object: named `ON:GRANTEE` ([`GrantOn::id`]), `table:app.t:reader`.
    Grant,
}

impl ObjectKind {
    /// Every kind, in declaration order.
    pub const ALL: [ObjectKind; 26] = [
        ObjectKind::Schema,
        ObjectKind::Extension,
        ObjectKind::Enum,
        ObjectKind::Sequence,
        ObjectKind::Table,
        ObjectKind::Column,
        ObjectKind::Constraint,
        ObjectKind::Index,
        ObjectKind::View,
        ObjectKind::Function,
        ObjectKind::Trigger,
        ObjectKind::Rule,
        ObjectKind::Policy,
        ObjectKind::Type,
        ObjectKind::Collation,
        ObjectKind::Aggregate,
        ObjectKind::TextSearchDictionary,
        ObjectKind::TextSearchConfiguration,
        ObjectKind::Statistics,
        ObjectKind::Publication,
        ObjectKind::ForeignDataWrapper,
        ObjectKind::ForeignServer,
        ObjectKind::ForeignTable,
        ObjectKind::UserMapping,
        ObjectKind::EventTrigger,
        ObjectKind::Grant,
    ];

    pub fn word(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Extension => "extension",
            ObjectKind::Enum => "enum",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Constraint => "constraint",
            ObjectKind::Index => "index",
            ObjectKind::View => "view",
            ObjectKind::Function => "function",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Rule => "rule",
            ObjectKind::Policy => "policy",
            ObjectKind::Type => "type",
            ObjectKind::Collation => "collation",
            ObjectKind::Aggregate => "aggregate",
            ObjectKind::TextSearchDictionary => "text_search_dictionary",
            ObjectKind::TextSearchConfiguration => "text_search_configuration",
            ObjectKind::Statistics => "statistics",
            ObjectKind::Publication => "publication",
            ObjectKind::ForeignDataWrapper => "foreign_data_wrapper",
            ObjectKind::ForeignServer => "foreign_server",
            ObjectKind::ForeignTable => "foreign_table",
            ObjectKind::UserMapping => "user_mapping",
            ObjectKind::EventTrigger => "event_trigger",
            ObjectKind::Grant => "grant",
        }
    }

    pub fn from_word(word: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.word() == word)
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// The identity of one object: its kind and its qualified name. Names are `schema`, `extension`, the
/// event trigger's own name (database-wide, like an extension's), `schema.name` (enum, sequence, table, index, type, view, collation, text search dictionary and
/// configuration), `schema.table.column`, `schema.table.constraint` (also trigger, rule, policy), and a
/// signature for functions and aggregates (`app.f(integer)`), and `ON:GRANTEE` for a grant
/// (`table:app.t:reader`, see [`GrantOn::id`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectKey {
    pub kind: ObjectKind,
    pub name: String,
}

impl ObjectKey {
    pub fn new(kind: ObjectKind, name: impl Into<String>) -> Self {
        ObjectKey { kind, name: name.into() }
    }
    pub fn schema(name: &str) -> Self {
        Self::new(ObjectKind::Schema, name)
    }
    pub fn extension(name: &str) -> Self {
        Self::new(ObjectKind::Extension, name)
    }
    pub fn enum_type(name: &QualName) -> Self {
        Self::new(ObjectKind::Enum, name.to_string())
    }
    pub fn sequence(name: &QualName) -> Self {
        Self::new(ObjectKind::Sequence, name.to_string())
    }
    pub fn table(name: &QualName) -> Self {
        Self::new(ObjectKind::Table, name.to_string())
    }
    pub fn column(table: &QualName, column: &str) -> Self {
        Self::new(ObjectKind::Column, format!("{table}.{column}"))
    }
    pub fn constraint(table: &QualName, constraint: &str) -> Self {
        Self::new(ObjectKind::Constraint, format!("{table}.{constraint}"))
    }
    pub fn index(schema: &str, name: &str) -> Self {
        Self::new(ObjectKind::Index, format!("{schema}.{name}"))
    }
    pub fn type_def(name: &QualName) -> Self {
        Self::new(ObjectKind::Type, name.to_string())
    }
    pub fn view(name: &QualName) -> Self {
        Self::new(ObjectKind::View, name.to_string())
    }
    pub fn function(signature: &str) -> Self {
        Self::new(ObjectKind::Function, signature)
    }
    pub fn trigger(table: &QualName, name: &str) -> Self {
        Self::new(ObjectKind::Trigger, format!("{table}.{name}"))
    }
    pub fn rule(table: &QualName, name: &str) -> Self {
        Self::new(ObjectKind::Rule, format!("{table}.{name}"))
    }
    pub fn policy(table: &QualName, name: &str) -> Self {
        Self::new(ObjectKind::Policy, format!("{table}.{name}"))
    }
    pub fn collation(name: &QualName) -> Self {
        Self::new(ObjectKind::Collation, name.to_string())
    }
    pub fn aggregate(signature: &str) -> Self {
        Self::new(ObjectKind::Aggregate, signature)
    }
    pub fn event_trigger(name: &str) -> Self {
        Self::new(ObjectKind::EventTrigger, name)
    }
    pub fn grant(on: &GrantOn, grantee: &str) -> Self {
        Self::new(ObjectKind::Grant, format!("{}:{grantee}", on.id()))
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.name)
    }
}

/// The canonical form of one object, as digested: the object's own attributes, without the objects that
/// have keys of their own (a table's columns, constraints and indexes) and without column positions.
#[derive(Serialize)]
#[serde(untagged)]
enum Canonical<'a> {
    Schema(&'a Schema),
    Extension(&'a Extension),
    Enum(&'a EnumType),
    Sequence(&'a Sequence),
    Table(TableHead<'a>),
    Column(Box<Column>),
    Constraint(&'a Constraint),
    Index(&'a Index),
    View(Box<View>),
    Function(&'a Function),
    Trigger(&'a Trigger),
    Rule(&'a Rule),
    Policy(&'a Policy),
    Type(TypeHead<'a>),
    Defined(DefinedBody),
    Aggregate(&'a Aggregate),
    EventTrigger(&'a EventTrigger),
    Grant(&'a Vec<Privilege>),
}

/// A type as digested: a domain by its parts and a composite type by its attributes (what a plan's alteration
/// steps change, so the digest of the state a plan leaves can be computed from them), a range type by its
/// definition.
#[derive(Serialize)]
struct TypeHead<'a> {
    name: &'a QualName,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<&'a Domain>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attributes: Option<&'a Vec<Attribute>>,
    comment: &'a Option<String>,
}

impl<'a> TypeHead<'a> {
    fn of(t: &'a TypeDef) -> Self {
        let composite = t.kind == "composite";
        TypeHead {
            name: &t.name,
            kind: &t.kind,
            definition: (t.domain.is_none() && !composite).then_some(&t.definition),
            domain: t.domain.as_ref(),
            attributes: composite.then_some(&t.attributes),
            comment: &t.comment,
        }
    }
}

/// The digest a type has in a catalog (as [`Catalog::digests`] computes it), without building one.
pub fn type_digest(t: &TypeDef) -> String {
    digest_of(ObjectKind::Type, &Canonical::Type(TypeHead::of(t)))
}

#[derive(Serialize)]
struct TableHead<'a> {
    name: &'a QualName,
    partition_by: &'a Option<String>,
    partition_of: &'a Option<PartitionOf>,
    inherits: &'a Vec<QualName>,
    unlogged: bool,
    rls_enabled: bool,
    rls_forced: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: &'a Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replica_identity: &'a Option<ReplicaIdentity>,
    comment: &'a Option<String>,
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

    /// The privileges PostgreSQL gives an object on `on` when `owner` creates it, by grantee (the owner's
    /// own left out): `owner`'s global default privileges for the kind (`ALTER DEFAULT PRIVILEGES` without
    /// `IN SCHEMA`), or PostgreSQL's built-in defaults where there is no such row, with those for the
    /// object's schema added. A column starts with none.
    pub fn initial_grants(&self, on: &GrantOn, owner: &str) -> BTreeMap<String, Vec<Privilege>> {
        let objects = match on {
            GrantOn::Schema(_) => "schemas",
            GrantOn::Table(_) => "tables",
            GrantOn::Sequence(_) => "sequences",
            GrantOn::Function(_) => "functions",
            GrantOn::Type(_) => "types",
            GrantOn::Column(..) | GrantOn::Default { .. } => return BTreeMap::new(),
        };
        let default = |schema: Option<&str>| GrantOn::Default {
            role: owner.to_string(),
            schema: schema.map(str::to_string),
            objects: objects.to_string(),
        };
        let mut out: BTreeMap<String, Vec<Privilege>> = match self.privileges.get(&default(None).id()) {
            Some(acl) => acl.grants.clone(),
            None => BTreeMap::from([("public".to_string(), on.public_default())]),
        };
        let schema = match on {
            GrantOn::Schema(_) => None,
            other => other.schema(),
        };
        if let Some(acl) = schema.and_then(|s| self.privileges.get(&default(Some(s)).id())) {
            for (grantee, privileges) in &acl.grants {
                let held = out.entry(grantee.clone()).or_default();
                for p in privileges {
                    match held.iter_mut().find(|h| h.name == p.name) {
                        Some(h) => h.grantable |= p.grantable,
                        None => held.push(p.clone()),
                    }
                }
                held.sort();
            }
        }
        out.remove(owner);
        out.retain(|_, privileges| !privileges.is_empty());
        out
    }
    /// Every object with its key, in key order.
    fn canonical(&self) -> BTreeMap<ObjectKey, Canonical<'_>> {
        let mut out = BTreeMap::new();
        for s in self.schemas.values() {
            out.insert(ObjectKey::schema(&s.name), Canonical::Schema(s));
        }
        for e in self.extensions.values() {
            out.insert(ObjectKey::extension(&e.name), Canonical::Extension(e));
        }
        for e in self.enums.values() {
            out.insert(ObjectKey::enum_type(&e.name), Canonical::Enum(e));
        }
        for s in self.sequences.values() {
            out.insert(ObjectKey::sequence(&s.name), Canonical::Sequence(s));
        }
        for t in self.tables.values() {
            out.insert(
                ObjectKey::table(&t.name),
                Canonical::Table(TableHead {
                    name: &t.name,
                    partition_by: &t.partition_by,
                    partition_of: &t.partition_of,
                    inherits: &t.inherits,
                    unlogged: t.unlogged,
                    rls_enabled: t.rls_enabled,
                    rls_forced: t.rls_forced,
                    options: &t.options,
                    replica_identity: &t.replica_identity,
                    comment: &t.comment,
                }),
            );
            for c in &t.columns {
                let mut c = c.clone();
                c.position = 0;
                if let Some(serial) = &mut c.serial {
                    serial.sequence = QualName::new("", "");
                }
                out.insert(ObjectKey::column(&t.name, &c.name), Canonical::Column(Box::new(c)));
            }
            for c in t.constraints.values() {
                out.insert(ObjectKey::constraint(&t.name, &c.name), Canonical::Constraint(c));
            }
            for i in t.indexes.values() {
                out.insert(ObjectKey::index(&t.name.schema, &i.name), Canonical::Index(i));
            }
            for tg in t.triggers.values() {
                out.insert(ObjectKey::trigger(&t.name, &tg.name), Canonical::Trigger(tg));
            }
            for r in t.rules.values() {
                out.insert(ObjectKey::rule(&t.name, &r.name), Canonical::Rule(r));
            }
            for p in t.policies.values() {
                out.insert(ObjectKey::policy(&t.name, &p.name), Canonical::Policy(p));
            }
        }
        for v in self.views.values() {
            for tg in v.triggers.values() {
                out.insert(ObjectKey::trigger(&v.name, &tg.name), Canonical::Trigger(tg));
            }
            for r in v.rules.values() {
                out.insert(ObjectKey::rule(&v.name, &r.name), Canonical::Rule(r));
            }
            let head = View { triggers: BTreeMap::new(), rules: BTreeMap::new(), ..v.clone() };
            out.insert(ObjectKey::view(&v.name), Canonical::View(Box::new(head)));
        }
        for t in self.types.values() {
            out.insert(ObjectKey::type_def(&t.name), Canonical::Type(TypeHead::of(t)));
        }
        for f in self.functions.values() {
            out.insert(ObjectKey::function(&f.signature), Canonical::Function(f));
        }
        for (key, d) in &self.defined {
            out.insert(key.clone(), Canonical::Defined(d.body()));
        }
        for a in self.aggregates.values() {
            out.insert(ObjectKey::aggregate(&a.signature), Canonical::Aggregate(a));
        }
        for e in self.event_triggers.values() {
            out.insert(ObjectKey::event_trigger(&e.name), Canonical::EventTrigger(e));
        }
        for acl in self.privileges.values() {
            for (grantee, privileges) in &acl.grants {
                out.insert(ObjectKey::grant(&acl.on, grantee), Canonical::Grant(privileges));
            }
        }
        out
    }

    /// SHA-256 digest of every object's canonical serialization, by key.
    pub fn digests(&self) -> BTreeMap<ObjectKey, String> {
        self.canonical().into_iter().map(|(key, value)| (key.clone(), digest_of(key.kind, &value))).collect()
    }

    /// The canonical serialization (JSON, one line) of each object whose key is in `keys`: the text
    /// [`Catalog::digests`] hashes. A stale plan's refusal compares it with the object as it is now.
    pub fn states(&self, keys: &BTreeSet<ObjectKey>) -> BTreeMap<ObjectKey, String> {
        if keys.is_empty() {
            return BTreeMap::new();
        }
        self.canonical()
            .into_iter()
            .filter(|(key, _)| keys.contains(key))
            .map(|(key, value)| (key, serde_json::to_string(&value).expect("catalog objects serialize")))
            .collect()
    }

    /// The digest of one object, `None` when the catalog does not hold it.
    pub fn digest(&self, key: &ObjectKey) -> Option<String> {
        self.digests().remove(key)
    }

    /// Finds the table and index named `schema.name` (index names are unique per schema).
    pub fn index(&self, schema: &str, name: &str) -> Option<(&Table, &Index)> {
        self.tables
            .values()
            .filter(|t| t.name.schema == schema)
            .find_map(|t| t.indexes.get(name).map(|i| (t, i)))
    }

    /// Number of objects of each kind, for reports and corpus counts.
    pub fn counts(&self) -> BTreeMap<ObjectKind, usize> {
        let mut out = BTreeMap::new();
        for key in self.canonical().keys() {
            *out.entry(key.kind).or_insert(0) += 1;
        }
        out
    }
}

fn digest_of(kind: ObjectKind, value: &Canonical<'_>) -> String {
    state_digest(kind, &serde_json::to_string(value).expect("catalog objects serialize"))
}

/// The digest of an object of `kind` whose canonical serialization is `json` (see [`Catalog::states`]).
pub fn state_digest(kind: ObjectKind, json: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("accrete-catalog/{CATALOG_FORMAT}\n{kind}\n").as_bytes());
    hasher.update(json.as_bytes());
    hex::encode(hasher.finalize())
}

/// The digest an index has in a catalog (as [`Catalog::digests`] computes it), without building one.
pub fn index_digest(index: &Index) -> String {
    digest_of(ObjectKind::Index, &Canonical::Index(index))
}

/// The digest a constraint has in a catalog (as [`Catalog::digests`] computes it), without building one.
pub fn constraint_digest(constraint: &Constraint) -> String {
    digest_of(ObjectKind::Constraint, &Canonical::Constraint(constraint))
}

/// The digest a grantee's privileges have in a catalog (as [`Catalog::digests`] computes it).
pub fn grant_digest(privileges: &Vec<Privilege>) -> String {
    digest_of(ObjectKind::Grant, &Canonical::Grant(privileges))
}

/// PostgreSQL's reserved key words (and the non-reserved ones that cannot be column or table names),
/// which must be quoted as identifiers. From the key words appendix, "reserved" and
/// "reserved (can be function or type)" for PostgreSQL 14 to 18.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    // Non-reserved words that cannot be used as a type or function name, quoted to be safe everywhere.
    "between",
    "bigint",
    "bit",
    "boolean",
    "char",
    "character",
    "coalesce",
    "dec",
    "decimal",
    "exists",
    "extract",
    "float",
    "greatest",
    "grouping",
    "inout",
    "int",
    "integer",
    "interval",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "least",
    "merge_action",
    "national",
    "nchar",
    "none",
    "normalize",
    "nullif",
    "numeric",
    "out",
    "overlay",
    "position",
    "precision",
    "real",
    "row",
    "setof",
    "smallint",
    "substring",
    "time",
    "timestamp",
    "treat",
    "trim",
    "values",
    "varchar",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// Quotes an identifier where PostgreSQL needs it (as `quote_ident` does).
pub fn quote_ident(name: &str) -> String {
    let simple = !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
        && !RESERVED.contains(&name);
    if simple { name.to_string() } else { format!("\"{}\"", name.replace('"', "\"\"")) }
}

/// A string literal (`standard_conforming_strings = on`, which every plan sets).
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_identifiers_like_postgres() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("1a"), "\"1a\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }

    #[test]
    fn digests_ignore_positions_and_serial_names() {
        let col = |position, seq: &str| Column {
            name: "id".into(),
            data_type: "integer".into(),
            not_null: true,
            not_null_name: None,
            not_null_not_valid: false,
            not_null_no_inherit: false,
            default: None,
            identity: None,
            serial: Some(Serial {
                sequence: QualName::new("app", seq),
                options: SequenceOptions {
                    data_type: "integer".into(),
                    start: 1,
                    increment: 1,
                    min_value: 1,
                    max_value: i32::MAX as i64,
                    cache: 1,
                    cycle: false,
                },
            }),
            generated: None,
            collation: None,
            comment: None,
            position,
        };
        let table = |c: Column| Table {
            name: QualName::new("app", "t"),
            partition_by: None,
            partition_of: None,
            inherits: vec![],
            unlogged: false,
            columns: vec![c],
            constraints: BTreeMap::new(),
            indexes: BTreeMap::new(),
            comment: None,
            ..Table::default()
        };
        let mut a = Catalog::default();
        a.tables.insert(QualName::new("app", "t"), table(col(1, "t_id_seq")));
        let mut b = Catalog::default();
        b.tables.insert(QualName::new("app", "t"), table(col(3, "t_id_seq1")));
        assert_eq!(a.digests(), b.digests());
        let key = ObjectKey::column(&QualName::new("app", "t"), "id");
        assert_eq!(key.to_string(), "column app.t.id");
        assert!(a.digest(&key).is_some());
    }

    #[test]
    fn a_column_without_a_named_not_null_serializes_as_before() {
        // Before PostgreSQL 18, and for a NOT NULL of the default name, the three fields are left out, so
        // digests recorded before they existed still hold.
        let c =
            Column { name: "a".into(), data_type: "integer".into(), not_null: true, ..Default::default() };
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("not_null_"), "{json}");
        let named = Column { not_null_name: Some("nn".into()), not_null_not_valid: true, ..c };
        let json = serde_json::to_string(&named).unwrap();
        assert!(json.contains(r#""not_null_name":"nn""#) && json.contains(r#""not_null_not_valid":true"#));
    }

    #[test]
    fn default_not_null_names_follow_postgres() {
        assert_eq!(
            default_not_null_name("mail_channel", "channel_type"),
            "mail_channel_channel_type_not_null"
        );
        let long = default_not_null_name(&"t".repeat(40), &"c".repeat(30));
        assert_eq!(long.len(), 63);
    }
}
