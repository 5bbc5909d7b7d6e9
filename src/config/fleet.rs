//! The fleet's part of `accrete.toml` ([`crate::fleet`] uses it): `tags` of each target (read with the target), `[discover.NAME]`
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

#[cfg(test)]
mod tests {
    use crate::config::file::parse;
    use std::path::Path;

    #[test]
    fn tags_discovery_and_tenants_are_read_and_checked() {
        let text = r#"
            [targets.eu]
            url_env = "EU_URL"
            tags = ["prod", "eu"]
            [discover.shards]
            url_env = "SHARDS_URL"
            databases = "shard_*"
            tags = ["prod"]
            [tenants]
            template = "tenant"
            schemas = "tenant_*"
            targets = ["eu"]
        "#;
        let config = parse(text, Path::new("accrete.toml")).unwrap();
        assert_eq!(config.fleet.tags["eu"], vec!["prod", "eu"]);
        assert_eq!(config.fleet.discover["shards"].databases, "shard_*");
        assert_eq!(config.fleet.tenants.as_ref().unwrap().template, "tenant");
        for (bad, code) in [
            ("[tenants]\ntemplate = \"t\"\nschemas = \"t*\"\ntargets = []\n", "config-fleet"),
            (
                "[tenants]\ntemplate = \"t\"\nschemas = \"x_*\"\ntargets = [\"nope\"]\n",
                "config-unknown-target",
            ),
            ("[discover.d]\nurl = \"postgresql://h/db\"\n", "config-missing-key"),
            (
                "[discover.d]\nurl = \"postgresql://u:pw@h/db\"\ndatabases = \"*\"\n",
                "config-password-in-file",
            ),
            ("targets_file = \"no-such-file.toml\"\n", "config-targets-file"),
        ] {
            let err = parse(bad, Path::new("accrete.toml")).unwrap_err();
            assert_eq!(err.code, code, "{bad}: {err}");
        }
    }

    #[test]
    fn a_targets_file_adds_targets_with_their_tags() {
        let dir = std::env::temp_dir().join(format!("accrete-targets-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("targets.toml"), "[targets.b]\nurl = \"postgresql://h/b\"\ntags = [\"t\"]\n")
            .unwrap();
        let text = "targets_file = \"targets.toml\"\n[targets.a]\nurl = \"postgresql://h/a\"\n";
        let config = parse(text, &dir.join("accrete.toml")).unwrap();
        assert_eq!(config.targets.len(), 2);
        assert_eq!(config.fleet.tags["b"], vec!["t"]);
        std::fs::write(dir.join("targets.toml"), "[targets.a]\nurl = \"postgresql://h/a\"\n").unwrap();
        let err = parse(text, &dir.join("accrete.toml")).unwrap_err();
        assert_eq!(
            (err.code, err.path.file_name().unwrap().to_str().unwrap()),
            ("config-duplicate-target", "targets.toml")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
