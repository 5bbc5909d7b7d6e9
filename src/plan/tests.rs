//! Planning on synthetic catalogs: order, segments, manifest; no database needed.

use super::*;
use crate::catalog::*;
use crate::scope::Scope;

fn opts() -> SequenceOptions {
    SequenceOptions {
        data_type: "bigint".into(),
        start: 1,
        increment: 1,
        min_value: 1,
        max_value: i64::MAX,
        cache: 1,
        cycle: false,
    }
}

fn column(name: &str, data_type: &str, not_null: bool) -> Column {
    Column { name: name.into(), data_type: data_type.into(), not_null, ..Default::default() }
}

fn table(schema: &str, name: &str, columns: Vec<Column>) -> Table {
    Table {
        name: QualName::new(schema, name),
        partition_by: None,
        partition_of: None,
        inherits: vec![],
        unlogged: false,
        columns: columns
            .into_iter()
            .enumerate()
            .map(|(i, c)| Column { position: i as i32 + 1, ..c })
            .collect(),
        constraints: Default::default(),
        indexes: Default::default(),
        comment: None,
        ..Table::default()
    }
}

fn constraint(
    name: &str,
    kind: ConstraintKind,
    definition: &str,
    columns: &[&str],
    references: Option<QualName>,
) -> Constraint {
    Constraint {
        name: name.into(),
        kind,
        definition: definition.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        references,
        validated: true,
        deferrable: false,
        initially_deferred: false,
        comment: None,
    }
}

/// app.orgs (new) <- app.users (existing, gains org_id, an FK, an index); enum app.status gains a value that
/// a new column's default uses.
pub(super) fn sample() -> (Catalog, Catalog) {
    let mut live = Catalog::default();
    live.schemas.insert("app".into(), Schema { name: "app".into(), comment: None });
    live.enums.insert(
        QualName::new("app", "status"),
        EnumType { name: QualName::new("app", "status"), labels: vec!["active".into()], comment: None },
    );
    let mut users = table("app", "users", vec![column("id", "bigint", true), column("email", "text", true)]);
    users.constraints.insert(
        "users_pkey".into(),
        constraint("users_pkey", ConstraintKind::PrimaryKey, "PRIMARY KEY (id)", &["id"], None),
    );
    live.tables.insert(users.name.clone(), users.clone());

    let mut desired = live.clone();
    desired.enums.get_mut(&QualName::new("app", "status")).unwrap().labels =
        vec!["pending".into(), "active".into()];
    let mut orgs = table(
        "app",
        "orgs",
        vec![Column {
            identity: Some(Box::new(Identity { always: true, options: opts() })),
            ..column("id", "bigint", true)
        }],
    );
    orgs.constraints.insert(
        "orgs_pkey".into(),
        constraint("orgs_pkey", ConstraintKind::PrimaryKey, "PRIMARY KEY (id)", &["id"], None),
    );
    orgs.comment = Some("Organizations; it's 100% ours".into());
    desired.tables.insert(orgs.name.clone(), orgs);
    let users = desired.tables.get_mut(&QualName::new("app", "users")).unwrap();
    users.columns.push(column("org_id", "bigint", false));
    users.columns.push(Column {
        default: Some("'pending'::app.status".into()),
        ..column("status", "app.status", true)
    });
    users.constraints.insert(
        "users_org_id_fkey".into(),
        constraint(
            "users_org_id_fkey",
            ConstraintKind::ForeignKey,
            "FOREIGN KEY (org_id) REFERENCES app.orgs(id)",
            &["org_id"],
            Some(QualName::new("app", "orgs")),
        ),
    );
    users.indexes.insert(
        "users_org_id_idx".into(),
        Index {
            name: "users_org_id_idx".into(),
            table: QualName::new("app", "users"),
            unique: false,
            method: "btree".into(),
            definition: "USING btree (org_id)".into(),
            columns: vec!["org_id".into()],
            valid: true,
            comment: None,
        },
    );
    (desired, live)
}

