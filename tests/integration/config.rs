//! Connections against real servers started here (see `server`): every sslmode against a TLS server and a
//! plaintext one, certificate checks that fail and say why, client certificates, passwords from the
//! connection string, the environment and `.pgpass`, errors people meet (each names host:port and never
//! the password), multiple hosts, `target_session_attrs`, timeouts, sockets named in URLs, and targets.

pub(crate) mod server;

use accrete::config::{FileConfig, TargetSource, resolve_target};
use accrete::conn::{
    ConnParams, ConnectError, ConnectErrorKind, Connection, connect, parse_conninfo, resolve,
};
use server::{
    CLOSED_PORT, MD5_PASSWORD, OTHER_CLOSED_PORT, PLAIN_PORT, SCRAM_PASSWORD, SILENT_PORT, TLS_ONLY_PASSWORD,
    TLS_PORT, servers,
};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// The TLS server as `scram_user`, with `extra` appended (later keywords win).
fn tls_server(extra: &str) -> String {
    format!(
        "host=127.0.0.1 port={TLS_PORT} dbname=app user=scram_user password='{}' {extra}",
        quote(SCRAM_PASSWORD)
    )
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

/// Resolves `conninfo` with an empty environment and `home` as the home directory.
fn params_in(conninfo: &str, home: &Path) -> ConnParams {
    let info = parse_conninfo(conninfo).unwrap_or_else(|e| panic!("{conninfo}: {e:#}"));
    resolve(&info, &|_| None, Some(home)).unwrap_or_else(|e| panic!("{conninfo}: {e:#}"))
}

/// Connects with an empty home directory (no `~/.postgresql`, no `.pgpass`).
async fn try_connect(conninfo: &str) -> Result<Connection, ConnectError> {
    let home = tempfile::tempdir().unwrap();
    connect_params(&params_in(conninfo, home.path())).await
}

async fn connect_params(params: &ConnParams) -> Result<Connection, ConnectError> {
    servers();
    connect(params, "accrete-test").await.map_err(|e| match e.downcast::<ConnectError>() {
        Ok(e) => e,
        Err(other) => panic!("not a ConnectError: {other:#}"),
    })
}

/// Whether the session uses TLS.
async fn ssl(conn: &Connection) -> bool {
    let sql = "SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()";
    conn.client.query_one(sql, &[]).await.unwrap().get(0)
}

/// What happened: `tls` / `plain`, or the error kind and message.
async fn outcome(conninfo: &str) -> Result<bool, (ConnectErrorKind, String)> {
    match try_connect(conninfo).await {
        Ok(conn) => Ok(ssl(&conn).await),
        Err(e) => Err((e.kind(), e.to_string())),
    }
}

fn expect_error(
    result: Result<bool, (ConnectErrorKind, String)>,
    kind: ConnectErrorKind,
    parts: &[&str],
    context: &str,
) {
    let (got_kind, message) = match result {
        Ok(tls) => panic!("{context}: connected (tls: {tls}), expected {kind:?} {parts:?}"),
        Err(e) => e,
    };
    assert_eq!(got_kind, kind, "{context}: {message}");
    for part in parts {
        assert!(message.contains(part), "{context}: {message:?} lacks {part:?}");
    }
    assert!(!message.contains("s3cret") && !message.contains('\n'), "{context}: {message:?}");
}

#[tokio::test]
async fn every_sslmode_that_should_succeed_does() {
    let ca = servers().cert("ca.crt");
    #[rustfmt::skip]
    let cases = [
        ("sslmode=disable", false),
        ("sslmode=allow", false),
        ("sslmode=prefer", true),
        ("", true),
        ("sslmode=require", true),
        (&*format!("sslmode=verify-ca sslrootcert={ca}"), true),
        (&format!("sslmode=verify-ca sslrootcert={ca} host=wrong.example hostaddr=127.0.0.1"), true),
        (&format!("sslmode=verify-full sslrootcert={ca} host=localhost"), true),
        (&format!("sslmode=verify-full sslrootcert={ca} host=127.0.0.1"), true),
        (&format!("sslmode=verify-full sslrootcert={ca} host=localhost hostaddr=127.0.0.1"), true),
        (&format!("sslmode=require sslrootcert={ca}"), true),
        ("sslmode=require ssl_max_protocol_version=TLSv1.2", true),
        ("sslmode=require ssl_min_protocol_version=TLSv1.3", true),
        ("sslmode=require channel_binding=require", true),
    ];
    for (extra, want_tls) in cases {
        let got = outcome(&tls_server(extra)).await;
        assert_eq!(got, Ok(want_tls), "{extra}");
    }
}

#[tokio::test]
async fn direct_tls_negotiation_on_servers_that_have_it() {
    let conn = try_connect(&tls_server("")).await.unwrap();
    let version: i32 =
        conn.client.query_one("SELECT current_setting('server_version_num')::int", &[]).await.unwrap().get(0);
    let direct = outcome(&tls_server("sslmode=require sslnegotiation=direct")).await;
    if version >= 170000 {
        assert_eq!(direct, Ok(true));
    } else {
        assert!(direct.is_err(), "PostgreSQL {version} has no direct TLS negotiation: {direct:?}");
    }
}

#[tokio::test]
async fn the_negotiated_tls_version_follows_the_limits() {
    for (extra, want) in [("ssl_max_protocol_version=TLSv1.2", "TLSv1.2"), ("", "TLSv1.3")] {
        let conn = try_connect(&tls_server(&format!("sslmode=require {extra}"))).await.unwrap();
        let sql = "SELECT version FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()";
        let version: String = conn.client.query_one(sql, &[]).await.unwrap().get(0);
        assert_eq!(version, want, "{extra}");
    }
}

#[tokio::test]
async fn certificate_failures_say_which() {
    let s = servers();
    let (ca, other) = (s.cert("ca.crt"), s.cert("other-ca.crt"));
    let at = format!("127.0.0.1:{TLS_PORT}");
    let wrong = format!("wrong.example:{TLS_PORT} (127.0.0.1)");
    let untrusted = format!("server certificate not trusted (sslrootcert={other})");
    let localhost = format!("localhost:{TLS_PORT}");
    #[rustfmt::skip]
    let cases: Vec<(String, Vec<&str>)> = vec![
        (format!("sslmode=verify-ca sslrootcert={other}"), vec![&at, &untrusted]),
        (format!("sslmode=verify-full sslrootcert={other} host=localhost"), vec![&untrusted]),
        // libpq: require with a root certificate file present checks the chain like verify-ca.
        (format!("sslmode=require sslrootcert={other}"), vec![&at, &untrusted]),
        (format!("sslmode=verify-full sslrootcert={ca} host=wrong.example hostaddr=127.0.0.1"),
            vec![&wrong, "host name mismatch", "\"wrong.example\"", "localhost"]),
        ("sslmode=verify-ca".to_string(), vec![&at, "root certificate file", "does not exist", "sslrootcert=system"]),
        ("sslmode=verify-full sslrootcert=/nonexistent/root.crt".to_string(), vec!["\"/nonexistent/root.crt\" does not exist"]),
        ("sslmode=verify-full sslrootcert=system host=localhost".to_string(), vec![&localhost, "sslrootcert=system"]),
    ];
    for (extra, parts) in cases {
        expect_error(outcome(&tls_server(&extra)).await, ConnectErrorKind::Tls, &parts, &extra);
    }
    // prefer falls back to plaintext when the handshake fails, as libpq does.
    assert_eq!(outcome(&tls_server(&format!("sslmode=prefer sslrootcert={other}"))).await, Ok(false));
}

#[tokio::test]
async fn revocation_lists_are_checked() {
    let s = servers();
    let base = format!("sslmode=verify-ca sslrootcert={}", s.cert("ca.crt"));
    assert_eq!(outcome(&tls_server(&format!("{base} sslcrl={}", s.cert("empty.crl")))).await, Ok(true));
    let revoked = format!("{base} sslcrl={}", s.cert("revoked.crl"));
    expect_error(
        outcome(&tls_server(&revoked)).await,
        ConnectErrorKind::Tls,
        &["certificate is revoked"],
        &revoked,
    );
    let missing = format!("{base} sslcrl=/nonexistent/list.crl");
    expect_error(
        outcome(&tls_server(&missing)).await,
        ConnectErrorKind::Tls,
        &["\"/nonexistent/list.crl\""],
        &missing,
    );
}

#[tokio::test]
async fn require_against_a_server_without_tls_fails_and_prefer_does_not() {
    let plain = |extra: &str| {
        format!(
            "host=127.0.0.1 port={PLAIN_PORT} dbname=app user=scram_user password='{}' {extra}",
            quote(SCRAM_PASSWORD)
        )
    };
    let ca = servers().cert("ca.crt");
    for mode in ["require", "verify-ca", "verify-full"] {
        let extra = format!("sslmode={mode} sslrootcert={ca}");
        let want = format!("127.0.0.1:{PLAIN_PORT}: server does not support TLS but sslmode={mode}");
        expect_error(outcome(&plain(&extra)).await, ConnectErrorKind::Tls, &[&want], &extra);
    }
    for mode in ["disable", "allow", "prefer"] {
        assert_eq!(outcome(&plain(&format!("sslmode={mode}"))).await, Ok(false), "{mode}");
    }
}

#[tokio::test]
async fn allow_retries_with_tls_when_the_server_rejects_plaintext() {
    let conninfo = |mode: &str| {
        format!(
            "host=127.0.0.1 port={TLS_PORT} dbname=app user=tls_only password={TLS_ONLY_PASSWORD} sslmode={mode}"
        )
    };
    assert_eq!(outcome(&conninfo("allow")).await, Ok(true));
    let parts = [&*format!("127.0.0.1:{TLS_PORT}: pg_hba.conf rejects connection"), "pg_hba.conf"];
    expect_error(outcome(&conninfo("disable")).await, ConnectErrorKind::Authentication, &parts, "disable");
}

#[tokio::test]
async fn client_certificates() {
    let s = servers();
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("client.key");
    std::fs::copy(s.certs.join("client.key"), &key).unwrap();
    let base = format!(
        "host=localhost port={TLS_PORT} dbname=app user=certuser sslmode=verify-full sslrootcert={}",
        s.cert("ca.crt")
    );
    let with_cert = format!("{base} sslcert={} sslkey={}", s.cert("client.crt"), key.display());
    let conn = connect_params(&params_in(&with_cert, home.path())).await.unwrap();
    let user: String = conn.client.query_one("SELECT current_user::text", &[]).await.unwrap().get(0);
    assert_eq!(user, "certuser");

    let no_cert = connect_params(&params_in(&base, home.path())).await.unwrap_err();
    assert_eq!(no_cert.kind(), ConnectErrorKind::Authentication, "{no_cert}");
    assert!(no_cert.to_string().contains("requires a valid client certificate"), "{no_cert}");
    assert!(no_cert.to_string().contains("check sslcert and sslkey"), "{no_cert}");
    let disabled = connect_params(&params_in(&format!("{with_cert} sslcertmode=disable"), home.path()))
        .await
        .unwrap_err();
    assert_eq!(disabled.kind(), ConnectErrorKind::Authentication, "{disabled}");

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let open_key = connect_params(&params_in(&with_cert, home.path())).await.unwrap_err();
    assert_eq!(open_key.kind(), ConnectErrorKind::Tls, "{open_key}");
    assert!(open_key.to_string().contains("has group or world access"), "{open_key}");
}

#[tokio::test]
async fn the_default_files_in_the_home_directory_are_used() {
    let s = servers();
    let home = tempfile::tempdir().unwrap();
    let dot = home.path().join(".postgresql");
    std::fs::create_dir(&dot).unwrap();
    for (from, to) in
        [("ca.crt", "root.crt"), ("client.crt", "postgresql.crt"), ("client.key", "postgresql.key")]
    {
        std::fs::copy(s.certs.join(from), dot.join(to)).unwrap();
    }
    let conninfo = format!("host=localhost port={TLS_PORT} dbname=app user=certuser sslmode=verify-full");
    let conn = connect_params(&params_in(&conninfo, home.path())).await.unwrap();
    assert!(ssl(&conn).await);
    // With ~/.postgresql/root.crt present, require checks the chain: the other CA's file makes it fail.
    std::fs::copy(s.certs.join("other-ca.crt"), dot.join("root.crt")).unwrap();
    let err = connect_params(&params_in(&tls_server("sslmode=require"), home.path())).await.unwrap_err();
    assert!(err.to_string().contains("server certificate not trusted"), "{err}");
}

#[tokio::test]
async fn passwords_and_the_messages_people_meet() {
    let at = format!("127.0.0.1:{TLS_PORT}");
    let wrong_password =
        format!("host=127.0.0.1 port={TLS_PORT} dbname=app user=scram_user password=Wr0ng-s3cret");
    let parts = [
        &*format!("could not connect to {at}: password authentication failed for user \"scram_user\""),
        "pg_hba.conf",
    ];
    expect_error(outcome(&wrong_password).await, ConnectErrorKind::Authentication, &parts, "wrong password");
    let missing = format!("host=127.0.0.1 port={TLS_PORT} dbname=app user=scram_user");
    let parts = [&*at, "asks for a password and none was given", "PGPASSWORD"];
    expect_error(outcome(&missing).await, ConnectErrorKind::Authentication, &parts, "no password");
    let parts = [&*at, "database \"nope\" does not exist", "dbname"];
    expect_error(
        outcome(&tls_server("dbname=nope")).await,
        ConnectErrorKind::NoDatabase,
        &parts,
        "no database",
    );
    let refused = format!("host=127.0.0.1 port={CLOSED_PORT} user=u password=s3cret");
    let parts = [&*format!("127.0.0.1:{CLOSED_PORT}: connection refused"), "accepting TCP connections"];
    expect_error(outcome(&refused).await, ConnectErrorKind::Refused, &parts, "refused");
    let unknown = "host=no-such-host.invalid port=5432 user=u password=s3cret";
    let parts = ["no-such-host.invalid:5432", "could not translate host name"];
    expect_error(outcome(unknown).await, ConnectErrorKind::UnknownHost, &parts, "unknown host");
    let md5 = format!("host=127.0.0.1 port={TLS_PORT} dbname=app user=md5_user password={MD5_PASSWORD}");
    assert_eq!(outcome(&md5).await, Ok(true));
    let binding = format!("{md5} sslmode=disable channel_binding=require");
    assert!(outcome(&binding).await.is_err(), "channel_binding=require without TLS must fail");
}

#[tokio::test]
async fn the_password_file() {
    servers();
    let home = tempfile::tempdir().unwrap();
    let pgpass = home.path().join(".pgpass");
    let escaped = SCRAM_PASSWORD.replace(':', "\\:");
    std::fs::write(&pgpass, format!("# test\n127.0.0.1:{TLS_PORT}:other:scram_user:nope\n127.0.0.1:{TLS_PORT}:app:scram_user:{escaped}\n")).unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let conninfo = format!("host=127.0.0.1 port={TLS_PORT} dbname=app user=scram_user");
    assert!(connect_params(&params_in(&conninfo, home.path())).await.is_ok());

    let wrong = format!("host=127.0.0.1 port={TLS_PORT} dbname=other user=scram_user");
    let err = connect_params(&params_in(&wrong, home.path())).await.unwrap_err();
    assert!(err.to_string().contains(&format!("the password came from {}", pgpass.display())), "{err}");

    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = connect_params(&params_in(&conninfo, home.path())).await.unwrap_err();
    assert!(err.to_string().contains("none was given"), "an insecure .pgpass is ignored: {err}");

    let elsewhere = home.path().join("elsewhere");
    std::fs::rename(&pgpass, &elsewhere).unwrap();
    std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o600)).unwrap();
    let env = |name: &str| (name == "PGPASSFILE").then(|| elsewhere.display().to_string());
    let params = resolve(&parse_conninfo(&conninfo).unwrap(), &env, Some(home.path())).unwrap();
    assert!(connect_params(&params).await.is_ok(), "PGPASSFILE");
}

