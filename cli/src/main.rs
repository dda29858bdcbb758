//! `magvar`: the compass variation anywhere, any date — and the project's
//! other tools (PDF forms, whois log analysis). A thin front-end: parsing
//! arguments and printing; the work is done by the library crates.

#![forbid(unsafe_code)]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod at;
mod batch;
mod bearing;
mod config;
mod contours;
mod error;
mod form;
mod form_fill;
mod grid;
mod interrupt;
mod models;
mod options;
mod poles;
mod series;
mod whois;

use clap::{CommandFactory, Parser, Subcommand};
use error::{CliError, CliResult};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "magvar",
    version,
    about = "Magnetic variation (declination) and the whole geomagnetic field, anywhere, any date",
    long_about = "Magnetic variation (declination) and the whole geomagnetic field, anywhere, any date.\n\nBuilt-in models: IGRF-14 (1900–2030), WMM2025 and WMMHR2025 (2025–2030); any NOAA .COF, IAGA igrfNNcoeffs.txt or .shc file loads with --model PATH.",
    after_help = "Examples:\n  magvar at 36.85N 76.29W\n  magvar at 36°51'N 76°17'W --date 2026-11-25 --format json\n  magvar batch track.csv -o track-with-variation.csv\n  magvar models",
    allow_negative_numbers = true
)]
struct Cli {
    /// Settings file (default: ~/.config/magvar/config.toml); it may set
    /// `model`, `altitude_unit` (m|km|ft), `format` and `height_reference`
    /// (ellipsoid|msl).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The field at one position and date, led by the chart's variation line.
    At(at::AtArgs),
    /// The field for every row of a CSV or geomag 7.0 file, in input order.
    Batch(batch::BatchArgs),
    /// One element over a latitude/longitude grid (CSV, GeoJSON or Esri ASCII grid).
    Grid(grid::GridArgs),
    /// Isogonic (or isoclinic, isodynamic) lines as GeoJSON, the agonic line marked.
    Contours(contours::ContoursArgs),
    /// The field at one place across the years, saying which model gave each row.
    Series(series::SeriesArgs),
    /// A bearing as true, magnetic and grid (UTM/UPS), with the variation and convergence.
    Bearing(bearing::BearingArgs),
    /// The north and south dip and geomagnetic poles at a date, or their wandering over years.
    Poles(poles::PolesArgs),
    /// List the built-in models with their validity, degree and source.
    Models(models::ModelsArgs),
    /// Filled-in PDF forms as data: every field, positioned page text, form recognition.
    #[command(subcommand)]
    Form(form::FormCommand),
    /// Which organisations a web server's clients belong to: whois lookups of
    /// the client addresses in access logs, cached, reported per organisation.
    Whois(whois::WhoisArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  magvar completions bash > ~/.local/share/bash-completion/completions/magvar\n  magvar completions zsh > ~/.zfunc/_magvar\n  magvar completions fish > ~/.config/fish/completions/magvar.fish"
    )]
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    let result = run(cli);
    match result {
        Ok(code) => code,
        Err(error) => {
            match &error {
                CliError::Interrupted(message) => eprintln!("magvar: interrupted: {message}"),
                _ => eprintln!("magvar: error: {error}"),
            }
            error.exit_code()
        }
    }
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`magvar grid | head`)
/// would fail every later write, and `println!` panics on it. A command-line
/// tool should end quietly instead, as Unix tools do: the `sigpipe` crate
/// restores the default disposition (its one `unsafe` call, so this crate
/// has none).
fn restore_sigpipe() {
    sigpipe::reset();
}

fn run(cli: Cli) -> CliResult {
    let config = config::Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::At(args) => at::run(args, &config),
        Command::Batch(args) => batch::run(args, &config),
        Command::Grid(args) => grid::run(args, &config),
        Command::Contours(args) => contours::run(args, &config),
        Command::Series(args) => series::run(args, &config),
        Command::Bearing(args) => bearing::run(args, &config),
        Command::Poles(args) => poles::run(args, &config),
        Command::Models(args) => models::run(args),
        Command::Form(cmd) => form::run(cmd),
        Command::Whois(args) => whois::run(args),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "magvar", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A model error from the user's input (name, file, date) is a usage error.
fn model_error(error: magvar_core::ModelError) -> CliError {
    let hint = match error {
        magvar_core::ModelError::DateOutOfRange { .. } => " (pass --extrapolate to compute anyway)",
        _ => "",
    };
    CliError::Usage(format!("{error}{hint}"))
}
