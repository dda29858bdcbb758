//! `magvar whois LOG…`: which organisations a web server's clients belong
//! to. Front-end only: arguments, Ctrl-C, the progress bar and output; the
//! analysis is `magvar_pipeline::whois`.

use crate::error::{CliError, CliResult};
use indicatif::{ProgressBar, ProgressStyle};
use magvar_pipeline::whois::client::ClientConfig;
use magvar_pipeline::whois::parse::Server;
use magvar_pipeline::whois::report::Report;
use magvar_pipeline::whois::{DEFAULT_BOOTSTRAP, Format, WhoisConfig, WhoisError, analyse};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Malformed lines listed one by one on stderr; the rest are counted.
const MALFORMED_SHOWN: usize = 20;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  magvar whois /var/log/nginx/access.log\n  magvar whois access.log access.log.1.gz --format json -o clients.json\n  magvar whois access.log --no-cache --server whois.ripe.net\n\nAnswers are cached (default: the user's cache directory, magvar/whois.redb), so a second run asks nothing for networks already answered. Ctrl-C stops the lookups; what was answered is still reported, and a re-run resumes from the cache."
)]
pub struct WhoisArgs {
    /// Access logs in Apache/nginx Common or Combined format (gzip too).
    #[arg(required = true, value_name = "LOG")]
    logs: Vec<PathBuf>,
    /// Concurrent lookups.
    #[arg(long, value_name = "N", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    workers: u32,
    /// Bootstrap whois server, where lookups start.
    #[arg(long, value_name = "HOST[:PORT]", default_value = DEFAULT_BOOTSTRAP)]
    server: String,
    /// Answer cache file (default: in the user's cache directory).
    #[arg(long, value_name = "FILE", conflicts_with = "no_cache")]
    cache: Option<PathBuf>,
    /// Neither read nor write the answer cache.
    #[arg(long)]
    no_cache: bool,
    /// Days a cached answer is trusted.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    cache_days: u64,
    /// Report format (csv: the per-organisation table).
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Write the report here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Seconds allowed for connecting and for each read.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    timeout: f64,
    /// Retries after a reset, refusal or timeout.
    #[arg(long, value_name = "N", default_value_t = 2)]
    retries: u32,
    /// First retry delay in milliseconds (doubled for each next retry).
    #[arg(long, value_name = "MS", default_value_t = 250)]
    backoff_ms: u64,
    /// Queries in flight to one server at most.
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..))]
    per_server: u32,
    /// Milliseconds between two queries to the same server.
    #[arg(long, value_name = "MS", default_value_t = 50)]
    delay_ms: u64,
}

/// `<user cache dir>/magvar/whois.redb`, if the platform has a cache dir.
fn default_cache_path() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("magvar").join("whois.redb"))
}

fn config_from(args: &WhoisArgs) -> Result<WhoisConfig, CliError> {
    let bootstrap = Server::parse(&args.server).ok_or_else(|| {
        CliError::Usage(format!(
            "--server {:?}: expected HOST or HOST:PORT",
            args.server
        ))
    })?;
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|timeout| !timeout.is_zero())
        .ok_or_else(|| {
            CliError::Usage(format!(
                // Debug: 1e300 stays short, where Display writes every digit.
                "--timeout {:?}: expected a positive number of seconds",
                args.timeout
            ))
        })?;
    let cache = match (&args.cache, args.no_cache) {
        (_, true) => None,
        (Some(path), false) => Some(path.clone()),
        (None, false) => default_cache_path(),
    };
    Ok(WhoisConfig {
        workers: args.workers as usize,
        bootstrap,
        client: ClientConfig {
            timeout,
            retries: args.retries,
            backoff: Duration::from_millis(args.backoff_ms),
            per_server: args.per_server as usize,
            politeness: Duration::from_millis(args.delay_ms),
            ..ClientConfig::default()
        },
        cache,
        cache_ttl: Duration::from_secs(args.cache_days.saturating_mul(86_400)),
        // A cache the user named must work; the default one is a nicety.
        cache_required: args.cache.is_some(),
        ..WhoisConfig::default()
    })
}

