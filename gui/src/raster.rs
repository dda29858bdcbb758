//! A small software renderer for egui's tessellated output: what the
//! chart draws, turned into pixels without a GPU, at any size — for
//! saving the chart as PNG.
//!
//! egui tessellates every shape into triangles with a colour at each
//! vertex (premultiplied alpha) and a position in the font atlas (text;
//! solid shapes sample its white texel). Anti-aliasing is already in the
//! triangles (a feathered rim whose alpha falls to zero), so a plain
//! triangle fill with interpolated colours gives egui's look. Blending is
//! premultiplied "over", in the same gamma-encoded space as egui's own
//! renderers.

use egui::epaint::{ClippedPrimitive, Primitive};
use egui::{Color32, ColorImage, Rect, TextureId};

/// An RGBA image being painted, premultiplied, row by row from the top.
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    /// Premultiplied RGBA, 0..=1.
    pixels: Vec<[f32; 4]>,
}

impl Canvas {
    /// A canvas filled with `background`.
    pub fn new(width: usize, height: usize, background: Color32) -> Self {
        Canvas {
            width,
            height,
            pixels: vec![premultiplied(background); width * height],
        }
    }

    /// Paints egui's primitives (meshes with the font atlas as their
    /// texture) at `pixels_per_point`. Callbacks and other textures are
    /// left out: the chart uses neither.
    pub fn paint(
        &mut self,
        primitives: &[ClippedPrimitive],
        font_atlas: &ColorImage,
        pixels_per_point: f32,
    ) {
        for primitive in primitives {
            let Primitive::Mesh(mesh) = &primitive.primitive else {
                continue;
            };
            if mesh.texture_id != TextureId::default() {
                continue;
            }
            let clip = scaled(primitive.clip_rect, pixels_per_point);
            for triangle in mesh.indices.chunks_exact(3) {
                let [a, b, c] = [0, 1, 2].map(|k| &mesh.vertices[triangle[k] as usize]);
                self.triangle([a, b, c], clip, font_atlas, pixels_per_point);
            }
        }
    }

    fn triangle(
        &mut self,
        vertices: [&egui::epaint::Vertex; 3],
        clip: Rect,
        atlas: &ColorImage,
        pixels_per_point: f32,
    ) {
        let p = vertices.map(|v| [v.pos.x * pixels_per_point, v.pos.y * pixels_per_point]);
        let area = edge(p[0], p[1], p[2]);
        if area == 0.0 || !area.is_finite() {
            return;
        }
        let x0 = p
            .iter()
            .map(|q| q[0])
            .fold(f32::INFINITY, f32::min)
            .max(clip.min.x)
            .max(0.0);
        let x1 = p
            .iter()
            .map(|q| q[0])
            .fold(f32::NEG_INFINITY, f32::max)
            .min(clip.max.x)
            .min(self.width as f32);
        let y0 = p
            .iter()
            .map(|q| q[1])
            .fold(f32::INFINITY, f32::min)
            .max(clip.min.y)
            .max(0.0);
        let y1 = p
            .iter()
            .map(|q| q[1])
            .fold(f32::NEG_INFINITY, f32::max)
            .min(clip.max.y)
            .min(self.height as f32);
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let colours = vertices.map(|v| premultiplied(v.color));
        let uvs = vertices.map(|v| [v.uv.x, v.uv.y]);
        // Pixel centres on an edge shared by two triangles belong to one
        // of them only (the top-left rule), so a translucent fill made of
        // many triangles is blended once everywhere.
        let owns = |w: f32, from: [f32; 2], to: [f32; 2]| {
            let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
            let top_left = if area > 0.0 {
                dy < 0.0 || (dy == 0.0 && dx > 0.0)
            } else {
                dy > 0.0 || (dy == 0.0 && dx < 0.0)
            };
            w > 0.0 || (w == 0.0 && top_left)
        };
        for y in (y0.floor() as usize)..(y1.ceil() as usize).min(self.height) {
            let py = y as f32 + 0.5;
            for x in (x0.floor() as usize)..(x1.ceil() as usize).min(self.width) {
                let q = [x as f32 + 0.5, py];
                // Barycentric weights: all ≥ 0 inside, either orientation.
                let w0 = edge(p[1], p[2], q) / area;
                let w1 = edge(p[2], p[0], q) / area;
                let w2 = edge(p[0], p[1], q) / area;
                if !(owns(w0, p[1], p[2]) && owns(w1, p[2], p[0]) && owns(w2, p[0], p[1])) {
                    continue;
                }
                if !clip.contains(egui::pos2(q[0], q[1])) {
                    continue;
                }
                let colour: [f32; 4] = std::array::from_fn(|k| {
                    w0 * colours[0][k] + w1 * colours[1][k] + w2 * colours[2][k]
                });
                let uv = [
                    w0 * uvs[0][0] + w1 * uvs[1][0] + w2 * uvs[2][0],
                    w0 * uvs[0][1] + w1 * uvs[1][1] + w2 * uvs[2][1],
                ];
                let texel = sample(atlas, uv);
                let source: [f32; 4] = std::array::from_fn(|k| colour[k] * texel[k]);
                let target = &mut self.pixels[y * self.width + x];
                let keep = 1.0 - source[3];
                for k in 0..4 {
                    target[k] = source[k] + target[k] * keep;
                }
            }
        }
    }

