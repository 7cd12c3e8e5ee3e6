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
//! - `print/leaflets/index.html`           every A4 leaflet, for a print shop
//! - `print/posters/index.html`            every QR poster
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

mod booklet;
mod fit;
mod guide;
mod pack;
mod parts;

pub use booklet::BOOKLET_MAX;
pub use fit::{Fit, estimate, fit};
pub use pack::{LEAFLETS_URL, POSTERS_URL};
pub use parts::Parts;

use serde::Serialize;

use crate::error::Error;
use crate::render::context::{Ctx, GuidePass, Html};
use crate::render::sink::OutputFile;
use crate::render::view::{CategoryView, GuideView};
use booklet::booklet;
use guide::{CardCode, card_code, print_guide, reroot};

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
        ["leaflets", "index"] => Some("print/leaflets/leaflets-a4.pdf".into()),
        ["posters", "index"] => Some("print/posters/posters.pdf".into()),
        ["categories", id, "index"] => Some(format!("print/categories/{id}/{id}-qr.pdf")),
        // Two parts: a guide's printable, also for a guide named `booklet` or `categories`
        // (the booklet and card sheets are three and two parts deep).
        [slug, kind @ ("a4" | "a5" | "poster")] => Some(format!("print/{slug}/{slug}-{kind}.pdf")),
        _ => None,
    }
}

/// The root of a guide's printables (`print/<slug>/…`): two folders down, as its page.
pub(super) const ROOT: &str = "../../";

#[derive(Serialize)]
struct CardsPage<'a> {
    category: &'a CategoryView<'a>,
    cards: Vec<Card<'a>>,
}

#[derive(Serialize)]
struct Card<'a> {
    p: CardCode<'a>,
    title: &'a str,
    question: Option<&'a str>,
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

/// The printables of one guide (number `i` in site order): A4 and A5 leaflets and
/// poster, each with its QR code inline, so each prints alone; and its parts of the packs
/// and booklet, kept in `parts`. Returns the A4 leaflet, which the kiosk prints too (see
/// [`kiosk_leaflet`]).
pub fn guide_files(
    pass: &mut GuidePass<'_, '_>,
    i: usize,
    parts: &Parts<'_>,
) -> Result<Html, Error> {
    let v = pass.view;
    let level = pass.fit.level();
    // Made once for the three, and only if one of them is rendered (not cached).
    let p = std::cell::OnceCell::new();
    // Each page depends on the view and the fit.
    let render = |pass: &mut GuidePass<'_, '_>, name: &str| {
        pass.render_with(name, ROOT, Some(level), || {
            let p = p.get_or_init(|| print_guide(v, ROOT, level));
            vec![("p", tera::to_value(p).unwrap_or_default())]
        })
    };
    let a4 = render(pass, "print/a4.html")?;
    let a5 = render(pass, "print/a5.html")?;
    let poster = render(pass, "print/poster.html")?;
    if let Some(n) = parts.number(i) {
        let chapter = match parts.chapters {
            true => Some(booklet::chapter(pass, n, p.get(), &parts.slugs)?),
            false => None,
        };
        let part = parts::Part {
            leaflet: Some(pack::sheet(&a4)),
            poster: Some(pack::sheet(&poster)),
            chapter,
        };
        parts.put(i, part);
    }
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

/// Renders the printables of the whole site: category QR cards, booklet and index (those
/// of each guide are made with its page, by [`guide_files`]).
/// `parts`: what the guides' passes made of the booklet and packs.
pub fn render(ctx: &Ctx<'_>, parts: &Parts<'_>) -> Result<(), Error> {
    render_only(ctx, parts, &|_| true, true)
}

/// [`render`], of the category card sheets `sheet` says (by category id) and, when
/// `rest`, the booklet, the print packs and the index: a rebuild keeps the others (see
/// [`crate::render::manifest`]).
pub fn render_only(
    ctx: &Ctx<'_>,
    parts: &Parts<'_>,
    sheet: &dyn Fn(&str) -> bool,
    rest: bool,
) -> Result<(), Error> {
    let sink = ctx.sink;
    for cat in ctx.site.categories.iter().filter(|c| sheet(c.id)) {
        let guides: Vec<(usize, &GuideView<'_>)> = ctx
            .guides
            .iter()
            .enumerate()
            .filter(|(_, v)| v.category_id == cat.id && v.applies_from.is_none())
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
                    p: card_code(v),
                    title: v.title,
                    question: v.question,
                })
                .collect(),
        })?;
        sink.put(html.into_file(cards_url(cat.id)))?;
    }

    if !rest {
        return Ok(());
    }
    if ctx.printable().count() <= BOOKLET_MAX {
        sink.put(OutputFile::bytes(BOOKLET_URL, booklet(ctx, parts)?))?;
        pack::packs(ctx, parts)?;
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
                .printable()
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
            booklet: ctx.printable().count() <= BOOKLET_MAX,
            groups,
        },
    )
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
}
