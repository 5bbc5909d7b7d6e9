//! How a change is named in step lines and messages: `CLASS KIND NAME[ (WHAT)]`, and what the summary
//! counts it as.
//!
//! Only the generic part lives here: a drop (to recreate, or to make an object of another kind of the
//! name), a comment, and a view made again for a drop. Every other change's word is its kind's
//! ([`PlanKind::what`], [`PlanKind::summary_noun`] in `plan/kinds/<kind>.rs`, next to its SQL).
//!
//! [`PlanKind::what`]: super::kinds::PlanKind::what
//! [`PlanKind::summary_noun`]: super::kinds::PlanKind::summary_noun

use super::kinds;
use crate::diff::{Change, Class, Op};
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
    // A view made again for a drop (one over a table dropped to make a view of its name).
    let made_again = c.class == Class::Drop && matches!(c.op, Op::CreateView(_));
    if made_again {
        words.push_str(" (create again)");
    } else if let Some(what) = op_word(&c.op) {
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
