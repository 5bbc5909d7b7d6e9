//! What the parts of a table that hold code (triggers, rules, policies) share in a plan: each is found by
//! its table and name in a system catalog of its own, and a trigger or rule has a firing state that an
//! `ALTER TABLE ... ENABLE | DISABLE [REPLICA | ALWAYS]` sets.
//!
//! Triggers and rules are one kind module for both ([`PartKind`] over [`Firing`]): each is a part of its
//! table (or view), found by table and name (`pg_trigger`, `pg_rewrite`), "as planned" when its printed
//! definition (`pg_get_triggerdef`, `pg_get_ruledef`) is the declared one. Created after the table and its
//! columns, with its firing state when that is not the default; its firing state changed on its own
//! (`Op::SetPartFiring`); dropped with the other parts of tables. What differs between the two is the
//! [`Firing`] impl of `Trigger` and `Rule`; their variants are named in `diff::Part`'s impls.

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, transactional, with_comment};
use crate::catalog::{Catalog as Model, FiringState, ObjectKey, QualName, Rule, Trigger};
use crate::catalog::{quote_ident, quote_literal};
use crate::diff::{Change, CommentOn, Obj, Op, Part};
use crate::plan::guards::{Guarded, State, regclass, three_way};
use crate::plan::guards_alter::before_after;
use crate::plan::guards_code::statement;
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;
use std::marker::PhantomData;

/// Where one kind of part is kept: `pg_trigger` by `tgrelid` and `tgname`.
pub(super) struct Catalog {
    pub table: &'static str,
    pub relation: &'static str,
    pub name: &'static str,
    /// The column of its firing state (`tgenabled`), for triggers and rules.
    pub enabled: &'static str,
    /// What SQL calls it after `ENABLE`, `DROP`, `COMMENT ON` (`TRIGGER`), and its word in messages.
    pub keyword: &'static str,
    pub word: &'static str,
}

impl Catalog {
    /// `SELECT x.oid FROM pg_catalog.<table> x WHERE ...`: the part `name` of `table`.
    pub fn lookup(&self, table: &QualName, name: &str) -> String {
        format!(
            "SELECT x.oid FROM pg_catalog.{} x WHERE x.{} = {} AND x.{} = {}",
            self.table,
            self.relation,
            regclass(table),
            self.name,
            quote_literal(name)
        )
    }

    /// `COMMENT ON` target, current comment expression, and words.
    pub fn comment_target(&self, table: &QualName, name: &str) -> super::CommentTarget {
        (
            format!("{} {} ON {}", self.keyword, quote_ident(name), table.sql()),
            format!("pg_catalog.obj_description(({}), '{}')", self.lookup(table, name), self.table),
            format!("{} {name} on {table}", self.word),
        )
    }

    /// `DROP TRIGGER x ON t`.
    pub fn drop_sql(&self, table: &QualName, name: &str) -> String {
        format!("DROP {} {} ON {}", self.keyword, quote_ident(name), table.sql())
    }

    /// `ALTER TABLE t DISABLE TRIGGER x`, `ALTER TABLE t ENABLE REPLICA RULE r` ...
    pub fn firing_sql(&self, table: &QualName, name: &str, to: FiringState) -> String {
        to.alter_table_sql(self.keyword, table, name)
    }

    /// Its firing state from `from` to `to`, guarded by the state in the catalog.
    pub fn set_firing(
        &self,
        step: usize,
        table: &QualName,
        name: &str,
        from: FiringState,
        to: FiringState,
    ) -> String {
        let current = format!(
            "(SELECT x.{} FROM pg_catalog.{} x WHERE x.{} = {} AND x.{} = {})",
            self.enabled,
            self.table,
            self.relation,
            regclass(table),
            self.name,
            quote_literal(name)
        );
        let object = format!("{} {name} on {table}", self.word);
        before_after(
            step,
            &format!("{current} = '{}'", to.code()),
            &format!("{current} = '{}'", from.code()),
            &format!("{object} is already {}", to.word()),
            &format!("{object} was changed since the plan"),
            &[self.firing_sql(table, name, to)],
        )
    }
}

