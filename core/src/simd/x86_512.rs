//! Eight f64 lanes in one AVX-512 register, for kernels written for any
//! width ([`WideKernel`]).
//!
//! The point batches' synthesis is nearly all multiply-adds; an AVX-512
//! core issues as many eight-wide multiply-adds a cycle as four-wide ones
//! (`cargo xtask bench machine`: `fma-f64x8` beside `fma-f64x4`), so eight
//! lanes raise the ceiling of those kernels by up to two.

use super::{FloatN, SimdFloat, WideKernel};
use std::arch::x86_64::*;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// Eight f64 lanes in one AVX-512 register.
///
/// # Safety invariant
/// As for `x86::Avx2`: every method executes AVX-512 F or DQ
/// instructions, yet is a safe function, which is sound only because a
/// value of this type never exists on a CPU without AVX-512 F, VL and DQ.
/// The type is private to `simd` (the module is private to the crate), and
/// the only place that makes one is [`run_wide_avx512`], an `unsafe fn`
/// whose caller (`simd::with_widest`) calls it only after
/// `SimdPath::Avx512.is_supported()` found those features. No other way
/// of making one (a constant, a `Default`, a kernel run directly with
/// this type) may be added.
#[derive(Clone, Copy)]
pub struct Avx512(__m512d);

/// Eight lanes.
const WIDTH: usize = 8;

/// Runs a kernel of any width on [`Avx512`]: eight lanes.
///
/// # Safety
/// The CPU must support AVX2, FMA and AVX-512 F, VL and DQ.
#[target_feature(enable = "avx2,fma,avx512f,avx512vl,avx512dq")]
pub unsafe fn run_wide_avx512<K: WideKernel>(kernel: K) -> K::Output {
    kernel.run::<WIDTH, Avx512>()
}

macro_rules! binary {
    ($trait:ident, $method:ident, $intrinsic:ident) => {
        impl $trait for Avx512 {
            type Output = Avx512;
            #[inline(always)]
            fn $method(self, other: Avx512) -> Avx512 {
                // SAFETY: see the type's invariant.
                Avx512(unsafe { $intrinsic(self.0, other.0) })
            }
        }
    };
}
binary!(Add, add, _mm512_add_pd);
binary!(Sub, sub, _mm512_sub_pd);
binary!(Mul, mul, _mm512_mul_pd);
binary!(Div, div, _mm512_div_pd);

impl Neg for Avx512 {
    type Output = Avx512;
    #[inline(always)]
    fn neg(self) -> Avx512 {
        // SAFETY: see the type's invariant (xor of f64 is AVX-512 DQ).
        Avx512(unsafe { _mm512_xor_pd(self.0, _mm512_set1_pd(-0.0)) })
    }
}

/// Masks are the AVX-512 mask registers: one bit a lane.
impl SimdFloat for Avx512 {
    type Mask = __mmask8;
    #[inline(always)]
    fn splat(value: f64) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe { _mm512_set1_pd(value) })
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe { _mm512_fmadd_pd(self.0, b.0, c.0) })
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe { _mm512_sqrt_pd(self.0) })
    }
    #[inline(always)]
    fn abs(self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe { _mm512_abs_pd(self.0) })
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe { _mm512_min_pd(self.0, other.0) })
    }
    #[inline(always)]
    fn round_ties_even(self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe {
            _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(self.0)
        })
    }
    #[inline(always)]
    fn floor(self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe {
            _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(self.0)
        })
    }
    #[inline(always)]
    fn gt(self, other: Self) -> Self::Mask {
        // SAFETY: see the type's invariant.
        unsafe { _mm512_cmp_pd_mask::<_CMP_GT_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    fn eq(self, other: Self) -> Self::Mask {
        // SAFETY: see the type's invariant.
        unsafe { _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    fn sign_negative(self) -> Self::Mask {
        // SAFETY: see the type's invariant (AVX-512 DQ).
        unsafe { _mm512_movepi64_mask(_mm512_castpd_si512(self.0)) }
    }
    #[inline(always)]
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask {
        a | b
    }
    #[inline(always)]
    fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe { _mm512_mask_blend_pd(mask, if_false.0, if_true.0) })
    }
}

impl FloatN<WIDTH> for Avx512 {
    #[inline(always)]
    fn from_array(values: [f64; WIDTH]) -> Self {
        // SAFETY: see the type's invariant; the pointer is to WIDTH f64.
        Avx512(unsafe { _mm512_loadu_pd(values.as_ptr()) })
    }
    #[inline(always)]
    fn to_array(self) -> [f64; WIDTH] {
        let mut out = [0.0; WIDTH];
        // SAFETY: see the type's invariant; the pointer is to WIDTH f64.
        unsafe { _mm512_storeu_pd(out.as_mut_ptr(), self.0) };
        out
    }
    #[inline(always)]
    fn reversed(self) -> Self {
        // SAFETY: see the type's invariant.
        Avx512(unsafe { _mm512_permutexvar_pd(_mm512_set_epi64(0, 1, 2, 3, 4, 5, 6, 7), self.0) })
    }
}

/// `destination.copy_from_slice(source)` with 64-byte non-temporal stores
/// for whole cache lines and 8-byte ones (as on the AVX2 path) for the
/// partial lines at either end, not fenced; see [`super::StreamingCopies`].
/// A whole line in one store copied a grid's rows at 19 GB/s, against
/// 15 GB/s with two 32-byte stores; non-temporal stores for the partial
/// lines were the same speed as plain ones on the Intel machine and 2 %
/// faster on the AMD one. Lengths must be equal (checked by the caller).
///
/// # Safety
/// The CPU must support AVX-512 F.
#[target_feature(enable = "avx512f")]
pub unsafe fn copy_streaming(destination: &mut [f64], source: &[f64]) {
    debug_assert_eq!(destination.len(), source.len());
    let len = destination.len().min(source.len());
    let (to, from) = (destination.as_mut_ptr(), source.as_ptr());
    // An f64 is 8-byte aligned, so the distance to the line boundary is a
    // whole number of values.
    let head = ((64 - to as usize % 64) % 64 / 8).min(len);
    let body_end = head + (len - head) / WIDTH * WIDTH;
    // SAFETY: every index below is < len, so every pointer is in bounds
    // of both slices; the register stores are 64-byte aligned by the
    // choice of `head`; the CPU has AVX-512 F (the caller's contract).
    unsafe {
        for i in (0..head).chain(body_end..len) {
            _mm_stream_si64(to.add(i).cast::<i64>(), (*from.add(i)).to_bits() as i64);
        }
        for i in (head..body_end).step_by(WIDTH) {
            _mm512_stream_pd(to.add(i), _mm512_loadu_pd(from.add(i)));
        }
    }
}
