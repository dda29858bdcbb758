"""Writes geoid_geomaglib.csv: the EGM96 geoid height that NOAA's geomaglib
1.2.4 (PyPI, `util.alt_to_ellipsoid_height`) gives at 1,000 points, the
reference for core/tests/geoid.rs.

    pip install geomaglib==1.2.4 numpy
    python3 make_geoid_reference.py > geoid_geomaglib.csv

Points: the poles, ±180°, 0° and 360°-wrapped longitudes, grid posts and
cell centres, then uniform random points (seed 20261202) over the sphere.
"""
import math
import random

from geomaglib import util

points = []
for lat in (90.0, -90.0, 89.999, -89.999, 0.0):
    for lon in (-180.0, 180.0, 0.0, -0.125, 179.875, 45.0):
        points.append((lat, lon))
points += [(36.85, -76.29), (51.48, 0.0), (-33.87, 151.21), (74.7, -94.8), (0.125, 0.125)]
rng = random.Random(20261202)
while len(points) < 1000:
    # Uniform on the sphere: latitude from the arcsine of a uniform number.
    lat = math.degrees(math.asin(rng.uniform(-1.0, 1.0)))
    lon = rng.uniform(-180.0, 180.0)
    points.append((round(lat, 6), round(lon, 6)))

print("latitude_deg,longitude_deg,geoid_height_m")
for lat, lon in points:
    # Height above the ellipsoid (km) of 0 km above mean sea level: the geoid.
    height_km = util.alt_to_ellipsoid_height(0.0, lat, lon)[0]
    print(f"{lat!r},{lon!r},{float(height_km) * 1000.0!r}")
