"""Recreation: drop one object of every kind a loaded real-world database holds, then plan and apply.

Role: after the no-false-drift check of a real-world schema, take one object of each kind present (a
table, a column, a view, a function, a trigger, a policy, an index, a check, a comment, a grant ...) out of
the live database with plain SQL, then `plan` the same schema files (add class, the default policy),
`apply` the plan, and require that everything is back: a new plan has zero steps and `drift` exits 0.

How an object is picked: for each kind, a catalog query lists candidates in name order (never objects of
extensions or system schemas, never what belongs to another object: constraint indexes, partition children,
internal triggers, `_RETURN` rules); each is tried with a statement that has no CASCADE, inside a
subtransaction, until one succeeds. So the object dropped is the first one nothing else depends on, and the
damage is that one object plus what PostgreSQL removes with it by itself (the indexes and constraints of a
dropped column, the triggers of a dropped table), which the plan must bring back too. A table is dropped
only when it has no rows, and a NOT NULL column only from a table without rows: rows that other tables
reference, or that a NOT NULL column needs, cannot come back.

Invariants: runs only on a database that the planned files describe exactly (zero drift, or the files `pull`
just wrote from it), otherwise "back" has no meaning; the statements
run as the superuser in one psql session; each kind is tried once per case.
"""

import os
import shutil
from dataclasses import dataclass, field

from . import accrete as acc


# Not from an extension: `{oid}` of catalog `{catalog}`.
def _own(catalog, oid):
    return (f"NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = '{catalog}'::regclass "
            f"AND d.objid = {oid} AND d.deptype = 'e')")


def _user_ns(nsp):
    return (f"{nsp}.nspname NOT IN ('pg_catalog', 'information_schema') AND {nsp}.nspname NOT LIKE 'pg\\_%'")


_REL = ("FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
        + _user_ns("n") + " AND " + _own("pg_catalog.pg_class", "c.oid"))

