//! [`Float4`](super::Float4) as one AVX2 register, with FMA.
//!
//! Values of [`Avx2`] exist only inside [`run_avx2_fma`],
//! [`run_wide_avx2_fma`] and [`run_avx512`], which are compiled with AVX2
//! and FMA (the third with AVX-512 as well) and called only on a path the
//! CPU was checked for;
//! every method is `#[inline(always)]`, so it is compiled into that
//! context and its intrinsics are sound to execute.

use super::{FloatN, Kernel, LANES, Lanes, SimdFloat, WideKernel};
use std::arch::x86_64::*;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// Four f64 lanes in one AVX2 register.
///
/// # Safety invariant
/// Every method executes AVX2 or FMA instructions, yet is a safe function:
/// that is sound only because a value of this type never exists on a CPU
/// without both. The type is private to this module (its field) and to
/// `simd` (the module is private to the crate), and the only place that
/// makes one is [`run_avx2_fma`], [`run_wide_avx2_fma`] or [`run_avx512`],
/// `unsafe fn`s that `simd::with_best` and `simd::with_widest` call only
/// on the path `simd_path()` chose after `is_x86_feature_detected!` found
/// AVX2 and FMA (and, for the third, AVX-512 F, VL and DQ). Code that makes an `Avx2` any other way (a
/// `Kernel` run directly with `Avx2`, a constant, a `Default`) breaks
/// this rule; none may be added.
#[derive(Clone, Copy)]
pub struct Avx2(__m256d);

/// Runs `kernel` on [`Avx2`].
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub unsafe fn run_avx2_fma<K: Kernel>(kernel: K) -> K::Output {
    kernel.run::<Avx2>()
}

/// Runs a kernel of any width on [`Avx2`]: four lanes.
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub unsafe fn run_wide_avx2_fma<K: WideKernel>(kernel: K) -> K::Output {
    kernel.run::<LANES, Avx2>()
}

/// Runs `kernel` on [`Avx2`] compiled for AVX-512: the same four lanes,
/// but with 32 vector registers (the compiler spills fewer of the
/// kernels' sums to memory) and comparisons into mask registers.
///
/// # Safety
/// The CPU must support AVX2, FMA and AVX-512 F, VL and DQ.
#[target_feature(enable = "avx2,fma,avx512f,avx512vl,avx512dq")]
pub unsafe fn run_avx512<K: Kernel>(kernel: K) -> K::Output {
    kernel.run::<Avx2>()
}

macro_rules! binary {
    ($trait:ident, $method:ident, $intrinsic:ident) => {
        impl $trait for Avx2 {
            type Output = Avx2;
            #[inline(always)]
            fn $method(self, other: Avx2) -> Avx2 {
                // SAFETY: see the module doc.
                Avx2(unsafe { $intrinsic(self.0, other.0) })
            }
        }
    };
}
binary!(Add, add, _mm256_add_pd);
binary!(Sub, sub, _mm256_sub_pd);
binary!(Mul, mul, _mm256_mul_pd);
binary!(Div, div, _mm256_div_pd);

impl Neg for Avx2 {
    type Output = Avx2;
    #[inline(always)]
    fn neg(self) -> Avx2 {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_xor_pd(self.0, _mm256_set1_pd(-0.0)) })
    }
}

/// A lane is selected where the sign bit of its mask lane is set, which is
/// what `blendv` reads: comparisons set all bits, and a value's own sign
/// bit serves as the mask of "is negative".
impl SimdFloat for Avx2 {
    type Mask = __m256d;
    #[inline(always)]
    fn splat(value: f64) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_set1_pd(value) })
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_fmadd_pd(self.0, b.0, c.0) })
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_sqrt_pd(self.0) })
    }
    #[inline(always)]
    fn abs(self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_andnot_pd(_mm256_set1_pd(-0.0), self.0) })
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_min_pd(self.0, other.0) })
    }
    #[inline(always)]
    fn round_ties_even(self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe {
            _mm256_round_pd::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(self.0)
        })
    }
    #[inline(always)]
    fn floor(self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_floor_pd(self.0) })
    }
    #[inline(always)]
    fn gt(self, other: Self) -> Self::Mask {
        // SAFETY: see the module doc.
        unsafe { _mm256_cmp_pd::<_CMP_GT_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    fn eq(self, other: Self) -> Self::Mask {
        // SAFETY: see the module doc.
        unsafe { _mm256_cmp_pd::<_CMP_EQ_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    fn sign_negative(self) -> Self::Mask {
        self.0
    }
    #[inline(always)]
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask {
        // SAFETY: see the module doc.
        unsafe { _mm256_or_pd(a, b) }
    }
    #[inline(always)]
    fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_blendv_pd(if_false.0, if_true.0, mask) })
    }
}

impl FloatN<LANES> for Avx2 {
    #[inline(always)]
    fn from_array(values: Lanes) -> Self {
        // SAFETY: see the module doc; the pointer is to LANES f64.
        Avx2(unsafe { _mm256_loadu_pd(values.as_ptr()) })
    }
    #[inline(always)]
    fn to_array(self) -> Lanes {
        let mut out = [0.0; LANES];
        // SAFETY: see the module doc; the pointer is to LANES f64.
        unsafe { _mm256_storeu_pd(out.as_mut_ptr(), self.0) };
        out
    }
    #[inline(always)]
    fn reversed(self) -> Self {
        // SAFETY: see the module doc.
        Avx2(unsafe { _mm256_permute4x64_pd::<0b00_01_10_11>(self.0) })
    }
}

/// `destination.copy_from_slice(source)` with non-temporal stores, not
/// fenced; see [`super::StreamingCopies`]. Lengths must be equal (checked
/// by the caller).
///
/// # Safety
/// The CPU must support AVX.
#[target_feature(enable = "avx")]
pub unsafe fn copy_streaming(destination: &mut [f64], source: &[f64]) {
    debug_assert_eq!(destination.len(), source.len());
    let len = destination.len().min(source.len());
    let (to, from) = (destination.as_mut_ptr(), source.as_ptr());
    // Single values up to the first 32-byte boundary, whole registers to
    // the last, single values after it: `_mm256_stream_pd` needs the
    // alignment.
    // An f64 is 8-byte aligned, so the distance to the boundary is a
    // whole number of values.
    let head = ((32 - to as usize % 32) % 32 / 8).min(len);
    let body_end = head + (len - head) / LANES * LANES;
    // SAFETY: every index below is < len, so every pointer is in bounds
    // of both slices; the register stores are 32-byte aligned by the
    // choice of `head`; the CPU has AVX (the caller's contract) and SSE2
    // (every x86_64).
    unsafe {
        for i in (0..head).chain(body_end..len) {
            _mm_stream_si64(to.add(i).cast::<i64>(), (*from.add(i)).to_bits() as i64);
        }
        for i in (head..body_end).step_by(LANES) {
            _mm256_stream_pd(to.add(i), _mm256_loadu_pd(from.add(i)));
        }
    }
}
