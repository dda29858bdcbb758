"""magvar: the Earth's magnetic field from IGRF-14, WMM2025 and WMMHR2025 as
numpy arrays — the compass variation (declination) and every element, their
rates of change and the models' published uncertainties, millions of points
a second on every core.

    >>> import magvar
    >>> f = magvar.field(36.85, -76.29, 0.0, "2026-11-25")
    >>> round(f.declination_deg, 2)
    -10.8

Every function takes scalars or numpy arrays (broadcast together) and
returns floats for scalars, arrays of the broadcast shape otherwise. Units
are in the names: degrees (`_deg`), nanotesla (`_nt`), per year
(`_per_year`), kilometres (`_km`), metres (`_m`).
"""

from __future__ import annotations

import datetime as _datetime
import json as _json
import warnings as _warnings
from collections.abc import Mapping as _Mapping
from typing import Any, NamedTuple

import numpy as _np

from . import _magvar
from ._magvar import Model

__all__ = [
    "Field",
    "Grid",
    "MagvarWarning",
    "Model",
    "contours",
    "declination",
    "field",
    "grid",
    "grid_xarray",
    "models",
    "REPORT_KEYS",
]

#: The keys of a report, in order: exactly those of `magvar at --format json`.
REPORT_KEYS: tuple[str, ...] = tuple(_magvar.report_keys())

_ALTITUDE_UNITS = {"km": 1.0, "m": 1e-3, "ft": 0.0003048}


def _kilometres_per(alt_unit: str) -> float:
    """The factor that turns `alt_unit` into km, or a ValueError."""
    if alt_unit not in _ALTITUDE_UNITS:
        raise ValueError(f"alt_unit: {alt_unit!r}: expected 'km', 'm' or 'ft'")
    return _ALTITUDE_UNITS[alt_unit]


class MagvarWarning(UserWarning):
    """A result computed but worth caution: an extrapolated date, a
    position in the blackout or caution zone, an altitude outside the
    model's stated range."""


class Field(_Mapping):
    """The field at one point or many: a mapping whose keys are those of
    `magvar at --format json` (`declination_deg`, `north_nt_per_year`,
    `declination_uncertainty_deg`, `geoid_height_m`, …), each also an
    attribute. Numbers are float64 arrays of the broadcast shape (floats for
    scalar input), NaN where a value is undefined (grid variation
    equatorward of 55°, uncertainties of a model without an error model,
    the geoid for heights above the ellipsoid). `model` names the model of
    each point; `warnings` holds a tuple of texts per point."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self):
        return list(super().__dir__()) + list(self._values)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k}={self._values[k]!r}"
            for k in ("model", "declination_deg", "inclination_deg", "total_nt")
        )
        return f"magvar.Field({shown}, …)"


class Grid(NamedTuple):
    """One element over a latitude/longitude grid: `values[row, column]`
    with rows from north to south (`latitude_deg`) and columns from west to
    east (`longitude_deg`), in the element's unit."""

    values: _np.ndarray
    latitude_deg: _np.ndarray
    longitude_deg: _np.ndarray
    element: str
    model: str
    date: float


def _value_error(error: ValueError, arguments: dict[str, _np.ndarray], shape: tuple) -> ValueError:
    """The extension's `ValueError(argument, flat index, message)` as a
    message naming the argument and the index of the bad element in the
    argument as the caller gave it."""
    if len(error.args) != 3 or not isinstance(error.args[1], int):
        return error
    name, flat, message = error.args
    original = arguments.get(name)
    if original is None or original.ndim == 0:
        where = name
    else:
        index = _np.unravel_index(flat, shape) if shape else ()
        # Broadcasting prepends axes and stretches those of length 1.
        own = index[len(index) - original.ndim :]
        own = tuple(0 if n == 1 else i for i, n in zip(own, original.shape))
        where = f"{name}[{', '.join(str(int(i)) for i in own)}]"
    hint = ""
    finite = not any(word in message for word in ("NaN", "inf"))
    if name == "date" and "outside the model" in message and finite:
        hint = " (extrapolate=True computes it with a warning)"
    return ValueError(f"{where}: {message}{hint}")


