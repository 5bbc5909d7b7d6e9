//! Indexes in a plan: created `CONCURRENTLY` on a table that exists (outside a transaction), in the step's
//! transaction on a new table (or a partitioned one without partitions, or in a rollback), and `ON ONLY` a
//! partitioned table that exists, each partition's share following in steps of its own
//! ([`Op::PartitionIndex`], `partitions`); redefined online in three steps ([`Op::ReplaceIndex`]: built
//! under a temporary name, the old one dropped, the new one renamed into place); dropped (`CONCURRENTLY`
//! where the table stays). Which form a creation takes depends on the plan around it ([`Planning`]).
//!
//! The rollback drops and builds without `CONCURRENTLY`; an index made online on a partitioned table is
//! undone by its parent's step, together with its partitions' shares ([`PlanKind::undo_with_parts`]).

mod partitions;

use super::{
    CommentTarget, FailingRows, Inverse, PlanKind, Planning, Undoing, Written, drop_again, duplicates,
    relation_comment_target,
};
use crate::catalog::{Catalog, Index, ObjectKey, QualName, index_digest, quote_ident, quote_literal};
use crate::diff::{Change, CommentOn, Hazard, Obj, Op, PartitionStage, ReplaceStage, temporary_index_name};
use crate::plan::guards::{
    Guarded, State, do_block, execute, fail, index_matches, index_name, invalid_index, skip, to_regclass,
};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;
use std::collections::BTreeSet;

pub(super) struct IndexKind;
pub(super) static INDEX: IndexKind = IndexKind;

/// How a step's `CREATE INDEX` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// In the step's transaction (a new table, a partitioned one without partitions, a rollback).
    Plain,
    /// `CONCURRENTLY`, outside a transaction (a table that exists).
    Concurrently,
    /// `ON ONLY` a partitioned table that exists; each partition's index follows in steps of its own.
    OnlyParent,
}

fn object(object: &Obj) -> (&Index, bool) {
    let Obj::Index { index, concurrently } = object else { unreachable!("an index") };
    (index, *concurrently)
}

fn commented(on: &CommentOn) -> &QualName {
    let CommentOn::Index(name) = on else { unreachable!("an index's comment") };
    name
}

fn plain(index: &Index) -> Obj {
    Obj::Index { index: index.clone(), concurrently: false }
}

/// Whether the creation is built `CONCURRENTLY`: on a table that exists and is not partitioned.
fn is_concurrent(op: &Op, desired: &Catalog) -> bool {
    match op {
        Op::CreateIndex { index, table_is_new, .. } => {
            let partitioned = desired.tables.get(&index.table).is_some_and(|t| t.partition_by.is_some());
            !table_is_new && !partitioned
        }
        _ => false,
    }
}

fn form(change: &Change, planning: &Planning<'_>) -> Form {
    if planning.online.contains(&change.key) {
        Form::OnlyParent
    } else if !planning.rollback && is_concurrent(&change.op, planning.desired) {
        Form::Concurrently
    } else {
        Form::Plain
    }
}

fn create_index(step: usize, index: &Index) -> String {
    let name = index_name(index);
    let object = format!("index {name}");
    do_block(&format!(
        "  IF {} THEN\n    {}\n  ELSIF {} THEN\n    {}\n    {}\n  ELSIF {} IS NOT NULL THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        index_matches(index),
        skip(step, &format!("{object} exists as planned")),
        invalid_index(index),
        execute(&format!("DROP INDEX {}", name.sql())),
        execute(&index.create_sql(false, false)),
        to_regclass(&name),
        fail(step, &format!("{object} exists with another definition; accrete does not change it")),
        execute(&index.create_sql(false, false)),
    ))
}

