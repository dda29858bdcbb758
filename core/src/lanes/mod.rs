//! Synthesis for many points at once: a vector's worth of points side by
//! side (eight with AVX-512, [`LANES`] otherwise: `simd::with_widest`), so
//! that every arithmetic step — geodetic conversion, Legendre recurrence,
//! sums, rotation and the derived elements — is one SIMD instruction
//! across points.
//!
//! Same field as [`crate::synthesis`] (see its module doc for the sums),
//! computed in a form that needs fewer operations per (n, m) term:
//!
//! * order m outermost, degree n inner, so coefficients stream
//!   contiguously and no Legendre table is stored;
//! * the recurrence runs on S(n, m) = (a/r)ⁿ⁺² · T(n, m) / kₙₘ, where
//!   P(n, m) = sinᵐθ · T(n, m) and kₙₘ = αₘ₊₁,ₘ ⋯ αₙₘ / cₘⁿ⁻ᵐ: with
//!   ρ = a/r, S(n, m) = cₘ ρ cos θ · S(n−1, m) − γₙₘ · ρ² · S(n−2, m)
//!   with γₙₘ = βₙₘ cₘ²/(αₙₘ αₙ₋₁,ₘ), so neither the radial powers nor
//!   αₙₘ cost anything per term (kₙₘ goes into the sums' weights). cₘ,
//!   the geometric mean of the order's α, keeps kₙₘ in range;
//! * the θ-derivative comes from the values, not a second recurrence:
//!   dP(n, m)/dθ = sinᵐ⁻¹θ · (n cos θ · T(n, m) − √(n²−m²) · T(n−1, m))
//!   for m ≥ 1, and dP(n, 0)/dθ = −√(n(n+1)/2) · P(n, 1);
//! * per order, six sums over degree of S weighted by g, h, n·g, n·h,
//!   √((n+1)²−m²)·g(n+1, m) and √((n+1)²−m²)·h(n+1, m) give X, Y and Z;
//!   the secular variation repeats them up to its own degree (8 for IGRF).
//!
//! The single-point path stays the reference; tests hold the two equal to
//! 1e-9 (`core/tests/fast_paths.rs`).

mod point;
mod spherical;
mod synthesis;
#[cfg(test)]
mod tests;

use crate::derived::ElementLanes;
use crate::elements::MagneticElements;
use crate::legendre::diagonal_factor;
use crate::position::{Coordinates, Position};
use crate::simd::{self, FloatN, WideKernel};
pub use crate::simd::{LANES, Lanes};
use crate::synthesis::FieldCoefficients;
pub use point::PointExpansion;
use spherical::SphericalLanes;

/// The weights of S(n, m) in the per-order sums of one expansion (main
/// field or secular variation), each already multiplied by kₙₘ.
#[derive(Debug, Clone, Copy, Default)]
struct SumWeights {
    g: f64,
    h: f64,
    n_g: f64,
    n_h: f64,
    /// √((n+1)² − m²) · g(n+1, m): the T(n−1, m) part of the derivative,
    /// moved one degree down so that it multiplies the current S.
    next_g: f64,
    next_h: f64,
}

/// One (n, m) term: its recurrence constant and the weights of S(n, m).
#[derive(Debug, Clone, Copy, Default)]
struct Term {
    /// −γₙₘ = −βₙₘ cₘ²/(αₙₘ αₙ₋₁,ₘ) (0 for n ≤ m + 1).
    minus_gamma: f64,
    main: SumWeights,
    secular: SumWeights,
}

/// An expansion laid out for the lane kernel. Build once per date.
#[derive(Debug, Clone)]
pub struct PackedExpansion {
    degree: usize,
    /// Highest degree with a non-zero secular-variation coefficient: the
    /// rate sums stop there (IGRF's secular variation ends at degree 8).
    secular_degree: usize,
    reference_radius_km: f64,
    /// Terms for m = 0 (n = 0..=N), then m = 1 (n = 1..=N), …
    terms: Vec<Term>,
    /// For order 1, n = 1..=N: −√(n(n+1)/2) · g(n, 0) · kₙ₁ of the main
    /// field and of the secular variation, which turn S(n, 1) into the
    /// order-0 derivative.
    polar: Vec<[f64; 2]>,
    /// cₘ of each order's recurrence (see the module doc).
    growth: Vec<f64>,
    /// √((2m−1)/(2m)) for m ≥ 2, 1 otherwise: T(m, m) from T(m−1, m−1).
    diagonal: Vec<f64>,
}

