//! Privileges: the normalized ACLs of objects in scope (`sql/privileges.sql`), default privileges
//! (`sql/default_privileges.sql`) and the server's role names (`sql/roles.sql`).
//!
//! Invariants: an object's grants hold every grantee but its owner, each with a sorted, duplicate-free list
//! of privileges (never empty); a global `pg_default_acl` row for functions or types holds an entry for
//! PUBLIC even when empty, so that a revoked default differs from no row at all. Objects the scope excludes
//! (by their own kind's patterns) are left out with their grants.

use crate::catalog::{Acl, GrantOn, ObjectKind, Privilege, QualName};
use crate::scope::Scope;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
pub(super) struct AclRow {
    kind: String,
    schema: String,
    name: Option<String>,
    column: Option<String>,
    signature: Option<String>,
    owner: String,
    grants: Vec<(String, String, bool)>,
}

#[derive(Deserialize)]
pub(super) struct DefaultRow {
    role: String,
    schema: Option<String>,
    objects: String,
    grants: Vec<(String, String, bool)>,
}

#[derive(Deserialize)]
pub(super) struct RoleRow {
    name: String,
}

/// Entries as (grantee, privilege, grantable) into privilege lists by grantee.
fn by_grantee(entries: Vec<(String, String, bool)>) -> BTreeMap<String, Vec<Privilege>> {
    let mut out: BTreeMap<String, Vec<Privilege>> = BTreeMap::new();
    for (grantee, name, grantable) in entries {
        out.entry(grantee).or_default().push(Privilege { name, grantable });
    }
    for list in out.values_mut() {
        list.sort();
        list.dedup();
    }
    out
}

/// The object a row's privileges are on, and the kinds it may be (a column's: its table's).
fn grant_on(row: &AclRow) -> Option<(GrantOn, Vec<ObjectKind>)> {
    let qual = || row.name.as_ref().map(|n| QualName::new(&row.schema, n));
    let on = match row.kind.as_str() {
        "schema" => GrantOn::Schema(row.schema.clone()),
        "table" => GrantOn::Table(qual()?),
        "sequence" => GrantOn::Sequence(qual()?),
        "column" => GrantOn::Column(qual()?, row.column.clone()?),
        "function" => GrantOn::Function(row.signature.clone()?),
        "type" => GrantOn::Type(qual()?),
        _ => return None,
    };
    let object_type = if row.kind == "column" { "table" } else { row.kind.as_str() };
    Some((on, ObjectKind::granted_on(object_type).collect()))
}

pub(super) fn object_acls(rows: Vec<AclRow>, scope: &Scope) -> BTreeMap<String, Acl> {
    let mut out = BTreeMap::new();
    for row in rows {
        let Some((on, kinds)) = grant_on(&row) else { continue };
        let name = match &on {
            GrantOn::Schema(s) => s.clone(),
            _ => format!("{}.{}", row.schema, row.name.clone().unwrap_or_default()),
        };
        if !kinds.iter().all(|k| scope.includes(*k, &name)) {
            continue;
        }
        out.insert(on.id(), Acl { on, owner: row.owner, grants: by_grantee(row.grants) });
    }
    out
}

pub(super) fn default_acls(rows: Vec<DefaultRow>, acls: &mut BTreeMap<String, Acl>) {
    for row in rows {
        let on = GrantOn::Default { role: row.role.clone(), schema: row.schema, objects: row.objects };
        let mut grants = by_grantee(row.grants);
        if !on.public_default().is_empty() {
            grants.entry("public".to_string()).or_default();
        }
        acls.insert(on.id(), Acl { on, owner: row.role, grants });
    }
}

pub(super) fn roles(rows: Vec<RoleRow>) -> BTreeSet<String> {
    rows.into_iter().map(|r| r.name).collect()
}
