//! The fleet drift report: text (per target, then a summary), JSON Lines, a Markdown summary, and the
//! metrics file in the Prometheus text format (written atomically, for a node exporter's textfile
//! collector). Target names may come from discovered databases and schemas: every format escapes them.

use super::drift::{CATEGORIES, Checked};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

fn line(text: &str) -> String {
    crate::escape::comment_text(text)
}

/// The counts of a target that drifted: `2 missing, 1 changed`.
fn counts(c: &Checked) -> String {
    let parts: Vec<String> = c
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(cat, n)| format!("{n} {}", cat.replace('_', " ")))
        .collect();
    parts.join(", ")
}

/// `20 targets: 15 in sync, 3 drifted, 2 errors`, and the names of the drifted and failed ones.
pub fn summary(checked: &[Checked]) -> String {
    let names = |exit: u8| -> Vec<String> {
        checked.iter().filter(|c| c.exit == exit).map(|c| line(&c.name)).collect()
    };
    let (in_sync, drifted, errors) = (names(0), names(2), names(1));
    let mut out = format!(
        "{} target(s): {} in sync, {} drifted, {} error(s)\n",
        checked.len(),
        in_sync.len(),
        drifted.len(),
        errors.len()
    );
    if !drifted.is_empty() {
        writeln!(out, "drifted: {}", drifted.join(", ")).unwrap();
    }
    if !errors.is_empty() {
        writeln!(out, "errors: {}", errors.join(", ")).unwrap();
    }
    out
}

/// The text report: one line per target (a drifted one followed by its drift report, indented), then the
/// summary.
pub fn text(checked: &[Checked]) -> String {
    let mut out = String::new();
    for c in checked {
        let took = c.elapsed.as_secs_f64();
        match (&c.error, c.exit) {
            (Some(e), _) => writeln!(out, "{}: error: {} ({took:.1} s)", line(&c.name), line(e)).unwrap(),
            (None, 0) => writeln!(out, "{}: in sync ({took:.1} s)", line(&c.name)).unwrap(),
            (None, _) => {
                writeln!(out, "{}: drift: {} ({took:.1} s)", line(&c.name), counts(c)).unwrap();
                for l in c.text.lines() {
                    writeln!(out, "    {l}").unwrap();
                }
            }
        }
    }
    out.push_str(&summary(checked));
    out
}

/// JSON Lines: one compact document per target, in the targets' order.
pub fn json_lines(checked: &[Checked]) -> String {
    checked.iter().map(|c| format!("{}\n", c.document)).collect()
}

/// A cell of a Markdown table: one line, no `|` or backquote that would end it.
fn cell(text: &str) -> String {
    line(text).replace('\\', "\\\\").replace('|', "\\|").replace('`', "'").replace('<', "&lt;")
}

/// The Markdown summary: a table of every target, then the summary line.
pub fn markdown(checked: &[Checked]) -> String {
    let mut out = String::from("## accrete drift\n\n| target | result | ");
    out.push_str(&CATEGORIES.map(|c| c.replace('_', " ")).join(" | "));
    out.push_str(" |\n|---|---|");
    out.push_str(&"---:|".repeat(CATEGORIES.len()));
    out.push('\n');
    for c in checked {
        let result = match (&c.error, c.exit) {
            (Some(e), _) => format!("error: {}", cell(e)),
            (None, 0) => "in sync".to_string(),
            (None, _) => "**drift**".to_string(),
        };
        write!(out, "| {} | {result} |", cell(&c.name)).unwrap();
        for cat in CATEGORIES {
            match c.counts.get(cat) {
                Some(n) => write!(out, " {n} |").unwrap(),
                None => out.push_str(" |"),
            }
        }
        out.push('\n');
    }
    out.push('\n');
    for l in summary(checked).lines() {
        writeln!(out, "{}  ", cell(l)).unwrap();
    }
    out
}

/// A label value in the Prometheus text format.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

const LAST_SUCCESS: &str = "accrete_drift_last_success_timestamp_seconds";

