//! The phases of a command (reading files, inspecting the target, loading the scratch database, ...): one
//! set of spans that three things share. On a terminal, a phase that lasts more than a moment shows a
//! spinner with its name and elapsed time on standard error; `--timings` prints every phase's duration
//! when the command ends; `-v` logs each phase's start and end through `tracing`.
//!
//! A leaf module: it knows nothing of accrete's other modules. [`configure`] is called once by `main`
//! before any phase; without it (in library use and tests) phases are only timed.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::future::Future;
use std::io::IsTerminal;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How phases are shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Display {
    /// A spinner on standard error (only when it is a terminal).
    pub spinner: bool,
    /// `-q`: no notices.
    pub quiet: bool,
}

static DISPLAY: OnceLock<Display> = OnceLock::new();
static TIMINGS: Mutex<Vec<Timing>> = Mutex::new(Vec::new());

/// One line of the `--timings` table: a phase (depth 0), in the order the phases started, or a detail
/// of the phase above it (depth 1: one catalog query, one fact such as how many connections it used).
#[derive(Debug, Clone)]
struct Timing {
    name: String,
    depth: usize,
    /// `None` while the phase runs, and for a detail that is a fact rather than a duration.
    took: Option<Duration>,
}

fn timings_lock() -> std::sync::MutexGuard<'static, Vec<Timing>> {
    TIMINGS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reserves a phase's line when it starts (so that its details follow it); [`finish`] fills it in.
fn reserve(name: &str) -> usize {
    let mut timings = timings_lock();
    timings.push(Timing { name: name.to_string(), depth: 0, took: None });
    timings.len() - 1
}

fn finish(slot: usize, took: Duration) {
    if let Some(timing) = timings_lock().get_mut(slot) {
        timing.took = Some(took);
    }
}

/// A detail of the phase under way, shown indented under it by `--timings` and logged at debug level:
/// how long one part of it took (`took`), or a fact about it (`None`).
pub fn detail(name: &str, took: Option<Duration>) {
    match took {
        Some(took) => tracing::debug!("{name}: {:.3} s", took.as_secs_f64()),
        None => tracing::debug!("{name}"),
    }
    timings_lock().push(Timing { name: name.to_string(), depth: 1, took });
}
/// The spinner on screen, so that a notice printed meanwhile does not leave a stale spinner line behind.
static SHOWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Sets how phases are shown; `spinner` is kept only when standard error is a terminal.
pub fn configure(display: Display) {
    let spinner = display.spinner && std::io::stderr().is_terminal();
    let _ = DISPLAY.set(Display { spinner, quiet: display.quiet });
}

/// A line for the person running the command, on standard error, unless `-q`: something the command did
/// beside its job that they should know of (a server it started and left running).
pub fn notice(text: &str) {
    if DISPLAY.get().is_some_and(|d| d.quiet) {
        return;
    }
    match SHOWN.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        Some(bar) => bar.suspend(|| eprintln!("{text}")),
        None => eprintln!("{text}"),
    }
}

/// Runs `work` as the phase `name` ("inspecting the target"): timed, logged, and shown on a terminal.
pub async fn phase<F: Future>(name: &str, work: F) -> F::Output {
    let span = Span::start(name);
    let output = work.await;
    span.end();
    output
}

/// Runs `work` as the phase `name`, timed and logged like [`phase`] but with no spinner: for a phase that
/// prints lines of its own as it goes (apply's segments and their steps), which a spinner would break.
pub async fn phase_unshown<F: Future>(name: &str, work: F) -> F::Output {
    let span = Span::start_unshown(name);
    let output = work.await;
    span.end();
    output
}

/// The same for blocking work.
pub fn phase_blocking<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let span = Span::start(name);
    let output = work();
    span.end();
    output
}

