//! The synthesis of one group of points, from their spherical
//! coordinates to the field and its secular variation: the recurrence and
//! the per-order sums of the module doc, order by order.

use super::spherical::SphericalLanes;
use super::{PackedExpansion, SumWeights, Term};
use crate::simd::SimdFloat;

impl PackedExpansion {
    /// Field and secular variation, north/east/down in the geocentric frame.
    #[inline(always)]
    pub(super) fn synthesize<V: SimdFloat>(&self, point: &SphericalLanes<V>) -> ([V; 3], [V; 3]) {
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

/// What turns one order's sums into field components at each lane (the
/// one-point kernel gives each lane its own order).
pub(super) struct OrderFactors<V> {
    pub(super) cos_m: V,
    pub(super) sin_m: V,
    /// sinᵐ⁻¹θ, sinᵐθ and m·sinᵐ⁻¹θ.
    pub(super) u_pow_m_minus_1: V,
    pub(super) u_pow_m: V,
    pub(super) m_u_pow_m_minus_1: V,
}

/// One expansion's X, Y and Z, summed over orders in parts that do not
/// depend on the order: X = t·x_n − ρ·x_next + x_direct, Y = y,
/// Z = −z, with t = cos θ and ρ = a/r applied once at the end.
pub(super) struct ComponentSums<V> {
    /// Σₘ sinᵐ⁻¹θ (cos mλ Σ n·g·S + sin mλ Σ n·h·S).
    pub(super) x_n: V,
    /// Σₘ sinᵐ⁻¹θ (cos mλ Σ next_g·S + sin mλ Σ next_h·S).
    pub(super) x_next: V,
    /// Order 0's derivative (order 1's polar sums).
    x_direct: V,
    pub(super) y: V,
    /// Σₘ sinᵐθ (cos mλ Σ (n+1)·g·S + sin mλ Σ (n+1)·h·S).
    pub(super) z: V,
}

impl<V: SimdFloat> ComponentSums<V> {
    #[inline(always)]
    pub(super) fn new() -> Self {
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

    /// One order m ≥ 1 (or, in the one-point kernel, each lane its own).
    #[inline(always)]
    pub(super) fn add(&mut self, order: &OrderFactors<V>, sums: &SumLanes<V>) {
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
pub(super) struct SumLanes<V> {
    pub(super) g: V,
    pub(super) h: V,
    pub(super) n_g: V,
    pub(super) n_h: V,
    pub(super) next_g: V,
    pub(super) next_h: V,
}

impl<V: SimdFloat> SumLanes<V> {
    #[inline(always)]
    pub(super) fn new() -> Self {
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

impl<V: SimdFloat> OrderSums<V> {
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
        // −γ·ρ² first: it does not wait on the recurrence, so the chain
        // from S two degrees back is one multiply and one multiply-add,
        // not two multiplies and one (WMMHR2025's long orders, bound by
        // this chain, ran 20 % faster).
        let older = (V::splat(term.minus_gamma) * rho2) * state.1;
        let next = t_rho.mul_add(state.0, older);
        *state = (next, state.0);
        next
    }
}
