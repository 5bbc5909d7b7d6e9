//! Precedence as libpq documents it, table by table: the string, then `PG*`, then libpq's default.

use super::*;
use crate::conn::conninfo::parse_conninfo;

const HOME: &str = "/home/u";

/// An environment: variable and value.
type Vars<'a> = &'a [(&'a str, &'a str)];

fn resolve_with(conninfo: &str, env: &[(&str, &str)]) -> Result<ConnParams> {
    let info = parse_conninfo(conninfo)?;
    let lookup = |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
    resolve(&info, &lookup, Some(Path::new(HOME)))
}

/// One field of the result, rendered for comparison.
fn field(p: &ConnParams, name: &str) -> String {
    let path = |p: &Option<PathBuf>| p.as_ref().map_or("-".to_string(), |p| p.display().to_string());
    match name {
        "hosts" => p
            .hosts
            .iter()
            .map(|h| match h {
                Host::Tcp(h) => h.clone(),
                Host::Socket(d) => format!("socket:{}", d.display()),
            })
            .collect::<Vec<_>>()
            .join(","),
        "port" => p.port.to_string(),
        "ports" => p.endpoints().iter().map(|e| e.port.to_string()).collect::<Vec<_>>().join(","),
        "hostaddrs" => format!("{:?}", p.hostaddrs),
        "user" => p.user.clone(),
        "dbname" => p.dbname.clone(),
        "password" => p.password.as_ref().map_or("-".to_string(), |s| s.expose().to_string()),
        "passfile" => path(&p.passfile),
        "sslmode" => p.tls.mode.to_string(),
        "sslrootcert" => p.tls.rootcert.as_ref().map_or("-".to_string(), ToString::to_string),
        "sslcert" => path(&p.tls.cert),
        "sslkey" => path(&p.tls.key),
        "sslcrl" => path(&p.tls.crl),
        "application_name" => p.application_name.clone().unwrap_or("-".to_string()),
        "connect_timeout" => p.connect_timeout.map_or("-".to_string(), |d| d.as_secs().to_string()),
        "options" => p.options.clone().unwrap_or("-".to_string()),
        "target_session_attrs" => p.target_session_attrs.as_str().to_string(),
        "tls_versions" => format!("{:?}-{:?}", p.tls.min_version, p.tls.max_version),
        other => panic!("no field {other}"),
    }
}

