//! Opening a connection with libpq's behaviour: hosts tried in order (every address of a host name), the
//! `sslmode` sequence (`allow`: plaintext, then TLS if the server rejects it; `prefer`: TLS, then plaintext
//! if the server has none or the handshake fails; `require` and stronger: TLS or fail), `connect_timeout`
//! per attempt, the password file per host, and `target_session_attrs`.
//!
//! Invariants: Unix sockets never use TLS (libpq's rule: the socket is local); a server error during
//! startup (authentication, missing database) ends the search, as in libpq, while a connection failure
//! moves on to the next host; failures become one [`ConnectError`] naming every host tried.

use super::errors::{Attempt, ConnectError, ConnectErrorKind, Failure, classify};
use super::params::{ConnParams, Endpoint, Host, SslMode, TargetSessionAttrs};
use super::pgpass;
use super::tls::TlsSetup;
use anyhow::Result;
use rustls::pki_types::ServerName;
use std::net::IpAddr;
use std::path::PathBuf;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio_postgres::error::DbError;

/// An open connection, with the server's notices (guards report skips through them) on a channel.
pub struct Connection {
    pub client: tokio_postgres::Client,
    pub notices: mpsc::UnboundedReceiver<DbError>,
    /// How a cancel request reaches the server: over TLS when the connection uses it.
    canceller: Canceller,
}

/// The TLS side of a cancel request, as the connection negotiated it.
#[derive(Clone)]
enum Canceller {
    Plain,
    Tls(super::tls::RustlsConnect),
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").field("closed", &self.client.is_closed()).finish_non_exhaustive()
    }
}

impl Connection {
    /// Sends a cancel request for the statement the connection is running (PostgreSQL's cancel protocol,
    /// on a connection of its own to the same address, TLS as negotiated). The statement then fails with
    /// `query_canceled`, or has finished already.
    pub async fn cancel(&self) -> Result<()> {
        let token = self.client.cancel_token();
        match &self.canceller {
            Canceller::Plain => token.cancel_query(tokio_postgres::NoTls).await?,
            Canceller::Tls(connector) => token.cancel_query(connector.clone()).await?,
        }
        Ok(())
    }

    /// Notices received so far, oldest first.
    pub fn drain_notices(&mut self) -> Vec<DbError> {
        let mut out = Vec::new();
        while let Ok(n) = self.notices.try_recv() {
            out.push(n);
        }
        out
    }
}

/// Connects, spawning the connection task on the current tokio runtime. `application_name` is used when
/// the parameters name none. Errors are a [`ConnectError`].
pub async fn connect(params: &ConnParams, application_name: &str) -> Result<Connection> {
    let endpoints = params.endpoints();
    let tcp = endpoints.iter().any(|e| matches!(e.host, Host::Tcp(_)));
    let tls = (tcp && params.tls.mode != SslMode::Disable)
        .then(|| TlsSetup::new(&params.tls).map_err(|e| format!("{e:#}")));
    let passes = match params.target_session_attrs {
        TargetSessionAttrs::PreferStandby => vec![TargetSessionAttrs::Standby, TargetSessionAttrs::Any],
        other => vec![other],
    };
    let mut failures = Vec::new();
    for wanted in passes {
        for endpoint in &endpoints {
            let ctx = Ctx { params, endpoint, tls: tls.as_ref(), application_name, wanted };
            match ctx.connect_endpoint().await {
                Ok(connection) => return Ok(connection),
                Err(failure) => {
                    let stop = failure.server_error;
                    failures.push(failure);
                    if stop {
                        return Err(ConnectError::from_failures(failures).into());
                    }
                }
            }
        }
    }
    Err(ConnectError::from_failures(failures).into())
}

/// Where one attempt goes.
#[derive(Debug, Clone)]
enum Addr {
    Ip(IpAddr),
    Socket(PathBuf),
}

/// How one attempt negotiates TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Negotiate {
    Plain,
    /// TLS if the server offers it.
    TlsIfOffered,
    /// TLS or fail.
    TlsOnly,
}

struct Ctx<'a> {
    params: &'a ConnParams,
    endpoint: &'a Endpoint<'a>,
    tls: Option<&'a Result<TlsSetup, String>>,
    application_name: &'a str,
    wanted: TargetSessionAttrs,
}

