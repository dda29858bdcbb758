//! `magvar-gui`: opens the chart window.

#![forbid(unsafe_code)]

use clap::Parser;

/// magvar's chart: click a position on the world, read the variation.
#[derive(Parser)]
#[command(name = "magvar-gui", version)]
struct Args {
    /// Follow a live position: NMEA 0183 (RMC, GGA, GLL) from
    /// udp://ADDRESS:PORT (e.g. udp://0.0.0.0:10110) or tcp://HOST:PORT
    #[arg(long, value_name = "SOURCE", value_parser = magvar_gui::nmea::parse_feed_address)]
    nmea: Option<magvar_gui::nmea::FeedAddress>,
    /// Measure the window's frame rate over N frames, print it and close
    /// (BENCHMARKS.md).
    #[arg(long, value_name = "N", hide = true)]
    measure_frames: Option<usize>,
}

fn main() -> eframe::Result {
    // A bad argument exits 2 with clap's message.
    let args = Args::parse();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("magvar — magnetic variation chart")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "magvar-gui",
        options,
        Box::new(move |cc| {
            let mut app = magvar_gui::MagvarApp::from_creation_context(cc);
            if let Some(source) = args.nmea {
                app.connect_nmea(&source.to_string());
            }
            app.measure = args
                .measure_frames
                .map(magvar_gui::measure::FrameMeasure::new);
            Ok(Box::new(app))
        }),
    )
}
