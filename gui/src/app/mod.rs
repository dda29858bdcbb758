//! The app's state, [`MagvarApp`], and every change to it as a plain
//! method: the UI modules only draw the state and call these methods, so
//! tests can drive the app without a window.
//!
//! The inputs (model, date, altitude, marker, view) are here; the chart's
//! layers and the worker in `layers.rs`; what follows the pointer, the
//! bearing converter and the live NMEA position in `live.rs`.

mod layers;
mod live;

pub use live::{Hover, VesselState};

use crate::nmea::NmeaFeed;
use crate::plane::{PlaneLayers, PlaneTrack};
use crate::projection::Projection;
use crate::search::parse_position;
use crate::settings::{LayerChoices, SETTINGS_KEY, Settings};
use crate::view::MapView;
use crate::worker::{ChartLayers, LayerRequest, LayerWorker, Overlay, PoleTracks};
use egui::{Pos2, Rect, Vec2};
use magvar_core::{
    AltitudeUnit, BuiltinModel, DatePolicy, FieldReport, ModelChoice, Position, decimal_year,
    parse_altitude_with_default, parse_date, today_utc,
};

/// How fast "play" moves the date: the 130 years of IGRF in 26 seconds.
pub const PLAY_YEARS_PER_SECOND: f64 = 5.0;
/// Points of the declination-through-the-years plot.
const SERIES_SAMPLES: usize = 261;
/// Zoom factor of the + and − buttons and keys.
pub const BUTTON_ZOOM_FACTOR: f64 = 2.0;
/// The zoom a position found by the search box is shown at.
const SEARCH_ZOOM: f64 = 9.0;
/// The chart's size before it is first drawn (the window's usual share).
const FIRST_CHART_SIZE: Vec2 = Vec2::new(900.0, 600.0);

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

/// The whole app: choices, the marker and its field, the chart's view and layers.
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
    layer_choices: LayerChoices,
    pub panel_open: bool,
    playing: bool,
    /// The chart's rectangle when last drawn: keys and buttons zoom about its centre.
    chart_rect: Rect,
    worker: Option<LayerWorker>,
    /// The layers on the chart (kept while newer ones are computed).
    layers: Option<ChartLayers>,
    /// The layers in the plane of the projection in use.
    plane: Option<PlaneLayers>,
    /// The newest request sent to the worker and not answered yet.
    pending: Option<LayerRequest>,
    tracks: Option<PoleTracks>,
    tracks_pending: bool,
    plane_tracks: Vec<PlaneTrack>,
    /// Why there are no lines, when the worker thread could not start.
    pub worker_error: Option<String>,
    hover: Option<Hover>,
    /// The bearing converter's field: `045T`, `312M`, `100G`.
    pub bearing_input: String,
    /// Where "Save" writes, without the extension.
    pub save_path: String,
    /// The saved image's size: empty for the chart's, or `1920x1080`.
    pub save_size: String,
    /// What the last save did: the files written, or why not.
    pub save_message: Option<Result<String, String>>,
    nmea: Option<NmeaFeed>,
    pub nmea_input: String,
    pub nmea_error: Option<String>,
    /// The last fix taken from the feed, by its number.
    last_fix: u64,
    /// Woken when the worker or the feed has something new.
    repaint: Option<egui::Context>,
    /// Whether the chart paints its sea; the window leaves it to its clear
    /// colour (see `eframe::App::clear_color` below), which costs a
    /// software renderer a whole layer of pixels less each frame.
    pub paint_ocean: bool,
    /// `--measure-frames`: the frame rate being measured.
    pub measure: Option<crate::measure::FrameMeasure>,
}

