//! The data a comparison produces: changes (what the add class makes) and the report categories.

use crate::catalog::{
    Aggregate, Attribute, Catalog, Column, ColumnRef, Constraint, Defined, DomainCheck, EnumType,
    EventTrigger, Extension, FiringState, Function, GrantOn, Identity, Index, ObjectKey, ObjectKind,
    PartitionOf, Policy, Privilege, QualName, ReplicaIdentity, Rule, Schema, Sequence, SequenceOptions,
    Serial, Table, Trigger, TypeDef, View,
};
pub use crate::policy::{Class, Hazard};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Where a new enum label goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum EnumPosition {
    Before(String),
    After(String),
}

/// What a comment is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CommentOn {
    Schema(String),
    Table(QualName),
    Column(QualName, String),
    Enum(QualName),
    Sequence(QualName),
    Constraint(QualName, String),
    Index(QualName),
    View(QualName, bool),
    Function(String, String),
    Trigger(QualName, String),
    Policy(QualName, String),
    Rule(QualName, String),
    /// An object of a statement-defined kind (`crate::kinds`).
    Defined(ObjectKind, QualName),
    /// An aggregate by signature, and how `COMMENT ON AGGREGATE` names it (`app.pct(double precision ORDER BY
    /// double precision)`, `app.cnt(*)`).
    Aggregate(String, String),
    EventTrigger(String),
}

impl CommentOn {
    /// A comment on the type `name` (a domain, composite or range type): `COMMENT ON TYPE`, the target an
    /// enum's comment has too.
    pub fn type_def(name: &QualName) -> Self {
        CommentOn::Enum(name.clone())
    }

    /// A comment on the aggregate `a`, which `COMMENT ON AGGREGATE` names by its arguments.
    pub fn aggregate(a: &Aggregate) -> Self {
        CommentOn::Aggregate(a.signature.clone(), format!("{}({})", a.name.sql(), a.arguments))
    }
}

