//! Where the chart looks: a projection, a centre and a zoom, and the
//! mapping between screen points and longitude/latitude that follows.
//!
//! The world repeats east and west, one [`Projection::world_width`]
//! apart, so panning past 180° goes on into the west; every screen point
//! maps back to a longitude in −180..=180.

use crate::projection::Projection;
use egui::{Pos2, Rect, Vec2};
use serde::{Deserialize, Serialize};

/// The closest zoom: about 2° of longitude across a chart 1000 points wide.
pub const MAX_ZOOM: f64 = 256.0;
/// Zoom 1 shows the whole world: the world's height or width fills the chart.
pub const MIN_ZOOM: f64 = 1.0;

/// A box of longitudes and latitudes, degrees. West may be less than
/// −180 or east more than 180 where the view shows a neighbouring world.
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

/// The view: independent of the window size, so that it is saved and
/// restored as it is, and a World view shows the whole world in any window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapView {
    pub projection: Projection,
    /// The centre's longitude, −180..180, degrees.
    pub center_lon_deg: f64,
    /// The centre's latitude, degrees.
    pub center_lat_deg: f64,
    /// 1: the whole world fits the chart; 2: half of it; …
    pub zoom: f64,
}

impl Default for MapView {
    fn default() -> Self {
        MapView {
            projection: Projection::default(),
            center_lon_deg: 0.0,
            center_lat_deg: 0.0,
            zoom: MIN_ZOOM,
        }
    }
}

/// The plane-to-screen mapping of one view in one chart rectangle.
#[derive(Debug, Clone, Copy)]
pub struct ScreenTransform {
    pub projection: Projection,
    /// Screen points per plane unit.
    pub scale: f64,
    /// The plane point at the chart's centre.
    pub center: [f64; 2],
    pub rect: Rect,
}

impl ScreenTransform {
    /// The screen point of a plane point.
    pub fn to_screen(&self, [x, y]: [f64; 2]) -> Pos2 {
        let c = self.rect.center();
        Pos2::new(
            c.x + ((x - self.center[0]) * self.scale) as f32,
            c.y - ((y - self.center[1]) * self.scale) as f32,
        )
    }

    /// The plane point under a screen point.
    pub fn to_plane(&self, pos: Pos2) -> [f64; 2] {
        let c = self.rect.center();
        [
            self.center[0] + f64::from(pos.x - c.x) / self.scale,
            self.center[1] - f64::from(pos.y - c.y) / self.scale,
        ]
    }

    /// The screen point of a longitude and latitude in the world copy
    /// nearest the chart's centre.
    pub fn geo_to_screen(&self, lon_deg: f64, lat_deg: f64) -> Pos2 {
        let [x, y] = self.projection.forward(lon_deg, lat_deg);
        let width = self.projection.world_width();
        let shift = ((self.center[0] - x) / width).round() * width;
        self.to_screen([x + shift, y])
    }

    /// The plane rectangle the chart shows: [x0, y0, x1, y1].
    pub fn visible_plane(&self) -> [f64; 4] {
        let [x0, y1] = self.to_plane(self.rect.left_top());
        let [x1, y0] = self.to_plane(self.rect.right_bottom());
        [x0, y0, x1, y1]
    }

    /// The world copies in view: the offsets (multiples of the world's
    /// width) at which something from −W/2..W/2 plus `overhang` shows.
    pub fn copies(&self, overhang: f64) -> Vec<f64> {
        let width = self.projection.world_width();
        let [x0, _, x1, _] = self.visible_plane();
        let first = ((x0 - overhang) / width - 0.5).ceil() as i64;
        let last = ((x1 + overhang) / width + 0.5).floor() as i64;
        (first..=last).map(|k| k as f64 * width).collect()
    }
}

impl MapView {
    /// The mapping for a chart of `rect`.
    pub fn transform(&self, rect: Rect) -> ScreenTransform {
        let p = self.projection;
        let fit = (f64::from(rect.width().max(1.0)) / p.world_width())
            .min(f64::from(rect.height().max(1.0)) / (2.0 * p.half_height()));
        ScreenTransform {
            projection: p,
            scale: fit * self.zoom,
            center: [
                self.center_lon_deg * p.x_per_degree(),
                p.y_of_latitude(self.center_lat_deg),
            ],
            rect,
        }
    }

    /// Degrees of longitude (on the equator) across the chart.
    pub fn span_lon_deg(&self, rect: Rect) -> f64 {
        let t = self.transform(rect);
        f64::from(rect.width()) / t.scale / self.projection.x_per_degree()
    }