# kind -> query giving candidate statements, best first. Each statement drops exactly one thing, without CASCADE.
CANDIDATES = {
    "comment": f"""SELECT format('COMMENT ON TABLE %s IS NULL', c.oid::regclass) {_REL}
        AND c.relkind IN ('r', 'p') AND EXISTS (SELECT FROM pg_catalog.pg_description s
          WHERE s.classoid = 'pg_catalog.pg_class'::regclass AND s.objoid = c.oid AND s.objsubid = 0)
        ORDER BY 1""",
    "column comment": "SELECT format('COMMENT ON COLUMN %s.%I IS NULL', c.oid::regclass, a.attname) "
                      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                      "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                      "JOIN pg_catalog.pg_description s ON s.classoid = 'pg_catalog.pg_class'::regclass "
                      "AND s.objoid = c.oid AND s.objsubid = a.attnum WHERE c.relkind IN ('r', 'p') AND "
                      + _user_ns("n") + " AND " + _own("pg_catalog.pg_class", "c.oid") + " ORDER BY 1",
    "grant": "SELECT format('REVOKE ALL ON TABLE %s FROM %I', c.oid::regclass, r.rolname) "
             "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
             "CROSS JOIN LATERAL (SELECT DISTINCT g.rolname FROM pg_catalog.aclexplode(c.relacl) x "
             "JOIN pg_catalog.pg_roles g ON g.oid = x.grantee WHERE x.grantee <> c.relowner) r "
             "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND " + _user_ns("n") + " AND "
             + _own("pg_catalog.pg_class", "c.oid") + " ORDER BY 1",
    # A column of a table that keeps at least one other, outside any inheritance tree.
    "column": "SELECT format('ALTER TABLE %s DROP COLUMN %I', c.oid::regclass, a.attname) "
              "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
              "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
              "WHERE c.relkind = 'r' AND NOT c.relispartition AND " + _user_ns("n") + " AND "
              + _own("pg_catalog.pg_class", "c.oid")
              + " AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid OR i.inhrelid = c.oid)"
              " AND (SELECT count(*) FROM pg_catalog.pg_attribute o WHERE o.attrelid = c.oid AND o.attnum > 0"
              " AND NOT o.attisdropped) > 1 AND (NOT a.attnotnull OR pg_temp.accrete_is_empty(c.oid))"
              " ORDER BY a.attnotnull, 1",
    "check": "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) "
             "FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace WHERE "
             + _user_ns("n") + " AND k.contype = 'c' AND k.conrelid <> 0 AND k.conislocal AND k.conparentid = 0 "
             "ORDER BY 1",
    "foreign key": "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) "
                   "FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace "
                   "WHERE " + _user_ns("n") + " AND k.contype = 'f' AND k.conislocal AND k.conparentid = 0 "
                   "ORDER BY 1",
    "unique": "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) "
              "FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace "
              "WHERE " + _user_ns("n") + " AND k.contype IN ('u', 'p') AND k.conislocal AND k.conparentid = 0 "
              "ORDER BY k.contype DESC, 1",
    "index": f"""SELECT format('DROP INDEX %s', c.oid::regclass) {_REL}
        AND c.relkind IN ('i', 'I') AND NOT c.relispartition
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.conindid = c.oid AND k.contype IN ('p', 'u', 'x'))
        ORDER BY 1""",
    "trigger": "SELECT format('DROP TRIGGER %I ON %s', t.tgname, t.tgrelid::regclass) "
               "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
               "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + _user_ns("n")
               + " AND NOT t.tgisinternal AND t.tgparentid = 0 AND " + _own("pg_catalog.pg_class", "c.oid")
               + " ORDER BY 1",
    "rule": "SELECT format('DROP RULE %I ON %s', r.rulename, r.ev_class::regclass) "
            "FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + _user_ns("n")
            + " AND r.rulename <> '_RETURN' ORDER BY 1",
    "policy": "SELECT format('DROP POLICY %I ON %s', p.polname, p.polrelid::regclass) "
              "FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid "
              "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + _user_ns("n") + " ORDER BY 1",
    "view": f"SELECT format('DROP VIEW %s', c.oid::regclass) {_REL} AND c.relkind = 'v' ORDER BY 1",
    "materialized view": f"SELECT format('DROP MATERIALIZED VIEW %s', c.oid::regclass) {_REL} AND c.relkind = 'm' "
                         "ORDER BY 1",
    "function": "SELECT format('DROP %s %s', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, "
                "p.oid::regprocedure) FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = "
                "p.pronamespace WHERE " + _user_ns("n") + " AND p.prokind IN ('f', 'p') AND "
                + _own("pg_catalog.pg_proc", "p.oid") + " ORDER BY 1",
    "aggregate": "SELECT format('DROP AGGREGATE %s', p.oid::regprocedure) FROM pg_catalog.pg_proc p "
                 "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE " + _user_ns("n")
                 + " AND p.prokind = 'a' AND " + _own("pg_catalog.pg_proc", "p.oid") + " ORDER BY 1",
    "table": f"SELECT format('DROP TABLE %s', c.oid::regclass) {_REL} AND c.relkind IN ('r', 'p') "
             "AND NOT c.relispartition AND pg_temp.accrete_is_empty(c.oid) ORDER BY 1",
    "sequence": f"SELECT format('DROP SEQUENCE %s', c.oid::regclass) {_REL} AND c.relkind = 'S' "
                "AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass "
                "AND d.objid = c.oid AND d.deptype IN ('a', 'i')) ORDER BY 1",
    "enum": "SELECT format('DROP TYPE %s', t.oid::regtype) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n "
            "ON n.oid = t.typnamespace WHERE " + _user_ns("n") + " AND t.typtype = 'e' AND "
            + _own("pg_catalog.pg_type", "t.oid") + " ORDER BY 1",
    "domain": "SELECT format('DROP DOMAIN %s', t.oid::regtype) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n "
              "ON n.oid = t.typnamespace WHERE " + _user_ns("n") + " AND t.typtype = 'd' AND "
              + _own("pg_catalog.pg_type", "t.oid") + " ORDER BY 1",
    "composite type": "SELECT format('DROP TYPE %s', t.oid::regtype) FROM pg_catalog.pg_type t "
                      "JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' "
                      "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE " + _user_ns("n")
                      + " AND " + _own("pg_catalog.pg_type", "t.oid") + " ORDER BY 1",
    "collation": "SELECT format('DROP COLLATION %I.%I', n.nspname, k.collname) FROM pg_catalog.pg_collation k "
                 "JOIN pg_catalog.pg_namespace n ON n.oid = k.collnamespace WHERE " + _user_ns("n") + " AND "
                 + _own("pg_catalog.pg_collation", "k.oid") + " ORDER BY 1",
    "text search configuration": "SELECT format('DROP TEXT SEARCH CONFIGURATION %s', k.oid::regconfig) "
                                 "FROM pg_catalog.pg_ts_config k JOIN pg_catalog.pg_namespace n ON n.oid = "
                                 "k.cfgnamespace WHERE " + _user_ns("n") + " AND "
                                 + _own("pg_catalog.pg_ts_config", "k.oid") + " ORDER BY 1",
    "schema": "SELECT format('DROP SCHEMA %I', n.nspname) FROM pg_catalog.pg_namespace n WHERE " + _user_ns("n")
              + " AND n.nspname <> 'public' AND " + _own("pg_catalog.pg_namespace", "n.oid") + " ORDER BY 1",
}

