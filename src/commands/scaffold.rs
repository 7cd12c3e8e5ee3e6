//! `camnang init` (a new site) and `camnang new` (a new guide).
//!
//! The texts of a new site are files under `src/scaffold/`, embedded in the binary. A new
//! guide is written by [`guide_yaml`], which puts every key in the file, each with a
//! Vietnamese comment; values still to be written contain [`PLACEHOLDER`], which `check`
//! reports as a warning (so `check --strict` fails until they are all filled in).
//!
//! `new SLUG --from CODE` copies the guide whose procedure code is `CODE` (a variant of a
//! procedure usually shares the office, fee, documents and steps) into the new file with
//! every key commented; its `code` and `title` become placeholders again and its portal
//! link is dropped, since the new guide is about another procedure.

use std::path::{Path, PathBuf};

use crate::content::config;
use crate::content::config::Site;
use crate::content::files;
use crate::content::guide;
use crate::content::guide::PLACEHOLDER;
use crate::content::guide::{Date, Guide, OnlineLevel};
use crate::error::{Error, Pos};
use crate::i18n::Lang;
use crate::vn::suggest_slug;

/// The files of a new site: path relative to the site folder, content.
pub const SITE_FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("scaffold/site.yaml")),
    ("README.md", include_str!("scaffold/README.md")),
    (
        "guides/dang-ky-khai-sinh.yaml",
        include_str!("scaffold/dang-ky-khai-sinh.yaml"),
    ),
    (
        "images/dang-ky-khai-sinh/dang-nhap.svg",
        include_str!("scaffold/dang-nhap.svg"),
    ),
    (
        "images/dang-ky-khai-sinh/chon-co-quan.svg",
        include_str!("scaffold/chon-co-quan.svg"),
    ),
    (
        "images/dang-ky-khai-sinh/to-khai.svg",
        include_str!("scaffold/to-khai.svg"),
    ),
    (
        "images/dang-ky-khai-sinh/gui-ho-so.svg",
        include_str!("scaffold/gui-ho-so.svg"),
    ),
];

fn msg(lang: Lang, en: String, vi: String) -> Error {
    Error::Other(match lang {
        Lang::En => en,
        Lang::Vi => vi,
    })
}