def _years(date: Any) -> _np.ndarray:
    """Decimal years from every accepted form of `date`, as an array."""
    if date is None:
        return _magvar.parse_dates(["today"]).reshape(())
    if isinstance(date, str):
        return _magvar.parse_dates([date]).reshape(())
    if isinstance(date, (_datetime.datetime, _datetime.date)):
        seconds = _np.array([_unix_seconds(date)], dtype=float)
        return _magvar.years_of_unix_seconds(seconds).reshape(())
    array = _np.asarray(date)
    if array.dtype.kind == "M":
        if _np.isnat(array).any():
            flat = int(_np.flatnonzero(_np.isnat(array).ravel())[0])
            raise ValueError("date", flat, "NaT is not a date")
        # Whole seconds and their fraction apart: nanoseconds since 1970
        # exceed float64's 53 bits, and datetime64[ns] itself only spans
        # 1678–2262 (it would wrap silently), so the seconds come from
        # datetime64[s] and the fraction from what is left.
        whole = array.astype("datetime64[s]")
        seconds = whole.astype(_np.int64).astype(float)
        seconds += (array - whole).astype("timedelta64[ns]").astype(_np.int64).astype(float) / 1e9
        return _magvar.years_of_unix_seconds(seconds.ravel()).reshape(array.shape)
    if array.dtype.kind in "iuf":
        return array.astype(float)
    if array.dtype.kind in "US":
        return _magvar.parse_dates([str(t) for t in array.ravel()]).reshape(array.shape)
    if array.dtype.kind == "O":
        flat = array.ravel()
        out = _np.empty(flat.shape, dtype=float)
        for i, item in enumerate(flat):
            try:
                out[i] = _years(item).reshape(-1)[0]
            except ValueError as e:
                message = e.args[2] if len(e.args) == 3 else str(e)
                raise ValueError("date", i, message) from None
            except TypeError:
                raise ValueError("date", i, f"{item!r}: {_DATE_FORMS}") from None
        return out.reshape(array.shape)
    raise TypeError(f"date: {type(date).__name__}: {_DATE_FORMS}")


_DATE_FORMS = (
    "expected decimal years, numpy.datetime64, datetime.date/datetime "
    "(naive ones are taken as UTC), ISO strings (2026-11-25, "
    "2026-11-25T14:30Z) or None for today"
)


def _unix_seconds(value: _datetime.date) -> float:
    if isinstance(value, _datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_datetime.timezone.utc)
        return value.timestamp()
    return float(
        (_datetime.date(value.year, value.month, value.day) - _datetime.date(1970, 1, 1)).days
        * 86400
    )


def _float_array(value: Any, name: str) -> _np.ndarray:
    try:
        array = _np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected numbers (degrees or the altitude unit), got {value!r}") from None
    return array


def _model_argument(model: Any) -> Any:
    return model if isinstance(model, Model) else str(model)


