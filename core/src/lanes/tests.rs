//! The kernel at a degree where the plain recurrence factors overflow.

use super::*;
use crate::GaussCoefficients;
use crate::geodesy::SphericalPoint;
use crate::synthesis::SynthesisWorkspace;

/// Past degree 1000 the plain product of the recurrence's α would
/// overflow; the packed expansion must still equal the reference
/// synthesis (the kernel's scaling holds to degree 2190; models load up
/// to `MAX_DEGREE`).
#[test]
fn a_very_high_degree_expansion_equals_the_reference_synthesis() {
    let degree = 1100;
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(7);
    let mut next = move || rand::Rng::random_range(&mut rng, -0.5..0.5);
    let (mut main, mut secular) = (
        GaussCoefficients::zeros(degree),
        GaussCoefficients::zeros(degree),
    );
    for n in 1..=degree {
        // A spectrum falling off as a real field's does.
        let size = 3e4 / (n * n) as f64;
        for m in 0..=n {
            main.set_g(n, m, size * next());
            secular.set_g(n, m, 0.01 * size * next());
            if m > 0 {
                main.set_h(n, m, size * next());
                secular.set_h(n, m, 0.01 * size * next());
            }
        }
    }
    let coefficients = FieldCoefficients::new(main, secular, 6371.2);
    let packed = PackedExpansion::new(&coefficients);
    let positions: Vec<Position> = [(37.5, -122.0, 0.0), (-62.0, 140.0, 400.0), (5.0, 3.0, 35.0)]
        .iter()
        .map(|&(lat, lon, alt)| Position::geodetic(lat, lon, alt).unwrap())
        .collect();
    let mut batch = Vec::new();
    packed.elements_many(&positions, &mut batch);
    let mut workspace = SynthesisWorkspace::new(degree);
    for (position, elements) in positions.iter().zip(&batch) {
        let point = SphericalPoint::from_geodetic(
            position.latitude_deg,
            position.longitude_deg,
            position.altitude_km,
        );
        let (field, rate) = workspace.point(
            &coefficients,
            point.radius_km,
            point.cos_colatitude,
            point.sin_colatitude,
            point.longitude_rad,
        );
        let (field, rate) = (
            field.rotated(point.cos_psi, point.sin_psi),
            rate.rotated(point.cos_psi, point.sin_psi),
        );
        for (got, expected) in [
            (elements.north_nt, field.north),
            (elements.east_nt, field.east),
            (elements.down_nt, field.down),
            (elements.north_nt_per_year, rate.north),
            (elements.east_nt_per_year, rate.east),
            (elements.down_nt_per_year, rate.down),
        ] {
            assert!(
                got.is_finite() && (got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                "{position:?}: {got} vs {expected}"
            );
        }
    }
}
