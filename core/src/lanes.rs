//! Synthesis for many points at once: the Legendre recurrence fused with
//! the sums over degree, evaluated for `LANES` points side by side so that
//! every arithmetic step is one SIMD instruction across points.
//!
//! Same quantities as [`crate::synthesis`] (see its module doc), in a
//! different order: order m outermost, degree n inner, so coefficients and
//! recurrence constants stream contiguously and no Legendre table is
//! stored. The single-point path stays the reference; tests hold the two
//! equal to 1e-9.

// Lane loops index several arrays by the same lane on purpose: that shape
// is what the compiler turns into one SIMD instruction per step.
#![allow(clippy::needless_range_loop)]

use crate::legendre::diagonal_factor;
use crate::synthesis::{FieldCoefficients, FieldVector};

/// Points evaluated together: four f64 fill one AVX2 register.
pub const LANES: usize = 4;

type Lanes = [f64; LANES];

/// One (m, n) term in m-major order: coefficients and recurrence constants.
#[derive(Debug, Clone, Copy)]
struct Term {
    g: f64,
    h: f64,
    g_sv: f64,
    h_sv: f64,
    /// T(n, m) = a·t·T(n−1, m) − b·T(n−2, m): a = (2n−1)/√(n²−m²),
    /// b = √((n−1)²−m²)/√(n²−m²); for n = m + 1, a = √(2m+1), b = 0.
    a: f64,
    b: f64,
    /// −(n + 1), for the radial component.
    minus_n_plus_1: f64,
    n: usize,
}

/// An expansion laid out for the lane kernel. Build once per date.
#[derive(Debug, Clone)]
pub struct PackedExpansion {
    degree: usize,
    reference_radius_km: f64,
    /// Terms for m = 0 (n = 0..=N), then m = 1 (n = 1..=N), …
    terms: Vec<Term>,
    /// √((2m−1)/(2m)) for m ≥ 2, 1 otherwise: T(m, m) from T(m−1, m−1).
    diagonal: Vec<f64>,
}

impl PackedExpansion {
    pub fn new(coefficients: &FieldCoefficients) -> Self {
        let degree = coefficients.degree();
        let (main, sv) = (coefficients.main(), coefficients.secular_variation());
        let mut terms = Vec::with_capacity((degree + 1) * (degree + 2) / 2);
        for m in 0..=degree {
            for n in m..=degree {
                let (a, b) = if n == m {
                    (0.0, 0.0)
                } else if n == m + 1 {
                    (((2 * m + 1) as f64).sqrt(), 0.0)
                } else {
                    let root = ((n * n - m * m) as f64).sqrt();
                    (
                        (2 * n - 1) as f64 / root,
                        (((n - 1) * (n - 1) - m * m) as f64).sqrt() / root,
                    )
                };
                let (g, h, g_sv, h_sv) = if n == 0 {
                    (0.0, 0.0, 0.0, 0.0)
                } else {
                    (main.g(n, m), main.h(n, m), sv.g(n, m), sv.h(n, m))
                };
                terms.push(Term {
                    g,
                    h,
                    g_sv,
                    h_sv,
                    a,
                    b,
                    minus_n_plus_1: -((n + 1) as f64),
                    n,
                });
            }
        }
        let diagonal = (0..=degree).map(diagonal_factor).collect();
        PackedExpansion {
            degree,
            reference_radius_km: coefficients.reference_radius_km(),
            terms,
            diagonal,
        }
    }

    pub fn degree(&self) -> usize {
        self.degree
    }
}

/// The inputs of one group of points, geocentric.
#[derive(Debug, Clone, Copy, Default)]
pub struct LanePoints {
    pub radius_km: Lanes,
    pub cos_colatitude: Lanes,
    pub sin_colatitude: Lanes,
    pub cos_longitude: Lanes,
    pub sin_longitude: Lanes,
}

/// Field and secular variation (geocentric frame) for a group of points.
pub fn synthesize(
    expansion: &PackedExpansion,
    points: &LanePoints,
) -> [(FieldVector, FieldVector); LANES] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above; the
            // function is otherwise the same safe code as the fallback.
            return unsafe { synthesize_avx2(expansion, points) };
        }
    }
    synthesize_generic(expansion, points)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn synthesize_avx2(
    expansion: &PackedExpansion,
    points: &LanePoints,
) -> [(FieldVector, FieldVector); LANES] {
    synthesize_generic(expansion, points)
}

#[inline(always)]
fn splat(v: f64) -> Lanes {
    [v; LANES]
}

