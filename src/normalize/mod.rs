//! Normalization: the desired catalog is the schema files loaded into a scratch database of the target's
//! major (accrete's own scratch cluster, or `--dev-url`), then inspected with the same code as the live
//! database, so that both sides are printed by PostgreSQL alike.
//!
//! Invariants: the scratch database is created from `template0` with the target's encoding and locale and
//! dropped afterwards, whatever happened (on `SIGINT`/`SIGTERM` too; a killed run's by the next run); the
//! schema files run as a role that owns it and is not a superuser ([`sandbox`], docs/security.md), within
//! per-statement and whole-load time limits; on a `--dev-url` server nothing but accrete's own
//! `accrete_scratch_*` database and `accrete_loader_*` role is touched; the result depends only on (sources, stubs of the external
//! objects, major): the stubs are read from the target beforehand ([`crate::external::fetch`]) and passed
//! in as a value.

mod canonical;
mod load;
mod privileged;
mod roles;
mod sandbox;
pub use sandbox::{Sandbox, open_copy as open_scratch_copy};
mod shared;
mod stubs;

use crate::catalog::Catalog;
use crate::conn::{ConnParams, connect};
use crate::external::Stub;
use crate::inspect::{self, ServerInfo};
use crate::scope::Scope;
use crate::source::Source;
use anyhow::{Context, Result, bail};
pub use canonical::{Expression, ExpressionKind, align_live};
use load::Confinement;
pub use load::{LoadReport, load_confined, load_statements, load_with_external};
pub use roles::create_mentioned as create_mentioned_roles;
pub use roles::mentioned_and_absent as roles_mentioned_and_absent;
pub use shared::{AsTenant, Shared};
use std::time::{Duration, Instant};

/// The normalized desired state, and what it was normalized on (`PostgreSQL 15.18`).
pub struct Desired {
    pub catalog: Catalog,
    pub normalized_on: String,
    /// The expressions settling changed, with the text PostgreSQL printed after loading (for the snapshot).
    pub settled: Vec<Expression>,
    /// The role the files ran as in the scratch database (a name of this run's own).
    pub scratch_user: String,
}

/// Where to normalize: `--dev-url`, whether another major may stand in for the target's, and how long the
/// schema files may run (`[source] statement_timeout` and `load_timeout`).
#[derive(Debug, Clone)]
pub struct Options {
    pub dev_url: Option<String>,
    pub allow_version_mismatch: bool,
    pub statement_timeout: Duration,
    pub load_timeout: Duration,
    /// Sessions that read the loaded schema's catalog, sharing one snapshot (`inspect_connections`).
    pub inspect_connections: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dev_url: None,
            allow_version_mismatch: false,
            statement_timeout: crate::config::DEFAULT_STATEMENT_TIMEOUT,
            load_timeout: crate::config::DEFAULT_LOAD_TIMEOUT,
            inspect_connections: crate::config::DEFAULT_INSPECT_CONNECTIONS,
        }
    }
}

/// Normalizes `source`, beside `stubs` of the external objects it references; `live` is the target's
/// catalog, whose texts equivalent to the desired ones are aligned to them while the scratch database is at
/// hand ([`canonical`]).
pub async fn desired(
    source: &Source,
    stubs: &[Stub],
    target: &ServerInfo,
    args: &Options,
    scope: &Scope,
    live: &mut Catalog,
) -> Result<Desired> {
    let own_cluster = args.dev_url.is_none();
    let admin = match &args.dev_url {
        Some(url) => {
            crate::conn::params_from_string(url, &crate::conn::process_env).context("reading --dev-url")?
        }
        None => {
            crate::progress::phase(
                "starting the scratch cluster",
                scratch_server(target.major, args.allow_version_mismatch),
            )
            .await?
        }
    };
    if own_cluster {
        let created = roles::create_mentioned(&admin, source, &live.roles).await?;
        if !created.is_empty() {
            tracing::info!(roles = %created.join(", "), "created in the scratch cluster (NOLOGIN)");
        }
    }
    let words = roles::words(source);
    let sandbox =
        sandbox::open(&admin, own_cluster, &target.encoding, &target.lc_collate, &target.lc_ctype, &words)
            .await?;
    let result = crate::progress::phase(
        "normalizing the desired state",
        load_and_inspect(&sandbox, source, stubs, scope, target, live, args),
    )
    .await;
    sandbox.close().await;
    result
}

