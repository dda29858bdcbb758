//! Synthesis for many points at once: [`LANES`] points side by side, so
//! that every arithmetic step — geodetic conversion, Legendre recurrence,
//! sums, rotation and the derived elements — is one SIMD instruction
//! across points.
//!
//! Same field as [`crate::synthesis`] (see its module doc for the sums),
//! computed in a form that needs fewer operations per (n, m) term:
//!
//! * order m outermost, degree n inner, so coefficients stream
//!   contiguously and no Legendre table is stored;
//! * the recurrence runs on T′(n, m) = (a/r)ⁿ⁺² · T(n, m), where
//!   P(n, m) = sinᵐθ · T(n, m): with ρ = a/r,
//!   T′(n, m) = αₙₘ · (ρ cos θ) · T′(n−1, m) − βₙₘ · ρ² · T′(n−2, m),
//!   so the radial powers cost nothing per term;
//! * the θ-derivative comes from the values, not a second recurrence:
//!   dP(n, m)/dθ = sinᵐ⁻¹θ · (n cos θ · T(n, m) − √(n²−m²) · T(n−1, m))
//!   for m ≥ 1, and dP(n, 0)/dθ = −√(n(n+1)/2) · P(n, 1);
//! * per order, six sums over degree of T′ weighted by g, h, n·g, n·h and
//!   √((n+1)²−m²)·g(n+1, m), √((n+1)²−m²)·h(n+1, m) give X, Y and Z; the
//!   secular variation repeats them up to its own degree (8 for IGRF).
//!
//! The single-point path stays the reference; tests hold the two equal to
//! 1e-9 (`core/tests/fast_paths.rs`).

use crate::derived::ElementLanes;
use crate::elements::MagneticElements;
use crate::geodesy::{WGS84_A_KM, WGS84_F};
use crate::legendre::diagonal_factor;
use crate::position::{Coordinates, Position};
use crate::simd::{self, Float4, Kernel};
pub use crate::simd::{LANES, Lanes};
use crate::synthesis::FieldCoefficients;

/// The weights of T′(n, m) in the six per-order sums of one expansion
/// (main field or secular variation).
#[derive(Debug, Clone, Copy, Default)]
struct SumWeights {
    g: f64,
    h: f64,
    n_g: f64,
    n_h: f64,
    /// √((n+1)² − m²) · g(n+1, m): the T(n−1, m) part of the derivative,
    /// moved one degree down so that it multiplies the current T′.
    next_g: f64,
    next_h: f64,
}

