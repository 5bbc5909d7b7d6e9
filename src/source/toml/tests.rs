//! Unit tests of TOML schema files: the SQL they become, where each statement and mistake is placed.

use super::read_text;
use crate::source::Item;
use std::path::Path;

/// Each statement as `line:col SQL` (whitespace collapsed), and each diagnostic as printed.
fn read(text: &str) -> (Vec<String>, Vec<String>) {
    let (items, errors) = read_text(Path::new("schema"), Path::new("t.toml"), text);
    let statements = items
        .into_iter()
        .map(|item| match item {
            Item::Statement(s) => {
                // Whitespace collapsed: the layout pads with newlines and spaces to keep file positions.
                let sql = s.sql.split_whitespace().collect::<Vec<_>>().join(" ").replace("( ", "(");
                format!("{}:{} {sql}", s.origin.line, s.origin.col)
            }
            other => format!("{other:?}"),
        })
        .collect();
    (statements, errors.iter().map(|d| d.to_string()).collect())
}

fn statements(text: &str) -> Vec<String> {
    let (statements, errors) = read(text);
    assert!(errors.is_empty(), "{errors:#?}");
    statements
}

#[test]
fn a_table_becomes_create_table_then_one_statement_per_part() {
    let text = r#"
[schema.app]
comment = "The app's tables"

[table.app.users]
comment = "People"
primary_key = ["id"]

[table.app.users.columns]
id = { type = "bigint", identity = "always" }
email = { type = "text", not_null = true, comment = "Login" }
created_at = { type = "timestamptz", not_null = true, default = "now()" }
Org = { type = "integer" }

[table.app.users.unique.users_email_key]
columns = ["email"]

[table.app.users.check]
users_email_check = "email <> ''"

[table.app.users.foreign_key.users_org_fkey]
columns = ["Org"]
references = "app.orgs"
referenced_columns = ["id"]
on_delete = "set null"
deferrable = true

[table.app.users.index.users_lower_email_idx]
keys = ["lower(email)"]
unique = true
where = "created_at > '2020-01-01'"
"#;
    assert_eq!(
        statements(text),
        [
            "2:9 CREATE SCHEMA app",
            "3:1 COMMENT ON SCHEMA app IS 'The app''s tables'",
            "5:12 CREATE TABLE app.users (id bigint GENERATED ALWAYS AS IDENTITY, email text NOT NULL, \
             created_at timestamptz NOT NULL DEFAULT now(), \"Org\" integer)",
            // Shorthand entries whose words do not fit on their line start at their section.
            "5:12 ALTER TABLE app.users ADD PRIMARY KEY (id)",
            "15:25 ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE (email)",
            "18:1 ALTER TABLE app.users ADD CONSTRAINT users_email_check CHECK (email <> '')",
            "21:30 ALTER TABLE app.users ADD CONSTRAINT users_org_fkey FOREIGN KEY (\"Org\") REFERENCES \
             app.orgs (id) ON DELETE SET NULL DEFERRABLE",
            "28:24 CREATE UNIQUE INDEX users_lower_email_idx ON app.users (lower(email)) WHERE \
             (created_at > '2020-01-01')",
            "6:1 COMMENT ON TABLE app.users IS 'People'",
            "11:43 COMMENT ON COLUMN app.users.email IS 'Login'",
        ]
    );
}

#[test]
fn user_text_sits_at_its_file_position_inside_the_statement() {
    let text =
        "[table.app.t.columns]\nid = { type = \"bigint\" }\nn = { type = \"nope\", default = \"1\" }\n";
    let (items, _) = read_text(Path::new("schema"), Path::new("t.toml"), text);
    let Item::Statement(s) = &items[0] else { panic!("{items:?}") };
    // Counting characters from the statement's origin, as the loader does, lands on the type in the file.
    let at = s.sql.find("nope").unwrap();
    let before = &s.sql[..at];
    let line = s.origin.line as usize + before.matches('\n').count();
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    assert_eq!((line, col), (3, 15), "{:?}", s.sql);
}

