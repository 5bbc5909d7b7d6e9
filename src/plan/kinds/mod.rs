//! What a plan knows of each object kind, one module per kind behind one trait ([`PlanKind`]): the SQL and
//! guard of its changes, the drop of its objects and their guard, the target of its comments, its order
//! ranks and edges, the expected state after each change, the rollback's inverse, the lock a step takes,
//! the words its step line shows, what to run by hand after apply, and the query that counts the rows its
//! step would fail on (`plan --check-data`). The stages (`order`, `expect`,
//! `rollback`, `guards*`, `lock`, `words`) ask [`of`], [`of_object`] or [`of_comment`] for the kind and
//! call through the trait; this file is the one place on the stage side that names every variant of `Op`,
//! `Obj` and `CommentOn` of a kind that lives here.
//!
//! What is shared stays shared: the guard's building blocks (`guards`: `three_way`, `do_block`, quoting),
//! the generic drop guard (`guards_alter::drop`, from the kind's [`PlanKind::state`] and
//! [`PlanKind::drop_sql`]), the comment steps (from [`PlanKind::comment_target`]), the ordering algorithm
//! and the edges every change gets (its keys, the desired and live `pg_depend`).
//!
//! Every kind lives here: a stage matches only on the generic changes (a drop, a comment set or changed,
//! which it handles through the kind of their object) and asks [`of`] for the rest; [`of_object`] and
//! [`of_comment`] are total. No stage file has an arm of its own for a kind any more.

mod aggregate;
mod column;
mod constraint;
mod defined;
mod enum_type;
mod event_trigger;
mod extension;
mod function;
mod grant;
mod index;
mod parts;
mod policy;
mod schema;
mod sequence;
mod table;
mod type_def;
mod view;

use super::guards::{self, Guarded, State};
use super::lock::{LockDuration, LockMode, StepLock};
use super::order::{Dependents, Edge, Known, Resource};
use super::rollback::Undo;
use crate::catalog::{Catalog, GrantOn, ObjectKey, ObjectKind, QualName};
use crate::diff::{Change, CommentOn, Hazard, Obj, Op};
use std::collections::{BTreeMap, BTreeSet};

/// What the plan around a change says about how its step is written and what an interrupted apply can
/// leave: an index is built `CONCURRENTLY` on a table that exists (which the desired catalog says), `ON
/// ONLY` a partitioned one whose partitions get theirs in steps of their own, and never outside a
/// transaction in a rollback.
pub(super) struct Planning<'a> {
    /// The catalog the plan is made towards (the forward plan's result, for a rollback).
    pub desired: &'a Catalog,
    /// The plan's changes, in order.
    pub changes: &'a [Change],
    /// The indexes on partitioned tables whose partitions get theirs in steps of their own.
    pub online: BTreeSet<ObjectKey>,
    /// A rollback: every step in a transaction of its own.
    pub rollback: bool,
}

impl<'a> Planning<'a> {
    pub fn new(desired: &'a Catalog, changes: &'a [Change], rollback: bool) -> Self {
        Planning { desired, changes, online: index::online(changes), rollback }
    }
}

/// A step as the plan writes it: its guarded SQL, its statements without the guard (the plan file's
/// comment lines, the JSON's `ddl`), and the lock it takes.
pub(super) struct Written {
    pub guarded: Guarded,
    pub ddl: Vec<String>,
    pub lock: StepLock,
}

/// Step `step` making `change`, as `planning` has it written: by its kind, or by the stages for the
/// generic changes (a drop, a comment).
pub(super) fn written(step: usize, change: &Change, planning: &Planning<'_>) -> Written {
    match of(&change.op) {
        Some(kind) => kind.written(step, change, planning),
        None => Written {
            guarded: guards::guard(step, &change.op),
            ddl: guards::ddl(&change.op),
            lock: super::lock::step_lock(change),
        },
    }
}

/// What to run by hand after apply for `op`'s step, which it cannot write itself (`PlanKind::by_hand`).
pub fn by_hand(op: &Op) -> Option<String> {
    of(op)?.by_hand(op)
}

/// The count `plan --check-data` runs for a step that may fail on existing rows: the query, what it counts,
/// and the count's other form where the query needs a newer server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailingRows {
    /// `SELECT count(*) ...`: one row of one `bigint`.
    pub sql: String,
    /// What is counted, in the report: `rows with NULL`, `duplicate groups`.
    pub counts: &'static str,
    /// Where `sql` reads through `pg_input_is_valid` (PostgreSQL 16 and later): a `DO` block that counts
    /// the same values by converting each, and ends with the error `accrete-count N`.
    pub by_conversion: Option<String>,
}

