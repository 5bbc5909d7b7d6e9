//! Schemas, extensions, event triggers, enum types and free-standing sequences: their query rows (shaped
//! like the catalog types, so they decode straight into them) filtered by the scope's exclude patterns.
//! Extensions and event triggers are database-wide: in scope whatever schemas the scope names, unless a
//! pattern of their kind (or `*`) excludes them.

use crate::catalog::{EnumType, EventTrigger, Extension, ObjectKind, QualName, Schema, Sequence};
use crate::scope::Scope;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn schemas(rows: Vec<Schema>, scope: &Scope) -> BTreeMap<String, Schema> {
    rows.into_iter()
        .filter(|s| scope.includes(ObjectKind::Schema, &s.name))
        .map(|s| (s.name.clone(), s))
        .collect()
}

pub(super) fn extensions(rows: Vec<Extension>, scope: &Scope) -> BTreeMap<String, Extension> {
    rows.into_iter()
        .filter(|e| scope.includes(ObjectKind::Extension, &e.name))
        .map(|e| (e.name.clone(), e))
        .collect()
}

pub(super) fn event_triggers(rows: Vec<EventTrigger>, scope: &Scope) -> BTreeMap<String, EventTrigger> {
    rows.into_iter()
        .filter(|e| scope.includes(ObjectKind::EventTrigger, &e.name))
        .map(|e| (e.name.clone(), e))
        .collect()
}

pub(super) fn enums(rows: Vec<EnumType>, scope: &Scope) -> BTreeMap<QualName, EnumType> {
    rows.into_iter()
        .filter(|e| scope.includes(ObjectKind::Enum, &e.name.to_string()))
        .map(|e| (e.name.clone(), e))
        .collect()
}

/// Sequences in scope, without those that are a serial column's (`serial_sequences`): those are an
/// attribute of their column.
pub(super) fn sequences(
    rows: Vec<Sequence>,
    serial_sequences: &BTreeSet<QualName>,
    scope: &Scope,
) -> BTreeMap<QualName, Sequence> {
    rows.into_iter()
        .filter(|s| !serial_sequences.contains(&s.name))
        .filter(|s| scope.includes(ObjectKind::Sequence, &s.name.to_string()))
        .map(|s| (s.name.clone(), s))
        .collect()
}
