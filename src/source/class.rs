//! What classification decides about one statement, and the words used to say so.
//!
//! Both readers of a statement (the sqlparser AST in `ast`, and the leading keywords in `keywords`) answer
//! with a [`Class`]; the reasons for rejecting are listed here once, so that the same statement gets the
//! same code, message and help whichever reader understood it.

use super::Treatment;

/// The decision about one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Class {
    /// Executed into the scratch database (or, for `IgnoredOwner`, recorded and not executed).
    Keep(Treatment),
    /// Not executed. `data` marks statements that carry data (INSERT, COPY): one warning per file.
    Skip {
        data: bool,
    },
    Reject(Reject),
}

/// Why a statement may not be in a schema file, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reject {
    pub code: &'static str,
    /// Completes "`<summary>` ..." in the message.
    pub why: &'static str,
    pub help: &'static str,
}

pub(crate) const DECLARE: Class = Class::Keep(Treatment::Declare);
pub(crate) const SKIP: Class = Class::Skip { data: false };
pub(crate) const DATA: Class = Class::Skip { data: true };

pub(crate) const BARE_DROP: Reject = Reject {
    code: "bare-drop",
    why: "drops something",
    help: "accrete never drops from a schema file; remove the statement, or run it by hand. \
           To drop objects, see --allow drop",
};

pub(crate) const RENAME: Reject = Reject {
    code: "rename-not-allowed",
    why: "renames or moves an object",
    help: "declare the object under its new name only (accrete reports the old and the new name as a \
           likely rename), and rename it on the database by hand",
};

pub(crate) const DATA_CHANGE: Reject = Reject {
    code: "data-change",
    why: "changes data, and a schema file declares structure only",
    help: "remove the statement; change data with a data migration or by hand",
};

pub(crate) const DATABASE: Reject = Reject {
    code: "database-statement",
    why: "works on a database as a whole",
    help: "accrete loads every schema file into one scratch database; remove the statement and create or \
           configure the database by hand",
};

pub(crate) const CLUSTER_OBJECT: Reject = Reject {
    code: "cluster-object",
    why: "creates or changes a role or tablespace, which belong to the whole server",
    help: "create roles and tablespaces on the server by hand (accrete does not manage them); remove the \
           statement from the schema files",
};

pub(crate) const UNSUPPORTED: Reject = Reject {
    code: "unsupported-statement",
    why: "is not a declaration accrete can load",
    help: "a schema file declares objects with CREATE, ALTER ... ADD/SET, COMMENT ON, GRANT and REVOKE; \
           run anything else by hand",
};

pub(crate) const IMPORT_FOREIGN_SCHEMA: Reject = Reject {
    code: "import-foreign-schema",
    why: "reads a remote database's tables, which means connecting to it",
    help: "nothing in a schema file may connect out, in the scratch database or anywhere else: declare each \
           foreign table with CREATE FOREIGN TABLE ... SERVER ... (`accrete pull` writes them from a database \
           that has them)",
};

pub(crate) const DETACH: Reject = Reject {
    code: "unsupported-statement",
    why: "removes a partition or parent from a table",
    help: "accrete only adds; declare the table as it should be and detach by hand",
};

pub(crate) const EXTENSION_UPDATE: Reject = Reject {
    code: "unsupported-statement",
    why: "updates an extension",
    help: "declare the version with CREATE EXTENSION ... VERSION '...' instead",
};

pub(crate) const CLUSTER: Reject = Reject {
    code: "unsupported-statement",
    why: "reorders a table's rows",
    help: "declare the index to cluster on with ALTER TABLE ... CLUSTER ON <index>; run CLUSTER by hand",
};

pub(crate) const ROLLBACK: Reject = Reject {
    code: "unsupported-statement",
    why: "rolls back a transaction",
    help: "remove it: accrete loads every statement on its own, and a schema file is meant to be loaded whole",
};

/// Combines the classes of the actions of one ALTER statement: a rejection wins, then a cleanup drop;
/// the statement is an ignored owner change only when every action is one.
pub(crate) fn combine(classes: Vec<Class>) -> Class {
    if let Some(reject) = classes.iter().find(|c| matches!(c, Class::Reject(_))) {
        return reject.clone();
    }
    if classes.is_empty() {
        return Class::Reject(UNSUPPORTED);
    }
    if classes.contains(&Class::Keep(Treatment::CleanupDrop)) {
        return Class::Keep(Treatment::CleanupDrop);
    }
    if classes.iter().all(|c| *c == Class::Keep(Treatment::IgnoredOwner)) {
        return Class::Keep(Treatment::IgnoredOwner);
    }
    if classes.iter().all(|c| matches!(c, Class::Skip { .. })) {
        return SKIP;
    }
    DECLARE
}