/// The count of the rows `op`'s step would fail on (`PlanKind::failing_rows`); `None` when there is none.
pub fn failing_rows(op: &Op) -> Option<FailingRows> {
    of(op)?.failing_rows(op)
}

/// The count of the rows of `table` whose non-NULL `columns` are duplicated: the groups a unique
/// constraint or index would fail on.
fn duplicates(table: &QualName, columns: &[String]) -> String {
    let cols: Vec<String> = columns.iter().map(|c| crate::catalog::quote_ident(c)).collect();
    let not_null: Vec<String> = cols.iter().map(|c| format!("{c} IS NOT NULL")).collect();
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1) d",
        table.sql(),
        not_null.join(" AND "),
        cols.join(", ")
    )
}

/// What the rollback knows as it undoes one change: the objects the forward plan dropped and created
/// again (a redefinition), by key.
pub(super) struct Undoing<'a> {
    /// The old and the new object of each key dropped to be created again.
    pub replaced: &'a BTreeMap<ObjectKey, (Obj, Obj)>,
}

impl Undoing<'_> {
    /// Whether the forward plan dropped `key` and created it again.
    pub fn redefined(&self, key: &ObjectKey) -> bool {
        self.replaced.contains_key(key)
    }
}

/// The steps that undo a change; `Err(Some(why))` when it cannot be undone, `Err(None)` when another
/// step's undoing covers it.
pub(super) type Inverse = Result<Undo, Option<String>>;

/// `COMMENT ON` target, the current comment as an SQL expression, and the object's words in messages.
pub(super) type CommentTarget = (String, String, String);

/// The comment target of a relation (`pg_class`): `keyword` is what `COMMENT ON` calls it (`TABLE`,
/// `MATERIALIZED VIEW`), `word` its name in messages.
fn relation_comment_target(keyword: &str, word: &str, relation: &QualName) -> CommentTarget {
    (
        format!("{keyword} {}", relation.sql()),
        format!("pg_catalog.obj_description({}, 'pg_class')", guards::regclass(relation)),
        format!("{word} {relation}"),
    )
}

/// What the plan stages know of one object kind. Each method is one stage's facet; a method is asked only
/// about a change, object or comment of the kind ([`of`], [`of_object`], [`of_comment`]).
pub(super) trait PlanKind: Sync {
    // A change of the kind (`Op`).

