//! Guards for the alter and drop classes. Each step knows the state it was planned from ("before") and the
//! one it leaves ("after"): after, skip with a notice; before, act; anything else, fail naming the object,
//! because someone changed it since the plan was made (DESIGN rules 4 and 5).

use super::guards::{
    State, attnum, comment_parts, constraint_lookup, do_block, execute, execute_lines, fail, message,
    regclass, sequence_options_match, sequence_options_sql, skip, to_regclass,
};
use crate::catalog::{PartitionOf, QualName, ReplicaIdentity, SequenceOptions, quote_ident, quote_literal};
use crate::diff::{CommentOn, NotNullStage, Obj};

/// `if after: skip; elsif before: act; else fail`.
pub(super) fn before_after(
    step: usize,
    after: &str,
    before: &str,
    done: &str,
    other: &str,
    ddl: &[String],
) -> String {
    before_after_actions(step, after, before, done, other, &execute_lines(ddl))
}

/// [`before_after`] with the acting branch's PL/pgSQL written out (each line indented four spaces).
pub(super) fn before_after_actions(
    step: usize,
    after: &str,
    before: &str,
    done: &str,
    other: &str,
    actions: &str,
) -> String {
    do_block(&format!(
        "  IF {after} THEN\n    {}\n  ELSIF {before} THEN\n{actions}  ELSE\n    {}\n  END IF;\n",
        skip(step, done),
        fail(step, other),
    ))
}

/// `expr` equals `value`, or is NULL when there is no value.
pub(super) fn equals_or_null(expr: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{expr} = {}", quote_literal(v)),
        None => format!("{expr} IS NULL"),
    }
}

pub(super) fn column_expr(table: &QualName, column: &str, what: &str) -> String {
    format!(
        "(SELECT {what} FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid \
         AND d.adnum = a.attnum WHERE a.attrelid = {} AND a.attname = {} AND NOT a.attisdropped)",
        regclass(table),
        quote_literal(column)
    )
}

pub(super) fn column_type(table: &QualName, column: &str) -> String {
    column_expr(table, column, "pg_catalog.format_type(a.atttypid, a.atttypmod)")
}

/// `ALTER COLUMN ... TYPE`, without `USING` unless given: PostgreSQL then converts with its assignment cast,
/// which fails on a value that does not fit, where an explicit cast (`c::varchar(10)`) would cut it short.
/// `ALTER TABLE ... ALTER COLUMN ... TYPE to [COLLATE collation] [USING ...]`.
pub fn alter_type_sql(
    table: &QualName,
    column: &str,
    to: &str,
    collation: Option<&QualName>,
    using: Option<&str>,
) -> String {
    let collate = collation.map(|c| format!(" COLLATE {}", c.sql())).unwrap_or_default();
    let using = using.map(|u| format!(" USING {u}")).unwrap_or_default();
    format!("ALTER TABLE {} ALTER COLUMN {} TYPE {to}{collate}{using}", table.sql(), quote_ident(column))
}

pub(super) fn alter_column_type(
    step: usize,
    table: &QualName,
    column: &str,
    (from, to): (&str, &str),
    collation: Option<&QualName>,
    using: Option<&str>,
    reset_default: Option<&Option<String>>,
) -> String {
    let current = column_type(table, column);
    let object = format!("column {table}.{column}");
    before_after(
        step,
        &format!("{current} = {}", quote_literal(to)),
        &format!("{current} = {}", quote_literal(from)),
        &format!("{object} is already of type {to}"),
        &format!("{object} is no longer of type {from} as planned; it was changed since the plan"),
        &type_change_statements(table, column, to, collation, using, reset_default),
    )
}

/// The type change, with the default dropped before and set again after when `reset_default` says so.
pub(super) fn type_change_statements(
    table: &QualName,
    column: &str,
    to: &str,
    collation: Option<&QualName>,
    using: Option<&str>,
    reset_default: Option<&Option<String>>,
) -> Vec<String> {
    let alter = format!("ALTER TABLE {} ALTER COLUMN {}", table.sql(), quote_ident(column));
    let mut out = Vec::new();
    if reset_default.is_some() {
        out.push(format!("{alter} DROP DEFAULT"));
    }
    out.push(alter_type_sql(table, column, to, collation, using));
    if let Some(Some(default)) = reset_default {
        out.push(format!("{alter} SET DEFAULT {default}"));
    }
    out
}

/// The statements of the alter steps, one builder each: a guard executes them and `statements` shows them
/// for what a policy did not admit.
pub(super) fn column_sql(table: &QualName, column: &str, action: &str) -> String {
    format!("ALTER TABLE {} ALTER COLUMN {} {action}", table.sql(), quote_ident(column))
}

