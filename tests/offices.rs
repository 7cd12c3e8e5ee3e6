//! Many offices from one content tree (issue #15): `provinces/` and `offices/` layered on
//! the national guides, one complete site per office, the province index, `--office`.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// The `ok` fixture with the example province of `fixtures/offices` laid over it: Hải Phòng
/// (Lê Chân, Ngô Quyền; a fee of its own for certified copies) and Gia Lai (Pleiku, which
/// does not handle civil-status procedures).
fn province() -> tempfile::TempDir {
    let w = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("ok"), &w.path().join("content"));
    copy_dir(&fixtures().join("offices"), &w.path().join("content"));
    w
}

fn build(w: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["build", "content", "-o", "out", "--lang", "en"];
    all.extend_from_slice(args);
    let o = camnang(w, &all);
    (o.status.code(), stderr(&o))
}

fn files_of(dir: PathBuf) -> Vec<(String, String)> {
    site_files(&dir)
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

/// Runs `f` on a pool of one thread. The offices render in parallel: two that start at
/// the same time may both render a page neither found in the cache yet, so tests that
/// count pages render one office after the other.
fn one_thread<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(f)
}

const PHONES: &[(&str, &str)] = &[
    ("le-chan", "0225 3 111 111"),
    ("ngo-quyen", "0225 3 222 222"),
    ("pleiku", "0269 3 333 333"),
];