    /// The guarded SQL of step `step` making the change.
    fn guard(&self, step: usize, op: &Op) -> Guarded;
    /// Its statements without the guard: what the guard runs when it acts.
    fn statements(&self, op: &Op) -> Vec<String>;
    /// Its step as the plan around it (`planning`) has it written, where that differs from [`guard`],
    /// [`statements`] and [`lock`] (an index built `CONCURRENTLY` or `ON ONLY` its table).
    ///
    /// [`guard`]: PlanKind::guard
    /// [`statements`]: PlanKind::statements
    /// [`lock`]: PlanKind::lock
    fn written(&self, step: usize, change: &Change, _planning: &Planning<'_>) -> Written {
        Written {
            guarded: self.guard(step, &change.op),
            ddl: self.statements(&change.op),
            lock: self.lock(change),
        }
    }
    /// A word on what its step does when its kind and name do not say it (`value 'b'`, `validate`), shown
    /// after the name in step lines, the plan's JSON (`what`) and the review ([`crate::plan::words`]).
    fn what(&self, _op: &Op) -> Option<String> {
        None
    }
    /// The word its step line shows after the name ([`crate::plan::shown_name`]), where the change's class
    /// says more than its operation (a view made again for a drop): by default [`PlanKind::what`], which
    /// the plan's JSON and the review show.
    fn step_what(&self, change: &Change) -> Option<String> {
        self.what(&change.op)
    }
    /// What the plan's summary counts it as, where not its key's kind (`enum value`, `validation`).
    fn summary_noun(&self, _op: &Op) -> Option<&'static str> {
        None
    }
    /// A statement to run by hand after apply, for what its step cannot write (a user mapping's option
    /// values), which the plan's header lists.
    fn by_hand(&self, _op: &Op) -> Option<String> {
        None
    }
    /// The count of the existing rows its step would fail on, which `plan --check-data` runs (NULLs for a
    /// NOT NULL, duplicates for a key, values that would not convert for a type change).
    fn failing_rows(&self, _op: &Op) -> Option<FailingRows> {
        None
    }
    /// Its rank among the plan's changes (lower first; edges come first).
    fn rank(&self, op: &Op) -> u8;
    /// What it makes that other changes may name, besides its keys (which every change provides).
    fn provides(&self, _op: &Op) -> Vec<Resource> {
        vec![]
    }
    /// Whether it provides its keys for the `pg_depend` edges (a validation makes nothing).
    fn provides_its_keys(&self, _op: &Op) -> bool {
        true
    }
    /// What must come before it (`known`: what the plan makes that a text may name).
    fn requires(&self, op: &Op, known: &Known) -> Vec<(Resource, Edge)>;
    /// Whether, serving another change (`part_of`), it sets aside something to be set again after (a
    /// domain check dropped while the function it calls is made again): it then frees it like a drop and
    /// needs nothing its declared form uses.
    fn sets_aside(&self, _op: &Op) -> bool {
        false
    }
    /// Records in `known` what it makes that a text may name (a type, a sequence, a function).
    fn learn(&self, _op: &Op, _known: &mut Known) {}
    /// Its position among the stages of a change made in several steps.
    fn stage(&self, _op: &Op) -> Option<u8> {
        None
    }
    /// What a stage needs, where it is not the previous stage committed in an earlier transaction
    /// (`dependents`: what depends on each object on the live side).
    fn stage_requires(
        &self,
        _change: &Change,
        _dependents: &Dependents<'_>,
    ) -> Option<Vec<(Resource, Edge)>> {
        None
    }
    /// The expected state after it.
    fn apply(&self, c: &mut Catalog, op: &Op);
    /// What it creates that has privileges of its own (which start from the creator's defaults).
    fn created_on(&self, _op: &Op) -> Option<GrantOn> {
        None
    }
    /// The steps of the rollback that undo it.
    fn inverse(&self, change: &Change, undoing: &Undoing<'_>) -> Inverse;
    /// Undone together with the forward steps that serve it (`parts`: their changes, whose `part_of` is its
    /// key), in one step of the rollback gated by its own: the keys and changes that undo them all.
    /// `None`: undone on its own ([`PlanKind::inverse`]), each part too.
    fn undo_with_parts(&self, _change: &Change, _parts: &[&Op]) -> Option<Vec<(ObjectKey, Op)>> {
        None
    }
    /// Whether its step in a rollback starts a transaction of its own (a stage that needs the one before
    /// committed).
    fn rollback_starts_transaction(&self, _op: &Op) -> bool {
        false
    }
    /// The objects whose drop by the rollback makes undoing it redundant (privileges go with their object).
    fn undone_with(&self, _op: &Op) -> Vec<ObjectKey> {
        vec![]
    }
    /// The roles it names, which the target must have (accrete does not manage roles).
    fn roles<'a>(&self, _op: &'a Op) -> Vec<&'a str> {
        vec![]
    }
    /// Whether it makes an object (which stays, with what it uses, when it cannot be undone).
    fn creates(&self, _op: &Op) -> bool {
        true
    }
    /// The tables its step locks, for the bound on tables per transaction.
    fn relations(&self, _op: &Op) -> Vec<QualName> {
        vec![]
    }
    /// The states (digests; `None`: absent) its object can be left in by an interrupted apply, besides
    /// before and after (`expected`: the catalog the plan leaves, made by `planning.changes`).
    fn during(&self, _change: &Change, _expected: &Catalog, _planning: &Planning<'_>) -> Vec<Option<String>> {
        vec![]
    }
    /// The lock its step takes.
    fn lock(&self, _change: &Change) -> StepLock {
        StepLock { mode: LockMode::None, duration: LockDuration::Brief }
    }
    /// The table its step locks, when it locks one.
    fn locked_table<'a>(&self, _op: &'a Op) -> Option<&'a QualName> {
        None
    }
    /// For a creation the rollback makes again after a drop: the table (and its columns) it is on, if it
    /// is on one. `None`: not such a creation.
    fn made_on<'a>(&self, _op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        None
    }

    // An object of the kind, dropped (`Obj`).

    /// How a guard sees it: exists, exists as planned, and its words.
    fn state(&self, object: &Obj) -> State;
    /// The statement that drops it (never `CASCADE`).
    fn drop_sql(&self, object: &Obj) -> String;
    /// Whether its drop runs outside a transaction (`DROP INDEX CONCURRENTLY`).
    fn drop_concurrently(&self, _object: &Obj) -> bool {
        false
    }
    /// The object as the rollback drops or makes it, in a transaction (an index without `CONCURRENTLY`).
    fn in_rollback(&self, object: &Obj) -> Obj {
        object.clone()
    }
    /// Rank of its drop.
    fn drop_rank(&self, object: &Obj) -> u8;
    /// What its drop provides besides its key and its replacement's: the objects it takes along (a
    /// view's triggers and rules), the columns it releases (a primary key's).
    fn drop_provides(&self, _object: &Obj) -> Vec<Resource> {
        vec![]
    }
    /// Another key through which the live side's dependents use it (a key constraint's index), whose
    /// dependents are dropped before it too.
    fn used_through(&self, _object: &Obj) -> Option<ObjectKey> {
        None
    }
    /// The lock its drop takes.
    fn drop_lock(&self, _object: &Obj) -> StepLock {
        StepLock { mode: LockMode::None, duration: LockDuration::Brief }
    }
    /// The expected state after its drop.
    fn dropped(&self, c: &mut Catalog, object: &Obj);
    /// What its privileges are on, which its drop takes along.
    fn grant_on(&self, _object: &Obj) -> Option<GrantOn> {
        None
    }
    /// The table it is, whose drop takes its parts and their comments along (`None`: a part, or an object
    /// outside tables).
    fn whole<'a>(&self, _object: &'a Obj) -> Option<&'a QualName> {
        None
    }
    /// Whether its drop to make an object of another kind under its name (a table made a view) takes its
    /// data for good: the rollback neither makes it again nor keeps the new object's name for it.
    fn data_gone_when_replaced(&self, _object: &Obj) -> bool {
        false
    }
    /// Whether its drop takes data along (so the rollback cannot make it again).
    fn holds_data(&self, _object: &Obj) -> bool {
        false
    }
    /// What the rollback runs to make it again after its drop: the object as it was, and its comment as
    /// a step of its own (empty when it held data).
    fn recreate(&self, object: &Obj) -> Undo;
    /// The hazards of dropping it again (the rollback of its re-creation).
    fn drop_hazards(&self, _object: &Obj) -> Vec<Hazard> {
        vec![]
    }

    // A comment on an object of the kind (`CommentOn`); a kind without comments is never asked.

    /// `COMMENT ON` target, current comment expression, and words.
    fn comment_target(&self, _on: &CommentOn) -> CommentTarget {
        unreachable!("a kind without comments")
    }
    /// What a comment step waits for.
    fn comment_requires(&self, _on: &CommentOn) -> Resource {
        unreachable!("a kind without comments")
    }
    /// The expected state after the comment is set (`None`: removed).
    fn commented(&self, _c: &mut Catalog, _on: &CommentOn, _text: Option<String>) {
        unreachable!("a kind without comments")
    }
    /// The table the commented object is a part of.
    fn comment_table<'a>(&self, _on: &'a CommentOn) -> Option<&'a QualName> {
        None
    }
}

