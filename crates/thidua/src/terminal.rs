//! The password prompt at a terminal, and the terminal put back however it ends.
//!
//! `rpassword` reads a password with the terminal (`/dev/tty`) in a raw mode of its own: echo,
//! line editing and signal keys off (`ECHO`, `ICANON`, `ISIG`), so Ctrl-C reaches it as a byte;
//! it then raises SIGINT itself, before it puts the terminal back. Under SIGINT's default
//! action the process died there, leaving the operator's shell without echo. Here, from the
//! first prompt on, SIGINT and SIGTERM are caught: the terminal's settings saved before the
//! prompt are put back, the command says it was interrupted and ends with the shell's usual
//! status (130, 143 for SIGTERM). Every other way out of the prompt (a password typed, a read
//! that failed) puts the saved settings back too.

use crate::output::errln;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The exit status of a command interrupted by SIGINT (Ctrl-C), as shells give it (128 + 2).
pub const INTERRUPTED: u8 = 130;
/// The exit status of a command ended by SIGTERM (128 + 15).
pub const TERMINATED: u8 = 143;

/// The terminal's settings from before the prompt under way, if one is: what an interruption
/// puts back. Held by the thread that ends the process, so that only one does.
static BEFORE: Mutex<Option<Saved>> = Mutex::new(None);

/// The password typed without echo at the terminal after `prompt`; the terminal is as it was
/// before, however the prompt ends (see the module's documentation).
pub fn prompt_password(prompt: &str) -> anyhow::Result<String> {
    watch_signals()?;
    *before() = Saved::now();
    let typed = rpassword::prompt_password(prompt);
    if matches!(&typed, Err(e) if e.kind() == std::io::ErrorKind::Interrupted) {
        end(INTERRUPTED);
    }
    restore();
    typed.map_err(|e| {
        anyhow::Error::new(e).context("không đọc được mật khẩu / cannot read the password")
    })
}

/// [`BEFORE`], locked (a panic elsewhere does not keep the terminal from being put back).
fn before() -> MutexGuard<'static, Option<Saved>> {
    BEFORE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Puts back the settings saved before the prompt, and forgets them: the prompt is over.
fn restore() {
    if let Some(saved) = before().take() {
        saved.restore();
    }
}

/// Puts the terminal back if a prompt is under way, says the command was interrupted and ends
/// the process with `status`. The lock is never released: a second thread ending the process
/// at the same time (the signal's and the prompt's) waits for the end instead.
fn end(status: u8) -> ! {
    let before = before();
    match before.as_ref() {
        Some(saved) => {
            saved.restore();
            errln!(
                "bị ngắt khi đang nhập mật khẩu: không đổi gì / interrupted at the password \
                 prompt: nothing changed"
            );
        }
        None => errln!("bị ngắt / interrupted"),
    }
    std::process::exit(status.into())
}

/// Starts, once per process, the thread that ends the command on SIGINT or SIGTERM ([`end`]).
/// The handlers are installed before this returns: from then on the signals never kill the
/// process with the terminal left raw.
fn watch_signals() -> std::io::Result<()> {
    static STARTED: Mutex<bool> = Mutex::new(false);
    let mut started = STARTED.lock().unwrap_or_else(PoisonError::into_inner);
    if !*started {
        spawn_watcher()?;
        *started = true;
    }
    Ok(())
}

/// Installs the handlers, then waits for a signal on a thread of its own and [`end`]s there.
fn spawn_watcher() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let stop = {
        let _entered = runtime.enter();
        stop_requested()?
    };
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || end(runtime.block_on(stop)))?;
    Ok(())
}

/// What resolves when the operator asks the command to stop: Ctrl-C (SIGINT) or, on Unix,
/// SIGTERM — what `systemctl stop`, `docker stop` and `kill` send —, with the exit status a
/// shell gives for it ([`INTERRUPTED`], [`TERMINATED`]). The handlers are installed when this
/// is called (inside a runtime), not when the future is first polled. `thidua serve` stops
/// gracefully on it; a password prompt puts the terminal back.
#[cfg(unix)]
pub fn stop_requested() -> std::io::Result<impl std::future::Future<Output = u8>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => INTERRUPTED,
            _ = terminate.recv() => TERMINATED,
        }
    })
}

/// [`stop_requested`] where only Ctrl-C is known.
#[cfg(not(unix))]
pub fn stop_requested() -> std::io::Result<impl std::future::Future<Output = u8>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        INTERRUPTED
    })
}

/// The controlling terminal's settings at one moment, to put back later.
#[cfg(unix)]
struct Saved {
    tty: std::fs::File,
    settings: rustix::termios::Termios,
}

#[cfg(unix)]
impl Saved {
    /// The settings now, or none without a controlling terminal (the prompt then fails on its
    /// own, with nothing to put back).
    fn now() -> Option<Saved> {
        let tty = std::fs::File::open("/dev/tty").ok()?;
        let settings = rustix::termios::tcgetattr(&tty).ok()?;
        Some(Saved { tty, settings })
    }

    /// Puts the settings back, at once (best effort: a terminal gone has nothing to restore).
    fn restore(&self) {
        let now = rustix::termios::OptionalActions::Now;
        let _ = rustix::termios::tcsetattr(&self.tty, now, &self.settings);
    }
}

/// Nothing to save where the terminal is not a Unix one: `rpassword` puts it back itself.
#[cfg(not(unix))]
struct Saved;

#[cfg(not(unix))]
impl Saved {
    /// Nothing.
    fn now() -> Option<Saved> {
        None
    }

    /// Nothing.
    fn restore(&self) {}
}
