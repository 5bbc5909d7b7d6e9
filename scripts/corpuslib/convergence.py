"""Convergence on other tools' migration fixtures: migra (`a.sql` live, `b.sql` desired) and sqldef
(`current` live, `desired` desired, from `cmd/psqldef/tests_*.yml`).

Role: per case, load the live SQL into a fresh database, plan the desired SQL against it, apply the plan,
then check that accrete converged: nothing declared is missing (`drift` JSON `missing` is empty), a new plan
has zero steps, and applying the first plan again says "already applied". The add class never drops or
alters, so extra and changed objects after that apply do not count against it. Then, on the same database,
full convergence with every class admitted (`--allow alter,drop` on plan and apply): after that apply, a new
plan has zero steps and `drift` reports nothing missing, extra or changed.

Invariants: a case whose live SQL does not load (or that needs what the server lacks) is "not runnable" and
kept out of the converged/total ratio, with its reason; every case gets its own database, dropped afterwards.
"""

import glob
import hashlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field

from . import accrete as acc
from . import miniyaml

MIGRA_ROLE = "schemainspect_test_role"
# The cluster roles the sqldef harness creates before all cases (sqldef/NOTES.md).
SQLDEF_ROLES = ["readonly_user", "app_user", "admin_role", "user-with-dash", "user.with.dot", "user with spaces",
                "CamelCaseUser", "UPPERCASE_USER", "user1", "user2", "user3", "user4", "My User", "reader",
                "writer", "admin", "reader1", "reader2", "writer1", "writer2", "role1", "role2", "power_user",
                "user@domain.com"]


@dataclass
class Case:
    corpus: str            # migra | sqldef
    name: str
    live_file: str = ""    # migra: a path in the corpus
    desired_file: str = ""
    live_sql: str = ""     # sqldef: SQL text
    desired_sql: str = ""
    user: str = ""
    skip: str = ""


@dataclass
class Row:
    corpus: str
    name: str
    status: str = "ok"     # ok | skip | live-fail | error
    reason: str = ""
    plan_rc: int = -1
    steps: int = -1
    apply_rc: int = -1
    missing: int = -1
    extra: int = -1
    changed: int = -1
    replan_steps: int = -1
    reapply: str = ""      # already | n/a | exit N
    converged: bool = False
    full: str = ""         # yes | no | n/a: converged completely with every class admitted
    full_items: list = field(default_factory=list)
    renames: int = 0       # likely renames plan refused, answered as new objects (`[renames] new`)
    secs: float = 0.0
    items: list = field(default_factory=list)


def migra_cases(corpus):
    root = os.path.join(corpus, "migra", "FIXTURES")
    return [Case("migra", name, os.path.join(root, name, "a.sql"), os.path.join(root, name, "b.sql"))
            for name in sorted(os.listdir(root)) if os.path.isfile(os.path.join(root, name, "b.sql"))]


def _version_tuple(text):
    return tuple(int(x) for x in re.findall(r"\d+", str(text))[:2]) or (0,)


def _invalid_desired(corpus):
    """Cases whose desired SQL is not plain PostgreSQL (per the load check): syntax sqldef rewrites itself
    (Aurora DSQL `CREATE INDEX ASYNC`, bare `AT TIME ZONE` defaults) or a locale this host lacks."""
    out = {}
    with open(os.path.join(corpus, "_loadcheck", "sqldef-psqldef-load.tsv"), encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) >= 5 and parts[3] == "FAIL" and re.search(r"syntax error|collation \"", parts[4]):
                out[(parts[0], parts[1])] = parts[4]
    return out


def sqldef_cases(corpus, server_version, extensions):
    """Every migration case of cmd/psqldef/tests_*.yml, with the harness's skips."""
    out = []
    invalid = _invalid_desired(corpus)
    server = _version_tuple(server_version)
    for path in sorted(glob.glob(os.path.join(corpus, "sqldef", "cmd", "psqldef", "tests_*.yml"))):
        stem = os.path.basename(path)[len("tests_"):-len(".yml")]
        with open(path, encoding="utf-8") as f:
            cases = miniyaml.read_cases(f.read())
        for name, fields in cases.items():
            c = Case("sqldef", f"{stem}/{name}", live_sql=fields.get("current") or "",
                     desired_sql=fields.get("desired") or "", user=fields.get("user") or "")
            flavor = fields.get("flavor")
            if flavor == "pgvector" and "vector" not in extensions:
                c.skip = "flavor pgvector: the vector extension is not available"
            elif flavor and flavor != "pgvector":
                c.skip = f"flavor {flavor}"
            elif fields.get("min_version") and _version_tuple(fields["min_version"]) > server:
                c.skip = f"min_version {fields['min_version']}"
            elif fields.get("max_version") and _version_tuple(fields["max_version"]) < server:
                c.skip = f"max_version {fields['max_version']}"
            elif (os.path.basename(path), name) in invalid:
                c.skip = "desired is not plain PostgreSQL; load check: " + \
                         invalid[(os.path.basename(path), name)].replace("ERROR:  ", "")
            out.append(c)
    return out


