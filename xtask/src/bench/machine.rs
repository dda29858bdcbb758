//! Suite `machine`: the most this machine can do, measured in the same
//! run, so that the model suite's figures can be read against it.
//!
//! * `core-clock`: cycles per second, from a chain of dependent integer
//!   additions of a register (one a cycle; recent Intel cores fold
//!   additions of constants in the renamer, hence a register).
//! * `fma-f64x4`: four-wide f64 fused multiply-adds per second, from ten
//!   independent chains, more than the pipes' latency × width.
//! * `fma-f64x8`: the same with eight-wide AVX-512 registers, where the
//!   CPU has AVX-512: what an eight-lane kernel could reach.
//! * `stream-write-125mb`: bytes per second one core writes to memory
//!   with non-temporal stores: a global 0.25° grid's fifteen bands are
//!   125 MB.
//!
//! The synthesis is almost all multiply-adds, so the second figure over
//! the multiply-adds a point needs is the point rate no code can beat on
//! this core; BENCHMARKS.md does that arithmetic for each goal. These are
//! x86-64 measurements (AVX2 and FMA): elsewhere the suite reports none.
//! In the JSON, `magvar_per_s` holds the machine's rate, and there is no
//! peer.

use super::{Workload, measure};
use std::time::Duration;

const SUITE: &str = "machine";

pub fn run() -> Vec<Workload> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut workloads = vec![Workload::new(
            SUITE,
            "core-clock",
            "cycles",
            x86::clock_rate(),
            None,
        )];
        if let Some(rate) = x86::fma_rate() {
            workloads.push(Workload::new(SUITE, "fma-f64x4", "fma", rate, None));
        }
        if let Some(rate) = x86::fma512_rate() {
            workloads.push(Workload::new(SUITE, "fma-f64x8", "fma", rate, None));
        }
        if let Some(rate) = x86::stream_write_rate() {
            workloads.push(Workload::new(
                SUITE,
                "stream-write-125mb",
                "bytes",
                rate,
                None,
            ));
        }
        workloads
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        eprintln!("suite machine: measures x86-64 cores only");
        Vec::new()
    }
}

/// Four-wide f64 multiply-adds a second on one core (`None` without AVX2
/// and FMA, or off x86-64): the model suite's ceilings are read against
/// it.
pub fn fma_f64x4_rate() -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    {
        x86::fma_rate()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        None
    }
}

/// Eight-wide f64 multiply-adds a second on one core (`None` without
/// AVX-512 F, or off x86-64).
pub fn fma_f64x8_rate() -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    {
        x86::fma512_rate()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        None
    }
}

