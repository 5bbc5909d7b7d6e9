//! Apply under faults: a writer's latency during validations, interruption by signals, a backend
//! terminated mid-segment, an apply killed outright and recovered by the next one, two applies at once,
//! and a table lock held by another session. Each asserts what the history says, that a re-run
//! converges, and (where a plan ran) that the rollback restores the catalog.

use crate::cli::{self, Project};
use crate::support;
use accrete::apply::{self, ApplyError, ApplyOptions, Outcome, PlanFile};
use accrete::catalog::ObjectKey;
use accrete::config::{ConnParams, Scope};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn opts() -> ApplyOptions {
    ApplyOptions {
        lock_wait: Duration::from_secs(5),
        retry_backoff: Duration::from_millis(50),
        ..Default::default()
    }
}

/// Plans `desired` against `db` with the binary; returns the project and the parsed plan.
fn plan(name: &str, db: &ConnParams, desired: &str) -> (Project, PlanFile) {
    let project = Project::with_files(name, &[("schema.sql", desired)]);
    let planned = project.plan(&cli::url(db), "plan.sql");
    assert_eq!(planned.code, 0, "{}", planned.all());
    let plan = apply::load(&project.path("plan.sql")).unwrap_or_else(|e| panic!("{e}"));
    (project, plan)
}

async fn run(
    params: &ConnParams,
    plan: &PlanFile,
    opts: &ApplyOptions,
) -> (Result<Outcome, ApplyError>, String) {
    let mut out = Vec::new();
    let result = apply::apply(params, plan, opts, &mut out).await;
    (result, String::from_utf8(out).unwrap())
}

async fn digests(db: &ConnParams) -> BTreeMap<ObjectKey, String> {
    let conn = support::connect(db).await;
    let scope = Scope { own_schema: "accrete".into(), ..Default::default() };
    accrete::inspect::inspect(&conn.client, &scope).await.expect("inspect").catalog.digests()
}

async fn query_i64(params: &ConnParams, sql: &str) -> i64 {
    support::connect(params).await.client.query_one(sql, &[]).await.unwrap().get(0)
}

const PARENT_CHILD: &str = "CREATE TABLE public.parent (id bigint NOT NULL);
INSERT INTO public.parent SELECT generate_series(1, 1000);
CREATE TABLE public.child (id bigint NOT NULL, parent_id bigint NOT NULL, note text NOT NULL);
INSERT INTO public.child SELECT g, 1 + g % 1000, md5(g::text) FROM generate_series(1, 1000000) g;
ANALYZE public.child;";

/// The parent's unique index is built concurrently between the check added `NOT VALID` and the foreign
/// key, so the check's validation would follow the foreign key in one transaction if segments allowed it.
const PARENT_CHILD_DESIRED: &str = "CREATE TABLE public.parent (id bigint NOT NULL);
CREATE UNIQUE INDEX parent_id_key ON public.parent (id);
CREATE TABLE public.child (id bigint NOT NULL, parent_id bigint NOT NULL, note text NOT NULL,
    CONSTRAINT child_note_check CHECK (length(md5(note || md5(note))) = 32));
ALTER TABLE public.child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES public.parent (id);";

#[tokio::test(flavor = "multi_thread")]
async fn a_writer_never_waits_longer_than_the_lock_timeout_during_validations() {
    let db = support::fresh_db("faults latency").await;
    support::exec(&db, PARENT_CHILD).await;
    let (_project, plan) = plan("faults-latency", &db, PARENT_CHILD_DESIRED);
    let validations: Vec<_> = plan.steps().filter(|(_, s)| s.has_hazard("validates-constraint")).collect();
    assert_eq!(validations.len(), 2, "{}", plan.text);
    for (segment, step) in &validations {
        assert_eq!(segment.steps.len(), 1, "step {} shares its transaction:\n{}", step.number, plan.text);
    }

    let writer = support::connect(&db).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_writer = stop.clone();
    let writes = tokio::spawn(async move {
        let (mut max, mut n) = (Duration::ZERO, 0i64);
        while !stop_writer.load(std::sync::atomic::Ordering::Relaxed) {
            n += 1;
            let started = Instant::now();
            writer
                .client
                .execute(
                    "INSERT INTO public.child VALUES (2000000 + $1::bigint, 1 + $1::bigint % 1000, md5($1::bigint::text))",
                    &[&n],
                )
                .await
                .unwrap();
            max = max.max(started.elapsed());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        (max, n)
    });
    let lock_timeout = Duration::from_millis(300);
    let opts = ApplyOptions { lock_timeout, lock_retries: 20, ..opts() };
    let started = Instant::now();
    let (result, log) = run(&db, &plan, &opts).await;
    let took = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (max, n) = writes.await.unwrap();
    let outcome = result.unwrap_or_else(|e| panic!("{e}\n{log}"));
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    eprintln!("apply took {took:?}; {n} inserts, the longest waited {max:?}");
    assert!(n > 10, "the writer wrote during the apply ({n} rows)");
    assert!(max < lock_timeout, "an insert waited {max:?} (lock timeout {lock_timeout:?})\n{log}");
}
