//! Rollback files: written beside each plan, they undo exactly what that plan's apply executed, as the
//! history records it, and nothing that existed before or was made by hand.

use crate::cli::{self, Project};
use crate::support;
use accrete::catalog::ObjectKey;
use accrete::scope::Scope;
use std::collections::BTreeMap;

async fn digests(db: &accrete::conn::ConnParams) -> BTreeMap<ObjectKey, String> {
    let conn = support::connect(db).await;
    let scope = Scope { own_schema: "accrete".into(), ..Default::default() };
    accrete::inspect::inspect(&conn.client, &scope).await.expect("inspect").catalog.digests()
}

const LIVE: &str = "CREATE TABLE public.users (id bigint PRIMARY KEY, email character varying(40) NOT NULL);
COMMENT ON TABLE public.users IS 'people';
INSERT INTO public.users VALUES (1, 'a@example.com');";

const DESIRED: &str = "CREATE TYPE public.plan AS ENUM ('free', 'paid');
CREATE TABLE public.users (
    id bigint PRIMARY KEY,
    email character varying(80) NOT NULL DEFAULT 'unknown',
    nickname text,
    plan public.plan
);
COMMENT ON TABLE public.users IS 'people who sign in';
CREATE INDEX users_nickname_idx ON public.users (nickname);
CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES public.users (id));
CREATE VIEW public.user_orders AS SELECT u.id, count(o.id) AS orders FROM public.users u LEFT JOIN public.orders o ON o.user_id = u.id GROUP BY u.id;
";

fn plan_with_rollback(project: &Project, url: &str) -> (String, String) {
    let planned = project.run(&[
        "plan",
        "--db",
        url,
        "--allow",
        "alter",
        "--out",
        project.path("p.sql").to_str().unwrap(),
    ]);
    assert_eq!(planned.code, 0, "{}", planned.all());
    assert!(planned.stdout.contains("its rollback written to"), "{}", planned.all());
    let rollback = project.path("p.rollback.sql");
    let text = std::fs::read_to_string(&rollback).expect("the rollback is written beside the plan");
    assert!(text.contains("-- accrete:rollback-of "), "{text}");
    (project.path("p.sql").to_str().unwrap().to_string(), rollback.to_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rollback_returns_the_database_to_the_catalog_it_had_before_the_plan() {
    let db = support::fresh_db("rollback-all").await;
    support::exec(&db, LIVE).await;
    let project = Project::with_files("rollback-all", &[("schema.sql", DESIRED)]);
    let url = cli::url(&db);
    let before = digests(&db).await;
    let (plan, rollback) = plan_with_rollback(&project, &url);
    let text = std::fs::read_to_string(&rollback).unwrap();
    assert!(text.contains("cannot be undone:"), "{text}");
    let applied = project.run(&["apply", &plan, "--db", &url, "--allow", "alter"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    assert_ne!(digests(&db).await, before);
    // A rollback drops and alters: this apply has to admit both.
    let refused = project.run(&["apply", &rollback, "--db", &url]);
    assert_eq!(refused.code, 3, "{}", refused.all());
    let undone = project.run(&["apply", &rollback, "--db", &url, "--allow", "drop,alter"]);
    assert_eq!(undone.code, 0, "{}", undone.all());
    assert_eq!(digests(&db).await, before, "the rollback left another catalog:\n{}", undone.all());
    let again = project.run(&["apply", &rollback, "--db", &url, "--allow", "drop,alter"]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.all().contains("already applied"), "{}", again.all());
    // The row survived the whole round trip.
    let conn = support::connect(&db).await;
    let n: i64 = conn.client.query_one("SELECT count(*) FROM public.users", &[]).await.unwrap().get(0);
    assert_eq!(n, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rollback_leaves_what_the_apply_skipped() {
    let db = support::fresh_db("rollback-skipped").await;
    support::exec(&db, LIVE).await;
    let project = Project::with_files("rollback-skipped", &[("schema.sql", DESIRED)]);
    let url = cli::url(&db);
    let (plan, rollback) = plan_with_rollback(&project, &url);
    // After the review, someone makes two of the planned objects by hand, as planned.
    support::exec(
        &db,
        "ALTER TABLE public.users ADD COLUMN nickname text; CREATE INDEX users_nickname_idx ON public.users (nickname);",
    )
    .await;
    let applied = project.run(&["apply", &plan, "--db", &url, "--allow", "alter"]);
    assert_eq!(applied.code, 0, "{}", applied.all());
    let undone = project.run(&["apply", &rollback, "--db", &url, "--allow", "drop,alter"]);
    assert_eq!(undone.code, 0, "{}", undone.all());
    // Their undoing steps are skipped by the history gate.
    assert!(undone.stdout.contains("drop index public.users_nickname_idx: skipped"), "{}", undone.all());
    assert!(undone.stdout.contains("drop column public.users.nickname: skipped"), "{}", undone.all());
    let after = digests(&db).await;
    assert!(
        after.contains_key(&ObjectKey::column(
            &accrete::catalog::QualName::new("public", "users"),
            "nickname"
        ))
    );
    assert!(after.contains_key(&ObjectKey::index("public", "users_nickname_idx")));
    assert!(!after.contains_key(&ObjectKey::table(&accrete::catalog::QualName::new("public", "orders"))));
    assert!(!after.contains_key(&ObjectKey::view(&accrete::catalog::QualName::new("public", "user_orders"))));
}
