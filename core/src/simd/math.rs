//! The elementary functions the lane kernels need, written once over
//! [`SimdFloat`]: sine and cosine of degrees and atan2 in degrees, each
//! with its polynomials evaluated for throughput ([`Horner`]) or for
//! latency ([`Estrin`]).

use super::SimdFloat;

/// How a polynomial is evaluated. Horner's rule takes the fewest
/// operations, which is what a kernel with many groups in flight wants
/// (the grid rows, the point batches' sin/cos): they keep the pipes busy
/// whatever the chain. Estrin's scheme pairs the terms so that the chain
/// of dependent multiply-adds is log₂ K long instead of K − 1 (a few more
/// multiplies): what a kernel waiting on the chain wants (one point a
/// call; the elements each point-batch group ends on). Both give the same
/// value to a few units in the last place, and the functions built on
/// either agree with std (tests below).
pub(crate) trait Evaluation {
    /// Σ coefficients[i] · xⁱ (lowest power first).
    fn polynomial<V: SimdFloat, const K: usize>(coefficients: &[f64; K], x: V) -> V;
}

/// Horner's rule: the fewest operations.
pub(crate) struct Horner;

/// Estrin's scheme: the shortest chain.
pub(crate) struct Estrin;

impl Evaluation for Horner {
    #[inline(always)]
    fn polynomial<V: SimdFloat, const K: usize>(coefficients: &[f64; K], x: V) -> V {
        let mut acc = V::splat(coefficients[K - 1]);
        for &c in coefficients[..K - 1].iter().rev() {
            acc = acc.mul_add(x, V::splat(c));
        }
        acc
    }
}

impl Evaluation for Estrin {
    #[inline(always)]
    fn polynomial<V: SimdFloat, const K: usize>(coefficients: &[f64; K], x: V) -> V {
        // Pairs (a + b·x), then pairs of pairs with x², and so on: K is a
        // constant, so the loops unroll to a tree.
        let mut terms = coefficients.map(V::splat);
        let (mut count, mut power) = (K, x);
        while count > 1 {
            let half = count.div_ceil(2);
            for i in 0..half {
                terms[i] = if 2 * i + 1 < count {
                    terms[2 * i + 1].mul_add(power, terms[2 * i])
                } else {
                    terms[2 * i]
                };
            }
            count = half;
            if count > 1 {
                power = power * power;
            }
        }
        terms[0]
    }
}

/// Taylor coefficients of sin r / r − 1 in powers of r², from r² up:
/// −1/3!, 1/5!, … , 1/17!. |r| ≤ π/4, so the first term left out,
/// r¹⁹/19!, is below 1e-19.
const SIN_TAYLOR: [f64; 8] = [
    -1.0 / 6.0,
    1.0 / 120.0,
    -1.0 / 5040.0,
    1.0 / 362_880.0,
    -1.0 / 39_916_800.0,
    1.0 / 6_227_020_800.0,
    -1.0 / 1_307_674_368_000.0,
    1.0 / 355_687_428_096_000.0,
];

/// Taylor coefficients of cos r − 1 in powers of r²: −1/2!, 1/4!, … ,
/// 1/16!. The first term left out, r¹⁸/18!, is below 3e-18.
const COS_TAYLOR: [f64; 8] = [
    -0.5,
    1.0 / 24.0,
    -1.0 / 720.0,
    1.0 / 40_320.0,
    -1.0 / 3_628_800.0,
    1.0 / 479_001_600.0,
    -1.0 / 87_178_291_200.0,
    1.0 / 20_922_789_888_000.0,
];

/// (sin, cos) of angles in degrees.
///
/// The reduction is exact in degrees: x = 90°·q + r with |r| ≤ 45°, so
/// multiples of 90° give exact zeros and ones (cos 90° = 0, not 6e-17).
#[inline(always)]
pub fn sin_cos_degrees<V: SimdFloat>(degrees: V) -> (V, V) {
    sin_cos_degrees_by::<Horner, V>(degrees)
}