/// The kind of a change (`None` for the generic changes, a drop and a comment, which go by their object).
pub(super) fn of(op: &Op) -> Option<&'static dyn PlanKind> {
    Some(match op {
        Op::CreateSchema(_) => &schema::SCHEMA,
        Op::CreateExtension(_) => &extension::EXTENSION,
        Op::CreateEnum(_) | Op::AddEnumValue { .. } | Op::ReplaceEnum { .. } => &enum_type::ENUM,
        Op::CreateSequence(_) | Op::SetSequenceOwner { .. } | Op::AlterSequence { .. } => &sequence::SEQUENCE,
        Op::CreateType(_) | Op::AlterType { .. } => &type_def::TYPE,
        Op::CreateFunction(_) | Op::ReplaceFunction { .. } => &function::FUNCTION,
        Op::CreateView(_) => &view::VIEW,
        Op::CreateDefined(_) | Op::AlterDefined { .. } => &defined::DEFINED,
        Op::Grant { .. } | Op::Revoke { .. } => &grant::GRANT,
        Op::AddConstraint { .. } | Op::ValidateConstraint { .. } => &constraint::CONSTRAINT,
        Op::CreateIndex { .. } | Op::PartitionIndex { .. } | Op::ReplaceIndex { .. } => &index::INDEX,
        Op::CreateTable(_)
        | Op::EnableRowSecurity { .. }
        | Op::ForceRowSecurity { .. }
        | Op::DisableRowSecurity { .. }
        | Op::NoForceRowSecurity { .. }
        | Op::SetLogged { .. }
        | Op::SetTableOptions { .. }
        | Op::SetReplicaIdentity { .. }
        | Op::SetPartitionOf { .. } => &table::TABLE,
        Op::AddColumn { .. }
        | Op::AlterColumnType { .. }
        | Op::SetColumnDefault { .. }
        | Op::SetNotNull { .. }
        | Op::RenameNotNull { .. }
        | Op::SetNotNullInherit { .. }
        | Op::DropNotNull { .. }
        | Op::SetIdentity { .. }
        | Op::DropExpression { .. }
        | Op::SequenceOwnership { .. }
        | Op::SetCollation { .. }
        | Op::SerialChange { .. }
        | Op::SerialIdentity { .. } => &column::COLUMN,
        Op::CreatePolicy { .. } => &policy::POLICY,
        Op::CreateTrigger { .. } => &parts::TRIGGER,
        Op::CreateRule { .. } => &parts::RULE,
        Op::SetPartFiring { kind: ObjectKind::Rule, .. } => &parts::RULE,
        Op::SetPartFiring { .. } => &parts::TRIGGER,
        Op::CreateAggregate(_) => &aggregate::AGGREGATE,
        Op::CreateEventTrigger(_) | Op::SetEventTriggerEnabled { .. } => &event_trigger::EVENT_TRIGGER,
        _ => return None,
    })
}

