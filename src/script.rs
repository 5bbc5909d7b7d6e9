//! The one statement splitter: a psql script (a schema file, a plan file) split the way psql reads it,
//! into statements, the comments between them, and meta-commands.
//!
//! psql's rules, which both callers need: a `;` ends a statement outside quotes, comments and
//! dollar-quoted bodies, outside parentheses, and outside the `BEGIN ... END` body of a `CREATE [OR
//! REPLACE] FUNCTION|PROCEDURE` (psql's own heuristic); a backslash outside quotes starts a meta-command
//! that runs to the end of its line, and `\gexec` ends the statement before it; `COPY ... FROM stdin`
//! (and `\copy ... from stdin`) is followed by data lines up to a line `\.`, which are never read as
//! SQL; `--` comments end at `\n` or `\r`, `/* */` comments nest.
//!
//! Invariants:
//! - a statement's `text` is the exact text from its first character up to (not including) its
//!   terminator, without trailing whitespace, with any meta-command inside it replaced by as many spaces
//!   as it had characters, so a character position in `text` maps back into the file from `line:col`;
//! - lines count `\n`, columns count characters (a `\r` before `\n` counts like any character), both from 1;
//! - only ASCII bytes delimit anything, so slicing at the positions found is always valid UTF-8;
//! - linear in the size of the text.

/// How a statement ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminator {
    /// A `;` outside quotes and comments.
    Semicolon,
    /// A `\gexec` meta-command: execute each value of each result row as a statement.
    Gexec,
    /// The end of the input, without a terminator (psql sends it anyway; a plan never ends so).
    EndOfInput,
}

/// One statement of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    /// The statement as written, from its first token to just before its terminator (leading comments and
    /// whitespace and trailing whitespace are not part of it; meta-commands inside it blanked).
    pub text: String,
    /// 1-based line on which the statement starts.
    pub line: usize,
    /// 1-based column (in characters) at which it starts.
    pub col: usize,
    pub terminator: Terminator,
}

impl Stmt {
    /// The statement's first line, for messages.
    pub fn first_line(&self) -> &str {
        self.text.lines().next().unwrap_or("")
    }
}

/// What the splitter finds between and as statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A `--` comment outside any statement: its whole text (without the line break), and whether it
    /// starts a line (a plan's machine-read lines do).
    Comment {
        line: usize,
        text: String,
        line_start: bool,
    },
    /// A backslash meta-command other than a `\gexec` that ends a statement: from the backslash to the end
    /// of its line (without the `\n`).
    Meta {
        line: usize,
        col: usize,
        text: String,
    },
    Stmt(Stmt),
}

/// What cannot be read to its end: the text from its opening to the end of the input was not split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    String,
    Identifier,
    DollarQuote,
    Comment,
}

/// An unterminated quote, dollar quote or comment, at its opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unterminated {
    pub open: Open,
    pub line: usize,
    pub col: usize,
}

/// A script, split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub pieces: Vec<Piece>,
    /// The first text that is never closed; the pieces end before it (a statement it is part of is not
    /// among them).
    pub error: Option<Unterminated>,
}

/// The statements of a script, in order (comments between statements and meta-commands other than
/// `\gexec` are not statements).
pub fn split_statements(sql: &str) -> Vec<Stmt> {
    lex(sql)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Stmt(stmt) => Some(stmt),
            _ => None,
        })
        .collect()
}

/// Splits a script into comments, meta-commands and statements. Text that is never closed ends the
/// script: the statement it is part of is the last piece, ended by [`Terminator::EndOfInput`].
pub fn lex(sql: &str) -> Vec<Piece> {
    Lexer::new(sql).run().pieces
}

/// Splits a script, stopping at text that is never closed (see [`Split::error`]).
pub fn split(sql: &str) -> Split {
    let lexer = Lexer::new(sql).run();
    let mut pieces = lexer.pieces;
    if lexer.error_in_statement {
        pieces.pop();
    }
    Split { pieces, error: lexer.error }
}

