//! What the chart draws from the field, computed off the UI thread.
//!
//! The chart asks for the layers of a region at a date: isogonic lines
//! (stopped near the dip poles), an optional overlay (isoclinic or
//! isodynamic lines), isoporic lines, the WMM's blackout and caution
//! zones and the poles. One worker thread computes them with magvar-core
//! and sends them back. Requests that pile up while it works are skipped:
//! only the newest matters (dragging the date slider sends one per frame).
//! The chart keeps drawing the last layers it got until new ones arrive.

use crate::view::GeoBounds;
use magvar_core::contours::{contour_lines_of, cut_lines_below, levels, regions_below};
use magvar_core::poles::Poles;
use magvar_core::{
    BLACKOUT_ZONE_H_NT, CAUTION_ZONE_H_NT, ContourLine, Element, GridSpec, ModelChoice, Quantity,
    is_wmm_family,
};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// A second set of isolines drawn over the isogonic ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Overlay {
    #[default]
    None,
    Inclination,
    TotalIntensity,
}

impl Overlay {
    pub const ALL: [Overlay; 3] = [Overlay::None, Overlay::Inclination, Overlay::TotalIntensity];

    pub fn label(self) -> &'static str {
        match self {
            Overlay::None => "none",
            Overlay::Inclination => "inclination",
            Overlay::TotalIntensity => "total intensity",
        }
    }

    pub fn element(self) -> Option<Element> {
        match self {
            Overlay::None => None,
            Overlay::Inclination => Some(Element::Inclination),
            Overlay::TotalIntensity => Some(Element::Total),
        }
    }
}

/// Everything the layers depend on; a new request is sent when this changes.
#[derive(Debug, Clone)]
pub struct LayerRequest {
    pub model: ModelChoice,
    pub year: f64,
    pub altitude_km: f64,
    /// The region to cover (larger than the visible area, so that panning
    /// a little needs no new lines).
    pub region: GeoBounds,
    pub grid_step_deg: f64,
    /// Spacing of the isogonic lines, degrees.
    pub declination_step_deg: f64,
    pub overlay: Overlay,
    /// Whether to draw isoporic lines (the annual change of declination).
    pub isoporic: bool,
}

impl LayerRequest {
    /// Whether two requests give the same layers (models compared by
    /// name, as a loaded file replaces the choice anyway).
    pub fn same_as(&self, other: &LayerRequest) -> bool {
        self.year == other.year
            && self.altitude_km == other.altitude_km
            && self.region == other.region
            && self.grid_step_deg == other.grid_step_deg
            && self.declination_step_deg == other.declination_step_deg
            && self.overlay == other.overlay
            && self.isoporic == other.isoporic
            && model_key(&self.model) == model_key(&other.model)
    }
}

/// A model choice's identity for comparing requests.
pub fn model_key(choice: &ModelChoice) -> String {
    match choice {
        ModelChoice::Auto => "auto".to_string(),
        ModelChoice::Builtin(builtin) => builtin.id().to_string(),
        ModelChoice::Loaded(model) => format!("file:{}:{}", model.name(), model.source()),
    }
}

/// The areas where a compass cannot be trusted, as convex polygons of
/// (longitude, latitude) degrees. Empty for models that define none.
#[derive(Debug, Clone, Default)]
pub struct CompassZones {
    /// H below 2000 nT: the compass is unreliable.
    pub blackout: Vec<Vec<(f64, f64)>>,
    /// H below 6000 nT (and not in the blackout zone's triangles' share).
    pub caution: Vec<Vec<(f64, f64)>>,
}

/// The layers of one request.
#[derive(Debug, Clone)]
pub struct ChartLayers {
    pub request: LayerRequest,
    /// The model that answers for the request's date.
    pub model_name: String,
    pub declination: Vec<ContourLine>,
    /// Lines of `request.overlay`, each with its value in degrees or nT.
    pub overlay: Vec<ContourLine>,
    /// Isoporic lines, values in degrees per year.
    pub isoporic: Vec<ContourLine>,
    pub zones: CompassZones,
    /// The poles on the date, or why they could not be found.
    pub poles: Result<Poles, String>,
    pub compute_time: Duration,
}

