//! The generic spherical-harmonic engine: from Gauss coefficients to the
//! field vector (and its secular variation) in the local geocentric frame.
//!
//! The potential of an internal field is
//! V = a Σₙ (a/r)ⁿ⁺¹ Σₘ (gₙᵐ cos mλ + hₙᵐ sin mλ) Pₙᵐ(cos θ), and B = −∇V:
//!
//! * X (north) = Σ (a/r)ⁿ⁺² Σ (g cos mλ + h sin mλ) dPₙᵐ/dθ
//! * Y (east)  = Σ (a/r)ⁿ⁺² Σ m (g sin mλ − h cos mλ) Pₙᵐ / sin θ
//! * Z (down)  = −Σ (n+1) (a/r)ⁿ⁺² Σ (g cos mλ + h sin mλ) Pₙᵐ
//!
//! The sums over n depend only on (r, θ), so they are done once per circle
//! of latitude ([`CircleSums`]); a point then costs one pass over m. This is
//! GeographicLib's MagneticCircle idea, and it is also the fastest way to
//! do a single point.

use crate::coefficients::GaussCoefficients;
use crate::legendre::{LegendreRecurrence, LegendreTable};

/// A field vector in nT (or nT/yr): north, east, down.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FieldVector {
    pub north: f64,
    pub east: f64,
    pub down: f64,
}

impl FieldVector {
    /// Rotates a vector from the geocentric frame into the geodetic one by
    /// ψ = geodetic − geocentric latitude (a rotation about east).
    #[inline]
    pub fn rotated(self, cos_psi: f64, sin_psi: f64) -> Self {
        FieldVector {
            north: self.north * cos_psi + self.down * sin_psi,
            east: self.east,
            down: self.down * cos_psi - self.north * sin_psi,
        }
    }
}

/// The expansion valid at one instant: main field and its rate of change,
/// at one degree.
#[derive(Debug, Clone)]
pub struct FieldCoefficients {
    /// Main-field coefficients, nT.
    main: GaussCoefficients,
    /// Secular variation, nT/yr.
    secular_variation: GaussCoefficients,
    /// Reference radius a of the expansion, km.
    reference_radius_km: f64,
}

impl FieldCoefficients {
    /// An expansion from main field (nT) and secular variation (nT/yr),
    /// both brought to the larger of their degrees.
    pub fn new(
        main: GaussCoefficients,
        secular_variation: GaussCoefficients,
        reference_radius_km: f64,
    ) -> Self {
        let degree = main.degree().max(secular_variation.degree());
        FieldCoefficients {
            main: main.extended_to(degree),
            secular_variation: secular_variation.extended_to(degree),
            reference_radius_km,
        }
    }

    /// The expansion carried `years` along its secular variation — the
    /// same straight line, even across an epoch of the model.
    pub fn advanced(&self, years: f64) -> Self {
        FieldCoefficients {
            main: self.main.add_scaled(&self.secular_variation, years),
            secular_variation: self.secular_variation.clone(),
            reference_radius_km: self.reference_radius_km,
        }
    }

    pub fn degree(&self) -> usize {
        self.main.degree()
    }

    /// Main-field coefficients, nT.
    pub fn main(&self) -> &GaussCoefficients {
        &self.main
    }

    /// Secular variation, nT/yr.
    pub fn secular_variation(&self) -> &GaussCoefficients {
        &self.secular_variation
    }

    /// Reference radius a, km.
    pub fn reference_radius_km(&self) -> f64 {
        self.reference_radius_km
    }
}

/// Per-order sums over degree for one (radius, colatitude): everything a
/// point on that circle needs except its longitude.
#[derive(Debug, Clone)]
pub struct CircleSums {
    /// Index m: [X cos, X sin, Y g-part, Y h-part, Z cos, Z sin] for the
    /// main field, then the same six for the secular variation.
    pub(crate) per_order: Vec<[f64; 12]>,
}

/// Reusable scratch space for synthesis at one degree: the Legendre table,
/// its recurrence constants and the per-order sums. Make one per thread
/// and reuse it: evaluating a point then allocates nothing.
#[derive(Debug, Clone)]
pub struct SynthesisWorkspace {
    recurrence: LegendreRecurrence,
    legendre: LegendreTable,
    radius_powers: Vec<f64>,
    sums: CircleSums,
}

impl SynthesisWorkspace {
    pub fn new(degree: usize) -> Self {
        SynthesisWorkspace {
            recurrence: LegendreRecurrence::new(degree),
            legendre: LegendreTable::new(degree),
            radius_powers: vec![0.0; degree + 1],
            sums: CircleSums {
                per_order: vec![[0.0; 12]; degree + 1],
            },
        }
    }

