//! Which database a command talks to, decided in this one place for every command.
//!
//! Order: `--db` (a URL or `key=value` string), else `--target NAME` from `accrete.toml`, else
//! `DATABASE_URL`, else the libpq environment when `PGHOST`, `PGHOSTADDR` or `PGDATABASE` is set, else
//! `default_target` from `accrete.toml`, else none (the caller uses the embedded local database).
//!
//! Invariants: the libpq environment (`PG*`, `.pgpass`) applies to every target found here, and to nothing
//! else (accrete's own clusters are reached with explicit parameters); errors name where the connection
//! string came from, never its contents.

use super::file::{FileConfig, TargetConfig};
use crate::conn::ConnInfo;
use crate::conn::ConnParams;
use crate::conn::{Env, home_dir, params_from_string, resolve};
use anyhow::{Context, Result, bail};
use std::fmt;

/// Where the target came from, for messages ("connecting to prod (accrete.toml) at ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSource {
    /// `--db`.
    Flag,
    /// The `DATABASE_URL` environment variable.
    DatabaseUrl,
    /// The libpq `PG*` environment.
    Environment,
    /// A `[targets.NAME]` of `accrete.toml`, by `--target` or `default_target`.
    Named(String),
    /// The embedded local database.
    Local,
}

impl fmt::Display for TargetSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetSource::Flag => f.write_str("--db"),
            TargetSource::DatabaseUrl => f.write_str("DATABASE_URL"),
            TargetSource::Environment => f.write_str("the PG* environment"),
            TargetSource::Named(name) => write!(f, "target {name} (accrete.toml)"),
            TargetSource::Local => f.write_str("the embedded local database"),
        }
    }
}

/// The libpq variables that make the environment a target on their own.
pub const TARGET_VARIABLES: [&str; 3] = ["PGHOST", "PGHOSTADDR", "PGDATABASE"];

/// The target, or `None` when nothing names one (the caller then uses the embedded local database).
pub fn resolve_target(
    db_flag: Option<&str>,
    target_flag: Option<&str>,
    file: &FileConfig,
    env: Env,
) -> Result<Option<(ConnParams, TargetSource)>> {
    if let (Some(_), Some(name)) = (db_flag, target_flag) {
        bail!("both --db and --target {name} name a database: give one of them");
    }
    if let Some(s) = db_flag {
        let params = params_from_string(s, env).context("in the connection string given with --db")?;
        return Ok(Some((params, TargetSource::Flag)));
    }
    if let Some(name) = target_flag {
        return named(file, name, env).map(Some);
    }
    if let Some(url) = env("DATABASE_URL").filter(|u| !u.is_empty()) {
        let params = params_from_string(&url, env).context("in the connection string in DATABASE_URL")?;
        return Ok(Some((params, TargetSource::DatabaseUrl)));
    }
    if TARGET_VARIABLES.iter().any(|var| env(var).is_some_and(|v| !v.is_empty())) {
        let params = resolve(&ConnInfo::default(), env, home_dir(env).as_deref())
            .context("in the PG* environment variables")?;
        return Ok(Some((params, TargetSource::Environment)));
    }
    match &file.default_target {
        Some(name) => named(file, name, env).map(Some),
        None => Ok(None),
    }
}

