"""Rows to text: one line per case on the terminal, the same tables in Markdown, and the summary lines.

Role: presentation only; nothing here runs anything. The summary lines have a fixed form that other tools
may grep: `realworld: N/M zero-drift`, `migra: N/M converged`, `sqldef: N/M converged`.
"""

import re


# (column, key in accrete's counts); the load check uses the column name.
COUNTED = (("tables", "tables"), ("columns", "columns"), ("indexes", "indexes_all"), ("constraints", "constraints"),
           ("pk", "pk"), ("fk", "fk"), ("unique", "unique"), ("check", "check"), ("exclusion", "exclusion"),
           ("comments", "comments"))


def _derived(r):
    return ", ".join(f"{v} {k}" for k, v in r.derived.items() if v) or "none"


def _short(text):
    """Work-directory paths of schema files (given and pulled) shortened to the path inside the directory."""
    return re.sub(r"(?<![^\s(`])/\S*?/(?:schema|pull-sql|pull-toml)/", "", str(text))


def counts_verdict(r):
    """Whether accrete's counts equal the load check's once PostgreSQL-derived objects are added."""
    if r.count_error or not r.counts or r.expected.get("tables") is None:
        return ""
    d = r.derived
    explained = {
        "tables": r.counts["tables"], "columns": r.counts["columns"], "comments": r.counts["comments"],
        "indexes": r.counts["indexes_all"] + d.get("attached indexes", 0) + d.get("matview indexes", 0),
        "constraints": r.counts["constraints"] + d.get("cloned constraints", 0) + d.get("inherited checks", 0),
    }
    off = [f"{k} {v} vs {r.expected.get(k)}" for k, v in explained.items() if v != r.expected.get(k)]
    return "all equal once derived objects are added" if not off else "unexplained: " + ", ".join(off)


def _n(value):
    return "-" if value is None or value == -1 else str(value)


def _md(text):
    return _short(text).replace("|", "\\|").replace("\n", " ")


def realworld_line(r):
    if r.status == "skip":
        return f"{r.name:<22} skip: {r.reason}"
    if r.status != "ok":
        return f"{r.name:<22} {r.status}: {_short(r.reason)}"
    verdict = "zero-drift" if r.zero_drift else "DRIFT"
    line = (f"{r.name:<22} {verdict:<10} plan rc {r.plan_rc} steps {_n(r.steps):>4}  drift rc {r.drift_rc} "
            f"missing {_n(r.missing)} extra {_n(r.extra)} changed {_n(r.changed)}  unmodeled {_n(r.unmodeled)}  "
            f"{r.secs:6.1f}s")
    line += "".join(f"\n    {_short(item)}" for item in r.items)
    for fmt, p in r.pulls.items():
        line += f"\n    pull {fmt}: {p.verdict()} ({_n(p.files)} files, {p.secs:.1f}s)"
        line += "".join(f"\n      {_short(item)}" for item in p.items[:3])
    if r.recreation is not None:
        c = r.recreation
        line += f"\n    recreate: {c.verdict()}, {_n(c.steps)} steps: {', '.join(c.dropped)}"
        line += "".join(f"\n      {_short(item)}" for item in c.items[:3])
    return line


def _recreate_cell(r):
    c = r.recreation
    if c is None:
        return "-"
    return f"{c.verdict()}, {_n(c.steps)} steps" if c.ok else f"**{c.verdict()}**"


def counts_line(r):
    if r.status != "ok":
        return None
    if r.count_error:
        tables = f"tables {r.counts['tables']}/{_n(r.expected.get('tables'))} (from drift); " if r.counts else ""
        return f"{r.name:<22} counts: {tables}empty-database plan failed: {_short(r.count_error)}"
    parts = []
    for kind, accrete_key in COUNTED:
        a, e = r.counts.get(accrete_key), r.expected.get(kind)
        mark = "" if a == e else "*"
        parts.append(f"{kind} {a}/{_n(e)}{mark}")
    return (f"{r.name:<22} counts (accrete/load check, * differs): " + ", ".join(parts)
            + f"\n{'':<22} derived by PostgreSQL, counted by the load check: {_derived(r)}; {counts_verdict(r)}")


def convergence_line(r):
    name = f"{r.corpus}:{r.name}"
    if r.status != "ok":
        return f"{name:<50} {r.status}: {r.reason}"
    verdict = "converged" if r.converged else "NOT CONVERGED"
    line = (f"{name:<50} {verdict:<13} plan rc {r.plan_rc} steps {_n(r.steps):>3} apply rc {_n(r.apply_rc):>2} "
            f"missing {_n(r.missing)} replan {_n(r.replan_steps)} re-apply {r.reapply or '-'}  {r.secs:5.1f}s")
    line += f"  all classes: {r.full or '-'}"
    if not r.converged:
        line += "".join(f"\n    {_short(item)}" for item in r.items[:3])
    if r.full == "no":
        line += "".join(f"\n    all classes: {_short(item)}" for item in r.full_items[:3])
    return line


