//! The desired state loaded once and kept, for many targets of one major ([`crate::fleet`]): the scratch
//! database stays open while each target's live texts are aligned to it ([`Shared::desired_for`]), and
//! for a schema per tenant the template schema is renamed to each tenant's name there and inspected
//! again, so that PostgreSQL itself prints every expression, default and view with the tenant's schema.
//!
//! Invariants: as [`super::desired`]'s (the files run once, confined, in a sandbox dropped by
//! [`Shared::close`] or a signal); the result for a target depends only on (sources, stubs, major, the
//! tenant's schema name).

use super::{Desired, Options, canonical, load, own_default_privileges, roles, sandbox};
use crate::catalog::{Catalog, quote_ident};
use crate::conn::{Connection, connect};
use crate::external::Stub;
use crate::inspect::{self, ServerInfo};
use crate::scope::Scope;
use crate::source::Source;
use anyhow::{Context, Result};
use std::collections::BTreeSet;

/// A loaded scratch database and the desired catalog inspected from it.
pub struct Shared {
    sandbox: sandbox::Sandbox,
    admin: Connection,
    loader: Connection,
    catalog: Catalog,
    scratch_user: String,
    event_triggers: Vec<(String, crate::catalog::FiringState)>,
    normalized_on: String,
    /// The template schema and the name it has in the scratch database now, once renamed to a tenant's.
    renamed: Option<(String, String)>,
}

/// A tenant to compare as the template: the template's name, the tenant's, and the tenant's scope.
pub struct AsTenant<'a> {
    pub template: &'a str,
    pub tenant: &'a str,
    pub scope: &'a Scope,
}

impl Shared {
    /// Loads `source` (with `stubs`) into a new scratch database for targets like `target` (its major,
    /// encoding and locale); `live_roles`: the roles the files may mention that the targets have.
    pub async fn open(
        source: &Source,
        stubs: &[Stub],
        target: &ServerInfo,
        live_roles: &BTreeSet<String>,
        args: &Options,
        scope: &Scope,
    ) -> Result<Shared> {
        let own_cluster = args.dev_url.is_none();
        let admin_params = match &args.dev_url {
            Some(url) => crate::conn::params_from_string(url, &crate::conn::process_env)
                .context("reading --dev-url")?,
            None => super::scratch_server(target.major, args.allow_version_mismatch).await?,
        };
        if own_cluster {
            roles::create_mentioned(&admin_params, source, live_roles).await?;
        }
        let words = roles::words(source);
        let sandbox = sandbox::open(
            &admin_params,
            own_cluster,
            &target.encoding,
            &target.lc_collate,
            &target.lc_ctype,
            &words,
        )
        .await?;
        match Self::load(&sandbox, source, stubs, scope, args).await {
            Ok((admin, loader, catalog, scratch_user, event_triggers, normalized_on)) => Ok(Shared {
                sandbox,
                admin,
                loader,
                catalog,
                scratch_user,
                event_triggers,
                normalized_on,
                renamed: None,
            }),
            Err(e) => {
                sandbox.close().await;
                Err(e)
            }
        }
    }

    #[allow(clippy::type_complexity)]
    async fn load(
        sandbox: &sandbox::Sandbox,
        source: &Source,
        stubs: &[Stub],
        scope: &Scope,
        args: &Options,
    ) -> Result<(Connection, Connection, Catalog, String, Vec<(String, crate::catalog::FiringState)>, String)>
    {
        let admin = connect(&sandbox.admin_params(), "accrete/normalize").await?;
        admin
            .client
            .batch_execute(&crate::session::set_batch())
            .await
            .context("pinning the admin session")?;
        let mut conn = sandbox.connect_loader().await?;
        let confinement = load::Confinement {
            admin: &admin,
            loader: sandbox.loader.clone(),
            statement_timeout: args.statement_timeout,
            load_timeout: args.load_timeout,
        };
        let report = load::load_confined(&mut conn, source, stubs, scope, Some(confinement))
            .await
            .map_err(anyhow::Error::new)?;
        let event_triggers: Vec<(String, crate::catalog::FiringState)> =
            report.event_triggers.iter().map(|(n, s)| (n.clone(), *s)).collect();
        let (catalog, user, version) = inspect_settled(&conn, scope, &event_triggers).await?;
        Ok((admin, conn, catalog, user, event_triggers, format!("PostgreSQL {version}")))
    }

    /// The desired catalog for one target (`live`, whose equivalent texts are aligned to it): the loaded one,
    /// or for a tenant the template renamed to the tenant's schema and inspected again.
    pub async fn desired_for(
        &mut self,
        target: &ServerInfo,
        tenant: Option<AsTenant<'_>>,
        live: &mut Catalog,
    ) -> Result<Desired> {
        let mut catalog = match tenant {
            None => {
                // The desired tables under their own names again, for the alignment below.
                if let Some((template, now)) = self.renamed.clone() {
                    self.rename(&now, &template).await?;
                    self.renamed = None;
                }
                self.catalog.clone()
            }
            Some(t) => {
                let now =
                    self.renamed.as_ref().map_or_else(|| t.template.to_string(), |(_, now)| now.clone());
                self.rename(&now, t.tenant).await?;
                self.renamed = Some((t.template.to_string(), t.tenant.to_string()));
                inspect_settled(&self.loader, t.scope, &self.event_triggers).await?.0
            }
        };
        own_default_privileges(&mut catalog, &self.scratch_user, &target.current_user);
        canonical::align_live(&self.loader.client, &catalog, live).await?;
        // `settled` serves only the snapshot, which is written from a normalization of its own.
        Ok(Desired {
            catalog,
            normalized_on: self.normalized_on.clone(),
            settled: Vec::new(),
            scratch_user: self.scratch_user.clone(),
        })
    }

    async fn rename(&self, from: &str, to: &str) -> Result<()> {
        if from == to {
            return Ok(());
        }
        let sql = format!("ALTER SCHEMA {} RENAME TO {}", quote_ident(from), quote_ident(to));
        self.admin
            .client
            .batch_execute(&sql)
            .await
            .with_context(|| format!("renaming the template schema {from} in the scratch database"))
    }

    /// Drops the scratch database and its role.
    pub async fn close(self) {
        drop(self.loader);
        drop(self.admin);
        self.sandbox.close().await;
    }
}

/// Inspects the scratch database in `scope`, gives event triggers the state the files declare, and settles
/// the expression texts: the catalog, the scratch session's user and the server's version.
async fn inspect_settled(
    conn: &Connection,
    scope: &Scope,
    event_triggers: &[(String, crate::catalog::FiringState)],
) -> Result<(Catalog, String, String)> {
    let inspected =
        inspect::inspect(&conn.client, scope).await.context("inspecting the normalized schema")?;
    let mut catalog = inspected.catalog;
    for (name, state) in event_triggers {
        if let Some(trigger) = catalog.event_triggers.get_mut(name) {
            trigger.enabled = *state;
        }
    }
    canonical::settle_desired(&conn.client, &mut catalog).await?;
    Ok((catalog, inspected.server.current_user, inspected.server.version))
}
