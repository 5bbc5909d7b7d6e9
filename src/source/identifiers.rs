//! Identifiers longer than PostgreSQL keeps: it truncates every identifier to 63 bytes (NAMEDATALEN - 1),
//! at a character boundary, with only a NOTICE. The desired state is normalized through PostgreSQL, so the
//! catalog already holds the truncated names; what this module adds is the warning at the place the long
//! name is written, and an error where two different names written in one namespace truncate to the same
//! one (PostgreSQL would take them for one object, or refuse the second with a message about a name the
//! user never wrote).
//!
//! Namespaces are read from a statement's leading words, as far as they are plain: the relation, type and
//! domain names of a schema (`CREATE TABLE|VIEW|INDEX|SEQUENCE|TYPE|DOMAIN ...`), schemas, the columns of a
//! table (`CREATE TABLE`'s column list, `ALTER TABLE ... ADD [COLUMN]`) and the constraint names of a table
//! (`CONSTRAINT name`). Any other long identifier gets the warning only.

use super::Statement;
use super::diagnostic::{Diagnostic, Origin};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Word};
use std::collections::BTreeMap;
use std::path::Path;

/// The longest identifier PostgreSQL keeps, in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// `name` as PostgreSQL keeps it: at most 63 bytes, cut at a character boundary.
pub fn truncate(name: &str) -> &str {
    if name.len() <= MAX_IDENTIFIER_BYTES {
        return name;
    }
    let mut end = MAX_IDENTIFIER_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// A long identifier as written, where, and the namespace it names something in (if known).
struct Long {
    name: String,
    origin: Origin,
    namespace: Option<String>,
}

/// Warnings for identifiers over 63 bytes, and errors where two of one namespace truncate to one name.
pub(crate) fn check(root: &Path, statements: &[Statement]) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    // (namespace, truncated name) -> the first name written so, and where.
    let mut seen: BTreeMap<(String, String), (String, Origin)> = BTreeMap::new();
    for s in statements {
        for long in long_identifiers(s) {
            let cut = truncate(&long.name).to_string();
            let message = format!(
                "identifier `{}` is {} bytes; PostgreSQL keeps the first {MAX_IDENTIFIER_BYTES}: `{cut}`",
                crate::escape::comment_text(&long.name),
                long.name.len()
            );
            warnings.push(
                Diagnostic::warning("identifier-truncated", message)
                    .at(root, long.origin.clone())
                    .help("shorten the name to 63 bytes, so the files say what the database holds"),
            );
            let Some(namespace) = long.namespace else { continue };
            match seen.get(&(namespace.clone(), cut.clone())) {
                Some((first, at)) if *first != long.name => {
                    let message = format!(
                        "`{}` and `{}` (at {at}) are both `{cut}` once PostgreSQL truncates them to \
                         {MAX_IDENTIFIER_BYTES} bytes",
                        crate::escape::comment_text(&long.name),
                        crate::escape::comment_text(first),
                    );
                    errors.push(
                        Diagnostic::error("identifiers-truncate-alike", message)
                            .at(root, long.origin)
                            .help("make the names differ within their first 63 bytes"),
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert((namespace, cut), (long.name, long.origin));
                }
            }
        }
    }
    (warnings, errors)
}

/// The identifier a word names (unquoted words fold to lower case, as PostgreSQL folds ASCII letters).
fn ident(w: &Word) -> String {
    match w.quote_style {
        Some('"') => w.value.replace("\"\"", "\""),
        Some(_) => w.value.clone(),
        None => w.value.to_ascii_lowercase(),
    }
}

fn long_identifiers(s: &Statement) -> Vec<Long> {
    if !may_hold_long_identifier(&s.sql) {
        return Vec::new();
    }
    let Ok(tokens) =
        Tokenizer::new(&PostgreSqlDialect {}, &s.sql).with_unescape(false).tokenize_with_location()
    else {
        return Vec::new();
    };
    let t: Vec<&TokenWithSpan> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let word = |i: usize| match t.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    };
    let namespaces = namespaces(&t, &word);
    let mut out = Vec::new();
    for (i, token) in t.iter().enumerate() {
        let Token::Word(w) = &token.token else { continue };
        let name = ident(w);
        if name.len() <= MAX_IDENTIFIER_BYTES || (w.quote_style.is_some() && w.quote_style != Some('"')) {
            continue;
        }
        let at = token.span.start;
        let (line, col) = (at.line as u32, at.column as u32);
        let origin = if line <= 1 {
            Origin::new(&s.origin.file, s.origin.line, s.origin.col + col.saturating_sub(1))
        } else {
            Origin::new(&s.origin.file, s.origin.line + line - 1, col)
        };
        out.push(Long { name, origin, namespace: namespaces.get(&i).cloned() });
    }
    out
}