pub(super) fn context() -> PlanContext {
    PlanContext {
        target: TargetInfo {
            system_identifier: "7300000000000000001".into(),
            database: "app".into(),
            server_version: "15.18".into(),
            server_version_num: 150018,
        },
        normalized_on: "PostgreSQL 15.18".into(),
        tool_version: "0.1.0".into(),
        owner: "app".into(),
        role: None,
        external: Vec::new(),
        sizes: Default::default(),
    }
}

fn step_lines(plan: &Plan) -> Vec<String> {
    plan.steps().map(|s| format!("{} {} {}", s.number, s.change.key, s.transactional)).collect()
}

#[test]
fn orders_segments_and_manifests_a_plan() {
    let (desired, live) = sample();
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &Default::default(), context());
    let steps = step_lines(&plan);
    let pos = |needle: &str| {
        steps.iter().position(|s| s.contains(needle)).unwrap_or_else(|| panic!("{needle} in {steps:#?}"))
    };
    // The enum value is added before, and committed before, the column whose default uses it.
    assert!(pos("enum app.status") < pos("column app.users.status"));
    let segment_of = |needle: &str| {
        plan.segments
            .iter()
            .position(|s| s.steps.iter().any(|st| st.change.key.to_string().contains(needle)))
            .unwrap()
    };
    assert!(segment_of("enum app.status") < segment_of("column app.users.status"));
    // The referenced table and its key come before the foreign key, which is validated in a later transaction.
    assert!(pos("table app.orgs") < pos("constraint app.orgs.orgs_pkey"));
    assert!(pos("constraint app.orgs.orgs_pkey") < pos("constraint app.users.users_org_id_fkey"));
    let fk_steps: Vec<&Step> =
        plan.steps().filter(|s| s.change.key.name == "app.users.users_org_id_fkey").collect();
    assert_eq!(fk_steps.len(), 2, "NOT VALID, then VALIDATE");
    assert!(segment_of_step(&plan, fk_steps[0].number) < segment_of_step(&plan, fk_steps[1].number));
    // The index on the existing table is built concurrently, outside a transaction.
    let index = plan.steps().find(|s| s.change.key.kind == ObjectKind::Index).unwrap();
    let sql = plan.sql_of(index).unwrap();
    assert!(!index.transactional && sql.contains("CREATE INDEX CONCURRENTLY") && sql.contains("\\gexec"));
    // The manifest: new objects absent before; the FK may be left NOT VALID; the index invalid or absent.
    let fk = plan.manifest.iter().find(|m| m.key.name == "app.users.users_org_id_fkey").unwrap();
    assert!(fk.before.is_none() && fk.after.is_some() && fk.during.len() == 1);
    let idx = plan.manifest.iter().find(|m| m.key.kind == ObjectKind::Index).unwrap();
    assert_eq!(idx.during.len(), 1, "invalid (absent is its before state)");
    // Deterministic: the same inputs give the same file.
    let a = crate::render::plan_file(&plan);
    let b =
        crate::render::plan_file(&build(&desired, &live, comparison.clone(), &Default::default(), context()));
    assert_eq!(a.text, b.text);
    if let Ok(path) = std::env::var("ACCRETE_DUMP_SAMPLE_PLAN") {
        std::fs::write(path, &a.text).unwrap();
    }
}

fn segment_of_step(plan: &Plan, number: usize) -> usize {
    plan.segments.iter().position(|s| s.steps.iter().any(|st| st.number == number)).unwrap()
}