impl PackedExpansion {
    pub fn new(coefficients: &FieldCoefficients) -> Self {
        let degree = coefficients.degree();
        let (main, secular) = (coefficients.main(), coefficients.secular_variation());
        let secular_degree = (1..=degree)
            .rev()
            .find(|&n| (0..=n).any(|m| secular.g(n, m) != 0.0 || secular.h(n, m) != 0.0))
            .unwrap_or(0);
        let root = |n: usize, m: usize| ((n * n - m * m) as f64).sqrt();
        // αₙₘ of the recurrence T(n) = αₙₘ cos θ T(n−1) − βₙₘ T(n−2).
        let alpha = |n: usize, m: usize| {
            if n == m + 1 {
                ((2 * m + 1) as f64).sqrt()
            } else {
                (2 * n - 1) as f64 / root(n, m)
            }
        };
        let weights = |set: &crate::GaussCoefficients, n: usize, m: usize, k: f64| {
            let (g, h) = if n == 0 {
                (0.0, 0.0)
            } else {
                (set.g(n, m), set.h(n, m))
            };
            let (next_g, next_h) = if n < degree {
                let c = root(n + 1, m);
                (c * set.g(n + 1, m), c * set.h(n + 1, m))
            } else {
                (0.0, 0.0)
            };
            SumWeights {
                g: k * g,
                h: k * h,
                n_g: n as f64 * k * g,
                n_h: n as f64 * k * h,
                next_g: k * next_g,
                next_h: k * next_h,
            }
        };
        let mut terms = Vec::with_capacity((degree + 1) * (degree + 2) / 2);
        let mut polar = Vec::with_capacity(degree);
        let mut growth = Vec::with_capacity(degree + 1);
        for m in 0..=degree {
            // The geometric mean of the order's αₙₘ: dividing by it keeps
            // kₙₘ within 1e-2..1e64 up to degree 2190, where the plain
            // product would overflow past degree 1000.
            let c = if m < degree {
                let log_sum: f64 = (m + 1..=degree).map(|n| alpha(n, m).ln()).sum();
                (log_sum / (degree - m) as f64).exp()
            } else {
                1.0
            };
            growth.push(c);
            // kₙₘ = αₘ₊₁,ₘ ⋯ αₙₘ / cⁿ⁻ᵐ, 1 on the diagonal.
            let mut k = 1.0;
            for n in m..=degree {
                let minus_gamma = if n >= m + 2 {
                    let beta = root(n - 1, m) / root(n, m);
                    -beta * c * c / (alpha(n, m) * alpha(n - 1, m))
                } else {
                    0.0
                };
                if n > m {
                    k *= alpha(n, m) / c;
                }
                terms.push(Term {
                    minus_gamma,
                    main: weights(main, n, m, k),
                    secular: weights(secular, n, m, k),
                });
                if m == 1 {
                    let factor = -((n * (n + 1)) as f64 / 2.0).sqrt() * k;
                    polar.push([factor * main.g(n, 0), factor * secular.g(n, 0)]);
                }
            }
        }
        PackedExpansion {
            degree,
            secular_degree,
            reference_radius_km: coefficients.reference_radius_km(),
            terms,
            polar,
            growth,
            diagonal: (0..=degree).map(diagonal_factor).collect(),
        }
    }

    pub fn degree(&self) -> usize {
        self.degree
    }

    /// The elements at `positions`, appended to `out` in order.
    pub fn elements_many(&self, positions: &[Position], out: &mut Vec<MagneticElements>) {
        out.reserve(positions.len());
        simd::with_widest(PointBatch {
            expansion: self,
            positions,
            dates: None,
            out: Output::Append(out),
        });
    }

    /// The elements at `positions`, written to `out` (of the same length).
    pub fn elements_into(&self, positions: &[Position], out: &mut [MagneticElements]) {
        assert_eq!(positions.len(), out.len(), "one output per position");
        simd::with_widest(PointBatch {
            expansion: self,
            positions,
            dates: None,
            out: Output::Fill(out),
        });
    }

    /// The elements at `positions`, each on its own date (`years`), for an
    /// expansion built at `reference_year` whose coefficients are linear
    /// in time between those dates: the field at a point's date is the
    /// field at `reference_year` plus the years between times the secular
    /// variation. Appended to `out` in order.
    pub fn elements_many_dated(
        &self,
        positions: &[Position],
        years: &[f64],
        reference_year: f64,
        out: &mut Vec<MagneticElements>,
    ) {
        assert_eq!(positions.len(), years.len(), "one year per position");
        out.reserve(positions.len());
        simd::with_widest(PointBatch {
            expansion: self,
            positions,
            dates: Some(Dates {
                years,
                reference_year,
            }),
            out: Output::Append(out),
        });
    }
}

/// The batch of points as a SIMD kernel.
struct PointBatch<'a> {
    expansion: &'a PackedExpansion,
    positions: &'a [Position],
    /// Each point's own date, if they have; otherwise the expansion's.
    dates: Option<Dates<'a>>,
    out: Output<'a>,
}

/// The dates of a batch's points, and the date of its expansion.
struct Dates<'a> {
    /// Decimal years, one per position.
    years: &'a [f64],
    reference_year: f64,
}

/// Where a batch's elements go.
enum Output<'a> {
    Append(&'a mut Vec<MagneticElements>),
    Fill(&'a mut [MagneticElements]),
}

/// At the CPU's widest lanes: eight points a group with AVX-512.
impl WideKernel for PointBatch<'_> {
    type Output = ();

    #[inline(always)]
    fn run<const W: usize, V: FloatN<W>>(self) {
        if self.dates.is_some() {
            self.run_with::<W, V, true>();
        } else {
            self.run_with::<W, V, false>();
        }
    }
}

