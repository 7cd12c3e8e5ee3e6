//! A guide compared with its official record (`records/<code>.json`): the portal id, the
//! documents (matched after Vietnamese folding, tolerant to small wording changes), the
//! fee and processing time (their numbers), and the legal basis (the acts' numbers). Each
//! difference is a warning at the guide's key with a hint quoting the record.

use std::collections::BTreeSet;

use crate::content::guide::Guide;
use crate::content::record::{Record, legal_code};
use crate::error::Diagnostic;
use crate::tx;
use crate::vn::fold;

/// The warnings about `g` differing from its record `rec`.
pub fn drift(g: &Guide, rec: &Record) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    portal_id(g, rec, &mut out);
    documents(g, rec, &mut out);
    fee(g, rec, &mut out);
    time(g, rec, &mut out);
    legal_basis(g, rec, &mut out);
    out
}

fn warn(g: &Guide, key: &str, msg: crate::i18n::Text, hint: crate::i18n::Text) -> Diagnostic {
    let pos = match key.split_once('[') {
        Some(_) => crate::error::Pos::START,
        None => g.pos_of(key.split('.').next().unwrap_or(key)),
    };
    Diagnostic::warning(&g.file, pos, key, msg).hint(hint)
}

fn portal_id(g: &Guide, rec: &Record, out: &mut Vec<Diagnostic>) {
    let (msg, pos) = match &g.portal.formality_id {
        Some((id, _)) if *id == rec.formality_id => return,
        Some((id, pos)) => (
            tx!(
                "the portal id `{}` is not the official record's",
                "mã định danh trên cổng `{}` khác với bản ghi chính thức",
                id
            ),
            *pos,
        ),
        None => (
            tx!(
                "the guide has no portal id; the official record has one",
                "hướng dẫn chưa có mã định danh trên cổng; bản ghi chính thức có"
            ),
            g.pos_of("portal"),
        ),
    };
    let mut d = warn(
        g,
        "portal.formality_id",
        msg,
        tx!(
            "the record {} says `formality_id: {}`",
            "bản ghi {} ghi `formality_id: {}`",
            rec.file,
            rec.formality_id
        ),
    );
    d.pos = pos;
    out.push(d);
}

/// The words of a text after folding (letters and digits).
fn words(s: &str) -> BTreeSet<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The words of a name before its first `;`, `(`, `,` or `.`: the paper itself, without
/// the conditions the record adds after it.
fn head_words(s: &str) -> BTreeSet<String> {
    words(s.split([';', '(', ',', '.']).next().unwrap_or(s))
}

/// How alike two document names are, 0 to 1: the best of the words in common (Dice),
/// the head of one contained in the other, and the edit distance of the folded names.
pub fn likeness(a: &str, b: &str) -> f64 {
    let (wa, wb) = (words(a), words(b));
    let common = wa.intersection(&wb).count() as f64;
    let dice = if wa.is_empty() && wb.is_empty() {
        0.0
    } else {
        2.0 * common / (wa.len() + wb.len()) as f64
    };
    let contained = |head: &BTreeSet<String>, other: &BTreeSet<String>| {
        head.len() >= 2 && head.is_subset(other)
    };
    let heads = if contained(&head_words(a), &wb) || contained(&head_words(b), &wa) {
        0.9
    } else {
        0.0
    };
    let edit = strsim::normalized_levenshtein(&fold(a), &fold(b));
    dice.max(heads).max(edit)
}

/// Two names are the same document at this likeness or above.
pub const SAME_DOCUMENT: f64 = 0.75;

fn documents(g: &Guide, rec: &Record, out: &mut Vec<Diagnostic>) {
    for d in &rec.documents {
        if g.documents
            .iter()
            .any(|x| likeness(&x.name, &d.name) >= SAME_DOCUMENT)
        {
            continue;
        }
        out.push(warn(
            g,
            "documents",
            tx!(
                "a document of the official record is not in the guide",
                "hướng dẫn thiếu một giấy tờ có trong bản ghi chính thức"
            ),
            tx!(
                "add it to `documents:` (in plain words if you like); the record says: “{}”",
                "thêm vào `documents:` (có thể viết lại cho dễ hiểu); bản ghi ghi: “{}”",
                d.name
            ),
        ));
    }
    for (i, x) in g.documents.iter().enumerate() {
        let best = rec
            .documents
            .iter()
            .map(|d| (likeness(&x.name, &d.name), d))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if best.is_some_and(|(l, _)| l >= SAME_DOCUMENT) {
            continue;
        }
        let hint = match best {
            Some((_, d)) => tx!(
                "check that it is still asked for; the closest in the record: “{}”",
                "kiểm tra xem còn phải nộp không; gần nhất trong bản ghi: “{}”",
                d.name
            ),
            None => tx!(
                "check that it is still asked for: the record lists no documents",
                "kiểm tra xem còn phải nộp không: bản ghi không liệt kê giấy tờ nào"
            ),
        };
        let mut w = warn(
            g,
            &crate::content::schema::item("documents", i),
            tx!(
                "`{}` is not in the official record",
                "`{}` không có trong bản ghi chính thức",
                x.name
            ),
            hint,
        );
        w.pos = x.pos;
        out.push(w);
    }
}