impl MagvarApp {
    /// An app with `settings`; `repaint` is woken when new layers or fixes arrive.
    pub fn new(settings: Settings, repaint: Option<egui::Context>) -> Self {
        let (worker, worker_error) = match LayerWorker::start(repaint.clone()) {
            Ok(worker) => (Some(worker), None),
            Err(error) => (
                None,
                Some(format!("cannot start the chart's worker thread: {error}")),
            ),
        };
        crate::land::preload_fine_land(settings.view.projection);
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
            layer_choices: settings.layers,
            panel_open: settings.panel_open,
            playing: false,
            chart_rect: Rect::from_min_size(Pos2::ZERO, FIRST_CHART_SIZE),
            worker,
            layers: None,
            plane: None,
            pending: None,
            tracks: None,
            tracks_pending: false,
            plane_tracks: Vec::new(),
            worker_error,
            hover: None,
            bearing_input: "000T".to_string(),
            save_path: settings.save_path.clone(),
            save_size: String::new(),
            save_message: None,
            nmea: None,
            nmea_input: settings.nmea.clone(),
            nmea_error: None,
            last_fix: 0,
            repaint,
            paint_ocean: true,
            measure: None,
        };
        app.view.clamp(app.chart_rect);
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
        let mut app = Self::new(settings, Some(cc.egui_ctx.clone()));
        app.paint_ocean = false;
        app
    }

    /// The choices to save.
    pub fn settings(&self) -> Settings {
        Settings {
            model: self.model_spec.clone(),
            date: self.date_input.clone(),
            altitude: self.altitude_input.clone(),
            altitude_unit: self.altitude_unit,
            marker: self.marker(),
            view: self.view,
            overlay: self.overlay,
            layers: self.layer_choices,
            panel_open: self.panel_open,
            save_path: self.save_path.clone(),
            nmea: self.nmea_input.clone(),
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

    pub fn layer_choices(&self) -> LayerChoices {
        self.layer_choices
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
                self.view.zoom = self.view.zoom.max(SEARCH_ZOOM);
                self.view.clamp(self.chart_rect);
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
                self.tracks = None;
                self.plane_tracks.clear();
            }
            Err(error) => self.model_error = Some(format!("{spec}: {error}")),
        }
    }

    /// Reads the date field: an ISO date or date-time, a decimal year or
    /// `today`; empty means today.
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
                self.tracks = None;
                self.plane_tracks.clear();
            }
            Err(error) => self.altitude_error = Some(error.to_string()),
        }
    }

    pub fn set_overlay(&mut self, overlay: Overlay) {
        self.overlay = overlay;
    }

    pub fn set_layer_choices(&mut self, choices: LayerChoices) {
        self.layer_choices = choices;
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

    /// Zooms about the chart's centre (buttons, keys): `factor` > 1 zooms in.
    pub fn zoom_by(&mut self, factor: f64) {
        let rect = self.chart_rect;
        self.view.zoom_about(rect, factor, rect.center());
    }

    /// Moves the view by a fraction of the chart's size (the arrow keys:
    /// `(1, 0)` shows what lies a chart's width east).
    pub fn pan_by_fraction(&mut self, east: f32, north: f32) {
        let rect = self.chart_rect;
        self.view
            .pan_by(rect, Vec2::new(-east * rect.width(), north * rect.height()));
    }

    /// Shows the whole world, in the projection in use.
    pub fn reset_view(&mut self) {
        self.view = MapView {
            projection: self.view.projection,
            ..MapView::default()
        };
        self.view.clamp(self.chart_rect);
    }

    /// Draws the chart in another projection, keeping the centre and zoom.
    pub fn set_projection(&mut self, projection: Projection) {
        if projection == self.view.projection {
            return;
        }
        self.view.set_projection(projection, self.chart_rect);
        crate::land::preload_fine_land(projection);
        self.reproject();
    }

    /// Remembers where the chart is drawn (each frame).
    pub fn set_chart_rect(&mut self, rect: Rect) {
        if rect.is_positive() {
            self.chart_rect = rect;
        }
    }

    /// Saves the chart as `<save_path>.png`, at `save_size` or the chart's
    /// size; the result (the file written, or why not) goes to `save_message`.
    pub fn save_png(&mut self, ctx: &egui::Context) {
        let path = std::path::PathBuf::from(format!("{}.png", self.save_path.trim()));
        let size = if self.save_size.trim().is_empty() {
            let size = self.chart_rect.size();
            Ok([
                size.x.round().max(16.0) as u32,
                size.y.round().max(16.0) as u32,
            ])
        } else {
            crate::export::parse_image_size(&self.save_size)
        };
        self.save_message = Some(
            size.and_then(|size| crate::export::save_png(ctx, self, size, &path).map(|()| size))
                .map(|[w, h]| format!("saved {} ({w}×{h})", path.display()))
                .map_err(|e| e.to_string()),
        );
    }

    /// Saves the lines and poles in view as `<save_path>.geojson`.
    pub fn save_geojson(&mut self) {
        let path = std::path::PathBuf::from(format!("{}.geojson", self.save_path.trim()));
        self.save_message = Some(
            crate::export::save_geojson(self, self.chart_rect, &path)
                .map(|()| format!("saved {}", path.display()))
                .map_err(|e| e.to_string()),
        );
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
    /// The sea: the chart paints land, lines and paper over it.
    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        crate::chart::OCEAN.to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        crate::layout::show(ui, self);
        if let Some(mut measure) = self.measure.take() {
            if measure.frame(ui.ctx(), self) {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                self.measure = Some(measure);
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings());
    }
}

#[cfg(test)]
mod tests;
