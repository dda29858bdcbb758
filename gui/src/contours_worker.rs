//! Isolines computed off the UI thread.
//!
//! The chart asks for the lines of a region at a date; one worker thread
//! computes the grid and its contours with magvar-core and sends them
//! back. Requests that pile up while it works are skipped: only the newest
//! matters (dragging the date slider sends one per frame). The chart keeps
//! drawing the last lines it got until the new ones arrive.

use crate::projection::GeoBounds;
use magvar_core::contours::levels;
use magvar_core::{ContourLine, Element, GridSpec, ModelChoice, contour_lines};
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

    fn element(self) -> Option<Element> {
        match self {
            Overlay::None => None,
            Overlay::Inclination => Some(Element::Inclination),
            Overlay::TotalIntensity => Some(Element::Total),
        }
    }
}

/// Everything the lines depend on; a new request is sent when this changes.
#[derive(Debug, Clone)]
pub struct ContourRequest {
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
}

impl ContourRequest {
    /// Whether two requests give the same lines (models compared by name,
    /// as a loaded file replaces the choice anyway).
    pub fn same_as(&self, other: &ContourRequest) -> bool {
        self.year == other.year
            && self.altitude_km == other.altitude_km
            && self.region == other.region
            && self.grid_step_deg == other.grid_step_deg
            && self.declination_step_deg == other.declination_step_deg
            && self.overlay == other.overlay
            && model_key(&self.model) == model_key(&other.model)
    }
}

fn model_key(choice: &ModelChoice) -> String {
    match choice {
        ModelChoice::Auto => "auto".to_string(),
        ModelChoice::Builtin(builtin) => builtin.id().to_string(),
        ModelChoice::Loaded(model) => format!("file:{}:{}", model.name(), model.source()),
    }
}

/// The lines of one request.
#[derive(Debug, Clone)]
pub struct ContourSet {
    pub request: ContourRequest,
    pub declination: Vec<ContourLine>,
    /// Lines of `request.overlay`, each with its value in degrees or nT.
    pub overlay: Vec<ContourLine>,
    pub compute_time: Duration,
}

/// Spacing of the overlay's lines for a view as detailed as a declination
/// spacing of `declination_step_deg`.
fn overlay_step(overlay: Overlay, declination_step_deg: f64) -> f64 {
    match overlay {
        Overlay::TotalIntensity => declination_step_deg * 500.0,
        Overlay::None | Overlay::Inclination => declination_step_deg,
    }
}

/// Lines stop at this latitude, north and south, as NOAA's charts do:
/// isogonic lines all meet at the geographic poles and crowd into a dark
/// blot near them, and a compass is of no use there anyway.
pub const LINE_LATITUDE_LIMIT_DEG: f64 = 85.0;

/// Computes the lines of a request (on the calling thread).
pub fn compute(request: ContourRequest) -> ContourSet {
    let started = Instant::now();
    let region = request.region;
    let model = request.model.model_for(request.year);
    let (declination, overlay) = match GridSpec::new(
        region.west_deg,
        region.south_deg.max(-LINE_LATITUDE_LIMIT_DEG),
        region.east_deg,
        region.north_deg.min(LINE_LATITUDE_LIMIT_DEG),
        request.grid_step_deg,
    ) {
        Ok(spec) => {
            let elements: Vec<Element> = [Some(Element::Declination), request.overlay.element()]
                .into_iter()
                .flatten()
                .collect();
            let grid = model.grid_of(&spec, request.altitude_km, request.year, &elements);
            let step = request.declination_step_deg;
            let declination =
                contour_lines(&grid, Element::Declination, &levels(-180.0, 180.0, step));
            let overlay = match request.overlay.element() {
                Some(element) => {
                    let values = grid
                        .values(element)
                        .iter()
                        .copied()
                        .filter(|v| v.is_finite());
                    let (lo, hi) = values
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                            (lo.min(v), hi.max(v))
                        });
                    let levels = levels(lo, hi, overlay_step(request.overlay, step));
                    contour_lines(&grid, element, &levels)
                }
                None => Vec::new(),
            };
            (declination, overlay)
        }
        // The chart only asks for regions on the globe; an empty result
        // (no lines) is the honest answer to anything else.
        Err(_) => (Vec::new(), Vec::new()),
    };
    ContourSet {
        request,
        declination,
        overlay,
        compute_time: started.elapsed(),
    }
}

/// The worker thread and the two channels to it.
pub struct ContourWorker {
    requests: Sender<ContourRequest>,
    results: Receiver<ContourSet>,
}

