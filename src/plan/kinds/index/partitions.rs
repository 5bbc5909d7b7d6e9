//! Guarded SQL for an index added online to a partitioned table that exists (`diff::partitions`): the
//! table's index `ON ONLY` the table, each partition's index built (concurrently) or reused, then attached.
//!
//! Every guard asks first whether the partition already has an index attached to the parent's: then its
//! share is done, whoever did it (a half-done apply, PostgreSQL itself for a partition created since), and
//! the step skips. A partitioned index of the planned definition counts as present whether or not it is
//! valid yet: it is valid only once every partition's index is attached, which the later steps do, so a
//! re-run completes it instead of dropping and building it again.

use super::create_index_concurrently_unless;
use crate::catalog::{Index, QualName};
use crate::diff::PartitionStage;
use crate::plan::guards::{
    Guarded, do_block, execute, fail, index_defined, index_name, invalid_index, skip, to_regclass,
};

/// `CREATE INDEX ... ON ONLY` the partitioned table; an invalid index of another definition under the
/// name (a failed build) is dropped first.
pub(super) fn create_index_only(step: usize, index: &Index) -> String {
    let name = index_name(index);
    let object = format!("index {name}");
    do_block(&format!(
        "  IF {} THEN\n    {}\n  ELSIF {} THEN\n    {}\n    {}\n  ELSIF {} IS NOT NULL THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        index_defined(index, false),
        skip(step, &format!("{object} exists as planned (its partitions are attached by the next steps)")),
        invalid_index(index),
        execute(&format!("DROP INDEX {}", name.sql())),
        execute(&index.create_sql(false, true)),
        to_regclass(&name),
        fail(step, &format!("{object} exists with another definition; accrete does not change it")),
        execute(&index.create_sql(false, true)),
    ))
}

/// One stage of a partition's index.
pub(super) fn partition_index(
    step: usize,
    index: &Index,
    parent: &QualName,
    reused: bool,
    partitioned: bool,
    stage: PartitionStage,
) -> Guarded {
    match stage {
        PartitionStage::Build if partitioned => {
            Guarded { sql: build_only(step, index, parent), transactional: true }
        }
        PartitionStage::Build => {
            Guarded { sql: build_concurrently(step, index, parent), transactional: false }
        }
        PartitionStage::Attach => {
            Guarded { sql: attach(step, index, parent, reused, partitioned), transactional: true }
        }
    }
}

/// The bare statement of a stage, for what a policy did not admit.
pub(super) fn statement(
    index: &Index,
    parent: &QualName,
    partitioned: bool,
    stage: PartitionStage,
) -> String {
    match stage {
        PartitionStage::Build => index.create_sql(!partitioned, partitioned),
        PartitionStage::Attach => attach_sql(index, parent),
    }
}

fn attach_sql(index: &Index, parent: &QualName) -> String {
    format!("ALTER INDEX {} ATTACH PARTITION {}", parent.sql(), index_name(index).sql())
}

/// "The partition already has an index attached to `parent`."
fn attached(index: &Index, parent: &QualName) -> String {
    format!(
        "EXISTS (SELECT FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_index x ON x.indexrelid = h.inhrelid \
         WHERE h.inhparent = {} AND x.indrelid = {})",
        to_regclass(parent),
        to_regclass(&index.table)
    )
}

fn done(step: usize, index: &Index, parent: &QualName) -> String {
    skip(step, &format!("partition {} already has an index attached to {parent}", index.table))
}

/// A sub-partitioned partition's index, `ON ONLY` the partition (its own partitions follow).
fn build_only(step: usize, index: &Index, parent: &QualName) -> String {
    let name = index_name(index);
    let object = format!("index {name}");
    do_block(&format!(
        "  IF {} THEN\n    {}\n  ELSIF {} THEN\n    {}\n  ELSIF {} IS NOT NULL THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        attached(index, parent),
        done(step, index, parent),
        index_defined(index, false),
        skip(step, &format!("{object} exists as planned")),
        to_regclass(&name),
        fail(step, &format!("{object} exists with another definition; accrete does not change it")),
        execute(&index.create_sql(false, true)),
    ))
}

/// A leaf partition's index, built concurrently; a failed build of it (invalid) is dropped first.
fn build_concurrently(step: usize, index: &Index, parent: &QualName) -> String {
    create_index_concurrently_unless(step, index, Some((attached(index, parent), done(step, index, parent))))
}

/// `ALTER INDEX parent ATTACH PARTITION index`, once `index` is there as planned (valid, for a leaf).
fn attach(step: usize, index: &Index, parent: &QualName, reused: bool, partitioned: bool) -> String {
    let name = index_name(index);
    let this_one = format!(
        "EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhparent = {} AND h.inhrelid = {})",
        to_regclass(parent),
        to_regclass(&name)
    );
    let what = if reused { "the partition's own index" } else { "index" };
    do_block(&format!(
        "  IF {this_one} THEN\n    {}\n  ELSIF {} THEN\n    {}\n  ELSIF {} THEN\n    {}\n  ELSE\n    {}\n  END IF;\n",
        skip(step, &format!("index {name} is already attached to {parent}")),
        attached(index, parent),
        fail(
            step,
            &format!(
                "partition {} has another index attached to {parent}; {name} is not attached",
                index.table
            )
        ),
        index_defined(index, !partitioned),
        execute(&attach_sql(index, parent)),
        fail(
            step,
            &format!(
                "{what} {name} is missing, not valid, or has another definition; it cannot be attached to {parent}"
            )
        ),
    ))
}
