//! How a change is named in step lines and messages: `CLASS KIND NAME[ (WHAT)]`.

use super::model::{
    AddForm, Change, Class, EnumStage, NotNullStage, Op, PartitionStage, ReplaceStage, TypeChange,
};
use crate::escape;
use std::fmt::Write;

/// `CLASS KIND NAME[ (WHAT)]`: a change as a step line and messages name it. `WHAT` says what the step does
/// when kind and name do not, shown as part of the name.
pub fn change_words(c: &Change) -> String {
    format!("{} {} {}", c.class, c.key.kind, shown_name(c))
}

/// The object's name as a step line shows it ([`escape::step_name`]), then what the step does to it in
/// parentheses when its kind and name do not say it: `app.t.c (validate)`.
pub fn shown_name(c: &Change) -> String {
    let mut words = escape::step_name(&c.key.name);
    // A view made again for a drop (one over a table dropped to make a view of its name).
    let made_again = c.class == Class::Drop && matches!(c.op, Op::CreateView(_));
    if made_again {
        words.push_str(" (create again)");
    } else if let Some(what) = op_word(&c.op) {
        write!(words, " ({})", escape::step_name(&what)).unwrap();
    }
    words
}

/// A word on what a step does when its kind and name do not say it (a validation, a comment ...).
pub fn op_word(op: &Op) -> Option<String> {
    Some(match op {
        Op::AddEnumValue { value, .. } => format!("value {}", crate::catalog::quote_literal(value)),
        Op::SetSequenceOwner { to: Some(c), .. } => format!("owned by {}.{}", c.table, c.column),
        Op::SetSequenceOwner { to: None, .. } => "owned by none".to_string(),
        Op::AddConstraint { constraint, form, .. } if form.not_valid(constraint) && constraint.validated => {
            "NOT VALID".to_string()
        }
        Op::AddConstraint { form: AddForm::UsingIndex(index), .. } => format!("using index {}", index.name),
        Op::ValidateConstraint { .. } => "validate".to_string(),
        Op::AlterDefined { .. } => "in place".to_string(),
        Op::CreateIndex { table_is_new: false, replace_invalid: true, .. } => "rebuild invalid".to_string(),
        Op::PartitionIndex { index, stage: PartitionStage::Build, partitioned: true, .. } => {
            format!("ON ONLY partition {}", index.table)
        }
        Op::PartitionIndex { index, stage: PartitionStage::Build, .. } => {
            format!("build on partition {}", index.table)
        }
        Op::PartitionIndex { parent, reused: true, .. } => format!("reuse, attach to {parent}"),
        Op::PartitionIndex { parent, .. } => format!("attach to {parent}"),
        Op::SetComment { .. } => "comment".to_string(),
        Op::EnableRowSecurity { .. } => "enable row level security".to_string(),
        Op::ForceRowSecurity { .. } => "force row level security".to_string(),
        Op::DisableRowSecurity { .. } => "disable row level security".to_string(),
        Op::NoForceRowSecurity { .. } => "no force row level security".to_string(),
        Op::AlterColumnType { from, to, rewrite, .. } => {
            format!("type {from} to {to}{}", if *rewrite { "" } else { ", no rewrite" })
        }
        Op::SetColumnDefault { to: Some(_), .. } => "set default".to_string(),
        Op::SetColumnDefault { to: None, .. } => "drop default".to_string(),
        Op::SetNotNull { stage: NotNullStage::AddCheck, .. } => "NOT NULL: check NOT VALID".to_string(),
        Op::SetNotNull { stage: NotNullStage::Validate, .. } => "NOT NULL: validate check".to_string(),
        Op::SetNotNull { stage: NotNullStage::Set, .. } => "NOT NULL: set".to_string(),
        Op::SetNotNull { stage: NotNullStage::NotValid, .. } => "NOT NULL: add NOT VALID".to_string(),
        Op::SetNotNull { stage: NotNullStage::ValidateConstraint, .. } => "NOT NULL: validate".to_string(),
        Op::DropNotNull { .. } => "drop NOT NULL".to_string(),
        Op::SetNotNullInherit { no_inherit: true, .. } => "NOT NULL: no inherit".to_string(),
        Op::SetNotNullInherit { no_inherit: false, .. } => "NOT NULL: inherit".to_string(),
        Op::RenameNotNull { from, to, .. } => format!("NOT NULL constraint {from} renamed to {to}"),
        Op::AlterSequence { .. } => "options".to_string(),
        Op::ChangeComment { .. } => "comment".to_string(),
        Op::ReplaceFunction { .. } => "replace".to_string(),
        Op::ReplaceIndex { new, stage: ReplaceStage::Build, .. } => {
            format!("build as {}", crate::diff::temporary_index_name(&new.name))
        }
        Op::ReplaceIndex { stage: ReplaceStage::DropOld, .. } => "drop old definition".to_string(),
        Op::ReplaceIndex { stage: ReplaceStage::Rename, .. } => "rename rebuilt index into place".to_string(),
        Op::Drop { object, replaced_by: Some(new) } if new.key().kind != object.key().kind => {
            format!("drop to make a {} of the name", new.key().kind)
        }
        Op::Drop { replaced_by: Some(_), .. } => "drop to recreate".to_string(),
        Op::AlterType { change, .. } => type_change_word(change),
        Op::SetLogged { unlogged: true, .. } => "set unlogged".to_string(),
        Op::SetTableOptions { .. } => "storage parameters".to_string(),
        Op::SetPartFiring { to, .. } => to.sql().to_string(),
        Op::SetPartitionOf { to: Some(to), from: None, .. } => format!("attach to {}", to.parent),
        Op::SetPartitionOf { to: Some(to), .. } => format!("bounds {}", to.bound),
        Op::SetPartitionOf { to: None, .. } => "detach".to_string(),
        Op::SetReplicaIdentity { to, .. } => {
            format!("replica identity {}", crate::catalog::ReplicaIdentity::describe(to.as_ref()))
        }
        Op::SetIdentity { from: None, .. } => "add identity".to_string(),
        Op::SetIdentity { to: None, .. } => "drop identity".to_string(),
        Op::SetIdentity { .. } => "identity".to_string(),
        Op::DropExpression { .. } => "drop expression".to_string(),
        Op::SerialChange { add: true, .. } => "make serial".to_string(),
        Op::SerialIdentity { to_identity: true, .. } => "serial to identity".to_string(),
        Op::SerialIdentity { to_identity: false, .. } => "identity to serial".to_string(),
        Op::SerialChange { add: false, .. } => "make plain (drop default and sequence)".to_string(),
        Op::SetCollation { to, .. } => {
            format!("collation {}", to.as_ref().map_or("default".to_string(), |c| c.to_string()))
        }
        Op::SequenceOwnership { serial, adopt: true, .. } => {
            format!("serial: adopt sequence {}", serial.sequence)
        }
        Op::SequenceOwnership { adopt: false, .. } => "owned by none".to_string(),
        Op::SetLogged { unlogged: false, .. } => "set logged".to_string(),
        Op::SetEventTriggerEnabled { to, .. } => to.sql().to_string(),
        Op::ReplaceEnum { old, stage, .. } => match stage {
            EnumStage::CreateTemporary => {
                format!("make again as {}", crate::diff::temporary_type_name(&old.name))
            }
            EnumStage::Column { table, column, .. } => format!("convert {table}.{column}"),
            EnumStage::DropOld => "drop old type".to_string(),
            EnumStage::Rename => "rename into place".to_string(),
            EnumStage::Default { table, column, .. } => format!("default of {table}.{column}"),
        },
        _ => return None,
    })
}

fn type_change_word(change: &TypeChange) -> String {
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
