//! The identity of objects: qualified names, the modeled kinds and their words, object keys.
//!
//! What is a fact about a kind, whatever stage asks, is a method of [`ObjectKind`] here, so that no stage
//! matches on kinds for it: its word, where its objects are ([`ObjectKind::placement`], what the scope
//! and the snapshot's layout go by), the parts of its names, the kind whose definition holds it, the
//! object type its privileges are granted on, whether it can be external (and the query of its stub) and
//! whether its objects fire on the plan's own statements.

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

    /// Where its objects are, as their names say: what the scope checks a name against.
    pub fn placement(self) -> Placement {
        match self {
            ObjectKind::Schema => Placement::Schema,
            ObjectKind::Extension
            | ObjectKind::Publication
            | ObjectKind::ForeignDataWrapper
            | ObjectKind::ForeignServer
            | ObjectKind::UserMapping
            | ObjectKind::EventTrigger => Placement::Database,
            ObjectKind::Grant => Placement::WithObject,
            ObjectKind::Enum
            | ObjectKind::Sequence
            | ObjectKind::Table
            | ObjectKind::Column
            | ObjectKind::Constraint
            | ObjectKind::Index
            | ObjectKind::View
            | ObjectKind::Function
            | ObjectKind::Trigger
            | ObjectKind::Rule
            | ObjectKind::Policy
            | ObjectKind::Type
            | ObjectKind::Collation
            | ObjectKind::Aggregate
            | ObjectKind::TextSearchDictionary
            | ObjectKind::TextSearchConfiguration
            | ObjectKind::Statistics
            | ObjectKind::ForeignTable => Placement::InSchema,
        }
    }

    /// The kind whose scope patterns decide whether a relation accrete does not model is in scope (a
    /// composite type's or an unmodeled relation's row in `pg_class`, and the table or view an unmodeled
    /// trigger, rule or policy is on, which goes with it): relations answer to `table` patterns, the kind
    /// whose names they share.
    pub const UNMODELED_RELATION: ObjectKind = ObjectKind::Table;

    /// The same for a type accrete does not model (a base type): it answers to `enum` patterns.
    pub const UNMODELED_TYPE: ObjectKind = ObjectKind::Enum;

    /// How many dot-separated parts its objects' names have where a name is only names (see [`ObjectKey`]):
    /// 1 for a schema and a database-wide kind, 3 for what a table holds (`schema.table.name`), 2 for the
    /// others in a schema; `None` where a name is more than that: a signature (`app.f(integer)`), a user
    /// mapping's `role@server`, a grant's `ON:GRANTEE`.
    pub fn name_parts(self) -> Option<usize> {
        match self {
            ObjectKind::Function | ObjectKind::Aggregate | ObjectKind::UserMapping | ObjectKind::Grant => {
                None
            }
            ObjectKind::Column
            | ObjectKind::Constraint
            | ObjectKind::Trigger
            | ObjectKind::Rule
            | ObjectKind::Policy => Some(3),
            kind if kind.placement() == Placement::InSchema => Some(2),
            _ => Some(1),
        }
    }

    /// Whether the comparison may take a declared object of the kind for a live one renamed (tables and
    /// columns, `diff::renames`), which `[renames] new` in `accrete.toml` then says is new.
    pub fn may_look_renamed(self) -> bool {
        matches!(self, ObjectKind::Table | ObjectKind::Column)
    }

    /// The kind whose definition holds an object of this kind, and whose key its key extends by one name:
    /// a table, for columns and constraints (the comparison may report them in their table's entry).
    pub fn part_of(self) -> Option<ObjectKind> {
        match self {
            ObjectKind::Column | ObjectKind::Constraint => Some(ObjectKind::Table),
            _ => None,
        }
    }

    /// The object type its privileges are granted on, as `privileges.sql` names a row's and
    /// [`GrantOn::id`] begins: `table` for tables, views and foreign tables (`GRANT ... ON TABLE` serves
    /// all three), `function` for functions and aggregates (`ON ROUTINE`), `type` for types and enums,
    /// `schema`, `sequence`; `None` for a kind without privileges of its own in the model.
    pub fn privileges_on(self) -> Option<&'static str> {
        match self {
            ObjectKind::Schema => Some("schema"),
            ObjectKind::Table | ObjectKind::View | ObjectKind::ForeignTable => Some("table"),
            ObjectKind::Sequence => Some("sequence"),
            ObjectKind::Function | ObjectKind::Aggregate => Some("function"),
            ObjectKind::Type | ObjectKind::Enum => Some("type"),
            _ => None,
        }
    }

    /// The kinds whose privileges are granted on `object_type` ([`ObjectKind::privileges_on`]), in
    /// declaration order: what an object with privileges of that type may be.
    pub fn granted_on(object_type: &str) -> impl Iterator<Item = ObjectKind> + '_ {
        ObjectKind::ALL.into_iter().filter(move |k| k.privileges_on() == Some(object_type))
    }

    /// What accrete makes of an object of the kind listed in `[external] objects` (`crate::external`): its
    /// stub's query and the words for it; `None` for a kind that cannot be external.
    pub fn external(self) -> Option<External> {
        let (query, described) = match self {
            ObjectKind::Schema => (EXTERNAL_SCHEMAS, "schema"),
            ObjectKind::Table => (EXTERNAL_TABLES, "table"),
            ObjectKind::View => (EXTERNAL_VIEWS, "view or materialized view"),
            ObjectKind::Function => (EXTERNAL_FUNCTIONS, "function or procedure"),
            ObjectKind::Enum => (EXTERNAL_ENUMS, "enum type"),
            ObjectKind::Type => (EXTERNAL_TYPES, "domain, composite or range type"),
            _ => return None,
        };
        Some(External { query, described })
    }

    /// Whether its objects run on the plan's own statements: an event trigger fires on DDL, so a plan's
    /// proof holds the copy's event triggers while the plan runs and gives one the plan changes its state
    /// back just before its first step.
    pub fn fires_on_ddl(self) -> bool {
        self == ObjectKind::EventTrigger
    }
}

