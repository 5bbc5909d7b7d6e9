//! Domains and composite types redefined: what PostgreSQL can change in place, part by part, and what it
//! cannot.
//!
//! A domain's default, NOT NULL and CHECK constraints change with `ALTER DOMAIN` (a check is added
//! `NOT VALID` and validated in a later transaction; a changed one is dropped and added again). A composite
//! type's attributes are added (appended), dropped, or given another type (`ALTER ATTRIBUTE ... TYPE`,
//! refused by PostgreSQL while a table column uses the type). What PostgreSQL cannot change in place (a
//! domain's base type or collation, a composite type's attribute order, an attribute's type under a column)
//! is made again (drop and create) when nothing uses the type, and otherwise reported, with why, and not
//! planned at all: a partial plan would hide what is left.
//!
//! Every step is of the alter class, except an attribute dropped (drop class: its values are gone). A
//! missing type is created; a domain's checks that call a function being dropped are set aside around it
//! (`domain_checks_along`).

use super::code::{Defined, compare_defined};
use super::keyed::keyed;
use super::model::{Class, CommentOn, Comparison, Hazard, Obj, Op, TypeChange};
use crate::catalog::{Attribute, Catalog, Domain, ObjectKey, TypeDef};
use crate::scope::Scope;

pub(super) fn compare_types(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    for side in
        keyed(&desired.types, &live.types, ObjectKey::type_def, |key, _| scope.includes(key.kind, &key.name))
    {
        let Some((name, key, t)) = side.declared_or_extra(out, |l| (Obj::Type(l.clone()), vec![])) else {
            continue;
        };
        let l = live.types.get(name);
        if l.is_none() {
            let kind = live
                .other_relations
                .get(name)
                .cloned()
                .or_else(|| live.enums.get(name).map(|_| "enum".into()));
            if let Some(kind) = kind {
                out.changed(
                    key,
                    Class::Alter,
                    vec![format!("kind differs: live {kind}, declared {}", t.kind)],
                );
                continue;
            }
        }
        compare_defined(
            out,
            key,
            CommentOn::type_def(name),
            Defined { definition: &t.definition, comment: t.comment.as_ref() },
            l.map(|l| Defined { definition: &l.definition, comment: l.comment.as_ref() }),
            || Op::CreateType(crate::catalog::TypeDef { comment: None, ..t.clone() }),
        );
        if let Some(l) = l.filter(|l| l.definition != t.definition) {
            super::types::redefine(live, l, t, out);
        }
    }
}

/// The changes that take `live` to `declared` (same name, same kind, definitions differ).
pub(super) fn redefine(live_catalog: &Catalog, live: &TypeDef, declared: &TypeDef, out: &mut Comparison) {
    let key = ObjectKey::type_def(&declared.name);
    let steps = match (&live.domain, &declared.domain) {
        (Some(l), Some(d)) => domain(l, d),
        (None, None) if live.kind == "composite" && declared.kind == "composite" => {
            composite(&live.attributes, &declared.attributes)
        }
        _ if live.kind != declared.kind => {
            Err(format!("kind: live {}, declared {}", live.kind, declared.kind))
        }
        _ => Err(format!("PostgreSQL cannot alter a {} type in place", declared.kind)),
    };
    let Users { all: users, columns } = users(live_catalog, live);
    let steps = match steps {
        Ok(steps)
            if !columns.is_empty()
                && steps.iter().any(|(c, _)| matches!(c, TypeChange::AttributeType { .. })) =>
        {
            Err(format!(
                "PostgreSQL refuses ALTER ATTRIBUTE ... TYPE while a table column uses the type ({}): \
                 convert the columns off it, change it, and convert them back",
                columns.join(", ")
            ))
        }
        steps => steps,
    };
    match steps {
        Ok(steps) => {
            for (change, class) in steps {
                let hazards = hazards(&change, !users.is_empty());
                let op = Op::AlterType { name: declared.name.clone(), change };
                out.change(class, key.clone(), op, hazards);
            }
        }
        Err(why) if users.is_empty() => {
            // Nothing uses it: made again.
            let new = TypeDef { comment: None, ..declared.clone() };
            super::alter::replace(out, Obj::Type(live.clone()), Obj::Type(declared.clone()), vec![], |out| {
                out.change(Class::Alter, key.clone(), Op::CreateType(new), vec![])
            });
            explain(out, &key, format!("{why}; nothing uses the type, so it is made again"));
        }
        Err(why) => {
            let verb = if users.len() == 1 { "uses" } else { "use" };
            explain(out, &key, format!("{why}, and {} {verb} it", users.join(", ")))
        }
    }
}

