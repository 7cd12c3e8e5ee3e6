//! Benchmark: `check` (load, validate, authoring warnings; nothing rendered or written) of
//! synthetic sites of 1,000 and 5,000 guides.
//!
//! `cargo bench --bench check` (release). Each size runs in a fresh child process; prints
//! the median and the fastest of several runs, and the peak memory (VmHWM).

use std::process::Command;
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn child(n: usize, runs: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write(&content, n).unwrap();
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let checked = camnang::check::run(&content, false);
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
        let w = camnang::check::warnings(&c);
        load.push((l, t.elapsed().as_secs_f64()));
        assert!(w.is_empty());
    }
    load.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let (l, w) = load[load.len() / 2];
    println!(
        "check {n:>5} guides: median {:>7.3} s  min {:>7.3} s  ({runs} runs)  peak RSS {:>6.1} MB",
        times[times.len() / 2],
        times[0],
        peak_rss_mb()
    );
    println!("  of which: load and validate {l:.3} s, authoring warnings {w:.3} s");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let n: usize = args[i + 1].parse().unwrap();
        let runs: usize = args[i + 2].parse().unwrap();
        child(n, runs);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    for (n, runs) in [(1_000, 7), (5_000, 5)] {
        let st = Command::new(&exe)
            .args(["--child", &n.to_string(), &runs.to_string()])
            .status()
            .unwrap();
        assert!(st.success());
    }
}
