//! Printables: A4 and A5 leaflets, QR posters, category QR cards and the booklet
//! (issue #4). Each is print-ready HTML with its own `@page` rules (`assets/print.css`,
//! which does not depend on the screen stylesheet).
//!
//! Output paths (all relative to the site's top):
//! - `print/index.html`                    every printable with a print link
//! - `print/<slug>/a4.html`                A4 leaflet, one sheet, one side
//! - `print/<slug>/a5.html`                A5 leaflet of the essentials
//! - `print/<slug>/poster.html`            A4 notice-board QR poster
//! - `print/categories/<id>/index.html`    one sheet of QR cards for a category
//! - `print/booklet/index.html`            every guide, with a table of contents
//!
//! With `--pdf`, [`crate::output::pdf`] prints each of them (but the index) next to its HTML, as
//! named by [`pdf_path`].
//!
//! Whether an A4 leaflet fits one sheet is estimated from the content alone ([`estimate`]),
//! with a simple model of the leaflet's layout (characters per line and line heights of
//! each block at the sizes of `print.css`). The same estimate picks the leaflet's type size:
//! 12 pt when it fits, else 11 pt, then a smaller screenshot, then none, then no notes
//! under optional documents ([`fit`]); a guide that does not fit even then gets a warning
//! that names the longest parts. The model was calibrated against Chromium's print of the
//! bundled guides (within about ±6 mm); after changing `print.css`, run a build with
//! `CAMNANG_FIT_DEBUG=1` to see each leaflet's estimate per level and compare.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Content;
use crate::content::guide::{DocForm, Guide, Rect};
use crate::error::{Diagnostic, Error, Pos};
use crate::render::sink::OutputFile;
use crate::render::theme::escape_html;
use crate::render::{CategoryView, Ctx, DocView, GuidePass, GuideView, Html};
use crate::tx;

/// Path of a guide's A4 leaflet, relative to the site's top.
pub fn a4_url(slug: &str) -> String {
    format!("print/{slug}/a4.html")
}

/// Path of a guide's A5 leaflet, relative to the site's top.
pub fn a5_url(slug: &str) -> String {
    format!("print/{slug}/a5.html")
}

/// Path of a guide's QR poster, relative to the site's top.
pub fn poster_url(slug: &str) -> String {
    format!("print/{slug}/poster.html")
}

/// Path of a category's sheet of QR cards, relative to the site's top.
pub fn cards_url(id: &str) -> String {
    format!("print/categories/{id}/index.html")
}

pub const BOOKLET_URL: &str = "print/booklet/index.html";
pub const INDEX_URL: &str = "print/index.html";

/// Where the PDF of a printable goes (`print/<slug>/<slug>-a4.pdf`, …), or `None` for
/// files that are not printables.
pub fn pdf_path(html: &str) -> Option<String> {
    let rest = html.strip_prefix("print/")?.strip_suffix(".html")?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["booklet", "index"] => Some("print/booklet/booklet.pdf".into()),
        ["categories", id, "index"] => Some(format!("print/categories/{id}/{id}-qr.pdf")),
        // Two parts: a guide's printable, also for a guide named `booklet` or `categories`
        // (the booklet and card sheets are three and two parts deep).
        [slug, kind @ ("a4" | "a5" | "poster")] => Some(format!("print/{slug}/{slug}-{kind}.pdf")),
        _ => None,
    }
}

/// The root of a guide's printables (`print/<slug>/…`): two folders down, as its page.
const ROOT: &str = "../../";

/// A guide as the print templates see it.
#[derive(Serialize)]
struct PrintGuide<'a> {
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
fn reroot(html: &str, root: &str) -> String {
    if root == "../../" {
        html.to_string()
    } else {
        html.replace("=\"../../", &format!("=\"{root}"))
    }
}

/// A guide for print at `root`, at fit level `site_fit`.
fn print_guide<'a>(v: &'a GuideView<'a>, root: &str, site_fit: u8) -> PrintGuide<'a> {
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
fn short_title(t: &str) -> &str {
    let end = [" (", " — ", " – ", ": "]
        .iter()
        .filter_map(|sep| t.find(sep))
        .filter(|&i| i >= 12)
        .min()
        .unwrap_or(t.len());
    t[..end].trim_end_matches([',', ';', '.'])
}

/// Screenshots on an A4 leaflet at most.
const MAX_SHOTS: usize = 1;

#[derive(Serialize)]
struct CardsPage<'a> {
    category: &'a CategoryView<'a>,
    cards: Vec<Card<'a>>,
}

