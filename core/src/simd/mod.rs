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

mod math;
mod pair;
mod portable;
#[cfg(target_arch = "x86_64")]
mod x86;
#[cfg(target_arch = "x86_64")]
mod x86_512;

pub use math::sin_cos_degrees;
pub(crate) use math::{Estrin, Evaluation, Horner, atan2_degrees_by, sin_cos_degrees_by};
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
