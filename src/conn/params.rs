//! Connection parameters: everything needed to open a connection, resolved (no defaults left to apply).
//!
//! Invariants: a password is only ever held in a [`Secret`], so `Debug` and `Display` of anything here
//! never print it; `ports` and `hostaddrs` are empty or exactly as long as `hosts`.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A password. Never printed: `Debug` and `Display` show `********`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

/// A host to try: a TCP host name or address, or a Unix socket directory (an absolute path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Tcp(String),
    Socket(PathBuf),
}

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plaintext first; TLS (unverified) if the server rejects the plaintext connection.
    Allow,
    /// TLS (unverified) when the server offers it, else plaintext: libpq's default.
    Prefer,
    /// TLS or fail; the certificate is checked against the root certificate file when one exists.
    Require,
    /// TLS, and the server's certificate chains to `sslrootcert`.
    VerifyCa,
    /// As `VerifyCa`, and the certificate names the host.
    VerifyFull,
}

impl SslMode {
    pub fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// Whether a connection without TLS is a failure (`require` and stronger).
    pub fn requires_tls(self) -> bool {
        self >= SslMode::Require
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where trusted root certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// `sslrootcert=system`: the platform's trust store.
    System,
    /// A PEM file; used only when it exists (libpq's rule), except that `verify-ca`/`verify-full` fail
    /// without it.
    File(PathBuf),
}

impl fmt::Display for RootCert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RootCert::System => f.write_str("system"),
            RootCert::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A TLS protocol version (rustls implements 1.2 and 1.3 only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    V1_2,
    V1_3,
}

/// The `ssl*` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsParams {
    pub mode: SslMode,
    /// `sslrootcert`, else `~/.postgresql/root.crt`; `None` without a home directory.
    pub rootcert: Option<RootCert>,
    /// `sslcert`, else `~/.postgresql/postgresql.crt`; sent only when the file exists.
    pub cert: Option<PathBuf>,
    /// `sslkey`, else `~/.postgresql/postgresql.key`.
    pub key: Option<PathBuf>,
    /// `sslcrl`: revoked certificates (PEM).
    pub crl: Option<PathBuf>,
    /// `sslcertmode=disable` turns this off: never send a client certificate.
    pub send_client_cert: bool,
    /// `sslsni`: send the host name in the handshake (host names only, never addresses).
    pub sni: bool,
    /// `sslnegotiation=direct`: TLS from the first byte (PostgreSQL 17 and later).
    pub direct: bool,
    pub min_version: TlsVersion,
    pub max_version: TlsVersion,
}

impl TlsParams {
    /// No TLS at all (accrete's own clusters, reached over Unix sockets).
    pub fn disabled() -> Self {
        TlsParams {
            mode: SslMode::Disable,
            rootcert: None,
            cert: None,
            key: None,
            crl: None,
            send_client_cert: false,
            sni: true,
            direct: false,
            min_version: TlsVersion::V1_2,
            max_version: TlsVersion::V1_3,
        }
    }
}

/// libpq's `target_session_attrs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetSessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    PreferStandby,
}

impl TargetSessionAttrs {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "any" => Self::Any,
            "read-write" => Self::ReadWrite,
            "read-only" => Self::ReadOnly,
            "primary" => Self::Primary,
            "standby" => Self::Standby,
            "prefer-standby" => Self::PreferStandby,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "any",
            Self::ReadWrite => "read-write",
            Self::ReadOnly => "read-only",
            Self::Primary => "primary",
            Self::Standby => "standby",
            Self::PreferStandby => "prefer-standby",
        }
    }
}

/// libpq's `channel_binding` (SCRAM over TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelBinding {
    Disable,
    Prefer,
    Require,
}

/// TCP keepalive settings (`keepalives`, `keepalives_idle`, `keepalives_interval`, `keepalives_count`,
/// `tcp_user_timeout`); `None` keeps the operating system's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keepalives {
    pub enabled: bool,
    pub idle: Option<Duration>,
    pub interval: Option<Duration>,
    pub count: Option<u32>,
    pub tcp_user_timeout: Option<Duration>,
}

impl Default for Keepalives {
    fn default() -> Self {
        Keepalives { enabled: true, idle: None, interval: None, count: None, tcp_user_timeout: None }
    }
}

