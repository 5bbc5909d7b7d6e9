//! Least privilege, through the binary: `plan`, `drift` and `pull` with a role that can only connect and
//! read the catalog in a read-only session; `apply` refusing up front, naming every privilege it lacks, and
//! changing nothing; `apply --role` by a member of the owning role; a plan made with `--role` refusing
//! another role. Roles are cluster-wide, so each test names its roles after its own database.

use crate::cli::{self, Output, Project};
use crate::support;
use accrete::conn::ConnParams;
use accrete::scope::Scope;
use std::collections::BTreeMap;

/// The live state: `app.users` owned by `<db>_owner`, in schema `app` owned by it too.
fn live_sql(owner: &str) -> String {
    format!(
        "CREATE ROLE {owner} NOLOGIN;
         CREATE SCHEMA app AUTHORIZATION {owner};
         CREATE TABLE app.users (id bigint PRIMARY KEY, name text NOT NULL);
         ALTER TABLE app.users OWNER TO {owner};"
    )
}

/// The desired state: a new column and an index on the existing table, a new table referencing it.
const DESIRED: &str = "CREATE SCHEMA app;
CREATE TABLE app.users (id bigint PRIMARY KEY, name text NOT NULL, email text);
CREATE INDEX users_name_idx ON app.users (name);
CREATE TABLE app.orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES app.users (id));
";

/// The same without the foreign key, whose segment follows the index build's (a dry run cannot run it).
const DESIRED_NO_FK: &str = "CREATE SCHEMA app;
CREATE TABLE app.users (id bigint PRIMARY KEY, name text NOT NULL, email text);
CREATE INDEX users_name_idx ON app.users (name);
CREATE TABLE app.orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);
";

fn as_user(db: &ConnParams, user: &str) -> String {
    cli::url(&ConnParams { user: user.to_string(), ..db.clone() })
}

async fn digests(db: &ConnParams) -> BTreeMap<accrete::catalog::ObjectKey, String> {
    let conn = support::connect(db).await;
    accrete::inspect::inspect(&conn.client, &Scope::default()).await.expect("inspect").catalog.digests()
}

async fn query_bool(db: &ConnParams, sql: &str) -> bool {
    support::connect(db)
        .await
        .client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

async fn no_history_schema(db: &ConnParams) -> bool {
    query_bool(db, "SELECT NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'accrete')").await
}

fn apply(project: &Project, plan: &str, url: &str, extra: &[&str]) -> Output {
    let plan = project.path(plan);
    let mut args = vec!["apply", plan.to_str().unwrap(), "--db", url];
    args.extend_from_slice(extra);
    project.run(&args)
}

/// A role with CONNECT only, whose sessions are read-only, plans, reports drift and pulls; its apply is
/// refused before anything runs, naming the read-only session and each privilege; nothing is created.
#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_role_plans_and_reports_drift() {
    let db = support::fresh_db("priv read only").await;
    let (owner, ro) = (format!("{}_owner", db.dbname), format!("{}_ro", db.dbname));
    support::exec(
        &db,
        &format!(
            "{}
             CREATE ROLE {ro} LOGIN;
             ALTER ROLE {ro} SET default_transaction_read_only = on;
             REVOKE ALL ON DATABASE {} FROM PUBLIC;
             GRANT CONNECT ON DATABASE {} TO {ro};",
            live_sql(&owner),
            db.dbname,
            db.dbname
        ),
    )
    .await;
    let url = as_user(&db, &ro);
    let project = Project::with_files(&format!("priv-ro-{}", db.dbname), &[("app.sql", DESIRED)]);
    let before = digests(&db).await;

    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(text.contains(&format!("new objects owned by: {ro} (the connecting role)")), "{text}");
    let pending = project.run(&["plan", "--db", &url, "--exit-code", "--out", "again.sql"]);
    assert_eq!(pending.code, 2, "{}", pending.all());
    let drift = project.run(&["drift", "--db", &url]);
    assert_eq!(drift.code, 2, "{}", drift.all());
    assert!(drift.stdout.contains("app.users.email"), "{}", drift.all());
    let json = project.run(&["drift", "--db", &url, "--format", "json"]);
    assert_eq!(json.code, 2, "{}", json.all());
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("drift JSON");
    assert!(report["missing"].as_array().is_some_and(|m| !m.is_empty()), "{}", json.stdout);
    let pulled = project.run(&["pull", "--db", &url, "--schema-dir", "pulled"]);
    assert_eq!(pulled.code, 0, "{}", pulled.all());
    let table = std::fs::read_to_string(project.path("pulled/app/tables/users.sql")).unwrap_or_default();
    assert!(table.contains("name text NOT NULL"), "pulled app.users:\n{table}\n{}", pulled.all());

    for dry_run in [true, false] {
        let refused = apply(&project, "plan.sql", &url, if dry_run { &["--dry-run"] } else { &[] });
        assert_eq!(refused.code, 1, "dry run {dry_run}: {}", refused.all());
        let err = &refused.stderr;
        assert!(err.contains(&format!("the session of role {ro} is read-only")), "{}", refused.all());
        assert!(err.contains(&format!("role {ro} lacks USAGE on schema app")), "{}", refused.all());
        assert!(
            err.contains(&format!("role {ro} does not own table app.users (owner: {owner})")),
            "{}",
            refused.all()
        );
        assert!(
            err.contains("no step took effect: nothing the plan touches was changed"),
            "{}",
            refused.all()
        );
        assert_eq!(err.contains("(the apply history)"), !dry_run, "{}", refused.all());
    }
    assert_eq!(digests(&db).await, before, "plan, drift and refused applies changed nothing");
    assert!(no_history_schema(&db).await);
}

