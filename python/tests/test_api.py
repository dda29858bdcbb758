"""The Python API's behaviour: broadcasting, scalars in and floats out,
every form of date, errors that name the argument and index, the GIL
released during a large call, grids, contours and models."""

import datetime as dt
import json
import math
import subprocess
import threading
import time
import warnings

import numpy as np
import pytest

import magvar

WARNINGS_OFF = pytest.mark.filterwarnings("ignore::magvar.MagvarWarning")


def test_scalars_give_floats_and_every_report_key():
    f = magvar.field(36.85, -76.29, 0.0, "2026-11-25")
    assert list(f) == list(magvar.REPORT_KEYS)
    assert isinstance(f.declination_deg, float) and isinstance(f["total_nt"], float)
    assert f.model == "WMM2025" and f.warnings == ()
    assert f.coordinates == "geodetic" and f.height_reference == "ellipsoid"
    assert np.isnan(f.geoid_height_m) and np.isnan(f.grid_variation_deg)
    # The WMM2025 report's error model: sqrt(0.26² + (5417 nT / H)²) degrees.
    assert f.declination_uncertainty_deg == pytest.approx(
        math.hypot(0.26, 5417.0 / f.horizontal_nt), rel=1e-12
    )
    assert magvar.declination(36.85, -76.29, 0.0, "2026-11-25") == f.declination_deg


@WARNINGS_OFF
def test_arrays_broadcast_together():
    lat = np.array([10.0, 20.0, 30.0])            # (3,)
    lon = np.array([[0.0], [90.0]])                # (2, 1)
    f = magvar.field(lat, lon, 0.0, 2026.5)
    assert f.declination_deg.shape == (2, 3) and f.model.shape == (2, 3)
    one = magvar.field(20.0, 90.0, 0.0, 2026.5)
    # The scalar path and the batch kernel agree to 1e-9 (core's fast-path tests).
    assert f.declination_deg[1, 1] == pytest.approx(one.declination_deg, abs=1e-9)
    assert f.warnings.shape == (2, 3)
    with pytest.raises(ValueError, match="do not broadcast together"):
        magvar.field(np.zeros(3), np.zeros(4))


def test_dates_in_every_form_and_zone():
    utc = magvar.field(10, 20, 0, "2026-11-25T14:30Z").date
    assert utc == 2026 + (328 + 14.5 / 24) / 365
    forms = [
        "2026-11-25T09:30-05:00",
        "@1795617000",
        np.datetime64("2026-11-25T14:30"),
        dt.datetime(2026, 11, 25, 14, 30, tzinfo=dt.timezone.utc),
        dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(2026, 11, 25, 14, 30),        # naive: taken as UTC
    ]
    for form in forms:
        assert magvar.field(10, 20, 0, form).date == pytest.approx(utc, abs=1e-12), form
    # A zone that moves the instant into the next year.
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert magvar.field(0, 0, 0, new_year).date == pytest.approx(2027 + 4.5 / 24 / 365, abs=1e-12)
    assert magvar.field(0, 0, 0, dt.date(2024, 2, 29)).date == 2024 + 59 / 366
    times = np.array(["2025-01-01T00:00", "2026-07-02T12:00"], dtype="datetime64[ns]")
    years = magvar.field(0, 0, 0, times).date
    assert years[0] == 2025.0 and years[1] == pytest.approx(2026 + 182.5 / 365, abs=1e-12)
    # Far from 1970 (datetime64[s], beyond datetime64[ns]'s span) and with
    # sub-second parts: IGRF-14 reaches back to 1900.
    old = np.array(["1900-01-01T00:00:00", "1950-07-02T12:00:00.5"], dtype="datetime64[ms]")
    years = magvar.field(0, 0, 0, old, model="igrf14").date
    assert years[0] == 1900.0
    assert years[1] == pytest.approx(1950 + (182.5 + 0.5 / 86400) / 365, abs=1e-12)
    with pytest.raises(ValueError, match=r"^date: .*1500"):
        magvar.field(0, 0, 0, np.datetime64("1500-01-01"), model="igrf14")
    mixed = np.array([dt.date(2025, 1, 1), "2026-01-01", 2027.5], dtype=object)
    assert list(magvar.field(0, 0, 0, mixed).date) == [2025.0, 2026.0, 2027.5]
    assert 2026 < magvar.field(0, 0).date < 2200     # None is today


def test_errors_name_the_argument_the_index_and_what_is_accepted():
    with pytest.raises(ValueError, match=r"^lat\[1\]: latitude \"95\": out of range; expected decimal degrees"):
        magvar.field([10.0, 95.0, 20.0], 0.0)
    with pytest.raises(ValueError, match=r"^lon\[0, 2\]: longitude"):
        magvar.field(0.0, [[0.0, 10.0, 400.0]])
    with pytest.raises(ValueError, match=r"^date\[1\]: date \"soon\""):
        magvar.field(0.0, 0.0, 0.0, ["2026-01-01", "soon"])
    with pytest.raises(ValueError, match=r"^date: .* has no zone: add Z for UTC"):
        magvar.field(0.0, 0.0, 0.0, "2026-11-25T14:30")
    with pytest.raises(ValueError, match=r"^date\[2\]: date 2035.0000 is outside the model: .*extrapolate=True"):
        magvar.field(0.0, 0.0, 0.0, [2026.0, 2027.0, 2035.0])
    with pytest.raises(ValueError, match=r"^alt\[1\]: altitude"):
        magvar.field(0.0, 0.0, [0.0, -7000.0])
    with pytest.raises(ValueError, match="alt_unit"):
        magvar.field(0.0, 0.0, alt_unit="miles")
    with pytest.raises(ValueError, match="unknown model"):
        magvar.field(0.0, 0.0, model="wmm2099")
    with pytest.raises(ValueError, match="^lat: expected numbers"):
        magvar.field("north", 0.0)


