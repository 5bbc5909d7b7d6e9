//! The kinds defined by the statements that make them: collations, text search dictionaries and
//! configurations, statistics objects, publications, foreign data wrappers, servers and tables, user
//! mappings (option names only). Each is one [`Kind`], a descriptor in a file of its own that holds
//! everything particular to it; the pipeline iterates over [`ALL`] and never matches on these kinds.
//!
//! What a descriptor gives, and where the pipeline uses it:
//! - its [`ObjectKind`] (the word in step lines, manifests, drift JSON, scope patterns);
//! - its system catalog, alias and column prefix, and the SQL expression (`sql/<kind>.sql`) that builds
//!   its statements from a row of that catalog: `inspect` reads every kind in one query ([`query`]), and
//!   the plan's guard evaluates the same expression on the object it finds, so that "present as planned"
//!   compares the same text;
//! - the words SQL names it by after `CREATE`, `DROP` and `COMMENT ON`, and the words of messages;
//! - its order ranks (created, dropped) and how a text names one of its objects (`mentioned_in`), for the
//!   ordering edges the catalog's `pg_depend` does not give (an object made by the same plan);
//! - its pull folder, which is also the snapshot's part;
//! - what to run by hand after apply for a new object, where the plan cannot write it all (a user
//!   mapping's option values), which the plan's header lists.
//!
//! Generic for every kind: a missing object is created from its statements, one whose statements differ
//! is altered in place where its kind says how (`alter`: foreign tables and servers; the class follows
//! how far the alteration reaches) and otherwise reported `changed` and not planned, an undeclared one in scope is `extra` (dropped under the drop
//! class, created again by the rollback); the expected state takes the object as declared; its comment is
//! `COMMENT ON <keyword> name`; the privileges a step needs are read from its DDL
//! (`apply/privileges/ddl.rs`).

pub mod alter;
mod collation;
mod foreign_data_wrapper;
mod foreign_server;
mod foreign_table;
mod publication;
mod statistics;
mod text_search_configuration;
mod text_search_dictionary;
pub mod user_mapping;

use crate::catalog::{Defined, ObjectKind, Placement, QualName, quote_ident, quote_literal};
use std::sync::LazyLock;

/// What is particular to one statement-defined kind.
#[derive(Debug)]
pub struct Kind {
    pub kind: ObjectKind,
    /// What SQL names the kind by after `CREATE`, `DROP` and `COMMENT ON`: `TEXT SEARCH DICTIONARY`.
    pub keyword: &'static str,
    /// The kind in messages: `text search dictionary`.
    pub words: &'static str,
    /// The pull folder under a schema's and the snapshot part: `text_search_dictionaries`.
    pub plural: &'static str,
    /// The system catalog (`pg_ts_dict`), the alias the definition expression reads it by (`di`), and the
    /// prefix of its name and namespace columns (`dict`: `dictname`, `dictnamespace`).
    pub table: &'static str,
    pub alias: &'static str,
    pub prefix: &'static str,
    /// A `to_reg*` function that finds an object by its quoted name, where PostgreSQL has one; otherwise
    /// the OID is looked up by schema and name.
    pub to_reg: Option<&'static str>,
    /// A condition on one column of the catalog that picks the kind's rows out of a catalog it shares
    /// (`relkind = 'f'` for foreign tables in `pg_class`), written without the alias.
    pub filter: Option<&'static str>,
    /// The object's name as an SQL expression on the catalog read by the alias given, where it is not the
    /// `<prefix>name` column (a user mapping's `role@server`).
    pub name_sql: Option<fn(alias: &str) -> String>,
    /// The catalog's OID column (`oid`; `umid` in `pg_user_mappings`).
    pub oid_column: &'static str,
    /// The statement that drops an object, where it is not `DROP <keyword> <name>`.
    pub drop: Option<fn(name: &QualName) -> String>,
    /// The SQL expression building the object's statements from `<table> <alias>`, one per line ending in
    /// `;` when there are several.
    pub definition: &'static str,
    /// Rank among the plan's changes of its creation and of its drop (lower first; edges come first).
    pub create_rank: u8,
    pub drop_rank: u8,
    /// Whether `text` (an expression, a definition of another object) names the object `name`.
    pub mentioned_in: fn(text: &str, name: &QualName) -> bool,
    /// The statements that alter an object of the kind printed as `live` (first) into one printed as
    /// declared (second) in place, where the kind can say ([`alter::Alteration`]); `None` for a kind, or a
    /// difference, that cannot (reported `changed`, not planned).
    pub alter: Option<AlterFn>,
    /// What to run by hand after apply for a new object, where the plan cannot write all of it (a user
    /// mapping's option values, which accrete never reads nor writes): one statement, shown in the plan's
    /// header; `None` from the function when there is nothing to run.
    pub by_hand: Option<fn(&Defined) -> Option<String>>,
}