pub fn run(args: WhoisArgs) -> CliResult {
    let config = config_from(&args)?;
    // Ctrl-C: the lookups in flight finish, the rest are reported as not
    // looked up, and the partial report is still written.
    let stop = crate::interrupt::install("whois");
    let show_progress = std::io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let result = analyse(&args.logs, &config, stop, |done, total| {
        if !show_progress {
            return;
        }
        let bar = bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(total);
            if let Ok(style) =
                ProgressStyle::with_template("whois {bar:40} {pos}/{len} addresses {elapsed}")
            {
                bar.set_style(style);
            }
            bar
        });
        bar.set_position(done);
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = result.map_err(|error| match error {
        WhoisError::Log(_) => CliError::Usage(error.to_string()),
        WhoisError::Cache(_) => CliError::Usage(error.to_string()),
        _ => CliError::Failed(error.to_string()),
    })?;
    write_report(&report, &args)?;
    if show_progress {
        summarise_stages(&report);
    }
    let status = explain(&report);
    if report.interrupted {
        return Err(CliError::Interrupted(how_far(&report, &args, &config)));
    }
    Ok(status)
}

/// What an interrupted run did, where its report is, and what a re-run
/// will ask.
fn how_far(report: &Report, args: &WhoisArgs, config: &WhoisConfig) -> String {
    let read = match &report.stopped_reading {
        Some(at) => format!(
            "read {} log lines, stopping in {} after line {}",
            report.log_lines, at.file, at.line
        ),
        None => format!("read all {} log lines", report.log_lines),
    };
    let total = report.addresses.len();
    let not_looked_up = report.addresses.iter().filter(|a| a.interrupted()).count();
    let written = match &args.output {
        Some(path) => format!("written to {}", path.display()),
        None => "written to standard output".to_string(),
    };
    let rerun = match &config.cache {
        Some(path) if report.cache_used => format!(
            "a re-run resumes from the cache {}: networks already answered are not asked again",
            path.display()
        ),
        Some(_) => {
            "the cache could not be used, so a re-run asks about every address again".to_string()
        }
        None => "without a cache (--no-cache) a re-run asks about every address again".to_string(),
    };
    format!(
        "whois: {read}; looked up {} of {total} addresses ({not_looked_up} reported as not looked up); the partial report ({} organisations, {total} addresses) was {written}; {rerun}",
        total - not_looked_up,
        report.organisations.len(),
    )
}

fn write_report(report: &Report, args: &WhoisArgs) -> Result<(), CliError> {
    let format = match args.format {
        OutputFormat::Text => Format::Text,
        OutputFormat::Csv => Format::Csv,
        OutputFormat::Json => Format::Json,
    };
    match &args.output {
        Some(path) => {
            let failed = |e: std::io::Error| {
                CliError::Failed(format!("cannot write {}: {e}", path.display()))
            };
            let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(failed)?);
            report.write(format, &mut file).map_err(failed)?;
            file.flush().map_err(failed)
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            report
                .write(format, &mut stdout)
                .and_then(|()| stdout.flush())
                .map_err(|e| CliError::Failed(format!("cannot write the report: {e}")))
        }
    }
}

/// The end-of-run summary of the pipeline's stages, for a person watching.
fn summarise_stages(report: &Report) {
    for stage in report.stages.iter().filter(|s| s.name != "source") {
        eprintln!(
            "magvar: whois: stage {}: {} workers, {} addresses in, {} out, {} failed, busy {:.1} s; {} whois queries sent",
            stage.name,
            stage.workers,
            stage.items_in,
            stage.items_out,
            stage.errors,
            stage.busy.as_secs_f64(),
            report.lookups
        );
    }
}

/// Tells on stderr what did not go to plan; exit status 1 if any lookup
/// failed (an interrupted run ends with 130 instead, see [`how_far`]).
fn explain(report: &Report) -> ExitCode {
    for line in report.malformed.iter().take(MALFORMED_SHOWN) {
        eprintln!(
            "magvar: whois: {}:{}: malformed line skipped: {}",
            line.file, line.line, line.reason
        );
    }
    if report.malformed.len() > MALFORMED_SHOWN {
        eprintln!(
            "magvar: whois: … and {} more malformed lines",
            report.malformed.len() - MALFORMED_SHOWN
        );
    }
    for error in &report.cache_errors {
        eprintln!("magvar: whois: warning: {error}");
    }
    // Addresses skipped by an interruption are not failures: the closing
    // message counts them instead of listing each.
    let failed: Vec<_> = report
        .addresses
        .iter()
        .filter(|a| !a.interrupted())
        .filter_map(|a| a.error.as_ref().map(|e| (&a.ip, e)))
        .collect();
    for (ip, error) in &failed {
        eprintln!("magvar: whois: {ip}: {error}");
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
