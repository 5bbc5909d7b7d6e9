//! Foreign servers: `CREATE SERVER` with type, version, wrapper and options (`sql/foreign_server.sql`).
//! Database-wide. Created after their wrapper (`pg_depend`; a wrapper an extension made counts as the
//! extension there), dropped before it. Changed options and a changed version are altered in place
//! (`ALTER SERVER ... VERSION '...' OPTIONS (SET ..., ADD ..., DROP ...)`); another type or wrapper, or a
//! version removed (SQL has no way to), is reported and not planned.
//!
//! Secrets live in user mappings (`CREATE USER MAPPING ... OPTIONS (password ...)`), which are modeled by
//! their option names only (`user_mapping.rs`), so no value of one can reach a plan, a report, a pull or a
//! log.

use super::alter::{Alteration, Reach, cut_options, find_top, options_change};
use super::{Kind, never};
use crate::catalog::{ObjectKind, QualName};

/// `CREATE SERVER s [TYPE 't'] [VERSION 'v'] FOREIGN DATA WRAPPER w`: the head without its version, and
/// the version.
fn version(head: &str) -> Option<(String, Option<&str>)> {
    let Some(at) = find_top(head, 0, " VERSION '") else { return Some((head.to_string(), None)) };
    let end = find_top(head, at + 1, " FOREIGN DATA WRAPPER ")?;
    Some((format!("{}{}", &head[..at], &head[end..]), Some(&head[at + " VERSION ".len()..end])))
}

fn alter(name: &QualName, live: &str, declared: &str) -> Option<Alteration> {
    let (live_head, live_options, "") = cut_options(live)? else { return None };
    let (head, options, "") = cut_options(declared)? else { return None };
    let ((live_rest, live_version), (rest, version)) = (version(live_head)?, version(head)?);
    if live_rest != rest || (live_version.is_some() && version.is_none()) {
        return None;
    }
    let mut actions = Vec::new();
    if let Some(v) = version.filter(|_| version != live_version) {
        actions.push(format!("VERSION {v}"));
    }
    actions.extend(options_change(&live_options, &options));
    let statement = format!("ALTER SERVER {} {}", crate::catalog::quote_ident(&name.name), actions.join(" "));
    (!actions.is_empty()).then(|| Alteration { statements: vec![statement], reach: Reach::Changes })
}

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::ForeignServer,
    keyword: "SERVER",
    words: "foreign server",
    plural: "foreign_servers",
    table: "pg_foreign_server",
    alias: "fs",
    prefix: "srv",
    to_reg: None,
    filter: None,
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/foreign_server.sql"),
    create_rank: 5,
    drop_rank: 16,
    mentioned_in: never,
    alter: Some(alter),
    by_hand: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_version_are_altered_in_place() {
        let name = QualName::new("", "remote");
        let live = "CREATE SERVER remote VERSION '1' FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'a', host 'h')";
        let declared = "CREATE SERVER remote VERSION '2' FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'b', port '5433')";
        assert_eq!(
            alter(&name, live, declared).unwrap().statements,
            ["ALTER SERVER remote VERSION '2' OPTIONS (SET dbname 'b', ADD port '5433', DROP host)"]
        );
        let no_version =
            "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'a', host 'h')";
        assert_eq!(alter(&name, live, no_version), None, "a version cannot be removed");
        let other_wrapper = "CREATE SERVER remote VERSION '1' FOREIGN DATA WRAPPER file_fdw";
        assert_eq!(alter(&name, live, other_wrapper), None);
    }
}
