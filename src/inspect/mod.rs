//! Reads a database's schema out of `pg_catalog` into a [`Catalog`]: the live database and the scratch
//! database that holds the desired state go through this same code.
//!
//! One query per object kind, each in its own file under `sql/` (pulled in with `include_str!`), each
//! returning one JSON document per object (`to_jsonb(row)`, or `row_to_json(row)` in the four large ones,
//! which is cheaper to build), so that one query text serves PostgreSQL 14 to 18: columns that only some
//! majors have are read from `to_jsonb` of the catalog row and come back NULL elsewhere.
//!
//! Invariants:
//! - the number of round trips is fixed ([`Inspected::queries`]), whatever the size of the database;
//! - everything is read in one `REPEATABLE READ READ ONLY` transaction (one snapshot), after the pinned
//!   session settings of [`crate::session`], so it works for a role that may only read the catalog and on a
//!   session with `default_transaction_read_only = on`; the connection must not be inside a transaction;
//! - [`inspect_shared`] spreads the queries over more sessions on that same snapshot (exported by the
//!   first, imported by the others, checked equal) and assembles the rows in the same order as one session
//!   does; when the snapshot cannot be shared, the first session reads everything;
//! - left out: system schemas, extension members (pg_depend `e`), accrete's own schema, what the scope
//!   excludes, and whatever belongs to another object rather than standing alone (constraint indexes,
//!   partition child indexes, cloned constraints and triggers, inherited columns and constraints, identity
//!   and serial sequences);
//! - nothing is ordered by OID: the catalog's maps are keyed by name, columns are in `attnum` order. The
//!   largest queries (columns, constraints, indexes, dependencies) are not ordered at all: their readers
//!   key the rows (and sort columns by position), and at 5,000 tables their sorts spilled to disk;
//! - the sessions read without JIT compilation ([`READ_SETTINGS`]).
//!
//! As for pg_dump, the `pg_get_*def` and `format_type` functions read the current catalog rather than the
//! transaction's snapshot, so DDL committed by others during the inspection can show in those texts.
//!
//! The scope's schema list and own schema filter in SQL (`sql/namespaces.sql`, parameters `$1`, `$2`); the
//! exclude patterns apply here, per [`ObjectKind`].
//!
//! PostgreSQL 18 differences normalized here: NOT NULL constraints (`contype 'n'`) stay the column attribute
//! `not_null` (a `NOT VALID` one does not count); a `NOT ENFORCED` constraint has nothing to validate and
//! reads as validated (its definition says `NOT ENFORCED`); a virtual generated column's `generated` carries
//! [`VIRTUAL_SUFFIX`] after the expression, because the catalog model has no field for the kind.

mod code;
mod defined;
mod keys;
mod objects;
mod other;
mod privileges;
mod tables;

use crate::catalog::{Catalog, ObjectKind, Placement, QualName, TableSize};
use crate::scope::Scope;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use tokio_postgres::Client;
use tokio_postgres::types::{ToSql, Type};

pub use tables::{VIRTUAL_SUFFIX, split_generated};

/// The server and session an inspection ran against.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct ServerInfo {
    /// `server_version_num`, e.g. `150018`.
    pub version_num: i32,
    /// `server_version` up to the first space, e.g. `15.18` (not a packager's suffix).
    pub version: String,
    pub major: u32,
    pub database: String,
    /// From `pg_control_system()`; empty when the role may not execute it.
    pub system_identifier: String,
    pub encoding: String,
    pub lc_collate: String,
    pub lc_ctype: String,
    pub in_recovery: bool,
    pub current_user: String,
    pub session_user: String,
}

/// The result of [`inspect`].
#[derive(Debug, Clone)]
pub struct Inspected {
    pub catalog: Catalog,
    pub server: ServerInfo,
    /// Round trips to the server, session settings and transaction control included: 25, whatever the
    /// size of the database.
    pub queries: usize,
    /// Each table's (and materialized view's) size estimates: not part of the catalog, whose digests
    /// they would change with every write.
    pub sizes: BTreeMap<QualName, TableSize>,
}

