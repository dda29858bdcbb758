//! What the core's test files share: the one seeded random-number source
//! and the comparison of every quantity between two paths.

#![allow(dead_code)] // each test file uses part of it

pub mod paths;

use magvar_core::{MagneticElements, Quantity, normalize_degrees};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The tests' random numbers: ChaCha8 from a fixed seed, the same points
/// on every run and machine.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Numbers in [0, 1) from [`rng`]`(seed)`.
pub fn unit_numbers(seed: u64) -> impl FnMut() -> f64 {
    let mut rng = rng(seed);
    move || rng.random::<f64>()
}

/// Every quantity of `a` equals `b`'s to 1e-9 (relative above 1, absolute
/// below), grid variation defined in both or neither.
pub fn assert_same(a: &MagneticElements, b: &MagneticElements, at: &str) {
    for quantity in Quantity::FIELD {
        match (quantity.get(a), quantity.get(b)) {
            (Some(x), Some(y)) => assert!(
                difference(quantity, x, y) <= 1e-9 * x.abs().max(1.0),
                "{at}: {} {x} vs {y}",
                quantity.key()
            ),
            (None, None) => {}
            (x, y) => panic!("{at}: {} {x:?} vs {y:?}", quantity.key()),
        }
    }
}

/// |x − y|, for azimuths (declination, grid variation) the shorter way
/// round: −180° and 180° are one direction.
fn difference(quantity: Quantity, x: f64, y: f64) -> f64 {
    match quantity {
        Quantity::Declination | Quantity::GridVariation => normalize_degrees(x - y).abs(),
        _ => (x - y).abs(),
    }
}
