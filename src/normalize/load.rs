//! Loading the desired state ([`Source`]) into a scratch database, in any statement order.
//!
//! Statements run one by one with the simple query protocol, each in its own implicit transaction, so a
//! failed statement leaves nothing behind (and `CREATE INDEX CONCURRENTLY` or `ALTER TYPE ... ADD VALUE`
//! run as they would from psql). They are pipelined: many are sent before the first answer is read, which
//! keeps one round trip per statement from bounding the load time, while each answer still belongs to
//! exactly one statement.
//!
//! Any order loads: a statement that fails for want of something declared later (SQLSTATE 42P01, 42704,
//! 42883, 3F000, 42703; 42830 for a foreign key written before the key it references; 22P02 for an enum
//! value added by a later `ALTER TYPE ... ADD VALUE`) is retried after the others, in original relative
//! order, with the session settings (`SET`, `set_config`) of its own file replayed first; passes repeat
//! until one makes no progress. Session settings start from the pinned ones ([`crate::session`]) at the top
//! of every top-level file. Cleanup drops run once, in file order, and a cleanup drop of something that
//! does not exist is not an error. Event triggers load last. Stubs of external objects are made after the
//! first pass ([`super::stubs`]).
//!
//! When the passes make no progress and a pending `CREATE TABLE` failed for want of a table one of its
//! foreign keys references (tables whose inline foreign keys form a cycle), that table is loaded without its
//! foreign keys and they are added afterwards, each with `ALTER TABLE ... ADD` ([`split_foreign_keys`]);
//! then the passes go on. Errors in those pieces are reported at the original statement.
//!
//! Confined ([`load_confined`], what `plan` and `drift` use), the connection is the loader role's
//! (docs/security.md): each statement has `statement_timeout` and the load `load_timeout`, measured here
//! and enforced by cancelling the session from the admin connection; statements [`super::privileged`]
//! recognizes run on the admin connection, rendered, after everything before them has run.
//!
//! Errors are reported at the file, line and column of the token PostgreSQL names (its error position
//! counts characters from the statement's start). A missing schema-qualified object in a schema outside
//! the scope gets a help line naming the `[external]` entry that would provide it.

use super::privileged::{self, Privileged};
use crate::catalog::FiringState;
use crate::conn::Connection;
use crate::external::Stub;
use crate::scope::Scope;
use crate::source::{Diagnostic, Origin, Source, SourceError, Statement, Treatment, split_foreign_keys};
use futures_util::StreamExt;
use std::collections::{BTreeMap, VecDeque};
use std::pin::Pin;
use std::time::{Duration, Instant};
use tokio_postgres::SimpleQueryStream;
use tokio_postgres::error::{DbError, ErrorPosition};

/// What loading did.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// Statements that ran successfully.
    pub statements_run: usize,
    /// Passes over the statements (1 when everything was written in dependency order).
    pub passes: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// The firing state the files declare for each event trigger accrete created (disabled) itself: the
    /// desired catalog takes it after inspection.
    pub event_triggers: BTreeMap<String, FiringState>,
}

/// How a load is confined (docs/security.md).
pub struct Confinement<'a> {
    /// A connection to the same database as a role that may do more than the one the files run as: it
    /// cancels a statement that runs too long and, when `loader` is set, runs what [`super::privileged`]
    /// recognizes.
    pub admin: &'a Connection,
    /// The role the files run as, when it is not the admin's.
    pub loader: Option<String>,
    pub statement_timeout: Duration,
    pub load_timeout: Duration,
}

/// SQLSTATEs of "something this statement needs does not exist (yet)".
const DEPENDENCY_STATES: &[&str] = &["42P01", "42704", "42883", "3F000", "42703", "42830"];

/// Statements sent before the first answer is awaited.
const IN_FLIGHT: usize = 256;

/// Loads `source` into the database behind `conn` (a fresh scratch database), with no external objects and
/// every schema in scope. See [`load_with_external`].
pub async fn load_statements(conn: &mut Connection, source: &Source) -> Result<LoadReport, SourceError> {
    load_with_external(conn, source, &[], &Scope::default()).await
}