/// Where the objects of a kind are ([`ObjectKind::placement`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A schema: its name is the schema's.
    Schema,
    /// In a schema, named from it: `schema.name`, `schema.table.name`, `schema.f(argtypes)`.
    InSchema,
    /// The database's, in no schema: named by its own name (extensions, event triggers, publications,
    /// foreign data wrappers and servers; user mappings, in scope with their server). In scope whatever
    /// schemas the scope names; only patterns exclude one.
    Database,
    /// With the object it is on (a grant): in scope with that object; only patterns exclude one.
    WithObject,
}

/// What an external object of a kind is made of ([`ObjectKind::external`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct External {
    /// The query that reads, for the schemas `$1` and names `$2`, the statements making a stub of each
    /// object the target has, one JSON row each (`src/inspect/sql/external_*.sql`).
    pub query: &'static str,
    /// What a message calls such an object: `view or materialized view`.
    pub described: &'static str,
}

// The stub queries stay with the other inspect queries, whose file names the model digest covers.
const EXTERNAL_SCHEMAS: &str = include_str!("../inspect/sql/external_schemas.sql");
const EXTERNAL_TABLES: &str = include_str!("../inspect/sql/external_tables.sql");
const EXTERNAL_VIEWS: &str = include_str!("../inspect/sql/external_views.sql");
const EXTERNAL_FUNCTIONS: &str = include_str!("../inspect/sql/external_functions.sql");
const EXTERNAL_ENUMS: &str = include_str!("../inspect/sql/external_enums.sql");
const EXTERNAL_TYPES: &str = include_str!("../inspect/sql/external_types.sql");

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
    /// Whether it names a column (a table's part that holds data of a type).
    pub fn is_column(&self) -> bool {
        self.kind == ObjectKind::Column
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(pick: impl Fn(ObjectKind) -> bool) -> Vec<&'static str> {
        ObjectKind::ALL.into_iter().filter(|k| pick(*k)).map(ObjectKind::word).collect()
    }

    #[test]
    fn a_kind_s_name_parts_are_those_of_its_keys() {
        let t = QualName::new("app", "t");
        let keys = [
            ObjectKey::schema("app"),
            ObjectKey::extension("pgcrypto"),
            ObjectKey::enum_type(&t),
            ObjectKey::sequence(&t),
            ObjectKey::table(&t),
            ObjectKey::column(&t, "c"),
            ObjectKey::constraint(&t, "k"),
            ObjectKey::index("app", "i"),
            ObjectKey::view(&t),
            ObjectKey::trigger(&t, "g"),
            ObjectKey::rule(&t, "r"),
            ObjectKey::policy(&t, "p"),
            ObjectKey::type_def(&t),
            ObjectKey::collation(&t),
            ObjectKey::event_trigger("log_ddl"),
        ];
        for key in keys {
            assert_eq!(key.kind.name_parts(), Some(key.name.split('.').count()), "{key}");
        }
        assert_eq!(ObjectKey::function("app.f(integer)").kind.name_parts(), None);
        assert_eq!(
            kinds(|k| k.name_parts() == Some(1)),
            ["schema", "extension", "publication", "foreign_data_wrapper", "foreign_server", "event_trigger"]
        );
    }

    #[test]
    fn the_database_s_kinds_and_the_schema_s() {
        assert_eq!(
            kinds(|k| k.placement() == Placement::Database),
            [
                "extension",
                "publication",
                "foreign_data_wrapper",
                "foreign_server",
                "user_mapping",
                "event_trigger"
            ]
        );
        assert_eq!(kinds(|k| k.placement() == Placement::Schema), ["schema"]);
        assert_eq!(kinds(|k| k.placement() == Placement::WithObject), ["grant"]);
    }

    #[test]
    fn privileges_of_one_object_type_cover_its_kinds() {
        let on = |t| ObjectKind::granted_on(t).map(ObjectKind::word).collect::<Vec<_>>();
        assert_eq!(on("table"), ["table", "view", "foreign_table"]);
        assert_eq!(on("function"), ["function", "aggregate"]);
        assert_eq!(on("type"), ["enum", "type"]);
        assert_eq!(on("schema"), ["schema"]);
        assert_eq!(on("sequence"), ["sequence"]);
        assert!(on("column").is_empty());
    }

    #[test]
    fn the_kinds_that_can_be_external_are_those_accrete_toml_s_help_names() {
        assert_eq!(
            kinds(|k| k.external().is_some()),
            ["schema", "enum", "table", "view", "function", "type"]
        );
        for kind in ObjectKind::ALL.into_iter().filter_map(ObjectKind::external) {
            assert!(kind.query.contains("$1") && kind.query.contains("$2"), "{}", kind.described);
        }
    }

    #[test]
    fn only_event_triggers_fire_on_the_plan_s_statements() {
        assert_eq!(kinds(ObjectKind::fires_on_ddl), ["event_trigger"]);
        assert_eq!(kinds(|k| k.part_of() == Some(ObjectKind::Table)), ["column", "constraint"]);
        assert_eq!(kinds(ObjectKind::may_look_renamed), ["table", "column"]);
    }
}
