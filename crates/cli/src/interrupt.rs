//! Ctrl-C (SIGINT): the progress bar stays on its line, “已中断” (`--lang en`: “interrupted”)
//! follows on the next, the temporary files of outputs being written are removed, and the
//! process ends with exit code 130 (128 + SIGINT), as shells expect. An output is either
//! renamed into place whole before the interrupt or never: the rename and the clean-up take the
//! same lock.

use indicatif::{ProgressBar, ProgressDrawTarget};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use xxgk_model::Lang;

/// Exit code of an interrupted run.
pub const INTERRUPTED: u8 = 130;

/// What an interrupt must clean up: temporary files of outputs, and progress bars on screen.
#[derive(Default)]
struct Pending {
    temp_files: Vec<PathBuf>,
    bars: Vec<ProgressBar>,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    temp_files: Vec::new(),
    bars: Vec::new(),
});

fn pending() -> MutexGuard<'static, Pending> {
    // A thread that panicked while holding the lock left the lists usable.
    PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Installs the handler. Where none can be installed (another handler is there), Ctrl-C
/// keeps the system's default: the process ends at once, and a temporary file may remain.
pub fn install(lang: Lang) {
    let _ = ctrlc::set_handler(move || on_interrupt(lang));
}

fn on_interrupt(lang: Lang) {
    // Held until the process ends: no output is renamed into place after this point.
    let mut p = pending();
    // Left on screen as drawn last, and never drawn again (a redraw would follow the “^C”
    // that the terminal echoes, and show the bar twice).
    for bar in p.bars.drain(..).filter(|b| !b.is_finished()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    for f in p.temp_files.drain(..) {
        let _ = std::fs::remove_file(f);
    }
    let mut err = std::io::stderr().lock();
    // A bar on a terminal leaves the cursor on its own line: the message goes on the next.
    let newline = if std::io::stderr().is_terminal() { "\n" } else { "" };
    let word = match lang {
        Lang::Zh => "已中断",
        Lang::En => "interrupted",
    };
    let _ = writeln!(err, "{newline}{word}");
    let _ = err.flush();
    std::process::exit(i32::from(INTERRUPTED));
}

/// A temporary file that an interrupt removes, for as long as this guard lives.
pub struct TempFile(PathBuf);

impl TempFile {
    /// Registers `path`.
    pub fn new(path: &Path) -> Self {
        pending().temp_files.push(path.to_path_buf());
        TempFile(path.to_path_buf())
    }

    /// Runs `rename` (the temporary file onto the output) so that an interrupt comes wholly
    /// before it (and the file is removed) or wholly after it.
    pub fn persist<T>(&self, rename: impl FnOnce() -> T) -> T {
        let _lock = pending();
        rename()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        pending().temp_files.retain(|p| *p != self.0);
    }
}

/// Shows `bar` and, on an interrupt, leaves it on screen as it was, unless it has finished.
pub fn track(bar: &ProgressBar) {
    if !bar.is_hidden() {
        let mut p = pending();
        p.bars.retain(|b| !b.is_finished());
        p.bars.push(bar.clone());
    }
}
