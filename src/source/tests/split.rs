//! Splitting files into statements and meta-commands, with exact origins.

use crate::source::split::{Piece, split};

/// (line, col, text) of each statement; meta-commands as `\name args`.
fn pieces(text: &str) -> Vec<(u32, u32, String)> {
    let s = split(text);
    assert_eq!(s.error, None, "unexpected error splitting {text:?}");
    s.pieces
        .into_iter()
        .map(|p| match p {
            Piece::Statement(st) => (st.line, st.col, st.text),
            Piece::Meta(m) => (m.line, m.col, format!("\\{} {}", m.name, m.args)),
        })
        .collect()
}

fn texts(text: &str) -> Vec<String> {
    pieces(text).into_iter().map(|(_, _, t)| t).collect()
}

#[test]
fn statements_end_at_semicolons_and_leave_comments_before_them_out() {
    let got = pieces("-- users\nCREATE TABLE a (x int);\n  CREATE TABLE b (y int) ;\nCREATE TABLE c ()");
    assert_eq!(
        got,
        vec![
            (2, 1, "CREATE TABLE a (x int)".to_string()),
            (3, 3, "CREATE TABLE b (y int)".to_string()),
            (4, 1, "CREATE TABLE c ()".to_string()),
        ]
    );
}

#[test]
fn empty_statements_are_not_statements() {
    assert_eq!(texts(";;\n; CREATE TABLE a ();;"), vec!["CREATE TABLE a ()"]);
}

#[test]
fn dollar_quotes_with_tags_hide_semicolons() {
    let sql =
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT ';'; $x$ ; $x$ $body$;\nSELECT 1;";
    let got = texts(sql);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].ends_with("$body$"));
    assert_eq!(got[1], "SELECT 1");
    assert_eq!(texts("DO $$ BEGIN PERFORM 1; END $$;DO $_$ ; $_$;").len(), 2);
}

#[test]
fn nested_block_comments_hide_semicolons() {
    let got = pieces("/* outer /* inner; */ still comment; */ CREATE TABLE t ();");
    assert_eq!(got, vec![(1, 41, "CREATE TABLE t ()".to_string())]);
}

#[test]
fn escape_strings_and_standard_strings() {
    // E'' strings take backslash escapes; standard strings do not (standard_conforming_strings = on).
    let got = texts("COMMENT ON TABLE t IS E'it\\'s; fine';\nSELECT 'C:\\';\nSELECT 'it''s; ok';");
    assert_eq!(got, vec!["COMMENT ON TABLE t IS E'it\\'s; fine'", "SELECT 'C:\\'", "SELECT 'it''s; ok'"]);
}

#[test]
fn begin_atomic_bodies_keep_their_semicolons() {
    let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\n\
               CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\n\
               BEGIN;\nCREATE TABLE t ();\nCOMMIT;";
    let got = texts(sql);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert!(got[0].ends_with("THEN 2 END;\nEND"), "{}", got[0]);
    assert!(got[1].ends_with("VALUES (1); END"));
    assert_eq!(got[2..], ["BEGIN", "CREATE TABLE t ()", "COMMIT"]);
}

#[test]
fn semicolons_inside_parentheses_do_not_end_a_statement() {
    let sql = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));\nSELECT 1;";
    assert_eq!(texts(sql).len(), 2);
}

#[test]
fn copy_data_is_skipped_up_to_its_terminator() {
    let sql = "COPY t (a, b) FROM stdin;\n1\tO'Brien\n\\N\t$$\n\\.\nCREATE TABLE u ();\n";
    let s = split(sql);
    assert_eq!(s.error, None);
    assert_eq!(s.pieces.len(), 2);
    let Piece::Statement(copy) = &s.pieces[0] else { panic!("{:?}", s.pieces) };
    assert!(copy.inline_data);
    assert_eq!(copy.text, "COPY t (a, b) FROM stdin");
    let Piece::Statement(next) = &s.pieces[1] else { panic!() };
    assert_eq!((next.line, next.col, next.text.as_str()), (5, 1, "CREATE TABLE u ()"));
    // Without a terminator the data runs to the end of the file.
    assert_eq!(texts("COPY t FROM stdin;\nx'y\n").len(), 1);
    // psql's \copy from stdin reads its data from the file too.
    assert_eq!(texts("\\copy t from stdin\n1\n\\.\nSELECT 1;"), vec!["\\copy t from stdin", "SELECT 1"]);
}

