//! The portable (non-SIMD) build of the fast paths, forced with
//! `MAGVAR_SIMD=portable` whatever the CPU, equals the reference
//! single-point path (common/paths.rs).

mod common;

use magvar_core::SimdPath;

#[test]
fn portable_batches_and_grids_equal_the_point_path() {
    if common::paths::force(SimdPath::Portable) {
        common::paths::fast_paths_equal_the_point_path();
    }
}
