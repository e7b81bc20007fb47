//! Benchmark of region-pack resolution (ignored by `cargo test`; run it on a release build
//! with `cargo test --release --test suite bench_pack -- --ignored --nocapture`): what
//! reading, merging, typing and checking the 上海 pack (and a project layer extending it)
//! costs a build, and the whole check of the 上海 example beside it. It prints its figures
//! and asserts only that the work happened.

use std::path::Path;
use std::time::Instant;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

#[test]
#[ignore]
fn bench_pack_resolution_against_a_whole_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shanghai-district-2026-budget");
    let confinement = budgetdoc::load::Confinement::new(&root).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pack.yaml"),
        "extends: shanghai-district\ntables:\n  income:\n    title: \"{year}年部门收入预算总表（区级）\"\n",
    )
    .unwrap();
    let own = budgetdoc::load::Confinement::new(dir.path()).unwrap();
    let mut shipped = Vec::new();
    let mut layered = Vec::new();
    let mut whole = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let r =
            budgetdoc::pack::resolve(&root, Some("shanghai-district"), None, None, &confinement)
                .unwrap()
                .unwrap();
        let problems =
            budgetdoc::pack::check(&r, "budget", &budgetdoc::kinds::budget::pack::SCHEMA);
        assert!(!problems.has_errors());
        shipped.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let r = budgetdoc::pack::resolve(
            dir.path(),
            Some("shanghai-district"),
            Some("pack.yaml"),
            None,
            &own,
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.files.len(), 2);
        let problems =
            budgetdoc::pack::check(&r, "budget", &budgetdoc::kinds::budget::pack::SCHEMA);
        assert!(!problems.has_errors());
        layered.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let checked = budgetdoc::check(&root).unwrap();
        assert!(!checked.document.data()["parts"].is_null());
        whole.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    eprintln!(
        "pack resolution + check, median of 50: shipped 上海 pack {:.2} ms; project layer over it {:.2} ms; whole `check` of the 上海 example (load, pack, validate, derive, view) {:.2} ms",
        median(shipped),
        median(layered),
        median(whole)
    );
}
