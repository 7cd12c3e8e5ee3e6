//! A guide written out as YAML with a Vietnamese comment on every key: the text of the file
//! `camnang new` writes. One function per part of the file, in the order they appear.

use std::fmt::Write as _;

use crate::content::config::Site;
use crate::content::guide::PLACEHOLDER;
use crate::content::guide::{Document, Guide, OnlineLevel, Screenshot};

/// A YAML scalar: double-quoted (JSON escapes are valid YAML), or a literal block for
/// multi-line text. `indent` is the indentation of the key.
pub(crate) fn scalar(s: &str, indent: usize) -> String {
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

/// The text of a guide file with every key and a comment on each. `copied`: the guide was
/// copied from another one (`new --from`), which the first comment lines say.
pub fn guide_yaml(g: &Guide, site: &Site, copied: bool) -> String {
    let mut o = String::new();
    head(&mut o, copied);
    about(&mut o, g, site);
    portal(&mut o, g);
    documents(&mut o, g);
    fields(&mut o, g);
    steps(&mut o, g);
    lists(&mut o, g);
    sources(&mut o, g);
    related(&mut o, g);
    o
}

/// The comment lines at the top of the file.
fn head(w: &mut String, copied: bool) {
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
}

/// The one-line facts of the procedure, `title` to `reviewed`.
fn about(w: &mut String, g: &Guide, site: &Site) {
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
        "# Trạng thái (không bắt buộc): `status: abolished` khi thủ tục đã bị bãi bỏ (hướng dẫn không còn"
    );
    let _ = writeln!(
        w,
        "# được đưa lên trang, kiosk, tìm kiếm và bản in); `effective_from: NĂM-THÁNG-NGÀY` khi thủ tục"
    );
    let _ = writeln!(
        w,
        "# chỉ áp dụng từ một ngày sắp tới (trang ghi \"Áp dụng từ …\", chưa in tờ rơi trước ngày đó)."
    );
    let _ = writeln!(w, "# status: abolished");
    let _ = writeln!(w, "# effective_from: 2027-01-01");
}

/// `portal:` (the link to the national portal).
fn portal(w: &mut String, g: &Guide) {
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
}

/// `documents:` (the papers to bring).
fn documents(w: &mut String, g: &Guide) {
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
        w.push_str(&document_item(d));
    }
}

/// One item of `documents:`, its lines ending in a newline.
pub(crate) fn document_item(d: &Document) -> String {
    let mut w = String::new();
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
    w
}

/// `fields:` (the required boxes of the form).
fn fields(w: &mut String, g: &Guide) {
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
}

/// `steps:`, each with its screenshot (or a commented example of one).
fn steps(w: &mut String, g: &Guide) {
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
            Some(shot) => screenshot(w, shot),
            None => screenshot_example(w),
        }
    }
}

/// A step's `screenshot:`.
fn screenshot(w: &mut String, shot: &Screenshot) {
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

/// A commented `screenshot:` for a step without one, to show how it is written.
fn screenshot_example(w: &mut String) {
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

/// The lists of texts: `tips:`, `warnings:`, `legal_basis:`.
fn lists(w: &mut String, g: &Guide) {
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
            w.push_str(&text_items(items));
        }
    }
}

/// The items of a list of texts (`  - …` lines).
pub(crate) fn text_items(items: &[String]) -> String {
    let mut w = String::new();
    for t in items {
        let _ = writeln!(w, "  - {}", scalar(t, 2));
    }
    w
}

/// `sources:` (where the facts come from).
fn sources(w: &mut String, g: &Guide) {
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
}

/// `related:` (other guides, by file name), the last line of the file.
fn related(w: &mut String, g: &Guide) {
    let _ = writeln!(
        w,
        "# Hướng dẫn liên quan: tên tệp không có đuôi, ví dụ [dang-ky-ket-hon]."
    );
    let related: Vec<&str> = g.related.iter().map(|(s, _)| s.as_str()).collect();
    let _ = writeln!(w, "related: [{}]", related.join(", "));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml::Value;

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
            // Read back through the project's one YAML module, as `check` would.
            let node = crate::content::yaml::parse(&yaml, "t.yaml", 0).unwrap();
            let Value::Map(entries) = node.value else {
                panic!("not a map: {yaml}")
            };
            assert_eq!(entries[0].value.value, Value::Str(s.to_string()), "{yaml}");
        }
    }
}