/// One (n, m) term: recurrence constants and the weights of T′(n, m).
#[derive(Debug, Clone, Copy, Default)]
struct Term {
    /// αₙₘ = (2n−1)/√(n²−m²) (√(2m+1) for n = m + 1).
    alpha: f64,
    /// −βₙₘ = −√((n−1)²−m²)/√(n²−m²) (0 for n = m + 1).
    minus_beta: f64,
    main: SumWeights,
    secular: SumWeights,
    /// For m = 1 only: −√(n(n+1)/2) · g(n, 0), which turns T′(n, 1) into
    /// the order-0 derivative (0 in every other order).
    polar_main: f64,
    polar_secular: f64,
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
        let weights = |set: &crate::GaussCoefficients, n: usize, m: usize| {
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
                g,
                h,
                n_g: n as f64 * g,
                n_h: n as f64 * h,
                next_g,
                next_h,
            }
        };
        let mut terms = Vec::with_capacity((degree + 1) * (degree + 2) / 2);
        for m in 0..=degree {
            for n in m..=degree {
                let (alpha, minus_beta) = if n == m {
                    (0.0, 0.0)
                } else if n == m + 1 {
                    (((2 * m + 1) as f64).sqrt(), 0.0)
                } else {
                    let r = root(n, m);
                    ((2 * n - 1) as f64 / r, -root(n - 1, m) / r)
                };
                let polar = |set: &crate::GaussCoefficients| {
                    if m == 1 {
                        -((n * (n + 1)) as f64 / 2.0).sqrt() * set.g(n, 0)
                    } else {
                        0.0
                    }
                };
                terms.push(Term {
                    alpha,
                    minus_beta,
                    main: weights(main, n, m),
                    secular: weights(secular, n, m),
                    polar_main: polar(main),
                    polar_secular: polar(secular),
                });
            }
        }
        PackedExpansion {
            degree,
            secular_degree,
            reference_radius_km: coefficients.reference_radius_km(),
            terms,
            diagonal: (0..=degree).map(diagonal_factor).collect(),
        }
    }

    pub fn degree(&self) -> usize {
        self.degree
    }

    /// The elements at `positions`, appended to `out` in order.
    pub fn elements_many(&self, positions: &[Position], out: &mut Vec<MagneticElements>) {
        out.reserve(positions.len());
        simd::with_best(PointBatch {
            expansion: self,
            positions,
            out: Output::Append(out),
        });
    }

    /// The elements at `positions`, written to `out` (of the same length).
    pub fn elements_into(&self, positions: &[Position], out: &mut [MagneticElements]) {
        assert_eq!(positions.len(), out.len(), "one output per position");
        simd::with_best(PointBatch {
            expansion: self,
            positions,
            out: Output::Fill(out),
        });
    }

    /// Field and secular variation, north/east/down in the geocentric frame.
    #[inline(always)]
    fn synthesize<V: Float4>(&self, point: &SphericalLanes<V>) -> ([V; 3], [V; 3]) {
        let (t, u) = (point.cos_colatitude, point.sin_colatitude);
        let rho = V::splat(self.reference_radius_km) * point.inverse_radius;
        let t_rho = t * rho;
        let rho2 = rho * rho;
        let mut diagonal_term = rho2; // T′(0, 0) = (a/r)²
        let zero = V::splat(0.0);
        let mut field = [zero; 3];
        let mut rate = [zero; 3];
        // sinᵐ⁻¹θ, and cos/sin(mλ) by the angle-addition formulas.
        let mut u_pow_m_minus_1 = V::splat(1.0);
        let (mut cos_m, mut sin_m) = (V::splat(1.0), zero);
        let mut start = 0;
        for m in 0..=self.degree {
            let block = &self.terms[start..start + self.degree + 1 - m];
            start += block.len();
            if m >= 1 {
                diagonal_term = diagonal_term * rho * V::splat(self.diagonal[m]);
            }
            let secular_len = (self.secular_degree + 1).saturating_sub(m).min(block.len());
            let mut sums = OrderSums::new();
            let mut state = (diagonal_term, zero);
            if m == 1 {
                sums.run::<true>(block, secular_len, t_rho, rho2, &mut state);
            } else {
                sums.run::<false>(block, secular_len, t_rho, rho2, &mut state);
            }
            if m == 0 {
                field[2] = field[2] - (sums.main.n_g + sums.main.g);
                rate[2] = rate[2] - (sums.secular.n_g + sums.secular.g);
            } else {
                let order = OrderFactors {
                    cos_m,
                    sin_m,
                    u_pow_m_minus_1,
                    u_pow_m: u_pow_m_minus_1 * u,
                    m: V::splat(m as f64),
                    t,
                    rho,
                };
                order.add(&mut field, &sums.main);
                order.add(&mut rate, &sums.secular);
                if m == 1 {
                    // The order-0 derivative: dP(n, 0)/dθ ∝ P(n, 1) = u·T(n, 1).
                    field[0] = u.mul_add(sums.polar_main, field[0]);
                    rate[0] = u.mul_add(sums.polar_secular, rate[0]);
                }
                u_pow_m_minus_1 = order.u_pow_m;
            }
            let (c1, s1) = (point.cos_longitude, point.sin_longitude);
            (cos_m, sin_m) = (
                cos_m.mul_add(c1, -(sin_m * s1)),
                sin_m.mul_add(c1, cos_m * s1),
            );
        }
        (field, rate)
    }
}

/// The batch of points as a SIMD kernel.
struct PointBatch<'a> {
    expansion: &'a PackedExpansion,
    positions: &'a [Position],
    out: Output<'a>,
}

/// Where a batch's elements go.
enum Output<'a> {
    Append(&'a mut Vec<MagneticElements>),
    Fill(&'a mut [MagneticElements]),
}

impl Kernel for PointBatch<'_> {
    type Output = ();

    #[inline(always)]
    fn run<V: Float4>(self) {
        let groups = self.positions.chunks(LANES);
        match self.out {
            Output::Append(out) => {
                for group in groups {
                    let lanes = self.expansion.group::<V>(group);
                    out.extend((0..group.len()).map(|l| lanes.element(l)));
                }
            }
            Output::Fill(out) => {
                for (group, out) in groups.zip(out.chunks_mut(LANES)) {
                    let lanes = self.expansion.group::<V>(group);
                    for (l, slot) in out.iter_mut().enumerate() {
                        *slot = lanes.element(l);
                    }
                }
            }
        }
    }
}

