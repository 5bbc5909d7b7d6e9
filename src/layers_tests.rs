//! The module layering of docs/architecture.md, checked: every `crate::MODULE` a file of `src/` names must
//! be one the table there ("Layers") lets its module use, or one every module may use. The table is read
//! from the document itself, so the order is written down once. Test code (`#[cfg(test)]` modules at the
//! end of a file, files named `tests.rs` or `*_tests.rs`, folders named `tests`) is not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules every module may use: plain data and leaf helpers.
const EVERYONE: &[&str] = &["catalog", "kinds", "session", "escape", "progress"];

/// The "may use" column of the layer table, by module: rows `| tier | `module` | role | a, b, c |`.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
        .expect("docs/architecture.md");
    let mut out = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // ["", tier, module, role, may use, ""]
        if cells.len() != 6 || cells[1].parse::<u32>().is_err() {
            continue;
        }
        let Some(module) = cells[2].strip_prefix('`').and_then(|m| m.strip_suffix('`')) else { continue };
        let uses: BTreeSet<String> = if cells[4] == "everything" {
            ["*".to_string()].into()
        } else {
            cells[4]
                .split(',')
                .map(|u| u.trim().trim_matches('`').split_whitespace().next().unwrap_or("").to_string())
                .filter(|u| !u.is_empty() && u != "–")
                .collect()
        };
        out.insert(module.to_string(), uses);
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
            out.push(path);
        }
    }
}

/// The top-level modules `text` names as `crate::NAME` (also inside `use crate::{a, b::c}`), with lines.
fn used_modules(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + 7..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let name = item.trim().split("::").next().unwrap_or("").trim();
                    if !name.is_empty() {
                        out.push((n + 1, name.to_string()));
                    }
                }
            } else {
                let name: String =
                    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                out.push((n + 1, name));
            }
        }
    }
    out
}

#[test]
fn modules_use_only_the_layers_the_architecture_allows() {
    let allowed = allowed();
    assert!(allowed.len() >= 15, "the layer table in docs/architecture.md was not found: {allowed:?}");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut unlisted = BTreeSet::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        if matches!(module.as_str(), "lib" | "main") || EVERYONE.contains(&module.as_str()) {
            continue;
        }
        let Some(may) = allowed.get(&module) else {
            unlisted.insert(module);
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (line, used) in used_modules(code) {
            let ok = used == module
                || EVERYONE.contains(&used.as_str())
                || may.contains("*")
                || may.contains(&used);
            if !ok {
                violations.push(format!("src/{rel}:{line}: {module} uses crate::{used}"));
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "modules missing from the layer table in docs/architecture.md: {unlisted:?}"
    );
    assert!(
        violations.is_empty(),
        "imports against the layers of docs/architecture.md (move the code, or change the table with a reason):\n{}",
        violations.join("\n")
    );
}
