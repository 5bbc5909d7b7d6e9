//! Tables in a plan: created with their columns (and what the `CREATE TABLE` says: keys, partitioning,
//! storage options), their row security switched on or off, made (un)logged, their storage options and
//! replica identity changed, attached to a partitioned parent or detached, dropped. A table dropped takes
//! its parts along (columns, constraints and their indexes, indexes, triggers, rules, policies, comments)
//! and holds data: the rollback cannot make it again, not even where it was dropped to make a view of its
//! name.
//!
//! The SQL builders stay with the other guards (`guards::create_table`, `guards_code::row_security`,
//! `guards_alter::set_logged` ...); this module says which one each change runs, and its other facets.

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, relation_comment_target, transactional};
use crate::catalog::{Catalog, GrantOn, ObjectKey, QualName, ReplicaIdentity, Table};
use crate::diff::{Change, CommentOn, Hazard, Obj, Op};
use crate::plan::guards::{Guarded, State, create_table, create_table_sql, table_state};
use crate::plan::guards_alter as alter;
use crate::plan::guards_code::{row_security, row_security_sql};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource, table_requires};
use crate::plan::rollback::Undo;

pub(super) struct TableKind;
pub(super) static TABLE: TableKind = TableKind;

fn object(object: &Obj) -> &Table {
    let Obj::Table(t) = object else { unreachable!("a table") };
    t
}

fn commented(on: &CommentOn) -> &QualName {
    let CommentOn::Table(t) = on else { unreachable!("a table's comment") };
    t
}

/// Row security: (`FORCE`, on).
fn row_security_of(op: &Op) -> Option<(&QualName, bool, bool)> {
    Some(match op {
        Op::EnableRowSecurity { table } => (table, false, true),
        Op::ForceRowSecurity { table } => (table, true, true),
        Op::DisableRowSecurity { table } => (table, false, false),
        Op::NoForceRowSecurity { table } => (table, true, false),
        _ => return None,
    })
}

fn table_mut<'a>(c: &'a mut Catalog, table: &QualName) -> Option<&'a mut Table> {
    c.tables.get_mut(table)
}

