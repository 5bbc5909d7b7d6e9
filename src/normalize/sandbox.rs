//! The scratch database and the role the schema files run as (docs/security.md).
//!
//! On a server where accrete connects as a superuser (its own scratch cluster; a `--dev-url` whose role is
//! one), every run makes a database `accrete_scratch_<suffix>` and a role `accrete_loader_<suffix>` that owns
//! it: `LOGIN`, not a superuser, no `CREATEDB`, `CREATEROLE`, `REPLICATION` or `BYPASSRLS`, a member of none
//! of `pg_read_server_files`, `pg_write_server_files`, `pg_execute_server_program`, but a member of each
//! powerless `NOLOGIN` role the files mention (so that `CREATE SCHEMA ... AUTHORIZATION r` and `ALTER DEFAULT
//! PRIVILEGES FOR ROLE r` load). The files run on a connection logged in as that role, so no `RESET ROLE`
//! or `SET SESSION AUTHORIZATION` in them can get back to the superuser. Over accrete's own cluster's
//! socket the login needs no password (trust); on a `--dev-url` server the role gets a random password that
//! only this run knows.
//!
//! On a `--dev-url` server whose role is not a superuser, the files run as that role, which must have
//! neither `CREATEROLE` nor a membership in the server-file roles above (accrete refuses to load otherwise).
//!
//! Names are unique beyond the pid: `<pid>_<process start time>_<random>`. Each database carries a comment
//! naming its host, pid and process start time; a database (and role) left by a process that is gone (a
//! killed `plan`) is dropped by the next run on the same host. `SIGINT` and `SIGTERM` during a run drop the
//! live ones before accrete exits (130, 143).

use crate::catalog::{quote_ident, quote_literal};
use crate::conn::{ConnParams, Connection, connect};
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

const DATABASE_PREFIX: &str = "accrete_scratch_";
const ROLE_PREFIX: &str = "accrete_loader_";
const COMMENT_PREFIX: &str = "accrete scratch database:";
const APPLICATION_NAME: &str = "accrete/normalize";

/// One run's scratch database and loader role.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The server's admin parameters (its maintenance database).
    pub admin: ConnParams,
    pub database: String,
    /// The role the files run as, when accrete made one; `None`: they run as the admin role.
    pub loader: Option<String>,
    /// Where the files run: the scratch database, as the loader role.
    pub loader_params: ConnParams,
}

impl Sandbox {
    /// The admin role's parameters for the scratch database.
    pub fn admin_params(&self) -> ConnParams {
        self.admin.with_dbname(&self.database)
    }

    /// Connects as the loader role, saying what to do when the server refuses the login.
    pub async fn connect_loader(&self) -> Result<Connection> {
        connect(&self.loader_params, APPLICATION_NAME).await.with_context(|| match &self.loader {
            Some(role) => format!(
                "logging in as {role}, the role schema files load as (not a superuser, see docs/security.md), on \
                 {}: let it log in with a password (or trust) in pg_hba.conf, or give --dev-url a role that is \
                 not a superuser",
                self.admin.host_port()
            ),
            None => "connecting to the scratch database".to_string(),
        })
    }

