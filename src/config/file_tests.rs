use super::*;
use crate::catalog::ObjectKind;

fn parse_ok(text: &str) -> FileConfig {
    parse(text, Path::new("accrete.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(text: &str) -> FileError {
    parse(text, Path::new("proj/accrete.toml")).unwrap_err()
}

#[test]
fn a_full_file() {
    let config = parse_ok(
        r#"
default_target = "prod"
history_schema = "ops_history"

[targets.prod]
url_env = "PROD_DATABASE_URL"

[targets.staging]
url = "postgresql://app@staging.internal/app?sslmode=verify-full"

[scope]
schemas = ["app"]
exclude = ["table:public.schema_migrations", "*:audit.*"]

[source]
search_path = ["app", "public"]

[local]
major = 16

[policy]

[external]
objects = ["table:auth.users"]
"#,
    );
    assert_eq!(config.default_target.as_deref(), Some("prod"));
    assert_eq!(config.targets["prod"], TargetConfig::UrlEnv("PROD_DATABASE_URL".into()));
    assert!(matches!(&config.targets["staging"], TargetConfig::Url(u) if u.contains("staging.internal")));
    assert_eq!(config.local.major, Some(16));
    assert_eq!(config.inspect_connections, crate::config::DEFAULT_INSPECT_CONNECTIONS);
    assert_eq!(parse_ok("inspect_connections = 1\n").inspect_connections, 1);
    let external: Vec<String> = config.external.objects.iter().map(ExternalObject::pattern).collect();
    assert_eq!(external, ["table:auth.users"]);
    assert_eq!((config.external.objects[0].line, config.external.objects[0].col), (24, 12));
    assert_eq!(config.source.search_path, ["app", "public"]);
    let scope = config.scope();
    assert_eq!(scope.own_schema, "ops_history");
    assert!(!scope.includes(ObjectKind::Table, "ops_history.runs"));
    assert!(!scope.includes(ObjectKind::Table, "public.schema_migrations"));
    assert!(scope.includes(ObjectKind::Table, "app.users"));
}

#[test]
fn external_objects_are_out_of_scope_even_in_a_managed_schema() {
    let config = parse_ok(
        "[external]\nobjects = [\"table:auth.users\", \"function:auth.uid\", \"schema:platform\"]\n",
    );
    let scope = config.scope();
    assert!(!scope.includes(ObjectKind::Table, "auth.users"));
    assert!(!scope.includes(ObjectKind::Function, "auth.uid"));
    assert!(scope.includes(ObjectKind::Table, "auth.sessions"));
    assert!(scope.includes(ObjectKind::View, "auth.users"), "only the listed kind");
    assert!(!scope.includes(ObjectKind::Schema, "platform"));
    assert!(
        scope.includes(ObjectKind::Table, "platform.events"),
        "what is in an external schema is in scope"
    );
    assert_eq!(config.external.objects[2].qualified(), "platform");
    let uid = &config.external.objects[1];
    assert_eq!(
        (uid.kind, uid.qualified().as_str(), uid.line, uid.col),
        (ObjectKind::Function, "auth.uid", 2, 32)
    );
}

#[test]
fn an_empty_file_and_no_file_are_the_defaults() {
    let empty = parse_ok("");
    assert_eq!(FileConfig { path: None, ..empty }, FileConfig::default());
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(load(dir.path()).unwrap(), FileConfig::default());
    assert_eq!(FileConfig::default().scope(), Scope::default());
    assert_eq!(FileConfig::default().source.search_path, ["public"]);
}

#[test]
fn load_reads_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(FILE_NAME), "[scope]\nschemas = [\"x\"]\n").unwrap();
    let config = load(dir.path()).unwrap();
    assert_eq!(config.scope.schemas, ["x"]);
    assert_eq!(config.path, Some(dir.path().join(FILE_NAME)));
    std::fs::write(dir.path().join(FILE_NAME), "[scope]\nschema = [\"x\"]\n").unwrap();
    let err = format!("{:#}", load(dir.path()).unwrap_err());
    assert!(err.contains("accrete.toml:2:1: error[config-unknown-key]"), "{err}");
}

