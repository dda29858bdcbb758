//! One grid row: from a circle's per-order sums to every element at every
//! longitude, a vector's worth of longitudes per SIMD step (eight with
//! AVX-512, four otherwise: [`crate::simd::widest_lanes`]).
//!
//! Along a row a field component is a trigonometric polynomial in
//! longitude, F(λ) = Σₘ aₘ cos mλ + bₘ sin mλ. Written about the row's
//! centre λ₀, F(λ₀ ± δ) = C(δ) ± S(δ) with C(δ) = Σₘ αₘ cos mδ and
//! S(δ) = Σₘ βₘ sin mδ, where αₘ = aₘ cos mλ₀ + bₘ sin mλ₀ and
//! βₘ = bₘ cos mλ₀ − aₘ sin mλ₀. A regular row is symmetric about its
//! centre, so one pass over the orders gives two points: half the work of
//! summing at every longitude.

use crate::derived::{ElementVectors, rotated_by_psi};
use crate::elements::GRID_VARIATION_MIN_LATITUDE_DEG;
use crate::quantity::Quantity;
use crate::simd::{FloatN, Pair, SimdFloat, WideKernel};
use crate::synthesis::CircleSums;

/// Field components summed along a row: X, Y, Z of the main field, then
/// of the secular variation.
const COMPONENTS: usize = 6;

/// The longitudes of a grid as offsets about its centre, with cos(mδ) and
/// sin(mδ) for every offset δ and order m. Shared by every row.
#[derive(Debug, Clone)]
pub(super) struct RowLayout {
    degree: usize,
    /// Offsets per side of the centre.
    half: usize,
    /// Column of offset i east of the centre: `east_start + i`; west of
    /// it: `west_start − i` (the same column for offset 0 of an odd row).
    east_start: usize,
    west_start: usize,
    /// cos mλ₀ and sin mλ₀ of the centre, by m.
    centre_cos: Vec<f64>,
    centre_sin: Vec<f64>,
    /// Offsets a group: the lanes of the kernel that will run.
    width: usize,
    /// cos mδᵢ (`width` values) then sin mδᵢ (`width` values) of one
    /// group of offsets i = g·width .. (g+1)·width, at entry
    /// `g * (degree + 1) + m` of `2 * width` values: a row's pass reads
    /// them in order.
    offset_trig: Vec<f64>,
    /// Longitude of the column at each offset east and west of the
    /// centre, degrees (for grid variation); padding repeats the last.
    east_longitudes_deg: Vec<f64>,
    west_longitudes_deg: Vec<f64>,
}

/// cos(mx) and sin(mx) for m = 0..=degree, by the angle-addition formulas.
fn multiples(x_deg: f64, degree: usize) -> impl Iterator<Item = (f64, f64)> {
    let (s1, c1) = x_deg.to_radians().sin_cos();
    (0..=degree).scan((1.0, 0.0), move |(c, s), _| {
        let current = (*c, *s);
        (*c, *s) = (*c * c1 - *s * s1, *s * c1 + *c * s1);
        Some(current)
    })
}

impl RowLayout {
    pub(super) fn new(longitudes_deg: &[f64], step_deg: f64, degree: usize) -> Self {
        let columns = longitudes_deg.len();
        let (half, east_start, west_start, first_offset) = if columns % 2 == 1 {
            let centre = columns / 2;
            (centre + 1, centre, centre, 0.0)
        } else {
            (columns / 2, columns / 2, columns / 2 - 1, 0.5)
        };
        let centre_deg = if columns % 2 == 1 {
            longitudes_deg[east_start]
        } else {
            0.5 * (longitudes_deg[west_start] + longitudes_deg[east_start])
        };
        let (centre_cos, centre_sin) = multiples(centre_deg, degree).unzip();
        let width = crate::simd::widest_lanes();
        let padded = half.next_multiple_of(width);
        let mut offset_trig = vec![0.0; (degree + 1) * padded * 2];
        for i in 0..padded {
            let offset_deg = (i as f64 + first_offset) * step_deg;
            let (group, lane) = (i / width, i % width);
            for (m, (c, s)) in multiples(offset_deg, degree).enumerate() {
                let entry = (group * (degree + 1) + m) * 2 * width;
                offset_trig[entry + lane] = c;
                offset_trig[entry + width + lane] = s;
            }
        }
        RowLayout {
            degree,
            width,
            half,
            east_start,
            west_start,
            centre_cos,
            centre_sin,
            offset_trig,
            east_longitudes_deg: (0..padded)
                .map(|i| longitudes_deg[east_start + i.min(half - 1)])
                .collect(),
            west_longitudes_deg: (0..padded)
                .map(|i| longitudes_deg[west_start - i.min(half - 1)])
                .collect(),
        }
    }
}

/// Per-thread scratch for a row.
#[derive(Debug, Clone, Default)]
pub(super) struct RowScratch {
    /// By order: α for the six components, then β.
    centred: Vec<[f64; 2 * COMPONENTS]>,
    /// The values east of the centre, band by band (`[band][offset]`),
    /// in ascending column order from the centre.
    east: Vec<f64>,
    /// The values west of the centre, band by band, also in ascending
    /// column order: each group is stored reversed, from the end.
    west: Vec<f64>,
}

