//! Property tests (arbtest): arbitrary bytes and arbitrary structured YAML/Markdown go
//! through the guide loader, `check` and a full `build` into a temporary folder. Nothing
//! may panic, every failure must be diagnostics, and nothing may be written outside the
//! output folder. Inputs are bounded (a few KiB), so no case can take long; each property
//! runs for a fixed time budget. A failing case prints its seed: reproduce it with
//! `arbtest::arbtest(prop).seed(0x…)`.
//!
//! Also here: inputs too big for a fixture folder (a huge screenshot, a guide just under
//! the size limit, thousands of list items), generated at test time.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use arbtest::arbitrary::{self, Unstructured};
use camnang::commands::build::BuildOptions;
use camnang::progress::Quiet;
use common::*;

static BUILT: AtomicUsize = AtomicUsize::new(0);
static TRIED: AtomicUsize = AtomicUsize::new(0);

/// Time budget of each property, in milliseconds (debug builds are slow; keep it modest).
/// `CAMNANG_FUZZ_MS=60000 cargo test --test robust` searches longer.
fn budget() -> u64 {
    std::env::var("CAMNANG_FUZZ_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let data = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap_or_default()
            } else {
                Vec::new()
            };
            (e.path().to_path_buf(), data)
        })
        .collect()
}

/// Writes `guide` as `<rel>` of a copy of the `ok` fixture, then loads, checks and builds
/// it, checking the properties.
fn exercise(rel: &str, guide: &[u8]) {
    let work = tempfile::tempdir().unwrap();
    let content = work.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    std::fs::write(content.join(rel), guide).unwrap();
    // Decoys next to the content: a build must never touch them.
    std::fs::write(work.path().join("secret.txt"), "keep").unwrap();
    let before = snapshot(work.path());

    let checked = camnang::commands::check::run(&content, false);
    for d in &checked.diagnostics.0 {
        assert!(
            !d.message.en.is_empty() && !d.message.vi.is_empty(),
            "{d:?}"
        );
        assert!(!d.file.starts_with('/') && !d.file.contains(".."), "{d:?}");
    }
    assert_eq!(snapshot(work.path()), before, "check wrote something");

    let out = work.path().join("out");
    let result = camnang::build(&BuildOptions::new(&content, &out), &Quiet);
    BUILT.fetch_add(usize::from(result.is_ok()), Relaxed);
    TRIED.fetch_add(1, Relaxed);
    match &result {
        Ok(_) => assert!(!checked.diagnostics.has_errors()),
        Err(camnang::Error::Content(d)) => assert!(d.has_errors()),
        Err(e) => panic!("build failed without diagnostics: {e}"),
    }
    let after = snapshot(work.path());
    for (path, data) in &after {
        if path.starts_with(&out) {
            continue;
        }
        assert_eq!(
            before.get(path),
            Some(data),
            "{} was written outside the output folder",
            path.display()
        );
    }
    assert_eq!(
        before.keys().filter(|p| !after.contains_key(*p)).count(),
        0,
        "a file outside the output folder was removed"
    );
    if result.is_ok() {
        for (path, data) in after.iter().filter(|(p, _)| p.starts_with(&out)) {
            let canon = path.canonicalize().unwrap();
            assert!(canon.starts_with(out.canonicalize().unwrap()));
            if path.extension().is_some_and(|e| e == "html") {
                let html = String::from_utf8_lossy(data);
                if let Some(tag) = bad_tag(&html) {
                    panic!(
                        "{}: unsafe tag `{tag}` in the page\n--- guide:\n{}",
                        path.display(),
                        String::from_utf8_lossy(guide)
                    );
                }
            }
        }
    }
}

/// How many cases built (seen with `--nocapture`: a property whose cases all fail to load
/// would test little of the renderer).
fn report() {
    eprintln!(
        "{} of {} cases built",
        BUILT.load(Relaxed),
        TRIED.load(Relaxed)
    );
}

/// A tag of `html` that runs script: an inline `<script>`, an `on…=` handler or a
/// `javascript:` URL. Escaped text (`&lt;script&gt;` in a code block) is not a tag.
fn bad_tag(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = rest[..end].to_ascii_lowercase();
        let handler = tag
            .split(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'')
            .any(|w| w.starts_with("on") && w.contains('='));
        if tag == "script" || handler || tag.contains("javascript:") {
            return Some(tag);
        }
        rest = &rest[end..];
    }
    None
}

#[test]
fn arbitrary_bytes_never_panic() {
    arbtest::arbtest(|u| {
        let len = u.int_in_range(0..=2048)?;
        let bytes = u.bytes(len.min(u.len()))?;
        let md = u.ratio(1, 2)?;
        exercise(if md { "guides/x.md" } else { "guides/x.yaml" }, bytes);
        Ok(())
    })
    .budget_ms(budget());
    report();
}

