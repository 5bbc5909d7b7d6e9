//! The command line: clap definitions, and the one place where flags and `accrete.toml` become settings.
//! `main` only maps the result of [`run`] to an exit code ([`Exit`]).

mod commands;
mod extras;
mod fleet;
mod pull;
mod snapshot;
mod target;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use commands::run;

static QUIET: AtomicBool = AtomicBool::new(false);

/// Whether `-q` asked for nothing on standard output but requested data (`--format json`).
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// `println!` unless `-q`.
macro_rules! say {
    ($($arg:tt)*) => {
        if !$crate::cli::quiet() {
            println!($($arg)*);
        }
    };
}
pub(crate) use say;

/// The exit-code table of `--help`, as a literal for `concat!`.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  success; drift: no drift; apply: applied, or already applied
  1  error: bad input, usage, connection, a failed apply that changed nothing
  2  drift: drift found; plan --exit-code: changes pending; snapshot --check: missing or stale
  3  refused: plan: a likely rename not answered ([renames]); apply: hazards not admitted, objects changed
     since the plan, different target, changed plan file
  4  apply failed after some segments committed (re-run the same plan to complete it), or verification failed
  130, 143  interrupted by SIGINT or SIGTERM: apply cancels the running statement, rolls its transaction
     back and records the run as interrupted (re-run the same plan to complete it); plan and drift drop
     their scratch database first
  Over a set of targets (--tag, --all, several --target): the highest of the targets' codes"
    };
}

pub const EXIT_CODES: &str = exit_codes!();

/// What the process exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Error = 1,
    Drift = 2,
    Refused = 3,
    Partial = 4,
    /// `apply` stopped by SIGINT.
    Interrupted = 130,
    /// `apply` stopped by SIGTERM.
    Terminated = 143,
}

#[derive(Debug, Parser)]
#[command(
    name = "accrete",
    version,
    about = "Declarative schema diff for PostgreSQL that adds what is missing (and alters or drops only what you admit): guarded, idempotent plans you review, then apply",
    after_help = EXIT_CODES,
    after_long_help = concat!(
        "Examples:\n",
        "  accrete init                              a project here: accrete.toml, schema/, plans/\n",
        "  accrete plan                              plan schema/ against the embedded local database\n",
        "  accrete plan --db postgres://app@db/app   ... against a server\n",
        "  accrete apply plans/<id>.sql --db ...     run the reviewed plan\n",
        "  accrete drift --db ... --format json      report drift (exit 2 when there is some)\n",
        "\n",
        "Logging: -v shows accrete's phases, -vv its debug lines; ACCRETE_LOG=<filter> (tracing's syntax, e.g.\n",
        "accrete=debug,tokio_postgres=info) replaces both. Colour only on a terminal and never with NO_COLOR set.\n",
        "\n",
        exit_codes!()
    )
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How much the command says; global, so it goes before or after the subcommand.
#[derive(Debug, Args, Clone, Default)]
pub struct OutputArgs {
    /// Say more: -v logs accrete's phases, -vv its debug lines (standard error).
    #[arg(short, long, action = clap::ArgAction::Count, global = true, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Print nothing on success (errors and warnings still go to standard error; --format json still prints).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print how long each phase took, when the command ends (standard error).
    #[arg(long, global = true)]
    pub timings: bool,
}

impl OutputArgs {
    /// The log filter: ACCRETE_LOG when set, else warnings from everything and accrete's own lines at the
    /// level -v asks for (dependencies' internals stay out).
    pub fn log_filter(&self) -> String {
        if let Ok(filter) = std::env::var("ACCRETE_LOG")
            && !filter.is_empty()
        {
            return filter;
        }
        let own = match (self.quiet, self.verbose) {
            (true, _) => "error",
            (false, 0) => "warn",
            (false, 1) => "info",
            (false, 2) => "debug",
            _ => "trace",
        };
        format!("warn,accrete={own}")
    }

