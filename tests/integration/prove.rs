//! exploratory
use crate::cli::{self, Project};
use crate::support;

async fn try_case(name: &str, live: &str, desired: &str) {
    let db = support::fresh_db(name).await;
    support::exec(&db, live).await;
    let project = Project::with_files(name, &[("s.sql", desired)]);
    let url = cli::url(&db);
    let out = project.run(&["plan", "--db", &url, "--out", project.path("plan.sql").to_str().unwrap(), "--allow", "alter,drop"]);
    eprintln!("=== {name}: plan exit {}\n{}", out.code, out.all());
    if out.code == 0 {
        let text = std::fs::read_to_string(project.path("plan.sql")).unwrap_or_default();
        eprintln!("{}", text.lines().filter(|l| l.starts_with("-- proven") || l.starts_with("-- not proven") || l.starts_with("-- step")).collect::<Vec<_>>().join("\n"));
        let applied = project.run(&["apply", project.path("plan.sql").to_str().unwrap(), "--db", &url, "--allow", "alter,drop"]);
        eprintln!("--- apply exit {}\n{}", applied.code, applied.all());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn explore() {
    try_case("x-view-type", "CREATE TABLE public.t (a integer); CREATE VIEW public.v AS SELECT a FROM public.t;",
        "CREATE TABLE public.t (a bigint); CREATE VIEW public.v AS SELECT a FROM public.t;").await;
    try_case("x-func-ret", "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS 'SELECT 1'; CREATE VIEW public.v AS SELECT public.f() AS x;",
        "CREATE FUNCTION public.f() RETURNS bigint LANGUAGE sql AS 'SELECT 1'; CREATE VIEW public.v AS SELECT public.f() AS x;").await;
    try_case("x-generated", "CREATE TABLE public.t (a integer, b integer GENERATED ALWAYS AS (a * 2) STORED);",
        "CREATE TABLE public.t (a bigint, b integer GENERATED ALWAYS AS (a * 2) STORED);").await;
    try_case("x-policy", "CREATE TABLE public.t (a integer); CREATE POLICY p ON public.t USING (a > 0);",
        "CREATE TABLE public.t (a bigint); CREATE POLICY p ON public.t USING (a > 0);").await;
}
