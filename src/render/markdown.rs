//! `plan --format markdown`: a plan as a reviewer reads it in a pull request.
//!
//! One document: a summary; a table of the steps with their class, object, hazards (marked `(not
//! admitted)` where the plan's own policy, size bounds judged with the target's sizes, does not admit
//! one), the lock each takes (mode, on which table, for how long: [`crate::plan::lock`]) and that table's
//! size estimate; a
//! before/after diff of each changed object; the DDL alone, guards folded away; what is not planned and
//! why; the data checks when counted. It is meant to be posted as one pull-request comment, so it stays
//! under [`COMMENT_LIMIT`] characters: a longer review is cut to its summary and the first steps
//! ([`Review::comment`]), and the full text goes to a file beside the plan.
//!
//! Invariants: a pure function of the plan (and the data checks); every name and every text from a schema
//! file or the target is a code span ([`escape::markdown_code`]) or inside a code block whose fence no
//! line can close ([`escape::markdown_fence`]), so nothing in them renders as Markdown or HTML, ends a
//! table cell or breaks a line of the table.

use crate::escape;
use crate::plan::lock::{LockMode, locked_table};
use crate::plan::{Plan, Step};
use std::fmt::Write;

/// GitHub's limit on a comment is 65,536 characters; a little is left for what a workflow adds.
pub const COMMENT_LIMIT: usize = 65_000;

/// The review: the whole document, and what fits in one comment.
pub struct Review {
    pub full: String,
    /// `None` when the whole document fits; otherwise the summary, as many steps as fit, and a pointer
    /// to the full review's file (`full_name`).
    pub comment: Option<String>,
}

/// The review of `plan`. `full_name`: what the cut comment calls the file holding the full review.
pub fn review(
    plan: &Plan,
    plan_id: Option<&str>,
    checked: Option<&[crate::check_data::Checked]>,
    full_name: &str,
) -> Review {
    let head = head(plan, plan_id);
    let rows: Vec<String> = plan.steps().map(|step| row(plan, step)).collect();
    let mut full = head.clone();
    full.push_str(&steps_table(&rows));
    full.push_str(&changes(plan));
    full.push_str(&ddl(plan));
    full.push_str(&not_planned(plan));
    if let Some(checked) = checked {
        full.push_str(&data_checks(checked));
    }
    if full.chars().count() <= COMMENT_LIMIT {
        return Review { full, comment: None };
    }
    let note = |shown: usize| {
        format!(
            "\n_Showing {shown} of {} steps: the full review (every step, the diffs, the DDL and what is not \
             planned) is in {}._\n",
            rows.len(),
            escape::markdown_code(full_name)
        )
    };
    let budget = COMMENT_LIMIT - head.chars().count() - note(rows.len()).chars().count() - 200;
    let mut shown = 0;
    let mut used = steps_table(&[]).chars().count();
    for row in &rows {
        used += row.chars().count() + 1;
        if used > budget {
            break;
        }
        shown += 1;
    }
    let mut comment = head;
    comment.push_str(&steps_table(&rows[..shown]));
    comment.push_str(&note(shown));
    Review { full, comment: Some(comment) }
}

fn head(plan: &Plan, plan_id: Option<&str>) -> String {
    let mut out = String::new();
    let t = &plan.context.target;
    match plan_id {
        Some(id) => writeln!(out, "## accrete plan `{id}`\n").unwrap(),
        None => writeln!(out, "## accrete plan\n").unwrap(),
    }
    writeln!(
        out,
        "**Target:** PostgreSQL {}, database {}  \n**Policy:** {}",
        escape::markdown_code(&t.server_version),
        escape::markdown_code(&t.database),
        escape::markdown_code(&plan.policy.describe())
    )
    .unwrap();
    if let Some(proof) = &plan.proof {
        writeln!(out, "  \n**Proof:** {}", escape::markdown_code(&proof.header_line())).unwrap();
    }
    out.push('\n');
    let summary = super::header::summary_lines(plan);
    let fence = escape::markdown_fence(&summary.join("\n"));
    writeln!(out, "{fence}text\n{}\n{fence}\n", summary.join("\n")).unwrap();
    out
}