/// `CREATE INDEX CONCURRENTLY` in psql's `\gexec` form: skipped when the index exists as planned, or when
/// `done` (a condition and the skip notice it raises) holds; an invalid index under the name (a failed
/// build) is dropped concurrently first; another definition under the name fails the step.
fn create_index_concurrently_unless(step: usize, index: &Index, done: Option<(String, String)>) -> String {
    let name = index_name(index);
    let object = format!("index {name}");
    let (first, unless) = match &done {
        Some((condition, notice)) => {
            (format!("{condition} THEN\n    {notice}\n  ELSIF "), format!(" AND NOT {condition}"))
        }
        None => (String::new(), String::new()),
    };
    let decide = do_block(&format!(
        "  IF {first}{} THEN\n    {}\n  ELSIF {} IS NOT NULL AND NOT {} THEN\n    {}\n  END IF;\n",
        index_matches(index),
        skip(step, &format!("{object} exists as planned")),
        to_regclass(&name),
        invalid_index(index),
        fail(step, &format!("{object} exists with another definition; accrete does not change it")),
    ));
    format!(
        "{decide}SELECT {} WHERE {}{unless}\n\\gexec\nSELECT {} WHERE {} IS NULL{unless}\n\\gexec\n",
        quote_literal(&format!("DROP INDEX CONCURRENTLY {}", name.sql())),
        invalid_index(index),
        quote_literal(&index.create_sql(true, false)),
        to_regclass(&name)
    )
}

fn temporary(index: &Index) -> Index {
    Index { name: temporary_index_name(&index.name), ..index.clone() }
}

/// What each stage of an index rebuilt online runs (`Build` and `DropOld` through `\gexec`).
fn replace_index_sql(new: &Index, stage: ReplaceStage) -> String {
    let temp = temporary(new);
    match stage {
        ReplaceStage::Build => temp.create_sql(true, false),
        ReplaceStage::DropOld => format!("DROP INDEX CONCURRENTLY {}", index_name(new).sql()),
        ReplaceStage::Rename => {
            format!("ALTER INDEX {} RENAME TO {}", index_name(&temp).sql(), quote_ident(&new.name))
        }
    }
}

/// The three steps of an index rebuilt online; `Build` and `DropOld` are non-transactional.
fn replace_index(step: usize, old: &Index, new: &Index, stage: ReplaceStage) -> String {
    let name = index_name(new);
    let temp = temporary(new);
    let temp_name = index_name(&temp);
    let object = format!("index {name}");
    let done = skip(step, &format!("{object} is already redefined as planned"));
    match stage {
        ReplaceStage::Build => {
            let decide = do_block(&format!(
                "  IF {} THEN\n    {done}\n  ELSIF {} IS NOT NULL AND NOT {} THEN\n    {}\n  ELSIF {} IS NOT NULL AND NOT {} AND NOT {} THEN\n    {}\n  END IF;\n",
                index_matches(new),
                to_regclass(&name),
                index_matches(old),
                fail(step, &format!("{object} has neither the planned old nor new definition")),
                to_regclass(&temp_name),
                index_matches(&temp),
                invalid_index(&temp),
                fail(step, &format!("index {temp_name} exists with another definition")),
            ));
            format!(
                "{decide}SELECT {} WHERE {}\n\\gexec\nSELECT {} WHERE {} IS NULL AND NOT {}\n\\gexec\n",
                quote_literal(&format!("DROP INDEX CONCURRENTLY {}", temp_name.sql())),
                invalid_index(&temp),
                quote_literal(&replace_index_sql(new, ReplaceStage::Build)),
                to_regclass(&temp_name),
                index_matches(new),
            )
        }
        ReplaceStage::DropOld => {
            let decide = do_block(&format!(
                "  IF {} THEN\n    {done}\n  ELSIF {} IS NULL THEN\n    {}\n  ELSIF NOT {} THEN\n    {}\n  ELSIF NOT {} THEN\n    {}\n  END IF;\n",
                index_matches(new),
                to_regclass(&name),
                skip(step, &format!("the old {object} is already dropped")),
                index_matches(old),
                fail(step, &format!("{object} was changed since the plan")),
                index_matches(&temp),
                fail(
                    step,
                    &format!("the rebuilt index {temp_name} is missing or invalid; run the plan again")
                ),
            ));
            format!(
                "{decide}SELECT {} WHERE {} AND {}\n\\gexec\n",
                quote_literal(&replace_index_sql(new, ReplaceStage::DropOld)),
                index_matches(old),
                index_matches(&temp),
            )
        }
        ReplaceStage::Rename => do_block(&format!(
            "  IF {} THEN\n    {done}\n  ELSIF {} IS NULL AND {} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
            index_matches(new),
            to_regclass(&name),
            index_matches(&temp),
            execute(&replace_index_sql(new, ReplaceStage::Rename)),
            fail(
                step,
                &format!("{object} cannot be renamed into place: it exists, or {temp_name} is missing")
            ),
        )),
    }
}