#[test]
fn meta_commands_run_to_the_end_of_their_line() {
    let got = pieces("\\restrict AbC123\n\\set ON_ERROR_STOP on\nCREATE TABLE t (); \\echo done ; really\n");
    assert_eq!(
        got,
        vec![
            (1, 1, "\\restrict AbC123".to_string()),
            (2, 1, "\\set ON_ERROR_STOP on".to_string()),
            (3, 1, "CREATE TABLE t ()".to_string()),
            (3, 20, "\\echo done ; really".to_string()),
        ]
    );
}

#[test]
fn a_meta_command_inside_a_statement_is_blanked_keeping_columns() {
    let got = pieces("CREATE TABLE t (\n  \\echo hi\n  a int);");
    assert_eq!(got[0], (2, 3, "\\echo hi".to_string()));
    assert_eq!(got[1], (1, 1, "CREATE TABLE t (\n          \n  a int)".to_string()));
}

#[test]
fn a_backslash_line_inside_a_dollar_quote_is_text() {
    let sql =
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\not a meta-command\n$$;\nCREATE TABLE t ();";
    let got = pieces(sql);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].2.contains("\\not a meta-command"));
    assert_eq!(got[1], (4, 1, "CREATE TABLE t ()".to_string()));
}

#[test]
fn crlf_files_count_lines_alike() {
    let got = pieces(
        "CREATE TABLE a ();\r\n\r\n  CREATE TABLE b (\r\n x int);\r\nCOPY a FROM stdin;\r\n1\r\n\\.\r\nSELECT 1;\r\n",
    );
    assert_eq!(got[0], (1, 1, "CREATE TABLE a ()".to_string()));
    assert_eq!(got[1], (3, 3, "CREATE TABLE b (\r\n x int)".to_string()));
    assert_eq!(got[3], (8, 1, "SELECT 1".to_string()));
}

#[test]
fn columns_count_characters_not_bytes() {
    let line = "COMMENT ON TABLE \"ä\" IS 'ü€'; CREATE TABLE \"ö\" ();";
    let got = pieces(&format!("-- é\n{line}"));
    let expected_col = line.find("CREATE").map(|b| line[..b].chars().count() as u32 + 1).unwrap();
    assert_eq!(expected_col, 31);
    assert_eq!(got[1], (2, expected_col, "CREATE TABLE \"ö\" ()".to_string()));
}

fn error_of(text: &str) -> (&'static str, u32, u32) {
    let e = split(text).error.expect("an error");
    (e.code, e.line, e.col)
}

#[test]
fn unterminated_text_is_an_error_at_its_opening() {
    assert_eq!(
        error_of("CREATE TABLE a ();\nCOMMENT ON TABLE a IS 'oops;\nCREATE TABLE b ();"),
        ("unterminated-string", 2, 23)
    );
    assert_eq!(error_of("SELECT 1;\n  DO $body$ BEGIN END $$;"), ("unterminated-dollar-quote", 2, 6));
    assert_eq!(error_of("SELECT 1; /* open /* nested */"), ("unterminated-comment", 1, 11));
    assert_eq!(error_of("CREATE TABLE \"ab (x int);"), ("unterminated-identifier", 1, 14));
    assert_eq!(error_of("SELECT E'\\';"), ("unterminated-string", 1, 8));
}

#[test]
fn an_unterminated_string_past_a_backslash_line_is_found_at_its_opening() {
    let e = error_of("SELECT 1;\nSELECT 'never closed\n\\echo x\nmore\n");
    assert_eq!(e, ("unterminated-string", 2, 8));
}

#[test]
fn statements_before_an_error_are_kept() {
    let s = split("CREATE TABLE a ();\nSELECT 'x");
    assert_eq!(s.pieces.len(), 1);
    assert!(s.error.is_some());
}

#[test]
fn a_carriage_return_ends_a_line_comment_as_in_postgres() {
    // PostgreSQL ends the comment at the `\r`; so does the splitter, so what follows is classified.
    assert_eq!(texts("-- note\rDROP TABLE canary;\n"), vec!["DROP TABLE canary"]);
    assert_eq!(texts("-- a\r\nCREATE TABLE a ();\r\n"), vec!["CREATE TABLE a ()"]);
}
