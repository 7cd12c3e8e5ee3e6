//! Rendering: typed view structs for the templates, one function per kind of page.
//!
//! Every page gets `root`, the relative path back to the site's top (`""`, `"../../"`),
//! so all links are relative and end in `index.html`: the output works from `file://`
//! and from a USB stick.

pub mod cache;
pub mod kiosk;
pub mod print;
pub mod qr;
pub mod search;
pub mod sink;
pub mod theme;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Content;
use crate::content::config::{Category, Office};
use crate::content::guide::{DocForm, Guide, OnlineLevel, Rect};
use crate::content::markdown;
use crate::content::markdown::{Rewrite, Target};
use crate::error::{Diagnostic, Diagnostics, Error, Pos};
use crate::progress::Progress;
use crate::render::cache::{PageCache, PageKey};
use crate::render::print::Fit;
use crate::render::sink::{Collect, Data, OutputFile, Sink};
use crate::render::theme::Theme;
use crate::tx;

/// What rendering produced.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
}

/// Site-wide values every page sees as `site`.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub lang: &'a str,
    pub example: bool,
    pub office: &'a Office,
    pub portal_name: &'a str,
    pub hotline: Option<&'a str>,
    pub anti_scam: &'a [String],
    pub categories: Vec<CategoryView<'a>>,
    pub idle_seconds: u32,
    pub guide_count: usize,
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
    pub intro_html: Option<String>,
    pub documents: Vec<DocView<'a>>,
    pub fields: Vec<FieldView<'a>>,
    pub steps: Vec<StepView<'a>>,
    pub tips_html: Vec<String>,
    pub warnings_html: Vec<String>,
    pub legal_basis: &'a [String],
    pub sources: Vec<SourceView<'a>>,
    pub related: Vec<LinkView<'a>>,
    pub portal_url: &'a str,
    pub qr_svg: String,
    pub qr_modules: usize,
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

#[derive(Serialize)]
struct IndexPage<'a> {
    groups: Vec<Group<'a>>,
}

#[derive(Serialize)]
struct Group<'a> {
    category: &'a CategoryView<'a>,
    guides: Vec<GuideLink<'a>>,
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

#[derive(Serialize)]
struct CategoryPage<'a> {
    category: &'a CategoryView<'a>,
    guides: Vec<GuideLink<'a>>,
}

/// Output path of a guide's page.
pub fn guide_url(slug: &str) -> String {
    format!("guides/{slug}/index.html")
}

/// Output path of a content file (screenshot) in the site.
pub fn media_url(src: &str) -> String {
    format!("media/{src}")
}

/// Renders the whole site.
pub fn site(c: &Content, progress: &dyn Progress) -> Result<Rendered, Error> {
    site_with(c, progress, None)
}

/// [`site`], reusing the pages and QR codes of an earlier render whose inputs did not
/// change (`camnang serve`, see [`crate::commands::serve::session`]). The result is the same.
pub fn site_with(
    c: &Content,
    progress: &dyn Progress,
    cache: Option<&PageCache>,
) -> Result<Rendered, Error> {
    let sink = Collect::default();
    let warnings = site_into(c, progress, cache, &sink)?;
    Ok(Rendered {
        files: sink.into_files(),
        warnings,
    })
}

