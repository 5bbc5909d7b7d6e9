//! The `pg` module against real server binaries: the test harness itself, cluster reuse, concurrent
//! starts, refusals, data placement, and scratch databases.

use crate::support;

#[tokio::test]
async fn harness_cluster_serves_fresh_databases() {
    let cluster = support::cluster();
    let a = support::fresh_db("harness a").await;
    let b = support::fresh_db("harness b").await;
    assert_ne!(a.dbname, b.dbname);
    support::exec(&a, "CREATE TABLE t (id int)").await;
    let conn = support::connect(&b).await;
    let row = conn.client.query_one("SELECT count(*) FROM pg_class WHERE relname = 't'", &[]).await.unwrap();
    assert_eq!(row.get::<_, i64>(0), 0);
    let row = conn
        .client
        .query_one("SELECT current_setting('server_version_num')::int / 10000", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, i32>(0) as u32, cluster.major);
    let row = conn.client.query_one("SELECT current_setting('listen_addresses')", &[]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), "");
}

use accrete::pg::{self, Cluster, ensure_cluster, stop_cluster};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// A base directory for one test's own cluster under `/tmp` (reachable by the server's user); on drop
/// (also when the test panics) the cluster is stopped and its base, data and socket directories removed.
struct TempBase {
    base: PathBuf,
}

impl TempBase {
    fn new(name: &str) -> TempBase {
        let dir =
            tempfile::Builder::new().prefix(&format!("accrete-pgtest-{name}-")).tempdir_in("/tmp").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        TempBase { base: dir.keep() }
    }

    fn within(base: PathBuf) -> TempBase {
        TempBase { base }
    }
}

