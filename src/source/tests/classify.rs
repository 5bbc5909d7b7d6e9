//! Every row of the treatment table, through both readers (the AST when sqlparser parses the statement,
//! and the keywords always), which must agree.

use crate::source::class::Class;
use crate::source::split::{Piece, split};
use crate::source::{Treatment, ast, keywords, words};

/// The class of a one-statement text, checking that both readers agree where the AST answers.
fn class(sql: &str) -> Class {
    let Piece::Statement(raw) = split(sql).pieces.remove(0) else { panic!("not a statement: {sql}") };
    let by_keywords = keywords::classify(&raw.tokens);
    if let Some(by_ast) = ast::classify(&raw.tokens, words::has_if_exists(&raw.tokens)) {
        assert_eq!(by_ast, by_keywords, "the readers disagree on {sql}");
    }
    by_keywords
}

fn summary(sql: &str) -> String {
    let Piece::Statement(raw) = split(sql).pieces.remove(0) else { panic!("not a statement: {sql}") };
    words::summary(&raw.tokens)
}

fn check(rows: &[&str], expected: Class) {
    for sql in rows {
        assert_eq!(class(sql), expected, "{sql}");
    }
}

fn check_rejected(rows: &[&str], code: &str) {
    for sql in rows {
        match class(sql) {
            Class::Reject(r) => assert_eq!(r.code, code, "{sql}"),
            other => panic!("{sql}: expected {code}, got {other:?}"),
        }
    }
}

#[test]
fn declarations() {
    check(
        &[
            "CREATE TABLE app.users (id int)",
            "CREATE OR REPLACE VIEW v AS SELECT 1",
            "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)",
            "CREATE SEQUENCE s AS integer START WITH 1",
            "CREATE AGGREGATE a (int) (sfunc = f, stype = int)",
            "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE USER MAPPING FOR bob SERVER s",
            "ALTER TABLE ONLY app.t ADD CONSTRAINT c PRIMARY KEY (id)",
            "ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int",
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT 1",
            "ALTER TABLE t ALTER COLUMN c TYPE bigint",
            "ALTER TABLE t ALTER c SET DATA TYPE numeric(10, 2)",
            "ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME s START WITH 1)",
            "ALTER TABLE t RESET (fillfactor)",
            "ALTER TABLE t SET (fillfactor = 70)",
            "ALTER SEQUENCE s OWNED BY t.id",
            "ALTER SEQUENCE s INCREMENT BY 2 NO MAXVALUE",
            "ALTER INDEX i ATTACH PARTITION p",
            "ALTER TABLE t ATTACH PARTITION p FOR VALUES IN (1)",
            "ALTER TABLE t INHERIT p",
            "ALTER TABLE t CLUSTER ON i",
            "ALTER TABLE t REPLICA IDENTITY FULL",
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE t DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE t FORCE ROW LEVEL SECURITY",
            "ALTER TABLE t NO FORCE ROW LEVEL SECURITY",
            "ALTER TABLE t DISABLE TRIGGER tr",
            "ALTER TABLE t ENABLE ALWAYS TRIGGER tr",
            "ALTER TABLE t VALIDATE CONSTRAINT c",
            "ALTER TYPE e ADD VALUE 'x' AFTER 'y'",
            "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)",
            "ALTER FUNCTION f(int, text) SET search_path = a, b",
            "ALTER FUNCTION f(int) RESET ALL",
            "ALTER POLICY p ON t TO a, b",
            "ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word, asciiword WITH simple",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO r",
            "COMMENT ON TABLE t IS 'x'",
            "COMMENT ON CONSTRAINT c ON t IS 'x'",
            "GRANT SELECT ON TABLE t TO r",
            "GRANT SELECT (a, b) ON t TO r",
            "GRANT USAGE ON ALL SEQUENCES IN SCHEMA s TO r",
            "REVOKE ALL ON SCHEMA s FROM PUBLIC",
        ],
        Class::Keep(Treatment::Declare),
    );
}

#[test]
fn event_triggers_are_declarations_that_load_last() {
    let sql = "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()";
    assert_eq!(class(sql), Class::Keep(Treatment::Declare));
    let Piece::Statement(raw) = split(sql).pieces.remove(0) else { panic!() };
    assert!(keywords::is_event_trigger(&raw.tokens));
    let Piece::Statement(raw) =
        split("CREATE TRIGGER e AFTER INSERT ON t EXECUTE FUNCTION f()").pieces.remove(0)
    else {
        panic!()
    };
    assert!(!keywords::is_event_trigger(&raw.tokens));
    for sql in ["ALTER EVENT TRIGGER e ENABLE ALWAYS", "COMMENT ON EVENT TRIGGER e IS 'x'"] {
        assert_eq!(class(sql), Class::Keep(Treatment::Declare), "{sql}");
        let Piece::Statement(raw) = split(sql).pieces.remove(0) else { panic!() };
        assert!(keywords::is_event_trigger(&raw.tokens), "{sql}");
    }
    for sql in ["ALTER TABLE t ENABLE ALWAYS TRIGGER e", "COMMENT ON TRIGGER e ON t IS 'x'"] {
        let Piece::Statement(raw) = split(sql).pieces.remove(0) else { panic!() };
        assert!(!keywords::is_event_trigger(&raw.tokens), "{sql}");
    }
}