/// Loads `source` into the database behind `conn` (a fresh scratch database), with the `stubs` of external
/// objects made after the first pass. Applies the pinned session settings first. On failure, every error
/// found: each statement that failed for a reason of its own, a stub that cannot be made, and the first
/// statement whose missing dependency nothing in the files provides (with a help line naming an
/// `[external]` entry when what is missing lies outside `scope`).
pub async fn load_with_external(
    conn: &mut Connection,
    source: &Source,
    stubs: &[Stub],
    scope: &Scope,
) -> Result<LoadReport, SourceError> {
    load_confined(conn, source, stubs, scope, None).await
}

/// [`load_with_external`], confined: each statement within `statement_timeout` and the whole load within
/// `load_timeout` (a statement past either is cancelled and reported where it is written), and, with a
/// loader role, the statements that need more than it has run by accrete on the admin connection.
pub async fn load_confined(
    conn: &mut Connection,
    source: &Source,
    stubs: &[Stub],
    scope: &Scope,
    confinement: Option<Confinement<'_>>,
) -> Result<LoadReport, SourceError> {
    let started = Instant::now();
    let backend_pid = match &confinement {
        Some(_) => {
            let row = conn.client.query_one("SELECT pg_catalog.pg_backend_pid()", &[]).await;
            row.map_err(connection_error)?.get(0)
        }
        None => 0,
    };
    let mut loader = Loader::new(conn, source, scope);
    if let Some(c) = &confinement {
        loader.load_deadline = Some(started + c.load_timeout);
        if c.loader.is_some() {
            loader.privileged = loader.statements.iter().map(|s| privileged::recognize(&s.sql)).collect();
        }
    }
    loader.backend_pid = backend_pid;
    loader.confinement = confinement;
    let (early, late): (Vec<usize>, Vec<usize>) = (0..source.statements.len())
        .filter(|&i| source.statements[i].treatment != Treatment::IgnoredOwner)
        .partition(|&i| !source.statements[i].load_last);
    let mut passes = 0;
    let mut pending = early;
    if !pending.is_empty() {
        passes += 1;
        pending = loader.pass(&pending).await?;
    }
    super::stubs::create(loader.conn, stubs).await.map_err(SourceError)?;
    loader.current = None;
    if loader.ran > 0 || !stubs.is_empty() || loader.split_stuck(&mut pending) {
        pending = loader.passes(pending, &mut passes).await?;
    }
    // Event triggers (and what alters or comments on them) after everything else, in passes of their own.
    pending.extend(loader.passes(late, &mut passes).await?);
    loader.conn.drain_notices();
    let mut errors = std::mem::take(&mut loader.errors);
    if let Some(&first) = pending.iter().min_by_key(|&&i| (loader.written_index(i), i)) {
        let error = loader.last_error[first].clone().expect("a pending statement has failed");
        let mut diagnostic = loader.diagnostic(first, &error);
        let others: Vec<usize> = pending.iter().copied().filter(|&i| i != first).collect();
        if !others.is_empty() {
            diagnostic = diagnostic.note(loader.also_failed(&others));
        }
        errors.push((first, diagnostic));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|&(i, _)| (loader.written_index(i), i));
        return Err(SourceError(errors.into_iter().map(|(_, d)| d).collect()));
    }
    Ok(LoadReport {
        statements_run: loader.ran,
        passes,
        warnings: loader.warnings(),
        elapsed: started.elapsed(),
        event_triggers: std::mem::take(&mut loader.event_triggers),
    })
}

/// A statement's session context: its top-level file, and how many of that file's session statements come
/// before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Context {
    unit: usize,
    sessions: usize,
}

enum Job {
    /// Reset the session to the pinned settings, then replay a context's session statements.
    Reset(Context),
    Run(usize),
}

struct Loader<'a> {
    conn: &'a mut Connection,
    source: &'a Source,
    /// The source's statements, then the foreign keys split off a stuck `CREATE TABLE`.
    statements: Vec<Statement>,
    /// Per statement, the statement of the files it was split from, when accrete rendered its text.
    split_from: Vec<Option<usize>>,
    /// Per split statement, the error it failed with as written.
    before_split: BTreeMap<usize, DbError>,
    scope: &'a Scope,
    contexts: Vec<Context>,
    /// Per unit, the indexes of its session statements, in order.
    sessions: Vec<Vec<usize>>,
    /// Per statement, whether it failed (session statements that failed are not replayed).
    failed: Vec<bool>,
    last_error: Vec<Option<DbError>>,
    current: Option<Context>,
    ran: usize,
    errors: Vec<(usize, Diagnostic)>,
    cleanups_ignored: Vec<usize>,
    confinement: Option<Confinement<'a>>,
    /// The loading session's backend, to cancel a statement that runs too long.
    backend_pid: i32,
    load_deadline: Option<Instant>,
    /// When the previous answer was read: the statement whose answer is awaited started no earlier.
    last_done: Instant,
    /// Per statement, what accrete runs itself on the admin connection instead.
    privileged: Vec<Option<Privileged>>,
    /// Per statement, whether accrete ran it (rendered) on the admin connection.
    by_accrete: Vec<bool>,
    event_triggers: BTreeMap<String, FiringState>,
}

