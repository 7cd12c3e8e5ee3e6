//! The view structs templates see (site, categories, guides, lists) and building them from
//! the checked content: Markdown rendered with the site's links, QR codes encoded.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::Content;
use crate::content::config::{Category, Office};
use crate::content::guide::{DocForm, Guide, OnlineLevel, Rect, Screenshot};
use crate::content::markdown;
use crate::content::markdown::{Rewrite, Target};
use crate::error::{Diagnostic, Diagnostics, Error, Pos};
use crate::render::cache::PageCache;
use crate::render::qr;
use crate::tx;

/// What a guide's own pages (its page, leaflets, poster, booklet chapter and kiosk part)
/// see as `site`: the same for every office of a content folder, so every office whose
/// view of the guide is the same shares those pages (see [`crate::render::context`]).
#[derive(Serialize, Clone, Copy)]
pub struct SiteCommon<'a> {
    pub title: &'a str,
    pub lang: &'a str,
    pub example: bool,
    pub portal_name: &'a str,
    pub hotline: Option<&'a str>,
    pub anti_scam: &'a [String],
    pub idle_seconds: u32,
}

/// What the site-wide pages (index, topics, kiosk home, card sheets, booklet) see as
/// `site`: [`SiteCommon`] and the categories with their guide counts. Those pages also
/// see the office as `office`; a guide's own pages print it through `office(name=…)`.
#[derive(Serialize)]
pub struct SiteView<'a> {
    #[serde(flatten)]
    pub common: SiteCommon<'a>,
    pub categories: Vec<CategoryView<'a>>,
    pub guide_count: usize,
    #[serde(skip)]
    pub office: &'a Office,
}

#[derive(Serialize)]
pub struct CategoryView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// Relative to the top of the site.
    pub url: String,
    pub count: usize,
}

/// One guide as templates see it.
#[derive(Serialize)]
pub struct GuideView<'a> {
    pub slug: &'a str,
    pub url: String,
    pub title: &'a str,
    pub question: Option<&'a str>,
    pub code: Option<&'a str>,
    pub category_id: &'a str,
    pub category_title: &'a str,
    pub summary: &'a str,
    pub audience: &'a str,
    pub online_level: OnlineLevel,
    pub agency: &'a str,
    pub fee: &'a str,
    pub processing_time: &'a str,
    pub result: &'a str,
    pub reviewed: String,
    pub reviewed_iso: String,
    /// `dd/mm/yyyy` when the guide applies only from a day after the build's: its page
    /// says so and it has no printables.
    pub applies_from: Option<String>,
    pub intro_html: Option<String>,
    pub documents: Vec<DocView<'a>>,
    pub fields: Vec<FieldView<'a>>,
    pub steps: Vec<StepView<'a>>,
    pub tips_html: Vec<String>,
    /// The office's notes on this guide (a site of several offices).
    pub local_notes_html: Vec<String>,
    pub warnings_html: Vec<String>,
    pub legal_basis: &'a [String],
    pub sources: Vec<SourceView<'a>>,
    pub related: Vec<LinkView<'a>>,
    pub portal_url: &'a str,
    pub qr_svg: String,
    pub qr_modules: usize,
    /// The day `camnang links` last found the portal URL working (`dd/mm/yyyy`).
    pub link_checked: Option<String>,
}

#[derive(Serialize)]
pub struct DocView<'a> {
    pub name: &'a str,
    pub note_html: Option<String>,
    pub required: bool,
    pub form: Option<DocForm>,
    pub count: u32,
}

#[derive(Serialize)]
pub struct FieldView<'a> {
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub required: bool,
}

#[derive(Serialize)]
pub struct StepView<'a> {
    pub n: usize,
    pub title: &'a str,
    pub short: &'a str,
    pub html: String,
    pub screenshot: Option<ShotView<'a>>,
}

#[derive(Serialize)]
pub struct ShotView<'a> {
    /// Relative to the top of the site (prefix with `root`).
    pub src: String,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub highlight: Option<Rect>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub print: bool,
}

#[derive(Serialize)]
pub struct SourceView<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

#[derive(Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub url: String,
}

/// A guide in a list.
#[derive(Serialize)]
pub struct GuideLink<'a> {
    pub title: &'a str,
    pub question: Option<&'a str>,
    pub summary: &'a str,
    pub code: Option<&'a str>,
    pub url: String,
    pub online_level: OnlineLevel,
}

/// Output path of a guide's page.
pub fn guide_url(slug: &str) -> String {
    format!("guides/{slug}/index.html")
}

/// Output path of a content file (screenshot) in the site.
pub fn media_url(src: &str) -> String {
    format!("media/{src}")
}

