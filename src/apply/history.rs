//! The apply history: `<schema>.history` (one row per apply attempt) and `<schema>.history_steps` (one row
//! per step outcome), in accrete's own schema (`accrete` unless configured).
//!
//! Invariants:
//! - only `apply` creates the schema (never `plan`, `drift` or a dry run); creation is idempotent and
//!   serialized by a transaction-level advisory lock, so concurrent appliers cannot collide on it;
//! - rows are written on a connection of their own, in autocommit, so they survive the rollback of the
//!   segment they describe;
//! - the table layout is a contract (rollback files read `history_steps`):
//!   `history(id bigint identity, plan_id, checksum, status, started_at, finished_at, tool_version,
//!   session_user_name, role_name, committed_segments int[], verified boolean, message, backend_pid,
//!   backend_start)` with status one of `started`, `applied`, `already-applied`, `failed`, `partial`,
//!   `unverified`, `interrupted`; and
//!   `history_steps(history_id, plan_id, segment, step, object_kind, object_name, outcome, finished_at)`
//!   with outcome one of `executed`, `skipped`, `rolled-back`, `failed`, `running`, `interrupted` (one row
//!   per step, updated as the step's outcome becomes known);
//! - [`recover`], run by an apply that holds the apply lock, closes the runs no session is running any more
//!   (`interrupted`), and turns a `running` or `interrupted` step of this plan whose object is in its after
//!   state into `executed`, so that the rollback undoes what an orphaned statement finished.

use super::exec::StepOutcome;
use crate::catalog::{ObjectKey, ObjectKind, quote_ident};
use crate::conn::{ConnParams, Connection};
use crate::planfile::{PlanFile, Step};
use anyhow::{Context, Result};
use std::collections::BTreeMap;

/// Key of the transaction-level advisory lock that serializes creating the history tables.
const CREATE_LOCK_KEY: i64 = 0x6163_6372_6574_6531; // "accrete1"

/// An open history row and the connection that writes it.
pub struct History {
    conn: Connection,
    schema: String,
    plan_id: String,
    pub id: i64,
}

/// Opens the history connection (as `role` when given) and makes sure the tables exist.
pub async fn open(params: &ConnParams, app: &str, role: Option<&str>, schema: &str) -> Result<Connection> {
    let conn = crate::conn::connect(params, app).await.context("opening the history connection")?;
    if let Some(role) = role {
        conn.client.batch_execute(&format!("SET ROLE {}", quote_ident(role))).await.context("SET ROLE")?;
    }
    ensure_tables(&conn, schema)
        .await
        .with_context(|| format!("creating the apply history in schema {schema}"))?;
    Ok(conn)
}

async fn ensure_tables(conn: &Connection, schema: &str) -> Result<()> {
    if tables_present(conn, schema).await? {
        return ensure_backend_columns(conn, schema).await;
    }
    conn.client.batch_execute("BEGIN").await?;
    let created = create_tables(conn, schema).await;
    let end = if created.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = conn.client.batch_execute(end).await;
    created?;
    ended?;
    Ok(())
}

/// History tables made before the runs recorded their backend get the two columns (a catalog change). A
/// role that cannot alter them (another role made them) records runs without their backend, as before.
async fn ensure_backend_columns(conn: &Connection, schema: &str) -> Result<()> {
    if has_backend_columns(conn, schema).await? {
        return Ok(());
    }
    let table = format!("{}.history", quote_ident(schema));
    let altered = conn
        .client
        .batch_execute(&format!(
            "ALTER TABLE {table} ADD COLUMN IF NOT EXISTS backend_pid integer,
                                 ADD COLUMN IF NOT EXISTS backend_start timestamptz"
        ))
        .await;
    if let Err(e) = altered {
        tracing::warn!("the history cannot record the apply's session (adding backend_pid to {table}: {e})");
    }
    Ok(())
}

/// Whether the history table has `backend_pid` and `backend_start`.
async fn has_backend_columns(conn: &Connection, schema: &str) -> Result<bool> {
    let sql = "SELECT count(*) FROM pg_catalog.pg_attribute
               WHERE attrelid = pg_catalog.to_regclass($1) AND attname IN ('backend_pid', 'backend_start')
                 AND NOT attisdropped";
    let table = format!("{}.history", quote_ident(schema));
    let n: i64 = conn.client.query_one(sql, &[&table]).await?.get(0);
    Ok(n == 2)
}