fn named(file: &FileConfig, name: &str, env: Env) -> Result<(ConnParams, TargetSource)> {
    let Some(target) = file.targets.get(name) else {
        let known: Vec<&str> = file.targets.keys().map(String::as_str).collect();
        let file_name = file.path.as_ref().map_or("accrete.toml".to_string(), |p| p.display().to_string());
        if known.is_empty() {
            bail!(
                "no target \"{name}\": {file_name} defines no targets (add [targets.{name}] with url_env = \"...\")"
            );
        }
        bail!("no target \"{name}\" in {file_name} (targets: {})", known.join(", "));
    };
    let params = match target {
        TargetConfig::Url(url) => params_from_string(url, env),
        TargetConfig::UrlEnv(var) => match env(var).filter(|v| !v.is_empty()) {
            Some(url) => params_from_string(&url, env).with_context(|| format!("in {var}")),
            None => bail!("target \"{name}\" reads its connection string from {var}, which is not set"),
        },
    };
    let params = params.with_context(|| format!("in target \"{name}\""))?;
    Ok((params, TargetSource::Named(name.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::Host;
    use std::path::Path;

    type Vars<'a> = &'a [(&'a str, &'a str)];
    /// `--db`, `--target`, the file, the environment, and the expected choice.
    type Row<'a> = (Option<&'a str>, Option<&'a str>, &'a FileConfig, Vars<'a>, &'a str);

    fn file() -> FileConfig {
        let text = r#"
            default_target = "dflt"
            [targets.prod]
            url_env = "PROD_URL"
            [targets.dflt]
            url = "postgresql://dflt-host/app"
        "#;
        crate::config::file::parse(text, Path::new("accrete.toml")).unwrap()
    }

    /// The host of the resolved target and where it came from, or "local".
    fn pick(db: Option<&str>, target: Option<&str>, file: &FileConfig, env: &[(&str, &str)]) -> String {
        let lookup = |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
        match resolve_target(db, target, file, &lookup).unwrap() {
            None => "local".to_string(),
            Some((params, source)) => match &params.hosts[0] {
                Host::Tcp(h) => format!("{h} from {source}"),
                Host::Socket(d) => format!("{} from {source}", d.display()),
            },
        }
    }

    #[test]
    fn order_flag_target_database_url_environment_default() {
        let f = file();
        let none = FileConfig::default();
        let socket_env = format!("{} from the PG* environment", crate::conn::default_socket_dir().display());
        let all: &[(&str, &str)] = &[
            ("DATABASE_URL", "postgresql://du-host/x"),
            ("PGHOST", "pg-host"),
            ("PROD_URL", "host=prod-host"),
        ];
        #[rustfmt::skip]
        let cases: &[Row] = &[
            (Some("host=flag-host"), None, &f, all, "flag-host from --db"),
            (Some("postgresql://flag-host/db"), None, &none, &[], "flag-host from --db"),
            (None, Some("prod"), &f, all, "prod-host from target prod (accrete.toml)"),
            (None, None, &f, all, "du-host from DATABASE_URL"),
            (None, None, &f, &[("PGHOST", "pg-host")], "pg-host from the PG* environment"),
            (None, None, &f, &[("PGDATABASE", "d")], &socket_env),
            (None, None, &f, &[("PGHOSTADDR", "127.0.0.2")], "127.0.0.2 from the PG* environment"),
            (None, None, &f, &[("PGPORT", "5")], "dflt-host from target dflt (accrete.toml)"),
            (None, None, &f, &[("PGHOST", "")], "dflt-host from target dflt (accrete.toml)"),
            (None, None, &none, &[("PGUSER", "u"), ("PGPASSWORD", "p")], "local"),
            (None, None, &none, &[], "local"),
        ];
        for (db, target, file, env, want) in cases {
            assert_eq!(pick(*db, *target, file, env), *want, "{db:?} {target:?} {env:?}");
        }
    }

    #[test]
    fn the_environment_applies_to_every_target() {
        let env = |name: &str| match name {
            "PROD_URL" => Some("postgresql://prod-host/app".to_string()),
            "PGPORT" => Some("6543".to_string()),
            "PGSSLMODE" => Some("verify-full".to_string()),
            _ => None,
        };
        let (params, _) = resolve_target(None, Some("prod"), &file(), &env).unwrap().unwrap();
        assert_eq!((params.port, params.tls.mode), (6543, crate::conn::SslMode::VerifyFull));
    }

    #[test]
    fn errors_say_where_and_never_what() {
        let env = |name: &str| (name == "DATABASE_URL").then(|| "postgresql://u:s3cret%zz@h/db".to_string());
        let err = format!("{:#}", resolve_target(None, None, &FileConfig::default(), &env).unwrap_err());
        assert!(err.contains("DATABASE_URL") && !err.contains("s3cret"), "{err}");
        let cases = [
            (Some("host=a"), Some("prod"), "both --db and --target prod"),
            (None, Some("staging"), "no target \"staging\" in accrete.toml (targets: dflt, prod)"),
            (
                None,
                Some("prod"),
                "target \"prod\" reads its connection string from PROD_URL, which is not set",
            ),
            (Some("hots=a"), None, "--db: invalid connection option \"hots\""),
        ];
        for (db, target, want) in cases {
            let err = format!("{:#}", resolve_target(db, target, &file(), &|_| None).unwrap_err());
            assert!(err.contains(want), "{err}");
        }
    }
}
