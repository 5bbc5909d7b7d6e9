//! `accrete pull`: the live database's in-scope schema written into a schema directory (see
//! [`crate::pull`] for the layout), inspected with the same code `plan` and `drift` use.

use super::{Exit, TargetArgs, say, target};
use crate::conn::connect;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PullFormat {
    Sql,
    Toml,
}

#[derive(Debug, Args)]
pub struct PullArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The file format to write.
    #[arg(long, value_enum, default_value = "sql")]
    pub format: PullFormat,
    /// The directory to write the schema files into.
    #[arg(long, value_name = "DIR", default_value = "schema")]
    pub schema_dir: PathBuf,
    /// Overwrite existing files whose content differs (pull never deletes a file).
    #[arg(long)]
    pub force: bool,
}

pub async fn run(args: PullArgs, project_dir: &Path) -> Result<Exit> {
    let file = crate::config::load_file(project_dir)?;
    let scope = file.scope();
    let params = target::resolve(&args.target, &file, project_dir).await?;
    let conn = connect(&params, "accrete/pull").await?;
    let inspected = crate::inspect::inspect(&conn.client, &scope)
        .await
        .with_context(|| format!("inspecting {params}"))?;
    let format = match args.format {
        PullFormat::Sql => crate::pull::Format::Sql,
        PullFormat::Toml => crate::pull::Format::Toml,
    };
    let files = crate::pull::render(&inspected.catalog, format);
    let dir = &args.schema_dir;
    let written = crate::pull::write(dir, &files, args.force)?;
    say!(
        "pulled {} into {}: {} file(s) written, {} already up to date",
        inspected.server.database,
        dir.display(),
        written.written.len(),
        written.unchanged.len()
    );
    for path in &written.overwritten {
        say!("  overwritten: {}", dir.join(path).display());
    }
    if !files.not_written.is_empty() {
        let kinds: Vec<String> = files.not_written.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        say!("not pulled (accrete does not model these kinds yet): {}", kinds.join(", "));
    }
    if !written.others.is_empty() {
        say!("other schema files in {} were left as they are (they still count as declared):", dir.display());
        for path in &written.others {
            say!("  {}", dir.join(path).display());
        }
    }
    Ok(Exit::Success)
}
