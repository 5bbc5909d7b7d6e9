//! User mappings in schema files: their option values may be secrets (a password), and nothing accrete
//! reads from the files may carry one into the scratch database, a snapshot, a plan or a message. A
//! mapping is declared with its option names and empty values (`OPTIONS (user '', password '')`); a value
//! is refused where it is written, without repeating it. The role is named: `CURRENT_USER` and the like
//! would be the loader in the scratch database, not the role meant on the target.

use super::class::Reject;
use super::words::{find_top, is, word};
use sqlparser::tokenizer::{Token, TokenWithSpan};

pub(crate) const SECRET: Reject = Reject {
    code: "secret-in-schema-file",
    why: "gives a user mapping's option a value, and such a value may be a secret (a password)",
    help: "leave secret values out of schema files: declare the option with an empty value \
           (`OPTIONS (user '', password '')`); the plan creates the mapping so and lists, as a step to run \
           by hand, the `ALTER USER MAPPING ... OPTIONS (SET password '...')` that gives it its value",
};

pub(crate) const SESSION_ROLE: Reject = Reject {
    code: "user-mapping-role",
    why: "maps the session's role (CURRENT_USER, USER, SESSION_USER, CURRENT_ROLE), which in the scratch \
          database is accrete's loader, not the role meant on the target",
    help: "name the role (`CREATE USER MAPPING FOR app_reader SERVER ...`), or PUBLIC",
};

/// Why a `CREATE` or `ALTER USER MAPPING` statement may not be in a schema file; `None` for any other
/// statement, and for a mapping with a named role and empty values.
pub(crate) fn user_mapping(t: &[TokenWithSpan]) -> Option<Reject> {
    if !((is(t, 0, "CREATE") || is(t, 0, "ALTER")) && is(t, 1, "USER") && is(t, 2, "MAPPING")) {
        return None;
    }
    if let Some(at) = find_top(t, 3, "FOR") {
        let role = word(t, at + 1).map(str::to_ascii_uppercase);
        if matches!(role.as_deref(), Some("CURRENT_USER" | "USER" | "SESSION_USER" | "CURRENT_ROLE")) {
            return Some(SESSION_ROLE);
        }
    }
    let options = find_top(t, 3, "OPTIONS")?;
    let valued = t[options..].iter().any(|token| match &token.token {
        Token::SingleQuotedString(s)
        | Token::EscapedStringLiteral(s)
        | Token::NationalStringLiteral(s)
        | Token::UnicodeStringLiteral(s) => !s.is_empty(),
        Token::DollarQuotedString(d) => !d.value.is_empty(),
        _ => false,
    });
    valued.then_some(SECRET)
}
