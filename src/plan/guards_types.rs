//! Guards for domains and composite types altered in place ([`crate::diff::TypeChange`]). Each step looks
//! at the one part it changes (the default, NOT NULL, one check, one attribute), as `inspect` reads it:
//! already as planned, skip; as planned from, act; anything else, fail naming the type.

use super::guards::{do_block, execute, fail, skip};
use super::guards_alter::equals_or_null;
use crate::catalog::{Attribute, DomainCheck, QualName, quote_ident, quote_literal};
use crate::diff::TypeChange;

fn oid(name: &QualName) -> String {
    format!("pg_catalog.to_regtype({})", quote_literal(&name.sql()))
}

/// `(SELECT what FROM pg_type t WHERE t.oid = <the type>)`.
fn type_expr(name: &QualName, what: &str) -> String {
    format!("(SELECT {what} FROM pg_catalog.pg_type t WHERE t.oid = {})", oid(name))
}

/// A domain check's definition (without ` NOT VALID`), or `convalidated`; NULL when there is none.
fn check_expr(name: &QualName, check: &str, what: &str) -> String {
    format!(
        "(SELECT {what} FROM pg_catalog.pg_constraint c WHERE c.contypid = {} AND c.conname = {} AND c.contype = 'c')",
        oid(name),
        quote_literal(check)
    )
}

fn check_definition(name: &QualName, check: &str) -> String {
    check_expr(
        name,
        check,
        "pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(c.oid), ' NOT VALID$', '')",
    )
}

/// An attribute's type and collation as `Attribute::spec` writes them; NULL when there is no such attribute.
fn attribute_expr(name: &QualName, attribute: &str) -> String {
    format!(
        "(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) || coalesce(' COLLATE ' || CASE WHEN a.attcollation <> 0 \
         AND a.attcollation IS DISTINCT FROM (SELECT at.typcollation FROM pg_catalog.pg_type at WHERE at.oid = a.atttypid) \
         THEN a.attcollation::pg_catalog.regcollation::text END, '')\n        FROM pg_catalog.pg_attribute a \
         WHERE a.attrelid = {} AND a.attname = {} AND a.attnum > 0 AND NOT a.attisdropped)",
        type_expr(name, "t.typrelid"),
        quote_literal(attribute)
    )
}

fn spec(a: &Attribute) -> String {
    let collate = a.collation.as_ref().map(|c| format!(" COLLATE {c}")).unwrap_or_default();
    format!("{}{collate}", a.data_type)
}

/// The statement of one change.
pub fn statement(name: &QualName, change: &TypeChange) -> String {
    let domain = format!("ALTER DOMAIN {}", name.sql());
    let of_type = format!("ALTER TYPE {}", name.sql());
    match change {
        TypeChange::DomainDefault { to: Some(d), .. } => format!("{domain} SET DEFAULT {d}"),
        TypeChange::DomainDefault { to: None, .. } => format!("{domain} DROP DEFAULT"),
        TypeChange::DomainNotNull { to: true } => format!("{domain} SET NOT NULL"),
        TypeChange::DomainNotNull { to: false } => format!("{domain} DROP NOT NULL"),
        TypeChange::AddCheck { name: check, check: c, .. } => {
            format!("{domain} ADD CONSTRAINT {} {} NOT VALID", quote_ident(check), c.definition)
        }
        TypeChange::ValidateCheck { name: check, .. } => {
            format!("{domain} VALIDATE CONSTRAINT {}", quote_ident(check))
        }
        TypeChange::DropCheck { name: check, .. } => {
            format!("{domain} DROP CONSTRAINT {}", quote_ident(check))
        }
        TypeChange::AddAttribute(a) => format!("{of_type} ADD ATTRIBUTE {}", a.sql()),
        TypeChange::DropAttribute(a) => format!("{of_type} DROP ATTRIBUTE {}", quote_ident(&a.name)),
        TypeChange::AttributeType { to, .. } => {
            format!("{of_type} ALTER ATTRIBUTE {} TYPE {}", quote_ident(&to.name), spec(to))
        }
    }
}

/// The three conditions of a change: done (after), as planned from (before), and the words for messages.
fn states(name: &QualName, change: &TypeChange) -> (String, String, String) {
    let exists = format!("{} IS NOT NULL", oid(name));
    let check_is = |check: &str, c: &DomainCheck| {
        format!("{} = {}", check_definition(name, check), quote_literal(&c.definition))
    };
    let check_absent = |check: &str| format!("{exists} AND {} IS NULL", check_definition(name, check));
    match change {
        TypeChange::DomainDefault { from, to } => {
            let current = type_expr(name, "pg_catalog.pg_get_expr(t.typdefaultbin, 0)");
            (
                format!("{exists} AND {}", equals_or_null(&current, to.as_deref())),
                format!("{exists} AND {}", equals_or_null(&current, from.as_deref())),
                format!("the default of domain {name}"),
            )
        }
        TypeChange::DomainNotNull { to } => {
            let current = type_expr(name, "t.typnotnull");
            (
                format!("{current} = {to}"),
                format!("{current} = {}", !to),
                format!("NOT NULL of domain {name}"),
            )
        }
        TypeChange::AddCheck { name: check, check: c, .. } => {
            (check_is(check, c), check_absent(check), format!("constraint {check} of domain {name}"))
        }
        TypeChange::ValidateCheck { name: check, check: c } => {
            let validated = check_expr(name, check, "c.convalidated");
            (
                format!("{} AND {validated}", check_is(check, c)),
                format!("{} AND NOT {validated}", check_is(check, c)),
                format!("constraint {check} of domain {name}"),
            )
        }
        TypeChange::DropCheck { name: check, check: c, replaced_by } => {
            let mut done = check_absent(check);
            if let Some(new) = replaced_by {
                done = format!("({done} OR {})", check_is(check, new));
            }
            (done, check_is(check, c), format!("constraint {check} of domain {name}"))
        }
        TypeChange::AddAttribute(a) => {
            let current = attribute_expr(name, &a.name);
            (
                equals_or_null(&current, Some(&spec(a))),
                format!("{exists} AND {current} IS NULL"),
                format!("attribute {} of type {name}", a.name),
            )
        }
        TypeChange::DropAttribute(a) => {
            let current = attribute_expr(name, &a.name);
            (
                format!("{exists} AND {current} IS NULL"),
                equals_or_null(&current, Some(&spec(a))),
                format!("attribute {} of type {name}", a.name),
            )
        }
        TypeChange::AttributeType { from, to } => {
            let current = attribute_expr(name, &to.name);
            (
                equals_or_null(&current, Some(&spec(to))),
                equals_or_null(&current, Some(&spec(from))),
                format!("attribute {} of type {name}", to.name),
            )
        }
    }
}

pub(super) fn alter_type(step: usize, name: &QualName, change: &TypeChange) -> String {
    let (after, before, object) = states(name, change);
    do_block(&format!(
        "  IF {after} THEN\n    {}\n  ELSIF {before} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        skip(step, &format!("{object} is already as planned")),
        execute(&statement(name, change)),
        fail(step, &format!("{object} was changed since the plan")),
    ))
}
