//! Tables: created whole when missing; otherwise their columns, constraints, indexes and comments are
//! compared one by one. A declared table whose name the database holds as another kind of relation, or as a
//! partition where a standalone table is declared, is `changed` ("kind differs"), never `missing`. A plain
//! table declared a partition, or a partition declared with other bounds, is attached in place when its
//! parent is partitioned as declared; a partition whose parent is not is reported, not made. Row-level
//! security is enabled or forced where declared and turned off in place where it is not.

use super::columns::compare_columns;
use super::constraints::compare_constraints;
use super::indexes::compare_indexes;
use super::keyed::{Side, keyed};
use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, differ};
use super::objects::comment;
use crate::catalog::{Catalog, ObjectKey, QualName, ReplicaIdentity, Table};
use crate::scope::Scope;
use std::collections::BTreeMap;

pub(super) fn compare_tables(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in
        keyed(&desired.tables, &live.tables, ObjectKey::table, |key, _| scope.includes(key.kind, &key.name))
    {
        let (name, key, table) = match side {
            Side::Declared { name, key, declared } => (name, key, declared),
            Side::Extra { name, live: l } => {
                // An undeclared table is reported once; its parts are not listed separately. A view
                // declared under its name replaces it.
                let hazards = vec![Hazard::DeletesData, Hazard::NotReversible, Hazard::AccessExclusiveLock];
                let view = super::views::declared_in_place(desired, name, scope);
                out.extra_replaced(Obj::Table(l.clone()), view, hazards);
                continue;
            }
        };
        match live.tables.get(name) {
            None => match live
                .other_relations
                .get(name)
                .cloned()
                .or_else(|| live.views.get(name).map(|v| v.kind_word().to_string()))
            {
                Some(kind) => {
                    out.changed(
                        key.clone(),
                        Class::Alter,
                        vec![format!("kind differs: live {kind}, declared table")],
                    );
                    if let Some(view) = live.views.get(name) {
                        // Made where the view is dropped (drop:view admits both).
                        let from = out.changes.len();
                        create_table(table, scope, out);
                        out.missing.retain(|k| *k != key);
                        super::alter::serve(out, from, ObjectKey::view(&view.name));
                    }
                }
                None => match parent_not_partitioned(desired, live, table) {
                    Some(why) => out.changed(key.clone(), Class::Alter, vec![why]),
                    None => create_table(table, scope, out),
                },
            },
            Some(l) => {
                let attach = attachable(desired, live, table, l);
                let kind = differ("kind", l.kind_word(), table.kind_word());
                if let Some(kind) = kind
                    && !attach
                {
                    out.changed(key, Class::Alter, vec![format!("kind differs ({kind})")]);
                    continue;
                }
                compare_table(table, l, scope, out);
                if attach {
                    let op = Op::SetPartitionOf {
                        table: name.clone(),
                        from: l.partition_of.clone(),
                        to: table.partition_of.clone(),
                    };
                    let hazards =
                        vec![Hazard::AccessExclusiveLock, Hazard::ValidatesConstraint, Hazard::MayFailOnData];
                    out.change(Class::Alter, key, op, hazards);
                }
            }
        }
    }
}

/// The table declared under `name` where the target has a view, in scope, as the object that replaces the
/// view (`views.rs` drops it for this): a partition cannot replace one, its parent being no view.
pub(super) fn declared_in_place(desired: &Catalog, name: &QualName, scope: &Scope) -> Option<Obj> {
    let key = ObjectKey::table(name);
    let table = desired.tables.get(name).filter(|t| t.partition_of.is_none());
    table.filter(|_| scope.includes(key.kind, &key.name)).map(|t| Obj::Table(t.clone()))
}