impl PlanKind for TableKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        if let Some((table, force, on)) = row_security_of(op) {
            return transactional(row_security(step, table, force, on));
        }
        transactional(match op {
            Op::CreateTable(t) => create_table(step, t),
            Op::SetLogged { table, unlogged } => alter::set_logged(step, table, *unlogged),
            Op::SetTableOptions { table, from, to } => alter::set_table_options(step, table, from, to),
            Op::SetReplicaIdentity { table, from, to } => {
                alter::set_replica_identity(step, table, from.as_ref(), to.as_ref())
            }
            Op::SetPartitionOf { table, from, to } => {
                alter::set_partition_of(step, table, from.as_ref(), to.as_ref())
            }
            _ => unreachable!("a table's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        if let Some((table, force, on)) = row_security_of(op) {
            return vec![row_security_sql(table, force, on)];
        }
        match op {
            Op::CreateTable(t) => vec![create_table_sql(t)],
            Op::SetLogged { table, unlogged } => vec![alter::set_logged_sql(table, *unlogged)],
            Op::SetTableOptions { table, from, to } => vec![alter::table_options_sql(table, from, to)],
            Op::SetReplicaIdentity { table, to, .. } => vec![alter::replica_identity_sql(table, to.as_ref())],
            Op::SetPartitionOf { table, from, to } => {
                alter::partition_of_sql(table, from.as_ref(), to.as_ref())
            }
            _ => unreachable!("a table's change"),
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        Some(match op {
            Op::EnableRowSecurity { .. } => "enable row level security".to_string(),
            Op::ForceRowSecurity { .. } => "force row level security".to_string(),
            Op::DisableRowSecurity { .. } => "disable row level security".to_string(),
            Op::NoForceRowSecurity { .. } => "no force row level security".to_string(),
            Op::SetLogged { unlogged: true, .. } => "set unlogged".to_string(),
            Op::SetLogged { unlogged: false, .. } => "set logged".to_string(),
            Op::SetTableOptions { .. } => "storage parameters".to_string(),
            Op::SetPartitionOf { to: Some(to), from: None, .. } => format!("attach to {}", to.parent),
            Op::SetPartitionOf { to: Some(to), .. } => format!("bounds {}", to.bound),
            Op::SetPartitionOf { to: None, .. } => "detach".to_string(),
            Op::SetReplicaIdentity { to, .. } => {
                format!("replica identity {}", ReplicaIdentity::describe(to.as_ref()))
            }
            _ => return None,
        })
    }

    fn summary_noun(&self, op: &Op) -> Option<&'static str> {
        row_security_of(op).map(|_| "row level security change")
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            Op::CreateTable(_) => 5,
            Op::SetLogged { .. } | Op::SetTableOptions { .. } => 6,
            // After the column changes that make its columns the parent's.
            Op::SetPartitionOf { .. } => 9,
            // After the index it names.
            Op::SetReplicaIdentity { .. } => 10,
            // Row security.
            _ => 14,
        }
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        match op {
            Op::CreateTable(t) => {
                let mut out = vec![Resource::Table(t.name.clone()), Resource::Type(t.name.clone())];
                out.extend(t.columns.iter().map(|c| Resource::Column(t.name.clone(), c.name.clone())));
                out
            }
            _ => vec![],
        }
    }

    fn requires(&self, op: &Op, known: &Known) -> Vec<(Resource, Edge)> {
        let mut out = Vec::new();
        let before = |r: Resource| (r, Edge::Before);
        match op {
            Op::CreateTable(t) => table_requires(t, known, &mut out),
            Op::EnableRowSecurity { table }
            | Op::ForceRowSecurity { table }
            | Op::DisableRowSecurity { table }
            | Op::NoForceRowSecurity { table } => {
                out.push(before(Resource::Table(table.clone())));
                out.push(before(Resource::Columns(table.clone())));
            }
            Op::SetTableOptions { table, .. } => out.push(before(Resource::Table(table.clone()))),
            // After the parent, and the columns the table gains to match it.
            Op::SetPartitionOf { table, to, .. } => {
                out.push(before(Resource::Table(table.clone())));
                out.push(before(Resource::Columns(table.clone())));
                if let Some(to) = to {
                    out.push(before(Resource::Table(to.parent.clone())));
                }
            }
            // After the table, and the index (or key) it names, whether the plan creates or redefines it.
            Op::SetReplicaIdentity { table, to, .. } => {
                out.push(before(Resource::Table(table.clone())));
                if let Some(crate::catalog::ReplicaIdentity::Index(index)) = to {
                    out.push(before(Resource::Index(QualName::new(&table.schema, index))));
                    out.push(before(Resource::Constraint(table.clone(), index.clone())));
                    out.push(before(Resource::Keys(table.clone())));
                    out.push(before(Resource::Columns(table.clone())));
                }
            }
            _ => {}
        }
        out
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        if let Some((table, force, on)) = row_security_of(op) {
            if let Some(t) = table_mut(c, table) {
                if force {
                    t.rls_forced = on;
                } else {
                    t.rls_enabled = on;
                }
            }
            return;
        }
        match op {
            Op::CreateTable(t) => {
                c.tables.insert(t.name.clone(), t.clone());
            }
            Op::SetLogged { table, unlogged } => {
                if let Some(t) = table_mut(c, table) {
                    t.unlogged = *unlogged;
                }
            }
            Op::SetTableOptions { table, to, .. } => {
                if let Some(t) = table_mut(c, table) {
                    t.options = to.clone();
                }
            }
            Op::SetReplicaIdentity { table, to, .. } => {
                if let Some(t) = table_mut(c, table) {
                    t.replica_identity = to.clone();
                }
            }
            Op::SetPartitionOf { table, to, .. } => {
                if let Some(t) = table_mut(c, table) {
                    t.partition_of = to.clone();
                }
            }
            _ => unreachable!("a table's change"),
        }
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        match op {
            Op::CreateTable(t) => Some(GrantOn::Table(t.name.clone())),
            _ => None,
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        let table = |t: &QualName| t.clone();
        Ok(vec![match &change.op {
            Op::CreateTable(t) => return drop_again(Obj::Table(t.clone()), vec![Hazard::DeletesData]),
            Op::EnableRowSecurity { table: t } => {
                (Op::DisableRowSecurity { table: table(t) }, vec![Hazard::DisablesRls])
            }
            Op::ForceRowSecurity { table: t } => {
                (Op::NoForceRowSecurity { table: table(t) }, vec![Hazard::DisablesRls])
            }
            Op::DisableRowSecurity { table: t } => {
                (Op::EnableRowSecurity { table: table(t) }, vec![Hazard::EnablesRls])
            }
            Op::NoForceRowSecurity { table: t } => {
                (Op::ForceRowSecurity { table: table(t) }, vec![Hazard::EnablesRls])
            }
            Op::SetTableOptions { table: t, from, to } => {
                (Op::SetTableOptions { table: table(t), from: to.clone(), to: from.clone() }, vec![])
            }
            Op::SetPartitionOf { table: t, from, to } => (
                Op::SetPartitionOf { table: table(t), from: to.clone(), to: from.clone() },
                vec![Hazard::AccessExclusiveLock, Hazard::ValidatesConstraint, Hazard::MayFailOnData],
            ),
            Op::SetReplicaIdentity { table: t, from, to } => (
                Op::SetReplicaIdentity { table: table(t), from: to.clone(), to: from.clone() },
                vec![Hazard::AccessExclusiveLock],
            ),
            Op::SetLogged { table: t, unlogged } => (
                Op::SetLogged { table: table(t), unlogged: !unlogged },
                vec![Hazard::RewritesTable, Hazard::AccessExclusiveLock],
            ),
            _ => unreachable!("a table's change"),
        }])
    }

    fn relations(&self, op: &Op) -> Vec<QualName> {
        match op {
            Op::SetPartitionOf { table, from, to } => {
                let parents = from.iter().chain(to.iter()).map(|p| p.parent.clone());
                std::iter::once(table.clone()).chain(parents).collect()
            }
            // Row security, storage options and replica identity do not count towards the bound.
            Op::CreateTable(_) | Op::SetLogged { .. } => self.locked_table(op).into_iter().cloned().collect(),
            _ => vec![],
        }
    }

    fn lock(&self, change: &Change) -> StepLock {
        use LockDuration::*;
        use LockMode::*;
        match &change.op {
            Op::SetLogged { .. } => StepLock::new(AccessExclusive, Rewrite),
            // Every storage parameter accrete plans takes this lock or a weaker one (fillfactor, autovacuum,
            // toast settings); some (parallel_workers, vacuum_truncate ...) take less. Nothing is rewritten.
            Op::SetTableOptions { .. } => StepLock::new(ShareUpdateExclusive, Brief),
            // Attaching scans the rows against the bounds (detaching locks the parent too).
            Op::SetPartitionOf { .. } => StepLock::new(AccessExclusive, Scan),
            // Created, row security, replica identity.
            _ => StepLock::new(AccessExclusive, Brief),
        }
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        if let Some((table, ..)) = row_security_of(op) {
            return Some(table);
        }
        match op {
            Op::CreateTable(t) => Some(&t.name),
            Op::SetLogged { table, .. }
            | Op::SetTableOptions { table, .. }
            | Op::SetReplicaIdentity { table, .. }
            | Op::SetPartitionOf { table, .. } => Some(table),
            _ => None,
        }
    }

    fn state(&self, o: &Obj) -> State {
        table_state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        format!("DROP TABLE {}", object(o).name.sql())
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        21
    }

    /// A table takes its parts along (columns and their defaults, constraints, indexes, triggers, rules,
    /// policies): what one of them uses in the live `pg_depend` (a function a trigger or a default calls,
    /// a table another dropped table's foreign key references) is dropped after the table.
    fn drop_provides(&self, o: &Obj) -> Vec<Resource> {
        let table = object(o);
        let name = &table.name;
        let mut out = Vec::new();
        out.extend(table.columns.iter().map(|c| Resource::Dropped(ObjectKey::column(name, &c.name))));
        out.extend(table.constraints.keys().map(|c| Resource::Dropped(ObjectKey::constraint(name, c))));
        // A key's index, which foreign keys depend on, goes with its constraint.
        out.extend(table.constraints.keys().map(|c| Resource::Dropped(ObjectKey::index(&name.schema, c))));
        out.extend(table.indexes.keys().map(|i| Resource::Dropped(ObjectKey::index(&name.schema, i))));
        out.extend(table.triggers.keys().map(|t| Resource::Dropped(ObjectKey::trigger(name, t))));
        out.extend(table.rules.keys().map(|r| Resource::Dropped(ObjectKey::rule(name, r))));
        out.extend(table.policies.keys().map(|p| Resource::Dropped(ObjectKey::policy(name, p))));
        out
    }

    fn drop_lock(&self, _object: &Obj) -> StepLock {
        StepLock::new(LockMode::AccessExclusive, LockDuration::Brief)
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.tables.remove(&object(o).name);
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        Some(GrantOn::Table(object(o).name.clone()))
    }

    fn holds_data(&self, _object: &Obj) -> bool {
        true
    }

    fn whole<'a>(&self, o: &'a Obj) -> Option<&'a QualName> {
        Some(&object(o).name)
    }

    fn data_gone_when_replaced(&self, _object: &Obj) -> bool {
        true
    }

    fn recreate(&self, _object: &Obj) -> Undo {
        vec![]
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        relation_comment_target("TABLE", "table", commented(on))
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Table(commented(on).clone())
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        if let Some(t) = table_mut(c, commented(on)) {
            t.comment = text;
        }
    }

    fn comment_table<'a>(&self, on: &'a CommentOn) -> Option<&'a QualName> {
        Some(commented(on))
    }
}