/// How a kind alters an object printed as `live` into one printed as `declared` ([`Kind::alter`]).
pub type AlterFn = fn(name: &QualName, live: &str, declared: &str) -> Option<alter::Alteration>;

/// Every statement-defined kind, in the order inspect reads them.
pub const ALL: [&Kind; 9] = [
    &collation::KIND,
    &text_search_dictionary::KIND,
    &text_search_configuration::KIND,
    &statistics::KIND,
    &publication::KIND,
    &foreign_data_wrapper::KIND,
    &foreign_server::KIND,
    &foreign_table::KIND,
    &user_mapping::KIND,
];

/// The descriptor of `kind`, when it is statement-defined.
pub fn of(kind: ObjectKind) -> Option<&'static Kind> {
    ALL.into_iter().find(|k| k.kind == kind)
}

/// The descriptor of a kind this module describes (a [`crate::catalog::Defined`]'s).
pub fn get(kind: ObjectKind) -> &'static Kind {
    of(kind).unwrap_or_else(|| panic!("{kind} is not a statement-defined kind"))
}

/// Whether `text` names `name` (SQL spelling) after `before` and before a delimiter.
pub fn mentions(text: &str, before: &str, name: &str) -> bool {
    let needle = format!("{before}{name}");
    text.match_indices(&needle).any(|(at, _)| {
        text[at + needle.len()..].chars().next().is_none_or(|c| matches!(c, ',' | ';' | ')' | ' ' | '\n'))
    })
}

/// Never mentioned in another object's text (ordering comes from `pg_depend` alone).
fn never(_: &str, _: &QualName) -> bool {
    false
}

impl Kind {
    /// Whether its objects belong to the database, not a schema (a publication; [`Placement::Database`]):
    /// named by their own name (the `schema` of their [`QualName`] is empty), in scope whatever schemas
    /// the scope names, pulled to a folder at the top.
    pub fn database_wide(&self) -> bool {
        self.kind.placement() == Placement::Database
    }

    /// `pg_catalog.pg_ts_dict di`.
    pub fn from(&self) -> String {
        format!("pg_catalog.{} {}", self.table, self.alias)
    }

    /// The name as SQL: `schema.name`, or the name alone for a database-wide kind; both quoted as needed.
    pub fn sql_name(&self, name: &QualName) -> String {
        if self.database_wide() { quote_ident(&name.name) } else { name.sql() }
    }

    /// The SQL expression of the OID of the object `name` (NULL when there is none).
    pub fn oid(&self, name: &QualName) -> String {
        match self.to_reg {
            Some(f) => format!("pg_catalog.{f}({})", quote_literal(&name.sql())),
            None if self.database_wide() => format!(
                "(SELECT x.{} FROM pg_catalog.{} x WHERE {} = {})",
                self.oid_column,
                self.table,
                self.name_of("x"),
                quote_literal(&name.name)
            ),
            None => format!(
                "(SELECT x.oid FROM pg_catalog.{} x JOIN pg_catalog.pg_namespace n ON n.oid = x.{}namespace \
                 WHERE n.nspname = {} AND x.{}name = {}{})",
                self.table,
                self.prefix,
                quote_literal(&name.schema),
                self.prefix,
                quote_literal(&name.name),
                self.filter.map(|f| format!(" AND x.{f}")).unwrap_or_default()
            ),
        }
    }

    /// The expression of an object's name on the catalog read as `alias`.
    fn name_of(&self, alias: &str) -> String {
        match self.name_sql {
            Some(f) => f(alias),
            None => format!("{alias}.{}name", self.prefix),
        }
    }

    /// The definition expression as a scalar subquery on the object `oid` (its `--` comment lines left
    /// out, so the plan's own comment lines stay the only ones at a line start).
    pub fn printed(&self, oid: &str) -> String {
        printed(self.definition, &self.from(), &format!("{}.{}", self.alias, self.oid_column), oid)
    }