/// The content files the site shows (screenshots and Markdown images): path as written
/// in the guides → the file, sorted by path.
pub fn media(c: &Content) -> BTreeMap<String, std::path::PathBuf> {
    let mut media = BTreeMap::new();
    for g in &c.guides {
        for s in g.steps.iter().filter_map(|s| s.screenshot.as_ref()) {
            media.insert(s.src.clone(), c.root.join(&s.src));
        }
        for r in g.md_refs.iter().filter(|r| r.image) {
            if let Target::File(p) = markdown::classify(&r.target) {
                media.insert(p.clone(), c.root.join(&p));
            }
        }
    }
    media
}

/// The site-wide view: the site's settings and its categories with their guide counts.
pub fn site_view(c: &Content) -> SiteView<'_> {
    let counts: BTreeMap<&str, usize> = c.guides.iter().fold(BTreeMap::new(), |mut m, g| {
        *m.entry(g.category.as_str()).or_default() += 1;
        m
    });
    let categories: Vec<CategoryView<'_>> = c
        .site
        .categories
        .iter()
        .map(|cat: &Category| CategoryView {
            id: &cat.id,
            title: &cat.title,
            description: cat.description.as_deref(),
            url: format!("categories/{}/index.html", cat.id),
            count: counts.get(cat.id.as_str()).copied().unwrap_or(0),
        })
        .collect();
    SiteView {
        common: SiteCommon {
            title: &c.site.title,
            lang: c.site.language.code(),
            example: c.site.example,
            portal_name: &c.site.portal.name,
            hotline: c.site.portal.hotline.as_deref(),
            anti_scam: &c.site.anti_scam,
            idle_seconds: c.site.idle_seconds,
        },
        categories,
        guide_count: c.guides.len(),
        office: &c.site.office,
    }
}

/// Builds the view of one guide (Markdown rendered, QR encoded). `root` for its links is
/// the guide page's (`../../`).
pub fn guide_view<'a>(
    c: &'a Content,
    titles: &BTreeMap<&'a str, &'a str>,
    g: &'a Guide,
    portal_url: &'a str,
) -> Result<GuideView<'a>, Error> {
    guide_view_with(c, titles, g, portal_url, None)
}

/// [`guide_view`], taking the QR code from `cache` when it was encoded before.
pub fn guide_view_with<'a>(
    c: &'a Content,
    titles: &BTreeMap<&'a str, &'a str>,
    g: &'a Guide,
    portal_url: &'a str,
    cache: Option<&PageCache>,
) -> Result<GuideView<'a>, Error> {
    let md = Md { cache };
    let code = qr_code(c, g, portal_url, cache)?;
    let mut v = guide_outline(c, titles, g, portal_url);
    v.intro_html = g.intro.as_ref().map(|t| md.block(t));
    v.documents = documents(g, &md);
    v.steps = steps(g, &md);
    v.tips_html = g.tips.iter().map(|t| md.inline(t)).collect();
    v.local_notes_html = g.local_notes.iter().map(|t| md.inline(t)).collect();
    v.warnings_html = g.warnings.iter().map(|t| md.inline(t)).collect();
    v.qr_svg = code.svg;
    v.qr_modules = code.modules;
    Ok(v)
}

/// The outline of a guide's view: everything but its Markdown (empty, as are its
/// documents and steps) and its QR code (empty). Enough for lists (titles, summaries,
/// categories, URLs); a rebuild makes only outlines of the guides whose pages and
/// printables it keeps (see [`crate::render::manifest`]).
pub fn guide_outline<'a>(
    c: &'a Content,
    titles: &BTreeMap<&'a str, &'a str>,
    g: &'a Guide,
    portal_url: &'a str,
) -> GuideView<'a> {
    let category_title = c
        .site
        .category(&g.category)
        .map_or("", |cat| cat.title.as_str());
    GuideView {
        slug: &g.slug,
        url: guide_url(&g.slug),
        title: &g.title,
        question: g.question.as_deref(),
        code: g.code.as_deref(),
        category_id: &g.category,
        category_title,
        summary: &g.summary,
        audience: &g.audience,
        online_level: g.online_level,
        agency: &g.agency,
        fee: &g.fee,
        processing_time: &g.processing_time,
        result: &g.result,
        reviewed: g.reviewed.vn(),
        reviewed_iso: g.reviewed.to_string(),
        applies_from: g.effective_from.filter(|_| c.pending(g)).map(|d| d.vn()),
        intro_html: None,
        documents: Vec::new(),
        fields: fields(g),
        steps: Vec::new(),
        tips_html: Vec::new(),
        local_notes_html: Vec::new(),
        warnings_html: Vec::new(),
        legal_basis: &g.legal_basis,
        sources: sources(g),
        related: related(g, titles),
        portal_url,
        qr_svg: String::new(),
        qr_modules: 0,
        link_checked: c.links.checked_ok(portal_url).map(|d| d.vn()),
    }
}

/// The root of a guide's page, which its links are relative to.
const ROOT: &str = "../../";