def field(
    lat: Any,
    lon: Any,
    alt: Any = 0.0,
    date: Any = None,
    *,
    model: Any = "auto",
    alt_unit: str = "km",
    geocentric: bool = False,
    msl: bool = False,
    extrapolate: bool = False,
) -> Field:
    """The geomagnetic field at positions and dates.

    lat, lon: degrees (geodetic, or geocentric with ``geocentric=True``);
    longitudes −180..360. alt: height above the WGS-84 ellipsoid (above
    mean sea level with ``msl=True``, EGM96 as NOAA's software does it; the
    radius with ``geocentric=True``) in ``alt_unit`` ("km", "m" or "ft").
    date: decimal years, ``numpy.datetime64``, ``datetime.date`` /
    ``datetime.datetime`` (aware ones converted to UTC, naive ones taken as
    UTC), ISO strings (``"2026-11-25"``, ``"2026-11-25T09:30-05:00"``,
    ``"@1795617000"``), or None for today. All broadcast together.

    model: "auto" (WMM2025 from 2025, IGRF-14 before), "igrf14",
    "wmm2025", "wmmhr2025", a coefficient file's path or a
    :class:`Model`. Dates outside the model raise ``ValueError`` unless
    ``extrapolate=True`` (then a :class:`MagvarWarning` per point).

    Returns a :class:`Field`. Bad input raises ``ValueError`` naming the
    argument, the index of the first bad element and what is accepted.
    """
    km = _kilometres_per(alt_unit)
    if msl and geocentric:
        raise ValueError("msl and geocentric: a geocentric altitude is a radius, not a height above sea level")
    if _is_number(lat) and _is_number(lon) and _is_number(alt) and (
        date is None or _is_number(date) or isinstance(date, str)
    ):
        return _point(lat, lon, alt * km, date, model, geocentric, msl, extrapolate)
    arguments = {
        "lat": _float_array(lat, "lat"),
        "lon": _float_array(lon, "lon"),
        "alt": _float_array(alt, "alt") * km,
    }
    try:
        arguments["date"] = _years(date)
    except ValueError as e:
        raise _value_error(e, {"date": _np.asarray(date, dtype=object)}, _np.shape(date)) from None
    try:
        shape = _np.broadcast_shapes(*(a.shape for a in arguments.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in arguments.items())
        raise ValueError(f"lat, lon, alt and date do not broadcast together: {shapes}") from None
    flat = [
        _np.ascontiguousarray(_np.broadcast_to(arguments[k], shape), dtype=float).ravel()
        for k in ("lat", "lon", "alt", "date")
    ]
    try:
        raw = _magvar.field(*flat, _model_argument(model), geocentric, msl, extrapolate)
    except ValueError as e:
        raise _value_error(e, arguments, shape) from None
    scalar = shape == ()
    values: dict[str, Any] = {}
    names = _np.array(raw["models"], dtype=object)
    rows = dict(zip(raw["number_keys"], raw["numbers"]))
    model_of_point = names[raw["model_index"]].reshape(shape)
    warnings_of_point = _np.empty(int(_np.prod(shape)), dtype=object)
    warnings_of_point.fill(())
    for index, text in raw["warnings"]:
        warnings_of_point[index] = warnings_of_point[index] + (text,)
    warnings_of_point = warnings_of_point.reshape(shape)
    for key in REPORT_KEYS:
        if key == "model":
            values[key] = model_of_point[()] if scalar else model_of_point
        elif key == "warnings":
            values[key] = warnings_of_point[()] if scalar else warnings_of_point
        elif key in ("coordinates", "height_reference"):
            values[key] = raw[key]
        else:
            array = rows[key].reshape(shape)
            values[key] = float(array) if scalar else array
    if raw["warnings"]:
        first = raw["warnings"][0][1]
        count = len(raw["warnings"])
        more = f" (and {count - 1} more; see .warnings)" if count > 1 else ""
        _warnings.warn(f"{first}{more}", MagvarWarning, stacklevel=2)
    return Field(values)


_NUMBER_TYPES = (float, int, _np.floating, _np.integer)


def _is_number(value: Any) -> bool:
    return isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool)


def _point(lat, lon, alt_km, date, model, geocentric, msl, extrapolate) -> Field:
    """One point from Python numbers: the scalar path, without numpy's
    broadcasting, for loops that call once a point."""
    try:
        values = _magvar.point(
            float(lat), float(lon), float(alt_km),
            date if isinstance(date, str) or date is None else float(date),
            _model_argument(model), geocentric, msl, extrapolate,
        )
    except ValueError as e:
        raise _value_error(e, {}, ()) from None
    if values["warnings"]:
        _warnings.warn("; ".join(values["warnings"]), MagvarWarning, stacklevel=3)
    return Field(values)


