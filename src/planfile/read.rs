//! Reading a plan file (`docs/plan-format.md`, formats 1 and 2) into a [`PlanFile`].
//!
//! The reader is strict: a plan is a reviewed artifact, so anything it does not understand is an error
//! rather than something skipped. The checksum is verified before anything else is read; then the format.
//!
//! Invariants:
//! - every statement of the file belongs to exactly one place: the preamble (`SET` statements before the
//!   first segment), a segment's `BEGIN;`/`COMMIT;`, or a step; a statement anywhere else is an error;
//! - machine-read lines are recognized only at the start of a line and outside statements;
//! - step numbers strictly increase through the file and segment numbers count up from 1;
//! - a step's size line (format 2 only) follows its step line, before its statements, at most once.

use super::lines::{parse_object, parse_size, parse_step_line, parse_target, parse_was, set_role};
use super::model::{ManifestEntry, PlanFile, PlannedTarget, Segment};
use super::{CHECKSUM_PREFIX, checksum};
use crate::catalog::{CATALOG_FORMAT, ObjectKey};
use crate::script::{Control, Piece, Stmt, Terminator, lex};
use std::collections::BTreeSet;
use std::fmt;

/// The newest plan format this reader knows (the one `render` writes); it reads every one from
/// [`OLDEST_FORMAT`]. Format 2 added each step's size line (`-- accrete:size`).
pub const FORMAT: u32 = super::PLAN_FORMAT;

/// The oldest plan format this reader knows: format 1, which records no table sizes.
pub const OLDEST_FORMAT: u32 = 1;

/// Why a plan file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The file changed since it was written.
    ChecksumMismatch { recorded: String, actual: String },
    /// A plan format this version does not know.
    UnknownFormat(u32),
    /// A catalog format (of the manifest's digests) this version does not know.
    UnknownCatalogFormat(u32),
    /// Anything else: the line, a stable code, what is wrong and what to do.
    Malformed { line: usize, code: &'static str, message: String },
}

impl ParseError {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::ChecksumMismatch { .. } => "plan-checksum-mismatch",
            ParseError::UnknownFormat(_) => "plan-format-unknown",
            ParseError::UnknownCatalogFormat(_) => "plan-catalog-format-unknown",
            ParseError::Malformed { code, .. } => code,
        }
    }

    /// Exit code: 3 for a plan file changed since it was written, 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            ParseError::ChecksumMismatch { .. } => 3,
            _ => 1,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::ChecksumMismatch { recorded, actual } => write!(
                f,
                "plan file changed since it was written: checksum mismatch (recorded {recorded}, \
                 actual {actual}) [{}]\n  help: apply only the file as reviewed; make a new plan instead \
                 of editing one",
                self.code()
            ),
            ParseError::UnknownFormat(n) => write!(
                f,
                "plan format {n} is not known to accrete {} (it reads formats {OLDEST_FORMAT} to {FORMAT}) [{}]\n  help: \
                 apply it with the accrete version that wrote it",
                env!("CARGO_PKG_VERSION"),
                self.code()
            ),
            ParseError::UnknownCatalogFormat(n) => write!(
                f,
                "catalog format {n} is not known to accrete {} (it reads format {CATALOG_FORMAT}) [{}]\n  \
                 help: apply it with the accrete version that wrote it",
                env!("CARGO_PKG_VERSION"),
                self.code()
            ),
            ParseError::Malformed { line, code, message } => {
                write!(
                    f,
                    "line {line}: {message} [{code}]\n  help: a plan file is written by `accrete plan` \
                           and applied unchanged; make a new one"
                )
            }
        }
    }
}

impl std::error::Error for ParseError {}

pub(super) fn malformed(line: usize, code: &'static str, message: impl Into<String>) -> ParseError {
    ParseError::Malformed { line, code, message: message.into() }
}

