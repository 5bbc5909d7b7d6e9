//! User mappings: `CREATE USER MAPPING FOR role|PUBLIC SERVER srv` with the NAMES of its options only
//! (`sql/user_mapping.sql`). Database-wide, named `role@server` (each part quoted as SQL where needed,
//! `public@srv` for PUBLIC), read from `pg_user_mappings`. Created after its server (`pg_depend`), dropped
//! before it.
//!
//! An option's value may be a secret (a password), so no value is ever read, compared or written: the
//! definition prints every option with an empty value (`OPTIONS (password '', user '')`), on both sides.
//! Schema files declare a mapping the same way, values empty; a value in a file is refused
//! (`source`, code `secret-in-schema-file`). A plan creates the mapping with empty values, and its header
//! lists, as a step to run by hand after apply, the `ALTER USER MAPPING ... OPTIONS (SET ...)` that gives
//! each option its value. Changed options are reported and not planned, like every kind here.

use super::{Kind, never};
use crate::catalog::{Defined, ObjectKind, QualName};

fn name_sql(a: &str) -> String {
    format!(
        "(CASE WHEN {a}.umuser = 0 THEN 'public' ELSE quote_ident({a}.usename) END || '@' || quote_ident({a}.srvname))"
    )
}

/// The role and the server of a mapping's name (`"a@b"@srv` → `"a@b"`, `srv`), both as SQL; the role
/// `PUBLIC` for `public`.
fn parts(name: &QualName) -> (String, String) {
    let n = &name.name;
    let split = if n.starts_with('"') {
        // A quoted identifier ends at a quote not doubled.
        super::alter::closing_quote(n.as_bytes(), 0, false) + 1
    } else {
        n.find('@').unwrap_or(n.len())
    };
    let role = &n[..split.min(n.len())];
    let server = n.get(split + 1..).unwrap_or("");
    let role = if role == "public" { "PUBLIC".to_string() } else { role.to_string() };
    (role, server.to_string())
}

/// The server's own name (unquoted) of a mapping's name: a mapping is in scope only with its server.
pub fn server_name(name: &QualName) -> String {
    let (_, server) = parts(name);
    match server.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => server,
    }
}

fn drop(name: &QualName) -> String {
    let (role, server) = parts(name);
    format!("DROP USER MAPPING FOR {role} SERVER {server}")
}

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::UserMapping,
    keyword: "USER MAPPING",
    words: "user mapping",
    plural: "user_mappings",
    table: "pg_user_mappings",
    alias: "um",
    prefix: "um",
    to_reg: None,
    filter: None,
    name_sql: Some(name_sql),
    oid_column: "umid",
    drop: Some(drop),
    definition: include_str!("sql/user_mapping.sql"),
    create_rank: 6,
    drop_rank: 16,
    mentioned_in: never,
    alter: None,
    by_hand: Some(by_hand),
};

/// What to run by hand after apply for a new mapping: the `ALTER USER MAPPING ... OPTIONS (SET ...)` that
/// gives each option its value (accrete creates it with empty values); `None` for one without options.
fn by_hand(mapping: &Defined) -> Option<String> {
    let names = option_names(&mapping.definition);
    if names.is_empty() {
        return None;
    }
    let (role, server) = parts(&mapping.name);
    let set: Vec<String> = names.iter().map(|n| format!("SET {n} '...'")).collect();
    Some(format!("ALTER USER MAPPING FOR {role} SERVER {server} OPTIONS ({});", set.join(", ")))
}

/// The option names of a mapping's definition (`OPTIONS (password '', user '')` → `password`, `user`).
fn option_names(definition: &str) -> Vec<String> {
    let Some(at) = definition.find(" OPTIONS (") else { return Vec::new() };
    let inner = definition[at + " OPTIONS (".len()..].trim_end_matches(')');
    inner.split(", ").filter_map(|o| o.strip_suffix(" ''")).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_splits_into_role_and_server() {
        let p = |n: &str| parts(&QualName::new("", n));
        assert_eq!(p("app_reader@remote"), ("app_reader".into(), "remote".into()));
        assert_eq!(p("public@remote"), ("PUBLIC".into(), "remote".into()));
        assert_eq!(p("\"a@\"\"b\"@\"Srv\""), ("\"a@\"\"b\"".into(), "\"Srv\"".into()));
        assert_eq!(drop(&QualName::new("", "public@files")), "DROP USER MAPPING FOR PUBLIC SERVER files");
        assert_eq!(server_name(&QualName::new("", "a@\"S\"\"rv\"")), "S\"rv");
    }

    #[test]
    fn option_names_are_read_from_the_definition() {
        assert_eq!(
            option_names("CREATE USER MAPPING FOR a SERVER s OPTIONS (password '', \"user\" '')"),
            ["password", "\"user\""]
        );
        assert!(option_names("CREATE USER MAPPING FOR a SERVER s").is_empty());
    }
}