impl Drop for TempBase {
    fn drop(&mut self) {
        let state = std::fs::read_to_string(self.base.join("state.json")).ok();
        let _ = stop_cluster(&self.base);
        if let Some(state) = state.and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok()) {
            for key in ["data_dir", "socket_dir"] {
                if let Some(dir) = state[key].as_str() {
                    let _ = std::fs::remove_dir_all(dir);
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

fn major() -> u32 {
    support::cluster().major
}

async fn server_version(cluster: &Cluster) -> String {
    let conn = support::connect(&cluster.admin_params()).await;
    conn.client.query_one("SHOW server_version", &[]).await.unwrap().get(0)
}

/// Field `n` (1-based, as in proc(5)) of `/proc/<pid>/stat`.
fn proc_stat_field(pid: u32, n: usize) -> i64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    after_name.split(' ').nth(n - 3).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_second_ensure_reuses_the_running_server_and_a_stopped_one_restarts() {
    let tmp = TempBase::new("reuse");
    let (first, started) = ensure_cluster(&tmp.base, major()).unwrap();
    assert!(started);
    assert!(server_version(&first).await.starts_with(&first.version), "{}", first.version);
    let (second, started_again) = ensure_cluster(&tmp.base, major()).unwrap();
    assert!(!started_again);
    assert_eq!((second.pid, second.port, &second.socket_dir), (first.pid, first.port, &first.socket_dir));
    first.stop().unwrap();
    assert!(!stop_cluster(&tmp.base).unwrap(), "already stopped");
    let (third, restarted) = ensure_cluster(&tmp.base, major()).unwrap();
    assert!(restarted);
    assert_ne!(third.pid, first.pid);
    assert_eq!(third.port, first.port, "the port is kept across restarts");
    assert_eq!(third.data_dir, first.data_dir);
    server_version(&third).await;
    assert!(stop_cluster(&tmp.base).unwrap());
}

#[tokio::test]
async fn the_postmaster_runs_in_its_own_session_with_a_short_socket_path() {
    let long = "x".repeat(150);
    let tmp = TempBase::new("session");
    let base = tmp.base.join(&long);
    let (cluster, _) = ensure_cluster(&base, major()).unwrap();
    let socket = cluster.socket_dir.join(format!(".s.PGSQL.{}", cluster.port));
    assert!(socket.as_os_str().len() <= pg::MAX_SOCKET_PATH, "{}", socket.display());
    assert!(socket.exists());
    let pid = cluster.pid;
    assert_eq!(proc_stat_field(pid, 6), i64::from(pid), "session id is the postmaster's own");
    assert_ne!(proc_stat_field(pid, 5), proc_stat_field(std::process::id(), 5), "another process group");
    server_version(&cluster).await;
    drop(TempBase::within(base));
}

#[test]
fn concurrent_ensures_share_one_server() {
    let tmp = TempBase::new("concurrent");
    let major = major();
    let results: Vec<(Cluster, bool)> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            (0..3).map(|_| scope.spawn(|| ensure_cluster(&tmp.base, major).unwrap())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|(_, started)| *started).count(), 1);
    assert!(results.iter().all(|(c, _)| c.pid == results[0].0.pid && c.port == results[0].0.port));
}

#[test]
fn a_data_directory_of_another_major_is_refused() {
    let tmp = TempBase::new("othermajor");
    let other = if major() == 18 { 17 } else { major() + 1 };
    let data = tmp.base.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("PG_VERSION"), format!("{other}\n")).unwrap();
    let err = format!("{:#}", ensure_cluster(&tmp.base, major()).unwrap_err());
    assert!(
        err.contains(&format!("holds a PostgreSQL {other} cluster, not PostgreSQL {}", major())),
        "{err}"
    );
    assert!(!tmp.base.join("state.json").exists());
    assert_eq!(pg::recorded_major(&tmp.base).unwrap(), Some(other));
}

#[tokio::test]
async fn data_behind_a_0700_parent_moves_where_the_server_user_reaches_it() {
    let private = tempfile::Builder::new().prefix("accrete-pgtest-private-").tempdir_in("/tmp").unwrap();
    std::fs::set_permissions(private.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let tmp = TempBase::within(private.path().join("project"));
    let (cluster, started) = ensure_cluster(&tmp.base, major()).unwrap();
    assert!(started);
    if nix::unistd::Uid::effective().is_root() {
        assert!(!cluster.data_dir.starts_with(private.path()), "{}", cluster.data_dir.display());
        assert_eq!(cluster.server_user.as_deref(), Some("postgres"));
    } else {
        assert_eq!(cluster.data_dir, tmp.base.canonicalize().unwrap().join("data"));
    }
    server_version(&cluster).await;
    let state = std::fs::read_to_string(tmp.base.join("state.json")).unwrap();
    assert!(state.contains(&*cluster.data_dir.to_string_lossy()), "{state}");
}

#[tokio::test]
async fn the_local_database_starts_once_and_stops() {
    let project = TempBase::new("local");
    let (params, cluster, started) = pg::local::ensure(&project.base, None).unwrap();
    let _cleanup = TempBase::within(pg::local::base_dir(&project.base));
    assert!(started);
    assert_eq!(params.dbname, "accrete");
    support::exec(&params, "CREATE TABLE local_check (id int)").await;
    assert!(project.base.join(".accrete/local/state.json").exists());
    assert_eq!(std::fs::read_to_string(project.base.join(".accrete/.gitignore")).unwrap(), "*\n");
    let (again, cluster_again, started_again) = pg::local::ensure(&project.base, None).unwrap();
    assert!(!started_again);
    assert_eq!((again, cluster_again.pid), (params.clone(), cluster.pid));
    assert!(pg::local::stop(&project.base).unwrap());
    assert!(!pg::local::stop(&project.base).unwrap());
    let (params, _, restarted) = pg::local::ensure(&project.base, Some(cluster.major)).unwrap();
    assert!(restarted);
    let conn = support::connect(&params).await;
    conn.client.query_one("SELECT count(*) FROM local_check", &[]).await.unwrap();
}

#[tokio::test]
async fn scratch_databases_fall_back_to_an_available_locale_and_drop_with_sessions_open() {
    let admin = support::cluster().admin_params();
    let name = support::db_name("scratch locale");
    let params = pg::create_database(&admin, &name, "UTF8", "xx_NOPE.UTF-8", "xx_NOPE.UTF-8").await.unwrap();
    let conn = support::connect(&params).await;
    let row = conn
        .client
        .query_one("SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()", &[])
        .await
        .unwrap();
    let (collate, ctype): (String, String) = (row.get(0), row.get(1));
    assert_eq!(collate, ctype);
    assert!(["C.UTF-8", "C"].contains(&collate.as_str()), "{collate}");
    let exact = pg::create_database(&admin, &support::db_name("scratch c"), "UTF8", "C", "C").await.unwrap();
    pg::drop_database(&admin, &exact.dbname).await.unwrap();
    pg::drop_database(&admin, &name).await.unwrap();
    let admin_conn = support::connect(&admin).await;
    let left = admin_conn
        .client
        .query_one(
            "SELECT count(*) FROM pg_database WHERE datname = ANY($1)",
            &[&vec![name.clone(), exact.dbname.clone()]],
        )
        .await
        .unwrap();
    assert_eq!(left.get::<_, i64>(0), 0);
    assert!(conn.client.query_one("SELECT 1", &[]).await.is_err(), "the open session was ended");
    pg::drop_database(&admin, &name).await.unwrap();
}

#[test]
fn binaries_of_the_running_major_are_found_and_listed() {
    let found = pg::find_binaries(Some(major())).unwrap();
    assert_eq!(found.major, major());
    assert!(found.tool("initdb").exists());
    assert!(pg::available_majors().contains(&major()));
    let err = format!("{:#}", pg::find_binaries(Some(12)).unwrap_err());
    assert!(err.contains("not supported"), "{err}");
}
