//! Natural Earth land (1:110m and 1:50m) as filled polygons and
//! coastlines, in each projection's plane.
//!
//! The GeoJSON files in `data/maps/` are compiled in, so the binary runs
//! from anywhere. Their rings are made continuous in longitude first: a
//! ring that jumps from +180° to −180° goes on past 180° instead (Chukotka
//! at 190°), and the chart draws the world's copies side by side, so no
//! polygon needs cutting. Antarctica's ring goes once round the globe; it
//! is closed along the pole. Edges are densified to a degree so that they
//! bend with the projection, and each polygon with its holes is
//! triangulated (earcut) in the plane it is drawn in.

use crate::projection::Projection;
use serde::Deserialize;
use std::sync::OnceLock;

const LAND_110M_GEOJSON: &str = include_str!("../../data/maps/land-110m.geojson");
const LAND_50M_GEOJSON: &str = include_str!("../../data/maps/land-50m.geojson");

/// A longitude step larger than this between two vertices is a jump
/// across the antimeridian, not a real edge.
const ANTIMERIDIAN_JUMP_DEG: f64 = 180.0;
/// The longest edge kept straight, degrees of longitude or latitude.
const DENSIFY_STEP_DEG: f64 = 1.0;

/// Which Natural Earth scale to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LandDetail {
    /// 1:110m — the whole world or a continent.
    Coarse,
    /// 1:50m — regional views.
    Fine,
}

/// A polygon of (longitude, latitude) degrees: the outer ring, then its
/// holes, none repeating its first vertex at the end; plus the coast, the
/// outer ring and holes as lines (without the closure along a pole).
#[derive(Debug, Clone)]
pub struct GeoPolygon {
    pub rings: Vec<Vec<(f64, f64)>>,
    pub coasts: Vec<Vec<(f64, f64)>>,
}

/// Points of (longitude, latitude) degrees: a ring or a line.
pub type Ring = Vec<(f64, f64)>;

/// A bounding box in the plane: [x0, y0, x1, y1].
pub type PlaneBox = [f64; 4];

/// Plane bounds of points.
pub fn bounds_of(points: &[[f64; 2]]) -> PlaneBox {
    points.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |[x0, y0, x1, y1], &[x, y]| [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
    )
}

/// One polygon's triangles: indices into [`ProjectedLand::vertices`],
/// all within `vertices`.
#[derive(Debug, Clone)]
pub struct FilledPiece {
    pub vertices: std::ops::Range<u32>,
    pub triangles: Vec<u32>,
    pub bounds: PlaneBox,
}

/// One coastline in the plane.
#[derive(Debug, Clone)]
pub struct CoastLine {
    pub points: Vec<[f64; 2]>,
    pub bounds: PlaneBox,
}

/// The land of one detail in one projection.
#[derive(Debug, Clone, Default)]
pub struct ProjectedLand {
    pub vertices: Vec<[f64; 2]>,
    pub pieces: Vec<FilledPiece>,
    pub coasts: Vec<CoastLine>,
}

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: Geometry,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

/// The polygons of a GeoJSON land file (Polygon or MultiPolygon
/// features), in −180..180: a polygon that reaches across ±180° is made
/// continuous, then cut there into its parts on either side. Densified.
pub fn polygons_from_geojson(geojson: &str) -> Result<Vec<GeoPolygon>, serde_json::Error> {
    let collection: FeatureCollection = serde_json::from_str(geojson)?;
    let mut polygons = Vec::new();
    for feature in collection.features {
        let parts = match feature.geometry {
            Geometry::Polygon(rings) => vec![rings],
            Geometry::MultiPolygon(parts) => parts,
        };
        for rings in parts {
            let mut continuous: Vec<(Ring, Ring)> = Vec::new();
            for ring in rings {
                let ring: Vec<(f64, f64)> = ring.into_iter().map(|[lon, lat]| (lon, lat)).collect();
                let Some((mut ring, mut coast)) = continuous_ring(&ring) else {
                    continue;
                };
                // A ring made continuous may have run into a neighbouring
                // world: bring each hole next to its outer ring.
                if let Some((outer, _)) = continuous.first() {
                    let turn = ((center(outer) - center(&ring)) / 360.0).round() * 360.0;
                    for point in ring.iter_mut().chain(coast.iter_mut()) {
                        point.0 += turn;
                    }
                }
                continuous.push((ring, coast));
            }
            let Some((outer, _)) = continuous.first() else {
                continue;
            };
            let (west, east) = span(outer);
            let world_of = |lon: f64| ((lon + 180.0) / 360.0).floor() as i64;
            for k in world_of(west)..=world_of(east - 1e-9) {
                let (from, to) = (-180.0 + 360.0 * k as f64, 180.0 + 360.0 * k as f64);
                let back = |points: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
                    points
                        .into_iter()
                        .map(|(lon, lat)| (lon - 360.0 * k as f64, lat))
                        .collect()
                };
                let mut rings = Vec::new();
                for (i, (ring, _)) in continuous.iter().enumerate() {
                    let clipped = clip_ring(ring, from, to);
                    if clipped.len() >= 3 {
                        rings.push(densify(&back(clipped), true));
                    } else if i == 0 {
                        break;
                    }
                }
                if rings.is_empty() {
                    continue;
                }
                let coasts = continuous
                    .iter()
                    .flat_map(|(_, coast)| cut_line(coast, from, to))
                    .map(|piece| densify(&back(piece), false))
                    .collect();
                polygons.push(GeoPolygon { rings, coasts });
            }
        }
    }
    Ok(polygons)
}

