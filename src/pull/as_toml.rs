//! Pulled objects in the TOML format (`docs/toml.md`): tables with their columns in position order and
//! their constraints and indexes as structured keys, each named explicitly; what the structured keys do
//! not express (a constraint with storage options, an index in a tablespace) goes into the table's `sql`
//! string as PostgreSQL prints it, and views, functions, triggers, rules and policies are `sql` strings.

use super::as_sql;
use super::common::{self, changed_options, nextval, ordered_constraints, serial_word};
use super::defs::{self, Parsed};
use crate::catalog::{
    Column, Constraint, ConstraintKind, EnumType, Extension, Function, Index, QualName, Schema, Sequence,
    Table, TypeDef, View, quote_ident, quote_literal,
};
use crate::source::toml::names;

/// A TOML key: bare when it can be.
pub fn key(name: &str) -> String {
    let bare = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { name.to_string() } else { basic(name) }
}

/// A single-line basic string.
fn basic(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string value: a literal string `'...'` when that avoids escapes, else a basic string.
pub fn string(text: &str) -> String {
    let literal = !text.contains('\'') && !text.chars().any(char::is_control);
    if literal && text.contains(['"', '\\']) { format!("'{text}'") } else { basic(text) }
}

/// SQL text as a multi-line string: literal when it can be, else basic with `\` and `"` escaped.
pub fn sql_string(text: &str) -> String {
    let text = text.trim_end();
    let control = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains("'''") && !text.chars().any(control) {
        return format!("'''\n{text}\n'''");
    }
    let mut out = String::from("\"\"\"\n");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\t' => out.push(ch),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push_str("\n\"\"\"");
    out
}

fn strings(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| string(s)).collect::<Vec<_>>().join(", "))
}

/// A section header `[kind.schema.name...]`.
fn header(parts: &[&str]) -> String {
    format!("[{}]", parts.iter().map(|p| key(p)).collect::<Vec<_>>().join("."))
}

fn qualified(name: &QualName) -> String {
    string(&names::dotted(&[&name.schema, &name.name]))
}

/// Lines of a document, sections separated by blank lines.
#[derive(Default)]
struct Doc {
    sections: Vec<Vec<String>>,
}

impl Doc {
    fn section(&mut self, header: String, lines: Vec<String>) {
        let mut all = vec![header];
        all.extend(lines);
        self.sections.push(all);
    }

    fn text(&self) -> String {
        self.sections.iter().map(|s| s.join("\n") + "\n").collect::<Vec<_>>().join("\n")
    }
}

fn comment_line(comment: &Option<String>) -> Option<String> {
    comment.as_ref().map(|c| format!("comment = {}", string(c)))
}

pub fn schema(s: &Schema) -> String {
    let mut doc = Doc::default();
    if s.name == "public" {
        match &s.comment {
            Some(c) if c == common::PUBLIC_COMMENT => {}
            Some(c) => doc.section(header(&["schema", "public"]), vec![format!("comment = {}", string(c))]),
            None => {
                doc.sections.push(vec![format!("sql = {}", sql_string("COMMENT ON SCHEMA public IS NULL;"))])
            }
        }
        return doc.text();
    }
    doc.section(header(&["schema", &s.name]), comment_line(&s.comment).into_iter().collect());
    doc.text()
}

pub fn extensions<'a>(extensions: impl Iterator<Item = &'a Extension>) -> String {
    let mut doc = Doc::default();
    for e in extensions {
        let lines =
            vec![format!("schema = {}", string(&e.schema)), format!("version = {}", string(&e.version))];
        doc.section(header(&["extension", &e.name]), lines);
    }
    doc.text()
}

pub fn enum_type(e: &EnumType) -> String {
    let mut doc = Doc::default();
    let mut lines = vec![format!("labels = {}", strings(&e.labels))];
    lines.extend(comment_line(&e.comment));
    doc.section(header(&["enum", &e.name.schema, &e.name.name]), lines);
    doc.text()
}

