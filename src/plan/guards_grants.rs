//! Guards and statements for privileges: `GRANT` and `REVOKE` on objects and columns, and `ALTER DEFAULT
//! PRIVILEGES ... GRANT/REVOKE`.
//!
//! A grant only adds and a revoke only removes, so each step has two outcomes, read from the object's ACL
//! as `aclexplode` shows it (NULL read as `acldefault`, every grantor counted): the privileges are already
//! as planned, skip with a notice; else act. A revoke checks again afterwards: what another grantor gave
//! survives a `REVOKE` and fails the step, naming that grantor. Whether the object moved away from the
//! planned state in between is `apply`'s manifest check (rule 5).

use super::guards::{do_block, execute_lines, fail, skip, text_array};
use crate::catalog::{GrantOn, Privilege, quote_ident, quote_literal};

/// The `ON ...` clause (for default privileges, the plural object word).
fn on_sql(on: &GrantOn) -> String {
    match on {
        GrantOn::Schema(s) => format!("SCHEMA {}", quote_ident(s)),
        GrantOn::Table(t) | GrantOn::Column(t, _) => format!("TABLE {}", t.sql()),
        GrantOn::Sequence(s) => format!("SEQUENCE {}", s.sql()),
        GrantOn::Function(signature) => format!("ROUTINE {signature}"),
        GrantOn::Type(t) => format!("TYPE {}", t.sql()),
        GrantOn::Default { objects, .. } => objects.to_uppercase(),
    }
}

/// `ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s ` before the grant or revoke, for default privileges.
fn prefix(on: &GrantOn) -> String {
    match on {
        GrantOn::Default { role, schema, .. } => format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {}{} ",
            quote_ident(role),
            schema.as_ref().map(|s| format!(" IN SCHEMA {}", quote_ident(s))).unwrap_or_default()
        ),
        _ => String::new(),
    }
}

fn grantee_sql(grantee: &str) -> String {
    if grantee == "public" { "PUBLIC".into() } else { quote_ident(grantee) }
}

/// `SELECT, UPDATE`, or for a column `SELECT (c), UPDATE (c)`.
fn list(on: &GrantOn, names: &[&str]) -> String {
    let column = match on {
        GrantOn::Column(_, c) => format!(" ({})", quote_ident(c)),
        _ => String::new(),
    };
    names.iter().map(|n| format!("{n}{column}")).collect::<Vec<_>>().join(", ")
}

/// The `GRANT` statements that take `from` to `to` (one without and one with grant option).
pub fn grant_statements(on: &GrantOn, grantee: &str, from: &[Privilege], to: &[Privilege]) -> Vec<String> {
    let added: Vec<&Privilege> = to.iter().filter(|p| !from.contains(p)).collect();
    let mut out = Vec::new();
    for grantable in [false, true] {
        let names: Vec<&str> =
            added.iter().filter(|p| p.grantable == grantable).map(|p| p.name.as_str()).collect();
        if !names.is_empty() {
            out.push(format!(
                "{}GRANT {} ON {} TO {}{}",
                prefix(on),
                list(on, &names),
                on_sql(on),
                grantee_sql(grantee),
                if grantable { " WITH GRANT OPTION" } else { "" }
            ));
        }
    }
    out
}

/// Privilege names `to` lacks, and names it keeps without the grant option `from` had.
fn removed<'a>(from: &'a [Privilege], to: &[Privilege]) -> (Vec<&'a str>, Vec<&'a str>) {
    let gone =
        from.iter().filter(|p| !to.iter().any(|t| t.name == p.name)).map(|p| p.name.as_str()).collect();
    let options = from
        .iter()
        .filter(|p| p.grantable && to.iter().any(|t| t.name == p.name && !t.grantable))
        .map(|p| p.name.as_str())
        .collect();
    (gone, options)
}

/// The `REVOKE` statements that take `from` to `to`.
pub fn revoke_statements(on: &GrantOn, grantee: &str, from: &[Privilege], to: &[Privilege]) -> Vec<String> {
    let (gone, options) = removed(from, to);
    let mut out = Vec::new();
    for (names, clause) in [(gone, ""), (options, "GRANT OPTION FOR ")] {
        if !names.is_empty() {
            out.push(format!(
                "{}REVOKE {clause}{} ON {} FROM {}",
                prefix(on),
                list(on, &names),
                on_sql(on),
                grantee_sql(grantee)
            ));
        }
    }
    out
}

