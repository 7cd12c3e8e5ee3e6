//! The website's search (issue #13): the index page and every page's header carry a search
//! box that searches the kiosk's index (`kiosk/search-index.js`) with the kiosk's search code
//! (`assets/search.js`), both loaded by `assets/site-search.js` only when a box is used;
//! without JavaScript the index lists every guide. The browser checks are
//! `tests/browser/site-search.mjs` (the kiosk's search cases, keyboard, live count, axe,
//! `file://`, JavaScript off), run in headless Chromium.
//!
//! The browser test needs `npm ci --prefix tests/browser` (playwright-core, axe-core) and
//! /usr/bin/chromium (or `CHROMIUM=/path`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn build(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut a = vec!["build", "-q", "content", "-o", out.to_str().unwrap()];
    a.extend_from_slice(args);
    let o = camnang(&repo(), &a);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    (tmp, out.join(OFFICE))
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The opening tag of the search form of `html` (up to its `>`).
fn form_tag(html: &str) -> &str {
    let i = html.find("<form class=\"search").expect("a search form");
    let j = html[i..].find('>').unwrap();
    &html[i..i + j + 1]
}

#[test]
fn index_and_headers_have_a_search_box_that_loads_the_kiosk_index() {
    let (_tmp, out) = build(&[]);
    let guides: Vec<String> = std::fs::read_dir(out.join("guides"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(guides.len(), 21);

    // The index: the main box, no header box; without JavaScript the form is hidden (by a
    // <noscript> style) and every guide is listed.
    let index = read(&out, "index.html");
    let form = form_tag(&index);
    for want in [
        "class=\"search search-main\"",
        "role=\"search\"",
        "action=\"index.html\"",
        "method=\"get\"",
        "data-root=\"\"",
        "data-t-results=\"{n} kết quả\"",
    ] {
        assert!(form.contains(want), "index form lacks {want}: {form}");
    }
    assert!(index.contains("<label for=\"q\" class=\"search-label\">Tìm thủ tục</label>"));
    assert!(index.contains("<input id=\"q\" name=\"q\" type=\"search\""));
    assert!(index.contains("aria-describedby=\"q-help\" aria-controls=\"q-list\""));
    assert!(index.contains("id=\"q-status\" role=\"status\" aria-live=\"polite\""));
    assert!(!index.contains("id=\"site-q\""), "one box on the index");
    assert!(index.contains("<script src=\"assets/site-search.js\" defer></script>"));
    assert!(index.contains("<noscript><style>.search { display: none; }</style></noscript>"));
    for g in &guides {
        assert!(
            index.contains(&format!("<a href=\"guides/{g}/index.html\">")),
            "the index lists {g} without JavaScript"
        );
    }

    // Every other page: the box in its header, its links relative to the page.
    for (page, root) in [
        ("guides/dang-ky-khai-sinh/index.html", "../../"),
        ("categories/ho-tich/index.html", "../../"),
        ("print/index.html", "../"),
    ] {
        let html = read(&out, page);
        let header = &html[html.find("<header class=\"site-header\">").unwrap()..];
        let header = &header[..header.find("</header>").unwrap()];
        let form = form_tag(header);
        assert!(
            form.contains("class=\"search search-header\"")
                && form.contains(&format!("action=\"{root}index.html\""))
                && form.contains(&format!("data-root=\"{root}\"")),
            "{page}: {form}"
        );
        assert!(header.contains("<label for=\"site-q\""), "{page}");
        assert!(
            html.contains(&format!(
                "<script src=\"{root}assets/site-search.js\" defer></script>"
            )),
            "{page}"
        );
    }

    // The index is one file, loaded by the script, never inlined into a page.
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            let html = std::fs::read_to_string(e.path()).unwrap();
            assert!(
                !html.contains(camnang::render::search::INDEX_CALL),
                "{}",
                e.path().display()
            );
        }
    }
    let ui = read(&out, "assets/site-search.js");
    assert!(ui.contains("\"assets/search.js\"") && ui.contains("\"kiosk/search-index.js\""));
    assert!(read(&out, "kiosk/search-index.js").starts_with(camnang::render::search::INDEX_CALL));
    // The same search code as the kiosk's, byte for byte.
    let code = read(&out, "assets/search.js");
    assert_eq!(code, read(&out, "kiosk/assets/search.js"));
    assert!(read(&out, "kiosk/index.html").contains("<script src=\"assets/search.js\"></script>"));
    // Page weight: the scripts a page loads before its box is used stay small.
    assert!(ui.len() < 12_000, "site-search.js: {} bytes", ui.len());
}

#[test]
fn english_site_search_strings() {
    let (_tmp, out) = build(&["--lang", "en"]);
    let index = read(&out, "index.html");
    let form = form_tag(&index);
    assert!(form.contains("data-t-results=\"{n} results\""), "{form}");
    assert!(form.contains("data-t-one=\"1 result\""), "{form}");
    assert!(index.contains("class=\"search-label\">Search procedures</label>"));
    assert!(index.contains("placeholder=\"For example: khai sinh\""));
    let guide = read(&out, "guides/dang-ky-khai-sinh/index.html");
    assert!(form_tag(&guide).contains("data-t-none=\"Nothing found. Type fewer letters.\""));
}

#[test]
fn browser_site_search() {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir()
            && dir.join("node_modules/axe-core").is_dir(),
        "the browser tests need their node packages: run `npm ci --prefix tests/browser` (CI does it)"
    );
    let (_tmp, out) = build(&[]);
    let (_tmp_en, out_en) = build(&["--lang", "en"]);
    let o = Command::new("node")
        .arg(dir.join("site-search.mjs"))
        .arg(&out)
        .arg(&out_en)
        .output()
        .expect("run node (Node.js 20+ is needed for the browser tests)");
    let log = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        o.status.success(),
        "site search browser checks failed:\n{log}"
    );
    assert!(log.contains("all site search checks passed"), "{log}");
    for check in [
        "ok   typing \"thuogn tru\" finds dang-ky-thuong-tru first (index)",
        "ok   typing \"ho khau\" finds dang-ky-thuong-tru first (a guide page's header)",
        "ok   axe: 0 violations (WCAG 2.2 AA) on the index with results shown (phone 390×844)",
        "ok   without JavaScript the index lists every guide (21)",
        "ok   English site: the count says N results",
    ] {
        assert!(log.contains(check), "missing: {check}\n{log}");
    }
}