/// Runs blocking `work` on a thread of its own as the phase `name`, beside the phases that run meanwhile
/// (reading the schema files while the target is inspected): timed and logged like [`phase`], without a
/// spinner of its own (the phase in the foreground shows one). Its line of the timings comes before theirs.
pub fn background<T: Send + 'static>(
    name: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    let span = Span::start_background(name);
    tokio::task::spawn_blocking(move || {
        let output = work();
        span.end();
        output
    })
}

/// A phase under way: its name, its line of the timings, when it started, and its spinner.
struct Span<'a> {
    name: &'a str,
    slot: usize,
    started: Instant,
    spinner: Option<ProgressBar>,
}

impl<'a> Span<'a> {
    fn start(name: &'a str) -> Span<'a> {
        tracing::info!("{name}");
        let spinner = DISPLAY.get().filter(|d| d.spinner).map(|_| spinner(name));
        if let Some(bar) = &spinner {
            *SHOWN.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar.clone());
        }
        Span { name, slot: reserve(name), started: Instant::now(), spinner }
    }

    fn start_background(name: &'a str) -> Span<'a> {
        tracing::info!("{name} (in the background)");
        Span { name, slot: reserve(name), started: Instant::now(), spinner: None }
    }

    fn start_unshown(name: &'a str) -> Span<'a> {
        tracing::info!("{name}");
        Span { name, slot: reserve(name), started: Instant::now(), spinner: None }
    }

    fn end(self) {
        let took = self.started.elapsed();
        if let Some(bar) = self.spinner {
            bar.finish_and_clear();
            *SHOWN.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
        tracing::info!("{}: done in {:.2} s", self.name, took.as_secs_f64());
        finish(self.slot, took);
    }
}

fn spinner(name: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.set_message(name.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A count of finished items out of a known total ("drift 12/100 (3 s)"), as a bar on a terminal; timed
/// as a phase of its own.
pub struct Counter {
    slot: usize,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Counter {
    pub fn start(name: &str, total: usize) -> Counter {
        tracing::info!("{name}: {total}");
        let bar = DISPLAY.get().filter(|d| d.spinner).map(|_| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(name.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            *SHOWN.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar.clone());
            bar
        });
        Counter { slot: reserve(name), started: Instant::now(), bar }
    }

    /// One more item done.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub fn finish(self) {
        let took = self.started.elapsed();
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
            *SHOWN.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
        finish(self.slot, took);
    }
}

/// The phases finished so far, in the order they started, with their durations (details left out).
pub fn timings() -> Vec<(String, Duration)> {
    timings_lock().iter().filter(|t| t.depth == 0).filter_map(|t| Some((t.name.clone(), t.took?))).collect()
}

/// The `--timings` table: one line per phase, its details indented under it, and the total.
pub fn timings_table(total: Duration) -> String {
    let rows = timings_lock().clone();
    let width = rows.iter().map(|t| t.name.len() + 2 * t.depth).max().unwrap_or(0).max("total".len());
    let mut out = String::from("timings:\n");
    for t in &rows {
        let name = format!("{}{}", "  ".repeat(t.depth), t.name);
        match t.took {
            Some(took) => out.push_str(&format!("  {name:<width$}  {:>8.3} s\n", took.as_secs_f64())),
            None if t.depth > 0 => out.push_str(&format!("  {name}\n")),
            None => out.push_str(&format!("  {name:<width$}  {:>10}\n", "unfinished")),
        }
    }
    out.push_str(&format!("  {:<width$}  {:>8.3} s\n", "total", total.as_secs_f64()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn phases_are_timed_in_order() {
        let a = phase("first phase", async { 1 }).await;
        let b = phase_blocking("second phase", || 2);
        assert_eq!((a, b), (1, 2));
        let names: Vec<String> = timings().into_iter().map(|(n, _)| n).collect();
        let first = names.iter().position(|n| n == "first phase").unwrap();
        let second = names.iter().position(|n| n == "second phase").unwrap();
        assert!(first < second, "{names:?}");
        let table = timings_table(Duration::from_millis(1500));
        assert!(
            table.contains("first phase") && table.contains("total") && table.contains("1.500 s"),
            "{table}"
        );
    }
}
