//! Constraints of a table: matched by name, then by equivalent definition under another name (DESIGN rule
//! 2). A unique index and a unique constraint are never equivalent. A declared constraint the target has
//! `NOT VALID` with the same definition (a partial apply left it so) is validated in place, in the add
//! class. A key the target lacks takes over the stand-alone index of its name where it can, else that
//! index gives way; the foreign keys that use a key or unique index being dropped or redefined are dropped
//! and added again around it (`dependent_foreign_keys`). The indexes themselves are `indexes.rs`'s, asked
//! for what a key needs of them.
use super::model::{AddForm, Class, CommentOn, Comparison, EquivalentOtherName, Hazard, Obj, Op, differ};
use super::objects::comment;
use crate::catalog::{Catalog, Constraint, ConstraintKind, Index, ObjectKey, ObjectKind, QualName, Table};
use crate::scope::Scope;
use std::collections::BTreeSet;

pub(super) fn compare_constraints(desired: &Table, live: &Table, scope: &Scope, out: &mut Comparison) {
    let table = &desired.name;
    let mut matched_live: BTreeSet<&str> = BTreeSet::new();
    let mut unmatched: Vec<&Constraint> = Vec::new();
    for c in desired.constraints.values() {
        let key = ObjectKey::constraint(table, &c.name);
        if !scope.includes(ObjectKind::Constraint, &key.name) {
            continue;
        }
        match live.constraints.get(&c.name) {
            Some(l) => {
                matched_live.insert(&l.name);
                let mut diffs = Vec::new();
                diffs.extend(differ("kind", l.kind.word(), c.kind.word()));
                diffs.extend(differ("definition", &l.definition, &c.definition));
                let valid = |c: &Constraint| if c.validated { "valid" } else { "NOT VALID" };
                let validation = differ("validation", valid(l), valid(c));
                if diffs.is_empty() && c.validated && validation.is_some() {
                    // Left `NOT VALID` (a partial apply, or added so by hand): validated in place, add class.
                    out.changed(key.clone(), Class::Add, validation.into_iter().collect());
                    let op = Op::ValidateConstraint { table: table.clone(), constraint: c.clone() };
                    out.change(
                        Class::Add,
                        key.clone(),
                        op,
                        vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData],
                    );
                } else {
                    diffs.extend(validation);
                }
                if !diffs.is_empty() {
                    out.changed(key.clone(), Class::Alter, diffs);
                    let (old, new) = (l.clone(), crate::catalog::Constraint { comment: None, ..c.clone() });
                    let hazards = constraint_drop_hazards(l);
                    super::alter::replace(
                        out,
                        Obj::Constraint { table: table.clone(), constraint: old },
                        Obj::Constraint { table: table.clone(), constraint: c.clone() },
                        hazards,
                        |out| create_constraint(table, &new, AddForm::Existing, out),
                    );
                }
                if let Some(text) = &c.comment {
                    let on = CommentOn::Constraint(table.clone(), c.name.clone());
                    comment(out, key, on, l.comment.as_ref(), text);
                }
            }
            None => unmatched.push(c),
        }
    }
    for c in unmatched {
        let equivalent = live.constraints.values().find(|l| {
            !matched_live.contains(l.name.as_str())
                && !desired.constraints.contains_key(&l.name)
                && l.kind == c.kind
                && l.definition == c.definition
        });
        let key = ObjectKey::constraint(table, &c.name);
        match equivalent {
            Some(l) => {
                matched_live.insert(&l.name);
                out.equivalent_other_name.push(EquivalentOtherName {
                    declared: key,
                    live: ObjectKey::constraint(table, &l.name),
                    user_named: !is_default_constraint_name(&table.name, c),
                });
            }
            None => {
                let other_key = (c.kind == ConstraintKind::PrimaryKey)
                    .then(|| live.constraints.values().find(|l| l.kind == ConstraintKind::PrimaryKey))
                    .flatten();
                if let Some(other) = other_key
                    && !desired.constraints.contains_key(&other.name)
                    && scope.includes(ObjectKind::Constraint, &ObjectKey::constraint(table, &other.name).name)
                {
                    // The target's primary key under another name is not declared: it gives way to the
                    // declared one (a table has one primary key), as a redefinition does.
                    matched_live.insert(&other.name);
                    out.changed(
                        key.clone(),
                        Class::Alter,
                        vec![format!(
                            "primary key: live {} ({}), declared {}",
                            other.name, other.definition, c.definition
                        )],
                    );
                    let old = Obj::Constraint { table: table.clone(), constraint: other.clone() };
                    let new = Obj::Constraint { table: table.clone(), constraint: c.clone() };
                    let bare = Constraint { comment: None, ..c.clone() };
                    super::alter::replace(out, old, new, constraint_drop_hazards(other), |out| {
                        create_constraint(table, &bare, AddForm::Existing, out)
                    });
                    continue;
                }
                if let Some(other) = other_key {
                    out.changed(
                        key,
                        Class::Alter,
                        vec![format!(
                            "primary key: live {} ({}), declared {} ({})",
                            other.name, other.definition, c.name, c.definition
                        )],
                    );
                    continue;
                }
                out.missing.push(key.clone());
                super::columns::free_not_null_name(desired, live, &c.name, &key, out);
                match index_in_the_way(desired, live, c) {
                    None => create_constraint(table, c, AddForm::Existing, out),
                    Some(index) if can_use_index(desired, c, index) => {
                        create_constraint(table, c, AddForm::UsingIndex(index.clone()), out)
                    }
                    // An index holds the name the key's index needs: it gives way, as a redefinition does.
                    Some(index) => {
                        let old = super::indexes::object(index, false);
                        let new = Obj::Constraint { table: table.clone(), constraint: c.clone() };
                        let bare = Constraint { comment: None, ..c.clone() };
                        super::alter::replace(out, old, new, vec![], |out| {
                            create_constraint(table, &bare, AddForm::Existing, out)
                        });
                    }
                }
                if let Some(text) = &c.comment {
                    let on = CommentOn::Constraint(table.clone(), c.name.clone());
                    comment(out, key, on, None, text);
                }
            }
        }
    }
    for l in live.constraints.values() {
        let key = ObjectKey::constraint(table, &l.name);
        if !matched_live.contains(l.name.as_str()) && scope.includes(ObjectKind::Constraint, &key.name) {
            let hazards = constraint_drop_hazards(l);
            out.extra(Obj::Constraint { table: table.clone(), constraint: l.clone() }, hazards);
        }
    }
}

