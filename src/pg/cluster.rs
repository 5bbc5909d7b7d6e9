//! Ensuring that an accrete-managed cluster runs: one code path for the embedded local database, scratch
//! clusters and test clusters.
//!
//! `ensure_cluster(base, major)` holds `<base>/lock` for its whole run, so concurrent callers (threads or
//! processes) end up sharing one server: the first initializes and starts it, the others find it running.
//! A data directory of another major is refused before anything is started.

use anyhow::{Context, Result, bail};
use std::fs::{self, OpenOptions};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::access::{ServerUser, data_location, socket_dir_for, socket_path};
use super::binaries::{PgBinaries, find_binaries};
use super::state::{BaseLock, Running, State, data_dir_major, now_secs, pid_alive, running};
use crate::conn::ConnParams;

/// The superuser `initdb` creates in every accrete-managed cluster.
const SUPERUSER: &str = "postgres";
const LOG_FILE: &str = "server.log";
const INITDB_LOG: &str = "initdb.log";
/// How long `pg_ctl` waits for the server to accept connections, and a stop for it to exit.
const WAIT_SECS: u64 = 60;

/// A running accrete-managed cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub major: u32,
    /// The server version, e.g. `16.4`.
    pub version: String,
    pub port: u16,
    pub socket_dir: PathBuf,
    pub data_dir: PathBuf,
    /// The postmaster's pid.
    pub pid: u32,
    /// The database superuser (trust authentication over the socket).
    pub superuser: String,
    /// The directory with the lock, state and log files.
    pub base_dir: PathBuf,
    pub bin_dir: PathBuf,
    pub log_file: PathBuf,
    /// The OS user the server runs as, when that is not the current user.
    pub server_user: Option<String>,
}

impl Cluster {
    fn from_state(base: &Path, state: &State) -> Cluster {
        Cluster {
            major: state.major,
            version: state.version.clone(),
            port: state.port,
            socket_dir: state.socket_dir.clone(),
            data_dir: state.data_dir.clone(),
            pid: state.pid,
            superuser: state.superuser.clone(),
            base_dir: base.to_path_buf(),
            bin_dir: state.bin_dir.clone(),
            log_file: base.join(LOG_FILE),
            server_user: state.server_user.clone(),
        }
    }

    /// Connection parameters for the superuser and the `postgres` database, over the Unix socket.
    pub fn admin_params(&self) -> ConnParams {
        ConnParams::unix_socket(&self.socket_dir, self.port, &self.superuser, "postgres")
    }

    /// Stops the server (fast shutdown: open sessions are ended), waiting until it has exited. Stopping a
    /// server that is not running succeeds.
    pub fn stop(&self) -> Result<()> {
        let _lock = BaseLock::acquire(&self.base_dir)?;
        stop_server(&self.data_dir)?;
        Ok(())
    }
}

