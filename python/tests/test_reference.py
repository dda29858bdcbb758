"""NOAA's published test values through the Python API, to the printed
precision: the WMM2025 report's table and geomag 7.0's sample output."""

import math

import numpy as np
import pytest

import magvar
from conftest import REFERENCE


def half_unit(printed: str) -> float:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return 0.5 * 10.0 ** -decimals


def test_wmm2025_report_table():
    rows = [
        line.split()
        for line in (REFERENCE / "WMM2025_TEST_VALUE_TABLE_FOR_REPORT.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rows) == 12
    columns = np.array([[float(v) for v in row[:4]] for row in rows])
    # All twelve rows in one call: date, height, lat, lon as arrays.
    f = magvar.field(columns[:, 2], columns[:, 3], columns[:, 1], columns[:, 0], model="wmm2025")
    keys = [
        (4, "north_nt"), (5, "east_nt"), (6, "down_nt"), (7, "horizontal_nt"),
        (8, "total_nt"), (9, "inclination_deg"), (10, "declination_deg"),
        (11, "grid_variation_deg"), (12, "north_nt_per_year"), (13, "east_nt_per_year"),
        (14, "down_nt_per_year"), (15, "horizontal_nt_per_year"), (16, "total_nt_per_year"),
        (17, "inclination_deg_per_year"), (18, "declination_deg_per_year"),
    ]
    for i, row in enumerate(rows):
        for column, key in keys:
            ours = f[key][i]
            if row[column] == "NaN":
                # Grid variation is undefined equatorward of 55°.
                assert math.isnan(ours), (i, key, ours)
                continue
            assert abs(ours - float(row[column])) <= half_unit(row[column]) + 1e-9, (i, key, ours, row[column])


def geomag_year(token: str) -> float:
    """geomag 7.0's dates: decimal, or y,m,d as year + day-of-year / days
    in the year (1 January is year + 1/365)."""
    if "," not in token:
        return float(token)
    y, m, d = (int(v) for v in token.split(","))
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return y + (sum(days[: m - 1]) + d) / (366 if leap else 365)


def geomag_angle(token: str) -> float:
    """Decimal degrees, or d,m,s with the sign of the first non-zero part."""
    if "," not in token:
        return float(token)
    parts = [float(p) if p else 0.0 for p in token.split(",")]
    sign = -1.0 if next((p for p in parts if p != 0.0), 0.0) < 0 else 1.0
    d, m, s = (abs(p) for p in (parts + [0.0, 0.0])[:3])
    return sign * (d + m / 60 + s / 3600)


def geomag_altitude_km(token: str) -> float:
    factor = {"K": 1.0, "M": 1e-3, "F": 0.0003048}[token[0].upper()]
    return float(token[1:]) * factor


@pytest.mark.parametrize("output, model_file", [
    ("sample_out_IGRF12.txt", "igrf12coeffs.txt"),
    ("sample_out_WMM2015.txt", "WMM2015.COF"),
])
def test_geomag_sample_rows(output, model_file):
    model = magvar.Model(str(REFERENCE / model_file))
    lines = [l for l in (REFERENCE / output).read_text().splitlines() if l.strip()][1:]
    assert len(lines) == 16
    for line in lines:
        tokens = line.split()
        date, coord, alt, lat, lon = tokens[:5]
        geocentric = coord == "C"
        f = magvar.field(
            geomag_angle(lat), geomag_angle(lon), geomag_altitude_km(alt), geomag_year(date),
            model=model, geocentric=geocentric, extrapolate=True,
        )
        # D and I as geomag prints them: whole degrees toward zero, then
        # minutes (signed only when the degrees are zero).
        for printed_degrees, printed_minutes, ours in (
            (tokens[5], tokens[6], f.declination_deg),
            (tokens[7], tokens[8], f.inclination_deg),
        ):
            degrees = float(printed_degrees.rstrip("d"))
            minutes = float(printed_minutes.rstrip("m"))
            value = degrees + math.copysign(minutes, degrees) / 60 if degrees != 0 else minutes / 60
            assert abs(ours - value) <= 0.5 / 60 + 1e-6, (line, ours, value)
        # geomag evaluates with a truncated degree-to-radian constant
        # (0.01745329), which can move its last printed digit across a
        # rounding edge: half a unit, and that hair.
        for key, printed in zip(
            ("horizontal_nt", "north_nt", "east_nt", "down_nt", "total_nt"), tokens[9:14]
        ):
            assert abs(f[key] - float(printed)) <= 0.05 + 0.02, (line, key, f[key], printed)
