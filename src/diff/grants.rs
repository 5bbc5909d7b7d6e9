//! Privileges (DESIGN "Inspect" and rule 3): compared only for the grantees the desired state names, on
//! objects it declares, and for default privileges of the roles it declares them for.
//!
//! A grantee is named when the desired state gives it anything, or, for PUBLIC, when it grants or revokes
//! anything beyond PostgreSQL's defaults. A grantee the schema never mentions is never reported or revoked.
//! For a named grantee: a missing privilege (or grant option) is an add-class `GRANT`; a privilege the
//! live side has beyond the declared ones is an alter-class `REVOKE` (add class when it is a default of an
//! object the same plan creates, which the declared object never had). The object's owner holds every
//! privilege implicitly: it is never compared. Each change records the state it was planned from.

use super::model::{Change, Class, Comparison, Op, differ};
use crate::catalog::{Acl, Catalog, GrantOn, ObjectKey, ObjectKind, Privilege};
use crate::scope::Scope;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn compare_grants(desired: &Catalog, live: &Catalog, scope: &Scope, out: &mut Comparison) {
    let named = named_grantees(desired);
    for (id, d) in &desired.privileges {
        if !d.on.schema().is_none_or(|s| scope.includes_schema(s)) {
            continue;
        }
        let l = live.privileges.get(id);
        let exists = l.is_some() || exists_without_acl(live, &d.on);
        let mut grantees: BTreeSet<&String> = d.grants.keys().collect();
        grantees.extend(l.iter().flat_map(|l| l.grants.keys()));
        // PUBLIC may hold a default that the desired state revoked (no entry on either side).
        let public = "public".to_string();
        grantees.insert(&public);
        for grantee in grantees.into_iter().filter(|g| named.contains(*g)) {
            if l.is_some_and(|l| &l.owner == grantee) {
                continue;
            }
            let key = ObjectKey::grant(&d.on, grantee);
            if !scope.includes(ObjectKind::Grant, &key.name) {
                continue;
            }
            let want = d.grants.get(grantee).cloned().unwrap_or_default();
            let have = match l {
                Some(l) => l.grants.get(grantee).cloned().unwrap_or_default(),
                None if exists => vec![],
                None => d.on.default_for(grantee),
            };
            compare_one(key, d, grantee, &have, &want, exists, out);
        }
    }
    columns_after_table_revokes(desired, live, &named, out);
}

/// What a REVOKE on a table leaves on its columns: PostgreSQL takes the same privileges (and grant
/// options) away from every column too. A declared column privilege that a planned table revoke takes
/// away is granted again after it, as part of it; the column's own changes are planned from what the
/// revoke leaves.
fn columns_after_table_revokes(
    desired: &Catalog,
    live: &Catalog,
    named: &BTreeSet<String>,
    out: &mut Comparison,
) {
    let revokes: Vec<Change> = out
        .changes
        .iter()
        .filter(|c| matches!(&c.op, Op::Revoke { on: GrantOn::Table(_), .. }))
        .cloned()
        .collect();
    for revoke in revokes {
        let Op::Revoke { on: GrantOn::Table(table), grantee, from, to } = revoke.op else { continue };
        let (subject, class) = (revoke.key, revoke.class);
        let ons: BTreeSet<&GrantOn> = live
            .privileges
            .values()
            .chain(desired.privileges.values())
            .map(|a| &a.on)
            .filter(|o| matches!(o, GrantOn::Column(t, _) if *t == table))
            .collect();
        for on in ons {
            let have = live
                .privileges
                .get(&on.id())
                .and_then(|a| a.grants.get(&grantee))
                .cloned()
                .unwrap_or_default();
            let left = revoke_leaves(&have, &from, &to);
            if left == have {
                continue;
            }
            let want = match desired.privileges.get(&on.id()) {
                Some(d) if named.contains(&grantee) => d.grants.get(&grantee).cloned().unwrap_or_default(),
                _ => have.clone(),
            };
            let key = ObjectKey::grant(on, &grantee);
            out.changes.retain(|c| !(c.key == key && matches!(c.op, Op::Grant { .. } | Op::Revoke { .. })));
            // The column's own changes, planned from what the table's revoke leaves; where that leaves
            // nothing to grant, one revoke from the column's state before, which the table's revoke has
            // done by the time it runs.
            let ops = if merge(&left, &want) != left {
                grant_then_revoke(on, &grantee, &left, &want)
            } else {
                vec![Op::Revoke { on: on.clone(), grantee: grantee.clone(), from: have.clone(), to: want }]
            };
            out.changes.extend(ops.into_iter().map(|op| Change {
                class,
                key: key.clone(),
                op,
                hazards: vec![],
                part_of: Some(subject.clone()),
            }));
        }
    }
}