/// Why a declared partition the target lacks cannot be made: its parent (or an ancestor) is on the target,
/// but not partitioned as declared. PostgreSQL cannot partition a table in place: it takes a new table, a
/// copy of the rows and a rename, which accrete does not plan (the parent is reported as well).
fn parent_not_partitioned(desired: &Catalog, live: &Catalog, table: &Table) -> Option<String> {
    let of = table.partition_of.as_ref()?;
    let declared = desired.tables.get(&of.parent)?;
    match live.tables.get(&of.parent) {
        Some(parent) if parent.partition_by != declared.partition_by => Some(format!(
            "not made: its parent {} is {} on the target, declared PARTITION BY {}; a partition can be made \
             once the parent is partitioned so, which takes a new table and a copy of its rows (by hand)",
            of.parent,
            parent
                .partition_by
                .as_ref()
                .map_or("not partitioned".to_string(), |p| format!("PARTITION BY {p}")),
            declared.partition_by.as_deref().unwrap_or("nothing"),
        )),
        Some(_) => None,
        None => parent_not_partitioned(desired, live, declared)
            .map(|_| format!("not made: its parent {} cannot be made (see it)", of.parent)),
    }
}

/// Whether `table`, declared a partition, can be made one in place from `l`, what the target has: a
/// plain table (attached) or a partition of the same parent with other bounds (detached and attached
/// again), partitioned itself as declared, of a parent the target has partitioned as declared. Its columns
/// must match the parent's, which PostgreSQL checks as it attaches (column changes come first).
fn attachable(desired: &Catalog, live: &Catalog, table: &Table, l: &Table) -> bool {
    let Some(to) = &table.partition_of else { return false };
    let parent_as_declared = match (live.tables.get(&to.parent), desired.tables.get(&to.parent)) {
        (Some(lp), Some(dp)) => lp.partition_by.is_some() && lp.partition_by == dp.partition_by,
        _ => false,
    };
    l.partition_of.as_ref() != Some(to)
        && l.partition_of.as_ref().is_none_or(|from| from.parent == to.parent)
        && l.partition_by == table.partition_by
        && l.inherits.is_empty()
        && table.inherits.is_empty()
        && parent_as_declared
}

fn create_table(table: &Table, scope: &Scope, out: &mut Comparison) {
    let key = ObjectKey::table(&table.name);
    out.missing.push(key.clone());
    let bare = Table {
        constraints: BTreeMap::new(),
        indexes: BTreeMap::new(),
        triggers: BTreeMap::new(),
        rules: BTreeMap::new(),
        policies: BTreeMap::new(),
        rls_enabled: false,
        rls_forced: false,
        replica_identity: None,
        comment: None,
        columns: table
            .columns
            .iter()
            .map(|c| crate::catalog::Column { comment: None, ..super::columns::without_not_valid(c) })
            .collect(),
        ..table.clone()
    };
    out.change(Class::Add, key.clone(), Op::CreateTable(bare), vec![]);
    if table.replica_identity.is_some() {
        let op = Op::SetReplicaIdentity {
            table: table.name.clone(),
            from: None,
            to: table.replica_identity.clone(),
        };
        out.change(Class::Add, key.clone(), op, vec![]);
    }
    for c in &table.columns {
        super::columns::add_not_valid(&table.name, c, out);
    }
    super::constraints::create_of_new_table(table, scope, out);
    super::indexes::create_of_new_table(table, scope, out);
    comments_of_new_table(table, out);
    compare_table_code(table, None, scope, out);
}

/// Comments on a table created by the plan, on it and its columns, constraints and indexes.
fn comments_of_new_table(table: &Table, out: &mut Comparison) {
    let name = &table.name;
    if let Some(text) = &table.comment {
        comment(out, ObjectKey::table(name), CommentOn::Table(name.clone()), None, text);
    }
    super::columns::comments_of_new_table(table, out);
    super::constraints::comments_of_new_table(table, out);
    super::indexes::comments_of_new_table(table, out);
}

