//! The chart's view of the globe: a plate carrée (equirectangular)
//! projection, so that screen x is longitude and screen y is latitude,
//! as on NOAA's world declination charts' grid of meridians and parallels.

use egui::{Pos2, Rect, Vec2};
use serde::{Deserialize, Serialize};

/// The narrowest view, in degrees of longitude across the chart.
pub const MIN_SPAN_LON_DEG: f64 = 2.0;
/// The widest view: the whole world.
pub const MAX_SPAN_LON_DEG: f64 = 360.0;

/// A box of longitudes and latitudes, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoBounds {
    pub west_deg: f64,
    pub south_deg: f64,
    pub east_deg: f64,
    pub north_deg: f64,
}

impl GeoBounds {
    pub const WORLD: GeoBounds = GeoBounds {
        west_deg: -180.0,
        south_deg: -90.0,
        east_deg: 180.0,
        north_deg: 90.0,
    };

    pub fn width_deg(&self) -> f64 {
        self.east_deg - self.west_deg
    }

    pub fn contains(&self, other: &GeoBounds) -> bool {
        self.west_deg <= other.west_deg
            && self.east_deg >= other.east_deg
            && self.south_deg <= other.south_deg
            && self.north_deg >= other.north_deg
    }
}

/// Where the chart looks and how closely: the centre and the span of
/// longitude shown across the chart's width. Independent of the window
/// size, so that it can be saved and restored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub center_lat_deg: f64,
    pub center_lon_deg: f64,
    pub span_lon_deg: f64,
}

impl Default for MapView {
    fn default() -> Self {
        MapView {
            center_lat_deg: 0.0,
            center_lon_deg: 0.0,
            span_lon_deg: MAX_SPAN_LON_DEG,
        }
    }
}

impl MapView {
    /// Screen points per degree in a chart of `rect`.
    pub fn points_per_degree(&self, rect: Rect) -> f64 {
        f64::from(rect.width().max(1.0)) / self.span_lon_deg
    }

    /// The screen position of a longitude and latitude.
    pub fn to_screen(&self, rect: Rect, lon_deg: f64, lat_deg: f64) -> Pos2 {
        let scale = self.points_per_degree(rect);
        let center = rect.center();
        Pos2::new(
            center.x + ((lon_deg - self.center_lon_deg) * scale) as f32,
            center.y - ((lat_deg - self.center_lat_deg) * scale) as f32,
        )
    }

    /// The (latitude, longitude) under a screen position, or `None` off the globe.
    pub fn to_geo(&self, rect: Rect, pos: Pos2) -> Option<(f64, f64)> {
        let scale = self.points_per_degree(rect);
        let center = rect.center();
        let lon = self.center_lon_deg + f64::from(pos.x - center.x) / scale;
        let lat = self.center_lat_deg - f64::from(pos.y - center.y) / scale;
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
    }

    /// The part of the globe the chart shows.
    pub fn visible_bounds(&self, rect: Rect) -> GeoBounds {
        let scale = self.points_per_degree(rect);
        let half_width = f64::from(rect.width()) / 2.0 / scale;
        let half_height = f64::from(rect.height()) / 2.0 / scale;
        GeoBounds {
            west_deg: (self.center_lon_deg - half_width).max(-180.0),
            east_deg: (self.center_lon_deg + half_width).min(180.0),
            south_deg: (self.center_lat_deg - half_height).max(-90.0),
            north_deg: (self.center_lat_deg + half_height).min(90.0),
        }
    }

    /// Moves the view by a drag of `delta` screen points (the globe follows the pointer).
    pub fn pan_by(&mut self, rect: Rect, delta: Vec2) {
        let scale = self.points_per_degree(rect);
        self.center_lon_deg -= f64::from(delta.x) / scale;
        self.center_lat_deg += f64::from(delta.y) / scale;
        self.clamp();
    }

    /// Zooms by `factor` (> 1 zooms in), keeping the point under `anchor` in place.
    pub fn zoom_about(&mut self, rect: Rect, factor: f64, anchor: Pos2) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let before = self.points_per_degree(rect);
        let center = rect.center();
        let anchor_lon = self.center_lon_deg + f64::from(anchor.x - center.x) / before;
        let anchor_lat = self.center_lat_deg - f64::from(anchor.y - center.y) / before;
        self.span_lon_deg = (self.span_lon_deg / factor).clamp(MIN_SPAN_LON_DEG, MAX_SPAN_LON_DEG);
        let after = self.points_per_degree(rect);
        self.center_lon_deg = anchor_lon - f64::from(anchor.x - center.x) / after;
        self.center_lat_deg = anchor_lat + f64::from(anchor.y - center.y) / after;
        self.clamp();
    }

    /// Keeps the centre on the globe and the span within its limits, also
    /// after restoring a view saved by another version.
    pub fn clamp(&mut self) {
        let finite_or = |value: f64, default: f64| if value.is_finite() { value } else { default };
        self.span_lon_deg = finite_or(self.span_lon_deg, MAX_SPAN_LON_DEG)
            .clamp(MIN_SPAN_LON_DEG, MAX_SPAN_LON_DEG);
        self.center_lon_deg = finite_or(self.center_lon_deg, 0.0).clamp(-180.0, 180.0);
        self.center_lat_deg = finite_or(self.center_lat_deg, 0.0).clamp(-90.0, 90.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Rect {
        Rect::from_min_size(Pos2::new(10.0, 20.0), Vec2::new(720.0, 360.0))
    }

    #[test]
    fn world_view_maps_corners_to_the_chart_corners() {
        let view = MapView::default();
        let rect = chart();
        assert_eq!(view.to_screen(rect, -180.0, 90.0), rect.min);
        assert_eq!(view.to_screen(rect, 180.0, -90.0), rect.max);
        assert_eq!(view.visible_bounds(rect), GeoBounds::WORLD);
    }

    #[test]
    fn screen_and_geo_round_trip() {
        let view = MapView {
            center_lat_deg: 36.0,
            center_lon_deg: -76.0,
            span_lon_deg: 20.0,
        };
        let rect = chart();
        let pos = view.to_screen(rect, -76.29, 36.85);
        let (lat, lon) = view.to_geo(rect, pos).unwrap();
        assert!((lat - 36.85).abs() < 1e-4 && (lon + 76.29).abs() < 1e-4);
    }

    #[test]
    fn off_the_globe_is_none() {
        let view = MapView::default();
        assert_eq!(view.to_geo(chart(), Pos2::new(0.0, 0.0)), None);
    }

    #[test]
    fn zoom_keeps_the_anchor_in_place_and_stays_in_limits() {
        let rect = chart();
        let mut view = MapView::default();
        let anchor = view.to_screen(rect, 10.0, 50.0);
        view.zoom_about(rect, 4.0, anchor);
        assert_eq!(view.span_lon_deg, 90.0);
        let (lat, lon) = view.to_geo(rect, anchor).unwrap();
        assert!((lat - 50.0).abs() < 1e-3 && (lon - 10.0).abs() < 1e-3);
        view.zoom_about(rect, 1e6, anchor);
        assert_eq!(view.span_lon_deg, MIN_SPAN_LON_DEG);
        view.zoom_about(rect, f64::NAN, anchor);
        assert_eq!(view.span_lon_deg, MIN_SPAN_LON_DEG);
    }

    #[test]
    fn pan_follows_the_pointer() {
        let rect = chart();
        let mut view = MapView::default();
        view.pan_by(rect, Vec2::new(20.0, -10.0)); // 2 points per degree
        assert_eq!(view.center_lon_deg, -10.0);
        assert_eq!(view.center_lat_deg, -5.0);
    }
}
