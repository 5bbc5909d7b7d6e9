use super::*;
use crate::planfile::{Step, checksum, seal};
use crate::policy::Hazard;

const D1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const D2: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const D3: &str = "3333333333333333333333333333333333333333333333333333333333333333";

fn sample() -> String {
    format!(
        r#"-- accrete plan 3f9a2c71d04be85e
--
-- target:        PostgreSQL 15.18, database "app", system identifier 7301234567890123456
--
-- accrete:format 1
-- accrete:catalog-format 1
-- accrete:plan-id 3f9a2c71d04be85e
-- accrete:target system-identifier=7301234567890123456 database="a \"q\" db" server-version-num=150018
-- accrete:checksum sha256:0

SET search_path = '';
SET TimeZone = 'UTC';

-- accrete:segment 1 transactional
BEGIN;

-- step 1 · add schema app
DO $accrete$
BEGIN
  EXECUTE $ddl$CREATE SCHEMA app$ddl$;
END
$accrete$;

-- step 2 · add column app.users.e · mail · hazards: rewrites-table, may-fail-on-data
DO $accrete$ BEGIN END $accrete$;
SELECT 1;

COMMIT;

-- accrete:segment 2 non-transactional

-- step 3 · add index app.users_email_idx · hazards: builds-index
DO $accrete$ BEGIN END $accrete$;
SELECT 'CREATE INDEX CONCURRENTLY users_email_idx ON app.users (email)'
  WHERE NOT EXISTS (SELECT 1)
\gexec

-- accrete:manifest
-- accrete:object schema "app" before=absent after={D1}
-- accrete:object index "app.users_email_idx" before={D1} after={D2}
-- accrete:end
"#
    )
}

fn sealed(text: &str) -> String {
    seal(text).expect("has a checksum line")
}

fn code(text: &str) -> &'static str {
    parse(&sealed(text)).unwrap_err().code()
}

#[test]
fn reads_the_sample() {
    let text = sealed(&sample());
    let plan = parse(&text).unwrap();
    assert_eq!(plan.plan_id, "3f9a2c71d04be85e");
    assert_eq!(plan.checksum, checksum(&text));
    assert_eq!(
        plan.target,
        PlannedTarget {
            system_identifier: "7301234567890123456".into(),
            database: "a \"q\" db".into(),
            server_version_num: 150018
        }
    );
    assert_eq!(plan.preamble.len(), 2);
    assert_eq!(plan.role, None);
    assert_eq!(plan.segments.len(), 2);
    let s1 = &plan.segments[0];
    assert!(s1.transactional);
    assert_eq!(s1.steps.len(), 2);
    assert_eq!(s1.steps[0].describe(), "add schema app");
    assert_eq!(s1.steps[0].statements.len(), 1);
    assert_eq!(s1.steps[0].statements[0].line, 18);
    let s2 = &s1.steps[1];
    assert_eq!((s2.kind.word(), s2.name.as_str()), ("column", "app.users.e · mail"));
    assert_eq!(s2.hazards, vec![Hazard::RewritesTable, Hazard::MayFailOnData]);
    assert_eq!(s2.statements.len(), 2);
    let seg2 = &plan.segments[1];
    assert!(!seg2.transactional);
    let step3 = &seg2.steps[0];
    assert!(step3.has_hazard(Hazard::BuildsIndex));
    assert_eq!(step3.statements[1].terminator, Terminator::Gexec);
    assert_eq!(
        plan.steps().map(|(seg, st)| (seg.number, st.number)).collect::<Vec<_>>(),
        [(1, 1), (1, 2), (2, 3)]
    );
    assert_eq!(plan.manifest.len(), 2);
    assert_eq!(plan.manifest[0].key, ObjectKey::schema("app"));
    assert_eq!(plan.manifest[0].before, None);
    assert_eq!(plan.manifest[1].after.as_deref(), Some(D2));
}

#[test]
fn checksum_is_verified_first() {
    let text = sealed(&sample());
    let changed = text.replace("SELECT 1;", "SELECT 2;");
    let err = parse(&changed).unwrap_err();
    assert!(matches!(err, ParseError::ChecksumMismatch { .. }));
    assert_eq!(err.exit_code(), 3);
    assert!(err.to_string().starts_with("plan file changed since it was written: checksum mismatch"));
    // Even a change to the format line is reported as a changed file.
    let reformatted = text.replace("-- accrete:format 1", "-- accrete:format 2");
    assert_eq!(parse(&reformatted).unwrap_err().code(), "plan-checksum-mismatch");
    let unsealed = sample().replace("-- accrete:checksum sha256:0\n", "");
    assert_eq!(parse(&unsealed).unwrap_err().code(), "plan-missing-line");
}

