//! Altering an object of a statement-defined kind in place, where its kind can say how: the statements
//! that turn one printed definition into another (foreign tables and servers). The texts compared are
//! the ones the kind's SQL expression prints, on both sides, so they are read here with a small scanner
//! that knows their quoting (`'...'`, `E'...'`, `"..."`) and parentheses, and nothing else.

/// The statements that turn the live definition into the declared one, and how far they reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alteration {
    pub statements: Vec<String>,
    pub reach: Reach,
}

/// How far an alteration reaches, which decides its class: only adding (a column, its comment), changing
/// what is there (options, a comment), or dropping (a column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    Adds,
    Changes,
    Drops,
}

/// The position of the quote that closes the one at `open` (`'` or `"`; a doubled quote is one inside,
/// and with `backslash`, as in `E'...'`, so is one after a backslash), or the end of `b`.
pub(crate) fn closing_quote(b: &[u8], open: usize, backslash: bool) -> usize {
    let quote = b[open];
    let mut i = open + 1;
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            break;
        }
        i += 1;
    }
    i.min(b.len())
}

/// Byte positions in `s` outside quotes, with the parenthesis depth there.
fn top_positions(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut depth) = (0, 0usize);
    while i < b.len() {
        match b[i] {
            b'\'' => {
                let escaped = i > 0 && (b[i - 1] == b'E' || b[i - 1] == b'e');
                i = closing_quote(b, i, escaped);
            }
            b'"' => i = closing_quote(b, i, false),
            b'(' => {
                out.push((i, depth));
                depth += 1;
            }
            b')' => {
                depth = depth.saturating_sub(1);
                out.push((i, depth));
            }
            _ => out.push((i, depth)),
        }
        i += 1;
    }
    out
}

/// The first position of `pattern` outside quotes and parentheses, at or after `from`.
pub(super) fn find_top(s: &str, from: usize, pattern: &str) -> Option<usize> {
    top_positions(s)
        .into_iter()
        .find(|&(i, d)| d == 0 && i >= from && s[i..].starts_with(pattern))
        .map(|(i, _)| i)
}

/// The position of the `)` that closes the `(` at `open`.
pub(super) fn closing(s: &str, open: usize) -> Option<usize> {
    let depth = top_positions(s).into_iter().find(|&(i, _)| i == open)?.1;
    top_positions(s)
        .into_iter()
        .find(|&(i, d)| i > open && d == depth && s.as_bytes()[i] == b')')
        .map(|(i, _)| i)
}

/// `s` split at its top-level (outside quotes and parentheses) occurrences of `separator`.
pub(super) fn split_top<'a>(s: &'a str, separator: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, d) in top_positions(s) {
        if d == 0 && i >= start && s[i..].starts_with(separator) {
            out.push(&s[start..i]);
            start = i + separator.len();
        }
    }
    out.push(&s[start..]);
    out
}

/// Options as printed: `(name, 'value')`, sorted by name.
pub(super) type Options<'a> = Vec<(&'a str, &'a str)>;

/// A definition cut at its top-level ` OPTIONS (...)`: what comes before, the options, and what comes
/// after.
pub(super) fn cut_options(s: &str) -> Option<(&str, Options<'_>, &str)> {
    let Some(at) = find_top(s, 0, " OPTIONS (") else { return Some((s, Vec::new(), "")) };
    let open = at + " OPTIONS ".len();
    let close = closing(s, open)?;
    let mut options = Vec::new();
    for option in split_top(&s[open + 1..close], ", ") {
        let space = find_top(option, 0, " ")?;
        options.push((&option[..space], &option[space + 1..]));
    }
    Some((&s[..at], options, &s[close + 1..]))
}

/// `OPTIONS (SET a 'x', ADD b 'y', DROP c)` from one sorted option list to another; `None` when equal.
pub(super) fn options_change(from: &[(&str, &str)], to: &[(&str, &str)]) -> Option<String> {
    let mut actions = Vec::new();
    for (name, value) in to {
        match from.iter().find(|(n, _)| n == name) {
            Some((_, v)) if v == value => {}
            Some(_) => actions.push(format!("SET {name} {value}")),
            None => actions.push(format!("ADD {name} {value}")),
        }
    }
    for (name, _) in from {
        if !to.iter().any(|(n, _)| n == name) {
            actions.push(format!("DROP {name}"));
        }
    }
    (!actions.is_empty()).then(|| format!("OPTIONS ({})", actions.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scanner_skips_quotes_and_parentheses() {
        let s = "a (b, 'c, d') OPTIONS (x 'it''s, (', \"y z\" E'\\' OPTIONS (') tail";
        assert_eq!(find_top(s, 0, " OPTIONS ("), Some(13));
        let (before, options, after) = cut_options(s).unwrap();
        assert_eq!(before, "a (b, 'c, d')");
        assert_eq!(options, [("x", "'it''s, ('"), ("\"y z\"", "E'\\' OPTIONS ('")]);
        assert_eq!(after, " tail");
        assert_eq!(split_top("a, (b, c), 'd, e'", ", "), ["a", "(b, c)", "'d, e'"]);
        assert_eq!(closing("f(a(b)c) d", 1), Some(7));
    }

    #[test]
    fn options_are_set_added_and_dropped() {
        let from = [("a", "'1'"), ("b", "'2'"), ("c", "'3'")];
        let to = [("a", "'1'"), ("b", "'9'"), ("d", "'4'")];
        assert_eq!(options_change(&from, &to).unwrap(), "OPTIONS (SET b '9', ADD d '4', DROP c)");
        assert_eq!(options_change(&from, &from), None);
    }
}
