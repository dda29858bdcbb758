//! One point at a time, the lanes spent across orders instead of points:
//! [`PointExpansion`] lays the expansion out so that one SIMD step advances
//! the recurrence of [`LANES`] orders at once (orders 4g … 4g+3 side by
//! side, degree n = m + k at step k). A lone point then costs about a
//! quarter of a lane-kernel group (whose other three lanes it would leave
//! idle), which is what `magvar at`, the GUI's readout under the pointer
//! and a library user's loop ask for.
//!
//! The recurrence, weights and sums are [`PackedExpansion`]'s (see the
//! module doc of [`crate::lanes`]), laid out by order across the lanes,
//! with one difference: odd orders start one power of ρ low and get it
//! back in their sums (see `PointKernel::run`). A lane whose order's
//! column is shorter than its group's longest has zero weights past its
//! end, and lanes past the model's degree start from zero.

use super::synthesis::{ComponentSums, OrderFactors, SumLanes};
use super::{PackedExpansion, SumWeights, Term};
use crate::derived::ElementLanes;
use crate::elements::MagneticElements;
use crate::geodesy::{WGS84_A_KM, WGS84_F};
use crate::position::{Coordinates, Position};
use crate::simd::{self, Estrin, Evaluation, Float4, Kernel, LANES, Lanes};
use crate::synthesis::FieldVector;

// The kernel writes a group's first orders (0–3) and its step (four
// orders) out by hand.
const _: () = assert!(LANES == 4, "a group is four orders");

/// The weights of one step across the lanes of a group.
#[derive(Debug, Clone, Copy, Default)]
struct WeightLanes {
    g: Lanes,
    h: Lanes,
    n_g: Lanes,
    n_h: Lanes,
    next_g: Lanes,
    next_h: Lanes,
}

/// Step k of a group: each lane's recurrence constant and weights for
/// degree n = m + k.
#[derive(Debug, Clone, Copy, Default)]
struct Step {
    minus_gamma: Lanes,
    main: WeightLanes,
    secular: WeightLanes,
}

/// Orders `first_order` … `first_order` + 3.
#[derive(Debug, Clone)]
struct OrderGroup {
    first_order: usize,
    /// cₘ of each lane's recurrence.
    growth: Lanes,
    /// ∏ᵢ₌₁..ₘ √((2i−1)/(2i)) for i ≥ 2: S(m, m) is ρᵐ⁺² times this (0
    /// for a lane past the degree); the kernel starts odd orders from
    /// ρᵐ⁺¹ times it.
    diagonal: Lanes,
    steps: Vec<Step>,
    /// Group 0 only: order 1's weights of the order-0 derivative, by step
    /// (lane 1; zero elsewhere).
    polar: Vec<[Lanes; 2]>,
}

/// An expansion laid out for one point at a time. Build once per date (a
/// model keeps one per segment).
#[derive(Debug, Clone)]
pub struct PointExpansion {
    reference_radius_km: f64,
    groups: Vec<OrderGroup>,
}

fn lane_weights(weights: [SumWeights; LANES]) -> WeightLanes {
    WeightLanes {
        g: weights.map(|w| w.g),
        h: weights.map(|w| w.h),
        n_g: weights.map(|w| w.n_g),
        n_h: weights.map(|w| w.n_h),
        next_g: weights.map(|w| w.next_g),
        next_h: weights.map(|w| w.next_h),
    }
}

