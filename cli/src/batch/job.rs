//! What both input paths of a batch share: the settings every row needs,
//! the progress counter, and how a run ended.

use magvar_core::{AltitudeUnit, DatePolicy, HeightReference, ModelChoice};
use std::io::IsTerminal;

/// What every row needs besides its own fields.
pub(crate) struct Settings {
    pub choice: ModelChoice,
    pub policy: DatePolicy,
    pub default_year: f64,
    pub default_altitude_km: f64,
    pub altitude_unit: AltitudeUnit,
    /// What CSV rows' altitudes are above (geomag lines give their own).
    pub height_reference: HeightReference,
    /// Only geomag output needs the 1-year-later evaluation.
    pub geomag_output: bool,
}

/// How an input path's run ended.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// Rows written, failed ones included (they are written as errors).
    pub rows: u64,
    /// Rows that failed, each reported on stderr with its line.
    pub failures: u64,
    /// Ctrl-C stopped the reading: the first input line not read.
    pub interrupted_at_line: Option<u64>,
}

/// A row counter on stderr, drawn only when stderr is a terminal.
pub(crate) struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub(crate) fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {human_pos} rows  {per_sec}  {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Progress(Some(bar))
    }

    pub(crate) fn advance(&self, rows: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(rows as u64);
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
