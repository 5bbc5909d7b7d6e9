//! A column's type change as PostgreSQL does it: whether it rewrites the table, whether a value can fail
//! to convert, and which cast `ALTER COLUMN ... TYPE` uses (or why the change is refused). Pure functions
//! of the two types as `format_type` prints them; the column's diff (`columns`) and the plan use them.

/// Whether PostgreSQL rewrites the table to change a column from `from` to `to` (types as `format_type`
/// prints them). No rewrite: a varchar, numeric or varbit whose limit grows or goes, varchar to text,
/// `cidr` to `inet`, and `timestamp` with and without time zone under the plan's pinned `TimeZone = UTC`.
pub fn type_change_rewrites(from: &str, to: &str) -> bool {
    fn split(t: &str) -> (&str, Option<Vec<i64>>) {
        match t.split_once('(') {
            Some((base, rest)) => {
                let args = rest.trim_end_matches(')').split(',').map(|a| a.trim().parse().ok()).collect();
                (base.trim(), args)
            }
            None => (t, Some(vec![])),
        }
    }
    let ((fb, fa), (tb, ta)) = (split(from), split(to));
    let (Some(fa), Some(ta)) = (fa, ta) else { return true };
    let widening =
        |fa: &[i64], ta: &[i64]| ta.is_empty() || (fa.len() == 1 && ta.len() == 1 && ta[0] >= fa[0]);
    match (fb, tb) {
        ("character varying", "character varying") | ("bit varying", "bit varying") => !widening(&fa, &ta),
        ("character varying", "text") => false,
        ("numeric", "numeric") => {
            let ok = ta.is_empty() || (fa.len() == 2 && ta.len() == 2 && ta[1] == fa[1] && ta[0] >= fa[0]);
            !ok
        }
        ("cidr", "inet") => false,
        ("timestamp without time zone", "timestamp with time zone")
        | ("timestamp with time zone", "timestamp without time zone") => fa != ta,
        _ => true,
    }
}

/// How `ALTER COLUMN ... TYPE` converts a column from `from` to `to` (types as `format_type` prints them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conversion {
    /// PostgreSQL's assignment cast, no `USING`: a value that does not fit fails the step.
    Assignment,
    /// No assignment cast, and the explicit cast fails on a value that does not fit (a string parsed by the
    /// new type's input function: text to integer, uuid, date, jsonb): `USING col::type`, `may-fail-on-data`.
    Explicit,
    /// Not planned, for the reason given: either cast would change values without an error (round them,
    /// or map several to one), or PostgreSQL has no cast between the two types at all.
    Refused(String),
}

/// The conversion of a column from `from` to `to`. A string type (text, varchar, char, name) converts to
/// every other type through that type's input function, an explicit cast that errors on what it cannot
/// read; the other explicit-only casts PostgreSQL ships are sorted one by one. Refused whatever the cast:
/// a fractional value rounded to a smaller numeric scale or an integer type, a time value rounded to a
/// smaller precision, an integer made boolean (every nonzero value becomes true).
pub fn type_conversion(from: &str, to: &str) -> Conversion {
    let array = |t: &str| t.ends_with("[]");
    if array(from) != array(to) {
        return Conversion::Assignment;
    }
    let (from, to) = (from.trim_end_matches("[]"), to.trim_end_matches("[]"));
    let split = |t: &str| -> (String, Vec<i64>) {
        match t.split_once('(') {
            Some((base, rest)) => (
                base.trim().to_string(),
                rest.split(')')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|a| a.trim().parse().ok())
                    .collect(),
            ),
            None => (t.trim().to_string(), vec![]),
        }
    };
    let ((fb, fa), (tb, ta)) = (split(from), split(to));
    let string = |b: &str| matches!(b, "text" | "character varying" | "character" | "name" | "bpchar");
    let integer = |b: &str| matches!(b, "smallint" | "integer" | "bigint");
    let fractional = |b: &str| matches!(b, "numeric" | "real" | "double precision" | "jsonb") || string(b);
    // Time types: the precision (`timestamp(0) without time zone` prints its typmod before the zone words).
    let time = |t: &str| {
        let base = t.split('(').next().unwrap_or(t).trim();
        let words = t.split(')').next_back().unwrap_or("").trim();
        let base = if t.contains('(') { format!("{base} {words}") } else { base.to_string() };
        matches!(
            base.trim(),
            "timestamp without time zone"
                | "timestamp with time zone"
                | "time without time zone"
                | "time with time zone"
                | "interval"
        )
    };
    let precision = |args: &[i64]| args.first().copied().unwrap_or(6);
    if tb == "numeric" && ta.len() == 2 {
        let scale = ta[1];
        let more = match fb.as_str() {
            "numeric" => fa.len() != 2 || fa[1] > scale,
            b => fractional(b),
        };
        if more {
            return Conversion::Refused(format!(
                "values of {from} with more than {scale} decimal places would be rounded silently to {to}"
            ));
        }
    }
    if integer(&tb) && fractional(&fb) && !string(&fb) {
        return Conversion::Refused(format!("fractional values of {from} would be rounded silently to {to}"));
    }
    if time(to) && !ta.is_empty() && (string(&fb) || (time(from) && precision(&fa) > precision(&ta))) {
        return Conversion::Refused(format!(
            "values of {from} would be rounded silently to the precision of {to}"
        ));
    }
    if string(&fb) {
        return if string(&tb) { Conversion::Assignment } else { Conversion::Explicit };
    }
    match (fb.as_str(), tb.as_str()) {
        ("jsonb", "boolean" | "numeric" | "double precision") | ("boolean", "integer") => {
            Conversion::Explicit
        }
        (f, t) if f.ends_with("range") && t.ends_with("multirange") => Conversion::Explicit,
        ("integer", "boolean") => {
            Conversion::Refused(format!("every nonzero value of {from} would become true in {to}"))
        }
        ("jsonb", _) if !string(&tb) => Conversion::Refused(format!(
            "the explicit cast from {from} to {to} changes values without an error"
        )),
        (f, t) if f == t || string(t) || !builtin(f) || !builtin(t) || castable(f, t) => {
            Conversion::Assignment
        }
        _ => Conversion::Refused(format!(
            "PostgreSQL has no cast from {from} to {to}; write the conversion by hand (USING an expression)"
        )),
    }
}

