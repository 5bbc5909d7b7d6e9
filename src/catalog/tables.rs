//! Tables and their parts: columns, constraints, indexes, triggers, rules, policies, partitions.

use super::{FiringState, QualName, SequenceOptions, quote_ident};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Boxed, as is `serial`: most columns have neither, and a column is read tens of thousands of times
    /// over in a large schema.
    pub identity: Option<Box<Identity>>,
    /// A serial column (integer type, default `nextval` of a sequence owned by the column): the sequence's
    /// options. Its name is not compared.
    pub serial: Option<Box<Serial>>,
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

#[cfg(test)]
mod tests {
    use super::*;

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