    /// Drops the database and the role; the sandbox leaves the registry of live ones. After a signal, waits
    /// for the handler, which drops them and exits (a load that failed because the handler ended its
    /// session must not exit first, with another code).
    pub async fn close(self) {
        if INTERRUPTED.load(Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        unregister(&self.database);
        drop_all(&self.admin, &self.database, self.loader.as_deref()).await;
    }
}

/// Makes a scratch database for a proof's copy of a target's schema: named, commented, registered and
/// cleaned up like a sandbox, but with no loader role (the copy holds what the target already runs, and the
/// plan's steps run there as the admin role, as they will on the target). Close it with [`Sandbox::close`].
pub async fn open_copy(
    admin: &ConnParams,
    own_cluster: bool,
    encoding: &str,
    lc_collate: &str,
    lc_ctype: &str,
) -> Result<Sandbox> {
    open_as(admin, own_cluster, encoding, lc_collate, lc_ctype, &BTreeSet::new(), false).await
}

/// Makes a sandbox on the server behind `admin` (after dropping stale ones of this host). `own_cluster`:
/// accrete's scratch cluster (trust login over its socket). `words`: the identifiers of the schema files,
/// for the memberships of the loader role.
pub(super) async fn open(
    admin: &ConnParams,
    own_cluster: bool,
    encoding: &str,
    lc_collate: &str,
    lc_ctype: &str,
    words: &BTreeSet<String>,
) -> Result<Sandbox> {
    open_as(admin, own_cluster, encoding, lc_collate, lc_ctype, words, true).await
}

/// [`open`], with a loader role only when `confine` and the admin role is a superuser.
async fn open_as(
    admin: &ConnParams,
    own_cluster: bool,
    encoding: &str,
    lc_collate: &str,
    lc_ctype: &str,
    words: &BTreeSet<String>,
    confine: bool,
) -> Result<Sandbox> {
    install_signal_handler();
    let conn = connect(admin, APPLICATION_NAME).await?;
    let row = conn
        .client
        .query_one(
            "SELECT r.rolsuper, r.rolcreaterole, \
               pg_catalog.pg_has_role(r.oid, 'pg_read_server_files', 'USAGE') \
               OR pg_catalog.pg_has_role(r.oid, 'pg_write_server_files', 'USAGE') \
               OR pg_catalog.pg_has_role(r.oid, 'pg_execute_server_program', 'USAGE'), r.rolname::text, \
               pg_catalog.current_setting('server_version_num')::int / 10000 \
             FROM pg_catalog.pg_roles r WHERE r.rolname = current_user",
            &[],
        )
        .await
        .context("reading the role accrete normalizes as")?;
    let (superuser, createrole, server_files, role, major): (bool, bool, bool, String, i32) =
        (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
    if confine && !superuser && (createrole || server_files) {
        bail!(
            "the --dev-url role {role} is not a superuser but has CREATEROLE or a pg_*_server_* role, so schema \
             files loaded as it could reach the server's machine; give --dev-url a superuser (accrete then loads \
             the files as a role of its own) or a role without them (see docs/security.md)"
        );
    }
    clean_stale(&conn.client, own_cluster).await;
    let suffix = suffix();
    let database = format!("{DATABASE_PREFIX}{suffix}");
    let loader = (confine && superuser).then(|| format!("{ROLE_PREFIX}{suffix}"));
    register(admin, &database, loader.as_deref());
    let made = async {
        crate::pg::create_database(admin, &database, encoding, lc_collate, lc_ctype)
            .await
            .with_context(|| format!("creating the scratch database on {}", admin.host_port()))?;
        let comment = format!(
            "{COMMENT_PREFIX} host={} pid={} start={}",
            host_name(),
            std::process::id(),
            process_start(std::process::id()).unwrap_or(0)
        );
        let db = quote_ident(&database);
        let mut sql = format!("COMMENT ON DATABASE {db} IS {};\n", quote_literal(&comment));
        let mut params = admin.with_dbname(&database);
        if let Some(role) = &loader {
            let password = if own_cluster { None } else { Some(random_hex(16)?) };
            let login = match &password {
                Some(p) => format!("LOGIN PASSWORD {}", quote_literal(p)),
                None => "LOGIN".to_string(),
            };
            let r = quote_ident(role);
            sql.push_str(&format!(
                "CREATE ROLE {r} {login} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;\n\
                 ALTER DATABASE {db} OWNER TO {r};\n\
                 REVOKE ALL ON DATABASE {db} FROM PUBLIC;\n"
            ));
            for member in powerless_mentioned(&conn.client, words).await? {
                sql.push_str(&format!("GRANT {} TO {r};\n", quote_ident(&member)));
            }
            params.user = role.clone();
            params.password = password.map(crate::conn::Secret::new);
            params.passfile = None;
        }
        conn.client.batch_execute(&sql).await.context("preparing the scratch database")?;
        if let Some(role) = loader.as_ref().filter(|_| major < 15) {
            // Before PostgreSQL 15 the public schema belongs to the bootstrap superuser.
            let scratch = connect(&admin.with_dbname(&database), APPLICATION_NAME).await?;
            let sql = format!("ALTER SCHEMA public OWNER TO {}", quote_ident(role));
            scratch.client.batch_execute(&sql).await.context("giving the public schema to the loader role")?;
        }
        anyhow::Ok(params)
    }
    .await;
    match made {
        Ok(loader_params) => Ok(Sandbox { admin: admin.clone(), database, loader, loader_params }),
        Err(e) => {
            unregister(&database);
            drop_all(admin, &database, loader.as_deref()).await;
            Err(e)
        }
    }
}

/// The roles the files mention (among `words`) that hold nothing: `NOLOGIN` (so that acting as one, the
/// files cannot change a password someone logs in with), not a superuser, no role attributes, a member of
/// no role, not a predefined or accrete role. The loader role may act as them.
async fn powerless_mentioned(
    client: &tokio_postgres::Client,
    words: &BTreeSet<String>,
) -> Result<Vec<String>> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let rows = client
        .query(
            "SELECT r.rolname::text FROM pg_catalog.pg_roles r \
             WHERE r.rolname = ANY ($1::text[]) AND NOT r.rolcanlogin AND NOT r.rolsuper AND NOT r.rolcreaterole AND NOT r.rolcreatedb \
               AND NOT r.rolreplication AND NOT r.rolbypassrls AND r.rolname NOT LIKE 'pg\\_%' \
               AND r.rolname NOT LIKE 'accrete\\_%' \
               AND NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.member = r.oid) \
             ORDER BY 1",
            &[&words],
        )
        .await
        .context("reading the roles the schema files mention")?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// `<pid>_<process start time>_<random>`.
fn suffix() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let pid = std::process::id();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random = random_hex(4).unwrap_or_else(|_| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        format!("{:08x}", nanos.subsec_nanos() ^ n.wrapping_mul(0x9e37_79b9))
    });
    format!("{pid}_{}_{random}", process_start(pid).unwrap_or(0))
}