/// A query of one object kind. `scoped` queries are prefixed with the in-scope namespaces CTE and take
/// the scope's schemas (`$1`) and own schema (`$2`).
#[derive(Clone, Copy)]
struct Query {
    what: &'static str,
    sql: &'static str,
    scoped: bool,
}

macro_rules! scoped {
    ($what:literal, $file:literal) => {
        Query {
            what: $what,
            sql: concat!(include_str!("sql/namespaces.sql"), include_str!(concat!("sql/", $file))),
            scoped: true,
        }
    };
}

const SERVER: Query = Query { what: "server", sql: include_str!("sql/server.sql"), scoped: false };
const SCHEMAS: Query = scoped!("schemas", "schemas.sql");
const EXTENSIONS: Query =
    Query { what: "extensions", sql: include_str!("sql/extensions.sql"), scoped: false };
const ENUMS: Query = scoped!("enum types", "enums.sql");
const SEQUENCES: Query = scoped!("sequences", "sequences.sql");
const TABLES: Query = scoped!("tables", "tables.sql");
const TABLE_SIZES: Query = scoped!("table sizes", "table_sizes.sql");
const COLUMNS: Query = scoped!("columns", "columns.sql");
const CONSTRAINTS: Query = scoped!("constraints", "constraints.sql");
const INDEXES: Query = scoped!("indexes", "indexes.sql");
const OTHER_RELATIONS: Query = scoped!("other relations", "other_relations.sql");
const UNMODELED: Query = scoped!("unmodeled objects", "unmodeled.sql");
const VIEWS: Query = scoped!("views", "views.sql");
const TYPES: Query = Query {
    what: "domains, range and composite types",
    sql: concat!(
        include_str!("sql/namespaces.sql"),
        include_str!("sql/types_head.sql"),
        include_str!("sql/type_definition.sql"),
        include_str!("sql/types_tail.sql")
    ),
    scoped: true,
};

/// The SQL expression that builds a type's `CREATE` statement from `pg_type t` (plan guards reuse it).
pub const TYPE_DEFINITION: &str = include_str!("sql/type_definition.sql");
const FUNCTIONS: Query = scoped!("functions", "functions.sql");

/// A query whose `definition` column is an expression of its own file, `<kind>_definition.sql`, between
/// `<kinds>_head.sql` and `<kinds>_tail.sql`; plan guards evaluate the same expression on the object there.
macro_rules! defined {
    ($what:literal, $kinds:literal, $kind:literal) => {
        Query {
            what: $what,
            sql: concat!(
                include_str!("sql/namespaces.sql"),
                include_str!(concat!("sql/", $kinds, "_head.sql")),
                include_str!(concat!("sql/", $kind, "_definition.sql")),
                include_str!(concat!("sql/", $kinds, "_tail.sql"))
            ),
            scoped: true,
        }
    };
}

const AGGREGATES: Query = defined!("aggregates", "aggregates", "aggregate");
/// The SQL expression that builds an aggregate's `CREATE AGGREGATE` from `pg_aggregate ag`, `pg_proc ap`
/// and `pg_namespace an`.
pub const AGGREGATE_DEFINITION: &str = include_str!("sql/aggregate_definition.sql");
/// The statement-defined kinds of `crate::kinds`, all in one query.
static DEFINED_SQL: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{}{}", include_str!("sql/namespaces.sql"), crate::kinds::query()));
const TABLE_PARTS: Query = scoped!("triggers, rules and policies", "table_parts.sql");
const DEPENDENCIES: Query = scoped!("dependencies", "dependencies.sql");
const PRIVILEGES: Query = scoped!("privileges", "privileges.sql");
const DEFAULT_PRIVILEGES: Query = scoped!("default privileges", "default_privileges.sql");
const ROLES: Query = Query { what: "roles", sql: include_str!("sql/roles.sql"), scoped: false };
const EVENT_TRIGGERS: Query =
    Query { what: "event triggers", sql: include_str!("sql/event_triggers.sql"), scoped: false };

