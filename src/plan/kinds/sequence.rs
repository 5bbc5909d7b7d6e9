//! Free-standing sequences in a plan (identity and serial ones are their column's): created with their
//! options, altered in place (restarted where the declared range leaves the current value outside), given
//! an owner (`OWNED BY` a column, after it exists) or moved to another owner or none (before the old owner
//! is dropped, which would take the sequence along). Dropped with its position, which the rollback cannot
//! make again; an owner given cannot be taken back either.

use super::{CommentTarget, Inverse, PlanKind, Undoing, drop_again, relation_comment_target, transactional};
use crate::catalog::{
    Catalog, ColumnRef, GrantOn, ObjectKey, QualName, Sequence, SequenceOptions, quote_literal,
};
use crate::diff::{Change, CommentOn, Obj, Op};
use crate::plan::guards::{
    Guarded, State, owner_sql, regclass, sequence_options_match, sequence_options_sql, set_sequence_owner,
    three_way, to_regclass,
};
use crate::plan::guards_alter::{before_after_actions, sequence_actions};
use crate::plan::lock::{LockDuration, LockMode, StepLock};
use crate::plan::order::{Edge, Known, Resource};
use crate::plan::rollback::Undo;

pub(super) struct SequenceKind;
pub(super) static SEQUENCE: SequenceKind = SequenceKind;

fn object(object: &Obj) -> &Sequence {
    let Obj::Sequence(s) = object else { unreachable!("a sequence") };
    s
}

fn commented(on: &CommentOn) -> &QualName {
    let CommentOn::Sequence(name) = on else { unreachable!("a sequence's comment") };
    name
}

fn state(s: &Sequence) -> State {
    let exists = format!("{} IS NOT NULL", to_regclass(&s.name));
    let same = sequence_options_match(&regclass(&s.name), &s.options, true);
    State { exists, same, object: format!("sequence {}", s.name) }
}

fn create_sql(s: &Sequence) -> String {
    format!("CREATE SEQUENCE {} {}", s.name.sql(), sequence_options_sql(&s.options, true))
}

fn alter_sql(name: &QualName, to: &SequenceOptions) -> String {
    format!("ALTER SEQUENCE {} {}", name.sql(), sequence_options_sql(to, true))
}

fn alter(step: usize, name: &QualName, from: &SequenceOptions, to: &SequenceOptions) -> String {
    let state = |o: &SequenceOptions| {
        state(&Sequence { name: name.clone(), options: o.clone(), owned_by: None, comment: None })
    };
    before_after_actions(
        step,
        &state(to).same,
        &state(from).same,
        &format!("sequence {name} already has the planned options"),
        &format!("sequence {name} was changed since the plan"),
        &sequence_actions(
            &quote_literal(&name.sql()),
            &format!("sequence {name}"),
            from,
            to,
            &alter_sql(name, to),
        ),
    )
}

/// The table an owner's change locks: the new owner's, or the old one's when it is let go of.
fn owner_table<'a>(from: &'a Option<ColumnRef>, to: &'a Option<ColumnRef>) -> Option<&'a QualName> {
    to.as_ref().or(from.as_ref()).map(|c| &c.table)
}