/// Isogonic and isoporic lines stop at this latitude, north and south, as
/// NOAA's charts do: they all meet at the geographic poles and crowd into
/// a dark blot near them, and a compass is of no use there anyway.
pub const LINE_LATITUDE_LIMIT_DEG: f64 = 85.0;

/// Every how many steps an isogonic line is a major one, drawn on into
/// the caution zone (the others stop at its edge, so that near a dip pole
/// the lines thin out instead of merging into a solid fan, as on NOAA's
/// charts); no line goes into the blackout zone.
pub const MAJOR_LINE_EVERY: f64 = 3.0;

/// Spacing of the overlay's lines for a view as detailed as a declination
/// spacing of `declination_step_deg`.
fn overlay_step(overlay: Overlay, declination_step_deg: f64) -> f64 {
    match overlay {
        Overlay::TotalIntensity => declination_step_deg * 500.0,
        Overlay::None | Overlay::Inclination => declination_step_deg,
    }
}

/// Spacing of the isoporic lines: 4′ a year on the world chart, then 2′
/// and 1′ as the chart zooms in (NOAA's isoporic charts use 2′).
pub fn isoporic_step_for(declination_step_deg: f64) -> f64 {
    let minutes = if declination_step_deg >= 10.0 {
        4.0
    } else if declination_step_deg >= 5.0 {
        2.0
    } else {
        1.0
    };
    minutes / 60.0
}

/// Whether an isogonic line of `value` is a major one (see [`MAJOR_LINE_EVERY`]).
pub fn is_major(value: f64, step: f64) -> bool {
    let major = step * MAJOR_LINE_EVERY;
    (value / major - (value / major).round()).abs() < 1e-9
}

/// Computes the layers of a request (on the calling thread); `previous`
/// poles, from a nearby date, start the pole search.
pub fn compute(request: LayerRequest, previous: Option<&Poles>) -> ChartLayers {
    let started = Instant::now();
    let region = request.region;
    let choice = request.model.clone();
    let model = choice.model_for(request.year);
    let step = request.declination_step_deg;
    let overlay_step = overlay_step(request.overlay, step);
    let isoporic_step = isoporic_step_for(step);
    let (west, east) = (region.west_deg.max(-180.0), region.east_deg.min(180.0));
    let lines_spec = GridSpec::new(
        west,
        region.south_deg.max(-LINE_LATITUDE_LIMIT_DEG),
        east,
        region.north_deg.min(LINE_LATITUDE_LIMIT_DEG),
        request.grid_step_deg,
    );
    // H to the poles: the zones reach past the lines' limit.
    let zones_spec = GridSpec::new(
        west,
        region.south_deg.max(-90.0),
        east,
        region.north_deg.min(90.0),
        request.grid_step_deg,
    );
    let mut layers = ChartLayers {
        model_name: model.name().to_string(),
        declination: Vec::new(),
        overlay: Vec::new(),
        isoporic: Vec::new(),
        zones: CompassZones::default(),
        poles: model
            .poles_near(request.year, request.altitude_km, previous)
            .map_err(|e| e.to_string()),
        compute_time: Duration::ZERO,
        request,
    };
    let request = &layers.request;
    // The chart only asks for regions on the globe; no lines is the
    // honest answer to anything else.
    if let (Ok(lines_spec), Ok(zones_spec)) = (lines_spec, zones_spec) {
        let mut quantities = vec![Quantity::Declination];
        if let Some(element) = request.overlay.element() {
            quantities.push(Quantity::value_of(element));
        }
        if request.isoporic {
            quantities.push(Quantity::DeclinationRate);
        }
        let grid =
            model.grid_of_quantities(&lines_spec, request.altitude_km, request.year, &quantities);
        let h_grid = model.grid_of_quantities(
            &zones_spec,
            request.altitude_km,
            request.year,
            &[Quantity::Horizontal],
        );
        let lines_of = |quantity: Quantity, step: f64| {
            let (lo, hi) = value_range(grid.band(quantity).unwrap_or_default());
            contour_lines_of(&grid, quantity, &levels(lo, hi, step)).unwrap_or_default()
        };
        let cut = |lines: &[ContourLine], level: f64| {
            cut_lines_below(lines, &h_grid, Quantity::Horizontal, level).unwrap_or_default()
        };
        let (major, minor): (Vec<ContourLine>, Vec<ContourLine>) =
            contour_lines_of(&grid, Quantity::Declination, &levels(-180.0, 180.0, step))
                .unwrap_or_default()
                .into_iter()
                .partition(|line| is_major(line.value, step));
        // Major lines first: the chart draws and labels them in this order.
        layers.declination = cut(&major, BLACKOUT_ZONE_H_NT);
        layers.declination.extend(cut(&minor, CAUTION_ZONE_H_NT));
        if let Some(element) = request.overlay.element() {
            layers.overlay = lines_of(Quantity::value_of(element), overlay_step);
        }
        if request.isoporic {
            // Near the dip poles the annual change runs to degrees: the
            // lines stop at the caution zone, as the isogonic ones do.
            layers.isoporic = cut(
                &lines_of(Quantity::DeclinationRate, isoporic_step),
                CAUTION_ZONE_H_NT,
            );
        }
        if is_wmm_family(model.name()) {
            let below =
                |level| regions_below(&h_grid, Quantity::Horizontal, level).unwrap_or_default();
            layers.zones = CompassZones {
                blackout: below(BLACKOUT_ZONE_H_NT),
                caution: below(CAUTION_ZONE_H_NT),
            };
        }
    }
    layers.compute_time = started.elapsed();
    layers
}

