//! A table's size estimates and how reports print them.

use serde::{Deserialize, Serialize};

/// The planner's estimates of a table's size (`pg_class.reltuples`; the `relpages` of the table, its TOAST
/// table and its indexes, times the block size), read from the target for reviewers and for hazards graded
/// by size. Never part of a digest: it changes with every write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSize {
    /// Estimated rows (0 when the table was never analyzed).
    pub rows: u64,
    pub bytes: u64,
}

impl TableSize {
    /// `≈1.2M rows, 350 MB`
    pub fn describe(self) -> String {
        format!("≈{} rows, {}", approximate(self.rows), bytes(self.bytes))
    }
}

/// `1.2M`, `35k`, `812`.
pub fn approximate(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{}k", n / 1000),
        1_000_000..=999_999_999 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{:.1}G", n as f64 / 1e9),
    }
}

/// `350 MB`, `8 kB` (PostgreSQL's units, as `pg_size_pretty` names them, powers of 1024).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value >= 10.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
