//! The app's state, [`MagvarApp`], and every change to it as a plain
//! method: the UI modules only draw the state and call these methods, so
//! tests can drive the app without a window.

use crate::contours_worker::{
    ContourRequest, ContourSet, ContourWorker, Overlay, declination_step_for_span,
    grid_step_for_span, region_for,
};
use crate::projection::{GeoBounds, MapView};
use crate::search::parse_position;
use crate::settings::{SETTINGS_KEY, Settings};
use magvar_core::{
    AltitudeUnit, BuiltinModel, DatePolicy, FieldReport, ModelChoice, Position, decimal_year,
    parse_altitude_with_default, parse_date, today_utc,
};
use std::time::Duration;

/// How fast "play" moves the date: the 130 years of IGRF in 26 seconds.
pub const PLAY_YEARS_PER_SECOND: f64 = 5.0;
/// Points of the declination-through-the-years plot.
const SERIES_SAMPLES: usize = 261;
/// Zoom factor of the + and − buttons.
pub const BUTTON_ZOOM_FACTOR: f64 = 2.0;
/// The span shown around a position found by the search box, degrees of longitude.
const SEARCH_SPAN_LON_DEG: f64 = 40.0;

/// The models offered in the model menu, by their `ModelChoice::parse` names.
pub const MODEL_MENU: [(&str, &str); 4] = [
    ("auto", "auto (WMM2025 from 2025, IGRF-14 before)"),
    ("igrf14", "IGRF-14 (1900–2030)"),
    ("wmm2025", "WMM2025 (2025–2030)"),
    ("wmmhr2025", "WMMHR2025 (2025–2030)"),
];

/// The field at the marker: the report (or why there is none) and the
/// declination through the model's years.
#[derive(Debug, Clone)]
pub struct Selection {
    pub latitude_deg: f64,
    pub longitude_deg: f64,
    pub report: Result<FieldReport, String>,
    /// (decimal year, declination in degrees).
    pub declination_series: Vec<[f64; 2]>,
}

/// The whole app: choices, the marker and its field, the chart's view and lines.
pub struct MagvarApp {
    /// The model name or file path in use.
    model_spec: String,
    model: ModelChoice,
    /// The model-file path field.
    pub model_path_input: String,
    pub model_error: Option<String>,
    /// The date field as typed.
    pub date_input: String,
    pub date_error: Option<String>,
    year: f64,
    /// The altitude field as typed, in `altitude_unit` unless it names its own unit.
    pub altitude_input: String,
    altitude_unit: AltitudeUnit,
    pub altitude_error: Option<String>,
    altitude_km: f64,
    /// The search box as typed.
    pub search_input: String,
    pub search_error: Option<String>,
    selection: Option<Selection>,
    pub view: MapView,
    overlay: Overlay,
    playing: bool,
    worker: Option<ContourWorker>,
    /// The lines on the chart (kept while newer ones are computed).
    contours: Option<ContourSet>,
    /// The newest request sent to the worker and not answered yet.
    pending: Option<ContourRequest>,
    /// Why there are no lines, when the worker thread could not start.
    pub worker_error: Option<String>,
}

impl MagvarApp {
    /// An app with `settings`; `repaint` is woken when new lines are ready.
    pub fn new(settings: Settings, repaint: Option<egui::Context>) -> Self {
        let (worker, worker_error) = match ContourWorker::start(repaint) {
            Ok(worker) => (Some(worker), None),
            Err(error) => (
                None,
                Some(format!("cannot start the contour thread: {error}")),
            ),
        };
        crate::land::preload_fine_coast();
        let (y, m, d) = today_utc();
        let mut app = MagvarApp {
            model_spec: "auto".to_string(),
            model: ModelChoice::Auto,
            model_path_input: String::new(),
            model_error: None,
            date_input: String::new(),
            date_error: None,
            year: decimal_year(y, m, d).unwrap_or(2026.0),
            altitude_input: settings.altitude.clone(),
            altitude_unit: settings.altitude_unit,
            altitude_error: None,
            altitude_km: 0.0,
            search_input: String::new(),
            search_error: None,
            selection: None,
            view: settings.view,
            overlay: settings.overlay,
            playing: false,
            worker,
            contours: None,
            pending: None,
            worker_error,
        };
        app.view.clamp();
        app.set_model(&settings.model);
        if is_file_spec(&settings.model) {
            app.model_path_input = settings.model.clone();
        }
        app.set_date_input(&settings.date);
        app.apply_altitude();
        if let Some((lat, lon)) = settings.marker {
            app.click_at(lat, lon);
        }
        app
    }

