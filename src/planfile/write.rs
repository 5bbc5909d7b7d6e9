//! Writing a plan file: the machine-read lines in their places, around the text for reviewers that the
//! caller (`render`) gives. [`super::parse`] reads what this writes back into the same model.
//!
//! Invariants: every line of reviewer text is written as one comment line ([`escape::comment_text`]); the
//! plan id is the first 16 hex digits of the SHA-256 of the text written with a placeholder in its place;
//! the checksum line is filled last ([`super::seal`]).

use super::lines::{manifest_lines, size_line, step_line, target_line};
use super::model::{ManifestEntry, PlannedTarget, Step};
use super::{CHECKSUM_PREFIX, PLAN_FORMAT, seal};
use crate::catalog::CATALOG_FORMAT;
use crate::escape;
use sha2::{Digest, Sha256};
use std::fmt::Write;

const ID_PLACEHOLDER: &str = "@@accrete-plan-id@@";

/// A written plan file and its id.
pub struct Written {
    pub id: String,
    pub text: String,
}

/// Writes a plan file from its header to its manifest, in file order.
pub struct Writer {
    text: String,
    /// Whether the segment being written is transactional (its `COMMIT;` is still to come).
    open_transaction: bool,
}

impl Writer {
    /// The header: `header` is the reviewer's text (an empty line is written as `--`), then the
    /// machine-read lines, then `preamble`, the statements before the first segment.
    pub fn new(
        header: &[String],
        rollback_of: Option<&str>,
        target: &PlannedTarget,
        preamble: &str,
    ) -> Writer {
        let mut text = String::new();
        writeln!(text, "-- accrete plan {ID_PLACEHOLDER}").unwrap();
        text.push_str("--\n");
        for line in header {
            if line.is_empty() {
                text.push_str("--\n");
            } else {
                writeln!(text, "-- {}", escape::comment_text(line)).unwrap();
            }
        }
        text.push_str("--\n");
        writeln!(text, "-- accrete:format {PLAN_FORMAT}").unwrap();
        writeln!(text, "-- accrete:catalog-format {CATALOG_FORMAT}").unwrap();
        writeln!(text, "-- accrete:plan-id {ID_PLACEHOLDER}").unwrap();
        if let Some(id) = rollback_of {
            writeln!(text, "-- accrete:rollback-of {id}").unwrap();
        }
        writeln!(text, "{}", target_line(target)).unwrap();
        writeln!(text, "{CHECKSUM_PREFIX} sha256:").unwrap();
        text.push('\n');
        text.push_str(preamble);
        Writer { text, open_transaction: false }
    }

    fn close_segment(&mut self) {
        if std::mem::take(&mut self.open_transaction) {
            self.text.push_str("\nCOMMIT;\n");
        }
    }

    /// Starts segment `number` (ending the one before).
    pub fn segment(&mut self, number: u32, transactional: bool) {
        self.close_segment();
        let kind = if transactional { "transactional" } else { "non-transactional" };
        writeln!(self.text, "\n-- accrete:segment {number} {kind}").unwrap();
        if transactional {
            self.text.push_str("BEGIN;\n");
        }
        self.open_transaction = transactional;
    }

    /// One step: its step line and size line from `step` (its `statements` are not written), then
    /// `comment` (reviewer comment lines, each ending in `\n`, the caller's to escape), then `sql`, its
    /// statements as they run.
    pub fn step(&mut self, step: &Step, comment: &str, sql: &str) {
        self.text.push('\n');
        writeln!(self.text, "{}", step_line(step)).unwrap();
        if let Some(size) = &step.size {
            writeln!(self.text, "{}", size_line(size)).unwrap();
        }
        self.text.push_str(comment);
        self.text.push_str(sql);
    }

    /// Ends the last segment, writes the manifest, and fills in the plan id and the checksum.
    pub fn finish(mut self, manifest: &[ManifestEntry]) -> Written {
        self.close_segment();
        let mut text = self.text;
        text.push_str("\n-- accrete:manifest\n");
        for entry in manifest {
            writeln!(text, "{}", manifest_lines(entry)).unwrap();
        }
        text.push_str("-- accrete:end\n");
        let id = hex::encode(Sha256::digest(text.as_bytes()))[..16].to_string();
        let text = text.replace(ID_PLACEHOLDER, &id);
        let text = seal(&text).expect("the plan has a checksum line");
        Written { id, text }
    }
}
