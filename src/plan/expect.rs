//! The catalog a plan leaves behind: the live catalog with every planned change applied to the model. Its
//! digests are the manifest's `after` states, which `apply` checks before running (rule 5) and verifies after.

use crate::catalog::{Acl, Catalog, GrantOn};
use crate::diff::{Change, CommentOn, Obj, Op};

/// `owner` is the role that creates the plan's new objects: its default privileges (`pg_default_acl`)
/// give them privileges the files may not declare, as PostgreSQL does.
pub fn expected(live: &Catalog, changes: &[Change], owner: &str) -> Catalog {
    let mut c = live.clone();
    for change in changes {
        apply(&mut c, &change.op);
        if let Some(on) = created_on(&change.op) {
            let grants = c.initial_grants(&on, owner);
            c.privileges.insert(on.id(), Acl { on, owner: owner.to_string(), grants });
        }
    }
    c
}

/// What a change creates that has privileges of its own (a replacement included: it starts again from
/// the defaults).
fn created_on(op: &Op) -> Option<GrantOn> {
    if let Some(kind) = super::kinds::of(op) {
        return kind.created_on(op);
    }
    Some(match op {
        Op::CreateTable(t) => GrantOn::Table(t.name.clone()),
        _ => return None,
    })
}

fn apply(c: &mut Catalog, op: &Op) {
    if let Some(kind) = super::kinds::of(op) {
        return kind.apply(c, op);
    }
    match op {
        Op::CreateTable(t) => {
            c.tables.insert(t.name.clone(), t.clone());
        }
        Op::SetComment { on, text } => set_comment(c, on, Some(text.clone())),
        Op::EnableRowSecurity { table } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.rls_enabled = true;
            }
        }
        Op::ForceRowSecurity { table } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.rls_forced = true;
            }
        }
        Op::DisableRowSecurity { table } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.rls_enabled = false;
            }
        }
        Op::NoForceRowSecurity { table } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.rls_forced = false;
            }
        }
        Op::ChangeComment { on, to, .. } => set_comment(c, on, to.clone()),
        Op::Drop { object, .. } => {
            drop(c, object);
            drop_privileges(c, object);
        }
        Op::SetLogged { table, unlogged } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.unlogged = *unlogged;
            }
        }
        Op::SetTableOptions { table, to, .. } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.options = to.clone();
            }
        }
        Op::SetReplicaIdentity { table, to, .. } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.replica_identity = to.clone();
            }
        }
        Op::SetPartitionOf { table, to, .. } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.partition_of = to.clone();
            }
        }
        _ => unreachable!("applied by its kind (plan::kinds)"),
    }
}

/// A dropped object takes its privileges along (a re-created one starts from the defaults).
fn drop_privileges(c: &mut Catalog, object: &Obj) {
    let Some(on) = privileges_of(object) else { return };
    c.privileges.remove(&on.id());
    if let GrantOn::Table(t) = &on {
        c.privileges.retain(|_, acl| !matches!(&acl.on, GrantOn::Column(ct, _) if ct == t));
    }
}

/// What a dropped object's privileges are on, when it has privileges of its own.
fn privileges_of(object: &Obj) -> Option<GrantOn> {
    if let Some(kind) = super::kinds::of_object(object) {
        return kind.grant_on(object);
    }
    Some(match object {
        Obj::Table(t) => GrantOn::Table(t.name.clone()),
        _ => return None,
    })
}

/// The model after a drop: a column takes the indexes and constraints on it along (PostgreSQL drops them).
fn drop(c: &mut Catalog, object: &Obj) {
    if let Some(kind) = super::kinds::of_object(object) {
        return kind.dropped(c, object);
    }
    match object {
        Obj::Table(t) => {
            c.tables.remove(&t.name);
        }
        _ => unreachable!("dropped by its kind (plan::kinds)"),
    }
}

fn set_comment(c: &mut Catalog, on: &CommentOn, text: Option<String>) {
    if let Some(kind) = super::kinds::of_comment(on) {
        return kind.commented(c, on, text);
    }
    match on {
        CommentOn::Table(t) => {
            if let Some(t) = c.tables.get_mut(t) {
                t.comment = text;
            }
        }
        _ => unreachable!("commented by its kind (plan::kinds)"),
    }
}