#[tokio::test]
async fn hosts_are_tried_in_order() {
    let two = tls_server(&format!("host=127.0.0.1,localhost port={CLOSED_PORT},{TLS_PORT}"));
    assert_eq!(outcome(&two).await, Ok(true));
    let none = tls_server(&format!("host=127.0.0.1,localhost port={CLOSED_PORT},{OTHER_CLOSED_PORT}"));
    let parts = [
        "could not connect to any of 2 hosts",
        &*format!("127.0.0.1:{CLOSED_PORT}: connection refused"),
        &*format!("localhost:{OTHER_CLOSED_PORT}"),
    ];
    expect_error(outcome(&none).await, ConnectErrorKind::Refused, &parts, "both refused");
    // An authentication failure ends the search, as in libpq.
    let auth_first = format!(
        "host=127.0.0.1,127.0.0.1 port={TLS_PORT},{PLAIN_PORT} dbname=app user=scram_user password=Wr0ng-s3cret"
    );
    let err = try_connect(&auth_first).await.unwrap_err();
    assert!(!err.to_string().contains(&PLAIN_PORT.to_string()), "{err}");
}

#[tokio::test]
async fn target_session_attrs() {
    for (attrs, ok) in [
        ("any", true),
        ("read-write", true),
        ("primary", true),
        ("prefer-standby", true),
        ("read-only", false),
        ("standby", false),
    ] {
        let result = outcome(&tls_server(&format!("target_session_attrs={attrs}"))).await;
        match ok {
            true => assert!(result.is_ok(), "{attrs}: {result:?}"),
            false => expect_error(
                result,
                ConnectErrorKind::SessionAttrs,
                &[&format!("target_session_attrs={attrs}")],
                attrs,
            ),
        }
    }
}