/// Renders the whole site into `sink`, one file at a time, so a build never holds the
/// whole output in memory (`camnang build` streams into [`crate::output::staging::Staging`]).
/// Returns the warnings of rendering.
pub fn site_into(
    c: &Content,
    progress: &dyn Progress,
    cache: Option<&PageCache>,
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Error> {
    if let Some(cache) = cache {
        cache.start();
    }
    let theme = match cache {
        Some(cache) => cache.theme(&c.root, c.site.language),
        None => theme::load(&c.root, c.site.language).map(std::sync::Arc::new),
    }
    .map_err(|d| Error::Content(Diagnostics(d)))?;
    let theme: &Theme = &theme;
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
    let sv = SiteView {
        title: &c.site.title,
        lang: c.site.language.code(),
        example: c.site.example,
        office: &c.site.office,
        portal_name: &c.site.portal.name,
        hotline: c.site.portal.hotline.as_deref(),
        anti_scam: &c.site.anti_scam,
        categories,
        idle_seconds: c.site.idle_seconds,
        guide_count: c.guides.len(),
    };

    progress.stage("render", c.guides.len());
    let titles: BTreeMap<&str, &str> = c
        .guides
        .iter()
        .map(|x| (x.slug.as_str(), x.title.as_str()))
        .collect();
    let views: Vec<GuideView<'_>> = c
        .guides
        .par_iter()
        .zip(c.portal_urls.par_iter())
        .map(|(g, url)| guide_view_with(c, &titles, g, url, cache))
        .collect::<Result<_, _>>()?;

    let view_hashes: Vec<u128> = match cache {
        Some(_) => views.par_iter().map(PageCache::hash_value).collect(),
        None => Vec::new(),
    };
    // How each guide's A4 leaflet fits (its type size), estimated once.
    let fits: Vec<Fit> = c.guides.par_iter().map(|g| print::fit(c, g)).collect();
    let warnings: Vec<Diagnostic> = c
        .guides
        .iter()
        .zip(&fits)
        .filter_map(|(g, f)| f.warning(g))
        .collect();
    let ctx = Ctx {
        content: c,
        theme,
        site: &sv,
        base: base_context(&sv, &theme.strings)?,
        spare: std::sync::Mutex::new(Vec::new()),
        guides: &views,
        progress,
        cache,
        view_hashes: &view_hashes,
        sink,
    };
    // Everything of one guide (page, printables, kiosk part) in one pass; the guides of
    // a kiosk file together (see `render_group`).
    let guides = || {
        views
            .par_chunks(crate::render::kiosk::GROUP)
            .zip(fits.par_chunks(crate::render::kiosk::GROUP))
            .enumerate()
            .try_for_each(|(n, (vs, fs))| render_group(&ctx, n, vs, fs))
    };
    // The kiosk's search index (whose merge is sequential) alongside.
    let (done, index_js) = rayon::join(guides, || crate::render::kiosk::index_js(c, cache));
    done?;

    let groups: Vec<Group<'_>> = sv
        .categories
        .iter()
        .map(|cat| Group {
            category: cat,
            guides: ctx.links(cat.id),
        })
        .filter(|g| !g.guides.is_empty())
        .collect();
    sink.put(
        ctx.page("index.html", "", IndexPage { groups })?
            .into_file("index.html".into()),
    )?;
    for cat in &sv.categories {
        let page = CategoryPage {
            category: cat,
            guides: ctx.links(cat.id),
        };
        sink.put(
            ctx.page("category.html", "../../", page)?
                .into_file(cat.url.clone()),
        )?;
    }
    print::render(&ctx)?;
    crate::render::kiosk::render(&ctx, index_js)?;

    for (name, bytes) in &theme.statics {
        sink.put(OutputFile::bytes(format!("assets/{name}"), bytes.clone()))?;
    }
    let mut media: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
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
    for (src, path) in media {
        sink.put(OutputFile {
            path: media_url(&src),
            data: Data::Copy(path),
        })?;
    }
    Ok(warnings)
}

/// The guides of kiosk file `n` (views `vs` with their fits `fs`), in parallel: each one's
/// page, printables and kiosk part in one pass; then the kiosk file, which joins the parts
/// as soon as the group is done (no guide's kiosk part is kept longer).
fn render_group(ctx: &Ctx<'_>, n: usize, vs: &[GuideView<'_>], fs: &[Fit]) -> Result<(), Error> {
    let key = crate::render::kiosk::group_key(ctx, n, fs);
    // `serve`: an unchanged group's file is in the cache; its parts are not needed.
    let cached = key.and_then(|(cache, key)| cache.get(key));
    let parts: Vec<Option<String>> = vs
        .par_iter()
        .zip(fs.par_iter())
        .enumerate()
        .map(|(j, (v, fit))| {
            let mut pass = GuidePass {
                ctx,
                view: v,
                fit,
                hash: ctx
                    .view_hashes
                    .get(n * crate::render::kiosk::GROUP + j)
                    .copied(),
                tc: None,
            };
            let html = pass.render("guide.html", "../../")?;
            ctx.sink.put(html.into_file(guide_url(v.slug)))?;
            let a4 = print::guide_files(&mut pass)?;
            let js = match cached {
                Some(_) => None,
                None => Some(crate::render::kiosk::guide_js(&mut pass, &a4)?),
            };
            ctx.progress.tick();
            Ok(js)
        })
        .collect::<Result<_, Error>>()?;
    let js = match cached {
        Some(js) => Html::Shared(js),
        None => Html::kept(key, parts.into_iter().flatten().collect()),
    };
    ctx.sink
        .put(js.into_file(crate::render::kiosk::group_url(n)))
}