impl ContourWorker {
    /// Starts the thread. `repaint` is the UI's context, woken when lines arrive.
    pub fn start(repaint: Option<egui::Context>) -> std::io::Result<Self> {
        let (request_tx, request_rx) = mpsc::channel::<ContourRequest>();
        let (result_tx, result_rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("magvar-contours".into())
            .spawn(move || {
                // Ends when the app drops its sender.
                while let Ok(mut request) = request_rx.recv() {
                    while let Ok(newer) = request_rx.try_recv() {
                        request = newer;
                    }
                    if result_tx.send(compute(request)).is_err() {
                        break;
                    }
                    if let Some(ctx) = &repaint {
                        ctx.request_repaint();
                    }
                }
            })?;
        Ok(ContourWorker {
            requests: request_tx,
            results: result_rx,
        })
    }

    pub fn send(&self, request: ContourRequest) {
        // The thread only ends when this sender is dropped, so sending
        // cannot fail while `self` lives.
        let _ = self.requests.send(request);
    }

    /// The newest finished set, if any arrived since the last call.
    pub fn try_latest(&self) -> Option<ContourSet> {
        self.results.try_iter().last()
    }

    /// Waits up to `timeout` for the next finished set.
    pub fn wait(&self, timeout: Duration) -> Option<ContourSet> {
        // Timed out or the thread is gone: either way no lines came.
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
/// its size on each side, snapped outwards to multiples of `step`, and
/// kept on the globe.
pub fn region_for(visible: GeoBounds, step: f64) -> GeoBounds {
    let margin_lon = visible.width_deg() / 2.0;
    let margin_lat = (visible.north_deg - visible.south_deg) / 2.0;
    let down = |v: f64| (v / step).floor() * step;
    let up = |v: f64| (v / step).ceil() * step;
    GeoBounds {
        west_deg: down(visible.west_deg - margin_lon).max(-180.0),
        east_deg: up(visible.east_deg + margin_lon).min(180.0),
        south_deg: down(visible.south_deg - margin_lat).max(-90.0),
        north_deg: up(visible.north_deg + margin_lat).min(90.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use magvar_core::BuiltinModel;

    fn world_request(overlay: Overlay) -> ContourRequest {
        ContourRequest {
            model: ModelChoice::Builtin(BuiltinModel::Wmm2025),
            year: 2026.0,
            altitude_km: 0.0,
            region: GeoBounds::WORLD,
            grid_step_deg: 2.0,
            declination_step_deg: 10.0,
            overlay,
        }
    }

    #[test]
    fn world_lines_include_the_agonic_line_and_the_overlay() {
        let set = compute(world_request(Overlay::Inclination));
        let within_limit = |line: &magvar_core::ContourLine| {
            line.points
                .iter()
                .all(|&(_, lat)| lat.abs() <= LINE_LATITUDE_LIMIT_DEG)
        };
        assert!(set.declination.iter().chain(&set.overlay).all(within_limit));
        assert!(set.declination.iter().any(|line| line.value == 0.0));
        assert!(set.declination.iter().any(|line| line.value == -10.0));
        assert!(set.overlay.iter().any(|line| line.value == 60.0));
        assert!(compute(world_request(Overlay::None)).overlay.is_empty());
    }

    #[test]
    fn the_worker_answers_with_the_newest_request() {
        let worker = ContourWorker::start(None).unwrap();
        let mut request = world_request(Overlay::None);
        worker.send(request.clone());
        request.year = 2027.0;
        worker.send(request);
        let mut last = None;
        while let Some(set) = worker.wait(Duration::from_secs(30)) {
            let done = set.request.year == 2027.0;
            last = Some(set);
            if done {
                break;
            }
        }
        assert_eq!(last.unwrap().request.year, 2027.0);
    }

    #[test]
    fn detail_follows_the_zoom() {
        assert_eq!(declination_step_for_span(360.0), 10.0);
        assert_eq!(declination_step_for_span(90.0), 5.0);
        assert_eq!(declination_step_for_span(30.0), 2.0);
        assert_eq!(declination_step_for_span(5.0), 1.0);
        assert_eq!(grid_step_for_span(360.0), 2.0);
        assert_eq!(grid_step_for_span(10.0), 0.05);
    }

    #[test]
    fn region_covers_the_view_and_stays_on_the_globe() {
        let visible = GeoBounds {
            west_deg: 170.0,
            south_deg: 10.0,
            east_deg: 180.0,
            north_deg: 20.0,
        };
        let region = region_for(visible, 0.5);
        assert!(region.contains(&visible));
        assert_eq!(region.east_deg, 180.0);
        assert_eq!(region.west_deg, 165.0);
    }
}
