//! `magvar models`: what is built in.

use crate::error::{CliError, CliResult};
use clap::Args;
use magvar_core::BuiltinModel;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  magvar models\n  magvar models --format json")]
pub struct ModelsArgs {
    /// Output format.
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    format: String,
}

pub fn run(args: ModelsArgs) -> CliResult {
    let rows: Vec<serde_json::Value> = BuiltinModel::ALL
        .iter()
        .map(|b| {
            let model = b.model();
            serde_json::json!({
                "id": b.id(),
                "name": model.name(),
                "degree": model.degree(),
                "valid_from": model.valid_from_year(),
                "valid_until": model.valid_until_year(),
                "altitude_range_km": model.altitude_range_km().map(|(lo, hi)| [lo, hi]),
                "source": model.source(),
            })
        })
        .collect();
    if args.format == "json" {
        let text =
            serde_json::to_string_pretty(&rows).map_err(|e| CliError::Failed(e.to_string()))?;
        println!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<10} {:<10} {:>6}  {:<14} {:<14} source",
        "id", "name", "degree", "valid", "altitude"
    );
    for b in BuiltinModel::ALL {
        let model = b.model();
        let altitude = model
            .altitude_range_km()
            .map(|(lo, hi)| format!("{lo}–{hi} km"))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<10} {:<10} {:>6}  {:<14} {:<14} {}",
            b.id(),
            model.name(),
            model.degree(),
            format!(
                "{:.1}–{:.1}",
                model.valid_from_year(),
                model.valid_until_year()
            ),
            altitude,
            model.source()
        );
    }
    println!(
        "{:<10} WMM2025 for dates in 2025.0–2030.0, IGRF-14 before (the default)",
        "auto"
    );
    Ok(ExitCode::SUCCESS)
}
