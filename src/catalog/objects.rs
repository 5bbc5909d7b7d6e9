//! The model's objects other than tables and their parts: schemas, extensions, enums, sequences, types,
//! views, functions, the statement-defined objects, aggregates and event triggers.

use super::{ColumnRef, ObjectKey, ObjectKind, QualName, Rule, Trigger, quote_ident, quote_literal};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
