//! What every renderer works from ([`Ctx`]: the content, theme, views, cache and sink),
//! rendering a page with its template context, and the template context one guide's pages
//! share ([`GuidePass`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::content::Content;
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
    /// `site` and `t` (the UI strings) as a template context, made once per render: each
    /// page's context starts as a copy of it.
    pub base: tera::Context,
    /// Copies of `base` that guide passes are done with, for the next passes (a copy per
    /// guide was a few per cent of a build: `t` alone has some 150 strings).
    pub(super) spare: std::sync::Mutex<Vec<tera::Context>>,
    /// One view per guide, in site order.
    pub guides: &'a [GuideView<'a>],
    /// How each guide's A4 leaflet fits (same order).
    pub fits: &'a [crate::render::print::Fit],
    pub progress: &'a dyn Progress,
    /// Pages rendered before, keyed by their template and context (`serve` only; a
    /// cache of a build, [`PageCache::shared_only`], keeps the shared work only).
    pub cache: Option<&'a PageCache>,
    /// With a cache that keeps pages, or a build plan: the hash of each guide view (same
    /// order as `guides`); else empty.
    pub view_hashes: &'a [u128],
    /// Where rendered files go.
    pub sink: &'a dyn Sink,
}

/// The template context every page starts from: `site` and `t`.
pub(crate) fn base_context(
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
        let c = self.cache.filter(|c| c.keeps_pages())?;
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

    /// [`GuidePass::render_part`] with more values in the context for this page only
    /// (`values`: name and value): a part that is never cached on its own.
    pub fn render_part_with(
        &mut self,
        template: &str,
        root: &str,
        values: &[(&str, tera::Value)],
    ) -> Result<Html, Error> {
        let tc = match self.tc.take() {
            Some(tc) => tc,
            None => self.guide_context()?,
        };
        let tc = self.tc.insert(tc);
        tc.try_insert("root", root).map_err(|e| tmpl_err(&e))?;
        for (name, value) in values {
            tc.insert(*name, value);
        }
        let html = self.ctx.theme.tera.render(template, tc);
        for (name, _) in values {
            tc.remove(name);
        }
        Ok(Html::Owned(html.map_err(|e| tmpl_err(&e))?))
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
            None => self.guide_context()?,
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

    /// The guide's template context: a spare copy of the base (its `guide` and `root` are
    /// replaced here) or a new one, with `guide`.
    fn guide_context(&self) -> Result<tera::Context, Error> {
        let ctx = self.ctx;
        let spare = ctx.spare.lock().ok().and_then(|mut v| v.pop());
        let mut tc = spare.unwrap_or_else(|| ctx.base.clone());
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
fn tmpl_err(e: &tera::Error) -> Error {
    Error::Content(Diagnostics(vec![theme::template_error(e)]))
}
