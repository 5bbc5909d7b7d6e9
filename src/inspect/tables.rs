//! Tables and their columns: identity, serial and generated columns are told apart here, from the raw
//! `attidentity`, `attgenerated` and default that the columns query returns.

use super::qualified;
use crate::catalog::{
    Column, Identity, ObjectKind, PartitionOf, QualName, ReplicaIdentity, SequenceOptions, Serial, Table,
};
use crate::scope::Scope;
use anyhow::{Result, bail};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

pub use crate::catalog::{VIRTUAL_SUFFIX, split_generated};

#[derive(Deserialize)]
pub(super) struct TableRow {
    name: QualName,
    partition_by: Option<String>,
    partition_of: Option<PartitionOf>,
    inherits: Vec<QualName>,
    unlogged: bool,
    rls_enabled: bool,
    rls_forced: bool,
    options: Vec<String>,
    replica_identity: Option<ReplicaIdentity>,
    comment: Option<String>,
}

pub(super) fn tables(rows: Vec<TableRow>, scope: &Scope) -> BTreeMap<QualName, Table> {
    rows.into_iter()
        .filter(|t| scope.includes(ObjectKind::Table, &t.name.to_string()))
        .map(|t| {
            let table = Table {
                name: t.name.clone(),
                partition_by: t.partition_by,
                partition_of: t.partition_of,
                inherits: t.inherits,
                unlogged: t.unlogged,
                columns: Vec::new(),
                constraints: BTreeMap::new(),
                indexes: BTreeMap::new(),
                rls_enabled: t.rls_enabled,
                rls_forced: t.rls_forced,
                options: t.options,
                replica_identity: t.replica_identity,
                comment: t.comment,
                ..Table::default()
            };
            (t.name, table)
        })
        .collect()
}

#[derive(Deserialize)]
pub(super) struct ColumnRow {
    table: QualName,
    name: String,
    position: i32,
    data_type: String,
    not_null: bool,
    /// PostgreSQL 18: the name of the column's own NOT NULL constraint, its `convalidated` and
    /// `connoinherit`; `None` before 18.
    not_null_constraint: Option<String>,
    not_null_validated: Option<bool>,
    not_null_no_inherit: Option<bool>,
    /// `attidentity`: empty, `a` or `d`.
    identity_kind: String,
    /// `attgenerated`: empty, `s` or `v`.
    generated_kind: String,
    default_expr: Option<String>,
    collation: Option<QualName>,
    comment: Option<String>,
    identity_options: Option<SequenceOptions>,
    serial: Option<Serial>,
}

impl ColumnRow {
    fn into_column(self) -> Result<Column> {
        let default_name = crate::catalog::default_not_null_name(&self.table.name, &self.name);
        let not_null_name = self.not_null_constraint.filter(|n| self.not_null && *n != default_name);
        let identity = match (self.identity_kind.as_str(), self.identity_options) {
            ("", _) => None,
            ("a" | "d", Some(options)) => Some(Identity { always: self.identity_kind == "a", options }),
            (kind, _) => bail!(
                "inspect: identity column {}.{} (attidentity {kind:?}) has no identity sequence",
                self.table,
                self.name
            ),
        };
        let generated = match (self.generated_kind.as_str(), &self.default_expr) {
            ("", _) => None,
            ("s", Some(expr)) => Some(expr.clone()),
            ("v", Some(expr)) => Some(format!("{expr}{VIRTUAL_SUFFIX}")),
            (kind, _) => bail!(
                "inspect: generated column {}.{} (attgenerated {kind:?}) has no expression",
                self.table,
                self.name
            ),
        };
        let default = if identity.is_some() || generated.is_some() || self.serial.is_some() {
            None
        } else {
            self.default_expr
        };
        Ok(Column {
            name: self.name,
            data_type: self.data_type,
            not_null: self.not_null,
            not_null_name,
            not_null_not_valid: self.not_null && self.not_null_validated == Some(false),
            not_null_no_inherit: self.not_null && self.not_null_no_inherit == Some(true),
            default,
            identity: identity.map(Box::new),
            serial: self.serial.map(Box::new),
            generated,
            collation: self.collation,
            comment: self.comment,
            position: self.position,
        })
    }
}

/// Puts each in-scope column on its table (in `attnum` order) and returns the names of all serial
/// sequences seen, in scope or not: those never count as free-standing sequences.
pub(super) fn add_columns(
    tables: &mut BTreeMap<QualName, Table>,
    rows: Vec<ColumnRow>,
    scope: &Scope,
) -> Result<BTreeSet<QualName>> {
    let mut serial_sequences = BTreeSet::new();
    for row in rows {
        if let Some(serial) = &row.serial {
            serial_sequences.insert(serial.sequence.clone());
        }
        let key = qualified(&row.table.to_string(), &row.name);
        let Some(table) = tables.get_mut(&row.table) else { continue };
        if scope.includes(ObjectKind::Column, &key) {
            table.columns.push(row.into_column()?);
        }
    }
    for table in tables.values_mut() {
        table.columns.sort_by_key(|c| c.position);
    }
    Ok(serial_sequences)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_text_round_trips_the_kind() {
        assert_eq!(split_generated("(a * 2)"), ("(a * 2)", false));
        assert_eq!(split_generated(&format!("(a * 2){VIRTUAL_SUFFIX}")), ("(a * 2)", true));
    }
}
