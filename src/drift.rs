//! Drift: a comparison reported by category, as text, as Markdown (for an issue or a pull-request comment),
//! or as the JSON document that is a public contract (`format_version` 1). Exit code 2 when any category
//! named by `--fail-on` is non-empty.

use crate::catalog::ObjectKey;
use crate::diff::Comparison;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

pub const FORMAT_VERSION: u32 = 1;

/// The categories `--fail-on` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Category {
    Missing,
    Extra,
    Changed,
    LikelyRenames,
    EquivalentOtherName,
    Unmodeled,
}

pub const DEFAULT_FAIL_ON: [Category; 3] = [Category::Missing, Category::Extra, Category::Changed];

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub database: String,
    pub server_version: String,
    pub system_identifier: String,
}

#[derive(Serialize)]
struct Item<'a> {
    kind: &'a str,
    name: &'a str,
}

fn item(key: &ObjectKey) -> Item<'_> {
    Item { kind: key.kind.word(), name: &key.name }
}

#[derive(Serialize)]
struct ChangedItem<'a> {
    kind: &'a str,
    name: &'a str,
    class: &'a str,
    differences: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<&'a str>,
    /// The statements of the alter (or drop) changes that would resolve it, for a policy to admit at `plan`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    would_take: Vec<String>,
}

#[derive(Serialize)]
struct Rename<'a> {
    from: Item<'a>,
    to: Item<'a>,
    score: u32,
}

#[derive(Serialize)]
struct Equivalent<'a> {
    declared: Item<'a>,
    live: Item<'a>,
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    target: &'a Target,
    missing: Vec<Item<'a>>,
    extra: Vec<Item<'a>>,
    changed: Vec<ChangedItem<'a>>,
    likely_renames: Vec<Rename<'a>>,
    equivalent_other_name: Vec<Equivalent<'a>>,
    unmodeled: &'a BTreeMap<String, u64>,
    ignored: Vec<Item<'a>>,
}

/// The statements it would take to resolve `key` (alter and drop changes: a policy admits them at `plan`),
/// empty when accrete cannot plan it.
fn would_take(index: &Beyond<'_>, key: &crate::catalog::ObjectKey) -> Vec<String> {
    index
        .get(key)
        .into_iter()
        .flatten()
        .flat_map(|ch| crate::plan::guards_alter::statements(&ch.op))
        .collect()
}

/// The alter and drop changes by the keys they resolve.
type Beyond<'a> = BTreeMap<&'a crate::catalog::ObjectKey, Vec<&'a crate::diff::Change>>;

fn beyond_adding(c: &Comparison) -> Beyond<'_> {
    crate::diff::by_concern(c.changes.iter().filter(|ch| ch.class != crate::diff::Class::Add))
}

/// Things the comparison left out on purpose (ownership statements in the schema files, ...), as items.
#[derive(Debug, Clone, Default)]
pub struct Ignored(pub Vec<(String, String)>);

/// The JSON document.
pub fn json(target: &Target, c: &Comparison, ignored: &Ignored) -> String {
    let index = beyond_adding(c);
    let doc = Document {
        format_version: FORMAT_VERSION,
        target,
        missing: c.missing.iter().map(item).collect(),
        extra: c.extra.iter().map(item).collect(),
        changed: c
            .changed
            .iter()
            .map(|ch| ChangedItem {
                kind: ch.key.kind.word(),
                name: &ch.key.name,
                class: ch.class.word(),
                differences: &ch.differences,
                diff: ch.diff.as_deref(),
                would_take: would_take(&index, &ch.key),
            })
            .collect(),
        likely_renames: c
            .likely_renames
            .iter()
            .map(|r| Rename { from: item(&r.from), to: item(&r.to), score: r.score })
            .collect(),
        equivalent_other_name: c
            .equivalent_other_name
            .iter()
            .map(|e| Equivalent { declared: item(&e.declared), live: item(&e.live) })
            .collect(),
        unmodeled: &c.unmodeled,
        ignored: ignored.0.iter().map(|(kind, name)| Item { kind, name }).collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).expect("the drift document serializes");
    text.push('\n');
    text
}

/// The text report.
pub fn text(target: &Target, c: &Comparison) -> String {
    let index = beyond_adding(c);
    let mut out = String::new();
    writeln!(out, "drift of database {:?} (PostgreSQL {})", target.database, target.server_version).unwrap();
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            writeln!(out, "{title} ({}):", lines.len()).unwrap();
            for line in lines {
                writeln!(out, "  {line}").unwrap();
            }
        }
    };
    // Names are untrusted: each is escaped to one line without control characters.
    let name = |k: &dyn std::fmt::Display| crate::escape::comment_text(&k.to_string());
    section("missing", c.missing.iter().map(|k| name(k)).collect());
    let with_sql = |key: &crate::catalog::ObjectKey, mut line: String| {
        for statement in would_take(&index, key) {
            for (i, l) in statement.lines().enumerate() {
                let l = crate::escape::comment_text(l);
                line.push_str(&format!("\n      {} {l}", if i == 0 { "-- would take:" } else { "--" }));
            }
        }
        line
    };
    section("extra", c.extra.iter().map(|k| with_sql(k, name(k))).collect());
    section(
        "changed",
        c.changed
            .iter()
            .map(|ch| {
                let mut line =
                    format!("{}: {}", name(&ch.key), crate::render::one_line(&ch.differences.join("; ")));
                for diff_line in ch.diff.iter().flat_map(|d| d.lines()) {
                    line.push_str(&format!("\n      {}", crate::render::one_line(diff_line)));
                }
                with_sql(&ch.key, line)
            })
            .collect(),
    );
    section(
        "likely renames",
        c.likely_renames
            .iter()
            .map(|r| {
                crate::render::one_line(&format!(
                    "{} -> {} (score {}): {}",
                    r.from,
                    r.to,
                    r.score,
                    r.advice()
                ))
            })
            .collect(),
    );
    section(
        "equivalent under another name",
        c.equivalent_other_name
            .iter()
            .map(|e| crate::render::one_line(&format!("declared {}, present as {}", e.declared, e.live)))
            .collect(),
    );
    section("unmodeled (not compared yet)", c.unmodeled.iter().map(|(k, n)| format!("{n} {k}")).collect());
    if c.is_empty() {
        out.push_str("in sync: nothing missing, extra or changed\n");
    } else {
        writeln!(
            out,
            "drift: {} missing, {} extra, {} changed",
            c.missing.len(),
            c.extra.len(),
            c.changed.len()
        )
        .unwrap();
    }
    out
}