impl Ctx<'_> {
    async fn connect_endpoint(&self) -> Result<Connection, Failure> {
        let (password, password_file) = self.password();
        let mut last = None;
        for addr in self.addresses().await? {
            match self.connect_addr(&addr, password.as_deref(), password_file.as_deref()).await {
                Ok(connection) => return Ok(connection),
                Err(failure) if failure.server_error => return Err(failure),
                Err(failure) => last = Some(failure),
            }
        }
        Err(last.unwrap_or_else(|| self.failure(ConnectErrorKind::UnknownHost, "no address to try", None)))
    }

    /// The password to send, and the file it came from.
    fn password(&self) -> (Option<String>, Option<String>) {
        let p = self.params;
        if let Some(password) = &p.password {
            return (Some(password.expose().to_string()), None);
        }
        let Some(file) = &p.passfile else { return (None, None) };
        match pgpass::lookup(file, self.endpoint, &p.dbname, &p.user) {
            Some(secret) => (Some(secret.expose().to_string()), Some(file.display().to_string())),
            None => (None, None),
        }
    }

    async fn addresses(&self) -> Result<Vec<Addr>, Failure> {
        let name = match self.endpoint.host {
            Host::Socket(dir) => return Ok(vec![Addr::Socket(dir.clone())]),
            Host::Tcp(name) => name,
        };
        if let Some(ip) = self.endpoint.hostaddr.or_else(|| name.parse().ok()) {
            return Ok(vec![Addr::Ip(ip)]);
        }
        let lookup = tokio::net::lookup_host((name.as_str(), self.endpoint.port)).await.map_err(|e| {
            let what = format!("could not translate host name \"{name}\" to an address: {e}");
            self.failure(ConnectErrorKind::UnknownHost, &what, Some("check the host name"))
        })?;
        let mut ips: Vec<IpAddr> = Vec::new();
        for ip in lookup.map(|a| a.ip()) {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
        Ok(ips.into_iter().map(Addr::Ip).collect())
    }

    fn failure(&self, kind: ConnectErrorKind, what: &str, hint: Option<&str>) -> Failure {
        Failure::new(&self.endpoint.to_string(), kind, what, hint)
    }

    /// The `sslmode` sequence at one address.
    async fn connect_addr(
        &self,
        addr: &Addr,
        password: Option<&str>,
        file: Option<&str>,
    ) -> Result<Connection, Failure> {
        let mode = self.params.tls.mode;
        let attempt = |how| self.attempt(addr, how, password, file);
        match (addr, mode) {
            (Addr::Socket(_), _) | (_, SslMode::Disable) => attempt(Negotiate::Plain).await,
            (_, SslMode::Allow) => match attempt(Negotiate::Plain).await {
                Err(first) if first.server_error => attempt(Negotiate::TlsOnly).await.map_err(|second| {
                    if second.kind == ConnectErrorKind::Tls && !second.tls_handshake { first } else { second }
                }),
                other => other,
            },
            (_, SslMode::Prefer) => match attempt(Negotiate::TlsIfOffered).await {
                Err(failure) if failure.tls_handshake => {
                    tracing::debug!(
                        "TLS failed at {}: {}; trying without TLS (sslmode=prefer)",
                        self.endpoint,
                        failure.what
                    );
                    attempt(Negotiate::Plain).await
                }
                other => other,
            },
            _ => attempt(Negotiate::TlsOnly).await,
        }
    }

    async fn attempt(
        &self,
        addr: &Addr,
        how: Negotiate,
        password: Option<&str>,
        file: Option<&str>,
    ) -> Result<Connection, Failure> {
        let endpoint = self.endpoint.to_string();
        let server_name = self.server_name(addr);
        let setup = match (how, self.tls) {
            (Negotiate::Plain, _) => None,
            (_, Some(Ok(setup))) => Some(setup),
            (_, Some(Err(e))) => {
                let mut failure = Failure::new(&endpoint, ConnectErrorKind::Tls, e.clone(), None);
                failure.tls_handshake = true;
                return Err(failure);
            }
            (_, None) => None,
        };
        let at = Attempt {
            endpoint: &endpoint,
            socket: match addr {
                Addr::Socket(dir) => Some(dir.join(format!(".s.PGSQL.{}", self.endpoint.port))),
                Addr::Ip(_) => None,
            },
            mode: self.params.tls.mode,
            roots: setup.and_then(|s| s.roots.as_deref()),
            server_name: &server_name,
            password_file: file,
            password_given: password.is_some(),
        };
        let config = self.pg_config(addr, how, password);
        let open = async {
            let connection = match setup {
                None => {
                    let (client, conn) =
                        config.connect(tokio_postgres::NoTls).await.map_err(|e| classify(&e, &at))?;
                    spawn(client, conn, Canceller::Plain)
                }
                Some(setup) => {
                    let name = ServerName::try_from(server_name.clone()).unwrap_or_else(|_| match addr {
                        Addr::Ip(ip) => ServerName::IpAddress((*ip).into()),
                        Addr::Socket(_) => ServerName::try_from("localhost").expect("a valid name"),
                    });
                    let connector = setup.connector(name);
                    let (client, conn) =
                        config.connect(connector.clone()).await.map_err(|e| classify(&e, &at))?;
                    spawn(client, conn, Canceller::Tls(connector))
                }
            };
            self.check_session(connection, &endpoint).await
        };
        match self.params.connect_timeout {
            Some(limit) => tokio::time::timeout(limit, open)
                .await
                .unwrap_or_else(|_| Err(Failure::timeout(&endpoint, limit))),
            None => open.await,
        }
    }

    /// The name the server's certificate must carry: the host name, else the address.
    fn server_name(&self, addr: &Addr) -> String {
        match (self.endpoint.host, addr) {
            (Host::Tcp(name), _) => name.clone(),
            (Host::Socket(_), Addr::Ip(ip)) => ip.to_string(),
            (Host::Socket(dir), Addr::Socket(_)) => dir.display().to_string(),
        }
    }

    fn pg_config(&self, addr: &Addr, how: Negotiate, password: Option<&str>) -> tokio_postgres::Config {
        use tokio_postgres::config::{ChannelBinding as Cb, SslMode as Pg, SslNegotiation};
        let p = self.params;
        let mut config = tokio_postgres::Config::new();
        match addr {
            Addr::Ip(ip) => config.host(ip.to_string()),
            Addr::Socket(dir) => config.host_path(dir),
        };
        config.port(self.endpoint.port).user(&p.user).dbname(&p.dbname);
        config.application_name(p.application_name.as_deref().unwrap_or(self.application_name));
        if let Some(password) = password {
            config.password(password);
        }
        if let Some(options) = &p.options {
            config.options(options);
        }
        config.ssl_mode(match how {
            Negotiate::Plain => Pg::Disable,
            Negotiate::TlsIfOffered => Pg::Prefer,
            Negotiate::TlsOnly => Pg::Require,
        });
        if p.tls.direct && how == Negotiate::TlsOnly {
            config.ssl_negotiation(SslNegotiation::Direct);
        }
        config.channel_binding(match p.channel_binding {
            super::params::ChannelBinding::Disable => Cb::Disable,
            super::params::ChannelBinding::Prefer => Cb::Prefer,
            super::params::ChannelBinding::Require => Cb::Require,
        });
        let k = &p.keepalives;
        config.keepalives(k.enabled);
        if let Some(idle) = k.idle {
            config.keepalives_idle(idle);
        }
        if let Some(interval) = k.interval {
            config.keepalives_interval(interval);
        }
        if let Some(count) = k.count {
            config.keepalives_retries(count);
        }
        if let Some(timeout) = k.tcp_user_timeout {
            config.tcp_user_timeout(timeout);
        }
        config
    }

    /// `target_session_attrs`: the connection, or a failure that moves on to the next host.
    async fn check_session(&self, connection: Connection, endpoint: &str) -> Result<Connection, Failure> {
        if self.wanted == TargetSessionAttrs::Any {
            return Ok(connection);
        }
        let sql =
            "SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.current_setting('transaction_read_only')";
        let row = connection.client.query_one(sql, &[]).await.map_err(|e| {
            Failure::new(
                endpoint,
                ConnectErrorKind::Server,
                format!("checking target_session_attrs: {e}"),
                None,
            )
        })?;
        let (standby, read_only): (bool, String) = (row.get(0), row.get(1));
        let read_only = read_only == "on";
        let (ok, what) = match self.wanted {
            TargetSessionAttrs::ReadWrite => (!read_only, "the server is read-only"),
            TargetSessionAttrs::ReadOnly => (read_only, "the server is not read-only"),
            TargetSessionAttrs::Primary => (!standby, "the server is a standby"),
            TargetSessionAttrs::Standby => (standby, "the server is not a standby"),
            TargetSessionAttrs::Any | TargetSessionAttrs::PreferStandby => (true, ""),
        };
        if ok {
            return Ok(connection);
        }
        let what = format!("{what} (target_session_attrs={})", self.params.target_session_attrs.as_str());
        Err(Failure::new(endpoint, ConnectErrorKind::SessionAttrs, what, None))
    }
}

/// Spawns the connection task, which forwards notices to the returned connection's channel.
fn spawn<S, T>(
    client: tokio_postgres::Client,
    mut connection: tokio_postgres::Connection<S, T>,
    canceller: Canceller,
) -> Connection
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        use futures_util::StreamExt;
        while let Some(message) = messages.next().await {
            match message {
                Ok(tokio_postgres::AsyncMessage::Notice(notice)) => {
                    let _ = tx.send(notice);
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    Connection { client, notices: rx, canceller }
}