/// `held` after a REVOKE planned from `from` to `to`: a privilege `from` has and `to` lacks goes, and so
/// does a grant option `from` has and `to` lacks; anything else stays.
pub fn revoke_leaves(held: &[Privilege], from: &[Privilege], to: &[Privilege]) -> Vec<Privilege> {
    held.iter()
        .filter_map(|p| {
            let was = from.iter().find(|f| f.name == p.name);
            let stays = to.iter().find(|t| t.name == p.name);
            match (was, stays) {
                (None, _) => Some(p.clone()),
                (Some(_), None) => None,
                (Some(w), Some(s)) => Some(Privilege {
                    name: p.name.clone(),
                    grantable: p.grantable && (s.grantable || !w.grantable),
                }),
            }
        })
        .collect()
}

/// The grants on objects the plan creates, planned again from the privileges each will start with:
/// PostgreSQL gives a new object its creator's default privileges (`ALTER DEFAULT PRIVILEGES` on the
/// target), which [`compare_grants`] does not know (it assumes the built-in defaults). `owner` is the role
/// that will create them. A named grantee the defaults give more than declared has it revoked, as part of
/// making the object (add class); any other grantee keeps what the defaults give.
pub fn plan_from_initial_privileges(
    desired: &Catalog,
    live: &Catalog,
    owner: &str,
    comparison: Comparison,
) -> Comparison {
    let named = named_grantees(desired);
    let mut out = comparison;
    let created: BTreeSet<ObjectKey> =
        out.changes.iter().filter(|c| c.op.creates_with_privileges()).map(|c| c.key.clone()).collect();
    for (id, d) in &desired.privileges {
        if matches!(d.on, GrantOn::Default { .. } | GrantOn::Column(..))
            || live.privileges.contains_key(id)
            || !d.on.object_keys().iter().any(|k| created.contains(k))
        {
            continue;
        }
        let initial = live.initial_grants(&d.on, owner);
        let mut grantees: BTreeSet<&String> = d.grants.keys().collect();
        grantees.extend(initial.keys());
        for grantee in grantees.into_iter().filter(|g| named.contains(*g)) {
            let have = initial.get(grantee).cloned().unwrap_or_default();
            if have == d.on.default_for(grantee) {
                continue;
            }
            let key = ObjectKey::grant(&d.on, grantee);
            out.changes.retain(|c| !(c.key == key && matches!(c.op, Op::Grant { .. } | Op::Revoke { .. })));
            let want = d.grants.get(grantee).cloned().unwrap_or_default();
            compare_one(key, d, grantee, &have, &want, false, &mut out);
        }
    }
    restore_from_initial(live, owner, &mut out);
    out
}