/// The Markdown report: a summary line, then a table per category, each changed object with its diff, and
/// what resolving it would take. Names are code spans ([`crate::escape::markdown_code`]); diffs and
/// statements sit in code blocks no line can close. Cut to fit one comment
/// ([`crate::render::markdown::COMMENT_LIMIT`]), saying how much was left out.
pub fn markdown(target: &Target, c: &Comparison) -> String {
    use crate::escape::{markdown_code, markdown_fence};
    let index = beyond_adding(c);
    let mut out = format!(
        "## accrete drift of database {} (PostgreSQL {})\n\n",
        markdown_code(&target.database),
        markdown_code(&target.server_version)
    );
    if c.is_empty() {
        out.push_str("**In sync:** nothing missing, extra or changed.\n");
        return out;
    }
    writeln!(
        out,
        "**Drift:** {} missing, {} extra, {} changed, {} likely renames\n",
        c.missing.len(),
        c.extra.len(),
        c.changed.len(),
        c.likely_renames.len()
    )
    .unwrap();
    let mut blocks: Vec<String> = Vec::new();
    let table = |title: &str, keys: &[ObjectKey]| -> Vec<String> {
        if keys.is_empty() {
            return Vec::new();
        }
        let mut rows = vec![format!("### {title} ({})\n\n| kind | name |\n|---|---|", keys.len())];
        rows.extend(keys.iter().map(|k| format!("| {} | {} |", k.kind, markdown_code(&k.name))));
        rows.push(String::new());
        rows
    };
    blocks.extend(table("Missing", &c.missing));
    blocks.extend(table("Extra (present, not declared)", &c.extra));
    if !c.changed.is_empty() {
        blocks.push(format!("### Changed ({})\n", c.changed.len()));
        for ch in &c.changed {
            let summary = crate::escape::comment_text(&ch.differences.join("; "));
            let mut block = format!(
                "<details><summary>{} {} ({} class): {}</summary>\n\n",
                ch.key.kind,
                markdown_code(&ch.key.name),
                ch.class,
                markdown_code(&summary)
            );
            if let Some(diff) = &ch.diff {
                let fence = markdown_fence(diff);
                writeln!(block, "{fence}diff\n{}\n{fence}\n", diff.trim_end()).unwrap();
            }
            let take = would_take(&index, &ch.key).join(";\n");
            if !take.is_empty() {
                let fence = markdown_fence(&take);
                writeln!(
                    block,
                    "Would take (admitted at `plan` by `--allow`):\n\n{fence}sql\n{take};\n{fence}\n"
                )
                .unwrap();
            }
            block.push_str("</details>\n");
            blocks.push(block);
        }
        blocks.push(String::new());
    }
    if !c.likely_renames.is_empty() {
        let mut rows = vec![format!(
            "### Likely renames ({})\n\n| from | to | score |\n|---|---|---:|",
            c.likely_renames.len()
        )];
        for r in &c.likely_renames {
            rows.push(format!(
                "| {} {} | {} {} | {} |",
                r.from.kind,
                markdown_code(&r.from.name),
                r.to.kind,
                markdown_code(&r.to.name),
                r.score
            ));
        }
        rows.push(String::new());
        blocks.extend(rows);
    }
    if !c.unmodeled.is_empty() {
        let parts: Vec<String> = c.unmodeled.iter().map(|(k, n)| format!("{n} {k}")).collect();
        blocks.push(format!("_Unmodeled (not compared yet):_ {}\n", markdown_code(&parts.join(", "))));
    }
    let limit = crate::render::markdown::COMMENT_LIMIT - 300;
    let total = blocks.len();
    let mut used = out.chars().count();
    for (i, block) in blocks.into_iter().enumerate() {
        used += block.chars().count() + 1;
        if used > limit {
            writeln!(
                out,
                "\n_Cut to fit one comment: {} more lines; `accrete drift` prints them all._",
                total - i
            )
            .unwrap();
            break;
        }
        out.push_str(&block);
        out.push('\n');
    }
    out
}

/// Whether any category in `fail_on` is non-empty.
pub fn has_drift(c: &Comparison, fail_on: &[Category]) -> bool {
    fail_on.iter().any(|category| match category {
        Category::Missing => !c.missing.is_empty(),
        Category::Extra => !c.extra.is_empty(),
        Category::Changed => !c.changed.is_empty(),
        Category::LikelyRenames => !c.likely_renames.is_empty(),
        Category::EquivalentOtherName => !c.equivalent_other_name.is_empty(),
        Category::Unmodeled => !c.unmodeled.is_empty(),
    })
}