fn sequence_lines(o: &crate::catalog::SequenceOptions, with_type: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if with_type && o.data_type != "bigint" {
        lines.push(format!("type = {}", string(&o.data_type)));
    }
    for (k, v) in changed_options(o) {
        lines.push(if k == "cycle" { "cycle = true".to_string() } else { format!("{k} = {v}") });
    }
    lines
}

fn sequence_section(doc: &mut Doc, s: &Sequence) {
    let mut lines = sequence_lines(&s.options, true);
    if let Some(owner) = &s.owned_by {
        let column = names::dotted(&[&owner.table.schema, &owner.table.name, &owner.column]);
        lines.push(format!("owned_by = {}", string(&column)));
    }
    lines.extend(comment_line(&s.comment));
    doc.section(header(&["sequence", &s.name.schema, &s.name.name]), lines);
}

pub fn sequence(s: &Sequence) -> String {
    let mut doc = Doc::default();
    sequence_section(&mut doc, s);
    doc.text()
}

/// One column as an inline table.
fn column(t: &Table, c: &Column) -> String {
    let table = &t.name;
    let mut fields = Vec::new();
    match serial_word(table, c) {
        Some(word) => fields.push(format!("type = {}", string(word))),
        None => fields.push(format!("type = {}", string(&c.data_type))),
    }
    if serial_word(table, c).is_none() {
        if let Some(collation) = &c.collation {
            fields.push(match collation.schema.as_str() {
                "pg_catalog" => format!("collation = {}", string(&collation.name)),
                _ => format!(
                    "collation = {{ schema = {}, name = {} }}",
                    string(&collation.schema),
                    string(&collation.name)
                ),
            });
        }
        if let Some(identity) = &c.identity {
            let kind = if identity.always { "always" } else { "by default" };
            let options = changed_options(&identity.options);
            if options.is_empty() {
                fields.push(format!("identity = {}", string(kind)));
            } else {
                let mut inner = vec![format!("kind = {}", string(kind))];
                inner.extend(sequence_lines(&identity.options, false));
                fields.push(format!("identity = {{ {} }}", inner.join(", ")));
            }
        }
        if let Some(generated) = &c.generated {
            let (expression, virtual_) = crate::inspect::split_generated(generated);
            let expression = defs::strip_parens(expression);
            fields.push(match virtual_ {
                false => format!("generated = {}", string(expression)),
                true => format!("generated = {{ expression = {}, stored = false }}", string(expression)),
            });
        }
        if let Some(serial) = &c.serial {
            fields.push(format!("default = {}", string(&nextval(&serial.sequence))));
        }
        if let Some(default) = &c.default {
            fields.push(format!("default = {}", string(default)));
        }
        if common::inline_not_null(t, c) {
            fields.push("not_null = true".to_string());
        }
    }
    fields.extend(comment_line(&c.comment));
    format!("{} = {{ {} }}", key(&c.name), fields.join(", "))
}

fn deferrable_fields(c: &Constraint, fields: &mut Vec<String>) {
    if c.deferrable {
        fields.push("deferrable = true".into());
    }
    if c.initially_deferred {
        fields.push("initially_deferred = true".into());
    }
}

