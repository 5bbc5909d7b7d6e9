//! The keyed walk each kind's comparison starts from: the objects of one kind on both sides, matched by
//! name, those out of scope left out. Every comparison meets them in the same order (the declared ones by
//! name, then the live ones not declared, by name), so what it finds is ordered by names alone.

use super::model::{Comparison, Hazard, Obj};
use crate::catalog::ObjectKey;
use std::collections::BTreeMap;

/// One object of a kind, as [`keyed`] meets it.
pub(super) enum Side<'a, N, V> {
    /// Declared: its comparison looks the live side up itself (a live object of another kind under the
    /// same name answers for it too).
    Declared { name: &'a N, key: ObjectKey, declared: &'a V },
    /// Live and not declared: extra.
    Extra { name: &'a N, live: &'a V },
}

impl<'a, N, V> Side<'a, N, V> {
    /// A declared object's name, key and definition; an extra one is reported to `out` as `extra` makes it
    /// (the live object and the hazards of dropping it), and gives `None`.
    pub(super) fn declared_or_extra(
        self,
        out: &mut Comparison,
        extra: impl FnOnce(&'a V) -> (Obj, Vec<Hazard>),
    ) -> Option<(&'a N, ObjectKey, &'a V)> {
        match self {
            Side::Declared { name, key, declared } => Some((name, key, declared)),
            Side::Extra { live, .. } => {
                let (object, hazards) = extra(live);
                out.extra(object, hazards);
                None
            }
        }
    }
}

/// The objects of one kind: each declared one (`desired`, by name) whose key (`key` of its name)
/// `in_scope` keeps, then each live one (`live`) that is not declared and that `in_scope` keeps.
pub(super) fn keyed<'a, N: Ord, V>(
    desired: &'a BTreeMap<N, V>,
    live: &'a BTreeMap<N, V>,
    key: impl Fn(&N) -> ObjectKey,
    in_scope: impl Fn(&ObjectKey, &V) -> bool,
) -> Vec<Side<'a, N, V>> {
    let declared = desired.iter().filter_map(|(name, declared)| {
        let key = key(name);
        in_scope(&key, declared).then_some(Side::Declared { name, key, declared })
    });
    let extra = live
        .iter()
        .filter(|(name, live)| !desired.contains_key(*name) && in_scope(&key(name), live))
        .map(|(name, live)| Side::Extra { name, live });
    declared.chain(extra).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::QualName;

    #[test]
    fn declared_by_name_then_extra_by_name_in_scope_only() {
        let map = |names: &[&str]| -> BTreeMap<QualName, String> {
            names.iter().map(|n| (QualName::new("app", *n), n.to_string())).collect()
        };
        let (desired, live) = (map(&["b", "a", "skip_d"]), map(&["c", "a", "z", "skip_l"]));
        let walk = keyed(&desired, &live, ObjectKey::table, |_, v| !v.starts_with("skip"));
        let seen: Vec<String> = walk
            .iter()
            .map(|s| match s {
                Side::Declared { declared, key, .. } => format!("declared {declared} {}", key.name),
                Side::Extra { live, .. } => format!("extra {live}"),
            })
            .collect();
        assert_eq!(seen, ["declared a app.a", "declared b app.b", "extra c", "extra z"]);
    }
}