/// The record's fee per way of filing, as a guide would say it.
pub fn fee_text(rec: &Record) -> String {
    per_way(rec, |m| {
        let mut s = if m.fees.is_empty() {
            "miễn phí".to_string()
        } else {
            m.fees.iter().map(|f| f.vi()).collect::<Vec<_>>().join(", ")
        };
        if !m.description.is_empty() {
            s = format!("{s} ({})", m.description);
        }
        Some(s)
    })
}

/// The record's processing time per way of filing, as a guide would say it.
pub fn time_text(rec: &Record) -> String {
    per_way(rec, |m| m.time.as_ref().map(|t| t.vi()))
}

/// `what` of each way of filing: one text when all ways agree, else `Nộp trực tiếp: …;
/// Nộp trực tuyến: …`. Empty when no way has one.
fn per_way(
    rec: &Record,
    what: impl Fn(&crate::content::record::Method) -> Option<String>,
) -> String {
    let mut parts: Vec<(String, String)> = Vec::new();
    for m in &rec.methods {
        let Some(t) = what(m) else { continue };
        match parts.iter_mut().find(|(w, _)| *w == m.way.vi()) {
            Some((_, prev)) if !prev.contains(&t) => *prev = format!("{prev}; {t}"),
            Some(_) => {}
            None => parts.push((m.way.vi(), t)),
        }
    }
    let first = parts.first().map(|p| p.1.clone());
    if let Some(f) = first.filter(|f| parts.iter().all(|p| p.1 == *f)) {
        return upper_first(&f);
    }
    // Ways that say the same are named together: `Nộp trực tiếp, nộp trực tuyến: …`.
    let mut merged: Vec<(Vec<String>, String)> = Vec::new();
    for (w, t) in parts {
        match merged.iter_mut().find(|(_, x)| *x == t) {
            Some((ways, _)) => ways.push(w.to_lowercase()),
            None => merged.push((vec![w], t)),
        }
    }
    merged
        .iter()
        .enumerate()
        .map(|(i, (w, t))| {
            let ways = w.join(", ");
            let ways = if i == 0 { ways } else { ways.to_lowercase() };
            format!("{ways}: {t}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The numbers written in a text (`2.000`, `2,000` and `2 000` are 2000; `03` is 3), each
/// with whether a currency word follows it.
fn numbers(s: &str) -> Vec<(u64, bool)> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        while i < chars.len() {
            let c = chars[i];
            let grouped = matches!(c, '.' | ',' | ' ')
                && chars
                    .get(i + 1..i + 4)
                    .is_some_and(|n| n.iter().all(char::is_ascii_digit))
                && chars.get(i + 4).is_none_or(|n| !n.is_ascii_digit());
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !grouped {
                break;
            }
            i += 1;
        }
        let rest = fold(&chars[i..].iter().take(8).collect::<String>());
        let rest = rest.trim_start();
        let money = ["d", "dong", "vnd", "usd"].iter().any(|w| {
            rest.strip_prefix(w)
                .is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphanumeric()))
        });
        if let Ok(n) = digits.parse() {
            out.push((n, money));
        }
    }
    out
}

fn fee(g: &Guide, rec: &Record, out: &mut Vec<Diagnostic>) {
    let in_guide = numbers(&g.fee);
    // The amounts of the fees, and those the ways' texts state in words.
    let official: BTreeSet<u64> = rec
        .methods
        .iter()
        .flat_map(|m| &m.fees)
        .map(|f| f.amount.round() as u64)
        .chain(rec.methods.iter().flat_map(|m| {
            numbers(&m.description)
                .into_iter()
                .filter(|(_, money)| *money)
                .map(|(n, _)| n)
        }))
        .collect();
    let official_text = fee_text(rec);
    for m in &rec.methods {
        for f in &m.fees {
            if !in_guide.iter().any(|(n, _)| *n == f.amount.round() as u64) {
                out.push(warn(
                    g,
                    "fee",
                    tx!(
                        "the official fee {} ({}) is not in the guide",
                        "lệ phí {} ({}) trong bản ghi chính thức không có trong hướng dẫn",
                        f.vi(),
                        m.way.vi().to_lowercase()
                    ),
                    tx!("the record says: “{}”", "bản ghi ghi: “{}”", official_text),
                ));
            }
        }
    }
    for (n, _) in in_guide
        .iter()
        .filter(|(n, money)| *money && !official.contains(n))
    {
        out.push(warn(
            g,
            "fee",
            tx!(
                "the guide's fee {} is not in the official record",
                "lệ phí {} trong hướng dẫn không có trong bản ghi chính thức",
                crate::content::record::clean::number_vi(*n as f64)
            ),
            tx!(
                "check it; the record says: “{}”",
                "hãy kiểm tra lại; bản ghi ghi: “{}”",
                official_text
            ),
        ));
    }
}

