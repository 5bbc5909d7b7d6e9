//! The plan file (`docs/plan-format.md`), in one place: its model, its writer, its reader, its checksum
//! and the splitting of its statements.
//!
//! `render` writes a plan with [`Writer`] from the [`model`] types, adding the text for reviewers; `apply`
//! reads it back with [`parse`] into the same types, so that the file a reviewer reads and the file `apply`
//! executes agree byte for byte on what the checksum covers and where each statement ends, and nothing
//! machine-read is written in one place and read in another by a different idea of the format.
//!
//! Invariants:
//! - [`checksum`] covers every byte of the text except the first line that starts with
//!   `-- accrete:checksum` (its text and its `\n`); a text without that line is hashed whole;
//! - what [`Writer`] writes, [`parse`] reads back equal (`tests`: a write/read round trip);
//! - a plan file's statements are split by [`crate::script`], the one statement splitter of the crate.

mod lines;
pub mod model;
mod read;
mod write;

pub use crate::script::{Piece, Stmt, Terminator, lex, split_statements};
pub use lines::{SIZE_LINE_PREFIX, parse_size, set_role, size_line, step_line};
pub use model::{ManifestEntry, PlanFile, PlannedTarget, Segment, Step, StepSize};
pub use read::{FORMAT, OLDEST_FORMAT, ParseError, parse};
pub use write::Writer;

use sha2::{Digest, Sha256};

/// The plan file format written now (`docs/plan-format.md`): 2 added each step's size line. `apply` reads
/// it and format 1.
pub const PLAN_FORMAT: u32 = 2;

/// The prefix of the checksum line.
pub const CHECKSUM_PREFIX: &str = "-- accrete:checksum";

/// `sha256:<hex>` over every byte of `text` except the checksum line.
pub fn checksum(text: &str) -> String {
    let mut hasher = Sha256::new();
    match checksum_line(text) {
        Some((start, end)) => {
            hasher.update(&text.as_bytes()[..start]);
            hasher.update(&text.as_bytes()[end..]);
        }
        None => hasher.update(text.as_bytes()),
    }
    format!("sha256:{}", hex::encode(hasher.finalize()))
}

/// `text` with its checksum line set to the text's checksum; `None` when it has no checksum line.
pub fn seal(text: &str) -> Option<String> {
    let (start, end) = checksum_line(text)?;
    let newline = if text[..end].ends_with('\n') { "\n" } else { "" };
    Some(format!("{}{CHECKSUM_PREFIX} {}{newline}{}", &text[..start], checksum(text), &text[end..]))
}

/// Byte range of the first line starting with the checksum prefix, including its `\n`.
fn checksum_line(text: &str) -> Option<(usize, usize)> {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(CHECKSUM_PREFIX) {
            return Some((start, start + line.len()));
        }
        start += line.len();
    }
    None
}

#[cfg(test)]
#[path = "round_trip_tests.rs"]
mod round_trip_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_skips_its_own_line() {
        let a = "-- a\n-- accrete:checksum sha256:00\nSELECT 1;\n";
        let b = "-- a\n-- accrete:checksum sha256:ff\nSELECT 1;\n";
        let without = "-- a\nSELECT 1;\n";
        assert_eq!(checksum(a), checksum(b));
        assert_eq!(checksum(a), checksum(without));
        assert_ne!(checksum(a), checksum("-- a\n-- accrete:checksum sha256:00\nSELECT 2;\n"));
        assert!(checksum(a).starts_with("sha256:"));
        assert_eq!(checksum(a).len(), "sha256:".len() + 64);
        // Only the first checksum line is excluded.
        let twice = "-- accrete:checksum x\n-- accrete:checksum y\n";
        assert_ne!(checksum(twice), checksum("-- accrete:checksum x\n-- accrete:checksum z\n"));
    }

    #[test]
    fn checksum_is_sha256_of_the_remaining_bytes() {
        // sha256("") is the well-known e3b0...b855.
        assert_eq!(
            checksum("-- accrete:checksum whatever\n"),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn seal_fills_the_checksum_line() {
        let text = "-- x\n-- accrete:checksum sha256:0\nSELECT 1;\n";
        let sealed = seal(text).unwrap();
        let line = sealed.lines().nth(1).unwrap();
        assert_eq!(line, format!("-- accrete:checksum {}", checksum(text)));
        assert_eq!(checksum(&sealed), checksum(text));
        assert_eq!(seal(&sealed).unwrap(), sealed);
        assert!(seal("SELECT 1;\n").is_none());
    }
}
