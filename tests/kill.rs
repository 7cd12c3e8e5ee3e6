//! The output folder survives what users do to it (issue #13): a file given as `-o`, a
//! build stopped with Ctrl-C or SIGTERM, a build killed at any moment (also during its
//! move phase), and the leftovers a killed build leaves beside the output.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_camnang"));
    c.current_dir(dir)
        .args(args)
        .env("CAMNANG_TODAY", "2026-11-22")
        .env_remove("CAMNANG_LANG")
        .env_remove("CAMNANG_TEST_KILL_AFTER_MOVES");
    c
}

fn build_ok(dir: &Path, content: &str, out: &str) {
    let o = cmd(dir, &["build", content, "-o", out, "-q"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "build failed:\n{}", stderr(&o));
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

/// `out` equals `want` byte for byte: the same files, the same contents.
fn assert_same_site(out: &Path, want: &Path, when: &str) {
    let (a, b) = (tree(out), tree(want));
    assert!(
        a == b,
        "{when}: the files of the output differ from a clean build"
    );
    for rel in &a {
        let same = std::fs::read(out.join(rel)).unwrap() == std::fs::read(want.join(rel)).unwrap();
        assert!(same, "{when}: {rel} differs from a clean build");
    }
}

#[test]
fn a_file_given_as_the_output_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("ok"), &tmp.path().join("content"));
    std::fs::write(tmp.path().join("public"), "my notes").unwrap();
    let before = names(tmp.path());
    let cases = [
        (
            "public",
            "en",
            "public is a file, not a folder: choose another output folder (-o) or move the file away\n",
        ),
        (
            "public",
            "vi",
            "public là một tệp, không phải thư mục: hãy chọn thư mục kết quả khác (-o) hoặc chuyển tệp đó đi\n",
        ),
        (
            "public/site",
            "en",
            "cannot make the output folder public/site: public is a file, not a folder; choose another output folder (-o)\n",
        ),
        (
            "public/a/b",
            "vi",
            "không tạo được thư mục kết quả public/a/b: public là một tệp, không phải thư mục; hãy chọn thư mục kết quả khác (-o)\n",
        ),
    ];
    for (out, lang, want) in cases {
        let o = cmd(tmp.path(), &["build", "content", "-o", out, "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{out}: {}", stderr(&o));
        assert_eq!(stderr(&o), want);
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("public")).unwrap(),
            "my notes"
        );
        assert_eq!(names(tmp.path()), before, "something was created beside it");
    }
}

/// A corpus of `n` guides in `dir/content`, built into `dir/public`; then its title is
/// changed so that a rebuild changes nearly every file.
fn built_corpus(dir: &Path, n: usize) {
    camnang::corpus::write(&dir.join("content"), n).unwrap();
    build_ok(dir, "content", "public");
    retitle(dir, "Cẩm nang mới");
}

/// Sets the site's title and its office's name (shown on every page and printable).
fn retitle(dir: &Path, title: &str) {
    let site = dir.join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let text: Vec<String> = text
        .lines()
        .map(|l| match l.split_once(": ") {
            Some(("title", _)) => format!("title: {title}"),
            Some(("  name", _)) => format!("  name: UBND {title}"),
            _ => l.to_string(),
        })
        .collect();
    std::fs::write(&site, text.join("\n") + "\n").unwrap();
}

/// The staging folder of the running build `child`, once it holds a rendered page.
fn wait_until_staging(dir: &Path, child: &mut Child) {
    let staging = dir.join(format!(".public.camnang-tmp-{}", child.id()));
    let start = Instant::now();
    let rendering = || std::fs::read_dir(&staging).is_ok_and(|mut d| d.next().is_some());
    while !rendering() {
        assert!(child.try_wait().unwrap().is_none(), "the build ended early");
        assert!(start.elapsed() < Duration::from_secs(120), "no staging");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn ctrl_c_and_sigterm_stop_the_build_and_keep_the_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    built_corpus(tmp.path(), 300);
    let before = site_files(&tmp.path().join("public"));
    let cases = [
        (
            "-INT",
            "en",
            130,
            "stopped; the previous output was left as it was\n",
        ),
        (
            "-TERM",
            "vi",
            143,
            "đã dừng; thư mục kết quả cũ được giữ nguyên\n",
        ),
    ];
    for (sig, lang, code, line) in cases {
        let mut child = cmd(tmp.path(), &["build", "content", "-o", "public", "-q"])
            .args(["--lang", lang])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_until_staging(tmp.path(), &mut child);
        signal(&child, sig);
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(code), "{sig}: {}", stderr(&o));
        assert_eq!(stderr(&o), line, "{sig}");
        assert!(
            site_files(&tmp.path().join("public")) == before,
            "{sig}: the output changed"
        );
        assert_eq!(names(tmp.path()), ["content", "public"], "{sig}: leftovers");
    }
    // Before any output exists, the line says so.
    std::fs::remove_dir_all(tmp.path().join("public")).unwrap();
    let mut child = cmd(tmp.path(), &["build", "content", "-o", "public", "-q"])
        .args(["--lang", "en"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_staging(tmp.path(), &mut child);
    signal(&child, "-INT");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130));
    assert_eq!(stderr(&o), "stopped; no output was written\n");
    assert_eq!(names(tmp.path()), ["content"]);
}