#[inline(always)]
fn synthesize_generic(
    expansion: &PackedExpansion,
    points: &LanePoints,
) -> [(FieldVector, FieldVector); LANES] {
    let degree = expansion.degree;
    let t = points.cos_colatitude;
    let u = points.sin_colatitude;
    // (a/r)^(n+2) for every n, per lane; on the stack for the common
    // degrees, so a group of points allocates nothing.
    let mut stack_powers = [splat(0.0); 16];
    let mut heap_powers = Vec::new();
    let radius_powers: &mut [Lanes] = if degree < stack_powers.len() {
        &mut stack_powers[..=degree]
    } else {
        heap_powers.resize(degree + 1, splat(0.0));
        &mut heap_powers
    };
    let mut ratio = splat(0.0);
    for l in 0..LANES {
        ratio[l] = expansion.reference_radius_km / points.radius_km[l];
    }
    let mut power = splat(0.0);
    for l in 0..LANES {
        power[l] = ratio[l] * ratio[l];
    }
    for slot in radius_powers.iter_mut() {
        *slot = power;
        for l in 0..LANES {
            power[l] *= ratio[l];
        }
    }

    let mut out = [splat(0.0); 6];
    let mut u_pow_m_minus_1 = splat(1.0);
    let mut t_mm = splat(1.0);
    let (mut cos_m, mut sin_m) = (splat(1.0), splat(0.0));
    let mut term_index = 0;
    for m in 0..=degree {
        let m_f = m as f64;
        if m >= 2 {
            for l in 0..LANES {
                u_pow_m_minus_1[l] *= u[l];
            }
        }
        let diagonal = expansion.diagonal[m];
        let mut u_pow_m = splat(1.0);
        for l in 0..LANES {
            if m >= 1 {
                t_mm[l] *= diagonal;
                u_pow_m[l] = u_pow_m_minus_1[l] * u[l];
            }
        }
        let mut sums = [splat(0.0); 12];
        let (mut t_prev2, mut dt_prev2) = (splat(0.0), splat(0.0));
        let (mut t_prev, mut dt_prev) = (t_mm, splat(0.0));
        for term in &expansion.terms[term_index..term_index + degree + 1 - m] {
            let n = term.n;
            let mut t_nm = t_mm;
            let mut dt_nm = splat(0.0);
            if n > m {
                for l in 0..LANES {
                    t_nm[l] = term.a * t[l] * t_prev[l] - term.b * t_prev2[l];
                    dt_nm[l] = term.a * (t_prev[l] + t[l] * dt_prev[l]) - term.b * dt_prev2[l];
                }
            }
            let s = radius_powers[n];
            for l in 0..LANES {
                let p = u_pow_m[l] * t_nm[l];
                let dp = m_f * t[l] * u_pow_m_minus_1[l] * t_nm[l] - u_pow_m[l] * u[l] * dt_nm[l];
                let p_over_sin = if m == 0 {
                    0.0
                } else {
                    u_pow_m_minus_1[l] * t_nm[l]
                };
                let dp_s = dp * s[l];
                let p_m_s = p_over_sin * m_f * s[l];
                let p_z = p * term.minus_n_plus_1 * s[l];
                sums[0][l] += term.g * dp_s;
                sums[1][l] += term.h * dp_s;
                sums[2][l] += term.g * p_m_s;
                sums[3][l] += term.h * p_m_s;
                sums[4][l] += term.g * p_z;
                sums[5][l] += term.h * p_z;
                sums[6][l] += term.g_sv * dp_s;
                sums[7][l] += term.h_sv * dp_s;
                sums[8][l] += term.g_sv * p_m_s;
                sums[9][l] += term.h_sv * p_m_s;
                sums[10][l] += term.g_sv * p_z;
                sums[11][l] += term.h_sv * p_z;
            }
            t_prev2 = t_prev;
            dt_prev2 = dt_prev;
            t_prev = t_nm;
            dt_prev = dt_nm;
        }
        term_index += degree + 1 - m;
        for l in 0..LANES {
            let (c, s) = (cos_m[l], sin_m[l]);
            out[0][l] += sums[0][l] * c + sums[1][l] * s;
            out[1][l] += sums[2][l] * s - sums[3][l] * c;
            out[2][l] += sums[4][l] * c + sums[5][l] * s;
            out[3][l] += sums[6][l] * c + sums[7][l] * s;
            out[4][l] += sums[8][l] * s - sums[9][l] * c;
            out[5][l] += sums[10][l] * c + sums[11][l] * s;
            let (c1, s1) = (points.cos_longitude[l], points.sin_longitude[l]);
            cos_m[l] = c * c1 - s * s1;
            sin_m[l] = s * c1 + c * s1;
        }
    }
    std::array::from_fn(|l| {
        (
            FieldVector {
                north: out[0][l],
                east: out[1][l],
                down: out[2][l],
            },
            FieldVector {
                north: out[3][l],
                east: out[4][l],
                down: out[5][l],
            },
        )
    })
}
