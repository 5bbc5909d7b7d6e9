//! Guards for collations, aggregates, and text search dictionaries and configurations. "As planned"
//! evaluates, on the object that is there, the same SQL expression that `inspect` builds the definition
//! with, and compares its SHA-256 with the planned definition's.

use super::guards::{State, three_way};
use super::guards_code::text_is;
use crate::catalog::{Aggregate, Defined, QualName, quote_literal};
use crate::diff::CommentOn;

/// One of `inspect`'s definition expressions as a scalar subquery on the object `oid` (its `--` comment
/// lines left out, so the plan's own comment lines stay the only ones at a line start).
fn printed(expression: &str, from: &str, oid_column: &str, oid: &str) -> String {
    let body: Vec<&str> = expression.trim().lines().filter(|l| !l.trim_start().starts_with("--")).collect();
    format!("(SELECT {}\n        FROM {from} WHERE {oid_column} = {oid})", body.join("\n        "))
}

fn collation_oid(name: &QualName) -> String {
    format!("pg_catalog.to_regcollation({})", quote_literal(&name.sql()))
}

/// The OID of a text search object by schema and name (`to_regdictionary` and the like do not exist).
fn text_search_oid(catalog: &str, prefix: &str, name: &QualName) -> String {
    format!(
        "(SELECT x.oid FROM pg_catalog.{catalog} x JOIN pg_catalog.pg_namespace n ON n.oid = x.{prefix}namespace \
         WHERE n.nspname = {} AND x.{prefix}name = {})",
        quote_literal(&name.schema),
        quote_literal(&name.name)
    )
}

fn dictionary_oid(name: &QualName) -> String {
    text_search_oid("pg_ts_dict", "dict", name)
}

fn configuration_oid(name: &QualName) -> String {
    text_search_oid("pg_ts_config", "cfg", name)
}

fn aggregate_oid(signature: &str) -> String {
    format!("pg_catalog.to_regprocedure({})", quote_literal(signature))
}

pub(super) fn collation_state(c: &Defined) -> State {
    let oid = collation_oid(&c.name);
    let same = text_is(
        &printed(crate::inspect::COLLATION_DEFINITION, "pg_catalog.pg_collation co", "co.oid", &oid),
        &c.definition,
    );
    State { exists: format!("{oid} IS NOT NULL"), same, object: format!("collation {}", c.name) }
}

pub(super) fn create_collation(step: usize, c: &Defined) -> String {
    let s = collation_state(c);
    three_way(step, &s.exists, &s.same, &s.object, &c.statements())
}

pub(super) fn text_search_dictionary_state(d: &Defined) -> State {
    let oid = dictionary_oid(&d.name);
    let expression = crate::inspect::TEXT_SEARCH_DICTIONARY_DEFINITION;
    let same = text_is(&printed(expression, "pg_catalog.pg_ts_dict di", "di.oid", &oid), &d.definition);
    State { exists: format!("{oid} IS NOT NULL"), same, object: format!("text search dictionary {}", d.name) }
}

pub(super) fn create_text_search_dictionary(step: usize, d: &Defined) -> String {
    let s = text_search_dictionary_state(d);
    three_way(step, &s.exists, &s.same, &s.object, &d.statements())
}

pub(super) fn text_search_configuration_state(c: &Defined) -> State {
    let oid = configuration_oid(&c.name);
    let expression = crate::inspect::TEXT_SEARCH_CONFIGURATION_DEFINITION;
    let same = text_is(&printed(expression, "pg_catalog.pg_ts_config cf", "cf.oid", &oid), &c.definition);
    State {
        exists: format!("{oid} IS NOT NULL"),
        same,
        object: format!("text search configuration {}", c.name),
    }
}

pub(super) fn create_text_search_configuration(step: usize, c: &Defined) -> String {
    let s = text_search_configuration_state(c);
    three_way(step, &s.exists, &s.same, &s.object, &c.statements())
}

pub(super) fn aggregate_state(a: &Aggregate) -> State {
    let oid = aggregate_oid(&a.signature);
    let from = "pg_catalog.pg_aggregate ag JOIN pg_catalog.pg_proc ap ON ap.oid = ag.aggfnoid\n        \
                JOIN pg_catalog.pg_namespace an ON an.oid = ap.pronamespace";
    // A function of that signature prints nothing here: present, but not as planned.
    let same =
        text_is(&printed(crate::inspect::AGGREGATE_DEFINITION, from, "ag.aggfnoid", &oid), &a.definition);
    State { exists: format!("{oid} IS NOT NULL"), same, object: format!("aggregate {}", a.signature) }
}

