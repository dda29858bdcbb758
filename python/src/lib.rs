//! `magvar._magvar`: the Rust half of the Python package `magvar`, a thin
//! front-end over magvar-core. It takes flat numpy arrays (the Python half,
//! `magvar/__init__.py`, broadcasts, converts dates and shapes the result)
//! and runs core's batch path with the GIL released, on every core for
//! large inputs.

#![forbid(unsafe_code)]

use magvar_core::contours::contour_collection;
use magvar_core::{
    BuiltinModel, DatePolicy, DatedBatch, DatedPoint, Element, FieldReport, GridSpec,
    HeightReference, InputError, MagneticModel, ModelChoice, Position, Quantity,
};
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// A coefficient file loaded at run time: usable wherever `model=` is.
#[pyclass(frozen, module = "magvar")]
struct Model {
    model: Arc<MagneticModel>,
}

#[pymethods]
impl Model {
    /// Loads a NOAA `.COF`, IAGA `igrfNNcoeffs.txt` or `.shc` file.
    #[new]
    fn new(path: PathBuf) -> PyResult<Self> {
        let model = magvar_core::formats::load_model_file(&path)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(Model {
            model: Arc::new(model),
        })
    }

    #[getter]
    fn name(&self) -> &str {
        self.model.name()
    }

    #[getter]
    fn source(&self) -> &str {
        self.model.source()
    }

    #[getter]
    fn degree(&self) -> usize {
        self.model.degree()
    }

    /// (first, last) valid decimal years.
    #[getter]
    fn valid_years(&self) -> (f64, f64) {
        (self.model.valid_from_year(), self.model.valid_until_year())
    }

    fn __repr__(&self) -> String {
        format!(
            "magvar.Model({:?}: {}, degree {}, {:.1}–{:.1})",
            self.model.source(),
            self.model.name(),
            self.model.degree(),
            self.model.valid_from_year(),
            self.model.valid_until_year()
        )
    }
}

/// `model=`: a name (`auto`, `igrf14`, `wmm2025`, `wmmhr2025`), a path,
/// or a [`Model`].
fn choice_of(model: &Bound<'_, PyAny>) -> PyResult<ModelChoice> {
    if let Ok(loaded) = model.cast::<Model>() {
        return Ok(ModelChoice::Loaded(Arc::clone(&loaded.get().model)));
    }
    if let Ok(name) = model.extract::<PathBuf>() {
        let text = name.to_string_lossy();
        return ModelChoice::parse(&text).map_err(|e| PyValueError::new_err(format!("model: {e}")));
    }
    Err(PyTypeError::new_err(
        "model: expected \"auto\", \"igrf14\", \"wmm2025\", \"wmmhr2025\", a coefficient file's path or a magvar.Model",
    ))
}

/// A point that cannot be computed: the argument, the flat index of the
/// element and why. The Python side turns it into a `ValueError` with the
/// index in the caller's own argument.
#[derive(Debug)]
struct PointError {
    argument: &'static str,
    index: usize,
    message: String,
}

/// The argument an input error is about.
fn argument_of(error: &InputError) -> &'static str {
    match error {
        InputError::Latitude { .. } => "lat",
        InputError::Longitude { .. } => "lon",
        InputError::Altitude { .. } => "alt",
        InputError::Date { .. } => "date",
        _ => "lat",
    }
}

/// The keys whose values are numbers, in the report's order.
fn number_keys() -> Vec<&'static str> {
    [
        "date",
        "latitude_deg",
        "longitude_deg",
        "altitude_km",
        "geoid_height_m",
    ]
    .into_iter()
    .chain(Quantity::ALL.iter().map(|q| q.key()))
    .collect()
}

/// Points per task: large enough to amortise a batch's set-up, small
/// enough to share the work between the cores.
const CHUNK: usize = 16_384;

/// What the points' reports hold beside the numbers: each point's model
/// (an index into `ModelChoice::models`) and the warnings as (point, text).
struct Extras {
    model_index: Vec<u8>,
    warnings: Vec<(usize, String)>,
}