async fn tables_present(conn: &Connection, schema: &str) -> Result<bool> {
    let s = quote_ident(schema);
    let sql = "SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL";
    let row = conn.client.query_one(sql, &[&format!("{s}.history"), &format!("{s}.history_steps")]).await?;
    Ok(row.get(0))
}

/// In a transaction: waits for the creation lock, then creates what is still missing (another applier
/// may have created it meanwhile). Comments are set only on what this transaction creates.
async fn create_tables(conn: &Connection, schema: &str) -> Result<()> {
    let client = &conn.client;
    client.batch_execute(&format!("SELECT pg_advisory_xact_lock({CREATE_LOCK_KEY})")).await?;
    if tables_present(conn, schema).await? {
        return Ok(());
    }
    let s = quote_ident(schema);
    let schema_exists: bool = client
        .query_one("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", &[&schema])
        .await?
        .get(0);
    if !schema_exists {
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {s};
                 COMMENT ON SCHEMA {s} IS 'accrete: the apply history (created by accrete apply)'"
            ))
            .await?;
    }
    client
        .batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {s}.history (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                plan_id text NOT NULL,
                checksum text NOT NULL,
                status text NOT NULL,
                started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                finished_at timestamptz,
                tool_version text NOT NULL,
                session_user_name text NOT NULL DEFAULT session_user,
                role_name text NOT NULL DEFAULT current_user,
                committed_segments integer[] NOT NULL DEFAULT '{{}}',
                verified boolean,
                message text,
                backend_pid integer,
                backend_start timestamptz
            );
            CREATE TABLE IF NOT EXISTS {s}.history_steps (
                history_id bigint NOT NULL REFERENCES {s}.history (id),
                plan_id text NOT NULL,
                segment integer NOT NULL,
                step integer NOT NULL,
                object_kind text NOT NULL,
                object_name text NOT NULL,
                outcome text NOT NULL,
                finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                PRIMARY KEY (history_id, step)
            );
            CREATE INDEX IF NOT EXISTS history_steps_plan_idx ON {s}.history_steps (plan_id, step)"
        ))
        .await?;
    Ok(())
}