impl PointExpansion {
    /// The same expansion as `packed`, orders across lanes.
    pub fn new(packed: &PackedExpansion) -> Self {
        let degree = packed.degree;
        // Where each order's block of terms starts in `packed.terms`.
        let mut starts = Vec::with_capacity(degree + 1);
        let mut start = 0;
        for m in 0..=degree {
            starts.push(start);
            start += degree + 1 - m;
        }
        let term = |m: usize, k: usize| -> Term {
            if m <= degree && m + k <= degree {
                packed.terms[starts[m] + k]
            } else {
                Term::default()
            }
        };
        let mut diagonal_product = vec![1.0; degree + 1];
        for m in 1..=degree {
            diagonal_product[m] = diagonal_product[m - 1] * packed.diagonal[m];
        }
        let groups = (0..=degree)
            .step_by(LANES)
            .map(|first_order| {
                let order = |lane: usize| first_order + lane;
                let steps = (0..=degree - first_order)
                    .map(|k| {
                        let terms: [Term; LANES] = std::array::from_fn(|l| term(order(l), k));
                        Step {
                            minus_gamma: terms.map(|t| t.minus_gamma),
                            main: lane_weights(terms.map(|t| t.main)),
                            secular: lane_weights(terms.map(|t| t.secular)),
                        }
                    })
                    .collect();
                let polar = if first_order == 0 {
                    (0..degree)
                        .map(|k| {
                            let [main, secular] = packed.polar[k];
                            [[0.0, main, 0.0, 0.0], [0.0, secular, 0.0, 0.0]]
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                OrderGroup {
                    first_order,
                    growth: std::array::from_fn(|l| {
                        packed.growth.get(order(l)).copied().unwrap_or(1.0)
                    }),
                    diagonal: std::array::from_fn(|l| {
                        diagonal_product.get(order(l)).copied().unwrap_or(0.0)
                    }),
                    steps,
                    polar,
                }
            })
            .collect();
        PointExpansion {
            reference_radius_km: packed.reference_radius_km,
            groups,
        }
    }

    /// The elements at `position`, `years_since` years after the
    /// expansion's date (along its secular variation).
    pub fn element_dated(&self, position: &Position, years_since: f64) -> MagneticElements {
        simd::with_best(PointKernel {
            expansion: self,
            position,
            years_since,
        })
    }
}

/// One point as a SIMD kernel: the position's conversion along the
/// shortest chain ([`PointPosition`]), the synthesis with the orders
/// across the lanes, and the elements as the batch kernel derives them
/// (every lane the same point, so no libm call).
struct PointKernel<'a> {
    expansion: &'a PointExpansion,
    position: &'a Position,
    years_since: f64,
}

/// The lanes of the per-order sums added up: X, Y, Z with `x_direct`
/// (order 0's derivative).
#[inline(always)]
fn lane_totals<V: Float4>(sums: &ComponentSums<V>, t: f64, rho: f64, x_direct: f64) -> FieldVector {
    let total = |v: V| v.to_array().iter().sum::<f64>();
    FieldVector {
        north: t * total(sums.x_n) - rho * total(sums.x_next) + x_direct,
        east: total(sums.y),
        down: -total(sums.z),
    }
}

impl<V: Float4> SumLanes<V> {
    /// Adds a term whose weights differ by lane (each lane its own order).
    #[inline(always)]
    fn add_per_lane(&mut self, w: &WeightLanes, value: V) {
        self.g = V::from_array(w.g).mul_add(value, self.g);
        self.h = V::from_array(w.h).mul_add(value, self.h);
        self.n_g = V::from_array(w.n_g).mul_add(value, self.n_g);
        self.n_h = V::from_array(w.n_h).mul_add(value, self.n_h);
        self.next_g = V::from_array(w.next_g).mul_add(value, self.next_g);
        self.next_h = V::from_array(w.next_h).mul_add(value, self.next_h);
    }
}

impl PointKernel<'_> {
    /// S at the next degree of every lane from the two before; shifts the
    /// state.
    #[inline(always)]
    fn step<V: Float4>(step: &Step, c_t_rho: V, rho2: V, state: &mut (V, V)) -> V {
        // −γ·ρ² first: it does not wait on the recurrence, so the chain
        // from S two degrees back is one multiply and one multiply-add,
        // not two multiplies and one (WMMHR2025's long orders, bound by
        // this chain, ran 20 % faster).
        let older = (V::from_array(step.minus_gamma) * rho2) * state.1;
        let next = c_t_rho.mul_add(state.0, older);
        *state = (next, state.0);
        next
    }
}

/// Terms of (1 − x)^(−1/2) = Σ C(2k, k)/4ᵏ · xᵏ, the prime vertical
/// radius over a, for x = e² sin²φ ≤ e² < 0.0067: the first term left out
/// (k = 8) is below 1e-18 of the sum.
const INVERSE_SQRT_ONE_MINUS: [f64; 8] = [
    1.0,
    0.5,
    0.375,
    0.3125,
    0.273_437_5,
    0.246_093_75,
    0.225_585_937_5,
    0.209_472_656_25,
];

/// One point's position as the synthesis needs it, every lane the same
/// value, worked out along the shortest chain to what the term loops
/// wait on (ρ² and t·ρ): sin/cos of latitude and longitude in one call
/// with Estrin's polynomials, the prime vertical radius as a polynomial
/// instead of a square root and a division, and ρ² = a²/r² by one
/// division, with the square root for ρ, which only the sums' final
/// factors need, after it. The batch's `SphericalLanes` computes the same
/// values (to a few units in the last place) with fewer operations but a
/// longer chain.
struct PointPosition<V> {
    /// cos θ and sin θ (geocentric colatitude).
    t: V,
    u: V,
    /// ρ = a/r and ρ².
    rho: V,
    rho2: V,
    /// t·ρ.
    t_rho: V,
    cos_longitude: f64,
    sin_longitude: f64,
    /// ψ (geodetic − geocentric latitude); (1, 0) for geocentric input.
    cos_psi: V,
    sin_psi: V,
}

impl<V: Float4> PointPosition<V> {
    #[inline(always)]
    fn new(position: &Position, reference_radius_km: f64) -> Self {
        let (latitude, longitude) = (position.latitude_deg, position.longitude_deg);
        let (sin, cos) = simd::sin_cos_degrees_by::<Estrin, V>(V::from_array([
            latitude, longitude, latitude, longitude,
        ]));
        let (sin, cos) = (sin.to_array(), cos.to_array());
        // Latitudes lie in −90..=90: cos φ ≥ 0, and exactly 0 at the poles.
        let (sin_lat, cos_lat) = (V::splat(sin[0]), V::splat(cos[0].abs()));
        let altitude = V::splat(position.altitude_km);
        let geocentric = position.coordinates == Coordinates::Geocentric;
        let (p, z) = if geocentric {
            // The altitude is the radius, the latitude geocentric.
            (altitude * cos_lat, altitude * sin_lat)
        } else {
            let e2 = WGS84_F * (2.0 - WGS84_F);
            let x = V::splat(e2) * sin_lat * sin_lat;
            let prime_vertical =
                V::splat(WGS84_A_KM) * Estrin::polynomial(&INVERSE_SQRT_ONE_MINUS, x);
            (
                (prime_vertical + altitude) * cos_lat,
                prime_vertical.mul_add(V::splat(1.0 - e2), altitude) * sin_lat,
            )
        };
        let r2 = p.mul_add(p, z * z);
        let inverse_r2 = V::splat(1.0) / r2;
        let a = V::splat(reference_radius_km);
        // √(1/r²), not √r²·(1/r²): past r ≈ 1e154 km r² overflows, and
        // ∞·0 would make every element NaN where the field is 0. Only the
        // sums' final factors wait on it.
        let inverse_r = inverse_r2.sqrt();
        let (t, u) = (z * inverse_r, p * inverse_r);
        let (cos_psi, sin_psi) = if geocentric {
            (V::splat(1.0), V::splat(0.0))
        } else {
            (
                cos_lat.mul_add(u, sin_lat * t),
                sin_lat.mul_add(u, -(cos_lat * t)),
            )
        };
        PointPosition {
            t,
            u,
            rho: a * inverse_r,
            rho2: (a * a) * inverse_r2,
            t_rho: (a * z) * inverse_r2,
            cos_longitude: cos[1],
            sin_longitude: sin[1],
            cos_psi,
            sin_psi,
        }
    }