/// The built-in base types whose casts [`castable`] knows; a conversion with any other type (an enum, a
/// domain, an extension's type) is left to PostgreSQL's assignment cast, as declared.
fn builtin(base: &str) -> bool {
    matches!(
        base,
        "smallint"
            | "integer"
            | "bigint"
            | "numeric"
            | "real"
            | "double precision"
            | "money"
            | "boolean"
            | "date"
            | "timestamp without time zone"
            | "timestamp with time zone"
            | "time without time zone"
            | "time with time zone"
            | "interval"
            | "uuid"
            | "bytea"
            | "json"
            | "jsonb"
            | "inet"
            | "cidr"
            | "macaddr"
            | "macaddr8"
            | "bit"
            | "bit varying"
            | "xml"
            | "point"
            | "tsvector"
            | "tsquery"
    )
}

/// Whether PostgreSQL has an implicit or assignment cast from `from` to `to` (both [`builtin`], without
/// their type modifiers, not a string type): what `ALTER COLUMN ... TYPE` without `USING` can use.
fn castable(from: &str, to: &str) -> bool {
    let number =
        |t: &str| matches!(t, "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision");
    let base = |t: &str| t.split('(').next().unwrap_or(t).trim().to_string();
    let (from, to) = (base(from), base(to));
    let (from, to) = (from.as_str(), to.as_str());
    (number(from) && number(to))
        || matches!(
            (from, to),
            ("smallint" | "integer" | "bigint" | "numeric", "money")
                | ("money", "numeric")
                | ("date", "timestamp without time zone" | "timestamp with time zone")
                | (
                    "timestamp without time zone",
                    "timestamp with time zone" | "date" | "time without time zone"
                )
                | (
                    "timestamp with time zone",
                    "timestamp without time zone" | "date" | "time without time zone" | "time with time zone"
                )
                | ("time without time zone", "time with time zone" | "interval")
                | ("time with time zone", "time without time zone")
                | ("interval", "time without time zone")
                | ("json", "jsonb")
                | ("jsonb", "json")
                | ("inet", "cidr")
                | ("cidr", "inet")
                | ("macaddr", "macaddr8")
                | ("macaddr8", "macaddr")
                | ("bit", "bit varying")
                | ("bit varying", "bit")
        )
}

/// The `USING` expression of an explicit conversion of `column` to `to`.
pub fn explicit_using(column: &str, to: &str) -> String {
    format!("{}::{to}", crate::catalog::quote_ident(column))
}

