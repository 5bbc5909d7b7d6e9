//! Two PostgreSQL servers of the config tests' own, on TCP 127.0.0.1: one with TLS (certificates from a
//! certificate authority made here with `openssl`; `scram-sha-256`, `md5` and `cert` authentication), one
//! without. Their ports are ones the system says are free when the run first needs one; their files are in
//! the test run's folder (`support::root()`), so two test processes never share anything.
//!
//! Started once per test process. Each postmaster runs under a `sh` that waits on a pipe from this process:
//! when the process exits, for any reason, the pipe closes and the shell stops the server.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub static TLS_PORT: Port = Port(0);
pub static PLAIN_PORT: Port = Port(1);
/// Nothing listens here.
pub static CLOSED_PORT: Port = Port(2);
/// Nothing listens here either (a second refused host).
pub static OTHER_CLOSED_PORT: Port = Port(3);
/// For a listener that accepts and never answers (the timeout test).
pub static SILENT_PORT: Port = Port(4);

/// One of the ports the run picked: all of them at once, from listeners bound to port 0 together (so they
/// differ) and closed before any server starts.
pub struct Port(usize);

static PORTS: OnceLock<Vec<u16>> = OnceLock::new();

impl Port {
    pub fn get(&self) -> u16 {
        PORTS.get_or_init(|| {
            let listeners: Vec<std::net::TcpListener> = (0..5)
                .map(|_| std::net::TcpListener::bind(("127.0.0.1", 0)).expect("binding a free port"))
                .collect();
            listeners.iter().map(|l| l.local_addr().unwrap().port()).collect()
        })[self.0]
    }
}

impl std::fmt::Display for Port {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

pub const SCRAM_PASSWORD: &str = "p@ss:w/rd s3cret";
pub const MD5_PASSWORD: &str = "md5-s3cret";
pub const TLS_ONLY_PASSWORD: &str = "tls-only-s3cret";

pub struct Servers {
    pub dir: PathBuf,
    /// `ca.crt`, `other-ca.crt`, `client.crt`, `client.key` (0600), `empty.crl`, `revoked.crl`.
    pub certs: PathBuf,
    _shells: Vec<Child>,
}

impl Servers {
    pub fn cert(&self, name: &str) -> String {
        self.certs.join(name).display().to_string()
    }
}

static SERVERS: OnceLock<Result<Servers, String>> = OnceLock::new();

pub fn servers() -> &'static Servers {
    match SERVERS.get_or_init(|| start().map_err(|e| format!("{e:#}"))) {
        Ok(s) => s,
        Err(e) => panic!("starting the config tests' servers: {e}"),
    }
}

fn start() -> anyhow::Result<Servers> {
    use anyhow::Context;
    let dir = crate::support::root().join("config-servers");
    fs::set_permissions(crate::support::root(), fs::Permissions::from_mode(0o755))?;
    let certs = dir.join("certs");
    fs::create_dir_all(&certs)?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))?;
    make_certificates(&certs)?;
    // The test cluster's major: a proof or dry run against these servers makes its copy there.
    let bins = accrete::pg::find_binaries(Some(crate::support::cluster().major))?;
    let user = nix::unistd::User::from_name("postgres")?.context("no OS user postgres")?;
    let tls_dir = dir.join("tls");
    let plain_dir = dir.join("plain");
    for d in [&tls_dir, &plain_dir] {
        fs::create_dir_all(d)?;
        chown(d, Some(user.uid.as_raw()), Some(user.gid.as_raw()))?;
    }
    let as_postgres = |program: &Path| {
        let mut cmd = Command::new(program);
        cmd.uid(user.uid.as_raw()).gid(user.gid.as_raw()).env_remove("PGDATA");
        cmd
    };
    let data = tls_dir.join("data");
    run(as_postgres(&bins.tool("initdb"))
        .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "-D"])
        .arg(&data))?;
    run(as_postgres(Path::new("cp")).arg("-a").arg(&data).arg(plain_dir.join("data")))?;
    for name in ["server.crt", "server.key", "ca.crt"] {
        let target = data.join(name);
        fs::copy(certs.join(name), &target)?;
        chown(&target, Some(user.uid.as_raw()), Some(user.gid.as_raw()))?;
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600))?;
    }
    configure(&data, TLS_PORT.get(), &tls_dir, true)?;
    configure(&plain_dir.join("data"), PLAIN_PORT.get(), &plain_dir, false)?;
    let mut shells = Vec::new();
    for (server_dir, port) in [(&tls_dir, TLS_PORT.get()), (&plain_dir, PLAIN_PORT.get())] {
        let script = r#""$1" -D "$2" >"$3" 2>&1 & pid=$!; read _; kill -INT $pid; wait $pid"#;
        let mut shell = as_postgres(Path::new("sh"));
        shell.args(["-c", script, "pg-config-test"]).arg(bins.tool("postgres")).arg(server_dir.join("data"));
        shell.arg(server_dir.join("server.log")).stdin(Stdio::piped()).stdout(Stdio::null());
        shells.push(shell.spawn().context("starting postgres")?);
        wait_ready(&server_dir.join("data"), port)?;
    }
    let roles = format!(
        "SET password_encryption = 'scram-sha-256';
         CREATE ROLE scram_user LOGIN PASSWORD '{SCRAM_PASSWORD}';
         CREATE ROLE tls_only LOGIN PASSWORD '{TLS_ONLY_PASSWORD}';
         CREATE ROLE certuser LOGIN;
         SET password_encryption = 'md5';
         CREATE ROLE md5_user LOGIN PASSWORD '{MD5_PASSWORD}';"
    );
    execute(&tls_dir, TLS_PORT.get(), &[&roles, "CREATE DATABASE app"])?;
    let role = format!("CREATE ROLE scram_user LOGIN PASSWORD '{SCRAM_PASSWORD}'");
    execute(&plain_dir, PLAIN_PORT.get(), &[&role, "CREATE DATABASE app"])?;
    Ok(Servers { dir, certs, _shells: shells })
}