def declination(lat: Any, lon: Any, alt: Any = 0.0, date: Any = None, **options: Any) -> Any:
    """The declination (compass variation), degrees east of true north:
    :func:`field`'s ``declination_deg`` with the same arguments."""
    return field(lat, lon, alt, date, **options)["declination_deg"]


def _one_year(date: Any) -> float:
    years = _years(date).reshape(-1)
    if years.size != 1:
        raise ValueError("date: one date for a grid")
    return float(years[0])


def grid(
    west: float,
    south: float,
    east: float,
    north: float,
    step: float,
    date: Any = None,
    element: str = "declination",
    *,
    model: Any = "auto",
    alt: float = 0.0,
    alt_unit: str = "km",
    msl: bool = False,
    extrapolate: bool = False,
) -> Grid:
    """One element (``declination``, ``inclination``, ``horizontal``,
    ``north``, ``east``, ``down``, ``total``, ``grid_variation``) on a
    regular grid from ``west``/``south`` to ``east``/``north`` every
    ``step`` degrees, both ends included: a :class:`Grid` of the 2-D values
    (rows north to south) with its latitudes and longitudes."""
    km = _kilometres_per(alt_unit)
    try:
        year = _one_year(date)
        values, latitudes, longitudes, name, warning = _magvar.grid(
            float(west), float(south), float(east), float(north), float(step), year,
            element, _model_argument(model), float(alt) * km, msl, extrapolate,
        )
    except ValueError as e:
        raise _value_error(e, {}, ()) from None
    if warning:
        _warnings.warn(warning, MagvarWarning, stacklevel=2)
    return Grid(values, latitudes, longitudes, element, name, year)


def grid_xarray(*args: Any, **kwargs: Any):
    """:func:`grid` as an ``xarray.DataArray`` with ``latitude`` and
    ``longitude`` coordinates (degrees) and the unit, model and date as
    attributes. Needs xarray (``pip install magvar[xarray]``)."""
    try:
        import xarray
    except ImportError:
        raise ImportError("magvar.grid_xarray needs xarray: pip install xarray") from None
    g = grid(*args, **kwargs)
    unit = "deg" if g.element in ("declination", "inclination", "grid_variation") else "nT"
    return xarray.DataArray(
        g.values,
        coords={"latitude": g.latitude_deg, "longitude": g.longitude_deg},
        dims=("latitude", "longitude"),
        name=g.element,
        attrs={"units": unit, "model": g.model, "date": g.date},
    )


def contours(
    date: Any = None,
    element: str = "declination",
    *,
    step: float | None = None,
    bbox: tuple[float, float, float, float] = (-180.0, -90.0, 180.0, 90.0),
    resolution: float = 0.5,
    model: Any = "auto",
    alt: float = 0.0,
    alt_unit: str = "km",
    msl: bool = False,
    extrapolate: bool = False,
) -> dict:
    """Isolines of an element as the GeoJSON FeatureCollection `magvar
    contours` writes (a dict): LineStrings every ``step`` (default 10° for
    angles, 2000 nT for intensities) traced on a grid of ``resolution``
    degrees within ``bbox`` = (west, south, east, north); each line's
    properties are value, element, unit and agonic."""
    km = _kilometres_per(alt_unit)
    west, south, east, north = (float(v) for v in bbox)
    try:
        text, warning = _magvar.contours(
            west, south, east, north, float(resolution),
            None if step is None else float(step), _one_year(date), element,
            _model_argument(model), float(alt) * km, msl, extrapolate,
        )
    except ValueError as e:
        raise _value_error(e, {}, ()) from None
    if warning:
        _warnings.warn(warning, MagvarWarning, stacklevel=2)
    return _json.loads(text)


def models() -> list[dict]:
    """The built-in models: id (what ``model=`` takes), name, degree,
    validity, stated altitude range, source, and whether it publishes an
    error model (uncertainties)."""
    return _magvar.models()