/// One change, as data. SQL exists only after planning.
// A drop carries the object and its replacement by value so that guards and patterns can read them; a plan
// holds thousands of changes at most, so the size is not worth boxing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Op {
    CreateSchema(Schema),
    CreateExtension(Extension),
    CreateEnum(EnumType),
    AddEnumValue {
        name: QualName,
        value: String,
        position: EnumPosition,
    },
    CreateSequence(Sequence),
    /// `ALTER SEQUENCE ... OWNED BY`, after the column exists.
    /// `ALTER SEQUENCE ... OWNED BY`: given an owner (add class, `from` is `None`), or moved to another
    /// column or to none (alter class; before the old owner is dropped, which would take the sequence along).
    SetSequenceOwner {
        sequence: QualName,
        from: Option<ColumnRef>,
        to: Option<ColumnRef>,
    },
    /// The table with its columns (constraints, indexes and comments are changes of their own).
    CreateTable(Table),
    AddColumn {
        table: QualName,
        column: Column,
    },
    /// How it is added: [`AddForm`].
    AddConstraint {
        table: QualName,
        constraint: Constraint,
        form: AddForm,
    },
    ValidateConstraint {
        table: QualName,
        constraint: Constraint,
    },
    /// `CONCURRENTLY` unless the table is new (or partitioned); an invalid index of the same name (a failed
    /// concurrent build) is dropped first. On a partitioned table that exists and has partitions, `ON ONLY`
    /// the table, followed by an [`Op::PartitionIndex`] for each partition.
    CreateIndex {
        index: Index,
        table_is_new: bool,
        replace_invalid: bool,
    },
    /// A partition's share of an index added to a partitioned table that exists (made `ON ONLY` that table,
    /// invalid until every partition has an index attached): `Build` makes `index` on the partition
    /// (`CONCURRENTLY`; `ON ONLY` again on a sub-partitioned partition, whose own partitions follow), and
    /// `Attach` attaches it to `parent`, the index of the table the partition belongs to. `reused`: `index` is
    /// one the partition already has (same definition, valid, not attached), attached without a `Build`, as
    /// PostgreSQL's own `CREATE INDEX` on the parent would.
    PartitionIndex {
        index: Index,
        parent: QualName,
        reused: bool,
        /// The partition is partitioned itself.
        partitioned: bool,
        stage: PartitionStage,
    },
    SetComment {
        on: CommentOn,
        text: String,
    },
    /// A domain, range type or composite type.
    CreateType(TypeDef),
    CreateView(View),
    /// A function or procedure (`kind` says which).
    CreateFunction(Function),
    CreateTrigger {
        table: QualName,
        trigger: Trigger,
    },
    CreateRule {
        table: QualName,
        rule: Rule,
    },
    CreatePolicy {
        table: QualName,
        policy: Policy,
    },
    EnableRowSecurity {
        table: QualName,
    },
    ForceRowSecurity {
        table: QualName,
    },
    /// `ALTER TABLE ... DISABLE ROW LEVEL SECURITY` (alter class, `disables-rls`).
    DisableRowSecurity {
        table: QualName,
    },
    /// `ALTER TABLE ... NO FORCE ROW LEVEL SECURITY` (alter class, `disables-rls`).
    NoForceRowSecurity {
        table: QualName,
    },
    /// An object of a statement-defined kind (`crate::kinds`), made by its statements.
    CreateDefined(Defined),
    /// An object of a statement-defined kind altered in place (`crate::kinds::alter`): `statements` turn
    /// `from` (the live object) into `to` (the declared one, with the live comment: a comment is a change
    /// of its own). The class follows how far the statements reach (`Reach`).
    AlterDefined {
        from: Defined,
        to: Defined,
        statements: Vec<String>,
    },
    CreateAggregate(Aggregate),
    /// `CREATE EVENT TRIGGER`, then `ALTER EVENT TRIGGER ... ENABLE ALWAYS` (or the like) when it is not to
    /// fire in the default state.
    CreateEventTrigger(EventTrigger),
    /// `ALTER EVENT TRIGGER ... ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS` of `trigger` (its
    /// definition, which the guard checks with each state). Alter class.
    SetEventTriggerEnabled {
        trigger: EventTrigger,
        from: FiringState,
        to: FiringState,
    },
    /// Privileges granted to one grantee: `from` is what it holds when planned, `to` adds the missing
    /// privileges (and grant options). Add class.
    Grant {
        on: GrantOn,
        grantee: String,
        from: Vec<Privilege>,
        to: Vec<Privilege>,
    },
    /// Privileges (or only their grant options) revoked from one grantee: `to` is what stays. Alter class,
    /// except a default privilege revoked from an object the same plan creates (part of making it).
    Revoke {
        on: GrantOn,
        grantee: String,
        from: Vec<Privilege>,
        to: Vec<Privilege>,
    },
    // Alter class: each records the state it was planned from, which its guard checks.
    AlterColumnType {
        table: QualName,
        column: String,
        from: String,
        to: String,
        /// How values convert (`USING`); `None`: PostgreSQL's assignment cast, which fails on a value that
        /// does not fit.
        using: Option<String>,
        /// Whether PostgreSQL rewrites the table for it (not for a widening it can do in the catalog).
        rewrite: bool,
        /// The column's collation before and after. A type change without `COLLATE` gives the column the
        /// new type's default collation, so a collation that is not the default is written with it.
        from_collation: Option<QualName>,
        to_collation: Option<QualName>,
        /// `Some((old, new))`: the column's default (`old`) is dropped before (it may not convert) and `new`
        /// set after.
        reset_default: Option<(Option<String>, Option<String>)>,
    },
    SetColumnDefault {
        table: QualName,
        column: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// NOT NULL without a long ACCESS EXCLUSIVE lock: a `CHECK (c IS NOT NULL) NOT VALID`, its validation
    /// in a later transaction, then `SET NOT NULL` (which uses the validated check instead of a scan) and the
    /// check dropped.
    ///
    /// On PostgreSQL 18, where NOT NULL is a constraint: `name` is the constraint's name where it is not the
    /// default (the `Set` stage adds it under that name, `ADD CONSTRAINT name NOT NULL col`), and for
    /// `ValidateConstraint` the live constraint's name; `no_inherit` makes it `NO INHERIT`.
    SetNotNull {
        table: QualName,
        column: String,
        stage: NotNullStage,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        no_inherit: bool,
    },
    /// PostgreSQL 18: a column's NOT NULL constraint renamed out of the way of a declared constraint that
    /// takes its name (a CHECK named `<table>_<column>_not_null`, as loading the files names it): to the
    /// name the files give the NOT NULL (`..._not_null1`). Serves that constraint's addition.
    RenameNotNull {
        table: QualName,
        column: String,
        from: String,
        to: String,
    },
    DropNotNull {
        table: QualName,
        column: String,
    },
    /// PostgreSQL 18: a column's NOT NULL constraint (`name`, the target's) made `NO INHERIT` (`no_inherit`)
    /// or inheritable again, in place: `ALTER TABLE ... ALTER CONSTRAINT name [NO] INHERIT`. Made
    /// inheritable, it is added to the table's children, which are scanned for NULLs.
    SetNotNullInherit {
        table: QualName,
        column: String,
        name: String,
        no_inherit: bool,
    },
    AlterSequence {
        name: QualName,
        from: SequenceOptions,
        to: SequenceOptions,
    },
    /// A comment's text changed (`to: None`: removed, as a rollback does).
    ChangeComment {
        on: CommentOn,
        from: String,
        to: Option<String>,
    },
    /// Identity added (after any default is dropped and NOT NULL is set; the sequence then continues after
    /// the largest value), dropped (values stay), or its kind or options changed.
    SetIdentity {
        table: QualName,
        column: String,
        from: Option<Identity>,
        to: Option<Identity>,
    },
    /// A free sequence that a column's default calls becomes the column's serial (`OWNED BY` the column),
    /// or a serial's sequence becomes a free one (`OWNED BY NONE`); values and default stay.
    SequenceOwnership {
        table: QualName,
        column: String,
        serial: Serial,
        adopt: bool,
    },
    /// A plain integer column made serial (its sequence created, the default set, the sequence owned by the
    /// column and continued after the largest value), or a serial made plain (default and sequence dropped).
    SerialChange {
        table: QualName,
        column: String,
        serial: Serial,
        add: bool,
    },
    /// A serial column made an identity column (`to_identity`) or back, in place: its default and sequence
    /// replaced by `ADD GENERATED ... AS IDENTITY` under the serial sequence's name (or the identity dropped
    /// and a sequence, default and ownership made), the new sequence set to the old one's position so that
    /// no value is handed out twice.
    SerialIdentity {
        table: QualName,
        column: String,
        serial: Serial,
        identity: Identity,
        to_identity: bool,
    },
    /// A column's collation changed (`ALTER COLUMN ... TYPE ... COLLATE`; `None`: its type's default).
    SetCollation {
        table: QualName,
        column: String,
        data_type: String,
        from: Option<QualName>,
        to: Option<QualName>,
    },
    /// `ALTER COLUMN ... DROP EXPRESSION`: a generated column becomes a plain one, keeping its values.
    DropExpression {
        table: QualName,
        column: String,
    },
    /// `ALTER TABLE ... SET LOGGED` / `SET UNLOGGED` (rewrites the table).
    SetLogged {
        table: QualName,
        unlogged: bool,
    },
    /// `ALTER TABLE ... ENABLE|DISABLE [REPLICA|ALWAYS] TRIGGER|RULE name`: when a trigger or rule fires
    /// (`kind`: trigger or rule).
    SetPartFiring {
        kind: ObjectKind,
        table: QualName,
        name: String,
        from: FiringState,
        to: FiringState,
    },
    /// `ALTER TABLE ... SET (...), RESET (...)`: storage parameters from `from` to `to` (sorted lists).
    SetTableOptions {
        table: QualName,
        from: Vec<String>,
        to: Vec<String>,
    },
    /// A table made a partition of its parent (`ATTACH PARTITION`), a partition given other bounds (`DETACH`,
    /// then `ATTACH` with them, in one transaction), or detached (`None`, a rollback). PostgreSQL checks the
    /// rows against the bounds as it attaches.
    SetPartitionOf {
        table: QualName,
        from: Option<PartitionOf>,
        to: Option<PartitionOf>,
    },
    /// `ALTER TABLE ... REPLICA IDENTITY ...` (`None`: the default).
    SetReplicaIdentity {
        table: QualName,
        from: Option<ReplicaIdentity>,
        to: Option<ReplicaIdentity>,
    },
    /// `CREATE OR REPLACE FUNCTION` (same signature and result type).
    ReplaceFunction {
        from: Function,
        to: Function,
    },
    /// An index redefined online: the new definition built concurrently under a temporary name, the old
    /// index dropped concurrently, the new one renamed to the declared name.
    ReplaceIndex {
        old: Index,
        new: Index,
        stage: ReplaceStage,
    },
    /// An enum whose values are reordered or removed: made again under a temporary name, every column that
    /// uses it converted through text, the old type dropped and the new one renamed to the declared name
    /// (the one other rename accrete does: of a type it made in the same plan).
    ReplaceEnum {
        old: EnumType,
        new: EnumType,
        stage: EnumStage,
    },
    /// A domain or composite type altered in place (`ALTER DOMAIN`, `ALTER TYPE ... ATTRIBUTE`): one part
    /// per step, each guarded by the state of that part it was planned from.
    AlterType {
        name: QualName,
        change: TypeChange,
    },
    /// Drop class, and the first half of a redefinition that PostgreSQL can only do by drop and create
    /// (`replaced_by`: the object the next steps create under the same name).
    /// Boxed: an `Obj` holds a whole table, and every change would otherwise be the size of two ([`Op::drop`]
    /// makes one).
    Drop {
        object: Box<Obj>,
        replaced_by: Option<Box<Obj>>,
    },
}

