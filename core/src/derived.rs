//! The elements derived from field vectors, for a vector's worth of points at once:
//! [`MagneticElements::from_vectors`] across SIMD lanes, with the angles
//! from the vectorised atan2. Used by the point batches and the grids.
//!
//! Both hold their values by [`Quantity`], so a value can only be stored
//! or read under the quantity it was computed as.

use crate::elements::{GRID_VARIATION_MIN_LATITUDE_DEG, MagneticElements};
use crate::quantity::Quantity;
use crate::simd::{self, Estrin, Evaluation, FloatN, Horner, SimdFloat};

/// The elements of a group of points as vectors, read by [`Quantity`]:
/// [`MagneticElements::from_vectors`] across lanes. Grid variation, which
/// needs the longitudes, is not computed here. Named fields, not an array
/// indexed by quantity, and every access written out by this macro rather
/// than a loop: with the array the grid's rows ran 8 % slower, and with a
/// loop over the quantities the point batches did (runs side by side).
/// The one list below ties each field to its quantity; a test holds every
/// lane to the scalar elements quantity by quantity.
macro_rules! element_vectors {
    ($($quantity:ident => $field:ident),* $(,)?) => {
        pub(crate) struct ElementVectors<V> {
            $($field: V,)*
        }

        impl<V: SimdFloat> ElementVectors<V> {
            /// The values of `quantity` (NaN for grid variation and the
            /// uncertainties, which are not computed here).
            #[inline(always)]
            pub(crate) fn get(&self, quantity: Quantity) -> V {
                match quantity {
                    $(Quantity::$quantity => self.$field,)*
                    _ => V::splat(f64::NAN),
                }
            }
        }

        impl<V: SimdFloat> ElementVectors<V> {
            /// Each quantity's lanes, by `Quantity as usize`.
            #[inline(always)]
            fn to_lanes<const W: usize>(&self) -> [[f64; W]; Quantity::FIELD_COUNT]
            where
                V: FloatN<W>,
            {
                let mut lanes = [[f64::NAN; W]; Quantity::FIELD_COUNT];
                $(lanes[Quantity::$quantity as usize] = self.$field.to_array();)*
                lanes
            }
        }
    };
}

element_vectors!(
    Declination => declination,
    Inclination => inclination,
    Horizontal => horizontal,
    North => north,
    East => east,
    Down => down,
    Total => total,
    DeclinationRate => declination_rate,
    InclinationRate => inclination_rate,
    HorizontalRate => horizontal_rate,
    NorthRate => north_rate,
    EastRate => east_rate,
    DownRate => down_rate,
    TotalRate => total_rate,
);

impl<V: SimdFloat> ElementVectors<V> {
    /// From the field (nT) and its secular variation (nT/yr) in the frame
    /// of the requested coordinates.
    #[inline(always)]
    pub(crate) fn new(field: [V; 3], rate: [V; 3]) -> Self {
        Self::new_by::<Horner>(field, rate)
    }

    /// [`Self::new`] with atan2's polynomial evaluated by `E`.
    #[inline(always)]
    pub(crate) fn new_by<E: Evaluation>(field: [V; 3], rate: [V; 3]) -> Self {
        let [x, y, z] = field;
        let [dx, dy, dz] = rate;
        let zero = V::splat(0.0);
        let h2 = x.mul_add(x, y * y);
        let f2 = z.mul_add(z, h2);
        let (h, f) = (h2.sqrt(), f2.sqrt());
        let xdx_ydy = x.mul_add(dx, y * dy);
        // Where H or F vanish the direction is undefined: zero change, not
        // NaN. One division (the slowest vector instruction) serves the
        // four rates: 1/H = F/(HF) and 1/F = H/(HF), with 1 in place of a
        // zero so that the other stays finite.
        let one = V::splat(1.0);
        let (h_positive, f_positive) = (h.gt(zero), f.gt(zero));
        let (h_or_one, f_or_one) = (V::select(h_positive, h, one), V::select(f_positive, f, one));
        let inverse_hf = one / (h_or_one * f_or_one);
        let inverse_h = V::select(h_positive, inverse_hf * f_or_one, zero);
        let inverse_f = V::select(f_positive, inverse_hf * h_or_one, zero);
        let dh = xdx_ydy * inverse_h;
        let degrees = V::splat(180.0 / std::f64::consts::PI);
        ElementVectors {
            declination: simd::atan2_degrees_by::<E, V>(y, x),
            inclination: simd::atan2_degrees_by::<E, V>(z, h),
            horizontal: h,
            north: x,
            east: y,
            down: z,
            total: f,
            declination_rate: x.mul_add(dy, -(y * dx)) * (inverse_h * inverse_h) * degrees,
            inclination_rate: h.mul_add(dz, -(z * dh)) * (inverse_f * inverse_f) * degrees,
            horizontal_rate: dh,
            north_rate: dx,
            east_rate: dy,
            down_rate: dz,
            total_rate: z.mul_add(dz, xdx_ydy) * inverse_f,
        }
    }
}