#[test]
fn sequences_enums_extensions_and_sql_strings() {
    let text = r#"
[extension.pgcrypto]
schema = "public"

[enum.app.status]
labels = ["active", "it's off"]
comment = "State"

[sequence.app.invoice_no]
type = "integer"
start = 1000
cache = 10
owned_by = "app.invoices.no"

[view.app.active]
sql = '''
CREATE VIEW app.active AS SELECT 1 AS one;
COMMENT ON VIEW app.active IS 'x';
'''
"#;
    assert_eq!(
        statements(text),
        [
            "2:12 CREATE EXTENSION pgcrypto WITH SCHEMA public",
            "5:11 CREATE TYPE app.status AS ENUM ('active', 'it''s off')",
            "7:1 COMMENT ON TYPE app.status IS 'State'",
            "9:15 CREATE SEQUENCE app.invoice_no AS integer START WITH 1000 CACHE 10",
            "13:1 ALTER SEQUENCE app.invoice_no OWNED BY app.invoices.no",
            "17:1 CREATE VIEW app.active AS SELECT 1 AS one",
            "18:1 COMMENT ON VIEW app.active IS 'x'",
        ]
    );
}

#[test]
fn identity_options_partitions_and_row_level_security() {
    let text = r#"
[table.app.events]
partition_by = "RANGE (at)"
row_level_security = true
columns.id = { type = "integer", identity = { kind = "by default", start = 10, cycle = true } }
columns.at = { type = "date", not_null = true, collation = "C" }

[table.app.events_2024]
partition_of = { parent = "app.events", bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" }

[table.app.events.policy.own_rows]
sql = "CREATE POLICY own_rows ON app.events USING (true)"
"#;
    assert_eq!(
        statements(text),
        [
            "2:12 CREATE TABLE app.events (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 10 CYCLE), \
             at date NOT NULL COLLATE \"C\") PARTITION BY RANGE (at)",
            "4:1 ALTER TABLE app.events ENABLE ROW LEVEL SECURITY",
            "12:8 CREATE POLICY own_rows ON app.events USING (true)",
            "8:12 CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO \
             ('2025-01-01')",
        ]
    );
}

#[test]
fn mistakes_are_reported_at_the_key_or_value_at_fault() {
    let text = r#"
[table.app.t]
colums = {}

[table.app.t.columns]
id = { type = "bigint", not_nul = true }
name = { not_null = "yes" }
n = { type = 1 }
v = { type = "int", default = "1", identity = "always" }

[table.app.t.index.t_idx]
method = "gin"

[table.app.t.foreign_key.t_fk]
columns = ["id"]
references = "app.x.y"
on_delete = "explode"

[tabel.app.x]
"#;
    let (_, errors) = read(text);
    assert_eq!(
        errors,
        [
            "schema/t.toml:3:1: error[toml-unknown-key]: unknown key `colums` in table app.t\n  help: did you \
             mean `columns`? accepted here: columns, primary_key, unique, check, foreign_key, exclusion, index, \
             trigger, policy, rule, comment, unlogged, inherits, partition_by, partition_of, row_level_security, \
             force_row_level_security, sql",
            "schema/t.toml:6:25: error[toml-unknown-key]: unknown key `not_nul` in column `id` of table app.t\n  \
             help: did you mean `not_null`? accepted here: type, not_null, default, identity, generated, \
             collation, comment",
            "schema/t.toml:7:1: error[toml-missing-key]: column `name` of table app.t needs `type`\n  help: give \
             the column a type, e.g. type = \"text\"",
            "schema/t.toml:8:14: error[toml-wrong-type]: `type` of column `n` of table app.t must be a string, \
             not an integer\n  help: write it in quotes: SQL types, expressions and names are strings",
            "schema/t.toml:9:36: error[toml-conflicting-keys]: column `v` of table app.t has both `default` and \
             `identity`\n  help: a column's value comes from one of identity, generated or default: keep one",
            "schema/t.toml:16:14: error[toml-invalid-value]: `references` of foreign key `t_fk` of table app.t: \
             `app.x.y` is not SCHEMA.NAME\n  help: write SCHEMA.NAME, e.g. \"app.users\"; a part holding a dot \
             goes in double quotes",
            "schema/t.toml:11:20: error[toml-missing-key]: index `t_idx` of table app.t needs `columns`\n  help: \
             name its columns (columns = [\"email\"]) or write its keys as SQL (keys = [\"lower(email)\"])",
            "schema/t.toml:19:2: error[toml-unknown-key]: unknown object kind `tabel`\n  help: the top-level keys \
             of a schema file are object kinds: schema, extension, enum, sequence, table, view, \
             materialized_view, function, procedure, domain, type, sql; anything else goes in a top-level sql = \
             '''...''' string",
        ]
    );
}

#[test]
fn a_column_declared_twice_is_a_duplicate_key() {
    let text = "[table.app.t.columns]\nid = { type = \"bigint\" }\nid = { type = \"text\" }\n";
    let (_, errors) = read(text);
    assert_eq!(
        errors,
        [
            "schema/t.toml:3:1: error[toml-duplicate-key]: duplicate key `id`\n  help: each key is written once per \
             table: a column, constraint, index or object declared twice? remove or rename one"
        ]
    );
}

#[test]
fn a_constraint_name_used_twice_is_reported_before_postgres_does() {
    let text = r#"
[table.app.t]
columns.a = { type = "int" }
unique.t_a = ["a"]
check.t_a = "a > 0"
"#;
    let (_, errors) = read(text);
    assert_eq!(
        errors,
        [
            "schema/t.toml:5:7: error[toml-duplicate-name]: check `t_a` of table app.t reuses the name `t_a` of \
             unique `t_a` of table app.t\n  help: constraint names are unique per table: rename one"
        ]
    );
}

#[test]
fn statements_in_sql_strings_are_checked_and_placed_like_sql_files() {
    let text = "[table.app.t]\ncolumns.a = { type = \"int\" }\nsql = \"\"\"\nGRANT SELECT ON app.t TO x;\n  DROP TABLE app.t;\"\"\"\n";
    let (statements, errors) = read(text);
    assert_eq!(statements[1], "4:1 GRANT SELECT ON app.t TO x");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("schema/t.toml:5:3: error[bare-drop]"), "{errors:?}");
}

