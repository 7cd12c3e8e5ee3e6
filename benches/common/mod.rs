//! What the `build` and `check` benchmarks share: each size runs in a fresh child process
//! (the bench binary started again with `--child N RUNS`), so the peak memory it reports is
//! that size's own.

use std::process::Command;

/// Peak resident memory of this process so far (VmHWM), in MB; NaN where `/proc` is missing.
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The `main` of a benchmark: as `--child N RUNS`, runs `child(N, RUNS)`; with `--list`
/// (asked by `cargo bench -- --list`), does nothing; otherwise starts one child process per
/// `(guides, runs)` in `sizes`, in order, and fails if one fails.
pub fn run_sizes(sizes: &[(usize, usize)], child: fn(usize, usize)) {
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
    for &(n, runs) in sizes {
        let st = Command::new(&exe)
            .args(["--child", &n.to_string(), &runs.to_string()])
            .status()
            .unwrap();
        assert!(st.success(), "the child for {n} guides failed: {st}");
    }
}

/// CPU time (user + system) of this process so far, in seconds.
#[allow(dead_code)] // used by the build benchmark, not by check
pub fn cpu_s() -> f64 {
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

/// Runs `cmd` (which must succeed) and returns its peak resident memory in MB, read from
/// its `/proc/<pid>/status` (VmHWM, the high-water mark) every few milliseconds until it
/// exits; NaN where `/proc` is missing.
#[allow(dead_code)] // used by the rebuild benchmark
pub fn child_peak_mb(cmd: &mut Command) -> f64 {
    let mut child = cmd.spawn().unwrap();
    let path = format!("/proc/{}/status", child.id());
    let mut peak = f64::NAN;
    loop {
        if let Some(kb) = std::fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        {
            peak = kb / 1024.0;
        }
        if let Some(st) = child.try_wait().unwrap() {
            assert!(st.success(), "{cmd:?} failed: {st}");
            return peak;
        }
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
}
