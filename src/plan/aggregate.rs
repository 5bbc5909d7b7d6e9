//! Aggregates in a plan: what is particular to the kind after the comparison (`diff/kinds.rs`) and
//! inspect's query (`inspect/sql/aggregate*.sql`), in one place: the guard, the drop, the comment's target,
//! the order ranks and the functions its statement names, the privileges it starts with, the expected
//! state and the rollback's inverse. The stages' arms for `Op::CreateAggregate`, `Obj::Aggregate` and
//! `CommentOn::Aggregate` call here.
//!
//! An aggregate is found by its signature (`to_regprocedure`), like a function, and "as planned" evaluates
//! on it the expression inspect builds its `CREATE AGGREGATE` with (`pg_get_functiondef` does not print
//! aggregates).

use super::guards::{State, three_way};
use super::guards_code::text_is;
use crate::catalog::{Aggregate, Catalog, GrantOn, ObjectKey, QualName, quote_literal};
use crate::kinds::{mentions, printed};

/// Its creation's rank among a plan's changes: after the functions it calls.
pub(super) const CREATE_RANK: u8 = 5;
/// Its drop's rank: with functions.
pub(super) const DROP_RANK: u8 = 19;

fn oid(signature: &str) -> String {
    format!("pg_catalog.to_regprocedure({})", quote_literal(signature))
}

/// Whether it exists, whether as planned, and its words in messages.
pub(super) fn state(a: &Aggregate) -> State {
    let oid = oid(&a.signature);
    let from = "pg_catalog.pg_aggregate ag JOIN pg_catalog.pg_proc ap ON ap.oid = ag.aggfnoid\n        \
                JOIN pg_catalog.pg_namespace an ON an.oid = ap.pronamespace";
    // A function of that signature prints nothing here: present, but not as planned.
    let same =
        text_is(&printed(crate::inspect::AGGREGATE_DEFINITION, from, "ag.aggfnoid", &oid), &a.definition);
    State { exists: format!("{oid} IS NOT NULL"), same, object: format!("aggregate {}", a.signature) }
}

/// The guarded `CREATE AGGREGATE` of step `step`.
pub(super) fn create(step: usize, a: &Aggregate) -> String {
    let s = state(a);
    three_way(step, &s.exists, &s.same, &s.object, std::slice::from_ref(&a.definition))
}

/// `COMMENT ON` target (by its arguments, `ORDER BY` included), current comment expression, and words.
pub(super) fn comment_target(signature: &str, target: &str) -> (String, String, String) {
    (
        format!("AGGREGATE {target}"),
        format!("pg_catalog.obj_description({}, 'pg_proc')", oid(signature)),
        format!("aggregate {signature}"),
    )
}

pub(super) fn drop_sql(a: &Aggregate) -> String {
    format!("DROP AGGREGATE {}({})", a.name.sql(), a.arguments)
}

/// The functions among `functions` (name, signature) that its statement names (`SFUNC = app.f`).
pub(super) fn functions_named(a: &Aggregate, functions: &[(QualName, String)]) -> Vec<ObjectKey> {
    let named = functions.iter().filter(|(name, _)| mentions(&a.definition, "= ", &name.sql()));
    named.map(|(_, signature)| ObjectKey::function(signature)).collect()
}

/// What its privileges are on: a function's (`GRANT ... ON FUNCTION` serves aggregates).
pub(super) fn grant_on(a: &Aggregate) -> GrantOn {
    GrantOn::Function(a.signature.clone())
}

/// The expected state after its creation.
pub(super) fn created(c: &mut Catalog, a: &Aggregate) {
    c.aggregates.insert(a.signature.clone(), a.clone());
}

/// The expected state after its drop.
pub(super) fn dropped(c: &mut Catalog, a: &Aggregate) {
    c.aggregates.remove(&a.signature);
}

/// The expected state after its comment is set (`None`: removed).
pub(super) fn commented(c: &mut Catalog, signature: &str, text: Option<String>) {
    if let Some(x) = c.aggregates.get_mut(signature) {
        x.comment = text;
    }
}

/// What the rollback creates for its drop: the aggregate as it was, its comment a step of its own.
pub(super) fn recreated(a: &Aggregate) -> Aggregate {
    Aggregate { comment: None, ..a.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let sql = create(2, &a);
        assert!(sql.contains("pg_catalog.to_regprocedure('app.pct(double precision,double precision)')"));
        assert!(sql.contains("WHERE ag.aggfnoid = pg_catalog.to_regprocedure"));
        let (target, _, object) =
            comment_target(&a.signature, "app.pct(double precision ORDER BY double precision)");
        assert_eq!(target, "AGGREGATE app.pct(double precision ORDER BY double precision)");
        assert_eq!(object, "aggregate app.pct(double precision,double precision)");
        assert_eq!(drop_sql(&a), "DROP AGGREGATE app.pct(double precision ORDER BY double precision)");
    }
}
