//! `camnang init`, `camnang new`, `--help` in each language and the progress output.

mod common;

use std::path::Path;

use common::*;

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = camnang(dir, args);
    (out.status.code(), stderr(&out))
}

#[test]
fn init_creates_a_site_that_builds_without_any_warning() {
    let w = tempfile::tempdir().unwrap();
    let (code, text) = run(w.path(), &["init", "site", "--lang", "en"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(
        text,
        "  site/site.yaml\n  site/README.md\n  site/.gitignore\n  site/guides/dang-ky-khai-sinh.yaml\n  site/images/dang-ky-khai-sinh/dang-nhap.svg\n  site/images/dang-ky-khai-sinh/chon-co-quan.svg\n  site/images/dang-ky-khai-sinh/to-khai.svg\n  site/images/dang-ky-khai-sinh/gui-ho-so.svg\nCreated a new site in site. Next:\n  cd site\n  camnang serve      preview at http://127.0.0.1:8008/, reloads when you save\nEdit site.yaml (the office's name, address, phone) and guides/; `camnang build` builds the site into public/.\n"
    );
    assert_eq!(
        run(w.path(), &["check", "site", "--strict", "--lang", "en"]),
        (Some(0), "0 errors, 0 warnings\n".into())
    );
    let (code, text) = run(w.path(), &["build", "site", "-o", "out", "--strict"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.ends_with("(0 lỗi, 0 cảnh báo)\n"), "{text}");
    let html =
        std::fs::read_to_string(w.path().join("out/guides/dang-ky-khai-sinh/index.html")).unwrap();
    assert!(html.contains("<h1>Đăng ký khai sinh</h1>"));
}

/// As with mdBook, Zola and Hugo: `init`, `cd` into the folder, and every command works
/// there without naming the content folder.
#[test]
fn every_command_works_inside_the_folder_init_made() {
    let w = tempfile::tempdir().unwrap();
    assert_eq!(run(w.path(), &["init", "cam-nang-phuong"]).0, Some(0));
    let site = w.path().join("cam-nang-phuong");
    assert_eq!(
        run(&site, &["check", "-v", "--lang", "en"]),
        (
            Some(0),
            "content folder: the current folder (it has site.yaml; there is no content/site.yaml)\n0 errors, 0 warnings\n".into()
        )
    );
    assert_eq!(
        run(&site, &["new", "dang-ky-ket-hon", "--lang", "en"]),
        (
            Some(0),
            "Created guides/dang-ky-ket-hon.yaml. Replace every \"CẦN ĐIỀN\" with the real text, then run `camnang check`.\n".into()
        )
    );
    assert!(site.join("guides/dang-ky-ket-hon.yaml").is_file());
    let (code, text) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.ends_with("Đã dựng 2 hướng dẫn, 53 tệp vào public (0 lỗi, 20 cảnh báo)\n"),
        "{text}"
    );
    assert!(
        site.join("public/guides/dang-ky-khai-sinh/index.html")
            .is_file()
    );
    // The output folder inside the project is not content: a rebuild reads the same guides.
    let (code, text) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.ends_with("Đã dựng 2 hướng dẫn, 53 tệp vào public (0 lỗi, 20 cảnh báo)\n"),
        "{text}"
    );
}

/// `./content` with a `site.yaml` comes first; a `content/` without one is not taken.
#[test]
fn the_content_subfolder_comes_first_and_v_says_which() {
    let w = tempfile::tempdir().unwrap();
    run(w.path(), &["init", "content"]);
    assert_eq!(
        run(w.path(), &["check", "-v", "--lang", "en"]),
        (
            Some(0),
            "content folder: content (it has site.yaml)\n0 errors, 0 warnings\n".into()
        )
    );
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("content")).unwrap();
    let (code, text) = run(empty.path(), &["check", "-v", "--lang", "en"]);
    assert_eq!(code, Some(1));
    assert!(
        text.starts_with("content folder: content (no site.yaml in content/ nor in the current folder)\ncontent/guides: error:"),
        "{text}"
    );
}

