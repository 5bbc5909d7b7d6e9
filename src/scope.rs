//! What is managed: the schemas in scope and per-kind exclude patterns (`table:public.schema_migrations`).
//! What is out of scope is never inspected into a comparison, reported or planned.

use crate::catalog::{ObjectKind, Placement};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Managed schemas; empty means every schema that is not a system schema.
    pub schemas: Vec<String>,
    /// Exclude patterns, `kind:schema.name` with `*` wildcards (`table:public.schema_migrations`,
    /// `*:audit.*`).
    pub exclude: Vec<String>,
    /// accrete's own schema (history), never in scope.
    pub own_schema: String,
}

impl Default for Scope {
    fn default() -> Self {
        Scope::new(Vec::new(), Vec::new())
    }
}

impl Scope {
    pub fn new(schemas: Vec<String>, exclude: Vec<String>) -> Self {
        Scope { schemas, exclude, own_schema: "accrete".to_string() }
    }

    pub fn includes_schema(&self, schema: &str) -> bool {
        schema != self.own_schema
            && !schema.starts_with("pg_")
            && schema != "information_schema"
            && (self.schemas.is_empty() || self.schemas.iter().any(|s| s == schema))
    }

    /// Whether an object of `kind` named `name` (as in `ObjectKey`: `schema.table` ...) is in scope.
    pub fn includes(&self, kind: ObjectKind, name: &str) -> bool {
        let schema = match kind.placement() {
            Placement::Schema => name,
            // Database-wide objects: no schema to be in, only their patterns (and `*:`).
            Placement::Database => return !self.excluded(kind, name),
            // A grant is in scope with its object (checked by the caller); only `grant:` patterns here.
            Placement::WithObject => return !self.excluded(kind, name),
            Placement::InSchema => name.split('.').next().unwrap_or(name),
        };
        self.includes_schema(schema) && !self.excluded(kind, name)
    }

    fn excluded(&self, kind: ObjectKind, name: &str) -> bool {
        self.exclude.iter().any(|pattern| {
            let (k, n) = pattern.split_once(':').unwrap_or(("*", pattern.as_str()));
            (k == "*" || k == kind.word()) && glob(n, name)
        })
    }
}

/// `*` matches any run of characters (including dots); everything else literally.
pub fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else { return false };
            (0..=rest.len()).filter(|&i| rest.is_char_boundary(i)).any(|i| glob(tail, &rest[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_by_kind_and_glob() {
        let scope = Scope::new(vec![], vec!["table:public.schema_migrations".into(), "*:audit.*".into()]);
        assert!(!scope.includes(ObjectKind::Table, "public.schema_migrations"));
        assert!(scope.includes(ObjectKind::Index, "public.schema_migrations"));
        assert!(!scope.includes(ObjectKind::Column, "audit.log.id"));
        assert!(scope.includes(ObjectKind::Table, "public.users"));
        assert!(!scope.includes(ObjectKind::Table, "accrete.history"));
        assert!(!scope.includes(ObjectKind::Schema, "pg_catalog"));
        let only_app = Scope::new(vec!["app".into()], vec![]);
        assert!(!only_app.includes(ObjectKind::Table, "public.users"));
        assert!(only_app.includes(ObjectKind::Table, "app.users"));
    }

    #[test]
    fn event_triggers_have_no_schema_and_follow_their_own_and_kindless_patterns() {
        let only_app = Scope::new(vec!["app".into()], vec!["event_trigger:audit_*".into()]);
        assert!(only_app.includes(ObjectKind::EventTrigger, "log_ddl"));
        assert!(!only_app.includes(ObjectKind::EventTrigger, "audit_ddl"));
        assert!(only_app.includes(ObjectKind::Extension, "audit_ddl"));
        let everything = Scope::new(vec![], vec!["*:tmp_*".into(), "table:log_*".into()]);
        assert!(!everything.includes(ObjectKind::EventTrigger, "tmp_guard"));
        assert!(everything.includes(ObjectKind::EventTrigger, "log_ddl"));
    }
}