#[derive(Serialize)]
struct Card<'a> {
    p: PrintGuide<'a>,
    title: &'a str,
    question: Option<&'a str>,
}

#[derive(Serialize)]
struct TocGroup<'a> {
    title: &'a str,
    start: usize,
    entries: Vec<TocEntry<'a>>,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    slug: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct BookletPage<'a> {
    toc: Vec<TocGroup<'a>>,
}

/// Where the chapters go in the booklet's template (they are joined outside Tera: a
/// booklet of hundreds of guides is tens of megabytes).
const CHAPTERS: &str = "<!-- camnang:chapters -->";

/// The booklet is made for sites of up to this many guides (a longer one is not printed
/// in one piece; the print index says so).
pub const BOOKLET_MAX: usize = 300;

#[derive(Serialize)]
struct ChapterPage<'a> {
    p: &'a PrintGuide<'a>,
    guide: &'a GuideView<'a>,
    n: usize,
}

#[derive(Serialize)]
struct IndexPage<'a> {
    pdf: bool,
    booklet: bool,
    groups: Vec<IndexGroup<'a>>,
}

#[derive(Serialize)]
struct IndexGroup<'a> {
    category: &'a CategoryView<'a>,
    guides: Vec<IndexGuide<'a>>,
}

#[derive(Serialize)]
struct IndexGuide<'a> {
    slug: &'a str,
    title: &'a str,
    url: &'a str,
}

/// The printables of one guide: A4 and A5 leaflets and poster, each with its QR code
/// inline, so each prints alone. Returns the A4 leaflet, which the
/// kiosk prints too (see [`kiosk_leaflet`]).
pub fn guide_files(pass: &mut GuidePass<'_, '_>) -> Result<Html, Error> {
    let v = pass.view;
    let level = pass.fit.level;
    // Made once for the three, and only if one of them is rendered (not cached).
    let p = std::cell::OnceCell::new();
    // Each page depends on the view and the fit.
    let render = |pass: &mut GuidePass<'_, '_>, name: &str| {
        pass.render_with(name, ROOT, Some(level), "p", || {
            p.get_or_init(|| print_guide(v, ROOT, level))
        })
    };
    let a4 = render(pass, "print/a4.html")?;
    let a5 = render(pass, "print/a5.html")?;
    let poster = render(pass, "print/poster.html")?;
    let sink = pass.ctx.sink;
    sink.put(a4.clone().into_file(a4_url(v.slug)))?;
    sink.put(a5.into_file(a5_url(v.slug)))?;
    sink.put(poster.into_file(poster_url(v.slug)))?;
    Ok(a4)
}

/// The A4 leaflet `a4` (as made by [`guide_files`]) for the kiosk folder: its links to
/// `../../assets/…` and `../../media/…` made relative to the kiosk's top, where the kiosk
/// keeps copies of those files. The QR code is inline already.
pub fn kiosk_leaflet(a4: &str) -> String {
    reroot(a4, "")
}

impl Fit {
    /// The type size level (0 = 12 pt … 4), see [`fit`].
    pub fn level(&self) -> u8 {
        self.level
    }
}