/// The metrics: per target and category the objects found, whether it failed, its exit code, how long it
/// took, and when it was last checked successfully (for a target that failed now, the time the previous
/// file said). `previous`: the file as it was.
pub fn metrics(checked: &[Checked], now: f64, previous: &str) -> String {
    let kept: BTreeMap<&str, &str> = previous
        .lines()
        .filter_map(|l| l.strip_prefix(LAST_SUCCESS)?.strip_prefix('{'))
        .filter_map(|l| l.rsplit_once("} "))
        .collect();
    let mut out = String::new();
    let mut family = |name: &str, help: &str, rows: Vec<(String, String)>| {
        writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge").unwrap();
        for (labels, value) in rows {
            writeln!(out, "{name}{{{labels}}} {value}").unwrap();
        }
    };
    let target = |c: &Checked| format!("target=\"{}\"", label(&c.name));
    family(
        "accrete_drift_objects",
        "Objects in each drift category, per target (absent for a target that could not be checked).",
        checked
            .iter()
            .flat_map(|c| {
                c.counts
                    .iter()
                    .map(move |(cat, n)| (format!("{},category=\"{cat}\"", target(c)), n.to_string()))
            })
            .collect(),
    );
    family(
        "accrete_drift_error",
        "1 when the target could not be checked (unreachable, timed out, an error), else 0.",
        checked.iter().map(|c| (target(c), u8::from(c.error.is_some()).to_string())).collect(),
    );
    family(
        "accrete_drift_exit",
        "The target's exit code: 0 in sync, 2 drift, 1 error.",
        checked.iter().map(|c| (target(c), c.exit.to_string())).collect(),
    );
    family(
        "accrete_drift_duration_seconds",
        "How long checking the target took.",
        checked.iter().map(|c| (target(c), format!("{:.3}", c.elapsed.as_secs_f64()))).collect(),
    );
    family(
        LAST_SUCCESS,
        "When the target was last checked successfully (Unix time).",
        checked
            .iter()
            .filter_map(|c| {
                let labels = target(c);
                match c.error {
                    None => Some((labels, format!("{now:.3}"))),
                    Some(_) => kept.get(labels.as_str()).map(|v| (labels.clone(), v.to_string())),
                }
            })
            .collect(),
    );
    let count = |exit: u8| checked.iter().filter(|c| c.exit == exit).count().to_string();
    family(
        "accrete_drift_targets",
        "Targets checked, by result.",
        vec![
            ("result=\"in_sync\"".into(), count(0)),
            ("result=\"drift\"".into(), count(2)),
            ("result=\"error\"".into(), count(1)),
        ],
    );
    out
}

/// Writes the metrics file atomically: a temporary file beside it, renamed over it.
pub fn write_metrics(path: &Path, checked: &[Checked]) -> Result<()> {
    let previous = std::fs::read_to_string(path).unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let text = metrics(checked, now, &previous);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn checked(name: &str, exit: u8, missing: usize) -> Checked {
        let counts = if exit == 1 { BTreeMap::new() } else { CATEGORIES.iter().map(|c| (*c, 0)).collect() };
        let mut c = Checked {
            name: name.into(),
            exit,
            error: (exit == 1).then(|| "refused".to_string()),
            counts,
            document: serde_json::json!({}),
            text: String::new(),
            elapsed: Duration::from_millis(5),
        };
        if exit == 2 {
            c.counts.insert("missing", missing);
        }
        c
    }

    #[test]
    fn an_errored_target_keeps_its_last_success() {
        let first = metrics(&[checked("a\"b", 0, 0), checked("c", 2, 3)], 100.0, "");
        assert!(first.contains("accrete_drift_objects{target=\"c\",category=\"missing\"} 3"), "{first}");
        assert!(
            first.contains("accrete_drift_last_success_timestamp_seconds{target=\"a\\\"b\"} 100.000"),
            "{first}"
        );
        let second = metrics(&[checked("a\"b", 1, 0), checked("c", 2, 3)], 200.0, &first);
        assert!(
            second.contains("accrete_drift_last_success_timestamp_seconds{target=\"a\\\"b\"} 100.000"),
            "{second}"
        );
        assert!(
            second.contains("accrete_drift_last_success_timestamp_seconds{target=\"c\"} 200.000"),
            "{second}"
        );
        assert!(second.contains("accrete_drift_error{target=\"a\\\"b\"} 1"), "{second}");
    }

    #[test]
    fn markdown_cells_stay_in_their_column() {
        let md = markdown(&[checked("x|y\nz", 2, 1)]);
        let row = md.lines().find(|l| l.contains("x\\|y")).expect(&md);
        assert_eq!(row.replace("\\|", "").matches('|').count(), CATEGORIES.len() + 3, "{row}");
        assert!(!md.contains("x|y"), "{md}");
    }
}
