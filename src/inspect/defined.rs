//! The statement-defined kinds (`crate::kinds`) and aggregates: objects in a schema that are wholly
//! described by the statements that make them, which their queries build from the catalog (expressions
//! shared with the plan's guards so that "present as planned" compares the same text).

use crate::catalog::{Aggregate, Defined, ObjectKey, ObjectKind};
use crate::scope::Scope;
use std::collections::BTreeMap;

/// Objects of the statement-defined kinds in scope, by key; a user mapping only with its server.
pub(super) fn by_key(rows: Vec<Defined>, scope: &Scope) -> BTreeMap<ObjectKey, Defined> {
    rows.into_iter()
        .filter(|d| scope.includes(d.kind, &d.name.to_string()))
        .filter(|d| {
            d.kind != ObjectKind::UserMapping
                || scope
                    .includes(ObjectKind::ForeignServer, &crate::kinds::user_mapping::server_name(&d.name))
        })
        .map(|d| (d.key(), d))
        .collect()
}

/// Aggregates in scope, by signature; scope patterns match their schema-qualified name, as for functions.
pub(super) fn aggregates(rows: Vec<Aggregate>, scope: &Scope) -> BTreeMap<String, Aggregate> {
    rows.into_iter()
        .filter(|a| scope.includes(ObjectKind::Aggregate, &a.name.to_string()))
        .map(|a| (a.signature.clone(), a))
        .collect()
}