/// What a statement does to the session, by its leading keyword: the one classification the schema
/// loader (`source`, which skips transaction control, rejects a rollback and replays settings) and the plan
/// reader (a preamble of settings; `BEGIN` and `COMMIT` only where a segment has them) share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `BEGIN`, `START TRANSACTION`.
    Begin,
    /// `COMMIT`, `END`.
    Commit,
    /// `ROLLBACK`, `ABORT`.
    Rollback,
    /// `SET`.
    Set,
    /// `RESET`.
    Reset,
    /// Anything else: what the statement declares or changes is for the caller to read.
    None,
}

impl Control {
    /// The class of a statement whose first word is `word` (any case).
    pub fn of_word(word: &str) -> Control {
        match word.to_ascii_uppercase().as_str() {
            "BEGIN" | "START" => Control::Begin,
            "COMMIT" | "END" => Control::Commit,
            "ROLLBACK" | "ABORT" => Control::Rollback,
            "SET" => Control::Set,
            "RESET" => Control::Reset,
            _ => Control::None,
        }
    }

    /// Whether it starts or ends a transaction.
    pub fn is_transaction(self) -> bool {
        matches!(self, Control::Begin | Control::Commit | Control::Rollback)
    }
}

impl Stmt {
    /// The statement's class by its first word ([`Control::of_word`]).
    pub fn control(&self) -> Control {
        let end = self.text.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(self.text.len());
        Control::of_word(&self.text[..end])
    }
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: usize,
    /// Byte offset where the current line starts.
    line_start: usize,
    pieces: Vec<Piece>,
    error: Option<Unterminated>,
    /// Whether the text never closed is part of the last statement.
    error_in_statement: bool,
    /// The last column computed: its byte offset and its count of characters from its line's start, so
    /// that columns on a long line cost no more than the line.
    col_cache: std::cell::Cell<(usize, usize)>,
}

/// psql's state within one statement: parentheses and the `BEGIN ... END` body of a routine.
#[derive(Default)]
struct Depth {
    parens: u32,
    begins: u32,
    /// First letters of the leading CREATE/OR/REPLACE/FUNCTION/PROCEDURE words.
    idents: [u8; 4],
    ident_count: usize,
    /// The statement's first word is `COPY` and a `FROM STDIN` follows in it.
    copy: bool,
    from: bool,
    stdin: bool,
}

impl Depth {
    fn word(&mut self, v: &str) {
        if self.ident_count == 0 && v.eq_ignore_ascii_case("copy") {
            self.copy = true;
        }
        self.stdin |= self.from && v.eq_ignore_ascii_case("stdin");
        self.from = v.eq_ignore_ascii_case("from");
        let leading = ["create", "function", "procedure", "or", "replace"];
        if self.ident_count < self.idents.len() && leading.iter().any(|w| v.eq_ignore_ascii_case(w)) {
            self.idents[self.ident_count] = v.as_bytes()[0].to_ascii_lowercase();
        }
        self.ident_count += 1;
        let i = self.idents;
        let routine = i[0] == b'c'
            && (matches!(i[1], b'f' | b'p') || (i[1] == b'o' && i[2] == b'r' && matches!(i[3], b'f' | b'p')));
        if !routine || self.parens != 0 {
            return;
        }
        if v.eq_ignore_ascii_case("begin") {
            self.begins += 1;
        } else if v.eq_ignore_ascii_case("case") {
            if self.begins >= 1 {
                self.begins += 1;
            }
        } else if v.eq_ignore_ascii_case("end") {
            self.begins = self.begins.saturating_sub(1);
        }
    }

    fn other(&mut self) {
        self.from = false;
    }
}

impl<'a> Lexer<'a> {
    fn new(sql: &'a str) -> Self {
        Lexer {
            src: sql.as_bytes(),
            text: sql,
            pos: 0,
            line: 1,
            line_start: 0,
            pieces: Vec::new(),
            error: None,
            error_in_statement: false,
            col_cache: std::cell::Cell::new((0, 0)),
        }
    }

