//! One point at a time, the lanes spent across orders instead of points:
//! [`PointExpansion`] lays the expansion out so that one SIMD step advances
//! the recurrence of [`LANES`] orders at once (orders 4g … 4g+3 side by
//! side, degree n = m + k at step k). A lone point then costs about a
//! quarter of a lane-kernel group (whose other three lanes it would leave
//! idle), which is what `magvar at`, the GUI's readout under the pointer
//! and a library user's loop ask for.
//!
//! The recurrence, weights and sums are [`PackedExpansion`]'s (see the
//! module doc of [`crate::lanes`]); only their layout differs. A lane whose
//! order's column is shorter than its group's longest has zero weights
//! past its end, and lanes past the model's degree start from zero.

use super::spherical::SphericalLanes;
use super::synthesis::{ComponentSums, OrderFactors, SumLanes};
use super::{PackedExpansion, SumWeights, Term};
use crate::derived::ElementLanes;
use crate::elements::MagneticElements;
use crate::position::{Coordinates, Position};
use crate::simd::{self, Float4, Kernel, LANES, Lanes};
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
    /// for a lane past the degree).
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

/// One point as a SIMD kernel: the position's conversion and the elements
/// as the batch kernel does them (every lane the same point, so no libm
/// call), the synthesis with the orders across the lanes.
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
        let older = V::from_array(step.minus_gamma) * (rho2 * state.1);
        let next = c_t_rho.mul_add(state.0, older);
        *state = (next, state.0);
        next
    }
}

impl Kernel for PointKernel<'_> {
    type Output = MagneticElements;

    #[inline(always)]
    fn run<V: Float4>(self) -> MagneticElements {
        let expansion = self.expansion;
        let position = self.position;
        let geocentric = position.coordinates == Coordinates::Geocentric;
        let point = SphericalLanes::new(
            V::splat(position.latitude_deg),
            V::splat(position.longitude_deg),
            V::splat(position.altitude_km),
            geocentric.then(|| V::splat(1.0)),
        );
        let first = |v: V| v.to_array()[0];
        let (t, u) = (first(point.cos_colatitude), first(point.sin_colatitude));
        let rho = expansion.reference_radius_km * first(point.inverse_radius);
        let (c1, s1) = (first(point.cos_longitude), first(point.sin_longitude));
        // Per lane, ρᵐ⁺², cos mλ, sin mλ, sinᵐθ and sinᵐ⁻¹θ of its order
        // m, as vectors: the first group's from the powers and multiple
        // angles of orders 0–3, each next group's from the one before by
        // the step of four orders (ρ⁴, the rotation by 4λ, sin⁴θ). No
        // table (a lone point should not allocate), and no lane-by-lane
        // scalar chain, whose latency the groups would wait on.
        let rho2_scalar = rho * rho;
        let (c2, s2) = (c1 * c1 - s1 * s1, 2.0 * s1 * c1);
        let (c3, s3) = (c2 * c1 - s2 * s1, s2 * c1 + c2 * s1);
        let (c4, s4) = (c2 * c2 - s2 * s2, 2.0 * s2 * c2);
        let (u2, u3) = (u * u, u * u * u);
        let mut rho_pow = V::from_array([
            rho2_scalar,
            rho2_scalar * rho,
            rho2_scalar * rho2_scalar,
            rho2_scalar * rho2_scalar * rho,
        ]);
        let mut cos_m = V::from_array([1.0, c1, c2, c3]);
        let mut sin_m = V::from_array([0.0, s1, s2, s3]);
        let mut u_pow_m = V::from_array([1.0, u, u2, u3]);
        // Order 0 has no sinᵐ⁻¹θ term (its X and Y come otherwise).
        let mut u_pow_m_minus_1 = V::from_array([0.0, 1.0, u, u2]);
        let (rho_step, cos_step, sin_step) = (
            V::splat(rho2_scalar * rho2_scalar),
            V::splat(c4),
            V::splat(s4),
        );
        let (u_step, u_cubed) = (V::splat(u2 * u2), V::splat(u3));
        let t_rho = t * rho;
        let rho2 = V::splat(rho2_scalar);
        let mut field = ComponentSums::<V>::new();
        let mut rate = ComponentSums::<V>::new();
        let mut polar = [0.0; 2];
        for (g, group) in expansion.groups.iter().enumerate() {
            let m0 = group.first_order;
            if g > 0 {
                // u_pow_m is still the previous group's: orders m0 − 4 …
                u_pow_m_minus_1 = u_pow_m * u_cubed;
                u_pow_m = u_pow_m * u_step;
                rho_pow = rho_pow * rho_step;
                (cos_m, sin_m) = (
                    cos_m.mul_add(cos_step, -(sin_m * sin_step)),
                    sin_m.mul_add(cos_step, cos_m * sin_step),
                );
            }
            let c_t_rho = V::from_array(group.growth) * V::splat(t_rho);
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
                polar = [u * total(sums.0), u * total(sums.1)];
            }
            let order_lanes: Lanes = std::array::from_fn(|l| (m0 + l) as f64);
            let factors = OrderFactors {
                cos_m,
                sin_m,
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
        // input's frame, then the elements, as the batch kernel does.
        let years = self.years_since;
        let vector = |f: FieldVector| [V::splat(f.north), V::splat(f.east), V::splat(f.down)];
        let moved = FieldVector {
            north: years.mul_add(rate.north, field.north),
            east: years.mul_add(rate.east, field.east),
            down: years.mul_add(rate.down, field.down),
        };
        ElementLanes::new(
            point.rotated(vector(moved)),
            point.rotated(vector(rate)),
            [position.latitude_deg; LANES],
            [position.longitude_deg; LANES],
        )
        .element(0)
    }
}
