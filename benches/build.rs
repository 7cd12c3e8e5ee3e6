//! Benchmark: full `build` of synthetic sites of 100, 1,000 and 5,000 guides.
//!
//! `cargo bench --bench build` (release): cold builds into a new folder and rebuilds of the
//! same content into the same folder. Each size runs in a fresh child process so the
//! peak memory (VmHWM) is that size's own. Prints the median of several runs.

mod common;

use std::path::Path;
use std::time::Instant;

use camnang::commands::build::BuildOptions;
use camnang::progress::Quiet;
use rayon::prelude::*;

fn child(n: usize, runs: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write(&content, n).unwrap();
    let run = |out: &Path| {
        let opts = BuildOptions::new(content.clone(), out);
        let (t, cpu) = (Instant::now(), common::cpu_s());
        let report = camnang::build(&opts, &Quiet).expect("build");
        assert_eq!(report.guides, n);
        (t.elapsed().as_secs_f64(), common::cpu_s() - cpu)
    };
    // Cold: into a new folder each time. Rebuild: the same content again into the same
    // folder (only changed files are written: none).
    let mut cold: Vec<(f64, f64)> = (0..runs)
        .map(|r| run(&tmp.path().join(format!("cold{r}"))))
        .collect();
    let mut warm: Vec<(f64, f64)> = (0..runs).map(|_| run(&tmp.path().join("cold0"))).collect();
    let files = walk_count(&tmp.path().join("cold0"));
    for (what, times) in [("cold   ", &mut cold), ("rebuild", &mut warm)] {
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut cpu: Vec<f64> = times.iter().map(|t| t.1).collect();
        cpu.sort_by(f64::total_cmp);
        println!(
            "build {n:>5} guides, {what}: median {:>7.3} s  min {:>7.3} s  CPU {:>6.2} s  ({runs} runs, {files} files)",
            times[times.len() / 2].0,
            times[0].0,
            cpu[cpu.len() / 2],
        );
    }
    println!(
        "build {n:>5} guides: peak RSS {:>6.1} MB",
        common::peak_rss_mb()
    );
    // A floor set by a required crate: parsing the guides' YAML (serde_yaml, through
    // camnang::content::yaml as the build does, in parallel), with nothing else of the build.
    let texts: Vec<String> = std::fs::read_dir(content.join("guides"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let (t, cpu) = (Instant::now(), common::cpu_s());
    let ok = texts
        .par_iter()
        .filter(|s| camnang::content::yaml::parse(s, "g.yaml", 0).is_ok())
        .count();
    assert_eq!(ok, n);
    println!(
        "build {n:>5} guides: YAML parsing alone {:>7.3} s  CPU {:>6.2} s",
        t.elapsed().as_secs_f64(),
        common::cpu_s() - cpu
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
    common::run_sizes(&[(100, 7), (1_000, 5), (5_000, 3)], child);
}
