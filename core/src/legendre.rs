//! Schmidt semi-normalised associated Legendre functions P(n, m) of
//! cos θ, their θ-derivatives, and P(n, m) / sin θ — finite at the poles.
//!
//! With t = cos θ and u = sin θ, P(n, m) = u^m · T(n, m)(t), where T obeys
//! the usual recurrences in t alone. Working with T keeps the two
//! quantities that divide by u — the east component's P(n, m)/u and the
//! derivative — exact at the geographic poles (u = 0), where the
//! textbook formulas divide by zero.

use crate::coefficients::{triangular_index, triangular_len};

/// P(n, m), dP(n, m)/dθ and P(n, m)/sin θ at one colatitude, up to a degree.
#[derive(Debug, Clone)]
pub struct LegendreTable {
    degree: usize,
    p: Vec<f64>,
    dp_dtheta: Vec<f64>,
    p_over_sin: Vec<f64>,
}

/// Recurrence constants that depend only on (n, m): computed once per
/// degree and shared by every latitude.
#[derive(Debug, Clone)]
pub struct LegendreRecurrence {
    degree: usize,
    /// sqrt(n² − m²), at (n, m).
    root_n2_m2: Vec<f64>,
    /// sqrt((2m − 1)/(2m)) for the diagonal, at m (m ≥ 2).
    diagonal: Vec<f64>,
    /// sqrt(2m + 1) for the first off-diagonal, at m.
    off_diagonal: Vec<f64>,
}

/// T(m, m) = diagonal_factor(m) · T(m−1, m−1): √((2m−1)/(2m)) for m ≥ 2
/// (Schmidt's normalisation makes P(1, 1) = sin θ, so 1 below that).
pub fn diagonal_factor(m: usize) -> f64 {
    if m >= 2 {
        ((2 * m - 1) as f64 / (2 * m) as f64).sqrt()
    } else {
        1.0
    }
}

impl LegendreRecurrence {
    pub fn new(degree: usize) -> Self {
        let len = triangular_len(degree);
        let mut root_n2_m2 = vec![0.0; len];
        for n in 0..=degree {
            for m in 0..=n {
                root_n2_m2[triangular_index(n, m)] = (((n * n) - (m * m)) as f64).sqrt();
            }
        }
        let diagonal = (0..=degree).map(diagonal_factor).collect();
        let off_diagonal = (0..=degree).map(|m| ((2 * m + 1) as f64).sqrt()).collect();
        LegendreRecurrence {
            degree,
            root_n2_m2,
            diagonal,
            off_diagonal,
        }
    }

    pub fn degree(&self) -> usize {
        self.degree
    }
}

impl LegendreTable {
    /// An empty table for `recurrence.degree()`; fill it with [`Self::compute`].
    pub fn new(degree: usize) -> Self {
        let len = triangular_len(degree);
        LegendreTable {
            degree,
            p: vec![0.0; len],
            dp_dtheta: vec![0.0; len],
            p_over_sin: vec![0.0; len],
        }
    }

    /// Fills the table for colatitude θ given as cos θ and sin θ (sin θ ≥ 0).
    pub fn compute(&mut self, recurrence: &LegendreRecurrence, cos_theta: f64, sin_theta: f64) {
        debug_assert_eq!(self.degree, recurrence.degree);
        let (t, u) = (cos_theta, sin_theta);
        let n_max = self.degree;
        // u^(m-1), advanced as m grows; u^0 = 1 even at the poles.
        let mut u_pow_m_minus_1 = 1.0;
        // T(m, m) along the diagonal.
        let mut t_mm = 1.0;
        for m in 0..=n_max {
            if m >= 2 {
                u_pow_m_minus_1 *= u;
            }
            if m >= 1 {
                t_mm *= recurrence.diagonal[m];
            }
            let u_pow_m = if m == 0 { 1.0 } else { u_pow_m_minus_1 * u };
            // T(n, m) and dT/dt for n = m, m+1, … by the three-term recurrence.
            let (mut t_prev2, mut dt_prev2) = (0.0, 0.0);
            let (mut t_prev, mut dt_prev) = (t_mm, 0.0);
            for n in m..=n_max {
                let (t_nm, dt_nm) = if n == m {
                    (t_mm, 0.0)
                } else if n == m + 1 {
                    let c = recurrence.off_diagonal[m];
                    (c * t * t_prev, c * t_prev)
                } else {
                    let a = (2 * n - 1) as f64;
                    let b = recurrence.root_n2_m2[triangular_index(n - 1, m)];
                    let inv = 1.0 / recurrence.root_n2_m2[triangular_index(n, m)];
                    (
                        (a * t * t_prev - b * t_prev2) * inv,
                        (a * (t_prev + t * dt_prev) - b * dt_prev2) * inv,
                    )
                };
                let i = triangular_index(n, m);
                self.p[i] = u_pow_m * t_nm;
                // d(u^m T)/dθ = m t u^(m−1) T − u^(m+1) dT/dt.
                let first = if m == 0 {
                    0.0
                } else {
                    m as f64 * t * u_pow_m_minus_1 * t_nm
                };
                self.dp_dtheta[i] = first - u_pow_m * u * dt_nm;
                self.p_over_sin[i] = if m == 0 { 0.0 } else { u_pow_m_minus_1 * t_nm };
                t_prev2 = t_prev;
                dt_prev2 = dt_prev;
                t_prev = t_nm;
                dt_prev = dt_nm;
            }
        }
    }

