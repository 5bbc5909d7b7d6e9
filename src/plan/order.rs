//! Dependency order of changes: edges "a before b" from what each change provides and requires (schema
//! before contents, type before use, table before its columns, columns before the constraints and indexes of
//! their table, referenced tables and keys before foreign keys, a collation before the columns and indexes
//! that use it, dictionaries before their configuration, functions before the aggregate that calls them and
//! the event trigger that executes them, an object before its comment), sorted with
//! Kahn's algorithm and a priority key (rank of the operation, then identity), never a DFS order.
//!
//! Some edges also require a transaction boundary: a `VALIDATE CONSTRAINT` runs in a later transaction than
//! its `NOT VALID` addition (otherwise the validation holds the stronger lock), and a step that uses an enum
//! type runs after the transaction that added values to it commits (a new value is unusable before).

use crate::catalog::{Defined, ObjectKey, ObjectKind, QualName, Table};
use crate::diff::{Change, CommentOn, Op};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Something a change makes that others may need.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Resource {
    Schema(String),
    Extension(String),
    Type(QualName),
    EnumValues(QualName),
    Sequence(QualName),
    Table(QualName),
    Columns(QualName),
    Column(QualName, String),
    Keys(QualName),
    Constraint(QualName, String),
    Index(QualName),
    /// Any object by its key: what `pg_depend` edges of the desired side refer to.
    Object(ObjectKey),
    /// An object dropped (before its replacement is created, after what depends on it is dropped).
    Dropped(ObjectKey),
    /// A column no longer in a primary key (which forces NOT NULL).
    Released(ObjectKey),
    /// A stage of a multi-step change of one object (NOT NULL through a check, an index rebuilt).
    Stage(ObjectKey, u8),
}

/// An edge's kind: plain order, or order across a transaction boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Before,
    InLaterTransaction,
}

/// The changes in order, with for each (by position in the result) the positions that must be committed in
/// an earlier transaction.
pub struct Ordered {
    pub changes: Vec<Change>,
    pub later_transaction_than: Vec<Vec<usize>>,
}

fn rank(op: &Op) -> u8 {
    match op {
        // Comments after what they are on.
        Op::SetComment { .. } | Op::ChangeComment { .. } => 15,
        // Drops late, parts before wholes; a replacement's drop is pulled forward by its edges.
        Op::Drop { object, .. } => super::kinds::of_object(object).drop_rank(object),
        op => super::kinds::of(op).expect("a change of a kind").rank(op),
    }
}

/// A stage's position among the stages of its change.
fn stage(op: &Op) -> Option<u8> {
    super::kinds::of(op).and_then(|kind| kind.stage(op))
}

fn provides(op: &Op) -> Vec<Resource> {
    match op {
        Op::SetComment { .. } | Op::ChangeComment { .. } => vec![],
        // A relation replaced by one of another kind (a table by a view) frees its name for it; what the
        // object takes along (a table's parts) is freed with it.
        Op::Drop { object, replaced_by } => {
            let mut out = vec![Resource::Dropped(object.key())];
            out.extend(
                replaced_by.iter().map(|r| r.key()).filter(|k| *k != object.key()).map(Resource::Dropped),
            );
            out.extend(super::kinds::of_object(object).drop_provides(object));
            out
        }
        op => super::kinds::of(op).expect("a change of a kind").provides(op),
    }
}

/// Names of types, sequences and enums made by the plan, to resolve references written as text (a column's
/// type, a default's `nextval('app.s'::regclass)` or `'x'::app.status`); and of collations, text search
/// objects and functions, for the references in index definitions (`COLLATE app.x`), expressions
/// (`'app.docs'::regconfig`), configurations (`WITH app.dict`) and aggregates (`SFUNC = app.f`).
pub(super) struct Known {
    pub(super) types: Vec<QualName>,
    pub(super) sequences: Vec<QualName>,
    /// Objects of the statement-defined kinds.
    pub(super) defined: Vec<(ObjectKind, QualName)>,
    /// Functions by name, with their signatures.
    pub(super) functions: Vec<(QualName, String)>,
}

impl Known {
    pub(super) fn type_refs(&self, data_type: &str) -> Vec<QualName> {
        let base = data_type.trim_end_matches("[]");
        self.types.iter().filter(|t| t.sql() == base).cloned().collect()
    }

