//! Privileges, written as the statements that give them: per schema `<schema>/grants.<ext>` (the grants on
//! its objects and its own default privileges), and `grants.<ext>` at the top for default privileges that
//! hold in every schema. Only what differs from PostgreSQL's defaults is written: a `GRANT` for what a
//! grantee holds beyond them, a `REVOKE` for a default taken away (PUBLIC's `EXECUTE` on a function). In
//! TOML files they are a top-level `sql` string. The statements are the ones plans use
//! ([`crate::plan::guards_grants`]).

use super::{Format, Writer};
use crate::catalog::{Acl, Catalog};
use crate::plan::guards_grants::{grant_statements, revoke_statements};
use std::collections::BTreeMap;

fn statements(acl: &Acl) -> Vec<String> {
    let mut out = Vec::new();
    let mut grantees: Vec<&String> = acl.grants.keys().collect();
    let public = "public".to_string();
    if !acl.grants.contains_key(&public) && !acl.on.public_default().is_empty() {
        grantees.push(&public);
        grantees.sort();
    }
    for grantee in grantees {
        if is_template_default(acl, grantee) {
            continue;
        }
        let default = acl.on.default_for(grantee);
        let held = acl.grants.get(grantee).cloned().unwrap_or_default();
        let granted = crate::diff::merge_privileges(&default, &held);
        out.extend(grant_statements(&acl.on, grantee, &default, &granted));
        out.extend(revoke_statements(&acl.on, grantee, &granted, &held));
    }
    out
}

/// PUBLIC's privileges on the `public` schema as every new database has them from its template: `USAGE`
/// (PostgreSQL 15 and later) or `CREATE, USAGE` (14). Nothing a schema file needs to say.
fn is_template_default(acl: &Acl, grantee: &str) -> bool {
    let names: Vec<&str> = acl
        .grants
        .get(grantee)
        .into_iter()
        .flatten()
        .filter(|p| !p.grantable)
        .map(|p| p.name.as_str())
        .collect();
    acl.on == crate::catalog::GrantOn::Schema("public".into())
        && grantee == "public"
        && acl.grants[grantee].len() == names.len()
        && (names == ["USAGE"] || names == ["CREATE", "USAGE"])
}

/// Adds the grants files.
pub(super) fn add(out: &mut Writer, catalog: &Catalog) {
    let mut by_schema: BTreeMap<Option<&str>, Vec<String>> = BTreeMap::new();
    for acl in catalog.privileges.values() {
        let lines = statements(acl);
        if !lines.is_empty() {
            by_schema.entry(acl.on.schema()).or_default().extend(lines);
        }
    }
    for (schema, lines) in by_schema {
        let sql: String = lines.iter().map(|l| format!("{l};\n")).collect();
        let text = match out.format {
            Format::Sql => sql,
            Format::Toml => format!("sql = {}\n", super::as_toml::sql_string(&sql)),
        };
        match schema {
            Some(schema) => out.add(schema, None, "grants", text),
            None => {
                out.files.insert(format!("grants.{}", out.format.extension()).into(), text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{GrantOn, Privilege, QualName};

    #[test]
    fn writes_what_differs_from_the_defaults() {
        let p = |name: &str, grantable| Privilege { name: name.into(), grantable };
        let on = GrantOn::Function("app.f()".into());
        let grants = [("reader".to_string(), vec![p("EXECUTE", true)])].into_iter().collect();
        let acl = Acl { on, owner: "o".into(), grants };
        assert_eq!(
            statements(&acl),
            [
                "REVOKE EXECUTE ON ROUTINE app.f() FROM PUBLIC",
                "GRANT EXECUTE ON ROUTINE app.f() TO reader WITH GRANT OPTION"
            ]
        );
        let on = GrantOn::Table(QualName::new("app", "t"));
        let grants = [("public".to_string(), vec![p("SELECT", false)])].into_iter().collect();
        assert_eq!(
            statements(&Acl { on, owner: "o".into(), grants }),
            ["GRANT SELECT ON TABLE app.t TO PUBLIC"]
        );
    }
}