    /// The screen position of a longitude and latitude (the copy nearest
    /// the centre).
    pub fn to_screen(&self, rect: Rect, lon_deg: f64, lat_deg: f64) -> Pos2 {
        self.transform(rect).geo_to_screen(lon_deg, lat_deg)
    }

    /// The (latitude, longitude) under a screen position, longitude in
    /// −180..=180 whichever copy of the world it is on; `None` off the map.
    pub fn to_geo(&self, rect: Rect, pos: Pos2) -> Option<(f64, f64)> {
        let [x, y] = self.transform(rect).to_plane(pos);
        let width = self.projection.world_width();
        let turns = (x / width).round();
        let (lon, lat) = self.projection.inverse(x - turns * width, y)?;
        Some((lat, lon))
    }

    /// The longitudes and latitudes the chart shows, for asking for lines:
    /// longitudes beyond ±180° where a neighbouring world shows; the whole
    /// width of the world's latitudes at most.
    pub fn visible_bounds(&self, rect: Rect) -> GeoBounds {
        let t = self.transform(rect);
        let [x0, y0, x1, y1] = t.visible_plane();
        let p = self.projection;
        // Equal Earth's meridians bend outwards towards the equator: the
        // widest longitude span of a row is at the latitude nearest it.
        let (south, north) = (p.latitude_of_y(y0), p.latitude_of_y(y1));
        let equatorward = if south <= 0.0 && north >= 0.0 {
            0.0
        } else if north < 0.0 {
            north
        } else {
            south
        };
        let poleward = if south.abs() > north.abs() {
            south
        } else {
            north
        };
        let per_degree = |lat: f64| p.forward(1.0, lat)[0];
        let widest = per_degree(equatorward).min(per_degree(poleward));
        GeoBounds {
            west_deg: x0 / widest,
            east_deg: x1 / widest,
            south_deg: south,
            north_deg: north,
        }
    }

    /// Moves the view by a drag of `delta` screen points (the map follows
    /// the pointer).
    pub fn pan_by(&mut self, rect: Rect, delta: Vec2) {
        let t = self.transform(rect);
        let center = t.to_plane(rect.center() - delta);
        self.set_center_plane(center);
        self.clamp(rect);
    }

    /// Zooms by `factor` (> 1 zooms in), keeping the point under `anchor` in place.
    pub fn zoom_about(&mut self, rect: Rect, factor: f64, anchor: Pos2) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let before = self.transform(rect);
        let anchored = before.to_plane(anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.transform(rect);
        // The anchor's plane point stays under the anchor.
        let c = rect.center();
        let center = [
            anchored[0] - f64::from(anchor.x - c.x) / after.scale,
            anchored[1] + f64::from(anchor.y - c.y) / after.scale,
        ];
        self.set_center_plane(center);
        self.clamp(rect);
    }

    /// Changes the projection, keeping the centre and zoom.
    pub fn set_projection(&mut self, projection: Projection, rect: Rect) {
        self.projection = projection;
        self.clamp(rect);
    }

    fn set_center_plane(&mut self, [x, y]: [f64; 2]) {
        self.center_lon_deg = wrap_longitude(x / self.projection.x_per_degree());
        self.center_lat_deg = self.projection.latitude_of_y(y);
    }

    /// Keeps the view valid: finite values, the zoom within its limits,
    /// the longitude in −180..180 and the chart's top and bottom on the
    /// map where the map is taller than the chart (centred where it is
    /// not), also after restoring a view saved by another version.
    pub fn clamp(&mut self, rect: Rect) {
        let finite_or = |value: f64, default: f64| if value.is_finite() { value } else { default };
        self.zoom = finite_or(self.zoom, MIN_ZOOM).clamp(MIN_ZOOM, MAX_ZOOM);
        self.center_lon_deg = wrap_longitude(finite_or(self.center_lon_deg, 0.0));
        let limit = self.projection.max_latitude_deg();
        self.center_lat_deg = finite_or(self.center_lat_deg, 0.0).clamp(-limit, limit);
        let t = self.transform(rect);
        let half_view = f64::from(rect.height()) / 2.0 / t.scale;
        let room = self.projection.half_height() - half_view;
        let y = t.center[1].clamp(-room.max(0.0), room.max(0.0));
        self.center_lat_deg = self.projection.latitude_of_y(y);
    }
}

