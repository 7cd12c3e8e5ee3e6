//! `camnang check`: every warning with its exact text, `--strict`, `--format json`, exit
//! codes, and `build` showing the same warnings. Today is 2026-11-22 (`CAMNANG_TODAY`).

mod common;

use std::path::{Path, PathBuf};

use common::*;

const GUIDE: &str = "content/guides/dang-ky-khai-sinh.yaml";

/// A copy of `tests/fixtures/ok` in `work/content` without any warning.
fn site() -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    let content = work.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    edit(
        &work.path().join("content/guides/chung-thuc-ban-sao.md"),
        "reviewed: 2026-11-20\n",
        "reviewed: 2026-11-20\nsources:\n  - title: Nghị định 23/2015/NĐ-CP\n    url: https://vbpl.vn/23-2015\n",
    );
    work
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn check(work: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", "content", "--lang", "en"];
    args.extend(extra);
    let out = camnang(work, &args);
    (out.status.code(), stderr(&out))
}

/// A PNG header of `w`×`h` followed by `pad` bytes (enough for size readers).
fn png(w: u32, h: u32, pad: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(w.to_be_bytes());
    b.extend(h.to_be_bytes());
    b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    b.resize(b.len() + pad, 0);
    b
}

fn login_png(work: &Path) -> PathBuf {
    work.join("content/images/login.png")
}

#[test]
fn clean_site_has_no_diagnostics() {
    let w = site();
    assert_eq!(
        check(w.path(), &[]),
        (Some(0), "0 errors, 0 warnings\n".into())
    );
    assert_eq!(
        check(w.path(), &["--strict"]),
        (Some(0), "0 errors, 0 warnings\n".into())
    );
}

#[test]
fn guide_not_reviewed_for_more_than_12_months() {
    let w = site();
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2026-11-20",
        "reviewed: 2025-10-21",
    );
    assert_eq!(
        check(w.path(), &[]),
        (
            Some(0),
            "content/guides/dang-ky-khai-sinh.yaml:12:11: warning: reviewed: not reviewed for 13 months (last on 21/10/2025; at most 12 months)\n  hint: check the facts against the portal and the cited sources, then update `reviewed:`\n0 errors, 1 warning\n".into()
        )
    );
    let out = camnang(w.path(), &["check", "content"]);
    assert_eq!(
        stderr(&out),
        "content/guides/dang-ky-khai-sinh.yaml:12:11: cảnh báo: reviewed: đã 13 tháng chưa kiểm tra lại (lần cuối 21/10/2025; tối đa 12 tháng)\n  gợi ý: đối chiếu lại với Cổng Dịch vụ công và các nguồn đã trích dẫn, rồi sửa ngày `reviewed:`\n0 lỗi, 1 cảnh báo\n"
    );
    // Exactly 12 months is fine.
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2025-10-21",
        "reviewed: 2025-11-22",
    );
    assert_eq!(check(w.path(), &[]).0, Some(0));
    assert_eq!(check(w.path(), &[]).1, "0 errors, 0 warnings\n");
}

#[test]
fn review_age_is_configurable_in_site_yaml() {
    let w = site();
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2026-11-20",
        "reviewed: 2025-10-21",
    );
    let site_yaml = w.path().join("content/site.yaml");
    let mut s = std::fs::read_to_string(&site_yaml).unwrap();
    s.push_str("review:\n  max_age_months: 24\n");
    std::fs::write(&site_yaml, &s).unwrap();
    assert_eq!(check(w.path(), &[]).1, "0 errors, 0 warnings\n");
    std::fs::write(
        &site_yaml,
        s.replace("max_age_months: 24", "max_age_months: 6"),
    )
    .unwrap();
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2025-10-21",
        "reviewed: 2026-04-01",
    );
    assert_eq!(
        check(w.path(), &[]).1,
        "content/guides/dang-ky-khai-sinh.yaml:12:11: warning: reviewed: not reviewed for 7 months (last on 01/04/2026; at most 6 months)\n  hint: check the facts against the portal and the cited sources, then update `reviewed:`\n0 errors, 1 warning\n"
    );
}

#[test]
fn review_date_in_the_future() {
    let w = site();
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2026-11-20",
        "reviewed: 2027-01-05",
    );
    assert_eq!(
        check(w.path(), &[]).1,
        "content/guides/dang-ky-khai-sinh.yaml:12:11: warning: reviewed: the review date 05/01/2027 is in the future\n  hint: write the day the facts were last checked, as YYYY-MM-DD\n0 errors, 1 warning\n"
    );
}

#[test]
fn guide_without_sources() {
    let w = site();
    let g = w.path().join(GUIDE);
    let text = std::fs::read_to_string(&g).unwrap();
    let cut = text.find("sources:").unwrap();
    let rest = &text[text.find("related:").unwrap()..];
    std::fs::write(&g, format!("{}{rest}", &text[..cut])).unwrap();
    assert_eq!(
        check(w.path(), &[]),
        (
            Some(0),
            "content/guides/dang-ky-khai-sinh.yaml:1:1: warning: sources: the guide cites no sources\n  hint: add at least one `sources:` entry (title + url): the law or the portal page the facts come from\n0 errors, 1 warning\n".into()
        )
    );
}

