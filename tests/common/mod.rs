//! Shared helpers for integration tests: copying fixture sites, running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod server;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled example office that serves every bundled guide: a build of `content/`
/// writes one site per office (`public/<office>/`), and the tests of a single site look
/// at this one.
pub const OFFICE: &str = "truc-bach";

/// Copies the bundled content to `to` as a site of one office (no `offices/`, no
/// `provinces/`, the example office's contacts under `office:` in `site.yaml`): the tests of
/// `serve` and of PDFs look at one site.
pub fn bundled_single_office(to: &Path) {
    copy_dir(&repo().join("content"), to);
    std::fs::remove_dir_all(to.join("offices")).unwrap();
    std::fs::remove_dir_all(to.join("provinces")).unwrap();
    let site = to.join("site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        format!(
            "{text}office:\n  name: UBND phường Ví Dụ\n  province: Tỉnh Ví Dụ\n  \
             address: Số 00 phố Mẫu (địa chỉ ví dụ)\n  phone: \"0000 000 000\"\n  \
             hours:\n    - \"Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–17:00\"\n"
        ),
    )
    .unwrap();
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Copies a folder recursively (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in walkdir::WalkDir::new(from).min_depth(1) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Runs the `camnang` binary in `dir` with `args`.
pub fn camnang(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_camnang"))
        .current_dir(dir)
        .args(args)
        .env("CAMNANG_TODAY", "2026-11-22")
        .env_remove("CAMNANG_LANG")
        .output()
        .expect("run camnang")
}

/// Runs a tool the tests need (pdfinfo, pdftoppm, zbarimg …) and returns its stdout.
pub fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test ({e})"));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A PDF's page count and page size (`pdfinfo`, from poppler-utils).
pub fn pdfinfo(pdf: &Path) -> (usize, String) {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or_else(|| panic!("{}: no page count in\n{info}", pdf.display()));
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    (pages, size)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Compares `actual` with the file `expected`; with `UPDATE_EXPECT=1` rewrites it instead.
pub fn assert_expected(expected: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_else(|_| {
        panic!(
            "{} is missing (run with UPDATE_EXPECT=1 to create it)",
            expected.display()
        )
    });
    if want != actual {
        panic!(
            "output differs from {}\n--- expected\n{want}\n--- actual\n{actual}\n(run with UPDATE_EXPECT=1 to accept)",
            expected.display()
        );
    }
}

/// Every file of a built site (relative `/`-separated path → bytes).
pub fn site_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Fails if a build left its staging or old-output folders in `dir`.
pub fn assert_no_leftovers(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("camnang-tmp") || n.contains("camnang-old"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}
