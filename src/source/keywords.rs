//! Classifying a statement from its leading keywords, for every statement (sqlparser parses only some).
//!
//! This reader knows the whole treatment table of DESIGN.md ("What a schema file may contain"); the AST
//! reader in `ast` answers first for the statements sqlparser parses, and both must agree (the unit tests
//! check that they do).

use super::Treatment;
use super::class::*;
use super::words::{find_top, first_call, has_if_exists, head_from, is, qualified_name, word};
use crate::script::Control;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The class of the statement with significant tokens `t`.
pub(crate) fn classify(t: &[TokenWithSpan]) -> Class {
    let Some(verb) = word(t, 0) else { return Class::Reject(UNSUPPORTED) };
    match crate::script::Control::of_word(verb) {
        Control::Set | Control::Reset => return Class::Keep(Treatment::Session),
        Control::Begin | Control::Commit => return SKIP,
        Control::Rollback => return Class::Reject(ROLLBACK),
        Control::None => {}
    }
    match verb.to_ascii_uppercase().as_str() {
        "CREATE" => create(t),
        "ALTER" => alter(t),
        "DROP" => drop(t),
        "COMMENT" => comment(t),
        "GRANT" | "REVOKE" => grant(t),
        "DO" | "CALL" => Class::Keep(Treatment::RunForEffect),
        "SELECT" => select(t),
        "INSERT" | "COPY" | "REFRESH" => DATA,
        "UPDATE" | "DELETE" | "TRUNCATE" | "MERGE" => Class::Reject(DATA_CHANGE),
        "CLUSTER" => Class::Reject(CLUSTER),
        _ => Class::Reject(UNSUPPORTED),
    }
}

/// Whether the statement makes, alters or comments on an event trigger (`CREATE EVENT TRIGGER`, `ALTER EVENT
/// TRIGGER ... ENABLE ALWAYS`, `COMMENT ON EVENT TRIGGER`): loaded after everything else, so that an event
/// trigger never fires on the loading of the other statements.
pub(crate) fn is_event_trigger(t: &[TokenWithSpan]) -> bool {
    let head = if is(t, 0, "CREATE") {
        head_from(t, 1, Vec::new(), true)
    } else if is(t, 0, "ALTER") {
        head_from(t, 1, Vec::new(), false)
    } else if is(t, 0, "COMMENT") && is(t, 1, "ON") {
        head_from(t, 2, Vec::new(), false)
    } else {
        return false;
    };
    head.kind == "EVENT TRIGGER"
}

/// Kinds that live in the whole server, not in one database.
fn cluster_wide(kind: &str) -> Option<Class> {
    match kind {
        "DATABASE" => Some(Class::Reject(DATABASE)),
        "ROLE" | "USER" | "GROUP" | "TABLESPACE" => Some(Class::Reject(CLUSTER_OBJECT)),
        _ => None,
    }
}

fn create(t: &[TokenWithSpan]) -> Class {
    let head = head_from(t, 1, Vec::new(), true);
    cluster_wide(&head.kind).unwrap_or(DECLARE)
}

fn drop(t: &[TokenWithSpan]) -> Class {
    let head = head_from(t, 1, Vec::new(), false);
    if let Some(class) = cluster_wide(&head.kind) {
        return class;
    }
    if has_if_exists(&t[..head.name_at.min(t.len())]) {
        Class::Keep(Treatment::CleanupDrop)
    } else {
        Class::Reject(BARE_DROP)
    }
}

fn comment(t: &[TokenWithSpan]) -> Class {
    match find_top(t, 1, "ON") {
        Some(on) => cluster_wide(&head_from(t, on + 1, Vec::new(), false).kind).unwrap_or(DECLARE),
        None => Class::Reject(UNSUPPORTED),
    }
}

fn grant(t: &[TokenWithSpan]) -> Class {
    match find_top(t, 1, "ON") {
        Some(on) => cluster_wide(&head_from(t, on + 1, Vec::new(), false).kind).unwrap_or(DECLARE),
        // GRANT role TO role: membership, which belongs to the server.
        None => Class::Reject(CLUSTER_OBJECT),
    }
}

fn select(t: &[TokenWithSpan]) -> Class {
    match first_call(t, 1) {
        Some((_, f)) if f == "setval" => SKIP,
        Some((_, f)) if f == "set_config" => Class::Keep(Treatment::Session),
        Some(_) => Class::Keep(Treatment::RunForEffect),
        // `SELECT 'loading tables...'`: a query that calls nothing has no effect, like `\echo`.
        None => SKIP,
    }
}

fn alter(t: &[TokenWithSpan]) -> Class {
    let head = head_from(t, 1, Vec::new(), false);
    if let Some(class) = cluster_wide(&head.kind) {
        return class;
    }
    match head.kind.as_str() {
        "DEFAULT PRIVILEGES" => DECLARE,
        "" => Class::Reject(UNSUPPORTED),
        kind => {
            let start = after_name(t, kind, head.name_at);
            let cleanup = has_if_exists(t);
            combine(actions(t, start, kind).into_iter().map(|a| action(a, kind, cleanup)).collect())
        }
    }
}