/// The reports of n points, their numbers written into `numbers`: one
/// column of n per [`number_keys`] key, one after the other. Chunks of
/// points run in parallel, each writing its own rows of every column.
#[allow(clippy::too_many_arguments)]
fn compute(
    choice: &ModelChoice,
    latitudes: &[f64],
    longitudes: &[f64],
    altitudes_km: &[f64],
    years: &[f64],
    geocentric: bool,
    msl: bool,
    policy: DatePolicy,
    numbers: &mut [f64],
) -> Result<Extras, PointError> {
    let n = latitudes.len();
    let reference = if msl {
        HeightReference::Msl
    } else {
        HeightReference::Ellipsoid
    };
    let models: Vec<&str> = choice.models().iter().map(|m| m.name()).collect();
    let mut model_index = vec![0u8; n];
    // Each chunk's rows of every column (as the grid hands out its rows).
    let mut columns: Vec<_> = numbers
        .chunks_mut(n.max(1))
        .map(|c| c.chunks_mut(CHUNK))
        .collect();
    let chunks: Vec<(Vec<&mut [f64]>, &mut [u8])> = model_index
        .chunks_mut(CHUNK)
        .map(|models| {
            let rows = columns.iter_mut().filter_map(Iterator::next).collect();
            (rows, models)
        })
        .collect();
    let warnings: Vec<Result<Vec<(usize, String)>, PointError>> = chunks
        .into_par_iter()
        .enumerate()
        .map(|(c, (mut rows, model_of))| {
            let start = c * CHUNK;
            let range = start..start + model_of.len();
            let mut positions = Vec::with_capacity(range.len());
            for i in range.clone() {
                let position = if geocentric {
                    Position::geocentric(latitudes[i], longitudes[i], altitudes_km[i])
                } else {
                    Position::geodetic_above(
                        latitudes[i],
                        longitudes[i],
                        altitudes_km[i],
                        reference,
                    )
                };
                match position {
                    Ok(position) => positions.push(position),
                    Err(e) => {
                        // The first bad element is reported: a bad date
                        // before this position comes first.
                        for (j, &year) in years.iter().enumerate().take(i).skip(range.start) {
                            if let Err(date) = choice.model_for(year).check_date(year, policy) {
                                return Err(PointError {
                                    argument: "date",
                                    index: j,
                                    message: date.to_string(),
                                });
                            }
                        }
                        return Err(PointError {
                            argument: argument_of(&e),
                            index: i,
                            message: e.to_string(),
                        });
                    }
                }
            }
            let mut batch = DatedBatch::new(choice, policy);
            batch.evaluate(&positions, &years[range.clone()]);
            let mut warnings = Vec::new();
            let mut point_warnings = Vec::new();
            for (k, i) in range.enumerate() {
                let point = batch.point(k).map_err(|e| PointError {
                    argument: "date",
                    index: i,
                    message: e.to_string(),
                })?;
                write_numbers(&point, &mut rows, k);
                model_of[k] = models
                    .iter()
                    .position(|m| *m == point.model.name())
                    .unwrap_or(0) as u8;
                if let Some(warning) = point.date_warning {
                    warnings.push((i, warning.to_string()));
                }
                point_warnings.clear();
                point
                    .model
                    .add_point_warnings(point.position, point.elements, &mut point_warnings);
                warnings.extend(point_warnings.iter().map(|w| (i, w.to_string())));
            }
            Ok(warnings)
        })
        .collect();
    let mut all_warnings = Vec::new();
    for part in warnings {
        all_warnings.extend(part?);
    }
    Ok(Extras {
        model_index,
        warnings: all_warnings,
    })
}

/// A point's numbers into row `k` of each column ([`number_keys`] order),
/// NaN where undefined: what its report would hold, written without one.
fn write_numbers(point: &DatedPoint<'_, '_>, rows: &mut [&mut [f64]], k: usize) {
    let position = point.position;
    let elements = point.elements;
    let uncertainty = point.model.uncertainty_at(elements);
    let fixed = [
        point.year,
        position.latitude_deg,
        position.longitude_deg,
        position.altitude_as_given_km(),
        position.geoid_height_m().unwrap_or(f64::NAN),
    ];
    let quantities = Quantity::ALL
        .iter()
        .map(|&q| q.read(elements, uncertainty.as_ref()).unwrap_or(f64::NAN));
    for (row, value) in rows.iter_mut().zip(fixed.into_iter().chain(quantities)) {
        row[k] = value;
    }
}

