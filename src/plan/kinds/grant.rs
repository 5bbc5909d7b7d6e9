//! Privileges in a plan: what one grantee holds on one object (`GRANT` adds, `REVOKE` takes away), and
//! default privileges. The guards and statements are `plan/guards_grants.rs` (which `pull` uses too);
//! this module places the steps and follows them through the expected state and the rollback. A grant
//! comes after whatever makes its object, whatever kind of change that is; a `REVOKE` on a table takes
//! the same privileges from its columns, as PostgreSQL does.

use super::{Inverse, PlanKind, Undoing};
use crate::catalog::{Acl, Catalog, GrantOn, ObjectKey, ObjectKind, Privilege};
use crate::diff::{Change, Obj, Op};
use crate::plan::guards::{Guarded, State};
use crate::plan::guards_grants::{grant, grant_statements, revoke, revoke_statements};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct GrantKind;
pub(super) static GRANT: GrantKind = GrantKind;

/// The object, grantee, what it holds when planned (`from`) and after (`to`), and whether it is a grant.
fn parts(op: &Op) -> (&GrantOn, &str, &[Privilege], &[Privilege], bool) {
    match op {
        Op::Grant { on, grantee, from, to } => (on, grantee, from, to, true),
        Op::Revoke { on, grantee, from, to } => (on, grantee, from, to, false),
        _ => unreachable!("a grant or revoke"),
    }
}

/// What a grant or revoke needs first: the object it is on, whatever kind of change makes it.
fn object_requires(on: &GrantOn) -> Vec<Resource> {
    match on {
        GrantOn::Schema(s) => vec![Resource::Schema(s.clone())],
        GrantOn::Table(t) => vec![
            Resource::Table(t.clone()),
            Resource::Object(ObjectKey::view(t)),
            Resource::Object(ObjectKey::new(ObjectKind::ForeignTable, t.to_string())),
        ],
        GrantOn::Sequence(s) => vec![Resource::Sequence(s.clone()), Resource::Object(ObjectKey::sequence(s))],
        GrantOn::Column(t, c) => {
            vec![Resource::Column(t.clone(), c.clone()), Resource::Object(ObjectKey::view(t))]
        }
        GrantOn::Function(signature) => {
            vec![
                Resource::Object(ObjectKey::function(signature)),
                Resource::Object(ObjectKey::aggregate(signature)),
            ]
        }
        GrantOn::Type(t) => vec![
            Resource::Type(t.clone()),
            Resource::Object(ObjectKey::type_def(t)),
            Resource::Object(ObjectKey::enum_type(t)),
        ],
        GrantOn::Default { schema, .. } => schema.iter().map(|s| Resource::Schema(s.clone())).collect(),
    }
}

/// A grantee's privileges as a step leaves them. An empty list goes, except PUBLIC's in a global default
/// privileges row (a revoked default differs from no row, as inspect reads it).
fn set_privileges(c: &mut Catalog, on: &GrantOn, grantee: &str, to: &[Privilege]) {
    let acl = c.privileges.entry(on.id()).or_insert_with(|| Acl {
        on: on.clone(),
        owner: String::new(),
        grants: Default::default(),
    });
    if to.is_empty()
        && !(grantee == "public" && !on.public_default().is_empty() && matches!(on, GrantOn::Default { .. }))
    {
        acl.grants.remove(grantee);
    } else {
        acl.grants.insert(grantee.to_string(), to.to_vec());
    }
}

/// What `grantee` holds on `on` in the model (PostgreSQL's default where the model has no ACL for it).
fn held(c: &Catalog, on: &GrantOn, grantee: &str) -> Vec<Privilege> {
    match c.privileges.get(&on.id()) {
        Some(acl) => acl.grants.get(grantee).cloned().unwrap_or_default(),
        None => on.default_for(grantee),
    }
}