/// A line added to the type's `changed` entry.
fn explain(out: &mut Comparison, key: &ObjectKey, line: String) {
    if let Some(changed) = out.changed.iter_mut().find(|c| &c.key == key) {
        changed.differences.push(line);
    }
}

type Steps = Result<Vec<(TypeChange, Class)>, String>;

fn domain(live: &Domain, declared: &Domain) -> Steps {
    if live.base_type != declared.base_type {
        return Err(format!(
            "base type: live {}, declared {}: PostgreSQL cannot change a domain's base type in place",
            live.base_type, declared.base_type
        ));
    }
    if live.collation != declared.collation {
        let word = |c: &Option<String>| c.clone().unwrap_or_else(|| "default".into());
        return Err(format!(
            "collation: live {}, declared {}: PostgreSQL cannot change a domain's collation in place",
            word(&live.collation),
            word(&declared.collation)
        ));
    }
    let mut steps = Vec::new();
    let alter = |c: TypeChange| (c, Class::Alter);
    if live.default != declared.default {
        steps.push(alter(TypeChange::DomainDefault {
            from: live.default.clone(),
            to: declared.default.clone(),
        }));
    }
    if live.not_null != declared.not_null {
        steps.push(alter(TypeChange::DomainNotNull { to: declared.not_null }));
    }
    for (name, l) in &live.checks {
        let replaced_by = declared.checks.get(name);
        if replaced_by.is_none_or(|d| d.definition != l.definition) {
            let (name, check, replaced_by) = (name.clone(), l.clone(), replaced_by.cloned());
            steps.push(alter(TypeChange::DropCheck { name, check, replaced_by }));
        }
    }
    for (name, d) in &declared.checks {
        let replaces = live.checks.get(name);
        let live = replaces.filter(|l| l.definition == d.definition);
        if live.is_none() {
            let (name, check, replaces) = (name.clone(), d.clone(), replaces.cloned());
            steps.push(alter(TypeChange::AddCheck { name, check, replaces }));
        }
        if d.validated && live.is_none_or(|l| !l.validated) {
            steps.push(alter(TypeChange::ValidateCheck { name: name.clone(), check: d.clone() }));
        }
    }
    Ok(steps)
}

fn composite(live: &[Attribute], declared: &[Attribute]) -> Steps {
    let kept: Vec<&str> =
        live.iter().filter(|l| declared.iter().any(|d| d.name == l.name)).map(|l| l.name.as_str()).collect();
    let declared_kept: Vec<&str> =
        declared.iter().filter(|d| kept.contains(&d.name.as_str())).map(|d| d.name.as_str()).collect();
    // ADD ATTRIBUTE appends: the attributes both sides have keep their order, and new ones come after them.
    let last_kept = declared.iter().rposition(|d| kept.contains(&d.name.as_str()));
    let first_new = declared.iter().position(|d| !kept.contains(&d.name.as_str()));
    if kept != declared_kept || matches!((first_new, last_kept), (Some(n), Some(k)) if n < k) {
        let names = |a: &[Attribute]| a.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
        return Err(format!(
            "attribute order: live ({}), declared ({}): PostgreSQL cannot reorder attributes or add one in \
             the middle",
            names(live),
            names(declared)
        ));
    }
    let mut steps = Vec::new();
    for l in live {
        match declared.iter().find(|d| d.name == l.name) {
            None => steps.push((TypeChange::DropAttribute(l.clone()), Class::Drop)),
            Some(d) if d != l => {
                steps.push((TypeChange::AttributeType { from: l.clone(), to: d.clone() }, Class::Alter))
            }
            Some(_) => {}
        }
    }
    for d in declared.iter().filter(|d| !live.iter().any(|l| l.name == d.name)) {
        steps.push((TypeChange::AddAttribute(d.clone()), Class::Alter));
    }
    Ok(steps)
}