/// [`sin_cos_degrees`] with its polynomials evaluated by `E`.
#[inline(always)]
pub(crate) fn sin_cos_degrees_by<E: Evaluation, V: SimdFloat>(degrees: V) -> (V, V) {
    let quadrant = (degrees * V::splat(1.0 / 90.0)).round_ties_even();
    let r = quadrant.mul_add(V::splat(-90.0), degrees) * V::splat(std::f64::consts::PI / 180.0);
    let r2 = r * r;
    let s = (r * r2).mul_add(E::polynomial(&SIN_TAYLOR, r2), r);
    let c = r2.mul_add(E::polynomial(&COS_TAYLOR, r2), V::splat(1.0));
    // The quadrant mod 4, in 0..=3, exactly, in floating point.
    let q = (quadrant * V::splat(0.25))
        .floor()
        .mul_add(V::splat(-4.0), quadrant);
    let (one, two, three) = (V::splat(1.0), V::splat(2.0), V::splat(3.0));
    let swap = V::or(q.eq(one), q.eq(three));
    let (s, c) = (V::select(swap, c, s), V::select(swap, s, c));
    let sin = V::select(V::or(q.eq(two), q.eq(three)), -s, s);
    let cos = V::select(V::or(q.eq(one), q.eq(two)), -c, c);
    (sin, cos)
}

/// (atan r / r − 1) / r² as a polynomial in r² for |r| ≤ tan(π/16) ≈
/// 0.199: the polynomial of degree 7 that interpolates it at the 8
/// Chebyshev nodes of r² ∈ [0, tan²(π/16)] (computed with mpmath at 50
/// digits), close to the minimax one. Its relative error in atan r is
/// below 1e-18 with the coefficients rounded to f64, where the Taylor
/// series needs 13 terms for the same: a shorter chain of dependent
/// multiply-adds, which is what a group's elements wait on.
const ATAN_SERIES: [f64; 8] = [
    -0.3333333333333333,
    0.1999999999999729,
    -0.1428571428427355,
    0.11111110818998077,
    -0.0909087995193466,
    0.07690724472468718,
    -0.06618732486766733,
    0.05115745967981171,
];