/// The field at n points (flat float64 arrays of equal length; altitudes
/// in km, years decimal). Returns a dict: each number key's array,
/// `model_index` and `models`, `warnings` as (point, text) pairs, and the
/// point's `coordinates` and `height_reference`. A point that cannot be
/// computed raises `ValueError(argument, flat index, message)`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (latitudes, longitudes, altitudes_km, years, model, geocentric, msl, extrapolate))]
fn field<'py>(
    py: Python<'py>,
    latitudes: PyReadonlyArray1<'py, f64>,
    longitudes: PyReadonlyArray1<'py, f64>,
    altitudes_km: PyReadonlyArray1<'py, f64>,
    years: PyReadonlyArray1<'py, f64>,
    model: &Bound<'py, PyAny>,
    geocentric: bool,
    msl: bool,
    extrapolate: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let choice = choice_of(model)?;
    let slices = [&latitudes, &longitudes, &altitudes_km, &years].map(|a| {
        a.as_slice()
            .map_err(|e| PyValueError::new_err(e.to_string()))
    });
    let [latitudes, longitudes, altitudes, years] = slices;
    let (latitudes, longitudes, altitudes, years) = (latitudes?, longitudes?, altitudes?, years?);
    let n = latitudes.len();
    if [longitudes.len(), altitudes.len(), years.len()] != [n; 3] {
        return Err(PyValueError::new_err("the arrays differ in length"));
    }
    let policy = DatePolicy::extrapolating(extrapolate);
    let keys = number_keys();
    let mut numbers = vec![0.0; keys.len() * n];
    let result = py.detach(|| {
        compute(
            &choice,
            latitudes,
            longitudes,
            altitudes,
            years,
            geocentric,
            msl,
            policy,
            &mut numbers,
        )
    });
    let extras = match result {
        Ok(extras) => extras,
        Err(error) => {
            return Err(PyValueError::new_err((
                error.argument,
                error.index,
                error.message,
            )));
        }
    };
    let out = PyDict::new(py);
    // One block, a row per key: Python takes each row as a view.
    out.set_item("number_keys", PyList::new(py, keys.iter().copied())?)?;
    out.set_item(
        "numbers",
        PyArray1::from_vec(py, numbers).reshape([keys.len(), n])?,
    )?;
    out.set_item("model_index", PyArray1::from_vec(py, extras.model_index))?;
    let models: Vec<&str> = choice.models().iter().map(|m| m.name()).collect();
    out.set_item("models", PyList::new(py, models)?)?;
    out.set_item("warnings", PyList::new(py, extras.warnings)?)?;
    out.set_item(
        "coordinates",
        if geocentric { "geocentric" } else { "geodetic" },
    )?;
    out.set_item(
        "height_reference",
        if msl && !geocentric {
            "msl"
        } else {
            "ellipsoid"
        },
    )?;
    Ok(out)
}

