//! Guarded SQL for each change: three-way (absent: act; present as planned: skip with a notice; present but
//! different: fail naming the object), per `docs/plan-format.md`.
//!
//! Transactional steps are `DO` blocks that check the catalog and run their DDL through `EXECUTE` with a
//! dollar tag that does not occur in it. The non-transactional step (`CREATE INDEX CONCURRENTLY`) is a `DO`
//! block that decides skip or fail, then psql's `SELECT '<ddl>' WHERE ... \gexec` form, which `apply`
//! implements too. Every catalog lookup is schema-qualified (the plan runs with `search_path = ''`).

use super::guards_alter as alter;
use crate::catalog::{Column, ColumnRef, Index, QualName, Table, quote_ident, quote_literal};
use crate::diff::{CommentOn, Op};

/// The guarded SQL of one step, and whether it must run outside a transaction.
pub struct Guarded {
    pub sql: String,
    pub transactional: bool,
}

/// The guarded SQL of a step: by its kind (`plan::kinds`), or here for a generic change (a drop, a comment).
pub fn guard(step: usize, op: &Op) -> Guarded {
    if let Some(kind) = super::kinds::of(op) {
        return kind.guard(step, op);
    }
    let sql = match op {
        Op::SetComment { on, text } => set_comment(step, on, text),
        Op::ChangeComment { on, from, to } => alter::change_comment(step, on, from, to),
        Op::Drop { object, replaced_by } => {
            let transactional = !alter::drop_is_concurrent(object);
            return Guarded { sql: alter::drop(step, object, replaced_by.as_deref()), transactional };
        }
        _ => unreachable!("guarded by its kind (plan::kinds)"),
    };
    Guarded { sql, transactional: true }
}

/// The statements a step's guard runs when it acts, without the guard: what the plan file's comment lines,
/// the JSON's `ddl` and the Markdown review show.
pub fn ddl(op: &Op) -> Vec<String> {
    super::guards_alter::statements(op)
}

/// The unguarded statements of a step of the add class (and of one that may be of the alter class: a
/// dependent view recreated, a constraint re-added): what its guard runs when it acts.
pub(super) fn bare_sql(op: &Op) -> Vec<String> {
    if let Some(kind) = super::kinds::of(op) {
        return kind.statements(op);
    }
    match op {
        Op::SetComment { on, text } => vec![comment_sql(on, text)],
        _ => vec![],
    }
}

/// How a guard sees an object: SQL conditions "it exists" and "it exists with this definition", and the
/// words that name it in messages.
pub(super) struct State {
    pub exists: String,
    pub same: String,
    pub object: String,
}

impl State {
    fn new(exists: String, same: impl Into<String>, object: String) -> State {
        State { exists, same: same.into(), object }
    }
}

pub use crate::escape::dollar_quote;

/// A `DO` block around a PL/pgSQL body.
pub(super) fn do_block(body: &str) -> String {
    format!("DO {};\n", dollar_quote(&format!("\nBEGIN\n{body}END\n"), "accrete"))
}

/// `EXECUTE $ddl$...$ddl$;`
pub(super) fn execute(ddl: &str) -> String {
    format!("EXECUTE {};", dollar_quote(ddl, "ddl"))
}

/// Each statement as an `EXECUTE`, one per line at the acting branch's indent.
pub(super) fn execute_lines<S: AsRef<str>>(ddl: &[S]) -> String {
    ddl.iter().map(|d| format!("    {}\n", execute(d.as_ref()))).collect()
}

/// A message for `RAISE`: a literal, with `%` doubled (RAISE treats `%` as a placeholder).
pub(super) fn message(text: &str) -> String {
    quote_literal(&text.replace('%', "%%"))
}

pub(super) fn skip(step: usize, what: &str) -> String {
    format!("RAISE NOTICE {};", message(&format!("accrete: step {step} skipped: {what}")))
}

pub(super) fn fail(step: usize, what: &str) -> String {
    format!("RAISE EXCEPTION {};", message(&format!("accrete: step {step}: {what}")))
}

