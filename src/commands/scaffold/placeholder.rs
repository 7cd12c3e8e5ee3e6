//! The guide `camnang new SLUG` starts from: every text a placeholder saying what to write.

use crate::content::config::Site;
use crate::content::guide;
use crate::content::guide::PLACEHOLDER;
use crate::content::guide::{Date, Guide, OnlineLevel};
use crate::error::Pos;

/// A guide whose every text is a placeholder.
pub(crate) fn placeholder(site: &Site, slug: &str) -> Guide {
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
            pos: Pos::default(),
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
        local_notes: Vec::new(),
        code_pos: Pos::default(),
        category_pos: Pos::default(),
        slug_pos: Pos::default(),
        reviewed_pos: Pos::default(),
        status: Default::default(),
        effective_from: None,
        key_pos: Default::default(),
        placeholder: true,
        hash: Default::default(),
        text_hash: Default::default(),
    }
}
