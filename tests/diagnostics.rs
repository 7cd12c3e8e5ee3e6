//! Fixture-driven tests of bad input: each folder under `tests/fixtures/bad/` is a content
//! folder (its `site.yaml` defaults to the one of `tests/fixtures/base/`) together with
//! `expected.txt` — the exact English output of `camnang check --lang en` — and optionally
//! `expected.vi.txt` (the Vietnamese output). Adding a case is adding a folder.
//!
//! `UPDATE_EXPECT=1 cargo test --test diagnostics` rewrites the expected files.

mod common;

use std::path::Path;

use common::*;

const SKIP: &[&str] = &["expected.txt", "expected.vi.txt", "args.txt"];

/// Builds the content folder of a case in `work/content`.
fn prepare(case: &Path, work: &Path) {
    let content = work.join("content");
    copy_dir(&fixtures().join("base"), &content);
    copy_dir(case, &content);
    for s in SKIP {
        let _ = std::fs::remove_file(content.join(s));
    }
}

fn run_case(case: &Path) -> Result<(), String> {
    let work = tempfile::tempdir().unwrap();
    prepare(case, work.path());
    let extra: Vec<String> = std::fs::read_to_string(case.join("args.txt"))
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let mut result = Ok(());
    for (lang, file) in [("en", "expected.txt"), ("vi", "expected.vi.txt")] {
        let expected = case.join(file);
        if lang == "vi" && !expected.exists() {
            continue;
        }
        let mut args = vec!["check", "content", "--lang", lang];
        args.extend(extra.iter().map(String::as_str));
        let out = camnang(work.path(), &args);
        let code = out.status.code();
        let text = format!(
            "exit: {}\n{}",
            code.map_or("signal".into(), |c| c.to_string()),
            stderr(&out)
        );
        if code == Some(101) {
            return Err(format!("{}: camnang panicked:\n{text}", case.display()));
        }
        let r = std::panic::catch_unwind(|| assert_expected(&expected, &text));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "mismatch".into());
            result = Err(msg);
        }
    }
    result
}

#[test]
fn bad_inputs_give_exact_diagnostics() {
    let dir = fixtures().join("bad");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 30,
        "expected the full corpus of bad inputs, found {}",
        cases.len()
    );
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Cases that need the file system set up in ways a fixture folder cannot hold.
#[cfg(unix)]
#[test]
fn symlink_out_of_the_content_folder_is_refused() {
    let work = tempfile::tempdir().unwrap();
    prepare(&fixtures().join("ok"), work.path());
    let secret = work.path().join("secret.png");
    std::fs::write(&secret, b"not yours").unwrap();
    std::os::unix::fs::symlink(
        &secret,
        work.path().join("content/images/login.png.tmp-link"),
    )
    .unwrap();
    std::fs::remove_file(work.path().join("content/images/login.png")).unwrap();
    std::fs::rename(
        work.path().join("content/images/login.png.tmp-link"),
        work.path().join("content/images/login.png"),
    )
    .unwrap();
    let out = camnang(work.path(), &["check", "content", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "content/guides/dang-ky-khai-sinh.yaml:30:12: error: steps[1].screenshot.src: `images/login.png` is a link to a file outside the content folder\n  hint: copy the file into the content folder instead of linking to it\n1 error, 0 warnings\n"
    );
}

#[test]
fn very_large_file_is_refused_without_reading_it_all() {
    let work = tempfile::tempdir().unwrap();
    prepare(&fixtures().join("ok"), work.path());
    let big = "title: x\n".to_string() + &"# padding padding padding padding\n".repeat(40_000);
    std::fs::write(work.path().join("content/guides/huge.yaml"), big).unwrap();
    let out = camnang(work.path(), &["check", "content", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "content/guides/huge.yaml: error: the file is too large (1328 KiB; at most 1024 KiB)\n  hint: a guide is a few pages of text; split it or remove pasted data\n1 error, 0 warnings\n"
    );
}

#[test]
fn bom_crlf_and_nfd_are_accepted_and_normalised() {
    use unicode_normalization::UnicodeNormalization;
    let work = tempfile::tempdir().unwrap();
    prepare(&fixtures().join("ok"), work.path());
    let path = work.path().join("content/guides/dang-ky-khai-sinh.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let nfd: String = text.nfd().collect();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(nfd.replace('\n', "\r\n").as_bytes());
    std::fs::write(&path, bytes).unwrap();
    let out = camnang(
        work.path(),
        &["build", "content", "-o", "out", "--lang", "en"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(work.path().join("out/guides/dang-ky-khai-sinh/index.html"))
        .unwrap();
    let nfc_title = "Đăng ký khai sinh".nfc().collect::<String>();
    assert!(html.contains(&format!("<h1>{nfc_title}</h1>")));
    assert!(
        !html.contains('\u{301}'),
        "NFD combining marks left in the output"
    );
}
