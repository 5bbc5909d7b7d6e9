//! Connection parameters and connecting.

use anyhow::{Context, Result};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_postgres::error::DbError;

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

/// Everything needed to open one connection. `Display` names the host, port, user and database, never the
/// password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnParams {
    pub hosts: Vec<Host>,
    pub port: u16,
    pub user: String,
    pub password: Option<Secret>,
    pub dbname: String,
    pub application_name: Option<String>,
    pub connect_timeout: Option<Duration>,
}

impl ConnParams {
    /// A connection over a Unix socket in `dir` (accrete's own clusters; no password, no TLS).
    pub fn unix_socket(dir: &Path, port: u16, user: &str, dbname: &str) -> Self {
        ConnParams {
            hosts: vec![Host::Socket(dir.to_path_buf())],
            port,
            user: user.to_string(),
            password: None,
            dbname: dbname.to_string(),
            application_name: None,
            connect_timeout: Some(Duration::from_secs(10)),
        }
    }

    /// The same server, another database.
    pub fn with_dbname(&self, dbname: &str) -> Self {
        ConnParams { dbname: dbname.to_string(), ..self.clone() }
    }

    /// `host:port`, for messages.
    pub fn host_port(&self) -> String {
        let host = match self.hosts.first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Socket(dir)) => dir.display().to_string(),
            None => "localhost".to_string(),
        };
        format!("{host}:{}", self.port)
    }

    fn pg_config(&self, application_name: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        for host in &self.hosts {
            match host {
                Host::Tcp(h) => config.host(h),
                Host::Socket(dir) => config.host_path(dir),
            };
        }
        config.port(self.port).user(&self.user).dbname(&self.dbname);
        if let Some(password) = &self.password {
            config.password(password.expose());
        }
        config.application_name(self.application_name.as_deref().unwrap_or(application_name));
        if let Some(timeout) = self.connect_timeout {
            config.connect_timeout(timeout);
        }
        config
    }
}

impl fmt::Display for ConnParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (database {}, user {})", self.host_port(), self.dbname, self.user)
    }
}

/// An open connection, with the server's notices (guards report skips through them) on a channel.
pub struct Connection {
    pub client: tokio_postgres::Client,
    pub notices: mpsc::UnboundedReceiver<DbError>,
}

impl Connection {
    /// Notices received so far, oldest first.
    pub fn drain_notices(&mut self) -> Vec<DbError> {
        let mut out = Vec::new();
        while let Ok(n) = self.notices.try_recv() {
            out.push(n);
        }
        out
    }
}

/// Connects, spawning the connection task on the current tokio runtime.
pub async fn connect(params: &ConnParams, application_name: &str) -> Result<Connection> {
    let config = params.pg_config(application_name);
    let (client, mut connection) =
        config.connect(tokio_postgres::NoTls).await.with_context(|| format!("connecting to {params}"))?;
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
    Ok(Connection { client, notices: rx })
}
