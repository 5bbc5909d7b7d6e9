//! Interruption as an outcome of an apply: SIGINT and SIGTERM become an [`Interrupt`] the apply watches.
//! While a statement runs, the apply sends PostgreSQL a cancel request for it, rolls back the open
//! transaction, records the run and the step as `interrupted`, and ends with exit 130 (SIGINT) or 143
//! (SIGTERM). A second signal ends the process at once.
//!
//! Invariant: once [`Interrupt::on_signals`] has installed its handlers, the process does not die of the
//! first SIGINT or SIGTERM; whoever holds the [`Interrupt`] must look at it.

use tokio::sync::watch;

/// The signal that interrupted an apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// 128 + the signal's number, as shells report a process the signal ended.
    pub fn exit_code(self) -> i32 {
        match self {
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
        }
    }
}

/// Whether (and by which signal) the apply was asked to stop. Clones watch the same source.
#[derive(Debug, Clone)]
pub struct Interrupt(watch::Receiver<Option<Signal>>);

impl Interrupt {
    /// An interrupt fed by the returned sender (for tests and embedding).
    pub fn channel() -> (watch::Sender<Option<Signal>>, Interrupt) {
        let (tx, rx) = watch::channel(None);
        (tx, Interrupt(rx))
    }

    /// Installs handlers for SIGINT and SIGTERM on the current runtime: the first one interrupts, a second
    /// one exits at once with the first one's code.
    pub fn on_signals() -> std::io::Result<Interrupt> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        let (tx, interrupt) = Interrupt::channel();
        tokio::spawn(async move {
            let mut first: Option<Signal> = None;
            loop {
                let got = tokio::select! {
                    _ = int.recv() => Signal::Interrupt,
                    _ = term.recv() => Signal::Terminate,
                };
                match first {
                    None => {
                        first = Some(got);
                        let _ = tx.send(Some(got));
                    }
                    Some(s) => {
                        eprintln!("{} again: exiting without waiting for the cancel", got.name());
                        std::process::exit(s.exit_code());
                    }
                }
            }
        });
        Ok(interrupt)
    }

    /// The signal, once one arrived.
    pub fn get(&self) -> Option<Signal> {
        *self.0.borrow()
    }

    /// Waits for a signal (forever when the sender is gone without one).
    pub async fn wait(&self) -> Signal {
        let mut rx = self.0.clone();
        loop {
            if let Some(s) = *rx.borrow_and_update() {
                return s;
            }
            if rx.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// Waits for `interrupt`'s signal; never returns without one.
pub async fn wait(interrupt: Option<&Interrupt>) -> Signal {
    match interrupt {
        Some(i) => i.wait().await,
        None => std::future::pending().await,
    }
}
