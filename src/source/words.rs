//! Reading a statement's leading words: the verb, the kind of object, its name, and a short summary
//! (`CREATE TABLE app.users`) used in messages.
//!
//! Works on sqlparser tokens of any statement, also those sqlparser cannot parse. Only unquoted words count
//! as keywords; a quoted name never does.

use sqlparser::tokenizer::{Token, TokenWithSpan};

/// Kinds of objects, longest phrase first where phrases share a prefix.
const KINDS: &[&[&str]] = &[
    &["TABLE"],
    &["FOREIGN", "DATA", "WRAPPER"],
    &["FOREIGN", "TABLE"],
    &["MATERIALIZED", "VIEW"],
    &["VIEW"],
    &["INDEX"],
    &["SEQUENCE"],
    &["TYPE"],
    &["DOMAIN"],
    &["FUNCTION"],
    &["PROCEDURE"],
    &["ROUTINE"],
    &["AGGREGATE"],
    &["SCHEMA"],
    &["EXTENSION"],
    &["COLLATION"],
    &["CONVERSION"],
    &["PROCEDURAL", "LANGUAGE"],
    &["LANGUAGE"],
    &["LARGE", "OBJECT"],
    &["OPERATOR", "CLASS"],
    &["OPERATOR", "FAMILY"],
    &["OPERATOR"],
    &["POLICY"],
    &["PUBLICATION"],
    &["SUBSCRIPTION"],
    &["RULE"],
    &["SERVER"],
    &["STATISTICS"],
    &["TEXT", "SEARCH", "CONFIGURATION"],
    &["TEXT", "SEARCH", "DICTIONARY"],
    &["TEXT", "SEARCH", "PARSER"],
    &["TEXT", "SEARCH", "TEMPLATE"],
    &["CONSTRAINT", "TRIGGER"],
    &["CONSTRAINT"],
    &["TRIGGER"],
    &["EVENT", "TRIGGER"],
    &["USER", "MAPPING"],
    &["USER"],
    &["ROLE"],
    &["GROUP"],
    &["TABLESPACE"],
    &["DATABASE"],
    &["CAST"],
    &["TRANSFORM"],
    &["ACCESS", "METHOD"],
    &["DEFAULT", "PRIVILEGES"],
    &["COLUMN"],
    &["ALL", "TABLES", "IN", "SCHEMA"],
    &["ALL", "SEQUENCES", "IN", "SCHEMA"],
    &["ALL", "FUNCTIONS", "IN", "SCHEMA"],
    &["ALL", "PROCEDURES", "IN", "SCHEMA"],
    &["ALL", "ROUTINES", "IN", "SCHEMA"],
];

/// Words between CREATE and the kind (`CREATE OR REPLACE TEMP VIEW`, `CREATE UNIQUE INDEX`).
const MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "GLOBAL",
    "LOCAL",
    "UNIQUE",
    "TRUSTED",
    "RECURSIVE",
    "DEFAULT",
];

/// Words between the kind and the name that the summary leaves out.
const NAME_PREFIXES: &[&str] = &["IF", "NOT", "EXISTS", "ONLY", "CONCURRENTLY"];

/// The unquoted word at `i`, if any.
pub(crate) fn word(t: &[TokenWithSpan], i: usize) -> Option<&str> {
    match t.get(i).map(|t| &t.token) {
        Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.as_str()),
        _ => None,
    }
}

/// Whether the token at `i` is the unquoted keyword `kw` (case-insensitive).
pub(crate) fn is(t: &[TokenWithSpan], i: usize, kw: &str) -> bool {
    word(t, i).is_some_and(|w| w.eq_ignore_ascii_case(kw))
}

/// Whether `IF EXISTS` occurs in `t`.
pub(crate) fn has_if_exists(t: &[TokenWithSpan]) -> bool {
    (0..t.len().saturating_sub(1)).any(|i| is(t, i, "IF") && is(t, i + 1, "EXISTS"))
}

/// The statement's head: verb, modifiers, kind and where the name starts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    /// The kind phrase, upper case and space-separated (`MATERIALIZED VIEW`), or empty.
    pub kind: String,
    /// Upper-case words of the head as shown in a summary (`CREATE OR REPLACE VIEW`).
    pub words: Vec<String>,
    /// Index of the first token of the object name (after `IF NOT EXISTS`, `ONLY`, ...).
    pub name_at: usize,
}