/// Creates a new site in `dir` (created if missing; refused if it has anything in it).
/// Returns the files written, in order.
pub fn init(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(msg(
                lang,
                format!(
                    "{} is not empty: nothing was written\n  hint: give a new folder name, e.g. `camnang init cam-nang-phuong`",
                    dir.display()
                ),
                format!(
                    "thư mục {} không trống: chưa ghi gì cả\n  gợi ý: đặt tên một thư mục mới, ví dụ `camnang init cam-nang-phuong`",
                    dir.display()
                ),
            ));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in SITE_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `content/guides/SLUG.yaml`, a new guide with every key (see the module docs for
/// `from`). Refuses an invalid slug and an existing guide of that slug.
pub fn new_guide(
    content: &Path,
    slug: &str,
    from: Option<&str>,
    lang: Lang,
) -> Result<PathBuf, Error> {
    if !config::is_slug(slug) {
        let s = suggest_slug(slug);
        let (hint_en, hint_vi) = if s.is_empty() {
            (
                "use lower-case letters without marks, digits and `-`, e.g. `dang-ky-ket-hon`"
                    .to_string(),
                "dùng chữ thường không dấu, số và `-`, ví dụ `dang-ky-ket-hon`".to_string(),
            )
        } else {
            (
                format!("try `camnang new {s}`"),
                format!("thử `camnang new {s}`"),
            )
        };
        return Err(msg(
            lang,
            format!(
                "`{slug}` cannot be a guide's name: only lower-case letters without marks, digits and `-` (it becomes the page address)\n  hint: {hint_en}"
            ),
            format!(
                "`{slug}` không dùng làm tên hướng dẫn được: chỉ gồm chữ thường không dấu, số và `-` (tên là địa chỉ trang)\n  gợi ý: {hint_vi}"
            ),
        ));
    }
    let site = config::load(content).map_err(|d| {
        let first = d
            .first()
            .map(|d| d.display(content, lang).to_string())
            .unwrap_or_default();
        msg(
            lang,
            format!("{first}\n(fix site.yaml first: `camnang check`)"),
            format!("{first}\n(hãy sửa site.yaml trước: `camnang check`)"),
        )
    })?;
    let dir = content.join("guides");
    for ext in ["yaml", "yml", "md", "markdown"] {
        let existing = dir.join(format!("{slug}.{ext}"));
        if existing.exists() {
            return Err(msg(
                lang,
                format!(
                    "{} already exists: nothing was written\n  hint: choose another name, or edit that file",
                    existing.display()
                ),
                format!(
                    "đã có tệp {}: chưa ghi gì cả\n  gợi ý: chọn tên khác, hoặc sửa tệp đó",
                    existing.display()
                ),
            ));
        }
    }
    let text = match from {
        None => guide_yaml(&placeholder(&site, slug), &site, false),
        Some(code) => {
            let mut g = find_by_code(content, code).ok_or_else(|| {
                msg(
                    lang,
                    format!("no guide in {} has the procedure code {code}\n  hint: the code is the `code:` of an existing guide, e.g. 1.001193", dir.display()),
                    format!("không hướng dẫn nào trong {} có mã thủ tục {code}\n  gợi ý: mã là giá trị `code:` của một hướng dẫn đã có, ví dụ 1.001193", dir.display()),
                )
            })?;
            g.slug = slug.to_string();
            g.title = format!("{PLACEHOLDER}: tên thủ tục (chép từ: {})", g.title);
            g.code = Some(format!("{PLACEHOLDER}: mã thủ tục (thủ tục gốc: {code})"));
            g.portal = Default::default();
            guide_yaml(&g, &site, true)
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let path = dir.join(format!("{slug}.yaml"));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// The first guide (in file order) whose `code` is `code`, read without the checks that
/// need the whole site.
fn find_by_code(content: &Path, code: &str) -> Option<Guide> {
    let files = files::guide_files(content).ok()?;
    files
        .iter()
        .filter_map(|f| guide::load(content, f).0)
        .find(|g| g.code.as_deref() == Some(code.trim()))
}

/// A guide whose every text is a placeholder.
fn placeholder(site: &Site, slug: &str) -> Guide {
    let p = |what: &str| format!("{PLACEHOLDER}: {what}");
    Guide {
        file: format!("guides/{slug}.yaml"),
        slug: slug.to_string(),
        title: p("tên thủ tục, ví dụ Đăng ký khai sinh"),
        question: Some(p(
            "câu người dân hay hỏi, ví dụ Làm giấy khai sinh cho con?",
        )),
        code: Some(p("mã thủ tục, ví dụ 1.001193")),
        category: site
            .categories
            .first()
            .map(|c| c.id.clone())
            .unwrap_or_default(),
        summary: p("một hai câu: làm gì, ở đâu, mất bao lâu"),
        audience: p("ai làm thủ tục này"),
        online_level: OnlineLevel::Partial,
        agency: p("cơ quan giải quyết"),
        fee: p("lệ phí; không rõ thì ghi: Hỏi Bộ phận một cửa"),
        processing_time: p("thời hạn giải quyết"),
        result: p("giấy tờ người dân nhận được"),
        reviewed: Date::today(),
        portal: Default::default(),
        intro: None,
        documents: vec![guide::Document {
            name: p("tên giấy tờ"),
            note: Some(p("ghi chú, hoặc xóa dòng này")),
            required: true,
            form: Some(guide::DocForm::Original),
            count: 1,
        }],
        fields: vec![guide::Field {
            label: p("ô bắt buộc trên tờ khai"),
            hint: Some(p("cách điền, hoặc xóa dòng này")),
            required: true,
        }],
        steps: vec![guide::Step {
            title: p("việc cần làm ở bước 1"),
            short: Some(p("một câu ngắn cho tờ rơi")),
            text: p("hướng dẫn chi tiết; **chữ đậm** để nhấn mạnh"),
            screenshot: None,
            pos: Pos::default(),
        }],
        tips: vec![p("mẹo giúp làm nhanh hơn, hoặc xóa dòng này")],
        warnings: vec![p("cảnh báo lừa đảo, hoặc xóa dòng này")],
        legal_basis: vec![p("văn bản pháp luật, ví dụ Luật Hộ tịch số 60/2014/QH13")],
        sources: vec![guide::Source {
            title: p("tên nguồn đã đối chiếu"),
            url: "https://dichvucong.gov.vn/".into(),
        }],
        related: Vec::new(),
        md_refs: Vec::new(),
        code_pos: Pos::default(),
        category_pos: Pos::default(),
        slug_pos: Pos::default(),
        reviewed_pos: Pos::default(),
    }
}

/// A YAML scalar: double-quoted (JSON escapes are valid YAML), or a literal block for
/// multi-line text. `indent` is the indentation of the key.
fn scalar(s: &str, indent: usize) -> String {
    if s.contains('\n') && !s.starts_with([' ', '\t']) && !s.contains('\r') {
        let body = s.strip_suffix('\n').unwrap_or(s);
        if !body.ends_with('\n') {
            let chomp = if s.ends_with('\n') { "|" } else { "|-" };
            let pad = " ".repeat(indent + 2);
            let mut out = chomp.to_string();
            for line in body.split('\n') {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(&pad);
                    out.push_str(line);
                }
            }
            return out;
        }
    }
    serde_json::to_string(s).unwrap_or_default()
}

fn opt(s: &Option<String>, indent: usize) -> String {
    s.as_deref().map_or(String::new(), |s| scalar(s, indent))
}

/// The text of a guide file with every key and a comment on each.
pub fn guide_yaml(g: &Guide, site: &Site, copied: bool) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let w = &mut o;
    let _ = writeln!(
        w,
        "# Hướng dẫn thủ tục. Dòng bắt đầu bằng # là chú thích. Thụt lề bằng dấu cách, không dùng Tab."
    );
    let _ = writeln!(
        w,
        "# Thay mọi chỗ \"{PLACEHOLDER}\" bằng nội dung thật; `camnang check` chỉ ra những chỗ còn sót."
    );
    if copied {
        let _ = writeln!(
            w,
            "# Chép từ một hướng dẫn có sẵn: đọc lại từng mục, sửa những gì khác của thủ tục này."
        );
    }
    let _ = writeln!(
        w,
        "\n# Tên thủ tục, hiện to trên đầu trang và tờ rơi (bắt buộc)."
    );
    let _ = writeln!(w, "title: {}", scalar(&g.title, 0));
    let _ = writeln!(
        w,
        "# Câu người dân hay hỏi, hiện dưới tên thủ tục (không bắt buộc; để trống nếu không cần)."
    );
    let _ = writeln!(w, "question: {}", opt(&g.question, 0));
    let _ = writeln!(
        w,
        "# Mã thủ tục quốc gia trên Cổng Dịch vụ công, trong dấu ngoặc kép, ví dụ \"1.001193\"."
    );
    let _ = writeln!(w, "code: {}", opt(&g.code, 0));
    let ids: Vec<&str> = site.categories.iter().map(|c| c.id.as_str()).collect();
    let _ = writeln!(
        w,
        "# Danh mục: một id trong site.yaml ({}).",
        ids.join(", ")
    );
    let _ = writeln!(w, "category: {}", g.category);
    let _ = writeln!(w, "# Tóm tắt một hai câu (bắt buộc).");
    let _ = writeln!(w, "summary: {}", scalar(&g.summary, 0));
    let _ = writeln!(w, "# Ai làm thủ tục này (bắt buộc).");
    let _ = writeln!(w, "audience: {}", scalar(&g.audience, 0));
    let _ = writeln!(
        w,
        "# Mức trực tuyến: full (toàn trình, làm hết trên mạng) hoặc partial (một phần, phải đến nơi)."
    );
    let level = match g.online_level {
        OnlineLevel::Full => "full",
        OnlineLevel::Partial => "partial",
    };
    let _ = writeln!(w, "online_level: {level}");
    let _ = writeln!(w, "# Cơ quan giải quyết (bắt buộc).");
    let _ = writeln!(w, "agency: {}", scalar(&g.agency, 0));
    let _ = writeln!(
        w,
        "# Lệ phí. Không chắc thì đừng đoán: ghi cách hỏi, ví dụ \"Hỏi Bộ phận một cửa\"."
    );
    let _ = writeln!(w, "fee: {}", scalar(&g.fee, 0));
    let _ = writeln!(w, "# Thời hạn giải quyết (bắt buộc).");
    let _ = writeln!(w, "processing_time: {}", scalar(&g.processing_time, 0));
    let _ = writeln!(w, "# Kết quả người dân nhận được (bắt buộc).");
    let _ = writeln!(w, "result: {}", scalar(&g.result, 0));
    let _ = writeln!(
        w,
        "# Ngày bạn đối chiếu thông tin lần cuối, dạng NĂM-THÁNG-NGÀY. Sửa mỗi lần kiểm tra lại."
    );
    let _ = writeln!(w, "reviewed: {}", g.reviewed);
    let _ = writeln!(
        w,
        "# Liên kết tới cổng (không bắt buộc). Không ghi gì thì mã QR mở trang tìm theo `code`."
    );
    let _ = writeln!(
        w,
        "# formality_id: mã định danh thủ tục, chép từ địa chỉ trang thủ tục trên cổng."
    );
    let _ = writeln!(w, "portal:");
    match &g.portal.formality_id {
        Some((id, _)) => {
            let _ = writeln!(w, "  formality_id: {id}");
        }
        None => {
            let _ = writeln!(w, "  formality_id:");
        }
    }
    if let Some((url, _)) = &g.portal.url {
        let _ = writeln!(w, "  url: {}", scalar(url, 2));
    }
    let _ = writeln!(
        w,
        "# Giấy tờ cần chuẩn bị (ít nhất một). form: original (bản chính), copy (bản sao),"
    );
    let _ = writeln!(
        w,
        "# certified-copy (bản sao có chứng thực), show (mang theo để đối chiếu), any (bản nào cũng được)."
    );
    let _ = writeln!(
        w,
        "# required: false nếu chỉ cần trong một số trường hợp; count: số bản (mặc định 1)."
    );
    let _ = writeln!(w, "documents:");
    for d in &g.documents {
        let _ = writeln!(w, "  - name: {}", scalar(&d.name, 4));
        if let Some(f) = d.form {
            let name = serde_json::to_value(f)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(w, "    form: {name}");
        }
        let _ = writeln!(w, "    required: {}", d.required);
        let _ = writeln!(w, "    count: {}", d.count);
        if let Some(n) = &d.note {
            let _ = writeln!(w, "    note: {}", scalar(n, 4));
        }
    }
    let _ = writeln!(
        w,
        "# Các ô bắt buộc trên tờ khai (có dấu * đỏ trên cổng). Không có thì để `fields: []`."
    );
    if g.fields.is_empty() {
        let _ = writeln!(w, "fields: []");
    } else {
        let _ = writeln!(w, "fields:");
    }
    for f in &g.fields {
        let _ = writeln!(w, "  - label: {}", scalar(&f.label, 4));
        if let Some(h) = &f.hint {
            let _ = writeln!(w, "    hint: {}", scalar(h, 4));
        }
        let _ = writeln!(w, "    required: {}", f.required);
    }
    let _ = writeln!(
        w,
        "# Các bước (ít nhất một). short: câu ngắn cho tờ rơi; text: hướng dẫn chi tiết (Markdown)."
    );
    let _ = writeln!(
        w,
        "# screenshot (không bắt buộc): ảnh trong thư mục images/, alt mô tả ảnh cho người không nhìn thấy,"
    );
    let _ = writeln!(
        w,
        "# highlight: khung tô đậm tính bằng % của ảnh, print: true để in ảnh lên tờ rơi A4."
    );
    let _ = writeln!(w, "steps:");
    for s in &g.steps {
        let _ = writeln!(w, "  - title: {}", scalar(&s.title, 4));
        if let Some(sh) = &s.short {
            let _ = writeln!(w, "    short: {}", scalar(sh, 4));
        }
        let _ = writeln!(w, "    text: {}", scalar(&s.text, 4));
        match &s.screenshot {
            Some(shot) => {
                let _ = writeln!(w, "    screenshot:");
                let _ = writeln!(w, "      src: {}", scalar(&shot.src, 6));
                let _ = writeln!(w, "      alt: {}", scalar(&shot.alt, 6));
                if let Some(c) = &shot.caption {
                    let _ = writeln!(w, "      caption: {}", scalar(c, 6));
                }
                if let Some(h) = shot.highlight {
                    let _ = writeln!(
                        w,
                        "      highlight: {{ x: {}, y: {}, width: {}, height: {} }}",
                        h.x, h.y, h.width, h.height
                    );
                }
                let _ = writeln!(w, "      print: {}", shot.print);
            }
            None => {
                let _ = writeln!(w, "    # screenshot:");
                let _ = writeln!(w, "    #   src: images/ten-anh.png");
                let _ = writeln!(w, "    #   alt: Mô tả những gì ảnh cho thấy");
                let _ = writeln!(w, "    #   caption: Ảnh minh họa");
                let _ = writeln!(
                    w,
                    "    #   highlight: {{ x: 60, y: 10, width: 30, height: 20 }}"
                );
                let _ = writeln!(w, "    #   print: true");
            }
        }
    }
    let lists: [(&str, &str, &Vec<String>); 3] = [
        (
            "tips",
            "# Mẹo (không bắt buộc, Markdown). Không có thì để `tips: []`.",
            &g.tips,
        ),
        (
            "warnings",
            "# Cảnh báo lừa đảo riêng của thủ tục này (không bắt buộc, Markdown).",
            &g.warnings,
        ),
        (
            "legal_basis",
            "# Căn cứ pháp lý (không bắt buộc).",
            &g.legal_basis,
        ),
    ];
    for (key, comment, items) in lists {
        let _ = writeln!(w, "{comment}");
        if items.is_empty() {
            let _ = writeln!(w, "{key}: []");
        } else {
            let _ = writeln!(w, "{key}:");
            for t in items {
                let _ = writeln!(w, "  - {}", scalar(t, 2));
            }
        }
    }
    let _ = writeln!(
        w,
        "# Nguồn của thông tin (tên + địa chỉ web): văn bản pháp luật, trang thủ tục trên cổng."
    );
    if g.sources.is_empty() {
        let _ = writeln!(w, "sources: []");
    } else {
        let _ = writeln!(w, "sources:");
    }
    for s in &g.sources {
        let _ = writeln!(w, "  - title: {}", scalar(&s.title, 4));
        let _ = writeln!(w, "    url: {}", scalar(&s.url, 4));
    }
    let _ = writeln!(
        w,
        "# Hướng dẫn liên quan: tên tệp không có đuôi, ví dụ [dang-ky-ket-hon]."
    );
    let related: Vec<&str> = g.related.iter().map(|(s, _)| s.as_str()).collect();
    let _ = writeln!(w, "related: [{}]", related.join(", "));
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_suggested_from_titles() {
        assert_eq!(suggest_slug("Đăng ký kết hôn"), "dang-ky-ket-hon");
        assert_eq!(
            suggest_slug("  Xác_nhận -- tình trạng!  "),
            "xac-nhan-tinh-trang"
        );
        assert_eq!(suggest_slug("Khai sinh 2026"), "khai-sinh-2026");
        assert_eq!(suggest_slug("../.."), "");
        assert!(config::is_slug(&suggest_slug("Giấy phép lái xe (đổi)")));
    }

    #[test]
    fn scalars_read_back_as_written() {
        for s in [
            "plain",
            "a: b # c",
            "\"quoted\" \\ back",
            "yes",
            "1.001193",
            "",
            "  leading",
            "line 1\nline 2",
            "line 1\n\n  indented\n",
            "tab\there",
            "*alias &anchor [x] {y}",
        ] {
            let yaml = format!("k: {}\n", scalar(s, 0));
            let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(v["k"].as_str(), Some(s), "{yaml}");
        }
    }
}
