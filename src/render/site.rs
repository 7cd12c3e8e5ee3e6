//! The site render: guide views and fit estimates, then each kiosk group of guides (page,
//! printables, kiosk part), the index and category pages, the site-wide printables and
//! kiosk, and the theme's and guides' files.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Content;
use crate::error::{Diagnostic, Diagnostics, Error};
use crate::progress::Progress;
use crate::render::cache::PageCache;
use crate::render::context::{Ctx, CtxParts, GuidePass, Html};
use crate::render::manifest::{self, Manifest, Plan};
use crate::render::print::Fit;
use crate::render::rebuild;
use crate::render::sink::{Collect, Data, OutputFile, Sink};
use crate::render::theme::Theme;
use crate::render::view::{
    CategoryView, GuideLink, GuideView, SiteView, guide_outline, guide_url, guide_view_with, media,
    media_url, site_view,
};
use crate::render::{kiosk, print, theme};

/// What rendering produced.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
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

#[derive(Serialize)]
struct CategoryPage<'a> {
    category: &'a CategoryView<'a>,
    guides: Vec<GuideLink<'a>>,
}

/// Renders the whole site.
pub fn site(c: &Content, progress: &dyn Progress) -> Result<Rendered, Error> {
    site_with(c, progress, None)
}

/// [`site`], reusing the pages and QR codes of an earlier render whose inputs did not
/// change (`camnang serve`, see [`crate::commands::serve::session`]). The result is the same.
/// The cache's owner starts and ends each render ([`PageCache::start`], [`PageCache::end`]).
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
    site_inner(c, progress, cache, None, sink).map(|(warnings, _)| warnings)
}

/// What [`site_build`] did.
pub struct Built {
    pub warnings: Vec<Diagnostic>,
    /// Guides rendered; the others were kept from the previous build.
    pub rendered: usize,
    /// The new manifest, as written.
    pub manifest: Vec<u8>,
}

/// The site render of `camnang build` into `sink`, which ends with the build manifest
/// ([`manifest::PATH`]). With the `previous` build's manifest (of the output folder that
/// `sink` writes over), the kiosk groups of guides whose inputs did not change are kept,
/// not rendered (see [`crate::render::manifest`]).
pub fn site_build(
    c: &Content,
    progress: &dyn Progress,
    previous: Option<Manifest>,
    sink: &dyn Sink,
) -> Result<Built, Error> {
    let (warnings, plan) = site_planned(c, progress, None, previous, sink)?;
    let json = plan.finish();
    sink.put(OutputFile::bytes(manifest::PATH, json.clone()))?;
    Ok(Built {
        warnings,
        rendered: plan.rendered(),
        manifest: json,
    })
}

/// The site render through a [`Plan`] made with the `previous` render's manifest (see
/// [`site_build`]); with a `cache` of pages (`serve`, whose sink keeps files from its
/// previous render). Returns the warnings and the plan, which holds the new manifest.
pub fn site_planned(
    c: &Content,
    progress: &dyn Progress,
    cache: Option<&PageCache>,
    previous: Option<Manifest>,
    sink: &dyn Sink,
) -> Result<(Vec<Diagnostic>, Plan), Error> {
    let (warnings, plan) = site_inner(c, progress, cache, Some(previous), sink)?;
    let plan = plan.ok_or_else(|| Error::Other("internal error: no build plan".into()))?;
    Ok((warnings, plan))
}

/// The site render; with `previous` (`Some`, even of `None`), through a [`Plan`], which
/// is returned.
fn site_inner(
    c: &Content,
    progress: &dyn Progress,
    cache: Option<&PageCache>,
    previous: Option<Option<Manifest>>,
    sink: &dyn Sink,
) -> Result<(Vec<Diagnostic>, Option<Plan>), Error> {
    let theme = load_theme(c, cache)?;
    let theme: &Theme = &theme;
    let sv = site_view(c);

    progress.stage("render", c.guides.len());
    let plan = previous.map(|m| {
        let groups = c.guides.len().div_ceil(kiosk::GROUP);
        Plan::new(
            m,
            manifest::binary_key(),
            manifest::site_key(c, theme, &sv),
            groups,
        )
    });
    // The search index is made from the guides as read (sequential at its end): alongside
    // everything up to their views.
    let search = plan.as_ref().map(|p| rebuild::search(c, p));
    let make_index = search.as_ref().is_none_or(Option::is_none);
    let (prepared, index_js) = rayon::join(
        || prepare(c, cache, &sv, plan.as_ref(), search.flatten()),
        || make_index.then(|| kiosk::index_js(c, cache)),
    );
    let Prepared {
        fits,
        decided,
        views,
        view_hashes,
    } = prepared?;
    let warnings: Vec<Diagnostic> = c
        .guides
        .iter()
        .zip(&fits)
        .filter(|(g, _)| !c.pending(g))
        .filter_map(|(g, f)| f.warning(g))
        .collect();
    let parts = CtxParts {
        guides: &views,
        fits: &fits,
        progress,
        cache,
        view_hashes: &view_hashes,
        sink,
    };
    let ctx = Ctx::new(c, theme, &sv, parts)?;
    // The guides' parts of the packs and booklet, made in their passes.
    let parts = print::Parts::new(&ctx);
    guides(&ctx, &fits, decided.as_ref(), &parts)?;
    site_wide(&ctx, &parts, decided.as_ref())?;
    kiosk::render(&ctx, index_js)?;
    files(c, theme, sink)?;
    Ok((warnings, plan))
}