/// Reads the kind phrase starting at `i`, and what follows up to the name.
pub(crate) fn head_from(t: &[TokenWithSpan], mut i: usize, mut words: Vec<String>, modifiers: bool) -> Head {
    loop {
        if let Some(kind) = KINDS.iter().find(|k| k.iter().enumerate().all(|(j, kw)| is(t, i + j, kw))) {
            words.extend(kind.iter().map(|w| w.to_string()));
            i += kind.len();
            while word(t, i).is_some_and(|w| NAME_PREFIXES.iter().any(|p| w.eq_ignore_ascii_case(p))) {
                i += 1;
            }
            return Head { kind: kind.join(" "), words, name_at: i };
        }
        match word(t, i) {
            Some(w) if modifiers && MODIFIERS.iter().any(|m| w.eq_ignore_ascii_case(m)) => {
                words.push(w.to_ascii_uppercase());
                i += 1;
            }
            _ => return Head { kind: String::new(), words, name_at: i },
        }
    }
}

/// A qualified name (`word(.word)*`, quotes kept) starting at `i`, and the index after it.
pub(crate) fn qualified_name(t: &[TokenWithSpan], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    while let Some(Token::Word(w)) = t.get(i).map(|t| &t.token) {
        name.push_str(&w.to_string());
        i += 1;
        if matches!(t.get(i).map(|t| &t.token), Some(Token::Period)) {
            name.push('.');
            i += 1;
        } else {
            break;
        }
    }
    (name, i)
}

/// The index of the first top-level (parenthesis depth 0) unquoted keyword `kw` at or after `from`.
pub(crate) fn find_top(t: &[TokenWithSpan], from: usize, kw: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, token) in t.iter().enumerate().skip(from) {
        match token.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ if depth == 0 && is(t, i, kw) => return Some(i),
            _ => {}
        }
    }
    None
}

/// Keywords that take a parenthesized operand without being function calls.
const NOT_CALLS: &[&str] = &[
    "ALL", "AND", "ANY", "ARRAY", "AS", "CAST", "COALESCE", "EXISTS", "FROM", "GREATEST", "IN", "LEAST",
    "NOT", "NULLIF", "ON", "OR", "ROW", "SELECT", "SOME", "THEN", "USING", "VALUES", "WHEN", "WHERE",
];

/// The first function call at or after `from`: its name as written, and its last part in lower case.
pub(crate) fn first_call(t: &[TokenWithSpan], from: usize) -> Option<(String, String)> {
    (from..t.len()).find_map(|i| {
        let (name, after) = qualified_name(t, i);
        if name.is_empty() || !matches!(t.get(after).map(|t| &t.token), Some(Token::LParen)) {
            return None;
        }
        if after == i + 1 && word(t, i).is_some_and(|w| NOT_CALLS.iter().any(|k| w.eq_ignore_ascii_case(k))) {
            return None;
        }
        let last = match &t[after - 1].token {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
            Token::Word(w) => w.value.clone(),
            _ => return None,
        };
        Some((name, last))
    })
}

/// A short description of the statement for messages: `CREATE TABLE app.users`, `GRANT ... ON TABLE
/// app.users`, `SELECT app.f(...)`, `ALTER DEFAULT PRIVILEGES`.
pub(crate) fn summary(t: &[TokenWithSpan]) -> String {
    let Some(verb) = word(t, 0).map(str::to_ascii_uppercase) else {
        return t.first().map(|t| t.token.to_string()).unwrap_or_default();
    };
    let text = match verb.as_str() {
        "CREATE" | "ALTER" | "DROP" => named(t, head_from(t, 1, vec![verb], true)),
        "COMMENT" | "SECURITY" => match find_top(t, 1, "ON") {
            Some(on) => named(t, head_from(t, on + 1, vec![verb, "ON".into()], false)),
            None => verb,
        },
        "GRANT" | "REVOKE" => match find_top(t, 1, "ON") {
            Some(on) => named(t, head_from(t, on + 1, vec![verb, "... ON".into()], false)),
            None => format!("{verb} (role membership)"),
        },
        "SELECT" => match first_call(t, 1) {
            Some((name, _)) => format!("SELECT {name}(...)"),
            None => verb,
        },
        _ => {
            let mut i = 1;
            let mut words = vec![verb];
            let fillers = ["INTO", "FROM", "TABLE", "ONLY", "SESSION", "LOCAL", "MATERIALIZED", "VIEW"];
            while let Some(w) = word(t, i).filter(|w| fillers.iter().any(|f| w.eq_ignore_ascii_case(f))) {
                words.push(w.to_ascii_uppercase());
                i += 1;
            }
            named(t, Head { kind: String::new(), words, name_at: i })
        }
    };
    shorten(text)
}

fn named(t: &[TokenWithSpan], head: Head) -> String {
    let mut text = head.words.join(" ");
    if head.kind == "DEFAULT PRIVILEGES" {
        return text;
    }
    let (mut name, after) = qualified_name(t, head.name_at);
    if name.eq_ignore_ascii_case("ON") {
        // `CREATE INDEX ON t (...)`: an index without a name.
        name = qualified_name(t, after).0;
        text.push_str(" ON");
    }
    if !name.is_empty() {
        text.push(' ');
        text.push_str(&name);
    }
    text
}

fn shorten(text: String) -> String {
    const MAX: usize = 100;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}
