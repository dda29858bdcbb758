//! Two independent groups of lanes worked on as one value.
//!
//! The elements of a group (two atan2s, two square roots, divisions) are a
//! long chain of dependent instructions, too long for the processor to
//! overlap one group's chain with the next one's on its own. A [`Pair`]
//! issues each step for both groups back to back, so two chains are always
//! in flight: the grid's rows compute the points east and west of their
//! centre this way.

use super::SimdFloat;
use std::ops::{Add, Div, Mul, Neg, Sub};

#[derive(Clone, Copy)]
pub struct Pair<V>(pub V, pub V);

macro_rules! binary {
    ($trait:ident, $method:ident) => {
        impl<V: SimdFloat> $trait for Pair<V> {
            type Output = Pair<V>;
            #[inline(always)]
            fn $method(self, other: Pair<V>) -> Pair<V> {
                Pair(self.0.$method(other.0), self.1.$method(other.1))
            }
        }
    };
}
binary!(Add, add);
binary!(Sub, sub);
binary!(Mul, mul);
binary!(Div, div);

impl<V: SimdFloat> Neg for Pair<V> {
    type Output = Pair<V>;
    #[inline(always)]
    fn neg(self) -> Pair<V> {
        Pair(-self.0, -self.1)
    }
}

impl<V: SimdFloat> SimdFloat for Pair<V> {
    type Mask = (V::Mask, V::Mask);
    #[inline(always)]
    fn splat(value: f64) -> Self {
        Pair(V::splat(value), V::splat(value))
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        Pair(self.0.mul_add(b.0, c.0), self.1.mul_add(b.1, c.1))
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        Pair(self.0.sqrt(), self.1.sqrt())
    }
    #[inline(always)]
    fn abs(self) -> Self {
        Pair(self.0.abs(), self.1.abs())
    }
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        Pair(self.0.min(other.0), self.1.min(other.1))
    }
    #[inline(always)]
    fn round_ties_even(self) -> Self {
        Pair(self.0.round_ties_even(), self.1.round_ties_even())
    }
    #[inline(always)]
    fn floor(self) -> Self {
        Pair(self.0.floor(), self.1.floor())
    }
    #[inline(always)]
    fn gt(self, other: Self) -> Self::Mask {
        (self.0.gt(other.0), self.1.gt(other.1))
    }
    #[inline(always)]
    fn eq(self, other: Self) -> Self::Mask {
        (self.0.eq(other.0), self.1.eq(other.1))
    }
    #[inline(always)]
    fn sign_negative(self) -> Self::Mask {
        (self.0.sign_negative(), self.1.sign_negative())
    }
    #[inline(always)]
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask {
        (V::or(a.0, b.0), V::or(a.1, b.1))
    }
    #[inline(always)]
    fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self {
        Pair(
            V::select(mask.0, if_true.0, if_false.0),
            V::select(mask.1, if_true.1, if_false.1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::{
        Float4, Horner, Kernel, Lanes, Portable, atan2_degrees_by, sin_cos_degrees, with_best,
    };

    /// Each half of a pair's result is what its own lanes give alone.
    struct Halves {
        a: [Lanes; 3],
        b: [Lanes; 3],
    }

    impl Kernel for Halves {
        type Output = ();
        #[inline(always)]
        fn run<V: Float4>(self) {
            let (a, b) = (self.a.map(V::from_array), self.b.map(V::from_array));
            let pair = |k: usize| Pair(a[k], b[k]);
            let angle = atan2_degrees_by::<Horner, _>(pair(0), pair(1));
            let (sin, cos) = sin_cos_degrees(pair(2));
            let root = (pair(0) * pair(0) + pair(1) / pair(2)).sqrt();
            let picked = Pair::select(pair(0).gt(pair(1)), pair(0), -pair(1));
            for (half, (y, x, d)) in [(0, (a[0], a[1], a[2])), (1, (b[0], b[1], b[2]))] {
                let of = |p: Pair<V>| if half == 0 { p.0 } else { p.1 }.to_array();
                let (s, c) = sin_cos_degrees(d);
                assert_eq!(of(angle), atan2_degrees_by::<Horner, _>(y, x).to_array());
                assert_eq!(of(sin), s.to_array());
                assert_eq!(of(cos), c.to_array());
                assert_eq!(of(root), (y * y + x / d).sqrt().to_array());
                assert_eq!(of(picked), V::select(y.gt(x), y, -x).to_array());
            }
        }
    }

    #[test]
    fn each_half_of_a_pair_is_computed_as_on_its_own() {
        let a = [
            [1.0, -2.0, 0.0, 3.5],
            [0.5, 7.0, -1.0, -3.5],
            [10.0, 95.0, -181.0, 44.0],
        ];
        let b = [
            [-0.0, 4.0, -6.0, 1e-300],
            [2.0, -7.0, -1.0, 1e300],
            [359.0, -90.0, 0.5, 1.0],
        ];
        with_best(Halves { a, b });
        Halves { a, b }.run::<Portable>();
    }
}
