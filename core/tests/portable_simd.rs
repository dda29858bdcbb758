//! The portable (non-SIMD) build of the fast paths, forced with
//! `MAGVAR_SIMD=portable` whatever the CPU, equals the scalar reference
//! synthesis (common/paths.rs).

mod common;

use magvar_core::SimdPath;

#[test]
fn portable_fast_paths_equal_the_reference() {
    if common::paths::force(SimdPath::Portable) {
        common::paths::fast_paths_equal_the_reference();
    }
}
