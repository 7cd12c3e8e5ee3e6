//! `links.yaml`: the last result of `camnang links` for each link of the guides (the URL
//! of every QR code and every cited source), one entry per URL, sorted by URL, so that a
//! new check shows as a small diff.
//!
//! ```yaml
//! links:
//!   - url: "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193"
//!     status: 200
//!     checked: 2026-12-04
//!   - url: "https://vbpl.vn/old"
//!     status: 404
//!     checked: 2026-12-04
//!     error: "trang trả lời 404"
//! ```
//!
//! Reading it belongs here (through [`crate::content::yaml`]); the online command that
//! writes it is `commands::links`. Its problems are warnings: the file is made by a
//! machine, and the next `camnang links` writes it anew. `check` warns about QR links
//! never checked, failed, or checked longer ago than `links.max_age_days` ([`warnings`]),
//! once the site has a `links.yaml`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::Content;
use crate::content::files;
use crate::content::guide::{Date, Guide};
use crate::content::schema::{Reader, item};
use crate::content::yaml;
use crate::error::{Diagnostic, Pos, Severity};
use crate::i18n::Lang;
use crate::tx;

pub const LINKS_FILE: &str = "links.yaml";

/// The result of checking one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub url: String,
    /// The HTTP status of the last answer (none when no answer came).
    pub status: Option<u16>,
    /// Where the redirects ended, when there were any.
    pub final_url: Option<String>,
    pub checked: Date,
    /// Why the link failed; `None` when it works.
    pub error: Option<String>,
}

impl Checked {
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}

/// The results of `links.yaml`, by URL.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// `links.yaml` exists: the site's links are checked, so `check` warns about them.
    pub present: bool,
    pub entries: BTreeMap<String, Checked>,
}

impl Links {
    /// The day `url` was last found working.
    pub fn checked_ok(&self, url: &str) -> Option<Date> {
        self.entries.get(url).filter(|c| c.ok()).map(|c| c.checked)
    }
}

/// Reads `root/links.yaml` (empty when there is none) and its problems, as warnings.
pub fn load(root: &Path) -> (Links, Vec<Diagnostic>) {
    if !root.join(LINKS_FILE).is_file() {
        return (Links::default(), Vec::new());
    }
    let mut links = Links {
        present: true,
        ..Links::default()
    };
    let diags = match files::read_text(root, LINKS_FILE) {
        Ok(text) => parse(&text, &mut links),
        Err(d) => vec![d],
    };
    let diags = diags
        .into_iter()
        .map(|mut d| {
            d.severity = Severity::Warning;
            d
        })
        .collect();
    (links, diags)
}

/// Reads the text of `links.yaml` into `links`; returns its problems.
fn parse(text: &str, links: &mut Links) -> Vec<Diagnostic> {
    let node = match yaml::parse(text, LINKS_FILE, 0) {
        Ok(n) => n,
        Err(d) => return vec![d],
    };
    let mut r = Reader::new(LINKS_FILE);
    if let Some(mut top) = r.obj(&node, "") {
        for (i, n) in top.list(&mut r, "links").iter().enumerate() {
            if let Some(c) = read_entry(&mut r, n, &item("links", i)) {
                links.entries.insert(c.url.clone(), c);
            }
        }
        top.finish(&mut r, &["links"]);
    }
    r.diags
}

fn read_entry(r: &mut Reader, n: &yaml::Node, path: &str) -> Option<Checked> {
    let mut o = r.obj(n, path)?;
    let url = o.req_text(r, "url");
    let status = o.number_or(r, "status", 0.0, 0.0, 999.0) as u16;
    let final_url = o.opt_text(r, "final_url");
    let error = o.opt_text(r, "error");
    let day = o.req_text(r, "checked");
    let checked = day.as_deref().and_then(Date::parse);
    if day.is_some() && checked.is_none() {
        r.error(
            o.pos_of("checked"),
            &o.child("checked"),
            tx!("`checked` is not a date", "`checked` không phải là ngày"),
            tx!(
                "run `camnang links` again to rewrite the file",
                "chạy lại `camnang links` để ghi lại tệp"
            ),
        );
    }
    o.finish(r, &["url", "status", "final_url", "checked", "error"]);
    Some(Checked {
        url: url?,
        status: (status > 0).then_some(status),
        final_url,
        checked: checked?,
        error,
    })
}