    pub(super) fn refs_in_expr(&self, expr: &str) -> (Vec<QualName>, Vec<QualName>) {
        let types = self.types.iter().filter(|t| expr.contains(&format!("::{}", t.sql()))).cloned().collect();
        let seqs =
            self.sequences.iter().filter(|s| expr.contains(&format!("'{}'", s.sql()))).cloned().collect();
        (types, seqs)
    }

    pub(super) fn column(&self, c: &crate::catalog::Column, out: &mut Vec<(Resource, Edge)>) {
        if let Some(collation) = &c.collation {
            out.push((Resource::Object(ObjectKey::collation(collation)), Edge::Before));
        }
        if let Some(generated) = &c.generated {
            self.text_refs(generated, out);
        }
        for t in self.type_refs(&c.data_type) {
            out.push((Resource::Type(t.clone()), Edge::Before));
            out.push((Resource::EnumValues(t), Edge::InLaterTransaction));
        }
        for expr in [&c.default, &c.generated].into_iter().flatten() {
            let (types, seqs) = self.refs_in_expr(expr);
            for t in types {
                out.push((Resource::Type(t.clone()), Edge::Before));
                out.push((Resource::EnumValues(t), Edge::InLaterTransaction));
            }
            out.extend(seqs.into_iter().map(|s| (Resource::Sequence(s), Edge::Before)));
        }
    }

    pub(super) fn expr(&self, expr: &str, out: &mut Vec<(Resource, Edge)>) {
        let (types, _) = self.refs_in_expr(expr);
        for t in types {
            out.push((Resource::Type(t.clone()), Edge::Before));
            out.push((Resource::EnumValues(t), Edge::InLaterTransaction));
        }
        self.text_refs(expr, out);
    }

    /// The statement-defined objects an expression or definition names, as each kind says it is named
    /// (`COLLATE app.x`, `'app.docs'::regconfig`, a configuration's `WITH app.dict`).
    pub(super) fn text_refs(&self, expr: &str, out: &mut Vec<(Resource, Edge)>) {
        for (kind, name) in &self.defined {
            if (crate::kinds::get(*kind).mentioned_in)(expr, name) {
                out.push((Resource::Object(Defined::key_of(*kind, name)), Edge::Before));
            }
        }
    }

    /// What a statement-defined object's statements name.
    pub(super) fn definition_refs(&self, d: &Defined, out: &mut Vec<(Resource, Edge)>) {
        let mut refs = Vec::new();
        self.text_refs(&d.definition, &mut refs);
        out.extend(refs.into_iter().filter(|(r, _)| *r != Resource::Object(d.key())));
    }
}

fn requires(op: &Op, known: &Known) -> Vec<(Resource, Edge)> {
    match op {
        Op::SetComment { on, .. } => vec![(comment_requires(on), Edge::Before)],
        Op::ChangeComment { .. } | Op::Drop { .. } => vec![],
        op => super::kinds::of(op).expect("a change of a kind").requires(op, known),
    }
}

/// What a comment waits for: the object it is on.
fn comment_requires(on: &CommentOn) -> Resource {
    super::kinds::of_comment(on).comment_requires(on)
}

pub(super) fn table_requires(t: &Table, known: &Known, out: &mut Vec<(Resource, Edge)>) {
    out.push((Resource::Schema(t.name.schema.clone()), Edge::Before));
    if let Some(p) = &t.partition_of {
        out.push((Resource::Table(p.parent.clone()), Edge::Before));
        out.push((Resource::Columns(p.parent.clone()), Edge::Before));
    }
    for parent in &t.inherits {
        out.push((Resource::Table(parent.clone()), Edge::Before));
        out.push((Resource::Columns(parent.clone()), Edge::Before));
    }
    for c in &t.columns {
        known.column(c, out);
    }
}

/// A column default or domain check dropped only to be set again around another change (`part_of`).
fn sets_aside(change: &Change) -> bool {
    change.part_of.is_some() && super::kinds::of(&change.op).is_some_and(|kind| kind.sets_aside(&change.op))
}

/// What depends on each object on the live side.
pub(super) type Dependents<'a> = BTreeMap<&'a ObjectKey, Vec<&'a ObjectKey>>;

/// What each object depends on (the desired side's `pg_depend`).
pub type Dependencies = BTreeMap<ObjectKey, std::collections::BTreeSet<ObjectKey>>;

