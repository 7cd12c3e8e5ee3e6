//! Rebuilds through the build manifest (issue #16): a rebuild renders only the guides whose
//! inputs changed, and its output is byte for byte that of a clean build of the same
//! content, after any sequence of edits (property test, arbtest). A failing case prints its
//! seed: reproduce it with `arbtest::arbtest(prop).seed(0x…)`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use arbtest::arbitrary::Unstructured;
use camnang::commands::build::{BuildOptions, Report};
use camnang::progress::Quiet;
use camnang::render::kiosk::GROUP;
use camnang::render::manifest;
use common::site_files;

/// Guides of the generated site: two kiosk groups, the last one partly filled.
const GUIDES: usize = 24;

fn build(content: &Path, out: &Path) -> Report {
    camnang::build(&BuildOptions::new(content, out), &Quiet)
        .unwrap_or_else(|e| panic!("build failed: {e:?}"))
}

/// The generated site, with guide 1 listing guide 0 as related (a title edit of guide 0
/// changes guide 1's page).
fn site(dir: &Path) -> std::path::PathBuf {
    let content = dir.join("content");
    camnang::corpus::write(&content, GUIDES).unwrap();
    let g1 = content.join("guides/thu-tuc-00001.yaml");
    let text = std::fs::read_to_string(&g1).unwrap();
    std::fs::write(&g1, format!("{text}related:\n  - thu-tuc-00000\n")).unwrap();
    content
}