#[test]
fn refuses_unknown_formats() {
    let err = parse(&sealed(&sample().replace("-- accrete:format 1", "-- accrete:format 3"))).unwrap_err();
    assert_eq!(err, ParseError::UnknownFormat(3));
    assert!(err.to_string().contains("it reads formats 1 to 2"), "{err}");
    assert_eq!(
        parse(&sealed(&sample().replace("-- accrete:format 1", "-- accrete:format 0"))).unwrap_err(),
        ParseError::UnknownFormat(0)
    );
    assert_eq!(err.exit_code(), 1);
    let err = parse(&sealed(&sample().replace("catalog-format 1", "catalog-format 9"))).unwrap_err();
    assert_eq!(err, ParseError::UnknownCatalogFormat(9));
}

#[test]
fn refuses_statements_outside_steps() {
    let s = sample();
    assert_eq!(code(&s.replace("SET TimeZone = 'UTC';", "CREATE TABLE x ();")), "plan-unexpected-statement");
    assert_eq!(code(&s.replace("COMMIT;\n", "COMMIT;\nSELECT 9;\n")), "plan-unexpected-statement");
    assert_eq!(code(&s.replace("BEGIN;\n", "BEGIN;\nSELECT 9;\n")), "plan-unexpected-statement");
    let after_end = format!("{s}SELECT 9;\n");
    assert_eq!(code(&after_end), "plan-unexpected-statement");
    assert_eq!(code(&s.replace("\\gexec", "\\echo x")), "plan-meta-command");
    let lone = s.replace("  WHERE NOT EXISTS (SELECT 1)\n", "  WHERE NOT EXISTS (SELECT 1);\n");
    let err = parse(&sealed(&lone)).unwrap_err();
    assert_eq!(err.code(), "plan-meta-command");
    assert!(err.to_string().contains("no query before it"), "{err}");
    // Any statement that ends or starts a transaction, in any of its spellings, is refused in a step.
    for control in ["END;", "ROLLBACK;", "abort;", "START TRANSACTION;", "commit work;"] {
        let text = s.replace("SELECT 1;\n", &format!("SELECT 1;\n{control}\n"));
        assert_eq!(code(&text), "plan-unexpected-statement", "{control}");
    }
}

#[test]
fn refuses_broken_structure() {
    let s = sample();
    assert_eq!(code(&s.replace("COMMIT;\n", "")), "plan-bad-segment");
    assert_eq!(code(&s.replace("BEGIN;\n", "")), "plan-unexpected-line");
    assert_eq!(code(&s.replace("-- step 3 ·", "-- step 2 ·")), "plan-step-order");
    assert_eq!(code(&s.replace("segment 2 non", "segment 3 non")), "plan-step-order");
    assert_eq!(code(&s.replace("segment 2 non-transactional", "segment 2 sometimes")), "plan-bad-line");
    assert_eq!(code(&s.replace("-- accrete:end\n", "")), "plan-missing-line");
    assert_eq!(code(&s.replace("-- accrete:plan-id 3f9a2c71d04be85e\n", "")), "plan-missing-line");
    assert_eq!(code(&s.replace("plan-id 3f9a2c71d04be85e", "plan-id xyz")), "plan-bad-line");
    assert_eq!(
        code(&s.replace("-- accrete:format 1\n", "-- accrete:format 1\n-- accrete:tool 1\n")),
        "plan-unexpected-line"
    );
    let empty_step = s.replace("-- step 2 ·", "-- step 9 · add schema x\n-- step 10 ·");
    assert_eq!(code(&empty_step), "plan-bad-step");
    let unterminated = s.replace("SELECT 1;\n\nCOMMIT;", "SELECT 1\n\nCOMMIT;");
    // `SELECT 1 COMMIT` becomes one statement, so the segment has no COMMIT.
    assert_eq!(code(&unterminated), "plan-bad-segment");
}

#[test]
fn reads_target_and_object_lines() {
    let s = sample();
    let bad_target = s.replace("database=\"a \\\"q\\\" db\"", "database=app");
    assert_eq!(code(&bad_target), "plan-bad-line");
    assert_eq!(code(&s.replace("object schema", "object gadget")), "plan-bad-line");
    assert_eq!(code(&s.replace(&format!("after={D1}"), "after=abc")), "plan-bad-line");
    assert_eq!(
        code(&s.replace(&format!("before=absent after={D1}"), "before=absent after=absent")),
        "plan-bad-line"
    );
    let during =
        s.replace(&format!("before={D1} after={D2}"), &format!("before={D1} after={D2} during=absent,{D3}"));
    let plan = parse(&sealed(&during)).unwrap();
    assert_eq!(plan.manifest[1].during, vec![None, Some(D3.to_string())]);
    let repeated =
        s.replace(&format!("before={D1} after={D2}"), &format!("before={D1} after={D2} during={D1}"));
    assert_eq!(code(&repeated), "plan-bad-line");
    let empty = s.replace(&format!("before={D1} after={D2}"), &format!("before={D1} after={D2} during="));
    assert_eq!(code(&empty), "plan-bad-line");
    let twice = s.replace(
        "-- accrete:end",
        &format!("-- accrete:object schema \"app\" before=absent after={D2}\n-- accrete:end"),
    );
    assert_eq!(code(&twice), "plan-bad-line");
}

