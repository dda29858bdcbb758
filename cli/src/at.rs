//! `magvar at LAT LON`: the field at one point.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use crate::options::ModelOptions;
use clap::Args;
use magvar_core::elements::GRID_VARIATION_MIN_LATITUDE_DEG;
use magvar_core::{
    FieldReport, Position, Quantity, Unit, chart_line, format_degrees_minutes,
    format_plus_minus_degrees_minutes, parse_date, parse_latitude, parse_longitude,
};
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "Positions: 36.85 or -36.85, 36.85N, 36°51'30\"N, 36d51m30sN, 36:51:30N, \"36 51.5 N\"; longitudes 0–360 too.\n\nExamples:\n  magvar at 36.85N 76.29W\n  magvar at -33.87 151.21 --date 2027-03-01 --alt 35000ft\n  magvar at 78.2 15.6 --model igrf14 --date 1965.5 --format json\n  magvar at 0 0 --geocentric --alt 6871.2 --model ./WMM2030.COF"
)]
pub struct AtArgs {
    /// Latitude, degrees north (36.85, 36.85N, 36°51'30"N, …).
    pub latitude: String,
    /// Longitude, degrees east (-76.29, 76.29W, 283.71, 76°17'24"W, …).
    pub longitude: String,
    /// Date: decimal year (2026.9), ISO date (2026-11-25), date-time with zone (2026-11-25T14:30Z, 2026-11-25T09:30-05:00), Unix time (@1795617000) or today.
    #[arg(long, default_value = "today")]
    pub date: String,
    #[command(flatten)]
    pub options: ModelOptions,
    /// LAT is geocentric and ALT the radius; components stay geocentric.
    #[arg(long)]
    pub geocentric: bool,
    /// Output format.
    #[arg(long, value_parser = ["text", "json"])]
    pub format: Option<String>,
}

pub fn run(args: AtArgs, config: &Config) -> CliResult {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let latitude = parse_latitude(&args.latitude).map_err(usage)?;
    let longitude = parse_longitude(&args.longitude).map_err(usage)?;
    let year = parse_date(&args.date).map_err(usage)?;
    let altitude_km = args.options.altitude_km(config)?;
    let reference = args.options.height.reference(config);
    let position = if args.geocentric {
        if args.options.height.msl {
            return Err(CliError::Usage(
                "--msl and --geocentric: a geocentric altitude is a radius, not a height above sea level".into(),
            ));
        }
        Position::geocentric(latitude, longitude, altitude_km)
    } else {
        Position::geodetic_above(latitude, longitude, altitude_km, reference)
    }
    .map_err(usage)?;
    let choice = args.options.choice(config)?;
    let policy = args.options.policy();
    let report = choice
        .model_for(year)
        .field(&position, year, policy)
        .map_err(model_error)?;
    if crate::options::text_or_json(args.format.as_deref(), config) == "json" {
        let json =
            serde_json::to_string_pretty(&report).map_err(|e| CliError::Failed(e.to_string()))?;
        println!("{json}");
    } else {
        print!("{}", render_text(&report));
    }
    Ok(ExitCode::SUCCESS)
}

/// The readable summary: the chart line first, then every element.
pub fn render_text(report: &FieldReport) -> String {
    let e = &report.elements;
    let mut out = String::new();
    let _ = writeln!(out, "{}", chart_line(e, report.date));
    let _ = writeln!(out);
    let altitude = match (report.coordinates, report.geoid_height_m) {
        (magvar_core::Coordinates::Geocentric, _) => {
            format!("{} km from Earth's centre (geocentric)", report.altitude_km)
        }
        (_, Some(geoid)) => format!(
            "{} km above mean sea level (EGM96; the geoid is {:.2} m {} the WGS-84 ellipsoid here)",
            report.altitude_km,
            geoid.abs(),
            if geoid < 0.0 { "below" } else { "above" }
        ),
        (_, None) => format!("{} km above the WGS-84 ellipsoid", report.altitude_km),
    };
    let _ = writeln!(
        out,
        "Position     {}  {}  ({:.6}, {:.6}), {altitude}",
        format_degrees_minutes(report.latitude_deg, 'N', 'S'),
        format_degrees_minutes(report.longitude_deg, 'E', 'W'),
        report.latitude_deg,
        report.longitude_deg
    );
    let _ = writeln!(out, "Date         {:.4}", report.date);
    let _ = writeln!(out, "Model        {}", report.model);
    let _ = writeln!(out);
    let uncertain = report.uncertainty.is_some();
    let _ = writeln!(
        out,
        "{:<22} {:>14}{}   {:>16}",
        "Element",
        "Value",
        if uncertain {
            format!("  {:<11}", "± 1σ")
        } else {
            String::new()
        },
        "Annual change"
    );
    for quantity in Quantity::FIELD.into_iter().filter(|q| q.is_value()) {
        let Some(value) = report.get(quantity) else {
            // Only grid variation is ever undefined: equatorward of 55°.
            let _ = writeln!(
                out,
                "{:<22} {:>14}",
                quantity.label(),
                format!("(|lat| < {GRID_VARIATION_MIN_LATITUDE_DEG}°)")
            );
            continue;
        };
        let rate = quantity
            .rate()
            .and_then(|rate| report.get(rate).map(|v| with_unit(v, rate.unit())))
            .unwrap_or_default();
        let plus_minus = match quantity.uncertainty().and_then(|u| report.get(u)) {
            Some(sigma) => format!("  ± {:<9}", uncertainty_text(sigma, quantity.unit())),
            None if uncertain => " ".repeat(13),
            None => String::new(),
        };
        let _ = write!(
            out,
            "{:<22} {:>14}{plus_minus}   {:>16}",
            quantity.label(),
            with_unit(value, quantity.unit()),
            rate
        );
        if quantity == Quantity::Declination {
            let _ = write!(out, "   ({}", format_degrees_minutes(value, 'E', 'W'));
            if let Some(sigma) = report.get(Quantity::DeclinationUncertainty) {
                let _ = write!(out, " {}", format_plus_minus_degrees_minutes(sigma));
            }
            let _ = write!(out, ")");
        }
        let _ = writeln!(out);
    }
    if !uncertain {
        let _ = writeln!(
            out,
            "Uncertainty            none: {} publishes no per-point error model (the WMMs do)",
            report.model
        );
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out);
        for warning in &report.warnings {
            let _ = writeln!(out, "warning: {warning}");
        }
    }
    out
}

/// A value as the text table prints it: angles to 0.0001°, intensities to
/// 0.1 nT, rates signed.
fn with_unit(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Degrees => format!("{value:.4}°"),
        Unit::DegreesPerYear => format!("{value:+.4}°/yr"),
        Unit::Nanotesla => format!("{value:.1} nT"),
        Unit::NanoteslaPerYear => format!("{value:+.1} nT/yr"),
    }
}

/// A one-sigma uncertainty as the text table prints it: degrees to
/// 0.01°, intensities to the nanotesla (the error models' own precision).
fn uncertainty_text(sigma: f64, unit: Unit) -> String {
    match unit {
        Unit::Degrees | Unit::DegreesPerYear => format!("{sigma:.2}°"),
        Unit::Nanotesla | Unit::NanoteslaPerYear => format!("{sigma:.0} nT"),
    }
}
