//! Several f64 values at once: small vector types with one implementation
//! per instruction set, and the elementary functions the lane kernels need
//! (sine and cosine of degrees, atan2 in degrees) written once over them.
//!
//! Code generic over [`Float4`] compiles to one AVX2 instruction per step
//! when instantiated with the AVX2 type inside a function compiled for
//! AVX2 and FMA, or for AVX-512 with its 32 registers ([`with_best`] runs
//! it on the [`SimdPath`] chosen after checking the CPU), and to plain
//! scalar loops otherwise. Code generic over [`FloatN`] ([`with_widest`])
//! runs eight lanes in one register on the AVX-512 path. libm's scalar
//! `sin_cos` and `atan2` cost as much as the whole degree-12 synthesis;
//! these cost a few dozen vector instructions a group, within a couple of
//! units in the last place of std's results (tests below).

use std::ops::{Add, Div, Mul, Neg, Sub};

mod pair;
mod portable;
#[cfg(target_arch = "x86_64")]
mod x86;
#[cfg(target_arch = "x86_64")]
mod x86_512;

pub use pair::Pair;
pub use portable::Portable;

/// Values processed together: four f64 fill one AVX2 register.
pub const LANES: usize = 4;

/// One value per lane.
pub type Lanes = [f64; LANES];

/// Lane-by-lane f64 arithmetic, whatever the width: what the elementary
/// functions below and the elements need. Comparisons give a
/// [`SimdFloat::Mask`] for [`SimdFloat::select`].
pub trait SimdFloat:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    type Mask: Copy;
    fn splat(value: f64) -> Self;
    /// self · b + c, fused where the instruction set has it.
    fn mul_add(self, b: Self, c: Self) -> Self;
    fn sqrt(self) -> Self;
    fn abs(self) -> Self;
    /// The smaller of the two lanes; `other` where either is NaN (as the
    /// x86 instruction gives it).
    fn min(self, other: Self) -> Self;
    fn round_ties_even(self) -> Self;
    fn floor(self) -> Self;
    fn gt(self, other: Self) -> Self::Mask;
    fn eq(self, other: Self) -> Self::Mask;
    /// Lanes whose sign bit is set (−0.0 included).
    fn sign_negative(self) -> Self::Mask;
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self;
}

/// `W` f64 lanes, to and from an array: what a kernel written for any
/// width ([`WideKernel`]) needs besides the arithmetic.
pub trait FloatN<const W: usize>: SimdFloat {
    fn from_array(values: [f64; W]) -> Self;
    fn to_array(self) -> [f64; W];
    /// The lanes in reverse order.
    fn reversed(self) -> Self;
}

/// Four f64 lanes: one AVX2 register, or four scalars.
pub trait Float4: FloatN<LANES> {}

impl<V: FloatN<LANES>> Float4 for V {}

/// The lanes of [`with_widest`]'s vectors on this CPU's [`simd_path`]:
/// eight with AVX-512, four otherwise. Layouts built ahead of a kernel
/// (a grid's longitude groups) use it.
pub fn widest_lanes() -> usize {
    if simd_path() == SimdPath::Avx512 {
        8
    } else {
        LANES
    }
}

/// Code that runs on any [`Float4`]: [`with_best`] runs it on the best
/// implementation this CPU has.
pub trait Kernel {
    type Output;
    fn run<V: Float4>(self) -> Self::Output;
}

/// The instruction sets the lane kernels are compiled for, chosen once per
/// process at run time: the best the CPU has, or the one `MAGVAR_SIMD`
/// names (`portable`, `avx2` or `avx512`) when the CPU has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimdPath {
    /// Plain scalar code, four values a step: any CPU.
    Portable,
    /// Four lanes in 256-bit registers with AVX2 and FMA.
    Avx2,
    /// AVX-512 (F, VL, DQ): eight lanes in one register for the kernels
    /// written for any width (point batches, grid rows),
    /// and the four-lane kernels (one point a call) compiled for it, with 32
    /// vector registers instead of 16 (the kernels' many live sums stay in
    /// registers) and comparisons into mask registers for the selects.
    Avx512,
}

impl SimdPath {
    /// Every path, slowest first.
    pub const ALL: [SimdPath; 3] = [SimdPath::Portable, SimdPath::Avx2, SimdPath::Avx512];

