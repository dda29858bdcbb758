//! The elements derived from field vectors, for [`LANES`](crate::simd::LANES) points at once:
//! [`MagneticElements::from_vectors`] across SIMD lanes, with the angles
//! from the vectorised atan2. Used by the point batches and the grids.

use crate::elements::{MagneticElements, grid_variation};
use crate::simd::{self, Float4, Lanes, SimdFloat};

/// The elements of a group of points as vectors, grid variation aside:
/// [`MagneticElements::from_vectors`] across lanes.
pub(crate) struct ElementVectors<V> {
    pub declination_deg: V,
    pub inclination_deg: V,
    pub horizontal_nt: V,
    pub north_nt: V,
    pub east_nt: V,
    pub down_nt: V,
    pub total_nt: V,
    pub declination_deg_per_year: V,
    pub inclination_deg_per_year: V,
    pub horizontal_nt_per_year: V,
    pub north_nt_per_year: V,
    pub east_nt_per_year: V,
    pub down_nt_per_year: V,
    pub total_nt_per_year: V,
}

impl<V: SimdFloat> ElementVectors<V> {
    /// From the field (nT) and its secular variation (nT/yr) in the frame
    /// of the requested coordinates.
    #[inline(always)]
    pub(crate) fn new(field: [V; 3], rate: [V; 3]) -> Self {
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
            declination_deg: simd::atan2_degrees(y, x),
            inclination_deg: simd::atan2_degrees(z, h),
            horizontal_nt: h,
            north_nt: x,
            east_nt: y,
            down_nt: z,
            total_nt: f,
            declination_deg_per_year: x.mul_add(dy, -(y * dx)) * (inverse_h * inverse_h) * degrees,
            inclination_deg_per_year: h.mul_add(dz, -(z * dh)) * (inverse_f * inverse_f) * degrees,
            horizontal_nt_per_year: dh,
            north_nt_per_year: dx,
            east_nt_per_year: dy,
            down_nt_per_year: dz,
            total_nt_per_year: z.mul_add(dz, xdx_ydy) * inverse_f,
        }
    }
}

/// The elements of a group of points, lane by lane: [`Self::element`]
/// builds one point's [`MagneticElements`] where it is stored, so neither
/// a zero fill nor a copy of a whole group's elements comes in between.
pub(crate) struct ElementLanes {
    declination_deg: Lanes,
    inclination_deg: Lanes,
    horizontal_nt: Lanes,
    north_nt: Lanes,
    east_nt: Lanes,
    down_nt: Lanes,
    total_nt: Lanes,
    declination_deg_per_year: Lanes,
    inclination_deg_per_year: Lanes,
    horizontal_nt_per_year: Lanes,
    north_nt_per_year: Lanes,
    east_nt_per_year: Lanes,
    down_nt_per_year: Lanes,
    total_nt_per_year: Lanes,
    latitude_deg: Lanes,
    longitude_deg: Lanes,
}

impl ElementLanes {
    /// [`MagneticElements::from_vectors`] across lanes.
    // Explicit calls, not `[…].map(V::to_array)`: a closure passed to
    // `map` may stay out of line, compiled without the SIMD target
    // features, and then every intrinsic in it becomes a call.
    #[inline(always)]
    pub(crate) fn new<V: Float4>(
        field: [V; 3],
        rate: [V; 3],
        latitude_deg: Lanes,
        longitude_deg: Lanes,
    ) -> Self {
        let e = ElementVectors::new(field, rate);
        ElementLanes {
            declination_deg: e.declination_deg.to_array(),
            inclination_deg: e.inclination_deg.to_array(),
            horizontal_nt: e.horizontal_nt.to_array(),
            north_nt: e.north_nt.to_array(),
            east_nt: e.east_nt.to_array(),
            down_nt: e.down_nt.to_array(),
            total_nt: e.total_nt.to_array(),
            declination_deg_per_year: e.declination_deg_per_year.to_array(),
            inclination_deg_per_year: e.inclination_deg_per_year.to_array(),
            horizontal_nt_per_year: e.horizontal_nt_per_year.to_array(),
            north_nt_per_year: e.north_nt_per_year.to_array(),
            east_nt_per_year: e.east_nt_per_year.to_array(),
            down_nt_per_year: e.down_nt_per_year.to_array(),
            total_nt_per_year: e.total_nt_per_year.to_array(),
            latitude_deg,
            longitude_deg,
        }
    }

    /// The elements of lane `l` (< [`LANES`](crate::simd::LANES)).
    #[inline(always)]
    pub(crate) fn element(&self, l: usize) -> MagneticElements {
        MagneticElements {
            declination_deg: self.declination_deg[l],
            inclination_deg: self.inclination_deg[l],
            horizontal_nt: self.horizontal_nt[l],
            north_nt: self.north_nt[l],
            east_nt: self.east_nt[l],
            down_nt: self.down_nt[l],
            total_nt: self.total_nt[l],
            grid_variation_deg: grid_variation(
                self.declination_deg[l],
                self.latitude_deg[l],
                self.longitude_deg[l],
            ),
            declination_deg_per_year: self.declination_deg_per_year[l],
            inclination_deg_per_year: self.inclination_deg_per_year[l],
            horizontal_nt_per_year: self.horizontal_nt_per_year[l],
            north_nt_per_year: self.north_nt_per_year[l],
            east_nt_per_year: self.east_nt_per_year[l],
            down_nt_per_year: self.down_nt_per_year[l],
            total_nt_per_year: self.total_nt_per_year[l],
        }
    }
}