#[test]
fn reads_a_preamble_role_and_an_empty_plan() {
    let s = sample().replace("SET TimeZone = 'UTC';", "SET TimeZone = 'UTC';\nSET ROLE \"App Owner\";");
    assert_eq!(parse(&sealed(&s)).unwrap().role.as_deref(), Some("App Owner"));
    let s = sample().replace("SET TimeZone = 'UTC';", "SET ROLE Owner;");
    assert_eq!(parse(&sealed(&s)).unwrap().role.as_deref(), Some("owner"));
    let start = sample().find("-- accrete:segment 1").unwrap();
    let end = sample().find("-- accrete:manifest").unwrap();
    let empty = format!("{}{}", &sample()[..start], &sample()[end..]);
    let plan = parse(&sealed(&empty)).unwrap();
    assert!(plan.segments.is_empty());
}

const SIZE: &str =
    r#"-- accrete:size {"table":{"schema":"app","name":"users\u2028x"},"bytes":3145728,"rows":31000}"#;

fn format_2() -> String {
    sample().replace("-- accrete:format 1", "-- accrete:format 2").replace(
        "· hazards: rewrites-table, may-fail-on-data\n",
        &format!("· hazards: rewrites-table, may-fail-on-data\n{SIZE}\n--   lock: ACCESS EXCLUSIVE on app.users, rewrite\n"),
    )
}

#[test]
fn format_2_reads_a_step_size_line() {
    let plan = parse(&sealed(&format_2())).unwrap();
    assert_eq!(plan.format, 2);
    let steps: Vec<&Step> = plan.steps().map(|(_, s)| s).collect();
    let size = steps[1].size.as_ref().expect("step 2 has a size");
    assert_eq!(size.table, crate::catalog::QualName::new("app", "users\u{2028}x"));
    assert_eq!((size.bytes, size.rows), (3 << 20, 31000));
    assert_eq!(steps[1].statements.len(), 2);
    assert!(steps[0].size.is_none() && steps[2].size.is_none());
    // A format-1 plan has no size lines: one there is not expected.
    let in_format_1 = format_2().replace("-- accrete:format 2", "-- accrete:format 1");
    assert_eq!(code(&in_format_1), "plan-unexpected-line");
}

#[test]
fn a_size_line_belongs_to_its_step_line() {
    let s = format_2();
    let twice = s.replace(SIZE, &format!("{SIZE}\n{SIZE}"));
    assert_eq!(code(&twice), "plan-unexpected-line");
    let after_statements =
        s.replace(&format!("{SIZE}\n"), "").replace("SELECT 1;\n", &format!("SELECT 1;\n{SIZE}\n"));
    assert_eq!(code(&after_statements), "plan-unexpected-line");
    let in_header = s
        .replace(&format!("{SIZE}\n"), "")
        .replace("-- accrete:format 2\n", &format!("-- accrete:format 2\n{SIZE}\n"));
    assert_eq!(code(&in_header), "plan-unexpected-line");
    assert_eq!(code(&s.replace("\"rows\":31000", "\"rows\":-1")), "plan-bad-line");
    assert_eq!(code(&s.replace("\"rows\":31000", "\"rows\":1,\"x\":1")), "plan-bad-line");
    assert_eq!(code(&s.replace("{\"table\"", "{\"tabel\"")), "plan-bad-line");
}

#[test]
fn a_bound_admits_by_the_planned_size_and_never_in_format_1() {
    use crate::policy::{Policy, parse_hazards};
    let bounded = |list: &[&str]| {
        let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        Policy::default().with(vec![], parse_hazards(&list).unwrap(), true)
    };
    let plan = parse(&sealed(&format_2())).unwrap();
    let all = ["rewrites-table:<4MB", "may-fail-on-data:<4MB", "builds-index"];
    assert_eq!(crate::apply::admission(&plan, &bounded(&all)), Vec::<String>::new());
    let small = ["rewrites-table:<1MB", "may-fail-on-data:<4MB", "builds-index"];
    let refused = crate::apply::admission(&plan, &bounded(&small));
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].starts_with("step 2 (add column app.users.e · mail): hazard rewrites-table on app.users\u{2028}x of 3.0 MB (≈31k rows) not admitted: the bound is <1MB: pass --allow-hazard rewrites-table"), "{}", refused[0]);
    let old = parse(&sealed(&sample())).unwrap();
    let refused = crate::apply::admission(&old, &bounded(&all));
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].contains("a format-1 plan records no table sizes"), "{}", refused[0]);
}