#[test]
fn escapes_in_basic_strings_keep_statement_positions() {
    let text = "sql = \"CREATE SCHEMA a;\\nCREATE SCHEMA \\\"B\\\";\\n   CREATE SCHEMA c\"\n";
    let statements = statements(text);
    // The decoded text has three lines; the file has one: each statement starts where its text is written.
    assert_eq!(statements, ["1:8 CREATE SCHEMA a", "1:26 CREATE SCHEMA \"B\"", "1:51 CREATE SCHEMA c"]);
}

#[test]
fn syntax_errors_point_at_the_toml() {
    let (_, errors) = read("[table.app.t\ncolumns = 1\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("schema/t.toml:1:13: error[toml-syntax]: invalid TOML:"), "{errors:?}");
}

#[test]
fn types_and_expressions_cannot_end_their_statement() {
    let (statements, errors) = read(
        r#"
[table.app.t.columns]
a = { type = "int); DROP TABLE canary; --" }
b = { type = "int", default = "1); DROP TABLE canary; --" }
c = { type = "int -- comment" }
d = { type = "text", default = "now() +" }

[table.app.t.check]
t_check = "a > 0) NOT VALID; DROP TABLE canary; SELECT (1"

[table.app.t.index.t_idx]
keys = ["a"]
where = "a > 0); DROP TABLE canary; --"

[table.app.t.foreign_key.t_fk]
columns = ["a"]
references = "app.u"
on_delete = "set null (a); DROP TABLE canary"
"#,
    );
    assert!(statements.iter().all(|s| !s.contains("canary")), "{statements:#?}");
    let expected = [
        "schema/t.toml:3:18: error[toml-not-a-type]: `type` of column `a` of table app.t: `)` that closes nothing \
         it opened cannot occur in a type",
        "schema/t.toml:4:33: error[toml-not-an-expression]: `default` of column `b` of table app.t: `)` that \
         closes nothing it opened cannot occur in an expression",
        "schema/t.toml:5:19: error[toml-not-a-type]: `type` of column `c` of table app.t: a comment cannot occur \
         in a type",
        "schema/t.toml:6:40: error[toml-not-an-expression]: `default` of column `d` of table app.t: it does not \
         read as an expression: Expected: an expression, found: EOF",
        "schema/t.toml:9:17: error[toml-not-an-expression]",
        // Foreign keys are read before indexes.
        "schema/t.toml:18:13: error[toml-invalid-value]",
        "schema/t.toml:13:15: error[toml-not-an-expression]",
    ];
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    for (e, want) in errors.iter().zip(expected) {
        assert!(e.starts_with(want), "{e}\nshould start with\n{want}");
        assert!(e.contains("\n  help: "), "{e}");
    }
}

#[test]
fn clauses_of_their_own_shape_still_read() {
    let got = statements(
        r#"
[table.app.r.columns]
room = { type = "integer" }
during = { type = "tstzrange" }

[table.app.r.exclusion.r_no_overlap]
using = "gist"
elements = ["room WITH =", "during WITH &&"]
where = "room > 0"

[table.app.r.index.r_room_idx]
keys = ["room DESC NULLS LAST", "lower(during::text) text_pattern_ops"]
with = "fillfactor = 70, deduplicate_items = off"
"#,
    );
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(got[1].contains("EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0)"), "{got:#?}");
    assert!(got[2].contains("WITH (fillfactor = 70, deduplicate_items = off)"), "{got:#?}");
}