fn random_hex(bytes: usize) -> Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .context("reading /dev/urandom")?;
    Ok(hex::encode(buf))
}

/// The start time of process `pid` (clock ticks after boot, `/proc/<pid>/stat`), where there is a `/proc`.
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    fields.get(19)?.parse().ok()
}

/// Whether the process that made a sandbox is still there: its pid runs, and (with `/proc`) started when
/// it said.
fn process_alive(pid: u32, start: u64) -> bool {
    if std::path::Path::new("/proc/self/stat").exists() {
        return process_start(pid).is_some_and(|s| start == 0 || s == start);
    }
    crate::pg::pid_alive(pid)
}

fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The pid and start time in a scratch database's comment, when it was made on this host.
fn owner_here(comment: &str, host: &str) -> Option<(u32, u64)> {
    let rest = comment.strip_prefix(COMMENT_PREFIX)?;
    let mut fields = rest.split_whitespace().filter_map(|f| f.split_once('='));
    let (mut h, mut pid, mut start) = (None, None, None);
    for (key, value) in fields.by_ref() {
        match key {
            "host" => h = Some(value),
            "pid" => pid = value.parse().ok(),
            "start" => start = value.parse().ok(),
            _ => {}
        }
    }
    (h? == host).then_some((pid?, start?))
}

/// Drops the scratch databases of this host whose process is gone, and loader roles left without their
/// database. On accrete's own cluster, a database named by an older accrete (`accrete_scratch_<pid>_<n>`,
/// no comment) whose pid is gone goes too. Failures are logged, never fatal.
async fn clean_stale(client: &tokio_postgres::Client, own_cluster: bool) {
    let host = host_name();
    // Roles first: a role is made after its database, so every role listed here whose run is alive has its
    // database in the listing that follows.
    let roles = client
        .query("SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname LIKE 'accrete\\_loader\\_%'", &[])
        .await;
    let databases = client
        .query(
            "SELECT d.datname::text, pg_catalog.shobj_description(d.oid, 'pg_database') \
             FROM pg_catalog.pg_database d WHERE d.datname LIKE 'accrete\\_scratch\\_%'",
            &[],
        )
        .await;
    let (roles, databases) = match (roles, databases) {
        (Ok(roles), Ok(databases)) => (roles, databases),
        (Err(e), _) | (_, Err(e)) => return tracing::debug!("listing scratch databases: {e}"),
    };
    let mut kept = BTreeSet::new();
    for row in databases {
        let (name, comment): (String, Option<String>) = (row.get(0), row.get(1));
        let stale = match comment.as_deref().and_then(|c| owner_here(c, &host)) {
            Some((pid, start)) => !process_alive(pid, start),
            None if own_cluster && comment.is_none() => {
                old_name_pid(&name).is_some_and(|p| !crate::pg::pid_alive(p))
            }
            None => false,
        };
        if !stale {
            kept.insert(name);
            continue;
        }
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&name));
        match client.batch_execute(&sql).await {
            Ok(()) => tracing::info!("dropped stale scratch database {name}"),
            Err(e) => {
                tracing::warn!("could not drop stale scratch database {name}: {e}");
                kept.insert(name);
            }
        }
    }
    for row in roles {
        let role: String = row.get(0);
        let suffix = &role[ROLE_PREFIX.len()..];
        if kept.contains(&format!("{DATABASE_PREFIX}{suffix}")) {
            continue;
        }
        if let Err(e) = client.batch_execute(&format!("DROP ROLE IF EXISTS {}", quote_ident(&role))).await {
            tracing::debug!("could not drop stale loader role {role}: {e}");
        }
    }
}