/// The keys of a constraint in parts, and whether its first key is all it has (it can be written
/// `NAME = VALUE`); `None` when it goes into the table's `sql`.
fn constraint_fields(c: &Constraint) -> Option<(Vec<String>, bool)> {
    let parsed = defs::constraint(c)?;
    let mut fields = Vec::new();
    match &parsed {
        Parsed::Key(k) => {
            fields.push(format!("columns = {}", strings(&k.columns)));
            if k.nulls_not_distinct {
                fields.push("nulls_not_distinct = true".into());
            }
            if !k.include.is_empty() {
                fields.push(format!("include = {}", strings(&k.include)));
            }
        }
        Parsed::Check(k) => {
            fields.push(format!("expression = {}", string(&k.expression)));
            if k.no_inherit {
                fields.push("no_inherit = true".into());
            }
        }
        Parsed::ForeignKey(f) => {
            fields.push(format!("columns = {}", strings(&c.columns)));
            fields.push(format!("references = {}", qualified(c.references.as_ref()?)));
            fields.push(format!("referenced_columns = {}", strings(&f.referenced_columns)));
            if f.match_full {
                fields.push("match = \"full\"".into());
            }
            for (k, action) in [("on_update", &f.on_update), ("on_delete", &f.on_delete)] {
                if let Some(a) = action {
                    fields.push(format!("{k} = {}", string(&a.to_ascii_lowercase())));
                }
            }
        }
        Parsed::Exclusion(x) => {
            if x.method != "btree" {
                fields.push(format!("using = {}", string(&x.method)));
            }
            fields.push(format!("elements = {}", strings(&x.elements)));
            if !x.include.is_empty() {
                fields.push(format!("include = {}", strings(&x.include)));
            }
            if let Some(p) = &x.predicate {
                fields.push(format!("where = {}", string(defs::strip_parens(p))));
            }
        }
    }
    deferrable_fields(c, &mut fields);
    if !c.validated {
        fields.push("not_valid = true".into());
    }
    fields.extend(comment_line(&c.comment));
    let simple = fields.len() == 1;
    Some((fields, simple))
}

/// The keys of an index in parts, or `None` when it goes into the table's `sql`.
fn index_fields(i: &Index) -> Option<Vec<String>> {
    let d = defs::index(i)?;
    let mut fields = Vec::new();
    let columns: Option<Vec<String>> = d.elements.iter().map(|e| defs::plain_column(e)).collect();
    match columns {
        Some(columns) => fields.push(format!("columns = {}", strings(&columns))),
        None => fields.push(format!("keys = {}", strings(&d.elements))),
    }
    if i.unique {
        fields.push("unique = true".into());
    }
    if d.method != "btree" {
        fields.push(format!("method = {}", string(&d.method)));
    }
    if !d.include.is_empty() {
        fields.push(format!("include = {}", strings(&d.include)));
    }
    if d.nulls_not_distinct {
        fields.push("nulls_not_distinct = true".into());
    }
    if let Some(with) = &d.with {
        fields.push(format!("with = {}", string(with)));
    }
    if let Some(p) = &d.predicate {
        fields.push(format!("where = {}", string(defs::strip_parens(p))));
    }
    fields.extend(comment_line(&i.comment));
    Some(fields)
}

fn kind_key(kind: ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::PrimaryKey => "primary_key",
        ConstraintKind::Unique => "unique",
        ConstraintKind::Check => "check",
        ConstraintKind::ForeignKey => "foreign_key",
        ConstraintKind::Exclusion => "exclusion",
    }
}

/// The keys of a table's header section that describe the table itself.
fn head_lines(t: &Table) -> Vec<String> {
    let mut head = Vec::new();
    head.extend(comment_line(&t.comment));
    if t.unlogged {
        head.push("unlogged = true".into());
    }
    if !t.inherits.is_empty() {
        let parents: Vec<String> = t.inherits.iter().map(|p| names::dotted(&[&p.schema, &p.name])).collect();
        head.push(format!("inherits = {}", strings(&parents)));
    }
    if let Some(p) = &t.partition_of {
        let (parent, bound) = (qualified(&p.parent), string(&p.bound));
        head.push(format!("partition_of = {{ parent = {parent}, bound = {bound} }}"));
    }
    if let Some(by) = &t.partition_by {
        head.push(format!("partition_by = {}", string(by)));
    }
    if t.rls_enabled {
        head.push("row_level_security = true".into());
    }
    if t.rls_forced {
        head.push("force_row_level_security = true".into());
    }
    head
}

