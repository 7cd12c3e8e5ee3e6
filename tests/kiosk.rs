//! The kiosk: a folder that works alone from `file://` (everything it refers to is inside
//! it), a deterministic `kiosk.zip`, English UI with `--lang en`, and the browser checks of
//! `tests/browser/kiosk.mjs` (search, step mode, print, idle reset, axe, touch targets, zoom)
//! in headless Chromium.
//!
//! The browser test needs `npm ci --prefix tests/browser` (playwright-core, axe-core) and
//! /usr/bin/chromium (or `CHROMIUM=/path`); `.ci/run` installs both.

mod common;

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;
use std::process::Command;

use common::*;

fn build(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut a = vec!["build", "-q", "content", "-o", out.to_str().unwrap()];
    a.extend_from_slice(args);
    let o = camnang(&repo(), &a);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    (tmp, out.join(OFFICE))
}

fn rel_files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// `src="…"` and `href="…"` values of an HTML text.
fn refs(html: &str) -> Vec<String> {
    let mut v = Vec::new();
    for key in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(key) {
            rest = &rest[i + key.len()..];
            let j = rest.find('"').unwrap();
            v.push(rest[..j].to_string());
            rest = &rest[j..];
        }
    }
    v
}

/// The guides of the kiosk files `kiosk/guides/<n>.js`: slug → (n, fragment, leaflet), from
/// their `Kiosk.put(slug, fragment, leaflet);` lines.
fn kiosk_guides(kiosk: &Path) -> std::collections::BTreeMap<String, (usize, String, String)> {
    let mut m = std::collections::BTreeMap::new();
    for f in rel_files(&kiosk.join("guides")) {
        let n: usize = f
            .strip_suffix(".js")
            .unwrap()
            .parse()
            .expect("guides/<n>.js");
        let text = std::fs::read_to_string(kiosk.join("guides").join(&f)).unwrap();
        for line in text.lines() {
            let args: Vec<serde_json::Value> = serde_json::from_str(&format!(
                "[{}]",
                line.strip_prefix("Kiosk.put(")
                    .and_then(|l| l.strip_suffix(");"))
                    .unwrap_or_else(|| panic!("guides/{f}: {line:.80}"))
            ))
            .unwrap();
            let s = |i: usize| args[i].as_str().unwrap().to_string();
            assert!(m.insert(s(0), (n, s(1), s(2))).is_none(), "{} twice", s(0));
        }
    }
    m
}

