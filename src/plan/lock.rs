//! The lock each planned step takes: one model, used by the planner to form lock-safe segments and shown
//! to reviewers (the plan's JSON document; the Markdown review renders the same values).
//!
//! A step's lock is the strongest table-level lock mode its statements take on the tables it touches
//! ([`LockMode`], PostgreSQL's own names and conflict table), and how long it holds that lock on a table
//! that may have rows ([`LockDuration`]): a catalog change (`brief`), a scan of the rows (`scan`), a
//! rewrite of the table (`rewrite`) or an index build (`build`).
//!
//! A step with a hazard that grows with the data ([`Hazard::graded_by_size`]) records the size of the table
//! it locks ([`StepSize`]): a plan file (format 2) carries it on a machine-read line, so `apply` judges a
//! size-bounded policy (`--allow-hazard rewrites-table:<100MB`) with the size the plan was reviewed with.
//!
//! Invariants: the mode is never weaker than what PostgreSQL takes (when in doubt, the stronger one);
//! a step of duration [`LockDuration::Scan`] is a validation and gets a transaction of its own, so no
//! lock taken by another step is held while it scans.

use crate::catalog::{QualName, TableSize};
use crate::diff::{Change, Op};
use serde::Serialize;
use std::collections::BTreeMap;

/// PostgreSQL's table-level lock modes, weakest first (`pg_locks.mode` without the `Lock` suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LockMode {
    /// No lock on a table (schemas, types, functions and other objects outside tables).
    None,
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}

impl LockMode {
    /// The name PostgreSQL's documentation uses (`ACCESS EXCLUSIVE`), or `none`.
    pub fn sql_name(self) -> &'static str {
        match self {
            LockMode::None => "none",
            LockMode::AccessShare => "ACCESS SHARE",
            LockMode::RowShare => "ROW SHARE",
            LockMode::RowExclusive => "ROW EXCLUSIVE",
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::Exclusive => "EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// Whether `INSERT`, `UPDATE` and `DELETE` (which take `ROW EXCLUSIVE`) wait for it.
    pub fn blocks_writes(self) -> bool {
        self >= LockMode::Share
    }

    /// Whether plain `SELECT` (which takes `ACCESS SHARE`) waits for it.
    pub fn blocks_reads(self) -> bool {
        self == LockMode::AccessExclusive
    }
}

/// How long a step holds its lock on a table that may have rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LockDuration {
    /// A catalog change: milliseconds, whatever the table's size.
    Brief,
    /// A scan of the table's rows (a validation): grows with the table.
    Scan,
    /// The table is rewritten (a volatile default, a type change, `SET LOGGED`): grows with the table.
    Rewrite,
    /// An index build (concurrently: the lock does not block writes, but the step takes long).
    Build,
}

impl LockDuration {
    pub fn word(self) -> &'static str {
        match self {
            LockDuration::Brief => "brief",
            LockDuration::Scan => "scan",
            LockDuration::Rewrite => "rewrite",
            LockDuration::Build => "build",
        }
    }
}

/// The lock a step takes: its mode and how long it is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct StepLock {
    pub mode: LockMode,
    pub duration: LockDuration,
}

impl StepLock {
    pub(super) const fn new(mode: LockMode, duration: LockDuration) -> StepLock {
        StepLock { mode, duration }
    }

    /// `SHARE UPDATE EXCLUSIVE, scan`: the form reviewers read.
    pub fn describe(self) -> String {
        format!("{}, {}", self.mode.sql_name(), self.duration.word())
    }

    /// Whether writers to the step's table wait for longer than a catalog change.
    pub fn blocks_writes_long(self) -> bool {
        self.mode.blocks_writes() && self.duration != LockDuration::Brief
    }

    /// A validation: it runs in a transaction of its own, so that no lock an earlier step of the same
    /// transaction took (an `ACCESS EXCLUSIVE` of an added check, the `SHARE ROW EXCLUSIVE` of a foreign key
    /// added `NOT VALID`) is held for the length of its scan.
    pub fn own_transaction(self) -> bool {
        self.duration == LockDuration::Scan
    }
}

/// The table a step takes its lock on ([`step_lock`]), when it takes one on a table: the table of a part
/// (column, constraint, index, trigger, rule, policy) or the table itself. `None` for objects outside
/// tables, whose steps take no table lock.
pub fn locked_table(change: &Change) -> Option<&QualName> {
    match &change.op {
        Op::Drop { object, .. } => object.table(),
        op => super::kinds::of(op).and_then(|kind| kind.locked_table(op)),
    }
}

/// The table a step's size-graded hazards depend on, and its size when the plan was made: written by
/// `render` as the step's size line (plan format 2), read back by `apply`.
pub use crate::planfile::{SIZE_LINE_PREFIX, StepSize};

/// The size of the table `change`'s step locks, when the step has a hazard that grows with the data and
/// the table's size is known (`sizes`, read from the target: a table the plan makes has none).
pub fn step_size(change: &Change, lock: StepLock, sizes: &BTreeMap<QualName, TableSize>) -> Option<StepSize> {
    if lock.mode == LockMode::None || !change.hazards.iter().any(|h| h.graded_by_size()) {
        return None;
    }
    let table = locked_table(change)?;
    let size = sizes.get(table)?;
    Some(StepSize { table: table.clone(), bytes: size.bytes, rows: size.rows })
}

/// The lock `change`'s step takes (a kind whose lock depends on the plan around the step says so through
/// `PlanKind::written`).
pub fn step_lock(change: &Change) -> StepLock {
    match &change.op {
        Op::SetComment { .. } | Op::ChangeComment { .. } => {
            StepLock::new(LockMode::ShareUpdateExclusive, LockDuration::Brief)
        }
        Op::Drop { object, .. } => super::kinds::of_object(object).drop_lock(object),
        op => super::kinds::of(op).expect("a change of a kind").lock(change),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_order_and_block_as_postgresql_documents() {
        assert!(LockMode::ShareUpdateExclusive < LockMode::Share);
        assert!(!LockMode::ShareUpdateExclusive.blocks_writes());
        assert!(LockMode::Share.blocks_writes() && LockMode::ShareRowExclusive.blocks_writes());
        assert!(!LockMode::ShareRowExclusive.blocks_reads() && LockMode::AccessExclusive.blocks_reads());
        let validate = StepLock::new(LockMode::ShareUpdateExclusive, LockDuration::Scan);
        assert!(validate.own_transaction() && !validate.blocks_writes_long());
        assert_eq!(validate.describe(), "SHARE UPDATE EXCLUSIVE, scan");
        let rewrite = StepLock::new(LockMode::AccessExclusive, LockDuration::Rewrite);
        assert!(rewrite.blocks_writes_long() && !rewrite.own_transaction());
    }
}