/// The privileges given back to an object dropped and created again ([`restore_on_recreated`]), planned
/// from what the object starts with when `owner` creates it rather than from PostgreSQL's built-in
/// defaults: every grantee ends as that function planned it (unchanged where it planned nothing).
fn restore_from_initial(live: &Catalog, owner: &str, out: &mut Comparison) {
    let recreated: Vec<(GrantOn, ObjectKey)> =
        out.changes.iter().filter_map(|c| regranted(c).map(|on| (on, c.subject().clone()))).collect();
    for (on, subject) in recreated {
        let initial = live.initial_grants(&on, owner);
        let builtin: BTreeMap<String, Vec<Privilege>> = Some(("public".to_string(), on.public_default()))
            .into_iter()
            .filter(|(_, p)| !p.is_empty())
            .collect();
        if initial == builtin {
            continue;
        }
        // What each grantee must end with, and the change it belongs to.
        let mut planned: BTreeMap<String, (Vec<Privilege>, Option<ObjectKey>, Class)> = BTreeMap::new();
        for c in &out.changes {
            if let Op::Grant { on: o, grantee, to, .. } | Op::Revoke { on: o, grantee, to, .. } = &c.op
                && *o == on
            {
                planned.insert(grantee.clone(), (to.clone(), c.part_of.clone(), c.class));
            }
        }
        out.changes
            .retain(|c| !matches!(&c.op, Op::Grant { on: o, .. } | Op::Revoke { on: o, .. } if *o == on));
        let mut grantees: BTreeSet<String> = planned.keys().cloned().collect();
        grantees.extend(initial.keys().cloned());
        grantees.insert("public".into());
        for grantee in grantees {
            let (want, part_of, class) = planned
                .remove(&grantee)
                .unwrap_or_else(|| (on.default_for(&grantee), Some(subject.clone()), Class::Alter));
            let from = initial.get(&grantee).cloned().unwrap_or_default();
            let merged = merge(&from, &want);
            let key = ObjectKey::grant(&on, &grantee);
            let mut push = |op: Op| {
                out.changes.push(Change {
                    class,
                    key: key.clone(),
                    op,
                    hazards: vec![],
                    part_of: part_of.clone(),
                })
            };
            if merged != from {
                push(Op::Grant {
                    on: on.clone(),
                    grantee: grantee.clone(),
                    from: from.clone(),
                    to: merged.clone(),
                });
            }
            if merged != want {
                push(Op::Revoke { on: on.clone(), grantee: grantee.clone(), from: merged, to: want });
            }
        }
    }
}

fn compare_one(
    key: ObjectKey,
    d: &Acl,
    grantee: &str,
    have: &[Privilege],
    want: &[Privilege],
    exists: bool,
    out: &mut Comparison,
) {
    if have == want {
        return;
    }
    let merged = merge(have, want);
    let default = matches!(d.on, GrantOn::Default { .. });
    if merged != have {
        let op = Op::Grant {
            on: d.on.clone(),
            grantee: grantee.to_string(),
            from: have.to_vec(),
            to: merged.clone(),
        };
        out.change(Class::Add, key.clone(), op, vec![]);
    }
    let revokes = merged != want;
    let class = if revokes && (exists || default) { Class::Alter } else { Class::Add };
    if revokes {
        let op =
            Op::Revoke { on: d.on.clone(), grantee: grantee.to_string(), from: merged, to: want.to_vec() };
        out.change(class, key.clone(), op, vec![]);
    }
    if !exists && !default {
        return;
    }
    if have.is_empty() {
        out.missing.push(key);
    } else {
        let line = differ("privileges", words(have), words(want)).expect("the lists differ");
        out.changed(key, class, vec![line]);
    }
}

/// An object dropped to be created again (a view redefined, a dependent view, a function whose result type
/// changed) comes back with PostgreSQL's default privileges. Every grantee's privileges on it (and on a
/// view's columns) are given back right after, as declared for a named grantee and as they were for any
/// other: the steps belong to the change that drops the object, so the policy admits them with it. They
/// replace what [`compare_grants`] planned for those objects.
pub(super) fn restore_on_recreated(desired: &Catalog, live: &Catalog, out: &mut Comparison) {
    let named = named_grantees(desired);
    let recreated: Vec<(GrantOn, ObjectKey)> =
        out.changes.iter().filter_map(|c| regranted(c).map(|on| (on, c.subject().clone()))).collect();
    for (on, subject) in recreated {
        let covers = |o: &GrantOn| {
            *o == on || matches!((o, &on), (GrantOn::Column(t, _), GrantOn::Table(v)) if t == v)
        };
        out.changes.retain(|c| !matches!(&c.op, Op::Grant { on, .. } | Op::Revoke { on, .. } if covers(on)));
        let mut ons: BTreeSet<&GrantOn> = BTreeSet::new();
        ons.extend(live.privileges.values().map(|a| &a.on).filter(|o| covers(o)));
        ons.extend(desired.privileges.values().map(|a| &a.on).filter(|o| covers(o)));
        for o in ons {
            let (l, d) = (live.privileges.get(&o.id()), desired.privileges.get(&o.id()));
            let mut grantees: BTreeSet<String> = l.iter().flat_map(|a| a.grants.keys().cloned()).collect();
            grantees.extend(d.iter().flat_map(|a| a.grants.keys().filter(|g| named.contains(*g)).cloned()));
            grantees.insert("public".into());
            for grantee in grantees {
                let was = l.map(|a| a.grants.get(&grantee).cloned().unwrap_or_default());
                let declared = d
                    .filter(|_| named.contains(&grantee))
                    .map(|a| a.grants.get(&grantee).cloned().unwrap_or_default());
                let Some(want) = declared.or(was) else { continue };
                let key = ObjectKey::grant(o, &grantee);
                let ops = grant_then_revoke(o, &grantee, &o.default_for(&grantee), &want);
                out.changes.extend(ops.into_iter().map(|op| Change {
                    class: Class::Alter,
                    key: key.clone(),
                    op,
                    hazards: vec![],
                    part_of: Some(subject.clone()),
                }));
            }
        }
    }
}