    /// P(n, m)(cos θ), Schmidt semi-normalised.
    pub fn p(&self, n: usize, m: usize) -> f64 {
        self.p[triangular_index(n, m)]
    }

    /// dP(n, m)/dθ (per radian).
    pub fn dp_dtheta(&self, n: usize, m: usize) -> f64 {
        self.dp_dtheta[triangular_index(n, m)]
    }

    /// P(n, m)/sin θ for m ≥ 1 (the limit at the poles); 0 for m = 0,
    /// where it is only ever multiplied by m.
    pub fn p_over_sin(&self, n: usize, m: usize) -> f64 {
        self.p_over_sin[triangular_index(n, m)]
    }

    pub(crate) fn tables(&self) -> (&[f64], &[f64], &[f64]) {
        (&self.p, &self.dp_dtheta, &self.p_over_sin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_at(degree: usize, theta: f64) -> LegendreTable {
        let rec = LegendreRecurrence::new(degree);
        let mut table = LegendreTable::new(degree);
        table.compute(&rec, theta.cos(), theta.sin());
        table
    }

    #[test]
    fn closed_forms_of_low_degree() {
        let theta: f64 = 0.7;
        let (t, u) = (theta.cos(), theta.sin());
        let table = table_at(3, theta);
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-14, "{a} vs {b}");
        close(table.p(1, 0), t);
        close(table.p(1, 1), u);
        close(table.p(2, 0), 1.5 * t * t - 0.5);
        close(table.p(2, 1), 3f64.sqrt() * t * u);
        close(table.p(2, 2), 3f64.sqrt() / 2.0 * u * u);
        close(table.p(3, 3), (5.0f64 / 8.0).sqrt() * u * u * u);
        close(table.dp_dtheta(2, 0), -3.0 * t * u);
        close(table.dp_dtheta(2, 2), 3f64.sqrt() * u * t);
        close(table.p_over_sin(2, 1), 3f64.sqrt() * t);
    }

    #[test]
    fn derivative_matches_finite_difference_at_high_degree() {
        let (theta, h) = (1.1f64, 1e-6);
        let (lo, mid, hi) = (
            table_at(133, theta - h),
            table_at(133, theta),
            table_at(133, theta + h),
        );
        for n in [1, 12, 60, 133] {
            for m in [0, 1, n / 2, n] {
                let numeric = (hi.p(n, m) - lo.p(n, m)) / (2.0 * h);
                assert!((numeric - mid.dp_dtheta(n, m)).abs() < 1e-6, "n={n} m={m}");
            }
        }
    }

    #[test]
    fn finite_at_the_pole_and_equal_to_the_limit() {
        let at_pole = table_at(13, 0.0);
        let near = table_at(13, 1e-9);
        for n in 1..=13 {
            for m in 0..=n {
                assert!(at_pole.p_over_sin(n, m).is_finite());
                assert!((at_pole.p_over_sin(n, m) - near.p_over_sin(n, m)).abs() < 1e-6);
                assert!((at_pole.dp_dtheta(n, m) - near.dp_dtheta(n, m)).abs() < 1e-6);
            }
        }
    }
}
