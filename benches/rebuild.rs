//! Benchmark: rebuilds through the build manifest (issue #16) against a cold build and a
//! plain copy of the output, on one synthetic site (`src/corpus.rs`), in the same run.
//!
//! `cargo bench --bench rebuild` (release; `CAMNANG_BENCH_GUIDES=1000` for another size).
//! Each round, in turn: a cold build into a new folder, `cp -r` of the output, a rebuild
//! with no change and a rebuild after editing one guide (both into the first output).
//! Prints the medians, their ratios to the cold build, where each rebuild's time goes (the
//! build's stages: load, render, write) and the peak memory of the whole process.

mod common;

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use camnang::commands::build::BuildOptions;
use camnang::progress::Progress;

/// Records when each stage of a build starts.
#[derive(Default)]
struct Stages(Mutex<Vec<(String, Instant)>>);

impl Progress for Stages {
    fn stage(&self, name: &str, _: usize) {
        if let Ok(mut s) = self.0.lock() {
            s.push((name.to_string(), Instant::now()));
        }
    }
    fn tick(&self) {}
}

/// One build: (seconds, guides rendered, seconds of each stage).
fn build(content: &Path, out: &Path) -> (f64, usize, Vec<(String, f64)>) {
    let stages = Stages::default();
    let t = Instant::now();
    let r = camnang::build(&BuildOptions::new(content, out), &stages).expect("build");
    let end = Instant::now();
    let s = stages.0.into_inner().unwrap();
    let times = s
        .iter()
        .enumerate()
        .map(|(i, (name, at))| {
            let next = s.get(i + 1).map_or(end, |n| n.1);
            (name.clone(), (next - *at).as_secs_f64())
        })
        .collect();
    (t.elapsed().as_secs_f64(), r.rendered, times)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn child(n: usize, runs: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write(&content, n).unwrap();
    let base = tmp.path().join("out");
    build(&content, &base);
    let edited = content.join(format!("guides/thu-tuc-{:05}.yaml", n / 2));
    let original = std::fs::read_to_string(&edited).unwrap();
    let (mut cold, mut copy, mut same, mut one) = (vec![], vec![], vec![], vec![]);
    let mut stage_log: Vec<(&str, Vec<(String, f64)>)> = vec![];
    let mut rendered = (0, 0);
    for r in 0..runs {
        let fresh = tmp.path().join(format!("cold{r}"));
        cold.push(build(&content, &fresh).0);
        let copied = tmp.path().join(format!("copy{r}"));
        let t = Instant::now();
        let st = std::process::Command::new("cp")
            .arg("-r")
            .arg(&fresh)
            .arg(&copied)
            .status()
            .unwrap();
        assert!(st.success());
        copy.push(t.elapsed().as_secs_f64());
        let (t, k, stages) = build(&content, &base);
        same.push(t);
        rendered.0 = k;
        stage_log.push(("no change", stages));
        let text = original.replacen("fee: Miễn lệ phí.", &format!("fee: {r}.000 đồng."), 1);
        std::fs::write(&edited, text).unwrap();
        let (t, k, stages) = build(&content, &base);
        one.push(t);
        rendered.1 = k;
        stage_log.push(("one edit", stages));
        for d in [fresh, copied] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }
    let c = median(&mut cold);
    let rows = [
        ("cold build", c, String::new()),
        ("cp -r of the output", median(&mut copy), String::new()),
        (
            "rebuild, no change",
            median(&mut same),
            format!(", {} guides rendered", rendered.0),
        ),
        (
            "rebuild, one guide edited",
            median(&mut one),
            format!(", {} guides rendered", rendered.1),
        ),
    ];
    for (what, t, more) in &rows {
        println!(
            "rebuild {n:>5} guides, {what:<26} median {t:>7.3} s  = {:>5.1}% of cold{more}",
            100.0 * t / c
        );
    }
    println!(
        "rebuild {n:>5} guides: cold / cp -r = {:.2}; peak RSS of this bench process {:.1} MB ({runs} rounds)",
        c / rows[1].1,
        common::peak_rss_mb()
    );
    // The peak memory of the build itself: the binary, in a process of its own.
    let run = |out: &Path| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_camnang"));
        cmd.args(["build", "-q"]).arg(&content).arg("-o").arg(out);
        common::child_peak_mb(&mut cmd)
    };
    let fresh = tmp.path().join("process");
    let cold_mb = run(&fresh);
    let same_mb = run(&fresh);
    let text = original.replacen("fee: Miễn lệ phí.", "fee: 9.000 đồng.", 1);
    std::fs::write(&edited, text).unwrap();
    let one_mb = run(&fresh);
    println!(
        "rebuild {n:>5} guides: peak RSS of `camnang build` (its own process): cold {cold_mb:.1} MB, no change {same_mb:.1} MB, one edit {one_mb:.1} MB"
    );
    for (what, stages) in stage_log {
        let s: Vec<String> = stages
            .iter()
            .map(|(name, t)| format!("{name} {t:.3} s"))
            .collect();
        println!("  {what}: {}", s.join(", "));
    }
    std::fs::write(&edited, original).unwrap();
}

fn main() {
    let n = std::env::var("CAMNANG_BENCH_GUIDES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    common::run_sizes(&[(n, 3)], child);
}
