//! How a change is named in step lines and messages: `CLASS KIND NAME[ (WHAT)]`, and what the summary
//! counts it as.
//!
//! Only the generic part lives here: a drop (to recreate, or to make an object of another kind of the
//! name) and a comment. Every other change's word is its kind's ([`PlanKind::what`],
//! [`PlanKind::step_what`] where the step line says more, like a view made again for a drop, and
//! [`PlanKind::summary_noun`] in `plan/kinds/<kind>.rs`, next to its SQL).
//!
//! [`PlanKind::what`]: super::kinds::PlanKind::what
//! [`PlanKind::step_what`]: super::kinds::PlanKind::step_what
//! [`PlanKind::summary_noun`]: super::kinds::PlanKind::summary_noun

use super::kinds;
use crate::diff::{Change, Op};
use crate::escape;
use std::fmt::Write;

/// `CLASS KIND NAME[ (WHAT)]`: a change as a step line and messages name it. `WHAT` says what the step does
/// when kind and name do not, shown as part of the name.
pub fn change_words(c: &Change) -> String {
    format!("{} {} {}", c.class, c.key.kind, shown_name(c))
}

/// The object's name as a step line shows it ([`escape::step_name`]), then what the step does to it in
/// parentheses when its kind and name do not say it: `app.t.c (validate)`.
pub fn shown_name(c: &Change) -> String {
    let mut words = escape::step_name(&c.key.name);
    let what = match kinds::of(&c.op) {
        Some(kind) => kind.step_what(c),
        None => op_word(&c.op),
    };
    if let Some(what) = what {
        write!(words, " ({})", escape::step_name(&what)).unwrap();
    }
    words
}

/// A word on what a step does when its kind and name do not say it (a validation, a comment ...).
pub fn op_word(op: &Op) -> Option<String> {
    match op {
        Op::Drop { object, replaced_by: Some(new) } if new.key().kind != object.key().kind => {
            Some(format!("drop to make a {} of the name", new.key().kind))
        }
        Op::Drop { replaced_by: Some(_), .. } => Some("drop to recreate".to_string()),
        Op::Drop { .. } => None,
        Op::SetComment { .. } | Op::ChangeComment { .. } => Some("comment".to_string()),
        _ => kinds::of(op).and_then(|kind| kind.what(op)),
    }
}

/// What the plan's summary counts a change as: `enum value`, `validation`, or its key's kind word.
pub fn summary_noun(c: &Change) -> String {
    let noun = match &c.op {
        Op::SetComment { .. } => Some("comment"),
        op => kinds::of(op).and_then(|kind| kind.summary_noun(op)),
    };
    noun.unwrap_or(c.key.kind.word()).to_string()
}