# Candidates tried per kind before giving up (each is one subtransaction).
TRIES = 400

TRY_DROP = """CREATE FUNCTION pg_temp.accrete_is_empty(rel oid) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE found boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT FROM %s)', rel::regclass) INTO found;
  RETURN NOT found;
END $f$;
CREATE FUNCTION pg_temp.accrete_try_drop(statements text[]) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE s text;
BEGIN
  FOREACH s IN ARRAY coalesce(statements, '{}') LOOP
    BEGIN
      EXECUTE s;
      RETURN s;
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
  END LOOP;
  RETURN '';
END $f$;
"""


@dataclass
class Recreation:
    dropped: dict = field(default_factory=dict)   # kind -> the statement that dropped one
    plan_rc: int = -1
    steps: int = -1
    apply_rc: int = -1
    replan_rc: int = -1
    replan_steps: int = -1
    drift_rc: int = -1
    items: list = field(default_factory=list)
    error: str = ""
    via_pull: bool = False   # planned from the pulled SQL files, the schema's own being refused

    @property
    def ok(self):
        return (not self.error and self.plan_rc == 0 and self.apply_rc == 0 and self.replan_rc == 0
                and self.replan_steps == 0 and self.drift_rc == 0)

    def verdict(self):
        """`ok (N kinds)` or what failed first."""
        if self.error:
            return self.error
        if self.ok:
            return f"ok ({len(self.dropped)} kinds{', via pull' if self.via_pull else ''})"
        if self.plan_rc != 0:
            return f"plan exit {self.plan_rc}"
        if self.apply_rc != 0:
            return f"apply exit {self.apply_rc}"
        parts = []
        if self.replan_rc != 0:
            parts.append(f"re-plan exit {self.replan_rc}")
        elif self.replan_steps:
            parts.append(f"{self.replan_steps} steps after apply")
        if self.drift_rc != 0:
            parts.append(f"drift exit {self.drift_rc}")
        return ", ".join(parts)


def drop_one_of_each(psql, db):
    """Drops one object per kind present; returns kind -> the statement that did it."""
    script = [TRY_DROP]
    for kind, query in CANDIDATES.items():
        label = kind.replace("'", "''")
        script.append(f"SELECT '{label}' || '|' || pg_temp.accrete_try_drop(ARRAY({query} LIMIT {TRIES}));")
    _, out, _ = psql.run_sql(db, "\n".join(script) + "\n", timeout=900)
    dropped = {}
    for line in out.splitlines():
        kind, _, statement = line.partition("|")
        if statement:
            dropped[kind] = statement
    return dropped


def run(ctx, target, schema, work, out_dir):
    """Drops one object of each kind from `target`, plans `schema` against it, applies, checks it is back."""
    r = Recreation()
    try:
        r.dropped = drop_one_of_each(ctx.psql, target)
    except RuntimeError as e:
        r.error = f"dropping: {e}"
        return r
    plan_file = os.path.join(work, "recreate.plan.sql")
    plan = ctx.accrete.plan(target, schema, plan_file, work)
    r.plan_rc, r.steps = plan.result.rc, len(plan.steps)
    applied = None
    if plan.ok and plan.steps:
        applied = ctx.accrete.apply(plan_file, target, work)
        r.apply_rc = applied.rc
    elif plan.ok:
        r.apply_rc = 0  # nothing planned: drift below says whether anything is missing
    again = drift = None
    if r.apply_rc == 0:
        again = ctx.accrete.plan(target, schema, os.path.join(work, "recreate.again.sql"), work)
        drift = ctx.accrete.drift(target, schema, work)
        r.replan_rc, r.replan_steps, r.drift_rc = again.result.rc, len(again.steps), drift.result.rc
    if not r.ok:
        keep = os.path.join(out_dir, "recreate")
        os.makedirs(keep, exist_ok=True)
        with open(os.path.join(keep, "dropped.sql"), "w") as f:
            f.write("".join(f"-- {k}\n{s};\n" for k, s in r.dropped.items()))
        for name in ("recreate.plan.sql", "recreate.again.sql"):
            if os.path.exists(os.path.join(work, name)):
                shutil.copy(os.path.join(work, name), os.path.join(keep, name))
        if plan.result.rc != 0:
            r.items.append("plan: " + plan.result.first_error())
        if applied is not None and applied.rc != 0:
            r.items.append("apply: " + applied.first_error())
        r.items += acc.first_items(again, drift)
    return r
