//! The AVX2+FMA build of the fast paths, forced with `MAGVAR_SIMD=avx2`
//! where the CPU has it (also on CPUs with AVX-512, whose best path is
//! another), equals the scalar reference synthesis (common/paths.rs).

mod common;

use magvar_core::SimdPath;

#[test]
fn avx2_fast_paths_equal_the_reference() {
    if common::paths::force(SimdPath::Avx2) {
        common::paths::fast_paths_equal_the_reference();
    }
}