def _pull_cell(r, fmt):
    p = r.pulls.get(fmt)
    if p is None:
        return "-"
    return "ok" if p.ok else f"**{p.verdict()}**"


def _pull_items(r):
    """What made a pull round trip fail, per format."""
    out = []
    for fmt, p in r.pulls.items():
        if not p.ok:
            out.append(f"pull {fmt}: " + " · ".join(_md(i) for i in p.items[:2]))
    return out


def summary(realworld, migra, sqldef, sqldef_note):
    lines = []
    rw_run = [r for r in realworld if r.status == "ok"]
    if realworld:
        lines.append(f"realworld: {sum(r.zero_drift for r in rw_run)}/{len(rw_run)} zero-drift"
                     + _not_run(realworld))
        for fmt in ("sql", "toml"):
            pulled = [r.pulls[fmt] for r in rw_run if fmt in r.pulls]
            if pulled:
                lines.append(f"realworld pull {fmt}: {sum(p.ok for p in pulled)}/{len(pulled)} round trip "
                             "(zero steps, drift exit 0, identical re-pull)")
        recreated = [r.recreation for r in rw_run if r.recreation is not None]
        if recreated:
            lines.append(f"realworld recreate: {sum(c.ok for c in recreated)}/{len(recreated)} back after dropping "
                         f"one object of each kind ({sum(len(c.dropped) for c in recreated)} objects)")
    for label, rows, note in (("migra", migra, ""), ("sqldef", sqldef, sqldef_note)):
        if rows:
            run = [r for r in rows if r.status == "ok"]
            answered = sum(r.renames > 0 for r in run)
            lines.append(f"{label}: {sum(r.converged for r in run)}/{len(run)} converged, "
                         f"{sum(r.full == 'yes' for r in run)}/{len(run)} fully with every class admitted"
                         + (f" ({answered} after a likely-rename refusal answered in [renames])" if answered else "")
                         + _not_run(rows) + (f" [{note}]" if note else ""))
    return lines


def _per_file(rows):
    """Converged / runnable / skipped / not runnable per sqldef file."""
    files = {}
    for r in rows:
        f = files.setdefault(r.name.split("/")[0], [0, 0, 0, 0])
        f[0] += r.status == "ok" and r.converged
        f[1] += r.status == "ok"
        f[2] += r.status == "skip"
        f[3] += r.status not in ("ok", "skip")
    out = ["| file | converged / run | skipped | not runnable |", "|---|---|---|---|"]
    out += [f"| tests_{name}.yml | {c} / {n} | {s} | {x} |" for name, (c, n, s, x) in sorted(files.items())]
    return out + [""]


def _skipped(rows):
    """Skipped cases grouped by reason."""
    by_reason = {}
    for r in rows:
        if r.status == "skip":
            by_reason.setdefault(r.reason.split(";")[0], []).append(r.name)
    out = [f"- skipped, {reason} ({len(names)}): " + ", ".join(f"`{n}`" for n in names)
           for reason, names in sorted(by_reason.items())]
    return out + [""] if out else []


def _not_run(rows):
    skipped = sum(r.status == "skip" for r in rows)
    failed = sum(r.status not in ("ok", "skip") for r in rows)
    parts = []
    if skipped:
        parts.append(f"{skipped} skipped")
    if failed:
        parts.append(f"{failed} not runnable (live SQL did not load or the case broke)")
    return f" ({', '.join(parts)})" if parts else ""