#[test]
fn leftovers_of_dead_builds_go_and_those_of_running_builds_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(&fixtures().join("ok"), &dir.join("content"));
    build_ok(dir, "content", "public");
    // A build that died (no lock held): its folders and lock file, the old site of a
    // swap; another that is running (its lock is held by this test).
    for d in [
        ".public.camnang-tmp-77",
        ".public.camnang-tmp-77-old/guides",
        ".public.camnang-tmp-78-old",
        ".public.camnang-tmp-99/guides",
    ] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
        std::fs::write(dir.join(d).join("x.html"), "x").unwrap();
    }
    std::fs::write(dir.join(".public.camnang-tmp-77.lock"), "").unwrap();
    let running = std::fs::File::create(dir.join(".public.camnang-tmp-99.lock")).unwrap();
    running.lock().unwrap();
    // Not of its kind, or not beside its output: never touched.
    let others = [
        ".public.camnang-tmp-77.bak",
        ".public.camnang-tmp-x",
        ".docs.camnang-tmp-77",
        "public.camnang-tmp-77",
    ];
    for o in others {
        std::fs::create_dir_all(dir.join(o)).unwrap();
    }
    std::fs::create_dir_all(dir.join("content/.public.camnang-tmp-5")).unwrap();
    build_ok(dir, "content", "public");
    let mut want: Vec<String> = [
        ".public.camnang-tmp-99",
        ".public.camnang-tmp-99.lock",
        "content",
        "public",
    ]
    .into_iter()
    .chain(others)
    .map(String::from)
    .collect();
    want.sort();
    assert_eq!(names(dir), want);
    assert!(dir.join("content/.public.camnang-tmp-5").is_dir());
    // Once that build is gone, the next build removes its folder too.
    drop(running);
    build_ok(dir, "content", "public");
    want.retain(|n| !n.starts_with(".public.camnang-tmp-99"));
    assert_eq!(names(dir), want);
}

/// Runs a build that kills itself after `steps` steps of its move phase.
fn build_killed_after(dir: &Path, steps: usize, extra: &[&str]) {
    let o = cmd(dir, &["build", "content", "-o", "public", "-q"])
        .args(extra)
        .env("CAMNANG_TEST_KILL_AFTER_MOVES", steps.to_string())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), None, "not killed:\n{}", stderr(&o));
}

