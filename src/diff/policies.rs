//! Row-level security policies of a table: a missing one is created with its comment; one whose command,
//! roles or expressions differ is dropped and created again (alter class); an undeclared one is extra.

use super::model::{Class, CommentOn, Comparison, Obj, Op, differ};
use super::objects::comment;
use crate::catalog::{ObjectKey, ObjectKind, Table};
use crate::scope::Scope;

/// The policies of `desired` against those of `l` (an empty table for one the plan creates).
pub(super) fn compare_policies(desired: &Table, l: &Table, scope: &Scope, out: &mut Comparison) {
    let name = &desired.name;
    for p in desired.policies.values() {
        let key = ObjectKey::policy(name, &p.name);
        if !scope.includes(key.kind, &key.name) {
            continue;
        }
        let on = CommentOn::Policy(name.clone(), p.name.clone());
        match l.policies.get(&p.name) {
            None => {
                out.missing.push(key.clone());
                let bare = crate::catalog::Policy { comment: None, ..p.clone() };
                out.change(
                    Class::Add,
                    key.clone(),
                    Op::CreatePolicy { table: name.clone(), policy: bare },
                    vec![],
                );
                if let Some(text) = &p.comment {
                    comment(out, key, on, None, text);
                }
            }
            Some(lp) => {
                let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "none".into());
                let diffs: Vec<String> = [
                    differ("permissive", lp.permissive, p.permissive),
                    differ("command", &lp.command, &p.command),
                    differ("roles", lp.roles.join(", "), p.roles.join(", ")),
                    differ("using", opt(&lp.using), opt(&p.using)),
                    differ("with check", opt(&lp.with_check), opt(&p.with_check)),
                ]
                .into_iter()
                .flatten()
                .collect();
                if !diffs.is_empty() {
                    out.changed(key.clone(), Class::Alter, diffs);
                    let new = crate::catalog::Policy { comment: None, ..p.clone() };
                    let old = Obj::Policy { table: name.clone(), policy: lp.clone() };
                    let replacement = Obj::Policy { table: name.clone(), policy: p.clone() };
                    let k = key.clone();
                    super::alter::replace(out, old, replacement, vec![], |out| {
                        out.change(
                            Class::Alter,
                            k,
                            Op::CreatePolicy { table: name.clone(), policy: new },
                            vec![],
                        )
                    });
                }
                if let Some(text) = &p.comment {
                    comment(out, key, on, lp.comment.as_ref(), text);
                }
            }
        }
    }
}

/// The policies `live` holds and `desired` leaves out, as extras.
pub(super) fn extra_policies(desired: &Table, live: &Table, scope: &Scope, out: &mut Comparison) {
    let name = &desired.name;
    for (n, policy) in live.policies.iter().filter(|(n, _)| !desired.policies.contains_key(*n)) {
        if scope.includes(ObjectKind::Policy, &format!("{name}.{n}")) {
            out.extra(Obj::Policy { table: name.clone(), policy: policy.clone() }, vec![]);
        }
    }
}
