"""magvar inside Dask, block by block, as python/README.md shows."""

import numpy as np
import pytest

import magvar

da = pytest.importorskip("dask.array", reason="dask is not installed (pip install 'dask[array]')")


def test_map_blocks_equals_one_call():
    rng = np.random.default_rng(3)
    n = 100_000
    lat, lon, year = rng.uniform(-80, 80, n), rng.uniform(-180, 180, n), rng.uniform(2025, 2029, n)
    chunks = 12_500
    blocks = da.map_blocks(
        lambda la, lo, y: magvar.field(la, lo, 0.0, y).declination_deg,
        da.from_array(lat, chunks=chunks), da.from_array(lon, chunks=chunks),
        da.from_array(year, chunks=chunks), dtype=float,
    )
    whole = magvar.field(lat, lon, 0.0, year).declination_deg
    np.testing.assert_array_equal(blocks.compute(scheduler="threads"), whole)
