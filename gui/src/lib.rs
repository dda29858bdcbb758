//! magvar-gui: the declination chart on the desktop. The state lives in
//! [`MagvarApp`]; the modules below draw it and turn input into calls to
//! its methods, so tests (egui_kittest) drive the same code as the window.

#![forbid(unsafe_code)]

pub mod app;
pub mod chart;
pub mod contours_worker;
pub mod controls;
pub mod land;
pub mod layout;
pub mod panel;
pub mod projection;
pub mod search;
pub mod settings;

pub use app::MagvarApp;
pub use settings::Settings;