#[test]
fn statements_run_for_their_effect() {
    check(
        &["DO $$ BEGIN NULL; END $$", "SELECT app.f(1)", "SELECT create_hypertable('t', 'ts')", "CALL p()"],
        Class::Keep(Treatment::RunForEffect),
    );
}

#[test]
fn cleanup_drops() {
    check(
        &[
            "DROP TABLE IF EXISTS app.t",
            "DROP INDEX CONCURRENTLY IF EXISTS i",
            "DROP FUNCTION IF EXISTS f()",
            "DROP TRIGGER IF EXISTS tr ON t",
            "DROP EXTENSION IF EXISTS pg_trgm",
            "ALTER TABLE IF EXISTS ONLY t DROP CONSTRAINT IF EXISTS c",
            "ALTER TABLE t DROP COLUMN IF EXISTS c",
            "ALTER TABLE IF EXISTS t ALTER COLUMN id DROP DEFAULT",
            "ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c",
        ],
        Class::Keep(Treatment::CleanupDrop),
    );
}

#[test]
fn session_settings() {
    check(
        &[
            "SET search_path = app, public",
            "SET LOCAL lock_timeout = 0",
            "SET check_function_bodies = false",
            "RESET search_path",
            "SELECT pg_catalog.set_config('search_path', '', false)",
            "SELECT set_config('a.b', 'c', false)",
        ],
        Class::Keep(Treatment::Session),
    );
}

#[test]
fn skipped_statements() {
    check(
        &[
            "BEGIN",
            "COMMIT",
            "START TRANSACTION",
            "END",
            "SELECT pg_catalog.setval('s', 1, true)",
            "SELECT 'loading tables'",
            "SELECT EXISTS (SELECT 1)",
            "ALTER SEQUENCE s RESTART WITH 10",
        ],
        Class::Skip { data: false },
    );
    check(
        &["INSERT INTO t VALUES (1)", "COPY t (a) FROM stdin", "REFRESH MATERIALIZED VIEW v"],
        Class::Skip { data: true },
    );
}

#[test]
fn owner_changes_are_ignored() {
    check(
        &[
            "ALTER TABLE t OWNER TO bob",
            "ALTER TABLE ONLY t OWNER TO bob",
            "ALTER FUNCTION f(int) OWNER TO bob",
            "ALTER SCHEMA s OWNER TO bob",
            "ALTER TYPE e OWNER TO bob",
        ],
        Class::Keep(Treatment::IgnoredOwner),
    );
}

#[test]
fn rejections_have_their_codes() {
    check_rejected(
        &[
            "DROP TABLE t",
            "DROP INDEX i",
            "DROP OWNED BY bob",
            "ALTER TABLE t DROP COLUMN c",
            "ALTER TABLE t DROP CONSTRAINT c",
            "ALTER TABLE t ALTER COLUMN c DROP NOT NULL",
            "ALTER TABLE t ADD COLUMN a int, DROP COLUMN b",
        ],
        "bare-drop",
    );
    check_rejected(
        &["TRUNCATE t", "UPDATE t SET a = 1", "DELETE FROM t", "UPDATE pg_proc SET x = 1"],
        "data-change",
    );
    check_rejected(
        &[
            "ALTER TABLE t RENAME TO u",
            "ALTER TABLE t RENAME COLUMN a TO b",
            "ALTER TABLE projects RENAME CONSTRAINT a TO b",
            "ALTER TYPE e RENAME VALUE 'a' TO 'b'",
            "ALTER TABLE t SET SCHEMA s",
            "ALTER FUNCTION f() RENAME TO g",
        ],
        "rename-not-allowed",
    );
    check_rejected(
        &[
            "CREATE DATABASE d",
            "DROP DATABASE IF EXISTS d",
            "ALTER DATABASE d SET x = 1",
            "COMMENT ON DATABASE d IS 'x'",
            "GRANT CONNECT ON DATABASE d TO r",
        ],
        "database-statement",
    );
    check_rejected(
        &[
            "CREATE ROLE r",
            "CREATE USER u",
            "ALTER ROLE r SET x = 1",
            "DROP ROLE IF EXISTS r",
            "GRANT r TO u",
            "CREATE TABLESPACE ts LOCATION '/x'",
        ],
        "cluster-object",
    );
    check_rejected(
        &[
            "VACUUM t",
            "ANALYZE t",
            "ALTER TABLE t DETACH PARTITION p",
            "ALTER TABLE t NO INHERIT p",
            "ALTER EXTENSION e UPDATE",
            "ROLLBACK",
            "SECURITY LABEL ON TABLE t IS 'x'",
            "LOCK TABLE t",
            "ALTER SYSTEM SET x = 1",
            "CLUSTER app.t USING t_pkey",
            "WITH x AS (DELETE FROM t) SELECT 1",
        ],
        "unsupported-statement",
    );
}

