//! Domains, composite and range types in a plan: created from their definition ("as planned" evaluates
//! on the type that is there the expression inspect prints its definition with), or a domain or
//! composite type altered in place one part per step (`Op::AlterType`, a `TypeChange`: a default, NOT
//! NULL, a check added `NOT VALID` then validated in a later transaction, an attribute), each step guarded
//! by that part's state (`plan/guards_types.rs`). Comments on types are `CommentOn::Enum` (`enum_type.rs`).

use super::{Inverse, PlanKind, Planning, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog, GrantOn, ObjectKey, QualName, TypeDef, quote_literal};
use crate::diff::{Change, CommentOn, Hazard, Obj, Op, TypeChange};
use crate::plan::guards::{Guarded, State, three_way};
use crate::plan::guards_code::text_is;
use crate::plan::guards_types;
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct TypeKind;
pub(super) static TYPE: TypeKind = TypeKind;

fn object(object: &Obj) -> &TypeDef {
    let Obj::Type(t) = object else { unreachable!("a type") };
    t
}

fn state(t: &TypeDef) -> State {
    let oid = format!("pg_catalog.to_regtype({})", quote_literal(&t.name.sql()));
    let exists = format!("{oid} IS NOT NULL");
    // The same expression inspect builds the definition with, on the type that is there.
    let printed = format!(
        "(SELECT {} FROM pg_catalog.pg_type t WHERE t.oid = {oid})",
        crate::inspect::TYPE_DEFINITION.trim().replace('\n', "\n        ")
    );
    let same = text_is(&printed, &t.definition);
    State { exists, same, object: format!("{} type {}", t.kind, t.name) }
}

fn create(step: usize, t: &TypeDef) -> String {
    let s = state(t);
    three_way(step, &s.exists, &s.same, &s.object, std::slice::from_ref(&t.definition))
}

/// The digest of domain `name` as the plan leaves it but for the checks it validates, which a failure
/// between the transaction that adds them and the one that validates them leaves not validated.
fn unvalidated(expected: &Catalog, name: &QualName, changes: &[Change]) -> Option<String> {
    let mut t = expected.types.get(name)?.clone();
    let domain = t.domain.as_mut()?;
    for change in changes {
        if let Op::AlterType { name: n, change: TypeChange::ValidateCheck { name: check, .. } } = &change.op
            && n == name
            && let Some(c) = domain.checks.get_mut(check)
        {
            c.validated = false;
        }
    }
    Some(crate::catalog::type_digest(&t))
}

/// A domain's or composite type's part as a step leaves it (digests read the parts, not the definition).
fn alter_type(t: &mut TypeDef, change: &TypeChange) {
    let mut domain = t.domain.take().unwrap_or_default();
    match change {
        TypeChange::DomainDefault { to, .. } => domain.default = to.clone(),
        TypeChange::DomainNotNull { to } => domain.not_null = *to,
        TypeChange::AddCheck { name, check, .. } => {
            let check = crate::catalog::DomainCheck { validated: false, ..check.clone() };
            domain.checks.insert(name.clone(), check);
        }
        TypeChange::ValidateCheck { name, check } => {
            domain.checks.insert(name.clone(), check.clone());
        }
        TypeChange::DropCheck { name, .. } => {
            domain.checks.remove(name);
        }
        TypeChange::AddAttribute(a) => t.attributes.push(a.clone()),
        TypeChange::DropAttribute(a) => t.attributes.retain(|x| x.name != a.name),
        TypeChange::AttributeType { to, .. } => {
            for a in t.attributes.iter_mut().filter(|a| a.name == to.name) {
                *a = to.clone();
            }
        }
    }
    if t.kind == "domain" {
        t.domain = Some(domain);
    }
}

/// A domain or composite type part changed back.
/// What an alteration of a domain, range or composite type does, in its step line: `add check c NOT VALID`.
fn change_word(change: &TypeChange) -> String {
    match change {
        TypeChange::DomainDefault { to: Some(_), .. } => "set default".to_string(),
        TypeChange::DomainDefault { to: None, .. } => "drop default".to_string(),
        TypeChange::DomainNotNull { to: true } => "set NOT NULL".to_string(),
        TypeChange::DomainNotNull { to: false } => "drop NOT NULL".to_string(),
        TypeChange::AddCheck { name, .. } => format!("add check {name} NOT VALID"),
        TypeChange::ValidateCheck { name, .. } => format!("validate check {name}"),
        TypeChange::DropCheck { name, .. } => format!("drop check {name}"),
        TypeChange::AddAttribute(a) => format!("add attribute {}", a.name),
        TypeChange::DropAttribute(a) => format!("drop attribute {}", a.name),
        TypeChange::AttributeType { to, .. } => format!("attribute {} type {}", to.name, to.data_type),
    }
}