/// Every query file of `src/inspect/sql/`, for [`model_digest`] (a test checks that none is left out).
const SQL_FILES: &[(&str, &str)] = &[
    ("inspect/sql/aggregate_definition.sql", include_str!("sql/aggregate_definition.sql")),
    ("inspect/sql/aggregates_head.sql", include_str!("sql/aggregates_head.sql")),
    ("inspect/sql/aggregates_tail.sql", include_str!("sql/aggregates_tail.sql")),
    ("inspect/sql/columns.sql", include_str!("sql/columns.sql")),
    ("inspect/sql/constraints.sql", include_str!("sql/constraints.sql")),
    ("inspect/sql/default_privileges.sql", include_str!("sql/default_privileges.sql")),
    ("inspect/sql/dependencies.sql", include_str!("sql/dependencies.sql")),
    ("inspect/sql/enums.sql", include_str!("sql/enums.sql")),
    ("inspect/sql/event_triggers.sql", include_str!("sql/event_triggers.sql")),
    ("inspect/sql/extensions.sql", include_str!("sql/extensions.sql")),
    ("inspect/sql/external_enums.sql", include_str!("sql/external_enums.sql")),
    ("inspect/sql/external_functions.sql", include_str!("sql/external_functions.sql")),
    ("inspect/sql/external_schemas.sql", include_str!("sql/external_schemas.sql")),
    ("inspect/sql/external_tables.sql", include_str!("sql/external_tables.sql")),
    ("inspect/sql/external_types.sql", include_str!("sql/external_types.sql")),
    ("inspect/sql/external_views.sql", include_str!("sql/external_views.sql")),
    ("inspect/sql/functions.sql", include_str!("sql/functions.sql")),
    ("inspect/sql/indexes.sql", include_str!("sql/indexes.sql")),
    ("inspect/sql/namespaces.sql", include_str!("sql/namespaces.sql")),
    ("inspect/sql/other_relations.sql", include_str!("sql/other_relations.sql")),
    ("inspect/sql/privileges.sql", include_str!("sql/privileges.sql")),
    ("inspect/sql/roles.sql", include_str!("sql/roles.sql")),
    ("inspect/sql/schemas.sql", include_str!("sql/schemas.sql")),
    ("inspect/sql/sequences.sql", include_str!("sql/sequences.sql")),
    ("inspect/sql/server.sql", include_str!("sql/server.sql")),
    ("inspect/sql/table_parts.sql", include_str!("sql/table_parts.sql")),
    ("inspect/sql/table_sizes.sql", include_str!("sql/table_sizes.sql")),
    ("inspect/sql/tables.sql", include_str!("sql/tables.sql")),
    ("inspect/sql/type_definition.sql", include_str!("sql/type_definition.sql")),
    ("inspect/sql/types_head.sql", include_str!("sql/types_head.sql")),
    ("inspect/sql/types_tail.sql", include_str!("sql/types_tail.sql")),
    ("inspect/sql/unmodeled.sql", include_str!("sql/unmodeled.sql")),
    ("inspect/sql/views.sql", include_str!("sql/views.sql")),
];

/// What accrete reads from a catalog and how: its version and the text of every inspect query (the
/// statement-defined kinds' included), as a SHA-256. A snapshot normalized under another model is stale (a kind modeled since, for one).
pub fn model_digest() -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION"));
    for (name, sql) in SQL_FILES {
        hash.update([0]);
        hash.update(name);
        hash.update([0]);
        hash.update(sql);
    }
    // The statement-defined kinds' query, built from their descriptors (`src/kinds/`).
    hash.update([0]);
    hash.update(crate::kinds::query());
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs queries on one session and counts the round trips; a query read ahead by [`Reader::prefetch`]
/// (over several sessions) is taken from there instead.
struct Reader<'a> {
    client: &'a Client,
    schemas: Vec<String>,
    own_schema: String,
    queries: usize,
    prefetched: std::collections::HashMap<&'static str, Vec<String>>,
}

