//! Reading a parsed TOML document with positions: typed access to a table's keys, and the diagnostics for
//! what does not fit (unknown key, wrong type, missing key, invalid value), each at the key or value at fault.
//!
//! Invariant: every diagnostic made here carries a position in the file and a help line; reading goes on
//! after an error, so all mistakes in a file are reported together.

use super::pos::{LineIndex, Pos, StringValue};
use super::sql_value::Want;
use crate::source::{Diagnostic, Origin};
use ::toml::Spanned;
use ::toml::de::{DeTable, DeValue};
use std::ops::Range;
use std::path::Path;

/// One file being read: where it is, its text's positions, and the errors found so far.
pub(crate) struct Ctx<'a> {
    pub root: &'a Path,
    pub file: &'a Path,
    pub index: LineIndex<'a>,
    pub errors: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(root: &'a Path, file: &'a Path, text: &'a str) -> Self {
        Ctx { root, file, index: LineIndex::new(text), errors: Vec::new() }
    }

    pub fn origin(&self, pos: Pos) -> Origin {
        Origin::new(self.file, pos.line, pos.col)
    }

    pub fn pos(&self, span: &Range<usize>) -> Pos {
        self.index.pos(span.start)
    }

    /// Records an error at the start of `span`.
    pub fn error(
        &mut self,
        code: &'static str,
        span: &Range<usize>,
        message: String,
        help: impl Into<String>,
    ) {
        let origin = self.origin(self.pos(span));
        self.errors.push(Diagnostic::error(code, message).at(self.root, origin).help(help));
    }
}

/// A string value with where its key and its text are in the file.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub value: String,
    /// Where the key (or, in an array, the element) starts.
    pub key: Pos,
    /// Where the value starts (its opening quote).
    pub quote: Pos,
    /// Where the text starts, and how its characters map into the file.
    pub at: StringValue,
}

impl Text {
    pub fn start(&self) -> Pos {
        self.at.start
    }
}

/// One entry of a table: its key and value with their spans.
pub(crate) type Entry<'t, 'i> = (&'t Spanned<std::borrow::Cow<'i, str>>, &'t Spanned<DeValue<'i>>);

/// A table's entries in the order they are written in the file (the parser keeps them sorted by key).
pub(crate) fn in_file_order<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
    let mut entries: Vec<Entry<'t, 'i>> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// A TOML table being read as one object: `what` names it in messages (`column "email" of table app.t`).
pub(crate) struct Node<'t, 'i> {
    pub what: String,
    table: Option<&'t DeTable<'i>>,
    /// A value written in place of the table (`unique.x = ["a"]`), read as the value of this key.
    shorthand: Option<(&'static str, Entry<'t, 'i>)>,
    /// The span of the key that names this object.
    pub key: Range<usize>,
}

impl<'t, 'i> Node<'t, 'i> {
    /// Reads `table` as `what`, reporting the keys that are not in `allowed`.
    pub fn new(
        ctx: &mut Ctx<'_>,
        what: impl Into<String>,
        key: Range<usize>,
        table: &'t DeTable<'i>,
        allowed: &[&str],
    ) -> Self {
        let what = what.into();
        for (k, _) in in_file_order(table) {
            if !allowed.contains(&k.get_ref().as_ref()) {
                unknown_key(ctx, &what, k.get_ref(), &k.span(), allowed);
            }
        }
        Node { what, table: Some(table), shorthand: None, key }
    }

    /// Reads `table` as `what` without checking its keys (they were checked where it was read first).
    pub fn unchecked(what: impl Into<String>, key: Range<usize>, table: &'t DeTable<'i>) -> Self {
        Node { what: what.into(), table: Some(table), shorthand: None, key }
    }

    /// An object written as one value (`NAME = VALUE`) that stands for its key `as_key`.
    pub fn shorthand(what: impl Into<String>, as_key: &'static str, entry: Entry<'t, 'i>) -> Self {
        Node { what: what.into(), table: None, shorthand: Some((as_key, entry)), key: entry.0.span() }
    }