/// The steps from `from` to `want` for one grantee on one object: a GRANT up to what both hold together,
/// then a REVOKE down to `want`. Either is left out when it would change nothing.
fn grant_then_revoke(on: &GrantOn, grantee: &str, from: &[Privilege], want: &[Privilege]) -> Vec<Op> {
    let merged = merge(from, want);
    let mut ops = Vec::new();
    if merged != from {
        ops.push(Op::Grant {
            on: on.clone(),
            grantee: grantee.to_string(),
            from: from.to_vec(),
            to: merged.clone(),
        });
    }
    if merged != want {
        ops.push(Op::Revoke {
            on: on.clone(),
            grantee: grantee.to_string(),
            from: merged,
            to: want.to_vec(),
        });
    }
    ops
}

/// `have` with what `want` adds: missing privileges, and grant options on privileges held without.
pub fn merge(have: &[Privilege], want: &[Privilege]) -> Vec<Privilege> {
    let mut out = have.to_vec();
    for w in want {
        match out.iter_mut().find(|p| p.name == w.name) {
            Some(p) => p.grantable |= w.grantable,
            None => out.push(w.clone()),
        }
    }
    out.sort();
    out
}

/// `SELECT, UPDATE WITH GRANT OPTION` (`none` for an empty list).
pub fn words(privileges: &[Privilege]) -> String {
    if privileges.is_empty() {
        return "none".into();
    }
    let words: Vec<String> = privileges
        .iter()
        .map(|p| if p.grantable { format!("{} WITH GRANT OPTION", p.name) } else { p.name.clone() })
        .collect();
    words.join(", ")
}

/// Grantees the desired state names: every grantee it gives something, and PUBLIC when it gives or takes
/// away anything beyond PostgreSQL's defaults. The `public` schema's own privileges do not count for PUBLIC:
/// every new database has them from its template (PostgreSQL 14 gives PUBLIC `CREATE` there, 15 and later
/// only `USAGE`), whatever the schema files say.
fn named_grantees(desired: &Catalog) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for acl in desired.privileges.values() {
        if acl.on == GrantOn::Schema("public".into()) {
            out.extend(acl.grants.keys().filter(|g| *g != "public").cloned());
            continue;
        }
        for (grantee, privileges) in &acl.grants {
            if grantee != "public" || *privileges != acl.on.public_default() {
                out.insert(grantee.clone());
            }
        }
        if !acl.grants.contains_key("public") && !acl.on.public_default().is_empty() {
            out.insert("public".to_string());
        }
    }
    out
}

/// Whether the object of a grant exists on the live side although it has no ACL row: a column (rows exist
/// only for columns with an ACL of their own) of a live table or view.
fn exists_without_acl(live: &Catalog, on: &GrantOn) -> bool {
    match on {
        GrantOn::Column(t, c) => {
            live.tables.get(t).is_some_and(|t| t.columns.iter().any(|col| &col.name == c))
                || live.views.contains_key(t)
        }
        _ => false,
    }
}