    /// The app as eframe starts it, with the settings of the last run.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>) -> Self {
        let settings = cc
            .storage
            .and_then(|storage| eframe::get_value::<Settings>(storage, SETTINGS_KEY))
            .unwrap_or_default();
        Self::new(settings, Some(cc.egui_ctx.clone()))
    }

    /// The choices to save.
    pub fn settings(&self) -> Settings {
        Settings {
            model: self.model_spec.clone(),
            date: self.date_input.clone(),
            altitude: self.altitude_input.clone(),
            altitude_unit: self.altitude_unit,
            marker: self
                .selection
                .as_ref()
                .map(|s| (s.latitude_deg, s.longitude_deg)),
            view: self.view,
            overlay: self.overlay,
        }
    }

    // ----- reading the state -----

    pub fn model_spec(&self) -> &str {
        &self.model_spec
    }

    pub fn model_choice(&self) -> &ModelChoice {
        &self.model
    }

    /// The date in use, decimal year.
    pub fn year(&self) -> f64 {
        self.year
    }

    /// The dates the date slider covers.
    pub fn valid_years(&self) -> (f64, f64) {
        self.model.valid_years()
    }

    pub fn altitude_km(&self) -> f64 {
        self.altitude_km
    }

    pub fn altitude_unit(&self) -> AltitudeUnit {
        self.altitude_unit
    }

    pub fn overlay(&self) -> Overlay {
        self.overlay
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    pub fn selection(&self) -> Option<&Selection> {
        self.selection.as_ref()
    }

    /// The marker, (latitude, longitude) degrees.
    pub fn marker(&self) -> Option<(f64, f64)> {
        self.selection
            .as_ref()
            .map(|s| (s.latitude_deg, s.longitude_deg))
    }

    pub fn contours(&self) -> Option<&ContourSet> {
        self.contours.as_ref()
    }

    /// Whether lines newer than the drawn ones are being computed.
    pub fn contours_pending(&self) -> bool {
        self.pending.is_some()
    }

    // ----- changing the state -----

    /// Places the marker at a latitude and longitude (degrees), as a click on the chart does.
    pub fn click_at(&mut self, latitude_deg: f64, longitude_deg: f64) {
        self.selection = Some(Selection {
            latitude_deg,
            longitude_deg,
            report: Err(String::new()),
            declination_series: Vec::new(),
        });
        self.refresh_selection(true);
    }

    /// Reads a position from the search box's text, places the marker
    /// there and centres the chart on it. A bad position leaves the marker
    /// where it was and sets `search_error`.
    pub fn search(&mut self, text: &str) {
        self.search_input = text.to_string();
        match parse_position(text) {
            Ok((lat, lon)) => {
                self.search_error = None;
                self.click_at(lat, lon);
                self.view.center_lat_deg = lat;
                self.view.center_lon_deg = lon;
                self.view.span_lon_deg = self.view.span_lon_deg.min(SEARCH_SPAN_LON_DEG);
                self.view.clamp();
            }
            Err(message) => self.search_error = Some(message),
        }
    }

    /// Chooses the model: a built-in name or the path of a coefficient file.
    pub fn set_model(&mut self, spec: &str) {
        let spec = spec.trim();
        match ModelChoice::parse(spec) {
            Ok(choice) => {
                self.model = choice;
                self.model_spec = spec.to_string();
                self.model_error = None;
                self.refresh_selection(true);
            }
            Err(error) => self.model_error = Some(format!("{spec}: {error}")),
        }
    }

    /// Reads the date field: an ISO date, a decimal year or `today`; empty means today.
    pub fn set_date_input(&mut self, text: &str) {
        self.date_input = text.to_string();
        let parsed = if text.trim().is_empty() {
            parse_date("today")
        } else {
            parse_date(text)
        };
        match parsed {
            Ok(year) => {
                self.year = year;
                self.date_error = None;
                self.refresh_selection(false);
            }
            Err(error) => self.date_error = Some(error.to_string()),
        }
    }

    /// Sets the date as a decimal year (the slider and play), kept within
    /// the models' validity.
    pub fn set_year(&mut self, year: f64) {
        let (from, until) = self.valid_years();
        if !year.is_finite() {
            return;
        }
        self.year = year.clamp(from, until);
        self.date_input = format!("{:.2}", self.year);
        self.date_error = None;
        self.refresh_selection(false);
    }

    /// Reads the altitude field (a number in the chosen unit, or with its own unit: `3000 ft`).
    pub fn set_altitude_input(&mut self, text: &str) {
        self.altitude_input = text.to_string();
        self.apply_altitude();
    }

    pub fn set_altitude_unit(&mut self, unit: AltitudeUnit) {
        self.altitude_unit = unit;
        self.apply_altitude();
    }

    fn apply_altitude(&mut self) {
        let text = if self.altitude_input.trim().is_empty() {
            "0"
        } else {
            self.altitude_input.as_str()
        };
        match parse_altitude_with_default(text, self.altitude_unit) {
            Ok(km) => {
                self.altitude_km = km;
                self.altitude_error = None;
                self.refresh_selection(true);
            }
            Err(error) => self.altitude_error = Some(error.to_string()),
        }
    }

    pub fn set_overlay(&mut self, overlay: Overlay) {
        self.overlay = overlay;
    }

    /// Starts or stops the animation through the years; starting at the
    /// end of the validity starts again from its beginning.
    pub fn toggle_play(&mut self) {
        self.playing = !self.playing;
        let (from, until) = self.valid_years();
        if self.playing && self.year >= until {
            self.set_year(from);
        }
    }

    /// Moves the date on by `seconds` of play; stops at the end.
    pub fn advance_animation(&mut self, seconds: f64) {
        if !self.playing {
            return;
        }
        let (_, until) = self.valid_years();
        let next = self.year + seconds * PLAY_YEARS_PER_SECOND;
        self.set_year(next);
        if next >= until {
            self.playing = false;
        }
    }

    /// Zooms about the chart's centre (buttons): `factor` > 1 zooms in.
    pub fn zoom_by(&mut self, factor: f64) {
        if factor.is_finite() && factor > 0.0 {
            self.view.span_lon_deg /= factor;
            self.view.clamp();
        }
    }

    /// Shows the whole world.
    pub fn reset_view(&mut self) {
        self.view = MapView::default();
    }

    /// Recomputes the marker's field (and, when `series_too`, its
    /// declination through the years, which does not depend on the date).
    fn refresh_selection(&mut self, series_too: bool) {
        let Some(selection) = self.selection.as_mut() else {
            return;
        };
        let position = Position::geodetic(
            selection.latitude_deg,
            selection.longitude_deg,
            self.altitude_km,
        );
        selection.report = position
            .as_ref()
            .map_err(|e| e.to_string())
            .and_then(|position| {
                self.model
                    .model_for(self.year)
                    .field(position, self.year, DatePolicy::Extrapolate)
                    .map_err(|e| e.to_string())
            });
        if series_too {
            selection.declination_series = match position {
                Ok(position) => declination_series(&self.model, &position),
                Err(_) => Vec::new(),
            };
        }
    }

    // ----- the isolines -----

    /// Asks for new lines when what is drawn no longer fits the visible
    /// area, the zoom level, the date, the altitude, the model or the
    /// overlay; picks up lines the worker has finished.
    pub fn update_contours(&mut self, visible: GeoBounds) {
        self.poll_contours();
        let wanted = self.contour_request_for(visible);
        let covered = |request: &ContourRequest| {
            let mut fitted = wanted.clone();
            fitted.region = request.region;
            request.same_as(&fitted) && request.region.contains(&visible)
        };
        let already = match (&self.pending, &self.contours) {
            (Some(pending), _) => covered(pending),
            (None, Some(shown)) => covered(&shown.request),
            (None, None) => false,
        };
        if !already && let Some(worker) = &self.worker {
            worker.send(wanted.clone());
            self.pending = Some(wanted);
        }
    }

    fn contour_request_for(&self, visible: GeoBounds) -> ContourRequest {
        let region_span = (visible.width_deg() * 2.0).min(360.0);
        let grid_step_deg = grid_step_for_span(region_span);
        ContourRequest {
            model: self.model.clone(),
            year: self.year,
            altitude_km: self.altitude_km,
            region: region_for(visible, grid_step_deg),
            grid_step_deg,
            declination_step_deg: declination_step_for_span(self.view.span_lon_deg),
            overlay: self.overlay,
        }
    }

    /// Takes the newest lines the worker has finished, if any.
    pub fn poll_contours(&mut self) {
        if let Some(set) = self.worker.as_ref().and_then(ContourWorker::try_latest) {
            self.accept(set);
        }
    }

    fn accept(&mut self, set: ContourSet) {
        if self
            .pending
            .as_ref()
            .is_some_and(|pending| pending.same_as(&set.request))
        {
            self.pending = None;
        }
        self.contours = Some(set);
    }

    /// Blocks until the lines asked for last have arrived (for tests and
    /// screenshots); false if they did not come within `timeout`.
    pub fn wait_for_contours(&mut self, timeout: Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while self.pending.is_some() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Some(set) = self.worker.as_ref().and_then(|w| w.wait(left)) else {
                return false;
            };
            self.accept(set);
        }
        true
    }
}