/// The field at one point, as a dict in the report's key order (NaN where
/// undefined): the scalar path, for one call a point.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (latitude, longitude, altitude_km, date, model, geocentric, msl, extrapolate))]
fn point<'py>(
    py: Python<'py>,
    latitude: f64,
    longitude: f64,
    altitude_km: f64,
    date: &Bound<'py, PyAny>,
    model: &Bound<'py, PyAny>,
    geocentric: bool,
    msl: bool,
    extrapolate: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let year = if date.is_none() {
        magvar_core::parse_date("today")
    } else if let Ok(year) = date.extract::<f64>() {
        Ok(year)
    } else {
        magvar_core::parse_date(&date.extract::<String>()?)
    }
    .map_err(|e| PyValueError::new_err(("date", 0usize, e.to_string())))?;
    let position = if geocentric {
        Position::geocentric(latitude, longitude, altitude_km)
    } else {
        let reference = if msl {
            HeightReference::Msl
        } else {
            HeightReference::Ellipsoid
        };
        Position::geodetic_above(latitude, longitude, altitude_km, reference)
    }
    .map_err(|e| PyValueError::new_err((argument_of(&e), 0usize, e.to_string())))?;
    let choice = choice_of(model)?;
    let report = choice
        .model_for(year)
        .field(&position, year, DatePolicy::extrapolating(extrapolate))
        .map_err(|e| PyValueError::new_err(("date", 0usize, e.to_string())))?;
    let out = PyDict::new(py);
    out.set_item("model", &report.model)?;
    out.set_item("date", report.date)?;
    out.set_item("latitude_deg", report.latitude_deg)?;
    out.set_item("longitude_deg", report.longitude_deg)?;
    out.set_item("altitude_km", report.altitude_km)?;
    out.set_item("height_reference", report.height_reference.name())?;
    out.set_item("geoid_height_m", report.geoid_height_m.unwrap_or(f64::NAN))?;
    out.set_item(
        "coordinates",
        if geocentric { "geocentric" } else { "geodetic" },
    )?;
    for quantity in Quantity::ALL {
        out.set_item(quantity.key(), report.get(quantity).unwrap_or(f64::NAN))?;
    }
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    out.set_item("warnings", pyo3::types::PyTuple::new(py, warnings)?)?;
    Ok(out)
}

/// Decimal years of date texts (every form `magvar` takes), or
/// `ValueError("date", index, message)`.
#[pyfunction]
fn parse_dates(py: Python<'_>, texts: Vec<String>) -> PyResult<Bound<'_, PyArray1<f64>>> {
    let mut years = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        match magvar_core::parse_date(text) {
            Ok(year) => years.push(year),
            Err(e) => return Err(PyValueError::new_err(("date", i, e.to_string()))),
        }
    }
    Ok(PyArray1::from_vec(py, years))
}

/// Decimal years of instants given as seconds since 1970-01-01T00:00Z.
#[pyfunction]
fn years_of_unix_seconds<'py>(
    py: Python<'py>,
    seconds: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let seconds = seconds
        .as_slice()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let mut years = Vec::with_capacity(seconds.len());
    for (i, &s) in seconds.iter().enumerate() {
        match magvar_core::decimal_year_of_unix_seconds(s) {
            Ok(year) => years.push(year),
            Err(e) => {
                return Err(PyValueError::new_err((
                    "date",
                    i,
                    format!("{s} s after 1970-01-01: {e}"),
                )));
            }
        }
    }
    Ok(PyArray1::from_vec(py, years))
}

/// What `grid` and `contours` share: the element, the grid, the model's
/// date check (its warning), and the grid computed with the GIL released.
#[allow(clippy::too_many_arguments)]
fn element_grid(
    py: Python<'_>,
    element: &str,
    spec: [f64; 5],
    year: f64,
    choice: &ModelChoice,
    altitude_km: f64,
    msl: bool,
    extrapolate: bool,
) -> PyResult<(Element, magvar_core::Grid, Option<String>)> {
    let element: Element = element
        .parse()
        .map_err(|e: String| PyValueError::new_err(format!("element: {e}")))?;
    let [west, south, east, north, step] = spec;
    let spec = GridSpec::new(west, south, east, north, step)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let model = choice.model_for(year);
    let warning = model
        .check_date(year, DatePolicy::extrapolating(extrapolate))
        .map_err(|e| PyValueError::new_err(("date", 0usize, e.to_string())))?
        .map(|w| w.to_string());
    let reference = if msl {
        HeightReference::Msl
    } else {
        HeightReference::Ellipsoid
    };
    let grid = py
        .detach(|| model.grid_of_above(&spec, altitude_km, reference, year, &[element]))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok((element, grid, warning))
}