def sample(cases, every):
    """Every `every`-th case of each file (the first of each file included), in order."""
    picked, seen = [], {}
    for c in cases:
        stem = c.name.split("/")[0]
        k = seen.get(stem, 0)
        seen[stem] = k + 1
        if k % every == 0:
            picked.append(c)
    return picked


def _prepare_user(psql, db, user):
    """As the sqldef harness: a LOGIN role with search_path foo, public, ALL on the database, schema foo."""
    literal = "'" + user.replace("'", "''") + "'"
    ident = '"' + user.replace('"', '""') + '"'
    psql.run_sql("postgres", f"DO $r$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal}) THEN "
                             f"CREATE ROLE {ident} LOGIN; END IF; END $r$;\n"
                             f"ALTER ROLE {ident} SET search_path = foo, public;\n"
                             f'GRANT ALL ON DATABASE "{db}" TO {ident};\n')
    psql.run_sql(db, "CREATE SCHEMA foo;\n", user=user)


def _declare_user_setup(work):
    """What the harness sets up for its role, declared the accrete way: its files' unqualified names go to
    foo first (`[source] search_path`), and foo, which the harness creates, is declared."""
    with open(os.path.join(work, "accrete.toml"), "w", encoding="utf-8") as f:
        f.write('[source]\nsearch_path = ["foo", "public"]\n')
    with open(os.path.join(work, "schema", "00-harness.sql"), "w", encoding="utf-8") as f:
        f.write("CREATE SCHEMA foo;\n")


_CREATE_SCHEMA = re.compile(r'create\s+schema\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)',
                            re.IGNORECASE)


def _schemas_created(sql):
    return {m if m.startswith('"') else m.lower() for m in _CREATE_SCHEMA.findall(sql)}


def _declare_live_schemas(work, case):
    """sqldef does not manage schemas: a schema its live SQL creates and its desired SQL does not is, for
    accrete, someone else's, and listed as `[external] objects = ["schema:NAME"]`."""
    names = sorted(n.strip('"').replace('""', '"') for n in
                   _schemas_created(case.live_sql) - _schemas_created(case.desired_sql))
    if case.user:
        names = [n for n in names if n != "foo"]
    if not names:
        return
    entries = ", ".join('"schema:' + n.replace('\\', '\\\\').replace('"', '\\"') + '"' for n in names)
    with open(os.path.join(work, "accrete.toml"), "a", encoding="utf-8") as f:
        f.write(f"[external]\nobjects = [{entries}]\n")


def _stage_failure(row, stage, result):
    row.items.insert(0, f"{stage} exit {result.rc}: {result.first_error()}")


