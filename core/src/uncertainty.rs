//! The models' published error models: how far, one sigma, the model's
//! value of each element may lie from the real field (crustal and
//! disturbance fields included), as each model's technical report gives it.
//!
//! ```
//! use magvar_core::{BuiltinModel, DatePolicy, Position};
//!
//! let report = BuiltinModel::Wmm2025
//!     .model()
//!     .field(&Position::geodetic(36.85, -76.29, 0.0)?, 2026.9, DatePolicy::Strict)?;
//! let uncertainty = report.uncertainty.expect("WMM2025 publishes an error model");
//! assert_eq!(uncertainty.north_nt, 137.0);
//! // σ_D = √(0.26² + (5417 / H)²) degrees: about 0.38° at Norfolk.
//! assert!((0.3..0.45).contains(&uncertainty.declination_deg));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// A model's one-sigma error model: constant uncertainties of X, Y, Z, H,
/// F and I, and declination's, which grows where the horizontal field is
/// weak: σ_D = √(offset² + (coefficient / H)²) degrees, H in nT, at most
/// 180°.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorModel {
    pub north_nt: f64,
    pub east_nt: f64,
    pub down_nt: f64,
    pub horizontal_nt: f64,
    pub total_nt: f64,
    pub inclination_deg: f64,
    /// The offset of σ_D's formula, degrees.
    pub declination_offset_deg: f64,
    /// The coefficient of σ_D's formula, nT·degrees.
    pub declination_coefficient_nt_deg: f64,
}

/// One-sigma uncertainties of the elements at one point. Each field is a
/// [`Quantity`](crate::Quantity) (`declination_uncertainty_deg`, …).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uncertainty {
    pub declination_deg: f64,
    pub inclination_deg: f64,
    pub north_nt: f64,
    pub east_nt: f64,
    pub down_nt: f64,
    pub horizontal_nt: f64,
    pub total_nt: f64,
}

/// σ_D never exceeds a half turn: near the dip poles any direction is as
/// likely as another.
pub const MAX_DECLINATION_UNCERTAINTY_DEG: f64 = 180.0;

impl ErrorModel {
    /// WMM2025's error model: Chulliat et al., "The US/UK World Magnetic
    /// Model for 2025-2030: Technical Report", NOAA NCEI (2025),
    /// doi:10.25923/prbc-s316, §3.4 — as NOAA's own `wmm-calculator`
    /// 1.4.4 (`wmm/uncertainty.py`) and the `world_magnetic_model`
    /// 1.2025.0 crate carry it (see data/SOURCES.md).
    pub const WMM2025: ErrorModel = ErrorModel {
        north_nt: 137.0,
        east_nt: 89.0,
        down_nt: 141.0,
        horizontal_nt: 133.0,
        total_nt: 138.0,
        inclination_deg: 0.20,
        declination_offset_deg: 0.26,
        declination_coefficient_nt_deg: 5417.0,
    };

    /// WMMHR2025's error model, from its release by NOAA NCEI and BGS
    /// (2024), as NOAA's `wmmhr` 1.2.4 package (`wmmhr/uncertainty.py`)
    /// carries it (see data/SOURCES.md).
    pub const WMMHR2025: ErrorModel = ErrorModel {
        north_nt: 135.0,
        east_nt: 85.0,
        down_nt: 134.0,
        horizontal_nt: 130.0,
        total_nt: 134.0,
        inclination_deg: 0.19,
        declination_offset_deg: 0.25,
        declination_coefficient_nt_deg: 5205.0,
    };

    /// σ_D where the horizontal intensity is `horizontal_nt`: at most
    /// 180° (also where H is 0 or NaN).
    pub fn declination_deg(&self, horizontal_nt: f64) -> f64 {
        let variable = self.declination_coefficient_nt_deg / horizontal_nt;
        // A square root of squares, not `hypot`: the terms are far from
        // overflow, and batches compute this per point (libm's hypot
        // cost 3 % of a batch).
        let offset = self.declination_offset_deg;
        let sigma = (offset * offset + variable * variable).sqrt();
        // No H (NaN) says nothing of the direction: 180°, as for H = 0.
        if sigma < MAX_DECLINATION_UNCERTAINTY_DEG {
            sigma
        } else {
            MAX_DECLINATION_UNCERTAINTY_DEG
        }
    }

    /// The uncertainties at a point whose horizontal intensity is
    /// `horizontal_nt`.
    pub fn at(&self, horizontal_nt: f64) -> Uncertainty {
        Uncertainty {
            declination_deg: self.declination_deg(horizontal_nt),
            inclination_deg: self.inclination_deg,
            north_nt: self.north_nt,
            east_nt: self.east_nt,
            down_nt: self.down_nt,
            horizontal_nt: self.horizontal_nt,
            total_nt: self.total_nt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declination_uncertainty_grows_as_h_falls_and_stops_at_180() {
        let model = ErrorModel::WMM2025;
        // Strong H: the offset dominates.
        let strong = model.declination_deg(40_000.0);
        assert!((strong - (0.26f64.powi(2) + (5417.0f64 / 40_000.0).powi(2)).sqrt()).abs() < 1e-15);
        // The blackout zone's edge (2000 nT): 2.7°.
        assert!((model.declination_deg(2000.0) - 2.7209).abs() < 1e-4);
        // Tiny H next to a dip pole: capped.
        assert_eq!(model.declination_deg(30.0), 180.0);
        assert_eq!(model.declination_deg(1e-9), 180.0);
        assert_eq!(model.declination_deg(0.0), 180.0);
        assert_eq!(model.declination_deg(f64::NAN), 180.0);
        // Just above the cap's threshold H = 5417/180 ≈ 30.09 nT.
        let h = 5417.0 / 179.0;
        assert!(model.declination_deg(h) < 180.0);
        assert!(model.declination_deg(h) > 179.0);
    }
}
