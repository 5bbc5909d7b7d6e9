//! Reading schema directories: order, includes, units, warnings, and errors collected together.

use crate::source::{Severity, Source, SourceError, Treatment, load};
use std::path::{Path, PathBuf};

fn dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn loaded(files: &[(&str, &[u8])]) -> Source {
    let d = dir(files);
    load(d.path()).unwrap_or_else(|e| panic!("{e}"))
}

fn failed(files: &[(&str, &[u8])]) -> (PathBuf, SourceError) {
    let d = dir(files);
    let e = load(d.path()).expect_err("errors expected");
    (d.path().to_path_buf(), e)
}

fn summaries(source: &Source) -> Vec<(String, usize)> {
    source.statements.iter().map(|s| (s.summary.clone(), s.unit)).collect()
}

#[test]
fn files_run_in_sorted_relative_path_order_and_other_files_are_ignored() {
    let source = loaded(&[
        ("b.sql", b"CREATE TABLE b ();"),
        ("a.sql", b"CREATE TABLE a ();"),
        ("a/z.sql", b"CREATE TABLE az ();"),
        ("README.md", b"DROP TABLE x;"),
        ("notes.txt", b"[x]"),
        (".hidden/x.sql", b"DROP TABLE x;"),
    ]);
    assert_eq!(
        summaries(&source),
        [
            ("CREATE TABLE az".to_string(), 0),
            ("CREATE TABLE a".to_string(), 1),
            ("CREATE TABLE b".to_string(), 2)
        ]
    );
    assert_eq!(source.files, [Path::new("a/z.sql"), Path::new("a.sql"), Path::new("b.sql")]);
    assert!(source.warnings.is_empty());
}

#[test]
fn included_files_run_where_they_are_included_with_their_own_origins() {
    let source = loaded(&[
        ("main.sql", b"CREATE SCHEMA s;\n\\ir parts/tables.sql\nCREATE VIEW s.v AS SELECT 1;\n"),
        ("parts/tables.sql", b"\n  CREATE TABLE s.t ();\n\\ir more.sql\n"),
        ("parts/more.sql", b"\\i parts/last.sql\n"),
        ("parts/last.sql", b"COMMENT ON TABLE s.t IS 'x';"),
    ]);
    let got: Vec<String> = source.statements.iter().map(|s| format!("{} {}", s.origin, s.summary)).collect();
    assert_eq!(
        got,
        [
            "main.sql:1:1 CREATE SCHEMA s",
            "parts/tables.sql:2:3 CREATE TABLE s.t",
            "parts/last.sql:1:1 COMMENT ON TABLE s.t",
            "main.sql:3:1 CREATE VIEW s.v",
        ]
    );
    assert!(source.statements.iter().all(|s| s.unit == 0));
    assert_eq!(source.files.len(), 4);
}

#[test]
fn include_cycles_and_missing_includes_are_errors() {
    let (_, e) = failed(&[("a.sql", b"\\ir b.sql\n"), ("b.sql", b"SELECT 1;\n\\ir a.sql\n")]);
    let codes: Vec<&str> = e.0.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["include-cycle"]);
    assert_eq!(e.0[0].origin.as_ref().map(|o| (o.line, o.col)), Some((2, 1)));
    assert!(e.0[0].message.contains("a.sql -> b.sql -> a.sql"), "{}", e.0[0]);
    let (_, e) = failed(&[("a.sql", b"\\i nope.sql\n")]);
    assert_eq!(e.0[0].code, "include-not-found");
}

#[test]
fn every_error_is_reported_with_its_position_and_help() {
    let (root, e) = failed(&[
        ("1.sql", b"CREATE TABLE t ();\n  DROP TABLE t;\nALTER TABLE t RENAME TO u;\n"),
        ("2.sql", b"TRUNCATE t;\n\\c other\nCOMMENT ON TABLE t IS 'open\n"),
    ]);
    let got: Vec<String> =
        e.0.iter().map(|d| format!("{}:{}:{}", d.origin.as_ref().unwrap(), d.code, d.severity)).collect();
    assert_eq!(
        got,
        [
            "1.sql:2:3:bare-drop:error",
            "1.sql:3:1:rename-not-allowed:error",
            "2.sql:1:1:data-change:error",
            "2.sql:2:1:database-statement:error",
            "2.sql:3:23:unterminated-string:error",
        ]
    );
    let text = e.to_string();
    let first =
        format!("{}: error[bare-drop]: `DROP TABLE t` drops something\n", root.join("1.sql:2:3").display());
    assert!(text.starts_with(&first), "{text}");
    assert!(text.contains("help: accrete never drops from a schema file;"), "{text}");
    assert!(text.contains("--allow drop"), "{text}");
    assert!(text.ends_with("\n5 errors"), "{text}");
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let (root, e) =
        failed(&[("ok.sql", b"SELECT 1;"), ("latin1.sql", b"-- ok\nCOMMENT ON TABLE t IS 'caf\xe9';\n")]);
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].code, "not-utf8");
    assert!(e.0[0].message.contains(&root.join("latin1.sql").display().to_string()), "{}", e.0[0]);
    assert_eq!(e.0[0].origin.as_ref().map(|o| (o.line, o.col)), Some((2, 27)));
}