/// The privileges a change gives back: those of an object it drops to make again (`Obj::regranted_on`).
fn regranted(change: &Change) -> Option<GrantOn> {
    match &change.op {
        Op::Drop { object, replaced_by: Some(_) } => object.regranted_on(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::QualName;
    use std::collections::BTreeMap;

    fn p(name: &str, grantable: bool) -> Privilege {
        Privilege { name: name.into(), grantable }
    }

    fn acl(on: GrantOn, grants: &[(&str, Vec<Privilege>)]) -> Acl {
        let grants: BTreeMap<String, Vec<Privilege>> =
            grants.iter().map(|(g, l)| (g.to_string(), l.clone())).collect();
        Acl { on, owner: "owner".into(), grants }
    }

    fn catalog(acls: Vec<Acl>) -> Catalog {
        let mut c = Catalog::default();
        for a in acls {
            c.privileges.insert(a.on.id(), a);
        }
        c
    }

    #[test]
    fn only_named_grantees_are_compared() {
        let t = GrantOn::Table(QualName::new("app", "t"));
        let desired = catalog(vec![acl(t.clone(), &[("reader", vec![p("SELECT", false)])])]);
        let live = catalog(vec![acl(
            t.clone(),
            &[("reader", vec![p("SELECT", false), p("UPDATE", false)]), ("other", vec![p("DELETE", false)])],
        )]);
        let mut out = Comparison::default();
        compare_grants(&desired, &live, &Scope::default(), &mut out);
        assert_eq!(out.changes.len(), 1);
        assert_eq!(out.changes[0].class, Class::Alter);
        assert_eq!(out.changes[0].key.name, "table:app.t:reader");
        assert!(matches!(&out.changes[0].op, Op::Revoke { to, .. } if to == &vec![p("SELECT", false)]));
        assert_eq!(out.changed[0].differences, ["privileges: live SELECT, UPDATE, declared SELECT"]);
    }

    #[test]
    fn a_revoked_public_default_on_a_new_function_is_part_of_making_it() {
        let f = GrantOn::Function("app.f()".into());
        let desired = catalog(vec![acl(f.clone(), &[("app", vec![p("EXECUTE", true)])])]);
        let mut out = Comparison::default();
        compare_grants(&desired, &Catalog::default(), &Scope::default(), &mut out);
        let ops: Vec<(Class, &str)> = out.changes.iter().map(|c| (c.class, c.key.name.as_str())).collect();
        assert_eq!(ops, [(Class::Add, "function:app.f():app"), (Class::Add, "function:app.f():public")]);
        assert!(out.missing.is_empty());
        assert_eq!(
            merge(&[p("SELECT", false)], &[p("SELECT", true), p("INSERT", false)]),
            [p("INSERT", false), p("SELECT", true)]
        );
    }

    #[test]
    fn a_revoke_leaves_what_it_does_not_name() {
        let held = [p("INSERT", false), p("SELECT", true), p("UPDATE", true)];
        // Planned from SELECT WITH GRANT OPTION and UPDATE to SELECT: UPDATE goes, SELECT loses its option.
        let left = revoke_leaves(&held, &[p("SELECT", true), p("UPDATE", false)], &[p("SELECT", false)]);
        assert_eq!(left, [p("INSERT", false), p("SELECT", false)]);
        // A grant option the plan did not see stays where the revoke keeps the privilege.
        assert_eq!(revoke_leaves(&held, &[p("SELECT", false)], &[p("SELECT", false)]), held);
    }

    #[test]
    fn new_objects_start_with_their_creators_default_privileges() {
        let t = GrantOn::Table(QualName::new("app", "t"));
        let f = GrantOn::Function("app.f()".into());
        let default = |schema: Option<&str>, objects: &str| GrantOn::Default {
            role: "owner".into(),
            schema: schema.map(str::to_string),
            objects: objects.into(),
        };
        let mut c = catalog(vec![
            acl(default(Some("app"), "tables"), &[("reader", vec![p("SELECT", false)])]),
            acl(default(None, "tables"), &[("auditor", vec![p("SELECT", true)])]),
        ]);
        let grants = c.initial_grants(&t, "owner");
        assert_eq!(grants.get("reader"), Some(&vec![p("SELECT", false)]));
        assert_eq!(grants.get("auditor"), Some(&vec![p("SELECT", true)]));
        // Another creator gets none of them; a function PUBLIC's built-in EXECUTE.
        assert!(c.initial_grants(&t, "other").is_empty());
        assert_eq!(c.initial_grants(&f, "owner").get("public"), Some(&vec![p("EXECUTE", false)]));
        // A global row that revoked PUBLIC's EXECUTE.
        c.privileges
            .insert(default(None, "functions").id(), acl(default(None, "functions"), &[("public", vec![])]));
        assert!(c.initial_grants(&f, "owner").is_empty());
    }
}
