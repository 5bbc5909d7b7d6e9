//! Positions in a TOML file: byte offsets (what `toml`'s spans are) as 1-based line and column (columns
//! count characters, as everywhere in `source`), and where the text of a string value starts in the file.
//!
//! A string value's decoded text maps back into the file character by character when the raw text between
//! its delimiters is the decoded text (literal strings, and basic strings without escapes). When escapes
//! change the text, [`StringValue::map`] maps each decoded character to the file position of what produced
//! it, so statements inside a `sql` string still start where the file shows them.

use std::ops::Range;

/// A 1-based line and column (characters) in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }

    /// The position after `text` written from here.
    pub fn advance(self, text: &str) -> Pos {
        text.chars().fold(self, Pos::advance_char)
    }

    /// The position after one character written from here.
    pub fn advance_char(self, ch: char) -> Pos {
        if ch == '\n' { Pos::new(self.line + 1, 1) } else { Pos::new(self.line, self.col + 1) }
    }
}

/// Byte offsets to positions, for one file's text.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The position of byte `offset` (clamped to the text; inside a character, that character).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count();
        Pos::new(line as u32 + 1, col as u32 + 1)
    }
}

/// Where a string value's text lies in the file.
#[derive(Debug, Clone)]
pub(crate) struct StringValue {
    /// Position of the first character of the decoded text.
    pub start: Pos,
    /// File position of each decoded character, when escapes make the text differ from the file; `None`
    /// when the decoded text is the file's text from `start`.
    map: Option<Vec<(char, Pos)>>,
}

impl StringValue {
    /// Locates the string value whose raw text (delimiters included) spans `span`, decoded as `decoded`.
    pub fn locate(index: &LineIndex<'_>, span: Range<usize>, decoded: &str) -> StringValue {
        let raw = index.text().get(span.clone()).unwrap_or("");
        let (delimiter, literal) = if raw.starts_with("'''") {
            (3, true)
        } else if raw.starts_with("\"\"\"") {
            (3, false)
        } else if raw.starts_with('\'') {
            (1, true)
        } else if raw.starts_with('"') {
            (1, false)
        } else {
            // A bare key: the text is the key itself.
            return StringValue { start: index.pos(span.start), map: None };
        };
        let mut content = span.start + delimiter;
        let inner = raw.get(delimiter..raw.len().saturating_sub(delimiter)).unwrap_or("");
        let mut inner = inner;
        if delimiter == 3 {
            // A newline right after the opening delimiter is not part of the text.
            for newline in ["\r\n", "\n"] {
                if let Some(rest) = inner.strip_prefix(newline) {
                    inner = rest;
                    content += newline.len();
                    break;
                }
            }
        }
        let start = index.pos(content);
        if inner == decoded || literal {
            return StringValue { start, map: None };
        }
        match decode_map(inner, start) {
            Some((text, map)) if text == decoded => StringValue { start, map: Some(map) },
            _ => StringValue { start, map: None },
        }
    }

    /// The file position of a position in the decoded text (1-based line and column within the text).
    pub fn map(&self, line: u32, col: u32) -> Pos {
        match &self.map {
            None => {
                if line <= 1 {
                    Pos::new(self.start.line, self.start.col + col.saturating_sub(1))
                } else {
                    Pos::new(self.start.line + line - 1, col)
                }
            }
            Some(map) => {
                let mut at = Pos::new(1, 1);
                for (ch, pos) in map {
                    if at.line == line && at.col == col {
                        return *pos;
                    }
                    at = at.advance_char(*ch);
                }
                map.last().map(|(_, p)| *p).unwrap_or(self.start)
            }
        }
    }
}

/// Decodes the body of a TOML basic string (single- or multi-line), recording for each decoded character
/// the file position of its source. `None` when an escape is malformed (the parser reported it already).
fn decode_map(raw: &str, start: Pos) -> Option<(String, Vec<(char, Pos)>)> {
    let mut text = String::new();
    let mut map = Vec::new();
    let mut pos = start;
    let mut chars = raw.chars().peekable();
    while let Some(ch) = chars.next() {
        let here = pos;
        pos = pos.advance_char(ch);
        if ch != '\\' {
            text.push(ch);
            map.push((ch, here));
            continue;
        }
        let escape = chars.next()?;
        pos = pos.advance_char(escape);
        let decoded = match escape {
            'b' => '\u{8}',
            't' => '\t',
            'n' => '\n',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            '"' => '"',
            '\\' => '\\',
            'x' | 'u' | 'U' => {
                let digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut hex = String::new();
                for _ in 0..digits {
                    let d = chars.next()?;
                    pos = pos.advance_char(d);
                    hex.push(d);
                }
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            c if c == ' ' || c == '\t' || c == '\n' || c == '\r' => {
                // A line-ending backslash: whitespace and newlines up to the next other character vanish.
                while let Some(&next) = chars.peek() {
                    if !next.is_whitespace() {
                        break;
                    }
                    pos = pos.advance_char(next);
                    chars.next();
                }
                continue;
            }
            _ => return None,
        };
        text.push(decoded);
        map.push((decoded, here));
    }
    Some((text, map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let index = LineIndex::new("a = 1\nü = \"x\"\n");
        assert_eq!(index.pos(0), Pos::new(1, 1));
        assert_eq!(index.pos(6), Pos::new(2, 1));
        // "ü" is two bytes: the '=' after it is the third character.
        assert_eq!(index.pos(9), Pos::new(2, 3));
    }

    #[test]
    fn literal_and_plain_strings_map_one_to_one() {
        let text = "sql = '''\nSELECT 1;\n  SELECT x'''\n";
        let index = LineIndex::new(text);
        let span = 6..text.len() - 1;
        let value = StringValue::locate(&index, span, "SELECT 1;\n  SELECT x");
        assert_eq!(value.start, Pos::new(2, 1));
        assert_eq!(value.map(2, 3), Pos::new(3, 3));
        assert_eq!(value.map(1, 8), Pos::new(2, 8));
    }

    #[test]
    fn escapes_map_each_character_to_its_source() {
        let text = "d = \"a\\tb\\\n   c\"";
        let index = LineIndex::new(text);
        let value = StringValue::locate(&index, 4..text.len(), "a\tbc");
        assert_eq!(value.start, Pos::new(1, 6));
        // 'b' is the third decoded character, written after the two-character escape.
        assert_eq!(value.map(1, 3), Pos::new(1, 9));
        // 'c' comes after a line-ending backslash, on the next line.
        assert_eq!(value.map(1, 4), Pos::new(2, 4));
    }
}
