"""Writes geoconvert_convergence.csv: the map grid and meridian convergence
that GeographicLib gives at 1,000 points (UTM by the standard zones with
the Norway and Svalbard exceptions, UPS poleward of 84°N and 80°S): the
reference for core/tests/bearings_and_poles.rs.

    apt-get install geographiclib-tools      # GeoConvert (GeographicLib 2.1 on Debian 12)
    python3 make_geoconvert_convergence.py > geoconvert_convergence.csv

Points: the UTM/UPS limits, the Norway and Svalbard zone edges, zone
edges and central meridians, ±180°, then uniform random points on the
sphere (seed 20261202).
"""
import math
import random
import subprocess

points = [
    (84.0, 10.0), (83.99999, 10.0), (-80.0, 10.0), (-80.00001, 10.0),
    (0.0, 180.0), (0.0, -180.0), (0.0, 0.0), (36.85, -76.29),
    (56.0, 3.0), (64.0, 3.0), (63.999, 3.0), (55.999, 3.0), (60.0, 11.99),
    (72.0, 9.0), (72.0, 8.999), (78.0, 15.0), (83.99, 21.0), (80.0, 41.9), (80.0, 42.0),
    (89.9, -135.0), (-89.9, 135.0), (90.0, 0.0), (-90.0, 0.0), (45.0, -3.0), (-45.0, 177.0),
]
rng = random.Random(20261202)
while len(points) < 1000:
    lat = math.degrees(math.asin(rng.uniform(-1.0, 1.0)))
    lon = rng.uniform(-180.0, 180.0)
    points.append((round(lat, 6), round(lon, 6)))

text = "".join(f"{lat} {lon}\n" for lat, lon in points)
zones = subprocess.run(["GeoConvert", "-u", "-p", "0"], input=text, capture_output=True, text=True, check=True).stdout.split("\n")
gammas = subprocess.run(["GeoConvert", "-u", "-c", "-p", "9"], input=text, capture_output=True, text=True, check=True).stdout.split("\n")
print("latitude_deg,longitude_deg,zone,convergence_deg")
for (lat, lon), zone, gamma in zip(points, zones, gammas):
    # GeoConvert -u prints "18n 384993 4079009" (UTM) or "n 2115776 ..." (UPS).
    print(f"{lat},{lon},{zone.split()[0]},{gamma.split()[0]}")
