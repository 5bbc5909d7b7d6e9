//! Rendering: the plan file (`docs/plan-format.md`), the human summary, and drift reports.
//!
//! The plan file is a pure function of the plan: no clock, no paths, no randomness. Its id is derived from
//! its content; its checksum covers every byte but the checksum line.

mod header;
pub mod markdown;

use crate::escape;
use crate::plan::Plan;
pub use crate::plan::change_words;
use crate::plan::lock::LockMode;
use crate::planfile::{self, PlannedTarget};
use std::fmt::Write as _;
use std::io::{Read, Seek, Write};

pub use header::{not_planned_lines, summary_lines};

/// The plan file format this version writes (`apply` reads it and every older one).
pub const PLAN_FORMAT: u32 = crate::planfile::PLAN_FORMAT;

pub struct Rendered {
    pub id: String,
    pub text: String,
}

/// Renders the plan file in memory (for the proof, which reads it back, and for tests).
pub fn plan_file(plan: &Plan) -> Rendered {
    let (id, out) =
        write_plan_file(plan, std::io::Cursor::new(Vec::new())).expect("writing to memory does not fail");
    Rendered { id, text: String::from_utf8(out.into_inner()).expect("a plan file is UTF-8") }
}

/// Writes the plan file to `out` (empty, e.g. a new file) step by step, without holding its text; returns
/// the plan id and `out`. The bytes are those [`plan_file`] renders.
pub fn write_plan_file<W: Read + Write + Seek>(plan: &Plan, out: W) -> std::io::Result<(String, W)> {
    let t = &plan.context.target;
    let target = PlannedTarget {
        system_identifier: t.system_identifier.clone(),
        database: t.database.clone(),
        server_version_num: t.server_version_num,
    };
    let mut preamble = crate::session::set_statements();
    if let Some(role) = &plan.context.role {
        // New objects are owned by the role planned with; apply refuses another one.
        writeln!(preamble, "SET ROLE {};", crate::catalog::quote_ident(role)).unwrap();
    }
    let rollback_of = plan.rollback_of.as_ref().map(|r| r.plan_id.as_str());
    let mut writer =
        planfile::Writer::new(out, &header::header_lines(plan), rollback_of, &target, &preamble)?;
    for segment in &plan.segments {
        writer.segment(segment.number as u32, segment.transactional)?;
        for step in &segment.steps {
            let file_step = file_step(plan, step);
            writer.step(&file_step, &ddl_comment(step, file_step.size.as_ref()), &plan.sql_of(step)?)?;
        }
    }
    writer.finish(&plan.manifest)
}

/// A step as the plan file records it (without its statements, which are [`Plan::sql_of`]).
pub fn file_step(plan: &Plan, step: &crate::plan::Step) -> planfile::Step {
    let c = &step.change;
    planfile::Step {
        number: step.number as u32,
        class: c.class,
        kind: c.key.kind,
        name: crate::plan::shown_name(c),
        // The change the step serves, which a policy admits it by.
        part_of: c.part_of.as_ref().map(|s| (s.kind, escape::step_name(&s.name))),
        hazards: c.hazards.clone(),
        size: crate::plan::lock::step_size(c, step.lock, &plan.context.sizes),
        statements: Vec::new(),
    }
}

/// At most this many lines of a statement are shown in a step's comment (a long function body is in its
/// guard below, whole).
const DDL_COMMENT_LINES: usize = 12;

/// What a step does, for the reader, before its guard: the lock it takes (with its table's size when a
/// hazard of the step grows with it: `; size 3.2 MB (≈25k rows)`), then its statements without the
/// guard, each line as `--   ` comment text (escaped: nothing in it can end the comment). `apply` skips
/// these lines like every other comment: the guard is what runs.
fn ddl_comment(step: &crate::plan::Step, size: Option<&planfile::StepSize>) -> String {
    let mut out = String::new();
    if let Some(table) =
        crate::plan::lock::locked_table(&step.change).filter(|_| step.lock.mode != LockMode::None)
    {
        let lock = &step.lock;
        let mut line = format!("lock: {} on {table}, {}", lock.mode.sql_name(), lock.duration.word());
        if let Some(size) = size {
            write!(line, "; size {}", crate::policy::size_and_rows(size.size())).unwrap();
        }
        writeln!(out, "--   {}", escape::comment_text(&line)).unwrap();
    }
    for statement in &step.ddl {
        let statement = statement.trim_end();
        let lines: Vec<&str> = statement.lines().collect();
        for (i, line) in lines.iter().take(DDL_COMMENT_LINES).enumerate() {
            let end = if i + 1 == lines.len() && !line.ends_with(';') { ";" } else { "" };
            writeln!(out, "--   {}{end}", escape::comment_text(line.trim_end())).unwrap();
        }
        if lines.len() > DDL_COMMENT_LINES {
            writeln!(out, "--   ... ({} more lines, in the guard below)", lines.len() - DDL_COMMENT_LINES)
                .unwrap();
        }
    }
    out
}

