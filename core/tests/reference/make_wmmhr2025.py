"""Reference values for WMMHR2025 (degree 133) from NOAA's own implementation.

Computes the field with the `wmmhr` 1.2.4 package (NOAA/CIRES, on
geomaglib) at random points and dates of 2025-2030, heights 0-850 km.
magvar's test core/tests/independent_wmmhr.rs compares against the CSV
this prints.

    pip install wmmhr==1.2.4
    python3 core/tests/reference/make_wmmhr2025.py > core/tests/reference/wmmhr2025_noaa.csv
"""
import random

from wmmhr import wmmhr_calc

random.seed(2025)
model = wmmhr_calc()
print("# WMMHR2025 computed by NOAA's wmmhr 1.2.4 package; see make_wmmhr2025.py")
print("year,latitude_deg,longitude_deg,altitude_km,north_nt,east_nt,down_nt,declination_deg,inclination_deg,"
      "north_nt_per_year,east_nt_per_year,down_nt_per_year,declination_deg_per_year")
for _ in range(60):
    year = random.uniform(2025.0, 2030.0)
    lat = random.uniform(-89.0, 89.0)
    lon = random.uniform(-180.0, 180.0)
    alt = random.choice([0.0, 0.0, 5.0, 100.0, random.uniform(0, 850)])
    model.setup_time(dyear=year)
    model.setup_env(lat=[lat], lon=[lon], alt=[alt])
    r = model.get_all()
    values = [r[k][0] for k in ("x", "y", "z", "dec", "inc", "dx", "dy", "dz", "ddec")]
    print(",".join(repr(float(v)) for v in [year, lat, lon, alt, *values]))
