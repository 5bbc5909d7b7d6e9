//! The statement-defined kinds (`crate::kinds`: collations, text search objects, statistics objects,
//! publications, foreign data wrappers, servers, tables and user mappings) in a plan: one [`PlanKind`]
//! for the family, reading what differs from each kind's descriptor. "As planned" evaluates, on the
//! object that is there, the same SQL expression that `inspect` builds the definition with, and compares
//! its SHA-256 with the planned definition's; an alteration in place is before/after on the two printed
//! texts, and its rollback is the kind's alteration the other way.

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional};
use crate::catalog::{Catalog, Defined, GrantOn, ObjectKind, QualName};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::guards_code::text_is;
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct DefinedKind;
pub(super) static DEFINED: DefinedKind = DefinedKind;

/// An object of a statement-defined kind: its kind's expression evaluated on the object of that name.
fn defined_state(d: &Defined) -> State {
    let kind = crate::kinds::get(d.kind);
    let oid = kind.oid(&d.name);
    let same = text_is(&kind.printed(&oid), &d.definition);
    State { exists: format!("{oid} IS NOT NULL"), same, object: format!("{} {}", kind.words, d.key().name) }
}

fn create_defined(step: usize, d: &Defined) -> String {
    let s = defined_state(d);
    three_way(step, &s.exists, &s.same, &s.object, &d.statements())
}

/// An object of a statement-defined kind altered in place: done when its kind's expression prints the
/// declared definition, acted on when it prints the live one it was planned from, refused otherwise.
fn alter_defined(step: usize, from: &Defined, to: &Defined, statements: &[String]) -> String {
    let kind = crate::kinds::get(to.kind);
    let oid = kind.oid(&to.name);
    let printed = kind.printed(&oid);
    let object = format!("{} {}", kind.words, to.key().name);
    crate::plan::guards_alter::before_after(
        step,
        &text_is(&printed, &to.definition),
        &text_is(&printed, &from.definition),
        &format!("{object} is already as planned"),
        &format!("{object} was changed since the plan (or is gone)"),
        statements,
    )
}

fn object(object: &Obj) -> &Defined {
    let Obj::Defined(d) = object else { unreachable!("a statement-defined object") };
    d
}

fn commented(on: &CommentOn) -> (ObjectKind, &QualName) {
    let CommentOn::Defined(kind, name) = on else { unreachable!("a statement-defined object's comment") };
    (*kind, name)
}

/// Privileges on a foreign table are a table's; the other kinds here have none accrete models.
fn privileges_on(d: &Defined) -> Option<GrantOn> {
    (d.kind == ObjectKind::ForeignTable).then(|| GrantOn::Table(d.name.clone()))
}

impl PlanKind for DefinedKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateDefined(d) => create_defined(step, d),
            Op::AlterDefined { from, to, statements } => alter_defined(step, from, to, statements),
            _ => unreachable!("a statement-defined object's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateDefined(d) => d.statements(),
            Op::AlterDefined { statements, .. } => statements.clone(),
            _ => unreachable!("a statement-defined object's change"),
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        matches!(op, Op::AlterDefined { .. }).then(|| "in place".to_string())
    }

    fn by_hand(&self, op: &Op) -> Option<String> {
        let Op::CreateDefined(d) = op else { return None };
        crate::kinds::get(d.kind).by_hand.and_then(|by_hand| by_hand(d))
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            Op::CreateDefined(d) | Op::AlterDefined { to: d, .. } => crate::kinds::get(d.kind).create_rank,
            _ => unreachable!("a statement-defined object's change"),
        }
    }

    fn requires(&self, op: &Op, known: &Known) -> Vec<(Resource, Edge)> {
        let mut out = vec![];
        match op {
            Op::CreateDefined(d) => {
                out.push((Resource::Schema(d.name.schema.clone()), Edge::Before));
                known.definition_refs(d, &mut out);
            }
            // What an added column's type or default names; the rest is there already.
            Op::AlterDefined { to, .. } => known.definition_refs(to, &mut out),
            _ => unreachable!("a statement-defined object's change"),
        }
        out
    }

    fn learn(&self, op: &Op, known: &mut Known) {
        if let Op::CreateDefined(d) = op {
            known.defined.push((d.kind, d.name.clone()));
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateDefined(d) | Op::AlterDefined { to: d, .. } => {
                c.defined.insert(d.key(), d.clone());
            }
            _ => unreachable!("a statement-defined object's change"),
        }
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        match op {
            Op::CreateDefined(d) => privileges_on(d),
            _ => None,
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateDefined(d) => drop_again(Obj::Defined(d.clone()), vec![]),
            // The same alteration the other way (a column added is dropped again, options set back).
            Op::AlterDefined { from, to, .. } => {
                let kind = crate::kinds::get(to.kind);
                match kind.alter.and_then(|f| f(&to.name, &to.definition, &from.definition)) {
                    Some(a) => Ok(vec![(
                        Op::AlterDefined { from: to.clone(), to: from.clone(), statements: a.statements },
                        change.hazards.clone(),
                    )]),
                    None => Err(Some(format!("{} {} stays as altered", kind.words, to.key().name))),
                }
            }
            _ => unreachable!("a statement-defined object's change"),
        }
    }

    fn state(&self, o: &Obj) -> State {
        defined_state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let d = object(o);
        crate::kinds::get(d.kind).drop_sql(&d.name)
    }

    fn drop_rank(&self, o: &Obj) -> u8 {
        crate::kinds::get(object(o).kind).drop_rank
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.defined.remove(&object(o).key());
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        privileges_on(object(o))
    }

    fn recreate(&self, o: &Obj) -> Undo {
        vec![(Op::CreateDefined(Defined { comment: None, ..object(o).clone() }), vec![])]
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (kind, name) = commented(on);
        crate::kinds::get(kind).comment_target(name)
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        let (kind, name) = commented(on);
        Resource::Object(Defined::key_of(kind, name))
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let (kind, name) = commented(on);
        if let Some(x) = c.defined.get_mut(&Defined::key_of(kind, name)) {
            x.comment = text;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined(kind: ObjectKind, schema: &str, name: &str, definition: &str) -> Defined {
        Defined { kind, name: QualName::new(schema, name), definition: definition.into(), comment: None }
    }

    #[test]
    fn a_configuration_runs_one_statement_per_line() {
        let c = defined(
            ObjectKind::TextSearchConfiguration,
            "app",
            "docs",
            "CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\");\n\
             ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR asciiword WITH app.en, simple;",
        );
        let sql = create_defined(3, &c);
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
            ObjectKind::Collation,
            "app",
            "Nd",
            "CREATE COLLATION app.\"Nd\" (provider = icu, locale = 'und', deterministic = false)",
        );
        let sql = create_defined(1, &c);
        assert!(sql.contains("pg_catalog.to_regcollation('app.\"Nd\"') IS NOT NULL"));
        assert!(sql.contains("FROM pg_catalog.pg_collation co WHERE co.oid = pg_catalog.to_regcollation"));
        assert!(sql.contains("EXECUTE $ddl$CREATE COLLATION app.\"Nd\" (provider = icu"));
        assert!(!sql.lines().any(|l| l.trim_start().starts_with("--")), "{sql}");
    }
}
