"""Shared paths: the repository's data, and the `magvar` binary the CLI
comparisons run (MAGVAR_BIN, else the workspace's debug or release build)."""

import os
import pathlib

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
DATA = REPOSITORY / "data"
REFERENCE = DATA / "reference"


def magvar_binary():
    candidates = [os.environ.get("MAGVAR_BIN")] + [
        str(REPOSITORY / "target" / profile / "magvar") for profile in ("debug", "release")
    ]
    for candidate in candidates:
        if candidate and pathlib.Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def magvar_bin():
    binary = magvar_binary()
    if binary is None:
        pytest.skip("no magvar binary: build it with `cargo build -p magvar-cli` or set MAGVAR_BIN")
    return binary