fn compare_table(desired: &Table, live: &Table, scope: &Scope, out: &mut Comparison) {
    let key = ObjectKey::table(&desired.name);
    let mut diffs = Vec::new();
    diffs.extend(differ("unlogged", live.unlogged, desired.unlogged));
    let names = |v: &[crate::catalog::QualName]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
        }
    };
    diffs.extend(differ("inherits", names(&live.inherits), names(&desired.inherits)));
    let part = |t: &Table| t.partition_by.clone().unwrap_or_else(|| "none".into());
    diffs.extend(differ("partition by", part(live), part(desired)));
    let bound = |t: &Table| {
        t.partition_of.as_ref().map(|p| format!("{} {}", p.parent, p.bound)).unwrap_or_else(|| "none".into())
    };
    diffs.extend(differ("partition of", bound(live), bound(desired)));
    let options = |t: &Table| if t.options.is_empty() { "none".to_string() } else { t.options.join(", ") };
    diffs.extend(differ("storage parameters", options(live), options(desired)));
    let identity = |t: &Table| ReplicaIdentity::describe(t.replica_identity.as_ref());
    diffs.extend(differ("replica identity", identity(live), identity(desired)));
    if !diffs.is_empty() {
        out.changed(key.clone(), Class::Alter, diffs);
    }
    if live.options != desired.options {
        let op = Op::SetTableOptions {
            table: desired.name.clone(),
            from: live.options.clone(),
            to: desired.options.clone(),
        };
        out.change(Class::Alter, key.clone(), op, vec![]);
    }
    if live.replica_identity != desired.replica_identity {
        let op = Op::SetReplicaIdentity {
            table: desired.name.clone(),
            from: live.replica_identity.clone(),
            to: desired.replica_identity.clone(),
        };
        out.change(Class::Alter, key.clone(), op, vec![Hazard::AccessExclusiveLock]);
    }
    if live.unlogged != desired.unlogged && live.partition_by.is_none() {
        let op = Op::SetLogged { table: desired.name.clone(), unlogged: desired.unlogged };
        out.change(Class::Alter, key.clone(), op, vec![Hazard::RewritesTable, Hazard::AccessExclusiveLock]);
    }
    if let Some(text) = &desired.comment {
        comment(out, key, CommentOn::Table(desired.name.clone()), live.comment.as_ref(), text);
    }
    compare_columns(desired, live, scope, out);
    compare_constraints(desired, live, scope, out);
    compare_indexes(desired, live, scope, out);
    compare_table_code(desired, Some(live), scope, out);
}

/// Hazards of adding a column to a table that has rows.
pub(super) fn add_column_hazards(column: &crate::catalog::Column) -> Vec<Hazard> {
    let mut hazards = Vec::new();
    let rewrites = column.identity.is_some()
        || column.serial.is_some()
        // A stored generated column is computed for every row; a virtual one (PostgreSQL 18) is not stored.
        || column.generated.as_deref().is_some_and(|g| !crate::catalog::split_generated(g).1)
        || column.default.as_deref().is_some_and(is_volatile);
    if rewrites {
        hazards.push(Hazard::RewritesTable);
        hazards.push(Hazard::AccessExclusiveLock);
    }
    let filled = column.default.is_some()
        || column.identity.is_some()
        || column.serial.is_some()
        || column.generated.is_some();
    if column.not_null && !filled {
        hazards.push(Hazard::MayFailOnData);
    }
    hazards
}

/// Whether a default expression calls a volatile function, so that `ADD COLUMN` must rewrite the table
/// (PostgreSQL 11+ stores a non-volatile default without a rewrite). The list covers core and common
/// extension functions; an unknown function counts as volatile, which errs on the side of showing a hazard.
fn is_volatile(expr: &str) -> bool {
    const STABLE_OR_IMMUTABLE: &[&str] = &[
        "now",
        "current_timestamp",
        "current_date",
        "current_time",
        "localtimestamp",
        "transaction_timestamp",
        "statement_timestamp",
        "timezone",
        "jsonb_build_object",
        "json_build_object",
        "jsonb_build_array",
        "array",
        "lower",
        "upper",
        "make_interval",
        "to_jsonb",
        "coalesce",
        "current_user",
        "current_setting",
    ];
    let mut rest = expr;
    while let Some(open) = rest.find('(') {
        let before = &rest[..open];
        let name: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '"')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let bare = name.rsplit('.').next().unwrap_or("").trim_matches('"').to_lowercase();
        if !bare.is_empty() && !STABLE_OR_IMMUTABLE.contains(&bare.as_str()) && !is_type_name(&bare) {
            return true;
        }
        rest = &rest[open + 1..];
    }
    false
}

