//! The fleet's part of `accrete.toml`: `tags` of each target (read with the target), `[discover.NAME]`
//! servers whose matching databases are targets, and `[tenants]`, a schema per tenant.

use crate::config::TargetConfig;
use crate::config::file::Located;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// Tags, discovery and tenants, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetConfig {
    /// Each named target's tags (every target has an entry, maybe empty).
    pub tags: BTreeMap<String, Vec<String>>,
    /// `[discover.NAME]`: every database on a server whose name matches a pattern.
    pub discover: BTreeMap<String, Discover>,
    /// `[tenants]`: the files describe one template schema; each matching schema is compared as it.
    pub tenants: Option<Tenants>,
}

/// `[discover.NAME]`: `url` or `url_env` (a server, by any database on it), `databases` (a pattern with `*`
/// wildcards) and `tags`. Each database found is a target named `NAME/DATABASE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discover {
    pub server: TargetConfig,
    pub databases: String,
    pub tags: Vec<String>,
}

/// `[tenants]`: `template` is the schema the files are written for; in each database of `targets` (named
/// targets or `[discover]` names), each schema matching `schemas` is a target named `TARGET/SCHEMA`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenants {
    pub template: String,
    pub schemas: String,
    pub targets: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiscover {
    url: Option<Spanned<String>>,
    url_env: Option<Spanned<String>>,
    databases: Spanned<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTenants {
    template: Spanned<String>,
    schemas: Spanned<String>,
    targets: Spanned<Vec<String>>,
}

const DISCOVER_HELP: &str = "write [discover.NAME] with url_env = \"VARIABLE\" (or url), databases = \"app_*\" \
     and optionally tags = [...]";
const TENANTS_HELP: &str = "write [tenants] with template = \"tenant\" (the schema the files create), schemas = \
     \"tenant_*\" and targets = [\"NAME\"] (targets or [discover] names whose databases hold the tenants)";

/// Validates `[discover]` and `[tenants]` into `fleet` (whose `tags` the caller filled).
pub fn parse(
    fleet: &mut FleetConfig,
    discover: BTreeMap<String, Spanned<RawDiscover>>,
    tenants: Option<Spanned<RawTenants>>,
    targets: &BTreeMap<String, TargetConfig>,
) -> Result<(), Located> {
    for (name, raw) in discover {
        let span = raw.span();
        if targets.contains_key(&name) || name.contains('/') {
            let message = format!("[discover.{name}]: the name is a target's too, or holds a '/'");
            return Err((span, "config-fleet", message, DISCOVER_HELP));
        }
        let RawDiscover { url, url_env, databases, tags } = raw.into_inner();
        let server = crate::config::file::connection_config(&name, url, url_env, span)?;
        if databases.get_ref().is_empty() {
            return Err((databases.span(), "config-fleet", "databases is empty".into(), DISCOVER_HELP));
        }
        fleet.discover.insert(name, Discover { server, databases: databases.into_inner(), tags });
    }
    if let Some(raw) = tenants {
        let RawTenants { template, schemas, targets: owners } = raw.into_inner();
        let bad_name = |n: &str| n.is_empty() || n.len() > 63;
        if bad_name(template.get_ref()) || template.get_ref().contains('*') {
            let message = format!("template \"{}\" is not a schema name", template.get_ref());
            return Err((template.span(), "config-fleet", message, TENANTS_HELP));
        }
        if schemas.get_ref().is_empty() || crate::scope::glob(schemas.get_ref(), template.get_ref()) {
            let message = format!(
                "schemas \"{}\" is empty or matches the template \"{}\" itself",
                schemas.get_ref(),
                template.get_ref()
            );
            return Err((schemas.span(), "config-fleet", message, TENANTS_HELP));
        }
        for owner in owners.get_ref() {
            if !targets.contains_key(owner) && !fleet.discover.contains_key(owner) {
                let message =
                    format!("tenants' target \"{owner}\" is neither a target nor a [discover] name");
                return Err((owners.span(), "config-unknown-target", message, TENANTS_HELP));
            }
        }
        if owners.get_ref().is_empty() {
            return Err((owners.span(), "config-fleet", "targets is empty".into(), TENANTS_HELP));
        }
        fleet.tenants = Some(Tenants {
            template: template.into_inner(),
            schemas: schemas.into_inner(),
            targets: owners.into_inner(),
        });
    }
    Ok(())
}
