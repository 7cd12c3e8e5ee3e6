//! What `camnang links` prints: the table of failed links (stdout) and the closing line
//! (stderr), in the language of the messages.

use std::path::Path;

use super::{Outcome, Row, kind};
use crate::i18n::{Lang, count_en};

/// The failed links as a table with a heading line, columns padded with spaces (QR links
/// first, then sources, each by URL); empty when every link works.
pub fn failures(rows: &[Row], lang: Lang) -> String {
    let mut failed: Vec<&Row> = rows.iter().filter(|r| r.problem.is_some()).collect();
    failed.sort_by_key(|r| !r.qr);
    if failed.is_empty() {
        return String::new();
    }
    let head: [&str; 5] = match lang {
        Lang::Vi => ["Loại", "Mã", "Liên kết", "Hướng dẫn", "Lỗi"],
        Lang::En => ["Kind", "Status", "Link", "Guide", "Problem"],
    };
    let mut lines: Vec<[String; 5]> = vec![head.map(str::to_string)];
    for r in failed {
        lines.push([
            kind(r.qr, lang).to_string(),
            r.result
                .status
                .map_or_else(|| "—".to_string(), |s| s.to_string()),
            r.result.url.clone(),
            r.guides.join(", "),
            r.problem
                .as_ref()
                .map(|p| p.get(lang).to_string())
                .unwrap_or_default(),
        ]);
    }
    let width = |col: usize| {
        lines
            .iter()
            .map(|l| l[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..4).map(width).collect();
    let mut out = String::new();
    for l in &lines {
        let mut line = String::new();
        for (i, cell) in l.iter().enumerate() {
            line.push_str(cell);
            if let Some(w) = widths.get(i) {
                let pad = w - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The closing line: how many links were checked and where the results went.
pub fn summary(o: &Outcome, file: &Path, lang: Lang) -> String {
    let f = file.display();
    let Some(_) = &o.written else {
        return match lang {
            Lang::Vi => format!("Không liên kết nào có trả lời (mất mạng?); {f} được giữ nguyên."),
            Lang::En => format!("No link answered (is the network down?); {f} was left as it was."),
        };
    };
    let n = o.rows.len();
    let qr = o.rows.iter().filter(|r| r.qr).count();
    let bad = o.rows.iter().filter(|r| r.problem.is_some()).count();
    let bad_qr = o
        .rows
        .iter()
        .filter(|r| r.qr && r.problem.is_some())
        .count();
    match lang {
        Lang::Vi => format!(
            "Đã kiểm tra {n} liên kết ({qr} mã QR): {} tốt, {bad} lỗi ({bad_qr} mã QR). Kết quả ghi vào {f}.",
            n - bad
        ),
        Lang::En => format!(
            "Checked {} ({}): {} ok, {bad} failed ({}). Results written to {f}.",
            count_en(n, "link", "links"),
            count_en(qr, "QR code", "QR codes"),
            n - bad,
            count_en(bad_qr, "QR code", "QR codes"),
        ),
    }
}
