//! The booklet (`print/booklet/index.html`): every guide on a new page after a table of
//! contents, with ids made unique and links between guides kept inside the booklet.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::render::context::{Ctx, GuidePass};
use crate::render::print::guide::{PrintGuide, print_guide};
use crate::render::print::parts::Parts;
use crate::render::view::GuideView;

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

/// The booklet: a cover with the table of contents, then every guide on a new page. Ids
/// are made unique by prefixing them with the guide's slug, and links between guides
/// become links inside the booklet (as mdBook's print page does).
/// Each chapter is the one its guide's pass left in `parts`, else rendered here.
pub(super) fn booklet(ctx: &Ctx<'_>, parts: &Parts<'_>) -> Result<String, Error> {
    let slugs: BTreeSet<&str> = ctx.printable().map(|v| v.slug).collect();
    let cover = ctx.page(
        "print/booklet.html",
        "../../",
        BookletPage { toc: toc(ctx) },
    )?;
    let (head, tail) = cover.split_once(CHAPTERS).unwrap_or((&cover, ""));
    let printable = ctx.printable_at();
    let chapters: Vec<String> = printable
        .par_iter()
        .enumerate()
        .map(|(i, &(at, v))| {
            if let Some(chapter) = parts.take(at, |p| &mut p.chapter) {
                return Ok(chapter);
            }
            let n = i + 1;
            let p = std::cell::OnceCell::new();
            let html = ctx.guide_page("print/booklet-guide.html", "../../", (at, n), || {
                let p = p.get_or_init(|| print_guide(v, "../../", 0));
                ChapterPage { p, guide: v, n }
            })?;
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

/// Chapter `n` of the booklet, of the guide of `pass`, rendered with the pass's context
/// (as [`booklet`] renders it, same bytes); `p`: the guide for print at fit level 0, if
/// the pass has it.
pub(super) fn chapter(
    pass: &mut GuidePass<'_, '_>,
    n: usize,
    p: Option<&PrintGuide<'_>>,
    slugs: &BTreeSet<&str>,
) -> Result<String, Error> {
    let view = pass.view;
    let values = || {
        let p = match p.filter(|p| p.fit() == 0) {
            Some(p) => tera::to_value(p),
            None => tera::to_value(print_guide(view, "../../", 0)),
        };
        vec![("p", p.unwrap_or_default()), ("n", tera::Value::from(n))]
    };
    let html = pass.render_part_with("print/booklet-guide.html", "../../", n, values)?;
    Ok(unique_ids(&html, view.slug, slugs))
}

/// The table of contents: the guides by category, numbered across the booklet.
fn toc<'a>(ctx: &'a Ctx<'_>) -> Vec<TocGroup<'a>> {
    let mut toc: Vec<TocGroup<'_>> = Vec::new();
    let mut n = 0;
    for cat in &ctx.site.categories {
        let entries: Vec<TocEntry<'_>> = ctx
            .printable()
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
    toc
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

/// Position of the next ` id="`, ` aria-labelledby="` or ` href="` (after a space): one
/// scan from space to space, so a chapter is read once however many attributes it has.
fn find_attr(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b == b' ') {
        let at = from + i + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"id=\"")
            || rest.starts_with(b"href=\"")
            || rest.starts_with(b"aria-labelledby=\"")
        {
            return Some(at);
        }
        from = at;
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booklet_ids_and_links() {
        let slugs: BTreeSet<&str> = ["a", "b"].into_iter().collect();
        let html = r##"<h2 id="docs-h">x</h2><a href="#buoc-2">s</a> <a href="../../guides/b/index.html#buoc-1">b</a> <a href="../../guides/b/index.html">b</a> <a href="https://x.example/">e</a><section aria-labelledby="docs-h"></section><p data-id="z">"##;
        assert_eq!(
            unique_ids(html, "a", &slugs),
            r##"<h2 id="a--docs-h">x</h2><a href="#a--buoc-2">s</a> <a href="#b--buoc-1">b</a> <a href="#b">b</a> <a href="https://x.example/">e</a><section aria-labelledby="a--docs-h"></section><p data-id="z">"##
        );
    }
}