/// The smallest and largest finite values.
fn value_range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// The poles of every year of a model choice's validity, each from the
/// model that answers for it: the dip poles' wandering since 1900.
#[derive(Debug, Clone)]
pub struct PoleTracks {
    pub model_key: String,
    pub altitude_km: f64,
    pub rows: Vec<Poles>,
}

/// Computes the tracks (on the calling thread).
pub fn compute_tracks(model: &ModelChoice, altitude_km: f64) -> PoleTracks {
    let (from, until) = model.valid_years();
    let mut rows: Vec<Poles> = Vec::new();
    let mut year = from;
    while year <= until + 1e-9 {
        if let Ok(poles) = model
            .model_for(year)
            .poles_near(year, altitude_km, rows.last())
        {
            rows.push(poles);
        }
        year += 1.0;
    }
    PoleTracks {
        model_key: model_key(model),
        altitude_km,
        rows,
    }
}

enum Job {
    Layers(Box<LayerRequest>),
    Tracks(ModelChoice, f64),
}

/// What the worker sends back.
pub enum Finished {
    Layers(Box<ChartLayers>),
    Tracks(PoleTracks),
}

/// The worker thread and the two channels to it.
pub struct LayerWorker {
    requests: Sender<Job>,
    results: Receiver<Finished>,
}

