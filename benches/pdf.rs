//! Benchmark: `build --pdf` of the bundled site (72 PDFs) with one headless Chromium.
//!
//! `cargo bench --bench pdf` (release; needs Chromium, like `build --pdf`). Each run, in
//! turn: a build without `--pdf` and a build with it, both into new folders (the difference
//! is the printing), then two rebuilds into the second folder: with no change, and with one
//! guide edited. With `CAMNANG_BENCH_OLD=/path/to/an/older/camnang` (for example a release
//! build of the commit before the one-browser change), that binary's cold `--pdf` and plain
//! builds run in the same rounds, so the two paths are compared on the same machine at the
//! same time. `CAMNANG_BENCH_RUNS` sets the number of rounds (3). Prints medians.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One build: wall time and what it printed on stderr.
fn build(exe: &Path, content: &Path, out: &Path, pdf: bool) -> (f64, String) {
    let mut c = Command::new(exe);
    c.args([
        "build",
        content.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .env("CAMNANG_TODAY", "2026-12-04");
    if pdf {
        c.arg("--pdf");
    }
    let t = Instant::now();
    let o = c.output().expect("run camnang");
    let secs = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{} failed:\n{err}", exe.display());
    (secs, err)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The "PDF: …" line of a build's output.
fn pdf_line(err: &str) -> String {
    err.lines()
        .find(|l| l.starts_with("PDF"))
        .unwrap_or("")
        .to_string()
}

fn count_pdfs(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let exe = Path::new(env!("CARGO_BIN_EXE_camnang"));
    let old = std::env::var_os("CAMNANG_BENCH_OLD").map(std::path::PathBuf::from);
    let runs: usize = std::env::var("CAMNANG_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let st = Command::new("cp")
        .args(["-r", repo.join("content").to_str().unwrap()])
        .arg(&content)
        .status()
        .unwrap();
    assert!(st.success());
    // One office of the bundled example (its 21 guides: 72 PDFs), as before it had three.
    for other in ["go-vap", "hoi-thuong"] {
        std::fs::remove_file(content.join(format!("offices/{other}.yaml"))).unwrap();
    }
    let guide = content.join("guides/dang-ky-khai-tu.yaml");
    let original = std::fs::read_to_string(&guide).unwrap();

    let (mut plain, mut cold, mut same, mut edited) = (vec![], vec![], vec![], vec![]);
    let (mut old_plain, mut old_cold) = (vec![], vec![]);
    let (mut same_line, mut edited_line, mut pdfs) = (String::new(), String::new(), 0);
    for r in 0..runs {
        let dir = tmp.path().join(format!("r{r}"));
        plain.push(build(exe, &content, &dir.join("plain"), false).0);
        cold.push(build(exe, &content, &dir.join("pdf"), true).0);
        pdfs = count_pdfs(&dir.join("pdf"));
        if let Some(old) = &old {
            old_plain.push(build(old, &content, &dir.join("old-plain"), false).0);
            old_cold.push(build(old, &content, &dir.join("old-pdf"), true).0);
        }
        let (t, err) = build(exe, &content, &dir.join("pdf"), true);
        same.push(t);
        same_line = pdf_line(&err);
        std::fs::write(&guide, original.replace("8.000 đồng/bản", "9.000 đồng/bản")).unwrap();
        let (t, err) = build(exe, &content, &dir.join("pdf"), true);
        edited.push(t);
        edited_line = pdf_line(&err);
        std::fs::write(&guide, &original).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
    let (plain, cold) = (median(&mut plain), median(&mut cold));
    let printing = cold - plain;
    println!(
        "pdf: {pdfs} PDFs, one browser: build --pdf {cold:.2} s, without --pdf {plain:.2} s; \
         printing {printing:.2} s = {:.1} PDFs/s (whole build: {:.1} PDFs/s)  ({runs} runs, medians)",
        pdfs as f64 / printing,
        pdfs as f64 / cold
    );
    if !old_cold.is_empty() {
        let (op, oc) = (median(&mut old_plain), median(&mut old_cold));
        let old_printing = oc - op;
        println!(
            "pdf: {pdfs} PDFs, one browser per PDF (CAMNANG_BENCH_OLD): build --pdf {oc:.2} s, \
             without --pdf {op:.2} s; printing {old_printing:.2} s = {:.1} PDFs/s; \
             one browser prints {:.1}x as fast",
            pdfs as f64 / old_printing,
            old_printing / printing
        );
    }
    println!(
        "pdf: rebuild, no change: {:.2} s  [{same_line}]",
        median(&mut same)
    );
    println!(
        "pdf: rebuild, one guide edited: {:.2} s  [{edited_line}]",
        median(&mut edited)
    );
}
