//! What the parts of a table that hold code (triggers, rules, policies) share in a plan: each is found by
//! its table and name in a system catalog of its own, and a trigger or rule has a firing state that an
//! `ALTER TABLE ... ENABLE | DISABLE [REPLICA | ALWAYS]` sets.

use crate::catalog::{FiringState, QualName, quote_ident, quote_literal};
use crate::plan::guards::regclass;
use crate::plan::guards_alter::before_after;

/// Where one kind of part is kept: `pg_trigger` by `tgrelid` and `tgname`.
pub(super) struct Catalog {
    pub table: &'static str,
    pub relation: &'static str,
    pub name: &'static str,
    /// The column of its firing state (`tgenabled`), for triggers and rules.
    pub enabled: &'static str,
    /// What SQL calls it after `ENABLE`, `DROP`, `COMMENT ON` (`TRIGGER`), and its word in messages.
    pub keyword: &'static str,
    pub word: &'static str,
}

impl Catalog {
    /// `SELECT x.oid FROM pg_catalog.<table> x WHERE ...`: the part `name` of `table`.
    pub fn lookup(&self, table: &QualName, name: &str) -> String {
        format!(
            "SELECT x.oid FROM pg_catalog.{} x WHERE x.{} = {} AND x.{} = {}",
            self.table,
            self.relation,
            regclass(table),
            self.name,
            quote_literal(name)
        )
    }

    /// `COMMENT ON` target, current comment expression, and words.
    pub fn comment_target(&self, table: &QualName, name: &str) -> super::CommentTarget {
        (
            format!("{} {} ON {}", self.keyword, quote_ident(name), table.sql()),
            format!("pg_catalog.obj_description(({}), '{}')", self.lookup(table, name), self.table),
            format!("{} {name} on {table}", self.word),
        )
    }

    /// `DROP TRIGGER x ON t`.
    pub fn drop_sql(&self, table: &QualName, name: &str) -> String {
        format!("DROP {} {} ON {}", self.keyword, quote_ident(name), table.sql())
    }

    /// `ALTER TABLE t DISABLE TRIGGER x`, `ALTER TABLE t ENABLE REPLICA RULE r` ...
    pub fn firing_sql(&self, table: &QualName, name: &str, to: FiringState) -> String {
        to.alter_table_sql(self.keyword, table, name)
    }

    /// Its firing state from `from` to `to`, guarded by the state in the catalog.
    pub fn set_firing(
        &self,
        step: usize,
        table: &QualName,
        name: &str,
        from: FiringState,
        to: FiringState,
    ) -> String {
        let current = format!(
            "(SELECT x.{} FROM pg_catalog.{} x WHERE x.{} = {} AND x.{} = {})",
            self.enabled,
            self.table,
            self.relation,
            regclass(table),
            self.name,
            quote_literal(name)
        );
        let object = format!("{} {name} on {table}", self.word);
        before_after(
            step,
            &format!("{current} = '{}'", to.code()),
            &format!("{current} = '{}'", from.code()),
            &format!("{object} is already {}", to.word()),
            &format!("{object} was changed since the plan"),
            &[self.firing_sql(table, name, to)],
        )
    }
}
