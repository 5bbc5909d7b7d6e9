//! Privileges: what a grantee holds on an object, and the defaults an object starts with.

use super::{Catalog, ObjectKey, ObjectKind, QualName};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One privilege a grantee holds: `SELECT`, `USAGE`, `EXECUTE` ... (as `aclexplode` names it), and whether
/// it holds it `WITH GRANT OPTION`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Privilege {
    pub name: String,
    pub grantable: bool,
}

/// What privileges are on: an object, a column, or the default privileges of a role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantOn {
    Schema(String),
    /// A table, view or materialized view (`GRANT ... ON TABLE` serves all three).
    Table(QualName),
    Sequence(QualName),
    Column(QualName, String),
    /// A function, procedure or aggregate by signature (`GRANT ... ON ROUTINE` serves all three).
    Function(String),
    /// A type, domain or enum.
    Type(QualName),
    /// `ALTER DEFAULT PRIVILEGES FOR ROLE role [IN SCHEMA schema] ... ON objects`: `objects` is `tables`,
    /// `sequences`, `functions`, `types` or `schemas`.
    Default {
        role: String,
        schema: Option<String>,
        objects: String,
    },
}

impl GrantOn {
    /// The identity: `table:app.t`, `column:app.t.c`, `function:app.f(integer)`, `default:owner:app:tables`
    /// (`default:owner::functions` without a schema). A grant's key name adds `:grantee`.
    pub fn id(&self) -> String {
        match self {
            GrantOn::Schema(s) => format!("schema:{s}"),
            GrantOn::Table(t) => format!("table:{t}"),
            GrantOn::Sequence(s) => format!("sequence:{s}"),
            GrantOn::Column(t, c) => format!("column:{t}.{c}"),
            GrantOn::Function(signature) => format!("function:{signature}"),
            GrantOn::Type(t) => format!("type:{t}"),
            GrantOn::Default { role, schema, objects } => {
                format!("default:{role}:{}:{objects}", schema.as_deref().unwrap_or(""))
            }
        }
    }

    /// The schema the object lives in (`None` for default privileges without one).
    pub fn schema(&self) -> Option<&str> {
        match self {
            GrantOn::Schema(s) => Some(s),
            GrantOn::Table(t) | GrantOn::Sequence(t) | GrantOn::Column(t, _) | GrantOn::Type(t) => {
                Some(&t.schema)
            }
            GrantOn::Function(signature) => signature.split('.').next(),
            GrantOn::Default { schema, .. } => schema.as_deref(),
        }
    }

    /// The keys the object may have (a relation is a table, a view or a foreign table, a routine a
    /// function or an aggregate ...: [`ObjectKind::granted_on`]); for a column its own and its table's; for
    /// default privileges in a schema, the schema.
    pub fn object_keys(&self) -> Vec<ObjectKey> {
        let of = |object_type: &str, name: String| {
            ObjectKind::granted_on(object_type).map(|kind| ObjectKey::new(kind, name.clone())).collect()
        };
        match self {
            GrantOn::Schema(s) => of("schema", s.clone()),
            GrantOn::Table(t) => of("table", t.to_string()),
            GrantOn::Sequence(s) => of("sequence", s.to_string()),
            GrantOn::Column(t, c) => {
                let mut keys = vec![ObjectKey::column(t, c)];
                keys.extend(of("table", t.to_string()));
                keys
            }
            GrantOn::Function(signature) => of("function", signature.clone()),
            GrantOn::Type(t) => of("type", t.to_string()),
            GrantOn::Default { schema, .. } => schema.iter().map(|s| ObjectKey::schema(s)).collect(),
        }
    }

    /// What PostgreSQL grants PUBLIC on such an object when its ACL is NULL (`acldefault`): `EXECUTE` on
    /// routines, `USAGE` on types, nothing on the others. The owner's own default entry is never modeled.
    pub fn public_default(&self) -> Vec<Privilege> {
        let name = match self {
            GrantOn::Function(_) => "EXECUTE",
            GrantOn::Type(_) => "USAGE",
            GrantOn::Default { schema: None, objects, .. } if objects == "functions" => "EXECUTE",
            GrantOn::Default { schema: None, objects, .. } if objects == "types" => "USAGE",
            _ => return vec![],
        };
        vec![Privilege { name: name.into(), grantable: false }]
    }

    /// The privileges `grantee` holds where nothing was granted or revoked (a NULL ACL, or no
    /// `pg_default_acl` row).
    pub fn default_for(&self, grantee: &str) -> Vec<Privilege> {
        if grantee == "public" { self.public_default() } else { vec![] }
    }
}

impl fmt::Display for GrantOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

/// The normalized ACL of one object (or one role's default privileges).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acl {
    pub on: GrantOn,
    /// The owner (the role of default privileges); its own entry is not in `grants`. Not part of any digest.
    pub owner: String,
    /// Privileges by grantee (`public` for PUBLIC), each list sorted; no empty list, except PUBLIC's in a
    /// `pg_default_acl` row that revoked its default (so that "revoked" differs from "no row").
    pub grants: BTreeMap<String, Vec<Privilege>>,
}

impl Catalog {
    /// The privileges PostgreSQL gives an object on `on` when `owner` creates it, by grantee (the owner's
    /// own left out): `owner`'s global default privileges for the kind (`ALTER DEFAULT PRIVILEGES` without
    /// `IN SCHEMA`), or PostgreSQL's built-in defaults where there is no such row, with those for the
    /// object's schema added. A column starts with none.
    pub fn initial_grants(&self, on: &GrantOn, owner: &str) -> BTreeMap<String, Vec<Privilege>> {
        let objects = match on {
            GrantOn::Schema(_) => "schemas",
            GrantOn::Table(_) => "tables",
            GrantOn::Sequence(_) => "sequences",
            GrantOn::Function(_) => "functions",
            GrantOn::Type(_) => "types",
            GrantOn::Column(..) | GrantOn::Default { .. } => return BTreeMap::new(),
        };
        let default = |schema: Option<&str>| GrantOn::Default {
            role: owner.to_string(),
            schema: schema.map(str::to_string),
            objects: objects.to_string(),
        };
        let mut out: BTreeMap<String, Vec<Privilege>> = match self.privileges.get(&default(None).id()) {
            Some(acl) => acl.grants.clone(),
            None => BTreeMap::from([("public".to_string(), on.public_default())]),
        };
        let schema = match on {
            GrantOn::Schema(_) => None,
            other => other.schema(),
        };
        if let Some(acl) = schema.and_then(|s| self.privileges.get(&default(Some(s)).id())) {
            for (grantee, privileges) in &acl.grants {
                let held = out.entry(grantee.clone()).or_default();
                for p in privileges {
                    match held.iter_mut().find(|h| h.name == p.name) {
                        Some(h) => h.grantable |= p.grantable,
                        None => held.push(p.clone()),
                    }
                }
                held.sort();
            }
        }
        out.remove(owner);
        out.retain(|_, privileges| !privileges.is_empty());
        out
    }
}
