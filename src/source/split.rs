//! Splitting one file's text into SQL statements and psql meta-commands, the way psql reads a file.
//!
//! Tokens come from sqlparser's tokenizer (PostgreSQL dialect: dollar quotes, nested comments, `E''`
//! strings); this module adds what psql does around them: a `;` ends a statement only outside parentheses
//! and outside a `BEGIN ... END` body of `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (psql's own heuristic); a
//! backslash outside quotes starts a meta-command that runs to the end of its line; `COPY ... FROM stdin`
//! (and `\copy ... from stdin`) is followed by data lines up to a line `\.`, which are never tokenized.
//!
//! Invariants:
//! - a statement's `text` is the exact file text from its first token up to (not including) its `;`, with
//!   any meta-command inside it replaced by as many spaces as it had characters, so that a character
//!   position in `text` maps back into the file by counting characters from `line:col`;
//! - positions are 1-based, columns count characters (a `\r` before `\n` counts like any character);
//! - tokenization is linear in the file size: the text is tokenized in windows that end before the next
//!   line starting with a backslash, and a window is only re-tokenized when a token runs past its end.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Word};

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

/// Text the tokenizer cannot read (an unterminated quote, dollar quote, comment...), at the opening position.
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

/// Splits `text` (a whole file, without a byte order mark). Stops at the first text the tokenizer cannot
/// read: everything after it is unreliable.
pub(crate) fn split(text: &str) -> Split {
    let mut splitter = Splitter {
        text,
        cursor: Cursor { text, byte: 0, line: 1, col: 1 },
        split: Split::default(),
        open: None,
    };
    splitter.run();
    splitter.split
}

/// A forward-only position in the text that converts between (line, column) and byte offsets.
struct Cursor<'a> {
    text: &'a str,
    byte: usize,
    line: u32,
    col: u32,
}

impl Cursor<'_> {
    fn step(&mut self) {
        let ch = self.text[self.byte..].chars().next().expect("cursor inside the text");
        self.byte += ch.len_utf8();
        if ch == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
    }

    /// Moves to `(line, col)` (never backwards) and returns its byte offset.
    fn seek(&mut self, line: u32, col: u32) -> usize {
        while (self.line, self.col) < (line, col) && self.byte < self.text.len() {
            self.step();
        }
        self.byte
    }

    fn seek_byte(&mut self, byte: usize) {
        while self.byte < byte {
            self.step();
        }
    }
}

/// A statement being read.
struct Open {
    start: usize,
    line: u32,
    col: u32,
    tokens: Vec<TokenWithSpan>,
    /// Byte ranges of meta-commands inside the statement, blanked in its text.
    blanks: Vec<(usize, usize)>,
    paren_depth: u32,
    begin_depth: u32,
    /// psql's BEGIN-body heuristic: first letters of the leading CREATE/OR/REPLACE/FUNCTION/PROCEDURE words.
    idents: [u8; 4],
    ident_count: usize,
}

enum Walked {
    /// Continue tokenizing at this byte offset (after a meta-command line or COPY data).
    Restart(usize),
    /// All tokens were used; the last one ended at this (absolute) line and column.
    Consumed(u32, u32),
}

struct Splitter<'a> {
    text: &'a str,
    cursor: Cursor<'a>,
    split: Split,
    open: Option<Open>,
}

impl Splitter<'_> {
    fn run(&mut self) {
        let len = self.text.len();
        let (mut pos, mut min_cut) = (0, 0);
        loop {
            let end = next_cut(self.text, pos.max(min_cut));
            self.cursor.seek_byte(pos);
            let (base_line, base_col) = (self.cursor.line, self.cursor.col);
            let mut buf = Vec::new();
            let result = Tokenizer::new(&PostgreSqlDialect {}, &self.text[pos..end])
                .with_unescape(false)
                .tokenize_with_location_into_buf(&mut buf);
            match self.walk(buf, base_line, base_col) {
                Walked::Restart(next) => pos = next,
                Walked::Consumed(line, col) => match result {
                    Ok(()) if end == len => break,
                    Ok(()) => pos = end,
                    Err(err) => {
                        let failed_at = self.cursor.seek(line, col);
                        if end == len {
                            let (code, message) = describe_tokenizer_error(&err.message);
                            let (line, col) = (self.cursor.line, self.cursor.col);
                            self.split.error = Some(SplitError { code, message, line, col });
                            self.open = None;
                            return;
                        }
                        // A token runs past a line that starts with a backslash: read further.
                        min_cut = end.max(failed_at + 2 * (end - pos));
                        pos = failed_at;
                    }
                },
            }
        }
        if let Some(open) = self.open.take() {
            self.finish_statement(open, len);
        }
    }

    fn walk(&mut self, buf: Vec<TokenWithSpan>, base_line: u32, base_col: u32) -> Walked {
        let abs = |loc: Location| -> (u32, u32) {
            let (line, col) = (loc.line as u32, loc.column as u32);
            if line == 1 { (base_line, base_col + col - 1) } else { (base_line + line - 1, col) }
        };
        let mut last_end = (base_line, base_col);
        for token in buf {
            last_end = abs(token.span.end);
            match &token.token {
                Token::Whitespace(_) => {}
                Token::Backslash => {
                    let (line, col) = abs(token.span.start);
                    let start = self.cursor.seek(line, col);
                    return Walked::Restart(self.meta_command(start, line, col));
                }
                Token::SemiColon
                    if self.open.as_ref().is_none_or(|o| o.paren_depth == 0 && o.begin_depth == 0) =>
                {
                    let (line, col) = abs(token.span.start);
                    let at = self.cursor.seek(line, col);
                    if let Some(open) = self.open.take() {
                        let inline_data = is_copy_from_stdin(&open.tokens);
                        self.finish_statement(open, at);
                        if inline_data {
                            return Walked::Restart(skip_copy_data(self.text, at));
                        }
                    }
                }
                _ => {
                    if self.open.is_none() {
                        let (line, col) = abs(token.span.start);
                        let start = self.cursor.seek(line, col);
                        self.open = Some(Open::new(start, line, col));
                    }
                    self.open.as_mut().expect("opened above").push(token);
                }
            }
        }
        Walked::Consumed(last_end.0, last_end.1)
    }

    /// Reads the meta-command that starts at byte `start`; returns where tokenizing resumes.
    fn meta_command(&mut self, start: usize, line: u32, col: u32) -> usize {
        let eol = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
        let body = self.text[start + 1..eol].trim_end_matches('\r');
        let (name, args) = match body.find(char::is_whitespace) {
            Some(i) => (&body[..i], body[i..].trim()),
            None => (body, ""),
        };
        let meta = MetaCommand { name: name.to_string(), args: args.to_string(), line, col };
        let copy_data = meta.name == "copy" && copies_from_stdin(&meta.args);
        if let Some(open) = &mut self.open {
            open.blanks.push((start, eol));
        }
        self.split.pieces.push(Piece::Meta(meta));
        if copy_data { skip_copy_data(self.text, eol) } else { eol }
    }

    fn finish_statement(&mut self, open: Open, end: usize) {
        let mut text = String::with_capacity(end - open.start);
        let mut at = open.start;
        for &(from, to) in &open.blanks {
            text.push_str(&self.text[at..from]);
            text.extend(self.text[from..to].chars().map(|_| ' '));
            at = to;
        }
        text.push_str(&self.text[at..end]);
        text.truncate(text.trim_end().len());
        let inline_data = is_copy_from_stdin(&open.tokens);
        self.split.pieces.push(Piece::Statement(RawStatement {
            text,
            line: open.line,
            col: open.col,
            tokens: open.tokens,
            inline_data,
        }));
    }
}

