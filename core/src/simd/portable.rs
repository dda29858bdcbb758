//! [`Float4`](super::Float4) as four scalars: the fallback for CPUs without AVX2/FMA,
//! and the reference the vector implementation is tested against.

use super::{FloatN, LANES, Lanes, SimdFloat};
use std::ops::{Add, Div, Mul, Neg, Sub};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Portable(pub Lanes);

#[inline(always)]
fn map(a: Lanes, f: impl Fn(f64) -> f64) -> Portable {
    Portable(a.map(f))
}

#[inline(always)]
fn zip(a: Lanes, b: Lanes, f: impl Fn(f64, f64) -> f64) -> Portable {
    Portable(std::array::from_fn(|l| f(a[l], b[l])))
}

macro_rules! binary {
    ($trait:ident, $method:ident, $op:tt) => {
        impl $trait for Portable {
            type Output = Portable;
            #[inline(always)]
            fn $method(self, other: Portable) -> Portable {
                zip(self.0, other.0, |a, b| a $op b)
            }
        }
    };
}
binary!(Add, add, +);
binary!(Sub, sub, -);
binary!(Mul, mul, *);
binary!(Div, div, /);

impl Neg for Portable {
    type Output = Portable;
    #[inline(always)]
    fn neg(self) -> Portable {
        map(self.0, |a| -a)
    }
}

impl SimdFloat for Portable {
    type Mask = [bool; LANES];
    #[inline(always)]
    fn splat(value: f64) -> Self {
        Portable([value; LANES])
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        // Unfused: without the instruction, f64::mul_add is a slow call.
        Portable(std::array::from_fn(|l| self.0[l] * b.0[l] + c.0[l]))
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        map(self.0, f64::sqrt)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        map(self.0, f64::abs)
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        let mut lanes = other.0;
        for (lane, &a) in lanes.iter_mut().zip(&self.0) {
            if a < *lane {
                *lane = a;
            }
        }
        Portable(lanes)
    }
    #[inline(always)]
    fn round_ties_even(self) -> Self {
        map(self.0, f64::round_ties_even)
    }
    #[inline(always)]
    fn floor(self) -> Self {
        map(self.0, f64::floor)
    }
    #[inline(always)]
    fn gt(self, other: Self) -> Self::Mask {
        std::array::from_fn(|l| self.0[l] > other.0[l])
    }
    #[inline(always)]
    fn eq(self, other: Self) -> Self::Mask {
        std::array::from_fn(|l| self.0[l] == other.0[l])
    }
    #[inline(always)]
    fn sign_negative(self) -> Self::Mask {
        self.0.map(f64::is_sign_negative)
    }
    #[inline(always)]
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask {
        std::array::from_fn(|l| a[l] || b[l])
    }
    #[inline(always)]
    fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self {
        Portable(std::array::from_fn(|l| {
            if mask[l] { if_true.0[l] } else { if_false.0[l] }
        }))
    }
}

impl FloatN<LANES> for Portable {
    #[inline(always)]
    fn from_array(values: Lanes) -> Self {
        Portable(values)
    }
    #[inline(always)]
    fn to_array(self) -> Lanes {
        self.0
    }
    #[inline(always)]
    fn reversed(self) -> Self {
        let mut lanes = self.0;
        lanes.reverse();
        Portable(lanes)
    }
}