/// The westmost and eastmost longitudes of points.
fn span(points: &[(f64, f64)]) -> (f64, f64) {
    points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(w, e), p| {
            (w.min(p.0), e.max(p.0))
        })
}

fn center(points: &[(f64, f64)]) -> f64 {
    let (west, east) = span(points);
    (west + east) / 2.0
}

/// The part of a closed ring between the meridians `from` and `to`
/// (Sutherland–Hodgman, one side at a time): where the ring leaves and
/// comes back, the part follows the meridian.
pub fn clip_ring(ring: &[(f64, f64)], from: f64, to: f64) -> Vec<(f64, f64)> {
    let east_of = |limit: f64| move |lon: f64| lon >= limit;
    let west_of = |limit: f64| move |lon: f64| lon <= limit;
    let half = clip_half(ring, east_of(from), from);
    clip_half(&half, west_of(to), to)
}

fn clip_half(ring: &[(f64, f64)], keep: impl Fn(f64) -> bool, meridian: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(ring.len() + 4);
    for i in 0..ring.len() {
        let (previous, current) = (ring[(i + ring.len() - 1) % ring.len()], ring[i]);
        let crossing = || {
            let t = (meridian - previous.0) / (current.0 - previous.0);
            (meridian, previous.1 + t * (current.1 - previous.1))
        };
        match (keep(previous.0), keep(current.0)) {
            (true, true) => out.push(current),
            (true, false) => out.push(crossing()),
            (false, true) => {
                out.push(crossing());
                out.push(current);
            }
            (false, false) => {}
        }
    }
    out
}

/// The pieces of a line between the meridians `from` and `to`, each cut
/// where the line crosses one of them.
pub fn cut_line(line: &[(f64, f64)], from: f64, to: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |lon: f64| (from..=to).contains(&lon);
    let mut pieces = Vec::new();
    let mut piece: Vec<(f64, f64)> = Vec::new();
    for (i, &point) in line.iter().enumerate() {
        if i > 0 {
            let previous = line[i - 1];
            for meridian in [from, to] {
                let crosses = (previous.0 - meridian) * (point.0 - meridian) < 0.0;
                if crosses {
                    let t = (meridian - previous.0) / (point.0 - previous.0);
                    let at = (meridian, previous.1 + t * (point.1 - previous.1));
                    if inside(previous.0) {
                        piece.push(at);
                        pieces.push(std::mem::take(&mut piece));
                    } else {
                        piece.push(at);
                    }
                }
            }
        }
        if inside(point.0) {
            piece.push(point);
        }
    }
    pieces.push(piece);
    pieces.retain(|piece| piece.len() >= 2);
    pieces
}

