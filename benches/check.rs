//! Benchmark: `check` (load, validate, authoring warnings; nothing rendered or written) of
//! synthetic sites of 1,000 and 5,000 guides.
//!
//! `cargo bench --bench check` (release). Each size runs in a fresh child process; prints
//! the median and the fastest of several runs, and the peak memory (VmHWM).

mod common;

use std::time::Instant;

fn child(n: usize, runs: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write(&content, n).unwrap();
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let checked = camnang::commands::check::run(&content, false);
        times.push(t.elapsed().as_secs_f64());
        assert!(checked.ok(), "{:?}", checked.diagnostics.0.first());
        assert_eq!(checked.guides, n);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut load = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let c = camnang::load_content(&content).unwrap();
        let l = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let w = camnang::content::review::warnings(&c);
        load.push((l, t.elapsed().as_secs_f64()));
        assert!(w.is_empty());
    }
    load.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let (l, w) = load[load.len() / 2];
    println!(
        "check {n:>5} guides: median {:>7.3} s  min {:>7.3} s  ({runs} runs)  peak RSS {:>6.1} MB",
        times[times.len() / 2],
        times[0],
        common::peak_rss_mb()
    );
    println!("  of which: load and validate {l:.3} s, authoring warnings {w:.3} s");
}

fn main() {
    common::run_sizes(&[(1_000, 7), (5_000, 5)], child);
}
