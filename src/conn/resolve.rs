//! From a parsed connection string to [`ConnParams`], with libpq's precedence: a value in the string, else
//! its `PG*` environment variable, else libpq's default (socket directory, port 5432, the operating system
//! user, a database named like the user, `sslmode=prefer`, `~/.pgpass`, `~/.postgresql/*`).
//!
//! Invariants: an option accrete does not implement is an error when set, whether in the string or in the
//! environment, never silently dropped; errors name the keyword or variable and never show a password.
//! The environment is read only through the `env` function, so callers (and tests) decide what it is.

use super::conninfo::ConnInfo;
use super::keywords::{KEYWORDS, Support};
use super::params::{
    ChannelBinding, ConnParams, Host, Keepalives, RootCert, Secret, SslMode, TargetSessionAttrs, TlsParams,
    TlsVersion,
};
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// libpq's default port.
pub const DEFAULT_PORT: u16 = 5432;

/// The environment, as a lookup function: `std::env::var` for the process, a closure over a table in tests.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, for [`resolve`] and `resolve_target`.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The Unix socket directory used when no host is given: libpq's compiled default, `/var/run/postgresql`
/// on Debian, Ubuntu and Fedora, `/tmp` on builds from source; the first that exists here.
pub fn default_socket_dir() -> PathBuf {
    let debian = Path::new("/var/run/postgresql");
    if debian.is_dir() { debian.to_path_buf() } else { PathBuf::from("/tmp") }
}