impl PackedExpansion {
    /// The elements of up to [`LANES`] positions; spare lanes of a short
    /// group repeat its first position.
    #[inline(always)]
    fn group<V: Float4>(&self, group: &[Position]) -> ElementLanes {
        let at = |l: usize| group.get(l).unwrap_or(&group[0]);
        let latitude: Lanes = std::array::from_fn(|l| at(l).latitude_deg);
        let longitude: Lanes = std::array::from_fn(|l| at(l).longitude_deg);
        let altitude: Lanes = std::array::from_fn(|l| at(l).altitude_km);
        let geocentric: [bool; LANES] =
            std::array::from_fn(|l| at(l).coordinates == Coordinates::Geocentric);
        let point = SphericalLanes::new(
            V::from_array(latitude),
            V::from_array(longitude),
            V::from_array(altitude),
            geocentric,
        );
        let (field, rate) = self.synthesize(&point);
        ElementLanes::new(
            point.rotated(field),
            point.rotated(rate),
            latitude,
            longitude,
        )
    }
}

/// What turns one order's sums into field components at each lane.
struct OrderFactors<V> {
    cos_m: V,
    sin_m: V,
    /// sinᵐ⁻¹θ and sinᵐθ.
    u_pow_m_minus_1: V,
    u_pow_m: V,
    m: V,
    t: V,
    rho: V,
}

impl<V: Float4> OrderFactors<V> {
    /// X, Y and Z of one order (m ≥ 1), added to `vector`.
    #[inline(always)]
    fn add(&self, vector: &mut [V; 3], sums: &SumLanes<V>) {
        let (c, s) = (self.cos_m, self.sin_m);
        let x_g = self.t.mul_add(sums.n_g, -(self.rho * sums.next_g));
        let x_h = self.t.mul_add(sums.n_h, -(self.rho * sums.next_h));
        vector[0] = self
            .u_pow_m_minus_1
            .mul_add(c.mul_add(x_g, s * x_h), vector[0]);
        let y = s.mul_add(sums.g, -(c * sums.h));
        vector[1] = (self.m * self.u_pow_m_minus_1).mul_add(y, vector[1]);
        let z_g = sums.n_g + sums.g;
        let z_h = sums.n_h + sums.h;
        vector[2] = (-self.u_pow_m).mul_add(c.mul_add(z_g, s * z_h), vector[2]);
    }
}

/// The six sums of one expansion for one order, per lane.
struct SumLanes<V> {
    g: V,
    h: V,
    n_g: V,
    n_h: V,
    next_g: V,
    next_h: V,
}

impl<V: Float4> SumLanes<V> {
    #[inline(always)]
    fn new() -> Self {
        let zero = V::splat(0.0);
        SumLanes {
            g: zero,
            h: zero,
            n_g: zero,
            n_h: zero,
            next_g: zero,
            next_h: zero,
        }
    }

    #[inline(always)]
    fn add(&mut self, w: &SumWeights, value: V) {
        self.g = V::splat(w.g).mul_add(value, self.g);
        self.h = V::splat(w.h).mul_add(value, self.h);
        self.n_g = V::splat(w.n_g).mul_add(value, self.n_g);
        self.n_h = V::splat(w.n_h).mul_add(value, self.n_h);
        self.next_g = V::splat(w.next_g).mul_add(value, self.next_g);
        self.next_h = V::splat(w.next_h).mul_add(value, self.next_h);
    }
}

struct OrderSums<V> {
    main: SumLanes<V>,
    secular: SumLanes<V>,
    polar_main: V,
    polar_secular: V,
}

impl<V: Float4> OrderSums<V> {
    #[inline(always)]
    fn new() -> Self {
        OrderSums {
            main: SumLanes::new(),
            secular: SumLanes::new(),
            polar_main: V::splat(0.0),
            polar_secular: V::splat(0.0),
        }
    }

