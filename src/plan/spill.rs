//! Where the steps' guarded SQL waits between being made and being written: an unnamed temporary file.
//!
//! A plan's guarded SQL is most of its file (about 70 MB at 5,000 tables) and is read once, in order, when
//! the file is written (and once more when the plan is proven). Held in memory it stayed beside both
//! catalogs, the changes and the expected catalog for the whole plan build. Each step's text goes to the
//! spill as soon as its kind has made it, and the step keeps where it is.
//!
//! Invariants:
//! - the file has no name (`tempfile::tempfile`): nothing is left behind, however the process ends;
//! - a text the spill could not take (no temporary directory, a full disk) stays in memory: spilling
//!   never fails a plan;
//! - a spilled text reads back byte for byte (`Plan::sql_of`).

use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

/// A step's guarded SQL: one or more statements (and `\gexec` lines), in memory or in the plan's spill.
#[derive(Debug, Clone)]
pub enum StepSql {
    Text(String),
    Spilled { offset: u64, len: usize },
}

impl StepSql {
    /// Reads the text, from `spill` when it is there.
    pub fn read<'a>(&'a self, spill: Option<&Spill>) -> std::io::Result<Cow<'a, str>> {
        match self {
            StepSql::Text(text) => Ok(Cow::Borrowed(text)),
            StepSql::Spilled { offset, len } => {
                let spill = spill.ok_or_else(|| std::io::Error::other("the steps' SQL is no longer kept"))?;
                spill.read(*offset, *len).map(Cow::Owned)
            }
        }
    }
}

/// The unnamed file the texts are in; shared by the copies of a plan, read under a lock.
#[derive(Debug, Clone)]
pub struct Spill(Arc<Mutex<std::fs::File>>);

impl Spill {
    fn read(&self, offset: u64, len: usize) -> std::io::Result<String> {
        let mut file = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(std::io::Error::other)
    }
}

/// Takes the texts as they are made.
pub(super) struct Spiller {
    file: Option<std::fs::File>,
}

impl Spiller {
    /// A spiller over a new unnamed file; one that keeps every text in memory when none can be made.
    pub(super) fn new() -> Spiller {
        Spiller { file: tempfile::tempfile().ok() }
    }

    /// Writes `text` to the file and returns where it is; the text itself when the file cannot take it.
    pub(super) fn keep(&mut self, text: String) -> StepSql {
        let Some(file) = self.file.as_mut() else { return StepSql::Text(text) };
        // The position is asked each time: after a failed write it is wherever that write stopped.
        let written =
            file.stream_position().and_then(|offset| file.write_all(text.as_bytes()).map(|()| offset));
        match written {
            Ok(offset) => StepSql::Spilled { offset, len: text.len() },
            Err(_) => StepSql::Text(text),
        }
    }

    /// The file, for reading back (none when no text went to it).
    pub(super) fn finish(self) -> Option<Spill> {
        self.file.map(|file| Spill(Arc::new(Mutex::new(file))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_as_they_were_kept_in_any_order() {
        let texts = ["DO $a$ BEGIN NULL; END $a$;", "", "SELECT 'é ☃'\n\\gexec\n", "CREATE TABLE t ()"];
        let mut spiller = Spiller::new();
        let kept: Vec<StepSql> = texts.iter().map(|t| spiller.keep(t.to_string())).collect();
        assert!(kept.iter().all(|k| matches!(k, StepSql::Spilled { .. })), "{kept:?}");
        let spill = spiller.finish();
        for (text, kept) in texts.iter().zip(&kept).rev() {
            assert_eq!(kept.read(spill.as_ref()).unwrap(), *text);
        }
    }

    #[test]
    fn a_spilled_text_without_its_file_is_an_error_and_a_text_in_memory_needs_none() {
        let mut spiller = Spiller::new();
        let kept = spiller.keep("SELECT 1".into());
        assert!(kept.read(None).is_err());
        assert_eq!(StepSql::Text("SELECT 2".into()).read(None).unwrap(), "SELECT 2");
    }
}
