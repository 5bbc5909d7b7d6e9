//! The statement-defined kinds (`crate::kinds`), aggregates and event triggers, written as the statements
//! that make them (PostgreSQL's catalog, printed by `inspect`), one file per object, aggregates of one name
//! together: `<schema>/<kind's plural>/` (`collations`, `text_search_dictionaries` ...; a database-wide
//! kind's at the top: `publications/`), `<schema>/aggregates/`; event triggers have no schema and go together into `event_triggers.sql` at the
//! top. In TOML files they are a top-level `sql` string.

use super::{Format, Writer};
use crate::catalog::{Aggregate, Catalog, Defined, QualName, quote_ident, quote_literal};
use std::collections::BTreeMap;

/// One object: its statements, and its comment with what `COMMENT ON` names it by.
struct Object<'a> {
    statements: Vec<String>,
    comment_on: String,
    comment: &'a Option<String>,
}

/// Statements as a file: the definitions, a blank line, the comments; every statement ending in `;`.
fn sql_text(objects: &[Object<'_>]) -> String {
    let statement = |s: &str| format!("{};\n", s.trim_end().trim_end_matches(';'));
    let definitions: String = objects.iter().flat_map(|o| &o.statements).map(|s| statement(s)).collect();
    let comments: String = objects
        .iter()
        .filter_map(|o| {
            o.comment.as_ref().map(|c| format!("COMMENT ON {} IS {}", o.comment_on, quote_literal(c)))
        })
        .map(|s| statement(&s))
        .collect();
    if comments.is_empty() { definitions } else { format!("{definitions}\n{comments}") }
}

fn text(format: Format, objects: &[Object<'_>]) -> String {
    let sql = sql_text(objects);
    match format {
        Format::Sql => sql,
        Format::Toml => format!("sql = {}\n", super::as_toml::sql_string(&sql)),
    }
}

fn defined(d: &Defined) -> Object<'_> {
    Object {
        statements: d.statements(),
        comment_on: crate::kinds::get(d.kind).comment_target(&d.name).0,
        comment: &d.comment,
    }
}

/// Adds the files of these kinds.
pub(super) fn add(out: &mut Writer, catalog: &Catalog) {
    let format = out.format;
    for d in catalog.defined.values() {
        let kind = crate::kinds::get(d.kind);
        let text = text(format, &[defined(d)]);
        if kind.database_wide() {
            let file = format!("{}.{}", super::file_name(&d.name.name), format.extension());
            out.files.insert(std::path::PathBuf::from(kind.plural).join(file), text);
        } else {
            out.add(&d.name.schema, Some(kind.plural), &d.name.name, text);
        }
    }
    let event_triggers: Vec<Object<'_>> = catalog
        .event_triggers
        .values()
        .map(|e| Object {
            statements: e.statements(),
            comment_on: format!("EVENT TRIGGER {}", quote_ident(&e.name)),
            comment: &e.comment,
        })
        .collect();
    if !event_triggers.is_empty() {
        let path = std::path::PathBuf::from(format!("event_triggers.{}", format.extension()));
        out.files.insert(path, text(format, &event_triggers));
    }
    let mut by_name: BTreeMap<&QualName, Vec<&Aggregate>> = BTreeMap::new();
    for a in catalog.aggregates.values() {
        by_name.entry(&a.name).or_default().push(a);
    }
    for (name, aggregates) in by_name {
        let objects: Vec<Object<'_>> = aggregates
            .iter()
            .map(|a| Object {
                statements: vec![a.definition.clone()],
                comment_on: format!("AGGREGATE {}({})", a.name.sql(), a.arguments),
                comment: &a.comment,
            })
            .collect();
        out.add(&name.schema, Some("aggregates"), &name.name, text(format, &objects));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_is_its_statements_then_its_comment() {
        let d = Defined {
            kind: crate::catalog::ObjectKind::TextSearchConfiguration,
            name: QualName::new("app", "docs"),
            definition: "CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\");\n\
                         ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR word WITH simple;"
                .into(),
            comment: Some("it's for docs".into()),
        };
        assert_eq!(
            sql_text(&[defined(&d)]),
            "CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\");\n\
             ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR word WITH simple;\n\
             \n\
             COMMENT ON TEXT SEARCH CONFIGURATION app.docs IS 'it''s for docs';\n"
        );
        assert!(text(Format::Toml, &[defined(&d)]).starts_with("sql = '''\nCREATE TEXT SEARCH"));
    }

    #[test]
    fn event_triggers_go_together_to_the_top_with_their_firing_state() {
        use crate::catalog::{EventTrigger, FiringState};
        let mut catalog = Catalog::default();
        for (name, enabled, comment) in [
            ("guard", FiringState::Always, Some("blocks drops".to_string())),
            ("log", FiringState::Enabled, None),
        ] {
            let e = EventTrigger {
                name: name.into(),
                event: "ddl_command_end".into(),
                tags: if name == "guard" { vec!["DROP TABLE".into()] } else { vec![] },
                function: format!("app.{name}()"),
                enabled,
                comment,
            };
            catalog.event_triggers.insert(name.into(), e);
        }
        let mut out = Writer { format: Format::Sql, files: BTreeMap::new() };
        add(&mut out, &catalog);
        assert_eq!(
            out.files[std::path::Path::new("event_triggers.sql")],
            "CREATE EVENT TRIGGER guard ON ddl_command_end WHEN TAG IN ('DROP TABLE') EXECUTE FUNCTION app.guard();\n\
             ALTER EVENT TRIGGER guard ENABLE ALWAYS;\n\
             CREATE EVENT TRIGGER log ON ddl_command_end EXECUTE FUNCTION app.log();\n\
             \n\
             COMMENT ON EVENT TRIGGER guard IS 'blocks drops';\n"
        );
    }
}
