//! Benchmark: full `build` of synthetic sites of 100, 1,000 and 5,000 guides.
//!
//! `cargo bench --bench build` (release). Each size runs in a fresh child process so the
//! peak memory (VmHWM) is that size's own. Prints the median of several runs.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use camnang::site::{BuildOptions, Quiet};

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
    for r in 0..runs {
        let opts = BuildOptions {
            content: content.clone(),
            out: tmp.path().join(format!("out{}", r % 2)),
            lang: None,
            strict: false,
            pdf: false,
            zip: false,
        };
        let t = Instant::now();
        let report = camnang::build(&opts, &Quiet).expect("build");
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(report.guides, n);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let files = walk_count(&tmp.path().join("out0"));
    println!(
        "build {n:>5} guides: median {:>7.3} s  min {:>7.3} s  ({runs} runs, {files} files)  peak RSS {:>6.1} MB",
        times[times.len() / 2],
        times[0],
        peak_rss_mb()
    );
}

fn walk_count(p: &Path) -> usize {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.map(|e| {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    walk_count(&e.path())
                } else {
                    1
                }
            })
            .sum()
        })
        .unwrap_or(0)
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
    for (n, runs) in [(100, 7), (1_000, 5), (5_000, 3)] {
        let st = Command::new(&exe)
            .args(["--child", &n.to_string(), &runs.to_string()])
            .status()
            .unwrap();
        assert!(st.success());
    }
}