impl Op {
    /// [`Op::Drop`] of `object`, made again as `replaced_by` when given.
    pub fn drop(object: Obj, replaced_by: Option<Obj>) -> Op {
        Op::Drop { object: Box::new(object), replaced_by: replaced_by.map(Box::new) }
    }
}

/// One part of a domain or composite type changed in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeChange {
    /// `ALTER DOMAIN ... SET DEFAULT` / `DROP DEFAULT`.
    DomainDefault {
        from: Option<String>,
        to: Option<String>,
    },
    /// `ALTER DOMAIN ... SET NOT NULL` (fails when a column using the domain holds a NULL) / `DROP NOT NULL`.
    DomainNotNull {
        to: bool,
    },
    /// `ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID`: quick; [`TypeChange::ValidateCheck`] checks the
    /// values in a later transaction. `replaces`: the check of that name dropped before it.
    AddCheck {
        name: String,
        check: DomainCheck,
        replaces: Option<DomainCheck>,
    },
    ValidateCheck {
        name: String,
        check: DomainCheck,
    },
    /// `ALTER DOMAIN ... DROP CONSTRAINT`; a changed check is dropped, then added again as `replaced_by`.
    DropCheck {
        name: String,
        check: DomainCheck,
        replaced_by: Option<DomainCheck>,
    },
    /// `ALTER TYPE ... ADD ATTRIBUTE` (appended; values of columns using the type get NULL there).
    AddAttribute(Attribute),
    /// `ALTER TYPE ... DROP ATTRIBUTE` (its values in columns using the type are gone).
    DropAttribute(Attribute),
    /// `ALTER TYPE ... ALTER ATTRIBUTE ... TYPE` (PostgreSQL refuses while a table column uses the type).
    AttributeType {
        from: Attribute,
        to: Attribute,
    },
}