impl<'a> Reader<'a> {
    fn new(client: &'a Client, scope: &Scope) -> Self {
        Reader {
            client,
            schemas: scope.schemas.clone(),
            own_schema: scope.own_schema.clone(),
            queries: 0,
            prefetched: std::collections::HashMap::new(),
        }
    }

    /// Runs every query of [`PREFETCH`] now, spread over this session and `others` (which share its
    /// snapshot): each session takes the next query left, the longest first.
    async fn prefetch(&mut self, others: &[crate::conn::Connection]) -> Result<()> {
        let queue = std::sync::Mutex::new(PREFETCH.to_vec());
        let mut clients = vec![self.client];
        clients.extend(others.iter().map(|c| &c.client));
        let (schemas, own_schema) = (&self.schemas, &self.own_schema);
        let workers = clients.into_iter().enumerate().map(|(session, client)| {
            let queue = &queue;
            async move {
                let mut fetched = Vec::new();
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let Some(query) = next else { break };
                    let started = std::time::Instant::now();
                    let rows = fetch(client, &query, schemas, own_schema).await?;
                    crate::progress::detail(
                        &format!("{} ({} rows; session {})", query.what, rows.len(), session + 1),
                        Some(started.elapsed()),
                    );
                    fetched.push((query.what, rows));
                }
                anyhow::Ok(fetched)
            }
        });
        let fetched = futures_util::future::try_join_all(workers).await?;
        for (what, rows) in fetched.into_iter().flatten() {
            self.queries += 1;
            self.prefetched.insert(what, rows);
        }
        Ok(())
    }

    /// Statements without results, in one simple-query round trip.
    async fn batch(&mut self, sql: &str, what: &str) -> Result<()> {
        self.queries += 1;
        self.client.batch_execute(sql).await.with_context(|| format!("inspect: {what}"))
    }

    /// One query, one round trip (`query_typed_raw` needs no prepare step): every row is one JSON document.
    async fn rows<T: DeserializeOwned>(&mut self, query: &Query) -> Result<Vec<T>> {
        if let Some(rows) = self.prefetched.remove(query.what) {
            return decode(query, rows);
        }
        self.queries += 1;
        let started = std::time::Instant::now();
        let rows = fetch(self.client, query, &self.schemas, &self.own_schema).await?;
        let fetched = started.elapsed();
        let count = rows.len();
        let decoded = decode(query, rows)?;
        let decoding = started.elapsed() - fetched;
        crate::progress::detail(
            &format!("{} ({count} rows; decoding {:.3} s)", query.what, decoding.as_secs_f64()),
            Some(fetched),
        );
        Ok(decoded)
    }
}

/// One query on one session (`query_typed_raw` needs no prepare step): each row's one JSON document, taken
/// out of the connection's buffers as it arrives, so that they are freed while the rest is read.
async fn fetch(
    client: &Client,
    query: &Query,
    schemas: &Vec<String>,
    own_schema: &String,
) -> Result<Vec<String>> {
    let what = || format!("inspect: reading {}", query.what);
    let scoped: [(&(dyn ToSql + Sync), Type); 2] = [(schemas, Type::TEXT_ARRAY), (own_schema, Type::TEXT)];
    let params: &[(&(dyn ToSql + Sync), Type)] = if query.scoped { &scoped } else { &[] };
    let rows = client.query_typed_raw(query.sql, params.iter().cloned()).await.with_context(what)?;
    let mut rows = std::pin::pin!(rows);
    let mut texts = Vec::new();
    while let Some(row) = futures_util::TryStreamExt::try_next(&mut rows).await.with_context(what)? {
        texts.push(row.try_get::<_, &str>(0).with_context(what)?.to_owned());
    }
    Ok(texts)
}

/// Every row is one JSON document; each is freed once decoded.
fn decode<T: DeserializeOwned>(query: &Query, rows: Vec<String>) -> Result<Vec<T>> {
    rows.into_iter()
        .map(|text| {
            serde_json::from_str(&text)
                .with_context(|| format!("inspect: decoding a row of {}: {text}", query.what))
        })
        .collect()
}