const TEXTS: &[&str] = &[
    "Đăng ký khai sinh",
    "",
    " ",
    "~",
    "null",
    "yes",
    "1.001193",
    "1e400",
    "-1",
    "0",
    "\"quoted\"",
    "a: b",
    "# not a comment",
    "*alias",
    "&anchor x",
    "[unclosed",
    "{",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "[ra ngoài](../../secret.txt)",
    "![ảnh](../../secret.txt)",
    "![ảnh](/etc/passwd)",
    "![ảnh](images/login.png)",
    "![ảnh](https://cdn.example/x.png)",
    "[liên kết](chung-thuc-ban-sao.md)",
    "[liên kết](khong-co.yaml)",
    "[gọi](tel:0225)",
    "<a href=\"http://evil.example\">x</a>",
    "```\ncode\n```",
    "## Heading",
    "\u{202e}rtl",
    "e\u{301}",
    "\t",
    "https://dichvucong.gov.vn/x",
    "https://evil.example/dichvucong.gov.vn",
    "images/login.png",
    "../secret.txt",
    "/abs.png",
    "images",
];

/// Keys a mutated guide may gain: every real key, plus a typo and nested or odd keys.
const EXTRA_KEYS: &[&str] = &["tittle", "src", "screenshot", "highlight", "<<"];

fn text(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => {
            let s: String = u.arbitrary()?;
            s.chars().take(80).collect()
        }
        _ => {
            let n = u.int_in_range(1..=3)?;
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(u.choose(TEXTS)?);
                s.push(' ');
            }
            s
        }
    })
}

fn scalar(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let t = text(u)?;
    Ok(match u.int_in_range(0..=3)? {
        0 => t,
        1 => serde_json::to_string(&t).unwrap(),
        2 => format!("|\n    {}", t.replace('\n', "\n    ")),
        _ => format!("'{}'", t.replace('\'', "''")),
    })
}

fn value(u: &mut Unstructured<'_>, depth: usize, indent: usize) -> arbitrary::Result<String> {
    let pad = " ".repeat(indent);
    if depth == 0 || u.ratio(1, 2)? {
        return scalar(u);
    }
    let n = u.int_in_range(0..=3)?;
    let mut s = String::new();
    if u.ratio(1, 2)? {
        for _ in 0..n {
            let v = value(u, depth - 1, indent + 2)?;
            s.push_str(&format!("\n{pad}- {v}"));
        }
        if n == 0 {
            s.push_str("[]");
        }
    } else {
        for _ in 0..n {
            let k = if u.ratio(3, 4)? {
                *u.choose(camnang::content::guide::GUIDE_KEYS)?
            } else {
                *u.choose(EXTRA_KEYS)?
            };
            let v = value(u, depth - 1, indent + 2)?;
            s.push_str(&format!("\n{pad}{k}: {v}"));
        }
        if n == 0 {
            s.push_str("{}");
        }
    }
    Ok(s)
}

/// A guide close to a valid one: the `ok` fixture's keys with some values replaced,
/// dropped, duplicated or nested arbitrarily.
fn structured(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let base = std::fs::read_to_string(fixtures().join("ok/guides/dang-ky-khai-sinh.yaml"))
        .unwrap()
        .replace("related: [chung-thuc-ban-sao]", "related: []")
        .replace("code: \"1.001193\"", "code: \"1.001194\"");
    mutate_lines(u, &base)
}

