//! What reads `links.yaml` offline: the warnings of `check` and the date printed under
//! the QR codes.

use std::path::Path;

use super::common::server::closed_port;
use super::common::*;
use super::{links, portal, run, site};

/// `links.yaml` as `camnang links` would write it, for `(path, checked, error)`.
fn results(content: &Path, entries: &[(&str, &str, Option<&str>)]) {
    let mut text = String::from("links:\n");
    for (path, day, error) in entries {
        text.push_str(&format!(
            "  - url: \"https://dichvucong.gov.vn{path}\"\n    status: 200\n    checked: {day}\n"
        ));
        if let Some(e) = error {
            text.push_str(&format!("    error: \"{e}\"\n"));
        }
    }
    std::fs::write(content.join("links.yaml"), text).unwrap();
}

fn link_warnings(work: &Path) -> String {
    let out = run(work, &["check", "content", "--lang", "en"], &[]);
    stderr(&out)
        .lines()
        .filter(|l| {
            l.contains("QR link") || l.contains("links.yaml") || l.contains("camnang links")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn check_warns_about_qr_links_not_checked_lately() {
    let work = site(closed_port());
    let c = work.path().join("content");
    // Without links.yaml the site does not check its links: no warning.
    assert_eq!(link_warnings(work.path()), "");
    results(
        &c,
        &[
            ("/ok", "2026-11-20", None),
            (
                "/missing",
                "2026-11-20",
                Some("the page answered 404 Not Found"),
            ),
            ("/to-other", "2026-08-23", None),
            ("/loop-a", "2026-08-24", None),
            ("/hang", "2026-12-01", None),
        ],
    );
    // Today is 2026-11-22: 2026-08-23 is 91 days ago, 2026-08-24 90. /moved was never checked.
    assert_eq!(
        link_warnings(work.path()),
        "\
content/guides/b-missing.md:14:8: warning: portal.url: the QR link https://dichvucong.gov.vn/missing failed when checked on 20/11/2026: the page answered 404 Not Found
  hint: correct the guide's portal link (or the templates in site.yaml), then run `camnang links` again
content/guides/c-other-host.md:14:8: warning: portal.url: the QR link https://dichvucong.gov.vn/to-other was last checked on 23/08/2026, more than 90 days ago
  hint: run `camnang links` (it needs the Internet) to check it
content/guides/f-moved.md:14:8: warning: portal.url: the QR link https://dichvucong.gov.vn/moved has never been checked
  hint: run `camnang links` (it needs the Internet) to check it
"
    );
    // `links.max_age_days` moves the limit; Vietnamese by default.
    let site_yaml = std::fs::read_to_string(c.join("site.yaml")).unwrap();
    std::fs::write(
        c.join("site.yaml"),
        format!("{site_yaml}links:\n  max_age_days: 89\n"),
    )
    .unwrap();
    let out = run(work.path(), &["check", "content"], &[]);
    let text = stderr(&out);
    assert!(
        text.contains("content/guides/d-loop.md:14:8: cảnh báo: portal.url: liên kết của mã QR https://dichvucong.gov.vn/loop-a được kiểm tra lần cuối ngày 24/08/2026, đã hơn 89 ngày\n"),
        "{text}"
    );
    assert!(text.contains("0 lỗi, 7 cảnh báo"), "{text}");
}

#[test]
fn a_broken_links_file_is_a_warning_and_is_rewritten() {
    let p = portal(closed_port());
    let work = site(p.port);
    let c = work.path().join("content");
    std::fs::write(
        c.join("links.yaml"),
        "links:\n  - url: \"https://dichvucong.gov.vn/ok\"\n    checked: hôm qua\n",
    )
    .unwrap();
    let out = run(work.path(), &["check", "content", "--lang", "en"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("content/links.yaml:3:14: warning: links[1].checked: `checked` is not a date\n  hint: run `camnang links` again to rewrite the file\n"),
        "{}",
        stderr(&out)
    );
    let out = links(work.path(), p.port, closed_port(), &["-q"]);
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(c.join("links.yaml")).unwrap();
    assert!(
        text.contains(
            "  - url: \"https://dichvucong.gov.vn/ok\"\n    status: 200\n    checked: 2026-11-22\n"
        ),
        "{text}"
    );
}

#[test]
fn pages_and_leaflets_print_the_day_the_qr_link_was_checked() {
    let work = site(closed_port());
    let c = work.path().join("content");
    results(
        &c,
        &[
            ("/ok", "2026-11-20", None),
            ("/missing", "2026-11-20", Some("404")),
        ],
    );
    let out = run(
        work.path(),
        &["build", "content", "-o", "public", "-q"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(work.path().join("public").join(p)).unwrap();
    let page = read("guides/a-ok/index.html");
    assert!(
        page.contains("<p class=\"qr-checked\">Liên kết đã kiểm tra ngày 20/11/2026</p>"),
        "{page}"
    );
    for sheet in ["a4", "a5", "poster"] {
        let html = read(&format!("print/a-ok/{sheet}.html"));
        assert!(
            html.contains("<span class=\"p-checked\">Liên kết đã kiểm tra ngày 20/11/2026</span>"),
            "{sheet}: {html}"
        );
    }
    // A link that failed its last check, or was never checked, prints no date.
    for p in [
        "guides/b-missing/index.html",
        "print/b-missing/a4.html",
        "guides/f-moved/index.html",
    ] {
        assert!(!read(p).contains("đã kiểm tra ngày"), "{p}");
    }
    // In English.
    let out = run(
        work.path(),
        &["build", "content", "-o", "en", "-q", "--lang", "en"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(work.path().join("en/guides/a-ok/index.html")).unwrap();
    assert!(
        page.contains("<p class=\"qr-checked\">Link checked on 20/11/2026</p>"),
        "{page}"
    );
}
