//! Functions and procedures in a plan (overloads distinct, by signature): created from the definition
//! PostgreSQL prints (`CREATE OR REPLACE` made `CREATE`: the guard has seen nothing there), replaced in
//! place (`CREATE OR REPLACE`, same signature and result type), dropped by signature. "As planned"
//! compares the SHA-256 of `pg_get_functiondef`. Created before tables (a default, check or index may
//! call one; plan files run with `check_function_bodies` off) and dropped after them.

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, Function, GrantOn, ObjectKey, QualName, quote_literal};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::guards_alter::before_after;
use crate::plan::guards_code::text_is;
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct FunctionKind;
pub(super) static FUNCTION: FunctionKind = FunctionKind;

fn object(object: &Obj) -> &Function {
    let Obj::Function(f) = object else { unreachable!("a function") };
    f
}

fn commented(on: &CommentOn) -> (&str, &str) {
    let CommentOn::Function(signature, kind) = on else { unreachable!("a function's comment") };
    (signature, kind)
}

fn state(f: &Function) -> State {
    let oid = format!("pg_catalog.to_regprocedure({})", quote_literal(&f.signature));
    let exists = format!("{oid} IS NOT NULL");
    let same = text_is(&format!("pg_catalog.pg_get_functiondef({oid})"), &f.definition);
    State { exists, same, object: format!("{} {}", f.kind, f.signature) }
}

fn create(step: usize, f: &Function) -> String {
    let s = state(f);
    // The printed definition is CREATE OR REPLACE; the guard has already established that nothing is there.
    let ddl = match f.definition.strip_prefix("CREATE OR REPLACE ") {
        Some(rest) => format!("CREATE {rest}"),
        None => f.definition.clone(),
    };
    three_way(step, &s.exists, &s.same, &s.object, &[ddl])
}

fn replace(step: usize, from: &Function, to: &Function) -> String {
    before_after(
        step,
        &state(to).same,
        &state(from).same,
        &format!("{} {} is already as planned", to.kind, to.signature),
        &format!("{} {} was changed since the plan", to.kind, to.signature),
        std::slice::from_ref(&to.definition),
    )
}

/// A function's name with its argument types for DDL: the signature with its name part quoted.
fn sql_name(signature: &str, name: &QualName) -> String {
    match signature.find('(') {
        Some(open) => format!("{}{}", name.sql(), &signature[open..]),
        None => signature.to_string(),
    }
}

impl PlanKind for FunctionKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateFunction(f) => create(step, f),
            Op::ReplaceFunction { from, to } => replace(step, from, to),
            _ => unreachable!("a function's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateFunction(f) | Op::ReplaceFunction { to: f, .. } => {
                vec![f.definition.trim_end().to_string()]
            }
            _ => unreachable!("a function's change"),
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        matches!(op, Op::ReplaceFunction { .. }).then(|| "replace".to_string())
    }

    /// Before tables: a default, check or index may call a function (plan files run with
    /// check_function_bodies off, so a body may name tables made later).
    fn rank(&self, _op: &Op) -> u8 {
        4
    }

    fn requires(&self, _op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        vec![]
    }

    fn learn(&self, op: &Op, known: &mut Known) {
        if let Op::CreateFunction(f) = op {
            known.functions.push((f.name.clone(), f.signature.clone()));
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateFunction(f) => {
                c.functions.insert(f.signature.clone(), f.clone());
            }
            Op::ReplaceFunction { to, .. } => {
                if let Some(f) = c.functions.get_mut(&to.signature) {
                    f.definition = to.definition.clone();
                }
            }
            _ => unreachable!("a function's change"),
        }
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        match op {
            Op::CreateFunction(f) => Some(GrantOn::Function(f.signature.clone())),
            _ => None,
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateFunction(f) => drop_again(Obj::Function(f.clone()), vec![]),
            Op::ReplaceFunction { from, to } => {
                Ok(vec![(Op::ReplaceFunction { from: to.clone(), to: from.clone() }, vec![])])
            }
            _ => unreachable!("a function's change"),
        }
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        match op {
            Op::CreateFunction(_) => Some((None, vec![])),
            _ => None,
        }
    }

    fn state(&self, o: &Obj) -> State {
        state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let f = object(o);
        format!("DROP {} {}", f.kind.to_uppercase(), sql_name(&f.signature, &f.name))
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        19
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.functions.remove(&object(o).signature);
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        Some(GrantOn::Function(object(o).signature.clone()))
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let f = object(o);
        let create = Op::CreateFunction(Function { comment: None, ..f.clone() });
        with_comment(create, vec![], CommentOn::Function(f.signature.clone(), f.kind.clone()), &f.comment)
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (signature, kind) = commented(on);
        (
            format!("{} {signature}", kind.to_uppercase()),
            format!(
                "pg_catalog.obj_description(pg_catalog.to_regprocedure({}), 'pg_proc')",
                quote_literal(signature)
            ),
            format!("{kind} {signature}"),
        )
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Object(ObjectKey::function(commented(on).0))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        if let Some(f) = c.functions.get_mut(commented(on).0) {
            f.comment = text;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_drops_quote_the_name() {
        let name = QualName::new("app", "Touch");
        assert_eq!(sql_name("app.\"Touch\"(integer,text)", &name), "app.\"Touch\"(integer,text)");
    }
}