/// What every renderer (pages, print, kiosk) works from.
pub struct Ctx<'a> {
    pub content: &'a Content,
    pub theme: &'a Theme,
    pub site: &'a SiteView<'a>,
    /// `site` and `t` (the UI strings) as a template context, made once per render: each
    /// page's context starts as a copy of it.
    pub base: tera::Context,
    /// Copies of `base` that guide passes are done with, for the next passes (a copy per
    /// guide was a few per cent of a build: `t` alone has some 150 strings).
    spare: std::sync::Mutex<Vec<tera::Context>>,
    /// One view per guide, in site order.
    pub guides: &'a [GuideView<'a>],
    pub progress: &'a dyn Progress,
    /// Pages rendered before, keyed by their template and context (`serve` only).
    pub cache: Option<&'a PageCache>,
    /// With `cache`: the hash of each guide view (same order as `guides`).
    pub view_hashes: &'a [u128],
    /// Where rendered files go.
    pub sink: &'a dyn Sink,
}

/// The template context every page starts from: `site` and `t`.
fn base_context(
    site: &SiteView<'_>,
    strings: &BTreeMap<String, String>,
) -> Result<tera::Context, Error> {
    let mut tc = tera::Context::new();
    tc.try_insert("site", site).map_err(|e| tmpl_err(&e))?;
    tc.try_insert("t", strings).map_err(|e| tmpl_err(&e))?;
    Ok(tc)
}

impl<'a> Ctx<'a> {
    /// With a cache (`serve`): the cache and the key of output `name` at `root`, which
    /// depends on the site, the UI strings and `value`.
    pub fn key<T: Serialize>(
        &self,
        name: &str,
        root: &str,
        value: &T,
    ) -> Option<(&'a PageCache, PageKey)> {
        let c = self.cache?;
        Some((c, c.key(name, root, self.site, &self.theme.strings, value)))
    }

    /// Renders `template` with `site`, `t` (UI strings), `root` and the page's own fields.
    pub fn page<T: Serialize>(&self, template: &str, root: &str, page: T) -> Result<Html, Error> {
        let key = self.key(template, root, &page);
        self.render_page(template, root, key, || page)
    }

    /// [`Ctx::page`], with the page's cache key made from `stand_in` (when given): a small
    /// value that determines the page, cheaper to hash than the page, which is then made
    /// by `page` only when it is not in the cache.
    pub fn page_with_key<K: Serialize, T: Serialize>(
        &self,
        template: &str,
        root: &str,
        stand_in: Option<K>,
        page: impl FnOnce() -> T,
    ) -> Result<Html, Error> {
        match stand_in.and_then(|k| self.key(template, root, &k)) {
            Some(key) => self.render_page(template, root, Some(key), page),
            // Without a stand-in, the page is its own key.
            None => self.page(template, root, page()),
        }
    }

    fn render_page<T: Serialize>(
        &self,
        template: &str,
        root: &str,
        key: Option<(&PageCache, PageKey)>,
        page: impl FnOnce() -> T,
    ) -> Result<Html, Error> {
        if let Some((cache, key)) = key
            && let Some(html) = cache.get(key)
        {
            return Ok(Html::Shared(html));
        }
        let page = page();
        let mut tc = self.base.clone();
        tc.try_insert("root", root).map_err(|e| tmpl_err(&e))?;
        tc.extend(tera::Context::from_serialize(&page).map_err(|e| tmpl_err(&e))?);
        let html = self
            .theme
            .tera
            .render(template, &tc)
            .map_err(|e| tmpl_err(&e))?;
        Ok(Html::kept(key, html))
    }

    /// The guides of a category, for lists.
    pub fn links(&self, category: &str) -> Vec<GuideLink<'_>> {
        self.guides
            .iter()
            .filter(|v| v.category_id == category)
            .map(|v| GuideLink {
                title: v.title,
                question: v.question,
                summary: v.summary,
                code: v.code,
                url: v.url.clone(),
                online_level: v.online_level,
            })
            .collect()
    }
}

