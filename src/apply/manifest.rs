//! Rule 5: the touched objects against the plan's manifest, before applying (each object in its before or
//! its after state) and after (each in its after state).
//!
//! Invariant: the comparison is a pure function of the manifest and the live digests
//! ([`crate::catalog::Catalog::digests`]); reading the live digests is the only I/O here.

use super::parse::ManifestEntry;
use crate::catalog::ObjectKey;
use crate::conn::ConnParams;
use crate::scope::Scope;
use anyhow::{Context, Result};
use std::collections::BTreeMap;

/// The live digest of every object in scope, by key.
pub type Digests = BTreeMap<ObjectKey, String>;

/// One touched object that is not in an expected state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub key: ObjectKey,
    /// The live digest, `None` when the object is absent.
    pub live: Option<String>,
    pub expected: Vec<Option<String>>,
}

impl Mismatch {
    /// `column app.users.email: present, expected absent or 77aa1b2c3d4e`
    pub fn describe(&self) -> String {
        let expected: Vec<String> = self.expected.iter().map(|d| state(d.as_deref())).collect();
        format!("{}: {}, expected {}", self.key, state(self.live.as_deref()), expected.join(" or "))
    }
}

fn state(digest: Option<&str>) -> String {
    match digest {
        None => "absent".to_string(),
        Some(d) => format!("digest {}", &d[..d.len().min(12)]),
    }
}

/// How the touched objects compare with the manifest before applying.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PreCheck {
    pub before: usize,
    /// Objects in a state an interrupted apply leaves (an invalid index, a constraint not validated yet).
    pub during: usize,
    pub after: usize,
    /// Objects in neither state: changed since the plan was made.
    pub neither: Vec<Mismatch>,
}

impl PreCheck {
    /// Every touched object is in its after state: the plan is applied already.
    pub fn all_after(&self) -> bool {
        self.neither.is_empty() && self.before == 0 && self.during == 0
    }
}

/// Compares each touched object with its before and after digests.
pub fn pre_check(manifest: &[ManifestEntry], live: &Digests) -> PreCheck {
    let mut check = PreCheck::default();
    for entry in manifest {
        let key = entry.key();
        let now = live.get(&key).cloned();
        if now == entry.after {
            check.after += 1;
        } else if now == entry.before {
            check.before += 1;
        } else if entry.during.contains(&now) {
            check.during += 1;
        } else {
            let mut expected = vec![entry.before.clone()];
            expected.extend(entry.during.iter().cloned());
            expected.push(entry.after.clone());
            check.neither.push(Mismatch { key, live: now, expected });
        }
    }
    check
}

/// The touched objects that are not in their after state; with `gated` (a rollback, whose steps run only
/// for what the forward plan executed), the before state counts as well.
pub fn verify(manifest: &[ManifestEntry], live: &Digests, gated: bool) -> Vec<Mismatch> {
    manifest
        .iter()
        .filter_map(|entry| {
            let key = entry.key();
            let now = live.get(&key).cloned();
            let ok = now == entry.after || (gated && now == entry.before);
            let mut expected = vec![entry.after.clone()];
            if gated {
                expected.insert(0, entry.before.clone());
            }
            (!ok).then_some(Mismatch { key, live: now, expected })
        })
        .collect()
}

/// Inspects the target on a connection of its own and digests every object in scope (accrete's own
/// history schema is never in it).
pub async fn live_digests(
    params: &ConnParams,
    app: &str,
    scope: &Scope,
    own_schema: &str,
) -> Result<Digests> {
    let conn = crate::conn::connect(params, app).await.context("connecting to inspect the target")?;
    let mut scope = scope.clone();
    scope.own_schema = own_schema.to_string();
    let inspected = crate::inspect::inspect(&conn.client, &scope).await.context("inspecting the target")?;
    Ok(inspected.catalog.digests())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ObjectKind;

    fn entry(kind: ObjectKind, name: &str, before: Option<&str>, after: Option<&str>) -> ManifestEntry {
        ManifestEntry {
            kind,
            name: name.into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
            during: Vec::new(),
        }
    }

    #[test]
    fn an_interrupted_state_counts_as_not_done() {
        let mut index = entry(ObjectKind::Index, "app.i", None, Some("valid"));
        index.during = vec![Some("invalid".into())];
        let manifest = vec![index];
        let mut live = Digests::new();
        live.insert(ObjectKey::new(ObjectKind::Index, "app.i"), "invalid".into());
        let check = pre_check(&manifest, &live);
        assert_eq!((check.before, check.during, check.after, check.neither.len()), (0, 1, 0, 0));
        assert!(!check.all_after());
        live.insert(ObjectKey::new(ObjectKind::Index, "app.i"), "other".into());
        let check = pre_check(&manifest, &live);
        assert_eq!(
            check.neither[0].describe(),
            "index app.i: digest other, expected absent or digest invalid or digest valid"
        );
    }

    #[test]
    fn each_object_is_before_after_or_neither() {
        let manifest = vec![
            entry(ObjectKind::Schema, "app", None, Some("a1")),
            entry(ObjectKind::Column, "app.t.c", None, Some("c1")),
            entry(ObjectKind::Index, "app.i", Some("i0"), Some("i1")),
        ];
        let mut live = Digests::new();
        assert_eq!(pre_check(&manifest, &live).before, 2);
        assert_eq!(pre_check(&manifest, &live).neither.len(), 1);
        live.insert(ObjectKey::schema("app"), "a1".into());
        live.insert(ObjectKey::new(ObjectKind::Index, "app.i"), "i0".into());
        let check = pre_check(&manifest, &live);
        assert_eq!((check.before, check.after, check.neither.len()), (2, 1, 0));
        assert!(!check.all_after());
        live.insert(ObjectKey::new(ObjectKind::Column, "app.t.c"), "zz".into());
        let check = pre_check(&manifest, &live);
        assert_eq!(check.neither.len(), 1);
        assert_eq!(check.neither[0].describe(), "column app.t.c: digest zz, expected absent or digest c1");
        live.insert(ObjectKey::new(ObjectKind::Column, "app.t.c"), "c1".into());
        live.insert(ObjectKey::new(ObjectKind::Index, "app.i"), "i1".into());
        assert!(pre_check(&manifest, &live).all_after());
        assert!(verify(&manifest, &live, false).is_empty());
        live.remove(&ObjectKey::schema("app"));
        let missing = verify(&manifest, &live, false);
        assert!(verify(&manifest, &live, true).is_empty(), "gated: the before state (absent) is accepted");
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].describe(), "schema app: absent, expected digest a1");
    }
}
