"""Type stubs of magvar: the geomagnetic field as numpy arrays. Units are in
the names: degrees (_deg), nanotesla (_nt), per year (_per_year),
kilometres (_km), metres (_m)."""

import datetime
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple, Union

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
#: Decimal years, numpy.datetime64, datetime.date/datetime, ISO strings, None (today).
DateLike = Union[float, str, datetime.date, np.datetime64, npt.ArrayLike, None]
#: "auto", "igrf14", "wmm2025", "wmmhr2025", a coefficient file's path, or a Model.
ModelLike = Union[str, "Model"]
#: A float for scalar input, else a float64 array of the broadcast shape.
Values = Union[float, npt.NDArray[np.float64]]

REPORT_KEYS: tuple[str, ...]

class MagvarWarning(UserWarning): ...

class Model:
    """A coefficient file loaded at run time (NOAA .COF, IAGA igrfNNcoeffs.txt, .shc)."""
    def __init__(self, path: str) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def degree(self) -> int: ...
    @property
    def valid_years(self) -> tuple[float, float]:
        """(first, last) valid decimal years."""

class Field(Mapping[str, Any]):
    """The field at one point or many; keys are those of `magvar at --format json`."""
    model: Any
    date: Values
    latitude_deg: Values
    longitude_deg: Values
    altitude_km: Values
    height_reference: str
    geoid_height_m: Values
    coordinates: str
    declination_deg: Values
    inclination_deg: Values
    horizontal_nt: Values
    north_nt: Values
    east_nt: Values
    down_nt: Values
    total_nt: Values
    grid_variation_deg: Values
    declination_deg_per_year: Values
    inclination_deg_per_year: Values
    horizontal_nt_per_year: Values
    north_nt_per_year: Values
    east_nt_per_year: Values
    down_nt_per_year: Values
    total_nt_per_year: Values
    declination_uncertainty_deg: Values
    inclination_uncertainty_deg: Values
    north_uncertainty_nt: Values
    east_uncertainty_nt: Values
    down_uncertainty_nt: Values
    horizontal_uncertainty_nt: Values
    total_uncertainty_nt: Values
    warnings: Any
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...

class Grid(NamedTuple):
    values: npt.NDArray[np.float64]
    latitude_deg: npt.NDArray[np.float64]
    longitude_deg: npt.NDArray[np.float64]
    element: str
    model: str
    date: float

def field(
    lat: ArrayLike,
    lon: ArrayLike,
    alt: ArrayLike = 0.0,
    date: DateLike = None,
    *,
    model: ModelLike = "auto",
    alt_unit: str = "km",
    geocentric: bool = False,
    msl: bool = False,
    extrapolate: bool = False,
) -> Field:
    """The field at positions (degrees; alt in alt_unit "km"|"m"|"ft" above
    the ellipsoid, or mean sea level with msl=True) and dates, broadcast
    together."""

def declination(
    lat: ArrayLike, lon: ArrayLike, alt: ArrayLike = 0.0, date: DateLike = None, **options: Any
) -> Values:
    """The declination, degrees east of true north."""

def grid(
    west: float,
    south: float,
    east: float,
    north: float,
    step: float,
    date: DateLike = None,
    element: str = "declination",
    *,
    model: ModelLike = "auto",
    alt: float = 0.0,
    alt_unit: str = "km",
    msl: bool = False,
    extrapolate: bool = False,
) -> Grid:
    """One element on a grid every `step` degrees, rows north to south."""

def grid_xarray(*args: Any, **kwargs: Any) -> Any:
    """grid() as an xarray.DataArray (latitude, longitude)."""

def contours(
    date: DateLike = None,
    element: str = "declination",
    *,
    step: float | None = None,
    bbox: tuple[float, float, float, float] = ...,
    resolution: float = 0.5,
    model: ModelLike = "auto",
    alt: float = 0.0,
    alt_unit: str = "km",
    msl: bool = False,
    extrapolate: bool = False,
) -> dict[str, Any]:
    """Isolines as the GeoJSON FeatureCollection of `magvar contours`."""

def models() -> list[dict[str, Any]]:
    """The built-in models."""
