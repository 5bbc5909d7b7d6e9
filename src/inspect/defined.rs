//! Collations, aggregates, and text search dictionaries and configurations: objects in a schema that are
//! wholly described by the statements that make them, which their queries build from the catalog
//! (`sql/*_definition.sql`, shared with the plan's guards so that "present as planned" compares the same
//! text).

use crate::catalog::{Aggregate, Defined, ObjectKind, QualName};
use crate::scope::Scope;
use std::collections::BTreeMap;

/// Objects of `kind` in scope, by name.
pub(super) fn by_name(rows: Vec<Defined>, kind: ObjectKind, scope: &Scope) -> BTreeMap<QualName, Defined> {
    rows.into_iter()
        .filter(|d| scope.includes(kind, &d.name.to_string()))
        .map(|d| (d.name.clone(), d))
        .collect()
}

/// Aggregates in scope, by signature; scope patterns match their schema-qualified name, as for functions.
pub(super) fn aggregates(rows: Vec<Aggregate>, scope: &Scope) -> BTreeMap<String, Aggregate> {
    rows.into_iter()
        .filter(|a| scope.includes(ObjectKind::Aggregate, &a.name.to_string()))
        .map(|a| (a.signature.clone(), a))
        .collect()
}
