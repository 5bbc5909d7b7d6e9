//! Comparing two catalogs: the desired one (normalized through PostgreSQL) and the live one.
//!
//! The result is a [`Comparison`]: the [`Change`]s that the add class can make (pure data, no SQL: rendering
//! happens once, in `plan`), and a report by drift category of everything else. Invariants:
//! - objects match by name first, then by equivalence within a kind (DESIGN rule 2);
//! - nothing is ever renamed or dropped: what the database has and `schema/` does not declare is `extra`,
//!   and a disappeared + appeared pair of the same shape is a likely rename naming both;
//! - a difference that is not an addition is reported with what differs and not planned;
//! - output order is fully determined by names (ordered maps, sorted vectors).

mod alter;
mod code;
mod columns;
mod constraints;
mod conversions;
mod enums;
mod event_triggers;
mod functions;
mod grants;
mod indexes;
mod keyed;
mod kinds;
mod model;
mod objects;
mod partitions;
mod parts;
mod policies;
mod renames;
mod tables;
mod types;
mod views;

pub use constraints::referenced_columns;
pub use conversions::{
    Conversion, explicit_using, type_change_may_fail, type_change_rewrites, type_conversion,
};
pub use enums::temporary_type_name;
pub use grants::{
    merge as merge_privileges, plan_from_initial_privileges, revoke_leaves, words as privilege_words,
};
pub use indexes::temporary_index_name;
pub use model::*;
pub use objects::restart_hazard;
pub use parts::Part;

use crate::catalog::Catalog;
use crate::scope::Scope;

/// Compares `desired` with `live`. Both catalogs are expected to be inspected with the same scope; objects
/// out of `scope` are skipped here as well, so a catalog from another source cannot leak them in.
pub fn compare(desired: &Catalog, live: &Catalog, scope: &Scope) -> Comparison {
    let mut out = Comparison::default();
    objects::compare_schemas(desired, live, scope, &mut out);
    objects::compare_extensions(desired, live, scope, &mut out);
    enums::compare_enums(desired, live, scope, &mut out);
    objects::compare_sequences(desired, live, scope, &mut out);
    kinds::compare_defined_kinds(desired, live, scope, &mut out);
    types::compare_types(desired, live, scope, &mut out);
    functions::compare_functions(desired, live, scope, &mut out);
    kinds::compare_aggregates(desired, live, scope, &mut out);
    tables::compare_tables(desired, live, scope, &mut out);
    views::compare_views(desired, live, scope, &mut out);
    event_triggers::compare_event_triggers(desired, live, scope, &mut out);
    columns::enum_conversions(desired, live, &mut out);
    columns::serial_conversions(desired, live, &mut out);
    columns::dependent_generated_columns(desired, live, &mut out);
    alter::dependent_views(desired, live, &mut out);
    constraints::dependent_foreign_keys(desired, live, &mut out);
    constraints::partitioned_foreign_keys(desired, &mut out);
    partitions::online_partition_indexes(desired, live, &mut out);
    grants::compare_grants(desired, live, scope, &mut out);
    grants::restore_on_recreated(desired, live, &mut out);
    alter::restore_comments(&mut out);
    renames::find_likely_renames(desired, live, &mut out);
    out.unmodeled = live.unmodeled.clone();
    out.finish();
    out
}