/// The standard three-way body: `exists` true and `same` true skips, `exists` alone fails, else acts.
pub(super) fn three_way(step: usize, exists: &str, same: &str, object: &str, ddl: &[String]) -> String {
    let actions = execute_lines(ddl);
    if same == "true" {
        // Nothing about the object can differ (a schema is its name).
        return do_block(&format!(
            "  IF {exists} THEN\n    {}\n  ELSE\n{actions}  END IF;\n",
            skip(step, &format!("{object} exists"))
        ));
    }
    do_block(&format!(
        "  IF {exists} THEN\n    IF {same} THEN\n      {}\n    ELSE\n      {}\n    END IF;\n  ELSE\n{actions}  END IF;\n",
        skip(step, &format!("{object} exists as planned")),
        fail(
            step,
            &format!(
                "{object} exists with another definition; accrete does not change it (see the plan's header for what differs)"
            )
        ),
    ))
}

pub(super) fn regclass(name: &QualName) -> String {
    format!("{}::regclass", quote_literal(&name.sql()))
}

/// `done`, or, when the step gives the table back its default, the table being gone: a rollback run again
/// after the drop of a table its plan created has nothing left to set or turn off.
pub(super) fn gone_or(table: &QualName, to_default: bool, done: &str) -> String {
    if to_default { format!("{} IS NULL OR {done}", to_regclass(table)) } else { done.to_string() }
}

pub(super) fn to_regclass(name: &QualName) -> String {
    format!("pg_catalog.to_regclass({})", quote_literal(&name.sql()))
}

pub(super) fn text_array(items: &[String]) -> String {
    if items.is_empty() {
        return "ARRAY[]::text[]".to_string();
    }
    format!("ARRAY[{}]::text[]", items.iter().map(|s| quote_literal(s)).collect::<Vec<_>>().join(", "))
}

/// Sequence options; identity columns take the type from the column, so `AS type` is left out there.
pub(super) fn sequence_options_sql(o: &crate::catalog::SequenceOptions, with_type: bool) -> String {
    format!(
        "{}INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
        if with_type { format!("AS {} ", o.data_type) } else { String::new() },
        o.increment,
        o.min_value,
        o.max_value,
        o.start,
        o.cache,
        if o.cycle { "CYCLE" } else { "NO CYCLE" }
    )
}

/// "The sequence `seqrelid` (an SQL expression) has these options" (its type too, `with_type`; an identity's
/// follows its column).
pub(super) fn sequence_options_match(
    seqrelid: &str,
    o: &crate::catalog::SequenceOptions,
    with_type: bool,
) -> String {
    let data_type = if with_type {
        format!("AND pg_catalog.format_type(s.seqtypid, NULL) = {} ", quote_literal(&o.data_type))
    } else {
        String::new()
    };
    format!(
        "EXISTS (SELECT FROM pg_catalog.pg_sequence s WHERE s.seqrelid = {seqrelid} \
         {data_type}AND s.seqstart = {} AND s.seqincrement = {} \
         AND s.seqmin = {} AND s.seqmax = {} AND s.seqcache = {} AND s.seqcycle = {})",
        o.start, o.increment, o.min_value, o.max_value, o.cache, o.cycle
    )
}

pub(super) fn attnum(table: &QualName, column: &str) -> String {
    attnum_in(&regclass(table), column)
}

/// [`attnum`] in the relation `relation` evaluates to (`to_regclass(...)` where the table may be gone).
fn attnum_in(relation: &str, column: &str) -> String {
    format!(
        "(SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = {relation} AND a.attname = {} AND NOT a.attisdropped)",
        quote_literal(column)
    )
}

pub(super) fn owned_by_sql(sequence: &QualName, table: &QualName, column: &str) -> String {
    format!("ALTER SEQUENCE {} OWNED BY {}.{}", sequence.sql(), table.sql(), quote_ident(column))
}