/// A rendered page: owned by the build, or shared with the cache of `serve` (no copy).
#[derive(Clone)]
pub enum Html {
    Owned(String),
    Shared(Arc<str>),
}

impl std::ops::Deref for Html {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Html::Owned(s) => s,
            Html::Shared(s) => s,
        }
    }
}

impl Html {
    /// `text`, kept in the cache under `key` when there is one (and then shared with it).
    pub fn kept(key: Option<(&PageCache, PageKey)>, text: String) -> Html {
        match key {
            Some((cache, key)) => Html::Shared(cache.put(key, text)),
            None => Html::Owned(text),
        }
    }

    /// The page as output file `path`.
    pub fn into_file(self, path: String) -> OutputFile {
        match self {
            Html::Owned(s) => OutputFile::bytes(path, s),
            Html::Shared(s) => OutputFile::shared(path, s),
        }
    }
}

/// The pages of one guide: its page, printables and kiosk file. They share one template
/// context (`site`, `t`, `guide`), made when the first of them is rendered (with a cache,
/// only if one of them changed).
pub struct GuidePass<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    pub view: &'c GuideView<'a>,
    pub fit: &'c Fit,
    /// With a cache: the hash of `view`, which stands for it in page keys.
    hash: Option<u128>,
    tc: Option<tera::Context>,
}

impl<'c> GuidePass<'c, '_> {
    /// Renders `template` at `root` with the guide's context.
    pub fn render(&mut self, template: &str, root: &str) -> Result<Html, Error> {
        self.render_inner(template, root, Some(()), None::<(&str, fn() -> ())>)
    }

    /// [`GuidePass::render`], not kept in the cache: for a part of a file that is cached
    /// as a whole (the kiosk file), so the part is only needed when its guide changed.
    pub fn render_part(&mut self, template: &str, root: &str) -> Result<Html, Error> {
        self.render_inner(template, root, None::<()>, None::<(&str, fn() -> ())>)
    }

    /// [`GuidePass::render`], with one more value in the context for this page only:
    /// `name`, made by `value` (called only when the page is rendered, not when it comes
    /// from the cache). `key` is what the page depends on besides the guide's view,
    /// `root` and the site: a small stand-in for the value, for the cache key; `None`: a
    /// part, not cached (see [`GuidePass::render_part`]).
    pub fn render_with<K: Serialize, T: Serialize>(
        &mut self,
        template: &str,
        root: &str,
        key: Option<K>,
        name: &str,
        value: impl FnOnce() -> T,
    ) -> Result<Html, Error> {
        self.render_inner(template, root, key, Some((name, value)))
    }

    /// With a cache (`serve`): the cache and the key of output `name` at `root` of this
    /// guide, which depends on the guide's view and on `key`.
    pub fn cache_key<K: Serialize>(
        &self,
        name: &str,
        root: &str,
        key: K,
    ) -> Option<(&'c PageCache, PageKey)> {
        self.ctx.key(name, root, &(self.hash?, key))
    }

    fn render_inner<K: Serialize, T: Serialize>(
        &mut self,
        template: &str,
        root: &str,
        key: Option<K>,
        extra: Option<(&str, impl FnOnce() -> T)>,
    ) -> Result<Html, Error> {
        let ctx = self.ctx;
        let key = key.and_then(|k| self.cache_key(template, root, k));
        if let Some((cache, key)) = key
            && let Some(html) = cache.get(key)
        {
            return Ok(Html::Shared(html));
        }
        let tc = match self.tc.take() {
            Some(tc) => tc,
            None => {
                // A spare copy of the base: its `guide` and `root` are replaced here.
                let spare = ctx.spare.lock().ok().and_then(|mut v| v.pop());
                let mut tc = spare.unwrap_or_else(|| ctx.base.clone());
                tc.try_insert("guide", self.view)
                    .map_err(|e| tmpl_err(&e))?;
                tc
            }
        };
        let tc = self.tc.insert(tc);
        tc.try_insert("root", root).map_err(|e| tmpl_err(&e))?;
        let name = match extra {
            Some((name, value)) => {
                tc.try_insert(name, &value()).map_err(|e| tmpl_err(&e))?;
                Some(name)
            }
            None => None,
        };
        let html = ctx.theme.tera.render(template, tc);
        if let Some(name) = name {
            tc.remove(name);
        }
        let html = html.map_err(|e| tmpl_err(&e))?;
        Ok(Html::kept(key, html))
    }
}

