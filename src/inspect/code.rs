//! Views, functions and procedures, and the parts of tables and views that hold code (triggers, rules,
//! policies), each with PostgreSQL's own text of its definition; and the dependencies between modeled
//! objects.

use crate::catalog::{
    FiringState, Function, ObjectKey, ObjectKind, Policy, QualName, Rule, Table, Trigger, TypeDef, View,
};
use crate::scope::Scope;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn views(rows: Vec<View>, scope: &Scope) -> BTreeMap<QualName, View> {
    rows.into_iter()
        .filter(|v| scope.includes(ObjectKind::View, &v.name.to_string()))
        .map(|v| (v.name.clone(), v))
        .collect()
}

pub(super) fn types(rows: Vec<TypeDef>, scope: &Scope) -> BTreeMap<QualName, TypeDef> {
    rows.into_iter()
        .filter(|t| scope.includes(ObjectKind::Type, &t.name.to_string()))
        .map(|t| (t.name.clone(), t))
        .collect()
}

pub(super) fn functions(rows: Vec<Function>, scope: &Scope) -> BTreeMap<String, Function> {
    rows.into_iter()
        .filter(|f| scope.includes(ObjectKind::Function, &f.name.to_string()))
        .map(|f| (f.signature.clone(), f))
        .collect()
}

#[derive(Deserialize)]
struct PolicyRow {
    permissive: bool,
    command: String,
    roles: Vec<String>,
    using: Option<String>,
    with_check: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PartRow {
    kind: String,
    table: QualName,
    name: String,
    definition: Option<String>,
    policy: Option<PolicyRow>,
    comment: Option<String>,
    enabled: FiringState,
}

/// Adds triggers, rules and policies to the tables they belong to, and triggers and rules to views
/// (relations out of scope are absent).
pub(super) fn add_table_parts(
    tables: &mut BTreeMap<QualName, Table>,
    views: &mut BTreeMap<QualName, View>,
    rows: Vec<PartRow>,
    scope: &Scope,
) {
    for row in rows {
        let name = format!("{}.{}", row.table, row.name);
        let (triggers, rules, policies) = match tables.get_mut(&row.table) {
            Some(t) => (&mut t.triggers, &mut t.rules, Some(&mut t.policies)),
            None => match views.get_mut(&row.table) {
                Some(v) => (&mut v.triggers, &mut v.rules, None),
                None => continue,
            },
        };
        match (row.kind.as_str(), row.definition, row.policy) {
            ("trigger", Some(definition), _) if scope.includes(ObjectKind::Trigger, &name) => {
                triggers.insert(
                    row.name.clone(),
                    Trigger { name: row.name, definition, comment: row.comment, enabled: row.enabled },
                );
            }
            ("rule", Some(definition), _) if scope.includes(ObjectKind::Rule, &name) => {
                rules.insert(
                    row.name.clone(),
                    Rule { name: row.name, definition, comment: row.comment, enabled: row.enabled },
                );
            }
            ("policy", _, Some(p)) if scope.includes(ObjectKind::Policy, &name) => {
                let Some(policies) = policies else { continue };
                let policy = Policy {
                    name: row.name.clone(),
                    permissive: p.permissive,
                    command: p.command,
                    roles: p.roles,
                    using: p.using,
                    with_check: p.with_check,
                    comment: row.comment,
                };
                policies.insert(row.name, policy);
            }
            _ => {}
        }
    }
}

#[derive(Deserialize)]
pub(super) struct DependencyRow {
    from_kind: String,
    from_name: String,
    to_kind: String,
    to_name: String,
}

/// Dependencies between modeled objects, and on objects of kinds accrete does not model (`x:` kinds).
#[allow(clippy::type_complexity)]
pub(super) fn dependencies(
    rows: Vec<DependencyRow>,
) -> (BTreeMap<ObjectKey, BTreeSet<ObjectKey>>, BTreeMap<ObjectKey, BTreeSet<(String, String)>>) {
    let mut modeled: BTreeMap<ObjectKey, BTreeSet<ObjectKey>> = BTreeMap::new();
    let mut unmodeled: BTreeMap<ObjectKey, BTreeSet<(String, String)>> = BTreeMap::new();
    for row in rows {
        let Some(from) = ObjectKind::from_word(&row.from_kind) else { continue };
        let from = ObjectKey::new(from, row.from_name);
        if let Some(kind) = row.to_kind.strip_prefix("x:") {
            unmodeled.entry(from).or_default().insert((kind.to_string(), row.to_name));
        } else if let Some(to) = ObjectKind::from_word(&row.to_kind) {
            modeled.entry(from).or_default().insert(ObjectKey::new(to, row.to_name));
        }
    }
    (modeled, unmodeled)
}