/// A deployer that lacks CREATE on the schema and does not own the table is refused before anything
/// runs, with one line per missing privilege; with the privileges in place but a step already done by
/// hand, that step's privilege is no longer asked for.
#[tokio::test(flavor = "multi_thread")]
async fn apply_names_every_missing_privilege_before_running_anything() {
    let db = support::fresh_db("priv lacking").await;
    let (owner, deployer) = (format!("{}_owner", db.dbname), format!("{}_deployer", db.dbname));
    support::exec(
        &db,
        &format!(
            "{}
             CREATE ROLE {deployer} LOGIN;
             GRANT USAGE ON SCHEMA app TO {deployer};",
            live_sql(&owner)
        ),
    )
    .await;
    let url = as_user(&db, &deployer);
    let project = Project::with_files(&format!("priv-lacking-{}", db.dbname), &[("app.sql", DESIRED)]);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let before = digests(&db).await;
    let plan_text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    let step = |what: &str| {
        let line = plan_text.lines().find(|l| l.starts_with("-- step ") && l.contains(what));
        let line = line.unwrap_or_else(|| panic!("no step {what} in\n{plan_text}"));
        line.split_whitespace().nth(2).unwrap().to_string()
    };

    let refused = apply(&project, "plan.sql", &url, &[]);
    assert_eq!(refused.code, 1, "{}", refused.all());
    let err = &refused.stderr;
    let lines: Vec<&str> = err.lines().collect();
    let has = |text: &str| lines.iter().any(|l| l.trim_start().starts_with(text));
    assert!(has(&format!("role {deployer} lacks CREATE on schema app (steps ")), "{}", refused.all());
    let not_owner = format!(
        "role {deployer} does not own table app.users (owner: {owner}): use --role {owner} or grant membership"
    );
    assert!(has(&not_owner), "{}", refused.all());
    assert!(
        has(&format!("role {deployer} lacks CREATE on database {} (the apply history)", db.dbname)),
        "{}",
        refused.all()
    );
    // The steps on app.users are named with the ownership they need.
    let (column, index) = (step("add column app.users.email"), step("add index app.users_name_idx"));
    assert!(err.contains(&format!("grant membership (steps {column}, {index})")), "{}", refused.all());
    let fk = step("add constraint app.orders.orders_user_id_fkey");
    assert!(
        has(&format!("role {deployer} lacks REFERENCES on column app.users.id (step {fk})")),
        "{}",
        refused.all()
    );
    assert!(err.contains("no step took effect: nothing the plan touches was changed"), "{}", refused.all());
    assert!(!refused.stdout.contains("segment 1"), "nothing ran:\n{}", refused.all());
    assert_eq!(digests(&db).await, before, "a refused apply changed nothing");
    assert!(no_history_schema(&db).await, "no history schema either");

    // CREATE on the schema and the database, and the owner's part done by hand: the steps on app.users are
    // skipped by their guards, so their ownership is not needed, and the rest applies.
    support::exec(
        &db,
        &format!(
            "GRANT CREATE ON SCHEMA app TO {deployer};
             GRANT CREATE ON DATABASE {} TO {deployer};
             GRANT REFERENCES ON app.users TO {deployer};
             ALTER TABLE app.users ADD COLUMN email text;
             CREATE INDEX users_name_idx ON app.users (name);",
            db.dbname
        ),
    )
    .await;
    let applied = apply(&project, "plan.sql", &url, &[]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert!(
        applied.stdout.contains(&format!("privileges: role {deployer} has every privilege this apply needs")),
        "{}",
        applied.all()
    );
    let owned = format!(
        "SELECT pg_get_userbyid(relowner) = '{deployer}' FROM pg_class WHERE oid = 'app.orders'::regclass"
    );
    assert!(query_bool(&db, &owned).await, "the new table is the deployer's");
}

/// `apply --role OWNER` by a login that is a member of the owning role: allowed, and what is new is owned
/// by that role; a plan made with `--role` refuses another role, and without `--role` runs as the
/// planned one.
#[tokio::test(flavor = "multi_thread")]
async fn apply_as_the_owner_role_through_membership() {
    let db = support::fresh_db("priv member").await;
    let (owner, deployer, other) =
        (format!("{}_owner", db.dbname), format!("{}_deployer", db.dbname), format!("{}_other", db.dbname));
    support::exec(
        &db,
        &format!(
            "{}
             CREATE ROLE {deployer} LOGIN;
             CREATE ROLE {other} NOLOGIN;
             GRANT {owner}, {other} TO {deployer};
             GRANT CREATE ON DATABASE {} TO {owner};",
            live_sql(&owner),
            db.dbname
        ),
    )
    .await;
    let url = as_user(&db, &deployer);
    let project = Project::with_files(&format!("priv-member-{}", db.dbname), &[("app.sql", DESIRED_NO_FK)]);
    let planned = project.run(&["plan", "--db", &url, "--role", &owner, "--out", "plan.sql"]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    let text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(
        text.contains(&format!("new objects owned by: {owner} (SET ROLE at apply: --role {owner})")),
        "{text}"
    );
    assert!(text.contains(&format!("\nSET ROLE {owner};\n")), "{text}");
    let before = digests(&db).await;

    let refused = apply(&project, "plan.sql", &url, &["--role", &other]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert!(refused.stderr.contains(&format!("apply with --role {owner}")), "{}", refused.all());
    assert_eq!(digests(&db).await, before);
    assert!(no_history_schema(&db).await);

    // Without --role, the plan's own SET ROLE decides: the dry run checks the planned role.
    let dry = apply(&project, "plan.sql", &url, &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.all());
    assert!(dry.stdout.contains(&format!("privileges: role {owner} has every privilege")), "{}", dry.all());

    let applied = apply(&project, "plan.sql", &url, &["--role", &owner]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    for relation in ["app.orders", "app.orders_pkey", "app.users_name_idx"] {
        let sql = format!(
            "SELECT pg_get_userbyid(relowner) = '{owner}' FROM pg_class WHERE oid = '{relation}'::regclass"
        );
        assert!(query_bool(&db, &sql).await, "{relation} is owned by {owner}");
    }
    let conn = support::connect(&db).await;
    let row = conn
        .client
        .query_one(
            "SELECT session_user_name, role_name, status FROM accrete.history ORDER BY id DESC LIMIT 1",
            &[],
        )
        .await
        .unwrap();
    let (session, role, status): (String, String, String) = (row.get(0), row.get(1), row.get(2));
    assert_eq!(
        (session.as_str(), role.as_str(), status.as_str()),
        (deployer.as_str(), owner.as_str(), "applied")
    );
}

/// Code on a table the deployer does not own: a trigger needs TRIGGER on the table, a policy, row-level
/// security and a comment need its owner; the function and the view need CREATE on the schema only. Once
/// the deployer is a member of the owner (inheriting its privileges), the same plan applies.
#[tokio::test(flavor = "multi_thread")]
async fn triggers_policies_and_row_security_need_the_table() {
    let db = support::fresh_db("priv code").await;
    let (owner, deployer) = (format!("{}_owner", db.dbname), format!("{}_deployer", db.dbname));
    support::exec(
        &db,
        &format!(
            "CREATE ROLE {owner} NOLOGIN;
             CREATE ROLE {deployer} LOGIN;
             CREATE SCHEMA app;
             GRANT USAGE, CREATE ON SCHEMA app TO {deployer};
             CREATE TABLE app.documents (id bigint PRIMARY KEY, tenant_id integer NOT NULL,
                                         updated_at timestamptz NOT NULL DEFAULT now());
             ALTER TABLE app.documents OWNER TO {owner};
             GRANT SELECT ON app.documents TO {deployer};
             GRANT CREATE ON DATABASE {} TO {deployer};",
            db.dbname
        ),
    )
    .await;
    let desired = "CREATE SCHEMA app;
CREATE TABLE app.documents (id bigint PRIMARY KEY, tenant_id integer NOT NULL,
                            updated_at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER documents_touch BEFORE UPDATE ON app.documents FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_by_tenant ON app.documents USING (tenant_id > 0);
CREATE VIEW app.recent AS SELECT id, updated_at FROM app.documents;
COMMENT ON VIEW app.recent IS 'Documents by time.';
";
    let url = as_user(&db, &deployer);
    let project = Project::with_files(&format!("priv-code-{}", db.dbname), &[("app.sql", desired)]);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan_text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    let step = |what: &[&str]| {
        let line =
            plan_text.lines().find(|l| l.starts_with("-- step ") && what.iter().all(|w| l.contains(w)));
        let line = line.unwrap_or_else(|| panic!("no step {what:?} in\n{plan_text}"));
        line.split_whitespace().nth(2).unwrap().to_string()
    };
    let before = digests(&db).await;

    let refused = apply(&project, "plan.sql", &url, &[]);
    assert_eq!(refused.code, 1, "{}", refused.all());
    let trigger = step(&["trigger app.documents.documents_touch"]);
    let lacks_trigger = format!("role {deployer} lacks TRIGGER on table app.documents (step {trigger})");
    assert!(refused.stderr.contains(&lacks_trigger), "{}", refused.all());
    let (policy, rls) =
        (step(&["policy app.documents.documents_by_tenant"]), step(&["table app.documents", "enables-rls"]));
    let mut owner_steps = [policy.parse::<u32>().unwrap(), rls.parse().unwrap()];
    owner_steps.sort();
    let not_owner = format!("role {deployer} does not own table app.documents (owner: {owner})");
    let line = refused.stderr.lines().find(|l| l.contains(&not_owner));
    let line = line.unwrap_or_else(|| panic!("{}", refused.all()));
    for n in owner_steps {
        assert!(line.contains(&n.to_string()), "step {n} in {line}");
    }
    assert!(!refused.stderr.contains("CREATE on schema app"), "held:\n{}", refused.all());
    assert_eq!(digests(&db).await, before, "a refused apply changed nothing");
    assert!(no_history_schema(&db).await);

    support::exec(&db, &format!("GRANT {owner} TO {deployer}")).await;
    let applied = apply(&project, "plan.sql", &url, &[]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    let sql = format!(
        "SELECT (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'app.recent'::regclass) = '{deployer}'
            AND EXISTS (SELECT FROM pg_trigger WHERE tgname = 'documents_touch')"
    );
    assert!(query_bool(&db, &sql).await, "applied, the new view owned by the deployer");
}

/// An event trigger needs a superuser: a plan made by a role that is not one says so on the step, and its
/// apply is refused before anything runs, naming the step; a superuser applies the same plan.
#[tokio::test(flavor = "multi_thread")]
async fn event_triggers_need_a_superuser_and_apply_says_so_up_front() {
    let db = support::fresh_db("priv event trigger").await;
    let deployer = format!("{}_deployer", db.dbname);
    support::exec(
        &db,
        &format!(
            "CREATE ROLE {deployer} LOGIN;
             CREATE SCHEMA app AUTHORIZATION {deployer};
             GRANT CREATE ON DATABASE {} TO {deployer};",
            db.dbname
        ),
    )
    .await;
    let desired = "CREATE SCHEMA app;
CREATE FUNCTION app.noop() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    NULL;
END
$$;
CREATE EVENT TRIGGER app_noop ON ddl_command_end EXECUTE FUNCTION app.noop();
";
    let url = as_user(&db, &deployer);
    let project = Project::with_files(&format!("priv-event-{}", db.dbname), &[("app.sql", desired)]);
    let planned = project.plan(&url, "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan_text = std::fs::read_to_string(project.path("plan.sql")).unwrap();
    assert!(
        plan_text.contains("-- step 2 · add event_trigger app_noop · hazards: needs-superuser"),
        "{plan_text}"
    );
    let before = digests(&db).await;

    let refused = apply(&project, "plan.sql", &url, &[]);
    assert_eq!(refused.code, 1, "{}", refused.all());
    let expected = format!(
        "role {deployer} is not a superuser, and only a superuser can create or alter an event trigger: apply as \
         one (or with --role naming one), or make these steps by hand (step 2)"
    );
    assert!(refused.stderr.contains(&expected), "{}", refused.all());
    assert_eq!(digests(&db).await, before, "a refused apply changed nothing");
    assert!(no_history_schema(&db).await);

    let applied = apply(&project, "plan.sql", &cli::url(&db), &[]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert!(query_bool(&db, "SELECT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'app_noop')").await);
}