/// A longitude in −180..180.
pub fn wrap_longitude(lon_deg: f64) -> f64 {
    let wrapped = (lon_deg + 180.0).rem_euclid(360.0) - 180.0;
    if wrapped.is_finite() { wrapped } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Rect {
        Rect::from_min_size(Pos2::new(10.0, 20.0), Vec2::new(720.0, 360.0))
    }

    #[test]
    fn the_world_view_shows_the_whole_world_in_any_window() {
        for projection in Projection::ALL {
            for size in [
                Vec2::new(720.0, 360.0),
                Vec2::new(400.0, 900.0),
                Vec2::new(1600.0, 500.0),
            ] {
                let rect = Rect::from_min_size(Pos2::ZERO, size);
                let view = MapView {
                    projection,
                    ..MapView::default()
                };
                let limit = projection.max_latitude_deg();
                for (lon, lat) in [(-180.0, 0.0), (180.0, 0.0), (0.0, limit), (0.0, -limit)] {
                    let p = view.to_screen(rect, lon, lat);
                    assert!(
                        rect.expand(0.01).contains(p),
                        "{projection:?} {size:?} ({lon}, {lat}) at {p:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn screen_and_geo_round_trip_on_every_copy() {
        let rect = chart();
        for projection in Projection::ALL {
            let view = MapView {
                projection,
                center_lat_deg: 36.0,
                center_lon_deg: 175.0,
                zoom: 8.0,
            };
            for (lon, lat) in [(-176.29, 36.85), (170.0, 30.0), (179.9, 40.0)] {
                let pos = view.to_screen(rect, lon, lat);
                let (lat2, lon2) = view.to_geo(rect, pos).unwrap();
                assert!(
                    (lat - lat2).abs() < 1e-3 && (lon - lon2).abs() < 1e-3,
                    "{projection:?} {lon} {lat}"
                );
            }
        }
    }

    #[test]
    fn panning_a_whole_world_returns_to_the_same_view() {
        let rect = chart();
        let mut view = MapView {
            zoom: 4.0,
            center_lat_deg: 20.0,
            ..MapView::default()
        };
        let before = view;
        let world = (view.projection.world_width() * view.transform(rect).scale) as f32;
        for _ in 0..8 {
            view.pan_by(rect, Vec2::new(world / 8.0, 0.0));
        }
        assert!(
            (view.center_lon_deg - before.center_lon_deg).abs() < 1e-4, // points are f32
            "{view:?}"
        );
        assert!((view.center_lat_deg - before.center_lat_deg).abs() < 1e-9);
    }

    #[test]
    fn zoom_keeps_the_anchor_in_place_and_stays_in_limits() {
        let rect = chart();
        let mut view = MapView::default();
        let anchor = view.to_screen(rect, 10.0, 50.0);
        view.zoom_about(rect, 4.0, anchor);
        assert_eq!(view.zoom, 4.0);
        let (lat, lon) = view.to_geo(rect, anchor).unwrap();
        assert!((lat - 50.0).abs() < 1e-3 && (lon - 10.0).abs() < 1e-3);
        view.zoom_about(rect, 1e6, anchor);
        assert_eq!(view.zoom, MAX_ZOOM);
        view.zoom_about(rect, f64::NAN, anchor);
        assert_eq!(view.zoom, MAX_ZOOM);
        view.zoom_about(rect, 1e-9, anchor);
        assert_eq!(view.zoom, MIN_ZOOM);
    }

    #[test]
    fn the_chart_never_shows_beyond_the_top_or_bottom_of_the_map() {
        let rect = chart();
        let mut view = MapView {
            zoom: 3.0,
            ..MapView::default()
        };
        view.pan_by(rect, Vec2::new(0.0, 5000.0));
        let t = view.transform(rect);
        let [_, _, _, top] = t.visible_plane();
        assert!((top - view.projection.half_height()).abs() < 1e-9);
        // A view saved with nonsense is made valid.
        let mut bad = MapView {
            center_lon_deg: f64::NAN,
            center_lat_deg: 400.0,
            zoom: f64::INFINITY,
            ..MapView::default()
        };
        bad.clamp(rect);
        assert_eq!(bad.zoom, MIN_ZOOM);
        assert_eq!(bad.center_lon_deg, 0.0);
    }

    #[test]
    fn copies_cover_the_view() {
        let rect = Rect::from_min_size(Pos2::ZERO, Vec2::new(2000.0, 300.0));
        let view = MapView::default();
        let t = view.transform(rect);
        // A wide, low chart shows the world more than once.
        assert!(t.copies(0.0).len() >= 3, "{:?}", t.copies(0.0));
        assert_eq!(wrap_longitude(190.0), -170.0);
        assert_eq!(wrap_longitude(-180.0), -180.0);
        assert_eq!(wrap_longitude(180.0), -180.0);
    }
}
