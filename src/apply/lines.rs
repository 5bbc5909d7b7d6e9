//! The machine-read lines of a plan file, one parser each: step lines, the target line, manifest object
//! lines, and the preamble's `SET` statements. Each returns a `plan-bad-line` diagnostic for its line.

use super::parse::{ManifestEntry, ParseError, PlannedTarget, Step, malformed};
use crate::catalog::{ObjectKey, ObjectKind};
use crate::planfile::{Stmt, Terminator};

pub(super) fn is_set(stmt: &Stmt) -> bool {
    stmt.terminator == Terminator::Semicolon
        && stmt.text.get(..4).is_some_and(|head| head.eq_ignore_ascii_case("SET "))
}

/// The role of a `SET ROLE name` statement (`"Quoted"` names unquoted).
pub(super) fn set_role(stmt: &Stmt) -> Option<String> {
    let words: Vec<&str> = stmt.text.splitn(3, ' ').collect();
    if words.len() != 3 || !words[0].eq_ignore_ascii_case("SET") || !words[1].eq_ignore_ascii_case("ROLE") {
        return None;
    }
    let name = words[2].trim();
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => Some(quoted.replace("\"\"", "\"")),
        None => Some(name.to_lowercase()),
    }
}

/// `N · CLASS KIND NAME[ · for KIND NAME][ · hazards: H1, H2]`
pub(super) fn parse_step_line(line: usize, rest: &str) -> Result<Step, ParseError> {
    let bad = || malformed(line, "plan-bad-line", format!("step line `-- step {rest}`"));
    let mut parts: Vec<&str> = rest.split(" · ").collect();
    let hazards = match parts.last().and_then(|p| p.strip_prefix("hazards: ")) {
        Some(list) => {
            parts.pop();
            list.split(", ").map(str::to_string).collect()
        }
        None => Vec::new(),
    };
    let for_kind = match parts.last().and_then(|p| p.strip_prefix("for ")) {
        Some(subject) if parts.len() > 2 => {
            let kind = subject.split(' ').next().unwrap_or_default().to_string();
            parts.pop();
            Some(kind)
        }
        _ => None,
    };
    if parts.len() < 2 {
        return Err(bad());
    }
    let number: u32 = parts[0].parse().map_err(|_| bad())?;
    let what = parts[1..].join(" · ");
    let mut words = what.splitn(3, ' ');
    let (Some(class), Some(kind), Some(name)) = (words.next(), words.next(), words.next()) else {
        return Err(bad());
    };
    if number == 0 || name.is_empty() || hazards.iter().any(String::is_empty) {
        return Err(bad());
    }
    Ok(Step {
        number,
        class: class.to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
        for_kind,
        hazards,
        size: None,
        statements: Vec::new(),
    })
}

/// `system-identifier=N database="NAME" server-version-num=N`
pub(super) fn parse_target(line: usize, value: &str) -> Result<PlannedTarget, ParseError> {
    let bad = |what: &str| malformed(line, "plan-bad-line", format!("target line: {what}"));
    let rest = value.strip_prefix("system-identifier=").ok_or_else(|| bad("no system-identifier"))?;
    let (system_identifier, rest) = rest.split_once(' ').ok_or_else(|| bad("no database"))?;
    if system_identifier.is_empty() || !system_identifier.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err(bad("system identifier is not a number"));
    }
    let rest = rest.strip_prefix("database=").ok_or_else(|| bad("no database"))?;
    let (database, rest) = json_string(rest).ok_or_else(|| bad("database is not a JSON string"))?;
    let version = rest.strip_prefix(" server-version-num=").ok_or_else(|| bad("no server-version-num"))?;
    let server_version_num = version.parse().map_err(|_| bad("server-version-num is not a number"))?;
    Ok(PlannedTarget { system_identifier: system_identifier.to_string(), database, server_version_num })
}

/// `KIND "NAME" before=D after=D[ during=D,D...]`
pub(super) fn parse_object(line: usize, value: &str) -> Result<ManifestEntry, ParseError> {
    let bad = |what: &str| malformed(line, "plan-bad-line", format!("object line: {what}"));
    let (kind_word, rest) = value.split_once(' ').ok_or_else(|| bad("no name"))?;
    let kind =
        ObjectKind::from_word(kind_word).ok_or_else(|| bad(&format!("unknown object kind `{kind_word}`")))?;
    let (name, rest) = json_string(rest).ok_or_else(|| bad("name is not a JSON string"))?;
    let rest = rest.strip_prefix(" before=").ok_or_else(|| bad("no before="))?;
    let (before, rest) = rest.split_once(" after=").ok_or_else(|| bad("no after="))?;
    let (after, during) = match rest.split_once(" during=") {
        Some((after, during)) => (after, during.split(',').collect()),
        None => (rest, Vec::new()),
    };
    let state = |text: &str, what: &str| {
        digest(text).ok_or_else(|| bad(&format!("{what}= is neither `absent` nor 64 hex digits: `{text}`")))
    };
    let (before, after) = (state(before, "before")?, state(after, "after")?);
    let during = during.into_iter().map(|d| state(d, "during")).collect::<Result<Vec<_>, _>>()?;
    // Equal only for an object dropped and recreated as it was (a dependent view), which is absent between.
    if before == after && during.is_empty() {
        return Err(bad("before and after are the same"));
    }
    if during.iter().any(|d| *d == before || *d == after) {
        return Err(bad("a during= state repeats before= or after="));
    }
    Ok(ManifestEntry { key: ObjectKey::new(kind, name), before, after, during, was: None })
}

/// A `was` line's JSON, as its object's state: the canonical state whose digest is the object's `before=`.
pub(super) fn parse_was(line: usize, entry: &ManifestEntry, text: &str) -> Result<String, ParseError> {
    let bad = |what: &str| malformed(line, "plan-bad-line", format!("was line: {what}"));
    let json =
        crate::escape::json_document_from_comment(text).ok_or_else(|| bad("an escape is cut short"))?;
    serde_json::from_str::<serde_json::Value>(&json).map_err(|e| bad(&format!("not JSON: {e}")))?;
    if Some(crate::catalog::state_digest(entry.key.kind, &json)) != entry.before {
        return Err(bad(&format!("the state of {} does not have its before= digest", entry.key)));
    }
    Ok(json)
}

fn digest(text: &str) -> Option<Option<String>> {
    if text == "absent" {
        return Some(None);
    }
    let ok = text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    ok.then(|| Some(text.to_string()))
}

/// A JSON string at the start of `text`, and what follows it.
fn json_string(text: &str) -> Option<(String, &str)> {
    if !text.starts_with('"') {
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<String>();
    let value = stream.next()?.ok()?;
    Some((value, &text[stream.byte_offset()..]))
}
