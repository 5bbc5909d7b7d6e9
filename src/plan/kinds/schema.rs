//! Schemas in a plan. A schema is its name: "present as planned" is "present". Created first, dropped
//! last (after everything in it); its privileges start from the creator's defaults. The rollback makes a
//! dropped schema again without its comment.

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, GrantOn, Schema, quote_ident, quote_literal};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct SchemaKind;
pub(super) static SCHEMA: SchemaKind = SchemaKind;

fn created(op: &Op) -> &Schema {
    let Op::CreateSchema(s) = op else { unreachable!("a schema's change") };
    s
}

fn object(object: &Obj) -> &Schema {
    let Obj::Schema(s) = object else { unreachable!("a schema") };
    s
}

fn commented_name(on: &CommentOn) -> &str {
    let CommentOn::Schema(s) = on else { unreachable!("a schema's comment") };
    s
}

fn state(name: &str) -> State {
    let exists =
        format!("EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = {})", quote_literal(name));
    State { exists, same: "true".into(), object: format!("schema {name}") }
}

fn create_sql(name: &str) -> String {
    format!("CREATE SCHEMA {}", quote_ident(name))
}

impl PlanKind for SchemaKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        let name = &created(op).name;
        let s = state(name);
        transactional(three_way(step, &s.exists, &s.same, &s.object, &[create_sql(name)]))
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        vec![create_sql(&created(op).name)]
    }

    fn rank(&self, _op: &Op) -> u8 {
        0
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        vec![Resource::Schema(created(op).name.clone())]
    }

    fn requires(&self, _op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        vec![]
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        let s = created(op);
        c.schemas.insert(s.name.clone(), s.clone());
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        Some(GrantOn::Schema(created(op).name.clone()))
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        drop_again(Obj::Schema(created(&change.op).clone()), vec![])
    }

    fn state(&self, o: &Obj) -> State {
        state(&object(o).name)
    }

    fn drop_sql(&self, o: &Obj) -> String {
        format!("DROP SCHEMA {}", quote_ident(&object(o).name))
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        24
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.schemas.remove(&object(o).name);
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        Some(GrantOn::Schema(object(o).name.clone()))
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let s = object(o);
        let create = Op::CreateSchema(Schema { comment: None, ..s.clone() });
        with_comment(create, vec![], CommentOn::Schema(s.name.clone()), &s.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let s = commented_name(on);
        (
            format!("SCHEMA {}", quote_ident(s)),
            format!(
                "pg_catalog.obj_description((SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = {}), 'pg_namespace')",
                quote_literal(s)
            ),
            format!("schema {s}"),
        )
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Schema(commented_name(on).to_string())
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        if let Some(s) = c.schemas.get_mut(commented_name(on)) {
            s.comment = text;
        }
    }
}