impl Open {
    fn new(start: usize, line: u32, col: u32) -> Self {
        Open {
            start,
            line,
            col,
            tokens: Vec::new(),
            blanks: Vec::new(),
            paren_depth: 0,
            begin_depth: 0,
            idents: [0; 4],
            ident_count: 0,
        }
    }

    /// Adds a significant token, tracking parentheses and psql's BEGIN ... END heuristic.
    fn push(&mut self, token: TokenWithSpan) {
        match &token.token {
            Token::LParen => self.paren_depth += 1,
            Token::RParen => self.paren_depth = self.paren_depth.saturating_sub(1),
            Token::Word(word) if word.quote_style.is_none() => self.track_word(word),
            _ => {}
        }
        self.tokens.push(token);
    }

    fn track_word(&mut self, word: &Word) {
        let v = word.value.as_str();
        let leading = ["create", "function", "procedure", "or", "replace"];
        if self.ident_count < self.idents.len() && leading.iter().any(|w| v.eq_ignore_ascii_case(w)) {
            self.idents[self.ident_count] = v.as_bytes()[0].to_ascii_lowercase();
        }
        self.ident_count += 1;
        let i = self.idents;
        let routine = i[0] == b'c'
            && (matches!(i[1], b'f' | b'p') || (i[1] == b'o' && i[2] == b'r' && matches!(i[3], b'f' | b'p')));
        if !routine || self.paren_depth != 0 {
            return;
        }
        if v.eq_ignore_ascii_case("begin") {
            self.begin_depth += 1;
        } else if v.eq_ignore_ascii_case("case") {
            if self.begin_depth >= 1 {
                self.begin_depth += 1;
            }
        } else if v.eq_ignore_ascii_case("end") {
            self.begin_depth = self.begin_depth.saturating_sub(1);
        }
    }
}

/// The start of the first line after `from` whose first non-blank character is a backslash, else the end.
fn next_cut(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from.min(text.len());
    while let Some(nl) = memchr_newline(&bytes[i..]) {
        let line_start = i + nl + 1;
        let rest = &bytes[line_start..];
        let first = rest.iter().position(|b| *b != b' ' && *b != b'\t');
        if first.is_some_and(|p| rest[p] == b'\\') {
            return line_start;
        }
        i = line_start;
    }
    text.len()
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'\n')
}

/// Skips COPY data: from the line after byte `from` up to and including a line `\.` (or the end).
/// Returns the offset of that line's newline (or the end of the text).
fn skip_copy_data(text: &str, from: usize) -> usize {
    let Some(nl) = text[from..].find('\n') else { return text.len() };
    let mut line_start = from + nl + 1;
    while line_start < text.len() {
        let eol = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        if text[line_start..eol].trim_end_matches('\r') == "\\." {
            return eol;
        }
        line_start = eol + 1;
    }
    text.len()
}

fn word_is(token: &Token, keyword: &str) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(keyword))
}

fn is_copy_from_stdin(tokens: &[TokenWithSpan]) -> bool {
    tokens.first().is_some_and(|t| word_is(&t.token, "copy"))
        && tokens.windows(2).any(|w| word_is(&w[0].token, "from") && word_is(&w[1].token, "stdin"))
}

fn copies_from_stdin(args: &str) -> bool {
    let words: Vec<&str> = args.split_whitespace().collect();
    words.windows(2).any(|w| w[0].eq_ignore_ascii_case("from") && w[1].eq_ignore_ascii_case("stdin"))
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