#[test]
fn grants_follow_their_object_and_need_their_role_on_the_target() {
    let t = QualName::new("app", "t");
    let mut desired = Catalog::default();
    desired.schemas.insert("app".into(), Schema { name: "app".into(), comment: None });
    desired.tables.insert(t.clone(), table("app", "t", vec![column("id", "bigint", true)]));
    let on = GrantOn::Table(t.clone());
    let select = vec![Privilege { name: "SELECT".into(), grantable: false }];
    let grants = [("reader".to_string(), select.clone())].into_iter().collect();
    desired.privileges.insert(on.id(), Acl { on: on.clone(), owner: "scratch".into(), grants });
    let mut live = Catalog::default();
    live.schemas.insert("app".into(), Schema { name: "app".into(), comment: None });
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &Default::default(), context());
    let steps = step_lines(&plan);
    assert_eq!(steps, ["1 table app.t true", "2 grant table:app.t:reader true"]);
    let grant = plan.manifest.iter().find(|m| m.key.kind == ObjectKind::Grant).unwrap();
    assert_eq!((grant.before.clone(), grant.after.clone()), (None, Some(grant_digest(&select))));
    let changes: Vec<_> = plan.steps().map(|s| s.change.clone()).collect();
    let unmet = unmet_dependencies(&desired, &live, &changes);
    assert_eq!(unmet.len(), 1);
    assert!(
        unmet[0].contains("needs role reader, which the target lacks")
            && unmet[0].contains("CREATE ROLE reader")
    );
    live.roles.insert("reader".into());
    assert!(unmet_dependencies(&desired, &live, &changes).is_empty());
}

#[test]
fn the_proof_line_is_one_comment_line_whatever_its_reason_holds() {
    use crate::plan::ProofStatus as Status;
    let (desired, live) = sample();
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let mut plan = build(&desired, &live, comparison.clone(), &Default::default(), context());
    let without = crate::render::plan_file(&plan).text;
    assert!(!without.contains("proven"), "no proof known: no line");
    plan.proof = Some(Status::NotProven("step 1 failed:\nDROP SCHEMA app;\r\n-- x".into()));
    let text = crate::render::plan_file(&plan).text;
    assert!(text.contains("\n-- not proven: step 1 failed:\\nDROP SCHEMA app;\\r\\n-- x\n"), "{text}");
    let parsed = crate::apply::parse(&text).expect("the plan reads back");
    assert!(parsed.preamble.iter().all(|s| s.text.starts_with("SET ")), "nothing escaped the comment");
    plan.proof =
        Some(Status::Proven { on: "a copy of database \"app\"'s schema, PostgreSQL 15.18".into(), ran: 1 });
    let text = crate::render::plan_file(&plan).text;
    assert!(
        text.contains("\n-- proven: on a copy of database \"app\"'s schema, PostgreSQL 15.18, 1 step ran\n")
    );
    assert_eq!(Status::Skipped.header_line(), "not proven: --no-prove");
    assert_eq!(Status::Skipped.json()["status"], "skipped");
    assert_eq!(Status::NotProven("x".into()).json()["reason"], "x");
}

#[test]
fn each_validation_is_alone_in_its_transaction_and_every_step_has_its_lock() {
    use super::lock::{LockDuration, LockMode, StepLock};
    let (mut desired, live) = sample();
    let users = desired.tables.get_mut(&QualName::new("app", "users")).unwrap();
    users.constraints.insert(
        "users_email_check".into(),
        constraint(
            "users_email_check",
            ConstraintKind::Check,
            "CHECK ((email <> ''::text))",
            &["email"],
            None,
        ),
    );
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &Default::default(), context());
    let validations: Vec<&Step> =
        plan.steps().filter(|s| matches!(s.change.op, Op::ValidateConstraint { .. })).collect();
    assert_eq!(validations.len(), 2, "the check and the foreign key");
    for v in &validations {
        let segment = &plan.segments[segment_of_step(&plan, v.number)];
        assert_eq!(segment.steps.len(), 1, "step {} shares its transaction", v.number);
        assert_eq!(v.lock, StepLock { mode: LockMode::ShareUpdateExclusive, duration: LockDuration::Scan });
    }
    let lock_of = |name: &str, validate: bool| {
        plan.steps()
            .find(|s| {
                s.change.key.name == name && matches!(s.change.op, Op::ValidateConstraint { .. }) == validate
            })
            .unwrap()
            .lock
    };
    assert_eq!(lock_of("app.users.users_org_id_fkey", false).mode, LockMode::ShareRowExclusive);
    assert_eq!(lock_of("app.users.users_email_check", false).describe(), "ACCESS EXCLUSIVE, brief");
    let index = plan.steps().find(|s| s.change.key.kind == ObjectKind::Index).unwrap();
    assert_eq!(index.lock.describe(), "SHARE UPDATE EXCLUSIVE, build");
    assert!(plan.steps().all(|s| !s.lock.blocks_writes_long()), "no step blocks writers for long");
}