    fn run(mut self) -> Self {
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            if c.is_ascii_whitespace() || c == b';' {
                // An empty statement is none.
                self.advance(1);
            } else if self.starts_with(b"--") {
                let line_start = self.pos == self.line_start;
                let start = self.pos;
                self.skip_line_comment();
                let text = self.text[start..self.pos].to_string();
                self.pieces.push(Piece::Comment { line: self.line, text, line_start });
            } else if self.starts_with(b"/*") {
                self.skip_block_comment();
            } else if c == b'\\' {
                let (line, col, text, _) = self.meta_command();
                self.pieces.push(Piece::Meta { line, col, text });
            } else {
                self.statement();
            }
        }
        self
    }

    /// Reads one statement starting at the current position, up to and including its terminator.
    fn statement(&mut self) {
        let start = self.pos;
        let (line, col) = (self.line, self.col());
        let mut blanks: Vec<(usize, usize)> = Vec::new();
        let mut depth = Depth::default();
        let finish = |lexer: &Self, blanks: &[(usize, usize)], end: usize, terminator| {
            let mut text = String::with_capacity(end - start);
            let mut at = start;
            for &(from, to) in blanks {
                text.push_str(&lexer.text[at..from]);
                text.extend(lexer.text[from..to].chars().map(|_| ' '));
                at = to;
            }
            text.push_str(&lexer.text[at..end]);
            text.truncate(text.trim_end().len());
            Piece::Stmt(Stmt { text, line, col, terminator })
        };
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            match c {
                b';' if depth.parens == 0 && depth.begins == 0 => {
                    let piece = finish(self, &blanks, self.pos, Terminator::Semicolon);
                    self.advance(1);
                    self.pieces.push(piece);
                    if depth.copy && depth.stdin {
                        self.skip_copy_data();
                    }
                    return;
                }
                b'\\' => {
                    let end = self.pos;
                    let (meta_line, meta_col, meta, gexec) = self.meta_command();
                    if gexec {
                        let piece = finish(self, &blanks, end, Terminator::Gexec);
                        self.pieces.push(piece);
                        return;
                    }
                    blanks.push((end, self.pos));
                    self.pieces.push(Piece::Meta { line: meta_line, col: meta_col, text: meta });
                }
                b'\'' => {
                    depth.other();
                    self.skip_string();
                }
                b'"' => {
                    depth.other();
                    self.skip_quoted_identifier();
                }
                b'$' => {
                    depth.other();
                    self.skip_dollar();
                }
                b'(' => {
                    depth.other();
                    depth.parens += 1;
                    self.advance(1);
                }
                b')' => {
                    depth.parens = depth.parens.saturating_sub(1);
                    self.advance(1);
                }
                _ if self.starts_with(b"--") => self.skip_line_comment(),
                _ if self.starts_with(b"/*") => self.skip_block_comment(),
                _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                    let from = self.pos;
                    while self.pos < self.src.len() && is_ident_byte(self.src[self.pos]) {
                        self.pos += 1;
                    }
                    depth.word(&self.text[from..self.pos]);
                }
                _ => {
                    if !c.is_ascii_whitespace() {
                        depth.other();
                    }
                    self.advance(1);
                }
            }
        }
        if self.error.is_some() && !self.error_in_statement {
            self.error_in_statement = true;
        }
        let piece = finish(self, &blanks, self.src.len(), Terminator::EndOfInput);
        self.pieces.push(piece);
    }

    /// The column (in characters, from 1) of the current position.
    fn col(&self) -> usize {
        self.col_of(self.pos, self.line_start)
    }

    /// The column of byte `pos` on the line that starts at `line_start`.
    fn col_of(&self, pos: usize, line_start: usize) -> usize {
        let (at, chars) = self.col_cache.get();
        let (from, before) = if (line_start..=pos).contains(&at) { (at, chars) } else { (line_start, 0) };
        let chars = before + self.text[from..pos].chars().count();
        self.col_cache.set((pos, chars));
        chars + 1
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.src[self.pos..].starts_with(s)
    }

    /// Advances over `n` bytes, counting lines.
    fn advance(&mut self, n: usize) {
        let end = (self.pos + n).min(self.src.len());
        for i in self.pos..end {
            if self.src[i] == b'\n' {
                self.line += 1;
                self.line_start = i + 1;
            }
        }
        self.pos = end;
    }

    /// Records text never closed that opens at the current position, and reads to the end.
    fn unterminated(&mut self, open: Open, opening: usize) {
        if self.error.is_none() {
            let col = self.col_of(opening, self.line_start);
            self.error = Some(Unterminated { open, line: self.line, col });
        }
        self.advance(self.src.len() - self.pos);
    }

    /// Up to (not including) the end of the line: a `\n`, or a `\r`, which ends a `--` comment for psql and
    /// PostgreSQL too (the plan writer never puts one in a comment).
    fn skip_line_comment(&mut self) {
        let rest = &self.src[self.pos..];
        self.pos += rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
    }

    /// A `/* ... */` comment; they nest in PostgreSQL.
    fn skip_block_comment(&mut self) {
        let (opening, line, line_start) = (self.pos, self.line, self.line_start);
        let mut depth = 0usize;
        while self.pos < self.src.len() {
            if self.starts_with(b"/*") {
                depth += 1;
                self.advance(2);
            } else if self.starts_with(b"*/") {
                self.advance(2);
                depth -= 1;
                if depth == 0 {
                    return;
                }
            } else {
                self.advance(1);
            }
        }
        self.unterminated_at(Open::Comment, opening, line, line_start);
    }

    fn unterminated_at(&mut self, open: Open, opening: usize, line: usize, line_start: usize) {
        if self.error.is_none() {
            let col = self.col_of(opening, line_start);
            self.error = Some(Unterminated { open, line, col });
        }
    }

    /// A meta-command: from the backslash to the end of its line (the `\n` is left); whether it is a
    /// `\gexec`. The data lines of a `\copy ... from stdin` after it are skipped.
    fn meta_command(&mut self) -> (usize, usize, String, bool) {
        let (start, line, col) = (self.pos, self.line, self.col());
        let rest = &self.src[self.pos..];
        self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let text = self.text[start..self.pos].to_string();
        let gexec = text.trim_end() == "\\gexec";
        if let Some(args) = text.strip_prefix("\\copy").filter(|a| a.starts_with(char::is_whitespace)) {
            let words: Vec<&str> = args.split_whitespace().collect();
            if words
                .windows(2)
                .any(|w| w[0].eq_ignore_ascii_case("from") && w[1].eq_ignore_ascii_case("stdin"))
            {
                self.skip_copy_data();
            }
        }
        (line, col, text, gexec)
    }

    /// Skips COPY data: the rest of the current line, then lines up to and including a line `\.` (or to
    /// the end); stops before that line's `\n`.
    fn skip_copy_data(&mut self) {
        let Some(nl) = self.src[self.pos..].iter().position(|&b| b == b'\n') else {
            return self.advance(self.src.len() - self.pos);
        };
        self.advance(nl + 1);
        while self.pos < self.src.len() {
            let rest = &self.src[self.pos..];
            let eol = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let line = &rest[..eol];
            let done = line.strip_suffix(b"\r").unwrap_or(line) == b"\\.";
            if done {
                self.pos += eol;
                return;
            }
            self.advance((eol + 1).min(rest.len()));
        }
    }

    /// A string literal starting at the current `'`; an `E'...'` string also ends escapes with `\`.
    fn skip_string(&mut self) {
        let escapes = self.pos >= 1
            && matches!(self.src[self.pos - 1], b'e' | b'E')
            && (self.pos < 2 || !is_ident_byte(self.src[self.pos - 2]));
        let opening = if escapes { self.pos - 1 } else { self.pos };
        let (line, line_start) = (self.line, self.line_start);
        self.advance(1);
        while self.pos < self.src.len() {
            match self.src[self.pos] {
                b'\\' if escapes => self.advance(2),
                b'\'' if self.src.get(self.pos + 1) == Some(&b'\'') => self.advance(2),
                b'\'' => {
                    self.advance(1);
                    return;
                }
                _ => self.advance(1),
            }
        }
        self.unterminated_at(Open::String, opening, line, line_start);
    }

    /// A quoted identifier (doubled quotes inside).
    fn skip_quoted_identifier(&mut self) {
        let (opening, line, line_start) = (self.pos, self.line, self.line_start);
        self.advance(1);
        while self.pos < self.src.len() {
            if self.src[self.pos] == b'"' {
                if self.src.get(self.pos + 1) == Some(&b'"') {
                    self.advance(2);
                    continue;
                }
                self.advance(1);
                return;
            }
            self.advance(1);
        }
        self.unterminated_at(Open::Identifier, opening, line, line_start);
    }

    /// A `$tag$ ... $tag$` body, or a lone `$` (a parameter, or part of an identifier).
    fn skip_dollar(&mut self) {
        let Some(tag_len) = self.dollar_tag() else {
            self.pos += 1;
            return;
        };
        let tag = &self.src[self.pos..self.pos + tag_len];
        let body_start = self.pos + tag_len;
        match find(&self.src[body_start..], tag) {
            Some(at) => self.advance(tag_len + at + tag_len),
            None => self.unterminated(Open::DollarQuote, self.pos),
        }
    }

    /// Length of the dollar-quote opening tag at the current `$` (`$$` or `$name$`), if it is one.
    fn dollar_tag(&self) -> Option<usize> {
        if self.pos > 0 && is_ident_byte(self.src[self.pos - 1]) {
            return None;
        }
        let rest = &self.src[self.pos + 1..];
        let first = *rest.first()?;
        if first == b'$' {
            return Some(2);
        }
        if !(first.is_ascii_alphabetic() || first == b'_' || first >= 0x80) {
            return None;
        }
        let len = rest.iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80))?;
        (rest[len] == b'$').then_some(len + 2)
    }
}

