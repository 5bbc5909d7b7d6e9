//! One file's text as statements and psql meta-commands, with their origins: [`crate::script`] splits
//! it, as it splits a plan file; this module adds what classifying needs (each statement's significant
//! tokens, from sqlparser's tokenizer, PostgreSQL dialect) and a meta-command's name and arguments.
//!
//! Invariants: a statement's `text` is the script splitter's (the exact file text from its first token up
//! to, not including, its `;`, meta-commands inside it blanked); positions are 1-based, columns count
//! characters.

use crate::script::{self, Open, Terminator};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// A statement as written, with its significant tokens (no whitespace, no comments).
#[derive(Debug, Clone)]
pub(crate) struct RawStatement {
    pub text: String,
    pub line: u32,
    pub col: u32,
    pub tokens: Vec<TokenWithSpan>,
    /// `COPY ... FROM stdin` whose data lines followed the statement (and were skipped).
    pub inline_data: bool,
}

/// A psql meta-command line, e.g. `\ir tables.sql`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MetaCommand {
    /// The command without its backslash (`ir`, `set`, `.`).
    pub name: String,
    /// The rest of the line, trimmed.
    pub args: String,
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Statement(RawStatement),
    Meta(MetaCommand),
}

/// Text that cannot be read (an unterminated quote, dollar quote, comment...), at the opening position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitError {
    pub code: &'static str,
    pub message: String,
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Split {
    pub pieces: Vec<Piece>,
    pub error: Option<SplitError>,
}

/// Splits `text` (a whole file, without a byte order mark). Stops at the first text that cannot be read:
/// everything after it is unreliable.
pub(crate) fn split(text: &str) -> Split {
    let mut out = Split::default();
    out.error = each(text, |piece| out.pieces.push(piece));
    out
}

/// [`split`], handing each piece to `take` as it is read, so that a statement's tokens live only while
/// its reader classifies it (a whole file's tokens take about 50 times the file's size). Returns the text
/// that cannot be read, if any; nothing after it is handed over.
pub(crate) fn each(text: &str, mut take: impl FnMut(Piece)) -> Option<SplitError> {
    let split = script::split(text);
    for piece in split.pieces {
        match piece {
            script::Piece::Comment { .. } => {}
            script::Piece::Meta { line, col, text } => take(Piece::Meta(meta(&text, line, col))),
            script::Piece::Stmt(stmt) => {
                let (line, col) = (stmt.line as u32, stmt.col as u32);
                let tokens = match tokens(&stmt.text) {
                    Ok(tokens) => tokens,
                    Err(message) => {
                        let (code, message) = describe_tokenizer_error(&message);
                        return Some(SplitError { code, message, line, col });
                    }
                };
                let inline_data = is_copy_from_stdin(&tokens);
                let gexec = stmt.terminator == Terminator::Gexec;
                take(Piece::Statement(RawStatement { text: stmt.text, line, col, tokens, inline_data }));
                if gexec {
                    // psql runs the statement and each value it returns; a schema file has no use for that.
                    take(Piece::Meta(MetaCommand { name: "gexec".into(), args: String::new(), line, col }));
                }
            }
        }
    }
    split.error.map(|e| {
        let (code, message) = match e.open {
            Open::DollarQuote => ("unterminated-dollar-quote", "unterminated dollar-quoted string"),
            Open::Comment => ("unterminated-comment", "unterminated /* comment"),
            Open::Identifier => ("unterminated-identifier", "unterminated quoted identifier"),
            Open::String => ("unterminated-string", "unterminated quoted string"),
        };
        SplitError { code, message: message.into(), line: e.line as u32, col: e.col as u32 }
    })
}

/// The significant tokens of a statement's text.
fn tokens(text: &str) -> Result<Vec<TokenWithSpan>, String> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, text)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| e.message)?;
    Ok(tokens.into_iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect())
}

/// `\name args` from a meta-command line.
fn meta(text: &str, line: usize, col: usize) -> MetaCommand {
    let body = text[1..].trim_end_matches('\r');
    let (name, args) = match body.find(char::is_whitespace) {
        Some(i) => (&body[..i], body[i..].trim()),
        None => (body, ""),
    };
    MetaCommand { name: name.to_string(), args: args.to_string(), line: line as u32, col: col as u32 }
}

fn word_is(token: &Token, keyword: &str) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(keyword))
}

fn is_copy_from_stdin(tokens: &[TokenWithSpan]) -> bool {
    tokens.first().is_some_and(|t| word_is(&t.token, "copy"))
        && tokens.windows(2).any(|w| word_is(&w[0].token, "from") && word_is(&w[1].token, "stdin"))
}

fn describe_tokenizer_error(message: &str) -> (&'static str, String) {
    if message.contains("dollar-quoted") {
        ("unterminated-dollar-quote", "unterminated dollar-quoted string".into())
    } else if message.contains("multi-line comment") {
        ("unterminated-comment", "unterminated /* comment".into())
    } else if message.contains("delimiter") {
        ("unterminated-identifier", "unterminated quoted identifier".into())
    } else if message.contains("Unterminated") {
        ("unterminated-string", "unterminated quoted string".into())
    } else {
        ("invalid-token", format!("cannot read the text here: {message}"))
    }
}
