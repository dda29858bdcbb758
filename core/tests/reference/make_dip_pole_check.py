"""Writes dip_poles_independent.csv: the dip poles magvar finds, and the
horizontal intensity H an independent implementation computes there —
ppigrf 2.1.0 for IGRF-14 (its own .shc, Legendre functions and geodetic
conversion) and NOAA's wmm-calculator 1.4.4 for WMM2025 (which takes dates before 2030.0 only). The test
core/tests/bearings_and_poles.rs checks that magvar still finds these
positions and that H < 1 nT at each by the other implementation.

    pip install ppigrf==2.1.0 wmm-calculator==1.4.4
    cargo build -p magvar-cli
    python3 make_dip_pole_check.py ../../../target/debug/magvar > dip_poles_independent.csv

IGRF-14 at its epochs 1900.0, 1905.0, …, 2025.0 (ppigrf evaluates 1 January
of an epoch year exactly at the epoch); WMM2025 at 2025.0 … 2029.0.
"""
import csv
import io
import math
import subprocess
import sys
from datetime import datetime

import ppigrf
from wmm import wmm_calc

magvar = sys.argv[1]


def poles(model, start, end, step):
    text = subprocess.run(
        [magvar, "poles", "--model", model, "--from", str(start), "--to", str(end),
         "--step", str(step), "--format", "csv"],
        capture_output=True, text=True, check=True,
    ).stdout
    return list(csv.DictReader(io.StringIO(text)))


print("model,date,pole,latitude_deg,longitude_deg,independent_h_nt,independent")
for row in poles("igrf14", 1900, 2025, 5):
    year = int(float(row["date"]))
    for pole in ("north_dip", "south_dip"):
        lat, lon = float(row[pole + "_latitude_deg"]), float(row[pole + "_longitude_deg"])
        be, bn, bu = ppigrf.igrf(lon, lat, 0.0, datetime(year, 1, 1))
        h = math.hypot(float(be.ravel()[0]), float(bn.ravel()[0]))
        print(f"IGRF-14,{row['date']},{pole},{lat!r},{lon!r},{h!r},ppigrf 2.1.0")
for row in poles("wmm2025", 2025, 2029, 1):
    for pole in ("north_dip", "south_dip"):
        lat, lon = float(row[pole + "_latitude_deg"]), float(row[pole + "_longitude_deg"])
        model = wmm_calc()
        model.setup_time(dyear=float(row["date"]))
        model.setup_env(lat, lon, 0.0)
        h = float(model.get_Bh().ravel()[0])
        print(f"WMM2025,{row['date']},{pole},{lat!r},{lon!r},{h!r},wmm-calculator 1.4.4")
