"""Reference values for IGRF-14 from an independent implementation.

Computes the field with ppigrf 2.1.0 (PyPI; its own IGRF14.shc, its own
Legendre functions and geodetic conversion) at dates across 1900-2030,
heights up to 1,600 km, geodetic and geocentric input. magvar's test
core/tests/independent_igrf.rs compares against the CSV this prints.

    pip install ppigrf==2.1.0
    python3 core/tests/reference/make_ppigrf_igrf14.py > core/tests/reference/ppigrf_igrf14.csv
"""
import random
from datetime import datetime

import numpy as np
import ppigrf



def interpolated_year(date):
    """ppigrf interpolates linearly in time between the 5-yearly epochs of
    its .shc file, so 1 January of year Y lies at this decimal year of the
    model (not exactly Y: the 5-year intervals hold 1826 or 1827 days)."""
    start = date.year - (date.year % 5)
    begin, end = datetime(start, 1, 1), datetime(start + 5, 1, 1)
    return start + 5 * (date - begin).days / (end - begin).days


random.seed(14)
print("# IGRF-14 computed by ppigrf 2.1.0 (independent implementation); see make_ppigrf_igrf14.py")
print("coordinates,year,latitude_deg,longitude_deg,altitude_km,north_nt,east_nt,down_nt")
for i in range(120):
    year = random.randint(1900, 2029)
    lat = random.uniform(-89.5, 89.5)
    lon = random.uniform(-180, 180)
    date = datetime(year, 1, 1)
    if i % 2 == 0:
        h = random.choice([0.0, 0.0, 10.0, 100.0, 400.0, 1000.0, 1600.0, random.uniform(0, 1600)])
        be, bn, bu = ppigrf.igrf(lon, lat, h, date)
        print(f"geodetic,{interpolated_year(date)!r},{lat!r},{lon!r},{h!r},{float(np.ravel(bn)[0])!r},{float(np.ravel(be)[0])!r},{-float(np.ravel(bu)[0])!r}")
    else:
        r = 6371.2 + random.uniform(0, 1600)
        theta = 90.0 - lat
        br, btheta, bphi = ppigrf.igrf_gc(r, theta, lon, date)
        print(f"geocentric,{interpolated_year(date)!r},{lat!r},{lon!r},{r!r},{-float(np.ravel(btheta)[0])!r},{float(np.ravel(bphi)[0])!r},{-float(np.ravel(br)[0])!r}")