fn guide_files(content: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(content.join("guides"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Replaces the first `from` in file `p` by `to`.
fn edit(p: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(p).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", p.display());
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

/// The kinds of edit [`random_edit`] makes.
const EDITS: u8 = 11;

/// One edit of the content folder, of kind `kind` (`0..EDITS`), details from `u`; returns
/// what it did.
fn random_edit(
    u: &mut Unstructured<'_>,
    kind: u8,
    content: &Path,
    step: usize,
) -> arbtest::arbitrary::Result<String> {
    let files = guide_files(content);
    // Guide 0 is listed by guide 1: it is edited, never renamed or removed. (By name: added
    // and renamed guides, `doi-ten-…` and `moi-…`, sort before it.)
    let others: Vec<&std::path::PathBuf> = files
        .iter()
        .filter(|f| !f.ends_with("thu-tuc-00000.yaml"))
        .collect();
    let pick = |u: &mut Unstructured<'_>| -> arbtest::arbitrary::Result<std::path::PathBuf> {
        Ok(others[u.choose_index(others.len())?].clone())
    };
    Ok(match kind {
        0 => {
            let g = pick(u)?;
            let fee = format!(
                "fee: Lệ phí {step}.000 đồng ({}).",
                u.int_in_range(0..=99u32)?
            );
            let text = std::fs::read_to_string(&g).unwrap();
            let old = text
                .lines()
                .find(|l| l.starts_with("fee:"))
                .unwrap()
                .to_string();
            edit(&g, &old, &fee);
            format!("fee of {}", g.display())
        }
        1 => {
            let g = content.join("guides/thu-tuc-00000.yaml");
            edit(&g, "title: Thủ tục", &format!("title: Thủ tục {step}"));
            "title of guide 0 (related of guide 1)".into()
        }
        2 => {
            let from = pick(u)?;
            let to = content.join(format!("guides/moi-{step}.yaml"));
            let text = std::fs::read_to_string(&from).unwrap();
            let code = text.lines().find(|l| l.starts_with("code:")).unwrap();
            let text = text.replacen(code, &format!("code: \"8.{step:06}\""), 1);
            std::fs::write(&to, text).unwrap();
            format!("added {}", to.display())
        }
        3 if files.len() > 2 => {
            let g = pick(u)?;
            std::fs::remove_file(&g).unwrap();
            format!("removed {}", g.display())
        }
        4 => {
            let g = pick(u)?;
            let to = content.join(format!("guides/doi-ten-{step}.yaml"));
            std::fs::rename(&g, &to).unwrap();
            format!("renamed {} to {}", g.display(), to.display())
        }
        5 => {
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 {}\"><rect width=\"800\" height=\"500\" fill=\"#ddd\"/></svg>\n",
                400 + u.int_in_range(0..=200u32)?
            );
            std::fs::write(content.join("images/man-hinh.svg"), svg).unwrap();
            "screenshot".into()
        }
        6 => {
            edit(
                &content.join("site.yaml"),
                "title: Cẩm nang",
                &format!("title: Cẩm nang {step}"),
            );
            "site.yaml title".into()
        }
        7 => {
            let dir = content.join("theme/templates");
            std::fs::create_dir_all(&dir).unwrap();
            let (_, guide) = camnang::render::theme::TEMPLATES
                .iter()
                .find(|(n, _)| *n == "guide.html")
                .unwrap();
            let block = "{% block content %}";
            assert!(guide.contains(block));
            let mine = guide.replacen(block, &format!("{block}<p>Bản sửa {step}</p>"), 1);
            std::fs::write(dir.join("guide.html"), mine).unwrap();
            "theme override of guide.html".into()
        }
        8 => {
            // A guide that applies only from a later day has no printables; back again.
            let g = pick(u)?;
            let text = std::fs::read_to_string(&g).unwrap();
            let line = "effective_from: 2099-01-01\n";
            let (text, what) = match text.contains(line) {
                true => (text.replacen(line, "", 1), "applies now"),
                false => (format!("{text}{line}"), "applies from 2099"),
            };
            std::fs::write(&g, text).unwrap();
            format!("{} {what}", g.display())
        }
        9 => {
            // A warning of `check` (the placeholder of `camnang new` left in a guide).
            let g = pick(u)?;
            let text = std::fs::read_to_string(&g).unwrap();
            let line = text.lines().find(|l| l.starts_with("summary:")).unwrap();
            let text = text.replacen(
                line,
                &format!("{line} {}", camnang::content::guide::PLACEHOLDER),
                1,
            );
            std::fs::write(&g, text).unwrap();
            format!("placeholder in {}", g.display())
        }
        _ => "nothing".into(),
    })
}

/// Rebuilds `content` into `out` and builds it into a new folder; the two outputs must be
/// the same, file for file and byte for byte (the manifest included).
fn rebuild_and_compare(content: &Path, out: &Path, step: usize, what: &str) {
    let report = build(content, out);
    let clean = out.with_file_name(format!("clean{step}"));
    let fresh = build(content, &clean);
    assert_eq!(
        fresh.rendered, fresh.guides,
        "a clean build renders every guide"
    );
    assert_eq!(
        fresh.parsed, fresh.guides,
        "a clean build parses every guide"
    );
    // Guides taken from the parse cache have the problems reading them again would find.
    assert_eq!(
        report.warnings.0, fresh.warnings.0,
        "after step {step} ({what}): the warnings differ from a clean build's"
    );
    let (a, b) = (site_files(out), site_files(&clean));
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    assert_eq!(
        names_a, names_b,
        "after step {step} ({what}): the files differ"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "after step {step} ({what}): {path} differs from a clean build's"
        );
    }
    eprintln!(
        "step {step}: {what}: {} of {} guides rendered",
        report.rendered, report.guides
    );
    std::fs::remove_dir_all(&clean).unwrap();
}

/// Each kind of edit once, in turn: the rebuilt output equals a clean build's.
#[test]
fn every_edit_rebuilds_as_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = site(tmp.path());
    let out = tmp.path().join("public");
    build(&content, &out);
    let bytes: Vec<u8> = (0..=255).collect();
    let mut u = Unstructured::new(&bytes);
    for kind in 0..EDITS {
        let what = random_edit(&mut u, kind, &content, kind as usize).unwrap();
        rebuild_and_compare(&content, &out, kind as usize, &what);
    }
}

/// After any sequence of random edits, the rebuilt output equals a clean build's.
/// `CAMNANG_FUZZ_MS=600000 cargo test --test manifest` searches longer.
#[test]
fn rebuilds_equal_clean_builds() {
    arbtest::arbtest(|u| {
        let tmp = tempfile::tempdir().unwrap();
        let content = site(tmp.path());
        let out = tmp.path().join("public");
        build(&content, &out);
        for step in 0..u.int_in_range(2..=5)? {
            let kind = u.int_in_range(0..=EDITS - 1)?;
            let what = random_edit(u, kind, &content, step)?;
            rebuild_and_compare(&content, &out, step, &what);
        }
        Ok(())
    })
    .budget_ms(
        std::env::var("CAMNANG_FUZZ_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20_000),
    );
}

/// The number of guides in the kiosk group of `slug`, as the manifest in `out` lists them.
fn group_of(out: &Path, slug: &str) -> usize {
    group(out, slug).1
}

/// The index and size of the kiosk group of `slug` (see [`group_of`]).
fn group(out: &Path, slug: &str) -> (usize, usize) {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(manifest::PATH)).unwrap()).unwrap();
    let groups = m["groups"].as_array().unwrap();
    let (i, g) = groups
        .iter()
        .enumerate()
        .find(|(_, g)| g["guides"].as_array().unwrap().iter().any(|m| m[0] == slug))
        .unwrap();
    (i, g["guides"].as_array().unwrap().len())
}