/// The text of `links.yaml` for `entries` (written in the site's language `lang`).
pub fn to_yaml(entries: &BTreeMap<String, Checked>, lang: Lang) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::from(match lang {
        Lang::Vi => {
            "# Kết quả `camnang links` gần nhất cho mỗi liên kết (mã QR và nguồn). Tệp do máy ghi.\n"
        }
        Lang::En => {
            "# The last result of `camnang links` for each link (QR codes and sources). Written by the tool.\n"
        }
    });
    out.push_str("links:\n");
    for c in entries.values() {
        out.push_str(&format!("  - url: {}\n", q(&c.url)));
        if let Some(s) = c.status {
            out.push_str(&format!("    status: {s}\n"));
        }
        if let Some(f) = &c.final_url {
            out.push_str(&format!("    final_url: {}\n", q(f)));
        }
        out.push_str(&format!("    checked: {}\n", c.checked));
        if let Some(e) = &c.error {
            out.push_str(&format!("    error: {}\n", q(e)));
        }
    }
    out
}

/// The warnings of `check` about QR links, once the site has a `links.yaml`: never
/// checked, failed at the last check, or checked more than `links.max_age_days` ago.
pub fn warnings(c: &Content, today: Date) -> Vec<Diagnostic> {
    if !c.links.present {
        return Vec::new();
    }
    let max = c.site.links_max_age_days;
    let mut out = Vec::new();
    for (g, url) in c.guides.iter().zip(&c.portal_urls) {
        let (key, pos) = qr_key(g);
        let warn = |msg| Diagnostic::warning(&g.file, pos, key, msg);
        match c.links.entries.get(url) {
            None => out.push(
                warn(tx!(
                    "the QR link {} has never been checked",
                    "liên kết của mã QR {} chưa được kiểm tra lần nào",
                    url
                ))
                .hint(run_again()),
            ),
            Some(e) if !e.ok() => out.push(
                warn(tx!(
                    "the QR link {} failed when checked on {}: {}",
                    "liên kết của mã QR {} bị lỗi khi kiểm tra ngày {}: {}",
                    url,
                    e.checked.vn(),
                    e.error.as_deref().unwrap_or_default()
                ))
                .hint(tx!(
                    "correct the guide's portal link (or the templates in site.yaml), then run `camnang links` again",
                    "sửa liên kết tới cổng của hướng dẫn (hoặc mẫu URL trong site.yaml), rồi chạy lại `camnang links`"
                )),
            ),
            Some(e) if today.to_days() - e.checked.to_days() > i64::from(max) => out.push(
                warn(tx!(
                    "the QR link {} was last checked on {}, more than {} days ago",
                    "liên kết của mã QR {} được kiểm tra lần cuối ngày {}, đã hơn {} ngày",
                    url,
                    e.checked.vn(),
                    max
                ))
                .hint(run_again()),
            ),
            Some(_) => {}
        }
    }
    out
}

fn run_again() -> crate::i18n::Text {
    tx!(
        "run `camnang links` (it needs the Internet) to check it",
        "chạy `camnang links` (cần kết nối Internet) để kiểm tra"
    )
}

/// The key and position the guide's QR link comes from.
fn qr_key(g: &Guide) -> (&'static str, Pos) {
    if let Some((_, pos)) = &g.portal.url {
        ("portal.url", *pos)
    } else if let Some((_, pos)) = &g.portal.formality_id {
        ("portal.formality_id", *pos)
    } else {
        ("code", g.code_pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_file_reads_back() {
        let mut entries = BTreeMap::new();
        for (url, status, fin, err) in [
            (
                "https://b.vn/x",
                Some(301),
                Some("https://c.vn/\"q\""),
                Some("lỗi: \\ \"x\""),
            ),
            ("https://a.vn/", Some(200), None, None),
            ("http://d.vn/#x: y", None, None, Some("no answer")),
        ] {
            entries.insert(
                url.to_string(),
                Checked {
                    url: url.into(),
                    status,
                    final_url: fin.map(Into::into),
                    checked: Date::parse("2026-12-04").unwrap(),
                    error: err.map(Into::into),
                },
            );
        }
        let text = to_yaml(&entries, Lang::Vi);
        assert!(text.contains("links:\n  - url: \"http://d.vn/#x: y\"\n    checked: 2026-12-04\n    error: \"no answer\"\n  - url: \"https://a.vn/\"\n    status: 200\n"), "{text}");
        let mut back = Links::default();
        assert_eq!(parse(&text, &mut back), vec![]);
        assert_eq!(back.entries, entries);
    }
}