#[test]
fn precedence_string_then_environment_then_default() {
    let os_user = os_user_name().unwrap();
    let socket = format!("socket:{}", default_socket_dir().display());
    #[rustfmt::skip]
    let cases: &[(&str, Vars, &str, &str)] = &[
        // host
        ("host=a", &[("PGHOST", "b")], "hosts", "a"),
        ("", &[("PGHOST", "b")], "hosts", "b"),
        ("", &[], "hosts", &socket),
        ("", &[("PGHOST", "/run/pg")], "hosts", "socket:/run/pg"),
        ("host=''", &[("PGHOST", "b")], "hosts", &socket),
        ("postgresql://u@/db?host=/run/postgresql", &[("PGHOST", "b")], "hosts", "socket:/run/postgresql"),
        ("postgresql:///db", &[("PGHOST", "b")], "hosts", "b"),
        // hostaddr
        ("", &[("PGHOSTADDR", "127.0.0.1")], "hosts", "127.0.0.1"),
        ("host=db", &[("PGHOSTADDR", "10.0.0.1")], "hostaddrs", "[Some(10.0.0.1)]"),
        ("hostaddr=::1", &[], "hostaddrs", "[Some(::1)]"),
        // port
        ("port=6000", &[("PGPORT", "6001")], "port", "6000"),
        ("", &[("PGPORT", "6001")], "port", "6001"),
        ("", &[], "port", "5432"),
        ("postgresql://db", &[("PGPORT", "6001")], "port", "6001"),
        ("postgresql://db:6002", &[("PGPORT", "6001")], "port", "6002"),
        ("host=a,b,c port=1,,3", &[], "ports", "1,5432,3"),
        ("host=a,b port=7", &[], "ports", "7,7"),
        ("host=a,b", &[("PGPORT", "7,8")], "ports", "7,8"),
        ("postgresql://a:1,b/x", &[], "ports", "1,5432"),
        // user and database
        ("user=x", &[("PGUSER", "y")], "user", "x"),
        ("", &[("PGUSER", "y")], "user", "y"),
        ("", &[], "user", &os_user),
        ("user=x", &[("PGUSER", "y")], "dbname", "x"),
        ("", &[("PGUSER", "y")], "dbname", "y"),
        ("", &[("PGUSER", "y"), ("PGDATABASE", "d")], "dbname", "d"),
        ("dbname=e", &[("PGDATABASE", "d")], "dbname", "e"),
        ("postgresql://h/", &[("PGDATABASE", "d")], "dbname", "d"),
        ("", &[], "dbname", &os_user),
        // password and password file
        ("password=a", &[("PGPASSWORD", "b")], "password", "a"),
        ("", &[("PGPASSWORD", "b")], "password", "b"),
        ("", &[], "password", "-"),
        ("postgresql://u:@h", &[("PGPASSWORD", "b")], "password", "-"),
        ("passfile=/p1", &[("PGPASSFILE", "/p2")], "passfile", "/p1"),
        ("", &[("PGPASSFILE", "/p2")], "passfile", "/p2"),
        ("", &[], "passfile", "/home/u/.pgpass"),
        // TLS
        ("sslmode=disable", &[("PGSSLMODE", "require")], "sslmode", "disable"),
        ("", &[("PGSSLMODE", "require")], "sslmode", "require"),
        ("", &[], "sslmode", "prefer"),
        ("postgresql://h/d?ssl=true", &[], "sslmode", "require"),
        ("sslrootcert=system", &[], "sslmode", "verify-full"),
        ("", &[("PGSSLROOTCERT", "system")], "sslmode", "verify-full"),
        ("sslrootcert=/ca.pem", &[("PGSSLROOTCERT", "/env.pem")], "sslrootcert", "/ca.pem"),
        ("", &[("PGSSLROOTCERT", "/env.pem")], "sslrootcert", "/env.pem"),
        ("", &[], "sslrootcert", "/home/u/.postgresql/root.crt"),
        ("sslcert=/c", &[("PGSSLCERT", "/e")], "sslcert", "/c"),
        ("", &[("PGSSLCERT", "/e")], "sslcert", "/e"),
        ("", &[], "sslcert", "/home/u/.postgresql/postgresql.crt"),
        ("sslkey=/k", &[("PGSSLKEY", "/e")], "sslkey", "/k"),
        ("", &[("PGSSLKEY", "/e")], "sslkey", "/e"),
        ("", &[], "sslkey", "/home/u/.postgresql/postgresql.key"),
        ("", &[("PGSSLCRL", "/crl.pem")], "sslcrl", "/crl.pem"),
        ("ssl_min_protocol_version=TLSv1.3", &[], "tls_versions", "V1_3-V1_3"),
        ("", &[("PGSSLMAXPROTOCOLVERSION", "TLSv1.2")], "tls_versions", "V1_2-V1_2"),
        ("ssl_min_protocol_version=TLSv1", &[], "tls_versions", "V1_2-V1_3"),
        // application name, timeout, options, session attributes
        ("application_name=a", &[("PGAPPNAME", "b")], "application_name", "a"),
        ("", &[("PGAPPNAME", "b")], "application_name", "b"),
        ("fallback_application_name=f", &[], "application_name", "f"),
        ("fallback_application_name=f", &[("PGAPPNAME", "b")], "application_name", "b"),
        ("", &[], "application_name", "-"),
        ("connect_timeout=10", &[("PGCONNECT_TIMEOUT", "20")], "connect_timeout", "10"),
        ("", &[("PGCONNECT_TIMEOUT", "20")], "connect_timeout", "20"),
        ("", &[("PGCONNECT_TIMEOUT", "1")], "connect_timeout", "2"),
        ("connect_timeout=0", &[("PGCONNECT_TIMEOUT", "20")], "connect_timeout", "-"),
        ("", &[], "connect_timeout", "-"),
        ("options='-c search_path=x'", &[("PGOPTIONS", "-c a=b")], "options", "-c search_path=x"),
        ("", &[("PGOPTIONS", "-c a=b")], "options", "-c a=b"),
        ("", &[("PGTARGETSESSIONATTRS", "read-write")], "target_session_attrs", "read-write"),
        ("target_session_attrs=any", &[("PGTARGETSESSIONATTRS", "read-write")], "target_session_attrs", "any"),
    ];
    for (conninfo, env, name, want) in cases {
        let params = resolve_with(conninfo, env).unwrap_or_else(|e| panic!("{conninfo} {env:?}: {e:#}"));
        assert_eq!(field(&params, name), *want, "{name} for {conninfo:?} with {env:?}");
    }
}