/// The elements of a group of points, lane by lane: [`Self::element`]
/// builds one point's [`MagneticElements`] where it is stored, so neither
/// a zero fill nor a copy of a whole group's elements comes in between.
pub(crate) struct ElementLanes<const W: usize> {
    values: [[f64; W]; Quantity::FIELD_COUNT],
}

/// [`grid_variation`] across lanes, NaN where it is undefined: the same
/// values (for declinations and longitudes within ±180°, where one turn
/// either way folds the difference, the same operations as
/// [`crate::elements::normalize_degrees`]).
#[inline(always)]
fn grid_variation_lanes<V: SimdFloat>(declination_deg: V, latitude_deg: V, longitude_deg: V) -> V {
    let limit = V::splat(GRID_VARIATION_MIN_LATITUDE_DEG);
    let north = V::or(latitude_deg.gt(limit), latitude_deg.eq(limit));
    let south = V::or((-limit).gt(latitude_deg), (-limit).eq(latitude_deg));
    let raw = V::select(
        north,
        declination_deg - longitude_deg,
        V::select(south, declination_deg + longitude_deg, V::splat(f64::NAN)),
    );
    fold_degrees(raw)
}

/// North, east, down from the geocentric frame into the geodetic one, by
/// the angle ψ between them (`cos_psi`, `sin_psi`): what every kernel does
/// to its field and rate before the elements.
// A function, not a closure: a closure may be compiled out of line,
// without the SIMD target features, and then every intrinsic is a call.
#[inline(always)]
pub(crate) fn rotated_by_psi<V: SimdFloat>([x, y, z]: [V; 3], cos_psi: V, sin_psi: V) -> [V; 3] {
    [
        x.mul_add(cos_psi, z * sin_psi),
        y,
        z.mul_add(cos_psi, -(x * sin_psi)),
    ]
}

/// [`crate::elements::normalize_degrees`] across lanes, for angles within
/// ±360° (a declination minus or plus a longitude): the same operations,
/// so the same values.
#[inline(always)]
pub(crate) fn fold_degrees<V: SimdFloat>(degrees: V) -> V {
    let turn = V::splat(360.0);
    let positive = V::select(V::splat(0.0).gt(degrees), degrees + turn, degrees);
    V::select(positive.gt(V::splat(180.0)), positive - turn, positive)
}

impl<const W: usize> ElementLanes<W> {
    /// [`MagneticElements::from_vectors`] across lanes, with atan2's
    /// polynomial by Estrin's scheme: the point kernels, one group after
    /// another, wait on this chain (the grid, whose rows keep many groups
    /// in flight, uses [`ElementVectors`] with Horner's rule).
    // A loop, not `.map(V::to_array)`: a closure passed to `map` may stay
    // out of line, compiled without the SIMD target features, and then
    // every intrinsic in it becomes a call.
    #[inline(always)]
    pub(crate) fn new<V: FloatN<W>>(
        field: [V; 3],
        rate: [V; 3],
        latitude_deg: [f64; W],
        longitude_deg: [f64; W],
    ) -> Self {
        let vectors = ElementVectors::new_by::<Estrin>(field, rate);
        let mut values = vectors.to_lanes();
        values[Quantity::GridVariation as usize] = grid_variation_lanes(
            vectors.get(Quantity::Declination),
            V::from_array(latitude_deg),
            V::from_array(longitude_deg),
        )
        .to_array();
        ElementLanes { values }
    }

