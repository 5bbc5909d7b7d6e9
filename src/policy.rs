//! What a team has said yes to: which classes of change (`add`, `alter`, `drop`, or a kind within one,
//! `drop:index`) may be planned and applied, and which hazards may run.
//!
//! Invariants (DESIGN rule 3):
//! - the add class is always admitted; `alter` and `drop` only when named;
//! - admitting a class (or a kind in it) admits the hazards of its steps; `--allow-hazard NAME` admits one
//!   hazard wherever it appears;
//! - add-class hazards are admitted by default; under `strict` they need `--allow add` or the hazard named;
//! - `plan` and `apply` each evaluate their own policy: `apply` never trusts the one a plan was made with.

use crate::catalog::ObjectKind;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// The class of a change: what a policy admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Add,
    Alter,
    Drop,
}

impl Class {
    pub fn word(self) -> &'static str {
        match self {
            Class::Add => "add",
            Class::Alter => "alter",
            Class::Drop => "drop",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// What a step risks. Shown on every step; names are stable (`--allow-hazard NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hazard {
    BuildsIndex,
    ValidatesConstraint,
    RewritesTable,
    MayFailOnData,
    AccessExclusiveLock,
    EnablesRls,
    /// Row-level security disabled on a table, or no longer forced on its owner: roles see rows the
    /// policies kept from them.
    DisablesRls,
    DeletesData,
    BreaksDependents,
    NotReversible,
    NeedsSuperuser,
    /// A sequence's declared range excludes values its current range allows: should its position lie outside
    /// the declared range when the step runs, it restarts at its declared START, and values it handed out
    /// before may be handed out again.
    RestartsSequence,
}

impl Hazard {
    pub const ALL: [Hazard; 12] = [
        Hazard::BuildsIndex,
        Hazard::ValidatesConstraint,
        Hazard::RewritesTable,
        Hazard::MayFailOnData,
        Hazard::AccessExclusiveLock,
        Hazard::EnablesRls,
        Hazard::DisablesRls,
        Hazard::DeletesData,
        Hazard::BreaksDependents,
        Hazard::NotReversible,
        Hazard::NeedsSuperuser,
        Hazard::RestartsSequence,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Hazard::BuildsIndex => "builds-index",
            Hazard::ValidatesConstraint => "validates-constraint",
            Hazard::RewritesTable => "rewrites-table",
            Hazard::MayFailOnData => "may-fail-on-data",
            Hazard::AccessExclusiveLock => "access-exclusive-lock",
            Hazard::EnablesRls => "enables-rls",
            Hazard::DisablesRls => "disables-rls",
            Hazard::DeletesData => "deletes-data",
            Hazard::BreaksDependents => "breaks-dependents",
            Hazard::NotReversible => "not-reversible",
            Hazard::NeedsSuperuser => "needs-superuser",
            Hazard::RestartsSequence => "restarts-sequence",
        }
    }

    pub fn from_name(name: &str) -> Option<Hazard> {
        Hazard::ALL.into_iter().find(|h| h.name() == name)
    }
}

impl fmt::Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One `--allow` item: a class, or a kind within a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Admit {
    Class(Class),
    Kind(Class, ObjectKind),
}

impl fmt::Display for Admit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Admit::Class(c) => write!(f, "{c}"),
            Admit::Kind(c, k) => write!(f, "{c}:{}", k.word()),
        }
    }
}

impl Admit {
    /// `alter`, `drop:index` (`drop:all` is `drop`).
    pub fn parse(text: &str) -> Result<Admit, String> {
        let text = text.trim();
        let (class, kind) = match text.split_once(':') {
            Some((c, k)) => (c, Some(k)),
            None => (text, None),
        };
        let class = match class {
            "add" => Class::Add,
            "alter" => Class::Alter,
            "drop" => Class::Drop,
            _ => return Err(format!("unknown class \"{class}\" in \"{text}\": use add, alter or drop")),
        };
        match kind {
            None | Some("all") | Some("*") => Ok(Admit::Class(class)),
            Some(k) => ObjectKind::from_word(k).map(|k| Admit::Kind(class, k)).ok_or_else(|| {
                format!("unknown object kind \"{k}\" in \"{text}\" (for example alter:column, drop:index)")
            }),
        }
    }
}

/// Parses comma-separated, repeatable `--allow` values.
pub fn parse_allow(values: &[String]) -> Result<Vec<Admit>, String> {
    values.iter().flat_map(|v| v.split(',')).filter(|s| !s.trim().is_empty()).map(Admit::parse).collect()
}

/// Parses `--allow-hazard` values (comma-separated, repeatable).
pub fn parse_hazards(values: &[String]) -> Result<Vec<Hazard>, String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Hazard::from_name(s).ok_or_else(|| {
                let names: Vec<&str> = Hazard::ALL.iter().map(|h| h.name()).collect();
                format!("unknown hazard \"{s}\" (hazards: {})", names.join(", "))
            })
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub allow: BTreeSet<Admit>,
    pub hazards: BTreeSet<Hazard>,
    pub strict: bool,
}

