//! Building whole sites: QR codes decode to the intended portal URLs, nothing is loaded
//! from outside, builds are byte-identical, a failed build keeps the previous output, and
//! raw HTML is sanitised.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    site_files(dir)
}

fn build(content: &Path, out: &Path) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_camnang"))
        .args(["build", "--lang", "en", "-q"])
        .arg(content)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "build failed:\n{}", stderr(&o));
}

/// Decodes the first QR code in an SVG by rasterising it (resvg) and reading it (rqrr).
fn decode_svg_qr(svg: &str) -> String {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).expect("valid SVG");
    let size = tree.size();
    let scale = 8.0;
    let (w, h) = (
        (size.width() * scale) as u32,
        (size.height() * scale) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let px = pixmap.data();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
        let i = (y * w as usize + x) * 4;
        ((u16::from(px[i]) + u16::from(px[i + 1]) + u16::from(px[i + 2])) / 3) as u8
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "expected exactly one QR code");
    grids[0].decode().expect("QR decodes").1
}

/// The inline QR SVG and the URL printed under it, from a guide page.
fn qr_of(html: &str) -> (String, String) {
    let start = html
        .find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\"")
        .expect("QR svg");
    let end = html[start..].find("</svg>").unwrap() + start + 6;
    let marker = "<p class=\"qr-url\"><a href=\"";
    let u = html.find(marker).expect("URL under the QR") + marker.len();
    let url = &html[u..u + html[u..].find('"').unwrap()];
    (html[start..end].to_string(), url.replace("&amp;", "&"))
}

#[test]
fn fixture_qr_codes_decode_to_the_portal_urls() {
    let tmp = tempfile::tempdir().unwrap();
    build(&fixtures().join("ok"), &tmp.path().join("out"));
    let expect = [
        (
            "dang-ky-khai-sinh",
            "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7",
        ),
        (
            "chung-thuc-ban-sao",
            "https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword=2.000815",
        ),
    ];
    for (slug, url) in expect {
        let html =
            std::fs::read_to_string(tmp.path().join(format!("out/guides/{slug}/index.html")))
                .unwrap();
        let (svg, printed) = qr_of(&html);
        assert_eq!(printed, url, "{slug}: printed URL");
        assert_eq!(decode_svg_qr(&svg), url, "{slug}: decoded QR");
    }
}

#[test]
fn bundled_site_qr_codes_decode_and_stay_on_allowed_hosts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo().join("content"), &out);
    let site = std::fs::read_to_string(repo().join("content/site.yaml")).unwrap();
    let mut n = 0;
    for (path, bytes) in files(&out) {
        if !(path.contains("guides/") && path.ends_with("index.html")) {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let (svg, printed) = qr_of(&html);
        assert_eq!(decode_svg_qr(&svg), printed, "{path}");
        let host = url::Url::parse(&printed)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string();
        assert!(printed.starts_with("https://"), "{path}: {printed}");
        assert!(
            site.contains(&format!("- {host}\n")),
            "{path}: host {host} not in allowed_hosts"
        );
        n += 1;
    }
    assert!(
        n >= 10,
        "the bundled site must have at least 10 guides, found {n}"
    );
}

/// Attribute values (`name`, `value`) of every tag in an HTML document, with the tag name.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let start = i + p + 1;
        i = start;
        if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[start..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| start + e);
        let tag = html[start..name_end].to_ascii_lowercase();
        let mut j = name_end;
        loop {
            while j < b.len() && (b[j] as char).is_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'/' {
                break;
            }
            let an_end = html[j..]
                .find(|c: char| c == '=' || c.is_whitespace() || c == '>')
                .map_or(html.len(), |e| j + e);
            let attr = html[j..an_end].to_ascii_lowercase();
            j = an_end;
            if b.get(j) == Some(&b'=') {
                j += 1;
                let (v, next) = match b.get(j) {
                    Some(b'"') | Some(b'\'') => {
                        let q = b[j] as char;
                        let e = html[j + 1..].find(q).map_or(html.len(), |e| j + 1 + e);
                        (html[j + 1..e].to_string(), e + 1)
                    }
                    _ => {
                        let e = html[j..]
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .map_or(html.len(), |e| j + e);
                        (html[j..e].to_string(), e)
                    }
                };
                out.push((tag.clone(), attr, v.replace("&amp;", "&")));
                j = next;
            }
        }
        i = j;
    }
    out
}

fn is_absolute(u: &str) -> bool {
    let l = u.trim().to_ascii_lowercase();
    l.starts_with("//")
        || (l.contains(':')
            && !l.starts_with("tel:")
            && !l.starts_with("mailto:")
            && !l.starts_with('#'))
}

