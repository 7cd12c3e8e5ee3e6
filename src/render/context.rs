//! What every renderer works from ([`Ctx`]: the content, theme, views, cache and sink),
//! rendering a page with its template context, and the template context one guide's pages
//! share ([`GuidePass`]).
//!
//! A guide's own pages (its page, leaflets, poster, booklet chapter and kiosk part) are the
//! same for every office whose view of the guide is the same: their context has no office
//! (`site` is a [`SiteCommon`](crate::render::view::SiteCommon)), and they print the
//! office's details with `{{ office(name="contact") }}`, which leaves a mark
//! ([`theme::PART_OPEN`]). Each render
//! is then finished for its office ([`Ctx::finish`], in [`crate::render::office`]): every mark is replaced with the
//! office's part, the template `office/<name>.html` rendered once per office and root with
//! `site`, `office`, `t` and `root`. A build with offices keeps a guide's pages as
//! rendered, with their marks, so the next office that serves the guide only puts in its
//! own parts (see [`PageCache::shared_only`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::content::Content;
use crate::content::config::Office;
use crate::error::{Diagnostics, Error};
use crate::progress::Progress;
use crate::render::cache::{PageCache, PageKey};
use crate::render::print::Fit;
use crate::render::sink::{OutputFile, Sink};
use crate::render::theme;
use crate::render::theme::Theme;
use crate::render::view::{GuideLink, GuideView, SiteView};

/// What every renderer (pages, print, kiosk) works from.
pub struct Ctx<'a> {
    pub content: &'a Content,
    pub theme: &'a Theme,
    pub site: &'a SiteView<'a>,
    /// `site`, `office` and `t` (the UI strings) as a template context, made once per
    /// render: each site-wide page's context starts as a copy of it.
    pub base: tera::Context,
    /// `site` (the [`SiteCommon`](crate::render::view::SiteCommon)) and `t`: what a
    /// guide's own pages start from.
    guide_base: tera::Context,
    /// Copies of `guide_base` that guide passes are done with, for the next passes (a copy
    /// per guide was a few per cent of a build: `t` alone has some 150 strings).
    pub(super) spare: Mutex<Vec<tera::Context>>,
    /// One view per guide, in site order.
    pub guides: &'a [GuideView<'a>],
    /// How each guide's A4 leaflet fits (same order).
    pub fits: &'a [crate::render::print::Fit],
    pub progress: &'a dyn Progress,
    /// Pages rendered before, keyed by their template and context (`serve`; a build's
    /// cache, [`PageCache::shared_only`], keeps a guide's own pages only).
    pub cache: Option<&'a PageCache>,
    /// With a cache: the hash of each guide view (same order as `guides`; 0 for an outline).
    pub view_hashes: &'a [u128],
    /// Where rendered files go.
    pub sink: &'a dyn Sink,
    /// With a cache: the keys of `base` and of `guide_base` (see [`PageCache::base_key`]).
    keys: Option<(PageKey, PageKey)>,
    /// The office's parts rendered so far, by name and root (see [`crate::render::office`]).
    pub(super) parts: Mutex<HashMap<(String, String), Arc<str>>>,
}

/// The template context every site-wide page starts from: `site`, `office` and `t`.
pub(crate) fn base_context(
    site: &SiteView<'_>,
    strings: &BTreeMap<String, String>,
) -> Result<tera::Context, Error> {
    let mut tc = tera::Context::new();
    tc.try_insert("site", site).map_err(|e| tmpl_err(&e))?;
    tc.try_insert("office", site.office)
        .map_err(|e| tmpl_err(&e))?;
    tc.try_insert("t", strings).map_err(|e| tmpl_err(&e))?;
    Ok(tc)
}

/// What [`Ctx::new`] makes its context from, besides the content, theme and site view.
pub struct CtxParts<'a> {
    pub guides: &'a [GuideView<'a>],
    pub fits: &'a [Fit],
    pub progress: &'a dyn Progress,
    pub cache: Option<&'a PageCache>,
    pub view_hashes: &'a [u128],
    pub sink: &'a dyn Sink,
}

