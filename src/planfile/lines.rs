//! The machine-read lines of a plan file, each with its writer and its reader: step lines, size lines,
//! the target line, manifest object and `was` lines, and the preamble's `SET` statements. Each reader
//! returns a `plan-bad-line` diagnostic for its line; each writer keeps untrusted text on its one line.

use super::model::{ManifestEntry, PlannedTarget, Step, StepSize};
use super::read::{ParseError, malformed};
use crate::catalog::{ObjectKey, ObjectKind};
use crate::escape;
use crate::policy::{Class, Hazard};
use crate::script::Stmt;
use std::fmt::Write;

/// The prefix of a step's size line.
pub const SIZE_LINE_PREFIX: &str = "-- accrete:size ";

/// `-- step N · CLASS KIND NAME[ · for KIND NAME][ · hazards: H1, H2]`, one comment line (the names are
/// as the step line shows them: [`escape::step_name`]).
pub fn step_line(step: &Step) -> String {
    let mut line = format!("-- step {} · {} {} {}", step.number, step.class, step.kind, step.name);
    if let Some((kind, name)) = &step.part_of {
        write!(line, " · for {kind} {name}").unwrap();
    }
    if !step.hazards.is_empty() {
        let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
        write!(line, " · hazards: {}", names.join(", ")).unwrap();
    }
    escape::comment_text(&line)
}

/// `-- accrete:size {"table":{"schema":"app","name":"t"},"bytes":8192,"rows":40}`: one JSON document,
/// with every character that could end or hide the comment line escaped.
pub fn size_line(size: &StepSize) -> String {
    let json = serde_json::to_string(size).expect("a step size serializes");
    format!("{SIZE_LINE_PREFIX}{}", escape::json_document_in_comment(&json))
}

/// The JSON of a size line (after its prefix).
pub fn parse_size(json: &str) -> Result<StepSize, String> {
    serde_json::from_str(json).map_err(|e| format!("size line: {e}"))
}

/// `-- accrete:target system-identifier=N database="NAME" server-version-num=N`
pub fn target_line(target: &PlannedTarget) -> String {
    format!(
        "-- accrete:target system-identifier={} database={} server-version-num={}",
        target.system_identifier,
        escape::json_in_comment(&target.database),
        target.server_version_num
    )
}

fn digest_or_absent(d: &Option<String>) -> &str {
    d.as_deref().unwrap_or("absent")
}

/// `-- accrete:object KIND "NAME" before=D after=D[ during=D,D]`, then `-- accrete:was JSON` when the
/// object exists before the plan.
pub fn manifest_lines(entry: &ManifestEntry) -> String {
    let mut line = format!(
        "-- accrete:object {} {} before={} after={}",
        entry.key.kind,
        escape::json_in_comment(&entry.key.name),
        digest_or_absent(&entry.before),
        digest_or_absent(&entry.after)
    );
    if !entry.during.is_empty() {
        let states: Vec<&str> = entry.during.iter().map(digest_or_absent).collect();
        write!(line, " during={}", states.join(",")).unwrap();
    }
    if let Some(was) = &entry.was {
        write!(line, "\n-- accrete:was {}", escape::json_document_in_comment(was)).unwrap();
    }
    line
}

/// The role of a `SET ROLE name` statement (`"Quoted"` names unquoted).
pub fn set_role(stmt: &Stmt) -> Option<String> {
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
    let unknown = |what: &str, word: &str| {
        malformed(line, "plan-bad-line", format!("step line: unknown {what} `{word}`"))
    };
    let kind_of = |word: &str| ObjectKind::from_word(word).ok_or_else(|| unknown("object kind", word));
    let mut parts: Vec<&str> = rest.split(" · ").collect();
    let hazards = match parts.last().and_then(|p| p.strip_prefix("hazards: ")) {
        Some(list) => {
            parts.pop();
            let names: Vec<&str> = list.split(", ").collect();
            if names.iter().any(|n| n.is_empty()) {
                return Err(bad());
            }
            names
                .into_iter()
                .map(|name| Hazard::from_name(name).ok_or_else(|| unknown("hazard", name)))
                .collect::<Result<Vec<_>, _>>()?
        }
        None => Vec::new(),
    };
    let part_of = match parts.last().and_then(|p| p.strip_prefix("for ")) {
        Some(subject) if parts.len() > 2 => {
            let (kind, name) = subject.split_once(' ').ok_or_else(bad)?;
            let kind = kind_of(kind)?;
            parts.pop();
            Some((kind, name.to_string()))
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
    if number == 0 || name.is_empty() {
        return Err(bad());
    }
    let class = match class {
        "add" => Class::Add,
        "alter" => Class::Alter,
        "drop" => Class::Drop,
        other => return Err(unknown("class", other)),
    };
    Ok(Step {
        number,
        class,
        kind: kind_of(kind)?,
        name: name.to_string(),
        part_of,
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
    let json = escape::json_document_from_comment(text).ok_or_else(|| bad("an escape is cut short"))?;
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
