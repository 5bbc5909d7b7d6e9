//! The canonical serialization of each object and its SHA-256 digest, which a plan's manifest records.

use super::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The canonical form of one object, as digested: the object's own attributes, without the objects that
/// have keys of their own (a table's columns, constraints and indexes) and without column positions.
#[derive(Serialize)]
#[serde(untagged)]
enum Canonical<'a> {
    Schema(&'a Schema),
    Extension(&'a Extension),
    Enum(&'a EnumType),
    Sequence(&'a Sequence),
    Table(TableHead<'a>),
    Column(ColumnState<'a>),
    Constraint(&'a Constraint),
    Index(&'a Index),
    View(Box<View>),
    Function(&'a Function),
    Trigger(&'a Trigger),
    Rule(&'a Rule),
    Policy(&'a Policy),
    Type(TypeHead<'a>),
    Defined(DefinedBody),
    Aggregate(&'a Aggregate),
    EventTrigger(&'a EventTrigger),
    Grant(&'a Vec<Privilege>),
}

/// A type as digested: a domain by its parts and a composite type by its attributes (what a plan's alteration
/// steps change, so the digest of the state a plan leaves can be computed from them), a range type by its
/// definition.
#[derive(Serialize)]
struct TypeHead<'a> {
    name: &'a QualName,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    definition: Option<&'a String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<&'a Domain>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attributes: Option<&'a Vec<Attribute>>,
    comment: &'a Option<String>,
}

impl<'a> TypeHead<'a> {
    fn of(t: &'a TypeDef) -> Self {
        let composite = t.kind == "composite";
        TypeHead {
            name: &t.name,
            kind: &t.kind,
            definition: (t.domain.is_none() && !composite).then_some(&t.definition),
            domain: t.domain.as_ref(),
            attributes: composite.then_some(&t.attributes),
            comment: &t.comment,
        }
    }
}

/// The digest a type has in a catalog (as [`Catalog::digests`] computes it), without building one.
pub fn type_digest(t: &TypeDef) -> String {
    digest_of(ObjectKind::Type, &Canonical::Type(TypeHead::of(t)))
}

/// A column as digested: without its position, nor its serial sequence's name (a column's state is its
/// own, wherever it stands and whatever its sequence is called). The copy is made while it is serialized,
/// so that listing the objects of a catalog copies none of its columns.
struct ColumnState<'a>(&'a Column);

impl Serialize for ColumnState<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut c = self.0.clone();
        c.position = 0;
        if let Some(serial) = &mut c.serial {
            serial.sequence = QualName::new("", "");
        }
        c.serialize(serializer)
    }
}

#[derive(Serialize)]
struct TableHead<'a> {
    name: &'a QualName,
    partition_by: &'a Option<String>,
    partition_of: &'a Option<PartitionOf>,
    inherits: &'a Vec<QualName>,
    unlogged: bool,
    rls_enabled: bool,
    rls_forced: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    options: &'a Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replica_identity: &'a Option<ReplicaIdentity>,
    comment: &'a Option<String>,
}

impl Catalog {
    /// Every object with its key, in key order.
    fn canonical(&self) -> BTreeMap<ObjectKey, Canonical<'_>> {
        let mut out = BTreeMap::new();
        self.each_canonical(|key, value| {
            out.insert(key, value);
        });
        out
    }

    /// Calls `out` with every object's key and canonical form, kind by kind (a key met twice: the later one
    /// stands, as in [`Catalog::canonical`]).
    fn each_canonical<'a>(&'a self, mut out: impl FnMut(ObjectKey, Canonical<'a>)) {
        for s in self.schemas.values() {
            out(ObjectKey::schema(&s.name), Canonical::Schema(s));
        }
        for e in self.extensions.values() {
            out(ObjectKey::extension(&e.name), Canonical::Extension(e));
        }
        for e in self.enums.values() {
            out(ObjectKey::enum_type(&e.name), Canonical::Enum(e));
        }
        for s in self.sequences.values() {
            out(ObjectKey::sequence(&s.name), Canonical::Sequence(s));
        }
        for t in self.tables.values() {
            out(
                ObjectKey::table(&t.name),
                Canonical::Table(TableHead {
                    name: &t.name,
                    partition_by: &t.partition_by,
                    partition_of: &t.partition_of,
                    inherits: &t.inherits,
                    unlogged: t.unlogged,
                    rls_enabled: t.rls_enabled,
                    rls_forced: t.rls_forced,
                    options: &t.options,
                    replica_identity: &t.replica_identity,
                    comment: &t.comment,
                }),
            );
            for c in &t.columns {
                out(ObjectKey::column(&t.name, &c.name), Canonical::Column(ColumnState(c)));
            }
            for c in t.constraints.values() {
                out(ObjectKey::constraint(&t.name, &c.name), Canonical::Constraint(c));
            }
            for i in t.indexes.values() {
                out(ObjectKey::index(&t.name.schema, &i.name), Canonical::Index(i));
            }
            for tg in t.triggers.values() {
                out(ObjectKey::trigger(&t.name, &tg.name), Canonical::Trigger(tg));
            }
            for r in t.rules.values() {
                out(ObjectKey::rule(&t.name, &r.name), Canonical::Rule(r));
            }
            for p in t.policies.values() {
                out(ObjectKey::policy(&t.name, &p.name), Canonical::Policy(p));
            }
        }
        for v in self.views.values() {
            for tg in v.triggers.values() {
                out(ObjectKey::trigger(&v.name, &tg.name), Canonical::Trigger(tg));
            }
            for r in v.rules.values() {
                out(ObjectKey::rule(&v.name, &r.name), Canonical::Rule(r));
            }
            let head = View { triggers: BTreeMap::new(), rules: BTreeMap::new(), ..v.clone() };
            out(ObjectKey::view(&v.name), Canonical::View(Box::new(head)));
        }
        for t in self.types.values() {
            out(ObjectKey::type_def(&t.name), Canonical::Type(TypeHead::of(t)));
        }
        for f in self.functions.values() {
            out(ObjectKey::function(&f.signature), Canonical::Function(f));
        }
        for (key, d) in &self.defined {
            out(key.clone(), Canonical::Defined(d.body()));
        }
        for a in self.aggregates.values() {
            out(ObjectKey::aggregate(&a.signature), Canonical::Aggregate(a));
        }
        for e in self.event_triggers.values() {
            out(ObjectKey::event_trigger(&e.name), Canonical::EventTrigger(e));
        }
        for acl in self.privileges.values() {
            for (grantee, privileges) in &acl.grants {
                out(ObjectKey::grant(&acl.on, grantee), Canonical::Grant(privileges));
            }
        }
    }

    /// SHA-256 digest of every object's canonical serialization, by key.
    pub fn digests(&self) -> BTreeMap<ObjectKey, String> {
        self.canonical().into_iter().map(|(key, value)| (key.clone(), digest_of(key.kind, &value))).collect()
    }

    /// [`Catalog::digests`] of the objects whose key is in `keys` only (a plan's touched objects: the rest of
    /// a large catalog is not serialized nor hashed).
    pub fn digests_of(&self, keys: &BTreeSet<ObjectKey>) -> BTreeMap<ObjectKey, String> {
        self.map_of(keys, |key, value| digest_of(key.kind, value))
    }

    /// The canonical serialization (JSON, one line) of each object whose key is in `keys`: the text
    /// [`Catalog::digests`] hashes. A stale plan's refusal compares it with the object as it is now.
    pub fn states(&self, keys: &BTreeSet<ObjectKey>) -> BTreeMap<ObjectKey, String> {
        self.map_of(keys, |_, value| serde_json::to_string(value).expect("catalog objects serialize"))
    }

    /// `f` of the canonical form of each object whose key is in `keys`, made object by object (nothing is
    /// visited when `keys` is empty).
    fn map_of<T>(
        &self,
        keys: &BTreeSet<ObjectKey>,
        f: impl Fn(&ObjectKey, &Canonical<'_>) -> T,
    ) -> BTreeMap<ObjectKey, T> {
        let mut out = BTreeMap::new();
        if !keys.is_empty() {
            self.each_canonical(|key, value| {
                if keys.contains(&key) {
                    let made = f(&key, &value);
                    out.insert(key, made);
                }
            });
        }
        out
    }

    /// The digest of one object, `None` when the catalog does not hold it.
    pub fn digest(&self, key: &ObjectKey) -> Option<String> {
        self.digests().remove(key)
    }

    /// Number of objects of each kind, for reports and corpus counts.
    pub fn counts(&self) -> BTreeMap<ObjectKind, usize> {
        let mut out = BTreeMap::new();
        for key in self.canonical().keys() {
            *out.entry(key.kind).or_insert(0) += 1;
        }
        out
    }
}

fn digest_of(kind: ObjectKind, value: &Canonical<'_>) -> String {
    state_digest(kind, &serde_json::to_string(value).expect("catalog objects serialize"))
}

/// The digest of an object of `kind` whose canonical serialization is `json` (see [`Catalog::states`]).
pub fn state_digest(kind: ObjectKind, json: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!("accrete-catalog/{CATALOG_FORMAT}\n{kind}\n").as_bytes());
    hasher.update(json.as_bytes());
    hex::encode(hasher.finalize())
}

/// The digest an index has in a catalog (as [`Catalog::digests`] computes it), without building one.
pub fn index_digest(index: &Index) -> String {
    digest_of(ObjectKind::Index, &Canonical::Index(index))
}

/// The digest a constraint has in a catalog (as [`Catalog::digests`] computes it), without building one.
pub fn constraint_digest(constraint: &Constraint) -> String {
    digest_of(ObjectKind::Constraint, &Canonical::Constraint(constraint))
}

/// The digest a grantee's privileges have in a catalog (as [`Catalog::digests`] computes it).
pub fn grant_digest(privileges: &Vec<Privilege>) -> String {
    digest_of(ObjectKind::Grant, &Canonical::Grant(privileges))
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_ignore_positions_and_serial_names() {
        let col = |position, seq: &str| Column {
            name: "id".into(),
            data_type: "integer".into(),
            not_null: true,
            not_null_name: None,
            not_null_not_valid: false,
            not_null_no_inherit: false,
            default: None,
            identity: None,
            serial: Some(Box::new(Serial {
                sequence: QualName::new("app", seq),
                options: SequenceOptions {
                    data_type: "integer".into(),
                    start: 1,
                    increment: 1,
                    min_value: 1,
                    max_value: i32::MAX as i64,
                    cache: 1,
                    cycle: false,
                },
            })),
            generated: None,
            collation: None,
            comment: None,
            position,
        };
        let table = |c: Column| Table {
            name: QualName::new("app", "t"),
            partition_by: None,
            partition_of: None,
            inherits: vec![],
            unlogged: false,
            columns: vec![c],
            constraints: BTreeMap::new(),
            indexes: BTreeMap::new(),
            comment: None,
            ..Table::default()
        };
        let mut a = Catalog::default();
        a.tables.insert(QualName::new("app", "t"), table(col(1, "t_id_seq")));
        let mut b = Catalog::default();
        b.tables.insert(QualName::new("app", "t"), table(col(3, "t_id_seq1")));
        assert_eq!(a.digests(), b.digests());
        let key = ObjectKey::column(&QualName::new("app", "t"), "id");
        assert_eq!(key.to_string(), "column app.t.id");
        assert!(a.digest(&key).is_some());
    }
}
