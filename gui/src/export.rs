//! Saving what the chart shows: the chart as PNG (drawn by the same code
//! as the window, rendered in software at any size), and its lines and
//! poles as GeoJSON in geographic coordinates, with the properties
//! `magvar contours` and `magvar poles` give them.

use crate::app::MagvarApp;
use crate::chart::chart_shapes;
use crate::raster::Canvas;
use crate::view::{GeoBounds, wrap_longitude};
use egui::epaint::ClippedShape;
use egui::{Pos2, Rect, Vec2};
use magvar_core::contours::{ContourFeature, line_feature};
use magvar_core::poles::{PoleFeature, pole_collection};
use magvar_core::{ContourLine, Quantity};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The largest image side, pixels: beyond it a PNG is a mistake.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(
        "image size \"{given}\": expected WIDTHxHEIGHT in pixels, e.g. 1920x1080, each 16 to {MAX_IMAGE_SIDE}"
    )]
    Size { given: String },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode {}: {source}", path.display())]
    Encode {
        path: PathBuf,
        source: png::EncodingError,
    },
    #[error("no lines to save yet: they are still being computed")]
    NoLayers,
}

/// Reads `1920x1080` (or `1920×1080`, `1920 x 1080`).
pub fn parse_image_size(text: &str) -> Result<[u32; 2], SaveError> {
    let bad = || SaveError::Size {
        given: text.to_string(),
    };
    let (w, h) = text.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (16..=MAX_IMAGE_SIDE).contains(v))
    };
    Ok([side(w).ok_or_else(bad)?, side(h).ok_or_else(bad)?])
}

/// The chart of `app` drawn at `size` pixels (one pixel a point) into a canvas.
pub fn render_chart(ctx: &egui::Context, app: &MagvarApp, size: [u32; 2]) -> Canvas {
    let rect = Rect::from_min_size(Pos2::ZERO, Vec2::new(size[0] as f32, size[1] as f32));
    let shapes: Vec<ClippedShape> = chart_shapes(ctx, app, rect)
        .into_iter()
        .map(|shape| ClippedShape {
            clip_rect: rect,
            shape,
            transform_after_tessellation: Default::default(),
        })
        .collect();
    let primitives = ctx.tessellate(shapes, 1.0);
    let atlas = ctx.fonts(|fonts| fonts.image());
    // The sea is the canvas's own colour, as it is the window's.
    let mut canvas = Canvas::new(size[0] as usize, size[1] as usize, crate::chart::OCEAN);
    canvas.paint(&primitives, &atlas, 1.0);
    canvas
}

/// Writes the chart as a PNG at `path`, whole or not at all (a temporary
/// file beside it, renamed when complete).
pub fn save_png(
    ctx: &egui::Context,
    app: &MagvarApp,
    size: [u32; 2],
    path: &Path,
) -> Result<(), SaveError> {
    let canvas = render_chart(ctx, app, size);
    write_atomically(path, |file| {
        canvas
            .write_png(std::io::BufWriter::new(file))
            .map_err(|source| match source {
                png::EncodingError::IoError(source) => SaveError::Write {
                    path: path.to_path_buf(),
                    source,
                },
                source => SaveError::Encode {
                    path: path.to_path_buf(),
                    source,
                },
            })
    })
}

/// The lines and poles in view as a GeoJSON FeatureCollection.
#[derive(Debug, Serialize)]
pub struct ViewCollection {
    #[serde(rename = "type")]
    kind: &'static str,
    pub properties: ViewProperties,
    pub features: Vec<ViewFeature>,
}

/// What the collection shows.
#[derive(Debug, Serialize)]
pub struct ViewProperties {
    pub model: String,
    /// Decimal year.
    pub date: f64,
    /// The visible area: [west, south, east, north], degrees.
    pub bbox: [f64; 4],
    /// Interval of the isogonic lines, degrees.
    pub declination_step: f64,
}

/// A line as `magvar contours` writes it, or a pole as `magvar poles` does.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ViewFeature {
    Line(ContourFeature),
    Pole(PoleFeature),
}