/// The index and category pages and the site-wide printables; in a build through a plan
/// (`decided`), those it keeps are kept instead.
fn site_wide(
    ctx: &Ctx<'_>,
    parts: &print::Parts<'_>,
    decided: Option<&rebuild::Decided>,
) -> Result<(), Error> {
    match decided {
        None => {
            lists(ctx)?;
            print::render(ctx, parts)
        }
        Some(d) => {
            for path in d.kept_units() {
                ctx.sink.keep(path)?;
            }
            if d.lists.is_none() {
                lists(ctx)?;
            }
            print::render_only(ctx, parts, &|id| d.sheet(id), d.rest.is_none())
        }
    }
}

/// What the guides' passes need: each one's leaflet fit, what a rebuild keeps, the views
/// and (`serve`) their hashes.
struct Prepared<'a> {
    fits: Vec<Fit>,
    decided: Option<rebuild::Decided>,
    views: Vec<GuideView<'a>>,
    view_hashes: Vec<u128>,
}

/// Makes the [`Prepared`] of the site of `c` (site view `sv`), through `plan` in a build
/// that has one (`search`: whether it keeps the search index, see [`rebuild::search`]).
fn prepare<'a>(
    c: &'a Content,
    cache: Option<&PageCache>,
    sv: &SiteView<'_>,
    plan: Option<&Plan>,
    search: rebuild::Kept,
) -> Result<Prepared<'a>, Error> {
    let fits = fits(c, cache);
    let titles: BTreeMap<&str, &str> = c
        .guides
        .iter()
        .map(|x| (x.slug.as_str(), x.title.as_str()))
        .collect();
    let decided = plan.map(|p| rebuild::decide(c, sv, p, &titles, &fits, search));
    let full = decided.as_ref().map(|d| d.full.as_slice());
    let views = guide_views(c, cache, &titles, full)?;
    // Page keys (`serve`, and a guide's own pages in a build with offices) stand a guide's
    // view by its hash (not needed for an outline: nothing rendered shows it but lists,
    // keyed by what they show).
    let view_hashes: Vec<u128> = match cache.is_some() {
        true => views
            .par_iter()
            .enumerate()
            .map(|(i, v)| match full.and_then(|f| f.get(i)) {
                Some(false) => 0,
                _ => PageCache::hash_value(v),
            })
            .collect(),
        false => Vec::new(),
    };
    Ok(Prepared {
        fits,
        decided,
        views,
        view_hashes,
    })
}

/// How each guide's A4 leaflet fits (its type size), estimated once per render; with a
/// cache of pages (`serve`), once per guide as read and site.
fn fits(c: &Content, cache: Option<&PageCache>) -> Vec<Fit> {
    let Some(cache) = cache.filter(|k| k.keeps_pages()) else {
        return c.guides.par_iter().map(|g| print::fit(c, g)).collect();
    };
    let site = xxhash_rust::xxh3::xxh3_128(&serde_json::to_vec(&c.site).unwrap_or_default());
    c.guides
        .par_iter()
        .map(|g| {
            let mut key = [0u8; 32];
            key[..16].copy_from_slice(&manifest::guide_hash(g).to_le_bytes());
            key[16..].copy_from_slice(&site.to_le_bytes());
            cache.fit(xxhash_rust::xxh3::xxh3_128(&key), || print::fit(c, g))
        })
        .collect()
}

/// The site's theme: from `cache` when it was loaded before.
fn load_theme(c: &Content, cache: Option<&PageCache>) -> Result<Arc<Theme>, Error> {
    match cache {
        Some(cache) => cache.theme(&c.root, c.site.language),
        None => theme::load(&c.root, c.site.language).map(Arc::new),
    }
    .map_err(|d| Error::Content(Diagnostics(d)))
}

/// One view per guide, in site order (in parallel); with `full`, an outline for each
/// guide it marks `false` (see [`rebuild::Decided::full`]).
fn guide_views<'a>(
    c: &'a Content,
    cache: Option<&PageCache>,
    titles: &BTreeMap<&'a str, &'a str>,
    full: Option<&[bool]>,
) -> Result<Vec<GuideView<'a>>, Error> {
    c.guides
        .par_iter()
        .zip(c.portal_urls.par_iter())
        .enumerate()
        .map(|(i, (g, url))| match full.and_then(|f| f.get(i)) {
            Some(false) => Ok(guide_outline(c, titles, g, url)),
            _ => guide_view_with(c, titles, g, url, cache),
        })
        .collect()
}

