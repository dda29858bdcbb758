//! `magvar-gui --measure-frames N`: the window's own frame rate, for
//! BENCHMARKS.md. The chart pans a point a frame (so that every frame
//! draws everything anew) and the time between frames is measured as the
//! window sees it, presentation included; after N frames the median and
//! the slowest tenth are printed and the window closes.

use crate::app::MagvarApp;
use std::time::{Duration, Instant};

/// Frames at the start left out: shaders compile, land is triangulated.
const WARM_UP_FRAMES: usize = 20;

pub struct FrameMeasure {
    frames: usize,
    last: Option<Instant>,
    intervals: Vec<Duration>,
}

impl FrameMeasure {
    pub fn new(frames: usize) -> Self {
        FrameMeasure {
            frames,
            last: None,
            intervals: Vec::with_capacity(frames + WARM_UP_FRAMES),
        }
    }

    /// One frame: records the time since the last, nudges the view and
    /// asks for the next frame; true when done (the result printed).
    pub fn frame(&mut self, ctx: &egui::Context, app: &mut MagvarApp) -> bool {
        let now = Instant::now();
        if let Some(last) = self.last {
            self.intervals.push(now - last);
        }
        self.last = Some(now);
        let nudge = if self.intervals.len() % 2 == 0 {
            0.01
        } else {
            -0.01
        };
        app.view.center_lon_deg += nudge;
        ctx.request_repaint();
        if self.intervals.len() < self.frames + WARM_UP_FRAMES {
            return false;
        }
        let mut measured = self.intervals[WARM_UP_FRAMES..].to_vec();
        measured.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let size = ctx.content_rect().size();
        println!(
            "{} frames at {}×{}: median {:.1} ms, 90th percentile {:.1} ms",
            measured.len(),
            size.x,
            size.y,
            ms(measured[measured.len() / 2]),
            ms(measured[measured.len() * 9 / 10]),
        );
        true
    }
}