/// Type modifiers and casts look like calls: `numeric(12,2)`, `character varying(20)`.
fn is_type_name(name: &str) -> bool {
    matches!(
        name,
        "numeric"
            | "varying"
            | "character"
            | "varchar"
            | "char"
            | "bit"
            | "timestamp"
            | "time"
            | "interval"
            | "decimal"
            | "float"
    )
}

/// Triggers, rules, policies and row-level security of a table; `live` is `None` for a table the plan
/// creates.
fn compare_table_code(desired: &Table, live: Option<&Table>, scope: &Scope, out: &mut Comparison) {
    let name = &desired.name;
    let empty = Table::default();
    let l = live.unwrap_or(&empty);
    super::parts::compare_parts(
        name,
        (&desired.triggers, &desired.rules),
        (&l.triggers, &l.rules),
        scope,
        out,
    );
    super::policies::compare_policies(desired, l, scope, out);
    row_security(desired, live, out);
    if let Some(live) = live {
        let (declared, held) = ((&desired.triggers, &desired.rules), (&live.triggers, &live.rules));
        super::parts::extra_parts(name, declared, held, scope, out);
        super::policies::extra_policies(desired, live, scope, out);
    }
}

/// Row-level security: enabled or forced where declared (add class), turned off in place where the
/// database has it and the files do not (alter class, `disables-rls`).
fn row_security(desired: &Table, live: Option<&Table>, out: &mut Comparison) {
    let name = &desired.name;
    let empty = Table::default();
    let l = live.unwrap_or(&empty);
    let key = ObjectKey::table(name);
    if desired.rls_enabled && !l.rls_enabled {
        let op = Op::EnableRowSecurity { table: name.clone() };
        out.change(Class::Add, key.clone(), op, vec![Hazard::EnablesRls]);
    }
    if desired.rls_forced && !l.rls_forced {
        out.change(
            Class::Add,
            key.clone(),
            Op::ForceRowSecurity { table: name.clone() },
            vec![Hazard::EnablesRls],
        );
    }
    if let Some(live) = live {
        let mut diffs = Vec::new();
        if live.rls_enabled && !desired.rls_enabled {
            diffs.push("row level security: live enabled, declared disabled".to_string());
        }
        if live.rls_forced && !desired.rls_forced {
            diffs.push("row level security: live forced, declared not forced".to_string());
        }
        if !diffs.is_empty() {
            out.changed(key.clone(), Class::Alter, diffs);
        }
        // Turned off in place; both widen who sees rows (`disables-rls`).
        if live.rls_enabled && !desired.rls_enabled {
            let op = Op::DisableRowSecurity { table: name.clone() };
            out.change(Class::Alter, key.clone(), op, vec![Hazard::DisablesRls]);
        }
        if live.rls_forced && !desired.rls_forced {
            let op = Op::NoForceRowSecurity { table: name.clone() };
            out.change(Class::Alter, key.clone(), op, vec![Hazard::DisablesRls]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_volatile;

    #[test]
    fn volatile_defaults() {
        assert!(is_volatile("gen_random_uuid()"));
        assert!(is_volatile("nextval('app.s'::regclass)"));
        assert!(is_volatile("clock_timestamp()"));
        assert!(!is_volatile("now()"));
        assert!(!is_volatile("CURRENT_TIMESTAMP"));
        assert!(!is_volatile("'{}'::jsonb"));
        assert!(!is_volatile("0.00"));
        assert!(!is_volatile("'x'::character varying(20)"));
    }
}
