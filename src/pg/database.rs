//! Creating and dropping the databases that hold a normalized desired state (and test databases).
//!
//! Databases are created from `template0` with the encoding and locale asked for, so that collation-dependent
//! output matches the target. A locale the cluster's system lacks falls back to `C.UTF-8` (UTF8 only), then
//! `C`, with a warning: that is the one place where the scratch may differ from the target.

use anyhow::{Context, Result};
use tokio_postgres::error::SqlState;

use crate::conn::{ConnParams, connect};

const APPLICATION_NAME: &str = "accrete/pg";

/// Creates database `name` from `template0` on the server `admin` reaches, and returns parameters for it.
pub async fn create_database(
    admin: &ConnParams,
    name: &str,
    encoding: &str,
    lc_collate: &str,
    lc_ctype: &str,
) -> Result<ConnParams> {
    let conn = connect(admin, APPLICATION_NAME).await?;
    let attempts = locale_attempts(encoding, lc_collate, lc_ctype);
    for (i, (collate, ctype)) in attempts.iter().enumerate() {
        let sql = format!(
            "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}",
            quote_ident(name),
            quote_literal(encoding),
            quote_literal(collate),
            quote_literal(ctype)
        );
        match conn.client.batch_execute(&sql).await {
            Ok(()) => {
                if i > 0 {
                    tracing::warn!(
                        "locale {lc_collate:?}/{lc_ctype:?} is not available on {}; database {name} uses \
                         {collate:?} instead, so collation-dependent output may differ from the target",
                        admin.host_port()
                    );
                }
                return Ok(admin.with_dbname(name));
            }
            Err(e) if i + 1 < attempts.len() && is_locale_error(&e) => continue,
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "creating database {name} (encoding {encoding}, locale {collate}/{ctype}) on {admin}"
                    )
                });
            }
        }
    }
    unreachable!("locale_attempts always yields at least one attempt")
}

/// Drops database `name` if it exists, ending its sessions first (`WITH (FORCE)`, PostgreSQL 13 and later:
/// accrete supports no older server).
pub async fn drop_database(admin: &ConnParams, name: &str) -> Result<()> {
    let conn = connect(admin, APPLICATION_NAME).await?;
    let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(name));
    conn.client.batch_execute(&sql).await.with_context(|| format!("dropping database {name} on {admin}"))
}

/// The (collate, ctype) pairs to try, in order, without repeats.
fn locale_attempts(encoding: &str, lc_collate: &str, lc_ctype: &str) -> Vec<(String, String)> {
    let utf8 = matches!(encoding.to_ascii_uppercase().as_str(), "UTF8" | "UTF-8" | "UNICODE");
    let mut out = vec![(lc_collate.to_string(), lc_ctype.to_string())];
    let fallbacks: &[&str] = if utf8 { &["C.UTF-8", "C"] } else { &["C"] };
    for fallback in fallbacks {
        let pair = (fallback.to_string(), fallback.to_string());
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    out
}

/// A CREATE DATABASE failure caused by a locale the system lacks or that does not fit the encoding.
fn is_locale_error(e: &tokio_postgres::Error) -> bool {
    let Some(db) = e.as_db_error() else { return false };
    let code = db.code();
    (code == &SqlState::WRONG_OBJECT_TYPE || code == &SqlState::INVALID_PARAMETER_VALUE)
        && db.message().contains("locale")
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_c_utf8_then_c_for_utf8_only() {
        let attempts = locale_attempts("UTF8", "en_US.UTF-8", "en_US.UTF-8");
        let names: Vec<&str> = attempts.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(names, ["en_US.UTF-8", "C.UTF-8", "C"]);
        let latin: Vec<String> =
            locale_attempts("LATIN1", "de_DE", "de_DE").into_iter().map(|p| p.0).collect();
        assert_eq!(latin, ["de_DE", "C"]);
        assert_eq!(locale_attempts("UTF8", "C", "C").len(), 2);
    }

    #[test]
    fn quotes_names_and_literals() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
