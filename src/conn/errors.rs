//! Connection failures as the one-line messages people meet: refused, unreachable, unknown host, no
//! socket, timeout, authentication, missing database, TLS. Each names `host:port` and, where known, what
//! to check.
//!
//! Invariant: messages are built from the endpoint, the error's kind and the server's own message; never
//! from the connection string or the password.

use super::params::SslMode;
use super::tls::HandshakeError;
use rustls::CertificateError;
use std::error::Error as _;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;
use tokio_postgres::error::SqlState;

/// What kind of failure, for callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectErrorKind {
    Refused,
    Unreachable,
    UnknownHost,
    NoSocket,
    Timeout,
    Authentication,
    NoDatabase,
    Tls,
    /// No host had the `target_session_attrs` asked for.
    SessionAttrs,
    /// Another error the server reported.
    Server,
    Other,
}

/// Connecting failed, on every host tried. `Display` is one line.
#[derive(Debug)]
pub struct ConnectError {
    kind: ConnectErrorKind,
    message: String,
}

impl ConnectError {
    /// The kind of the last failure.
    pub fn kind(&self) -> ConnectErrorKind {
        self.kind
    }

    pub(crate) fn from_failures(failures: Vec<Failure>) -> ConnectError {
        let mut lines: Vec<String> = Vec::new();
        for line in failures.iter().map(Failure::line) {
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let kind = failures.last().map_or(ConnectErrorKind::Other, |f| f.kind);
        let message = match lines.as_slice() {
            [] => "could not connect: no host to try".to_string(),
            [one] => format!("could not connect to {one}"),
            many => format!("could not connect to any of {} hosts: {}", many.len(), many.join("; ")),
        };
        ConnectError { kind, message }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConnectError {}

/// One failed attempt at one endpoint.
#[derive(Debug)]
pub(crate) struct Failure {
    pub endpoint: String,
    pub kind: ConnectErrorKind,
    pub what: String,
    pub hint: Option<String>,
    /// The server agreed to TLS and the handshake (or the TLS setup) failed: `prefer` retries in plaintext.
    pub tls_handshake: bool,
    /// The server answered with an error: libpq tries no further host, and `allow` retries with TLS.
    pub server_error: bool,
}

impl Failure {
    pub fn new(
        endpoint: &str,
        kind: ConnectErrorKind,
        what: impl Into<String>,
        hint: Option<&str>,
    ) -> Failure {
        Failure {
            endpoint: endpoint.to_string(),
            kind,
            what: what.into(),
            hint: hint.map(String::from),
            tls_handshake: false,
            server_error: false,
        }
    }

    fn line(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{}: {} ({hint})", self.endpoint, self.what),
            None => format!("{}: {}", self.endpoint, self.what),
        }
    }

    pub fn timeout(endpoint: &str, after: Duration) -> Failure {
        let what = format!("timed out after {} s", after.as_secs());
        let hint =
            "check the host, the port and firewalls; connect_timeout or PGCONNECT_TIMEOUT sets the limit";
        Failure::new(endpoint, ConnectErrorKind::Timeout, what, Some(hint))
    }
}

/// What the classification needs to know about the attempt.
pub(crate) struct Attempt<'a> {
    pub endpoint: &'a str,
    /// The socket file, for a Unix socket connection.
    pub socket: Option<PathBuf>,
    pub mode: SslMode,
    /// The root certificates in use (`sslrootcert`), when the chain is checked.
    pub roots: Option<&'a str>,
    pub server_name: &'a str,
    /// The password file the password came from, if it did.
    pub password_file: Option<&'a str>,
    pub password_given: bool,
}

/// Turns a tokio-postgres error into a failure line.
pub(crate) fn classify(err: &tokio_postgres::Error, at: &Attempt<'_>) -> Failure {
    if let Some(db) = err.as_db_error() {
        let mut failure = server_failure(db.code(), db.message(), at);
        failure.server_error = true;
        return failure;
    }
    let text = chain(err);
    // tokio-postgres's words when the peer answers with something that is not the PostgreSQL protocol (an
    // HTTP server, Redis, a TLS-only proxy): its frames do not parse.
    if [
        "bytes remaining on stream",
        "unexpected message from server",
        "invalid message length",
        "unexpected EOF",
    ]
    .iter()
    .any(|m| text.contains(m))
    {
        let what = "the server did not answer as PostgreSQL does (another service on this port?)";
        let hint =
            "check the host and port: this one speaks another protocol, or closed the connection at once";
        return Failure::new(at.endpoint, ConnectErrorKind::Other, what, Some(hint));
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = err.source();
    while let Some(e) = source {
        if let Some(handshake) = e.downcast_ref::<HandshakeError>() {
            let mut failure = match handshake.rustls() {
                Some(r) => tls_failure(r, at),
                None => io_failure(&handshake.0, at),
            };
            failure.tls_handshake = true;
            return failure;
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            return match io.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
                Some(r) => tls_failure(r, at),
                None => io_failure(io, at),
            };
        }
        source = e.source();
    }
    if text.contains("server does not support TLS") {
        let what = format!("server does not support TLS but sslmode={}", at.mode);
        let hint = "enable ssl on the server, or use sslmode=prefer to allow a plaintext connection";
        return Failure::new(at.endpoint, ConnectErrorKind::Tls, what, Some(hint));
    }
    if text.contains("password missing") {
        let what = "the server asks for a password and none was given";
        let hint = "give it in the connection string, PGPASSWORD or ~/.pgpass";
        return Failure::new(at.endpoint, ConnectErrorKind::Authentication, what, Some(hint));
    }
    Failure::new(at.endpoint, ConnectErrorKind::Other, text, None)
}

/// The error and its causes, `: `-separated (tokio-postgres puts the useful part in the cause).
fn chain(err: &tokio_postgres::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

fn server_failure(code: &SqlState, message: &str, at: &Attempt<'_>) -> Failure {
    let (kind, hint) = if *code == SqlState::INVALID_PASSWORD
        || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
    {
        let hint = match (at.password_file, at.password_given) {
            _ if message.contains("certificate") => {
                "check sslcert and sslkey: the certificate's common name must be the user name".to_string()
            }
            (Some(file), _) => {
                format!("the password came from {file}; check it and the server's pg_hba.conf")
            }
            (None, true) => "check the user name, the password and the server's pg_hba.conf".to_string(),
            (None, false) => "check the user name, the server's pg_hba.conf, or give a password".to_string(),
        };
        (ConnectErrorKind::Authentication, Some(hint))
    } else if *code == SqlState::INVALID_CATALOG_NAME {
        (ConnectErrorKind::NoDatabase, Some("check the database name (dbname, PGDATABASE)".to_string()))
    } else if *code == SqlState::TOO_MANY_CONNECTIONS {
        (ConnectErrorKind::Server, Some("the server has no free connection slots".to_string()))
    } else if *code == SqlState::CANNOT_CONNECT_NOW {
        (ConnectErrorKind::Server, Some("the server is starting up or shutting down; retry".to_string()))
    } else {
        (ConnectErrorKind::Server, None)
    };
    Failure::new(at.endpoint, kind, message, hint.as_deref())
}

fn io_failure(e: &io::Error, at: &Attempt<'_>) -> Failure {
    use ConnectErrorKind as K;
    let socket = at.socket.as_ref().map(|s| s.display().to_string());
    let (kind, what, hint) = match (e.kind(), &socket) {
        (io::ErrorKind::NotFound, Some(s)) => (
            K::NoSocket,
            format!("no server socket {s}"),
            "is a server running locally with its socket there?",
        ),
        (io::ErrorKind::ConnectionRefused, Some(s)) => {
            (K::NoSocket, format!("connection refused on socket {s}"), "is a server running locally?")
        }
        (io::ErrorKind::PermissionDenied, Some(s)) => (
            K::NoSocket,
            format!("permission denied on socket {s}"),
            "check the socket directory's permissions",
        ),
        (io::ErrorKind::ConnectionRefused, None) => (
            K::Refused,
            "connection refused".to_string(),
            "is a server running on that host and accepting TCP connections on that port?",
        ),
        (io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable, _) => {
            (K::Unreachable, format!("{e}"), "check the host name or address and the network route to it")
        }
        (io::ErrorKind::TimedOut, _) => {
            (K::Timeout, "timed out".to_string(), "check the host, the port and firewalls")
        }
        (io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe, _) => {
            (K::Server, "the server closed the connection unexpectedly".to_string(), "check the server's log")
        }
        _ => return Failure::new(at.endpoint, K::Other, e.to_string(), None),
    };
    Failure::new(at.endpoint, kind, what, Some(hint))
}

fn tls_failure(e: &rustls::Error, at: &Attempt<'_>) -> Failure {
    let roots = at.roots.unwrap_or("none");
    let (what, hint): (String, Option<String>) = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                let names = match c {
                    CertificateError::NotValidForNameContext { presented, .. } if !presented.is_empty() => {
                        format!(" (it names {})", presented.join(", "))
                    }
                    _ => String::new(),
                };
                (
                    format!("host name mismatch: the server certificate is not valid for \"{}\"{names}", at.server_name),
                    Some("connect with a name the certificate lists, or use sslmode=verify-ca to check only the chain".into()),
                )
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                ("the server certificate has expired".into(), None)
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                ("the server certificate is not valid yet".into(), Some("check the clocks".into()))
            }
            CertificateError::Revoked => ("the server certificate is revoked (sslcrl)".into(), None),
            _ => (
                format!("server certificate not trusted (sslrootcert={roots})"),
                Some("check that sslrootcert names the certificate authority that signed the server's certificate".into()),
            ),
        },
        rustls::Error::AlertReceived(alert) => (
            format!("the server refused the TLS handshake ({alert:?})"),
            Some("check the client certificate (sslcert, sslkey) and the server's TLS settings".into()),
        ),
        other => (format!("TLS handshake failed: {other}"), None),
    };
    Failure::new(at.endpoint, ConnectErrorKind::Tls, what, hint.as_deref())
}
