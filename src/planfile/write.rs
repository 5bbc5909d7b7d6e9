//! Writing a plan file: the machine-read lines in their places, around the text for reviewers that the
//! caller (`render`) gives. [`super::parse`] reads what this writes back into the same model.
//!
//! The file is streamed: each step goes to the output as it is given, and nothing holds the whole text
//! (a plan of 5,000 tables is about 45 MB, and its rollback as much). The header has a fixed length, so it
//! is written first with zeros in place of the plan id and the checksum, and written again over itself at
//! the end, once the body is read back for the checksum.
//!
//! Invariants: every line of reviewer text is written as one comment line ([`escape::comment_text`]); the
//! plan id is the first 16 hex digits of the SHA-256 of the text written with [`ID_PLACEHOLDER`] in its
//! two places in the header and an empty checksum (`sha256:`); the checksum is [`super::checksum`] of the
//! finished text. Neither depends on where the text is written.

use super::lines::{manifest_lines, size_line, step_line, target_line};
use super::model::{ManifestEntry, PlannedTarget, Step};
use super::{CHECKSUM_PREFIX, PLAN_FORMAT, checksum_line};
use crate::catalog::CATALOG_FORMAT;
use crate::escape;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

const ID_PLACEHOLDER: &str = "@@accrete-plan-id@@";
/// Hex digits of the plan id.
const ID_LEN: usize = 16;

/// What the header says besides the id and the checksum, kept to write it again at the end.
struct Header {
    reviewer: Vec<String>,
    rollback_of: Option<String>,
    target: PlannedTarget,
}

impl Header {
    /// The header's text, through its checksum line, with `id` in the plan id's two places and `sum` after
    /// `sha256:` on the checksum line.
    fn text(&self, id: &str, sum: &str) -> String {
        let mut text = String::new();
        writeln!(text, "-- accrete plan {id}").unwrap();
        text.push_str("--\n");
        for line in &self.reviewer {
            if line.is_empty() {
                text.push_str("--\n");
            } else {
                writeln!(text, "-- {}", escape::comment_text(line)).unwrap();
            }
        }
        text.push_str("--\n");
        writeln!(text, "-- accrete:format {PLAN_FORMAT}").unwrap();
        writeln!(text, "-- accrete:catalog-format {CATALOG_FORMAT}").unwrap();
        writeln!(text, "-- accrete:plan-id {id}").unwrap();
        if let Some(of) = &self.rollback_of {
            writeln!(text, "-- accrete:rollback-of {of}").unwrap();
        }
        writeln!(text, "{}", target_line(&self.target)).unwrap();
        writeln!(text, "{CHECKSUM_PREFIX} sha256:{sum}").unwrap();
        text
    }
}

/// Writes a plan file from its header to its manifest, in file order, to `W` (a file, or memory).
pub struct Writer<W: Read + Write + Seek> {
    out: BufWriter<W>,
    header: Header,
    /// Length of the header's text, the same with zeros as with the real id and checksum.
    header_len: u64,
    /// The plan id's hash: the header with the placeholder, then everything written after it.
    id_hash: Sha256,
    /// Whether the segment being written is transactional (its `COMMIT;` is still to come).
    open_transaction: bool,
}

impl<W: Read + Write + Seek> Writer<W> {
    /// The header: `header` is the reviewer's text (an empty line is written as `--`), then the
    /// machine-read lines, then `preamble`, the statements before the first segment. `out` must be empty.
    pub fn new(
        out: W,
        header: &[String],
        rollback_of: Option<&str>,
        target: &PlannedTarget,
        preamble: &str,
    ) -> io::Result<Writer<W>> {
        let header = Header {
            reviewer: header.to_vec(),
            rollback_of: rollback_of.map(str::to_string),
            target: target.clone(),
        };
        let zeros = header.text(&"0".repeat(ID_LEN), &"0".repeat(64));
        let mut id_hash = Sha256::new();
        id_hash.update(header.text(ID_PLACEHOLDER, "").as_bytes());
        let mut writer = Writer {
            out: BufWriter::with_capacity(1 << 16, out),
            header,
            header_len: zeros.len() as u64,
            id_hash,
            open_transaction: false,
        };
        writer.out.write_all(zeros.as_bytes())?;
        writer.body("\n")?;
        writer.body(preamble)?;
        Ok(writer)
    }

    /// Writes `text` after the header, into the plan id's hash.
    fn body(&mut self, text: &str) -> io::Result<()> {
        self.id_hash.update(text.as_bytes());
        self.out.write_all(text.as_bytes())
    }

    fn close_segment(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.open_transaction) {
            self.body("\nCOMMIT;\n")?;
        }
        Ok(())
    }

    /// Starts segment `number` (ending the one before).
    pub fn segment(&mut self, number: u32, transactional: bool) -> io::Result<()> {
        self.close_segment()?;
        let kind = if transactional { "transactional" } else { "non-transactional" };
        self.body(&format!("\n-- accrete:segment {number} {kind}\n"))?;
        if transactional {
            self.body("BEGIN;\n")?;
        }
        self.open_transaction = transactional;
        Ok(())
    }

    /// One step: its step line and size line from `step` (its `statements` are not written), then
    /// `comment` (reviewer comment lines, each ending in `\n`, the caller's to escape), then `sql`, its
    /// statements as they run.
    pub fn step(&mut self, step: &Step, comment: &str, sql: &str) -> io::Result<()> {
        self.body(&format!("\n{}\n", step_line(step)))?;
        if let Some(size) = &step.size {
            self.body(&format!("{}\n", size_line(size)))?;
        }
        self.body(comment)?;
        self.body(sql)
    }

    /// Ends the last segment, writes the manifest, and fills in the plan id and the checksum: the body is
    /// read back from `out` for the checksum, and the header written again over the zeros. Returns the id
    /// and `out`.
    pub fn finish(mut self, manifest: &[ManifestEntry]) -> io::Result<(String, W)> {
        self.close_segment()?;
        self.body("\n-- accrete:manifest\n")?;
        for entry in manifest {
            self.body(&format!("{}\n", manifest_lines(entry)))?;
        }
        self.body("-- accrete:end\n")?;
        let id = hex::encode(self.id_hash.clone().finalize())[..ID_LEN].to_string();
        let mut out = self.out.into_inner().map_err(io::IntoInnerError::into_error)?;
        // The checksum covers every byte but its own line, the first line that starts with its prefix: in
        // the header, which ends with it.
        let unsealed = self.header.text(&id, "");
        let (line_start, _) = checksum_line(&unsealed).expect("the header has a checksum line");
        let mut sum = Sha256::new();
        sum.update(&unsealed.as_bytes()[..line_start]);
        out.seek(SeekFrom::Start(self.header_len))?;
        let mut buffer = vec![0; 1 << 16];
        loop {
            let n = out.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            sum.update(&buffer[..n]);
        }
        let sealed = self.header.text(&id, &hex::encode(sum.finalize()));
        debug_assert_eq!(sealed.len() as u64, self.header_len);
        out.seek(SeekFrom::Start(0))?;
        out.write_all(sealed.as_bytes())?;
        out.seek(SeekFrom::End(0))?;
        out.flush()?;
        Ok((id, out))
    }
}