/// A table's constraints and indexes, sorted into where they are written.
#[derive(Default)]
struct Keys {
    /// `primary_key = { ... }` in the header section.
    primary_key: Option<String>,
    /// `NAME = VALUE` lines of the `unique` and `check` sections.
    unique: Vec<String>,
    check: Vec<String>,
    /// Sections of their own: header and lines.
    sections: Vec<(String, Vec<String>)>,
    /// Statements for the table's `sql` string.
    sql: Vec<String>,
}

fn keys(t: &Table) -> Keys {
    let (s, n) = (t.name.schema.as_str(), t.name.name.as_str());
    let mut keys = Keys::default();
    for c in ordered_constraints(t) {
        match constraint_fields(c) {
            Some((fields, _)) if c.kind == ConstraintKind::PrimaryKey => {
                let mut all = vec![format!("name = {}", string(&c.name))];
                all.extend(fields);
                keys.primary_key = Some(format!("primary_key = {{ {} }}", all.join(", ")));
            }
            Some((fields, true)) if matches!(c.kind, ConstraintKind::Unique | ConstraintKind::Check) => {
                let value = fields[0].split_once(" = ").expect("a key = value field").1;
                let line = format!("{} = {value}", key(&c.name));
                if c.kind == ConstraintKind::Unique { keys.unique.push(line) } else { keys.check.push(line) }
            }
            Some((fields, _)) => {
                keys.sections.push((header(&["table", s, n, kind_key(c.kind), &c.name]), fields))
            }
            None => {
                let valid = if c.validated { "" } else { " NOT VALID" };
                let name = quote_ident(&c.name);
                keys.sql.push(format!(
                    "ALTER TABLE {} ADD CONSTRAINT {name} {}{valid};",
                    t.name.sql(),
                    c.definition
                ));
                if let Some(text) = &c.comment {
                    keys.sql.push(format!(
                        "COMMENT ON CONSTRAINT {name} ON {} IS {};",
                        t.name.sql(),
                        quote_literal(text)
                    ));
                }
            }
        }
    }
    for i in t.indexes.values() {
        match index_fields(i) {
            Some(fields) => keys.sections.push((header(&["table", s, n, "index", &i.name]), fields)),
            None => {
                keys.sql.push(format!("{};", as_sql::create_index(i)));
                if let Some(text) = &i.comment {
                    let name = QualName::new(s, i.name.clone());
                    keys.sql.push(format!("COMMENT ON INDEX {} IS {};", name.sql(), quote_literal(text)));
                }
            }
        }
    }
    keys.sql.extend(common::late_not_null_statements(t, false).into_iter().map(|s| s + ";"));
    keys
}

/// A table's file: its header section, columns, constraints, indexes, triggers, rules, policies, and the
/// sequences of its serial columns that are written out.
pub fn table(t: &Table) -> String {
    let mut doc = Doc::default();
    let (s, n) = (t.name.schema.as_str(), t.name.name.as_str());
    let mut keys = keys(t);
    // Storage parameters and the replica identity have no keys of their own: statements after the table.
    if !t.options.is_empty() {
        keys.sql.push(format!("ALTER TABLE {} SET ({});", t.name.sql(), t.options.join(", ")));
    }
    if t.replica_identity.is_some() {
        let clause = crate::catalog::ReplicaIdentity::clause(t.replica_identity.as_ref());
        keys.sql.push(format!("ALTER TABLE {} {clause};", t.name.sql()));
    }
    let mut head = head_lines(t);
    head.extend(keys.primary_key);
    if !keys.sql.is_empty() {
        head.push(format!("sql = {}", sql_string(&keys.sql.join("\n"))));
    }
    doc.section(header(&["table", s, n]), head);
    if t.partition_of.is_none() {
        let columns = t.columns.iter().map(|c| column(t, c)).collect();
        doc.section(header(&["table", s, n, "columns"]), columns);
    }
    for (kind, lines) in [("unique", keys.unique), ("check", keys.check)] {
        if !lines.is_empty() {
            doc.section(header(&["table", s, n, kind]), lines);
        }
    }
    for (h, lines) in keys.sections {
        doc.section(h, lines);
    }
    parts(&mut doc, t);
    for seq in serial_sequences(t) {
        sequence_section(&mut doc, &seq);
    }
    doc.text()
}