def run_case(case, ctx):
    row = Row(case.corpus, case.name)
    if case.skip:
        row.status, row.reason = "skip", case.skip
        return row
    start = time.monotonic()
    shutil.rmtree(_out_dir(ctx, case), ignore_errors=True)
    # Names are cut to fit PostgreSQL's 63 bytes, so a digest of the whole name keeps cases apart.
    digest = hashlib.sha1(f"{case.corpus}/{case.name}".encode()).hexdigest()[:8]
    safe = re.sub(r"[^A-Za-z0-9_]+", "_", case.name)[:36] + "_" + digest
    work = os.path.join(ctx.work, f"{case.corpus}-{safe}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "schema"))
    db = f"cv_{case.corpus}_{safe}".lower()
    user = case.user or "postgres"
    try:
        ctx.psql.create_db(db)
        if case.user:
            _prepare_user(ctx.psql, db, case.user)
        live = case.live_file
        if case.user:
            _declare_user_setup(work)
        if case.corpus == "sqldef":
            _declare_live_schemas(work, case)
        if case.corpus == "sqldef":
            live = os.path.join(work, "current.sql")
            with open(live, "w", encoding="utf-8") as f:
                f.write(case.live_sql)
            with open(os.path.join(work, "schema", "desired.sql"), "w", encoding="utf-8") as f:
                f.write(case.desired_sql)
        else:
            os.symlink(case.desired_file, os.path.join(work, "schema", "b.sql"))
        if case.corpus != "sqldef" or case.live_sql.strip():
            ok, error, _ = ctx.psql.run_file(db, live, user=user)
            if not ok:
                row.status, row.reason = "live-fail", error
                return row
        _converge(row, ctx, db, work, user)
        if row.plan_rc == 0:
            _converge_fully(row, ctx, db, work, user)
    except Exception as e:  # a broken case is recorded, the run goes on
        row.status, row.reason = "error", f"{type(e).__name__}: {e}"
    finally:
        row.secs = time.monotonic() - start
        if (not row.converged or row.full == "no") and row.status == "ok":
            _keep_outputs(ctx, case, work)
        if not ctx.keep:
            ctx.psql.drop_db(db)
            shutil.rmtree(work, ignore_errors=True)
    return row


def _converge(row, ctx, db, work, user):
    schema, plan_file = os.path.join(work, "schema"), os.path.join(work, "plan.sql")
    a = ctx.accrete
    plan = a.plan(db, schema, plan_file, work, user)
    _log(work, "plan", plan.result)
    if plan.result.rc == 3 and ("look like renames" in plan.result.err or "looks like a rename" in plan.result.err):
        # The refusal names each declared object and its `[renames] new` entry: answered as a team whose
        # objects are new would answer it (the cases' intent: a new object, never a rename), then planned.
        entries = re.findall(r'\[renames\] new = \[("(?:[^"\\]|\\.)*")\]', plan.result.err)
        if entries:
            row.renames = len(entries)
            with open(os.path.join(work, "accrete.toml"), "a", encoding="utf-8") as f:
                f.write("\n[renames]\nnew = [" + ", ".join(entries) + "]\n")
            plan = a.plan(db, schema, plan_file, work, user)
            _log(work, "plan-after-renames-answered", plan.result)
    row.plan_rc, row.steps = plan.result.rc, len(plan.steps) if plan.ok else -1
    if not plan.ok:
        _stage_failure(row, "plan", plan.result)
        return
    if plan.steps:
        applied = a.apply(plan_file, db, work, user)
        _log(work, "apply", applied)
        row.apply_rc = applied.rc
        if applied.rc != 0:
            _stage_failure(row, "apply", applied)
    drift = a.drift(db, schema, work, user)
    _log(work, "drift", drift.result)
    if drift.ok:
        row.missing, row.extra, row.changed = (drift.count(c) for c in ("missing", "extra", "changed"))
        row.items += [acc.drift_item("missing", i) for i in drift.items("missing")]
    else:
        _stage_failure(row, "drift", drift.result)
    replan = a.plan(db, schema, os.path.join(work, "replan.sql"), work, user)
    _log(work, "replan", replan.result)
    row.replan_steps = len(replan.steps) if replan.ok else -1
    if not replan.ok:
        _stage_failure(row, "replan", replan.result)
    else:
        row.items += ["replan " + s.line() for s in replan.steps]
    if plan.steps:
        again = a.apply(plan_file, db, work, user)
        _log(work, "reapply", again)
        if again.rc == 0 and "already applied" in again.out:
            row.reapply = "already"
        else:
            said = [line for line in again.out.splitlines() if line.strip()]
            row.reapply = f"exit {again.rc}"
            row.items.append(f"re-apply exit {again.rc}: "
                             + (again.first_error() if again.rc else (said[-1] if said else "")))
    else:
        row.reapply = "n/a"
    row.converged = (row.plan_rc == 0 and (not plan.steps or row.apply_rc == 0) and row.missing == 0
                     and row.replan_steps == 0 and row.reapply in ("already", "n/a"))


ALL_CLASSES = "alter,drop"


def _converge_fully(row, ctx, db, work, user):
    """On the database the add-only plan left: plan and apply with every class admitted, then require a new
    plan with zero steps and no drift at all."""
    schema, plan_file = os.path.join(work, "schema"), os.path.join(work, "full.sql")
    a = ctx.accrete
    plan = a.plan(db, schema, plan_file, work, user, allow=ALL_CLASSES)
    _log(work, "full-plan", plan.result)
    if not plan.ok:
        row.full, row.full_items = "no", [f"plan exit {plan.result.rc}: {plan.result.first_error()}"]
        return
    if plan.steps:
        applied = a.apply(plan_file, db, work, user, allow=ALL_CLASSES)
        _log(work, "full-apply", applied)
        if applied.rc != 0:
            row.full, row.full_items = "no", [f"apply exit {applied.rc}: {applied.first_error()}"]
            return
    replan = a.plan(db, schema, os.path.join(work, "full-replan.sql"), work, user, allow=ALL_CLASSES)
    drift = a.drift(db, schema, work, user)
    _log(work, "full-replan", replan.result)
    _log(work, "full-drift", drift.result)
    items = ["replan " + s.line() for s in replan.steps] if replan.ok else [f"replan exit {replan.result.rc}"]
    if drift.ok:
        for category in ("missing", "extra", "changed"):
            items += [acc.drift_item(category, i) for i in drift.items(category)]
    else:
        items.append(f"drift exit {drift.result.rc}")
    row.full = "no" if items else "yes"
    row.full_items = items


def _log(work, label, result):
    with open(os.path.join(work, f"{label}.log"), "w", encoding="utf-8") as f:
        f.write(f"exit {result.rc} in {result.secs:.2f}s\n--- stdout\n{result.out}\n--- stderr\n{result.err}")


def _out_dir(ctx, case):
    return os.path.join(ctx.out, case.corpus, re.sub(r"[^A-Za-z0-9_.-]+", "_", case.name))


def _keep_outputs(ctx, case, work):
    shutil.copytree(work, _out_dir(ctx, case), symlinks=True, dirs_exist_ok=True)