/// `text` (a plan file after its header) without the table sizes [`plan_file`] writes there (the size lines
/// and the size on lock comment lines): what plans of the same statements for targets of different sizes
/// share.
pub fn without_sizes(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| !line.starts_with(planfile::SIZE_LINE_PREFIX))
        .map(|line| match line.strip_prefix("--   lock: ").and_then(|_| line.split_once("; size ")) {
            Some((lock, rest)) => format!("{lock}{}", if rest.ends_with('\n') { "\n" } else { "" }),
            None => line.to_string(),
        })
        .collect()
}

/// What `apply` under the plan's own policy would refuse of `step`, judged with its table's size from the
/// target (`step N (...): what: pass FLAG` without the step's prefix): empty when it admits the step.
pub fn refusals(plan: &Plan, step: &crate::plan::Step) -> Vec<String> {
    let c = &step.change;
    let size = crate::plan::lock::step_size(c, step.lock, &plan.context.sizes);
    plan.policy
        .refusals(c.class, c.subject().kind, &c.hazards, size.as_ref().map(|s| s.size()))
        .iter()
        .map(|r| format!("{}: pass {}", r.what(size.as_ref().map(|s| &s.table)), r.remedy()))
        .collect()
}

/// Text for a comment line: no line breaks (see [`escape::comment_text`]).
pub fn one_line(text: &str) -> String {
    escape::comment_text(text)
}

/// Where `plan` wrote a plan file and its rollback.
pub struct Written {
    pub id: String,
    pub file: std::path::PathBuf,
    pub rollback: Option<std::path::PathBuf>,
}

/// `plan --format json`: the steps with their class, kind, object, hazards and segment, what is not planned,
/// and the data checks. A public contract like the drift document (`format_version`).
pub fn plan_json(
    plan: &Plan,
    written: Option<&Written>,
    not_planned: &[String],
    checked: Option<&[crate::check_data::Checked]>,
) -> String {
    let steps: Vec<serde_json::Value> = plan
        .segments
        .iter()
        .flat_map(|segment| segment.steps.iter().map(move |step| (segment, step)))
        .map(|(segment, step)| {
            let c = &step.change;
            let table = crate::plan::lock::locked_table(c).filter(|_| step.lock.mode != LockMode::None);
            let size = table.and_then(|t| plan.context.sizes.get(t));
            let graded = crate::plan::lock::step_size(c, step.lock, &plan.context.sizes);
            let hazard_sizes: Vec<serde_json::Value> = c
                .hazards
                .iter()
                .filter(|h| h.graded_by_size())
                .filter_map(|h| {
                    let s = graded.as_ref()?;
                    Some(serde_json::json!({
                        "hazard": h.name(),
                        "table": s.table.to_string(),
                        "rows": s.rows,
                        "bytes": s.bytes,
                    }))
                })
                .collect();
            serde_json::json!({
                "number": step.number,
                "segment": segment.number,
                "transactional": segment.transactional,
                "class": c.class.word(),
                "kind": c.key.kind.word(),
                "name": c.key.name,
                "what": crate::plan::op_word(&c.op),
                "for": c.part_of.as_ref().map(|k| serde_json::json!({"kind": k.kind.word(), "name": k.name})),
                "hazards": c.hazards.iter().map(|h| h.name()).collect::<Vec<_>>(),
                "lock": {
                    "mode": step.lock.mode.sql_name(),
                    "duration": step.lock.duration.word(),
                    "table": table.map(|t| t.to_string()),
                },
                "table_size": size.map(|s| serde_json::json!({"rows": s.rows, "bytes": s.bytes})),
                "hazard_sizes": hazard_sizes,
                "apply_refuses": refusals(plan, step),
                "ddl": step.ddl,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "format_version": 1,
        "plan_id": written.map(|w| w.id.clone()),
        "file": written.map(|w| w.file.display().to_string()),
        "rollback": written.and_then(|w| w.rollback.as_ref()).map(|p| p.display().to_string()),
        "policy": plan.policy.describe(),
        "segments": plan.segments.len(),
        "steps": steps,
        "not_planned": not_planned,
        "not_planned_items": header::not_planned(plan),
        "proof": plan.proof.as_ref().map(crate::plan::ProofStatus::json),
        "data_checks": checked.map(|c| c.iter().map(|c| c.line()).collect::<Vec<_>>()),
        "external": plan.context.external.iter().map(|e| serde_json::json!({
            "kind": e.kind.word(),
            "name": e.name,
            "sha256": e.digest,
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("the plan document serializes");
    text.push('\n');
    text
}