#[test]
fn a_swap_killed_between_its_renames_is_finished_by_the_next_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(&fixtures().join("ok"), &dir.join("content"));
    retitle(dir, "Cũ");
    build_ok(dir, "content", "old");
    retitle(dir, "Mới");
    build_ok(dir, "content", "new");
    let guide = dir.join("content/guides/dang-ky-khai-sinh.yaml");
    let good = std::fs::read(&guide).unwrap();
    // `--zip` stages the whole site, which then replaces the output by two renames.
    for steps in 0..=2 {
        let public = dir.join("public");
        if public.exists() {
            std::fs::remove_dir_all(&public).unwrap();
        }
        retitle(dir, "Cũ");
        build_ok(dir, "content", "public");
        retitle(dir, "Mới");
        build_killed_after(dir, steps, &["--zip"]);
        match steps {
            0 => assert_same_site(&public, &dir.join("old"), "killed before the swap"),
            // Between the renames there is no output: the next build must put it back.
            1 => assert!(!public.exists()),
            _ => {
                let mut new = tree(&dir.join("new"));
                new.push("kiosk.zip".into());
                new.sort();
                assert_eq!(tree(&public), new);
            }
        }
        std::fs::write(&guide, "title: [unclosed\n").unwrap();
        // Even a build that fails on its content first finishes the killed one.
        let o = cmd(dir, &["build", "content", "-o", "public"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        let mut new = tree(&dir.join("new"));
        new.push("kiosk.zip".into());
        new.sort();
        assert_eq!(tree(&public), new, "after {steps} steps");
        assert_no_leftovers(dir);
        std::fs::write(&guide, &good).unwrap();
        build_ok(dir, "content", "public");
        assert_same_site(&public, &dir.join("new"), "after the next build");
        assert_no_leftovers(dir);
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_the_move_phase_lets_it_finish_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(&fixtures().join("ok"), &dir.join("content"));
    build_ok(dir, "content", "public");
    retitle(dir, "Mới");
    build_ok(dir, "content", "new");
    let o = cmd(dir, &["build", "content", "-o", "public"])
        .env("CAMNANG_TEST_KILL_AFTER_MOVES", "3:int")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "đã dừng, sau khi đặt xong thư mục kết quả mới\n"
    );
    assert_same_site(&dir.join("public"), &dir.join("new"), "after Ctrl-C");
    assert_eq!(names(dir), ["content", "new", "public"]);
}

/// The 1,000-guide rebuild killed at 20 moments (see the issue): after each kill no file
/// of the output is cut short or mixed (each equals the old or the new site's file), and
/// after the next build the output is a clean build and nothing is left beside it.
#[cfg(unix)]
#[test]
fn a_rebuild_killed_at_twenty_moments_is_repaired_by_the_next_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    camnang::corpus::write(&dir.join("content"), 1000).unwrap();
    let titles = ["Cẩm nang cũ", "Cẩm nang mới"];
    let mut rebuild = Duration::ZERO;
    let refs: Vec<PathBuf> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            retitle(dir, t);
            let name = format!("ref{i}");
            let start = Instant::now();
            build_ok(dir, "content", &name);
            rebuild = rebuild.max(start.elapsed());
            dir.join(name)
        })
        .collect();
    // The output starts as the second site (a copy of its clean build).
    let public = dir.join("public");
    copy_dir(&refs[1], &public);
    // Both sites in memory (about 100 MB each), to compare the output with.
    let sites: Vec<BTreeMap<String, Vec<u8>>> = refs.iter().map(|r| site_files(r)).collect();
    let steps = sites[0]
        .iter()
        .filter(|(f, b)| sites[1].get(*f) != Some(b))
        .count();
    assert!(
        steps > 2000,
        "only {steps} files change: the move phase is too short"
    );
    let mut now = 1; // the output holds the site of titles[now]
    for k in 0..20 {
        let to = 1 - now;
        retitle(dir, titles[to]);
        if k % 3 == 2 {
            // In the move phase, at a step spread over it.
            build_killed_after(dir, (k / 3) * steps / 6, &[]);
        } else {
            // At a moment spread over the rebuild.
            let mut child = cmd(dir, &["build", "content", "-o", "public", "-q"])
                .spawn()
                .unwrap();
            std::thread::sleep(rebuild.mul_f64((k as f64 + 0.5) / 20.0));
            signal(&child, "-KILL");
            child.wait().unwrap();
        }
        let (mut old, mut new) = (0, 0);
        for rel in tree(&public) {
            let got = std::fs::read(public.join(&rel)).unwrap();
            let is_old = sites[now].get(&rel) == Some(&got);
            let is_new = sites[to].get(&rel) == Some(&got);
            assert!(
                is_old || is_new,
                "kill {k}: {rel} is neither the old nor the new file"
            );
            old += usize::from(is_old && !is_new);
            new += usize::from(is_new && !is_old);
        }
        if k % 3 == 2 && k > 2 {
            assert!(old > 0 && new > 0, "kill {k} was not in the move phase");
        }
        build_ok(dir, "content", "public");
        assert!(
            site_files(&public) == sites[to],
            "after kill {k}: the output is not byte for byte a clean build"
        );
        assert_eq!(
            names(dir),
            ["content", "public", "ref0", "ref1"],
            "kill {k}"
        );
        now = to;
    }
}