/// atan2(y, x) in degrees, in [−180°, 180°], with std's signs of zero.
///
/// With a = min(|x|, |y|) / max(|x|, |y|) in [0, 1], atan a is taken as
/// c + atan((a − tan c)/(1 + a tan c)) for the node c ∈ {0, π/8, π/4}
/// nearest to it: one division, and an argument of at most tan(π/16) for
/// the series. Its polynomial is evaluated by `E`.
#[inline(always)]
pub(crate) fn atan2_degrees_by<E: Evaluation, V: SimdFloat>(y: V, x: V) -> V {
    const TAN_PI_16: f64 = 0.198_912_367_379_658;
    const TAN_3PI_16: f64 = 0.668_178_637_919_298_9;
    const TAN_PI_8: f64 = 0.414_213_562_373_095_03;
    let (ax, ay) = (x.abs(), y.abs());
    let steep = ay.gt(ax);
    let small = V::select(steep, ax, ay);
    let large = V::select(steep, ay, ax);
    // An infinite side, clamped to the largest finite f64, gives the ratio
    // 0 (one infinite) or 1 (both) that std's atan2 takes, where inf/inf
    // and 0·inf below would give NaN. Two operations, not a select per
    // case: the grid computes two atan2 a point.
    let largest = V::splat(f64::MAX);
    let (small, large) = (small.min(largest), large.min(largest));
    let beyond_first = small.gt(large * V::splat(TAN_PI_16));
    let beyond_second = small.gt(large * V::splat(TAN_3PI_16));
    let tan_node = V::select(
        beyond_second,
        V::splat(1.0),
        V::select(beyond_first, V::splat(TAN_PI_8), V::splat(0.0)),
    );
    let node = V::select(
        beyond_second,
        V::splat(std::f64::consts::FRAC_PI_4),
        V::select(
            beyond_first,
            V::splat(std::f64::consts::FRAC_PI_8),
            V::splat(0.0),
        ),
    );
    let numerator = (-tan_node).mul_add(large, small);
    let denominator = tan_node.mul_add(small, large);
    // Both zero only at the origin, where atan2 is ±0 or ±180°.
    let r = V::select(
        denominator.gt(V::splat(0.0)),
        numerator / denominator,
        V::splat(0.0),
    );
    let r2 = r * r;
    let mut angle = node + (r * r2).mul_add(E::polynomial(&ATAN_SERIES, r2), r);
    angle = V::select(steep, V::splat(std::f64::consts::FRAC_PI_2) - angle, angle);
    angle = V::select(
        x.sign_negative(),
        V::splat(std::f64::consts::PI) - angle,
        angle,
    );
    let degrees = angle * V::splat(180.0 / std::f64::consts::PI);
    let degrees = V::select(y.sign_negative(), -degrees, degrees);
    // NaN in, NaN out: every comparison with NaN is false, so the selects
    // above would have made a number of it.
    let degrees = V::select(x.eq(x), degrees, x);
    V::select(y.eq(y), degrees, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::{
        Float4, FloatN, Kernel, LANES, Portable, SimdPath, WideKernel, run_on, run_wide_on,
    };

    fn random_values(count: usize, scale: f64) -> Vec<f64> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x2545_F491_4F6C_DD1D);
        (0..count)
            .map(|_| rng.random_range(-1.0..1.0) * scale)
            .collect()
    }

    /// sin/cos and atan2 of every input, on the best implementation.
    struct Evaluate<'a, E> {
        evaluation: std::marker::PhantomData<E>,
        angles: &'a [f64],
        ys: &'a [f64],
        xs: &'a [f64],
    }

    impl<E: Evaluation> Kernel for Evaluate<'_, E> {
        type Output = (Vec<(f64, f64)>, Vec<f64>);
        #[inline(always)]
        fn run<V: Float4>(self) -> Self::Output {
            self.evaluate::<LANES, V>()
        }
    }

    impl<E: Evaluation> WideKernel for Evaluate<'_, E> {
        type Output = (Vec<(f64, f64)>, Vec<f64>);
        #[inline(always)]
        fn run<const W: usize, V: FloatN<W>>(self) -> Self::Output {
            self.evaluate::<W, V>()
        }
    }

    impl<E: Evaluation> Evaluate<'_, E> {
        #[inline(always)]
        fn evaluate<const W: usize, V: FloatN<W>>(self) -> (Vec<(f64, f64)>, Vec<f64>) {
            let mut sin_cos = Vec::new();
            for chunk in self.angles.chunks_exact(W) {
                let (s, c) = sin_cos_degrees_by::<E, V>(V::from_array(chunk.try_into().unwrap()));
                sin_cos.extend(s.to_array().into_iter().zip(c.to_array()));
            }
            let mut atan2 = Vec::new();
            for (y, x) in self.ys.chunks_exact(W).zip(self.xs.chunks_exact(W)) {
                let a = atan2_degrees_by::<E, V>(
                    V::from_array(y.try_into().unwrap()),
                    V::from_array(x.try_into().unwrap()),
                );
                atan2.extend(a.to_array());
            }
            (sin_cos, atan2)
        }
    }

    fn inputs() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut angles = random_values(40_000, 400.0);
        angles.extend([0.0, 90.0, -90.0, 180.0, -180.0, 45.0, 270.0, 360.0, 22.5]);
        // Whole groups of every width (four and eight lanes).
        angles.resize(angles.len().next_multiple_of(8), 0.0);
        let mut ys = random_values(40_000, 60_000.0);
        let mut xs: Vec<f64> = random_values(40_000, 60_000.0).into_iter().rev().collect();
        // Axes, diagonals, the nodes' boundaries, zeros of either sign.
        let specials = [
            (0.0, 1.0),
            (1.0, 0.0),
            (0.0, -1.0),
            (-1.0, 0.0),
            (1.0, 1.0),
            (-1.0, -1.0),
            (0.198_912_367_379_658, 1.0),
            (0.668_178_637_919_299, 1.0),
            (0.0, 0.0),
            (-0.0, 0.0),
            (-0.0, -2.0),
            (1e-300, 3e4),
            (f64::NAN, 1.0),
            (-1.0, f64::NAN),
            (f64::NAN, f64::NAN),
            // Infinities: the axes and the diagonals, as std gives them.
            (f64::INFINITY, 1.0),
            (f64::NEG_INFINITY, -3.0),
            (2.0, f64::INFINITY),
            (-2.0, f64::INFINITY),
            (2.0, f64::NEG_INFINITY),
            (-0.0, f64::NEG_INFINITY),
            (f64::INFINITY, f64::INFINITY),
            (f64::INFINITY, f64::NEG_INFINITY),
            (f64::NEG_INFINITY, f64::INFINITY),
            (f64::NEG_INFINITY, f64::NEG_INFINITY),
            (f64::INFINITY, f64::NAN),
        ];
        for (y, x) in specials {
            ys.push(y);
            xs.push(x);
        }
        let len = ys.len().next_multiple_of(8);
        ys.resize(len, 1.0);
        xs.resize(len, 1.0);
        (angles, ys, xs)
    }

    fn check(output: (Vec<(f64, f64)>, Vec<f64>), angles: &[f64], ys: &[f64], xs: &[f64]) {
        let (sin_cos, atan2) = output;
        for (&x, &(sin, cos)) in angles.iter().zip(&sin_cos) {
            let (s, c) = x.to_radians().sin_cos();
            // std's own argument x·π/180 is rounded: allow a few ulp of
            // the angle, not of the result.
            let tolerance = 4e-16 + 2e-16 * x.abs().to_radians();
            assert!(
                (sin - s).abs() <= tolerance && (cos - c).abs() <= tolerance,
                "sin/cos of {x}°: {sin} {cos} vs std {s} {c}"
            );
        }
        for ((&y, &x), &got) in ys.iter().zip(xs).zip(&atan2) {
            let expected = y.atan2(x).to_degrees();
            if expected.is_nan() {
                assert!(got.is_nan(), "atan2({y}, {x}) = {got}, not NaN");
                continue;
            }
            assert!(
                (got - expected).abs() <= 6e-14,
                "atan2({y}, {x}) = {got} vs std {expected}"
            );
            assert_eq!(
                got.is_sign_negative(),
                expected.is_sign_negative(),
                "sign of atan2({y}, {x})"
            );
        }
    }

    impl<'a, E> Evaluate<'a, E> {
        fn new((angles, ys, xs): &'a (Vec<f64>, Vec<f64>, Vec<f64>)) -> Self {
            Evaluate {
                evaluation: std::marker::PhantomData,
                angles,
                ys,
                xs,
            }
        }
    }

    /// Both evaluations on `path` at four lanes and at its widest.
    fn check_path(path: SimdPath) {
        assert!(path.is_supported(), "{path} is not supported here");
        let inputs = inputs();
        let (angles, ys, xs) = (&inputs.0, &inputs.1, &inputs.2);
        eprintln!("path {path}");
        // SAFETY (each call): the path is supported (asserted above).
        check(
            unsafe { run_on(path, Evaluate::<Horner>::new(&inputs)) },
            angles,
            ys,
            xs,
        );
        check(
            unsafe { run_on(path, Evaluate::<Estrin>::new(&inputs)) },
            angles,
            ys,
            xs,
        );
        check(
            unsafe { run_wide_on(path, Evaluate::<Horner>::new(&inputs)) },
            angles,
            ys,
            xs,
        );
        check(
            unsafe { run_wide_on(path, Evaluate::<Estrin>::new(&inputs)) },
            angles,
            ys,
            xs,
        );
    }

    #[test]
    fn portable_functions_agree_with_std() {
        check_path(SimdPath::Portable);
    }

    /// Every path the CPU has, at four lanes and at its widest (eight on
    /// AVX-512), each polynomial evaluation.
    #[test]
    fn every_supported_path_agrees_with_std() {
        for path in SimdPath::ALL.into_iter().filter(|p| p.is_supported()) {
            check_path(path);
        }
    }

    /// Estrin's pairing for every length up to nine coefficients (odd
    /// ones leave a term unpaired at some level), against Horner's rule.
    #[test]
    fn estrin_equals_horner_for_every_length() {
        fn both<const K: usize>(coefficients: [f64; K]) {
            for x in [-1.7, -0.3, 0.0, 0.2, 0.9, 1.3] {
                let x = Portable([x; LANES]);
                let (h, e) = (
                    Horner::polynomial(&coefficients, x).0[0],
                    Estrin::polynomial(&coefficients, x).0[0],
                );
                assert!(
                    (h - e).abs() <= 1e-14 * h.abs().max(1.0),
                    "K = {K} at {}: Horner {h}, Estrin {e}",
                    x.0[0]
                );
            }
        }
        let c = [0.7, -1.3, 2.9, 0.11, -0.6, 1.7, 0.05, -2.2, 0.9];
        both([c[0]]);
        both([c[0], c[1]]);
        both([c[0], c[1], c[2]]);
        both([c[0], c[1], c[2], c[3]]);
        both([c[0], c[1], c[2], c[3], c[4]]);
        both([c[0], c[1], c[2], c[3], c[4], c[5]]);
        both([c[0], c[1], c[2], c[3], c[4], c[5], c[6]]);
        both([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        both(c);
    }

    #[test]
    fn right_angles_are_exact() {
        let (sin, cos) = sin_cos_degrees(Portable([90.0, -90.0, 180.0, 0.0]));
        assert_eq!(sin.0, [1.0, -1.0, 0.0, 0.0]);
        assert_eq!(cos.0.map(f64::abs), [0.0, 0.0, 1.0, 1.0]);
    }
}
