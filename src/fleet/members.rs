//! Which targets a selection names: named targets, discovered databases and tenant schemas, each a
//! [`Member`] with its name, tags and connection parameters (or why there are none).

use super::Shard;
use crate::config::{FileConfig, TargetConfig};
use crate::conn::{ConnParams, connect};
use crate::scope::{Scope, glob};

/// One target of the fleet.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its name: `NAME` (accrete.toml), `DISCOVER/DATABASE`, or `…/SCHEMA` for a tenant.
    pub name: String,
    pub tags: Vec<String>,
    /// How to connect, or why it cannot be (the message is the target's error).
    pub params: Result<ConnParams, String>,
    /// A tenant's schema, compared as `[tenants] template`.
    pub tenant: Option<String>,
}

impl Member {
    /// The database it is in (tenants of one database share it): `host:port/dbname`.
    pub fn database(&self) -> String {
        match &self.params {
            Ok(p) => format!("{}/{}", p.host_port(), p.dbname),
            Err(_) => self.name.clone(),
        }
    }

    /// Its scope: the project's, or for a tenant the template's turned into the tenant's schema.
    pub fn scope(&self, file: &FileConfig) -> Scope {
        let base = file.scope();
        match (&self.tenant, &file.fleet.tenants) {
            (Some(schema), Some(t)) => tenant_scope(&base, &t.template, schema),
            _ => base,
        }
    }
}

/// The scope of one tenant: its schema alone, and the exclude patterns written for the template applied to
/// it.
pub fn tenant_scope(base: &Scope, template: &str, tenant: &str) -> Scope {
    let exclude = base
        .exclude
        .iter()
        .map(|p| {
            let (kind, name) = p.split_once(':').unwrap_or(("*", p.as_str()));
            match name.strip_prefix(template).filter(|rest| rest.starts_with('.')) {
                Some(rest) => format!("{kind}:{tenant}{rest}"),
                None => p.clone(),
            }
        })
        .collect();
    let mut scope = Scope::new(vec![tenant.to_string()], exclude);
    scope.own_schema = base.own_schema.clone();
    scope
}

/// `--target`, `--tag`, `--all` and `--shard`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub targets: Vec<String>,
    pub tags: Vec<String>,
    pub all: bool,
    pub shard: Option<Shard>,
}

impl Selection {
    /// Whether the command runs over a set of targets rather than one: `--tag`, `--all`, `--shard`, more
    /// than one `--target`, or one that is not a plain named target (discovered, a tenant, or the holder of
    /// tenants).
    pub fn is_fleet(&self, file: &FileConfig) -> bool {
        let tenant_holder =
            |t: &str| file.fleet.tenants.as_ref().is_some_and(|ten| ten.targets.iter().any(|o| o == t));
        self.all
            || !self.tags.is_empty()
            || self.shard.is_some()
            || self.targets.len() > 1
            || self.targets.iter().any(|t| {
                tenant_holder(t)
                    || file.fleet.discover.contains_key(t)
                    || t.split_once('/').is_some_and(|(base, _)| {
                        file.targets.contains_key(base) || file.fleet.discover.contains_key(base)
                    })
            })
    }

    fn names(&self, name: &str, tags: &[String]) -> bool {
        self.all
            || tags.iter().any(|t| self.tags.contains(t))
            || self.targets.iter().any(|t| name == t || name.starts_with(&format!("{t}/")))
    }

    /// Whether a base (a named target or a `[discover]` name) may hold selected members.
    fn may_hold(&self, base: &str, tags: &[String]) -> bool {
        self.names(base, tags) || self.targets.iter().any(|t| t.starts_with(&format!("{base}/")))
    }
}

fn params_of(config: &TargetConfig, what: &str) -> Result<ConnParams, String> {
    let env = &crate::conn::process_env;
    let text = match config {
        TargetConfig::Url(url) => url.clone(),
        TargetConfig::UrlEnv(var) => match env(var).filter(|v| !v.is_empty()) {
            Some(url) => url,
            None => return Err(format!("{what} reads its connection string from {var}, which is not set")),
        },
    };
    crate::conn::params_from_string(&text, env).map_err(|e| format!("in {what}: {e:#}"))
}

/// [`resolve`], refused when the selection names no target at all.
pub async fn selected(
    file: &FileConfig,
    selection: &Selection,
    timeout: std::time::Duration,
) -> anyhow::Result<Vec<Member>> {
    let members = resolve(file, selection, timeout).await;
    if members.is_empty() {
        anyhow::bail!(
            "the selection names no target (see `[targets]`, `[discover]` and `[tenants]` in accrete.toml)"
        );
    }
    Ok(members)
}

