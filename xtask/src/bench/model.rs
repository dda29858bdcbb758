//! Suite `model`: random points and whole grids, magvar against the
//! `world_magnetic_model` crate (f32, WMM only) on the same points in the
//! same run, and magvar on two cores against itself on one.

use super::{Workload, measure};
use magvar_core::{
    BuiltinModel, Evaluator, Grid, GridSpec, MagneticElements, MagneticModel, Position, SimdPath,
};
use std::hint::black_box;
use std::time::Duration;
use world_magnetic_model::GeomagneticField;
use world_magnetic_model::time::Date;
use world_magnetic_model::uom::si::angle::degree;
use world_magnetic_model::uom::si::f32::{Angle, Length};
use world_magnetic_model::uom::si::length::kilometer;

const SUITE: &str = "model";
const RANDOM_POINTS: usize = 100_000;
const MIN_TIME: Duration = Duration::from_millis(1500);
/// Day 100 of 2026, for both implementations (the peer takes whole days).
const DAY_OF_YEAR: u16 = 100;

/// Multiply and multiply-add instructions the point kernel issues per
/// group of WMM2025 points (degree 12, every element and rate), whatever
/// its width: 1,850, counted with `perf annotate` per loop iteration times
/// the iterations (BENCHMARKS.md, "Ceilings", gives the parts). A group is
/// eight points on the AVX-512 path, four otherwise.
const FMA_PER_RANDOM_GROUP: f64 = 1_850.0;
/// The same for the 0.25° grid: 156 in the order sums and 118 for the
/// elements per pair of groups (east and west of a row's centre: eight
/// points with four lanes, sixteen with eight).
const FMA_PER_GRID_GROUP_PAIR: f64 = 156.0 + 118.0;
/// Bytes written per grid point: fifteen f64 bands.
const BYTES_PER_GRID_POINT: f64 = 15.0 * 8.0;

fn year() -> f64 {
    2026.0 + f64::from(DAY_OF_YEAR - 1) / 365.0
}

fn random_positions(count: usize) -> Vec<Position> {
    let mut next = super::unit_numbers(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|_| {
            let lat = (2.0 * next() - 1.0).asin().to_degrees(); // uniform on the sphere
            Position::geodetic(lat, 360.0 * next() - 180.0, 10.0 * next()).expect("in range")
        })
        .collect()
}

fn single_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
        .install(work)
}

/// The batch API (lane kernel), one thread.
fn magvar_points_rate(model: &MagneticModel, positions: &[Position]) -> f64 {
    let mut evaluator = Evaluator::new(model);
    let mut out = Vec::with_capacity(positions.len());
    measure(positions.len(), MIN_TIME, || {
        out.clear();
        evaluator.elements_many(positions, year(), &mut out);
        black_box(&out);
    })
}

/// One call a point (`Evaluator::elements`: the lane kernel with one
/// point), as a program asking point by point gets it.
fn magvar_pointwise_rate(model: &MagneticModel, positions: &[Position]) -> f64 {
    let mut evaluator = Evaluator::new(model);
    measure(positions.len(), MIN_TIME, || {
        for p in positions {
            black_box(evaluator.elements(p, year()));
        }
    })
}

fn peer_points_rate(points: &[(f64, f64, f64)]) -> f64 {
    let date = Date::from_ordinal_date(2026, DAY_OF_YEAR).expect("valid date");
    measure(points.len(), MIN_TIME, || {
        for &(lat, lon, alt) in points {
            let field = GeomagneticField::new(
                Length::new::<kilometer>(alt as f32),
                Angle::new::<degree>(lat as f32),
                Angle::new::<degree>(lon as f32),
                date,
            );
            let _ = black_box(field);
        }
    })
}

/// Every element and rate on the grid, computed into a reused grid (as an
/// animation or a tile server does): what is measured is the field, not
/// the operating system's page faults for a fresh 125 MB buffer.
fn grid_rate(model: &MagneticModel, spec: &GridSpec) -> f64 {
    let points = spec.latitude_count() * spec.longitude_count();
    let mut grid = Grid::default();
    measure(points, MIN_TIME, || {
        model.grid_into(&mut grid, spec, 0.0, year());
        black_box(&grid);
    })
}