fn hazards(change: &TypeChange, used: bool) -> Vec<Hazard> {
    match change {
        TypeChange::DomainNotNull { to: true } if used => vec![Hazard::MayFailOnData],
        TypeChange::ValidateCheck { .. } if used => vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData],
        TypeChange::ValidateCheck { .. } => vec![Hazard::ValidatesConstraint],
        TypeChange::DropAttribute(_) if used => vec![Hazard::DeletesData],
        _ => vec![],
    }
}

/// What uses a type on the live side, as messages name them (`column app.t.c`), sorted: all of them, and
/// the columns among them apart (which `ALTER ATTRIBUTE ... TYPE` refuses).
struct Users {
    all: Vec<String>,
    columns: Vec<String>,
}

/// What uses the type on the live side: columns of its type (or an array of it), composite attributes and
/// domains over it, and whatever `pg_depend` records (functions, views, columns whose default names it).
fn users(live: &Catalog, t: &TypeDef) -> Users {
    let name = t.name.sql();
    let of_type = |data_type: &str| data_type == name || data_type == format!("{name}[]");
    let mut out: Vec<String> = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    for table in live.tables.values() {
        for c in table.columns.iter().filter(|c| of_type(&c.data_type)) {
            columns.push(ObjectKey::column(&table.name, &c.name).to_string());
        }
    }
    for other in live.types.values().filter(|o| o.name != t.name) {
        let over = other.domain.as_ref().is_some_and(|d| of_type(&d.base_type))
            || other.attributes.iter().any(|a| of_type(&a.data_type));
        if over {
            out.push(ObjectKey::type_def(&other.name).to_string());
        }
    }
    let key = ObjectKey::type_def(&t.name);
    // A function the catalog does not hold belongs to another object (a range's constructors, made and
    // dropped with it): not a user.
    let made_with_it = |from: &ObjectKey| {
        *from == ObjectKey::function(&from.name) && !live.functions.contains_key(&from.name)
    };
    for (from, to) in &live.dependencies {
        if to.contains(&key) && from != &key && !made_with_it(from) {
            if from.is_column() { &mut columns } else { &mut out }.push(from.to_string());
        }
    }
    columns.sort();
    columns.dedup();
    out.extend(columns.iter().cloned());
    out.sort();
    out.dedup();
    Users { all: out, columns }
}