/// Renders the printables of the whole site: category QR cards, booklet and index (those
/// of each guide are made with its page, by [`guide_files`]).
pub fn render(ctx: &Ctx<'_>) -> Result<(), Error> {
    let sink = ctx.sink;
    let c = ctx.content;
    for cat in &ctx.site.categories {
        let guides: Vec<(usize, &GuideView<'_>)> = ctx
            .guides
            .iter()
            .enumerate()
            .filter(|(_, v)| v.category_id == cat.id)
            .collect();
        if guides.is_empty() {
            continue;
        }
        // The sheet depends on the category and its guides' views: with a cache, their
        // hashes stand in for the cards (hashing every card was most of an update's work).
        let key = ctx.cache.map(|_| {
            let hashes: Vec<u128> = guides
                .iter()
                .filter_map(|(i, _)| ctx.view_hashes.get(*i).copied())
                .collect();
            (cat, hashes)
        });
        let html = ctx.page_with_key("print/category.html", "../../../", key, || CardsPage {
            category: cat,
            cards: guides
                .iter()
                .map(|(_, v)| Card {
                    p: print_guide(v, "../../../", 0),
                    title: v.title,
                    question: v.question,
                })
                .collect(),
        })?;
        sink.put(html.into_file(cards_url(cat.id)))?;
    }

    if c.guides.len() <= BOOKLET_MAX {
        sink.put(OutputFile::bytes(BOOKLET_URL, booklet(ctx, c)?))?;
    }
    sink.put(index(ctx)?.into_file(INDEX_URL.into()))?;
    Ok(())
}

fn index(ctx: &Ctx<'_>) -> Result<Html, Error> {
    let groups = ctx
        .site
        .categories
        .iter()
        .map(|cat| IndexGroup {
            category: cat,
            guides: ctx
                .guides
                .iter()
                .filter(|v| v.category_id == cat.id)
                .map(|v| IndexGuide {
                    slug: v.slug,
                    title: v.title,
                    url: &v.url,
                })
                .collect(),
        })
        .filter(|g| !g.guides.is_empty())
        .collect();
    ctx.page(
        "print/index.html",
        "../",
        IndexPage {
            pdf: ctx.content.site.pdf,
            booklet: ctx.guides.len() <= BOOKLET_MAX,
            groups,
        },
    )
}

/// The booklet: a cover with the table of contents, then every guide on a new page. Ids
/// are made unique by prefixing them with the guide's slug, and links between guides
/// become links inside the booklet (as mdBook's print page does).
fn booklet(ctx: &Ctx<'_>, c: &Content) -> Result<String, Error> {
    let mut toc: Vec<TocGroup<'_>> = Vec::new();
    let mut n = 0;
    for cat in &ctx.site.categories {
        let entries: Vec<TocEntry<'_>> = ctx
            .guides
            .iter()
            .filter(|v| v.category_id == cat.id)
            .map(|v| TocEntry {
                slug: v.slug,
                title: v.title,
            })
            .collect();
        if entries.is_empty() {
            continue;
        }
        toc.push(TocGroup {
            title: cat.title,
            start: n + 1,
            entries,
        });
        n += toc.last().map_or(0, |g| g.entries.len());
    }
    let slugs: BTreeSet<&str> = ctx.guides.iter().map(|v| v.slug).collect();
    let cover = ctx.page("print/booklet.html", "../../", BookletPage { toc })?;
    let (head, tail) = cover.split_once(CHAPTERS).unwrap_or((&cover, ""));
    let chapters: Vec<String> = ctx
        .guides
        .par_iter()
        .zip(c.guides.par_iter())
        .enumerate()
        .map(|(i, (v, _))| {
            let p = print_guide(v, "../../", 0);
            let html = ctx.page(
                "print/booklet-guide.html",
                "../../",
                ChapterPage {
                    p: &p,
                    guide: v,
                    n: i + 1,
                },
            )?;
            Ok(unique_ids(&html, v.slug, &slugs))
        })
        .collect::<Result<_, Error>>()?;
    let mut out = String::with_capacity(
        head.len() + tail.len() + chapters.iter().map(String::len).sum::<usize>(),
    );
    out.push_str(head);
    for ch in chapters {
        out.push_str(&ch);
    }
    out.push_str(tail);
    Ok(out)
}

/// Prefixes the ids of one chapter with `slug--` and rewrites its links: `#x` → `#slug--x`,
/// a link to another guide's page `../../guides/other/index.html#x` → `#other--x` (or
/// `#other` without an anchor). The chapter's own `id="slug"` is kept.
fn unique_ids(html: &str, slug: &str, slugs: &BTreeSet<&str>) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = find_attr(rest) {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let (name, value_start) = if let Some(a) = after.strip_prefix("id=\"") {
            ("id", a)
        } else if let Some(a) = after.strip_prefix("aria-labelledby=\"") {
            ("aria-labelledby", a)
        } else if let Some(a) = after.strip_prefix("href=\"") {
            ("href", a)
        } else {
            unreachable!("find_attr finds only these")
        };
        let end = value_start.find('"').unwrap_or(value_start.len());
        let value = &value_start[..end];
        let new = match name {
            "href" => rewrite_href(value, slug, slugs),
            _ if value == slug => value.to_string(),
            _ => format!("{slug}--{value}"),
        };
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(&new);
        rest = &value_start[end..];
    }
    out.push_str(rest);
    out
}