/// Everything of one guide (page, printables, kiosk part) in one pass; the guides of a
/// kiosk file together (see [`render_group`]).
/// In a build through a plan (`decided`), the groups it keeps are kept instead.
/// `parts`: where the passes leave their parts of the packs and booklet (a kept group
/// leaves none; the packs and booklet render those guides themselves).
fn guides(
    ctx: &Ctx<'_>,
    fits: &[Fit],
    decided: Option<&rebuild::Decided>,
    parts: &print::Parts<'_>,
) -> Result<(), Error> {
    ctx.guides
        .par_chunks(kiosk::GROUP)
        .zip(fits.par_chunks(kiosk::GROUP))
        .enumerate()
        .try_for_each(|(n, (vs, fs))| {
            match decided
                .and_then(|d| d.groups.get(n))
                .and_then(Option::as_ref)
            {
                Some(kept) => keep_group(ctx, kept, vs.len()),
                None => render_group(ctx, n, vs, fs, parts),
            }
        })
}

/// A kiosk group of `guides` guides kept from the previous build: its files `kept`.
fn keep_group(ctx: &Ctx<'_>, kept: &[String], guides: usize) -> Result<(), Error> {
    for path in kept {
        ctx.sink.keep(path)?;
    }
    for _ in 0..guides {
        ctx.progress.tick();
    }
    Ok(())
}

/// The guides of kiosk file `n` (views `vs` with their fits `fs`), in parallel: each one's
/// page, printables and kiosk part in one pass; then the kiosk file, which joins the parts
/// as soon as the group is done (no guide's kiosk part is kept longer).
/// `parts`: where each pass leaves its parts of the packs and booklet.
fn render_group(
    ctx: &Ctx<'_>,
    n: usize,
    vs: &[GuideView<'_>],
    fs: &[Fit],
    parts: &print::Parts<'_>,
) -> Result<(), Error> {
    let key = kiosk::group_key(ctx, n, fs);
    // `serve`: an unchanged group's file is in the cache; its parts are not needed.
    let cached = key.and_then(|(cache, key)| cache.get(key));
    let parts: Vec<Option<String>> = vs
        .par_iter()
        .zip(fs.par_iter())
        .enumerate()
        .map(|(j, (v, fit))| {
            let i = n * kiosk::GROUP + j;
            let hash = ctx.view_hashes.get(i).copied();
            let mut pass = GuidePass::new(ctx, v, fit, hash);
            let html = pass.render("guide.html", "../../")?;
            ctx.sink.put(html.into_file(guide_url(v.slug)))?;
            // A guide that applies only from a later day has no printables yet.
            let a4 = match v.applies_from {
                None => Some(print::guide_files(&mut pass, i, parts)?),
                Some(_) => None,
            };
            let js = match cached {
                Some(_) => None,
                None => Some(kiosk::guide_js(&mut pass, a4.as_deref().unwrap_or(""))?),
            };
            ctx.progress.tick();
            Ok(js)
        })
        .collect::<Result<_, Error>>()?;
    let js = match cached {
        Some(js) => Html::Shared(js),
        None => Html::kept(key, parts.into_iter().flatten().collect()),
    };
    ctx.sink.put(js.into_file(kiosk::group_url(n)))
}

/// The site's lists of guides: the index page (by category) and each category's page.
fn lists(ctx: &Ctx<'_>) -> Result<(), Error> {
    let groups: Vec<Group<'_>> = ctx
        .site
        .categories
        .iter()
        .map(|cat| Group {
            category: cat,
            guides: ctx.links(cat.id),
        })
        .filter(|g| !g.guides.is_empty())
        .collect();
    ctx.sink.put(
        ctx.page("index.html", "", IndexPage { groups })?
            .into_file("index.html".into()),
    )?;
    for cat in &ctx.site.categories {
        let page = CategoryPage {
            category: cat,
            guides: ctx.links(cat.id),
        };
        ctx.sink.put(
            ctx.page("category.html", "../../", page)?
                .into_file(cat.url.clone()),
        )?;
    }
    Ok(())
}

/// The files copied as they are: the theme's statics (`assets/…`) and the guides'
/// screenshots and Markdown images (`media/…`).
fn files(c: &Content, theme: &Theme, sink: &dyn Sink) -> Result<(), Error> {
    for (name, bytes) in &theme.statics {
        sink.put(OutputFile::bytes(format!("assets/{name}"), bytes.clone()))?;
    }
    for (src, path) in media(c) {
        sink.put(OutputFile {
            path: media_url(&src),
            data: Data::Copy(path),
        })?;
    }
    Ok(())
}
