//! The `accrete` binary: parses the command line, runs it, and maps the outcome to an exit code (see
//! `accrete --help`). Errors print their whole context chain; a panic exits 1 like any other error.

use accrete::cli::{Cli, Exit};
use clap::Parser;
use std::process::ExitCode;

/// One malloc arena. With glibc's default, every thread that allocates may get an arena of its own, and
/// what is freed in one is not reused by another: an inspection over several sessions while the schema
/// files are read on another thread held 400 MB at 5,000 tables, 250 MB with one arena, in the same time
/// (the threads mostly wait on the server). mimalloc held 345 to 390 MB.
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called first in `main`, before any other thread exists; mallopt only tunes the allocator.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

fn main() -> ExitCode {
    one_malloc_arena();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap's own usage errors exit 2, which means "drift" here: remap to 1. Help and version: 0.
            return ExitCode::from(if e.use_stderr() { Exit::Error as u8 } else { Exit::Success as u8 });
        }
    };
    let output = cli.output.clone();
    let filter = tracing_subscriber::EnvFilter::try_new(output.log_filter()).unwrap_or_else(|e| {
        eprintln!("warning: ACCRETE_LOG is not a log filter ({e}); using warn");
        tracing_subscriber::EnvFilter::new("warn")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(output.color())
        .with_target(output.verbose > 1)
        .without_time()
        .init();
    accrete::cli::set_quiet(output.quiet);
    // A spinner only where the log lines would not interleave with it.
    accrete::progress::configure(accrete::progress::Display {
        spinner: !output.quiet && output.verbose == 0,
        quiet: output.quiet,
    });
    let started = std::time::Instant::now();
    let outcome = std::panic::catch_unwind(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        runtime.block_on(accrete::cli::run(cli))
    });
    let exit = match outcome {
        Ok(Ok(exit)) => exit,
        Ok(Err(e)) => {
            // Names in it come from schema files and the database: no control sequences reach the terminal.
            eprintln!("error: {}", accrete::escape::terminal(&format!("{e:#}")));
            Exit::Error
        }
        Err(_) => Exit::Error,
    };
    if output.timings {
        eprint!("{}", accrete::progress::timings_table(started.elapsed()));
    }
    ExitCode::from(exit as u8)
}
