//! What [`Writer`] writes, [`parse`] reads back as the same model: header, segments, steps with their
//! typed class, kind, hazards and size, statements, and manifest, whatever the names hold.

use super::*;
use crate::catalog::{ObjectKey, ObjectKind, QualName};
use crate::escape;
use crate::policy::{Class, Hazard};

/// Names that try to leave their line or their quotes: quotes, line breaks, comment openers and closers.
const HOSTILE: [&str; 5] =
    ["a\"b'c", "line\nbreak\r-- x", "*/ SELECT 1; /*", "-- accrete:end", "x · y\u{2028}z\\"];

fn statement(text: &str, terminator: Terminator) -> Stmt {
    Stmt { text: text.to_string(), line: 0, col: 1, terminator }
}

/// The SQL of a step's statements as a guard writes them.
fn sql_of(statements: &[Stmt]) -> String {
    statements
        .iter()
        .map(|s| match s.terminator {
            Terminator::Gexec => format!("{}\n\\gexec\n", s.text),
            _ => format!("{};\n", s.text),
        })
        .collect()
}

fn step(number: u32, class: Class, kind: ObjectKind, name: &str, hazards: Vec<Hazard>) -> Step {
    let literal = crate::catalog::quote_literal(name);
    Step {
        number,
        class,
        kind,
        name: escape::step_name(name),
        part_of: None,
        hazards,
        size: None,
        statements: vec![
            statement(
                &format!("DO $accrete$\nBEGIN\n  RAISE NOTICE '%', {literal};\nEND\n$accrete$"),
                Terminator::Semicolon,
            ),
            statement(&format!("SELECT {literal} AS \"a;b\" -- ;\n  WHERE true"), Terminator::Gexec),
        ],
    }
}

fn model() -> PlanFile {
    let digest = |c: char| Some(c.to_string().repeat(64));
    let mut steps = Vec::new();
    for (i, name) in HOSTILE.iter().enumerate() {
        let mut s =
            step(i as u32 * 2 + 1, Class::Alter, ObjectKind::Column, name, vec![Hazard::RewritesTable]);
        s.size = Some(StepSize { table: QualName::new(*name, *name), bytes: 8192, rows: 40 });
        s.part_of = Some((ObjectKind::Table, escape::step_name(&format!("{name} · part"))));
        steps.push(s);
    }
    let index =
        step(20, Class::Add, ObjectKind::Index, HOSTILE[2], vec![Hazard::BuildsIndex, Hazard::MayFailOnData]);
    let manifest = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, name)| ManifestEntry {
            key: ObjectKey::new(ObjectKind::Column, format!("{name}{i}")),
            before: if i == 0 { None } else { digest('a') },
            after: digest('b'),
            during: if i == 1 { vec![None] } else { Vec::new() },
            was: None,
        })
        .collect();
    PlanFile {
        format: PLAN_FORMAT,
        catalog_format: crate::catalog::CATALOG_FORMAT,
        plan_id: String::new(),
        rollback_of: Some("0123456789abcdef".into()),
        checksum: String::new(),
        target: PlannedTarget {
            system_identifier: "7301234567890123456".into(),
            database: HOSTILE[1].into(),
            server_version_num: 150018,
        },
        preamble: vec![
            statement("SET search_path = ''", Terminator::Semicolon),
            statement("SET ROLE \"a\"\"b\"", Terminator::Semicolon),
        ],
        role: Some("a\"b".into()),
        segments: vec![
            Segment { number: 1, transactional: true, steps },
            Segment { number: 2, transactional: false, steps: vec![index] },
        ],
        manifest,
    }
}

/// A plan file written to memory, and its id.
struct Written {
    id: String,
    text: String,
}

fn write(plan: &PlanFile) -> Written {
    let header: Vec<String> = HOSTILE.iter().map(|n| format!("object {n}")).chain([String::new()]).collect();
    let out = std::io::Cursor::new(Vec::new());
    let mut writer =
        Writer::new(out, &header, plan.rollback_of.as_deref(), &plan.target, &sql_of(&plan.preamble))
            .unwrap();
    for segment in &plan.segments {
        writer.segment(segment.number, segment.transactional).unwrap();
        for step in &segment.steps {
            let comment = format!("--   {}\n", escape::comment_text(&step.name));
            writer.step(step, &comment, &sql_of(&step.statements)).unwrap();
        }
    }
    let (id, out) = writer.finish(&plan.manifest).unwrap();
    Written { id, text: String::from_utf8(out.into_inner()).unwrap() }
}

