//! What a team has said yes to: which classes of change (`add`, `alter`, `drop`, or a kind within one,
//! `drop:index`) may be planned and applied, and which hazards may run.
//!
//! Invariants (DESIGN rule 3):
//! - the add class is always admitted; `alter` and `drop` only when named;
//! - admitting a class (or a kind in it) admits the hazards of its steps; `--allow-hazard NAME` admits one
//!   hazard wherever it appears;
//! - add-class hazards are admitted by default; under `strict` they need `--allow add` or the hazard named;
//! - a hazard that grows with the data ([`Hazard::graded_by_size`]) may carry a size bound
//!   (`--allow-hazard rewrites-table:<100MB`): it admits the hazard on a step whose table's size is known
//!   and below the bound, and limits what a class admits of it to such steps, so a larger table needs the
//!   hazard named without a bound; an unknown size is left to the class (never admitted by the bound);
//! - `plan` and `apply` each evaluate their own policy: `apply` never trusts the one a plan was made with.

use crate::catalog::{ObjectKind, QualName, TableSize};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
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

    /// Whether what the step risks grows with its table's data, so that a policy may admit it below a size:
    /// an index build, a validation's scan, a rewrite, and the scan of the existing rows a NOT NULL, unique,
    /// check or type change is checked against (`may-fail-on-data`). Not `access-exclusive-lock`, whose risk
    /// is the queue of sessions waiting behind it whatever the table's size.
    pub fn graded_by_size(self) -> bool {
        matches!(
            self,
            Hazard::BuildsIndex | Hazard::ValidatesConstraint | Hazard::RewritesTable | Hazard::MayFailOnData
        )
    }
}

/// One `--allow-hazard` item: a hazard, admitted everywhere or only on tables smaller than `below` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HazardAdmit {
    pub hazard: Hazard,
    /// `NAME:<SIZE`: admitted only where the step's table is smaller than this many bytes.
    pub below: Option<u64>,
}

impl HazardAdmit {
    /// `rewrites-table`, `rewrites-table:<100MB`.
    pub fn parse(text: &str) -> Result<HazardAdmit, String> {
        let text = text.trim();
        let (name, bound) = match text.split_once(':') {
            Some((name, bound)) => (name.trim(), Some(bound.trim())),
            None => (text, None),
        };
        let hazard = Hazard::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Hazard::ALL.iter().map(|h| h.name()).collect();
            format!("unknown hazard \"{name}\" (hazards: {})", names.join(", "))
        })?;
        let Some(bound) = bound else { return Ok(HazardAdmit { hazard, below: None }) };
        if !hazard.graded_by_size() {
            let graded: Vec<&str> =
                Hazard::ALL.iter().filter(|h| h.graded_by_size()).map(|h| h.name()).collect();
            return Err(format!(
                "\"{text}\": {hazard} does not grow with the table's size and takes no size bound (a bound \
                 is taken by {})",
                graded.join(", ")
            ));
        }
        let size = bound.strip_prefix('<').ok_or_else(|| {
            format!("\"{text}\": a size bound is written NAME:<SIZE, for example {hazard}:<100MB")
        })?;
        let below = parse_size(size).map_err(|e| format!("\"{text}\": {e}"))?;
        if below == 0 {
            return Err(format!("\"{text}\": a bound of 0 admits nothing"));
        }
        Ok(HazardAdmit { hazard, below: Some(below) })
    }
}

impl fmt::Display for HazardAdmit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.below {
            None => write!(f, "{}", self.hazard),
            Some(below) => write!(f, "{}:<{}", self.hazard, size_text(below)),
        }
    }
}

/// A size as PostgreSQL's `pg_size_bytes` reads one: a number (decimals allowed), then optionally a unit,
/// `bytes`/`B`, `kB`, `MB`, `GB`, `TB` or `PB` (powers of 1024, case-insensitive, a space allowed between).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = (&text[..split], text[split..].trim());
    let bad = || format!("size \"{text}\": write a number and a unit, for example 100MB, 2GB, 500kB or 8192");
    if number.is_empty()
        || number.starts_with('.')
        || number.ends_with('.')
        || number.matches('.').count() > 1
    {
        return Err(bad());
    }
    let value: f64 = number.parse().map_err(|_| bad())?;
    let factor: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" | "bytes" => 1,
        "kb" => 1 << 10,
        "mb" => 1 << 20,
        "gb" => 1 << 30,
        "tb" => 1 << 40,
        "pb" => 1 << 50,
        _ => return Err(bad()),
    };
    let bytes = value * factor as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(format!("size \"{text}\" is too large"));
    }
    Ok(bytes.round() as u64)
}

