//! From the raw record to clean facts: names without bullets, tabs and doubled spaces;
//! documents apart from notes; fees and times per way of filing; dates in Vietnam's time.

use crate::content::guide::Date;
use crate::content::record::raw::{RawCase, RawMethod, RawNamed, RawRecord, RawSubCase};
use crate::content::record::{Act, Document, Duration, Fee, Method, Proposal, Record, Way};
use crate::error::{Diagnostic, Pos};
use crate::tx;

/// A name as shown: tabs and runs of spaces made one space, leading bullets (`- `, `+ `,
/// `* `, `• `, `– `) dropped, a space before `.`, `,`, `;` or `:` dropped.
pub fn clean_name(s: &str) -> String {
    let mut t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let trimmed = t.trim_start_matches(['-', '+', '*', '•', '–', '—', ' ']);
        if trimmed.len() == t.len() {
            break;
        }
        t = trimmed.to_string();
    }
    for p in [" .", " ,", " ;", " :"] {
        t = t.replace(p, &p[1..]);
    }
    t.trim_end_matches([';', ',', ' ']).to_string()
}

/// The number of a legal act, as in `123/2015/NĐ-CP`, from a code field that may carry
/// words (`Thông tư số 03/2023/TT-BTP`) or tabs; `None` when there is no such number.
pub fn legal_code(s: &str) -> Option<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .map(|w| w.trim_end_matches(['.', ':']))
        .find(|w| {
            w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.matches('/').count() >= 2
        })
        .map(str::to_string)
}