/// Whether a model spec names a file rather than a built-in model.
pub fn is_file_spec(spec: &str) -> bool {
    !spec.eq_ignore_ascii_case("auto") && BuiltinModel::from_id(spec).is_none()
}

/// The declination at `position` across the model choice's years, each
/// year from the model that answers for it.
fn declination_series(model: &ModelChoice, position: &Position) -> Vec<[f64; 2]> {
    let (from, until) = model.valid_years();
    (0..SERIES_SAMPLES)
        .filter_map(|i| {
            let year = from + (until - from) * i as f64 / (SERIES_SAMPLES - 1) as f64;
            let report = model
                .model_for(year)
                .field(position, year, DatePolicy::Extrapolate)
                .ok()?;
            Some([year, report.elements.declination_deg])
        })
        .collect()
}

impl eframe::App for MagvarApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        crate::layout::show(ui, self);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> MagvarApp {
        MagvarApp::new(
            Settings {
                date: "2026-11-25".into(),
                ..Settings::default()
            },
            None,
        )
    }

    fn declination(app: &MagvarApp) -> f64 {
        let report = app.selection().unwrap().report.as_ref().unwrap();
        report.elements.declination_deg
    }

    #[test]
    fn click_computes_the_field_there() {
        let mut app = app();
        app.click_at(36.85, -76.29);
        let expected = BuiltinModel::Wmm2025
            .model()
            .field(
                &Position::geodetic(36.85, -76.29, 0.0).unwrap(),
                app.year(),
                DatePolicy::Strict,
            )
            .unwrap();
        assert_eq!(declination(&app), expected.elements.declination_deg);
        let series = &app.selection().unwrap().declination_series;
        assert_eq!(series.len(), SERIES_SAMPLES);
        assert_eq!(series[0][0], 1900.0);
    }

    #[test]
    fn bad_inputs_keep_the_last_good_values_and_say_why() {
        let mut app = app();
        app.click_at(36.85, -76.29);
        let before = declination(&app);
        app.set_date_input("2026-02-30");
        assert!(app.date_error.is_some());
        app.set_altitude_input("high");
        assert!(app.altitude_error.is_some());
        app.set_model("no-such-model");
        assert!(app.model_error.is_some());
        app.search("somewhere");
        assert!(app.search_error.is_some());
        assert_eq!(declination(&app), before);
        assert_eq!(app.marker(), Some((36.85, -76.29)));
    }

    #[test]
    fn play_runs_to_the_end_of_the_validity_and_stops() {
        let mut app = app();
        app.set_model("igrf14");
        app.set_year(2029.0);
        app.toggle_play();
        app.advance_animation(1.0);
        assert_eq!(app.year(), 2030.0);
        assert!(!app.is_playing());
        app.toggle_play();
        assert_eq!(app.year(), 1900.0);
    }

    #[test]
    fn altitude_in_feet_is_converted() {
        let mut app = app();
        app.set_altitude_unit(AltitudeUnit::Feet);
        app.set_altitude_input("10000");
        assert!((app.altitude_km() - 3.048).abs() < 1e-9);
        app.set_altitude_input("2 km");
        assert_eq!(app.altitude_km(), 2.0);
    }

    #[test]
    fn contours_are_asked_for_again_only_when_needed() {
        let mut app = app();
        app.update_contours(GeoBounds::WORLD);
        assert!(app.contours_pending());
        assert!(app.wait_for_contours(Duration::from_secs(60)));
        assert!(!app.contours().unwrap().declination.is_empty());
        app.update_contours(GeoBounds::WORLD);
        assert!(!app.contours_pending());
        app.set_year(2027.5);
        app.update_contours(GeoBounds::WORLD);
        assert!(app.contours_pending());
    }

    #[test]
    fn settings_survive_a_restart() {
        let mut app = app();
        app.set_model("wmm2025");
        app.click_at(10.0, 20.0);
        app.set_overlay(Overlay::Inclination);
        let restarted = MagvarApp::new(app.settings(), None);
        assert_eq!(restarted.settings(), app.settings());
    }
}