/// The kind of a dropped object.
pub(super) fn of_object(object: &Obj) -> &'static dyn PlanKind {
    match object {
        Obj::Schema(_) => &schema::SCHEMA,
        Obj::Extension(_) => &extension::EXTENSION,
        Obj::Enum(_) => &enum_type::ENUM,
        Obj::Sequence(_) => &sequence::SEQUENCE,
        Obj::Type(_) => &type_def::TYPE,
        Obj::Function(_) => &function::FUNCTION,
        Obj::View(_) => &view::VIEW,
        Obj::Defined(_) => &defined::DEFINED,
        Obj::Constraint { .. } => &constraint::CONSTRAINT,
        Obj::Index { .. } => &index::INDEX,
        Obj::Column { .. } => &column::COLUMN,
        Obj::Table(_) => &table::TABLE,
        Obj::Policy { .. } => &policy::POLICY,
        Obj::Trigger { .. } => &parts::TRIGGER,
        Obj::Rule { .. } => &parts::RULE,
        Obj::Aggregate(_) => &aggregate::AGGREGATE,
        Obj::EventTrigger(_) => &event_trigger::EVENT_TRIGGER,
    }
}

/// The kind of a commented object.
pub(super) fn of_comment(on: &CommentOn) -> &'static dyn PlanKind {
    match on {
        CommentOn::Schema(_) => &schema::SCHEMA,
        CommentOn::Enum(_) => &enum_type::ENUM,
        CommentOn::Sequence(_) => &sequence::SEQUENCE,
        CommentOn::Function(..) => &function::FUNCTION,
        CommentOn::View(..) => &view::VIEW,
        CommentOn::Defined(..) => &defined::DEFINED,
        CommentOn::Constraint(..) => &constraint::CONSTRAINT,
        CommentOn::Index(_) => &index::INDEX,
        CommentOn::Column(..) => &column::COLUMN,
        CommentOn::Table(_) => &table::TABLE,
        CommentOn::Policy(..) => &policy::POLICY,
        CommentOn::Trigger(..) => &parts::TRIGGER,
        CommentOn::Rule(..) => &parts::RULE,
        CommentOn::Aggregate(..) => &aggregate::AGGREGATE,
        CommentOn::EventTrigger(_) => &event_trigger::EVENT_TRIGGER,
    }
}

/// The rollback's undo of a creation: the object dropped again.
fn drop_again(object: Obj, hazards: Vec<Hazard>) -> Inverse {
    Ok(vec![(Op::drop(object, None), hazards)])
}

/// `create` (the object without its comment) and, when it had one, its comment as a step of its own.
fn with_comment(create: Op, hazards: Vec<Hazard>, on: CommentOn, text: &Option<String>) -> Undo {
    let mut out = vec![(create, hazards)];
    out.extend(text.clone().map(|text| (Op::SetComment { on, text }, vec![])));
    out
}

/// A step of one statement in the step's transaction.
fn transactional(sql: String) -> Guarded {
    Guarded { sql, transactional: true }
}