#[tokio::test]
async fn connect_timeout_limits_each_attempt() {
    servers();
    let listener = std::net::TcpListener::bind(("127.0.0.1", SILENT_PORT.get())).unwrap();
    let started = Instant::now();
    let result =
        outcome(&format!("host=127.0.0.1 port={SILENT_PORT} user=u sslmode=disable connect_timeout=2")).await;
    let parts = [&*format!("127.0.0.1:{SILENT_PORT}: timed out after 2 s"), "connect_timeout"];
    expect_error(result, ConnectErrorKind::Timeout, &parts, "timeout");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    drop(listener);
}

#[tokio::test]
async fn sockets_named_in_urls() {
    let dir = servers().dir.join("tls");
    let encoded = dir.display().to_string().replace('/', "%2F");
    for url in [
        format!("postgresql://postgres@/app?host={}&port={TLS_PORT}", dir.display()),
        format!("postgresql://postgres@{encoded}:{TLS_PORT}/app"),
        format!(
            "postgresql:///app?host={}&port={TLS_PORT}&user=postgres&sslmode=verify-full&sslrootcert=/nonexistent",
            dir.display()
        ),
    ] {
        // Unix sockets never use TLS, whatever sslmode says (libpq's rule).
        assert_eq!(outcome(&url).await, Ok(false), "{url}");
    }
    let own = ConnParams::unix_socket(&dir, TLS_PORT.get(), "postgres", "app");
    assert!(!ssl(&connect_params(&own).await.unwrap()).await);
    let elsewhere = servers().dir.clone();
    let missing = ConnParams::unix_socket(&elsewhere, TLS_PORT.get(), "postgres", "app");
    let err = connect_params(&missing).await.unwrap_err();
    assert_eq!(err.kind(), ConnectErrorKind::NoSocket, "{err}");
    let socket = format!("{}/.s.PGSQL.{TLS_PORT}", elsewhere.display());
    assert!(err.to_string().contains(&socket), "{err}");
}

