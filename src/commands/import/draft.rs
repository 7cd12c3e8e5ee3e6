//! A guide draft made from an official record: the official facts filled in, the
//! plain-language parts left as placeholders, the record's notes as comments to write from.

use crate::commands::scaffold::{placeholder, yaml::guide_yaml};
use crate::content::config::Site;
use crate::content::guide::{DocForm, Document, Guide, OnlineLevel, PLACEHOLDER, Source};
use crate::content::portal;
use crate::content::record::drift::{fee_text, time_text};
use crate::content::record::{self, Record};
use crate::error::Pos;
use crate::vn::{fold, suggest_slug};

/// Longest slug made from a procedure's name (names can be a paragraph long).
const MAX_SLUG: usize = 60;

/// The procedure's name as a guide title: without a leading "Thủ tục".
pub fn title(rec: &Record) -> String {
    let name = rec.name.trim();
    let rest = match fold(name).strip_prefix("thu tuc ") {
        Some(_) => name
            .split_once(' ')
            .and_then(|(_, r)| r.split_once(' '))
            .map(|(_, r)| r),
        None => None,
    };
    match rest {
        Some(r) if !r.trim().is_empty() => {
            let mut c = r.trim().chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
        _ => name.to_string(),
    }
}

/// The file name of the guide made from `rec`: its title as a slug, cut at a word.
pub fn slug(rec: &Record) -> String {
    let s = suggest_slug(&title(rec));
    let s = if s.is_empty() {
        suggest_slug(&format!("thu tuc {}", rec.code))
    } else {
        s
    };
    if s.len() <= MAX_SLUG {
        return s;
    }
    let cut = s[..MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
    s[..cut].to_string()
}

/// A record's document as a guide's: how many originals or copies, shown or handed in;
/// papers asked for only in some cases (“Trường hợp …”, “nếu có”) not required.
pub fn document(d: &record::Document) -> Document {
    let (form, count, note) = if d.show {
        (DocForm::Show, 1, None)
    } else if d.original > 0 {
        let note = (d.copy > 0).then(|| format!("Kèm {} bản sao.", d.copy));
        (DocForm::Original, d.original, note)
    } else {
        (DocForm::Copy, d.copy, None)
    };
    let f = fold(&d.name);
    Document {
        required: !(f.starts_with("truong hop")
            || f.contains("trong truong hop")
            || f.contains("neu co")),
        name: d.name.clone(),
        note,
        form: Some(form),
        count: count.clamp(1, 99),
        pos: Pos::default(),
    }
}

/// The official facts of `rec` that a guide holds, set on `g`.
pub fn set_official(g: &mut Guide, rec: &Record) {
    let or_placeholder = |s: String, what: &str| {
        if s.is_empty() {
            format!("{PLACEHOLDER}: {what} (bản ghi không ghi)")
        } else {
            s
        }
    };
    g.title = title(rec);
    g.code = Some(rec.code.clone());
    g.online_level = if rec.full_online {
        OnlineLevel::Full
    } else {
        OnlineLevel::Partial
    };
    g.agency = or_placeholder(rec.agencies.join("; "), "cơ quan giải quyết");
    g.fee = or_placeholder(fee_text(rec), "lệ phí");
    g.processing_time = or_placeholder(time_text(rec), "thời hạn giải quyết");
    g.result = or_placeholder(rec.results.join("; "), "kết quả");
    g.portal.formality_id = Some((rec.formality_id.clone(), Pos::default()));
    if !rec.documents.is_empty() {
        g.documents = rec.documents.iter().map(document).collect();
    }
    g.legal_basis = rec.legal_basis.iter().map(record::Act::text).collect();
}

/// The source citing the record's portal page, with the day the record was saved.
pub fn source(rec: &Record, site: &Site) -> Source {
    let url = portal::fill(
        &site.portal.detail_url,
        &[("formality_id", &rec.formality_id), ("code", &rec.code)],
    )
    .unwrap_or_else(|_| "https://dichvucong.gov.vn/".into());
    let saved = rec
        .saved
        .map(|d| format!(", bản ghi cập nhật ngày {}", d.vn()))
        .unwrap_or_default();
    Source {
        title: format!(
            "Cổng Dịch vụ công quốc gia: {} (mã {}{saved})",
            rec.name, rec.code
        ),
        url,
    }
}

/// The text of the draft guide `slug` made from `rec`.
pub fn draft(rec: &Record, site: &Site, slug: &str) -> String {
    let mut g = placeholder(site, slug);
    set_official(&mut g, rec);
    g.sources = vec![source(rec, site)];
    let text = guide_yaml(&g, site, false);
    let mut out = head(rec);
    out.push_str(&with_notes(&text, rec));
    out
}

/// Comment lines saying where the draft comes from.
fn head(rec: &Record) -> String {
    let mut s = format!(
        "# Bản nháp tạo từ bản ghi chính thức records/{}.json bằng `camnang import`",
        rec.code
    );
    if let Some(d) = rec.saved {
        s.push_str(&format!(" (bản ghi cập nhật ngày {})", d.vn()));
    }
    s.push_str(".\n");
    if let Some(p) = &rec.proposal
        && !p.number.is_empty()
    {
        s.push_str(&format!("# Thủ tục được công bố theo {}", p.number));
        if let Some(d) = p.decided {
            s.push_str(&format!(" ngày {}", d.vn()));
        }
        s.push_str(".\n");
    }
    s.push_str(
        "# Phần chính thức (tên, mã, giấy tờ, lệ phí, thời hạn, cơ quan, kết quả, căn cứ) được\n",
    );
    s.push_str("# `camnang import --update` làm mới; phần viết bằng lời dễ hiểu là của bạn.\n");
    s
}

/// `text` with the record's notes as comment lines before `tips:`, to write tips from.
fn with_notes(text: &str, rec: &Record) -> String {
    if rec.notes.is_empty() {
        return text.to_string();
    }
    let mut notes = String::from(
        "# Ghi chú trong bản ghi chính thức (không phải giấy tờ; viết lại thành mẹo nếu cần):\n",
    );
    for n in &rec.notes {
        notes.push_str(&format!("#   - {}\n", n.replace('\n', " ")));
    }
    match text.find("\n# Mẹo") {
        Some(i) => format!("{}{notes}{}", &text[..=i], &text[i + 1..]),
        None => format!("{text}{notes}"),
    }
}
