//! psql meta-commands in schema files: which are skipped, which include another file, which are refused.

use super::class::Reject;
use super::split::MetaCommand;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MetaClass {
    /// Has no effect on the schema (`\set`, `\echo`, `\restrict`, `\d...`).
    Skip,
    /// Carries data (`\copy`): skipped, one warning per file.
    Data,
    /// `\i` (relative to the schema directory) or `\ir` (relative to the including file).
    Include {
        relative_to_file: bool,
        path: String,
    },
    Reject(Reject),
}

const CONNECT: Reject = Reject {
    code: "database-statement",
    why: "connects to another database",
    help: "accrete loads every schema file into one scratch database; remove the line",
};

const UNSUPPORTED_META: Reject = Reject {
    code: "unsupported-meta-command",
    why: "is a psql meta-command accrete does not run",
    help: "remove the line; a schema file may use \\i, \\ir, \\set, \\unset, \\echo, \\qecho, \\pset, \\timing, \
           \\restrict and \\unrestrict",
};

pub(crate) fn classify(meta: &MetaCommand) -> MetaClass {
    let name = meta.name.as_str();
    match name {
        "set" | "unset" | "echo" | "qecho" | "warn" | "pset" | "timing" | "restrict" | "unrestrict" => {
            MetaClass::Skip
        }
        _ if name.starts_with('d') => MetaClass::Skip,
        "i" | "include" => MetaClass::Include { relative_to_file: false, path: include_path(&meta.args) },
        "ir" | "include_relative" => {
            MetaClass::Include { relative_to_file: true, path: include_path(&meta.args) }
        }
        "copy" => MetaClass::Data,
        "c" | "connect" => MetaClass::Reject(CONNECT),
        _ => MetaClass::Reject(UNSUPPORTED_META),
    }
}

/// The file argument of `\i`: the first word, or a single-quoted string.
fn include_path(args: &str) -> String {
    if let Some(rest) = args.strip_prefix('\'') {
        return rest.split('\'').next().unwrap_or_default().to_string();
    }
    args.split_whitespace().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(name: &str, args: &str) -> MetaCommand {
        MetaCommand { name: name.into(), args: args.into(), line: 1, col: 1 }
    }

    #[test]
    fn skipped_commands() {
        for name in ["set", "unset", "echo", "qecho", "pset", "timing", "d", "dt+", "restrict", "unrestrict"]
        {
            assert_eq!(classify(&meta(name, "x")), MetaClass::Skip, "{name}");
        }
    }

    #[test]
    fn includes_take_the_first_word_or_a_quoted_path() {
        assert_eq!(
            classify(&meta("ir", "'my tables.sql' extra")),
            MetaClass::Include { relative_to_file: true, path: "my tables.sql".into() }
        );
        assert_eq!(
            classify(&meta("i", "sub/x.sql")),
            MetaClass::Include { relative_to_file: false, path: "sub/x.sql".into() }
        );
    }

    #[test]
    fn connect_and_unknown_commands_are_refused() {
        let MetaClass::Reject(r) = classify(&meta("c", "other")) else { panic!() };
        assert_eq!(r.code, "database-statement");
        let MetaClass::Reject(r) = classify(&meta("gexec", "")) else { panic!() };
        assert_eq!(r.code, "unsupported-meta-command");
        assert_eq!(classify(&meta("copy", "t from stdin")), MetaClass::Data);
    }
}
