//! Unit tests of `pull` on synthetic catalogs: layout, names, cycles, and TOML that reads back.

use super::{Format, file_name, render};
use crate::catalog::{
    Catalog, Column, Constraint, ConstraintKind, EnumType, Index, QualName, Schema, Serial, Table,
};
use std::path::{Path, PathBuf};

fn column(name: &str, data_type: &str) -> Column {
    Column { name: name.into(), data_type: data_type.into(), ..Default::default() }
}

fn foreign_key(name: &str, column: &str, to: &QualName) -> Constraint {
    Constraint {
        name: name.into(),
        kind: ConstraintKind::ForeignKey,
        definition: format!("FOREIGN KEY ({column}) REFERENCES {}(id)", to.sql()),
        columns: vec![column.into()],
        references: Some(to.clone()),
        validated: true,
        deferrable: false,
        initially_deferred: false,
        comment: None,
    }
}

fn table(name: &QualName, columns: Vec<Column>, constraints: Vec<Constraint>) -> Table {
    Table {
        name: name.clone(),
        columns,
        constraints: constraints.into_iter().map(|c| (c.name.clone(), c)).collect(),
        ..Table::default()
    }
}

/// Two tables referencing each other, one referencing itself, odd names, a serial column whose sequence
/// has another name than `serial` would give, and an index whose definition has no parts form.
fn catalog() -> Catalog {
    let (a, b) = (QualName::new("app", "a"), QualName::new("app", "b"));
    let odd = QualName::new("Odd Schema", "t.1/x");
    let mut c = Catalog::default();
    for s in ["app", "Odd Schema"] {
        c.schemas.insert(s.into(), Schema { name: s.into(), comment: Some(format!("the {s} schema")) });
    }
    c.enums.insert(
        QualName::new("app", "mood"),
        EnumType {
            name: QualName::new("app", "mood"),
            labels: vec!["it's".into(), "\"ok\"".into()],
            comment: None,
        },
    );
    let mut a_id = column("id", "integer");
    a_id.not_null = true;
    a_id.serial = Some(Box::new(Serial {
        sequence: QualName::new("app", "old_a_id_seq"),
        options: super::common::default_options("integer", 1),
    }));
    c.tables.insert(
        a.clone(),
        table(
            &a,
            vec![a_id, column("b_id", "integer"), column("parent", "integer")],
            vec![foreign_key("a_b_fk", "b_id", &b), foreign_key("a_parent_fk", "parent", &a)],
        ),
    );
    c.tables.insert(
        b.clone(),
        table(&b, vec![column("a_id", "integer")], vec![foreign_key("b_a_fk", "a_id", &a)]),
    );
    let mut t = table(&odd, vec![column("select", "text")], vec![]);
    t.indexes.insert(
        "i".into(),
        Index {
            name: "i".into(),
            table: odd.clone(),
            unique: false,
            method: "btree".into(),
            definition: "USING btree (\"select\") TABLESPACE pg_default".into(),
            columns: vec!["select".into()],
            valid: true,
            comment: Some("tablespace'd".into()),
        },
    );
    c.tables.insert(odd.clone(), t);
    c
}

#[test]
fn names_become_portable_file_names() {
    assert_eq!(file_name("users"), "users");
    assert_eq!(file_name("t.1/x"), "t.1%2Fx");
    assert_eq!(file_name(".hidden"), "%2Ehidden");
    assert_eq!(file_name("Café"), "Caf%C3%A9");
}

#[test]
fn one_file_per_object_in_a_fixed_layout() {
    let files = render(&catalog(), Format::Sql);
    let paths: Vec<&Path> = files.files.keys().map(PathBuf::as_path).collect();
    let expected = [
        "Odd%20Schema/schema.sql",
        "Odd%20Schema/tables/t.1%2Fx.sql",
        "app/enums/mood.sql",
        "app/schema.sql",
        "app/tables/a.sql",
        "app/tables/b.sql",
    ];
    assert_eq!(paths, expected.iter().map(Path::new).collect::<Vec<_>>());
    assert_eq!(files, render(&catalog(), Format::Sql), "the same catalog gives the same files");
}

#[test]
fn only_the_foreign_key_to_the_later_table_of_a_cycle_is_written_apart() {
    let files = render(&catalog(), Format::Sql);
    let a = &files.files[Path::new("app/tables/a.sql")];
    let b = &files.files[Path::new("app/tables/b.sql")];
    assert!(a.contains("\nALTER TABLE app.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id)"), "{a}");
    assert!(
        a.contains("    CONSTRAINT a_parent_fk FOREIGN KEY (parent)"),
        "a self-reference is inline:\n{a}"
    );
    assert!(b.contains("    CONSTRAINT b_a_fk FOREIGN KEY (a_id)"), "{b}");
    // The serial column keeps its sequence's name: spelled out, not `serial`.
    assert!(a.starts_with("CREATE SEQUENCE app.old_a_id_seq AS integer;\n"), "{a}");
    assert!(a.contains("id     integer DEFAULT nextval('app.old_a_id_seq'::regclass) NOT NULL,"), "{a}");
    assert!(a.contains("ALTER SEQUENCE app.old_a_id_seq OWNED BY app.a.id;"), "{a}");
}

#[test]
fn pulled_toml_reads_back_without_a_mistake() {
    let files = render(&catalog(), Format::Toml);
    let mut statements = Vec::new();
    for (path, text) in &files.files {
        let (items, errors) = crate::source::toml::read_text(Path::new("schema"), path, text);
        assert!(errors.is_empty(), "{}:\n{text}\n{errors:#?}", path.display());
        statements.extend(items.into_iter().filter_map(|i| match i {
            crate::source::Item::Statement(s) => Some(s.sql.split_whitespace().collect::<Vec<_>>().join(" ")),
            _ => None,
        }));
    }
    let odd = &files.files[Path::new("Odd%20Schema/tables/t.1%2Fx.toml")];
    assert!(odd.starts_with("[table.\"Odd Schema\".\"t.1/x\"]\nsql = '''\nCREATE INDEX i ON"), "{odd}");
    assert!(
        statements.contains(&"CREATE TYPE app.mood AS ENUM ( 'it''s', '\"ok\"')".to_string()),
        "{statements:#?}"
    );
    assert!(
        statements.iter().any(|s| s == "COMMENT ON INDEX \"Odd Schema\".i IS 'tablespace''d'"),
        "{statements:#?}"
    );
    assert!(
        statements.iter().any(|s| s.starts_with("CREATE SEQUENCE app.old_a_id_seq AS integer")),
        "{statements:#?}"
    );
}
