//! The snapshot's files: a catalog split into many small sorted JSON files, and read back.
//!
//! Layout under `<schema dir>.snapshot/<major>/`: `manifest.json` (the inputs, [`super::Manifest`]),
//! `database/<part>.json` for what belongs to no schema (schemas' own entries aside: each is in its
//! folder), `schemas/<schema>/<part>.json` per schema and part (`views`, `functions`, `expressions`,
//! `dependencies` ...), and `schemas/<schema>/tables/<table>.json`, one file per table, the largest part.
//! Each file is a JSON array of `[key, value]` entries in key order, pretty-printed, without the fields
//! that are null (read back as absent), so that two changes to different objects touch different files or
//! lines far apart.
//!
//! A schema's folder and a table's file are named with every byte but `a-z`, `0-9` and `_` written `%XX`
//! (an empty name is `%`): untrusted names stay one path component inside the snapshot, and never collide.

use crate::catalog::{Acl, Catalog, DefinedBody, ObjectKey, Placement, QualName};
use crate::normalize::Expression;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where an entry goes: `None` for the database's part, else the schema's.
type Group = Option<String>;

/// The part written one file per object, in a folder of its name.
const PER_OBJECT: &str = "tables";

/// `value` without the object fields that are null, at every depth.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The folder name of a schema (see the module docs).
pub fn folder_name(schema: &str) -> String {
    if schema.is_empty() {
        return "%".to_string();
    }
    let mut out = String::new();
    for b in schema.bytes() {
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The schema part of a printed qualified name (`app.f(integer)`, `"my.app".f()`): up to the first dot
/// outside double quotes, unquoted. Only chooses the file an entry is written to.
fn schema_of_text(name: &str) -> Group {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => return Some(out),
            '(' | ':' if !quoted => return None,
            c => out.push(c),
        }
    }
    None
}

/// A privilege's id (`table:app.t`, `default:role:app:table` ...): the schema of the name after the kind.
fn schema_of_privilege(id: &str) -> Group {
    let rest = id.split_once(':').map(|(_, r)| r).unwrap_or(id);
    schema_of_text(rest)
}

fn schema_of_key(key: &ObjectKey) -> Group {
    match key.kind.placement() {
        Placement::Schema => Some(key.name.clone()),
        _ => schema_of_text(&key.name),
    }
}

