//! The fit estimate of the A4 leaflet: a model of its layout that gives each part's
//! height at each type size level ([`fit`]), and the warning for a leaflet that will not
//! fit on one sheet ([`estimate`]).

use rayon::prelude::*;

use crate::content::Content;
use crate::content::config::Office;
use crate::content::guide::Guide;
use crate::error::{Diagnostic, Pos};
use crate::render::print::guide::{MAX_SHOTS, short_title};
use crate::tx;

// The fit estimate.

/// Warnings for guides whose A4 leaflet will likely not fit on one sheet (used by `build`
/// and by `check`, which renders nothing).
pub fn estimate(c: &Content) -> Vec<Diagnostic> {
    c.guides
        .par_iter()
        .filter_map(|g| fit(c, g).warning(g))
        .collect()
}

/// How a leaflet fits: the type size level, and the estimated heights of its parts.
#[derive(Clone)]
pub struct Fit {
    level: u8,
    /// Estimated height at that level, in mm.
    height: f64,
    parts: Vec<(&'static str, f64)>,
}

/// Usable height of the A4 sheet (297 mm minus 2 × 10 mm margins), less a safety margin.
const A4_USABLE_MM: f64 = 277.0 - 6.0;

impl Fit {
    /// The type size level (0 = 12 pt … 4), see [`fit`].
    pub fn level(&self) -> u8 {
        self.level
    }

