"""Real-world schemas: no false drift, and object counts against the independent load check.

Role: for each real-world schema in the corpus, load it with psql into a fresh database exactly as the load
check did (`_loadcheck/realworld-load.json`), then ask accrete to compare the same file(s) with that database:
`plan` must have zero steps and `drift --format json` must exit 0 with nothing missing, extra or changed.
Then plan the same schema against an empty database and count the objects it would add, per kind, next to
the load check's catalog counts. Last, the `pull` round trip in each format (sql, toml): pull the loaded
database into a fresh directory, then `plan` of that directory against the same database must have zero
steps, `drift` must exit 0, and a second pull must give byte-identical files. Last, recreation (`recreate`): one object of
every kind dropped from the loaded database must come back through a plan and apply of the schema's files
(of the pulled SQL files where the schema's own are refused).

Invariants: the corpus is only read (schema directories hold symlinks); each case uses its own databases,
dropped afterwards; a case whose prerequisites the server lacks is skipped with the load check's reason.
"""

import json
import os
import shutil
import time
from dataclasses import dataclass, field

from . import accrete as acc
from . import recreate

LOADCHECK_PASS = "[PG15+contrib+postgis-3.3.2+partman-4.7.2]"


@dataclass
class Case:
    name: str
    files: list            # corpus-relative paths, loaded in this order into one database
    loadcheck: str         # key prefix in realworld-load.json
    needs: list = field(default_factory=list)       # extensions the server must offer
    roles: list = field(default_factory=list)       # cluster roles created first
    variables: list = field(default_factory=list)   # psql -v NAME=VALUE
    creates_db: str = ""   # the script creates and connects to this database itself
    links: list = field(default_factory=list)       # names of the files in the schema directory


CASES = [
    Case("pagila", ["realworld/pagila/pagila-schema.e0e35a6-2024-10-06.sql"], "pagila@e0e35a6"),
    Case("chinook", ["realworld/chinook/Chinook_PostgreSql.sql"], "chinook", creates_db="chinook"),
    Case("chinook-identity", ["realworld/chinook/Chinook_PostgreSql_AutoIncrementPKs.sql"],
         "chinook-autoincrement", creates_db="chinook_auto_increment"),
    Case("adventureworks", ["realworld/adventureworks/install.no-data-derived.sql"],
         "adventureworks install.no-data-derived.sql", needs=["tablefunc", "uuid-ossp"]),
    Case("danbooru", ["realworld/danbooru/structure.sql"], "danbooru",
         needs=["btree_gin", "fuzzystrmatch", "pg_trgm", "pgcrypto", "pgstattuple"]),
    Case("synapse", ["realworld/synapse/common/full.sql.postgres", "realworld/synapse/main/full.sql.postgres",
                     "realworld/synapse/state/full.sql.postgres"], "synapse",
         links=["1-common.sql", "2-main.sql", "3-state.sql"]),
    Case("gisia", ["realworld/gisia/structure.sql"], "gisia", needs=["pg_trgm"]),
    Case("musicbrainz", ["realworld/musicbrainz/musicbrainz-standalone.sql"], "musicbrainz",
         needs=["cube", "earthdistance", "unaccent"]),
    Case("openstreetmap", ["realworld/openstreetmap-website/structure.sql"], "openstreetmap-website",
         needs=["btree_gist", "postgis"]),
    Case("lago", ["realworld/lago-api/structure.sql"], "lago-api",
         needs=["btree_gin", "pg_partman", "pg_trgm", "pgcrypto", "unaccent"]),
    Case("odoo", ["realworld/odoo-maaranodoo/mmdb_schema.sql"], "odoo-maaranodoo", needs=["pg_trgm"],
         roles=["openpg"]),
    Case("postgrest-big-schema", ["postgrest/test/io/fixtures/big_schema.sql"], "postgrest-apflora",
         needs=["pgcrypto", "uuid-ossp"], variables=["PGUSER=postgres"]),
]

COUNT_KINDS = ("tables", "columns", "indexes", "constraints", "pk", "fk", "unique", "check", "exclusion",
               "comments")