/// Bytes that continue an identifier (PostgreSQL allows `$` after the first character).
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<(String, Terminator)> {
        split_statements(sql).into_iter().map(|s| (s.text, s.terminator)).collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "SELECT 'a;b', \"c;d\" -- e;f\n FROM t; /* g; /* nested; */ h; */ SELECT E'it\\'s;';\n\
                   SELECT 'it''s;'; SELECT $$x;y$$; SELECT $body$ $$; $body$;\nSELECT a$b, $1;";
        let got = texts(sql);
        assert_eq!(
            got.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
            vec![
                "SELECT 'a;b', \"c;d\" -- e;f\n FROM t",
                "SELECT E'it\\'s;'",
                "SELECT 'it''s;'",
                "SELECT $$x;y$$",
                "SELECT $body$ $$; $body$",
                "SELECT a$b, $1",
            ]
        );
        assert!(got.iter().all(|(_, t)| *t == Terminator::Semicolon));
    }

    #[test]
    fn backslash_is_not_an_escape_in_standard_strings() {
        // 'a\' ends at the second quote; `e'...'` only escapes when `e` starts a token.
        assert_eq!(texts("SELECT 'a\\'; SELECT 1;").len(), 2);
        assert_eq!(texts("SELECT somee'a\\'; SELECT 1;").len(), 2);
    }

    #[test]
    fn dollar_quotes_with_tags_that_do_not_match() {
        let sql =
            "DO $accrete$\nBEGIN\n  EXECUTE $ddl$CREATE TABLE t (a int);$ddl$;\nEND\n$accrete$;\nSELECT 2;";
        let got = texts(sql);
        assert_eq!(got.len(), 2);
        assert!(got[0].0.ends_with("$accrete$"));
    }

    #[test]
    fn gexec_ends_a_select() {
        let sql = "DO $$ BEGIN END $$;\nSELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'\n  WHERE NOT EXISTS (SELECT 1)\n\\gexec\n\nSELECT 3;\n";
        let stmts = split_statements(sql);
        assert_eq!(stmts.len(), 3);
        assert_eq!(stmts[1].terminator, Terminator::Gexec);
        assert_eq!(stmts[1].line, 2);
        assert_eq!(
            stmts[1].text,
            "SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'\n  WHERE NOT EXISTS (SELECT 1)"
        );
        assert_eq!(stmts[2].line, 6);
        assert_eq!(stmts[2].first_line(), "SELECT 3");
    }

    #[test]
    fn comments_and_meta_commands_between_statements() {
        let sql =
            "-- head\nSELECT 1; -- tail\n\\echo hi\n/* block\n;*/\nSELECT\n-- inner\n2;\n  -- indented\n";
        let pieces = lex(sql);
        assert_eq!(
            pieces,
            vec![
                Piece::Comment { line: 1, text: "-- head".into(), line_start: true },
                Piece::Stmt(Stmt {
                    text: "SELECT 1".into(),
                    line: 2,
                    col: 1,
                    terminator: Terminator::Semicolon
                }),
                Piece::Comment { line: 2, text: "-- tail".into(), line_start: false },
                Piece::Meta { line: 3, col: 1, text: "\\echo hi".into() },
                Piece::Stmt(Stmt {
                    text: "SELECT\n-- inner\n2".into(),
                    line: 6,
                    col: 1,
                    terminator: Terminator::Semicolon
                }),
                Piece::Comment { line: 9, text: "-- indented".into(), line_start: false },
            ]
        );
    }

    #[test]
    fn a_carriage_return_ends_a_comment_as_in_psql() {
        let pieces = lex("-- a\rSELECT 1;\n");
        assert_eq!(pieces[0], Piece::Comment { line: 1, text: "-- a".into(), line_start: true });
        assert!(matches!(&pieces[1], Piece::Stmt(s) if s.text == "SELECT 1"));
    }

    #[test]
    fn unterminated_input_is_one_last_statement() {
        let stmts = split_statements("SELECT 1;\nSELECT 'open\n;");
        assert_eq!(stmts.len(), 2);
        assert_eq!(stmts[1].terminator, Terminator::EndOfInput);
        assert_eq!(split_statements("SELECT $x$ never closed").len(), 1);
    }

    #[test]
    fn control_statements_by_their_first_word() {
        let control = |sql: &str| split_statements(sql)[0].control();
        assert_eq!(control("begin;"), Control::Begin);
        assert_eq!(control("START TRANSACTION;"), Control::Begin);
        assert_eq!(control("END;"), Control::Commit);
        assert_eq!(control("Commit work;"), Control::Commit);
        assert_eq!(control("ABORT;"), Control::Rollback);
        assert_eq!(control("SET\n  search_path = '';"), Control::Set);
        assert_eq!(control("RESET ALL;"), Control::Reset);
        assert_eq!(control("SETTLE;"), Control::None);
        assert_eq!(control("DO $$ BEGIN END $$;"), Control::None);
        assert!(Control::Rollback.is_transaction() && !Control::Set.is_transaction());
    }

    #[test]
    fn columns_on_one_long_line_are_counted_once() {
        let line = "SELECT 'é';".repeat(200_000);
        let started = std::time::Instant::now();
        let stmts = split_statements(&line);
        assert_eq!(stmts.len(), 200_000);
        assert_eq!(stmts[1].col, 12);
        assert_eq!(stmts[199_999].col, 199_999 * 11 + 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        let stmts = split_statements("COMMENT ON TABLE t IS 'größe; ok';\nSELECT 'é'");
        assert_eq!(stmts[0].text, "COMMENT ON TABLE t IS 'größe; ok'");
        assert_eq!(stmts[1].text, "SELECT 'é'");
    }
}
