//! The numbers around the variation, end to end: uncertainties, heights
//! above mean sea level, dates with a time of day, bearings in three
//! references, and the magnetic poles.

mod common;

use common::{magvar, stderr, stdout};
use std::process::Output;

fn magvar_with_stdin(args: &[&str], stdin: &str) -> Output {
    common::magvar_with_stdin(args, Some(stdin))
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn at_above_mean_sea_level() {
    let output = magvar(&[
        "at",
        "36.85N",
        "76.29W",
        "--date",
        "2026-11-25",
        "--alt",
        "300m",
        "--msl",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("0.3 km above mean sea level (EGM96"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    let value = json(&magvar(&[
        "at",
        "36.85N",
        "76.29W",
        "--date",
        "2026-11-25",
        "--alt",
        "300m",
        "--msl",
        "--format",
        "json",
    ]));
    assert_eq!(value["height_reference"], "msl");
    assert_eq!(value["altitude_km"], 0.3);
    let geoid = value["geoid_height_m"].as_f64().unwrap();
    assert!((geoid - -38.478424).abs() < 1e-6, "{geoid}");
    // The same field as 0.3 km + the geoid above the ellipsoid.
    let ellipsoidal = json(&magvar(&[
        "at",
        "36.85N",
        "76.29W",
        "--date",
        "2026-11-25",
        "--alt",
        &format!("{}", 0.3 + geoid / 1000.0),
        "--format",
        "json",
    ]));
    assert_eq!(value["declination_deg"], ellipsoidal["declination_deg"]);
    assert_eq!(ellipsoidal["height_reference"], "ellipsoid");
    assert!(ellipsoidal["geoid_height_m"].is_null());
}

#[test]
fn models_without_an_error_model_say_so() {
    let output = magvar(&["at", "36.85N", "76.29W", "--date", "2024-06-01"]);
    let text = stdout(&output);
    assert!(
        text.contains("Uncertainty            none: IGRF-14 publishes no per-point error model"),
        "{text}"
    );
    assert!(!text.contains('±'), "{text}");
    let value = json(&magvar(&[
        "at",
        "0",
        "0",
        "--date",
        "2024-06-01",
        "--format",
        "json",
    ]));
    assert!(value["declination_uncertainty_deg"].is_null());
    assert!(value["total_uncertainty_nt"].is_null());
}

#[test]
fn dates_with_a_time_of_day_and_zone() {
    let at = |date: &str| {
        json(&magvar(&[
            "at", "10", "20", "--date", date, "--format", "json",
        ]))
    };
    let utc = at("2026-11-25T14:30Z");
    assert_eq!(utc["date"], at("2026-11-25T09:30-05:00")["date"]);
    assert_eq!(utc["date"], at("@1795617000")["date"]);
    assert_eq!(
        utc["date"].as_f64().unwrap(),
        2026.0 + (328.0 + 14.5 / 24.0) / 365.0
    );
    let output = magvar(&["at", "10", "20", "--date", "2026-11-25T14:30"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("has no zone: add Z for UTC"),
        "{}",
        stderr(&output)
    );
    // A batch's date column takes them too.
    let output = magvar_with_stdin(
        &["batch", "--format", "jsonl"],
        "lat,lon,date\n10,20,2026-11-25T09:30-05:00\n10,20,2026-11-25T09:30\n",
    );
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["date"], utc["date"]);
    assert!(lines[1]["error"].as_str().unwrap().contains("no zone"));
    assert!(
        stderr(&output).contains("<stdin>:3: date"),
        "{}",
        stderr(&output)
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn bearings_in_three_references() {
    let output = magvar(&[
        "bearing",
        "045T",
        "36.85N",
        "76.29W",
        "--date",
        "2026-11-25",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("045.0°T = 055.8°M = 045.8°G   (VAR 10°48'W, UTM 18N convergence 0°46'W)"),
        "{text}"
    );
    insta::assert_snapshot!("bearing_text", text);
    let value = json(&magvar(&[
        "bearing",
        "312G",
        "51°28'N 0°00'W",
        "--date",
        "2026.5",
        "--format",
        "json",
    ]));
    insta::assert_json_snapshot!("bearing_json", value);
    assert_eq!(value["grid"], "UTM 31N");
    assert_eq!(value["grid_deg"], 312.0);
    // UPS near the pole, and a magnetic bearing.
    let polar = json(&magvar(&[
        "bearing", "56.5M", "86N", "15.6E", "--date", "2026.5", "--format", "json",
    ]));
    assert_eq!(polar["grid"], "UPS north");
    assert!((polar["grid_convergence_deg"].as_f64().unwrap() - 15.6).abs() < 1e-12);
    assert_eq!(polar["magnetic_deg"], 56.5);
    // Without a grid there is no grid bearing.
    let plain = json(&magvar(&[
        "bearing", "10M", "0", "0", "--date", "2026.5", "--grid", "none", "--format", "json",
    ]));
    assert!(plain["grid_deg"].is_null() && plain["grid"].is_null());
    // A bearing that rounds up to 360.0 in the text is printed as 000.0.
    let output = magvar(&["bearing", "359.97T", "0", "0", "--date", "2026.5"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("000.0°T"),
        "{}",
        stdout(&output)
    );
    for (args, message) in [
        (vec!["bearing", "045", "0", "0"], "no reference letter"),
        (
            vec!["bearing", "045T", "86N", "0", "--grid", "utm"],
            "UTM is not defined at latitude 86°",
        ),
        (
            vec!["bearing", "10G", "0", "0", "--grid", "none"],
            "a grid bearing (G) needs a map grid (UTM or UPS) (--grid auto",
        ),
        (vec!["bearing", "361T", "0", "0"], "more than 360°"),
        (vec!["poles", "--step", "2"], "--from"),
        (vec!["grid", "--step", "1e-20"], "more than the 200 million"),
    ] {
        let output = magvar(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_heading_log_gets_the_other_bearings() {
    let output = magvar_with_stdin(
        &["batch", "--date", "2026-11-25"],
        "lat,lon,true_bearing_deg,grid\n36.85,-76.29,45,x\n36.85,-76.29,,y\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    // The input's own `grid` column is renamed: no two columns share a name.
    assert_eq!(header[3], "input_grid");
    let n = header.len();
    assert_eq!(
        header[n - 4..],
        ["magnetic_bearing_deg", "grid_bearing_deg", "grid", "error"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let magnetic: f64 = rows[0][n - 4].parse().unwrap();
    assert_eq!(format!("{magnetic:.1}"), "55.8");
    assert_eq!(&rows[0][n - 2], "UTM 18N");
    assert_eq!(&rows[1][n - 4], "");
}

#[test]
fn poles_for_a_date_and_their_wandering() {
    let output = magvar(&["poles", "--date", "2025.0"]);
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!("poles_text", stdout(&output));
    let one = json(&magvar(&["poles", "--date", "2025.0", "--format", "json"]));
    let keys: Vec<&str> = one
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "model",
            "date",
            "altitude_km",
            "north_dip",
            "south_dip",
            "north_geomagnetic",
            "south_geomagnetic",
            "dipole_moment_am2"
        ]
    );
    assert_eq!(one["model"], "WMM2025");
    let north = one["north_dip"]["latitude_deg"].as_f64().unwrap();
    assert!((85.7..85.8).contains(&north), "{north}");
    // A range with `auto` switches model and says so per row.
    let range = json(&magvar(&[
        "poles", "--from", "2020", "--to", "2028", "--step", "4", "--format", "json",
    ]));
    let models: Vec<&str> = range
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["IGRF-14", "IGRF-14", "WMM2025"]);
    // Tracks for GIS: four features, the north dip pole's cut at ±180°
    // (it crossed the antimeridian around 2017).
    let tracks = json(&magvar(&[
        "poles", "--from", "1990", "--to", "2025", "--step", "1", "--model", "igrf14", "--format",
        "geojson",
    ]));
    let features = tracks["features"].as_array().unwrap();
    assert_eq!(features.len(), 4);
    assert_eq!(features[0]["properties"]["pole"], "north_dip");
    assert_eq!(features[0]["geometry"]["type"], "MultiLineString");
    assert_eq!(features[1]["geometry"]["type"], "LineString");
    // One date in GeoJSON: each pole is a Point, not a one-vertex line.
    let points = json(&magvar(&[
        "poles", "--date", "2025.0", "--format", "geojson",
    ]));
    let features = points["features"].as_array().unwrap();
    assert_eq!(features.len(), 4);
    assert!(features.iter().all(|f| f["geometry"]["type"] == "Point"));
    let output = magvar(&["poles", "--date", "1850"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("outside the model"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn height_reference_mistakes_are_usage_errors() {
    let output = magvar(&["at", "10", "10", "--geocentric", "--alt", "6400", "--msl"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--msl and --geocentric"));
    let output = magvar_with_stdin(&["batch", "--msl"], "2025.5 D K0 45 10\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--msl applies to CSV input"),
        "{}",
        stderr(&output)
    );
    let output = magvar(&["at", "10", "10", "--msl", "--ellipsoid"]);
    assert_eq!(output.status.code(), Some(2));
}