/// Makes sure the cluster in `base_dir` runs PostgreSQL `major`: reuses a running server, else initializes
/// the data directory when there is none and starts it. Returns the cluster and whether it was started now.
pub fn ensure_cluster(base_dir: &Path, major: u32) -> Result<(Cluster, bool)> {
    fs::create_dir_all(base_dir).with_context(|| format!("creating {}", base_dir.display()))?;
    let base = base_dir.canonicalize().with_context(|| format!("resolving {}", base_dir.display()))?;
    let _lock = BaseLock::acquire(&base)?;
    let user = ServerUser::for_current_process()?;
    let previous = State::read(&base)?;
    let data_dir = match &previous {
        Some(state) => state.data_dir.clone(),
        None => data_location(&base, &user)?,
    };
    if let Some(found) = data_dir_major(&data_dir)?
        && found != major
    {
        bail!(
            "{} holds a PostgreSQL {found} cluster, not PostgreSQL {major}; accrete never runs a data \
             directory with another major: ask for major {found}, or stop it and remove {} to start over",
            data_dir.display(),
            base.display()
        );
    }
    let server_user = user.switch.then(|| user.name.clone());
    if let Some(run) = running(&data_dir) {
        let (version, bin_dir) = match &previous {
            Some(s) if s.major == major => (s.version.clone(), s.bin_dir.clone()),
            _ => {
                let bins = find_binaries(Some(major))?;
                (bins.version, bins.dir)
            }
        };
        let state = new_state(major, version, bin_dir, data_dir, run, server_user);
        state.write(&base)?;
        return Ok((Cluster::from_state(&base, &state), false));
    }
    let bins = find_binaries(Some(major))?;
    if data_dir_major(&data_dir)?.is_none() {
        init(&base, &bins, &data_dir, &user)?;
    }
    let port = previous.as_ref().map(|s| s.port).filter(|p| *p != 0).unwrap_or_else(pick_port);
    let run = start(&base, &bins, &data_dir, port, &user)?;
    tracing::info!(data_dir = %data_dir.display(), port, "started PostgreSQL {}", bins.version);
    let state = new_state(major, bins.version, bins.dir, data_dir, run, server_user);
    state.write(&base)?;
    Ok((Cluster::from_state(&base, &state), true))
}

fn new_state(
    major: u32,
    version: String,
    bin_dir: PathBuf,
    data_dir: PathBuf,
    run: Running,
    server_user: Option<String>,
) -> State {
    State {
        major,
        version,
        bin_dir,
        data_dir,
        socket_dir: run.socket_dir,
        port: run.port,
        pid: run.pid,
        superuser: SUPERUSER.to_string(),
        server_user,
        last_used: now_secs(),
    }
}

/// Stops the cluster in `base_dir` if it runs. Returns whether it was running.
pub fn stop_cluster(base_dir: &Path) -> Result<bool> {
    if !base_dir.join(super::state::STATE_FILE).exists() {
        return Ok(false);
    }
    let _lock = BaseLock::acquire(base_dir)?;
    match State::read(base_dir)? {
        Some(state) => stop_server(&state.data_dir),
        None => Ok(false),
    }
}

/// The cluster in `base_dir` when its server runs; never starts one.
pub fn running_cluster(base_dir: &Path) -> Result<Option<Cluster>> {
    let Some(state) = State::read(base_dir)? else { return Ok(None) };
    Ok(running(&state.data_dir).map(|run| {
        let state = State { socket_dir: run.socket_dir, port: run.port, pid: run.pid, ..state };
        Cluster::from_state(base_dir, &state)
    }))
}

/// The major of the cluster in `base_dir` (from its state file, else its data directory), if any.
pub fn recorded_major(base_dir: &Path) -> Result<Option<u32>> {
    match State::read(base_dir)? {
        Some(state) => Ok(Some(state.major)),
        None if base_dir.exists() => {
            data_dir_major(&data_location(base_dir, &ServerUser::for_current_process()?)?)
        }
        None => Ok(None),
    }
}