#[path = "../../tests/common/markdown_tables.rs"]
mod markdown_tables;
use markdown_tables::markdown_tables as review_tables;

#[test]
fn a_review_of_five_thousand_tables_fits_one_comment_and_keeps_its_table() {
    let desired = Catalog {
        schemas: [("app".to_string(), Schema { name: "app".into(), comment: None })].into(),
        tables: (0..5000)
            .map(|i| {
                let t = table("app", &format!("table_{i:05}"), vec![column("id", "bigint", true)]);
                (t.name.clone(), t)
            })
            .collect(),
        ..Default::default()
    };
    let live = Catalog::default();
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &crate::policy::Policy::default(), context());
    let review = crate::render::markdown::review(&plan, Some("0123456789abcdef"), None, "plan.md");
    let comment = review.comment.expect("5,000 tables do not fit one comment whole");
    assert!(comment.chars().count() <= crate::render::markdown::COMMENT_LIMIT, "{}", comment.len());
    assert!(review.full.chars().count() > crate::render::markdown::COMMENT_LIMIT);
    assert!(comment.contains("of 5001 steps") && comment.contains("`plan.md`"), "{comment}");
    let tables = review_tables(&comment);
    assert_eq!(tables.len(), 1, "the steps table");
    assert_eq!(tables[0][0], ["#", "class", "object", "hazards", "lock", "table size"]);
    assert!(tables[0].len() > 100 && tables[0].iter().all(|row| row.len() == 6), "{:?}", &tables[0][..3]);
    assert_eq!(tables[0][1][2], "schema app");
}

#[test]
fn every_step_has_its_statements_without_the_guard() {
    let (desired, live) = sample();
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &crate::policy::Policy::everything(), context());
    assert!(plan.step_count() > 5);
    for step in plan.steps() {
        let ddl = &step.ddl;
        assert!(!ddl.is_empty(), "step {} ({}) has no DDL", step.number, step.change.key);
        assert!(ddl.iter().all(|d| !d.contains("RAISE") && !d.contains("$accrete$")), "{ddl:?}");
    }
}

/// The manifest makes a round trip through the plan file: what `render` writes, `apply::parse` reads back
/// as the same entries, the before state of an object that exists (`was`) included, byte for byte, even
/// when it holds characters a comment line must not carry raw.
#[test]
fn the_manifest_round_trips_through_the_plan_file() {
    let (mut desired, mut live) = sample();
    let name = QualName::new("app", "users");
    live.tables.get_mut(&name).unwrap().comment = Some("line\nbreak \u{2028} and \\u2028".into());
    desired.tables.get_mut(&name).unwrap().comment = Some("new".into());
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &crate::policy::Policy::everything(), context());
    assert!(plan.manifest.iter().any(|e| e.was.as_deref().is_some_and(|w| w.contains('\u{2028}'))));
    let text = crate::render::plan_file(&plan).text;
    let read = crate::apply::parse(&text).expect("the rendered plan parses");
    assert_eq!(read.manifest, plan.manifest);
}

#[test]
fn a_new_user_mapping_with_options_lists_their_values_as_a_step_by_hand() {
    let defined = |kind: ObjectKind, name: &str, definition: &str| Defined {
        kind,
        name: QualName::new("", name),
        definition: definition.to_string(),
        comment: None,
    };
    let mut desired = Catalog::default();
    for d in [
        defined(
            ObjectKind::ForeignServer,
            "remote",
            "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw",
        ),
        defined(
            ObjectKind::UserMapping,
            "app_reader@remote",
            "CREATE USER MAPPING FOR app_reader SERVER remote OPTIONS (password '', \"user\" '')",
        ),
        defined(ObjectKind::UserMapping, "public@remote", "CREATE USER MAPPING FOR PUBLIC SERVER remote"),
    ] {
        desired.defined.insert(d.key(), d);
    }
    let live = Catalog::default();
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &Default::default(), context());
    let steps = step_lines(&plan);
    let pos = |needle: &str| steps.iter().position(|s| s.contains(needle)).unwrap();
    assert!(pos("foreign_server remote") < pos("user_mapping app_reader@remote"), "{steps:?}");
    let text = crate::render::plan_file(&plan).text;
    let step = pos("user_mapping app_reader@remote") + 1;
    let by_hand = format!(
        "-- by hand after apply (user mapping options: accrete writes no value; give each its own):\n\
         --   step {step}: ALTER USER MAPPING FOR app_reader SERVER remote OPTIONS (SET password '...', SET \"user\" '...');\n"
    );
    assert!(text.contains(&by_hand), "{text}");
    assert!(!text.contains("FOR PUBLIC SERVER remote OPTIONS (SET"), "{text}");
}