impl PointBatch<'_> {
    /// The batch, `W` points a group, with each point on its own date if
    /// `DATED`. Software-pipelined: the next group's position is converted
    /// before this group's synthesis, so that its divisions, square roots
    /// and sin/cos run in the shadow of the synthesis, and this group's
    /// elements beside the next group's synthesis, whose inputs are then
    /// ready (in plain order each group's position waited on the one
    /// before it, and its synthesis on its position).
    #[inline(always)]
    fn run_with<const W: usize, V: FloatN<W>, const DATED: bool>(self) {
        let (years, reference_year) = match &self.dates {
            Some(dates) if DATED => (dates.years, dates.reference_year),
            _ => (&[][..], 0.0),
        };
        // Years from the expansion's date, per lane; spare lanes of a
        // short group take the first point's, as their positions do.
        let years_since = |g: usize, len: usize| -> Option<[f64; W]> {
            DATED.then(|| {
                let first = g * W;
                std::array::from_fn(|l| years[first + if l < len { l } else { 0 }] - reference_year)
            })
        };
        // Plain indices and a method, no closure around the conversion: a
        // closure would not get the SIMD target features (see
        // `ElementLanes::new`).
        let expansion = self.expansion;
        let positions = self.positions;
        let group_count = positions.len().div_ceil(W);
        let group_at = |g: usize| &positions[g * W..positions.len().min(g * W + W)];
        let mut next = None;
        if group_count > 0 {
            next = Some(PreparedGroup::<W, V>::new(
                group_at(0),
                years_since(0, group_at(0).len()),
            ));
        }
        let mut out = self.out;
        for g in 0..group_count {
            let Some(group) = next.take() else { break };
            if g + 1 < group_count {
                let following = group_at(g + 1);
                next = Some(PreparedGroup::new(
                    following,
                    years_since(g + 1, following.len()),
                ));
            }
            let fields = expansion.synthesize(&group.point);
            out.write(g * W, group_at(g).len(), &group.elements(fields));
        }
    }
}

impl Output<'_> {
    /// The first `len` lanes' elements, for the points from `first` on.
    #[inline(always)]
    fn write<const W: usize>(&mut self, first: usize, len: usize, lanes: &ElementLanes<W>) {
        match self {
            // A loop, not `extend` with a closure: the closure stayed out
            // of line (6 % of a batch in a profile).
            Output::Append(out) => {
                for l in 0..len {
                    out.push(lanes.element(l));
                }
            }
            Output::Fill(out) => {
                for (l, slot) in out[first..first + len].iter_mut().enumerate() {
                    *slot = lanes.element(l);
                }
            }
        }
    }
}

/// A group of up to `W` positions converted for the synthesis; its
/// elements follow from the synthesis' field ([`Self::elements`]).
struct PreparedGroup<const W: usize, V> {
    point: SphericalLanes<V>,
    latitude: [f64; W],
    longitude: [f64; W],
    years_since: Option<[f64; W]>,
}

impl<const W: usize, V: FloatN<W>> PreparedGroup<W, V> {
    /// Spare lanes of a short group repeat its first position. With
    /// `years_since`, each lane is that many years after the expansion's
    /// date.
    #[inline(always)]
    fn new(group: &[Position], years_since: Option<[f64; W]>) -> Self {
        let at = |l: usize| group.get(l).unwrap_or(&group[0]);
        let latitude: [f64; W] = std::array::from_fn(|l| at(l).latitude_deg);
        let longitude: [f64; W] = std::array::from_fn(|l| at(l).longitude_deg);
        let altitude: [f64; W] = std::array::from_fn(|l| at(l).altitude_km);
        let any_geocentric = group
            .iter()
            .any(|p| p.coordinates == Coordinates::Geocentric);
        let geocentric = any_geocentric.then(|| {
            V::from_array(std::array::from_fn(|l| {
                f64::from(u8::from(at(l).coordinates == Coordinates::Geocentric))
            }))
        });
        let point = SphericalLanes::new(
            V::from_array(latitude),
            V::from_array(longitude),
            V::from_array(altitude),
            geocentric,
        );
        PreparedGroup {
            point,
            latitude,
            longitude,
            years_since,
        }
    }

    /// The elements from the group's field and secular variation
    /// (geocentric frame, at the expansion's date).
    #[inline(always)]
    fn elements(self, (field, rate): ([V; 3], [V; 3])) -> ElementLanes<W> {
        let mut field = field;
        if let Some(years) = self.years_since {
            // Linear in time: the field moves along its secular variation.
            let years = V::from_array(years);
            // Written out, not `array::from_fn`: a closure would not get
            // the SIMD target features (see `ElementLanes::new`).
            field = [
                years.mul_add(rate[0], field[0]),
                years.mul_add(rate[1], field[1]),
                years.mul_add(rate[2], field[2]),
            ];
        }
        ElementLanes::new(
            self.point.rotated(field),
            self.point.rotated(rate),
            self.latitude,
            self.longitude,
        )
    }
}
