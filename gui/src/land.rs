//! Natural Earth land outlines (1:110m and 1:50m), cut at the antimeridian.
//!
//! The GeoJSON files in `data/maps/` are compiled in, so the binary runs
//! from anywhere. Rings are drawn as coastlines (open polylines); a ring
//! that crosses ±180° is split there into pieces, because joining its
//! vertices at −179.9° and +179.9° would draw a streak across the chart.

use serde::Deserialize;
use std::sync::OnceLock;

const LAND_110M_GEOJSON: &str = include_str!("../../data/maps/land-110m.geojson");
const LAND_50M_GEOJSON: &str = include_str!("../../data/maps/land-50m.geojson");

/// A longitude step larger than this between two vertices is a jump
/// across the antimeridian, not a real edge.
const ANTIMERIDIAN_JUMP_DEG: f64 = 180.0;

/// Which Natural Earth scale to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LandDetail {
    /// 1:110m — the whole world or a continent.
    Coarse,
    /// 1:50m — regional views.
    Fine,
}

/// One polyline of coastline with its bounding box, for culling.
#[derive(Debug, Clone)]
pub struct CoastPiece {
    /// (longitude, latitude) in degrees.
    pub points: Vec<(f64, f64)>,
    pub west_deg: f64,
    pub south_deg: f64,
    pub east_deg: f64,
    pub north_deg: f64,
}

impl CoastPiece {
    fn new(points: Vec<(f64, f64)>) -> Self {
        let mut piece = CoastPiece {
            points,
            west_deg: f64::INFINITY,
            south_deg: f64::INFINITY,
            east_deg: f64::NEG_INFINITY,
            north_deg: f64::NEG_INFINITY,
        };
        for &(lon, lat) in &piece.points {
            piece.west_deg = piece.west_deg.min(lon);
            piece.east_deg = piece.east_deg.max(lon);
            piece.south_deg = piece.south_deg.min(lat);
            piece.north_deg = piece.north_deg.max(lat);
        }
        piece
    }

    /// Whether the piece's bounding box meets the box W, S, E, N.
    pub fn intersects(&self, west_deg: f64, south_deg: f64, east_deg: f64, north_deg: f64) -> bool {
        self.east_deg >= west_deg
            && self.west_deg <= east_deg
            && self.north_deg >= south_deg
            && self.south_deg <= north_deg
    }
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

/// The coastline pieces of a GeoJSON land file (Polygon or MultiPolygon
/// features), each ring cut where it jumps across the antimeridian.
pub fn coast_pieces_from_geojson(geojson: &str) -> Result<Vec<CoastPiece>, serde_json::Error> {
    let collection: FeatureCollection = serde_json::from_str(geojson)?;
    let mut pieces = Vec::new();
    for feature in collection.features {
        let polygons = match feature.geometry {
            Geometry::Polygon(rings) => vec![rings],
            Geometry::MultiPolygon(polygons) => polygons,
        };
        for ring in polygons.into_iter().flatten() {
            let ring: Vec<(f64, f64)> = ring.into_iter().map(|[lon, lat]| (lon, lat)).collect();
            pieces.extend(cut_at_antimeridian(&ring).into_iter().map(CoastPiece::new));
        }
    }
    Ok(pieces)
}

/// Splits a ring wherever consecutive vertices lie more than 180° of
/// longitude apart. A ring that is cut is rotated first so that it starts
/// just after a cut: otherwise its first and last pieces, which are one
/// stretch of coast, would be drawn as two.
pub fn cut_at_antimeridian(ring: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let jumps_after = |i: usize| {
        let next = (i + 1) % ring.len();
        (ring[next].0 - ring[i].0).abs() > ANTIMERIDIAN_JUMP_DEG
    };
    // GeoJSON rings repeat their first vertex at the end.
    let closed = ring.len() > 1 && ring.first() == ring.last();
    let open_len = if closed { ring.len() - 1 } else { ring.len() };
    let ring = &ring[..open_len];
    if ring.len() < 2 {
        return Vec::new();
    }
    let Some(first_cut) = (0..ring.len()).find(|&i| jumps_after(i)) else {
        let mut whole = ring.to_vec();
        whole.push(ring[0]);
        return vec![whole];
    };
    let mut pieces = Vec::new();
    let mut current = Vec::new();
    for offset in 1..=ring.len() {
        let i = (first_cut + offset) % ring.len();
        current.push(ring[i]);
        if jumps_after(i) {
            if current.len() >= 2 {
                pieces.push(std::mem::take(&mut current));
            } else {
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        pieces.push(current);
    }
    pieces
}

/// The coastlines at `detail`, parsed once per process (the 50m file takes
/// a noticeable moment in a debug build, so it is parsed only when first
/// wanted).
pub fn coastlines(detail: LandDetail) -> &'static [CoastPiece] {
    static COARSE: OnceLock<Vec<CoastPiece>> = OnceLock::new();
    static FINE: OnceLock<Vec<CoastPiece>> = OnceLock::new();
    let (cell, source) = match detail {
        LandDetail::Coarse => (&COARSE, LAND_110M_GEOJSON),
        LandDetail::Fine => (&FINE, LAND_50M_GEOJSON),
    };
    // The files are compiled in and checked by the tests; should one ever
    // fail to parse, the chart shows no land rather than stopping the app.
    cell.get_or_init(|| coast_pieces_from_geojson(source).unwrap_or_default())
}

/// Parses the 1:50m coast on a background thread, so that the first
/// zoom into a region does not stall a frame on it.
pub fn preload_fine_coast() {
    // If no thread can be started, the coast is parsed when first drawn.
    let _ = std::thread::Builder::new()
        .name("magvar-land".into())
        .spawn(|| coastlines(LandDetail::Fine));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_parse_into_many_pieces() {
        let coarse = coast_pieces_from_geojson(LAND_110M_GEOJSON).unwrap();
        let fine = coast_pieces_from_geojson(LAND_50M_GEOJSON).unwrap();
        assert!(coarse.len() >= 126, "{}", coarse.len());
        assert!(fine.len() >= 1421, "{}", fine.len());
    }

    #[test]
    fn no_piece_jumps_across_the_antimeridian() {
        for detail in [LandDetail::Coarse, LandDetail::Fine] {
            for piece in coastlines(detail) {
                for pair in piece.points.windows(2) {
                    assert!((pair[1].0 - pair[0].0).abs() <= ANTIMERIDIAN_JUMP_DEG);
                }
            }
        }
    }

    #[test]
    fn a_ring_across_the_antimeridian_becomes_two_pieces() {
        // A square from 170°E to 170°W, written as GeoJSON writes it.
        let ring = [
            (170.0, 10.0),
            (180.0, 10.0),
            (-180.0, 10.0),
            (-170.0, 10.0),
            (-170.0, 0.0),
            (-180.0, 0.0),
            (180.0, 0.0),
            (170.0, 0.0),
            (170.0, 10.0),
        ];
        let pieces = cut_at_antimeridian(&ring);
        assert_eq!(
            pieces,
            vec![
                vec![(-180.0, 10.0), (-170.0, 10.0), (-170.0, 0.0), (-180.0, 0.0)],
                vec![(180.0, 0.0), (170.0, 0.0), (170.0, 10.0), (180.0, 10.0)],
            ]
        );
    }

    #[test]
    fn a_ring_that_stays_on_one_side_is_kept_closed() {
        let ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)];
        assert_eq!(cut_at_antimeridian(&ring), vec![ring.to_vec()]);
    }
}