/// Stops the postmaster of `data_dir` (fast shutdown, then immediate after a timeout). Returns whether one
/// was running. The caller holds the base lock.
pub(crate) fn stop_server(data_dir: &Path) -> Result<bool> {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let Some(pid) = postmaster_pid(data_dir) else { return Ok(false) };
    let pid_t = Pid::from_raw(i32::try_from(pid).context("postmaster pid out of range")?);
    for (signal, wait) in [(Signal::SIGINT, WAIT_SECS), (Signal::SIGQUIT, 10)] {
        match kill(pid_t, signal) {
            Ok(()) => {}
            Err(nix::errno::Errno::ESRCH) => return Ok(true),
            Err(e) => return Err(e).with_context(|| format!("signalling the postmaster (pid {pid})")),
        }
        let deadline = Instant::now() + Duration::from_secs(wait);
        while Instant::now() < deadline {
            if !pid_alive(pid) {
                return Ok(true);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    bail!("the PostgreSQL server in {} (pid {pid}) did not stop", data_dir.display())
}

/// The pid in `data_dir/postmaster.pid`, when that process is alive and is a PostgreSQL server (a stale
/// pid file may name a pid that now belongs to something else, which must never be signalled).
fn postmaster_pid(data_dir: &Path) -> Option<u32> {
    let text = fs::read_to_string(data_dir.join("postmaster.pid")).ok()?;
    let pid: u32 = text.lines().next()?.trim().parse().ok()?;
    (pid_alive(pid) && is_postgres(pid)).then_some(pid)
}

/// Whether process `pid` runs a PostgreSQL server program (by `/proc/<pid>/comm`; true where there is no
/// `/proc`).
fn is_postgres(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/comm")) {
        Ok(comm) => matches!(comm.trim(), "postgres" | "postmaster"),
        Err(_) => !Path::new("/proc/self").exists(),
    }
}

/// A TCP port nobody listens on now. The server does not listen on TCP; the port only names its socket
/// file, but a free one stays usable should someone enable TCP.
fn pick_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(5432)
}

/// `C.UTF-8` when the system has that locale, else `C`.
fn initdb_locale() -> &'static str {
    let listed =
        Command::new("locale").arg("-a").output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    let has =
        listed.map(|l| l.lines().any(|x| matches!(x.trim().to_lowercase().as_str(), "c.utf8" | "c.utf-8")));
    if has.unwrap_or(false) { "C.UTF-8" } else { "C" }
}

fn init(base: &Path, bins: &PgBinaries, data_dir: &Path, user: &ServerUser) -> Result<()> {
    user.own_dir(data_dir)?;
    let mut cmd = user.command(&bins.tool("initdb"));
    cmd.arg("-D").arg(data_dir).args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync"]);
    cmd.arg(format!("--locale={}", initdb_locale()));
    if bins.major >= 14 {
        cmd.arg("--no-instructions");
    }
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {}", bins.tool("initdb").display()))?;
    let log = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    let log_path = base.join(INITDB_LOG);
    fs::write(&log_path, &log).with_context(|| format!("writing {}", log_path.display()))?;
    if !out.status.success() {
        bail!(
            "initdb of {} failed ({}):\n{}",
            data_dir.display(),
            out.status,
            tail(&String::from_utf8_lossy(&log), 20)
        );
    }
    Ok(())
}

fn start(base: &Path, bins: &PgBinaries, data_dir: &Path, port: u16, user: &ServerUser) -> Result<Running> {
    let socket_dir = socket_dir_for(data_dir);
    socket_path(&socket_dir, port)?;
    user.own_dir(&socket_dir)?;
    let log_path = base.join(LOG_FILE);
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .with_context(|| format!("opening {}", log_path.display()))?;
    let options = format!(
        "-p {port} -k '{}' -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c logging_collector=off",
        socket_dir.display()
    );
    let mut cmd = user.command(&bins.tool("pg_ctl"));
    cmd.arg("-D").arg(data_dir).args(["-w", "-t", &WAIT_SECS.to_string(), "-o", &options, "start"]);
    cmd.stdin(Stdio::null()).stdout(log.try_clone().context("duplicating the log file handle")?).stderr(log);
    cmd.process_group(0);
    let status = cmd.status().with_context(|| format!("running {}", bins.tool("pg_ctl").display()))?;
    let log_text = fs::read_to_string(&log_path).unwrap_or_default();
    if !status.success() {
        bail!(
            "starting PostgreSQL in {} failed ({status}); {}:\n{}",
            data_dir.display(),
            log_path.display(),
            tail(&log_text, 20)
        );
    }
    running(data_dir).with_context(|| {
        format!(
            "PostgreSQL in {} started but does not accept connections; see {}",
            data_dir.display(),
            log_path.display()
        )
    })
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
