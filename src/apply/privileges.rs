//! The privilege check before an apply runs anything: what the plan's steps (and the history) need from
//! the role that runs them, asked of the target in one query, and refused up front, listing every
//! privilege missing, instead of failing halfway.
//!
//! The role is the session's after `--role` and the plan's own `SET ROLE` (the apply session is set up
//! first). What each step needs is read from the DDL it executes (`ddl`); an object a step needs a
//! privilege on that does not exist yet is one the plan creates, and so owned by the role. A step whose own
//! object exists already (its guard skips it) needs nothing.
//!
//! Invariants:
//! - read-only: the check changes nothing and takes no lock beyond what catalog reads take;
//! - one round trip, whatever the plan's size (`check.sql`);
//! - every missing privilege is listed once, with the steps that need it; a lacking role makes the apply
//!   fail with exit 1 before the lock, the history or any segment.

mod ddl;

use super::exec::say;
use super::{ApplyError, ApplyOptions, failed};
use crate::catalog::QualName;
use crate::conn::Connection;
use crate::planfile::PlanFile;
use anyhow::{Context, anyhow};
use ddl::{Need, Probe, Use};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Who needs a privilege: a step, or the apply history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum User {
    Step(u32),
    History,
}

/// Each need, with who needs it and unless which object exists.
type Uses = BTreeMap<Need, BTreeSet<(User, Option<Probe>)>>;

/// Checks that the session's role can run `plan` (its steps when `steps`, and the history unless this is
/// a dry run); refuses, naming every missing privilege, when it cannot.
pub(super) async fn check(
    conn: &Connection,
    plan: &PlanFile,
    opts: &ApplyOptions,
    steps: bool,
    out: &mut (dyn Write + Send),
) -> Result<(), ApplyError> {
    let history = (!opts.dry_run).then_some(opts.history_schema.as_str());
    let steps = steps && plan.steps().next().is_some();
    if !steps && history.is_none() {
        return Ok(());
    }
    let held_by = |role: &str| {
        let owner = if steps { format!("; new objects will be owned by {role}") } else { String::new() };
        format!("privileges: role {role} has every privilege this apply needs{owner}")
    };
    // A superuser on a writable server holds every privilege: reading each step's DDL for what it needs
    // (about 3 s at 5,000 tables) would find nothing to refuse.
    if let Some(role) = writable_superuser(conn).await.map_err(failed)? {
        say(out, &held_by(&role));
        return Ok(());
    }
    let uses = requirements(plan, steps, history);
    let held = query(conn, &uses).await.map_err(failed)?;
    let lacking = lacking(&uses, &held);
    if lacking.is_empty() {
        say(out, &held_by(&held.role));
        return Ok(());
    }
    Err(failed(anyhow!(report(&held.role, &held.database, plan.role.as_deref(), &lacking))))
}

/// The session's role when it is a superuser and the transaction may write: `None` when the needs must be
/// checked one by one.
async fn writable_superuser(conn: &Connection) -> anyhow::Result<Option<String>> {
    let row = conn
        .client
        .query_one(
            "SELECT r.rolsuper AND NOT pg_catalog.current_setting('transaction_read_only')::bool, r.rolname::text
             FROM pg_catalog.pg_roles r WHERE r.rolname = current_user",
            &[],
        )
        .await
        .context("checking whether the role is a superuser")?;
    Ok(row.get::<_, bool>(0).then(|| row.get(1)))
}

/// What the plan's steps (when `steps`) and the history in schema `history` (when given) need.
fn requirements(plan: &PlanFile, steps: bool, history: Option<&str>) -> Uses {
    let mut uses = Uses::new();
    let mut add = |user: User, u: Use| {
        uses.entry(u.need).or_default().insert((user, u.unless));
    };
    for (_, step) in plan.steps().filter(|_| steps) {
        let user = User::Step(step.number);
        add(user, Use { need: Need::ReadWrite, unless: None });
        for text in ddl::executed_ddl(&step.statements) {
            for u in ddl::uses(&text) {
                add(user, u);
            }
        }
    }
    if let Some(schema) = history {
        let table = |name: &str| QualName::new(schema, name);
        let s = schema.to_string();
        let history_uses = [
            (Need::ReadWrite, None),
            (Need::CreateOnDatabase, Some(Probe::Schema(s.clone()))),
            (Need::CreateOnSchema(s.clone()), Some(Probe::Relation(table("history_steps")))),
            (Need::UsageOnSchema(s), None),
            (Need::OnTable(table("history"), "SELECT"), None),
            (Need::OnTable(table("history"), "INSERT"), None),
            (Need::OnTable(table("history"), "UPDATE"), None),
            (Need::OnTable(table("history_steps"), "INSERT"), None),
        ];
        for (need, unless) in history_uses {
            add(User::History, Use { need, unless });
        }
    }
    uses
}

