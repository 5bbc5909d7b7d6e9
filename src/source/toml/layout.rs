//! SQL laid out over the TOML file it came from, so that PostgreSQL's error positions point into the TOML.
//!
//! The loader (`normalize`) maps an error position by counting characters of the statement's text from
//! the statement's origin (a newline starts the next line). A statement made from TOML therefore starts at
//! the TOML key that declares it, and each part written by the user (a column name, a type, a default
//! expression) is placed, with newlines and spaces before it, exactly where it stands in the file. A part
//! that cannot be placed there (it stands before text already written) follows with one space; errors
//! inside it then point past it, never before the statement.
//!
//! Whitespace between tokens is all this adds, so the statement means what the same SQL on one line means.

use super::pos::Pos;

#[derive(Debug, Clone)]
enum Piece {
    /// Words accrete chooses, after a space where one is needed.
    Word(String),
    /// Punctuation right after what precedes it.
    Punct(String),
    /// Text from the file, to be placed where the file has it.
    At(String, Pos),
}

/// A statement being written: its parts, laid out from its origin when it is finished.
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    origin: Pos,
    /// An origin on an earlier line, used when laying out from `origin` would leave parts from the file
    /// unplaced (`check.x = "a > 0"`: the statement's words before the expression do not fit between
    /// the key and the value on their line).
    earlier: Option<Pos>,
    pieces: Vec<Piece>,
}

impl Sql {
    pub fn new(origin: Pos) -> Self {
        Sql { origin, earlier: None, pieces: Vec::new() }
    }

    /// Allows the statement to start at `earlier` (the section that holds its key) when that places
    /// more of its parts where the file has them.
    pub fn or_from(mut self, earlier: Pos) -> Self {
        if earlier < self.origin {
            self.earlier = Some(earlier);
        }
        self
    }

    pub fn word(&mut self, text: &str) -> &mut Self {
        self.pieces.push(Piece::Word(text.to_string()));
        self
    }

    pub fn punct(&mut self, text: &str) -> &mut Self {
        self.pieces.push(Piece::Punct(text.to_string()));
        self
    }

    /// Text from the file, placed at `pos` when that lies ahead, else after a space.
    pub fn at(&mut self, text: &str, pos: Pos) -> &mut Self {
        self.pieces.push(Piece::At(text.to_string(), pos));
        self
    }

    /// A list `(a, b, c)` of parts, each placed at its own position when it has one.
    pub fn list(&mut self, items: impl IntoIterator<Item = (String, Option<Pos>)>) -> &mut Self {
        self.word("(");
        for (i, (text, pos)) in items.into_iter().enumerate() {
            if i > 0 {
                self.punct(",");
            }
            match pos {
                Some(pos) => self.at(&text, pos),
                None => self.word(&text),
            };
        }
        self.punct(")")
    }

    /// The statement's origin and text.
    pub fn finish(&self) -> (Pos, String) {
        let (text, misplaced) = self.lay_out(self.origin);
        if let Some(earlier) = self.earlier.filter(|_| misplaced > 0) {
            let (other, fewer) = self.lay_out(earlier);
            if fewer < misplaced {
                return (earlier, other);
            }
        }
        (self.origin, text)
    }

    /// The text laid out from `origin`, and how many parts from the file could not be placed.
    fn lay_out(&self, origin: Pos) -> (String, usize) {
        let mut out = Layout { text: String::new(), cursor: origin };
        let mut misplaced = 0;
        for piece in &self.pieces {
            match piece {
                Piece::Word(text) => out.word(text),
                Piece::Punct(text) => out.push(text),
                Piece::At(text, pos) => {
                    if !out.place(text, *pos) {
                        misplaced += 1;
                        out.word(text);
                    }
                }
            }
        }
        (out.text, misplaced)
    }
}

struct Layout {
    text: String,
    cursor: Pos,
}

impl Layout {
    fn needs_space(&self) -> bool {
        self.text.chars().last().is_some_and(|c| !matches!(c, '(' | ' ' | '\n'))
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.cursor = self.cursor.advance(text);
    }

    fn word(&mut self, text: &str) {
        if self.needs_space() {
            self.push(" ");
        }
        self.push(text);
    }

    /// Writes `text` at `pos` when that lies ahead (leaving a space after a word); false when it does not.
    fn place(&mut self, text: &str, pos: Pos) -> bool {
        let ahead = if self.needs_space() { pos > self.cursor } else { pos >= self.cursor };
        if !ahead {
            return false;
        }
        if pos.line > self.cursor.line {
            let lines = (pos.line - self.cursor.line) as usize;
            self.push(&"\n".repeat(lines));
        }
        let spaces = pos.col.saturating_sub(self.cursor.col) as usize;
        self.push(&" ".repeat(spaces));
        self.push(text);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where character `position` (1-based, PostgreSQL's error position) of `sql` lies, counted from `origin`.
    fn locate(origin: Pos, sql: &str, position: usize) -> Pos {
        let before: String = sql.chars().take(position - 1).collect();
        origin.advance(&before)
    }

    #[test]
    fn parts_land_where_the_file_has_them() {
        let mut sql = Sql::new(Pos::new(3, 8));
        sql.word("CREATE TABLE app.t").word("(");
        sql.at("id", Pos::new(4, 1)).at("bigint", Pos::new(4, 15)).punct(",");
        sql.at("email", Pos::new(5, 1)).at("txet", Pos::new(5, 18)).punct(")");
        let (origin, text) = sql.finish();
        assert_eq!(origin, Pos::new(3, 8));
        let typo = text.find("txet").unwrap();
        let position = text[..typo].chars().count() + 1;
        assert_eq!(locate(Pos::new(3, 8), &text, position), Pos::new(5, 18));
        assert!(text.starts_with("CREATE TABLE app.t (\nid            bigint,\nemail"), "{text}");
    }

    #[test]
    fn a_part_written_earlier_in_the_file_follows_with_a_space() {
        let mut sql = Sql::new(Pos::new(1, 1));
        sql.word("CREATE").at("x", Pos::new(1, 3)).at("y", Pos::new(1, 9)).at("z", Pos::new(1, 9));
        assert_eq!(sql.finish().1, "CREATE x y z");
        let mut sql = Sql::new(Pos::new(1, 1));
        sql.word("a").at("b", Pos::new(1, 2));
        assert_eq!(sql.finish().1, "a b", "a part never touches the word before it");
    }

    #[test]
    fn a_statement_starts_at_its_section_when_its_words_do_not_fit_on_the_line() {
        // `[table.app.t.check]` on line 6, then `t_n_check = "n > 0"` on line 7.
        let mut sql = Sql::new(Pos::new(7, 1)).or_from(Pos::new(6, 1));
        sql.word("ALTER TABLE app.t ADD CONSTRAINT t_n_check CHECK (")
            .at("n > 0", Pos::new(7, 14))
            .punct(")");
        let (origin, text) = sql.finish();
        assert_eq!(origin, Pos::new(6, 1));
        assert_eq!(locate(origin, &text, text.find("n >").unwrap() + 1), Pos::new(7, 14));
    }
}
