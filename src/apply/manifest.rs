//! Rule 5: the touched objects against the plan's manifest, before applying (each object in its before or
//! its after state) and after (each in its after state).
//!
//! Invariant: the comparison is a pure function of the manifest and the live digests
//! ([`crate::catalog::Catalog::digests`]); reading the live catalog is the only I/O here. What changed in
//! an object since the plan comes from the state the manifest recorded (`was`) and the live one.

use crate::catalog::{Catalog, ObjectKey};
use crate::conn::ConnParams;
use crate::planfile::ManifestEntry;
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};

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
        let key = entry.key.clone();
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
            let key = entry.key.clone();
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

/// Inspects the target on connections of its own and digests the objects `manifest` touches (accrete's
/// own history schema is never in scope): the rest of a large schema is neither serialized nor hashed.
pub async fn live_digests(
    params: &ConnParams,
    app: &str,
    opts: &super::ApplyOptions,
    manifest: &[ManifestEntry],
) -> Result<Digests> {
    Ok(live_catalog(params, app, opts).await?.digests_of(&touched(manifest)))
}

/// The keys a manifest records.
pub fn touched(manifest: &[ManifestEntry]) -> BTreeSet<ObjectKey> {
    manifest.iter().map(|m| m.key.clone()).collect()
}

/// The target's catalog in `opts.scope` (without the history schema), as [`live_digests`] reads it: over
/// `opts.inspect_connections` sessions on one snapshot, as `plan` reads it.
pub async fn live_catalog(params: &ConnParams, app: &str, opts: &super::ApplyOptions) -> Result<Catalog> {
    let conn = crate::conn::connect(params, app).await.context("connecting to inspect the target")?;
    let mut scope = opts.scope.clone();
    scope.own_schema = opts.history_schema.clone();
    let sessions = crate::inspect::Sessions {
        params,
        application: app,
        role: None,
        connections: opts.inspect_connections,
    };
    let inspected = crate::inspect::inspect_shared(&conn.client, &scope, &sessions)
        .await
        .context("inspecting the target")?;
    Ok(inspected.catalog)
}

/// At most this many differences are listed per object.
const MAX_DIFFERENCES: usize = 12;

/// What changed in a touched object since the plan was made, one line each (`field: before → now`), from
/// the state the manifest recorded (`was`) and the state it has now (both [`Catalog::states`] texts). Empty
/// when the plan recorded no state (an object it found absent, or a plan written before `was` lines).
pub fn changed_since(entry: &ManifestEntry, now: Option<&str>) -> Vec<String> {
    let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
    match (entry.before.is_some(), entry.was.as_deref().and_then(parse), now.and_then(parse)) {
        (false, _, Some(_)) => vec!["exists now; the plan found it absent".to_string()],
        (true, _, None) => vec!["is gone; the plan found it present".to_string()],
        (true, Some(was), Some(now)) => {
            let mut out = Vec::new();
            differences("", &was, &now, &mut out);
            if out.len() > MAX_DIFFERENCES {
                let more = out.len() - MAX_DIFFERENCES;
                out.truncate(MAX_DIFFERENCES);
                out.push(format!("... and {more} more"));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// `path: before → now` for each leaf where the two differ; arrays of another length compare whole.
fn differences(path: &str, was: &serde_json::Value, now: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    let at = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    match (was, now) {
        _ if was == now => {}
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let (x, y) = (a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null));
                differences(&at(key), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(&at(&i.to_string()), x, y, out);
            }
        }
        _ => {
            let name = if path.is_empty() { "state" } else { path };
            out.push(format!("{name}: {} → {}", short(was), short(now)));
        }
    }
}

/// A value on one line, cut at 120 characters.
fn short(value: &serde_json::Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ObjectKind;

    fn entry(kind: ObjectKind, name: &str, before: Option<&str>, after: Option<&str>) -> ManifestEntry {
        ManifestEntry {
            key: crate::catalog::ObjectKey::new(kind, name.to_string()),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
            during: Vec::new(),
            was: None,
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