/// One row of the steps table.
fn row(plan: &Plan, step: &Step) -> String {
    let c = &step.change;
    let what = crate::plan::op_word(&c.op);
    let mut object = format!("{} {}", c.key.kind, escape::markdown_code(&c.key.name));
    if let Some(what) = what {
        write!(object, " ({})", escape::markdown_code(&what)).unwrap();
    }
    // Hazards the plan's own policy does not admit (judged with the table's size for a size bound) are
    // marked: `apply` with the same policy refuses the step.
    let size = crate::plan::lock::step_size(c, step.lock, &plan.context.sizes);
    let refused: Vec<crate::policy::Hazard> =
        plan.policy
            .refusals(c.class, c.subject().kind, &c.hazards, size.as_ref().map(|s| s.size()))
            .iter()
            .filter_map(|r| match r {
                crate::policy::Refusal::Hazard { hazard, .. }
                | crate::policy::Refusal::Bound { hazard, .. } => Some(*hazard),
                crate::policy::Refusal::Class { .. } => None,
            })
            .collect();
    let hazards: Vec<String> = c
        .hazards
        .iter()
        .map(|h| {
            let mark = if refused.contains(h) { " (not admitted)" } else { "" };
            format!("`{}`{mark}", h.name())
        })
        .collect();
    let table = locked_table(c).filter(|_| step.lock.mode != LockMode::None);
    let lock = match table {
        Some(t) => format!(
            "{} on {}, {}",
            step.lock.mode.sql_name(),
            escape::markdown_code(&t.to_string()),
            step.lock.duration.word()
        ),
        None => "–".to_string(),
    };
    let size = table.and_then(|t| plan.context.sizes.get(t)).map_or(String::new(), |s| s.describe());
    format!("| {} | {} | {object} | {} | {lock} | {size} |", step.number, c.class, hazards.join(" "))
}

fn steps_table(rows: &[String]) -> String {
    let mut out = String::from("### Steps\n\n| # | class | object | hazards | lock | table size |\n");
    out.push_str("|---:|---|---|---|---|---|\n");
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// A before/after diff of each changed object a step touches (once per object).
fn changes(plan: &Plan) -> String {
    let touched: std::collections::BTreeSet<_> = plan.steps().map(|s| &s.change.key).collect();
    let mut out = String::new();
    for changed in plan.comparison.changed.iter().filter(|c| touched.contains(&c.key)) {
        let summary = escape::comment_text(&changed.differences.join("; "));
        writeln!(
            out,
            "<details><summary>{} {}: {}</summary>\n",
            changed.key.kind,
            escape::markdown_code(&changed.key.name),
            escape::markdown_code(&summary)
        )
        .unwrap();
        if let Some(diff) = &changed.diff {
            let fence = escape::markdown_fence(diff);
            writeln!(out, "{fence}diff\n{}\n{fence}\n", diff.trim_end()).unwrap();
        }
        out.push_str("</details>\n\n");
    }
    if out.is_empty() {
        return out;
    }
    format!("### Changes (before → after)\n\n{out}")
}

/// The statements of every step without their guards.
fn ddl(plan: &Plan) -> String {
    let mut body = String::new();
    for step in plan.steps() {
        let c = &step.change;
        writeln!(
            body,
            "-- step {} · {} {} {}",
            step.number,
            c.class,
            c.key.kind,
            escape::comment_text(&c.key.name)
        )
        .unwrap();
        for statement in &step.ddl {
            let statement = statement.trim_end();
            let end = if statement.ends_with(';') { "" } else { ";" };
            writeln!(body, "{statement}{end}").unwrap();
        }
    }
    if body.is_empty() {
        return body;
    }
    let fence = escape::markdown_fence(&body);
    format!(
        "### DDL\n\n<details><summary>The statements alone (the plan file guards each)</summary>\n\n{fence}sql\n\
         {body}{fence}\n\n</details>\n\n"
    )
}

fn not_planned(plan: &Plan) -> String {
    let lines = super::header::not_planned_lines(plan);
    if lines.is_empty() {
        return "### Not planned\n\nNothing: the plan does everything the comparison found.\n\n".to_string();
    }
    let text: Vec<String> = lines.iter().map(|l| escape::comment_text(l)).collect();
    let text = text.join("\n");
    let fence = escape::markdown_fence(&text);
    format!("### Not planned (needs review)\n\n{fence}text\n{text}\n{fence}\n\n")
}

fn data_checks(checked: &[crate::check_data::Checked]) -> String {
    let text: Vec<String> = checked.iter().map(|c| escape::comment_text(&c.line())).collect();
    let text = text.join("\n");
    let fence = escape::markdown_fence(&text);
    format!("### Data checks\n\n{fence}text\n{text}\n{fence}\n\n")
}
