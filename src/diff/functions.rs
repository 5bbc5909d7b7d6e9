//! Functions and procedures: a missing one is created; one whose text differs is replaced in place
//! (`CREATE OR REPLACE`) where PostgreSQL allows it, and otherwise dropped and created again with what uses
//! it (`alter::dependent_views`). A function declared where the database has an aggregate of its
//! signature is "kind differs".

use super::code::{Defined, compare_defined};
use super::keyed::keyed;
use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op};
use crate::catalog::{Catalog, ObjectKey, ObjectKind};
use crate::scope::Scope;

pub(super) fn compare_functions(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in keyed(
        &desired.functions,
        &live.functions,
        |s| ObjectKey::function(s),
        |_, f| scope.includes(ObjectKind::Function, &f.name.to_string()),
    ) {
        let Some((signature, key, f)) =
            side.declared_or_extra(out, |l| (Obj::Function(l.clone()), vec![Hazard::BreaksDependents]))
        else {
            continue;
        };
        if live.aggregates.contains_key(signature) {
            out.changed(
                key,
                Class::Alter,
                vec![format!("kind differs: live aggregate, declared {}", f.kind)],
            );
            continue;
        }
        compare_defined(
            out,
            key,
            CommentOn::Function(signature.clone(), f.kind.clone()),
            Defined { definition: &f.definition, comment: f.comment.as_ref() },
            live.functions
                .get(signature)
                .map(|l| Defined { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateFunction(crate::catalog::Function { comment: None, ..f.clone() }),
        );
        if let Some(l) = live.functions.get(signature).filter(|l| l.definition != f.definition) {
            let new = crate::catalog::Function { comment: None, ..f.clone() };
            let key = ObjectKey::function(signature);
            if l.kind == f.kind && !replace_refused(&l.definition, &f.definition) {
                out.change(Class::Alter, key, Op::ReplaceFunction { from: l.clone(), to: new }, vec![]);
            } else {
                let hazards = vec![Hazard::BreaksDependents];
                super::alter::replace(
                    out,
                    Obj::Function(l.clone()),
                    Obj::Function(f.clone()),
                    hazards,
                    |out| out.change(Class::Alter, key, Op::CreateFunction(new), vec![]),
                );
            }
        }
    }
}

/// Whether PostgreSQL refuses `CREATE OR REPLACE` from the live definition to the declared one (both as
/// `pg_get_functiondef` prints them): the result type changes (`RETURNS`, or the row that OUT parameters
/// make), a parameter is renamed or its mode changes, or a parameter loses its default. Then the function
/// is dropped and created, with what uses it (`dependent_views`). A default's value may change in place.
pub(super) fn replace_refused(live: &str, declared: &str) -> bool {
    if returns(live) != returns(declared) {
        return true;
    }
    let (Some(l), Some(d)) = (parameters(live), parameters(declared)) else { return live != declared };
    if l.len() != d.len() {
        return true;
    }
    l.iter()
        .zip(&d)
        .any(|((lp, ldefault), (dp, ddefault))| lp != dp || (ldefault.is_some() && ddefault.is_none()))
}

/// The parameters of a function's printed definition, each as its mode, name and type (`OUT total numeric`)
/// and its default expression: the text between the parentheses after the name, split at top-level commas.
fn parameters(definition: &str) -> Option<Vec<(String, Option<String>)>> {
    let head = definition.trim_start();
    // Past the qualified name, whose quoted parts may hold parentheses.
    let mut quoted = false;
    let mut open = None;
    for (i, c) in head.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => {
                open = Some(i);
                break;
            }
            _ => {}
        }
    }
    let rest = &head[open? + 1..];
    let (mut depth, mut quote, mut params, mut current) = (0usize, None::<char>, Vec::new(), String::new());
    for c in rest.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')') if depth == 0 => {
                if !current.trim().is_empty() || !params.is_empty() {
                    params.push(std::mem::take(&mut current));
                }
                let split = |p: &String| match p.split_once(" DEFAULT ") {
                    Some((p, d)) => (p.trim().to_string(), Some(d.trim().to_string())),
                    None => (p.trim().to_string(), None),
                };
                return Some(params.iter().map(split).collect());
            }
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                params.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    None
}

/// The result type line of a function's printed definition (`RETURNS integer`), which
/// `CREATE OR REPLACE` cannot change.
pub(super) fn returns(definition: &str) -> Option<&str> {
    definition.lines().map(str::trim).find(|l| l.starts_with("RETURNS "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_refused_where_postgresql_refuses() {
        let f = |args: &str, ret: &str| {
            format!(
                "CREATE OR REPLACE FUNCTION app.\"f(x)\"({args})\n RETURNS {ret}\n LANGUAGE sql\nAS $function$select 1$function$\n"
            )
        };
        let base = f("a integer, b text DEFAULT 'x,y'::text", "integer");
        assert!(!replace_refused(&base, &base));
        // The body, a default's value: in place.
        assert!(!replace_refused(&base, &f("a integer, b text DEFAULT 'z'::text", "integer")));
        assert!(!replace_refused(&f("a integer, b text", "integer"), &base));
        assert!(replace_refused(&base, &f("a integer, b text", "integer")));
        assert!(replace_refused(&base, &f("c integer, b text DEFAULT 'x,y'::text", "integer")));
        assert!(replace_refused(&base, &f("a integer, b text DEFAULT 'x,y'::text", "bigint")));
        assert!(replace_refused(
            &f("a integer, OUT n integer", "integer"),
            &f("a integer, OUT m integer", "integer")
        ));
        assert!(!replace_refused(&f("", "integer"), &f("", "integer")));
        assert_eq!(parameters(&f("", "void")), Some(vec![]));
        assert_eq!(parameters(&base).map(|p| p.len()), Some(2));
    }
}
