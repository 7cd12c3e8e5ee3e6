//! A guide as the print templates see it ([`PrintGuide`]): its documents, short steps,
//! printed screenshot, QR code widths and short source titles.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::content::guide::{DocForm, Rect};
use crate::render::theme::escape_html;
use crate::render::view::{DocView, GuideView};

/// What a card of a category's QR card sheet shows of its guide besides the title and
/// question: its QR code and portal URL (only these, so that a rebuild keeps the sheet
/// when nothing else of a guide changed, see [`crate::render::rebuild`]).
#[derive(Serialize)]
pub(super) struct CardCode<'a> {
    url_html: String,
    qr_mm: String,
    qr_svg: &'a str,
}

/// The QR code of guide `v` for its card.
pub(super) fn card_code<'a>(v: &'a GuideView<'a>) -> CardCode<'a> {
    CardCode {
        url_html: url_html(v.portal_url),
        qr_mm: qr_width(v.qr_modules, 26.0, 31.0),
        qr_svg: &v.qr_svg,
    }
}

/// A guide as the print templates see it.
#[derive(Serialize)]
pub(super) struct PrintGuide<'a> {
    /// The portal URL, escaped, with break opportunities after `/`, `?`, `=` and `&`.
    url_html: String,
    /// 0: 12 pt body text; 1–4: 11 pt and less on the sheet (set by the fit estimate).
    fit: u8,
    docs: Vec<PrintDoc<'a>>,
    steps: Vec<ShortStep<'a>>,
    shots: Vec<PrintShot<'a>>,
    /// Printed widths of the QR code (quiet zone included) on leaflets and cards, and on the
    /// poster, in mm: the code itself is at least 26 mm (poster: 62 mm) wide.
    qr_mm: String,
    qr_poster_mm: String,
    /// The QR code's SVG, inline: each printable prints alone (and the kiosk prints the
    /// A4 leaflet from its own folder).
    qr_svg: &'a str,
    /// The day the portal URL was last found working (`dd/mm/yyyy`), see `links.yaml`.
    link_checked: Option<&'a str>,
    /// The sources' titles, shortened to their first part (before ` (` or ` — `).
    sources: Vec<&'a str>,
}

#[derive(Serialize)]
struct PrintDoc<'a> {
    name: &'a str,
    note_html: Option<String>,
    required: bool,
    form: Option<DocForm>,
    count: u32,
}

#[derive(Serialize)]
struct ShortStep<'a> {
    n: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct PrintShot<'a> {
    n: usize,
    src: &'a str,
    alt: &'a str,
    caption: Option<&'a str>,
    highlight: Option<Rect>,
}

impl PrintGuide<'_> {
    /// Its fit level.
    pub(super) fn fit(&self) -> u8 {
        self.fit
    }
}

/// The portal URL for print: escaped, breakable after separators (a URL wraps at `/`
/// rather than in the middle of a word).
fn url_html(url: &str) -> String {
    let mut out = String::with_capacity(url.len() + 32);
    for c in url.chars() {
        out.push_str(&escape_html(c.encode_utf8(&mut [0; 4])));
        if matches!(c, '/' | '?' | '=' | '&') {
            out.push_str("<wbr>");
        }
    }
    out
}

/// Rewrites the guide page's root (`../../`) in rendered Markdown to `root`.
pub(super) fn reroot(html: &str, root: &str) -> String {
    if root == "../../" {
        html.to_string()
    } else {
        html.replace("=\"../../", &format!("=\"{root}"))
    }
}

/// A guide for print at `root`, at fit level `site_fit`.
pub(super) fn print_guide<'a>(v: &'a GuideView<'a>, root: &str, site_fit: u8) -> PrintGuide<'a> {
    PrintGuide {
        url_html: url_html(v.portal_url),
        fit: site_fit,
        docs: v
            .documents
            .iter()
            .map(|d: &DocView<'_>| PrintDoc {
                name: d.name,
                note_html: d.note_html.as_deref().map(|h| reroot(h, root)),
                required: d.required,
                form: d.form,
                count: d.count,
            })
            .collect(),
        steps: v
            .steps
            .iter()
            .map(|s| ShortStep {
                n: s.n,
                text: s.short,
            })
            .collect(),
        shots: v
            .steps
            .iter()
            .filter_map(|s| {
                let sh = s.screenshot.as_ref().filter(|sh| sh.print)?;
                Some(PrintShot {
                    n: s.n,
                    src: &sh.src,
                    alt: sh.alt,
                    caption: sh.caption,
                    highlight: sh.highlight,
                })
            })
            .take(MAX_SHOTS)
            .collect(),
        qr_mm: qr_width(v.qr_modules, 26.0, 31.0),
        qr_svg: &v.qr_svg,
        qr_poster_mm: qr_width(v.qr_modules, 62.0, 75.0),
        link_checked: v.link_checked.as_deref(),
        sources: {
            let mut seen = BTreeSet::new();
            v.sources
                .iter()
                .map(|s| short_title(s.title))
                .filter(|t| seen.insert(*t))
                .collect()
        },
    }
}

/// The printed width (mm, one decimal) of a QR code of `modules` modules, 4-module quiet
/// zone on each side included, whose code is at least `code_mm` wide; at least `min_mm`.
fn qr_width(modules: usize, code_mm: f64, min_mm: f64) -> String {
    let m = modules as f64;
    let w = (code_mm * m / (m - 8.0).max(1.0)).max(min_mm);
    format!("{:.1}", (w * 10.0).ceil() / 10.0)
}

/// A source's title up to ` (`, ` — ` or `: ` (the name of the document, not its details).
pub(super) fn short_title(t: &str) -> &str {
    let end = [" (", " — ", " – ", ": "]
        .iter()
        .filter_map(|sep| t.find(sep))
        .filter(|&i| i >= 12)
        .min()
        .unwrap_or(t.len());
    t[..end].trim_end_matches([',', ';', '.'])
}

/// Screenshots on an A4 leaflet at most.
pub(super) const MAX_SHOTS: usize = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_breaks() {
        assert_eq!(
            url_html("https://a.vn/x?k=1&b"),
            "https:/<wbr>/<wbr>a.vn/<wbr>x?<wbr>k=<wbr>1&amp;<wbr>b"
        );
    }
}