    pub fn degree(&self) -> usize {
        self.recurrence.degree()
    }

    /// The per-order sums for the circle at `radius_km`, colatitude θ,
    /// borrowed from the workspace (clone them to keep them).
    pub fn circle_sums(
        &mut self,
        coefficients: &FieldCoefficients,
        radius_km: f64,
        cos_colatitude: f64,
        sin_colatitude: f64,
    ) -> &CircleSums {
        self.compute_sums(coefficients, radius_km, cos_colatitude, sin_colatitude);
        &self.sums
    }

    /// Field and secular variation (geocentric frame) at one point.
    pub fn point(
        &mut self,
        coefficients: &FieldCoefficients,
        radius_km: f64,
        cos_colatitude: f64,
        sin_colatitude: f64,
        longitude_rad: f64,
    ) -> (FieldVector, FieldVector) {
        self.compute_sums(coefficients, radius_km, cos_colatitude, sin_colatitude);
        self.sums.at_longitude(longitude_rad)
    }

    fn compute_sums(
        &mut self,
        coefficients: &FieldCoefficients,
        radius_km: f64,
        cos_colatitude: f64,
        sin_colatitude: f64,
    ) {
        let degree = coefficients.degree();
        assert!(
            degree == self.degree(),
            "workspace of degree {} used for a degree-{degree} expansion",
            self.degree()
        );
        self.legendre
            .compute(&self.recurrence, cos_colatitude, sin_colatitude);
        let (p, dp, p_over_sin) = self.legendre.tables();
        let (g, h) = coefficients.main.tables();
        let (g_sv, h_sv) = coefficients.secular_variation.tables();

        let ratio = coefficients.reference_radius_km / radius_km;
        // (a/r)^(n+2) for n = 0..=degree.
        let mut s = ratio * ratio;
        for power in self.radius_powers.iter_mut() {
            *power = s;
            s *= ratio;
        }

        let per_order = &mut self.sums.per_order;
        per_order.iter_mut().for_each(|sums| *sums = [0.0; 12]);
        for n in 1..=degree {
            let base = n * (n + 1) / 2;
            let s = self.radius_powers[n];
            let z_factor = -((n + 1) as f64) * s;
            for (m, sums) in per_order.iter_mut().enumerate().take(n + 1) {
                let i = base + m;
                let (dp_s, p_m_s, p_z) = (dp[i] * s, p_over_sin[i] * m as f64 * s, p[i] * z_factor);
                sums[0] += g[i] * dp_s;
                sums[1] += h[i] * dp_s;
                sums[2] += g[i] * p_m_s;
                sums[3] += h[i] * p_m_s;
                sums[4] += g[i] * p_z;
                sums[5] += h[i] * p_z;
                sums[6] += g_sv[i] * dp_s;
                sums[7] += h_sv[i] * dp_s;
                sums[8] += g_sv[i] * p_m_s;
                sums[9] += h_sv[i] * p_m_s;
                sums[10] += g_sv[i] * p_z;
                sums[11] += h_sv[i] * p_z;
            }
        }
    }
}

impl CircleSums {
    /// Field and secular variation (geocentric frame) at longitude λ.
    pub fn at_longitude(&self, longitude_rad: f64) -> (FieldVector, FieldVector) {
        let (sin_l, cos_l) = longitude_rad.sin_cos();
        let (mut cos_m, mut sin_m) = (1.0, 0.0);
        let mut acc = [0.0; 6];
        for sums in &self.per_order {
            acc[0] += sums[0] * cos_m + sums[1] * sin_m;
            acc[1] += sums[2] * sin_m - sums[3] * cos_m;
            acc[2] += sums[4] * cos_m + sums[5] * sin_m;
            acc[3] += sums[6] * cos_m + sums[7] * sin_m;
            acc[4] += sums[8] * sin_m - sums[9] * cos_m;
            acc[5] += sums[10] * cos_m + sums[11] * sin_m;
            // cos/sin((m+1)λ) by the angle-addition formulas.
            (cos_m, sin_m) = (cos_m * cos_l - sin_m * sin_l, sin_m * cos_l + cos_m * sin_l);
        }
        (
            FieldVector {
                north: acc[0],
                east: acc[1],
                down: acc[2],
            },
            FieldVector {
                north: acc[3],
                east: acc[4],
                down: acc[5],
            },
        )
    }
}
