//! Constraints and indexes of a table: matched by name, then by equivalent definition under another name
//! (DESIGN rule 2). A unique index and a unique constraint are never equivalent. An invalid index counts as
//! missing: its re-creation drops it first. A declared constraint the target has `NOT VALID` with the same
//! definition (a partial apply left it so) is validated in place, in the add class. An index whose
//! definition changed is rebuilt online (`replace_index`); the foreign keys that use a key or unique index
//! being dropped or redefined are dropped and added again around it (`dependent_foreign_keys`).

use super::model::{
    AddForm, Class, CommentOn, Comparison, EquivalentOtherName, Hazard, Obj, Op, ReplaceStage, differ,
};
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
                        let old = Obj::Index { index: index.clone(), concurrently: false };
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
fn gives_way_to_key(desired: &Table, live: &Table, index: &Index) -> bool {
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

pub(super) fn compare_indexes(desired: &Table, live: &Table, scope: &Scope, out: &mut Comparison) {
    let schema = &desired.name.schema;
    let mut matched_live: BTreeSet<&str> = BTreeSet::new();
    let mut unmatched: Vec<&Index> = Vec::new();
    for i in desired.indexes.values() {
        let key = ObjectKey::index(schema, &i.name);
        if !scope.includes(ObjectKind::Index, &key.name) {
            continue;
        }
        match live.indexes.get(&i.name) {
            Some(l) if !l.valid => {
                matched_live.insert(&l.name);
                out.missing.push(key.clone());
                create_index(i, false, true, out);
            }
            Some(l) => {
                matched_live.insert(&l.name);
                let mut diffs = Vec::new();
                let unique = |i: &Index| if i.unique { "unique" } else { "not unique" };
                diffs.extend(differ("uniqueness", unique(l), unique(i)));
                diffs.extend(differ("definition", &l.definition, &i.definition));
                if !diffs.is_empty() {
                    out.changed(key.clone(), Class::Alter, diffs);
                    replace_index(desired, l, i, out);
                }
                if let Some(text) = &i.comment {
                    let on = CommentOn::Index(QualName::new(schema, &i.name));
                    comment(out, key, on, l.comment.as_ref(), text);
                }
            }
            None => unmatched.push(i),
        }
    }
    for i in unmatched {
        let key = ObjectKey::index(schema, &i.name);
        let equivalent = live.indexes.values().find(|l| {
            l.valid
                && !matched_live.contains(l.name.as_str())
                && !desired.indexes.contains_key(&l.name)
                && l.unique == i.unique
                && l.definition == i.definition
        });
        match equivalent {
            Some(l) => {
                matched_live.insert(&l.name);
                out.equivalent_other_name.push(EquivalentOtherName {
                    declared: key,
                    live: ObjectKey::index(schema, &l.name),
                    user_named: !is_default_index_name(&desired.name.name, i),
                });
            }
            None => {
                out.missing.push(key.clone());
                create_index(i, false, false, out);
                if let Some(text) = &i.comment {
                    comment(out, key, CommentOn::Index(QualName::new(schema, &i.name)), None, text);
                }
            }
        }
    }
    for l in live.indexes.values() {
        let key = ObjectKey::index(schema, &l.name);
        if !matched_live.contains(l.name.as_str())
            && scope.includes(ObjectKind::Index, &key.name)
            && !gives_way_to_key(desired, live, l)
        {
            let concurrently = desired.partition_by.is_none() && live.partition_by.is_none();
            out.extra(Obj::Index { index: l.clone(), concurrently }, vec![]);
        }
    }
}

pub(super) fn create_index(i: &Index, table_is_new: bool, replace_invalid: bool, out: &mut Comparison) {
    let key = ObjectKey::index(&i.table.schema, &i.name);
    let hazards = if table_is_new { vec![] } else { vec![Hazard::BuildsIndex] };
    let mut hazards = hazards;
    if i.unique && !table_is_new {
        hazards.push(Hazard::MayFailOnData);
    }
    out.change(Class::Add, key, Op::CreateIndex { index: i.clone(), table_is_new, replace_invalid }, hazards);
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

/// Whether `i.name` is the name PostgreSQL chooses for an unnamed index (`ChooseIndexName`):
/// `table_<column or function name or "expr">..._idx`, with a number appended on a collision.
fn is_default_index_name(table: &str, i: &Index) -> bool {
    let Some(names) = index_column_names(&i.definition) else { return false };
    let chosen = format!("{table}_{}_idx", names.join("_"));
    i.name.trim_end_matches(|c: char| c.is_ascii_digit()) == chosen
}

/// The names PostgreSQL gives an index's columns when it chooses the index's name: a column's name, or for
/// an expression the name of the function it calls or `expr`, read from the definition (`USING btree (a,
/// lower(b))`).
pub(super) fn index_column_names(definition: &str) -> Option<Vec<String>> {
    let open = definition.find('(')?;
    let mut depth = 0;
    let mut parts = Vec::new();
    let mut current = String::new();
    for ch in definition[open + 1..].chars() {
        match ch {
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    parts.push(current);
    Some(
        parts
            .iter()
            .map(|p| {
                let p = p.trim();
                let word: String =
                    p.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
                let word = word.rsplit('.').next().unwrap_or("").to_string();
                if let Some(quoted) = p.strip_prefix('"') {
                    quoted.split('"').next().unwrap_or("").to_string()
                } else if word.is_empty() {
                    "expr".to_string()
                } else {
                    word
                }
            })
            .collect(),
    )
}

/// The referenced column list of `FOREIGN KEY (a) REFERENCES s.t(x) ...`, as written (quoted where needed).
pub fn referenced_columns(definition: &str) -> Option<Vec<String>> {
    let after = &definition[definition.find(" REFERENCES ")? + 12..];
    let open = after.find('(')?;
    let close = open + after[open..].find(')')?;
    Some(after[open + 1..close].split(',').map(|s| s.trim().to_string()).collect())
}

/// An index whose definition changed: built online under a temporary name, the old one dropped, the new one
/// renamed; on a partitioned table (no `CONCURRENTLY` there) dropped and created in one transaction.
pub(super) fn replace_index(table: &Table, live: &Index, declared: &Index, out: &mut Comparison) {
    let key = ObjectKey::index(&table.name.schema, &declared.name);
    if table.partition_by.is_some() {
        let object = Obj::Index { index: live.clone(), concurrently: false };
        let replaced_by = Some(Obj::Index { index: declared.clone(), concurrently: false });
        out.change(
            Class::Alter,
            key.clone(),
            Op::Drop { object, replaced_by },
            vec![Hazard::AccessExclusiveLock],
        );
        let bare = Index { comment: None, ..declared.clone() };
        let op = Op::CreateIndex { index: bare, table_is_new: false, replace_invalid: false };
        out.change(Class::Alter, key, op, vec![Hazard::BuildsIndex]);
        return;
    }
    for stage in [ReplaceStage::Build, ReplaceStage::DropOld, ReplaceStage::Rename] {
        let hazards = match stage {
            ReplaceStage::Build if declared.unique => vec![Hazard::BuildsIndex, Hazard::MayFailOnData],
            ReplaceStage::Build => vec![Hazard::BuildsIndex],
            _ => vec![],
        };
        let op = Op::ReplaceIndex { old: live.clone(), new: declared.clone(), stage };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
}

/// The temporary name of an index being rebuilt: the declared name with a suffix, within 63 bytes.
pub fn temporary_index_name(name: &str) -> String {
    const SUFFIX: &str = "_accrete_new";
    let mut base = name.to_string();
    while base.len() + SUFFIX.len() > 63 {
        base.pop();
    }
    format!("{base}{SUFFIX}")
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
            Op::Drop { object: Obj::Constraint { .. }, .. } => Some(c.key.clone()),
            _ => None,
        })
        .collect();
    let keys: Vec<(usize, ObjectKey)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.op {
            Op::Drop { object: Obj::Constraint { table, constraint }, .. }
                if matches!(constraint.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique) =>
            {
                Some((i, ObjectKey::index(&table.schema, &constraint.name)))
            }
            Op::Drop { object: Obj::Index { index, .. }, .. }
            | Op::ReplaceIndex { old: index, stage: ReplaceStage::DropOld, .. }
                if index.unique =>
            {
                Some((i, ObjectKey::index(&index.table.schema, &index.name)))
            }
            _ => None,
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
                        op: Op::Drop { object: old, replaced_by: None },
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

/// The constraints and indexes of a table the plan creates, in scope: made as declared, with nothing to
/// check or build against rows.
pub(super) fn create_of_new_table(table: &Table, scope: &Scope, out: &mut Comparison) {
    for c in table.constraints.values() {
        if scope.includes(ObjectKind::Constraint, &format!("{}.{}", table.name, c.name)) {
            create_constraint(&table.name, c, AddForm::NewTable, out);
        }
    }
    for i in table.indexes.values() {
        if scope.includes(ObjectKind::Index, &format!("{}.{}", table.name.schema, i.name)) {
            create_index(i, true, false, out);
        }
    }
}

/// The comments on the constraints and indexes of a table the plan creates.
pub(super) fn comments_of_new_table(table: &Table, out: &mut Comparison) {
    let name = &table.name;
    for c in table.constraints.values() {
        if let Some(text) = &c.comment {
            let on = CommentOn::Constraint(name.clone(), c.name.clone());
            comment(out, ObjectKey::constraint(name, &c.name), on, None, text);
        }
    }
    for i in table.indexes.values() {
        if let Some(text) = &i.comment {
            let index = QualName::new(&name.schema, &i.name);
            comment(out, ObjectKey::index(&name.schema, &i.name), CommentOn::Index(index), None, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(name: &str, definition: &str) -> Index {
        Index {
            name: name.into(),
            table: QualName::new("public", "users"),
            unique: false,
            method: "btree".into(),
            definition: definition.into(),
            columns: vec![],
            valid: true,
            comment: None,
        }
    }

    #[test]
    fn index_names_postgres_would_choose() {
        assert!(is_default_index_name("users", &index("users_lower_idx", "USING btree (lower(email))")));
        assert!(is_default_index_name("users", &index("users_lower_idx1", "USING btree (lower(email))")));
        assert!(!is_default_index_name("users", &index("users_email_idx", "USING btree (lower(email))")));
        assert!(is_default_index_name("users", &index("users_email_id_idx", "USING btree (email, id DESC)")));
        assert!(is_default_index_name("users", &index("users_expr_idx", "USING btree (((a + b)))")));
    }

    #[test]
    fn temporary_names_fit() {
        assert_eq!(temporary_index_name("users_email_idx"), "users_email_idx_accrete_new");
        assert_eq!(temporary_index_name(&"x".repeat(63)).len(), 63);
    }
}