    /// North/east/down from the geocentric frame into the input's frame.
    #[inline(always)]
    fn rotated(&self, v: FieldVector) -> [V; 3] {
        let vector = [V::splat(v.north), V::splat(v.east), V::splat(v.down)];
        crate::derived::rotated_by_psi(vector, self.cos_psi, self.sin_psi)
    }
}

impl Kernel for PointKernel<'_> {
    type Output = MagneticElements;

    #[inline(always)]
    fn run<V: Float4>(self) -> MagneticElements {
        let expansion = self.expansion;
        let position = self.position;
        let point = PointPosition::<V>::new(position, expansion.reference_radius_km);
        let first = |v: V| v.to_array()[0];
        let (t, u, rho) = (first(point.t), first(point.u), first(point.rho));
        let (c1, s1) = (point.cos_longitude, point.sin_longitude);
        // Per lane, cos mλ, sin mλ, sinᵐθ and sinᵐ⁻¹θ of its order m, and
        // the recurrence's start ρᵐ⁺² as the even power ρ^(2⌊m/2⌋+2) with
        // the odd orders' missing ρ applied to their sums afterwards (the
        // recurrence is linear in its start), so that the term loops wait
        // only on ρ² and t·ρ, not on the square root behind ρ. Each next
        // group's from the one before by the step of four orders (ρ⁴, the
        // rotation by 4λ, sin⁴θ). No table (a lone point should not
        // allocate), and no lane-by-lane scalar chain, whose latency the
        // groups would wait on.
        let rho2 = point.rho2;
        let rho4 = rho2 * rho2;
        // Orders 0 and 1 start from ρ², 2 and 3 from ρ⁴ (masks written out,
        // not made by a closure: it could lose the SIMD target features).
        let half = V::splat(0.5);
        let upper_orders = V::from_array([0.0, 0.0, 1.0, 1.0]).gt(half);
        let odd_orders = V::from_array([0.0, 1.0, 0.0, 1.0]).gt(half);
        let mut rho_pow = V::select(upper_orders, rho4, rho2);
        let odd_order_rho = V::select(odd_orders, point.rho, V::splat(1.0));
        let (c2, s2) = (c1 * c1 - s1 * s1, 2.0 * s1 * c1);
        let (c3, s3) = (c2 * c1 - s2 * s1, s2 * c1 + c2 * s1);
        let (c4, s4) = (c2 * c2 - s2 * s2, 2.0 * s2 * c2);
        let (u2, u3) = (u * u, u * u * u);
        let mut cos_m = V::from_array([1.0, c1, c2, c3]);
        let mut sin_m = V::from_array([0.0, s1, s2, s3]);
        let mut u_pow_m = V::from_array([1.0, u, u2, u3]);
        // Order 0 has no sinᵐ⁻¹θ term (its X and Y come otherwise).
        let mut u_pow_m_minus_1 = V::from_array([0.0, 1.0, u, u2]);
        let (cos_step, sin_step) = (V::splat(c4), V::splat(s4));
        let (u_step, u_cubed) = (V::splat(u2 * u2), V::splat(u3));
        let t_rho = point.t_rho;
        let mut field = ComponentSums::<V>::new();
        let mut rate = ComponentSums::<V>::new();
        let mut polar = [0.0; 2];
        for (g, group) in expansion.groups.iter().enumerate() {
            let m0 = group.first_order;
            if g > 0 {
                // u_pow_m is still the previous group's: orders m0 − 4 …
                u_pow_m_minus_1 = u_pow_m * u_cubed;
                u_pow_m = u_pow_m * u_step;
                rho_pow = rho_pow * rho4;
                (cos_m, sin_m) = (
                    cos_m.mul_add(cos_step, -(sin_m * sin_step)),
                    sin_m.mul_add(cos_step, cos_m * sin_step),
                );
            }
            let c_t_rho = V::from_array(group.growth) * t_rho;
            let mut state = (rho_pow * V::from_array(group.diagonal), V::splat(0.0));
            let diagonal = state.0;
            let (mut main, mut secular) = (SumLanes::<V>::new(), SumLanes::<V>::new());
            for (k, step) in group.steps.iter().enumerate() {
                let value = if k == 0 {
                    state.0
                } else {
                    Self::step(step, c_t_rho, rho2, &mut state)
                };
                main.add_per_lane(&step.main, value);
                secular.add_per_lane(&step.secular, value);
            }
            if m0 == 0 {
                // Order 0's derivative from order 1's values, in a second
                // run: in the first, its two sums would not fit the
                // registers beside the twelve (they spilled every step).
                let mut state = (diagonal, V::splat(0.0));
                let mut sums = (V::splat(0.0), V::splat(0.0));
                for (k, (step, [pm, ps])) in group.steps.iter().zip(&group.polar).enumerate() {
                    let value = if k == 0 {
                        state.0
                    } else {
                        Self::step(step, c_t_rho, rho2, &mut state)
                    };
                    sums.0 = V::from_array(*pm).mul_add(value, sums.0);
                    sums.1 = V::from_array(*ps).mul_add(value, sums.1);
                }
                let total = |v: V| v.to_array().iter().sum::<f64>();
                // Order 1 started from ρ², not ρ³.
                let u_rho = u * rho;
                polar = [u_rho * total(sums.0), u_rho * total(sums.1)];
            }
            let order_lanes: Lanes = std::array::from_fn(|l| (m0 + l) as f64);
            let factors = OrderFactors {
                cos_m: cos_m * odd_order_rho,
                sin_m: sin_m * odd_order_rho,
                u_pow_m_minus_1,
                u_pow_m,
                m_u_pow_m_minus_1: V::from_array(order_lanes) * u_pow_m_minus_1,
            };
            field.add(&factors, &main);
            rate.add(&factors, &secular);
        }
        let (field, rate) = (
            lane_totals(&field, t, rho, polar[0]),
            lane_totals(&rate, t, rho, polar[1]),
        );
        // Along the secular variation to the point's date, into the
        // input's frame, then the elements, as the batch kernel does
        // (with the atan2 polynomial's shorter chain).
        let years = self.years_since;
        let moved = FieldVector {
            north: years.mul_add(rate.north, field.north),
            east: years.mul_add(rate.east, field.east),
            down: years.mul_add(rate.down, field.down),
        };
        ElementLanes::new(
            point.rotated(moved),
            point.rotated(rate),
            [position.latitude_deg; LANES],
            [position.longitude_deg; LANES],
        )
        .element(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy::SphericalPoint;
    use crate::simd::{FloatN, Portable};

    /// Far beyond the model's range (accepted, as the reference accepts
    /// it), one point a call gives the reference's zero field, not NaN.
    #[test]
    fn a_point_beyond_any_radius_gives_the_references_elements() {
        let model = crate::BuiltinModel::Wmm2025.model();
        let mut evaluator = crate::Evaluator::new(model);
        for position in [
            Position::geodetic(30.0, 40.0, 1e155).unwrap(),
            Position::geocentric(-30.0, 40.0, 1e160).unwrap(),
        ] {
            let fast = evaluator.elements(&position, 2026.0);
            let reference = evaluator.elements_reference(&position, 2026.0);
            for quantity in crate::Quantity::FIELD {
                let (a, b) = (quantity.get(&fast), quantity.get(&reference));
                assert_eq!(a, b, "{quantity:?} at {position:?}");
            }
        }
    }

    /// The short-chain position equals the scalar reference's, geodetic
    /// and geocentric, at the poles, the equator and the antimeridian,
    /// to a few units in the last place: a wrong leading digit in any of
    /// the first six terms of the prime vertical's series moves ρ by 1e-14
    /// or more (checked for the sixth), which the 1e-9 of the fast-path
    /// tests would hide; later digits and terms are at rounding level.
    #[test]
    fn point_position_equals_the_reference_conversion() {
        let a = 6371.2;
        let mut positions = Vec::new();
        for latitude in [-90.0, -89.999, -55.0, -12.5, 0.0, 1e-9, 33.3, 67.0, 90.0] {
            for longitude in [-180.0, -97.25, 0.0, 45.0, 179.99, 180.0] {
                positions.push(Position::geodetic(latitude, longitude, 0.0).unwrap());
                positions.push(Position::geodetic(latitude, longitude, 850.0).unwrap());
                positions.push(Position::geodetic(latitude, longitude, -10.0).unwrap());
                positions.push(Position::geocentric(latitude, longitude, 6371.2).unwrap());
                positions.push(Position::geocentric(latitude, longitude, 12_000.0).unwrap());
            }
        }
        for position in &positions {
            let (lat, lon, alt) = (
                position.latitude_deg,
                position.longitude_deg,
                position.altitude_km,
            );
            let reference = match position.coordinates {
                Coordinates::Geodetic => SphericalPoint::from_geodetic(lat, lon, alt),
                Coordinates::Geocentric => SphericalPoint::from_geocentric(lat, lon, alt),
            };
            let point = PointPosition::<Portable>::new(position, a);
            let first = |v: Portable| v.to_array()[0];
            let rho = a / reference.radius_km;
            let (sin_lon, cos_lon) = reference.longitude_rad.sin_cos();
            let pairs = [
                ("t", first(point.t), reference.cos_colatitude),
                ("u", first(point.u), reference.sin_colatitude),
                ("rho", first(point.rho), rho),
                ("rho2", first(point.rho2), rho * rho),
                ("t_rho", first(point.t_rho), reference.cos_colatitude * rho),
                ("cos_psi", first(point.cos_psi), reference.cos_psi),
                ("sin_psi", first(point.sin_psi), reference.sin_psi),
                ("cos_lon", point.cos_longitude, cos_lon),
                ("sin_lon", point.sin_longitude, sin_lon),
            ];
            for (name, got, expected) in pairs {
                assert!(
                    (got - expected).abs() <= 2e-15 * expected.abs().max(1.0),
                    "{name} at {position:?}: {got} vs {expected}"
                );
            }
        }
    }
}