/// `100MB`, `500kB`, `1536` (bytes): the largest unit that states `n` exactly, as [`parse_size`] reads it.
pub fn size_text(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    let mut text = n.to_string();
    let mut value = n;
    for unit in UNITS {
        if value == 0 || value % 1024 != 0 {
            break;
        }
        value /= 1024;
        text = format!("{value}{unit}");
    }
    text
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

/// Parses `--allow-hazard` values (comma-separated, repeatable; `NAME` or `NAME:<SIZE`).
pub fn parse_hazards(values: &[String]) -> Result<Vec<HazardAdmit>, String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(HazardAdmit::parse)
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub allow: BTreeSet<Admit>,
    /// Hazards admitted wherever they appear.
    pub hazards: BTreeSet<Hazard>,
    /// Hazards admitted only on tables smaller than this many bytes (`NAME:<SIZE`).
    pub below: BTreeMap<Hazard, u64>,
    pub strict: bool,
}

/// Why a size bound did not admit a hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverBound {
    /// The step's table is this large, not below the bound.
    Size(TableSize),
    /// The step's table size is not known (no table, a table the plan makes, or a plan that records none).
    Unknown,
}

/// Why a step may not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Its class (for its kind) is not admitted.
    Class { class: Class, kind: ObjectKind },
    /// One of its hazards is not admitted.
    Hazard { class: Class, kind: ObjectKind, hazard: Hazard },
    /// One of its hazards is admitted only below a size, and its table is not known to be below it.
    Bound { class: Class, kind: ObjectKind, hazard: Hazard, below: u64, over: OverBound },
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
            Refusal::Bound { class: Class::Add, hazard, over, .. } => {
                format!("--allow-hazard {hazard}{} (or --allow add)", larger_bound(*hazard, *over))
            }
            Refusal::Bound { class, kind, hazard, over, .. } => {
                format!(
                    "--allow-hazard {hazard}{} (or --allow {class}:{})",
                    larger_bound(*hazard, *over),
                    kind.word()
                )
            }
        }
    }

    /// What is not admitted: `hazard rewrites-table not admitted`, `hazard rewrites-table on app.t of
    /// 3.2 MB (≈25k rows) not admitted: the bound is <1MB` (`table`: the step's table, when known).
    pub fn what(&self, table: Option<&QualName>) -> String {
        match self {
            Refusal::Class { class, .. } => format!("class {class} not admitted"),
            Refusal::Hazard { hazard, .. } => format!("hazard {hazard} not admitted"),
            Refusal::Bound { hazard, below, over: OverBound::Size(size), .. } => format!(
                "hazard {hazard} on {} of {} not admitted: the bound is <{}",
                table.map_or("a table".to_string(), QualName::to_string),
                size_and_rows(*size),
                size_text(*below)
            ),
            Refusal::Bound { hazard, below, over: OverBound::Unknown, .. } => format!(
                "hazard {hazard} not admitted: the bound <{} admits it only where the table's size is known, and \
                 it is not",
                size_text(*below)
            ),
        }
    }
}

/// `3.2 MB (≈25k rows)`.
pub fn size_and_rows(size: TableSize) -> String {
    format!("{} (≈{} rows)", crate::catalog::bytes(size.bytes), crate::catalog::approximate(size.rows))
}

/// ` or --allow-hazard H:<SIZE` with a bound above `over`, or nothing when the size is unknown.
fn larger_bound(hazard: Hazard, over: OverBound) -> String {
    match over {
        OverBound::Size(size) => {
            let mut bound = 1024u64;
            while bound <= size.bytes {
                bound = bound.saturating_mul(2);
            }
            // A round number of the largest unit above the size: 3.2 MB -> 4MB, 700 MB -> 1GB.
            format!(", or a bound above its size, {hazard}:<{}", size_text(bound))
        }
        OverBound::Unknown => String::new(),
    }
}

impl Policy {
    /// Merges flags into the configuration's policy (flags add to what the file admits).
    pub fn with(mut self, allow: Vec<Admit>, hazards: Vec<HazardAdmit>, strict: bool) -> Policy {
        self.allow.extend(allow);
        for h in hazards {
            self.admit_hazard(h);
        }
        self.strict |= strict;
        self
    }