#[test]
fn mistakes_are_located_with_a_code_and_help() {
    #[rustfmt::skip]
    let cases: &[(&str, (usize, usize), &str, &str)] = &[
        ("[scope]\nschemas = [\"a\"]\nexclud = []\n", (3, 1), "config-unknown-key", "unknown field `exclud`"),
        ("colour = 1\n", (1, 1), "config-unknown-key", "unknown field `colour`"),
        ("[policy]\nallow = [\"rename\"]\n", (2, 10), "config-invalid-value", "unknown class \"rename\""),
        ("[policy]\nallow_hazards = [\"x\"]\n", (2, 18), "config-invalid-value", "unknown hazard \"x\""),
        ("[policy]\nallow_hazards = [\"rewrites-table\", \"deletes-data:<1MB\"]\n", (2, 36), "config-invalid-value", "takes no size bound"),
        ("[policy]\nallow_hazards = [\"builds-index:<10 MiB\"]\n", (2, 18), "config-invalid-value", "size \"10 MiB\""),
        ("[policy]\nallow_hazards = [\"builds-index:10MB\"]\n", (2, 18), "config-invalid-value", "NAME:<SIZE"),
        ("[policy]\nstrictly = true\n", (2, 1), "config-unknown-key", "unknown field `strictly`"),
        ("[targets.prod]\nurl_env = \"X\"\nuser = \"u\"\n", (3, 1), "config-unknown-key", "unknown field `user`"),
        ("[local]\nmajor = \"16\"\n", (2, 9), "config-invalid-value", "invalid type"),
        ("[local]\nmajor = 9\n", (2, 9), "config-invalid-value", "PostgreSQL 9 is not supported"),
        ("[scope\n", (1, 7), "config-syntax", ""),
        ("[targets.prod]\n", (1, 1), "config-target", "target \"prod\" needs exactly one of url and url_env"),
        ("[targets.prod]\nurl = \"host=a\"\nurl_env = \"B\"\n", (1, 1), "config-target", "exactly one"),
        ("[targets.prod]\nurl_env = \"\"\n", (2, 11), "config-invalid-value", "url_env must name"),
        ("[targets.prod]\nurl = \"postgresql://u:s3cret@db/app\"\n", (2, 7), "config-password-in-file", "contains a password"),
        ("[targets.prod]\nurl = \"host=db password=s3cret\"\n", (2, 7), "config-password-in-file", "contains a password"),
        ("[targets.prod]\nurl = \"postgresql://u:s3cret%zz@db\"\n", (2, 7), "config-invalid-url", "percent-encoded"),
        ("default_target = \"prod\"\n", (1, 18), "config-unknown-target", "default_target names \"prod\""),
        ("[scope]\nexclude = [\"tabel:public.x\"]\n", (2, 12), "config-invalid-pattern", "unknown object kind \"tabel\""),
        ("[external]\nobjects = [\"table:users\"]\n", (2, 12), "config-invalid-pattern", "schema-qualified"),
        ("[external]\nobjects = [\"*:auth.users\"]\n", (2, 12), "config-invalid-pattern", "unknown object kind"),
        ("[external]\nobjects = [\"index:auth.users_pkey\"]\n", (2, 12), "config-invalid-pattern", "cannot be an external"),
        ("[external]\nobjects = [\"function:auth.uid()\"]\n", (2, 12), "config-invalid-pattern", "without wildcards or arguments"),
        ("[external]\nobjects = [\"table:auth.*\"]\n", (2, 12), "config-invalid-pattern", "without wildcards"),
        ("[external]\nobjects = [\"schema:a.b\"]\n", (2, 12), "config-invalid-pattern", "name one schema"),
        ("history_schema = \"pg_accrete\"\n", (1, 18), "config-invalid-value", "cannot be accrete's history schema"),
        ("inspect_connections = 0\n", (1, 23), "config-invalid-value", "inspect_connections = 0 is out of range"),
        ("inspect_connections = 17\n", (1, 23), "config-invalid-value", "inspect_connections = 17 is out of range"),
        ("[source]\nsearch_path = []\n", (2, 15), "config-invalid-value", "search_path is empty"),
        ("[source]\nstatement_timeout = \"30\"\n", (2, 21), "config-invalid-value", "\"30\" is not a duration"),
        ("[source]\nload_timeout = \"0s\"\n", (2, 16), "config-invalid-value", "\"0s\" is not a duration"),
        ("[source]\nsearch_path = [\"app\", \"$user\"]\n", (2, 23), "config-invalid-value", "\"$user\" cannot be in search_path"),
        ("[source]\nsearch_path = \"app\"\n", (2, 15), "config-invalid-value", "invalid type"),
        ("[source]\npath = [\"app\"]\n", (2, 1), "config-unknown-key", "unknown field `path`"),
    ];
    for (text, (line, col), code, message) in cases {
        let err = parse_err(text);
        assert_eq!((err.line, err.col, err.code), (*line, *col, *code), "{text}: {err}");
        assert!(err.message.contains(message), "{text}: {err}");
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert!(
            err.to_string().starts_with(&format!("proj/accrete.toml:{line}:{col}: error[{code}]: ")),
            "{err}"
        );
        assert!(err.to_string().contains("\n  help: "), "{err}");
    }
}

#[test]
fn columns_count_characters() {
    assert_eq!(line_col("a = \"é\"\nbb", 10), (2, 2));
    assert_eq!(line_col("ü = 1", 3), (1, 3));
}

#[test]
fn source_timeouts_take_a_unit_and_default_to_thirty_seconds_and_ten_minutes() {
    use std::time::Duration;
    let config = parse_ok("[source]\nstatement_timeout = \"1500ms\"\nload_timeout = \"2m\"\n");
    assert_eq!(config.source.statement_timeout, Duration::from_millis(1500));
    assert_eq!(config.source.load_timeout, Duration::from_secs(120));
    assert_eq!(config.source.search_path, ["public"], "search_path keeps its default");
    let default = FileConfig::default().source;
    assert_eq!(
        (default.statement_timeout, default.load_timeout),
        (Duration::from_secs(30), Duration::from_secs(600))
    );
    assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
    assert_eq!(parse_duration("10 s"), Some(Duration::from_secs(10)));
    assert_eq!(parse_duration("s"), None);
    assert_eq!(parse_duration("5d"), None);
}

#[test]
fn a_hazard_may_be_admitted_below_a_size() {
    use crate::policy::Hazard;
    let config = parse_ok("[policy]\nallow_hazards = [\"rewrites-table:<100MB\", \"builds-index\"]\n");
    assert_eq!(config.policy.below.get(&Hazard::RewritesTable), Some(&(100 << 20)));
    assert!(config.policy.hazards.contains(&Hazard::BuildsIndex));
    assert!(!config.policy.hazards.contains(&Hazard::RewritesTable));
}
