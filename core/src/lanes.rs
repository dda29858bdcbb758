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

use crate::derived::ElementLanes;
use crate::elements::MagneticElements;
use crate::geodesy::{WGS84_A_KM, WGS84_F};
use crate::legendre::diagonal_factor;
use crate::position::{Coordinates, Position};
use crate::simd::{self, Float4, Kernel};
pub use crate::simd::{LANES, Lanes};
use crate::synthesis::FieldCoefficients;

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
        simd::with_best(PointBatch {
            expansion: self,
            positions,
            dates: None,
            out: Output::Append(out),
        });
    }

    /// The elements at `positions`, written to `out` (of the same length).
    pub fn elements_into(&self, positions: &[Position], out: &mut [MagneticElements]) {
        assert_eq!(positions.len(), out.len(), "one output per position");
        simd::with_best(PointBatch {
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
        simd::with_best(PointBatch {
            expansion: self,
            positions,
            dates: Some(Dates {
                years,
                reference_year,
            }),
            out: Output::Append(out),
        });
    }

    /// Field and secular variation, north/east/down in the geocentric frame.
    #[inline(always)]
    fn synthesize<V: Float4>(&self, point: &SphericalLanes<V>) -> ([V; 3], [V; 3]) {
        let (t, u) = (point.cos_colatitude, point.sin_colatitude);
        let rho = V::splat(self.reference_radius_km) * point.inverse_radius;
        let t_rho = t * rho;
        let rho2 = rho * rho;
        let mut diagonal_term = rho2; // S(0, 0) = (a/r)²
        let zero = V::splat(0.0);
        let mut field = ComponentSums::new();
        let mut rate = ComponentSums::new();
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
            let c_t_rho = V::splat(self.growth[m]) * t_rho;
            if m == 0 {
                sums.run::<false>(block, secular_len, c_t_rho, rho2, diagonal_term);
            } else {
                sums.run::<true>(block, secular_len, c_t_rho, rho2, diagonal_term);
            }
            if m == 1 {
                sums.run_polar(block, &self.polar, c_t_rho, rho2, diagonal_term);
            }
            let (main, secular) = (&sums.main, &sums.secular);
            if m == 0 {
                field.add_order_zero(main);
                rate.add_order_zero(secular);
            } else {
                let order = OrderFactors {
                    cos_m,
                    sin_m,
                    u_pow_m_minus_1,
                    u_pow_m: u_pow_m_minus_1 * u,
                    m_u_pow_m_minus_1: V::splat(m as f64) * u_pow_m_minus_1,
                };
                field.add(&order, main);
                rate.add(&order, secular);
                if m == 1 {
                    // The order-0 derivative: dP(n, 0)/dθ ∝ P(n, 1) = u·T(n, 1).
                    field.x_direct = u.mul_add(sums.polar_main, field.x_direct);
                    rate.x_direct = u.mul_add(sums.polar_secular, rate.x_direct);
                }
                u_pow_m_minus_1 = order.u_pow_m;
            }
            let (c1, s1) = (point.cos_longitude, point.sin_longitude);
            (cos_m, sin_m) = (
                cos_m.mul_add(c1, -(sin_m * s1)),
                sin_m.mul_add(c1, cos_m * s1),
            );
        }
        (field.components(t, rho), rate.components(t, rho))
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

impl Kernel for PointBatch<'_> {
    type Output = ();

    #[inline(always)]
    fn run<V: Float4>(self) {
        if self.dates.is_some() {
            self.run_with::<V, true>();
        } else {
            self.run_with::<V, false>();
        }
    }
}

impl PointBatch<'_> {
    /// The batch, with each point on its own date if `DATED`.
    #[inline(always)]
    fn run_with<V: Float4, const DATED: bool>(self) {
        let (years, reference_year) = match &self.dates {
            Some(dates) if DATED => (dates.years, dates.reference_year),
            _ => (&[][..], 0.0),
        };
        // Years from the expansion's date, per lane; spare lanes of a
        // short group take the first point's, as their positions do.
        let years_since = |g: usize, len: usize| -> Option<Lanes> {
            DATED.then(|| {
                let first = g * LANES;
                std::array::from_fn(|l| years[first + if l < len { l } else { 0 }] - reference_year)
            })
        };
        let groups = self.positions.chunks(LANES).enumerate();
        match self.out {
            Output::Append(out) => {
                for (g, group) in groups {
                    let since = years_since(g, group.len());
                    let lanes = self.expansion.group::<V>(group, since);
                    out.extend((0..group.len()).map(|l| lanes.element(l)));
                }
            }
            Output::Fill(out) => {
                for ((g, group), out) in groups.zip(out.chunks_mut(LANES)) {
                    let since = years_since(g, group.len());
                    let lanes = self.expansion.group::<V>(group, since);
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
    /// group repeat its first position. With `years_since`, each lane is
    /// that many years after the expansion's date.
    #[inline(always)]
    fn group<V: Float4>(&self, group: &[Position], years_since: Option<Lanes>) -> ElementLanes {
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
        let (mut field, rate) = self.synthesize(&point);
        if let Some(years) = years_since {
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
    /// sinᵐ⁻¹θ, sinᵐθ and m·sinᵐ⁻¹θ.
    u_pow_m_minus_1: V,
    u_pow_m: V,
    m_u_pow_m_minus_1: V,
}

/// One expansion's X, Y and Z, summed over orders in parts that do not
/// depend on the order: X = t·x_n − ρ·x_next + x_direct, Y = y,
/// Z = −z, with t = cos θ and ρ = a/r applied once at the end.
struct ComponentSums<V> {
    /// Σₘ sinᵐ⁻¹θ (cos mλ Σ n·g·S + sin mλ Σ n·h·S).
    x_n: V,
    /// Σₘ sinᵐ⁻¹θ (cos mλ Σ next_g·S + sin mλ Σ next_h·S).
    x_next: V,
    /// Order 0's derivative (order 1's polar sums).
    x_direct: V,
    y: V,
    /// Σₘ sinᵐθ (cos mλ Σ (n+1)·g·S + sin mλ Σ (n+1)·h·S).
    z: V,
}

impl<V: Float4> ComponentSums<V> {
    #[inline(always)]
    fn new() -> Self {
        let zero = V::splat(0.0);
        ComponentSums {
            x_n: zero,
            x_next: zero,
            x_direct: zero,
            y: zero,
            z: zero,
        }
    }

    /// Order 0: only Z (its X comes from order 1, and it has no Y).
    #[inline(always)]
    fn add_order_zero(&mut self, sums: &SumLanes<V>) {
        self.z = self.z + (sums.n_g + sums.g);
    }

    /// One order m ≥ 1.
    #[inline(always)]
    fn add(&mut self, order: &OrderFactors<V>, sums: &SumLanes<V>) {
        let (c, s) = (order.cos_m, order.sin_m);
        let n_part = c.mul_add(sums.n_g, s * sums.n_h);
        let next_part = c.mul_add(sums.next_g, s * sums.next_h);
        let plain_part = c.mul_add(sums.g, s * sums.h);
        self.x_n = order.u_pow_m_minus_1.mul_add(n_part, self.x_n);
        self.x_next = order.u_pow_m_minus_1.mul_add(next_part, self.x_next);
        let y = s.mul_add(sums.g, -(c * sums.h));
        self.y = order.m_u_pow_m_minus_1.mul_add(y, self.y);
        self.z = order.u_pow_m.mul_add(n_part + plain_part, self.z);
    }

    /// North, east and down (geocentric frame).
    #[inline(always)]
    fn components(&self, t: V, rho: V) -> [V; 3] {
        [
            t.mul_add(self.x_n, (-rho).mul_add(self.x_next, self.x_direct)),
            self.y,
            -self.z,
        ]
    }
}

/// The six sums of one expansion for one order, per lane: Σ g·S, Σ h·S,
/// Σ n·g·S, Σ n·h·S and the two derivative sums.
// The n-weighted sums are multiply-adds of their own. Deriving them from
// running sums of the g and h sums (Σ n·aₙ = (N+1)·Σ aₙ − Σⱼ Σₙ≤ⱼ aₙ)
// would move two of the six multiply-adds onto the adders, but the two
// large terms cancel where the sum is small: at degree 133 the error grew
// to 1e-9 nT on the dip equator, against 2e-11 this way.
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

    /// Adds a term; without `ALL`, only the sums order 0 needs (its h
    /// are 0, and its X comes from order 1's polar sums): Σ g·S, Σ n·g·S.
    #[inline(always)]
    fn add<const ALL: bool>(&mut self, w: &SumWeights, value: V) {
        self.g = V::splat(w.g).mul_add(value, self.g);
        self.n_g = V::splat(w.n_g).mul_add(value, self.n_g);
        if ALL {
            self.h = V::splat(w.h).mul_add(value, self.h);
            self.n_h = V::splat(w.n_h).mul_add(value, self.n_h);
            self.next_g = V::splat(w.next_g).mul_add(value, self.next_g);
            self.next_h = V::splat(w.next_h).mul_add(value, self.next_h);
        }
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

    /// Runs the recurrence down one order's block from S(m, m) =
    /// `diagonal`, adding every term; the first `secular_len` terms feed
    /// the secular variation as well. Without `ALL` (order 0), only the
    /// sums that order needs.
    #[inline(always)]
    fn run<const ALL: bool>(
        &mut self,
        block: &[Term],
        secular_len: usize,
        t_rho: V,
        rho2: V,
        diagonal: V,
    ) {
        let mut state = (diagonal, V::splat(0.0));
        let (with_secular, main_only) = block.split_at(secular_len);
        for (i, term) in with_secular.iter().enumerate() {
            let value = if i == 0 {
                state.0
            } else {
                Self::step(term, t_rho, rho2, &mut state)
            };
            self.main.add::<ALL>(&term.main, value);
            self.secular.add::<ALL>(&term.secular, value);
        }
        for (i, term) in main_only.iter().enumerate() {
            let value = if i == 0 && secular_len == 0 {
                state.0
            } else {
                Self::step(term, t_rho, rho2, &mut state)
            };
            self.main.add::<ALL>(&term.main, value);
        }
    }

    /// Runs order 1's recurrence again for the order-0 derivative sums,
    /// with `polar`'s weights: in the first run, their two accumulators
    /// would not fit in the vector registers.
    #[inline(always)]
    fn run_polar(&mut self, block: &[Term], polar: &[[f64; 2]], t_rho: V, rho2: V, diagonal: V) {
        let mut state = (diagonal, V::splat(0.0));
        for (i, (term, &[main, secular])) in block.iter().zip(polar).enumerate() {
            let value = if i == 0 {
                state.0
            } else {
                Self::step(term, t_rho, rho2, &mut state)
            };
            self.polar_main = V::splat(main).mul_add(value, self.polar_main);
            self.polar_secular = V::splat(secular).mul_add(value, self.polar_secular);
        }
    }

    /// S(n, m) from the two before it; shifts the state.
    #[inline(always)]
    fn step(term: &Term, t_rho: V, rho2: V, state: &mut (V, V)) -> V {
        let older = V::splat(term.minus_gamma) * (rho2 * state.1);
        let next = t_rho.mul_add(state.0, older);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GaussCoefficients;
    use crate::geodesy::SphericalPoint;
    use crate::synthesis::SynthesisWorkspace;

    /// Past degree 1000 the plain product of the recurrence's α would
    /// overflow; the packed expansion must still equal the reference
    /// synthesis (models of up to degree 2190 load).
    #[test]
    fn a_very_high_degree_expansion_equals_the_reference_synthesis() {
        let degree = 1100;
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let (mut main, mut secular) = (
            GaussCoefficients::zeros(degree),
            GaussCoefficients::zeros(degree),
        );
        for n in 1..=degree {
            // A spectrum falling off as a real field's does.
            let size = 3e4 / (n * n) as f64;
            for m in 0..=n {
                main.set_g(n, m, size * next());
                secular.set_g(n, m, 0.01 * size * next());
                if m > 0 {
                    main.set_h(n, m, size * next());
                    secular.set_h(n, m, 0.01 * size * next());
                }
            }
        }
        let coefficients = FieldCoefficients::new(main, secular, 6371.2);
        let packed = PackedExpansion::new(&coefficients);
        let positions: Vec<Position> =
            [(37.5, -122.0, 0.0), (-62.0, 140.0, 400.0), (5.0, 3.0, 35.0)]
                .iter()
                .map(|&(lat, lon, alt)| Position::geodetic(lat, lon, alt).unwrap())
                .collect();
        let mut batch = Vec::new();
        packed.elements_many(&positions, &mut batch);
        let mut workspace = SynthesisWorkspace::new(degree);
        for (position, elements) in positions.iter().zip(&batch) {
            let point = SphericalPoint::from_geodetic(
                position.latitude_deg,
                position.longitude_deg,
                position.altitude_km,
            );
            let (field, rate) = workspace.point(
                &coefficients,
                point.radius_km,
                point.cos_colatitude,
                point.sin_colatitude,
                point.longitude_rad,
            );
            let (field, rate) = (
                field.rotated(point.cos_psi, point.sin_psi),
                rate.rotated(point.cos_psi, point.sin_psi),
            );
            for (got, expected) in [
                (elements.north_nt, field.north),
                (elements.east_nt, field.east),
                (elements.down_nt, field.down),
                (elements.north_nt_per_year, rate.north),
                (elements.east_nt_per_year, rate.east),
                (elements.down_nt_per_year, rate.down),
            ] {
                assert!(
                    got.is_finite() && (got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                    "{position:?}: {got} vs {expected}"
                );
            }
        }
    }
}