/// Whether converting a value of type `from` to `to` can fail: false where no conversion is needed and for
/// the widenings whose every value has an exact place in the new type (smallint to integer, an integer to
/// bigint or to numeric without a precision, real to double precision, character(n) to a varchar of at
/// least n, anything to text); true otherwise.
pub fn type_change_may_fail(from: &str, to: &str) -> bool {
    if !type_change_rewrites(from, to) {
        return false;
    }
    let split = |t: &str| -> (String, Option<i64>) {
        match t.split_once('(') {
            Some((base, args)) => (base.trim().to_string(), args.trim_end_matches(')').trim().parse().ok()),
            None => (t.trim().to_string(), None),
        }
    };
    let ((f, f_len), (t, t_len)) = (split(from), split(to));
    let exact = match (f.as_str(), t.as_str()) {
        (_, "text") => true,
        ("smallint", "integer" | "bigint" | "real" | "double precision") => true,
        ("integer", "bigint" | "double precision") => true,
        ("smallint" | "integer" | "bigint", "numeric") => to.trim() == "numeric",
        ("numeric", "numeric") => to.trim() == "numeric",
        ("real", "double precision") => true,
        ("character", "character varying") => t_len.is_none() || (f_len.is_some() && t_len >= f_len),
        _ => false,
    };
    !exact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_where_postgresql_does() {
        assert!(!type_change_rewrites("character varying(20)", "character varying(50)"));
        assert!(!type_change_rewrites("character varying(20)", "character varying"));
        assert!(!type_change_rewrites("character varying(20)", "text"));
        assert!(type_change_rewrites("character varying(50)", "character varying(20)"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric(12,2)"));
        assert!(type_change_rewrites("numeric(10,2)", "numeric(12,3)"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric"));
        assert!(type_change_rewrites("integer", "bigint"));
        assert!(type_change_rewrites("text", "character varying(10)"));
        assert!(!type_change_rewrites("timestamp without time zone", "timestamp with time zone"));
    }

    #[test]
    fn only_conversions_that_can_fail_are_flagged() {
        for (from, to) in [
            ("smallint", "integer"),
            ("integer", "bigint"),
            ("integer", "numeric"),
            ("real", "double precision"),
            ("character(5)", "character varying(5)"),
            ("integer", "text"),
            ("character varying(20)", "character varying(50)"),
        ] {
            assert!(!type_change_may_fail(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("bigint", "integer"),
            ("integer", "smallint"),
            ("text", "integer"),
            ("integer", "numeric(5,0)"),
            ("character varying(50)", "character varying(20)"),
            ("character(9)", "character varying(5)"),
            ("double precision", "real"),
        ] {
            assert!(type_change_may_fail(from, to), "{from} -> {to}");
        }
    }

    #[test]
    fn conversions_without_assignment_cast_or_that_round() {
        for (from, to) in [
            ("text", "integer"),
            ("character varying(40)", "uuid"),
            ("text[]", "integer[]"),
            ("text", "timestamp without time zone"),
            ("boolean", "integer"),
            ("jsonb", "numeric"),
        ] {
            assert_eq!(type_conversion(from, to), Conversion::Explicit, "{from} -> {to}");
        }
        for (from, to) in [
            ("integer", "bigint"),
            ("text", "character varying(5)"),
            ("integer", "text"),
            ("numeric(10,2)", "numeric(12,2)"),
            ("integer", "numeric(5,2)"),
            ("timestamp(0) without time zone", "timestamp(3) without time zone"),
            ("date", "timestamp with time zone"),
            ("json", "jsonb"),
            ("uuid", "text"),
            ("bytea", "character(1)"),
            ("app.mood", "app.feeling"),
            ("integer", "app.positive"),
        ] {
            assert_eq!(type_conversion(from, to), Conversion::Assignment, "{from} -> {to}");
        }
        // No cast at all: reported with why, never planned as a bare ALTER ... TYPE that fails.
        for (from, to) in [
            ("bigint", "timestamp without time zone"),
            ("integer", "interval"),
            ("uuid", "integer"),
            ("boolean", "date"),
            ("integer[]", "timestamp with time zone[]"),
        ] {
            let Conversion::Refused(why) = type_conversion(from, to) else { panic!("{from} -> {to}") };
            assert!(why.contains("no cast"), "{why}");
        }
        for (from, to) in [
            ("numeric(12,3)", "numeric(12,2)"),
            ("numeric", "numeric(12,2)"),
            ("text", "numeric(8,2)"),
            ("double precision", "integer"),
            ("numeric", "bigint"),
            ("timestamp without time zone", "timestamp(0) without time zone"),
            ("time(6) with time zone", "time(2) with time zone"),
            ("integer", "boolean"),
            ("jsonb", "integer"),
        ] {
            assert!(matches!(type_conversion(from, to), Conversion::Refused(_)), "{from} -> {to}");
        }
    }
}
