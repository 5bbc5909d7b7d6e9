//! The plan header a reviewer reads first: target, summary by class and kind, hazards, and what is not
//! planned and why. The same lines serve as the human summary on standard output.

use crate::catalog::ObjectKey;
use crate::diff::Change;
use crate::plan::Plan;
use std::collections::BTreeMap;

fn plural(n: usize, word: &str) -> String {
    let word = if n == 1 || word.ends_with("ics") {
        // `statistics` is its own plural.
        word.to_string()
    } else if word.ends_with("ex") || word.ends_with('s') {
        format!("{word}es")
    } else if let Some(stem) = word.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    };
    format!("{n} {word}")
}

/// `summary: 9 steps in 2 segments` and one line per class.
pub fn summary_lines(plan: &Plan) -> Vec<String> {
    let mut lines = vec![format!(
        "summary: {} in {}",
        plural(plan.step_count(), "step"),
        plural(plan.segments.len(), "segment")
    )];
    // Objects, not steps: a view redefined by a drop and a create is one view.
    let mut by_class: BTreeMap<String, BTreeMap<String, std::collections::BTreeSet<&ObjectKey>>> =
        BTreeMap::new();
    for step in plan.steps() {
        let what = crate::plan::summary_noun(&step.change);
        by_class
            .entry(step.change.class.word().to_string())
            .or_default()
            .entry(what)
            .or_default()
            .insert(&step.change.key);
    }
    for (class, kinds) in by_class {
        let parts: Vec<String> = kinds.iter().map(|(k, objects)| plural(objects.len(), k)).collect();
        lines.push(format!("  {class}: {}", parts.join(", ")));
    }
    lines
}

type Concerns<'a> = BTreeMap<&'a ObjectKey, Vec<&'a Change>>;

/// What it would take to resolve one thing the plan does not do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WouldTake {
    /// The policy entry that admits it (`alter:column`); `None`: accrete does not plan this change.
    pub admit: Option<String>,
    /// The statements it would take.
    pub statements: Vec<String>,
}

/// What it would take to resolve `key`: the statements of the changes the policy left out, with the flag
/// that admits them, or that accrete cannot plan it. `None` when the plan does it all.
fn would_take(key: &ObjectKey, planned: &Concerns, not_admitted: &Concerns) -> Option<WouldTake> {
    let planned = planned.contains_key(key);
    let left: &[&Change] = not_admitted.get(key).map_or(&[], |v| v.as_slice());
    if left.is_empty() {
        return (!planned).then(|| WouldTake { admit: None, statements: Vec::new() });
    }
    // Admitted by the change it serves (a view made where a table is dropped: by the drop).
    let first = left[0];
    let subject = first.subject();
    let served =
        not_admitted.get(subject).into_iter().flatten().find(|c| c.part_of.is_none() && c.key == *subject);
    let class = served.map_or(first.class, |c| c.class.max(first.class));
    let statements =
        left.iter().flat_map(|change| crate::plan::guards_alter::statements(&change.op)).collect();
    Some(WouldTake { admit: Some(format!("{class}:{}", subject.kind)), statements })
}

/// One thing the comparison found that the plan does not do (`plan --format json`'s `not_planned_items`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct NotPlanned {
    /// `changed`, `extra`, `likely_rename`, `equivalent_other_name` or `unmodeled`.
    pub category: &'static str,
    pub kind: String,
    pub name: String,
    /// For `changed`: the class of the change; for `likely_rename`: the name it may have been renamed to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// For `likely_rename`: how alike the two are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// For `unmodeled`: how many objects of that kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub would_take: Option<WouldTake>,
}

impl NotPlanned {
    fn new(category: &'static str, key: &ObjectKey) -> NotPlanned {
        NotPlanned {
            category,
            kind: key.kind.word().to_string(),
            name: key.name.clone(),
            class: None,
            differences: Vec::new(),
            diff: None,
            renamed_to: None,
            advice: None,
            score: None,
            count: None,
            would_take: None,
        }
    }
}