/// A step's guard in `form` (which only a creation's depends on).
fn guard(step: usize, op: &Op, form: Form) -> Guarded {
    let transactional = |sql| Guarded { sql, transactional: true };
    match op {
        Op::CreateIndex { index, .. } => match form {
            Form::Concurrently => {
                Guarded { sql: create_index_concurrently_unless(step, index, None), transactional: false }
            }
            Form::OnlyParent => transactional(partitions::create_index_only(step, index)),
            Form::Plain => transactional(create_index(step, index)),
        },
        Op::PartitionIndex { index, parent, reused, partitioned, stage } => {
            partitions::partition_index(step, index, parent, *reused, *partitioned, *stage)
        }
        Op::ReplaceIndex { old, new, stage } => Guarded {
            sql: replace_index(step, old, new, *stage),
            transactional: *stage == ReplaceStage::Rename,
        },
        _ => unreachable!("an index's change"),
    }
}

/// The lock a step takes (`concurrently`: a creation built `CONCURRENTLY`).
fn lock(change: &Change, concurrently: bool) -> StepLock {
    use LockDuration::*;
    use LockMode::*;
    match &change.op {
        Op::CreateIndex { table_is_new, .. } => match (concurrently, table_is_new) {
            (true, _) => StepLock::new(ShareUpdateExclusive, Build),
            (false, true) => StepLock::new(Share, Brief),
            // `ON ONLY` a partitioned table, or a plain build on a table with rows.
            (false, false) => StepLock::new(Share, Build),
        },
        Op::PartitionIndex { stage: PartitionStage::Build, reused: false, partitioned, .. } => {
            if *partitioned {
                StepLock::new(Share, Brief)
            } else {
                StepLock::new(ShareUpdateExclusive, Build)
            }
        }
        Op::PartitionIndex { .. } => StepLock::new(ShareUpdateExclusive, Brief),
        Op::ReplaceIndex { stage: ReplaceStage::Build, .. } => StepLock::new(ShareUpdateExclusive, Build),
        Op::ReplaceIndex { .. } => StepLock::new(ShareUpdateExclusive, Brief),
        _ => unreachable!("an index's change"),
    }
}

/// The index's comment as a step of its own, when it has one.
fn comment_of(index: &Index) -> Option<(Op, Vec<Hazard>)> {
    let on = CommentOn::Index(index_name(index));
    index.comment.clone().map(|text| (Op::SetComment { on, text }, vec![]))
}

fn with_valid(c: &mut Catalog, index: &Index, comment: Option<Option<String>>) {
    if let Some(t) = c.tables.get_mut(&index.table) {
        let mut made = Index { valid: true, ..index.clone() };
        if let Some(comment) = comment {
            made.comment = comment;
        }
        t.indexes.insert(index.name.clone(), made);
    }
}

/// An index over plain columns only (`USING btree (a, b)`), not expressions or a partial predicate.
fn plain_columns(definition: &str, columns: &[String]) -> bool {
    let listed: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    definition.ends_with(&format!("({})", listed.join(", ")))
}