#[test]
fn bundled_site_loads_nothing_from_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&repo().join("content"), &out);
    // Links may go to allowed portal hosts and to cited sources only.
    let content = repo().join("content");
    let mut cited: BTreeSet<String> = BTreeSet::new();
    for e in walkdir::WalkDir::new(content.join("guides")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            for line in text.lines() {
                if let Some(u) = line
                    .trim()
                    .strip_prefix("url:")
                    .or_else(|| line.trim().strip_prefix("- url:"))
                {
                    cited.insert(u.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    let hosts = [
        "dichvucong.gov.vn",
        "lienthong.dichvucong.gov.vn",
        "vneid.gov.vn",
    ];
    let mut problems = Vec::new();
    for (path, bytes) in files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") {
            for (tag, attr, value) in attributes(&text) {
                if !matches!(
                    attr.as_str(),
                    "href"
                        | "src"
                        | "srcset"
                        | "action"
                        | "formaction"
                        | "poster"
                        | "data"
                        | "xlink:href"
                        | "background"
                ) {
                    continue;
                }
                if !is_absolute(&value) {
                    continue;
                }
                let ok = tag == "a"
                    && attr == "href"
                    && (cited.contains(&value)
                        || url::Url::parse(&value).is_ok_and(|u| {
                            u.scheme() == "https" && hosts.contains(&u.host_str().unwrap_or(""))
                        }));
                if !ok {
                    problems.push(format!("{path}: <{tag} {attr}=\"{value}\">"));
                }
            }
            if text.contains("@import") {
                problems.push(format!("{path}: @import"));
            }
        }
        if path.ends_with(".css") {
            for part in text.split("url(").skip(1) {
                let u = part
                    .split(')')
                    .next()
                    .unwrap_or("")
                    .trim_matches(|c| c == '"' || c == '\'');
                if is_absolute(u) && !u.starts_with("data:") {
                    problems.push(format!("{path}: url({u})"));
                }
            }
            if text.contains("@import") {
                problems.push(format!("{path}: @import"));
            }
        }
        if path.ends_with(".js") {
            for bad in [
                "fetch(",
                "XMLHttpRequest",
                "WebSocket",
                "EventSource",
                "sendBeacon",
                "http://",
                "https://",
            ] {
                if text.contains(bad) {
                    problems.push(format!("{path}: uses {bad}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "outside references:\n{}",
        problems.join("\n")
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    build(&repo().join("content"), &tmp.path().join("a"));
    build(&repo().join("content"), &tmp.path().join("b"));
    let a = files(&tmp.path().join("a"));
    let b = files(&tmp.path().join("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between two builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    let out = tmp.path().join("public");
    build(&content, &out);
    let before = files(&out);
    std::fs::write(content.join("guides/hong.yaml"), "title: [unclosed\n").unwrap();
    let o = camnang(
        tmp.path(),
        &["build", "content", "-o", "public", "--lang", "en"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).ends_with("1 error, 0 warnings; the previous output was left as it was\n"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        files(&out),
        before,
        "the output changed after a failed build"
    );
    assert_no_leftovers(tmp.path());
}

#[test]
fn refuses_to_overwrite_a_folder_it_did_not_make() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    std::fs::create_dir_all(tmp.path().join("docs")).unwrap();
    std::fs::write(tmp.path().join("docs/thesis.txt"), "precious").unwrap();
    let o = camnang(
        tmp.path(),
        &["build", "content", "-o", "docs", "--lang", "en"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("docs exists and was not made by camnang"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("docs/thesis.txt")).unwrap(),
        "precious"
    );
    let o = camnang(tmp.path(), &["build", "content", "-o", ".", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("contains the content folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn raw_html_is_sanitised() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&fixtures().join("ok"), &content);
    let path = content.join("guides/dang-ky-khai-sinh.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "text: Bấm \"Nộp hồ sơ\".",
        "text: |\n      Bấm <b onclick=\"steal()\">Nộp</b><script>alert(1)</script><iframe></iframe><style>body{}</style> nhé.",
    );
    std::fs::write(&path, text).unwrap();
    let out = tmp.path().join("out");
    build(&content, &out);
    let html = std::fs::read_to_string(out.join("guides/dang-ky-khai-sinh/index.html")).unwrap();
    assert!(html.contains("Bấm <b>Nộp</b>"), "kept safe markup");
    for bad in [
        "onclick",
        "<script>alert",
        "<iframe",
        "steal()",
        "<style>body",
    ] {
        assert!(!html.contains(bad), "{bad} survived sanitising");
    }
}

/// Inode of every file of a site (path → inode): a file that keeps its inode was not
/// rewritten.
#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, e.metadata().unwrap().ino())
        })
        .collect()
}

/// The `ok` fixture in `dir/content` with a copy of its birth registration guide as
/// `ban-sao.yaml` (another code): the content folder, its guides folder and the original's
/// text.
fn ok_with_a_copy(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let content = dir.join("content");
    copy_dir(&fixtures().join("ok"), &content);
    let g = content.join("guides");
    let khai_sinh = std::fs::read_to_string(g.join("dang-ky-khai-sinh.yaml")).unwrap();
    let extra = khai_sinh.replace("\"1.001193\"", "\"9.999999\"");
    assert_ne!(extra, khai_sinh);
    std::fs::write(g.join("ban-sao.yaml"), extra).unwrap();
    (content, g, khai_sinh)
}

#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_what_changed_and_equals_a_fresh_build() {
    let tmp = tempfile::tempdir().unwrap();
    let (content, g, khai_sinh) = ok_with_a_copy(tmp.path());
    let out = tmp.path().join("public");
    build(&content, &out);
    let before = inodes(&out);
    assert!(before.contains_key("guides/ban-sao/index.html"));

    // Nothing changed: nothing is rewritten.
    let o = camnang(
        tmp.path(),
        &["build", "content", "-o", "public", "-v", "--lang", "en"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("  0 files new or changed, 0 old files removed, the rest left as it was\n"),
        "{}",
        stderr(&o)
    );
    assert_eq!(inodes(&out), before);

    // One guide edited, one removed: its page, printables and kiosk file change; the
    // removed guide's files are gone; the result is exactly a fresh build.
    let (edited_slug, removed_slug) = ("dang-ky-khai-sinh", "ban-sao");
    std::fs::write(
        g.join("dang-ky-khai-sinh.yaml"),
        khai_sinh.replacen("title: ", "title: Sửa — ", 1),
    )
    .unwrap();
    std::fs::remove_file(g.join("ban-sao.yaml")).unwrap();
    build(&content, &out);
    let after = inodes(&out);
    for gone in [
        format!("guides/{removed_slug}/index.html"),
        format!("print/{removed_slug}/a4.html"),
    ] {
        assert!(
            before.contains_key(&gone) && !after.contains_key(&gone),
            "{gone}"
        );
    }
    // The kiosk file of their group (all twelve guides) has the edit and not the removed one.
    let kiosk = std::fs::read_to_string(out.join("kiosk/guides/0.js")).unwrap();
    assert!(!kiosk.contains(&format!("Kiosk.put(\"{removed_slug}\"")));
    assert!(kiosk.contains(&format!("Kiosk.put(\"{edited_slug}\"")) && kiosk.contains("Sửa — "));
    let page = format!("guides/{edited_slug}/index.html");
    assert_ne!(
        after[&page], before[&page],
        "the edited guide's page was not rewritten"
    );
    let font = "assets/fonts/OFL.txt";
    assert_eq!(after[font], before[font], "an unchanged file was rewritten");
    let fresh = tmp.path().join("fresh");
    build(&content, &fresh);
    assert_eq!(
        files(&out),
        files(&fresh),
        "a rebuild differs from a fresh build"
    );
    assert_no_leftovers(tmp.path());
}

/// Each build leaves the list of its files (`.camnang-files`), and a rebuild removes the
/// files the new site no longer has from that list. A doctored list cannot make it remove
/// anything outside the output folder: it is then ignored and the folder walked.
#[test]
fn the_file_list_names_the_output_and_cannot_reach_outside_it() {
    use camnang::output::staging::{FILES, MARKER};
    let tmp = tempfile::tempdir().unwrap();
    let (content, g, _) = ok_with_a_copy(tmp.path());
    let out = tmp.path().join("public");
    build(&content, &out);
    let listed = || -> BTreeSet<String> {
        std::fs::read_to_string(out.join(FILES))
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    };
    let on_disk: BTreeSet<String> = files(&out)
        .into_keys()
        .filter(|p| p != FILES && p != MARKER)
        .collect();
    assert_eq!(listed(), on_disk);

    // A guide removed: its files leave the output and the list.
    assert!(listed().contains("guides/ban-sao/index.html"));
    std::fs::remove_file(g.join("ban-sao.yaml")).unwrap();
    build(&content, &out);
    assert!(!out.join("guides/ban-sao/index.html").exists());
    assert!(!out.join("guides/ban-sao").exists(), "empty folder left");
    assert!(!listed().iter().any(|p| p.contains("/ban-sao/")));

    // A list naming files outside the output folder: nothing outside is removed, and a
    // stray file inside is (the folder was walked).
    let outside = tmp.path().join("keep-me.txt");
    std::fs::write(&outside, "x").unwrap();
    std::fs::write(out.join("stray.txt"), "x").unwrap();
    let mut doctored = std::fs::read_to_string(out.join(FILES)).unwrap();
    doctored.push_str("../keep-me.txt\n");
    std::fs::write(out.join(FILES), doctored).unwrap();
    build(&content, &out);
    assert!(outside.exists(), "a file outside the output was removed");
    assert!(!out.join("stray.txt").exists());
    let fresh = tmp.path().join("fresh");
    build(&content, &fresh);
    assert_eq!(files(&out), files(&fresh));
}