/// A part with a firing state, as a plan makes, alters and drops it: a trigger or a rule.
pub(super) trait Firing: Part + Sync + 'static {
    /// Where it is kept.
    const PARTS: Catalog;
    /// The lock its creation and a change of its firing state take.
    const LOCK: StepLock;
    /// The function that prints its definition from its OID.
    const PRINTED: &'static str;
    /// The query that finds it (its row's OID).
    fn lookup(table: &QualName, name: &str) -> String {
        Self::PARTS.lookup(table, name)
    }
    /// The statement that creates it.
    fn create_sql(&self) -> String;
}

impl Firing for Trigger {
    const PARTS: Catalog = Catalog {
        table: "pg_trigger",
        relation: "tgrelid",
        name: "tgname",
        enabled: "tgenabled",
        keyword: "TRIGGER",
        word: "trigger",
    };
    /// `CREATE TRIGGER` and `ENABLE` / `DISABLE TRIGGER` take SHARE ROW EXCLUSIVE.
    const LOCK: StepLock = StepLock { mode: LockMode::ShareRowExclusive, duration: LockDuration::Brief };
    const PRINTED: &'static str = "pg_get_triggerdef";
    /// A constraint's or a partition's internal trigger is never the declared one.
    fn lookup(table: &QualName, name: &str) -> String {
        Self::PARTS.lookup(table, name) + " AND NOT x.tgisinternal"
    }
    fn create_sql(&self) -> String {
        self.definition.clone()
    }
}

impl Firing for Rule {
    const PARTS: Catalog = Catalog {
        table: "pg_rewrite",
        relation: "ev_class",
        name: "rulename",
        enabled: "ev_enabled",
        keyword: "RULE",
        word: "rule",
    };
    /// `CREATE RULE`, the rule forms of `ENABLE` / `DISABLE` and `DROP RULE` take ACCESS EXCLUSIVE.
    const LOCK: StepLock = StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Brief };
    const PRINTED: &'static str = "pg_get_ruledef";
    fn create_sql(&self) -> String {
        statement(self.definition()).to_string()
    }
}

/// The kind module of triggers ([`TRIGGER`]) and of rules ([`RULE`]).
pub(super) struct PartKind<P>(PhantomData<P>);
pub(super) static TRIGGER: PartKind<Trigger> = PartKind(PhantomData);
pub(super) static RULE: PartKind<Rule> = PartKind(PhantomData);

impl<P: Firing> PartKind<P> {
    fn word() -> &'static str {
        P::PARTS.word
    }

    fn object(object: &Obj) -> (&QualName, &P) {
        P::of_object(object).unwrap_or_else(|| unreachable!("a {}", Self::word()))
    }

    fn commented(on: &CommentOn) -> (&QualName, &str) {
        P::of_comment(on).unwrap_or_else(|| unreachable!("a {}'s comment", Self::word()))
    }

    fn state(table: &QualName, part: &P) -> State {
        let lookup = P::lookup(table, part.name());
        let exists = format!("EXISTS ({lookup})");
        let same = format!("pg_catalog.{}(({lookup})) = {}", P::PRINTED, quote_literal(part.definition()));
        State { exists, same, object: format!("{} {} on {table}", Self::word(), part.name()) }
    }

    /// Its `CREATE`, and the statement that sets its firing state when it is not the default.
    fn create_statements(table: &QualName, part: &P) -> Vec<String> {
        let mut out = vec![part.create_sql()];
        if !part.enabled().is_enabled() {
            out.push(P::PARTS.firing_sql(table, part.name(), part.enabled()));
        }
        out
    }
}