    pub fn get(&self, key: &str) -> Option<Entry<'t, 'i>> {
        if let Some((name, entry)) = self.shorthand {
            if name == key {
                return Some(entry);
            }
        }
        self.table.and_then(|t| t.get_key_value(key))
    }

    pub fn key_pos(&self, ctx: &Ctx<'_>) -> Pos {
        ctx.pos(&self.key)
    }

    /// Where `key` is written, when it is there (for ordering a node's keys as the file has them).
    pub fn key_offset(&self, key: &str) -> Option<usize> {
        self.get(key).map(|(k, _)| k.span().start)
    }

    pub fn str(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<Text> {
        let (k, v) = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(text(ctx, k.span(), v.span(), s)),
            other => wrong_type(ctx, &self.what, key, &v.span(), "a string", other),
        }
    }

    pub fn bool(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<bool> {
        let (_, v) = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => wrong_type(ctx, &self.what, key, &v.span(), "true or false", other),
        }
    }

    pub fn int(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<i64> {
        let (_, v) = self.get(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    let message = format!("`{key}` of {} does not fit in 64 bits", self.what);
                    ctx.error(
                        "toml-invalid-value",
                        &v.span(),
                        message,
                        "write a number from -2^63 to 2^63-1",
                    );
                    None
                }
            },
            other => wrong_type(ctx, &self.what, key, &v.span(), "an integer", other),
        }
    }

    /// A string that must be SQL of the kind `want` (a type, an expression, a clause): reported at the place
    /// in the value where it stops being one, and `None` then.
    pub fn sql(&self, ctx: &mut Ctx<'_>, key: &str, want: Want) -> Option<Text> {
        let text = self.str(ctx, key)?;
        sql_checked(ctx, &self.what, key, text, want)
    }

    /// [`Node::sql`] for a required key.
    pub fn required_sql(&self, ctx: &mut Ctx<'_>, key: &str, want: Want, help: &str) -> Option<Text> {
        let text = self.required_str(ctx, key, help)?;
        sql_checked(ctx, &self.what, key, text, want)
    }

    /// An array of strings, each SQL of the kind `want`.
    pub fn sql_strings(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        non_empty: bool,
        want: Want,
    ) -> Option<Vec<Text>> {
        let items = self.strings(ctx, key, non_empty)?;
        let checked: Vec<Text> =
            items.into_iter().filter_map(|t| sql_checked(ctx, &self.what, key, t, want)).collect();
        Some(checked)
    }

    /// An array of strings; an empty array is an error when `non_empty`.
    pub fn strings(&self, ctx: &mut Ctx<'_>, key: &str, non_empty: bool) -> Option<Vec<Text>> {
        let (_, v) = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            return wrong_type(ctx, &self.what, key, &v.span(), "an array of strings", v.get_ref());
        };
        if non_empty && items.is_empty() {
            let message = format!("`{key}` of {} is empty", self.what);
            ctx.error("toml-invalid-value", &v.span(), message, "name at least one");
            return None;
        }
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    out.push(text(ctx, item.span(), item.span(), s));
                }
                other => {
                    return wrong_type(ctx, &self.what, key, &item.span(), "an array of strings", other);
                }
            }
        }
        Some(out)
    }

    /// A sub-table, as an object of its own.
    pub fn table(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        what: String,
        allowed: &[&str],
    ) -> Option<Node<'t, 'i>> {
        let (k, v) = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Node::new(ctx, what, k.span(), t, allowed)),
            other => wrong_type(ctx, &self.what, key, &v.span(), "a table", other),
        }
    }

    /// A sub-table whose keys are names (columns, constraints, ...), in file order.
    pub fn named(&self, ctx: &mut Ctx<'_>, key: &str) -> Vec<Entry<'t, 'i>> {
        let Some((_, v)) = self.get(key) else { return Vec::new() };
        match v.get_ref() {
            DeValue::Table(t) => in_file_order(t),
            other => {
                wrong_type::<()>(ctx, &self.what, key, &v.span(), "a table of named entries", other);
                Vec::new()
            }
        }
    }

    /// A required string.
    pub fn required_str(&self, ctx: &mut Ctx<'_>, key: &str, help: &str) -> Option<Text> {
        if self.get(key).is_none() {
            self.missing(ctx, key, help);
            return None;
        }
        self.str(ctx, key)
    }

    pub fn missing(&self, ctx: &mut Ctx<'_>, key: &str, help: &str) {
        let message = format!("{} needs `{key}`", self.what);
        ctx.error("toml-missing-key", &self.key, message, help);
    }

    /// Reports an invalid value of `key`.
    pub fn invalid(&self, ctx: &mut Ctx<'_>, key: &str, message: String, help: impl Into<String>) {
        let span = self.get(key).map(|(_, v)| v.span()).unwrap_or(self.key.clone());
        ctx.error("toml-invalid-value", &span, message, help);
    }
}