/// `base` with up to three lines dropped, doubled or given an arbitrary value.
fn mutate_lines(u: &mut Unstructured<'_>, base: &str) -> arbitrary::Result<String> {
    let lines = base.lines().count();
    let mutate: Vec<usize> = (0..u.int_in_range(0..=3)?)
        .map(|_| u.int_in_range(0..=lines))
        .collect::<Result<_, _>>()?;
    let mut out = String::new();
    for (i, line) in base.lines().enumerate() {
        let what = if mutate.contains(&i) {
            u.int_in_range(0..=2)?
        } else {
            3
        };
        match what {
            0 => {}
            1 => {
                let indent = line.len() - line.trim_start().len();
                let key = line.trim_start().trim_start_matches("- ");
                let key = key.split(':').next().unwrap_or("");
                let v = value(u, 3, indent + 2)?;
                out.push_str(&format!("{}{key}: {v}\n", " ".repeat(indent)));
            }
            2 => {
                out.push_str(line);
                out.push('\n');
                out.push_str(line);
                out.push('\n');
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

#[test]
fn arbitrary_structured_yaml_never_panics() {
    arbtest::arbtest(|u| {
        let g = structured(u)?;
        exercise("guides/x.yaml", g.as_bytes());
        Ok(())
    })
    .budget_ms(budget());
    report();
}

#[test]
fn arbitrary_site_yaml_never_panics() {
    let base = std::fs::read_to_string(fixtures().join("ok/site.yaml")).unwrap();
    arbtest::arbtest(|u| {
        let s = mutate_lines(u, &base)?;
        exercise("site.yaml", s.as_bytes());
        Ok(())
    })
    .budget_ms(budget());
    report();
}

#[test]
fn arbitrary_markdown_guides_never_panic() {
    let seed = std::env::var("ARBTEST_SEED")
        .ok()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok());
    let t = arbtest::arbtest(|u| {
        let mut g = String::from(
            "---\ntitle: Chứng thực\ncode: \"2.000816\"\ncategory: chung-thuc\nsummary: S.\naudience: A.\nonline_level: partial\nagency: UBND\nfee: Miễn.\nprocessing_time: Ngay.\nresult: R.\nreviewed: 2026-11-20\ndocuments:\n  - name: Giấy\n",
        );
        if u.ratio(1, 4)? {
            g.push_str(&format!("tips: {}\n", value(u, 2, 2)?));
        }
        g.push_str("---\n");
        let n = u.int_in_range(0..=12)?;
        for _ in 0..n {
            match u.int_in_range(0..=4)? {
                0 => g.push_str(&format!("## {}\n", text(u)?)),
                1 => g.push_str("---\n"),
                2 => g.push_str(&format!("- {}\n", text(u)?)),
                _ => g.push_str(&format!("{}\n\n", text(u)?)),
            }
        }
        exercise("guides/y.md", g.as_bytes());
        Ok(())
    });
    match seed {
        Some(s) => t.seed(s).run(),
        None => t.budget_ms(budget()).run(),
    }
    report();
}

/// A PNG header of `w`×`h` followed by `pad` zero bytes.
fn png(w: u32, h: u32, pad: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(w.to_be_bytes());
    b.extend(h.to_be_bytes());
    b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b.resize(b.len() + pad, 0);
    b
}

#[test]
fn huge_screenshot_is_a_warning_not_a_crash() {
    let work = tempfile::tempdir().unwrap();
    let content = work.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    // 40 MB, declaring 60000×60000 pixels (a decompression bomb if anything decoded it).
    std::fs::write(
        content.join("images/login.png"),
        png(60_000, 60_000, 40 << 20),
    )
    .unwrap();
    let out = camnang(work.path(), &["check", "content", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "content/guides/chung-thuc-ban-sao.md:1:1: warning: sources: the guide cites no sources\n  hint: add at least one `sources:` entry (title + url): the law or the portal page the facts come from\n\
content/guides/dang-ky-khai-sinh.yaml:30:12: warning: steps[1].screenshot.src: `images/login.png` is 40961 KiB (more than 1024 KiB)\n  hint: save it smaller (e.g. PNG 1080 px wide, or JPEG): kiosks and phones load every picture\n\
2 errors, 0 warnings\n"
            .replace("2 errors, 0 warnings", "0 errors, 2 warnings")
    );
    let out = camnang(
        work.path(),
        &["build", "content", "-o", "out", "--lang", "en"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn guide_just_under_the_size_limit_loads() {
    let work = tempfile::tempdir().unwrap();
    let content = work.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    let g = std::fs::read_to_string(content.join("guides/dang-ky-khai-sinh.yaml")).unwrap();
    // Many tips: about 1,000 KiB of Vietnamese text in 13,000 list items.
    let mut big = g.replace("tips:\n  - Chụp ảnh rõ nét.\n", "tips:\n");
    let tips: String = (0..13_000)
        .map(|i| format!("  - Mẹo số {i} — chụp ảnh giấy tờ rõ nét, đủ bốn góc.\n"))
        .collect();
    big = big.replace("tips:\n", &format!("tips:\n{tips}"));
    assert!(
        big.len() < 1024 * 1024 && big.len() > 900 * 1024,
        "{}",
        big.len()
    );
    std::fs::write(content.join("guides/dang-ky-khai-sinh.yaml"), big).unwrap();
    let checked = camnang::commands::check::run(&content, false);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:?}",
        checked.diagnostics.0.first()
    );
    assert_eq!(checked.guides, 2);
}

#[test]
fn very_large_file_of_one_line_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let content = work.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    let line = format!("title: {}\n", "Đ".repeat(3 << 20));
    std::fs::write(content.join("guides/mot-dong.yaml"), line).unwrap();
    let out = camnang(work.path(), &["check", "content", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "content/guides/mot-dong.yaml: error: the file is too large (6144 KiB; at most 1024 KiB)\n  hint: a guide is a few pages of text; split it or remove pasted data\n1 error, 0 warnings\n"
    );
}