/// The model with what only reading knows (id, checksum, statement lines) taken from `read`.
fn as_read(mut plan: PlanFile, read: &PlanFile) -> PlanFile {
    plan.plan_id = read.plan_id.clone();
    plan.checksum = read.checksum.clone();
    let lines = |read: &[Stmt]| read.iter().map(|s| s.line).collect::<Vec<_>>();
    let set_lines = |ours: &mut [Stmt], theirs: &[Stmt]| {
        for (s, line) in ours.iter_mut().zip(lines(theirs)) {
            s.line = line;
        }
    };
    set_lines(&mut plan.preamble, &read.preamble);
    for (segment, theirs) in plan.segments.iter_mut().zip(&read.segments) {
        for (step, theirs) in segment.steps.iter_mut().zip(&theirs.steps) {
            set_lines(&mut step.statements, &theirs.statements);
        }
    }
    plan
}

#[test]
fn what_the_writer_writes_reads_back_equal() {
    let plan = model();
    let written = write(&plan);
    let read = parse(&written.text).unwrap_or_else(|e| panic!("{e}\n{}", written.text));
    assert_eq!(read.plan_id, written.id);
    assert_eq!(read.checksum, checksum(&written.text));
    assert!(read.preamble.iter().chain(read.steps().flat_map(|(_, s)| &s.statements)).all(|s| s.line > 0));
    assert_eq!(read, as_read(plan, &read));
    // Nothing a name holds starts a line of its own: every line is a comment, a statement line of ours,
    // or blank.
    for line in written.text.lines() {
        assert!(!line.starts_with("SELECT 1") && !line.starts_with('*'), "{line:?}");
    }
}

#[test]
fn writing_is_deterministic_and_the_id_follows_the_content() {
    let a = write(&model());
    assert_eq!(a.text, write(&model()).text);
    let mut other = model();
    other.target.server_version_num += 1;
    assert_ne!(a.id, write(&other).id);
}

/// The plan id and checksum of a streamed file are what they were when the text was built whole: the id
/// hashes the text with the placeholder in the header's two places and an empty checksum, and a statement
/// that holds the placeholder's text is written as it is.
#[test]
fn the_streamed_id_and_checksum_are_those_of_the_whole_text() {
    let mut plan = model();
    let placeholder = "@@accrete-plan-id@@";
    plan.segments[0].steps[0].statements[0].text = format!("SELECT '{placeholder}'");
    let written = write(&plan);
    assert!(written.text.contains(&format!("SELECT '{placeholder}'")), "{}", written.text);
    let (start, end) = checksum_line(&written.text).unwrap();
    let unsealed = format!("{}{CHECKSUM_PREFIX} sha256:\n{}", &written.text[..start], &written.text[end..]);
    let unsealed = unsealed.replacen(&written.id, placeholder, 2);
    assert_eq!(hex::encode(sha2::Sha256::digest(unsealed.as_bytes()))[..16], written.id);
    let line = &written.text[start..end];
    assert_eq!(line, format!("{CHECKSUM_PREFIX} {}\n", checksum(&written.text)));
    assert_eq!(seal(&written.text).unwrap(), written.text);
}

#[test]
fn a_size_line_reads_back_and_no_name_breaks_out_of_it() {
    let size = StepSize { table: QualName::new("app", "t\n-- x\u{2028}\"}"), bytes: 8192, rows: 40 };
    let line = size_line(&size);
    assert!(!line.contains('\n') && !line.contains('\u{2028}'), "{line}");
    let json = line.strip_prefix(SIZE_LINE_PREFIX).unwrap();
    assert_eq!(parse_size(json).unwrap(), size);
    assert!(parse_size("{\"table\":{\"schema\":\"a\",\"name\":\"t\"},\"bytes\":1}").is_err());
    assert!(
        parse_size("{\"table\":{\"schema\":\"a\",\"name\":\"t\"},\"bytes\":1,\"rows\":1,\"x\":1}").is_err()
    );
}

#[test]
fn a_step_line_with_an_unknown_class_kind_or_hazard_is_refused() {
    for (line, word) in [
        ("-- step 1 · rename table app.t", "class `rename`"),
        ("-- step 1 · add tabel app.t", "object kind `tabel`"),
        ("-- step 1 · add index app.i · hazards: builds-indexes", "hazard `builds-indexes`"),
        ("-- step 1 · add index app.i · for tabel app.t", "object kind `tabel`"),
    ] {
        let err = lines::parse_step_line(7, line.strip_prefix("-- step ").unwrap()).unwrap_err();
        assert_eq!(err.code(), "plan-bad-line");
        assert!(err.to_string().contains(word), "{err}");
    }
}