impl<'a> Ctx<'a> {
    /// The context of one render of the site of `content`.
    pub fn new(
        content: &'a Content,
        theme: &'a Theme,
        site: &'a SiteView<'a>,
        p: CtxParts<'a>,
    ) -> Result<Self, Error> {
        let mut guide_base = tera::Context::new();
        guide_base
            .try_insert("site", &site.common)
            .map_err(|e| tmpl_err(&e))?;
        guide_base.insert("t", &theme.strings);
        // Site-wide pages see the office (and the kiosk's group files are kept with the
        // office's parts put in): their keys hold it. A guide's own pages do not.
        let keys = p.cache.map(|c| {
            let office: &Office = site.office;
            (
                c.base_key(&(site, office, &theme.strings)),
                c.base_key(&(&site.common, &theme.strings)),
            )
        });
        Ok(Ctx {
            content,
            theme,
            site,
            base: base_context(site, &theme.strings)?,
            guide_base,
            spare: Mutex::new(Vec::new()),
            guides: p.guides,
            fits: p.fits,
            progress: p.progress,
            cache: p.cache,
            view_hashes: p.view_hashes,
            sink: p.sink,
            keys,
            parts: Mutex::new(HashMap::new()),
        })
    }

    /// With a cache (`serve`): the cache and the key of site-wide output `name` at `root`,
    /// which depends on the site, the office, the UI strings and `value`.
    pub fn key<T: Serialize>(
        &self,
        name: &str,
        root: &str,
        value: &T,
    ) -> Option<(&'a PageCache, PageKey)> {
        let c = self.cache.filter(|c| c.keeps_pages())?;
        let (base, _) = self.keys?;
        Some((c, c.key(name, root, base, value)))
    }

    /// With any cache: the cache and the key of a guide's own page `name` at `root`, which
    /// depends on the [`SiteCommon`](crate::render::view::SiteCommon), the UI strings and
    /// `value` (not on the office).
    fn guide_key<T: Serialize>(
        &self,
        name: &str,
        root: &str,
        value: &T,
    ) -> Option<(&'a PageCache, PageKey)> {
        let c = self.cache?;
        let (_, base) = self.keys?;
        Some((c, c.key(name, root, base, value)))
    }

    /// Renders `template` with `site`, `office`, `t` (UI strings), `root` and the page's
    /// own fields.
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

    /// A guide's own page `template` outside its pass (a sheet of a pack, a chapter of the
    /// booklet whose guide's pass did not run) of the guide at `at` (in site order): with
    /// `site` (the [`SiteCommon`](crate::render::view::SiteCommon)), `t`, `root` and the
    /// fields of `page`, made only when it is not in the cache. `key`: what the page
    /// depends on besides the guide's view, as its pass keys it (so a page one office's
    /// pass rendered serves the next office's booklet).
    pub fn guide_page<K: Serialize, T: Serialize>(
        &self,
        template: &str,
        root: &str,
        (at, key): (usize, K),
        page: impl FnOnce() -> T,
    ) -> Result<Html, Error> {
        let hash = self.view_hashes.get(at).copied().filter(|h| *h != 0);
        let key = hash.and_then(|h| self.guide_key(template, root, &(h, key)));
        self.render_from(&self.guide_base, template, root, key, page)
    }

    fn render_page<T: Serialize>(
        &self,
        template: &str,
        root: &str,
        key: Option<(&PageCache, PageKey)>,
        page: impl FnOnce() -> T,
    ) -> Result<Html, Error> {
        self.render_from(&self.base, template, root, key, page)
    }

    /// `template` rendered at `root` from a copy of `base` with the fields of `page`, or
    /// taken from the cache under `key`; finished for the office.
    fn render_from<T: Serialize>(
        &self,
        base: &tera::Context,
        template: &str,
        root: &str,
        key: Option<(&PageCache, PageKey)>,
        page: impl FnOnce() -> T,
    ) -> Result<Html, Error> {
        if let Some((cache, key)) = key
            && let Some(html) = cache.get(key)
        {
            return self.finish(template, root, Html::Shared(html), None);
        }
        let page = page();
        let mut tc = base.clone();
        tc.try_insert("root", root).map_err(|e| tmpl_err(&e))?;
        tc.extend(tera::Context::from_serialize(&page).map_err(|e| tmpl_err(&e))?);
        let (html, calls) = self.theme.render(template, &tc).map_err(|e| tmpl_err(&e))?;
        self.finish(template, root, Html::kept(key, html), Some(calls))
    }