impl History {
    /// Inserts the attempt's row with `status` (`started`, or `already-applied` for a finished one);
    /// `backend`: the apply connection's backend pid, by which the next apply knows whether it still runs.
    pub async fn start(
        conn: Connection,
        schema: &str,
        plan: &PlanFile,
        status: &str,
        backend: Option<i32>,
    ) -> Result<History> {
        let backend_columns = has_backend_columns(&conn, schema).await?;
        let schema = quote_ident(schema);
        let finished = if status == "started" { "NULL" } else { "clock_timestamp()" };
        let sql = if backend_columns {
            format!(
                "INSERT INTO {schema}.history (plan_id, checksum, status, tool_version, finished_at, backend_pid,
                                               backend_start)
                 VALUES ($1, $2, $3, $4, {finished}, $5,
                         (SELECT backend_start FROM pg_catalog.pg_stat_activity WHERE pid = $5)) RETURNING id"
            )
        } else {
            format!(
                "INSERT INTO {schema}.history (plan_id, checksum, status, tool_version, finished_at)
                 VALUES ($1, $2, $3, $4, {finished}) RETURNING id, $5::int"
            )
        };
        let row = conn
            .client
            .query_one(&sql, &[&plan.plan_id, &plan.checksum, &status, &env!("CARGO_PKG_VERSION"), &backend])
            .await
            .context("recording the apply in the history")?;
        Ok(History { conn, schema, plan_id: plan.plan_id.clone(), id: row.get(0) })
    }

    /// Records one step's outcome (replacing the one recorded before, such as `running`).
    pub async fn step(&mut self, segment: u32, step: &Step, outcome: StepOutcome) -> Result<()> {
        let sql = format!(
            "INSERT INTO {}.history_steps (history_id, plan_id, segment, step, object_kind, object_name, outcome)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (history_id, step) DO UPDATE SET outcome = EXCLUDED.outcome, finished_at = clock_timestamp()",
            self.schema
        );
        let (segment, number) = (segment as i32, step.number as i32);
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 7] =
            [&self.id, &self.plan_id, &segment, &number, &step.kind.word(), &step.name, &outcome.word()];
        self.conn
            .client
            .execute(&sql, &params)
            .await
            .with_context(|| format!("recording step {} in the history", step.number))?;
        Ok(())
    }

    /// Records several steps of one segment as `running`, in one statement (it runs while their
    /// transaction, and its locks, wait for the `COMMIT`).
    pub async fn steps_running(&mut self, segment: u32, steps: &[&Step]) -> Result<()> {
        let running: Vec<(&Step, StepOutcome)> = steps.iter().map(|s| (*s, StepOutcome::Running)).collect();
        self.steps(segment, &running).await
    }

    /// Records the outcomes of several steps of one segment in one statement, replacing those recorded
    /// before (a committed segment of 2,000 steps was 2,000 round trips, about a second). A step listed
    /// twice keeps its last outcome, as one statement per step would have left it.
    pub async fn steps(&mut self, segment: u32, outcomes: &[(&Step, StepOutcome)]) -> Result<()> {
        let last: std::collections::BTreeMap<u32, (&Step, StepOutcome)> =
            outcomes.iter().map(|(step, outcome)| (step.number, (*step, *outcome))).collect();
        let outcomes: Vec<(&Step, StepOutcome)> = last.into_values().collect();
        if outcomes.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO {}.history_steps (history_id, plan_id, segment, step, object_kind, object_name, outcome)
             SELECT $1, $2, $3, s.step, s.kind, s.name, s.outcome
             FROM unnest($4::int[], $5::text[], $6::text[], $7::text[]) AS s(step, kind, name, outcome)
             ON CONFLICT (history_id, step) DO UPDATE SET outcome = EXCLUDED.outcome, finished_at = clock_timestamp()",
            self.schema
        );
        let numbers: Vec<i32> = outcomes.iter().map(|(s, _)| s.number as i32).collect();
        let kinds: Vec<&str> = outcomes.iter().map(|(s, _)| s.kind.word()).collect();
        let names: Vec<&str> = outcomes.iter().map(|(s, _)| s.name.as_str()).collect();
        let words: Vec<&str> = outcomes.iter().map(|(_, o)| o.word()).collect();
        let segment = segment as i32;
        self.conn
            .client
            .execute(&sql, &[&self.id, &self.plan_id, &segment, &numbers, &kinds, &names, &words])
            .await
            .with_context(|| format!("recording segment {segment}'s steps in the history"))?;
        Ok(())
    }

    /// The connection the history is written on.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Records a committed segment.
    pub async fn segment_committed(&mut self, segment: u32) -> Result<()> {
        let sql = format!(
            "UPDATE {}.history SET committed_segments = committed_segments || $2::int WHERE id = $1",
            self.schema
        );
        self.conn
            .client
            .execute(&sql, &[&self.id, &(segment as i32)])
            .await
            .context("recording a segment")?;
        Ok(())
    }

    /// Closes the attempt's row.
    pub async fn finish(
        &mut self,
        status: &str,
        verified: Option<bool>,
        message: Option<&str>,
    ) -> Result<()> {
        let sql = format!(
            "UPDATE {}.history SET status = $2, verified = $3, message = $4, finished_at = clock_timestamp()
             WHERE id = $1",
            self.schema
        );
        self.conn
            .client
            .execute(&sql, &[&self.id, &status, &verified, &message])
            .await
            .context("recording the end of the apply in the history")?;
        Ok(())
    }
}

/// Runs and steps an earlier apply left open, for [`recover`] to settle.
pub struct Orphans {
    /// Runs closed as `interrupted` (their session is gone).
    pub runs: Vec<i64>,
    /// `(history id, step, kind, name, outcome)` of this plan's `running` or `interrupted` steps (of any
    /// closed run: a lost connection leaves them too) that no later run of the plan recorded again: what
    /// a later run did is that run's.
    pub steps: Vec<(i64, i32, String, String, String)>,
}

