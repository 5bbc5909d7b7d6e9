//! Escaping for each place a name or other untrusted text lands, in one place.
//!
//! Names come from the live database and from schema files; both are untrusted. Whatever they contain,
//! nothing in them may end a comment, start a statement or reach the terminal as a control sequence:
//!
//! - [`comment_text`]: text for a `--` comment line of a plan or rollback. psql and PostgreSQL end a `--`
//!   comment at `\n` or `\r`; other tools also break lines at U+0085, U+2028 and U+2029, and bidirectional
//!   overrides make a line read differently from what it is. All of those, and every other control
//!   character but the tab, are written visibly escaped (`\n`, `\r`, `\u{2028}` ...), so the line stays
//!   one comment. A backslash is written as is (a name `a\nb` with a real backslash reads the same as one
//!   with a line break escaped: the header is for reading; machine-read names are JSON).
//! - [`step_name`]: a name on a `-- step` line, which apply splits at ` · `: the middle dot is escaped too.
//! - [`json_in_comment`]: a JSON string on a machine-read comment line (manifest, target): serde's escaping,
//!   plus `\uXXXX` for the line separators and controls serde leaves raw; `serde_json` reads it back.
//!   [`json_document_in_comment`] does the same for a whole JSON document (a manifest's `was` state).
//! - [`terminal`]: text printed to a terminal: controls but `\n` and `\t` escaped (no escape sequences).
//! - [`dollar_quote`]: a dollar-quoted body with a tag that cannot be closed from inside the body.
//! - [`markdown_code`]: a name in Markdown (a table cell, a list item): one line, a code span whose
//!   backtick fence is longer than any run in the text, `|` escaped so it cannot end a table cell; HTML and
//!   link syntax inside a code span are shown, not rendered. [`markdown_fence`]: the fence for a code
//!   block that no line of its text can close.
//! - no block comment (`/* ... */`) is ever written, so `*/` in a name needs nothing.
//! - identifiers and string literals: [`crate::catalog::quote_ident`] and [`crate::catalog::quote_literal`]
//!   (every plan sets `standard_conforming_strings = on`, so a backslash in a literal is only a backslash;
//!   PostgreSQL text cannot hold NUL).

use std::fmt::Write;

/// Whether `c` is written escaped in a comment line or on a terminal.
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{feff}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn escape_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => write!(out, "\\u{{{:x}}}", c as u32).unwrap(),
    }
}

/// `text` as one `--` comment line: no character in it ends the comment or breaks the line.
pub fn comment_text(text: &str) -> String {
    if !text.chars().any(is_hostile) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hostile(c) { escape_char(&mut out, c) } else { out.push(c) }
    }
    out
}

/// A name on a `-- step` line: [`comment_text`], and the ` · ` that separates the line's parts escaped.
pub fn step_name(text: &str) -> String {
    comment_text(text).replace('·', "\\u{b7}")
}

/// A JSON string for a machine-read comment line: `serde_json` reads it back to `value`.
pub fn json_in_comment(value: &str) -> String {
    json_document_in_comment(&serde_json::to_string(value).expect("strings serialize"))
}

/// A JSON document (as `serde_json` writes it: no raw line feed) for a machine-read comment line: the
/// characters serde leaves raw that would break or hide the line (only ever inside its strings) as
/// `\uXXXX`; `serde_json` reads it back to the same value.
pub fn json_document_in_comment(json: &str) -> String {
    if !json.chars().any(is_hostile) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if is_hostile(c) {
            // Outside the BMP's controls nothing is hostile, so one `\uXXXX` always suffices.
            write!(out, "\\u{:04x}", c as u32).unwrap();
        } else {
            out.push(c);
        }
    }
    out
}

/// The JSON document [`json_document_in_comment`] was given, back from its comment line (byte for byte,
/// so a digest over serde's writing still holds). `None` when an escape is cut short.
pub fn json_document_from_comment(line: &str) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let next = chars.next()?;
        if next != 'u' {
            out.push(c);
            out.push(next);
            continue;
        }
        let hex: String = chars.by_ref().take(4).collect();
        let code = u32::from_str_radix(&hex, 16).ok().filter(|_| hex.len() == 4)?;
        match char::from_u32(code).filter(|&c| code >= 0x7f && is_hostile(c)) {
            Some(raw) => out.push(raw),
            None => {
                out.push_str("\\u");
                out.push_str(&hex);
            }
        }
    }
    Some(out)
}

/// Text for a terminal: line breaks and tabs kept, every other control character escaped.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(|c| is_hostile(c) && c != '\n') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hostile(c) && c != '\n' { escape_char(&mut out, c) } else { out.push(c) }
    }
    out
}