    /// Admits one hazard: everywhere, or below a size (the larger of two bounds admits more, and wins).
    pub fn admit_hazard(&mut self, admit: HazardAdmit) {
        match admit.below {
            None => {
                self.hazards.insert(admit.hazard);
            }
            Some(below) => {
                let bound = self.below.entry(admit.hazard).or_insert(below);
                *bound = (*bound).max(below);
            }
        }
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

    /// Whether the step's class admits its hazards (admitted for `kind`, or an addition outside `strict`).
    fn class_admits_hazards(&self, class: Class, kind: ObjectKind) -> bool {
        self.named(class, kind) || (class == Class::Add && !self.strict)
    }

    /// The size bound `hazard` on such a step is judged by, if any: the size its table must stay below.
    /// A bound both admits the hazard below it, where nothing else does, and limits it there where the
    /// class admits it: a larger table needs the hazard named (`--allow-hazard NAME`). `None` when the
    /// hazard is admitted without a bound, or grows with no data.
    pub fn bound(&self, hazard: Hazard) -> Option<u64> {
        if self.hazards.contains(&hazard) || !hazard.graded_by_size() {
            return None;
        }
        self.below.get(&hazard).copied()
    }

    /// Everything that keeps a step of `class` on `kind` with `hazards` from running, in a fixed order.
    /// `size`: the size of the step's table, when known.
    pub fn refusals(
        &self,
        class: Class,
        kind: ObjectKind,
        hazards: &[Hazard],
        size: Option<TableSize>,
    ) -> Vec<Refusal> {
        if !self.admits(class, kind) {
            return vec![Refusal::Class { class, kind }];
        }
        let by_class = self.class_admits_hazards(class, kind);
        let mut out: Vec<Refusal> = hazards
            .iter()
            .filter(|h| !self.hazards.contains(h))
            .filter_map(|&hazard| match self.bound(hazard) {
                None if by_class => None,
                None => Some(Refusal::Hazard { class, kind, hazard }),
                Some(below) => match size {
                    Some(size) if size.bytes < below => None,
                    Some(size) => {
                        Some(Refusal::Bound { class, kind, hazard, below, over: OverBound::Size(size) })
                    }
                    // An unknown size (a table the plan makes, a plan that records none) is judged by the
                    // class alone.
                    None if by_class => None,
                    None => Some(Refusal::Bound { class, kind, hazard, below, over: OverBound::Unknown }),
                },
            })
            .collect();
        out.dedup();
        out
    }

    /// `alter, drop:index` or `add only`, for messages and plan headers.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = vec!["add".into()];
        parts.extend(self.allow.iter().filter(|a| **a != Admit::Class(Class::Add)).map(|a| a.to_string()));
        let mut text = parts.join(", ");
        let mut hazards: Vec<HazardAdmit> =
            self.hazards.iter().map(|&hazard| HazardAdmit { hazard, below: None }).collect();
        hazards.extend(
            self.below
                .iter()
                .filter(|(h, _)| !self.hazards.contains(h))
                .map(|(&hazard, &below)| HazardAdmit { hazard, below: Some(below) }),
        );
        hazards.sort_by_key(|h| h.hazard);
        if !hazards.is_empty() {
            let names: Vec<String> = hazards.iter().map(HazardAdmit::to_string).collect();
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
        assert!(lax.refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex], None).is_empty());
        let strict = policy(&[], &[], true);
        let r = strict.refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex], None);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].remedy(), "--allow-hazard builds-index (or --allow add)");
        assert!(
            policy(&["add"], &[], true)
                .refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex], None)
                .is_empty()
        );
        assert!(
            policy(&[], &["builds-index"], true)
                .refusals(Class::Add, ObjectKind::Index, &[Hazard::BuildsIndex], None)
                .is_empty()
        );
    }

    fn size(bytes: u64) -> Option<TableSize> {
        Some(TableSize { rows: bytes / 100, bytes })
    }

    #[test]
    fn parses_sizes_as_postgresql_does() {
        assert_eq!(parse_size("100MB"), Ok(100 << 20));
        assert_eq!(parse_size("100 MB"), Ok(100 << 20));
        assert_eq!(parse_size("2gb"), Ok(2 << 30));
        assert_eq!(parse_size("500kB"), Ok(500 << 10));
        assert_eq!(parse_size("1.5GB"), Ok(3 << 29));
        assert_eq!(parse_size("8192"), Ok(8192));
        assert_eq!(parse_size("8192 bytes"), Ok(8192));
        assert_eq!(parse_size("1TB"), Ok(1 << 40));
        for bad in ["", "MB", "10 MiB", "1..5MB", ".5MB", "-1MB", "1e3", "100 M B", "99999999999PB"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(size_text(100 << 20), "100MB");
        assert_eq!(size_text(1536), "1536");
        assert_eq!(size_text(3 << 29), "1536MB");
        assert_eq!(size_text(0), "0");
    }

    #[test]
    fn parses_bounds_only_on_hazards_that_grow_with_the_data() {
        let h = HazardAdmit::parse("rewrites-table:<100MB").unwrap();
        assert_eq!(h, HazardAdmit { hazard: Hazard::RewritesTable, below: Some(100 << 20) });
        assert_eq!(h.to_string(), "rewrites-table:<100MB");
        assert_eq!(HazardAdmit::parse(" builds-index : < 2 GB ").unwrap().below, Some(2 << 30));
        let e = HazardAdmit::parse("access-exclusive-lock:<1GB").unwrap_err();
        assert!(e.contains("takes no size bound") && e.contains("rewrites-table"), "{e}");
        assert!(HazardAdmit::parse("deletes-data:<1MB").unwrap_err().contains("no size bound"));
        assert!(HazardAdmit::parse("rewrites-table:100MB").unwrap_err().contains("NAME:<SIZE"));
        assert!(HazardAdmit::parse("rewrites-table:<lots").unwrap_err().contains("size \"lots\""));
        assert!(HazardAdmit::parse("rewrites-table:<0").unwrap_err().contains("admits nothing"));
        assert!(HazardAdmit::parse("rewrite-table:<1MB").unwrap_err().contains("unknown hazard"));
        let all = parse_hazards(&["builds-index:<1MB,rewrites-table".into()]).unwrap();
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn a_bound_admits_below_its_size_only() {
        let p = policy(&[], &["rewrites-table:<1MB", "access-exclusive-lock"], true);
        let hazards = [Hazard::RewritesTable, Hazard::AccessExclusiveLock];
        assert!(p.refusals(Class::Add, ObjectKind::Column, &hazards, size(8192)).is_empty());
        assert_eq!(p.bound(Hazard::RewritesTable), Some(1 << 20));
        assert_eq!(p.bound(Hazard::AccessExclusiveLock), None);
        let over = p.refusals(Class::Add, ObjectKind::Column, &hazards, size(3 << 20));
        assert_eq!(
            over,
            vec![Refusal::Bound {
                class: Class::Add,
                kind: ObjectKind::Column,
                hazard: Hazard::RewritesTable,
                below: 1 << 20,
                over: OverBound::Size(size(3 << 20).unwrap()),
            }]
        );
        assert_eq!(
            over[0].what(Some(&QualName::new("app", "t"))),
            "hazard rewrites-table on app.t of 3.0 MB (≈31k rows) not admitted: the bound is <1MB"
        );
        assert_eq!(
            over[0].remedy(),
            "--allow-hazard rewrites-table, or a bound above its size, rewrites-table:<4MB (or --allow add)"
        );
        // Exactly the bound is not below it; an unknown size never is.
        assert_eq!(p.refusals(Class::Add, ObjectKind::Column, &hazards, size(1 << 20)).len(), 1);
        let unknown = p.refusals(Class::Add, ObjectKind::Column, &hazards, None);
        assert!(matches!(unknown[..], [Refusal::Bound { over: OverBound::Unknown, .. }]));
        assert!(unknown[0].what(None).contains("size is known"));
        // A bound also limits what a class admits: under --allow alter (or for an addition without
        // strict), a rewrite of a table of 1 GB needs the hazard named; one of a table whose size is
        // unknown (made by the plan) is the class's to admit.
        let lax = policy(&["alter"], &["rewrites-table:<1MB"], false);
        assert!(lax.refusals(Class::Add, ObjectKind::Column, &hazards, None).is_empty());
        assert!(lax.refusals(Class::Alter, ObjectKind::Column, &hazards, size(8192)).is_empty());
        let large = lax.refusals(Class::Alter, ObjectKind::Column, &hazards, size(1 << 30));
        assert!(matches!(large[..], [Refusal::Bound { hazard: Hazard::RewritesTable, .. }]), "{large:?}");
        assert!(!lax.refusals(Class::Add, ObjectKind::Column, &hazards, size(1 << 30)).is_empty());
        assert_eq!(lax.bound(Hazard::RewritesTable), Some(1 << 20));
        // Without a bound, a class admits its hazards whatever the size.
        let plain = policy(&["alter"], &[], false);
        assert!(plain.refusals(Class::Alter, ObjectKind::Column, &hazards, size(1 << 40)).is_empty());
    }

    #[test]
    fn bounds_merge_to_the_larger_and_an_unbounded_entry_wins() {
        let p = policy(
            &[],
            &["builds-index:<1MB", "builds-index:<1GB", "rewrites-table:<2MB", "rewrites-table"],
            true,
        );
        assert_eq!(p.describe(), "add; hazards builds-index:<1GB, rewrites-table; strict");
        assert_eq!(p.bound(Hazard::BuildsIndex), Some(1 << 30));
        assert!(
            p.refusals(Class::Add, ObjectKind::Column, &[Hazard::RewritesTable], size(1 << 40)).is_empty()
        );
    }

    #[test]
    fn a_class_admits_its_hazards_and_a_hazard_alone_does_not_admit_a_class() {
        let p = policy(&["drop:column"], &[], false);
        assert!(p.refusals(Class::Drop, ObjectKind::Column, &[Hazard::DeletesData], None).is_empty());
        let only_hazard = policy(&[], &["deletes-data"], false);
        assert_eq!(
            only_hazard.refusals(Class::Drop, ObjectKind::Column, &[Hazard::DeletesData], None),
            vec![Refusal::Class { class: Class::Drop, kind: ObjectKind::Column }]
        );
    }
}