impl PlanKind for SequenceKind {
    fn guard(&self, step: usize, op: &Op) -> Guarded {
        transactional(match op {
            Op::CreateSequence(s) => {
                let st = state(s);
                three_way(step, &st.exists, &st.same, &st.object, &[create_sql(s)])
            }
            Op::SetSequenceOwner { sequence, from, to } => {
                set_sequence_owner(step, sequence, from.as_ref(), to.as_ref())
            }
            Op::AlterSequence { name, from, to } => alter(step, name, from, to),
            _ => unreachable!("a sequence's change"),
        })
    }

    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateSequence(s) => vec![create_sql(s)],
            Op::SetSequenceOwner { sequence, to, .. } => vec![owner_sql(sequence, to.as_ref())],
            Op::AlterSequence { name, to, .. } => vec![alter_sql(name, to)],
            _ => unreachable!("a sequence's change"),
        }
    }

    fn what(&self, op: &Op) -> Option<String> {
        Some(match op {
            Op::SetSequenceOwner { to: Some(c), .. } => format!("owned by {}.{}", c.table, c.column),
            Op::SetSequenceOwner { to: None, .. } => "owned by none".to_string(),
            Op::AlterSequence { .. } => "options".to_string(),
            _ => return None,
        })
    }

    fn summary_noun(&self, op: &Op) -> Option<&'static str> {
        matches!(op, Op::SetSequenceOwner { .. }).then_some("sequence owner")
    }

    fn rank(&self, op: &Op) -> u8 {
        match op {
            Op::SetSequenceOwner { .. } => 7,
            _ => 4,
        }
    }

    fn provides(&self, op: &Op) -> Vec<Resource> {
        match op {
            Op::CreateSequence(s) => vec![Resource::Sequence(s.name.clone())],
            // The sequence let go of by its owner, which is dropped after (the drop of a column or table
            // takes the sequences it owns along): the drop waits for what depends on it to be gone.
            Op::SetSequenceOwner { sequence, from: Some(_), .. } => {
                vec![Resource::Dropped(ObjectKey::sequence(sequence))]
            }
            _ => vec![],
        }
    }

    fn requires(&self, op: &Op, _known: &Known) -> Vec<(Resource, Edge)> {
        match op {
            Op::CreateSequence(s) => vec![(Resource::Schema(s.name.schema.clone()), Edge::Before)],
            Op::SetSequenceOwner { sequence, to, .. } => {
                let mut out = vec![(Resource::Sequence(sequence.clone()), Edge::Before)];
                if let Some(c) = to {
                    out.push((Resource::Column(c.table.clone(), c.column.clone()), Edge::Before));
                }
                out
            }
            _ => vec![],
        }
    }

    fn learn(&self, op: &Op, known: &mut Known) {
        if let Op::CreateSequence(s) = op {
            known.sequences.push(s.name.clone());
        }
    }

    fn apply(&self, c: &mut Catalog, op: &Op) {
        match op {
            Op::CreateSequence(s) => {
                c.sequences.insert(s.name.clone(), s.clone());
            }
            Op::SetSequenceOwner { sequence, to, .. } => {
                if let Some(s) = c.sequences.get_mut(sequence) {
                    s.owned_by = to.clone();
                }
            }
            Op::AlterSequence { name, to, .. } => {
                if let Some(s) = c.sequences.get_mut(name) {
                    s.options = to.clone();
                }
                // A serial column's sequence is part of its column.
                for t in c.tables.values_mut() {
                    for col in &mut t.columns {
                        if let Some(s) = col.serial.as_mut().filter(|s| &s.sequence == name) {
                            s.options = to.clone();
                        }
                    }
                }
            }
            _ => unreachable!("a sequence's change"),
        }
    }

    fn created_on(&self, op: &Op) -> Option<GrantOn> {
        match op {
            Op::CreateSequence(s) => Some(GrantOn::Sequence(s.name.clone())),
            _ => None,
        }
    }

    fn inverse(&self, change: &Change, _undoing: &Undoing<'_>) -> Inverse {
        match &change.op {
            Op::CreateSequence(s) => drop_again(Obj::Sequence(s.clone()), vec![]),
            Op::SetSequenceOwner { from: None, .. } => Err(Some("the sequence owner stays".into())),
            Op::SetSequenceOwner { sequence, from, to } => Ok(vec![(
                Op::SetSequenceOwner { sequence: sequence.clone(), from: to.clone(), to: from.clone() },
                vec![],
            )]),
            Op::AlterSequence { name, from, to } => {
                let hazards = crate::diff::restart_hazard(to, from);
                Ok(vec![(
                    Op::AlterSequence { name: name.clone(), from: to.clone(), to: from.clone() },
                    hazards,
                )])
            }
            _ => unreachable!("a sequence's change"),
        }
    }

    fn creates(&self, op: &Op) -> bool {
        !matches!(op, Op::SetSequenceOwner { .. })
    }

    fn lock(&self, change: &Change) -> StepLock {
        match &change.op {
            Op::SetSequenceOwner { .. } => {
                StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Brief }
            }
            _ => StepLock { mode: LockMode::None, duration: LockDuration::Brief },
        }
    }

    fn locked_table<'a>(&self, op: &'a Op) -> Option<&'a QualName> {
        match op {
            Op::SetSequenceOwner { from, to, .. } => owner_table(from, to),
            _ => None,
        }
    }

    fn relations(&self, op: &Op) -> Vec<QualName> {
        match op {
            Op::CreateSequence(s) => vec![s.name.clone()],
            _ => vec![],
        }
    }

    fn state(&self, o: &Obj) -> State {
        state(object(o))
    }

    fn drop_sql(&self, o: &Obj) -> String {
        format!("DROP SEQUENCE {}", object(o).name.sql())
    }

    fn drop_rank(&self, _object: &Obj) -> u8 {
        22
    }

    fn drop_lock(&self, _object: &Obj) -> StepLock {
        StepLock { mode: LockMode::AccessExclusive, duration: LockDuration::Brief }
    }

    fn dropped(&self, c: &mut Catalog, o: &Obj) {
        c.sequences.remove(&object(o).name);
    }

    fn grant_on(&self, o: &Obj) -> Option<GrantOn> {
        Some(GrantOn::Sequence(object(o).name.clone()))
    }

    fn holds_data(&self, _object: &Obj) -> bool {
        true
    }

    fn recreate(&self, _object: &Obj) -> Undo {
        vec![]
    }

    fn comment_target(&self, on: &CommentOn) -> CommentTarget {
        relation_comment_target("SEQUENCE", "sequence", commented(on))
    }

    fn comment_requires(&self, on: &CommentOn) -> Resource {
        Resource::Sequence(commented(on).clone())
    }

    fn commented(&self, c: &mut Catalog, on: &CommentOn, text: Option<String>) {
        if let Some(s) = c.sequences.get_mut(commented(on)) {
            s.comment = text;
        }
    }
}