impl Drop for GuidePass<'_, '_> {
    /// Hands the pass's context (the base plus this guide) on to the next pass.
    fn drop(&mut self) {
        if let (Some(tc), Ok(mut spare)) = (self.tc.take(), self.ctx.spare.lock()) {
            spare.push(tc);
        }
    }
}

fn tmpl_err(e: &tera::Error) -> Error {
    Error::Content(Diagnostics(vec![theme::template_error(e)]))
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
    let root = "../../";
    let link = |t: &str| -> Option<String> {
        match markdown::classify(t) {
            Target::Guide(slug) => {
                let anchor = t
                    .split_once('#')
                    .map(|(_, a)| format!("#{a}"))
                    .unwrap_or_default();
                Some(format!("{root}{}{anchor}", guide_url(&slug)))
            }
            Target::Anchor | Target::Contact | Target::External => Some(t.to_string()),
            _ => None,
        }
    };
    let image = |t: &str| -> Option<String> {
        match markdown::classify(t) {
            Target::File(p) => Some(format!("{root}{}", media_url(&p))),
            _ => None,
        }
    };
    let rw = Rewrite {
        link: &link,
        image: &image,
    };
    // The rewrites depend on the target only, so the HTML of a text can be reused.
    let block = |t: &str| match cache {
        Some(cache) => cache.markdown(false, t, || markdown::render(t, &rw)),
        None => markdown::render(t, &rw),
    };
    let inline = |t: &str| match cache {
        Some(cache) => cache.markdown(true, t, || markdown::render_inline(t, &rw)),
        None => markdown::render_inline(t, &rw),
    };
    let category_title = c
        .site
        .category(&g.category)
        .map_or("", |cat| cat.title.as_str());
    let label = match c.site.language {
        crate::i18n::Lang::Vi => format!("Mã QR tới trang thủ tục: {portal_url}"),
        crate::i18n::Lang::En => format!("QR code to the procedure page: {portal_url}"),
    };
    let code = match cache {
        Some(cache) => cache.qr(portal_url, c.site.ecc, &label),
        None => qr::encode(portal_url, c.site.ecc, &label),
    };
    let code = code.map_err(|e| {
        Error::Content(Diagnostics(vec![Diagnostic::error(
            &g.file,
            Pos::START,
            "portal",
            tx!("cannot make a QR code: {}", "không tạo được mã QR: {}", e),
        )]))
    })?;
    Ok(GuideView {
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
        intro_html: g.intro.as_ref().map(|t| block(t)),
        documents: g
            .documents
            .iter()
            .map(|d| DocView {
                name: &d.name,
                note_html: d.note.as_ref().map(|n| inline(n)),
                required: d.required,
                form: d.form,
                count: d.count,
            })
            .collect(),
        fields: g
            .fields
            .iter()
            .map(|f| FieldView {
                label: &f.label,
                hint: f.hint.as_deref(),
                required: f.required,
            })
            .collect(),
        steps: g
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                n: i + 1,
                title: &s.title,
                short: s.short.as_deref().unwrap_or(&s.title),
                html: block(&s.text),
                screenshot: s.screenshot.as_ref().map(|sh| ShotView {
                    src: media_url(&sh.src),
                    alt: &sh.alt,
                    caption: sh.caption.as_deref(),
                    highlight: sh.highlight,
                    width: sh.width,
                    height: sh.height,
                    print: sh.print,
                }),
            })
            .collect(),
        tips_html: g.tips.iter().map(|t| inline(t)).collect(),
        warnings_html: g.warnings.iter().map(|t| inline(t)).collect(),
        legal_basis: &g.legal_basis,
        sources: g
            .sources
            .iter()
            .map(|s| SourceView {
                title: &s.title,
                url: &s.url,
            })
            .collect(),
        related: g
            .related
            .iter()
            .filter_map(|(slug, _)| {
                titles.get(slug.as_str()).map(|t| LinkView {
                    title: t,
                    url: guide_url(slug),
                })
            })
            .collect(),
        portal_url,
        qr_svg: code.svg,
        qr_modules: code.modules,
    })
}
