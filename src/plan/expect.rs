//! The catalog a plan leaves behind: the live catalog with every planned change applied to the model. Its
//! digests are the manifest's `after` states, which `apply` checks before running (rule 5) and verifies after.

use crate::catalog::{Acl, Catalog, GrantOn, QualName};
use crate::diff::{Change, CommentOn, NotNullStage, Obj, Op};

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
        Op::AddColumn { table, column } => {
            if let Some(t) = c.tables.get_mut(table) {
                let mut column = column.clone();
                column.position = t.columns.iter().map(|c| c.position).max().unwrap_or(0) + 1;
                t.columns.push(column);
            }
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
        Op::AlterColumnType { table, column, to, reset_default, to_collation, .. } => {
            if let Some(col) = column_mut(c, table, column) {
                col.data_type = to.clone();
                col.collation = to_collation.clone();
                if let Some((_, default)) = reset_default {
                    col.default = default.clone();
                }
            }
        }
        Op::SetColumnDefault { table, column, to, .. } => {
            if let Some(col) = column_mut(c, table, column) {
                col.default = to.clone();
            }
        }
        Op::SetNotNull { table, column, stage, name, no_inherit } => {
            if let Some(col) = column_mut(c, table, column) {
                match stage {
                    NotNullStage::Set | NotNullStage::NotValid => {
                        col.not_null = true;
                        col.not_null_name = name.clone();
                        col.not_null_not_valid = *stage == NotNullStage::NotValid;
                        col.not_null_no_inherit = *no_inherit;
                    }
                    NotNullStage::ValidateConstraint => col.not_null_not_valid = false,
                    NotNullStage::AddCheck | NotNullStage::Validate => {}
                }
            }
        }
        Op::RenameNotNull { table, column, to, .. } => {
            if let Some(col) = column_mut(c, table, column) {
                let default = crate::catalog::default_not_null_name(&table.name, column);
                col.not_null_name = (*to != default).then(|| to.clone());
            }
        }
        Op::SetNotNullInherit { table, column, no_inherit, .. } => {
            if let Some(col) = column_mut(c, table, column) {
                col.not_null_no_inherit = *no_inherit;
            }
        }
        Op::DropNotNull { table, column } => {
            if let Some(col) = column_mut(c, table, column) {
                col.not_null = false;
                col.not_null_name = None;
                col.not_null_not_valid = false;
                col.not_null_no_inherit = false;
            }
        }
        Op::ChangeComment { on, to, .. } => set_comment(c, on, to.clone()),
        Op::Drop { object, .. } => {
            drop(c, object);
            drop_privileges(c, object);
        }
        Op::SetIdentity { table, column, to, .. } => {
            if let Some(col) = column_mut(c, table, column) {
                col.identity = to.clone();
                col.not_null |= to.is_some();
            }
        }
        Op::SequenceOwnership { table, column, serial, adopt } => {
            let calls = format!("nextval('{}'::regclass)", serial.sequence.sql().replace('\'', "''"));
            if let Some(col) = column_mut(c, table, column) {
                col.serial = adopt.then(|| serial.clone());
                col.default = (!adopt).then_some(calls);
            }
            if *adopt {
                c.sequences.remove(&serial.sequence);
            } else {
                c.sequences.insert(
                    serial.sequence.clone(),
                    crate::catalog::Sequence {
                        name: serial.sequence.clone(),
                        options: serial.options.clone(),
                        owned_by: None,
                        comment: None,
                    },
                );
            }
        }
        Op::SerialChange { table, column, serial, add } => {
            if let Some(col) = column_mut(c, table, column) {
                col.serial = add.then(|| serial.clone());
                col.default = None;
            }
        }
        Op::SerialIdentity { table, column, serial, identity, to_identity } => {
            if let Some(col) = column_mut(c, table, column) {
                col.serial = (!to_identity).then(|| serial.clone());
                col.identity = to_identity.then(|| identity.clone());
                col.default = None;
                col.not_null = true;
            }
        }
        Op::SetCollation { table, column, to, .. } => {
            if let Some(col) = column_mut(c, table, column) {
                col.collation = to.clone();
            }
        }
        Op::DropExpression { table, column } => {
            if let Some(col) = column_mut(c, table, column) {
                col.generated = None;
            }
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

fn column_mut<'a>(
    c: &'a mut Catalog,
    table: &QualName,
    column: &str,
) -> Option<&'a mut crate::catalog::Column> {
    c.tables.get_mut(table).and_then(|t| t.columns.iter_mut().find(|x| x.name == column))
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
        Obj::Column { table, column } => GrantOn::Column(table.clone(), column.name.clone()),
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
        Obj::Column { table, column } => {
            if let Some(t) = c.tables.get_mut(table) {
                t.columns.retain(|x| x.name != column.name);
                t.indexes.retain(|_, i| !i.columns.contains(&column.name));
                t.constraints.retain(|_, k| !k.columns.contains(&column.name));
            }
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
        CommentOn::Column(t, col) => {
            if let Some(col) = c.tables.get_mut(t).and_then(|t| t.columns.iter_mut().find(|x| &x.name == col))
            {
                col.comment = text;
            }
        }
        _ => unreachable!("commented by its kind (plan::kinds)"),
    }
}