/// Everything needed to open one connection. `Display` names the hosts, ports, user and database, never
/// the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnParams {
    /// Tried in order until one accepts (libpq's multiple hosts).
    pub hosts: Vec<Host>,
    /// The port of every host that `ports` does not name.
    pub port: u16,
    /// One port per host when given per host; empty otherwise.
    pub ports: Vec<u16>,
    /// One optional numeric address per host (`hostaddr`: connect there, no name lookup; the host name
    /// still serves TLS verification and `.pgpass`); empty when none was given.
    pub hostaddrs: Vec<Option<IpAddr>>,
    pub user: String,
    /// Given explicitly (connection string or `PGPASSWORD`); otherwise `passfile` is consulted.
    pub password: Option<Secret>,
    /// The password file read when no password is given (`passfile`, `PGPASSFILE`, `~/.pgpass`).
    pub passfile: Option<PathBuf>,
    pub dbname: String,
    pub application_name: Option<String>,
    /// Per host (and address) attempt; `None` waits indefinitely.
    pub connect_timeout: Option<Duration>,
    /// Server options (`-c name=value ...`).
    pub options: Option<String>,
    pub target_session_attrs: TargetSessionAttrs,
    pub channel_binding: ChannelBinding,
    pub keepalives: Keepalives,
    pub tls: TlsParams,
}

/// One host to try, with its port and optional address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint<'a> {
    pub host: &'a Host,
    pub port: u16,
    pub hostaddr: Option<IpAddr>,
}

impl fmt::Display for Endpoint<'_> {
    /// `host:port`, `[v6]:port`, `/socket/dir:port`, with ` (address)` when `hostaddr` differs from the host.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.host {
            Host::Tcp(h) if h.contains(':') => write!(f, "[{h}]:{}", self.port)?,
            Host::Tcp(h) => write!(f, "{h}:{}", self.port)?,
            Host::Socket(dir) => write!(f, "{}:{}", dir.display(), self.port)?,
        }
        match (self.host, self.hostaddr) {
            (Host::Tcp(h), Some(addr)) if *h != addr.to_string() => write!(f, " ({addr})"),
            _ => Ok(()),
        }
    }
}

impl ConnParams {
    /// A connection over a Unix socket in `dir` (accrete's own clusters; no password, no TLS).
    pub fn unix_socket(dir: &Path, port: u16, user: &str, dbname: &str) -> Self {
        ConnParams {
            hosts: vec![Host::Socket(dir.to_path_buf())],
            port,
            ports: Vec::new(),
            hostaddrs: Vec::new(),
            user: user.to_string(),
            password: None,
            passfile: None,
            dbname: dbname.to_string(),
            application_name: None,
            connect_timeout: Some(Duration::from_secs(10)),
            options: None,
            target_session_attrs: TargetSessionAttrs::Any,
            channel_binding: ChannelBinding::Prefer,
            keepalives: Keepalives::default(),
            tls: TlsParams::disabled(),
        }
    }

    /// The same server, another database.
    pub fn with_dbname(&self, dbname: &str) -> Self {
        ConnParams { dbname: dbname.to_string(), ..self.clone() }
    }

    /// The hosts to try, in order.
    pub fn endpoints(&self) -> Vec<Endpoint<'_>> {
        let hosts = self.hosts.iter().enumerate();
        hosts
            .map(|(i, host)| Endpoint {
                host,
                port: self.ports.get(i).copied().unwrap_or(self.port),
                hostaddr: self.hostaddrs.get(i).copied().flatten(),
            })
            .collect()
    }

    /// `host:port` of the first host, for messages.
    pub fn host_port(&self) -> String {
        match self.endpoints().first() {
            Some(e) => e.to_string(),
            None => format!("localhost:{}", self.port),
        }
    }
}

impl fmt::Display for ConnParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoints: Vec<String> = self.endpoints().iter().map(ToString::to_string).collect();
        let hosts = if endpoints.is_empty() { self.host_port() } else { endpoints.join(",") };
        write!(f, "{hosts} (database {}, user {})", self.dbname, self.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_every_host_and_never_the_password() {
        let mut params = ConnParams::unix_socket(Path::new("/tmp/s"), 5499, "app", "db");
        params.password = Some(Secret::new("s3cret"));
        assert_eq!(params.to_string(), "/tmp/s:5499 (database db, user app)");
        params.hosts = vec![Host::Tcp("a".into()), Host::Tcp("::1".into()), Host::Tcp("db".into())];
        params.ports = vec![1, 2, 3];
        params.hostaddrs = vec![None, None, Some("10.0.0.9".parse().unwrap())];
        assert_eq!(params.to_string(), "a:1,[::1]:2,db:3 (10.0.0.9) (database db, user app)");
        assert_eq!(params.host_port(), "a:1");
        assert!(!format!("{params:?}").contains("s3cret"));
    }
}
