"""The Python API gives the same numbers as `magvar at --format json`,
every key, on random points. The CLI and Python's scalar path both call
core's `MagneticModel::field`, so for scalars this checks the arguments
and the keys, not the arithmetic; arrays go through the batch kernel,
which is compared here with the CLI's one-point path to 1e-9. The
references for the numbers themselves are in test_reference.py and
test_independent.py."""

import json
import math
import random
import subprocess
import warnings

import magvar


def test_the_same_numbers_as_magvar_at_every_key(magvar_bin):
    rng = random.Random(17)
    for i in range(40):
        lat, lon = rng.uniform(-89.9, 89.9), rng.uniform(-180, 180)
        alt = rng.uniform(0, 20)
        date = rng.uniform(1950, 2029.9)
        model = ["auto", "igrf14", "wmm2025", "wmmhr2025"][i % 4]
        if model in ("wmm2025", "wmmhr2025"):
            date = rng.uniform(2025, 2029.9)
        msl = i % 3 == 0
        args = [magvar_bin, "at", repr(lat), repr(lon), "--alt", repr(alt), "--date", repr(date),
                "--model", model, "--format", "json"] + (["--msl"] if msl else [])
        cli = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
        scalar = magvar.field(lat, lon, alt, date, model=model, msl=msl)
        # Arrays take the batch path: its columns must hold the same.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = magvar.field([lat], [lon], [alt], [date], model=model, msl=msl)
        assert list(scalar) == list(cli) == list(array), "the same keys in the same order"
        for key, theirs in cli.items():
            compare(i, key, scalar[key], theirs)
            value = array[key]
            compare(i, key, value if isinstance(value, str) else value[0], theirs)


def compare(i, key, value, theirs):
    if key == "warnings":
        assert list(value) == theirs, key
    elif isinstance(theirs, str):
        assert value == theirs, key
    elif theirs is None:
        assert math.isnan(value), (key, value)
    else:
        assert abs(value - theirs) <= 1e-9 * max(1.0, abs(theirs)), (i, key, value, theirs)