/// Why a step may not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Its class (for its kind) is not admitted.
    Class { class: Class, kind: ObjectKind },
    /// One of its hazards is not admitted.
    Hazard { class: Class, kind: ObjectKind, hazard: Hazard },
}

impl Refusal {
    /// What to pass to admit it.
    pub fn remedy(&self) -> String {
        match self {
            Refusal::Class { class, kind } => format!("--allow {class} (or --allow {class}:{})", kind.word()),
            Refusal::Hazard { class: Class::Add, hazard, .. } => {
                format!("--allow-hazard {hazard} (or --allow add)")
            }
            Refusal::Hazard { class, kind, hazard } => {
                format!("--allow-hazard {hazard} (or --allow {class}:{})", kind.word())
            }
        }
    }
}

impl Policy {
    /// Merges flags into the configuration's policy (flags add to what the file admits).
    pub fn with(mut self, allow: Vec<Admit>, hazards: Vec<Hazard>, strict: bool) -> Policy {
        self.allow.extend(allow);
        self.hazards.extend(hazards);
        self.strict |= strict;
        self
    }

    /// Every class admitted (the full convergence measurement).
    pub fn everything() -> Policy {
        Policy {
            allow: [Class::Add, Class::Alter, Class::Drop].into_iter().map(Admit::Class).collect(),
            ..Policy::default()
        }
    }

    fn named(&self, class: Class, kind: ObjectKind) -> bool {
        self.allow.contains(&Admit::Class(class)) || self.allow.contains(&Admit::Kind(class, kind))
    }

    /// Whether steps of `class` on objects of `kind` may be planned.
    pub fn admits(&self, class: Class, kind: ObjectKind) -> bool {
        class == Class::Add || self.named(class, kind)
    }

    /// Whether `hazard` on such a step may run.
    pub fn admits_hazard(&self, class: Class, kind: ObjectKind, hazard: Hazard) -> bool {
        self.hazards.contains(&hazard) || self.named(class, kind) || (class == Class::Add && !self.strict)
    }

    /// Everything that keeps a step of `class` on `kind` with `hazards` from running, in a fixed order.
    pub fn refusals(&self, class: Class, kind: ObjectKind, hazards: &[Hazard]) -> Vec<Refusal> {
        if !self.admits(class, kind) {
            return vec![Refusal::Class { class, kind }];
        }
        let mut out: Vec<Refusal> = hazards
            .iter()
            .filter(|h| !self.admits_hazard(class, kind, **h))
            .map(|&hazard| Refusal::Hazard { class, kind, hazard })
            .collect();
        out.dedup();
        out
    }

    /// `alter, drop:index` or `add only`, for messages and plan headers.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = vec!["add".into()];
        parts.extend(self.allow.iter().filter(|a| **a != Admit::Class(Class::Add)).map(|a| a.to_string()));
        let mut text = parts.join(", ");
        if !self.hazards.is_empty() {
            let names: Vec<&str> = self.hazards.iter().map(|h| h.name()).collect();
            text.push_str(&format!("; hazards {}", names.join(", ")));
        }
        if self.strict {
            text.push_str("; strict");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow: &[&str], hazards: &[&str], strict: bool) -> Policy {
        let allow = parse_allow(&allow.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let hazards = parse_hazards(&hazards.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        Policy::default().with(allow, hazards, strict)
    }

    #[test]
    fn parses_classes_and_kinds() {
        let p = policy(&["alter,drop:index", "drop:column"], &[], false);
        assert!(p.admits(Class::Alter, ObjectKind::View));
        assert!(p.admits(Class::Drop, ObjectKind::Index));
        assert!(p.admits(Class::Drop, ObjectKind::Column));
        assert!(!p.admits(Class::Drop, ObjectKind::Table));
        assert_eq!(p.describe(), "add, alter, drop:column, drop:index");
        assert!(Admit::parse("rename").unwrap_err().contains("unknown class"));
        assert!(Admit::parse("drop:tabel").unwrap_err().contains("unknown object kind"));
        assert!(parse_hazards(&["deletes-data,nope".into()]).unwrap_err().contains("nope"));
    }

    #[test]
    fn add_hazards_need_admission_only_when_strict() {
        let lax = policy(&[], &[], false);
        assert!(lax.refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex]).is_empty());
        let strict = policy(&[], &[], true);
        let r = strict.refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex]);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].remedy(), "--allow-hazard builds-index (or --allow add)");
        assert!(
            policy(&["add"], &[], true)
                .refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex])
                .is_empty()
        );
        assert!(
            policy(&[], &["builds-index"], true)
                .refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex])
                .is_empty()
        );
    }

    #[test]
    fn a_class_admits_its_hazards_and_a_hazard_alone_does_not_admit_a_class() {
        let p = policy(&["drop:column"], &[], false);
        assert!(p.refusals(Class::Drop, ObjectKind::Column, &[Hazard::DeletesData]).is_empty());
        let only_hazard = policy(&[], &["deletes-data"], false);
        assert_eq!(
            only_hazard.refusals(Class::Drop, ObjectKind::Column, &[Hazard::DeletesData]),
            vec![Refusal::Class { class: Class::Drop, kind: ObjectKind::Column }]
        );
    }
}