/// Triggers, rules and policies, each a `sql` string with its comment.
fn parts(doc: &mut Doc, t: &Table) {
    let (s, n) = (t.name.schema.as_str(), t.name.name.as_str());
    let comment = |kind: &str, name: &str, text: &Option<String>| {
        text.as_ref().map(|c| {
            format!("\nCOMMENT ON {kind} {} ON {} IS {};", quote_ident(name), t.name.sql(), quote_literal(c))
        })
    };
    for tg in t.triggers.values() {
        let firing = (!tg.enabled.is_enabled())
            .then(|| format!("\n{};", tg.enabled.alter_table_sql("TRIGGER", &t.name, &tg.name)));
        let text = format!(
            "{};{}{}",
            tg.definition.trim_end(),
            firing.unwrap_or_default(),
            comment("TRIGGER", &tg.name, &tg.comment).unwrap_or_default()
        );
        doc.section(
            header(&["table", s, n, "trigger", &tg.name]),
            vec![format!("sql = {}", sql_string(&text))],
        );
    }
    for r in t.rules.values() {
        let body = r.definition.trim_end().trim_end_matches(';');
        let firing = (!r.enabled.is_enabled())
            .then(|| format!("\n{};", r.enabled.alter_table_sql("RULE", &t.name, &r.name)));
        let text = format!(
            "{body};{}{}",
            firing.unwrap_or_default(),
            comment("RULE", &r.name, &r.comment).unwrap_or_default()
        );
        doc.section(header(&["table", s, n, "rule", &r.name]), vec![format!("sql = {}", sql_string(&text))]);
    }
    for p in t.policies.values() {
        let text = format!(
            "{};{}",
            as_sql::policy(&t.name, p),
            comment("POLICY", &p.name, &p.comment).unwrap_or_default()
        );
        doc.section(
            header(&["table", s, n, "policy", &p.name]),
            vec![format!("sql = {}", sql_string(&text))],
        );
    }
}

pub fn view(v: &View) -> String {
    let mut doc = Doc::default();
    let kind = if v.materialized { "materialized_view" } else { "view" };
    let lines = vec![format!("sql = {}", sql_string(&as_sql::view(v)))];
    doc.section(header(&[kind, &v.name.schema, &v.name.name]), lines);
    doc.text()
}

pub fn type_def(t: &TypeDef) -> String {
    let mut doc = Doc::default();
    let kind = if t.kind == "domain" { "domain" } else { "type" };
    let lines = vec![format!("sql = {}", sql_string(&as_sql::type_def(t)))];
    doc.section(header(&[kind, &t.name.schema, &t.name.name]), lines);
    doc.text()
}

pub fn functions(fs: &[&Function]) -> String {
    let mut doc = Doc::default();
    let Some(first) = fs.first() else { return String::new() };
    let lines = vec![format!("sql = {}", sql_string(&as_sql::functions(fs)))];
    doc.section(header(&[&first.kind, &first.name.schema, &first.name.name]), lines);
    doc.text()
}

/// Sequences of serial columns written out (their columns are not plain `serial`), for the table's file.
fn serial_sequences(t: &Table) -> Vec<Sequence> {
    common::spelled_serials(t)
        .into_iter()
        .map(|(c, seq)| Sequence {
            name: seq.clone(),
            options: c.serial.as_ref().expect("serial").options.clone(),
            owned_by: Some(crate::catalog::ColumnRef { table: t.name.clone(), column: c.name.clone() }),
            comment: None,
        })
        .collect()
}