/// The queries an inspection over several sessions reads ahead, the shortest first (sessions take them
/// from the end: the longest first, so that the last to finish is a short one).
static PREFETCH: std::sync::LazyLock<Vec<Query>> = std::sync::LazyLock::new(|| {
    vec![
        DEFAULT_PRIVILEGES,
        EVENT_TRIGGERS,
        ROLES,
        EXTENSIONS,
        SCHEMAS,
        ENUMS,
        AGGREGATES,
        FUNCTIONS,
        UNMODELED,
        OTHER_RELATIONS,
        Query { what: STATEMENT_DEFINED, sql: &DEFINED_SQL, scoped: true },
        TYPES,
        TABLE_PARTS,
        VIEWS,
        SEQUENCES,
        TABLES,
        PRIVILEGES,
        TABLE_SIZES,
        CONSTRAINTS,
        INDEXES,
        DEPENDENCIES,
        COLUMNS,
    ]
});

const STATEMENT_DEFINED: &str = "statement-defined objects";

/// Settings of an inspection's sessions only (plan files do not carry them): no JIT compilation. The
/// catalog queries of a large schema cost enough for the planner to compile them, in every parallel
/// worker, which takes longer than it saves on queries of a second or two (about 0.2 s per process).
const READ_SETTINGS: &str = "SET jit = off;\n";

/// Reads the server and the schema in scope, in one read-only snapshot, after applying the pinned session
/// settings on this session (they stay set afterwards).
pub async fn inspect(client: &Client, scope: &Scope) -> Result<Inspected> {
    inspect_with(client, scope, None).await
}

/// More sessions for an inspection, opened as the first was: same parameters, same `SET ROLE`.
pub struct Sessions<'a> {
    pub params: &'a crate::conn::ConnParams,
    pub application: &'a str,
    pub role: Option<&'a str>,
    /// Sessions in all, the first included: 1 reads everything on the first.
    pub connections: usize,
}

/// [`inspect`], with the catalog reads spread over up to `sessions.connections` sessions that all read
/// the first one's snapshot: it exports it (`pg_export_snapshot()`), each other session imports it
/// (`SET TRANSACTION SNAPSHOT`) in a `REPEATABLE READ READ ONLY` transaction of its own and checks that it
/// sees the same snapshot (`pg_current_snapshot()`: the same server). Where that cannot be done (a pooler,
/// a server refusing more connections, an export refused), fewer sessions or the first alone read
/// everything; `--timings` says how many did, and why not more.
pub async fn inspect_shared(client: &Client, scope: &Scope, sessions: &Sessions<'_>) -> Result<Inspected> {
    inspect_with(client, scope, Some(sessions)).await
}

async fn inspect_with(client: &Client, scope: &Scope, sessions: Option<&Sessions<'_>>) -> Result<Inspected> {
    let mut reader = Reader::new(client, scope);
    let begin = format!(
        "{}{READ_SETTINGS}BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;",
        crate::session::set_batch()
    );
    reader.batch(&begin, "applying the session settings and starting a read-only transaction").await?;
    let others = match sessions {
        Some(sessions) if sessions.connections > 1 => open_sessions(&mut reader, sessions).await?,
        _ => Vec::new(),
    };
    let result = async {
        if !others.is_empty() {
            reader.prefetch(&others).await?;
        }
        read_all(&mut reader, scope).await
    }
    .await;
    for other in &others {
        // Read-only: nothing to keep; the connections close when dropped.
        let _ = other.client.batch_execute("COMMIT").await;
    }
    match result {
        Ok((catalog, server, sizes)) => {
            reader.batch("COMMIT", "ending the read-only transaction").await?;
            Ok(Inspected { catalog, server, queries: reader.queries, sizes })
        }
        Err(err) => {
            // The transaction is aborted; leave the session usable. The original error is what matters.
            let _ = client.batch_execute("ROLLBACK").await;
            Err(err)
        }
    }
}

