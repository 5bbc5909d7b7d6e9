//! The advisory lock that keeps two applies (or an apply and a rollback) from running on one database at
//! the same time.
//!
//! Invariants: the key is fixed ([`LOCK_KEY`], derived from the word "accrete"), session-level, taken on
//! the apply connection and released when it ends; a holder is named from `pg_locks` and
//! `pg_stat_activity`, never guessed.

use crate::conn::Connection;
use anyhow::{Result, bail};
use std::time::{Duration, Instant};

/// The first eight bytes of SHA-256("accrete"), big-endian, as PostgreSQL's bigint advisory lock key.
pub const LOCK_KEY: i64 = -4663530000332111274;

/// How often a waiting apply tries the lock again.
const POLL: Duration = Duration::from_millis(200);

/// Takes the lock, trying again for up to `wait`. Returns whether it had to wait; fails naming the holder.
pub async fn acquire(conn: &Connection, wait: Duration) -> Result<bool> {
    let started = Instant::now();
    let mut waited = false;
    loop {
        let row = conn.client.query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY]).await?;
        if row.get::<_, bool>(0) {
            return Ok(waited);
        }
        if started.elapsed() >= wait {
            let holder = holder(conn).await?;
            bail!(
                "another apply holds the apply lock on this database: {holder}; waited {:.1}s\n  help: let it \
                 finish, or wait longer with --lock-wait",
                started.elapsed().as_secs_f64()
            );
        }
        waited = true;
        tokio::time::sleep(POLL.min(wait.saturating_sub(started.elapsed()))).await;
    }
}

/// Releases the lock (it is released anyway when the connection closes).
pub async fn release(conn: &Connection) -> Result<()> {
    conn.client.query_one("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY]).await?;
    Ok(())
}

/// Who holds the lock: `pid N (application_name "...", client ..., user ...)`.
async fn holder(conn: &Connection) -> Result<String> {
    let key = LOCK_KEY as u64;
    let (high, low) = ((key >> 32) as i64, (key & 0xffff_ffff) as i64);
    let rows = conn
        .client
        .query(
            "SELECT l.pid, a.application_name,
                    CASE WHEN a.client_port = -1 THEN 'local socket' ELSE host(a.client_addr) END,
                    a.usename::text
             FROM pg_catalog.pg_locks l
             LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.classid::bigint = $1 AND l.objid::bigint = $2
               AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
             ORDER BY l.pid",
            &[&high, &low],
        )
        .await?;
    let Some(row) = rows.first() else {
        return Ok("a session that has ended since (try again)".to_string());
    };
    let pid: i32 = row.get(0);
    let app: Option<String> = row.get(1);
    let client: Option<String> = row.get(2);
    let user: Option<String> = row.get(3);
    Ok(format!(
        "pid {pid} (application_name {}, client {}, user {})",
        serde_json::to_string(app.as_deref().unwrap_or("")).expect("strings serialize"),
        client.as_deref().unwrap_or("not visible to this role"),
        user.as_deref().unwrap_or("unknown"),
    ))
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn lock_key_is_derived_from_the_name() {
        let digest = Sha256::digest(b"accrete");
        let bytes: [u8; 8] = digest[..8].try_into().unwrap();
        assert_eq!(super::LOCK_KEY, i64::from_be_bytes(bytes));
    }
}