def test_extrapolation_warns_per_point():
    with pytest.warns(magvar.MagvarWarning, match="extrapolated"):
        f = magvar.field(0.0, 0.0, 0.0, [2026.0, 2035.0], extrapolate=True)
    assert f.warnings[0] == ()
    assert "extrapolated" in f.warnings[1][0]


def test_heights_above_mean_sea_level_and_geocentric():
    msl = magvar.field(36.85, -76.29, 300, "2026-11-25", alt_unit="m", msl=True)
    assert msl.height_reference == "msl" and msl.altitude_km == 0.3
    assert msl.geoid_height_m == pytest.approx(-38.478424, abs=1e-6)
    ellipsoidal = magvar.field(36.85, -76.29, 0.3 + msl.geoid_height_m / 1000, "2026-11-25")
    assert msl.declination_deg == pytest.approx(ellipsoidal.declination_deg, abs=1e-12)
    geocentric = magvar.field(45.0, 10.0, 6900.0, 2026.5, geocentric=True)
    assert geocentric.coordinates == "geocentric"


@WARNINGS_OFF
def test_the_gil_is_released_during_a_large_call():
    """Another Python thread makes progress while a large call runs."""
    rng = np.random.default_rng(1)
    n = 300_000
    lat, lon = rng.uniform(-89, 89, n), rng.uniform(-180, 180, n)
    done = threading.Event()
    ticks = []

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    started = threading.Event()
    calls = []

    def compute():
        started.set()
        calls.append(time.perf_counter())
        magvar.field(lat, lon, 0.0, 2026.5, model="wmmhr2025")
        calls.append(time.perf_counter())
        done.set()

    ticker = threading.Thread(target=tick)
    worker = threading.Thread(target=compute)
    ticker.start()
    worker.start()
    worker.join()
    ticker.join()
    start, end = calls
    during = [t for t in ticks if start < t < end]
    # With the GIL held for the whole call the ticker could not run.
    assert len(during) >= 3, (len(during), end - start)


def test_models_and_a_model_loaded_from_a_file():
    from conftest import DATA

    ids = [m["id"] for m in magvar.models()]
    assert ids == ["igrf14", "wmm2025", "wmmhr2025"]
    assert [m["error_model"] for m in magvar.models()] == [False, True, True]
    loaded = magvar.Model(str(DATA / "WMM.COF"))
    assert loaded.name == "WMM2025" and loaded.degree == 12
    f = magvar.field(10, 20, 0, 2026.5, model=loaded)
    builtin = magvar.field(10, 20, 0, 2026.5, model="wmm2025")
    assert f.declination_deg == pytest.approx(builtin.declination_deg, abs=1e-12)
    # A file gives no error model: the uncertainties are NaN.
    assert np.isnan(f.declination_uncertainty_deg)
    with pytest.raises(ValueError, match="cannot read model file"):
        magvar.Model("/no/such/file.COF")


def test_grid_and_its_xarray():
    g = magvar.grid(-10, 35, 30, 60, 1.0, "2027-01-01")
    assert g.values.shape == (26, 41)
    assert g.latitude_deg[0] == 60 and g.longitude_deg[0] == -10
    point = magvar.field(g.latitude_deg[3], g.longitude_deg[7], 0.0, "2027-01-01")
    assert g.values[3, 7] == pytest.approx(point.declination_deg, abs=1e-9)
    total = magvar.grid(0, 0, 2, 2, 1, 2027.0, "total", alt=10, msl=True)
    assert total.values[1, 1] == pytest.approx(
        magvar.field(1, 1, 10, 2027.0, msl=True).total_nt, abs=1e-8
    )
    with pytest.raises(ValueError, match="element"):
        magvar.grid(0, 0, 1, 1, 1, 2027.0, "heading")
    xarray = pytest.importorskip("xarray", reason="xarray is not installed")
    da = magvar.grid_xarray(-10, 35, 30, 60, 1.0, "2027-01-01")
    assert isinstance(da, xarray.DataArray) and da.attrs["units"] == "deg"
    assert float(da.sel(latitude=57.0, longitude=-3.0)) == pytest.approx(g.values[3, 7])


def test_contours_are_magvar_contours(magvar_bin):
    # Both call core's contour_collection: this holds the arguments and the
    # GeoJSON to the CLI's, byte for byte (the lines are tested in core).
    ours = magvar.contours(2026.5, "declination", step=5, bbox=(-20, 40, 0, 60), resolution=1.0)
    cli = subprocess.run(
        [magvar_bin, "contours", "--date", "2026.5", "--step", "5", "--bbox", "-20,40,0,60",
         "--resolution", "1"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert ours == json.loads(cli)
    assert ours["type"] == "FeatureCollection" and ours["features"]