/// A row and where its values go.
pub(super) struct Row<'a> {
    pub layout: &'a RowLayout,
    pub sums: &'a CircleSums,
    pub latitude_deg: f64,
    /// ψ = geodetic − geocentric latitude of the row.
    pub cos_psi: f64,
    pub sin_psi: f64,
    /// Each band's row; `None` for a band the grid leaves out.
    pub bands: [Option<&'a mut [f64]>; Quantity::FIELD_COUNT],
    /// Write the bands with non-temporal stores (a grid far larger than
    /// the cache).
    pub streaming: bool,
}

impl Row<'_> {
    pub(super) fn fill(self, scratch: &mut RowScratch) {
        let layout = self.layout;
        scratch.centred.clear();
        for (m, s) in self.sums.per_order.iter().enumerate() {
            // (aₘ, bₘ) of each component: X and Z are a cos + b sin already;
            // Y is Σ (s₂ sin − s₃ cos).
            let a = [s[0], -s[3], s[4], s[6], -s[9], s[10]];
            let b = [s[1], s[2], s[5], s[7], s[8], s[11]];
            let (c, sn) = (layout.centre_cos[m], layout.centre_sin[m]);
            let mut centred = [0.0; 2 * COMPONENTS];
            for k in 0..COMPONENTS {
                centred[k] = a[k] * c + b[k] * sn;
                centred[COMPONENTS + k] = b[k] * c - a[k] * sn;
            }
            scratch.centred.push(centred);
        }
        debug_assert_eq!(scratch.centred.len(), layout.degree + 1);
        let padded = layout.half.next_multiple_of(layout.width);
        scratch.east.resize(Quantity::FIELD_COUNT * padded, 0.0);
        scratch.west.resize(Quantity::FIELD_COUNT * padded, 0.0);
        // A grid without rates needs no secular variation: half the sums.
        let rates = Quantity::FIELD
            .into_iter()
            .any(|q| q.is_rate() && self.bands[q as usize].is_some());
        crate::simd::with_widest(RowKernel {
            row: &self,
            centred: &scratch.centred,
            east: &mut scratch.east,
            west: &mut scratch.west,
            padded,
            rates,
        });
        // West position j holds column j − (padded − 1 − west_start); an
        // odd row's centre column comes from the east side.
        let west_first = padded - 1 - layout.west_start;
        // Fenced once, when the row is done (dropped at the end).
        let mut streaming = self.streaming.then(crate::simd::StreamingCopies::new);
        for (b, out) in self.bands.into_iter().enumerate() {
            let Some(out) = out else { continue };
            let (west_part, east_part) = out.split_at_mut(layout.east_start);
            let band = b * padded;
            let from = band + west_first;
            let (east_values, west_values) = (
                &scratch.east[band..band + east_part.len()],
                &scratch.west[from..from + west_part.len()],
            );
            if let Some(copies) = &mut streaming {
                copies.copy(east_part, east_values);
                copies.copy(west_part, west_values);
            } else {
                east_part.copy_from_slice(east_values);
                west_part.copy_from_slice(west_values);
            }
        }
    }
}

struct RowKernel<'r, 'a, 's> {
    row: &'r Row<'a>,
    centred: &'s [[f64; 2 * COMPONENTS]],
    east: &'s mut [f64],
    west: &'s mut [f64],
    /// Offsets per side, rounded up to whole groups: each band's length.
    padded: usize,
    /// Whether the secular variation (the rates) is wanted.
    rates: bool,
}

impl WideKernel for RowKernel<'_, '_, '_> {
    type Output = ();

    #[inline(always)]
    fn run<const W: usize, V: FloatN<W>>(self) {
        assert_eq!(
            W, self.row.layout.width,
            "the layout's groups are the kernel's lanes"
        );
        if self.rates {
            self.run_summing::<W, V, COMPONENTS>();
        } else {
            self.run_summing::<W, V, { COMPONENTS / 2 }>();
        }
    }
}

impl RowKernel<'_, '_, '_> {
    /// The row with the first `SUMMED` components (the main field's three,
    /// or all six); the others stay zero.
    #[inline(always)]
    fn run_summing<const W: usize, V: FloatN<W>, const SUMMED: usize>(self) {
        let RowKernel {
            row,
            centred,
            east: east_out,
            west: west_out,
            padded,
            ..
        } = self;
        let layout = row.layout;
        let zero = V::splat(0.0);
        let groups = layout.offset_trig.chunks_exact((layout.degree + 1) * 2 * W);
        for (i, trig) in (0..layout.half).step_by(W).zip(groups) {
            let mut even = [zero; COMPONENTS];
            let mut odd = [zero; COMPONENTS];
            for (coefficients, entry) in centred.iter().zip(trig.chunks_exact(2 * W)) {
                let (cos, sin) = entry.split_at(W);
                let cos = V::from_array(cos.try_into().expect("W lanes"));
                let sin = V::from_array(sin.try_into().expect("W lanes"));
                for k in 0..SUMMED {
                    even[k] = V::splat(coefficients[k]).mul_add(cos, even[k]);
                    odd[k] = V::splat(coefficients[COMPONENTS + k]).mul_add(sin, odd[k]);
                }
            }
            // East of the centre C(δ) + S(δ), west of it C(δ) − S(δ). A
            // loop, not `array::from_fn`: a closure may be compiled out of
            // line, without the SIMD target features.
            let mut sides = [Pair(zero, zero); COMPONENTS];
            for k in 0..COMPONENTS {
                sides[k] = Pair(even[k] + odd[k], even[k] - odd[k]);
            }
            let mut out = GroupOut {
                east: east_out,
                west: west_out,
                padded,
                east_at: i,
                west_at: padded - W - i,
            };
            row.elements(i, sides, &mut out);
        }
    }
}

