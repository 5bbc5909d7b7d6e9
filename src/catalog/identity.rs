//! The identity of objects: qualified names, the modeled kinds and their words, object keys.

use super::{GrantOn, quote_ident};
use serde::{Deserialize, Serialize};
use std::fmt;

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
