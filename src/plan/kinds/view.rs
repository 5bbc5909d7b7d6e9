//! Views and materialized views in a plan: created from the text PostgreSQL prints (made a fixed point of
//! loading and printing by `plan/viewdef.rs`); "as planned" is the relkind and the SHA-256 of
//! `pg_get_viewdef`. Created after tables, columns and keys; dropped early, with the triggers and rules
//! of the view, and made again by the rollback from its definition. Privileges on a view are a table's.

use super::{
    CommentTarget, Inverse, PlanKind, Undoing, drop_again, relation_comment_target, transactional,
    with_comment,
};
use crate::catalog::{Catalog, GrantOn, ObjectKey, QualName, View, quote_literal};
use crate::diff::{Change, Class, CommentOn, Obj, Op};
use crate::plan::guards::{Guarded, State, regclass, three_way, to_regclass};
use crate::plan::guards_code::{statement, text_is};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct ViewKind;
pub(super) static VIEW: ViewKind = ViewKind;

fn created(op: &Op) -> &View {
    let Op::CreateView(v) = op else { unreachable!("a view's change") };
    v
}

fn object(object: &Obj) -> &View {
    let Obj::View(v) = object else { unreachable!("a view") };
    v
}

fn commented(on: &CommentOn) -> (&QualName, bool) {
    let CommentOn::View(name, materialized) = on else { unreachable!("a view's comment") };
    (name, *materialized)
}

fn state(v: &View) -> State {
    let relkind = if v.materialized { "m" } else { "v" };
    let exists = format!("{} IS NOT NULL", to_regclass(&v.name));
    let same = format!(
        "(SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = {}) = {}\n       AND {}",
        regclass(&v.name),
        quote_literal(relkind),
        text_is(&format!("pg_catalog.pg_get_viewdef({})", regclass(&v.name)), &v.definition)
    );
    State { exists, same, object: format!("{} {}", v.kind_word(), v.name) }
}

/// `CREATE [MATERIALIZED] VIEW ... [WITH (...)] AS ...`.
fn create_sql(v: &View) -> String {
    let with = if v.options.is_empty() { String::new() } else { format!(" WITH ({})", v.options.join(", ")) };
    format!(
        "CREATE {}VIEW {}{with} AS\n{}",
        if v.materialized { "MATERIALIZED " } else { "" },
        v.name.sql(),
        // Printed text made a fixed point of loading and printing (`viewdef`), so the view made prints as
        // the desired state does.
        statement(&crate::plan::viewdef::pin_unnamed_columns(&v.definition))
    )
}

impl PlanKind for ViewKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        let v = created(op);
        let s = state(v);
        transactional(three_way(step, &s.exists, &s.same, &s.object, &[create_sql(v)]))
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        vec![create_sql(created(op))]
    }

    /// A view made again for a drop (one over a table dropped to make a view of its name).
    fn step_what(&self, change: &Change) -> Option<String> {
        (change.class == Class::Drop).then(|| "create again".to_string())
    }

    fn rank(&self, _op: &Op) -> u8 {
        12
    }

    fn requires(&self, _op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        vec![]
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        let v = created(op);
        c.views.insert(v.name.clone(), v.clone());
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        Some(GrantOn::Table(created(op).name.clone()))
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        drop_again(Obj::View(created(&change.op).clone()), vec![])
    }

    fn made_on<'a>(&self, _op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        Some((None, vec![]))
    }

    fn state(&self, o: &Obj) -> State {
        state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let v = object(o);
        format!("DROP {} {}", v.kind_word().to_uppercase(), v.name.sql())
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        17
    }

    /// A view takes its triggers and rules along.
    fn drop_provides(&self, o: &Obj) -> Vec<Resource> {
        let v = object(o);
        let name = &v.name;
        let triggers = v.triggers.keys().map(|t| ObjectKey::trigger(name, t));
        triggers.chain(v.rules.keys().map(|r| ObjectKey::rule(name, r))).map(Resource::Dropped).collect()
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.views.remove(&object(o).name);
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        Some(GrantOn::Table(object(o).name.clone()))
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let v = object(o);
        let create = Op::CreateView(View { comment: None, ..v.clone() });
        with_comment(create, vec![], CommentOn::View(v.name.clone(), v.materialized), &v.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (v, materialized) = commented(on);
        relation_comment_target(if materialized { "MATERIALIZED VIEW" } else { "VIEW" }, "view", v)
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Object(ObjectKey::view(commented(on).0))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        if let Some(v) = c.views.get_mut(commented(on).0) {
            v.comment = text;
        }
    }
}