/// `text` when it is SQL of the kind `want`; else an error at the place in it where it stops being one.
fn sql_checked(ctx: &mut Ctx<'_>, what: &str, key: &str, text: Text, want: Want) -> Option<Text> {
    let Err(refused) = super::sql_value::check(&text.value, want) else { return Some(text) };
    let (code, help) = match want {
        Want::Type => (
            "toml-not-a-type",
            "write one SQL type, e.g. type = \"numeric(12,2)\"; other SQL belongs in a `sql` string",
        ),
        Want::Expression => (
            "toml-not-an-expression",
            "write one SQL expression, e.g. \"amount >= 0\"; other SQL belongs in a `sql` string",
        ),
        Want::Clause => {
            ("toml-invalid-sql", "write only this clause's SQL; other statements belong in a `sql` string")
        }
    };
    let pos = text.at.map(refused.line, refused.col);
    let message = format!("`{key}` of {what}: {}", refused.message);
    ctx.errors.push(Diagnostic::error(code, message).at(ctx.root, ctx.origin(pos)).help(help));
    None
}

/// A string entry's [`Text`].
pub(crate) fn text(ctx: &Ctx<'_>, key: Range<usize>, value: Range<usize>, s: &str) -> Text {
    Text {
        value: s.to_string(),
        key: ctx.pos(&key),
        quote: ctx.pos(&value),
        at: StringValue::locate(&ctx.index, value, s),
    }
}

fn wrong_type<T>(
    ctx: &mut Ctx<'_>,
    what: &str,
    key: &str,
    span: &Range<usize>,
    expected: &str,
    found: &DeValue<'_>,
) -> Option<T> {
    let message = format!("`{key}` of {what} must be {expected}, not {}", article(found.type_str()));
    let help = match (expected, found) {
        ("true or false", DeValue::String(_)) => "write true or false without quotes".to_string(),
        ("a string", DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_)) => {
            "write it in quotes: SQL types, expressions and names are strings".to_string()
        }
        _ => format!("write `{key}` as {expected}"),
    };
    ctx.error("toml-wrong-type", span, message, help);
    None
}

fn article(word: &str) -> String {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {word}"),
        _ => format!("a {word}"),
    }
}

fn unknown_key(ctx: &mut Ctx<'_>, what: &str, key: &str, span: &Range<usize>, allowed: &[&str]) {
    let message = format!("unknown key `{key}` in {what}");
    let help = match closest(key, allowed) {
        Some(near) => format!("did you mean `{near}`? accepted here: {}", allowed.join(", ")),
        None => format!("accepted here: {}", allowed.join(", ")),
    };
    ctx.error("toml-unknown-key", span, message, help);
}

/// The accepted key nearest to `key`, when it is a likely misspelling.
fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let key = key.to_ascii_lowercase();
    allowed
        .iter()
        .map(|a| (distance(&key, a), *a))
        .filter(|(d, a)| *d <= (a.len() / 3).max(1))
        .min()
        .map(|(_, a)| a)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            previous = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_find_their_key() {
        let allowed = ["type", "not_null", "default", "identity", "generated", "collation", "comment"];
        assert_eq!(closest("not_nul", &allowed), Some("not_null"));
        assert_eq!(closest("Default", &allowed), Some("default"));
        assert_eq!(closest("typ", &allowed), Some("type"));
        assert_eq!(closest("nullable", &allowed), None);
    }
}