    /// The elements of lane `l` (< `W`).
    #[inline(always)]
    pub(crate) fn element(&self, l: usize) -> MagneticElements {
        MagneticElements::from_quantities(|quantity| self.values[quantity as usize][l])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::{LANES, Lanes, Portable};
    use crate::synthesis::FieldVector;

    /// Each lane's elements equal the scalar derivation quantity by
    /// quantity: the lanes' slots are the table's.
    #[test]
    fn lanes_equal_the_scalar_elements_quantity_by_quantity() {
        let positions = ([70.0, -80.0, 10.0, 56.0], [-30.0, 100.0, 5.0, 179.0]);
        check_lanes(
            positions,
            [
                ([21937.8, -4186.7, 43584.5], [25.1, -5.9, -145.9]),
                ([-120.0, 35.5, 56000.0], [3.0, 11.0, -20.0]),
                ([15000.0, 2000.0, -30000.0], [-12.0, 40.0, 7.5]),
                ([0.0, 0.0, 0.0], [1.0, 2.0, 3.0]),
            ],
        );
        // A NaN field (a broken model): NaN values and rates on both paths.
        check_lanes(
            positions,
            [
                ([f64::NAN, 100.0, 200.0], [1.0, 2.0, 3.0]),
                ([100.0, 200.0, f64::NAN], [1.0, 2.0, 3.0]),
                ([100.0, 200.0, 300.0], [f64::NAN, 2.0, 3.0]),
                ([0.0, 0.0, 5.0], [1.0, 2.0, 3.0]),
            ],
        );
        // Grid variation at its latitude limits and the antimeridian,
        // declinations east and west: GV folded either way.
        check_lanes(
            (
                [55.0, -55.0, 54.999_999, 89.0],
                [180.0, -180.0, 0.0, -170.0],
            ),
            [
                ([21937.8, -4186.7, 43584.5], [25.1, -5.9, -145.9]),
                ([15000.0, 9000.0, -30000.0], [-12.0, 40.0, 7.5]),
                ([-120.0, 35.5, 56000.0], [3.0, 11.0, -20.0]),
                ([-300.0, -35.5, 56000.0], [3.0, 11.0, -20.0]),
            ],
        );
    }

    fn check_lanes((latitudes, longitudes): (Lanes, Lanes), fields: [([f64; 3], [f64; 3]); LANES]) {
        let lane = |f: fn(&([f64; 3], [f64; 3])) -> f64| -> Lanes {
            std::array::from_fn(|l| f(&fields[l]))
        };
        let vector = |lanes: Lanes| Portable::from_array(lanes);
        let field = [
            vector(lane(|p| p.0[0])),
            vector(lane(|p| p.0[1])),
            vector(lane(|p| p.0[2])),
        ];
        let rate = [
            vector(lane(|p| p.1[0])),
            vector(lane(|p| p.1[1])),
            vector(lane(|p| p.1[2])),
        ];
        let lanes = ElementLanes::new(field, rate, latitudes, longitudes);
        for l in 0..LANES {
            let (f, r) = fields[l];
            let scalar = MagneticElements::from_vectors(
                FieldVector {
                    north: f[0],
                    east: f[1],
                    down: f[2],
                },
                FieldVector {
                    north: r[0],
                    east: r[1],
                    down: r[2],
                },
                latitudes[l],
                longitudes[l],
            );
            let got = lanes.element(l);
            for quantity in Quantity::FIELD {
                let (a, b) = (quantity.get(&got), quantity.get(&scalar));
                let close = match (a, b) {
                    (Some(a), Some(b)) if a.is_nan() || b.is_nan() => a.is_nan() && b.is_nan(),
                    (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                    (None, None) => true,
                    _ => false,
                };
                assert!(close, "lane {l} {quantity:?}: {a:?} vs {b:?}");
            }
        }
    }
}