/// The pid in an older accrete's scratch database name, `accrete_scratch_<pid>_<n>`.
fn old_name_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(DATABASE_PREFIX)?;
    let (pid, n) = rest.split_once('_')?;
    n.parse::<u32>().ok()?;
    pid.parse().ok()
}

async fn drop_all(admin: &ConnParams, database: &str, role: Option<&str>) {
    if let Err(e) = crate::pg::drop_database(admin, database).await {
        tracing::warn!("could not drop scratch database {database}: {e:#}");
    }
    if let Some(role) = role {
        let dropped = async {
            let conn = connect(admin, APPLICATION_NAME).await?;
            conn.client.batch_execute(&format!("DROP ROLE IF EXISTS {}", quote_ident(role))).await?;
            anyhow::Ok(())
        };
        if let Err(e) = dropped.await {
            tracing::warn!("could not drop the loader role {role}: {e:#}");
        }
    }
}

/// Set when `SIGINT` or `SIGTERM` arrived.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sandboxes alive in this process, for the signal handler.
static LIVE: Mutex<Vec<(ConnParams, String, Option<String>)>> = Mutex::new(Vec::new());

fn register(admin: &ConnParams, database: &str, role: Option<&str>) {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    live.push((admin.clone(), database.to_string(), role.map(str::to_string)));
}

fn unregister(database: &str) {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    live.retain(|(_, d, _)| d != database);
}

/// On `SIGINT` or `SIGTERM`: drops every live sandbox, then exits 130 or 143. Installed once.
fn install_signal_handler() {
    use tokio::signal::unix::{SignalKind, signal};
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let (Ok(mut interrupt), Ok(mut terminate)) =
            (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
        else {
            return tracing::warn!("cannot handle SIGINT/SIGTERM: a scratch database may be left behind");
        };
        tokio::spawn(async move {
            let code = tokio::select! {
                _ = interrupt.recv() => 130,
                _ = terminate.recv() => 143,
            };
            INTERRUPTED.store(true, Ordering::SeqCst);
            let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(|e| e.into_inner()));
            for (admin, database, role) in live {
                drop_all(&admin, &database, role.as_deref()).await;
                eprintln!("interrupted: dropped scratch database {database}");
            }
            std::process::exit(code);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_beyond_the_pid_and_fit_postgres() {
        let (a, b) = (suffix(), suffix());
        assert_ne!(a, b);
        assert!(a.starts_with(&format!("{}_", std::process::id())));
        assert!(format!("{ROLE_PREFIX}{a}").len() <= 63 && format!("{DATABASE_PREFIX}{a}").len() <= 63);
    }

    #[test]
    fn a_comment_names_the_process_that_made_the_database() {
        let comment = format!("{COMMENT_PREFIX} host=h1 pid=42 start=1234");
        assert_eq!(owner_here(&comment, "h1"), Some((42, 1234)));
        assert_eq!(owner_here(&comment, "h2"), None, "another host's database is not ours to judge");
        assert_eq!(owner_here("a user's comment", "h1"), None);
        assert_eq!(old_name_pid("accrete_scratch_4242_0"), Some(4242));
        assert_eq!(old_name_pid("accrete_scratch_4242_99_ab12"), None);
    }

    #[test]
    fn this_process_is_alive_and_a_restarted_pid_is_not() {
        let pid = std::process::id();
        let start = process_start(pid).expect("/proc on Linux");
        assert!(process_alive(pid, start));
        assert!(!process_alive(pid, start + 1), "same pid, another start: another process");
    }
}