/// Exports the first session's snapshot and opens the other sessions on it; those that cannot be opened
/// are left out, with the reason under `--timings` and in the log.
async fn open_sessions(
    reader: &mut Reader<'_>,
    sessions: &Sessions<'_>,
) -> Result<Vec<crate::conn::Connection>> {
    reader.queries += 1;
    let exported = match reader
        .client
        .query_typed("SELECT pg_export_snapshot(), pg_current_snapshot()::text", &[])
        .await
    {
        Ok(rows) => rows
            .first()
            .and_then(|row| Some((row.try_get::<_, String>(0).ok()?, row.try_get::<_, String>(1).ok()?)))
            .ok_or_else(|| "no snapshot returned".to_string()),
        Err(err) => Err(db_message(&err)),
    };
    let (snapshot, seen) = match exported {
        Ok(exported) => exported,
        Err(err) => {
            // The transaction may be aborted: start it again, on this session alone.
            let why = format!("1 session: the snapshot cannot be exported ({err})");
            tracing::info!("inspect: {why}");
            crate::progress::detail(&why, None);
            let begin = "ROLLBACK; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;";
            reader.batch(begin, "starting a read-only transaction again").await?;
            return Ok(Vec::new());
        }
    };
    let opened = futures_util::future::join_all(
        (1..sessions.connections).map(|_| open_session(sessions, &snapshot, &seen)),
    )
    .await;
    let mut others = Vec::new();
    let mut refused = Vec::new();
    for result in opened {
        match result {
            Ok(conn) => others.push(conn),
            Err(err) => refused.push(format!("{err:#}")),
        }
    }
    reader.queries += others.len() * 2;
    let mut line = format!("{} sessions on one snapshot", others.len() + 1);
    if let Some(why) = refused.first() {
        line.push_str(&format!(" ({} not opened: {why})", refused.len()));
        tracing::info!("inspect: {line}");
    }
    crate::progress::detail(&line, None);
    Ok(others)
}

/// One more session on `snapshot`, after the same `SET ROLE` and session settings as the first.
async fn open_session(
    sessions: &Sessions<'_>,
    snapshot: &str,
    seen: &str,
) -> Result<crate::conn::Connection> {
    let conn = crate::conn::connect(sessions.params, sessions.application).await?;
    let mut setup = String::new();
    if let Some(role) = sessions.role {
        setup.push_str(&format!("SET ROLE {};\n", crate::catalog::quote_ident(role)));
    }
    setup.push_str(&crate::session::set_batch());
    setup.push_str(READ_SETTINGS);
    setup.push_str(&format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\nSET TRANSACTION SNAPSHOT {};",
        crate::catalog::quote_literal(snapshot)
    ));
    conn.client.batch_execute(&setup).await.map_err(|e| anyhow::anyhow!("{}", db_message(&e)))?;
    let rows = conn.client.query_typed("SELECT pg_current_snapshot()::text", &[]).await?;
    let here: Option<String> = rows.first().map(|r| r.try_get(0)).transpose()?;
    if here.as_deref() != Some(seen) {
        bail!("a session saw another snapshot (another server?)");
    }
    Ok(conn)
}

/// The server's message of an error, or the error itself.
fn db_message(err: &tokio_postgres::Error) -> String {
    err.as_db_error().map_or_else(|| err.to_string(), |db| db.message().to_string())
}

/// Reads only the server and session facts (one query, no transaction, no session settings).
pub async fn server_info(client: &Client) -> Result<ServerInfo> {
    let mut reader = Reader::new(client, &Scope::default());
    read_server(&mut reader).await
}

/// The majors the catalog queries are written for (the same as `pg::SUPPORTED_MAJORS`, which a test in
/// `apply` keeps equal): an older server lacks columns they read (`pg_range.rngmultitypid` is 14's).
pub const SUPPORTED_MAJORS: std::ops::RangeInclusive<u32> = 14..=18;

