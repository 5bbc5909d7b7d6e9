//! The catalog a plan leaves behind: the live catalog with every planned change applied to the model. Its
//! digests are the manifest's `after` states, which `apply` checks before running (rule 5) and verifies after.

use crate::catalog::{Acl, Catalog, GrantOn};
use crate::diff::{Change, CommentOn, Op};

/// `owner` is the role that creates the plan's new objects: its default privileges (`pg_default_acl`)
/// give them privileges the files may not declare, as PostgreSQL does.
pub fn expected(live: &Catalog, changes: &[Change], owner: &str) -> Catalog {
    let mut c = live.clone();
    for change in changes {
        apply(&mut c, &change.op);
        if let Some(on) = created_on(&change.op) {
            let grants = c.initial_grants(&on, owner);
            c.privileges.insert(on.id(), Acl { on, owner: owner.to_string(), grants });
        }
    }
    c
}

/// What a change creates that has privileges of its own (a replacement included: it starts again from
/// the defaults).
fn created_on(op: &Op) -> Option<GrantOn> {
    super::kinds::of(op).and_then(|kind| kind.created_on(op))
}

fn apply(c: &mut Catalog, op: &Op) {
    match op {
        Op::SetComment { on, text } => set_comment(c, on, Some(text.clone())),
        Op::ChangeComment { on, to, .. } => set_comment(c, on, to.clone()),
        Op::Drop { object, .. } => {
            let kind = super::kinds::of_object(object);
            kind.dropped(c, object);
            drop_privileges(c, kind.grant_on(object));
        }
        op => super::kinds::of(op).expect("a change of a kind").apply(c, op),
    }
}

/// A dropped object takes its privileges (`on`, when it has privileges of its own) along, and a table its
/// columns' (a re-created one starts from the defaults).
fn drop_privileges(c: &mut Catalog, on: Option<GrantOn>) {
    let Some(on) = on else { return };
    c.privileges.remove(&on.id());
    if let GrantOn::Table(t) = &on {
        c.privileges.retain(|_, acl| !matches!(&acl.on, GrantOn::Column(ct, _) if ct == t));
    }
}

fn set_comment(c: &mut Catalog, on: &CommentOn, text: Option<String>) {
    super::kinds::of_comment(on).commented(c, on, text);
}