pub(super) fn default_sql(table: &QualName, column: &str, to: &Option<String>) -> String {
    column_sql(table, column, &to.as_ref().map_or("DROP DEFAULT".to_string(), |d| format!("SET DEFAULT {d}")))
}

/// `ALTER TABLE t ADD [CONSTRAINT name] NOT NULL col [NOT VALID] [NO INHERIT]` (PostgreSQL 18).
fn add_not_null_sql(table: &QualName, column: &str, n: &NotNullOf, not_valid: bool) -> String {
    let mut sql = format!("ALTER TABLE {} ADD ", table.sql());
    if let Some(name) = n.name {
        sql.push_str(&format!("CONSTRAINT {} ", quote_ident(name)));
    }
    sql.push_str(&format!("NOT NULL {}", quote_ident(column)));
    if not_valid {
        sql.push_str(" NOT VALID");
    }
    if n.no_inherit {
        sql.push_str(" NO INHERIT");
    }
    sql
}

/// The NOT NULL constraint a `SetNotNull` step makes (PostgreSQL 18): its name where not the default, and
/// `NO INHERIT`.
#[derive(Clone, Copy)]
pub(super) struct NotNullOf<'a> {
    pub name: Option<&'a str>,
    pub no_inherit: bool,
}

impl NotNullOf<'_> {
    /// Whether the plain `SET NOT NULL` makes it (the default name, inheritable).
    fn plain(&self) -> bool {
        self.name.is_none() && !self.no_inherit
    }
}

pub(super) fn not_null_statements(
    table: &QualName,
    column: &str,
    stage: NotNullStage,
    n: NotNullOf,
) -> Vec<String> {
    let check = quote_ident(&not_null_check_name(column));
    match stage {
        NotNullStage::NotValid => vec![add_not_null_sql(table, column, &n, true)],
        NotNullStage::ValidateConstraint => {
            vec![super::guards::validate_sql(table, n.name.unwrap_or_default())]
        }
        NotNullStage::Set if !n.plain() => vec![
            add_not_null_sql(table, column, &n, false),
            format!("ALTER TABLE {} DROP CONSTRAINT {check}", table.sql()),
        ],
        NotNullStage::AddCheck => vec![format!(
            "ALTER TABLE {} ADD CONSTRAINT {check} CHECK ({} IS NOT NULL) NOT VALID",
            table.sql(),
            quote_ident(column)
        )],
        NotNullStage::Validate => vec![super::guards::validate_sql(table, &not_null_check_name(column))],
        NotNullStage::Set => vec![
            column_sql(table, column, "SET NOT NULL"),
            format!("ALTER TABLE {} DROP CONSTRAINT {check}", table.sql()),
        ],
    }
}

fn comment_change_sql(on: &CommentOn, to: &Option<String>) -> String {
    format!(
        "COMMENT ON {} IS {}",
        comment_parts(on).0,
        to.as_deref().map_or("NULL".to_string(), quote_literal)
    )
}

pub(super) fn set_logged_sql(table: &QualName, unlogged: bool) -> String {
    format!("ALTER TABLE {} SET {}", table.sql(), if unlogged { "UNLOGGED" } else { "LOGGED" })
}