/// The target's stand-alone index with the name of `c`, a key the target lacks whose index takes the
/// constraint's name: the key can only be added once that index is its own or gone.
fn index_in_the_way<'a>(desired: &Table, live: &'a Table, c: &Constraint) -> Option<&'a Index> {
    let keyed =
        matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion);
    let declared_index = desired.indexes.contains_key(&c.name);
    (keyed && !declared_index && !live.constraints.contains_key(&c.name))
        .then(|| live.indexes.get(&c.name))
        .flatten()
}

/// Whether `c`, a primary key or unique constraint, can take over `index` as it is (`USING INDEX`): a
/// valid unique b-tree index on exactly the key's columns, in its order, with nothing the key does not
/// say (no predicate, expression, sort order, `NULLS NOT DISTINCT` or deferral that differs), on a
/// table that is not partitioned (PostgreSQL refuses `USING INDEX` there).
fn can_use_index(desired: &Table, c: &Constraint, index: &Index) -> bool {
    let Some((words, columns)) = c.definition.split_once(" (") else { return false };
    matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
        && matches!(words, "PRIMARY KEY" | "UNIQUE")
        && desired.partition_by.is_none()
        && index.unique
        && index.valid
        && index.definition == format!("USING btree ({columns}")
}

/// A key the target lacks, whose name a stand-alone index there holds: that index is the key's (taken
/// over, or dropped for it), not an extra one.
pub(super) fn gives_way_to_key(desired: &Table, live: &Table, index: &Index) -> bool {
    desired.constraints.get(&index.name).is_some_and(|c| index_in_the_way(desired, live, c).is_some())
}

/// Foreign keys added to a partitioned table that exists are validated by the statement that adds them:
/// PostgreSQL before 18 refuses `NOT VALID` there. Their validation steps go.
pub(super) fn partitioned_foreign_keys(desired: &crate::catalog::Catalog, out: &mut Comparison) {
    let mut at_once = BTreeSet::new();
    for change in &mut out.changes {
        if let Op::AddConstraint { table, constraint, form } = &mut change.op
            && *form == AddForm::Existing
            && constraint.kind == ConstraintKind::ForeignKey
            && form.not_valid(constraint)
            && desired.tables.get(table).is_some_and(|t| t.partition_by.is_some())
        {
            *form = AddForm::AtOnce;
            change.hazards = vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData];
            at_once.insert(change.key.clone());
        }
    }
    out.changes.retain(|c| !(matches!(c.op, Op::ValidateConstraint { .. }) && at_once.contains(&c.key)));
}

