//! Splitting a `CREATE TABLE` into the table without its foreign keys and one `ALTER TABLE ... ADD` per
//! foreign key, for tables whose foreign keys reference each other inline (a cycle no statement order
//! loads).
//!
//! The pieces are rendered from sqlparser's parse. A foreign key keeps its name when it has one; an unnamed
//! one stays unnamed in `ALTER TABLE ... ADD FOREIGN KEY (column)`, where PostgreSQL chooses the same name
//! it would have chosen inline (`<table>_<column>_fkey`), since the foreign keys are added in the order
//! they were written.

use sqlparser::ast::{
    ColumnOption, CreateTable, ForeignKeyConstraint, ObjectName, Statement, TableConstraint,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// A `CREATE TABLE` taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeySplit {
    /// The `CREATE TABLE` without its foreign keys.
    pub create: String,
    /// One `ALTER TABLE ... ADD [CONSTRAINT name] FOREIGN KEY ...` per foreign key, in written order.
    pub foreign_keys: Vec<String>,
    /// The tables the foreign keys reference, as written.
    pub referenced: Vec<ObjectName>,
}

/// `sql` taken apart, when it parses as one `CREATE TABLE` with at least one foreign key.
pub fn split_foreign_keys(sql: &str) -> Option<ForeignKeySplit> {
    let mut statements = Parser::parse_sql(&PostgreSqlDialect {}, sql).ok()?;
    if statements.len() != 1 {
        return None;
    }
    let Statement::CreateTable(mut table) = statements.pop()? else { return None };
    let keys = take_foreign_keys(&mut table);
    if keys.is_empty() {
        return None;
    }
    let foreign_keys = keys.iter().map(|fk| format!("ALTER TABLE {} ADD {fk}", table.name)).collect();
    let referenced = keys.iter().map(|fk| fk.foreign_table.clone()).collect();
    Some(ForeignKeySplit { create: Statement::CreateTable(table).to_string(), foreign_keys, referenced })
}

/// Removes the foreign keys from `table`, column-level ones as table constraints on their column: the
/// columns' first, in column order, then the table's. (sqlparser keeps columns and table constraints apart,
/// so two unnamed keys on the same columns, one written after the other with a column between, could get
/// each other's `_fkey`/`_fkey1` name.)
fn take_foreign_keys(table: &mut CreateTable) -> Vec<ForeignKeyConstraint> {
    let mut keys = Vec::new();
    for column in &mut table.columns {
        let options = std::mem::take(&mut column.options);
        for def in options {
            match def.option {
                ColumnOption::ForeignKey(fk) => keys.push(ForeignKeyConstraint {
                    name: def.name,
                    columns: vec![column.name.clone()],
                    ..fk
                }),
                option => column.options.push(sqlparser::ast::ColumnOptionDef { option, ..def }),
            }
        }
    }
    let constraints = std::mem::take(&mut table.constraints);
    for constraint in constraints {
        match constraint {
            TableConstraint::ForeignKey(fk) => keys.push(fk),
            other => table.constraints.push(other),
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_unnamed_and_column_level_keys_become_alter_statements() {
        let sql = "CREATE TABLE app.employees (\n  emp_id int PRIMARY KEY,\n  dept_id int,\n  \
                   boss int CONSTRAINT boss_fk REFERENCES app.employees ON DELETE SET NULL,\n  \
                   mentor int REFERENCES \"App\".\"People\" (id) DEFERRABLE INITIALLY DEFERRED,\n  \
                   CONSTRAINT emp_dept_fk FOREIGN KEY (dept_id) REFERENCES app.departments (dept_id),\n  \
                   FOREIGN KEY (dept_id, emp_id) REFERENCES app.pairs (a, b) MATCH FULL,\n  \
                   CHECK (emp_id > 0)\n)";
        let split = split_foreign_keys(sql).expect("splits");
        assert_eq!(
            split.create,
            "CREATE TABLE app.employees (emp_id INT PRIMARY KEY, dept_id INT, boss INT, mentor INT, \
             CHECK (emp_id > 0))"
        );
        assert_eq!(
            split.foreign_keys,
            [
                "ALTER TABLE app.employees ADD CONSTRAINT boss_fk FOREIGN KEY (boss) REFERENCES app.employees \
                 ON DELETE SET NULL",
                "ALTER TABLE app.employees ADD FOREIGN KEY (mentor) REFERENCES \"App\".\"People\"(id) \
                 DEFERRABLE INITIALLY DEFERRED",
                "ALTER TABLE app.employees ADD CONSTRAINT emp_dept_fk FOREIGN KEY (dept_id) REFERENCES \
                 app.departments(dept_id)",
                "ALTER TABLE app.employees ADD FOREIGN KEY (dept_id, emp_id) REFERENCES app.pairs(a, b) \
                 MATCH FULL",
            ]
        );
        let referenced: Vec<String> = split.referenced.iter().map(|n| n.to_string()).collect();
        assert_eq!(referenced, ["app.employees", "\"App\".\"People\"", "app.departments", "app.pairs"]);
    }

    #[test]
    fn statements_without_foreign_keys_or_that_do_not_parse_are_left_alone() {
        assert_eq!(split_foreign_keys("CREATE TABLE t (a int PRIMARY KEY)"), None);
        assert_eq!(split_foreign_keys("CREATE VIEW v AS SELECT 1"), None);
        assert_eq!(split_foreign_keys("CREATE TABLE t (a int REFERENCES u, b int ^^^)"), None);
    }
}