/// A ring made continuous in longitude (each jump across ±180° undone by
/// shifting what follows a turn), as (the closed polygon ring, the coast).
/// A ring that goes round the globe once (Antarctica) is closed along the
/// nearer pole, which the coast leaves out. `None` for fewer than 3
/// vertices.
pub fn continuous_ring(ring: &[(f64, f64)]) -> Option<(Ring, Ring)> {
    // GeoJSON rings repeat their first vertex at the end.
    let closed = ring.len() > 1 && ring.first() == ring.last();
    let ring = if closed {
        &ring[..ring.len() - 1]
    } else {
        ring
    };
    if ring.len() < 3 {
        return None;
    }
    let mut offset = 0.0;
    let mut coast = Vec::with_capacity(ring.len() + 1);
    for (i, &(lon, lat)) in ring.iter().enumerate() {
        if i > 0 {
            let step = lon - ring[i - 1].0;
            if step > ANTIMERIDIAN_JUMP_DEG {
                offset -= 360.0;
            } else if step < -ANTIMERIDIAN_JUMP_DEG {
                offset += 360.0;
            }
        }
        coast.push((lon + offset, lat));
    }
    // The closing edge, back to the first vertex.
    let (first, last) = (ring[0], ring[ring.len() - 1]);
    let closing = first.0 - last.0;
    if closing > ANTIMERIDIAN_JUMP_DEG {
        offset -= 360.0;
    } else if closing < -ANTIMERIDIAN_JUMP_DEG {
        offset += 360.0;
    }
    let end = (first.0 + offset, first.1);
    coast.push(end);
    let mut polygon = coast[..coast.len() - 1].to_vec();
    if offset != 0.0 {
        // Round the globe: down to the pole at the end's longitude, along
        // the pole back to the start's.
        let mean_latitude = ring.iter().map(|p| p.1).sum::<f64>() / ring.len() as f64;
        let pole = if mean_latitude < 0.0 { -90.0 } else { 90.0 };
        polygon.push(end);
        polygon.push((end.0, pole));
        polygon.push((first.0, pole));
    }
    Some((polygon, coast))
}

/// Points added along every edge longer than [`DENSIFY_STEP_DEG`]; with
/// `closed`, also along the edge from the last point back to the first.
fn densify(points: &[(f64, f64)], closed: bool) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len());
    let edges = if closed {
        points.len()
    } else {
        points.len().saturating_sub(1)
    };
    for i in 0..edges {
        let (a, b) = (points[i], points[(i + 1) % points.len()]);
        out.push(a);
        let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / DENSIFY_STEP_DEG).ceil() as usize;
        for k in 1..steps {
            let t = k as f64 / steps as f64;
            out.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }
    if !closed && let Some(&last) = points.last() {
        out.push(last);
    }
    out
}

/// The polygons projected and triangulated.
pub fn project(polygons: &[GeoPolygon], projection: Projection) -> ProjectedLand {
    let mut land = ProjectedLand::default();
    let mut earcut = earcut::Earcut::new();
    let mut triangles: Vec<u32> = Vec::new();
    for polygon in polygons {
        let start = land.vertices.len();
        let mut holes = Vec::new();
        for (i, ring) in polygon.rings.iter().enumerate() {
            if i > 0 {
                holes.push((land.vertices.len() - start) as u32);
            }
            land.vertices
                .extend(ring.iter().map(|&(lon, lat)| projection.forward(lon, lat)));
        }
        let own = &land.vertices[start..];
        earcut.earcut(own.iter().copied(), &holes, &mut triangles);
        if triangles.is_empty() {
            continue;
        }
        land.pieces.push(FilledPiece {
            vertices: start as u32..land.vertices.len() as u32,
            triangles: triangles.iter().map(|&t| t + start as u32).collect(),
            bounds: bounds_of(own),
        });
        for coast in &polygon.coasts {
            let points: Vec<[f64; 2]> = coast
                .iter()
                .map(|&(lon, lat)| projection.forward(lon, lat))
                .collect();
            land.coasts.push(CoastLine {
                bounds: bounds_of(&points),
                points,
            });
        }
    }
    land
}

/// The land at `detail` in `projection`, made once per process (the 50m
/// land takes a noticeable moment, so it is made only when first wanted,
/// or ahead by [`preload_fine_land`]).
pub fn land(detail: LandDetail, projection: Projection) -> &'static ProjectedLand {
    static GEO: [OnceLock<Vec<GeoPolygon>>; 2] = [OnceLock::new(), OnceLock::new()];
    static PROJECTED: [[OnceLock<ProjectedLand>; 3]; 2] = [
        [OnceLock::new(), OnceLock::new(), OnceLock::new()],
        [OnceLock::new(), OnceLock::new(), OnceLock::new()],
    ];
    let (d, source) = match detail {
        LandDetail::Coarse => (0, LAND_110M_GEOJSON),
        LandDetail::Fine => (1, LAND_50M_GEOJSON),
    };
    let p = Projection::ALL
        .iter()
        .position(|&q| q == projection)
        .unwrap_or_default();
    PROJECTED[d][p].get_or_init(|| {
        // The files are compiled in and checked by the tests; should one
        // ever fail to parse, the chart shows no land rather than stopping.
        let polygons = GEO[d].get_or_init(|| polygons_from_geojson(source).unwrap_or_default());
        project(polygons, projection)
    })
}

