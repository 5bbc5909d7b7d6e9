//! Classifying a statement from sqlparser's parse, when it parses.
//!
//! sqlparser is the front door, not the judge: a statement it cannot parse (7% of a real-world corpus) is
//! classified by `keywords` instead, and so is every parsed statement whose variant this reader does not
//! map. Where both readers answer they agree; this one only adds precision (ALTER TABLE actions as sqlparser
//! sees them).

use super::Treatment;
use super::class::*;
use sqlparser::ast::{AlterColumnOperation, AlterTable, AlterTableOperation as Op, ObjectType, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The class of the statement with significant tokens `t`, when sqlparser parses it as exactly one
/// statement of a variant mapped here. `cleanup`: the statement says `IF EXISTS` somewhere.
pub(crate) fn classify(t: &[TokenWithSpan], cleanup: bool) -> Option<Class> {
    let statement = parse(t)?;
    let class = match statement {
        Statement::CreateTable(_)
        | Statement::CreateView(_)
        | Statement::CreateIndex(_)
        | Statement::CreateSchema { .. }
        | Statement::CreateFunction(_)
        | Statement::CreateProcedure { .. }
        | Statement::CreateTrigger(_)
        | Statement::CreateSequence { .. }
        | Statement::CreateDomain(_)
        | Statement::CreateType { .. }
        | Statement::CreateExtension(_)
        | Statement::CreatePolicy(_)
        | Statement::CreateCollation(_)
        | Statement::CreateOperator(_)
        | Statement::CreateOperatorFamily(_)
        | Statement::CreateOperatorClass(_)
        | Statement::CreateTextSearch(_) => DECLARE,
        Statement::CreateDatabase { .. } => Class::Reject(DATABASE),
        Statement::Drop { object_type, if_exists, .. } => match object_type {
            ObjectType::Database => Class::Reject(DATABASE),
            ObjectType::Role | ObjectType::User => Class::Reject(CLUSTER_OBJECT),
            _ => drop(if_exists),
        },
        Statement::DropFunction(d) => drop(d.if_exists),
        Statement::DropProcedure { if_exists, .. } => drop(if_exists),
        Statement::DropTrigger(d) => drop(d.if_exists),
        Statement::DropPolicy(d) => drop(d.if_exists),
        Statement::DropDomain(d) => drop(d.if_exists),
        Statement::DropExtension(d) => drop(d.if_exists),
        Statement::AlterTable(alter) => alter_table(&alter, cleanup)?,
        Statement::Insert(_) | Statement::Copy { .. } => DATA,
        Statement::Update(_) | Statement::Delete(_) | Statement::Truncate(_) | Statement::Merge(_) => {
            Class::Reject(DATA_CHANGE)
        }
        Statement::StartTransaction { .. } | Statement::Commit { .. } => SKIP,
        Statement::Rollback { .. } => Class::Reject(ROLLBACK),
        Statement::Set(_) | Statement::Reset(_) => Class::Keep(Treatment::Session),
        Statement::Call(_) => Class::Keep(Treatment::RunForEffect),
        _ => return None,
    };
    Some(class)
}

/// One statement, using all the tokens, or nothing.
fn parse(t: &[TokenWithSpan]) -> Option<Statement> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(t.to_vec());
    let statement = parser.parse_statement().ok()?;
    (parser.peek_token().token == Token::EOF).then_some(statement)
}

fn drop(if_exists: bool) -> Class {
    if if_exists { Class::Keep(Treatment::CleanupDrop) } else { Class::Reject(BARE_DROP) }
}

fn alter_table(alter: &AlterTable, cleanup: bool) -> Option<Class> {
    if alter.table_type.is_some() || alter.location.is_some() || alter.on_cluster.is_some() {
        return None;
    }
    let classes = alter.operations.iter().map(|op| operation(op, cleanup)).collect::<Option<Vec<_>>>()?;
    Some(combine(classes))
}

fn operation(op: &Op, cleanup: bool) -> Option<Class> {
    let class = match op {
        Op::AddConstraint { .. }
        | Op::AddColumn { .. }
        | Op::AttachPartition { .. }
        | Op::ReplicaIdentity { .. }
        | Op::ValidateConstraint { .. }
        | Op::SetOptionsParens { .. }
        | Op::SetLogged
        | Op::SetUnlogged
        | Op::EnableRowLevelSecurity
        | Op::DisableRowLevelSecurity
        | Op::ForceRowLevelSecurity
        | Op::NoForceRowLevelSecurity
        | Op::EnableTrigger { .. }
        | Op::DisableTrigger { .. }
        | Op::EnableAlwaysTrigger { .. }
        | Op::EnableReplicaTrigger { .. }
        | Op::EnableRule { .. }
        | Op::DisableRule { .. }
        | Op::EnableAlwaysRule { .. }
        | Op::EnableReplicaRule { .. } => DECLARE,
        Op::DropConstraint { .. } | Op::DropColumn { .. } => drop(cleanup),
        Op::DetachPartition { .. } => Class::Reject(DETACH),
        Op::RenameColumn { .. } | Op::RenameTable { .. } | Op::RenameConstraint { .. } => {
            Class::Reject(RENAME)
        }
        Op::OwnerTo { .. } => Class::Keep(Treatment::IgnoredOwner),
        Op::AlterColumn { op, .. } => match op {
            AlterColumnOperation::SetNotNull
            | AlterColumnOperation::SetDefault { .. }
            | AlterColumnOperation::SetDataType { .. }
            | AlterColumnOperation::AddGenerated { .. } => DECLARE,
            AlterColumnOperation::DropNotNull | AlterColumnOperation::DropDefault => drop(cleanup),
        },
        _ => return None,
    };
    Some(class)
}