#[test]
fn every_office_gets_a_complete_site_and_the_index_lists_them() {
    let w = province();
    let (code, text) = build(w.path(), &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("\nBuilt 2 guides for 3 offices, "),
        "the summary counts the offices: {text}"
    );
    let out = w.path().join("out");
    for (id, _) in PHONES {
        for f in [
            "index.html",
            "assets/style.css",
            "kiosk/index.html",
            "print/index.html",
            "guides/chung-thuc-ban-sao/index.html",
            ".camnang-output",
        ] {
            assert!(out.join(id).join(f).is_file(), "{id}/{f}");
        }
    }
    // Pleiku does not handle `ho-tich`: no page, no leaflet, not in its search index.
    assert!(
        out.join("le-chan/guides/dang-ky-khai-sinh/index.html")
            .is_file()
    );
    assert!(!out.join("pleiku/guides/dang-ky-khai-sinh").exists());
    assert!(!out.join("pleiku/print/dang-ky-khai-sinh").exists());
    let kiosk: String = files_of(out.join("pleiku/kiosk"))
        .into_iter()
        .filter(|(p, _)| !p.starts_with("assets/"))
        .map(|f| f.1)
        .collect();
    assert!(!kiosk.contains("dang-ky-khai-sinh"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for (id, phone) in PHONES {
        assert!(
            index.contains(&format!("href=\"{id}/index.html\"")),
            "{index}"
        );
        assert!(index.contains(phone));
    }
    assert!(index.contains("<h2 id=\"p-hai-phong\">Thành phố Hải Phòng</h2>"));
    assert!(out.join("assets/style.css").is_file());
}

#[test]
fn no_office_output_contains_another_offices_phone_number() {
    let w = province();
    assert_eq!(build(w.path(), &[]).0, Some(0));
    for (id, own) in PHONES {
        let files = files_of(w.path().join("out").join(id));
        assert!(
            files.iter().any(|(_, t)| t.contains(own)),
            "{id} lacks its phone"
        );
        for (other, phone) in PHONES.iter().filter(|(o, _)| o != id) {
            for (path, text) in &files {
                assert!(
                    !text.contains(phone),
                    "{id}/{path} has {other}'s phone {phone}"
                );
            }
        }
    }
}

#[test]
fn a_provinces_fee_is_on_all_its_leaflets_and_on_no_other() {
    let w = province();
    assert_eq!(build(w.path(), &[]).0, Some(0));
    let fee = "3.000 đồng/trang (mức ví dụ của tỉnh).";
    let national = "2.000 đồng/trang.";
    for (id, in_hai_phong) in [("le-chan", true), ("ngo-quyen", true), ("pleiku", false)] {
        let dir = w.path().join("out").join(id);
        let p = dir.join("print/chung-thuc-ban-sao/a4.html");
        let leaflet = std::fs::read_to_string(&p).unwrap();
        assert_eq!(leaflet.contains(fee), in_hai_phong, "{}", p.display());
        assert_eq!(leaflet.contains(national), !in_hai_phong, "{}", p.display());
        let page =
            std::fs::read_to_string(dir.join("guides/chung-thuc-ban-sao/index.html")).unwrap();
        assert_eq!(page.contains(fee), in_hai_phong, "{id}");
    }
    // Hải Phòng's hotline is on its offices' pages only.
    let hotline = |id: &str| {
        std::fs::read_to_string(w.path().join("out").join(id).join("index.html"))
            .unwrap()
            .contains("0225 1022")
    };
    assert!(hotline("le-chan") && hotline("ngo-quyen") && !hotline("pleiku"));
}

#[test]
fn an_office_note_is_on_that_offices_page_and_leaflet_only() {
    let w = province();
    assert_eq!(build(w.path(), &[]).0, Some(0));
    let note = "Thứ Bảy có cán bộ trực nhận hồ sơ khai sinh.";
    let read =
        |id: &str, f: &str| std::fs::read_to_string(w.path().join("out").join(id).join(f)).unwrap();
    assert!(read("le-chan", "guides/dang-ky-khai-sinh/index.html").contains(note));
    assert!(read("le-chan", "print/dang-ky-khai-sinh/a4.html").contains(note));
    assert!(!read("ngo-quyen", "guides/dang-ky-khai-sinh/index.html").contains(note));
}

#[test]
fn build_office_builds_one_site_into_its_folder() {
    let w = province();
    let (code, text) = build(w.path(), &["--office", "pleiku"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        w.path()
            .join("out/pleiku/guides/chung-thuc-ban-sao/index.html")
            .is_file()
    );
    assert!(!w.path().join("out/le-chan").exists());
    assert!(!w.path().join("out/index.html").exists());
    // After a full build, one office can be rebuilt in place.
    assert_eq!(build(w.path(), &[]).0, Some(0));
    let (code, text) = build(w.path(), &["--office", "le-chan"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(w.path().join("out/index.html").is_file());
    let (code, text) = build(w.path(), &["--office", "le-chann"]);
    assert_eq!(
        (code, text),
        (
            Some(1),
            "--office le-chann: there is no file offices/le-chann.yaml\n  hint: did you mean `le-chan`?\n".into()
        )
    );
    // In Vietnamese, the site's language, when no --lang is given.
    let o = camnang(
        w.path(),
        &["build", "content", "-o", "out", "--office", "le-chann"],
    );
    assert_eq!(
        (o.status.code(), stderr(&o)),
        (
            Some(1),
            "--office le-chann: không có tệp offices/le-chann.yaml\n  gợi ý: có phải ý bạn là `le-chan`?\n".into()
        )
    );
}

#[test]
fn mistakes_in_office_and_province_files_name_file_line_key_and_hint() {
    let w = province();
    let c = w.path().join("content");
    std::fs::write(
        c.join("provinces/hai-phong.yaml"),
        "name: Thành phố Hải Phòng\nguides:\n  chung-thuc-ban-sau:\n    fee: 3.000 đồng\n    fees: x\n",
    )
    .unwrap();
    std::fs::write(
        c.join("offices/pleiku.yaml"),
        "province: gia-la\nname: UBND phường Pleiku\naddress: x\nphone: \"1\"\nhours: [x]\nskip: [ho-tic]\nnotes:\n  dang-ky-khai-sin: x\nemial: a@b\n",
    )
    .unwrap();
    let o = camnang(w.path(), &["check", "content", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "content/offices/pleiku.yaml:1:11: error: province: there is no province `gia-la` in `provinces/`
  hint: did you mean `gia-lai`?
content/offices/pleiku.yaml:6:7: error: skip: there is no guide `ho-tic`
  hint: did you mean `ho-tich`?
content/offices/pleiku.yaml:8:3: error: notes.dang-ky-khai-sin: there is no guide `dang-ky-khai-sin`
  hint: did you mean `dang-ky-khai-sinh`?
content/offices/pleiku.yaml:9:1: error: emial: unknown key `emial`
  hint: did you mean `email`?
content/provinces/hai-phong.yaml:3:3: error: guides.chung-thuc-ban-sau: there is no guide `chung-thuc-ban-sau`
  hint: did you mean `chung-thuc-ban-sao`?
content/provinces/hai-phong.yaml:5:5: error: guides.chung-thuc-ban-sau.fees: unknown key `fees`
  hint: did you mean `fee`?
6 errors, 0 warnings
"
    );
}

#[test]
fn a_qr_host_only_one_province_allows_is_refused_for_the_others() {
    let w = province();
    let c = w.path().join("content");
    let g = c.join("guides/chung-thuc-ban-sao.md");
    let text = std::fs::read_to_string(&g).unwrap();
    let text = text.replacen(
        "code: \"2.000815\"\n",
        "code: \"2.000815\"\nportal:\n  url: https://dichvucong.gialai.gov.vn/thu-tuc/2.000815\n",
        1,
    );
    std::fs::write(&g, text).unwrap();
    let o = camnang(w.path(), &["check", "content", "--lang", "en"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for office in ["le-chan", "ngo-quyen"] {
        assert!(err.contains(&format!(
            "content/offices/{office}.yaml:1:11: error: province: {office} serves guides/chung-thuc-ban-sao.md, whose QR link goes to dichvucong.gialai.gov.vn, which province `hai-phong` does not allow\n  hint: add `dichvucong.gialai.gov.vn` to `allowed_hosts` in provinces/hai-phong.yaml, or add `chung-thuc-ban-sao` to this office's `skip`\n"
        )), "{err}");
    }
    assert!(!err.contains("offices/pleiku.yaml"), "{err}");
}

/// A build's cache (`PageCache::shared_only`) keeps only a guide's own pages (fewer than
/// `serve`'s, which keeps every page), shares the same work as `serve`'s, and the files are
/// the same: the booklet's chapters and the packs' sheets taken from the guides' passes
/// equal those rendered on their own (as `serve`, whose cache keeps each chapter, renders
/// the booklet), and each office's parts are put in the pages another office rendered.
#[test]
fn a_build_keeps_only_guide_pages_and_renders_the_same_files_as_serve() {
    use camnang::render::cache::PageCache;
    let w = province();
    let c = camnang::content::load_content(&w.path().join("content")).unwrap();
    let render = |cache: &PageCache| {
        let sink = camnang::render::sink::Collect::default();
        one_thread(|| {
            camnang::render::offices::offices_into(
                &c,
                None,
                &camnang::progress::Quiet,
                cache,
                &sink,
            )
        })
        .unwrap();
        let files: Vec<(String, Option<Vec<u8>>)> = sink
            .into_files()
            .into_iter()
            .map(|f| (f.path, f.data.in_memory().map(<[u8]>::to_vec)))
            .collect();
        (files, cache.work(), cache.misses())
    };
    let build = PageCache::shared_only();
    let (built, build_work, build_pages) = render(&build);
    let (served, serve_work, serve_pages) = render(&PageCache::default());
    assert!(!build.keeps_pages());
    assert!(
        build_pages > 0 && build_pages < serve_pages,
        "{build_pages} {serve_pages}"
    );
    assert_eq!(build_work.qr_codes, serve_work.qr_codes);
    assert_eq!(build_work.markdown, serve_work.markdown);
    assert_eq!(build_work.search_terms, serve_work.search_terms);
    assert_eq!(built.len(), served.len());
    for (b, s) in built.iter().zip(&served) {
        assert_eq!(b.0, s.0);
        assert!(b.1 == s.1, "{} differs", b.0);
    }
    assert!(
        built
            .iter()
            .any(|(p, _)| p == "le-chan/print/booklet/index.html")
    );
    assert!(
        built
            .iter()
            .any(|(p, _)| p == "le-chan/print/leaflets/index.html")
    );
}

/// Markdown, QR codes and search terms are made once per guide, not once per office.
#[test]
fn shared_work_is_done_once_per_guide_not_once_per_office() {
    let w = province();
    std::fs::write(
        w.path().join("content/offices/pleiku.yaml"),
        "province: gia-lai\nname: UBND phường Pleiku\naddress: x\nphone: \"0269\"\nhours: [x]\n",
    )
    .unwrap();
    let c = camnang::content::load_content(&w.path().join("content")).unwrap();
    let work = |only: Option<&str>| {
        let cache = camnang::render::cache::PageCache::default();
        let sink = camnang::render::sink::Collect::default();
        // In parallel: a value two offices ask for at the same time is still made once.
        camnang::render::offices::offices_into(&c, only, &camnang::progress::Quiet, &cache, &sink)
            .unwrap();
        cache.work()
    };
    let one = work(Some("le-chan"));
    assert!(
        one.qr_codes > 0 && one.markdown > 0 && one.search_terms > 0,
        "{one:?}"
    );
    let all = work(None);
    // The note of Lê Chân is the only Markdown the other offices do not have.
    assert_eq!(all.qr_codes, one.qr_codes);
    assert_eq!(all.search_terms, one.search_terms + 1, "{all:?} {one:?}");
}

/// A guide's own pages (page, leaflets, poster, booklet chapter, kiosk part) are rendered
/// once for all the offices that see the guide the same: a third office of Hải Phòng, with
/// no notes, renders none; each of its pages has its own contacts and none of the others'.
#[test]
fn a_guides_pages_are_rendered_once_for_the_offices_that_see_it_the_same() {
    let w = province();
    let content = w.path().join("content");
    let pages = |c: &camnang::content::Content| {
        let cache = camnang::render::cache::PageCache::shared_only();
        let sink = camnang::render::sink::Collect::default();
        one_thread(|| {
            camnang::render::offices::offices_into(
                c,
                None,
                &camnang::progress::Quiet,
                &cache,
                &sink,
            )
        })
        .unwrap();
        (cache.work().pages, files_of_sink(sink))
    };
    let (two, _) = pages(&camnang::content::load_content(&content).unwrap());
    std::fs::write(
        content.join("offices/hong-bang.yaml"),
        "province: hai-phong\nname: UBND phường Hồng Bàng\naddress: Số 3 phố Ví Dụ\nphone: \"0225 3 444 444\"\nhours: [\"Thứ Hai – Thứ Sáu\"]\n",
    )
    .unwrap();
    let (three, files) = pages(&camnang::content::load_content(&content).unwrap());
    assert!(two > 0);
    assert_eq!(three, two, "the new office rendered guide pages of its own");
    let mut guide_pages = 0;
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("hong-bang/")) {
        if path.contains("/guides/") || path.starts_with("hong-bang/print/chung-thuc") {
            guide_pages += 1;
            assert!(text.contains("0225 3 444 444"), "{path}");
        }
        for (_, phone) in PHONES {
            assert!(!text.contains(phone), "{path} has {phone}");
        }
    }
    assert!(guide_pages >= 5, "{guide_pages}");
}

fn files_of_sink(sink: camnang::render::sink::Collect) -> Vec<(String, String)> {
    sink.into_files()
        .into_iter()
        .filter_map(|f| {
            let text = String::from_utf8_lossy(f.data.in_memory()?).into_owned();
            Some((f.path, text))
        })
        .collect()
}

/// The QR codes of each page of `pdf`, page by page.
fn qr_per_page(pdf: &Path, tmp: &Path) -> Vec<Vec<String>> {
    let stem = tmp.join(pdf.file_stem().unwrap());
    tool(
        "pdftoppm",
        &[
            "-r",
            "100",
            "-gray",
            "-png",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    let mut pages: Vec<PathBuf> = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    let codes = pages
        .iter()
        .map(|p| {
            let out = tool(
                "zbarimg",
                &["-q", "--raw", "-Sqrcode.enable", p.to_str().unwrap()],
            );
            out.lines().map(str::to_string).collect()
        })
        .collect();
    for p in pages {
        std::fs::remove_file(p).unwrap();
    }
    codes
}

/// The print pack of an office: every A4 leaflet in one PDF and every poster in another,
/// one sheet per guide in site order, each with its guide's QR code.
#[test]
fn each_office_has_a_print_pack_of_leaflets_and_posters() {
    let w = province();
    let (code, text) = build(w.path(), &["--office", "le-chan", "--pdf"]);
    assert_eq!(code, Some(0), "{text}");
    let dir = w.path().join("out/le-chan/print");
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"leaflets/leaflets-a4.pdf\""),
        "{index}"
    );
    assert!(index.contains("href=\"posters/posters.pdf\""), "{index}");
    let want = vec![
        vec![
            "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"
                .to_string(),
        ],
        vec!["https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword=2.000815".to_string()],
    ];
    for pdf in ["leaflets/leaflets-a4.pdf", "posters/posters.pdf"] {
        let tmp = tempfile::tempdir().unwrap();
        let info = tool("pdfinfo", &[dir.join(pdf).to_str().unwrap()]);
        assert!(info.contains("Pages:           2\n"), "{pdf}: {info}");
        assert!(info.contains("(A4)"), "{pdf}: {info}");
        assert_eq!(qr_per_page(&dir.join(pdf), tmp.path()), want, "{pdf}");
    }
    let text = tool(
        "pdftotext",
        &[dir.join("leaflets/leaflets-a4.pdf").to_str().unwrap(), "-"],
    );
    assert!(
        text.contains("0225 3 111 111") && text.contains("3.000 đồng/trang"),
        "{text}"
    );
}

/// A guide an office lists under `extra` is that office's own: no other office serves it.
#[test]
fn an_offices_own_guide_is_served_by_that_office_only() {
    let w = province();
    let f = w.path().join("content/offices/ngo-quyen.yaml");
    let text = std::fs::read_to_string(&f).unwrap() + "extra: [chung-thuc-ban-sao]\n";
    std::fs::write(&f, text).unwrap();
    let (code, text) = build(w.path(), &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("content/guides/dang-ky-khai-sinh.yaml:27:11: warning: steps[1].text: office `le-chan` does not serve `chung-thuc-ban-sao`: this link is dead on its site\n  hint: remove the link: `chung-thuc-ban-sao` is listed under `extra` in offices/ngo-quyen.yaml, so only that office serves it\n"), "{text}");
    assert!(text.contains("content/offices/pleiku.yaml:1:1: warning: skip: office `pleiku` serves no guide: its site will be empty\n  hint: check `skip`; a guide another office lists under `extra` is that office's only\n"), "{text}");
    let has = |id: &str| {
        w.path()
            .join("out")
            .join(id)
            .join("guides/chung-thuc-ban-sao/index.html")
            .is_file()
    };
    assert!(has("ngo-quyen") && !has("le-chan") && !has("pleiku"));
    // Pleiku, which skips `ho-tich`, is left with no guide: its site says so, and so
    // does the province index.
    let index = std::fs::read_to_string(w.path().join("out/index.html")).unwrap();
    assert!(index.contains("0 procedures"), "{index}");
}

/// A province's rebuild goes through each office's manifest (`<id>/.camnang-manifest.json`):
/// an office whose inputs did not change keeps its files as they are (not even compared),
/// and after edits to a guide, a province's fee and an office's phone, and an office gone,
/// the output is byte for byte a clean build's.
#[test]
fn a_provinces_rebuild_goes_through_each_offices_manifest() {
    let w = province();
    let out = w.path().join("out");
    let clean = |name: &str| {
        let (code, text) = camnang_build_to(w.path(), name);
        assert_eq!(code, Some(0), "{text}");
        site_files(&w.path().join(name))
    };
    assert_eq!(build(w.path(), &[]).0, Some(0));
    for id in ["le-chan", "ngo-quyen", "pleiku"] {
        assert!(
            out.join(id).join(".camnang-manifest.json").is_file(),
            "{id}"
        );
    }
    // Nothing changed: a page changed by hand stays so (kept, not compared); removed, it
    // comes back.
    let page = out.join("ngo-quyen/guides/dang-ky-khai-sinh/index.html");
    let good = std::fs::read(&page).unwrap();
    std::fs::write(&page, "tampered").unwrap();
    assert_eq!(build(w.path(), &[]).0, Some(0));
    assert_eq!(std::fs::read(&page).unwrap(), b"tampered");
    std::fs::remove_file(&page).unwrap();
    assert_eq!(build(w.path(), &[]).0, Some(0));
    assert_eq!(std::fs::read(&page).unwrap(), good);
    let content = w.path().join("content");
    let edit = |rel: &str, from: &str, to: &str| {
        let p = content.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{from:?} not in {rel}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    let steps: [&dyn Fn(); 4] = [
        &|| {
            edit(
                "guides/dang-ky-khai-sinh.yaml",
                "Mở **dichvucong.gov.vn**",
                "Mở trang **dichvucong.gov.vn**",
            )
        },
        &|| {
            edit(
                "provinces/hai-phong.yaml",
                "3.000 đồng/trang",
                "4.000 đồng/trang",
            )
        },
        &|| edit("offices/le-chan.yaml", "0225 3 111 111", "0225 3 111 999"),
        &|| std::fs::remove_file(content.join("offices/pleiku.yaml")).unwrap(),
    ];
    for (i, step) in steps.iter().enumerate() {
        step();
        assert_eq!(build(w.path(), &[]).0, Some(0));
        assert_eq!(
            site_files(&out),
            clean(&format!("clean{i}")),
            "after edit {i}"
        );
    }
    assert!(!out.join("pleiku").exists());
}

/// `camnang build content -o NAME --lang en` in `w`, into a new folder.
fn camnang_build_to(w: &Path, name: &str) -> (Option<i32>, String) {
    let o = camnang(w, &["build", "content", "-o", name, "--lang", "en"]);
    (o.status.code(), stderr(&o))
}