impl PlanKind for GrantKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        let (on, grantee, from, to, is_grant) = parts(op);
        let sql =
            if is_grant { grant(step, on, grantee, from, to) } else { revoke(step, on, grantee, from, to) };
        Guarded { sql, transactional: true }
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        let (on, grantee, from, to, is_grant) = parts(op);
        if is_grant {
            grant_statements(on, grantee, from, to)
        } else {
            revoke_statements(on, grantee, from, to)
        }
    }

    fn rank(&self, _op: &Op) -> u8 {
        15
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        let (on, grantee, _, _, is_grant) = parts(op);
        let mut out: Vec<(Resource, Edge)> =
            object_requires(on).into_iter().map(|r| (r, Edge::Before)).collect();
        // A column's privileges after the table's: a REVOKE on the table takes them from its columns too.
        if let GrantOn::Column(t, _) = on {
            let table = GrantOn::Table(t.clone());
            out.push((Resource::Object(ObjectKey::grant(&table, grantee)), Edge::Before));
        }
        if !is_grant {
            // After whatever makes or remakes the object; among the changes of one grantee's privileges,
            // in the order the comparison made them.
            out.extend(on.object_keys().into_iter().map(|k| (Resource::Object(k), Edge::Before)));
        }
        out
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        let (on, grantee, from, to, is_grant) = parts(op);
        let before = held(c, on, grantee);
        if is_grant {
            // GRANT adds to what the grantee holds, whatever the plan assumed it held (an object the plan
            // creates may hold what the owner's default privileges give).
            set_privileges(c, on, grantee, &crate::diff::merge_privileges(&before, to));
            return;
        }
        // REVOKE takes away only what it names; on a table it takes the same privileges (and grant
        // options) away from every column of the table too, as PostgreSQL does.
        set_privileges(c, on, grantee, &crate::diff::revoke_leaves(&before, from, to));
        if let GrantOn::Table(t) = on {
            let columns: Vec<GrantOn> = c
                .privileges
                .values()
                .filter(|a| matches!(&a.on, GrantOn::Column(ct, _) if ct == t))
                .filter(|a| a.grants.contains_key(grantee))
                .map(|a| a.on.clone())
                .collect();
            for column in columns {
                let before = held(c, &column, grantee);
                set_privileges(c, &column, grantee, &crate::diff::revoke_leaves(&before, from, to));
            }
        }
    }

    fn inverse(&self, change: &Change, undoing: &Undoing<'_>) -> Inverse {
        let (on, grantee, from, to, is_grant) = parts(&change.op);
        // Privileges given back to an object created again: the rollback creates the old definition again
        // with PostgreSQL's defaults, after this point; say what to grant.
        if on.object_keys().iter().any(|k| undoing.redefined(k)) {
            let mut statements = grant_statements(on, grantee, &on.default_for(grantee), to);
            statements.extend(revoke_statements(
                on,
                grantee,
                &crate::diff::merge_privileges(&on.default_for(grantee), to),
                to,
            ));
            return Err(Some(format!(
                "the object comes back in its old definition with PostgreSQL's default privileges, without \
                 what this step gave ({}): grant what it should hold by hand",
                statements.join("; ")
            )));
        }
        // A column's privileges changed after its table's REVOKE took them along: the rollback's GRANT on
        // the table does not give them back to the column.
        if matches!(on, GrantOn::Column(..))
            && change.part_of.as_ref().is_some_and(|p| p.kind == ObjectKind::Grant)
        {
            return Err(Some(
                "the table's REVOKE took the column's privileges along; grant the column what it held before the \
                 plan by hand"
                    .into(),
            ));
        }
        // From what it left back to what it found.
        let (on, grantee, left, found) = (on.clone(), grantee.to_string(), to.to_vec(), from.to_vec());
        let back = if is_grant {
            Op::Revoke { on, grantee, from: left, to: found }
        } else {
            Op::Grant { on, grantee, from: left, to: found }
        };
        Ok(vec![(back, vec![])])
    }

    fn undone_with(&self, op: &Op) -> Vec<ObjectKey> {
        parts(op).0.object_keys()
    }

    fn roles<'a>(&self, op: &'a Op) -> Vec<&'a str> {
        let (on, grantee, ..) = parts(op);
        let mut out = vec![];
        if grantee != "public" {
            out.push(grantee);
        }
        if let GrantOn::Default { role, .. } = on {
            out.push(role.as_str());
        }
        out
    }

    // Privileges are never dropped as an object of their own (a REVOKE is a change of its grantee's).

    fn state(&self, _object: &Obj) -> State {
        unreachable!("privileges are not an object a drop names")
    }

    fn drop_sql(&self, _object: &Obj) -> String {
        unreachable!("privileges are not an object a drop names")
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        unreachable!("privileges are not an object a drop names")
    }

    fn dropped(&self, _c: &mut Catalog, _object: &Obj) {
        unreachable!("privileges are not an object a drop names")
    }

    fn recreate(&self, _object: &Obj) -> Undo {
        unreachable!("privileges are not an object a drop names")
    }
}