    /// Colour on standard error: only on a terminal, and never when NO_COLOR is set to anything.
    pub fn color(&self) -> bool {
        use std::io::IsTerminal;
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare schema/ with the database and write a plan file of guarded steps (and its rollback): additions,
    /// and the alterations and drops that --allow admits.
    Plan(PlanArgs),
    /// Run a reviewed plan file against its database, exactly as written.
    Apply(ApplyArgs),
    /// Report how the database differs from schema/ (exit 2 on drift).
    Drift(DriftArgs),
    /// Write the normalized desired state into schema.snapshot/<major>/ (to commit), so that plan and drift
    /// need no scratch database while it is current; --check exits 2 when it is stale.
    Snapshot(snapshot::SnapshotArgs),
    /// Write the live database's schema into schema files (SQL or TOML), so the files become the truth.
    Pull(pull::PullArgs),
    /// The embedded local database (used when no target is given) and the scratch clusters.
    #[command(subcommand)]
    Local(LocalCommand),
    /// Start a project in this directory: accrete.toml, schema/ with an example, plans/, and a CI example.
    Init(extras::InitArgs),
    /// Print a shell completion script: accrete completions bash > /etc/bash_completion.d/accrete
    Completions(extras::CompletionsArgs),
    /// Write the manual pages (accrete.1 and one per command) into a directory, or print accrete.1.
    Man(extras::ManArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct TargetArgs {
    /// The target database: a URL (postgres://user@host/db) or libpq key=value string. Default:
    /// DATABASE_URL, the PG* environment, `default_target` in accrete.toml, else the embedded local database.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// A target named in accrete.toml (`[targets.NAME]`); drift, plan and apply take it more than once,
    /// and a discovered database or tenant schema by its name (`NAME/DATABASE`, `NAME/SCHEMA`).
    #[arg(long, value_name = "NAME", conflicts_with = "db", action = clap::ArgAction::Append)]
    pub target: Vec<String>,
}

/// A set of targets instead of one (drift, plan, apply): see the README's "Fleets".
#[derive(Debug, Args, Clone)]
pub struct FleetArgs {
    /// Select the targets carrying this tag (`tags = [...]`; repeatable).
    #[arg(long, value_name = "TAG", conflicts_with = "db")]
    pub tag: Vec<String>,
    /// Select every target: named, discovered and tenant schemas.
    #[arg(long, conflicts_with = "db")]
    pub all: bool,
    /// How many targets to work on at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub jobs: usize,
    /// Seconds to connect to and inspect one target (and, for plan, to prove its plan); a slower one is
    /// reported as an error.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub timeout: u64,
    /// Only the I-th of N parts of the selection (by a hash of each target's name), to spread a fleet over
    /// machines; the parts' reports together are the whole one.
    #[arg(long, value_name = "I/N", conflicts_with = "db")]
    pub shard: Option<crate::fleet::Shard>,
}

impl FleetArgs {
    pub fn selection(&self, target: &TargetArgs) -> crate::fleet::Selection {
        crate::fleet::Selection {
            targets: target.target.clone(),
            tags: self.tag.clone(),
            all: self.all,
            shard: self.shard,
        }
    }

    pub fn limits(&self) -> crate::fleet::Limits {
        crate::fleet::Limits { jobs: self.jobs.max(1), timeout: Duration::from_secs(self.timeout.max(1)) }
    }
}

impl SourceArgs {
    /// Where and how to normalize: these flags, and the load timeouts of `[source]` in accrete.toml.
    pub fn normalize_options(&self, file: &crate::config::FileConfig) -> crate::normalize::Options {
        crate::normalize::Options {
            dev_url: self.dev_url.clone(),
            allow_version_mismatch: self.allow_version_mismatch,
            statement_timeout: file.source.statement_timeout,
            load_timeout: file.source.load_timeout,
            inspect_connections: file.inspect_connections,
        }
    }
}

#[derive(Debug, Args, Clone)]
pub struct SourceArgs {
    /// The directory holding the desired schema (.sql files, read recursively in sorted order).
    #[arg(long, value_name = "DIR", default_value = "schema")]
    pub schema_dir: PathBuf,
    /// A server to normalize the desired schema on, instead of accrete's own scratch cluster. accrete
    /// creates and drops its own `accrete_scratch_*` database there and touches nothing else.
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
    /// Normalize on another PostgreSQL major when the target's is not installed (may report false drift).
    #[arg(long)]
    pub allow_version_mismatch: bool,
    /// Normalize the schema files even when a current snapshot (schema.snapshot/<major>/) is there.
    #[arg(long)]
    pub no_snapshot: bool,
}

/// What the team admits beyond adding (adds to `[policy]` in accrete.toml).
#[derive(Debug, Args, Clone, Default)]
pub struct PolicyArgs {
    /// Admit a class of change beyond add, or a kind within one: alter, drop, alter:column, drop:index
    /// (comma-separated, repeatable).
    #[arg(long, value_name = "CLASS[:KIND]")]
    pub allow: Vec<String>,
    /// Admit one hazard wherever it appears: deletes-data, rewrites-table, access-exclusive-lock, ...; or,
    /// for one that grows with the data, only below a table size: rewrites-table:<100MB
    #[arg(long, value_name = "HAZARD[:<SIZE]")]
    pub allow_hazard: Vec<String>,
    /// Require admission for the hazards of additions too (index builds, validations ...).
    #[arg(long)]
    pub strict: bool,
}

impl PolicyArgs {
    /// The configuration's policy with these flags added.
    pub fn policy(&self, file: &crate::config::FileConfig) -> anyhow::Result<crate::policy::Policy> {
        let allow = crate::policy::parse_allow(&self.allow).map_err(|e| anyhow::anyhow!("--allow: {e}"))?;
        let hazards = crate::policy::parse_hazards(&self.allow_hazard)
            .map_err(|e| anyhow::anyhow!("--allow-hazard: {e}"))?;
        Ok(file.policy.clone().with(allow, hazards, self.strict))
    }
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Where to write the plan (default: plans/<plan id>.sql).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit 2 when the plan has steps.
    #[arg(long)]
    pub exit_code: bool,
    /// Plan as this role (SET ROLE): new objects will be owned by it; apply must use the same --role.
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// Count, on the target, the rows that would make a step fail (NULLs for a NOT NULL, rows breaking a
    /// CHECK, duplicates for a unique key, orphans for a foreign key). Read-only; printed, not written.
    #[arg(long)]
    pub check_data: bool,
    /// Seconds each --check-data count may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub check_data_timeout: u64,
    /// Write the plan without running it on a scratch copy of the target's schema first (the header then
    /// says `not proven: --no-prove`).
    #[arg(long)]
    pub no_prove: bool,
    /// What to print: the summary (text), a JSON document of the steps (hazards, lock, table size, DDL; with a
    /// selection: one JSON line per target), or the review as Markdown for a pull-request comment (cut to fit
    /// one; the full review then goes to PLAN.md beside the plan).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub fleet: FleetArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The plan file, as reviewed.
    pub file: PathBuf,
    #[command(flatten)]
    pub target: TargetArgs,
    /// apply evaluates its own policy: a step whose class or hazards it does not admit is refused.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Run the plan on a scratch copy of the target's current schema and count the rows on the target a
    /// step would fail on (read-only); change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: a server to make the copy of the schema on, instead of accrete's own scratch cluster
    /// (accrete creates and drops its own `accrete_scratch_*` database there and touches nothing else).
    #[arg(long, value_name = "URL", requires = "dry_run")]
    pub dev_url: Option<String>,
    /// Run even when objects changed since the plan was made (every step is still guarded).
    #[arg(long)]
    pub force: bool,
    /// Run against a database other than the one planned against.
    #[arg(long)]
    pub other_target: bool,
    /// SET ROLE before running (must be the role the plan was made with).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// Seconds a statement waits for a lock before it is retried (lock_timeout).
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub lock_timeout: u64,
    /// Seconds to wait for another apply to finish before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_wait: u64,
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// With a fleet index (`fleet.json`): how many targets each wave after the canary holds.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub wave_size: usize,
    /// With a fleet index: `json` prints JSON Lines, one document per target of the index (its outcome,
    /// steps, verification, error and wave).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

impl ApplyArgs {
    pub fn lock_timeout(&self) -> Duration {
        Duration::from_secs(self.lock_timeout)
    }
    pub fn lock_wait(&self) -> Duration {
        Duration::from_secs(self.lock_wait)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// For a pull-request comment or an issue: tables, diffs and DDL, cut to fit one comment (drift with a
    /// selection: a summary of the targets).
    Markdown,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub source: SourceArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Categories that count as drift (exit 2): missing, extra, changed, likely_renames,
    /// equivalent_other_name, unmodeled.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "missing,extra,changed")]
    pub fail_on: Vec<crate::drift::Category>,
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// With a selection: write the drift counts, errors and last success time of each target to FILE in
    /// the Prometheus text format (atomically, for a node exporter's textfile collector).
    #[arg(long, value_name = "FILE")]
    pub metrics: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Start the embedded local database (plan, apply and drift start it on demand).
    Start,
    /// Stop this project's embedded local database; with --scratch, also accrete's scratch clusters
    /// (shared by every project of this user; they stop by themselves after 30 minutes unused).
    Stop {
        /// Also stop the scratch clusters that normalize schemas (every project of this user uses them).
        #[arg(long)]
        scratch: bool,
    },
    /// Show whether the embedded local database runs, and how to connect to it.
    Status,
}