/// Position of the next ` id="`, ` aria-labelledby="` or ` href="` (after a space).
fn find_attr(s: &str) -> Option<usize> {
    ["id=\"", "aria-labelledby=\"", "href=\""]
        .iter()
        .filter_map(|pat| {
            let mut from = 0;
            while let Some(i) = s[from..].find(pat) {
                let at = from + i;
                if at > 0 && s.as_bytes()[at - 1] == b' ' {
                    return Some(at);
                }
                from = at + pat.len();
            }
            None
        })
        .min()
}

fn rewrite_href(href: &str, slug: &str, slugs: &BTreeSet<&str>) -> String {
    if let Some(anchor) = href.strip_prefix('#') {
        return format!("#{slug}--{anchor}");
    }
    if let Some(rest) = href.strip_prefix("../../guides/")
        && let Some((other, tail)) = rest.split_once("/index.html")
        && slugs.contains(other)
    {
        return match tail.strip_prefix('#') {
            Some(a) if !a.is_empty() => format!("#{other}--{a}"),
            _ => format!("#{other}"),
        };
    }
    href.to_string()
}

// ---------------------------------------------------------------------------------------
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
pub struct Fit {
    level: u8,
    /// Estimated height at that level, in mm.
    height: f64,
    parts: Vec<(&'static str, f64)>,
}

/// Usable height of the A4 sheet (297 mm minus 2 × 10 mm margins), less a safety margin.
const A4_USABLE_MM: f64 = 277.0 - 6.0;

impl Fit {
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

impl Metrics {
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
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Estimated heights of the leaflet's parts, in mm, at fit `level` (see [`fit`]).
fn parts(c: &Content, g: &Guide, level: u8) -> Vec<(&'static str, f64)> {
    let m = Metrics {
        pt: if level == 0 { 12.0 } else { 11.0 },
    };
    let lead = 1.25;
    // Notes, form fields, the contact block and the anti-scam box: 0.92 × body, never under 11 pt.
    let small_scale = (11.0 / m.pt).max(0.92);
    let site = &c.site;
    let narrow = FULL_MM - QR_BOX_MM;
    // The text beside and under the QR box.
    let question = g.question.as_deref().map_or(0, chars);
    let head = m.para(chars(&g.title), narrow, 1.75, 1.15)
        + m.para(question, narrow, 1.15, lead)
        + m.para(chars(&g.summary), narrow, 1.0, lead)
        + if site.example { 6.0 } else { 0.0 }
        + 3.0;
    let facts = [&g.audience, &g.fee, &g.processing_time]
        .iter()
        .map(|t| m.para(chars(t) + 16, narrow, 1.0, lead) + 0.8)
        .sum::<f64>()
        + 4.0;
    let qr_box = 31.0 + 3.0 * 9.0 * 1.35 * PT_MM + 2.0 * 10.5 * 1.2 * PT_MM + 6.0;
    let beside = head + facts;
    // What does not fit beside the box flows under it, at full width.
    let top = if beside <= qr_box {
        qr_box
    } else {
        qr_box + (beside - qr_box) * narrow / FULL_MM
    };
    let docs: f64 = m.para(40, FULL_MM, 1.2, 1.15)
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
                m.lines(name + note, DOC_MM, 1.0) * m.pt * PT_MM * lead + 1.0
            })
            .sum::<f64>();
    let steps: f64 = m.para(10, STEPS_MM, 1.2, 1.15)
        + 1.0
        + g.steps
            .iter()
            .map(|s| {
                m.para(
                    chars(s.short.as_deref().unwrap_or(&s.title)),
                    STEPS_MM,
                    1.0,
                    lead,
                ) + 1.0
            })
            .sum::<f64>();
    let fields: f64 = if g.fields.is_empty() {
        0.0
    } else {
        m.para(20, SIDE_MM, 1.2, 1.15)
            + 1.0
            + g.fields
                .iter()
                .map(|f| m.para(chars(&f.label) + 2, SIDE_MM - 5.0, small_scale, lead) + 0.8)
                .sum::<f64>()
    };
    let shots: f64 = if level >= 3 {
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
    };
    let cols = steps.max(fields + shots) + 2.2;
    let o = &site.office;
    let small = |n: usize| m.para(n, FULL_MM, small_scale, 1.2);
    let contact = m.para(
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
        + 4.0;
    let scam = m.para(
        site.anti_scam.first().map_or(0, |s| chars(s)) + 22,
        FULL_MM - 6.0,
        small_scale,
        lead,
    ) + 5.0;
    let sources_chars = g
        .sources
        .iter()
        .map(|s| chars(short_title(&s.title)) + 2)
        .sum::<usize>()
        + 70;
    let per_line = (FULL_MM / (9.0 * PT_MM * CHAR_EM)).floor();
    let sources = (sources_chars as f64 / per_line).ceil() * 9.0 * PT_MM * 1.2 + 2.2;
    vec![
        // The QR box is there on every leaflet; only the text under it can be shortened.
        ("", qr_box),
        ("head", top - qr_box),
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

/// Picks the first level at which the leaflet fits: 0 (12 pt), 1 (11 pt), 2 (11 pt, smaller
/// screenshot), 3 (11 pt, no screenshot), 4 (11 pt, no screenshot, no notes under optional
/// documents, tighter spacing). Notes, form fields, contact and anti-scam text stay ≥ 11 pt.
pub fn fit(c: &Content, g: &Guide) -> Fit {
    let mut last = None;
    for level in 0..=4u8 {
        let parts = parts(c, g, level);
        let height = parts.iter().map(|(_, v)| v).sum::<f64>();
        if std::env::var_os("CAMNANG_FIT_DEBUG").is_some() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_paths() {
        for (html, pdf) in [
            (
                "print/khai-sinh/a4.html",
                Some("print/khai-sinh/khai-sinh-a4.pdf"),
            ),
            (
                "print/khai-sinh/poster.html",
                Some("print/khai-sinh/khai-sinh-poster.pdf"),
            ),
            ("print/khai-sinh/qr.svg", None),
            ("print/khai-sinh/a4/index.html", None),
            (
                "print/categories/ho-tich/index.html",
                Some("print/categories/ho-tich/ho-tich-qr.pdf"),
            ),
            (
                "print/booklet/index.html",
                Some("print/booklet/booklet.pdf"),
            ),
            ("print/index.html", None),
            ("guides/x/index.html", None),
            (
                "print/booklet/a4.html",
                Some("print/booklet/booklet-a4.pdf"),
            ),
            (
                "print/categories/poster.html",
                Some("print/categories/categories-poster.pdf"),
            ),
        ] {
            assert_eq!(pdf_path(html).as_deref(), pdf, "{html}");
        }
    }

    #[test]
    fn booklet_ids_and_links() {
        let slugs: BTreeSet<&str> = ["a", "b"].into_iter().collect();
        let html = r##"<h2 id="docs-h">x</h2><a href="#buoc-2">s</a> <a href="../../guides/b/index.html#buoc-1">b</a> <a href="../../guides/b/index.html">b</a> <a href="https://x.example/">e</a><section aria-labelledby="docs-h"></section><p data-id="z">"##;
        assert_eq!(
            unique_ids(html, "a", &slugs),
            r##"<h2 id="a--docs-h">x</h2><a href="#a--buoc-2">s</a> <a href="#b--buoc-1">b</a> <a href="#b">b</a> <a href="https://x.example/">e</a><section aria-labelledby="a--docs-h"></section><p data-id="z">"##
        );
    }

    #[test]
    fn url_breaks() {
        assert_eq!(
            url_html("https://a.vn/x?k=1&b"),
            "https:/<wbr>/<wbr>a.vn/<wbr>x?<wbr>k=<wbr>1&amp;<wbr>b"
        );
    }
}