/// Editing one guide renders its kiosk group only; no change renders nothing; the other
/// guides' files are not even read.
#[test]
fn one_edit_renders_one_group() {
    let tmp = tempfile::tempdir().unwrap();
    let content = site(tmp.path());
    let out = tmp.path().join("public");
    let first = build(&content, &out);
    assert_eq!((first.rendered, first.guides), (GUIDES, GUIDES));
    assert!(out.join(manifest::PATH).is_file());

    let again = build(&content, &out);
    assert_eq!(again.rendered, 0);
    assert_eq!(again.changed, 0);
    assert_eq!(
        again.parsed, 0,
        "unchanged guides come from the parse cache"
    );

    // Guide 20's group is rendered (and no other), one page changed.
    edit(
        &content.join("guides/thu-tuc-00020.yaml"),
        "fee: Miễn lệ phí.",
        "fee: 8.000 đồng.",
    );
    let one = build(&content, &out);
    assert_eq!(one.parsed, 1);
    assert_eq!(one.rendered, group_of(&out, "thu-tuc-00020"));
    assert!(one.rendered <= GROUP);
    let page = std::fs::read_to_string(out.join("guides/thu-tuc-00020/index.html")).unwrap();
    assert!(page.contains("8.000 đồng"));

    // A kept file is not read: one made unreadable in content stays as it is.
    let other = out.join("guides/thu-tuc-00003/index.html");
    std::fs::write(&other, "tampered").unwrap();
    let kept = build(&content, &out);
    assert_eq!(kept.rendered, 0);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "tampered");

    // A file missing from the output: its group is rendered again.
    std::fs::remove_file(out.join("print/thu-tuc-00021/a5.html")).unwrap();
    let missing = build(&content, &out);
    assert_eq!(missing.rendered, group_of(&out, "thu-tuc-00021"));
    assert!(out.join("print/thu-tuc-00021/a5.html").is_file());

    // The title of guide 0 is on guide 1's page (related): their groups are rendered.
    // (At its end, so that the order of the guides stays the same.)
    let g0 = content.join("guides/thu-tuc-00000.yaml");
    let text = std::fs::read_to_string(&g0).unwrap();
    let title = text.lines().next().unwrap();
    edit(&g0, title, &format!("{title} (mới)"));
    let (a, b) = (group(&out, "thu-tuc-00000"), group(&out, "thu-tuc-00001"));
    let related = build(&content, &out);
    let want = if a.0 == b.0 { a.1 } else { a.1 + b.1 };
    assert_eq!(related.rendered, want);
    let page = std::fs::read_to_string(out.join("guides/thu-tuc-00001/index.html")).unwrap();
    assert!(page.contains("số 0 (mới)"));

    // A guide that applies only from a later day has no printables: its group is kept
    // by the next rebuild all the same.
    let g5 = content.join("guides/thu-tuc-00005.yaml");
    let text = std::fs::read_to_string(&g5).unwrap();
    std::fs::write(&g5, format!("{text}effective_from: 2099-01-01\n")).unwrap();
    assert_eq!(
        build(&content, &out).rendered,
        group_of(&out, "thu-tuc-00005")
    );
    assert!(!out.join("print/thu-tuc-00005/a4.html").exists());
    assert_eq!(build(&content, &out).rendered, 0);
}