/// Parses a plan file: verifies the checksum first, then the format, then reads the rest.
pub fn parse(text: &str) -> Result<PlanFile, ParseError> {
    let recorded = header_value(text, CHECKSUM_PREFIX)
        .ok_or_else(|| malformed(1, "plan-missing-line", "no `-- accrete:checksum` line"))?;
    let actual = checksum(text);
    if recorded != actual {
        return Err(ParseError::ChecksumMismatch { recorded, actual });
    }
    let format = number_line(text, "-- accrete:format")?;
    if !(OLDEST_FORMAT..=FORMAT).contains(&format) {
        return Err(ParseError::UnknownFormat(format));
    }
    let catalog_format = number_line(text, "-- accrete:catalog-format")?;
    if catalog_format != CATALOG_FORMAT {
        return Err(ParseError::UnknownCatalogFormat(catalog_format));
    }
    let mut reader = Reader { format, ..Reader::default() };
    for piece in lex(text) {
        reader.piece(piece)?;
    }
    reader.finish(text, format, catalog_format, recorded)
}

/// The value after `prefix ` on the first line that starts with `prefix`.
fn header_value(text: &str, prefix: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.strip_prefix(prefix).and_then(|rest| rest.strip_prefix(' ')))
        .map(str::to_string)
}

fn number_line(text: &str, prefix: &str) -> Result<u32, ParseError> {
    let value = header_value(text, prefix)
        .ok_or_else(|| malformed(1, "plan-missing-line", format!("no `{prefix}` line")))?;
    value.parse().map_err(|_| malformed(1, "plan-bad-line", format!("`{prefix} {value}`: not a number")))
}

#[derive(Debug, Default, PartialEq, Eq)]
enum Place {
    #[default]
    Header,
    /// In a segment; for a transactional one, whether `BEGIN;` and `COMMIT;` were seen.
    Segment {
        begun: bool,
        committed: bool,
    },
    Manifest,
    End,
}

#[derive(Default)]
struct Reader {
    format: u32,
    place: Place,
    plan_id: Option<String>,
    rollback_of: Option<String>,
    target: Option<PlannedTarget>,
    seen: BTreeSet<&'static str>,
    preamble: Vec<Stmt>,
    segments: Vec<Segment>,
    manifest: Vec<ManifestEntry>,
    /// The manifest's keys, to refuse an object listed twice.
    listed: BTreeSet<ObjectKey>,
}

impl Reader {
    fn piece(&mut self, piece: Piece) -> Result<(), ParseError> {
        match piece {
            Piece::Comment { line, text, line_start: true } => self.comment(line, &text),
            Piece::Comment { .. } => Ok(()),
            Piece::Meta { line, text, .. } if text.trim_end() == "\\gexec" => Err(malformed(
                line,
                "plan-meta-command",
                "`\\gexec` with no query before it (psql would run the previous query again)",
            )),
            Piece::Meta { line, text, .. } => Err(malformed(
                line,
                "plan-meta-command",
                format!("meta-command `{text}` (only `\\gexec` occurs)"),
            )),
            Piece::Stmt(stmt) => self.statement(stmt),
        }
    }