/// One element over a grid: (values as rows north to south × columns west
/// to east, latitudes, longitudes, model name, warning or None).
#[pyfunction]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
#[pyo3(signature = (west, south, east, north, step, year, element, model, altitude_km, msl, extrapolate))]
fn grid<'py>(
    py: Python<'py>,
    west: f64,
    south: f64,
    east: f64,
    north: f64,
    step: f64,
    year: f64,
    element: &str,
    model: &Bound<'py, PyAny>,
    altitude_km: f64,
    msl: bool,
    extrapolate: bool,
) -> PyResult<(
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    String,
    Option<String>,
)> {
    let choice = choice_of(model)?;
    let (element, grid, warning) = element_grid(
        py,
        element,
        [west, south, east, north, step],
        year,
        &choice,
        altitude_km,
        msl,
        extrapolate,
    )?;
    let (rows, columns) = (grid.latitudes_deg.len(), grid.longitudes_deg.len());
    let values = PyArray1::from_slice(py, grid.values(element)).reshape([rows, columns])?;
    Ok((
        values,
        PyArray1::from_slice(py, &grid.latitudes_deg),
        PyArray1::from_slice(py, &grid.longitudes_deg),
        choice.model_for(year).name().to_string(),
        warning,
    ))
}

/// The isolines as `magvar contours` writes them, a GeoJSON text.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
#[pyo3(signature = (west, south, east, north, resolution, step, year, element, model, altitude_km, msl, extrapolate))]
fn contours(
    py: Python<'_>,
    west: f64,
    south: f64,
    east: f64,
    north: f64,
    resolution: f64,
    step: Option<f64>,
    year: f64,
    element: &str,
    model: &Bound<'_, PyAny>,
    altitude_km: f64,
    msl: bool,
    extrapolate: bool,
) -> PyResult<(String, Option<String>)> {
    let step = match (step, element.parse::<Element>()) {
        (Some(step), _) => step,
        (None, Ok(element)) => magvar_core::contours::default_interval(element),
        // element_grid below names the bad element.
        (None, Err(_)) => 1.0,
    };
    if !(step > 0.0 && step.is_finite()) {
        return Err(PyValueError::new_err(format!(
            "step {step}: expected a positive interval in the element's unit"
        )));
    }
    let choice = choice_of(model)?;
    let (element, grid, warning) = element_grid(
        py,
        element,
        [west, south, east, north, resolution],
        year,
        &choice,
        altitude_km,
        msl,
        extrapolate,
    )?;
    let name = choice.model_for(year).name();
    let collection = contour_collection(&grid, element, step, name, year)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let text = serde_json::to_string(&collection).map_err(|e| PyValueError::new_err(e.to_string()));
    let text = text?;
    Ok((text, warning))
}

/// The built-in models: id, name, degree, validity, altitude range, source.
#[pyfunction]
fn models(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for builtin in BuiltinModel::ALL {
        let model = builtin.model();
        let entry = PyDict::new(py);
        entry.set_item("id", builtin.id())?;
        entry.set_item("name", model.name())?;
        entry.set_item("degree", model.degree())?;
        entry.set_item("valid_from", model.valid_from_year())?;
        entry.set_item("valid_until", model.valid_until_year())?;
        entry.set_item("altitude_range_km", model.altitude_range_km())?;
        entry.set_item("source", model.source())?;
        entry.set_item("error_model", builtin.error_model().is_some())?;
        list.append(entry)?;
    }
    Ok(list)
}

/// The report keys in order (the CLI's JSON keys).
#[pyfunction]
fn report_keys() -> Vec<&'static str> {
    FieldReport::keys().collect()
}

#[pymodule]
fn _magvar(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Model>()?;
    module.add_function(wrap_pyfunction!(field, module)?)?;
    module.add_function(wrap_pyfunction!(point, module)?)?;
    module.add_function(wrap_pyfunction!(parse_dates, module)?)?;
    module.add_function(wrap_pyfunction!(years_of_unix_seconds, module)?)?;
    module.add_function(wrap_pyfunction!(grid, module)?)?;
    module.add_function(wrap_pyfunction!(contours, module)?)?;
    module.add_function(wrap_pyfunction!(models, module)?)?;
    module.add_function(wrap_pyfunction!(report_keys, module)?)?;
    Ok(())
}