/// Closes, as `interrupted`, the runs still `started` whose session is gone, and lists this plan's steps
/// that were `running` or `interrupted`. `locked`: the caller holds the apply lock, so no apply is running
/// and a run that recorded no backend (made before the column existed) is closed too.
pub async fn orphans(
    conn: &Connection,
    schema: &str,
    plan: &PlanFile,
    locked: bool,
    own: i64,
) -> Result<Orphans> {
    let backend_columns = has_backend_columns(conn, schema).await?;
    let s = quote_ident(schema);
    // Without the apply lock, only a run whose session is known to be gone is closed; with it, no apply
    // runs, so every run still `started` is an orphan.
    let gone = match (backend_columns, locked) {
        (true, true) => "NOT EXISTS (SELECT FROM pg_catalog.pg_stat_activity a
                                     WHERE a.pid = h.backend_pid AND a.backend_start IS NOT DISTINCT FROM h.backend_start)",
        (true, false) => "h.backend_pid IS NOT NULL AND NOT EXISTS (SELECT FROM pg_catalog.pg_stat_activity a
                                     WHERE a.pid = h.backend_pid AND a.backend_start IS NOT DISTINCT FROM h.backend_start)",
        (false, true) => "true",
        (false, false) => "false",
    };
    let closed = conn
        .client
        .query(
            &format!(
                "UPDATE {s}.history h SET status = 'interrupted', finished_at = clock_timestamp(),
                        message = coalesce(h.message || '; ', '') || 'its session ended without recording the end \
                                  (found by a later apply)'
                 WHERE h.status = 'started' AND h.id <> $1 AND {gone}
                 RETURNING h.id"
            ),
            &[&own],
        )
        .await
        .context("closing interrupted runs in the history")?;
    let steps = conn
        .client
        .query(
            &format!(
                "SELECT st.history_id, st.step, st.object_kind, st.object_name, st.outcome
                 FROM {s}.history_steps st JOIN {s}.history h ON h.id = st.history_id
                 WHERE st.plan_id = $1 AND h.status <> 'started' AND st.outcome IN ('running', 'interrupted')
                   AND NOT EXISTS (SELECT FROM {s}.history_steps later
                                   WHERE later.plan_id = st.plan_id AND later.step = st.step
                                     AND later.history_id > st.history_id)
                 ORDER BY st.history_id, st.step"
            ),
            &[&plan.plan_id],
        )
        .await
        .context("reading interrupted steps in the history")?;
    Ok(Orphans {
        runs: closed.iter().map(|r| r.get(0)).collect(),
        steps: steps.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))).collect(),
    })
}

/// Settles the orphaned steps: one whose object is in its after state (and changed in this plan) became
/// `executed`, whoever finished it; one still `running` is `interrupted`. Returns a line per change.
pub async fn settle(
    conn: &Connection,
    schema: &str,
    plan: &PlanFile,
    orphans: &Orphans,
    live: &BTreeMap<ObjectKey, String>,
) -> Result<Vec<String>> {
    let s = quote_ident(schema);
    let mut lines = Vec::new();
    for (id, step, kind, name, outcome) in &orphans.steps {
        let entry = ObjectKind::from_word(kind)
            .and_then(|k| plan.manifest.iter().find(|e| e.key.kind == k && &e.key.name == name));
        let done = entry.is_some_and(|e| {
            e.after.is_some() && e.after != e.before && live.get(&e.key) == e.after.as_ref()
        });
        let to = match (done, outcome.as_str()) {
            (true, _) => "executed",
            (false, "running") => "interrupted",
            _ => continue,
        };
        conn.client
            .execute(
                &format!(
                    "UPDATE {s}.history_steps SET outcome = $3, finished_at = clock_timestamp()
                     WHERE history_id = $1 AND step = $2"
                ),
                &[id, step, &to],
            )
            .await
            .context("settling an interrupted step in the history")?;
        lines.push(format!("history {id}, step {step} ({kind} {name}): {outcome} -> {to}"));
    }
    Ok(lines)
}
