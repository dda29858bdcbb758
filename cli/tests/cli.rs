//! The `magvar` binary end to end: outputs as snapshots, every bad input
//! with its message and exit status 2, batch behaviour on good and bad rows.

mod common;

use common::{magvar, magvar_with_stdin, stderr, stdout};
use std::process::{Command, Stdio};

fn data(path: &str) -> String {
    format!("{}/../data/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn at_text() {
    let output = magvar(&["at", "36.85N", "76.29W", "--date", "2026-11-25"]);
    assert!(output.status.success());
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn at_json_has_exactly_the_documented_keys() {
    let output = magvar(&[
        "at",
        "36°51'N",
        "76°17'24\"W",
        "--date",
        "2026.9",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = value
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
            "latitude_deg",
            "longitude_deg",
            "altitude_km",
            "height_reference",
            "geoid_height_m",
            "coordinates",
            "declination_deg",
            "inclination_deg",
            "horizontal_nt",
            "north_nt",
            "east_nt",
            "down_nt",
            "total_nt",
            "grid_variation_deg",
            "declination_deg_per_year",
            "inclination_deg_per_year",
            "horizontal_nt_per_year",
            "north_nt_per_year",
            "east_nt_per_year",
            "down_nt_per_year",
            "total_nt_per_year",
            "declination_uncertainty_deg",
            "inclination_uncertainty_deg",
            "north_uncertainty_nt",
            "east_uncertainty_nt",
            "down_uncertainty_nt",
            "horizontal_uncertainty_nt",
            "total_uncertainty_nt",
            "warnings"
        ]
    );
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn at_polar_with_grid_variation_and_warnings_json() {
    let output = magvar(&[
        "at", "85.9", "139", "--date", "2025.0", "--alt", "1600km", "--format", "json",
    ]);
    assert!(output.status.success());
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn at_matches_the_wmm2025_report_through_the_cli() {
    // Row 3 of the WMM2025 report table: 2025.0, 0 km, 80°S 240°E.
    let output = magvar(&[
        "at", "-80", "240", "--date", "2025.0", "--model", "wmm2025", "--format", "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let get = |k: &str| value[k].as_f64().unwrap();
    assert!((get("declination_deg") - 68.78).abs() <= 0.005);
    assert!((get("grid_variation_deg") - -51.22).abs() <= 0.005);
    assert!((get("total_nt") - 54698.2).abs() <= 0.05);
}

#[test]
fn help_texts() {
    for (name, args) in [
        ("help_root", vec!["--help"]),
        ("help_at", vec!["at", "--help"]),
        ("help_batch", vec!["batch", "--help"]),
    ] {
        let output = magvar(&args);
        assert!(output.status.success());
        insta::assert_snapshot!(name, stdout(&output));
    }
}

#[test]
fn bad_input_is_a_usage_error_with_a_message() {
    let missing_model = data("no-such-model.COF");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("bad_latitude", vec!["at", "95N", "10"]),
        ("bad_longitude", vec!["at", "10", "10Q"]),
        ("bad_date", vec!["at", "10", "10", "--date", "2026-02-30"]),
        (
            "date_outside_model",
            vec!["at", "10", "10", "--date", "2031.5"],
        ),
        (
            "bad_altitude",
            vec!["at", "10", "10", "--alt", "12 parsecs"],
        ),
        (
            "bad_model_name",
            vec!["at", "10", "10", "--model", "wmm2099"],
        ),
        (
            "unreadable_model_file",
            vec!["at", "10", "10", "--model", &missing_model],
        ),
    ];
    for (name, args) in cases {
        let output = magvar(&args);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        assert!(output.stdout.is_empty());
        let message = stderr(&output).replace(&missing_model, "data/no-such-model.COF");
        insta::assert_snapshot!(name, message);
    }
}

#[test]
fn a_model_file_that_is_not_one_is_a_usage_error() {
    let output = magvar(&["at", "10", "10", "--model", &data("SOURCES.md")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a coefficient file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn extrapolate_turns_the_date_error_into_a_warning() {
    let output = magvar(&["at", "10", "10", "--date", "2031.5", "--extrapolate"]);
    assert!(output.status.success());
    assert!(
        stdout(&output)
            .contains("warning: date 2031.5000 extrapolated: WMM2025 is valid 2025.0–2030.0")
    );
}

/// geomag 7.0's sample files through `magvar batch`: every field equal but
/// the four intensities that geomag's truncated degree constant moves
/// across a rounding edge (see core/tests/geomag_sample.rs, which proves the
/// cause).
#[test]
fn batch_reproduces_geomag_sample_output() {
    for (model, expected, edges) in [
        (
            "reference/igrf12coeffs.txt",
            "reference/sample_out_IGRF12.txt",
            [(2, 12), (14, 9)],
        ),
        (
            "reference/WMM2015.COF",
            "reference/sample_out_WMM2015.txt",
            [(4, 10), (5, 9)],
        ),
    ] {
        let output = magvar(&[
            "batch",
            &data("reference/sample_coords.txt"),
            "--model",
            &data(model),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let expected = std::fs::read_to_string(data(expected)).unwrap();
        let ours = stdout(&output);
        let (ours, theirs): (Vec<&str>, Vec<&str>) = (
            ours.lines().collect(),
            expected.lines().filter(|l| !l.is_empty()).collect(),
        );
        assert_eq!(ours.len(), theirs.len());
        for (line, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            for (column, (x, y)) in a.split_whitespace().zip(b.split_whitespace()).enumerate() {
                if edges.contains(&(line, column)) {
                    let diff = (x.parse::<f64>().unwrap() - y.parse::<f64>().unwrap()).abs();
                    assert!(
                        (diff - 0.1).abs() < 1e-6,
                        "line {line} column {column}: {x} vs {y}"
                    );
                } else {
                    assert_eq!(x, y, "line {line} column {column}:\n{a}\n{b}");
                }
            }
        }
    }
}

#[test]
fn batch_csv_keeps_order_reports_bad_rows_and_exits_1() {
    let input = "name,lat,lon,alt,date\nnorfolk,36.85N,76.29W,0,2026.5\nbroken,north,1,0,2026\nsydney,-33.87,151.21,300m,2027-01-01\nlate,0,0,0,2035\n";
    let output = magvar_with_stdin(&["batch", "-"], Some(input));
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert!(errors.contains("<stdin>:3: latitude \"north\""), "{errors}");
    assert!(
        errors.contains("<stdin>:5: date 2035.0000 is outside the model"),
        "{errors}"
    );
    insta::assert_snapshot!(rounded_numbers(&stdout(&output)));
}

/// Bad rows are reported on their physical line: blank lines, comments and
/// `\r\n` line ends counted, with and without quoted fields in the file.
#[test]
fn batch_csv_reports_physical_lines() {
    for quoted in ["\"ok\"", "ok"] {
        let input = format!(
            "name,lat,lon\r\n\r\n# a comment\r\n{quoted},1,2\r\n\r\nbad,north,1\r\nok,3,4\r\nbad,5,east\r\n"
        );
        let output = magvar_with_stdin(&["batch", "-"], Some(&input));
        assert_eq!(output.status.code(), Some(1));
        let errors = stderr(&output);
        assert!(errors.contains("<stdin>:6: latitude"), "{quoted}: {errors}");
        assert!(
            errors.contains("<stdin>:8: longitude"),
            "{quoted}: {errors}"
        );
        assert_eq!(stdout(&output).lines().count(), 5, "{quoted}");
    }
}

/// Old Mac line ends (a lone `\r`): rows and their line numbers as with
/// `\n`.
#[test]
fn batch_csv_reads_old_mac_line_ends() {
    let input = "name,lat,lon\rok,1,2\r\rbad,north,1\rok,3,4\r";
    let output = magvar_with_stdin(&["batch", "-"], Some(input));
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert!(errors.contains("<stdin>:4: latitude"), "{errors}");
    assert_eq!(stdout(&output).lines().count(), 4);
}

/// A byte-order mark, a comment before the header and a comment ending
/// the file without a newline: one data row, no error.
#[test]
fn batch_csv_reads_a_bom_and_comments() {
    let input = "\u{feff}# exported by a GPS\nlat,lon\n36.85,-76.29\n# end";
    let output = magvar_with_stdin(&["batch", "-"], Some(input));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 2);
}

/// Input numbers are echoed only where they are the output value's own
/// shortest text: a folded longitude or a trailing zero is formatted anew.
#[test]
fn batch_csv_prints_the_values_it_used() {
    let input = "lat,lon,alt,date\n10.50,190.25,1.5,2026.5\n-0.5,179.5,0.25,2026.25\n";
    let output = magvar_with_stdin(&["batch", "-"], Some(input));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // Input columns, model, then date, latitude, longitude, altitude.
    assert_eq!(rows[0][5..9], ["2026.5", "10.5", "-169.75", "1.5"]);
    assert_eq!(rows[1][5..9], ["2026.25", "-0.5", "179.5", "0.25"]);
}

/// CSV text with every number of more than nine decimals rounded to nine:
/// full round-trip output differs in its last digit with the instruction
/// set (FMA or not), which is not what these snapshots are about.
fn rounded_numbers(text: &str) -> String {
    let round = |field: &str| match field.parse::<f64>() {
        Ok(value) if field.split('.').nth(1).is_some_and(|d| d.len() > 9) => format!("{value:.9}"),
        _ => field.to_string(),
    };
    text.lines()
        .map(|line| line.split(',').map(round).collect::<Vec<_>>().join(",") + "\n")
        .collect()
}

/// Many chunks through the reader → workers → writer pipeline: output in
/// input order, one record per row, every bad row reported with its line,
/// in order, and several dates within a chunk.
#[test]
fn batch_csv_over_many_chunks_keeps_order_and_every_bad_row() {
    let rows = 30_000;
    let mut input = String::from("id,lat,lon,date\n");
    for i in 0..rows {
        let lat = if i % 7_001 == 3 {
            "bad".to_string()
        } else {
            format!("{}", (i % 170) as f64 - 85.0)
        };
        let date = if i % 2 == 0 { "2026.0" } else { "2027-06-01" };
        input.push_str(&format!("r{i},{lat},{},{date}\n", (i % 360) as f64 - 180.0));
    }
    let output = magvar_with_stdin(&["batch", "-"], Some(&input));
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rows + 1, "one record per row plus the header");
    for (i, line) in lines[1..].iter().enumerate() {
        assert!(
            line.starts_with(&format!("r{i},")),
            "row {i} out of order: {line}"
        );
    }
    let bad: Vec<usize> = (0..rows).filter(|i| i % 7_001 == 3).collect();
    let errors = stderr(&output);
    let reported: Vec<&str> = errors
        .lines()
        .filter(|l| l.starts_with("<stdin>:"))
        .collect();
    assert_eq!(reported.len(), bad.len(), "{errors}");
    for (line, i) in reported.iter().zip(&bad) {
        // Data row i is on line i + 2 (the header is line 1).
        assert!(
            line.starts_with(&format!("<stdin>:{}: latitude", i + 2)),
            "{line}"
        );
    }
    assert!(
        errors.contains(&format!("{} row(s) of <stdin> failed", bad.len())),
        "{errors}"
    );
}

/// A track: every row on its own date, across the `auto` switch from
/// IGRF-14 to WMM2025 and IGRF's five-year epochs. Each row equals
/// `magvar at` for its position and date; a date outside the models fails
/// that row alone, on its line.
#[test]
fn batch_csv_track_rows_each_on_their_own_date_equal_magvar_at() {
    let rows: Vec<(f64, f64, f64)> = (0..40)
        .map(|i| {
            let i = i as f64;
            (
                -70.0 + 3.5 * i,
                -170.0 + 8.3 * i,
                2018.0 + 0.3 * i + 0.0137 * (i * 1.7).sin(),
            )
        })
        .collect();
    let mut input = String::from("lat,lon,date\n");
    for (lat, lon, date) in &rows {
        input.push_str(&format!("{lat},{lon},{date}\n"));
    }
    input.push_str("10,20,2031.5\n");
    let output = magvar_with_stdin(&["batch", "-", "--format", "jsonl"], Some(&input));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("<stdin>:{}: date 2031.5", rows.len() + 2)),
        "{}",
        stderr(&output)
    );
    let records: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), rows.len() + 1);
    let mut models = std::collections::BTreeSet::new();
    for ((lat, lon, date), record) in rows.iter().zip(&records) {
        let at = magvar(&[
            "at",
            &lat.to_string(),
            &lon.to_string(),
            "--date",
            &date.to_string(),
            "--format",
            "json",
        ]);
        let single: serde_json::Value = serde_json::from_str(&stdout(&at)).unwrap();
        assert_eq!(record["model"], single["model"], "{date}");
        models.insert(single["model"].as_str().unwrap().to_string());
        for key in [
            "declination_deg",
            "inclination_deg",
            "total_nt",
            "north_nt",
            "declination_deg_per_year",
            "down_nt_per_year",
        ] {
            let (got, expected) = (record[key].as_f64().unwrap(), single[key].as_f64().unwrap());
            assert!(
                (got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                "{key} at {lat},{lon} on {date}: {got} vs {expected}"
            );
        }
    }
    assert_eq!(models.len(), 2, "both models of auto: {models:?}");
    assert!(records[rows.len()]["error"].is_string());
}

#[test]
fn batch_jsonl_has_input_fields_keys_and_error() {
    let input = "lat,lon,date,id\n10,20,2026.0,a\n100,20,2026.0,b\n";
    let output = magvar_with_stdin(&["batch", "--format", "jsonl"], Some(input));
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["input_date"], "2026.0");
    assert_eq!(lines[0]["model"], "WMM2025");
    assert!(lines[0]["error"].is_null());
    assert_eq!(lines[1]["id"], "b");
    assert!(lines[1]["declination_deg"].is_null());
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("latitude \"100\"")
    );
}

#[test]
fn batch_without_lat_column_is_a_usage_error() {
    let output = magvar_with_stdin(&["batch", "--input-format", "csv"], Some("x,y\n1,2\n"));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no latitude column"));
}

#[test]
fn batch_of_an_unreadable_file_is_a_usage_error() {
    let output = magvar(&["batch", "/nonexistent/points.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read input file /nonexistent/points.csv"));
}

#[test]
fn config_file_sets_defaults_and_bad_keys_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "model = \"igrf14\"\naltitude_unit = \"ft\"\nformat = \"json\"\n",
    )
    .unwrap();
    let output = magvar(&[
        "--config",
        config.to_str().unwrap(),
        "at",
        "10",
        "10",
        "--date",
        "2000.0",
        "--alt",
        "32808.4",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["model"], "IGRF-14");
    assert!((value["altitude_km"].as_f64().unwrap() - 10.0).abs() < 1e-4);
    std::fs::write(&config, "modle = \"igrf14\"\n").unwrap();
    let output = magvar(&["--config", config.to_str().unwrap(), "at", "10", "10"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown field `modle`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn completions_and_models() {
    for shell in ["bash", "zsh", "fish"] {
        let output = magvar(&["completions", shell]);
        assert!(output.status.success());
        assert!(stdout(&output).contains("batch"));
    }
    let output = magvar(&["models"]);
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn small_grids_in_each_format() {
    for format in ["csv", "geojson", "asc"] {
        let output = magvar(&[
            "grid",
            "--bbox",
            "-10,35,0,45",
            "--step",
            "5",
            "--date",
            "2026.5",
            "--element",
            "declination",
            "--format",
            format,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        insta::assert_snapshot!(format!("grid_{format}"), stdout(&output));
    }
    let polar = magvar(&[
        "grid",
        "--bbox",
        "0,50,20,60",
        "--step",
        "5",
        "--date",
        "2026.5",
        "--element",
        "grid_variation",
        "--format",
        "asc",
    ]);
    assert!(
        stdout(&polar).contains("-9999"),
        "GV is undefined below 55°: NODATA"
    );
    let bad = magvar(&["grid", "--bbox", "10,20,30"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("expected four numbers W,S,E,N"));
    let bad_element = magvar(&["grid", "--element", "colour"]);
    assert_eq!(bad_element.status.code(), Some(2));
}

#[test]
fn series_across_the_model_boundary_in_each_format() {
    for format in ["text", "csv", "json"] {
        let output = magvar(&[
            "series", "51.48N", "0.0", "--from", "2015", "--to", "2029", "--step", "3.5",
            "--format", format,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(
            text.contains("IGRF-14") && text.contains("WMM2025"),
            "{text}"
        );
        insta::assert_snapshot!(format!("series_{format}"), text);
    }
}

#[test]
fn small_contours_as_geojson() {
    let output = magvar(&[
        "contours",
        "--bbox",
        "-20,30,20,60",
        "--resolution",
        "5",
        "--step",
        "5",
        "--date",
        "2026.5",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let features = value["features"].as_array().unwrap();
    assert!(
        features.iter().any(|f| f["properties"]["agonic"] == true),
        "the agonic line crosses this box"
    );
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn a_closed_pipe_ends_quietly_without_a_panic() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_magvar"))
        .args([
            "series", "10", "10", "--from", "1900", "--to", "2029", "--step", "0.001", "--format",
            "csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes with most output unwritten.
    assert!(first.starts_with("date,model"));
    let output = child.wait_with_output().unwrap();
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(errors.is_empty(), "{errors}");
}