# What PostgreSQL derives by itself and the load check counts as objects: constraints and indexes cloned to
# partitions, check constraints inherited by INHERITS children, constraint triggers (in its constraint total),
# and indexes on materialized views (not modeled by accrete).
DERIVED_SQL = """
WITH rels AS (
  SELECT c.oid, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
    AND n.nspname NOT LIKE 'pg\\_temp%'
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e'))
SELECT
  (SELECT count(*) FROM pg_catalog.pg_constraint k JOIN rels r ON r.oid = k.conrelid
    WHERE k.contype IN ('p', 'f', 'u', 'c', 'x') AND k.conparentid <> 0),
  (SELECT count(*) FROM rels r JOIN pg_catalog.pg_inherits i ON i.inhrelid = r.oid WHERE r.relkind IN ('i', 'I')),
  (SELECT count(*) FROM pg_catalog.pg_constraint k JOIN rels r ON r.oid = k.conrelid
    WHERE k.contype = 'c' AND NOT k.conislocal AND k.conparentid = 0),
  (SELECT count(*) FROM pg_catalog.pg_constraint k JOIN rels r ON r.oid = k.conrelid WHERE k.contype = 't'),
  (SELECT count(*) FROM pg_catalog.pg_index x JOIN rels r ON r.oid = x.indrelid WHERE r.relkind = 'm');
"""


def load_check(corpus):
    with open(os.path.join(corpus, "_loadcheck", "realworld-load.json"), encoding="utf-8") as f:
        return json.load(f)


def _entry(check, prefix, stock=False):
    for key, value in check.items():
        if key.startswith(prefix + " ") and (("stock" in key) == stock):
            return value
    return {}


def skip_reason(case, check, available):
    """Why the case cannot run on this server, in the load check's words, or ''."""
    missing = [e for e in case.needs if e not in available]
    if not missing:
        return ""
    note = _entry(check, case.loadcheck).get("note", "")
    stock_error = _entry(check, case.loadcheck, stock=True).get("error", "")
    reason = note or "needs " + ", ".join(missing)
    if stock_error:
        reason += f" (stock load check: {stock_error.split('ERROR:')[-1].strip()})"
    return reason


@dataclass
class Row:
    name: str
    status: str = "ok"       # ok | skip | load-fail | error
    reason: str = ""
    plan_rc: int = -1
    steps: int = -1
    drift_rc: int = -1
    missing: int = -1
    extra: int = -1
    changed: int = -1
    unmodeled: int = -1
    secs: float = 0.0
    items: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)     # accrete, from the empty-database plan
    expected: dict = field(default_factory=dict)   # the load check's
    derived: dict = field(default_factory=dict)    # counted by the load check, derived by PostgreSQL
    count_error: str = ""
    pulls: dict = field(default_factory=dict)      # format -> PullRow
    recreation: object = None                      # recreate.Recreation, on a zero-drift schema

    @property
    def zero_drift(self):
        return (self.status == "ok" and self.plan_rc == 0 and self.steps == 0 and self.drift_rc == 0
                and self.missing == 0 and self.extra == 0 and self.changed == 0)


PULL_FORMATS = ("sql", "toml")


@dataclass
class PullRow:
    """One `pull` round trip: pull, plan and drift of the pulled files, pull again."""
    fmt: str
    pull_rc: int = -1
    files: int = -1
    not_pulled: str = ""   # pull's "not pulled (...)" line: kinds accrete does not model
    plan_rc: int = -1
    steps: int = -1
    drift_rc: int = -1
    missing: int = -1
    extra: int = -1
    changed: int = -1
    identical: bool = None  # the second pull gave the same bytes
    items: list = field(default_factory=list)
    secs: float = 0.0

    @property
    def ok(self):
        return (self.pull_rc == 0 and self.plan_rc == 0 and self.steps == 0 and self.drift_rc == 0
                and self.identical is True)

    def verdict(self):
        """`ok`, or what failed, shortest first."""
        if self.pull_rc != 0:
            return f"pull exit {self.pull_rc}"
        if self.ok:
            return "ok"
        parts = []
        if self.plan_rc != 0:
            parts.append(f"plan exit {self.plan_rc}")
        elif self.steps:
            parts.append(f"{self.steps} steps")
        if self.drift_rc == 2:
            parts.append(f"drift {self.missing}/{self.extra}/{self.changed}")
        elif self.drift_rc not in (0, -1):
            parts.append(f"drift exit {self.drift_rc}")
        if self.identical is False:
            parts.append("re-pull differs")
        return ", ".join(parts)