    fn comment(&mut self, line: usize, text: &str) -> Result<(), ParseError> {
        if let Some(rest) = text.strip_prefix("-- step ") {
            return self.step_line(line, rest);
        }
        let Some(rest) = text.strip_prefix("-- accrete:") else { return Ok(()) };
        let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
        match (&self.place, key) {
            (Place::Header, "format") => self.once(line, "format"),
            (Place::Header, "catalog-format") => self.once(line, "catalog-format"),
            (Place::Header, "checksum") => self.once(line, "checksum"),
            (Place::Header, "plan-id") => {
                self.once(line, "plan-id")?;
                let ok = value.len() == 16 && value.bytes().all(|b| b.is_ascii_hexdigit());
                if !ok {
                    return Err(malformed(
                        line,
                        "plan-bad-line",
                        format!("plan id `{value}`: not 16 hex digits"),
                    ));
                }
                self.plan_id = Some(value.to_string());
                Ok(())
            }
            (Place::Header, "rollback-of") => {
                self.once(line, "rollback-of")?;
                if !(value.len() == 16 && value.bytes().all(|b| b.is_ascii_hexdigit())) {
                    return Err(malformed(
                        line,
                        "plan-bad-line",
                        format!("rollback-of `{value}`: not a plan id"),
                    ));
                }
                self.rollback_of = Some(value.to_string());
                Ok(())
            }
            (Place::Header, "target") => {
                self.once(line, "target")?;
                self.target = Some(parse_target(line, value)?);
                Ok(())
            }
            (Place::Header | Place::Segment { .. }, "segment") => self.segment_line(line, value),
            (Place::Segment { begun: true, committed: false }, "size") if self.format >= 2 => {
                let step = self.segments.last_mut().and_then(|s| s.steps.last_mut());
                let step = step.filter(|s| s.statements.is_empty() && s.size.is_none()).ok_or_else(|| {
                    malformed(line, "plan-unexpected-line", "a size line follows a step line, once")
                })?;
                step.size = Some(parse_size(value).map_err(|e| malformed(line, "plan-bad-line", e))?);
                Ok(())
            }
            (Place::Header | Place::Segment { .. }, "manifest") if value.is_empty() => {
                self.close_segment(line)?;
                self.place = Place::Manifest;
                Ok(())
            }
            (Place::Manifest, "object") => {
                let entry = parse_object(line, value)?;
                if !self.listed.insert(entry.key.clone()) {
                    return Err(malformed(line, "plan-bad-line", format!("{} listed twice", entry.key)));
                }
                self.manifest.push(entry);
                Ok(())
            }
            (Place::Manifest, "was") => {
                let entry = self.manifest.last_mut().filter(|e| e.was.is_none() && e.before.is_some());
                let entry = entry.ok_or_else(|| {
                    malformed(
                        line,
                        "plan-unexpected-line",
                        "a `was` line follows an object line with before=D",
                    )
                })?;
                entry.was = Some(parse_was(line, entry, value)?);
                Ok(())
            }
            (Place::Manifest, "end") if value.is_empty() => {
                self.place = Place::End;
                Ok(())
            }
            _ => Err(malformed(line, "plan-unexpected-line", format!("`{text}` is not expected here"))),
        }
    }

    fn once(&mut self, line: usize, key: &'static str) -> Result<(), ParseError> {
        if !self.seen.insert(key) {
            return Err(malformed(line, "plan-bad-line", format!("second `-- accrete:{key}` line")));
        }
        Ok(())
    }

    fn segment_line(&mut self, line: usize, value: &str) -> Result<(), ParseError> {
        self.close_segment(line)?;
        let (number, kind) = value.split_once(' ').unwrap_or((value, ""));
        let transactional = match kind {
            "transactional" => true,
            "non-transactional" => false,
            _ => return Err(malformed(line, "plan-bad-line", format!("segment kind `{kind}`"))),
        };
        let expected = self.segments.len() as u32 + 1;
        if number.parse::<u32>().ok() != Some(expected) {
            return Err(malformed(
                line,
                "plan-step-order",
                format!("segment `{number}`, expected {expected}"),
            ));
        }
        self.segments.push(Segment { number: expected, transactional, steps: Vec::new() });
        self.place = Place::Segment { begun: !transactional, committed: false };
        Ok(())
    }

    /// Checks that the current segment (if any) is complete.
    fn close_segment(&mut self, line: usize) -> Result<(), ParseError> {
        let Place::Segment { committed, .. } = self.place else { return Ok(()) };
        let segment = self.segments.last().expect("a segment is open");
        if segment.transactional && !committed {
            return Err(malformed(
                line,
                "plan-bad-segment",
                format!("segment {} has no `COMMIT;`", segment.number),
            ));
        }
        if segment.steps.is_empty() {
            return Err(malformed(
                line,
                "plan-bad-segment",
                format!("segment {} has no steps", segment.number),
            ));
        }
        Ok(())
    }

