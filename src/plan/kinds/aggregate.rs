//! Aggregates in a plan: what is particular to the kind after the comparison (`diff/kinds.rs`) and
//! inspect's query (`inspect/sql/aggregate*.sql`), in one place: the guard, the drop, the comment's target,
//! the order ranks and the functions its statement names, the privileges it starts with, the expected
//! state and the rollback's inverse ([`PlanKind`]).
//!
//! An aggregate is found by its signature (`to_regprocedure`), like a function, and "as planned" evaluates
//! on it the expression inspect builds its `CREATE AGGREGATE` with (`pg_get_functiondef` does not print
//! aggregates).

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Aggregate, Catalog, GrantOn, ObjectKey, QualName, quote_literal};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::kinds::{mentions, printed};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::guards_code::text_is;
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct AggregateKind;
pub(super) static AGGREGATE: AggregateKind = AggregateKind;

/// Its creation's rank among a plan's changes: after the functions it calls.
const CREATE_RANK: u8 = 5;
/// Its drop's rank: with functions.
const DROP_RANK: u8 = 19;

fn oid(signature: &str) -> String {
    format!("pg_catalog.to_regprocedure({})", quote_literal(signature))
}

/// Whether it exists, whether as planned, and its words in messages.
fn state(a: &Aggregate) -> State {
    let oid = oid(&a.signature);
    let from = "pg_catalog.pg_aggregate ag JOIN pg_catalog.pg_proc ap ON ap.oid = ag.aggfnoid\n        \
                JOIN pg_catalog.pg_namespace an ON an.oid = ap.pronamespace";
    // A function of that signature prints nothing here: present, but not as planned.
    let same =
        text_is(&printed(crate::inspect::AGGREGATE_DEFINITION, from, "ag.aggfnoid", &oid), &a.definition);
    State { exists: format!("{oid} IS NOT NULL"), same, object: format!("aggregate {}", a.signature) }
}

/// The guarded `CREATE AGGREGATE` of step `step`.
fn create(step: usize, a: &Aggregate) -> String {
    let s = state(a);
    three_way(step, &s.exists, &s.same, &s.object, std::slice::from_ref(&a.definition))
}

/// `COMMENT ON` target (by its arguments, `ORDER BY` included), current comment expression, and words.
fn comment_target(signature: &str, target: &str) -> (String, String, String) {
    (
        format!("AGGREGATE {target}"),
        format!("pg_catalog.obj_description({}, 'pg_proc')", oid(signature)),
        format!("aggregate {signature}"),
    )
}

fn drop_sql(a: &Aggregate) -> String {
    format!("DROP AGGREGATE {}({})", a.name.sql(), a.arguments)
}

/// The functions among `functions` (name, signature) that its statement names (`SFUNC = app.f`).
fn functions_named(a: &Aggregate, functions: &[(QualName, String)]) -> Vec<ObjectKey> {
    let named = functions.iter().filter(|(name, _)| mentions(&a.definition, "= ", &name.sql()));
    named.map(|(_, signature)| ObjectKey::function(signature)).collect()
}

/// What its privileges are on: a function's (`GRANT ... ON FUNCTION` serves aggregates).
fn grant_on(a: &Aggregate) -> GrantOn {
    GrantOn::Function(a.signature.clone())
}

/// The expected state after its creation.
fn created(c: &mut Catalog, a: &Aggregate) {
    c.aggregates.insert(a.signature.clone(), a.clone());
}

/// The expected state after its drop.
fn dropped(c: &mut Catalog, a: &Aggregate) {
    c.aggregates.remove(&a.signature);
}

/// The expected state after its comment is set (`None`: removed).
fn commented(c: &mut Catalog, signature: &str, text: Option<String>) {
    if let Some(x) = c.aggregates.get_mut(signature) {
        x.comment = text;
    }
}

/// What the rollback creates for its drop: the aggregate as it was, its comment a step of its own.
fn recreated(a: &Aggregate) -> Aggregate {
    Aggregate { comment: None, ..a.clone() }
}

fn created_aggregate(op: &Op) -> &Aggregate {
    let Op::CreateAggregate(a) = op else { unreachable!("an aggregate's change") };
    a
}

fn object(object: &Obj) -> &Aggregate {
    let Obj::Aggregate(a) = object else { unreachable!("an aggregate") };
    a
}

fn comment_of(on: &CommentOn) -> (&str, &str) {
    let CommentOn::Aggregate(signature, target) = on else { unreachable!("an aggregate's comment") };
    (signature, target)
}

impl PlanKind for AggregateKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(create(step, created_aggregate(op)))
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        vec![created_aggregate(op).definition.clone()]
    }

    fn rank(&self, _op: &Op) -> u8 {
        CREATE_RANK
    }

    fn requires(&self, op: &Op, known: &Known) -> Vec<(Resource, Edge)> {
        let a = created_aggregate(op);
        let mut out = vec![(Resource::Schema(a.name.schema.clone()), Edge::Before)];
        let named = functions_named(a, &known.functions);
        out.extend(named.into_iter().map(|k| (Resource::Object(k), Edge::Before)));
        out
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        created(c, created_aggregate(op));
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        Some(grant_on(created_aggregate(op)))
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        drop_again(Obj::Aggregate(created_aggregate(&change.op).clone()), vec![])
    }

    fn made_on<'a>(&self, _op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        Some((None, vec![]))
    }

    fn state(&self, o: &Obj) -> State {
        state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        drop_sql(object(o))
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        DROP_RANK
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        dropped(c, object(o));
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let a = object(o);
        with_comment(Op::CreateAggregate(recreated(a)), vec![], CommentOn::aggregate(a), &a.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (signature, target) = comment_of(on);
        comment_target(signature, target)
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Object(ObjectKey::aggregate(comment_of(on).0))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        commented(c, comment_of(on).0, text);
    }
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
