//! Values written along the isolines, turned with the line and kept
//! upright, never on top of one another.

use super::style::OCEAN;
use egui::epaint::TextShape;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Vec2};

/// Screen distance between labels along a line, points.
pub const LABEL_SPACING: f32 = 380.0;

/// The labels placed so far and where labels may go.
pub struct LabelPlacer {
    area: Rect,
    placed: Vec<Rect>,
}

impl LabelPlacer {
    /// Labels go inside `area` (away from the chart's edges, where the
    /// graticule is labelled).
    pub fn new(area: Rect) -> Self {
        LabelPlacer {
            area,
            placed: Vec::new(),
        }
    }

    /// Keeps a place free of labels (a marker, a legend).
    pub fn reserve(&mut self, rect: Rect) {
        self.placed.push(rect);
    }

    /// Writes `text` along the screen polyline `points` every
    /// [`LABEL_SPACING`] points where it fits, into `shapes`.
    pub fn label_line(
        &mut self,
        ctx: &egui::Context,
        shapes: &mut Vec<Shape>,
        points: &[Pos2],
        text: &str,
        color: Color32,
    ) {
        let mut next_label_at = LABEL_SPACING / 3.0;
        let mut travelled = 0.0;
        let mut galley = None;
        for pair in points.windows(2) {
            let segment = pair[1] - pair[0];
            travelled += segment.length();
            if travelled < next_label_at || !self.area.contains(pair[1]) {
                continue;
            }
            let galley = galley
                .get_or_insert_with(|| {
                    ctx.fonts_mut(|f| {
                        f.layout_no_wrap(text.to_string(), FontId::proportional(11.0), color)
                    })
                })
                .clone();
            // Along the line, never upside down.
            let mut angle = segment.y.atan2(segment.x);
            if angle > std::f32::consts::FRAC_PI_2 {
                angle -= std::f32::consts::PI;
            } else if angle < -std::f32::consts::FRAC_PI_2 {
                angle += std::f32::consts::PI;
            }
            let half = galley.size() / 2.0 + Vec2::splat(1.5);
            let rotation = egui::emath::Rot2::from_angle(angle);
            let corners = [
                Vec2::new(-half.x, -half.y),
                Vec2::new(half.x, -half.y),
                Vec2::new(half.x, half.y),
                Vec2::new(-half.x, half.y),
            ]
            .map(|corner| pair[1] + rotation * corner);
            let bounds = Rect::from_points(&corners);
            if self.placed.iter().any(|placed| placed.intersects(bounds)) {
                continue;
            }
            self.placed.push(bounds);
            shapes.push(Shape::convex_polygon(
                corners.to_vec(),
                OCEAN.gamma_multiply(0.85),
                egui::Stroke::NONE,
            ));
            let top_left = pair[1] - galley.size() / 2.0;
            shapes.push(Shape::Text(
                TextShape::new(top_left, galley, color)
                    .with_angle_and_anchor(angle, Align2::CENTER_CENTER),
            ));
            next_label_at = travelled + LABEL_SPACING;
        }
    }
}