pub fn run() -> Vec<Workload> {
    let mut out = Vec::new();
    let positions = random_positions(RANDOM_POINTS);
    let triples: Vec<(f64, f64, f64)> = positions
        .iter()
        .map(|p| (p.latitude_deg, p.longitude_deg, p.altitude_km))
        .collect();
    let wmm = BuiltinModel::Wmm2025.model();
    let igrf = BuiltinModel::Igrf14.model();
    let wmmhr = BuiltinModel::Wmmhr2025.model();

    let ours = magvar_points_rate(wmm, &positions);
    let peer = peer_points_rate(&triples);
    out.push(
        Workload::new(
            SUITE,
            "random-wmm2025",
            "points",
            ours,
            Some(("world_magnetic_model", peer)),
        )
        .on_lane_kernels(),
    );
    out.push(
        Workload::new(
            SUITE,
            "random-wmm2025-pointwise",
            "points",
            magvar_pointwise_rate(wmm, &positions),
            Some(("world_magnetic_model", peer)),
        )
        .on_lane_kernels(),
    );
    let mut buffer = vec![MagneticElements::ZERO; positions.len()];
    let both_cores = measure(positions.len(), MIN_TIME, || {
        wmm.elements_at_points_into(&positions, year(), &mut buffer);
        black_box(&buffer);
    });
    out.push(
        Workload::new(
            SUITE,
            format!("random-wmm2025-{}threads", rayon::current_num_threads()),
            "points",
            both_cores,
            Some(("magvar-1-thread", ours)),
        )
        .on_lane_kernels(),
    );
    out.push(
        Workload::new(
            SUITE,
            "random-igrf14",
            "points",
            magvar_points_rate(igrf, &positions),
            None,
        )
        .on_lane_kernels(),
    );
    out.push(
        Workload::new(
            SUITE,
            "random-wmmhr2025",
            "points",
            magvar_points_rate(wmmhr, &positions[..2_000]),
            None,
        )
        .on_lane_kernels(),
    );

    // The kernels run eight lanes on the AVX-512 path: their bound is then
    // eight-wide multiply-adds. The portable path issues no vector
    // multiply-adds, so it has no such bound.
    let (lanes, fma_rate) = match magvar_core::simd_path() {
        SimdPath::Avx512 => (8.0, super::machine::fma_f64x8_rate()),
        SimdPath::Avx2 => (4.0, super::machine::fma_f64x4_rate()),
        SimdPath::Portable => (4.0, None),
    };
    if let Some(fma_rate) = fma_rate {
        let ceiling = fma_rate * lanes / FMA_PER_RANDOM_GROUP;
        out.push(
            Workload::new(
                SUITE,
                "random-wmm2025-of-ceiling",
                "points",
                ours,
                Some(("fma-bound", ceiling)),
            )
            .on_lane_kernels(),
        );
    }

    let quarter = GridSpec::global(0.25).expect("valid grid");
    let grid_points: Vec<(f64, f64, f64)> = quarter
        .latitudes()
        .iter()
        .flat_map(|&lat| {
            quarter
                .longitudes()
                .into_iter()
                .map(move |lon| (lat, lon, 0.0))
        })
        .collect();
    let one_thread = single_thread(|| grid_rate(wmm, &quarter));
    out.push(
        Workload::new(
            SUITE,
            "grid-0.25-wmm2025",
            "points",
            one_thread,
            Some(("world_magnetic_model", peer_points_rate(&grid_points))),
        )
        .on_lane_kernels(),
    );
    if let Some((fma_rate, write_rate)) = fma_rate.zip(super::machine::stream_write_rate()) {
        // The arithmetic and the writing at their peaks, one after the
        // other: they did not overlap in any form tried (BENCHMARKS.md).
        let fma_per_point = FMA_PER_GRID_GROUP_PAIR / (2.0 * lanes);
        let seconds_per_point = fma_per_point / fma_rate + BYTES_PER_GRID_POINT / write_rate;
        out.push(
            Workload::new(
                SUITE,
                "grid-0.25-wmm2025-of-ceiling",
                "points",
                one_thread,
                Some(("fma-and-write-bound", 1.0 / seconds_per_point)),
            )
            .on_lane_kernels(),
        );
    }
    let all_cores = grid_rate(wmm, &quarter);
    out.push(
        Workload::new(
            SUITE,
            format!("grid-0.25-wmm2025-{}threads", rayon::current_num_threads()),
            "points",
            all_cores,
            Some(("magvar-1-thread", one_thread)),
        )
        .on_lane_kernels(),
    );
    out.push(
        Workload::new(
            SUITE,
            "grid-0.25-igrf14",
            "points",
            single_thread(|| grid_rate(igrf, &quarter)),
            None,
        )
        .on_lane_kernels(),
    );
    let degree_grid = GridSpec::global(1.0).expect("valid grid");
    out.push(
        Workload::new(
            SUITE,
            "grid-1-wmmhr2025",
            "points",
            single_thread(|| grid_rate(wmmhr, &degree_grid)),
            None,
        )
        .on_lane_kernels(),
    );
    out
}
