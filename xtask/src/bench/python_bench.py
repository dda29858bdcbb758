"""Measures magvar's Python package against the Python packages people use
today, on the same random points in one process; run by `cargo xtask bench
python`, which prints the result. One JSON object per line:
{"name", "unit", "magvar_per_s", "peer", "peer_per_s"}.

Every rate is the best of several timed runs after one warm-up, points per
second of wall time. magvar computes every element, rate and uncertainty;
each peer what one call of it computes (all elements and rates).
"""

import json
import sys
import time
import warnings

import numpy as np

import magvar

warnings.simplefilter("ignore")
N = 1_000_000
rng = np.random.default_rng(20261202)
lat = np.degrees(np.arcsin(rng.uniform(-0.999, 0.999, N)))
lon = rng.uniform(-180.0, 180.0, N)
alt = rng.uniform(0.0, 10.0, N)
year = rng.uniform(2025.0, 2029.9, N)


def best_rate(points, work, min_time=1.5, min_runs=3):
    work()
    best = float("inf")
    runs, started = 0, time.perf_counter()
    while runs < min_runs or time.perf_counter() - started < min_time:
        t = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t)
        runs += 1
    return points / best


def emit(name, unit, ours, peer, peer_rate):
    print(json.dumps({"name": name, "unit": unit, "magvar_per_s": ours, "peer": peer, "peer_per_s": peer_rate}))
    sys.stdout.flush()


ours = best_rate(N, lambda: magvar.field(lat, lon, alt, year, model="wmm2025"))

# The peers on a slice of the same points (they are far slower), vectorised
# where they can be.
peers = {}
try:
    from wmm import wmm_calc

    n = 50_000

    def wmm_calculator():
        model = wmm_calc()
        model.setup_time(dyear=year[:n])
        model.setup_env(lat[:n], lon[:n], alt[:n], msl=False)
        model.get_all()

    peers["wmm-calculator"] = best_rate(n, wmm_calculator)
except ImportError:
    pass
try:
    import datetime

    import ppigrf

    n = 50_000
    date = datetime.datetime(2027, 1, 1)  # ppigrf: one date per call

    peers["ppigrf"] = best_rate(n, lambda: ppigrf.igrf(lon[:n], lat[:n], alt[:n], date))
except ImportError:
    pass
try:
    from pygeomag import GeoMag

    geomag = GeoMag()
    n = 5_000

    def pygeomag_loop():
        for i in range(n):
            geomag.calculate(glat=lat[i], glon=lon[i], alt=alt[i], time=year[i])

    peers["pygeomag"] = best_rate(n, pygeomag_loop, min_time=1.0, min_runs=2)
except ImportError:
    pass

for peer, rate in peers.items():
    emit(f"python-1m-vs-{peer}", "points", ours, peer, rate)
if peers:
    fastest = max(peers, key=peers.get)
    emit("python-1m-vs-fastest", "points", ours, fastest, peers[fastest])

# One call a point, scalars in and floats out, as a loop in Python does it.
n = 20_000
scalar_lat, scalar_lon, scalar_alt, scalar_year = (lat[:n].tolist(), lon[:n].tolist(), alt[:n].tolist(), year[:n].tolist())


def magvar_loop():
    for i in range(n):
        magvar.field(scalar_lat[i], scalar_lon[i], scalar_alt[i], scalar_year[i], model="wmm2025")


one_call = best_rate(n, magvar_loop, min_time=1.0, min_runs=2)
emit("python-one-call-a-point", "points", one_call, "pygeomag", peers.get("pygeomag"))
