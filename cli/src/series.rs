//! `magvar series LAT LON`: the field at one place across the years.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use crate::options::ModelOptions;
use clap::{Args, ValueEnum};
use magvar_core::{
    Evaluator, Position, Quantity, format_degrees_minutes, parse_date, parse_latitude,
    parse_longitude,
};
use std::process::ExitCode;

/// The columns of `--format csv` after date and model: the elements, the
/// rates a chart prints, and the uncertainties (empty for models without
/// an error model); `--format json` has every quantity.
const CSV_QUANTITIES: [Quantity; 16] = [
    Quantity::Declination,
    Quantity::Inclination,
    Quantity::Horizontal,
    Quantity::North,
    Quantity::East,
    Quantity::Down,
    Quantity::Total,
    Quantity::DeclinationRate,
    Quantity::TotalRate,
    Quantity::DeclinationUncertainty,
    Quantity::InclinationUncertainty,
    Quantity::HorizontalUncertainty,
    Quantity::NorthUncertainty,
    Quantity::EastUncertainty,
    Quantity::DownUncertainty,
    Quantity::TotalUncertainty,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeriesFormat {
    Text,
    Csv,
    Json,
}

#[derive(Debug, Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "With --model auto, rows before 2025 come from IGRF-14 and later ones from WMM2025; the model column says which.\n\nExamples:\n  magvar series 51.48N 0.0 --from 1900 --to 2025 --step 5\n  magvar series 36.85N 76.29W --from 2000-01-01 --format csv"
)]
pub struct SeriesArgs {
    /// Latitude, degrees north (same forms as `magvar at`).
    pub latitude: String,
    /// Longitude, degrees east (same forms as `magvar at`).
    pub longitude: String,
    /// First date (default: the start of the model's validity).
    #[arg(long)]
    pub from: Option<String>,
    /// Last date, included (default: today).
    #[arg(long, default_value = "today")]
    pub to: String,
    /// Step in years.
    #[arg(long, default_value = "1")]
    pub step: f64,
    #[command(flatten)]
    pub options: ModelOptions,
    #[arg(long, value_enum, default_value = "text")]
    pub format: SeriesFormat,
}

pub fn run(args: SeriesArgs, config: &Config) -> CliResult {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let latitude = parse_latitude(&args.latitude).map_err(usage)?;
    let longitude = parse_longitude(&args.longitude).map_err(usage)?;
    let altitude_km = args.options.altitude_km(config)?;
    let reference = args.options.height.reference(config);
    let position =
        Position::geodetic_above(latitude, longitude, altitude_km, reference).map_err(usage)?;
    let choice = args.options.choice(config)?;
    let from = match &args.from {
        Some(text) => parse_date(text).map_err(usage)?,
        None => choice.valid_years().0,
    };
    let to = parse_date(&args.to).map_err(usage)?;
    let years = crate::options::date_range(from, to, args.step, 1_000_000)?;
    let policy = args.options.policy();
    let mut reports = Vec::with_capacity(years.len());
    // One evaluator per model (`auto` has two): each keeps the expansion
    // of the date's model segment, so a new date costs no new layout.
    let mut evaluators: Vec<Evaluator> = Vec::new();
    for &year in &years {
        let model = choice.model_for(year);
        let k = match evaluators
            .iter()
            .position(|e| std::ptr::eq(e.model(), model))
        {
            Some(k) => k,
            None => {
                evaluators.push(Evaluator::new(model));
                evaluators.len() - 1
            }
        };
        let evaluator = &mut evaluators[k];
        let report = evaluator
            .field(&position, year, policy)
            .map_err(model_error)?;
        reports.push(report);
    }
    match args.format {
        SeriesFormat::Json => {
            let text = serde_json::to_string_pretty(&reports)
                .map_err(|e| CliError::Failed(e.to_string()))?;
            println!("{text}");
        }
        SeriesFormat::Csv => {
            let keys: Vec<&str> = CSV_QUANTITIES.iter().map(|q| q.key()).collect();
            println!("date,model,{}", keys.join(","));
            for r in &reports {
                let mut line = format!("{:.4},{}", r.date, r.model);
                for quantity in CSV_QUANTITIES {
                    line.push(',');
                    if let Some(value) = r.get(quantity) {
                        // Angles to 1e-6°, intensities to 0.01 nT.
                        let decimals = if quantity.unit().is_angle() { 6 } else { 2 };
                        line.push_str(&format!("{value:.decimals$}"));
                    }
                }
                println!("{line}");
            }
        }
        SeriesFormat::Text => {
            println!(
                "{:>10}  {:<10} {:>10} {:>11} {:>7} {:>9} {:>10} {:>12}",
                "date", "model", "D", "D", "± D", "I", "H nT", "F nT"
            );
            for r in &reports {
                let e = &r.elements;
                // Models without an error model (IGRF) leave ± D empty.
                let sigma = r
                    .get(Quantity::DeclinationUncertainty)
                    .map_or(String::new(), |s| format!("{s:.2}°"));
                println!(
                    "{:>10.4}  {:<10} {:>9.4}° {:>11} {:>7} {:>8.4}° {:>10.1} {:>12.1}",
                    r.date,
                    r.model,
                    e.declination_deg,
                    format_degrees_minutes(e.declination_deg, 'E', 'W'),
                    sigma,
                    e.inclination_deg,
                    e.horizontal_nt,
                    e.total_nt
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