    fn step_line(&mut self, line: usize, rest: &str) -> Result<(), ParseError> {
        let Place::Segment { begun: true, committed: false } = self.place else {
            return Err(malformed(
                line,
                "plan-unexpected-line",
                "a step outside a segment's BEGIN ... COMMIT",
            ));
        };
        let step = parse_step_line(line, rest)?;
        let previous = self.segments.iter().flat_map(|s| &s.steps).last();
        if let Some(prev) = previous {
            if prev.statements.is_empty() {
                return Err(malformed(
                    line,
                    "plan-bad-step",
                    format!("step {} has no statements", prev.number),
                ));
            }
            if step.number <= prev.number {
                let message = format!("step {} after step {}", step.number, prev.number);
                return Err(malformed(line, "plan-step-order", message));
            }
        }
        self.segments.last_mut().expect("in a segment").steps.push(step);
        Ok(())
    }

    fn statement(&mut self, stmt: Stmt) -> Result<(), ParseError> {
        if stmt.terminator == Terminator::EndOfInput {
            return Err(malformed(
                stmt.line,
                "plan-unterminated",
                "statement without `;` at the end of the file",
            ));
        }
        // Exactly the statement the writer writes, `BEGIN;` or `COMMIT;`.
        let word = |w: &str| stmt.terminator == Terminator::Semicolon && stmt.text.eq_ignore_ascii_case(w);
        let control = stmt.control();
        match &mut self.place {
            Place::Header if control == Control::Set && stmt.terminator == Terminator::Semicolon => {
                self.preamble.push(stmt);
                Ok(())
            }
            Place::Segment { begun: begun @ false, .. } if word("BEGIN") => {
                *begun = true;
                Ok(())
            }
            Place::Segment { begun: true, committed: committed @ false } => {
                let transactional = self.segments.last().is_some_and(|s| s.transactional);
                let step = self.segments.last_mut().and_then(|s| s.steps.last_mut());
                if transactional && word("COMMIT") {
                    if step.as_ref().is_some_and(|s| s.statements.is_empty()) {
                        let message = "the last step of the segment has no statements";
                        return Err(malformed(stmt.line, "plan-bad-step", message));
                    }
                    *committed = true;
                    return Ok(());
                }
                if control.is_transaction() {
                    return Err(malformed(
                        stmt.line,
                        "plan-unexpected-statement",
                        "transaction control in a step",
                    ));
                }
                match step {
                    Some(step) => {
                        step.statements.push(stmt);
                        Ok(())
                    }
                    None => Err(malformed(
                        stmt.line,
                        "plan-unexpected-statement",
                        "a statement before the first step",
                    )),
                }
            }
            _ => Err(malformed(
                stmt.line,
                "plan-unexpected-statement",
                format!("`{}` is not part of any step", stmt.first_line()),
            )),
        }
    }

    fn finish(
        mut self,
        text: &str,
        format: u32,
        catalog_format: u32,
        checksum: String,
    ) -> Result<PlanFile, ParseError> {
        let last_line = text.lines().count().max(1);
        if self.place != Place::End {
            return Err(malformed(
                last_line,
                "plan-missing-line",
                "no `-- accrete:manifest` ... `-- accrete:end`",
            ));
        }
        let plan_id = self
            .plan_id
            .take()
            .ok_or_else(|| malformed(1, "plan-missing-line", "no `-- accrete:plan-id` line"))?;
        let target = self
            .target
            .take()
            .ok_or_else(|| malformed(1, "plan-missing-line", "no `-- accrete:target` line"))?;
        let role = self.preamble.iter().find_map(set_role);
        Ok(PlanFile {
            format,
            catalog_format,
            plan_id,
            rollback_of: self.rollback_of.take(),
            checksum,
            target,
            preamble: self.preamble,
            role,
            segments: self.segments,
            manifest: self.manifest,
        })
    }
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