fn inverse(name: &QualName, change: &TypeChange) -> Inverse {
    let back =
        |change: TypeChange, hazards: Vec<Hazard>| (Op::AlterType { name: name.clone(), change }, hazards);
    Ok(match change {
        TypeChange::DomainDefault { from, to } => {
            vec![back(TypeChange::DomainDefault { from: to.clone(), to: from.clone() }, vec![])]
        }
        TypeChange::DomainNotNull { to: true } => vec![back(TypeChange::DomainNotNull { to: false }, vec![])],
        TypeChange::DomainNotNull { to: false } => {
            vec![back(TypeChange::DomainNotNull { to: true }, vec![Hazard::MayFailOnData])]
        }
        TypeChange::AddCheck { name, check, replaces } => {
            let (name, check, replaced_by) = (name.clone(), check.clone(), replaces.clone());
            vec![back(TypeChange::DropCheck { name, check, replaced_by }, vec![])]
        }
        TypeChange::ValidateCheck { .. } => return Err(None),
        TypeChange::DropCheck { name, check, replaced_by } => {
            let (name, check, replaces) = (name.clone(), check.clone(), replaced_by.clone());
            let mut out = vec![back(
                TypeChange::AddCheck { name: name.clone(), check: check.clone(), replaces },
                vec![],
            )];
            if check.validated {
                let validate = TypeChange::ValidateCheck { name: name.clone(), check: check.clone() };
                out.push(back(validate, vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData]));
            }
            out
        }
        TypeChange::AddAttribute(a) => {
            vec![back(TypeChange::DropAttribute(a.clone()), vec![Hazard::DeletesData])]
        }
        TypeChange::DropAttribute(a) => {
            return Err(Some(format!(
                "attribute {} of type {name} was dropped with its values: add it again by hand",
                a.name
            )));
        }
        TypeChange::AttributeType { from, to } => {
            vec![back(TypeChange::AttributeType { from: to.clone(), to: from.clone() }, vec![])]
        }
    })
}

impl PlanKind for TypeKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateType(t) => create(step, t),
            Op::AlterType { name, change } => guards_types::alter_type(step, name, change),
            _ => unreachable!("a type's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateType(t) => vec![t.definition.clone()],
            Op::AlterType { name, change } => vec![guards_types::statement(name, change)],
            _ => unreachable!("a type's change"),
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        match op {
            Op::AlterType { change, .. } => Some(change_word(change)),
            _ => None,
        }
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            Op::CreateType(_) => 2,
            _ => 3,
        }
    }

    fn stage(&self, op: &Op) -> Option<u8> {
        match op {
            Op::AlterType { change, .. } => change.stage(),
            _ => None,
        }
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        match op {
            Op::CreateType(t) => vec![Resource::Type(t.name.clone())],
            // A domain check dropped before one of the same name is added again.
            Op::AlterType { name, change: TypeChange::DropCheck { name: check, .. } } => {
                vec![Resource::Dropped(ObjectKey::constraint(name, check))]
            }
            _ => vec![],
        }
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        match op {
            Op::CreateType(t) => vec![(Resource::Schema(t.name.schema.clone()), Edge::Before)],
            Op::AlterType { name, change: TypeChange::AddCheck { name: check, .. } } => {
                vec![(Resource::Dropped(ObjectKey::constraint(name, check)), Edge::Before)]
            }
            _ => vec![],
        }
    }

    fn sets_aside(&self, op: &Op) -> bool {
        matches!(op, Op::AlterType { change: TypeChange::DropCheck { .. }, .. })
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateType(t) => {
                c.types.insert(t.name.clone(), t.clone());
            }
            Op::AlterType { name, change } => {
                if let Some(t) = c.types.get_mut(name) {
                    alter_type(t, change);
                }
            }
            _ => unreachable!("a type's change"),
        }
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        match op {
            Op::CreateType(t) => Some(GrantOn::Type(t.name.clone())),
            _ => None,
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateType(t) => drop_again(Obj::Type(t.clone()), vec![]),
            Op::AlterType { name, change } => inverse(name, change),
            _ => unreachable!("a type's change"),
        }
    }

    fn lock(&self, change: &Change) -> StepLock {
        use LockDuration::*;
        use LockMode::*;
        let (mode, duration) = match &change.op {
            // Columns of the domain are checked under a SHARE lock on their tables.
            Op::AlterType { change: TypeChange::ValidateCheck { .. }, .. } => (Share, Scan),
            Op::AlterType { change: TypeChange::DomainNotNull { to: true }, .. } => (Share, Scan),
            Op::AlterType {
                change: TypeChange::AttributeType { .. } | TypeChange::DropAttribute(_), ..
            } => (AccessExclusive, Brief),
            _ => (None, Brief),
        };
        StepLock { mode, duration }
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        match op {
            Op::CreateType(_) => Some((None, vec![])),
            _ => None,
        }
    }

    /// A check's validation interrupted leaves it not validated.
    fn during(&self, change: &Change, expected: &Catalog, planning: &Planning<'_>) -> Vec<Option<String>> {
        match &change.op {
            Op::AlterType { name, change: TypeChange::ValidateCheck { .. } } => {
                unvalidated(expected, name, planning.changes).into_iter().map(Some).collect()
            }
            _ => vec![],
        }
    }

    fn state(&self, o: &Obj) -> State {
        state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let t = object(o);
        if t.kind == "domain" {
            format!("DROP DOMAIN {}", t.name.sql())
        } else {
            format!("DROP TYPE {}", t.name.sql())
        }
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        23
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.types.remove(&object(o).name);
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        Some(GrantOn::Type(object(o).name.clone()))
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let t = object(o);
        let create = Op::CreateType(TypeDef { comment: None, ..t.clone() });
        with_comment(create, vec![], CommentOn::type_def(&t.name), &t.comment)
    }
}