/// Bytes a second one core writes with non-temporal stores (`None`
/// without AVX, or off x86-64).
pub fn stream_write_rate() -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    {
        x86::stream_write_rate()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        None
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::*;
    use std::arch::asm;
    use std::arch::x86_64::*;

    /// Each workload's least time: a single run takes 70–200 ms, so this
    /// still gives several.
    const MIN_TIME: Duration = Duration::from_millis(500);

    /// Additions in one timed run.
    const ADDS: usize = 200_000_000;

    pub fn clock_rate() -> f64 {
        measure(ADDS, MIN_TIME, || {
            let mut x: u64 = 0;
            // SAFETY: plain register arithmetic; each add depends on the
            // one before, so the chain takes one cycle per add.
            unsafe {
                asm!(
                    "2:",
                    "add {x}, {one}", "add {x}, {one}", "add {x}, {one}", "add {x}, {one}",
                    "add {x}, {one}", "add {x}, {one}", "add {x}, {one}", "add {x}, {one}",
                    "sub {n}, 8",
                    "jnz 2b",
                    x = inout(reg) x,
                    one = in(reg) std::hint::black_box(1u64),
                    n = inout(reg) ADDS => _,
                    options(nomem, nostack),
                );
            }
            std::hint::black_box(x);
        })
    }

    /// Iterations of ten multiply-adds in one timed run.
    const FMA_ROUNDS: usize = 50_000_000;

    /// `None` on a CPU without AVX2 and FMA.
    pub fn fma_rate() -> Option<f64> {
        if !(is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")) {
            return None;
        }
        // SAFETY: the CPU has AVX2 and FMA, checked just above.
        Some(measure(10 * FMA_ROUNDS, MIN_TIME, || unsafe {
            std::hint::black_box(fma_chains(FMA_ROUNDS));
        }))
    }

    /// Ten independent chains of multiply-adds in registers of `$class`
    /// (`ymm_reg` or `zmm_reg`), each adding the same product `$x · $y` to
    /// its own register, starting from `$zero`, `$rounds` times: the FMA
    /// pipes' latency (4 cycles) times their number (2) is fewer than ten,
    /// so the pipes, not the chains, set the pace. Gives the first and the
    /// last chain. The caller's function must enable the registers' SIMD
    /// features; the operands are the compiler's registers, declared so.
    macro_rules! fma_chains {
        ($rounds:expr, $class:ident, $x:expr, $y:expr, $zero:expr) => {{
            // The loop counts down to zero after its first pass.
            assert!($rounds > 0, "at least one round");
            let [mut a0, mut a1, mut a2, mut a3, mut a4] = [$zero; 5];
            let [mut a5, mut a6, mut a7, mut a8, mut a9] = [$zero; 5];
            // SAFETY: the CPU has the registers' features (the caller's
            // contract); every register used is an operand.
            unsafe {
                asm!(
                    "2:",
                    "vfmadd231pd {a0}, {x}, {y}", "vfmadd231pd {a1}, {x}, {y}",
                    "vfmadd231pd {a2}, {x}, {y}", "vfmadd231pd {a3}, {x}, {y}",
                    "vfmadd231pd {a4}, {x}, {y}", "vfmadd231pd {a5}, {x}, {y}",
                    "vfmadd231pd {a6}, {x}, {y}", "vfmadd231pd {a7}, {x}, {y}",
                    "vfmadd231pd {a8}, {x}, {y}", "vfmadd231pd {a9}, {x}, {y}",
                    "dec {n}",
                    "jnz 2b",
                    n = inout(reg) $rounds => _,
                    x = in($class) $x,
                    y = in($class) $y,
                    a0 = inout($class) a0, a1 = inout($class) a1,
                    a2 = inout($class) a2, a3 = inout($class) a3,
                    a4 = inout($class) a4, a5 = inout($class) a5,
                    a6 = inout($class) a6, a7 = inout($class) a7,
                    a8 = inout($class) a8, a9 = inout($class) a9,
                    options(nomem, nostack),
                );
            }
            std::hint::black_box((a1, a2, a3, a4, a5, a6, a7, a8));
            (a0, a9)
        }};
    }

    /// [`fma_chains!`] four lanes wide; the first and the last chain added.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn fma_chains(rounds: usize) -> f64 {
        let (first, last) = fma_chains!(
            rounds,
            ymm_reg,
            _mm256_set1_pd(0.999_999),
            _mm256_set1_pd(1e-9),
            _mm256_setzero_pd()
        );
        let mut lanes = [0.0; 4];
        // SAFETY: AVX is available; the pointer is to four f64.
        unsafe { _mm256_storeu_pd(lanes.as_mut_ptr(), _mm256_add_pd(first, last)) };
        lanes[0]
    }

    /// `None` on a CPU without AVX-512 F.
    pub fn fma512_rate() -> Option<f64> {
        if !is_x86_feature_detected!("avx512f") {
            return None;
        }
        // SAFETY: the CPU has AVX-512 F, checked just above.
        Some(measure(10 * FMA_ROUNDS, MIN_TIME, || unsafe {
            std::hint::black_box(fma512_chains(FMA_ROUNDS));
        }))
    }

    /// [`fma_chains!`] eight lanes wide; the first and the last chain added.
    ///
    /// # Safety
    /// The CPU must have AVX-512 F.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn fma512_chains(rounds: usize) -> f64 {
        let (first, last) = fma_chains!(
            rounds,
            zmm_reg,
            _mm512_set1_pd(0.999_999),
            _mm512_set1_pd(1e-9),
            _mm512_setzero_pd()
        );
        let mut lanes = [0.0; 8];
        // SAFETY: AVX-512 F is available; the pointer is to eight f64.
        unsafe { _mm512_storeu_pd(lanes.as_mut_ptr(), _mm512_add_pd(first, last)) };
        lanes[0]
    }

    /// A global 0.25° grid's bands: 1441 × 721 points × 15 f64.
    const GRID_BYTES: usize = 1441 * 721 * 15 * 8;

    /// `None` on a CPU without AVX.
    pub fn stream_write_rate() -> Option<f64> {
        if !is_x86_feature_detected!("avx") {
            return None;
        }
        let mut buffer = vec![0.0f64; GRID_BYTES / 8];
        // SAFETY: the CPU has AVX, checked just above.
        Some(measure(GRID_BYTES, MIN_TIME, || unsafe {
            stream_fill(&mut buffer, 1.5);
        }))
    }

    /// Fills `buffer` with `value`, non-temporal stores where aligned.
    ///
    /// # Safety
    /// The CPU must have AVX.
    #[target_feature(enable = "avx")]
    pub(super) unsafe fn stream_fill(buffer: &mut [f64], value: f64) {
        let (head, body, tail) = {
            // SAFETY: any bit pattern is a valid f64, and __m256d is four.
            unsafe { buffer.align_to_mut::<__m256d>() }
        };
        head.fill(value);
        let v = _mm256_set1_pd(value);
        for slot in body.iter_mut() {
            // SAFETY: `slot` is an aligned __m256d in the buffer.
            unsafe { _mm256_stream_pd((slot as *mut __m256d).cast(), v) };
        }
        _mm_sfence();
        tail.fill(value);
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::x86::*;

    fn has_avx2_fma() -> bool {
        std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
    }

    #[test]
    fn the_multiply_add_chains_compute_their_recurrence() {
        if !has_avx2_fma() {
            return;
        }
        let rounds = 1000;
        let mut x = 0.0f64;
        for _ in 0..rounds {
            x = 0.999_999f64.mul_add(1e-9, x);
        }
        // SAFETY: the CPU has AVX2 and FMA, checked above.
        let chains = unsafe { fma_chains(rounds) };
        // The first and the last of the ten chains, added.
        assert_eq!(chains, 2.0 * x);
        if std::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512 F, checked just above.
            let wide = unsafe { fma512_chains(rounds) };
            assert_eq!(wide, 2.0 * x, "the eight-wide chains");
        }
    }

    #[test]
    fn the_stream_fill_writes_every_value_at_any_alignment() {
        if !has_avx2_fma() {
            return;
        }
        for start in 0..4 {
            let mut buffer = vec![0.0; 101];
            // SAFETY: the CPU has AVX, checked above.
            unsafe { stream_fill(&mut buffer[start..], 2.5) };
            assert!(buffer[..start].iter().all(|&v| v == 0.0));
            assert!(buffer[start..].iter().all(|&v| v == 2.5));
        }
    }
}
