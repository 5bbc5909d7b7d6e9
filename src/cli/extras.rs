//! The commands around the main ones: `init` (a new project), `completions` (shell scripts generated from
//! the clap definitions) and `man` (manual pages generated from the same definitions).
//!
//! `init` never overwrites: a file that exists is left as it is and named; everything else is written.

use super::{Cli, Exit, say};
use anyhow::{Context, Result};
use clap::{Args, CommandFactory, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiExample {
    /// GitHub Actions: plan on pull requests, nightly drift (.github/workflows/accrete.yml).
    Github,
    /// GitLab CI: plan on merge requests, scheduled drift (.gitlab-ci.accrete.yml).
    Gitlab,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Also copy in a CI example.
    #[arg(long, value_enum, value_name = "SYSTEM")]
    pub ci: Option<CiExample>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write accrete.1 and accrete-<command>.1 into this directory (default: print accrete.1).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

const CONFIG: &str = r#"# accrete's settings for this project (see the README's Configuration section).

# Which schemas accrete manages; objects elsewhere are neither compared nor planned.
[scope]
schemas = ["app"]

# What plans may do beyond adding: for example allow = ["alter:column", "drop:index"].
[policy]
allow = []

# Named targets: accrete plan --target staging
# [targets.staging]
# url_env = "STAGING_DATABASE_URL"
"#;

const EXAMPLE_SCHEMA: &str = r#"-- The desired state: what the database should have. accrete adds what is missing; it never renames.
CREATE SCHEMA app;

CREATE TABLE app.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
"#;

const GITHUB: &str = include_str!("../../examples/github-actions.yml");
const GITLAB: &str = include_str!("../../examples/gitlab-ci.yml");

/// `accrete init`: the files of a new project in `dir`.
pub fn init(args: &InitArgs, dir: &Path) -> Result<Exit> {
    let mut files: Vec<(PathBuf, &str)> =
        vec![(dir.join("accrete.toml"), CONFIG), (dir.join("plans").join(".gitkeep"), "")];
    let schema = dir.join("schema");
    let has_schema = std::fs::read_dir(&schema).map(|mut d| d.next().is_some()).unwrap_or(false);
    if !has_schema {
        files.push((schema.join("app.sql"), EXAMPLE_SCHEMA));
    }
    match args.ci {
        Some(CiExample::Github) => files.push((dir.join(".github/workflows/accrete.yml"), GITHUB)),
        Some(CiExample::Gitlab) => files.push((dir.join(".gitlab-ci.accrete.yml"), GITLAB)),
        None => {}
    }
    let mut kept = Vec::new();
    for (path, text) in files {
        if path.exists() {
            kept.push(path);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        say!("wrote {}", path.display());
    }
    for path in &kept {
        say!("kept {} (it exists)", path.display());
    }
    if has_schema {
        say!("kept {} (it has files)", schema.display());
    }
    say!(
        "next: edit schema/, then `accrete plan` (the embedded local database is used when no target is given)"
    );
    Ok(Exit::Success)
}

/// `accrete completions SHELL`: the script on standard output.
pub fn completions(args: &CompletionsArgs) -> Result<Exit> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "accrete", &mut std::io::stdout());
    Ok(Exit::Success)
}

/// `accrete man`: accrete.1 on standard output, or every page into `--out-dir`.
pub fn man(args: &ManArgs) -> Result<Exit> {
    let command = Cli::command();
    let Some(dir) = &args.out_dir else {
        clap_mangen::Man::new(command).render(&mut std::io::stdout()).context("writing the manual page")?;
        return Ok(Exit::Success);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut pages = vec![("accrete".to_string(), command.clone())];
    for sub in command.get_subcommands() {
        pages.push((format!("accrete-{}", sub.get_name()), sub.clone()));
        for nested in sub.get_subcommands() {
            pages.push((format!("accrete-{}-{}", sub.get_name(), nested.get_name()), nested.clone()));
        }
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut file = std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        clap_mangen::Man::new(page)
            .title(name.clone())
            .render(&mut file)
            .with_context(|| format!("writing {}", path.display()))?;
        say!("wrote {}", path.display());
    }
    Ok(Exit::Success)
}