/// The isogonic, overlay and isoporic lines and the poles the chart of
/// `app` in `rect` shows, clipped to the visible area.
pub fn view_collection(app: &MagvarApp, rect: Rect) -> Result<ViewCollection, SaveError> {
    let layers = app.layers().ok_or(SaveError::NoLayers)?;
    let visible = app.view.visible_bounds(rect);
    let mut features = Vec::new();
    let mut add = |lines: &[ContourLine], quantity: Quantity| {
        for line in lines {
            for piece in clip_to(line, visible) {
                features.push(ViewFeature::Line(line_feature(&piece, quantity)));
            }
        }
    };
    add(&layers.declination, Quantity::Declination);
    if let Some(element) = layers.request.overlay.element() {
        add(&layers.overlay, Quantity::value_of(element));
    }
    if layers.request.isoporic {
        add(&layers.isoporic, Quantity::DeclinationRate);
    }
    if let Ok(poles) = &layers.poles {
        for pole in pole_collection(std::slice::from_ref(poles)).features {
            if let magvar_core::poles::PoleGeometry::Point([lon, lat]) = pole.geometry
                && in_view(visible, lon, lat)
            {
                features.push(ViewFeature::Pole(pole));
            }
        }
    }
    Ok(ViewCollection {
        kind: "FeatureCollection",
        properties: ViewProperties {
            model: layers.model_name.clone(),
            date: layers.request.year,
            bbox: [
                visible.west_deg.max(-180.0),
                visible.south_deg,
                visible.east_deg.min(180.0),
                visible.north_deg,
            ],
            declination_step: layers.request.declination_step_deg,
        },
        features,
    })
}

/// Writes [`view_collection`] as GeoJSON at `path`, whole or not at all.
pub fn save_geojson(app: &MagvarApp, rect: Rect, path: &Path) -> Result<(), SaveError> {
    let collection = view_collection(app, rect)?;
    write_atomically(path, |file| {
        serde_json::to_writer(std::io::BufWriter::new(file), &collection).map_err(|e| {
            SaveError::Write {
                path: path.to_path_buf(),
                source: e.into(),
            }
        })
    })
}

/// Whether a longitude and latitude lie in the visible area (whichever
/// copy of the world it shows).
fn in_view(visible: GeoBounds, lon: f64, lat: f64) -> bool {
    if !(visible.south_deg..=visible.north_deg).contains(&lat) {
        return false;
    }
    if visible.width_deg() >= 360.0 {
        return true;
    }
    [-360.0, 0.0, 360.0]
        .into_iter()
        .any(|turn| (visible.west_deg..=visible.east_deg).contains(&(lon + turn)))
}

/// The runs of a line inside the visible area, each of two points or more.
fn clip_to(line: &ContourLine, visible: GeoBounds) -> Vec<ContourLine> {
    let mut pieces = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for &(lon, lat) in &line.points {
        if in_view(visible, lon, lat) {
            current.push((wrap_longitude(lon).max(-180.0), lat));
        } else if !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
    }
    pieces.push(current);
    pieces
        .into_iter()
        .filter(|points| points.len() >= 2)
        .map(|points| ContourLine {
            value: line.value,
            closed: line.closed && points.len() == line.points.len(),
            points,
        })
        .collect()
}

/// Writes through `write` into a temporary file in `path`'s folder, then
/// renames it to `path`: a failed save leaves no half-written file.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&std::fs::File) -> Result<(), SaveError>,
) -> Result<(), SaveError> {
    let io = |source: std::io::Error| SaveError::Write {
        path: path.to_path_buf(),
        source,
    };
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temporary = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
    write(temporary.as_file())?;
    temporary.as_file().sync_all().map_err(io)?;
    temporary.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_sizes_are_read_or_refused_with_the_form_expected() {
        assert_eq!(parse_image_size("1920x1080").unwrap(), [1920, 1080]);
        assert_eq!(parse_image_size(" 800 × 600 ").unwrap(), [800, 600]);
        for bad in ["1920", "0x100", "100x99999", "wide x tall", ""] {
            let message = parse_image_size(bad).unwrap_err().to_string();
            assert!(message.contains("WIDTHxHEIGHT"), "{message}");
        }
    }

    #[test]
    fn lines_are_clipped_to_the_view() {
        let visible = GeoBounds {
            west_deg: 0.0,
            south_deg: 0.0,
            east_deg: 10.0,
            north_deg: 10.0,
        };
        let line = ContourLine {
            value: 5.0,
            points: vec![
                (-5.0, 5.0),
                (1.0, 5.0),
                (2.0, 5.0),
                (20.0, 5.0),
                (3.0, 6.0),
                (4.0, 6.0),
            ],
            closed: false,
        };
        let pieces = clip_to(&line, visible);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].points, vec![(1.0, 5.0), (2.0, 5.0)]);
        // A view of the next world east still finds the line.
        let east = GeoBounds {
            west_deg: 360.0,
            east_deg: 370.0,
            ..visible
        };
        assert_eq!(clip_to(&line, east).len(), 2);
    }
}