/// Everything the comparison found that the plan does not do, with what it would take, as data.
pub fn not_planned(plan: &Plan) -> Vec<NotPlanned> {
    let c = &plan.comparison;
    let planned = crate::diff::by_concern(plan.steps().map(|s| &s.change));
    let not_admitted = crate::diff::by_concern(&plan.not_admitted);
    let mut items = Vec::new();
    for changed in &c.changed {
        let Some(take) = would_take(&changed.key, &planned, &not_admitted) else { continue };
        items.push(NotPlanned {
            class: Some(changed.class.to_string()),
            differences: changed.differences.clone(),
            diff: changed.diff.clone(),
            would_take: Some(take),
            ..NotPlanned::new("changed", &changed.key)
        });
    }
    for r in &c.likely_renames {
        items.push(NotPlanned {
            renamed_to: Some(r.to.name.clone()),
            score: Some(r.score),
            advice: Some(r.advice()),
            ..NotPlanned::new("likely_rename", &r.from)
        });
    }
    for e in &c.equivalent_other_name {
        items.push(NotPlanned {
            advice: Some(format!(
                "the database has the same definition as {} (no duplicate is created)",
                e.live
            )),
            ..NotPlanned::new("equivalent_other_name", &e.declared)
        });
    }
    for key in &c.extra {
        let Some(take) = would_take(key, &planned, &not_admitted) else { continue };
        let take = take.admit.is_some().then_some(take);
        items.push(NotPlanned { would_take: take, ..NotPlanned::new("extra", key) });
    }
    for (kind, n) in &c.unmodeled {
        items.push(NotPlanned {
            kind: kind.clone(),
            name: String::new(),
            count: Some(*n),
            ..NotPlanned::new("unmodeled", &ObjectKey::schema(""))
        });
    }
    items
}

/// The lines of a [`WouldTake`] in the header.
fn would_take_lines(take: &WouldTake) -> Vec<String> {
    let Some(admit) = &take.admit else {
        return vec!["    accrete does not plan this change: make it by hand, then plan again".to_string()];
    };
    let class = admit.split(':').next().unwrap_or(admit);
    let mut lines = vec![format!("    would take (admit with --allow {class} or --allow {admit}):")];
    for statement in &take.statements {
        lines.extend(statement.lines().map(|l| format!("      {l}")));
    }
    lines
}

/// Lines for everything the comparison found that the plan does not do, with what it would take.
pub fn not_planned_lines(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    let mut unmodeled = Vec::new();
    for item in not_planned(plan) {
        let key = format!("{} {}", item.kind, item.name);
        match item.category {
            "changed" => {
                lines.push(format!(
                    "changed {key} ({} class): {}",
                    item.class.as_deref().unwrap_or(""),
                    super::one_line(&item.differences.join("; "))
                ));
                lines.extend(item.diff.iter().flat_map(|d| d.lines()).map(|l| format!("    {l}")));
                lines.extend(item.would_take.iter().flat_map(would_take_lines));
            }
            "likely_rename" => lines.push(format!(
                "likely rename: {key} -> {} (score {}): {}",
                item.renamed_to.as_deref().unwrap_or(""),
                item.score.unwrap_or(0),
                item.advice.as_deref().unwrap_or("")
            )),
            "equivalent_other_name" => {
                lines.push(format!("{key} is declared; {}", item.advice.as_deref().unwrap_or("")))
            }
            "extra" => {
                lines.push(format!("extra {key}: present, not declared (left alone)"));
                lines.extend(item.would_take.iter().flat_map(would_take_lines));
            }
            _ => unmodeled.push(format!("{} {}", item.count.unwrap_or(0), item.kind)),
        }
    }
    if !unmodeled.is_empty() {
        lines.push(format!("unmodeled (not compared yet): {}", unmodeled.join(", ")));
    }
    lines
}

