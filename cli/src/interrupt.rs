//! Ctrl-C (SIGINT) for the long-running commands (`batch`, `grid`,
//! `form extract`, `whois`): the first one asks the command to stop
//! reading, finish and flush the whole rows it has, say how far it got
//! and exit 130; a second one ends the process at once.
//!
//! Without this the process dies mid-row and leaves an output file whose
//! last CSV row is cut in half, with no word said.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status of a run stopped by SIGINT (128 + 2), as shells report.
pub const EXIT_INTERRUPTED: u8 = 130;

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// Installs the handler (once per process) and returns the flag it sets.
/// `what` names the command in the one line said on the first Ctrl-C.
pub fn install(what: &'static str) -> Arc<AtomicBool> {
    Arc::clone(FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let handler_flag = Arc::clone(&flag);
        // Fails only if another handler is already installed in this
        // process; the run then simply cannot be interrupted gracefully.
        let _ = ctrlc::set_handler(move || {
            if handler_flag.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(EXIT_INTERRUPTED));
            }
            eprintln!(
                "\nmagvar: {what}: interrupted; finishing the rows in hand (Ctrl-C again to quit at once)"
            );
        });
        flag
    }))
}

/// Whether Ctrl-C was pressed since [`install`] (false if never installed).
pub fn requested() -> bool {
    FLAG.get().is_some_and(|flag| flag.load(Ordering::SeqCst))
}
