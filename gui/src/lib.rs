//! magvar-gui: the declination chart on the desktop. The state lives in
//! [`MagvarApp`]; the modules below draw it and turn input into calls to
//! its methods, so tests (egui_kittest) drive the same code as the window.
//!
//! * [`projection`] and [`view`]: Mercator, Equal Earth and plate carrée,
//!   and the view (centre, zoom) that wraps round at ±180°.
//! * [`land`]: Natural Earth land, filled and outlined, per projection.
//! * [`worker`]: the field's lines, zones and poles, off the UI thread;
//!   [`plane`] keeps them projected.
//! * [`chart`], [`controls`], [`panel`], [`status`], [`layout`]: drawing.
//! * [`export`] (PNG through [`raster`], GeoJSON) and [`nmea`] (a live
//!   position).

#![forbid(unsafe_code)]

pub mod app;
pub mod chart;
pub mod controls;
pub mod export;
pub mod land;
pub mod layout;
pub mod measure;
pub mod nmea;
pub mod panel;
pub mod plane;
pub mod projection;
pub mod raster;
pub mod search;
pub mod settings;
pub mod status;
pub mod view;
pub mod worker;

pub use app::MagvarApp;
pub use settings::Settings;
