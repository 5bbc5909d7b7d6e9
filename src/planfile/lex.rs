//! The statements of a script, split the way psql reads it: statements, the comments between them, and
//! meta-commands.
//!
//! Invariants:
//! - a statement ends at a `;` outside quotes, comments and dollar-quoted bodies, or at a `\gexec`
//!   meta-command, as psql does; statement text never includes the terminator;
//! - only ASCII bytes delimit anything, so slicing at the positions found is always valid UTF-8.

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
    /// whitespace and trailing whitespace are not part of it).
    pub text: String,
    /// 1-based line on which the statement starts.
    pub line: usize,
    pub terminator: Terminator,
}

impl Stmt {
    /// The statement's first line, for messages.
    pub fn first_line(&self) -> &str {
        self.text.lines().next().unwrap_or("")
    }
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

/// What the lexer finds between and as statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A `--` comment outside any statement: its whole text (without the `\n`), and whether it starts a
    /// line (machine-read lines do).
    Comment {
        line: usize,
        text: String,
        line_start: bool,
    },
    /// A backslash meta-command other than a `\gexec` that ends a statement: the rest of its line.
    Meta {
        line: usize,
        text: String,
    },
    Stmt(Stmt),
}

/// Splits a script into comments, meta-commands and statements.
pub fn lex(sql: &str) -> Vec<Piece> {
    Lexer { src: sql.as_bytes(), text: sql, pos: 0, line: 1, out: Vec::new() }.run()
}

struct Lexer<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: usize,
    out: Vec<Piece>,
}

impl Lexer<'_> {
    fn run(mut self) -> Vec<Piece> {
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            if c == b'\n' {
                self.line += 1;
                self.pos += 1;
            } else if c.is_ascii_whitespace() {
                self.pos += 1;
            } else if self.starts_with(b"--") {
                let line_start = self.pos == 0 || self.src[self.pos - 1] == b'\n';
                let start = self.pos;
                self.skip_line_comment();
                let text = self.text[start..self.pos].to_string();
                self.out.push(Piece::Comment { line: self.line, text, line_start });
            } else if self.starts_with(b"/*") {
                self.skip_block_comment();
            } else if c == b'\\' {
                let (line, text) = self.meta_command();
                self.out.push(Piece::Meta { line, text });
            } else {
                self.statement();
            }
        }
        self.out
    }

    /// Reads one statement starting at the current position, up to and including its terminator.
    fn statement(&mut self) {
        let start = self.pos;
        let line = self.line;
        let finish = |lexer: &Self, end: usize, terminator| {
            let text = lexer.text[start..end].trim_end().to_string();
            Piece::Stmt(Stmt { text, line, terminator })
        };
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            match c {
                b';' => {
                    let piece = finish(self, self.pos, Terminator::Semicolon);
                    self.pos += 1;
                    self.out.push(piece);
                    return;
                }
                b'\\' => {
                    let end = self.pos;
                    let (meta_line, meta) = self.meta_command();
                    if meta.trim_end() == "\\gexec" {
                        let piece = finish(self, end, Terminator::Gexec);
                        self.out.push(piece);
                        return;
                    }
                    self.out.push(Piece::Meta { line: meta_line, text: meta });
                }
                b'\'' => self.skip_string(),
                b'"' => self.skip_until_quote(b'"'),
                b'$' => self.skip_dollar(),
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                _ if self.starts_with(b"--") => self.skip_line_comment(),
                _ if self.starts_with(b"/*") => self.skip_block_comment(),
                _ => self.pos += 1,
            }
        }
        let piece = finish(self, self.src.len(), Terminator::EndOfInput);
        self.out.push(piece);
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.src[self.pos..].starts_with(s)
    }

    /// Advances over `n` bytes, counting newlines.
    fn advance(&mut self, n: usize) {
        let end = (self.pos + n).min(self.src.len());
        self.line += self.src[self.pos..end].iter().filter(|&&b| b == b'\n').count();
        self.pos = end;
    }

    /// Up to (not including) the end of the line: a `\n`, or a `\r`, which ends a `--` comment for psql and
    /// PostgreSQL too (the plan writer never puts one in a comment).
    fn skip_line_comment(&mut self) {
        let rest = &self.src[self.pos..];
        self.pos += rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
    }

    /// A `/* ... */` comment; they nest in PostgreSQL.
    fn skip_block_comment(&mut self) {
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
    }

    /// A meta-command: from the backslash to the end of its line (the `\n` is left).
    fn meta_command(&mut self) -> (usize, String) {
        let start = self.pos;
        let rest = &self.src[self.pos..];
        self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        (self.line, self.text[start..self.pos].to_string())
    }

    /// A string literal starting at the current `'`; an `E'...'` string also ends escapes with `\`.
    fn skip_string(&mut self) {
        let escapes = self.pos >= 1
            && matches!(self.src[self.pos - 1], b'e' | b'E')
            && (self.pos < 2 || !is_ident_byte(self.src[self.pos - 2]));
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
    }

    /// A quoted identifier (doubled quotes inside).
    fn skip_until_quote(&mut self, quote: u8) {
        self.advance(1);
        while self.pos < self.src.len() {
            if self.src[self.pos] == quote {
                if self.src.get(self.pos + 1) == Some(&quote) {
                    self.advance(2);
                    continue;
                }
                self.advance(1);
                return;
            }
            self.advance(1);
        }
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
            None => self.advance(self.src.len() - self.pos),
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
                Piece::Stmt(Stmt { text: "SELECT 1".into(), line: 2, terminator: Terminator::Semicolon }),
                Piece::Comment { line: 2, text: "-- tail".into(), line_start: false },
                Piece::Meta { line: 3, text: "\\echo hi".into() },
                Piece::Stmt(Stmt {
                    text: "SELECT\n-- inner\n2".into(),
                    line: 6,
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
    fn multibyte_text_is_kept_whole() {
        let stmts = split_statements("COMMENT ON TABLE t IS 'größe; ok';\nSELECT 'é'");
        assert_eq!(stmts[0].text, "COMMENT ON TABLE t IS 'größe; ok'");
        assert_eq!(stmts[1].text, "SELECT 'é'");
    }
}
