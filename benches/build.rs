//! Benchmark: full `build` of synthetic sites of 100, 1,000 and 5,000 guides.
//!
//! `cargo bench --bench build` (release): cold builds into a new folder and rebuilds of the
//! same content into the same folder. Each size runs in a fresh child process so the
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

/// CPU time (user + system) of this process so far, in seconds.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0
}

fn child(n: usize, runs: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write(&content, n).unwrap();
    let run = |out: &Path| {
        let opts = BuildOptions::new(content.clone(), out);
        let (t, cpu) = (Instant::now(), cpu_s());
        let report = camnang::build(&opts, &Quiet).expect("build");
        assert_eq!(report.guides, n);
        (t.elapsed().as_secs_f64(), cpu_s() - cpu)
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
    println!("build {n:>5} guides: peak RSS {:>6.1} MB", peak_rss_mb());
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
