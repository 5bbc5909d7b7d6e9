//! The fleet: `drift`, `plan` and `apply` over a set of targets instead of one. The set is the named
//! targets of `accrete.toml` (and its `targets_file`), the databases `[discover.NAME]` finds on a server,
//! and, with `[tenants]`, the tenant schemas in those databases; a selection (`--target`, `--tag`,
//! `--all`) picks from it and `--shard I/N` keeps a deterministic part of that.
//!
//! Invariants: one target's failure (unreachable, slower than `--timeout`, an error) is that target's
//! outcome and never stops the others; the desired state is normalized once per (major, encoding, locale)
//! for the whole set ([`crate::normalize::Shared`]); a tenant schema is compared as the template, renamed
//! in the scratch database to the tenant's name so that PostgreSQL prints the tenant's names itself; a
//! shard is a pure function of a target's name, so per-shard reports merge into the whole one; names of
//! discovered databases and schemas are untrusted: they reach files only escaped or hashed.

pub mod drift;
mod members;
mod normalizer;
mod report;
pub mod rollout;

pub use crate::config::fleet::{Discover, FleetConfig, Tenants};
pub use drift::drift;
pub use members::{Member, Selection, resolve, selected};
pub use normalizer::DesiredFiles;
pub use rollout::{apply, plan};

use std::future::Future;
use std::time::Duration;

/// How a fleet command runs: how many targets at once, and how long one target may take to answer.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub jobs: usize,
    /// Connecting to and inspecting one target, at most; and, apart, proving its plan.
    pub timeout: Duration,
}

/// `--shard I/N`: the I-th of N parts (1-based), each target in the part its name's hash says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("\"{s}\": write I/N, e.g. 1/3"))?;
        let index: u32 = i.trim().parse().map_err(|_| format!("\"{s}\": I is not a number"))?;
        let count: u32 = n.trim().parse().map_err(|_| format!("\"{s}\": N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("\"{s}\": I must be from 1 to N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the target `name` belongs to this shard: the first 8 bytes of its SHA-256, modulo N.
    pub fn holds(&self, name: &str) -> bool {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(name.as_bytes());
        let n = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// Runs `work` for each member, at most `jobs` at once, the results in the members' order; a terminal
/// shows how many are done.
pub(crate) async fn each<T, F, Fut>(members: &[Member], jobs: usize, what: &str, work: F) -> Vec<T>
where
    F: Fn(Member) -> Fut,
    Fut: Future<Output = T>,
{
    use futures_util::StreamExt;
    let counter = crate::progress::Counter::start(what, members.len());
    let results = futures_util::stream::iter(members.iter().cloned())
        .map(|m| {
            let counter = &counter;
            let fut = work(m);
            async move {
                let out = fut.await;
                counter.inc();
                out
            }
        })
        .buffered(jobs.max(1))
        .collect::<Vec<T>>()
        .await;
    counter.finish();
    results
}

/// A name made safe as one path component: what is not `[A-Za-z0-9_.-]` becomes `_`, and a hash of the
/// name keeps two names apart that would otherwise write the same file.
pub(crate) fn file_stem(name: &str) -> String {
    use sha2::Digest;
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .take(80)
        .collect();
    let digest = sha2::Sha256::digest(name.as_bytes());
    format!("{safe}-{}", &hex::encode(digest)[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_name_once() {
        let names: Vec<String> = (0..300).map(|i| format!("db_{i:03}")).collect();
        let shards: Vec<Shard> = (1..=3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        for name in &names {
            assert_eq!(shards.iter().filter(|s| s.holds(name)).count(), 1, "{name}");
        }
        for s in &shards {
            let n = names.iter().filter(|name| s.holds(name)).count();
            assert!(n > 60, "shard {s:?} holds {n} of 300");
        }
        for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn file_stems_are_one_safe_component() {
        let stem = file_stem("../x/\"y\n");
        assert!(stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'), "{stem}");
        assert_ne!(file_stem("a/b"), file_stem("a_b"));
    }
}