#[test]
fn screenshot_over_one_megabyte() {
    let w = site();
    std::fs::write(login_png(w.path()), png(1080, 1920, 1_200_000)).unwrap();
    assert_eq!(
        check(w.path(), &[]).1,
        "content/guides/dang-ky-khai-sinh.yaml:30:12: warning: steps[1].screenshot.src: `images/login.png` is 1172 KiB (more than 1024 KiB)\n  hint: save it smaller (e.g. PNG 1080 px wide, or JPEG): kiosks and phones load every picture\n0 errors, 1 warning\n"
    );
}

#[test]
fn screenshot_of_a_wrong_shape() {
    let w = site();
    std::fs::write(login_png(w.path()), png(1080, 4000, 100)).unwrap();
    assert_eq!(
        check(w.path(), &[]).1,
        "content/guides/dang-ky-khai-sinh.yaml:30:12: warning: steps[1].screenshot.src: `images/login.png` is 1080×4000 px: too tall to read on a page (width:height outside 1:2.5 … 2.5:1)\n  hint: crop it to the part of the screen the step is about\n0 errors, 1 warning\n"
    );
    std::fs::write(login_png(w.path()), png(3000, 300, 100)).unwrap();
    assert!(
        check(w.path(), &[])
            .1
            .contains("`images/login.png` is 3000×300 px: too wide to read on a page")
    );
    // A phone screenshot (9:20) is fine.
    std::fs::write(login_png(w.path()), png(1080, 2400, 100)).unwrap();
    assert_eq!(check(w.path(), &[]).1, "0 errors, 0 warnings\n");
}

#[test]
fn screenshot_that_is_not_an_image() {
    let w = site();
    std::fs::write(login_png(w.path()), "this is text, not a picture").unwrap();
    assert_eq!(
        check(w.path(), &[]).1,
        "content/guides/dang-ky-khai-sinh.yaml:30:12: warning: steps[1].screenshot.src: cannot read the size of `images/login.png`: the file may be damaged or not really a PNG image\n  hint: open it in an image viewer and save it again as PNG or JPEG\n0 errors, 1 warning\n"
    );
}

#[test]
fn image_used_by_no_guide() {
    let w = site();
    std::fs::create_dir_all(w.path().join("content/images/cũ")).unwrap();
    std::fs::write(
        w.path().join("content/images/cũ/ảnh thừa.png"),
        png(10, 10, 0),
    )
    .unwrap();
    // Hidden files, editor backups and non-images are not reported.
    std::fs::write(w.path().join("content/images/.DS_Store"), "x").unwrap();
    std::fs::write(w.path().join("content/images/notes.txt"), "x").unwrap();
    assert_eq!(
        check(w.path(), &[]),
        (
            Some(0),
            "content/images/cũ/ảnh thừa.png: warning: the image is not used by any guide\n  hint: delete it, or use it in a step's `screenshot.src`\n0 errors, 1 warning\n".into()
        )
    );
}

#[test]
fn image_used_only_in_markdown_counts_as_used() {
    let w = site();
    std::fs::write(w.path().join("content/images/extra.png"), png(10, 10, 0)).unwrap();
    edit(
        &w.path().join("content/guides/chung-thuc-ban-sao.md"),
        "Mang **bản chính** và bản chụp.",
        "Mang **bản chính** và bản chụp.\n\n![Mẫu](images/extra.png)",
    );
    assert_eq!(check(w.path(), &[]).1, "0 errors, 0 warnings\n");
}

#[test]
fn missing_screenshot_broken_link_and_duplicate_code_are_errors() {
    let w = site();
    std::fs::remove_file(login_png(w.path())).unwrap();
    edit(
        &w.path().join(GUIDE),
        "related: [chung-thuc-ban-sao]",
        "related: [chung-thuc]",
    );
    edit(
        &w.path().join("content/guides/chung-thuc-ban-sao.md"),
        "code: \"2.000815\"",
        "code: \"1.001193\"",
    );
    let (code, text) = check(w.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        text,
        "content/guides/dang-ky-khai-sinh.yaml:3:7: error: code: procedure code 1.001193 is already used by guides/chung-thuc-ban-sao.md\n  hint: one guide per procedure: merge the two, or correct the code\n\
content/guides/dang-ky-khai-sinh.yaml:30:12: error: steps[1].screenshot.src: file `images/login.png` not found\n  hint: check the spelling and that the file is in the content folder (names are case-sensitive)\n\
content/guides/dang-ky-khai-sinh.yaml:44:10: error: related: no guide `chung-thuc`: broken link\n  hint: link to a guide by its file name, e.g. `dang-ky-ket-hon.yaml`\n\
3 errors, 0 warnings\n"
    );
}

