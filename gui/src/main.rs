//! `magvar-gui`: opens the chart window.

#![forbid(unsafe_code)]

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("magvar — magnetic variation chart")
            .with_inner_size([1280.0, 760.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "magvar-gui",
        options,
        Box::new(|cc| Ok(Box::new(magvar_gui::MagvarApp::from_creation_context(cc)))),
    )
}
