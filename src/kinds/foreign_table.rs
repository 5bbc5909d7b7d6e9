//! Foreign tables: `CREATE FOREIGN TABLE` with its local columns (type, collation, column options, NOT
//! NULL, default), CHECK constraints, `INHERITS` or `PARTITION OF`, server and options, and its columns'
//! comments (`sql/foreign_table.sql`). Rows of `pg_class` with relkind `f`. Created after its server (the
//! catalog's `pg_depend`) and after tables and types (rank), dropped before its server; grants on it are a
//! table's (`GrantOn::Table`).
//!
//! A foreign table holds no local data, but a view may use it, so it is altered in place where one
//! `ALTER FOREIGN TABLE` can do it ([`alter`]): columns added after the ones it has (add class), columns
//! dropped from its end (drop class), the table's and its columns' options and its columns' comments
//! (alter class). Anything else (a column's type, another server, a CHECK) is reported (`changed`) and not
//! planned. Triggers on foreign tables stay unmodeled (counted in `unmodeled.sql`).

use super::Kind;
use super::alter::{Alteration, Reach, closing, cut_options, find_top, options_change, split_top};
use crate::catalog::{ObjectKind, QualName};

/// A foreign table's printed statements taken apart: the `CREATE FOREIGN TABLE name` before its column
/// list, its columns and constraints, what follows the list up to `SERVER` (INHERITS, a partition bound),
/// the server and its options, and the `COMMENT ON COLUMN` statements.
struct Parts<'a> {
    head: &'a str,
    columns: Vec<&'a str>,
    constraints: Vec<&'a str>,
    middle: &'a str,
    server: &'a str,
    options: Vec<(&'a str, &'a str)>,
    comments: Vec<&'a str>,
}

fn parts(definition: &str) -> Option<Parts<'_>> {
    let mut statements = split_top(definition, ";");
    let main = statements.remove(0);
    let comments = statements.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect();
    let at = find_top(main, 0, " SERVER ")?;
    let (before, server_part) = (&main[..at], &main[at..]);
    let (server, options, "") = cut_options(server_part)? else { return None };
    let (head, elements, middle) = match find_top(before, 0, " (") {
        Some(open) if !before[..open].contains(" PARTITION OF ") => {
            let close = closing(before, open + 1)?;
            let inner = &before[open + 2..close];
            let elements = if inner.is_empty() { Vec::new() } else { split_top(inner, ", ") };
            (&before[..open], elements, &before[close + 1..])
        }
        _ => (before, Vec::new(), ""),
    };
    let (constraints, columns) = elements.into_iter().partition(|e| e.starts_with("CONSTRAINT "));
    Some(Parts { head, columns, constraints, middle, server, options, comments })
}

/// A column element's name as printed (`"a b"` or `a`).
fn column_name(element: &str) -> &str {
    find_top(element, 0, " ").map_or(element, |space| &element[..space])
}

/// The column a `COMMENT ON COLUMN t.c IS ...` statement is on (`t.c`, as printed).
fn comment_on(comment: &str) -> &str {
    find_top(comment, 0, " IS ").map_or(comment, |at| &comment[..at])
}

/// The statements that turn a foreign table printed as `live` into one printed as `declared`, when
/// `ALTER FOREIGN TABLE` can: the columns both have come first in both, in the same order, alike but for
/// their options; the rest of the live columns are dropped and the rest of the declared ones added. The
/// constraints, the server, and what is not a column list (a partition's bound) must be alike.
fn alter(name: &QualName, live: &str, declared: &str) -> Option<Alteration> {
    let (l, d) = (parts(live)?, parts(declared)?);
    if l.head != d.head || l.middle != d.middle || l.server != d.server || l.constraints != d.constraints {
        return None;
    }
    let common =
        l.columns.iter().zip(&d.columns).take_while(|(a, b)| column_name(a) == column_name(b)).count();
    let mut actions = Vec::new();
    let mut reach = Reach::Adds;
    for (a, b) in l.columns[..common].iter().zip(&d.columns[..common]) {
        if a == b {
            continue;
        }
        let (a_rest, a_options, a_after) = cut_options(a)?;
        let (b_rest, b_options, b_after) = cut_options(b)?;
        if a_rest != b_rest || a_after != b_after {
            return None;
        }
        actions.extend(
            options_change(&a_options, &b_options).map(|o| format!("ALTER COLUMN {} {o}", column_name(b))),
        );
        reach = reach.max(Reach::Changes);
    }
    let dropped = &l.columns[common..];
    let added = &d.columns[common..];
    if dropped.iter().any(|a| added.iter().any(|b| column_name(a) == column_name(b))) {
        // A column moved, or changed in more than its options.
        return None;
    }
    for a in dropped {
        actions.push(format!("DROP COLUMN {}", column_name(a)));
        reach = Reach::Drops;
    }
    actions.extend(added.iter().map(|b| format!("ADD COLUMN {b}")));
    if let Some(o) = options_change(&l.options, &d.options) {
        actions.push(o);
        reach = reach.max(Reach::Changes);
    }
    let table = name.sql();
    let mut statements = Vec::new();
    if !actions.is_empty() {
        statements.push(format!("ALTER FOREIGN TABLE {table} {}", actions.join(", ")));
    }
    // Comments: a column's comment set, changed or removed (a dropped column's goes with it).
    let new_column =
        |on: &str| added.iter().any(|b| on == format!("COMMENT ON COLUMN {table}.{}", column_name(b)));
    for c in &d.comments {
        if !l.comments.contains(c) {
            if !new_column(comment_on(c)) {
                reach = reach.max(Reach::Changes);
            }
            statements.push(c.to_string());
        }
    }
    for c in &l.comments {
        let on = comment_on(c);
        let gone = dropped.iter().any(|a| on == format!("COMMENT ON COLUMN {table}.{}", column_name(a)));
        if !gone && !d.comments.iter().any(|x| comment_on(x) == on) {
            statements.push(format!("{on} IS NULL"));
            reach = reach.max(Reach::Changes);
        }
    }
    (!statements.is_empty()).then_some(Alteration { statements, reach })
}