def markdown(meta, realworld, migra, sqldef, summary_lines):
    out = ["### Run", ""]
    out += [f"- {k}: {v}" for k, v in meta.items()]
    out += ["", "```", *summary_lines, "```", ""]
    if realworld:
        out += ["### Real-world schemas: no false drift, and the pull round trip", "",
                "`pull sql` / `pull toml`: the loaded database pulled in that format into a fresh directory; `ok` "
                "when `plan` of the pulled files against the same database has zero steps, `drift` exits 0 and a "
                "second pull gives byte-identical files; otherwise what failed (steps, drift missing/extra/changed, "
                "re-pull differs). `recreate`: one object of every kind present dropped "
                "from the loaded database, then plan and apply; `ok (N kinds)` when a new plan has zero steps and "
                "`drift` exits 0 (`via pull`: planned from the pulled SQL files, the schema's own being refused; the kinds "
                "dropped are in the last table). Seconds include the pull round trips "
                "and the recreation.", "",
                "| case | load | plan steps | drift missing / extra / changed | unmodeled | pull sql | pull toml "
                "| recreate | seconds | first items |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        for r in realworld:
            if r.status != "ok":
                out.append(f"| {r.name} | {r.status} | | | | | | | | {_md(r.reason)} |")
                continue
            items = [_md(i) for i in r.items] or (["zero drift"] if r.zero_drift else [])
            if r.recreation is not None and not r.recreation.ok:
                items += ["recreate: " + _md(i) for i in r.recreation.items[:2]]
            items += _pull_items(r)
            steps = _n(r.steps) if r.plan_rc == 0 else f"exit {r.plan_rc}"
            drift = (f"{_n(r.missing)} / {_n(r.extra)} / {_n(r.changed)}" if r.drift_rc in (0, 2)
                     else f"exit {r.drift_rc}")
            out.append(f"| {r.name} | ok | {steps} | {drift} | {_n(r.unmodeled)} | {_pull_cell(r, 'sql')} | "
                       f"{_pull_cell(r, 'toml')} | {_recreate_cell(r)} | {r.secs:.1f} | {'<br>'.join(items)} |")
        out += ["", "### Real-world schemas: object counts", "",
                "accrete's count (from the plan against an empty database) / the load check's count "
                "(`_loadcheck/realworld-load.json`, catalog counts on PostgreSQL 15); indexes include those "
                "backing primary key, unique and exclusion constraints; constraints are pk + fk + unique + check + "
                "exclusion. The last column counts, in the loaded database, what PostgreSQL derives by itself "
                "(constraints and indexes cloned to partitions, checks inherited by INHERITS children, constraint "
                "triggers) and indexes on materialized views (unmodeled): the load check counts those, accrete's "
                "plan does not.", "",
                "| case | tables | columns | indexes | constraints | pk | fk | unique | check | exclusion | comments "
                "| derived by PostgreSQL | verdict |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in realworld:
            if r.status != "ok":
                continue
            if r.count_error:
                tables = f"{r.counts['tables']} / {_n(r.expected.get('tables'))} (from drift)" if r.counts else "-"
                out.append(f"| {r.name} | {tables} | empty-database plan failed: {_md(r.count_error)} |||||||||||")
                continue
            cells = []
            for kind, key in COUNTED:
                a, e = r.counts.get(key), r.expected.get(kind)
                cell = f"{a} / {_n(e)}"
                cells.append(cell if a == e else f"**{cell}**")
            out.append(f"| {r.name} | " + " | ".join(cells) + f" | {_derived(r)} | {counts_verdict(r)} |")
        out.append("")
        recreated = [r for r in realworld if r.recreation is not None]
        if recreated:
            out += ["### Real-world schemas: recreation", "",
                    "What was dropped from each loaded database (the first object of each kind that nothing else "
                    "depends on, in name order) before the plan that must bring it back.", "",
                    "| case | kinds | dropped |", "|---|---|---|"]
            for r in recreated:
                dropped = "<br>".join(_md(s) for s in r.recreation.dropped.values())
                out.append(f"| {r.name} | {', '.join(r.recreation.dropped)} | {dropped} |")
            out.append("")
    for label, rows in (("migra", migra), ("sqldef", sqldef)):
        if not rows:
            continue
        out += [f"### Convergence: {label}", ""]
        if label == "sqldef":
            out += _per_file(rows)
            out += _skipped(rows)
            rows = [r for r in rows if (not r.converged or r.full != "yes") and r.status != "skip"]
            out += ["Cases that did not converge (add class, or every class admitted) or could not run "
                    "(cases that converged both ways are not listed):", ""]
        out += ["| case | result | plan steps | apply exit | missing after | replan steps | re-apply | "
                "all classes | first items |",
                "|---|---|---|---|---|---|---|---|---|"]
        for r in rows:
            if r.status != "ok":
                out.append(f"| {r.name} | {r.status} | | | | | | | {_md(r.reason)} |")
                continue
            items = ([] if r.converged else r.items[:3]) + \
                    ([f"all classes: {i}" for i in r.full_items[:3]] if r.full == "no" else [])
            full = "yes" if r.full == "yes" else f"**{r.full or '-'}**"
            out.append(f"| {r.name} | {'converged' if r.converged else '**no**'} | {_n(r.steps)} | "
                       f"{_n(r.apply_rc)} | {_n(r.missing)} | {_n(r.replan_steps)} | {r.reapply or '-'} | "
                       f"{full} | {'<br>'.join(_md(i) for i in items)} |")
        out.append("")
    return "\n".join(out) + "\n"


BEGIN, END = "<!-- scripts/corpus: begin -->", "<!-- scripts/corpus: end -->"


def write_markdown(path, text):
    """Writes the tables to path; in a file that holds the begin/end markers, only between them."""
    try:
        with open(path, encoding="utf-8") as f:
            old = f.read()
    except FileNotFoundError:
        old = ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = f"{head}{BEGIN}\n{text}{END}{tail}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def snapshot_drift_line(results):
    """The `--snapshot-drift` summary: how many drifts printed the same from a snapshot as with a scratch."""
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    rest = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()) if status != "same")
    return (f"snapshot drift: {counts.get('same', 0)} of {len(results)} drifts the same from a snapshot without a "
            f"scratch as with one" + (f" ({rest})" if rest else ""))