/// Where a link of a guide's Markdown goes on its page: other guides' pages, anchors and
/// the outside as they are; `None` for the rest.
fn link_target(t: &str) -> Option<String> {
    match markdown::classify(t) {
        Target::Guide(slug) => {
            let anchor = t
                .split_once('#')
                .map(|(_, a)| format!("#{a}"))
                .unwrap_or_default();
            Some(format!("{ROOT}{}{anchor}", guide_url(&slug)))
        }
        Target::Anchor | Target::Contact | Target::External => Some(t.to_string()),
        _ => None,
    }
}

/// Where an image of a guide's Markdown comes from on its page: the site's copy of the file.
fn image_target(t: &str) -> Option<String> {
    match markdown::classify(t) {
        Target::File(p) => Some(format!("{ROOT}{}", media_url(&p))),
        _ => None,
    }
}

/// Renders a guide's Markdown texts for its page, through `cache` when there is one.
struct Md<'c> {
    cache: Option<&'c PageCache>,
}

impl Md<'_> {
    const REWRITE: Rewrite<'static> = Rewrite {
        link: &link_target,
        image: &image_target,
    };

    /// A block of Markdown (paragraphs, lists) as HTML.
    fn block(&self, t: &str) -> String {
        // The rewrites depend on the target only, so the HTML of a text can be reused.
        match self.cache {
            Some(cache) => cache.markdown(false, t, || markdown::render(t, &Self::REWRITE)),
            None => markdown::render(t, &Self::REWRITE),
        }
    }

    /// A line of Markdown as inline HTML.
    fn inline(&self, t: &str) -> String {
        match self.cache {
            Some(cache) => cache.markdown(true, t, || markdown::render_inline(t, &Self::REWRITE)),
            None => markdown::render_inline(t, &Self::REWRITE),
        }
    }
}

/// The QR code of a guide's portal URL, labelled in the site's language.
fn qr_code(
    c: &Content,
    g: &Guide,
    portal_url: &str,
    cache: Option<&PageCache>,
) -> Result<qr::Qr, Error> {
    let label = match c.site.language {
        crate::i18n::Lang::Vi => format!("Mã QR tới trang thủ tục: {portal_url}"),
        crate::i18n::Lang::En => format!("QR code to the procedure page: {portal_url}"),
    };
    let code = match cache {
        Some(cache) => cache.qr(portal_url, c.site.ecc, &label),
        None => qr::encode(portal_url, c.site.ecc, &label),
    };
    code.map_err(|e| {
        Error::Content(Diagnostics(vec![Diagnostic::error(
            &g.file,
            Pos::START,
            "portal",
            tx!("cannot make a QR code: {}", "không tạo được mã QR: {}", e),
        )]))
    })
}

/// The documents to bring, their notes rendered.
fn documents<'a>(g: &'a Guide, md: &Md<'_>) -> Vec<DocView<'a>> {
    g.documents
        .iter()
        .map(|d| DocView {
            name: &d.name,
            note_html: d.note.as_ref().map(|n| md.inline(n)),
            required: d.required,
            form: d.form,
            count: d.count,
        })
        .collect()
}

/// The fields of the form.
fn fields(g: &Guide) -> Vec<FieldView<'_>> {
    g.fields
        .iter()
        .map(|f| FieldView {
            label: &f.label,
            hint: f.hint.as_deref(),
            required: f.required,
        })
        .collect()
}

/// The steps, numbered from 1, their text rendered.
fn steps<'a>(g: &'a Guide, md: &Md<'_>) -> Vec<StepView<'a>> {
    g.steps
        .iter()
        .enumerate()
        .map(|(i, s)| StepView {
            n: i + 1,
            title: &s.title,
            short: s.short.as_deref().unwrap_or(&s.title),
            html: md.block(&s.text),
            screenshot: s.screenshot.as_ref().map(shot),
        })
        .collect()
}

/// A step's screenshot, at its place in the site.
fn shot(sh: &Screenshot) -> ShotView<'_> {
    ShotView {
        src: media_url(&sh.src),
        alt: &sh.alt,
        caption: sh.caption.as_deref(),
        highlight: sh.highlight,
        width: sh.width,
        height: sh.height,
        print: sh.print,
    }
}

/// The sources the guide is based on.
fn sources(g: &Guide) -> Vec<SourceView<'_>> {
    g.sources
        .iter()
        .map(|s| SourceView {
            title: &s.title,
            url: &s.url,
        })
        .collect()
}

/// Links to the related guides that exist (`titles`: every guide's title by slug).
fn related<'a>(g: &'a Guide, titles: &BTreeMap<&'a str, &'a str>) -> Vec<LinkView<'a>> {
    g.related
        .iter()
        .filter_map(|(slug, _)| {
            titles.get(slug.as_str()).map(|t| LinkView {
                title: t,
                url: guide_url(slug),
            })
        })
        .collect()
}