/// Orders `changes`. Deterministic: the same changes in the same input order give the same output.
pub fn order(changes: Vec<Change>, dependencies: &Dependencies, live_dependencies: &Dependencies) -> Ordered {
    let mut dependents: Dependents = BTreeMap::new();
    for (from, tos) in live_dependencies {
        for to in tos {
            dependents.entry(to).or_default().push(from);
        }
    }
    let mut known = Known { types: vec![], sequences: vec![], defined: vec![], functions: vec![] };
    for change in &changes {
        if let Some(kind) = super::kinds::of(&change.op) {
            kind.learn(&change.op, &mut known);
        }
    }
    let mut graph: DiGraph<usize, Edge> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..changes.len()).map(|i| graph.add_node(i)).collect();
    let mut providers: BTreeMap<Resource, Vec<usize>> = BTreeMap::new();
    for (i, change) in changes.iter().enumerate() {
        for r in provides(&change.op) {
            providers.entry(r).or_default().push(i);
        }
        if let Some(s) = stage(&change.op) {
            providers.entry(Resource::Stage(change.key.clone(), s)).or_default().push(i);
        }
        // A default or a domain check set aside for what its expression calls (a function made again) frees
        // it like a drop.
        if sets_aside(change) {
            providers.entry(Resource::Dropped(change.key.clone())).or_default().push(i);
        }
        // Every change that makes an object provides it by key, for the pg_depend edges below.
        let provides_keys =
            super::kinds::of(&change.op).is_none_or(|kind| kind.provides_its_keys(&change.op));
        if provides_keys && !matches!(change.op, Op::SetComment { .. } | Op::Drop { .. }) {
            for key in change.keys() {
                providers.entry(Resource::Object(key)).or_default().push(i);
            }
        }
    }
    for (i, change) in changes.iter().enumerate() {
        let mut required = requires(&change.op, &known);
        let is_drop = matches!(change.op, Op::Drop { .. });
        // A default or check set aside (for a function made again) needs nothing its declared form uses.
        let set_aside = sets_aside(change);
        for key in change.keys() {
            if set_aside {
                continue;
            }
            if !is_drop {
                for dep in dependencies.get(&key).into_iter().flatten() {
                    required.push((Resource::Object(dep.clone()), Edge::Before));
                }
                // A replacement is created after its predecessor is dropped.
                required.push((Resource::Dropped(key.clone()), Edge::Before));
            }
            // What depends on the object on the live side and is dropped goes first; before a plain drop,
            // so do the changes that make a dependent let go of it (a default that no longer calls a sequence).
            // A key constraint is used through its index (foreign keys depend on that).
            let backing = match &change.op {
                Op::Drop { object, .. } => super::kinds::of_object(object).used_through(object),
                _ => None,
            };
            let users =
                dependents.get(&key).into_iter().chain(backing.as_ref().and_then(|b| dependents.get(b)));
            for d in users.flatten() {
                required.push((Resource::Dropped((*d).clone()), Edge::Before));
                if matches!(change.op, Op::Drop { replaced_by: None, .. }) {
                    required.push((Resource::Object((*d).clone()), Edge::Before));
                }
            }
        }
        if matches!(change.op, Op::SetComment { .. } | Op::ChangeComment { .. }) {
            // After whatever makes or remakes the object.
            required.push((Resource::Object(change.key.clone()), Edge::Before));
        }
        match super::kinds::of(&change.op).and_then(|kind| kind.stage_requires(change, &dependents)) {
            Some(needs) => required.extend(needs),
            // Each stage in a transaction after the previous one commits.
            None => {
                if let Some(s) = stage(&change.op).filter(|s| *s > 0) {
                    required.push((Resource::Stage(change.key.clone(), s - 1), Edge::InLaterTransaction));
                }
            }
        }
        for (resource, edge) in required {
            for &p in providers.get(&resource).into_iter().flatten() {
                if p != i && graph.find_edge(nodes[p], nodes[i]).is_none() {
                    graph.add_edge(nodes[p], nodes[i], edge);
                }
            }
        }
    }
    let key = |i: usize| Reverse((rank(&changes[i].op), changes[i].key.clone(), i));
    let mut indegree: Vec<usize> =
        nodes.iter().map(|&n| graph.neighbors_directed(n, Direction::Incoming).count()).collect();
    let mut ready: BinaryHeap<_> = (0..changes.len()).filter(|&i| indegree[i] == 0).map(key).collect();
    let mut sequence = Vec::with_capacity(changes.len());
    let mut placed = vec![false; changes.len()];
    loop {
        while let Some(Reverse((_, _, i))) = ready.pop() {
            if placed[i] {
                continue;
            }
            placed[i] = true;
            sequence.push(i);
            for next in graph.neighbors_directed(nodes[i], Direction::Outgoing) {
                let j = graph[next];
                if placed[j] {
                    continue;
                }
                indegree[j] = indegree[j].saturating_sub(1);
                if indegree[j] == 0 {
                    ready.push(key(j));
                }
            }
        }
        // A cycle (none of the kinds planned today can form one) must not lose changes: release the
        // lowest-keyed change still waiting and go on; its guard reports what is missing at apply.
        match (0..changes.len()).filter(|&i| !placed[i]).min_by_key(|&i| key(i).0) {
            None => break,
            Some(i) => {
                tracing::warn!(change = %changes[i].key, "dependency cycle; ordering by priority");
                indegree[i] = 0;
                ready.push(key(i));
            }
        }
    }
    let position: BTreeMap<usize, usize> = sequence.iter().enumerate().map(|(pos, &i)| (i, pos)).collect();
    let later_transaction_than = sequence
        .iter()
        .map(|&i| {
            graph
                .edges_directed(nodes[i], Direction::Incoming)
                .filter(|e| *e.weight() == Edge::InLaterTransaction)
                .map(|e| position[&graph[e.source()]])
                .collect()
        })
        .collect();
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    let changes = sequence.iter().map(|&i| slots[i].take().expect("each change placed once")).collect();
    Ordered { changes, later_transaction_than }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Aggregate, Column};

    fn known() -> Known {
        Known {
            types: vec![],
            sequences: vec![],
            defined: vec![
                (ObjectKind::Collation, QualName::new("app", "ci")),
                (ObjectKind::TextSearchDictionary, QualName::new("app", "en")),
                (ObjectKind::TextSearchDictionary, QualName::new("app", "e")),
                (ObjectKind::TextSearchConfiguration, QualName::new("app", "docs")),
            ],
            functions: vec![(QualName::new("app", "add"), "app.add(bigint,integer)".into())],
        }
    }

    fn objects(required: Vec<(Resource, Edge)>) -> Vec<String> {
        required
            .into_iter()
            .filter_map(|(r, _)| match r {
                Resource::Object(key) => Some(key.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn collations_and_configurations_come_before_what_names_them() {
        let column = Column {
            name: "v".into(),
            data_type: "tsvector".into(),
            generated: Some("to_tsvector('app.docs'::regconfig, body)".into()),
            collation: Some(QualName::new("app", "ci")),
            position: 1,
            ..Default::default()
        };
        let op = Op::AddColumn { table: QualName::new("app", "t"), column };
        assert_eq!(
            objects(requires(&op, &known())),
            ["collation app.ci", "text_search_configuration app.docs"]
        );
        let mut out = Vec::new();
        known().expr("USING btree (name COLLATE app.ci)", &mut out);
        known().expr("USING btree (name COLLATE app.cix)", &mut out);
        assert_eq!(objects(out), ["collation app.ci"]);
    }

    #[test]
    fn a_configuration_follows_its_dictionaries_and_an_aggregate_its_functions() {
        let config = Defined {
            kind: ObjectKind::TextSearchConfiguration,
            name: QualName::new("app", "docs"),
            definition: "CREATE TEXT SEARCH CONFIGURATION app.docs (PARSER = pg_catalog.\"default\");\n\
                         ALTER TEXT SEARCH CONFIGURATION app.docs ADD MAPPING FOR word WITH simple, app.en;"
                .into(),
            comment: None,
        };
        let op = Op::CreateDefined(config);
        assert_eq!(objects(requires(&op, &known())), ["text_search_dictionary app.en"]);
        let aggregate = Aggregate {
            name: QualName::new("app", "total"),
            signature: "app.total(integer)".into(),
            arguments: "integer".into(),
            definition: "CREATE AGGREGATE app.total(integer) (SFUNC = app.add, STYPE = bigint)".into(),
            comment: None,
        };
        let op = Op::CreateAggregate(aggregate);
        assert_eq!(objects(requires(&op, &known())), ["function app.add(bigint,integer)"]);
    }
}
