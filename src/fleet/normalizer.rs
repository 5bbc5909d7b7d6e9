//! The desired state for a whole fleet: loaded once per (major, encoding, locale) into a scratch database
//! that stays open while the targets are compared ([`crate::normalize::Shared`]).

use super::Member;
use crate::config::FileConfig;
use crate::external::Stub;
use crate::inspect::ServerInfo;
use crate::normalize::{AsTenant, Desired, Options, Shared};
use crate::source::Source;
use anyhow::{Result, anyhow};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Mutex;

type Key = (u32, String, String, String);
/// One loaded scratch database, or why it could not be loaded (said for every target of its key).
type Slot = Arc<Mutex<Option<Result<Shared, String>>>>;

pub struct Normalizer {
    pub source: Source,
    pub options: Options,
    pub file: FileConfig,
    slots: Mutex<BTreeMap<Key, Slot>>,
}

impl Normalizer {
    pub fn new(source: Source, options: Options, file: FileConfig) -> Normalizer {
        Normalizer { source, options, file, slots: Mutex::new(BTreeMap::new()) }
    }

    /// The desired catalog for `member`, whose live catalog is `live` (aligned to it). The first target of a
    /// key loads the files, with its stubs of the external objects and its roles.
    pub async fn desired(
        &self,
        member: &Member,
        server: &ServerInfo,
        stubs: &[Stub],
        live: &mut crate::catalog::Catalog,
    ) -> Result<Desired> {
        let key = (server.major, server.encoding.clone(), server.lc_collate.clone(), server.lc_ctype.clone());
        let slot = self.slots.lock().await.entry(key).or_default().clone();
        let mut slot = slot.lock().await;
        if slot.is_none() {
            let opened =
                Shared::open(&self.source, stubs, server, &live.roles, &self.options, &self.file.scope())
                    .await;
            *slot = Some(opened.map_err(|e| format!("normalizing the desired state: {e:#}")));
        }
        let shared = match slot.as_mut().expect("filled above") {
            Ok(shared) => shared,
            Err(e) => return Err(anyhow!("{e}")),
        };
        let scope = member.scope(&self.file);
        let tenant = match (&member.tenant, &self.file.fleet.tenants) {
            (Some(schema), Some(t)) => {
                Some(AsTenant { template: &t.template, tenant: schema, scope: &scope })
            }
            _ => None,
        };
        shared.desired_for(server, tenant, live).await
    }

    /// Drops every scratch database.
    pub async fn close(self) {
        for (_, slot) in self.slots.into_inner() {
            if let Ok(mutex) = Arc::try_unwrap(slot)
                && let Some(Ok(shared)) = mutex.into_inner()
            {
                shared.close().await;
            }
        }
    }

    /// How many scratch databases were loaded.
    pub async fn loaded(&self) -> usize {
        self.slots.lock().await.len()
    }
}