def _tree(root):
    """Every file under root with its bytes, by relative path."""
    out = {}
    for d, _, names in os.walk(root):
        for name in names:
            path = os.path.join(d, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root)] = f.read()
    return out


def pull_round_trip(ctx, target, work, out_dir, fmt):
    """Pulls `target` as `fmt`, compares the pulled files with it, pulls again; outputs kept when not ok."""
    row, start = PullRow(fmt), time.monotonic()
    first, second = os.path.join(work, f"pull-{fmt}"), os.path.join(work, f"pull-{fmt}-again")
    for d in (first, second):
        shutil.rmtree(d, ignore_errors=True)
    pulled = ctx.accrete.pull(target, first, fmt, work)
    row.pull_rc = pulled.rc
    plan = drift = None
    if pulled.rc == 0:
        row.not_pulled = next((line.split(": ", 1)[1] for line in pulled.out.splitlines()
                               if line.startswith("not pulled")), "")
        files = _tree(first)
        row.files = len(files)
        plan = ctx.accrete.plan(target, first, os.path.join(work, f"pull-{fmt}.plan.sql"), work)
        drift = ctx.accrete.drift(target, first, work)
        row.plan_rc, row.drift_rc = plan.result.rc, drift.result.rc
        row.steps = len(plan.steps) if plan.ok else -1
        if drift.ok:
            row.missing, row.extra, row.changed = (drift.count(c) for c in ("missing", "extra", "changed"))
        again = ctx.accrete.pull(target, second, fmt, work)
        row.identical = again.rc == 0 and _tree(second) == files
        if again.rc == 0 and not row.identical:
            other = _tree(second)
            differing = sorted(k for k in set(files) | set(other) if files.get(k) != other.get(k))
            row.items.append(f"re-pull differs in {len(differing)} file(s), first {differing[0]}")
    else:
        row.items.append("pull: " + pulled.first_error())
    if not row.ok:
        keep = os.path.join(out_dir, f"pull-{fmt}")
        shutil.rmtree(keep, ignore_errors=True)
        os.makedirs(out_dir, exist_ok=True)
        if os.path.isdir(first):
            shutil.copytree(first, os.path.join(keep, "files"))
        _save(keep, plan, drift, "")
        if plan is not None and os.path.exists(os.path.join(work, f"pull-{fmt}.plan.sql")):
            shutil.copy(os.path.join(work, f"pull-{fmt}.plan.sql"), os.path.join(keep, "plan.sql"))
        if drift is not None and drift.ok:
            with open(os.path.join(keep, "drift.json"), "w") as f:
                f.write(drift.result.out)
        if plan is not None and not plan.ok:
            row.items.insert(0, "plan: " + plan.result.first_error())
        elif drift is not None and not drift.ok:
            row.items.insert(0, "drift: " + drift.result.first_error())
        row.items += acc.first_items(plan, drift)
        if row.not_pulled:
            row.items.insert(0, f"not pulled (not modeled): {row.not_pulled}")
    row.secs = time.monotonic() - start
    return row


def _schema_dir(case, corpus, work):
    schema = os.path.join(work, "schema")
    shutil.rmtree(schema, ignore_errors=True)
    os.makedirs(schema)
    for i, rel in enumerate(case.files):
        name = case.links[i] if case.links else os.path.basename(rel)
        os.symlink(os.path.join(corpus, rel), os.path.join(schema, name))
    return schema


def ensure_roles(psql, roles):
    for role in roles:
        ident = '"' + role.replace('"', '""') + '"'
        literal = "'" + role.replace("'", "''") + "'"
        psql.run_sql("postgres", f"DO $r$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal}) "
                                 f"THEN CREATE ROLE {ident}; END IF; END $r$;\n")


def derived_counts(psql, db):
    values = [int(v) for v in psql.run_sql(db, DERIVED_SQL)[1].strip().split("|")]
    return dict(zip(("cloned constraints", "attached indexes", "inherited checks", "constraint triggers",
                            "matview indexes"), values))


