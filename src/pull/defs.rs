//! Reading PostgreSQL's printed definitions (`pg_get_constraintdef`, `pg_get_indexdef` from ` USING` on)
//! back into their parts, for writers that want more than the text: the TOML format's structured keys,
//! and SQL without redundant parentheses.
//!
//! Invariant: a definition is only ever returned in parts when printing the parts the way PostgreSQL does
//! gives back exactly the text read ([`Parsed`] checks it); anything else is `None`, and the writer falls
//! back to the text as PostgreSQL printed it, which is always right.

use crate::catalog::{Constraint, ConstraintKind, Index, quote_ident};

/// A primary key or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDef {
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    pub include: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDef {
    /// The condition without its outer parentheses.
    pub expression: String,
    pub no_inherit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyDef {
    pub referenced_columns: Vec<String>,
    pub match_full: bool,
    /// `CASCADE`, `SET NULL`, ... as printed; `None` for the default (NO ACTION).
    pub on_update: Option<String>,
    pub on_delete: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExclusionDef {
    pub method: String,
    /// Elements as printed: `room WITH =`.
    pub elements: Vec<String>,
    pub include: Vec<String>,
    /// The predicate as printed (with its parentheses).
    pub predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDef {
    pub method: String,
    /// Key elements as printed: `email`, `lower(email)`, `created_at DESC`.
    pub elements: Vec<String>,
    pub include: Vec<String>,
    pub nulls_not_distinct: bool,
    /// Storage parameters as printed inside `WITH (...)`.
    pub with: Option<String>,
    /// The predicate as printed.
    pub predicate: Option<String>,
}

/// A constraint's definition in parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Key(KeyDef),
    Check(CheckDef),
    ForeignKey(ForeignKeyDef),
    Exclusion(ExclusionDef),
}

/// The constraint's definition in parts, when they print back to exactly its text.
pub fn constraint(c: &Constraint) -> Option<Parsed> {
    let parsed = match c.kind {
        ConstraintKind::PrimaryKey | ConstraintKind::Unique => key(c)?,
        ConstraintKind::Check => check(&c.definition)?,
        ConstraintKind::ForeignKey => foreign_key(c)?,
        ConstraintKind::Exclusion => exclusion(c)?,
    };
    (print_constraint(c, &parsed) == c.definition).then_some(parsed)
}

/// The index's definition in parts, when they print back to exactly its text.
pub fn index(i: &Index) -> Option<IndexDef> {
    let rest = i.definition.strip_prefix("USING ")?;
    let (method, rest) = rest.split_once(' ')?;
    let (inner, mut rest) = parenthesized(rest)?;
    let elements = split_top(inner, ',');
    let mut def = IndexDef {
        method: method.to_string(),
        elements,
        include: Vec::new(),
        nulls_not_distinct: false,
        with: None,
        predicate: None,
    };
    if let Some(r) = rest.strip_prefix(" INCLUDE ") {
        let (inner, r) = parenthesized(r)?;
        def.include = identifiers(inner)?;
        rest = r;
    }
    if let Some(r) = rest.strip_prefix(" NULLS NOT DISTINCT") {
        def.nulls_not_distinct = true;
        rest = r;
    }
    if let Some(r) = rest.strip_prefix(" WITH ") {
        let (inner, r) = parenthesized(r)?;
        def.with = Some(inner.to_string());
        rest = r;
    }
    if let Some(r) = rest.strip_prefix(" WHERE ") {
        def.predicate = Some(r.to_string());
        rest = "";
    }
    (rest.is_empty() && print_index(&def) == i.definition).then_some(def)
}

/// How PostgreSQL prints an index definition from ` USING` on.
pub fn print_index(d: &IndexDef) -> String {
    let mut out = format!("USING {} ({})", d.method, d.elements.join(", "));
    if !d.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", idents(&d.include)));
    }
    if d.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if let Some(with) = &d.with {
        out.push_str(&format!(" WITH ({with})"));
    }
    if let Some(p) = &d.predicate {
        out.push_str(&format!(" WHERE {p}"));
    }
    out
}

/// Whether a printed key element is a plain column name (as `quote_ident` prints it): its name.
pub fn plain_column(element: &str) -> Option<String> {
    let name = unquote(element)?;
    (quote_ident(&name) == element).then_some(name)
}

fn key(c: &Constraint) -> Option<Parsed> {
    let word = if c.kind == ConstraintKind::PrimaryKey { "PRIMARY KEY " } else { "UNIQUE " };
    let mut rest = c.definition.strip_prefix(word)?;
    let mut nulls_not_distinct = false;
    if let Some(r) = rest.strip_prefix("NULLS NOT DISTINCT ") {
        nulls_not_distinct = true;
        rest = r;
    }
    let (_, rest) = parenthesized(rest)?;
    let include = match rest.strip_prefix(" INCLUDE ") {
        Some(r) => identifiers(parenthesized(r)?.0)?,
        None => Vec::new(),
    };
    Some(Parsed::Key(KeyDef { columns: c.columns.clone(), nulls_not_distinct, include }))
}

/// `CHECK (...)` and an optional ` NO INHERIT`.
pub fn check(definition: &str) -> Option<Parsed> {
    let (inner, rest) = parenthesized(definition.strip_prefix("CHECK ")?)?;
    let no_inherit = match rest {
        "" => false,
        " NO INHERIT" => true,
        _ => return None,
    };
    Some(Parsed::Check(CheckDef { expression: strip_parens(inner).to_string(), no_inherit }))
}

fn foreign_key(c: &Constraint) -> Option<Parsed> {
    let references = c.references.as_ref()?;
    let head = format!("FOREIGN KEY ({}) REFERENCES {}", idents(&c.columns), references.sql());
    let (inner, mut rest) = parenthesized(c.definition.strip_prefix(&head)?)?;
    let mut def = ForeignKeyDef {
        referenced_columns: identifiers(inner)?,
        match_full: false,
        on_update: None,
        on_delete: None,
    };
    if let Some(r) = rest.strip_prefix(" MATCH FULL") {
        def.match_full = true;
        rest = r;
    }
    for (prefix, slot) in [(" ON UPDATE ", &mut def.on_update), (" ON DELETE ", &mut def.on_delete)] {
        if let Some(r) = rest.strip_prefix(prefix) {
            let action =
                ["CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT"].into_iter().find(|a| r.starts_with(a))?;
            let mut after = &r[action.len()..];
            let mut printed = action.to_string();
            if after.starts_with(" (") {
                let (cols, r2) = parenthesized(&after[1..])?;
                printed.push_str(&format!(" ({cols})"));
                after = r2;
            }
            *slot = Some(printed);
            rest = after;
        }
    }
    Some(Parsed::ForeignKey(def))
}

fn exclusion(c: &Constraint) -> Option<Parsed> {
    let rest = c.definition.strip_prefix("EXCLUDE USING ")?;
    let (method, rest) = rest.split_once(' ')?;
    let (inner, mut rest) = parenthesized(rest)?;
    let mut def = ExclusionDef {
        method: method.to_string(),
        elements: split_top(inner, ','),
        include: Vec::new(),
        predicate: None,
    };
    if let Some(r) = rest.strip_prefix(" INCLUDE ") {
        let (inner, r) = parenthesized(r)?;
        def.include = identifiers(inner)?;
        rest = r;
    }
    if let Some(r) = rest.strip_prefix(" WHERE ") {
        let (inner, _) = parenthesized(r)?;
        def.predicate = Some(format!("({inner})"));
    }
    Some(Parsed::Exclusion(def))
}

/// How PostgreSQL prints a constraint from its parts (without ` NOT VALID`).
fn print_constraint(c: &Constraint, parsed: &Parsed) -> String {
    let mut out = match parsed {
        Parsed::Key(k) => {
            let word = if c.kind == ConstraintKind::PrimaryKey { "PRIMARY KEY" } else { "UNIQUE" };
            let nnd = if k.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
            let mut out = format!("{word}{nnd} ({})", idents(&k.columns));
            if !k.include.is_empty() {
                out.push_str(&format!(" INCLUDE ({})", idents(&k.include)));
            }
            out
        }
        Parsed::Check(k) => {
            let inherit = if k.no_inherit { " NO INHERIT" } else { "" };
            return format!("CHECK ({}){inherit}", parenthesize(&k.expression));
        }
        Parsed::ForeignKey(f) => {
            let references = c.references.as_ref().map(|r| r.sql()).unwrap_or_default();
            let mut out = format!(
                "FOREIGN KEY ({}) REFERENCES {references}({})",
                idents(&c.columns),
                idents(&f.referenced_columns)
            );
            if f.match_full {
                out.push_str(" MATCH FULL");
            }
            if let Some(a) = &f.on_update {
                out.push_str(&format!(" ON UPDATE {a}"));
            }
            if let Some(a) = &f.on_delete {
                out.push_str(&format!(" ON DELETE {a}"));
            }
            out
        }
        Parsed::Exclusion(x) => {
            let mut out = format!("EXCLUDE USING {} ({})", x.method, x.elements.join(", "));
            if !x.include.is_empty() {
                out.push_str(&format!(" INCLUDE ({})", idents(&x.include)));
            }
            if let Some(p) = &x.predicate {
                out.push_str(&format!(" WHERE {p}"));
            }
            out
        }
    };
    if c.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if c.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    out
}

fn idents(names: &[String]) -> String {
    names.iter().map(|n| quote_ident(n)).collect::<Vec<_>>().join(", ")
}

/// `(inner) rest` at the start of `text`: the text inside the first balanced parentheses, and what follows.
pub fn parenthesized(text: &str) -> Option<(&str, &str)> {
    if !text.starts_with('(') {
        return None;
    }
    let end = closing(text, 0)?;
    Some((&text[1..end], &text[end + 1..]))
}

/// The byte index of the parenthesis closing the one at `open`, skipping quoted text.
fn closing(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, ch) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` without parentheses around all of it: `((a > 0))` is `a > 0`.
pub fn strip_parens(mut text: &str) -> &str {
    while text.starts_with('(') && closing(text, 0) == Some(text.len() - 1) {
        text = &text[1..text.len() - 1];
    }
    text
}

/// An expression in parentheses, unless it already is (as PostgreSQL prints conditions).
fn parenthesize(expression: &str) -> String {
    format!("({expression})")
}

/// Splits at `sep` outside parentheses and quotes; parts trimmed.
pub fn split_top(text: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, ch) in text.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                parts.push(text[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim().to_string());
    parts
}

/// A list of identifiers as PostgreSQL prints them (`a, "B"`): their names.
fn identifiers(text: &str) -> Option<Vec<String>> {
    split_top(text, ',').iter().map(|p| plain_column(p)).collect()
}

/// An identifier as printed (bare, or in double quotes with `""`): its name.
fn unquote(text: &str) -> Option<String> {
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => {
            let name = inner.replace("\"\"", "\"");
            (!inner.replace("\"\"", "").contains('"')).then_some(name)
        }
        None => (!text.is_empty() && !text.contains(|c: char| c == '"' || c.is_whitespace() || c == '('))
            .then(|| text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::QualName;

    fn constraint_of(kind: ConstraintKind, definition: &str, columns: &[&str]) -> Constraint {
        Constraint {
            name: "c".into(),
            kind,
            definition: definition.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            references: Some(QualName::new("app", "orgs")),
            validated: true,
            deferrable: definition.contains(" DEFERRABLE"),
            initially_deferred: definition.contains("INITIALLY DEFERRED"),
            comment: None,
        }
    }

    #[test]
    fn constraints_read_back_into_parts() {
        let fk = constraint_of(
            ConstraintKind::ForeignKey,
            "FOREIGN KEY (org_id, \"Kind\") REFERENCES app.orgs(id, kind) MATCH FULL ON DELETE SET NULL (org_id) DEFERRABLE",
            &["org_id", "Kind"],
        );
        let Some(Parsed::ForeignKey(f)) = constraint(&fk) else { panic!("{fk:?}") };
        assert_eq!(f.referenced_columns, ["id", "kind"]);
        assert_eq!(f.on_delete.as_deref(), Some("SET NULL (org_id)"));
        assert!(f.match_full && f.on_update.is_none());

        let check = constraint_of(ConstraintKind::Check, "CHECK ((price >= (0)::numeric)) NO INHERIT", &[]);
        let Some(Parsed::Check(c)) = constraint(&check) else { panic!() };
        assert_eq!((c.expression.as_str(), c.no_inherit), ("price >= (0)::numeric", true));

        let unique = constraint_of(
            ConstraintKind::Unique,
            "UNIQUE NULLS NOT DISTINCT (a, b) INCLUDE (c)",
            &["a", "b"],
        );
        assert!(
            matches!(constraint(&unique), Some(Parsed::Key(k)) if k.nulls_not_distinct && k.include == ["c"])
        );

        let with =
            constraint_of(ConstraintKind::PrimaryKey, "PRIMARY KEY (id) WITH (fillfactor='70')", &["id"]);
        assert_eq!(constraint(&with), None, "what is not modeled in parts stays text");

        let x = constraint_of(
            ConstraintKind::Exclusion,
            "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((NOT cancelled))",
            &[],
        );
        let Some(Parsed::Exclusion(e)) = constraint(&x) else { panic!() };
        assert_eq!(e.elements, ["room WITH =", "during WITH &&"]);
        assert_eq!(e.predicate.as_deref(), Some("((NOT cancelled))"));
    }

    #[test]
    fn indexes_read_back_into_parts() {
        let index = |definition: &str| Index {
            name: "i".into(),
            table: QualName::new("app", "t"),
            unique: false,
            method: "btree".into(),
            definition: definition.into(),
            columns: vec![],
            valid: true,
            comment: None,
        };
        let d = super::index(&index(
            "USING btree (lower(email), \"Created\" DESC) INCLUDE (id) WHERE (active AND (n > 0))",
        ))
        .unwrap();
        assert_eq!(d.elements, ["lower(email)", "\"Created\" DESC"]);
        assert_eq!(d.include, ["id"]);
        assert_eq!(d.predicate.as_deref(), Some("(active AND (n > 0))"));
        assert_eq!(plain_column("\"Created\""), Some("Created".into()));
        assert_eq!(plain_column("\"created\""), None, "quoted without need: not as quote_ident prints it");
        assert_eq!(plain_column("lower(email)"), None);
        assert!(super::index(&index("USING gin (doc) WITH (fastupdate=off)")).is_some());
        assert_eq!(super::index(&index("USING btree (a) TABLESPACE fast")), None);
    }

    #[test]
    fn parentheses_and_quotes() {
        assert_eq!(strip_parens("((a > 0))"), "a > 0");
        assert_eq!(strip_parens("(a) AND (b)"), "(a) AND (b)");
        assert_eq!(strip_parens("(x = ')')"), "x = ')'");
        assert_eq!(split_top("a, f(b, c), 'x,y'", ','), ["a", "f(b, c)", "'x,y'"]);
    }
}
