//! Geodetic (or geocentric) positions of a group of points as the
//! synthesis needs them, across lanes: [`crate::geodesy::SphericalPoint`]
//! for a lane's worth of points at a time.

use crate::geodesy::{WGS84_A_KM, WGS84_F};
use crate::simd::{self, SimdFloat};

/// A group of points in geocentric spherical form, with the rotation to
/// the frame of their input coordinates.
pub(super) struct SphericalLanes<V> {
    /// 1/r, km⁻¹: the synthesis needs only a/r.
    pub(super) inverse_radius: V,
    pub(super) cos_colatitude: V,
    pub(super) sin_colatitude: V,
    pub(super) cos_longitude: V,
    pub(super) sin_longitude: V,
    /// ψ = geodetic − geocentric latitude; (1, 0) for geocentric input.
    pub(super) cos_psi: V,
    pub(super) sin_psi: V,
}

impl<V: SimdFloat> SphericalLanes<V> {
    /// As [`crate::geodesy::SphericalPoint`] does for one point.
    /// `geocentric` is 1 in the lanes whose position is geocentric
    /// (latitude and radius) and 0 elsewhere; `None` when none is.
    #[inline(always)]
    pub(super) fn new(
        latitude_deg: V,
        longitude_deg: V,
        altitude_km: V,
        geocentric: Option<V>,
    ) -> Self {
        let (sin_lat, cos_lat) = simd::sin_cos_degrees(latitude_deg);
        // Latitudes lie in −90..=90: cos φ ≥ 0, and exactly 0 at the poles.
        let cos_lat = cos_lat.abs();
        let (sin_longitude, cos_longitude) = simd::sin_cos_degrees(longitude_deg);
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let one = V::splat(1.0);
        let prime_vertical =
            V::splat(WGS84_A_KM) / (V::splat(-e2) * sin_lat).mul_add(sin_lat, one).sqrt();
        let p = (prime_vertical + altitude_km) * cos_lat;
        let z = prime_vertical.mul_add(V::splat(1.0 - e2), altitude_km) * sin_lat;
        let r = p.mul_add(p, z * z).sqrt();
        // One division for three quotients: divisions are the slowest
        // vector instructions.
        let inverse_radius = V::splat(1.0) / r;
        let (t, u) = (z * inverse_radius, p * inverse_radius);
        let geodetic = SphericalLanes {
            inverse_radius,
            cos_colatitude: t,
            sin_colatitude: u,
            cos_longitude,
            sin_longitude,
            cos_psi: cos_lat.mul_add(u, sin_lat * t),
            sin_psi: sin_lat.mul_add(u, -(cos_lat * t)),
        };
        let Some(geocentric) = geocentric else {
            return geodetic;
        };
        // Geocentric input: the latitude is already θ's complement, the
        // altitude a radius, and no rotation applies.
        let is_geocentric = geocentric.gt(V::splat(0.5));
        let pick = |geocentric_value: V, geodetic_value: V| {
            V::select(is_geocentric, geocentric_value, geodetic_value)
        };
        SphericalLanes {
            inverse_radius: pick(one / altitude_km, geodetic.inverse_radius),
            cos_colatitude: pick(sin_lat, geodetic.cos_colatitude),
            sin_colatitude: pick(cos_lat, geodetic.sin_colatitude),
            cos_psi: pick(one, geodetic.cos_psi),
            sin_psi: pick(V::splat(0.0), geodetic.sin_psi),
            ..geodetic
        }
    }

    /// North/east/down from the geocentric frame into the input's frame.
    #[inline(always)]
    pub(super) fn rotated(&self, v: [V; 3]) -> [V; 3] {
        crate::derived::rotated_by_psi(v, self.cos_psi, self.sin_psi)
    }
}
