//! Benchmark: a province of 126 offices × 60 guides (issue #15), built cold into a new
//! folder, next to `cp -r` of its own output measured in the same run (the copy floor),
//! and the build's peak memory.
//!
//! `cargo bench --bench province`. Builds and copies take turns, three of each, in one
//! child process (so its peak memory is the build's own); prints the medians and the ratio;
//! then rebuilds into the first output through the offices' manifests: with no change, after
//! one office's phone number changed and after one guide's fee changed.
//! `PROVINCE=OFFICES,GUIDES` picks another size.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use camnang::commands::build::BuildOptions;
use camnang::progress::Quiet;

fn child(offices: usize, runs: usize) {
    let guides = std::env::var("PROVINCE")
        .ok()
        .and_then(|v| v.split_once(',').and_then(|(_, g)| g.parse().ok()))
        .unwrap_or(60);
    let tmp = tempfile::tempdir_in(std::env::var_os("BENCH_DIR").unwrap_or(".".into())).unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write_province(&content, offices, guides).unwrap();
    let build = |out: &Path| {
        let opts = BuildOptions::new(content.clone(), out);
        let (t, cpu, sys) = (Instant::now(), common::cpu_s(), system_s());
        let report = camnang::build(&opts, &Quiet).expect("build");
        assert_eq!(report.guides, guides);
        (
            t.elapsed().as_secs_f64(),
            (common::cpu_s() - cpu, system_s() - sys),
            report.files,
        )
    };
    let copy = |from: &Path, to: &Path| {
        let t = Instant::now();
        let st = Command::new("cp")
            .arg("-r")
            .arg(from)
            .arg(to)
            .status()
            .unwrap();
        assert!(st.success());
        t.elapsed().as_secs_f64()
    };
    let (mut builds, mut copies, mut cpus, mut syss) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut files = 0;
    for r in 0..runs {
        let out = tmp.path().join(format!("out{r}"));
        let (t, (cpu, sys), f) = build(&out);
        builds.push(t);
        cpus.push(cpu);
        syss.push(sys);
        files = f;
        copies.push(copy(&out, &tmp.path().join(format!("copy{r}"))));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (b, c, cpu) = (median(&mut builds), median(&mut copies), median(&mut cpus));
    let sys = median(&mut syss);
    println!(
        "province {offices} offices × {guides} guides, {files} files: cold build median {b:.2} s (CPU {cpu:.2} s, of which system {sys:.2} s), cp -r of its output median {c:.2} s, ratio {:.2} ({runs} runs each, taking turns)",
        b / c
    );
    println!("province: peak RSS {:.1} MB", common::peak_rss_mb());
    rebuilds(&content, &tmp.path().join("out0"), runs, build);
}

/// Rebuilds into output `out` through each office's manifest, `runs` of each: with no
/// change, after one office's phone number changed, after one guide's fee changed.
fn rebuilds(
    content: &Path,
    out: &Path,
    runs: usize,
    build: impl Fn(&Path) -> (f64, (f64, f64), usize),
) {
    let office = content.join("offices/phuong-001.yaml");
    let guide = content.join("guides/thu-tuc-00007.yaml");
    let edit = |p: &Path, from: &str, to: String| {
        let text = std::fs::read_to_string(p).unwrap();
        assert!(text.contains(from), "{from} not in {}", p.display());
        std::fs::write(p, text.replacen(from, &to, 1)).unwrap();
    };
    let (mut same, mut phone, mut fee) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..runs {
        same.push(build(out).0);
        edit(
            &office,
            "phone: \"0225 3 001 001\"",
            format!("phone: \"0225 3 001 00{r}\""),
        );
        phone.push(build(out).0);
        edit(
            &office,
            &format!("phone: \"0225 3 001 00{r}\""),
            "phone: \"0225 3 001 001\"".into(),
        );
        edit(&guide, "fee: Miễn lệ phí.", format!("fee: {r}.000 đồng."));
        fee.push(build(out).0);
        edit(
            &guide,
            &format!("fee: {r}.000 đồng."),
            "fee: Miễn lệ phí.".into(),
        );
        build(out);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "province rebuild medians: no change {:.2} s, one office's phone edited {:.2} s, one guide's fee edited {:.2} s ({runs} runs each)",
        median(&mut same),
        median(&mut phone),
        median(&mut fee)
    );
}

/// System CPU time of this process so far, in seconds (creating the files: the part of
/// a build that `cp -r` does too).
fn system_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let stime = rest
        .split_whitespace()
        .nth(12)
        .and_then(|x| x.parse::<f64>().ok());
    stime.unwrap_or(f64::NAN) / 100.0
}

fn main() {
    let offices = std::env::var("PROVINCE")
        .ok()
        .and_then(|v| v.split_once(',').and_then(|(o, _)| o.parse().ok()))
        .unwrap_or(126);
    common::run_sizes(&[(offices, 3)], child);
}