    /// The guides that have printables (not those that apply only from a later day).
    pub fn printable(&self) -> impl Iterator<Item = &GuideView<'a>> {
        self.guides.iter().filter(|v| v.applies_from.is_none())
    }

    /// [`Ctx::printable`], each with its position in the site's guides (that of its fit
    /// and of its parts of the packs and booklet).
    pub fn printable_at(&self) -> Vec<(usize, &GuideView<'a>)> {
        self.guides
            .iter()
            .enumerate()
            .filter(|(_, v)| v.applies_from.is_none())
            .collect()
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

impl<'c, 'a> GuidePass<'c, 'a> {
    /// A pass over guide `view` (whose leaflet fits as `fit`); `hash` is the hash of
    /// `view` when there is a cache.
    pub fn new(
        ctx: &'c Ctx<'a>,
        view: &'c GuideView<'a>,
        fit: &'c Fit,
        hash: Option<u128>,
    ) -> Self {
        GuidePass {
            ctx,
            view,
            fit,
            hash,
            tc: None,
        }
    }

    /// Renders `template` at `root` with the guide's context.
    pub fn render(&mut self, template: &str, root: &str) -> Result<Html, Error> {
        self.render_inner(template, root, Some(()), Vec::new)
    }

    /// [`GuidePass::render`] of a part of a file that `serve` keeps as a whole (the kiosk
    /// file): kept only by a build's cache, where the next office takes it.
    pub fn render_part(&mut self, template: &str, root: &str) -> Result<Html, Error> {
        let key = self.part_key(());
        self.render_inner(template, root, key, Vec::new)
    }

    /// [`GuidePass::render`], with more values in the context for this page only, made by
    /// `values` (called only when the page is rendered, not when it comes from the cache).
    /// `key` is what the page depends on besides the guide's view, `root` and the site: a
    /// small stand-in for the values, for the cache key.
    pub fn render_with<K: Serialize>(
        &mut self,
        template: &str,
        root: &str,
        key: Option<K>,
        values: impl FnOnce() -> Vec<(&'static str, tera::Value)>,
    ) -> Result<Html, Error> {
        self.render_inner(template, root, key, values)
    }

    /// [`GuidePass::render_part`] with more values in the context, as
    /// [`GuidePass::render_with`].
    pub fn render_part_with<K: Serialize>(
        &mut self,
        template: &str,
        root: &str,
        key: K,
        values: impl FnOnce() -> Vec<(&'static str, tera::Value)>,
    ) -> Result<Html, Error> {
        let key = self.part_key(key);
        self.render_inner(template, root, key, values)
    }

    /// `key` for a part: only with a build's cache (see [`GuidePass::render_part`]).
    fn part_key<K>(&self, key: K) -> Option<K> {
        let build = self.ctx.cache.is_some_and(|c| !c.keeps_pages());
        build.then_some(key)
    }

    /// With a cache: the cache and the key of output `name` at `root` of this guide, which
    /// depends on the guide's view and on `key` (not on the office).
    fn cache_key<K: Serialize>(
        &self,
        name: &str,
        root: &str,
        key: K,
    ) -> Option<(&'c PageCache, PageKey)> {
        self.ctx.guide_key(name, root, &(self.hash?, key))
    }

    fn render_inner<K: Serialize>(
        &mut self,
        template: &str,
        root: &str,
        key: Option<K>,
        values: impl FnOnce() -> Vec<(&'static str, tera::Value)>,
    ) -> Result<Html, Error> {
        let ctx = self.ctx;
        let key = key.and_then(|k| self.cache_key(template, root, k));
        if let Some((cache, key)) = key
            && let Some(html) = cache.get(key)
        {
            return ctx.finish(template, root, Html::Shared(html), None);
        }
        let tc = match self.tc.take() {
            Some(tc) => tc,
            None => self.guide_context()?,
        };
        let tc = self.tc.insert(tc);
        tc.try_insert("root", root).map_err(|e| tmpl_err(&e))?;
        // Moved into the context, not copied (`insert` would serialise each value again).
        let values = values();
        let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
        let map = values
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect();
        tc.extend(tera::Context::from_value(tera::Value::Object(map)).map_err(|e| tmpl_err(&e))?);
        let rendered = ctx.theme.render(template, tc);
        for name in names {
            tc.remove(name);
        }
        let (html, calls) = rendered.map_err(|e| tmpl_err(&e))?;
        ctx.finish(template, root, Html::kept(key, html), Some(calls))
    }

    /// The guide's template context: a spare copy of the base (its `guide` and `root` are
    /// replaced here) or a new one, with `guide`.
    fn guide_context(&self) -> Result<tera::Context, Error> {
        let ctx = self.ctx;
        let spare = ctx.spare.lock().ok().and_then(|mut v| v.pop());
        let mut tc = spare.unwrap_or_else(|| ctx.guide_base.clone());
        tc.try_insert("guide", self.view)
            .map_err(|e| tmpl_err(&e))?;
        Ok(tc)
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

/// A template error as the error of a render.
pub(crate) fn tmpl_err(e: &tera::Error) -> Error {
    Error::Content(Diagnostics(vec![theme::template_error(e)]))
}
