//! Benchmarks of the preview (ignored by `cargo test`; run them on a release build with
//! `cargo test --release --test suite bench_ -- --ignored --nocapture --test-threads 1`):
//! edit-to-browser latency against `typst watch` on the same one-value edit, the first page
//! after start, and memory after 1,000 edits. They print their figures; they assert only
//! that the work happened, never a time.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::browser::{Cdp, chromium, launch};
use crate::preview::{save_by_rename, start};
use crate::support::bin;

const FINAL: &str = "examples/nx-hrss-2024-final";

/// Wall-clock milliseconds: the browser stamps its steps with `Date.now()`, so the benchmark
/// compares with the same clock (a measurement, not output).
#[allow(clippy::disallowed_methods)]
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn median(mut xs: Vec<u64>) -> u64 {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

/// 20 one-amount edits of the 部门决算 example, each a new value, in a browser showing the
/// page that prints it (`format`: svg or png): the latencies from the write until the page
/// shows the new image, and the medians of each step.
fn edits_in_the_browser(binary: &str, format: &str) -> Vec<u64> {
    let preview = start(FINAL);
    let (_browser, ws_url) = launch(binary);
    let mut cdp = Cdp::open(
        &ws_url,
        &format!("http://127.0.0.1:{}/?format={format}", preview.port),
    );
    cdp.until("window.__preview && __preview.applied >= 1 && document.querySelectorAll('.page').length === 65");
    // The 02表 page, where the edited amount (招商引资's 一般公共预算 income) is printed.
    cdp.until("(window.__p = Array.from(document.querySelectorAll('.page')).findIndex(d => d.querySelector('img').alt.includes('招商引资') && d.querySelector('img').alt.includes('2,000,000.00'))) >= 0");
    let page = cdp.eval("__p").as_u64().unwrap();
    cdp.eval(&format!(
        "main.scrollTop = document.querySelectorAll('.page')[{page}].offsetTop; true"
    ));
    cdp.until(&format!(
        "document.querySelectorAll('.page img')[{page}].complete"
    ));
    let main = preview.file("budgetdoc.yaml");
    let mut ours = Vec::new();
    let mut steps: Vec<[u64; 5]> = Vec::new();
    // A new value each time: a value seen before would let Typst's caches answer from an
    // earlier build. The amounts step by 0.01 from 2000000.00.
    let amount = |i: u64| format!("2000000.{i:02}");
    for i in 0..21u64 {
        let (from, to) = (amount(i), amount(i + 1));
        let text = std::fs::read_to_string(&main).unwrap();
        let t0 = now_ms();
        save_by_rename(
            &main,
            &text.replacen(
                &format!("general_budget: {from}"),
                &format!("general_budget: {to}"),
                1,
            ),
        );
        cdp.until(&format!("(__preview.swapped[{page}] || 0) >= {t0}"));
        let t = cdp.eval(&format!(
            "[__preview.trace.event, __preview.trace.state, __preview.trace.loaded, __preview.swapped[{page}]]"
        ));
        let at = |k: usize| t[k].as_u64().unwrap_or(t0).saturating_sub(t0);
        if std::env::var_os("PROBE").is_some() {
            let r = cdp.eval(&format!("(() => {{ const e = performance.getEntriesByType('resource').filter(e => e.name.includes('/page/{page}.png')).pop(); return e ? [Math.round(performance.timeOrigin + e.startTime), Math.round(performance.timeOrigin + e.responseStart), Math.round(performance.timeOrigin + e.responseEnd)] : []; }})()"));
            let v: Vec<u64> = r
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap().saturating_sub(t0))
                .collect();
            println!(
                "probe: event {} fetch start/first byte/end {v:?} shown {}",
                at(0),
                at(3)
            );
        }
        if i > 0 {
            ours.push(at(3));
            let s = preview.state();
            steps.push([
                s["build_ms"].as_u64().unwrap() + s["pages_ms"].as_u64().unwrap(),
                at(0),
                at(1),
                at(2),
                at(3),
            ]);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let step = |k: usize| median(steps.iter().map(|s| s[k]).collect());
    println!(
        "{format}: edit → changed page shown: median {} ms over {} edits {ours:?}; medians from the write: build+pages {} ms (server), event {} ms, state fetched {} ms, image loaded {} ms, shown {} ms",
        median(ours.clone()),
        ours.len(),
        step(0),
        step(1),
        step(2),
        step(3),
        step(4)
    );
    ours
}

#[test]
#[ignore = "benchmark"]
fn bench_edit_to_browser_against_typst_watch() {
    let binary = chromium().expect("chromium");
    let svg = edits_in_the_browser(&binary, "svg");
    let png = edits_in_the_browser(&binary, "png");
    let ours = if median(png.clone()) < median(svg.clone()) {
        png
    } else {
        svg
    };
    // typst watch on the same document's --emit-source output, the same value edited in
    // data.json, until the PDF is rewritten.
    let typst = std::env::var("BUDGETDOC_TYPST").unwrap_or_else(|_| "typst".into());
    let src = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["build", FINAL, "-o"])
        .arg(src.path().join("ref.pdf"))
        .arg("--emit-source")
        .arg(src.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let pdf = src.path().join("out.pdf");
    let mut watch = Command::new(&typst)
        .current_dir(src.path())
        .args([
            "watch",
            "main.typ",
            "out.pdf",
            "--font-path",
            "fonts",
            "--ignore-system-fonts",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("typst (set BUDGETDOC_TYPST)");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let start = Instant::now();
    while modified(&pdf).is_none() {
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(500));
    let data = src.path().join("data.json");
    let mut theirs = Vec::new();
    let printed = |i: u64| format!("\"2,000,000.{i:02}\"");
    for i in 0..21u64 {
        let (from, to) = (printed(i), printed(i + 1));
        let text = std::fs::read_to_string(&data).unwrap();
        let before = modified(&pdf);
        let t0 = Instant::now();
        std::fs::write(&data, text.replacen(&from, &to, 1)).unwrap();
        while modified(&pdf) == before {
            assert!(t0.elapsed() < Duration::from_secs(30));
            std::thread::sleep(Duration::from_millis(1));
        }
        if i > 0 {
            theirs.push(t0.elapsed().as_millis() as u64);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = watch.kill();
    let _ = watch.wait();
    let (a, b) = (median(ours.clone()), median(theirs.clone()));
    println!(
        "edit → changed page shown in the browser (budgetdoc preview): median {a} ms over {} edits: {ours:?}",
        ours.len()
    );
    println!(
        "edit → PDF rewritten (typst watch): median {b} ms over {} edits: {theirs:?}",
        theirs.len()
    );
    println!("ratio {a}/{b}");
}

#[test]
#[ignore = "benchmark"]
fn bench_first_page_after_start() {
    let binary = chromium().expect("chromium");
    let (_browser, ws_url) = launch(&binary);
    let mut samples = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        let preview = start(FINAL);
        let mut cdp = Cdp::open(&ws_url, &format!("http://127.0.0.1:{}/", preview.port));
        cdp.until("(() => { const i = document.querySelector('#page-1 img'); return !!i && i.complete && i.naturalWidth > 0; })()");
        samples.push(t0.elapsed().as_millis() as u64);
    }
    println!(
        "start → first page shown: median {} ms, samples {samples:?}",
        median(samples.clone())
    );
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
#[ignore = "benchmark"]
fn bench_memory_after_a_thousand_edits() {
    let p = start(FINAL);
    let main = p.file("budgetdoc.yaml");
    let good = std::fs::read_to_string(&main).unwrap();
    let eval = p.file("evaluations");
    let first_eval = std::fs::read_dir(&eval)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .min()
        .unwrap();
    let eval_text = std::fs::read_to_string(&first_eval).unwrap();
    let templates = p.file("templates");
    let mut version = p.state()["version"].as_u64().unwrap();
    let mut after_10 = 0;
    let start = Instant::now();
    for i in 0..1000u32 {
        match i % 5 {
            // A valid edit: a different amount each time.
            0 | 1 => std::fs::write(
                &main,
                good.replacen(
                    "general_budget: 2000000.00",
                    &format!("general_budget: {}.00", 2000000 + i),
                    1,
                ),
            )
            .unwrap(),
            // Invalid YAML.
            2 => std::fs::write(&main, format!("{good}year: [broken {i}\n")).unwrap(),
            // A file deleted, then re-created.
            3 => {
                std::fs::write(&main, &good).unwrap();
                let _ = std::fs::remove_file(&first_eval);
            }
            // A template override added, then removed with the file back.
            _ => {
                std::fs::write(&first_eval, &eval_text).unwrap();
                if i % 10 == 4 {
                    std::fs::create_dir_all(&templates).unwrap();
                    std::fs::write(templates.join("style.typ"), "#let broken = (\n").unwrap();
                } else {
                    let _ = std::fs::remove_dir_all(&templates);
                }
            }
        }
        let s = p.until(
            |s| s["version"].as_u64().unwrap() > version && s["status"] != "building",
            "a rebuild",
        );
        version = s["version"].as_u64().unwrap();
        if i == 9 {
            after_10 = rss_kb(p.pid());
        }
    }
    let _ = std::fs::remove_dir_all(&templates);
    std::fs::write(&main, &good).unwrap();
    std::fs::write(&first_eval, &eval_text).unwrap();
    let s = p.until(|s| s["status"] == "ready", "the last build");
    let after_1000 = rss_kb(p.pid());
    println!(
        "RSS after 10 edits {} MB, after 1000 edits {} MB (+{} MB) in {} s; still answering: {}",
        after_10 / 1024,
        after_1000 / 1024,
        after_1000.saturating_sub(after_10) / 1024,
        start.elapsed().as_secs(),
        s["pages"].as_array().unwrap().len()
    );
}

/// The cost of the marked layout the preview and `explain` use: a cold compile of each
/// example plain and marked, median of 5 (Typst's caches emptied before each), and the
/// mean recompile of the unchanged project in a session of each (what a rebuild costs when
/// the edit touched nothing Typst lays out).
#[test]
#[ignore = "benchmark"]
fn bench_marked_layout_against_the_plain_one() {
    let options = budgetdoc::BuildOptions::default();
    for ex in [
        FINAL,
        "examples/zhongwei-hrss-2024-budget",
        "examples/nx-employment-2024-targets",
    ] {
        let times = |marked: bool| {
            let runs: Vec<u64> = (0..5)
                .map(|_| {
                    comemo::evict(0);
                    let start = Instant::now();
                    let compiled = if marked {
                        budgetdoc::compile_marked(Path::new(ex), &options)
                    } else {
                        budgetdoc::compile_with(Path::new(ex), &options)
                    };
                    assert!(compiled.is_ok());
                    start.elapsed().as_millis() as u64
                })
                .collect();
            median(runs)
        };
        let (plain, marked) = (times(false), times(true));
        println!("{ex}: cold compile plain {plain} ms, marked {marked} ms");
        let session = |marked: bool| {
            let s = if marked {
                budgetdoc::session::Session::marked(&options)
            } else {
                budgetdoc::session::Session::new(&options)
            };
            assert!(s.compile(Path::new(ex)).result.is_ok());
            let start = Instant::now();
            for _ in 0..5 {
                assert!(s.compile(Path::new(ex)).result.is_ok());
            }
            start.elapsed().as_millis() as u64 / 5
        };
        println!(
            "{ex}: warm recompile plain {} ms, marked {} ms",
            session(false),
            session(true)
        );
    }
}
