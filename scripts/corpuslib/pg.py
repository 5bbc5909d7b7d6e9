"""PostgreSQL for the corpus runner: finding server binaries, a throwaway cluster, and psql.

Role: everything that talks to PostgreSQL other than accrete itself.

Invariants:
- Binaries are searched the way accrete searches them (`ACCRETE_PG_BIN`, `pg_config --bindir`, `PATH`, then
  `/usr/lib/postgresql/<major>/bin`, `/usr/pgsql-<major>/bin`, `/opt/pg-versions/<major>/bin`; highest major of
  14 to 18 first), so by default the runner measures the major accrete would pick.
- The cluster lives in one directory the runner owns, listens on a unix socket there only, trusts local
  connections, and runs as the `postgres` OS user when the runner is root (initdb and postgres refuse root).
  `Cluster.stop` is idempotent and is called from a `finally` and from signal handlers.
- psql always runs with `-X` (no ~/.psqlrc) and `ON_ERROR_STOP=1`.
"""

import os
import re
import shutil
import subprocess
import time

PROGRAMS = ("postgres", "initdb", "pg_ctl")
PACKAGE_DIRS = ("/usr/lib/postgresql/{}/bin", "/usr/pgsql-{}/bin", "/opt/pg-versions/{}/bin")
SUPPORTED = range(18, 13, -1)


def version_of(bindir):
    """(major, version) reported by `postgres --version` in bindir, or None."""
    if not all(os.access(os.path.join(bindir, p), os.X_OK) for p in PROGRAMS):
        return None
    try:
        out = subprocess.run([os.path.join(bindir, "postgres"), "--version"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"\(PostgreSQL\)\s+((\d+)\S*)", out)
    return (int(m.group(2)), m.group(1)) if m else None


def _candidates(major):
    out = []
    for var in (f"ACCRETE_PG_BIN_{major}", "ACCRETE_PG_BIN"):
        if os.environ.get(var):
            out.append(os.environ[var])
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out.append(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                      timeout=30).stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if d and os.path.isfile(os.path.join(d, "postgres")):
            out.append(d)
    out.extend(t.format(major) for t in PACKAGE_DIRS)
    return out


def find_bindir(explicit=None):
    """(bindir, major, version): `explicit`, else the highest supported major found."""
    if explicit:
        found = version_of(explicit)
        if not found:
            raise SystemExit(f"corpus: --pg-bin {explicit} does not hold postgres, initdb and pg_ctl")
        return explicit, found[0], found[1]
    for major in SUPPORTED:
        for d in _candidates(major):
            found = version_of(d)
            if found and found[0] == major:
                return d, major, found[1]
    raise SystemExit("corpus: no PostgreSQL 14-18 server binaries found; pass --pg-bin DIR")


def find_psql(bindir):
    """psql next to the server binaries, else the one on PATH."""
    here = os.path.join(bindir, "psql")
    if os.access(here, os.X_OK):
        return here
    on_path = shutil.which("psql")
    if not on_path:
        raise SystemExit("corpus: no psql found (neither in --pg-bin nor on PATH)")
    return on_path


class Cluster:
    """A throwaway cluster in `directory` on `port` (unix socket only)."""

    def __init__(self, bindir, major, directory, port, os_user="postgres"):
        self.bindir, self.major, self.dir, self.port = bindir, major, directory, port
        self.data = os.path.join(directory, "data")
        self.os_user = os_user if os.geteuid() == 0 else None
        self.running = False
        self.locale = None

    def _as_user(self, argv):
        return ["runuser", "-u", self.os_user, "--", *argv] if self.os_user else argv

    def url(self, db, user="postgres"):
        return f"postgresql://{user}@/{db}?host={self.dir}&port={self.port}"

    def start(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._pg_ctl_stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        if self.os_user:
            shutil.chown(self.dir, user=self.os_user)
        log = os.path.join(self.dir, "initdb.log")
        for locale in ("C.UTF-8", "C"):
            shutil.rmtree(self.data, ignore_errors=True)
            with open(log, "w") as f:
                rc = subprocess.run(self._as_user([os.path.join(self.bindir, "initdb"), "-D", self.data, "-U",
                                                   "postgres", "-A", "trust", "-E", "UTF8", f"--locale={locale}",
                                                   "--no-sync"]), stdout=f, stderr=subprocess.STDOUT).returncode
            if rc == 0:
                self.locale = locale
                break
        else:
            raise SystemExit(f"corpus: initdb failed, see {log}")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write("\n# corpus runner\nlisten_addresses = ''\n"
                       f"unix_socket_directories = '{self.dir}'\nfsync = off\nsynchronous_commit = off\n"
                       "full_page_writes = off\nmax_connections = 100\n")
        server_log = os.path.join(self.dir, "server.log")
        rc = subprocess.run(self._as_user([os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-l", server_log,
                                           "-w", "-t", "60", "-o", f"-p {self.port} -k {self.dir}", "start"]),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if rc.returncode != 0:
            raise SystemExit(f"corpus: the server did not start ({rc.stderr.strip()}), see {server_log}")
        self.running = True

    def stop_command(self):
        return self._as_user([os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "-t", "60",
                              "stop"])

    def _pg_ctl_stop(self):
        subprocess.run(self.stop_command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        if self.running:
            self.running = False
            self._pg_ctl_stop()


class Psql:
    """psql against one cluster."""

    def __init__(self, psql, cluster):
        self.psql, self.cluster = psql, cluster

    def run_file(self, db, path, variables=(), timeout=900, user="postgres"):
        """Runs a file the way the load check did (cwd = its folder). Returns (ok, first error, seconds)."""
        argv = [self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        for var in variables:
            argv += ["-v", var]
        argv += ["-d", self.cluster.url(db, user), "-f", os.path.basename(path)]
        start = time.monotonic()
        try:
            r = subprocess.run(argv, cwd=os.path.dirname(path), capture_output=True, text=True,
                               timeout=timeout, env=_psql_env())
        except subprocess.TimeoutExpired:
            return False, f"timeout after {timeout}s", time.monotonic() - start
        errors = [line for line in r.stderr.splitlines() if "ERROR" in line or "error:" in line]
        return r.returncode == 0, (errors[0] if errors else r.stderr.strip()[:300]), time.monotonic() - start

    def run_sql(self, db, sql, user="postgres", timeout=300, check=True):
        """Runs SQL text from stdin; returns (rc, stdout, stderr)."""
        argv = [self.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.cluster.url(db, user)]
        r = subprocess.run(argv, input=sql, capture_output=True, text=True, timeout=timeout, env=_psql_env())
        if check and r.returncode != 0:
            raise RuntimeError(f"psql on {db}: {r.stderr.strip()}")
        return r.returncode, r.stdout, r.stderr

    def create_db(self, name):
        self.run_sql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);\nCREATE DATABASE "{name}";\n')

    def drop_db(self, name):
        self.run_sql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);\n', check=False)

    def available_extensions(self):
        return set(self.run_sql("postgres", "SELECT name FROM pg_available_extensions;\n")[1].split())

    def server_version(self):
        return self.run_sql("postgres", "SHOW server_version;\n")[1].strip()


def _psql_env():
    """The environment without PG* variables that would redirect psql elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGCONNECT_TIMEOUT"] = "10"
    return env
