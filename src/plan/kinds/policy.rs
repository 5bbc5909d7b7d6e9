//! Row-level security policies in a plan: a part of its table, found by table and name in `pg_policy`;
//! "as planned" compares command, permissive, roles and both expressions as PostgreSQL prints them.
//! Created after the table and its columns, dropped with the other parts of tables.

use super::parts::Catalog as Parts;
use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, ObjectKey, Policy, QualName, quote_ident, quote_literal};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::plan::guards::{Guarded, State, text_array, three_way};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct PolicyKind;
pub(super) static POLICY: PolicyKind = PolicyKind;

const PARTS: Parts = Parts {
    table: "pg_policy",
    relation: "polrelid",
    name: "polname",
    enabled: "",
    keyword: "POLICY",
    word: "policy",
};

fn created(op: &Op) -> (&QualName, &Policy) {
    let Op::CreatePolicy { table, policy } = op else { unreachable!("a policy's change") };
    (table, policy)
}

fn object(object: &Obj) -> (&QualName, &Policy) {
    let Obj::Policy { table, policy } = object else { unreachable!("a policy") };
    (table, policy)
}

fn commented(on: &CommentOn) -> (&QualName, &str) {
    let CommentOn::Policy(table, name) = on else { unreachable!("a policy's comment") };
    (table, name)
}

fn create_sql(table: &QualName, p: &Policy) -> String {
    let roles: Vec<String> =
        p.roles.iter().map(|r| if r == "public" { "PUBLIC".to_string() } else { quote_ident(r) }).collect();
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        quote_ident(&p.name),
        table.sql(),
        if p.permissive { "PERMISSIVE" } else { "RESTRICTIVE" },
        p.command,
        roles.join(", ")
    );
    if let Some(using) = &p.using {
        sql.push_str(&format!(" USING ({using})"));
    }
    if let Some(check) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({check})"));
    }
    sql
}

fn state(table: &QualName, p: &Policy) -> State {
    let lookup = PARTS.lookup(table, &p.name);
    let exists = format!("EXISTS ({lookup})");
    let command = match p.command.as_str() {
        "SELECT" => "r",
        "INSERT" => "a",
        "UPDATE" => "w",
        "DELETE" => "d",
        _ => "*",
    };
    let expr = |e: &Option<String>| match e {
        Some(e) => format!("= {}", quote_literal(e)),
        None => "IS NULL".to_string(),
    };
    let same = format!(
        "EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.oid = ({lookup}) AND p.polcmd = {} AND p.polpermissive = {}\n        \
         AND ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END FROM pg_catalog.unnest(p.polroles) r ORDER BY 1) = {}\n        \
         AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) {} AND pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) {})",
        quote_literal(command),
        p.permissive,
        text_array(&p.roles),
        expr(&p.using),
        expr(&p.with_check)
    );
    State { exists, same, object: format!("policy {} on {table}", p.name) }
}

const LOCK: StepLock = StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Brief };

impl PlanKind for PolicyKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        let (table, p) = created(op);
        let s = state(table, p);
        transactional(three_way(step, &s.exists, &s.same, &s.object, &[create_sql(table, p)]))
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        let (table, p) = created(op);
        vec![create_sql(table, p)]
    }

    fn rank(&self, _op: &Op) -> u8 {
        13
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        let (table, _) = created(op);
        vec![(Resource::Table(table.clone()), Edge::Before), (Resource::Columns(table.clone()), Edge::Before)]
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        let (table, policy) = created(op);
        if let Some(t) = c.tables.get_mut(table) {
            t.policies.insert(policy.name.clone(), policy.clone());
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        let (table, policy) = created(&change.op);
        drop_again(Obj::Policy { table: table.clone(), policy: policy.clone() }, vec![])
    }

    fn lock(&self, _change: &Change) -> StepLock {
        LOCK
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        Some(created(op).0)
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        Some((Some(created(op).0), vec![]))
    }

    fn state(&self, o: &Obj) -> State {
        let (table, p) = object(o);
        state(table, p)
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let (table, p) = object(o);
        PARTS.drop_sql(table, &p.name)
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        16
    }

    fn drop_lock(&self, _object: &Obj) -> StepLock {
        LOCK
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        let (table, p) = object(o);
        if let Some(t) = c.tables.get_mut(table) {
            t.policies.remove(&p.name);
        }
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let (table, p) = object(o);
        let create = Op::CreatePolicy { table: table.clone(), policy: Policy { comment: None, ..p.clone() } };
        with_comment(create, vec![], CommentOn::Policy(table.clone(), p.name.clone()), &p.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (table, name) = commented(on);
        PARTS.comment_target(table, name)
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        let (table, name) = commented(on);
        Resource::Object(ObjectKey::policy(table, name))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let (table, name) = commented(on);
        if let Some(x) = c.tables.get_mut(table).and_then(|t| t.policies.get_mut(name)) {
            x.comment = text;
        }
    }

    fn comment_table<'a>(&self, on: &'a CommentOn) -> Option<&'a QualName> {
        Some(commented(on).0)
    }
}