/// What the target answered.
#[derive(Debug, Default)]
struct Held {
    role: String,
    database: String,
    needs: BTreeMap<Need, Answer>,
    /// Whether each probe's object exists.
    probes: BTreeMap<Probe, bool>,
}

/// Whether a need is held (`None`: its object does not exist yet), and details for the message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Answer {
    ok: Option<bool>,
    owner: Option<String>,
    trusted: Option<bool>,
}

/// One row of `check.sql`'s input: kind and up to three names.
fn need_row(need: &Need) -> (&'static str, [Option<&str>; 3]) {
    match need {
        Need::ReadWrite => ("read-write", [None, None, None]),
        Need::CreateOnDatabase => ("create-database", [None, None, None]),
        Need::CreateOnSchema(s) => ("create-schema", [Some(s), None, None]),
        Need::UsageOnSchema(s) => ("usage-schema", [Some(s), None, None]),
        Need::OwnSchema(s) => ("own-schema", [Some(s), None, None]),
        Need::OwnRelation(_, q) => ("own-relation", [Some(&q.schema), Some(&q.name), None]),
        Need::OwnType(q) => ("own-type", [Some(&q.schema), Some(&q.name), None]),
        Need::OwnFunction(q) => ("own-function", [Some(&q.schema), Some(&q.name), None]),
        Need::References(q, c) => ("references", [Some(&q.schema), Some(&q.name), Some(c)]),
        Need::UsageOnType(q) => ("usage-type", [Some(&q.schema), Some(&q.name), None]),
        Need::Extension(e) => ("extension", [Some(e), None, None]),
        Need::OnTable(q, p) => ("on-table", [Some(&q.schema), Some(&q.name), Some(p)]),
        Need::Superuser => ("superuser", [None, None, None]),
        Need::OwnEventTrigger(e) => ("own-event-trigger", [Some(e), None, None]),
    }
}

fn probe_row(probe: &Probe) -> (&'static str, [Option<&str>; 3]) {
    match probe {
        Probe::Schema(s) => ("is-schema", [Some(s), None, None]),
        Probe::Extension(e) => ("is-extension", [Some(e), None, None]),
        Probe::Relation(q) => ("is-relation", [Some(&q.schema), Some(&q.name), None]),
        Probe::Type(q) => ("is-type", [Some(&q.schema), Some(&q.name), None]),
        Probe::Column(q, c) => ("is-column", [Some(&q.schema), Some(&q.name), Some(c)]),
        Probe::Constraint(q, c) => ("is-constraint", [Some(&q.schema), Some(&q.name), Some(c)]),
        Probe::ValidConstraint(q, c) => ("is-valid-constraint", [Some(&q.schema), Some(&q.name), Some(c)]),
        Probe::ValidIndex(q) => ("is-valid-index", [Some(&q.schema), Some(&q.name), None]),
        Probe::EnumLabel(q, l) => ("is-enum-label", [Some(&q.schema), Some(&q.name), Some(l)]),
        Probe::Trigger(q, t) => ("is-trigger", [Some(&q.schema), Some(&q.name), Some(t)]),
        Probe::Rule(q, r) => ("is-rule", [Some(&q.schema), Some(&q.name), Some(r)]),
        Probe::Policy(q, p) => ("is-policy", [Some(&q.schema), Some(&q.name), Some(p)]),
        Probe::EventTrigger(e) => ("is-event-trigger", [Some(e), None, None]),
    }
}

/// Asks the target, in one query, about every need and every probe.
async fn query(conn: &Connection, uses: &Uses) -> anyhow::Result<Held> {
    let needs: Vec<&Need> = uses.keys().collect();
    let mut probes: Vec<&Probe> = uses.values().flatten().filter_map(|(_, p)| p.as_ref()).collect();
    probes.sort();
    probes.dedup();
    let rows: Vec<serde_json::Value> = needs
        .iter()
        .map(|n| need_row(n))
        .chain(probes.iter().map(|p| probe_row(p)))
        .enumerate()
        .map(|(i, (k, [a, b, c]))| serde_json::json!({"i": i, "k": k, "a": a, "b": b, "c": c}))
        .collect();
    let input = serde_json::Value::Array(rows).to_string();
    let result = conn
        .client
        .query(include_str!("privileges/check.sql"), &[&input])
        .await
        .context("checking the privileges the plan needs")?;
    let mut held = Held::default();
    for row in result {
        let i = row.get::<_, i32>(0) as usize;
        let answer = Answer { ok: row.get(1), owner: row.get(2), trusted: row.get(3) };
        held.role = row.get(4);
        held.database = row.get(5);
        match needs.get(i) {
            Some(need) => {
                held.needs.insert((*need).clone(), answer);
            }
            None => {
                let probe = probes[i - needs.len()].clone();
                held.probes.insert(probe, answer.ok == Some(true));
            }
        }
    }
    Ok(held)
}