#[test]
fn errors_name_the_keyword_or_variable() {
    #[rustfmt::skip]
    let cases: &[(&str, Vars, &str)] = &[
        ("port=x", &[], "invalid port number: \"x\" (port)"),
        ("", &[("PGPORT", "70000")], "invalid port number: \"70000\" (PGPORT)"),
        ("host=a,b,c port=1,2", &[], "could not match 2 port numbers to 3 hosts"),
        ("host=a,b hostaddr=127.0.0.1", &[], "could not match 2 host names to 1 hostaddr values"),
        ("hostaddr=db.example.com", &[], "could not parse network address \"db.example.com\""),
        ("sslmode=verify", &[], "invalid sslmode value: \"verify\" (sslmode)"),
        ("", &[("PGSSLMODE", "on")], "invalid sslmode value: \"on\" (PGSSLMODE)"),
        ("sslrootcert=system sslmode=require", &[], "weak sslmode \"require\" may not be used with sslrootcert=system"),
        ("", &[("PGSSLROOTCERT", "system"), ("PGSSLMODE", "verify-ca")], "weak sslmode \"verify-ca\""),
        ("sslnegotiation=direct", &[], "weak sslmode \"prefer\" may not be used with sslnegotiation=direct"),
        ("", &[("PGCONNECT_TIMEOUT", "soon")], "invalid integer value \"soon\" for connection option \"connect_timeout\" (PGCONNECT_TIMEOUT)"),
        ("service=prod", &[], "connection option \"service\" is set, but accrete does not support it"),
        ("", &[("PGSERVICE", "prod")], "PGSERVICE (connection option \"service\") is set"),
        ("gssencmode=require", &[], "connection option \"gssencmode\" is \"require\", which accrete does not support"),
        ("", &[("PGREQUIREAUTH", "scram-sha-256")], "PGREQUIREAUTH"),
        ("target_session_attrs=primary-ish", &[], "invalid target_session_attrs value"),
        ("channel_binding=always", &[], "invalid channel_binding value"),
        ("ssl_max_protocol_version=TLSv1.1", &[], "below TLSv1.2 is not supported"),
        ("ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2", &[], "invalid SSL protocol version range"),
    ];
    for (conninfo, env, want) in cases {
        let err = format!("{:#}", resolve_with(conninfo, env).unwrap_err());
        assert!(err.contains(want), "{conninfo:?} {env:?}: {err}");
    }
}

#[test]
fn accepted_without_effect_or_with_safe_values() {
    for conninfo in
        ["gssencmode=disable", "krbsrvname=x", "client_encoding=UTF8", "sslcompression=1", "service="]
    {
        resolve_with(conninfo, &[]).unwrap_or_else(|e| panic!("{conninfo}: {e:#}"));
    }
    let p = resolve_with("sslcertmode=disable sslsni=0 keepalives=0 tcp_user_timeout=1500", &[]).unwrap();
    assert!(!p.tls.send_client_cert && !p.tls.sni && !p.keepalives.enabled);
    assert_eq!(p.keepalives.tcp_user_timeout, Some(Duration::from_millis(1500)));
}

#[test]
fn without_a_home_directory_no_default_files() {
    let info = parse_conninfo("host=db").unwrap();
    let p = resolve(&info, &|_| None, None).unwrap();
    assert_eq!((p.passfile, p.tls.rootcert, p.tls.cert, p.tls.key), (None, None, None, None));
}

#[test]
fn home_comes_from_home_first() {
    assert_eq!(home_dir(&|k| (k == "HOME").then(|| "/h".to_string())), Some(PathBuf::from("/h")));
    assert!(home_dir(&|_| None).is_some(), "falls back to the password database");
}