/// `text` as a Markdown code span, safe in a table cell: one line, `|` escaped (GitHub's tables split at
/// it even inside code), and a backtick fence longer than any run of backticks in the text.
pub fn markdown_code(text: &str) -> String {
    let line = comment_text(text).replace('|', "\\|");
    let fence = "`".repeat(longest_run(&line, '`') + 1);
    // A span that starts or ends with a backtick needs a space inside the fence (stripped when shown).
    let pad = if line.starts_with('`') || line.ends_with('`') || line.is_empty() { " " } else { "" };
    format!("{fence}{pad}{line}{pad}{fence}")
}

/// The fence of a Markdown code block holding `text`: backticks, at least three, more than any run in it.
pub fn markdown_fence(text: &str) -> String {
    "`".repeat((longest_run(text, '`') + 1).max(3))
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// `$tag$text$tag$` with a tag that closes nowhere but at the end: it does not occur in `text`, nor
/// across the end of `text` and the closing tag (`text` ending in `$ddl` would close `$ddl$` early).
pub fn dollar_quote(text: &str, base: &str) -> String {
    let mut tag = format!("${base}$");
    let mut n = 0;
    while format!("{text}{tag}").find(&tag) != Some(text.len()) {
        n += 1;
        tag = format!("${base}{n}$");
    }
    format!("{tag}{text}{tag}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_text_keeps_one_line() {
        assert_eq!(comment_text("plain name"), "plain name");
        assert_eq!(comment_text("a\nDROP TABLE x;"), "a\\nDROP TABLE x;");
        assert_eq!(comment_text("a\r\nb"), "a\\r\\nb");
        assert_eq!(comment_text("a\u{2028}b\u{2029}c\u{85}d"), "a\\u{2028}b\\u{2029}c\\u{85}d");
        assert_eq!(comment_text("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(comment_text("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(comment_text("tab\there"), "tab\there");
        assert_eq!(comment_text("*/ $$ -- 'q' \"d\" größe"), "*/ $$ -- 'q' \"d\" größe");
        for text in ["\n", "\r", "x\u{2028}y", "\u{0}", "\u{7f}"] {
            assert!(!comment_text(text).chars().any(|c| c.is_control() && c != '\t'));
        }
    }

    #[test]
    fn step_names_cannot_add_parts() {
        assert_eq!(step_name("t · hazards: none"), "t \\u{b7} hazards: none");
    }

    #[test]
    fn json_in_comment_round_trips() {
        for value in ["plain", "a\nb", "q\"uote\\", "x\u{2028}y\u{85}z\u{7f}", "größe", "\u{202e}"] {
            let json = json_in_comment(value);
            assert!(!json.chars().any(is_hostile), "{json}");
            assert_eq!(serde_json::from_str::<String>(&json).unwrap(), value);
        }
    }

    #[test]
    fn a_json_document_comes_back_byte_for_byte() {
        let values =
            ["plain", "a\nb", "q\"uote\\u2028", "x\u{2028}y\u{85}z\u{7f}", "größe\u{202e}", "\\\u{2029}"];
        for value in values {
            let doc = serde_json::to_string(&serde_json::json!({ "name": value, "n": [1, value] })).unwrap();
            let line = json_document_in_comment(&doc);
            assert!(!line.chars().any(is_hostile), "{line}");
            assert_eq!(json_document_from_comment(&line).as_deref(), Some(doc.as_str()), "{line}");
        }
        assert_eq!(json_document_from_comment("\"a\\u20"), None, "cut short");
    }

    #[test]
    fn markdown_names_stay_in_their_cell_and_span() {
        assert_eq!(markdown_code("app.t"), "`app.t`");
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("x`y"), "``x`y``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a\n| b"), "`a\\n\\| b`");
        assert_eq!(markdown_code(""), "`  `");
        assert_eq!(markdown_fence("SELECT 1"), "```");
        assert_eq!(markdown_fence("a ``` b ````"), "`````");
    }

    #[test]
    fn terminal_keeps_line_breaks_only() {
        assert_eq!(terminal("a\nb\u{1b}[2J\r"), "a\nb\\u{1b}[2J\\r");
    }

    #[test]
    fn dollar_tags_cannot_close_early() {
        assert_eq!(dollar_quote("x", "ddl"), "$ddl$x$ddl$");
        assert_eq!(dollar_quote("a $ddl$ b", "ddl"), "$ddl1$a $ddl$ b$ddl1$");
        // A body ending in `$ddl` followed by `$ddl$` would read as `$ddl$` one byte early.
        assert_eq!(dollar_quote("DROP TABLE x$ddl", "ddl"), "$ddl1$DROP TABLE x$ddl$ddl1$");
        assert_eq!(dollar_quote("y$ddl1", "ddl"), "$ddl$y$ddl1$ddl$");
        assert_eq!(dollar_quote("$$", "ddl"), "$ddl$$$$ddl$");
    }
}
