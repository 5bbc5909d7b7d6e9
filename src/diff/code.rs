//! What every object defined by its text shares: created when the database lacks it, reported with a
//! unified diff when its text differs (redefining is an alter, which the kind's own diff file plans), and
//! its declared comment compared. Views, functions, types, triggers and rules, policies and the
//! statement-defined kinds each have their own file and use it.

use super::model::{Class, CommentOn, Comparison, Op};
use super::objects::comment;
use crate::catalog::ObjectKey;

/// An object defined by its text: `definition` and `comment`.
pub(super) struct Defined<'a> {
    pub(super) definition: &'a str,
    pub(super) comment: Option<&'a String>,
}

/// The comparison every object defined by text gets: created (by `create`'s change) when the database
/// lacks it, reported with a unified diff when its text differs, and its declared comment compared.
pub(super) fn compare_defined(
    out: &mut Comparison,
    key: ObjectKey,
    on: CommentOn,
    declared: Defined<'_>,
    live: Option<Defined<'_>>,
    create: impl FnOnce() -> Op,
) {
    let live_comment = match &live {
        None => {
            out.missing.push(key.clone());
            out.change(Class::Add, key.clone(), create(), vec![]);
            None
        }
        Some(l) => {
            if l.definition != declared.definition {
                out.changed_text(key.clone(), "definition", l.definition, declared.definition);
            }
            l.comment
        }
    };
    if let Some(text) = declared.comment {
        comment(out, key, on, live_comment, text);
    }
}
