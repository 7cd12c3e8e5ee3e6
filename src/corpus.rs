//! A synthetic content folder of N realistic guides, for benchmarks (`cargo bench`) and
//! load tests. Not used by the build itself.

use std::fmt::Write as _;
use std::path::Path;

const CATEGORIES: &[(&str, &str)] = &[
    ("ho-tich", "Hộ tịch"),
    ("chung-thuc", "Chứng thực"),
    ("cu-tru", "Cư trú"),
    ("kinh-doanh", "Hộ kinh doanh"),
    ("bao-hiem", "Bảo hiểm y tế"),
];

const WORDS: &[&str] = &[
    "đăng ký",
    "khai sinh",
    "kết hôn",
    "chứng thực",
    "bản sao",
    "thường trú",
    "tạm trú",
    "hộ kinh doanh",
    "bảo hiểm y tế",
    "giấy tờ",
    "căn cước",
    "ủy quyền",
    "trực tuyến",
    "Cổng Dịch vụ công",
    "phường",
    "xác nhận",
    "tình trạng hôn nhân",
    "trích lục",
    "lệ phí",
];

fn words(seed: usize, n: usize) -> String {
    (0..n)
        .map(|i| WORDS[(seed * 7 + i * 13) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `site.yaml`, `n` guides and one screenshot into `dir` (which must be empty).
pub fn write(dir: &Path, n: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("guides"))?;
    std::fs::create_dir_all(dir.join("images"))?;
    let mut site = String::from(
        "language: vi\ntitle: Cẩm nang (bộ thử tải)\noffice:\n  name: UBND phường Thử Tải\n  address: Số 1 đường Thử\n  phone: \"0225 3 000 000\"\n  hours: [\"Thứ Hai – Thứ Sáu: 7:30–17:00\"]\nportal:\n  detail_url: \"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{formality_id}\"\n  search_url: \"https://dichvucong.gov.vn/tim-kiem-thu-tuc-hanh-chinh?keyword={code}\"\ncategories:\n",
    );
    for (id, title) in CATEGORIES {
        let _ = writeln!(site, "  - id: {id}\n    title: {title}");
    }
    std::fs::write(dir.join("site.yaml"), site)?;
    std::fs::write(
        dir.join("images/man-hinh.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 500\"><rect width=\"800\" height=\"500\" fill=\"#eee\"/><text x=\"20\" y=\"40\" font-family=\"sans-serif\">Ảnh minh họa</text></svg>\n",
    )?;
    for i in 0..n {
        let (cat, _) = CATEGORIES[i % CATEGORIES.len()];
        let mut g = String::with_capacity(3000);
        let _ = write!(
            g,
            "title: Thủ tục {} số {i}\nquestion: Làm {}?\ncode: \"9.{i:06}\"\ncategory: {cat}\nsummary: {}.\naudience: Công dân {}.\nonline_level: {}\nagency: UBND cấp xã\nfee: Miễn lệ phí.\nprocessing_time: Trong ngày.\nresult: Giấy {}.\nreviewed: 2026-11-20\n",
            words(i, 2),
            words(i + 1, 2),
            words(i + 2, 12),
            words(i + 3, 3),
            if i % 3 == 0 { "full" } else { "partial" },
            words(i + 4, 2)
        );
        if i % 2 == 0 {
            let _ = writeln!(
                g,
                "portal:\n  formality_id: 019d2bfd-{:04x}-70ac-b9d6-5e9e20d6eef7",
                i % 65536
            );
        }
        g.push_str("documents:\n");
        for d in 0..4 {
            let _ = writeln!(
                g,
                "  - name: Giấy {}\n    form: {}\n    required: {}\n    note: {}.",
                words(i + d, 3),
                ["original", "copy", "certified-copy", "show"][d],
                d < 3,
                words(i * 3 + d, 8)
            );
        }
        g.push_str("fields:\n");
        for f in 0..3 {
            let _ = writeln!(
                g,
                "  - label: {}\n    hint: {}.",
                words(i + f, 3),
                words(i + f + 5, 6)
            );
        }
        g.push_str("steps:\n");
        for s in 0..5 {
            let _ = writeln!(
                g,
                "  - title: {}\n    short: {}.\n    text: |\n      Mở **{}** rồi chọn *{}*. {}.",
                words(i + s, 3),
                words(i + s, 4),
                words(i + s + 1, 2),
                words(i + s + 2, 2),
                words(i + s + 3, 20)
            );
            if s == 1 {
                g.push_str("    screenshot:\n      src: images/man-hinh.svg\n      alt: Màn hình minh họa\n      highlight: { x: 10, y: 20, width: 30, height: 10 }\n      print: true\n");
            }
        }
        let _ = write!(
            g,
            "tips:\n  - {}.\nwarnings:\n  - Không đưa mã OTP cho ai.\nlegal_basis:\n  - Luật Hộ tịch 2014\nsources:\n  - title: Nguồn {i}\n    url: https://example.org/nguon/{i}\n",
            words(i, 10)
        );
        std::fs::write(dir.join(format!("guides/thu-tuc-{i:05}.yaml")), g)?;
    }
    Ok(())
}

/// Writes a province of `offices` offices over `guides` guides (see [`write`]): three
/// provinces, each setting its own fee for every tenth guide; every fifth office does not
/// handle one category, every seventh adds a note to a guide. Each office has its own
/// phone number.
pub fn write_province(dir: &Path, offices: usize, guides: usize) -> std::io::Result<()> {
    write(dir, guides)?;
    std::fs::create_dir_all(dir.join("provinces"))?;
    std::fs::create_dir_all(dir.join("offices"))?;
    for p in 0..3 {
        let mut y = format!("name: Tỉnh Thử Tải {p}\nhotline: \"0200 {p}00 000\"\nguides:\n");
        for i in (0..guides).step_by(10) {
            let _ = writeln!(
                y,
                "  thu-tuc-{i:05}:\n    fee: {} nghìn đồng (tỉnh {p}).",
                p + 1
            );
        }
        std::fs::write(dir.join(format!("provinces/tinh-{p}.yaml")), y)?;
    }
    for o in 0..offices {
        let mut y = format!(
            "province: tinh-{}\nname: UBND phường Thử Tải {o}\naddress: Số {o} đường Thử\nphone: \"0225 3 {o:03} {o:03}\"\nhours: [\"Thứ Hai – Thứ Sáu: 7:30–17:00\"]\n",
            o % 3
        );
        if o % 5 == 4 {
            let _ = writeln!(y, "skip: [{}]", CATEGORIES[o % CATEGORIES.len()].0);
        }
        if o % 7 == 6 {
            let _ = writeln!(
                y,
                "notes:\n  thu-tuc-{:05}: Phường {o} nhận hồ sơ cả sáng thứ Bảy.",
                o % guides.max(1)
            );
        }
        std::fs::write(dir.join(format!("offices/phuong-{o:03}.yaml")), y)?;
    }
    Ok(())
}