    /// The image as straight-alpha RGBA bytes, row by row from the top.
    pub fn rgba(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.pixels.len() * 4);
        for &[r, g, b, a] in &self.pixels {
            let straight = |c: f32| {
                if a > 0.0 {
                    (c / a).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            };
            for c in [straight(r), straight(g), straight(b), a.clamp(0.0, 1.0)] {
                bytes.push((c * 255.0).round() as u8);
            }
        }
        bytes
    }

    /// Writes the image as an 8-bit RGBA PNG.
    pub fn write_png(&self, out: impl std::io::Write) -> Result<(), png::EncodingError> {
        let mut encoder = png::Encoder::new(out, self.width as u32, self.height as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.rgba())?;
        writer.finish()
    }
}

/// Twice the signed area of the triangle a, b, q.
fn edge(a: [f32; 2], b: [f32; 2], q: [f32; 2]) -> f32 {
    (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0])
}

fn premultiplied(colour: Color32) -> [f32; 4] {
    // Color32 is premultiplied already.
    colour.to_array().map(|c| f32::from(c) / 255.0)
}

fn scaled(rect: Rect, pixels_per_point: f32) -> Rect {
    Rect::from_min_max(
        (rect.min.to_vec2() * pixels_per_point).to_pos2(),
        (rect.max.to_vec2() * pixels_per_point).to_pos2(),
    )
}

/// The atlas at `uv` (0..1), bilinear.
fn sample(atlas: &ColorImage, [u, v]: [f32; 2]) -> [f32; 4] {
    let [w, h] = atlas.size;
    if w == 0 || h == 0 {
        return [1.0; 4];
    }
    let x = (u * w as f32 - 0.5).clamp(0.0, (w - 1) as f32);
    let y = (v * h as f32 - 0.5).clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |x: usize, y: usize| premultiplied(atlas.pixels[y * w + x]);
    let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    std::array::from_fn(|k| {
        let top = a[k] * (1.0 - fx) + b[k] * fx;
        let bottom = c[k] * (1.0 - fx) + d[k] * fx;
        top * (1.0 - fy) + bottom * fy
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{Mesh, Vertex};
    use egui::{Pos2, pos2};

    fn white_atlas() -> ColorImage {
        ColorImage::filled([1, 1], Color32::WHITE)
    }

    fn square(colour: Color32, min: Pos2, max: Pos2) -> ClippedPrimitive {
        let mut mesh = Mesh::default();
        for pos in [min, pos2(max.x, min.y), max, pos2(min.x, max.y)] {
            mesh.vertices.push(Vertex {
                pos,
                uv: pos2(0.0, 0.0),
                color: colour,
            });
        }
        mesh.indices = vec![0, 1, 2, 0, 2, 3];
        ClippedPrimitive {
            clip_rect: Rect::EVERYTHING,
            primitive: Primitive::Mesh(mesh),
        }
    }

    #[test]
    fn a_square_of_two_triangles_is_filled_once() {
        let mut canvas = Canvas::new(8, 8, Color32::WHITE);
        // Half-transparent black: a pixel blended twice would be darker.
        let half = Color32::from_black_alpha(128);
        canvas.paint(
            &[square(half, pos2(2.0, 2.0), pos2(6.0, 6.0))],
            &white_atlas(),
            1.0,
        );
        let rgba = canvas.rgba();
        let pixel = |x: usize, y: usize| &rgba[(y * 8 + x) * 4..(y * 8 + x) * 4 + 4];
        assert_eq!(pixel(0, 0), [255, 255, 255, 255]);
        // Every pixel inside, the diagonal's too, blended once.
        for (x, y) in [(2, 2), (3, 3), (4, 4), (5, 2), (2, 5), (5, 5)] {
            assert_eq!(pixel(x, y), [127, 127, 127, 255], "({x}, {y})");
        }
        assert_eq!(pixel(6, 6), [255, 255, 255, 255]);
    }

    #[test]
    fn clip_rects_and_pixels_per_point_are_honoured() {
        let mut canvas = Canvas::new(8, 8, Color32::WHITE);
        let mut clipped = square(Color32::BLACK, pos2(0.0, 0.0), pos2(4.0, 4.0));
        clipped.clip_rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 4.0));
        canvas.paint(&[clipped], &white_atlas(), 2.0);
        let rgba = canvas.rgba();
        let red = |x: usize, y: usize| rgba[(y * 8 + x) * 4];
        assert_eq!((red(0, 0), red(1, 7)), (0, 0));
        assert_eq!(red(2, 0), 255, "outside the clip rect");
        let mut png = Vec::new();
        canvas.write_png(&mut png).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
}