/// One missing privilege: the need, what the target said, and who needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Lacking {
    need: Need,
    answer: Answer,
    users: Vec<User>,
}

/// The needs that are required (by a user whose probe object is absent) and not held.
fn lacking(uses: &Uses, held: &Held) -> Vec<Lacking> {
    let mut list = Vec::new();
    for (need, users) in uses {
        let answer = held.needs.get(need).cloned().unwrap_or_default();
        if answer.ok != Some(false) {
            continue;
        }
        let mut required: Vec<User> = users
            .iter()
            .filter(|(_, probe)| probe.as_ref().is_none_or(|p| !held.probes.get(p).copied().unwrap_or(false)))
            .map(|(user, _)| *user)
            .collect();
        required.sort();
        required.dedup();
        if !required.is_empty() {
            list.push(Lacking { need: need.clone(), answer, users: required });
        }
    }
    list
}

/// The refusal: one line per missing privilege, then what to do.
fn report(role: &str, database: &str, planned_role: Option<&str>, lacking: &[Lacking]) -> String {
    let mut text = format!(
        "role {role} lacks {} this plan needs (checked before running anything):",
        if lacking.len() == 1 { "a privilege" } else { "privileges" }
    );
    for l in lacking {
        text.push_str(&format!(
            "\n  {} ({})",
            describe(role, database, planned_role, l),
            users_text(&l.users)
        ));
    }
    text.push_str("\n  help: grant what is listed, or apply as a role that holds it (see --role)");
    text
}

/// `role R lacks CREATE on schema app`, `role R does not own table app.users (owner: o): ...`
fn describe(role: &str, database: &str, planned_role: Option<&str>, l: &Lacking) -> String {
    let lacks = |what: String| format!("role {role} lacks {what}");
    match &l.need {
        Need::ReadWrite => format!(
            "the session of role {role} is read-only (transaction_read_only = on, as \
             default_transaction_read_only sets it): apply needs a writable session"
        ),
        Need::CreateOnDatabase => lacks(format!("CREATE on database {database}")),
        Need::CreateOnSchema(s) => lacks(format!("CREATE on schema {s}")),
        Need::UsageOnSchema(s) => lacks(format!("USAGE on schema {s}")),
        Need::UsageOnType(q) => lacks(format!("USAGE on type {q}")),
        Need::References(q, c) => lacks(format!("REFERENCES on column {q}.{c}")),
        Need::OnTable(q, p) => lacks(format!("{p} on table {q}")),
        Need::Extension(e) if l.answer.trusted == Some(true) => {
            lacks(format!("CREATE on database {database} (to create trusted extension {e})"))
        }
        Need::Extension(e) => {
            format!("role {role} cannot create extension {e}: it is not trusted, so only a superuser can")
        }
        Need::OwnSchema(s) => not_owner(role, "schema", s, &l.answer, planned_role),
        Need::OwnRelation(kind, q) => not_owner(role, kind, &q.to_string(), &l.answer, planned_role),
        Need::OwnType(q) => not_owner(role, "type", &q.to_string(), &l.answer, planned_role),
        Need::OwnFunction(q) => not_owner(role, "function", &q.to_string(), &l.answer, planned_role),
        Need::Superuser => format!(
            "role {role} is not a superuser, and only a superuser can create or alter an event trigger: apply \
             as one (or with --role naming one), or make these steps by hand"
        ),
        Need::OwnEventTrigger(e) => not_owner(role, "event trigger", e, &l.answer, planned_role),
    }
}

fn not_owner(role: &str, kind: &str, name: &str, answer: &Answer, planned_role: Option<&str>) -> String {
    let owner = answer.owner.as_deref().unwrap_or("unknown");
    let fix = match planned_role {
        // A plan made with --role is applied with that role only.
        Some(_) => format!("plan again with --role {owner} or grant membership"),
        None => format!("use --role {owner} or grant membership"),
    };
    format!("role {role} does not own {kind} {name} (owner: {owner}): {fix}")
}

/// `steps 1-3, 7`, `step 4`, `the apply history`, `steps 2, 5 and the apply history`.
fn users_text(users: &[User]) -> String {
    let steps: Vec<u32> = users
        .iter()
        .filter_map(|u| match u {
            User::Step(n) => Some(*n),
            User::History => None,
        })
        .collect();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for n in steps.iter().copied() {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => ranges.push((n, n)),
        }
    }
    let list: Vec<String> =
        ranges.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
    let steps_text = match steps.len() {
        0 => String::new(),
        1 => format!("step {}", list[0]),
        _ => format!("steps {}", list.join(", ")),
    };
    let history = users.contains(&User::History);
    match (steps_text.is_empty(), history) {
        (true, _) => "the apply history".to_string(),
        (false, true) => format!("{steps_text} and the apply history"),
        (false, false) => steps_text,
    }
}

#[cfg(test)]
mod tests;