#[test]
fn init_site_yaml_comments_every_key_in_vietnamese() {
    let w = tempfile::tempdir().unwrap();
    run(w.path(), &["init", "s"]);
    let site = std::fs::read_to_string(w.path().join("s/site.yaml")).unwrap();
    for key in [
        "example:",
        "language:",
        "title:",
        "office:",
        "  name:",
        "  province:",
        "  desk:",
        "  address:",
        "  phone:",
        "  email:",
        "  hours:",
        "  home_visit:",
        "portal:",
        "  hotline:",
        "  detail_url:",
        "  search_url:",
        "  allowed_hosts:",
        "qr:",
        "  error_correction:",
        "anti_scam:",
        "categories:",
        "kiosk:",
        "  idle_seconds:",
        "review:",
        "  max_age_months:",
    ] {
        let line = site
            .lines()
            .position(|l| l.starts_with(key) || l.trim_start().starts_with(key.trim()))
            .unwrap_or_else(|| panic!("site.yaml has no {key}"));
        let lines: Vec<&str> = site.lines().collect();
        let commented = lines[line].contains(" # ")
            || lines[..line]
                .last()
                .is_some_and(|l| l.trim_start().starts_with('#'));
        assert!(commented, "{key} has no comment");
    }
    let readme = std::fs::read_to_string(w.path().join("s/README.md")).unwrap();
    assert!(readme.contains("camnang new"));
    assert!(readme.contains("camnang check"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let w = tempfile::tempdir().unwrap();
    std::fs::create_dir(w.path().join("s")).unwrap();
    std::fs::write(w.path().join("s/notes.txt"), "mine").unwrap();
    assert_eq!(
        run(w.path(), &["init", "s", "--lang", "en"]),
        (
            Some(1),
            "s is not empty: nothing was written\n  hint: give a new folder name, e.g. `camnang init cam-nang-phuong`\n".into()
        )
    );
    assert_eq!(
        run(w.path(), &["init", "s"]).1,
        "thư mục s không trống: chưa ghi gì cả\n  gợi ý: đặt tên một thư mục mới, ví dụ `camnang init cam-nang-phuong`\n"
    );
    assert_eq!(std::fs::read_dir(w.path().join("s")).unwrap().count(), 1);
    // An existing empty folder is fine.
    std::fs::create_dir(w.path().join("empty")).unwrap();
    assert_eq!(
        run(w.path(), &["init", "empty", "-q"]),
        (Some(0), String::new())
    );
}

fn new_site() -> tempfile::TempDir {
    let w = tempfile::tempdir().unwrap();
    run(w.path(), &["init", "content", "-q"]);
    w
}

const GUIDE_KEYS: &[&str] = &[
    "title:",
    "question:",
    "code:",
    "category:",
    "summary:",
    "audience:",
    "online_level:",
    "agency:",
    "fee:",
    "processing_time:",
    "result:",
    "reviewed:",
    "portal:",
    "  formality_id:",
    "documents:",
    "  - name:",
    "    form:",
    "    required:",
    "    count:",
    "    note:",
    "fields:",
    "  - label:",
    "    hint:",
    "steps:",
    "  - title:",
    "    short:",
    "    text:",
    "    # screenshot:",
    "    #   src:",
    "    #   alt:",
    "    #   caption:",
    "    #   highlight:",
    "    #   print:",
    "tips:",
    "warnings:",
    "legal_basis:",
    "sources:",
    "  - title:",
    "    url:",
    "related:",
];

#[test]
fn new_writes_every_key_with_a_comment_and_flags_the_placeholders() {
    let w = new_site();
    let (code, text) = run(w.path(), &["new", "dang-ky-ket-hon", "--lang", "en"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        text,
        "Created content/guides/dang-ky-ket-hon.yaml. Replace every \"CẦN ĐIỀN\" with the real text, then run `camnang check content`.\n"
    );
    let g = std::fs::read_to_string(w.path().join("content/guides/dang-ky-ket-hon.yaml")).unwrap();
    let lines: Vec<&str> = g.lines().collect();
    for key in GUIDE_KEYS {
        let i = lines
            .iter()
            .position(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in\n{g}"));
        if !key.starts_with(' ') {
            assert!(lines[i - 1].starts_with('#'), "{key} has no comment");
        }
    }
    assert!(g.contains("reviewed: 2026-11-22\n"));
    assert!(g.contains("category: ho-tich\n# ") || g.contains("category: ho-tich\n"));
    // Only the placeholders are reported, as warnings: with --strict they fail.
    let (code, text) = run(w.path(), &["check", "content", "--lang", "en"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.ends_with("0 errors, 20 warnings\n"), "{text}");
    for l in text.lines().filter(|l| !l.starts_with("  hint:")).take(20) {
        assert!(
            l.starts_with("content/guides/dang-ky-ket-hon.yaml:")
                && l.ends_with("placeholder text from `camnang new` is still here"),
            "{l}"
        );
    }
    assert!(text.starts_with("content/guides/dang-ky-ket-hon.yaml:5:9: warning: title: placeholder text from `camnang new` is still here\n  hint: replace `CẦN ĐIỀN: …` with the real text\n"));
    assert!(text.contains("content/guides/dang-ky-ket-hon.yaml:66:6: warning: tips: placeholder"));
    assert_eq!(run(w.path(), &["check", "content", "--strict"]).0, Some(1));
    // Once every placeholder is replaced, the guide passes --strict.
    let filled = g
        .replace("\"CẦN ĐIỀN: mã thủ tục, ví dụ 1.001193\"", "\"1.000894\"")
        .replace("CẦN ĐIỀN: ", "");
    std::fs::write(w.path().join("content/guides/dang-ky-ket-hon.yaml"), filled).unwrap();
    assert_eq!(
        run(w.path(), &["check", "content", "--strict", "--lang", "en"]),
        (Some(0), "0 errors, 0 warnings\n".into())
    );
}

#[test]
fn new_refuses_to_overwrite() {
    let w = new_site();
    let path = w.path().join("content/guides/dang-ky-khai-sinh.yaml");
    let before = std::fs::read(&path).unwrap();
    assert_eq!(
        run(w.path(), &["new", "dang-ky-khai-sinh", "--lang", "en"]),
        (
            Some(1),
            "content/guides/dang-ky-khai-sinh.yaml already exists: nothing was written\n  hint: choose another name, or edit that file\n".into()
        )
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // A Markdown guide of that name counts too.
    std::fs::write(w.path().join("content/guides/ghi-chu.md"), "---\n---\n").unwrap();
    assert_eq!(run(w.path(), &["new", "ghi-chu"]).0, Some(1));
}

#[test]
fn new_checks_the_slug_and_suggests_one() {
    let w = new_site();
    assert_eq!(
        run(w.path(), &["new", "Đăng ký kết hôn", "--lang", "en"]),
        (
            Some(1),
            "`Đăng ký kết hôn` cannot be a guide's name: only lower-case letters without marks, digits and `-` (it becomes the page address)\n  hint: try `camnang new dang-ky-ket-hon`\n".into()
        )
    );
    assert_eq!(
        run(w.path(), &["new", "Xác_nhận  tình trạng"]).1,
        "`Xác_nhận  tình trạng` không dùng làm tên hướng dẫn được: chỉ gồm chữ thường không dấu, số và `-` (tên là địa chỉ trang)\n  gợi ý: thử `camnang new xac-nhan-tinh-trang`\n"
    );
    for bad in ["../escape", "x-", "a/b", "x.yaml", "ĐĂNG"] {
        assert_eq!(run(w.path(), &["new", bad]).0, Some(1), "{bad}");
    }
    assert!(!w.path().join("escape.yaml").exists());
    assert_eq!(
        std::fs::read_dir(w.path().join("content/guides"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn new_from_code_copies_that_guide() {
    let w = new_site();
    let (code, text) = run(
        w.path(),
        &[
            "new",
            "khai-sinh-co-yeu-to-nuoc-ngoai",
            "--from",
            "1.001193",
        ],
    );
    assert_eq!(code, Some(0), "{text}");
    let g = std::fs::read_to_string(
        w.path()
            .join("content/guides/khai-sinh-co-yeu-to-nuoc-ngoai.yaml"),
    )
    .unwrap();
    assert!(g.contains("title: \"CẦN ĐIỀN: tên thủ tục (chép từ: Đăng ký khai sinh)\"\n"));
    assert!(g.contains("code: \"CẦN ĐIỀN: mã thủ tục (thủ tục gốc: 1.001193)\"\n"));
    assert!(
        g.contains("  formality_id:\n"),
        "the portal link is dropped"
    );
    assert!(g.contains("  - name: \"Giấy chứng sinh do bệnh viện cấp\"\n"));
    assert!(g.contains("      src: \"images/dang-ky-khai-sinh/dang-nhap.svg\"\n"));
    assert!(g.contains("      highlight: { x: 76, y: 3, width: 21, height: 11 }\n"));
    // The copy checks like the original, except for the two placeholders.
    let (code, text) = run(w.path(), &["check", "content", "--lang", "en"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(
        text,
        "content/guides/khai-sinh-co-yeu-to-nuoc-ngoai.yaml:6:9: warning: title: placeholder text from `camnang new` is still here\n  hint: replace `CẦN ĐIỀN: …` with the real text\n\
content/guides/khai-sinh-co-yeu-to-nuoc-ngoai.yaml:10:8: warning: code: placeholder text from `camnang new` is still here\n  hint: replace `CẦN ĐIỀN: …` with the real text\n\
0 errors, 2 warnings\n"
    );
    assert_eq!(
        run(w.path(), &["new", "x", "--from", "9.999999", "--lang", "en"]),
        (
            Some(1),
            "no guide in content/guides has the procedure code 9.999999\n  hint: the code is the `code:` of an existing guide, e.g. 1.001193\n".into()
        )
    );
}

#[test]
fn new_copies_multi_line_markdown_and_quotes_exactly() {
    let w = new_site();
    let src = w.path().join("content/guides/dang-ky-khai-sinh.yaml");
    let text = std::fs::read_to_string(&src).unwrap();
    let tricky = "tips:\n  - |\n    Dòng một: \"trích\" \\ và # không phải chú thích\n\n    - danh sách\n      thụt lề\n  - \"  bắt đầu bằng dấu cách\"\n  - \"yes\"\n";
    let start = text.find("\ntips:").unwrap() + 1;
    let end = text.find("# Cảnh báo lừa đảo").unwrap();
    std::fs::write(&src, format!("{}{tricky}{}", &text[..start], &text[end..])).unwrap();
    assert_eq!(
        run(w.path(), &["new", "ban-sao", "--from", "1.001193"]).0,
        Some(0)
    );
    let load = |slug: &str| {
        let root = w.path().join("content");
        let f = camnang::content::files::GuideFile {
            rel: format!("guides/{slug}.yaml"),
            kind: camnang::content::files::Kind::Yaml,
        };
        camnang::content::guide::load(&root, &f).0.unwrap()
    };
    let (a, b) = (load("dang-ky-khai-sinh"), load("ban-sao"));
    assert_eq!(a.tips, b.tips);
    assert_eq!(
        b.tips,
        [
            "Dòng một: \"trích\" \\ và # không phải chú thích\n\n- danh sách\n  thụt lề",
            "bắt đầu bằng dấu cách",
            "yes"
        ]
    );
    assert_eq!(a.steps.len(), b.steps.len());
    for (x, y) in a.steps.iter().zip(&b.steps) {
        assert_eq!((&x.title, &x.text, &x.short), (&y.title, &y.text, &y.short));
    }
    assert_eq!(a.documents.len(), b.documents.len());
    assert_eq!(a.sources.len(), b.sources.len());
}

#[test]
fn new_needs_a_readable_site_yaml() {
    let w = tempfile::tempdir().unwrap();
    std::fs::create_dir(w.path().join("content")).unwrap();
    assert_eq!(
        run(w.path(), &["new", "abc", "--lang", "en"]),
        (
            Some(1),
            "content/site.yaml: error: the site file `site.yaml` is missing\n  hint: is this the content folder? `camnang init DIR` creates a new site\n(fix site.yaml first: `camnang check`)\n".into()
        )
    );
    assert!(!w.path().join("content/guides").exists());
}

#[test]
fn help_follows_the_language_and_has_examples() {
    let w = tempfile::tempdir().unwrap();
    let vi = camnang(w.path(), &["--help"]);
    assert_eq!(vi.status.code(), Some(0));
    let vi = stdout(&vi);
    assert!(
        vi.contains("Cách dùng: camnang [OPTIONS] <COMMAND>"),
        "{vi}"
    );
    assert!(
        vi.contains("Lệnh:\n  build    Dựng trang web ngoại tuyến\n"),
        "{vi}"
    );
    assert!(vi.contains("  -q, --quiet         Chỉ in lỗi\n"), "{vi}");
    assert!(vi.contains("Ví dụ:\n  camnang init cam-nang-phuong       tạo trang mới"));
    assert!(vi.contains("  camnang new khai-sinh-lien-thong --from 1.001193\n"));
    assert!(vi.contains("Mã thoát: 0 ổn, 1 có lỗi trong nội dung, 2 dùng sai lệnh."));
    assert!(!vi.contains("Only print errors"));

    for args in [&["--lang", "en", "--help"][..], &["--help", "--lang=en"]] {
        let en = stdout(&camnang(w.path(), args));
        assert!(en.contains("Usage: camnang [OPTIONS] <COMMAND>"), "{en}");
        assert!(
            en.contains("Commands:\n  build    Build the offline site\n"),
            "{en}"
        );
        assert!(
            en.contains("  -q, --quiet         Only print errors\n"),
            "{en}"
        );
        assert!(en.contains("Examples:\n  camnang init cam-nang-phuong       create a new site"));
        assert!(en.contains("Exit codes: 0 ok, 1 problems in the content, 2 usage."));
        assert!(!en.contains("Chỉ in lỗi"));
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_camnang"))
        .args(["check", "--help"])
        .env("CAMNANG_LANG", "en")
        .output()
        .unwrap();
    let en = stdout(&out);
    assert!(
        en.contains("Check the content without writing anything\n"),
        "{en}"
    );
    assert!(
        en.contains("--format <FORMAT>  Output format; json for machines"),
        "{en}"
    );
    let out = camnang(w.path(), &["help", "check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with(
        "Kiểm tra nội dung, không ghi gì\n\nCách dùng: camnang check [OPTIONS] [CONTENT]\n"
    ));
    let out = camnang(w.path(), &["help", "--lang", "en"]);
    assert!(stdout(&out).contains("  help     Print this help, or the help of a command\n"));
    assert!(stdout(&out).contains("Examples:\n"));
    let out = camnang(w.path(), &["help", "nope"]);
    assert_eq!(
        (out.status.code(), stderr(&out)),
        (
            Some(2),
            "không có lệnh `nope`; xem `camnang --help`\n".into()
        )
    );
    let vi = stdout(&camnang(w.path(), &["new", "--help"]));
    assert!(vi.contains("--from <MÃ>"), "{vi}");
    assert!(vi.contains("Chép từ hướng dẫn có mã thủ tục này"), "{vi}");
}

#[test]
fn progress_is_plain_lines_without_a_terminal() {
    let w = new_site();
    // Not a terminal: no progress by default, stage lines with -v, nothing with -q.
    let (code, text) = run(w.path(), &["build", "content", "-o", "out", "--lang", "en"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        text,
        "Built 1 guide, 49 files into out (0 errors, 0 warnings)\n"
    );
    let (_, text) = run(
        w.path(),
        &["build", "content", "-o", "out", "-v", "--lang", "en"],
    );
    assert!(text.starts_with("Reading content…\n"), "{text}");
    assert!(text.contains("\nRendering pages"), "{text}");
    assert!(text.contains("\nWriting files\n"), "{text}");
    assert!(!text.contains('\r'), "a bar was drawn: {text:?}");
    let (_, text) = run(w.path(), &["build", "content", "-o", "out", "-q"]);
    assert_eq!(text, "");
}

#[test]
fn the_english_build_summary_counts_guides_in_the_plural_only_above_one() {
    let w = new_site();
    assert_eq!(
        run(w.path(), &["new", "ban-sao", "--from", "1.001193", "-q"]).0,
        Some(0)
    );
    let path = w.path().join("content/guides/ban-sao.yaml");
    let g = std::fs::read_to_string(&path).unwrap();
    let filled = g
        .replace(
            "\"CẦN ĐIỀN: mã thủ tục (thủ tục gốc: 1.001193)\"",
            "\"2.000815\"",
        )
        .replace("CẦN ĐIỀN: ", "");
    std::fs::write(&path, filled).unwrap();
    let (code, text) = run(w.path(), &["build", "content", "-o", "out", "--lang", "en"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        text,
        "Built 2 guides, 53 files into out (0 errors, 0 warnings)\n"
    );
    // Vietnamese has no plural: the same words for any count.
    let (_, text) = run(w.path(), &["build", "content", "-o", "out"]);
    assert_eq!(
        text,
        "Đã dựng 2 hướng dẫn, 53 tệp vào out (0 lỗi, 0 cảnh báo)\n"
    );
}