/// `ALTER TABLE t SET (a=1), RESET (b)`: what `to` adds or changes, and what it no longer has.
pub(super) fn table_options_sql(table: &QualName, from: &[String], to: &[String]) -> String {
    let key = |o: &String| o.split('=').next().unwrap_or_default().to_string();
    let set: Vec<&String> = to.iter().filter(|o| !from.contains(o)).collect();
    let kept: Vec<String> = to.iter().map(key).collect();
    let reset: Vec<String> = from.iter().map(key).filter(|k| !kept.contains(k)).collect();
    let mut parts = Vec::new();
    if !set.is_empty() {
        parts.push(format!("SET ({})", set.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")));
    }
    if !reset.is_empty() {
        parts.push(format!("RESET ({})", reset.join(", ")));
    }
    format!("ALTER TABLE {} {}", table.sql(), parts.join(", "))
}

pub(super) fn replica_identity_sql(table: &QualName, to: Option<&ReplicaIdentity>) -> String {
    format!("ALTER TABLE {} {}", table.sql(), ReplicaIdentity::clause(to))
}

pub(super) fn release_sql(sequence: &QualName) -> String {
    format!("ALTER SEQUENCE {} OWNED BY NONE", sequence.sql())
}

pub(super) fn set_column_default(
    step: usize,
    table: &QualName,
    column: &str,
    from: &Option<String>,
    to: &Option<String>,
) -> String {
    let current = column_expr(table, column, "pg_catalog.pg_get_expr(d.adbin, d.adrelid)");
    let object = format!("the default of column {table}.{column}");
    before_after(
        step,
        &equals_or_null(&current, to.as_deref()),
        &equals_or_null(&current, from.as_deref()),
        &format!("{object} is already as planned"),
        &format!("{object} was changed since the plan"),
        &[default_sql(table, column, to)],
    )
}

pub(super) fn set_logged(step: usize, table: &QualName, unlogged: bool) -> String {
    let persistence =
        format!("(SELECT c.relpersistence FROM pg_catalog.pg_class c WHERE c.oid = {})", regclass(table));
    let (to, from, word) = if unlogged { ("u", "p", "UNLOGGED") } else { ("p", "u", "LOGGED") };
    before_after(
        step,
        &format!("{persistence} = '{to}'"),
        &format!("{persistence} = '{from}'"),
        &format!("table {table} is already {}", word.to_lowercase()),
        &format!("table {table} was changed since the plan"),
        &[set_logged_sql(table, unlogged)],
    )
}

pub(super) fn set_table_options(step: usize, table: &QualName, from: &[String], to: &[String]) -> String {
    let current = format!(
        "(SELECT ARRAY(SELECT o FROM pg_catalog.unnest(coalesce(c.reloptions, '{{}}')) o ORDER BY o COLLATE \"C\") \
         FROM pg_catalog.pg_class c WHERE c.oid = {})",
        super::guards::to_regclass(table)
    );
    // Compared as sorted the same way on both sides, whatever the database's collation.
    let array = |options: &[String]| {
        let items: Vec<String> = options.iter().map(|o| quote_literal(o)).collect();
        format!(
            "ARRAY(SELECT o FROM pg_catalog.unnest(ARRAY[{}]::text[]) o ORDER BY o COLLATE \"C\")",
            items.join(", ")
        )
    };
    before_after(
        step,
        &super::guards::gone_or(table, to.is_empty(), &format!("{current} = {}", array(to))),
        &format!("{current} = {}", array(from)),
        &format!("the storage parameters of table {table} are already as planned (or it is gone)"),
        &format!("the storage parameters of table {table} were changed since the plan"),
        &[table_options_sql(table, from, to)],
    )
}

/// `DETACH PARTITION` from the old parent (when a partition), then `ATTACH PARTITION` with the new bounds
/// (unless detaching only).
pub(super) fn partition_of_sql(
    table: &QualName,
    from: Option<&PartitionOf>,
    to: Option<&PartitionOf>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(from) = from {
        out.push(format!("ALTER TABLE {} DETACH PARTITION {}", from.parent.sql(), table.sql()));
    }
    if let Some(to) = to {
        out.push(format!("ALTER TABLE {} ATTACH PARTITION {} {}", to.parent.sql(), table.sql(), to.bound));
    }
    out
}

pub(super) fn set_partition_of(
    step: usize,
    table: &QualName,
    from: Option<&PartitionOf>,
    to: Option<&PartitionOf>,
) -> String {
    // A partition of this parent with these bounds; no partition at all for `None`.
    let is = |p: Option<&PartitionOf>| match p {
        Some(p) => format!(
            "EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid \
             WHERE c.oid = {} AND c.relispartition AND i.inhparent = {} \
             AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = {})",
            super::guards::regclass(table),
            super::guards::regclass(&p.parent),
            quote_literal(&p.bound)
        ),
        None => format!(
            "NOT EXISTS (SELECT FROM pg_catalog.pg_inherits i WHERE i.inhrelid = {})",
            super::guards::regclass(table)
        ),
    };
    let what = |p: Option<&PartitionOf>| {
        p.map_or("not a partition".to_string(), |p| format!("a partition of {} {}", p.parent, p.bound))
    };
    before_after(
        step,
        &is(to),
        &is(from),
        &format!("table {table} is already {}", what(to)),
        &format!("table {table} is no longer {} as planned; it was changed since the plan", what(from)),
        &partition_of_sql(table, from, to),
    )
}

pub(super) fn set_replica_identity(
    step: usize,
    table: &QualName,
    from: Option<&ReplicaIdentity>,
    to: Option<&ReplicaIdentity>,
) -> String {
    // `relreplident`, and the index's name when it is an index.
    let current = format!(
        "(SELECT c.relreplident::text || coalesce(':' || (SELECT ic.relname::text FROM pg_catalog.pg_index x \
         JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident), '') \
         FROM pg_catalog.pg_class c WHERE c.oid = {})",
        super::guards::to_regclass(table)
    );
    let code = |identity: Option<&ReplicaIdentity>| {
        let (code, index) = ReplicaIdentity::code(identity);
        quote_literal(&index.map_or(code.to_string(), |i| format!("{code}:{i}")))
    };
    before_after(
        step,
        &super::guards::gone_or(table, to.is_none(), &format!("{current} = {}", code(to))),
        &format!("{current} = {}", code(from)),
        &format!(
            "the replica identity of table {table} is already {} (or it is gone)",
            ReplicaIdentity::describe(to)
        ),
        &format!("the replica identity of table {table} was changed since the plan"),
        &[replica_identity_sql(table, to)],
    )
}

fn identity_code(i: &Option<crate::catalog::Identity>) -> &'static str {
    match i {
        None => "",
        Some(i) if i.always => "a",
        Some(_) => "d",
    }
}

/// The statements that take a column's identity from `from` to `to`.
pub fn identity_statements(
    table: &QualName,
    column: &str,
    from: &Option<crate::catalog::Identity>,
    to: &Option<crate::catalog::Identity>,
) -> Vec<String> {
    let alter = format!("ALTER TABLE {} ALTER COLUMN {}", table.sql(), quote_ident(column));
    let kind = |i: &crate::catalog::Identity| if i.always { "ALWAYS" } else { "BY DEFAULT" };
    match (from, to) {
        (_, None) => vec![format!("{alter} DROP IDENTITY")],
        (None, Some(i)) => vec![
            format!(
                "{alter} ADD GENERATED {} AS IDENTITY ({})",
                kind(i),
                sequence_options_sql(&i.options, false)
            ),
            // Existing rows keep their values; the sequence continues after the largest.
            format!(
                "SELECT pg_catalog.setval({}, m, true) FROM (SELECT max({}) AS m FROM {}) x WHERE m IS NOT NULL",
                serial_sequence(table, column),
                quote_ident(column),
                table.sql()
            ),
        ],
        (Some(_), Some(i)) => {
            let o = &i.options;
            vec![format!(
                "{alter} SET GENERATED {} SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET START WITH {} SET CACHE {} SET {}",
                kind(i),
                o.increment,
                o.min_value,
                o.max_value,
                o.start,
                o.cache,
                if o.cycle { "CYCLE" } else { "NO CYCLE" }
            )]
        }
    }
}

/// The qualified name (text) of a column's identity or serial sequence, as the target knows it.
fn serial_sequence(table: &QualName, column: &str) -> String {
    format!("pg_catalog.pg_get_serial_sequence({}, {})", quote_literal(&table.sql()), quote_literal(column))
}

pub(super) fn set_identity(
    step: usize,
    table: &QualName,
    column: &str,
    from: &Option<crate::catalog::Identity>,
    to: &Option<crate::catalog::Identity>,
) -> String {
    let code = column_expr(table, column, "a.attidentity");
    let is = |i: &Option<crate::catalog::Identity>| {
        let mut cond = format!("{code} = {}", quote_literal(identity_code(i)));
        if let Some(i) = i {
            let seqrelid = format!("{}::regclass", serial_sequence(table, column));
            cond.push_str(&format!(" AND {}", sequence_options_match(&seqrelid, &i.options, false)));
        }
        cond
    };
    let object = format!("the identity of column {table}.{column}");
    let statements = identity_statements(table, column, from, to);
    let actions = match (from, to, statements.as_slice()) {
        (Some(f), Some(t), [ddl]) => sequence_actions(
            &serial_sequence(table, column),
            &format!("the identity sequence of column {table}.{column}"),
            &f.options,
            &t.options,
            ddl,
        ),
        _ => execute_lines(&statements),
    };
    before_after_actions(
        step,
        &is(to),
        &is(from),
        &format!("{object} is already as planned"),
        &format!("{object} was changed since the plan"),
        &actions,
    )
}

/// The statements of a serial added to a plain column or taken from one.
pub fn serial_statements(
    table: &QualName,
    column: &str,
    serial: &crate::catalog::Serial,
    add: bool,
) -> Vec<String> {
    let alter = format!("ALTER TABLE {} ALTER COLUMN {}", table.sql(), quote_ident(column));
    let seq = serial.sequence.sql();
    if !add {
        return vec![format!("{alter} DROP DEFAULT"), format!("DROP SEQUENCE {seq}")];
    }
    vec![
        format!("CREATE SEQUENCE {seq} {}", sequence_options_sql(&serial.options, true)),
        format!("{alter} SET DEFAULT nextval({}::regclass)", quote_literal(&seq)),
        super::guards::owned_by_sql(&serial.sequence, table, column),
        format!(
            "SELECT pg_catalog.setval({}, m, true) FROM (SELECT max({}) AS m FROM {}) x WHERE m IS NOT NULL",
            quote_literal(&seq),
            quote_ident(column),
            table.sql()
        ),
    ]
}

pub(super) fn serial_change(
    step: usize,
    table: &QualName,
    column: &str,
    serial: &crate::catalog::Serial,
    add: bool,
) -> String {
    let default = column_expr(table, column, "pg_catalog.pg_get_expr(d.adbin, d.adrelid)");
    let calls = format!("nextval({}::regclass)", quote_literal(&serial.sequence.sql()));
    let with = format!("{default} = {}", quote_literal(&calls));
    let without = format!("{default} IS NULL AND {} IS NULL", to_regclass(&serial.sequence));
    let object = format!("column {table}.{column}");
    let (after, before, done) = if add {
        (with, without, format!("{object} is already serial"))
    } else {
        (without, with, format!("{object} is already not serial"))
    };
    before_after(
        step,
        &after,
        &before,
        &done,
        &format!("{object} was changed since the plan"),
        &serial_statements(table, column, serial, add),
    )
}

/// The statements of a serial made identity or back; the position is read from the old sequence before
/// they run and given to the new one after (`serial_identity` does it in the step).
pub fn serial_identity_statements(
    table: &QualName,
    column: &str,
    serial: &crate::catalog::Serial,
    identity: &crate::catalog::Identity,
    to_identity: bool,
) -> Vec<String> {
    let alter = format!("ALTER TABLE {} ALTER COLUMN {}", table.sql(), quote_ident(column));
    let seq = serial.sequence.sql();
    if to_identity {
        vec![
            format!("{alter} DROP DEFAULT"),
            format!("DROP SEQUENCE {seq}"),
            format!(
                "{alter} ADD GENERATED {} AS IDENTITY (SEQUENCE NAME {seq} {})",
                if identity.always { "ALWAYS" } else { "BY DEFAULT" },
                sequence_options_sql(&identity.options, false)
            ),
        ]
    } else {
        vec![
            format!("{alter} DROP IDENTITY"),
            format!("CREATE SEQUENCE {seq} {}", sequence_options_sql(&serial.options, true)),
            format!("{alter} SET DEFAULT nextval({}::regclass)", quote_literal(&seq)),
            super::guards::owned_by_sql(&serial.sequence, table, column),
        ]
    }
}

/// A serial made identity or back in one transactional step: the old sequence's position (`last_value`,
/// `is_called`) read first, the statements run, the new sequence set to the same position. Done when the
/// column is already in its new form; acts only on the form it was planned from.
pub(super) fn serial_identity(
    step: usize,
    table: &QualName,
    column: &str,
    serial: &crate::catalog::Serial,
    identity: &crate::catalog::Identity,
    to_identity: bool,
) -> String {
    let default = column_expr(table, column, "pg_catalog.pg_get_expr(d.adbin, d.adrelid)");
    let kind = column_expr(table, column, "a.attidentity");
    let calls = format!("nextval({}::regclass)", quote_literal(&serial.sequence.sql()));
    let as_serial = format!("{kind} = '' AND {default} = {}", quote_literal(&calls));
    let code = if identity.always { "a" } else { "d" };
    let as_identity = format!("{kind} = '{code}' AND {default} IS NULL");
    let object = format!("column {table}.{column}");
    let (after, before, done) = if to_identity {
        (as_identity, as_serial, format!("{object} is already an identity column"))
    } else {
        (as_serial, as_identity, format!("{object} is already serial"))
    };
    let sequence = quote_literal(&serial.sequence.sql());
    let current = format!(
        "pg_catalog.pg_get_serial_sequence({}, {})",
        quote_literal(&table.sql()),
        quote_literal(column)
    );
    let actions = format!(
        "    DECLARE\n      last_value bigint;\n      called boolean;\n    BEGIN\n      \
         EXECUTE 'SELECT last_value, is_called FROM ' || {current} INTO last_value, called;\n\
         {}      PERFORM pg_catalog.setval({sequence}, last_value, called);\n    END;\n",
        execute_lines(&serial_identity_statements(table, column, serial, identity, to_identity))
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect::<String>()
    );
    before_after_actions(
        step,
        &after,
        &before,
        &done,
        &format!("{object} was changed since the plan"),
        &actions,
    )
}

pub(super) fn release_sequence(step: usize, sequence: &QualName, table: &QualName, column: &str) -> String {
    let owned = format!(
        "EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass \
         AND d.objid = {} AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a'",
        regclass(sequence)
    );
    before_after(
        step,
        &format!("NOT {owned})"),
        &format!(
            "{owned} AND d.refobjid = {} AND d.refobjsubid = {})",
            regclass(table),
            attnum(table, column)
        ),
        &format!("sequence {sequence} is already owned by no column"),
        &format!("sequence {sequence} is owned by another column than {table}.{column}"),
        &[release_sql(sequence)],
    )
}

/// A column's collation as inspect reads it: NULL when it is its type's own.
fn column_collation(table: &QualName, column: &str) -> String {
    column_expr(
        table,
        column,
        "(SELECT CASE WHEN a.attcollation <> t.typcollation THEN (SELECT n.nspname || '.' || co.collname \
         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace \
         WHERE co.oid = a.attcollation) END FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid)",
    )
}

/// `ALTER COLUMN ... TYPE <same type> COLLATE ...`.
pub fn collation_sql(table: &QualName, column: &str, data_type: &str, to: &Option<QualName>) -> String {
    let collate = to.as_ref().map_or("pg_catalog.\"default\"".to_string(), |c| c.sql());
    format!(
        "ALTER TABLE {} ALTER COLUMN {} TYPE {data_type} COLLATE {collate}",
        table.sql(),
        quote_ident(column)
    )
}

pub(super) fn set_collation(
    step: usize,
    table: &QualName,
    column: &str,
    data_type: &str,
    from: &Option<QualName>,
    to: &Option<QualName>,
) -> String {
    let current = column_collation(table, column);
    let is = |c: &Option<QualName>| equals_or_null(&current, c.as_ref().map(|c| c.to_string()).as_deref());
    let object = format!("the collation of column {table}.{column}");
    before_after(
        step,
        &is(to),
        &is(from),
        &format!("{object} is already as planned"),
        &format!("{object} was changed since the plan"),
        &[collation_sql(table, column, data_type, to)],
    )
}

pub(super) fn drop_expression(step: usize, table: &QualName, column: &str) -> String {
    let generated = column_expr(table, column, "a.attgenerated");
    let object = format!("column {table}.{column}");
    before_after(
        step,
        &format!("{generated} = ''"),
        &format!("{generated} = 's'"),
        &format!("{object} is already not generated"),
        &format!("{object} was changed since the plan"),
        &[column_sql(table, column, "DROP EXPRESSION")],
    )
}

/// The name of the helper check a NOT NULL is built through.
pub fn not_null_check_name(column: &str) -> String {
    let mut name = format!("accrete_nn_{column}");
    while name.len() > 63 {
        name.pop();
    }
    name
}

pub(super) fn set_not_null(
    step: usize,
    table: &QualName,
    column: &str,
    stage: NotNullStage,
    n: NotNullOf,
) -> String {
    let col = quote_ident(column);
    let check = not_null_check_name(column);
    let not_null = column_expr(table, column, "a.attnotnull");
    let helper = constraint_lookup(table, &check);
    let object = format!("column {table}.{column}");
    let nulls = format!("(SELECT pg_catalog.count(*) FROM {} WHERE {col} IS NULL)", table.sql());
    let refuse = format!(
        "RAISE EXCEPTION {}, {nulls};",
        message(&format!("accrete: step {step}: {object} has % rows with NULL; NOT NULL cannot be set until they are filled"))
            .replace("%%", "%")
    );
    let done = skip(step, &format!("{object} is already NOT NULL"));
    let statements = not_null_statements(table, column, stage, n);
    let body = match stage {
        NotNullStage::NotValid => {
            format!("  IF {not_null} THEN\n    {done}\n  ELSE\n    {}\n  END IF;\n", execute(&statements[0]))
        }
        NotNullStage::ValidateConstraint => {
            let name = n.name.unwrap_or_default();
            let constraint = format!("{} AND c.contype = 'n'", constraint_lookup(table, name));
            format!(
                "  IF NOT EXISTS ({constraint}) THEN\n    {}\n  ELSIF EXISTS ({constraint} AND c.convalidated) THEN\n    {}\n  ELSE\n    BEGIN\n      {}\n    EXCEPTION WHEN not_null_violation THEN\n      {refuse}\n    END;\n  END IF;\n",
                fail(
                    step,
                    &format!(
                        "NOT NULL constraint {name} on {table} does not exist, so it cannot be validated"
                    )
                ),
                skip(step, &format!("NOT NULL constraint {name} on {table} is already validated")),
                execute(&statements[0]),
            )
        }
        NotNullStage::AddCheck => format!(
            "  IF {not_null} THEN\n    {done}\n  ELSIF EXISTS ({helper}) THEN\n    {}\n  ELSIF {nulls} > 0 THEN\n    {refuse}\n  ELSE\n    {}\n  END IF;\n",
            skip(step, &format!("check {check} on {table} exists")),
            execute(&statements[0]),
        ),
        NotNullStage::Validate => format!(
            "  IF {not_null} THEN\n    {done}\n  ELSIF NOT EXISTS ({helper}) THEN\n    {}\n  ELSIF EXISTS ({helper} AND c.convalidated) THEN\n    {}\n  ELSE\n    BEGIN\n      {}\n    EXCEPTION WHEN check_violation THEN\n      {refuse}\n    END;\n  END IF;\n",
            fail(step, &format!("check {check} on {table} does not exist, so it cannot be validated")),
            skip(step, &format!("check {check} on {table} is already validated")),
            execute(&statements[0]),
        ),
        NotNullStage::Set => format!(
            "  IF {not_null} THEN\n    {done}\n  ELSE\n    {}\n  END IF;\n  IF EXISTS ({helper}) THEN\n    {}\n  END IF;\n",
            execute(&statements[0]),
            execute(&statements[1]),
        ),
    };
    do_block(&body)
}

pub(super) fn rename_not_null_sql(table: &QualName, from: &str, to: &str) -> String {
    format!("ALTER TABLE {} RENAME CONSTRAINT {} TO {}", table.sql(), quote_ident(from), quote_ident(to))
}

/// Done when the column's NOT NULL has the new name; acts when it has the old one.
pub(super) fn rename_not_null(step: usize, table: &QualName, column: &str, from: &str, to: &str) -> String {
    let of_column = |name: &str| {
        format!(
            "EXISTS ({} AND c.contype = 'n' AND c.conkey = ARRAY[{}])",
            constraint_lookup(table, name),
            attnum(table, column)
        )
    };
    let object = format!("NOT NULL constraint of column {table}.{column}");
    do_block(&format!(
        "  IF {} THEN\n    {}\n  ELSIF {} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        of_column(to),
        skip(step, &format!("{object} is already named {to}")),
        of_column(from),
        execute(&rename_not_null_sql(table, from, to)),
        fail(step, &format!("{object} is named neither {from} nor {to}")),
    ))
}

pub(super) fn not_null_inherit_sql(table: &QualName, name: &str, no_inherit: bool) -> String {
    let to = if no_inherit { "NO INHERIT" } else { "INHERIT" };
    format!("ALTER TABLE {} ALTER CONSTRAINT {} {to}", table.sql(), quote_ident(name))
}

/// PostgreSQL 18: done when the column's NOT NULL constraint `name` is already `NO INHERIT` (or
/// inheritable) as planned; acts when it is the other way; fails when the column has no such constraint.
pub(super) fn set_not_null_inherit(
    step: usize,
    table: &QualName,
    column: &str,
    name: &str,
    no_inherit: bool,
) -> String {
    let state = |no_inherit: bool| {
        format!(
            "EXISTS ({} AND c.contype = 'n' AND c.conkey = ARRAY[{}] AND c.connoinherit = {no_inherit})",
            constraint_lookup(table, name),
            attnum(table, column)
        )
    };
    let object = format!("NOT NULL constraint {name} of column {table}.{column}");
    let want = if no_inherit { "NO INHERIT" } else { "inheritable" };
    before_after(
        step,
        &state(no_inherit),
        &state(!no_inherit),
        &format!("{object} is already {want}"),
        &format!("{object} is gone or was changed since the plan"),
        &[not_null_inherit_sql(table, name, no_inherit)],
    )
}

pub(super) fn drop_not_null(step: usize, table: &QualName, column: &str) -> String {
    let not_null = column_expr(table, column, "a.attnotnull");
    let object = format!("column {table}.{column}");
    do_block(&format!(
        "  IF {} IS NULL THEN\n    {}\n  ELSIF NOT {not_null} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        attnum(table, column),
        fail(step, &format!("{object} does not exist")),
        skip(step, &format!("{object} is already nullable")),
        execute(&column_sql(table, column, "DROP NOT NULL")),
    ))
}

/// The acting branch of a sequence's options changed: restarted at the declared start where its current
/// value is outside the declared range.
pub(super) fn sequence_actions(
    sequence: &str,
    object: &str,
    from: &SequenceOptions,
    to: &SequenceOptions,
    ddl: &str,
) -> String {
    if !from.narrowed_by(to) {
        return execute_lines(&[ddl]);
    }
    let note = format!(
        "accrete: {} was at %, outside the declared range {}..{}: restarted at {}",
        object.replace('%', "%%"),
        to.min_value,
        to.max_value,
        to.start
    );
    format!(
        "    DECLARE\n      seq_position bigint;\n    BEGIN\n      \
         EXECUTE 'SELECT last_value FROM ' || {sequence} INTO seq_position;\n      \
         IF seq_position < {min} OR seq_position > {max} THEN\n        \
         RAISE NOTICE {note}, seq_position;\n        {restart}\n      ELSE\n        {plain}\n      END IF;\n    END;\n",
        min = to.min_value,
        max = to.max_value,
        note = quote_literal(&note),
        restart = execute(&format!("{ddl} RESTART")),
        plain = execute(ddl),
    )
}

pub(super) fn change_comment(step: usize, on: &CommentOn, from: &str, to: &Option<String>) -> String {
    let (_, current, object) = comment_parts(on);
    before_after(
        step,
        &equals_or_null(&current, to.as_deref()),
        &format!("{current} = {}", quote_literal(from)),
        &format!("the comment on {object} is as planned"),
        &format!("the comment on {object} was changed since the plan"),
        &[comment_change_sql(on, to)],
    )
}

/// How a guard sees the object of a drop.
fn state(object: &Obj) -> State {
    super::kinds::of_object(object).state(object)
}

/// The statement that drops `object` (never `CASCADE`: what depends on it is dropped by steps of its own).
pub fn drop_sql(object: &Obj) -> String {
    super::kinds::of_object(object).drop_sql(object)
}

/// Whether the drop runs outside a transaction (`DROP INDEX CONCURRENTLY`).
pub fn drop_is_concurrent(object: &Obj) -> bool {
    super::kinds::of_object(object).drop_concurrently(object)
}

pub(super) fn drop(step: usize, object: &Obj, replaced_by: Option<&Obj>) -> String {
    let s = state(object);
    let ddl = drop_sql(object);
    let replaced = replaced_by.map(|r| {
        format!(
            "  ELSIF {} THEN\n    {}\n",
            state(r).same,
            skip(step, &format!("{} is already redefined as planned", s.object))
        )
    });
    let other =
        fail(step, &format!("{} exists with another definition than planned; it is not dropped", s.object));
    let absent = skip(step, &format!("{} is already absent", s.object));
    // A part of a table that is gone is gone too (its lookups would fail on the table's name).
    let whole = super::kinds::of_object(object).whole(object);
    let table_gone = match whole {
        Some(_) => None,
        None => object.table().map(|t| {
            format!(
                "  IF {} IS NULL THEN\n    {}\n    RETURN;\n  END IF;\n",
                to_regclass(t),
                skip(step, &format!("{} is already absent (table {t} is gone)", s.object))
            )
        }),
    }
    .unwrap_or_default();
    if drop_is_concurrent(object) {
        let decide = do_block(&format!(
            "{table_gone}  IF NOT ({}) THEN\n    {absent}\n  ELSIF {} THEN\n    NULL;\n{}  ELSE\n    {other}\n  END IF;\n",
            s.exists,
            s.same,
            replaced.unwrap_or_default(),
        ));
        return format!("{decide}SELECT {} WHERE {}\n\\gexec\n", quote_literal(&ddl), s.same);
    }
    do_block(&format!(
        "{table_gone}  IF NOT ({}) THEN\n    {absent}\n  ELSIF {} THEN\n    {}\n{}  ELSE\n    {other}\n  END IF;\n",
        s.exists,
        s.same,
        execute(&ddl),
        replaced.unwrap_or_default(),
    ))
}

/// The bare statements of a step, shown (commented) for what a policy did not admit.
pub fn statements(op: &crate::diff::Op) -> Vec<String> {
    use crate::diff::Op;
    match op {
        Op::ChangeComment { on, to, .. } => vec![comment_change_sql(on, to)],
        Op::Drop { object, .. } => vec![drop_sql(object)],
        other => super::guards::bare_sql(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helper_check_names_fit() {
        assert_eq!(not_null_check_name("email"), "accrete_nn_email");
        assert_eq!(not_null_check_name(&"c".repeat(63)).len(), 63);
    }
}