/// The object's ACL as SQL (NULL read as `acldefault`; NULL when the object does not exist).
fn acl(on: &GrantOn) -> String {
    let role_oid =
        |r: &str| format!("(SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = {})", quote_literal(r));
    match on {
        GrantOn::Schema(s) => format!(
            "(SELECT coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner)) FROM pg_catalog.pg_namespace n WHERE n.nspname = {})",
            quote_literal(s)
        ),
        GrantOn::Table(t) | GrantOn::Sequence(t) => format!(
            "(SELECT coalesce(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)) \
             FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass({}))",
            quote_literal(&t.sql())
        ),
        GrantOn::Column(t, c) => format!(
            "(SELECT a.attacl FROM pg_catalog.pg_attribute a WHERE a.attrelid = pg_catalog.to_regclass({}) AND a.attname = {})",
            quote_literal(&t.sql()),
            quote_literal(c)
        ),
        GrantOn::Function(signature) => format!(
            "(SELECT coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner)) FROM pg_catalog.pg_proc p \
             WHERE p.oid = pg_catalog.to_regprocedure({}))",
            quote_literal(signature)
        ),
        GrantOn::Type(t) => format!(
            "(SELECT coalesce(t.typacl, pg_catalog.acldefault('T', t.typowner)) FROM pg_catalog.pg_type t \
             WHERE t.oid = pg_catalog.to_regtype({}))",
            quote_literal(&t.sql())
        ),
        GrantOn::Default { role, schema, objects } => {
            let (stored, builtin) = match objects.as_str() {
                "tables" => ("r", "r"),
                "sequences" => ("S", "s"),
                "functions" => ("f", "f"),
                "types" => ("T", "T"),
                _ => ("n", "n"),
            };
            let namespace = match schema {
                Some(s) => format!(
                    "(SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = {})",
                    quote_literal(s)
                ),
                None => "0".into(),
            };
            let row = format!(
                "(SELECT d.defaclacl FROM pg_catalog.pg_default_acl d WHERE d.defaclrole = {} \
                 AND d.defaclnamespace = {namespace} AND d.defaclobjtype = '{stored}')",
                role_oid(role)
            );
            match schema {
                // Without a row, a role's global defaults are PostgreSQL's built-in ones.
                None => format!("coalesce({row}, pg_catalog.acldefault('{builtin}', {}))", role_oid(role)),
                Some(_) => row,
            }
        }
    }
}

/// The grantee's privileges on the object (`grantable`: only those held with grant option), as text[].
fn held(on: &GrantOn, grantee: &str, grantable: bool) -> String {
    let oid = if grantee == "public" {
        "0".to_string()
    } else {
        format!("(SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = {})", quote_literal(grantee))
    };
    format!(
        "ARRAY(SELECT e.privilege_type FROM pg_catalog.aclexplode({}) e WHERE e.grantee = {oid}{})",
        acl(on),
        if grantable { " AND e.is_grantable" } else { "" }
    )
}

fn owned(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(String::from).collect()
}

fn object_words(on: &GrantOn, grantee: &str) -> String {
    format!("privileges of {} on {on}", grantee_sql(grantee))
}

pub(super) fn grant(
    step: usize,
    on: &GrantOn,
    grantee: &str,
    from: &[Privilege],
    to: &[Privilege],
) -> String {
    let names: Vec<&str> = to.iter().map(|p| p.name.as_str()).collect();
    let options: Vec<&str> = to.iter().filter(|p| p.grantable).map(|p| p.name.as_str()).collect();
    let done = format!(
        "{} @> {} AND {} @> {}",
        held(on, grantee, false),
        text_array(&owned(names)),
        held(on, grantee, true),
        text_array(&owned(options))
    );
    let actions = execute_lines(&grant_statements(on, grantee, from, to));
    do_block(&format!(
        "  IF {done} THEN\n    {}\n  ELSE\n{actions}  END IF;\n",
        skip(step, &format!("{} are as planned", object_words(on, grantee)))
    ))
}

pub(super) fn revoke(
    step: usize,
    on: &GrantOn,
    grantee: &str,
    from: &[Privilege],
    to: &[Privilege],
) -> String {
    let (gone, options) = removed(from, to);
    let done = format!(
        "NOT ({} && {}) AND NOT ({} && {})",
        held(on, grantee, false),
        text_array(&owned(gone)),
        held(on, grantee, true),
        text_array(&owned(options))
    );
    let actions = execute_lines(&revoke_statements(on, grantee, from, to));
    do_block(&format!(
        "  IF {done} THEN\n    {}\n  ELSE\n{actions}    IF NOT ({done}) THEN\n      {}\n    END IF;\n  END IF;\n",
        skip(step, &format!("{} are as planned", object_words(on, grantee))),
        fail(
            step,
            &format!(
                "{} still include what was revoked: another role granted it; revoke it as that role (see aclexplode)",
                object_words(on, grantee)
            )
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::QualName;

    fn p(name: &str, grantable: bool) -> Privilege {
        Privilege { name: name.into(), grantable }
    }

    #[test]
    fn statements_split_by_grant_option() {
        let on = GrantOn::Column(QualName::new("app", "t"), "Email".into());
        assert_eq!(
            grant_statements(&on, "reader", &[p("SELECT", false)], &[p("SELECT", true), p("UPDATE", false)]),
            [
                "GRANT UPDATE (\"Email\") ON TABLE app.t TO reader",
                "GRANT SELECT (\"Email\") ON TABLE app.t TO reader WITH GRANT OPTION"
            ]
        );
        let on =
            GrantOn::Default { role: "owner".into(), schema: Some("app".into()), objects: "tables".into() };
        assert_eq!(
            revoke_statements(&on, "public", &[p("SELECT", true), p("INSERT", false)], &[p("SELECT", false)]),
            [
                "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA app REVOKE INSERT ON TABLES FROM PUBLIC",
                "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA app REVOKE GRANT OPTION FOR SELECT ON TABLES FROM PUBLIC"
            ]
        );
    }
}
