"""Reference values for WMMHR2025 (degree 133) and WMM2025 from NOAA's own implementations.

Computes the field with NOAA/CIRES's `wmmhr` 1.2.4 (or, with the argument
`wmm`, `wmm-calculator` 1.4.4) package at random points and dates of
2025-2030, heights 0-850 km, latitudes to within 0.01 deg of the poles.
magvar's tests core/tests/independent_wmm.rs compare against the CSVs this
prints.

    pip install wmmhr==1.2.4 wmm-calculator==1.4.4
    python3 core/tests/reference/make_wmm2025.py > core/tests/reference/wmmhr2025_noaa.csv
    python3 core/tests/reference/make_wmm2025.py wmm > core/tests/reference/wmm2025_noaa.csv
"""
import sys
import random

if sys.argv[1:] == ["wmm"]:
    from wmm import wmm_calc as calc
    name = "WMM2025 computed by NOAA's wmm-calculator 1.4.4 package"
else:
    from wmmhr import wmmhr_calc as calc
    name = "WMMHR2025 computed by NOAA's wmmhr 1.2.4 package"

random.seed(2025)
model = calc()
print(f"# {name}; see make_wmm2025.py")
print("year,latitude_deg,longitude_deg,altitude_km,north_nt,east_nt,down_nt,declination_deg,inclination_deg,"
      "north_nt_per_year,east_nt_per_year,down_nt_per_year,declination_deg_per_year")
for _ in range(60):
    year = random.uniform(2025.0, 2030.0)
    lat = random.choice([random.uniform(-89.0, 89.0)] * 4 + [random.choice([89.99, -89.99])])
    lon = random.uniform(-180.0, 180.0)
    alt = random.choice([0.0, 0.0, 5.0, 100.0, random.uniform(0, 850)])
    model.setup_time(dyear=year)
    model.setup_env(lat=[lat], lon=[lon], alt=[alt])
    r = model.get_all()
    values = [r[k][0] for k in ("x", "y", "z", "dec", "inc", "dx", "dy", "dz", "ddec")]
    print(",".join(repr(float(v)) for v in [year, lat, lon, alt, *values]))