/// A domain whose checks call the function `root`: those checks dropped before and added again after (as
/// declared, or as they are), `NOT VALID` and then validated. A check with a change of its own is left to it.
pub(super) fn domain_checks_along(
    desired: &Catalog,
    live: &Catalog,
    key: &ObjectKey,
    root: &ObjectKey,
    out: &mut Comparison,
) -> bool {
    use super::model::TypeChange;
    let Some(t) = live.types.values().find(|t| ObjectKey::type_def(&t.name) == *key) else { return false };
    let Some(d) = &t.domain else { return false };
    let declared = desired.types.get(&t.name).and_then(|t| t.domain.as_ref());
    let function = root.name.split('(').next().unwrap_or(&root.name);
    let changed_on_its_own = |check: &str| {
        out.changes.iter().any(|c| {
            matches!(&c.op, Op::AlterType { name, change: TypeChange::DropCheck { name: n, .. } | TypeChange::AddCheck { name: n, .. } }
                if *name == t.name && n == check)
        })
    };
    let mut ops = Vec::new();
    for (name, check) in &d.checks {
        if !check.definition.contains(&format!("{function}(")) || changed_on_its_own(name) {
            continue;
        }
        let again = declared.and_then(|d| d.checks.get(name)).unwrap_or(check);
        let alter = |change| Op::AlterType { name: t.name.clone(), change };
        // Set aside (no replacement named: the same definition would read as done before it is dropped).
        ops.push(alter(TypeChange::DropCheck {
            name: name.clone(),
            check: check.clone(),
            replaced_by: None,
        }));
        ops.push(alter(TypeChange::AddCheck { name: name.clone(), check: again.clone(), replaces: None }));
        if again.validated {
            ops.push(alter(TypeChange::ValidateCheck { name: name.clone(), check: again.clone() }));
        }
    }
    if ops.is_empty() {
        return false;
    }
    for op in ops {
        let hazards = match &op {
            Op::AlterType { change: TypeChange::ValidateCheck { .. }, .. } => {
                vec![Hazard::ValidatesConstraint, Hazard::MayFailOnData]
            }
            _ => vec![],
        };
        out.change(Class::Alter, key.clone(), op, hazards);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::DomainCheck;

    fn attrs(spec: &str) -> Vec<Attribute> {
        spec.split(',')
            .map(|a| {
                let (name, data_type) = a.split_once(' ').unwrap();
                Attribute { name: name.into(), data_type: data_type.into(), collation: None }
            })
            .collect()
    }

    #[test]
    fn attributes_are_added_at_the_end_dropped_and_retyped() {
        let steps = composite(&attrs("a text,b text,c int"), &attrs("a text,c bigint,d date")).unwrap();
        let words: Vec<String> = steps
            .iter()
            .map(|(c, class)| match c {
                TypeChange::DropAttribute(a) => format!("{class} drop {}", a.name),
                TypeChange::AttributeType { to, .. } => format!("{class} type {} {}", to.name, to.data_type),
                TypeChange::AddAttribute(a) => format!("{class} add {}", a.name),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(words, ["drop drop b", "alter type c bigint", "alter add d"]);
    }

    #[test]
    fn attribute_order_is_not_alterable() {
        assert!(composite(&attrs("a text,b text"), &attrs("b text,a text")).is_err());
        assert!(composite(&attrs("a text,b text"), &attrs("a text,x int,b text")).is_err());
        assert!(composite(&attrs("a text,b text"), &attrs("b text,x int")).is_ok());
    }

    #[test]
    fn domain_checks_changed_are_dropped_and_added() {
        let check = |d: &str| DomainCheck { definition: d.into(), validated: true };
        let live = Domain {
            base_type: "integer".into(),
            checks: [
                ("pos".to_string(), check("CHECK ((VALUE > 0))")),
                ("old".into(), check("CHECK (true)")),
            ]
            .into(),
            ..Domain::default()
        };
        let declared = Domain {
            base_type: "integer".into(),
            default: Some("1".into()),
            checks: [("pos".to_string(), check("CHECK ((VALUE >= 0))"))].into(),
            ..Domain::default()
        };
        let steps: Vec<TypeChange> = domain(&live, &declared).unwrap().into_iter().map(|(c, _)| c).collect();
        assert!(matches!(&steps[0], TypeChange::DomainDefault { to: Some(_), .. }));
        assert!(matches!(&steps[1], TypeChange::DropCheck { name, .. } if name == "old"));
        assert!(matches!(&steps[2], TypeChange::DropCheck { name, .. } if name == "pos"));
        assert!(matches!(&steps[3], TypeChange::AddCheck { name, .. } if name == "pos"));
        assert!(matches!(&steps[4], TypeChange::ValidateCheck { name, .. } if name == "pos"));
        let other = Domain { base_type: "bigint".into(), ..declared };
        assert!(domain(&live, &other).is_err());
    }
}