/// `ALTER SEQUENCE ... OWNED BY` a column, or `NONE`.
pub(super) fn owner_sql(sequence: &QualName, to: Option<&ColumnRef>) -> String {
    match to {
        Some(c) => owned_by_sql(sequence, &c.table, &c.column),
        None => format!("ALTER SEQUENCE {} OWNED BY NONE", sequence.sql()),
    }
}

pub(super) fn set_sequence_owner(
    step: usize,
    sequence: &QualName,
    from: Option<&ColumnRef>,
    to: Option<&ColumnRef>,
) -> String {
    let owned = "SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass \
                 AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a'";
    let object = format!("owner of sequence {sequence}");
    let ddl = owner_sql(sequence, to);
    if let (None, Some(c)) = (from, to) {
        let exists = format!("EXISTS ({owned} AND d.objid = {})", regclass(sequence));
        let same = format!(
            "EXISTS ({owned} AND d.objid = {} AND d.refobjid = {} AND d.refobjsubid = {})",
            regclass(sequence),
            regclass(&c.table),
            attnum(&c.table, &c.column)
        );
        return three_way(step, &exists, &same, &object, &[ddl]);
    }
    // Moved: read through `to_regclass`, since an owner's table may be gone (the old one, dropped later in
    // the plan, when its rollback runs: then there is nothing to give back).
    let owned_by = |c: Option<&ColumnRef>| match c {
        Some(c) => {
            let table = to_regclass(&c.table);
            format!(
                "EXISTS ({owned} AND d.objid = {} AND d.refobjid = {table} AND d.refobjsubid = {})",
                regclass(sequence),
                attnum_in(&table, &c.column)
            )
        }
        None => format!("NOT EXISTS ({owned} AND d.objid = {})", regclass(sequence)),
    };
    let after = match to {
        Some(c) => format!("{} IS NULL OR {}", to_regclass(&c.table), owned_by(to)),
        None => owned_by(to),
    };
    super::guards_alter::before_after(
        step,
        &after,
        &owned_by(from),
        &format!("the {object} is already as planned (or the table it names is gone)"),
        &format!("the {object} was changed since the plan"),
        &[ddl],
    )
}

/// A column's definition as in `CREATE TABLE` and `ADD COLUMN`.
pub fn column_sql(c: &Column) -> String {
    let mut out = format!("{} ", quote_ident(&c.name));
    match &c.serial {
        Some(_) => out.push_str(match c.data_type.as_str() {
            "bigint" => "bigserial",
            "smallint" => "smallserial",
            _ => "serial",
        }),
        None => out.push_str(&c.data_type),
    }
    if let Some(collation) = &c.collation {
        out.push_str(&format!(" COLLATE {}", collation.sql()));
    }
    if let Some(identity) = &c.identity {
        out.push_str(&format!(
            " GENERATED {} AS IDENTITY ({})",
            if identity.always { "ALWAYS" } else { "BY DEFAULT" },
            sequence_options_sql(&identity.options, false)
        ));
    }
    if let Some(generated) = &c.generated {
        let (expr, virtual_) = crate::inspect::split_generated(generated);
        let kind = if virtual_ { "VIRTUAL" } else { "STORED" };
        out.push_str(&format!(" GENERATED ALWAYS AS ({expr}) {kind}"));
    }
    if let Some(default) = &c.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    // A NOT VALID NOT NULL (PostgreSQL 18) is added after the column, by a step of its own
    // (`NotNullStage::NotValid`): in a column's definition it would be valid.
    if c.not_null && !c.not_null_not_valid {
        if let Some(name) = &c.not_null_name {
            out.push_str(&format!(" CONSTRAINT {}", quote_ident(name)));
        }
        out.push_str(" NOT NULL");
        if c.not_null_no_inherit {
            out.push_str(" NO INHERIT");
        }
    }
    out
}