/// The text of each file by (schema, part, object file: the object's name for [`PER_OBJECT`], else
/// empty), made entry by entry: a JSON array, pretty-printed, still open (see [`Parts::texts`]). Each entry
/// is a JSON tree only while it is printed: the trees of a whole catalog were several times its size.
#[derive(Default)]
struct Parts(BTreeMap<(Group, &'static str, String), String>);

impl Parts {
    fn put<K: Serialize, V: Serialize>(
        &mut self,
        part: &'static str,
        map: &BTreeMap<K, V>,
        group: impl Fn(&K) -> Group,
    ) -> Result<()> {
        for (k, v) in map {
            let entry = without_nulls(serde_json::to_value((k, v)).context("serializing the catalog")?);
            let object = match (&entry, part) {
                (Value::Array(kv), PER_OBJECT) => kv[0]["name"].as_str().unwrap_or_default().to_string(),
                _ => String::new(),
            };
            self.push((group(k), part, object), &entry)?;
        }
        Ok(())
    }

    /// Appends `entry` to its file's array, as `serde_json::to_string_pretty` prints an array's element:
    /// on lines of their own, indented one level (a printed JSON text has no line break inside a string).
    fn push(&mut self, file: (Group, &'static str, String), entry: &Value) -> Result<()> {
        let printed = serde_json::to_string_pretty(entry).context("serializing the catalog")?;
        let text = self.0.entry(file).or_default();
        text.push_str(if text.is_empty() { "[\n" } else { ",\n" });
        for (i, line) in printed.split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str("  ");
            text.push_str(line);
        }
        Ok(())
    }

    /// Each file's path and text.
    fn texts(self) -> impl Iterator<Item = (PathBuf, String)> {
        self.0.into_iter().map(|((group, part, object), mut text)| {
            let folder = match group {
                None => PathBuf::from("database"),
                Some(schema) => PathBuf::from("schemas").join(folder_name(&schema)),
            };
            let path = if part == PER_OBJECT {
                folder.join(part).join(format!("{}.json", folder_name(&object)))
            } else {
                folder.join(format!("{part}.json"))
            };
            text.push_str("\n]\n");
            (path, text)
        })
    }
}

/// The files of `catalog` with `privileges` in place of its own, and of `expressions`, by path relative
/// to the major's folder (the manifest aside).
pub fn render(
    catalog: &Catalog,
    privileges: &BTreeMap<String, Acl>,
    expressions: &[Expression],
) -> Result<BTreeMap<PathBuf, String>> {
    // Every field, so that a new one does not go unwritten.
    let Catalog {
        schemas,
        extensions,
        enums,
        sequences,
        tables,
        views,
        types,
        functions,
        defined,
        aggregates,
        event_triggers,
        privileges: _,
        roles: _,
        dependencies,
        unmodeled_dependencies,
        unmodeled_objects,
        other_relations,
        partition_indexes,
        unmodeled,
    } = catalog;
    let by_schema = |q: &QualName| Some(q.schema.clone());
    let mut parts = Parts::default();
    parts.put("schema", schemas, |s: &String| Some(s.clone()))?;
    parts.put("extensions", extensions, |_| None)?;
    parts.put("enums", enums, by_schema)?;
    parts.put("sequences", sequences, by_schema)?;
    parts.put("tables", tables, by_schema)?;
    parts.put("views", views, by_schema)?;
    parts.put("types", types, by_schema)?;
    parts.put("functions", functions, |s: &String| schema_of_text(s))?;
    // The statement-defined kinds, a part per kind, by name without the kind (the part says it).
    for kind in crate::kinds::ALL {
        let of_kind: BTreeMap<QualName, DefinedBody> =
            defined.values().filter(|d| d.kind == kind.kind).map(|d| (d.name.clone(), d.body())).collect();
        // A database-wide kind's objects (no schema) go to the database's part.
        parts.put(kind.plural, &of_kind, |q: &QualName| (!q.schema.is_empty()).then(|| q.schema.clone()))?;
    }
    parts.put("aggregates", aggregates, |s: &String| schema_of_text(s))?;
    parts.put("event_triggers", event_triggers, |_| None)?;
    parts.put("privileges", privileges, |s: &String| schema_of_privilege(s))?;
    parts.put("dependencies", dependencies, schema_of_key)?;
    parts.put("unmodeled_dependencies", unmodeled_dependencies, schema_of_key)?;
    let objects: BTreeMap<&(String, String), ()> = unmodeled_objects.iter().map(|o| (o, ())).collect();
    parts.put("unmodeled_objects", &objects, |_| None)?;
    parts.put("other_relations", other_relations, by_schema)?;
    parts.put("partition_indexes", partition_indexes, by_schema)?;
    parts.put("unmodeled", unmodeled, |_| None)?;
    let expressions: BTreeMap<(&QualName, _, &String), &Expression> =
        expressions.iter().map(|e| ((&e.table, e.kind, &e.name), e)).collect();
    for ((table, _, _), e) in &expressions {
        let entry = serde_json::to_value(e).context("serializing the expressions")?;
        parts.push((Some(table.schema.clone()), "expressions", String::new()), &entry)?;
    }
    Ok(parts.texts().collect())
}

/// Reads the files [`render`] wrote under `dir` back into a catalog and the expressions. Each file is
/// parsed straight into the model (no intermediate JSON tree: a large snapshot's tree is several times its
/// size in memory).
pub fn read(dir: &Path) -> Result<(Catalog, Vec<Expression>)> {
    let mut files = Vec::new();
    for top in ["database", "schemas"] {
        collect(&dir.join(top), &mut files)?;
    }
    files.sort();
    fn extend<K: DeserializeOwned + Ord, V: DeserializeOwned>(
        map: &mut BTreeMap<K, V>,
        text: &str,
    ) -> serde_json::Result<()> {
        let entries: Vec<(K, V)> = serde_json::from_str(text)?;
        map.extend(entries);
        Ok(())
    }
    let mut c = Catalog::default();
    let mut expressions: Vec<Expression> = Vec::new();
    let mut unmodeled_objects: BTreeMap<(String, String), ()> = BTreeMap::new();
    for path in files {
        let in_folder = path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == PER_OBJECT);
        let part = if in_folder { Some(PER_OBJECT) } else { path.file_stem().and_then(|s| s.to_str()) };
        let Some(part) = part else { continue };
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let read = match part {
            "schema" => extend(&mut c.schemas, &text),
            "extensions" => extend(&mut c.extensions, &text),
            "enums" => extend(&mut c.enums, &text),
            "sequences" => extend(&mut c.sequences, &text),
            "tables" => extend(&mut c.tables, &text),
            "views" => extend(&mut c.views, &text),
            "types" => extend(&mut c.types, &text),
            "functions" => extend(&mut c.functions, &text),
            "aggregates" => extend(&mut c.aggregates, &text),
            "event_triggers" => extend(&mut c.event_triggers, &text),
            "privileges" => extend(&mut c.privileges, &text),
            "dependencies" => extend(&mut c.dependencies, &text),
            "unmodeled_dependencies" => extend(&mut c.unmodeled_dependencies, &text),
            "unmodeled_objects" => extend(&mut unmodeled_objects, &text),
            "other_relations" => extend(&mut c.other_relations, &text),
            "partition_indexes" => extend(&mut c.partition_indexes, &text),
            "unmodeled" => extend(&mut c.unmodeled, &text),
            "expressions" => serde_json::from_str::<Vec<Expression>>(&text).map(|e| expressions.extend(e)),
            other if crate::kinds::ALL.iter().any(|k| k.plural == other) => {
                let kind = crate::kinds::ALL.into_iter().find(|k| k.plural == other).map(|k| k.kind);
                serde_json::from_str::<Vec<(QualName, DefinedBody)>>(&text).map(|entries| {
                    for (_, body) in entries {
                        let d = body.of(kind.expect("found above"));
                        c.defined.insert(d.key(), d);
                    }
                })
            }
            other => {
                bail!("the snapshot at {} has a part this accrete does not know: {other}.json", dir.display())
            }
        };
        read.with_context(|| format!("reading {}", path.display()))?;
    }
    c.unmodeled_objects = unmodeled_objects.into_keys().collect();
    expressions.sort();
    Ok((c, expressions))
}

/// The `.json` files under `dir`, recursively; nothing when it does not exist.
pub fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    for entry in entries {
        let path = entry.with_context(|| format!("reading {}", dir.display()))?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_stay_one_component_and_distinct() {
        assert_eq!(folder_name("app"), "app");
        assert_eq!(folder_name("App"), "%41pp");
        assert_eq!(folder_name("../x"), "%2E%2E%2Fx");
        assert_eq!(folder_name(""), "%");
        assert_ne!(folder_name("a%41"), folder_name("aA"));
    }

    #[test]
    fn schema_of_printed_names() {
        assert_eq!(schema_of_text("app.f(integer)"), Some("app".into()));
        assert_eq!(schema_of_text("\"my.app\".f()"), Some("my.app".into()));
        assert_eq!(schema_of_text("plain"), None);
        assert_eq!(schema_of_privilege("table:app.t"), Some("app".into()));
    }

    #[test]
    fn a_file_made_entry_by_entry_is_the_pretty_print_of_its_entries() {
        let entries = vec![
            serde_json::json!([{"schema": "app", "name": "t"}, {"columns": [], "options": {}, "n": 1}]),
            serde_json::json!({"text": "line one\nline \"two\"\t", "nested": {"a": [1, [2, {"b": null}]]}}),
            serde_json::json!("plain"),
        ];
        let mut parts = Parts::default();
        for entry in &entries {
            parts.push((Some("app".into()), "views", String::new()), entry).unwrap();
        }
        let texts: Vec<(PathBuf, String)> = parts.texts().collect();
        let expected = format!("{}\n", serde_json::to_string_pretty(&entries).unwrap());
        assert_eq!(texts, vec![(PathBuf::from("schemas/app/views.json"), expected)]);
    }

    #[test]
    fn a_catalog_reads_back_as_written() {
        let mut catalog = Catalog::default();
        let name = QualName::new("App", "t");
        catalog.tables.insert(name.clone(), crate::catalog::Table { name, ..Default::default() });
        catalog.unmodeled.insert("view".into(), 2);
        let dir = std::env::temp_dir().join(format!("accrete-snapshot-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in render(&catalog, &catalog.privileges, &[]).unwrap() {
            std::fs::create_dir_all(dir.join(&path).parent().unwrap()).unwrap();
            std::fs::write(dir.join(path), text).unwrap();
        }
        let (back, expressions) = read(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(back, catalog);
        assert!(expressions.is_empty());
    }
}
