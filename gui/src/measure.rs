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
        let nudge_deg = if self.intervals.len().is_multiple_of(2) {
            0.01
        } else {
            -0.01
        };
        app.view.center_lon_deg += nudge_deg;
        ctx.request_repaint();
        match self.record(Instant::now()) {
            None => false,
            Some(summary) => {
                let size = ctx.content_rect().size();
                println!("{} frames at {}×{}: {summary}", self.frames, size.x, size.y);
                true
            }
        }
    }

    /// Records a frame that began at `now`; once N frames past the warm-up
    /// are in, their summary.
    pub fn record(&mut self, now: Instant) -> Option<FrameSummary> {
        if let Some(last) = self.last {
            self.intervals.push(now - last);
        }
        self.last = Some(now);
        if self.intervals.len() < self.frames + WARM_UP_FRAMES {
            return None;
        }
        let mut measured = self.intervals[WARM_UP_FRAMES..].to_vec();
        measured.sort();
        Some(FrameSummary {
            median: measured[measured.len() / 2],
            percentile_90: measured[measured.len() * 9 / 10],
        })
    }
}

/// The time between frames: the median and the 90th percentile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameSummary {
    pub median: Duration,
    pub percentile_90: Duration,
}

impl std::fmt::Display for FrameSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "median {:.1} ms, 90th percentile {:.1} ms",
            ms(self.median),
            ms(self.percentile_90)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warm_up_frames_are_left_out_and_the_percentiles_read_the_rest() {
        let mut measure = FrameMeasure::new(10);
        let start = Instant::now();
        let mut at = start;
        let mut summary = None;
        // Warm-up frames 1 s apart, then ten frames 1..=10 ms apart.
        for frame in 0..=WARM_UP_FRAMES + 10 {
            let step = if frame <= WARM_UP_FRAMES {
                Duration::from_secs(1)
            } else {
                Duration::from_millis((frame - WARM_UP_FRAMES) as u64)
            };
            at += step;
            assert!(summary.is_none(), "finished early at frame {frame}");
            summary = measure.record(at);
        }
        let summary = summary.expect("a summary after the warm-up and ten frames");
        assert_eq!(summary.median, Duration::from_millis(6));
        assert_eq!(summary.percentile_90, Duration::from_millis(10));
        assert_eq!(
            summary.to_string(),
            "median 6.0 ms, 90th percentile 10.0 ms"
        );
    }
}