    /// `COMMENT ON` target, the current comment's expression, and the object's words in messages.
    pub fn comment_target(&self, name: &QualName) -> (String, String, String) {
        (
            format!("{} {}", self.keyword, self.sql_name(name)),
            format!("pg_catalog.obj_description({}, '{}')", self.oid(name), self.table),
            format!("{} {}", self.words, Defined::key_of(self.kind, name).name),
        )
    }

    /// The statement that drops the object.
    pub fn drop_sql(&self, name: &QualName) -> String {
        match self.drop {
            Some(f) => f(name),
            None => format!("DROP {} {}", self.keyword, self.sql_name(name)),
        }
    }

    /// This kind's part of [`query`]: one row per object in scope that no extension made.
    fn select(&self) -> String {
        let (a, t) = (self.alias, self.table);
        let (schema, namespace) = if self.database_wide() {
            ("''".to_string(), String::new())
        } else {
            ("n.nspname".to_string(), format!("    JOIN ns n ON n.oid = {a}.{}namespace\n", self.prefix))
        };
        format!(
            "    SELECT '{kind}' AS kind, jsonb_build_object('schema', {schema}, 'name', {name}) AS name,\n\
             \x20          obj_description({a}.{o}, '{t}') AS comment,\n\
             \x20          (\n{definition}\n           ) AS definition\n\
             \x20   FROM {t} {a}\n\
             {namespace}\
             \x20   WHERE {filter}NOT EXISTS (\n\
             \x20       SELECT FROM pg_depend d\n\
             \x20       WHERE d.classid = '{t}'::regclass AND d.objid = {a}.{o} AND d.deptype IN ('e', 'i')\n\
             \x20   )\n",
            kind = self.kind.word(),
            definition = self.definition.trim_end(),
            filter = self.filter.map(|f| format!("{a}.{f} AND ")).unwrap_or_default(),
            name = self.name_of(a),
            o = self.oid_column,
        )
    }
}

/// One of the definition expressions as a scalar subquery on the object `oid`, its `--` comment lines
/// left out (aggregates use it too).
pub fn printed(expression: &str, from: &str, oid_column: &str, oid: &str) -> String {
    let body: Vec<&str> = expression.trim().lines().filter(|l| !l.trim_start().starts_with("--")).collect();
    format!("(SELECT {}\n        FROM {from} WHERE {oid_column} = {oid})", body.join("\n        "))
}

static QUERY: LazyLock<String> = LazyLock::new(|| {
    let parts: Vec<String> = ALL.iter().map(|k| k.select()).collect();
    format!(
        "-- Objects of the statement-defined kinds (src/kinds) in scope that no extension made, each with the\n\
         -- statements that make it, built by its kind's expression (src/kinds/sql/<kind>.sql).\n\
         SELECT to_jsonb(r)::text\nFROM (\n{}) r\nORDER BY r.kind, r.name\n",
        parts.join("    UNION ALL\n")
    )
});

/// The inspect query of every kind here (to follow the namespaces CTE): rows of `Defined` as JSON.
pub fn query() -> &'static str {
    &QUERY
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_described_once_with_a_word_of_its_own() {
        for (i, k) in ALL.iter().enumerate() {
            assert!(ALL[..i].iter().all(|o| o.kind != k.kind && o.plural != k.plural), "{:?}", k.kind);
            assert_eq!(get(k.kind).keyword, k.keyword);
        }
        assert!(of(ObjectKind::Table).is_none());
    }

    #[test]
    fn the_query_reads_every_kind_through_its_expression() {
        let q = query();
        for k in ALL {
            assert!(q.contains(&format!("SELECT '{}' AS kind", k.kind.word())), "{q}");
            assert!(q.contains(&format!("FROM {} {}\n", k.table, k.alias)), "{q}");
        }
        assert_eq!(q.lines().filter(|l| *l == "    UNION ALL").count(), ALL.len() - 1);
    }

    #[test]
    fn an_object_is_found_by_its_reg_function_or_by_schema_and_name() {
        let name = QualName::new("app", "Nd");
        assert_eq!(collation::KIND.oid(&name), "pg_catalog.to_regcollation('app.\"Nd\"')");
        assert!(
            text_search_dictionary::KIND.oid(&name).contains("WHERE n.nspname = 'app' AND x.dictname = 'Nd'")
        );
    }
}
