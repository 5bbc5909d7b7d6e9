//! The command line: clap definitions, and the one place where flags and `accrete.toml` become settings.
//! `main` only maps the result of [`run`] to an exit code ([`Exit`]).

mod commands;
mod pull;
mod target;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

pub use commands::run;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success; drift: no drift; apply: applied, or already applied
  1  error: bad input, usage, connection, a failed apply that changed nothing
  2  drift: drift found; plan --exit-code: changes pending
  3  refused: hazards not admitted, objects changed since the plan, different target, changed plan file
  4  apply failed after some segments committed (re-run the same plan to complete it), or verification failed
  130, 143  apply interrupted by SIGINT or SIGTERM: the running statement cancelled, its transaction rolled
     back, the run recorded as interrupted (re-run the same plan to complete it)";

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
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
    /// Write the live database's schema into schema files (SQL or TOML), so the files become the truth.
    Pull(pull::PullArgs),
    /// The embedded local database (used when no target is given).
    #[command(subcommand)]
    Local(LocalCommand),
}

#[derive(Debug, Args, Clone, Default)]
pub struct TargetArgs {
    /// The target database: a URL (postgres://user@host/db) or libpq key=value string. Default:
    /// DATABASE_URL, the PG* environment, `default_target` in accrete.toml, else the embedded local database.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// A target named in accrete.toml (`[targets.NAME]`).
    #[arg(long, value_name = "NAME", conflicts_with = "db")]
    pub target: Option<String>,
}

impl SourceArgs {
    pub fn normalize_options(&self) -> crate::normalize::Options {
        crate::normalize::Options {
            dev_url: self.dev_url.clone(),
            allow_version_mismatch: self.allow_version_mismatch,
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
}

/// What the team admits beyond adding (adds to `[policy]` in accrete.toml).
#[derive(Debug, Args, Clone, Default)]
pub struct PolicyArgs {
    /// Admit a class of change beyond add, or a kind within one: alter, drop, alter:column, drop:index
    /// (comma-separated, repeatable).
    #[arg(long, value_name = "CLASS[:KIND]")]
    pub allow: Vec<String>,
    /// Admit one hazard wherever it appears: deletes-data, rewrites-table, access-exclusive-lock, ...
    #[arg(long, value_name = "HAZARD")]
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
    /// What to print: the summary (text) or a JSON document of the steps with their hazards.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
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
    /// Run the transactional segments and roll them back (their locks are real); change nothing.
    #[arg(long)]
    pub dry_run: bool,
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
}

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Start the embedded local database (plan, apply and drift start it on demand).
    Start,
    /// Stop the embedded local database and accrete's scratch clusters.
    Stop,
    /// Show whether the embedded local database runs, and how to connect to it.
    Status,
}