/// Makes the 1:50m land of `projection` on a background thread, so that
/// the first zoom into a region does not stall a frame on it.
pub fn preload_fine_land(projection: Projection) {
    // If no thread can be started, the land is made when first drawn.
    let _ = std::thread::Builder::new()
        .name("magvar-land".into())
        .spawn(move || land(LandDetail::Fine, projection));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_parse_and_every_polygon_is_triangulated() {
        // The rings of the files, and the polygons cut at ±180°: Antarctica,
        // Afro-Eurasia (Chukotka), Fiji and Wrangel Island (and in 50m one
        // more) fall into two.
        for (source, rings, cut) in [(LAND_110M_GEOJSON, 126, 4), (LAND_50M_GEOJSON, 1421, 5)] {
            let polygons = polygons_from_geojson(source).unwrap();
            let count: usize = polygons.iter().map(|p| p.rings.len()).sum();
            assert!((rings..=rings + cut + 1).contains(&count), "{count}");
            let land = project(&polygons, Projection::EqualEarth);
            // Every polygon but specks too thin to hold a triangle.
            assert!(land.pieces.len() + 2 >= polygons.len());
            // None reaches past ±180°.
            let half = Projection::EqualEarth.world_width() / 2.0;
            assert!(
                land.pieces
                    .iter()
                    .all(|p| p.bounds[0] >= -half - 1e-9 && p.bounds[2] <= half + 1e-9)
            );
            assert!(land.coasts.len() + 2 >= rings);
        }
    }

    #[test]
    fn the_triangles_cover_the_land_area() {
        // Land is 29 % of the Earth's surface; Equal Earth keeps areas, so
        // the triangles' plane area over the world's tells the share.
        let land = land(LandDetail::Coarse, Projection::EqualEarth);
        let area: f64 = land
            .pieces
            .iter()
            .flat_map(|piece| piece.triangles.chunks(3))
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| land.vertices[t[k] as usize]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        let share = area / (4.0 * std::f64::consts::PI);
        assert!((0.28..0.30).contains(&share), "{share}");
    }

    #[test]
    fn no_coast_jumps_across_the_antimeridian() {
        for polygon in polygons_from_geojson(LAND_50M_GEOJSON).unwrap() {
            for coast in &polygon.coasts {
                for pair in coast.windows(2) {
                    assert!((pair[1].0 - pair[0].0).abs() <= DENSIFY_STEP_DEG + 1e-9);
                }
            }
        }
    }

    #[test]
    fn a_polygon_across_the_antimeridian_is_cut_there() {
        let geojson = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":
            {"type":"Polygon","coordinates":[[[170,10],[-170,10],[-170,0],[170,0],[170,10]]]}}]}"#;
        let polygons = polygons_from_geojson(geojson).unwrap();
        assert_eq!(polygons.len(), 2);
        for polygon in &polygons {
            let (west, east) = span(&polygon.rings[0]);
            assert!(west >= -180.0 && east <= 180.0, "{west} {east}");
            assert!((east - west - 10.0).abs() < 1e-9);
        }
        assert_eq!(
            cut_line(&[(170.0, 0.0), (190.0, 2.0)], -180.0, 180.0),
            vec![vec![(170.0, 0.0), (180.0, 1.0)]]
        );
    }

    #[test]
    fn a_ring_across_the_antimeridian_goes_on_past_it() {
        // A square from 170°E to 170°W, written as GeoJSON writes it.
        let ring = [
            (170.0, 10.0),
            (-170.0, 10.0),
            (-170.0, 0.0),
            (170.0, 0.0),
            (170.0, 10.0),
        ];
        let (polygon, coast) = continuous_ring(&ring).unwrap();
        assert_eq!(
            polygon,
            vec![(170.0, 10.0), (190.0, 10.0), (190.0, 0.0), (170.0, 0.0)]
        );
        assert_eq!(coast.last(), Some(&(170.0, 10.0)));
    }

    #[test]
    fn a_ring_round_the_globe_is_closed_along_the_pole() {
        let ring = [
            (-180.0, -70.0),
            (-60.0, -65.0),
            (60.0, -68.0),
            (179.0, -71.0),
            (-180.0, -70.0),
        ];
        let (polygon, coast) = continuous_ring(&ring).unwrap();
        assert_eq!(
            &polygon[4..],
            &[(180.0, -70.0), (180.0, -90.0), (-180.0, -90.0)]
        );
        assert_eq!(coast.len(), 5);
        assert!(continuous_ring(&[(0.0, 0.0), (1.0, 1.0)]).is_none());
    }
}
