//! Print packs (issue #15): every A4 leaflet in one file (`print/leaflets/index.html`)
//! and every notice-board poster in one (`print/posters/index.html`), ready for a print
//! shop; with `--pdf`, one PDF each. Each sheet is the guide's own printable (same
//! template, fit and QR code), one after the other with a page break between them. Made
//! for sites of up to [`BOOKLET_MAX`](super::BOOKLET_MAX) guides, as the booklet.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::render::context::Ctx;
use crate::render::print::ROOT;
use crate::render::print::guide::{PrintGuide, print_guide};
use crate::render::print::parts::{Part, Parts};
use crate::render::sink::OutputFile;
use crate::render::view::GuideView;

/// Every A4 leaflet.
pub const LEAFLETS_URL: &str = "print/leaflets/index.html";
/// Every QR poster.
pub const POSTERS_URL: &str = "print/posters/index.html";

#[derive(Serialize)]
struct Sheet<'a> {
    p: &'a PrintGuide<'a>,
    guide: &'a GuideView<'a>,
}

/// Writes both packs: each guide's sheet as its pass left it in `parts`, else rendered.
pub(super) fn packs(ctx: &Ctx<'_>, parts: &Parts<'_>) -> Result<(), Error> {
    type Which = fn(&mut Part) -> &mut Option<String>;
    let packs: [(&str, &str, &str, Which); 2] = [
        ("print/a4.html", LEAFLETS_URL, "print_pack_a4", |p| {
            &mut p.leaflet
        }),
        (
            "print/poster.html",
            POSTERS_URL,
            "print_pack_posters",
            |p| &mut p.poster,
        ),
    ];
    // Not the guides that apply only from a later day (`effective_from`).
    let printable = ctx.printable_at();
    for (template, url, title, which) in packs {
        let sheets: Vec<String> = printable
            .par_iter()
            .map(|&(i, v)| {
                if let Some(sheet) = parts.take(i, which) {
                    return Ok(sheet);
                }
                let level = ctx.fits.get(i).map_or(0, |f| f.level());
                let p = std::cell::OnceCell::new();
                let html = ctx.guide_page(template, ROOT, (i, level), || {
                    let p = p.get_or_init(|| print_guide(v, ROOT, level));
                    Sheet { p, guide: v }
                })?;
                Ok(sheet(&html))
            })
            .collect::<Result<_, Error>>()?;
        let name = ctx.theme.strings.get(title).map_or("", String::as_str);
        let html = document(ctx, name, &sheets);
        ctx.sink.put(OutputFile::bytes(url, html))?;
    }
    Ok(())
}

/// A guide's sheet in a pack: the body of its printable `html`, in a `<div>` with the
/// body's classes (its fit level).
pub(super) fn sheet(html: &str) -> String {
    let Some(start) = html.find("<body") else {
        return String::new();
    };
    let rest = &html[start..];
    let classes = rest
        .split_once("class=\"")
        .and_then(|(_, r)| r.split_once('"'))
        .map_or("", |(c, _)| c);
    let inner = rest
        .split_once('>')
        .map_or("", |(_, r)| r)
        .rsplit_once("</body>")
        .map_or("", |(b, _)| b);
    format!("<div class=\"pack-sheet {classes}\">{inner}</div>\n")
}

/// The pack's page: the print stylesheet and every sheet.
fn document(ctx: &Ctx<'_>, title: &str, sheets: &[String]) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{} · {}</title>\n<link rel=\"stylesheet\" href=\"{ROOT}assets/print.css\">\n</head>\n<body class=\"print print-pack\">\n",
        ctx.site.common.lang,
        crate::render::theme::escape_html(title),
        crate::render::theme::escape_html(&ctx.content.site.office.name),
    );
    for s in sheets {
        out.push_str(s);
    }
    out.push_str("</body>\n</html>\n");
    out
}