#[test]
fn a_foreign_table_is_made_after_its_server_and_dropped_as_a_foreign_table() {
    let server = Defined {
        kind: ObjectKind::ForeignServer,
        name: QualName::new("", "remote"),
        definition: "CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw".into(),
        comment: None,
    };
    let table = Defined {
        kind: ObjectKind::ForeignTable,
        name: QualName::new("app", "remote_users"),
        definition: "CREATE FOREIGN TABLE app.remote_users (id bigint) SERVER remote".into(),
        comment: None,
    };
    let mut desired = Catalog::default();
    desired.defined.insert(table.key(), table.clone());
    desired.defined.insert(server.key(), server);
    let live = Catalog::default();
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &Default::default(), context());
    let steps = step_lines(&plan);
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(
        steps[0].contains("foreign_server remote") && steps[1].contains("foreign_table app.remote_users")
    );
    assert_eq!(
        crate::kinds::get(ObjectKind::ForeignTable).drop_sql(&table.name),
        "DROP FOREIGN TABLE app.remote_users"
    );
}

/// A plan makes a round trip through its file: every step `apply::parse` reads back is the step `render`
/// wrote (`render::file_step`: class, kind, name, the change it serves, hazards, size) with its guard's
/// statements, and the manifest is the plan's, whatever quotes, line breaks, `*/` or `--` the names hold.
#[test]
fn a_plan_round_trips_through_its_file_whatever_its_names_hold() {
    let (mut desired, live) = sample();
    for (i, name) in ["it's \"x\"", "a\nb\r-- c", "*/ DROP TABLE t; /*", "-- accrete:end", "d · e\u{2028}"]
        .into_iter()
        .enumerate()
    {
        let mut t = table("app", name, vec![column(&format!("{name}{i}"), "text", true)]);
        t.comment = Some(format!("{name}*/--"));
        desired.tables.insert(t.name.clone(), t);
    }
    let mut ctx = context();
    ctx.role = Some("o\"wner".into());
    ctx.sizes.insert(QualName::new("app", "users"), TableSize { rows: 40, bytes: 8192 });
    let comparison = crate::diff::compare(&desired, &live, &Scope::default());
    let plan = build(&desired, &live, comparison.clone(), &crate::policy::Policy::everything(), ctx);
    let text = crate::render::plan_file(&plan).text;
    let read = crate::apply::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(read.manifest, plan.manifest);
    assert_eq!(read.role.as_deref(), Some("o\"wner"));
    assert_eq!(read.segments.len(), plan.segments.len());
    assert!(read.steps().any(|(_, s)| s.size.is_some()), "a size line was written and read");
    for (segment, theirs) in plan.segments.iter().zip(&read.segments) {
        assert_eq!((segment.number as u32, segment.transactional), (theirs.number, theirs.transactional));
        assert_eq!(segment.steps.len(), theirs.steps.len());
        for (step, read) in segment.steps.iter().zip(&theirs.steps) {
            let written = crate::planfile::Step {
                statements: read.statements.clone(),
                ..crate::render::file_step(&plan, step)
            };
            assert_eq!(read, &written);
            let statements = |s: &[crate::planfile::Stmt]| {
                s.iter().map(|s| (s.text.clone(), s.terminator)).collect::<Vec<_>>()
            };
            assert_eq!(
                statements(&read.statements),
                statements(&crate::planfile::split_statements(&plan.sql_of(step).unwrap()))
            );
        }
    }
}