impl TypeChange {
    /// A stage among the steps of one domain check: added `NOT VALID`, then validated in a later transaction.
    pub fn stage(&self) -> Option<u8> {
        match self {
            TypeChange::AddCheck { .. } => Some(0),
            TypeChange::ValidateCheck { .. } => Some(1),
            _ => None,
        }
    }
}

/// How a constraint is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AddForm {
    /// On a table the plan creates: as declared, with nothing to check or build against rows.
    NewTable,
    /// On a table that exists: a foreign key or check `NOT VALID`, validated by a later
    /// [`Op::ValidateConstraint`] step in another transaction; a key builds its index.
    Existing,
    /// On a table that exists, validated by the statement that adds it: a foreign key on a partitioned
    /// table, where PostgreSQL before 18 refuses `NOT VALID`.
    AtOnce,
    /// A primary key or unique constraint that takes over the target's unique index of its name, which
    /// has the definition the key would build (`ADD CONSTRAINT ... USING INDEX`): nothing is built. The
    /// index, as it was, is what a rollback makes again.
    UsingIndex(Index),
}

impl AddForm {
    /// Whether the statement adds `c` as `NOT VALID`: declared so, or on a table that exists, where a
    /// validation step follows.
    pub fn not_valid(&self, c: &Constraint) -> bool {
        use crate::catalog::ConstraintKind as K;
        c.enforced()
            && (!c.validated || (*self == AddForm::Existing && matches!(c.kind, K::ForeignKey | K::Check)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum NotNullStage {
    AddCheck,
    Validate,
    Set,
    /// PostgreSQL 18: `ADD CONSTRAINT name NOT NULL col NOT VALID`, a NOT NULL declared `NOT VALID`.
    NotValid,
    /// PostgreSQL 18: `VALIDATE CONSTRAINT name` of a NOT NULL the target has `NOT VALID`.
    ValidateConstraint,
}

/// The steps of an enum made again, in order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum EnumStage {
    CreateTemporary,
    /// A column converted to the temporary type (its default dropped first, set again after the rename).
    Column {
        table: QualName,
        column: String,
        array: bool,
        default: Option<String>,
    },
    DropOld,
    Rename,
    /// A column's default set again once the type has its name back.
    Default {
        table: QualName,
        column: String,
        default: String,
    },
}

impl EnumStage {
    pub fn order(&self) -> u8 {
        match self {
            EnumStage::CreateTemporary => 0,
            EnumStage::Column { .. } => 1,
            EnumStage::DropOld => 2,
            EnumStage::Rename => 3,
            EnumStage::Default { .. } => 4,
        }
    }
}

/// The steps of a partition's index, in order ([`Op::PartitionIndex`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PartitionStage {
    Build,
    Attach,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ReplaceStage {
    Build,
    DropOld,
    Rename,
}

/// An object as a drop sees it: what it is and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Obj {
    Schema(Schema),
    Extension(Extension),
    Enum(EnumType),
    Type(TypeDef),
    Sequence(Sequence),
    Table(Table),
    Column {
        table: QualName,
        column: Column,
    },
    Constraint {
        table: QualName,
        constraint: Constraint,
    },
    /// `concurrently`: on a table that is not partitioned.
    Index {
        index: Index,
        concurrently: bool,
    },
    View(View),
    Function(Function),
    Trigger {
        table: QualName,
        trigger: Trigger,
    },
    Rule {
        table: QualName,
        rule: Rule,
    },
    Policy {
        table: QualName,
        policy: Policy,
    },
    Defined(Defined),
    Aggregate(Aggregate),
    EventTrigger(EventTrigger),
}

impl Obj {
    pub fn key(&self) -> ObjectKey {
        match self {
            Obj::Schema(s) => ObjectKey::schema(&s.name),
            Obj::Extension(e) => ObjectKey::extension(&e.name),
            Obj::Enum(e) => ObjectKey::enum_type(&e.name),
            Obj::Type(t) => ObjectKey::type_def(&t.name),
            Obj::Sequence(s) => ObjectKey::sequence(&s.name),
            Obj::Table(t) => ObjectKey::table(&t.name),
            Obj::Column { table, column } => ObjectKey::column(table, &column.name),
            Obj::Constraint { table, constraint } => ObjectKey::constraint(table, &constraint.name),
            Obj::Index { index, .. } => ObjectKey::index(&index.table.schema, &index.name),
            Obj::View(v) => ObjectKey::view(&v.name),
            Obj::Function(f) => ObjectKey::function(&f.signature),
            Obj::Trigger { table, trigger } => ObjectKey::trigger(table, &trigger.name),
            Obj::Rule { table, rule } => ObjectKey::rule(table, &rule.name),
            Obj::Policy { table, policy } => ObjectKey::policy(table, &policy.name),
            Obj::Defined(d) => d.key(),
            Obj::Aggregate(a) => ObjectKey::aggregate(&a.signature),
            Obj::EventTrigger(e) => ObjectKey::event_trigger(&e.name),
        }
    }

    /// The object of `catalog` under `key`, for the kinds a change takes along as dependents (views,
    /// policies, functions, aggregates, triggers, rules, constraints and indexes; `None` for the others).
    pub(super) fn named(catalog: &Catalog, key: &ObjectKey) -> Option<Obj> {
        let part = |on: &QualName, name: &str| ObjectKey::new(key.kind, format!("{on}.{name}")) == *key;
        match key.kind {
            ObjectKind::View => view_named(catalog, key).map(|v| Obj::View(v.clone())),
            ObjectKind::Policy => policy_named(catalog, key)
                .map(|(table, policy)| Obj::Policy { table: table.clone(), policy: policy.clone() }),
            ObjectKind::Function => catalog
                .functions
                .values()
                .find(|f| ObjectKey::function(&f.signature) == *key)
                .map(|f| Obj::Function(f.clone())),
            ObjectKind::Aggregate => catalog
                .aggregates
                .values()
                .find(|a| ObjectKey::aggregate(&a.signature) == *key)
                .map(|a| Obj::Aggregate(a.clone())),
            ObjectKind::Trigger => catalog.relation_parts().find_map(|(on, triggers, _)| {
                triggers
                    .values()
                    .find(|x| part(on, &x.name))
                    .map(|x| Obj::Trigger { table: on.clone(), trigger: x.clone() })
            }),
            ObjectKind::Rule => catalog.relation_parts().find_map(|(on, _, rules)| {
                rules
                    .values()
                    .find(|x| part(on, &x.name))
                    .map(|x| Obj::Rule { table: on.clone(), rule: x.clone() })
            }),
            ObjectKind::Constraint => catalog.tables.values().find_map(|t| {
                t.constraints
                    .values()
                    .find(|x| ObjectKey::constraint(&t.name, &x.name) == *key)
                    .map(|x| Obj::Constraint { table: t.name.clone(), constraint: x.clone() })
            }),
            ObjectKind::Index => catalog.tables.values().find_map(|t| {
                t.indexes
                    .values()
                    .find(|x| ObjectKey::index(&t.name.schema, &x.name) == *key)
                    .map(|x| Obj::Index { index: x.clone(), concurrently: t.partition_by.is_none() })
            }),
            _ => None,
        }
    }

    /// Whether the object is a foreign key, which a change does not take along as a dependent (the keys it
    /// uses are followed by `constraints::dependent_foreign_keys`).
    pub(super) fn is_foreign_key(&self) -> bool {
        matches!(self, Obj::Constraint { constraint, .. } if constraint.references.is_some())
    }

    /// Pushes the changes that make the object (taken along as a dependent) again under `key`, without its
    /// comment, which a change of its own sets: for the kinds [`Obj::named`] finds.
    pub(super) fn create_again(self, key: &ObjectKey, out: &mut Comparison) {
        let key = key.clone();
        match self {
            Obj::View(v) => out.change(Class::Alter, key, Op::CreateView(v.bare()), vec![]),
            Obj::Policy { table, policy } => {
                let policy = Policy { comment: None, ..policy };
                out.change(Class::Alter, key, Op::CreatePolicy { table, policy }, vec![])
            }
            Obj::Trigger { table, trigger } => {
                let trigger = Trigger { comment: None, ..trigger };
                out.change(Class::Alter, key, Op::CreateTrigger { table, trigger }, vec![])
            }
            Obj::Rule { table, rule } => {
                let rule = Rule { comment: None, ..rule };
                out.change(Class::Alter, key, Op::CreateRule { table, rule }, vec![])
            }
            Obj::Function(f) => {
                let f = Function { comment: None, ..f };
                out.change(Class::Alter, key, Op::CreateFunction(f), vec![])
            }
            Obj::Aggregate(a) => {
                let a = Aggregate { comment: None, ..a };
                out.change(Class::Alter, key, Op::CreateAggregate(a), vec![])
            }
            Obj::Constraint { table, constraint } => {
                let bare = Constraint { comment: None, ..constraint };
                super::constraints::create_constraint(&table, &bare, AddForm::Existing, out)
            }
            Obj::Index { index, .. } => {
                let bare = Index { comment: None, ..index };
                let op = Op::CreateIndex { index: bare, table_is_new: false, replace_invalid: false };
                out.change(Class::Alter, key, op, vec![Hazard::BuildsIndex])
            }
            _ => {}
        }
    }

    /// The parts that depend on the object automatically rather than through a normal dependency, and go
    /// when it is dropped: a view's triggers and rules.
    pub(super) fn automatic_parts(&self) -> Vec<ObjectKey> {
        match self {
            Obj::View(v) => {
                let triggers = v.triggers.keys().map(|t| ObjectKey::trigger(&v.name, t));
                triggers.chain(v.rules.keys().map(|r| ObjectKey::rule(&v.name, r))).collect()
            }
            _ => vec![],
        }
    }

    /// What a comment on the object is on, for the kinds whose comment is set again after they are dropped
    /// and made again (`alter::restore_comments`): columns, types, constraints, indexes, views, functions,
    /// triggers, rules, policies and event triggers. `None` for the others.
    pub(super) fn comment_on(&self) -> Option<CommentOn> {
        Some(match self {
            Obj::Column { table, column } => CommentOn::Column(table.clone(), column.name.clone()),
            Obj::Type(t) => CommentOn::type_def(&t.name),
            Obj::Constraint { table, constraint } => {
                CommentOn::Constraint(table.clone(), constraint.name.clone())
            }
            Obj::Index { index, .. } => CommentOn::Index(QualName::new(&index.table.schema, &index.name)),
            Obj::View(v) => CommentOn::View(v.name.clone(), v.materialized),
            Obj::Function(f) => CommentOn::Function(f.signature.clone(), f.kind.clone()),
            Obj::Trigger { table, trigger } => CommentOn::Trigger(table.clone(), trigger.name.clone()),
            Obj::Rule { table, rule } => CommentOn::Rule(table.clone(), rule.name.clone()),
            Obj::Policy { table, policy } => CommentOn::Policy(table.clone(), policy.name.clone()),
            Obj::EventTrigger(e) => CommentOn::EventTrigger(e.name.clone()),
            _ => return None,
        })
    }

    /// The object's comment, for the kinds [`Obj::comment_on`] names.
    pub(super) fn comment(&self) -> Option<&String> {
        match self {
            Obj::Column { column, .. } => column.comment.as_ref(),
            Obj::Type(t) => t.comment.as_ref(),
            Obj::Constraint { constraint, .. } => constraint.comment.as_ref(),
            Obj::Index { index, .. } => index.comment.as_ref(),
            Obj::View(v) => v.comment.as_ref(),
            Obj::Function(f) => f.comment.as_ref(),
            Obj::Trigger { trigger, .. } => trigger.comment.as_ref(),
            Obj::Rule { rule, .. } => rule.comment.as_ref(),
            Obj::Policy { policy, .. } => policy.comment.as_ref(),
            Obj::EventTrigger(e) => e.comment.as_ref(),
            _ => None,
        }
    }

    /// The privileges that a drop and create of the object gives back (`grants::restore_on_recreated`): those
    /// of a view (with its columns') and of a function. `None` for the others.
    pub(super) fn regranted_on(&self) -> Option<GrantOn> {
        match self {
            Obj::View(v) => Some(GrantOn::Table(v.name.clone())),
            Obj::Function(f) => Some(GrantOn::Function(f.signature.clone())),
            _ => None,
        }
    }

    /// The table the object belongs to, for parts of a table.
    pub fn table(&self) -> Option<&QualName> {
        match self {
            Obj::Column { table, .. }
            | Obj::Constraint { table, .. }
            | Obj::Trigger { table, .. }
            | Obj::Rule { table, .. }
            | Obj::Policy { table, .. } => Some(table),
            Obj::Index { index, .. } => Some(&index.table),
            Obj::Table(t) => Some(&t.name),
            _ => None,
        }
    }
}

/// Which dependents a change takes along.
#[derive(Clone, Copy)]
pub(super) enum Takes {
    /// Views and policies (an enum's old type dropped).
    Relations,
    /// What holds code that PostgreSQL keeps bound to the object: views, rules, policies, triggers, functions
    /// with SQL-standard bodies (a column's type, a relation's drop; PostgreSQL itself rebuilds the
    /// indexes and constraints of a column whose type changes).
    Code,
    /// Everything that can call a function: also aggregates, column defaults, constraints, domain checks and
    /// indexes.
    All,
}

impl Takes {
    pub(super) fn admits(self, kind: ObjectKind) -> bool {
        use ObjectKind as K;
        match self {
            Takes::Relations => matches!(kind, K::View | K::Policy),
            Takes::Code => matches!(kind, K::View | K::Policy | K::Rule | K::Trigger | K::Function),
            Takes::All => matches!(
                kind,
                K::View
                    | K::Policy
                    | K::Rule
                    | K::Trigger
                    | K::Function
                    | K::Aggregate
                    | K::Column
                    | K::Constraint
                    | K::Index
                    | K::Type
            ),
        }
    }

    /// Whether the dependents of a dependent are taken along too: through what is made of other objects'
    /// definitions (views and functions), never through a column or a table.
    pub(super) fn passes_through(kind: ObjectKind) -> bool {
        matches!(kind, ObjectKind::View | ObjectKind::Function)
    }
}

impl Op {
    /// For a change PostgreSQL refuses while other objects use what it changes (`alter::dependent_views`):
    /// the object whose users are taken along (dropped before, made again after), and which users. `key`
    /// is the change's own.
    pub(super) fn takes_dependents(&self, key: &ObjectKey) -> Option<(ObjectKey, Takes)> {
        match self {
            Op::AlterColumnType { .. } => Some((key.clone(), Takes::Code)),
            Op::Drop { object, replaced_by: Some(_) } if matches!(**object, Obj::View(_) | Obj::Table(_)) => {
                Some((key.clone(), Takes::Code))
            }
            Op::Drop { object, replaced_by: Some(_) } if matches!(**object, Obj::Function(_)) => {
                Some((key.clone(), Takes::All))
            }
            Op::ReplaceEnum { stage: EnumStage::Column { table, column, .. }, .. } => {
                Some((ObjectKey::column(table, column), Takes::Code))
            }
            Op::ReplaceEnum { stage: EnumStage::DropOld, .. } => Some((key.clone(), Takes::Relations)),
            Op::Drop { object, replaced_by: Some(_) } if matches!(**object, Obj::Column { .. }) => {
                Some((key.clone(), Takes::Code))
            }
            _ => None,
        }
    }

    /// Whether the change redefines its object in place in a way that a drop and create of the same object
    /// supersedes: a function replaced (`CREATE OR REPLACE`).
    pub(super) fn redefines_in_place(&self) -> bool {
        matches!(self, Op::ReplaceFunction { .. })
    }

    /// Whether the change creates an object that starts with privileges of its own, which the plan gives
    /// from the creator's default privileges (`grants::plan_from_initial_privileges`).
    pub(super) fn creates_with_privileges(&self) -> bool {
        matches!(
            self,
            Op::CreateSchema(_)
                | Op::CreateEnum(_)
                | Op::CreateType(_)
                | Op::CreateSequence(_)
                | Op::CreateTable(_)
                | Op::CreateView(_)
                | Op::CreateFunction(_)
                | Op::CreateAggregate(_)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    /// The object the change makes or modifies.
    pub key: ObjectKey,
    pub op: Op,
    pub hazards: Vec<Hazard>,
    /// For a step that serves another object's change (a dependent view dropped and recreated around a
    /// column's type change): that object. A policy admits the step by it.
    pub part_of: Option<ObjectKey>,
}

/// An object present on both sides that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub key: ObjectKey,
    /// The class of change it would take.
    pub class: Class,
    /// What differs, one line each: `type: live integer, declared numeric(12,2)`.
    pub differences: Vec<String>,
    /// For objects defined by text (views, functions, triggers ...): a unified diff, live to declared.
    pub diff: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikelyRename {
    pub from: ObjectKey,
    pub to: ObjectKey,
    /// 0 to 100: how alike the two are.
    pub score: u32,
    /// The statement that would rename it, built from the names' parts (a name may hold a dot).
    #[serde(skip)]
    pub rename_sql: String,
}

impl LikelyRename {
    /// What the report says: that accrete does not rename, and what to do instead.
    pub fn advice(&self) -> String {
        let (from, to) = (&self.from, &self.to);
        let what = from.kind.word();
        let rename = &self.rename_sql;
        format!(
            "looks like a rename of {what} {} to {}: accrete does not rename. To keep the data under the new name, \
             run `{rename}` by hand, then plan again; otherwise the plan adds {} empty and leaves {} (dropping it \
             needs --allow drop:{what})",
            from.name, to.name, to.name, from.name
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquivalentOtherName {
    pub declared: ObjectKey,
    pub live: ObjectKey,
    /// Whether the declared name was written by the user (not one PostgreSQL would choose).
    pub user_named: bool,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub changes: Vec<Change>,
    /// Declared objects the database lacks (top-level: a missing table is listed, not its columns).
    pub missing: Vec<ObjectKey>,
    /// Objects the database has that are not declared, in scope.
    pub extra: Vec<ObjectKey>,
    pub changed: Vec<Changed>,
    pub likely_renames: Vec<LikelyRename>,
    pub equivalent_other_name: Vec<EquivalentOtherName>,
    pub unmodeled: BTreeMap<String, u64>,
}

impl Change {
    /// The object the change makes again under its own key (`alter::restore_comments`): the replacement a
    /// drop names (not a relation of another kind made under the name), the new definition of an index
    /// rebuilt online.
    pub(super) fn made_again(&self) -> Option<Obj> {
        match &self.op {
            Op::Drop { replaced_by: Some(obj), .. } if obj.key() == self.key => Some((**obj).clone()),
            Op::ReplaceIndex { new, stage: ReplaceStage::Build, .. } => {
                Some(Obj::Index { index: new.clone(), concurrently: true })
            }
            _ => None,
        }
    }

    /// The object a policy judges the step by: the one it serves, else its own.
    pub fn subject(&self) -> &ObjectKey {
        self.part_of.as_ref().unwrap_or(&self.key)
    }

    /// The keys of the objects the change makes or modifies: its own, and for a new table its columns
    /// (created by the same statement).
    pub fn keys(&self) -> Vec<ObjectKey> {
        let mut keys = vec![self.key.clone()];
        if let Op::CreateTable(t) = &self.op {
            keys.extend(t.columns.iter().map(|c| ObjectKey::column(&t.name, &c.name)));
        }
        keys
    }
}

/// The changes by the keys whose differences they resolve: the one each serves, and the object it changes
/// on behalf of another change (privileges given back to a view created again). Built once, so reports
/// look each reported object up instead of scanning every change for it.
pub fn by_concern<'a>(
    changes: impl IntoIterator<Item = &'a Change>,
) -> BTreeMap<&'a ObjectKey, Vec<&'a Change>> {
    let mut out: BTreeMap<&ObjectKey, Vec<&Change>> = BTreeMap::new();
    for change in changes {
        out.entry(change.subject()).or_default().push(change);
        if change.key != *change.subject() {
            out.entry(&change.key).or_default().push(change);
        }
    }
    out
}

impl Comparison {
    pub(super) fn change(&mut self, class: Class, key: ObjectKey, op: Op, hazards: Vec<Hazard>) {
        self.changes.push(Change { class, key, op, hazards, part_of: None });
    }

    /// An undeclared object in scope: reported as extra, and dropped if the drop class is admitted.
    pub(super) fn extra(&mut self, object: Obj, hazards: Vec<Hazard>) {
        self.extra_replaced(object, None, hazards);
    }

    /// An undeclared relation whose name is declared as a relation of another kind (a table where a view is
    /// declared): extra, and dropped (drop class) so that `replaced_by` can be made under its name.
    pub(super) fn extra_replaced(&mut self, object: Obj, replaced_by: Option<Obj>, hazards: Vec<Hazard>) {
        let key = object.key();
        self.extra.push(key.clone());
        self.change(Class::Drop, key, Op::drop(object, replaced_by), hazards);
    }

    pub(super) fn changed(&mut self, key: ObjectKey, class: Class, differences: Vec<String>) {
        self.changed.push(Changed { key, class, differences, diff: None });
    }

    /// An object defined by text whose text differs: reported with a unified diff.
    pub(super) fn changed_text(&mut self, key: ObjectKey, what: &str, live: &str, declared: &str) {
        let line_end = |t: &str| if t.ends_with('\n') { t.to_string() } else { format!("{t}\n") };
        let (live, declared) = (line_end(live), line_end(declared));
        let diff = similar::TextDiff::from_lines(&live, &declared)
            .unified_diff()
            .context_radius(2)
            .header("live", "declared")
            .to_string();
        self.changed.push(Changed {
            key,
            class: Class::Alter,
            differences: vec![format!("{what} differs")],
            diff: Some(diff),
        });
    }

    /// Sorts every list so output never depends on the order of discovery.
    pub(super) fn finish(&mut self) {
        self.missing.sort();
        self.missing.dedup();
        self.extra.sort();
        self.extra.dedup();
        self.changed.sort_by(|a, b| a.key.cmp(&b.key));
        // Grouped by the declared object, best candidate first.
        self.likely_renames
            .sort_by(|a, b| a.to.cmp(&b.to).then(b.score.cmp(&a.score)).then(a.from.cmp(&b.from)));
        // A name PostgreSQL chose is not the user's: matching it under another name is not worth a report.
        self.equivalent_other_name.retain(|e| e.user_named);
        self.equivalent_other_name.sort_by(|a, b| a.declared.cmp(&b.declared));
    }

    /// Whether the two sides are in sync for the given categories.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

/// A differences line when `live != declared`: `type: live integer, declared numeric(12,2)`.
pub(super) fn differ(what: &str, live: impl fmt::Display, declared: impl fmt::Display) -> Option<String> {
    let (live, declared) = (live.to_string(), declared.to_string());
    (live != declared).then(|| format!("{what}: live {live}, declared {declared}"))
}

/// An optional value for a differences line.
pub(super) fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "none".to_string())
}

fn policy_named<'a>(
    catalog: &'a Catalog,
    key: &ObjectKey,
) -> Option<(&'a QualName, &'a crate::catalog::Policy)> {
    if key.kind != ObjectKind::Policy {
        return None;
    }
    catalog.tables.values().find_map(|t| {
        t.policies.values().find(|p| ObjectKey::policy(&t.name, &p.name) == *key).map(|p| (&t.name, p))
    })
}

fn view_named<'a>(catalog: &'a Catalog, key: &ObjectKey) -> Option<&'a View> {
    catalog.views.values().find(|v| ObjectKey::view(&v.name) == *key)
}
