//! The AVX-512 build of the fast paths, forced with `MAGVAR_SIMD=avx512`
//! where the CPU has it, equals the reference single-point path
//! (common/paths.rs).

mod common;

use magvar_core::SimdPath;

#[test]
fn avx512_batches_and_grids_equal_the_point_path() {
    if common::paths::force(SimdPath::Avx512) {
        common::paths::fast_paths_equal_the_point_path();
    }
}