pub(super) fn create_aggregate(step: usize, a: &Aggregate) -> String {
    let s = aggregate_state(a);
    three_way(step, &s.exists, &s.same, &s.object, std::slice::from_ref(&a.definition))
}

/// `COMMENT ON` target, current comment expression, and object words, for the kinds of this file.
pub(super) fn comment_target(on: &CommentOn) -> Option<(String, String, String)> {
    Some(match on {
        CommentOn::Collation(n) => (
            format!("COLLATION {}", n.sql()),
            format!("pg_catalog.obj_description({}, 'pg_collation')", collation_oid(n)),
            format!("collation {n}"),
        ),
        CommentOn::Aggregate(signature, target) => (
            format!("AGGREGATE {target}"),
            format!("pg_catalog.obj_description({}, 'pg_proc')", aggregate_oid(signature)),
            format!("aggregate {signature}"),
        ),
        CommentOn::TextSearchDictionary(n) => (
            format!("TEXT SEARCH DICTIONARY {}", n.sql()),
            format!("pg_catalog.obj_description({}, 'pg_ts_dict')", dictionary_oid(n)),
            format!("text search dictionary {n}"),
        ),
        CommentOn::TextSearchConfiguration(n) => (
            format!("TEXT SEARCH CONFIGURATION {}", n.sql()),
            format!("pg_catalog.obj_description({}, 'pg_ts_config')", configuration_oid(n)),
            format!("text search configuration {n}"),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined(schema: &str, name: &str, definition: &str) -> Defined {
        Defined { name: QualName::new(schema, name), definition: definition.into(), comment: None }
    }

    #[test]
    fn a_configuration_runs_one_statement_per_line() {
        let c = defined(
            "app",
            "docs",
            "CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\");\n\
             ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR asciiword WITH app.en, simple;",
        );
        let sql = create_text_search_configuration(3, &c);
        assert!(sql.contains(
            "EXECUTE $ddl$CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\")$ddl$;\n"
        ));
        assert!(sql.contains(
            "EXECUTE $ddl$ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR asciiword WITH app.en, simple$ddl$;\n"
        ));
        assert!(sql.contains("WHERE n.nspname = 'app' AND x.cfgname = 'docs'"));
        assert!(
            sql.contains(
                "accrete: step 3: text search configuration app.docs exists with another definition"
            )
        );
    }

    #[test]
    fn guards_compare_the_inspected_expression_without_its_comments() {
        let c = defined(
            "app",
            "Nd",
            "CREATE COLLATION app.\"Nd\" (provider = icu, locale = 'und', deterministic = false)",
        );
        let sql = create_collation(1, &c);
        assert!(sql.contains("pg_catalog.to_regcollation('app.\"Nd\"') IS NOT NULL"));
        assert!(sql.contains("FROM pg_catalog.pg_collation co WHERE co.oid = pg_catalog.to_regcollation"));
        assert!(sql.contains("EXECUTE $ddl$CREATE COLLATION app.\"Nd\" (provider = icu"));
        assert!(!sql.lines().any(|l| l.trim_start().starts_with("--")), "{sql}");
    }

    #[test]
    fn an_aggregate_is_found_by_signature_and_commented_by_its_arguments() {
        let a = Aggregate {
            name: QualName::new("app", "pct"),
            signature: "app.pct(double precision,double precision)".into(),
            arguments: "double precision ORDER BY double precision".into(),
            definition: "CREATE AGGREGATE app.pct(double precision ORDER BY double precision) (SFUNC = \
                         ordered_set_transition, STYPE = internal)"
                .into(),
            comment: None,
        };
        let sql = create_aggregate(2, &a);
        assert!(sql.contains("pg_catalog.to_regprocedure('app.pct(double precision,double precision)')"));
        assert!(sql.contains("WHERE ag.aggfnoid = pg_catalog.to_regprocedure"));
        let on = CommentOn::Aggregate(
            a.signature.clone(),
            "app.pct(double precision ORDER BY double precision)".into(),
        );
        let (target, _, object) = comment_target(&on).unwrap();
        assert_eq!(target, "AGGREGATE app.pct(double precision ORDER BY double precision)");
        assert_eq!(object, "aggregate app.pct(double precision,double precision)");
    }
}