/// A primary key or unique constraint that is dropped may be what foreign keys reference.
fn constraint_drop_hazards(c: &Constraint) -> Vec<Hazard> {
    match c.kind {
        ConstraintKind::PrimaryKey | ConstraintKind::Unique => vec![Hazard::BreaksDependents],
        _ => vec![],
    }
}

/// The change(s) that add a constraint as `form` says: plain on a new table; on an existing one, foreign
/// keys and checks `NOT VALID` and validated in a later transaction (or at once: [`AddForm::AtOnce`]),
/// keys building their index or taking over one ([`AddForm::UsingIndex`]).
pub(super) fn create_constraint(table: &QualName, c: &Constraint, form: AddForm, out: &mut Comparison) {
    let key = ObjectKey::constraint(table, &c.name);
    let two_phase = form == AddForm::Existing && c.validated && form.not_valid(c);
    let hazards = match (&form, c.kind) {
        (AddForm::NewTable, _) => vec![],
        (AddForm::Existing, ConstraintKind::ForeignKey | ConstraintKind::Check) => vec![],
        (AddForm::AtOnce, _) => vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData],
        // A primary key sets NOT NULL on its columns, which scans the rows of one that allows NULL.
        (AddForm::UsingIndex(_), ConstraintKind::PrimaryKey) => {
            vec![Hazard::AccessExclusiveLock, Hazard::MayFailOnData]
        }
        (AddForm::UsingIndex(_), _) => vec![Hazard::AccessExclusiveLock],
        (
            AddForm::Existing,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion,
        ) => {
            vec![Hazard::BuildsIndex, Hazard::AccessExclusiveLock, Hazard::MayFailOnData]
        }
    };
    let op = Op::AddConstraint { table: table.clone(), constraint: c.clone(), form };
    out.change(Class::Add, key.clone(), op, hazards);
    if two_phase {
        let op = Op::ValidateConstraint { table: table.clone(), constraint: c.clone() };
        out.change(Class::Add, key, op, vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData]);
    }
}

/// The name PostgreSQL chooses for an unnamed constraint (`ChooseConstraintName`): `table_col_pkey`,
/// `table_col_key`, `table_col_fkey`, `table_col_check`, `table_col_excl`; truncation to 63 bytes aside.
fn is_default_constraint_name(table: &str, c: &Constraint) -> bool {
    let suffix = match c.kind {
        ConstraintKind::PrimaryKey => return c.name == format!("{table}_pkey"),
        ConstraintKind::Unique => "key",
        ConstraintKind::ForeignKey => "fkey",
        ConstraintKind::Check => "check",
        ConstraintKind::Exclusion => "excl",
    };
    c.name.starts_with(&format!("{table}_")) && c.name.ends_with(&format!("_{suffix}"))
        || c.name.starts_with(&format!("{table}_"))
            && c.name.trim_end_matches(char::is_numeric).ends_with(suffix)
}

/// The referenced column list of `FOREIGN KEY (a) REFERENCES s.t(x) ...`, as written (quoted where needed).
pub fn referenced_columns(definition: &str) -> Option<Vec<String>> {
    let after = &definition[definition.find(" REFERENCES ")? + 12..];
    let open = after.find('(')?;
    let close = open + after[open..].find(')')?;
    Some(after[open + 1..close].split(',').map(|s| s.trim().to_string()).collect())
}