/// Runs `statements` as `postgres` over the Unix socket, on a runtime of its own (the caller may be
/// inside one).
fn execute(socket_dir: &Path, port: u16, statements: &[&str]) -> anyhow::Result<()> {
    let params = accrete::conn::ConnParams::unix_socket(socket_dir, port, "postgres", "postgres");
    let statements: Vec<String> = statements.iter().map(|s| s.to_string()).collect();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            let conn = accrete::conn::connect(&params, "accrete-test-setup").await?;
            for sql in &statements {
                conn.client.batch_execute(sql).await?;
            }
            Ok(())
        })
    })
    .join()
    .map_err(|_| anyhow::anyhow!("the setup thread panicked"))?
}

fn configure(data: &Path, port: u16, socket_dir: &Path, tls: bool) -> anyhow::Result<()> {
    let mut conf = fs::OpenOptions::new().append(true).open(data.join("postgresql.conf"))?;
    writeln!(
        conf,
        "\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\nfsync = off\n\
         max_connections = 40\nlogging_collector = off\nlog_connections = on",
        socket_dir.display()
    )?;
    if tls {
        writeln!(
            conf,
            "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'ca.crt'"
        )?;
    }
    let hba = "\
local all all trust
hostssl all certuser 127.0.0.1/32 cert
hostnossl all tls_only 127.0.0.1/32 reject
host all md5_user 127.0.0.1/32 md5
host all all 127.0.0.1/32 scram-sha-256
";
    fs::write(data.join("pg_hba.conf"), hba)?;
    Ok(())
}

/// Until `postmaster.pid` says `ready` (line 8).
fn wait_ready(data: &Path, port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = fs::read_to_string(data.join("postmaster.pid")).unwrap_or_default();
        if status.lines().nth(7).is_some_and(|l| l.trim() == "ready") {
            return Ok(());
        }
        if Instant::now() > deadline {
            let log = fs::read_to_string(data.parent().unwrap().join("server.log")).unwrap_or_default();
            anyhow::bail!("the server on port {port} did not become ready:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A CA, another CA, a server certificate for localhost and 127.0.0.1, a client certificate for
/// `certuser` (all EC P-256), and revocation lists.
fn make_certificates(dir: &Path) -> anyhow::Result<()> {
    let openssl = |args: &[&str]| run(Command::new("openssl").current_dir(dir).args(args));
    for (name, cn) in [("ca", "accrete test CA"), ("other-ca", "another CA")] {
        let subject = format!("/CN={cn}");
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
            "-days",
            "3",
            "-subj",
            &subject,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ])?;
    }
    let leaves = [
        ("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth"),
        ("client", "certuser", "extendedKeyUsage=clientAuth"),
    ];
    for (name, cn, ext) in leaves {
        let ext_file = format!("{name}.ext");
        fs::write(
            dir.join(&ext_file),
            format!("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n{ext}\n"),
        )?;
        openssl(&[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/CN={cn}"),
        ])?;
        openssl(&[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &format!("{name}.crt"),
            "-days",
            "3",
            "-extfile",
            &ext_file,
        ])?;
        fs::set_permissions(dir.join(format!("{name}.key")), fs::Permissions::from_mode(0o600))?;
    }
    revocation_lists(dir)
}

/// `empty.crl` (revokes nothing) and `revoked.crl` (revokes the server certificate), both from the CA.
fn revocation_lists(dir: &Path) -> anyhow::Result<()> {
    let config = "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\ncrlnumber = crlnumber\n\
                  default_md = sha256\ndefault_crl_days = 3\n";
    fs::write(dir.join("ca.cnf"), config)?;
    fs::write(dir.join("index.txt"), "")?;
    fs::write(dir.join("crlnumber"), "01\n")?;
    let ca = |args: &[&str]| {
        let base = ["ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.crt"];
        run(Command::new("openssl").current_dir(dir).args(base).args(args))
    };
    ca(&["-gencrl", "-out", "empty.crl"])?;
    ca(&["-revoke", "server.crt"])?;
    ca(&["-gencrl", "-out", "revoked.crl"])
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let out = cmd.output().map_err(|e| anyhow::anyhow!("running {cmd:?}: {e}"))?;
    if !out.status.success() {
        anyhow::bail!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}