/// `2.000`, `0,5`: a number as written in Vietnamese.
pub(crate) fn number_vi(x: f64) -> String {
    if x.fract() != 0.0 {
        return format!("{x}").replace('.', ",");
    }
    let digits = format!("{}", x as i64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A date from the portal's epoch milliseconds, in Vietnam's time zone (UTC+7).
fn date_of(ms: Option<f64>) -> Option<Date> {
    // Up to the year 5000: anything else is not a date.
    let ms = ms.filter(|m| *m > 0.0 && *m < 1e14)?;
    let secs = (ms / 1000.0) as i64 + 7 * 3600;
    Some(Date::from_days(secs.div_euclid(86_400)))
}

fn text(s: &Option<String>) -> String {
    s.as_deref().map(clean_name).unwrap_or_default()
}

/// The clean record, or an error when it has no code, id or name.
pub(super) fn record(raw: RawRecord, file: &str) -> Result<Record, Diagnostic> {
    let code = text(&raw.code);
    let formality_id = raw.id.as_deref().unwrap_or("").trim().to_string();
    let name = text(&raw.name);
    for (key, value) in [("code", &code), ("id", &formality_id), ("name", &name)] {
        if value.is_empty() {
            return Err(Diagnostic::error(
                file,
                Pos::START,
                key,
                tx!(
                    "the record has no `{}`",
                    "bản ghi không có `{}`",
                    key
                ),
            )
            .hint(tx!(
                "this is not a procedure record of the portal: save the answer of its detail request (`data.code`, `data.id`, `data.name`)",
                "đây không phải bản ghi thủ tục của cổng: lưu câu trả lời của yêu cầu xem chi tiết (`data.code`, `data.id`, `data.name`)"
            )));
        }
    }
    let (documents, notes) = documents(&raw.execution_cases);
    let fallback = case_time(&raw.cases);
    Ok(Record {
        file: file.to_string(),
        code,
        formality_id,
        name,
        state: raw.state.unwrap_or_default().trim().to_string(),
        full_online: raw.is_full_process.unwrap_or(false),
        documents,
        notes,
        methods: raw
            .execution_methods
            .iter()
            .map(|m| method(m, &fallback))
            .collect(),
        agencies: names(
            raw.unit_groups_executing
                .iter()
                .chain(&raw.departments_executing),
        ),
        results: names(raw.results_details.iter()),
        legal_basis: raw.legal_basises_details.iter().filter_map(act).collect(),
        proposal: raw.procedure_proposal.map(|p| Proposal {
            number: text(&p.proposal_number),
            decided: date_of(p.decision_date),
            published: date_of(p.publication_date),
        }),
        saved: date_of(raw.updated_at).or(date_of(raw.created_at)),
    })
}

/// The distinct non-empty names, in order.
fn names<'a>(items: impl Iterator<Item = &'a RawNamed>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in items {
        let s = text(&n.name);
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn act(n: &RawNamed) -> Option<Act> {
    let name = text(&n.name);
    let code = n
        .code
        .as_deref()
        .and_then(legal_code)
        .or_else(|| legal_code(&name))
        .or_else(|| Some(text(&n.code)).filter(|c| !c.is_empty()))?;
    Some(Act { code, name })
}

/// Documents (components with a quantity) and notes (without one, or under a note
/// heading), each listed once.
fn documents(cases: &[RawCase]) -> (Vec<Document>, Vec<String>) {
    let mut docs: Vec<Document> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for case in cases {
        let heading = text(&case.name).trim_end_matches(':').trim().to_string();
        let folded = crate::vn::fold(&heading);
        let note_heading = folded.contains("luu y") || folded.contains("ghi chu");
        let show = folded.contains("xuat trinh");
        for c in &case.profile_components {
            let name = text(&c.name);
            if name.is_empty() {
                continue;
            }
            let original = c.original_qty.unwrap_or(0.0).max(0.0) as u32;
            let copy = c.copy_qty.unwrap_or(0.0).max(0.0) as u32;
            if note_heading || original + copy == 0 {
                if !notes.contains(&name) {
                    notes.push(name);
                }
            } else if !docs.iter().any(|d| d.name == name) {
                docs.push(Document {
                    name,
                    original,
                    copy,
                    show,
                    heading: heading.clone(),
                });
            }
        }
    }
    (docs, notes)
}

/// One way of filing: its fees over 0 and its time.
fn method(m: &RawMethod, fallback: &Option<Duration>) -> Method {
    let unit = m.processing_time_unit.as_deref().unwrap_or("").trim();
    let qty = m.processing_time.unwrap_or(0.0);
    let own = (qty > 0.0 && !unit.is_empty() && unit != "OTHER").then(|| Duration {
        qty,
        unit: unit.to_string(),
    });
    Method {
        way: Way::parse(m.submission_method.as_deref().unwrap_or("")),
        fees: m
            .fees
            .iter()
            .filter(|f| f.value.unwrap_or(0.0) > 0.0)
            .map(|f| Fee {
                amount: f.value.unwrap_or(0.0),
                currency: currency(f.currency_name.as_deref()),
                per: text(&f.description),
            })
            .collect(),
        description: text(&m.description),
        time: own.or_else(|| fallback.clone()),
    }
}

fn currency(name: Option<&str>) -> String {
    match name.map(str::trim) {
        None | Some("") => "đồng".into(),
        Some(n) if crate::vn::fold(n).contains("viet nam dong") || n == "VND" => "đồng".into(),
        Some(n) => n.to_string(),
    }
}

/// The processing time of the cases (`cases[].processingDay`), when they agree.
fn case_time(cases: &[RawSubCase]) -> Option<Duration> {
    let mut times = cases.iter().filter_map(|c| {
        let d = c.processing_day.as_ref()?;
        let qty = d.qty.filter(|q| *q > 0.0)?;
        Some(Duration {
            qty,
            unit: d.kind.clone().unwrap_or_else(|| "WORKING_DAY".into()),
        })
    });
    let first = times.next()?;
    times.all(|t| t == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes() {
        assert_eq!(
            clean_name("- Tờ khai\tđăng ký  (mẫu) ."),
            "Tờ khai đăng ký (mẫu)."
        );
        assert_eq!(
            clean_name("+ Tờ khai (nếu nộp trực tiếp);"),
            "Tờ khai (nếu nộp trực tiếp)"
        );
        assert_eq!(clean_name("+ - Ghi chú"), "Ghi chú");
        assert_eq!(clean_name("* Giấy tờ phải nộp:"), "Giấy tờ phải nộp:");
        assert_eq!(
            legal_code("Thông tư số 03/2023/TT-BTP").as_deref(),
            Some("03/2023/TT-BTP")
        );
        assert_eq!(
            legal_code("Thông tư \t226/2016/TT-BTC").as_deref(),
            Some("226/2016/TT-BTC")
        );
        assert_eq!(legal_code("Luật Hộ tịch"), None);
        assert_eq!(number_vi(2000.0), "2.000");
        assert_eq!(number_vi(200000.0), "200.000");
        assert_eq!(number_vi(10.0), "10");
        assert_eq!(number_vi(0.5), "0,5");
        // 2019-07-31T17:00:00Z is 1 August in Vietnam.
        assert_eq!(
            date_of(Some(1_564_592_400_000.0)).unwrap().to_string(),
            "2019-08-01"
        );
    }
}