/// The members `selection` names, sorted by name: named targets, the databases of `[discover]` servers,
/// and the tenant schemas of `[tenants] targets`, then only those of the shard. Discovery that fails is a
/// member of its own (named for what was being discovered) with that error.
pub async fn resolve(file: &FileConfig, selection: &Selection, timeout: std::time::Duration) -> Vec<Member> {
    let no_tags = Vec::new();
    let mut bases: Vec<Member> = Vec::new();
    for (name, config) in &file.targets {
        let tags = file.fleet.tags.get(name).unwrap_or(&no_tags);
        if selection.may_hold(name, tags) {
            let params = params_of(config, &format!("target \"{name}\""));
            bases.push(Member { name: name.clone(), tags: tags.clone(), params, tenant: None });
        }
    }
    for (name, d) in &file.fleet.discover {
        if !selection.may_hold(name, &d.tags) {
            continue;
        }
        match params_of(&d.server, &format!("[discover.{name}]")) {
            Err(e) => {
                bases.push(Member { name: name.clone(), tags: d.tags.clone(), params: Err(e), tenant: None })
            }
            Ok(server) => match databases(&server, &d.databases, timeout).await {
                Ok(found) => bases.extend(found.into_iter().map(|db| Member {
                    name: format!("{name}/{db}"),
                    tags: d.tags.clone(),
                    params: Ok(server.with_dbname(&db)),
                    tenant: None,
                })),
                Err(e) => bases.push(Member {
                    name: name.clone(),
                    tags: d.tags.clone(),
                    params: Err(format!("discovering databases: {e}")),
                    tenant: None,
                }),
            },
        }
    }
    let mut members = Vec::new();
    for base in bases {
        let holder =
            file.fleet.tenants.as_ref().filter(|t| {
                t.targets.iter().any(|o| base.name == *o || base.name.starts_with(&format!("{o}/")))
            });
        match (holder, &base.params) {
            (Some(t), Ok(params)) => match schemas(params, &t.schemas, timeout).await {
                Ok(found) => members.extend(found.into_iter().map(|schema| Member {
                    name: format!("{}/{schema}", base.name),
                    tags: base.tags.clone(),
                    params: base.params.clone(),
                    tenant: Some(schema),
                })),
                Err(e) => {
                    members.push(Member { params: Err(format!("discovering tenant schemas: {e}")), ..base })
                }
            },
            _ => members.push(base),
        }
    }
    members.retain(|m| selection.names(&m.name, &m.tags));
    // A --target that names nothing is an error of its own, not a silently smaller set.
    for t in &selection.targets {
        if !members.iter().any(|m| m.name == *t || m.name.starts_with(&format!("{t}/"))) {
            let params =
                Err(format!("no target \"{t}\" among the targets, [discover] and [tenants] of accrete.toml"));
            members.push(Member { name: t.clone(), tags: Vec::new(), params, tenant: None });
        }
    }
    if let Some(shard) = selection.shard {
        members.retain(|m| shard.holds(&m.name));
    }
    members.sort_by(|a, b| a.name.cmp(&b.name));
    members
}

/// The databases on the server behind `server` that accept connections and match `pattern`.
async fn databases(
    server: &ConnParams,
    pattern: &str,
    timeout: std::time::Duration,
) -> Result<Vec<String>, String> {
    let names = list(
        server,
        timeout,
        "SELECT datname::text FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1",
    )
    .await?;
    Ok(names.into_iter().filter(|n| glob(pattern, n)).collect())
}

/// The schemas of one database that match `pattern`.
async fn schemas(
    db: &ConnParams,
    pattern: &str,
    timeout: std::time::Duration,
) -> Result<Vec<String>, String> {
    let names = list(db, timeout, "SELECT nspname::text FROM pg_catalog.pg_namespace ORDER BY 1").await?;
    Ok(names.into_iter().filter(|n| glob(pattern, n)).collect())
}

async fn list(params: &ConnParams, timeout: std::time::Duration, sql: &str) -> Result<Vec<String>, String> {
    let work = async {
        let conn = connect(params, "accrete/fleet").await.map_err(|e| format!("{e:#}"))?;
        let rows = conn.client.query(sql, &[]).await.map_err(|e| format!("{e:#}"))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(format!("no answer within {} s (--timeout)", timeout.as_secs_f64())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_is_a_fleet_when_it_can_name_more_than_one_target() {
        let text = "[targets.a]\nurl = \"postgresql://h/a\"\n[targets.b]\nurl = \"postgresql://h/b\"\n\
                    [discover.d]\nurl = \"postgresql://h/x\"\ndatabases = \"*\"\n\
                    [tenants]\ntemplate = \"t\"\nschemas = \"t_*\"\ntargets = [\"b\"]\n";
        let file = crate::config::file::parse(text, std::path::Path::new("accrete.toml")).unwrap();
        let targets = |names: &[&str]| Selection {
            targets: names.iter().map(|n| n.to_string()).collect(),
            ..Default::default()
        };
        assert!(!targets(&["a"]).is_fleet(&file));
        // A typo keeps the single-target path and its message listing the targets.
        assert!(!targets(&["typo"]).is_fleet(&file));
        for fleet in [&["a", "a"][..], &["b"], &["d"], &["d/db1"], &["b/t_1"]] {
            assert!(targets(fleet).is_fleet(&file), "{fleet:?}");
        }
        assert!(Selection { all: true, ..Default::default() }.is_fleet(&file));
        assert!(Selection { tags: vec!["x".into()], ..Default::default() }.is_fleet(&file));
    }

    #[test]
    fn a_tenant_scope_is_its_schema() {
        let base = Scope::new(vec![], vec!["table:tenant.tmp_*".into(), "*:audit.*".into()]);
        let s = tenant_scope(&base, "tenant", "tenant_07");
        assert_eq!(s.schemas, vec!["tenant_07"]);
        assert_eq!(s.exclude, vec!["table:tenant_07.tmp_*", "*:audit.*"]);
    }
}
