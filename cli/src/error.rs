//! How a command ends: every command returns `Result<ExitCode, CliError>`.
//!
//! * `Ok(ExitCode::SUCCESS)` — all went well.
//! * `Ok(ExitCode::from(1))` — a batch finished but some rows/files failed
//!   (each already reported on stderr with its location).
//! * `Err(CliError::Usage(..))` — the user's input (an argument, a flag
//!   value, a model name, an unreadable input file) is not acceptable: exit 2.
//! * `Err(CliError::Failed(..))` — the command could not do its job: exit 1.
//! * `Err(CliError::Interrupted(..))` — Ctrl-C: the whole rows in hand were
//!   written and the message says how far the run got: exit 130.

use std::process::ExitCode;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments or unusable input named by the user: exit status 2.
    #[error("{0}")]
    Usage(String),
    /// The work itself failed: exit status 1.
    #[error("{0}")]
    Failed(String),
    /// Stopped by Ctrl-C after writing the whole rows in hand; the message
    /// says how many and where to resume: exit status 130.
    #[error("{0}")]
    Interrupted(String),
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Usage(_) => ExitCode::from(2),
            CliError::Failed(_) => ExitCode::from(1),
            CliError::Interrupted(_) => ExitCode::from(crate::interrupt::EXIT_INTERRUPTED),
        }
    }
}

pub type CliResult = Result<ExitCode, CliError>;