type Stream = Pin<Box<SimpleQueryStream>>;

/// Which limit a cancelled statement ran past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Statement,
    Load,
}

/// What text of a statement PostgreSQL saw: its error position points into the file only for the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    AsWritten,
    /// A `CREATE TABLE` without its foreign keys, or one of them (accrete's rendering).
    SplitApart,
    /// Accrete's rendering, run on the admin connection.
    ByAccrete,
}

/// `30s`, `10m`, `1.5s`: a duration as `[source]` takes it.
pub(crate) fn humantime(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 60_000 == 0 && ms > 0 {
        format!("{}m", ms / 60_000)
    } else if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

impl<'a> Loader<'a> {
    fn new(conn: &'a mut Connection, source: &'a Source, scope: &'a Scope) -> Self {
        let units = source.statements.iter().map(|s| s.unit + 1).max().unwrap_or(0);
        let mut sessions = vec![Vec::new(); units];
        let contexts = source
            .statements
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let context = Context { unit: s.unit, sessions: sessions[s.unit].len() };
                if s.treatment == Treatment::Session {
                    sessions[s.unit].push(i);
                }
                context
            })
            .collect();
        let n = source.statements.len();
        Loader {
            conn,
            source,
            statements: source.statements.clone(),
            split_from: vec![None; n],
            before_split: BTreeMap::new(),
            scope,
            contexts,
            sessions,
            failed: vec![false; n],
            last_error: vec![None; n],
            current: None,
            ran: 0,
            errors: Vec::new(),
            cleanups_ignored: Vec::new(),
            confinement: None,
            backend_pid: 0,
            load_deadline: None,
            last_done: Instant::now(),
            privileged: vec![None; n],
            by_accrete: vec![false; n],
            event_triggers: BTreeMap::new(),
        }
    }

    /// Runs `order` in passes until nothing is left or a pass makes no progress (counting them in
    /// `passes`); returns the statements that still fail.
    async fn passes(&mut self, order: Vec<usize>, passes: &mut usize) -> Result<Vec<usize>, SourceError> {
        let mut pending = order;
        while !pending.is_empty() {
            *passes += 1;
            let before = self.ran;
            pending = self.pass(&pending).await?;
            if self.ran == before && !self.split_stuck(&mut pending) {
                break;
            }
        }
        Ok(pending)
    }

    /// Runs `order` once, pipelined; returns the statements to retry.
    async fn pass(&mut self, order: &[usize]) -> Result<Vec<usize>, SourceError> {
        let mut retry = Vec::new();
        let mut queue: VecDeque<(Job, Stream)> = VecDeque::new();
        self.last_done = Instant::now();
        for &i in order {
            let context = self.contexts[i];
            if self.current != Some(context) {
                let sql = self.reset_sql(context);
                queue.push_back((Job::Reset(context), self.send(&sql).await?));
            }
            if let Some(p) = self.privileged[i].clone() {
                // What comes before it in the files must have run first.
                while let Some((job, stream)) = queue.pop_front() {
                    self.finish(job, stream, &mut retry).await?;
                }
                self.current = Some(context);
                self.run_privileged(i, &p, &mut retry).await?;
                continue;
            }
            self.current = Some(match self.statements[i].treatment {
                Treatment::Session => Context { sessions: context.sessions + 1, ..context },
                _ => context,
            });
            let stream = self.send(&self.statements[i].sql).await?;
            queue.push_back((Job::Run(i), stream));
            if queue.len() >= IN_FLIGHT {
                let (job, stream) = queue.pop_front().expect("queue is full");
                self.finish(job, stream, &mut retry).await?;
            }
        }
        while let Some((job, stream)) = queue.pop_front() {
            self.finish(job, stream, &mut retry).await?;
        }
        self.conn.drain_notices();
        Ok(retry)
    }

    /// Where statement `i` stands in the files: a split piece where its statement does.
    fn written_index(&self, i: usize) -> usize {
        self.split_from[i].unwrap_or(i)
    }

    /// Splits the foreign keys off each pending `CREATE TABLE` that failed for want of a table they
    /// reference: the table stays where it was in `pending`, its foreign keys go last. Whether any was split.
    fn split_stuck(&mut self, pending: &mut Vec<usize>) -> bool {
        let mut added = Vec::new();
        for &i in pending.iter() {
            let Some(split) = self.foreign_key_split(i) else { continue };
            let statement = self.statements[i].clone();
            self.statements[i].sql = split.create;
            self.split_from[i] = Some(i);
            if let Some(error) = self.last_error[i].clone() {
                self.before_split.insert(i, error);
            }
            for sql in split.foreign_keys {
                added.push(self.statements.len());
                self.statements.push(Statement { sql, ..statement.clone() });
                self.contexts.push(self.contexts[i]);
                self.split_from.push(Some(i));
                self.failed.push(false);
                self.last_error.push(None);
                self.privileged.push(None);
                self.by_accrete.push(false);
            }
        }
        pending.extend(&added);
        !added.is_empty()
    }

    /// Statement `i` taken apart, when it is a `CREATE TABLE` written in the files that failed because a
    /// table one of its foreign keys references does not exist (42P01) or has no matching key yet (42830).
    fn foreign_key_split(&self, i: usize) -> Option<crate::source::ForeignKeySplit> {
        let statement = &self.statements[i];
        if self.split_from[i].is_some() || statement.treatment != Treatment::Declare {
            return None;
        }
        let error = self.last_error[i].as_ref()?;
        if !matches!(error.code().code(), "42P01" | "42830") {
            return None;
        }
        let missing = error.message().split('"').nth(1)?;
        let split = split_foreign_keys(&statement.sql)?;
        split.referenced.iter().any(|table| names_relation(table, missing)).then_some(split)
    }

    async fn send(&self, sql: &str) -> Result<Stream, SourceError> {
        let stream = self.conn.client.simple_query_raw(sql).await.map_err(connection_error)?;
        Ok(Box::pin(stream))
    }

    /// Reads one job's answer and records what it means.
    async fn finish(
        &mut self,
        job: Job,
        mut stream: Stream,
        retry: &mut Vec<usize>,
    ) -> Result<(), SourceError> {
        let mut outcome = Ok(());
        let mut expired = None;
        loop {
            let next = match (self.deadline(), expired) {
                (Some((deadline, which)), None) => {
                    match tokio::time::timeout_at(deadline.into(), stream.next()).await {
                        Ok(next) => next,
                        Err(_) => {
                            expired = Some(which);
                            self.cancel().await?;
                            continue;
                        }
                    }
                }
                _ => stream.next().await,
            };
            match next {
                Some(Err(e)) => {
                    outcome = Err(e);
                    break;
                }
                Some(Ok(_)) => {}
                None => break,
            }
        }
        self.last_done = Instant::now();
        if let Some(which) = expired {
            return Err(SourceError(vec![self.timed_out(&job, which)]));
        }
        let error = match outcome {
            Ok(()) => {
                if let Job::Run(i) = job {
                    self.ran += 1;
                    self.failed[i] = false;
                }
                return Ok(());
            }
            Err(e) => match e.as_db_error() {
                Some(db) => db.clone(),
                None => return Err(connection_error(e)),
            },
        };
        let i = match job {
            Job::Run(i) => i,
            Job::Reset(context) => {
                let message = format!("resetting the scratch session failed: {}", error.message());
                let mut d = Diagnostic::error("scratch-session", message);
                if let Some(&first) = self.sessions[context.unit].first() {
                    d = d.at(&self.source.root, self.statements[first].origin.clone());
                }
                return Err(SourceError(vec![d]));
            }
        };
        self.failed_with(i, error, retry);
        Ok(())
    }

    /// The deadline of the statement whose answer is awaited, and which limit sets it.
    fn deadline(&self) -> Option<(Instant, Limit)> {
        let c = self.confinement.as_ref()?;
        let statement = self.last_done + c.statement_timeout;
        match self.load_deadline {
            Some(load) if load < statement => Some((load, Limit::Load)),
            _ => Some((statement, Limit::Statement)),
        }
    }

    /// Cancels what the loading session runs (from the admin connection).
    async fn cancel(&self) -> Result<(), SourceError> {
        let Some(c) = &self.confinement else { return Ok(()) };
        c.admin
            .client
            .execute("SELECT pg_catalog.pg_cancel_backend($1)", &[&self.backend_pid])
            .await
            .map_err(connection_error)?;
        Ok(())
    }

    fn timed_out(&self, job: &Job, limit: Limit) -> Diagnostic {
        let c = self.confinement.as_ref().expect("only a confined load has a deadline");
        let (code, setting, after) = match limit {
            Limit::Statement => ("statement-timeout", "statement_timeout", c.statement_timeout),
            Limit::Load => ("load-timeout", "load_timeout", c.load_timeout),
        };
        let help = format!(
            "a schema file declares objects, and nothing in it should run this long (pg_sleep, a loop); if it \
             must, raise `{setting}` in the [source] table of accrete.toml"
        );
        let after = humantime(after);
        match job {
            Job::Run(i) => {
                let s = &self.statements[*i];
                let message = format!("`{}` was cancelled: it ran past the {setting} of {after}", s.summary);
                Diagnostic::error(code, message).at(&self.source.root, s.origin.clone()).help(help)
            }
            Job::Reset(context) => {
                let message = format!("the file's session settings ran past the {setting} of {after}");
                let mut d = Diagnostic::error(code, message).help(help);
                if let Some(&first) = self.sessions[context.unit].first() {
                    d = d.at(&self.source.root, self.statements[first].origin.clone());
                }
                d
            }
        }
    }

    /// Runs statement `i`, which the loader role may not, as accrete renders it, on the admin connection,
    /// with the loading session's `search_path`.
    async fn run_privileged(
        &mut self,
        i: usize,
        p: &Privileged,
        retry: &mut Vec<usize>,
    ) -> Result<(), SourceError> {
        let c = self.confinement.as_ref().expect("privileged statements are recognized in a confined load");
        let loader = c.loader.clone().unwrap_or_default();
        let admin = c.admin;
        let path: String = self
            .conn
            .client
            .query_one("SELECT pg_catalog.current_setting('search_path')", &[])
            .await
            .map_err(connection_error)?
            .get(0);
        admin
            .client
            .execute("SELECT pg_catalog.set_config('search_path', $1, false)", &[&path])
            .await
            .map_err(connection_error)?;
        self.by_accrete[i] = true;
        let outcome = match p {
            Privileged::CreateInternalAggregate { sql } | Privileged::CreateLeakproofFunction { sql } => {
                // One statement, never more: the extended protocol refuses a second one. Function bodies are
                // not checked, so nothing of a leakproof function runs while the superuser makes it.
                let mut outcome =
                    admin.client.batch_execute("BEGIN; SET LOCAL check_function_bodies = off").await;
                if outcome.is_ok() {
                    outcome = admin.client.execute(sql.as_str(), &[]).await.map(|_| ());
                }
                if outcome.is_ok() {
                    outcome = admin.client.batch_execute(&p.script(&loader)).await;
                }
                let end = if outcome.is_ok() { "COMMIT" } else { "ROLLBACK" };
                outcome.and(admin.client.batch_execute(end).await)
            }
            _ => admin.client.batch_execute(&p.script(&loader)).await,
        };
        match outcome {
            Ok(()) => {
                self.ran += 1;
                self.failed[i] = false;
                match p {
                    Privileged::CreateEventTrigger { name, .. } => {
                        self.event_triggers.insert(name.clone(), FiringState::Enabled);
                    }
                    Privileged::AlterEventTrigger { name, state } => {
                        self.event_triggers.insert(name.clone(), *state);
                    }
                    _ => {}
                }
            }
            Err(e) => match e.as_db_error() {
                Some(db) => self.failed_with(i, db.clone(), retry),
                None => return Err(connection_error(e)),
            },
        }
        self.last_done = Instant::now();
        Ok(())
    }

    /// Records that statement `i` failed with `error`: retried later, ignored (a cleanup drop of nothing)
    /// or reported.
    fn failed_with(&mut self, i: usize, error: DbError, retry: &mut Vec<usize>) {
        self.failed[i] = true;
        let statement = &self.statements[i];
        let dependency = is_dependency_error(&error);
        match statement.treatment {
            Treatment::CleanupDrop if dependency => self.cleanups_ignored.push(i),
            Treatment::Declare | Treatment::RunForEffect if dependency => {
                self.last_error[i] = Some(error);
                retry.push(i);
            }
            _ => {
                let diagnostic = self.diagnostic(i, &error);
                self.errors.push((i, diagnostic));
            }
        }
    }

    /// `RESET ALL`, the pinned settings, then the context's session statements that did not fail.
    fn reset_sql(&self, context: Context) -> String {
        let mut sql = String::from("RESET ALL;\nSET synchronous_commit = off;\n");
        sql.push_str(&crate::session::set_batch());
        // Schema files are written for psql, whose default search_path puts unqualified names in public
        // (`[source] search_path` says otherwise). Inspection runs with the pinned empty search_path, so what
        // is read back is qualified either way.
        let path: Vec<String> =
            self.source.search_path.iter().map(|s| crate::catalog::quote_ident(s)).collect();
        sql.push_str(&format!("SET search_path = {};\n", path.join(", ")));
        for &j in &self.sessions[context.unit][..context.sessions] {
            if !self.failed[j] {
                sql.push_str(&self.statements[j].sql);
                sql.push_str(";\n");
            }
        }
        sql
    }

    /// The error of statement `i`. A piece split off a statement that fails as the statement did before the
    /// split is reported as then (at the token PostgreSQL named); otherwise at the statement's start, with
    /// the piece's text.
    fn diagnostic(&self, i: usize, error: &DbError) -> Diagnostic {
        if self.by_accrete[i] {
            // What ran is accrete's rendering: PostgreSQL's position is in that text, not in the file's.
            let d = self.describe(&self.statements[i], error, Text::ByAccrete);
            return d.note(
                "accrete ran it itself, with more privileges than the schema files have, as rendered from its \
                 parts (docs/security.md)",
            );
        }
        let Some(parent) = self.split_from[i] else {
            return self.describe(&self.statements[i], error, Text::AsWritten);
        };
        match self.before_split.get(&parent) {
            Some(first) if first.code() == error.code() && first.message() == error.message() => {
                self.describe(&self.source.statements[parent], first, Text::AsWritten)
            }
            _ => self.describe(&self.statements[i], error, Text::SplitApart),
        }
    }

    fn describe(&self, statement: &Statement, error: &DbError, text: Text) -> Diagnostic {
        let origin = match error.position() {
            Some(ErrorPosition::Original(position)) if text == Text::AsWritten => {
                position_origin(statement, *position)
            }
            _ => statement.origin.clone(),
        };
        let message = format!("{} (SQLSTATE {})", error.message(), error.code().code());
        let mut d = Diagnostic::error("postgres-error", message).at(&self.source.root, origin.clone());
        if origin != statement.origin {
            let shown = self.source.root.join(&statement.origin.file);
            let o = &statement.origin;
            d = d.note(format!("in: `{}` at {}:{}:{}", statement.summary, shown.display(), o.line, o.col));
        } else {
            d = d.note(format!("in: `{}`", statement.summary));
        }
        if text == Text::SplitApart {
            d = d.note(format!("as loaded with its foreign keys apart: `{}`", statement.sql));
        }
        if let Some(detail) = error.detail() {
            d = d.note(format!("detail: {detail}"));
        }
        if let Some(hint) = error.hint() {
            d = d.note(format!("hint: {hint}"));
        }
        match external_advice(error, &statement.sql, self.scope).or_else(|| advice(error).map(String::from)) {
            Some(help) => d.help(help),
            None => d,
        }
    }

    /// A note listing other statements left unloaded (the first few), often because of the reported one.
    fn also_failed(&self, others: &[usize]) -> String {
        const SHOWN: usize = 5;
        let listed: Vec<String> = others
            .iter()
            .take(SHOWN)
            .map(|&i| {
                let s = &self.statements[i];
                let path = self.source.root.join(&s.origin.file);
                format!("{}:{}:{} (`{}`)", path.display(), s.origin.line, s.origin.col, s.summary)
            })
            .collect();
        let more =
            if others.len() > SHOWN { format!(", and {} more", others.len() - SHOWN) } else { String::new() };
        format!("note: {} more statement(s) could not load either: {}{more}", others.len(), listed.join(", "))
    }

    fn warnings(&self) -> Vec<Diagnostic> {
        let Some(&first) = self.cleanups_ignored.first() else { return Vec::new() };
        let statement = &self.statements[first];
        let n = self.cleanups_ignored.len();
        let message = format!(
            "{n} cleanup statement(s) found nothing to drop in the scratch database (first: `{}`)",
            statement.summary
        );
        vec![
            Diagnostic::warning("cleanup-drop-ignored", message)
                .at(&self.source.root, statement.origin.clone()),
        ]
    }
}