pub fn create_table_sql(t: &Table) -> String {
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    if let Some(p) = &t.partition_of {
        let mut sql =
            format!("CREATE {unlogged}TABLE {} PARTITION OF {} {}", t.name.sql(), p.parent.sql(), p.bound);
        if let Some(by) = &t.partition_by {
            sql.push_str(&format!(" PARTITION BY {by}"));
        }
        sql.push_str(&t.with_clause());
        return sql;
    }
    let columns: Vec<String> = t.columns.iter().map(|c| format!("    {}", column_sql(c))).collect();
    let mut sql = if columns.is_empty() {
        format!("CREATE {unlogged}TABLE {} ()", t.name.sql())
    } else {
        format!("CREATE {unlogged}TABLE {} (\n{}\n)", t.name.sql(), columns.join(",\n"))
    };
    if !t.inherits.is_empty() {
        sql.push_str(&format!(
            " INHERITS ({})",
            t.inherits.iter().map(|p| p.sql()).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(by) = &t.partition_by {
        sql.push_str(&format!(" PARTITION BY {by}"));
    }
    sql.push_str(&t.with_clause());
    sql
}

pub(super) fn table_state(t: &Table) -> State {
    let relkind = if t.partition_by.is_some() { "p" } else { "r" };
    let exists = format!("{} IS NOT NULL", to_regclass(&t.name));
    let mut same = format!(
        "(SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = {}) = {}",
        regclass(&t.name),
        quote_literal(relkind)
    );
    if !t.columns.is_empty() {
        let pairs: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("({}, {})", quote_literal(&c.name), quote_literal(&c.data_type)))
            .collect();
        same.push_str(&format!(
            "\n       AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = {} AND a.attnum > 0 \
             AND NOT a.attisdropped AND (a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod)) IN (VALUES {})) = {}",
            regclass(&t.name),
            pairs.join(", "),
            t.columns.len()
        ));
    }
    State::new(exists, same, format!("table {}", t.name))
}

pub(super) fn create_table(step: usize, t: &Table) -> String {
    let s = table_state(t);
    three_way(step, &s.exists, &s.same, &s.object, &[create_table_sql(t)])
}

/// The catalog condition "column exists as planned": type, nullability, default, identity, generated,
/// collation.
pub(super) fn column_matches(table: &QualName, c: &Column) -> String {
    let mut conds = vec![
        format!("pg_catalog.format_type(a.atttypid, a.atttypmod) = {}", quote_literal(&c.data_type)),
        format!("a.attnotnull = {}", c.not_null),
    ];
    let identity = match &c.identity {
        None => "",
        Some(i) if i.always => "a",
        Some(_) => "d",
    };
    conds.push(format!("a.attidentity = {}", quote_literal(identity)));
    let generated_kind = match c.generated.as_deref().map(crate::inspect::split_generated) {
        None => "",
        Some((_, false)) => "s",
        Some((_, true)) => "v",
    };
    conds.push(format!("a.attgenerated = {}", quote_literal(generated_kind)));
    conds.push(match &c.collation {
        Some(q) => format!("a.attcollation = pg_catalog.to_regcollation({})", quote_literal(&q.sql())),
        None => "a.attcollation = (SELECT t.typcollation FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid)"
            .into(),
    });
    let expr = "pg_catalog.pg_get_expr(d.adbin, d.adrelid)";
    match (&c.default, &c.generated, &c.serial) {
        (Some(default), _, _) => conds.push(format!("{expr} = {}", quote_literal(default))),
        (None, Some(generated), _) => {
            let (generated, _) = crate::inspect::split_generated(generated);
            conds.push(format!("{expr} = {}", quote_literal(generated)))
        }
        (None, None, Some(_)) => conds.push(format!("{expr} LIKE 'nextval(%'")),
        (None, None, None) => conds.push(format!("{expr} IS NULL")),
    }
    format!(
        "EXISTS (SELECT FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid \
         AND d.adnum = a.attnum\n        WHERE a.attrelid = {} AND a.attname = {} AND NOT a.attisdropped\n        AND {})",
        regclass(table),
        quote_literal(&c.name),
        conds.join(" AND ")
    )
}

pub(super) fn add_column(step: usize, table: &QualName, c: &Column) -> String {
    let exists = format!("{} IS NOT NULL", attnum(table, &c.name));
    let same = column_matches(table, c);
    let ddl = add_column_sql(table, c);
    let object = format!("column {table}.{}", c.name);
    let live_type = format!(
        "(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END \
         FROM pg_catalog.pg_attribute a WHERE a.attrelid = {} AND a.attname = {})",
        regclass(table),
        quote_literal(&c.name)
    );
    // Name what the column is, so the failure says what to look at.
    do_block(&format!(
        "  IF {exists} THEN\n    IF {same} THEN\n      {}\n    ELSE\n      RAISE EXCEPTION {}, {live_type};\n    END IF;\n  ELSE\n    {}\n  END IF;\n",
        skip(step, &format!("{object} exists as planned")),
        quote_literal(&format!(
            "accrete: step {step}: {} exists as %, planned {}; accrete does not change it",
            object.replace('%', "%%"),
            column_sql(c).replace('%', "%%")
        )),
        execute(&ddl)
    ))
}

pub(super) fn add_column_sql(table: &QualName, c: &Column) -> String {
    format!("ALTER TABLE {} ADD COLUMN {}", table.sql(), column_sql(c))
}

pub(super) fn constraint_lookup(table: &QualName, name: &str) -> String {
    format!(
        "SELECT FROM pg_catalog.pg_constraint c WHERE c.conrelid = {} AND c.conname = {}",
        regclass(table),
        quote_literal(name)
    )
}

pub(super) fn validate_sql(table: &QualName, name: &str) -> String {
    format!("ALTER TABLE {} VALIDATE CONSTRAINT {}", table.sql(), quote_ident(name))
}

fn comment_sql(on: &CommentOn, text: &str) -> String {
    format!("COMMENT ON {} IS {}", comment_parts(on).0, quote_literal(text))
}

pub(super) fn index_name(index: &Index) -> QualName {
    QualName::new(&index.table.schema, &index.name)
}

/// "A valid index of this name on this table with this definition."
pub(super) fn index_matches(index: &Index) -> String {
    index_defined(index, true)
}

/// "An index of this name on this table with this definition" (`valid`: and valid; a partitioned index is
/// invalid until every partition has an index attached).
pub(super) fn index_defined(index: &Index, valid: bool) -> String {
    let def = "pg_catalog.pg_get_indexdef(i.indexrelid)";
    format!(
        "EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = {} AND i.indrelid = {}{} \
         AND i.indisunique = {} AND pg_catalog.ltrim(pg_catalog.substr({def}, pg_catalog.strpos({def}, ' USING '))) = {})",
        to_regclass(&index_name(index)),
        to_regclass(&index.table),
        if valid { " AND i.indisvalid" } else { "" },
        index.unique,
        quote_literal(&index.definition)
    )
}

pub(super) fn invalid_index(index: &Index) -> String {
    format!(
        "EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indexrelid = {} AND NOT i.indisvalid)",
        to_regclass(&index_name(index))
    )
}

/// `COMMENT ON` target, the current comment as SQL, and the object's words.
pub(super) fn comment_parts(on: &CommentOn) -> (String, String, String) {
    super::kinds::of_comment(on).comment_target(on)
}

fn set_comment(step: usize, on: &CommentOn, text: &str) -> String {
    let (_, current, object) = comment_parts(on);
    do_block(&format!(
        "  IF {current} IS NULL THEN\n    {}\n  ELSIF {current} = {} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        execute(&comment_sql(on, text)),
        quote_literal(text),
        skip(step, &format!("the comment on {object} is as planned")),
        fail(step, &format!("{object} has another comment; changing it is an alter, not planned")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_tags_avoid_the_body() {
        assert_eq!(dollar_quote("x", "ddl"), "$ddl$x$ddl$");
        assert_eq!(dollar_quote("a $ddl$ b", "ddl"), "$ddl1$a $ddl$ b$ddl1$");
    }

    #[test]
    fn raise_messages_escape_percent_and_quotes() {
        assert_eq!(message("50% of it's"), "'50%% of it''s'");
    }
}