/// The site-wide files (lists, card sheets, booklet, search index) are kept when the
/// guides they show did not change: a card sheet of another category than the edited
/// guide's is not even read.
#[test]
fn site_wide_files_of_unchanged_guides_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let content = site(tmp.path());
    let out = tmp.path().join("public");
    build(&content, &out);
    let category = |slug: &str| -> String {
        let text = std::fs::read_to_string(content.join(format!("guides/{slug}.yaml"))).unwrap();
        let line = text.lines().find(|l| l.starts_with("category:")).unwrap();
        line["category:".len()..].trim().to_string()
    };
    let (edited, other) = (category("thu-tuc-00020"), category("thu-tuc-00003"));
    assert_ne!(edited, other);
    let sheet = |cat: &str| out.join(format!("print/categories/{cat}/index.html"));
    let search = out.join("kiosk/search-index.js");
    for p in [
        sheet(&other),
        sheet(&edited),
        search.clone(),
        out.join("index.html"),
    ] {
        std::fs::write(&p, "tampered").unwrap();
    }
    assert_eq!(build(&content, &out).changed, 0);
    assert_eq!(std::fs::read_to_string(sheet(&other)).unwrap(), "tampered");
    assert_eq!(std::fs::read_to_string(&search).unwrap(), "tampered");

    // One guide's fee edited: the search index (which has the fee) is made again; the
    // card sheets and the lists, which do not show it, are kept as they are.
    edit(
        &content.join("guides/thu-tuc-00020.yaml"),
        "fee: Miễn lệ phí.",
        "fee: 8.000 đồng.",
    );
    build(&content, &out);
    assert!(
        std::fs::read_to_string(&search)
            .unwrap()
            .starts_with("CamnangSearch.index(")
    );
    for p in [sheet(&other), sheet(&edited), out.join("index.html")] {
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "tampered", "{p:?}");
    }

    // Its title edited: its category's sheet and the lists are made again; the other
    // category's sheet is kept as it is.
    edit(
        &content.join("guides/thu-tuc-00020.yaml"),
        " số 20\n",
        " số 20 (sửa)\n",
    );
    build(&content, &out);
    assert_eq!(std::fs::read_to_string(sheet(&other)).unwrap(), "tampered");
    assert!(
        std::fs::read_to_string(sheet(&edited))
            .unwrap()
            .contains("số 20 (sửa)<")
    );
    assert!(
        std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("số 20 (sửa)<")
    );
}

/// A site of more guides than the booklet takes: a rebuild makes full views (Markdown, QR
/// codes) only for the guides whose files it renders, the others' views are outlines.
/// Each kind of edit once: the rebuilt output equals a clean build's.
#[test]
fn rebuilds_without_booklet_equal_clean_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    camnang::corpus::write(&content, camnang::render::print::BOOKLET_MAX + 20).unwrap();
    let g1 = content.join("guides/thu-tuc-00001.yaml");
    let text = std::fs::read_to_string(&g1).unwrap();
    std::fs::write(&g1, format!("{text}related:\n  - thu-tuc-00000\n")).unwrap();
    let out = tmp.path().join("public");
    build(&content, &out);
    assert!(!out.join("print/booklet/index.html").exists());
    let bytes: Vec<u8> = (0..=255).rev().collect();
    let mut u = Unstructured::new(&bytes);
    for kind in [0, 1, 8, 0, 2, 5, 9] {
        let what = random_edit(&mut u, kind, &content, kind as usize).unwrap();
        rebuild_and_compare(&content, &out, kind as usize, &what);
    }
}

/// A corrupted, foreign or missing manifest means a full build, whose output is right.
#[test]
fn bad_manifest_means_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let content = site(tmp.path());
    let out = tmp.path().join("public");
    build(&content, &out);
    let m = out.join(manifest::PATH);
    let good = std::fs::read(&m).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    for bad in [
        b"{\"format\":2,\"binary\":".to_vec(),
        Vec::from(&b"\xff\xfe not json"[..]),
        text.replacen("\"format\":2", "\"format\":99", 1)
            .into_bytes(),
        text.replacen("\"site\":\"", "\"site\":\"0", 1).into_bytes(),
    ] {
        std::fs::write(&m, &bad).unwrap();
        // A page damaged behind camnang's back is put right by the full build.
        std::fs::write(out.join("guides/thu-tuc-00003/index.html"), "tampered").unwrap();
        let r = build(&content, &out);
        assert_eq!(r.rendered, GUIDES, "{}", String::from_utf8_lossy(&bad));
        assert_eq!(std::fs::read(&m).unwrap(), good);
        assert_ne!(
            std::fs::read_to_string(out.join("guides/thu-tuc-00003/index.html")).unwrap(),
            "tampered"
        );
    }
    std::fs::remove_file(&m).unwrap();
    assert_eq!(build(&content, &out).rendered, GUIDES);
    assert_eq!(std::fs::read(&m).unwrap(), good);
}