/// Where one group's values go in the scratch: each band's value east of
/// the centre at `east_at`, west of it (lanes reversed) at `west_at`.
struct GroupOut<'s> {
    east: &'s mut [f64],
    west: &'s mut [f64],
    padded: usize,
    east_at: usize,
    west_at: usize,
}

impl GroupOut<'_> {
    #[inline(always)]
    fn put<const W: usize, V: FloatN<W>>(&mut self, quantity: Quantity, value: Pair<V>) {
        let at = quantity as usize * self.padded + self.east_at;
        self.east[at..at + W].copy_from_slice(&value.0.to_array());
        let at = quantity as usize * self.padded + self.west_at;
        self.west[at..at + W].copy_from_slice(&value.1.reversed().to_array());
    }
}

impl Row<'_> {
    /// The elements of the groups of offsets from `i` east and west of
    /// the centre, from their field components (geocentric frame, east
    /// and west as a [`Pair`]): both sides at once, each stored as soon
    /// as it is known, which keeps fewer values alive.
    #[inline(always)]
    fn elements<const W: usize, V: FloatN<W>>(
        &self,
        i: usize,
        sides: [Pair<V>; COMPONENTS],
        out: &mut GroupOut<'_>,
    ) {
        let [x, y, z, dx, dy, dz] = sides;
        let (c, s) = (Pair::splat(self.cos_psi), Pair::splat(self.sin_psi));
        let e = ElementVectors::new(
            rotated_by_psi([x, y, z], c, s),
            rotated_by_psi([dx, dy, dz], c, s),
        );
        store_in_order(out, &e);
        let (east_longitudes, west_longitudes) = (
            &self.layout.east_longitudes_deg[i..i + W],
            &self.layout.west_longitudes_deg[i..i + W],
        );
        let longitude = Pair(
            V::from_array(east_longitudes.try_into().expect("W lanes")),
            V::from_array(west_longitudes.try_into().expect("W lanes")),
        );
        out.put(
            Quantity::GridVariation,
            grid_variation(e.get(Quantity::Declination), longitude, self.latitude_deg),
        );
    }
}

/// The order a group's bands are stored in, grid variation last (it
/// needs the declination): the components and their rates first, the
/// angles (the longest chains, two atan2) last, so the stores of the
/// early ones overlap the angles' arithmetic (measured faster than table
/// order). Written out by a macro, not a loop over the list: a loop over
/// the vectors' array kept them in memory and cost 17–20 % of the 0.25°
/// grid (five runs side by side).
macro_rules! store_order {
    ($($quantity:ident),* $(,)?) => {
        /// The order as a list, for the test that it holds every band.
        #[cfg(test)]
        const STORE_ORDER: [Quantity; Quantity::FIELD_COUNT - 1] = [$(Quantity::$quantity),*];

        /// Stores every band but grid variation, in `STORE_ORDER`.
        #[inline(always)]
        fn store_in_order<const W: usize, V: FloatN<W>>(
            out: &mut GroupOut<'_>,
            e: &ElementVectors<Pair<V>>,
        ) {
            $(out.put(Quantity::$quantity, e.get(Quantity::$quantity));)*
        }
    };
}

store_order!(
    North,
    East,
    Down,
    NorthRate,
    EastRate,
    DownRate,
    Horizontal,
    Total,
    HorizontalRate,
    TotalRate,
    DeclinationRate,
    InclinationRate,
    Inclination,
    Declination,
);

/// [`crate::elements::grid_variation`] across lanes on one row; NaN where
/// it is undefined (|latitude| below 55°).
#[inline(always)]
fn grid_variation<V: SimdFloat>(declination_deg: V, longitude_deg: V, latitude_deg: f64) -> V {
    let raw = if latitude_deg >= GRID_VARIATION_MIN_LATITUDE_DEG {
        declination_deg - longitude_deg
    } else if latitude_deg <= -GRID_VARIATION_MIN_LATITUDE_DEG {
        declination_deg + longitude_deg
    } else {
        return V::splat(f64::NAN);
    };
    crate::derived::fold_degrees(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every band but grid variation is stored once, grid variation after.
    #[test]
    fn store_order_holds_every_quantity_once() {
        let mut stored: Vec<Quantity> = STORE_ORDER.to_vec();
        stored.push(Quantity::GridVariation);
        stored.sort();
        assert_eq!(stored, Quantity::FIELD);
    }
}