pub(super) fn is_dependency_error(error: &DbError) -> bool {
    let code = error.code().code();
    (DEPENDENCY_STATES.contains(&code) && !is_role_error(error)) || is_missing_enum_value(error)
}

/// A default or check using an enum value that an `ALTER TYPE ... ADD VALUE` later in the files adds.
fn is_missing_enum_value(error: &DbError) -> bool {
    error.code().code() == "22P02" && error.message().starts_with("invalid input value for enum")
}

fn is_role_error(error: &DbError) -> bool {
    error.code().code() == "42704" && error.message().starts_with("role \"")
}

/// What to do about some errors that have one usual cause.
fn advice(error: &DbError) -> Option<&'static str> {
    if is_role_error(error) {
        return Some(
            "accrete does not manage roles: create the role on the target; accrete creates the target's roles \
             in its own scratch cluster, never on a --dev-url server (create it there too)",
        );
    }
    match error.code().code() {
        "42501" if error.message().starts_with("permission denied for language") => Some(
            "accrete loads schema files as a role that is not a superuser (docs/security.md), and a function in an \
             untrusted language (C, plpython3u, plperlu, ...) could run anything on this machine: list it in \
             accrete.toml as [external] objects = [\"function:SCHEMA.NAME\"] and accrete makes a stub of it from \
             the target's definition",
        ),
        "42501" => Some(
            "accrete loads schema files as a role that owns the scratch database and is not a superuser \
             (docs/security.md): a statement that needs more (a file, a program, a connection, a role) does not \
             belong in a schema file",
        ),
        "3F000" if error.message().contains("no schema has been selected") => Some(
            "accrete loads schema files with search_path = public unless `[source] search_path` in \
             accrete.toml names other schemas, which the files must create; qualify the name (app.users), \
             put `SET search_path = app;` at the top of the file, or set `[source] search_path`",
        ),
        "0A000" if error.message().contains("is not available") => {
            Some("install the extension's package on the server that holds the scratch database")
        }
        code if DEPENDENCY_STATES.contains(&code) => {
            Some("nothing in the schema files creates it: declare it, or check its name")
        }
        _ => None,
    }
}