/// Whether `sql` may hold an identifier longer than PostgreSQL keeps, without tokenizing it: one needs a
/// double quote (a quoted identifier may hold any character) or a run of more than that many bytes that
/// an unquoted identifier may hold (letters, digits, `_`, `$`, any non-ASCII byte). Most statements have
/// neither, and tokenizing each again took a good part of reading 5,000 tables' files.
fn may_hold_long_identifier(sql: &str) -> bool {
    if sql.len() <= MAX_IDENTIFIER_BYTES {
        return false;
    }
    if sql.contains('"') {
        return true;
    }
    let mut run = 0;
    for b in sql.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || !b.is_ascii() {
            run += 1;
            if run > MAX_IDENTIFIER_BYTES {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// The namespace of the tokens (by index) that name something in one, read from the statement's words.
fn namespaces(t: &[&TokenWithSpan], word: &dyn Fn(usize) -> Option<String>) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    // A qualified name starting at `i`: (its last part's index, the schema part as text, the index after).
    let qualified = |i: usize| -> Option<(usize, String, usize)> {
        let part = |i: usize| match t.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) => Some(truncate(&ident(w)).to_string()),
            _ => None,
        };
        part(i)?;
        if matches!(t.get(i + 1).map(|t| &t.token), Some(Token::Period)) && part(i + 2).is_some() {
            return Some((i + 2, part(i)?, i + 3));
        }
        Some((i, String::new(), i + 1))
    };
    let full = |i: usize| -> String {
        let part = |i: usize| match t.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) => truncate(&ident(w)).to_string(),
            _ => String::new(),
        };
        match qualified(i) {
            Some((last, schema, _)) if !schema.is_empty() => format!("{schema}.{}", part(last)),
            Some((last, _, _)) => part(last),
            None => String::new(),
        }
    };
    let mut i = 0;
    if word(0).as_deref() != Some("CREATE") && word(0).as_deref() != Some("ALTER") {
        return out;
    }
    let create = word(0).as_deref() == Some("CREATE");
    i += 1;
    if create && word(i).as_deref() == Some("OR") && word(i + 1).as_deref() == Some("REPLACE") {
        i += 2;
    }
    while matches!(
        word(i).as_deref(),
        Some("UNIQUE" | "TEMP" | "TEMPORARY" | "UNLOGGED" | "MATERIALIZED" | "FOREIGN" | "RECURSIVE")
    ) {
        i += 1;
    }
    let kind = word(i).unwrap_or_default();
    i += 1;
    if word(i).as_deref() == Some("CONCURRENTLY") {
        i += 1;
    }
    if word(i).as_deref() == Some("IF") {
        i += if create { 3 } else { 2 };
    }
    if word(i).as_deref() == Some("ONLY") {
        i += 1;
    }
    let relation_like = matches!(kind.as_str(), "TABLE" | "VIEW" | "INDEX" | "SEQUENCE" | "TYPE" | "DOMAIN");
    let Some((last, schema, after)) = qualified(i) else { return out };
    let table = full(i);
    if create && relation_like {
        out.insert(last, format!("relation-or-type:{schema}"));
    } else if create && kind == "SCHEMA" {
        out.insert(last, "schema".to_string());
    }
    let on_table = kind == "TABLE";
    // Constraint names anywhere in a table's statement; column names in its column list or ADD COLUMN.
    let mut depth = 0usize;
    let mut element_start = create && on_table;
    for j in after..t.len() {
        match &t[j].token {
            Token::LParen => {
                depth += 1;
                if depth == 1 && create && on_table {
                    element_start = true;
                    continue;
                }
            }
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 1 && create && on_table => {
                element_start = true;
                continue;
            }
            Token::Comma if depth == 0 && !create => {
                element_start = false;
            }
            _ => {}
        }
        if !on_table {
            continue;
        }
        if word(j).as_deref() == Some("CONSTRAINT")
            && matches!(t.get(j + 1).map(|t| &t.token), Some(Token::Word(_)))
        {
            out.insert(j + 1, format!("constraint:{table}"));
        }
        let starts_column = if create {
            element_start && depth == 1
        } else {
            word(j).as_deref() == Some("ADD")
                && word(j + 1).as_deref() != Some("CONSTRAINT")
                && matches!(t.get(j + 1).map(|t| &t.token), Some(Token::Word(_)))
        };
        if starts_column {
            let at = if !create && word(j + 1).as_deref() == Some("COLUMN") { j + 2 } else { j + 1 };
            let at = if create { j } else { at };
            let keyword = matches!(
                word(at).as_deref(),
                Some("CONSTRAINT" | "PRIMARY" | "UNIQUE" | "CHECK" | "FOREIGN" | "EXCLUDE" | "LIKE")
            );
            if !keyword && matches!(t.get(at).map(|t| &t.token), Some(Token::Word(_))) {
                out.insert(at, format!("column:{table}"));
            }
        }
        element_start = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(sql: &str) -> Statement {
        Statement {
            sql: sql.to_string(),
            origin: Origin::new("a.sql", 3, 1),
            treatment: super::super::Treatment::Declare,
            summary: String::new(),
            load_last: false,
            unit: 0,
        }
    }

    #[test]
    fn truncates_at_63_bytes_on_a_character_boundary() {
        let ascii = "a".repeat(70);
        assert_eq!(truncate(&ascii).len(), 63);
        let wide = format!("{}é", "a".repeat(62));
        assert_eq!(truncate(&wide), "a".repeat(62));
        assert_eq!(truncate("short"), "short");
    }

    #[test]
    fn only_a_statement_that_may_hold_a_long_identifier_is_tokenized_again() {
        let long = "b".repeat(64);
        let filler = format!("CREATE TABLE app.t ({})", "x int, ".repeat(20));
        assert!(!may_hold_long_identifier(&filler));
        assert!(!may_hold_long_identifier("SELECT 1"));
        assert!(may_hold_long_identifier(&format!("CREATE TABLE app.{long} ()")));
        assert!(may_hold_long_identifier(&format!("{filler} -- \"a b\"")));
        // A run of non-ASCII letters counts by bytes, as PostgreSQL's limit does.
        assert!(may_hold_long_identifier(&format!("CREATE TABLE app.{} ()", "é".repeat(32))));
        assert!(!may_hold_long_identifier(&format!("CREATE TABLE app.{} ()", "é".repeat(31))));
        // Every case the check reports is one it tokenizes.
        assert_eq!(long_identifiers(&statement(&format!("CREATE TABLE app.{long} ()"))).len(), 1);
    }

    #[test]
    fn long_names_warn_where_written_and_collide_only_in_one_namespace() {
        let long = |tail: &str| format!("{}{tail}", "c".repeat(63));
        let (warnings, errors) = check(
            Path::new("schema"),
            &[
                statement(&format!("CREATE TABLE app.t (\n  {} int,\n  {} int)", long("_a"), long("_b"))),
                statement(&format!("CREATE TABLE app.u ({} int)", long("_a"))),
                statement(&format!("CREATE TABLE app.{} ()", long("_x"))),
                statement(&format!("CREATE VIEW app.{} AS SELECT 1", long("_y"))),
            ],
        );
        assert_eq!(warnings.len(), 5, "{warnings:#?}");
        assert!(
            warnings[0].to_string().starts_with("schema/a.sql:4:3: warning[identifier-truncated]"),
            "{}",
            warnings[0]
        );
        let errors: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0].starts_with("schema/a.sql:5:3: error[identifiers-truncate-alike]"),
            "{}",
            errors[0]
        );
        // The table and the view share the schema's relation namespace.
        assert!(
            errors[1].starts_with("schema/a.sql:3:17: error[identifiers-truncate-alike]"),
            "{}",
            errors[1]
        );
    }
}
