//! A plan's proof as the plan file and its JSON document record it: whether the plan ran on a scratch copy
//! of the target's schema (`apply::prove` makes the copy and runs it), and on what, or why not.

/// What the header and the JSON document say about a plan's proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofStatus {
    /// Ran on a copy: `on` says of what and where (`a copy of database "app"'s schema, PostgreSQL 15.18`).
    Proven { on: String, ran: usize },
    /// Why no proof could be made.
    NotProven(String),
    /// `--no-prove`.
    Skipped,
}

impl ProofStatus {
    /// The header line (without its `-- `): `proven: on ..., N steps ran` or `not proven: why`.
    pub fn header_line(&self) -> String {
        match self {
            ProofStatus::Proven { on, ran } => {
                format!(
                    "proven: on {on}, {}",
                    if *ran == 1 { "1 step ran".to_string() } else { format!("{ran} steps ran") }
                )
            }
            ProofStatus::NotProven(why) => format!("not proven: {why}"),
            ProofStatus::Skipped => "not proven: --no-prove".to_string(),
        }
    }

    /// `{"status": "proven" | "not-proven" | "skipped", "on": ..., "reason": ...}`
    pub fn json(&self) -> serde_json::Value {
        match self {
            ProofStatus::Proven { on, ran } => {
                serde_json::json!({"status": "proven", "on": on, "steps_ran": ran, "reason": null})
            }
            ProofStatus::NotProven(why) => {
                serde_json::json!({"status": "not-proven", "on": null, "reason": why})
            }
            ProofStatus::Skipped => {
                serde_json::json!({"status": "skipped", "on": null, "reason": "--no-prove"})
            }
        }
    }
}