/// The index of the first token after the altered object's name (and its argument list, `ON table`...).
fn after_name(t: &[TokenWithSpan], kind: &str, mut i: usize) -> usize {
    match kind {
        "USER MAPPING" => i = find_top(t, i, "SERVER").map_or(t.len(), |s| qualified_name(t, s + 1).1),
        "OPERATOR" => {
            while i < t.len() && !matches!(t[i].token, Token::LParen) {
                i += 1;
            }
        }
        "LARGE OBJECT" => i += 1,
        _ => i = qualified_name(t, i).1,
    }
    if matches!(t.get(i).map(|t| &t.token), Some(Token::Mul)) {
        i += 1;
    }
    if matches!(t.get(i).map(|t| &t.token), Some(Token::LParen)) {
        i = skip_group(t, i);
    }
    if matches!(kind, "POLICY" | "TRIGGER" | "RULE") && is(t, i, "ON") {
        i = qualified_name(t, i + 1).1;
    }
    if kind.starts_with("OPERATOR ") && is(t, i, "USING") {
        i += 2;
    }
    i
}

/// The index after the parenthesized group that opens at `i`.
fn skip_group(t: &[TokenWithSpan], mut i: usize) -> usize {
    let mut depth = 0;
    while i < t.len() {
        match t[i].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// The actions of an ALTER statement: comma-separated at the top level for the kinds whose syntax allows
/// several, else the whole rest (`SET search_path = a, b` is one action).
fn actions<'t>(t: &'t [TokenWithSpan], start: usize, kind: &str) -> Vec<&'t [TokenWithSpan]> {
    let rest = &t[start.min(t.len())..];
    if rest.is_empty() {
        return Vec::new();
    }
    if !matches!(kind, "TABLE" | "FOREIGN TABLE" | "MATERIALIZED VIEW" | "TYPE") {
        return vec![rest];
    }
    let mut out = Vec::new();
    let (mut depth, mut from) = (0i32, 0);
    for (i, token) in rest.iter().enumerate() {
        match token.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                out.push(&rest[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&rest[from..]);
    out
}

/// One action of `ALTER <kind> name ...`. `cleanup`: the statement says `IF EXISTS` somewhere, as pg_dump's
/// `--clean --if-exists` preambles do (`ALTER TABLE IF EXISTS t ALTER COLUMN c DROP DEFAULT`).
fn action(a: &[TokenWithSpan], kind: &str, cleanup: bool) -> Class {
    let Some(first) = word(a, 0) else { return Class::Reject(UNSUPPORTED) };
    match first.to_ascii_uppercase().as_str() {
        "ADD" | "RESET" | "OWNED" | "ATTACH" | "INHERIT" | "CLUSTER" | "REPLICA" | "ENABLE" | "DISABLE"
        | "FORCE" | "VALIDATE" | "OPTIONS" => DECLARE,
        "SET" if is(a, 1, "SCHEMA") => Class::Reject(RENAME),
        "SET" => DECLARE,
        "NO" if is(a, 1, "INHERIT") => Class::Reject(DETACH),
        "NO" if is(a, 1, "DEPENDS") => Class::Reject(UNSUPPORTED),
        // NO FORCE ROW LEVEL SECURITY; NO MINVALUE / MAXVALUE / CYCLE of a sequence.
        "NO" => DECLARE,
        "OWNER" => Class::Keep(Treatment::IgnoredOwner),
        "RENAME" => Class::Reject(RENAME),
        "DROP" => drop_action(cleanup),
        "DETACH" => Class::Reject(DETACH),
        "ALTER" => alter_action(a, cleanup),
        // Sequence state, like setval.
        "RESTART" => SKIP,
        // Sequence options.
        "INCREMENT" | "MINVALUE" | "MAXVALUE" | "START" | "CACHE" | "CYCLE" | "AS" => DECLARE,
        // Routine attributes.
        "IMMUTABLE" | "STABLE" | "VOLATILE" | "STRICT" | "CALLED" | "RETURNS" | "LEAKPROOF" | "NOT"
        | "SECURITY" | "EXTERNAL" | "PARALLEL" | "COST" | "ROWS" | "SUPPORT" => DECLARE,
        "USING" | "WITH" | "TO" if kind == "POLICY" => DECLARE,
        "UPDATE" if kind == "EXTENSION" => Class::Reject(EXTENSION_UPDATE),
        _ => Class::Reject(UNSUPPORTED),
    }
}

fn drop_action(cleanup: bool) -> Class {
    if cleanup { Class::Keep(Treatment::CleanupDrop) } else { Class::Reject(BARE_DROP) }
}

/// `ALTER [COLUMN|CONSTRAINT|ATTRIBUTE] name <sub-action>` inside an ALTER statement.
fn alter_action(a: &[TokenWithSpan], cleanup: bool) -> Class {
    if is(a, 1, "MAPPING") {
        return DECLARE;
    }
    let mut i = 1;
    if is(a, i, "COLUMN") || is(a, i, "CONSTRAINT") || is(a, i, "ATTRIBUTE") {
        i += 1;
    }
    i += 1;
    let Some(sub) = word(a, i) else { return Class::Reject(UNSUPPORTED) };
    match sub.to_ascii_uppercase().as_str() {
        "SET" | "RESET" | "ADD" | "TYPE" | "OPTIONS" | "DEFERRABLE" | "NOT" | "INITIALLY" => DECLARE,
        "DROP" => drop_action(cleanup),
        "RESTART" => SKIP,
        _ => Class::Reject(UNSUPPORTED),
    }
}