impl<P: Firing> PlanKind for PartKind<P> {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::SetPartFiring { table, name, from, to, .. } => {
                P::PARTS.set_firing(step, table, name, *from, *to)
            }
            _ => {
                let (table, part) =
                    P::created(op).unwrap_or_else(|| unreachable!("a {}'s change", Self::word()));
                let s = Self::state(table, part);
                three_way(step, &s.exists, &s.same, &s.object, &Self::create_statements(table, part))
            }
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::SetPartFiring { table, name, to, .. } => vec![P::PARTS.firing_sql(table, name, *to)],
            _ => {
                let (table, part) =
                    P::created(op).unwrap_or_else(|| unreachable!("a {}'s change", Self::word()));
                Self::create_statements(table, part)
            }
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        match op {
            Op::SetPartFiring { to, .. } => Some(to.sql().to_string()),
            _ => None,
        }
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            // After the part it sets (made at 13, or made again).
            Op::SetPartFiring { .. } => 14,
            _ => 13,
        }
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        match P::created(op) {
            Some((table, _)) => vec![
                (Resource::Table(table.clone()), Edge::Before),
                (Resource::Columns(table.clone()), Edge::Before),
            ],
            None => vec![],
        }
    }

    fn apply(&self, c: &mut Model, op: &Op) {
        match op {
            Op::SetPartFiring { table, name, to, .. } => {
                if let Some(part) = P::of_relation(c, table).and_then(|parts| parts.get_mut(name)) {
                    part.set_enabled(*to);
                }
            }
            _ => {
                let (table, part) =
                    P::created(op).unwrap_or_else(|| unreachable!("a {}'s change", Self::word()));
                if let Some(parts) = P::of_relation(c, table) {
                    parts.insert(part.name().to_string(), part.clone());
                }
            }
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::SetPartFiring { kind, table, name, from, to } => Ok(vec![(
                Op::SetPartFiring {
                    kind: *kind,
                    table: table.clone(),
                    name: name.clone(),
                    from: *to,
                    to: *from,
                },
                vec![],
            )]),
            op => {
                let (table, part) =
                    P::created(op).unwrap_or_else(|| unreachable!("a {}'s change", Self::word()));
                drop_again(P::obj(table, part.clone()), vec![])
            }
        }
    }

    fn lock(&self, _change: &Change) -> StepLock {
        P::LOCK
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        match op {
            Op::SetPartFiring { table, .. } => Some(table),
            _ => P::created(op).map(|(table, _)| table),
        }
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        P::created(op).map(|(table, _)| (Some(table), vec![]))
    }

    fn state(&self, o: &Obj) -> State {
        let (table, part) = Self::object(o);
        Self::state(table, part)
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let (table, part) = Self::object(o);
        P::PARTS.drop_sql(table, part.name())
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        16
    }

    /// `DROP TRIGGER` and `DROP RULE` take ACCESS EXCLUSIVE.
    fn drop_lock(&self, _object: &Obj) -> StepLock {
        StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Brief }
    }

    fn dropped(&self, c: &mut Model, o: &Obj) {
        let (table, part) = Self::object(o);
        if let Some(parts) = P::of_relation(c, table) {
            parts.remove(part.name());
        }
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let (table, part) = Self::object(o);
        let create = P::create(table, part.bare());
        with_comment(create, vec![], P::comment_on(table, part.name()), &part.comment().cloned())
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        let (table, name) = Self::commented(on);
        P::PARTS.comment_target(table, name)
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        let (table, name) = Self::commented(on);
        Resource::Object(ObjectKey::new(P::KIND, format!("{table}.{name}")))
    }

    fn commented(&self, c: &mut Model, on: &CommentOn, text: Option<String>) {
        let (table, name) = Self::commented(on);
        if let Some(part) = P::of_relation(c, table).and_then(|parts| parts.get_mut(name)) {
            part.set_comment(text);
        }
    }

    fn comment_table<'a>(&self, on: &'a CommentOn) -> Option<&'a QualName> {
        Some(Self::commented(on).0)
    }
}
