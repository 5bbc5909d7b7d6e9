"""Running accrete and reading what it prints: plan files, `drift --format json`, apply output.

Role: the only place that knows accrete's command line and output contracts (docs/plan-format.md: the
`-- step N · CLASS KIND NAME[ (WHAT)][ · hazards: ...]` lines; the drift JSON document, format_version 1;
"nothing to plan" and "already applied" on stdout).

Invariants: accrete runs with its working directory in a per-case scratch folder (so no `accrete.toml` or
`plans/` of the repository is read or written; a case may write its own `accrete.toml` there), with `--db` and `--dev-url` always explicit and the PG*
and DATABASE_URL variables removed from its environment.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

STEP = re.compile(r"^-- step (\d+) \u00b7 (\S+) (\S+) (.*)$")
WHAT = re.compile(r"^(.*?) \((NOT VALID|validate|comment|value .*|owned by .*|rebuild invalid)\)$")
CONSTRAINT_DDL = re.compile(r'ADD CONSTRAINT (?:"(?:[^"]|"")*"|\S+) (PRIMARY KEY|FOREIGN KEY|UNIQUE|CHECK|EXCLUDE)')
GUARD_COLUMNS = re.compile(r"IN \(VALUES .*\)\) = (\d+) THEN")
PARTITION_OF = re.compile(r"\$ddl\$CREATE (?:UNLOGGED )?TABLE \S+ PARTITION OF (\S+)")
INHERITS = re.compile(r"\) INHERITS \(([^)]*)\)")


@dataclass
class Result:
    rc: int
    out: str
    err: str
    secs: float

    def first_error(self):
        """The first error line, with the indented detail line under it (PostgreSQL's ERROR, the object)."""
        lines = (self.err + "\n" + self.out).splitlines()
        for i, line in enumerate(lines):
            if line.startswith("error") or "error[" in line or "ERROR" in line:
                detail = lines[i + 1].strip() if i + 1 < len(lines) and lines[i + 1].startswith("  ") else ""
                if detail.startswith(("help:", "in:", "note:")):
                    detail = ""
                return " ".join((line.strip() + (f" / {detail}" if detail else "")).split())
        text = (self.err or self.out).strip()
        return text.splitlines()[0] if text else ""


@dataclass
class Step:
    number: int
    cls: str
    kind: str
    name: str
    what: str
    hazards: str
    body: str = ""

    def line(self):
        what = f" ({self.what})" if self.what else ""
        return f"step {self.number}: {self.cls} {self.kind} {self.name}{what}"


@dataclass
class Plan:
    result: Result
    steps: list = field(default_factory=list)
    not_planned: list = field(default_factory=list)

    @property
    def ok(self):
        return self.result.rc == 0


@dataclass
class Drift:
    result: Result
    doc: dict = field(default_factory=dict)

    @property
    def ok(self):
        return bool(self.doc)

    def items(self, category):
        return self.doc.get(category, []) if self.doc else []

    def count(self, category):
        return len(self.items(category))

    def unmodeled(self):
        return sum(self.doc.get("unmodeled", {}).values()) if self.doc else 0


def parse_steps(text):
    """Steps of a plan file, each with the text up to the next step or segment line."""
    steps, current = [], None
    for line in text.splitlines():
        m = STEP.match(line)
        if m:
            rest = m.group(4).split(" \u00b7 ")
            name, what = rest[0], ""
            w = WHAT.match(name)
            if w:
                name, what = w.group(1), w.group(2)
            hazards = rest[1].removeprefix("hazards: ") if len(rest) > 1 else ""
            current = Step(int(m.group(1)), m.group(2), m.group(3), name, what, hazards)
            steps.append(current)
            continue
        if line.startswith("-- accrete:"):
            current = None
        elif current is not None:
            current.body += line + "\n"
    return steps


def _not_planned(stdout):
    lines, inside = [], False
    for line in stdout.splitlines():
        if line.startswith("not planned"):
            inside = True
        elif inside and line.startswith("  "):
            lines.append(line.strip())
        else:
            inside = False
    return lines


@dataclass
class SnapshotDrift:
    """One drift made twice: normalized in a scratch (`--no-snapshot`), and from a snapshot without server
    binaries or a scratch. `status` is `same`, `differs`, `not used` (the snapshot was not current) or
    `snapshot failed`."""
    schema_dir: str
    status: str
    detail: str = ""


class Accrete:
    def __init__(self, binary, cluster, env_extra, snapshot_drift=False):
        self.binary, self.cluster = binary, cluster
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"}
        self.env.update(env_extra)
        # With snapshot_drift, every drift is also made from a snapshot and compared (snapshot_results).
        self.snapshot_drift = snapshot_drift
        self.snapshot_results = []
        self._lock = threading.Lock()
        self._no_bin = tempfile.mkdtemp(prefix="accrete-no-bin-") if snapshot_drift else None

    def run(self, args, cwd, timeout=600):
        start = time.monotonic()
        try:
            r = subprocess.run([self.binary, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                               env=self.env)
            return Result(r.returncode, r.stdout, r.stderr, time.monotonic() - start)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            return Result(124, out, f"error: timeout after {timeout}s", time.monotonic() - start)

    def _source(self, db, schema_dir, user):
        return ["--db", self.cluster.url(db, user), "--dev-url", self.cluster.url("postgres"),
                "--schema-dir", schema_dir]

    def plan(self, db, schema_dir, out_file, cwd, user="postgres", allow=None):
        if os.path.exists(out_file):
            os.remove(out_file)
        extra = ["--allow", allow] if allow else []
        r = self.run(["plan", *self._source(db, schema_dir, user), *extra, "--out", out_file], cwd)
        plan = Plan(r, not_planned=_not_planned(r.out))
        if r.rc == 0 and os.path.exists(out_file):
            with open(out_file, encoding="utf-8") as f:
                plan.steps = parse_steps(f.read())
        return plan

    def drift(self, db, schema_dir, cwd, user="postgres"):
        extra = ["--no-snapshot"] if self.snapshot_drift else []
        r = self.run(["drift", *self._source(db, schema_dir, user), "--format", "json", *extra], cwd)
        doc = {}
        if r.rc in (0, 2) and r.out.strip().startswith("{"):
            try:
                doc = json.loads(r.out)
            except json.JSONDecodeError:
                doc = {}
        if self.snapshot_drift and doc:
            self._compare_with_snapshot(db, schema_dir, cwd, user, r)
        return Drift(r, doc)

    def _compare_with_snapshot(self, db, schema_dir, cwd, user, scratch):
        """Writes a snapshot of `schema_dir` for `db`, drifts from it with every server binary made
        unavailable and no --dev-url, records whether it printed what `scratch` printed, and removes the
        snapshot again (so that the case's later plans normalize as before)."""
        folder = os.path.join(cwd, schema_dir.rstrip("/") + ".snapshot")
        made = self.run(["snapshot", *self._source(db, schema_dir, user)], cwd)
        if made.rc != 0:
            result = SnapshotDrift(schema_dir, "snapshot failed", made.first_error())
        else:
            saved = self.env
            self.env = dict(saved, **{f"ACCRETE_PG_BIN_{m}": self._no_bin for m in range(13, 19)})
            try:
                offline = self.run(["drift", "--db", self.cluster.url(db, user), "--schema-dir", schema_dir,
                                    "--format", "json"], cwd)
            finally:
                self.env = saved
            if "from the snapshot" not in offline.err:
                result = SnapshotDrift(schema_dir, "not used", offline.first_error())
            elif offline.rc == scratch.rc and offline.out == scratch.out:
                result = SnapshotDrift(schema_dir, "same")
            elif offline.rc == scratch.rc and _confirmed(offline.out) == _confirmed(scratch.out):
                result = SnapshotDrift(schema_dir, "same but unconfirmed", "changed expressions marked "
                                       "unconfirmed without a scratch")
            else:
                result = SnapshotDrift(schema_dir, "differs", _first_difference(scratch, offline))
        shutil.rmtree(folder, ignore_errors=True)
        with self._lock:
            self.snapshot_results.append(result)

    def pull(self, db, schema_dir, fmt, cwd, user="postgres"):
        """`accrete pull` of `db` into `schema_dir` (which should not exist yet) in format `fmt`."""
        return self.run(["pull", "--db", self.cluster.url(db, user), "--schema-dir", schema_dir, "--format", fmt],
                        cwd)

    def apply(self, plan_file, db, cwd, user="postgres", allow=None):
        extra = ["--allow", allow] if allow else []
        return self.run(["apply", plan_file, "--db", self.cluster.url(db, user), *extra], cwd)


def _confirmed(out):
    """A drift JSON document without the lines marking a changed item unconfirmed without a scratch."""
    try:
        doc = json.loads(out)
    except json.JSONDecodeError:
        return None
    for item in doc.get("changed", []):
        item["differences"] = [d for d in item.get("differences", [])
                               if not d.startswith("unconfirmed without a scratch")]
    return doc


def _first_difference(scratch, offline):
    if scratch.rc != offline.rc:
        return f"exit {scratch.rc} with a scratch, {offline.rc} from the snapshot"
    for a, b in zip(scratch.out.splitlines(), offline.out.splitlines()):
        if a != b:
            return f"scratch: {a.strip()[:100]} / snapshot: {b.strip()[:100]}"
    return "one output is longer"


def drift_item(category, item):
    """One drift item as a line."""
    text = f"{category} {item.get('kind', '')} {item.get('name', '')}"
    if item.get("differences"):
        text += ": " + "; ".join(item["differences"])
    return " ".join(text.split())


def first_items(plan, drift, n=3):
    """The first n things that make a schema not zero-drift: drift items, then plan steps."""
    out = []
    if drift is not None:
        for category in ("missing", "extra", "changed"):
            out += [drift_item(category, i) for i in drift.items(category)]
    if plan is not None:
        out += [s.line() for s in plan.steps]
    return out[:n]


def object_counts(steps):
    """Per-kind counts of the objects an empty-database plan adds, comparable with the load check's."""
    counts = {"tables": 0, "columns": 0, "indexes": 0, "constraints": 0, "pk": 0, "fk": 0, "unique": 0,
              "check": 0, "exclusion": 0, "sequences": 0, "enums": 0, "schemas": 0, "extensions": 0,
              "comments": 0}
    table_columns, partition_parent, inherits = {}, {}, {}
    kinds = {"PRIMARY KEY": "pk", "FOREIGN KEY": "fk", "UNIQUE": "unique", "CHECK": "check",
             "EXCLUDE": "exclusion"}
    for s in steps:
        if s.what == "comment":
            # pg_class objects only (tables, their columns, indexes, sequences), as pg_description counts them
            counts["comments"] += s.kind in ("table", "column", "index", "sequence")
            continue
        if s.cls != "add" or s.what in ("validate", "rebuild invalid", "owned by") or s.what.startswith("owned by"):
            continue
        if s.kind == "table":
            counts["tables"] += 1
            m = GUARD_COLUMNS.search(s.body)
            table_columns[s.name] = int(m.group(1)) if m else 0
            p = PARTITION_OF.search(s.body)
            if p:
                partition_parent[s.name] = p.group(1)
            i = INHERITS.search(s.body)
            if i:
                inherits[s.name] = [t.strip() for t in i.group(1).split(",")]
        elif s.kind == "column":
            counts["columns"] += 1
        elif s.kind == "index":
            counts["indexes"] += 1
        elif s.kind == "constraint":
            counts["constraints"] += 1
            m = CONSTRAINT_DDL.search(s.body)
            if m:
                counts[kinds[m.group(1)]] += 1
        elif s.kind in ("sequence", "enum", "schema", "extension"):
            if s.what.startswith("value"):
                continue
            counts[s.kind + "s"] += 1

    def columns_of(table, depth=0):
        """A partition has its parent's columns; an inheriting table its own plus its parents'."""
        if depth > 20:
            return 0
        if table in partition_parent:
            return columns_of(partition_parent[table], depth + 1)
        return table_columns.get(table, 0) + sum(columns_of(p, depth + 1) for p in inherits.get(table, []))

    counts["columns"] += sum(columns_of(t) for t in table_columns)
    # Each primary key, unique and exclusion constraint is backed by an index the load check counts.
    counts["indexes_all"] = counts["indexes"] + counts["pk"] + counts["unique"] + counts["exclusion"]
    return counts