/// For a missing relation, type, function or schema named with a schema outside `scope`: the `[external]`
/// entry that would make a stub of it from the target (for a missing schema in scope that the statement
/// makes its object in: declaring it, or the `schema:` entry). The kind is a guess from the error (a
/// relation may be a view, a type an enum); a missing schema's object is the first `schema.name` in the
/// statement.
fn external_advice(error: &DbError, sql: &str, scope: &Scope) -> Option<String> {
    let message = error.message();
    let quoted = |prefix: &str| message.strip_prefix(prefix)?.split('"').next().map(str::to_string);
    let (kind, name) = match error.code().code() {
        "42P01" => ("table", quoted("relation \"")?),
        "42704" if !is_role_error(error) => {
            let name = quoted("type \"").or_else(|| quoted("type "))?;
            let name = name.split(' ').next().unwrap_or(&name).trim_end_matches("[]").to_string();
            ("type", name)
        }
        "42883" => ("function", message.strip_prefix("function ")?.split('(').next()?.to_string()),
        "3F000" => {
            let schema = quoted("schema \"")?;
            if scope.includes_schema(&schema) {
                // Only a statement that makes its object in the schema wants the schema itself.
                if first_qualifier(sql)? != schema.to_ascii_lowercase() {
                    return None;
                }
                return Some(format!(
                    "declare it in the schema files (CREATE SCHEMA {schema}), or, if someone else creates it on \
                     the target, list it in accrete.toml as [external] objects = [\"schema:{schema}\"]"
                ));
            }
            ("table", qualified_in(sql, &schema).unwrap_or_else(|| format!("{schema}.NAME")))
        }
        _ => return None,
    };
    let (schema, _) = name.split_once('.')?;
    if scope.includes_schema(schema) {
        return None;
    }
    Some(format!(
        "{name} is outside the scope: if it exists on the target, list it in accrete.toml as \
         [external] objects = [\"{kind}:{name}\"] (or view:, function:, enum:, type:), and accrete makes a stub \
         of it from the target's definition"
    ))
}