async fn read_server(reader: &mut Reader<'_>) -> Result<ServerInfo> {
    let mut rows: Vec<ServerRow> = reader.rows(&SERVER).await?;
    let Some(row) = rows.pop() else { bail!("inspect: the server query returned no row") };
    let info = row.into_info();
    check_major(&info)?;
    Ok(info)
}

/// Refuses a server of a major the queries are not written for, naming the supported ones.
fn check_major(info: &ServerInfo) -> Result<()> {
    if info.major < *SUPPORTED_MAJORS.start() {
        bail!(
            "PostgreSQL {} (database {}) is not supported: accrete supports PostgreSQL {} to {}",
            info.version,
            info.database,
            SUPPORTED_MAJORS.start(),
            SUPPORTED_MAJORS.end()
        );
    }
    Ok(())
}

async fn read_all(
    reader: &mut Reader<'_>,
    scope: &Scope,
) -> Result<(Catalog, ServerInfo, BTreeMap<QualName, TableSize>)> {
    let server = read_server(reader).await?;
    let mut catalog = Catalog {
        schemas: objects::schemas(reader.rows(&SCHEMAS).await?, scope),
        extensions: objects::extensions(reader.rows(&EXTENSIONS).await?, scope),
        enums: objects::enums(reader.rows(&ENUMS).await?, scope),
        ..Catalog::default()
    };
    let sequences = reader.rows(&SEQUENCES).await?;
    let mut tables = tables::tables(reader.rows(&TABLES).await?, scope);
    let columns = reader.rows(&COLUMNS).await?;
    let serial_sequences = tables::add_columns(&mut tables, columns, scope)?;
    catalog.sequences = objects::sequences(sequences, &serial_sequences, scope);
    keys::add_constraints(&mut tables, reader.rows(&CONSTRAINTS).await?, scope)?;
    catalog.partition_indexes = keys::add_indexes(&mut tables, reader.rows(&INDEXES).await?, scope)?;
    let parts = reader.rows(&TABLE_PARTS).await?;
    catalog.views = code::views(reader.rows(&VIEWS).await?, scope);
    code::add_table_parts(&mut tables, &mut catalog.views, parts, scope);
    catalog.tables = tables;
    catalog.types = code::types(reader.rows(&TYPES).await?, scope);
    catalog.functions = code::functions(reader.rows(&FUNCTIONS).await?, scope);
    let statement_defined = Query { what: STATEMENT_DEFINED, sql: &DEFINED_SQL, scoped: true };
    catalog.defined = defined::by_key(reader.rows(&statement_defined).await?, scope);
    catalog.aggregates = defined::aggregates(reader.rows(&AGGREGATES).await?, scope);
    catalog.event_triggers = objects::event_triggers(reader.rows(&EVENT_TRIGGERS).await?, scope);
    catalog.privileges = privileges::object_acls(reader.rows(&PRIVILEGES).await?, scope);
    privileges::default_acls(reader.rows(&DEFAULT_PRIVILEGES).await?, &mut catalog.privileges);
    catalog.roles = privileges::roles(reader.rows(&ROLES).await?);
    (catalog.dependencies, catalog.unmodeled_dependencies) =
        code::dependencies(reader.rows(&DEPENDENCIES).await?);
    catalog.other_relations = other::other_relations(reader.rows(&OTHER_RELATIONS).await?, scope);
    (catalog.unmodeled, catalog.unmodeled_objects) =
        other::unmodeled(&catalog.other_relations, reader.rows(&UNMODELED).await?, scope);
    let sizes = read_sizes(reader).await?;
    Ok((catalog, server, sizes))
}

async fn read_sizes(reader: &mut Reader<'_>) -> Result<BTreeMap<QualName, TableSize>> {
    let sizes = reader.rows::<SizeRow>(&TABLE_SIZES).await?;
    Ok(sizes
        .into_iter()
        .map(|r| {
            (
                r.name,
                TableSize { rows: r.rows.unwrap_or(0.0) as u64, bytes: r.bytes.unwrap_or(0).max(0) as u64 },
            )
        })
        .collect())
}