impl PlanKind for IndexKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        guard(step, op, Form::Plain)
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateIndex { index, table_is_new, .. } => vec![index.create_sql(!table_is_new, false)],
            Op::PartitionIndex { index, parent, partitioned, stage, .. } => {
                vec![partitions::statement(index, parent, *partitioned, *stage)]
            }
            Op::ReplaceIndex { new, stage, .. } => vec![replace_index_sql(new, *stage)],
            _ => unreachable!("an index's change"),
        }
    }

    /// Duplicate groups for a unique index over plain columns, built on a table that exists.
    fn failing_rows(&self, op: &Op) -> Option<FailingRows> {
        match op {
            Op::CreateIndex { index, table_is_new: false, .. }
                if index.unique
                    && !index.columns.is_empty()
                    && plain_columns(&index.definition, &index.columns) =>
            {
                Some(FailingRows {
                    sql: duplicates(&index.table, &index.columns),
                    counts: "duplicate groups",
                    by_conversion: None,
                })
            }
            _ => None,
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        Some(match op {
            Op::CreateIndex { table_is_new: false, replace_invalid: true, .. } => {
                "rebuild invalid".to_string()
            }
            Op::PartitionIndex { index, stage: PartitionStage::Build, partitioned: true, .. } => {
                format!("ON ONLY partition {}", index.table)
            }
            Op::PartitionIndex { index, stage: PartitionStage::Build, .. } => {
                format!("build on partition {}", index.table)
            }
            Op::PartitionIndex { parent, reused: true, .. } => format!("reuse, attach to {parent}"),
            Op::PartitionIndex { parent, .. } => format!("attach to {parent}"),
            Op::ReplaceIndex { new, stage: ReplaceStage::Build, .. } => {
                format!("build as {}", temporary_index_name(&new.name))
            }
            Op::ReplaceIndex { stage: ReplaceStage::DropOld, .. } => "drop old definition".to_string(),
            Op::ReplaceIndex { stage: ReplaceStage::Rename, .. } => {
                "rename rebuilt index into place".to_string()
            }
            _ => return None,
        })
    }

    fn written(&self, step: usize, change: &Change, planning: &Planning<'_>) -> Written {
        let form = match change.op {
            Op::CreateIndex { .. } => form(change, planning),
            _ => Form::Plain,
        };
        let guarded = guard(step, &change.op, form);
        let ddl = match (&change.op, form) {
            (Op::CreateIndex { index, .. }, Form::Concurrently) => vec![index.create_sql(true, false)],
            (Op::CreateIndex { index, .. }, Form::OnlyParent) => vec![index.create_sql(false, true)],
            (Op::CreateIndex { index, .. }, Form::Plain) => vec![index.create_sql(false, false)],
            (op, _) => self.statements(op),
        };
        let lock = lock(change, !guarded.transactional);
        Written { guarded, ddl, lock }
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            // A sub-partitioned partition's `ON ONLY` index before the concurrent builds, so that they share
            // one non-transactional segment; the attaches after them all.
            Op::PartitionIndex { stage: PartitionStage::Build, partitioned: true, .. } => 8,
            Op::PartitionIndex { stage: PartitionStage::Attach, .. } => 11,
            _ => 9,
        }
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        match op {
            Op::CreateIndex { index, .. } => {
                let mut out = vec![Resource::Index(index_name(index))];
                if index.unique {
                    out.push(Resource::Keys(index.table.clone()));
                }
                out
            }
            Op::PartitionIndex { index, stage: PartitionStage::Build, .. } => {
                vec![Resource::Index(index_name(index))]
            }
            // A redefined unique index is a key again once renamed into place: a foreign key added after
            // it binds to it.
            Op::ReplaceIndex { new, stage: ReplaceStage::Rename, .. } if new.unique => {
                vec![Resource::Keys(new.table.clone())]
            }
            _ => vec![],
        }
    }

    fn requires(&self, op: &Op, known: &Known) -> Vec<(Resource, Edge)> {
        let mut out = Vec::new();
        match op {
            Op::CreateIndex { index, .. } => {
                out.push((Resource::Table(index.table.clone()), Edge::Before));
                out.push((Resource::Columns(index.table.clone()), Edge::Before));
                known.expr(&index.definition, &mut out);
            }
            // After the index it is attached to (the partitioned table's, or a sub-partitioned partition's).
            Op::PartitionIndex { parent, .. } => out.push((Resource::Index(parent.clone()), Edge::Before)),
            _ => {}
        }
        out
    }

    fn stage(&self, op: &Op) -> Option<u8> {
        match op {
            Op::ReplaceIndex { stage, .. } => Some(*stage as u8),
            Op::PartitionIndex { stage, .. } => Some(*stage as u8),
            _ => None,
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateIndex { index, .. } => with_valid(c, index, None),
            // An attached index is a partition child index, which inspect leaves out: a reused one leaves
            // its table's list; a built one was never in it.
            Op::PartitionIndex { index, reused: true, stage: PartitionStage::Attach, .. } => {
                if let Some(t) = c.tables.get_mut(&index.table) {
                    t.indexes.remove(&index.name);
                }
            }
            Op::ReplaceIndex { new, stage: ReplaceStage::Rename, .. } => with_valid(c, new, Some(None)),
            _ => {}
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateIndex { replace_invalid: true, .. } => {
                Err(Some("rebuilt an invalid index: the valid one stays".to_string()))
            }
            Op::CreateIndex { index, .. } => drop_again(plain(index), vec![]),
            // Undone with the partitioned index it is a share of.
            Op::PartitionIndex { .. } => Err(None),
            Op::ReplaceIndex { old, new, stage: ReplaceStage::Rename } => {
                let mut out = vec![(Op::drop(plain(new), Some(plain(old))), vec![])];
                let bare = Index { comment: None, ..old.clone() };
                out.push((
                    Op::CreateIndex { index: bare, table_is_new: true, replace_invalid: false },
                    vec![Hazard::BuildsIndex],
                ));
                out.extend(comment_of(old));
                Ok(out)
            }
            Op::ReplaceIndex { .. } => Err(None),
            _ => unreachable!("an index's change"),
        }
    }

    /// An index made online on a partitioned table is undone by its parent's step, which the history
    /// gates: the partitioned index dropped (with every index attached to it), then a partition index
    /// built and never attached dropped, and a partition's own index that the plan reused (attached, so
    /// dropped with the parent) created again as it was.
    fn undo_with_parts(&self, change: &Change, parts: &[&Op]) -> Option<Vec<(ObjectKey, Op)>> {
        let Op::CreateIndex { index, replace_invalid: false, .. } = &change.op else { return None };
        let shares: Vec<&Op> =
            parts.iter().copied().filter(|op| matches!(op, Op::PartitionIndex { .. })).collect();
        if shares.is_empty() {
            return None;
        }
        let mut out = vec![(change.key.clone(), Op::drop(plain(index), None))];
        for op in shares {
            let key = |i: &Index| ObjectKey::index(&i.table.schema, &i.name);
            match op {
                Op::PartitionIndex { index, reused: false, stage: PartitionStage::Build, .. } => {
                    out.push((key(index), Op::drop(plain(index), None)));
                }
                Op::PartitionIndex { index, reused: true, .. } => {
                    out.extend(self.recreate(&plain(index)).into_iter().map(|(op, _)| (key(index), op)));
                }
                _ => {}
            }
        }
        Some(out)
    }

    fn relations(&self, op: &Op) -> Vec<QualName> {
        self.locked_table(op).into_iter().cloned().collect()
    }

    /// Made `ON ONLY` its table, a partitioned index is invalid until every partition's is attached; built
    /// and not attached yet, a partition's is valid, or invalid (a failed concurrent build, or a
    /// sub-partitioned partition's index whose own partitions are not all attached yet); a failed
    /// concurrent build leaves an invalid index, and a re-run that dropped one and failed again leaves
    /// none; between the drop and the rename of a rebuilt index it is absent.
    fn during(&self, change: &Change, _expected: &Catalog, planning: &Planning<'_>) -> Vec<Option<String>> {
        let invalid = |index: &Index| Some(index_digest(&Index { valid: false, ..index.clone() }));
        match &change.op {
            Op::CreateIndex { index, .. } if planning.online.contains(&change.key) => {
                vec![invalid(index), None]
            }
            Op::PartitionIndex { index, stage: PartitionStage::Build, .. } => {
                vec![Some(index_digest(index)), invalid(index), None]
            }
            Op::CreateIndex { index, .. } if is_concurrent(&change.op, planning.desired) => {
                vec![invalid(index), None]
            }
            Op::ReplaceIndex { stage: ReplaceStage::DropOld, .. } => vec![None],
            _ => vec![],
        }
    }

    fn lock(&self, change: &Change) -> StepLock {
        lock(change, false)
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        match op {
            Op::CreateIndex { index, .. } | Op::PartitionIndex { index, .. } => Some(&index.table),
            Op::ReplaceIndex { new, .. } => Some(&new.table),
            _ => None,
        }
    }

    fn made_on<'a>(&self, op: &'a Op) -> Option<(Option<&'a QualName>, Vec<&'a String>)> {
        match op {
            Op::CreateIndex { index, .. } => Some((Some(&index.table), index.columns.iter().collect())),
            _ => None,
        }
    }

    fn state(&self, o: &Obj) -> State {
        let (index, _) = object(o);
        State {
            exists: format!("{} IS NOT NULL", to_regclass(&index_name(index))),
            same: index_matches(index),
            object: format!("index {}", index_name(index)),
        }
    }

    fn drop_sql(&self, o: &Obj) -> String {
        let (index, concurrently) = object(o);
        format!("DROP INDEX {}{}", if concurrently { "CONCURRENTLY " } else { "" }, index_name(index).sql())
    }

    fn drop_concurrently(&self, o: &Obj) -> bool {
        object(o).1
    }

    fn in_rollback(&self, o: &Obj) -> Obj {
        plain(object(o).0)
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        17
    }

    fn drop_lock(&self, o: &Obj) -> StepLock {
        if object(o).1 {
            StepLock::new(LockMode::ShareUpdateExclusive, LockDuration::Brief)
        } else {
            StepLock::new(LockMode::AccessExclusive, LockDuration::Brief)
        }
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        let (index, _) = object(o);
        if let Some(t) = c.tables.get_mut(&index.table) {
            t.indexes.remove(&index.name);
        }
    }

    fn recreate(&self, o: &Obj) -> Undo {
        let (index, _) = object(o);
        let create = Op::CreateIndex {
            index: Index { comment: None, ..index.clone() },
            table_is_new: true,
            replace_invalid: false,
        };
        let mut out = vec![(create, vec![])];
        out.extend(comment_of(index));
        out
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        relation_comment_target("INDEX", "index", commented(on))
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Index(commented(on).clone())
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        let QualName { schema, name } = commented(on);
        if let Some(t) =
            c.tables.values_mut().find(|t| &t.name.schema == schema && t.indexes.contains_key(name))
            && let Some(index) = t.indexes.get_mut(name)
        {
            index.comment = text;
        }
    }
}

/// `index` made again on its table, which exists (a key that had taken it over is dropped): built in
/// the step's transaction, as a rollback does.
pub(super) fn made_again(index: &Index) -> (Op, Vec<Hazard>) {
    let op = Op::CreateIndex { index: index.clone(), table_is_new: false, replace_invalid: false };
    (op, vec![Hazard::BuildsIndex])
}

/// The indexes on partitioned tables whose partitions get theirs in steps of their own.
pub(super) fn online(changes: &[Change]) -> BTreeSet<ObjectKey> {
    changes
        .iter()
        .filter(|c| matches!(c.op, Op::PartitionIndex { .. }))
        .filter_map(|c| c.part_of.clone())
        .collect()
}