/// The schema of the first `schema.name` in `sql` (unquoted names, folded to lower case): for a `CREATE`,
/// where its object goes.
fn first_qualifier(sql: &str) -> Option<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut from = 0;
    while let Some(found) = sql[from..].find('.') {
        let dot = from + found;
        let start =
            sql[..dot].char_indices().rev().find(|&(_, c)| !is_ident(c)).map_or(0, |(i, c)| i + c.len_utf8());
        let word = &sql[start..dot];
        // `s1.t` qualifies; `1.5` is a number.
        if !word.is_empty()
            && !word.starts_with(|c: char| c.is_ascii_digit())
            && sql[dot + 1..].starts_with(is_ident)
        {
            return Some(word.to_ascii_lowercase());
        }
        from = dot + 1;
    }
    None
}

/// The first `schema.name` in `sql` (case-insensitive, unquoted names).
fn qualified_in(sql: &str, schema: &str) -> Option<String> {
    let lower = sql.to_ascii_lowercase();
    let needle = format!("{}.", schema.to_ascii_lowercase());
    let mut from = 0;
    while let Some(found) = lower[from..].find(&needle) {
        let start = from + found;
        let boundary = lower[..start].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = &sql[start + needle.len()..];
        let name: String =
            rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
        if boundary && !name.is_empty() {
            return Some(format!("{schema}.{}", name.to_ascii_lowercase()));
        }
        from = start + needle.len();
    }
    None
}

