//! Printables in a real browser: the bundled site is built with `--pdf` (headless
//! Chromium), and the PDFs are checked with poppler (`pdfinfo`, `pdftotext`, `pdftoppm`)
//! and zbar (`zbarimg`): page counts and sizes, one start page per guide in the booklet,
//! every QR code decodes to its portal URL (also at 100 dpi, as a photocopy would), and the
//! URL is in the text. Also: the "leaflet too long" estimate, and `--pdf` without a browser.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_camnang"));
    c.current_dir(repo())
        .args(args)
        .env("CAMNANG_TODAY", "2026-12-04")
        .env_remove("CAMNANG_CHROMIUM");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run camnang")
}

/// Every QR code on the PDF's first page, rasterised at `dpi`.
fn decode(pdf: &Path, dpi: u32, tmp: &Path) -> Vec<String> {
    let stem = tmp.join(format!(
        "{}-{dpi}",
        pdf.file_stem().unwrap().to_string_lossy()
    ));
    tool(
        "pdftoppm",
        &[
            "-r",
            &dpi.to_string(),
            "-gray",
            "-singlefile",
            "-png",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    let png = stem.with_extension("png");
    let out = tool(
        "zbarimg",
        &["-q", "--raw", "-Sqrcode.enable", png.to_str().unwrap()],
    );
    let _ = std::fs::remove_file(&png);
    out.lines().map(str::to_string).collect()
}

/// The printed width (mm) of the QR code on the PDF's first page, quiet zone left out:
/// the distance between the corners rqrr finds, rasterised at 100 dpi (or finer, when rqrr
/// does not find the code at that resolution).
fn printed_qr_mm(pdf: &Path, tmp: &Path) -> f64 {
    for dpi in [100u32, 150, 200] {
        let (w, h, pixels) = raster(pdf, dpi, tmp);
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        let grids = img.detect_grids();
        if let [grid] = grids.as_slice() {
            let b = grid.bounds;
            let px = f64::from(b[1].x - b[0].x).hypot(f64::from(b[1].y - b[0].y));
            return px / f64::from(dpi) * 25.4;
        }
    }
    panic!("{}: rqrr finds no single QR code", pdf.display());
}

/// The first page of `pdf` in grey at `dpi`: width, height and one byte per pixel.
fn raster(pdf: &Path, dpi: u32, tmp: &Path) -> (usize, usize, Vec<u8>) {
    let stem = tmp.join(format!(
        "{}-size",
        pdf.file_stem().unwrap().to_string_lossy()
    ));
    let dpi_text = dpi.to_string();
    let args = ["-r", &dpi_text, "-gray", "-singlefile"];
    let mut all: Vec<&str> = args.to_vec();
    all.extend([pdf.to_str().unwrap(), stem.to_str().unwrap()]);
    tool("pdftoppm", &all);
    let pgm = std::fs::read(stem.with_extension("pgm")).unwrap();
    let _ = std::fs::remove_file(stem.with_extension("pgm"));
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, pgm[at + 1..].to_vec())
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

/// The portal URL printed under the QR code of a guide page.
fn portal_url(site: &Path, slug: &str) -> String {
    let html = std::fs::read_to_string(site.join(format!("guides/{slug}/index.html"))).unwrap();
    let marker = "<p class=\"qr-url\"><a href=\"";
    let u = html.find(marker).expect("URL under the QR") + marker.len();
    html[u..u + html[u..].find('"').unwrap()].replace("&amp;", "&")
}

/// The printed width (mm) of the first QR code of a printable, and the module count (quiet
/// zone included) of the guide's QR file.
fn qr_size(html: &str, svg: &str) -> (f64, f64) {
    // Leaflets set the code's width; posters its natural height (it is square).
    let w = ["width", "height"]
        .iter()
        .find_map(|side| {
            let marker = format!("class=\"p-qr-code\" style=\"{side}: ");
            html.find(&marker).map(|i| i + marker.len())
        })
        .expect("QR wrapper");
    let mm: f64 = html[w..w + html[w..].find("mm").unwrap()].parse().unwrap();
    let v = svg.find("viewBox=\"0 0 ").unwrap() + 13;
    let modules: f64 = svg[v..v + svg[v..].find(' ').unwrap()].parse().unwrap();
    // The white background covers the whole code; dark modules start 4 modules in.
    assert!(svg.contains(&format!(
        "<rect width=\"{modules}\" height=\"{modules}\" fill=\"#fff\"/>"
    )));
    assert!(
        svg.contains("d=\"M4 4h7"),
        "finder pattern starts at the quiet zone's edge"
    );
    (mm, modules)
}

fn guides() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(repo().join("content/guides"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn bundled_site_prints_to_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(OFFICE);
    let o = run(
        &[
            "build",
            "content",
            "--office",
            OFFICE,
            "-o",
            tmp.path().to_str().unwrap(),
            "--pdf",
        ],
        &[],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "build --pdf failed:\n{}",
        stderr(&o)
    );
    // All 21 bundled guides fit one A4 sheet: no "too long" warning.
    assert!(
        !stderr(&o).contains("cảnh báo:"),
        "unexpected warnings:\n{}",
        stderr(&o)
    );
    let slugs = guides();
    assert_eq!(slugs.len(), 21);

    // Page counts and sizes.
    let mut qr_jobs: Vec<(PathBuf, String, Vec<u32>)> = Vec::new();
    for slug in &slugs {
        let url = portal_url(&out, slug);
        for (kind, size, dpis) in [
            ("a4", "(A4)", vec![150, 100]),
            ("a5", "(A5)", vec![150, 100]),
            ("poster", "(A4)", vec![150]),
        ] {
            let pdf = out.join(format!("print/{slug}/{slug}-{kind}.pdf"));
            let (pages, page_size) = pdfinfo(&pdf);
            assert_eq!(pages, 1, "{} has {pages} pages", pdf.display());
            assert!(
                page_size.ends_with(size),
                "{}: page size {page_size}, want {size}",
                pdf.display()
            );
            // `-raw`: a URL broken after a hyphen keeps it (the default mode joins the lines).
            let text = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
            assert!(
                squash(&text).contains(&squash(&url)),
                "{}: the URL {url} is not in the text",
                pdf.display()
            );
            let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
            assert!(
                info.contains("CreationDate:    Sat Jan  1 00:00:00 2000"),
                "{}: the creation date is not fixed:\n{info}",
                pdf.display()
            );
            if kind == "poster" {
                // The code gives way to long contacts but stays readable from 1–2 m.
                let mm = printed_qr_mm(&pdf, tmp.path());
                assert!(mm >= 45.0, "{}: printed QR {mm:.1} mm", pdf.display());
            }
            qr_jobs.push((pdf, url.clone(), dpis));
        }
    }

    // Every QR decodes to exactly the guide's portal URL (two at a time: 2 cores).
    let raster = tmp.path().join("raster");
    std::fs::create_dir_all(&raster).unwrap();
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<_> = qr_jobs.chunks(qr_jobs.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let raster = &raster;
                s.spawn(move || {
                    let mut bad = Vec::new();
                    for (pdf, url, dpis) in chunk {
                        for &dpi in dpis {
                            let got = decode(pdf, dpi, raster);
                            if got != [url.clone()] {
                                bad.push(format!("{} at {dpi} dpi: {got:?}", pdf.display()));
                            }
                        }
                    }
                    bad
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "QR codes that do not decode:\n{failures:#?}"
    );

    // The category sheets: the 13 hộ tịch cards take 3 pages, every other sheet one page, and
    // every card of a one-page sheet decodes to its guide's URL.
    let hotich = out.join("print/categories/ho-tich/ho-tich-qr.pdf");
    assert_eq!(pdfinfo(&hotich).0, 3);
    let cards = out.join("print/categories/chung-thuc/chung-thuc-qr.pdf");
    assert_eq!(pdfinfo(&cards).0, 1);
    let mut got = decode(&cards, 150, &raster);
    got.sort();
    let mut want: Vec<String> = [
        "chung-thuc-ban-sao",
        "chung-thuc-chu-ky",
        "chung-thuc-hop-dong-giao-dich",
    ]
    .iter()
    .map(|s| portal_url(&out, s))
    .collect();
    want.sort();
    assert_eq!(got, want);
    for id in ["cu-tru", "kinh-doanh", "bao-hiem", "dinh-danh"] {
        let pdf = out.join(format!("print/categories/{id}/{id}-qr.pdf"));
        assert_eq!(pdfinfo(&pdf).0, 1, "{}", pdf.display());
    }

    // The booklet: a cover with the contents, then each guide starts a page with its
    // number and title.
    let booklet = out.join("print/booklet/booklet.pdf");
    let (pages, size) = pdfinfo(&booklet);
    assert!(size.ends_with("(A4)"));
    let index = std::fs::read_to_string(out.join("print/booklet/index.html")).unwrap();
    let mut titles = Vec::new();
    for cap in index.split("<section class=\"bk-guide\"").skip(1) {
        let h1 = cap.find("<h1>").unwrap() + 4;
        let end = cap[h1..].find("</h1>").unwrap() + h1;
        titles.push(cap[h1..end].replace("&amp;", "&"));
    }
    assert_eq!(titles.len(), 21);
    let mut starts = Vec::new();
    for page in 1..=pages {
        let p = page.to_string();
        let text = tool(
            "pdftotext",
            &["-f", &p, "-l", &p, booklet.to_str().unwrap(), "-"],
        );
        let text = squash(&text);
        if let Some(t) = titles.iter().find(|t| text.starts_with(&squash(t))) {
            starts.push(t.clone());
        }
    }
    assert_eq!(
        starts, titles,
        "each guide must start a page of the booklet"
    );
    let cover = squash(&tool(
        "pdftotext",
        &["-f", "1", "-l", "1", booklet.to_str().unwrap(), "-"],
    ));
    assert!(cover.contains(&squash("Mục lục")));

    // The print index links every PDF, and every link resolves.
    let pindex = std::fs::read_to_string(out.join("print/index.html")).unwrap();
    for slug in &slugs {
        for kind in ["a4", "a5", "poster"] {
            let href = format!("href=\"{slug}/{slug}-{kind}.pdf\"");
            assert!(pindex.contains(&href), "print index lacks {href}");
        }
    }
    assert!(pindex.contains("href=\"booklet/booklet.pdf\""));
    assert!(pindex.contains(
        "href=\"dang-ky-khai-sinh/dang-ky-khai-sinh-a4.pdf\" aria-label=\"PDF Tờ rơi A4: Đăng ký khai sinh\">PDF</a>"
    ));
}

#[test]
fn printables_are_linked_and_standalone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = run(
        &["build", "content", "-o", out.to_str().unwrap(), "-q"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let index = std::fs::read_to_string(out.join(OFFICE).join("index.html")).unwrap();
    assert!(index.contains("href=\"print/index.html\""));
    let guide =
        std::fs::read_to_string(out.join(OFFICE).join("guides/dang-ky-khai-sinh/index.html"))
            .unwrap();
    assert!(guide.contains("href=\"../../print/dang-ky-khai-sinh/a4.html\""));
    // Without --pdf, no PDF links.
    let pindex = std::fs::read_to_string(out.join(OFFICE).join("print/index.html")).unwrap();
    assert!(!pindex.contains(".pdf\""));
    // Each short "In" link names its format and guide for screen readers.
    assert!(pindex.contains("<a href=\"dang-ky-khai-sinh/a4.html\" aria-label=\"In tờ rơi A4: Đăng ký khai sinh\">In</a>"), "{pindex}");
    assert!(pindex.contains("<a href=\"dang-ky-khai-sinh/poster.html\" aria-label=\"In áp phích mã QR: Đăng ký khai sinh\">In</a>"));
    let en = tmp.path().join("en");
    let o = run(
        &[
            "build",
            "content",
            "-o",
            en.to_str().unwrap(),
            "-q",
            "--lang",
            "en",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pindex = std::fs::read_to_string(en.join(OFFICE).join("print/index.html")).unwrap();
    assert!(pindex.contains("<a href=\"dang-ky-khai-sinh/a5.html\" aria-label=\"Print the A5 leaflet: Đăng ký khai sinh\">Print</a>"), "{pindex}");
    // The leaflet loads only the print stylesheet (not the screen one), relative to its root.
    let a4 =
        std::fs::read_to_string(out.join(OFFICE).join("print/dang-ky-khai-sinh/a4.html")).unwrap();
    assert!(a4.contains("<link rel=\"stylesheet\" href=\"../../assets/print.css\">"));
    assert!(!a4.contains("style.css"));
    assert!(a4.contains("Quét bằng camera điện thoại hoặc ứng dụng VNeID"));
    let a4 = std::fs::read_to_string(out.join(OFFICE).join("print/kich-hoat-vneid-muc-2/a4.html"))
        .unwrap();
    assert!(a4.contains("src=\"../../media/images/kich-hoat-vneid-muc-2/"));
    // QR codes: at least 25 mm (leaflets) and 60 mm (posters) wide without the 4-module
    // quiet zone, which is inside the SVG (white, on every side).
    for slug in guides() {
        for (kind, min) in [("a4", 25.0), ("a5", 25.0), ("poster", 60.0)] {
            let html =
                std::fs::read_to_string(out.join(OFFICE).join(format!("print/{slug}/{kind}.html")))
                    .unwrap();
            // Inline: each printable prints alone.
            let at = html
                .find("<svg ")
                .unwrap_or_else(|| panic!("{slug} {kind}: inline QR"));
            let svg = &html[at..at + html[at..].find("</svg>").unwrap() + 6];
            let (mm, modules) = qr_size(&html, svg);
            let code = mm * (modules - 8.0) / modules;
            assert!(
                code >= min,
                "{slug} {kind}: QR code {code:.1} mm < {min} mm"
            );
        }
    }
    // The booklet's ids are unique.
    let booklet =
        std::fs::read_to_string(out.join(OFFICE).join("print/booklet/index.html")).unwrap();
    let mut ids: Vec<&str> = booklet
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids in the booklet");
    // Its internal links all have a target.
    for href in booklet.split(" href=\"#").skip(1) {
        let target = &href[..href.find('"').unwrap()];
        assert!(
            ids.binary_search(&target).is_ok(),
            "booklet link #{target} has no target"
        );
    }
    // A link between guides became a link inside the booklet.
    assert!(booklet.contains("href=\"#lien-thong-khai-sinh\""));
}

#[test]
fn too_long_leaflet_is_a_warning_and_strict_makes_it_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let fixture = "tests/fixtures/print/long";
    let o = run(&["build", fixture, "-o", out.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0));
    let warning = "tests/fixtures/print/long/guides/thu-tuc-dai.yaml: cảnh báo: tờ rơi A4 của `Thủ tục rất dài để thử` sẽ không vừa một trang giấy (dài hơn khoảng 234 mm)\n  gợi ý: rút gọn ghi chú của giấy tờ (`documents[].note`) và danh sách ô trên mẫu đơn (`fields`)\n";
    assert!(stderr(&o).starts_with(warning), "got:\n{}", stderr(&o));
    // `check` reports it too, without building.
    let o = run(&["check", fixture], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), format!("{warning}0 lỗi, 1 cảnh báo\n"));

    let o = run(
        &[
            "build",
            fixture,
            "-o",
            tmp.path().join("strict").to_str().unwrap(),
            "--strict",
            "--lang",
            "en",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "tests/fixtures/print/long/guides/thu-tuc-dai.yaml: error: the A4 leaflet of `Thủ tục rất dài để thử` will not fit on one sheet (about 234 mm too long)\n  hint: shorten the documents' notes (`documents[].note`) and the list of form fields (`fields`)\n1 error, 0 warnings; the previous output was left as it was\n"
    );
    assert!(!tmp.path().join("strict").exists());
}

#[test]
fn pdf_without_a_browser_stops_and_keeps_the_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = run(
        &["build", "content", "-o", out.to_str().unwrap(), "-q"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    let before = std::fs::read(out.join(OFFICE).join("print/dang-ky-khai-sinh/a4.html")).unwrap();
    std::fs::write(out.join(OFFICE).join("print/marker.txt"), "old").unwrap();

    let o = run(
        &["build", "content", "-o", out.to_str().unwrap(), "--pdf"],
        &[("CAMNANG_CHROMIUM", "/nonexistent/chromium")],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "không in được PDF: CAMNANG_CHROMIUM=/nonexistent/chromium không phải là chương trình chạy được.\n  \
         gợi ý: cài Chromium (Debian/Ubuntu: `sudo apt install chromium`) hoặc Google Chrome, rồi đặt \
         CAMNANG_CHROMIUM là đường dẫn tới nó, hoặc bỏ biến này đi; thư mục kết quả cũ được giữ nguyên\n"
    );
    let o = run(
        &[
            "build",
            "content",
            "-o",
            out.to_str().unwrap(),
            "--pdf",
            "--lang",
            "en",
        ],
        &[("CAMNANG_CHROMIUM", "/nonexistent/chromium")],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "cannot print PDFs: CAMNANG_CHROMIUM=/nonexistent/chromium is not a program that can be run.\n  \
         hint: install Chromium (Debian/Ubuntu: `sudo apt install chromium`) or Google Chrome and point \
         CAMNANG_CHROMIUM at it, or unset it; the previous output was left as it was\n"
    );
    // A browser that fails (here: `false`) also leaves the previous output as it was.
    let o = run(
        &["build", "content", "-o", out.to_str().unwrap(), "--pdf"],
        &[("CAMNANG_CHROMIUM", "/bin/false")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("thư mục kết quả cũ được giữ nguyên"));
    assert_eq!(
        std::fs::read(out.join(OFFICE).join("print/dang-ky-khai-sinh/a4.html")).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read_to_string(out.join(OFFICE).join("print/marker.txt")).unwrap(),
        "old"
    );
    assert!(!out.join(OFFICE).join("print/booklet/booklet.pdf").exists());
}

/// The leaflet texts residents read (notes under documents, form fields, the contact block,
/// the anti-scam box, the "scan" line under the QR code, the step numbers) are never under
/// 11 pt, even at the 11 pt body of long guides (where `--b` is 11 pt): every `font-size` of
/// those rules, evaluated at that body, is ≥ 11 pt.
#[test]
fn leaflet_reader_text_is_at_least_11pt() {
    let css = std::fs::read_to_string(repo().join("themes/default/static/print.css")).unwrap();
    let size_at = |v: &str, b: f64| -> f64 {
        let v = v.trim();
        let calc = |v: &str| -> f64 {
            let v = v.trim();
            if let Some(x) = v
                .strip_prefix("calc(var(--b) *")
                .and_then(|r| r.strip_suffix(')'))
            {
                b * x.trim().parse::<f64>().unwrap()
            } else if v == "var(--b)" {
                b
            } else {
                v.strip_suffix("pt")
                    .unwrap_or_else(|| panic!("unexpected size {v}"))
                    .parse()
                    .unwrap()
            }
        };
        match v.strip_prefix("max(").and_then(|r| r.strip_suffix(')')) {
            Some(args) => {
                let (a, c) = args.split_once(',').unwrap();
                calc(a).max(calc(c))
            }
            None => calc(v),
        }
    };
    for sel in [
        ".p-note",
        ".p-form",
        ".p-scam",
        ".p-contact dl",
        ".lf-fields ul",
        ".p-scan",
        ".lf-n",
    ] {
        let mut found = 0;
        for rule in css.split('}') {
            let Some((sels, body)) = rule.split_once('{') else {
                continue;
            };
            if !sels.split(',').any(|s| s.trim().ends_with(sel)) {
                continue;
            }
            for d in body.split(';') {
                if let Some(v) = d.trim().strip_prefix("font-size:") {
                    found += 1;
                    for b in [11.0, 12.0] {
                        let pt = size_at(v, b);
                        assert!(
                            pt >= 11.0,
                            "{sel}: font-size {v} is {pt:.1} pt at a {b} pt body"
                        );
                    }
                }
            }
        }
        assert!(found > 0, "no font-size for {sel} in print.css");
    }
}