fn time(g: &Guide, rec: &Record, out: &mut Vec<Diagnostic>) {
    let in_guide = numbers(&g.processing_time);
    let same_day = {
        let f = fold(&g.processing_time);
        f.contains("trong ngay") || f.contains("ngay khi") || f.contains("ngay sau khi")
    };
    let mut seen = BTreeSet::new();
    for m in &rec.methods {
        let Some(t) = &m.time else { continue };
        let q = t.qty;
        let found = q.fract() == 0.0 && in_guide.iter().any(|(n, _)| *n == q as u64)
            || q == 1.0 && same_day;
        if found || !seen.insert(t.vi()) {
            continue;
        }
        out.push(warn(
            g,
            "processing_time",
            tx!(
                "the official processing time {} ({}) is not in the guide",
                "thời hạn {} ({}) trong bản ghi chính thức không có trong hướng dẫn",
                t.vi(),
                m.way.vi().to_lowercase()
            ),
            tx!("the record says: “{}”", "bản ghi ghi: “{}”", time_text(rec)),
        ));
    }
}

/// An act's number made comparable: folded, leading zeros of its first part dropped.
fn act_key(code: &str) -> String {
    let f = fold(code);
    let (first, rest) = f.split_once('/').unwrap_or((&f, ""));
    let first = first.trim_start_matches('0');
    format!("{first}/{rest}")
}

fn legal_basis(g: &Guide, rec: &Record, out: &mut Vec<Diagnostic>) {
    let in_guide: Vec<(String, String)> = g
        .legal_basis
        .iter()
        .flat_map(|t| {
            t.split_whitespace()
                .filter_map(legal_code)
                .map(|c| (act_key(&c), c))
                .collect::<Vec<_>>()
        })
        .collect();
    let official: Vec<(String, &crate::content::record::Act)> = rec
        .legal_basis
        .iter()
        .map(|a| (act_key(&a.code), a))
        .collect();
    let missing: Vec<&crate::content::record::Act> = official
        .iter()
        .filter(|(k, _)| !in_guide.iter().any(|(g, _)| g == k))
        .map(|(_, a)| *a)
        .collect();
    if !missing.is_empty() {
        let codes: Vec<&str> = missing.iter().map(|a| a.code.as_str()).collect();
        let quoted: Vec<String> = missing.iter().map(|a| a.text()).collect();
        out.push(warn(
            g,
            "legal_basis",
            tx!(
                "the official record cites acts the guide does not: {}",
                "bản ghi chính thức dẫn văn bản mà hướng dẫn chưa có: {}",
                codes.join(", ")
            ),
            tx!(
                "the record says: “{}”",
                "bản ghi ghi: “{}”",
                quoted.join("”; “")
            ),
        ));
    }
    let mut extra: Vec<&str> = Vec::new();
    for (k, c) in &in_guide {
        if !official.iter().any(|(o, _)| o == k) && !extra.contains(&c.as_str()) {
            extra.push(c);
        }
    }
    if !extra.is_empty() {
        let all: Vec<&str> = rec.legal_basis.iter().map(|a| a.code.as_str()).collect();
        out.push(warn(
            g,
            "legal_basis",
            tx!(
                "the guide cites acts the official record does not: {}",
                "hướng dẫn dẫn văn bản mà bản ghi chính thức không có: {}",
                extra.join(", ")
            ),
            tx!(
                "check that they still apply; the record cites: {}",
                "kiểm tra xem còn hiệu lực không; bản ghi dẫn: {}",
                all.join(", ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_text() {
        assert_eq!(
            numbers("2.000 đồng/trang; từ trang thứ 3 thu 1,000đ, tối đa 200 000 đ"),
            vec![(2000, true), (3, false), (1000, true), (200_000, true)]
        );
        assert_eq!(
            numbers("03 ngày làm việc, sau 15 giờ"),
            vec![(3, false), (15, false)]
        );
        assert_eq!(numbers("10 USD/bản"), vec![(10, true)]);
        assert_eq!(numbers("1.001193"), vec![(1, false), (1193, false)]);
    }

    #[test]
    fn documents_match_despite_small_changes() {
        let rec = "Tờ khai đăng ký khai sinh theo mẫu (nếu nộp trực tiếp);";
        assert!(likeness("Tờ khai đăng ký khai sinh", rec) >= SAME_DOCUMENT);
        assert!(likeness("To khai dang ky khai sinh theo mau", rec) >= SAME_DOCUMENT);
        assert!(
            likeness(
                "Giấy chứng sinh do bệnh viện cấp",
                "Giấy chứng sinh; trường hợp không có thì nộp văn bản của người làm chứng"
            ) >= SAME_DOCUMENT
        );
        assert!(likeness("Văn bản ủy quyền", "Giấy chứng sinh") < SAME_DOCUMENT);
        assert!(likeness("Sổ hộ khẩu", "Giấy chứng nhận kết hôn") < SAME_DOCUMENT);
    }
}