#[test]
fn strict_turns_warnings_into_errors() {
    let w = site();
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2026-11-20",
        "reviewed: 2020-01-01",
    );
    assert_eq!(check(w.path(), &[]).0, Some(0));
    let (code, text) = check(w.path(), &["--strict"]);
    assert_eq!(code, Some(1));
    assert!(
        text.starts_with(
            "content/guides/dang-ky-khai-sinh.yaml:12:11: error: reviewed: not reviewed for 82 months"
        ),
        "{text}"
    );
    assert!(text.ends_with("1 error, 0 warnings\n"));
    // -q prints errors only, and no summary.
    let out = camnang(w.path(), &["check", "content", "--lang", "en", "-q"]);
    assert_eq!((out.status.code(), stderr(&out)), (Some(0), String::new()));
}

#[test]
fn json_report_has_a_stable_schema() {
    let w = site();
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2026-11-20",
        "reviewed: 2025-10-21",
    );
    let out = camnang(
        w.path(),
        &["check", "content", "--format", "json", "--lang", "en"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "version": 1,
            "ok": true,
            "guides": 2,
            "errors": 0,
            "warnings": 1,
            "diagnostics": [{
                "severity": "warning",
                "file": "content/guides/dang-ky-khai-sinh.yaml",
                "line": 12,
                "column": 11,
                "key": "reviewed",
                "message": "not reviewed for 13 months (last on 21/10/2025; at most 12 months)",
                "hint": "check the facts against the portal and the cited sources, then update `reviewed:`",
            }],
        })
    );
    let out = camnang(
        w.path(),
        &["check", "content", "--format", "json", "--strict"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    assert_eq!(
        v["diagnostics"][0]["message"],
        "đã 13 tháng chưa kiểm tra lại (lần cuối 21/10/2025; tối đa 12 tháng)"
    );
}

#[test]
fn json_report_of_a_broken_site() {
    let w = tempfile::tempdir().unwrap();
    std::fs::create_dir(w.path().join("content")).unwrap();
    let out = camnang(
        w.path(),
        &["check", "content", "--format", "json", "--lang", "en"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["guides"], 0);
    assert_eq!(v["diagnostics"][0]["file"], "content/guides");
    assert_eq!(v["diagnostics"][0]["line"], 0);
    assert_eq!(
        v["diagnostics"][0]["message"],
        "the folder `guides/` is missing"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let w = site();
    for args in [
        &["check", "--bogus"][..],
        &["check", "--format", "xml"],
        &["frobnicate"],
        &[],
        &["new"],
        &["init"],
        &["--lang", "fr", "check"],
    ] {
        let out = camnang(w.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn check_writes_nothing() {
    let w = site();
    let before = tree(w.path());
    check(w.path(), &[]);
    assert_eq!(tree(w.path()), before);
}

fn tree(p: &Path) -> Vec<(PathBuf, u64)> {
    let mut v: Vec<_> = walkdir::WalkDir::new(p)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            (e.path().to_path_buf(), e.metadata().unwrap().len())
        })
        .collect();
    v.sort();
    v
}

#[test]
fn build_shows_the_same_warnings() {
    let w = site();
    edit(
        &w.path().join(GUIDE),
        "reviewed: 2026-11-20",
        "reviewed: 2025-10-21",
    );
    std::fs::write(w.path().join("content/images/extra.png"), png(10, 10, 0)).unwrap();
    let out = camnang(w.path(), &["build", "content", "-o", "out", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stderr(&out);
    assert!(
        text.starts_with(
            "content/guides/dang-ky-khai-sinh.yaml:12:11: warning: reviewed: not reviewed for 13 months (last on 21/10/2025; at most 12 months)\n  hint: check the facts against the portal and the cited sources, then update `reviewed:`\n\
content/images/extra.png: warning: the image is not used by any guide\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("(0 errors, 2 warnings)\n"), "{text}");
    let out = camnang(
        w.path(),
        &["build", "content", "-o", "out2", "--lang", "en", "--strict"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!w.path().join("out2").exists());
}

#[test]
fn missing_screenshot_suggests_the_file_meant() {
    let w = site();
    edit(
        &w.path().join(GUIDE),
        "src: images/login.png",
        "src: Images/Login.PNG",
    );
    assert_eq!(
        check(w.path(), &[]),
        (
            Some(1),
            "content/guides/dang-ky-khai-sinh.yaml:30:12: error: steps[1].screenshot.src: file `Images/Login.PNG` not found\n  hint: did you mean `images/login.png`? (names are case-sensitive)\n1 error, 0 warnings\n".into()
        )
    );
    edit(
        &w.path().join(GUIDE),
        "src: Images/Login.PNG",
        "src: images/logn.png",
    );
    assert!(
        check(w.path(), &[])
            .1
            .contains("  hint: did you mean `images/login.png`? (names are case-sensitive)\n")
    );
    // Nothing close: the general hint.
    edit(
        &w.path().join(GUIDE),
        "src: images/logn.png",
        "src: images/ban-do.png",
    );
    assert!(check(w.path(), &[]).1.contains(
        "  hint: check the spelling and that the file is in the content folder (names are case-sensitive)\n"
    ));
}