pub(super) fn header_lines(plan: &Plan) -> Vec<String> {
    let ctx = &plan.context;
    let t = &ctx.target;
    let mut lines = vec![
        format!(
            "target:        PostgreSQL {}, database {}, system identifier {}",
            t.server_version,
            serde_json::to_string(&t.database).expect("strings serialize"),
            t.system_identifier
        ),
        format!("normalized on: {}", ctx.normalized_on),
        format!("tool:          accrete {}", ctx.tool_version),
        match &ctx.role {
            Some(role) => format!("new objects owned by: {role} (SET ROLE at apply: --role {role})"),
            None => format!("new objects owned by: {} (the connecting role)", ctx.owner),
        },
    ];
    lines.extend(external_lines(&ctx.external));
    if let Some(proof) = &plan.proof {
        lines.push(super::one_line(&proof.header_line()));
    }
    lines.push(String::new());
    if let Some(r) = &plan.rollback_of {
        lines.insert(4, format!("rollback of:   plan {}", r.plan_id));
        lines.extend(rollback_lines(r));
        lines.push(String::new());
        lines.extend(summary_lines(plan));
        lines.push(String::new());
        lines.extend(hazard_lines(plan));
        return lines;
    }
    lines.insert(4, format!("policy:        {}", plan.policy.describe()));
    lines.extend(summary_lines(plan));
    lines.push(String::new());
    lines.extend(hazard_lines(plan));
    lines.push(String::new());
    let by_hand = by_hand_lines(plan);
    if !by_hand.is_empty() {
        lines.extend(by_hand);
        lines.push(String::new());
    }
    let not_planned = not_planned_lines(plan);
    if not_planned.is_empty() {
        lines.push("not planned: nothing".to_string());
    } else {
        lines.push("not planned (needs review):".to_string());
        lines.extend(not_planned.into_iter().map(|l| format!("  {l}")));
    }
    lines
}

/// The external objects the plan assumed, each with the digest of the definition read from the target.
fn external_lines(external: &[crate::external::Assumed]) -> Vec<String> {
    if external.is_empty() {
        return Vec::new();
    }
    let mut lines = vec!["external (stubs made from the target's definitions; never planned):".to_string()];
    lines.extend(external.iter().map(|e| format!("  {} {} sha256:{}", e.kind, e.name, e.digest)));
    lines
}

/// What a rollback does and what it cannot undo.
fn rollback_lines(r: &crate::plan::rollback::RollbackOf) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Each step undoes one step of plan {} only if {}.history_steps records that step as executed by it,",
            r.plan_id, r.history_schema
        ),
        "and only on the object as that plan left it: what existed before, or was made by hand, stays."
            .to_string(),
        "Apply it like a plan; its drops and alterations need --allow drop,alter.".to_string(),
        String::new(),
    ];
    if r.cannot_undo.is_empty() {
        lines.push("cannot be undone: nothing".to_string());
    } else {
        lines.push("cannot be undone:".to_string());
        lines.extend(r.cannot_undo.iter().map(|l| format!("  {}", super::one_line(l))));
    }
    lines
}

/// What to run by hand after apply: the statements the plan's steps cannot write themselves (the option
/// values of the user mappings the plan creates, which accrete never reads nor writes: it creates each
/// with empty values).
pub fn by_hand_lines(plan: &Plan) -> Vec<String> {
    let statements: Vec<String> = plan
        .steps()
        .filter_map(|s| {
            let sql = crate::plan::by_hand(&s.change.op)?;
            Some(format!("  step {}: {}", s.number, super::one_line(&sql)))
        })
        .collect();
    if statements.is_empty() {
        return statements;
    }
    let mut lines = vec![
        "by hand after apply (user mapping options: accrete writes no value; give each its own):".to_string(),
    ];
    lines.extend(statements);
    lines
}

pub(super) fn hazard_lines(plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    let hazards: Vec<String> = plan
        .steps()
        .filter(|s| !s.change.hazards.is_empty())
        .map(|s| {
            let names: Vec<&str> = s.change.hazards.iter().map(|h| h.name()).collect();
            let mut line = format!("  step {}: {} ({})", s.number, names.join(", "), s.change.key);
            // The size of the table a hazard that grows with the data depends on, as on its lock line.
            if let Some(size) = crate::plan::lock::step_size(&s.change, s.lock, &plan.context.sizes) {
                line.push_str(&format!("; size {}", crate::policy::size_and_rows(size.size())));
            }
            line
        })
        .collect();
    if hazards.is_empty() {
        lines.push("hazards: none".to_string());
    } else {
        lines.push("hazards:".to_string());
        lines.extend(hazards);
    }
    lines
}
