//! Guards for the statement-defined kinds (`crate::kinds`). "As planned"
//! evaluates, on the object that is there, the same SQL expression that `inspect` builds the definition
//! with, and compares its SHA-256 with the planned definition's.

use super::guards::{State, three_way};
use super::guards_code::text_is;
use crate::catalog::Defined;
use crate::diff::CommentOn;

/// An object of a statement-defined kind: its kind's expression evaluated on the object of that name.
pub(super) fn defined_state(d: &Defined) -> State {
    let kind = crate::kinds::get(d.kind);
    let oid = kind.oid(&d.name);
    let same = text_is(&kind.printed(&oid), &d.definition);
    State { exists: format!("{oid} IS NOT NULL"), same, object: format!("{} {}", kind.words, d.key().name) }
}

pub(super) fn create_defined(step: usize, d: &Defined) -> String {
    let s = defined_state(d);
    three_way(step, &s.exists, &s.same, &s.object, &d.statements())
}

/// An object of a statement-defined kind altered in place: done when its kind's expression prints the
/// declared definition, acted on when it prints the live one it was planned from, refused otherwise.
pub(super) fn alter_defined(step: usize, from: &Defined, to: &Defined, statements: &[String]) -> String {
    let kind = crate::kinds::get(to.kind);
    let oid = kind.oid(&to.name);
    let printed = kind.printed(&oid);
    let object = format!("{} {}", kind.words, to.key().name);
    super::guards_alter::before_after(
        step,
        &text_is(&printed, &to.definition),
        &text_is(&printed, &from.definition),
        &format!("{object} is already as planned"),
        &format!("{object} was changed since the plan (or is gone)"),
        statements,
    )
}

/// `COMMENT ON` target, current comment expression, and object words, for the kinds of this file.
pub(super) fn comment_target(on: &CommentOn) -> Option<(String, String, String)> {
    Some(match on {
        CommentOn::Defined(kind, n) => crate::kinds::get(*kind).comment_target(n),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ObjectKind, QualName};

    fn defined(kind: ObjectKind, schema: &str, name: &str, definition: &str) -> Defined {
        Defined { kind, name: QualName::new(schema, name), definition: definition.into(), comment: None }
    }

    #[test]
    fn a_configuration_runs_one_statement_per_line() {
        let c = defined(
            ObjectKind::TextSearchConfiguration,
            "app",
            "docs",
            "CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\");\n\
             ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR asciiword WITH app.en, simple;",
        );
        let sql = create_defined(3, &c);
        assert!(sql.contains(
            "EXECUTE $ddl$CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\")$ddl$;\n"
        ));
        assert!(sql.contains(
            "EXECUTE $ddl$ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR asciiword WITH app.en, simple$ddl$;\n"
        ));
        assert!(sql.contains("WHERE n.nspname = 'app' AND x.cfgname = 'docs'"));
        assert!(
            sql.contains(
                "accrete: step 3: text search configuration app.docs exists with another definition"
            )
        );
    }

    #[test]
    fn guards_compare_the_inspected_expression_without_its_comments() {
        let c = defined(
            ObjectKind::Collation,
            "app",
            "Nd",
            "CREATE COLLATION app.\"Nd\" (provider = icu, locale = 'und', deterministic = false)",
        );
        let sql = create_defined(1, &c);
        assert!(sql.contains("pg_catalog.to_regcollation('app.\"Nd\"') IS NOT NULL"));
        assert!(sql.contains("FROM pg_catalog.pg_collation co WHERE co.oid = pg_catalog.to_regcollation"));
        assert!(sql.contains("EXECUTE $ddl$CREATE COLLATION app.\"Nd\" (provider = icu"));
        assert!(!sql.lines().any(|l| l.trim_start().starts_with("--")), "{sql}");
    }
}