/// Whether `table` (as written in a foreign key) is the relation PostgreSQL names `missing` in an error
/// (`name` or `schema.name`, unquoted names folded to lower case).
fn names_relation(table: &sqlparser::ast::ObjectName, missing: &str) -> bool {
    let parts: Vec<String> = table
        .0
        .iter()
        .filter_map(|part| part.as_ident())
        .map(
            |ident| {
                if ident.quote_style.is_some() { ident.value.clone() } else { ident.value.to_lowercase() }
            },
        )
        .collect();
    parts.len() == table.0.len()
        && (parts.join(".") == missing || parts.last().is_some_and(|name| name == missing))
}

/// The file position of character `position` (1-based, PostgreSQL's error position) of the statement.
fn position_origin(statement: &Statement, position: u32) -> Origin {
    let mut origin = statement.origin.clone();
    for ch in statement.sql.chars().take(position.saturating_sub(1) as usize) {
        if ch == '\n' {
            origin.line += 1;
            origin.col = 1;
        } else {
            origin.col += 1;
        }
    }
    origin
}

fn connection_error(e: tokio_postgres::Error) -> SourceError {
    SourceError(vec![Diagnostic::error("scratch-connection", format!("scratch database: {e}"))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_schema_names_the_first_object_in_it() {
        let sql = "CREATE TABLE app.p (user_id uuid REFERENCES Auth.Users (id), x my_auth.t)";
        assert_eq!(qualified_in(sql, "auth").as_deref(), Some("auth.users"));
        assert_eq!(qualified_in("SELECT my_auth.f()", "auth"), None);
    }

    #[test]
    fn the_first_qualifier_is_where_a_create_puts_its_object() {
        assert_eq!(first_qualifier("CREATE TABLE S1.t (a int)").as_deref(), Some("s1"));
        assert_eq!(
            first_qualifier("CREATE TABLE t (a numeric DEFAULT 1.5, b int REFERENCES x.y)").as_deref(),
            Some("x")
        );
        assert_eq!(first_qualifier("CREATE TABLE café.t ()").as_deref(), None, "unquoted ASCII names only");
        assert_eq!(first_qualifier("CREATE TABLE t (a int DEFAULT 2.)"), None);
    }

    #[test]
    fn positions_count_characters_across_lines() {
        let statement = Statement {
            sql: "CREATE VIEW v AS\n  SELECT 'ü', nope".into(),
            origin: Origin::new("v.sql", 3, 5),
            treatment: Treatment::Declare,
            summary: "CREATE VIEW v".into(),
            load_last: false,
            unit: 0,
        };
        // "nope" is character 32: 17 characters on the first line (with its newline), then 14 before it.
        assert_eq!(position_origin(&statement, 32), Origin::new("v.sql", 4, 15));
        assert_eq!(position_origin(&statement, 1), Origin::new("v.sql", 3, 5));
    }
}