/// The home directory as libpq finds it: `HOME`, else the password database entry of the effective user.
pub fn home_dir(env: Env) -> Option<PathBuf> {
    if let Some(home) = env("HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    let user = nix::unistd::User::from_uid(nix::unistd::geteuid()).ok().flatten()?;
    Some(user.dir)
}

/// The effective operating system user's name: libpq's default user name.
pub fn os_user_name() -> Result<String> {
    let user = nix::unistd::User::from_uid(nix::unistd::geteuid())
        .context("looking up the operating system user")?
        .context("the operating system user has no name: give a user name (user=..., PGUSER)")?;
    Ok(user.name)
}

/// Where each value came from, for messages.
#[derive(Clone, Copy)]
enum Origin {
    Given,
    Env(&'static str),
}

/// The values in effect: the string's, then the environment's.
struct Values(BTreeMap<&'static str, (String, Origin)>);

impl Values {
    fn collect(info: &ConnInfo, env: Env) -> Result<Values> {
        let mut values = BTreeMap::new();
        for k in KEYWORDS {
            let value = match (info.get(k.name), k.env) {
                (Some(v), _) => (v.to_string(), Origin::Given),
                (None, Some(var)) => match env(var) {
                    Some(v) => (v, Origin::Env(var)),
                    None => continue,
                },
                (None, None) => continue,
            };
            check_support(k.name, k.support, &value)?;
            values.insert(k.name, value);
        }
        Ok(Values(values))
    }

    /// The value, when set and not empty (libpq treats an empty value as unset nearly everywhere).
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|(v, _)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// The keyword, or the variable it came from, for messages.
    fn source(&self, name: &'static str) -> String {
        match self.0.get(name) {
            Some((_, Origin::Env(var))) => (*var).to_string(),
            _ => name.to_string(),
        }
    }
}

fn check_support(name: &str, support: Support, (value, origin): &(String, Origin)) -> Result<()> {
    let by = match origin {
        Origin::Given => format!("connection option \"{name}\""),
        Origin::Env(var) => format!("{var} (connection option \"{name}\")"),
    };
    match support {
        Support::Yes | Support::Inert => Ok(()),
        Support::No if value.is_empty() => Ok(()),
        Support::No => bail!("{by} is set, but accrete does not support it: remove it or unset it"),
        Support::Only(allowed) if allowed.contains(&value.as_str()) || value.is_empty() => Ok(()),
        Support::Only(allowed) => {
            bail!("{by} is \"{value}\", which accrete does not support (supported: {})", allowed.join(", "))
        }
    }
}

/// Applies the environment and libpq's defaults to `info`. `home` locates `.pgpass` and `~/.postgresql`.
pub fn resolve(info: &ConnInfo, env: Env, home: Option<&Path>) -> Result<ConnParams> {
    let values = Values::collect(info, env)?;
    let user = match values.get("user") {
        Some(u) => u.to_string(),
        None => os_user_name()?,
    };
    let dbname = values.get("dbname").unwrap_or(&user).to_string();
    let (hosts, hostaddrs) = hosts(&values)?;
    let (port, ports) = ports(&values, hosts.len())?;
    let in_home = |rel: &str| home.map(|h| h.join(rel));
    Ok(ConnParams {
        hosts,
        port,
        ports,
        hostaddrs,
        user,
        password: values.get("password").map(Secret::new),
        passfile: values.get("passfile").map(PathBuf::from).or_else(|| in_home(".pgpass")),
        dbname,
        application_name: values
            .get("application_name")
            .or(values.get("fallback_application_name"))
            .map(String::from),
        connect_timeout: connect_timeout(&values)?,
        options: values.get("options").map(String::from),
        target_session_attrs: target_session_attrs(&values)?,
        channel_binding: channel_binding(&values)?,
        keepalives: keepalives(&values)?,
        tls: tls(&values, home)?,
    })
}

/// The hosts, and the `hostaddr` of each (empty when none is given).
fn hosts(values: &Values) -> Result<(Vec<Host>, Vec<Option<IpAddr>>)> {
    let split = |name| values.get(name).map(|v| v.split(',').collect::<Vec<_>>()).unwrap_or_default();
    let (names, addrs) = (split("host"), split("hostaddr"));
    if !names.is_empty() && !addrs.is_empty() && names.len() != addrs.len() {
        bail!("could not match {} host names to {} hostaddr values", names.len(), addrs.len());
    }
    let n = names.len().max(addrs.len()).max(1);
    let mut hosts = Vec::with_capacity(n);
    let mut hostaddrs = Vec::with_capacity(n);
    for i in 0..n {
        let name = names.get(i).copied().filter(|s| !s.is_empty());
        let addr = match addrs.get(i).copied().filter(|s| !s.is_empty()) {
            Some(a) => Some(a.parse::<IpAddr>().map_err(|_| {
                anyhow::anyhow!("could not parse network address \"{a}\" ({})", values.source("hostaddr"))
            })?),
            None => None,
        };
        hosts.push(match (name, addr) {
            (Some(h), None) if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
            (Some(h), _) => Host::Tcp(h.to_string()),
            (None, Some(a)) => Host::Tcp(a.to_string()),
            (None, None) => Host::Socket(default_socket_dir()),
        });
        hostaddrs.push(addr);
    }
    if addrs.is_empty() {
        hostaddrs.clear();
    }
    Ok((hosts, hostaddrs))
}

/// The default port and the per-host ports (empty when one port serves every host).
fn ports(values: &Values, n_hosts: usize) -> Result<(u16, Vec<u16>)> {
    let Some(list) = values.get("port") else { return Ok((DEFAULT_PORT, Vec::new())) };
    let parse = |p: &str| -> Result<u16> {
        if p.trim().is_empty() {
            return Ok(DEFAULT_PORT);
        }
        match p.trim().parse::<u16>() {
            Ok(port) if port > 0 => Ok(port),
            _ => bail!("invalid port number: \"{p}\" ({})", values.source("port")),
        }
    };
    let ports: Vec<u16> = list.split(',').map(parse).collect::<Result<_>>()?;
    match ports.len() {
        1 => Ok((ports[0], Vec::new())),
        n if n == n_hosts => Ok((ports[0], ports)),
        n => bail!("could not match {n} port numbers to {n_hosts} hosts"),
    }
}

/// libpq's `parse_int_param`: an integer, surrounding whitespace allowed.
fn int(values: &Values, name: &'static str) -> Result<Option<i64>> {
    let Some(v) = values.get(name) else { return Ok(None) };
    match v.trim().parse::<i64>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => {
            bail!("invalid integer value \"{v}\" for connection option \"{name}\" ({})", values.source(name))
        }
    }
}

/// Seconds; zero or negative means no limit, and 1 means 2 (libpq's minimum).
fn connect_timeout(values: &Values) -> Result<Option<Duration>> {
    Ok(match int(values, "connect_timeout")? {
        Some(n) if n > 0 => Some(Duration::from_secs(n.max(2) as u64)),
        _ => None,
    })
}

fn keepalives(values: &Values) -> Result<Keepalives> {
    let secs = |name| -> Result<Option<Duration>> {
        Ok(int(values, name)?.filter(|n| *n > 0).map(|n| Duration::from_secs(n as u64)))
    };
    Ok(Keepalives {
        enabled: int(values, "keepalives")?.is_none_or(|n| n != 0),
        idle: secs("keepalives_idle")?,
        interval: secs("keepalives_interval")?,
        count: int(values, "keepalives_count")?.filter(|n| *n > 0).map(|n| n.min(u32::MAX as i64) as u32),
        tcp_user_timeout: int(values, "tcp_user_timeout")?
            .filter(|n| *n > 0)
            .map(|n| Duration::from_millis(n as u64)),
    })
}

fn target_session_attrs(values: &Values) -> Result<TargetSessionAttrs> {
    let Some(v) = values.get("target_session_attrs") else { return Ok(TargetSessionAttrs::Any) };
    TargetSessionAttrs::parse(v).with_context(|| {
        format!("invalid target_session_attrs value: \"{v}\" ({})", values.source("target_session_attrs"))
    })
}

fn channel_binding(values: &Values) -> Result<ChannelBinding> {
    Ok(match values.get("channel_binding") {
        None | Some("prefer") => ChannelBinding::Prefer,
        Some("disable") => ChannelBinding::Disable,
        Some("require") => ChannelBinding::Require,
        Some(v) => bail!("invalid channel_binding value: \"{v}\" ({})", values.source("channel_binding")),
    })
}

fn tls(values: &Values, home: Option<&Path>) -> Result<TlsParams> {
    let in_home = |rel: &str| home.map(|h| h.join(".postgresql").join(rel));
    let rootcert = match values.get("sslrootcert") {
        Some("system") => Some(RootCert::System),
        Some(path) => Some(RootCert::File(PathBuf::from(path))),
        None => in_home("root.crt").map(RootCert::File),
    };
    let mode = match values.get("sslmode") {
        Some(v) => SslMode::parse(v)
            .with_context(|| format!("invalid sslmode value: \"{v}\" ({})", values.source("sslmode")))?,
        None if rootcert == Some(RootCert::System) => SslMode::VerifyFull,
        None => SslMode::Prefer,
    };
    if rootcert == Some(RootCert::System) && mode != SslMode::VerifyFull {
        bail!("weak sslmode \"{mode}\" may not be used with sslrootcert=system (use \"verify-full\")");
    }
    let direct = match values.get("sslnegotiation") {
        None | Some("postgres") => false,
        Some("direct") => true,
        Some(v) => bail!("invalid sslnegotiation value: \"{v}\" ({})", values.source("sslnegotiation")),
    };
    if direct && !mode.requires_tls() {
        bail!(
            "weak sslmode \"{mode}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", \
             or \"verify-full\")"
        );
    }
    let (min_version, max_version) = tls_versions(values)?;
    Ok(TlsParams {
        mode,
        rootcert,
        cert: values.get("sslcert").map(PathBuf::from).or_else(|| in_home("postgresql.crt")),
        key: values.get("sslkey").map(PathBuf::from).or_else(|| in_home("postgresql.key")),
        crl: values.get("sslcrl").map(PathBuf::from),
        send_client_cert: values.get("sslcertmode") != Some("disable"),
        sni: values.get("sslsni") != Some("0"),
        direct,
        min_version,
        max_version,
    })
}

/// `ssl_min_protocol_version` (default TLSv1.2, libpq's) and `ssl_max_protocol_version`. Versions below
/// 1.2 as a minimum mean 1.2 (rustls has nothing older: stricter, never weaker); as a maximum, an error.
fn tls_versions(values: &Values) -> Result<(TlsVersion, TlsVersion)> {
    let parse = |name: &'static str| -> Result<Option<Option<TlsVersion>>> {
        Ok(match values.get(name) {
            None => None,
            Some("TLSv1" | "TLSv1.1") => Some(None),
            Some("TLSv1.2") => Some(Some(TlsVersion::V1_2)),
            Some("TLSv1.3") => Some(Some(TlsVersion::V1_3)),
            Some(v) => bail!("invalid {name} value: \"{v}\" ({})", values.source(name)),
        })
    };
    let min = parse("ssl_min_protocol_version")?.flatten().unwrap_or(TlsVersion::V1_2);
    let max = match parse("ssl_max_protocol_version")? {
        None => TlsVersion::V1_3,
        Some(Some(v)) => v,
        Some(None) => bail!(
            "ssl_max_protocol_version below TLSv1.2 is not supported (accrete speaks TLSv1.2 and TLSv1.3)"
        ),
    };
    if min > max {
        bail!(
            "invalid SSL protocol version range: ssl_min_protocol_version is above ssl_max_protocol_version"
        );
    }
    Ok((min, max))
}

/// Parses `s` (URL or `key=value`) and resolves it against `env`, with the home directory libpq would use.
pub fn params_from_string(s: &str, env: Env) -> Result<ConnParams> {
    let info = super::conninfo::parse_conninfo(s)?;
    resolve(&info, env, home_dir(env).as_deref())
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
