//! The AVX-512 build of the fast paths, forced with `MAGVAR_SIMD=avx512`
//! where the CPU has it, equals the scalar reference synthesis
//! (common/paths.rs).

mod common;

use magvar_core::SimdPath;

#[test]
fn avx512_fast_paths_equal_the_reference() {
    if common::paths::force(SimdPath::Avx512) {
        common::paths::fast_paths_equal_the_reference();
    }
}