#[test]
fn summaries_name_the_object() {
    assert_eq!(summary("CREATE TABLE app.users (id int)"), "CREATE TABLE app.users");
    assert_eq!(summary("create or replace view \"App\".v as select 1"), "CREATE OR REPLACE VIEW \"App\".v");
    assert_eq!(summary("CREATE INDEX ON app.t (a)"), "CREATE INDEX ON app.t");
    assert_eq!(summary("CREATE TABLE IF NOT EXISTS data (id int)"), "CREATE TABLE data");
    assert_eq!(summary("ALTER TABLE ONLY app.t ADD CONSTRAINT c CHECK (a > 0)"), "ALTER TABLE app.t");
    assert_eq!(summary("DROP TABLE IF EXISTS app.t"), "DROP TABLE app.t");
    assert_eq!(summary("GRANT SELECT ON TABLE app.users TO r"), "GRANT ... ON TABLE app.users");
    assert_eq!(summary("COMMENT ON COLUMN app.t.c IS 'x'"), "COMMENT ON COLUMN app.t.c");
    assert_eq!(summary("SELECT pg_catalog.setval('s', 1)"), "SELECT pg_catalog.setval(...)");
    assert_eq!(summary("INSERT INTO app.t VALUES (1)"), "INSERT INTO app.t");
    assert_eq!(summary("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r"), "ALTER DEFAULT PRIVILEGES");
    assert_eq!(summary("DO $$ BEGIN END $$"), "DO");
}

#[test]
fn the_ast_reader_answers_where_sqlparser_parses_and_the_keywords_elsewhere() {
    let ast_answers = |sql: &str| {
        let Piece::Statement(raw) = split(sql).pieces.remove(0) else { panic!() };
        ast::classify(&raw.tokens, words::has_if_exists(&raw.tokens)).is_some()
    };
    for sql in [
        "CREATE TABLE app.users (id int)",
        "ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int",
        "ALTER TABLE t OWNER TO bob",
        "ALTER TABLE t RENAME COLUMN a TO b",
        "ALTER TABLE IF EXISTS t ALTER COLUMN id DROP DEFAULT",
        "DROP TABLE IF EXISTS app.t",
        "INSERT INTO t VALUES (1)",
        "TRUNCATE t",
        "SET search_path = app",
    ] {
        assert!(ast_answers(sql), "sqlparser should parse {sql}");
    }
    // Real pg_dump output sqlparser 0.63 rejects: classified from keywords.
    for sql in [
        "ALTER SEQUENCE s OWNED BY t.id",
        "COMMENT ON CONSTRAINT c ON t IS 'x'",
        "ALTER INDEX i ATTACH PARTITION p",
    ] {
        assert!(!ast_answers(sql), "expected no parse for {sql}");
        assert_eq!(class(sql), Class::Keep(Treatment::Declare));
    }
}

/// PostgreSQL 18's named NOT NULL constraints: declarations either way. sqlparser 0.63 parses a name on a
/// column's NOT NULL (`CONSTRAINT nn NOT NULL`, and `NO INHERIT` after it does not parse) but not the
/// table constraint `NOT NULL col` (`ADD CONSTRAINT nn NOT NULL col [NOT VALID]`): the keywords classify
/// those.
#[test]
fn named_not_null_constraints_are_declarations() {
    let ast_answers = |sql: &str| {
        let Piece::Statement(raw) = split(sql).pieces.remove(0) else { panic!() };
        ast::classify(&raw.tokens, words::has_if_exists(&raw.tokens)).is_some()
    };
    let rows = [
        "CREATE TABLE app.t (a int CONSTRAINT t_a_nn NOT NULL)",
        "CREATE TABLE app.t (a int CONSTRAINT t_a_nn NOT NULL NO INHERIT)",
        "CREATE TABLE app.t (a int, CONSTRAINT t_a_nn NOT NULL a)",
        "ALTER TABLE app.t ADD CONSTRAINT t_a_nn NOT NULL a",
        "ALTER TABLE app.t ADD CONSTRAINT t_a_nn NOT NULL a NOT VALID",
        "ALTER TABLE app.t VALIDATE CONSTRAINT t_a_nn",
    ];
    check(&rows, Class::Keep(Treatment::Declare));
    let parsed: Vec<bool> = rows.iter().map(|sql| ast_answers(sql)).collect();
    assert_eq!(parsed, [true, false, false, false, false, true]);
}