/// Views, functions and defaults name a foreign table qualified, as a table.
fn mentioned_in(text: &str, name: &QualName) -> bool {
    let sql = name.sql();
    text.match_indices(&sql).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + sql.len()..].chars().next();
        before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '"'))
            && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '"'))
    })
}

pub(super) const KIND: Kind = Kind {
    kind: ObjectKind::ForeignTable,
    keyword: "FOREIGN TABLE",
    words: "foreign table",
    plural: "foreign_tables",
    table: "pg_class",
    alias: "ft",
    prefix: "rel",
    to_reg: None,
    filter: Some("relkind = 'f'"),
    name_sql: None,
    oid_column: "oid",
    drop: None,
    definition: include_str!("sql/foreign_table.sql"),
    create_rank: 6,
    drop_rank: 16,
    mentioned_in,
    alter: Some(alter),
    by_hand: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_foreign_table_is_mentioned_by_its_qualified_name_only() {
        let name = QualName::new("app", "remote");
        assert!(mentioned_in("SELECT r.id FROM app.remote r", &name));
        assert!(!mentioned_in("SELECT 1 FROM app.remote_2", &name));
        assert!(!mentioned_in("SELECT 1 FROM xapp.remote", &name));
    }

    const LIVE: &str = "CREATE FOREIGN TABLE app.r (id bigint OPTIONS (column_name 'user_id') NOT NULL, \
        name text, CONSTRAINT r_id CHECK ((id > 0))) SERVER s OPTIONS (table_name 'users');\n\
        COMMENT ON COLUMN app.r.name IS 'display; name';";

    #[test]
    fn columns_added_at_the_end_are_added() {
        let declared = "CREATE FOREIGN TABLE app.r (id bigint OPTIONS (column_name 'user_id') NOT NULL, \
            name text, \"e, f\" text OPTIONS (column_name 'e') DEFAULT 'x, y', \
            CONSTRAINT r_id CHECK ((id > 0))) SERVER s OPTIONS (table_name 'users');\n\
            COMMENT ON COLUMN app.r.name IS 'display; name';\n\
            COMMENT ON COLUMN app.r.\"e, f\" IS 'new';";
        let a = alter(&QualName::new("app", "r"), LIVE, declared).unwrap();
        assert_eq!(
            a.statements,
            [
                "ALTER FOREIGN TABLE app.r ADD COLUMN \"e, f\" text OPTIONS (column_name 'e') DEFAULT 'x, y'",
                "COMMENT ON COLUMN app.r.\"e, f\" IS 'new'",
            ]
        );
        assert_eq!(a.reach, Reach::Adds);
        // The inverse drops it again.
        let back = alter(&QualName::new("app", "r"), declared, LIVE).unwrap();
        assert_eq!(back.statements, ["ALTER FOREIGN TABLE app.r DROP COLUMN \"e, f\""]);
        assert_eq!(back.reach, Reach::Drops);
    }

    #[test]
    fn options_and_comments_are_changed_and_the_rest_is_not_planned() {
        let declared = "CREATE FOREIGN TABLE app.r (id bigint OPTIONS (column_name 'uid') NOT NULL, \
            name text, CONSTRAINT r_id CHECK ((id > 0))) SERVER s OPTIONS (schema_name 'x', table_name 'people')";
        let a = alter(&QualName::new("app", "r"), LIVE, declared).unwrap();
        assert_eq!(
            a.statements,
            [
                "ALTER FOREIGN TABLE app.r ALTER COLUMN id OPTIONS (SET column_name 'uid'), \
                 OPTIONS (ADD schema_name 'x', SET table_name 'people')",
                "COMMENT ON COLUMN app.r.name IS NULL",
            ]
        );
        assert_eq!(a.reach, Reach::Changes);
        let r = QualName::new("app", "r");
        assert_eq!(alter(&r, LIVE, &LIVE.replace("name text", "name varchar")), None, "a type");
        assert_eq!(alter(&r, LIVE, &LIVE.replace("SERVER s", "SERVER t")), None, "a server");
        assert_eq!(alter(&r, LIVE, &LIVE.replace("(id > 0)", "(id > 1)")), None, "a check");
        let swapped = LIVE.replace(
            "id bigint OPTIONS (column_name 'user_id') NOT NULL, name text",
            "name text, id bigint OPTIONS (column_name 'user_id') NOT NULL",
        );
        assert_eq!(alter(&r, LIVE, &swapped), None, "columns in another order");
    }
}