#[test]
fn a_byte_order_mark_is_not_a_column() {
    let source = loaded(&[("bom.sql", b"\xEF\xBB\xBFCREATE TABLE t ();")]);
    assert_eq!((source.statements[0].origin.line, source.statements[0].origin.col), (1, 1));
}

#[test]
fn warnings_come_once_per_file_and_owner_changes_once_overall() {
    let source = loaded(&[
        (
            "a.sql",
            b"DROP TABLE IF EXISTS t;\nDROP VIEW IF EXISTS v;\nCREATE TABLE t ();\nALTER TABLE t OWNER TO x;\n\
              INSERT INTO t VALUES (1);\nCOPY t FROM stdin;\n1\n\\.\nDO $$ BEGIN END $$;\nSELECT f();\n",
        ),
        ("b.sql", b"ALTER TABLE t OWNER TO y;\nSELECT pg_catalog.setval('s', 1);\nBEGIN;\nCOMMIT;\n\\set x 1\n"),
    ]);
    let got: Vec<String> = source
        .warnings
        .iter()
        .map(|w| format!("{} {} {}", w.origin.as_ref().unwrap(), w.code, w.message))
        .collect();
    assert_eq!(
        got,
        [
            "a.sql:1:1 cleanup-drop 2 DROP ... IF EXISTS statement(s) in this file (first: `DROP TABLE t`)",
            "a.sql:5:1 data-not-schema data is not schema: 2 statement(s) in this file skipped (first: `INSERT INTO t`)",
            "a.sql:9:1 run-for-effect 2 statement(s) in this file run only for their effect (first: `DO`)",
            "a.sql:4:1 owner-ignored 2 ALTER ... OWNER TO statement(s) ignored (first: `ALTER TABLE t`)",
        ]
    );
    assert!(source.warnings.iter().all(|w| w.severity == Severity::Warning));
    assert_eq!(source.skipped, 2 + 4);
    let treatments: Vec<Treatment> = source.statements.iter().map(|s| s.treatment).collect();
    use Treatment::*;
    assert_eq!(
        treatments,
        [CleanupDrop, CleanupDrop, Declare, IgnoredOwner, RunForEffect, RunForEffect, IgnoredOwner]
    );
}

#[test]
fn a_missing_directory_is_an_error() {
    let e = load(Path::new("/nonexistent/schema")).expect_err("missing");
    assert_eq!(e.0[0].code, "schema-dir-missing");
    assert!(e.to_string().contains("schema directory /nonexistent/schema does not exist"), "{e}");
}

#[test]
fn a_directory_without_a_schema_file_is_an_error_and_one_declaring_nothing_is_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/README.md"), "notes").unwrap();
    let e = load(dir.path()).expect_err("no .sql or .toml file");
    assert_eq!(e.0[0].code, "schema-dir-empty");
    assert!(e.to_string().contains("holds no .sql or .toml file"), "{e}");
    assert!(e.to_string().contains("--allow drop"), "says how to drop everything: {e}");
    std::fs::write(dir.path().join("sub/empty.sql"), "-- nothing yet\n").unwrap();
    let source = load(dir.path()).expect("a file that declares nothing is a desired state");
    assert!(source.statements.is_empty());
}

#[test]
fn a_nul_byte_is_an_error_where_it_is() {
    let (_, e) = failed(&[("a.sql", b"CREATE TABLE a ();\nCREATE TABLE \"b\0\" ();\n")]);
    let d = e.0.iter().find(|d| d.code == "nul-byte").expect("a nul-byte diagnostic");
    assert_eq!(d.origin.as_ref().map(|o| (o.line, o.col)), Some((2, 16)), "{d}");
}

#[test]
fn a_user_mapping_with_an_option_value_is_refused_without_repeating_it() {
    let (_, e) = failed(&[(
        "m.sql",
        b"CREATE USER MAPPING FOR app_reader SERVER files OPTIONS (user '', password '');\n\
          CREATE USER MAPPING FOR PUBLIC SERVER files;\n\
          CREATE USER MAPPING FOR app_writer SERVER files OPTIONS (user '', password 'hunter2-secret');\n\
          ALTER USER MAPPING FOR app_reader SERVER files OPTIONS (SET password $$hunter2-secret$$);\n\
          CREATE USER MAPPING FOR CURRENT_USER SERVER files;\n\
          ALTER USER MAPPING FOR app_reader SERVER files OPTIONS (DROP password);\n",
    )]);
    let got: Vec<String> = e.0.iter().map(|d| format!("{}:{}", d.origin.as_ref().unwrap(), d.code)).collect();
    assert_eq!(
        got,
        ["m.sql:3:1:secret-in-schema-file", "m.sql:4:1:secret-in-schema-file", "m.sql:5:1:user-mapping-role"]
    );
    let text = e.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("leave secret values out of schema files"), "{text}");
}

#[test]
fn import_foreign_schema_is_refused_where_it_is_written() {
    let (_, e) = failed(&[(
        "f.sql",
        b"CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db', dbname 'x');\n\
          \n  import foreign schema public LIMIT TO (users) FROM SERVER remote INTO app;\n",
    )]);
    let got: Vec<String> = e.0.iter().map(|d| format!("{}:{}", d.origin.as_ref().unwrap(), d.code)).collect();
    assert_eq!(got, ["f.sql:3:3:import-foreign-schema"]);
    assert!(e.to_string().contains("connecting to it"), "{e}");
}