impl LayerWorker {
    /// Starts the thread. `repaint` is the UI's context, woken when layers arrive.
    pub fn start(repaint: Option<egui::Context>) -> std::io::Result<Self> {
        let (request_tx, request_rx) = mpsc::channel::<Job>();
        let (result_tx, result_rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("magvar-layers".into())
            .spawn(move || {
                let mut poles: Option<Poles> = None;
                // Ends when the app drops its sender.
                while let Ok(first) = request_rx.recv() {
                    // Of the jobs waiting, only the newest of each kind.
                    let (mut layers, mut tracks) = (None, None);
                    for job in std::iter::once(first).chain(request_rx.try_iter()) {
                        match job {
                            Job::Layers(request) => layers = Some(request),
                            Job::Tracks(model, altitude) => tracks = Some((model, altitude)),
                        }
                    }
                    let mut finished = Vec::new();
                    if let Some(request) = layers {
                        let set = compute(*request, poles.as_ref());
                        poles = set.poles.as_ref().ok().cloned();
                        finished.push(Finished::Layers(Box::new(set)));
                    }
                    if let Some((model, altitude)) = tracks {
                        finished.push(Finished::Tracks(compute_tracks(&model, altitude)));
                    }
                    for result in finished {
                        if result_tx.send(result).is_err() {
                            return;
                        }
                    }
                    if let Some(ctx) = &repaint {
                        ctx.request_repaint();
                    }
                }
            })?;
        Ok(LayerWorker {
            requests: request_tx,
            results: result_rx,
        })
    }

    pub fn send(&self, request: LayerRequest) {
        // The thread only ends when this sender is dropped, so sending
        // cannot fail while `self` lives.
        let _ = self.requests.send(Job::Layers(Box::new(request)));
    }

    pub fn send_tracks(&self, model: ModelChoice, altitude_km: f64) {
        let _ = self.requests.send(Job::Tracks(model, altitude_km));
    }

    /// Everything finished since the last call.
    pub fn try_finished(&self) -> Vec<Finished> {
        self.results.try_iter().collect()
    }

    /// Waits up to `timeout` for the next finished result.
    pub fn wait(&self, timeout: Duration) -> Option<Finished> {
        // Timed out or the thread is gone: either way nothing came.
        self.results.recv_timeout(timeout).ok()
    }
}

/// Isogonic line spacing for a view `span_lon_deg` wide: 10° for the
/// world, then 5°, 2° and 1° as the chart zooms in.
pub fn declination_step_for_span(span_lon_deg: f64) -> f64 {
    if span_lon_deg > 150.0 {
        10.0
    } else if span_lon_deg > 60.0 {
        5.0
    } else if span_lon_deg > 20.0 {
        2.0
    } else {
        1.0
    }
}

/// Grid spacing for a region `span_lon_deg` wide: about 250 columns, on a
/// fixed ladder so that small zoom changes reuse the same grid.
pub fn grid_step_for_span(span_lon_deg: f64) -> f64 {
    const LADDER: [f64; 7] = [2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.025];
    // The finest step that keeps within 250 columns.
    LADDER
        .into_iter()
        .rev()
        .find(|&step| span_lon_deg / step <= 250.0)
        .unwrap_or(2.0)
}

/// The region to compute for a visible area: the area widened by half
/// its size on each side, snapped outwards to multiples of `step`; the
/// whole width of the world where that crosses ±180° (the chart draws
/// each copy of the world from the same lines).
pub fn region_for(visible: GeoBounds, step: f64) -> GeoBounds {
    let margin_lon = visible.width_deg() / 2.0;
    let margin_lat = (visible.north_deg - visible.south_deg) / 2.0;
    let down = |v: f64| (v / step).floor() * step;
    let up = |v: f64| (v / step).ceil() * step;
    let (mut west, mut east) = (
        down(visible.west_deg - margin_lon),
        up(visible.east_deg + margin_lon),
    );
    if west < -180.0 || east > 180.0 {
        // Shifted by a whole turn the view may fit within one world.
        let turn = ((west + east) / 2.0 / 360.0).round() * 360.0;
        (west, east) = (west - turn, east - turn);
        if west < -180.0 || east > 180.0 {
            (west, east) = (-180.0, 180.0);
        }
    }
    GeoBounds {
        west_deg: west,
        east_deg: east,
        south_deg: down(visible.south_deg - margin_lat).max(-90.0),
        north_deg: up(visible.north_deg + margin_lat).min(90.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use magvar_core::BuiltinModel;

    fn world_request(overlay: Overlay) -> LayerRequest {
        LayerRequest {
            model: ModelChoice::Builtin(BuiltinModel::Wmm2025),
            year: 2026.0,
            altitude_km: 0.0,
            region: GeoBounds::WORLD,
            grid_step_deg: 2.0,
            declination_step_deg: 10.0,
            overlay,
            isoporic: true,
        }
    }

    #[test]
    fn world_layers_have_every_kind() {
        let set = compute(world_request(Overlay::Inclination), None);
        let within_limit = |line: &ContourLine| {
            line.points
                .iter()
                .all(|&(_, lat)| lat.abs() <= LINE_LATITUDE_LIMIT_DEG)
        };
        assert!(set.declination.iter().chain(&set.overlay).all(within_limit));
        assert!(set.declination.iter().any(|line| line.value == 0.0));
        assert!(set.declination.iter().any(|line| line.value == -10.0));
        assert!(set.overlay.iter().any(|line| line.value == 60.0));
        assert!(!set.isoporic.is_empty());
        assert!(!set.zones.blackout.is_empty() && !set.zones.caution.is_empty());
        let poles = set.poles.as_ref().unwrap();
        // Where NOAA's wmm-calculator 1.4.4 finds H = 2e-9 nT at 2026.0
        // (core/tests/reference/dip_poles_independent.csv).
        assert!((poles.north_dip.latitude_deg - 85.558_357_711_627_47).abs() < 1e-7);
        assert!((poles.north_dip.longitude_deg - 135.936_403_350_543_83).abs() < 1e-7);
        assert!(
            compute(world_request(Overlay::None), None)
                .overlay
                .is_empty()
        );
    }

    #[test]
    fn isogonic_lines_stay_out_of_the_blackout_zone_and_minor_ones_out_of_the_caution_zone() {
        let set = compute(world_request(Overlay::None), None);
        let model = BuiltinModel::Wmm2025.model();
        for line in &set.declination {
            let floor = if is_major(line.value, 10.0) {
                BLACKOUT_ZONE_H_NT
            } else {
                CAUTION_ZONE_H_NT
            };
            for &(lon, lat) in &line.points {
                let position = magvar_core::Position::geodetic(lat, lon, 0.0).unwrap();
                let h = model.elements_at(&position, 2026.0).horizontal_nt;
                // The cut is where the grid's interpolated H crosses the
                // level: within the interpolation's error of it.
                assert!(
                    h > floor * 0.8,
                    "line {} at ({lon}, {lat}): H {h}",
                    line.value
                );
            }
        }
        assert!(is_major(0.0, 10.0) && is_major(-30.0, 10.0) && !is_major(20.0, 10.0));
    }

    #[test]
    fn igrf_has_no_compass_zones() {
        let mut request = world_request(Overlay::None);
        request.model = ModelChoice::Builtin(BuiltinModel::Igrf14);
        let set = compute(request, None);
        assert!(set.zones.blackout.is_empty() && set.zones.caution.is_empty());
        assert_eq!(set.model_name, "IGRF-14");
    }

    #[test]
    fn the_worker_answers_with_the_newest_request() {
        let worker = LayerWorker::start(None).unwrap();
        let mut request = world_request(Overlay::None);
        worker.send(request.clone());
        request.year = 2027.0;
        worker.send(request);
        let mut last = None;
        while let Some(Finished::Layers(set)) = worker.wait(Duration::from_secs(30)) {
            let done = set.request.year == 2027.0;
            last = Some(set);
            if done {
                break;
            }
        }
        assert_eq!(last.unwrap().request.year, 2027.0);
    }

    #[test]
    fn tracks_cover_the_models_years() {
        let tracks = compute_tracks(&ModelChoice::Auto, 0.0);
        assert_eq!(tracks.rows.first().unwrap().date, 1900.0);
        assert_eq!(tracks.rows.last().unwrap().date, 2030.0);
        assert_eq!(tracks.rows.len(), 131);
        assert_eq!(tracks.rows[0].model, "IGRF-14");
        assert_eq!(tracks.rows[130].model, "WMM2025");
    }

    #[test]
    fn detail_follows_the_zoom() {
        assert_eq!(declination_step_for_span(360.0), 10.0);
        assert_eq!(declination_step_for_span(90.0), 5.0);
        assert_eq!(declination_step_for_span(30.0), 2.0);
        assert_eq!(declination_step_for_span(5.0), 1.0);
        assert_eq!(grid_step_for_span(360.0), 2.0);
        assert_eq!(grid_step_for_span(10.0), 0.05);
        assert_eq!(isoporic_step_for(10.0), 4.0 / 60.0);
    }

    #[test]
    fn region_covers_the_view_and_stays_on_one_world() {
        let visible = GeoBounds {
            west_deg: 170.0,
            south_deg: 10.0,
            east_deg: 180.0,
            north_deg: 20.0,
        };
        // Crossing 180°: the whole width.
        let region = region_for(visible, 0.5);
        assert_eq!((region.west_deg, region.east_deg), (-180.0, 180.0));
        assert!(region.south_deg <= 10.0 && region.north_deg >= 20.0);
        // A view of a neighbouring world is shifted back onto this one.
        let east_copy = GeoBounds {
            west_deg: 370.0,
            south_deg: 10.0,
            east_deg: 380.0,
            north_deg: 20.0,
        };
        let region = region_for(east_copy, 0.5);
        assert_eq!((region.west_deg, region.east_deg), (5.0, 25.0));
    }
}