def _save(out_dir, plan, drift, label):
    os.makedirs(out_dir, exist_ok=True)
    for what, r in (("plan", plan.result if plan else None), ("drift", drift.result if drift else None)):
        if r is None:
            continue
        with open(os.path.join(out_dir, f"{label}{what}.stdout"), "w") as f:
            f.write(r.out)
        with open(os.path.join(out_dir, f"{label}{what}.stderr"), "w") as f:
            f.write(r.err)


def run_case(case, ctx):
    """Runs one real-world case; ctx carries corpus, psql, accrete, work and out roots, load check."""
    row = Row(case.name)
    check = _entry(ctx.check, case.loadcheck)
    row.expected = {k: check.get("counts", {}).get(k) for k in COUNT_KINDS}
    if row.expected.get("pk") is not None:
        # The load check's constraint total also holds constraint triggers; compare the five kinds.
        row.expected["constraints"] = sum(row.expected[k] or 0 for k in ("pk", "fk", "unique", "check", "exclusion"))
    reason = skip_reason(case, ctx.check, ctx.available)
    if reason:
        row.status, row.reason = "skip", reason
        return row
    start = time.monotonic()
    work = os.path.join(ctx.work, "rw-" + case.name)
    out_dir = os.path.join(ctx.out, case.name)
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(work)
    db = "rw_" + case.name.replace("-", "_")
    empty = db + "_empty"
    target = case.creates_db or db
    try:
        ensure_roles(ctx.psql, case.roles)
        ctx.psql.create_db(db)
        for rel in case.files:
            ok, error, _ = ctx.psql.run_file(db, os.path.join(ctx.corpus, rel), case.variables)
            if not ok:
                row.status, row.reason = "load-fail", error
                return row
        row.derived = derived_counts(ctx.psql, target)
        schema = _schema_dir(case, ctx.corpus, work)
        plan = ctx.accrete.plan(target, schema, os.path.join(work, "plan.sql"), work)
        drift = ctx.accrete.drift(target, schema, work)
        row.plan_rc, row.drift_rc = plan.result.rc, drift.result.rc
        row.steps = len(plan.steps) if plan.ok else -1
        if drift.ok:
            row.missing, row.extra, row.changed = (drift.count(c) for c in ("missing", "extra", "changed"))
            row.unmodeled = drift.unmodeled()
        if not row.zero_drift:
            _save(out_dir, plan, drift, "")
            if os.path.exists(os.path.join(work, "plan.sql")):
                shutil.copy(os.path.join(work, "plan.sql"), os.path.join(out_dir, "plan.sql"))
            if drift.ok:
                with open(os.path.join(out_dir, "drift.json"), "w") as f:
                    f.write(drift.result.out)
            row.items = acc.first_items(plan, drift)
            if not plan.ok:
                row.items.insert(0, "plan: " + plan.result.first_error())
            elif not drift.ok:
                row.items.insert(0, "drift: " + drift.result.first_error())
        ctx.psql.create_db(empty)
        counted = ctx.accrete.plan(empty, schema, os.path.join(work, "empty-plan.sql"), work)
        if counted.ok:
            row.counts = acc.object_counts(counted.steps)
        else:
            # Tables still come from drift, whose `missing` lists top-level objects only.
            row.count_error = counted.result.first_error()
            _save(out_dir, counted, None, "empty-")
            listed = ctx.accrete.drift(empty, schema, work)
            if listed.ok:
                row.counts = {"tables": sum(i.get("kind") == "table" for i in listed.items("missing"))}
        for fmt in PULL_FORMATS:
            row.pulls[fmt] = pull_round_trip(ctx, target, work, out_dir, fmt)
        if row.zero_drift:
            row.recreation = recreate.run(ctx, target, schema, work, out_dir)
        elif row.pulls["sql"].ok:
            # The schema's own files cannot be planned; the pulled ones describe the same database.
            row.recreation = recreate.run(ctx, target, os.path.join(work, "pull-sql"), work, out_dir)
            row.recreation.via_pull = True
    except Exception as e:  # a broken case is recorded, the run goes on
        row.status, row.reason = "error", f"{type(e).__name__}: {e}"
    finally:
        row.secs = time.monotonic() - start
        if not ctx.keep:
            for name in {db, empty, target}:
                ctx.psql.drop_db(name)
            shutil.rmtree(work, ignore_errors=True)
    return row