    /// The "will not fit" warning for guide `g`, if its leaflet is too long.
    pub fn warning(&self, g: &Guide) -> Option<Diagnostic> {
        if self.height <= A4_USABLE_MM {
            return None;
        }
        let over = self.height - A4_USABLE_MM;
        let mut parts: Vec<&(&str, f64)> = self.parts.iter().collect();
        parts.sort_by(|a, b| b.1.total_cmp(&a.1));
        let longest: Vec<&str> = parts
            .iter()
            .filter(|(k, _)| !k.trim().is_empty())
            .take(2)
            .map(|(k, _)| *k)
            .collect();
        let (en, vi): (Vec<String>, Vec<String>) = longest
            .iter()
            .map(|k| match *k {
                "documents" => (
                    "the documents' notes (`documents[].note`)".to_string(),
                    "ghi chú của giấy tờ (`documents[].note`)".to_string(),
                ),
                "steps" => (
                    "the steps' short forms (`steps[].short`)".into(),
                    "dạng ngắn của các bước (`steps[].short`)".into(),
                ),
                "fields" => (
                    "the list of form fields (`fields`)".into(),
                    "danh sách ô trên mẫu đơn (`fields`)".into(),
                ),
                "facts" => (
                    "`fee`, `processing_time`, `agency` or `result`".into(),
                    "`fee`, `processing_time`, `agency` hoặc `result`".into(),
                ),
                "notes" => (
                    "the office's note on this guide (`notes` in its `offices/` file)".into(),
                    "lưu ý riêng của phường cho hướng dẫn này (`notes` trong tệp `offices/`)"
                        .into(),
                ),
                "head" => (
                    "`summary` or `audience`".into(),
                    "`summary` hoặc `audience`".into(),
                ),
                "screenshots" => (
                    "the printed screenshots (`print: true`)".into(),
                    "ảnh chụp được in (`print: true`)".into(),
                ),
                _ => (
                    "the sources' titles (`sources[].title`)".into(),
                    "tên các nguồn (`sources[].title`)".into(),
                ),
            })
            .unzip();
        Some(
            Diagnostic::warning(
                &g.file,
                Pos::default(),
                "",
                tx!(
                    "the A4 leaflet of `{}` will not fit on one sheet (about {} mm too long)",
                    "tờ rơi A4 của `{}` sẽ không vừa một trang giấy (dài hơn khoảng {} mm)",
                    g.title,
                    over.ceil() as i64
                ),
            )
            .hint(crate::i18n::Text::new(
                format!("shorten {}", en.join(" and ")),
                format!("rút gọn {}", vi.join(" và ")),
            )),
        )
    }
}

/// The leaflet's geometry (mm): a 190 mm wide text area (A4 less 10 mm margins), the QR
/// box floated at the top right, then two columns of steps and of fields/screenshot.
const FULL_MM: f64 = 190.0;
const QR_BOX_MM: f64 = 56.0;
const STEPS_MM: f64 = (190.0 - 6.0) * 0.56 - 8.0;
const SIDE_MM: f64 = (190.0 - 6.0) * 0.44;
const DOC_MM: f64 = 190.0 - 8.0;
const PT_MM: f64 = 0.3528;
/// Be Vietnam Pro's average advance on Vietnamese text, in em (calibrated on the bundled
/// guides as Chromium prints them).
const CHAR_EM: f64 = 0.5;

/// Line counts and heights at a body size.
struct Metrics {
    pt: f64,
}

/// Line height of body text, in ems.
const LEAD: f64 = 1.25;

impl Metrics {
    /// The body size at fit `level`: 12 pt at level 0, else 11 pt.
    fn at(level: u8) -> Metrics {
        Metrics {
            pt: if level == 0 { 12.0 } else { 11.0 },
        }
    }
    /// Lines taken by `n` characters at `scale` × body size in a column `width` mm wide.
    fn lines(&self, n: f64, width: f64, scale: f64) -> f64 {
        if n <= 0.0 {
            return 0.0;
        }
        let per_line = (width / (self.pt * scale * PT_MM * CHAR_EM))
            .floor()
            .max(8.0);
        (n / per_line).ceil()
    }
    /// Height of `n` characters as one paragraph.
    fn para(&self, n: usize, width: f64, scale: f64, leading: f64) -> f64 {
        self.lines(n as f64, width, scale) * self.pt * scale * PT_MM * leading
    }
    /// The scale of notes, form fields, the contact block and the anti-scam box: 0.92 ×
    /// body, never under 11 pt.
    fn small_scale(&self) -> f64 {
        (11.0 / self.pt).max(0.92)
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Estimated heights of the leaflet's parts, in mm, at fit `level` (see [`fit`]).
fn parts(c: &Content, g: &Guide, level: u8) -> Vec<(&'static str, f64)> {
    let m = Metrics::at(level);
    let qr_box = qr_box();
    let top_plain = top(&m, c, g, qr_box, false);
    let top = top(&m, c, g, qr_box, true);
    let docs = documents(&m, g, level);
    let steps = steps(&m, g);
    let fields = fields(&m, g);
    let shots = shots(g, level);
    let cols = steps.max(fields + shots) + 2.2;
    let contact = contact(&m, &c.site.office);
    let scam = scam(&m, &c.site.anti_scam);
    let sources = sources(g);
    vec![
        // The QR box is there on every leaflet; only the text under it can be shortened.
        ("", qr_box),
        ("head", top_plain - qr_box),
        ("notes", top - top_plain),
        ("documents", docs + 2.2),
        // The columns' height less the side column, so that the parts add up to the total.
        ("steps", cols - fields - shots),
        ("fields", fields),
        ("screenshots", shots),
        // The office's contact and the anti-scam line are the same on every leaflet.
        ("", contact + scam + 4.4),
        ("sources", sources),
        // At 11 pt the QR box, boxes and gaps keep their size (measured); level 4 also
        // tightens the gaps between blocks and list items (measured: about 5.5 mm less).
        (
            " ",
            match level {
                0 => 0.0,
                4 => 7.0,
                _ => 12.0,
            },
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.max(0.0)))
    .collect()
}

/// Height of the QR box at the top right (the code and its captions).
fn qr_box() -> f64 {
    31.0 + 3.0 * 9.0 * 1.35 * PT_MM + 2.0 * 10.5 * 1.2 * PT_MM + 6.0
}

/// Height of the top of the leaflet: the QR box, and the title, question, summary, the
/// office's notes (with `notes`) and facts beside it (what does not fit beside the box flows
/// under it, at full width).
fn top(m: &Metrics, c: &Content, g: &Guide, qr_box: f64, notes: bool) -> f64 {
    let narrow = FULL_MM - QR_BOX_MM;
    // The text beside and under the QR box.
    let question = g.question.as_deref().map_or(0, chars);
    let head = m.para(chars(&g.title), narrow, 1.75, 1.15)
        + m.para(question, narrow, 1.15, LEAD)
        + m.para(chars(&g.summary), narrow, 1.0, LEAD)
        + if c.site.example { 6.0 } else { 0.0 }
        + 3.0
        + if notes {
            g.local_notes
                .iter()
                .map(|n| {
                    m.para(
                        chars(n) + chars(&c.site.office.name) + 16,
                        narrow,
                        1.0,
                        LEAD,
                    ) + 1.2
                })
                .sum::<f64>()
        } else {
            0.0
        };
    let facts = [&g.audience, &g.fee, &g.processing_time]
        .iter()
        .map(|t| m.para(chars(t) + 16, narrow, 1.0, LEAD) + 0.8)
        .sum::<f64>()
        + 4.0;
    let beside = head + facts;
    if beside <= qr_box {
        qr_box
    } else {
        qr_box + (beside - qr_box) * narrow / FULL_MM
    }
}

/// Height of the documents' list (at level 4 without the notes of optional documents).
fn documents(m: &Metrics, g: &Guide, level: u8) -> f64 {
    let small_scale = m.small_scale();
    m.para(40, FULL_MM, 1.2, 1.15)
        + 1.5
        + g.documents
            .iter()
            .map(|d| {
                let name =
                    chars(&d.name) as f64 * 1.05 + 12.0 + if d.form.is_some() { 18.0 } else { 0.0 };
                let note = d
                    .note
                    .as_deref()
                    .filter(|_| level < 4 || d.required)
                    .map_or(0.0, |n| chars(n) as f64 * small_scale + 3.0);
                m.lines(name + note, DOC_MM, 1.0) * m.pt * PT_MM * LEAD + 1.0
            })
            .sum::<f64>()
}

/// Height of the steps' column (their short forms).
fn steps(m: &Metrics, g: &Guide) -> f64 {
    m.para(10, STEPS_MM, 1.2, 1.15)
        + 1.0
        + g.steps
            .iter()
            .map(|s| {
                m.para(
                    chars(s.short.as_deref().unwrap_or(&s.title)),
                    STEPS_MM,
                    1.0,
                    LEAD,
                ) + 1.0
            })
            .sum::<f64>()
}

/// Height of the form's fields in the side column (none without fields).
fn fields(m: &Metrics, g: &Guide) -> f64 {
    if g.fields.is_empty() {
        0.0
    } else {
        m.para(20, SIDE_MM, 1.2, 1.15)
            + 1.0
            + g.fields
                .iter()
                .map(|f| m.para(chars(&f.label) + 2, SIDE_MM - 5.0, m.small_scale(), LEAD) + 0.8)
                .sum::<f64>()
    }
}

/// Height of the printed screenshot in the side column: smaller at level 2, none from
/// level 3.
fn shots(g: &Guide, level: u8) -> f64 {
    if level >= 3 {
        0.0
    } else {
        g.steps
            .iter()
            .filter_map(|s| s.screenshot.as_ref().filter(|sh| sh.print))
            .take(MAX_SHOTS)
            .map(|sh| {
                let ratio = match (sh.width, sh.height) {
                    (Some(w), Some(h)) if w > 0 => f64::from(h) / f64::from(w),
                    _ => 0.625,
                };
                SIDE_MM * ratio * if level == 2 { 0.62 } else { 1.0 } + 8.0
            })
            .sum()
    }
}

/// Height of the office's contact block.
fn contact(m: &Metrics, o: &Office) -> f64 {
    let small = |n: usize| m.para(n, FULL_MM, m.small_scale(), 1.2);
    m.para(
        chars(o.desk.as_deref().unwrap_or(&o.name)) + 14,
        FULL_MM,
        1.05,
        1.15,
    ) + small(chars(&o.phone) + 60)
        + small(chars(&o.address) + 10)
        + small(o.hours.iter().map(|h| chars(h) + 2).sum::<usize>() + 14)
        + o.home_visit
            .as_deref()
            .map_or(0.0, |h| small(chars(h) + 16))
        + 4.0
}

/// Height of the anti-scam box (its first line).
fn scam(m: &Metrics, anti_scam: &[String]) -> f64 {
    m.para(
        anti_scam.first().map_or(0, |s| chars(s)) + 22,
        FULL_MM - 6.0,
        m.small_scale(),
        LEAD,
    ) + 5.0
}

/// Height of the sources' line, in small print.
fn sources(g: &Guide) -> f64 {
    let sources_chars = g
        .sources
        .iter()
        .map(|s| chars(short_title(&s.title)) + 2)
        .sum::<usize>()
        + 70;
    let per_line = (FULL_MM / (9.0 * PT_MM * CHAR_EM)).floor();
    (sources_chars as f64 / per_line).ceil() * 9.0 * PT_MM * 1.2 + 2.2
}

/// Picks the first level at which the leaflet fits: 0 (12 pt), 1 (11 pt), 2 (11 pt, smaller
/// screenshot), 3 (11 pt, no screenshot), 4 (11 pt, no screenshot, no notes under optional
/// documents, tighter spacing). Notes, form fields, contact and anti-scam text stay ≥ 11 pt.
pub fn fit(c: &Content, g: &Guide) -> Fit {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let mut last = None;
    for level in 0..=4u8 {
        let parts = parts(c, g, level);
        let height = parts.iter().map(|(_, v)| v).sum::<f64>();
        if *DEBUG.get_or_init(|| std::env::var_os("CAMNANG_FIT_DEBUG").is_some()) {
            eprintln!("{level} {:<32} {height:6.1} mm", g.slug);
        }
        let f = Fit {
            level,
            height,
            parts,
        };
        if height <= A4_USABLE_MM {
            return f;
        }
        last = Some(f);
    }
    last.unwrap_or(Fit {
        level: 4,
        height: 0.0,
        parts: Vec::new(),
    })
}