/// A damaged or foreign parse cache means every guide is parsed again; a screenshot that
/// changed means the guides showing it are.
#[test]
fn parse_cache_is_used_only_when_it_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let content = site(tmp.path());
    let out = tmp.path().join("public");
    build(&content, &out);
    // The cache's files (shards of the guide files): in each, the first line (format and
    // binary, JSON), then records: 4 bytes of length, the path, a tab, the hash, a tab,
    // the entry.
    let dir = out.join(camnang::content::parse_cache::PATH);
    let shards = || -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().into_string().unwrap(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let all = shards();
    assert!(all.len() > 1 && all.len() <= camnang::content::parse_cache::SHARDS);
    let heads = |b: &[u8]| b.iter().position(|b| *b == b'\n').unwrap() + 1;
    let records = |b: &[u8]| {
        let mut at = heads(b);
        let mut out = Vec::new();
        while at < b.len() {
            let len = u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
            out.push(at..at + 4 + len);
            at += 4 + len;
        }
        assert_eq!(at, b.len());
        out
    };
    assert_eq!(
        all.values().map(|b| records(b).len()).sum::<usize>(),
        GUIDES
    );
    let write_all = |f: &dyn Fn(&[u8]) -> Vec<u8>| {
        for (name, b) in &all {
            std::fs::write(dir.join(name), f(b)).unwrap();
        }
    };
    let replaced = |b: &[u8], from: &str, to: &str| {
        let h = String::from_utf8(b[..heads(b)].to_vec()).unwrap();
        assert!(h.contains(from), "{h}");
        [h.replacen(from, to, 1).as_bytes(), &b[heads(b)..]].concat()
    };
    type Damage<'a> = &'a dyn Fn(&[u8]) -> Vec<u8>;
    let bad: [Damage; 5] = [
        &|_| b"\xff\xfe not a cache".to_vec(),
        &|b| replaced(b, "{\"format\":2", "{\"format\":9"),
        &|b| replaced(b, "\"binary\":\"", "\"binary\":\"0"),
        &|b| b[..heads(b) - 1].to_vec(),
        &|b| b[..heads(b)].to_vec(),
    ];
    for f in bad {
        write_all(f);
        let r = build(&content, &out);
        assert_eq!(r.parsed, GUIDES);
        assert_eq!(shards(), all);
    }
    // In the file with the most guides: an entry that does not decode (the bytes after
    // its path and hash made 0xff, the framing kept): that guide is parsed again.
    let (name, good) = all.iter().max_by_key(|(_, b)| records(b).len()).unwrap();
    let p = dir.join(name);
    let rs = records(good);
    assert!(rs.len() > 1);
    let second = rs[1].clone();
    assert!(good[second.start + 4..].starts_with(b"guides/"));
    let mut damaged = good.clone();
    let tabs: Vec<usize> = (second.start + 4..second.end)
        .filter(|&i| good[i] == b'\t')
        .take(2)
        .collect();
    damaged[tabs[1] + 1..second.end].fill(0xff);
    std::fs::write(&p, &damaged).unwrap();
    assert_eq!(build(&content, &out).parsed, 1);
    assert_eq!(shards(), all);
    // A file cut short in its last record, or whose last record claims more bytes than
    // there are: the other records hold.
    let last = rs.last().unwrap().clone();
    let mut long = good.clone();
    long[last.start..last.start + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    for bad in [good[..good.len() - 1].to_vec(), long] {
        std::fs::write(&p, &bad).unwrap();
        assert_eq!(build(&content, &out).parsed, 1);
        assert_eq!(shards(), all);
    }
    // A file missing: its guides are parsed; one put in another file's place: not used.
    std::fs::remove_file(&p).unwrap();
    assert_eq!(build(&content, &out).parsed, rs.len());
    let other = all.keys().find(|n| *n != name).unwrap();
    std::fs::write(dir.join(other), good).unwrap();
    assert_eq!(build(&content, &out).parsed, records(&all[other]).len());
    assert_eq!(shards(), all);
    // As it is: nothing parsed, no file written again.
    let stamps = || {
        all.keys()
            .map(|n| std::fs::metadata(dir.join(n)).unwrap().modified().unwrap())
            .collect::<Vec<_>>()
    };
    let before = stamps();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(build(&content, &out).parsed, 0);
    assert_eq!(stamps(), before);
    // Every guide shows the same screenshot (`images/man-hinh.svg`).
    let shows = std::fs::read_dir(content.join("guides"))
        .unwrap()
        .filter(|e| {
            std::fs::read_to_string(e.as_ref().unwrap().path())
                .unwrap()
                .contains("images/man-hinh.svg")
        })
        .count();
    assert!(shows > 0);
    std::fs::write(
        content.join("images/man-hinh.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 480\"></svg>\n",
    )
    .unwrap();
    assert_eq!(build(&content, &out).parsed, shows);
}