#[test]
fn kiosk_folder_is_self_contained() {
    let (_tmp, out) = build(&[]);
    let kiosk = out.join("kiosk");
    let files = rel_files(&kiosk);
    let guides: Vec<String> = rel_files(&out.join("guides"))
        .into_iter()
        .map(|p| p.trim_end_matches("/index.html").to_string())
        .collect();
    assert_eq!(guides.len(), 21);
    // Every guide is in the kiosk file of its group: 16 guides a file, in site order
    // (the order of the search index), as the kiosk's loader expects.
    let in_files = kiosk_guides(&kiosk);
    assert_eq!(
        in_files.keys().collect::<BTreeSet<_>>(),
        guides.iter().collect::<BTreeSet<_>>()
    );
    let idx = std::fs::read_to_string(kiosk.join("search-index.js")).unwrap();
    let idx: serde_json::Value = serde_json::from_str(
        idx.trim()
            .strip_prefix("CamnangSearch.index(")
            .and_then(|i| i.strip_suffix(");"))
            .unwrap(),
    )
    .unwrap();
    let docs = idx["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 21);
    for (position, d) in docs.iter().enumerate() {
        let slug = d[0].as_str().unwrap();
        assert_eq!(
            in_files[slug].0,
            position / 16,
            "{slug}: group of guide {position}"
        );
    }
    // All theme statics are inside the folder (the leaflet copies use them).
    for (name, _) in camnang::render::theme::STATIC {
        assert!(
            files.contains(&format!("assets/{name}")),
            "kiosk/assets/{name}"
        );
    }
    // Every reference of the page, the guides and the leaflets stays inside the folder.
    let mut checked = 0;
    for f in &files {
        if !(f.ends_with(".html") || f.ends_with(".js") && f.starts_with("guides/")) {
            continue;
        }
        let text = std::fs::read_to_string(kiosk.join(f)).unwrap();
        let text = text.replace("\\\"", "\"").replace("\\/", "/");
        let base = Path::new(f).parent().unwrap();
        for r in refs(&text) {
            assert!(
                !r.contains("://") && !r.starts_with("//") && !r.starts_with("tel:"),
                "{f}: outbound reference {r}"
            );
            if r.starts_with('#') || r.is_empty() {
                continue;
            }
            let path = r.split(['#', '?']).next().unwrap();
            let target = if f.starts_with("guides/") {
                kiosk.join(path) // fragments are shown inside kiosk/index.html
            } else {
                kiosk.join(base).join(path)
            };
            let target = target.canonicalize().unwrap_or(target);
            assert!(
                target.starts_with(kiosk.canonicalize().unwrap()) && target.is_file(),
                "{f}: {r} is not a file of the kiosk folder"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} references checked");
    // Script files the page loads.
    let index = std::fs::read_to_string(kiosk.join("index.html")).unwrap();
    for s in [
        "assets/search.js",
        "assets/kiosk/kiosk.js",
        "search-index.js",
    ] {
        assert!(index.contains(&format!("src=\"{s}\"")), "{s}");
        assert!(files.contains(s), "{s}");
    }
    assert!(index.contains("<html lang=\"vi\">"));
    assert!(index.contains("data-idle=\"120\""), "default idle time");
    assert!(index.contains("data-group=\"16\""), "guides per kiosk file");
    assert!(index.contains("Tra cứu thủ tục hành chính"));
    // The index is JavaScript, not JSON to fetch, and names every guide.
    let idx = std::fs::read_to_string(kiosk.join("search-index.js")).unwrap();
    assert!(idx.starts_with("CamnangSearch.index({"));
    for g in &guides {
        assert!(idx.contains(&format!("[\"{g}\",")), "{g} in the index");
    }
    // Each guide's part also carries the guide's leaflet, which prints itself in the frame.
    let (_, frag, leaflet) = &in_files["dang-ky-khai-sinh"];
    assert!(
        frag.starts_with("<article class=\"k-guide\"") && frag.contains(">Đăng ký khai sinh</h1>")
    );
    assert!(leaflet.starts_with("<!doctype html>") && leaflet.contains("<title>Đăng ký khai sinh"));
    assert!(leaflet.contains("window.print()"));
    assert!(!out.join("kiosk.zip").exists(), "kiosk.zip only with --zip");
}

#[test]
fn zip_is_the_kiosk_folder_with_fixed_bytes() {
    let (_t1, a) = build(&["--zip"]);
    let (_t2, b) = build(&["--zip"]);
    let za = std::fs::read(a.join("kiosk.zip")).unwrap();
    let zb = std::fs::read(b.join("kiosk.zip")).unwrap();
    assert!(za == zb, "kiosk.zip differs between two builds");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(za)).unwrap();
    let mut names = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        assert_eq!(
            f.last_modified().map(|d| (d.year(), d.month(), d.day())),
            Some((1980, 1, 1)),
            "{name}: fixed timestamp"
        );
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let on_disk = std::fs::read(a.join(&name)).unwrap();
        assert!(bytes == on_disk, "{name}: zip entry differs from the file");
        names.push(name);
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    let on_disk: Vec<String> = rel_files(&a.join("kiosk"))
        .into_iter()
        .map(|p| format!("kiosk/{p}"))
        .collect();
    assert_eq!(names, on_disk, "the zip holds exactly the kiosk folder");
}

#[test]
fn english_kiosk() {
    let (_tmp, out) = build(&["--lang", "en"]);
    let index = std::fs::read_to_string(out.join("kiosk/index.html")).unwrap();
    assert!(index.contains("<html lang=\"en\">"));
    assert!(index.contains("Find a public-service procedure"));
    assert!(index.contains("Letter keyboard"));
    assert!(index.contains("\"kiosk_step_of\":\"Step {n} of {total}\""));
    let g = &kiosk_guides(&out.join("kiosk"))["dang-ky-khai-sinh"].1;
    assert!(g.contains("Step by step") && g.contains("Print the leaflet"));
}

#[test]
fn browser_kiosk() {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir()
            && dir.join("node_modules/axe-core").is_dir(),
        "the browser tests need their node packages: run `npm ci --prefix tests/browser` (CI does it)"
    );
    let (_tmp, out) = build(&[]);
    // A larger site too, whose guides fill three kiosk files.
    let many = tempfile::tempdir().unwrap();
    camnang::corpus::write(&many.path().join("content"), 40).unwrap();
    let many_out = many.path().join("out");
    let o = camnang(
        many.path(),
        &["build", "-q", "content", "-o", many_out.to_str().unwrap()],
    );
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    let o = Command::new("node")
        .arg(dir.join("kiosk.mjs"))
        .arg(&out)
        .arg(&many_out)
        .output()
        .expect("run node (Node.js 20+ is needed for the browser tests)");
    let log = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "kiosk browser checks failed:\n{log}");
    assert!(log.contains("all kiosk checks passed"), "{log}");
    assert!(
        log.contains("ok   40 guides in 3 kiosk files: guides of the first"),
        "{log}"
    );
}

#[test]
fn site_synonyms_and_idle_time() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&repo().join("content"), &content);
    let site = content.join("site.yaml");
    let base = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        format!("{base}kiosk:\n  idle_seconds: 90\n  synonyms:\n    - [Sổ hồng, giấy chứng nhận quyền sử dụng đất]\n"),
    )
    .unwrap();
    let out = tmp.path().join("out").join(OFFICE);
    let o = camnang(tmp.path(), &["build", "-q", "content", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let idx = std::fs::read_to_string(out.join("kiosk/search-index.js")).unwrap();
    assert!(idx.contains(r#"["so hong","giay chung nhan quyen su dung dat"]"#));
    assert!(
        idx.contains(r#"["bhyt","bao hiem y te","the bao hiem"]"#),
        "built-in ones stay"
    );
    let index = std::fs::read_to_string(out.join("kiosk/index.html")).unwrap();
    assert!(index.contains("data-idle=\"90\""));

    std::fs::write(
        &site,
        format!("{base}kiosk:\n  synonyms:\n    - [chỉ một]\n"),
    )
    .unwrap();
    let o = camnang(tmp.path(), &["check", "content"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!("site.yaml:{}:7:", base.lines().count() + 3))
            && err.contains("kiosk.synonyms[1]: một nhóm từ đồng nghĩa cần ít nhất hai cụm từ"),
        "{err}"
    );
}