/// Foreign keys that use the index of a primary key, unique constraint or unique index being dropped or
/// redefined (PostgreSQL refuses to drop the index while a foreign key depends on it, in the live
/// `pg_depend`): dropped first and added again after, as declared or, when undeclared, as they are, as part
/// of that key's change. Added again, a foreign key binds to the key that exists then: the order puts it
/// after the key's new form (`Resource::Keys`).
pub(super) fn dependent_foreign_keys(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    // Constraints already dropped by changes of their own.
    let mut handled: BTreeSet<ObjectKey> = out
        .changes
        .iter()
        .filter_map(|c| match &c.op {
            Op::Drop { object, .. } if matches!(**object, Obj::Constraint { .. }) => Some(c.key.clone()),
            _ => None,
        })
        .collect();
    let keys: Vec<(usize, ObjectKey)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let key = match &c.op {
                Op::Drop { object, .. } => key_constraint(object),
                _ => None,
            };
            match key {
                Some((table, name)) => Some((i, ObjectKey::index(&table.schema, name))),
                None => super::indexes::unique_dropped(&c.op)
                    .map(|index| (i, ObjectKey::index(&index.table.schema, &index.name))),
            }
        })
        .collect();
    for (index, backing) in keys {
        let users: Vec<ObjectKey> = live
            .dependencies
            .iter()
            .filter(|(k, deps)| k.kind == ObjectKind::Constraint && deps.contains(&backing))
            .map(|(k, _)| k.clone())
            .collect();
        for key in users {
            if !handled.insert(key.clone()) {
                continue;
            }
            let Some((table, fk)) = live.tables.values().find_map(|t| {
                t.constraints
                    .values()
                    .find(|c| ObjectKey::constraint(&t.name, &c.name) == key)
                    .map(|c| (t, c))
            }) else {
                continue;
            };
            let declared = desired.tables.get(&table.name).and_then(|t| t.constraints.get(&fk.name));
            let subject = out.changes[index].key.clone();
            if !out.changes[index].hazards.contains(&Hazard::BreaksDependents) {
                out.changes[index].hazards.push(Hazard::BreaksDependents);
            }
            let from = out.changes.len();
            let old = Obj::Constraint { table: table.name.clone(), constraint: fk.clone() };
            // An undeclared foreign key comes back as it is only while the declared state still has a key
            // for it to reference; otherwise it goes with the key it used.
            let still_keyed = || {
                let (Some(referenced), Some(columns)) = (&fk.references, referenced_columns(&fk.definition))
                else {
                    return false;
                };
                desired.tables.get(referenced).is_some_and(|t| {
                    t.constraints.values().any(|k| {
                        matches!(k.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
                            && k.columns.iter().map(|c| crate::catalog::quote_ident(c)).collect::<Vec<_>>()
                                == columns
                    }) || t
                        .indexes
                        .values()
                        .any(|i| i.unique && unique_index_keys(&i.definition) == Some(columns.join(", ")))
                })
            };
            let again = match declared {
                Some(d) => d,
                None if still_keyed() => fk,
                None => {
                    out.changes.push(super::model::Change {
                        class: Class::Alter,
                        key: key.clone(),
                        op: Op::drop(old, None),
                        hazards: vec![Hazard::BreaksDependents],
                        part_of: Some(subject),
                    });
                    continue;
                }
            };
            let new = Obj::Constraint { table: table.name.clone(), constraint: again.clone() };
            let bare = Constraint { comment: None, ..again.clone() };
            super::alter::replace(out, old, new, vec![Hazard::BreaksDependents], |out| {
                create_constraint(&table.name, &bare, super::AddForm::Existing, out)
            });
            for change in &mut out.changes[from..] {
                change.part_of = Some(subject.clone());
            }
        }
    }
}

/// The key columns of a unique index a foreign key can reference (`USING btree (a, b) INCLUDE (c)` gives
/// `a, b`); `None` for a partial index.
fn unique_index_keys(definition: &str) -> Option<String> {
    if definition.contains(" WHERE ") {
        return None;
    }
    let rest = definition.strip_prefix("USING btree (")?;
    let end = rest.find(')')?;
    Some(rest[..end].to_string())
}

/// The constraints of a table the plan creates, in scope: made as declared, with nothing to check against
/// rows.
pub(super) fn create_of_new_table(table: &Table, scope: &Scope, out: &mut Comparison) {
    for c in table.constraints.values() {
        if scope.includes(ObjectKind::Constraint, &format!("{}.{}", table.name, c.name)) {
            create_constraint(&table.name, c, AddForm::NewTable, out);
        }
    }
}

/// The comments on the constraints of a table the plan creates.
pub(super) fn comments_of_new_table(table: &Table, out: &mut Comparison) {
    let name = &table.name;
    for c in table.constraints.values() {
        if let Some(text) = &c.comment {
            let on = CommentOn::Constraint(name.clone(), c.name.clone());
            comment(out, ObjectKey::constraint(name, &c.name), on, None, text);
        }
    }
}

/// The table and name of a primary key or unique constraint (whose index goes with it).
fn key_constraint(object: &Obj) -> Option<(&QualName, &str)> {
    match object {
        Obj::Constraint { table, constraint }
            if matches!(constraint.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique) =>
        {
            Some((table, constraint.name.as_str()))
        }
        _ => None,
    }
}