    /// Runs the recurrence down one order's block, adding every term;
    /// the first `secular_len` terms feed the secular variation as well.
    /// `state` holds (T′(n−1, m), T′(n−2, m)) and starts at (T′(m, m), 0).
    #[inline(always)]
    fn run<const POLAR: bool>(
        &mut self,
        block: &[Term],
        secular_len: usize,
        t_rho: V,
        rho2: V,
        state: &mut (V, V),
    ) {
        let (with_secular, main_only) = block.split_at(secular_len);
        for (i, term) in with_secular.iter().enumerate() {
            let value = if i == 0 {
                state.0
            } else {
                Self::step(term, t_rho, rho2, state)
            };
            self.main.add(&term.main, value);
            self.secular.add(&term.secular, value);
            if POLAR {
                self.polar_main = V::splat(term.polar_main).mul_add(value, self.polar_main);
                self.polar_secular =
                    V::splat(term.polar_secular).mul_add(value, self.polar_secular);
            }
        }
        for (i, term) in main_only.iter().enumerate() {
            let value = if i == 0 && secular_len == 0 {
                state.0
            } else {
                Self::step(term, t_rho, rho2, state)
            };
            self.main.add(&term.main, value);
            if POLAR {
                self.polar_main = V::splat(term.polar_main).mul_add(value, self.polar_main);
            }
        }
    }

    /// T′(n, m) from the two before it; shifts the state.
    #[inline(always)]
    fn step(term: &Term, t_rho: V, rho2: V, state: &mut (V, V)) -> V {
        let older = V::splat(term.minus_beta) * (rho2 * state.1);
        let next = V::splat(term.alpha).mul_add(t_rho * state.0, older);
        *state = (next, state.0);
        next
    }
}

/// A group of points in geocentric spherical form, with the rotation to
/// the frame of their input coordinates.
struct SphericalLanes<V> {
    /// 1/r, km⁻¹: the synthesis needs only a/r.
    inverse_radius: V,
    cos_colatitude: V,
    sin_colatitude: V,
    cos_longitude: V,
    sin_longitude: V,
    /// ψ = geodetic − geocentric latitude; (1, 0) for geocentric input.
    cos_psi: V,
    sin_psi: V,
}

impl<V: Float4> SphericalLanes<V> {
    /// As [`crate::geodesy::SphericalPoint`] does for one point.
    #[inline(always)]
    fn new(latitude_deg: V, longitude_deg: V, altitude_km: V, geocentric: [bool; LANES]) -> Self {
        let (sin_lat, cos_lat) = simd::sin_cos_degrees(latitude_deg);
        // Latitudes lie in −90..=90: cos φ ≥ 0, and exactly 0 at the poles.
        let cos_lat = cos_lat.abs();
        let (sin_longitude, cos_longitude) = simd::sin_cos_degrees(longitude_deg);
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let one = V::splat(1.0);
        let prime_vertical =
            V::splat(WGS84_A_KM) / (V::splat(-e2) * sin_lat).mul_add(sin_lat, one).sqrt();
        let p = (prime_vertical + altitude_km) * cos_lat;
        let z = prime_vertical.mul_add(V::splat(1.0 - e2), altitude_km) * sin_lat;
        let r = p.mul_add(p, z * z).sqrt();
        // One division for three quotients: divisions are the slowest
        // vector instructions.
        let inverse_radius = V::splat(1.0) / r;
        let (t, u) = (z * inverse_radius, p * inverse_radius);
        let geodetic = SphericalLanes {
            inverse_radius,
            cos_colatitude: t,
            sin_colatitude: u,
            cos_longitude,
            sin_longitude,
            cos_psi: cos_lat.mul_add(u, sin_lat * t),
            sin_psi: sin_lat.mul_add(u, -(cos_lat * t)),
        };
        if !geocentric.contains(&true) {
            return geodetic;
        }
        // Geocentric input: the latitude is already θ's complement, the
        // altitude a radius, and no rotation applies.
        let pick = |geocentric_value: V, geodetic_value: V| {
            let a = geocentric_value.to_array();
            let b = geodetic_value.to_array();
            V::from_array(std::array::from_fn(
                |l| {
                    if geocentric[l] { a[l] } else { b[l] }
                },
            ))
        };
        SphericalLanes {
            inverse_radius: pick(one / altitude_km, geodetic.inverse_radius),
            cos_colatitude: pick(sin_lat, geodetic.cos_colatitude),
            sin_colatitude: pick(cos_lat, geodetic.sin_colatitude),
            cos_psi: pick(one, geodetic.cos_psi),
            sin_psi: pick(V::splat(0.0), geodetic.sin_psi),
            ..geodetic
        }
    }

    /// North/east/down from the geocentric frame into the input's frame.
    #[inline(always)]
    fn rotated(&self, v: [V; 3]) -> [V; 3] {
        let (c, s) = (self.cos_psi, self.sin_psi);
        [
            v[0].mul_add(c, v[2] * s),
            v[1],
            v[2].mul_add(c, -(v[0] * s)),
        ]
    }
}