    /// The name `MAGVAR_SIMD` takes and benchmarks print.
    pub fn name(self) -> &'static str {
        match self {
            SimdPath::Portable => "portable",
            SimdPath::Avx2 => "avx2",
            SimdPath::Avx512 => "avx512",
        }
    }

    /// The path of that name, if any.
    pub fn from_name(name: &str) -> Option<SimdPath> {
        SimdPath::ALL.into_iter().find(|path| path.name() == name)
    }

    /// Whether this CPU can run the path.
    pub fn is_supported(self) -> bool {
        match self {
            SimdPath::Portable => true,
            #[cfg(target_arch = "x86_64")]
            SimdPath::Avx2 => {
                std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            SimdPath::Avx512 => {
                SimdPath::Avx2.is_supported()
                    && std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512vl")
                    && std::is_x86_feature_detected!("avx512dq")
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The fastest path this CPU supports.
    pub fn best_supported() -> SimdPath {
        SimdPath::ALL
            .into_iter()
            .rev()
            .find(|path| path.is_supported())
            .unwrap_or(SimdPath::Portable)
    }
}

impl std::fmt::Display for SimdPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The path the kernels run on in this process: `MAGVAR_SIMD`'s when set
/// to a path's name and the CPU supports it, else the best the CPU
/// supports. The environment is read once. A name the CPU cannot run, or
/// no name at all, falls back to the best supported path rather than
/// failing, so that a script that forces `avx512` still runs elsewhere;
/// the benchmarks print the path that ran.
pub fn simd_path() -> SimdPath {
    static PATH: std::sync::OnceLock<SimdPath> = std::sync::OnceLock::new();
    *PATH.get_or_init(|| {
        std::env::var("MAGVAR_SIMD")
            .ok()
            .and_then(|name| SimdPath::from_name(name.trim()))
            .filter(|path| path.is_supported())
            .unwrap_or_else(SimdPath::best_supported)
    })
}

/// The dispatch every `unsafe fn …_on(path, …)` below makes: the `avx2`
/// expression on the AVX2 path, the `avx512` one on the AVX-512 path
/// (both calls of `unsafe fn`s that need those paths' CPU features), the
/// `portable` one otherwise. Used only in functions whose contract is
/// that `path.is_supported()` holds.
macro_rules! on_path {
    ($path:expr,
        avx2 => $avx2:expr,
        avx512 => $avx512:expr,
        portable => $portable:expr $(,)?
    ) => {
        match $path {
            // SAFETY: the path is supported (the enclosing function's
            // contract): the CPU has AVX2 and FMA.
            #[cfg(target_arch = "x86_64")]
            SimdPath::Avx2 => unsafe { $avx2 },
            // SAFETY: as above; AVX2, FMA, AVX-512 F, VL and DQ.
            #[cfg(target_arch = "x86_64")]
            SimdPath::Avx512 => unsafe { $avx512 },
            _ => $portable,
        }
    };
}

/// Code that runs on lanes of any width: [`with_widest`] runs it on the
/// widest vectors the CPU has (eight lanes with AVX-512, four otherwise).
pub trait WideKernel {
    type Output;
    fn run<const W: usize, V: FloatN<W>>(self) -> Self::Output;
}

/// Runs `kernel` on [`simd_path`] at its widest: eight lanes in one
/// AVX-512 register, four in one AVX2 register, or four portable scalars.
pub fn with_widest<K: WideKernel>(kernel: K) -> K::Output {
    // SAFETY: `simd_path` gives only a path the CPU supports.
    unsafe { run_wide_on(simd_path(), kernel) }
}

/// Runs `kernel` on `path` at its widest, with no check of the CPU.
///
/// # Safety
/// `path.is_supported()` must hold.
unsafe fn run_wide_on<K: WideKernel>(path: SimdPath, kernel: K) -> K::Output {
    on_path!(path,
        avx2 => x86::run_wide_avx2_fma(kernel),
        avx512 => x86_512::run_wide_avx512(kernel),
        portable => kernel.run::<LANES, Portable>(),
    )
}

/// Runs `kernel` on [`simd_path`].
pub fn with_best<K: Kernel>(kernel: K) -> K::Output {
    // SAFETY: `simd_path` gives only a path the CPU supports.
    unsafe { run_on(simd_path(), kernel) }
}

/// Runs `kernel` on `path`, with no check of the CPU: one call a point
/// goes through here, and `is_supported` would cost it 2 %.
///
/// # Safety
/// `path.is_supported()` must hold.
unsafe fn run_on<K: Kernel>(path: SimdPath, kernel: K) -> K::Output {
    on_path!(path,
        avx2 => x86::run_avx2_fma(kernel),
        avx512 => x86::run_avx512(kernel),
        portable => kernel.run::<Portable>(),
    )
}

/// Copies with non-temporal stores where the CPU has AVX: the data goes
/// to memory without first being read into the cache, which halves the
/// memory traffic of writing a buffer far larger than the cache (a global
/// grid's bands are 125 MB). For output that is read back soon, a plain
/// copy is better: the caller chooses.
///
/// Non-temporal stores are weakly ordered, so they must be fenced before
/// the data is handed to another thread. The fence is costly (a grid row's
/// thirty copies each fenced ran at 8 GB/s, against 19 GB/s with one
/// fence a row), so it is done once, when the copier is dropped.
///
/// The copier is not `Send`: the thread that issued the stores fences
/// them, before whatever hands its results on. (`mem::forget` would skip
/// the fence; nothing here does that.)
pub struct StreamingCopies {
    /// Whether any non-temporal store was issued since the last fence.
    unfenced: bool,
    /// The stores are fenced by the thread that made them.
    _not_send: std::marker::PhantomData<*const ()>,
}

impl StreamingCopies {
    pub fn new() -> Self {
        StreamingCopies {
            unfenced: false,
            _not_send: std::marker::PhantomData,
        }
    }

    /// Copies `source` into `destination` (of the same length).
    pub fn copy(&mut self, destination: &mut [f64], source: &[f64]) {
        // SAFETY: `simd_path` gives only a path the CPU supports.
        self.unfenced |= unsafe { copy_on(simd_path(), destination, source) };
    }
}

/// `destination.copy_from_slice(source)`, with non-temporal stores on the
/// paths that have them (not fenced); true if it used them.
///
/// # Safety
/// `path.is_supported()` must hold.
unsafe fn copy_on(path: SimdPath, destination: &mut [f64], source: &[f64]) -> bool {
    assert_eq!(destination.len(), source.len(), "copy of equal lengths");
    on_path!(path,
        avx2 => x86::copy_streaming(destination, source),
        avx512 => x86_512::copy_streaming(destination, source),
        portable => {
            destination.copy_from_slice(source);
            return false;
        },
    );
    true
}

impl Default for StreamingCopies {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for StreamingCopies {
    fn drop(&mut self) {
        if self.unfenced {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: SSE is part of every x86-64 CPU.
            unsafe {
                std::arch::x86_64::_mm_sfence()
            };
        }
    }
}

/// Horner's rule over `coefficients` (lowest power first) at x.
#[inline(always)]
fn polynomial<V: SimdFloat, const K: usize>(coefficients: &[f64; K], x: V) -> V {
    let mut acc = V::splat(coefficients[K - 1]);
    for &c in coefficients[..K - 1].iter().rev() {
        acc = acc.mul_add(x, V::splat(c));
    }
    acc
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
    let quadrant = (degrees * V::splat(1.0 / 90.0)).round_ties_even();
    let r = quadrant.mul_add(V::splat(-90.0), degrees) * V::splat(std::f64::consts::PI / 180.0);
    let r2 = r * r;
    let s = (r * r2).mul_add(polynomial(&SIN_TAYLOR, r2), r);
    let c = r2.mul_add(polynomial(&COS_TAYLOR, r2), V::splat(1.0));
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
/// the series.
#[inline(always)]
pub fn atan2_degrees<V: SimdFloat>(y: V, x: V) -> V {
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
    let mut angle = node + (r * r2).mul_add(polynomial(&ATAN_SERIES, r2), r);
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

    fn random_values(count: usize, scale: f64) -> Vec<f64> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x2545_F491_4F6C_DD1D);
        (0..count)
            .map(|_| rng.random_range(-1.0..1.0) * scale)
            .collect()
    }

    /// sin/cos and atan2 of every input, on the best implementation.
    struct Evaluate<'a> {
        angles: &'a [f64],
        ys: &'a [f64],
        xs: &'a [f64],
    }

    impl Kernel for Evaluate<'_> {
        type Output = (Vec<(f64, f64)>, Vec<f64>);
        #[inline(always)]
        fn run<V: Float4>(self) -> Self::Output {
            self.evaluate::<LANES, V>()
        }
    }

    impl WideKernel for Evaluate<'_> {
        type Output = (Vec<(f64, f64)>, Vec<f64>);
        #[inline(always)]
        fn run<const W: usize, V: FloatN<W>>(self) -> Self::Output {
            self.evaluate::<W, V>()
        }
    }

    impl Evaluate<'_> {
        #[inline(always)]
        fn evaluate<const W: usize, V: FloatN<W>>(self) -> (Vec<(f64, f64)>, Vec<f64>) {
            let mut sin_cos = Vec::new();
            for chunk in self.angles.chunks_exact(W) {
                let (s, c) = sin_cos_degrees(V::from_array(chunk.try_into().unwrap()));
                sin_cos.extend(s.to_array().into_iter().zip(c.to_array()));
            }
            let mut atan2 = Vec::new();
            for (y, x) in self.ys.chunks_exact(W).zip(self.xs.chunks_exact(W)) {
                let a = atan2_degrees(
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

    #[test]
    fn portable_functions_agree_with_std() {
        let (angles, ys, xs) = inputs();
        let kernel = Evaluate {
            angles: &angles,
            ys: &ys,
            xs: &xs,
        };
        check(Kernel::run::<Portable>(kernel), &angles, &ys, &xs);
    }

    #[test]
    fn every_supported_path_agrees_with_std() {
        let (angles, ys, xs) = inputs();
        for path in SimdPath::ALL.into_iter().filter(|p| p.is_supported()) {
            let kernel = Evaluate {
                angles: &angles,
                ys: &ys,
                xs: &xs,
            };
            eprintln!("path {path}");
            // SAFETY: only supported paths, filtered above.
            check(unsafe { run_on(path, kernel) }, &angles, &ys, &xs);
        }
    }

    /// The same on every path at its widest (eight lanes on AVX-512).
    #[test]
    fn every_supported_wide_path_agrees_with_std() {
        let (angles, ys, xs) = inputs();
        for path in SimdPath::ALL.into_iter().filter(|p| p.is_supported()) {
            let kernel = Evaluate {
                angles: &angles,
                ys: &ys,
                xs: &xs,
            };
            eprintln!("path {path}, widest");
            // SAFETY: only supported paths, filtered above.
            check(unsafe { run_wide_on(path, kernel) }, &angles, &ys, &xs);
        }
    }

    #[test]
    fn paths_are_named_as_magvar_simd_takes_them() {
        for path in SimdPath::ALL {
            assert_eq!(SimdPath::from_name(path.name()), Some(path));
        }
        assert_eq!(SimdPath::from_name("sse"), None);
        assert!(SimdPath::Portable.is_supported());
        assert!(SimdPath::best_supported().is_supported());
        // AVX-512 here implies AVX2: the paths nest.
        if SimdPath::Avx512.is_supported() {
            assert!(SimdPath::Avx2.is_supported());
        }
    }

    #[test]
    fn streaming_copies_equal_plain_copies_at_every_alignment() {
        let source: Vec<f64> = (0..64).map(|i| i as f64 * 1.5 - 7.0).collect();
        let paths = SimdPath::ALL.into_iter().filter(|p| p.is_supported());
        for (path, start, len) in
            paths.flat_map(|p| (0..8).flat_map(move |s| (0..40).map(move |l| (p, s, l))))
        {
            {
                let mut buffer = vec![f64::NAN; 64];
                // SAFETY: only supported paths, filtered above.
                let streamed =
                    unsafe { copy_on(path, &mut buffer[start..start + len], &source[..len]) };
                if streamed {
                    // SAFETY: SSE is part of every x86-64 CPU; this path
                    // streams only there.
                    #[cfg(target_arch = "x86_64")]
                    unsafe {
                        std::arch::x86_64::_mm_sfence()
                    };
                }
                assert_eq!(
                    &buffer[start..start + len],
                    &source[..len],
                    "{path} {start} {len}"
                );
                assert!(
                    buffer[..start].iter().all(|v| v.is_nan()),
                    "{path} {start} {len}"
                );
                assert!(
                    buffer[start + len..].iter().all(|v| v.is_nan()),
                    "{path} {start} {len}"
                );
            }
        }
    }

    #[test]
    fn right_angles_are_exact() {
        let (sin, cos) = sin_cos_degrees(Portable([90.0, -90.0, 180.0, 0.0]));
        assert_eq!(sin.0, [1.0, -1.0, 0.0, 0.0]);
        assert_eq!(cos.0.map(f64::abs), [0.0, 0.0, 1.0, 1.0]);
    }
}
