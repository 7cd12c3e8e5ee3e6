//! `build --pdf` with one headless Chromium over the DevTools protocol: two builds of the
//! same content give the same PDF bytes; a rebuild prints only the printables that changed
//! (and those made by another browser version) and keeps the other PDFs; the browser's
//! profile folder is removed; a browser that stops answering is stopped with a clear error
//! and the previous output stays. (Page counts, sizes and QR codes: `tests/print.rs`.)

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use camnang::render::print::pdf_path;
use common::*;

fn build(content: &Path, out: &Path, tmpdir: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_camnang"));
    c.args([
        "build",
        content.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--pdf",
    ])
    .env("CAMNANG_TODAY", "2026-12-04")
    .env("TMPDIR", tmpdir)
    .env_remove("CAMNANG_CHROMIUM")
    .env_remove("CAMNANG_PDF_TIMEOUT");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run camnang")
}

/// The files of a site whose path ends with `ext`.
fn with_ext(site: &Path, ext: &str) -> BTreeMap<String, Vec<u8>> {
    site_files(site)
        .into_iter()
        .filter(|(p, _)| p.ends_with(ext))
        .collect()
}

/// The browser's profile folders left in `tmpdir`.
fn profiles(tmpdir: &Path) -> Vec<String> {
    std::fs::read_dir(tmpdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("camnang-chromium"))
        .collect()
}

#[test]
fn pdfs_are_reproducible_and_a_rebuild_prints_only_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    bundled_single_office(&content);
    let tmpdir = tmp.path().join("tmpdir");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));

    // Two builds into new folders: every PDF printed, byte for byte the same.
    for out in [&a, &b] {
        let o = build(&content, out, &tmpdir, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!(
                "PDF: in 72 tệp, dùng lại 0 tệp không đổi từ lần dựng trước\n\
                 Đã dựng 21 hướng dẫn, 149 tệp vào {} (0 lỗi, 0 cảnh báo)\n",
                out.display()
            )
        );
        assert_eq!(profiles(&tmpdir), Vec::<String>::new());
    }
    let pdfs_b = with_ext(&b, ".pdf");
    assert_eq!(pdfs_b.len(), 72);
    assert!(
        with_ext(&a, ".pdf") == pdfs_b,
        "two builds of the same content gave different PDFs"
    );

    // One guide edited: only the printables whose HTML changed are printed again.
    let guide = content.join("guides/dang-ky-khai-tu.yaml");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, text.replace("8.000 đồng/bản", "9.000 đồng/bản")).unwrap();
    // Also a PDF made by another browser version (its /Producer) is printed again.
    let other = "print/dang-ky-ket-hon/dang-ky-ket-hon-a5.pdf";
    let old = std::fs::read(a.join(other)).unwrap();
    let at = old.windows(11).position(|w| w == b"(Skia/PDF m").unwrap() + 11;
    let mut forged = old.clone();
    forged[at] = if old[at] == b'9' { b'8' } else { b'9' };
    std::fs::write(a.join(other), &forged).unwrap();

    let html_before = with_ext(&a, ".html");
    let o = build(&content, &a, &tmpdir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html_after = with_ext(&a, ".html");
    let changed: Vec<&String> = html_after
        .iter()
        .filter(|(p, h)| pdf_path(p).is_some() && html_before.get(*p) != Some(*h))
        .map(|(p, _)| p)
        .collect();
    assert!(
        changed.contains(&&"print/dang-ky-khai-tu/a4.html".to_string())
            && changed.contains(&&"print/booklet/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        stderr(&o).starts_with(&format!(
            "PDF: in {} tệp, dùng lại {} tệp không đổi từ lần dựng trước\n",
            changed.len() + 1,
            72 - changed.len() - 1
        )),
        "changed printables {changed:?}:\n{}",
        stderr(&o)
    );
    let pdfs_a = with_ext(&a, ".pdf");
    assert_eq!(pdfs_a[other], old, "the forged PDF is printed again");
    for (p, bytes) in &pdfs_a {
        let html_changed = changed
            .iter()
            .any(|h| pdf_path(h).as_deref() == Some(p.as_str()));
        assert_eq!(
            bytes != &pdfs_b[p],
            html_changed,
            "{p}: PDF changed while its printable did not, or the other way round"
        );
    }

    // Back to the first content: the PDFs are those of a build from scratch.
    std::fs::write(&guide, &text).unwrap();
    let o = build(&content, &a, &tmpdir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(with_ext(&a, ".pdf") == pdfs_b);
    // And with no change at all, nothing is printed (the browser is not even started).
    let o = build(&content, &a, &tmpdir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("PDF: in 0 tệp, dùng lại 72 tệp không đổi từ lần dựng trước\n"),
        "{}",
        stderr(&o)
    );
    assert!(with_ext(&a, ".pdf") == pdfs_b);
    assert_eq!(profiles(&tmpdir), Vec::<String>::new());
}

/// A browser that opens DevTools but never answers: stopped after CAMNANG_PDF_TIMEOUT,
/// a clear error, the process gone, its profile folder removed, the previous output kept.
#[test]
fn a_browser_that_does_not_answer_is_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let tmpdir = tmp.path().join("tmpdir");
    std::fs::create_dir_all(&tmpdir).unwrap();
    let o = camnang(
        &repo(),
        &["build", "content", "-o", out.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = site_files(&out);

    // Accepts connections (the kernel does, from its backlog) and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let pid_file = tmp.path().join("pid");
    let fake = tmp.path().join("fake-chromium");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho $$ > {}\n\
             echo 'DevTools listening on ws://127.0.0.1:{port}/devtools/browser/x' >&2\n\
             exec sleep 60\n",
            pid_file.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let env = [
        ("CAMNANG_CHROMIUM", fake.to_str().unwrap()),
        ("CAMNANG_PDF_TIMEOUT", "1"),
    ];
    let content = repo().join("content");
    let o = build(&content, &out, &tmpdir, &env);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "{} không trả lời trong 1 giây, đã dừng (chờ DevTools); đặt CAMNANG_PDF_TIMEOUT (giây) \
             để chờ lâu hơn; thư mục kết quả cũ được giữ nguyên\n",
            fake.display()
        )
    );
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    assert!(
        !Path::new(&format!("/proc/{}", pid.trim())).exists(),
        "the browser process is still running"
    );
    assert_eq!(profiles(&tmpdir), Vec::<String>::new());
    assert!(site_files(&out) == before, "the previous output changed");
    assert_no_leftovers(tmp.path());
    drop(listener);
}
