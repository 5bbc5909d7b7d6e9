//! libpq's connection keywords and the environment variable behind each, with what accrete does with them.
//!
//! Invariant: every keyword libpq (PostgreSQL 18) accepts is in [`KEYWORDS`], so an option accrete does not
//! implement is refused by name ("not supported") instead of being dropped silently, and a string libpq
//! would reject is rejected here too ("invalid connection option").

/// How accrete treats a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Support {
    /// Implemented with libpq's meaning.
    Yes,
    /// Accepted only with these values (the ones whose meaning accrete keeps); anything else is refused.
    Only(&'static [&'static str]),
    /// Accepted and without effect, as in libpq when the feature it configures is not in use (GSSAPI
    /// settings: tokio-postgres has no GSSAPI, so a server that asks for it fails with its own error;
    /// `sslcompression`, which current TLS libraries do not implement).
    Inert,
    /// Refused when set, naming the keyword or variable.
    No,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Keyword {
    pub name: &'static str,
    pub env: Option<&'static str>,
    pub support: Support,
}

const fn kw(name: &'static str, env: Option<&'static str>, support: Support) -> Keyword {
    Keyword { name, env, support }
}

use Support::{Inert, No, Only, Yes};

pub(crate) const KEYWORDS: &[Keyword] = &[
    kw("service", Some("PGSERVICE"), No),
    kw("user", Some("PGUSER"), Yes),
    kw("password", Some("PGPASSWORD"), Yes),
    kw("passfile", Some("PGPASSFILE"), Yes),
    kw("channel_binding", Some("PGCHANNELBINDING"), Yes),
    kw("connect_timeout", Some("PGCONNECT_TIMEOUT"), Yes),
    kw("dbname", Some("PGDATABASE"), Yes),
    kw("host", Some("PGHOST"), Yes),
    kw("hostaddr", Some("PGHOSTADDR"), Yes),
    kw("port", Some("PGPORT"), Yes),
    kw("client_encoding", Some("PGCLIENTENCODING"), Only(&["UTF8", "utf8", "UTF-8", "utf-8", "auto"])),
    kw("options", Some("PGOPTIONS"), Yes),
    kw("application_name", Some("PGAPPNAME"), Yes),
    kw("fallback_application_name", None, Yes),
    kw("keepalives", None, Yes),
    kw("keepalives_idle", None, Yes),
    kw("keepalives_interval", None, Yes),
    kw("keepalives_count", None, Yes),
    kw("tcp_user_timeout", None, Yes),
    kw("sslmode", Some("PGSSLMODE"), Yes),
    kw("sslnegotiation", Some("PGSSLNEGOTIATION"), Yes),
    kw("sslcompression", Some("PGSSLCOMPRESSION"), Inert),
    kw("sslcert", Some("PGSSLCERT"), Yes),
    kw("sslkey", Some("PGSSLKEY"), Yes),
    kw("sslcertmode", Some("PGSSLCERTMODE"), Only(&["allow", "disable"])),
    kw("sslpassword", None, No),
    kw("sslkeylogfile", Some("PGSSLKEYLOGFILE"), No),
    kw("sslrootcert", Some("PGSSLROOTCERT"), Yes),
    kw("sslcrl", Some("PGSSLCRL"), Yes),
    kw("sslcrldir", Some("PGSSLCRLDIR"), No),
    kw("sslsni", Some("PGSSLSNI"), Yes),
    kw("requirepeer", Some("PGREQUIREPEER"), No),
    kw("require_auth", Some("PGREQUIREAUTH"), No),
    kw("min_protocol_version", Some("PGMINPROTOCOLVERSION"), Only(&["3.0"])),
    kw("max_protocol_version", Some("PGMAXPROTOCOLVERSION"), Only(&["3.0"])),
    kw("ssl_min_protocol_version", Some("PGSSLMINPROTOCOLVERSION"), Yes),
    kw("ssl_max_protocol_version", Some("PGSSLMAXPROTOCOLVERSION"), Yes),
    kw("gssencmode", Some("PGGSSENCMODE"), Only(&["disable", "prefer"])),
    kw("krbsrvname", Some("PGKRBSRVNAME"), Inert),
    kw("gsslib", Some("PGGSSLIB"), Inert),
    kw("gssdelegation", Some("PGGSSDELEGATION"), Inert),
    kw("replication", None, No),
    kw("target_session_attrs", Some("PGTARGETSESSIONATTRS"), Yes),
    kw("load_balance_hosts", Some("PGLOADBALANCEHOSTS"), Only(&["disable"])),
    kw("scram_client_key", None, No),
    kw("scram_server_key", None, No),
    kw("oauth_issuer", None, No),
    kw("oauth_client_id", None, No),
    kw("oauth_client_secret", None, No),
    kw("oauth_scope", None, No),
];

/// The keyword named `name`, if libpq knows it.
pub(crate) fn keyword(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_variables_are_unique() {
        let mut names: Vec<_> = KEYWORDS.iter().map(|k| k.name).collect();
        let mut envs: Vec<_> = KEYWORDS.iter().filter_map(|k| k.env).collect();
        let (n, e) = (names.len(), envs.len());
        names.sort_unstable();
        names.dedup();
        envs.sort_unstable();
        envs.dedup();
        assert_eq!((names.len(), envs.len()), (n, e));
        assert!(envs.iter().all(|e| e.starts_with("PG")));
    }
}