#[tokio::test]
async fn urls_with_encoded_passwords_and_targets() {
    let ca = servers().cert("ca.crt");
    let password = "p%40ss%3Aw%2Frd%20s3cret";
    let url = format!(
        "postgresql://scram_user:{password}@localhost:{TLS_PORT}/app?sslmode=verify-full&sslrootcert={ca}"
    );
    assert_eq!(outcome(&url).await, Ok(true));
    let ipv6 = format!("postgresql://scram_user:{password}@[::1]:{CLOSED_PORT},127.0.0.1:{TLS_PORT}/app");
    assert_eq!(outcome(&ipv6).await, Ok(true));

    let home = tempfile::tempdir().unwrap();
    let home_str = home.path().display().to_string();
    let file = accrete::config::file::parse(
        "default_target = \"prod\"\n[targets.prod]\nurl_env = \"PROD_DATABASE_URL\"\n",
        Path::new("accrete.toml"),
    )
    .unwrap();
    let vars = [
        ("PROD_DATABASE_URL", format!("postgresql://scram_user@localhost:{TLS_PORT}/app")),
        ("PGPASSWORD", SCRAM_PASSWORD.to_string()),
        ("PGSSLMODE", "verify-full".to_string()),
        ("PGSSLROOTCERT", ca.clone()),
        ("HOME", home_str.clone()),
    ];
    let env = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
    let (params, source) = resolve_target(None, None, &file, &env).unwrap().unwrap();
    assert_eq!(source, TargetSource::Named("prod".into()));
    assert!(ssl(&connect_params(&params).await.unwrap()).await);

    let pg_env = [
        ("PGHOST", "localhost".to_string()),
        ("PGPORT", TLS_PORT.to_string()),
        ("PGUSER", "scram_user".to_string()),
        ("PGDATABASE", "app".to_string()),
        ("PGPASSWORD", SCRAM_PASSWORD.to_string()),
        ("PGSSLMODE", "verify-full".to_string()),
        ("PGSSLROOTCERT", ca),
        ("PGAPPNAME", "from-env".to_string()),
        ("HOME", home_str),
    ];
    let env = |name: &str| pg_env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
    let (params, source) = resolve_target(None, None, &FileConfig::default(), &env).unwrap().unwrap();
    assert_eq!(source, TargetSource::Environment);
    let conn = connect_params(&params).await.unwrap();
    let app: String =
        conn.client.query_one("SELECT current_setting('application_name')", &[]).await.unwrap().get(0);
    assert_eq!(app, "from-env");
}
