//! The chart's layers projected once into the plane of the projection in
//! use, so that a frame only scales and shifts them onto the screen.

use crate::land::{PlaneBox, bounds_of};
use crate::projection::Projection;
use crate::worker::{ChartLayers, PoleTracks};
use magvar_core::ContourLine;
use magvar_core::poles::{PolePosition, Poles, track_lines};

/// An isoline in the plane.
#[derive(Debug, Clone)]
pub struct PlaneLine {
    pub value: f64,
    pub points: Vec<[f64; 2]>,
    pub bounds: PlaneBox,
}

/// A pole in the plane, with its name as core gives it (`north_dip`, …).
#[derive(Debug, Clone, Copy)]
pub struct PlanePole {
    pub name: &'static str,
    pub position: PolePosition,
    pub at: [f64; 2],
    /// Whether the projection shows it (Mercator stops at 85°).
    pub shown: bool,
}

/// One pole's track: its lines in the plane, and (year, point) every ten years.
#[derive(Debug, Clone)]
pub struct PlaneTrack {
    pub name: &'static str,
    pub lines: Vec<PlaneLine>,
    pub decades: Vec<(f64, [f64; 2])>,
}

/// Everything the worker computed, in one projection's plane.
#[derive(Debug, Clone, Default)]
pub struct PlaneLayers {
    pub projection: Projection,
    pub declination: Vec<PlaneLine>,
    pub overlay: Vec<PlaneLine>,
    pub isoporic: Vec<PlaneLine>,
    pub blackout: Vec<Vec<[f64; 2]>>,
    pub caution: Vec<Vec<[f64; 2]>>,
    pub poles: Vec<PlanePole>,
}

fn plane_lines(lines: &[ContourLine], projection: Projection) -> Vec<PlaneLine> {
    lines
        .iter()
        .map(|line| {
            let points: Vec<[f64; 2]> = line
                .points
                .iter()
                .map(|&(lon, lat)| projection.forward(lon, lat))
                .collect();
            PlaneLine {
                value: line.value,
                bounds: bounds_of(&points),
                points,
            }
        })
        .collect()
}

fn plane_polygons(polygons: &[Vec<(f64, f64)>], projection: Projection) -> Vec<Vec<[f64; 2]>> {
    polygons
        .iter()
        .map(|polygon| {
            polygon
                .iter()
                .map(|&(lon, lat)| projection.forward(lon, lat))
                .collect()
        })
        .collect()
}

/// The poles of a date in the plane.
pub fn plane_poles(poles: &Poles, projection: Projection) -> Vec<PlanePole> {
    poles
        .named()
        .into_iter()
        .map(|(name, position)| PlanePole {
            name,
            position,
            at: projection.forward(position.longitude_deg, position.latitude_deg),
            shown: position.latitude_deg.abs() <= projection.max_latitude_deg(),
        })
        .collect()
}

impl PlaneLayers {
    pub fn new(layers: &ChartLayers, projection: Projection) -> Self {
        PlaneLayers {
            projection,
            declination: plane_lines(&layers.declination, projection),
            overlay: plane_lines(&layers.overlay, projection),
            isoporic: plane_lines(&layers.isoporic, projection),
            blackout: plane_polygons(&layers.zones.blackout, projection),
            caution: plane_polygons(&layers.zones.caution, projection),
            poles: layers
                .poles
                .as_ref()
                .map(|poles| plane_poles(poles, projection))
                .unwrap_or_default(),
        }
    }
}

/// Each pole's track in the plane, cut at ±180°, with a point every ten years.
pub fn plane_tracks(tracks: &PoleTracks, projection: Projection) -> Vec<PlaneTrack> {
    let Some(first) = tracks.rows.first() else {
        return Vec::new();
    };
    let limit = projection.max_latitude_deg();
    first
        .named()
        .into_iter()
        .enumerate()
        .map(|(k, (name, _))| {
            let positions: Vec<PolePosition> = tracks.rows.iter().map(|p| p.named()[k].1).collect();
            let lines = track_lines(&positions)
                .into_iter()
                .map(|line| {
                    let points: Vec<[f64; 2]> = line
                        .iter()
                        .filter(|[_, lat]| lat.abs() <= limit)
                        .map(|&[lon, lat]| projection.forward(lon, lat))
                        .collect();
                    PlaneLine {
                        value: 0.0,
                        bounds: bounds_of(&points),
                        points,
                    }
                })
                .filter(|line| line.points.len() >= 2)
                .collect();
            let decades = tracks
                .rows
                .iter()
                .zip(&positions)
                .filter(|(row, p)| row.date % 10.0 == 0.0 && p.latitude_deg.abs() <= limit)
                .map(|(row, p)| {
                    (
                        row.date,
                        projection.forward(p.longitude_deg, p.latitude_deg),
                    )
                })
                .collect();
            PlaneTrack {
                name,
                lines,
                decades,
            }
        })
        .collect()
}