async fn load_and_inspect(
    sandbox: &sandbox::Sandbox,
    source: &Source,
    stubs: &[Stub],
    scope: &Scope,
    target: &ServerInfo,
    live: &mut Catalog,
    args: &Options,
) -> Result<Desired> {
    let admin = connect(&sandbox.admin_params(), "accrete/normalize").await?;
    admin.client.batch_execute(&crate::session::set_batch()).await.context("pinning the admin session")?;
    let mut conn = sandbox.connect_loader().await?;
    let confinement = Confinement {
        admin: &admin,
        loader: sandbox.loader.clone(),
        statement_timeout: args.statement_timeout,
        load_timeout: args.load_timeout,
    };
    let report = load_confined(&mut conn, source, stubs, scope, Some(confinement))
        .await
        .map_err(anyhow::Error::new)?;
    crate::progress::detail(
        &format!("loading: {} statements in {} passes", report.statements_run, report.passes),
        Some(report.elapsed),
    );
    let started = Instant::now();
    let sessions = inspect::Sessions {
        params: &sandbox.loader_params,
        application: "accrete/normalize",
        role: None,
        connections: args.inspect_connections,
    };
    let inspected = inspect::inspect_shared(&conn.client, scope, &sessions)
        .await
        .context("inspecting the normalized schema")?;
    crate::progress::detail("inspecting the loaded schema", Some(started.elapsed()));
    if inspected.server.major != target.major {
        tracing::warn!(
            "normalized on PostgreSQL {} for a PostgreSQL {} target: expect false drift",
            inspected.server.version,
            target.version
        );
    }
    let mut catalog = inspected.catalog;
    // Event triggers accrete created stay disabled in the scratch database; the files say how they fire.
    for (name, state) in &report.event_triggers {
        if let Some(trigger) = catalog.event_triggers.get_mut(name) {
            trigger.enabled = *state;
        }
    }
    own_default_privileges(&mut catalog, &inspected.server.current_user, &target.current_user);
    let started = Instant::now();
    let settled = canonical::settle_desired(&conn.client, &mut catalog).await?;
    crate::progress::detail(
        &format!("settling: {} expressions changed", settled.len()),
        Some(started.elapsed()),
    );
    let started = Instant::now();
    let aligned = canonical::align_live(&conn.client, &catalog, live).await?;
    crate::progress::detail(&format!("aligning: {aligned} target texts"), Some(started.elapsed()));
    tracing::debug!(settled = settled.len(), aligned, "expression texts settled in the scratch database");
    Ok(Desired {
        catalog,
        normalized_on: format!("PostgreSQL {}", inspected.server.version),
        settled,
        scratch_user: inspected.server.current_user.clone(),
    })
}

/// Default privileges the schema files set without `FOR ROLE` belong to the scratch session's role; on the
/// target they are the planning role's.
pub fn own_default_privileges(catalog: &mut Catalog, scratch_user: &str, target_user: &str) {
    use crate::catalog::GrantOn;
    if scratch_user == target_user {
        return;
    }
    let privileges = std::mem::take(&mut catalog.privileges);
    for (id, mut acl) in privileges {
        match &mut acl.on {
            GrantOn::Default { role, .. } if role == scratch_user => {
                *role = target_user.to_string();
                acl.owner = target_user.to_string();
                catalog.privileges.insert(acl.on.id(), acl);
            }
            _ => {
                catalog.privileges.insert(id, acl);
            }
        }
    }
}

/// The admin parameters of accrete's scratch cluster for `major` (started on demand, reused).
pub(crate) async fn scratch_server(major: u32, allow_mismatch: bool) -> Result<ConnParams> {
    let major = match crate::pg::find_binaries(Some(major)) {
        Ok(_) => major,
        Err(e) if !allow_mismatch => {
            bail!(
                "{e:#}\nthe desired schema is normalized on the target's major version (PostgreSQL {major}) so \
                 that both sides print alike; install its server binaries, name a server with --dev-url, or \
                 pass --allow-version-mismatch to normalize on another major (false drift is likely)"
            )
        }
        Err(_) => {
            crate::pg::find_binaries(None).context("no PostgreSQL server binaries to normalize on")?.major
        }
    };
    let cluster = tokio::task::spawn_blocking(move || crate::pg::scratch::ensure(major))
        .await
        .context("starting the scratch cluster")??;
    Ok(cluster.admin_params())
}