/// The size estimates of the tables in scope now, as [`inspect`] reads them (`sql/table_sizes.sql`): one
/// query of `pg_class`, which takes no lock on any table, on a session outside a transaction (`apply`
/// checks a size-bounded hazard's table again before running anything).
pub async fn table_sizes(client: &Client, scope: &Scope) -> Result<BTreeMap<QualName, TableSize>> {
    read_sizes(&mut Reader::new(client, scope)).await
}

#[derive(Deserialize)]
struct SizeRow {
    name: QualName,
    rows: Option<f64>,
    bytes: Option<i64>,
}

#[derive(Deserialize)]
struct ServerRow {
    version_num: i32,
    version: String,
    database: String,
    system_identifier: String,
    encoding: String,
    lc_collate: String,
    lc_ctype: String,
    in_recovery: bool,
    current_user: String,
    session_user: String,
}

impl ServerRow {
    fn into_info(self) -> ServerInfo {
        ServerInfo {
            major: u32::try_from(self.version_num / 10000).unwrap_or(0),
            version_num: self.version_num,
            version: self.version,
            database: self.database,
            system_identifier: self.system_identifier,
            encoding: self.encoding,
            lc_collate: self.lc_collate,
            lc_ctype: self.lc_ctype,
            in_recovery: self.in_recovery,
            current_user: self.current_user,
            session_user: self.session_user,
        }
    }
}

/// The `ObjectKey` name of an object in a schema.
fn qualified(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}

/// Whether a pattern excludes `name` whatever its kind (`*:audit.*`): how objects of kinds without an
/// [`ObjectKind`] (window functions, operators, publications ...) honour the scope's kind-less patterns.
/// Callers check the schema first, so for a schema-qualified name each kind reduces to its patterns; a name
/// without a schema (a publication, a cast) is in every schema-less kind's scope (extensions, event
/// triggers) unless a pattern of each excludes it: in effect, the `*` patterns. Event triggers themselves
/// are modeled ([`ObjectKind::EventTrigger`]) and reduce to the `*` and `event_trigger` patterns. The kinds
/// asked are those whose objects are in a schema or the database's ([`Placement`]): not schemas (their
/// names are schemas) nor grants (in scope with their object).
fn excluded_for_every_kind(scope: &Scope, name: &str) -> bool {
    ObjectKind::ALL
        .into_iter()
        .filter(|kind| matches!(kind.placement(), Placement::InSchema | Placement::Database))
        .all(|kind| !scope.includes(kind, name))
}

#[cfg(test)]
mod major_tests {
    use super::*;

    fn server(version_num: i32) -> ServerInfo {
        let row = ServerRow {
            version_num,
            version: format!("{}.{}", version_num / 10000, version_num % 100),
            database: "app".into(),
            system_identifier: String::new(),
            encoding: "UTF8".into(),
            lc_collate: "C".into(),
            lc_ctype: "C".into(),
            in_recovery: false,
            current_user: "u".into(),
            session_user: "u".into(),
        };
        row.into_info()
    }

    #[test]
    fn a_server_older_than_fourteen_is_refused_naming_the_supported_majors() {
        let err = check_major(&server(130023)).unwrap_err().to_string();
        assert_eq!(
            err,
            "PostgreSQL 13.23 (database app) is not supported: accrete supports PostgreSQL 14 to 18"
        );
        assert!(check_major(&server(140010)).is_ok());
        assert!(check_major(&server(180004)).is_ok());
    }
}

#[cfg(test)]
mod model_tests {
    #[test]
    fn the_model_digest_covers_every_inspect_query_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/inspect/sql");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| format!("inspect/sql/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        on_disk.sort();
        let listed: Vec<String> = super::SQL_FILES.iter().map(|(name, _)| name.to_string()).collect();
        assert_eq!(listed, on_disk, "list every file of src/inspect/sql in SQL_FILES, sorted");
        assert_eq!(super::model_digest().len(), 64);
    }
}
